/*
 * sentence.h - sentence boundaries in plain text.
 *
 * A rule-based splitter for news prose in many languages.  A sentence ends
 * at '.', '!', '?', '…', a line break, or the CJK and full-width stops
 * (。！？), with closing quotes and brackets kept on the sentence they
 * close.  A '.' is not an end when a digit or letter follows it directly
 * ("3.5", "e.g.", "example.com"), after a title ("Mr.", "Dr.", "Prof."),
 * an initial ("J. Smith") or an initialism ("U.S."), or when the next word
 * starts in lower case ("Apple Inc. said", "wait... and").  Spanish opening
 * marks (¿ ¡) simply begin the next sentence.
 */
#ifndef TD_TEXT_SENTENCE_H
#define TD_TEXT_SENTENCE_H

#include "base/compat.h"

/* A byte range of a text. */
struct td_span {
    size_t off, len;
};

/*
 * Split `len` bytes at `text` into at most `max` sentences, trimmed of
 * surrounding white space; fragments without a letter or digit are
 * dropped.  Returns the number written to `out`; text past the `max`-th
 * sentence is ignored.
 */
size_t td_sentences_split(const char *text, size_t len, struct td_span *out, size_t max);

#endif
