/*
 * test_extract.c - td_extract through the real parser: the seed page,
 * metadata sources and their priorities, URL resolution, caption/credit
 * splitting, and hostile or empty input.
 */
#include "base/compat.h"
#include "base/buf.h"
#include "base/error.h"
#include "extract/extract.h"
#include "harness/tap.h"

#include <time.h>

static const char *fixtures; /* tests/extract/fixtures, from argv[1] */

static char *load(const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", fixtures, name);
    FILE *f = fopen(path, "rb");
    ASSERT(f);
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ASSERT_OK(td_buf_append(&b, chunk, n));
    fclose(f);
    return td_buf_detach(&b, len);
}

static void extract_str(const char *html, const char *base, struct td_article *a)
{
    struct td_extract_opts o = {.base_url = base};
    ASSERT_OK(td_extract(html, strlen(html), &o, a));
}

static const char *const seed_paragraphs[] = {
    ("Despite warm public rhetoric, a confidential document from Russia's Federal Security "
     "Service (FSB) reveals deep suspicion of China"),
    "As per a report by The New York Times, an undisclosed FSB intelligence unit",
    "The FSB's internal eight-page memo, reviewed and verified by six Western intelligence",
    "It was reportedly authored in late 2023 or early 2024 and obtained by the hacker group",
    "'China is the enemy,' intelligence officers from the FSB's 7th Service",
    "the FSB launched a new counterintelligence program codenamed Entente-4 just days before",
    "The memo warns officers not to publicly refer to China as a threat",
    "now-defunct projects like the Soviet-era ekranoplan.",
    "'Priority recruitment is given to former employees…experiencing financial difficulties,'",
    "Chinese intelligence has targeted Russians with Chinese spouses, used WeChat",
    "Though Russia depends on China for oil exports, technology, and sanctions-busting trade",
    "The FSB accuses Chinese researchers of promoting historical ties to areas like Vladivostok",
    "The memo also warns of Beijing's growing soft-power strategy in Central Asia",
    "Still, the FSB advises caution: any moves against China require high-level clearance",
    "The document also reveals that Russia is not merely defending itself",
    "This suggests a strategic effort by Moscow to manage Beijing's internal assessment",
    "According to Carnegie analyst Alexander Gabuev, as cited by the New York Times",
};

static const char *const seed_boilerplate[] = {
    "Taboola",
    "Sponsored Links",
    "Promoted Links",
    "You May Like",
    "Memperdagangkan",
    "IC Markets",
    "Mendaftar",
    "Undo",
    "Orange background",
    "Try Our AI Features",
    "Explore what Daily8",
    "Comments",
    "No comments yet",
    "Related Articles",
    "rare earth magnet",
    "Musk Launches",
    "Warbird",
    "Business Standard",
    "DOWNLOAD THE APP",
    "Download the App",
    "Ready to dive",
    "app-store",
    "5 hours ago",
    "File photo",
    "Picture credit",
    "We use cookies",
    "Facebook",
    "All rights reserved",
    "Home",
};

static void test_seed_page(void)
{
    size_t len;
    char *html = load("seed.html", &len);
    struct td_article a;
    struct td_extract_opts o = {.base_url = "https://daily8.example/news/x"};
    ASSERT_OK(td_extract(html, len, &o, &a));
    for (size_t i = 0; i < TD_ARRAY_SIZE(seed_paragraphs); i++)
        ASSERT_CONTAINS(a.text, seed_paragraphs[i]);
    for (size_t i = 0; i < TD_ARRAY_SIZE(seed_boilerplate); i++) {
        ASSERT_NOT_CONTAINS(a.text, seed_boilerplate[i]);
        ASSERT_NOT_CONTAINS(a.html, seed_boilerplate[i]);
    }
    /* Paragraphs are separated by exactly one blank line. */
    ASSERT_CONTAINS(a.text, "the enemy.'\n\nAs per a report");
    ASSERT_NOT_CONTAINS(a.text, "\n\n\n");
    ASSERT_STR_EQ(a.image.caption,
                  "File photo: Chinese President Xi Jinping and Russian President Vladimir Putin");
    ASSERT_STR_EQ(a.image.credit, "AP");
    ASSERT_STR_EQ(a.image.url, "https://daily8.example/photos/xi-putin-file.jpg");
    ASSERT_STR_EQ(a.image.alt, "Xi Jinping and Vladimir Putin"); /* the figure's own img */
    ASSERT_CONTAINS(a.title, "China is the enemy");
    ASSERT_NOT_CONTAINS(a.title, "Daily8");
    ASSERT_STR_EQ(a.site_name, "Time of India");
    ASSERT_STR_EQ(a.published, "2025-06-08T10:00:00+05:30");
    ASSERT_STR_EQ(a.language, "en");
    ASSERT_STR_EQ(a.url,
                  "https://daily8.example/news/china-is-the-enemy-leaked-russian-intelligence");
    ASSERT_CONTAINS(a.html, "<blockquote><p>");
    ASSERT_CONTAINS(a.html, "codenamed <strong>Entente-4</strong> just");
    ASSERT_GT(a.word_count, 500);
    ASSERT_LT(a.word_count, 650);
    td_article_release(&a);
    free(html);
}

