/*
 * bench/crawl.c - end-to-end crawl throughput: the real `tidings crawl
 * --once` against the fixture server on loopback, serving FEEDS feeds of
 * ENTRIES entries each, every entry a distinct article page (generated in
 * memory here, never stored on disk).  Prints entries stored per second
 * (feed fetched, parsed, stored, page fetched, charset-decoded, extracted,
 * stored), the crawler's peak RSS, and the CPU time of the crawler and of
 * the fixture server.
 *
 *     build/bench/bench-crawl [FEEDS [ENTRIES [HOSTS [LOCATION]]]]   (default 1000 x 20, 8)
 *
 * LOCATION is the database: by default a file in a temporary directory;
 * a postgresql:// URI of an empty database measures the PostgreSQL back
 * end (its tables are left behind).
 *
 * The feeds are spread over HOSTS fixture servers on 127.0.0.1,
 * 127.0.0.2, ..., standing for that many outlets' hosts: the crawler's
 * per-host limit (2 at once) applies to each, as it would on the web.
 * HOSTS=1 puts everything behind one host.
 *
 * The crawler runs in its own process, so its peak RSS (getrusage of the
 * children: the largest of import-opml and crawl, which is the crawl's)
 * does not include the fixture server's copy of the pages, and its CPU time
 * is told apart from the fixture's (this process's, during the crawl).
 */
#include "base/compat.h"

#include "fixture/fixture.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A news page of a few KB with boilerplate around the article, like the web's. */
static char *make_page(int feed, int entry)
{
    struct {
        char *p;
        size_t len, cap;
    } b = {malloc(8192), 0, 8192};

#define PUT(...) (b.len += (size_t)snprintf(b.p + b.len, b.cap - b.len, __VA_ARGS__))
    PUT("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Story %d from outlet %d</title>"
        "<meta property=\"og:title\" content=\"Story %d from outlet %d\">"
        "<meta name=\"author\" content=\"Reporter %d\"></head><body>"
        "<header><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> "
        "<a href=\"/business\">Business</a> <a href=\"/sport\">Sport</a></nav></header>"
        "<main><article><h1>Story %d from outlet %d</h1>",
        entry, feed, entry, feed, feed % 50, entry, feed);
    for (int i = 0; i < 6; i++)
        PUT("<p>Paragraph %d of story %d at outlet %d. Officials said on Tuesday that the "
            "plan would go ahead despite objections, and analysts expect the decision to "
            "shape the market for months, according to people familiar with the talks.</p>",
            i, entry, feed);
    PUT("</article><aside><h2>You may like</h2><ul><li><a href=\"/x\">Other story</a></li>"
        "<li><a href=\"/y\">Another story</a></li></ul></aside></main>"
        "<footer>Copyright outlet %d. All rights reserved.</footer></body></html>",
        feed);
#undef PUT
    return b.p;
}

#define HOSTS_MAX 64

static char *make_feed(struct td_fixture *f, int feed, int entries)
{
    size_t cap = 1024 + (size_t)entries * 600, len = 0;
    char *b = malloc(cap), url[TD_FIXTURE_URL_MAX], path[64];

    len += (size_t)snprintf(b + len, cap - len,
                            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
                            "<title>Outlet %d</title><link>%s</link>",
                            feed, td_fixture_url(f, "/", url));
    for (int e = 0; e < entries; e++) {
        snprintf(path, sizeof(path), "/o%d/s%d.html", feed, e);
        len +=
            (size_t)snprintf(b + len, cap - len,
                             "<item><title>Story %d from outlet %d</title><link>%s</link>"
                             "<guid>o%d-s%d</guid><pubDate>Tue, 24 Nov 2026 %02d:%02d:00 "
                             "GMT</pubDate><description>Summary of story %d.</description>"
                             "</item>",
                             e, feed, td_fixture_url(f, path, url), feed, e, e % 24, feed % 60, e);
    }
    snprintf(b + len, cap - len, "</channel></rss>");
    return b;
}

