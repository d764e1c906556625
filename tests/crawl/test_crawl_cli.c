/*
 * The real `tidings` binary crawling the fixture server on loopback.
 *
 * test_crawl_twice: feeds and article pages with an ETag (304 on the second
 * run), a permanent and a temporary redirect, 429 + Retry-After, a slow
 * reply, a 20 MB feed and a 20 MB page, a broken-but-recoverable feed, a
 * document that is no feed, a gb2312 page and a page two feeds share.
 * `tidings crawl --once` runs twice against a temporary database; the test
 * reads the database with sqlite3 (read-only) and `tidings feeds`, and asks
 * the fixture what it was asked.
 *
 * test_kill9_resume: SIGKILL in the middle of a larger crawl, then a rerun:
 * the database passes integrity_check and ends up with every entry, each
 * once, each page extracted and placed in a story (the crawl is big enough
 * for stories to be placed during the pass).
 *
 * test_add_discovers_and_opml: `add` finds a feed through a page's <link
 * rel=alternate>, refuses loopback without --allow-private, and
 * import-opml / export-opml round-trip the subscriptions.
 *
 * test_page_retry: a page failing with 503 is fetched again by a later
 * pass and stored; one that stays down is given up after the last attempt.
 *
 * test_categories_and_zone: OPML folders and category attributes survive
 * import, `feeds` and an export/import round trip; `add --tz` is validated
 * and applied to the feed's zoneless dates.
 */
#include "base/compat.h"

#include "fixture/fixture.h"
#include "harness/tap.h"

#include <fcntl.h>
#include <iconv.h>
#include <signal.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>

static char dir[64];
static char db[128];

static struct td_fixture *start(void)
{
    struct td_fixture *f = td_fixture_start(0);

    ASSERT(f != NULL);
    snprintf(dir, sizeof(dir), "/tmp/td-crawl-XXXXXX");
    ASSERT(mkdtemp(dir) != NULL);
    snprintf(db, sizeof(db), "%s/tidings.db", dir);
    return f;
}

/* Remove the test's temporary directory. */
static void cleanup(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ASSERT_EQ(system(cmd), 0);
}

static void add(struct td_fixture *f, struct td_fixture_route r)
{
    ASSERT_OK(td_fixture_add(f, &r));
}

