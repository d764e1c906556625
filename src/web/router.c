/*
 * router.c - segment-by-segment pattern matching (see router.h).
 *
 * The tables are a few dozen routes long, so a linear scan is simpler and
 * as fast as a trie at this size; it also keeps "first match wins" obvious.
 */
#include "base/compat.h"
#include "web/router.h"

/* The next segment of `s` starting at *pos (which points at a '/'). */
static bool next_segment(struct td_str s, size_t *pos, struct td_str *seg)
{
    if (*pos >= s.len || s.ptr[*pos] != '/')
        return false;
    size_t start = *pos + 1, end = start;
    while (end < s.len && s.ptr[end] != '/')
        end++;
    *seg = td_str_make(s.ptr + start, end - start);
    *pos = end;
    return true;
}

static bool pattern_matches(const char *pattern, struct td_str path, struct td_web_match *m)
{
    struct td_str pat = td_str_c(pattern);
    size_t pp = 0, sp = 0;
    struct td_str ps, ss;

    m->nparams = 0;
    if (pat.len == 1 && path.len == 1)
        return pat.ptr[0] == '/' && path.ptr[0] == '/';
    for (;;) {
        bool more_p = next_segment(pat, &pp, &ps);
        bool more_s = next_segment(path, &sp, &ss);
        if (!more_p || !more_s)
            return more_p == more_s;
        if (ps.len >= 2 && ps.ptr[0] == '{' && ps.ptr[ps.len - 1] == '}') {
            if (ss.len == 0 || m->nparams == TD_WEB_MAX_PARAMS)
                return false;
            m->names[m->nparams] = td_str_make(ps.ptr + 1, ps.len - 2);
            m->values[m->nparams] = ss;
            m->nparams++;
        } else if (!td_str_eq(ps, ss)) {
            return false;
        }
    }
}

int td_web_route_match(const struct td_web_route *routes, const char *method, struct td_str path,
                       struct td_web_match *m)
{
    bool head = strcmp(method, "HEAD") == 0;
    int result = TD_WEB_ROUTE_NONE;

    for (int i = 0; routes[i].pattern; i++) {
        if (!pattern_matches(routes[i].pattern, path, m))
            continue;
        if (strcmp(routes[i].method, method) == 0 ||
            (head && strcmp(routes[i].method, "GET") == 0)) {
            m->handler = routes[i].handler;
            return i;
        }
        result = TD_WEB_ROUTE_METHOD;
    }
    m->nparams = 0;
    return result;
}

struct td_str td_web_match_param(const struct td_web_match *m, const char *name)
{
    struct td_str n = td_str_c(name);

    for (size_t i = 0; i < m->nparams; i++)
        if (td_str_eq(m->names[i], n))
            return m->values[i];
    return TD_STR_NULL;
}
