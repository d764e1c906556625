/*
 * fuzz_extract.c - libFuzzer target for the page path: raw bytes through
 * gunzip (when gzip), the charset chain and td_extract, as `tidings
 * extract` and the crawler run them.
 *
 * The first byte picks the HTTP Content-Type (none, or one of a few
 * labels); the rest is the page.  Besides crashes, leaks and hangs it checks
 * what callers rely on: every string of a successful result is valid UTF-8,
 * the sanitized HTML never carries a live <script>, <style> or <iframe>, and
 * the lead image URL, when there is one, is absolute http(s).
 */
#include "base/compat.h"
#include "base/charset.h"
#include "base/error.h"
#include "base/inflate.h"
#include "base/str.h"
#include "base/url.h"
#include "base/utf8.h"
#include "extract/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const content_types[] = {
    NULL,
    "text/html",
    "text/html; charset=utf-8",
    "text/html; charset=windows-1252",
    "text/html; charset=gbk",
    "text/html; charset=shift_jis",
    "text/html; charset=utf-16le",
    "text/html; charset=iso-2022-jp",
};

static void check_str(const char *s)
{
    if (s)
        TD_ASSERT(td_utf8_valid(s, strlen(s)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_buf plain = TD_BUF_INIT(TD_EXTRACT_MAX_INPUT);
    struct td_buf html = TD_BUF_INIT(TD_EXTRACT_MAX_INPUT);
    struct td_charset_opts co = {0};
    struct td_extract_opts eo = {.base_url = "https://news.example/section/story.html"};
    struct td_article a;

    if (size == 0)
        return 0;
    co.content_type = content_types[data[0] % TD_ARRAY_SIZE(content_types)];
    data++, size--;
    if (td_inflate_is_gzip(data, size)) {
        if (td_inflate_gunzip(data, size, &plain, NULL) < 0)
            goto out;
        data = (const uint8_t *)plain.buf;
        size = plain.len;
    }
    if (td_charset_to_utf8((const char *)data, size, &co, &html, NULL) < 0)
        goto out;
    TD_ASSERT(td_utf8_valid(html.buf, html.len));
    if (td_extract(html.buf, html.len, &eo, &a) == 0) {
        TD_ASSERT(a.text && a.html);
        check_str(a.url);
        check_str(a.title);
        for (size_t i = 0; i < a.n_authors; i++)
            check_str(a.authors[i]);
        check_str(a.published);
        check_str(a.modified);
        check_str(a.language);
        check_str(a.site_name);
        check_str(a.description);
        check_str(a.image.url);
        check_str(a.image.caption);
        check_str(a.image.credit);
        check_str(a.text);
        check_str(a.html);
        struct td_str h = td_str_c(a.html);
        TD_ASSERT(td_str_find_nocase(h, TD_STR_LIT("<script")) < 0);
        TD_ASSERT(td_str_find_nocase(h, TD_STR_LIT("<style")) < 0);
        TD_ASSERT(td_str_find_nocase(h, TD_STR_LIT("<iframe")) < 0);
        if (a.image.url)
            TD_ASSERT(td_url_is_http(td_str_c(a.image.url)));
        td_article_release(&a);
    }
out:
    td_buf_release(&plain);
    td_buf_release(&html);
    return 0;
}
