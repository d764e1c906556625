/*
 * map.c - the sharded hash map (see map.h).  Each shard is linear probing
 * at a load factor of at most 3/4; the shard is picked by the top bits of
 * a mixed hash and the slot by its low bits, so the two are independent.
 *
 * Growing is incremental.  The old table is never written after the new
 * one takes over: its probe chains stay intact, so a key not yet moved is
 * still found there, and a key found there has not been moved (a moved key
 * is in the new table, which is searched first).  A value updated through
 * the old table is carried over when its slot's turn comes.
 */
#include "text/map.h"

#define SHARD_MIN 16 /* slots of a shard's first table */
/*
 * Old slots moved per insertion into the shard.  The new table is at 3/8
 * load when it takes over and grows again at 3/4, so at least 3/8 of its
 * size (3/4 of the old size) in insertions come first; moving 64 slots each
 * empties the old table after 1/64 of its size, a few microseconds per
 * insertion.  Fewer is not better: at 8, old tables stayed allocated
 * through the wave in which all shards of a map grow, and the freed
 * tables could no longer be merged for the next ones (peak memory at a
 * million articles 1,439 MB, against 1,259 MB at 64).
 */
#define MOVE_STEP 64

static uint64_t mix(uint64_t k)
{
    /* splitmix64's finaliser: every key bit reaches every hash bit. */
    k ^= k >> 30;
    k *= 0xbf58476d1ce4e5b9ULL;
    k ^= k >> 27;
    k *= 0x94d049bb133111ebULL;
    return k ^ (k >> 31);
}

static size_t shard_of(uint64_t h)
{
    return (size_t)(h >> 56) % TD_MAP_SHARDS;
}

static uint32_t probe(const uint64_t *keys, uint32_t cap, uint64_t h, uint64_t key)
{
    uint32_t mask = cap - 1, i = (uint32_t)h & mask;

    while (keys[i] && keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

/* Move up to `n` slots of the old table; free it when all are done. */
static void move_some(struct td_map_shard *s, uint32_t n)
{
    while (s->old_keys && n-- > 0) {
        uint64_t k = s->old_keys[s->moved];
        if (k) {
            uint32_t j = probe(s->keys, s->cap, mix(k), k);
            s->keys[j] = k;
            s->vals[j] = s->old_vals[s->moved];
        }
        if (++s->moved == s->old_cap) {
            free(s->old_keys);
            free(s->old_vals);
            s->old_keys = NULL;
            s->old_vals = NULL;
            s->old_cap = s->moved = 0;
        }
    }
}

/* Hand insertions to a table twice the size; the keys follow a few at a time. */
static void grow(struct td_map_shard *s)
{
    uint32_t cap = s->cap ? s->cap * 2 : SHARD_MIN;

    TD_ASSERT(cap > s->cap);
    /* Cannot happen at MOVE_STEP >= 2 (see above); kept exact regardless. */
    move_some(s, UINT32_MAX);
    if (s->cap) {
        s->old_keys = s->keys;
        s->old_vals = s->vals;
        s->old_cap = s->cap;
        s->moved = 0;
    }
    s->keys = td_xcalloc(cap, sizeof(*s->keys));
    s->vals = td_xmalloc((size_t)cap * sizeof(*s->vals));
    s->cap = cap;
}

void td_map_release(struct td_map *m)
{
    if (m->shards)
        for (size_t i = 0; i < TD_MAP_SHARDS; i++) {
            free(m->shards[i].keys);
            free(m->shards[i].vals);
            free(m->shards[i].old_keys);
            free(m->shards[i].old_vals);
        }
    free(m->shards);
    m->shards = NULL;
    m->n = 0;
}

uint32_t *td_map_get(const struct td_map *m, uint64_t key)
{
    uint64_t h = mix(key);
    const struct td_map_shard *s;
    uint32_t i;

    if (!m->shards || !key)
        return NULL;
    s = &m->shards[shard_of(h)];
    if (!s->cap)
        return NULL;
    i = probe(s->keys, s->cap, h, key);
    if (s->keys[i])
        return &s->vals[i];
    if (!s->old_keys)
        return NULL;
    i = probe(s->old_keys, s->old_cap, h, key);
    return s->old_keys[i] ? &s->old_vals[i] : NULL;
}

uint32_t *td_map_put(struct td_map *m, uint64_t key, bool *created)
{
    uint64_t h = mix(key);
    struct td_map_shard *s;
    uint32_t i;

    TD_ASSERT(key != 0);
    if (!m->shards)
        m->shards = td_xcalloc(TD_MAP_SHARDS, sizeof(*m->shards));
    s = &m->shards[shard_of(h)];
    move_some(s, MOVE_STEP);
    if (s->cap) {
        i = probe(s->keys, s->cap, h, key);
        if (s->keys[i]) {
            if (created)
                *created = false;
            return &s->vals[i];
        }
        if (s->old_keys) {
            uint32_t j = probe(s->old_keys, s->old_cap, h, key);
            if (s->old_keys[j]) {
                if (created)
                    *created = false;
                return &s->old_vals[j];
            }
        }
    }
    if (((uint64_t)s->used + 1) * 4 >= (uint64_t)s->cap * 3)
        grow(s);
    i = probe(s->keys, s->cap, h, key);
    s->keys[i] = key;
    s->vals[i] = 0;
    s->used++;
    m->n++;
    if (created)
        *created = true;
    return &s->vals[i];
}
