/*
 * td_net_get against the fixture server on 127.0.0.1: bodies and headers,
 * caps, conditional GET, redirects, compression, timeouts, error statuses
 * and the guard.  Every positive test sets allow_private, because the
 * fixture is on loopback; test_guard_refuses_live_loopback checks that
 * without it nothing reaches the server.
 */
#include "base/compat.h"
#include "base/error.h"
#include "net/net.h"

#include "fixture/fixture.h"
#include "harness/tap.h"

#include <time.h>

static struct td_fixture *start(void)
{
    struct td_fixture *f = td_fixture_start(0);

    ASSERT(f != NULL);
    return f;
}

static void add(struct td_fixture *f, struct td_fixture_route r)
{
    ASSERT_OK(td_fixture_add(f, &r));
}

static const struct td_net_opts loopback = {.allow_private = true, .timeout_ms = 10000};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_get_200_with_headers(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    char url[TD_FIXTURE_URL_MAX], ua[256];

    add(f, (struct td_fixture_route){
               .path = "/feed.xml",
               .body = "<rss version=\"2.0\"><channel/></rss>",
               .content_type = "application/rss+xml; charset=utf-8",
               .etag = "\"abc\"",
               .last_modified = "Tue, 24 Nov 2026 10:00:00 GMT",
               .headers = "Cache-Control: public\nCache-Control: max-age=600\n"
                          "Expires: Tue, 24 Nov 2026 11:00:00 GMT\nX-Other: 1\n",
           });
    ASSERT_OK(td_net_get(td_fixture_url(f, "/feed.xml", url), &loopback, &r));
    ASSERT_EQ(r.status, 200);
    ASSERT_STR_EQ(r.body.buf, "<rss version=\"2.0\"><channel/></rss>");
    ASSERT_EQ(r.body.len, strlen("<rss version=\"2.0\"><channel/></rss>"));
    ASSERT_STR_EQ(r.url, url);
    ASSERT_STR_EQ(r.content_type, "application/rss+xml; charset=utf-8");
    ASSERT_STR_EQ(r.etag, "\"abc\"");
    ASSERT_STR_EQ(r.last_modified, "Tue, 24 Nov 2026 10:00:00 GMT");
    ASSERT_STR_EQ(r.cache_control, "public, max-age=600");
    ASSERT_STR_EQ(r.expires, "Tue, 24 Nov 2026 11:00:00 GMT");
    ASSERT(r.retry_after == NULL);
    ASSERT(r.permanent_url == NULL);
    ASSERT(!r.not_modified && !r.permanent_redirect);
    ASSERT_EQ(r.redirects, 0);
    ASSERT_STR_EQ(r.error, "");
    /* an honest User-Agent, and no conditional headers when none were given */
    ASSERT_OK(td_fixture_last_header(f, "/feed.xml", "User-Agent", ua, sizeof(ua)));
    ASSERT_STR_EQ(ua, td_net_user_agent);
    ASSERT_CONTAINS(ua, "tidings/");
    ASSERT_EQ(td_fixture_last_header(f, "/feed.xml", "If-None-Match", ua, sizeof(ua)), -1);
    ASSERT_EQ(td_fixture_hits(f, "/feed.xml"), 1);
    td_net_response_release(&r);
    td_fixture_stop(f);
}

/* Chunked trailers arrive after the body; they must not replace validators. */
static void test_trailers_ignored(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    char url[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){.path = "/t",
                                     .body = "chunked body",
                                     .etag = "\"real\"",
                                     .trailers = "ETag: \"forged\"\nExpires: 0\n"});
    ASSERT_OK(td_net_get(td_fixture_url(f, "/t", url), &loopback, &r));
    ASSERT_STR_EQ(r.body.buf, "chunked body");
    ASSERT_STR_EQ(r.etag, "\"real\"");
    ASSERT(r.expires == NULL);
    td_net_response_release(&r);
    td_fixture_stop(f);
}

