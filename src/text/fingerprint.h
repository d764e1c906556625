/*
 * fingerprint.h - SimHash fingerprints for near-duplicate detection.
 *
 * Charikar's SimHash over the text's overlapping word 3-shingles (folded,
 * not stemmed, stop words kept: copies share their exact wording).  Two
 * texts whose 64-bit fingerprints differ in at most TD_SIMHASH_NEAR bits
 * are near-duplicates (Manku, Jain, Das Sarma, "Detecting near-duplicates
 * for web crawling", WWW 2007, used k = 3 on 64 bits).  Texts too short to
 * carry a reliable fingerprint get none, and are never called duplicates.
 */
#ifndef TD_TEXT_FINGERPRINT_H
#define TD_TEXT_FINGERPRINT_H

#include "base/compat.h"

#define TD_SIMHASH_NEAR 3
/* Fewer shingles than this: no fingerprint. */
#define TD_SIMHASH_MIN_SHINGLES 12

/*
 * Fingerprint `len` bytes of UTF-8 at `text` into `*out`.  Returns true if
 * the text was long enough; false leaves `*out` at 0.
 */
bool td_simhash(const char *text, size_t len, uint64_t *out);

/* The number of differing bits. */
int td_simhash_distance(uint64_t a, uint64_t b);

#endif
