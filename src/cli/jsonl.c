/*
 * jsonl.c - the capped, forgiving JSON Lines reader of the text commands.
 */
#include "cli/jsonl.h"

#include <utf8proc.h>

void td_jsonl_init(struct td_jsonl *r, FILE *in, const char *cmd)
{
    memset(r, 0, sizeof(*r));
    r->in = in;
    r->cmd = cmd;
    td_buf_init(&r->line, TD_JSONL_MAX_LINE);
    td_buf_init(&r->clean, TD_BUF_NOCAP);
}

void td_jsonl_release(struct td_jsonl *r)
{
    td_buf_release(&r->line);
    td_buf_release(&r->clean);
}

/* Read one line into r->line.  0 ok, 1 end of input, -1 too long (skipped). */
static int read_line(struct td_jsonl *r)
{
    char chunk[65536];
    bool too_long = false, any = false;

    td_buf_reset(&r->line);
    while (fgets(chunk, sizeof(chunk), r->in)) {
        size_t n = strlen(chunk);
        bool eol = n > 0 && chunk[n - 1] == '\n';
        any = true;
        if (!too_long && td_buf_append(&r->line, chunk, n) < 0)
            too_long = true;
        if (eol)
            break;
    }
    if (!any)
        return 1;
    r->lineno++;
    return too_long ? -1 : 0;
}

/* Copy the line to r->clean with ill-formed UTF-8 replaced by U+FFFD. */
static void sanitize(struct td_jsonl *r)
{
    const unsigned char *s = (const unsigned char *)r->line.buf;
    size_t len = r->line.len, i = 0;

    td_buf_reset(&r->clean);
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)TD_MIN(len - i, 4), &cp);
        int rc;
        if (n <= 0) {
            rc = td_buf_append(&r->clean, "\xEF\xBF\xBD", 3);
            n = 1;
        } else {
            rc = td_buf_append(&r->clean, s + i, (size_t)n);
        }
        TD_ASSERT(rc == 0); /* uncapped, and the input line is capped */
        i += (size_t)n;
    }
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Howard Hinnant's algorithm: days since 1970-01-01 in the proleptic Gregorian calendar. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

int64_t td_jsonl_parse_time(const char *s)
{
    int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0;

    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    s += 10;
    if (*s == 'T' || *s == 't' || *s == ' ') {
        if (!digits(s + 1, 2, &h) || s[3] != ':' || !digits(s + 4, 2, &mi) || h > 23 || mi > 59)
            return -1;
        s += 6;
        if (*s == ':') {
            if (!digits(s + 1, 2, &se) || se > 60)
                return -1;
            s += 3;
            if (*s == '.' || *s == ',') {
                s++;
                while (*s >= '0' && *s <= '9')
                    s++;
            }
        }
        if (*s == 'Z' || *s == 'z') {
            s++;
        } else if (*s == '+' || *s == '-') {
            sign = *s == '-' ? -1 : 1;
            if (!digits(s + 1, 2, &oh))
                return -1;
            s += 3;
            if (*s == ':')
                s++;
            if (*s && !digits(s, 2, &om))
                return -1;
            s += *s ? 2 : 0;
        }
    }
    if (*s)
        return -1;
    return days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se -
           sign * (oh * 3600 + om * 60);
}

static const char *str_field(json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

json_t *td_jsonl_next(struct td_jsonl *r, struct td_jsonl_article *a)
{
    for (;;) {
        int rc = read_line(r);
        if (rc == 1)
            return NULL;
        if (rc < 0) {
            fprintf(stderr, "%s: line %zu: longer than %u bytes, skipped\n", r->cmd, r->lineno,
                    TD_JSONL_MAX_LINE);
            r->errors++;
            continue;
        }
        struct td_str t = td_str_trim(td_buf_str(&r->line));
        if (t.len == 0)
            continue;
        sanitize(r);
        json_error_t err;
        json_t *o = json_loadb(r->clean.buf, r->clean.len, 0, &err);
        if (!o || !json_is_object(o)) {
            fprintf(stderr, "%s: line %zu: %s, skipped\n", r->cmd, r->lineno,
                    o ? "not a JSON object" : err.text);
            json_decref(o);
            r->errors++;
            continue;
        }
        json_t *id = json_object_get(o, "id");
        if (!id || !(json_is_string(id) || json_is_integer(id))) {
            fprintf(stderr, "%s: line %zu: no string or integer \"id\", skipped\n", r->cmd,
                    r->lineno);
            json_decref(o);
            r->errors++;
            continue;
        }
        json_t *text = json_object_get(o, "text");
        json_t *pub = json_object_get(o, "published");
        memset(a, 0, sizeof(*a));
        a->id = id;
        a->title = str_field(o, "title") ? str_field(o, "title") : "";
        a->text = json_is_string(text) ? json_string_value(text) : "";
        a->text_len = json_is_string(text) ? json_string_length(text) : 0;
        a->language = str_field(o, "language");
        a->outlet = str_field(o, "outlet") ? str_field(o, "outlet") : str_field(o, "source");
        if (json_is_number(pub) && json_number_value(pub) > 0 &&
            json_number_value(pub) < 253402300800.0) {
            a->published = (int64_t)json_number_value(pub);
        } else if (json_is_string(pub)) {
            int64_t t = td_jsonl_parse_time(json_string_value(pub));
            if (t > 0)
                a->published = t;
            else
                fprintf(stderr, "%s: line %zu: unparseable \"published\", treated as unknown\n",
                        r->cmd, r->lineno);
        }
        return o;
    }
}

void td_jsonl_print(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT);
    if (s) {
        fputs(s, stdout);
        fputc('\n', stdout);
        free(s);
    }
    json_decref(o);
}
