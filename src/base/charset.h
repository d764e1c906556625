/*
 * charset.h - raw bytes in, valid UTF-8 out.
 *
 * The chain, as browsers do it (WHATWG Encoding, "decode" and the HTML
 * "encoding sniffing algorithm"): a byte-order mark wins; then the charset
 * parameter of the HTTP Content-Type; then a <meta charset> or <meta
 * http-equiv> in the first 1024 bytes; then "is it valid UTF-8?"; then
 * uchardet's guess; finally windows-1252.  Labels are mapped the way
 * browsers map them (latin1 and iso-8859-1 -> windows-1252, gb2312 and gbk
 * -> GB18030, shift_jis -> CP932, ...).  Conversion uses iconv; bytes that
 * do not decode become U+FFFD, so the output is always valid UTF-8.
 */
#ifndef TD_CHARSET_H
#define TD_CHARSET_H

#include "base/compat.h"
#include "base/buf.h"

struct td_charset_opts {
    const char *content_type; /* HTTP Content-Type header value, or NULL */
    bool is_xml;              /* prescan <?xml encoding=...?> instead of <meta> */
};

/*
 * Decode `len` bytes at `data` to UTF-8, appending to `out` (whose cap
 * applies).  `*used` (if not NULL) receives the canonical name of the
 * encoding that was applied, a static string such as "utf-8" or
 * "windows-1252".  Returns 0 or TD_ETOOBIG.
 */
int td_charset_to_utf8(const char *data, size_t len, const struct td_charset_opts *opts,
                       struct td_buf *out, const char **used);

/* The browser-canonical encoding name for a label, or NULL if unknown. */
const char *td_charset_canonical(const char *label, size_t len);

#endif
