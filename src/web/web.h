/*
 * web.h - the reader's web server: `tidings serve` calls these.
 *
 * td_web_start binds the listening socket and starts libmicrohttpd's epoll
 * thread pool; requests are served until td_web_stop, which stops
 * accepting, lets requests in flight finish (up to a deadline) and then
 * closes everything.  Each request gets its own arena; each response
 * carries the security headers (Content-Security-Policy and friends); each
 * completed request logs one `http ...` line with key=value fields
 * (`cache=hit` when an anonymous reader's page came from the response
 * cache, which is dropped whenever the database changes).
 */
#ifndef TD_WEB_H
#define TD_WEB_H

#include "base/compat.h"

struct td_web_config {
    const char *host;      /* numeric address to bind, e.g. "127.0.0.1" or "::1" */
    unsigned port;         /* 0 picks a free port (see td_web_port) */
    unsigned threads;      /* worker threads; 0 means 2 */
    const char *site_name; /* shown in the header; NULL means "tidings" */
    const char *logo_path; /* an image file served at /logo, or NULL */
    size_t max_body;       /* request body cap in bytes; 0 means 64 KiB */
    const char *db_path;   /* the store's location (see td_store_open) */
    const char *base_url;  /* public URL for feeds and cookies; NULL: http://host:port */
    const char *cache_dir; /* Listen audio cache; NULL: DB_PATH.listen */
    size_t cache_cap;      /* bytes the audio cache may hold; 0 means 512 MiB */
};

struct td_web;

/*
 * Start serving.  Opens the database once (creating and migrating it, so
 * that errors show at start rather than on the first request), reads the
 * logo (if any) and binds; on success `*out` is the running server.
 * TD_EINVAL for a bad address or an unreadable logo, the store's error when
 * the database cannot be opened, TD_EIO when the socket cannot be bound.
 */
int td_web_start(const struct td_web_config *cfg, struct td_web **out);

/* The port actually bound (useful with port 0). */
unsigned td_web_port(const struct td_web *w);

/*
 * Stop accepting connections, wait up to `grace_ms` for requests in flight
 * to complete, then shut down and free `w`.  NULL is ignored.
 */
void td_web_stop(struct td_web *w, unsigned grace_ms);

#endif