static void test_get_error_status(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    char url[TD_FIXTURE_URL_MAX];

    ASSERT_EQ(td_net_get(td_fixture_url(f, "/missing", url), &loopback, &r), TD_EHTTP);
    ASSERT_EQ(r.status, 404);
    ASSERT_STR_EQ(r.body.buf, "not found\n");
    ASSERT_CONTAINS(r.error, "404");
    td_net_response_release(&r);
    td_fixture_stop(f);
}

/* A declared Content-Length over the cap stops the transfer before any body. */
static void test_cap_by_content_length(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    char url[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){.path = "/huge", .kind = TD_FIXTURE_HUGE, .size = 20 << 20});
    ASSERT_EQ(td_net_get(td_fixture_url(f, "/huge", url), &loopback, &r), TD_ETOOBIG);
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.body.len, 0);
    ASSERT_LT(r.body.alloc, 4096);
    ASSERT_CONTAINS(r.error, "10485760-byte cap");
    td_net_response_release(&r);
    td_fixture_stop(f);
}

/* Without a Content-Length the cap is enforced as the bytes arrive. */
static void test_cap_while_streaming(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    struct td_net_opts o = loopback;
    char url[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){
               .path = "/stream", .kind = TD_FIXTURE_HUGE, .size = 20 << 20, .chunked = true});
    o.max_body = 100000;
    ASSERT_EQ(td_net_get(td_fixture_url(f, "/stream", url), &o, &r), TD_ETOOBIG);
    ASSERT_LE(r.body.len, 100000);
    ASSERT_LE(r.body.alloc, 2 * 100000 + 1);
    ASSERT_CONTAINS(r.error, "100000-byte cap");

    /* exactly at the cap is fine */
    add(f, (struct td_fixture_route){
               .path = "/fits", .kind = TD_FIXTURE_HUGE, .size = 100000, .chunked = true});
    ASSERT_OK(td_net_get(td_fixture_url(f, "/fits", url), &o, &r));
    ASSERT_EQ(r.body.len, 100000);
    td_net_response_release(&r);
    td_fixture_stop(f);
}

static void test_not_modified_by_etag(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    struct td_net_opts o = loopback;
    char url[TD_FIXTURE_URL_MAX], inm[64];

    add(f, (struct td_fixture_route){.path = "/e", .body = "v1 body", .etag = "\"v1\""});
    td_fixture_url(f, "/e", url);
    ASSERT_OK(td_net_get(url, &o, &r));
    ASSERT_EQ(r.status, 200);
    ASSERT_STR_EQ(r.etag, "\"v1\"");

    o.etag = "\"v1\"";
    ASSERT_OK(td_net_get(url, &o, &r));
    ASSERT_EQ(r.status, 304);
    ASSERT(r.not_modified);
    ASSERT_EQ(r.body.len, 0);
    ASSERT_STR_EQ(r.etag, "\"v1\"");
    ASSERT_OK(td_fixture_last_header(f, "/e", "If-None-Match", inm, sizeof(inm)));
    ASSERT_STR_EQ(inm, "\"v1\"");

    /* a stale validator gets the new body */
    o.etag = "\"v0\"";
    ASSERT_OK(td_net_get(url, &o, &r));
    ASSERT_EQ(r.status, 200);
    ASSERT(!r.not_modified);
    ASSERT_STR_EQ(r.body.buf, "v1 body");
    td_net_response_release(&r);
    td_fixture_stop(f);
}

static void test_not_modified_by_last_modified(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    struct td_net_opts o = loopback;
    char url[TD_FIXTURE_URL_MAX], ims[64];
    const char *lm = "Mon, 23 Nov 2026 08:00:00 GMT";

    add(f, (struct td_fixture_route){.path = "/lm", .body = "dated", .last_modified = lm});
    o.last_modified = lm;
    ASSERT_OK(td_net_get(td_fixture_url(f, "/lm", url), &o, &r));
    ASSERT_EQ(r.status, 304);
    ASSERT(r.not_modified);
    ASSERT_OK(td_fixture_last_header(f, "/lm", "If-Modified-Since", ims, sizeof(ims)));
    ASSERT_STR_EQ(ims, lm);
    td_net_response_release(&r);
    td_fixture_stop(f);
}

