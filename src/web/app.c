/*
 * app.c - the routes and their handlers: read the request, gather the data
 * into view structs, render with view.c.
 */
#include "base/compat.h"
#include "base/error.h"
#include "web/assets.h"
#include "web/request.h"
#include "web/view.h"

#include <time.h>

enum handler { H_HOME, H_LATEST, H_SEARCH, H_STYLE, H_LOGO };

static const struct td_web_route routes[] = {
    {"GET", "/", H_HOME},         {"GET", "/latest", H_LATEST},
    {"GET", "/search", H_SEARCH}, {"GET", "/static/style.css", H_STYLE},
    {"GET", "/logo", H_LOGO},     {NULL, NULL, 0},
};

static void site_of(struct td_web_req *r, struct td_web_site *site)
{
    site->name = r->app->site_name;
    site->has_logo = r->app->logo != NULL;
    site->now = time(NULL);
}

void td_web_reply_error(struct td_web_req *r, int status, const char *message)
{
    struct td_web_site site;
    struct td_web_page page = {0};
    char title[32];

    site_of(r, &site);
    snprintf(title, sizeof(title), "Error %d", status);
    page.title = title;
    r->status = status;
    r->content_type = "text/html; charset=utf-8";
    td_buf_reset(&r->out.buf);
    td_web_view_begin(&r->out, &site, &page);
    td_web_view_error(&r->out, status, message);
    td_web_view_end(&r->out, &site);
}

static void home(struct td_web_req *r, const char *heading)
{
    struct td_web_site site;
    struct td_web_page page = {0};

    site_of(r, &site);
    page.feed_url = "/feed.atom";
    td_web_view_begin(&r->out, &site, &page);
    td_html_raw(&r->out, "<h1 class=\"vh\">");
    td_html_textc(&r->out, site.name);
    td_html_raw(&r->out, "</h1>\n");
    td_web_view_article_list(&r->out, &site, heading, NULL, 0,
                             "No articles yet. Add some feeds and let the crawler run.");
    td_web_view_end(&r->out, &site);
}

static void search(struct td_web_req *r)
{
    struct td_web_site site;
    struct td_web_page page = {0};
    const char *q = td_web_form_get(&r->query, "q", "");

    site_of(r, &site);
    page.title = *q ? q : "Search";
    page.query = q;
    td_web_view_begin(&r->out, &site, &page);
    td_html_raw(&r->out, "<h1>Search</h1>\n");
    td_web_view_article_list(&r->out, &site, NULL, NULL, 0,
                             *q ? "No articles match your search." : "Type words to search for.");
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
        home(r, "Top stories");
        break;
    case H_LATEST:
        home(r, "Latest");
        break;
    case H_SEARCH:
        search(r);
        break;
    case H_STYLE:
        r->content_type = "text/css; charset=utf-8";
        r->static_body = td_web_style_css;
        r->static_len = td_web_style_css_len;
        td_web_req_add_header(r, "Cache-Control", "public, max-age=3600");
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
    }
}
