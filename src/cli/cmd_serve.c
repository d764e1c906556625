/*
 * cmd_serve.c - `tidings serve`: run the reader's web server and, unless
 * --no-crawl, the crawler (td_crawl_loop on a thread of its own, with its
 * own store handle) in the same process, until SIGTERM or SIGINT.  Then
 * both shut down gracefully: the crawler is told to stop and joined (its
 * pass ends early, committed work stays), then the server stops (requests
 * in flight finish).  That part is td_cli_serve_site, which `tidings demo`
 * shares.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/log.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "crawl/crawl.h"
#include "html/html.h"
#include "store/store.h"
#include "web/web.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>

#define GRACE_MS 5000

static void usage(void)
{
    fprintf(stderr, "usage: tidings serve [--db PATH] [--listen HOST:PORT] [--threads N]\n"
                    "                     [--site-name NAME] [--logo FILE] [--base-url URL]\n"
                    "                     [--cache-dir DIR] [--no-crawl]\n");
}

/* The crawler thread: its own store handle, stopped through `stop`. */
struct crawler {
    struct td_store *st;
    volatile sig_atomic_t stop;
    pthread_t thread;
};

static void *crawler_main(void *arg)
{
    struct crawler *c = arg;
    struct td_crawl_opts o = {.stop = &c->stop};
    int err = td_crawl_loop(c->st, &o);

    if (err < 0)
        td_log_err("crawl: stopped on error err=%s (serving goes on)", td_strerror(err));
    /* Feeds were parsed here: free this thread's cached HTML parser. */
    td_html_thread_release();
    return NULL;
}

static bool is_http_url(const char *s)
{
    return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8);
}

/* A thread count between 1 and 256. */
static int parse_threads(const char *s, unsigned *out)
{
    char *end;
    long n = strtol(s, &end, 10);

    if (*s == '\0' || *end || n < 1 || n > 256)
        return -1;
    *out = (unsigned)n;
    return 0;
}

int td_cmd_serve(int argc, char **argv)
{
    struct td_web_config cfg = {.host = "127.0.0.1", .port = 8080};
    char listen[128] = "127.0.0.1:8080";
    struct td_buf db = TD_BUF_INIT(TD_BUF_NOCAP), cache = TD_BUF_INIT(TD_BUF_NOCAP);
    const char *dbarg = NULL;
    bool crawl = true;
    sigset_t set;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = v != NULL;

        if (!strcmp(a, "--no-crawl")) {
            crawl = false;
            continue;
        }
        if (ok && !strcmp(a, "--listen"))
            ok = snprintf(listen, sizeof(listen), "%s", v) < (int)sizeof(listen);
        else if (ok && !strcmp(a, "--threads"))
            ok = parse_threads(v, &cfg.threads) == 0;
        else if (ok && !strcmp(a, "--site-name"))
            cfg.site_name = v;
        else if (ok && !strcmp(a, "--logo"))
            cfg.logo_path = v;
        else if (ok && !strcmp(a, "--db"))
            dbarg = v;
        else if (ok && !strcmp(a, "--base-url") && is_http_url(v))
            cfg.base_url = v;
        else if (ok && !strcmp(a, "--cache-dir"))
            cfg.cache_dir = v;
        else
            ok = false;
        if (!ok) {
            usage();
            return 2;
        }
        i++;
    }
    if (td_cli_parse_listen(listen, &cfg.host, &cfg.port) < 0) {
        fprintf(stderr, "tidings serve: --listen wants HOST:PORT, e.g. 127.0.0.1:8080\n");
        return 2;
    }
    if (td_cli_db_path(dbarg, &db) < 0)
        goto out;
    cfg.db_path = db.buf;
    /* The audio cache goes beside a database file; a database URL has no "beside". */
    if (!cfg.cache_dir && strstr(db.buf, "://")) {
        if (td_cli_default_cache(getenv("XDG_CACHE_HOME"), getenv("HOME"), &cache) < 0) {
            fprintf(stderr, "tidings serve: no cache directory: set XDG_CACHE_HOME or HOME, "
                            "or pass --cache-dir\n");
            goto out;
        }
        if (td_cli_mkparents(cache.buf) < 0) {
            fprintf(stderr, "tidings serve: cannot create the directory of '%s': %s\n", cache.buf,
                    strerror(errno));
            goto out;
        }
        cfg.cache_dir = cache.buf;
    }
    /* Block the stop signals before any thread starts, so that only sigwait sees them. */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    rc = td_cli_serve_site(&cfg, &(struct td_cli_serve_opts){.name = "tidings", .crawl = crawl},
                           &set);
out:
    td_buf_release(&db);
    td_buf_release(&cache);
    return rc;
}

static const char *bracket(const char *host, bool open)
{
    return strchr(host, ':') ? (open ? "[" : "]") : "";
}

int td_cli_serve_site(struct td_web_config *cfg, const struct td_cli_serve_opts *o,
                      const sigset_t *stop)
{
    struct crawler crawler = {0};
    struct td_web *web = NULL;
    bool crawling = false;
    int sig, err, rc = 1;
    char shown[512];

    signal(SIGPIPE, SIG_IGN);
    err = td_web_start(cfg, &web);
    if (err == TD_EIO && o->any_port && cfg->port != 0) {
        fprintf(stderr, "%s: %s%s%s:%u is taken; serving on a free port instead\n", o->name,
                bracket(cfg->host, true), cfg->host, bracket(cfg->host, false), cfg->port);
        cfg->port = 0;
        err = td_web_start(cfg, &web);
    }
    if (err < 0) {
        fprintf(stderr, "%s: cannot start (database %s, address %s%s%s:%u): %s\n", o->name,
                td_store_redact(cfg->db_path, shown, sizeof(shown)), bracket(cfg->host, true),
                cfg->host, bracket(cfg->host, false), cfg->port,
                err == TD_EIO ? "the address cannot be bound" : td_strerror(err));
        goto out;
    }
    if (o->crawl) {
        if (td_store_open(cfg->db_path, TD_STORE_BULK, &crawler.st) < 0 ||
            pthread_create(&crawler.thread, NULL, crawler_main, &crawler) != 0) {
            fprintf(stderr, "%s: cannot start the crawler (database %s)\n", o->name,
                    td_store_redact(cfg->db_path, shown, sizeof(shown)));
            goto out;
        }
        crawling = true;
    }
    td_log_info("serving url=http://%s%s%s:%u/ crawl=%s", bracket(cfg->host, true), cfg->host,
                bracket(cfg->host, false), td_web_port(web), o->crawl ? "on" : "off");
    printf("%s: serving http://%s%s%s:%u/\n", o->name, bracket(cfg->host, true), cfg->host,
           bracket(cfg->host, false), td_web_port(web));
    fflush(stdout);
    sigwait(stop, &sig);
    td_log_info("stopping signal=%s", sig == SIGTERM ? "TERM" : "INT");
    rc = 0;
out:
    if (crawling) {
        crawler.stop = 1;
        pthread_join(crawler.thread, NULL);
    }
    td_store_close(crawler.st);
    td_web_stop(web, GRACE_MS);
    if (web && rc == 0)
        td_log_info("stopped");
    return rc;
}
