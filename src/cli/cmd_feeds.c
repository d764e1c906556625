/*
 * cmd_feeds.c - `tidings feeds [--db PATH]`: every subscription with its
 * fetch status, last error and next fetch, two lines each, and a third for
 * a feed with a category or a time zone:
 *
 *     3  error  next 2026-11-24T18:02:11Z  https://example.org/feed.xml
 *        "Example"  fetched 2026-11-24T17:02:11Z  HTTP 429  error (2 in a row): HTTP 429, ...
 *        category "News/World"  tz Europe/Berlin
 *
 * Status is "new" (never fetched), "ok" or "error".
 */
#include "base/compat.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "store/store.h"

#include <time.h>

static const char *iso(int64_t t, char buf[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (t <= 0)
        return "now";
    gmtime_r(&tt, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

int td_cmd_feeds(int argc, char **argv)
{
    struct td_buf db = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_store *st = NULL;
    struct td_feed *feeds;
    struct td_arena a;
    const char *dbarg = NULL;
    size_t n;
    int rc = 1;

    td_arena_init(&a);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            dbarg = argv[++i];
        } else {
            fprintf(stderr, "usage: tidings feeds [--db PATH]\n");
            rc = 2;
            goto out;
        }
    }
    if (td_cli_db_path(dbarg, &db) < 0)
        goto out;
    if (td_store_open(db.buf, TD_STORE_READONLY, &st) < 0) {
        char shown[512];
        fprintf(stderr, "tidings: cannot open the database '%s'\n",
                td_store_redact(db.buf, shown, sizeof(shown)));
        goto out;
    }
    if (td_store_feed_list(st, &a, &feeds, &n) < 0) {
        fprintf(stderr, "tidings: cannot list feeds: %s\n", td_store_errmsg(st));
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const struct td_feed *f = &feeds[i];
        const char *status = !f->last_fetched_at ? "new" : f->last_error ? "error" : "ok";
        char t1[32], t2[32];

        printf("%lld  %-5s  next %s  %s\n", (long long)f->id, status, iso(f->next_fetch_at, t1),
               f->url);
        printf("   \"%s\"  fetched %s", f->title ? f->title : "",
               f->last_fetched_at ? iso(f->last_fetched_at, t2) : "never");
        if (f->last_status)
            printf("  HTTP %d", f->last_status);
        if (f->last_error)
            printf("  error (%lld in a row): %s", (long long)f->error_count, f->last_error);
        putchar('\n');
        if (f->category || f->tz)
            printf("   category \"%s\"  tz %s\n", f->category ? f->category : "",
                   f->tz ? f->tz : "UTC");
    }
    rc = fflush(stdout) == 0 ? 0 : 1;
out:
    td_store_close(st);
    td_arena_release(&a);
    td_buf_release(&db);
    return rc;
}
