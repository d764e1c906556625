/*
 * json.c - JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) into
 * the entry model.
 *
 * Field types are checked, never assumed: a number where a string belongs
 * is read as its decimal text when that is meaningful (item ids are often
 * numbers), otherwise ignored.  1.0's `author` and 1.1's `authors` are both
 * read.
 *
 * The document is read by a parser of its own (below) rather than jansson,
 * which cost a sixth of all feed parsing: an allocation and a hash table
 * entry per value.  It accepts and rejects exactly what jansson's
 * json_loadb() with no flags did, so the same documents parse and give the
 * same values: strict RFC 8259, an object or array at the top, no \u0000,
 * no lone surrogates, integers that fit a long long, reals that do not
 * overflow a double, at most 2048 values deep; the last of repeated keys
 * wins.  Input is valid UTF-8 already (td_utf8_sanitize).
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/utf8.h"
#include "feed/internal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>

/* What the readers below tell apart; null, booleans and reals are J_OTHER. */
enum jtype { J_OTHER, J_STR, J_INT, J_ARR, J_OBJ };

/*
 * One value.  Values live in one array, 1-based so that 0 means none;
 * arrays and objects link their children through `next`.
 */
struct jv {
    const char *key; /* member name (in objects), else NULL */
    union {
        const char *str; /* J_STR: not NUL-terminated, `len` bytes */
        long long i;     /* J_INT */
        uint32_t first;  /* J_ARR, J_OBJ: first child, 0 if empty */
    } u;
    uint32_t klen, len, next;
    unsigned char type;
};

#define JSON_MAX_DEPTH 2048 /* jansson's JSON_PARSER_MAX_DEPTH */

struct jdoc {
    const char *p, *end;
    struct jv *v;
    size_t n, cap;
    char *dec; /* decoded text of strings with escapes: never longer than the input */
    size_t dec_len, in_len;
    unsigned depth;
};

static uint32_t jnew(struct jdoc *d, enum jtype type)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->v = td_xrealloc(d->v, d->cap * sizeof(*d->v));
    }
    struct jv *v = &d->v[d->n];
    v->key = NULL;
    v->klen = v->len = v->next = 0;
    v->u.first = 0;
    v->type = (unsigned char)type;
    return (uint32_t)d->n++;
}

static void jws(struct jdoc *d)
{
    while (d->p < d->end && (*d->p == ' ' || *d->p == '\t' || *d->p == '\n' || *d->p == '\r'))
        d->p++;
}

static int hex4(const char *p, const char *end)
{
    int v = 0;
    if (end - p < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int x = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (x < 0)
            return -1;
        v = v * 16 + x;
    }
    return v;
}

/* Bytes a string scan stops at: the quote, a backslash, control characters. */
static const bool jstop[256] = {
    [0] = 1,  [1] = 1,  [2] = 1,  [3] = 1,  [4] = 1,  [5] = 1,   [6] = 1,    [7] = 1,  [8] = 1,
    [9] = 1,  [10] = 1, [11] = 1, [12] = 1, [13] = 1, [14] = 1,  [15] = 1,   [16] = 1, [17] = 1,
    [18] = 1, [19] = 1, [20] = 1, [21] = 1, [22] = 1, [23] = 1,  [24] = 1,   [25] = 1, [26] = 1,
    [27] = 1, [28] = 1, [29] = 1, [30] = 1, [31] = 1, ['"'] = 1, ['\\'] = 1,
};

/*
 * The string at d->p == '"': its text (a slice of the input when it has
 * no escapes, else decoded into d->dec).  False when it is not a valid
 * JSON string or contains U+0000.
 */
static bool jstring(struct jdoc *d, const char **out, size_t *out_len)
{
    const char *p = ++d->p, *end = d->end;
    while (p < end && !jstop[(unsigned char)*p])
        p++;
    if (p < end && *p == '"') {
        *out = d->p;
        *out_len = (size_t)(p - d->p);
        d->p = p + 1;
        return true;
    }
    if (!d->dec)
        d->dec = td_xmalloc(d->in_len + 1);
    char *t = d->dec + d->dec_len, *start = t;
    memcpy(t, d->p, (size_t)(p - d->p));
    t += p - d->p;
    for (;;) {
        while (p < end && !jstop[(unsigned char)*p])
            *t++ = *p++;
        if (p == end || (unsigned char)*p < 0x20)
            return false;
        if (*p == '"')
            break;
        if (++p == end)
            return false;
        char c = *p++;
        switch (c) {
        case '"':
        case '\\':
        case '/':
            *t++ = c;
            break;
        case 'b':
            *t++ = '\b';
            break;
        case 'f':
            *t++ = '\f';
            break;
        case 'n':
            *t++ = '\n';
            break;
        case 'r':
            *t++ = '\r';
            break;
        case 't':
            *t++ = '\t';
            break;
        case 'u': {
            long cp = hex4(p, end);
            if (cp < 0)
                return false;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = end - p >= 2 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2, end) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return false;
                p += 6;
                cp = ((cp - 0xD800) << 10) + (lo - 0xDC00) + 0x10000;
            } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
                return false;
            }
            t += td_utf8_encode((uint32_t)cp, t);
            break;
        }
        default:
            return false;
        }
    }
    *out = start;
    *out_len = (size_t)(t - start);
    d->dec_len += *out_len;
    d->p = p + 1;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The number at d->p ('-' or a digit) into value `i`. */
