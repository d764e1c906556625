/*
 * map.h - a hash map from 64-bit keys to 32-bit values whose growth never
 * stalls one insertion for long: the story engine's term, posting and
 * MinHash band tables.
 *
 * One open-addressing table doubling in place costs an insertion time in
 * proportion to everything stored: at a million keys, one unlucky addition
 * to the story index paid tens of milliseconds.  This map is split into
 * TD_MAP_SHARDS independent tables, chosen by the key's hash, each growing
 * on its own: a growth moves 1/TD_MAP_SHARDS of the keys, so the worst
 * insertion stays within a fraction of a millisecond at millions of keys,
 * for the same memory.
 *
 * Key 0 is reserved (callers map it to another value).  Pointers returned
 * are valid until the next insertion.  Not thread-safe.
 */
#ifndef TD_TEXT_MAP_H
#define TD_TEXT_MAP_H

#include "base/compat.h"

#define TD_MAP_SHARDS 256

struct td_map_shard {
    uint64_t *keys;
    uint32_t *vals;
    uint32_t cap, used;
};

struct td_map {
    struct td_map_shard *shards; /* NULL until the first insertion */
    size_t n;                    /* keys stored */
};

#define TD_MAP_INIT                                                                                \
    {                                                                                              \
        NULL, 0                                                                                    \
    }

void td_map_release(struct td_map *m);
/* The value of `key`, or NULL when absent. */
uint32_t *td_map_get(const struct td_map *m, uint64_t key);
/* The value of `key`, inserted as 0 when absent (`*created` says which; may be NULL). */
uint32_t *td_map_put(struct td_map *m, uint64_t key, bool *created);

#endif
