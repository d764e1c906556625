/*
 * url.c - RFC 3986 parsing and reference resolution.
 *
 * Parsing (section 3) slices the input into its components without
 * allocating and checks only what later stages rely on: the scheme's
 * characters, the host (a reg-name, an IPv4 address, or a bracketed IPv6
 * or IPvFuture literal) and the port.  Resolution (5.2) first cleans the
 * reference the way browsers do (WHATWG URL): surrounding C0 controls and
 * spaces are trimmed, tabs and newlines inside are dropped; it then merges
 * paths (5.2.3), removes dot segments (5.2.4) and recomposes (5.3), with
 * the scheme and host lowercased, an empty or default port dropped, and
 * bytes that may not appear in a URI (controls, space, non-ASCII, quotes,
 * angle brackets) percent-encoded.
 */
#include "base/compat.h"
#include "base/url.h"
#include "base/error.h"

#include <arpa/inet.h>

static bool is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool is_hex(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_unreserved(int c)
{
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static bool is_sub_delim(int c)
{
    return c && strchr("!$&'()*+,;=", c) != NULL;
}

/* reg-name = *( unreserved / pct-encoded / sub-delims ) (3.2.2). */
static bool valid_reg_name(struct td_str h)
{
    for (size_t i = 0; i < h.len; i++) {
        int c = (unsigned char)h.ptr[i];
        if (c == '%') {
            if (i + 2 >= h.len || !is_hex((unsigned char)h.ptr[i + 1]) ||
                !is_hex((unsigned char)h.ptr[i + 2]))
                return false;
            i += 2;
        } else if (!is_unreserved(c) && !is_sub_delim(c)) {
            return false;
        }
    }
    return true;
}

/* The inside of "[...]": IPv6address or IPvFuture (3.2.2). */
static bool valid_ip_literal(struct td_str h)
{
    if (h.len == 0)
        return false;
    if (h.ptr[0] == 'v' || h.ptr[0] == 'V') {
        size_t i = 1;
        while (i < h.len && is_hex((unsigned char)h.ptr[i]))
            i++;
        if (i == 1 || i >= h.len || h.ptr[i] != '.' || i + 1 == h.len)
            return false;
        for (i++; i < h.len; i++) {
            int c = (unsigned char)h.ptr[i];
            if (!is_unreserved(c) && !is_sub_delim(c) && c != ':')
                return false;
        }
        return true;
    }
    char tmp[64];
    unsigned char addr[16];
    if (h.len >= sizeof(tmp))
        return false;
    memcpy(tmp, h.ptr, h.len);
    tmp[h.len] = '\0';
    return inet_pton(AF_INET6, tmp, addr) == 1;
}

/* authority = [ userinfo "@" ] host [ ":" port ] */
static int parse_authority(struct td_str a, struct td_url *u)
{
    const char *at = NULL;

    for (size_t i = 0; i < a.len; i++)
        if (a.ptr[i] == '@')
            at = a.ptr + i;
    if (at) {
        u->userinfo = td_str_make(a.ptr, (size_t)(at - a.ptr));
        a = td_str_make(at + 1, a.len - u->userinfo.len - 1);
    }
    struct td_str rest;
    if (a.len && a.ptr[0] == '[') {
        const char *close = memchr(a.ptr, ']', a.len);
        if (!close)
            return TD_EPARSE;
        u->host = td_str_make(a.ptr + 1, (size_t)(close - a.ptr - 1));
        u->host_is_literal = true;
        if (!valid_ip_literal(u->host))
            return TD_EPARSE;
        rest = td_str_make(close + 1, a.len - (size_t)(close + 1 - a.ptr));
        if (rest.len && rest.ptr[0] != ':')
            return TD_EPARSE;
    } else {
        const char *colon = memchr(a.ptr, ':', a.len);
        size_t hl = colon ? (size_t)(colon - a.ptr) : a.len;
        u->host = td_str_make(a.ptr, hl);
        if (!valid_reg_name(u->host))
            return TD_EPARSE;
        rest = td_str_make(a.ptr + hl, a.len - hl);
    }
    if (rest.len) {
        u->port = td_str_make(rest.ptr + 1, rest.len - 1);
        unsigned long v = 0;
        for (size_t i = 0; i < u->port.len; i++) {
            if (!is_digit((unsigned char)u->port.ptr[i]))
                return TD_EPARSE;
            v = v * 10 + (unsigned long)(u->port.ptr[i] - '0');
            if (v > 65535)
                return TD_EPARSE;
        }
    }
    return 0;
}

int td_url_parse(struct td_str s, struct td_url *u)
{
    memset(u, 0, sizeof(*u));
    u->scheme = u->userinfo = u->host = u->port = u->path = u->query = u->fragment = TD_STR_NULL;
    if (s.len > TD_URL_MAX)
        return TD_ETOOBIG;

    size_t i = 0;
    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (3.1) */
    if (s.len && is_alpha((unsigned char)s.ptr[0])) {
        size_t j = 1;
        while (j < s.len) {
            int c = (unsigned char)s.ptr[j];
            if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.')
                break;
            j++;
        }
        if (j < s.len && s.ptr[j] == ':') {
            u->scheme = td_str_make(s.ptr, j);
            i = j + 1;
        }
    }
    if (s.len - i >= 2 && s.ptr[i] == '/' && s.ptr[i + 1] == '/') {
        size_t j = i + 2;
        while (j < s.len && s.ptr[j] != '/' && s.ptr[j] != '?' && s.ptr[j] != '#')
            j++;
        u->has_authority = true;
        int err = parse_authority(td_str_make(s.ptr + i + 2, j - i - 2), u);
        if (err)
            return err;
        i = j;
    }
    size_t j = i;
    while (j < s.len && s.ptr[j] != '?' && s.ptr[j] != '#')
        j++;
    u->path = td_str_make(s.ptr + i, j - i);
    i = j;
    if (i < s.len && s.ptr[i] == '?') {
        j = ++i;
        while (j < s.len && s.ptr[j] != '#')
            j++;
        u->has_query = true;
        u->query = td_str_make(s.ptr + i, j - i);
        i = j;
    }
    if (i < s.len && s.ptr[i] == '#') {
        u->has_fragment = true;
        u->fragment = td_str_make(s.ptr + i + 1, s.len - i - 1);
    }
    return 0;
}

/*
 * Browser-style cleanup of a reference before parsing: trim C0 controls
 * and spaces at both ends, drop tab, CR and LF everywhere (WHATWG URL,
 * "basic URL parser" steps 1-3).
 */
static int clean(struct td_str s, struct td_buf *out)
{
    while (s.len && (unsigned char)s.ptr[0] <= 0x20) {
        s.ptr++;
        s.len--;
    }
    while (s.len && (unsigned char)s.ptr[s.len - 1] <= 0x20)
        s.len--;
    if (s.len > TD_URL_MAX)
        return TD_ETOOBIG;
    /* Copied in runs between the dropped bytes: resolution is on the sanitizer's path. */
    size_t run = 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c == '\t' || c == '\n' || c == '\r') {
            int err = td_buf_append(out, s.ptr + run, i - run);
            if (err)
                return err;
            run = i + 1;
        }
    }
    return td_buf_append(out, s.ptr + run, s.len - run);
}

