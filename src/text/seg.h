/*
 * seg.h - a growing array whose elements never move: the story engine's
 * per-article and per-story records.
 *
 * An array that doubles with realloc copies everything it holds when it
 * grows (or, when the allocator can remap it, faults its pages in again),
 * so at a million articles one unlucky addition paid for the whole array.
 * Here the elements live in fixed-size chunks of at most TD_SEG_CHUNK_BYTES,
 * found through a table of chunk pointers: growing allocates one zeroed
 * chunk, and only the pointer table (one pointer per chunk) is ever copied.
 * Element pointers stay valid until td_seg_release.
 */
#ifndef TD_TEXT_SEG_H
#define TD_TEXT_SEG_H

#include "base/compat.h"

#define TD_SEG_CHUNK_BYTES 65536

struct td_seg {
    char **chunks;
    size_t n;       /* elements in use */
    size_t nchunks; /* chunks allocated */
    size_t table;   /* slots of the pointer table */
    size_t elem;    /* bytes per element */
    unsigned shift; /* log2 of elements per chunk */
};

/* An empty array of elements of `elem` bytes (at most TD_SEG_CHUNK_BYTES). */
void td_seg_init(struct td_seg *s, size_t elem);
void td_seg_release(struct td_seg *s);
/* Make elements [0, n) exist; new ones are zeroed.  Never shrinks. */
void td_seg_resize(struct td_seg *s, size_t n);

/* Element `i` (i < s->n). */
static inline void *td_seg_at(const struct td_seg *s, size_t i)
{
    return s->chunks[i >> s->shift] + (i & (((size_t)1 << s->shift) - 1)) * s->elem;
}

/* Append one zeroed element and return it. */
static inline void *td_seg_push(struct td_seg *s)
{
    td_seg_resize(s, s->n + 1);
    return td_seg_at(s, s->n - 1);
}

#endif
