/*
 * internal.h - what the net module's .c files share and nobody else sees:
 * one transfer (a libcurl easy handle with our callbacks and limits), which
 * both the blocking fetch (fetch.c) and the multi fetcher (multi.c) drive.
 */
#ifndef TD_NET_INTERNAL_H
#define TD_NET_INTERNAL_H

#include "base/compat.h"
#include "net/net.h"

#include <curl/curl.h>

/* Header values captured from the current response (reset on each hop). */
enum {
    HDR_CONTENT_TYPE,
    HDR_ETAG,
    HDR_LAST_MODIFIED,
    HDR_RETRY_AFTER,
    HDR_CACHE_CONTROL,
    HDR_EXPIRES,
    HDR_COUNT
};

struct td_net_xfer {
    CURL *easy;
    struct curl_slist *req_headers;
    struct td_net_response *resp; /* borrowed; filled by td_net_xfer_finish */
    size_t max_body;
    bool allow_private;
    bool follow;
    int max_redirects;
    /* what the callbacks learnt */
    bool denied; /* the guard refused an address */
    char denied_addr[64];
    enum td_net_addr_class denied_class;
    bool too_big;    /* the body passed max_body */
    long hop_status; /* status of the response being received */
    int responses;   /* final (non-1xx) responses seen, one per hop */
    bool in_headers; /* between a status line and its blank line (not trailers) */
    bool perm_chain; /* every hop so far was 301/308 */
    struct td_buf hdr[HDR_COUNT];
    char curl_error[CURL_ERROR_SIZE];
};

/* libcurl's process-wide initialisation, done once whoever calls first. */
void td_net_global_init(void);

/*
 * Check what td_net_xfer_setup would refuse before touching the network: a
 * URL that is not absolute http/https, a header value with CR/LF or over
 * TD_NET_HEADER_MAX.  Returns 0 or TD_EINVAL with resp->error set.
 */
int td_net_xfer_check(const char *url, const struct td_net_opts *opts,
                      struct td_net_response *resp);
/*
 * Create the easy handle for a GET of `url` with `opts` (NULL = defaults),
 * writing into `resp` (already initialised; released here).  On error
 * resp->error says why and the transfer needs only td_net_xfer_release.
 */
int td_net_xfer_setup(struct td_net_xfer *x, const char *url, const struct td_net_opts *opts,
                      struct td_net_response *resp);
/* Fill the response from a finished transfer whose result was `rc`; return 0 or TD_E*. */
int td_net_xfer_finish(struct td_net_xfer *x, CURLcode rc);
/* Free the easy handle and everything the transfer owns (not the response). */
void td_net_xfer_release(struct td_net_xfer *x);

#endif
