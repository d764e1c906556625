/*
 * text_summary.c - key-point quality on the BBC News Summary subset.
 *
 *   text_summary SHARED_DIR
 *
 * For every article of summaries/bbc-news-summary (line 1 headline, then
 * the body) compares, with the project's ROUGE (src/text/rouge.c), the
 * reference extractive summary against
 *  - at 3 sentences: Lead-3 and the key points with n = 3;
 *  - at the reference length: the first k sentences and the key points
 *    with the smallest n whose words reach the reference's word count.
 * The reference files run sentences together without a space
 * ("...$10.9bn.For the..."); a space is put back after a sentence end
 * followed directly by a capital or a quote before splitting them.
 */
#include "base/compat.h"
#include "text/rouge.h"
#include "text/sentence.h"
#include "text/summary.h"

#include <jansson.h>

#define MAXS 1000

struct acc {
    double r1, r2, rl;
    double words;
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = td_xmalloc(1 << 20);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static size_t words(const char *s, size_t len)
{
    size_t n = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        bool sp = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
        n += !sp && !in;
        in = !sp;
    }
    return n;
}

static void score(struct acc *a, const struct td_str *cand, size_t nc, const struct td_str *ref,
                  size_t nr)
{
    a->r1 += td_rouge_n(cand, nc, ref, nr, 1).f;
    a->r2 += td_rouge_n(cand, nc, ref, nr, 2).f;
    a->rl += td_rouge_l(cand, nc, ref, nr).f;
    for (size_t i = 0; i < nc; i++)
        a->words += (double)words(cand[i].ptr, cand[i].len);
}

static void report(const char *name, const struct acc *a, size_t n)
{
    printf("  %-28s ROUGE-1=%.4f ROUGE-2=%.4f ROUGE-L=%.4f words=%.1f\n", name, a->r1 / n,
           a->r2 / n, a->rl / n, a->words / n);
}

int main(int argc, char **argv)
{
    char path[4096];
    if (argc != 2) {
        fprintf(stderr, "usage: text_summary SHARED_DIR\n");
        return 2;
    }
    const char *dir = "bench/summaries/bbc-news-summary";
    snprintf(path, sizeof(path), "%s/%s/manifest.jsonl", argv[1], dir);
    FILE *mf = fopen(path, "r");
    if (!mf) {
        printf("bbc-news-summary: %s missing, skipped\n", path);
        return 0;
    }
    struct td_analyzer *an = td_analyzer_new();
    struct acc lead3 = {0}, kp3 = {0}, leadk = {0}, kpk = {0};
    size_t docs = 0;
    char line[4096];
    struct td_span *as = td_xmalloc(MAXS * sizeof(*as)), *rs = td_xmalloc(MAXS * sizeof(*rs));
    struct td_str *cand = td_xmalloc(MAXS * sizeof(*cand)), *ref = td_xmalloc(MAXS * sizeof(*ref));
    while (fgets(line, sizeof(line), mf)) {
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        if (!o)
            continue;
        char ap[4096], sp[4096];
        size_t alen, slen;
        snprintf(ap, sizeof(ap), "%s/%s/%s", argv[1], dir,
                 json_string_value(json_object_get(o, "article")));
        snprintf(sp, sizeof(sp), "%s/%s/%s", argv[1], dir,
                 json_string_value(json_object_get(o, "summary")));
        json_decref(o);
        char *art = slurp(ap, &alen), *sum = slurp(sp, &slen);
        if (!art || !sum) {
            free(art);
            free(sum);
            continue;
        }
        /* Put back the space between run-together reference sentences. */
        char *fixed = td_xmalloc(2 * slen + 1);
        size_t fl = 0;
        for (size_t i = 0; i < slen; i++) {
            fixed[fl++] = sum[i];
            bool end = sum[i] == '.' || sum[i] == '!' || sum[i] == '?' ||
                       (sum[i] == '"' && i > 0 && strchr(".!?", sum[i - 1]));
            if (end && i + 1 < slen &&
                ((sum[i + 1] >= 'A' && sum[i + 1] <= 'Z') || (sum[i + 1] == '"' && sum[i] != '"')))
                fixed[fl++] = ' ';
        }
        fixed[fl] = '\0';
        size_t nr = td_sentences_split(fixed, fl, rs, MAXS);
        for (size_t i = 0; i < nr; i++)
            ref[i] = td_str_make(fixed + rs[i].off, rs[i].len);
        size_t refwords = words(fixed, fl);

        char *nl = strchr(art, '\n');
        char *title = art, *body = nl ? nl + 1 : art + alen;
        if (nl)
            *nl = '\0';
        size_t blen = alen - (size_t)(body - art);
        size_t na = td_sentences_split(body, blen, as, MAXS);

        /* Lead-3 and key points at 3. */
        size_t k = TD_MIN(na, (size_t)3);
        for (size_t i = 0; i < k; i++)
            cand[i] = td_str_make(body + as[i].off, as[i].len);
        score(&lead3, cand, k, ref, nr);
        struct td_span kp[TD_KEYPOINTS_MAX];
        size_t nk = td_keypoints_article(an, "en", title, body, blen, 3, kp);
        for (size_t i = 0; i < nk; i++)
            cand[i] = td_str_make(body + kp[i].off, kp[i].len);
        score(&kp3, cand, nk, ref, nr);

        /* Both at the reference length. */
        size_t w = 0, lk = 0;
        while (lk < na && w < refwords) {
            cand[lk] = td_str_make(body + as[lk].off, as[lk].len);
            w += words(cand[lk].ptr, cand[lk].len);
            lk++;
        }
        score(&leadk, cand, lk, ref, nr);
        for (size_t n = 1; n <= TD_KEYPOINTS_MAX; n++) {
            nk = td_keypoints_article(an, "en", title, body, blen, n, kp);
            w = 0;
            for (size_t i = 0; i < nk; i++)
                w += words(body + kp[i].off, kp[i].len);
            if (w >= refwords || nk < n)
                break;
        }
        for (size_t i = 0; i < nk; i++)
            cand[i] = td_str_make(body + kp[i].off, kp[i].len);
        score(&kpk, cand, nk, ref, nr);
        docs++;
        free(fixed);
        free(art);
        free(sum);
    }
    fclose(mf);
    printf("bbc-news-summary: %zu articles (ROUGE F1, means)\n", docs);
    report("Lead-3", &lead3, docs);
    report("keypoints n=3", &kp3, docs);
    report("Lead-k (reference length)", &leadk, docs);
    report("keypoints (reference length)", &kpk, docs);
    free(as);
    free(rs);
    free(cand);
    free(ref);
    td_analyzer_free(an);
    return 0;
}
