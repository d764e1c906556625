/*
 * str.c - comparisons and searches on borrowed slices (see str.h).
 */
#include "base/compat.h"
#include "base/str.h"

bool td_str_eq(struct td_str a, struct td_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool td_str_eq_nocase(struct td_str a, struct td_str b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++)
        if (td_ascii_lower((unsigned char)a.ptr[i]) != td_ascii_lower((unsigned char)b.ptr[i]))
            return false;
    return true;
}

bool td_str_starts_with(struct td_str s, struct td_str prefix)
{
    return s.len >= prefix.len && td_str_eq(td_str_make(s.ptr, prefix.len), prefix);
}

bool td_str_starts_with_nocase(struct td_str s, struct td_str prefix)
{
    return s.len >= prefix.len && td_str_eq_nocase(td_str_make(s.ptr, prefix.len), prefix);
}

bool td_str_ends_with(struct td_str s, struct td_str suffix)
{
    return s.len >= suffix.len &&
           td_str_eq(td_str_make(s.ptr + s.len - suffix.len, suffix.len), suffix);
}

ptrdiff_t td_str_find(struct td_str hay, struct td_str needle)
{
    if (needle.len == 0)
        return 0;
    if (needle.len > hay.len)
        return -1;
    const char *end = hay.ptr + hay.len - needle.len + 1;
    for (const char *p = hay.ptr; p < end; p++) {
        p = memchr(p, needle.ptr[0], (size_t)(end - p));
        if (!p)
            return -1;
        if (memcmp(p, needle.ptr, needle.len) == 0)
            return p - hay.ptr;
    }
    return -1;
}

ptrdiff_t td_str_find_nocase(struct td_str hay, struct td_str needle)
{
    if (needle.len == 0)
        return 0;
    /*
     * Compare only where the first byte matches: the extractor looks for a
     * few words in every paragraph, and a comparison started at every
     * position was 5% of a crawl's instructions.
     */
    int first = td_ascii_lower((unsigned char)needle.ptr[0]);
    for (size_t i = 0; i + needle.len <= hay.len; i++)
        if (td_ascii_lower((unsigned char)hay.ptr[i]) == first &&
            td_str_eq_nocase(td_str_make(hay.ptr + i, needle.len), needle))
            return (ptrdiff_t)i;
    return -1;
}

struct td_str td_str_trim(struct td_str s)
{
    while (s.len && td_is_space((unsigned char)s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len && td_is_space((unsigned char)s.ptr[s.len - 1]))
        s.len--;
    return s;
}

struct td_str td_str_sub(struct td_str s, size_t from, size_t len)
{
    if (from > s.len)
        from = s.len;
    if (len > s.len - from)
        len = s.len - from;
    return td_str_make(s.ptr + from, len);
}
