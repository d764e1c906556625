/*
 * Unit tests for the web module's pure parts: escaping, URL checks,
 * relative times, the router, form parsing, and the views rendered from
 * plain structs (no server, no database).
 */
#include "base/compat.h"
#include "base/arena.h"
#include "base/error.h"
#include "web/atom.h"
#include "web/auth.h"
#include "web/data.h"
#include "web/form.h"
#include "web/html.h"
#include "tts/tts.h"
#include "web/listen.h"
#include "web/query.h"
#include "web/router.h"
#include "web/view.h"

#include "harness/tap.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

static void test_escape(void)
{
    struct td_web_html h;

    td_web_html_init(&h, 1024);
    td_web_html_textc(&h, "<script>alert(\"x\" & 'y')</script> caf\xC3\xA9");
    ASSERT_OK(h.err);
    ASSERT_STR_EQ(h.buf.buf, "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt; "
                             "caf\xC3\xA9");
    td_buf_reset(&h.buf);
    td_web_html_text(&h, td_str_make("a\0b", 3));
    ASSERT_STR_EQ(h.buf.buf, "a\xEF\xBF\xBD"
                             "b");
    td_web_html_release(&h);
}

static void test_escape_cap_is_sticky(void)
{
    struct td_web_html h;

    td_web_html_init(&h, 10);
    td_web_html_raw(&h, "12345");
    td_web_html_textc(&h, "<<<");
    ASSERT_EQ(h.err, TD_ETOOBIG);
    td_web_html_raw(&h, "x");
    ASSERT_EQ(h.err, TD_ETOOBIG);
    ASSERT_LE(h.buf.len, 10);
    td_web_html_release(&h);
}

static void test_url_ok(void)
{
    ASSERT(td_web_html_url_ok(TD_STR_LIT("https://example.com/a?b=c")));
    ASSERT(td_web_html_url_ok(TD_STR_LIT("HTTP://example.com/")));
    ASSERT(td_web_html_url_ok(TD_STR_LIT("/articles/3")));
    ASSERT(!td_web_html_url_ok(TD_STR_LIT("javascript:alert(1)")));
    ASSERT(!td_web_html_url_ok(TD_STR_LIT(" javascript:alert(1)")));
    ASSERT(!td_web_html_url_ok(TD_STR_LIT("data:text/html,x")));
    ASSERT(!td_web_html_url_ok(TD_STR_LIT("//evil.example/")));
    ASSERT(!td_web_html_url_ok(TD_STR_LIT("/\\evil.example/")));
    ASSERT(!td_web_html_url_ok(TD_STR_LIT("https://a b")));
    ASSERT(!td_web_html_url_ok(TD_STR_LIT("")));

    struct td_web_html h;
    td_web_html_init(&h, 1024);
    td_web_html_url(&h, TD_STR_LIT("javascript:alert(1)"), "#");
    td_web_html_raw(&h, "|");
    td_web_html_url(&h, TD_STR_LIT("https://x.example/?a=1&b=\"2\""), "#");
    ASSERT_STR_EQ(h.buf.buf, "#|https://x.example/?a=1&amp;b=&quot;2&quot;");
    td_buf_reset(&h.buf);
    td_web_html_query(&h, TD_STR_LIT("a b&c=d/\xC3\xA9~"));
    ASSERT_STR_EQ(h.buf.buf, "a%20b%26c%3Dd%2F%C3%A9~");
    td_web_html_release(&h);
}

static void test_reltime(void)
{
    const time_t now = 1795000000;
    char s[64];
    static const struct {
        long ago;
        const char *want;
    } cases[] = {
        {0, "just now"},
        {-3600, "just now"},
        {59, "just now"},
        {60, "a minute ago"},
        {119, "a minute ago"},
        {120, "2 minutes ago"},
        {33 * 60, "33 minutes ago"},
        {33 * 60 + 59, "33 minutes ago"},
        {3599, "59 minutes ago"},
        {3600, "an hour ago"},
        {2 * 3600 - 1, "an hour ago"},
        {2 * 3600, "2 hours ago"},
        {5 * 3600 + 1800, "5 hours ago"},
        {86399, "23 hours ago"},
        {86400, "1 day ago"},
        {2 * 86400 - 1, "1 day ago"},
        {2 * 86400, "2 days ago"},
        {6 * 86400, "6 days ago"},
    };

    for (size_t i = 0; i < TD_ARRAY_SIZE(cases); i++) {
        td_web_reltime(now, now - cases[i].ago, s, sizeof(s));
        ASSERT_STR_EQ(s, cases[i].want);
    }
    /* A week or more: the date itself (1795000000 is 2026-11-18T11:06:40Z). */
    td_web_reltime(now, 1772500000, s, sizeof(s)); /* 2026-03-03 */
    ASSERT_STR_EQ(s, "3 Mar 2026");
    td_web_rfc3339(1772500000, s, sizeof(s));
    ASSERT_STR_EQ(s, "2026-03-03T01:06:40Z");
}

static const struct td_web_route routes[] = {
    {"GET", "/", 1},
    {"GET", "/articles/{id}", 2},
    {"GET", "/articles/{id}/listen", 3},
    {"POST", "/articles/{id}/comments", 4},
    {"GET", "/outlets/{id}/page/{n}", 5},
    {NULL, NULL, 0},
};

