/*
 * headers.c - turn the caching and back-off headers a server sends into
 * times the crawler can schedule by: Retry-After (RFC 9110 10.2.3),
 * Cache-Control max-age (RFC 9111 5.2.2.1) and Expires (RFC 9111 5.3).
 * HTTP-dates are parsed by libcurl's curl_getdate, which accepts the
 * IMF-fixdate and the two obsolete forms RFC 9110 5.6.7 requires.
 */
#include "base/compat.h"
#include "base/str.h"
#include "net/internal.h"

#include <limits.h>

/* Clamp for delays read from headers: a server cannot push us past a year. */
#define DELAY_MAX ((time_t)366 * 24 * 3600)

time_t td_net_http_date(const char *s)
{
    time_t t;

    if (!s || !*s)
        return (time_t)-1;
    t = curl_getdate(s, NULL);
    return t < 0 ? (time_t)-1 : t;
}

/* Parse 1*DIGIT filling the whole of `s`, saturating at DELAY_MAX; -1 if not digits. */
static time_t parse_seconds(struct td_str s)
{
    time_t v = 0;

    if (!s.len)
        return -1;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return -1;
        if (v < DELAY_MAX)
            v = v * 10 + (s.ptr[i] - '0');
    }
    return v > DELAY_MAX ? DELAY_MAX : v;
}

time_t td_net_retry_after(const char *value, time_t now)
{
    struct td_str s = td_str_trim(td_str_c(value));
    time_t secs, t;

    if (!s.len)
        return (time_t)-1;
    secs = parse_seconds(s);
    if (secs >= 0)
        return now + secs;
    t = td_net_http_date(value);
    if (t == (time_t)-1)
        return (time_t)-1;
    if (t < now)
        return now;
    return t - now > DELAY_MAX ? now + DELAY_MAX : t;
}

long td_net_max_age(const char *cache_control)
{
    struct td_str rest = td_str_c(cache_control);
    long best = -1;

    while (rest.len) {
        ptrdiff_t comma = td_str_find(rest, TD_STR_LIT(","));
        struct td_str d = td_str_trim(td_str_sub(rest, 0, comma < 0 ? rest.len : (size_t)comma));
        rest = comma < 0 ? TD_STR_NULL : td_str_sub(rest, (size_t)comma + 1, rest.len);
        if (d.len <= 8 || !td_str_starts_with_nocase(d, TD_STR_LIT("max-age")))
            continue;
        struct td_str v = td_str_trim(td_str_sub(d, 7, d.len));
        if (!v.len || v.ptr[0] != '=')
            continue;
        v = td_str_trim(td_str_sub(v, 1, v.len));
        /* RFC 9111 5.2: senders must not quote it, recipients should accept it */
        if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"')
            v = td_str_sub(v, 1, v.len - 2);
        time_t secs = parse_seconds(v);
        if (secs >= 0 && (best < 0 || secs < best))
            best = (long)secs; /* conflicting values: trust the most cautious */
    }
    return best;
}

time_t td_net_not_before(const struct td_net_response *r, time_t now)
{
    long age;

    if ((r->status == 429 || r->status == 503 || (r->status >= 300 && r->status < 400)) &&
        r->retry_after) {
        time_t t = td_net_retry_after(r->retry_after, now);
        if (t != (time_t)-1)
            return t;
    }
    age = td_net_max_age(r->cache_control);
    if (age >= 0)
        return now + age; /* max-age overrides Expires (RFC 9111 5.3) */
    if (r->expires) {
        time_t t = td_net_http_date(r->expires);
        /* an invalid Expires, such as "0", means already expired */
        if (t == (time_t)-1 || t < now)
            return now;
        return t - now > DELAY_MAX ? now + DELAY_MAX : t;
    }
    return (time_t)-1;
}
