/*
 * test_html.c - the DOM wrapper, URL resolution and the allowlist
 * sanitizer, through the real parser.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/url.h"
#include "base/utf8.h"
#include "html/html.h"
#include "harness/tap.h"

#include <time.h>

static struct td_html_node *find_tag(struct td_html_node *root, enum td_html_tag t)
{
    struct td_html_walk w;
    bool leaving;
    td_html_walk_init(&w, root);
    for (struct td_html_node *n; (n = td_html_walk_next(&w, &leaving));)
        if (!leaving && td_html_tag(n) == t)
            return n;
    return NULL;
}

static void test_parse_and_walk(void)
{
    const char *src = "<!doctype html><title>T</title><p id=x class='a b'>Hello <b>big</b> "
                      "world</p><script>var x;</script><p hidden>gone</p>";
    struct td_html_doc *doc;
    ASSERT_OK(td_html_parse(src, strlen(src), &doc));
    ASSERT(td_html_head(doc) && td_html_body(doc));
    struct td_html_node *p = find_tag(td_html_body(doc), TD_HTML_P);
    ASSERT(p);
    struct td_str v;
    ASSERT(td_html_attr(p, "class", &v));
    ASSERT(td_str_eq(v, TD_STR_LIT("a b")));
    ASSERT(!td_html_attr(p, "style", &v));
    ASSERT_EQ(td_html_tag(td_html_first_child(p)), TD_HTML_TEXT);
    ASSERT(td_str_eq(td_html_text(td_html_first_child(p)), TD_STR_LIT("Hello ")));
    ASSERT(td_html_parent(td_html_first_child(p)) == p);
    struct td_html_node *p2 = td_html_next(td_html_next(p));
    ASSERT(p2 && td_html_is_hidden(p2));
    struct td_buf b = TD_BUF_INIT(1024);
    ASSERT_OK(td_html_text_content(td_html_body(doc), &b));
    ASSERT_STR_EQ(b.buf, "Hello big worldgone");
    td_buf_release(&b);
    td_html_free(doc);
}

static void test_walk_order(void)
{
    const char *src = "<div><p>a</p><p>b<i>c</i></p></div>";
    struct td_html_doc *doc;
    ASSERT_OK(td_html_parse(src, strlen(src), &doc));
    struct td_html_walk w;
    bool leaving;
    char trace[64] = "";
    td_html_walk_init(&w, find_tag(td_html_body(doc), TD_HTML_DIV));
    for (struct td_html_node *n; (n = td_html_walk_next(&w, &leaving));) {
        enum td_html_tag t = td_html_tag(n);
        const char *c = t == TD_HTML_DIV ? "d" : t == TD_HTML_P ? "p" : t == TD_HTML_I ? "i" : "t";
        size_t k = strlen(trace);
        snprintf(trace + k, sizeof(trace) - k, "%s%s", leaving ? "/" : "", c);
        if (!leaving && t == TD_HTML_I)
            td_html_walk_skip(&w);
    }
    ASSERT_STR_EQ(trace, "dpt/t/ppt/ti/i/p/d");
    td_html_free(doc);
}

static void test_empty_and_junk(void)
{
    struct td_html_doc *doc;
    ASSERT_OK(td_html_parse("", 0, &doc));
    ASSERT(td_html_body(doc));
    td_html_free(doc);
    const char junk[] = "\x01\x02<<<>>>&&&;</div></p><![CDATA[ <!-- ";
    ASSERT_OK(td_html_parse(junk, sizeof(junk) - 1, &doc));
    td_html_free(doc);
    td_html_free(NULL);
}

static void test_nul_bytes(void)
{
    /* NUL before CR once made the parser emit invalid UTF-8. */
    const char src[] = "<p>\xef\xbf\xbd_`\0\r\xef\xbf\xbd@d a\0b</p>";
    struct td_buf b = TD_BUF_INIT(1024);
    ASSERT_OK(td_html_sanitize_fragment(src, sizeof(src) - 1, NULL, &b));
    ASSERT(td_utf8_valid(b.buf, b.len));
    ASSERT_CONTAINS(b.buf, "a\xef\xbf\xbd"
                           "b");
    td_buf_release(&b);
}

