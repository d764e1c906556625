/*
 * view_story.c - the story views: the "Top stories" list and the story
 * page with every outlet's version (see view.h).  Like every view, they
 * escape all they print.
 */
#include "base/compat.h"
#include "web/view.h"

#include <inttypes.h>

static bool present(const char *s)
{
    return s && *s;
}

void td_web_view_story_list(struct td_web_html *h, const struct td_web_site *site,
                            const char *heading, const struct td_web_story_view *items, size_t n)
{
    if (n == 0)
        return;
    td_web_html_raw(h, "<section class=\"top-stories\" aria-labelledby=\"top-stories-h\">"
                       "<h2 id=\"top-stories-h\">");
    td_web_html_textc(h, heading);
    td_web_html_raw(h, "</h2>\n<ol class=\"cards stories\">\n");
    for (size_t i = 0; i < n; i++) {
        const struct td_web_story_view *s = &items[i];
        td_web_html_printf(h, "<li><article><h3><a href=\"/stories/%" PRId64 "\">", s->id);
        td_web_html_textc(h, present(s->headline) ? s->headline : "(untitled)");
        td_web_html_raw(h, "</a></h3>\n<p class=\"meta\">");
        if (present(s->outlets)) {
            td_web_html_raw(h, "<span class=\"outlet\">");
            td_web_html_textc(h, s->outlets);
            td_web_html_raw(h, "</span>");
            if (s->last_seen > 0)
                td_web_html_raw(h, " \xC2\xB7 ");
        }
        td_web_view_time(h, site, s->last_seen);
        td_web_html_raw(h, "</p>\n</article></li>\n");
    }
    td_web_html_raw(h, "</ol>\n</section>\n");
}

void td_web_view_story(struct td_web_html *h, const struct td_web_site *site,
                       const struct td_web_story_page *p)
{
    const struct td_web_story_view *s = p->story;

    td_web_html_raw(h, "<article class=\"story-page\">\n<h1>");
    td_web_html_textc(h, present(s->headline) ? s->headline : "(untitled)");
    td_web_html_printf(
        h, "</h1>\n<p class=\"meta\">%" PRId64 " article%s from %" PRId64 " outlet%s",
        s->n_articles, s->n_articles == 1 ? "" : "s", s->n_outlets, s->n_outlets == 1 ? "" : "s");
    if (s->first_seen > 0) {
        td_web_html_raw(h, " \xC2\xB7 first seen ");
        td_web_view_time(h, site, s->first_seen);
    }
    td_web_html_raw(h, "</p>\n");
    td_web_view_keypoints(h, p->keypoints, p->n_keypoints);
    if (p->n_outlets) {
        td_web_html_raw(h, "<h2>Outlets</h2>\n<ul class=\"story-outlets\">\n");
        for (size_t i = 0; i < p->n_outlets; i++) {
            const struct td_web_article_view *v = p->outlets[i];
            td_web_html_printf(h, "<li><a href=\"/outlets/%" PRId64 "\">", v->outlet_id);
            td_web_view_outlet_icon(h, v->outlet_icon);
            td_web_html_textc(h, v->outlet);
            td_web_html_raw(h, "</a></li>\n");
        }
        td_web_html_raw(h, "</ul>\n");
    }
    td_web_html_printf(h,
                       "<p class=\"meta\"><a href=\"/stories/%" PRId64
                       "/feed.atom\">Atom feed of this story</a></p>\n",
                       s->id);
    td_web_view_article_list(h, site, "Timeline", p->timeline, p->n, "No articles yet.");
    td_web_html_raw(h, "</article>\n");
}
