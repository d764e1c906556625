/*
 * crawl.h - the crawler: from subscribed feeds to stored, extracted
 * articles, and the subscription commands around it.
 *
 * One crawl pass (td_crawl_run) does, with every fetch running concurrently
 * on one td_net_multi (at most TD_CRAWL_PER_HOST at once per host, each URL
 * fetched once however many feeds list it):
 *   1. every feed that is due is fetched with a conditional GET (its stored
 *      ETag / Last-Modified); a 304 parses nothing;
 *   2. a changed feed is parsed; entries already stored are updated
 *      (idempotent on the entry's identity) and every new entry's page is
 *      queued;
 *   3. every new entry's page is fetched, decoded through the charset chain
 *      and run through the extractor, and the entry is stored together with
 *      the extracted article, in one write; when extraction fails, the
 *      feed's content is stored and the reason recorded (extract_error).
 *      An entry whose page another entry already fetched (another feed, an
 *      earlier crawl) reuses that extraction;
 *   4. once all of them are stored, the feed's new validators, schedule
 *      (policy.h) and error state are; a permanent redirect moves the
 *      feed's stored URL.
 * Writes are grouped into transactions of a few hundred rows (at most half
 * a second apart).  Because a feed's fetch state is stored after its new
 * entries, a kill -9 at any moment loses nothing committed: a feed whose
 * entries were not all stored is still due with its old validators, and
 * the next pass fetches it again.  Entries stored without their page by an
 * older build are picked up by the next pass too.
 *
 * Private, loopback and link-local targets are refused unless the feed was
 * added with allow_private; its pages inherit the feed's permission.
 */
#ifndef TD_CRAWL_H
#define TD_CRAWL_H

#include "base/compat.h"
#include "base/buf.h"

#include <signal.h>

struct td_store;
struct td_crawl_stories;

#define TD_CRAWL_PER_HOST 2     /* concurrent fetches to one host */
#define TD_CRAWL_CONCURRENCY 16 /* concurrent fetches in all */

/* Counters of one pass, for progress display and reports. */
struct td_crawl_stats {
    size_t feeds_due;          /* feeds found due (grows as batches are listed) */
    size_t feeds_done;         /* feeds fetched and recorded, failed or not */
    size_t feeds_failed;       /* fetch or parse failed */
    size_t feeds_not_modified; /* 304 */
    size_t entries_seen;       /* entries in the feeds parsed */
    size_t entries_new;        /* entries stored for the first time */
    size_t pages_queued;       /* page fetches needed (new entries, resumed ones) */
    size_t pages_done;         /* pages fetched, extracted (or failed) and stored */
    size_t pages_failed;       /* fetch or extraction failed */
    size_t pages_reused;       /* extraction copied from an article with the same URL */
    size_t db_errors;          /* writes the database refused */
    size_t stories_placed;     /* articles placed in stories */
};

struct td_crawl_opts {
    int concurrency; /* 0 = TD_CRAWL_CONCURRENCY */
    int per_host;    /* 0 = TD_CRAWL_PER_HOST */
    long timeout_ms; /* per fetch; 0 = net's default */
    /* Called after each finished feed or page (and once at the end). */
    void (*progress)(const struct td_crawl_stats *stats, void *arg);
    void *progress_arg;
    /* When non-NULL and set (by a signal handler), the pass stops early. */
    volatile sig_atomic_t *stop;
    /* The story index kept between passes (td_crawl_loop makes one); NULL:
     * td_crawl_run rebuilds one for its pass. */
    struct td_crawl_stories *stories;
};

/*
 * One crawl pass over the feeds due now, as described above.  Returns 0
 * when the pass ran (feeds failing is normal and is recorded per feed, not
 * returned), or a negative code when the database or the fetcher failed as
 * a whole.  `stats` (may be NULL) receives the counters.
 */
int td_crawl_run(struct td_store *st, const struct td_crawl_opts *opts,
                 struct td_crawl_stats *stats);

/*
 * Crawl until *opts->stop is set: a pass, then sleep until the next feed
 * is due (at most a minute, so feeds added meanwhile are seen).
 */
int td_crawl_loop(struct td_store *st, const struct td_crawl_opts *opts);

/* ---- stories (story.c) --------------------------------------------------- */

/*
 * The crawler's story index (text/story.h): every article whose page has
 * been dealt with is placed in a story, and the placement stored
 * (td_store_story_assign): its story, the original it copies if it is a
 * near-duplicate, the story's representative, and its nearest neighbours
 * in other stories.  An article whose extraction failed is placed on its
 * title and feed summary.
 *
 * The index lives in memory.  The first update rebuilds it by adding the
 * placed articles again in the order they were placed, with their stored
 * story ids, so ids stay stable across restarts; then the articles waiting
 * for a placement are placed, oldest first.  td_crawl_run places during
 * the pass, on a thread of its own, in chunks of the articles stored so far
 * (each chunk oldest first), and after it what was stored since the last
 * chunk; a pass storing fewer than a few hundred articles is placed after
 * it, all at once.
 */
struct td_crawl_stories *td_crawl_stories_new(void);
void td_crawl_stories_free(struct td_crawl_stories *s);
/*
 * Rebuild if needed, then place every article waiting.  `*placed` (may be
 * NULL) gets the number placed.  A store failure is returned; the articles
 * not placed wait for the next update.
 */
int td_crawl_stories_update(struct td_store *st, struct td_crawl_stories *s, size_t *placed);

/* ---- subscriptions ------------------------------------------------------ */

/*
 * Subscribe to `url`: fetch it; if it is a feed, add it; if it is an HTML
 * page, follow its first <link rel="alternate"> to a feed and add that.
 * The feed's outlet (its site) is recorded too.  `allow_private` lets the
 * feed (and its pages) live on private or loopback addresses.  `tz` (may
 * be NULL) is the feed's zone for dates that name none ("Europe/Berlin");
 * an unknown name is refused (TD_EINVAL), and for a feed already
 * subscribed it replaces the stored one.  On success
 * `feed_url` gets the URL subscribed to and `*created` whether it is new.
 * On failure `why` explains (TD_ENOTFOUND: the page names no feed).
 */
int td_crawl_add(struct td_store *st, const char *url, bool allow_private, const char *tz,
                 struct td_buf *feed_url, bool *created, char *why, size_t whylen);

/* Counters of an OPML import. */
struct td_crawl_import {
    size_t outlines; /* feeds listed */
    size_t added;    /* new subscriptions */
    size_t existing; /* already subscribed */
    size_t skipped;  /* outlines without a usable http(s) feed URL */
    size_t failed;   /* refused by the database */
};

/*
 * Subscribe to every feed an OPML document lists, without fetching them
 * (the next crawl does).  Each feed keeps its outline's category (its
 * folders, and its category attribute), also when already subscribed.  `progress` (may be NULL) is
 * called after each outline with (done, total, failed).  TD_EPARSE: not OPML.
 */
int td_crawl_import_opml(struct td_store *st, const char *data, size_t len, bool allow_private,
                         void (*progress)(size_t done, size_t total, size_t failed, void *arg),
                         void *arg, struct td_crawl_import *out);

/* Every subscription as an OPML 2.0 document, in its category's folders, appended to `out`. */
int td_crawl_export_opml(struct td_store *st, struct td_buf *out);

#endif
