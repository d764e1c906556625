/*
 * test_demo.c - the demo corpus: placeholders filled right (and refused
 * when malformed), and the embedded corpus whole: every file renders, every
 * feed parses with its entries dated relative to "now", and exactly one
 * feed is the malformed one the corpus promises.
 */
#include "base/compat.h"
#include "base/error.h"
#include "demo/demo.h"
#include "feed/feed.h"
#include "harness/tap.h"

/* 2026-12-02T09:14:00Z, a Wednesday. */
#define NOW 1796202840

static int render(const char *tmpl, struct td_buf *out)
{
    td_buf_reset(out);
    return td_demo_render(tmpl, strlen(tmpl), "http://127.0.0.1:8123", NOW, out);
}

static void test_render_placeholders(void)
{
    struct td_buf b = TD_BUF_INIT(TD_DEMO_FILE_MAX);

    ASSERT_OK(render("<link>{{base}}/a/</link>", &b));
    ASSERT_STR_EQ(b.buf, "<link>http://127.0.0.1:8123/a/</link>");
    ASSERT_OK(render("{{rfc822:-0}}", &b));
    ASSERT_STR_EQ(b.buf, "Wed, 02 Dec 2026 09:14:00 +0000");
    /* Five hours and ten minutes back; across midnight and a month. */
    ASSERT_OK(render("{{rfc3339:-18600}}", &b));
    ASSERT_STR_EQ(b.buf, "2026-12-02T04:04:00Z");
    ASSERT_OK(render("{{rfc3339:-120000}}", &b));
    ASSERT_STR_EQ(b.buf, "2026-11-30T23:54:00Z");
    ASSERT_OK(render("Published {{date:-3600}}.", &b));
    ASSERT_STR_EQ(b.buf, "Published 2 December 2026, 08:14 UTC.");
    /* Braces that are not placeholders pass through. */
    ASSERT_OK(render("a { b } {c} }} end", &b));
    ASSERT_STR_EQ(b.buf, "a { b } {c} }} end");
    ASSERT_OK(render("", &b));
    ASSERT_STR_EQ(b.buf, "");
    td_buf_release(&b);
}

static void test_render_refuses(void)
{
    struct td_buf b = TD_BUF_INIT(TD_DEMO_FILE_MAX);

    ASSERT_EQ(render("{{nope}}", &b), TD_EPARSE);
    ASSERT_EQ(render("{{rfc822:+60}}", &b), TD_EPARSE); /* the future is not news */
    ASSERT_EQ(render("{{rfc822:-1x}}", &b), TD_EPARSE);
    ASSERT_EQ(render("{{iso:-60}}", &b), TD_EPARSE);
    ASSERT_EQ(render("{{rfc822:-99999999}}", &b), TD_EPARSE);
    ASSERT_EQ(render("text {{base", &b), TD_EPARSE);
    ASSERT_EQ(render("{{", &b), TD_EPARSE);
    td_buf_release(&b);
}

static const struct td_demo_file *find(const char *path)
{
    for (size_t i = 0; i < td_demo_files_count; i++)
        if (!strcmp(td_demo_files[i].path, path))
            return &td_demo_files[i];
    return NULL;
}

static void test_corpus_renders(void)
{
    struct td_buf b = TD_BUF_INIT(TD_DEMO_FILE_MAX);
    size_t pages = 0, images = 0;

    ASSERT_GE(td_demo_files_count, 60);
    for (size_t i = 0; i < td_demo_files_count; i++) {
        const struct td_demo_file *d = &td_demo_files[i];
        ASSERT(d->path[0] == '/');
        ASSERT(find(d->path) == d); /* paths are unique */
        if (d->templated) {
            td_buf_reset(&b);
            ASSERT_OK(td_demo_render(d->data, d->len, "http://127.0.0.1:9", NOW, &b));
            ASSERT_NOT_CONTAINS(b.buf, "{{");
            ASSERT_NOT_CONTAINS(b.buf, "@@"); /* no build-time slot left unfilled */
        }
        if (strstr(d->path, "/news/"))
            pages++;
        if (!strncmp(d->content_type, "image/", 6))
            images++;
    }
    /* 30-40 article pages, each with its lead image, plus the icons. */
    ASSERT_GE(pages, 30);
    ASSERT_LE(pages, 40);
    ASSERT_GT(images, pages);
    td_buf_release(&b);
}

static void test_corpus_feeds(void)
{
    struct td_buf b = TD_BUF_INIT(TD_DEMO_FILE_MAX);
    size_t bozo = 0;
    bool rss = false, atom = false, json = false;

    ASSERT_GE(td_demo_feeds_count, 5);
    for (size_t i = 0; i < td_demo_feeds_count; i++) {
        const struct td_demo_file *d = find(td_demo_feeds[i]);
        struct td_feed_opts o = {
            .url = "http://127.0.0.1:9/", .content_type = d->content_type, .now = NOW};
        struct td_feed *f = NULL;

        ASSERT(d != NULL);
        td_buf_reset(&b);
        ASSERT_OK(td_demo_render(d->data, d->len, "http://127.0.0.1:9", NOW, &b));
        ASSERT_OK(td_feed_parse(b.buf, b.len, &o, &f));
        ASSERT_GE(f->n_entries, 4);
        bozo += f->bozo;
        rss |= !strcmp(td_feed_version_name(f->version), "rss20");
        atom |= !strcmp(td_feed_version_name(f->version), "atom10");
        json |= !strcmp(td_feed_version_name(f->version), "json11");
        for (size_t e = 0; e < f->n_entries; e++) {
            const struct td_feed_entry *en = &f->entries[e];
            /* Every entry links to a page of the corpus, dated in the past week. */
            ASSERT(!strncmp(en->link, "http://127.0.0.1:9/", 19));
            ASSERT(find(en->link + 18) != NULL);
            ASSERT(en->published.flags & TD_FEED_DATE_SET);
            ASSERT_LE(en->published.t, NOW);
            ASSERT_GT(en->published.t, NOW - 7 * 86400);
        }
        td_feed_free(f);
    }
    ASSERT_EQ(bozo, 1);
    ASSERT(rss && atom && json);
    td_buf_release(&b);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_render_placeholders),
    TAP_TEST(test_render_refuses),
    TAP_TEST(test_corpus_renders),
    TAP_TEST(test_corpus_feeds),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
