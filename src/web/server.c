/*
 * server.c - libmicrohttpd glue: start and stop the daemon, turn MHD's
 * callbacks into one struct td_web_req per request, apply the body cap,
 * attach the security headers and write the access log.
 *
 * The request target is taken raw from the URI log callback (which MHD
 * calls first, before its own decoding) and parsed here, so that a bad
 * percent-escape or invalid UTF-8 is a 400 and never a silently altered
 * path.  Bodies over the cap get 413: at once when Content-Length says so,
 * otherwise once the upload ends (the excess is read and dropped, never
 * stored).
 *
 * Anonymous GETs are answered from the response cache (cache.h) when it
 * holds a fresh copy; otherwise rendered, and kept when the answer is the
 * same for every anonymous reader (see cacheable_request/_response).
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/log.h"
#include "store/store.h"
#include "tts/tts.h"
#include "web/cache.h"
#include "web/request.h"
#include "web/web.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * CSP level 3: nothing from anywhere unless listed.  Scripts and styles only
 * from our own origin (no inline code at all); images also from the outlets
 * (lead photos) over http(s); forms post only to us; no framing.
 */
#define CSP                                                                                        \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: http:; "       \
    "media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "           \
    "base-uri 'none'"

#define DEFAULT_MAX_BODY (64 * 1024)
#define LOGO_MAX (512 * 1024)
#define DEFAULT_CACHE_CAP ((size_t)512 << 20)
#define AUDIO_FILE_CAP ((size_t)32 << 20)
#define CACHE_KEY_MAX 2048 /* longer request targets are not cached */

struct td_web {
    struct MHD_Daemon *daemon;
    struct td_web_app app;
    unsigned port;
    atomic_int in_flight;
    char cache_dir[4096];
    struct td_web_cache *cache;
};

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

const char *td_web_req_header(struct td_web_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

struct td_store *td_web_req_store(struct td_web_req *r)
{
    struct td_web_app *app = (struct td_web_app *)r->app;

    if (r->store || r->store_failed)
        return r->store;
    pthread_mutex_lock(&app->pool_lock);
    if (app->npool)
        r->store = app->pool[--app->npool];
    pthread_mutex_unlock(&app->pool_lock);
    if (!r->store && td_store_open(app->db_path, 0, &r->store) < 0) {
        char shown[512];
        td_log_err("cannot open the database db=%s",
                   td_store_redact(app->db_path, shown, sizeof(shown)));
        r->store = NULL;
        r->store_failed = true;
    }
    return r->store;
}

static void store_return(struct td_web_app *app, struct td_store *st)
{
    if (!st)
        return;
    pthread_mutex_lock(&app->pool_lock);
    if (app->npool < TD_WEB_POOL_MAX) {
        app->pool[app->npool++] = st;
        st = NULL;
    }
    pthread_mutex_unlock(&app->pool_lock);
    td_store_close(st);
}

const char *td_web_req_cookie(struct td_web_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

void td_web_req_add_header(struct td_web_req *r, const char *name, const char *value)
{
    TD_ASSERT(r->nheaders < TD_WEB_MAX_RESP_HEADERS);
    r->hname[r->nheaders] = name;
    r->hvalue[r->nheaders] = value;
    r->nheaders++;
}

/* MHD_OPTION_URI_LOG_CALLBACK: the first thing MHD tells us about a request. */
static void *uri_log(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct td_web *w = cls;
    struct td_web_req *r = td_xcalloc(1, sizeof(*r));

    td_arena_init(&r->arena);
    r->app = &w->app;
    r->cache = w->cache;
    r->conn = conn;
    r->uri = td_arena_str(&r->arena, td_str_c(uri));
    td_buf_init(&r->body, w->app.max_body);
    td_web_html_init(&r->out, TD_WEB_PAGE_CAP);
    r->status = 200;
    r->content_type = "text/html; charset=utf-8";
    r->t0_ns = now_ns();
    atomic_fetch_add(&w->in_flight, 1);
    return r;
}

/* Log-safe copy of untrusted text: printable ASCII except quote and backslash, others %XX. */
static const char *log_safe(struct td_arena *a, struct td_str s, size_t max)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = TD_MIN(s.len, max);
    char *out = td_arena_alloc(a, n * 3 + 4), *o = out;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c > 0x20 && c < 0x7f && c != '"' && c != '\\') {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    if (s.len > max) {
        memcpy(o, "...", 3);
        o += 3;
    }
    *o = '\0';
    return out;
}

static void client_ip(struct MHD_Connection *conn, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

    snprintf(out, size, "-");
    if (!ci || !ci->client_addr)
        return;
    if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
                  out, (socklen_t)size);
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, out,
                  (socklen_t)size);
}

