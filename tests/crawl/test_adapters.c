/*
 * The crawler's adapters between modules: feed discovery in pages, feed
 * entries made fit for the store (escaping, URL normalization, caps) and
 * extraction of a page whose charset only its <meta> names.
 */
#include "base/compat.h"
#include "base/error.h"
#include "crawl/internal.h"

#include "harness/tap.h"

static void test_discover_links(void)
{
    const char *html =
        "<html><head><base href=\"https://example.org/news/\">"
        "<link rel=\"stylesheet\" type=\"text/css\" href=\"/s.css\">"
        "<link rel=\"Shortcut Icon\" href=\"img/fav.png\"><link rel=\"icon\" href=\"/second.png\">"
        "<link rel=\"ALTERNATE nofollow\" type=\"application/RSS+xml\" href=\"rss.xml\">"
        "<link rel=\"alternate\" type=\"application/atom+xml; charset=utf-8\" "
        "href=\"https://example.org/atom\">"
        "<link rel=\"alternate\" type=\"text/html\" hreflang=\"fr\" href=\"/fr/\">"
        "<link rel=\"alternate\" type=\"application/feed+json\" href=\"javascript:alert(1)\">"
        "</head><body><a rel=\"alternate\" type=\"application/feed+json\" href=\"/feed.json\">"
        "JSON</a></body></html>";
    struct td_buf out = TD_BUF_INIT(1 << 16);
    struct td_buf icon = TD_BUF_INIT(4096);
    size_t n = 0;

    ASSERT_OK(td_crawl_discover(html, strlen(html), "text/html", "https://example.org/", &out, &n,
                                &icon));
    ASSERT_EQ(n, 3);
    /* The first icon link wins, resolved against <base href>. */
    ASSERT_STR_EQ(icon.buf, "https://example.org/news/img/fav.png");
    const char *p = out.buf;
    ASSERT_STR_EQ(p, "https://example.org/news/rss.xml");
    p += strlen(p) + 1;
    ASSERT_STR_EQ(p, "https://example.org/atom");
    p += strlen(p) + 1;
    ASSERT_STR_EQ(p, "https://example.org/feed.json");
    td_buf_release(&out);

    n = 7;
    td_buf_reset(&icon);
    ASSERT_OK(td_crawl_discover("<p>nothing", 10, NULL, "https://example.org/", &out, &n, &icon));
    ASSERT_EQ(n, 0);
    ASSERT_EQ(icon.len, 0);
    td_buf_release(&out);
    td_buf_release(&icon);
}

static void test_clip_and_norm(void)
{
    struct td_arena a;
    struct td_buf b = TD_BUF_INIT(4096);

    td_arena_init(&a);
    /* "é" is two bytes: a cut inside it backs up to before it. */
    ASSERT_STR_EQ(td_crawl_clip(&a, "caf\xc3\xa9", 4), "caf");
    ASSERT_STR_EQ(td_crawl_clip(&a, "caf\xc3\xa9", 5), "caf\xc3\xa9");
    /* Invalid bytes are repaired to U+FFFD. */
    ASSERT_STR_EQ(td_crawl_clip(&a,
                                "a\xff"
                                "b",
                                100),
                  "a\xef\xbf\xbd"
                  "b");
    ASSERT(td_crawl_clip(&a, "", 10) == NULL);
    ASSERT(td_crawl_clip(&a, NULL, 10) == NULL);
    td_arena_release(&a);

    ASSERT_OK(td_crawl_url_norm("HTTP://Example.ORG:80/a/../b?x=1#frag", &b));
    ASSERT_STR_EQ(b.buf, "http://example.org/b?x=1");
    td_buf_reset(&b);
    ASSERT_EQ(td_crawl_url_norm("ftp://example.org/", &b), TD_EINVAL);
    ASSERT_EQ(td_crawl_url_norm("/relative", &b), TD_EINVAL);
    ASSERT_EQ(b.len, 0);
    td_buf_release(&b);
}

