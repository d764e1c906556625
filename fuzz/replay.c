/*
 * replay.c - feed every file of corpus directories to a fuzz target.
 *
 * Linked with one fuzz_*.c instead of libFuzzer, it lets the normal test
 * run (and the ASan/UBSan one) replay the committed corpora with any
 * compiler.  Prints TAP: one case per directory, ok when every file went
 * through (a crash or a failed TD_ASSERT ends the process, which fails
 * the test).
 *
 *     replay_url fuzz/corpus/url
 */
#include "base/compat.h"
#include "base/buf.h"

#include <dirent.h>
#include <errno.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Corpus files are small; anything past this is not ours. */
#define MAX_FILE (4u << 20)

static int read_file(const char *path, struct td_buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    int err = 0;

    if (!f)
        return -1;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if ((err = td_buf_append(b, chunk, n)) < 0)
            break;
    if (ferror(f))
        err = -1;
    fclose(f);
    return err;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replay one directory; returns the number of files or -1. */
static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, alloc = 0;
    int count = 0;

    if (!d) {
        printf("# cannot open %s: %s\n", dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == alloc) {
            alloc = alloc ? alloc * 2 : 64;
            names = td_xrealloc(names, alloc * sizeof(*names));
        }
        names[n++] = td_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp);
    for (size_t i = 0; i < n; i++) {
        struct td_buf path = TD_BUF_INIT(TD_BUF_NOCAP), data = TD_BUF_INIT(MAX_FILE);
        if (td_buf_printf(&path, "%s/%s", dir, names[i]) < 0 || read_file(path.buf, &data) < 0) {
            printf("# cannot read %s\n", path.buf);
            count = -1;
        } else {
            /* A copy of exactly the file's size, so ASan sees overreads. */
            uint8_t *copy = td_xmalloc(data.len);
            memcpy(copy, data.buf, data.len);
            LLVMFuzzerTestOneInput(copy, data.len);
            free(copy);
            if (count >= 0)
                count++;
        }
        td_buf_release(&path);
        td_buf_release(&data);
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    int failed = 0;

    printf("1..%d\n", argc - 1);
    for (int i = 1; i < argc; i++) {
        int n = replay_dir(argv[i]);
        if (n < 0) {
            printf("not ok %d %s\n", i, argv[i]);
            failed = 1;
        } else {
            printf("ok %d %s (%d inputs)\n", i, argv[i], n);
        }
        fflush(stdout);
    }
    return failed;
}
