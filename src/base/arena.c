/*
 * arena.c - bump allocation from a chain of blocks (see arena.h).
 *
 * Blocks are 64 KiB, or larger when one allocation needs more; a request
 * bigger than a quarter block gets a block of its own so that it does not
 * waste the rest of the current one.
 */
#include "base/compat.h"
#include "base/arena.h"

#define BLOCK_SIZE (64 * 1024)
#define ALIGN 16

struct td_arena_block {
    struct td_arena_block *next;
    size_t size;
    _Alignas(ALIGN) unsigned char data[];
};

void td_arena_init(struct td_arena *a)
{
    a->_head = NULL;
    a->_used = 0;
    a->total = 0;
}

void td_arena_release(struct td_arena *a)
{
    struct td_arena_block *b = a->_head;

    while (b) {
        struct td_arena_block *next = b->next;
        free(b);
        b = next;
    }
    td_arena_init(a);
}

static struct td_arena_block *new_block(size_t size)
{
    struct td_arena_block *b = td_xmalloc(sizeof(*b) + size);

    b->next = NULL;
    b->size = size;
    return b;
}

void *td_arena_alloc(struct td_arena *a, size_t n)
{
    size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);

    if (need < n)
        td_panic(__FILE__, __LINE__, "arena allocation of %zu bytes overflows", n);
    if (need == 0)
        need = ALIGN;
    a->total += need;
    if (a->_head && a->_used + need <= a->_head->size) {
        void *p = a->_head->data + a->_used;
        a->_used += need;
        return p;
    }
    if (need > BLOCK_SIZE / 4) {
        /* Big allocation: its own block, linked behind the current one. */
        struct td_arena_block *b = new_block(need);
        if (a->_head) {
            b->next = a->_head->next;
            a->_head->next = b;
        } else {
            a->_head = b;
            a->_used = need;
        }
        return b->data;
    }
    struct td_arena_block *b = new_block(BLOCK_SIZE);
    b->next = a->_head;
    a->_head = b;
    a->_used = need;
    return b->data;
}

void *td_arena_zalloc(struct td_arena *a, size_t n)
{
    void *p = td_arena_alloc(a, n);

    memset(p, 0, n);
    return p;
}

char *td_arena_strndup(struct td_arena *a, const char *s, size_t n)
{
    char *d = td_arena_alloc(a, n + 1);

    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

struct td_str td_arena_str(struct td_arena *a, struct td_str s)
{
    return td_str_make(td_arena_strndup(a, s.ptr, s.len), s.len);
}
