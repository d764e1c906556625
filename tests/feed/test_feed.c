/*
 * Unit tests for the feed module: every format into the one model, the
 * repairs broken feeds need, entry identity, dates, sanitizing, caps, and
 * OPML both ways.  Fixtures are written here by hand.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/utf8.h"
#include "feed/feed.h"

#include "harness/tap.h"

#include <jansson.h>
#include <pthread.h>

static struct td_feed *parse_opts(const char *doc, const struct td_feed_opts *o)
{
    struct td_feed *f = NULL;
    int err = td_feed_parse(doc, strlen(doc), o, &f);
    if (err) {
        fprintf(stderr, "# parse failed: %s\n", td_strerror(err));
        exit(1);
    }
    return f;
}

static struct td_feed *parse(const char *doc)
{
    struct td_feed_opts o = {.url = "https://example.org/feed/", .now = 2000000000};
    return parse_opts(doc, &o);
}

static void test_rss20(void)
{
    struct td_feed *f = parse(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
        "     xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
        "     xmlns:media=\"http://search.yahoo.com/mrss/\"\n"
        "     xmlns:atom=\"http://www.w3.org/2005/Atom\">\n"
        "<channel><title>Example News</title><link>https://example.org/</link>\n"
        "<description>All the news</description><language>en-us</language><ttl>30</ttl>\n"
        "<atom:link rel=\"hub\" href=\"https://hub.example.net/\"/>\n"
        "<atom:link rel=\"self\" href=\"/feed/\"/>\n"
        "<image><url>/logo.png</url><title>Logo</title><link>https://example.org/</link></image>\n"
        "<lastBuildDate>Thu, 01 Jan 2004 19:48:21 GMT</lastBuildDate>\n"
        "<item><title>First</title><link>/a/1</link><guid isPermaLink=\"false\">id-1</guid>\n"
        "<description>&lt;p&gt;Summary&lt;/p&gt;</description>\n"
        "<content:encoded><![CDATA[<p>Body <b>bold</b></p>]]></content:encoded>\n"
        "<dc:creator>Jane Doe</dc:creator><category>World</category><category>Politics</category>\n"
        "<pubDate>Sat, 28 Oct 2023 08:28:28 +0200</pubDate>\n"
        "<enclosure url=\"https://cdn.example.org/a.mp3\" length=\"1234\" type=\"audio/mpeg\"/>\n"
        "<media:thumbnail url=\"https://cdn.example.org/t.jpg\" width=\"120\" height=\"80\"/>\n"
        "<media:credit>Photo: AP</media:credit><media:description>A caption</media:description>\n"
        "</item></channel></rss>\n");
    ASSERT_EQ(f->version, TD_FEED_RSS20);
    ASSERT(!f->bozo);
    ASSERT_STR_EQ(f->title.value, "Example News");
    ASSERT_STR_EQ(f->link, "https://example.org/");
    ASSERT_STR_EQ(f->subtitle.value, "All the news");
    ASSERT_STR_EQ(f->language, "en-us");
    ASSERT_EQ(f->ttl, 30);
    ASSERT_STR_EQ(f->hub, "https://hub.example.net/");
    ASSERT_STR_EQ(f->self, "https://example.org/feed/");
    ASSERT_STR_EQ(f->image.href, "https://example.org/logo.png");
    ASSERT_STR_EQ(f->image.title, "Logo");
    ASSERT_EQ(f->updated.t, 1072986501);
    ASSERT_EQ(f->n_entries, 1);
    const struct td_feed_entry *e = &f->entries[0];
    ASSERT_STR_EQ(e->title.value, "First");
    ASSERT_STR_EQ(e->link, "https://example.org/a/1");
    ASSERT_STR_EQ(e->id, "id-1");
    ASSERT_STR_EQ(e->key, "id-1");
    ASSERT_STR_EQ(e->summary.type, "text/html");
    ASSERT_CONTAINS(e->summary.value, "Summary");
    ASSERT_EQ(e->n_content, 1);
    ASSERT_CONTAINS(e->content[0].value, "<strong>bold</strong>");
    ASSERT_STR_EQ(e->author, "Jane Doe");
    ASSERT_EQ(e->n_tags, 2);
    ASSERT_STR_EQ(e->tags[1].term, "Politics");
    ASSERT_EQ(e->published.t, 1698474508);
    ASSERT_EQ(e->published.flags & TD_FEED_DATE_SET, TD_FEED_DATE_SET);
    ASSERT_EQ(e->n_enclosures, 1);
    ASSERT_STR_EQ(e->enclosures[0].url, "https://cdn.example.org/a.mp3");
    ASSERT_STR_EQ(e->enclosures[0].type, "audio/mpeg");
    ASSERT_EQ(e->enclosures[0].length, 1234);
    ASSERT_EQ(e->n_thumbnails, 1);
    ASSERT_STR_EQ(e->thumbnails[0].url, "https://cdn.example.org/t.jpg");
    ASSERT_EQ(e->thumbnails[0].width, 120);
    ASSERT_STR_EQ(e->media_credit, "Photo: AP");
    ASSERT_STR_EQ(e->media_description, "A caption");
    td_feed_free(f);
}

static void test_atom10(void)
{
    struct td_feed *f =
        parse("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\" "
              "xml:base=\"https://blog.example.com/\">\n"
              "<title type=\"text\">Le blog</title><subtitle "
              "type=\"html\">&lt;b&gt;sub&lt;/b&gt;</subtitle>\n"
              "<link href=\"/\"/><link rel=\"self\" href=\"/atom.xml\"/><id>urn:x</id>\n"
              "<updated>2003-12-13T18:30:02Z</updated>\n"
              "<author><name>Marie</name><email>m@example.com</email></author>\n"
              "<entry xml:base=\"posts/\"><title>Bonjour</title><link href=\"hello\"/>\n"
              "<id>tag:example.com,2003:1</id><published>2003-12-13T08:29:29-04:00</published>\n"
              "<updated>2003-12-13T18:30:02Z</updated>\n"
              "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Texte <a "
              "href=\"more\">plus</a></p></div></content>\n"
              "<category term=\"tech\" label=\"Tech\"/>\n"
              "<link rel=\"enclosure\" href=\"/a.mp3\" type=\"audio/mpeg\" length=\"99\"/>\n"
              "</entry></feed>");
    ASSERT_EQ(f->version, TD_FEED_ATOM10);
    ASSERT(!f->bozo);
    ASSERT_STR_EQ(f->title.value, "Le blog");
    ASSERT_STR_EQ(f->title.type, "text/plain");
    ASSERT_STR_EQ(f->subtitle.type, "text/html");
    ASSERT_STR_EQ(f->link, "https://blog.example.com/");
    ASSERT_STR_EQ(f->self, "https://blog.example.com/atom.xml");
    ASSERT_STR_EQ(f->language, "fr");
    ASSERT_STR_EQ(f->author, "Marie (m@example.com)");
    ASSERT_EQ(f->n_entries, 1);
    const struct td_feed_entry *e = &f->entries[0];
    ASSERT_STR_EQ(e->link, "https://blog.example.com/posts/hello");
    ASSERT_STR_EQ(e->key, "tag:example.com,2003:1");
    ASSERT_EQ(e->published.t, 1071318569);
    ASSERT_EQ(e->n_content, 1);
    /* inline XHTML: the wrapping div dropped, the relative link resolved */
    ASSERT_CONTAINS(e->content[0].value, "https://blog.example.com/posts/more");
    ASSERT_NOT_CONTAINS(e->content[0].value, "<div");
    ASSERT_STR_EQ(e->content[0].lang, "fr");
    ASSERT_EQ(e->n_tags, 1);
    ASSERT_STR_EQ(e->tags[0].label, "Tech");
    ASSERT_EQ(e->n_enclosures, 1);
    ASSERT_STR_EQ(e->enclosures[0].url, "https://blog.example.com/a.mp3");
    ASSERT_EQ(e->enclosures[0].length, 99);
    td_feed_free(f);
}

static void test_rdf_and_atom03(void)
{
    struct td_feed *f =
        parse("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
              "xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
              "<channel rdf:about=\"x\"><title>RDF</title><link>http://r.example/</link></channel>"
              "<item rdf:about=\"http://r.example/1\"><title>One</title>"
              "<link>http://r.example/1</link><dc:date>2004-01-01T00:00:00+01:00</dc:date></item>"
              "<item><title>Two</title><link>http://r.example/2</link></item></rdf:RDF>");
    ASSERT_EQ(f->version, TD_FEED_RSS10);
    ASSERT_EQ(f->n_entries, 2);
    ASSERT_STR_EQ(f->entries[1].link, "http://r.example/2");
    ASSERT_EQ(f->entries[0].updated.t, 1072911600);
    td_feed_free(f);

    f = parse("<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><title>Old</title>"
              "<entry><title mode=\"base64\">SGVsbG8=</title><issued>2003-12-31T10:14:55Z</issued>"
              "<link rel=\"alternate\" href=\"http://o.example/1\"/></entry></feed>");
    ASSERT_EQ(f->version, TD_FEED_ATOM03);
    ASSERT_STR_EQ(f->entries[0].title.value, "Hello");
    ASSERT_STR_EQ(f->entries[0].link, "http://o.example/1");
    td_feed_free(f);
}

static void test_rss_versions(void)
{
    static const struct {
        const char *doc;
        enum td_feed_version v;
    } cases[] = {
        {"<rss version=\"0.91\"><channel/></rss>", TD_FEED_RSS091U},
        {"<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" "
         "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\"><rss version=\"0.91\">"
         "<channel/></rss>",
         TD_FEED_RSS091N},
        {"<rss version=\"0.92\"><channel/></rss>", TD_FEED_RSS092},
        {"<rss version=\"0.94\"><channel/></rss>", TD_FEED_RSS094},
        {"<rss><channel/></rss>", TD_FEED_RSS},
        {"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
         "xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"><channel/></rdf:RDF>",
         TD_FEED_RSS090},
    };
    for (size_t i = 0; i < TD_ARRAY_SIZE(cases); i++) {
        struct td_feed *f = parse(cases[i].doc);
        ASSERT_EQ(f->version, cases[i].v);
        td_feed_free(f);
    }
    ASSERT_STR_EQ(td_feed_version_name(TD_FEED_RSS091U), "rss091u");
    ASSERT_STR_EQ(td_feed_version_name(TD_FEED_JSON11), "json11");
}

