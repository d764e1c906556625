/*
 * view.c - the HTML pages (see view.h).
 *
 * Markup choices that matter for readers: landmarks (<header>, <nav>,
 * <main>, <footer>) and a skip link for keyboard and screen-reader users;
 * every image has alt text (the caption when the outlet gave none, else
 * empty so it is skipped as decoration); times are <time> elements whose
 * title shows the exact moment; nothing is loaded from another origin
 * except the outlets' own lead photos.
 */
#include "base/compat.h"
#include "web/assets.h"
#include "web/view.h"

#include <inttypes.h>

static bool present(const char *s)
{
    return s && *s;
}

void td_web_view_begin(struct td_web_html *h, const struct td_web_site *site,
                       const struct td_web_page *page)
{
    td_web_html_raw(h, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
    if (present(page->title)) {
        td_web_html_textc(h, page->title);
        td_web_html_raw(h, " \xC2\xB7 ");
    }
    td_web_html_textc(h, site->name);
    td_web_html_raw(h, "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
                       "<script src=\"");
    td_web_html_raw(h, td_web_app_js_url());
    td_web_html_raw(h, "\" defer></script>\n");
    if (site->has_logo)
        td_web_html_raw(h, "<link rel=\"icon\" href=\"/logo\">\n");
    if (present(page->feed_url)) {
        td_web_html_raw(h, "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
        td_web_html_textc(h, present(page->title) ? page->title : site->name);
        td_web_html_raw(h, "\" href=\"");
        td_web_html_url(h, td_str_c(page->feed_url), "/feed.atom");
        td_web_html_raw(h, "\">\n");
    }
    td_web_html_raw(h, "</head>\n<body>\n"
                       "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
                       "<header class=\"site\">\n<a class=\"brand\" href=\"/\">");
    if (site->has_logo)
        td_web_html_raw(h, "<img src=\"/logo\" alt=\"\" width=\"32\" height=\"32\">");
    td_web_html_raw(h, "<span>");
    td_web_html_textc(h, site->name);
    td_web_html_raw(h, "</span></a>\n<nav aria-label=\"Sections\"><ul>"
                       "<li><a href=\"/\">Top</a></li><li><a href=\"/latest\">Latest</a></li>"
                       "<li><a href=\"/outlets\">Outlets</a></li></ul></nav>\n"
                       "<form class=\"search\" role=\"search\" action=\"/search\" method=\"get\">"
                       "<label for=\"q\" class=\"vh\">Search articles</label>"
                       "<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"500\" value=\"");
    if (page->query)
        td_web_html_textc(h, page->query);
    td_web_html_raw(h, "\"><button type=\"submit\">Search</button></form>\n"
                       "<nav class=\"account\" aria-label=\"Account\">");
    if (present(page->user)) {
        td_web_html_raw(h, "<span class=\"who\">");
        td_web_html_textc(h, page->user);
        td_web_html_raw(h, "</span><form action=\"/signout\" method=\"post\">"
                           "<input type=\"hidden\" name=\"csrf\" value=\"");
        if (page->csrf)
            td_web_html_textc(h, page->csrf);
        td_web_html_raw(h, "\"><button type=\"submit\">Sign out</button></form>");
    } else {
        td_web_html_raw(h, "<a href=\"/signin\">Sign in</a> <a href=\"/signup\">Sign up</a>");
    }
    td_web_html_raw(h, "</nav>\n");
    if (page->n_topics) {
        td_web_html_raw(h, "<nav class=\"topics\" aria-label=\"Popular tags\"><ul>");
        for (size_t i = 0; i < page->n_topics; i++) {
            td_web_html_raw(h, "<li>");
            td_web_view_tag_link(h, &page->topics[i]);
            td_web_html_raw(h, "</li>");
        }
        td_web_html_raw(h, "</ul></nav>\n");
    }
    td_web_html_raw(h, "</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

void td_web_view_end(struct td_web_html *h, const struct td_web_site *site)
{
    td_web_html_raw(h, "</main>\n<footer class=\"site\"><p>");
    td_web_html_textc(h, site->name);
    td_web_html_raw(h,
                    " \xC2\xB7 <a href=\"/feed.atom\">Atom feed</a> \xC2\xB7 "
                    "<a href=\"/outlets.opml\">OPML</a> \xC2\xB7 "
                    "<a href=\"/api/v1/articles\">JSON API</a></p></footer>\n</body>\n</html>\n");
}

void td_web_view_time(struct td_web_html *h, const struct td_web_site *site, time_t t)
{
    char rel[64], exact[32];

    if (t <= 0)
        return;
    td_web_reltime(site->now, t, rel, sizeof(rel));
    td_web_rfc3339(t, exact, sizeof(exact));
    td_web_html_printf(h, "<time datetime=\"%s\" title=\"%s\">%s</time>", exact, exact, rel);
}

void td_web_view_outlet_icon(struct td_web_html *h, const char *icon_url)
{
    if (!present(icon_url) || !td_web_html_url_ok(td_str_c(icon_url)))
        return;
    td_web_html_raw(h, "<img class=\"icon\" src=\"");
    td_web_html_url(h, td_str_c(icon_url), "");
    td_web_html_raw(h, "\" alt=\"\" width=\"16\" height=\"16\" loading=\"lazy\" "
                       "referrerpolicy=\"no-referrer\">");
}

/* "Outlet · Author · 5 hours ago", each part optional. */
static void byline(struct td_web_html *h, const struct td_web_site *site,
                   const struct td_web_article_view *a, bool link_outlet)
{
    bool sep = false;

    if (present(a->outlet)) {
        if (link_outlet && a->outlet_id > 0)
            td_web_html_printf(h, "<a class=\"outlet\" href=\"/outlets/%" PRId64 "\">",
                               a->outlet_id);
        else
            td_web_html_raw(h, "<span class=\"outlet\">");
        td_web_view_outlet_icon(h, a->outlet_icon);
        td_web_html_textc(h, a->outlet);
        td_web_html_raw(h, link_outlet && a->outlet_id > 0 ? "</a>" : "</span>");
        sep = true;
    }
    if (present(a->author)) {
        td_web_html_raw(h, sep ? " \xC2\xB7 <span class=\"author\">" : "<span class=\"author\">");
        td_web_html_textc(h, a->author);
        td_web_html_raw(h, "</span>");
        sep = true;
    }
    if (a->published > 0) {
        if (sep)
            td_web_html_raw(h, " \xC2\xB7 ");
        td_web_view_time(h, site, a->published);
    }
}

void td_web_view_article_list(struct td_web_html *h, const struct td_web_site *site,
                              const char *heading, const struct td_web_article_view *items,
                              size_t n, const char *empty)
{
    if (present(heading)) {
        td_web_html_raw(h, "<h2>");
        td_web_html_textc(h, heading);
        td_web_html_raw(h, "</h2>\n");
    }
    if (n == 0) {
        td_web_html_raw(h, "<p class=\"empty\">");
        td_web_html_textc(h, empty);
        td_web_html_raw(h, "</p>\n");
        return;
    }
    td_web_html_raw(h, "<ol class=\"cards\">\n");
    for (size_t i = 0; i < n; i++) {
        const struct td_web_article_view *a = &items[i];
        td_web_html_printf(h, "<li><article><h3><a href=\"/articles/%" PRId64 "\">", a->id);
        td_web_html_textc(h, present(a->title) ? a->title : "(untitled)");
        td_web_html_raw(h, "</a></h3>\n<p class=\"meta\">");
        byline(h, site, a, true);
        td_web_html_raw(h, "</p>\n");
        if (present(a->also)) {
            td_web_html_raw(h, "<p class=\"meta also\">Also published by ");
            td_web_html_textc(h, a->also);
            td_web_html_raw(h, "</p>\n");
        }
        if (present(a->snippet)) {
            td_web_html_raw(h, "<p class=\"teaser\">");
            td_web_html_marked(h, a->snippet, '\x02', '\x03');
            td_web_html_raw(h, "</p>\n");
        } else if (present(a->teaser)) {
            td_web_html_raw(h, "<p class=\"teaser\">");
            td_web_html_textc(h, a->teaser);
            td_web_html_raw(h, "</p>\n");
        }
        td_web_html_raw(h, "</article></li>\n");
    }
    td_web_html_raw(h, "</ol>\n");
}

static void pager_link(struct td_web_html *h, const char *path, const char *query, int page,
                       const char *rel, const char *label)
{
    td_web_html_raw(h, "<a rel=\"");
    td_web_html_raw(h, rel);
    td_web_html_raw(h, "\" href=\"");
    td_web_html_url(h, td_str_c(path), "/");
    td_web_html_raw(h, "?");
    if (present(query)) {
        td_web_html_raw(h, "q=");
        td_web_html_query(h, td_str_c(query));
        td_web_html_raw(h, "&amp;");
    }
    td_web_html_printf(h, "page=%d\">%s</a>", page, label);
}

void td_web_view_pager(struct td_web_html *h, const char *path, const char *query, int page,
                       bool has_next)
{
    if (page <= 1 && !has_next)
        return;
    td_web_html_raw(h, "<nav class=\"pager\" aria-label=\"Pages\">");
    if (page > 1)
        pager_link(h, path, query, page - 1, "prev", "\xE2\x86\x90 Newer");
    td_web_html_printf(h, "<span>Page %d</span>", page);
    if (has_next)
        pager_link(h, path, query, page + 1, "next", "Older \xE2\x86\x92");
    td_web_html_raw(h, "</nav>\n");
}

void td_web_view_older(struct td_web_html *h, const char *path, int64_t sort_at, int64_t id)
{
    td_web_html_raw(h, "<nav class=\"pager\" aria-label=\"Pages\"><a href=\"");
    td_web_html_url(h, td_str_c(path), "/");
    td_web_html_raw(h, "\">Newest</a><a rel=\"next\" href=\"");
    td_web_html_url(h, td_str_c(path), "/");
    td_web_html_printf(h, "?after=%" PRId64 ".%" PRId64 "\">Older \xE2\x86\x92</a></nav>\n",
                       sort_at, id);
}

/* Length of an http(s) URL starting at `s`, trailing punctuation excluded. */
static size_t url_len(const char *s)
{
    size_t n = 0;

    while (s[n] && !td_is_space((unsigned char)s[n]) && !strchr("<>\"'`", s[n]))
        n++;
    while (n > 0 && strchr(".,;:!?)]}", s[n - 1]))
        n--;
    return n;
}

static void text_autolinked(struct td_web_html *h, struct td_str s, bool autolink)
{
    size_t i = 0, start = 0;

    while (autolink && i < s.len) {
        struct td_str rest = td_str_sub(s, i, s.len - i);
        if (td_str_starts_with_nocase(rest, TD_STR_LIT("http://")) ||
            td_str_starts_with_nocase(rest, TD_STR_LIT("https://"))) {
            /* `s` is a slice of a NUL-terminated paragraph copy, so url_len may read to its end. */
            size_t n = TD_MIN(url_len(rest.ptr), rest.len);
            struct td_str url = td_str_make(rest.ptr, n);
            if (n > 8 && td_web_html_url_ok(url)) {
                td_web_html_text(h, td_str_make(s.ptr + start, i - start));
                td_web_html_raw(h, "<a rel=\"nofollow ugc noopener\" href=\"");
                td_web_html_text(h, url);
                td_web_html_raw(h, "\">");
                td_web_html_text(h, url);
                td_web_html_raw(h, "</a>");
                i += n;
                start = i;
                continue;
            }
        }
        i++;
    }
    td_web_html_text(h, td_str_make(s.ptr + start, s.len - start));
}

void td_web_view_paragraphs(struct td_web_html *h, const char *text, bool autolink)
{
    const char *p = text ? text : "";

    while (*p) {
        /* A paragraph ends at a blank line. */
        const char *end = p;
        while (*end) {
            if (*end == '\n') {
                const char *q = end + 1;
                while (*q == ' ' || *q == '\t' || *q == '\r')
                    q++;
                if (*q == '\n' || *q == '\0')
                    break;
            }
            end++;
        }
        struct td_str para = td_str_trim(td_str_make(p, (size_t)(end - p)));
        if (para.len) {
            td_web_html_raw(h, "<p>");
            size_t ls = 0;
            for (size_t i = 0; i <= para.len; i++) {
                if (i < para.len && para.ptr[i] != '\n')
                    continue;
                struct td_str line = td_str_trim(td_str_make(para.ptr + ls, i - ls));
                if (ls > 0)
                    td_web_html_raw(h, "<br>");
                text_autolinked(h, line, autolink);
                ls = i + 1;
            }
            td_web_html_raw(h, "</p>\n");
        }
        p = end;
        while (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
            p++;
    }
}

void td_web_view_tag_link(struct td_web_html *h, const struct td_web_tag_view *t)
{
    td_web_html_raw(h, "<a href=\"/tags/");
    td_web_html_query(h, td_str_c(t->slug));
    td_web_html_raw(h, "\" rel=\"tag\">");
    td_web_html_textc(h, t->term);
    td_web_html_raw(h, "</a>");
}

void td_web_view_keypoints(struct td_web_html *h, const char *const *points, size_t n)
{
    if (!n)
        return;
    td_web_html_raw(h, "<section class=\"keypoints\" aria-labelledby=\"keypoints-h\">"
                       "<h2 id=\"keypoints-h\">Key points</h2>\n<ul>\n");
    for (size_t i = 0; i < n; i++) {
        td_web_html_raw(h, "<li>");
        td_web_html_textc(h, points[i]);
        td_web_html_raw(h, "</li>\n");
    }
    td_web_html_raw(h, "</ul></section>\n");
}

static void tags_list(struct td_web_html *h, const struct td_web_article_page *p)
{
    if (!p->n_tags)
        return;
    td_web_html_raw(h, "<footer class=\"tags\"><h2 class=\"vh\">Tags</h2><ul>");
    for (size_t i = 0; i < p->n_tags; i++) {
        td_web_html_raw(h, "<li>");
        td_web_view_tag_link(h, &p->tags[i]);
        td_web_html_raw(h, "</li>");
    }
    td_web_html_raw(h, "</ul></footer>\n");
}

static void lead_photo(struct td_web_html *h, const struct td_web_article_view *a)
{
    if (!present(a->image_url) || !td_web_html_url_ok(td_str_c(a->image_url)))
        return;
    td_web_html_raw(h, "<figure class=\"lead\"><img src=\"");
    td_web_html_url(h, td_str_c(a->image_url), "");
    td_web_html_raw(h, "\" alt=\"");
    td_web_html_textc(h, present(a->image_alt) ? a->image_alt : a->image_caption);
    td_web_html_raw(h, "\" loading=\"lazy\" referrerpolicy=\"no-referrer\">");
    if (present(a->image_caption) || present(a->image_credit)) {
        td_web_html_raw(h, "<figcaption>");
        if (present(a->image_caption))
            td_web_html_textc(h, a->image_caption);
        if (present(a->image_credit)) {
            td_web_html_raw(h, " <span class=\"credit\">");
            td_web_html_textc(h, a->image_credit);
            td_web_html_raw(h, "</span>");
        }
        td_web_html_raw(h, "</figcaption>");
    }
    td_web_html_raw(h, "</figure>\n");
}

static void comment_form(struct td_web_html *h, int64_t article, const char *csrf)
{
    td_web_html_printf(h,
                       "<form class=\"comment-form\" action=\"/articles/%" PRId64 "/comments\" "
                       "method=\"post\"><input type=\"hidden\" name=\"csrf\" value=\"",
                       article);
    td_web_html_textc(h, csrf);
    td_web_html_raw(h,
                    "\"><label for=\"comment-body\">Your comment</label>"
                    "<textarea id=\"comment-body\" name=\"body\" rows=\"4\" maxlength=\"4000\" "
                    "required></textarea><button type=\"submit\">Post comment</button></form>\n");
}

static void comments_section(struct td_web_html *h, const struct td_web_site *site, int64_t article,
                             const struct td_web_comments *c)
{
    td_web_html_raw(h, "<section class=\"comments\" aria-labelledby=\"comments-h\">"
                       "<h2 id=\"comments-h\">Comments</h2>\n");
    if (present(c->notice)) {
        td_web_html_raw(h, "<p class=\"notice\" role=\"status\">");
        td_web_html_textc(h, c->notice);
        td_web_html_raw(h, "</p>\n");
    }
    if (c->n == 0)
        td_web_html_raw(h, "<p class=\"empty\">No comments yet.</p>\n");
    else
        td_web_html_raw(h, "<ol class=\"comment-list\">\n");
    for (size_t i = 0; i < c->n; i++) {
        const struct td_web_comment_view *m = &c->items[i];
        td_web_html_printf(h, "<li id=\"c%" PRId64 "\"%s><p class=\"meta\"><b class=\"user\">",
                           m->id, m->hidden ? " class=\"hidden\"" : "");
        td_web_html_textc(h, m->user);
        td_web_html_raw(h, "</b> ");
        td_web_view_time(h, site, m->created);
        if (m->hidden)
            td_web_html_raw(h, " <em>(hidden)</em>");
        td_web_html_raw(h, "</p>\n");
        td_web_view_paragraphs(h, m->body, true);
        if ((m->own || c->admin) && present(c->csrf)) {
            td_web_html_raw(h, "<div class=\"actions\">");
            if (m->own) {
                td_web_html_printf(
                    h,
                    "<details><summary>Edit</summary><form action=\"/comments/%" PRId64
                    "/edit\" method=\"post\"><input type=\"hidden\" name=\"csrf\" "
                    "value=\"",
                    m->id);
                td_web_html_textc(h, c->csrf);
                td_web_html_printf(h,
                                   "\"><label for=\"edit-%" PRId64 "\">Edit comment</label>"
                                   "<textarea id=\"edit-%" PRId64 "\" name=\"body\" rows=\"3\" "
                                   "maxlength=\"4000\" required>",
                                   m->id, m->id);
                td_web_html_textc(h, m->body);
                td_web_html_raw(
                    h, "</textarea><button type=\"submit\">Save</button></form></details>");
            }
            if (c->admin) {
                td_web_html_printf(h,
                                   "<form action=\"/comments/%" PRId64 "/%s\" method=\"post\">"
                                   "<input type=\"hidden\" name=\"csrf\" value=\"",
                                   m->id, m->hidden ? "unhide" : "hide");
                td_web_html_textc(h, c->csrf);
                td_web_html_printf(h, "\"><button type=\"submit\">%s</button></form>",
                                   m->hidden ? "Unhide" : "Hide");
            }
            td_web_html_printf(h,
                               "<form action=\"/comments/%" PRId64 "/delete\" method=\"post\">"
                               "<input type=\"hidden\" name=\"csrf\" value=\"",
                               m->id);
            td_web_html_textc(h, c->csrf);
            td_web_html_raw(h, "\"><button type=\"submit\">Delete</button></form></div>\n");
        }
        td_web_html_raw(h, "</li>\n");
    }
    if (c->n)
        td_web_html_raw(h, "</ol>\n");
    if (c->signed_in && present(c->csrf))
        comment_form(h, article, c->csrf);
    else
        td_web_html_raw(h, "<p><a href=\"/signin\">Sign in</a> or <a href=\"/signup\">sign up</a> "
                           "to comment.</p>\n");
    td_web_html_raw(h, "</section>\n");
}

void td_web_view_article(struct td_web_html *h, const struct td_web_site *site,
                         const struct td_web_article_page *p)
{
    const struct td_web_article_view *a = p->article;

    td_web_html_raw(h, "<article class=\"story\"");
    if (present(a->lang)) {
        td_web_html_raw(h, " lang=\"");
        td_web_html_textc(h, a->lang);
        td_web_html_raw(h, "\"");
    }
    td_web_html_raw(h, ">\n<h1>");
    td_web_html_textc(h, present(a->title) ? a->title : "(untitled)");
    td_web_html_raw(h, "</h1>\n<p class=\"meta\">");
    byline(h, site, a, true);
    td_web_html_raw(h, "</p>\n");
    if (p->story_id > 0 && p->story_outlets > 0)
        td_web_html_printf(h,
                           "<p class=\"story-link\"><a href=\"/stories/%" PRId64 "\">%" PRId64
                           " outlet%s cover%s this story</a></p>\n",
                           p->story_id, p->story_outlets, p->story_outlets == 1 ? "" : "s",
                           p->story_outlets == 1 ? "s" : "");
    lead_photo(h, a);
    td_web_html_raw(h, "<div class=\"body\">\n");
    if (present(a->body_text))
        td_web_view_paragraphs(h, a->body_text, false);
    else if (present(a->teaser))
        td_web_view_paragraphs(h, a->teaser, false);
    td_web_html_raw(h, "</div>\n");
    /* Shown only when the article has some (no placeholder). */
    td_web_view_keypoints(h, p->keypoints, p->n_keypoints);
    if (p->listen)
        td_web_html_printf(h,
                           "<section class=\"listen\" aria-label=\"Listen\"><h2>Listen</h2>"
                           "<audio controls preload=\"none\" src=\"/articles/%" PRId64 "/listen\">"
                           "<a href=\"/articles/%" PRId64 "/listen\">Download the audio</a>"
                           "</audio></section>\n",
                           a->id, a->id);
    tags_list(h, p);
    td_web_html_raw(h, "</article>\n");
    if (p->n_related) {
        td_web_html_raw(h, "<aside class=\"related\" aria-labelledby=\"related-h\">"
                           "<h2 id=\"related-h\">Related articles</h2>\n");
        td_web_view_article_list(h, site, NULL, p->related, p->n_related, "");
        td_web_html_raw(h, "</aside>\n");
    }
    comments_section(h, site, a->id, &p->comments);
    if (td_web_html_url_ok(td_str_c(a->url))) {
        td_web_html_raw(h, "<p class=\"original\"><a href=\"");
        td_web_html_url(h, td_str_c(a->url), "#");
        td_web_html_raw(h, "\" rel=\"noopener\">Read the original");
        if (present(a->outlet)) {
            td_web_html_raw(h, " at ");
            td_web_html_textc(h, a->outlet);
        }
        td_web_html_raw(h, "</a></p>\n");
    }
}

void td_web_view_error(struct td_web_html *h, int status, const char *message)
{
    const char *title = status == 404   ? "Not found"
                        : status == 400 ? "Bad request"
                        : status == 403 ? "Forbidden"
                        : status == 405 ? "Method not allowed"
                        : status == 413 ? "Too large"
                        : status == 429 ? "Too many requests"
                                        : "Something went wrong";

    td_web_html_printf(h, "<h1>%s</h1>\n<p class=\"error\">", title);
    td_web_html_textc(h, message);
    td_web_html_raw(h, "</p>\n<p><a href=\"/\">Back to the front page</a></p>\n");
}
