/*
 * store.c - the backend-neutral half of the store: it checks every argument
 * against store.h's rules and caps, parses search queries, encodes author
 * lists, and hands the call to the back end through its ops table.  Back
 * ends can therefore trust their input, and every back end enforces the same
 * limits.
 */
#include "base/compat.h"
#include "store/store_int.h"

#include "base/buf.h"
#include "base/error.h"
#include "base/log.h"
#include "base/str.h"
#include "base/utf8.h"

#include <stdarg.h>
#include <time.h>

#define DEFAULT_LIMIT 20
#define MARK_MAX 32

int td_store_fail(struct td_store *st, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(st->errmsg, sizeof(st->errmsg), fmt, ap);
    va_end(ap);
    return err;
}

/* A string field: NULL allowed unless required; at most `cap` bytes. */
static int check_str(struct td_store *st, const char *field, const char *s, size_t cap,
                     bool required)
{
    size_t n;

    if (!s) {
        if (required)
            return td_store_fail(st, TD_EINVAL, "%s is required", field);
        return 0;
    }
    n = strnlen(s, cap + 1);
    if (required && n == 0)
        return td_store_fail(st, TD_EINVAL, "%s is empty", field);
    if (n > cap)
        return td_store_fail(st, TD_ETOOBIG, "%s is over the cap of %zu bytes", field, cap);
    /* Every back end must take what one takes: PostgreSQL refuses bad UTF-8. */
    if (!td_utf8_valid(s, n))
        return td_store_fail(st, TD_EENCODING, "%s is not valid UTF-8", field);
    return 0;
}

static int check_id(struct td_store *st, const char *field, int64_t id)
{
    if (id <= 0)
        return td_store_fail(st, TD_EINVAL, "%s must be a positive id", field);
    return 0;
}

static size_t clamp_limit(size_t limit)
{
    if (limit == 0)
        return DEFAULT_LIMIT;
    return limit > TD_STORE_LIST_MAX ? TD_STORE_LIST_MAX : limit;
}

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

const char *td_store_redact(const char *location, char *out, size_t size)
{
    const char *auth = strstr(location, "://"), *end, *at = NULL, *colon;

    if (auth) {
        auth += 3;
        end = auth + strcspn(auth, "/?#");
        for (const char *p = auth; p < end; p++)
            if (*p == '@')
                at = p;
        colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon) {
            snprintf(out, size, "%.*s***%s", (int)(colon + 1 - location), location, at);
            return out;
        }
    }
    snprintf(out, size, "%s", location);
    return out;
}

int td_store_open(const char *location, unsigned flags, struct td_store **out)
{
    char msg[256] = "", shown[512];
    int err;

    *out = NULL;
    if (!location || !*location) {
        err = TD_EINVAL;
        snprintf(msg, sizeof(msg), "no database location given");
    } else if (strncmp(location, "postgres://", 11) == 0 ||
               strncmp(location, "postgresql://", 13) == 0) {
        err = td_store_postgres_open(location, flags, out, msg, sizeof(msg));
    } else {
        err = td_store_sqlite_open(location, flags, out, msg, sizeof(msg));
    }
    if (err < 0) {
        td_log_err("store open failed location=%s error=\"%s\"",
                   td_store_redact(location ? location : "", shown, sizeof(shown)), msg);
        return err;
    }
    (*out)->flags = flags;
    (*out)->errmsg[0] = '\0';
    return 0;
}

void td_store_close(struct td_store *st)
{
    if (st)
        st->ops->close(st);
}

const char *td_store_errmsg(const struct td_store *st)
{
    return st->errmsg;
}

const char *td_store_backend(const struct td_store *st)
{
    return st->ops->name;
}

int td_store_schema_version(struct td_store *st, int *version)
{
    return st->ops->schema_version(st, version);
}

int td_store_data_version(struct td_store *st, int64_t *version)
{
    return st->ops->data_version(st, version);
}

int td_store_check(struct td_store *st)
{
    return st->ops->check(st);
}

int td_store_begin(struct td_store *st)
{
    return st->ops->begin(st);
}

int td_store_commit(struct td_store *st)
{
    return st->ops->commit(st);
}

int td_store_rollback(struct td_store *st)
{
    return st->ops->rollback(st);
}

/* ---- outlets ---- */

int td_store_outlet_upsert(struct td_store *st, const struct td_outlet *o, int64_t *id)
{
    int err;

    if ((err = check_str(st, "name", o->name, TD_STORE_LINE_MAX, true)) < 0 ||
        (err = check_str(st, "site_url", o->site_url, TD_STORE_URL_MAX, true)) < 0 ||
        (err = check_str(st, "icon_url", o->icon_url, TD_STORE_URL_MAX, false)) < 0)
        return err;
    return st->ops->outlet_upsert(st, o, id);
}

