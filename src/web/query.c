/*
 * query.c - search operator parsing (see query.h).
 *
 * Tokens are separated by white space, except inside double quotes; an
 * unterminated quote runs to the end of the query (the store treats it the
 * same way), so no input is a syntax error.
 */
#include "base/compat.h"
#include "base/error.h"
#include "web/query.h"

void td_web_query_release(struct td_web_query *q)
{
    if (q)
        td_buf_release(&q->text);
}

bool td_web_query_has_filters(const struct td_web_query *q)
{
    return q->outlet[0] || q->tag[0] || q->after || q->before;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int td_web_parse_date(const char *s, size_t len, time_t *t)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
        !digits(s + 8, 2))
        return TD_EPARSE;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
        return TD_EPARSE;
    /* Days from the civil date (proleptic Gregorian), as in H. Hinnant's algorithm. */
    int yy = m <= 2 ? y - 1 : y;
    int era = yy / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = (long long)era * 146097 + doe - 719468;
    *t = (time_t)(days * 86400);
    return 0;
}

/* Strip one pair of surrounding double quotes. */
static void unquote(const char **v, size_t *n)
{
    if (*n >= 1 && (*v)[0] == '"') {
        (*v)++;
        (*n)--;
        if (*n >= 1 && (*v)[*n - 1] == '"')
            (*n)--;
    }
}

static bool op_is(const char *tok, size_t n, const char *name)
{
    size_t k = strlen(name);

    if (n <= k || tok[k] != ':')
        return false;
    for (size_t i = 0; i < k; i++)
        if (td_ascii_lower((unsigned char)tok[i]) != name[i])
            return false;
    return true;
}

static int fail(struct td_web_query *out, int code, const char *msg)
{
    out->error = msg;
    return code;
}

int td_web_query_parse(const char *q, struct td_web_query *out)
{
    size_t len = strlen(q), i = 0;

    memset(out, 0, sizeof(*out));
    td_buf_init(&out->text, TD_WEB_QUERY_MAX);
    if (len > TD_WEB_QUERY_MAX)
        return fail(out, TD_ETOOBIG, "The search is too long (at most 1024 bytes).");
    while (i < len) {
        while (i < len && td_is_space((unsigned char)q[i]))
            i++;
        if (i == len)
            break;
        size_t start = i;
        bool quoted = false;
        while (i < len && (quoted || !td_is_space((unsigned char)q[i]))) {
            if (q[i] == '"')
                quoted = !quoted;
            i++;
        }
        const char *tok = q + start;
        size_t n = i - start;
        if (op_is(tok, n, "outlet")) {
            const char *v = tok + 7;
            size_t vn = n - 7;
            unquote(&v, &vn);
            if (vn == 0 || vn >= sizeof(out->outlet))
                return fail(out, TD_EINVAL, "outlet: needs a name, e.g. outlet:\"Daily News\".");
            memcpy(out->outlet, v, vn);
            out->outlet[vn] = '\0';
        } else if (op_is(tok, n, "tag")) {
            const char *v = tok + 4;
            size_t vn = n - 4;
            unquote(&v, &vn);
            if (vn == 0 || vn >= sizeof(out->tag))
                return fail(out, TD_EINVAL, "tag: needs a name, e.g. tag:\"World News\".");
            memcpy(out->tag, v, vn);
            out->tag[vn] = '\0';
        } else if (op_is(tok, n, "after") || op_is(tok, n, "before")) {
            bool after = td_ascii_lower((unsigned char)tok[0]) == 'a';
            size_t k = after ? 6 : 7;
            if (td_web_parse_date(tok + k, n - k, after ? &out->after : &out->before) < 0)
                return fail(out, TD_EINVAL, "after: and before: need a date like 2026-03-01.");
        } else {
            if (out->text.len && td_buf_append_ch(&out->text, ' ') < 0)
                return fail(out, TD_ETOOBIG, "The search is too long.");
            if (td_buf_append(&out->text, tok, n) < 0)
                return fail(out, TD_ETOOBIG, "The search is too long.");
        }
    }
    return 0;
}
