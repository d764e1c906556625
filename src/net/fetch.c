/*
 * fetch.c - one HTTP GET on a libcurl easy handle: options, the callbacks
 * that enforce the body cap and the SSRF guard and capture headers, the
 * mapping of libcurl's outcome to TD_E* codes, and td_net_get, the blocking
 * single fetch built on them.
 */
#include "base/compat.h"
#include "base/error.h"
#include "net/internal.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <unistd.h>

#define URL_MAX 8192

const char td_net_user_agent[] = "tidings/" TD_VERSION " (self-hosted news reader)";

static const char *const hdr_names[HDR_COUNT] = {
    [HDR_CONTENT_TYPE] = "content-type",   [HDR_ETAG] = "etag",
    [HDR_LAST_MODIFIED] = "last-modified", [HDR_RETRY_AFTER] = "retry-after",
    [HDR_CACHE_CONTROL] = "cache-control", [HDR_EXPIRES] = "expires",
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init_once(void)
{
    CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

    if (rc != CURLE_OK)
        td_panic(__FILE__, __LINE__, "curl_global_init: %s", curl_easy_strerror(rc));
}

void td_net_global_init(void)
{
    pthread_once(&global_once, global_init_once);
}

void td_net_response_init(struct td_net_response *r)
{
    memset(r, 0, sizeof(*r));
    td_buf_init(&r->body, TD_NET_MAX_BODY_DEFAULT);
}

void td_net_response_release(struct td_net_response *r)
{
    if (!r)
        return;
    free(r->url);
    free(r->permanent_url);
    free(r->content_type);
    free(r->etag);
    free(r->last_modified);
    free(r->retry_after);
    free(r->cache_control);
    free(r->expires);
    free(r->location);
    td_buf_release(&r->body);
    td_net_response_init(r);
}

static void set_error(struct td_net_response *r, const char *fmt, ...) TD_PRINTF(2, 3);

static void set_error(struct td_net_response *r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(r->error, sizeof(r->error), fmt, ap);
    va_end(ap);
}

/*
 * CURLOPT_OPENSOCKETFUNCTION: libcurl calls this with the resolved address
 * of every connection it opens (each redirect hop, each happy-eyeballs
 * attempt), so this is where the guard looks.
 */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct td_net_xfer *x = clientp;
    curl_socket_t fd;

    (void)purpose;
    if (!x->allow_private) {
        enum td_net_addr_class c = td_net_addr_classify(&a->addr, a->addrlen);
        if (c != TD_NET_ADDR_PUBLIC) {
            const void *raw = a->family == AF_INET6
                                  ? (const void *)&((struct sockaddr_in6 *)&a->addr)->sin6_addr
                                  : (const void *)&((struct sockaddr_in *)&a->addr)->sin_addr;
            x->denied = true;
            x->denied_class = c;
            if (!inet_ntop(a->family, raw, x->denied_addr, sizeof(x->denied_addr)))
                snprintf(x->denied_addr, sizeof(x->denied_addr), "?");
            return CURL_SOCKET_BAD;
        }
    }
    fd = socket(a->family, a->socktype, a->protocol);
    if (fd >= 0)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

/*
 * CURLOPT_PREREQFUNCTION: runs before every request, also on a connection
 * taken from libcurl's cache that was opened for a transfer allowed to
 * reach private addresses.  The connection's peer must pass the guard too.
 */
static int check_peer(void *clientp, char *primary_ip, char *local_ip, int primary_port,
                      int local_port)
{
    struct td_net_xfer *x = clientp;
    enum td_net_addr_class c;

    (void)local_ip;
    (void)primary_port;
    (void)local_port;
    if (x->allow_private)
        return CURL_PREREQFUNC_OK;
    c = td_net_addr_classify_str(primary_ip);
    if (c == TD_NET_ADDR_PUBLIC)
        return CURL_PREREQFUNC_OK;
    x->denied = true;
    x->denied_class = c;
    snprintf(x->denied_addr, sizeof(x->denied_addr), "%s", primary_ip ? primary_ip : "?");
    return CURL_PREREQFUNC_ABORT;
}

static bool is_redirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* A status line "HTTP/1.1 200 OK" or "HTTP/2 304": a new response begins. */
static void on_status_line(struct td_net_xfer *x, const char *line, size_t len)
{
    const char *sp = memchr(line, ' ', len);
    long status = 0;

    if (sp) {
        for (const char *p = sp + 1; p < line + len && p < sp + 4; p++) {
            if (*p < '0' || *p > '9')
                break;
            status = status * 10 + (*p - '0');
        }
    }
    if (status >= 100 && status < 200)
        return; /* informational; the real status line follows */
    if (x->responses > 0) {
        /* The previous response was a hop that libcurl followed. */
        bool permanent = x->hop_status == 301 || x->hop_status == 308;
        if (permanent) {
            x->resp->permanent_redirect = true;
            if (x->perm_chain) {
                char *u = NULL;
                if (curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &u) == CURLE_OK && u) {
                    free(x->resp->permanent_url);
                    x->resp->permanent_url = td_xstrdup(u);
                }
            }
        } else {
            x->perm_chain = false;
        }
    }
    x->responses++;
    x->hop_status = status;
    x->in_headers = true;
    for (int i = 0; i < HDR_COUNT; i++)
        td_buf_reset(&x->hdr[i]);
}

