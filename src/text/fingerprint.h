/*
 * fingerprint.h - MinHash signatures for near-duplicate detection.
 *
 * A text's set of overlapping word 3-shingles (folded, not stemmed, stop
 * words kept: copies share their exact wording) is summarised by
 * TD_MINHASH_N minimum hash values (Broder, "On the resemblance and
 * containment of documents", 1997).  The share of equal positions in two
 * signatures estimates the Jaccard similarity of the shingle sets; texts
 * at TD_MINHASH_NEAR or above are near-duplicates.  A wire copy with a
 * dateline, a repost with a few words changed or a copy missing its last
 * paragraph stay well above it, while two outlets' own reports of one
 * event share only a few shingles.
 *
 * For search, the signature is cut into TD_MINHASH_BANDS bands of
 * TD_MINHASH_ROWS values (locality-sensitive hashing): two texts with
 * Jaccard 0.6 share at least one band with probability 0.88, at 0.8 with
 * 0.999.  Texts too short to carry a reliable signature get none, and are
 * never called duplicates.
 */
#ifndef TD_TEXT_FINGERPRINT_H
#define TD_TEXT_FINGERPRINT_H

#include "base/compat.h"

#define TD_MINHASH_N 64
#define TD_MINHASH_BANDS 16
#define TD_MINHASH_ROWS 4
/* Estimated Jaccard similarity from which two texts are near-duplicates. */
#define TD_MINHASH_NEAR 0.5
/* Fewer shingles than this: no signature. */
#define TD_MINHASH_MIN_SHINGLES 12

struct td_minhash {
    uint32_t v[TD_MINHASH_N];
};

/*
 * Compute the signature of `len` bytes of UTF-8 at `text`.  Returns true
 * if the text was long enough; false leaves `sig` unspecified.
 */
bool td_minhash(const char *text, size_t len, struct td_minhash *sig);

/* Estimated Jaccard similarity: the share of equal positions, 0 to 1. */
double td_minhash_similarity(const struct td_minhash *a, const struct td_minhash *b);

/* The 64-bit key of band `band` (0 .. TD_MINHASH_BANDS-1); never 0. */
uint64_t td_minhash_band(const struct td_minhash *sig, int band);

#endif
