/*
 * demo.c - filling the corpus's placeholders and publishing it on the
 * fixture server (see demo.h).  Dates are written with fixed English names
 * rather than strftime's %a/%b, which follow the locale: RFC 822 dates must
 * not turn French on a French desktop.
 */
#include "base/compat.h"
#include "base/error.h"
#include "demo/demo.h"
#include "fixture/fixture.h"

#include <errno.h>
#include <time.h>

static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const months[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};

/* Longest placeholder name with its argument, e.g. "rfc3339:-86400". */
#define PLACEHOLDER_MAX 64

static int put_date(struct td_buf *out, const char *kind, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!gmtime_r(&tt, &tm))
        return TD_EINVAL;
    if (!strcmp(kind, "rfc822"))
        return td_buf_printf(out, "%s, %02d %.3s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
                             tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                             tm.tm_min, tm.tm_sec);
    if (!strcmp(kind, "rfc3339"))
        return td_buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (!strcmp(kind, "date"))
        return td_buf_printf(out, "%d %s %04d, %02d:%02d UTC", tm.tm_mday, months[tm.tm_mon],
                             tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
    return TD_EPARSE;
}

/* Fill one placeholder, `name` being what stands between the braces. */
static int put_placeholder(struct td_buf *out, const char *name, const char *base, int64_t now)
{
    const char *colon = strchr(name, ':');
    char kind[16], *end;
    long long off;

    if (!strcmp(name, "base"))
        return td_buf_append_c(out, base);
    if (!colon || (size_t)(colon - name) >= sizeof(kind) || colon[1] != '-')
        return TD_EPARSE;
    memcpy(kind, name, (size_t)(colon - name));
    kind[colon - name] = '\0';
    errno = 0;
    off = strtoll(colon + 1, &end, 10);
    /* Offsets only go back, and by less than a year: the corpus is news. */
    if (*end || errno || off > 0 || off < -366LL * 86400)
        return TD_EPARSE;
    return put_date(out, kind, now + off);
}

int td_demo_render(const char *tmpl, size_t len, const char *base, int64_t now, struct td_buf *out)
{
    const char *p = tmpl, *end = tmpl + len;
    int err = 0;

    while (p < end && !err) {
        const char *open = memchr(p, '{', (size_t)(end - p));
        while (open && open + 1 < end && open[1] != '{')
            open = memchr(open + 1, '{', (size_t)(end - open - 1));
        if (!open || open + 1 >= end) {
            err = td_buf_append(out, p, (size_t)(end - p));
            break;
        }
        if ((err = td_buf_append(out, p, (size_t)(open - p))) < 0)
            break;
        const char *name = open + 2;
        size_t n = 0;
        while (name + n + 1 < end && n < PLACEHOLDER_MAX && !(name[n] == '}' && name[n + 1] == '}'))
            n++;
        if (name + n + 1 >= end || n >= PLACEHOLDER_MAX)
            return TD_EPARSE;
        char buf[PLACEHOLDER_MAX + 1];
        memcpy(buf, name, n);
        buf[n] = '\0';
        err = put_placeholder(out, buf, base, now);
        p = name + n + 2;
    }
    return err;
}

int td_demo_publish(struct td_fixture *f, int64_t now)
{
    struct td_buf body = TD_BUF_INIT(TD_DEMO_FILE_MAX);
    char base[TD_FIXTURE_URL_MAX], etag[32];
    int err = 0;

    td_fixture_url(f, "", base);
    /* One ETag per run: every file changes when `now` does. */
    snprintf(etag, sizeof(etag), "\"demo-%llx\"", (unsigned long long)now);
    for (size_t i = 0; i < td_demo_files_count && !err; i++) {
        const struct td_demo_file *d = &td_demo_files[i];
        struct td_fixture_route r = {
            .path = d->path, .content_type = d->content_type, .etag = etag};

        td_buf_reset(&body);
        if (d->templated) {
            if ((err = td_demo_render(d->data, d->len, base, now, &body)) < 0) {
                fprintf(stderr, "tidings demo: corpus file %s does not render: %s\n", d->path,
                        td_strerror(err));
                break;
            }
            r.body = body.buf;
            r.body_len = body.len;
        } else {
            r.body = d->data;
            r.body_len = d->len;
        }
        /* td_fixture_add takes body_len 0 for strlen(body): fine for an empty file too. */
        if (td_fixture_add(f, &r) < 0)
            err = TD_EINVAL;
    }
    td_buf_release(&body);
    return err;
}
