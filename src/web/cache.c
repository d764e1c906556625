/*
 * cache.c - the anonymous readers' response cache (see cache.h).
 *
 * Direct-mapped: a key's hash picks its one slot, and a new entry replaces
 * whatever was there.  Every entry belongs to the current data version (a
 * new version empties the table), so staleness is only ever a matter of
 * age.  A read-write lock guards the table: hits only read, and queue the
 * shared response while holding it, so the entry cannot be released
 * between lookup and queueing (MHD counts the connection's reference).  A
 * mutex guards the watching handle; `changes` against `seen` makes a
 * change noted during a reading force another one.
 */
#include "base/compat.h"
#include "base/log.h"
#include "store/store.h"
#include "web/cache.h"

#include <pthread.h>
#include <stdatomic.h>

struct slot {
    char *key; /* NULL: empty */
    struct MHD_Response *resp;
    size_t len;
    int64_t born_ns;
};

struct td_web_cache {
    pthread_rwlock_t table; /* slots, used, bytes, version, have_version */
    struct slot slots[TD_WEB_CACHE_SLOTS];
    size_t used, bytes;
    int64_t version;
    bool have_version;

    pthread_mutex_t watch_lock; /* the handle; the atomics say when it is due */
    struct td_store *watch;     /* used only for td_store_data_version */
    _Atomic int64_t checked_ns; /* when the version was last read */
    _Atomic uint64_t changes;   /* td_web_cache_changed calls so far */
    _Atomic uint64_t seen;      /* `changes` before that last reading */
};

static uint64_t hash_key(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return h;
}

static void slot_clear(struct td_web_cache *c, struct slot *s)
{
    if (!s->key)
        return;
    MHD_destroy_response(s->resp);
    free(s->key);
    c->used--;
    c->bytes -= s->len;
    memset(s, 0, sizeof(*s));
}

int td_web_cache_open(const char *db_path, struct td_web_cache **out)
{
    struct td_web_cache *c = td_xcalloc(1, sizeof(*c));
    int rc = td_store_open(db_path, 0, &c->watch);

    if (rc < 0) {
        free(c);
        *out = NULL;
        return rc;
    }
    pthread_rwlock_init(&c->table, NULL);
    pthread_mutex_init(&c->watch_lock, NULL);
    atomic_store(&c->checked_ns, INT64_MIN);
    *out = c;
    return 0;
}

void td_web_cache_free(struct td_web_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < TD_WEB_CACHE_SLOTS; i++)
        slot_clear(c, &c->slots[i]);
    td_store_close(c->watch);
    pthread_rwlock_destroy(&c->table);
    pthread_mutex_destroy(&c->watch_lock);
    free(c);
}

static bool recheck_due(struct td_web_cache *c, int64_t now_ns)
{
    int64_t checked = atomic_load(&c->checked_ns);

    return atomic_load(&c->changes) != atomic_load(&c->seen) || checked == INT64_MIN ||
           now_ns - checked >= (int64_t)TD_WEB_CACHE_RECHECK_MS * 1000000;
}

/* Read the version (the caller holds watch_lock); empty the table if it moved. */
static void recheck(struct td_web_cache *c, int64_t now_ns)
{
    uint64_t changes = atomic_load(&c->changes);
    int64_t v = 0;
    bool ok = td_store_data_version(c->watch, &v) == 0;

    if (!ok)
        td_log_warn("response cache: cannot read the data version: %s", td_store_errmsg(c->watch));
    pthread_rwlock_wrlock(&c->table);
    if (!ok || !c->have_version || v != c->version)
        for (size_t i = 0; c->used && i < TD_WEB_CACHE_SLOTS; i++)
            slot_clear(c, &c->slots[i]);
    c->version = v;
    c->have_version = ok;
    pthread_rwlock_unlock(&c->table);
    /* A change noted while reading leaves `seen` behind, so the next caller reads again. */
    atomic_store(&c->seen, changes);
    atomic_store(&c->checked_ns, now_ns);
}

bool td_web_cache_version(struct td_web_cache *c, int64_t now_ns, int64_t *version)
{
    bool ok;

    if (recheck_due(c, now_ns)) {
        pthread_mutex_lock(&c->watch_lock);
        if (recheck_due(c, now_ns))
            recheck(c, now_ns);
        pthread_mutex_unlock(&c->watch_lock);
    }
    pthread_rwlock_rdlock(&c->table);
    ok = c->have_version;
    *version = c->version;
    pthread_rwlock_unlock(&c->table);
    return ok;
}

void td_web_cache_changed(struct td_web_cache *c)
{
    atomic_fetch_add(&c->changes, 1);
}

bool td_web_cache_queue(struct td_web_cache *c, const char *key, int64_t version, int64_t now_ns,
                        struct MHD_Connection *conn, size_t *len, enum MHD_Result *ret)
{
    bool hit = false;

    pthread_rwlock_rdlock(&c->table);
    struct slot *s = &c->slots[hash_key(key) % TD_WEB_CACHE_SLOTS];
    if (s->key && c->have_version && version == c->version &&
        now_ns - s->born_ns < (int64_t)TD_WEB_CACHE_TTL_MS * 1000000 && !strcmp(s->key, key)) {
        *len = s->len;
        *ret = MHD_queue_response(conn, 200, s->resp);
        hit = true;
    }
    pthread_rwlock_unlock(&c->table);
    return hit;
}

void td_web_cache_put(struct td_web_cache *c, const char *key, int64_t version, int64_t now_ns,
                      struct MHD_Response *resp, size_t len)
{
    pthread_rwlock_wrlock(&c->table);
    struct slot *s = &c->slots[hash_key(key) % TD_WEB_CACHE_SLOTS];
    if (len <= TD_WEB_CACHE_ENTRY_MAX && c->have_version && version == c->version) {
        slot_clear(c, s);
        if (c->bytes + len <= TD_WEB_CACHE_BYTES) {
            s->key = td_xstrdup(key);
            s->resp = resp;
            s->len = len;
            s->born_ns = now_ns;
            c->used++;
            c->bytes += len;
            resp = NULL;
        }
    }
    pthread_rwlock_unlock(&c->table);
    if (resp)
        MHD_destroy_response(resp);
}
