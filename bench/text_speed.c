/*
 * text_speed.c - how fast the story engine is, on one core.
 *
 *   text_speed SHARED_DIR [ARTICLES [INDEX]]
 *
 * Articles are synthesised from the shared corpora's sentences (BBC,
 * WikiRef220, GoogleNews-TS).  Each belongs to a story: a source article
 * and three made-up names; it takes the source's headline and a run of its
 * sentences, the names, and sentences drawn from anywhere.  Stories get
 * about ten articles (five in the big index), and one article in twenty is
 * a repost of the one before.  Timestamps advance 30 s per article.
 *
 *  1. ARTICLES (default 100,000) articles: time to cluster and fold copies
 *     (td_story_index_add) and to compute 4 key points each;
 *  2. an index of INDEX (default 1,000,000) shorter articles is built, then
 *     1,000 more are added one at a time and each addition is timed.  Here
 *     a story's own sentences are drawn from the whole pool (seeded by the
 *     story), so the index holds about INDEX/5 distinct stories: long
 *     posting lists, many candidates, the hard case for an addition.
 *     Every addition of the build is timed too, and the slowest are
 *     reported with the index size at which they happened.
 * Times are CPU seconds of the (single-threaded) process, so other load on
 * the machine does not inflate them directly.  It still does indirectly (a
 * preempted addition resumes with cold caches, and a virtual machine's
 * stolen time can be counted as the guest's CPU time), so right after each
 * timed addition a control is timed the same way: the MinHash signature of
 * the same text computed ten times, a fixed computation that allocates
 * nothing and lasts about as long as an addition (so it is as exposed).  Its worst
 * case is the noise floor of the run; an addition's worst case near the
 * control's says the machine, not the engine, made it.  Page faults during
 * the timed additions are counted (a first touch of a page costs about
 * 20 us on the project's virtual machines).  Prints peak memory
 * (ru_maxrss) too.
 */
#include "base/compat.h"
#include "base/buf.h"
#include "text/fingerprint.h"
#include "text/sentence.h"
#include "text/story.h"
#include "text/summary.h"
#include "text_corpus.h"

#include <sys/resource.h>
#include <time.h>

struct pool {
    struct td_span *s; /* sentence spans */
    uint32_t *doc;     /* owning corpus document */
    uint32_t *first;   /* per document: index of its first sentence */
    uint32_t *count;   /* per document: its number of sentences */
    size_t n;
};

/* CPU seconds of this process: "on one core", undisturbed by other load. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void build_pool(const struct corpus *c, struct pool *p)
{
    size_t alloc = 1 << 16;
    struct td_span tmp[1000];
    p->s = td_xmalloc(alloc * sizeof(*p->s));
    p->doc = td_xmalloc(alloc * sizeof(*p->doc));
    p->first = td_xmalloc(c->n * sizeof(*p->first));
    p->count = td_xmalloc(c->n * sizeof(*p->count));
    p->n = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t k = td_sentences_split(c->d[i].text, c->d[i].len, tmp, 1000);
        p->first[i] = (uint32_t)p->n;
        p->count[i] = (uint32_t)k;
        for (size_t j = 0; j < k; j++) {
            if (p->n == alloc) {
                alloc *= 2;
                p->s = td_xrealloc(p->s, alloc * sizeof(*p->s));
                p->doc = td_xrealloc(p->doc, alloc * sizeof(*p->doc));
            }
            p->s[p->n] = tmp[j];
            p->doc[p->n++] = (uint32_t)i;
        }
    }
}

/* Three made-up capitalised names that mark story `story` (e.g. "Kalomira"). */
static void story_names(uint64_t story, struct td_buf *out)
{
    static const char *syl[] = {"ka", "lo", "mi", "ra", "te", "zu", "no", "vi", "sa", "de",
                                "ko", "pe", "ru", "ta", "bo", "li", "gu", "ne", "fa", "xo"};
    uint64_t h = story * 0x9e3779b97f4a7c15ULL + 1;
    for (int w = 0; w < 3; w++) {
        TD_ASSERT(td_buf_append_ch(out, ' ') == 0);
        for (int k = 0; k < 4; k++) {
            h ^= h >> 29;
            h *= 0xbf58476d1ce4e5b9ULL;
            const char *x = syl[(h >> 40) % TD_ARRAY_SIZE(syl)];
            TD_ASSERT(td_buf_append_ch(out, (char)(k == 0 ? x[0] - 32 : x[0])) == 0);
            TD_ASSERT(td_buf_append_ch(out, x[1]) == 0);
        }
    }
}

/*
 * Write a synthetic article of story `story` into `title` and `text`: the
 * headline of the story's source document plus the story's names, then a
 * run of `own` sentences of the source, the names again, and `mixed`
 * sentences from anywhere.
 */