int td_store_outlet_get(struct td_store *st, int64_t id, struct td_arena *arena,
                        struct td_outlet **out)
{
    *out = NULL;
    return st->ops->outlet_get(st, id, arena, out);
}

int td_store_outlet_list(struct td_store *st, struct td_arena *arena, struct td_outlet **items,
                         size_t *n)
{
    *items = NULL;
    *n = 0;
    return st->ops->outlet_list(st, arena, items, n);
}

/* ---- feeds ---- */

int td_store_feed_add(struct td_store *st, const struct td_feed *f, int64_t *id, bool *created)
{
    int64_t dummy_id;
    bool dummy_created;
    int err;

    if ((err = check_str(st, "url", f->url, TD_STORE_URL_MAX, true)) < 0 ||
        (err = check_str(st, "title", f->title, TD_STORE_LINE_MAX, false)) < 0 ||
        (err = check_str(st, "category", f->category, TD_STORE_LINE_MAX, false)) < 0 ||
        (err = check_str(st, "tz", f->tz, TD_STORE_LINE_MAX, false)) < 0)
        return err;
    if (f->outlet_id < 0 || f->interval_s < 0)
        return td_store_fail(st, TD_EINVAL, "outlet_id and interval_s must not be negative");
    return st->ops->feed_add(st, f, now_s(), id ? id : &dummy_id,
                             created ? created : &dummy_created);
}

int td_store_feed_get(struct td_store *st, int64_t id, struct td_arena *arena, struct td_feed **out)
{
    *out = NULL;
    return st->ops->feed_get(st, id, NULL, arena, out);
}

int td_store_feed_get_by_url(struct td_store *st, const char *url, struct td_arena *arena,
                             struct td_feed **out)
{
    int err;

    *out = NULL;
    if ((err = check_str(st, "url", url, TD_STORE_URL_MAX, true)) < 0)
        return err;
    return st->ops->feed_get(st, 0, url, arena, out);
}

int td_store_feed_list(struct td_store *st, struct td_arena *arena, struct td_feed **items,
                       size_t *n)
{
    *items = NULL;
    *n = 0;
    return st->ops->feed_list(st, false, 0, 0, arena, items, n);
}

int td_store_feed_list_due(struct td_store *st, int64_t now, size_t limit, struct td_arena *arena,
                           struct td_feed **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    return st->ops->feed_list(st, true, now, clamp_limit(limit), arena, items, n);
}

int td_store_feed_update_fetch(struct td_store *st, int64_t id, const struct td_feed_fetch *r)
{
    int err;

    if ((err = check_id(st, "feed id", id)) < 0 ||
        (err = check_str(st, "error", r->error, TD_STORE_LINE_MAX, false)) < 0 ||
        (err = check_str(st, "etag", r->etag, TD_STORE_LINE_MAX, false)) < 0 ||
        (err = check_str(st, "last_modified", r->last_modified, TD_STORE_LINE_MAX, false)) < 0 ||
        (err = check_str(st, "title", r->title, TD_STORE_LINE_MAX, false)) < 0)
        return err;
    if (r->interval_s < 0)
        return td_store_fail(st, TD_EINVAL, "interval_s must not be negative");
    return st->ops->feed_update_fetch(st, id, r);
}

int td_store_feed_set_url(struct td_store *st, int64_t id, const char *url)
{
    int err;

    if ((err = check_id(st, "feed id", id)) < 0 ||
        (err = check_str(st, "url", url, TD_STORE_URL_MAX, true)) < 0)
        return err;
    return st->ops->feed_set_url(st, id, url);
}

int td_store_feed_set_prefs(struct td_store *st, int64_t id, const char *category, const char *tz)
{
    int err;

    if ((err = check_id(st, "feed id", id)) < 0 ||
        (err = check_str(st, "category", category, TD_STORE_LINE_MAX, false)) < 0 ||
        (err = check_str(st, "tz", tz, TD_STORE_LINE_MAX, false)) < 0)
        return err;
    return st->ops->feed_set_prefs(st, id, category, tz);
}

/* ---- articles ---- */

