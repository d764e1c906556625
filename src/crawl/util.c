/*
 * util.c - small helpers the crawl files share: strings made fit for the
 * store, and URL normalization (see internal.h).
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/url.h"
#include "base/utf8.h"
#include "crawl/internal.h"

const char *td_crawl_clip(struct td_arena *arena, const char *s, size_t max)
{
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);
    size_t len = s ? strlen(s) : 0;
    const char *out = NULL;

    if (!len)
        return NULL;
    if (td_utf8_valid(s, len)) {
        if (len <= max)
            return td_arena_strndup(arena, s, len);
    } else if (td_utf8_sanitize(s, len, &b) == 0) {
        s = b.buf;
        len = b.len;
    } else {
        goto out;
    }
    /* Back up to the start of a character: continuation bytes are 10xxxxxx. */
    if (len > max) {
        len = max;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    out = td_arena_strndup(arena, s, len);
out:
    td_buf_release(&b);
    return out;
}

int td_crawl_url_norm(const char *url, struct td_buf *out)
{
    struct td_buf b = TD_BUF_INIT(TD_URL_MAX);
    struct td_url u;
    int err;

    if (!url || !td_url_is_http(td_str_c(url)))
        return TD_EINVAL;
    err = td_url_resolve(TD_STR_NULL, td_str_c(url), &b);
    if (err < 0)
        goto out;
    err = td_url_parse(td_buf_str(&b), &u);
    if (err < 0)
        goto out;
    if (u.has_fragment)
        td_buf_truncate(&b, (size_t)(u.fragment.ptr - 1 - b.buf));
    err = td_buf_append_str(out, td_buf_str(&b)) < 0 ? TD_ETOOBIG : 0;
out:
    td_buf_release(&b);
    return err < 0 ? TD_EINVAL : 0;
}
