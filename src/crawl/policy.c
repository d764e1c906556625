/*
 * policy.c - the crawler's scheduling policy: polling interval from the
 * posting rate, backoff on errors, and the server's "not before" hints.
 * Pure functions; see policy.h for the reasoning behind each rule.
 */
#include "base/compat.h"
#include "base/error.h"
#include "crawl/policy.h"

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int64_t td_crawl_interval(const int64_t *dates, size_t n, int64_t now, int64_t current)
{
    int64_t oldest = 0;
    size_t dated = 0, recent = 0;

    for (size_t i = 0; i < n; i++) {
        int64_t t = dates[i];

        if (t <= 0)
            continue;
        dated++;
        if (t > now)
            t = now;
        if (now - t > TD_CRAWL_RATE_WINDOW)
            continue;
        if (!recent || t < oldest)
            oldest = t;
        recent++;
    }
    if (!dated)
        return clamp(current > 0 ? current : TD_CRAWL_DEFAULT_INTERVAL, TD_CRAWL_MIN_INTERVAL,
                     TD_CRAWL_MAX_INTERVAL);
    if (!recent)
        return TD_CRAWL_MAX_INTERVAL;
    /* One post per span/recent seconds; poll twice per post. */
    int64_t span = now - oldest;
    return clamp(span / (2 * (int64_t)recent), TD_CRAWL_MIN_INTERVAL, TD_CRAWL_MAX_INTERVAL);
}

int64_t td_crawl_backoff(int64_t errors, uint32_t random)
{
    int64_t d = TD_CRAWL_BACKOFF_BASE;

    for (int64_t i = 1; i < errors && d < TD_CRAWL_BACKOFF_MAX; i++)
        d *= 2;
    if (d > TD_CRAWL_BACKOFF_MAX)
        d = TD_CRAWL_BACKOFF_MAX;
    return d / 2 + (int64_t)(random % (uint32_t)(d - d / 2));
}

/* Push `next` back to `hint` when the server asked, within `ceiling` of now. */
static int64_t not_before(int64_t next, int64_t hint, int64_t now, int64_t ceiling)
{
    if (hint <= 0)
        return next;
    if (hint > now + ceiling)
        hint = now + ceiling;
    return hint > next ? hint : next;
}

int64_t td_crawl_next_fetch(const struct td_crawl_schedule *s)
{
    int64_t next;

    if (s->failed) {
        next = s->now + td_crawl_backoff(s->errors > 0 ? s->errors : 1, s->random);
    } else {
        int64_t iv = clamp(s->interval > 0 ? s->interval : TD_CRAWL_DEFAULT_INTERVAL,
                           TD_CRAWL_MIN_INTERVAL, TD_CRAWL_MAX_INTERVAL);
        next = s->now + iv + (int64_t)(s->random % (uint32_t)(iv / 10 + 1));
        next = not_before(next, s->fresh_until, s->now, TD_CRAWL_FRESHNESS_MAX);
        if (s->ttl_minutes > 0)
            next = not_before(next, s->now + (int64_t)s->ttl_minutes * 60, s->now,
                              TD_CRAWL_FRESHNESS_MAX);
    }
    return not_before(next, s->retry_after, s->now, TD_CRAWL_RETRY_AFTER_MAX);
}

bool td_crawl_page_retryable(int err, long status)
{
    if (err == TD_EHTTP)
        return status == 408 || status == 425 || status == 429 || status >= 500;
    return err == TD_ENET || err == TD_ETIMEOUT;
}
