/*
 * Tests for base/url: RFC 3986 parsing, every example of section 5.4
 * (normal and abnormal) through td_url_resolve, browser-style cleanup and
 * hostile input.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/url.h"

#include "harness/tap.h"

static const char *const rfc_base = "http://a/b/c/d;p?q";

struct example {
    const char *ref, *want;
};

/* RFC 3986 5.4.1 */
static const struct example normal[] = {
    {"g:h", "g:h"},
    {"g", "http://a/b/c/g"},
    {"./g", "http://a/b/c/g"},
    {"g/", "http://a/b/c/g/"},
    {"/g", "http://a/g"},
    {"//g", "http://g"},
    {"?y", "http://a/b/c/d;p?y"},
    {"g?y", "http://a/b/c/g?y"},
    {"#s", "http://a/b/c/d;p?q#s"},
    {"g#s", "http://a/b/c/g#s"},
    {"g?y#s", "http://a/b/c/g?y#s"},
    {";x", "http://a/b/c/;x"},
    {"g;x", "http://a/b/c/g;x"},
    {"g;x?y#s", "http://a/b/c/g;x?y#s"},
    {"", "http://a/b/c/d;p?q"},
    {".", "http://a/b/c/"},
    {"./", "http://a/b/c/"},
    {"..", "http://a/b/"},
    {"../", "http://a/b/"},
    {"../g", "http://a/b/g"},
    {"../..", "http://a/"},
    {"../../", "http://a/"},
    {"../../g", "http://a/g"},
};

