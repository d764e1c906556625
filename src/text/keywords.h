/*
 * keywords.h - keywords and named entities of an article, for tags and
 * search.
 *
 * Keywords are TF-IDF terms: content words (no stop words, numbers or
 * words under three letters), stemmed so that inflections count together,
 * title words counting double, shown in their first folded form.  Entities
 * are capitalised word sequences, as written ("Bank of America", "Paris",
 * "NATO"): a run of capitalised words joined by spaces, possibly through
 * a lower-case connector ("of", "de", "van"...); a lone capitalised word
 * counts only away from a sentence start (so "The" or "Yesterday" opening
 * a sentence is not a name), an acronym everywhere; leading and trailing
 * stop words, day and month names are dropped.
 */
#ifndef TD_TEXT_KEYWORDS_H
#define TD_TEXT_KEYWORDS_H

#include "base/compat.h"
#include "text/tokenize.h"
#include "text/vector.h"

#define TD_KEYWORD_MAX 96 /* bytes, NUL included; longer ones are cut */
/* Tokens examined per text; the rest of a very long text is ignored. */
#define TD_KEYWORDS_MAX_TOKENS 20000

struct td_keyword {
    char text[TD_KEYWORD_MAX];
    float score; /* keywords: tf-idf; entities: occurrences */
};

/*
 * Up to `max` keywords of an article, best first.  `df` supplies the
 * document frequencies (e.g. the story index's); NULL ranks by frequency
 * alone.  `title` may be NULL.  Returns how many were written.
 */
size_t td_keywords_extract(struct td_analyzer *a, const char *lang, const char *title,
                           const char *text, size_t len, const struct td_df *df,
                           struct td_keyword *out, size_t max);

/* Up to `max` named entities of a text, most frequent first (ties: first seen). */
size_t td_entities_extract(const char *lang, const char *text, size_t len, struct td_keyword *out,
                           size_t max);

/*
 * The slug of a tag: `len` bytes of `term` folded (NFKC + case folding),
 * letters, marks and digits kept (any script), every other run of
 * characters one '-', none at either end.  Written NUL-terminated into
 * `out` (`cap` bytes, at least 1; cut at a character) and its length
 * returned; 0 when the term has no letter or digit.
 */
size_t td_tag_slug(const char *term, size_t len, char *out, size_t cap);

#endif