/*
 * The JSON reader replaced jansson and must accept exactly what
 * json_loadb() did, with the same values.  `doc` (valid UTF-8) is parsed
 * both ways; when jansson takes it as a feed, so must td_feed_parse, with
 * the first item's id as jansson read it.
 */
static void json_agrees(const char *doc, size_t len)
{
    json_t *root = json_loadb(doc, len, 0, NULL);
    json_t *items = json_object_get(root, "items"), *version = json_object_get(root, "version");
    bool feed = json_is_object(root) && ((json_is_string(version) && json_string_length(version)) ||
                                         json_is_integer(version) || json_is_array(items));
    struct td_feed_opts o = {.now = 2000000000, .flags = TD_FEED_NO_SANITIZE};
    struct td_feed *f = NULL;
    int err = td_feed_parse(doc, len, &o, &f);
    if ((err == 0) != feed)
        fprintf(stderr, "# jansson %s: %.*s\n", feed ? "accepts" : "refuses", (int)len, doc);
    ASSERT_EQ(err == 0, feed);
    json_t *first = json_array_get(items, 0), *id = json_object_get(first, "id");
    if (feed && json_is_object(first)) {
        char want[64] = "";
        if (json_is_string(id)) {
            struct td_str t =
                td_str_trim(td_str_make(json_string_value(id), json_string_length(id)));
            ASSERT_GE(f->n_entries, 1);
            ASSERT_EQ(strlen(f->entries[0].id), t.len);
            ASSERT_OK(memcmp(f->entries[0].id, t.ptr, t.len));
        } else {
            if (json_is_integer(id))
                snprintf(want, sizeof(want), "%lld", (long long)json_integer_value(id));
            ASSERT_GE(f->n_entries, 1);
            ASSERT_STR_EQ(f->entries[0].id, want);
        }
    }
    td_feed_free(f);
    json_decref(root);
}

static void json_value_agrees(const char *value)
{
    struct td_buf doc = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_buf_append_c(&doc, "{\"version\":\"1\",\"items\":[{\"id\":"));
    ASSERT_OK(td_buf_append_c(&doc, value));
    ASSERT_OK(td_buf_append_c(&doc, "}]}"));
    json_agrees(doc.buf, doc.len);
    td_buf_release(&doc);
}

static void test_json_reader_matches_jansson(void)
{
    static const char *const values[] = {
        "0",
        "-0",
        "01",
        "-01",
        "1.",
        ".5",
        "1.5",
        "-",
        "--1",
        "+1",
        "1e",
        "1e+",
        "1E5",
        "1e-5",
        "1.5e+3",
        "0x10",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "99999999999999999999",
        "1e308",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "1e309",
        "-1e400",
        "1e-400",
        "123abc",
        "1 2",
        "\"\"",
        "\"  padded  \"",
        "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
        "\"\\u00e9\\u20AC\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud83d\"",
        "\"\\ud83dx\"",
        "\"\\ud83d\\u0041\"",
        "\"\\ude00\"",
        "\"\\u0000\"",
        "\"\\u00\"",
        "\"\\u00zz\"",
        "\"\\x\"",
        "\"\\'\"",
        "\"tab\there\"",
        "\"nl\nhere\"",
        "\"unterminated",
        "\"caf\xc3\xa9\"",
        "true",
        "false",
        "null",
        "tru",
        "truex",
        "TRUE",
        "nul",
        "nullx",
        "[]",
        "[1,]",
        "[,1]",
        "[1 2]",
        "{}",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{a:1}",
        "{\"a\":1}",
        "[1,[2,[3]]]",
        "{\"id\":1}",
        "\f1",
        "1\f",
        "\xef\xbb\xbf"
        "1",
        "{\"\\u0000\":1}",
    };
    for (size_t i = 0; i < TD_ARRAY_SIZE(values); i++)
        json_value_agrees(values[i]);
    /* Repeated keys: the last wins. */
    static const char dup[] = "{\"version\":\"1\",\"items\":[{\"id\":\"a\",\"id\":\"b\"}]}";
    json_agrees(dup, sizeof(dup) - 1);
    /* Nesting around jansson's limit of 2048 values deep (the id sits at depth 4). */
    for (int depth = 2043; depth <= 2046; depth++) {
        struct td_buf v = TD_BUF_INIT(TD_BUF_NOCAP);
        for (int i = 0; i < depth; i++)
            ASSERT_OK(td_buf_append_ch(&v, '['));
        ASSERT_OK(td_buf_append_ch(&v, '1'));
        for (int i = 0; i < depth; i++)
            ASSERT_OK(td_buf_append_ch(&v, ']'));
        json_value_agrees(v.buf);
        td_buf_release(&v);
    }
    /* Random edits of a document that uses every construct. */
    static const char seed[] =
        "{\"version\":\"1.1\",\"items\":[{\"id\":\"x\\u00e9\\ud83d\\ude00 \","
        "\"n\":[1,-2.5e3,true,false,null,{}],\"s\":\"\\\"\\\\\\/\\b\\n\"},"
        "{\"id\":-12}],\"title\":\"t\"}";
    static const char alphabet[] = "{}[]:,\"\\u0123456789abcdefABCDEF.eE+-tnrls \t\n\x01\xc3\xa9";
    unsigned rnd = 12345;
    for (int it = 0; it < 20000; it++) {
        char doc[sizeof(seed) + 8];
        size_t len = sizeof(seed) - 1;
        memcpy(doc, seed, len);
        for (int edits = 1 + it % 3; edits > 0; edits--) {
            rnd = rnd * 1103515245 + 12345;
            size_t at = 1 + (rnd >> 8) % (len - 1);
            char c = alphabet[(rnd >> 20) % (sizeof(alphabet) - 1)];
            switch ((rnd >> 28) % 3) {
            case 0:
                doc[at] = c;
                break;
            case 1:
                if (len < sizeof(doc) - 1) {
                    memmove(doc + at + 1, doc + at, len - at);
                    doc[at] = c;
                    len++;
                }
                break;
            default:
                memmove(doc + at, doc + at + 1, len - at - 1);
                len--;
                break;
            }
        }
        struct td_buf clean = TD_BUF_INIT(TD_BUF_NOCAP);
        ASSERT_OK(td_utf8_sanitize(doc, len, &clean));
        json_agrees(clean.buf, clean.len);
        td_buf_release(&clean);
    }
}

static void test_json_feed(void)
{
    struct td_feed *f = parse(
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"J\","
        "\"home_page_url\":\"https://j.example/\",\"feed_url\":\"https://j.example/feed.json\","
        "\"authors\":[{\"name\":\"Ann\"}],\"language\":\"en\","
        "\"items\":[{\"id\":42,\"url\":\"https://j.example/42\",\"title\":\"T\","
        "\"content_html\":\"<p>Hi<script>alert(1)</script></p>\",\"tags\":[\"a\",\"b\"],"
        "\"date_published\":\"2020-02-02T02:02:02Z\","
        "\"attachments\":[{\"url\":\"https://j.example/a.mp3\",\"mime_type\":\"audio/mpeg\","
        "\"size_in_bytes\":10}]},"
        "{\"id\":\"42\",\"title\":\"duplicate id\"}]}");
    ASSERT_EQ(f->version, TD_FEED_JSON11);
    ASSERT_STR_EQ(f->title.value, "J");
    ASSERT_STR_EQ(f->link, "https://j.example/");
    ASSERT_STR_EQ(f->self, "https://j.example/feed.json");
    ASSERT_STR_EQ(f->author, "Ann");
    ASSERT_EQ(f->n_entries, 1);
    const struct td_feed_entry *e = &f->entries[0];
    ASSERT_STR_EQ(e->key, "42");
    ASSERT_EQ(e->n_tags, 2);
    ASSERT_EQ(e->n_enclosures, 1);
    ASSERT_EQ(e->enclosures[0].length, 10);
    ASSERT_EQ(e->published.t, 1580608922);
    ASSERT_NOT_CONTAINS(e->content[0].value, "script");
    td_feed_free(f);

    struct td_feed *g = NULL;
    ASSERT_EQ(td_feed_parse("{\"title\": 1", 11, NULL, &g), TD_EPARSE);
    ASSERT(g == NULL);
}

static void test_broken_feed_recovered(void)
{
    struct td_feed *f = parse("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                              "<rss version=\"2.0\"><channel><title>Caf&eacute; &amp; Bar &nbsp;"
                              "\x01</title>"
                              "<item><title>Tom & Jerry &hellip; &#150; &bogus;</title>"
                              "<link>http://b.example/?a=1&b=2</link>"
                              "<item><title>No end tags");
    ASSERT(f->bozo);
    ASSERT_STR_EQ(f->title.value, "Caf\xC3\xA9 & Bar \xC2\xA0");
    ASSERT_EQ(f->n_entries, 2);
    ASSERT_STR_EQ(f->entries[0].title.value, "Tom & Jerry \xE2\x80\xA6 \xE2\x80\x93 &bogus;");
    ASSERT_STR_EQ(f->entries[0].link, "http://b.example/?a=1&b=2");
    ASSERT_STR_EQ(f->entries[1].title.value, "No end tags");
    td_feed_free(f);
}

static void test_wrong_declared_encoding(void)
{
    /* Declares UTF-8 but is latin-1: decoded anyway, flagged. */
    struct td_feed *f =
        parse("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
              "<rss version=\"2.0\"><channel><title>Caf\xE9</title></channel></rss>");
    ASSERT(f->bozo);
    ASSERT_STR_EQ(f->title.value, "Caf\xC3\xA9");
    td_feed_free(f);
    /* Declared latin-1, honoured. */
    f = parse("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>"
              "<rss version=\"2.0\"><channel><title>Caf\xE9</title></channel></rss>");
    ASSERT(!f->bozo);
    ASSERT_STR_EQ(f->title.value, "Caf\xC3\xA9");
    td_feed_free(f);
}

