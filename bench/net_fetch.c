/*
 * net_fetch.c - fetch throughput of the net module over loopback.
 *
 *     build/bench/net_fetch [PAGES] [PAGE_BYTES] [CONCURRENCY]
 *
 * Starts the fixture server in-process with one page route and fetches it
 * PAGES times under distinct URLs (so nothing is deduplicated), three ways:
 * td_net_get one after another, td_net_multi with CONCURRENCY transfers to
 * the one host, and, as a peer, the curl command-line tool with --parallel
 * on the same URLs when `curl` is on PATH.  Prints pages/s and MB/s for
 * each.  Only 127.0.0.1 is contacted.
 */
#include "base/compat.h"
#include "base/buf.h"
#include "base/error.h"
#include "net/net.h"

#include "fixture/fixture.h"

#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(const char *what, long pages, size_t bytes, double secs)
{
    printf("%-34s %6ld pages  %7.3f s  %8.0f pages/s  %7.1f MB/s\n", what, pages, secs,
           pages / secs, bytes / secs / 1e6);
}

static const struct td_net_opts opts = {.allow_private = true};

static int run_sequential(struct td_fixture *f, long pages)
{
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    char path[64], url[TD_FIXTURE_URL_MAX];
    size_t bytes = 0;
    double t0 = now_s();

    for (long i = 0; i < pages; i++) {
        snprintf(path, sizeof(path), "/page?seq=%ld", i);
        int err = td_net_get(td_fixture_url(f, path, url), &opts, &r);
        if (err) {
            fprintf(stderr, "net_fetch: %s: %s (%s)\n", url, td_strerror(err), r.error);
            td_net_response_release(&r);
            return 1;
        }
        bytes += r.body.len;
    }
    report("td_net_get, sequential", pages, bytes, now_s() - t0);
    td_net_response_release(&r);
    return 0;
}

static int run_multi(struct td_fixture *f, long pages, int conc)
{
    struct td_net_multi_opts mo = {.max_total = conc, .max_per_host = conc};
    struct td_net_multi *m = td_net_multi_new(&mo);
    char path[64], url[TD_FIXTURE_URL_MAX], label[64];
    size_t bytes = 0;
    long ok = 0;
    double t0 = now_s();
    struct td_net_job *j;

    for (long i = 0; i < pages; i++) {
        snprintf(path, sizeof(path), "/page?multi=%ld", i);
        td_net_multi_add(m, td_fixture_url(f, path, url), &opts, NULL);
    }
    while (td_net_multi_run(m, 1000) > 0) {
        while ((j = td_net_multi_next(m)) != NULL) {
            if (j->err)
                fprintf(stderr, "net_fetch: %s: %s (%s)\n", j->url, td_strerror(j->err),
                        j->resp.error);
            else
                ok++, bytes += j->resp.body.len;
            td_net_job_free(j);
        }
    }
    snprintf(label, sizeof(label), "td_net_multi, %d at once", conc);
    report(label, ok, bytes, now_s() - t0);
    td_net_multi_free(m);
    return ok == pages ? 0 : 1;
}

/* The peer: curl's own parallel mode, fed the URLs through a config file. */
static int run_curl_cli(struct td_fixture *f, long pages, int conc, size_t page_bytes)
{
    char cfg[] = "/tmp/tidings-bench-curl-XXXXXX";
    char path[64], url[TD_FIXTURE_URL_MAX], conc_s[16];
    int fd = mkstemp(cfg), status = 0;
    FILE *fp;
    pid_t pid;

    if (fd < 0 || !(fp = fdopen(fd, "w"))) {
        perror("net_fetch: config file");
        return 1;
    }
    for (long i = 0; i < pages; i++) {
        snprintf(path, sizeof(path), "/page?curl=%ld", i);
        fprintf(fp, "url = \"%s\"\noutput = \"/dev/null\"\n", td_fixture_url(f, path, url));
    }
    fclose(fp);
    snprintf(conc_s, sizeof(conc_s), "%d", conc);
    char *argv[] = {"curl",
                    "--silent",
                    "--no-progress-meter",
                    "--compressed",
                    "--parallel",
                    "--parallel-max",
                    conc_s,
                    "--config",
                    cfg,
                    NULL};
    double t0 = now_s();
    if (posix_spawnp(&pid, "curl", NULL, NULL, argv, environ) != 0) {
        printf("%-34s not run: no curl on PATH\n", "curl --parallel (peer)");
        unlink(cfg);
        return 0;
    }
    waitpid(pid, &status, 0);
    double secs = now_s() - t0;
    unlink(cfg);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "net_fetch: curl failed (status %d)\n", status);
        return 1;
    }
    snprintf(url, sizeof(url), "curl --parallel, %d at once (peer)", conc);
    report(url, pages, (size_t)pages * page_bytes, secs);
    return 0;
}

int main(int argc, char **argv)
{
    long pages = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
    long page_bytes = argc > 2 ? strtol(argv[2], NULL, 10) : 30000;
    int conc = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 16;
    struct td_buf page = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_fixture *f;
    int rc = 0;

    if (pages <= 0 || page_bytes <= 0 || conc <= 0) {
        fprintf(stderr, "usage: net_fetch [PAGES] [PAGE_BYTES] [CONCURRENCY]\n");
        return 2;
    }
    f = td_fixture_start(0);
    if (!f)
        return 1;
    /* A page of ordinary prose-like HTML, so gzip has realistic work. */
    for (long i = 0; page.len < (size_t)page_bytes; i++)
        if (td_buf_printf(&page, "<p>Paragraph %ld of the article, with words that repeat.</p>\n",
                          i) < 0)
            return 1;
    td_buf_truncate(&page, (size_t)page_bytes);
    if (td_fixture_add(f, &(struct td_fixture_route){.path = "/page",
                                                     .body = page.buf,
                                                     .body_len = page.len,
                                                     .content_type = "text/html",
                                                     .gzip = true}) < 0)
        return 1;
    printf("net_fetch: %ld pages of %ld bytes (gzip on the wire) from 127.0.0.1\n", pages,
           page_bytes);
    rc |= run_sequential(f, pages);
    rc |= run_multi(f, pages, conc);
    rc |= run_curl_cli(f, pages, conc, page.len);
    td_buf_release(&page);
    td_fixture_stop(f);
    return rc;
}
