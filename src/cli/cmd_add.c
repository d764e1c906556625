/*
 * cmd_add.c - `tidings add URL [--allow-private] [--tz ZONE] [--db PATH]`:
 * subscribe to a feed, or to the feed a page names in its <link
 * rel="alternate">.  --tz sets the zone of the feed's dates that name none
 * (a name like Europe/Berlin; UTC when not given).
 */
#include "base/compat.h"
#include "base/error.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "crawl/crawl.h"
#include "store/store.h"

static void usage(void)
{
    fprintf(stderr, "usage: tidings add URL [--allow-private] [--tz ZONE] [--db PATH]\n");
}

int td_cmd_add(int argc, char **argv)
{
    struct td_buf db = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_buf feed = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_store *st = NULL;
    const char *url = NULL, *dbarg = NULL, *tz = NULL;
    bool allow_private = false, created = false;
    char why[1024] = "";
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--allow-private")) {
            allow_private = true;
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            dbarg = argv[++i];
        } else if (!strcmp(argv[i], "--tz") && i + 1 < argc) {
            tz = argv[++i];
        } else if (argv[i][0] != '-' && !url) {
            url = argv[i];
        } else {
            usage();
            return 2;
        }
    }
    if (!url) {
        usage();
        return 2;
    }
    if (td_cli_db_path(dbarg, &db) < 0)
        goto out;
    if (td_store_open(db.buf, 0, &st) < 0) {
        char shown[512];
        fprintf(stderr, "tidings: cannot open the database '%s'\n",
                td_store_redact(db.buf, shown, sizeof(shown)));
        goto out;
    }
    if (td_crawl_add(st, url, allow_private, tz, &feed, &created, why, sizeof(why)) < 0) {
        fprintf(stderr, "tidings: %s\n", why);
        goto out;
    }
    printf("%s %s\n", created ? "added" : "already subscribed:", feed.buf);
    rc = 0;
out:
    td_store_close(st);
    td_buf_release(&feed);
    td_buf_release(&db);
    return rc;
}
