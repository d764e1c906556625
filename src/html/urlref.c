/*
 * urlref.c - resolving the URLs found in documents (href, src, og:image)
 * against the page URL with base/url.c (RFC 3986 section 5.2), keeping only
 * absolute http(s) results: everything the extractor and the sanitizer emit
 * must be a link a reader can follow safely (no javascript:, data:, file:).
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/url.h"
#include "html/html.h"

/*
 * Whether resolving `ref` gives `ref` itself, an absolute http(s) URL with
 * a host, whatever the base: a lowercase scheme and a host of lowercase
 * name characters (no userinfo, port or IP literal), no dot segments, and
 * only bytes that need no cleaning or percent-encoding.  Most links in
 * feed HTML are such URLs, and the check costs a small part of resolving.
 */
static bool resolves_to_itself(struct td_str ref)
{
    const char *p = ref.ptr, *end = ref.ptr + ref.len;
    if (ref.len > TD_URL_MAX)
        return false;
    if (ref.len > 7 && !memcmp(p, "http://", 7))
        p += 7;
    else if (ref.len > 8 && !memcmp(p, "https://", 8))
        p += 8;
    else
        return false;
    const char *host = p;
    while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
                       *p == '-' || *p == '_'))
        p++;
    if (p == host || (p < end && *p != '/' && *p != '?' && *p != '#'))
        return false;
    bool in_path = true;
    for (; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>')
            return false;
        if (!in_path)
            continue;
        if (c == '?' || c == '#') {
            in_path = false;
        } else if (c == '/' && p + 1 < end && p[1] == '.') {
            /* A "." or ".." segment: remove_dot_segments would change it. */
            const char *q = p + 2;
            if (q < end && *q == '.')
                q++;
            if (q == end || *q == '/' || *q == '?' || *q == '#')
                return false;
        }
    }
    return true;
}

int td_html_resolve_url(const char *base, struct td_str ref, struct td_buf *out)
{
    if (resolves_to_itself(ref))
        return td_buf_append(out, ref.ptr, ref.len);
    struct td_buf res = TD_BUF_INIT(TD_URL_MAX);
    int err = td_url_resolve(td_str_c(base), ref, &res);

    if (err == 0 && !td_url_is_http(td_buf_str(&res)))
        err = TD_EINVAL;
    else if (err < 0 && err != TD_ETOOBIG)
        err = TD_EINVAL;
    if (!err)
        err = td_buf_append(out, res.buf, res.len);
    td_buf_release(&res);
    return err;
}