static void test_no_external_entities(void)
{
    struct td_feed *f = parse("<?xml version=\"1.0\"?>\n"
                              "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">"
                              "<!ENTITY lol \"lol\">]>\n"
                              "<rss version=\"2.0\"><channel><title>&xxe;&lol;</title>"
                              "</channel></rss>");
    ASSERT_NOT_CONTAINS(f->title.value, "root:");
    /* The external entity stays literal text (and the feed is bozo); the literal one expands. */
    ASSERT_STR_EQ(f->title.value, "&xxe;lol");
    ASSERT(f->bozo);
    td_feed_free(f);

    /*
     * Entities that refer to entities are not expanded (no nesting, so no
     * billion laughs); parameter entities are ignored; quotes in a value
     * stay inside the attribute it is used in; the first declaration counts.
     */
    f = parse("<!DOCTYPE rss [<!ENTITY a \"x\"><!ENTITY b \"&a;&a;\">"
              "<!ENTITY % ext SYSTEM \"http://evil.example/x.dtd\"> %ext;"
              "<!ENTITY q 'say \"hi\"'><!ENTITY a \"second\">]>"
              "<rss version=\"2.0\"><channel><title>&a;&b;</title>"
              "<item><guid>g</guid><link>http://e.example/?&a;</link>"
              "<enclosure url=\"http://e.example/&a;.mp3\" type=\"&q;\"/></item></channel></rss>");
    ASSERT_STR_EQ(f->title.value, "x&b;");
    ASSERT_STR_EQ(f->entries[0].link, "http://e.example/?x");
    ASSERT_STR_EQ(f->entries[0].enclosures[0].url, "http://e.example/x.mp3");
    ASSERT_STR_EQ(f->entries[0].enclosures[0].type, "say \"hi\"");
    td_feed_free(f);

    /* A DOCTYPE whose entities all expand leaves a clean feed; Netscape's still names the version.
     */
    f = parse("<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" "
              "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\" [<!ENTITY co \"ACME\">]>"
              "<rss version=\"0.91\"><channel><title>&co; news</title></channel></rss>");
    ASSERT_STR_EQ(f->title.value, "ACME news");
    ASSERT_EQ(f->version, TD_FEED_RSS091N);
    ASSERT(!f->bozo);
    td_feed_free(f);
}

static void test_identity_and_duplicates(void)
{
    struct td_feed *f = parse("<rss version=\"2.0\"><channel>"
                              "<item><guid>g1</guid><title>A</title></item>"
                              "<item><guid>g1</guid><title>A again</title></item>"
                              "<item><link>http://k.example/2</link></item>"
                              "<item><title>Only a title</title>"
                              "<pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate></item>"
                              "<item><title>Only a title</title>"
                              "<pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate></item>"
                              "</channel></rss>");
    ASSERT_EQ(f->n_entries, 3);
    ASSERT_STR_EQ(f->entries[0].key, "g1");
    ASSERT_STR_EQ(f->entries[0].title.value, "A");
    ASSERT_STR_EQ(f->entries[1].key, "http://k.example/2");
    ASSERT(!strncmp(f->entries[2].key, "hash:", 5));
    char first[64];
    snprintf(first, sizeof(first), "%s", f->entries[2].key);
    td_feed_free(f);
    /* the hash key is stable across parses */
    f = parse("<rss version=\"2.0\"><channel><item><title>Only a title</title>"
              "<pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate></item></channel></rss>");
    ASSERT_STR_EQ(f->entries[0].key, first);
    td_feed_free(f);
}

static void test_future_dates_clamped(void)
{
    struct td_feed_opts o = {.now = 1700000000};
    struct td_feed *f =
        parse_opts("<rss version=\"2.0\"><channel><item><guid>x</guid>"
                   "<pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>"
                   "<item><guid>y</guid><pubDate>2023-01-01 10:00:00</pubDate></item>"
                   "</channel></rss>",
                   &o);
    ASSERT_EQ(f->entries[0].published.t, 1700000000);
    ASSERT(f->entries[0].published.flags & TD_FEED_DATE_FUTURE);
    ASSERT(f->entries[1].published.flags & TD_FEED_DATE_NOZONE);
    ASSERT_EQ(f->entries[1].published.t, 1672567200);
    td_feed_free(f);
    /* the default zone applies to zone-less dates */
    o.default_zone = "Europe/Berlin";
    f = parse_opts("<rss version=\"2.0\"><channel><item><guid>y</guid>"
                   "<pubDate>2023-01-01 10:00:00</pubDate></item></channel></rss>",
                   &o);
    ASSERT_EQ(f->entries[0].published.t, 1672567200 - 3600);
    td_feed_free(f);
}

static void test_sanitized_html(void)
{
    struct td_feed *f =
        parse("<rss version=\"2.0\"><channel><item><guid>s</guid><description>"
              "&lt;p onclick=\"x()\"&gt;ok&lt;script&gt;bad()&lt;/script&gt;"
              "&lt;a href=\"javascript:alert(1)\"&gt;j&lt;/a&gt;&lt;a href=\"/rel\"&gt;r&lt;/a&gt;"
              "&lt;iframe src=\"http://evil/\"&gt;&lt;/iframe&gt;&lt;/p&gt;"
              "</description></item></channel></rss>");
    const char *s = f->entries[0].summary.value;
    ASSERT_CONTAINS(s, "ok");
    ASSERT_NOT_CONTAINS(s, "script");
    ASSERT_NOT_CONTAINS(s, "onclick");
    ASSERT_NOT_CONTAINS(s, "javascript");
    ASSERT_NOT_CONTAINS(s, "iframe");
    ASSERT_CONTAINS(s, "https://example.org/rel");
    td_feed_free(f);
}

static void test_errors_and_caps(void)
{
    struct td_feed *f = NULL;
    ASSERT_EQ(td_feed_parse("", 0, NULL, &f), TD_EEMPTY);
    ASSERT_EQ(td_feed_parse("  \n", 3, NULL, &f), TD_EEMPTY);
    ASSERT_EQ(td_feed_parse("<html><body>hi</body></html>", 28, NULL, &f), TD_EPARSE);
    ASSERT_EQ(td_feed_parse("not xml at all", 14, NULL, &f), TD_EPARSE);
    ASSERT(f == NULL);
    ASSERT_EQ(td_feed_parse("<rss/>", (size_t)TD_FEED_MAX_BYTES + 1, NULL, &f), TD_ETOOBIG);
    td_feed_free(NULL);

    /* deep nesting is walked without harm */
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_buf_append_c(&b, "<rss version=\"2.0\"><channel><item><title>deep</title>"));
    for (int i = 0; i < 5000; i++)
        ASSERT_OK(td_buf_append_c(&b, "<x>"));
    ASSERT_OK(td_buf_append_c(&b, "</item></channel></rss>"));
    ASSERT_OK(td_feed_parse(b.buf, b.len, NULL, &f));
    ASSERT_EQ(f->n_entries, 1);
    ASSERT_STR_EQ(f->entries[0].title.value, "deep");
    td_feed_free(f);
    td_buf_release(&b);
}

static void test_json_output(void)
{
    struct td_feed *f = parse("<rss version=\"2.0\"><channel><title>T \"q\"</title>"
                              "<item><guid>g</guid><title>E</title>"
                              "<pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate>"
                              "<enclosure url=\"http://e.example/a\" type=\"audio/mpeg\" "
                              "length=\"5\"/></item></channel></rss>");
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &out));
    ASSERT_CONTAINS(out.buf, "\"version\":\"rss20\"");
    ASSERT_CONTAINS(out.buf, "\"bozo\":false");
    ASSERT_CONTAINS(out.buf, "\"title\":\"T \\\"q\\\"\"");
    ASSERT_CONTAINS(out.buf, "\"published\":\"2004-01-01T19:48:21Z\"");
    ASSERT_CONTAINS(out.buf, "\"published_parsed\":[2004,1,1,19,48,21,3,1,0]");
    ASSERT_CONTAINS(out.buf,
                    "\"enclosures\":[{\"href\":\"http://e.example/a\",\"type\":\"audio/mpeg\","
                    "\"length\":\"5\"}]");
    td_buf_release(&out);
    td_feed_free(f);
}

/* Feeds are parsed on crawler threads: several at once must not interfere. */
static void *parse_many(void *arg)
{
    const char *doc = "<rss version=\"2.0\"><channel><title>T</title><item><guid>g</guid>"
                      "<title>caf&eacute;</title><description>&lt;p&gt;x&lt;/p&gt;</description>"
                      "</item></channel></rss>";
    intptr_t ok = 1;
    for (int i = 0; i < 50; i++) {
        struct td_feed *f = NULL;
        if (td_feed_parse(doc, strlen(doc), NULL, &f) != 0 || f->n_entries != 1 ||
            strcmp(f->entries[0].title.value, "caf\xC3\xA9") != 0)
            ok = 0;
        td_feed_free(f);
    }
    (void)arg;
    return (void *)ok;
}

static void test_threads(void)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        ASSERT_OK(pthread_create(&t[i], NULL, parse_many, NULL));
    for (int i = 0; i < 4; i++) {
        void *ok;
        ASSERT_OK(pthread_join(t[i], &ok));
        ASSERT(ok == (void *)1);
    }
}

