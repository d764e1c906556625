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

#include <dirent.h>
#include <iconv.h>
#include <jansson.h>
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

static int googlenews(const char *shared)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/bench/clustering/googlenews-yin-wang/GoogleNews-TS.jsonl",
             shared);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("googlenews: %s missing, skipped\n", path);
        return 0;
    }
    struct td_story_index *idx = td_story_index_new(NULL);
    uint32_t *pred = NULL, *gold = NULL;
    size_t n = 0, alloc = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        if (!o)
            continue;
        const char *text = json_string_value(json_object_get(o, "text"));
        struct td_story_article a = {.ref = n, .text = text, .text_len = text ? strlen(text) : 0};
        struct td_story_placed p;
        if (n == alloc) {
            alloc = alloc ? alloc * 2 : 4096;
            pred = td_xrealloc(pred, alloc * sizeof(*pred));
            gold = td_xrealloc(gold, alloc * sizeof(*gold));
        }
        if (td_story_index_add(idx, &a, &p) == 0) {
            pred[n] = p.story;
            gold[n] = (uint32_t)json_integer_value(json_object_get(o, "cluster"));
            n++;
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    double nmi, bp, br;
    scores(pred, gold, n, &nmi, &bp, &br);
    printf("googlenews-TS: docs=%zu labels=%zu stories=%zu NMI=%.4f B3-P=%.4f B3-R=%.4f "
           "B3-F1=%.4f\n",
           n, distinct(gold, n), distinct(pred, n), nmi, bp, br, 2 * bp * br / (bp + br));
    free(pred);
    free(gold);
    td_story_index_free(idx);
    return 0;
}

/* Read a file; convert Windows-1252 to UTF-8 when it is not valid UTF-8. */
static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = td_xmalloc(1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[n] = '\0';
    iconv_t cd = iconv_open("UTF-8", "UTF-8");
    char *in = buf, *outbuf = td_xmalloc(4 * n + 1), *out = outbuf;
    size_t inl = n, outl = 4 * n;
    if (iconv(cd, &in, &inl, &out, &outl) == (size_t)-1) {
        iconv_close(cd);
        cd = iconv_open("UTF-8", "WINDOWS-1252");
        in = buf;
        inl = n;
        out = outbuf;
        outl = 4 * n;
        iconv(cd, &in, &inl, &out, &outl);
    }
    iconv_close(cd);
    *out = '\0';
    *len = (size_t)(out - outbuf);
    free(buf);
    return outbuf;
}

static int wikiref(const char *shared)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/bench/clustering/wikiref220/labels.tsv", shared);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("wikiref220: %s missing, skipped\n", path);
        return 0;
    }
    struct td_story_index *idx = td_story_index_new(NULL);
    char line[1024];
    char topics[64][64];
    size_t ntopics = 0, n = 0, nev = 0, noise_in_event = 0, noise = 0;
    uint32_t pred[512], gold[512], epred[512], egold[512];
    bool is_noise[512];
    bool first = true;
    while (fgets(line, sizeof(line), f) && n < 512) {
        if (first) {
            first = false;
            continue;
        }
        char *file = line, *topic = strchr(line, '\t'), *nz;
        if (!topic)
            continue;
        *topic++ = '\0';
        nz = strchr(topic, '\t');
        if (!nz)
            continue;
        *nz++ = '\0';
        size_t t = 0;
        while (t < ntopics && strcmp(topics[t], topic))
            t++;
        if (t == ntopics && ntopics < 64)
            snprintf(topics[ntopics++], sizeof(topics[0]), "%s", topic);
        char apath[4096];
        snprintf(apath, sizeof(apath), "%s/bench/clustering/wikiref220/articles/%s", shared, file);
        size_t len;
        char *text = read_text(apath, &len);
        if (!text)
            continue;
        char *nl = strchr(text, '\n');
        char *title = text, *body = nl ? nl + 1 : text + len;
        if (nl)
            *nl = '\0';
        struct td_story_article a = {
            .ref = n, .title = title, .text = body, .text_len = len - (size_t)(body - text)};
        struct td_story_placed p;
        if (td_story_index_add(idx, &a, &p) == 0) {
            pred[n] = p.story;
            gold[n] = (uint32_t)t;
            is_noise[n] = nz[0] == '1';
            n++;
        }
        free(text);
    }
    fclose(f);
    for (size_t i = 0; i < n; i++) {
        if (!is_noise[i]) {
            epred[nev] = pred[i];
            egold[nev++] = gold[i];
            continue;
        }
        noise++;
        for (size_t j = 0; j < n; j++)
            if (!is_noise[j] && pred[j] == pred[i]) {
                noise_in_event++;
                break;
            }
    }
    double nmi, bp, br;
    scores(epred, egold, nev, &nmi, &bp, &br);
    printf("wikiref220: docs=%zu event-docs=%zu stories(all)=%zu stories(event docs)=%zu "
           "B3-P=%.4f B3-R=%.4f B3-F1=%.4f NMI(events)=%.4f noise-in-event-story=%zu/%zu\n",
           n, nev, distinct(pred, n), distinct(epred, nev), bp, br, 2 * bp * br / (bp + br), nmi,
           noise_in_event, noise);
    td_story_index_free(idx);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: text_cluster SHARED_DIR\n");
        return 2;
    }
    googlenews(argv[1]);
    wikiref(argv[1]);
    return 0;
}
