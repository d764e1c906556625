/*
 * feeds.c - feed parsing throughput: every file of the public suites in
 * ../shared/bench/feeds (gofeed, feedparser, feed-rs), preloaded into
 * memory, parsed by td_feed_parse on one thread.  Prints MB of input per
 * second of CPU time,
 * with and without the HTML sanitizer, and as a peer, libxml2's SAX2
 * parser alone over the same bytes (recover mode, handlers that do
 * nothing): the floor any libxml2-based reader starts from.
 *
 *     bench-feeds [DIR] [SECONDS] [raw|sanitize|peer]
 *
 * DIR defaults to ../shared/bench/feeds.  The third argument runs only one
 * of the three measurements, for profiling one path alone (perf, callgrind).
 */
#include "base/compat.h"
#include "base/error.h"
#include "feed/feed.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <sys/stat.h>
#include <time.h>

struct corpus {
    char **data;
    size_t *len;
    size_t n, cap, bytes;
};

static bool wanted(const char *name)
{
    size_t n = strlen(name);
    if (n > 11 && !strcmp(name + n - 11, ".serde.json"))
        return false;
    if (n > 14 && !strcmp(name + n - 14, "_expected.json"))
        return false;
    return (n > 4 && !strcmp(name + n - 4, ".xml")) || (n > 5 && !strcmp(name + n - 5, ".json"));
}

static void load(struct corpus *c, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return;
    struct td_buf b = TD_BUF_INIT(TD_FEED_MAX_BYTES);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        if (td_buf_append(&b, chunk, n) < 0)
            break;
    fclose(fp);
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->data = td_xrealloc(c->data, c->cap * sizeof(*c->data));
        c->len = td_xrealloc(c->len, c->cap * sizeof(*c->len));
    }
    c->len[c->n] = b.len;
    c->data[c->n++] = td_buf_detach(&b, NULL);
    c->bytes += c->len[c->n - 1];
}

static void walk(struct corpus *c, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d || depth > 8) {
        if (d)
            closedir(d);
        return;
    }
    while ((de = readdir(d))) {
        char path[4096];
        struct stat st;
        if (de->d_name[0] == '.')
            continue;
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
            continue;
        if (stat(path, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode))
            walk(c, path, depth + 1);
        else if (S_ISREG(st.st_mode) && wanted(de->d_name))
            load(c, path);
    }
    closedir(d);
}

/*
 * CPU time of this thread: the machine is shared, and wall time would
 * measure the neighbours.  MB/s below are per second of CPU.
 */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse the whole corpus repeatedly for at least `seconds`; MB/s. */
static double run(const struct corpus *c, unsigned flags, double seconds, size_t *entries)
{
    struct td_feed_opts o = {.url = "https://example.org/feed", .now = 2000000000, .flags = flags};
    double start = now(), elapsed;
    size_t rounds = 0;
    do {
        *entries = 0;
        for (size_t i = 0; i < c->n; i++) {
            struct td_feed *f = NULL;
            if (td_feed_parse(c->data[i], c->len[i], &o, &f) == 0)
                *entries += f->n_entries;
            td_feed_free(f);
        }
        rounds++;
        elapsed = now() - start;
    } while (elapsed < seconds);
    return (double)c->bytes * (double)rounds / elapsed / 1e6;
}

static void noop_start(void *ctx, const xmlChar *l, const xmlChar *p, const xmlChar *u, int nn,
                       const xmlChar **ns, int na, int nd, const xmlChar **a)
{
    (void)ctx, (void)l, (void)p, (void)u, (void)nn, (void)ns, (void)na, (void)nd, (void)a;
}

static void noop_end(void *ctx, const xmlChar *l, const xmlChar *p, const xmlChar *u)
{
    (void)ctx, (void)l, (void)p, (void)u;
}

static void noop_text(void *ctx, const xmlChar *ch, int len)
{
    (void)ctx, (void)ch, (void)len;
}

static void noop_error(void *ctx, xmlErrorPtr err)
{
    (void)ctx, (void)err;
}

static void noop_generic(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

/* The peer: libxml2 SAX2 with no-op handlers, one push parser per file. */
static double run_libxml2(const struct corpus *c, double seconds)
{
    xmlSAXHandler sax;
    double start = now(), elapsed;
    size_t rounds = 0;

    xmlSetGenericErrorFunc(NULL, noop_generic);
    memset(&sax, 0, sizeof(sax));
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = noop_start;
    sax.endElementNs = noop_end;
    sax.characters = noop_text;
    sax.cdataBlock = noop_text;
    sax.serror = noop_error;
    do {
        for (size_t i = 0; i < c->n; i++) {
            xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
            xmlCtxtUseOptions(ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET);
            xmlParseChunk(ctxt, c->data[i], (int)c->len[i], 1);
            if (ctxt->myDoc)
                xmlFreeDoc(ctxt->myDoc);
            xmlFreeParserCtxt(ctxt);
        }
        rounds++;
        elapsed = now() - start;
    } while (elapsed < seconds);
    return (double)c->bytes * (double)rounds / elapsed / 1e6;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "../shared/bench/feeds";
    double seconds = argc > 2 ? strtod(argv[2], NULL) : 3.0;
    const char *only = argc > 3 ? argv[3] : NULL;
    struct corpus c = {0};
    size_t entries;

    walk(&c, dir, 0);
    if (!c.n) {
        fprintf(stderr, "bench-feeds: no feed files under %s\n", dir);
        return 1;
    }
    printf("corpus: %zu files, %.2f MB\n", c.n, (double)c.bytes / 1e6);
    if (!only || !strcmp(only, "raw")) {
        double raw = run(&c, TD_FEED_NO_SANITIZE, seconds, &entries);
        printf("parse (no sanitize): %.1f MB/s, %zu entries per pass\n", raw, entries);
    }
    if (!only || !strcmp(only, "sanitize"))
        printf("parse + sanitize:    %.1f MB/s\n", run(&c, 0, seconds, &entries));
    if (!only || !strcmp(only, "peer"))
        printf("peer, libxml2 SAX2 with no-op handlers: %.1f MB/s\n", run_libxml2(&c, seconds));
    for (size_t i = 0; i < c.n; i++)
        free(c.data[i]);
    free(c.data);
    free(c.len);
    return 0;
}
