/*
 * vector.c - sparse vectors, the text-to-terms step and the df table.
 */
#include "text/vector.h"

#include <math.h>

void td_vec_release(struct td_vec *v)
{
    free(v->t);
    v->t = NULL;
    v->n = v->alloc = 0;
}

void td_vec_push(struct td_vec *v, uint32_t id, float w)
{
    if (v->n == v->alloc) {
        v->alloc = v->alloc ? v->alloc * 2 : 16;
        v->t = td_xrealloc(v->t, v->alloc * sizeof(*v->t));
    }
    v->t[v->n].id = id;
    v->t[v->n].w = w;
    v->n++;
}

static int cmp_id(const void *a, const void *b)
{
    uint32_t x = ((const struct td_term *)a)->id, y = ((const struct td_term *)b)->id;
    return x < y ? -1 : x > y;
}

static int cmp_weight_desc(const void *a, const void *b)
{
    float x = ((const struct td_term *)a)->w, y = ((const struct td_term *)b)->w;
    if (x != y)
        return x > y ? -1 : 1;
    return cmp_id(a, b);
}

void td_vec_finish(struct td_vec *v)
{
    uint32_t out = 0;

    if (v->n == 0)
        return;
    qsort(v->t, v->n, sizeof(*v->t), cmp_id);
    for (uint32_t i = 1; i < v->n; i++) {
        if (v->t[i].id == v->t[out].id)
            v->t[out].w += v->t[i].w;
        else
            v->t[++out] = v->t[i];
    }
    v->n = out + 1;
}

double td_vec_dot(const struct td_vec *a, const struct td_vec *b)
{
    double s = 0;
    uint32_t i = 0, j = 0;

    while (i < a->n && j < b->n) {
        if (a->t[i].id < b->t[j].id)
            i++;
        else if (a->t[i].id > b->t[j].id)
            j++;
        else
            s += (double)a->t[i++].w * b->t[j++].w;
    }
    return s;
}

double td_vec_norm(const struct td_vec *v)
{
    double s = 0;
    for (uint32_t i = 0; i < v->n; i++)
        s += (double)v->t[i].w * v->t[i].w;
    return sqrt(s);
}

void td_vec_normalize(struct td_vec *v)
{
    double n = td_vec_norm(v);
    if (n <= 0)
        return;
    for (uint32_t i = 0; i < v->n; i++)
        v->t[i].w = (float)(v->t[i].w / n);
}

void td_vec_keep_top(struct td_vec *v, size_t k)
{
    if (v->n <= k)
        return;
    qsort(v->t, v->n, sizeof(*v->t), cmp_weight_desc);
    v->n = (uint32_t)k;
    qsort(v->t, v->n, sizeof(*v->t), cmp_id);
}

float td_vec_get(const struct td_vec *v, uint32_t id)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->t[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->n && v->t[lo].id == id ? v->t[lo].w : 0.0f;
}

void td_vec_copy(struct td_vec *dst, const struct td_vec *src)
{
    td_vec_release(dst);
    if (!src->n)
        return;
    dst->t = td_xmalloc(src->n * sizeof(*src->t));
    memcpy(dst->t, src->t, src->n * sizeof(*src->t));
    dst->n = dst->alloc = src->n;
}

size_t td_vec_add_text(struct td_vec *v, struct td_analyzer *a, const char *lang, const char *text,
                       size_t len, float weight, float entity_boost)
{
    struct td_tokenizer t;
    struct td_token tok;
    size_t added = 0;

    td_tokenizer_init(&t, text, len);
    while (td_tokenizer_next(&t, &tok)) {
        const char *stem = tok.word;
        size_t sl = tok.word_len;
        float w = weight;

        if (tok.flags & TD_TOKEN_CJK) {
            td_vec_push(v, td_text_term_id(stem, sl), w);
            added++;
            continue;
        }
        if (tok.word_len < 2 || td_text_is_stopword(lang, tok.word, tok.word_len))
            continue;
        if (!(tok.flags & TD_TOKEN_NUMBER))
            stem = td_analyzer_stem(a, lang, tok.word, tok.word_len, &sl);
        if ((tok.flags & TD_TOKEN_UPPER) ||
            ((tok.flags & TD_TOKEN_CAP) && !(tok.flags & TD_TOKEN_SENTENCE)))
            w *= entity_boost;
        td_vec_push(v, td_text_term_id(stem, sl), w);
        added++;
    }
    return added;
}

/* Term id 0 is stored as 1 (the map reserves key 0): a harmless merge of
 * two of four billion ids. */
void td_df_release(struct td_df *df)
{
    td_map_release(&df->counts);
    df->docs = 0;
}

void td_df_add(struct td_df *df, const struct td_vec *doc)
{
    for (uint32_t i = 0; i < doc->n; i++)
        (*td_map_put(&df->counts, doc->t[i].id ? doc->t[i].id : 1, NULL))++;
    df->docs++;
}

uint32_t td_df_count(const struct td_df *df, uint32_t id)
{
    const uint32_t *c = td_map_get(&df->counts, id ? id : 1);

    return c ? *c : 0;
}

double td_df_idf(const struct td_df *df, uint32_t id)
{
    return 1.0 + log((double)(df->docs + 1) / (double)(td_df_count(df, id) + 1));
}
