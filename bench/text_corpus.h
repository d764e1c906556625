/*
 * text_corpus.h - the shared benchmark texts loaded for the text
 * benchmarks: BBC News Summary articles, WikiRef220 articles (converted
 * from Windows-1252 where needed) and GoogleNews-TS snippets.
 */
#ifndef TD_BENCH_TEXT_CORPUS_H
#define TD_BENCH_TEXT_CORPUS_H

#include "base/compat.h"

struct corpus_doc {
    char *title; /* "" for GoogleNews */
    char *text;
    size_t len;
    const char *set; /* "bbc", "wikiref", "googlenews" */
    char label[64];  /* category, topic or cluster */
    bool noise;      /* WikiRef noise topic */
};

struct corpus {
    struct corpus_doc *d;
    size_t n, alloc;
};

/* Load whatever of the sets exists under SHARED/bench; returns the count. */
size_t corpus_load(struct corpus *c, const char *shared, bool bbc, bool wikiref, bool googlenews);
void corpus_release(struct corpus *c);
/* A file as UTF-8 (Windows-1252 converted when not valid UTF-8), or NULL. */
char *corpus_read_file(const char *path, size_t *len);

#endif