static int check_article(struct td_store *st, const struct td_article *a)
{
    static const struct {
        const char *name;
        size_t offset;
        size_t cap;
    } fields[] = {
        {"title", offsetof(struct td_article, title), TD_STORE_LINE_MAX},
        {"feed_summary_html", offsetof(struct td_article, feed_summary_html), TD_STORE_HTML_MAX},
        {"feed_content_html", offsetof(struct td_article, feed_content_html), TD_STORE_HTML_MAX},
        {"image_url", offsetof(struct td_article, image_url), TD_STORE_URL_MAX},
        {"image_caption", offsetof(struct td_article, image_caption), TD_STORE_LINE_MAX},
        {"image_credit", offsetof(struct td_article, image_credit), TD_STORE_LINE_MAX},
        {"image_alt", offsetof(struct td_article, image_alt), TD_STORE_LINE_MAX},
        {"text", offsetof(struct td_article, text), TD_STORE_TEXT_MAX},
        {"html", offsetof(struct td_article, html), TD_STORE_HTML_MAX},
        {"language", offsetof(struct td_article, language), TD_STORE_LINE_MAX},
        {"extract_error", offsetof(struct td_article, extract_error), TD_STORE_LINE_MAX},
    };
    int err;

    if ((err = check_id(st, "feed_id", a->feed_id)) < 0 ||
        (err = check_str(st, "entry_key", a->entry_key, TD_STORE_URL_MAX, true)) < 0 ||
        (err = check_str(st, "url", a->url, TD_STORE_URL_MAX, true)) < 0)
        return err;
    for (size_t i = 0; i < TD_ARRAY_SIZE(fields); i++) {
        const char *s = *(const char *const *)((const char *)a + fields[i].offset);
        if ((err = check_str(st, fields[i].name, s, fields[i].cap, false)) < 0)
            return err;
    }
    if (a->n_authors > TD_STORE_AUTHORS_MAX)
        return td_store_fail(st, TD_ETOOBIG, "more than %d authors", TD_STORE_AUTHORS_MAX);
    for (size_t i = 0; i < a->n_authors; i++)
        if ((err = check_str(st, "author", a->authors[i], TD_STORE_LINE_MAX, true)) < 0)
            return err;
    if (a->outlet_id < 0 || a->word_count < 0 || a->story_id < 0 || a->page_attempts < 0)
        return td_store_fail(st, TD_EINVAL,
                             "outlet_id, word_count, story_id, page_attempts must not be negative");
    return 0;
}

int td_store_article_upsert(struct td_store *st, const struct td_article *a, int64_t *id,
                            enum td_store_upsert *result)
{
    int64_t dummy_id;
    enum td_store_upsert dummy_result;
    char *json;
    int err;

    if ((err = check_article(st, a)) < 0)
        return err;
    json = td_store_authors_encode(a->authors, a->n_authors);
    err = st->ops->article_upsert(st, a, json, now_s(), id ? id : &dummy_id,
                                  result ? result : &dummy_result);
    free(json);
    return err;
}

int td_store_article_get(struct td_store *st, int64_t id, struct td_arena *arena,
                         struct td_article **out)
{
    int err;

    *out = NULL;
    if ((err = check_id(st, "article id", id)) < 0)
        return err;
    return st->ops->article_get(st, id, 0, NULL, NULL, arena, out);
}

int td_store_article_get_by_key(struct td_store *st, int64_t feed_id, const char *entry_key,
                                struct td_arena *arena, struct td_article **out)
{
    int err;

    *out = NULL;
    if ((err = check_id(st, "feed_id", feed_id)) < 0 ||
        (err = check_str(st, "entry_key", entry_key, TD_STORE_URL_MAX, true)) < 0)
        return err;
    return st->ops->article_get(st, 0, feed_id, entry_key, NULL, arena, out);
}

int td_store_article_find(struct td_store *st, int64_t feed_id, const char *entry_key, int64_t *id)
{
    int err;

    *id = 0;
    if ((err = check_id(st, "feed_id", feed_id)) < 0 ||
        (err = check_str(st, "entry_key", entry_key, TD_STORE_URL_MAX, true)) < 0)
        return err;
    return st->ops->article_find(st, feed_id, entry_key, id);
}

int td_store_article_get_by_url(struct td_store *st, const char *url, struct td_arena *arena,
                                struct td_article **out)
{
    int err;

    *out = NULL;
    if ((err = check_str(st, "url", url, TD_STORE_URL_MAX, true)) < 0)
        return err;
    return st->ops->article_get(st, 0, 0, NULL, url, arena, out);
}

int td_store_article_list(struct td_store *st, const struct td_article_filter *f,
                          struct td_arena *arena, struct td_article_list *out)
{
    struct td_article_filter g = *f;

