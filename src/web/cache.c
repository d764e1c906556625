/*
 * cache.c - the anonymous readers' response cache (see cache.h).
 *
 * Direct-mapped: a key's hash picks its one slot, and a new entry replaces
 * whatever was there.  Every entry belongs to the current data version (a
 * new version empties the table), so staleness is only ever a matter of
 * age.  One mutex guards the table and the watching handle; a hit queues
 * the shared response while holding it, so the entry cannot be released
 * between lookup and queueing (MHD counts the connection's reference).
 */
#include "base/compat.h"
#include "base/log.h"
#include "store/store.h"
#include "web/cache.h"

#include <pthread.h>

struct slot {
    char *key; /* NULL: empty */
    struct MHD_Response *resp;
    size_t len;
    int64_t born_ns;
};

struct td_web_cache {
    pthread_mutex_t lock;
    struct td_store *watch; /* used only for td_store_data_version */
    int64_t version;
    bool have_version;
    size_t used, bytes;
    struct slot slots[TD_WEB_CACHE_SLOTS];
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
    pthread_mutex_init(&c->lock, NULL);
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
    pthread_mutex_destroy(&c->lock);
    free(c);
}

bool td_web_cache_version(struct td_web_cache *c, int64_t *version)
{
    int64_t v;
    bool ok;

    pthread_mutex_lock(&c->lock);
    ok = td_store_data_version(c->watch, &v) == 0;
    if (!ok) {
        td_log_warn("response cache: cannot read the data version: %s", td_store_errmsg(c->watch));
        c->have_version = false;
    }
    if (!ok || !c->have_version || v != c->version)
        for (size_t i = 0; c->used && i < TD_WEB_CACHE_SLOTS; i++)
            slot_clear(c, &c->slots[i]);
    if (ok) {
        c->version = v;
        c->have_version = true;
        *version = v;
    }
    pthread_mutex_unlock(&c->lock);
    return ok;
}

bool td_web_cache_queue(struct td_web_cache *c, const char *key, int64_t version, int64_t now_ns,
                        struct MHD_Connection *conn, size_t *len, enum MHD_Result *ret)
{
    bool hit = false;

    pthread_mutex_lock(&c->lock);
    struct slot *s = &c->slots[hash_key(key) % TD_WEB_CACHE_SLOTS];
    if (s->key && c->have_version && version == c->version && !strcmp(s->key, key)) {
        if (now_ns - s->born_ns < (int64_t)TD_WEB_CACHE_TTL_MS * 1000000) {
            *len = s->len;
            *ret = MHD_queue_response(conn, 200, s->resp);
            hit = true;
        } else {
            slot_clear(c, s);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void td_web_cache_put(struct td_web_cache *c, const char *key, int64_t version, int64_t now_ns,
                      struct MHD_Response *resp, size_t len)
{
    pthread_mutex_lock(&c->lock);
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
    pthread_mutex_unlock(&c->lock);
    if (resp)
        MHD_destroy_response(resp);
}