/* Article paragraphs shared by the synthetic pages below. */
#define BODY                                                                                       \
    "<p>The council voted on Tuesday to expand the city's bus network, adding four routes "        \
    "that will connect the northern suburbs with the central station, officials said.</p>"         \
    "<p>Supporters argued that the change, which costs about 12 million euros, would cut "         \
    "commuting times by a third, while critics questioned the projected ridership.</p>"            \
    "<p>Construction is expected to begin next spring, and the first buses could run by the "      \
    "end of the year, according to the transport department.</p>"

static void test_jsonld_graph(void)
{
    struct td_article a;
    extract_str("<html><head><script type=\"application/ld+json\">"
                "{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"WebSite\","
                "\"name\":\"Site\"},{\"@type\":[\"NewsArticle\"],\"headline\":\"Buses expand\","
                "\"datePublished\":\"2024-03-05T08:15:00Z\",\"dateModified\":\"2024-03-05 "
                "10:00:00+01:00\",\"author\":[{\"@type\":\"Person\",\"name\":\"Ana Ruiz\"},"
                "{\"name\":\"Bo Chen\"}],\"image\":[\"/img/bus.jpg\"],\"publisher\":{\"name\":"
                "\"City Times\"},\"inLanguage\":\"es\"}]}</script>"
                "<meta property=\"og:title\" content=\"OG title\"></head><body>" BODY
                "</body></html>",
                "https://news.example/a/b.html", &a);
    ASSERT_STR_EQ(a.title, "Buses expand");
    ASSERT_EQ(a.n_authors, 2);
    ASSERT_STR_EQ(a.authors[0], "Ana Ruiz");
    ASSERT_STR_EQ(a.authors[1], "Bo Chen");
    ASSERT_STR_EQ(a.published, "2024-03-05T08:15:00+00:00");
    ASSERT_STR_EQ(a.modified, "2024-03-05T10:00:00+01:00");
    ASSERT_STR_EQ(a.image.url, "https://news.example/img/bus.jpg");
    ASSERT_STR_EQ(a.site_name, "City Times");
    ASSERT_STR_EQ(a.language, "es");
    ASSERT_CONTAINS(a.text, "Construction is expected");
    td_article_release(&a);
}