static void test_deep_nesting_is_linear(void)
{
    size_t n = 100000;
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);
    for (size_t i = 0; i < n; i++)
        ASSERT_OK(td_buf_append_c(&b, "<div>"));
    ASSERT_OK(td_buf_append_c(&b, "x"));
    for (size_t i = 0; i < n; i++)
        ASSERT_OK(td_buf_append_c(&b, "</div>"));
    struct td_html_doc *doc;
    clock_t t0 = clock();
    ASSERT_OK(td_html_parse(b.buf, b.len, &doc));
    /* The walk stops at the depth cap instead of recursing 100,000 deep. */
    struct td_html_walk w;
    bool leaving;
    unsigned max = 0;
    td_html_walk_init(&w, td_html_root(doc));
    for (struct td_html_node *x; (x = td_html_walk_next(&w, &leaving));)
        max = w.depth > max ? w.depth : max;
    ASSERT_LE(max, TD_HTML_MAX_DEPTH);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* Quadratic behaviour takes over ten seconds here; linear takes milliseconds. */
    ASSERT(secs < 2.0);
    td_html_free(doc);
    td_buf_release(&b);
}

/* The body's element nesting and text as "(text(text))", to compare parses. */
static void shape(const char *src, char *out, size_t size)
{
    struct td_html_doc *doc;
    struct td_html_walk w;
    bool leaving;
    size_t k = 0;
    ASSERT_OK(td_html_parse(src, strlen(src), &doc));
    td_html_walk_init(&w, td_html_body(doc));
    out[0] = '\0';
    for (struct td_html_node *n; (n = td_html_walk_next(&w, &leaving)) && k < size;) {
        struct td_str t = td_html_text(n);
        if (td_html_tag(n) == TD_HTML_TEXT && !leaving)
            k += (size_t)snprintf(out + k, size - k, "%.*s", (int)t.len, t.ptr);
        else if (td_html_is_element(n))
            k += (size_t)snprintf(out + k, size - k, "%s", leaving ? ")" : "(");
    }
    td_html_free(doc);
}

/*
 * The parser's tree is reused, and its table of custom tag names is reset
 * over its used part only (html.c, tree_clean): after a document that grew
 * the table past its first allocation, custom tags must still match their
 * end tags as they do in a fresh tree.
 */
static void test_custom_tags_after_reuse(void)
{
    const char *src = "<x-a>1<x-b>2</x-a>3</x-b>4<x-c><x-a>5</x-c>6</x-a><p>7<x-d>8</p>9";
    char fresh[256], again[256];
    td_html_thread_release();
    shape(src, fresh, sizeof(fresh));
    ASSERT_STR_EQ(fresh, "((1(2))34((5))6(7(8))9)");
    struct td_buf big = TD_BUF_INIT(TD_BUF_NOCAP);
    for (int i = 0; i < 3000; i++)
        ASSERT_OK(td_buf_printf(&big, "<x-t%d>.</x-t%d>", i, i));
    for (int round = 0; round < 3; round++) {
        struct td_html_doc *doc;
        ASSERT_OK(td_html_parse(big.buf, big.len, &doc));
        td_html_free(doc);
        shape(src, again, sizeof(again));
        ASSERT_STR_EQ(again, fresh);
    }
    td_buf_release(&big);
}

static void test_too_big(void)
{
    struct td_html_doc *doc = (void *)1;
    ASSERT_EQ(td_html_parse("x", (size_t)TD_HTML_MAX_INPUT + 1, &doc), TD_ETOOBIG);
    ASSERT(doc == NULL);
}

static void resolve(const char *base, const char *ref, const char *want)
{
    struct td_buf b = TD_BUF_INIT(8192);
    int err = td_html_resolve_url(base, td_str_c(ref), &b);
    if (!want) {
        ASSERT_EQ(err, TD_EINVAL);
        ASSERT_EQ(b.len, 0);
    } else {
        ASSERT_OK(err);
        ASSERT_STR_EQ(b.buf, want);
    }
    td_buf_release(&b);
}

