/*
 * cmd_keypoints.c - `tidings keypoints [--sentences N] < articles.jsonl`
 *
 * Prints {"id": ..., "keypoints": ["sentence", ...]} per article: its N
 * (default TD_KEYPOINTS_DEFAULT) key sentences, in article order.
 */
#include "cli/cli.h"
#include "cli/jsonl.h"
#include "text/summary.h"

int td_cmd_keypoints(int argc, char **argv)
{
    size_t n = TD_KEYPOINTS_DEFAULT;
    struct td_jsonl r;
    struct td_jsonl_article a;
    struct td_span spans[TD_KEYPOINTS_MAX];
    json_t *o;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--sentences") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > TD_KEYPOINTS_MAX) {
                fprintf(stderr, "tidings keypoints: --sentences wants 1 to %d, not '%s'\n",
                        TD_KEYPOINTS_MAX, argv[i]);
                return 2;
            }
            n = (size_t)v;
        } else {
            fprintf(stderr, "usage: tidings keypoints [--sentences N] < articles.jsonl\n");
            return 2;
        }
    }
    struct td_analyzer *an = td_analyzer_new();
    td_jsonl_init(&r, stdin, "tidings keypoints");
    while ((o = td_jsonl_next(&r, &a))) {
        size_t got = td_keypoints_article(an, a.language, a.title, a.text, a.text_len, n, spans);
        json_t *list = json_array();
        for (size_t i = 0; i < got; i++)
            json_array_append_new(list, json_stringn(a.text + spans[i].off, spans[i].len));
        td_jsonl_print(json_pack("{sOso}", "id", a.id, "keypoints", list));
        json_decref(o);
    }
    size_t errors = r.errors;
    td_jsonl_release(&r);
    td_analyzer_free(an);
    return errors ? 1 : 0;
}
