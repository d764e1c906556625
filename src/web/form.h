/*
 * form.h - application/x-www-form-urlencoded parsing (query strings and
 * POST bodies), and percent-decoding of path segments.
 *
 * Parsing follows the WHATWG URL Standard's "application/x-www-form-urlencoded
 * parser" (section 5.1) with two deliberate differences: a malformed
 * percent-escape ("%zz", "%4") and bytes that do not decode to valid UTF-8
 * are errors (TD_EPARSE) instead of being passed through or replaced, so
 * the pages can answer 400 with a message rather than store garbage; and
 * the number of fields is capped (TD_ETOOBIG).  Names and values are
 * NUL-terminated copies in the caller's arena.
 */
#ifndef TD_WEB_FORM_H
#define TD_WEB_FORM_H

#include "base/compat.h"
#include "base/arena.h"
#include "base/str.h"

#define TD_WEB_FORM_MAX_FIELDS 64

struct td_web_field {
    struct td_str name;
    struct td_str value;
};

struct td_web_form {
    size_t n;
    struct td_web_field fields[TD_WEB_FORM_MAX_FIELDS];
};

/*
 * Parse `s` into `form` (appending to what it holds), copying into `arena`.
 * Returns 0, TD_EPARSE (bad escape or UTF-8) or TD_ETOOBIG (too many
 * fields).  Empty pairs ("a=1&&b=2") are skipped as the standard says.
 */
int td_web_form_parse(struct td_web_form *form, struct td_str s, struct td_arena *arena);

/* The first value of `name`, or `def` (which may be NULL) when absent. */
const char *td_web_form_get(const struct td_web_form *form, const char *name, const char *def);

/*
 * Percent-decode `s` (no '+' handling: that is a query convention, not a
 * path one) into `arena`.  TD_EPARSE on a bad escape, invalid UTF-8 or an
 * encoded NUL.
 */
int td_web_pct_decode(struct td_str s, struct td_arena *arena, struct td_str *out);

/* True if `len` bytes at `s` are well-formed UTF-8 without NUL bytes. */
bool td_web_utf8_ok(const char *s, size_t len);

#endif