static void test_resolve_url(void)
{
    const char *base = "http://a/b/c/d;p?q";
    /* RFC 3986 section 5.4.1 examples. */
    resolve(base, "g", "http://a/b/c/g");
    resolve(base, "./g", "http://a/b/c/g");
    resolve(base, "g/", "http://a/b/c/g/");
    resolve(base, "/g", "http://a/g");
    resolve(base, "//g", "http://g");
    resolve(base, "?y", "http://a/b/c/d;p?y");
    resolve(base, "g?y", "http://a/b/c/g?y");
    resolve(base, "#s", "http://a/b/c/d;p?q#s");
    resolve(base, "", "http://a/b/c/d;p?q");
    resolve(base, ".", "http://a/b/c/");
    resolve(base, "..", "http://a/b/");
    resolve(base, "../g", "http://a/b/g");
    resolve(base, "../../g", "http://a/g");
    resolve(base, "../../../g", "http://a/g");
    resolve(base, "/./g", "http://a/g");
    resolve(base, "g/../h", "http://a/b/c/h");
    resolve("https://Example.COM/x/y", "  img/a.jpg ", "https://example.com/x/img/a.jpg");
    resolve(NULL, "https://x.org/p", "https://x.org/p");
    resolve(NULL, "/relative", NULL);
    resolve(base, "javascript:alert(1)", NULL);
    resolve(base, "data:image/png;base64,AAAA", NULL);
    resolve(base, "mailto:a@b", NULL);
    resolve(base, "http://", NULL);
}

/*
 * Links that resolve to themselves skip the resolver (urlref.c): the
 * result must be what td_url_resolve and the http(s) check give, for
 * URLs on both sides of that shortcut's conditions.
 */
static void test_resolve_url_shortcut(void)
{
    static const char *const refs[] = {
        "http://a.org",
        "https://a.org/",
        "http://a.org/x/y.html?q=1&r=/./#f#g",
        "https://a-b_c.example.org/p?x",
        "http://a.org#frag",
        "http://a.org?q",
        "https://A.org/x",
        "HTTP://a.org/x",
        "http://a.org:80/x",
        "http://a.org:8080/x",
        "http://u@a.org/x",
        "http://[::1]/x",
        "http://a.org/./x",
        "http://a.org/../x",
        "http://a.org/x/.",
        "http://a.org/x/..",
        "http://a.org/x/..?q",
        "http://a.org/x/.#f",
        "http://a.org/.x/..y/...",
        "http://a.org/x?/../y",
        "http://a.org/x#/./y",
        "http://a.org/x y",
        "http://a.org/x\"y",
        "http://a.org/x<y>",
        "http://a.org/\xc3\xa9",
        "http://a.org/x\ty",
        " http://a.org/x",
        "http://a.org/x ",
        "http://",
        "https://",
        "http:///a.org",
        "http://a.org\\x",
        "http://a%41.org/",
        "http://a.org/%zz",
        "ftp://a.org/",
        "//a.org/x",
        "/x",
        "x",
        "",
        "http:a.org",
    };
    static const char *const bases[] = {NULL, "https://base.example/dir/page"};
    for (size_t i = 0; i < TD_ARRAY_SIZE(refs); i++)
        for (size_t j = 0; j < TD_ARRAY_SIZE(bases); j++) {
            struct td_buf got = TD_BUF_INIT(TD_URL_MAX), want = TD_BUF_INIT(TD_URL_MAX);
            struct td_str ref = td_str_c(refs[i]);
            int err = td_html_resolve_url(bases[j], ref, &got);
            int werr = td_url_resolve(td_str_c(bases[j]), ref, &want);
            if (werr == 0 && !td_url_is_http(td_buf_str(&want)))
                werr = TD_EINVAL;
            if (err != (werr < 0 ? TD_EINVAL : 0))
                fprintf(stderr, "# %s\n", refs[i]);
            ASSERT_EQ(err, werr < 0 ? TD_EINVAL : 0);
            if (!err)
                ASSERT_STR_EQ(got.buf, want.buf);
            td_buf_release(&got);
            td_buf_release(&want);
        }
}

static void sanitize(const char *in, const char *base, const char *want)
{
    struct td_buf b = TD_BUF_INIT(1 << 16);
    ASSERT_OK(td_html_sanitize_fragment(in, strlen(in), base, &b));
    ASSERT_STR_EQ(b.buf, want);
    td_buf_release(&b);
}