    memset(out, 0, sizeof(*out));
    if (g.outlet_id < 0 || g.feed_id < 0 || g.after.id < 0)
        return td_store_fail(st, TD_EINVAL, "negative id in article filter");
    g.limit = clamp_limit(g.limit);
    return st->ops->article_list(st, &g, arena, out);
}

int td_store_article_count(struct td_store *st, int64_t outlet_id, int64_t feed_id, int64_t *n)
{
    *n = 0;
    if (outlet_id < 0 || feed_id < 0)
        return td_store_fail(st, TD_EINVAL, "negative id in article count");
    return st->ops->article_count(st, outlet_id, feed_id, n);
}

/* ---- search ---- */

/* Whether a term has anything a tokenizer could index: ASCII alnum or non-ASCII. */
static bool has_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || (c >= '0' && c <= '9') ||
            (td_ascii_lower(c) >= 'a' && td_ascii_lower(c) <= 'z'))
            return true;
    }
    return false;
}

int td_store_query_parse(const char *query, struct td_search_query *q)
{
    size_t len = strnlen(query, TD_STORE_QUERY_MAX + 1);
    const char *p, *end;

    q->n = q->n_include = 0;
    if (len > TD_STORE_QUERY_MAX)
        return TD_ETOOBIG;
    memcpy(q->buf, query, len);
    q->buf[len] = '\0';
    p = q->buf;
    end = p + len;
    while (p < end) {
        struct td_search_term t = {0};

        while (p < end && td_is_space(*p))
            p++;
        if (p == end)
            break;
        if (*p == '-' || *p == '+') {
            t.exclude = *p == '-';
            p++;
            if (p == end || td_is_space(*p))
                continue;
        }
        if (*p == '"') {
            t.text = ++p;
            while (p < end && *p != '"')
                p++;
            t.len = (size_t)(p - t.text);
            t.phrase = true;
            if (p < end)
                p++;
        } else {
            t.text = p;
            while (p < end && !td_is_space(*p) && *p != '"')
                p++;
            t.len = (size_t)(p - t.text);
            while (t.len > 0 && t.text[t.len - 1] == '*') {
                t.len--;
                t.prefix = true;
            }
        }
        if (!has_word(t.text, t.len))
            continue;
        if (q->n == TD_STORE_QUERY_TERMS_MAX)
            return TD_ETOOBIG;
        q->terms[q->n++] = t;
        if (!t.exclude)
            q->n_include++;
    }
    return 0;
}

int td_store_search(struct td_store *st, const char *query, const struct td_search_opts *o,
                    struct td_arena *arena, struct td_search_result *out)
{
    struct td_search_opts opts = {0};
    struct td_search_query *q;
    int err;

    memset(out, 0, sizeof(*out));
    if (o)
        opts = *o;
    opts.limit = clamp_limit(opts.limit);
    if (!opts.mark_open)
        opts.mark_open = "\x02";
    if (!opts.mark_close)
        opts.mark_close = "\x03";
    if (strnlen(opts.mark_open, MARK_MAX + 1) > MARK_MAX ||
        strnlen(opts.mark_close, MARK_MAX + 1) > MARK_MAX)
        return td_store_fail(st, TD_EINVAL, "snippet marks are over %d bytes", MARK_MAX);
    if (!query)
        return td_store_fail(st, TD_EINVAL, "no query");
    if (opts.outlet_id < 0)
        return td_store_fail(st, TD_EINVAL, "negative outlet_id in search");
    if (!td_utf8_valid(query, strnlen(query, TD_STORE_QUERY_MAX + 1)))
        return td_store_fail(st, TD_EENCODING, "query is not valid UTF-8");
    q = td_xmalloc(sizeof(*q));
    err = td_store_query_parse(query, q);
    if (err < 0) {
        td_store_fail(st, err, "query over %d bytes or %d terms", TD_STORE_QUERY_MAX,
                      TD_STORE_QUERY_TERMS_MAX);
        goto out;
    }
    if (q->n_include > 0)
        err = st->ops->search(st, q, &opts, arena, out);
out:
    free(q);
    return err;
}

/* ---- authors as JSON ---- */

char *td_store_authors_encode(const char *const *authors, size_t n)
{
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);

    if (n == 0)
        return NULL;
    /* Inputs are capped by check_article, so the buffer cannot run away. */
    TD_ASSERT(td_buf_append_ch(&b, '[') == 0);
    for (size_t i = 0; i < n; i++) {
        TD_ASSERT(td_buf_append_c(&b, i ? ",\"" : "\"") == 0);
        for (const unsigned char *s = (const unsigned char *)authors[i]; *s; s++) {
            if (*s == '"' || *s == '\\')
                TD_ASSERT(td_buf_printf(&b, "\\%c", *s) == 0);
            else if (*s < 0x20)
                TD_ASSERT(td_buf_printf(&b, "\\u%04x", *s) == 0);
            else
                TD_ASSERT(td_buf_append_ch(&b, (char)*s) == 0);
        }
        TD_ASSERT(td_buf_append_ch(&b, '"') == 0);
    }
    TD_ASSERT(td_buf_append_ch(&b, ']') == 0);
    return td_buf_detach(&b, NULL);
}

