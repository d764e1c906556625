/*
 * cmd_parse_feed.c - `tidings parse-feed [--json] [--url BASE]
 * [--content-type TYPE] [--content-language LANG] [--default-zone ZONE]
 * [--allow-private] [--raw] FILE|URL|-...`: parse feeds and print the
 * normalized model, as
 * feedparser-named JSON (one document per line when several inputs are
 * given) or as a readable summary.  URLs are fetched with the net module's
 * guarded client: private and loopback addresses are refused unless
 * --allow-private.  --raw skips HTML sanitizing (for conformance runs).
 */
#include "base/compat.h"
#include "base/date.h"
#include "base/error.h"
#include "cli/cli.h"
#include "feed/feed.h"
#include "net/net.h"

#include <errno.h>

/* Read all of `in` into `out` (capped). */
static int slurp(FILE *in, struct td_buf *out)
{
    char chunk[65536];
    size_t n;
    int err;
    while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
        if ((err = td_buf_append(out, chunk, n)) < 0)
            return err;
    return ferror(in) ? TD_EIO : 0;
}

static void print_date(const char *label, const struct td_feed_date *d)
{
    char iso[32];
    if (!(d->flags & TD_FEED_DATE_SET))
        return;
    td_date_format_iso(d->t, iso, sizeof(iso));
    printf("  %s: %s%s\n", label, iso, d->flags & TD_FEED_DATE_FUTURE ? " (future, clamped)" : "");
}

static void print_text(const struct td_feed *f)
{
    printf("%s feed%s: %s\n",
           *td_feed_version_name(f->version) ? td_feed_version_name(f->version) : "unknown",
           f->bozo ? " (recovered)" : "", f->title.value);
    if (f->bozo)
        printf("  bozo: %s\n", f->bozo_reason);
    printf("  encoding: %s\n", f->encoding);
    if (*f->link)
        printf("  link: %s\n", f->link);
    if (*f->language)
        printf("  language: %s\n", f->language);
    print_date("updated", &f->updated);
    printf("  entries: %zu\n", f->n_entries);
    for (size_t i = 0; i < f->n_entries; i++) {
        const struct td_feed_entry *e = &f->entries[i];
        printf("\n%zu. %s\n", i + 1, *e->title.value ? e->title.value : "(untitled)");
        if (*e->link)
            printf("  link: %s\n", e->link);
        printf("  key: %s\n", e->key);
        if (*e->author)
            printf("  author: %s\n", e->author);
        print_date("published", &e->published);
        print_date("updated", &e->updated);
        for (size_t j = 0; j < e->n_enclosures; j++)
            printf("  enclosure: %s (%s)\n", e->enclosures[j].url, e->enclosures[j].type);
    }
}

static int usage(void)
{
    fprintf(stderr, "usage: tidings parse-feed [--json] [--url BASE] [--content-type TYPE] "
                    "[--content-language LANG] [--default-zone ZONE] [--allow-private] [--raw] "
                    "FILE|URL|-...\n");
    return 2;
}

static bool is_url(const char *s)
{
    return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8);
}

/*
 * Fetch a feed over HTTP (SSRF guard on unless allow_private) into `data`;
 * the final URL and Content-Type are kept in `resp` for the parser.
 */
static int fetch(const char *url, bool allow_private, struct td_net_response *resp,
                 struct td_buf *data)
{
    struct td_net_opts no = {.max_body = TD_FEED_MAX_BYTES, .allow_private = allow_private};
    int err = td_net_get(url, &no, resp);
    if (err < 0) {
        fprintf(stderr, "tidings parse-feed: %s: %s%s%s\n", url, td_strerror(err),
                *resp->error ? ": " : "", resp->error);
        return err;
    }
    return td_buf_append(data, resp->body.buf, resp->body.len);
}

/* Parse one input and print it; 0 or 1 (failure already reported). */
static int parse_one(const char *path, const struct td_feed_opts *base_opts, bool allow_private,
                     bool json, bool many)
{
    struct td_buf data = TD_BUF_INIT(TD_FEED_MAX_BYTES + 1), out = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_net_response resp;
    struct td_feed_opts o = *base_opts;
    const struct td_feed_opts *opts = &o;
    struct td_feed *f = NULL;
    int err, status = 1;

    td_net_response_init(&resp);
    if (is_url(path)) {
        if ((err = fetch(path, allow_private, &resp, &data)) < 0)
            goto fail;
        if (!o.url)
            o.url = resp.url ? resp.url : path;
        if (!o.content_type)
            o.content_type = resp.content_type;
    } else if (!strcmp(path, "-")) {
        err = slurp(stdin, &data);
    } else {
        FILE *in = fopen(path, "rb");
        if (!in) {
            fprintf(stderr, "tidings parse-feed: %s: %s\n", path, strerror(errno));
            err = TD_EIO;
            goto fail;
        }
        err = slurp(in, &data);
        fclose(in);
    }
    if (err < 0 || (err = td_feed_parse(data.buf, data.len, opts, &f)) < 0) {
        fprintf(stderr, "tidings parse-feed: %s: %s\n", path, td_strerror(err));
        goto fail;
    }
    if (json) {
        if (td_feed_to_json(f, &out) < 0)
            goto fail;
        /* One document per line when several files are given (JSON Lines). */
        if (many && out.len && out.buf[out.len - 1] == '\n')
            out.len--;
        fwrite(out.buf, 1, out.len, stdout);
        if (many)
            printf("\n");
    } else {
        if (many)
            printf("== %s\n", path);
        print_text(f);
    }
    status = 0;
    goto out;
fail:
    if (json && many)
        printf("{\"error\":\"%s\"}\n", td_strerror(err));
out:
    td_feed_free(f);
    td_net_response_release(&resp);
    td_buf_release(&data);
    td_buf_release(&out);
    return status;
}

int td_cmd_parse_feed(int argc, char **argv)
{
    struct td_feed_opts opts = {0};
    bool json = false, allow_private = false;
    int status = 0, first = 0;

    for (int i = 1; i < argc && !first; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "--allow-private")) {
            allow_private = true;
        } else if (!strcmp(a, "--raw")) {
            opts.flags |= TD_FEED_NO_SANITIZE;
        } else if (!strcmp(a, "--url") && i + 1 < argc) {
            opts.url = argv[++i];
        } else if (!strcmp(a, "--content-type") && i + 1 < argc) {
            opts.content_type = argv[++i];
        } else if (!strcmp(a, "--content-language") && i + 1 < argc) {
            opts.content_language = argv[++i];
        } else if (!strcmp(a, "--default-zone") && i + 1 < argc) {
            opts.default_zone = argv[++i];
            if (!td_date_zone_known(td_str_c(opts.default_zone))) {
                fprintf(stderr, "tidings parse-feed: unknown zone '%s'\n", opts.default_zone);
                return 2;
            }
        } else if (!strcmp(a, "--")) {
            first = i + 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage();
        } else {
            first = i;
        }
    }
    if (!first || first >= argc)
        return usage();
    bool many = argc - first > 1;
    for (int i = first; i < argc; i++)
        if (parse_one(argv[i], &opts, allow_private, json, many))
            status = 1;
    return status;
}
