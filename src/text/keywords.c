/*
 * keywords.c - TF-IDF keywords and capitalised-sequence entities.
 */
#include "text/keywords.h"

#include <math.h>
#include <utf8proc.h>

struct cand {
    uint64_t key;
    uint32_t first; /* order of first appearance */
    float count;
    char text[TD_KEYWORD_MAX];
};

struct cands {
    struct cand *c;
    size_t n, alloc;
};

static void copy_text(char *dst, const char *src, size_t len)
{
    if (len >= TD_KEYWORD_MAX) {
        len = TD_KEYWORD_MAX - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* Count one occurrence of `key`, remembering `text` the first time. */
static void cands_add(struct cands *cs, uint64_t key, const char *text, size_t len, float w)
{
    for (size_t i = cs->n; i-- > 0;)
        if (cs->c[i].key == key) {
            cs->c[i].count += w;
            return;
        }
    if (cs->n == cs->alloc) {
        cs->alloc = cs->alloc ? cs->alloc * 2 : 64;
        cs->c = td_xrealloc(cs->c, cs->alloc * sizeof(*cs->c));
    }
    struct cand *c = &cs->c[cs->n];
    c->key = key;
    c->first = (uint32_t)cs->n;
    c->count = w;
    copy_text(c->text, text, len);
    cs->n++;
}

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static size_t emit(struct cands *cs, struct td_keyword *out, size_t max)
{
    size_t n = 0;
    if (cs->n)
        qsort(cs->c, cs->n, sizeof(*cs->c), cmp_cand);
    for (size_t i = 0; i < cs->n && n < max; i++) {
        memcpy(out[n].text, cs->c[i].text, TD_KEYWORD_MAX);
        out[n].score = cs->c[i].count;
        n++;
    }
    free(cs->c);
    return n;
}

static void keyword_tokens(struct cands *cs, struct td_analyzer *a, const char *lang,
                           const char *text, size_t len, float w, size_t *budget)
{
    struct td_tokenizer t;
    struct td_token tok;

    td_tokenizer_init(&t, text, len);
    while (*budget > 0 && td_tokenizer_next(&t, &tok)) {
        size_t sl;
        (*budget)--;
        if ((tok.flags & (TD_TOKEN_NUMBER | TD_TOKEN_CJK)) || tok.word_len < 3 ||
            td_text_is_stopword(lang, tok.word, tok.word_len))
            continue;
        const char *stem = td_analyzer_stem(a, lang, tok.word, tok.word_len, &sl);
        /* The key is the term id the vectors use, so df lookups match. */
        uint32_t id = td_text_term_id(stem, sl);
        cands_add(cs, id, tok.word, tok.word_len, w);
    }
}

size_t td_keywords_extract(struct td_analyzer *a, const char *lang, const char *title,
                           const char *text, size_t len, const struct td_df *df,
                           struct td_keyword *out, size_t max)
{
    struct cands cs = {NULL, 0, 0};
    size_t budget = TD_KEYWORDS_MAX_TOKENS;

    if (title)
        keyword_tokens(&cs, a, lang, title, strlen(title), 2.0f, &budget);
    if (text)
        keyword_tokens(&cs, a, lang, text, len, 1.0f, &budget);
    for (size_t i = 0; i < cs.n; i++) {
        double tf = 1.0 + log(cs.c[i].count);
        double idf = df && df->docs ? td_df_idf(df, (uint32_t)cs.c[i].key) : 1.0;
        cs.c[i].count = (float)(tf * idf);
    }
    return emit(&cs, out, max);
}

static const char *const connectors[] = {"of",  "de",  "del", "la", "van",
                                         "von", "der", "da",  "du", "bin"};

/* Capitalised in English but not names: days and months. */
static const char *const calendar[] = {
    "monday",  "tuesday",   "wednesday", "thursday", "friday",   "saturday", "sunday",
    "january", "february",  "march",     "april",    "may",      "june",     "july",
    "august",  "september", "october",   "november", "december",
};

static bool is_calendar(const struct td_token *t)
{
    for (size_t i = 0; i < TD_ARRAY_SIZE(calendar); i++)
        if (t->word_len == strlen(calendar[i]) && !memcmp(t->word, calendar[i], t->word_len))
            return true;
    return false;
}

static bool is_connector(const struct td_token *t)
{
    if (t->flags & TD_TOKEN_CAP)
        return false;
    for (size_t i = 0; i < TD_ARRAY_SIZE(connectors); i++)
        if (t->word_len == strlen(connectors[i]) && !memcmp(t->word, connectors[i], t->word_len))
            return true;
    return false;
}

struct tok {
    size_t off, len;
    unsigned flags;
    bool stop, connector;
    uint64_t hash;
};

size_t td_entities_extract(const char *lang, const char *text, size_t len, struct td_keyword *out,
                           size_t max)
{
    struct td_tokenizer t;
    struct td_token tk;
    struct tok *toks = td_xmalloc(TD_KEYWORDS_MAX_TOKENS * sizeof(*toks));
    size_t nt = 0;
    struct cands cs = {NULL, 0, 0};

    td_tokenizer_init(&t, text, len);
    while (nt < TD_KEYWORDS_MAX_TOKENS && td_tokenizer_next(&t, &tk)) {
        struct tok *o = &toks[nt++];
        o->off = tk.off;
        o->len = tk.len;
        o->flags = tk.flags;
        o->stop = td_text_is_stopword(lang, tk.word, tk.word_len) || is_calendar(&tk);
        o->connector = is_connector(&tk);
        o->hash = td_text_hash64(tk.word, tk.word_len, 0);
    }
    for (size_t i = 0; i < nt;) {
        if (!(toks[i].flags & TD_TOKEN_CAP) || (toks[i].flags & TD_TOKEN_NUMBER)) {
            i++;
            continue;
        }
        /* Extend through joined capitals and connectors followed by a capital. */
        size_t j = i + 1;
        while (j < nt && (toks[j].flags & TD_TOKEN_JOINED)) {
            if (toks[j].flags & TD_TOKEN_CAP) {
                j++;
            } else if (toks[j].connector && j + 1 < nt && (toks[j + 1].flags & TD_TOKEN_CAP) &&
                       (toks[j + 1].flags & TD_TOKEN_JOINED)) {
                j += 2;
            } else {
                break;
            }
        }
        size_t a = i, b = j; /* [a, b) */
        bool at_start = toks[i].flags & TD_TOKEN_SENTENCE;
        while (a < b && toks[a].stop)
            a++;
        while (b > a && (toks[b - 1].stop || toks[b - 1].connector))
            b--;
        if (b > a) {
            bool single = b - a == 1;
            bool acronym = single && (toks[a].flags & TD_TOKEN_UPPER);
            bool ok = !single || acronym || (!at_start || a > i);
            if (single && toks[a].len < 2)
                ok = false;
            if (ok) {
                uint64_t key = 0;
                for (size_t k = a; k < b; k++)
                    key = key * 0x100000001b3ULL + toks[k].hash;
                cands_add(&cs, key, text + toks[a].off,
                          toks[b - 1].off + toks[b - 1].len - toks[a].off, 1.0f);
            }
        }
        i = j;
    }
    free(toks);
    return emit(&cs, out, max);
}

size_t td_tag_slug(const char *term, size_t len, char *out, size_t cap)
{
    char folded[TD_KEYWORD_MAX * 4];
    size_t n = td_text_fold(term, len, folded, sizeof(folded)), o = 0, i = 0;
    bool dash = false;

    while (i < n) {
        int32_t cp;
        utf8proc_ssize_t cl =
            utf8proc_iterate((const utf8proc_uint8_t *)folded + i, (utf8proc_ssize_t)(n - i), &cp);
        if (cl <= 0) {
            /* Folding wrote valid UTF-8; be safe anyway: a bad byte separates. */
            dash = true;
            i++;
            continue;
        }
        utf8proc_category_t k = utf8proc_category(cp);
        bool keep = (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_ME) ||
                    (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
        if (!keep) {
            dash = true;
            i += (size_t)cl;
            continue;
        }
        size_t need = (size_t)cl + (dash && o ? 1 : 0);
        if (o + need + 1 > cap)
            break;
        if (dash && o)
            out[o++] = '-';
        dash = false;
        memcpy(out + o, folded + i, (size_t)cl);
        o += (size_t)cl;
        i += (size_t)cl;
    }
    out[o] = '\0';
    return o;
}