/* Run tidings with `args` (NULL-terminated); stdout into `out` (may be NULL). */
static int run(char **out, const char *const *args)
{
    char *argv[16];
    size_t n = 0;
    int fds[2];

    argv[n++] = (char *)TIDINGS_EXE;
    for (; *args && n < 14; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    ASSERT_OK(pipe(fds));
    pid_t pid = fork();
    ASSERT(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(fds[1], 1);
        if (!getenv("TD_TEST_VERBOSE"))
            dup2(null, 2);
        close(fds[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    ssize_t r;
    while ((r = read(fds[0], buf + len, cap - len - 1)) > 0) {
        len += (size_t)r;
        if (cap - len < 1024)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static sqlite3 *open_ro(void)
{
    sqlite3 *h = NULL;

    ASSERT_EQ(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    return h;
}

/* The first column of the first row of `sql` (printf-style), as an integer. */
static int64_t q_int(sqlite3 *h, const char *fmt, ...) TD_PRINTF(2, 3);
static int64_t q_int(sqlite3 *h, const char *fmt, ...)
{
    char sql[1024];
    sqlite3_stmt *st;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "# %s: %s\n", sql, sqlite3_errmsg(h));
        exit(1);
    }
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

/* Same, as a malloc'd string ("" for NULL, "(no row)" when none). */
static char *q_str(sqlite3 *h, const char *fmt, ...) TD_PRINTF(2, 3);
static char *q_str(sqlite3 *h, const char *fmt, ...)
{
    char sql[1024];
    sqlite3_stmt *st;
    va_list ap;
    char *v;

    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "# %s: %s\n", sql, sqlite3_errmsg(h));
        exit(1);
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        v = strdup(t ? (const char *)t : "");
    } else {
        v = strdup("(no row)");
    }
    sqlite3_finalize(st);
    return v;
}

static void exec_rw(const char *sql)
{
    sqlite3 *h = NULL;

    ASSERT_EQ(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    ASSERT_EQ(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

static char *rss(struct td_fixture *f, const char *title, const char *const *paths, size_t n)
{
    size_t cap = 4096 + n * 512, len = 0;
    char *b = malloc(cap), url[TD_FIXTURE_URL_MAX];

    len += (size_t)snprintf(b + len, cap - len,
                            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
                            "<title>%s</title><link>%s</link>",
                            title, td_fixture_url(f, "/", url));
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(b + len, cap - len,
                                "<item><title>%s item %zu</title><link>%s</link>"
                                "<guid isPermaLink=\"false\">%s-%zu</guid>"
                                "<pubDate>Tue, 24 Nov 2026 %02zu:00:00 GMT</pubDate>"
                                "<description>Feed summary of %s item %zu</description></item>",
                                title, i, td_fixture_url(f, paths[i], url), title, i, i % 24, title,
                                i);
    snprintf(b + len, cap - len, "</channel></rss>");
    return b;
}

static char *page(const char *title, const char *marker)
{
    char *b = malloc(4096);

    snprintf(b, 4096,
             "<!doctype html><html><head><title>%s</title></head><body>"
             "<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
             "<article><h1>%s</h1>"
             "<p>%s opens the story with a paragraph that is long enough to be the body.</p>"
             "<p>The second paragraph of the story adds detail, quotes and context so that "
             "the extractor sees a real article and not a navigation list.</p>"
             "<p>A third paragraph closes the story with a few more sentences of text.</p>"
             "</article><footer>Copyright footer</footer></body></html>",
             title, title, marker);
    return b;
}

/* A page in gb2312, its charset named only in <meta>. */
static char *gb2312_page(size_t *len)
{
    const char *utf8 = "<html><head><meta charset=\"gb2312\"><title>新闻</title></head><body>"
                       "<article><h1>北京新闻</h1>"
                       "<p>北京今天天气晴朗，市民纷纷外出游玩。这是一段足够长的中文段落，"
                       "用来测试字符集的转换是否正确无误。</p>"
                       "<p>第二段继续报道有关的消息，记者在现场采访了很多市民，他们都表示"
                       "非常高兴能够在这样的好天气里出门散步。</p>"
                       "<p>第三段是结尾，总结了今天的新闻内容，并预告了明天的天气情况。</p>"
                       "</article></body></html>";
    iconv_t cd = iconv_open("GB2312", "UTF-8");
    size_t inleft = strlen(utf8), cap = inleft * 2, outleft = cap;
    char *out = malloc(cap), *in = (char *)utf8, *o = out;

    ASSERT(cd != (iconv_t)-1);
    ASSERT(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    iconv_close(cd);
    *len = cap - outleft;
    return out;
}

static unsigned hits(struct td_fixture *f, const char *path)
{
    return td_fixture_hits(f, path);
}

static void test_crawl_twice(void)
{
    struct td_fixture *f = start();
    char url[TD_FIXTURE_URL_MAX], url2[TD_FIXTURE_URL_MAX], *out = NULL;
    static const char *const ok_pages[] = {"/p/ok0.html", "/p/ok1.html",  "/p/shared.html",
                                           "/p/gb.html",  "/p/huge.html", "/p/missing.html"};
    static const char *const atom_pages[] = {"/p/shared.html", "/p/atom1.html"};
    static const char *const slow_pages[] = {"/p/slow0.html"};
    static const char *const moved_pages[] = {"/p/moved0.html"};
    char *ok = rss(f, "Okay", ok_pages, 6);
    char *slow = rss(f, "Slow", slow_pages, 1);
    char *moved = rss(f, "Moved", moved_pages, 1);
    char atom[2048], broken[2048];
    size_t gblen;
    char *gb = gb2312_page(&gblen);

    snprintf(atom, sizeof(atom),
             "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
             "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atomic</title>"
             "<entry><id>tag:atom,1</id><title>Shared story</title><link href=\"%s\"/>"
             "<updated>2026-11-24T08:00:00Z</updated></entry>"
             "<entry><id>tag:atom,2</id><title>Atom only</title><link href=\"%s\"/>"
             "<updated>2026-11-24T09:00:00Z</updated></entry></feed>",
             td_fixture_url(f, atom_pages[0], url), td_fixture_url(f, atom_pages[1], url2));
    /* Bare &, an HTML entity, a control character and no closing tags. */
    snprintf(broken, sizeof(broken),
             "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Broken & Co</title>"
             "<item><title>Caf&eacute; story\x01</title><link>%s</link><guid>b1</guid>"
             "<description>Fish & chips",
             td_fixture_url(f, "/p/broken1.html", url));

    add(f, (struct td_fixture_route){.path = "/ok.xml",
                                     .body = ok,
                                     .etag = "\"ok-v1\"",
                                     .content_type = "application/rss+xml"});
    add(f, (struct td_fixture_route){
               .path = "/atom-old.xml", .kind = TD_FIXTURE_REDIRECT, .location = "/atom.xml"});
    add(f, (struct td_fixture_route){.path = "/atom.xml",
                                     .body = atom,
                                     .last_modified = "Tue, 24 Nov 2026 09:00:00 GMT",
                                     .content_type = "application/atom+xml"});
    add(f, (struct td_fixture_route){.path = "/moved.xml",
                                     .kind = TD_FIXTURE_REDIRECT,
                                     .status = 301,
                                     .location = "/new-home.xml"});
    add(f, (struct td_fixture_route){.path = "/new-home.xml", .body = moved});
    add(f, (struct td_fixture_route){.path = "/limited.xml",
                                     .status = 429,
                                     .body = "slow down",
                                     .headers = "Retry-After: 7200\n"});
    add(f, (struct td_fixture_route){.path = "/slow.xml", .body = slow, .delay_ms = 1500});
    add(f, (struct td_fixture_route){.path = "/huge.xml",
                                     .kind = TD_FIXTURE_HUGE,
                                     .size = 20u << 20,
                                     .chunked = true,
                                     .content_type = "application/rss+xml"});
    add(f, (struct td_fixture_route){.path = "/broken.xml", .body = broken});
    add(f, (struct td_fixture_route){.path = "/notafeed.xml",
                                     .body = "<html><body>Nope</body>",
                                     .content_type = "text/html"});
    char *pages[6];
    const char *names[] = {"/p/ok0.html",   "/p/ok1.html",   "/p/shared.html",
                           "/p/atom1.html", "/p/slow0.html", "/p/moved0.html"};
    for (int i = 0; i < 6; i++) {
        char marker[64];
        snprintf(marker, sizeof(marker), "Marker-%d", i);
        pages[i] = page(names[i], marker);
        add(f, (struct td_fixture_route){
                   .path = names[i], .body = pages[i], .content_type = "text/html; charset=utf-8"});
    }
    add(f, (struct td_fixture_route){.path = "/p/broken1.html",
                                     .body = page("Broken", "Marker-b"),
                                     .content_type = "text/html"});
    add(f, (struct td_fixture_route){
               .path = "/p/gb.html", .body = gb, .body_len = gblen, .content_type = "text/html"});
    add(f, (struct td_fixture_route){.path = "/p/huge.html",
                                     .kind = TD_FIXTURE_HUGE,
                                     .size = 20u << 20,
                                     .content_type = "text/html"});

    static const char *const feeds[] = {"/ok.xml",      "/atom-old.xml", "/moved.xml",
                                        "/limited.xml", "/slow.xml",     "/huge.xml",
                                        "/broken.xml",  "/notafeed.xml"};
    for (size_t i = 0; i < TD_ARRAY_SIZE(feeds); i++) {
        td_fixture_url(f, feeds[i], url);
        const char *args[] = {"add", url, "--allow-private", "--db", db, NULL};
        int rc = run(NULL, args);
        /* The 429, the huge and the non-feed cannot be checked by add. */
        if (i >= 3 && i != 4 && i != 6)
            ASSERT_NE(rc, 0);
        else
            ASSERT_EQ(rc, 0);
    }
    /* Those three are subscribed from OPML instead, which does not fetch. */
    char opml[4096];
    int n = snprintf(opml, sizeof(opml), "<opml version=\"2.0\"><body>");
    const char *later[] = {"/limited.xml", "/huge.xml", "/notafeed.xml"};
    for (int i = 0; i < 3; i++)
        n += snprintf(opml + n, sizeof(opml) - (size_t)n, "<outline text=\"x%d\" xmlUrl=\"%s\"/>",
                      i, td_fixture_url(f, later[i], url));
    snprintf(opml + n, sizeof(opml) - (size_t)n, "</body></opml>");
    char opml_path[128];
    snprintf(opml_path, sizeof(opml_path), "%s/in.opml", dir);
    FILE *fp = fopen(opml_path, "w");
    ASSERT(fp != NULL);
    fputs(opml, fp);
    fclose(fp);
    {
        const char *args[] = {"import-opml", opml_path, "--allow-private", "--db", db, NULL};
        ASSERT_EQ(run(&out, args), 0);
        ASSERT_CONTAINS(out, "3 added");
        free(out);
    }
    td_fixture_reset_stats(f);

    /* ---- first crawl ---- */
    {
        const char *args[] = {"crawl", "--once", "--db", db, NULL};
        ASSERT_EQ(run(&out, args), 0);
        /* Not a terminal: no progress line, only the summary. */
        ASSERT_NOT_CONTAINS(out, "\r");
        ASSERT_CONTAINS(out, "crawled 8 feeds");
        free(out);
    }
    sqlite3 *h = open_ro();
    int64_t now = (int64_t)time(NULL);
    int64_t ok_id = q_int(h, "SELECT id FROM feeds WHERE url LIKE '%%/ok.xml'");
    ASSERT_GT(ok_id, 0);
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM articles WHERE feed_id = %lld", (long long)ok_id), 6);
    /* Extracted text beside the feed's own summary. */
    char *t = q_str(h, "SELECT text FROM articles WHERE url LIKE '%%/p/ok1.html'");
    ASSERT_CONTAINS(t, "Marker-1 opens the story");
    ASSERT_NOT_CONTAINS(t, "Copyright footer");
    free(t);
    t = q_str(h, "SELECT feed_summary_html FROM articles WHERE url LIKE '%%/p/ok1.html'");
    ASSERT_CONTAINS(t, "Feed summary of Okay item 1");
    free(t);
    /* gb2312 decoded through the charset chain. */
    t = q_str(h, "SELECT text FROM articles WHERE url LIKE '%%/p/gb.html'");
    ASSERT_CONTAINS(t, "北京今天天气晴朗");
    free(t);
    /* The 20 MB page: feed content kept, the reason recorded. */
    t = q_str(h, "SELECT extract_error FROM articles WHERE url LIKE '%%/p/huge.html'");
    ASSERT_CONTAINS(t, "larger than");
    free(t);
    t = q_str(h, "SELECT feed_summary_html FROM articles WHERE url LIKE '%%/p/huge.html'");
    ASSERT_CONTAINS(t, "Feed summary of Okay item 4");
    free(t);
    t = q_str(h, "SELECT extract_error FROM articles WHERE url LIKE '%%/p/missing.html'");
    ASSERT_CONTAINS(t, "404");
    free(t);
    /* The page two feeds link to was fetched once and stored for both. */
    ASSERT_EQ(hits(f, "/p/shared.html"), 1);
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM articles WHERE url LIKE '%%/p/shared.html' "
                       "AND text LIKE '%%Marker-2%%'"),
              2);
    /* Permanent redirect: the stored URL moved; temporary: it did not. */
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM feeds WHERE url LIKE '%%/new-home.xml'"), 1);
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM feeds WHERE url LIKE '%%/moved.xml'"), 0);
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM feeds WHERE url LIKE '%%/atom-old.xml'"), 1);
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM articles a JOIN feeds f ON a.feed_id = f.id "
                       "WHERE f.url LIKE '%%/new-home.xml'"),
              1);
    /* Slow but fine; broken but recovered. */
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM feeds WHERE url LIKE '%%/slow.xml' "
                       "AND last_error IS NULL AND last_status = 200"),
              1);
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM articles a JOIN feeds f ON a.feed_id = f.id "
                       "WHERE f.url LIKE '%%/broken.xml' AND a.text LIKE '%%Marker-b%%'"),
              1);
    /* Errors: recorded, counted, scheduled. */
    t = q_str(h, "SELECT last_error FROM feeds WHERE url LIKE '%%/limited.xml'");
    ASSERT_CONTAINS(t, "429");
    free(t);
    ASSERT_GE(q_int(h, "SELECT next_fetch_at FROM feeds WHERE url LIKE '%%/limited.xml'"),
              now + 7200 - 60);
    t = q_str(h, "SELECT last_error FROM feeds WHERE url LIKE '%%/huge.xml'");
    ASSERT_CONTAINS(t, "larger than");
    free(t);
    t = q_str(h, "SELECT last_error FROM feeds WHERE url LIKE '%%/notafeed.xml'");
    ASSERT_CONTAINS(t, "not a feed");
    free(t);
    ASSERT_EQ(q_int(h, "SELECT error_count FROM feeds WHERE url LIKE '%%/huge.xml'"), 1);
    int64_t articles = q_int(h, "SELECT count(*) FROM articles");
    ASSERT_EQ(articles, 6 + 2 + 1 + 1 + 1);
    sqlite3_close(h);

    {
        const char *args[] = {"feeds", "--db", db, NULL};
        ASSERT_EQ(run(&out, args), 0);
        ASSERT_CONTAINS(out, "error  next");
        ASSERT_CONTAINS(out, "error (1 in a row): HTTP 429, Retry-After: 7200");
        ASSERT_CONTAINS(out, "not a feed");
        ASSERT_CONTAINS(out, "\"Okay\"");
        free(out);
    }

    /* ---- second crawl, as if the schedule had come round (not the 429's) ---- */
    exec_rw("UPDATE feeds SET next_fetch_at = 0 WHERE last_status IS NOT 429");
    td_fixture_reset_stats(f);
    {
        const char *args[] = {"crawl", "--once", "--db", db, NULL};
        ASSERT_EQ(run(&out, args), 0);
        ASSERT_CONTAINS(out, "crawled 7 feeds");
        ASSERT_CONTAINS(out, "0 new entries");
        free(out);
    }
    char etag[64];
    ASSERT_EQ(hits(f, "/ok.xml"), 1);
    ASSERT_OK(td_fixture_last_header(f, "/ok.xml", "If-None-Match", etag, sizeof(etag)));
    ASSERT_STR_EQ(etag, "\"ok-v1\"");
    ASSERT_OK(td_fixture_last_header(f, "/atom.xml", "If-Modified-Since", etag, sizeof(etag)));
    /* Retry-After honoured: not asked again. */
    ASSERT_EQ(hits(f, "/limited.xml"), 0);
    /* Nothing new: no page fetched again. */
    ASSERT_EQ(hits(f, "/p/ok1.html") + hits(f, "/p/shared.html") + hits(f, "/p/gb.html"), 0);
    h = open_ro();
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM articles"), articles);
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM (SELECT DISTINCT feed_id, entry_key FROM articles)"),
              articles);
    ASSERT_EQ(q_int(h, "SELECT last_status FROM feeds WHERE url LIKE '%%/ok.xml'"), 304);
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM feeds WHERE url LIKE '%%/ok.xml' "
                       "AND last_error IS NULL AND etag = '\"ok-v1\"'"),
              1);
    /* Consecutive errors count up; backoff never gives up. */
    ASSERT_EQ(q_int(h, "SELECT error_count FROM feeds WHERE url LIKE '%%/huge.xml'"), 2);
    ASSERT_GT(q_int(h, "SELECT next_fetch_at FROM feeds WHERE url LIKE '%%/huge.xml'"), now);
    sqlite3_close(h);

    td_fixture_stop(f);
    cleanup();
    free(ok);
    free(slow);
    free(moved);
    free(gb);
}

