/*
 * Unit tests for the scheduling hints read from response headers:
 * HTTP-dates, Retry-After, Cache-Control max-age, Expires, and how
 * td_net_not_before picks among them.
 */
#include "base/compat.h"
#include "net/net.h"

#include "harness/tap.h"

/* 2026-11-24T12:00:00Z */
#define NOW ((time_t)1795521600)

static void test_http_date_forms(void)
{
    /* RFC 9110 5.6.7: IMF-fixdate, obsolete RFC 850 and asctime forms */
    ASSERT_EQ(td_net_http_date("Tue, 24 Nov 2026 12:00:00 GMT"), NOW);
    ASSERT_EQ(td_net_http_date("Tuesday, 24-Nov-26 12:00:00 GMT"), NOW);
    ASSERT_EQ(td_net_http_date("Tue Nov 24 12:00:00 2026"), NOW);
    ASSERT_EQ(td_net_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
    ASSERT_EQ(td_net_http_date(""), -1);
    ASSERT_EQ(td_net_http_date(NULL), -1);
    ASSERT_EQ(td_net_http_date("not a date"), -1);
}

static void test_retry_after(void)
{
    ASSERT_EQ(td_net_retry_after("120", NOW), NOW + 120);
    ASSERT_EQ(td_net_retry_after("  0 ", NOW), NOW);
    ASSERT_EQ(td_net_retry_after("Tue, 24 Nov 2026 13:00:00 GMT", NOW), NOW + 3600);
    /* a date in the past means "now", never earlier */
    ASSERT_EQ(td_net_retry_after("Mon, 23 Nov 2026 13:00:00 GMT", NOW), NOW);
    /* absurd values are clamped to a year, without overflow */
    ASSERT_EQ(td_net_retry_after("99999999999999999999999999", NOW), NOW + 366 * 24 * 3600);
    ASSERT_EQ(td_net_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", NOW), NOW + 366 * 24 * 3600);
    ASSERT_EQ(td_net_retry_after("-5", NOW), -1);
    ASSERT_EQ(td_net_retry_after("1.5", NOW), -1);
    ASSERT_EQ(td_net_retry_after("soon", NOW), -1);
    ASSERT_EQ(td_net_retry_after("", NOW), -1);
    ASSERT_EQ(td_net_retry_after(NULL, NOW), -1);
}

static void test_max_age(void)
{
    ASSERT_EQ(td_net_max_age("max-age=600"), 600);
    ASSERT_EQ(td_net_max_age("public, max-age=3600, must-revalidate"), 3600);
    ASSERT_EQ(td_net_max_age("Max-Age = 60"), 60);
    ASSERT_EQ(td_net_max_age("max-age=\"90\""), 90);
    ASSERT_EQ(td_net_max_age("max-age=0"), 0);
    /* conflicting directives: the smaller one */
    ASSERT_EQ(td_net_max_age("max-age=600, max-age=60"), 60);
    /* s-maxage is for shared caches */
    ASSERT_EQ(td_net_max_age("s-maxage=600"), -1);
    ASSERT_EQ(td_net_max_age("max-agex=5"), -1);
    ASSERT_EQ(td_net_max_age("no-cache"), -1);
    ASSERT_EQ(td_net_max_age("max-age="), -1);
    ASSERT_EQ(td_net_max_age("max-age=abc"), -1);
    ASSERT_EQ(td_net_max_age(""), -1);
    ASSERT_EQ(td_net_max_age(NULL), -1);
    ASSERT_EQ(td_net_max_age("max-age=99999999999999999999"), 366L * 24 * 3600);
}

static void test_not_before(void)
{
    struct td_net_response r = TD_NET_RESPONSE_INIT;

    /* no hint at all */
    r.status = 200;
    ASSERT_EQ(td_net_not_before(&r, NOW), -1);
    /* Expires alone */
    r.expires = "Tue, 24 Nov 2026 12:30:00 GMT";
    ASSERT_EQ(td_net_not_before(&r, NOW), NOW + 1800);
    /* max-age wins over Expires */
    r.cache_control = "max-age=60";
    ASSERT_EQ(td_net_not_before(&r, NOW), NOW + 60);
    /* Retry-After only counts on a 429, 503 or redirect */
    r.retry_after = "7200";
    ASSERT_EQ(td_net_not_before(&r, NOW), NOW + 60);
    r.status = 429;
    ASSERT_EQ(td_net_not_before(&r, NOW), NOW + 7200);
    r.status = 503;
    ASSERT_EQ(td_net_not_before(&r, NOW), NOW + 7200);
    /* an unparseable Retry-After falls back to the caching headers */
    r.retry_after = "later";
    ASSERT_EQ(td_net_not_before(&r, NOW), NOW + 60);
    /* an invalid or past Expires means already stale */
    r.status = 200;
    r.cache_control = NULL;
    r.expires = "0";
    ASSERT_EQ(td_net_not_before(&r, NOW), NOW);
    r.expires = "Mon, 23 Nov 2026 12:00:00 GMT";
    ASSERT_EQ(td_net_not_before(&r, NOW), NOW);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_http_date_forms),
    TAP_TEST(test_retry_after),
    TAP_TEST(test_max_age),
    TAP_TEST(test_not_before),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