static void test_og_fallbacks_and_base(void)
{
    struct td_article a;
    extract_str("<html lang=de_DE><head><base href=\"https://cdn.example/root/\">"
                "<title>Fallback title | Site</title>"
                "<meta property=\"og:title\" content=\"  OG  title \">"
                "<meta name=\"twitter:image\" content=\"pics/t.jpg\">"
                "<meta name=\"author\" content=\"Jo Doe\">"
                "<meta name=\"description\" content=\"Plain description\">"
                "<meta property=\"article:published_time\" content=\"Tue, 05 Mar 2024 08:15:00 "
                "+0200\"><link rel=canonical href=\"../canon/page\"></head><body>" BODY
                "<p>Read <a href=\"more/x.html\">the report</a> for details.</p></body></html>",
                "https://news.example/a/b.html", &a);
    ASSERT_STR_EQ(a.title, "OG title");
    ASSERT_STR_EQ(a.image.url, "https://cdn.example/root/pics/t.jpg");
    ASSERT_STR_EQ(a.url, "https://cdn.example/canon/page");
    ASSERT_EQ(a.n_authors, 1);
    ASSERT_STR_EQ(a.authors[0], "Jo Doe");
    ASSERT_STR_EQ(a.description, "Plain description");
    ASSERT_STR_EQ(a.published, "2024-03-05T08:15:00+02:00");
    ASSERT_STR_EQ(a.language, "de-DE");
    ASSERT_CONTAINS(a.html, "<a href=\"https://cdn.example/root/more/x.html\">the report</a>");
    ASSERT(a.image.alt == NULL);
    td_article_release(&a);

    /* og:image:alt describes og:image; a figure of another picture lends it no alt. */
    extract_str("<html><head><meta property=\"og:image\" content=\"/card.jpg\">"
                "<meta property=\"og:image:alt\" content=\" A red  tram \">"
                "<meta name=\"twitter:image:alt\" content=\"Not this\"></head><body><article>"
                "<h1>Head</h1><figure><img src=\"/card.jpg\" alt=\"Figure alt\"><figcaption>"
                "Trams return. Photo: AP</figcaption></figure>" BODY "</article></body></html>",
                "https://x.example/", &a);
    ASSERT_STR_EQ(a.image.url, "https://x.example/card.jpg");
    ASSERT_STR_EQ(a.image.alt, "A red tram");
    td_article_release(&a);
    extract_str("<html><head><meta property=\"og:image\" content=\"/card.jpg\"></head><body>"
                "<article><h1>Head</h1><figure><img src=\"/other.jpg\" alt=\"Another picture\">"
                "<figcaption>Trams return. Photo: AP</figcaption></figure>" BODY
                "</article></body></html>",
                "https://x.example/", &a);
    ASSERT_STR_EQ(a.image.url, "https://x.example/card.jpg");
    ASSERT(a.image.alt == NULL);
    td_article_release(&a);

    extract_str("<html><head><title>Only the title - Site</title></head><body>"
                "<time datetime=\"2023-11-02\">Nov 2</time>" BODY "</body></html>",
                NULL, &a);
    ASSERT_STR_EQ(a.title, "Only the title");
    ASSERT_STR_EQ(a.published, "2023-11-02T00:00:00+00:00");
    ASSERT(a.url == NULL);
    ASSERT_STR_EQ(a.language, "en"); /* guessed from the words */
    td_article_release(&a);
}

static void caption(const char *html_caption, const char *want_caption, const char *want_credit)
{
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_buf_printf(&b,
                            "<html><body><article><h1>Head</h1><figure><img src=\"/a.jpg\">"
                            "<figcaption>%s</figcaption></figure>" BODY "</article></body></html>",
                            html_caption));
    struct td_article a;
    extract_str(b.buf, "https://x.example/", &a);
    if (want_caption)
        ASSERT_STR_EQ(a.image.caption, want_caption);
    else
        ASSERT(a.image.caption == NULL);
    if (want_credit)
        ASSERT_STR_EQ(a.image.credit, want_credit);
    else
        ASSERT(a.image.credit == NULL);
    ASSERT_STR_EQ(a.image.url, "https://x.example/a.jpg");
    if (want_caption)
        ASSERT_NOT_CONTAINS(a.text, want_caption);
    td_article_release(&a);
    td_buf_release(&b);
}

static void test_caption_credit(void)
{
    caption("File photo: X and Y (Picture credit: AP)", "File photo: X and Y", "AP");
    caption("Protesters gather in the square. Photo: Reuters", "Protesters gather in the square.",
            "Reuters");
    caption("The new bridge at dusk. Credit: Jane Smith/City Times", "The new bridge at dusk.",
            "Jane Smith/City Times");
    caption("A view of the harbour © John Doe", "A view of the harbour", "John Doe");
    caption("Firefighters at the scene (AP Photo/Mark Lennihan)", "Firefighters at the scene",
            "AP Photo/Mark Lennihan");
    caption("Soldiers on patrol near the border / AFP", "Soldiers on patrol near the border",
            "AFP");
    caption("The minister speaks to reporters. Getty Images", "The minister speaks to reporters.",
            "Getty Images");
    caption("Foto: dpa", NULL, "dpa");
    caption("A quiet street in the old town", "A quiet street in the old town", NULL);
}