static void test_router(void)
{
    struct td_web_match m;

    ASSERT_GE(td_web_route_match(routes, "GET", TD_STR_LIT("/"), &m), 0);
    ASSERT_EQ(m.handler, 1);
    ASSERT_GE(td_web_route_match(routes, "GET", TD_STR_LIT("/articles/42"), &m), 0);
    ASSERT_EQ(m.handler, 2);
    ASSERT(td_str_eq(td_web_match_param(&m, "id"), TD_STR_LIT("42")));
    ASSERT_GE(td_web_route_match(routes, "HEAD", TD_STR_LIT("/articles/42/listen"), &m), 0);
    ASSERT_EQ(m.handler, 3);
    ASSERT_GE(td_web_route_match(routes, "GET", TD_STR_LIT("/outlets/7/page/3"), &m), 0);
    ASSERT_EQ(m.handler, 5);
    ASSERT(td_str_eq(td_web_match_param(&m, "id"), TD_STR_LIT("7")));
    ASSERT(td_str_eq(td_web_match_param(&m, "n"), TD_STR_LIT("3")));
    ASSERT_EQ(td_web_match_param(&m, "nope").len, 0);
    ASSERT_EQ(td_web_route_match(routes, "GET", TD_STR_LIT("/articles/42/comments"), &m),
              TD_WEB_ROUTE_METHOD);
    ASSERT_EQ(td_web_route_match(routes, "POST", TD_STR_LIT("/"), &m), TD_WEB_ROUTE_METHOD);
    ASSERT_EQ(td_web_route_match(routes, "GET", TD_STR_LIT("/articles/"), &m), TD_WEB_ROUTE_NONE);
    ASSERT_EQ(td_web_route_match(routes, "GET", TD_STR_LIT("/articles"), &m), TD_WEB_ROUTE_NONE);
    ASSERT_EQ(td_web_route_match(routes, "GET", TD_STR_LIT("/articles//listen"), &m),
              TD_WEB_ROUTE_NONE);
    ASSERT_EQ(td_web_route_match(routes, "GET", TD_STR_LIT("/articles/1/listen/x"), &m),
              TD_WEB_ROUTE_NONE);
    ASSERT_EQ(td_web_route_match(routes, "GET", TD_STR_LIT(""), &m), TD_WEB_ROUTE_NONE);
}

static void test_form(void)
{
    struct td_arena a;
    struct td_web_form f = {0};

    td_arena_init(&a);
    ASSERT_OK(
        td_web_form_parse(&f, TD_STR_LIT("q=hello+world&&x=%3Cb%3E&flag&e=&u=caf%C3%A9"), &a));
    ASSERT_EQ(f.n, 5);
    ASSERT_STR_EQ(td_web_form_get(&f, "q", NULL), "hello world");
    ASSERT_STR_EQ(td_web_form_get(&f, "x", NULL), "<b>");
    ASSERT_STR_EQ(td_web_form_get(&f, "flag", NULL), "");
    ASSERT_STR_EQ(td_web_form_get(&f, "e", NULL), "");
    ASSERT_STR_EQ(td_web_form_get(&f, "u", NULL), "caf\xC3\xA9");
    ASSERT(td_web_form_get(&f, "missing", NULL) == NULL);

    struct td_web_form g = {0};
    ASSERT_EQ(td_web_form_parse(&g, TD_STR_LIT("a=%zz"), &a), TD_EPARSE);
    g.n = 0;
    ASSERT_EQ(td_web_form_parse(&g, TD_STR_LIT("a=%4"), &a), TD_EPARSE);
    g.n = 0;
    ASSERT_EQ(td_web_form_parse(&g, TD_STR_LIT("a=%C3"), &a), TD_EPARSE);
    g.n = 0;
    ASSERT_EQ(td_web_form_parse(&g, TD_STR_LIT("a=%00"), &a), TD_EPARSE);
    g.n = 0;
    ASSERT_EQ(td_web_form_parse(&g, TD_STR_LIT("a=%ED%A0%80"), &a), TD_EPARSE); /* surrogate */
    g.n = 0;
    ASSERT_EQ(td_web_form_parse(&g, TD_STR_LIT("a=%C0%AF"), &a), TD_EPARSE); /* overlong */

    struct td_buf many = TD_BUF_INIT(TD_BUF_NOCAP);
    for (int i = 0; i <= TD_WEB_FORM_MAX_FIELDS; i++)
        ASSERT_OK(td_buf_printf(&many, "f%d=1&", i));
    g.n = 0;
    ASSERT_EQ(td_web_form_parse(&g, td_buf_str(&many), &a), TD_ETOOBIG);
    td_buf_release(&many);

    struct td_str out;
    ASSERT_OK(td_web_pct_decode(TD_STR_LIT("/a+b%20c"), &a, &out));
    ASSERT(td_str_eq(out, TD_STR_LIT("/a+b c")));
    td_arena_release(&a);
}

static const struct td_web_site site = {"Tidings <Test>", false, 1795000000};