void td_store_tags_encode(const struct td_tag *tags, size_t n, char **slugs, char **terms,
                          struct td_buf *kinds)
{
    const char **v = td_xcalloc(n, sizeof(*v));

    for (size_t i = 0; i < n; i++)
        v[i] = tags[i].slug;
    *slugs = td_store_authors_encode(v, n);
    for (size_t i = 0; i < n; i++)
        v[i] = tags[i].term;
    *terms = td_store_authors_encode(v, n);
    free(v);
    /* At most TD_STORE_TAGS_MAX one-digit kinds, uncapped buffer: appending cannot fail. */
    TD_ASSERT(td_buf_append_ch(kinds, '[') == 0);
    for (size_t i = 0; i < n; i++)
        TD_ASSERT(td_buf_printf(kinds, "%s%d", i ? "," : "", (int)tags[i].kind) == 0);
    TD_ASSERT(td_buf_append_ch(kinds, ']') == 0);
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static int hex4(const char *p, uint32_t *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        *v = *v << 4 | (uint32_t)d;
    }
    return 0;
}

/*
 * Decode one JSON string at `*pp` (just past its opening quote) into `o`,
 * which has room for the rest of the input: no escape decodes longer than
 * it is written.  Returns -1 on malformed input.
 */
static int decode_string(const char **pp, char *o)
{
    const char *p = *pp;
    size_t n = 0;

    for (;;) {
        unsigned char c = (unsigned char)*p++;
        uint32_t cp, lo;

        if (c == '\0' || c < 0x20)
            return -1;
        if (c == '"')
            break;
        if (c != '\\') {
            o[n++] = (char)c;
            continue;
        }
        switch (*p++) {
        case '"':
            o[n++] = '"';
            break;
        case '\\':
            o[n++] = '\\';
            break;
        case '/':
            o[n++] = '/';
            break;
        case 'b':
            o[n++] = '\b';
            break;
        case 'f':
            o[n++] = '\f';
            break;
        case 'n':
            o[n++] = '\n';
            break;
        case 'r':
            o[n++] = '\r';
            break;
        case 't':
            o[n++] = '\t';
            break;
        case 'u':
            if (hex4(p, &cp) < 0)
                return -1;
            p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && p[0] == '\\' && p[1] == 'u' &&
                hex4(p + 2, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            } else if (cp >= 0xD800 && cp < 0xE000) {
                cp = 0xFFFD;
            }
            n += td_utf8_encode(cp, o + n);
            break;
        default:
            return -1;
        }
    }
    o[n] = '\0';
    *pp = p;
    return 0;
}

void td_store_authors_decode(const char *json, struct td_arena *a, const char *const **authors,
                             size_t *n)
{
    const char **list;
    const char *p;
    size_t count = 0;

    *authors = NULL;
    *n = 0;
    if (!json)
        return;
    p = skip_ws(json);
    if (*p++ != '[')
        return;
    list = td_arena_alloc(a, TD_STORE_AUTHORS_MAX * sizeof(*list));
    p = skip_ws(p);
    if (*p == ']')
        return;
    for (;;) {
        const char *q;
        char *s;

        if (*p++ != '"')
            return;
        /* The encoded length bounds the decoded one. */
        for (q = p; *q && *q != '"'; q++)
            if (*q == '\\' && q[1])
                q++;
        s = td_arena_alloc(a, (size_t)(q - p) + 1);
        if (decode_string(&p, s) < 0)
            return;
        if (count < TD_STORE_AUTHORS_MAX)
            list[count++] = s;
        p = skip_ws(p);
        if (*p == ']')
            break;
        if (*p++ != ',')
            return;
        p = skip_ws(p);
    }
    *authors = list;
    *n = count;
}

/* ---- readers ---- */

int td_store_user_add(struct td_store *st, const struct td_user *u, int64_t *id)
{
    int64_t dummy;
    int err;

    if ((err = check_str(st, "name", u->name, TD_STORE_NAME_MAX, true)) < 0 ||
        (err = check_str(st, "pw_hash", u->pw_hash, TD_STORE_LINE_MAX, true)) < 0)
        return err;
    return st->ops->user_add(st, u, u->created_at ? u->created_at : now_s(), id ? id : &dummy);
}

