/*
 * error.c - messages for the TD_E* codes, and the fatal-error helpers that
 * compat.h promises (td_panic and the aborting allocators).
 */
#include "base/compat.h"
#include "base/error.h"

#include <stdarg.h>

const char *td_strerror(int err)
{
    switch (err) {
    case TD_OK: return "success";
    case TD_ENOMEM: return "out of memory";
    case TD_ETOOBIG: return "input too large";
    case TD_EPARSE: return "parse error";
    case TD_EIO: return "input/output error";
    case TD_EDB: return "database error";
    case TD_EINVAL: return "invalid argument";
    case TD_ENOTFOUND: return "not found";
    case TD_ENET: return "network error";
    case TD_EHTTP: return "HTTP error";
    case TD_EDENIED: return "refused by policy";
    case TD_EENCODING: return "unsupported character encoding";
    case TD_EEMPTY: return "empty input";
    case TD_ETIMEOUT: return "timed out";
    case TD_EEXIST: return "already exists";
    }
    return "unknown error";
}

void td_panic(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "tidings: fatal: %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void *td_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        td_panic(__FILE__, __LINE__, "out of memory allocating %zu bytes", n);
    return p;
}

void *td_xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

    if (!p)
        td_panic(__FILE__, __LINE__, "out of memory allocating %zu x %zu bytes", nmemb, size);
    return p;
}

void *td_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        td_panic(__FILE__, __LINE__, "out of memory reallocating %zu bytes", n);
    return q;
}

char *td_xstrndup(const char *s, size_t n)
{
    char *d = td_xmalloc(n + 1);

    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *td_xstrdup(const char *s)
{
    return td_xstrndup(s, strlen(s));
}
