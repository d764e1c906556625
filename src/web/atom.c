/*
 * atom.c - Atom 1.0 (RFC 4287) and OPML 2.0 writers (see atom.h).
 *
 * An Atom entry's id must never change (RFC 4287 4.2.6): ours is the
 * article's permanent URL on this site.  Every entry gets a title, an id,
 * an updated time and an alternate link (section 4.1.2), and an author,
 * falling back to the outlet, because a feed without a feed-level author
 * needs one in every entry.
 */
#include "base/compat.h"
#include "web/atom.h"

#include <inttypes.h>

static void abs_url(struct td_web_html *h, const struct td_web_feed_meta *m, const char *path)
{
    td_web_html_textc(h, m->base_url);
    td_web_html_textc(h, path);
    if (m->query && *m->query) {
        td_web_html_raw(h, "?q=");
        td_web_html_query(h, td_str_c(m->query));
    }
}

static void time_el(struct td_web_html *h, const char *name, time_t t)
{
    char s[32];

    td_web_rfc3339(t, s, sizeof(s));
    td_web_html_printf(h, "<%s>%s</%s>\n", name, s, name);
}

/* The feed's own elements, up to its first entry (RFC 4287 section 4.1.1). */
static void feed_head(struct td_web_html *h, const struct td_web_feed_meta *m)
{
    td_web_html_raw(h, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                       "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
    td_web_html_textc(h, m->title);
    td_web_html_raw(h, "</title>\n<id>");
    abs_url(h, m, m->self_path);
    td_web_html_raw(h, "</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
    abs_url(h, m, m->self_path);
    td_web_html_raw(h, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
    abs_url(h, m, m->html_path);
    td_web_html_raw(h, "\"/>\n");
    time_el(h, "updated", m->updated);
    td_web_html_raw(h, "<generator>tidings</generator>\n");
}

void td_web_atom(struct td_web_html *h, const struct td_web_feed_meta *m,
                 const struct td_web_article_view *items, size_t n)
{
    feed_head(h, m);
    for (size_t i = 0; i < n; i++) {
        const struct td_web_article_view *a = &items[i];
        td_web_html_raw(h, "<entry>\n<title>");
        td_web_html_textc(h, a->title && *a->title ? a->title : "(untitled)");
        td_web_html_printf(h, "</title>\n<id>");
        td_web_html_textc(h, m->base_url);
        td_web_html_printf(h,
                           "/articles/%" PRId64 "</id>\n<link rel=\"alternate\" type=\"text/html\" "
                           "href=\"",
                           a->id);
        td_web_html_textc(h, m->base_url);
        td_web_html_printf(h, "/articles/%" PRId64 "\"/>\n", a->id);
        if (td_web_html_url_ok(td_str_c(a->url)) && a->url[0] != '/') {
            td_web_html_raw(h, "<link rel=\"related\" type=\"text/html\" href=\"");
            td_web_html_textc(h, a->url);
            td_web_html_raw(h, "\"/>\n");
        }
        time_el(h, "updated", a->published > 0 ? a->published : m->updated);
        if (a->published > 0)
            time_el(h, "published", a->published);
        td_web_html_raw(h, "<author><name>");
        td_web_html_textc(h, a->author && *a->author   ? a->author
                             : a->outlet && *a->outlet ? a->outlet
                                                       : "unknown");
        td_web_html_raw(h, "</name></author>\n");
        if (a->outlet && *a->outlet) {
            td_web_html_raw(h, "<source><title>");
            td_web_html_textc(h, a->outlet);
            td_web_html_raw(h, "</title></source>\n");
        }
        if (a->teaser && *a->teaser) {
            td_web_html_raw(h, "<summary type=\"text\">");
            td_web_html_textc(h, a->teaser);
            td_web_html_raw(h, "</summary>\n");
        }
        td_web_html_raw(h, "</entry>\n");
    }
    td_web_html_raw(h, "</feed>\n");
}

void td_web_atom_stories(struct td_web_html *h, const struct td_web_feed_meta *m,
                         const struct td_web_story_view *items, size_t n)
{
    feed_head(h, m);
    for (size_t i = 0; i < n; i++) {
        const struct td_web_story_view *s = &items[i];
        td_web_html_raw(h, "<entry>\n<title>");
        td_web_html_textc(h, s->headline && *s->headline ? s->headline : "(untitled)");
        td_web_html_raw(h, "</title>\n<id>");
        td_web_html_textc(h, m->base_url);
        td_web_html_printf(h,
                           "/stories/%" PRId64 "</id>\n<link rel=\"alternate\" type=\"text/html\" "
                           "href=\"",
                           s->id);
        td_web_html_textc(h, m->base_url);
        td_web_html_printf(h, "/stories/%" PRId64 "\"/>\n", s->id);
        time_el(h, "updated", s->last_seen > 0 ? s->last_seen : m->updated);
        if (s->first_seen > 0)
            time_el(h, "published", s->first_seen);
        /* The outlets are the story's authors, as far as a reader is concerned. */
        td_web_html_raw(h, "<author><name>");
        td_web_html_textc(h, s->outlets && *s->outlets ? s->outlets : "unknown");
        td_web_html_raw(h, "</name></author>\n");
        td_web_html_printf(h,
                           "<summary type=\"text\">%" PRId64 " article%s from %" PRId64
                           " outlet%s</summary>\n</entry>\n",
                           s->n_articles, s->n_articles == 1 ? "" : "s", s->n_outlets,
                           s->n_outlets == 1 ? "" : "s");
    }
    td_web_html_raw(h, "</feed>\n");
}

void td_web_opml(struct td_web_html *h, const char *title, time_t created,
                 const struct td_web_opml_feed *feeds, size_t n)
{
    char date[64];
    struct tm tm;

    /* OPML 2.0 dates are RFC 822 dates. */
    if (!gmtime_r(&created, &tm) ||
        strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm) == 0)
        snprintf(date, sizeof(date), "Thu, 01 Jan 1970 00:00:00 GMT");
    td_web_html_raw(h, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<opml version=\"2.0\">\n"
                       "<head><title>");
    td_web_html_textc(h, title);
    td_web_html_printf(h, "</title><dateCreated>%s</dateCreated></head>\n<body>\n", date);
    for (size_t i = 0; i < n; i++) {
        const struct td_web_opml_feed *f = &feeds[i];
        const char *text = f->outlet && *f->outlet ? f->outlet
                           : f->title && *f->title ? f->title
                                                   : f->xml_url;
        td_web_html_raw(h, "<outline type=\"rss\" text=\"");
        td_web_html_textc(h, text);
        td_web_html_raw(h, "\" title=\"");
        td_web_html_textc(h, f->title && *f->title ? f->title : text);
        td_web_html_raw(h, "\" xmlUrl=\"");
        td_web_html_textc(h, f->xml_url);
        td_web_html_raw(h, "\"");
        if (f->html_url && *f->html_url) {
            td_web_html_raw(h, " htmlUrl=\"");
            td_web_html_textc(h, f->html_url);
            td_web_html_raw(h, "\"");
        }
        td_web_html_raw(h, "/>\n");
    }
    td_web_html_raw(h, "</body>\n</opml>\n");
}
