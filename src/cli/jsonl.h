/*
 * jsonl.h - reading article objects from JSON Lines for the text commands
 * (cluster, keypoints, dedup).
 *
 * Input is hostile: a line longer than TD_JSONL_MAX_LINE is reported with
 * its line number and skipped; a line that is not a JSON object, or lacks
 * an `id`, is reported and skipped; ill-formed UTF-8 bytes are replaced by
 * U+FFFD before parsing, so a stray Latin-1 byte does not lose the line.
 * Blank lines are ignored.  Reading goes on after every error; the command
 * exits 1 at the end if there was any.
 */
#ifndef TD_CLI_JSONL_H
#define TD_CLI_JSONL_H

#include "base/buf.h"
#include "base/compat.h"

#include <jansson.h>

#define TD_JSONL_MAX_LINE (8u << 20)

struct td_jsonl {
    FILE *in;
    const char *cmd; /* for messages: "tidings cluster" */
    size_t lineno;
    size_t errors;
    struct td_buf line;
    struct td_buf clean;
};

/* One article as read: pointers into the JSON object, valid until the next read. */
struct td_jsonl_article {
    json_t *id;        /* borrowed from the object */
    const char *title; /* "" when absent */
    const char *text;  /* "" when absent */
    size_t text_len;
    const char *language; /* NULL when absent */
    const char *outlet;   /* `outlet` or `source`, NULL when absent */
    int64_t published;    /* unix seconds (number or ISO 8601 string); 0 when absent,
                           * not positive, past year 9999 or unparseable */
};

void td_jsonl_init(struct td_jsonl *r, FILE *in, const char *cmd);
void td_jsonl_release(struct td_jsonl *r);
/*
 * Read the next good article.  Returns the parsed object (the caller
 * json_decref()s it) with `*a` filled, or NULL at the end of input.
 */
json_t *td_jsonl_next(struct td_jsonl *r, struct td_jsonl_article *a);

/* Parse ISO 8601 ("2024-05-01", "2024-05-01T10:00:00.5+02:00") to unix seconds; -1 if not. */
int64_t td_jsonl_parse_time(const char *s);

/* Print one compact JSON object and a newline to stdout; steals `o`. */
void td_jsonl_print(json_t *o);

#endif
