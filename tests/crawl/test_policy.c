/*
 * The scheduling policy: interval from the posting rate, backoff with
 * jitter, and the server's "not before" hints (Retry-After, max-age or
 * Expires, RSS ttl), all with a pinned clock and pinned random bits.
 */
#include "base/compat.h"
#include "base/error.h"
#include "crawl/policy.h"

#include "harness/tap.h"

#define NOW ((int64_t)1700000000)
#define MIN 60
#define HOUR 3600
#define DAY 86400

static void test_interval_busy_feed_hits_floor(void)
{
    int64_t d[20];

    /* 20 posts in the last 20 minutes: one a minute, poll every 30 s -> floor. */
    for (int i = 0; i < 20; i++)
        d[i] = NOW - i * MIN - 30;
    ASSERT_EQ(td_crawl_interval(d, 20, NOW, 0), TD_CRAWL_MIN_INTERVAL);
}

static void test_interval_follows_rate(void)
{
    int64_t d[10];

    /* 10 posts over the last 10 days: one a day, poll twice a day. */
    for (int i = 0; i < 10; i++)
        d[i] = NOW - (i + 1) * DAY;
    ASSERT_EQ(td_crawl_interval(d, 10, NOW, 0), 10 * DAY / 20);
    /* 10 posts over the last 20 hours: every 2 h, poll hourly. */
    for (int i = 0; i < 10; i++)
        d[i] = NOW - (i + 1) * 2 * HOUR;
    ASSERT_EQ(td_crawl_interval(d, 10, NOW, 0), HOUR);
}

static void test_interval_quiet_feed_slows_down(void)
{
    int64_t d[3] = {NOW - 5 * MIN, NOW - 6 * MIN, NOW - 7 * MIN};
    int64_t busy = td_crawl_interval(d, 3, NOW, 0);

    /* The same three posts seen two days later: the feed went quiet. */
    int64_t later = td_crawl_interval(d, 3, NOW + 2 * DAY, 0);
    ASSERT_EQ(busy, TD_CRAWL_MIN_INTERVAL);
    ASSERT_EQ(later, (2 * DAY + 7 * MIN) / 6);
    /* Ten days later the ceiling is reached. */
    ASSERT_EQ(td_crawl_interval(d, 3, NOW + 10 * DAY, 0), TD_CRAWL_MAX_INTERVAL);
}

static void test_interval_old_entries_give_ceiling(void)
{
    int64_t d[2] = {NOW - 40 * DAY, NOW - 400 * DAY};

    ASSERT_EQ(td_crawl_interval(d, 2, NOW, 600), TD_CRAWL_MAX_INTERVAL);
}

static void test_interval_undated_keeps_current(void)
{
    int64_t d[3] = {0, 0, 0};

    ASSERT_EQ(td_crawl_interval(d, 3, NOW, 2 * HOUR), 2 * HOUR);
    ASSERT_EQ(td_crawl_interval(d, 3, NOW, 0), TD_CRAWL_DEFAULT_INTERVAL);
    ASSERT_EQ(td_crawl_interval(NULL, 0, NOW, 0), TD_CRAWL_DEFAULT_INTERVAL);
    /* A stored interval outside the bounds is pulled back into them. */
    ASSERT_EQ(td_crawl_interval(NULL, 0, NOW, 7 * DAY), TD_CRAWL_MAX_INTERVAL);
    ASSERT_EQ(td_crawl_interval(NULL, 0, NOW, 1), TD_CRAWL_MIN_INTERVAL);
}

static void test_interval_future_dates_count_as_now(void)
{
    /* Dates in the future (clock skew, lies) do not make a feed look busier. */
    int64_t d[2] = {NOW + 30 * DAY, NOW - DAY};

    ASSERT_EQ(td_crawl_interval(d, 2, NOW, 0), DAY / 4);
}

static void test_backoff_doubles_and_caps(void)
{
    /* random = 0 gives the low end of the jitter range, d/2. */
    ASSERT_EQ(td_crawl_backoff(1, 0), TD_CRAWL_BACKOFF_BASE / 2);
    ASSERT_EQ(td_crawl_backoff(2, 0), TD_CRAWL_BACKOFF_BASE);
    ASSERT_EQ(td_crawl_backoff(3, 0), 2 * TD_CRAWL_BACKOFF_BASE);
    ASSERT_EQ(td_crawl_backoff(40, 0), TD_CRAWL_BACKOFF_MAX / 2);
    /* Never gives up, never overflows, never exceeds the cap. */
    ASSERT_LT(td_crawl_backoff(INT64_MAX, UINT32_MAX), TD_CRAWL_BACKOFF_MAX);
    ASSERT_GE(td_crawl_backoff(1000000, 12345), TD_CRAWL_BACKOFF_MAX / 2);
}

