/*
 * buf.h - a growable byte buffer with a hard size cap.
 *
 * `buf` is never NULL and is always NUL-terminated, so a td_buf can be handed
 * to any function that wants a C string.  Every buffer has a cap fixed at
 * init: an append that would make `len` exceed it fails with TD_ETOOBIG and
 * leaves the buffer as it was.  This is how growth driven by network input
 * is bounded; pass TD_BUF_NOCAP only for data the program itself produces.
 *
 * Lifecycle: td_buf_init (no allocation) -> appends -> td_buf_release
 * (frees, back to the initial state) or td_buf_detach (the caller takes the
 * storage).  Allocation failure aborts (see compat.h).
 *
 *     struct td_buf b;
 *     td_buf_init(&b, 1 << 20);
 *     if (td_buf_append(&b, data, n) < 0)
 *         goto out;      // over 1 MiB
 *     puts(b.buf);
 *     td_buf_release(&b);
 */
#ifndef TD_BUF_H
#define TD_BUF_H

#include "base/compat.h"
#include "base/str.h"

#include <stdarg.h>

#define TD_BUF_NOCAP SIZE_MAX

struct td_buf {
    char *buf;    /* never NULL; NUL-terminated at buf[len] */
    size_t len;   /* bytes in use, not counting the NUL */
    size_t alloc; /* bytes allocated; 0 while buf points at a shared "" */
    size_t cap;   /* the most `len` may become */
};

extern char td_buf_empty[];
#define TD_BUF_INIT(cap_) {td_buf_empty, 0, 0, (cap_)}

void td_buf_init(struct td_buf *b, size_t cap);
/* Free the storage and return to the state td_buf_init left (cap kept). */
void td_buf_release(struct td_buf *b);
/* Empty the buffer but keep its storage for reuse. */
static inline void td_buf_reset(struct td_buf *b)
{
    b->len = 0;
    b->buf[0] = '\0';
}
/*
 * Hand the storage to the caller, who must free() it; `*len` gets the length
 * if not NULL.  The buffer is left as after td_buf_init.  Always returns a
 * malloc'd string, even when the buffer was empty.
 */
char *td_buf_detach(struct td_buf *b, size_t *len);

/* Make room for `extra` more bytes.  TD_ETOOBIG past the cap. */
TD_WUR int td_buf_grow(struct td_buf *b, size_t extra);
TD_WUR int td_buf_append(struct td_buf *b, const void *data, size_t len);
TD_WUR int td_buf_append_str(struct td_buf *b, struct td_str s);
TD_WUR int td_buf_append_c(struct td_buf *b, const char *s);
TD_WUR int td_buf_append_ch(struct td_buf *b, char c);
TD_WUR int td_buf_printf(struct td_buf *b, const char *fmt, ...) TD_PRINTF(2, 3);
TD_WUR int td_buf_vprintf(struct td_buf *b, const char *fmt, va_list ap);
/* Drop bytes from the end so that len becomes `len` (no-op if already shorter). */
void td_buf_truncate(struct td_buf *b, size_t len);

static inline struct td_str td_buf_str(const struct td_buf *b)
{
    return td_str_make(b->buf, b->len);
}

#endif