#define KILL_FEEDS 40
#define KILL_ENTRIES 20

static void test_kill9_resume(void)
{
    struct td_fixture *f = start();
    char url[TD_FIXTURE_URL_MAX], path[64];
    const char *paths[KILL_ENTRIES];
    char pagepaths[KILL_ENTRIES][64];
    char *body = page("Kill test", "Survivor");

    for (int e = 0; e < KILL_ENTRIES; e++)
        paths[e] = pagepaths[e];
    for (int i = 0; i < KILL_FEEDS; i++) {
        for (int e = 0; e < KILL_ENTRIES; e++) {
            snprintf(pagepaths[e], sizeof(pagepaths[e]), "/k/%d/%d.html", i, e);
            /* A few ms per page spreads the crawl over a couple of seconds. */
            add(f, (struct td_fixture_route){.path = pagepaths[e],
                                             .body = body,
                                             .content_type = "text/html",
                                             .delay_ms = 5});
        }
        char title[32];
        snprintf(title, sizeof(title), "Feed %d", i);
        char *x = rss(f, title, paths, KILL_ENTRIES);
        snprintf(path, sizeof(path), "/k/%d.xml", i);
        add(f, (struct td_fixture_route){.path = path, .body = x});
        free(x);
    }
    char opml_path[128];
    snprintf(opml_path, sizeof(opml_path), "%s/kill.opml", dir);
    FILE *fp = fopen(opml_path, "w");
    ASSERT(fp != NULL);
    fputs("<opml version=\"2.0\"><body>", fp);
    for (int i = 0; i < KILL_FEEDS; i++) {
        snprintf(path, sizeof(path), "/k/%d.xml", i);
        fprintf(fp, "<outline text=\"f%d\" xmlUrl=\"%s\"/>", i, td_fixture_url(f, path, url));
    }
    fputs("</body></opml>", fp);
    fclose(fp);
    {
        const char *args[] = {"import-opml", opml_path, "--allow-private", "--db", db, NULL};
        ASSERT_EQ(run(NULL, args), 0);
    }

    /* Start a crawl and kill it once some, not all, articles are in. */
    pid_t pid = fork();
    ASSERT(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(TIDINGS_EXE, TIDINGS_EXE, "crawl", "--once", "--db", db, (char *)NULL);
        _exit(127);
    }
    int64_t seen = 0;
    for (int tries = 0; tries < 2000 && seen < 100; tries++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
        sqlite3 *h = NULL;
        if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
            sqlite3_busy_timeout(h, 1000);
            seen = q_int(h, "SELECT count(*) FROM articles WHERE fetched_at IS NOT NULL");
        }
        sqlite3_close(h);
    }
    ASSERT_OK(kill(pid, SIGKILL));
    int status;
    waitpid(pid, &status, 0);
    ASSERT(WIFSIGNALED(status));
    ASSERT_GE(seen, 100);

    sqlite3 *h = open_ro();
    int64_t before = q_int(h, "SELECT count(*) FROM articles WHERE fetched_at IS NOT NULL");
    ASSERT_LT(before, KILL_FEEDS * KILL_ENTRIES);
    sqlite3_close(h);

    {
        const char *args[] = {"crawl", "--once", "--db", db, NULL};
        ASSERT_EQ(run(NULL, args), 0);
    }
    h = open_ro();
    char *ic = q_str(h, "PRAGMA integrity_check");
    ASSERT_STR_EQ(ic, "ok");
    free(ic);
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM articles"), KILL_FEEDS * KILL_ENTRIES);
    ASSERT_EQ(q_int(h, "SELECT count(DISTINCT url) FROM articles"), KILL_FEEDS * KILL_ENTRIES);
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM articles WHERE text LIKE '%%Survivor opens%%' "
                       "AND fetched_at IS NOT NULL AND extract_error IS NULL"),
              KILL_FEEDS * KILL_ENTRIES);
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM feeds WHERE last_status = 200"), KILL_FEEDS);
    /*
     * Every article placed in a story once, the placements numbered 1..N
     * without a gap (those committed before the kill are a prefix, and the
     * rebuilt index goes on from there), and the stories count them all.
     */
    ASSERT_EQ(q_int(h, "SELECT count(story_seq) FROM articles"), KILL_FEEDS * KILL_ENTRIES);
    ASSERT_EQ(q_int(h, "SELECT max(story_seq) FROM articles"), KILL_FEEDS * KILL_ENTRIES);
    ASSERT_EQ(q_int(h, "SELECT sum(n_articles) FROM stories"), KILL_FEEDS * KILL_ENTRIES);
    sqlite3_close(h);
    td_fixture_stop(f);
    free(body);
    cleanup();
}

