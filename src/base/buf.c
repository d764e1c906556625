/*
 * buf.c - the capped growable buffer (see buf.h).
 */
#include "base/compat.h"
#include "base/buf.h"
#include "base/error.h"

char td_buf_empty[1];

void td_buf_init(struct td_buf *b, size_t cap)
{
    b->buf = td_buf_empty;
    b->len = 0;
    b->alloc = 0;
    b->cap = cap;
}

void td_buf_release(struct td_buf *b)
{
    if (b->alloc)
        free(b->buf);
    td_buf_init(b, b->cap);
}

char *td_buf_detach(struct td_buf *b, size_t *len)
{
    char *s = b->alloc ? b->buf : td_xstrdup("");

    if (len)
        *len = b->len;
    td_buf_init(b, b->cap);
    return s;
}

int td_buf_grow(struct td_buf *b, size_t extra)
{
    if (extra > b->cap || b->len > b->cap - extra)
        return TD_ETOOBIG;
    size_t need = b->len + extra + 1;
    if (need <= b->alloc)
        return 0;
    size_t n = b->alloc ? b->alloc : 64;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    if (b->alloc) {
        b->buf = td_xrealloc(b->buf, n);
    } else {
        b->buf = td_xmalloc(n);
        b->buf[0] = '\0';
    }
    b->alloc = n;
    return 0;
}

int td_buf_append(struct td_buf *b, const void *data, size_t len)
{
    int err = td_buf_grow(b, len);

    if (err)
        return err;
    if (len)
        memcpy(b->buf + b->len, data, len);
    b->len += len;
    b->buf[b->len] = '\0';
    return 0;
}

int td_buf_append_str(struct td_buf *b, struct td_str s)
{
    return td_buf_append(b, s.ptr, s.len);
}

int td_buf_append_c(struct td_buf *b, const char *s)
{
    return td_buf_append(b, s, strlen(s));
}

int td_buf_append_ch(struct td_buf *b, char c)
{
    return td_buf_append(b, &c, 1);
}

int td_buf_vprintf(struct td_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    char small[256];

    va_copy(cp, ap);
    int n = vsnprintf(small, sizeof(small), fmt, cp);
    va_end(cp);
    if (n < 0)
        return TD_EINVAL;
    if ((size_t)n < sizeof(small))
        return td_buf_append(b, small, (size_t)n);
    int err = td_buf_grow(b, (size_t)n);
    if (err)
        return err;
    vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int td_buf_printf(struct td_buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int err = td_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return err;
}

void td_buf_truncate(struct td_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->buf[len] = '\0';
    }
}
