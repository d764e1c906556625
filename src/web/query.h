/*
 * query.h - the search box's operators, split from the words.
 *
 * The store searches words, "quoted phrases" and -exclusions itself; the
 * web layer takes out the operators that filter by metadata before handing
 * the rest over:
 *
 *     outlet:NAME  outlet:"Two Words"   only articles of that outlet
 *     tag:NAME  tag:"Two Words"         only articles with that tag (its name or slug)
 *     after:2026-03-01                  published on or after that day (UTC)
 *     before:2026-03-01                 published before that day (UTC)
 *
 * Operator names are case-insensitive.  A token that merely contains a
 * colon ("10:30", "re:") stays a word.  An operator with a bad value is an
 * error with a message for the reader, never a silent no-op.
 */
#ifndef TD_WEB_QUERY_H
#define TD_WEB_QUERY_H

#include "base/compat.h"
#include "base/buf.h"

#include <time.h>

#define TD_WEB_QUERY_MAX 1024 /* bytes of a search query */

struct td_web_query {
    struct td_buf text; /* words, phrases and exclusions for the store */
    char outlet[256];   /* outlet name, "" for any */
    char tag[256];      /* tag name or slug as typed, "" for any */
    time_t after;       /* 0: unbounded */
    time_t before;      /* 0: unbounded */
    const char *error;  /* a static message when parsing failed */
};

/*
 * Parse `q` (NUL-terminated UTF-8).  Returns 0, or TD_EINVAL/TD_ETOOBIG with
 * `out->error` set.  Release with td_web_query_release.
 */
int td_web_query_parse(const char *q, struct td_web_query *out);
void td_web_query_release(struct td_web_query *q);

/* True if any metadata filter (outlet, tag, after, before) is set. */
bool td_web_query_has_filters(const struct td_web_query *q);

/* "2026-03-01" as UTC midnight into `*t`; TD_EPARSE unless a real date. */
int td_web_parse_date(const char *s, size_t len, time_t *t);

#endif
