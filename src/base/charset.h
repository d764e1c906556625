/*
 * charset.h - raw bytes in, valid UTF-8 out.
 *
 * The chain, as browsers do it (WHATWG Encoding, "decode" and the HTML
 * "encoding sniffing algorithm"): a byte-order mark wins; then the charset
 * parameter of the HTTP Content-Type; then a <meta charset> or <meta
 * http-equiv> in the first 1024 bytes (or, for XML, the encoding of the
 * <?xml?> declaration); then "is it valid UTF-8?" (tolerating a sequence
 * cut off at the end and rare stray bytes); then uchardet's guess; finally
 * windows-1252.  Labels are mapped the way browsers map them (latin1,
 * iso-8859-1 and us-ascii -> windows-1252, gb2312 and gbk -> gb18030,
 * shift_jis -> CP932, euc-kr -> CP949, ...).  Conversion uses iconv; bytes
 * that do not decode become U+FFFD, and so does NUL, so the output is
 * always valid UTF-8 usable as a C string.
 *
 *     struct td_buf html = TD_BUF_INIT(16 << 20);
 *     struct td_charset_opts o = {.content_type = "text/html; charset=gbk"};
 *     if (td_charset_to_utf8(raw, raw_len, &o, &html, NULL) < 0)
 *         goto out; // over 16 MiB of UTF-8
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
 * "windows-1252".  `opts` may be NULL.  Returns 0, TD_ETOOBIG past out's
 * cap, or TD_EENCODING if the system's iconv lacks the encoding (glibc has
 * them all); `out` is unchanged on failure.
 */
int td_charset_to_utf8(const char *data, size_t len, const struct td_charset_opts *opts,
                       struct td_buf *out, const char **used);

/*
 * Only the detection half of the chain: the canonical name of the encoding
 * `data` is in (never NULL).  `*bom_len` gets the length of a byte-order
 * mark to skip (0 if none).
 */
const char *td_charset_sniff(const char *data, size_t len, const struct td_charset_opts *opts,
                             size_t *bom_len);

/*
 * Only the conversion half: decode `data` from the encoding labelled `name`
 * (any label td_charset_canonical knows) and append valid UTF-8 to `out`.
 * TD_EENCODING for an unknown label, TD_ETOOBIG past out's cap (out is then
 * unchanged).
 */
int td_charset_decode(const char *data, size_t len, const char *name, struct td_buf *out);

/*
 * td_charset_decode (and so td_charset_to_utf8) keeps a few iconv
 * converters open per thread, because opening one is costly.  They are
 * closed when the thread exits; a thread that wants them closed earlier (the
 * main thread before exit, say) calls this.  Safe to call at any time.
 */
void td_charset_thread_cleanup(void);

/* The browser-canonical encoding name for a label, or NULL if unknown. */
const char *td_charset_canonical(const char *label, size_t len);

#endif