static void on_header(struct td_net_xfer *x, const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len);

    if (!colon)
        return;
    struct td_str name = td_str_make(line, (size_t)(colon - line));
    struct td_str value = td_str_trim(td_str_make(colon + 1, len - (size_t)(colon - line) - 1));
    for (int i = 0; i < HDR_COUNT; i++) {
        if (!td_str_eq_nocase(name, td_str_c(hdr_names[i])))
            continue;
        struct td_buf *b = &x->hdr[i];
        size_t mark = b->len;
        int err = 0;
        if (b->len && i == HDR_CACHE_CONTROL)
            err = td_buf_append_c(b, ", ");
        else
            td_buf_reset(b); /* a repeated single-valued header: the last wins */
        if (!err)
            err = td_buf_append_str(b, value);
        if (err)
            td_buf_truncate(b, mark); /* over TD_NET_HEADER_MAX: keep what we had */
        return;
    }
}

/* End of one response's headers: refuse a declared body over the cap now. */
static bool on_headers_done(struct td_net_xfer *x)
{
    curl_off_t clen = -1;

    if (x->follow && is_redirect(x->hop_status))
        return true; /* libcurl skips this body and follows */
    if (x->hop_status == 304)
        return true;
    if (curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen) != CURLE_OK)
        return true;
    if (clen > 0 && (uint64_t)clen > x->max_body) {
        x->too_big = true;
        return false;
    }
    if (clen > 0 && td_buf_grow(&x->resp->body, (size_t)clen) < 0)
        return true; /* only a size hint; the write callback enforces the cap */
    return true;
}

static size_t header_cb(char *data, size_t size, size_t n, void *userp)
{
    struct td_net_xfer *x = userp;
    size_t len = size * n;
    struct td_str line = td_str_trim(td_str_make(data, len));

    if (td_str_starts_with(line, TD_STR_LIT("HTTP/"))) {
        on_status_line(x, line.ptr, line.len);
    } else if (line.len == 0) {
        if (!x->in_headers)
            return len; /* the end of chunked trailers */
        x->in_headers = false;
        return on_headers_done(x) ? len : 0;
    } else if (x->in_headers) {
        on_header(x, line.ptr, line.len); /* trailers may not set validators */
    }
    return len;
}

static size_t write_cb(char *data, size_t size, size_t n, void *userp)
{
    struct td_net_xfer *x = userp;
    size_t len = size * n;

    if (td_buf_append(&x->resp->body, data, len) < 0) {
        x->too_big = true;
        return 0; /* anything short of len makes libcurl abort the transfer */
    }
    return len;
}

