/*
 * Unit tests for the base primitives: td_buf, td_str, td_arena, errors.
 */
#include "base/compat.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/log.h"
#include "base/str.h"

#include "harness/tap.h"

static void test_buf_append_and_detach(void)
{
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);

    ASSERT_STR_EQ(b.buf, "");
    ASSERT_OK(td_buf_append_c(&b, "hello"));
    ASSERT_OK(td_buf_append_ch(&b, ' '));
    ASSERT_OK(td_buf_printf(&b, "%s %d", "world", 42));
    ASSERT_STR_EQ(b.buf, "hello world 42");
    ASSERT_EQ(b.len, 14);
    size_t n;
    char *s = td_buf_detach(&b, &n);
    ASSERT_STR_EQ(s, "hello world 42");
    ASSERT_EQ(n, 14);
    ASSERT_EQ(b.len, 0);
    ASSERT_STR_EQ(b.buf, "");
    free(s);
    s = td_buf_detach(&b, NULL);
    ASSERT_STR_EQ(s, "");
    free(s);
}

static void test_buf_cap(void)
{
    struct td_buf b;

    td_buf_init(&b, 8);
    ASSERT_OK(td_buf_append_c(&b, "12345678"));
    ASSERT_EQ(td_buf_append_ch(&b, '9'), TD_ETOOBIG);
    ASSERT_STR_EQ(b.buf, "12345678");
    ASSERT_EQ(td_buf_printf(&b, "%d", 1), TD_ETOOBIG);
    ASSERT_EQ(td_buf_grow(&b, SIZE_MAX), TD_ETOOBIG);
    td_buf_truncate(&b, 3);
    ASSERT_STR_EQ(b.buf, "123");
    td_buf_release(&b);
    ASSERT_EQ(b.cap, 8);
    ASSERT_STR_EQ(b.buf, "");
}

static void test_buf_long_printf(void)
{
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);
    char big[1000];

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ASSERT_OK(td_buf_printf(&b, "<%s>", big));
    ASSERT_EQ(b.len, 1001);
    ASSERT_EQ(b.buf[0], '<');
    ASSERT_EQ(b.buf[1000], '>');
    td_buf_release(&b);
}

static void test_str_ops(void)
{
    struct td_str s = TD_STR_LIT("  Hello, World \n");
    struct td_str t = td_str_trim(s);

    ASSERT_EQ(t.len, 12);
    ASSERT(td_str_eq(t, TD_STR_LIT("Hello, World")));
    ASSERT(td_str_eq_nocase(t, TD_STR_LIT("hello, world")));
    ASSERT(!td_str_eq(t, TD_STR_LIT("hello, world")));
    ASSERT(td_str_starts_with(t, TD_STR_LIT("Hell")));
    ASSERT(td_str_starts_with_nocase(t, TD_STR_LIT("hELL")));
    ASSERT(td_str_ends_with(t, TD_STR_LIT("World")));
    ASSERT_EQ(td_str_find(t, TD_STR_LIT("World")), 7);
    ASSERT_EQ(td_str_find(t, TD_STR_LIT("world")), -1);
    ASSERT_EQ(td_str_find_nocase(t, TD_STR_LIT("world")), 7);
    ASSERT_EQ(td_str_find_nocase(t, TD_STR_LIT("HELLO")), 0);
    ASSERT_EQ(td_str_find_nocase(t, TD_STR_LIT("o, w")), 4);
    ASSERT_EQ(td_str_find_nocase(t, TD_STR_LIT("WORLDS")), -1);
    ASSERT_EQ(td_str_find_nocase(t, TD_STR_LIT("hello, world!")), -1);
    ASSERT_EQ(td_str_find_nocase(t, TD_STR_LIT(",")), 5);
    ASSERT_EQ(td_str_find_nocase(TD_STR_LIT("Sign UP for our Newsletter"),
                                 TD_STR_LIT("newsletter")), 16);
    ASSERT_EQ(td_str_find(t, TD_STR_LIT("")), 0);
    ASSERT(td_str_eq(td_str_sub(t, 7, 100), TD_STR_LIT("World")));
    ASSERT_EQ(td_str_sub(t, 100, 1).len, 0);
    ASSERT_EQ(td_str_trim(TD_STR_LIT(" \t ")).len, 0);
}

static void test_arena(void)
{
    struct td_arena a;

    td_arena_init(&a);
    char *s = td_arena_strndup(&a, "abcdef", 3);
    ASSERT_STR_EQ(s, "abc");
    /* Many small and a few big allocations; earlier ones stay intact. */
    for (int i = 0; i < 10000; i++) {
        unsigned char *p = td_arena_alloc(&a, (size_t)(i % 100) + 1);
        ASSERT_EQ(((uintptr_t)p) % 16, 0);
        p[0] = (unsigned char)i;
    }
    char *big = td_arena_zalloc(&a, 1 << 20);
    ASSERT_EQ(big[12345], 0);
    ASSERT_STR_EQ(s, "abc");
    struct td_str c = td_arena_str(&a, TD_STR_LIT("slice"));
    ASSERT_STR_EQ(c.ptr, "slice");
    ASSERT_GE(a.total, (size_t)(1 << 20));
    td_arena_release(&a);
    ASSERT_EQ(a.total, 0);
    /* Reusable after release. */
    ASSERT_STR_EQ(td_arena_strndup(&a, "x", 1), "x");
    td_arena_release(&a);
}

static void test_strerror(void)
{
    ASSERT_STR_EQ(td_strerror(TD_ETOOBIG), "input too large");
    ASSERT_STR_EQ(td_strerror(0), "success");
    ASSERT_STR_EQ(td_strerror(-9999), "unknown error");
}

static void test_log_level(void)
{
    ASSERT_EQ(td_log_level_parse("warn"), TD_LOG_WARN);
    ASSERT_EQ(td_log_level_parse("nope"), -1);
    td_log_set_level(TD_LOG_ERR);
    ASSERT_EQ(td_log_get_level(), TD_LOG_ERR);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_buf_append_and_detach),
    TAP_TEST(test_buf_cap),
    TAP_TEST(test_buf_long_printf),
    TAP_TEST(test_str_ops),
    TAP_TEST(test_arena),
    TAP_TEST(test_strerror),
    TAP_TEST(test_log_level),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
