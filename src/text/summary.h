/*
 * summary.h - key points: extractive summaries of an article or a story.
 *
 * Sentences (td_sentences_split) are scored by how central their content
 * words are: the cosine between the sentence's stemmed terms and the
 * whole text's term frequencies (for a story: in how many of its articles
 * each term occurs), plus similarity to the title, with a small bonus for
 * the opening sentence and a penalty for fragments and run-ons.  Sentences
 * are then picked greedily by maximal marginal relevance (Carbonell &
 * Goldstein, SIGIR 1998), and a candidate too similar to one already taken
 * is skipped outright, so a story's key points do not repeat a fact that
 * several outlets reported.  The result comes back in text order.
 */
#ifndef TD_TEXT_SUMMARY_H
#define TD_TEXT_SUMMARY_H

#include "base/compat.h"
#include "text/sentence.h"
#include "text/tokenize.h"

#define TD_KEYPOINTS_DEFAULT 4
#define TD_KEYPOINTS_MAX 20
/* Sentences considered per text; the rest of a very long text is ignored. */
#define TD_KEYPOINTS_MAX_SENTENCES 1000

/*
 * Pick up to `n` (at most TD_KEYPOINTS_MAX) key sentences of one article.
 * `title` may be NULL.  Writes spans of `text` to `out` in article order
 * and returns how many.
 */
size_t td_keypoints_article(struct td_analyzer *a, const char *lang, const char *title,
                            const char *text, size_t len, size_t n, struct td_span *out);

/* One article of a story, borrowed; oldest first is the expected order. */
struct td_keypoints_doc {
    const char *title;
    const char *text;
    size_t len;
    const char *lang;
};

struct td_keypoint {
    size_t doc;          /* index into the docs array */
    struct td_span span; /* in that doc's text */
};

/*
 * Up to `n` key points for a story drawn from all its articles, without
 * near-repeats, ordered by article then position.  Returns how many.
 */
size_t td_keypoints_story(struct td_analyzer *a, const struct td_keypoints_doc *docs, size_t ndocs,
                          size_t n, struct td_keypoint *out);

#endif