static void test_add_discovers_and_opml(void)
{
    struct td_fixture *f = start();
    char url[TD_FIXTURE_URL_MAX], feedurl[TD_FIXTURE_URL_MAX], home[1024], *out = NULL;
    static const char *const p[] = {"/p/1.html"};
    char *feed = rss(f, "Discovered", p, 1);

    snprintf(home, sizeof(home),
             "<html><head><title>Home</title>"
             "<link rel=\"stylesheet\" href=\"/s.css\">"
             "<link rel=\"Alternate\" type=\"application/atom+xml; charset=utf-8\" "
             "href=\"feeds/main.xml\"></head><body>Welcome</body></html>");
    add(f, (struct td_fixture_route){
               .path = "/site/index.html", .body = home, .content_type = "text/html"});
    add(f, (struct td_fixture_route){.path = "/site/feeds/main.xml", .body = feed});
    td_fixture_url(f, "/site/index.html", url);
    td_fixture_url(f, "/site/feeds/main.xml", feedurl);
    {
        /* Loopback is refused without the explicit allow. */
        const char *args[] = {"add", url, "--db", db, NULL};
        ASSERT_NE(run(NULL, args), 0);
        ASSERT_EQ(hits(f, "/site/index.html"), 0);
    }
    {
        const char *args[] = {"add", url, "--allow-private", "--db", db, NULL};
        ASSERT_EQ(run(&out, args), 0);
        ASSERT_CONTAINS(out, "added");
        ASSERT_CONTAINS(out, feedurl);
        free(out);
    }
    {
        const char *args[] = {"add", feedurl, "--allow-private", "--db", db, NULL};
        ASSERT_EQ(run(&out, args), 0);
        ASSERT_CONTAINS(out, "already subscribed");
        free(out);
    }
    {
        const char *args[] = {"export-opml", "--db", db, NULL};
        ASSERT_EQ(run(&out, args), 0);
        ASSERT_CONTAINS(out, "<opml version=\"2.0\">");
        ASSERT_CONTAINS(out, feedurl);
        ASSERT_CONTAINS(out, "title=\"Discovered\"");
        char opml_path[128];
        snprintf(opml_path, sizeof(opml_path), "%s/out.opml", dir);
        FILE *fp = fopen(opml_path, "w");
        ASSERT(fp != NULL);
        fputs(out, fp);
        fclose(fp);
        free(out);
        /* Importing the export into a fresh database gives the same list. */
        char db2[160];
        snprintf(db2, sizeof(db2), "%s/second.db", dir);
        const char *imp[] = {"import-opml", opml_path, "--db", db2, NULL};
        ASSERT_EQ(run(&out, imp), 0);
        ASSERT_CONTAINS(out, "1 added");
        free(out);
        const char *list[] = {"feeds", "--db", db2, NULL};
        ASSERT_EQ(run(&out, list), 0);
        ASSERT_CONTAINS(out, feedurl);
        ASSERT_CONTAINS(out, "new    next now");
        free(out);
    }
    {
        /* A page that names no feed. */
        add(f, (struct td_fixture_route){.path = "/plain.html",
                                         .body = "<p>no feed here</p>",
                                         .content_type = "text/html"});
        td_fixture_url(f, "/plain.html", url);
        const char *args[] = {"add", url, "--allow-private", "--db", db, NULL};
        ASSERT_EQ(run(NULL, args), 1);
    }
    td_fixture_stop(f);
    free(feed);
    cleanup();
}

