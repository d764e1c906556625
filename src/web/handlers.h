/*
 * handlers.h - the request handlers, grouped by file (internal to web/):
 * pages.c (HTML pages, Atom, OPML, Listen), api.c (JSON), account.c
 * (sign up/in/out, comments, and the reader behind each page).  app.c
 * routes to them.
 *
 * A handler fills the response in `r` (status, content type, body); it
 * answers errors itself with td_web_reply_error.
 */
#ifndef TD_WEB_HANDLERS_H
#define TD_WEB_HANDLERS_H

#include "store/store.h"
#include "web/request.h"
#include "web/view.h"

#define TD_WEB_PAGE_SIZE 20      /* articles per page of a list */
#define TD_WEB_FEED_SIZE 50      /* entries in an Atom feed */
#define TD_WEB_STORY_KEYPOINTS 5 /* key points of a story */

/* The site and the reader (signed in or not, with a CSRF token) for a page. */
void td_web_site_of(struct td_web_req *r, struct td_web_site *site);
void td_web_page_of(struct td_web_req *r, struct td_web_page *page);

/* "PATH?q=QUERY" with the query percent-encoded, in the arena. */
const char *td_web_query_url(struct td_web_req *r, const char *path, const char *q);

/*
 * The comments section of article `id` as the reader sees it (their own
 * comments editable, hidden ones shown to admins only).
 */
void td_web_comments_of(struct td_web_req *r, int64_t id, const struct td_web_page *page,
                        struct td_web_comments *out);

/* A positive decimal id from a route parameter, or 0. */
int64_t td_web_param_id(struct td_web_req *r, const char *name);
/* The list cursor from ?after=SORT_AT.ID; false (and a 400 answered) if malformed. */
bool td_web_cursor(struct td_web_req *r, struct td_store_cursor *c);
/* 500 for a store failure, with the store's message in the log only. */
void td_web_reply_store_error(struct td_web_req *r, int rc);

/* A page of search results, shared by the HTML page, its Atom feed and the API. */
struct td_web_search_out {
    struct td_web_article_view *items;  /* arena array, best first, snippets set */
    const struct td_article **articles; /* the records behind `items` */
    size_t n;
    bool more;          /* another page follows */
    const char *notice; /* a message for the reader (bad operator, unknown outlet), or NULL */
    bool bad_query;     /* the notice is about malformed input */
};

/* Run query `q` for page `page` (from 1) of `per_page` results. */
int td_web_search_run(struct td_web_req *r, const char *q, int page, size_t per_page,
                      struct td_web_search_out *out);

/* Top stories as views (story.c); `more` (may be NULL): another page follows. */
int td_web_top_stories(struct td_web_req *r, const struct td_story_filter *f,
                       struct td_web_story_view **out, size_t *n, bool *more);

void td_web_h_home(struct td_web_req *r);
void td_web_h_story(struct td_web_req *r);
void td_web_h_story_feed(struct td_web_req *r);
void td_web_h_stories_feed(struct td_web_req *r);
void td_web_h_latest(struct td_web_req *r);
void td_web_h_outlets(struct td_web_req *r);
void td_web_h_outlet(struct td_web_req *r);
void td_web_h_article(struct td_web_req *r);
void td_web_h_listen(struct td_web_req *r);
void td_web_h_search(struct td_web_req *r);
void td_web_h_feed_home(struct td_web_req *r);
void td_web_h_feed_outlet(struct td_web_req *r);
void td_web_h_feed_search(struct td_web_req *r);
void td_web_h_opml(struct td_web_req *r);
void td_web_h_tags(struct td_web_req *r);
void td_web_h_tag(struct td_web_req *r);
void td_web_h_feed_tag(struct td_web_req *r);

void td_web_h_signup_form(struct td_web_req *r);
void td_web_h_signup(struct td_web_req *r);
void td_web_h_signin_form(struct td_web_req *r);
void td_web_h_signin(struct td_web_req *r);
void td_web_h_signout(struct td_web_req *r);
void td_web_h_comment_add(struct td_web_req *r);
void td_web_h_comment_edit(struct td_web_req *r);
void td_web_h_comment_delete(struct td_web_req *r);
void td_web_h_comment_hide(struct td_web_req *r);
void td_web_h_comment_unhide(struct td_web_req *r);

void td_web_h_api_articles(struct td_web_req *r);
void td_web_h_api_article(struct td_web_req *r);
void td_web_h_api_outlets(struct td_web_req *r);
void td_web_h_api_outlet_articles(struct td_web_req *r);
void td_web_h_api_search(struct td_web_req *r);
void td_web_h_api_stories(struct td_web_req *r);
void td_web_h_api_story(struct td_web_req *r);
void td_web_h_api_tags(struct td_web_req *r);
void td_web_h_api_tag(struct td_web_req *r);

#endif