static void test_sanitize_allowlist(void)
{
    sanitize("<p onclick=\"x()\" class=c style=\"color:red\">Hi <b>there</b> <i>you</i></p>", NULL,
             "<p>Hi <strong>there</strong> <em>you</em></p>");
    sanitize("<p>a<script>alert(1)</script><style>p{}</style>b</p>", NULL, "<p>ab</p>");
    sanitize("<iframe src=//evil></iframe><form><input value=x>y</form><p>ok</p>", NULL,
             "<p>ok</p>");
    sanitize("<a href=\"javascript:alert(1)\">x</a> <a href='/rel?a=1&amp;b=2'>y</a>",
             "https://site.example/dir/page",
             "x <a href=\"https://site.example/rel?a=1&amp;b=2\">y</a>");
    sanitize("<img src=\"data:image/png;base64,AA\" alt=a><img src=pic.jpg alt='a \"b\"' "
             "onerror=x()>",
             "http://h/", "<img src=\"http://h/pic.jpg\" alt=\"a &quot;b&quot;\">");
    sanitize("<h1>T</h1><h3>S</h3><ul><li>1</li></ul><blockquote>q</blockquote>", NULL,
             "<h2>T</h2><h3>S</h3><ul><li>1</li></ul><blockquote>q</blockquote>");
    sanitize("<table><tr><th>a</th><td>b</td></tr></table>", NULL,
             "<table><tbody><tr><th>a</th><td>b</td></tr></tbody></table>");
    sanitize("<p>1 &lt; 2 &amp; \"x\"</p><div hidden>h</div><span aria-hidden=true>s</span>"
             "<p style='display: none'>n</p>",
             NULL, "<p>1 &lt; 2 &amp; &quot;x&quot;</p>");
    sanitize("<pre><code>a  &lt;b&gt;\n  c</code></pre>", NULL,
             "<pre><code>a  &lt;b&gt;\n  c</code></pre>");
    sanitize("<figure><img src=https://x/i.png><figcaption>Cap</figcaption></figure>", NULL,
             "<figure><img src=\"https://x/i.png\"><figcaption>Cap</figcaption></figure>");
    sanitize("<p>line<br>two</p><svg><text>no</text></svg>", NULL, "<p>line<br>two</p>");
}

/* Text without markup skips the parser; it must come out as if parsed. */
static void test_sanitize_plain_text(void)
{
    static const char *const texts[] = {
        "  Tom's \"quote\" > x\r\n\t y \f z  ",
        "caf\xc3\xa9 \xe2\x80\x94 na\xc3\xafve",
        " \n ",
        "a\xc2\x85"
        "b",
        "\xef\xbb\xbf"
        "bom",
        "bad \xff utf-8",
        "ctl\x01 del\x7f",
    };
    sanitize("  Tom's \"quote\" > x\r\n\t y  ", NULL, "Tom&#39;s &quot;quote&quot; &gt; x y");
    for (size_t i = 0; i < TD_ARRAY_SIZE(texts); i++) {
        struct td_buf plain = TD_BUF_INIT(1 << 16), wrapped = TD_BUF_INIT(1 << 16);
        struct td_buf in = TD_BUF_INIT(1 << 16);
        ASSERT_OK(td_buf_printf(&in, "<span>%s</span>", texts[i]));
        ASSERT_OK(td_html_sanitize_fragment(texts[i], strlen(texts[i]), NULL, &plain));
        ASSERT_OK(td_html_sanitize_fragment(in.buf, in.len, NULL, &wrapped));
        ASSERT_STR_EQ(plain.buf ? plain.buf : "", wrapped.buf ? wrapped.buf : "");
        td_buf_release(&in);
        td_buf_release(&plain);
        td_buf_release(&wrapped);
    }
}

/*
 * Plain markup takes a fast path past the parser (sanitize.c); whether it
 * handles an input or gives up, the output must be what parsing and the
 * tree walk give.  The inputs sit on the edges of what it accepts: implied
 * end tags, misnesting, references, attribute syntax, hidden elements.
 */
