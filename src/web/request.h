/*
 * request.h - one HTTP request as the handlers see it (internal to web/).
 *
 * server.c fills the request side from libmicrohttpd and turns the response
 * side into an MHD response; handlers (app.c) only read the first and
 * write the second.  Everything allocated for the request lives in
 * `arena` and dies with it.
 */
#ifndef TD_WEB_REQUEST_H
#define TD_WEB_REQUEST_H

#include "base/compat.h"
#include "base/arena.h"
#include "base/buf.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/html.h"
#include "web/listen.h"
#include "web/router.h"
#include "web/web.h"

#include <pthread.h>

#define TD_WEB_MAX_RESP_HEADERS 8
#define TD_WEB_PAGE_CAP (4u << 20) /* largest page we render */

#define TD_WEB_POOL_MAX 64 /* idle database handles kept */

struct MHD_Connection;
struct td_store;
struct td_web_cache;
struct td_user;

/* Server-wide state shared by all requests (read-only after start, except the pool). */
struct td_web_app {
    const char *site_name;
    char *logo; /* the logo file's bytes, or NULL */
    size_t logo_len;
    const char *logo_type; /* its media type */
    size_t max_body;
    const char *db_path;
    char base_url[512];  /* public URL without the trailing slash */
    bool secure_cookies; /* base_url is https */
    struct td_web_listen listen;
    struct td_ratelimit *signin_rl, *signup_rl, *comment_rl;

    /* Database handles: one per request in flight, idle ones kept here. */
    pthread_mutex_t pool_lock;
    struct td_store *pool[TD_WEB_POOL_MAX];
    size_t npool;
};

struct td_web_req {
    struct td_arena arena;
    const struct td_web_app *app;
    struct MHD_Connection *conn;

    /* request */
    const char *method;
    struct td_str uri;        /* raw request target, for the log */
    struct td_str path;       /* percent-decoded path */
    struct td_web_form query; /* parsed query string */
    struct td_buf body;       /* capped at app->max_body */
    bool body_too_big;
    struct td_web_match match;
    struct td_store *store; /* taken from the pool on first use */
    bool store_failed;
    struct td_user *user; /* the signed-in reader (account.c), or NULL */
    const char *session;  /* their session token */
    bool user_loaded;

    /* response */
    int status;
    const char *content_type;
    struct td_web_html out;  /* the response body */
    const char *static_body; /* instead of `out`: bytes that outlive the request */
    size_t static_len;
    size_t nheaders;
    const char *hname[TD_WEB_MAX_RESP_HEADERS], *hvalue[TD_WEB_MAX_RESP_HEADERS];

    /* the response cache (cache.h): the data version read before rendering */
    struct td_web_cache *cache;
    int64_t cache_version;
    bool cache_version_ok;
    bool cache_hit; /* answered from the cache (logged as cache=hit) */

    /* bookkeeping */
    bool started, answered;
    int64_t t0_ns;
    size_t bytes_out;
};

/* The request's database handle (opened or taken from the pool), or NULL on failure. */
struct td_store *td_web_req_store(struct td_web_req *r);
/* A cookie's value, or NULL. */
const char *td_web_req_cookie(struct td_web_req *r, const char *name);
/* The client's address as text ("127.0.0.1"), in the arena. */
const char *td_web_req_ip(struct td_web_req *r);

/* A request header's value, or NULL. */
const char *td_web_req_header(struct td_web_req *r, const char *name);
/* Add a response header; both strings must outlive the request (literals or arena). */
void td_web_req_add_header(struct td_web_req *r, const char *name, const char *value);

/* Dispatch a complete request: route it and run the handler (app.c). */
void td_web_app_handle(struct td_web_req *r);

/* Render a full error page with `status` and `message` into the response. */
void td_web_reply_error(struct td_web_req *r, int status, const char *message);

#endif