static void test_view_chrome_escapes(void)
{
    struct td_web_html h;
    struct td_web_page page = {.title = "<img src=x onerror=alert(1)>",
                               .query = "\"><script>alert(1)</script>",
                               .user = "<b>mallory</b>",
                               .csrf = "tok\"en"};

    td_web_html_init(&h, 1 << 20);
    td_web_view_begin(&h, &site, &page);
    td_web_view_end(&h, &site);
    ASSERT_OK(h.err);
    ASSERT_NOT_CONTAINS(h.buf.buf, "<script>");
    ASSERT_NOT_CONTAINS(h.buf.buf, "<img src=x");
    ASSERT_NOT_CONTAINS(h.buf.buf, "<b>mallory");
    ASSERT_CONTAINS(h.buf.buf, "<title>&lt;img src=x onerror=alert(1)&gt; \xC2\xB7 Tidings "
                               "&lt;Test&gt;</title>");
    ASSERT_CONTAINS(h.buf.buf, "value=\"&quot;&gt;&lt;script&gt;");
    ASSERT_CONTAINS(h.buf.buf, "<main id=\"main\"");
    ASSERT_CONTAINS(h.buf.buf, "<header class=\"site\">");
    ASSERT_CONTAINS(h.buf.buf, "<footer class=\"site\">");
    ASSERT_CONTAINS(h.buf.buf, "name=\"csrf\" value=\"tok&quot;en\"");
    td_web_html_release(&h);
}

static void test_view_article_order(void)
{
    struct td_web_article_view a = {
        .id = 9,
        .title = "Leaked memo <shows> plans",
        .url = "https://outlet.example/story?id=1&x=2",
        .outlet_id = 3,
        .outlet = "Daily & Co",
        .author = "Ann Writer",
        .lang = "en",
        .published = site.now - 5 * 3600,
        .image_url = "https://outlet.example/p.jpg",
        .image_caption = "Leaders meet",
        .image_credit = "(Picture credit: AP)",
        .body_text = "First paragraph.\n\nSecond <script>x</script> paragraph.\n",
    };
    struct td_web_article_view rel = {.id = 10,
                                      .title = "Related one",
                                      .outlet = "Other",
                                      .published = site.now - 33 * 60,
                                      .teaser = "A teaser."};
    struct td_web_article_page p = {.article = &a, .related = &rel, .n_related = 1, .listen = true};
    struct td_web_html h;

    td_web_html_init(&h, 1 << 20);
    td_web_view_article(&h, &site, &p);
    ASSERT_OK(h.err);
    const char *s = h.buf.buf;
    const char *order[] = {
        "<h1>Leaked memo &lt;shows&gt; plans</h1>",
        "<a class=\"outlet\" href=\"/outlets/3\">Daily &amp; Co</a>",
        "<span class=\"author\">Ann Writer</span>",
        "title=\"",
        ">5 hours ago</time>",
        "<img src=\"https://outlet.example/p.jpg\" alt=\"Leaders meet\"",
        "<figcaption>Leaders meet <span class=\"credit\">(Picture credit: AP)</span>",
        "<p>First paragraph.</p>",
        "<p>Second &lt;script&gt;x&lt;/script&gt; paragraph.</p>",
        "<audio controls preload=\"none\" src=\"/articles/9/listen\">",
        "Related articles",
        "<a href=\"/articles/10\">Related one</a>",
        ">33 minutes ago</time>",
        "<p class=\"teaser\">A teaser.</p>",
        "No comments yet.",
        "<a href=\"https://outlet.example/story?id=1&amp;x=2\" rel=\"noopener\">Read the original",
    };
    for (size_t i = 0; i < TD_ARRAY_SIZE(order); i++) {
        const char *at = strstr(s, order[i]);
        if (!at) {
            fprintf(stderr, "# missing or out of order: %s\n", order[i]);
            ASSERT(at);
        }
        s = at + strlen(order[i]);
    }
    ASSERT_CONTAINS(h.buf.buf, "<time datetime=\"2026-11-18T06:06:40Z\"");
    td_web_html_release(&h);
}

