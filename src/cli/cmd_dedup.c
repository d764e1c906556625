/*
 * cmd_dedup.c - `tidings dedup < articles.jsonl`
 *
 * Finds near-duplicate articles (wire copies, reposts: MinHash similarity
 * of the texts' word 3-shingles of at least TD_MINHASH_NEAR, see
 * text/fingerprint.h) and prints one line per group of two or
 * more, after reading all input:
 *
 *     {"group": 1, "ids": ["original-id", "copy-id", ...]}
 *
 * Groups are numbered from 1 in order of their first article; within a
 * group the first id is the earliest article (the original) and the rest
 * follow in input order.  Articles with no copy are not listed; texts too
 * short to fingerprint are never grouped.
 */
#include "cli/cli.h"
#include "cli/jsonl.h"
#include "text/story.h"

int td_cmd_dedup(int argc, char **argv)
{
    struct td_jsonl r;
    struct td_jsonl_article a;
    json_t *o, *ids = json_array();
    uint32_t *orig = NULL;
    size_t n = 0, alloc = 0;

    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: tidings dedup < articles.jsonl\n");
        return 2;
    }
    /* No time window: a copy is a copy whenever it was published. */
    struct td_story_opts opts = {0};
    struct td_story_index *idx = td_story_index_new(&opts);
    td_jsonl_init(&r, stdin, "tidings dedup");
    while ((o = td_jsonl_next(&r, &a))) {
        struct td_story_article in = {.ref = n,
                                      .title = a.title,
                                      .text = a.text,
                                      .text_len = a.text_len,
                                      .language = a.language,
                                      .published = a.published};
        struct td_story_placed p;
        if (td_story_index_add(idx, &in, &p) == 0) {
            if (n == alloc) {
                alloc = alloc ? alloc * 2 : 1024;
                orig = td_xrealloc(orig, alloc * sizeof(*orig));
            }
            orig[n++] = p.duplicate_of;
            json_array_append(ids, a.id);
        } else {
            r.errors++;
        }
        json_decref(o);
    }
    /* Each original, in input order, with its copies. */
    size_t group = 0;
    for (size_t i = 0; i < n; i++) {
        if (orig[i] != UINT32_MAX)
            continue;
        json_t *list = NULL;
        for (size_t j = i + 1; j < n; j++) {
            if (orig[j] != i)
                continue;
            if (!list) {
                list = json_array();
                json_array_append(list, json_array_get(ids, i));
            }
            json_array_append(list, json_array_get(ids, j));
        }
        if (list)
            td_jsonl_print(json_pack("{sIso}", "group", (json_int_t)++group, "ids", list));
    }
    size_t errors = r.errors;
    free(orig);
    json_decref(ids);
    td_jsonl_release(&r);
    td_story_index_free(idx);
    return errors ? 1 : 0;
}