static const char opml_doc[] =
    "<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><head><title>My &amp; feeds</title></head>"
    "<body><outline text=\"Top\" xmlUrl=\"http://t.example/rss\" htmlUrl=\"http://t.example/\"/>"
    "<outline text=\"News\"><outline text=\"World\">"
    "<outline type=\"rss\" text=\"W1\" title=\"World One\" "
    "xmlUrl=\"http://w1.example/feed?a=1&amp;b=2\"/>"
    "</outline><outline text=\"N1\" xmlUrl=\"http://n1.example/atom\"/></outline>"
    "<outline text=\"Empty folder\"/>"
    "<outline text=\"Tagged\" xmlUrl=\"http://tag.example/rss\" category=\"/Boston/Weather\"/>"
    "<outline text=\"News\"><outline text=\"Both\" xmlUrl=\"http://both.example/rss\" "
    "category=\"tech,science\"/></outline>"
    "<outline text=\"NewsX\"><outline text=\"X\" xmlUrl=\"http://x.example/rss\"/></outline>"
    "</body></opml>";

/*
 * The libxml2 parser is kept per thread and reset between documents: no
 * state may leak from one document into the next, also across the
 * recreation that bounds its name dictionary and after an explicit cleanup.
 */
static void test_parser_reuse(void)
{
    const char *clean = "<rss version=\"2.0\"><channel><title>T</title>"
                        "<item><title>A</title></item></channel></rss>";
    struct td_feed *f =
        parse("<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" "
              "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\">"
              "<rss version=\"0.91\"><channel><title>N &bogus</title><item><title>x");
    ASSERT(f->bozo);
    ASSERT_EQ(f->version, TD_FEED_RSS091N);
    td_feed_free(f);
    f = parse(clean);
    ASSERT(!f->bozo);
    ASSERT_EQ(f->version, TD_FEED_RSS20);
    ASSERT_STR_EQ(f->title.value, "T");
    ASSERT_EQ(f->n_entries, 1);
    td_feed_free(f);
    /* Cut off in text, nothing to repair: parsed from the input as it is. */
    f = parse("<rss version=\"2.0\"><channel><title>Cut");
    ASSERT_STR_EQ(f->title.value, "Cut");
    td_feed_free(f);

    /* 30,000 distinct element names, past the dictionary bound. */
    struct td_buf doc = TD_BUF_INIT(4 << 20);
    for (int d = 0; d < 300; d++) {
        td_buf_reset(&doc);
        ASSERT_OK(td_buf_append_c(&doc, "<rss version=\"2.0\"><channel><title>T</title>"));
        for (int i = 0; i < 100; i++)
            ASSERT_OK(td_buf_printf(&doc, "<x%d_%d>v</x%d_%d>", d, i, d, i));
        ASSERT_OK(td_buf_printf(&doc, "<item><title>%d</title></item></channel></rss>", d));
        struct td_feed_opts o = {.now = 2000000000};
        ASSERT_OK(td_feed_parse(doc.buf, doc.len, &o, &f));
        char want[16];
        snprintf(want, sizeof(want), "%d", d);
        ASSERT(!f->bozo);
        ASSERT_EQ(f->n_entries, 1);
        ASSERT_STR_EQ(f->entries[0].title.value, want);
        td_feed_free(f);
    }
    /* Long names: past the dictionary's byte bound (1 MiB) long before its count. */
    for (int d = 0; d < 3; d++) {
        td_buf_reset(&doc);
        ASSERT_OK(td_buf_append_c(&doc, "<rss version=\"2.0\"><channel><title>L</title>"));
        for (int e = 0; e < 30; e++) {
            ASSERT_OK(td_buf_printf(&doc, "<x%d_%d", d, e));
            for (int i = 0; i < 40000; i++)
                ASSERT_OK(td_buf_append_ch(&doc, (char)('a' + i % 26)));
            ASSERT_OK(td_buf_append_c(&doc, "/>"));
        }
        ASSERT_OK(td_buf_append_c(&doc, "</channel></rss>"));
        struct td_feed_opts o = {.now = 2000000000};
        ASSERT_OK(td_feed_parse(doc.buf, doc.len, &o, &f));
        ASSERT(!f->bozo);
        ASSERT_STR_EQ(f->title.value, "L");
        td_feed_free(f);
    }
    td_buf_release(&doc);
    td_feed_thread_cleanup();
    td_feed_thread_cleanup();
    f = parse(clean);
    ASSERT_EQ(f->n_entries, 1);
    td_feed_free(f);
}

/* iTunes podcast elements: flags, categories and keywords as tags, images, the owner. */
static void test_itunes(void)
{
    struct td_feed *f = parse(
        "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">"
        "<channel><itunes:block>yes</itunes:block><itunes:explicit>clean</itunes:explicit>"
        "<itunes:keywords>news, tech,news</itunes:keywords>"
        "<itunes:category text=\"Arts\"><itunes:category text=\"Design\"/></itunes:category>"
        "<itunes:image url=\"http://p.example/c.png\"/>"
        "<itunes:owner><itunes:name>Ann</itunes:name><itunes:email>ann@p.example</itunes:email>"
        "</itunes:owner>"
        "<item><guid>1</guid><itunes:block>true</itunes:block>"
        "<itunes:explicit> yes </itunes:explicit>"
        "<itunes:link rel=\"image\" href=\"http://p.example/1.png\"/></item>"
        "<item><guid>2</guid><itunes:explicit>yes</itunes:explicit>"
        "<itunes:image href=\"/2.png\"/></item></channel></rss>");
    ASSERT_EQ(f->itunes_block, TD_FEED_FLAG_YES);
    ASSERT_EQ(f->itunes_explicit, TD_FEED_FLAG_NO);
    ASSERT_EQ(f->n_tags, 4);
    ASSERT_STR_EQ(f->tags[0].term, "news");
    ASSERT_STR_EQ(f->tags[0].scheme, "http://www.itunes.com/");
    ASSERT_STR_EQ(f->tags[1].term, "tech");
    ASSERT_STR_EQ(f->tags[2].term, "Arts");
    ASSERT_STR_EQ(f->tags[3].term, "Design");
    ASSERT_STR_EQ(f->image.href, "http://p.example/c.png");
    ASSERT_STR_EQ(f->publisher_detail.name, "Ann");
    ASSERT_STR_EQ(f->publisher_detail.email, "ann@p.example");
    ASSERT_EQ(f->n_entries, 2);
    /* Only an exact "yes" blocks; a padded value is not a yes. */
    ASSERT_EQ(f->entries[0].itunes_block, TD_FEED_FLAG_NO);
    ASSERT_EQ(f->entries[0].itunes_explicit, TD_FEED_FLAG_OTHER);
    ASSERT_STR_EQ(f->entries[0].image, "http://p.example/1.png");
    ASSERT_EQ(f->entries[1].itunes_block, TD_FEED_FLAG_ABSENT);
    ASSERT_EQ(f->entries[1].itunes_explicit, TD_FEED_FLAG_YES);
    ASSERT_STR_EQ(f->entries[1].image, "https://example.org/2.png");
    ASSERT_EQ(f->entries[1].n_thumbnails, 1);

    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &out));
    ASSERT_CONTAINS(out.buf, "\"itunes_block\":1,\"itunes_explicit\":false");
    ASSERT_CONTAINS(out.buf, "\"itunes_block\":0,\"itunes_explicit\":null");
    ASSERT_CONTAINS(out.buf, "\"image\":{\"href\":\"http://p.example/1.png\"}");
    ASSERT_CONTAINS(out.buf, "\"publisher_detail\":{\"name\":\"Ann\",\"email\":\"ann@p.example\"}");
    td_buf_release(&out);
    td_feed_free(f);

    /* A mistyped namespace URI bound to the usual prefix still means iTunes. */
    f = parse("<rss xmlns:itunes=\"http://example.com/DTDs/Podcast-1.0.dtd\"><channel>"
              "<itunes:block>yes</itunes:block></channel></rss>");
    ASSERT_EQ(f->itunes_block, TD_FEED_FLAG_YES);
    td_feed_free(f);
}

/* Microsoft CDF: upper-case elements, the link and dates in attributes, BASE. */
static void test_cdf(void)
{
    struct td_feed *f =
        parse("<CHANNEL BASE=\"http://cdf.example/\" HREF=\"/home\" "
              "LASTMOD=\"2004-04-06T23:05:43-05:00\"><TITLE>Chan</TITLE>"
              "<ABSTRACT>About</ABSTRACT>"
              "<ITEM HREF=\"/item/1\" LASTMOD=\"2004-04-07T00:00:00Z\"><TITLE>One</TITLE>"
              "<ABSTRACT>First</ABSTRACT></ITEM></CHANNEL>");
    ASSERT(!f->bozo);
    ASSERT_EQ(f->version, TD_FEED_CDF);
    ASSERT_STR_EQ(td_feed_version_name(f->version), "cdf");
    ASSERT_STR_EQ(f->title.value, "Chan");
    ASSERT_STR_EQ(f->subtitle.value, "About");
    ASSERT_STR_EQ(f->link, "http://cdf.example/home");
    ASSERT_EQ(f->n_links, 1);
    ASSERT_EQ(f->updated.t, 1081310743);
    ASSERT_EQ(f->n_entries, 1);
    ASSERT_STR_EQ(f->entries[0].title.value, "One");
    ASSERT_STR_EQ(f->entries[0].summary.value, "First");
    ASSERT_STR_EQ(f->entries[0].summary.base, "http://cdf.example/");
    ASSERT_STR_EQ(f->entries[0].link, "http://cdf.example/item/1");
    ASSERT_STR_EQ(f->entries[0].updated.raw, "2004-04-07T00:00:00Z");
    td_feed_free(f);
}