/* Run tidings; `ru` gets the children's usage after it (cumulative CPU, peak RSS). */
static int run_tidings(const char *const *args, struct rusage *ru)
{
    pid_t pid = fork();
    int status;

    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execv(TIDINGS_EXE, (char *const *)args);
        _exit(127);
    }
    if (waitpid(pid, &status, 0) < 0 || getrusage(RUSAGE_CHILDREN, ru) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static double cpu(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
           (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
}

/* The first column of `sql`'s first row as an integer, -1 on failure; any statement. */
static long long count(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    long long n = -1;

    if (strstr(db, "://")) {
        PGconn *c = PQconnectdb(db);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        else if (PQresultStatus(r) == PGRES_COMMAND_OK)
            n = 0;
        PQclear(r);
        PQfinish(c);
        return n;
    }
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
        int rc = sqlite3_step(st);
        n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

int main(int argc, char **argv)
{
    int feeds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 1000;
    int entries = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 20;
    int hosts = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 8;
    char dir[] = "/tmp/td-bench-crawl-XXXXXX", db[1024], opml[128], path[64];
    char url[TD_FIXTURE_URL_MAX];
    struct td_fixture *fx[HOSTS_MAX] = {0};
    struct rusage ru, self0, self1;
    unsigned served = 0;
    FILE *fp;
    int rc = 1;

    if (feeds < 1 || entries < 1 || hosts < 1 || feeds > 100000 || entries > 1000 ||
        hosts > HOSTS_MAX) {
        fprintf(stderr, "usage: bench-crawl [FEEDS [ENTRIES [HOSTS [LOCATION]]]]\n");
        return 2;
    }
    if (!mkdtemp(dir))
        return 1;
    for (int h = 0; h < hosts; h++) {
        char addr[32];
        snprintf(addr, sizeof(addr), "127.0.0.%d", h + 1);
        if (!(fx[h] = td_fixture_start_at(addr, 0)))
            goto out;
    }
    snprintf(db, sizeof(db), "%s/tidings.db", dir);
    if (argc > 4 && snprintf(db, sizeof(db), "%s", argv[4]) >= (int)sizeof(db)) {
        fprintf(stderr, "bench-crawl: LOCATION too long\n");
        goto out;
    }
    snprintf(opml, sizeof(opml), "%s/feeds.opml", dir);
    if (!(fp = fopen(opml, "w")))
        goto out;
    fputs("<opml version=\"2.0\"><body>\n", fp);
    for (int i = 0; i < feeds; i++) {
        struct td_fixture *f = fx[i % hosts];
        for (int e = 0; e < entries; e++) {
            char *p = make_page(i, e);
            snprintf(path, sizeof(path), "/o%d/s%d.html", i, e);
            td_fixture_add(f, &(struct td_fixture_route){
                                  .path = path, .body = p, .content_type = "text/html"});
            free(p);
        }
        char *x = make_feed(f, i, entries);
        snprintf(path, sizeof(path), "/o%d/feed.xml", i);
        td_fixture_add(f, &(struct td_fixture_route){.path = path,
                                                     .body = x,
                                                     .content_type = "application/rss+xml",
                                                     .etag = "\"v1\""});
        free(x);
        fprintf(fp, "<outline text=\"Outlet %d\" xmlUrl=\"%s\"/>\n", i,
                td_fixture_url(f, path, url));
    }
    fputs("</body></opml>\n", fp);
    fclose(fp);

    const char *imp[] = {TIDINGS_EXE, "import-opml", opml, "--allow-private", "--db", db, NULL};
    double t0 = now_s();
    if (run_tidings(imp, &ru) != 0) {
        fprintf(stderr, "bench-crawl: import failed\n");
        goto out;
    }
    double t_import = now_s() - t0;

    const char *crawl[] = {TIDINGS_EXE, "crawl", "--once", "--db", db, NULL};
    double cpu0 = cpu(&ru);
    getrusage(RUSAGE_SELF, &self0);
    t0 = now_s();
    int crc = run_tidings(crawl, &ru);
    double t_crawl = now_s() - t0;
    getrusage(RUSAGE_SELF, &self1);
    if (crc != 0) {
        fprintf(stderr, "bench-crawl: crawl exited with %d\n", crc);
        goto out;
    }
    long long stored = count(db, "SELECT count(*) FROM articles");
    long long extracted =
        count(db, "SELECT count(*) FROM articles WHERE text IS NOT NULL AND extract_error IS NULL");

    /* A second pass: every feed answers 304. */
    if (count(db, "UPDATE feeds SET next_fetch_at = 0") < 0)
        fprintf(stderr, "bench-crawl: cannot reset the schedule\n");
    struct rusage ru2;
    t0 = now_s();
    run_tidings(crawl, &ru2);
    double t_again = now_s() - t0;

    for (int h = 0; h < hosts; h++)
        served += td_fixture_total_hits(fx[h]);
    printf("feeds: %d x %d entries on %d hosts, %u requests served\n", feeds, entries, hosts,
           served);
    printf("import-opml: %.2f s\n", t_import);
    printf("crawl --once: %.2f s, %lld entries stored, %lld extracted\n", t_crawl, stored,
           extracted);
    printf("entries/s end to end: %.0f\n", (double)stored / t_crawl);
    printf("crawler peak RSS: %.1f MB, CPU %.2f s (user + sys), %.0f entries per CPU-second\n",
           (double)ru.ru_maxrss / 1024.0, cpu(&ru) - cpu0, (double)stored / (cpu(&ru) - cpu0));
    printf("fixture server CPU during the crawl: %.2f s\n", cpu(&self1) - cpu(&self0));
    printf("second pass (all 304): %.2f s, %.0f feeds/s\n", t_again, feeds / t_again);
    rc = stored == (long long)feeds * entries ? 0 : 1;
out:
    for (int h = 0; h < hosts; h++)
        td_fixture_stop(fx[h]);
    snprintf(path, sizeof(path), "rm -rf '%s'", dir);
    if (system(path) != 0)
        rc = 1;
    return rc;
}