/* Write `text` to `dir`/`name`; the path goes into `path`. */
static void write_file(const char *name, const char *text, char path[128])
{
    snprintf(path, 128, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    ASSERT(fp != NULL);
    fputs(text, fp);
    ASSERT_OK(fclose(fp));
}

/*
 * OPML folders and category attributes are kept on the feed, shown by
 * `feeds`, written back by export-opml and read again unchanged; a feed
 * added with --tz reads its zoneless dates in that zone.
 */
static void test_categories_and_zone(void)
{
    struct td_fixture *f = start();
    char a[TD_FIXTURE_URL_MAX], b[TD_FIXTURE_URL_MAX], c[TD_FIXTURE_URL_MAX];
    char opml[2048], opml_path[128], *out = NULL;
    static const char *const p[] = {"/z/1.html"};
    char *feed = rss(f, "Plain", p, 1);
    char *body = page("Zoned", "Zoned");
    char zoneless[1024], url[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){.path = "/c/a.xml", .body = feed});
    add(f, (struct td_fixture_route){.path = "/c/b.xml", .body = feed});
    add(f, (struct td_fixture_route){.path = "/c/c.xml", .body = feed});
    snprintf(opml, sizeof(opml),
             "<opml version=\"2.0\"><body>"
             "<outline text=\"News\"><outline text=\"World\">"
             "<outline text=\"A\" xmlUrl=\"%s\"/></outline></outline>"
             "<outline text=\"B\" xmlUrl=\"%s\" category=\"/Boston/Weather\"/>"
             "<outline text=\"C\" xmlUrl=\"%s\"/></body></opml>",
             td_fixture_url(f, "/c/a.xml", a), td_fixture_url(f, "/c/b.xml", b),
             td_fixture_url(f, "/c/c.xml", c));
    write_file("cat.opml", opml, opml_path);
    {
        const char *imp[] = {"import-opml", opml_path, "--allow-private", "--db", db, NULL};
        ASSERT_EQ(run(NULL, imp), 0);
        const char *list[] = {"feeds", "--db", db, NULL};
        ASSERT_EQ(run(&out, list), 0);
        ASSERT_CONTAINS(out, "category \"News/World\"");
        ASSERT_CONTAINS(out, "category \"/Boston/Weather\"");
        free(out);
    }
    {
        const char *exp[] = {"export-opml", "--db", db, NULL};
        ASSERT_EQ(run(&out, exp), 0);
        ASSERT_CONTAINS(out, "<outline text=\"News\" title=\"News\">\n"
                             "      <outline text=\"World\" title=\"World\">\n");
        ASSERT_CONTAINS(out, "category=\"/Boston/Weather\"");
        write_file("cat-out.opml", out, opml_path);
        free(out);
        char db2[160];
        snprintf(db2, sizeof(db2), "%s/cat2.db", dir);
        const char *imp[] = {"import-opml", opml_path, "--db", db2, NULL};
        ASSERT_EQ(run(NULL, imp), 0);
        sqlite3 *h = NULL;
        ASSERT_EQ(sqlite3_open_v2(db2, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        char *cat = q_str(h, "SELECT category FROM feeds WHERE url = '%s'", a);
        ASSERT_STR_EQ(cat, "News/World");
        free(cat);
        cat = q_str(h, "SELECT category FROM feeds WHERE url = '%s'", b);
        ASSERT_STR_EQ(cat, "/Boston/Weather");
        free(cat);
        ASSERT_EQ(q_int(h, "SELECT count(*) FROM feeds WHERE url = '%s' AND category IS NULL", c),
                  1);
        sqlite3_close(h);
    }

    /* The same zoneless date, read in the feed's zone or in UTC. */
    snprintf(zoneless, sizeof(zoneless),
             "<rss version=\"2.0\"><channel><title>Zoned</title>"
             "<item><title>Noon</title><link>%s</link><guid>noon</guid>"
             "<pubDate>Tue, 24 Nov 2026 12:00:00</pubDate></item></channel></rss>",
             td_fixture_url(f, "/z/1.html", url));
    add(f, (struct td_fixture_route){.path = "/z/berlin.xml", .body = zoneless});
    add(f, (struct td_fixture_route){.path = "/z/utc.xml", .body = zoneless});
    add(f, (struct td_fixture_route){.path = "/z/1.html", .body = body});
    td_fixture_url(f, "/z/berlin.xml", url);
    {
        const char *bad[] = {"add", url, "--allow-private", "--tz", "Mars/Olympus", "--db",
                             db,    NULL};
        ASSERT_NE(run(NULL, bad), 0);
        ASSERT_EQ(hits(f, "/z/berlin.xml"), 0);
        const char *good[] = {"add", url, "--allow-private", "--tz", "Europe/Berlin", "--db",
                              db,    NULL};
        ASSERT_EQ(run(NULL, good), 0);
        td_fixture_url(f, "/z/utc.xml", url);
        const char *plain[] = {"add", url, "--allow-private", "--db", db, NULL};
        ASSERT_EQ(run(NULL, plain), 0);
        const char *list[] = {"feeds", "--db", db, NULL};
        ASSERT_EQ(run(&out, list), 0);
        ASSERT_CONTAINS(out, "tz Europe/Berlin");
        free(out);
        const char *crawl[] = {"crawl", "--once", "--db", db, NULL};
        ASSERT_EQ(run(NULL, crawl), 0);
    }
    sqlite3 *h = open_ro();
    /* 12:00 in Berlin in November (UTC+1) is 11:00 UTC. */
    ASSERT_EQ(q_int(h, "SELECT a.published FROM articles a JOIN feeds f ON f.id = a.feed_id "
                       "WHERE f.url LIKE '%%/z/berlin.xml'"),
              1795518000);
    ASSERT_EQ(q_int(h, "SELECT a.published FROM articles a JOIN feeds f ON f.id = a.feed_id "
                       "WHERE f.url LIKE '%%/z/utc.xml'"),
              1795521600);
    sqlite3_close(h);
    td_fixture_stop(f);
    free(feed);
    free(body);
    cleanup();
}

/* Let every waiting page retry be due now, as if its time had come. */
static void retries_due(void)
{
    sqlite3 *h = NULL;

    ASSERT_EQ(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    ASSERT_EQ(sqlite3_exec(h, "UPDATE articles SET page_retry_at = 1 WHERE page_retry_at > 1", NULL,
                           NULL, NULL),
              SQLITE_OK);
    sqlite3_close(h);
}

/*
 * A page that fails with 503 is not given up: the entry keeps the feed's
 * content with the error, the attempts and the next attempt, and a later
 * `crawl --once` (once that attempt is due) fetches the page again and
 * stores the article.  A page that keeps failing is given up after
 * TD_CRAWL_PAGE_ATTEMPTS fetches, a 404 at once.
 */
static void test_page_retry(void)
{
    struct td_fixture *f = start();
    static const char *const p[] = {"/r/flaky.html", "/r/down.html", "/r/gone.html"};
    char *feed = rss(f, "Retry", p, 3);
    char *body = page("Flaky", "Flaky");
    const char *crawl[] = {"crawl", "--once", "--db", db, NULL};
    char url[TD_FIXTURE_URL_MAX];
    int64_t now = (int64_t)time(NULL);

    add(f, (struct td_fixture_route){.path = "/r/feed.xml", .body = feed});
    add(f, (struct td_fixture_route){.path = "/r/flaky.html", .body = "busy", .status = 503});
    add(f, (struct td_fixture_route){.path = "/r/down.html", .body = "down", .status = 503});
    add(f, (struct td_fixture_route){.path = "/r/gone.html", .body = "gone", .status = 404});
    td_fixture_url(f, "/r/feed.xml", url);
    {
        const char *args[] = {"add", url, "--allow-private", "--db", db, NULL};
        ASSERT_EQ(run(NULL, args), 0);
    }
    ASSERT_EQ(run(NULL, crawl), 0);
    sqlite3 *h = open_ro();
    ASSERT_EQ(
        q_int(h,
              "SELECT count(*) FROM articles WHERE url LIKE '%%/r/flaky.html' AND text IS NULL "
              "AND extract_error LIKE 'HTTP 503%%' AND page_attempts = 1 AND fetched_at IS "
              "NULL AND page_retry_at > %lld AND feed_summary_html LIKE '%%Retry item 0%%'",
              (long long)now),
        1);
    /* A page waiting for a retry is not placed in a story yet. */
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM articles WHERE url LIKE '%%/r/flaky.html' AND "
                       "story_seq IS NULL"),
              1);
    ASSERT_EQ(q_int(h,
                    "SELECT count(*) FROM articles WHERE url LIKE '%%/r/gone.html' AND "
                    "extract_error LIKE 'HTTP 404%%' AND page_attempts = 1 AND fetched_at IS NOT "
                    "NULL AND page_retry_at IS NULL"),
              1);
    sqlite3_close(h);

    /* Not due yet: a pass right after does not fetch it. */
    ASSERT_EQ(run(NULL, crawl), 0);
    ASSERT_EQ(hits(f, "/r/flaky.html"), 1);

    /* Later, the page is back. */
    retries_due();
    add(f, (struct td_fixture_route){.path = "/r/flaky.html", .body = body});
    ASSERT_EQ(run(NULL, crawl), 0);
    ASSERT_EQ(hits(f, "/r/flaky.html"), 1); /* counters restart with the new route */
    h = open_ro();
    ASSERT_EQ(q_int(h,
                    "SELECT count(*) FROM articles WHERE url LIKE '%%/r/flaky.html' AND text "
                    "LIKE '%%Flaky opens%%' AND extract_error IS NULL AND page_retry_at IS NULL "
                    "AND fetched_at IS NOT NULL AND page_attempts = 1 AND story_seq IS NOT NULL"),
              1);
    sqlite3_close(h);

    /* The page that stays down is given up after the last attempt. */
    for (int i = 0; i < 3; i++) {
        retries_due();
        ASSERT_EQ(run(NULL, crawl), 0);
    }
    ASSERT_EQ(hits(f, "/r/down.html"), 4);
    h = open_ro();
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM articles WHERE url LIKE '%%/r/down.html' AND "
                       "page_attempts = 4 AND fetched_at IS NOT NULL AND page_retry_at IS NULL "
                       "AND extract_error LIKE 'HTTP 503%%'"),
              1);
    ASSERT_EQ(q_int(h, "SELECT count(*) FROM articles"), 3);
    sqlite3_close(h);
    ASSERT_EQ(hits(f, "/r/gone.html"), 1);
    td_fixture_stop(f);
    free(feed);
    free(body);
    cleanup();
}

