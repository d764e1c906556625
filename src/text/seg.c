/*
 * seg.c - the chunked array (see seg.h).  Chunks hold a power of two of
 * elements so that an index splits into chunk and offset with a shift and
 * a mask.
 */
#include "text/seg.h"

void td_seg_init(struct td_seg *s, size_t elem)
{
    TD_ASSERT(elem > 0 && elem <= TD_SEG_CHUNK_BYTES);
    memset(s, 0, sizeof(*s));
    s->elem = elem;
    while (((size_t)2 << s->shift) * elem <= TD_SEG_CHUNK_BYTES)
        s->shift++;
}

void td_seg_release(struct td_seg *s)
{
    for (size_t i = 0; i < s->nchunks; i++)
        free(s->chunks[i]);
    free(s->chunks);
    s->chunks = NULL;
    s->n = s->nchunks = s->table = 0;
}

void td_seg_resize(struct td_seg *s, size_t n)
{
    size_t per = (size_t)1 << s->shift;

    while (s->nchunks * per < n) {
        if (s->nchunks == s->table) {
            s->table = s->table ? s->table * 2 : 16;
            s->chunks = td_xrealloc(s->chunks, s->table * sizeof(*s->chunks));
        }
        s->chunks[s->nchunks++] = td_xcalloc(per, s->elem);
    }
    if (n > s->n)
        s->n = n;
}
