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
int td_cmd_add(int argc, char **argv);
int td_cmd_import_opml(int argc, char **argv);
int td_cmd_export_opml(int argc, char **argv);
int td_cmd_feeds(int argc, char **argv);
int td_cmd_crawl(int argc, char **argv);
int td_cmd_parse_feed(int argc, char **argv);
int td_cmd_user(int argc, char **argv);

/* The command table, NULL-terminated (defined in main.c). */
extern const struct td_cli_cmd td_cli_cmds[];

#endif
