/*
 * tojson.c - the parsed model as JSON with feedparser's field names, for
 * `tidings parse-feed --json` and the conformance harness.
 *
 * Fields the feed did not have are left out, as in feedparser's dicts.
 * Dates appear three ways: `updated` is ISO 8601 UTC, `updated_raw` the
 * text as written and `updated_parsed` feedparser's struct_time list
 * [Y, M, D, h, m, s, wday (Mon=0), yday, 0].  An entry's `updated` falls
 * back to `published` (feedparser's keymap does the same).
 */
#include "base/compat.h"
#include "base/date.h"
#include "base/error.h"
#include "feed/feed.h"

struct out {
    struct td_buf *b;
    int err;
    bool first; /* no member written yet in the current object/array */
};

static void put(struct out *o, const char *s)
{
    if (!o->err)
        o->err = td_buf_append_c(o->b, s);
}

/* `n` bytes of `s` as a JSON string. */
static void put_string_n(struct out *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0, i = 0;
    put(o, "\"");
    for (; i < n && !o->err; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        o->err = td_buf_append(o->b, s + run, i - run);
        char esc[7] = {'\\', (char)c, 0};
        if (c == '\n')
            esc[1] = 'n';
        else if (c == '\t')
            esc[1] = 't';
        else if (c == '\r')
            esc[1] = 'r';
        else if (c < 0x20) {
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            esc[6] = 0;
        }
        put(o, esc);
        run = i + 1;
    }
    if (!o->err)
        o->err = td_buf_append(o->b, s + run, i - run);
    put(o, "\"");
}

static void put_string(struct out *o, const char *s)
{
    put_string_n(o, s, strlen(s));
}

static void key(struct out *o, const char *k)
{
    if (!o->first)
        put(o, ",");
    o->first = false;
    put_string(o, k);
    put(o, ":");
}

static void open_(struct out *o, const char *k, const char *brace)
{
    if (k)
        key(o, k);
    else if (!o->first)
        put(o, ",");
    o->first = true;
    put(o, brace);
}

static void close_(struct out *o, const char *brace)
{
    put(o, brace);
    o->first = false;
}

static void str(struct out *o, const char *k, const char *v)
{
    if (!v || !*v)
        return;
    key(o, k);
    put_string(o, v);
}

static void num(struct out *o, const char *k, long long v)
{
    char n[32];
    key(o, k);
    snprintf(n, sizeof(n), "%lld", v);
    put(o, n);
}

/* A number as a JSON string: feedparser keeps lengths as the text it read. */
static void numstr(struct out *o, const char *k, long long v)
{
    char n[32];
    snprintf(n, sizeof(n), "%lld", v);
    str(o, k, n);
}

static void boolean(struct out *o, const char *k, bool v)
{
    key(o, k);
    put(o, v ? "true" : "false");
}

/* A text detail's language: null when none applies, as feedparser has it. */
static void str_or_null(struct out *o, const char *k, const char *v)
{
    key(o, k);
    if (*v)
        put_string(o, v);
    else
        put(o, "null");
}

static void text(struct out *o, const char *k, const struct td_feed_text *t)
{
    char dk[64];
    if (!*t->value && !*t->type)
        return;
    key(o, k); /* also when empty: the element was there (<description/>) */
    put_string(o, t->value);
    snprintf(dk, sizeof(dk), "%s_detail", k);
    open_(o, dk, "{");
    str(o, "type", t->type);
    key(o, "value");
    put_string(o, t->value);
    str_or_null(o, "language", t->lang);
    str(o, "base", t->base);
    close_(o, "}");
}

/* rights as a text construct when the feed gave one, else the plain string. */
static void rights(struct out *o, const char *plain, const struct td_feed_text *t)
{
    if (*t->type)
        text(o, "rights", t);
    else
        str(o, "rights", plain);
}

