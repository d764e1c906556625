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
 *     unless opts.allow_private is set, and it is checked again before each
 *     request, so a connection kept alive for one fetch cannot carry
 *     another that is not allowed there.  See td_net_addr_classify.
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
 * Many fetches at once, for the crawler: add jobs, call td_net_multi_run
 * until it returns 0, and take finished jobs with td_net_multi_next.
 *
 *     struct td_net_multi *m = td_net_multi_new(NULL);
 *     for (each feed)
 *         td_net_multi_add(m, feed->url, &feed_opts, feed);
 *     while (td_net_multi_run(m, 1000) > 0) {
 *         struct td_net_job *j;
 *         while ((j = td_net_multi_next(m)) != NULL) {
 *             for (size_t i = 0; i < j->nusers; i++)
 *                 handle(j->users[i], j->err, &j->resp);  // may add more jobs
 *             td_net_job_free(j);
 *         }
 *     }
 *     td_net_multi_free(m);
 *
 * Politeness: at most max_per_host transfers run at once to one host (the
 * host of the URL as added; redirects are not re-counted), and with
 * host_delay_ms two requests to a host start at least that far apart.
 * Hosts waiting for a slot are served round-robin.
 *
 * One fetch per URL: adding a URL that is already queued, running, or
 * finished but not yet taken returns that same job and appends `user` to its
 * users; the first add's options are the ones used.  Each job carries the
 * caps, guard and header capture of td_net_get, and its err is what
 * td_net_get would have returned.
 *
 * Not thread-safe: one thread drives a td_net_multi (td_net_multi_wakeup
 * excepted).
 */
struct td_net_multi_opts {
    int max_total;      /* transfers running at once in all; 0 = 16 */
    int max_per_host;   /* transfers running at once per host; 0 = 2 */
    long host_delay_ms; /* least gap between starts to one host; 0 = none */
};

struct td_net_multi;
struct td_net_job_state;

struct td_net_job {
    char *url; /* as added; owned by the job */
    int err;   /* once finished: 0 or TD_E*, as td_net_get returns */
    struct td_net_response resp;
    void **users; /* the `user` of every td_net_multi_add of this URL, in order */
    size_t nusers;
    struct td_net_job_state *_state; /* private to net/ */
};

/* A new fetcher; `opts` may be NULL for the defaults. */
struct td_net_multi *td_net_multi_new(const struct td_net_multi_opts *opts);
/* Abort running transfers and free every job not yet taken.  NULL is fine. */
void td_net_multi_free(struct td_net_multi *m);
/*
 * Queue a GET of `url` with `opts` (NULL = defaults; strings are copied).
 * Returns the job, owned by `m` until td_net_multi_next hands it over.  A
 * URL that cannot be fetched at all (not http/https, bad header value)
 * gives a job that is already finished with err set.
 */
struct td_net_job *td_net_multi_add(struct td_net_multi *m, const char *url,
                                    const struct td_net_opts *opts, void *user);
/*
 * Start what the limits allow and move transfers along, waiting at most
 * `timeout_ms` for something to happen (not at all when a finished job is
 * waiting to be taken).  Returns the number of jobs not yet taken by
 * td_net_multi_next (queued, running or finished), so 0 means all done, or
 * TD_ENET if libcurl's event loop failed.
 */
int td_net_multi_run(struct td_net_multi *m, long timeout_ms);
/* Hand over the next finished job (in order of completion), or NULL. */
struct td_net_job *td_net_multi_next(struct td_net_multi *m);
/*
 * Make a td_net_multi_run that is waiting return now (or the next one
 * return without waiting).  The one call that may come from another thread
 * while one drives `m`: a worker that finished something says so.
 */
void td_net_multi_wakeup(struct td_net_multi *m);
/* Free a job taken from td_net_multi_next.  NULL is fine. */
void td_net_job_free(struct td_net_job *j);

/*
 * Scheduling hints from response headers.  Times are Unix seconds; `now`
 * is the caller's clock, so tests can pin it.
 */
/* Parse an HTTP-date (RFC 9110 5.6.7, all three forms); (time_t)-1 if invalid. */
time_t td_net_http_date(const char *s);
/*
 * Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP-date.  Returns
 * the time before which not to retry (never earlier than `now`, never more
 * than a year ahead), or (time_t)-1 when absent or unparseable.
 */
time_t td_net_retry_after(const char *value, time_t now);
/*
 * The max-age directive of a Cache-Control value (RFC 9111 5.2.2.1), in
 * seconds, or -1 when absent.  s-maxage is for shared caches and ignored.
 */
long td_net_max_age(const char *cache_control);
/*
 * When the resource is worth fetching again, from a response: Retry-After
 * on a 429, 503 or 3xx; else max-age; else Expires (an invalid Expires means
 * "already stale", RFC 9111 5.3).  (time_t)-1 when the response gives no
 * hint.  The crawler still applies its own floor and ceiling.
 */
time_t td_net_not_before(const struct td_net_response *r, time_t now);

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
/* The same for an address literal ("127.0.0.1", "::1"); TD_NET_ADDR_INVALID if not one. */
enum td_net_addr_class td_net_addr_classify_str(const char *ip);
/* "public", "loopback", "private", ... */
const char *td_net_addr_class_name(enum td_net_addr_class c);

#endif