/* /NAME1 -> /NAME2 -> ... -> /NAMEn -> /final, each hop with `status`. */
static void add_chain(struct td_fixture *f, const char *name, int hops, int status)
{
    for (int i = 1; i <= hops; i++) {
        char path[64], loc[64];
        snprintf(path, sizeof(path), "/%s%d", name, i);
        if (i == hops)
            snprintf(loc, sizeof(loc), "/final");
        else
            snprintf(loc, sizeof(loc), "/%s%d", name, i + 1);
        add(f, (struct td_fixture_route){
                   .path = path, .kind = TD_FIXTURE_REDIRECT, .status = status, .location = loc});
    }
}

static void test_redirect_limit(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    char url[TD_FIXTURE_URL_MAX], final[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){.path = "/final", .body = "arrived"});
    add_chain(f, "five", 5, 302);
    add_chain(f, "six", 6, 307);
    ASSERT_OK(td_net_get(td_fixture_url(f, "/five1", url), &loopback, &r));
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.redirects, 5);
    ASSERT_STR_EQ(r.body.buf, "arrived");
    ASSERT_STR_EQ(r.url, td_fixture_url(f, "/final", final));
    ASSERT(!r.permanent_redirect);
    ASSERT(r.permanent_url == NULL);

    /* the sixth hop (/six6 -> /final) is the one refused */
    td_fixture_reset_stats(f);
    ASSERT_EQ(td_net_get(td_fixture_url(f, "/six1", url), &loopback, &r), TD_EHTTP);
    ASSERT_CONTAINS(r.error, "more than 5 redirects");
    ASSERT_EQ(td_fixture_hits(f, "/six6"), 1);
    ASSERT_EQ(td_fixture_hits(f, "/final"), 0);
    td_net_response_release(&r);
    td_fixture_stop(f);
}

static void test_permanent_redirect(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    char url[TD_FIXTURE_URL_MAX], want[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){.path = "/final", .body = "here"});
    /* 301 then 308 then 302: the feed has moved for good to /p3 */
    add(f, (struct td_fixture_route){
               .path = "/p1", .kind = TD_FIXTURE_REDIRECT, .status = 301, .location = "/p2"});
    add(f, (struct td_fixture_route){.path = "/p2",
                                     .kind = TD_FIXTURE_REDIRECT,
                                     .status = 308,
                                     .location = td_fixture_url(f, "/p3", want)});
    add(f, (struct td_fixture_route){
               .path = "/p3", .kind = TD_FIXTURE_REDIRECT, .status = 302, .location = "/final"});
    ASSERT_OK(td_net_get(td_fixture_url(f, "/p1", url), &loopback, &r));
    ASSERT(r.permanent_redirect);
    ASSERT_EQ(r.redirects, 3);
    ASSERT_STR_EQ(r.permanent_url, td_fixture_url(f, "/p3", want));
    ASSERT_STR_EQ(r.url, td_fixture_url(f, "/final", want));

    /* a temporary hop first: a later 301 is reported, but nothing moved */
    add(f, (struct td_fixture_route){
               .path = "/t1", .kind = TD_FIXTURE_REDIRECT, .status = 307, .location = "/t2"});
    add(f, (struct td_fixture_route){
               .path = "/t2", .kind = TD_FIXTURE_REDIRECT, .status = 301, .location = "/final"});
    ASSERT_OK(td_net_get(td_fixture_url(f, "/t1", url), &loopback, &r));
    ASSERT(r.permanent_redirect);
    ASSERT(r.permanent_url == NULL);
    td_net_response_release(&r);
    td_fixture_stop(f);
}

static void test_redirect_not_followed(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    struct td_net_opts o = loopback;
    char url[TD_FIXTURE_URL_MAX], want[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){
               .path = "/moved", .kind = TD_FIXTURE_REDIRECT, .status = 301, .location = "/new"});
    o.max_redirects = TD_NET_NO_REDIRECTS;
    ASSERT_OK(td_net_get(td_fixture_url(f, "/moved", url), &o, &r));
    ASSERT_EQ(r.status, 301);
    ASSERT_STR_EQ(r.location, td_fixture_url(f, "/new", want));
    ASSERT_EQ(td_fixture_hits(f, "/new"), 0);
    td_net_response_release(&r);
    td_fixture_stop(f);
}

