/*
 * router.h - match a method and a path against a table of routes.
 *
 * A pattern is a path whose segments are either literal or a parameter in
 * braces: "/articles/{id}/listen".  A parameter matches exactly one
 * non-empty segment; literal segments compare byte for byte.  The first
 * route whose pattern and method both match wins.  When some pattern
 * matches but no route has the method, the result is TD_WEB_ROUTE_METHOD
 * (the caller answers 405), otherwise TD_WEB_ROUTE_NONE (404).  GET routes
 * also answer HEAD.
 *
 * Matching borrows: parameter values are slices of the path given.
 */
#ifndef TD_WEB_ROUTER_H
#define TD_WEB_ROUTER_H

#include "base/compat.h"
#include "base/str.h"

#define TD_WEB_MAX_PARAMS 4

struct td_web_route {
    const char *method;  /* "GET", "POST" */
    const char *pattern; /* "/articles/{id}" */
    int handler;         /* caller's tag for the route, returned on a match */
};

struct td_web_match {
    int handler;
    size_t nparams;
    struct td_str names[TD_WEB_MAX_PARAMS];  /* without braces */
    struct td_str values[TD_WEB_MAX_PARAMS]; /* slices of the path */
};

enum { TD_WEB_ROUTE_NONE = -1, TD_WEB_ROUTE_METHOD = -2 };

/*
 * Find the route for `method` and `path` (no query string) in `routes`
 * (ended by an entry with a NULL pattern).  Returns the index of the route
 * and fills `m`, or TD_WEB_ROUTE_NONE / TD_WEB_ROUTE_METHOD.
 */
int td_web_route_match(const struct td_web_route *routes, const char *method, struct td_str path,
                       struct td_web_match *m);

/* The value of parameter `name` in `m`, or the empty slice. */
struct td_str td_web_match_param(const struct td_web_match *m, const char *name);

#endif
