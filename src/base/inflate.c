/*
 * inflate.c - gunzip with an output cap (see inflate.h), on zlib.
 *
 * zlib's inflate() is driven in 64 KiB output steps straight into the
 * td_buf, so the cap is checked before memory is committed.  Concatenated
 * members (RFC 1952 2.2) are decoded one after another.
 */
#include "base/compat.h"
#include "base/inflate.h"
#include "base/error.h"

#include <limits.h>
#include <zlib.h>

#define STEP (64u << 10)

bool td_inflate_is_gzip(const void *data, size_t len)
{
    const unsigned char *s = data;

    return len >= 2 && s[0] == 0x1f && s[1] == 0x8b;
}

int td_inflate_gunzip(const void *data, size_t len, struct td_buf *out, const char **why)
{
    z_stream z;
    size_t start = out->len;
    const char *msg = NULL;
    int err = 0;

    if (!td_inflate_is_gzip(data, len)) {
        if (why)
            *why = "not gzip data";
        return TD_EPARSE;
    }
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        if (why)
            *why = "cannot initialise zlib";
        return TD_EPARSE;
    }
    z.next_in = (Bytef *)data;
    for (;;) {
        z.avail_in = len > UINT_MAX ? UINT_MAX : (uInt)len;
        size_t before_in = z.avail_in;
        size_t room = TD_MIN((size_t)STEP, out->cap - out->len);
        if (room == 0) {
            err = TD_ETOOBIG;
            msg = "gzip output over the size cap";
            break;
        }
        if ((err = td_buf_grow(out, room)))
            break;
        z.next_out = (Bytef *)out->buf + out->len;
        z.avail_out = (uInt)room;
        int r = inflate(&z, Z_NO_FLUSH);
        out->len += room - z.avail_out;
        out->buf[out->len] = '\0';
        len -= before_in - z.avail_in;
        if (r == Z_STREAM_END) {
            if (!td_inflate_is_gzip(z.next_in, len))
                break; /* done; trailing garbage ignored like gzip -d */
            inflateReset(&z);
            continue;
        }
        if (r == Z_BUF_ERROR) {
            /* No progress with output room left: the input ran out. */
            err = TD_EPARSE;
            msg = len == 0 ? "truncated gzip data" : "corrupt gzip data";
            break;
        }
        if (r != Z_OK) {
            err = TD_EPARSE;
            msg = r == Z_MEM_ERROR ? "out of memory in zlib" : "corrupt gzip data";
            break;
        }
    }
    inflateEnd(&z);
    if (err) {
        td_buf_truncate(out, start);
        if (why)
            *why = msg ? msg : "gzip output over the size cap";
    }
    return err;
}