static void test_sanitize_fast_path(void)
{
    static const char *const inputs[] = {
        "<p>a<p>b",
        "<ul><li>a<li>b</ul>",
        "<ul><li>a</li> <li>b<ul><li>c</li></ul></li></ul>",
        "<div><p>x</div>y",
        "<p><b>x</p>y",
        "<b><p>x</b>y</p>",
        "<a href=x><a href=y>z</a></a>",
        "<p>a<div>b</div>c</p>",
        "<h1><h2>x</h2></h1>",
        "<h2>t<p>x</h2>y",
        "<b><b><b><b>x</b></b></b></b>",
        "<li>x</li>",
        "<ul><li><p>a<li>b</ul>",
        "<ul><li><b>a<li>b</ul>c",
        "<p>a<ul><li>b</ul>c",
        "a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &nbsp;f &#65;&#x42;&#x1F600;&#xe9;",
        "AT&T &copy &copy; &notit; x",
        "&#0; &#x80; &#xD800; &#1114112; &#9;",
        "<a href='/x?a=1&b=2&amp;c=3&copy=4&lt;'>l</a>",
        "<a href=/x?a=1&b>l</a>",
        "<img src=/i.png alt=' alt &amp; text '>",
        "<img src=\"/i.png\"/><br/><br>",
        "<p hidden>h</p><span aria-hidden=\" TRUE \">a</span><div style='display: none'>s</div>v",
        "<p style=x style='display:none'>dup</p><p aria-hidden=false aria-hidden=true>d</p>",
        "<ul><li hidden>a<li>b</ul><p hidden>c<div>d</div>",
        "<!-- c --> a <!-- d -->b <p>x<!-- e --></p>",
        "<!-- c --> a <!-- d -->b<!-->c<!--->d",
        "a<!-- x --!> y -->b<!-- never closed",
        "a < b <3 </ x </>",
        "<P CLASS=x>up</P><IMG SRC=/u.png>",
        "<span>a</span> <em>b</em>\t<strong>c</strong>\f<i>d</i>",
        "<p>unclosed <em>em",
        "<figure><img src=a.png><figcaption>cap</figcaption></figure>",
        "<blockquote><p>q</p></blockquote>",
        "</p>x</span>",
        "<br></br><img></img>",
        "<p/>x<span/>y",
        "<a href=\"javascript:alert(1)\">j</a><a>no href</a>",
        "<img src=x onerror=alert(1)><img>",
        "<span title=\"a>b\">t</span><span title='a\"b'>u</span>",
        "<a href=x title=y/>z</a>",
        "<div =x>y</div><div a=\"1\"b=2>z</div>",
        "<div a=`b`>y</div><div a=b\"c>z</div>",
        "<x-custom>z</x-custom><font color=red>f</font>",
        "text\r\n<p>cr</p>",
        "<q>q</q><sub>1</sub><sup>2</sup><time>t</time><abbr>a</abbr><cite>c</cite>",
        "<table><tr><td>t</td></tr></table><script>x</script><pre>\n p</pre>",
        "<code>a  b</code> <u>u</u><s>s</s><small>s</small>",
        "<div><span>a<div>b</span>c</div>",
        "<p>x</p>\n\n<p>y</p>\n",
    };
    for (size_t i = 0; i < TD_ARRAY_SIZE(inputs); i++) {
        struct td_buf fast = TD_BUF_INIT(1 << 16), slow = TD_BUF_INIT(1 << 16);
        struct td_html_doc *doc;
        const char *base = "https://example.org/dir/page";
        ASSERT_OK(td_html_sanitize_fragment(inputs[i], strlen(inputs[i]), base, &fast));
        ASSERT_OK(td_html_parse(inputs[i], strlen(inputs[i]), &doc));
        ASSERT_OK(td_html_sanitize_node(td_html_body(doc), base, NULL, NULL, &slow));
        td_html_free(doc);
        ASSERT_STR_EQ(fast.buf, slow.buf);
        td_buf_release(&fast);
        td_buf_release(&slow);
    }
    sanitize("<ul><li>a<li>b &amp; <b>c</b></ul><p>x<p>y", NULL,
             "<ul><li>a</li><li>b &amp; <strong>c</strong></li></ul><p>x</p><p>y</p>");
}

/* What the parser and the tree walk give for `in`: the reference. */
static void slow_sanitize(const char *in, size_t len, const char *base, struct td_buf *out)
{
    struct td_html_doc *doc;
    ASSERT_OK(td_html_parse(in, len, &doc));
    ASSERT_OK(td_html_sanitize_node(td_html_body(doc), base, NULL, NULL, out));
    td_html_free(doc);
}

/*
 * Tables and pre on the fast path.  `taken` must be handled without the
 * parser, with the parser's output; `left` must be left to the parser
 * (foster parenting, a table in a p, formatting open across cells, ...),
 * and the whole sanitizer still gives the parser's output for them.
 */