/* itunes:block as feedparser's 0/1, itunes:explicit as true/false/null. */
static void itunes(struct out *o, int block, int explicit)
{
    if (block != TD_FEED_FLAG_ABSENT)
        num(o, "itunes_block", block == TD_FEED_FLAG_YES);
    if (explicit != TD_FEED_FLAG_ABSENT) {
        key(o, "itunes_explicit");
        put(o, explicit == TD_FEED_FLAG_YES  ? "true"
               : explicit == TD_FEED_FLAG_NO ? "false"
                                             : "null");
    }
}

static void point(struct out *o, const double *c)
{
    char n[80];
    /* GeoJSON order: longitude first.  %.17g reads back as the same double. */
    snprintf(n, sizeof(n), "[%.17g,%.17g]", c[1], c[0]);
    put(o, n);
}

/* feedparser's `where`: GeoJSON-like, {} for a location that could not be read. */
static void where(struct out *o, const struct td_feed_where *w)
{
    if (!w->set)
        return;
    open_(o, "where", "{");
    if (*w->type) {
        str(o, "type", w->type);
        key(o, "coordinates");
        if (!strcmp(w->type, "Point")) {
            point(o, w->coords);
        } else {
            bool polygon = !strcmp(w->type, "Polygon");
            put(o, polygon ? "[[" : "[");
            for (size_t i = 0; i < w->n_points; i++) {
                if (i)
                    put(o, ",");
                point(o, w->coords + 2 * i);
            }
            put(o, polygon ? "]]" : "]");
        }
    }
    close_(o, "}");
}

static void publisher(struct out *o, const char *display, const struct td_feed_person *p)
{
    if (!*display)
        return;
    str(o, "publisher", display);
    open_(o, "publisher_detail", "{");
    str(o, "name", p->name);
    str(o, "email", p->email);
    str(o, "href", p->uri);
    close_(o, "}");
}

/*
 * psc:chapters under feedparser's keys; start_parsed (a timedelta there)
 * is seconds into the episode here.
 */
static void chapters(struct out *o, const struct td_feed_entry *e)
{
    if (!e->has_chapters)
        return;
    open_(o, "psc_chapters", "{");
    str(o, "version", e->chapters_version);
    open_(o, "chapters", "[");
    for (size_t i = 0; i < e->n_chapters; i++) {
        const struct td_feed_chapter *c = &e->chapters[i];
        open_(o, NULL, "{");
        str(o, "start", c->start);
        if (c->start_ms >= 0) {
            char n[48];
            snprintf(n, sizeof(n), "%lld.%03lld", (long long)(c->start_ms / 1000),
                     (long long)(c->start_ms % 1000));
            key(o, "start_parsed");
            put(o, n);
        }
        str(o, "title", c->title);
        str(o, "href", c->href);
        str(o, "image", c->image);
        close_(o, "}");
    }
    close_(o, "]");
    close_(o, "}");
}

/* thr:in-reply-to under feedparser's key for it. */
static void reply(struct out *o, const struct td_feed_reply *r)
{
    if (!*r->ref && !*r->href && !*r->type && !*r->source)
        return;
    open_(o, "thr_in-reply-to", "{");
    str(o, "ref", r->ref);
    str(o, "href", r->href);
    str(o, "type", r->type);
    str(o, "source", r->source);
    close_(o, "}");
}

/* RSS cloud and textInput; feedparser lowercases the attribute names. */
static void cloud_textinput(struct out *o, const struct td_feed *f)
{
    if (*f->cloud.domain || *f->cloud.port || *f->cloud.path || *f->cloud.register_procedure ||
        *f->cloud.protocol) {
        open_(o, "cloud", "{");
        str(o, "domain", f->cloud.domain);
        str(o, "port", f->cloud.port);
        str(o, "path", f->cloud.path);
        str(o, "registerprocedure", f->cloud.register_procedure);
        str(o, "protocol", f->cloud.protocol);
        close_(o, "}");
    }
    if (*f->textinput.title || *f->textinput.description || *f->textinput.name ||
        *f->textinput.link) {
        open_(o, "textinput", "{");
        str(o, "title", f->textinput.title);
        str(o, "description", f->textinput.description);
        str(o, "name", f->textinput.name);
        str(o, "link", f->textinput.link);
        close_(o, "}");
    }
}