static void test_backoff_jitter_spreads(void)
{
    int64_t lo = INT64_MAX, hi = 0;
    uint32_t x = 2463534242u;

    for (int i = 0; i < 1000; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        int64_t d = td_crawl_backoff(4, x);
        ASSERT_GE(d, 4 * TD_CRAWL_BACKOFF_BASE);
        ASSERT_LT(d, 8 * TD_CRAWL_BACKOFF_BASE);
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    /* Feeds failing together retry at different moments. */
    ASSERT_GT(hi - lo, 2 * TD_CRAWL_BACKOFF_BASE);
}

static void test_next_after_success(void)
{
    struct td_crawl_schedule s = {.now = NOW, .interval = HOUR};

    ASSERT_EQ(td_crawl_next_fetch(&s), NOW + HOUR);
    s.random = UINT32_MAX;
    ASSERT_GE(td_crawl_next_fetch(&s), NOW + HOUR);
    ASSERT_LE(td_crawl_next_fetch(&s), NOW + HOUR + HOUR / 10);
}

static void test_next_after_error_backs_off(void)
{
    struct td_crawl_schedule s = {.now = NOW, .failed = true, .errors = 3, .interval = 10 * MIN};

    ASSERT_EQ(td_crawl_next_fetch(&s), NOW + 2 * TD_CRAWL_BACKOFF_BASE);
    s.errors = 100;
    ASSERT_LE(td_crawl_next_fetch(&s), NOW + TD_CRAWL_BACKOFF_MAX);
    ASSERT_GE(td_crawl_next_fetch(&s), NOW + TD_CRAWL_BACKOFF_MAX / 2);
}

static void test_next_honours_retry_after(void)
{
    /* 429 with Retry-After two hours: the first backoff would be 2.5 min. */
    struct td_crawl_schedule s = {
        .now = NOW, .failed = true, .errors = 1, .retry_after = NOW + 2 * HOUR};

    ASSERT_EQ(td_crawl_next_fetch(&s), NOW + 2 * HOUR);
    /* A short Retry-After does not shorten the backoff. */
    s.errors = 5;
    s.retry_after = NOW + 10;
    ASSERT_EQ(td_crawl_next_fetch(&s), NOW + 16 * TD_CRAWL_BACKOFF_BASE / 2);
    /* An absurd one is bounded. */
    s.retry_after = NOW + 365 * DAY;
    ASSERT_EQ(td_crawl_next_fetch(&s), NOW + TD_CRAWL_RETRY_AFTER_MAX);
}

static void test_next_honours_freshness(void)
{
    struct td_crawl_schedule s = {.now = NOW, .interval = 10 * MIN, .fresh_until = NOW + 3 * HOUR};

    /* max-age / Expires later than our own schedule win. */
    ASSERT_EQ(td_crawl_next_fetch(&s), NOW + 3 * HOUR);
    /* Earlier ones do not pull the schedule forward. */
    s.fresh_until = NOW + MIN;
    ASSERT_EQ(td_crawl_next_fetch(&s), NOW + 10 * MIN);
    /* RSS ttl is minutes. */
    s.fresh_until = 0;
    s.ttl_minutes = 90;
    ASSERT_EQ(td_crawl_next_fetch(&s), NOW + 90 * MIN);
    /* A year of max-age is held to the ceiling. */
    s.ttl_minutes = 0;
    s.fresh_until = NOW + 365 * DAY;
    ASSERT_EQ(td_crawl_next_fetch(&s), NOW + TD_CRAWL_FRESHNESS_MAX);
}

static void test_next_error_ignores_freshness(void)
{
    /* A failed fetch has nothing fresh: max-age of an error page is moot. */
    struct td_crawl_schedule s = {
        .now = NOW, .failed = true, .errors = 1, .fresh_until = NOW + DAY, .ttl_minutes = 600};

    ASSERT_EQ(td_crawl_next_fetch(&s), NOW + TD_CRAWL_BACKOFF_BASE / 2);
}

/* A page fetch that may pass later is retried; one that says "not here" is not. */
static void test_page_retryable(void)
{
    ASSERT(td_crawl_page_retryable(TD_EHTTP, 503));
    ASSERT(td_crawl_page_retryable(TD_EHTTP, 500));
    ASSERT(td_crawl_page_retryable(TD_EHTTP, 429));
    ASSERT(td_crawl_page_retryable(TD_EHTTP, 408));
    ASSERT(td_crawl_page_retryable(TD_ETIMEOUT, 0));
    ASSERT(td_crawl_page_retryable(TD_ENET, 0));
    ASSERT(!td_crawl_page_retryable(TD_EHTTP, 404));
    ASSERT(!td_crawl_page_retryable(TD_EHTTP, 410));
    ASSERT(!td_crawl_page_retryable(TD_EHTTP, 403));
    ASSERT(!td_crawl_page_retryable(TD_ETOOBIG, 200));
    ASSERT(!td_crawl_page_retryable(TD_EDENIED, 0));
}

static const struct tap_test tests[] = {
    TAP_TEST(test_interval_busy_feed_hits_floor),
    TAP_TEST(test_interval_follows_rate),
    TAP_TEST(test_interval_quiet_feed_slows_down),
    TAP_TEST(test_interval_old_entries_give_ceiling),
    TAP_TEST(test_interval_undated_keeps_current),
    TAP_TEST(test_interval_future_dates_count_as_now),
    TAP_TEST(test_backoff_doubles_and_caps),
    TAP_TEST(test_backoff_jitter_spreads),
    TAP_TEST(test_next_after_success),
    TAP_TEST(test_next_after_error_backs_off),
    TAP_TEST(test_next_honours_retry_after),
    TAP_TEST(test_next_honours_freshness),
    TAP_TEST(test_next_error_ignores_freshness),
    TAP_TEST(test_page_retryable),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