/* Atom 0.3's info, generator attributes and rights as a text construct. */
static void test_atom_details(void)
{
    struct td_feed *f =
        parse("<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\" xml:lang=\"en_US\">"
              "<info type=\"text/plain\">About</info>"
              "<generator url=\"http://g.example/\" version=\"2.65\">Gen</generator>"
              "<copyright type=\"text/plain\" xml:lang=\"fr\">(c) me</copyright>"
              "<entry><title xml:lang=\"\">T</title><created>2004-01-01T00:00:00Z</created>"
              "</entry></feed>");
    ASSERT_STR_EQ(f->language, "en-US");
    ASSERT_STR_EQ(f->subtitle.value, "About");
    ASSERT_STR_EQ(f->subtitle.type, "text/plain");
    ASSERT_STR_EQ(f->generator, "Gen");
    ASSERT_STR_EQ(f->generator_href, "http://g.example/");
    ASSERT_STR_EQ(f->generator_version, "2.65");
    ASSERT_STR_EQ(f->rights, "(c) me");
    ASSERT_STR_EQ(f->rights_detail.type, "text/plain");
    ASSERT_STR_EQ(f->rights_detail.lang, "fr");
    ASSERT_STR_EQ(f->entries[0].created.raw, "2004-01-01T00:00:00Z");
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &out));
    ASSERT_CONTAINS(out.buf,
                    "\"generator_detail\":{\"name\":\"Gen\",\"href\":\"http://g.example/\","
                    "\"version\":\"2.65\"}");
    ASSERT_CONTAINS(out.buf, "\"rights_detail\":{\"type\":\"text/plain\",\"value\":\"(c) me\","
                             "\"language\":\"fr\"");
    /* An empty xml:lang clears the language. */
    ASSERT_CONTAINS(out.buf, "\"title_detail\":{\"type\":\"text/plain\",\"value\":\"T\","
                             "\"language\":null");
    td_buf_release(&out);
    td_feed_free(f);

    /* A <feed version=...> in a namespace we do not know is still Atom 0.3. */
    f = parse("<feed version=\"0.3\" xmlns=\"http://example.com/newformat#\"><title>X</title>"
              "</feed>");
    ASSERT_EQ(f->version, TD_FEED_ATOM03);
    ASSERT_STR_EQ(f->title.value, "X");
    td_feed_free(f);

    /* atom:logo is the image and, under feedparser's name, the logo. */
    f = parse("<feed xmlns=\"http://www.w3.org/2005/Atom\"><logo>/l.png</logo></feed>");
    ASSERT_STR_EQ(f->logo, "https://example.org/l.png");
    ASSERT_STR_EQ(f->image.href, f->logo);
    struct td_buf json = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &json));
    ASSERT_CONTAINS(json.buf, "\"logo\":\"https://example.org/l.png\"");
    td_buf_release(&json);
    td_feed_free(f);
}

/* RSS extras: case-blind names, publishers, contributors, links, dates, languages. */
static void test_rss_details(void)
{
    struct td_feed *f =
        parse("<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
              "xmlns:dcterms=\"http://purl.org/dc/terms/\"><channel><TiTlE>T</TiTlE>"
              "<link>http://r.example/</link><author>Ed (ed@r.example)</author>"
              "<webMaster>web@r.example (Web)</webMaster>"
              "<dc:contributor>Con</dc:contributor>"
              "<dcterms:created>2003-12-31T10:14:55Z</dcterms:created>"
              "<copyright>(c) r</copyright>"
              "<item><link>http://r.example/1</link><dc:language>de</dc:language>"
              "<dc:publisher>Pub</dc:publisher>"
              "<expirationDate>Thu, 01 Jan 2004 19:48:21 GMT</expirationDate>"
              "<fullitem>&lt;p&gt;Full&lt;/p&gt;</fullitem></item></channel></rss>");
    ASSERT_STR_EQ(f->title.value, "T");
    ASSERT_EQ(f->n_links, 1);
    ASSERT_STR_EQ(f->links[0].rel, "alternate");
    ASSERT_STR_EQ(f->author, "Ed (ed@r.example)");
    ASSERT_STR_EQ(f->publisher_detail.name, "Web");
    ASSERT_STR_EQ(f->publisher_detail.email, "web@r.example");
    ASSERT_EQ(f->n_contributors, 1);
    ASSERT_STR_EQ(f->contributors[0].name, "Con");
    ASSERT_STR_EQ(f->created.raw, "2003-12-31T10:14:55Z");
    ASSERT_STR_EQ(f->rights_detail.value, "(c) r");
    ASSERT_STR_EQ(f->rights_detail.type, "text/plain");
    struct td_feed_entry *e = &f->entries[0];
    ASSERT_EQ(e->n_links, 1);
    ASSERT_STR_EQ(e->links[0].href, "http://r.example/1");
    ASSERT_STR_EQ(e->language, "de");
    ASSERT_STR_EQ(e->publisher, "Pub");
    ASSERT_EQ(e->expired.t, 1072986501);
    ASSERT_EQ(e->n_content, 1);
    ASSERT_STR_EQ(e->content[0].value, "<p>Full</p>");
    td_feed_free(f);

    /* Userland's other RSS namespaces are plain RSS. */
    f = parse("<rss xmlns=\"http://backend.userland.com/rss\"><channel><description>D"
              "</description></channel></rss>");
    ASSERT_STR_EQ(f->subtitle.value, "D");
    td_feed_free(f);
}

/* RSS <cloud>, <textInput> (channel level and RSS 1.0's top level) and <docs>. */
static void test_cloud_textinput_docs(void)
{
    struct td_feed *f =
        parse("<rss version=\"2.0\"><channel><title>C</title><docs>/spec</docs>"
              "<cloud domain=\"ping.c.example\" port=\"8080\" path=\"/notify\" "
              "registerProcedure=\"hub.subscribe\" protocol=\"http-post\"/>"
              "<textInput><title>Look up</title><description>Search the archive</description>"
              "<name>q</name><link>/search</link></textInput></channel></rss>");
    ASSERT_STR_EQ(f->title.value, "C");
    ASSERT_STR_EQ(f->subtitle.value, "");
    ASSERT_STR_EQ(f->docs, "https://example.org/spec");
    ASSERT_STR_EQ(f->cloud.domain, "ping.c.example");
    ASSERT_STR_EQ(f->cloud.port, "8080");
    ASSERT_STR_EQ(f->cloud.path, "/notify");
    ASSERT_STR_EQ(f->cloud.register_procedure, "hub.subscribe");
    ASSERT_STR_EQ(f->cloud.protocol, "http-post");
    ASSERT_STR_EQ(f->textinput.title, "Look up");
    ASSERT_STR_EQ(f->textinput.description, "Search the archive");
    ASSERT_STR_EQ(f->textinput.name, "q");
    ASSERT_STR_EQ(f->textinput.link, "https://example.org/search");
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &out));
    ASSERT_CONTAINS(out.buf, "\"docs\":\"https://example.org/spec\"");
    ASSERT_CONTAINS(out.buf, "\"cloud\":{\"domain\":\"ping.c.example\",\"port\":\"8080\","
                             "\"path\":\"/notify\",\"registerprocedure\":\"hub.subscribe\","
                             "\"protocol\":\"http-post\"}");
    ASSERT_CONTAINS(out.buf, "\"textinput\":{\"title\":\"Look up\",\"description\":\"Search the "
                             "archive\",\"name\":\"q\",\"link\":\"https://example.org/search\"}");
    td_buf_release(&out);
    td_feed_free(f);

    f = parse("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
              "xmlns=\"http://purl.org/rss/1.0/\"><channel><title>R</title></channel>"
              "<textinput><name>s</name><link>http://r.example/find</link></textinput>"
              "</rdf:RDF>");
    ASSERT_STR_EQ(f->title.value, "R");
    ASSERT_STR_EQ(f->textinput.name, "s");
    ASSERT_STR_EQ(f->textinput.link, "http://r.example/find");
    td_feed_free(f);

    /* None of them: nothing in the JSON. */
    f = parse("<rss version=\"2.0\"><channel><title>N</title></channel></rss>");
    out = (struct td_buf)TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &out));
    ASSERT(!strstr(out.buf, "cloud") && !strstr(out.buf, "textinput") && !strstr(out.buf, "docs"));
    td_buf_release(&out);
    td_feed_free(f);
}