static void synth(const struct corpus *c, const struct pool *p, uint64_t *seed, uint64_t story,
                  size_t own, size_t mixed, struct td_buf *title, struct td_buf *text)
{
    size_t d = (size_t)((story * 0x2545F4914F6CDD1DULL) >> 17) % c->n;
    td_buf_reset(title);
    td_buf_reset(text);
    TD_ASSERT(td_buf_append_c(title, c->d[d].title) == 0);
    story_names(story, title);
    size_t k = p->count[d], start = k > own ? rng(seed) % (k - own + 1) : 0;
    for (size_t j = start; j < start + own && j < k; j++) {
        const struct td_span *s = &p->s[p->first[d] + j];
        TD_ASSERT(td_buf_append(text, c->d[d].text + s->off, s->len) == 0);
        TD_ASSERT(td_buf_append_ch(text, ' ') == 0);
    }
    story_names(story, text);
    TD_ASSERT(td_buf_append_c(text, ". ") == 0);
    for (size_t j = 0; j < mixed; j++) {
        size_t r = rng(seed) % p->n;
        const struct td_span *s = &p->s[r];
        TD_ASSERT(td_buf_append(text, c->d[p->doc[r]].text + s->off, s->len) == 0);
        TD_ASSERT(td_buf_append_ch(text, ' ') == 0);
    }
}

/*
 * Like synth, but the story's `own` sentences are drawn from the whole pool
 * by a generator seeded with the story, so that nearly every story is
 * distinct: the big index then holds hundreds of thousands of stories.
 */
static void synth_scattered(const struct corpus *c, const struct pool *p, uint64_t *seed,
                            uint64_t story, size_t own, size_t mixed, struct td_buf *title,
                            struct td_buf *text)
{
    uint64_t ss = story * 0x9e3779b97f4a7c15ULL + 7;
    td_buf_reset(title);
    td_buf_reset(text);
    size_t first = rng(&ss) % p->n;
    /* The headline: the opening sentence's first words, and the names. */
    const char *h = c->d[p->doc[first]].text + p->s[first].off;
    size_t hl = 0, words = 0;
    while (hl < p->s[first].len && words < 8)
        words += h[hl++] == ' ';
    TD_ASSERT(td_buf_append(title, h, hl) == 0);
    story_names(story, title);
    for (size_t j = 0; j < own + mixed; j++) {
        size_t r = j == 0 ? first : (j < own ? rng(&ss) : rng(seed)) % p->n;
        const struct td_span *sp = &p->s[r];
        TD_ASSERT(td_buf_append(text, c->d[p->doc[r]].text + sp->off, sp->len) == 0);
        TD_ASSERT(td_buf_append_ch(text, ' ') == 0);
        if (j + 1 == own)
            story_names(story, text);
    }
}