int td_store_user_get(struct td_store *st, int64_t id, struct td_arena *arena, struct td_user **out)
{
    int err;

    *out = NULL;
    if ((err = check_id(st, "id", id)) < 0)
        return err;
    return st->ops->user_get(st, id, NULL, arena, out);
}

int td_store_user_get_by_name(struct td_store *st, const char *name, struct td_arena *arena,
                              struct td_user **out)
{
    int err;

    *out = NULL;
    if ((err = check_str(st, "name", name, TD_STORE_NAME_MAX, true)) < 0)
        return err;
    return st->ops->user_get(st, 0, name, arena, out);
}

int td_store_session_add(struct td_store *st, const struct td_session *s)
{
    int err;

    if ((err = check_str(st, "token_hash", s->token_hash, TD_STORE_LINE_MAX, true)) < 0 ||
        (err = check_id(st, "user_id", s->user_id)) < 0)
        return err;
    if (s->expires_at <= 0)
        return td_store_fail(st, TD_EINVAL, "expires_at is required");
    return st->ops->session_add(st, s, s->created_at ? s->created_at : now_s());
}

int td_store_session_user(struct td_store *st, const char *token_hash, int64_t now,
                          struct td_arena *arena, struct td_user **out)
{
    int err;

    *out = NULL;
    if ((err = check_str(st, "token_hash", token_hash, TD_STORE_LINE_MAX, true)) < 0)
        return err;
    return st->ops->session_user(st, token_hash, now, arena, out);
}

int td_store_session_delete(struct td_store *st, const char *token_hash)
{
    int err;

    if ((err = check_str(st, "token_hash", token_hash, TD_STORE_LINE_MAX, true)) < 0)
        return err;
    return st->ops->session_delete(st, token_hash);
}

int td_store_session_purge(struct td_store *st, int64_t now)
{
    return st->ops->session_purge(st, now);
}

int td_store_comment_add(struct td_store *st, const struct td_comment *c, int64_t *id)
{
    int64_t dummy;
    int err;

    if ((err = check_id(st, "article_id", c->article_id)) < 0 ||
        (err = check_id(st, "user_id", c->user_id)) < 0 ||
        (err = check_str(st, "body", c->body, TD_STORE_COMMENT_MAX, true)) < 0)
        return err;
    return st->ops->comment_add(st, c, c->created_at ? c->created_at : now_s(), id ? id : &dummy);
}

int td_store_comment_get(struct td_store *st, int64_t id, struct td_arena *arena,
                         struct td_comment **out)
{
    int err;

    *out = NULL;
    if ((err = check_id(st, "id", id)) < 0)
        return err;
    return st->ops->comment_get(st, id, arena, out);
}

int td_store_comment_list(struct td_store *st, int64_t article_id, bool with_hidden,
                          struct td_arena *arena, struct td_comment **items, size_t *n)
{
    int err;

    *items = NULL;
    *n = 0;
    if ((err = check_id(st, "article_id", article_id)) < 0)
        return err;
    return st->ops->comment_list(st, article_id, with_hidden, arena, items, n);
}

int td_store_comment_edit(struct td_store *st, int64_t id, const char *body, int64_t edited_at)
{
    int err;

    if ((err = check_id(st, "id", id)) < 0 ||
        (err = check_str(st, "body", body, TD_STORE_COMMENT_MAX, true)) < 0)
        return err;
    return st->ops->comment_edit(st, id, body, edited_at ? edited_at : now_s());
}

int td_store_comment_set_hidden(struct td_store *st, int64_t id, bool hidden)
{
    int err;

    if ((err = check_id(st, "id", id)) < 0)
        return err;
    return st->ops->comment_set_hidden(st, id, hidden);
}

int td_store_comment_delete(struct td_store *st, int64_t id)
{
    int err;

    if ((err = check_id(st, "id", id)) < 0)
        return err;
    return st->ops->comment_delete(st, id);
}

/* ---- stories ---- */

int td_store_story_assign(struct td_store *st, const struct td_story_assign *s)
{
    int err;

    if ((err = check_id(st, "article_id", s->article_id)) < 0 ||
        (err = check_id(st, "story_id", s->story_id)) < 0 ||
        (err = check_id(st, "seq", s->seq)) < 0)
        return err;
    if (s->duplicate_of < 0 || s->representative_id < 0 || s->duplicate_of == s->article_id)
        return td_store_fail(st, TD_EINVAL, "duplicate_of and representative_id must be other ids");
    if (s->n_related > TD_STORE_RELATED_MAX)
        return td_store_fail(st, TD_ETOOBIG, "more than %d related articles", TD_STORE_RELATED_MAX);
    for (size_t i = 0; i < s->n_related; i++)
        if (s->related[i] <= 0 || s->related[i] == s->article_id)
            return td_store_fail(st, TD_EINVAL, "related articles must be other ids");
    return st->ops->story_assign(st, s);
}