/* Append `s`, percent-encoding the bytes that cannot appear in a URI. */
static int append_encoded(struct td_buf *out, struct td_str s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t run = 0;

    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>') {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            int err = td_buf_append(out, s.ptr + run, i - run);
            if (err || (err = td_buf_append(out, esc, 3)))
                return err;
            run = i + 1;
        }
    }
    return td_buf_append(out, s.ptr + run, s.len - run);
}

static int append_lower(struct td_buf *out, struct td_str s)
{
    int err = s.len ? td_buf_grow(out, s.len) : 0;
    if (err || !s.len)
        return err;
    for (size_t i = 0; i < s.len; i++)
        out->buf[out->len + i] = (char)td_ascii_lower((unsigned char)s.ptr[i]);
    out->len += s.len;
    out->buf[out->len] = '\0';
    return 0;
}

/* Drop the last segment of `out` and the "/" before it (5.2.4 step 2C). */
static void pop_segment(struct td_buf *out, size_t floor)
{
    size_t n = out->len;

    while (n > floor && out->buf[n - 1] != '/')
        n--;
    if (n > floor)
        n--;
    td_buf_truncate(out, n);
}

/*
 * remove_dot_segments (5.2.4), appending the result to `out`; the output
 * path starts at out->len as it was on entry.
 */
