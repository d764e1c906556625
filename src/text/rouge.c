/*
 * rouge.c - ROUGE-N by sorted n-gram hashes, ROUGE-L by union LCS.
 */
#include "text/rouge.h"

#include "text/tokenize.h"

struct toks {
    uint64_t *h;
    size_t n;
};

static struct toks tokens(struct td_str s)
{
    struct td_tokenizer t;
    struct td_token tok;
    struct toks r = {td_xmalloc(TD_ROUGE_MAX_TOKENS * sizeof(uint64_t)), 0};

    td_tokenizer_init(&t, s.ptr, s.len);
    while (r.n < TD_ROUGE_MAX_TOKENS && td_tokenizer_next(&t, &tok))
        r.h[r.n++] = td_text_hash64(tok.word, tok.word_len, 0);
    return r;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* All n-gram hashes of the sentences, sorted. */
static uint64_t *ngrams(const struct td_str *s, size_t ns, int n, size_t *count)
{
    uint64_t *out = NULL;
    size_t len = 0, alloc = 0;

    for (size_t i = 0; i < ns; i++) {
        struct toks t = tokens(s[i]);
        for (size_t j = 0; j + (size_t)n <= t.n; j++) {
            uint64_t h = 0;
            for (int k = 0; k < n; k++)
                h = (h ^ t.h[j + (size_t)k]) * 0x100000001b3ULL + (uint64_t)k;
            if (len == alloc) {
                alloc = alloc ? alloc * 2 : 256;
                out = td_xrealloc(out, alloc * sizeof(*out));
            }
            out[len++] = h;
        }
        free(t.h);
    }
    if (len)
        qsort(out, len, sizeof(*out), cmp_u64);
    *count = len;
    return out;
}

static struct td_rouge prf(double hits, double ncand, double nref)
{
    struct td_rouge r = {0, 0, 0};
    if (ncand > 0)
        r.p = hits / ncand;
    if (nref > 0)
        r.r = hits / nref;
    if (r.p + r.r > 0)
        r.f = 2 * r.p * r.r / (r.p + r.r);
    return r;
}

struct td_rouge td_rouge_n(const struct td_str *cand, size_t ncand, const struct td_str *ref,
                           size_t nref, int n)
{
    size_t nc, nr, i = 0, j = 0, hits = 0;
    uint64_t *c = ngrams(cand, ncand, n, &nc), *r = ngrams(ref, nref, n, &nr);

    /* Merging sorted multisets counts min(count_c, count_r) per n-gram: clipping. */
    while (i < nc && j < nr) {
        if (c[i] < r[j]) {
            i++;
        } else if (c[i] > r[j]) {
            j++;
        } else {
            hits++;
            i++;
            j++;
        }
    }
    free(c);
    free(r);
    return prf((double)hits, (double)nc, (double)nr);
}

/* Mark in `hit` the tokens of `r` on one longest common subsequence with `c`. */
static void lcs_mark(const struct toks *r, const struct toks *c, bool *hit)
{
    size_t m = r->n, n = c->n;
    uint16_t *dp = td_xcalloc((m + 1) * (n + 1), sizeof(*dp));

    for (size_t i = 1; i <= m; i++)
        for (size_t j = 1; j <= n; j++) {
            uint16_t *d = &dp[i * (n + 1) + j];
            if (r->h[i - 1] == c->h[j - 1])
                *d = dp[(i - 1) * (n + 1) + j - 1] + 1;
            else
                *d = TD_MAX(dp[(i - 1) * (n + 1) + j], dp[i * (n + 1) + j - 1]);
        }
    for (size_t i = m, j = n; i > 0 && j > 0;) {
        if (r->h[i - 1] == c->h[j - 1]) {
            hit[i - 1] = true;
            i--;
            j--;
        } else if (dp[(i - 1) * (n + 1) + j] >= dp[i * (n + 1) + j - 1]) {
            i--;
        } else {
            j--;
        }
    }
    free(dp);
}

/* A multiset of token hashes: sorted unique values with counts. */
struct bag {
    uint64_t *v;
    size_t *count;
    size_t n;
};

static void bag_build(struct bag *b, const struct toks *t, size_t nt)
{
    size_t total = 0, k = 0;
    for (size_t i = 0; i < nt; i++)
        total += t[i].n;
    uint64_t *all = td_xmalloc((total ? total : 1) * sizeof(*all));
    for (size_t i = 0; i < nt; i++)
        for (size_t j = 0; j < t[i].n; j++)
            all[k++] = t[i].h[j];
    qsort(all, total, sizeof(*all), cmp_u64);
    b->v = all;
    b->count = td_xmalloc((total ? total : 1) * sizeof(*b->count));
    b->n = 0;
    for (size_t i = 0; i < total; i++) {
        if (b->n && b->v[b->n - 1] == all[i]) {
            b->count[b->n - 1]++;
        } else {
            b->v[b->n] = all[i];
            b->count[b->n++] = 1;
        }
    }
}

static size_t *bag_slot(struct bag *b, uint64_t h)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (b->v[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->n && b->v[lo] == h ? &b->count[lo] : NULL;
}

static void bag_release(struct bag *b)
{
    free(b->v);
    free(b->count);
}

struct td_rouge td_rouge_l(const struct td_str *cand, size_t ncand, const struct td_str *ref,
                           size_t nref)
{
    struct toks *ct = td_xmalloc((ncand ? ncand : 1) * sizeof(*ct));
    struct toks *rt = td_xmalloc((nref ? nref : 1) * sizeof(*rt));
    size_t total_c = 0, total_r = 0, hits = 0;
    struct bag cb, rb;

    for (size_t j = 0; j < ncand; j++) {
        ct[j] = tokens(cand[j]);
        total_c += ct[j].n;
    }
    for (size_t i = 0; i < nref; i++) {
        rt[i] = tokens(ref[i]);
        total_r += rt[i].n;
    }
    /* As ROUGE-1.5.5 does, a union-LCS hit is counted only while the token
     * has unused occurrences left in both summaries, so a common word in
     * one candidate sentence cannot match every reference sentence. */
    bag_build(&cb, ct, ncand);
    bag_build(&rb, rt, nref);
    for (size_t i = 0; i < nref; i++) {
        bool *hit = td_xcalloc(rt[i].n ? rt[i].n : 1, sizeof(*hit));
        for (size_t j = 0; j < ncand; j++)
            lcs_mark(&rt[i], &ct[j], hit);
        for (size_t k = 0; k < rt[i].n; k++) {
            if (!hit[k])
                continue;
            size_t *c = bag_slot(&cb, rt[i].h[k]), *r = bag_slot(&rb, rt[i].h[k]);
            if (c && r && *c > 0 && *r > 0) {
                (*c)--;
                (*r)--;
                hits++;
            }
        }
        free(hit);
    }
    for (size_t j = 0; j < ncand; j++)
        free(ct[j].h);
    for (size_t i = 0; i < nref; i++)
        free(rt[i].h);
    free(ct);
    free(rt);
    bag_release(&cb);
    bag_release(&rb);
    return prf((double)hits, (double)total_c, (double)total_r);
}
