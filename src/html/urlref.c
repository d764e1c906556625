/*
 * urlref.c - resolving the URLs found in documents (href, src, og:image)
 * against the page URL, RFC 3986 section 5.2 with 5.2.4's dot-segment
 * removal.  Only absolute http(s) results are accepted: everything the
 * extractor and the sanitizer emit must be a link a reader can follow
 * safely (no javascript:, data:, file:).
 */
#include "base/compat.h"
#include "base/error.h"
#include "html/html.h"

#define URL_MAX 8192

struct parts {
    struct td_str scheme, authority, path, query, fragment;
    bool has_scheme, has_authority, has_query, has_fragment;
};

static bool scheme_char(unsigned char c, bool first)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return !first && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.');
}

static void split(struct td_str s, struct parts *p)
{
    memset(p, 0, sizeof(*p));
    size_t i = 0;
    while (i < s.len && scheme_char((unsigned char)s.ptr[i], i == 0))
        i++;
    if (i > 0 && i < s.len && s.ptr[i] == ':') {
        p->has_scheme = true;
        p->scheme = td_str_make(s.ptr, i);
        s = td_str_sub(s, i + 1, s.len);
    }
    if (s.len >= 2 && s.ptr[0] == '/' && s.ptr[1] == '/') {
        size_t j = 2;
        while (j < s.len && s.ptr[j] != '/' && s.ptr[j] != '?' && s.ptr[j] != '#')
            j++;
        p->has_authority = true;
        p->authority = td_str_make(s.ptr + 2, j - 2);
        s = td_str_sub(s, j, s.len);
    }
    size_t j = 0;
    while (j < s.len && s.ptr[j] != '?' && s.ptr[j] != '#')
        j++;
    p->path = td_str_make(s.ptr, j);
    s = td_str_sub(s, j, s.len);
    if (s.len && s.ptr[0] == '?') {
        j = 1;
        while (j < s.len && s.ptr[j] != '#')
            j++;
        p->has_query = true;
        p->query = td_str_make(s.ptr + 1, j - 1);
        s = td_str_sub(s, j, s.len);
    }
    if (s.len && s.ptr[0] == '#') {
        p->has_fragment = true;
        p->fragment = td_str_make(s.ptr + 1, s.len - 1);
    }
}

/* RFC 3986 5.2.4, in place on a NUL-terminated path of length n; returns the new length. */
static size_t remove_dots(char *in, size_t n)
{
    size_t o = 0, i = 0;
    while (i < n) {
        if (!strncmp(in + i, "../", 3) && i + 3 <= n) {
            i += 3;
        } else if (!strncmp(in + i, "./", 2) && i + 2 <= n) {
            i += 2;
        } else if (i + 3 <= n && !strncmp(in + i, "/./", 3)) {
            i += 2;
        } else if (i + 2 == n && !strncmp(in + i, "/.", 2)) {
            in[i + 1] = '/';
            i += 1;
        } else if (i + 4 <= n && !strncmp(in + i, "/../", 4)) {
            i += 3;
            while (o > 0 && in[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else if (i + 3 == n && !strncmp(in + i, "/..", 3)) {
            in[i + 2] = '/';
            i += 2;
            while (o > 0 && in[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else if ((i + 1 == n && in[i] == '.') || (i + 2 == n && !strncmp(in + i, "..", 2))) {
            i = n;
        } else {
            do
                in[o++] = in[i++];
            while (i < n && in[i] != '/');
        }
    }
    in[o] = '\0';
    return o;
}

static bool is_http(struct td_str scheme)
{
    return td_str_eq_nocase(scheme, TD_STR_LIT("http")) ||
           td_str_eq_nocase(scheme, TD_STR_LIT("https"));
}

static int put(struct td_buf *b, struct td_str s)
{
    return td_buf_append(b, s.ptr, s.len);
}

int td_html_resolve_url(const char *base, struct td_str ref, struct td_buf *out)
{
    struct parts r, b, t;
    struct td_buf path = TD_BUF_INIT(URL_MAX);
    size_t start = out->len;
    int err = TD_EINVAL;

    ref = td_str_trim(ref);
    if (ref.len > URL_MAX)
        return TD_ETOOBIG;
    split(ref, &r);
    split(td_str_c(base), &b);
    if (r.has_scheme) {
        t = r;
    } else {
        if (!b.has_scheme || !b.has_authority)
            goto out;
        t.scheme = b.scheme;
        t.has_scheme = true;
        if (r.has_authority) {
            t.has_authority = true;
            t.authority = r.authority;
            t.path = r.path;
            t.has_query = r.has_query;
            t.query = r.query;
        } else {
            t.has_authority = true;
            t.authority = b.authority;
            if (r.path.len == 0) {
                t.path = b.path;
                t.has_query = r.has_query || b.has_query;
                t.query = r.has_query ? r.query : b.query;
            } else {
                t.has_query = r.has_query;
                t.query = r.query;
                if (r.path.ptr[0] == '/') {
                    t.path = r.path;
                } else {
                    /* Merge (5.2.3): base path up to its last '/', then ref. */
                    size_t k = b.path.len;
                    while (k > 0 && b.path.ptr[k - 1] != '/')
                        k--;
                    if (b.path.len == 0 && td_buf_append_ch(&path, '/') < 0)
                        goto toobig;
                    if (td_buf_append(&path, b.path.ptr, k) < 0 || put(&path, r.path) < 0)
                        goto toobig;
                    t.path = td_buf_str(&path);
                }
            }
        }
        t.has_fragment = r.has_fragment;
        t.fragment = r.fragment;
    }
    if (!is_http(t.scheme) || !t.has_authority || t.authority.len == 0)
        goto out;
    if (t.path.ptr != path.buf) {
        td_buf_reset(&path);
        if (put(&path, t.path) < 0)
            goto toobig;
    }
    path.len = remove_dots(path.buf, path.len);
    for (size_t i = 0; i < t.scheme.len; i++)
        if (td_buf_append_ch(out, (char)td_ascii_lower((unsigned char)t.scheme.ptr[i])) < 0)
            goto toobig;
    if (td_buf_append_c(out, "://") < 0)
        goto toobig;
    for (size_t i = 0; i < t.authority.len; i++)
        if (td_buf_append_ch(out, (char)td_ascii_lower((unsigned char)t.authority.ptr[i])) < 0)
            goto toobig;
    if (path.len == 0 && td_buf_append_ch(out, '/') < 0)
        goto toobig;
    if (td_buf_append(out, path.buf, path.len) < 0)
        goto toobig;
    if (t.has_query && (td_buf_append_ch(out, '?') < 0 || put(out, t.query) < 0))
        goto toobig;
    if (t.has_fragment && (td_buf_append_ch(out, '#') < 0 || put(out, t.fragment) < 0))
        goto toobig;
    /* Reject controls and spaces inside the URL: not a URL a reader can follow. */
    for (size_t i = start; i < out->len; i++)
        if ((unsigned char)out->buf[i] <= ' ' || out->buf[i] == 0x7f)
            goto out;
    err = 0;
    goto done;
toobig:
    err = TD_ETOOBIG;
out:
    td_buf_truncate(out, start);
done:
    td_buf_release(&path);
    return err;
}
