/*
 * map.c - the sharded hash map (see map.h).  Each shard is linear probing
 * at a load factor of at most 3/4; the shard is picked by the top bits of
 * a mixed hash and the slot by its low bits, so the two are independent.
 */
#include "text/map.h"

#define SHARD_MIN 16 /* slots of a shard's first table */

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

static uint32_t slot_of(const struct td_map_shard *s, uint64_t h, uint64_t key)
{
    uint32_t mask = s->cap - 1, i = (uint32_t)h & mask;

    while (s->keys[i] && s->keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

static void grow(struct td_map_shard *s)
{
    struct td_map_shard n = {.cap = s->cap ? s->cap * 2 : SHARD_MIN, .used = s->used};

    TD_ASSERT(n.cap > s->cap);
    n.keys = td_xcalloc(n.cap, sizeof(*n.keys));
    n.vals = td_xmalloc((size_t)n.cap * sizeof(*n.vals));
    for (uint32_t i = 0; i < s->cap; i++) {
        if (!s->keys[i])
            continue;
        uint32_t j = slot_of(&n, mix(s->keys[i]), s->keys[i]);
        n.keys[j] = s->keys[i];
        n.vals[j] = s->vals[i];
    }
    free(s->keys);
    free(s->vals);
    *s = n;
}

void td_map_release(struct td_map *m)
{
    if (m->shards)
        for (size_t i = 0; i < TD_MAP_SHARDS; i++) {
            free(m->shards[i].keys);
            free(m->shards[i].vals);
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
    i = slot_of(s, h, key);
    return s->keys[i] ? &s->vals[i] : NULL;
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
    if (((uint64_t)s->used + 1) * 4 >= (uint64_t)s->cap * 3)
        grow(s);
    i = slot_of(s, h, key);
    if (created)
        *created = !s->keys[i];
    if (!s->keys[i]) {
        s->keys[i] = key;
        s->vals[i] = 0;
        s->used++;
        m->n++;
    }
    return &s->vals[i];
}
