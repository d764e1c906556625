/*
 * tap.h - the test harness: typed assertions that print both values, a
 * table of tests per binary, and TAP output that Meson reads.
 *
 *     static void test_append(void)
 *     {
 *         ASSERT_EQ(td_buf_append_c(&b, "x"), 0);
 *         ASSERT_STR_EQ(b.buf, "x");
 *     }
 *     static const struct tap_test tests[] = {TAP_TEST(test_append), TAP_END};
 *     int main(void) { return tap_run(tests); }
 *
 * Each test runs in a forked child so that a crash or a failed assertion
 * fails that test alone; the parent prints `ok N name` or `not ok N name`.
 * Set TAP_NOFORK=1 to run in-process (for gdb).  A test may call
 * TAP_SKIP("why") to report `ok N name # SKIP why`.
 */
#ifndef TD_TAP_H
#define TD_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct tap_test {
    const char *name;
    void (*fn)(void);
};

#define TAP_TEST(fn) {#fn, fn}
#define TAP_END {NULL, NULL}

/* Exit code a child uses to say "skipped"; the reason goes to a pipe. */
#define TAP_SKIP_CODE 77

static int tap_skip_fd = -1;

static inline void tap_fail_(const char *file, int line, const char *msg)
{
    fprintf(stderr, "# %s:%d: %s\n", file, line, msg);
    fflush(stderr);
    exit(1);
}

#define TAP_SKIP(why)                                                                              \
    do {                                                                                           \
        const char *w_ = (why);                                                                    \
        if (tap_skip_fd >= 0 && write(tap_skip_fd, w_, strlen(w_)) < 0)                            \
            tap_fail_(__FILE__, __LINE__, "cannot report skip");                                   \
        exit(TAP_SKIP_CODE);                                                                       \
    } while (0)

#define ASSERT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond))                                                                               \
            tap_fail_(__FILE__, __LINE__, "assertion failed: " #cond);                             \
    } while (0)

#define ASSERT_INT_OP_(a, op, b)                                                                   \
    do {                                                                                           \
        intmax_t a_ = (intmax_t)(a), b_ = (intmax_t)(b);                                           \
        if (!(a_ op b_)) {                                                                         \
            fprintf(stderr, "# %s:%d: %s %s %s: %jd vs %jd\n", __FILE__, __LINE__, #a, #op, #b,    \
                    a_, b_);                                                                       \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

#define ASSERT_EQ(a, b) ASSERT_INT_OP_(a, ==, b)
#define ASSERT_NE(a, b) ASSERT_INT_OP_(a, !=, b)
#define ASSERT_LT(a, b) ASSERT_INT_OP_(a, <, b)
#define ASSERT_LE(a, b) ASSERT_INT_OP_(a, <=, b)
#define ASSERT_GT(a, b) ASSERT_INT_OP_(a, >, b)
#define ASSERT_GE(a, b) ASSERT_INT_OP_(a, >=, b)
#define ASSERT_OK(a) ASSERT_INT_OP_(a, ==, 0)

#define ASSERT_STR_EQ(a, b)                                                                        \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                                   \
            fprintf(stderr, "# %s:%d: %s == %s: \"%s\" vs \"%s\"\n", __FILE__, __LINE__, #a, #b,  \
                    a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                       \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

/* `hay` contains `needle` (both C strings). */
#define ASSERT_CONTAINS(hay, needle)                                                               \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        if (!h_ || !strstr(h_, n_)) {                                                              \
            fprintf(stderr, "# %s:%d: %s does not contain \"%s\"\n", __FILE__, __LINE__, #hay,     \
                    n_);                                                                           \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

#define ASSERT_NOT_CONTAINS(hay, needle)                                                           \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        if (h_ && strstr(h_, n_)) {                                                                \
            fprintf(stderr, "# %s:%d: %s contains \"%s\"\n", __FILE__, __LINE__, #hay, n_);        \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

#define ASSERT_MEM_EQ(a, b, n)                                                                     \
    do {                                                                                           \
        if (memcmp((a), (b), (n)) != 0)                                                            \
            tap_fail_(__FILE__, __LINE__, "memory differs: " #a " vs " #b);                        \
    } while (0)

static inline int tap_run(const struct tap_test *tests)
{
    int count = 0, failed = 0;
    int nofork = getenv("TAP_NOFORK") != NULL;

    while (tests[count].name)
        count++;
    printf("1..%d\n", count);
    fflush(stdout);
    for (int i = 0; i < count; i++) {
        char why[256] = "";
        int status = 0, code;

        if (nofork) {
            tests[i].fn();
            code = 0;
        } else {
            int fds[2];
            if (pipe(fds) < 0)
                return 99;
            pid_t pid = fork();
            if (pid < 0)
                return 99;
            if (pid == 0) {
                close(fds[0]);
                tap_skip_fd = fds[1];
                tests[i].fn();
                fflush(NULL);
                _exit(0);
            }
            close(fds[1]);
            ssize_t n = read(fds[0], why, sizeof(why) - 1);
            why[n > 0 ? n : 0] = '\0';
            close(fds[0]);
            waitpid(pid, &status, 0);
            code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (code == TAP_SKIP_CODE) {
            printf("ok %d %s # SKIP %s\n", i + 1, tests[i].name, why);
        } else if (code == 0) {
            printf("ok %d %s\n", i + 1, tests[i].name);
        } else {
            printf("not ok %d %s (exit %d)\n", i + 1, tests[i].name, code);
            failed++;
        }
        fflush(stdout);
    }
    return failed ? 1 : 0;
}

#endif