static void test_redirect_to_other_scheme_refused(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    char url[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){
               .path = "/to-file", .kind = TD_FIXTURE_REDIRECT, .location = "file:///etc/passwd"});
    add(f, (struct td_fixture_route){.path = "/to-ftp",
                                     .kind = TD_FIXTURE_REDIRECT,
                                     .status = 301,
                                     .location = "ftp://127.0.0.1/pub"});
    ASSERT_EQ(td_net_get(td_fixture_url(f, "/to-file", url), &loopback, &r), TD_EDENIED);
    ASSERT_NOT_CONTAINS(r.body.buf, "root:");
    ASSERT_EQ(td_net_get(td_fixture_url(f, "/to-ftp", url), &loopback, &r), TD_EDENIED);
    ASSERT_CONTAINS(r.error, "scheme");
    td_net_response_release(&r);
    td_fixture_stop(f);
}

static void test_gzip_decoded(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    char url[TD_FIXTURE_URL_MAX], ae[128];
    struct td_buf page = TD_BUF_INIT(TD_BUF_NOCAP);

    for (int i = 0; i < 500; i++)
        ASSERT_OK(td_buf_printf(&page, "<p>paragraph %d of a long article</p>\n", i));
    add(f, (struct td_fixture_route){.path = "/gz",
                                     .body = page.buf,
                                     .content_type = "text/html; charset=utf-8",
                                     .gzip = true});
    ASSERT_OK(td_net_get(td_fixture_url(f, "/gz", url), &loopback, &r));
    ASSERT_EQ(r.body.len, page.len);
    ASSERT_MEM_EQ(r.body.buf, page.buf, page.len);
    ASSERT_OK(td_fixture_last_header(f, "/gz", "Accept-Encoding", ae, sizeof(ae)));
    ASSERT_CONTAINS(ae, "gzip");
    ASSERT_CONTAINS(ae, "br");

    /* the cap counts decoded bytes: a small gzip stream can't bypass it */
    struct td_net_opts o = loopback;
    o.max_body = page.len / 2;
    ASSERT_EQ(td_net_get(url, &o, &r), TD_ETOOBIG);
    ASSERT_LE(r.body.len, page.len / 2);
    td_buf_release(&page);
    td_net_response_release(&r);
    td_fixture_stop(f);
}

static void test_timeout(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    struct td_net_opts o = loopback;
    char url[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){.path = "/slow", .body = "late", .delay_ms = 3000});
    o.timeout_ms = 300;
    double t0 = now_s();
    ASSERT_EQ(td_net_get(td_fixture_url(f, "/slow", url), &o, &r), TD_ETIMEOUT);
    double took = now_s() - t0;
    ASSERT(took >= 0.25 && took < 2.0);
    ASSERT_CONTAINS(r.error, "timed out");
    td_net_response_release(&r);
    td_fixture_stop(f);
}

static void test_retry_after_captured(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    char url[TD_FIXTURE_URL_MAX];

    add(f,
        (struct td_fixture_route){
            .path = "/busy", .status = 429, .body = "slow down", .headers = "Retry-After: 120\n"});
    add(f, (struct td_fixture_route){.path = "/down",
                                     .status = 503,
                                     .headers = "Retry-After: Wed, 25 Nov 2026 08:00:00 GMT\n"});
    ASSERT_EQ(td_net_get(td_fixture_url(f, "/busy", url), &loopback, &r), TD_EHTTP);
    ASSERT_EQ(r.status, 429);
    ASSERT_STR_EQ(r.retry_after, "120");
    ASSERT_EQ(td_net_get(td_fixture_url(f, "/down", url), &loopback, &r), TD_EHTTP);
    ASSERT_EQ(r.status, 503);
    ASSERT_STR_EQ(r.retry_after, "Wed, 25 Nov 2026 08:00:00 GMT");
    td_net_response_release(&r);
    td_fixture_stop(f);
}

