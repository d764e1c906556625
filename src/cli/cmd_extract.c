/*
 * cmd_extract.c - `tidings extract`: pages in, articles out.
 *
 *     tidings extract [--format json|text|html] [--jsonl] [--url BASE_URL]
 *                     [--allow-private] INPUT...
 *
 * Each INPUT (file, .gz file, "-" or http(s) URL) goes through the same
 * pipeline the crawler uses: load under a cap (cli/input), decode to UTF-8
 * with the charset chain (base/charset), extract (extract/).  One input
 * prints in the chosen format; several inputs, or --jsonl, print one JSON
 * object per line in input order, a failed input included with `error` set.
 * Exit status: 0 when every input worked, 1 when any failed, 2 for usage.
 */
#include "base/compat.h"
#include "base/buf.h"
#include "base/charset.h"
#include "base/error.h"
#include "base/url.h"
#include "base/utf8.h"
#include "cli/cli.h"
#include "cli/input.h"
#include "extract/extract.h"

#include <errno.h>
#include <jansson.h>

enum format { FORMAT_JSON, FORMAT_TEXT, FORMAT_HTML };

struct options {
    enum format format;
    bool jsonl;
    const char *base_url;
    struct td_cli_input_opts input;
};

/* The outcome of one INPUT: an article or a message saying why not. */
struct result {
    const char *source;
    bool ok;
    struct td_article article;
    struct td_buf error;
};

static void usage(FILE *out)
{
    fprintf(out, "usage: tidings extract [--format json|text|html] [--jsonl] [--url BASE_URL]\n"
                 "                       [--allow-private] INPUT...\n"
                 "INPUT is a file (gzip accepted), '-' for standard input, or an http(s) URL.\n"
                 "Several inputs, or --jsonl, print one JSON object per line.\n");
}

/* A JSON string from text that ought to be UTF-8; NULL gives null. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    size_t len = strlen(s);
    if (td_utf8_valid(s, len))
        return json_stringn(s, len);
    struct td_buf fixed = TD_BUF_INIT(TD_BUF_NOCAP);
    json_t *j =
        td_utf8_sanitize(s, len, &fixed) == 0 ? json_stringn(fixed.buf, fixed.len) : json_null();
    td_buf_release(&fixed);
    return j;
}

static json_t *result_json(const struct result *r)
{
    const struct td_article *a = &r->article;
    json_t *o = json_object();

    json_object_set_new(o, "source", jstr(r->source));
    if (!r->ok) {
        static const char *const nulls[] = {"url",      "title",    "author",    "published",
                                            "modified", "language", "site_name", "description",
                                            "image",    "text",     "html",      "word_count"};
        for (size_t i = 0; i < TD_ARRAY_SIZE(nulls); i++)
            json_object_set_new(o, nulls[i], json_null());
        json_object_set_new(o, "error", jstr(r->error.buf));
        return o;
    }
    json_object_set_new(o, "url", jstr(a->url));
    json_object_set_new(o, "title", jstr(a->title));
    json_t *authors = json_array();
    for (size_t i = 0; i < a->n_authors; i++)
        json_array_append_new(authors, jstr(a->authors[i]));
    json_object_set_new(o, "author", authors);
    json_object_set_new(o, "published", jstr(a->published));
    json_object_set_new(o, "modified", jstr(a->modified));
    json_object_set_new(o, "language", jstr(a->language));
    json_object_set_new(o, "site_name", jstr(a->site_name));
    json_object_set_new(o, "description", jstr(a->description));
    if (a->image.url || a->image.caption || a->image.credit) {
        json_t *img = json_object();
        json_object_set_new(img, "url", jstr(a->image.url));
        json_object_set_new(img, "caption", jstr(a->image.caption));
        json_object_set_new(img, "credit", jstr(a->image.credit));
        json_object_set_new(o, "image", img);
    } else {
        json_object_set_new(o, "image", json_null());
    }
    json_object_set_new(o, "text", jstr(a->text));
    json_object_set_new(o, "html", jstr(a->html));
    json_object_set_new(o, "word_count", json_integer((json_int_t)a->word_count));
    json_object_set_new(o, "error", json_null());
    return o;
}

/* Why td_extract said no, in words. */
static const char *extract_error(int err)
{
    switch (err) {
    case TD_EPARSE:
        return "the page could not be parsed as HTML";
    case TD_EEMPTY:
        return "the page has no content";
    }
    return td_strerror(err);
}

/*
 * NUL bytes near the start of a page without a UTF-16 byte-order mark mean
 * an image, an archive or some other binary file, not HTML.
 */
static bool looks_binary(const struct td_buf *b)
{
    const unsigned char *s = (const unsigned char *)b->buf;
    size_t n = TD_MIN(b->len, (size_t)1024);

    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return false;
    return memchr(s, 0, n) != NULL;
}

