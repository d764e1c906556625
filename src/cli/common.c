/*
 * common.c - default database and cache locations (XDG) and the terminal progress
 * line shared by the subcommands (see common.h).
 */
#include "base/compat.h"
#include "base/error.h"
#include "cli/common.h"

#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int td_cli_default_db(const char *xdg_data_home, const char *home, struct td_buf *out)
{
    if (xdg_data_home && xdg_data_home[0] == '/')
        return td_buf_printf(out, "%s/tidings/tidings.db", xdg_data_home);
    if (home && home[0] == '/')
        return td_buf_printf(out, "%s/.local/share/tidings/tidings.db", home);
    return TD_ENOTFOUND;
}

int td_cli_default_cache(const char *xdg_cache_home, const char *home, struct td_buf *out)
{
    if (xdg_cache_home && xdg_cache_home[0] == '/')
        return td_buf_printf(out, "%s/tidings/listen", xdg_cache_home);
    if (home && home[0] == '/')
        return td_buf_printf(out, "%s/.cache/tidings/listen", home);
    return TD_ENOTFOUND;
}

int td_cli_mkparents(const char *path)
{
    struct td_buf dir = TD_BUF_INIT(TD_BUF_NOCAP);
    int err = 0;

    if (td_buf_append_c(&dir, path) < 0) {
        err = TD_ETOOBIG;
        goto out;
    }
    char *slash = strrchr(dir.buf, '/');
    if (!slash || slash == dir.buf)
        goto out;
    *slash = '\0';
    /* Create each prefix in turn: a/, a/b/, a/b/c. */
    for (char *p = dir.buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(dir.buf, 0700) < 0 && errno != EEXIST) {
            err = TD_EIO;
            goto out;
        }
        *p = saved;
        if (!saved)
            break;
    }
out:
    td_buf_release(&dir);
    return err;
}

int td_cli_db_path(const char *given, struct td_buf *out)
{
    int err;

    if (given) {
        if (!*given) {
            fprintf(stderr, "tidings: --db needs a path\n");
            return TD_EINVAL;
        }
        return td_buf_append_c(out, given);
    }
    err = td_cli_default_db(getenv("XDG_DATA_HOME"), getenv("HOME"), out);
    if (err < 0) {
        fprintf(stderr, "tidings: no data directory: set XDG_DATA_HOME or HOME, or pass --db\n");
        return err;
    }
    if (td_cli_mkparents(out->buf) < 0) {
        fprintf(stderr, "tidings: cannot create the directory of '%s': %s\n", out->buf,
                strerror(errno));
        return TD_EIO;
    }
    return 0;
}

int td_cli_parse_listen(char *buf, const char **host, unsigned *port)
{
    char *colon = strrchr(buf, ':'), *end;

    if (!colon)
        return TD_EINVAL;
    *colon = '\0';
    long p = strtol(colon + 1, &end, 10);
    if (*end || colon[1] == '\0' || p < 0 || p > 65535)
        return TD_EINVAL;
    *port = (unsigned)p;
    if (buf[0] == '[') {
        size_t n = strlen(buf);
        if (n < 3 || buf[n - 1] != ']')
            return TD_EINVAL;
        buf[n - 1] = '\0';
        *host = buf + 1;
    } else {
        *host = buf;
    }
    return 0;
}

static double monotonic(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int td_progress_format(struct td_buf *out, const char *label, const char *unit, size_t done,
                       size_t total, size_t errors, double elapsed)
{
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    int err;

    if (total)
        err = td_buf_printf(out, "%s: %zu/%zu %s  %.1f/s", label, done, total, unit, rate);
    else
        err = td_buf_printf(out, "%s: %zu %s  %.1f/s", label, done, unit, rate);
    if (!err)
        err = td_buf_printf(out, "  %zu error%s", errors, errors == 1 ? "" : "s");
    return err;
}

void td_progress_init(struct td_progress *p, FILE *out, const char *label, const char *unit)
{
    *p = (struct td_progress){.out = out, .label = label, .unit = unit};
    p->enabled = isatty(fileno(out)) == 1;
    p->started = monotonic();
}

static void draw(struct td_progress *p, size_t done, size_t total, size_t errors, double now)
{
    struct td_buf line = TD_BUF_INIT(TD_BUF_NOCAP);

    if (td_progress_format(&line, p->label, p->unit, done, total, errors, now - p->started) == 0) {
        /* Pad with spaces over what a longer previous line left behind. */
        fprintf(p->out, "\r%s%*s", line.buf, p->width > line.len ? (int)(p->width - line.len) : 0,
                "");
        fflush(p->out);
        p->width = line.len;
    }
    p->drawn = now;
    td_buf_release(&line);
}

void td_progress_update(struct td_progress *p, size_t done, size_t total, size_t errors)
{
    if (!p->enabled)
        return;
    double now = monotonic();
    if (now - p->drawn >= 0.1)
        draw(p, done, total, errors, now);
}

void td_progress_finish(struct td_progress *p, size_t done, size_t total, size_t errors)
{
    if (!p->enabled)
        return;
    draw(p, done, total, errors, monotonic());
    fputc('\n', p->out);
    fflush(p->out);
}