static bool has_crlf(const char *s)
{
    return s && strpbrk(s, "\r\n") != NULL;
}

/* Only absolute http and https URLs reach libcurl. */
static int check_url(const char *url, struct td_net_response *resp)
{
    CURLU *u = NULL;
    char *scheme = NULL;
    int err = 0;

    if (!url || !*url) {
        set_error(resp, "empty URL");
        return TD_EINVAL;
    }
    if (strlen(url) > URL_MAX) {
        set_error(resp, "URL longer than %d bytes", URL_MAX);
        return TD_EINVAL;
    }
    u = curl_url();
    if (!u)
        td_panic(__FILE__, __LINE__, "curl_url: out of memory");
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
        set_error(resp, "not an absolute URL: '%.200s'", url);
        err = TD_EINVAL;
        goto out;
    }
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        set_error(resp, "only http and https URLs are fetched, not '%.40s:'", scheme);
        err = TD_EINVAL;
        goto out;
    }
out:
    curl_free(scheme);
    curl_url_cleanup(u);
    return err;
}

static int check_header(const char *name, const char *value, struct td_net_response *resp)
{
    if (value && (has_crlf(value) || strlen(value) > TD_NET_HEADER_MAX)) {
        set_error(resp, "%s value is too long or contains a line break", name);
        return TD_EINVAL;
    }
    return 0;
}

int td_net_xfer_check(const char *url, const struct td_net_opts *opts, struct td_net_response *resp)
{
    int err = check_url(url, resp);

    if (!err && opts)
        err = check_header("If-None-Match", opts->etag, resp);
    if (!err && opts)
        err = check_header("If-Modified-Since", opts->last_modified, resp);
    if (!err && opts)
        err = check_header("User-Agent", opts->user_agent, resp);
    return err;
}

/* Add "name: value" to the request; the value was checked by td_net_xfer_check. */
static void add_header(struct td_net_xfer *x, const char *name, const char *value)
{
    char line[TD_NET_HEADER_MAX + 64];
    struct curl_slist *l;

    if (!value || !*value)
        return;
    snprintf(line, sizeof(line), "%s: %s", name, value);
    l = curl_slist_append(x->req_headers, line);
    if (!l)
        td_panic(__FILE__, __LINE__, "curl_slist_append: out of memory");
    x->req_headers = l;
}

int td_net_xfer_setup(struct td_net_xfer *x, const char *url, const struct td_net_opts *opts,
                      struct td_net_response *resp)
{
    static const struct td_net_opts defaults;
    long timeout, connect_timeout;
    int err;
    CURL *e;

    if (!opts)
        opts = &defaults;
    memset(x, 0, sizeof(*x));
    td_net_response_release(resp);
    x->resp = resp;
    x->max_body = opts->max_body ? opts->max_body : TD_NET_MAX_BODY_DEFAULT;
    x->allow_private = opts->allow_private;
    x->follow = opts->max_redirects >= 0;
    x->max_redirects = opts->max_redirects ? opts->max_redirects : TD_NET_MAX_REDIRECTS_DEFAULT;
    x->perm_chain = true;
    for (int i = 0; i < HDR_COUNT; i++)
        td_buf_init(&x->hdr[i], TD_NET_HEADER_MAX);
    resp->body.cap = x->max_body;
    timeout = opts->timeout_ms > 0 ? opts->timeout_ms : TD_NET_TIMEOUT_MS_DEFAULT;
    connect_timeout =
        opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : TD_NET_CONNECT_TIMEOUT_MS_DEFAULT;

    err = td_net_xfer_check(url, opts, resp);
    if (err)
        return err;
    add_header(x, "If-None-Match", opts->etag);
    add_header(x, "If-Modified-Since", opts->last_modified);