static bool jnumber(struct jdoc *d, uint32_t i)
{
    const char *s = d->p, *p = s, *end = d->end;
    bool neg = p < end && *p == '-';
    p += neg;
    if (p == end || !is_digit(*p))
        return false;
    if (*p == '0') {
        if (++p < end && is_digit(*p))
            return false;
    } else {
        while (p < end && is_digit(*p))
            p++;
    }
    if (p == end || (*p != '.' && *p != 'e' && *p != 'E')) {
        /* An integer: what strtoll takes without ERANGE. */
        unsigned long long v = 0, lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
        for (const char *q = s + neg; q < p; q++) {
            unsigned digit = (unsigned)(*q - '0');
            if (v > (lim - digit) / 10)
                return false;
            v = v * 10 + digit;
        }
        d->v[i].type = J_INT;
        d->v[i].u.i = neg ? (v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v)
                          : (long long)v;
        d->p = p;
        return true;
    }
    if (*p == '.') {
        if (++p == end || !is_digit(*p))
            return false;
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p == end || !is_digit(*p))
            return false;
        while (p < end && is_digit(*p))
            p++;
    }
    /* A real: only its overflow matters (an error, as for jansson). */
    size_t n = (size_t)(p - s);
    char small[64], *copy = n < sizeof(small) ? small : td_xmalloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = '\0';
    errno = 0;
    double x = strtod(copy, NULL);
    bool overflow = errno == ERANGE && (x == HUGE_VAL || x == -HUGE_VAL);
    if (copy != small)
        free(copy);
    d->p = p;
    return !overflow;
}

static uint32_t jvalue(struct jdoc *d);

/* The members of the object at d->p == '{'. */
static bool jobject(struct jdoc *d, uint32_t obj)
{
    uint32_t last = 0;
    d->p++;
    jws(d);
    if (d->p < d->end && *d->p == '}') {
        d->p++;
        return true;
    }
    for (;;) {
        const char *key;
        size_t klen;
        if (d->p == d->end || *d->p != '"' || !jstring(d, &key, &klen))
            return false;
        jws(d);
        if (d->p == d->end || *d->p != ':')
            return false;
        d->p++;
        jws(d);
        uint32_t m = jvalue(d);
        if (!m)
            return false;
        d->v[m].key = key;
        d->v[m].klen = (uint32_t)klen;
        if (last)
            d->v[last].next = m;
        else
            d->v[obj].u.first = m;
        last = m;
        jws(d);
        if (d->p < d->end && *d->p == ',') {
            d->p++;
            jws(d);
            continue;
        }
        if (d->p < d->end && *d->p == '}') {
            d->p++;
            return true;
        }
        return false;
    }
}

/* The elements of the array at d->p == '['. */
static bool jarray(struct jdoc *d, uint32_t arr)
{
    uint32_t last = 0;
    d->p++;
    jws(d);
    if (d->p < d->end && *d->p == ']') {
        d->p++;
        return true;
    }
    for (;;) {
        uint32_t e = jvalue(d);
        if (!e)
            return false;
        if (last)
            d->v[last].next = e;
        else
            d->v[arr].u.first = e;
        last = e;
        jws(d);
        if (d->p < d->end && *d->p == ',') {
            d->p++;
            jws(d);
            continue;
        }
        if (d->p < d->end && *d->p == ']') {
            d->p++;
            return true;
        }
        return false;
    }
}

