/*
 * fuzz_text.c - libFuzzer target for the text engine's readers of raw text:
 * tokenizer, sentence splitter, key points, entities, keywords, MinHash
 * and the story index.
 *
 * Besides crashes it checks what the callers rely on: every token and
 * sentence span lies inside the input, sentences come in order without
 * overlapping, folded words fit TD_TOKEN_MAX, key points are sentences of
 * the text in text order, and an article whose text is its own copy is
 * folded onto the first.
 */
#include "base/compat.h"
#include "text/fingerprint.h"
#include "text/keywords.h"
#include "text/sentence.h"
#include "text/story.h"
#include "text/summary.h"
#include "text/tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct td_tokenizer t;
    struct td_token tok;
    struct td_span s[256], kp[TD_KEYPOINTS_MAX];
    struct td_keyword kw[8];
    struct td_minhash sig;
    size_t prev_end = 0;

    td_tokenizer_init(&t, text, size);
    while (td_tokenizer_next(&t, &tok)) {
        TD_ASSERT(tok.off + tok.len <= size && tok.len > 0);
        TD_ASSERT(tok.word_len <= TD_TOKEN_MAX && tok.word[tok.word_len] == '\0');
    }
    size_t n = td_sentences_split(text, size, s, TD_ARRAY_SIZE(s));
    for (size_t i = 0; i < n; i++) {
        TD_ASSERT(s[i].off >= prev_end && s[i].off + s[i].len <= size && s[i].len > 0);
        prev_end = s[i].off + s[i].len;
    }
    struct td_analyzer *a = td_analyzer_new();
    size_t k = td_keypoints_article(a, "en", "Title", text, size, 5, kp);
    TD_ASSERT(k <= 5);
    for (size_t i = 0; i < k; i++) {
        TD_ASSERT(kp[i].off + kp[i].len <= size);
        TD_ASSERT(i == 0 || kp[i].off > kp[i - 1].off);
    }
    size_t e = td_entities_extract("en", text, size, kw, TD_ARRAY_SIZE(kw));
    for (size_t i = 0; i < e; i++)
        TD_ASSERT(strlen(kw[i].text) < TD_KEYWORD_MAX);
    (void)td_keywords_extract(a, "es", NULL, text, size, NULL, kw, TD_ARRAY_SIZE(kw));
    bool fp = td_minhash(text, size, &sig);

    struct td_story_index *idx = td_story_index_new(NULL);
    struct td_story_article art = {.ref = 1, .title = "t", .text = text, .text_len = size};
    struct td_story_placed p1, p2;
    struct td_story_member rel[4];
    TD_ASSERT(td_story_index_add(idx, &art, &p1) == 0);
    TD_ASSERT(td_story_index_add(idx, &art, &p2) == 0);
    if (fp)
        TD_ASSERT(p2.duplicate_of == p1.article && p2.story == p1.story);
    TD_ASSERT(td_story_index_related(idx, 0, rel, 4) <= 4);
    td_story_index_free(idx);
    td_analyzer_free(a);
    return 0;
}
