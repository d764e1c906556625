/*
 * arena.h - a bump allocator for memory that lives as long as one document
 * or one request.
 *
 * Allocations come from large blocks and are never freed one by one:
 * td_arena_release frees everything at once.  Pointers stay valid until
 * then (blocks never move).  Allocation failure aborts, like td_xmalloc.
 *
 *     struct td_arena a;
 *     td_arena_init(&a);
 *     char *s = td_arena_strndup(&a, p, n);
 *     ...
 *     td_arena_release(&a);
 */
#ifndef TD_ARENA_H
#define TD_ARENA_H

#include "base/compat.h"
#include "base/str.h"

struct td_arena_block;

struct td_arena {
    struct td_arena_block *_head; /* newest block; allocation happens here */
    size_t _used;                 /* bytes used in _head */
    size_t total;                 /* bytes handed out over the arena's life */
};

void td_arena_init(struct td_arena *a);
/* Free every block; the arena can be used again afterwards. */
void td_arena_release(struct td_arena *a);
/* `n` bytes aligned for any type; n == 0 gives a valid unique pointer. */
void *td_arena_alloc(struct td_arena *a, size_t n);
/* Like td_arena_alloc, zero-filled. */
void *td_arena_zalloc(struct td_arena *a, size_t n);
/* A NUL-terminated copy of `n` bytes at `s`. */
char *td_arena_strndup(struct td_arena *a, const char *s, size_t n);
/* A NUL-terminated copy of a slice, returned as a slice of the arena. */
struct td_str td_arena_str(struct td_arena *a, struct td_str s);

#endif