/* The value at d->p (white space skipped): its index, 0 if invalid. */
static uint32_t jvalue(struct jdoc *d)
{
    if (d->p == d->end || ++d->depth > JSON_MAX_DEPTH)
        return 0;
    char c = *d->p;
    uint32_t i;
    bool ok;
    if (c == '{') {
        i = jnew(d, J_OBJ);
        ok = jobject(d, i);
    } else if (c == '[') {
        i = jnew(d, J_ARR);
        ok = jarray(d, i);
    } else if (c == '"') {
        const char *s;
        size_t n;
        i = jnew(d, J_STR);
        ok = jstring(d, &s, &n);
        d->v[i].u.str = s;
        d->v[i].len = (uint32_t)n;
    } else if (c == '-' || is_digit(c)) {
        i = jnew(d, J_OTHER);
        ok = jnumber(d, i);
    } else {
        /* jansson reads a whole run of letters, then wants a literal. */
        const char *w = d->p;
        while (d->p < d->end && ((*d->p >= 'a' && *d->p <= 'z') || (*d->p >= 'A' && *d->p <= 'Z')))
            d->p++;
        struct td_str lit = td_str_make(w, (size_t)(d->p - w));
        i = jnew(d, J_OTHER);
        ok = td_str_eq(lit, TD_STR_LIT("true")) || td_str_eq(lit, TD_STR_LIT("false")) ||
             td_str_eq(lit, TD_STR_LIT("null"));
    }
    d->depth--;
    return ok ? i : 0;
}

/* Parse `len` bytes: the root value's index, 0 if the document is not valid JSON. */
static uint32_t jparse(struct jdoc *d, const char *s, size_t len)
{
    memset(d, 0, sizeof(*d));
    d->p = s;
    d->end = s + len;
    d->in_len = len;
    jnew(d, J_OTHER); /* index 0: none */
    jws(d);
    if (d->p == d->end || (*d->p != '{' && *d->p != '['))
        return 0;
    uint32_t root = jvalue(d);
    jws(d);
    return root && d->p == d->end ? root : 0;
}

static void jfree(struct jdoc *d)
{
    free(d->v);
    free(d->dec);
}

/* The member `k` of object `obj` (the last one, if repeated), or NULL. */
static const struct jv *jget(const struct jdoc *d, const struct jv *obj, const char *k)
{
    const struct jv *found = NULL;
    size_t n = strlen(k);
    if (!obj || obj->type != J_OBJ)
        return NULL;
    for (uint32_t c = obj->u.first; c; c = d->v[c].next)
        if (d->v[c].klen == n && !memcmp(d->v[c].key, k, n))
            found = &d->v[c];
    return found;
}

/* The first element of an array (NULL if empty or not an array) and the next one. */
static const struct jv *jfirst(const struct jdoc *d, const struct jv *arr)
{
    return arr && arr->type == J_ARR && arr->u.first ? &d->v[arr->u.first] : NULL;
}

static const struct jv *jnext(const struct jdoc *d, const struct jv *v)
{
    return v->next ? &d->v[v->next] : NULL;
}

static const char *get_str(struct td_feed_builder *b, const struct jdoc *d, const struct jv *obj,
                           const char *k)
{
    const struct jv *v = jget(d, obj, k);
    if (v && v->type == J_STR)
        return td_feed_strdup(b, v->u.str, v->len, true);
    if (v && v->type == J_INT) {
        char n[32];
        snprintf(n, sizeof(n), "%lld", v->u.i);
        return td_feed_strdup(b, n, strlen(n), false);
    }
    return "";
}

static const char *get_url(struct td_feed_builder *b, const struct jdoc *d, const struct jv *obj,
                           const char *k)
{
    return td_feed_resolve(b, b->base, get_str(b, d, obj, k));
}

static void read_person(struct td_feed_builder *b, const struct jdoc *d, const struct jv *a,
                        struct td_feed_person *p)
{
    p->name = get_str(b, d, a, "name");
    p->uri = get_url(b, d, a, "url");
    p->email = "";
}

/* `author` (1.0) and `authors` (1.1) into an array; returns the count. */
static size_t read_authors(struct td_feed_builder *b, const struct jdoc *d, const struct jv *obj,
                           struct td_feed_person **arr, size_t *n)
{
    const struct jv *list = jget(d, obj, "authors"), *one = jget(d, obj, "author");
    if (list && list->type == J_ARR) {
        for (const struct jv *a = jfirst(d, list); a; a = jnext(d, a))
            if (a->type == J_OBJ)
                read_person(b, d, a, TD_FEED_PUSH(&b->f->arena, *arr, *n));
    } else if (one && one->type == J_OBJ) {
        read_person(b, d, one, TD_FEED_PUSH(&b->f->arena, *arr, *n));
    }
    return *n;
}

static void set_date(struct td_feed_builder *b, const struct jdoc *d, const struct jv *obj,
                     const char *k, struct td_feed_date *date)
{
    const char *v = get_str(b, d, obj, k);
    if (*v)
        td_feed_set_date(b, date, v);
}

static void set_text(struct td_feed_text *t, const char *v, const char *type)
{
    t->value = v;
    t->type = type;
}

