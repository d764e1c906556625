/*
 * fingerprint.c - SimHash over word 3-shingles.
 *
 * Each shingle is hashed to 64 bits; every bit position votes +1 or -1
 * with the shingle's bit, and the fingerprint takes the sign of each sum.
 * Similar shingle sets therefore give fingerprints that differ in few bits.
 */
#include "text/fingerprint.h"

#include "text/tokenize.h"

#define SHINGLE 3

bool td_simhash(const char *text, size_t len, uint64_t *out)
{
    struct td_tokenizer t;
    struct td_token tok;
    uint64_t window[SHINGLE] = {0};
    int32_t votes[64] = {0};
    size_t words = 0, shingles = 0;

    *out = 0;
    td_tokenizer_init(&t, text, len);
    while (td_tokenizer_next(&t, &tok)) {
        window[words % SHINGLE] = td_text_hash64(tok.word, tok.word_len, 0);
        words++;
        if (words < SHINGLE)
            continue;
        /* Combine the last three word hashes in order into one shingle hash. */
        uint64_t h = 0;
        for (size_t k = 0; k < SHINGLE; k++) {
            h ^= window[(words - SHINGLE + k) % SHINGLE] + 0x9e3779b97f4a7c15ULL + (h << 6) +
                 (h >> 2);
        }
        h = td_text_hash64((const char *)&h, sizeof(h), 1);
        for (int b = 0; b < 64; b++)
            votes[b] += (h >> b) & 1 ? 1 : -1;
        shingles++;
    }
    if (shingles < TD_SIMHASH_MIN_SHINGLES)
        return false;
    for (int b = 0; b < 64; b++)
        if (votes[b] > 0)
            *out |= 1ULL << b;
    return true;
}

int td_simhash_distance(uint64_t a, uint64_t b)
{
    return __builtin_popcountll(a ^ b);
}
