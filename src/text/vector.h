/*
 * vector.h - sparse term vectors and document frequencies (TF-IDF).
 *
 * A term is a 32-bit id of a stemmed word (td_text_term_id); a vector is a
 * list of (term, weight) sorted by term once finished.  td_vec_add_text is
 * the one place where text becomes terms: tokenize, drop stop words and
 * one-character words, stem, and weigh named-entity-like tokens (a capital
 * not at a sentence start, or an acronym) more.  td_df counts in how many
 * documents each term occurs, which gives the inverse document frequency.
 */
#ifndef TD_TEXT_VECTOR_H
#define TD_TEXT_VECTOR_H

#include "base/compat.h"
#include "text/map.h"
#include "text/tokenize.h"

struct td_term {
    uint32_t id;
    float w;
};

struct td_vec {
    struct td_term *t;
    uint32_t n, alloc;
};

#define TD_VEC_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void td_vec_release(struct td_vec *v);
/* Append a term (unsorted until td_vec_finish). */
void td_vec_push(struct td_vec *v, uint32_t id, float w);
/* Sort by term and merge repeated terms by adding their weights. */
void td_vec_finish(struct td_vec *v);
/* Dot product of two finished vectors. */
double td_vec_dot(const struct td_vec *a, const struct td_vec *b);
double td_vec_norm(const struct td_vec *v);
/* Scale to unit length (no-op on the zero vector). */
void td_vec_normalize(struct td_vec *v);
/* Keep the `k` heaviest terms of a finished vector; it stays sorted by term. */
void td_vec_keep_top(struct td_vec *v, size_t k);
/* The weight of `id` in a finished vector, 0 if absent. */
float td_vec_get(const struct td_vec *v, uint32_t id);
/* Deep copy. */
void td_vec_copy(struct td_vec *dst, const struct td_vec *src);

/*
 * Add the terms of `len` bytes of text, each occurrence with weight
 * `weight`, and `weight * entity_boost` for entity-like tokens.  Returns
 * the number of terms added.  Call td_vec_finish afterwards.
 */
size_t td_vec_add_text(struct td_vec *v, struct td_analyzer *a, const char *lang, const char *text,
                       size_t len, float weight, float entity_boost);

/* Document frequencies: term -> number of documents holding it. */
struct td_df {
    struct td_map counts;
    uint64_t docs; /* documents added */
};

#define TD_DF_INIT                                                                                 \
    {                                                                                              \
        TD_MAP_INIT, 0                                                                             \
    }

void td_df_release(struct td_df *df);
/* Count one document: +1 for every term of the finished vector `doc`. */
void td_df_add(struct td_df *df, const struct td_vec *doc);
uint32_t td_df_count(const struct td_df *df, uint32_t id);
/* Smoothed inverse document frequency: 1 + ln((docs + 1) / (count + 1)). */
double td_df_idf(const struct td_df *df, uint32_t id);

#endif