int td_store_story_get(struct td_store *st, int64_t id, struct td_arena *arena,
                       struct td_story **out)
{
    int err;

    *out = NULL;
    if ((err = check_id(st, "story id", id)) < 0)
        return err;
    return st->ops->story_get(st, id, arena, out);
}

int td_store_story_list(struct td_store *st, const struct td_story_filter *f,
                        struct td_arena *arena, struct td_story_list *out)
{
    struct td_story_filter g = {0};

    memset(out, 0, sizeof(*out));
    if (f)
        g = *f;
    if (g.min_outlets < 0)
        return td_store_fail(st, TD_EINVAL, "min_outlets must not be negative");
    if (!g.now)
        g.now = now_s();
    g.limit = clamp_limit(g.limit);
    if (g.offset > INT64_MAX / 2)
        return td_store_fail(st, TD_EINVAL, "offset out of range");
    return st->ops->story_list(st, &g, arena, out);
}

int td_store_story_members(struct td_store *st, int64_t story_id, struct td_arena *arena,
                           struct td_article **items, size_t *n)
{
    int err;

    *items = NULL;
    *n = 0;
    if ((err = check_id(st, "story id", story_id)) < 0)
        return err;
    return st->ops->story_members(st, story_id, 0, arena, items, n);
}

int td_store_article_copies(struct td_store *st, int64_t article_id, struct td_arena *arena,
                            struct td_article **items, size_t *n)
{
    int err;

    *items = NULL;
    *n = 0;
    if ((err = check_id(st, "article id", article_id)) < 0)
        return err;
    return st->ops->story_members(st, 0, article_id, arena, items, n);
}

int td_store_story_related(struct td_store *st, int64_t article_id, size_t limit,
                           struct td_arena *arena, struct td_article **items, size_t *n)
{
    int err;

    *items = NULL;
    *n = 0;
    if ((err = check_id(st, "article id", article_id)) < 0)
        return err;
    return st->ops->story_related(st, article_id, clamp_limit(limit), arena, items, n);
}

int td_store_story_sources(struct td_store *st, bool placed, struct td_store_cursor *after,
                           size_t limit, struct td_arena *arena, struct td_story_source **items,
                           size_t *n)
{
    *items = NULL;
    *n = 0;
    if (after->id < 0)
        return td_store_fail(st, TD_EINVAL, "negative cursor");
    return st->ops->story_sources(st, placed, after, clamp_limit(limit), arena, items, n);
}

/* ---- key points and tags ---- */

const char *td_tag_kind_name(enum td_tag_kind kind)
{
    switch (kind) {
    case TD_TAG_CATEGORY:
        return "category";
    case TD_TAG_ENTITY:
        return "entity";
    case TD_TAG_KEYWORD:
        return "keyword";
    }
    return "keyword";
}

static bool kind_ok(int kind)
{
    return kind >= TD_TAG_CATEGORY && kind <= TD_TAG_KEYWORD;
}

/* A slug: the checks of check_str, and nothing a URL path segment would mangle. */
static int check_slug(struct td_store *st, const char *slug)
{
    int err;

    if ((err = check_str(st, "slug", slug, TD_STORE_TAG_MAX, true)) < 0)
        return err;
    for (const char *p = slug; *p; p++)
        if (*p == '/' || *p == '?' || *p == '#' || *p == '%' || td_is_space(*p) ||
            (unsigned char)*p < 0x20 || (*p >= 'A' && *p <= 'Z'))
            return td_store_fail(st, TD_EINVAL, "slug \"%s\" has a character URLs would change",
                                 slug);
    return 0;
}

int td_store_keypoints_set(struct td_store *st, int64_t article_id, const char *const *points,
                           size_t n)
{
    char *json;
    int err;

    if ((err = check_id(st, "article_id", article_id)) < 0)
        return err;
    if (n > TD_STORE_KEYPOINTS_MAX)
        return td_store_fail(st, TD_ETOOBIG, "more than %d key points", TD_STORE_KEYPOINTS_MAX);
    for (size_t i = 0; i < n; i++)
        if ((err = check_str(st, "key point", points[i], TD_STORE_LINE_MAX, true)) < 0)
            return err;
    /* The authors' encoding: a JSON array of strings. */
    json = n ? td_store_authors_encode(points, n) : td_xstrdup("[]");
    err = st->ops->keypoints_set(st, article_id, json, now_s());
    free(json);
    return err;
}