/* Media RSS inside media:group: credits, license, restriction, rating, title, category. */
static void test_media_details(void)
{
    struct td_feed *f =
        parse("<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><item>"
              "<guid>m1</guid><media:group>"
              "<media:title type=\"plain\">A &lt;b&gt; title</media:title>"
              "<media:credit role=\"photographer\" scheme=\"urn:ebu\">Ann Lens</media:credit>"
              "<media:credit>Agency</media:credit>"
              "<media:description type=\"plain\">Harbour at dawn</media:description>"
              "<media:license type=\"text/html\" href=\"/licence\">CC BY</media:license>"
              "<media:license href=\"http://other.example/\">Second</media:license>"
              "<media:restriction relationship=\"deny\" type=\"country\">FR  de</media:restriction>"
              "<media:rating scheme=\"urn:mpaa\">pg</media:rating>"
              "<media:category>boats</media:category>"
              "<media:category scheme=\"urn:s\" label=\"Sea\">sea</media:category>"
              "</media:group></item></channel></rss>");
    const struct td_feed_entry *e = &f->entries[0];
    ASSERT_STR_EQ(e->title.value, "A <b> title");
    ASSERT_STR_EQ(e->title.type, "text/plain");
    ASSERT_STR_EQ(e->summary.value, "Harbour at dawn");
    ASSERT_STR_EQ(e->summary.type, "text/plain");
    ASSERT_STR_EQ(e->media_description, "Harbour at dawn");
    ASSERT_STR_EQ(e->media_credit, "Ann Lens");
    ASSERT_EQ(e->n_credits, 2);
    ASSERT_STR_EQ(e->credits[0].role, "photographer");
    ASSERT_STR_EQ(e->credits[0].scheme, "urn:ebu");
    ASSERT_STR_EQ(e->credits[1].role, "");
    ASSERT_STR_EQ(e->credits[1].content, "Agency");
    ASSERT_STR_EQ(e->media_rights.license, "CC BY");
    ASSERT_STR_EQ(e->media_rights.license_type, "text/html");
    ASSERT_STR_EQ(e->media_rights.license_href, "https://example.org/licence");
    ASSERT_STR_EQ(e->media_rights.restriction, "fr  de");
    ASSERT_STR_EQ(e->media_rights.restriction_relationship, "deny");
    ASSERT_STR_EQ(e->media_rights.rating, "pg");
    ASSERT_STR_EQ(e->media_rights.rating_scheme, "urn:mpaa");
    ASSERT_EQ(e->n_tags, 2);
    ASSERT_STR_EQ(e->tags[0].scheme, "http://search.yahoo.com/mrss/category_schema");
    ASSERT_STR_EQ(e->tags[1].label, "Sea");
    ASSERT_STR_EQ(e->tags[1].scheme, "urn:s");
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &out));
    ASSERT_CONTAINS(out.buf, "\"media_credit\":[{\"role\":\"photographer\",\"scheme\":\"urn:ebu\","
                             "\"content\":\"Ann Lens\"},{\"content\":\"Agency\"}]");
    ASSERT_CONTAINS(out.buf, "\"media_license\":{\"type\":\"text/html\","
                             "\"href\":\"https://example.org/licence\",\"content\":\"CC BY\"}");
    ASSERT_CONTAINS(out.buf, "\"media_restriction\":{\"relationship\":\"deny\",\"type\":"
                             "\"country\",\"content\":[\"fr\",\"de\"]}");
    ASSERT_CONTAINS(out.buf, "\"media_rating\":{\"scheme\":\"urn:mpaa\",\"content\":\"pg\"}");
    td_buf_release(&out);
    td_feed_free(f);

    /* The entry's own title and description win over the media ones, in any order. */
    f = parse("<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel>"
              "<item><media:title>Media</media:title><title>Own</title>"
              "<description>Own text</description><media:description>Media text"
              "</media:description></item></channel></rss>");
    ASSERT_STR_EQ(f->entries[0].title.value, "Own");
    ASSERT_STR_EQ(f->entries[0].summary.value, "Own text");
    ASSERT_STR_EQ(f->entries[0].media_description, "Media text");
    td_feed_free(f);

    /* Hostile input: credits are capped, the rest dropped and the feed marked bozo. */
    struct td_buf doc = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_buf_append_c(&doc, "<rss xmlns:media=\"http://search.yahoo.com/mrss/\">"
                                    "<channel><item><guid>c</guid>"));
    for (int i = 0; i < TD_FEED_MAX_CREDITS + 10; i++)
        ASSERT_OK(td_buf_printf(&doc, "<media:credit role=\"r\">n%d</media:credit>", i));
    ASSERT_OK(td_buf_append_c(&doc, "</item></channel></rss>"));
    f = parse(doc.buf);
    ASSERT_EQ(f->entries[0].n_credits, TD_FEED_MAX_CREDITS);
    ASSERT_STR_EQ(f->entries[0].credits[TD_FEED_MAX_CREDITS - 1].content, "n63");
    ASSERT(f->bozo);
    td_feed_free(f);
    td_buf_release(&doc);
}

/* thr:in-reply-to (RFC 4685) on an entry and on the feed. */
static void test_in_reply_to(void)
{
    struct td_feed *f =
        parse("<feed xmlns=\"http://www.w3.org/2005/Atom\" "
              "xmlns:thr=\"http://purl.org/syndication/thread/1.0\">"
              "<thr:in-reply-to ref=\"urn:post:1\" href=\"/posts/1\"/>"
              "<entry><id>urn:comment:9</id><title>Re</title>"
              "<thr:in-reply-to ref=\"urn:post:7\" href=\"http://blog.example/7\" "
              "type=\"text/html\" source=\"http://blog.example/feed\"/></entry></feed>");
    ASSERT_STR_EQ(f->in_reply_to.ref, "urn:post:1");
    ASSERT_STR_EQ(f->in_reply_to.href, "https://example.org/posts/1");
    const struct td_feed_entry *e = &f->entries[0];
    ASSERT_STR_EQ(e->title.value, "Re");
    ASSERT_STR_EQ(e->in_reply_to.ref, "urn:post:7");
    ASSERT_STR_EQ(e->in_reply_to.href, "http://blog.example/7");
    ASSERT_STR_EQ(e->in_reply_to.type, "text/html");
    ASSERT_STR_EQ(e->in_reply_to.source, "http://blog.example/feed");
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &out));
    ASSERT_CONTAINS(out.buf, "\"thr_in-reply-to\":{\"ref\":\"urn:post:7\",\"href\":"
                             "\"http://blog.example/7\",\"type\":\"text/html\",\"source\":"
                             "\"http://blog.example/feed\"}");
    ASSERT_CONTAINS(out.buf, "\"thr_in-reply-to\":{\"ref\":\"urn:post:1\"");
    td_buf_release(&out);
    td_feed_free(f);
}

/* RSS oddities feedparser reads: rdf:about, <summary> beside <description>, <tags>, <body>,
 * <source>, wfw. */
static void test_rss_extras(void)
{
    struct td_feed *f =
        parse("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
              "xmlns=\"http://purl.org/rss/1.0/\"><channel><title>R</title><description/></channel>"
              "<item rdf:about=\"http://r.example/one\"><title>One</title>"
              "<link>http://r.example/one.html</link></item></rdf:RDF>");
    ASSERT_STR_EQ(f->entries[0].id, "http://r.example/one");
    ASSERT_STR_EQ(f->entries[0].key, "http://r.example/one");
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &out));
    /* An empty <description/> is there, empty. */
    ASSERT_CONTAINS(out.buf, "\"subtitle\":\"\",\"subtitle_detail\":{\"type\":\"text/html\"");
    td_buf_release(&out);
    td_feed_free(f);

    f = parse("<rss version=\"2.0\" xmlns:wfw=\"http://wellformedweb.org/CommentAPI/\"><channel>"
              "<item><guid>a</guid><summary>Short</summary><description>Long text</description>"
              "<tags>red, green ,, blue</tags><category>red</category>"
              "<wfw:commentRss>/a/comments.rss</wfw:commentRss>"
              "<source url=\"http://wire.example/feed\">The Wire</source></item>"
              "<item><guid>b</guid><description>Long b</description><summary>Short b</summary>"
              "<body><p>Body &amp; <em>soul</em></p></body></item>"
              "<item><guid>c</guid><description>Only</description></item></channel></rss>");
    struct td_feed_entry *e = &f->entries[0];
    ASSERT_STR_EQ(e->summary.value, "Short");
    ASSERT_EQ(e->n_content, 1);
    ASSERT_STR_EQ(e->content[0].value, "Long text");
    ASSERT_EQ(e->n_tags, 4);
    ASSERT_STR_EQ(e->tags[0].term, "red");
    ASSERT_STR_EQ(e->tags[1].term, "green");
    ASSERT_STR_EQ(e->tags[2].term, "blue");
    ASSERT_STR_EQ(e->tags[3].term, "red");
    ASSERT_STR_EQ(e->comments_feed, "https://example.org/a/comments.rss");
    ASSERT(e->source != NULL);
    ASSERT_STR_EQ(e->source->title.value, "The Wire");
    ASSERT_STR_EQ(e->source->self, "http://wire.example/feed");
    e = &f->entries[1];
    ASSERT_STR_EQ(e->summary.value, "Long b");
    ASSERT_EQ(e->n_content, 2);
    ASSERT_STR_EQ(e->content[0].value, "Short b");
    ASSERT_STR_EQ(e->content[1].type, "application/xhtml+xml");
    ASSERT_STR_EQ(e->content[1].value, "<p>Body &amp; <em>soul</em></p>");
    e = &f->entries[2];
    ASSERT_STR_EQ(e->summary.value, "Only");
    ASSERT_EQ(e->n_content, 0);
    out = (struct td_buf)TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &out));
    ASSERT_CONTAINS(out.buf, "\"wfw_commentrss\":\"https://example.org/a/comments.rss\"");
    ASSERT_CONTAINS(out.buf, "\"source\":{\"href\":\"http://wire.example/feed\",\"title\":\"The "
                             "Wire\"");
    td_buf_release(&out);
    td_feed_free(f);
}

/* xml:base with a javascript: scheme is ignored; &#X41; is read; the last atom:created counts. */
static void test_base_charref_created(void)
{
    struct td_feed *f = parse(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://a.example/d/\">"
        "<entry xml:base=\"javascript:alert(1)//\"><id>e</id><title>&#X41;&#X3C;b&#X3E;</title>"
        "<link href=\"x.html\"/><created>2010-12-01T10:14:55Z</created>"
        "<created>2003-12-31T10:14:55Z</created></entry></feed>");
    const struct td_feed_entry *e = &f->entries[0];
    ASSERT_STR_EQ(e->link, "http://a.example/d/x.html");
    ASSERT_STR_EQ(e->title.base, "http://a.example/d/");
    ASSERT_STR_EQ(e->title.value, "A<b>");
    ASSERT(f->bozo); /* &#X is not XML */
    ASSERT_STR_EQ(e->created.raw, "2003-12-31T10:14:55Z");
    td_feed_free(f);
}

/* Licenses (Creative Commons, both modules), dcterms:valid, <redirect><newLocation>, URL spelling.
 */
