/*
 * utf8.c - UTF-8 validation, decoding with U+FFFD repair, and encoding.
 *
 * Well-formedness follows Unicode 15 table 3-7: no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing past U+10FFFF.  An ill-formed
 * sequence is replaced by one U+FFFD per "maximal subpart" (Unicode 3.9,
 * the practice WHATWG's decoder also follows), so "\xE2\x82" followed by
 * 'A' yields one U+FFFD then 'A', and a lone continuation byte yields one.
 */
#include "base/compat.h"
#include "base/utf8.h"
#include "base/error.h"

/*
 * Decode one sequence (len >= 1).  Returns the bytes it spans and sets
 * `*cp`; an ill-formed sequence returns the length of its maximal subpart
 * (at least 1) with `*cp` = 0xFFFD and `*ok` = false, which tells it apart
 * from a well-formed U+FFFD in the input.
 */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp, bool *ok)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t need;
    uint32_t v;

    *ok = true;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* no overlongs */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; /* no overlongs */
        else if (c == 0xF4)
            hi = 0x8F; /* nothing past U+10FFFF */
    } else {
        *cp = 0xFFFD; /* continuation byte, C0/C1 or F5..FF: never valid */
        *ok = false;
        return 1;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= len || s[i] < lo || s[i] > hi) {
            *cp = 0xFFFD;
            *ok = false;
            return i;
        }
        v = (v << 6) | (s[i] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    return i;
}

size_t td_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    bool ok;

    if (len == 0) {
        *cp = 0xFFFD;
        return 0;
    }
    return decode((const unsigned char *)s, len, cp, &ok);
}

size_t td_utf8_scan(const char *s, size_t len, bool *ok)
{
    uint32_t cp;

    if (len == 0) {
        *ok = false;
        return 0;
    }
    return decode((const unsigned char *)s, len, &cp, ok);
}

bool td_utf8_valid(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        /* Fast paths over ASCII runs, which dominate real pages: 8 bytes, then 1. */
        uint64_t w;
        if (len - i >= 8 && (memcpy(&w, s + i, 8), (w & 0x8080808080808080ull) == 0)) {
            i += 8;
            continue;
        }
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        bool ok;
        i += decode((const unsigned char *)s + i, len - i, &cp, &ok);
        if (!ok)
            return false;
    }
    return true;
}

int td_utf8_sanitize(const char *s, size_t len, struct td_buf *out)
{
    size_t start = 0, i = 0;
    int err;

    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        bool ok;
        size_t n = decode((const unsigned char *)s + i, len - i, &cp, &ok);
        if (!ok) {
            if ((err = td_buf_append(out, s + start, i - start)) < 0 ||
                (err = td_buf_append(out, "\xEF\xBF\xBD", 3)) < 0)
                return err;
            start = i + n;
        }
        i += n;
    }
    return td_buf_append(out, s + start, len - start);
}

size_t td_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;

    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}