static void test_doc_entries(void)
{
    const char *rss =
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
        "<link>https://example.org/</link><ttl>45</ttl>"
        "<item><title>One</title><guid>https://example.org/one#top</guid>"
        "<description>a &lt; b &amp; c</description>"
        "<media:thumbnail xmlns:media=\"http://search.yahoo.com/mrss/\" "
        "url=\"https://img.example.org/1.jpg\"/></item>"
        "<item><title>Two</title><link>/two</link><author>x@example.org (Ann)</author>"
        "<pubDate>sometime last week</pubDate></item>"
        "<item><title>Future</title><link>https://example.org/f</link>"
        "<pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>"
        "</channel></rss>";
    struct td_crawl_doc doc;
    char why[128];

    ASSERT_OK(td_crawl_doc_parse(rss, strlen(rss), "https://example.org/feed", NULL, NULL,
                                 1700000000, &doc, why, sizeof(why)));
    ASSERT_STR_EQ(doc.title, "T");
    ASSERT_STR_EQ(doc.site_url, "https://example.org/");
    ASSERT_EQ(doc.ttl_minutes, 45);
    ASSERT_EQ(doc.n_entries, 3);
    /* A permalink guid serves as the page URL, without its fragment. */
    ASSERT_STR_EQ(doc.entries[0].url, "https://example.org/one");
    ASSERT_STR_EQ(doc.entries[0].image_url, "https://img.example.org/1.jpg");
    ASSERT_CONTAINS(doc.entries[0].summary_html, "a &lt; b &amp; c");
    ASSERT_STR_EQ(doc.entries[1].url, "https://example.org/two");
    ASSERT_EQ(doc.entries[1].published, 0);
    /* Future dates are clamped to the fetch time and flagged. */
    ASSERT_EQ(doc.entries[2].published, 1700000000);
    ASSERT(doc.entries[2].date_clamped);
    td_crawl_doc_release(&doc);

    ASSERT_EQ(td_crawl_doc_parse("<html><body>hi</body></html>", 28, "https://example.org/",
                                 "text/html", NULL, 1700000000, &doc, why, sizeof(why)),
              TD_EPARSE);
    ASSERT_CONTAINS(why, "not a feed");
    td_crawl_doc_release(&doc);
}

static void test_doc_html_title(void)
{
    const char *atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title>"
                       "<entry><id>tag:x,1</id><link href=\"https://example.org/1\"/>"
                       "<title type=\"html\">Q&amp;amp;A &lt;em&gt;live&lt;/em&gt;</title>"
                       "</entry></feed>";
    struct td_crawl_doc doc;
    char why[128];

    ASSERT_OK(td_crawl_doc_parse(atom, strlen(atom), "https://example.org/feed", NULL, NULL,
                                 1700000000, &doc, why, sizeof(why)));
    ASSERT_EQ(doc.n_entries, 1);
    ASSERT_STR_EQ(doc.entries[0].title, "Q&A live");
    ASSERT_STR_EQ(doc.entries[0].key, "tag:x,1");
    td_crawl_doc_release(&doc);
}

static void test_page_extract(void)
{
    /* windows-1252 bytes, named only by <meta>: "café" with é = 0xE9. */
    const char *html = "<html><head><meta charset=\"windows-1252\"><title>X</title></head>"
                       "<body><article><h1>Caf\xe9 news</h1>"
                       "<p>The caf\xe9 opened on Monday with a long queue of customers waiting "
                       "outside in the cold morning air for their first coffee.</p>"
                       "<p>Its owner said the neighbourhood had waited years for a place like "
                       "this, and that more tables would follow in the spring.</p>"
                       "</article></body></html>";
    struct td_crawl_page page;

    td_crawl_page_extract(html, strlen(html), "text/html", "https://example.org/a", &page);
    ASSERT(page.error == NULL);
    ASSERT_CONTAINS(page.text, "The caf\xc3\xa9 opened on Monday");
    ASSERT_GT(page.word_count, 20);
    td_crawl_page_release(&page);

    td_crawl_page_extract("", 0, NULL, "https://example.org/b", &page);
    ASSERT(page.error != NULL);
    td_crawl_page_release(&page);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_discover_links), TAP_TEST(test_clip_and_norm), TAP_TEST(test_doc_entries),
    TAP_TEST(test_doc_html_title), TAP_TEST(test_page_extract),  TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
