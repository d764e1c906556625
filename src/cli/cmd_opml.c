/*
 * cmd_opml.c - `tidings import-opml FILE [--allow-private] [--db PATH]`
 * subscribes to every feed an OPML file lists (showing progress on a
 * terminal); `tidings export-opml [--db PATH]` prints the subscriptions as
 * OPML 2.0.
 */
#include "base/compat.h"
#include "base/error.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "crawl/crawl.h"
#include "store/store.h"

#include <errno.h>

/* The largest OPML file read. */
#define OPML_MAX (64u << 20)

static int read_file(const char *path, struct td_buf *out)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    char chunk[65536];
    size_t n;
    int err = 0;

    if (!f)
        return TD_EIO;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if ((err = td_buf_append(out, chunk, n)) < 0)
            break;
    if (!err && ferror(f))
        err = TD_EIO;
    if (f != stdin)
        fclose(f);
    return err;
}

static void show(size_t done, size_t total, size_t failed, void *arg)
{
    td_progress_update(arg, done, total, failed);
}

int td_cmd_import_opml(int argc, char **argv)
{
    struct td_buf db = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_buf data = TD_BUF_INIT(OPML_MAX);
    struct td_store *st = NULL;
    struct td_crawl_import im;
    struct td_progress p;
    const char *file = NULL, *dbarg = NULL;
    bool allow_private = false;
    int rc = 1, err;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--allow-private")) {
            allow_private = true;
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            dbarg = argv[++i];
        } else if ((argv[i][0] != '-' || !strcmp(argv[i], "-")) && !file) {
            file = argv[i];
        } else {
            file = NULL;
            break;
        }
    }
    if (!file) {
        fprintf(stderr, "usage: tidings import-opml FILE [--allow-private] [--db PATH]\n");
        return 2;
    }
    err = read_file(file, &data);
    if (err < 0) {
        fprintf(stderr, "tidings: cannot read '%s': %s\n", file,
                err == TD_ETOOBIG ? "larger than 64 MiB" : strerror(errno));
        goto out;
    }
    if (td_cli_db_path(dbarg, &db) < 0)
        goto out;
    if (td_store_open(db.buf, 0, &st) < 0) {
        char shown[512];
        fprintf(stderr, "tidings: cannot open the database '%s'\n",
                td_store_redact(db.buf, shown, sizeof(shown)));
        goto out;
    }
    td_progress_init(&p, stderr, "import", "feeds");
    err = td_crawl_import_opml(st, data.buf, data.len, allow_private, show, &p, &im);
    td_progress_finish(&p, im.added + im.existing + im.failed, im.outlines, im.failed);
    if (err < 0) {
        fprintf(stderr, "tidings: cannot import '%s': %s\n", file,
                err == TD_EPARSE ? "not an OPML document" : td_strerror(err));
        goto out;
    }
    printf("imported %zu feeds: %zu added, %zu already subscribed, %zu failed, %zu skipped\n",
           im.outlines, im.added, im.existing, im.failed, im.skipped);
    rc = im.failed ? 1 : 0;
out:
    td_store_close(st);
    td_buf_release(&data);
    td_buf_release(&db);
    return rc;
}

int td_cmd_export_opml(int argc, char **argv)
{
    struct td_buf db = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_store *st = NULL;
    const char *dbarg = NULL;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            dbarg = argv[++i];
        } else {
            fprintf(stderr, "usage: tidings export-opml [--db PATH]\n");
            return 2;
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
    if (td_crawl_export_opml(st, &out) < 0) {
        fprintf(stderr, "tidings: cannot export: %s\n", td_store_errmsg(st));
        goto out;
    }
    fwrite(out.buf, 1, out.len, stdout);
    rc = fflush(stdout) == 0 ? 0 : 1;
out:
    td_store_close(st);
    td_buf_release(&out);
    td_buf_release(&db);
    return rc;
}