/*
 * Media RSS credits, license, restriction and rating as feedparser has
 * them: the element's attributes plus its text as `content`; a
 * restriction's content is its list.
 */
static void media(struct out *o, const struct td_feed_entry *e)
{
    const struct td_feed_media_rights *r = &e->media_rights;
    if (e->n_credits) {
        open_(o, "media_credit", "[");
        for (size_t i = 0; i < e->n_credits; i++) {
            open_(o, NULL, "{");
            str(o, "role", e->credits[i].role);
            str(o, "scheme", e->credits[i].scheme);
            str(o, "content", e->credits[i].content);
            close_(o, "}");
        }
        close_(o, "]");
    }
    if (*r->license || *r->license_type || *r->license_href) {
        open_(o, "media_license", "{");
        str(o, "type", r->license_type);
        str(o, "href", r->license_href);
        str(o, "content", r->license);
        close_(o, "}");
    }
    if (*r->restriction || *r->restriction_relationship || *r->restriction_type) {
        open_(o, "media_restriction", "{");
        str(o, "relationship", r->restriction_relationship);
        str(o, "type", r->restriction_type);
        if (*r->restriction) {
            open_(o, "content", "[");
            for (const char *p = r->restriction; *p;) {
                size_t n = strcspn(p, " \t\r\n");
                if (n) {
                    if (!o->first)
                        put(o, ",");
                    o->first = false;
                    put_string_n(o, p, n);
                }
                p += n;
                p += strspn(p, " \t\r\n");
            }
            close_(o, "]");
        }
        close_(o, "}");
    }
    if (*r->rating || *r->rating_scheme) {
        open_(o, "media_rating", "{");
        str(o, "scheme", r->rating_scheme);
        str(o, "content", r->rating);
        close_(o, "}");
    }
}

/* `k`_parsed: feedparser's struct_time list. */
static void parsed(struct out *o, const char *k, const struct td_feed_date *d)
{
    char iso[32], rk[64];
    td_date_format_iso(d->t, iso, sizeof(iso));
    /* struct_time: wday Monday = 0, yday 1-based */
    int y, m, day, hh, mm, ss;
    if (sscanf(iso, "%d-%d-%dT%d:%d:%d", &y, &m, &day, &hh, &mm, &ss) != 6)
        return;
    long long days = (long long)(d->t / 86400 - (d->t % 86400 < 0));
    int wday = (int)(((days % 7) + 7 + 3) % 7);
    int yday =
        (int)((td_date_from_civil(y, m, day, 0, 0, 0) - td_date_from_civil(y, 1, 1, 0, 0, 0)) /
              86400) +
        1;
    char list[128];
    snprintf(list, sizeof(list), "[%d,%d,%d,%d,%d,%d,%d,%d,0]", y, m, day, hh, mm, ss, wday, yday);
    snprintf(rk, sizeof(rk), "%s_parsed", k);
    key(o, rk);
    put(o, list);
}

static void date(struct out *o, const char *k, const struct td_feed_date *d)
{
    char iso[32], rk[64];
    if (!*d->raw)
        return;
    snprintf(rk, sizeof(rk), "%s_raw", k);
    str(o, rk, d->raw);
    if (!(d->flags & TD_FEED_DATE_SET))
        return;
    td_date_format_iso(d->t, iso, sizeof(iso));
    str(o, k, iso);
    parsed(o, k, d);
    if (d->flags & TD_FEED_DATE_FUTURE) {
        snprintf(rk, sizeof(rk), "%s_future", k);
        boolean(o, rk, true);
    }
}