int td_store_keypoints_get(struct td_store *st, int64_t article_id, struct td_arena *arena,
                           const char *const **points, size_t *n)
{
    const char *json = NULL;
    int err;

    *points = NULL;
    *n = 0;
    if ((err = check_id(st, "article_id", article_id)) < 0)
        return err;
    if ((err = st->ops->keypoints_get(st, article_id, arena, &json)) < 0)
        return err;
    td_store_authors_decode(json, arena, points, n);
    return 0;
}

int td_store_tags_set(struct td_store *st, int64_t article_id, unsigned kinds,
                      const struct td_tag *tags, size_t n)
{
    int err;

    if ((err = check_id(st, "article_id", article_id)) < 0)
        return err;
    if (kinds == 0 ||
        (kinds & ~((1u << TD_TAG_CATEGORY) | (1u << TD_TAG_ENTITY) | (1u << TD_TAG_KEYWORD))))
        return td_store_fail(st, TD_EINVAL, "tag kinds mask %#x is not a set of kinds", kinds);
    if (n > TD_STORE_TAGS_MAX)
        return td_store_fail(st, TD_ETOOBIG, "more than %d tags", TD_STORE_TAGS_MAX);
    for (size_t i = 0; i < n; i++) {
        if ((err = check_str(st, "tag term", tags[i].term, TD_STORE_TAG_MAX, true)) < 0 ||
            (err = check_slug(st, tags[i].slug)) < 0)
            return err;
        if (!kind_ok((int)tags[i].kind) || !(kinds & (1u << tags[i].kind)))
            return td_store_fail(st, TD_EINVAL, "tag \"%s\" has a kind outside the mask",
                                 tags[i].slug);
    }
    return st->ops->tags_set(st, article_id, kinds, tags, n);
}

int td_store_tags_of(struct td_store *st, int64_t article_id, struct td_arena *arena,
                     struct td_tag **items, size_t *n)
{
    int err;

    *items = NULL;
    *n = 0;
    if ((err = check_id(st, "article_id", article_id)) < 0)
        return err;
    return st->ops->tags_of(st, article_id, arena, items, n);
}

int td_store_tag_get(struct td_store *st, const char *slug, struct td_arena *arena,
                     struct td_tag **out)
{
    int err;

    *out = NULL;
    if ((err = check_str(st, "slug", slug, TD_STORE_TAG_MAX, true)) < 0)
        return err == TD_ETOOBIG ? td_store_fail(st, TD_ENOTFOUND, "no such tag") : err;
    return st->ops->tag_get(st, slug, arena, out);
}

int td_store_tags_popular(struct td_store *st, unsigned kinds, int64_t min_articles, size_t limit,
                          struct td_arena *arena, struct td_tag **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    if (kinds == 0)
        kinds = (1u << TD_TAG_CATEGORY) | (1u << TD_TAG_ENTITY) | (1u << TD_TAG_KEYWORD);
    return st->ops->tags_popular(st, kinds, min_articles > 1 ? min_articles : 1, clamp_limit(limit),
                                 arena, items, n);
}

int td_store_tag_articles(struct td_store *st, int64_t tag_id, const struct td_article_filter *f,
                          struct td_arena *arena, struct td_article_list *out)
{
    struct td_article_filter g = *f;
    int err;

    memset(out, 0, sizeof(*out));
    if ((err = check_id(st, "tag_id", tag_id)) < 0)
        return err;
    if (g.outlet_id || g.feed_id || g.page_pending || g.after.id < 0)
        return td_store_fail(st, TD_EINVAL, "a tag's list takes only a cursor and a limit");
    g.limit = clamp_limit(g.limit);
    return st->ops->tag_articles(st, tag_id, &g, arena, out);
}

int td_store_analysis_copy(struct td_store *st, int64_t from, int64_t to)
{
    int err;

    if ((err = check_id(st, "from", from)) < 0 || (err = check_id(st, "to", to)) < 0)
        return err;
    if (from == to)
        return 0;
    return st->ops->analysis_copy(st, from, to);
}

int td_store_articles_unanalyzed(struct td_store *st, int64_t after_id, size_t limit,
                                 struct td_arena *arena, struct td_article **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    if (after_id < 0)
        return td_store_fail(st, TD_EINVAL, "negative id");
    return st->ops->articles_unanalyzed(st, after_id, clamp_limit(limit), arena, items, n);
}
