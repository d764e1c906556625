/*
 * tokenize.c - the word walker, Unicode folding and term hashing.
 *
 * Code points are classified with utf8proc's category table; nothing here
 * carries its own Unicode data except the block ranges of the scripts that
 * are written without spaces (Han, Hiragana, Katakana).
 */
#include "text/tokenize.h"

#include <utf8proc.h>

#define FOLD_OPTS (UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STABLE)

/* Decode one code point; ill-formed bytes give U+FFFD and consume one byte. */
static size_t decode(const char *s, size_t len, int32_t *cp)
{
    if ((unsigned char)s[0] < 0x80) {
        *cp = (unsigned char)s[0];
        return 1;
    }
    utf8proc_ssize_t n =
        utf8proc_iterate((const utf8proc_uint8_t *)s, len > 4 ? 4 : (utf8proc_ssize_t)len, cp);
    if (n <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    return (size_t)n;
}

static bool is_cjk(int32_t c)
{
    if (c < 0x3040)
        return false;
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

static bool ascii_alpha(int32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The classifiers answer ASCII themselves: most news text is ASCII. */
static bool is_letter(int32_t c)
{
    if (c < 0x80)
        return ascii_alpha(c);
    utf8proc_category_t k = utf8proc_category(c);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_ME;
}

static bool is_upper(int32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z';
    return utf8proc_isupper(c);
}

static bool is_digit(int32_t c)
{
    if (c < 0x80)
        return c >= '0' && c <= '9';
    return utf8proc_category(c) == UTF8PROC_CATEGORY_ND;
}

static bool is_word(int32_t c)
{
    if (c < 0x80)
        return ascii_alpha(c) || (c >= '0' && c <= '9');
    utf8proc_category_t k = utf8proc_category(c);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_NO;
}

/* Sentence-ending punctuation, including the CJK and full-width forms. */
static bool is_sentence_end(int32_t c)
{
    return c == '.' || c == '!' || c == '?' || c == '\n' || c == 0x3002 || c == 0xFF01 ||
           c == 0xFF1F || c == 0xFF0E || c == 0x2026;
}

static bool is_space_cp(int32_t c)
{
    if (c < 0x80)
        return c == ' ' || c == '\t' || c == '\r';
    return c == ' ' || c == '\t' || c == '\r' || c == 0xA0 ||
           utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

size_t td_text_fold(const char *s, size_t len, char *out, size_t cap)
{
    int32_t buf[512];
    size_t n = 0;
    bool ascii = true;

    if (cap == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) {
            ascii = false;
            break;
        }
    if (ascii) {
        n = len < cap ? len : cap - 1;
        for (size_t i = 0; i < n; i++)
            out[i] = (char)td_ascii_lower((unsigned char)s[i]);
        out[n] = '\0';
        return n;
    }
    /* Bound the work: a word longer than this is cut anyway. */
    if (len > TD_TOKEN_MAX * 2) {
        len = TD_TOKEN_MAX * 2;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    utf8proc_ssize_t k = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, buf,
                                            TD_ARRAY_SIZE(buf), FOLD_OPTS);
    if (k < 0 || k > (utf8proc_ssize_t)TD_ARRAY_SIZE(buf)) {
        /* Ill-formed input or an absurd expansion: keep the bytes as they are. */
        n = len < cap ? len : cap - 1;
        memcpy(out, s, n);
        out[n] = '\0';
        return n;
    }
    k = utf8proc_reencode(buf, k, FOLD_OPTS);
    const char *enc = (const char *)buf;
    n = k < 0 ? 0 : (size_t)k;
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)enc[n] & 0xC0) == 0x80)
            n--;
    }
    /* The typographic apostrophe folds to the ASCII one, so "don’t" is "don't". */
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 2 < n && !memcmp(enc + i, "\xE2\x80\x99", 3)) {
            out[j++] = '\'';
            i += 2;
        } else {
            out[j++] = enc[i];
        }
    }
    out[j] = '\0';
    return j;
}

