/*
 * text_corpus.c - loading the shared benchmark texts (text_corpus.h).
 */
#include "text_corpus.h"

#include <iconv.h>
#include <jansson.h>

char *corpus_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = td_xmalloc(1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *outbuf = td_xmalloc(4 * n + 1);
    const char *from[] = {"UTF-8", "WINDOWS-1252"};
    size_t outl = 0;
    for (int k = 0; k < 2; k++) {
        iconv_t cd = iconv_open("UTF-8", from[k]);
        char *in = buf, *out = outbuf;
        size_t inl = n;
        outl = 4 * n;
        size_t rc = iconv(cd, &in, &inl, &out, &outl);
        iconv_close(cd);
        if (rc != (size_t)-1)
            break;
    }
    *len = 4 * n - outl;
    outbuf[*len] = '\0';
    free(buf);
    /* Drop the CRs of CRLF files. */
    size_t j = 0;
    for (size_t i = 0; i < *len; i++)
        if (outbuf[i] != '\r')
            outbuf[j++] = outbuf[i];
    outbuf[j] = '\0';
    *len = j;
    return outbuf;
}

static struct corpus_doc *push(struct corpus *c)
{
    if (c->n == c->alloc) {
        c->alloc = c->alloc ? c->alloc * 2 : 1024;
        c->d = td_xrealloc(c->d, c->alloc * sizeof(*c->d));
    }
    memset(&c->d[c->n], 0, sizeof(c->d[0]));
    return &c->d[c->n++];
}

/* Split "headline\n\nbody" into the doc's title and text. */
static void headline_body(struct corpus_doc *d, char *all, size_t len)
{
    char *nl = strchr(all, '\n');
    size_t tl = nl ? (size_t)(nl - all) : len;
    d->title = td_xstrndup(all, tl);
    const char *body = nl ? nl + 1 : all + len;
    while (*body == '\n')
        body++;
    d->text = td_xstrdup(body);
    d->len = strlen(d->text);
    free(all);
}

static void load_bbc(struct corpus *c, const char *shared)
{
    char path[4096], line[4096];
    const char *dir = "bench/summaries/bbc-news-summary";
    snprintf(path, sizeof(path), "%s/%s/manifest.jsonl", shared, dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        if (!o)
            continue;
        snprintf(path, sizeof(path), "%s/%s/%s", shared, dir,
                 json_string_value(json_object_get(o, "article")));
        size_t len;
        char *all = corpus_read_file(path, &len);
        if (all) {
            struct corpus_doc *d = push(c);
            d->set = "bbc";
            snprintf(d->label, sizeof(d->label), "%s", json_string_value(json_object_get(o, "id")));
            headline_body(d, all, len);
        }
        json_decref(o);
    }
    fclose(f);
}

static void load_wikiref(struct corpus *c, const char *shared)
{
    char path[4096], line[1024];
    snprintf(path, sizeof(path), "%s/bench/clustering/wikiref220/labels.tsv", shared);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    bool header = true;
    while (fgets(line, sizeof(line), f)) {
        char *topic = strchr(line, '\t'), *noise;
        if (header || !topic) {
            header = false;
            continue;
        }
        *topic++ = '\0';
        noise = strchr(topic, '\t');
        if (!noise)
            continue;
        *noise++ = '\0';
        snprintf(path, sizeof(path), "%s/bench/clustering/wikiref220/articles/%s", shared, line);
        size_t len;
        char *all = corpus_read_file(path, &len);
        if (!all)
            continue;
        struct corpus_doc *d = push(c);
        d->set = "wikiref";
        snprintf(d->label, sizeof(d->label), "%s", topic);
        d->noise = noise[0] == '1';
        headline_body(d, all, len);
    }
    fclose(f);
}

static void load_googlenews(struct corpus *c, const char *shared)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/bench/clustering/googlenews-yin-wang/GoogleNews-TS.jsonl",
             shared);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        if (!o)
            continue;
        struct corpus_doc *d = push(c);
        d->set = "googlenews";
        d->title = td_xstrdup("");
        d->text = td_xstrdup(json_string_value(json_object_get(o, "text")));
        d->len = strlen(d->text);
        snprintf(d->label, sizeof(d->label), "%lld",
                 (long long)json_integer_value(json_object_get(o, "cluster")));
        json_decref(o);
    }
    free(line);
    fclose(f);
}

size_t corpus_load(struct corpus *c, const char *shared, bool bbc, bool wikiref, bool googlenews)
{
    memset(c, 0, sizeof(*c));
    if (bbc)
        load_bbc(c, shared);
    if (wikiref)
        load_wikiref(c, shared);
    if (googlenews)
        load_googlenews(c, shared);
    return c->n;
}

void corpus_release(struct corpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->d[i].title);
        free(c->d[i].text);
    }
    free(c->d);
    memset(c, 0, sizeof(*c));
}
