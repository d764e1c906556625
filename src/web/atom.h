/*
 * atom.h - XML out: Atom 1.0 feeds of article lists (RFC 4287) and an OPML
 * 2.0 list of the outlets' feeds.
 *
 * Both write into a struct td_web_html (the escaping rules are the same for
 * XML text and attributes, and the writer drops the C0 controls XML 1.0
 * forbids).  URLs in the output are absolute, built on the configured
 * public base URL, never on the request's Host header.
 */
#ifndef TD_WEB_ATOM_H
#define TD_WEB_ATOM_H

#include "base/compat.h"
#include "web/html.h"
#include "web/view.h"

struct td_web_feed_meta {
    const char *title;     /* feed title */
    const char *base_url;  /* "http://127.0.0.1:8080", no trailing slash */
    const char *self_path; /* site-relative path of the feed itself */
    const char *html_path; /* site-relative path of the page it mirrors */
    const char *query;     /* a search query appended as ?q= to both paths, or NULL */
    time_t updated;        /* newest entry, or now when empty */
};

/* An Atom feed document of `n` articles (teasers as summaries). */
void td_web_atom(struct td_web_html *h, const struct td_web_feed_meta *m,
                 const struct td_web_article_view *items, size_t n);

/* An Atom feed of stories: each entry links to its story page. */
void td_web_atom_stories(struct td_web_html *h, const struct td_web_feed_meta *m,
                         const struct td_web_story_view *items, size_t n);

struct td_web_opml_feed {
    const char *outlet;   /* outlet name, may be NULL */
    const char *title;    /* feed title, may be NULL */
    const char *xml_url;  /* the feed */
    const char *html_url; /* the outlet's site, may be NULL */
};

/* An OPML 2.0 subscription list. */
void td_web_opml(struct td_web_html *h, const char *title, time_t created,
                 const struct td_web_opml_feed *feeds, size_t n);

#endif
