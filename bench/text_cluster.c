/*
 * text_cluster.c - story clustering quality on the shared benchmark sets.
 *
 *   text_cluster SHARED_DIR
 *
 * Runs the story index (online, one pass, number of stories not given,
 * default constants) over
 *  - GoogleNews-TS (Yin & Wang): title+snippet per line; prints NMI,
 *    B-cubed P/R/F1 and the number of stories against the 38 labels;
 *  - WikiRef220: raw articles (first line headline), Windows-1252 files
 *    converted with iconv; B-cubed over the articles of the 5 events
 *    (noise articles are clustered too but not scored), and how many noise
 *    articles were put in a story holding event articles.
 */
#include "base/compat.h"
#include "text/story.h"
#include "text_corpus.h"

#include <math.h>

/* NMI (arithmetic-mean normalisation) and B-cubed over n items. */
static void scores(const uint32_t *pred, const uint32_t *gold, size_t n, double *nmi, double *bp,
                   double *br)
{
    double h_p = 0, h_g = 0, mi = 0;
    *bp = *br = 0;
    for (size_t i = 0; i < n; i++) {
        size_t same_p = 0, same_g = 0, both = 0;
        for (size_t j = 0; j < n; j++) {
            bool p = pred[j] == pred[i], g = gold[j] == gold[i];
            same_p += p;
            same_g += g;
            both += p && g;
        }
        *bp += (double)both / (double)same_p;
        *br += (double)both / (double)same_g;
        /* Entropy and mutual information, item by item: -log of each item's
         * cluster share, averaged, equals the entropy. */
        h_p -= log((double)same_p / (double)n);
        h_g -= log((double)same_g / (double)n);
        mi += log((double)both * (double)n / ((double)same_p * (double)same_g));
    }
    *bp /= (double)n;
    *br /= (double)n;
    h_p /= (double)n;
    h_g /= (double)n;
    mi /= (double)n;
    *nmi = h_p + h_g > 0 ? 2 * mi / (h_p + h_g) : 1;
}

static size_t distinct(const uint32_t *v, size_t n)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && v[j] != v[i])
            j++;
        d += j == i;
    }
    return d;
}

/* Cluster one set of the corpus; `pred` gets each document's story. */
static void run(const struct corpus *c, const char *set, uint32_t *pred, uint32_t *gold,
                bool *noise, size_t *n)
{
    struct td_story_index *idx = td_story_index_new(NULL);
    char labels[256][64];
    size_t nlabels = 0;

    *n = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct corpus_doc *d = &c->d[i];
        if (strcmp(d->set, set))
            continue;
        struct td_story_article a = {
            .ref = i, .title = d->title, .text = d->text, .text_len = d->len};
        struct td_story_placed p;
        if (td_story_index_add(idx, &a, &p) < 0)
            continue;
        size_t l = 0;
        while (l < nlabels && strcmp(labels[l], d->label))
            l++;
        if (l == nlabels && nlabels < 256)
            snprintf(labels[nlabels++], sizeof(labels[0]), "%s", d->label);
        pred[*n] = p.story;
        gold[*n] = (uint32_t)l;
        noise[*n] = d->noise;
        (*n)++;
    }
    td_story_index_free(idx);
}

static void googlenews(const struct corpus *c)
{
    uint32_t *pred = td_xmalloc(c->n * sizeof(*pred)), *gold = td_xmalloc(c->n * sizeof(*gold));
    bool *noise = td_xmalloc(c->n * sizeof(*noise));
    size_t n;
    double nmi, bp, br;

    run(c, "googlenews", pred, gold, noise, &n);
    if (n) {
        scores(pred, gold, n, &nmi, &bp, &br);
        printf("googlenews-TS: docs=%zu labels=%zu stories=%zu NMI=%.4f B3-P=%.4f B3-R=%.4f "
               "B3-F1=%.4f\n",
               n, distinct(gold, n), distinct(pred, n), nmi, bp, br, 2 * bp * br / (bp + br));
    }
    free(pred);
    free(gold);
    free(noise);
}

static void wikiref(const struct corpus *c)
{
    uint32_t *pred = td_xmalloc(c->n * sizeof(*pred)), *gold = td_xmalloc(c->n * sizeof(*gold));
    uint32_t *epred = td_xmalloc(c->n * sizeof(*pred)), *egold = td_xmalloc(c->n * sizeof(*gold));
    bool *noise = td_xmalloc(c->n * sizeof(*noise));
    size_t n, nev = 0, noise_in_event = 0, nnoise = 0;
    double nmi, bp, br;

    run(c, "wikiref", pred, gold, noise, &n);
    for (size_t i = 0; i < n; i++) {
        if (!noise[i]) {
            epred[nev] = pred[i];
            egold[nev++] = gold[i];
            continue;
        }
        nnoise++;
        for (size_t j = 0; j < n; j++)
            if (!noise[j] && pred[j] == pred[i]) {
                noise_in_event++;
                break;
            }
    }
    if (nev) {
        scores(epred, egold, nev, &nmi, &bp, &br);
        printf("wikiref220: docs=%zu event-docs=%zu stories(all)=%zu stories(event docs)=%zu "
               "B3-P=%.4f B3-R=%.4f B3-F1=%.4f NMI(events)=%.4f noise-in-event-story=%zu/%zu\n",
               n, nev, distinct(pred, n), distinct(epred, nev), bp, br, 2 * bp * br / (bp + br),
               nmi, noise_in_event, nnoise);
    }
    free(pred);
    free(gold);
    free(epred);
    free(egold);
    free(noise);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: text_cluster SHARED_DIR\n");
        return 2;
    }
    struct corpus c;
    if (!corpus_load(&c, argv[1], false, true, true))
        printf("no clustering sets under %s/bench, nothing measured\n", argv[1]);
    googlenews(&c);
    wikiref(&c);
    corpus_release(&c);
    return 0;
}
