/*
 * internal.h - what the crawl module's files share.  Not for use outside
 * src/crawl/.
 *
 * The crawler sits on top of feed/, extract/ and store/, whose headers each
 * name their own records (feed.h's struct td_feed is a parsed document,
 * store.h's is a database row; extract.h's struct td_article is a page's
 * article, store.h's a stored one).  They cannot meet in one translation
 * unit, so each side is adapted here into the plain records below: doc.c
 * speaks feed.h, page.c speaks extract.h and html.h, and crawl.c and
 * subscribe.c speak store.h and net.h.
 */
#ifndef TD_CRAWL_INTERNAL_H
#define TD_CRAWL_INTERNAL_H

#include "base/compat.h"
#include "base/arena.h"
#include "base/buf.h"

/*
 * The store's caps (store.h TD_STORE_*_MAX), repeated here for the files
 * that cannot include store.h; crawl.c checks at compile time that they
 * agree.
 */
#define TD_CRAWL_URL_MAX 4096
#define TD_CRAWL_LINE_MAX 4096
#define TD_CRAWL_TEXT_MAX (1u << 20)
#define TD_CRAWL_HTML_MAX (2u << 20)
#define TD_CRAWL_AUTHORS_MAX 32
#define TD_CRAWL_TAG_MAX 96 /* store.h TD_STORE_TAG_MAX */
/* Categories kept per entry: beyond a few, feeds list keywords for search engines. */
#define TD_CRAWL_CATEGORIES_MAX 12

/* ---- doc.c: a feed document, as the store wants its entries ----------- */

/*
 * One entry, ready to be stored: every string valid UTF-8 within the
 * store's caps, NULL when absent; HTML fields sanitized HTML (plain-text
 * summaries are escaped into it).
 */
struct td_crawl_entry {
    const char *key; /* identity within the feed (never NULL) */
    const char *url; /* the article page, normalized, no fragment; NULL: none */
    const char *title;
    const char **authors;
    size_t n_authors;
    int64_t published, updated; /* 0: unknown */
    bool date_clamped;
    const char *summary_html;
    const char *content_html;
    const char *image_url;
    const char *image_caption;
    const char *image_credit;
    const char **categories; /* the feed's categories (tags), display form */
    size_t n_categories;
};

struct td_crawl_doc {
    struct td_arena arena; /* owns everything below */
    const char *title;     /* the feed's title, NULL if none */
    const char *site_url;  /* the site's home page, NULL if none */
    const char *icon_url;
    int ttl_minutes; /* RSS <ttl>, -1 if absent */
    bool bozo;       /* recovered from malformed input */
    const char *bozo_reason;
    struct td_crawl_entry *entries;
    size_t n_entries;
};

/*
 * Parse a fetched feed body into `doc` (initialised here; release with
 * td_crawl_doc_release even on failure).  `url` is where it came from (the
 * base for relative links), `content_type` the HTTP header (may be NULL),
 * `tz` the feed's zone for dates that name none (NULL: UTC), `now` the
 * fetch time (later dates are clamped to it).  Errors: those of
 * td_feed_parse, with a line in `why`.
 */
int td_crawl_doc_parse(const char *data, size_t len, const char *url, const char *content_type,
                       const char *tz, int64_t now, struct td_crawl_doc *doc, char *why,
                       size_t whylen);
void td_crawl_doc_release(struct td_crawl_doc *doc);

/* One subscription of an OPML document. */
struct td_crawl_outline {
    const char *title;    /* NULL if none */
    const char *xml_url;  /* the feed */
    const char *html_url; /* the site; NULL if none */
    /* Folders, "News/World", then ",attr" for a category attribute; NULL if none */
    const char *category;
};

/*
 * Parse an OPML file into `*items` (arena array of `*n`, strings in
 * `arena`).  Outlines without an http(s) feed URL are skipped and counted
 * in `*skipped`.
 */
int td_crawl_opml_read(const char *data, size_t len, struct td_arena *arena,
                       struct td_crawl_outline **items, size_t *n, size_t *skipped);
/* Write an OPML 2.0 document of `items` to `out`. */
int td_crawl_opml_write(const struct td_crawl_outline *items, size_t n, struct td_buf *out);

/* ---- page.c: an article page -------------------------------------------- */

struct td_crawl_analysis;

/*
 * What extraction found in one page, with the same conventions as an
 * entry (NULL absent, within the store's caps).  `error` is NULL on
 * success, else why nothing was extracted.
 */
