/*
 * doc.c - the feed side of the crawler: a fetched feed parsed (feed.h) and
 * turned into entries the store can take as they are (normalized page
 * URLs, strings within the store's caps, plain text escaped into HTML);
 * OPML read and written for import and export.  See internal.h for why
 * this is a file of its own.
 */
#include "base/compat.h"
#include "base/error.h"
#include "crawl/internal.h"
#include "feed/feed.h"
#include "html/html.h"

void td_crawl_doc_release(struct td_crawl_doc *doc)
{
    if (doc)
        td_arena_release(&doc->arena);
}

static const char *clip(struct td_arena *a, const char *s, size_t max)
{
    return td_crawl_clip(a, s, max);
}

/* A normalized copy of an http(s) URL, or NULL. */
static const char *url_copy(struct td_arena *a, const char *url)
{
    struct td_buf b = TD_BUF_INIT(TD_CRAWL_URL_MAX);
    const char *r = NULL;

    if (url && *url && td_crawl_url_norm(url, &b) == 0)
        r = td_arena_strndup(a, b.buf, b.len);
    td_buf_release(&b);
    return r;
}

/*
 * A text construct as HTML: HTML types are already sanitized by the feed
 * parser; plain text is escaped and its paragraphs kept.  NULL when empty
 * or too big to store whole (cut markup would be broken).
 */
static const char *as_html(struct td_arena *a, const struct td_feed_text *t)
{
    struct td_buf b = TD_BUF_INIT(TD_CRAWL_HTML_MAX);
    const char *r = NULL;
    const char *s = t->value;

    if (!s || !*s)
        return NULL;
    if (strcmp(t->type, "text/plain") != 0) {
        r = strlen(s) <= TD_CRAWL_HTML_MAX ? clip(a, s, TD_CRAWL_HTML_MAX) : NULL;
        goto out;
    }
    for (; *s; s++) {
        int err;
        switch (*s) {
        case '&':
            err = td_buf_append_c(&b, "&amp;");
            break;
        case '<':
            err = td_buf_append_c(&b, "&lt;");
            break;
        case '>':
            err = td_buf_append_c(&b, "&gt;");
            break;
        case '"':
            err = td_buf_append_c(&b, "&quot;");
            break;
        case '\n':
            err = td_buf_append_c(&b, "<br>");
            break;
        default:
            err = td_buf_append_ch(&b, *s);
            break;
        }
        if (err < 0)
            goto out;
    }
    r = clip(a, b.buf, TD_CRAWL_HTML_MAX);
out:
    td_buf_release(&b);
    return r;
}

/*
 * A text construct as plain text: an HTML title ("Q&amp;A <em>live</em>")
 * is parsed and its text taken, so the store holds what a reader sees.
 */
