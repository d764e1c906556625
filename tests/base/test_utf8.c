/*
 * Tests for base/utf8: well-formedness per Unicode table 3-7 and U+FFFD
 * repair by maximal subpart.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/utf8.h"

#include "harness/tap.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void test_valid(void)
{
    ASSERT(td_utf8_valid(S("")));
    ASSERT(td_utf8_valid(S("plain ascii")));
    ASSERT(td_utf8_valid(S("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80")));
    ASSERT(td_utf8_valid(S("\xef\xbf\xbd")));             /* a real U+FFFD */
    ASSERT(td_utf8_valid(S("\xf4\x8f\xbf\xbf")));         /* U+10FFFF */
    ASSERT(td_utf8_valid(S("\xed\x9f\xbf\xee\x80\x80"))); /* around the surrogates */
    ASSERT(td_utf8_valid("a\0b", 3));                     /* NUL is a code point */
}

static void test_invalid(void)
{
    ASSERT(!td_utf8_valid(S("\x80")));             /* lone continuation */
    ASSERT(!td_utf8_valid(S("\xc0\xaf")));         /* overlong '/' */
    ASSERT(!td_utf8_valid(S("\xc1\xbf")));         /* overlong */
    ASSERT(!td_utf8_valid(S("\xe0\x80\xaf")));     /* overlong 3-byte */
    ASSERT(!td_utf8_valid(S("\xf0\x80\x80\xaf"))); /* overlong 4-byte */
    ASSERT(!td_utf8_valid(S("\xed\xa0\x80")));     /* U+D800 */
    ASSERT(!td_utf8_valid(S("\xed\xbf\xbf")));     /* U+DFFF */
    ASSERT(!td_utf8_valid(S("\xf4\x90\x80\x80"))); /* U+110000 */
    ASSERT(!td_utf8_valid(S("\xf5\x80\x80\x80"))); /* F5 never valid */
    ASSERT(!td_utf8_valid(S("\xff")));
    ASSERT(!td_utf8_valid(S("abc\xe2\x82"))); /* truncated at end */
    ASSERT(!td_utf8_valid(S("\xe2\x82"
                            "abc"))); /* truncated inside */
}

static void test_decode(void)
{
    uint32_t cp;

    ASSERT_EQ(td_utf8_decode(S("A"), &cp), 1);
    ASSERT_EQ(cp, 'A');
    ASSERT_EQ(td_utf8_decode(S("\xc3\xa9"), &cp), 2);
    ASSERT_EQ(cp, 0xE9);
    ASSERT_EQ(td_utf8_decode(S("\xe2\x82\xac"), &cp), 3);
    ASSERT_EQ(cp, 0x20AC);
    ASSERT_EQ(td_utf8_decode(S("\xf0\x9f\x98\x80"), &cp), 4);
    ASSERT_EQ(cp, 0x1F600);
    /* Maximal subparts: the valid prefix of a sequence is consumed as one. */
    ASSERT_EQ(td_utf8_decode(S("\xe2\x82"
                               "A"),
                             &cp),
              2);
    ASSERT_EQ(cp, 0xFFFD);
    ASSERT_EQ(td_utf8_decode(S("\xf0\x9f\x98"), &cp), 3);
    ASSERT_EQ(cp, 0xFFFD);
    ASSERT_EQ(td_utf8_decode(S("\xed\xa0\x80"), &cp), 1); /* ED A0: A0 not allowed */
    ASSERT_EQ(cp, 0xFFFD);
    ASSERT_EQ(td_utf8_decode(S("\xc0\xaf"), &cp), 1);
    ASSERT_EQ(td_utf8_decode("", 0, &cp), 0);

    bool ok;
    ASSERT_EQ(td_utf8_scan(S("\xef\xbf\xbd"), &ok), 3);
    ASSERT(ok);
    ASSERT_EQ(td_utf8_scan(S("\xef\xbf"), &ok), 2);
    ASSERT(!ok);
}

static void check_sanitize(const char *in, size_t len, const char *want)
{
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);

    ASSERT_OK(td_utf8_sanitize(in, len, &out));
    if (strcmp(out.buf, want) != 0) {
        fprintf(stderr, "# sanitize gave \"%s\", want \"%s\"\n", out.buf, want);
        exit(1);
    }
    ASSERT(td_utf8_valid(out.buf, out.len));
    td_buf_release(&out);
}

static void test_sanitize(void)
{
    check_sanitize(S("ok \xc3\xa9"), "ok \xc3\xa9");
    check_sanitize(S("a\x80"
                     "b"),
                   "a\xef\xbf\xbd"
                   "b");
    /* Unicode 3.9's example: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 */
    check_sanitize(S("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64"),
                   "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                   "b\xef\xbf\xbd"
                   "c\xef\xbf\xbd\xef\xbf\xbd"
                   "d");
    check_sanitize(S("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    check_sanitize(S("end\xe2\x82"), "end\xef\xbf\xbd");

    struct td_buf capped = TD_BUF_INIT(4);
    ASSERT_EQ(td_utf8_sanitize(S("ab\xff\xff"), &capped), TD_ETOOBIG);
    td_buf_release(&capped);
}

static void test_encode(void)
{
    char b[4];

    ASSERT_EQ(td_utf8_encode('x', b), 1);
    ASSERT_EQ(b[0], 'x');
    ASSERT_EQ(td_utf8_encode(0xE9, b), 2);
    ASSERT_MEM_EQ(b, "\xc3\xa9", 2);
    ASSERT_EQ(td_utf8_encode(0x20AC, b), 3);
    ASSERT_MEM_EQ(b, "\xe2\x82\xac", 3);
    ASSERT_EQ(td_utf8_encode(0x1F600, b), 4);
    ASSERT_MEM_EQ(b, "\xf0\x9f\x98\x80", 4);
    ASSERT_EQ(td_utf8_encode(0xD800, b), 3);
    ASSERT_MEM_EQ(b, "\xef\xbf\xbd", 3);
    ASSERT_EQ(td_utf8_encode(0x110000, b), 3);
    ASSERT_MEM_EQ(b, "\xef\xbf\xbd", 3);

    /* Round trip over every scalar value. */
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp == 0xD800)
            cp = 0xE000;
        uint32_t back;
        size_t n = td_utf8_encode(cp, b);
        ASSERT(td_utf8_valid(b, n));
        ASSERT_EQ(td_utf8_decode(b, n, &back), n);
        ASSERT_EQ(back, cp);
    }
}

static const struct tap_test tests[] = {
    TAP_TEST(test_valid),    TAP_TEST(test_invalid), TAP_TEST(test_decode),
    TAP_TEST(test_sanitize), TAP_TEST(test_encode),  TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
