/*
 * app.c - the route table, dispatch, and the helpers every handler shares
 * (site and reader for the page chrome, ids and cursors from the URL,
 * error pages).
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/log.h"
#include "web/assets.h"
#include "web/handlers.h"

#include <time.h>

enum handler {
    H_HOME,
    H_LATEST,
    H_OUTLETS,
    H_OUTLET,
    H_OUTLET_FEED,
    H_ARTICLE,
    H_LISTEN,
    H_SEARCH,
    H_SEARCH_FEED,
    H_FEED,
    H_OPML,
    H_API_ARTICLES,
    H_API_ARTICLE,
    H_API_OUTLETS,
    H_API_OUTLET_ARTICLES,
    H_API_SEARCH,
    H_SIGNUP_FORM,
    H_SIGNUP,
    H_SIGNIN_FORM,
    H_SIGNIN,
    H_SIGNOUT,
    H_COMMENT_ADD,
    H_COMMENT_EDIT,
    H_COMMENT_DELETE,
    H_COMMENT_HIDE,
    H_COMMENT_UNHIDE,
    H_STYLE,
    H_SCRIPT,
    H_LOGO,
    H_STORY,
    H_STORY_FEED,
    H_STORIES_FEED,
    H_API_STORIES,
    H_API_STORY,
    H_TAGS,
    H_TAG,
    H_TAG_FEED,
    H_API_TAGS,
    H_API_TAG,
};

static const struct td_web_route routes[] = {
    {"GET", "/", H_HOME},
    {"GET", "/latest", H_LATEST},
    {"GET", "/outlets", H_OUTLETS},
    {"GET", "/outlets.opml", H_OPML},
    {"GET", "/outlets/{id}", H_OUTLET},
    {"GET", "/outlets/{id}/feed.atom", H_OUTLET_FEED},
    {"GET", "/articles/{id}", H_ARTICLE},
    {"GET", "/articles/{id}/listen", H_LISTEN},
    {"GET", "/search", H_SEARCH},
    {"GET", "/search.atom", H_SEARCH_FEED},
    {"GET", "/feed.atom", H_FEED},
    {"GET", "/api/v1/articles", H_API_ARTICLES},
    {"GET", "/api/v1/articles/{id}", H_API_ARTICLE},
    {"GET", "/api/v1/outlets", H_API_OUTLETS},
    {"GET", "/api/v1/outlets/{id}/articles", H_API_OUTLET_ARTICLES},
    {"GET", "/api/v1/search", H_API_SEARCH},
    {"GET", "/signup", H_SIGNUP_FORM},
    {"POST", "/signup", H_SIGNUP},
    {"GET", "/signin", H_SIGNIN_FORM},
    {"POST", "/signin", H_SIGNIN},
    {"POST", "/signout", H_SIGNOUT},
    {"POST", "/articles/{id}/comments", H_COMMENT_ADD},
    {"POST", "/comments/{id}/edit", H_COMMENT_EDIT},
    {"POST", "/comments/{id}/delete", H_COMMENT_DELETE},
    {"POST", "/comments/{id}/hide", H_COMMENT_HIDE},
    {"POST", "/comments/{id}/unhide", H_COMMENT_UNHIDE},
    {"GET", "/static/style.css", H_STYLE},
    {"GET", "/static/app.js", H_SCRIPT},
    {"GET", "/logo", H_LOGO},
    {"GET", "/stories/{id}", H_STORY},
    {"GET", "/stories/{id}/feed.atom", H_STORY_FEED},
    {"GET", "/stories.atom", H_STORIES_FEED},
    {"GET", "/api/v1/stories", H_API_STORIES},
    {"GET", "/api/v1/stories/{id}", H_API_STORY},
    {"GET", "/tags", H_TAGS},
    {"GET", "/tags/{slug}", H_TAG},
    {"GET", "/tags/{slug}/feed.atom", H_TAG_FEED},
    {"GET", "/api/v1/tags", H_API_TAGS},
    {"GET", "/api/v1/tags/{slug}", H_API_TAG},
    {NULL, NULL, 0},
};

void td_web_site_of(struct td_web_req *r, struct td_web_site *site)
{
    site->name = r->app->site_name;
    site->has_logo = r->app->logo != NULL;
    site->now = time(NULL);
}

const char *td_web_query_url(struct td_web_req *r, const char *path, const char *q)
{
    struct td_web_html h;

    td_web_html_init(&h, TD_WEB_PAGE_CAP);
    td_web_html_raw(&h, path);
    td_web_html_raw(&h, "?q=");
    td_web_html_query(&h, td_str_c(q));
    char *s = td_arena_strndup(&r->arena, h.buf.buf, h.buf.len);
    td_web_html_release(&h);
    return s;
}

int64_t td_web_param_id(struct td_web_req *r, const char *name)
{
    struct td_str v = td_web_match_param(&r->match, name);
    int64_t id = 0;

    if (v.len == 0 || v.len > 18)
        return 0;
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] < '0' || v.ptr[i] > '9')
            return 0;
        id = id * 10 + (v.ptr[i] - '0');
    }
    return id;
}

bool td_web_cursor(struct td_web_req *r, struct td_store_cursor *c)
{
    const char *s = td_web_form_get(&r->query, "after", NULL);
    long long sort_at, id;
    char *end;

    memset(c, 0, sizeof(*c));
    if (!s)
        return true;
    sort_at = strtoll(s, &end, 10);
    if (end != s && *end == '.') {
        const char *p = end + 1;
        id = strtoll(p, &end, 10);
        if (end != p && !*end && id > 0) {
            c->sort_at = sort_at;
            c->id = id;
            return true;
        }
    }
    td_web_reply_error(r, 400, "after must look like 1772500000.42 (a time and an id).");
    return false;
}

void td_web_reply_store_error(struct td_web_req *r, int rc)
{
    td_log_err("store error=\"%s\" msg=\"%s\"", td_strerror(rc),
               r->store ? td_store_errmsg(r->store) : "no database handle");
    td_web_reply_error(r, 500, "The database could not answer. Please try again.");
}

void td_web_reply_error(struct td_web_req *r, int status, const char *message)
{
    struct td_web_site site;
    struct td_web_page page = {0};
    char title[32];

    td_web_site_of(r, &site);
    snprintf(title, sizeof(title), "Error %d", status);
    page.title = title;
    r->status = status;
    r->content_type = "text/html; charset=utf-8";
    td_buf_reset(&r->out.buf);
    r->out.err = 0;
    td_web_view_begin(&r->out, &site, &page);
    td_web_view_error(&r->out, status, message);
    td_web_view_end(&r->out, &site);
}

void td_web_app_handle(struct td_web_req *r)
{
    int idx = td_web_route_match(routes, r->method, r->path, &r->match);

    if (idx == TD_WEB_ROUTE_METHOD) {
        td_web_reply_error(r, 405, "This address does not accept that method.");
        return;
    }
    if (idx == TD_WEB_ROUTE_NONE) {
        td_web_reply_error(r, 404, "There is no page at this address.");
        return;
    }
    switch ((enum handler)r->match.handler) {
    case H_HOME:
        td_web_h_home(r);
        break;
    case H_LATEST:
        td_web_h_latest(r);
        break;
    case H_OUTLETS:
        td_web_h_outlets(r);
        break;
    case H_OUTLET:
        td_web_h_outlet(r);
        break;
    case H_OUTLET_FEED:
        td_web_h_feed_outlet(r);
        break;
    case H_ARTICLE:
        td_web_h_article(r);
        break;
    case H_LISTEN:
        td_web_h_listen(r);
        break;
    case H_SEARCH:
        td_web_h_search(r);
        break;
    case H_SEARCH_FEED:
        td_web_h_feed_search(r);
        break;
    case H_FEED:
        td_web_h_feed_home(r);
        break;
    case H_OPML:
        td_web_h_opml(r);
        break;
    case H_API_ARTICLES:
        td_web_h_api_articles(r);
        break;
    case H_API_ARTICLE:
        td_web_h_api_article(r);
        break;
    case H_API_OUTLETS:
        td_web_h_api_outlets(r);
        break;
    case H_API_OUTLET_ARTICLES:
        td_web_h_api_outlet_articles(r);
        break;
    case H_API_SEARCH:
        td_web_h_api_search(r);
        break;
    case H_SIGNUP_FORM:
        td_web_h_signup_form(r);
        break;
    case H_SIGNUP:
        td_web_h_signup(r);
        break;
    case H_SIGNIN_FORM:
        td_web_h_signin_form(r);
        break;
    case H_SIGNIN:
        td_web_h_signin(r);
        break;
    case H_SIGNOUT:
        td_web_h_signout(r);
        break;
    case H_COMMENT_ADD:
        td_web_h_comment_add(r);
        break;
    case H_COMMENT_EDIT:
        td_web_h_comment_edit(r);
        break;
    case H_COMMENT_DELETE:
        td_web_h_comment_delete(r);
        break;
    case H_COMMENT_HIDE:
        td_web_h_comment_hide(r);
        break;
    case H_COMMENT_UNHIDE:
        td_web_h_comment_unhide(r);
        break;
    case H_STYLE:
        r->content_type = "text/css; charset=utf-8";
        r->static_body = td_web_style_css;
        r->static_len = td_web_style_css_len;
        td_web_req_add_header(r, "Cache-Control", "public, max-age=3600");
        break;
    case H_SCRIPT:
        /* Pages link it with a version from its bytes: it can be kept for a year. */
        r->content_type = "text/javascript; charset=utf-8";
        r->static_body = td_web_app_js;
        r->static_len = td_web_app_js_len;
        td_web_req_add_header(r, "Cache-Control", "public, max-age=31536000, immutable");
        break;
    case H_LOGO:
        if (!r->app->logo) {
            td_web_reply_error(r, 404, "This site has no logo.");
            break;
        }
        r->content_type = r->app->logo_type;
        r->static_body = r->app->logo;
        r->static_len = r->app->logo_len;
        td_web_req_add_header(r, "Cache-Control", "public, max-age=3600");
        break;
    case H_STORY:
        td_web_h_story(r);
        break;
    case H_STORY_FEED:
        td_web_h_story_feed(r);
        break;
    case H_STORIES_FEED:
        td_web_h_stories_feed(r);
        break;
    case H_API_STORIES:
        td_web_h_api_stories(r);
        break;
    case H_API_STORY:
        td_web_h_api_story(r);
        break;
    case H_TAGS:
        td_web_h_tags(r);
        break;
    case H_TAG:
        td_web_h_tag(r);
        break;
    case H_TAG_FEED:
        td_web_h_feed_tag(r);
        break;
    case H_API_TAGS:
        td_web_h_api_tags(r);
        break;
    case H_API_TAG:
        td_web_h_api_tag(r);
        break;
    }
}