static void test_sanitize_fast_tables(void)
{
    static const char *const taken[] = {
        "<table><tr><td>a</td><td>b</td></tr></table>",
        "<table> <tbody> <tr> <th>h</th> </tr> </tbody> </table>x",
        "<table><thead><tr><th>h<tbody><tr><td>a<td>b<tr><td>c</table>after",
        "<table><td>implied</table>",
        "<table><tbody><td>x</table>",
        "<table><tr><td><p>para<td>next</table>",
        "<table><tr><td><p>x</td></tr></table>",
        "<table><tr><td>1<tr><td>2</table>",
        "<table><tr><td>1</tr><tr><td>2</table>",
        "<table><thead><tr><td>1</thead><tfoot><tr><td>2</tfoot></table>",
        "<table><thead><tr><td>1<tbody><tr><td>2</table>",
        "<table><tr><td>x",
        "<table><tr><td>x<table><tr><td>y</table>z",
        "<table><tr><td>a<table><tr><td>b</td></tr></table>c</td></tr></table>",
        "<TABLE><TR><TD>up</TD></TR></TABLE>",
        "<table><!-- c --><tr><!-- d --><td>x</table>",
        "<table> <tr>\n<td>x</table>",
        "<table><tr><td onclick=x() style='color:red'><a href=/y>l</a> <img "
        "src=i.png></td></table>",
        "<a href=/x><table><tr><td>in link</td></tr></table></a>",
        "<b><table><tr><td>x</td></tr></table>y</b>",
        "<ul><li><table><tr><td>x</td></tr></table><li>y</ul>",
        "<div><table><tr><td>x</table>y</div><p>z",
        "<table hidden><tr><td>h</table>v",
        "<table><tr style='display:none'><td>h</td></tr><tr><td "
        "aria-hidden=true>h</td><td>v</table>",
        "<table><tr><td><ul><li>a</ul></td><td><h2>t</h2></td></tr></table>",
        "<pre>\nline1\n  line2</pre>",
        "<pre>\n\nx</pre>",
        "<pre>x\n</pre>\ny",
        "<p>a<pre>b</pre>",
        "<pre><b>bold</b>  x\ty &amp; z</pre>",
        "<pre>a<pre>\nb</pre></pre>",
        "<table><tr><td><pre>\n x  y</pre></td></tr></table>",
        "<pre>\n</pre>",
        "<pre>",
        /* Every element the fast path knows, so that each name is found. */
        "<address><article><aside><blockquote><center><div><figure><figcaption>"
        "<footer><header><main><nav><section><h1>1</h1><h2>2</h2><h3>3</h3><h4>4</h4>"
        "<h5>5</h5><h6>6</h6><p><a href=/a>a</a><abbr>ab</abbr><b>b</b><br><cite>c</cite>"
        "<code>co</code><em>e</em><font>f</font><i>i</i><img src=/i.png><s>s</s>"
        "<small>sm</small><span>sp</span><strong>st</strong><sub>su</sub><sup>up</sup>"
        "<time>t</time><u>u</u></p><ol><li>o</ol><ul><li>u</ul><pre>p</pre><table><thead>"
        "<tr><th>h<tbody><tr><td>d<tfoot><tr><td>f</table></section></nav></main></header>"
        "</footer></figcaption></figure></div>"
        "</center></blockquote></aside></article></address>",
        "<ADDRESS><TABLE><TR><TD><SUP>x</SUP></TD></TR></TABLE></ADDRESS><P>Y</P>",
    };
    static const char *const left[] = {
        "<table>text<tr><td>x</td></tr></table>",
        "<table><tr>&nbsp;<td>x</table>",
        "<table><tr><td>x</td>y</tr></table>",
        "<p>a<table><tr><td>b</td></tr></table>c</p>",
        "<table><tr><td><b>open</td></tr></table>b",
        "<b><table><tr><td>x</b>y</td></tr></table>z</b>",
        "<div><table><tr><td>x</div>y</table>",
        "<table><table><tr><td>x</table></table>",
        "<table><caption>c</caption><tr><td>x</table>",
        "<table style='display:none'>text<tr></table>",
        "<table><tr><td>a</th></td></table>",
        "<table><tr><td>x</td></tr></table></td>",
        "</table>x",
        "<td>x</td>",
        "<tr><td>x",
        "<div><td>x</div>",
        "<table><tr/><td/>x</table>",
        "<table><tr><td><li>x</table>",
        "<table><tr><td><ul><li>a<td>b</table>",
        "<table><b>x</b></table>",
        "<table><tr><script>x</script><td>y</table>",
        "<table><tr><td><script>alert(1)</script>x</td></tr></table>",
        "<table><tr><td><p>a<table><tr><td>b</table></table>",
        "<pre>&#10;x</pre>",
        "<pre>a<table>&#32;</table></pre>",
        "<table><tr>&#9;<td>x</table>",
    };
    const char *base = "https://example.org/dir/page";
    for (size_t i = 0; i < TD_ARRAY_SIZE(taken) + TD_ARRAY_SIZE(left); i++) {
        bool take = i < TD_ARRAY_SIZE(taken);
        const char *in = take ? taken[i] : left[i - TD_ARRAY_SIZE(taken)];
        struct td_buf fast = TD_BUF_INIT(1 << 16), slow = TD_BUF_INIT(1 << 16);
        int r = td_html_sanitize_fast(in, strlen(in), base, &fast), want = take ? 0 : 1;
        if (r != want)
            fprintf(stderr, "# %s path expected for: %s\n", take ? "fast" : "parser", in);
        ASSERT_EQ(r, want);
        if (!take) {
            ASSERT_EQ(fast.len, 0);
            ASSERT_OK(td_html_sanitize_fragment(in, strlen(in), base, &fast));
        }
        slow_sanitize(in, strlen(in), base, &slow);
        ASSERT_STR_EQ(fast.buf ? fast.buf : "", slow.buf ? slow.buf : "");
        td_buf_release(&fast);
        td_buf_release(&slow);
    }
    sanitize("<table><tr><td><script>alert(1)</script><iframe src=//e></iframe>x"
             "<form><input></form></td><td><a href='javascript:x'>j</a></td></table>",
             NULL, "<table><tbody><tr><td>x</td><td>j</td></tr></tbody></table>");
    sanitize("<pre>\n  a &lt;b&gt;\n\tc</pre>", NULL, "<pre>  a &lt;b&gt;\n\tc</pre>");
}