/* RFC 3986 5.4.2 */
static const struct example abnormal[] = {
    {"../../../g", "http://a/g"},
    {"../../../../g", "http://a/g"},
    {"/./g", "http://a/g"},
    {"/../g", "http://a/g"},
    {"g.", "http://a/b/c/g."},
    {".g", "http://a/b/c/.g"},
    {"g..", "http://a/b/c/g.."},
    {"..g", "http://a/b/c/..g"},
    {"./../g", "http://a/b/g"},
    {"./g/.", "http://a/b/c/g/"},
    {"g/./h", "http://a/b/c/g/h"},
    {"g/../h", "http://a/b/c/h"},
    {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
    {"g;x=1/../y", "http://a/b/c/y"},
    {"g?y/./x", "http://a/b/c/g?y/./x"},
    {"g?y/../x", "http://a/b/c/g?y/../x"},
    {"g#s/./x", "http://a/b/c/g#s/./x"},
    {"g#s/../x", "http://a/b/c/g#s/../x"},
    {"http:g", "http:g"}, /* strict parsers, as the RFC recommends */
};

static void check(const char *base, const char *ref, const char *want)
{
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    int err = td_url_resolve(td_str_c(base), td_str_c(ref), &out);

    if (err) {
        fprintf(stderr, "# resolve(%s, %s) failed: %s\n", base, ref, td_strerror(err));
        exit(1);
    }
    if (strcmp(out.buf, want) != 0) {
        fprintf(stderr, "# resolve(%s, %s) = %s, want %s\n", base, ref, out.buf, want);
        exit(1);
    }
    td_buf_release(&out);
}

static void test_rfc3986_normal_examples(void)
{
    for (size_t i = 0; i < TD_ARRAY_SIZE(normal); i++)
        check(rfc_base, normal[i].ref, normal[i].want);
}

static void test_rfc3986_abnormal_examples(void)
{
    for (size_t i = 0; i < TD_ARRAY_SIZE(abnormal); i++)
        check(rfc_base, abnormal[i].ref, abnormal[i].want);
}

static bool str_is(struct td_str s, const char *c)
{
    return td_str_eq(s, td_str_c(c));
}

static void test_parse_components(void)
{
    struct td_url u;

    ASSERT_OK(td_url_parse(TD_STR_LIT("https://user:pw@Host.Example:8443/p/a?q=1&r#frag"), &u));
    ASSERT(str_is(u.scheme, "https"));
    ASSERT(str_is(u.userinfo, "user:pw"));
    ASSERT(str_is(u.host, "Host.Example"));
    ASSERT(str_is(u.port, "8443"));
    ASSERT(str_is(u.path, "/p/a"));
    ASSERT(str_is(u.query, "q=1&r"));
    ASSERT(str_is(u.fragment, "frag"));
    ASSERT(u.has_authority && u.has_query && u.has_fragment && !u.host_is_literal);

    ASSERT_OK(td_url_parse(TD_STR_LIT("../x?#"), &u));
    ASSERT_EQ(u.scheme.len, 0);
    ASSERT(!u.has_authority);
    ASSERT(str_is(u.path, "../x"));
    ASSERT(u.has_query && u.query.len == 0);
    ASSERT(u.has_fragment && u.fragment.len == 0);

    ASSERT_OK(td_url_parse(TD_STR_LIT("http://[2001:DB8::7]:81/"), &u));
    ASSERT(str_is(u.host, "2001:DB8::7"));
    ASSERT(u.host_is_literal);
    ASSERT(str_is(u.port, "81"));

    ASSERT_OK(td_url_parse(TD_STR_LIT("file:///etc/passwd"), &u));
    ASSERT(u.has_authority && u.host.len == 0);
    ASSERT(str_is(u.path, "/etc/passwd"));

    /* Not a scheme: "1a" starts with a digit, so this is a relative path. */
    ASSERT_OK(td_url_parse(TD_STR_LIT("1a:b"), &u));
    ASSERT_EQ(u.scheme.len, 0);
    ASSERT(str_is(u.path, "1a:b"));
}

static void test_parse_rejects(void)
{
    struct td_url u;
    static const char *const bad[] = {
        "http://[::1/",         "http://[zz::1]/",
        "http://[::1]x/",       "http://a:99999/",
        "http://a:8x/",         "http://exa mple/",
        "http://a<b/",          "http://[]/",
        "http://[v1]/",         "http://a\x01/",
        "http://ex%zzample/",   "http://a%4/",
        "http://\xc3\xa9.com/", "http://[fe80::1%25eth0]/",
    };

    for (size_t i = 0; i < TD_ARRAY_SIZE(bad); i++) {
        int err = td_url_parse(td_str_c(bad[i]), &u);
        if (err != TD_EPARSE) {
            fprintf(stderr, "# parse(%s) = %d, want TD_EPARSE\n", bad[i], err);
            exit(1);
        }
    }
    ASSERT_OK(td_url_parse(TD_STR_LIT("http://[v7.fe:x]/"), &u));
    ASSERT(u.host_is_literal);
    ASSERT_OK(td_url_parse(TD_STR_LIT("http://a%41b:/"), &u));
    ASSERT_EQ(u.port.len, 0);
}

static void test_normalisation(void)
{
    check("HTTP://Example.COM:80/a/", "b", "http://example.com/a/b");
    check("https://Example.com:443/", "x", "https://example.com/x");
    check("https://example.com:8443/", "x", "https://example.com:8443/x");
    check("http://example.com:/a", "b", "http://example.com/b");
    check("http://[2001:DB8::1]:8080/x/y", "../z", "http://[2001:db8::1]:8080/z");
    check("http://a/b", "HTTPS://Other.ORG/Path?Q#F", "https://other.org/Path?Q#F");
    check("http://a/b/c", "//Cdn.Example/img.png", "http://cdn.example/img.png");
    check("http://u:p@a/b", "c", "http://u:p@a/c");
    check("http://a", "b", "http://a/b"); /* 5.2.3: empty base path */
    check("http://a/b", "mailto:x@y", "mailto:x@y");
    /* A path that would read back as an authority keeps a "/." guard. */
    check("http://a/b", "web+x:/.//evil/p", "web+x:/.//evil/p");
    check("web+x:/a/b", "..//evil", "web+x:/.//evil");
}

static void test_hostile_whitespace_and_controls(void)
{
    check("http://a/b/", "  \t g h \n", "http://a/b/g%20h");
    check("http://a/b/", "\x01\x1f/x\x7fy\x02", "http://a/x%7Fy");
    check("http://a/b/", "p\na\rt\th", "http://a/b/path");
    check("http://a/b/", "caf\xc3\xa9?q=\"<>\"", "http://a/b/caf%C3%A9?q=%22%3C%3E%22");
    check(" http://a/b/ ", "x", "http://a/b/x");

    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_EQ(td_url_resolve(TD_STR_LIT("/relative/base"), TD_STR_LIT("x"), &out), TD_EPARSE);
    ASSERT_EQ(td_url_resolve(TD_STR_LIT("http://a b/"), TD_STR_LIT("x"), &out), TD_EPARSE);
    ASSERT_EQ(td_url_resolve(TD_STR_LIT("http://a/"), TD_STR_LIT("//bad host/"), &out), TD_EPARSE);
    ASSERT_EQ(out.len, 0);
    /* An absolute reference needs no base. */
    ASSERT_OK(td_url_resolve(TD_STR_NULL, TD_STR_LIT(" HTTP://A.example/./x/../y "), &out));
    ASSERT_STR_EQ(out.buf, "http://a.example/y");
    td_buf_release(&out);
}

static void test_hostile_huge(void)
{
    size_t n = 1u << 20;
    char *big = malloc(n + 1);
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_url u;

    ASSERT(big);
    memset(big, 'a', n);
    big[n] = '\0';
    ASSERT_EQ(td_url_parse(td_str_make(big, n), &u), TD_ETOOBIG);
    ASSERT_EQ(td_url_resolve(TD_STR_LIT("http://a/"), td_str_make(big, n), &out), TD_ETOOBIG);
    ASSERT_EQ(out.len, 0);

    /* Each part fits, the result does not. */
    ASSERT_EQ(td_url_resolve(td_str_make("http://a/", 9), td_str_make(big, TD_URL_MAX - 2), &out),
              TD_ETOOBIG);
    /* Percent-encoding triples a short input past the cap. */
    memset(big, ' ', 4000);
    big[0] = 'x';
    big[3999] = 'y';
    ASSERT_EQ(td_url_resolve(TD_STR_LIT("http://a/"), td_str_make(big, 4000), &out), TD_ETOOBIG);

    /* Thousands of dot segments stay linear and clamp at the root. */
    struct td_buf dots = TD_BUF_INIT(TD_BUF_NOCAP);
    for (int i = 0; i < 2000; i++)
        ASSERT_OK(td_buf_append_c(&dots, "../"));
    ASSERT_OK(td_buf_append_c(&dots, "z"));
    ASSERT_OK(td_url_resolve(TD_STR_LIT("http://a/b/c/d"), td_buf_str(&dots), &out));
    ASSERT_STR_EQ(out.buf, "http://a/z");
    td_buf_release(&dots);

    /* The caller's cap applies too, and leaves `out` untouched. */
    struct td_buf small = TD_BUF_INIT(8);
    ASSERT_EQ(td_url_resolve(TD_STR_LIT("http://a/"), TD_STR_LIT("long/path"), &small), TD_ETOOBIG);
    ASSERT_EQ(small.len, 0);
    td_buf_release(&out);
    free(big);
}

static void test_is_http(void)
{
    ASSERT(td_url_is_http(TD_STR_LIT("http://example.com/")));
    ASSERT(td_url_is_http(TD_STR_LIT("HTTPS://[::1]:8080")));
    ASSERT(!td_url_is_http(TD_STR_LIT("ftp://example.com/")));
    ASSERT(!td_url_is_http(TD_STR_LIT("javascript:alert(1)")));
    ASSERT(!td_url_is_http(TD_STR_LIT("http:///path")));
    ASSERT(!td_url_is_http(TD_STR_LIT("/just/a/path")));
    ASSERT(!td_url_is_http(TD_STR_LIT("http://bad host/")));
}

static const struct tap_test tests[] = {
    TAP_TEST(test_rfc3986_normal_examples),
    TAP_TEST(test_rfc3986_abnormal_examples),
    TAP_TEST(test_parse_components),
    TAP_TEST(test_parse_rejects),
    TAP_TEST(test_normalisation),
    TAP_TEST(test_hostile_whitespace_and_controls),
    TAP_TEST(test_hostile_huge),
    TAP_TEST(test_is_http),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