static void test_license_validity_location(void)
{
    struct td_feed *f =
        parse("<rss version=\"2.0\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
              "xmlns:creativeCommons=\"http://backend.userland.com/creativeCommonsRssModule\">"
              "<redirect><newLocation>/moved.rss</newLocation></redirect><channel><title>L</title>"
              "<link>http://Site.EXAMPLE/home</link>"
              "<dcterms:valid>start=2001-01-01T00:00Z; end=2099-10-17T17:00+01:00;scheme=W3C-DTF"
              "</dcterms:valid>"
              "<creativeCommons:license>http://creativecommons.org/licenses/by/4.0/"
              "</creativeCommons:license>"
              "<item><guid>x</guid><link>http:///item.example/a</link>"
              "<creativeCommons:license>http://creativecommons.org/licenses/by-sa/4.0/"
              "</creativeCommons:license></item></channel></rss>");
    ASSERT_STR_EQ(f->title.value, "L");
    ASSERT_STR_EQ(f->newlocation, "https://example.org/moved.rss");
    /* feedparser keeps a host as written; hosts compare case-blind anyway. */
    ASSERT_STR_EQ(f->link, "http://Site.EXAMPLE/home");
    ASSERT_STR_EQ(f->validity_start.raw, "2001-01-01T00:00Z");
    ASSERT_EQ(f->validity_start.t, 978307200);
    ASSERT_STR_EQ(f->validity_end.raw, "2099-10-17T17:00+01:00");
    /* A validity end lies ahead by nature: not clamped to the fetch time. */
    ASSERT_EQ(f->validity_end.t, 4095936000);
    ASSERT_EQ(f->validity_end.flags & TD_FEED_DATE_FUTURE, 0);
    ASSERT_EQ(f->n_links, 2);
    ASSERT_STR_EQ(f->links[1].rel, "license");
    ASSERT_STR_EQ(f->links[1].href, "http://creativecommons.org/licenses/by/4.0/");
    const struct td_feed_entry *e = &f->entries[0];
    ASSERT_STR_EQ(e->link, "http://item.example/a");
    ASSERT_EQ(e->n_links, 2);
    ASSERT_STR_EQ(e->links[1].rel, "license");
    ASSERT_STR_EQ(e->links[1].href, "http://creativecommons.org/licenses/by-sa/4.0/");
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &out));
    ASSERT_CONTAINS(out.buf, "\"newlocation\":\"https://example.org/moved.rss\"");
    ASSERT_CONTAINS(out.buf, "\"validity_end\":\"2099-10-17T17:00+01:00\","
                             "\"validity_end_parsed\":[2099,10,17,16,0,0,5,290,0]");
    td_buf_release(&out);
    td_feed_free(f);

    /* RSS 1.0's cc:license points with rdf:resource. */
    f = parse("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
              "xmlns=\"http://purl.org/rss/1.0/\" xmlns:cc=\"http://web.resource.org/cc/\">"
              "<channel><title>C</title></channel><item rdf:about=\"http://c.example/1\">"
              "<cc:license rdf:resource=\"http://creativecommons.org/licenses/by-nd/4.0/\"/>"
              "</item></rdf:RDF>");
    ASSERT_EQ(f->entries[0].n_links, 1);
    ASSERT_STR_EQ(f->entries[0].links[0].rel, "license");
    ASSERT_STR_EQ(f->entries[0].links[0].href, "http://creativecommons.org/licenses/by-nd/4.0/");
    td_feed_free(f);
}

/* HTTP Content-Language is the language of what no xml:lang or <language> covers. */
static void test_content_language(void)
{
    struct td_feed_opts o = {
        .url = "https://example.org/feed/", .now = 2000000000, .content_language = " en-GB, fr"};
    struct td_feed *f = parse_opts(
        "<rss version=\"2.0\"><channel><item><title>T</title></item></channel></rss>", &o);
    ASSERT_STR_EQ(f->language, "en-GB");
    ASSERT_STR_EQ(f->entries[0].title.lang, "en-GB");
    td_feed_free(f);
    f = parse_opts("<rss version=\"2.0\"><channel><language>de</language><item><title>T</title>"
                   "</item></channel></rss>",
                   &o);
    ASSERT_STR_EQ(f->language, "de");
    td_feed_free(f);
    f = parse_opts("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\"><entry><id>i</id>"
                   "<title>T</title></entry></feed>",
                   &o);
    ASSERT_STR_EQ(f->language, "fr");
    ASSERT_STR_EQ(f->entries[0].title.lang, "fr");
    td_feed_free(f);
}

/* Podlove Simple Chapters: the first psc:chapters of an episode, with times. */
static void test_chapters(void)
{
    struct td_feed *f = parse(
        "<rss version=\"2.0\" xmlns:psc=\"http://podlove.org/simple-chapters\"><channel><item>"
        "<guid>ep1</guid><psc:chapters version=\"1.2\">"
        "<psc:chapter start=\"0\" title=\"Hello\"/>"
        "<psc:chapter start=\"01:02:03.5\" title=\"Later\" href=\"/notes\" image=\"/c.jpg\"/>"
        "<psc:chapter start=\"12:42.345\" title=\"Mid\"/>"
        "<psc:chapter start=\"soon\" title=\"Bad time\"/></psc:chapters>"
        "<psc:chapters version=\"9\"><psc:chapter start=\"1\" title=\"Ignored\"/></psc:chapters>"
        "</item></channel></rss>");
    const struct td_feed_entry *e = &f->entries[0];
    ASSERT(e->has_chapters);
    ASSERT_STR_EQ(e->chapters_version, "1.2");
    ASSERT_EQ(e->n_chapters, 4);
    ASSERT_EQ(e->chapters[0].start_ms, 0);
    ASSERT_EQ(e->chapters[1].start_ms, 3723500);
    ASSERT_STR_EQ(e->chapters[1].href, "https://example.org/notes");
    ASSERT_STR_EQ(e->chapters[1].image, "https://example.org/c.jpg");
    ASSERT_EQ(e->chapters[2].start_ms, 762345);
    ASSERT_EQ(e->chapters[3].start_ms, -1);
    ASSERT_STR_EQ(e->chapters[3].start, "soon");
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &out));
    ASSERT_CONTAINS(out.buf, "\"psc_chapters\":{\"version\":\"1.2\",\"chapters\":[{\"start\":\"0\","
                             "\"start_parsed\":0.000,\"title\":\"Hello\"}");
    ASSERT_CONTAINS(out.buf, "\"start_parsed\":3723.500");
    ASSERT_CONTAINS(out.buf, "{\"start\":\"soon\",\"title\":\"Bad time\"}");
    ASSERT_NOT_CONTAINS(out.buf, "Ignored");
    td_buf_release(&out);
    td_feed_free(f);

    /* Hostile input: the marks are capped. */
    struct td_buf doc = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_buf_append_c(&doc, "<rss xmlns:psc=\"http://podlove.org/simple-chapters\">"
                                    "<channel><item><guid>c</guid><psc:chapters>"));
    for (int i = 0; i < TD_FEED_MAX_CHAPTERS + 5; i++)
        ASSERT_OK(td_buf_printf(&doc, "<psc:chapter start=\"%d\"/>", i));
    ASSERT_OK(td_buf_append_c(&doc, "</psc:chapters></item></channel></rss>"));
    f = parse(doc.buf);
    ASSERT_EQ(f->entries[0].n_chapters, TD_FEED_MAX_CHAPTERS);
    ASSERT(f->bozo);
    td_feed_free(f);
    td_buf_release(&doc);
}

/* Raw C1 controls are windows-1252 punctuation decoded as Latin-1. */
static void test_c1_as_windows_1252(void)
{
    struct td_feed *f = parse("<rss version=\"2.0\"><channel><title>don\xC2\x92t \xC2\x85"
                              " \xC2\x81 \xC2\xA0x</title></channel></rss>");
    ASSERT_STR_EQ(f->title.value, "don\xE2\x80\x99t \xE2\x80\xA6 \xC2\x81 \xC2\xA0x");
    ASSERT(!f->bozo);
    td_feed_free(f);
}

/* An Atom Entry Document is read as a feed of its one entry. */
static void test_atom_entry_document(void)
{
    struct td_feed *f = parse("<?xml version=\"1.0\"?><entry xmlns=\"http://www.w3.org/2005/Atom\">"
                              "<title>Alone</title><id>urn:e:1</id><link href=\"/alone\"/>"
                              "<updated>2009-08-31T18:55:12Z</updated>"
                              "<author><name>Ann</name></author></entry>");
    ASSERT_EQ(f->version, TD_FEED_ATOM10);
    ASSERT(!f->bozo);
    ASSERT_EQ(f->n_entries, 1);
    ASSERT_STR_EQ(f->entries[0].title.value, "Alone");
    ASSERT_STR_EQ(f->entries[0].key, "urn:e:1");
    ASSERT_STR_EQ(f->entries[0].link, "https://example.org/alone");
    ASSERT_STR_EQ(f->entries[0].author, "Ann");
    td_feed_free(f);
    /* href="" points at the base. */
    f = parse("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://b.example/feed\">"
              "<link rel=\"self\" href=\"\"/><link rel=\"alternate\" href=\"/\"/></feed>");
    ASSERT_STR_EQ(f->self, "http://b.example/feed");
    ASSERT_STR_EQ(f->link, "http://b.example/");
    td_feed_free(f);
    /* A category with a label and no term is a tag all the same. */
    f = parse("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>c</id>"
              "<category label=\"Only a label\"/><category/></entry></feed>");
    ASSERT_EQ(f->entries[0].n_tags, 1);
    ASSERT_STR_EQ(f->entries[0].tags[0].term, "");
    ASSERT_STR_EQ(f->entries[0].tags[0].label, "Only a label");
    td_feed_free(f);
    /* An <entry> in no Atom namespace is still not a feed. */
    struct td_feed *g = NULL;
    const char *doc = "<entry><title>x</title></entry>";
    ASSERT_EQ(td_feed_parse(doc, strlen(doc), NULL, &g), TD_EPARSE);
    ASSERT(g == NULL);
}