static void test_byline_and_prompts(void)
{
    struct td_article a;
    extract_str("<html><body><article><h1>Buses</h1><p>By Jane Doe and John Roe</p>" BODY
                "<p>Get the latest updates in your inbox. Subscribe to our newsletter.</p>"
                "<p>Tags: buses, transport, city</p></article></body></html>",
                NULL, &a);
    ASSERT_EQ(a.n_authors, 1);
    ASSERT_STR_EQ(a.authors[0], "Jane Doe and John Roe");
    ASSERT_NOT_CONTAINS(a.text, "Jane Doe");
    ASSERT_NOT_CONTAINS(a.text, "newsletter");
    ASSERT_NOT_CONTAINS(a.text, "Tags");
    ASSERT_CONTAINS(a.text, "The council voted");
    td_article_release(&a);

    /* A post embedded in a "social" box is quoted content; a share bar is not. */
    extract_str("<html><body><article>" BODY "<div class=\"social-media-embed\"><blockquote "
                "class=\"twitter-tweet\"><p>Finally a bus to the northern suburbs, what a "
                "relief for everyone who commutes</p>— Rider (@rider) <a href=\"/s/1\">March "
                "5, 2024</a></blockquote></div><div class=\"social-share\"><a href=\"/f\">"
                "Share on Facebook</a> <a href=\"/t\">Share on Twitter</a></div>"
                "</article></body></html>",
                NULL, &a);
    ASSERT_CONTAINS(a.text, "Finally a bus to the northern suburbs");
    ASSERT_NOT_CONTAINS(a.text, "Share on");
    td_article_release(&a);

    /* A page wrapped in one big form (ASP.NET) keeps its article. */
    extract_str("<html><body><form id=\"aspnetForm\"><div class=\"nav\"><a href=/a>Home</a>"
                "</div>" BODY "<p>More text, with commas, in the same form, to make the form "
                "the best box.</p><form><input name=q><button>Search</button></form></form>"
                "</body></html>",
                NULL, &a);
    ASSERT_CONTAINS(a.text, "The council voted");
    ASSERT_CONTAINS(a.text, "More text, with commas");
    td_article_release(&a);

    /* Boilerplate labels in other scripts and cases. */
    extract_str("<html><body><article>" BODY "<p>ЧИТАЙТЕ ТАКЖЕ:</p><p>À lire aussi</p>"
                "<div><h3>Lesen Sie auch</h3><p>Ein anderer Artikel über Busse, Bahnen und "
                "die Stadt, mit einem kurzen Anriss.</p></div></article></body></html>",
                NULL, &a);
    ASSERT_NOT_CONTAINS(a.text, "ЧИТАЙТЕ");
    ASSERT_NOT_CONTAINS(a.text, "lire aussi");
    ASSERT_NOT_CONTAINS(a.text, "Lesen Sie auch");
    ASSERT_NOT_CONTAINS(a.text, "anderer Artikel");
    ASSERT_CONTAINS(a.text, "The council voted");
    td_article_release(&a);

    /* Link edges part Japanese from Latin words, never Latin from Latin. */
    extract_str("<html><body><article><p>パスワード管理ソフト<a href=\"/k\">KeePass</a>の起動シ"
                "ョートカットキーと同じなのです。これは長い文章です、本当に。</p><p>All "
                "<a href=\"/m\">MacBook</a>s ship with the new keyboard, the company said, and "
                "more models follow next year.</p></article></body></html>",
                NULL, &a);
    ASSERT_CONTAINS(a.text, "ソフト KeePass の");
    /* 41 kana and ideographs, "KeePass" and 16 words of English. */
    ASSERT_EQ(a.word_count, 41 + 1 + 16);
    ASSERT_CONTAINS(a.text, "All MacBooks ship");
    td_article_release(&a);
}