/*
 * Tables nested past the fast path's depth cap, closed and unclosed: the
 * parser takes them, with the same output as the tree walk.
 */
static void test_sanitize_deep_tables(void)
{
    struct td_buf in = TD_BUF_INIT(1 << 20);
    for (int closed = 0; closed < 2; closed++) {
        td_buf_reset(&in);
        for (int i = 0; i < 200; i++)
            ASSERT_OK(td_buf_append_c(&in, "<table><tr><td>x"));
        for (int i = 0; closed && i < 200; i++)
            ASSERT_OK(td_buf_append_c(&in, "</td></tr></table>"));
        struct td_buf fast = TD_BUF_INIT(1 << 20), slow = TD_BUF_INIT(1 << 20);
        ASSERT_EQ(td_html_sanitize_fast(in.buf, in.len, NULL, &fast), 1);
        ASSERT_OK(td_html_sanitize_fragment(in.buf, in.len, NULL, &fast));
        slow_sanitize(in.buf, in.len, NULL, &slow);
        ASSERT_STR_EQ(fast.buf, slow.buf);
        td_buf_release(&fast);
        td_buf_release(&slow);
    }
    td_buf_release(&in);
}

static void test_sanitize_caps(void)
{
    struct td_buf b = TD_BUF_INIT(10);
    const char *in = "<p>this is longer than ten bytes</p>";
    ASSERT_EQ(td_html_sanitize_fragment(in, strlen(in), NULL, &b), TD_ETOOBIG);
    td_buf_release(&b);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_parse_and_walk),
    TAP_TEST(test_walk_order),
    TAP_TEST(test_empty_and_junk),
    TAP_TEST(test_nul_bytes),
    TAP_TEST(test_deep_nesting_is_linear),
    TAP_TEST(test_custom_tags_after_reuse),
    TAP_TEST(test_too_big),
    TAP_TEST(test_resolve_url),
    TAP_TEST(test_resolve_url_shortcut),
    TAP_TEST(test_sanitize_allowlist),
    TAP_TEST(test_sanitize_plain_text),
    TAP_TEST(test_sanitize_fast_path),
    TAP_TEST(test_sanitize_fast_tables),
    TAP_TEST(test_sanitize_deep_tables),
    TAP_TEST(test_sanitize_caps),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
