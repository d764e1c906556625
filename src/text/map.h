/*
 * map.h - a hash map from 64-bit keys to 32-bit values whose growth never
 * stalls one insertion for long: the story engine's term, posting and
 * MinHash band tables.
 *
 * One open-addressing table doubling in place costs an insertion time in
 * proportion to everything stored: at a million keys, one unlucky addition
 * to the story index paid tens of milliseconds.  This map is split into
 * TD_MAP_SHARDS independent tables, chosen by the key's hash, and a shard
 * that outgrows its table does not move its keys at once: the new table
 * (twice the size) takes the insertions, and every insertion into the
 * shard moves a few more slots of the old one, which is freed when it is
 * empty.  Lookups try the new table, then the old.  So no insertion moves
 * more than a few dozen keys, and the new table's pages are first touched
 * a few at a time (a page fault costs tens of microseconds on some
 * virtual machines), however many keys are stored.
 *
 * Key 0 is reserved (callers map it to another value).  There is no
 * deletion.  Pointers returned are valid until the next insertion.  Not
 * thread-safe.
 */
#ifndef TD_TEXT_MAP_H
#define TD_TEXT_MAP_H

#include "base/compat.h"

#define TD_MAP_SHARDS 256

struct td_map_shard {
    uint64_t *keys; /* the table taking insertions */
    uint32_t *vals;
    uint32_t cap, used; /* used: keys in the shard, both tables */
    uint64_t *old_keys; /* the table being emptied, or NULL */
    uint32_t *old_vals;
    uint32_t old_cap, moved; /* moved: old slots below this are done */
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
