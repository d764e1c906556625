/*
 * compat.h - the first include of every tidings source file.
 *
 * It pins the language and POSIX feature set, pulls in the few libc headers
 * everything uses, and defines the attribute and assertion macros shared by
 * every module.  Keep it small: anything with a job of its own gets its own
 * header.
 */
#ifndef TD_COMPAT_H
#define TD_COMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define TD_WUR __attribute__((warn_unused_result))
#define TD_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define TD_NORETURN __attribute__((noreturn))
#define TD_LIKELY(x) __builtin_expect(!!(x), 1)
#define TD_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define TD_WUR
#define TD_PRINTF(fmt, args)
#define TD_NORETURN
#define TD_LIKELY(x) (x)
#define TD_UNLIKELY(x) (x)
#endif

#define TD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define TD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define TD_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Report file:line and abort.  Used by TD_ASSERT and the allocators. */
TD_NORETURN void td_panic(const char *file, int line, const char *fmt, ...) TD_PRINTF(3, 4);

/* Always-on assertion: a broken invariant in a daemon is worse than a crash. */
#define TD_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (TD_UNLIKELY(!(cond)))                                                                  \
            td_panic(__FILE__, __LINE__, "assertion failed: %s", #cond);                           \
    } while (0)

/*
 * Allocation that never returns NULL: we are a daemon, and running out of
 * memory is fatal.  Growth driven by network input is capped by the callers
 * long before this matters (see buf.h).
 */
void *td_xmalloc(size_t n);
void *td_xcalloc(size_t nmemb, size_t size);
void *td_xrealloc(void *p, size_t n);
char *td_xstrdup(const char *s);
char *td_xstrndup(const char *s, size_t n);

#endif
