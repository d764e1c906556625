/*
 * str.h - borrowed string slices.
 *
 * A struct td_str is a pointer and a length into memory somebody else owns
 * (a td_buf, an arena, a parsed document).  It is not NUL-terminated and is
 * passed by value.  The functions here never allocate.
 */
#ifndef TD_STR_H
#define TD_STR_H

#include "base/compat.h"

struct td_str {
    const char *ptr;
    size_t len;
};

/* A slice of a string literal: TD_STR_LIT("abc"). */
#define TD_STR_LIT(s) ((struct td_str){(s), sizeof(s) - 1})
#define TD_STR_NULL ((struct td_str){"", 0})

/* A slice of a NUL-terminated C string; NULL gives the empty slice. */
static inline struct td_str td_str_c(const char *s)
{
    return s ? (struct td_str){s, strlen(s)} : TD_STR_NULL;
}

static inline struct td_str td_str_make(const char *p, size_t len)
{
    return (struct td_str){p, len};
}

/* Byte equality. */
bool td_str_eq(struct td_str a, struct td_str b);
/* ASCII case-insensitive equality (non-ASCII bytes compare exactly). */
bool td_str_eq_nocase(struct td_str a, struct td_str b);
bool td_str_starts_with(struct td_str s, struct td_str prefix);
bool td_str_starts_with_nocase(struct td_str s, struct td_str prefix);
bool td_str_ends_with(struct td_str s, struct td_str suffix);
/* Offset of the first `needle` in `hay`, or -1.  An empty needle matches at 0. */
ptrdiff_t td_str_find(struct td_str hay, struct td_str needle);
/* Like td_str_find, ignoring ASCII case. */
ptrdiff_t td_str_find_nocase(struct td_str hay, struct td_str needle);
/* Drop ASCII white space (space, tab, CR, LF, FF, VT) from both ends. */
struct td_str td_str_trim(struct td_str s);
/* The slice [from, from+len), clamped to `s`. */
struct td_str td_str_sub(struct td_str s, size_t from, size_t len);

static inline bool td_is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline int td_ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

#endif
