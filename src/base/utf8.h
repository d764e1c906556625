/*
 * utf8.h - UTF-8 validation, decoding with repair, and encoding.
 *
 * Well-formed means Unicode table 3-7: no overlong forms, no surrogates,
 * nothing past U+10FFFF.  Repair replaces each "maximal subpart" of an
 * ill-formed sequence with one U+FFFD (Unicode 3.9; what browsers do).
 */
#ifndef TD_UTF8_H
#define TD_UTF8_H

#include "base/compat.h"
#include "base/buf.h"

/* True if `len` bytes at `s` are well-formed UTF-8. */
bool td_utf8_valid(const char *s, size_t len);

/*
 * Append `s` to `out`, replacing each ill-formed sequence with U+FFFD.
 * TD_ETOOBIG past out's cap (out then holds a valid prefix).
 */
int td_utf8_sanitize(const char *s, size_t len, struct td_buf *out);

/*
 * Decode one code point at `s` (at most `len` bytes).  Returns the number
 * of bytes consumed (>= 1; 0 only when len is 0) and sets `*cp`; an
 * ill-formed sequence sets `*cp` to 0xFFFD and consumes its maximal subpart.
 */
size_t td_utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * Like td_utf8_decode without the code point: returns the bytes of the
 * sequence at `s` and sets `*ok` to whether it is well-formed (so a real
 * U+FFFD in the input is told apart from a repaired one).
 */
size_t td_utf8_scan(const char *s, size_t len, bool *ok);

/*
 * Encode `cp` into `out` (4 bytes room); returns the byte count.
 * Surrogates and values past U+10FFFF are encoded as U+FFFD.
 */
size_t td_utf8_encode(uint32_t cp, char *out);

#endif