static int remove_dot_segments(struct td_str in, struct td_buf *out)
{
    size_t floor = out->len;
    const char *p = in.ptr;
    size_t n = in.len;

#define STARTS(lit) (n >= sizeof(lit) - 1 && memcmp(p, lit, sizeof(lit) - 1) == 0)
#define IS(lit) (n == sizeof(lit) - 1 && memcmp(p, lit, sizeof(lit) - 1) == 0)
    while (n) {
        if (STARTS("../")) {
            p += 3, n -= 3;
        } else if (STARTS("./")) {
            p += 2, n -= 2;
        } else if (STARTS("/./")) {
            p += 2, n -= 2;
        } else if (IS("/.")) {
            p = "/", n = 1;
        } else if (STARTS("/../")) {
            p += 3, n -= 3;
            pop_segment(out, floor);
        } else if (IS("/..")) {
            p = "/", n = 1;
            pop_segment(out, floor);
        } else if (IS(".") || IS("..")) {
            n = 0;
        } else {
            size_t seg = p[0] == '/' ? 1 : 0;
            while (seg < n && p[seg] != '/')
                seg++;
            int err = td_buf_append(out, p, seg);
            if (err)
                return err;
            p += seg, n -= seg;
        }
    }
#undef STARTS
#undef IS
    return 0;
}

/* Write scheme ":" "//" authority of `u` to `out`, normalised. */
static int append_scheme_authority(struct td_buf *out, const struct td_url *u)
{
    int err;

    if ((err = append_lower(out, u->scheme)) || (err = td_buf_append_ch(out, ':')))
        return err;
    if (!u->has_authority)
        return 0;
    if ((err = td_buf_append(out, "//", 2)))
        return err;
    if (u->userinfo.len &&
        ((err = append_encoded(out, u->userinfo)) || (err = td_buf_append_ch(out, '@'))))
        return err;
    bool literal = u->host_is_literal;
    if (literal && (err = td_buf_append_ch(out, '[')))
        return err;
    if ((err = append_lower(out, u->host)))
        return err;
    if (literal && (err = td_buf_append_ch(out, ']')))
        return err;
    bool default_port =
        (td_str_eq_nocase(u->scheme, TD_STR_LIT("http")) && td_str_eq(u->port, TD_STR_LIT("80"))) ||
        (td_str_eq_nocase(u->scheme, TD_STR_LIT("https")) && td_str_eq(u->port, TD_STR_LIT("443")));
    if (u->port.len && !default_port &&
        ((err = td_buf_append_ch(out, ':')) || (err = td_buf_append_str(out, u->port))))
        return err;
    return 0;
}

