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
    struct td_str host; /* without brackets for IPv6 literals */
    struct td_str port; /* digits only, may be empty */
    struct td_str path;
    struct td_str query;    /* without '?' */
    struct td_str fragment; /* without '#' */
    bool has_authority, has_query, has_fragment;
    bool host_is_literal; /* host came in brackets: IPv6 or IPvFuture */
};

/*
 * Parse `s` (absolute or relative reference) into slices of `s`.  A prefix
 * that is not a valid scheme followed by ':' is taken as part of a relative
 * path.  TD_EPARSE for a malformed host (characters outside reg-name, an
 * invalid IP literal; internationalized hosts must arrive in punycode) or
 * port (non-digits, over 65535); TD_ETOOBIG past TD_URL_MAX bytes.
 */
int td_url_parse(struct td_str s, struct td_url *out);

/*
 * Resolve `ref` against the absolute `base` (RFC 3986 5.2, strict: a
 * reference with a scheme is absolute) and append the result to `out`.
 * Both are first cleaned as browsers do: C0 controls and spaces trimmed at
 * the ends, tab/CR/LF removed inside.  The result has its scheme and host
 * lowercased, an empty or default (80/443 for http/https) port dropped, and
 * controls, space, DEL, non-ASCII bytes, '"', '<' and '>' percent-encoded.
 * An absolute `ref` is only normalised, and `base` is then not looked at
 * (it may be empty).  TD_EPARSE if a relative ref meets a base that is not
 * absolute, or either fails to parse; TD_ETOOBIG
 * past TD_URL_MAX (or past out's cap; `out` is unchanged on failure).
 */
int td_url_resolve(struct td_str base, struct td_str ref, struct td_buf *out);

/* True for an absolute http or https URL with a host. */
bool td_url_is_http(struct td_str s);

#endif
