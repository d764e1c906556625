/*
 * policy.h - when to fetch a feed next: the crawler's scheduling policy as
 * pure functions of what the last fetch learned.
 *
 * Three forces decide a feed's next fetch time:
 *   - its posting rate: a feed that posts every few minutes is polled often,
 *     one that posts weekly once a day (td_crawl_interval);
 *   - its errors: consecutive failures back off exponentially, with jitter
 *     so that feeds failing together do not retry together, up to a day and
 *     never giving up (td_crawl_backoff);
 *   - the server: a Retry-After on 429/503, a Cache-Control max-age or an
 *     Expires, and RSS <ttl> all say "not before"; we never fetch earlier
 *     than that (td_crawl_next_fetch).
 *
 * Nothing here reads a clock or a random source: the caller passes `now`
 * and random bits, so tests pin both.  Times are Unix seconds.
 */
#ifndef TD_CRAWL_POLICY_H
#define TD_CRAWL_POLICY_H

#include "base/compat.h"

#define TD_CRAWL_MIN_INTERVAL (5 * 60)        /* poll no feed more often than this */
#define TD_CRAWL_MAX_INTERVAL (24 * 3600)     /* and every feed at least this often */
#define TD_CRAWL_DEFAULT_INTERVAL 3600        /* until a feed's rate is known */
#define TD_CRAWL_RATE_WINDOW (30 * 86400)     /* entries older than this say nothing */
#define TD_CRAWL_BACKOFF_BASE (5 * 60)        /* the first retry after an error */
#define TD_CRAWL_BACKOFF_MAX (24 * 3600)      /* the longest wait between retries */
#define TD_CRAWL_FRESHNESS_MAX (7 * 86400)    /* ceiling on max-age/Expires/ttl (see below) */
#define TD_CRAWL_RETRY_AFTER_MAX (30 * 86400) /* ceiling on Retry-After */
#define TD_CRAWL_PAGE_ATTEMPTS 4              /* fetches of an article page before giving up */

/*
 * The polling interval for a feed whose entries carry the publication
 * times `dates[0..n)` (any order; 0 for an entry without a date).
 *
 * The rate is measured over the entries of the last TD_CRAWL_RATE_WINDOW:
 * k of them spread over the span from the oldest of them to `now` make one
 * post every span/k seconds, and we poll twice per expected post, so a new
 * entry waits half a posting gap on average.  Measuring up to `now` (not to
 * the newest entry) lets a feed that has gone quiet slow down by itself.
 * No recent entry at all gives TD_CRAWL_MAX_INTERVAL; no dated entry gives
 * `current` (nothing learnt), or TD_CRAWL_DEFAULT_INTERVAL if that is 0.
 * Dates after `now` count as `now`.  The result is clamped to
 * [TD_CRAWL_MIN_INTERVAL, TD_CRAWL_MAX_INTERVAL].
 */
int64_t td_crawl_interval(const int64_t *dates, size_t n, int64_t now, int64_t current);

/*
 * The wait before retrying after `errors` consecutive failures (>= 1):
 * TD_CRAWL_BACKOFF_BASE doubled per further failure, capped at
 * TD_CRAWL_BACKOFF_MAX, then jittered into [d/2, d) by `random` ("equal
 * jitter": never less than half the backoff, so retries stay spread out but
 * still slow down).  There is no error count after which a feed is dropped:
 * a feed that comes back is picked up within a day.
 */
int64_t td_crawl_backoff(int64_t errors, uint32_t random);

/* What one fetch of a feed learnt, as td_crawl_next_fetch needs it. */
struct td_crawl_schedule {
    int64_t now;         /* when the fetch finished */
    bool failed;         /* the fetch or the parse failed */
    int64_t errors;      /* consecutive failures, this one included (failed only) */
    int64_t interval;    /* the feed's polling interval (succeeded only) */
    int64_t retry_after; /* absolute time from Retry-After; 0 = none */
    int64_t fresh_until; /* absolute time from max-age, else Expires; 0 = none */
    int ttl_minutes;     /* RSS <ttl>; <= 0 = none */
    uint32_t random;     /* random bits for jitter */
};

/*
 * The time of the next fetch.  After a success: now + interval, plus up to
 * a tenth of it as jitter (feeds imported together drift apart).  After a
 * failure: now + td_crawl_backoff(errors).  Then the server's word: never
 * before retry_after (honoured up to TD_CRAWL_RETRY_AFTER_MAX ahead), and
 * after a success never before fresh_until or now + ttl.  Freshness hints
 * are honoured up to TD_CRAWL_FRESHNESS_MAX ahead only: static hosts that
 * send a year's max-age for every file would otherwise silence a feed for a
 * year.
 */
int64_t td_crawl_next_fetch(const struct td_crawl_schedule *s);

/*
 * Whether a failed fetch of an article page may succeed later, given the
 * fetch's error code (TD_E*) and HTTP status (0: no answer): no answer in
 * time or a dropped connection (TD_ENET, TD_ETIMEOUT), and 408, 425, 429
 * and 5xx may; any other status (403, 404, 410...) and a refusal by policy
 * or by size will not.  A retryable page is fetched again up to
 * TD_CRAWL_PAGE_ATTEMPTS times in all, on the schedule td_crawl_next_fetch
 * gives a failing feed (backoff, Retry-After honoured), in later passes.
 */
bool td_crawl_page_retryable(int err, long status);

#endif