static void run_one(const char *source, const struct options *opt, struct result *r)
{
    struct td_cli_input in;
    struct td_buf html = TD_BUF_INIT(TD_EXTRACT_MAX_INPUT);
    struct td_charset_opts co = {0};
    struct td_extract_opts eo = {0};
    int err;

    r->source = source;
    r->ok = false;
    td_buf_init(&r->error, 4096);
    err = td_cli_input_load(source, &opt->input, &in, &r->error);
    if (err)
        goto out;
    if (in.data.len == 0) {
        td_cli_input_msg(&r->error, "'%s' is empty", source);
        goto out;
    }
    if (looks_binary(&in.data)) {
        td_cli_input_msg(&r->error, "'%s' is binary data, not an HTML page", source);
        goto out;
    }
    co.content_type = in.content_type;
    err = td_charset_to_utf8(in.data.buf, in.data.len, &co, &html, NULL);
    if (err == TD_ETOOBIG) {
        td_cli_input_msg(&r->error, "'%s' is larger than the extractor's %u MiB cap", source,
                         TD_EXTRACT_MAX_INPUT >> 20);
        goto out;
    } else if (err) {
        td_cli_input_msg(&r->error, "'%s' cannot be decoded: %s", source, td_strerror(err));
        goto out;
    }
    /* An explicit --url wins over where the page was fetched from. */
    eo.base_url = opt->base_url ? opt->base_url : in.url;
    err = td_extract(html.buf, html.len, &eo, &r->article);
    if (err == TD_ETOOBIG) {
        td_cli_input_msg(&r->error, "'%s' is larger than the extractor's %u MiB cap", source,
                         TD_EXTRACT_MAX_INPUT >> 20);
        goto out;
    } else if (err) {
        td_cli_input_msg(&r->error, "'%s': %s", source, extract_error(err));
        goto out;
    }
    r->ok = true;
out:
    td_cli_input_release(&in);
    td_buf_release(&html);
}

static void result_release(struct result *r)
{
    if (r->ok)
        td_article_release(&r->article);
    td_buf_release(&r->error);
}

/* Write `s` with the five HTML-significant characters escaped. */
static void put_escaped(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

static void print_html(const struct td_article *a)
{
    printf("<!DOCTYPE html>\n<html");
    if (a->language) {
        printf(" lang=\"");
        put_escaped(stdout, a->language);
        putchar('"');
    }
    printf(">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    put_escaped(stdout, a->title);
    printf("</title>\n</head>\n<body>\n<article>\n<h1>");
    put_escaped(stdout, a->title);
    printf("</h1>\n%s\n</article>\n</body>\n</html>\n", a->html);
}

static int print_single(const struct result *r, enum format format)
{
    if (format == FORMAT_JSON) {
        json_t *o = result_json(r);
        int rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(o);
        putchar('\n');
        return rc;
    }
    if (!r->ok)
        return 0;
    if (format == FORMAT_TEXT)
        printf("%s\n\n%s\n", r->article.title ? r->article.title : "", r->article.text);
    else
        print_html(&r->article);
    return 0;
}

static int print_line(const struct result *r)
{
    json_t *o = result_json(r);
    int rc = json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);

    json_decref(o);
    putchar('\n');
    return rc;
}

/* Parse "--name VALUE" or "--name=VALUE"; NULL if argv[*i] is not --name. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    size_t n = strlen(name);

    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

int td_cmd_extract(int argc, char **argv)
{
    struct options opt = {.format = FORMAT_JSON};
    int first_input = argc;
    bool missing = false;
    const char *v;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            first_input = i + 1;
            break;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            first_input = i;
            break;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--jsonl") == 0) {
            opt.jsonl = true;
        } else if (strcmp(a, "--allow-private") == 0) {
            opt.input.allow_private = true;
        } else if ((v = option_value(argc, argv, &i, "--format", &missing))) {
            if (strcmp(v, "json") == 0) {
                opt.format = FORMAT_JSON;
            } else if (strcmp(v, "text") == 0) {
                opt.format = FORMAT_TEXT;
            } else if (strcmp(v, "html") == 0) {
                opt.format = FORMAT_HTML;
            } else {
                fprintf(stderr, "tidings extract: unknown format '%s' (json, text or html)\n", v);
                return 2;
            }
        } else if (!missing && (v = option_value(argc, argv, &i, "--url", &missing))) {
            if (!td_url_is_http(td_str_c(v))) {
                fprintf(stderr, "tidings extract: --url needs an absolute http(s) URL, not '%s'\n",
                        v);
                return 2;
            }
            opt.base_url = v;
        } else {
            if (missing)
                fprintf(stderr, "tidings extract: %s needs a value\n", a);
            else
                fprintf(stderr, "tidings extract: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (first_input >= argc) {
        fprintf(stderr, "tidings extract: no INPUT given\n");
        usage(stderr);
        return 2;
    }

    int n_inputs = argc - first_input;
    bool lines = opt.jsonl || n_inputs > 1;
    int status = 0;
    for (int i = first_input; i < argc; i++) {
        struct result r;
        run_one(argv[i], &opt, &r);
        if (!r.ok) {
            status = 1;
            if (!lines)
                fprintf(stderr, "tidings extract: %s\n", r.error.buf);
        }
        if ((lines ? print_line(&r) : print_single(&r, opt.format)) < 0)
            status = 1;
        result_release(&r);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "tidings extract: cannot write the output: %s\n", strerror(errno));
        return 1;
    }
    return status;
}
