/*
 * Unit tests for the date parser: RFC 822 and its broken relatives, ISO
 * 8601, named and IANA zones, the default zone, and refusals.
 */
#include "base/compat.h"
#include "base/date.h"
#include "base/error.h"

#include "harness/tap.h"

/* Parse `s` and compare with an ISO 8601 UTC string; NULL means "must fail". */
static void check(const char *s, const char *zone, const char *want)
{
    time_t t = 0;
    unsigned flags;
    int err = td_date_parse(td_str_c(s), zone, &t, &flags);
    if (!want) {
        if (err != TD_EPARSE) {
            fprintf(stderr, "# accepted \"%s\"\n", s);
            exit(1);
        }
        return;
    }
    char iso[32];
    if (err) {
        fprintf(stderr, "# refused \"%s\"\n", s);
        exit(1);
    }
    td_date_format_iso(t, iso, sizeof(iso));
    if (strcmp(iso, want)) {
        fprintf(stderr, "# \"%s\" -> %s, want %s\n", s, iso, want);
        exit(1);
    }
}

static void test_rfc822(void)
{
    check("Thu, 01 Jan 2004 19:48:21 GMT", NULL, "2004-01-01T19:48:21Z");
    check("Thu,  5 Apr 2012 10:00:00 GMT", NULL, "2012-04-05T10:00:00Z");
    check("Fri,24 Nov 2023 18:28:36 -0000", NULL, "2023-11-24T18:28:36Z");
    check("Tue, 10 Jun 2003 04:00:00 +0200", NULL, "2003-06-10T02:00:00Z");
    check("Mon, 13 Feb, 2012 06:28:00 UTC", NULL, "2012-02-13T06:28:00Z");
    check("Mon, 26 January 2004 16:31:00 ET", NULL, "2004-01-26T21:31:00Z");
    check("Wed, 19 Aug 2009 18:28:00 Etc/GMT", NULL, "2009-08-19T18:28:00Z");
    check("Sun Jan  4 16:29:06 2004", NULL, "2004-01-04T16:29:06Z");
    check("Fri, 2006/09/15 08:19:53 EDT", NULL, "2006-09-15T12:19:53Z");
}

static void test_named_zones(void)
{
    check("Thu, 30 Apr 2015 08:57:00 MEST", NULL, "2015-04-30T06:57:00Z");
    check("Sat, 01 Jul 2023 12:00:00 PDT", NULL, "2023-07-01T19:00:00Z");
    check("Sat, 01 Jul 2023 12:00:00 CEST", NULL, "2023-07-01T10:00:00Z");
    check("Sat, 01 Jul 2023 12:00:00 EST", NULL, "2023-07-01T17:00:00Z");
    /* IANA names apply their DST rule */
    check("Sat, 01 Jul 2023 12:00:00 America/Los_Angeles", NULL, "2023-07-01T19:00:00Z");
    check("Fri, 01 Dec 2023 12:00:00 America/Los_Angeles", NULL, "2023-12-01T20:00:00Z");
    check("Sat, 01 Jul 2023 12:00:00 Europe/Paris", NULL, "2023-07-01T10:00:00Z");
    check("Wed, 10 Jan 2024 12:00:00 Australia/Sydney", NULL, "2024-01-10T01:00:00Z");
}

static void test_broken_forms(void)
{
    check("Sat, Oct 28 2023 08:28:28 PM", NULL, "2023-10-28T20:28:28Z");
    check("Sat, 28 Oct 2023 12:05:00 AM", NULL, "2023-10-28T00:05:00Z");
    check("28 Oct 2023 08:28 GMT+7", NULL, "2023-10-28T01:28:00Z");
    check("28 Oct 2023 08:28:00 UTC-05:30", NULL, "2023-10-28T13:58:00Z");
    check("Thu, 01 Jan 04 19:48:21 GMT", NULL, "2004-01-01T19:48:21Z");
    check("Thu, 01 Jan 99 19:48:21 GMT", NULL, "1999-01-01T19:48:21Z");
    check("Thu, 01 Jan 2004 00:00 GMT", NULL, "2004-01-01T00:00:00Z");
    check("Thu, 01 Jan 2004", NULL, "2004-01-01T00:00:00Z");
    check("01 Jan 2004 10:00:00 GMT", NULL, "2004-01-01T10:00:00Z");
    /* wrong weekday: ignored */
    check("Mon, 01 Jan 2004 10:00:00 GMT", NULL, "2004-01-01T10:00:00Z");
    check("Thu, 01 Jan 2004 10:00:00 +0000 (UTC)", NULL, "2004-01-01T10:00:00Z");
}