static void read_item(struct td_feed_builder *b, const struct jdoc *d, const struct jv *it)
{
    struct td_feed_entry *e = td_feed_new_entry(b);

    if (!e)
        return;
    e->id = get_str(b, d, it, "id");
    e->link = get_url(b, d, it, "url");
    if (!*e->link)
        e->link = get_url(b, d, it, "external_url");
    set_text(&e->title, get_str(b, d, it, "title"), "text/plain");
    const char *summary = get_str(b, d, it, "summary");
    if (*summary)
        set_text(&e->summary, summary, "text/plain");
    const char *html = get_str(b, d, it, "content_html"),
               *plain = get_str(b, d, it, "content_text");
    if (*html) {
        struct td_feed_text *t = TD_FEED_PUSH(&b->f->arena, e->content, e->n_content);
        set_text(t, html, "text/html");
        t->lang = t->base = "";
    }
    if (*plain) {
        struct td_feed_text *t = TD_FEED_PUSH(&b->f->arena, e->content, e->n_content);
        set_text(t, plain, "text/plain");
        t->lang = t->base = "";
    }
    if (!*summary && e->n_content)
        e->summary = e->content[0];
    if (!*e->summary.base)
        e->summary.base = b->base;
    for (size_t j = 0; j < e->n_content; j++)
        e->content[j].base = b->base;
    const char *image = get_url(b, d, it, "image");
    if (*image)
        TD_FEED_PUSH(&b->f->arena, e->thumbnails, e->n_thumbnails)->url = image;
    set_date(b, d, it, "date_published", &e->published);
    set_date(b, d, it, "date_modified", &e->updated);
    if (read_authors(b, d, it, &e->authors, &e->n_authors))
        e->author = e->authors[0].name;
    for (const struct jv *v = jfirst(d, jget(d, it, "tags")); v; v = jnext(d, v)) {
        if (v->type == J_STR && v->len) {
            struct td_feed_tag *t = TD_FEED_PUSH(&b->f->arena, e->tags, e->n_tags);
            t->term = td_feed_strdup(b, v->u.str, v->len, true);
            t->scheme = t->label = "";
        }
    }
    for (const struct jv *v = jfirst(d, jget(d, it, "attachments")); v; v = jnext(d, v)) {
        if (v->type != J_OBJ)
            continue;
        const char *url = get_url(b, d, v, "url");
        if (!*url)
            continue;
        struct td_feed_enclosure *enc = TD_FEED_PUSH(&b->f->arena, e->enclosures, e->n_enclosures);
        enc->url = url;
        enc->type = get_str(b, d, v, "mime_type");
        const struct jv *size = jget(d, v, "size_in_bytes");
        enc->length = size && size->type == J_INT && size->u.i >= 0 ? (int64_t)size->u.i : -1;
    }
}

int td_feed_read_json(struct td_feed_builder *b, const char *utf8, size_t len)
{
    struct td_feed *f = b->f;
    struct jdoc d;
    uint32_t r = jparse(&d, utf8, len);
    const struct jv *root = r ? &d.v[r] : NULL;
    int ret = TD_EPARSE;

    if (!root || root->type != J_OBJ)
        goto out;
    const char *version = get_str(b, &d, root, "version");
    const struct jv *items = jget(&d, root, "items");
    if (td_str_find(td_str_c(version), TD_STR_LIT("1.1")) >= 0)
        f->version = TD_FEED_JSON11;
    else if (*version)
        f->version = TD_FEED_JSON10;
    else if (items && items->type == J_ARR)
        f->version = TD_FEED_JSON11, td_feed_bozo(b, "JSON Feed without a version");
    else
        goto out;
    f->title.value = get_str(b, &d, root, "title");
    f->title.type = "text/plain";
    f->link = get_url(b, &d, root, "home_page_url");
    f->self = get_url(b, &d, root, "feed_url");
    const char *desc = get_str(b, &d, root, "description");
    if (*desc) {
        f->subtitle.value = desc;
        f->subtitle.type = "text/plain";
    }
    f->language = get_str(b, &d, root, "language");
    f->image.href = get_url(b, &d, root, "icon");
    f->icon = get_url(b, &d, root, "favicon");
    if (read_authors(b, &d, root, &f->authors, &f->n_authors))
        f->author = f->authors[0].name;
    for (const struct jv *v = jfirst(&d, jget(&d, root, "hubs")); v; v = jnext(&d, v)) {
        const char *url = get_url(b, &d, v, "url");
        if (*url && !*f->hub)
            f->hub = url;
    }
    for (const struct jv *v = jfirst(&d, items); v; v = jnext(&d, v))
        if (v->type == J_OBJ)
            read_item(b, &d, v);
    ret = 0;
out:
    jfree(&d);
    return ret;
}