const char *td_web_req_ip(struct td_web_req *r)
{
    char ip[INET6_ADDRSTRLEN];

    client_ip(r->conn, ip, sizeof(ip));
    return td_arena_strndup(&r->arena, ip, strlen(ip));
}

/* MHD_OPTION_NOTIFY_COMPLETED: log the request and free it. */
static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct td_web *w = cls;
    struct td_web_req *r = *con_cls;
    char ip[INET6_ADDRSTRLEN];

    if (!r)
        return;
    client_ip(conn, ip, sizeof(ip));
    td_log_info("http method=%s path=\"%s\" status=%d bytes=%zu ms=%.2f ip=%s%s%s",
                r->method ? log_safe(&r->arena, td_str_c(r->method), 16) : "-",
                log_safe(&r->arena, r->uri, 512), r->answered ? r->status : 0, r->bytes_out,
                (double)(now_ns() - r->t0_ns) / 1e6, ip,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1",
                r->cache_hit ? " cache=hit" : "");
    store_return(&w->app, r->store);
    td_web_html_release(&r->out);
    td_buf_release(&r->body);
    td_arena_release(&r->arena);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&w->in_flight, 1);
}

/* Split the raw target into a decoded path and a parsed query; 400 on malformed input. */
static bool parse_target(struct td_web_req *r)
{
    struct td_str uri = r->uri;
    ptrdiff_t q = td_str_find(uri, TD_STR_LIT("?"));
    struct td_str raw_path = q < 0 ? uri : td_str_make(uri.ptr, (size_t)q);
    struct td_str raw_query = q < 0 ? TD_STR_NULL : td_str_sub(uri, (size_t)q + 1, uri.len);
    int rc;

    if (raw_path.len == 0 || raw_path.ptr[0] != '/') {
        td_web_reply_error(r, 400, "The request target must be a path starting with '/'.");
        return false;
    }
    if (td_web_pct_decode(raw_path, &r->arena, &r->path) < 0) {
        td_web_reply_error(r, 400, "The path has a malformed percent-escape or is not UTF-8.");
        return false;
    }
    rc = td_web_form_parse(&r->query, raw_query, &r->arena);
    if (rc == TD_ETOOBIG) {
        td_web_reply_error(r, 400, "The query string has too many parameters.");
        return false;
    }
    if (rc < 0) {
        td_web_reply_error(r, 400,
                           "The query string has a malformed percent-escape or is not UTF-8.");
        return false;
    }
    return true;
}

/*
 * Whether every anonymous reader gets the same answer to this request: a
 * GET or HEAD with no cookies (a session or CSRF cookie changes the page)
 * and no body, for a target of sensible length.
 */
static bool cacheable_request(const struct td_web_req *r)
{
    return (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) && r->body.len == 0 &&
           !r->body_too_big && r->uri.len <= CACHE_KEY_MAX &&
           !MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
}

/*
 * Whether the rendered answer may be kept: a page (not a static asset,
 * which is already in memory) that went well, to which the handler added
 * no headers of its own (Set-Cookie, or the Listen audio's cache status).
 */
static bool cacheable_response(const struct td_web_req *r)
{
    return r->status == 200 && !r->static_body && !r->out.err && r->nheaders == 0;
}

static enum MHD_Result send_response(struct td_web_req *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    bool keep = r->cache_version_ok && cacheable_response(r);

    if (r->static_body) {
        resp = MHD_create_response_from_buffer(r->static_len, (void *)r->static_body,
                                               MHD_RESPMEM_PERSISTENT);
        r->bytes_out = r->static_len;
    } else {
        if (r->out.err) {
            td_log_err("page too large path=\"%s\"", log_safe(&r->arena, r->uri, 256));
            td_web_html_release(&r->out);
            td_web_html_init(&r->out, TD_WEB_PAGE_CAP);
            r->nheaders = 0;
            td_web_reply_error(r, 500, "The page is too large to render.");
        }
        size_t len;
        char *body = td_buf_detach(&r->out.buf, &len);
        resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
        r->bytes_out = len;
    }
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    for (size_t i = 0; i < r->nheaders; i++)
        MHD_add_response_header(resp, r->hname[i], r->hvalue[i]);
    if (r->status == 413)
        MHD_add_response_header(resp, "Connection", "close");
    ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    if (keep)
        td_web_cache_put(r->cache, r->uri.ptr, r->cache_version, r->t0_ns, resp, r->bytes_out);
    else
        MHD_destroy_response(resp);
    r->answered = true;
    return ret;
}

