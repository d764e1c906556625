/*
 * cmd_demo.c - `tidings demo [--listen HOST:PORT] [--db PATH]`: the whole
 * reader on a machine with no network, from the corpus bundled in the
 * binary (src/demo).
 *
 * In one process: the fixture server starts on a free loopback port and
 * publishes the corpus with its dates set relative to now; a fresh
 * database (in a temporary directory unless --db names a new file) gets
 * every demo outlet's feed added as `tidings add --allow-private` would;
 * one crawl pass (the real crawler, pages fetched and extracted) fills it;
 * then the site is served exactly as `tidings serve --no-crawl` serves it
 * (td_cli_serve_site), while the fixture keeps serving the images and
 * icons the pages point at.  SIGINT or SIGTERM stops everything and
 * removes the temporary directory.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/log.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "crawl/crawl.h"
#include "demo/demo.h"
#include "fixture/fixture.h"
#include "html/html.h"
#include "store/store.h"
#include "web/web.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_LISTEN "127.0.0.1:8080"

static void usage(void)
{
    fprintf(stderr, "usage: tidings demo [--listen HOST:PORT] [--db PATH]\n");
}

static double monotonic(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Remove `path` and, if it is a directory, everything under it (no links followed). */
static void remove_tree(const char *path)
{
    struct stat st;
    DIR *d;

    if (lstat(path, &st) < 0)
        return;
    if (S_ISDIR(st.st_mode) && (d = opendir(path))) {
        struct dirent *e;
        while ((e = readdir(d))) {
            char sub[4096];
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) < sizeof(sub))
                remove_tree(sub);
        }
        closedir(d);
    }
    if (remove(path) < 0)
        fprintf(stderr, "tidings demo: cannot remove %s: %s\n", path, strerror(errno));
}

/* A new private directory under $TMPDIR (or /tmp) into `dir`. */
static int make_temp_dir(struct td_buf *dir)
{
    const char *tmp = getenv("TMPDIR");

    if (!tmp || tmp[0] != '/')
        tmp = "/tmp";
    if (td_buf_printf(dir, "%s/tidings-demo-XXXXXX", tmp) < 0 || !mkdtemp(dir->buf)) {
        fprintf(stderr, "tidings demo: cannot create a temporary directory in %s: %s\n", tmp,
                strerror(errno));
        return TD_EIO;
    }
    return 0;
}

/* Subscribe to every demo feed and crawl once; prints one summary line. */
static int fill(const char *db_path, struct td_fixture *fx)
{
    struct td_crawl_opts co = {.per_host = TD_CRAWL_CONCURRENCY};
    struct td_crawl_stats s = {0};
    struct td_store *st = NULL;
    double t0 = monotonic();
    size_t added = 0;
    int err;

    if ((err = td_store_open(db_path, 0, &st)) < 0) {
        char shown[512];
        fprintf(stderr, "tidings demo: cannot create the database %s: %s\n",
                td_store_redact(db_path, shown, sizeof(shown)), td_strerror(err));
        goto out;
    }
    for (size_t i = 0; i < td_demo_feeds_count; i++) {
        struct td_buf feed = TD_BUF_INIT(TD_BUF_NOCAP);
        char url[TD_FIXTURE_URL_MAX], why[1024] = "";
        bool created = false;

        /* Loopback is private: allowed, as for any feed added with --allow-private. */
        if (td_crawl_add(st, td_fixture_url(fx, td_demo_feeds[i], url), true, NULL, &feed, &created,
                         why, sizeof(why)) < 0)
            fprintf(stderr, "tidings demo: feed %s not added: %s\n", url, why);
        else
            added++;
        td_buf_release(&feed);
    }
    /* Every outlet lives on the one loopback host: no need to ration it. */
    if ((err = td_crawl_run(st, &co, &s)) < 0) {
        fprintf(stderr, "tidings demo: the crawl failed: %s\n", td_strerror(err));
        goto out;
    }
    printf("tidings demo: %zu outlets, %zu articles crawled in %.2f s (%zu feeds failed, %zu "
           "pages failed)\n",
           added, s.entries_new, monotonic() - t0, s.feeds_failed, s.pages_failed);
    fflush(stdout);
out:
    td_html_thread_release();
    td_store_close(st);
    return err;
}

int td_cmd_demo(int argc, char **argv)
{
    struct td_web_config cfg = {0};
    struct td_buf dir = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_buf db = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_buf cache = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_fixture *fx = NULL;
    char listen[128] = DEFAULT_LISTEN;
    const char *dbarg = NULL;
    bool listen_given = false;
    struct stat sb;
    sigset_t set;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (v && !strcmp(argv[i], "--listen") &&
            snprintf(listen, sizeof(listen), "%s", v) < (int)sizeof(listen)) {
            listen_given = true;
        } else if (v && !strcmp(argv[i], "--db") && *v) {
            dbarg = v;
        } else {
            usage();
            return 2;
        }
        i++;
    }
    if (td_cli_parse_listen(listen, &cfg.host, &cfg.port) < 0) {
        fprintf(stderr, "tidings demo: --listen wants HOST:PORT, e.g. 127.0.0.1:8080\n");
        return 2;
    }
    if (dbarg && stat(dbarg, &sb) == 0) {
        fprintf(stderr, "tidings demo: %s already exists; the demo starts from a new database\n",
                dbarg);
        return 2;
    }
    /* Block the stop signals before any thread starts, so that only sigwait sees them. */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    if (dbarg && strstr(dbarg, "://")) {
        /* A database URL (PostgreSQL) has no "beside": the cache is temporary. */
        if (td_buf_append_c(&db, dbarg) < 0 || make_temp_dir(&dir) < 0 ||
            td_buf_printf(&cache, "%s/listen", dir.buf) < 0)
            goto out;
    } else if (dbarg) {
        if (td_buf_append_c(&db, dbarg) < 0 || td_buf_printf(&cache, "%s.listen", dbarg) < 0)
            goto out;
    } else {
        if (make_temp_dir(&dir) < 0 || td_buf_printf(&db, "%s/demo.db", dir.buf) < 0 ||
            td_buf_printf(&cache, "%s/listen", dir.buf) < 0)
            goto out;
    }
    fx = td_fixture_start(0);
    if (!fx)
        goto out;
    if (td_demo_publish(fx, (int64_t)time(NULL)) < 0 || fill(db.buf, fx) < 0)
        goto out;
    cfg.db_path = db.buf;
    cfg.cache_dir = cache.buf;
    cfg.site_name = "tidings demo";
    rc = td_cli_serve_site(
        &cfg, &(struct td_cli_serve_opts){.name = "tidings demo", .any_port = !listen_given}, &set);
out:
    td_fixture_stop(fx);
    if (dir.len)
        remove_tree(dir.buf);
    td_buf_release(&cache);
    td_buf_release(&db);
    td_buf_release(&dir);
    return rc;
}