/* Without allow_private the live loopback server is never contacted. */
static void test_guard_refuses_live_loopback(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    char url[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){.path = "/secret", .body = "internal"});
    ASSERT_EQ(td_net_get(td_fixture_url(f, "/secret", url), NULL, &r), TD_EDENIED);
    ASSERT_CONTAINS(r.error, "127.0.0.1");
    ASSERT_CONTAINS(r.error, "loopback");
    ASSERT_EQ(r.body.len, 0);
    ASSERT_EQ(td_fixture_total_hits(f), 0);
    td_net_response_release(&r);
    td_fixture_stop(f);
}

static const char *www; /* tests/fixture/www, from argv[1] */

static char *read_file(const char *name, size_t *len)
{
    char path[1024];
    FILE *fp;
    char *data = td_xmalloc(1 << 16);

    snprintf(path, sizeof(path), "%s/%s", www, name);
    fp = fopen(path, "rb");
    ASSERT(fp != NULL);
    *len = fread(data, 1, 1 << 16, fp);
    fclose(fp);
    return data;
}

/* Files from a directory arrive byte for byte, with validators that work. */
static void test_serve_dir(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    struct td_net_opts o = loopback;
    char url[TD_FIXTURE_URL_MAX];
    size_t len;
    char *want;

    ASSERT_OK(td_fixture_serve_dir(f, "/", www));
    want = read_file("gb2312.html", &len);
    ASSERT_OK(td_net_get(td_fixture_url(f, "/gb2312.html", url), &o, &r));
    ASSERT_STR_EQ(r.content_type, "text/html");
    ASSERT_EQ(r.body.len, len);
    ASSERT_MEM_EQ(r.body.buf, want, len);
    free(want);

    ASSERT_OK(td_net_get(td_fixture_url(f, "/feed.xml", url), &o, &r));
    ASSERT_CONTAINS(r.body.buf, "<rss");
    ASSERT(r.etag != NULL && r.last_modified != NULL);
    char *etag = td_xstrdup(r.etag);
    o.etag = etag;
    ASSERT_OK(td_net_get(url, &o, &r));
    ASSERT(r.not_modified);
    free(etag);

    ASSERT_EQ(td_net_get(td_fixture_url(f, "/nope.xml", url), &loopback, &r), TD_EHTTP);
    ASSERT_EQ(r.status, 404);
    ASSERT_EQ(td_fixture_hits(f, "/feed.xml"), 2);
    td_net_response_release(&r);
    td_fixture_stop(f);
}

static void test_connection_refused(void)
{
    struct td_fixture *f = start();
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    char url[TD_FIXTURE_URL_MAX];

    td_fixture_url(f, "/", url);
    td_fixture_stop(f); /* nothing listens on that port now */
    ASSERT_EQ(td_net_get(url, &loopback, &r), TD_ENET);
    ASSERT(r.error[0] != '\0');
    ASSERT_EQ(r.status, 0);
    td_net_response_release(&r);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_get_200_with_headers),
    TAP_TEST(test_trailers_ignored),
    TAP_TEST(test_get_error_status),
    TAP_TEST(test_cap_by_content_length),
    TAP_TEST(test_cap_while_streaming),
    TAP_TEST(test_not_modified_by_etag),
    TAP_TEST(test_not_modified_by_last_modified),
    TAP_TEST(test_redirect_limit),
    TAP_TEST(test_permanent_redirect),
    TAP_TEST(test_redirect_not_followed),
    TAP_TEST(test_redirect_to_other_scheme_refused),
    TAP_TEST(test_gzip_decoded),
    TAP_TEST(test_timeout),
    TAP_TEST(test_retry_after_captured),
    TAP_TEST(test_guard_refuses_live_loopback),
    TAP_TEST(test_serve_dir),
    TAP_TEST(test_connection_refused),
    TAP_END,
};

int main(int argc, char **argv)
{
    www = argc > 1 ? argv[1] : "tests/fixture/www";
    return tap_run(tests);
}
