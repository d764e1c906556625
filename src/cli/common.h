/*
 * common.h - what several `tidings` subcommands share: where the database
 * lives by default, and the one-line progress display of long work.
 */
#ifndef TD_CLI_COMMON_H
#define TD_CLI_COMMON_H

#include "base/compat.h"
#include "base/buf.h"

/*
 * The default database path, following the XDG Base Directory spec:
 * $XDG_DATA_HOME/tidings/tidings.db when XDG_DATA_HOME is set to an
 * absolute path (the spec says to ignore a relative one), else
 * $HOME/.local/share/tidings/tidings.db.  `xdg_data_home` and `home` are
 * the values of those variables (NULL when unset), so tests need not touch
 * the environment.  Appends the path to `out`; TD_ENOTFOUND when neither
 * variable gives an absolute directory.
 */
int td_cli_default_db(const char *xdg_data_home, const char *home, struct td_buf *out);

/*
 * The default directory of serve's Listen audio cache when the database is
 * no file to put it beside (a postgresql:// URI): $XDG_CACHE_HOME/tidings/
 * listen if that variable is absolute, else $HOME/.cache/tidings/listen.
 * Arguments and result as td_cli_default_db.
 */
int td_cli_default_cache(const char *xdg_cache_home, const char *home, struct td_buf *out);

/*
 * Create every missing directory above the file `path` (mode 0700, as the
 * XDG spec asks for data directories).  TD_EIO with errno set on failure.
 */
int td_cli_mkparents(const char *path);

/*
 * The database path a command should open: `--db PATH` if given, else the
 * default above (whose directories are then created).  On failure prints
 * why on stderr and returns a negative code.
 */
int td_cli_db_path(const char *given, struct td_buf *out);

/*
 * Split a --listen value, "127.0.0.1:8080" or "[::1]:8080", in place: `buf`
 * is cut at the last colon and `*host` points into it (brackets removed).
 * TD_EINVAL when there is no port or it is not 0-65535.
 */
int td_cli_parse_listen(char *buf, const char **host, unsigned *port);

/*
 * One line of progress on a terminal, redrawn in place with '\r':
 *
 *     import: 1200/5000 feeds  843.2/s  3 errors
 *
 * Only drawn when `out` is a terminal (isatty) so that cron jobs, pipes and
 * log files see nothing; redraws are limited to ten a second.
 */
struct td_progress {
    FILE *out;
    bool enabled;
    const char *label; /* "import", "crawl"; borrowed */
    const char *unit;  /* "feeds", "entries"; borrowed */
    double started;    /* monotonic seconds */
    double drawn;      /* when last drawn */
    size_t width;      /* length of the last line drawn, to blank leftovers */
};

/* Start; enabled only when `out` is a terminal. */
void td_progress_init(struct td_progress *p, FILE *out, const char *label, const char *unit);
/* Redraw if enabled and the last draw is 0.1 s old; `total` 0 = unknown. */
void td_progress_update(struct td_progress *p, size_t done, size_t total, size_t errors);
/* Draw a final time and end the line (nothing when not enabled). */
void td_progress_finish(struct td_progress *p, size_t done, size_t total, size_t errors);

/*
 * The text of one progress line, for `elapsed` seconds of work (the
 * display's formatter, exposed for tests).  Appends to `out`.
 */
int td_progress_format(struct td_buf *out, const char *label, const char *unit, size_t done,
                       size_t total, size_t errors, double elapsed);

#endif