static void test_jsonld_body_fallback(void)
{
    /* A script-built page: the markup has no body, the JSON-LD has it. */
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_buf_append_c(&b, "<html><head><script type=\"application/ld+json\">"
                                  "{\"@type\":\"NewsArticle\",\"headline\":\"H\","
                                  "\"articleBody\":\""));
    for (int i = 0; i < 6; i++)
        ASSERT_OK(td_buf_printf(&b,
                                "Paragraph %d of the story, long enough to read as prose "
                                "& to count <for> the fallback.\\n",
                                i));
    ASSERT_OK(td_buf_append_c(&b, "\"}</script></head><body><div id=app>Loading</div>"
                                  "</body></html>"));
    struct td_article a;
    extract_str(b.buf, NULL, &a);
    ASSERT_CONTAINS(a.text, "Paragraph 0 of the story");
    ASSERT_CONTAINS(a.text, "fallback.\n\nParagraph 1");
    ASSERT_CONTAINS(a.html, "<p>Paragraph 5 of the story, long enough to read as prose &amp; "
                            "to count &lt;for&gt; the fallback.</p>");
    ASSERT_NOT_CONTAINS(a.text, "Loading");
    td_article_release(&a);
    td_buf_release(&b);
}

static void test_bad_inputs(void)
{
    struct td_article a;
    ASSERT_EQ(td_extract("", 0, NULL, &a), TD_EEMPTY);
    ASSERT_EQ(td_extract("  \n\t ", 5, NULL, &a), TD_EEMPTY);
    ASSERT_EQ(td_extract("x", (size_t)TD_EXTRACT_MAX_INPUT + 1, NULL, &a), TD_ETOOBIG);
    td_article_release(&a); /* never filled: must be harmless */
    td_article_release(NULL);

    const char junk[] = "\x01\x7f<<>></ </ <p <a href=\"javascript:x\">&#0;&#xD800;&bogus;";
    ASSERT_OK(td_extract(junk, sizeof(junk) - 1, NULL, &a));
    ASSERT(a.text && a.html);
    td_article_release(&a);

    /* A page with no article: navigation and a footer only. */
    extract_str("<html><body><nav><a href=/a>Home</a> <a href=/b>World</a></nav>"
                "<footer>© 2024 Example</footer></body></html>",
                NULL, &a);
    ASSERT_STR_EQ(a.text, "");
    ASSERT_EQ(a.word_count, 0);
    td_article_release(&a);
}

static void test_deep_nesting(void)
{
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_buf_append_c(&b, "<html><body>" BODY));
    for (int i = 0; i < 100000; i++)
        ASSERT_OK(td_buf_append_c(&b, "<div>"));
    ASSERT_OK(td_buf_append_c(&b, "deep"));
    for (int i = 0; i < 100000; i++)
        ASSERT_OK(td_buf_append_c(&b, "</div>"));
    struct td_article a;
    clock_t t0 = clock();
    ASSERT_OK(td_extract(b.buf, b.len, NULL, &a));
    ASSERT((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    ASSERT_CONTAINS(a.text, "The council voted");
    td_article_release(&a);
    td_buf_release(&b);
}

static void test_jsonld_invalid_and_weird(void)
{
    struct td_article a;
    extract_str("<html><head><script type=\"application/ld+json\">{not json</script>"
                "<script type=\"application/ld+json\">[1, \"x\", {\"@type\": 5}, "
                "{\"@type\":\"BlogPosting\",\"headline\":[\"Listed\"],\"author\":\"Al\"}]"
                "</script></head><body>" BODY "</body></html>",
                NULL, &a);
    ASSERT_STR_EQ(a.title, "Listed");
    ASSERT_EQ(a.n_authors, 1);
    ASSERT_STR_EQ(a.authors[0], "Al");
    td_article_release(&a);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_seed_page),
    TAP_TEST(test_jsonld_graph),
    TAP_TEST(test_og_fallbacks_and_base),
    TAP_TEST(test_caption_credit),
    TAP_TEST(test_byline_and_prompts),
    TAP_TEST(test_jsonld_body_fallback),
    TAP_TEST(test_bad_inputs),
    TAP_TEST(test_deep_nesting),
    TAP_TEST(test_jsonld_invalid_and_weird),
    TAP_END,
};

int main(int argc, char **argv)
{
    fixtures = argc > 1 ? argv[1] : "tests/extract/fixtures";
    return tap_run(tests);
}
