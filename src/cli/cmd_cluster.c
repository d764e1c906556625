/*
 * cmd_cluster.c - `tidings cluster [--window HOURS] < articles.jsonl`
 *
 * Reads articles ({"id", "title", "text", "published", "language"}) one
 * per line, places each in a story with the online story index, and prints
 * {"id": ..., "story": N} per article in input order.  Story ids are small
 * integers in order of creation; an article never changes story.
 */
#include "base/error.h"
#include "cli/cli.h"
#include "cli/jsonl.h"
#include "text/story.h"

/* Parse a positive number of hours (fractions allowed) up to ten years. */
static int parse_hours(const char *s, int64_t *seconds)
{
    char *end;
    double h = strtod(s, &end);
    if (end == s || *end || !(h >= 0) || h > 24.0 * 3653)
        return -1;
    *seconds = (int64_t)(h * 3600);
    return 0;
}

int td_cmd_cluster(int argc, char **argv)
{
    struct td_story_opts opts = {TD_STORY_WINDOW_DEFAULT};
    struct td_jsonl r;
    struct td_jsonl_article a;
    json_t *o;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--window") && i + 1 < argc) {
            if (parse_hours(argv[++i], &opts.window) < 0) {
                fprintf(stderr, "tidings cluster: --window wants hours (0 = none), not '%s'\n",
                        argv[i]);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: tidings cluster [--window HOURS] < articles.jsonl\n");
            return 2;
        }
    }
    struct td_story_index *idx = td_story_index_new(&opts);
    td_jsonl_init(&r, stdin, "tidings cluster");
    while ((o = td_jsonl_next(&r, &a))) {
        struct td_story_article in = {.ref = r.lineno,
                                      .title = a.title,
                                      .text = a.text,
                                      .text_len = a.text_len,
                                      .language = a.language,
                                      .outlet = a.outlet,
                                      .published = a.published};
        struct td_story_placed p;
        int rc = td_story_index_add(idx, &in, &p);
        if (rc < 0) {
            fprintf(stderr, "tidings cluster: line %zu: %s\n", r.lineno, td_strerror(rc));
            r.errors++;
        } else {
            td_jsonl_print(json_pack("{sOsI}", "id", a.id, "story", (json_int_t)p.story));
        }
        json_decref(o);
    }
    size_t errors = r.errors;
    td_jsonl_release(&r);
    td_story_index_free(idx);
    return errors ? 1 : 0;
}
