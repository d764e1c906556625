/*
 * html.c - the HTML writer, escaping and time phrases (see html.h).
 *
 * Escaping is a table lookup over bytes: UTF-8 continuation bytes never
 * collide with the five ASCII characters that need entities, so multibyte
 * text passes through untouched.  Input handed to the pages is validated as
 * UTF-8 where it enters (forms, query strings, the store), not here.
 */
#include "base/compat.h"
#include "base/error.h"
#include "web/html.h"

#include <stdarg.h>

void td_web_html_init(struct td_web_html *h, size_t cap)
{
    td_buf_init(&h->buf, cap);
    h->err = 0;
}

void td_web_html_release(struct td_web_html *h)
{
    if (!h)
        return;
    td_buf_release(&h->buf);
    h->err = 0;
}

static void put(struct td_web_html *h, const char *s, size_t n)
{
    if (h->err)
        return;
    int rc = td_buf_append(&h->buf, s, n);
    if (rc < 0)
        h->err = rc;
}

void td_web_html_raw(struct td_web_html *h, const char *markup)
{
    put(h, markup, strlen(markup));
}

void td_web_html_rawn(struct td_web_html *h, const char *markup, size_t n)
{
    put(h, markup, n);
}

void td_web_html_printf(struct td_web_html *h, const char *fmt, ...)
{
    va_list ap;

    if (h->err)
        return;
    va_start(ap, fmt);
    int rc = td_buf_vprintf(&h->buf, fmt, ap);
    va_end(ap);
    if (rc < 0)
        h->err = rc;
}

static const char *entity(unsigned char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    }
    return NULL;
}

int td_web_html_escape(struct td_buf *out, struct td_str s)
{
    size_t start = 0;

    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        const char *e = entity(c);
        if (!e && (c >= 0x20 || c == '\t' || c == '\n' || c == '\r'))
            continue;
        if (td_buf_append(out, s.ptr + start, i - start) < 0)
            return TD_ETOOBIG;
        /*
         * Other C0 controls are parse errors in HTML and not allowed at all
         * in XML 1.0 (section 2.2), even as references: U+FFFD stands in.
         */
        if (td_buf_append_c(out, e ? e : "\xEF\xBF\xBD") < 0)
            return TD_ETOOBIG;
        start = i + 1;
    }
    return td_buf_append(out, s.ptr + start, s.len - start);
}

void td_web_html_text(struct td_web_html *h, struct td_str s)
{
    if (h->err)
        return;
    int rc = td_web_html_escape(&h->buf, s);
    if (rc < 0)
        h->err = rc;
}

void td_web_html_textc(struct td_web_html *h, const char *s)
{
    td_web_html_text(h, td_str_c(s));
}

void td_web_html_marked(struct td_web_html *h, const char *s, char open, char close)
{
    const char *p = s ? s : "";
    bool in = false;

    while (*p) {
        size_t n = strcspn(p, (char[]){open, close, '\0'});
        td_web_html_text(h, td_str_make(p, n));
        p += n;
        if (!*p)
            break;
        if (*p == open && !in)
            td_web_html_raw(h, "<mark>");
        else if (*p == close && in)
            td_web_html_raw(h, "</mark>");
        in = *p == open;
        p++;
    }
    if (in)
        td_web_html_raw(h, "</mark>");
}

bool td_web_html_url_ok(struct td_str url)
{
    if (url.len == 0)
        return false;
    for (size_t i = 0; i < url.len; i++)
        if ((unsigned char)url.ptr[i] <= ' ' || url.ptr[i] == 0x7f)
            return false;
    if (url.ptr[0] == '/')
        return url.len == 1 || (url.ptr[1] != '/' && url.ptr[1] != '\\');
    return td_str_starts_with_nocase(url, TD_STR_LIT("https://")) ||
           td_str_starts_with_nocase(url, TD_STR_LIT("http://"));
}

void td_web_html_url(struct td_web_html *h, struct td_str url, const char *fallback)
{
    if (td_web_html_url_ok(url))
        td_web_html_text(h, url);
    else
        td_web_html_raw(h, fallback);
}

void td_web_html_query(struct td_web_html *h, struct td_str s)
{
    static const char hex[] = "0123456789ABCDEF";
    char tmp[3] = {'%', 0, 0};

    for (size_t i = 0; i < s.len && !h->err; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            put(h, (const char *)&s.ptr[i], 1);
        } else {
            tmp[1] = hex[c >> 4];
            tmp[2] = hex[c & 15];
            put(h, tmp, 3);
        }
    }
}

void td_web_reltime(time_t now, time_t t, char *out, size_t size)
{
    long long d = (long long)now - (long long)t;

    if (d < 60) {
        snprintf(out, size, "just now");
    } else if (d < 120) {
        snprintf(out, size, "a minute ago");
    } else if (d < 3600) {
        snprintf(out, size, "%lld minutes ago", d / 60);
    } else if (d < 2 * 3600) {
        snprintf(out, size, "an hour ago");
    } else if (d < 86400) {
        snprintf(out, size, "%lld hours ago", d / 3600);
    } else if (d < 2 * 86400) {
        snprintf(out, size, "1 day ago");
    } else if (d < 7 * 86400) {
        snprintf(out, size, "%lld days ago", d / 86400);
    } else {
        struct tm tm;
        if (!gmtime_r(&t, &tm) || strftime(out, size, "%e %b %Y", &tm) == 0) {
            snprintf(out, size, "long ago");
            return;
        }
        if (out[0] == ' ')
            memmove(out, out + 1, strlen(out));
    }
}

void td_web_rfc3339(time_t t, char *out, size_t size)
{
    struct tm tm;

    if (!gmtime_r(&t, &tm) || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, size, "1970-01-01T00:00:00Z");
}