void td_tokenizer_init(struct td_tokenizer *t, const char *text, size_t len)
{
    memset(t, 0, sizeof(*t));
    t->_src = text ? text : "";
    t->_len = text ? len : 0;
    t->_sentence = true;
}

static void emit(struct td_tokenizer *t, struct td_token *tok, size_t off, size_t end,
                 unsigned flags)
{
    tok->off = off;
    tok->len = end - off;
    tok->word_len = td_text_fold(t->_src + off, end - off, t->_word, TD_TOKEN_MAX + 1);
    tok->word = t->_word;
    if (t->_sentence)
        flags |= TD_TOKEN_SENTENCE;
    if (t->_joined)
        flags |= TD_TOKEN_JOINED;
    tok->flags = flags;
    t->_sentence = false;
    t->_joined = true;
}

/* Emit the next character pair of the current CJK run. */
static bool next_cjk(struct td_tokenizer *t, struct td_token *tok)
{
    int32_t c;
    size_t first = t->_cjk_prev, second = t->_cjk_next;
    size_t end = second + decode(t->_src + second, t->_len - second, &c);

    emit(t, tok, first, end, TD_TOKEN_CJK);
    t->_cjk_prev = second;
    t->_cjk_next = end;
    if (end >= t->_cjk_end) {
        t->_cjk_end = 0;
        t->_pos = end;
    }
    return true;
}

bool td_tokenizer_next(struct td_tokenizer *t, struct td_token *tok)
{
    const char *s = t->_src;
    int32_t c;

    if (t->_cjk_end)
        return next_cjk(t, tok);
    while (t->_pos < t->_len) {
        size_t start = t->_pos;
        size_t n = decode(s + start, t->_len - start, &c);

        if (!is_word(c)) {
            if (is_sentence_end(c))
                t->_sentence = true;
            if (!is_space_cp(c))
                t->_joined = false;
            t->_pos += n;
            continue;
        }
        if (is_cjk(c)) {
            size_t end = start + n, second = end;
            int32_t d;
            while (end < t->_len) {
                size_t m = decode(s + end, t->_len - end, &d);
                if (!is_cjk(d))
                    break;
                end += m;
            }
            if (second == end) {
                t->_pos = end;
                emit(t, tok, start, end, TD_TOKEN_CJK);
                return true;
            }
            t->_cjk_prev = start;
            t->_cjk_next = second;
            t->_cjk_end = end;
            return next_cjk(t, tok);
        }
        /* A run of word characters with inner apostrophes and number separators. */
        unsigned flags = 0;
        size_t end = start, letters = 0, lower = 0;
        int32_t prev = 0;
        if (is_upper(c))
            flags |= TD_TOKEN_CAP;
        if (is_digit(c))
            flags |= TD_TOKEN_NUMBER;
        while (end < t->_len) {
            size_t m = decode(s + end, t->_len - end, &c);
            if (is_cjk(c))
                break;
            if (!is_word(c)) {
                int32_t d = 0;
                if (end + m < t->_len)
                    decode(s + end + m, t->_len - end - m, &d);
                bool keep =
                    ((c == '\'' || c == 0x2019) && is_letter(prev) && is_letter(d) && !is_cjk(d)) ||
                    ((c == '.' || c == ',') && is_digit(prev) && is_digit(d));
                if (!keep)
                    break;
            } else if (is_letter(c)) {
                letters++;
                if (!is_upper(c))
                    lower++;
            }
            prev = c;
            end += m;
        }
        if (letters >= 2 && lower == 0)
            flags |= TD_TOKEN_UPPER;
        t->_pos = end;
        emit(t, tok, start, end, flags);
        return true;
    }
    return false;
}

uint64_t td_text_hash64(const char *s, size_t len, uint64_t seed)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    /* splitmix64 finaliser: FNV's low bits are weak on short keys. */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

uint32_t td_text_term_id(const char *s, size_t len)
{
    uint64_t h = td_text_hash64(s, len, 0);
    return (uint32_t)(h ^ (h >> 32));
}
