/*
 * page.c - the article-page side of the crawler: raw bytes through the
 * charset chain into the extractor, and feed discovery in HTML pages
 * (<link rel="alternate">).  Speaks extract.h and html.h; see internal.h
 * for why this lives apart from the store side.
 */
#include "base/compat.h"
#include "base/charset.h"
#include "base/error.h"
#include "crawl/internal.h"
#include "extract/extract.h"
#include "html/html.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Read exactly `n` digits at *p. */
static bool digits(const char **p, int n, int64_t *out)
{
    int64_t v = 0;

    for (int i = 0; i < n; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9')
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

/*
 * The extractor's dates are ISO 8601 (RFC 3339 profile): YYYY-MM-DD, then
 * optionally THH:MM[:SS[.frac]] and Z or an offset.  0 when unparseable.
 */
static int64_t iso_time(const char *s)
{
    int64_t y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
    int sign = 0;

    if (!s || !digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-' ||
        !digits(&s, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return 0;
    if (*s == 'T' || *s == ' ') {
        s++;
        if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi) || h > 23 || mi > 59)
            return 0;
        if (*s == ':') {
            s++;
            if (!digits(&s, 2, &sec))
                return 0;
        }
        if (*s == '.')
            while (*++s >= '0' && *s <= '9')
                ;
        if (*s == '+' || *s == '-') {
            sign = *s++ == '-' ? -1 : 1;
            if (!digits(&s, 2, &oh))
                return 0;
            if (*s == ':')
                s++;
            if (!digits(&s, 2, &om))
                return 0;
        }
    }
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    t -= sign * (oh * 3600 + om * 60);
    return t > 0 ? t : 0;
}

void td_crawl_page_release(struct td_crawl_page *page)
{
    if (page)
        td_arena_release(&page->arena);
}

void td_crawl_page_extract(const char *body, size_t len, const char *content_type, const char *url,
                           struct td_crawl_page *page)
{
    struct td_buf html = TD_BUF_INIT(TD_EXTRACT_MAX_INPUT);
    struct td_charset_opts co = {.content_type = content_type};
    struct td_extract_opts eo = {.base_url = url};
    struct td_article a = {0};
    struct td_arena *ar = &page->arena;
    int err;

    memset(page, 0, sizeof(*page));
    td_arena_init(ar);
    if (td_charset_to_utf8(body, len, &co, &html, NULL) < 0) {
        page->error = "page too large to extract";
        goto out;
    }
    err = td_extract(html.buf, html.len, &eo, &a);
    if (err < 0) {
        page->error = err == TD_EEMPTY
                          ? "no article found in the page"
                          : td_arena_strndup(ar, td_strerror(err), strlen(td_strerror(err)));
        goto out;
    }
    page->title = td_crawl_clip(ar, a.title, TD_CRAWL_LINE_MAX);
    page->language = td_crawl_clip(ar, a.language, TD_CRAWL_LINE_MAX);
    page->published = iso_time(a.published);
    page->image_url = td_crawl_clip(ar, a.image.url, TD_CRAWL_URL_MAX);
    page->image_caption = td_crawl_clip(ar, a.image.caption, TD_CRAWL_LINE_MAX);
    page->image_credit = td_crawl_clip(ar, a.image.credit, TD_CRAWL_LINE_MAX);
    page->image_alt = td_crawl_clip(ar, a.image.alt, TD_CRAWL_LINE_MAX);
    page->text = td_crawl_clip(ar, a.text, TD_CRAWL_TEXT_MAX);
    /* Cut HTML would be broken markup: a page over the cap keeps its text only. */
    if (a.html && strlen(a.html) <= TD_CRAWL_HTML_MAX)
        page->html = td_crawl_clip(ar, a.html, TD_CRAWL_HTML_MAX);
    page->word_count = (int64_t)a.word_count;
    size_t na = TD_MIN(a.n_authors, (size_t)TD_CRAWL_AUTHORS_MAX);
    page->authors = td_arena_zalloc(ar, (na ? na : 1) * sizeof(*page->authors));
    for (size_t i = 0; i < na; i++) {
        const char *name = td_crawl_clip(ar, a.authors[i], TD_CRAWL_LINE_MAX);
        if (name)
            page->authors[page->n_authors++] = name;
    }
    if (!page->text)
        page->error = "no article text found in the page";
out:
    td_article_release(&a);
    td_buf_release(&html);
}

/* rel is a space-separated token list (HTML "link types"), ASCII case-insensitive. */
static bool has_token(struct td_str list, const char *token)
{
    struct td_str t = td_str_c(token);
    size_t i = 0;

    while (i < list.len) {
        while (i < list.len && td_is_space((unsigned char)list.ptr[i]))
            i++;
        size_t start = i;
        while (i < list.len && !td_is_space((unsigned char)list.ptr[i]))
            i++;
        if (td_str_eq_nocase(td_str_make(list.ptr + start, i - start), t))
            return true;
    }
    return false;
}

static bool is_feed_type(struct td_str type)
{
    static const char *const types[] = {"application/rss+xml", "application/atom+xml",
                                        "application/feed+json", "application/rdf+xml"};
    struct td_str t = td_str_trim(type);

    /* Ignore parameters: "application/atom+xml; charset=utf-8". */
    for (size_t i = 0; i < t.len; i++)
        if (t.ptr[i] == ';')
            t = td_str_trim(td_str_make(t.ptr, i));
    for (size_t i = 0; i < TD_ARRAY_SIZE(types); i++)
        if (td_str_eq_nocase(t, td_str_c(types[i])))
            return true;
    return false;
}

int td_crawl_discover(const char *body, size_t len, const char *content_type, const char *url,
                      struct td_buf *out, size_t *n, struct td_buf *icon)
{
    struct td_buf html = TD_BUF_INIT(TD_HTML_MAX_INPUT);
    struct td_buf base = TD_BUF_INIT(TD_CRAWL_URL_MAX);
    struct td_buf link = TD_BUF_INIT(TD_CRAWL_URL_MAX);
    struct td_charset_opts co = {.content_type = content_type};
    struct td_html_doc *doc = NULL;
    struct td_html_walk w;
    bool leaving;
    int err;

    *n = 0;
    err = td_charset_to_utf8(body, len, &co, &html, NULL);
    if (err < 0)
        goto out;
    err = td_html_parse(html.buf, html.len, &doc);
    if (err < 0)
        goto out;
    if (td_buf_append_c(&base, url) < 0) {
        err = TD_ETOOBIG;
        goto out;
    }
    /* Feed links belong in <head>, but pages put them anywhere: walk it all. */
    td_html_walk_init(&w, td_html_root(doc));
    for (struct td_html_node *node; (node = td_html_walk_next(&w, &leaving));) {
        struct td_str rel, type, href;

        if (leaving || !td_html_is_element(node))
            continue;
        if (td_html_tag(node) == TD_HTML_BASE && td_html_attr(node, "href", &href)) {
            td_buf_reset(&link);
            if (td_html_resolve_url(url, href, &link) == 0) {
                td_buf_reset(&base);
                if (td_buf_append_str(&base, td_buf_str(&link)) < 0)
                    continue;
            }
            continue;
        }
        /* rel="icon" and the older rel="shortcut icon" both carry the token "icon". */
        if (icon && icon->len == 0 && td_html_tag(node) == TD_HTML_LINK &&
            td_html_attr(node, "rel", &rel) && has_token(rel, "icon") &&
            td_html_attr(node, "href", &href)) {
            td_buf_reset(&link);
            if (td_html_resolve_url(base.buf, href, &link) == 0 && link.len <= TD_CRAWL_URL_MAX &&
                td_buf_append_str(icon, td_buf_str(&link)) < 0)
                td_buf_reset(icon);
            continue;
        }
        if ((td_html_tag(node) != TD_HTML_LINK && td_html_tag(node) != TD_HTML_A) ||
            !td_html_attr(node, "rel", &rel) || !has_token(rel, "alternate") ||
            !td_html_attr(node, "type", &type) || !is_feed_type(type) ||
            !td_html_attr(node, "href", &href))
            continue;
        td_buf_reset(&link);
        if (td_html_resolve_url(base.buf, href, &link) < 0)
            continue;
        if (td_buf_append(out, link.buf, link.len + 1) < 0) {
            err = TD_ETOOBIG;
            goto out;
        }
        (*n)++;
    }
out:
    td_html_free(doc);
    td_buf_release(&link);
    td_buf_release(&base);
    td_buf_release(&html);
    return err;
}
