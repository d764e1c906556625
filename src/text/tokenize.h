/*
 * tokenize.h - words out of plain UTF-8 text, folded, stemmed and filtered.
 *
 * The tokenizer walks a text once and yields its words.  Each word is
 * normalised with utf8proc (NFKC + Unicode case folding), so "Straße",
 * "STRASSE" and "straße" fold alike, and full-width letters become ASCII.
 * A word is a run of letters, marks and digits; an apostrophe between
 * letters stays inside ("don't"), and a '.' or ',' between digits stays
 * inside a number ("3.5", "1,000").  Han, Hiragana and Katakana, which are
 * written without spaces, come out as overlapping pairs of characters
 * (character bigrams), the usual unit for indexing Chinese and Japanese.
 * Ill-formed UTF-8 bytes are treated as U+FFFD, which is not a word
 * character: bad bytes split words but never stop the walk.
 *
 * The analyzer adds what depends on the language: Snowball stemming
 * (libstemmer) and stop words.  Languages are ISO 639-1 codes ("en", "es")
 * or Snowball names ("english"); NULL, empty or unknown means English for
 * stop words and no stemming for unknown codes.
 */
#ifndef TD_TEXT_TOKENIZE_H
#define TD_TEXT_TOKENIZE_H

#include "base/compat.h"
#include "base/str.h"

/* Longest folded word kept, in bytes; longer words are cut at a character. */
#define TD_TOKEN_MAX 64

enum td_token_flags {
    TD_TOKEN_CAP = 1 << 0,      /* first character is an upper-case letter in the source */
    TD_TOKEN_UPPER = 1 << 1,    /* two or more letters, all upper case (an acronym) */
    TD_TOKEN_NUMBER = 1 << 2,   /* starts with a digit */
    TD_TOKEN_CJK = 1 << 3,      /* a Han/kana character pair (or a lone character) */
    TD_TOKEN_SENTENCE = 1 << 4, /* first word after a sentence end or at the start */
    TD_TOKEN_JOINED = 1 << 5,   /* only spaces separate it from the previous token */
};

struct td_token {
    const char *word; /* folded form, NUL-terminated; valid until the next call */
    size_t word_len;
    size_t off, len; /* the span of the source text it came from */
    unsigned flags;  /* enum td_token_flags */
};

struct td_tokenizer {
    const char *_src;
    size_t _len, _pos;
    bool _sentence;   /* the next word starts a sentence */
    bool _joined;     /* nothing but spaces since the previous word */
    size_t _cjk_next; /* CJK run: offset of the next pair's second character */
    size_t _cjk_end;  /* CJK run end (0 when not in a run) */
    size_t _cjk_prev; /* CJK run: offset of the pair's first character */
    char _word[TD_TOKEN_MAX * 4 + 8];
};

/* Start walking `len` bytes at `text` (borrowed for the walk). */
void td_tokenizer_init(struct td_tokenizer *t, const char *text, size_t len);
/* The next word, or false at the end. */
bool td_tokenizer_next(struct td_tokenizer *t, struct td_token *tok);

/*
 * Fold `len` bytes of UTF-8 (NFKC + case folding) into `out` (room for
 * `cap` bytes, NUL included).  Returns the folded length; output is cut at a
 * character boundary when it does not fit.
 */
size_t td_text_fold(const char *s, size_t len, char *out, size_t cap);

/* True if the folded word is a stop word of `lang`. */
bool td_text_is_stopword(const char *lang, const char *word, size_t len);

/* Stemmers for every language met, created on first use. Not thread-safe. */
struct td_analyzer;

struct td_analyzer *td_analyzer_new(void);
void td_analyzer_free(struct td_analyzer *a);
/*
 * Stem a folded word.  Returns a pointer to the stem (owned by the analyzer,
 * valid until its next call) and its length in `*out_len`; when `lang` has
 * no Snowball stemmer the word itself is returned.
 */
const char *td_analyzer_stem(struct td_analyzer *a, const char *lang, const char *word, size_t len,
                             size_t *out_len);

/* A 32-bit term id for a stemmed word (FNV-1a, folded to 32 bits). */
uint32_t td_text_term_id(const char *s, size_t len);
/* 64-bit FNV-1a with a final mix; the shared string hash of the module. */
uint64_t td_text_hash64(const char *s, size_t len, uint64_t seed);

#endif
