/*
 * analyze.h - the crawler's use of the text engine: key points, keywords
 * and named entities of each article, and its feed categories, stored as
 * key points and tags (store.h).  Internal to src/crawl/.
 *
 * A page is analysed right after extraction, on the thread that extracted
 * it (the worker, usually), so the CPU cost overlaps with the main
 * thread's database writes; the result rides in the page to store_page.
 * An article whose page gave no text is analysed from its title and the
 * feed's own text instead, on the main thread: failures are rare.
 * Articles stored before this existed are analysed by a bounded backlog
 * step at the start of every crawl pass.
 */
#ifndef TD_CRAWL_ANALYZE_H
#define TD_CRAWL_ANALYZE_H

#include "crawl/internal.h"
#include "store/store.h"

/* Key points given for a text: 3 to 5 of its sentences, by its length. */
#define TD_CRAWL_KEYPOINTS_MAX 5
/* Texts with fewer sentences get no key points: they are their own summary. */
#define TD_CRAWL_KEYPOINTS_MIN_SENTENCES 5
/* Tags taken from a text (entities, then keywords). */
#define TD_CRAWL_TEXT_TAGS_MAX 10
/* Articles of the backlog analysed per crawl pass. */
#define TD_CRAWL_BACKLOG_PER_PASS 500

struct td_crawl_analysis {
    const char *points[TD_CRAWL_KEYPOINTS_MAX];
    size_t n_points;
    struct td_tag tags[TD_CRAWL_TEXT_TAGS_MAX]; /* entities and keywords */
    size_t n_tags;
};

struct td_analyzer;

/*
 * Analyse an extracted page's text into page->analysis (page->arena); no-op
 * without text.  `a` is the calling thread's analyzer, kept from page to
 * page for the stems it remembers (text/tokenize.h); NULL: a new one.
 */
void td_crawl_analyze_page(struct td_crawl_page *page, struct td_analyzer *a);

/*
 * Store an analysis for article `id` (key points, entity and keyword
 * tags), or, when `an` is NULL, analyse what the store holds for it: its
 * text, else its title and the feed's content or summary.
 */
int td_crawl_analysis_store(struct td_store *st, int64_t id, const struct td_crawl_analysis *an);

/* Store an entry's feed categories as article `id`'s category tags. */
int td_crawl_categories_store(struct td_store *st, int64_t id, const char *const *categories,
                              size_t n);

/*
 * Analyse up to `max` articles that were stored without analysis (oldest
 * id first).  Returns how many, or a negative TD_E* on a store failure.
 */
int td_crawl_analyze_backlog(struct td_store *st, size_t max);

#endif