/* Answer from the cache if it can; else note the data version the render will see. */
static bool cached_answer(struct td_web_req *r, enum MHD_Result *ret)
{
    if (!r->cache || !cacheable_request(r) ||
        !td_web_cache_version(r->cache, r->t0_ns, &r->cache_version))
        return false;
    r->cache_version_ok = true;
    if (!td_web_cache_queue(r->cache, r->uri.ptr, r->cache_version, r->t0_ns, r->conn,
                            &r->bytes_out, ret))
        return false;
    r->answered = r->cache_hit = true;
    return true;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **con_cls)
{
    struct td_web_req *r = *con_cls;

    (void)cls, (void)url, (void)version, (void)conn;
    if (!r)
        return MHD_NO;
    if (!r->started) {
        r->started = true;
        r->method = td_arena_strndup(&r->arena, method, strlen(method));
        const char *cl = td_web_req_header(r, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > r->app->max_body) {
            td_web_reply_error(r, 413, "The request body is larger than this server accepts.");
            return send_response(r);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->body_too_big && td_buf_append(&r->body, upload_data, *upload_data_size) < 0)
            r->body_too_big = true;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->answered)
        return MHD_YES;
    enum MHD_Result ret;
    if (cached_answer(r, &ret))
        return ret;
    if (r->body_too_big)
        td_web_reply_error(r, 413, "The request body is larger than this server accepts.");
    else if (parse_target(r))
        td_web_app_handle(r);
    /* A post (or a signed-in reader's visit) may have written: cached pages may be stale. */
    if (r->cache && !cacheable_request(r))
        td_web_cache_changed(r->cache);
    return send_response(r);
}

static const char *logo_type(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (!dot)
        return NULL;
    if (!strcmp(dot, ".png"))
        return "image/png";
    if (!strcmp(dot, ".svg"))
        return "image/svg+xml";
    if (!strcmp(dot, ".jpg") || !strcmp(dot, ".jpeg"))
        return "image/jpeg";
    if (!strcmp(dot, ".webp"))
        return "image/webp";
    if (!strcmp(dot, ".gif"))
        return "image/gif";
    if (!strcmp(dot, ".ico"))
        return "image/x-icon";
    return NULL;
}

static int load_logo(struct td_web_app *app, const char *path)
{
    FILE *f = NULL;
    struct stat st;
    int rc = TD_EINVAL;

    app->logo_type = logo_type(path);
    if (!app->logo_type) {
        td_log_err("logo must be .png, .svg, .jpg, .webp, .gif or .ico path=%s", path);
        goto out;
    }
    f = fopen(path, "rb");
    if (!f || fstat(fileno(f), &st) < 0 || st.st_size <= 0 || st.st_size > LOGO_MAX) {
        td_log_err("cannot use logo path=%s (unreadable, empty or over %d bytes)", path, LOGO_MAX);
        goto out;
    }
    app->logo_len = (size_t)st.st_size;
    app->logo = td_xmalloc(app->logo_len);
    if (fread(app->logo, 1, app->logo_len, f) != app->logo_len) {
        td_log_err("cannot read logo path=%s", path);
        goto out;
    }
    rc = 0;
out:
    if (f)
        fclose(f);
    return rc;
}

static void release(struct td_web *w)
{
    td_web_cache_free(w->cache);
    for (size_t i = 0; i < w->app.npool; i++)
        td_store_close(w->app.pool[i]);
    pthread_mutex_destroy(&w->app.pool_lock);
    td_ratelimit_free(w->app.signin_rl);
    td_ratelimit_free(w->app.signup_rl);
    td_ratelimit_free(w->app.comment_rl);
    free(w->app.logo);
    free(w);
}

