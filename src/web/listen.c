/*
 * listen.c - the Listen audio cache (see listen.h).
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/log.h"
#include "tts/tts.h"
#include "web/listen.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t miss_lock = PTHREAD_MUTEX_INITIALIZER;

/* FNV-1a, 64 bits: a cache key, not a security boundary. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

static int read_file(const char *path, size_t cap, struct td_buf *out)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    int rc = TD_ENOTFOUND;

    if (!f)
        return rc;
    rc = TD_EIO;
    if (fstat(fileno(f), &st) < 0 || st.st_size <= 0)
        goto out;
    rc = TD_ETOOBIG;
    if ((uint64_t)st.st_size > cap || td_buf_grow(out, (size_t)st.st_size) < 0)
        goto out;
    rc = TD_EIO;
    if (fread(out->buf + out->len, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        goto out;
    out->len += (size_t)st.st_size;
    out->buf[out->len] = '\0';
    rc = 0;
out:
    fclose(f);
    return rc;
}

/* Write atomically: a temporary file renamed over the final name. */
static int write_file(const char *dir, const char *path, const char *data, size_t len)
{
    char tmp[4096];
    int fd, rc = TD_EIO;

    snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", dir);
    fd = mkstemp(tmp);
    if (fd < 0)
        return TD_EIO;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    if (close(fd) == 0 && done == len && rename(tmp, path) == 0)
        rc = 0;
    else
        unlink(tmp);
    return rc;
}

struct entry {
    char name[256];
    struct timespec mtime;
    off_t size;
};

static int by_age(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return (x->mtime.tv_sec > y->mtime.tv_sec) - (x->mtime.tv_sec < y->mtime.tv_sec);
    return (x->mtime.tv_nsec > y->mtime.tv_nsec) - (x->mtime.tv_nsec < y->mtime.tv_nsec);
}

/*
 * Remove the oldest audio files until the directory holds at most `cap`
 * bytes, sparing `keep` (the file just written).
 */
static void evict(const char *dir, size_t cap, const char *keep)
{
    DIR *d = opendir(dir);
    struct entry *v = NULL;
    size_t n = 0, alloc = 0;
    uint64_t total = 0;
    struct dirent *de;
    char path[4096];

    if (!d)
        return;
    while ((de = readdir(d))) {
        struct stat st;
        if (de->d_name[0] != 'a' || strlen(de->d_name) >= sizeof(v->name))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
            continue;
        if (n == alloc) {
            alloc = alloc ? alloc * 2 : 64;
            v = td_xrealloc(v, alloc * sizeof(*v));
        }
        snprintf(v[n].name, sizeof(v[n].name), "%s", de->d_name);
        v[n].mtime = st.st_mtim;
        v[n].size = st.st_size;
        total += (uint64_t)st.st_size;
        n++;
    }
    closedir(d);
    if (total > cap) {
        qsort(v, n, sizeof(*v), by_age);
        for (size_t i = 0; i < n && total > cap; i++) {
            snprintf(path, sizeof(path), "%s/%s", dir, v[i].name);
            if (!strcmp(path, keep))
                continue;
            if (unlink(path) == 0) {
                total -= (uint64_t)v[i].size;
                td_log_info("listen cache evicted file=%s", v[i].name);
            }
        }
    }
    free(v);
}

int td_web_listen_get(const struct td_web_listen *l, int64_t id, const char *text, const char *lang,
                      struct td_buf *out, bool *hit)
{
    enum td_tts_format fmt = td_tts_format();
    uint64_t h = fnv1a(fnv1a(0xcbf29ce484222325ULL, lang ? lang : ""), text);
    char path[4096];
    size_t start = out->len;
    int rc;

    snprintf(path, sizeof(path), "%s/a%" PRId64 "-%016" PRIx64 ".%s", l->dir, id, h,
             td_tts_ext(fmt));
    if (hit)
        *hit = true;
    if ((rc = read_file(path, l->file_cap, out)) != TD_ENOTFOUND)
        return rc;
    pthread_mutex_lock(&miss_lock);
    /* Another request may have made it while we waited. */
    rc = read_file(path, l->file_cap, out);
    if (rc != TD_ENOTFOUND)
        goto out;
    if (hit)
        *hit = false;
    struct td_buf audio;
    td_buf_init(&audio, l->file_cap);
    rc = td_tts_speak(text, strlen(text), lang, &audio);
    if (rc == 0) {
        if (mkdir(l->dir, 0755) < 0 && errno != EEXIST)
            td_log_warn("listen cache: cannot create dir=%s", l->dir);
        if (write_file(l->dir, path, audio.buf, audio.len) < 0)
            td_log_warn("listen cache: cannot write file=%s", path);
        else
            evict(l->dir, l->dir_cap, path);
        rc = td_buf_append(out, audio.buf, audio.len);
    }
    td_buf_release(&audio);
out:
    pthread_mutex_unlock(&miss_lock);
    if (rc < 0)
        td_buf_truncate(out, start);
    return rc;
}
