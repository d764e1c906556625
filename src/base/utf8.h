/*
 * utf8.h - UTF-8 validation and repair.
 */
#ifndef TD_UTF8_H
#define TD_UTF8_H

#include "base/compat.h"
#include "base/buf.h"

/* True if `len` bytes at `s` are well-formed UTF-8 (no overlongs, no surrogates). */
bool td_utf8_valid(const char *s, size_t len);

/* Append `s` to `out`, replacing each ill-formed sequence with U+FFFD. */
int td_utf8_sanitize(const char *s, size_t len, struct td_buf *out);

/*
 * Decode one code point at `s` (at most `len` bytes).  Returns the number
 * of bytes consumed (>= 1) and sets `*cp`; an ill-formed sequence sets
 * `*cp` to 0xFFFD and consumes its maximal subpart (WHATWG/Unicode 3.9).
 */
size_t td_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encode `cp` into `out` (4 bytes room); returns the byte count. */
size_t td_utf8_encode(uint32_t cp, char *out);

#endif