/* Stories: the outlets line, the top list, the story page and the article's link, all escaped. */
static void test_view_stories(void)
{
    struct td_arena a;
    const char *names[] = {"Reuters", "AP & Co", "BBC"};
    struct td_web_html h;

    td_arena_init(&a);
    ASSERT_STR_EQ(td_web_story_outlets_line(&a, names, 3, 6), "Reuters, AP & Co and 4 more");
    ASSERT_STR_EQ(td_web_story_outlets_line(&a, names, 3, 3), "Reuters, AP & Co and 1 more");
    ASSERT_STR_EQ(td_web_story_outlets_line(&a, names, 2, 2), "Reuters and AP & Co");
    ASSERT_STR_EQ(td_web_story_outlets_line(&a, names, 1, 1), "Reuters");
    ASSERT(td_web_story_outlets_line(&a, names, 0, 0) == NULL);

    struct td_web_story_view s = {.id = 4,
                                  .headline = "Dam <b>breach</b>",
                                  .outlets = "Reuters, AP & Co and 4 more",
                                  .first_seen = site.now - 5 * 3600,
                                  .last_seen = site.now - 2 * 3600,
                                  .n_articles = 7,
                                  .n_outlets = 6};
    td_web_html_init(&h, 1 << 20);
    td_web_view_story_list(&h, &site, "Top stories", &s, 1);
    ASSERT_OK(h.err);
    ASSERT_CONTAINS(h.buf.buf, "<a href=\"/stories/4\">Dam &lt;b&gt;breach&lt;/b&gt;</a>");
    ASSERT_CONTAINS(h.buf.buf, "Reuters, AP &amp; Co and 4 more</span> \xC2\xB7 <time datetime=");
    ASSERT_CONTAINS(h.buf.buf, ">2 hours ago</time>");
    td_web_html_release(&h);
    td_web_html_init(&h, 1 << 20);
    td_web_view_story_list(&h, &site, "Top stories", &s, 0);
    ASSERT_EQ(h.buf.len, 0);
    td_web_html_release(&h);

    struct td_web_article_view tl[2] = {{.id = 11,
                                         .title = "First <i>version</i>",
                                         .outlet_id = 8,
                                         .outlet = "AP & Co",
                                         .published = site.now - 5 * 3600},
                                        {.id = 12,
                                         .title = "Second",
                                         .outlet_id = 9,
                                         .outlet = "Reuters",
                                         .teaser = "More.",
                                         .published = site.now - 3600}};
    const struct td_web_article_view *outlets[] = {&tl[0], &tl[1]};
    struct td_web_story_page p = {
        .story = &s, .outlets = outlets, .n_outlets = 2, .timeline = tl, .n = 2};
    td_web_html_init(&h, 1 << 20);
    td_web_view_story(&h, &site, &p);
    ASSERT_OK(h.err);
    const char *order[] = {"<h1>Dam &lt;b&gt;breach&lt;/b&gt;</h1>",
                           "7 articles from 6 outlets",
                           "first seen <time datetime=",
                           "<li><a href=\"/outlets/8\">AP &amp; Co</a></li>",
                           "<li><a href=\"/outlets/9\">Reuters</a></li>",
                           "/stories/4/feed.atom",
                           "<h2>Timeline</h2>",
                           "<a href=\"/articles/11\">First &lt;i&gt;version&lt;/i&gt;</a>",
                           ">5 hours ago</time>",
                           "<a href=\"/articles/12\">Second</a>",
                           "<p class=\"teaser\">More.</p>"};
    const char *at = h.buf.buf;
    for (size_t i = 0; i < TD_ARRAY_SIZE(order); i++) {
        const char *f = strstr(at, order[i]);
        if (!f)
            fprintf(stderr, "# missing or out of order: %s\n", order[i]);
        ASSERT(f != NULL);
        at = f + strlen(order[i]);
    }
    td_web_html_release(&h);

    struct td_web_article_view art = {.id = 11, .title = "t", .also = "Coast <Wire>"};
    struct td_web_article_page ap = {.article = &art, .story_id = 4, .story_outlets = 6};
    td_web_html_init(&h, 1 << 20);
    td_web_view_article(&h, &site, &ap);
    ASSERT_CONTAINS(h.buf.buf, "<a href=\"/stories/4\">6 outlets cover this story</a>");
    td_web_html_release(&h);
    td_web_html_init(&h, 1 << 20);
    td_web_view_article_list(&h, &site, NULL, &art, 1, "");
    ASSERT_CONTAINS(h.buf.buf, "Also published by Coast &lt;Wire&gt;");
    td_web_html_release(&h);
    td_arena_release(&a);
}