/* An RSS feed whose channel links to `site`, with <image> when `icon` is set. */
static char *small_feed(struct td_fixture *f, const char *site, const char *icon)
{
    char *b = malloc(2048), s[TD_FIXTURE_URL_MAX], i[TD_FIXTURE_URL_MAX];

    snprintf(b, 2048,
             "<rss version=\"2.0\"><channel><title>Feed of %s</title><link>%s</link>"
             "%s%s%s<item><title>One</title><guid>one</guid></item></channel></rss>",
             site, td_fixture_url(f, site, s), icon ? "<image><url>" : "",
             icon ? td_fixture_url(f, icon, i) : "", icon ? "</url></image>" : "");
    return b;
}

/* The icon recorded for the outlet at `site` ("" for none). */
static char *outlet_icon(struct td_fixture *f, const char *site)
{
    char url[TD_FIXTURE_URL_MAX];
    sqlite3 *h = open_ro();
    char *icon = q_str(h, "SELECT COALESCE(icon_url, '') FROM outlets WHERE site_url = '%s'",
                       td_fixture_url(f, site, url));
    sqlite3_close(h);
    return icon;
}

/*
 * Outlet icons: the feed's image, else the site page's <link rel=icon>,
 * else /favicon.ico if it exists; an OPML import learns the feed's icon at
 * the first crawl.
 */
