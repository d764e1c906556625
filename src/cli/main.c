/*
 * main.c - `tidings` entry point: pick the subcommand and hand over.
 */
#include "base/compat.h"
#include "base/log.h"
#include "cli/cli.h"

const struct td_cli_cmd td_cli_cmds[] = {
    {"add", td_cmd_add, "add URL [--allow-private] [--tz ZONE] [--db PATH]"},
    {"cluster", td_cmd_cluster, "cluster [--window HOURS] < articles.jsonl"},
    {"crawl", td_cmd_crawl, "crawl [--once] [--db PATH]"},
    {"dedup", td_cmd_dedup, "dedup < articles.jsonl"},
    {"demo", td_cmd_demo, "demo [--listen HOST:PORT] [--db PATH]   (the bundled demo, offline)"},
    {"export-opml", td_cmd_export_opml, "export-opml [--db PATH]"},
    {"extract", td_cmd_extract,
     "extract [--format json|text|html] [--jsonl] [--url BASE_URL] [--allow-private] INPUT..."},
    {"feeds", td_cmd_feeds, "feeds [--db PATH]"},
    {"import-opml", td_cmd_import_opml, "import-opml FILE [--allow-private] [--db PATH]"},
    {"keypoints", td_cmd_keypoints, "keypoints [--sentences N] < articles.jsonl"},
    {"parse-feed", td_cmd_parse_feed,
     "parse-feed [--json] [--url BASE] [--content-type TYPE] [--default-zone ZONE] "
     "[--allow-private] [--raw] FILE|URL|-..."},
    {"serve", td_cmd_serve, "serve [--db PATH] [--listen HOST:PORT] [--no-crawl] [OPTIONS]"},
    {"user", td_cmd_user, "user add NAME [--admin] [--db PATH]   (password on stdin)"},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: tidings COMMAND [ARGS]\n\ncommands:\n");
    for (const struct td_cli_cmd *c = td_cli_cmds; c->name; c++)
        fprintf(out, "  tidings %s\n", c->usage);
}

int main(int argc, char **argv)
{
    const char *level = getenv("TIDINGS_LOG");

    if (level && td_log_level_parse(level) >= 0)
        td_log_set_level((enum td_log_level)td_log_level_parse(level));
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("tidings %s\n", TD_VERSION);
        return 0;
    }
    for (const struct td_cli_cmd *c = td_cli_cmds; c->name; c++)
        if (!strcmp(argv[1], c->name))
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "tidings: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