/* Bind and listen on `host`:`port` ourselves, so the port is known before MHD starts. */
static int bind_socket(const char *host, unsigned port, unsigned *bound)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int fd = -1, one = 1;

    memset(&ss, 0, sizeof(ss));
    if (inet_pton(AF_INET, host, &((struct sockaddr_in *)(void *)&ss)->sin_addr) == 1) {
        struct sockaddr_in *sin = (struct sockaddr_in *)(void *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)port);
        len = sizeof(*sin);
    } else if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)(void *)&ss)->sin6_addr) == 1) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)(void *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((uint16_t)port);
        len = sizeof(*sin6);
    } else {
        td_log_err("listen address must be a numeric IPv4 or IPv6 address host=%s", host);
        return TD_EINVAL;
    }
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 256) < 0 ||
        getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
        td_log_err("cannot listen host=%s port=%u: %s", host, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        return TD_EIO;
    }
    *bound = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)(void *)&ss)->sin_port
                                           : ((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
    return fd;
}

int td_web_start(const struct td_web_config *cfg, struct td_web **out)
{
    struct td_web *w = td_xcalloc(1, sizeof(*w));
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    struct td_store *st = NULL;
    int rc, fd = -1;

    pthread_mutex_init(&w->app.pool_lock, NULL);
    w->app.site_name = cfg->site_name ? cfg->site_name : "tidings";
    w->app.max_body = cfg->max_body ? cfg->max_body : DEFAULT_MAX_BODY;
    w->app.db_path = cfg->db_path;
    if (cfg->logo_path && (rc = load_logo(&w->app, cfg->logo_path)) < 0)
        goto out;
    if ((rc = td_auth_init()) < 0) {
        td_log_err("libsodium failed to initialize");
        goto out;
    }
    if ((rc = td_store_open(cfg->db_path, 0, &st)) < 0)
        goto out;
    w->app.pool[w->app.npool++] = st;
    if ((rc = td_web_cache_open(cfg->db_path, &w->cache)) < 0)
        goto out;
    snprintf(w->cache_dir, sizeof(w->cache_dir), "%s%s",
             cfg->cache_dir ? cfg->cache_dir : cfg->db_path, cfg->cache_dir ? "" : ".listen");
    w->app.listen.dir = w->cache_dir;
    w->app.listen.dir_cap = cfg->cache_cap ? cfg->cache_cap : DEFAULT_CACHE_CAP;
    w->app.listen.file_cap = AUDIO_FILE_CAP;
    /* Sign-in failures per address and per name; sign-ups per address; comments per user. */
    w->app.signin_rl = td_ratelimit_new(5, 15 * 60);
    w->app.signup_rl = td_ratelimit_new(10, 60 * 60);
    w->app.comment_rl = td_ratelimit_new(5, 60);
    if ((rc = fd = bind_socket(cfg->host, cfg->port, &w->port)) < 0)
        goto out;
    if (cfg->base_url) {
        snprintf(w->app.base_url, sizeof(w->app.base_url), "%s", cfg->base_url);
    } else {
        bool v6 = strchr(cfg->host, ':') != NULL;
        snprintf(w->app.base_url, sizeof(w->app.base_url), "http://%s%s%s:%u", v6 ? "[" : "",
                 cfg->host, v6 ? "]" : "", w->port);
    }
    size_t bl = strlen(w->app.base_url);
    if (bl && w->app.base_url[bl - 1] == '/')
        w->app.base_url[bl - 1] = '\0';
    w->app.secure_cookies = strncmp(w->app.base_url, "https://", 8) == 0;
    w->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, access_cb, w, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads ? cfg->threads : 2),
        MHD_OPTION_URI_LOG_CALLBACK, uri_log, w, MHD_OPTION_NOTIFY_COMPLETED, completed, w,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_END);
    if (!w->daemon) {
        td_log_err("cannot start the HTTP server host=%s port=%u", cfg->host, w->port);
        close(fd);
        rc = TD_EIO;
        goto out;
    }
    *out = w;
    return 0;
out:
    release(w);
    return rc;
}

unsigned td_web_port(const struct td_web *w)
{
    return w->port;
}

void td_web_stop(struct td_web *w, unsigned grace_ms)
{
    if (!w)
        return;
    MHD_socket s = MHD_quiesce_daemon(w->daemon);
    if (s != MHD_INVALID_SOCKET)
        close(s);
    int64_t deadline = now_ns() + (int64_t)grace_ms * 1000000;
    while (atomic_load(&w->in_flight) > 0 && now_ns() < deadline) {
        struct timespec ts = {0, 10 * 1000000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(w->daemon);
    release(w);
    td_tts_shutdown();
}