static long maxrss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static void throughput(const struct corpus *c, const struct pool *p, size_t n)
{
    struct td_story_index *idx = td_story_index_new(NULL);
    struct td_analyzer *an = td_analyzer_new();
    struct td_buf text = TD_BUF_INIT(TD_BUF_NOCAP), prev = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_buf title = TD_BUF_INIT(TD_BUF_NOCAP), prevt = TD_BUF_INIT(TD_BUF_NOCAP);
    uint64_t seed = 88172645463325252ULL;
    double t_gen = 0, t_add = 0, t_kp = 0, bytes = 0;
    size_t copies = 0, folded = 0;
    struct td_span kp[TD_KEYPOINTS_MAX];

    for (size_t i = 0; i < n; i++) {
        double t0 = now();
        if (i > 0 && rng(&seed) % 20 == 0) {
            copies++;
            td_buf_reset(&text);
            TD_ASSERT(td_buf_append(&text, prev.buf, prev.len) == 0);
            td_buf_reset(&title);
            TD_ASSERT(td_buf_append(&title, prevt.buf, prevt.len) == 0);
        } else {
            /* About ten articles per story, a story's articles close in time. */
            uint64_t story = i / 10 + rng(&seed) % 5;
            synth(c, p, &seed, story, 8 + rng(&seed) % 8, 2 + rng(&seed) % 4, &title, &text);
            td_buf_reset(&prev);
            TD_ASSERT(td_buf_append(&prev, text.buf, text.len) == 0);
            td_buf_reset(&prevt);
            TD_ASSERT(td_buf_append(&prevt, title.buf, title.len) == 0);
        }
        double t1 = now();
        struct td_story_article a = {.ref = i,
                                     .title = title.buf,
                                     .text = text.buf,
                                     .text_len = text.len,
                                     .language = "en",
                                     .published = 1700000000 + (int64_t)i * 30};
        struct td_story_placed pl;
        TD_ASSERT(td_story_index_add(idx, &a, &pl) == 0);
        folded += pl.duplicate_of != UINT32_MAX;
        double t2 = now();
        td_keypoints_article(an, "en", title.buf, text.buf, text.len, 4, kp);
        double t3 = now();
        t_gen += t1 - t0;
        t_add += t2 - t1;
        t_kp += t3 - t2;
        bytes += (double)text.len;
    }
    printf("%zu articles (%.1f MB of text, mean %.0f bytes; %zu reposts, %zu folded as copies), "
           "%zu stories\n",
           n, bytes / 1e6, bytes / (double)n, copies, folded, td_story_index_stories(idx));
    printf("  cluster + dedup (td_story_index_add): %.1f s (%.0f articles/s)\n", t_add,
           (double)n / t_add);
    printf("  key points (4 per article):           %.1f s (%.0f articles/s)\n", t_kp,
           (double)n / t_kp);
    printf("  total engine time:                    %.1f s  (synthesis, not counted: %.1f s)\n",
           t_add + t_kp, t_gen);
    printf("  peak memory so far: %ld MB\n", maxrss_mb());
    td_buf_release(&text);
    td_buf_release(&prev);
    td_buf_release(&title);
    td_buf_release(&prevt);
    td_analyzer_free(an);
    td_story_index_free(idx);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Mean, median, p99 and max of `n` sorted times, in ms. */
static void print_times(const char *what, double *t, size_t n)
{
    double sum = 0;
    size_t over = 0;

    qsort(t, n, sizeof(t[0]), cmp_double);
    for (size_t i = 0; i < n; i++) {
        sum += t[i];
        over += t[i] >= 0.005;
    }
    printf("  %s (%zu timed): mean %.3f ms, median %.3f ms, p99 %.3f ms, max %.3f ms, "
           "%zu at 5 ms or more\n",
           what, n, 1e3 * sum / (double)n, 1e3 * t[n / 2], 1e3 * t[n * 99 / 100], 1e3 * t[n - 1],
           over);
}

static long minor_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

/* The slowest additions of the build: their time and the index size then. */
#define WORST 8
struct slow {
    double t;
    size_t at;
};

static void worst_note(struct slow *w, double t, size_t at)
{
    size_t m = 0;
    for (size_t i = 1; i < WORST; i++)
        if (w[i].t < w[m].t)
            m = i;
    if (t > w[m].t)
        w[m] = (struct slow){t, at};
}

static int cmp_slow_desc(const void *a, const void *b)
{
    return -cmp_double(&((const struct slow *)a)->t, &((const struct slow *)b)->t);
}

static void latency(const struct corpus *c, const struct pool *p, size_t n)
{
    struct td_story_index *idx = td_story_index_new(NULL);
    struct td_buf text = TD_BUF_INIT(TD_BUF_NOCAP), title = TD_BUF_INIT(TD_BUF_NOCAP);
    uint64_t seed = 0x2545F4914F6CDD1DULL;
    double t0 = now();
    enum { PROBES = 1000 };
    static double lat[PROBES], ctl[PROBES];
    struct slow w[WORST] = {{0, 0}};
    long faults = 0;

    for (size_t i = 0; i < n + PROBES; i++) {
        synth_scattered(c, p, &seed, i / 5 + rng(&seed) % 3, 3 + rng(&seed) % 3, 1 + rng(&seed) % 2,
                        &title, &text);
        struct td_story_article a = {.ref = i,
                                     .title = title.buf,
                                     .text = text.buf,
                                     .text_len = text.len,
                                     .language = "en",
                                     .published = 1700000000 + (int64_t)i * 3};
        struct td_story_placed pl;
        long f = i >= n ? minor_faults() : 0;
        double s = now();
        TD_ASSERT(td_story_index_add(idx, &a, &pl) == 0);
        double e = now();
        if (i < n) {
            worst_note(w, e - s, i);
        } else {
            faults += minor_faults() - f;
            lat[i - n] = e - s;
            struct td_minhash sig;
            s = now();
            for (int r = 0; r < 10; r++)
                td_minhash(text.buf, text.len, &sig);
            ctl[i - n] = now() - s;
        }
        if (i + 1 == n) {
            printf("index of %zu articles built in %.1f s, %zu stories, peak memory %ld MB\n", n,
                   now() - t0, td_story_index_stories(idx), maxrss_mb());
            printf("  slowest additions while building (ms @ articles stored):");
            qsort(w, WORST, sizeof(w[0]), cmp_slow_desc);
            for (size_t k = 0; k < WORST; k++)
                printf(" %.2f@%zu", 1e3 * w[k].t, w[k].at);
            printf("\n");
        }
    }
    print_times("adding one more article", lat, PROBES);
    print_times("control, MinHash of the same text x10", ctl, PROBES);
    printf("  page faults during the timed additions: %ld (%.2f per addition)\n", faults,
           (double)faults / PROBES);
    td_buf_release(&text);
    td_buf_release(&title);
    td_story_index_free(idx);
}

int main(int argc, char **argv)
{
    struct corpus c;
    struct pool p;
    char *end;
    size_t n = 100000, big = 1000000;

    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: text_speed SHARED_DIR [ARTICLES [INDEX]]\n");
        return 2;
    }
    if (argc > 2)
        n = strtoul(argv[2], &end, 10);
    if (argc > 3)
        big = strtoul(argv[3], &end, 10);
    if (!corpus_load(&c, argv[1], true, true, true)) {
        printf("no corpora under %s/bench, nothing measured\n", argv[1]);
        return 0;
    }
    build_pool(&c, &p);
    printf("sentence pool: %zu sentences from %zu documents\n", p.n, c.n);
    if (n)
        throughput(&c, &p, n);
    if (big)
        latency(&c, &p, big);
    free(p.s);
    free(p.doc);
    free(p.first);
    free(p.count);
    corpus_release(&c);
    return 0;
}
