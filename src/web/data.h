/*
 * data.h - from the store's records to the views' structs (internal to web/).
 *
 * Handlers load what a page needs through these helpers, which allocate in
 * the request's arena: outlet names for bylines, plain-text teasers from
 * feed summaries, and the "Related articles" ranking.
 */
#ifndef TD_WEB_DATA_H
#define TD_WEB_DATA_H

#include "base/compat.h"
#include "base/arena.h"
#include "store/store.h"
#include "web/view.h"

/* Every outlet, sorted by id for lookups. */
struct td_web_outlets {
    struct td_outlet *items;
    size_t n;
};

int td_web_outlets_load(struct td_store *st, struct td_arena *a, struct td_web_outlets *o);
const struct td_outlet *td_web_outlet_find(const struct td_web_outlets *o, int64_t id);
/* By name, ignoring ASCII case; or by id when `name` is all digits. */
const struct td_outlet *td_web_outlet_named(const struct td_web_outlets *o, const char *name);

/*
 * Fill `v` from `a`: authors joined with ", ", the teaser from the feed's
 * summary (or the text when loaded), body text from the extracted text (or
 * the feed's content as text when extraction has not happened).
 */
void td_web_article_view_of(struct td_arena *arena, const struct td_web_outlets *o,
                            const struct td_article *a, struct td_web_article_view *v);

/*
 * Visible text of an HTML fragment: tags dropped (with script and style
 * contents), the common entities and numeric references decoded, white
 * space collapsed, at most `max` bytes (cut at a word, with "..." added).
 */
char *td_web_plain_text(struct td_arena *a, const char *html, size_t max);

/*
 * Related articles for `a`, until story clustering exists: among the most
 * recent articles, those whose titles share the rarest terms with `a`'s
 * title and opening, weighted towards nearby publication times.  At most
 * `max` views into `*out` (arena).
 */
int td_web_related(struct td_store *st, struct td_arena *arena, const struct td_web_outlets *o,
                   const struct td_article *a, size_t max, struct td_web_article_view **out,
                   size_t *n);

/* ---- stories (story.c) ---- */

/* "A", "A and B", "A, B and 4 more": the first names, then how many others. */
const char *td_web_story_outlets_line(struct td_arena *a, const char *const *names, size_t n_names,
                                      int64_t n_outlets);
void td_web_story_view_of(struct td_arena *a, const struct td_story *s,
                          struct td_web_story_view *v);

/*
 * Related articles for `a`: for a placed article, the store's story
 * ranking (the rest of its story, then its nearest neighbours, never a
 * near-duplicate of itself); else td_web_related.
 */
int td_web_related_of(struct td_store *st, struct td_arena *arena, const struct td_web_outlets *o,
                      const struct td_article *a, size_t max, struct td_web_article_view **out,
                      size_t *n);

/* Set each view's `also`: the outlets of its near-duplicates. */
int td_web_also_fill(struct td_store *st, struct td_arena *arena, const struct td_web_outlets *o,
                     struct td_web_article_view *views, size_t n);

/* Tag records as views (arena array; NULL when n == 0). */
struct td_web_tag_view *td_web_tag_views(struct td_arena *arena, const struct td_tag *tags,
                                         size_t n);

/*
 * Article `id`'s key points and tags for its page and the API: nothing
 * (n = 0) when it was never analysed or the store fails, which the page
 * shows as no section at all.
 */
void td_web_article_extras(struct td_store *st, struct td_arena *arena, int64_t id,
                           const char *const **keypoints, size_t *n_keypoints,
                           struct td_web_tag_view **tags, size_t *n_tags);

/*
 * A story's key points: one extractive summary (td_keypoints_story) over
 * the key points of its members (oldest first, near-duplicates left out),
 * so a fact that several outlets reported is given once.  At most `max`
 * points, in the arena; 0 when no member has key points.
 */
size_t td_web_story_keypoints(struct td_store *st, struct td_arena *arena,
                              const struct td_article *members, size_t n, size_t max,
                              const char *const **out);

/* The few popular tags the header shows on the home page (none on failure). */
void td_web_topics(struct td_store *st, struct td_arena *arena, struct td_web_page *page);

#endif