/* GeoRSS simple and GML locations; a broken one is present but empty. */
static void test_georss(void)
{
    struct td_feed *f = parse(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:georss=\"http://www.georss.org/georss\" "
        "xmlns:gml=\"http://www.opengis.net/gml\">"
        "<entry><id>1</id><georss:point> 45.5 -73.25 </georss:point></entry>"
        "<entry><id>2</id><georss:where><gml:LineString><gml:posList>1 2 3 4 5 6"
        "</gml:posList></gml:LineString></georss:where></entry>"
        "<entry><id>3</id><georss:box>1 2 3 4</georss:box></entry>"
        "<entry><id>4</id><georss:polygon>1 2 3 4 5 6</georss:polygon></entry>"
        "<entry><id>5</id><georss:point>north</georss:point></entry>"
        "<entry><id>6</id><georss:line>1 2 nan 4</georss:line></entry></feed>");
    ASSERT_EQ(f->n_entries, 6);
    struct td_feed_where *w = &f->entries[0].where;
    ASSERT(w->set);
    ASSERT_STR_EQ(w->type, "Point");
    ASSERT_EQ(w->n_points, 1);
    ASSERT(w->coords[0] == 45.5 && w->coords[1] == -73.25);
    ASSERT_STR_EQ(f->entries[1].where.type, "LineString");
    ASSERT_EQ(f->entries[1].where.n_points, 3);
    ASSERT_STR_EQ(f->entries[2].where.type, "Box");
    /* A polygon needs four points; text that is not numbers is no location. */
    ASSERT(f->entries[3].where.set);
    ASSERT_STR_EQ(f->entries[3].where.type, "");
    ASSERT_STR_EQ(f->entries[4].where.type, "");
    /* JSON has no NaN: a location with one is no location. */
    ASSERT_STR_EQ(f->entries[5].where.type, "");
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_feed_to_json(f, &out));
    ASSERT_CONTAINS(out.buf, "\"where\":{\"type\":\"Point\",\"coordinates\":[-73.25,45.5]}");
    ASSERT_CONTAINS(out.buf, "\"coordinates\":[[2,1],[4,3],[6,5]]");
    ASSERT_CONTAINS(out.buf, "\"where\":{}");
    td_buf_release(&out);
    td_feed_free(f);
}

static struct td_feed *parse_bytes(const char *s, size_t len, const char *content_type)
{
    struct td_feed_opts o = {.now = 2000000000, .content_type = content_type};
    struct td_feed *f = NULL;
    if (td_feed_parse(s, len, &o, &f) != 0) {
        fprintf(stderr, "# parse failed\n");
        exit(1);
    }
    return f;
}

/* Encoding names as feedparser gives them: gb2312 is read as gb18030, UTF-16 gets its byte order.
 */
static void test_encoding_names(void)
{
    const char *gb = "<?xml version=\"1.0\" encoding=\"gb2312\"?>"
                     "<rss version=\"2.0\"><channel><title>\xD6\xD0</title></channel></rss>";
    struct td_feed *f = parse_bytes(gb, strlen(gb), NULL);
    ASSERT_STR_EQ(f->encoding, "gb18030");
    ASSERT_STR_EQ(f->title.value, "\xE4\xB8\xAD");
    ASSERT(!f->bozo);
    td_feed_free(f);

    const char *xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\">"
                      "<channel><title>T</title></channel></rss>";
    struct td_buf le = TD_BUF_INIT(TD_BUF_NOCAP);
    for (const char *p = xml; *p; p++)
        ASSERT_OK(td_buf_append(&le, (char[2]){*p, 0}, 2));
    f = parse_bytes(le.buf, le.len, NULL);
    ASSERT_STR_EQ(f->encoding, "utf-16le");
    ASSERT_STR_EQ(f->title.value, "T");
    ASSERT(!f->bozo);
    td_feed_free(f);
    td_buf_release(&le);
}

/* UTF-32 in both byte orders, with and without a byte-order mark; us-ascii for text/xml. */
static void test_utf32_and_text_xml(void)
{
    const char *xml = "<rss version=\"2.0\"><channel><title>\xC3\xA9t\xC3\xA9</title>"
                      "</channel></rss>";
    struct td_buf be = TD_BUF_INIT(TD_BUF_NOCAP), le = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_buf_append(&be, "\0\0\xFE\xFF", 4));
    ASSERT_OK(td_buf_append(&le, "\xFF\xFE\0\0", 4));
    for (const char *p = xml; *p;) {
        uint32_t cp;
        p += td_utf8_decode(p, strlen(p), &cp);
        unsigned char b[4] = {(unsigned char)(cp >> 24), (unsigned char)(cp >> 16),
                              (unsigned char)(cp >> 8), (unsigned char)cp};
        unsigned char l[4] = {b[3], b[2], b[1], b[0]};
        ASSERT_OK(td_buf_append(&be, b, 4));
        ASSERT_OK(td_buf_append(&le, l, 4));
    }
    struct td_feed *f = parse_bytes(be.buf, be.len, NULL);
    ASSERT(!f->bozo);
    ASSERT_STR_EQ(f->encoding, "utf-32be");
    ASSERT_STR_EQ(f->title.value, "\xC3\xA9t\xC3\xA9");
    td_feed_free(f);
    f = parse_bytes(le.buf, le.len, NULL);
    ASSERT_STR_EQ(f->encoding, "utf-32le");
    ASSERT_STR_EQ(f->title.value, "\xC3\xA9t\xC3\xA9");
    td_feed_free(f);
    /* No byte-order mark: recognised by how "<" is encoded. */
    f = parse_bytes(le.buf + 4, le.len - 4, NULL);
    ASSERT_STR_EQ(f->encoding, "utf-32le");
    ASSERT_STR_EQ(f->title.value, "\xC3\xA9t\xC3\xA9");
    td_feed_free(f);
    td_buf_release(&be);
    td_buf_release(&le);

    /* text/xml without a charset is us-ascii (RFC 3023) when the bytes are. */
    const char *ascii = "<rss version=\"2.0\"><channel><title>T</title></channel></rss>";
    f = parse_bytes(ascii, strlen(ascii), "text/xml");
    ASSERT_STR_EQ(f->encoding, "us-ascii");
    ASSERT(!f->bozo);
    td_feed_free(f);
    f = parse_bytes(xml, strlen(xml), "text/xml");
    ASSERT_STR_EQ(f->encoding, "utf-8");
    td_feed_free(f);
}

static void test_opml_parse(void)
{
    struct td_opml *o = NULL;
    ASSERT_OK(td_opml_parse(opml_doc, strlen(opml_doc), &o));
    ASSERT_STR_EQ(o->title, "My & feeds");
    ASSERT_EQ(o->n_outlines, 6);
    ASSERT_STR_EQ(o->outlines[0].xml_url, "http://t.example/rss");
    ASSERT_STR_EQ(o->outlines[0].html_url, "http://t.example/");
    ASSERT_STR_EQ(o->outlines[0].category, "");
    ASSERT_STR_EQ(o->outlines[1].xml_url, "http://w1.example/feed?a=1&b=2");
    ASSERT_STR_EQ(o->outlines[1].title, "World One");
    ASSERT_STR_EQ(o->outlines[1].category, "News/World");
    ASSERT_STR_EQ(o->outlines[2].category, "News");
    ASSERT_STR_EQ(o->outlines[3].category, "/Boston/Weather");
    ASSERT_STR_EQ(o->outlines[4].category, "News,tech,science");
    ASSERT_STR_EQ(o->outlines[5].category, "NewsX");
    td_opml_free(o);

    ASSERT_EQ(td_opml_parse("<rss/>", 6, &o), TD_EPARSE);
    ASSERT_EQ(td_opml_parse("", 0, &o), TD_EPARSE);
    td_opml_free(NULL);
}

static void test_opml_roundtrip(void)
{
    struct td_opml *o = NULL, *back = NULL;
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_opml_parse(opml_doc, strlen(opml_doc), &o));
    ASSERT_OK(td_opml_write(o->outlines, o->n_outlines, "Export <1>", &out));
    ASSERT_CONTAINS(out.buf, "<title>Export &lt;1&gt;</title>");
    ASSERT_CONTAINS(out.buf, "xmlUrl=\"http://w1.example/feed?a=1&amp;b=2\"");
    /* Nested folders come back nested, each once; the attribute stays an attribute. */
    ASSERT_CONTAINS(out.buf, "\n    <outline text=\"News\" title=\"News\">\n");
    ASSERT_CONTAINS(out.buf, "\n      <outline text=\"World\" title=\"World\">\n");
    ASSERT_CONTAINS(out.buf, "category=\"/Boston/Weather\"");
    ASSERT_CONTAINS(out.buf, "category=\"tech,science\"");
    ASSERT_EQ(strstr(strstr(out.buf, "text=\"News\"") + 1, "text=\"News\""), NULL);
    ASSERT_OK(td_opml_parse(out.buf, out.len, &back));
    ASSERT_EQ(back->n_outlines, o->n_outlines);
    for (size_t i = 0; i < o->n_outlines; i++) {
        bool found = false;
        for (size_t j = 0; j < back->n_outlines; j++)
            if (!strcmp(o->outlines[i].xml_url, back->outlines[j].xml_url)) {
                found = true;
                ASSERT_STR_EQ(o->outlines[i].category, back->outlines[j].category);
            }
        ASSERT(found);
    }
    td_opml_free(o);
    td_opml_free(back);
    td_buf_release(&out);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_rss20),
    TAP_TEST(test_atom10),
    TAP_TEST(test_rdf_and_atom03),
    TAP_TEST(test_rss_versions),
    TAP_TEST(test_json_feed),
    TAP_TEST(test_json_reader_matches_jansson),
    TAP_TEST(test_broken_feed_recovered),
    TAP_TEST(test_wrong_declared_encoding),
    TAP_TEST(test_no_external_entities),
    TAP_TEST(test_identity_and_duplicates),
    TAP_TEST(test_future_dates_clamped),
    TAP_TEST(test_sanitized_html),
    TAP_TEST(test_errors_and_caps),
    TAP_TEST(test_json_output),
    TAP_TEST(test_threads),
    TAP_TEST(test_parser_reuse),
    TAP_TEST(test_itunes),
    TAP_TEST(test_cdf),
    TAP_TEST(test_atom_details),
    TAP_TEST(test_rss_details),
    TAP_TEST(test_cloud_textinput_docs),
    TAP_TEST(test_media_details),
    TAP_TEST(test_in_reply_to),
    TAP_TEST(test_rss_extras),
    TAP_TEST(test_base_charref_created),
    TAP_TEST(test_license_validity_location),
    TAP_TEST(test_content_language),
    TAP_TEST(test_chapters),
    TAP_TEST(test_c1_as_windows_1252),
    TAP_TEST(test_atom_entry_document),
    TAP_TEST(test_georss),
    TAP_TEST(test_utf32_and_text_xml),
    TAP_TEST(test_encoding_names),
    TAP_TEST(test_opml_parse),
    TAP_TEST(test_opml_roundtrip),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
