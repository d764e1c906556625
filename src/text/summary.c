/*
 * summary.c - sentence scoring and MMR selection for key points.
 */
#include "text/summary.h"

#include "text/vector.h"

#include <math.h>

#define MMR_LAMBDA 0.7   /* relevance vs. novelty in the greedy pick */
#define REDUNDANT 0.5    /* cosine with a picked sentence that rules a candidate out */
#define TITLE_WEIGHT 0.3 /* share of the score from similarity to the title */
#define LEAD_BONUS 0.1   /* the opening sentence of an article */
#define MIN_WORDS 6      /* shorter sentences are fragments */
#define MAX_WORDS 60     /* longer ones are lists or run-ons */
#define SHORT_PENALTY 0.5
#define LONG_PENALTY 0.7

struct unit {
    size_t doc;
    struct td_span span;
    struct td_vec terms; /* binary presence of stemmed content words, unit length */
    size_t words;
    double score;
    bool picked;
};

/* Count the words of a span (all tokens, stop words included). */
static size_t count_words(const char *s, size_t len)
{
    struct td_tokenizer t;
    struct td_token tok;
    size_t n = 0;

    td_tokenizer_init(&t, s, len);
    while (td_tokenizer_next(&t, &tok))
        n++;
    return n;
}

static void presence(struct td_vec *v)
{
    for (uint32_t i = 0; i < v->n; i++)
        v->t[i].w = 1.0f;
    td_vec_normalize(v);
}

/* Weighted cosine: sum of the shared terms' centroid weights, normalised. */
static double centrality(const struct td_vec *unit, const struct td_vec *centroid, double cnorm)
{
    double d = td_vec_dot(unit, centroid);
    return cnorm > 0 ? d / cnorm : 0;
}

static size_t add_units(struct td_analyzer *a, const char *lang, const char *text, size_t len,
                        size_t doc, struct unit **units, size_t *nunits, size_t *alloc)
{
    struct td_span *spans = td_xmalloc(TD_KEYPOINTS_MAX_SENTENCES * sizeof(*spans));
    size_t n = td_sentences_split(text, len, spans, TD_KEYPOINTS_MAX_SENTENCES);

    for (size_t i = 0; i < n; i++) {
        if (*nunits == *alloc) {
            *alloc = *alloc ? *alloc * 2 : 64;
            *units = td_xrealloc(*units, *alloc * sizeof(**units));
        }
        struct unit *u = &(*units)[(*nunits)++];
        memset(u, 0, sizeof(*u));
        u->doc = doc;
        u->span = spans[i];
        td_vec_add_text(&u->terms, a, lang, text + spans[i].off, spans[i].len, 1.0f, 1.0f);
        td_vec_finish(&u->terms);
        u->words = count_words(text + spans[i].off, spans[i].len);
    }
    free(spans);
    return n;
}

static int cmp_position(const void *a, const void *b)
{
    const struct td_keypoint *x = a, *y = b;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    return x->span.off < y->span.off ? -1 : x->span.off > y->span.off;
}

/*
 * Score the units against `centroid` (term -> weight) and `title`, then
 * pick `n` by MMR into `out` (sorted by position).
 */
static size_t select_units(struct unit *units, size_t nunits, const struct td_vec *centroid,
                           const struct td_vec *title, size_t n, struct td_keypoint *out)
{
    double cnorm = td_vec_norm(centroid);
    size_t picked = 0;

    for (size_t i = 0; i < nunits; i++) {
        struct unit *u = &units[i];
        presence(&u->terms);
        u->score = (1 - TITLE_WEIGHT) * centrality(&u->terms, centroid, cnorm);
        if (title->n)
            u->score += TITLE_WEIGHT * td_vec_dot(&u->terms, title);
        if (u->span.off == 0 || (i > 0 && units[i - 1].doc != u->doc) || i == 0)
            u->score += LEAD_BONUS;
        if (u->words < MIN_WORDS)
            u->score *= SHORT_PENALTY;
        else if (u->words > MAX_WORDS)
            u->score *= LONG_PENALTY;
    }
    while (picked < n) {
        double best = -INFINITY;
        size_t bi = SIZE_MAX;
        for (size_t i = 0; i < nunits; i++) {
            struct unit *u = &units[i];
            double red = 0;
            if (u->picked || u->terms.n == 0)
                continue;
            for (size_t j = 0; j < picked; j++) {
                double s = td_vec_dot(&u->terms, &units[out[j].doc].terms);
                if (s > red)
                    red = s;
            }
            if (red > REDUNDANT)
                continue;
            double mmr = MMR_LAMBDA * u->score - (1 - MMR_LAMBDA) * red;
            if (mmr > best) {
                best = mmr;
                bi = i;
            }
        }
        if (bi == SIZE_MAX)
            break;
        units[bi].picked = true;
        /* `doc` temporarily holds the unit index; fixed below. */
        out[picked].doc = bi;
        out[picked].span = units[bi].span;
        picked++;
    }
    for (size_t i = 0; i < picked; i++)
        out[i].doc = units[out[i].doc].doc;
    qsort(out, picked, sizeof(*out), cmp_position);
    return picked;
}