    td_net_global_init();
    e = x->easy = curl_easy_init();
    if (!e)
        td_panic(__FILE__, __LINE__, "curl_easy_init failed");
    /* Each setopt below can only fail on out-of-memory or an unknown option. */
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->curl_error);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, x->follow ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)x->max_redirects);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* all libcurl decodes: gzip, deflate, br */
    curl_easy_setopt(e, CURLOPT_USERAGENT, opts->user_agent ? opts->user_agent : td_net_user_agent);
    curl_easy_setopt(e, CURLOPT_PROXY, ""); /* the guard must see the origin's address */
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->req_headers);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x);
    curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, check_peer);
    curl_easy_setopt(e, CURLOPT_PREREQDATA, x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    return 0;
}

static char *take_header(struct td_buf *b)
{
    return b->len ? td_buf_detach(b, NULL) : NULL;
}

int td_net_xfer_finish(struct td_net_xfer *x, CURLcode rc)
{
    struct td_net_response *r = x->resp;
    char *s = NULL;
    long nredir = 0;

    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r->status);
    if (curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK && s)
        r->url = td_xstrdup(s);
    curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_COUNT, &nredir);
    r->redirects = (int)nredir;
    r->content_type = take_header(&x->hdr[HDR_CONTENT_TYPE]);
    r->etag = take_header(&x->hdr[HDR_ETAG]);
    r->last_modified = take_header(&x->hdr[HDR_LAST_MODIFIED]);
    r->retry_after = take_header(&x->hdr[HDR_RETRY_AFTER]);
    r->cache_control = take_header(&x->hdr[HDR_CACHE_CONTROL]);
    r->expires = take_header(&x->hdr[HDR_EXPIRES]);

    if (x->too_big) {
        set_error(r, "body larger than the %zu-byte cap", x->max_body);
        return TD_ETOOBIG;
    }
    if (rc == CURLE_OK) {
        if (r->status == 304) {
            r->not_modified = true;
            return 0;
        }
        if (r->status >= 200 && r->status < 300)
            return 0;
        if (!x->follow && is_redirect(r->status)) {
            s = NULL;
            if (curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &s) == CURLE_OK && s)
                r->location = td_xstrdup(s);
            return 0;
        }
        set_error(r, "HTTP status %ld", r->status);
        return TD_EHTTP;
    }
    if (x->denied) {
        set_error(r, "refused to connect to %s, a %s address (allow_private is off)",
                  x->denied_addr, td_net_addr_class_name(x->denied_class));
        return TD_EDENIED;
    }
    switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
        set_error(r, "refused a redirect to a scheme other than http/https: %s", x->curl_error);
        return TD_EDENIED;
    case CURLE_TOO_MANY_REDIRECTS:
        set_error(r, "more than %d redirects", x->max_redirects);
        return TD_EHTTP;
    case CURLE_OPERATION_TIMEDOUT:
        set_error(r, "timed out: %s", x->curl_error[0] ? x->curl_error : curl_easy_strerror(rc));
        return TD_ETIMEOUT;
    case CURLE_URL_MALFORMAT:
        set_error(r, "malformed URL: %s", x->curl_error);
        return TD_EINVAL;
    default:
        set_error(r, "%s", x->curl_error[0] ? x->curl_error : curl_easy_strerror(rc));
        return TD_ENET;
    }
}

void td_net_xfer_release(struct td_net_xfer *x)
{
    if (x->easy)
        curl_easy_cleanup(x->easy);
    curl_slist_free_all(x->req_headers);
    for (int i = 0; i < HDR_COUNT; i++)
        td_buf_release(&x->hdr[i]);
    memset(x, 0, sizeof(*x));
}

int td_net_get(const char *url, const struct td_net_opts *opts, struct td_net_response *out)
{
    struct td_net_xfer x;
    int err = td_net_xfer_setup(&x, url, opts, out);

    if (!err)
        err = td_net_xfer_finish(&x, curl_easy_perform(x.easy));
    td_net_xfer_release(&x);
    return err;
}
