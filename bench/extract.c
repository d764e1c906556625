/*
 * bench/extract - extraction quality and speed on the Zyte article
 * extraction benchmark (../shared/bench/extraction/zyte).
 *
 * Runs td_extract over every html/<id>.html.gz and scores `text` against
 * ground-truth.json's articleBody with the benchmark's own metric:
 * tokens are Python's re.findall(r'\w+') (Unicode letters, digits and '_',
 * here via utf8proc categories), each document is a multiset of token
 * 4-gram shingles (fewer than 4 tokens make one shorter shingle), tp/fp/fn
 * are normalised by their sum, precision and recall are means over the
 * documents where they are defined and F1 comes from the two means;
 * accuracy is the share of documents whose token sequence is exact.
 *
 *   extract [--data DIR] [--dump DIR] [--worst N] [--repeat N] [--parse-only]
 *   extract --score-reference FILE   score an upstream prediction file
 *
 * Speed counts td_extract (parse included) only, on one thread; gunzip
 * and file loading are outside the clock.
 */
#include "base/compat.h"
#include "base/error.h"
#include "extract/extract.h"
#include "html/html.h"

#include <jansson.h>
#include <sys/resource.h>
#include <time.h>
#include <utf8proc.h>
#include <zlib.h>

struct toks {
    uint64_t *h; /* token hashes */
    size_t n;
};