static void test_outlet_icons(void)
{
    struct td_fixture *f = start(), *bare = td_fixture_start(0);
    char url[TD_FIXTURE_URL_MAX], want[TD_FIXTURE_URL_MAX], opml[1024], opml_path[160];
    char *feeds[4], *icon, *out = NULL;

    ASSERT(bare != NULL);
    feeds[0] = small_feed(f, "/a/", "/a/logo.png");
    feeds[1] = small_feed(f, "/b/", NULL);
    feeds[2] = small_feed(f, "/c/", NULL);
    feeds[3] = small_feed(bare, "/d/", NULL);
    add(f, (struct td_fixture_route){.path = "/a/rss.xml", .body = feeds[0]});
    add(f, (struct td_fixture_route){.path = "/b/rss.xml", .body = feeds[1]});
    add(f,
        (struct td_fixture_route){
            .path = "/b/",
            .content_type = "text/html",
            .body = "<html><head><link rel=\"shortcut icon\" href=\"img/b.ico\"></head></html>"});
    add(f, (struct td_fixture_route){.path = "/c/rss.xml", .body = feeds[2]});
    add(f, (struct td_fixture_route){
               .path = "/c/", .content_type = "text/html", .body = "<p>no icon link</p>"});
    add(f, (struct td_fixture_route){
               .path = "/favicon.ico", .content_type = "image/x-icon", .body = "ICO"});
    add(bare, (struct td_fixture_route){.path = "/d/rss.xml", .body = feeds[3]});

    /* /a/ comes in through OPML (nothing fetched), the others through add. */
    snprintf(opml, sizeof(opml),
             "<opml version=\"2.0\"><body><outline type=\"rss\" xmlUrl=\"%s\" "
             "htmlUrl=\"%s\"/></body></opml>",
             td_fixture_url(f, "/a/rss.xml", url), td_fixture_url(f, "/a/", want));
    snprintf(opml_path, sizeof(opml_path), "%s/icons.opml", dir);
    FILE *fp = fopen(opml_path, "w");
    ASSERT(fp != NULL);
    fputs(opml, fp);
    fclose(fp);
    const char *imp[] = {"import-opml", opml_path, "--allow-private", "--db", db, NULL};
    ASSERT_EQ(run(NULL, imp), 0);
    icon = outlet_icon(f, "/a/");
    ASSERT_STR_EQ(icon, "");
    free(icon);
    const char *paths[][2] = {{"b", "/b/rss.xml"}, {"c", "/c/rss.xml"}};
    for (size_t i = 0; i < 2; i++) {
        const char *args[] = {
            "add", td_fixture_url(f, paths[i][1], url), "--allow-private", "--db", db, NULL};
        ASSERT_EQ(run(NULL, args), 0);
    }
    const char *add_d[] = {
        "add", td_fixture_url(bare, "/d/rss.xml", url), "--allow-private", "--db", db, NULL};
    ASSERT_EQ(run(NULL, add_d), 0);
    const char *crawl[] = {"crawl", "--once", "--db", db, NULL};
    ASSERT_EQ(run(&out, crawl), 0);
    free(out);

    icon = outlet_icon(f, "/a/");
    ASSERT_STR_EQ(icon, td_fixture_url(f, "/a/logo.png", want));
    free(icon);
    icon = outlet_icon(f, "/b/");
    ASSERT_STR_EQ(icon, td_fixture_url(f, "/b/img/b.ico", want));
    free(icon);
    icon = outlet_icon(f, "/c/");
    ASSERT_STR_EQ(icon, td_fixture_url(f, "/favicon.ico", want));
    free(icon);
    /* The bare host has neither a page nor /favicon.ico: no icon, and no error. */
    icon = outlet_icon(bare, "/d/");
    ASSERT_STR_EQ(icon, "");
    free(icon);
    ASSERT_EQ(td_fixture_hits(bare, "/favicon.ico"), 1);

    for (size_t i = 0; i < 4; i++)
        free(feeds[i]);
    td_fixture_stop(bare);
    td_fixture_stop(f);
    cleanup();
}

