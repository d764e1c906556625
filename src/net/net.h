/*
 * net.h - the HTTP client: one blocking fetch, and (below) many concurrent
 * fetches for the crawler, both on libcurl.
 *
 * Every fetch has the same defences, because every byte comes from a
 * stranger:
 *   - the body lands in a td_buf capped at opts.max_body (10 MiB by default);
 *     a larger body aborts the transfer as soon as it is seen (Content-Length
 *     or the first chunk past the cap) and fails with TD_ETOOBIG;
 *   - a connect timeout and a total timeout;
 *   - at most 5 redirects, http and https only, on every hop;
 *   - the SSRF guard: the address each connection is actually opened to
 *     (after DNS, on every redirect hop) must be a public unicast address,
 *     unless opts.allow_private is set.  See td_net_addr_classify.
 *   - gzip, deflate and br bodies are decoded by libcurl; the cap applies to
 *     the decoded bytes, so a compression bomb stops at the cap.
 *
 * Environment proxies (http_proxy and friends) are ignored: the guard checks
 * the address we connect to, and that must be the origin server.
 *
 * Thread safety: functions here may be called from several threads at once,
 * each with its own td_net_response / td_net_multi.
 */
#ifndef TD_NET_H
#define TD_NET_H

#include "base/compat.h"
#include "base/buf.h"

#include <sys/socket.h>
#include <time.h>

#define TD_NET_MAX_BODY_DEFAULT ((size_t)10 << 20) /* 10 MiB */
#define TD_NET_TIMEOUT_MS_DEFAULT 20000L
#define TD_NET_CONNECT_TIMEOUT_MS_DEFAULT 10000L
#define TD_NET_MAX_REDIRECTS_DEFAULT 5
/* Pass as opts.max_redirects to report a 3xx reply instead of following it. */
#define TD_NET_NO_REDIRECTS (-1)
/* Longest header value kept (ETag, Cache-Control, ...); longer ones are dropped. */
#define TD_NET_HEADER_MAX 4096
/* Room for libcurl's error text, including the NUL. */
#define TD_NET_ERROR_MAX 256

/* "tidings/VERSION (self-hosted news reader)": honest about what is asking. */
extern const char td_net_user_agent[];

/*
 * Options for one fetch.  Zero-initialise and set what you need: every zero
 * field means "the default" named beside it.  Strings are borrowed for the
 * duration of the call (td_net_get) or until td_net_multi_add returns.
 */
struct td_net_opts {
    size_t max_body;           /* body cap in bytes; 0 = TD_NET_MAX_BODY_DEFAULT */
    long timeout_ms;           /* whole transfer; 0 = TD_NET_TIMEOUT_MS_DEFAULT */
    long connect_timeout_ms;   /* each connect; 0 = TD_NET_CONNECT_TIMEOUT_MS_DEFAULT */
    int max_redirects;         /* 0 = TD_NET_MAX_REDIRECTS_DEFAULT, TD_NET_NO_REDIRECTS */
    bool allow_private;        /* permit loopback/private/link-local targets (tests, intranets) */
    const char *etag;          /* sent as If-None-Match; NULL or "" for none */
    const char *last_modified; /* sent as If-Modified-Since; NULL or "" for none */
    const char *user_agent;    /* NULL = td_net_user_agent */
};

/*
 * What a fetch produced.  Initialise with td_net_response_init (or
 * TD_NET_RESPONSE_INIT), release with td_net_response_release.  Every
 * char * field is owned by the response (malloc'd) and is NULL when the
 * header was absent.  Header fields come from the final response only.
 * On failure the fields hold whatever was learnt before it (status, URL,
 * headers), the body may be partial, and `error` says what went wrong.
 */
struct td_net_response {
    long status;             /* final HTTP status; 0 if no response arrived */
    bool not_modified;       /* 304 to a conditional request: keep the cached copy */
    bool permanent_redirect; /* some followed hop was a 301 or 308 */
    int redirects;           /* hops followed */
    char *url;               /* the URL finally fetched (after redirects) */
    /*
     * Where the feed has permanently moved: the URL reached by following
     * only the leading run of 301/308 hops (RFC 9110 15.4.2: update stored
     * links).  NULL when the first hop was not permanent.
     */
    char *permanent_url;
    char *content_type;
    char *etag;
    char *last_modified;
    char *retry_after;
    char *cache_control; /* repeated headers joined with ", " */
    char *expires;
    char *location;               /* Location of a final 3xx (only with TD_NET_NO_REDIRECTS) */
    struct td_buf body;           /* decoded body, capped; NUL-terminated */
    char error[TD_NET_ERROR_MAX]; /* human-readable detail on failure, "" on success */
};

#define TD_NET_RESPONSE_INIT                                                                       \
    {                                                                                              \
        .body = TD_BUF_INIT(0)                                                                     \
    }

void td_net_response_init(struct td_net_response *r);
/* Free every field and return to the td_net_response_init state.  NULL is fine. */
void td_net_response_release(struct td_net_response *r);

/*
 * Fetch `url` (absolute http or https) with a GET and wait for the result.
 * `opts` may be NULL for all defaults.  `out` must be initialised; its old
 * contents are released first.
 *
 * Returns 0 for a 2xx reply and for a 304 (out->not_modified), and for a 3xx
 * reply with TD_NET_NO_REDIRECTS.  Otherwise a negative code, with
 * out->error explaining:
 *   TD_EINVAL   not an http/https URL, or a header value with CR/LF
 *   TD_EDENIED  the target (or a redirect's target) is a private address, or
 *               a redirect led to another scheme
 *   TD_ETOOBIG  the body exceeded opts.max_body
 *   TD_ETIMEOUT connect or total timeout
 *   TD_EHTTP    the server replied with another status (out->status, the
 *               headers and the body are filled in), or too many redirects
 *   TD_ENET     DNS, connection, TLS or protocol failure
 */
int td_net_get(const char *url, const struct td_net_opts *opts, struct td_net_response *out);

/*
 * The SSRF guard's address classifier.  Everything but TD_NET_ADDR_PUBLIC is
 * refused unless allow_private is set.  IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16)
 * addresses are judged by the IPv4 address they carry.
 */
enum td_net_addr_class {
    TD_NET_ADDR_PUBLIC,
    TD_NET_ADDR_LOOPBACK,    /* 127/8, ::1 */
    TD_NET_ADDR_PRIVATE,     /* 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fec0::/10 */
    TD_NET_ADDR_LINK_LOCAL,  /* 169.254/16, fe80::/10 */
    TD_NET_ADDR_UNSPECIFIED, /* 0/8, :: */
    TD_NET_ADDR_MULTICAST,   /* 224/4, ff00::/8, 255.255.255.255 */
    TD_NET_ADDR_RESERVED,    /* documentation, benchmarking, 240/4, Teredo, discard... */
    TD_NET_ADDR_INVALID,     /* not AF_INET or AF_INET6 */
};

enum td_net_addr_class td_net_addr_classify(const struct sockaddr *sa, socklen_t len);
/* "public", "loopback", "private", ... */
const char *td_net_addr_class_name(enum td_net_addr_class c);

#endif
