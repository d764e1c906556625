/*
 * sentence.c - the sentence splitter (rules in sentence.h).
 */
#include "text/sentence.h"

#include "base/str.h"

#include <utf8proc.h>

static size_t decode(const char *s, size_t len, int32_t *cp)
{
    utf8proc_ssize_t n =
        utf8proc_iterate((const utf8proc_uint8_t *)s, len > 4 ? 4 : (utf8proc_ssize_t)len, cp);
    if (n <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    return (size_t)n;
}

static bool is_closer(int32_t c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 ||
           c == 0xBB || c == 0x300D || c == 0x300F || c == 0xFF09;
}

static bool is_space(int32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 || c == 0x3000;
}

static bool is_alnum(int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) || k == UTF8PROC_CATEGORY_ND;
}

/* Words after which a '.' never ends a sentence: titles and "No." */
static const char *const titles[] = {
    "mr",   "mrs",  "ms", "dr",     "prof", "st",   "sen",  "gen",    "gov", "rep",
    "capt", "col",  "lt", "sgt",    "mt",   "ft",   "no",   "nos",    "vs",  "sr",
    "sra",  "srta", "jr", "messrs", "hon",  "rev",  "fig",  "approx", "cf",  "al",
    "mme",  "mlle", "hr", "fr",     "pres", "supt", "insp",
};

/* Is the word ending just before the '.' at `dot` a title, an initial or an initialism? */
static bool is_abbreviation(const char *s, size_t dot)
{
    size_t b = dot;
    char w[16];
    size_t n = 0;

    while (b > 0 && (((unsigned char)s[b - 1] >= 0x80) || s[b - 1] == '.' ||
                     (s[b - 1] >= 'A' && s[b - 1] <= 'Z') || (s[b - 1] >= 'a' && s[b - 1] <= 'z') ||
                     (s[b - 1] >= '0' && s[b - 1] <= '9')))
        b--;
    size_t wl = dot - b;
    if (wl == 0)
        return false;
    /* A single capital: an initial ("J. Smith"). */
    if (wl == 1 && s[b] >= 'A' && s[b] <= 'Z')
        return true;
    /* Letters separated by dots: "U.S", "e.g", "i.e", "D.C". */
    if (wl >= 3 && memchr(s + b, '.', wl)) {
        bool initialism = true;
        for (size_t i = b; i < dot; i++) {
            bool letter = (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z');
            if (((i - b) % 2 == 0 && !letter) || ((i - b) % 2 == 1 && s[i] != '.'))
                initialism = false;
        }
        if (initialism)
            return true;
    }
    if (wl >= sizeof(w))
        return false;
    for (size_t i = b; i < dot; i++)
        w[n++] = (char)td_ascii_lower((unsigned char)s[i]);
    w[n] = '\0';
    for (size_t i = 0; i < TD_ARRAY_SIZE(titles); i++)
        if (!strcmp(w, titles[i]))
            return true;
    return false;
}

static bool push(const char *text, size_t from, size_t to, struct td_span *out, size_t *n,
                 size_t max)
{
    int32_t c;
    bool any = false;

    while (from < to && is_space((unsigned char)text[from]))
        from++;
    while (to > from && is_space((unsigned char)text[to - 1]))
        to--;
    for (size_t i = from; i < to && !any;) {
        i += decode(text + i, to - i, &c);
        any = is_alnum(c);
    }
    if (!any || *n >= max)
        return *n < max;
    out[*n].off = from;
    out[*n].len = to - from;
    (*n)++;
    return *n < max;
}

size_t td_sentences_split(const char *text, size_t len, struct td_span *out, size_t max)
{
    size_t n = 0, start = 0, i = 0;
    int32_t c, d;

    if (!text || max == 0)
        return 0;
    while (i < len) {
        size_t at = i;
        i += decode(text + i, len - i, &c);
        if (c == '\n') {
            if (!push(text, start, at, out, &n, max))
                return n;
            start = i;
            continue;
        }
        bool cjk = c == 0x3002 || c == 0xFF01 || c == 0xFF1F;
        bool strong = c == '!' || c == '?';
        if (!cjk && !strong && c != 0x2026 && c != '.')
            continue;
        /* Take the whole run of terminal marks ("?!", "..."), then closers. */
        size_t end = i;
        while (end < len) {
            size_t m = decode(text + end, len - end, &d);
            if (d != '.' && d != '!' && d != '?' && d != 0x2026 && d != 0x3002 && d != 0xFF01 &&
                d != 0xFF1F)
                break;
            end += m;
        }
        bool lone_dot = c == '.' && end == i;
        while (end < len) {
            size_t m = decode(text + end, len - end, &d);
            if (!is_closer(d))
                break;
            end += m;
        }
        if (cjk) {
            if (!push(text, start, end, out, &n, max))
                return n;
            start = i = end;
            continue;
        }
        /* Latin-script ends need white space (or the end) after them. */
        if (end < len) {
            decode(text + end, len - end, &d);
            if (!is_space(d)) {
                i = end;
                continue;
            }
        }
        size_t next = end;
        d = 0;
        while (next < len) {
            size_t m = decode(text + next, len - next, &d);
            if (!is_space(d) || d == '\n')
                break;
            next += m;
        }
        if (next < len && d != '\n') {
            /* A lower-case next word continues the sentence. */
            if (utf8proc_islower(d) || (lone_dot && is_abbreviation(text, at))) {
                i = end;
                continue;
            }
        }
        if (!push(text, start, end, out, &n, max))
            return n;
        start = i = end;
    }
    push(text, start, len, out, &n, max);
    return n;
}