struct td_crawl_page {
    struct td_arena arena;
    const char *title;
    const char **authors;
    size_t n_authors;
    int64_t published;
    const char *language;
    const char *image_url, *image_caption, *image_credit, *image_alt;
    const char *text;
    const char *html;
    int64_t word_count;
    const char *error;
    /* Key points and tags of the text (analyze.h), in `arena`; NULL until analysed. */
    struct td_crawl_analysis *analysis;
};

/*
 * Decode `body` through the charset chain (BOM, Content-Type, meta,
 * detection) and extract its article.  Always fills `page` (release with
 * td_crawl_page_release); an extraction failure is reported in page->error,
 * not as a return value.
 */
void td_crawl_page_extract(const char *body, size_t len, const char *content_type, const char *url,
                           struct td_crawl_page *page);
void td_crawl_page_release(struct td_crawl_page *page);

/*
 * Find feed links in an HTML page: <link rel="alternate"> with an RSS,
 * Atom or JSON Feed type, in document order, resolved against the page URL
 * (or its <base href>).  Appends each absolute URL, NUL-terminated, to
 * `out` (so out->buf holds `*n` consecutive C strings).  `icon` (may be
 * NULL), if empty, gets the page's first <link rel="icon"> (or "shortcut
 * icon"), resolved the same way; it stays empty when the page names none.
 */
int td_crawl_discover(const char *body, size_t len, const char *content_type, const char *url,
                      struct td_buf *out, size_t *n, struct td_buf *icon);

/* ---- story.c: placing during a pass ------------------------------------- */

/*
 * The placer: a thread that owns a story index (crawl.h) for the length of
 * a pass and places chunks of the articles stored so far while the pass
 * fetches and extracts, so placing overlaps with the rest instead of
 * following it.  The crawler's thread keeps the store: it reads each chunk
 * (the articles waiting for a placement, oldest first, as
 * td_crawl_stories_update does) and writes the placements the placer hands
 * back, in their order, in its own batches.  A chunk is read only when the
 * last one's placements are committed, so it holds exactly the articles not
 * placed yet; the articles stored after the last chunk are placed after the
 * pass by td_crawl_stories_update.
 */
struct td_store;
struct td_crawl_stories;
struct td_crawl_placer;

/* Start a placer on `s` (rebuilt from the store first if needed); NULL if it cannot run. */
struct td_crawl_placer *td_crawl_placer_start(struct td_store *st, struct td_crawl_stories *s);
/* Nothing to place and nothing to hand back. */
bool td_crawl_placer_idle(struct td_crawl_placer *p);
/* Placements are waiting for td_crawl_placer_write. */
bool td_crawl_placer_has_output(struct td_crawl_placer *p);
/* Wait until the chunk handed over is placed (or the placer failed). */
void td_crawl_placer_wait(struct td_crawl_placer *p);
/* The index refused an article (the placer stopped; see td_crawl_placer_stop). */
bool td_crawl_placer_failed(struct td_crawl_placer *p);
/*
 * When idle, read up to `max` articles waiting for a placement and hand
 * them to the placer.  Returns how many (0 when not idle), or a store error.
 */
int td_crawl_placer_feed(struct td_store *st, struct td_crawl_placer *p, size_t max);
/*
 * Store the placements made so far (inside the caller's transaction, if
 * any), `*written` of them.  A store failure is returned: the index is then
 * ahead of the store, so the caller stops the placer with `discard`.
 */
int td_crawl_placer_write(struct td_store *st, struct td_crawl_placer *p, size_t *written);
/*
 * Stop the placer (NULL: no-op).  With `discard`, or when placements were
 * made that were not written, the index is dropped, to be rebuilt from the
 * store by the next update.
 */
void td_crawl_placer_stop(struct td_crawl_placer *p, bool discard);

/* ---- shared helpers (util.c) -------------------------------------------- */

/*
 * A copy of `s` in `arena` fit for the store: invalid UTF-8 repaired, cut
 * at a character boundary to at most `max` bytes.  NULL for NULL or "".
 */
const char *td_crawl_clip(struct td_arena *arena, const char *s, size_t max);

/*
 * Normalize an absolute http(s) URL for storing and fetching (lowercase
 * scheme and host, default port dropped, fragment dropped) into `out`.
 * TD_EINVAL for anything else.
 */
int td_crawl_url_norm(const char *url, struct td_buf *out);

#endif