/* dcterms:valid as feedparser has it: the text as written, and its _parsed. */
static void validity(struct out *o, const struct td_feed_date *start,
                     const struct td_feed_date *end)
{
    str(o, "validity_start", start->raw);
    if (start->flags & TD_FEED_DATE_SET)
        parsed(o, "validity_start", start);
    str(o, "validity_end", end->raw);
    if (end->flags & TD_FEED_DATE_SET)
        parsed(o, "validity_end", end);
}

static void person(struct out *o, const struct td_feed_person *p)
{
    str(o, "name", p->name);
    str(o, "email", p->email);
    str(o, "href", p->uri);
}

static void people(struct out *o, const char *k, const struct td_feed_person *p, size_t n)
{
    if (!n)
        return;
    open_(o, k, "[");
    for (size_t i = 0; i < n; i++) {
        open_(o, NULL, "{");
        person(o, &p[i]);
        close_(o, "}");
    }
    close_(o, "]");
}

static void author(struct out *o, const char *display, const struct td_feed_person *p, size_t n)
{
    str(o, "author", display);
    if (n) {
        open_(o, "author_detail", "{");
        person(o, &p[0]);
        close_(o, "}");
        people(o, "authors", p, n);
    }
}

static void links(struct out *o, const struct td_feed_link *l, size_t n)
{
    if (!n)
        return;
    open_(o, "links", "[");
    for (size_t i = 0; i < n; i++) {
        open_(o, NULL, "{");
        str(o, "rel", l[i].rel);
        str(o, "type", l[i].type);
        str(o, "href", l[i].href);
        str(o, "title", l[i].title);
        str(o, "hreflang", l[i].hreflang);
        if (l[i].length >= 0)
            numstr(o, "length", l[i].length);
        close_(o, "}");
    }
    close_(o, "]");
}

static void tags(struct out *o, const struct td_feed_tag *t, size_t n)
{
    if (!n)
        return;
    str(o, "category", t[0].term);
    open_(o, "tags", "[");
    for (size_t i = 0; i < n; i++) {
        open_(o, NULL, "{");
        str(o, "term", t[i].term);
        key(o, "scheme");
        if (*t[i].scheme)
            put_string(o, t[i].scheme);
        else
            put(o, "null");
        key(o, "label");
        if (*t[i].label)
            put_string(o, t[i].label);
        else
            put(o, "null");
        close_(o, "}");
    }
    close_(o, "]");
}

/* The channel/feed header; also an entry's source (whose own URL is its href). */
static void header(struct out *o, const char *k, const struct td_feed *f, bool source)
{
    open_(o, k, "{");
    if (source)
        str(o, "href", f->self);
    text(o, "title", &f->title);
    str(o, "link", f->link);
    links(o, f->links, f->n_links);
    text(o, "subtitle", &f->subtitle);
    str(o, "id", f->id);
    str(o, "language", f->language);
    date(o, "updated", &f->updated);
    date(o, "published", &f->published);
    author(o, f->author, f->authors, f->n_authors);
    people(o, "contributors", f->contributors, f->n_contributors);
    if (*f->image.href || *f->image.title || *f->image.link) {
        open_(o, "image", "{");
        str(o, "href", f->image.href);
        str(o, "title", f->image.title);
        str(o, "link", f->image.link);
        close_(o, "}");
    }
    str(o, "icon", f->icon);
    str(o, "logo", f->logo);
    rights(o, f->rights, &f->rights_detail);
    str(o, "generator", f->generator);
    if (*f->generator || *f->generator_href || *f->generator_version) {
        open_(o, "generator_detail", "{");
        str(o, "name", f->generator);
        str(o, "href", f->generator_href);
        str(o, "version", f->generator_version);
        close_(o, "}");
    }
    publisher(o, f->publisher, &f->publisher_detail);
    date(o, "created", &f->created);
    itunes(o, f->itunes_block, f->itunes_explicit);
    if (f->ttl >= 0)
        num(o, "ttl", f->ttl);
    str(o, "hub", f->hub);
    str(o, "self", f->self);
    tags(o, f->tags, f->n_tags);
    str(o, "docs", f->docs);
    str(o, "newlocation", f->newlocation);
    validity(o, &f->validity_start, &f->validity_end);
    cloud_textinput(o, f);
    reply(o, &f->in_reply_to);
    close_(o, "}");
}

