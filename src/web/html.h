/*
 * html.h - writing HTML safely from C: a capped output buffer with a sticky
 * error, escaping for text and attribute contexts, URL checks, and the
 * relative-time phrase the pages show ("5 hours ago").
 *
 * Views are plain functions that append to a struct td_web_html.  Every append
 * is a no-op once an earlier one failed (the page outgrew its cap), so a
 * view can write a whole page and check `h->err` once at the end:
 *
 *     struct td_web_html h;
 *     td_web_html_init(&h, 1 << 20);
 *     td_web_html_raw(&h, "<h1>");
 *     td_web_html_text(&h, title);        // escaped
 *     td_web_html_raw(&h, "</h1>");
 *     if (h.err) ...                  // TD_ETOOBIG
 *     td_web_html_release(&h);
 *
 * Only td_web_html_raw and td_web_html_printf write unescaped bytes; their
 * arguments must be literals, numbers or text escaped by the functions
 * here.  Escaping follows the HTML Standard's "escaping a string" (13.3)
 * plus `'`, so the same output is safe in text and in quoted attributes.
 */
#ifndef TD_WEB_HTML_H
#define TD_WEB_HTML_H

#include "base/compat.h"
#include "base/buf.h"
#include "base/str.h"

#include <time.h>

struct td_web_html {
    struct td_buf buf; /* the document so far */
    int err;           /* first failure (TD_ETOOBIG), then every append is skipped */
};

void td_web_html_init(struct td_web_html *h, size_t cap);
void td_web_html_release(struct td_web_html *h);

/* Trusted markup (a literal written in the view, or already escaped), appended as is. */
void td_web_html_raw(struct td_web_html *h, const char *markup);
void td_web_html_rawn(struct td_web_html *h, const char *markup, size_t n);
/* Trusted format: every %s argument must be a literal or already escaped. */
void td_web_html_printf(struct td_web_html *h, const char *fmt, ...) TD_PRINTF(2, 3);

/* Text, escaped for element content and quoted attribute values. */
void td_web_html_text(struct td_web_html *h, struct td_str s);
void td_web_html_textc(struct td_web_html *h, const char *s);

/*
 * Escaped text in which the byte `open` starts a highlight and `close`
 * ends it (the store's search snippets): written as <mark>...</mark>,
 * always balanced, stray markers dropped.  NULL writes nothing.
 */
void td_web_html_marked(struct td_web_html *h, const char *s, char open, char close);

/*
 * A URL for an href or src attribute.  Only absolute http(s) URLs and
 * site-relative paths ("/...", not "//...") are written; anything else
 * (javascript:, data:, protocol-relative) is replaced by `fallback`, which
 * must itself be a safe literal.  The URL is attribute-escaped.
 */
void td_web_html_url(struct td_web_html *h, struct td_str url, const char *fallback);
/* True if td_web_html_url would write `url` rather than its fallback. */
bool td_web_html_url_ok(struct td_str url);

/* Percent-encode `s` for a URL query component (RFC 3986 unreserved kept). */
void td_web_html_query(struct td_web_html *h, struct td_str s);

/*
 * Append `s` escaped for HTML to `out`.  Returns 0 or TD_ETOOBIG (in which
 * case `out` may hold a prefix of the escaped text).
 */
int td_web_html_escape(struct td_buf *out, struct td_str s);

/*
 * The relative time of `t` seen at `now`, as English words: "just now",
 * "a minute ago", "33 minutes ago", "an hour ago", "5 hours ago", "1 day
 * ago", "6 days ago", then the date ("3 Mar 2026").  Times in the future
 * (clock skew between outlets and us) read "just now".  Writes a
 * NUL-terminated phrase into `out` (`size` >= 32 is always enough).
 */
void td_web_reltime(time_t now, time_t t, char *out, size_t size);

/* `t` as an RFC 3339 UTC timestamp ("2026-11-24T17:03:02Z"); `size` >= 21. */
void td_web_rfc3339(time_t t, char *out, size_t size);

#endif