static void test_view_keypoints_and_tags(void)
{
    struct td_web_article_view a = {.id = 4, .title = "T", .body_text = "Body text here."};
    const char *points[] = {"First <b>point</b>.", "Second & last point."};
    struct td_web_tag_view tags[] = {{.term = "City Hall", .slug = "city-hall"},
                                     {.term = "<i>Z\xC3\xBCrich</i>", .slug = "z\xC3\xBCrich"}};
    struct td_web_article_page p = {.article = &a,
                                    .listen = true,
                                    .keypoints = points,
                                    .n_keypoints = 2,
                                    .tags = tags,
                                    .n_tags = 2};
    struct td_web_html h;

    td_web_html_init(&h, 1 << 20);
    td_web_view_article(&h, &site, &p);
    ASSERT_OK(h.err);
    const char *s = h.buf.buf;
    const char *order[] = {
        "<p>Body text here.</p>",
        "<h2 id=\"keypoints-h\">Key points</h2>",
        "<li>First &lt;b&gt;point&lt;/b&gt;.</li>",
        "<li>Second &amp; last point.</li>",
        "<audio controls",
        "<a href=\"/tags/city-hall\" rel=\"tag\">City Hall</a>",
        "<a href=\"/tags/z%C3%BCrich\" rel=\"tag\">&lt;i&gt;Z\xC3\xBCrich&lt;/i&gt;</a>",
    };
    for (size_t i = 0; i < TD_ARRAY_SIZE(order); i++) {
        const char *at = strstr(s, order[i]);
        if (!at) {
            fprintf(stderr, "# missing or out of order: %s\n", order[i]);
            ASSERT(at);
        }
        s = at + strlen(order[i]);
    }
    td_web_html_release(&h);

    /* No key points, no tags: no section, no heading, no placeholder. */
    p.n_keypoints = 0;
    p.n_tags = 0;
    td_web_html_init(&h, 1 << 20);
    td_web_view_article(&h, &site, &p);
    ASSERT_NOT_CONTAINS(h.buf.buf, "Key points");
    ASSERT_NOT_CONTAINS(h.buf.buf, "keypoints");
    ASSERT_NOT_CONTAINS(h.buf.buf, "rel=\"tag\"");
    td_web_html_release(&h);

    /* Popular tags in the header. */
    struct td_web_page page = {.title = "Home", .topics = tags, .n_topics = 1};
    td_web_html_init(&h, 1 << 20);
    td_web_view_begin(&h, &site, &page);
    ASSERT_CONTAINS(h.buf.buf, "<nav class=\"topics\" aria-label=\"Popular tags\"><ul><li>"
                               "<a href=\"/tags/city-hall\" rel=\"tag\">City Hall</a>");
    td_web_html_release(&h);

    /* A story page: its key points under the headline, escaped; none, no section. */
    struct td_web_story_view sv = {.id = 3, .headline = "H", .n_articles = 2, .n_outlets = 2};
    struct td_web_story_page sp = {.story = &sv, .keypoints = points, .n_keypoints = 2};
    td_web_html_init(&h, 1 << 20);
    td_web_view_story(&h, &site, &sp);
    ASSERT_CONTAINS(h.buf.buf, "<h2 id=\"keypoints-h\">Key points</h2>\n<ul>\n"
                               "<li>First &lt;b&gt;point&lt;/b&gt;.</li>");
    ASSERT(strstr(h.buf.buf, "Key points") < strstr(h.buf.buf, "Timeline"));
    td_web_html_release(&h);
    sp.n_keypoints = 0;
    td_web_html_init(&h, 1 << 20);
    td_web_view_story(&h, &site, &sp);
    ASSERT_NOT_CONTAINS(h.buf.buf, "Key points");
    td_web_html_release(&h);
}

static void test_view_hostile_urls(void)
{
    struct td_web_article_view a = {.id = 1,
                                    .title = "t",
                                    .url = "javascript:alert(1)",
                                    .image_url = "javascript:alert(2)",
                                    .image_caption = "\" onerror=\"alert(3)"};
    struct td_web_article_page p = {.article = &a};
    struct td_web_html h;

    td_web_html_init(&h, 1 << 20);
    td_web_view_article(&h, &site, &p);
    ASSERT_NOT_CONTAINS(h.buf.buf, "javascript:");
    ASSERT_NOT_CONTAINS(h.buf.buf, "<img");
    ASSERT_NOT_CONTAINS(h.buf.buf, "Read the original");
    td_web_html_release(&h);
}

static void test_view_comments(void)
{
    struct td_web_comment_view c[] = {
        {.id = 1,
         .user = "<i>eve</i>",
         .created = site.now - 60,
         .body = "see https://ok.example/a?b=1&c=2. and <script>alert(1)</script>\nline two "
                 "javascript:alert(1) \"https://x.example/\"onmouseover=alert(1)"},
        {.id = 2, .user = "me", .created = site.now - 7200, .body = "mine", .own = true},
    };
    struct td_web_article_view a = {.id = 5, .title = "t"};
    struct td_web_article_page p = {
        .article = &a,
        .comments = {.items = c, .n = 2, .signed_in = true, .csrf = "abc"},
    };
    struct td_web_html h;

    td_web_html_init(&h, 1 << 20);
    td_web_view_article(&h, &site, &p);
    ASSERT_OK(h.err);
    ASSERT_NOT_CONTAINS(h.buf.buf, "<script>");
    ASSERT_NOT_CONTAINS(h.buf.buf, "<i>eve");
    ASSERT_NOT_CONTAINS(h.buf.buf, "No comments yet");
    ASSERT_NOT_CONTAINS(h.buf.buf, "\"onmouseover");
    ASSERT_CONTAINS(h.buf.buf,
                    "<a rel=\"nofollow ugc noopener\" href=\"https://ok.example/a?b=1&amp;c=2\">"
                    "https://ok.example/a?b=1&amp;c=2</a>. and &lt;script&gt;");
    ASSERT_CONTAINS(h.buf.buf, "<br>line two javascript:alert(1)");
    ASSERT_CONTAINS(h.buf.buf, "action=\"/comments/2/edit\"");
    ASSERT_NOT_CONTAINS(h.buf.buf, "action=\"/comments/1/edit\"");
    ASSERT_CONTAINS(h.buf.buf, "action=\"/articles/5/comments\"");
    ASSERT_CONTAINS(h.buf.buf, ">a minute ago</time>");
    td_web_html_release(&h);
}

