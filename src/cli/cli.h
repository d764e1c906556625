/*
 * cli.h - the `tidings` subcommands.
 *
 * Each subcommand lives in its own cmd_<name>.c with one entry point of the
 * signature below: argv[0] is the subcommand's name, the return value is
 * the process exit status (0 success, 1 failure of the work, 2 usage).
 * main.c only dispatches.
 */
#ifndef TD_CLI_H
#define TD_CLI_H

#include <signal.h>
#include <stdbool.h>

struct td_cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage; /* one line, shown by `tidings help` */
};

int td_cmd_cluster(int argc, char **argv);
int td_cmd_dedup(int argc, char **argv);
int td_cmd_extract(int argc, char **argv);
int td_cmd_keypoints(int argc, char **argv);
int td_cmd_serve(int argc, char **argv);
int td_cmd_demo(int argc, char **argv);
int td_cmd_add(int argc, char **argv);
int td_cmd_import_opml(int argc, char **argv);
int td_cmd_export_opml(int argc, char **argv);
int td_cmd_feeds(int argc, char **argv);
int td_cmd_crawl(int argc, char **argv);
int td_cmd_parse_feed(int argc, char **argv);
int td_cmd_user(int argc, char **argv);

struct td_web_config;

/* How td_cli_serve_site runs. */
struct td_cli_serve_opts {
    const char *name; /* prefix of the URL line and messages: "tidings", "tidings demo" */
    bool crawl;       /* run the crawler (td_crawl_loop) on a thread of its own */
    bool any_port;    /* if the port is taken, serve on a free one (and say so) */
};

/*
 * Serve the site as `tidings serve` does, for serve and demo alike: start
 * the web server for `cfg` (and the crawler, with o->crawl), print
 *
 *     NAME: serving http://HOST:PORT/
 *
 * on stdout, wait for one of the signals in `stop` (which the caller has
 * blocked in every thread, before starting any), then shut down
 * gracefully: the crawler is told to stop and joined, requests in flight
 * finish.  Returns the exit status: 0 after a signal, 1 if it could not
 * start.
 */
int td_cli_serve_site(struct td_web_config *cfg, const struct td_cli_serve_opts *o,
                      const sigset_t *stop);

/* The command table, NULL-terminated (defined in main.c). */
extern const struct td_cli_cmd td_cli_cmds[];

#endif
