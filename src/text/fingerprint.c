/*
 * fingerprint.c - MinHash over word 3-shingles.
 *
 * Each shingle is hashed once to 64 bits; the TD_MINHASH_N hash functions
 * are multiply-shift permutations of that value, h_i = (a_i * h + b_i) >> 32
 * with fixed odd multipliers (Dietzfelbinger et al., "A reliable randomized
 * algorithm for the closest-pair problem", 1997), which is cheap enough to
 * run for every shingle of every article.
 */
#include "text/fingerprint.h"

#include "text/tokenize.h"

#define SHINGLE 3

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

bool td_minhash(const char *text, size_t len, struct td_minhash *sig)
{
    struct td_tokenizer t;
    struct td_token tok;
    uint64_t window[SHINGLE] = {0}, a[TD_MINHASH_N], b[TD_MINHASH_N], seed = 20240611;
    size_t words = 0, shingles = 0;

    for (int i = 0; i < TD_MINHASH_N; i++) {
        a[i] = splitmix(&seed) | 1;
        b[i] = splitmix(&seed);
        sig->v[i] = UINT32_MAX;
    }
    td_tokenizer_init(&t, text, len);
    while (td_tokenizer_next(&t, &tok)) {
        window[words % SHINGLE] = td_text_hash64(tok.word, tok.word_len, 0);
        words++;
        if (words < SHINGLE)
            continue;
        /* Combine the last three word hashes, in order, into the shingle's hash. */
        uint64_t h = 0;
        for (size_t k = 0; k < SHINGLE; k++)
            h = (h ^ window[(words - SHINGLE + k) % SHINGLE]) * 0x100000001b3ULL + k;
        h = td_text_hash64((const char *)&h, sizeof(h), 1);
        for (int i = 0; i < TD_MINHASH_N; i++) {
            uint32_t v = (uint32_t)((a[i] * h + b[i]) >> 32);
            if (v < sig->v[i])
                sig->v[i] = v;
        }
        shingles++;
    }
    return shingles >= TD_MINHASH_MIN_SHINGLES;
}

double td_minhash_similarity(const struct td_minhash *a, const struct td_minhash *b)
{
    int same = 0;
    for (int i = 0; i < TD_MINHASH_N; i++)
        same += a->v[i] == b->v[i];
    return (double)same / TD_MINHASH_N;
}

uint64_t td_minhash_band(const struct td_minhash *sig, int band)
{
    uint64_t h = td_text_hash64((const char *)&sig->v[band * TD_MINHASH_ROWS],
                                TD_MINHASH_ROWS * sizeof(uint32_t), (uint64_t)band);
    return h ? h : 1;
}