static void test_view_list_and_pager(void)
{
    struct td_web_html h;

    td_web_html_init(&h, 1 << 20);
    td_web_view_article_list(&h, &site, "Latest", NULL, 0, "Nothing <here>.");
    ASSERT_CONTAINS(h.buf.buf, "<h2>Latest</h2>");
    ASSERT_CONTAINS(h.buf.buf, "<p class=\"empty\">Nothing &lt;here&gt;.</p>");
    td_buf_reset(&h.buf);
    td_web_view_pager(&h, "/search", "a&b \"c\"", 2, true);
    ASSERT_CONTAINS(h.buf.buf, "href=\"/search?q=a%26b%20%22c%22&amp;page=1\"");
    ASSERT_CONTAINS(h.buf.buf, "href=\"/search?q=a%26b%20%22c%22&amp;page=3\"");
    td_buf_reset(&h.buf);
    td_web_view_pager(&h, "/", NULL, 1, false);
    ASSERT_EQ(h.buf.len, 0);
    td_web_html_release(&h);
}

static void test_marked(void)
{
    struct td_web_html h;

    td_web_html_init(&h, 1024);
    td_web_html_marked(&h,
                       "a \x02<b>\x03 c \x03 d \x02"
                       "e",
                       '\x02', '\x03');
    ASSERT_STR_EQ(h.buf.buf, "a <mark>&lt;b&gt;</mark> c  d <mark>e</mark>");
    td_web_html_release(&h);
}

static void test_query_operators(void)
{
    struct td_web_query q;

    ASSERT_OK(td_web_query_parse("  Putin \"spy memo\" -china OUTLET:\"Daily News\" "
                                 "after:2026-03-01 before:2026-04-01 10:30 re:",
                                 &q));
    ASSERT_STR_EQ(q.text.buf, "Putin \"spy memo\" -china 10:30 re:");
    ASSERT_STR_EQ(q.outlet, "Daily News");
    ASSERT_EQ(q.after, 1772323200);  /* 2026-03-01T00:00:00Z */
    ASSERT_EQ(q.before, 1775001600); /* 2026-04-01T00:00:00Z */
    ASSERT(td_web_query_has_filters(&q));
    td_web_query_release(&q);

    ASSERT_OK(td_web_query_parse("outlet:Reuters", &q));
    ASSERT_STR_EQ(q.outlet, "Reuters");
    ASSERT_STR_EQ(q.text.buf, "");
    td_web_query_release(&q);

    ASSERT_OK(td_web_query_parse("\"unterminated phrase", &q));
    ASSERT_STR_EQ(q.text.buf, "\"unterminated phrase");
    ASSERT(!td_web_query_has_filters(&q));
    td_web_query_release(&q);

    ASSERT_EQ(td_web_query_parse("after:2026-02-30", &q), TD_EINVAL);
    ASSERT(q.error != NULL);
    td_web_query_release(&q);
    ASSERT_EQ(td_web_query_parse("before:yesterday", &q), TD_EINVAL);
    td_web_query_release(&q);
    ASSERT_EQ(td_web_query_parse("outlet:", &q), TD_EINVAL);
    td_web_query_release(&q);

    ASSERT_OK(td_web_query_parse("rail TAG:\"City Hall\" tagline", &q));
    ASSERT_STR_EQ(q.tag, "City Hall");
    ASSERT_STR_EQ(q.text.buf, "rail tagline");
    ASSERT(td_web_query_has_filters(&q));
    td_web_query_release(&q);
    ASSERT_EQ(td_web_query_parse("tag:", &q), TD_EINVAL);
    td_web_query_release(&q);

    char big[TD_WEB_QUERY_MAX + 2];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ASSERT_EQ(td_web_query_parse(big, &q), TD_ETOOBIG);
    td_web_query_release(&q);

    time_t t;
    ASSERT_OK(td_web_parse_date("2024-02-29", 10, &t));
    ASSERT_EQ(t, 1709164800);
    ASSERT_EQ(td_web_parse_date("2023-02-29", 10, &t), TD_EPARSE);
    ASSERT_EQ(td_web_parse_date("1969-12-31", 10, &t), TD_EPARSE);
    ASSERT_OK(td_web_parse_date("1970-01-01", 10, &t));
    ASSERT_EQ(t, 0);
}

