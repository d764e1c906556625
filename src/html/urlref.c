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

int td_html_resolve_url(const char *base, struct td_str ref, struct td_buf *out)
{
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
