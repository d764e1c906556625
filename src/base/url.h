/*
 * url.h - URL parsing and reference resolution (RFC 3986).
 *
 * td_url_parse splits an absolute URL into components (section 3) without
 * allocating: every component is a slice of the input.  td_url_resolve
 * implements section 5.2 (with 5.2.4's dot-segment removal) and writes the
 * result into a capped td_buf.  Hosts are lowercased and schemes compared
 * case-insensitively; nothing is percent-decoded.
 */
#ifndef TD_URL_H
#define TD_URL_H

#include "base/compat.h"
#include "base/buf.h"
#include "base/str.h"

#define TD_URL_MAX 8192 /* longest URL we keep */

struct td_url {
    struct td_str scheme; /* without ':' */
    struct td_str userinfo;
    struct td_str host;   /* without brackets for IPv6 literals */
    struct td_str port;   /* digits only, may be empty */
    struct td_str path;
    struct td_str query;  /* without '?' */
    struct td_str fragment; /* without '#' */
    bool has_authority, has_query, has_fragment;
};

/* Parse `s` (absolute or relative reference).  TD_EPARSE on malformed input. */
int td_url_parse(struct td_str s, struct td_url *out);

/*
 * Resolve `ref` against the absolute `base` (RFC 3986 5.2) and append the
 * result to `out`.  Leading/trailing white space in `ref` is ignored.
 * TD_EPARSE if base is not absolute, TD_ETOOBIG past TD_URL_MAX.
 */
int td_url_resolve(struct td_str base, struct td_str ref, struct td_buf *out);

/* True for an absolute http or https URL with a host. */
bool td_url_is_http(struct td_str s);

#endif
