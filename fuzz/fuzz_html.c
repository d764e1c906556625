/*
 * fuzz_html.c - libFuzzer target for html/ (sanitizer) and extract/ output.
 *
 * The bytes (repaired to valid UTF-8, as the charset chain guarantees in
 * the program; fuzz_extract covers the chain itself) go to td_extract with
 * a base URL and to the allowlist sanitizer.  Besides crashes it checks what the rest of the program
 * relies on: text and HTML are valid UTF-8, and every tag the sanitizer or
 * the extractor emits is on the allowlist, with no attribute but href, src
 * and alt, and only http(s) URLs in them.
 */
#include "base/compat.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "extract/extract.h"
#include "html/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool allowed_tag(const char *p, size_t n)
{
    static const char *const tags[] = {
        "p",          "h2",     "h3",    "h4",         "h5", "h6", "ul",     "ol",  "li",
        "blockquote", "figure", "img",   "figcaption", "a",  "em", "strong", "pre", "code",
        "table",      "thead",  "tbody", "tr",         "th", "td", "br",
    };
    for (size_t i = 0; i < TD_ARRAY_SIZE(tags); i++)
        if (strlen(tags[i]) == n && !memcmp(p, tags[i], n))
            return true;
    return false;
}

/* Every '<' opens an allowlisted tag; attributes are href/src/alt with http(s) URLs. */
static void check_html(const char *h)
{
    TD_ASSERT(td_utf8_valid(h, strlen(h)));
    for (const char *p = strchr(h, '<'); p; p = strchr(p + 1, '<')) {
        const char *q = p + 1 + (p[1] == '/');
        size_t n = strspn(q, "abcdefghijklmnopqrstuvwxyz0123456789");
        TD_ASSERT(allowed_tag(q, n));
        const char *end = strchr(q, '>');
        TD_ASSERT(end);
        for (const char *a = q + n; a < end;) {
            while (*a == ' ')
                a++;
            if (a >= end)
                break;
            bool url = !strncmp(a, "href=\"", 6) || !strncmp(a, "src=\"", 5);
            TD_ASSERT(url || !strncmp(a, "alt=\"", 5));
            const char *v = strchr(a, '"') + 1;
            if (url)
                TD_ASSERT(!strncmp(v, "http://", 7) || !strncmp(v, "https://", 8));
            const char *close = strchr(v, '"');
            TD_ASSERT(close && close < end);
            a = close + 1;
        }
        p = end;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_buf in = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_buf out = TD_BUF_INIT(1u << 24);
    struct td_article a;
    struct td_extract_opts opts = {.base_url = "https://example.org/dir/page.html"};

    if (td_utf8_sanitize((const char *)data, size, &in) < 0)
        goto out;
    if (td_extract(in.buf, in.len, &opts, &a) == 0) {
        TD_ASSERT(td_utf8_valid(a.text, strlen(a.text)));
        check_html(a.html);
        if (a.title)
            TD_ASSERT(td_utf8_valid(a.title, strlen(a.title)));
        td_article_release(&a);
    }
    if (td_html_sanitize_fragment(in.buf, in.len, NULL, &out) == 0)
        check_html(out.buf);
out:
    td_buf_release(&in);
    td_buf_release(&out);
    return 0;
}