/* Without --once the crawler keeps going until SIGTERM, then exits cleanly. */
static void test_daemon_stops_on_sigterm(void)
{
    struct td_fixture *f = start();
    char url[TD_FIXTURE_URL_MAX];
    static const char *const p[] = {"/d/1.html"};
    char *feed = rss(f, "Daemon", p, 1);
    char *body = page("Daemon", "Daemonic");

    add(f, (struct td_fixture_route){.path = "/d/feed.xml", .body = feed});
    add(f, (struct td_fixture_route){.path = "/d/1.html", .body = body});
    td_fixture_url(f, "/d/feed.xml", url);
    const char *args[] = {"add", url, "--allow-private", "--db", db, NULL};
    ASSERT_EQ(run(NULL, args), 0);
    pid_t pid = fork();
    ASSERT(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(TIDINGS_EXE, TIDINGS_EXE, "crawl", "--db", db, (char *)NULL);
        _exit(127);
    }
    /* Wait for the first pass to store the page, then ask it to stop. */
    int64_t n = 0;
    for (int tries = 0; tries < 1000 && n < 1; tries++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
        sqlite3 *h = NULL;
        if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
            sqlite3_busy_timeout(h, 1000);
            n = q_int(h, "SELECT count(*) FROM articles WHERE text LIKE '%%Daemonic%%'");
        }
        sqlite3_close(h);
    }
    ASSERT_EQ(n, 1);
    ASSERT_OK(kill(pid, SIGTERM));
    int status;
    waitpid(pid, &status, 0);
    ASSERT(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
    td_fixture_stop(f);
    free(feed);
    free(body);
    cleanup();
}

static const struct tap_test tests[] = {
    TAP_TEST(test_crawl_twice),
    TAP_TEST(test_kill9_resume),
    TAP_TEST(test_add_discovers_and_opml),
    TAP_TEST(test_outlet_icons),
    TAP_TEST(test_daemon_stops_on_sigterm),
    TAP_TEST(test_categories_and_zone),
    TAP_TEST(test_page_retry),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
