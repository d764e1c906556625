/*
 * cache.h - finished responses kept for anonymous readers (internal to web/).
 *
 * Rendering a page costs database reads and HTML building; most readers
 * are not signed in and see the same bytes for the same address.  The
 * server keeps such responses (libmicrohttpd response objects, which can be
 * queued on any number of connections) keyed by the request target, and
 * serves them again while they are fresh:
 *
 *   - until anything is committed to the database by anyone (the crawler
 *     thread, a comment posted here, another process): a dedicated store
 *     handle's data version (td_store_data_version) is read again when the
 *     last reading is TD_WEB_CACHE_RECHECK_MS old, and right after any
 *     request that may have written (td_web_cache_changed); a new version
 *     drops every entry.  So a reader who posts sees the result on the next
 *     page, and the crawler's commits show within milliseconds, while
 *     reading the version (a read transaction: a few system calls) is not
 *     paid on every request;
 *   - and for at most TD_WEB_CACHE_TTL_MS, because pages say "5 minutes
 *     ago": the phrases move by the minute, so a few seconds of age never
 *     shows.
 *
 * Which requests and responses qualify is server.c's decision (GET/HEAD
 * without cookies, 200 without headers of the handler's own).  Bounded:
 * TD_WEB_CACHE_SLOTS entries, each at most TD_WEB_CACHE_ENTRY_MAX bytes,
 * TD_WEB_CACHE_BYTES in all.  Thread-safe.
 */
#ifndef TD_WEB_CACHE_H
#define TD_WEB_CACHE_H

#include "base/compat.h"

#include <microhttpd.h>

#define TD_WEB_CACHE_TTL_MS 5000
#define TD_WEB_CACHE_RECHECK_MS 10
#define TD_WEB_CACHE_SLOTS 1024
#define TD_WEB_CACHE_ENTRY_MAX ((size_t)1 << 20)
#define TD_WEB_CACHE_BYTES ((size_t)32 << 20)

struct td_web_cache;

/* A cache watching the database at `db_path` (its own read-only use of a handle). */
int td_web_cache_open(const char *db_path, struct td_web_cache **out);
/* Drop every entry and the handle.  Call after the daemon stopped.  NULL ok. */
void td_web_cache_free(struct td_web_cache *c);

/*
 * The database's version at `now_ns` (CLOCK_MONOTONIC), read again if due,
 * dropping every entry if it moved; false when it cannot be read (then
 * neither look up nor store).
 */
bool td_web_cache_version(struct td_web_cache *c, int64_t now_ns, int64_t *version);

/* The database may have changed (a request wrote): read the version on next use. */
void td_web_cache_changed(struct td_web_cache *c);

/*
 * If a response for `key` stored at `version` is fresh at `now_ns`
 * (CLOCK_MONOTONIC), queue it on `conn` with status 200, set `*len` (its
 * body size) and `*ret` (MHD_queue_response's result), and return true.
 */
bool td_web_cache_queue(struct td_web_cache *c, const char *key, int64_t version, int64_t now_ns,
                        struct MHD_Connection *conn, size_t *len, enum MHD_Result *ret);

/*
 * Keep `resp` (a 200 with a `len`-byte body, rendered after `version` was
 * read) for `key`.  Takes over the caller's reference: the caller must not
 * destroy `resp`.  Too large, or a version that has moved since: the
 * response is just released.
 */
void td_web_cache_put(struct td_web_cache *c, const char *key, int64_t version, int64_t now_ns,
                      struct MHD_Response *resp, size_t len);

#endif
