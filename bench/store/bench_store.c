/*
 * bench_store - how fast the store ingests, re-ingests, searches and lists,
 * on a real database: a file in a temporary directory, or the database
 * LOCATION names (a postgresql:// URI of an empty database, for the
 * PostgreSQL back end; its tables are left behind).
 *
 *     build/bench/store/bench_store [articles] [batch] [LOCATION]
 *
 * With PostgreSQL most of the work is the server's: the per-CPU-second
 * figures count this process only, so read the wall-clock ones.
 *
 * Articles carry ~2 KB of made-up words drawn with Zipf's law from fixed
 * seeds, so runs are comparable and re-ingesting finds the same articles.  Prints one line per
 * figure; the numbers and the command that produced them go in docs/BENCHMARKS.md.
 */
#include "base/compat.h"
#include "base/arena.h"
#include "base/error.h"
#include "store/store.h"

#include <dirent.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * Text that looks like language to an index: VOCAB made-up words drawn with
 * Zipf's law (the word of rank r has weight 1/r), so a few words are in
 * every article and most are rare, as in news.
 */
#define VOCAB 8000

static char words[VOCAB][12];
static double cumulative[VOCAB];
static uint64_t rng = 0x9E3779B97F4A7C15u;

static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 32);
}

static void make_vocab(void)
{
    static const char *const syl[] = {"ka", "ro", "mi", "te", "su", "la", "po", "ne",
                                      "di", "va", "zu", "ge", "bo", "ri", "fa", "lu"};
    double total = 0;

    for (int r = 0; r < VOCAB; r++) {
        unsigned v = (unsigned)r + 17;
        words[r][0] = '\0';
        for (int k = 0; k < 4 && (k < 2 || v); k++) {
            size_t len = strlen(words[r]);
            memcpy(words[r] + len, syl[v % 16], 3);
            v /= 16;
        }
        total += 1.0 / (r + 1);
        cumulative[r] = total;
    }
    for (int r = 0; r < VOCAB; r++)
        cumulative[r] /= total;
}