static const char *as_text(struct td_arena *a, const struct td_feed_text *t, size_t max)
{
    struct td_buf b = TD_BUF_INIT(TD_FEED_MAX_TEXT);
    struct td_html_doc *doc = NULL;
    const char *r;

    if (!strcmp(t->type, "text/plain") || !strpbrk(t->value, "<&"))
        return clip(a, t->value, max);
    if (td_html_parse(t->value, strlen(t->value), &doc) < 0 ||
        td_html_text_content(td_html_body(doc), &b) < 0)
        r = clip(a, t->value, max);
    else {
        struct td_str tx = td_str_trim(td_buf_str(&b));
        r = tx.len ? clip(a, td_arena_strndup(a, tx.ptr, tx.len), max) : NULL;
    }
    td_html_free(doc);
    td_buf_release(&b);
    return r;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void convert_entry(struct td_arena *a, const struct td_feed_entry *e,
                          struct td_crawl_entry *out)
{
    out->key = clip(a, e->key, TD_CRAWL_URL_MAX);
    out->url = url_copy(a, e->link);
    /* A guid that is a permalink is as good as a link. */
    if (!out->url && starts_with(e->id, "http"))
        out->url = url_copy(a, e->id);
    out->title = as_text(a, &e->title, TD_CRAWL_LINE_MAX);
    if (e->published.flags & TD_FEED_DATE_SET)
        out->published = (int64_t)e->published.t;
    if (e->updated.flags & TD_FEED_DATE_SET)
        out->updated = (int64_t)e->updated.t;
    if (!out->published)
        out->published = out->updated;
    out->date_clamped = ((e->published.flags | e->updated.flags) & TD_FEED_DATE_FUTURE) != 0;
    out->summary_html = as_html(a, &e->summary);
    for (size_t i = 0; i < e->n_content && !out->content_html; i++)
        out->content_html = as_html(a, &e->content[i]);

    size_t na = TD_MIN(e->n_authors, (size_t)TD_CRAWL_AUTHORS_MAX);
    out->authors = td_arena_zalloc(a, (na ? na : 1) * sizeof(*out->authors));
    for (size_t i = 0; i < na; i++) {
        const char *name = clip(a, e->authors[i].name, TD_CRAWL_LINE_MAX);
        if (name)
            out->authors[out->n_authors++] = name;
    }
    if (!out->n_authors && e->author && *e->author)
        if ((out->authors[0] = clip(a, e->author, TD_CRAWL_LINE_MAX)))
            out->n_authors = 1;

    for (size_t i = 0; i < e->n_thumbnails && !out->image_url; i++)
        out->image_url = url_copy(a, e->thumbnails[i].url);
    for (size_t i = 0; i < e->n_enclosures && !out->image_url; i++)
        if (starts_with(e->enclosures[i].type, "image/"))
            out->image_url = url_copy(a, e->enclosures[i].url);
    if (out->image_url) {
        out->image_caption = clip(a, e->media_description, TD_CRAWL_LINE_MAX);
        out->image_credit = clip(a, e->media_credit, TD_CRAWL_LINE_MAX);
    }

    /* Categories: an Atom label reads better than its term. */
    size_t nt = TD_MIN(e->n_tags, (size_t)TD_CRAWL_CATEGORIES_MAX);
    out->categories = td_arena_zalloc(a, (nt ? nt : 1) * sizeof(*out->categories));
    for (size_t i = 0; i < nt; i++) {
        const struct td_feed_tag *t = &e->tags[i];
        const char *c = clip(a, t->label && *t->label ? t->label : t->term, TD_CRAWL_TAG_MAX);
        if (c)
            out->categories[out->n_categories++] = c;
    }
}

int td_crawl_doc_parse(const char *data, size_t len, const char *url, const char *content_type,
                       const char *tz, int64_t now, struct td_crawl_doc *doc, char *why,
                       size_t whylen)
{
    struct td_feed_opts o = {
        .url = url, .content_type = content_type, .now = (time_t)now, .default_zone = tz};
    struct td_feed *f = NULL;
    struct td_arena *a = &doc->arena;
    int err;

    memset(doc, 0, sizeof(*doc));
    td_arena_init(a);
    doc->ttl_minutes = -1;
    err = td_feed_parse(data, len, &o, &f);
    if (err < 0) {
        snprintf(why, whylen, "%s",
                 err == TD_EPARSE    ? "not a feed (no RSS, Atom or JSON Feed document found)"
                 : err == TD_EEMPTY  ? "empty feed document"
                 : err == TD_ETOOBIG ? "feed document too large"
                                     : td_strerror(err));
        goto out;
    }
    doc->title = as_text(a, &f->title, TD_CRAWL_LINE_MAX);
    doc->site_url = url_copy(a, f->link);
    doc->icon_url = url_copy(a, *f->icon ? f->icon : f->image.href);
    doc->ttl_minutes = f->ttl;
    doc->bozo = f->bozo;
    doc->bozo_reason = clip(a, f->bozo_reason, TD_CRAWL_LINE_MAX);
    doc->entries = td_arena_zalloc(a, (f->n_entries ? f->n_entries : 1) * sizeof(*doc->entries));
    for (size_t i = 0; i < f->n_entries; i++) {
        struct td_crawl_entry *e = &doc->entries[doc->n_entries];
        convert_entry(a, &f->entries[i], e);
        if (e->key)
            doc->n_entries++;
    }
out:
    td_feed_free(f);
    return err;
}

int td_crawl_opml_read(const char *data, size_t len, struct td_arena *arena,
                       struct td_crawl_outline **items, size_t *n, size_t *skipped)
{
    struct td_opml *o = NULL;
    int err;

    *items = NULL;
    *n = *skipped = 0;
    err = td_opml_parse(data, len, &o);
    if (err < 0)
        goto out;
    *items = td_arena_zalloc(arena, (o->n_outlines ? o->n_outlines : 1) * sizeof(**items));
    for (size_t i = 0; i < o->n_outlines; i++) {
        const struct td_opml_outline *ol = &o->outlines[i];
        struct td_crawl_outline *it = &(*items)[*n];

        it->xml_url = url_copy(arena, ol->xml_url);
        if (!it->xml_url) {
            (*skipped)++;
            continue;
        }
        it->title = clip(arena, *ol->title ? ol->title : ol->text, TD_CRAWL_LINE_MAX);
        it->html_url = url_copy(arena, ol->html_url);
        it->category = clip(arena, ol->category, TD_CRAWL_LINE_MAX);
        (*n)++;
    }
out:
    td_opml_free(o);
    return err;
}

int td_crawl_opml_write(const struct td_crawl_outline *items, size_t n, struct td_buf *out)
{
    struct td_opml_outline *ol = td_xcalloc(n ? n : 1, sizeof(*ol));
    int err;

    for (size_t i = 0; i < n; i++) {
        const char *title = items[i].title ? items[i].title : items[i].xml_url;
        ol[i] = (struct td_opml_outline){.text = title,
                                         .title = title,
                                         .xml_url = items[i].xml_url,
                                         .html_url = items[i].html_url ? items[i].html_url : "",
                                         .type = "rss",
                                         .category = items[i].category ? items[i].category : ""};
    }
    err = td_opml_write(ol, n, "tidings subscriptions", out);
    free(ol);
    return err;
}