static bool is_word(utf8proc_int32_t c)
{
    if (c == '_')
        return true;
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
           (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

static void tokenize(const char *s, struct toks *t)
{
    size_t len = strlen(s), cap = 64;
    t->h = td_xmalloc(cap * sizeof(*t->h));
    t->n = 0;
    uint64_t h = 0;
    bool in = false;
    for (size_t i = 0; i <= len;) {
        utf8proc_int32_t c = -1;
        utf8proc_ssize_t k = 1;
        if (i < len) {
            k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
            if (k < 1) {
                k = 1;
                c = -1;
            }
        }
        bool w = c >= 0 && is_word(c);
        if (w) {
            if (!in)
                h = 1469598103934665603ULL;
            for (utf8proc_ssize_t j = 0; j < k; j++)
                h = (h ^ (unsigned char)s[i + (size_t)j]) * 1099511628211ULL;
            in = true;
        } else if (in) {
            if (t->n == cap) {
                cap *= 2;
                t->h = td_xrealloc(t->h, cap * sizeof(*t->h));
            }
            t->h[t->n++] = h;
            in = false;
        }
        if (i == len)
            break;
        i += (size_t)k;
    }
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorted shingle hashes: 4-grams, or one shingle of all tokens when fewer. */
static uint64_t *shingles(const struct toks *t, size_t *n)
{
    size_t m = t->n >= 4 ? t->n - 3 : 1;
    uint64_t *v = td_xmalloc(m * sizeof(*v));
    for (size_t i = 0; i < m; i++) {
        uint64_t h = 0x12345;
        size_t w = t->n >= 4 ? 4 : t->n;
        for (size_t j = 0; j < w; j++)
            h = mix(h, t->h[i + j]);
        h = mix(h, w);
        v[i] = h;
    }
    qsort(v, m, sizeof(*v), cmp_u64);
    *n = m;
    return v;
}

struct score {
    double tp, fp, fn;
    bool exact;
};

static struct score score_doc(const char *truth, const char *pred)
{
    struct toks a, b;
    struct score r = {0};
    tokenize(truth, &a);
    tokenize(pred, &b);
    size_t na, nb;
    uint64_t *sa = shingles(&a, &na), *sb = shingles(&b, &nb);
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        if (j >= nb || (i < na && sa[i] < sb[j])) {
            r.fn++;
            i++;
        } else if (i >= na || sb[j] < sa[i]) {
            r.fp++;
            j++;
        } else {
            r.tp++;
            i++;
            j++;
        }
    }
    double sum = r.tp + r.fp + r.fn;
    if (sum > 0) {
        r.tp /= sum;
        r.fp /= sum;
        r.fn /= sum;
    }
    r.exact = a.n == b.n && (a.n == 0 || !memcmp(a.h, b.h, a.n * sizeof(*a.h)));
    free(sa);
    free(sb);
    free(a.h);
    free(b.h);
    return r;
}

struct result {
    const char *id;
    struct score s;
    double f1;
};

static int cmp_f1(const void *a, const void *b)
{
    const struct result *x = a, *y = b;
    return x->f1 < y->f1 ? -1 : x->f1 > y->f1;
}

static void report(struct result *r, size_t n, size_t worst)
{
    double p = 0, rc = 0, acc = 0;
    size_t np = 0, nr = 0;
    for (size_t i = 0; i < n; i++) {
        struct score s = r[i].s;
        if (s.tp + s.fp > 0) {
            p += s.tp / (s.tp + s.fp);
            np++;
        }
        if (s.tp + s.fn > 0) {
            rc += s.tp / (s.tp + s.fn);
            nr++;
        }
        acc += s.exact;
        double pp = s.tp + s.fp > 0 ? s.tp / (s.tp + s.fp) : 0;
        double rr = s.tp + s.fn > 0 ? s.tp / (s.tp + s.fn) : 0;
        r[i].f1 = pp + rr > 0 ? 2 * pp * rr / (pp + rr) : 0;
    }
    p = np ? p / (double)np : 0;
    rc = nr ? rc / (double)nr : 0;
    printf("documents  %zu\nprecision  %.3f\nrecall     %.3f\nF1         %.3f\naccuracy   %.3f\n",
           n, p, rc, p + rc > 0 ? 2 * p * rc / (p + rc) : 0, n ? acc / (double)n : 0);
    if (worst) {
        qsort(r, n, sizeof(*r), cmp_f1);
        for (size_t i = 0; i < n && i < worst; i++) {
            struct score s = r[i].s;
            printf("worst %.3f P=%.3f R=%.3f %s\n", r[i].f1,
                   s.tp + s.fp > 0 ? s.tp / (s.tp + s.fp) : 0,
                   s.tp + s.fn > 0 ? s.tp / (s.tp + s.fn) : 0, r[i].id);
        }
    }
}

static char *gunzip_file(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    char *buf = td_xmalloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = td_xrealloc(buf, cap);
        }
        int k = gzread(f, buf + n, (unsigned)(cap - n));
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    gzclose(f);
    *len = n;
    return buf;
}

/*
 * The clock is this thread's CPU time: on a machine shared with other jobs
 * wall time mostly measures the scheduler.  Wall time is printed too.
 */
static double now(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *body_of(json_t *v)
{
    return json_string_value(json_object_get(v, "articleBody"));
}

static int score_reference(json_t *truth, const char *file)
{
    json_error_t jerr;
    json_t *ref = json_load_file(file, 0, &jerr);
    if (!ref) {
        fprintf(stderr, "extract: %s: %s\n", file, jerr.text);
        return 1;
    }
    json_t *out = json_object_get(ref, "output");
    if (!json_is_object(out))
        out = ref;
    size_t n = 0;
    struct result *r = td_xcalloc(json_object_size(truth), sizeof(*r));
    const char *id;
    json_t *t;
    json_object_foreach(truth, id, t)
    {
        const char *pred = body_of(json_object_get(out, id));
        r[n].id = id;
        r[n++].s = score_doc(body_of(t) ? body_of(t) : "", pred ? pred : "");
    }
    report(r, n, 0);
    free(r);
    json_decref(ref);
    return 0;
}

int main(int argc, char **argv)
{
    const char *data = "../shared/bench/extraction/zyte", *dump = NULL, *ref = NULL;
    size_t worst = 0;
    int repeat = 1;
    bool parse_only = false;
    char path[4096];

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--data") && i + 1 < argc)
            data = argv[++i];
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump = argv[++i];
        else if (!strcmp(argv[i], "--worst") && i + 1 < argc)
            worst = (size_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = (int)strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--parse-only"))
            parse_only = true;
        else if (!strcmp(argv[i], "--score-reference") && i + 1 < argc)
            ref = argv[++i];
        else {
            fprintf(stderr, "usage: extract [--data DIR] [--dump DIR] [--worst N] [--repeat N]"
                            " [--parse-only] [--score-reference FILE]\n");
            return 2;
        }
    }
    snprintf(path, sizeof(path), "%s/ground-truth.json", data);
    json_error_t jerr;
    json_t *truth = json_load_file(path, 0, &jerr);
    if (!truth) {
        fprintf(stderr, "extract: %s: %s (benchmark data missing?)\n", path, jerr.text);
        return 1;
    }
    if (repeat < 1)
        repeat = 1;
    if (ref) {
        int rc = score_reference(truth, ref);
        json_decref(truth);
        return rc;
    }
    size_t n = 0, bytes = 0;
    struct result *r = td_xcalloc(json_object_size(truth), sizeof(*r));
    double secs = 0, wall = 0;
    const char *id;
    json_t *t;
    json_object_foreach(truth, id, t)
    {
        size_t len;
        snprintf(path, sizeof(path), "%s/html/%s.html.gz", data, id);
        char *html = gunzip_file(path, &len);
        if (!html) {
            fprintf(stderr, "extract: cannot read %s\n", path);
            continue;
        }
        const char *url = json_string_value(json_object_get(t, "url"));
        struct td_extract_opts opts = {.base_url = url};
        struct td_article a;
        int err = 0;
        double t0 = now(CLOCK_THREAD_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
        for (int k = 0; k < repeat; k++) {
            if (parse_only) {
                struct td_html_doc *doc;
                err = td_html_parse(html, len, &doc);
                td_html_free(doc);
                if (!err)
                    err = TD_EEMPTY; /* nothing to score */
                continue;
            }
            err = td_extract(html, len, &opts, &a);
            if (k + 1 < repeat && !err)
                td_article_release(&a);
        }
        secs += now(CLOCK_THREAD_CPUTIME_ID) - t0;
        wall += now(CLOCK_MONOTONIC) - w0;
        bytes += len;
        const char *text = err ? "" : a.text;
        r[n].id = id;
        r[n++].s = score_doc(body_of(t) ? body_of(t) : "", text);
        if (dump) {
            snprintf(path, sizeof(path), "%s/%s.txt", dump, id);
            FILE *f = fopen(path, "w");
            if (f) {
                fputs(text, f);
                fclose(f);
            }
            snprintf(path, sizeof(path), "%s/%s.truth.txt", dump, id);
            f = fopen(path, "w");
            if (f) {
                fputs(body_of(t) ? body_of(t) : "", f);
                fclose(f);
            }
        }
        if (!err)
            td_article_release(&a);
        free(html);
    }
    report(r, n, worst);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("pages/s    %.0f CPU time, %.0f wall (%d pass%s, %.1f MB/s CPU, one thread)\n"
           "peak RSS   %.1f MB\n",
           secs > 0 ? (double)n * repeat / secs : 0, wall > 0 ? (double)n * repeat / wall : 0,
           repeat, repeat > 1 ? "es" : "", secs > 0 ? (double)bytes * repeat / secs / 1e6 : 0,
           (double)ru.ru_maxrss / 1024.0);
    free(r);
    json_decref(truth);
    return 0;
}
