/*
 * error.h - tidings' error codes.
 *
 * Functions that can fail return an int: 0 for success, a negative TD_E*
 * code for failure.  td_strerror() turns a code into a short lowercase
 * message suitable for logs and for the `error` field of JSON output.
 */
#ifndef TD_ERROR_H
#define TD_ERROR_H

enum td_error {
    TD_OK = 0,
    TD_ENOMEM = -1,   /* allocation failed (only where we do not abort) */
    TD_ETOOBIG = -2,  /* input exceeded a size or depth cap */
    TD_EPARSE = -3,   /* input could not be parsed */
    TD_EIO = -4,      /* read or write failed; errno has details */
    TD_EDB = -5,      /* database error */
    TD_EINVAL = -6,   /* invalid argument or option */
    TD_ENOTFOUND = -7,/* no such thing */
    TD_ENET = -8,     /* network failure */
    TD_EHTTP = -9,    /* HTTP status outside 2xx */
    TD_EDENIED = -10, /* refused by policy (e.g. private address) */
    TD_EENCODING = -11, /* unknown or unusable character encoding */
    TD_EEMPTY = -12,  /* input had nothing to work on */
    TD_ETIMEOUT = -13,/* an operation ran out of time */
    TD_EEXIST = -14,  /* a unique key is already taken */
};

/* Return a static message for `err`; unknown codes give "unknown error". */
const char *td_strerror(int err);

#endif