static void free_units(struct unit *units, size_t n)
{
    for (size_t i = 0; i < n; i++)
        td_vec_release(&units[i].terms);
    free(units);
}

/* Sublinear term frequency, the centroid's weighting. */
static void sublinear(struct td_vec *v)
{
    for (uint32_t i = 0; i < v->n; i++)
        v->t[i].w = (float)(1.0 + log(v->t[i].w));
}

size_t td_keypoints_article(struct td_analyzer *a, const char *lang, const char *title,
                            const char *text, size_t len, size_t n, struct td_span *out)
{
    struct unit *units = NULL;
    size_t nunits = 0, alloc = 0, got;
    struct td_vec centroid = TD_VEC_INIT, tv = TD_VEC_INIT;
    struct td_keypoint kp[TD_KEYPOINTS_MAX];

    if (n > TD_KEYPOINTS_MAX)
        n = TD_KEYPOINTS_MAX;
    if (!text || n == 0)
        return 0;
    add_units(a, lang, text, len, 0, &units, &nunits, &alloc);
    for (size_t i = 0; i < nunits; i++)
        for (uint32_t j = 0; j < units[i].terms.n; j++)
            td_vec_push(&centroid, units[i].terms.t[j].id, units[i].terms.t[j].w);
    td_vec_finish(&centroid);
    sublinear(&centroid);
    if (title) {
        td_vec_add_text(&tv, a, lang, title, strlen(title), 1.0f, 1.0f);
        td_vec_finish(&tv);
        presence(&tv);
    }
    got = select_units(units, nunits, &centroid, &tv, n, kp);
    for (size_t i = 0; i < got; i++)
        out[i] = kp[i].span;
    free_units(units, nunits);
    td_vec_release(&centroid);
    td_vec_release(&tv);
    return got;
}

size_t td_keypoints_story(struct td_analyzer *a, const struct td_keypoints_doc *docs, size_t ndocs,
                          size_t n, struct td_keypoint *out)
{
    struct unit *units = NULL;
    size_t nunits = 0, alloc = 0, got;
    struct td_vec centroid = TD_VEC_INIT, tv = TD_VEC_INIT;

    if (n > TD_KEYPOINTS_MAX)
        n = TD_KEYPOINTS_MAX;
    if (n == 0)
        return 0;
    for (size_t d = 0; d < ndocs; d++) {
        struct td_vec doc = TD_VEC_INIT;
        size_t first = nunits;
        if (docs[d].text)
            add_units(a, docs[d].lang, docs[d].text, docs[d].len, d, &units, &nunits, &alloc);
        /* A term's story weight: in how many articles it occurs, dampened
         * by its frequency inside each. */
        for (size_t i = first; i < nunits; i++)
            for (uint32_t j = 0; j < units[i].terms.n; j++)
                td_vec_push(&doc, units[i].terms.t[j].id, 1.0f);
        td_vec_finish(&doc);
        sublinear(&doc);
        for (uint32_t j = 0; j < doc.n; j++)
            td_vec_push(&centroid, doc.t[j].id, doc.t[j].w);
        td_vec_release(&doc);
        if (docs[d].title)
            td_vec_add_text(&tv, a, docs[d].lang, docs[d].title, strlen(docs[d].title), 1.0f, 1.0f);
    }
    td_vec_finish(&centroid);
    td_vec_finish(&tv);
    td_vec_normalize(&tv);
    got = select_units(units, nunits, &centroid, &tv, n, out);
    free_units(units, nunits);
    td_vec_release(&centroid);
    td_vec_release(&tv);
    return got;
}