static void entry(struct out *o, const struct td_feed_entry *e)
{
    open_(o, NULL, "{");
    str(o, "key", e->key);
    str(o, "id", e->id);
    text(o, "title", &e->title);
    str(o, "link", e->link);
    links(o, e->links, e->n_links);
    text(o, "summary", &e->summary);
    if (e->n_content) {
        open_(o, "content", "[");
        for (size_t i = 0; i < e->n_content; i++) {
            open_(o, NULL, "{");
            str(o, "type", e->content[i].type);
            key(o, "value");
            put_string(o, e->content[i].value);
            str_or_null(o, "language", e->content[i].lang);
            str(o, "base", e->content[i].base);
            close_(o, "}");
        }
        close_(o, "]");
    }
    author(o, e->author, e->authors, e->n_authors);
    people(o, "contributors", e->contributors, e->n_contributors);
    date(o, "published", &e->published);
    date(o, "updated", *e->updated.raw ? &e->updated : &e->published);
    tags(o, e->tags, e->n_tags);
    if (e->n_enclosures) {
        open_(o, "enclosures", "[");
        for (size_t i = 0; i < e->n_enclosures; i++) {
            open_(o, NULL, "{");
            str(o, "href", e->enclosures[i].url);
            str(o, "type", e->enclosures[i].type);
            if (e->enclosures[i].length >= 0)
                numstr(o, "length", e->enclosures[i].length);
            close_(o, "}");
        }
        close_(o, "]");
    }
    if (e->n_thumbnails) {
        open_(o, "media_thumbnail", "[");
        for (size_t i = 0; i < e->n_thumbnails; i++) {
            open_(o, NULL, "{");
            str(o, "url", e->thumbnails[i].url);
            if (e->thumbnails[i].width)
                num(o, "width", e->thumbnails[i].width);
            if (e->thumbnails[i].height)
                num(o, "height", e->thumbnails[i].height);
            close_(o, "}");
        }
        close_(o, "]");
    }
    media(o, e);
    str(o, "media_description", e->media_description);
    str(o, "comments", e->comments);
    str(o, "wfw_commentrss", e->comments_feed);
    rights(o, e->rights, &e->rights_detail);
    str(o, "language", e->language);
    if (*e->image) {
        open_(o, "image", "{");
        str(o, "href", e->image);
        close_(o, "}");
    }
    publisher(o, e->publisher, &e->publisher_detail);
    date(o, "created", &e->created);
    date(o, "expired", &e->expired);
    itunes(o, e->itunes_block, e->itunes_explicit);
    where(o, &e->where);
    reply(o, &e->in_reply_to);
    validity(o, &e->validity_start, &e->validity_end);
    chapters(o, e);
    if (e->source)
        header(o, "source", e->source, true);
    close_(o, "}");
}

int td_feed_to_json(const struct td_feed *f, struct td_buf *b)
{
    struct out o = {b, 0, true};

    open_(&o, NULL, "{");
    str(&o, "version", td_feed_version_name(f->version));
    boolean(&o, "bozo", f->bozo);
    str(&o, "bozo_exception", f->bozo_reason);
    str(&o, "encoding", f->encoding);
    header(&o, "feed", f, false);
    open_(&o, "entries", "[");
    for (size_t i = 0; i < f->n_entries; i++)
        entry(&o, &f->entries[i]);
    close_(&o, "]");
    close_(&o, "}");
    put(&o, "\n");
    return o.err;
}