static const char *zipf_word(void)
{
    double u = (double)next_rand() / 4294967296.0;
    int lo = 0, hi = VOCAB - 1;

    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cumulative[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return words[lo];
}

static void fill_text(char *buf, size_t size)
{
    size_t n = 0;

    while (n + 16 < size) {
        const char *w = zipf_word();
        size_t len = strlen(w);
        memcpy(buf + n, w, len);
        n += len;
        buf[n++] = ' ';
    }
    buf[n] = '\0';
}

static double clock_s(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Elapsed and CPU time of a phase.  The machine is shared, so both are
 * printed: wall time for what a user waits, CPU time for what the code costs.
 */
struct lap {
    double wall, cpu;
};

static struct lap lap_start(void)
{
    return (struct lap){clock_s(CLOCK_MONOTONIC), clock_s(CLOCK_PROCESS_CPUTIME_ID)};
}

static void lap_print(const char *what, struct lap t0, int count, const char *unit,
                      const char *note)
{
    double wall = clock_s(CLOCK_MONOTONIC) - t0.wall;
    double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0.cpu;

    printf("%-20s %9.0f %s wall, %9.0f per CPU-second  %s\n", what, count / wall, unit, count / cpu,
           note);
}

static void die(struct td_store *st, int err, const char *what)
{
    fprintf(stderr, "bench_store: %s: %s: %s\n", what, td_strerror(err),
            st ? td_store_errmsg(st) : "");
    exit(1);
}

/*
 * Upsert articles [0, n) of generation `seed`, `batch` per transaction (0:
 * each its own), checking each result is `expect`; print the rate.
 */
static void ingest(struct td_store *st, int64_t feed, int n, int batch, unsigned seed,
                   enum td_store_upsert expect, const char *what, const char *note)
{
    char key[64], title[64], body[2048];
    struct lap t0 = lap_start();
    int err;

    for (int i = 0; i < n; i++) {
        struct td_article a = {.feed_id = feed,
                               .entry_key = key,
                               .url = key,
                               .title = title,
                               .text = body,
                               .published = 1700000000 + i};
        enum td_store_upsert res;
        if (batch && i % batch == 0 && (err = td_store_begin(st)) < 0)
            die(st, err, "begin");
        snprintf(key, sizeof(key), "https://bench.example/a/%d", i);
        /* The same seed and i give the same article: re-ingestion finds it unchanged. */
        rng = (uint64_t)seed << 32 ^ (uint64_t)(i + 1) * 0x9E3779B97F4A7C15u;
        snprintf(title, sizeof(title), "%s %s %s", zipf_word(), zipf_word(), zipf_word());
        fill_text(body, sizeof(body));
        if ((err = td_store_article_upsert(st, &a, NULL, &res)) < 0)
            die(st, err, "upsert");
        if (res != expect)
            die(st, TD_EINVAL, "unexpected upsert result");
        if (batch && (i % batch == batch - 1 || i == n - 1) && (err = td_store_commit(st)) < 0)
            die(st, err, "commit");
    }
    lap_print(what, t0, n, "upserts/s", note);
}

static void remove_dir(const char *dir)
{
    char path[512];
    DIR *d = opendir(dir);
    struct dirent *e;

    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 20000;
    int batch = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 100;
    char dir[] = "/tmp/td-bench-store-XXXXXX", path[512];
    struct td_store *st = NULL;
    struct td_feed f = {.url = "https://bench.example/rss"};
    struct td_article_filter filt = {.limit = 50};
    struct td_arena a;
    struct stat sb;
    struct lap t0;
    int64_t feed;
    int err, queries = 1000, pages = 2000;

    if (n < 1 || batch < 1 || !mkdtemp(dir)) {
        fprintf(stderr, "usage: bench_store [articles >= 1] [batch >= 1] [LOCATION]\n");
        return 2;
    }
    snprintf(path, sizeof(path), "%s", argc > 3 ? argv[3] : "");
    if (argc <= 3)
        snprintf(path, sizeof(path), "%s/bench.db", dir);
    make_vocab();
    if ((err = td_store_open(path, 0, &st)) < 0)
        die(NULL, err, "open");
    if ((err = td_store_feed_add(st, &f, &feed, NULL)) < 0)
        die(st, err, "feed");
    printf("store bench: %d articles of ~2 KB text (Zipf over %d words), %d per transaction, "
           "%s\n",
           n, VOCAB, batch, td_store_backend(st));

    ingest(st, feed, n, batch, 1, TD_UPSERT_NEW, "insert new", "");
    ingest(st, feed, n, batch, 1, TD_UPSERT_UNCHANGED, "re-ingest unchanged", "");
    ingest(st, feed, n, batch, 2, TD_UPSERT_CHANGED, "re-ingest changed", "");
    ingest(st, feed, TD_MIN(n, 2000), 0, 3, TD_UPSERT_CHANGED, "one per commit",
           "(default durability)");
    td_store_close(st);
    if ((err = td_store_open(path, TD_STORE_SYNC_FULL, &st)) < 0)
        die(NULL, err, "open");
    ingest(st, feed, TD_MIN(n, 300), 0, 4, TD_UPSERT_CHANGED, "one per commit",
           "(TD_STORE_SYNC_FULL: fsync each)");

    td_arena_init(&a);
    t0 = lap_start();
    for (int i = 0; i < queries; i++) {
        char q[64];
        struct td_search_result r;
        /* Two words of middling frequency (ranks 20-2000), like a reader's query. */
        snprintf(q, sizeof(q), "%s %s", words[20 + next_rand() % 1980],
                 words[20 + next_rand() % 1980]);
        if ((err = td_store_search(st, q, NULL, &a, &r)) < 0)
            die(st, err, "search");
        td_arena_release(&a);
    }
    lap_print("search (2 words)", t0, queries, "queries/s", "(top 20 by rank, snippets)");

    t0 = lap_start();
    for (int i = 0; i < pages; i++) {
        struct td_article_list page;
        if ((err = td_store_article_list(st, &filt, &a, &page)) < 0)
            die(st, err, "list");
        filt.after = page.more ? page.next : (struct td_store_cursor){0, 0};
        td_arena_release(&a);
    }
    lap_print("list newest (50)", t0, pages, "pages/s", "(keyset paging, no bodies)");
    td_store_close(st);

    if (stat(path, &sb) == 0)
        printf("database file:       %9.1f MB\n", (double)sb.st_size / 1e6);
    if (getenv("TD_BENCH_KEEP"))
        printf("kept %s\n", path);
    else
        remove_dir(dir);
    return 0;
}
