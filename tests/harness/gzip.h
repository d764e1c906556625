/*
 * gzip.h - make gzip data for tests (zlib), so that gunzip paths can be fed
 * real compressed input built at test time instead of committed blobs.
 */
#ifndef TD_TEST_GZIP_H
#define TD_TEST_GZIP_H

#include "harness/tap.h"

#include <zlib.h>

/* gzip `len` bytes into a malloc'd buffer the caller frees; `*out_len` gets its size. */
static inline unsigned char *gzip(const void *data, size_t len, size_t *out_len)
{
    z_stream z;
    size_t cap = len + len / 100 + 1024;
    unsigned char *out = malloc(cap);

    memset(&z, 0, sizeof(z));
    ASSERT(out && deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

#endif
