/*
 * cmd_crawl.c - `tidings crawl [--once] [--db PATH]`: fetch due feeds and
 * their new entries' pages into the database.  --once runs one pass and
 * exits, showing progress on a terminal; without it the crawler keeps going,
 * sleeping until the next feed is due, until SIGINT or SIGTERM.
 */
#include "base/compat.h"
#include "base/error.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "crawl/crawl.h"
#include "store/store.h"

#include <signal.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void show(const struct td_crawl_stats *s, void *arg)
{
    td_progress_update(arg, s->feeds_done + s->pages_done, s->feeds_due + s->pages_queued,
                       s->feeds_failed + s->pages_failed);
}

int td_cmd_crawl(int argc, char **argv)
{
    struct td_buf db = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_store *st = NULL;
    struct td_crawl_opts o = {.stop = &stop};
    struct td_crawl_stats s = {0};
    struct sigaction sa = {.sa_handler = on_signal};
    struct td_progress p;
    const char *dbarg = NULL;
    bool once = false;
    int rc = 1, err;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--once")) {
            once = true;
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            dbarg = argv[++i];
        } else {
            fprintf(stderr, "usage: tidings crawl [--once] [--db PATH]\n");
            return 2;
        }
    }
    if (td_cli_db_path(dbarg, &db) < 0)
        goto out;
    if (td_store_open(db.buf, TD_STORE_BULK, &st) < 0) {
        char shown[512];
        fprintf(stderr, "tidings: cannot open the database '%s'\n",
                td_store_redact(db.buf, shown, sizeof(shown)));
        goto out;
    }
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (!once) {
        err = td_crawl_loop(st, &o);
        rc = err < 0 ? 1 : 0;
        goto out;
    }
    td_progress_init(&p, stderr, "crawl", "fetches");
    o.progress = show;
    o.progress_arg = &p;
    err = td_crawl_run(st, &o, &s);
    td_progress_finish(&p, s.feeds_done + s.pages_done, s.feeds_due + s.pages_queued,
                       s.feeds_failed + s.pages_failed);
    if (err < 0) {
        fprintf(stderr, "tidings: crawl failed: %s\n", td_strerror(err));
        goto out;
    }
    printf("crawled %zu feeds (%zu failed, %zu not modified): %zu new entries, %zu pages "
           "(%zu failed, %zu reused), %zu placed in stories\n",
           s.feeds_done, s.feeds_failed, s.feeds_not_modified, s.entries_new, s.pages_done,
           s.pages_failed, s.pages_reused, s.stories_placed);
    rc = stop ? 1 : 0;
out:
    td_store_close(st);
    td_buf_release(&db);
    return rc;
}