/* The text of the first element called `name` under `node`, or NULL. */
static xmlNode *child(xmlNode *node, const char *name)
{
    for (xmlNode *c = node ? node->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
            return c;
    return NULL;
}

static void test_atom_is_valid_xml(void)
{
    struct td_web_article_view a[] = {
        {.id = 7,
         .title = "Tom & Jerry <script>alert(1)</script> \x01\x1f ok",
         .url = "https://outlet.example/a?x=1&y=2",
         .outlet = "Daily \"News\"",
         .published = 1772500000,
         .teaser = "It's <b>bold</b>."},
        {.id = 8, .title = NULL, .url = "javascript:alert(1)"},
    };
    struct td_web_feed_meta m = {.title = "Search: a&b",
                                 .base_url = "http://127.0.0.1:8080",
                                 .self_path = "/search.atom",
                                 .html_path = "/search",
                                 .query = "a&b <c>",
                                 .updated = 1772500000};
    struct td_web_html h;

    td_web_html_init(&h, 1 << 20);
    td_web_atom(&h, &m, a, 2);
    ASSERT_OK(h.err);
    xmlDoc *doc = xmlReadMemory(h.buf.buf, (int)h.buf.len, "feed.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    ASSERT(doc != NULL);
    xmlNode *feed = xmlDocGetRootElement(doc);
    ASSERT_STR_EQ((const char *)feed->name, "feed");
    ASSERT_STR_EQ((const char *)feed->ns->href, "http://www.w3.org/2005/Atom");
    ASSERT(child(feed, "id") && child(feed, "updated") && child(feed, "title"));
    int entries = 0;
    for (xmlNode *e = feed->children; e; e = e->next) {
        if (e->type != XML_ELEMENT_NODE || strcmp((const char *)e->name, "entry"))
            continue;
        entries++;
        ASSERT(child(e, "id") && child(e, "title") && child(e, "updated") && child(e, "author"));
    }
    ASSERT_EQ(entries, 2);
    xmlChar *title = xmlNodeGetContent(child(child(feed, "entry"), "title"));
    ASSERT_STR_EQ((const char *)title,
                  "Tom & Jerry <script>alert(1)</script> \xEF\xBF\xBD\xEF\xBF\xBD ok");
    xmlFree(title);
    xmlFreeDoc(doc);
    ASSERT_CONTAINS(h.buf.buf, "href=\"http://127.0.0.1:8080/search.atom?q=a%26b%20%3Cc%3E\"");
    ASSERT_CONTAINS(h.buf.buf, "<link rel=\"related\" type=\"text/html\" "
                               "href=\"https://outlet.example/a?x=1&amp;y=2\"/>");
    ASSERT_NOT_CONTAINS(h.buf.buf, "javascript:");
    td_web_html_release(&h);
}

static void test_opml_is_valid_xml(void)
{
    struct td_web_opml_feed f[] = {
        {.outlet = "A & B",
         .title = "Feed <1>",
         .xml_url = "https://a.example/rss?x=1&y=2",
         .html_url = "https://a.example/"},
        {.xml_url = "https://b.example/atom"},
    };
    struct td_web_html h;

    td_web_html_init(&h, 1 << 20);
    td_web_opml(&h, "tidings outlets", 1772500000, f, 2);
    xmlDoc *doc = xmlReadMemory(h.buf.buf, (int)h.buf.len, "o.opml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    ASSERT(doc != NULL);
    xmlNode *body = child(xmlDocGetRootElement(doc), "body");
    xmlNode *o = child(body, "outline");
    ASSERT(o != NULL);
    xmlChar *url = xmlGetProp(o, (const xmlChar *)"xmlUrl");
    ASSERT_STR_EQ((const char *)url, "https://a.example/rss?x=1&y=2");
    xmlFree(url);
    xmlFreeDoc(doc);
    ASSERT_CONTAINS(h.buf.buf, "<dateCreated>Tue, 03 Mar 2026 01:06:40 GMT</dateCreated>");
    ASSERT_CONTAINS(h.buf.buf, "text=\"https://b.example/atom\"");
    td_web_html_release(&h);
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    ASSERT(d != NULL);
    while ((de = readdir(d)))
        n += de->d_name[0] == 'a';
    closedir(d);
    return n;
}

static void test_listen_cache(void)
{
    char dir[] = "/tmp/td-listen-XXXXXX";
    ASSERT(mkdtemp(dir) != NULL);
    char sub[64];
    snprintf(sub, sizeof(sub), "%s/cache", dir);
    struct td_web_listen l = {.dir = sub, .dir_cap = 1 << 20, .file_cap = 1 << 20};
    struct td_buf a = TD_BUF_INIT(1 << 20), b = TD_BUF_INIT(1 << 20);
    bool hit = true;

    ASSERT_OK(td_web_listen_get(&l, 1, "Hello there. This is the news.", "en", &a, &hit));
    ASSERT(!hit);
    ASSERT_GT(a.len, 100);
    ASSERT_OK(td_web_listen_get(&l, 1, "Hello there. This is the news.", "en", &b, &hit));
    ASSERT(hit);
    ASSERT_EQ(a.len, b.len);
    ASSERT_MEM_EQ(a.buf, b.buf, a.len);
    ASSERT_EQ(count_files(sub), 1);

    /* Changed text: new audio, and a directory cap below two files evicts the older. */
    l.dir_cap = a.len + a.len / 2;
    td_buf_reset(&b);
    ASSERT_OK(td_web_listen_get(&l, 1, "Hello there. This is the updated news.", "en", &b, &hit));
    ASSERT(!hit);
    ASSERT_EQ(count_files(sub), 1);
    td_buf_reset(&a);
    ASSERT_OK(td_web_listen_get(&l, 1, "Hello there. This is the updated news.", "en", &a, &hit));
    ASSERT(hit);

    /* A file cap below the audio size refuses. */
    l.file_cap = 50;
    td_buf_reset(&b);
    ASSERT_EQ(td_web_listen_get(&l, 2, "Another article entirely.", "en", &b, &hit), TD_ETOOBIG);
    ASSERT_EQ(b.len, 0);
    td_buf_release(&a);
    td_buf_release(&b);
    td_tts_shutdown();
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ASSERT_OK(system(cmd));
}

static void test_auth_passwords_and_tokens(void)
{
    char hash[TD_AUTH_PWHASH_MAX], t1[TD_AUTH_TOKEN_LEN + 1], t2[TD_AUTH_TOKEN_LEN + 1];
    char h1[TD_AUTH_HASH_HEX_LEN + 1], c1[TD_AUTH_HASH_HEX_LEN + 1];

    ASSERT_OK(td_auth_init());
    ASSERT_OK(td_auth_password_hash("correct horse", hash));
    ASSERT(!strncmp(hash, "$argon2id$", 10));
    ASSERT(td_auth_password_verify(hash, "correct horse"));
    ASSERT(!td_auth_password_verify(hash, "correct hors"));
    ASSERT(!td_auth_password_verify("garbage", "correct horse"));

    td_auth_token(t1);
    td_auth_token(t2);
    ASSERT_EQ(strlen(t1), TD_AUTH_TOKEN_LEN);
    ASSERT(strcmp(t1, t2) != 0);
    td_auth_token_hash(t1, h1);
    ASSERT_EQ(strlen(h1), TD_AUTH_HASH_HEX_LEN);
    ASSERT(strcmp(h1, t1) != 0);

    td_auth_csrf(t1, c1);
    ASSERT(td_auth_csrf_ok(t1, c1));
    ASSERT(!td_auth_csrf_ok(t2, c1));
    ASSERT(!td_auth_csrf_ok(t1, ""));
    ASSERT(!td_auth_csrf_ok("", c1));
    ASSERT(!td_auth_csrf_ok(t1, NULL));
    c1[0] = c1[0] == 'a' ? 'b' : 'a';
    ASSERT(!td_auth_csrf_ok(t1, c1));
}

static void test_ratelimit(void)
{
    struct td_ratelimit *rl = td_ratelimit_new(3, 60);
    time_t now = 1000;

    ASSERT_OK(td_auth_init());
    ASSERT(!td_ratelimit_blocked(rl, "ip:1", now));
    ASSERT(td_ratelimit_hit(rl, "ip:1", now));
    ASSERT(td_ratelimit_hit(rl, "ip:1", now));
    ASSERT(td_ratelimit_hit(rl, "ip:1", now + 1));
    ASSERT(td_ratelimit_blocked(rl, "ip:1", now + 1));
    ASSERT(!td_ratelimit_hit(rl, "ip:1", now + 2));
    ASSERT(!td_ratelimit_blocked(rl, "ip:2", now + 2));
    ASSERT(!td_ratelimit_blocked(rl, "ip:1", now + 60)); /* a new window */
    /* Many keys: the table stays bounded and keeps working. */
    char key[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(key, sizeof(key), "ip:x%d", i);
        td_ratelimit_hit(rl, key, now + 100);
    }
    ASSERT(td_ratelimit_hit(rl, "ip:fresh", now + 100));
    td_ratelimit_free(rl);
    td_ratelimit_free(NULL);
}

static void test_plain_text(void)
{
    struct td_arena a;

    td_arena_init(&a);
    ASSERT_STR_EQ(td_web_plain_text(&a,
                                    "<p>Tom &amp; Jerry&#39;s <b>big</b>\n  day&#x21;</p>"
                                    "<script>var x = '<p>no</p>';</script><p>Next&nbsp;one"
                                    " &bogus; &#0; &#xD800;</p>",
                                    1000),
                  "Tom & Jerry's big day! Next one &bogus; \xEF\xBF\xBD \xEF\xBF\xBD");
    ASSERT_STR_EQ(td_web_plain_text(&a, "<style>p{}</style>ok", 100), "ok");
    ASSERT_STR_EQ(td_web_plain_text(&a, NULL, 100), "");
    ASSERT_STR_EQ(td_web_plain_text(&a, "unclosed <tag", 100), "unclosed");
    /* Cut at a word with an ellipsis, never inside a UTF-8 sequence. */
    ASSERT_STR_EQ(td_web_plain_text(&a, "alpha beta gamma delta", 12), "alpha beta\xE2\x80\xA6");
    char *cut = td_web_plain_text(&a, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 5);
    ASSERT(td_web_utf8_ok(cut, strlen(cut)));
    td_arena_release(&a);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_escape),
    TAP_TEST(test_escape_cap_is_sticky),
    TAP_TEST(test_url_ok),
    TAP_TEST(test_reltime),
    TAP_TEST(test_router),
    TAP_TEST(test_form),
    TAP_TEST(test_view_chrome_escapes),
    TAP_TEST(test_view_article_order),
    TAP_TEST(test_view_hostile_urls),
    TAP_TEST(test_view_keypoints_and_tags),
    TAP_TEST(test_view_stories),
    TAP_TEST(test_view_comments),
    TAP_TEST(test_view_list_and_pager),
    TAP_TEST(test_marked),
    TAP_TEST(test_query_operators),
    TAP_TEST(test_atom_is_valid_xml),
    TAP_TEST(test_opml_is_valid_xml),
    TAP_TEST(test_listen_cache),
    TAP_TEST(test_auth_passwords_and_tokens),
    TAP_TEST(test_ratelimit),
    TAP_TEST(test_plain_text),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
