/*
 * view.h - the pages, as functions that write HTML into a struct td_web_html.
 *
 * Views know nothing about HTTP or the database: they take plain structs
 * (filled by the request handlers from the store) so that every page can be
 * rendered and checked in a unit test.  All strings in the view structs are
 * borrowed, NUL-terminated UTF-8 and may be NULL where noted; views escape
 * everything they print.
 */
#ifndef TD_WEB_VIEW_H
#define TD_WEB_VIEW_H

#include "base/compat.h"
#include "web/html.h"

#include <time.h>

/* What every page needs to know about the site and the reader. */
struct td_web_site {
    const char *name; /* site name, shown in the header and titles */
    bool has_logo;    /* a logo image is served at /logo */
    time_t now;       /* "now" for relative times */
};

/* A tag, linked as /tags/SLUG. */
struct td_web_tag_view {
    const char *term; /* display form */
    const char *slug; /* URL form */
    const char *kind; /* "category", "entity" or "keyword" */
    int64_t articles; /* how many articles carry it; 0 when not known */
};

/* The chrome around one page. */
struct td_web_page {
    const char *title;    /* page title, or NULL for the site name alone */
    const char *query;    /* the search box's value, or NULL */
    const char *feed_url; /* a site-relative Atom URL for <link rel=alternate>, or NULL */
    const char *user;     /* the signed-in reader's name, or NULL */
    const char *csrf;     /* the reader's form token (for sign out), or NULL */
    const struct td_web_tag_view *topics; /* popular tags for the header, may be NULL */
    size_t n_topics;
};

struct td_web_article_view {
    int64_t id;
    const char *title;
    const char *url; /* the original article */
    int64_t outlet_id;
    const char *outlet;      /* outlet name, may be NULL */
    const char *outlet_icon; /* its icon's URL, may be NULL */
    const char *author;      /* may be NULL */
    const char *lang;        /* BCP 47 tag, may be NULL */
    time_t published;        /* 0 when unknown */
    const char *image_url, *image_alt, *image_caption, *image_credit; /* each may be NULL */
    const char *teaser;    /* a sentence or two for lists, may be NULL */
    const char *snippet;   /* search snippet, matches between \x02 and \x03; NULL: teaser */
    const char *body_text; /* clean text, paragraphs separated by blank lines, may be NULL */
    int64_t story_id;      /* its story, 0 if not placed yet */
    const char *also;      /* outlets of its near-duplicates ("AP and Reuters"), may be NULL */
};

struct td_web_comment_view {
    int64_t id;
    const char *user;
    time_t created;
    const char *body; /* plain text as typed */
    bool own;         /* the reader wrote it: offer edit and delete */
    bool hidden;      /* hidden by an admin (only admins see hidden comments) */
};

/* The reader's view of the comments section of one article. */
struct td_web_comments {
    const struct td_web_comment_view *items;
    size_t n;
    bool signed_in;     /* show the form rather than "sign in to comment" */
    bool admin;         /* offer hide and delete on every comment */
    const char *csrf;   /* form token, when signed in */
    const char *notice; /* a message for the reader (e.g. rate limited), or NULL */
};

struct td_web_article_page {
    const struct td_web_article_view *article;
    const struct td_web_article_view *related; /* may be NULL when n_related == 0 */
    size_t n_related;
    struct td_web_comments comments;
    bool listen;                  /* offer the Listen player */
    int64_t story_id;             /* its story, linked when story_outlets > 0 */
    int64_t story_outlets;        /* outlets covering the story */
    const char *const *keypoints; /* the key points, in article order; none: no section */
    size_t n_keypoints;
    const struct td_web_tag_view *tags; /* may be NULL when n_tags == 0 */
    size_t n_tags;
};

/* Open the document: head, skip link, header with search, start of <main>. */
void td_web_view_begin(struct td_web_html *h, const struct td_web_site *site,
                       const struct td_web_page *page);
/* Close <main> and write the footer. */
void td_web_view_end(struct td_web_html *h, const struct td_web_site *site);

/* A <time> element: relative words, exact RFC 3339 in datetime and title. */
void td_web_view_time(struct td_web_html *h, const struct td_web_site *site, time_t t);

/*
 * The outlet's icon, small, before its name: nothing unless `icon_url` is
 * an http(s) URL.  Its alt text is empty on purpose: the outlet's name
 * always follows it, and a screen reader should not say the name twice.
 */
void td_web_view_outlet_icon(struct td_web_html *h, const char *icon_url);

/* A list of article cards under heading `heading`; `empty` shown when n == 0. */
void td_web_view_article_list(struct td_web_html *h, const struct td_web_site *site,
                              const char *heading, const struct td_web_article_view *items,
                              size_t n, const char *empty);

/*
 * "Newer" / "Older" links.  `path` is a site-relative path; `query` (may be
 * NULL) is kept as the q parameter.  Pages count from 1.
 */
void td_web_view_pager(struct td_web_html *h, const char *path, const char *query, int page,
                       bool has_next);

/* "Newest" and "Older" links for a list read by cursor (?after=SORT_AT.ID). */
void td_web_view_older(struct td_web_html *h, const char *path, int64_t sort_at, int64_t id);

/* The article page body (between begin and end), in the order the issue gives. */
void td_web_view_article(struct td_web_html *h, const struct td_web_site *site,
                         const struct td_web_article_page *p);

/* A story in a list or on its page. */
struct td_web_story_view {
    int64_t id;
    const char *headline;
    const char *outlets; /* "Reuters, AP and 4 more" */
    time_t first_seen, last_seen;
    int64_t n_articles, n_outlets;
};

/* A list of stories (linking to /stories/ID) under `heading`; nothing when n == 0. */
void td_web_view_story_list(struct td_web_html *h, const struct td_web_site *site,
                            const char *heading, const struct td_web_story_view *items, size_t n);

struct td_web_story_page {
    const struct td_web_story_view *story;
    /* The first version from each outlet, by first appearance: its outlet's
     * name, icon and id make the story's outlet list. */
    const struct td_web_article_view *const *outlets;
    size_t n_outlets;
    const struct td_web_article_view *timeline; /* every version, oldest first */
    size_t n;
    const char *const *keypoints; /* the story's key points; none: no section */
    size_t n_keypoints;
};

/* The story page body: headline, outlets, first seen, the timeline. */
void td_web_view_story(struct td_web_html *h, const struct td_web_site *site,
                       const struct td_web_story_page *p);

/* A "Key points" section of `n` points (nothing at all when n == 0). */
void td_web_view_keypoints(struct td_web_html *h, const char *const *points, size_t n);

/* A link to a tag's page: <a href="/tags/SLUG" rel="tag">TERM</a>. */
void td_web_view_tag_link(struct td_web_html *h, const struct td_web_tag_view *t);

/* Plain text as paragraphs (split on blank lines), escaped; URLs linked if `autolink`. */
void td_web_view_paragraphs(struct td_web_html *h, const char *text, bool autolink);

/* An error page body: a heading for `status` and `message` as text. */
void td_web_view_error(struct td_web_html *h, int status, const char *message);

#endif