static int resolve(struct td_str base_s, struct td_str ref_s, struct td_buf *res)
{
    struct td_buf bclean = TD_BUF_INIT(TD_URL_MAX), rclean = TD_BUF_INIT(TD_URL_MAX);
    struct td_buf path = TD_BUF_INIT(2 * TD_URL_MAX + 2);
    struct td_url base, ref;
    const struct td_url *auth; /* whose scheme and authority the result takes */
    struct td_str query;
    bool has_query;
    int err;

    memset(&base, 0, sizeof(base));
    if ((err = clean(ref_s, &rclean)) || (err = td_url_parse(td_buf_str(&rclean), &ref)))
        goto out;
    /* An absolute reference needs no base, so a bad base does not matter. */
    if (!ref.scheme.len &&
        ((err = clean(base_s, &bclean)) || (err = td_url_parse(td_buf_str(&bclean), &base))))
        goto out;
    if (!ref.scheme.len && !base.scheme.len) {
        err = TD_EPARSE;
        goto out;
    }
    /* 5.2.2, strict: a reference with a scheme is taken as absolute. */
    if (ref.scheme.len) {
        auth = &ref;
        err = remove_dot_segments(ref.path, &path);
        query = ref.query, has_query = ref.has_query;
    } else if (ref.has_authority) {
        ref.scheme = base.scheme;
        auth = &ref;
        err = remove_dot_segments(ref.path, &path);
        query = ref.query, has_query = ref.has_query;
    } else {
        auth = &base;
        if (ref.path.len == 0) {
            /* The base is normalised too, so "g:." and "g:" agree. */
            err = remove_dot_segments(base.path, &path);
            if (ref.has_query)
                query = ref.query, has_query = true;
            else
                query = base.query, has_query = base.has_query;
        } else {
            struct td_buf merged = TD_BUF_INIT(2 * TD_URL_MAX + 2);
            if (ref.path.ptr[0] == '/') {
                err = td_buf_append_str(&merged, ref.path);
            } else if (base.has_authority && base.path.len == 0) {
                /* 5.2.3 merge, first case */
                if (!(err = td_buf_append_ch(&merged, '/')))
                    err = td_buf_append_str(&merged, ref.path);
            } else {
                size_t keep = base.path.len;
                while (keep && base.path.ptr[keep - 1] != '/')
                    keep--;
                if (!(err = td_buf_append(&merged, base.path.ptr, keep)))
                    err = td_buf_append_str(&merged, ref.path);
            }
            if (!err)
                err = remove_dot_segments(td_buf_str(&merged), &path);
            td_buf_release(&merged);
            query = ref.query, has_query = ref.has_query;
        }
    }
    if (err)
        goto out;
    /* 5.3 recomposition */
    if ((err = append_scheme_authority(res, auth)))
        goto out;
    /*
     * Without an authority a path starting "//" would read back as one
     * ("a:/.//x" -> "a://x"); a leading "/." keeps it a path (WHATWG URL
     * serializer does the same).
     */
    if (!auth->has_authority && path.len >= 2 && path.buf[0] == '/' && path.buf[1] == '/' &&
        (err = td_buf_append(res, "/.", 2)))
        goto out;
    if ((err = append_encoded(res, td_buf_str(&path))))
        goto out;
    if (has_query && ((err = td_buf_append_ch(res, '?')) || (err = append_encoded(res, query))))
        goto out;
    if (ref.has_fragment &&
        ((err = td_buf_append_ch(res, '#')) || (err = append_encoded(res, ref.fragment))))
        goto out;
out:
    td_buf_release(&bclean);
    td_buf_release(&rclean);
    td_buf_release(&path);
    return err;
}

int td_url_resolve(struct td_str base, struct td_str ref, struct td_buf *out)
{
    struct td_buf res = TD_BUF_INIT(TD_URL_MAX);
    int err = resolve(base, ref, &res);

    if (!err)
        err = td_buf_append(out, res.buf, res.len);
    td_buf_release(&res);
    return err;
}

bool td_url_is_http(struct td_str s)
{
    struct td_url u;

    if (td_url_parse(s, &u) < 0)
        return false;
    return (td_str_eq_nocase(u.scheme, TD_STR_LIT("http")) ||
            td_str_eq_nocase(u.scheme, TD_STR_LIT("https"))) &&
           u.has_authority && u.host.len > 0;
}
