/*
 * inflate.h - gunzip into a capped buffer.
 *
 * For gzip files given on the command line and gzip bodies that arrive
 * without Content-Encoding.  Output growth is bounded by the td_buf cap, so
 * a decompression bomb stops at the cap with TD_ETOOBIG instead of eating
 * memory.
 *
 *     struct td_buf page = TD_BUF_INIT(32 << 20);
 *     const char *why;
 *     if (td_inflate_is_gzip(raw, n) && td_inflate_gunzip(raw, n, &page, &why) < 0)
 *         fprintf(stderr, "%s\n", why);
 */
#ifndef TD_INFLATE_H
#define TD_INFLATE_H

#include "base/compat.h"
#include "base/buf.h"

/* True if `data` starts with the gzip magic bytes 1f 8b (RFC 1952 2.3.1). */
bool td_inflate_is_gzip(const void *data, size_t len);

/*
 * Decompress the gzip stream at `data` (every member, as gzip(1) does;
 * trailing bytes that do not start another member are ignored) and append
 * it to `out`.  Returns 0, TD_ETOOBIG when the output would pass out's cap,
 * or TD_EPARSE for data that is not gzip, corrupt or cut short.  On failure
 * `out` is unchanged and `*why` (if not NULL) gets a static message such as
 * "truncated gzip data" or "gzip output over the size cap".
 */
int td_inflate_gunzip(const void *data, size_t len, struct td_buf *out, const char **why);

#endif
