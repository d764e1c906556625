/*
 * charset.c - how fast and how the charset chain decodes real pages.
 *
 *     build/bench/charset [--repeat N] [DATA_DIR]
 *
 * Loads every html/NAME.html.gz of the Zyte extraction set (default
 * ../shared/bench/extraction/zyte), gunzips it with td_inflate_gunzip, then
 * runs td_charset_to_utf8 over all pages N times (default 5).  Prints how
 * many pages each encoding decoded, MB/s of the whole chain (sniffing plus
 * conversion), and for comparison MB/s of td_utf8_valid alone over the same
 * bytes: the floor any UTF-8 path pays; and MB/s of the iconv path, by
 * decoding the same bytes as windows-1252 (the set is all UTF-8, so this
 * stands in for legacy-encoded pages).  Times are thread CPU time, so a
 * busy machine does not distort them.
 */
#include "base/compat.h"
#include "base/buf.h"
#include "base/charset.h"
#include "base/inflate.h"
#include "base/utf8.h"

#include <dirent.h>
#include <time.h>

struct page {
    char *data;
    size_t len;
};

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int load(const char *path, struct page *p)
{
    FILE *f = fopen(path, "rb");
    struct td_buf raw = TD_BUF_INIT(64u << 20), plain = TD_BUF_INIT(64u << 20);
    char chunk[65536];
    size_t n;
    int err = 0;

    if (!f)
        return -1;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if ((err = td_buf_append(&raw, chunk, n)) < 0)
            break;
    fclose(f);
    if (!err)
        err = td_inflate_gunzip(raw.buf, raw.len, &plain, NULL);
    td_buf_release(&raw);
    if (err) {
        td_buf_release(&plain);
        return err;
    }
    p->data = td_buf_detach(&plain, &p->len);
    return 0;
}

int main(int argc, char **argv)
{
    const char *data = "../shared/bench/extraction/zyte";
    int repeat = 5;
    struct page *pages = NULL;
    size_t n_pages = 0, alloc = 0, bytes = 0;
    char dir[1024];

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = (int)strtol(argv[++i], NULL, 10);
        else
            data = argv[i];
    }
    if (repeat < 1)
        repeat = 1;
    snprintf(dir, sizeof(dir), "%s/html", data);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "charset: cannot open %s (is ../shared present?)\n", dir);
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 8 || strcmp(e->d_name + len - 8, ".html.gz") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (n_pages == alloc) {
            alloc = alloc ? alloc * 2 : 256;
            pages = td_xrealloc(pages, alloc * sizeof(*pages));
        }
        if (load(path, &pages[n_pages]) == 0)
            bytes += pages[n_pages++].len;
    }
    closedir(d);

    const char *names[32];
    size_t counts[32] = {0}, n_names = 0;
    struct td_buf out = TD_BUF_INIT(64u << 20);
    double t0 = cpu_now();
    for (int r = 0; r < repeat; r++) {
        for (size_t i = 0; i < n_pages; i++) {
            const char *used = NULL;
            td_buf_reset(&out);
            if (td_charset_to_utf8(pages[i].data, pages[i].len, NULL, &out, &used) < 0) {
                fprintf(stderr, "charset: page %zu failed\n", i);
                return 1;
            }
            if (r > 0)
                continue;
            size_t k = 0;
            while (k < n_names && strcmp(names[k], used) != 0)
                k++;
            if (k == n_names && n_names < TD_ARRAY_SIZE(names))
                names[n_names++] = used;
            if (k < n_names)
                counts[k]++;
        }
    }
    double chain = cpu_now() - t0;
    t0 = cpu_now();
    size_t valid = 0;
    for (int r = 0; r < repeat; r++)
        for (size_t i = 0; i < n_pages; i++)
            valid += td_utf8_valid(pages[i].data, pages[i].len);
    double check = cpu_now() - t0;

    /* The same bytes through iconv, read as windows-1252 (every byte maps). */
    t0 = cpu_now();
    for (int r = 0; r < repeat; r++)
        for (size_t i = 0; i < n_pages; i++) {
            td_buf_reset(&out);
            if (td_charset_decode(pages[i].data, pages[i].len, "windows-1252", &out) < 0)
                return 1;
        }
    double conv = cpu_now() - t0;

    double mb = (double)bytes * repeat / 1e6;
    printf("pages: %zu (%.1f MB), repeat %d\n", n_pages, (double)bytes / 1e6, repeat);
    for (size_t k = 0; k < n_names; k++)
        printf("  %-14s %zu\n", names[k], counts[k]);
    printf("charset chain:  %.0f MB/s  (%.0f pages/s)\n", mb / chain,
           (double)n_pages * repeat / chain);
    printf("iconv path (as windows-1252): %.0f MB/s\n", mb / conv);
    printf("utf8_valid only: %.0f MB/s  (%zu of %zu page runs valid UTF-8)\n", mb / check, valid,
           n_pages * (size_t)repeat);
    td_buf_release(&out);
    for (size_t i = 0; i < n_pages; i++)
        free(pages[i].data);
    free(pages);
    return 0;
}