static void test_iso8601(void)
{
    check("2003-12-31T10:14:55Z", NULL, "2003-12-31T10:14:55Z");
    check("2003-12-31T10:14:55-08:00", NULL, "2003-12-31T18:14:55Z");
    check("2007-04-23T23:25:47.538+10:00", NULL, "2007-04-23T13:25:47Z");
    check("2003-12", NULL, "2003-12-01T00:00:00Z");
    check("2003", NULL, "2003-01-01T00:00:00Z");
    check("2004-02-28T18:14:55-08:00", NULL, "2004-02-29T02:14:55Z");
    check("2004-07-08 23:56:58 -00:20", NULL, "2004-07-09T00:16:58Z");
    check("20031231T101455Z", NULL, "2003-12-31T10:14:55Z");
    check("2003-012-31T10:14:55+00:00", NULL, "2003-12-31T10:14:55Z");
}

static void test_default_zone(void)
{
    time_t t;
    unsigned flags;
    check("2004-07-08 23:56:58", NULL, "2004-07-08T23:56:58Z");
    check("2004-07-08 23:56:58", "Europe/Paris", "2004-07-08T21:56:58Z");
    check("2004-01-08 23:56:58", "Europe/Paris", "2004-01-08T22:56:58Z");
    check("Thu, 01 Jan 2004 10:00:00", "+05:30", "2004-01-01T04:30:00Z");
    /* an explicit zone beats the default */
    check("Thu, 01 Jan 2004 10:00:00 GMT", "Europe/Paris", "2004-01-01T10:00:00Z");
    ASSERT_OK(td_date_parse(td_str_c("2004-07-08 23:56:58"), NULL, &t, &flags));
    ASSERT_EQ(flags & TD_DATE_NOZONE, TD_DATE_NOZONE);
    ASSERT_OK(td_date_parse(td_str_c("2004-07-08T23:56:58Z"), NULL, &t, &flags));
    ASSERT_EQ(flags & TD_DATE_NOZONE, 0);
    ASSERT(td_date_zone_known(td_str_c("America/New_York")));
    ASSERT(td_date_zone_known(td_str_c("UTC+3")));
    ASSERT(!td_date_zone_known(td_str_c("Mars/Olympus")));
}

static void test_refusals(void)
{
    check("", NULL, NULL);
    check("Sun, 16 Dec 2012 1:2:3:4 GMT", NULL, NULL);
    check("Sun, 16 zzz 2012 11:47:32 GMT", NULL, NULL);
    check("Sun, Dec x 2012 11:47:32 GMT", NULL, NULL);
    check("Sun, 16 Dec 2012 11:47:32 +zz:00", NULL, NULL);
    check("Sun, 16 Dec 2012 11:47:32 +00:zz", NULL, NULL);
    check("Sun, 99 Jun 2009 12:00:00 GMT", NULL, NULL);
    check("2003-12-31T25:14:55Z", NULL, NULL);
    check("9999-12-31T23:59:59-99:99", NULL, NULL);
    check("22013", NULL, NULL);
    check("2013-01-28T11:30:00-06:00Textra", NULL, NULL);
    check("2013-xx-27", NULL, NULL);
    check("2013-01-28T09:xx:00Z", NULL, NULL);
    check("yesterday", NULL, NULL);
    check("Sat, 28 Oct 2023 13:00:00 PM", NULL, NULL);
}

static void test_format(void)
{
    char iso[32];
    td_date_format_iso(0, iso, sizeof(iso));
    ASSERT_STR_EQ(iso, "1970-01-01T00:00:00Z");
    td_date_format_iso(-1, iso, sizeof(iso));
    ASSERT_STR_EQ(iso, "1969-12-31T23:59:59Z");
    ASSERT_EQ(td_date_from_civil(2000, 3, 1, 0, 0, 0), 951868800);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_rfc822),       TAP_TEST(test_named_zones),
    TAP_TEST(test_broken_forms), TAP_TEST(test_iso8601),
    TAP_TEST(test_default_zone), TAP_TEST(test_refusals),
    TAP_TEST(test_format),       TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
