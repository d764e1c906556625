/*
 * input.c - load one command-line INPUT: file, stdin or URL (see input.h).
 *
 * Files are read with read(2) into a capped td_buf; a regular file whose
 * size is already over the cap is refused before reading.  A gzip body
 * (recognised by its magic bytes, not its name) is inflated into a second
 * capped buffer.
 */
#include "base/compat.h"
#include "cli/input.h"
#include "base/error.h"
#include "base/inflate.h"
#include "base/str.h"
#include "net/net.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

void td_cli_input_msg(struct td_buf *msg, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    td_buf_reset(msg);
    if (td_buf_append_c(msg, line) < 0)
        td_buf_truncate(msg, 0);
}

bool td_cli_input_is_url(const char *spec)
{
    struct td_str s = td_str_c(spec);

    return td_str_starts_with_nocase(s, TD_STR_LIT("http://")) ||
           td_str_starts_with_nocase(s, TD_STR_LIT("https://"));
}

/* Read `fd` to its end into `out`, failing once a byte past out's cap arrives. */
static int read_fd(int fd, const char *name, struct td_buf *out, struct td_buf *msg)
{
    for (;;) {
        size_t room = TD_MIN((size_t)65536, out->cap - out->len);
        char probe;
        char *dst = &probe;
        if (room) {
            int err = td_buf_grow(out, room);
            if (err)
                return err;
            dst = out->buf + out->len;
        } else {
            room = 1; /* at the cap: is there anything more? */
        }
        ssize_t n = read(fd, dst, room);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            td_cli_input_msg(msg, "cannot read '%s': %s", name, strerror(errno));
            return TD_EIO;
        }
        if (n == 0)
            return 0;
        if (dst == &probe) {
            td_cli_input_msg(msg, "'%s' is larger than the %u MiB cap", name,
                             (unsigned)(out->cap >> 20));
            return TD_ETOOBIG;
        }
        out->len += (size_t)n;
        out->buf[out->len] = '\0';
    }
}

static int load_file(const char *spec, struct td_cli_input *in, struct td_buf *msg)
{
    bool is_stdin = strcmp(spec, "-") == 0;
    const char *name = is_stdin ? "standard input" : spec;
    int fd = is_stdin ? STDIN_FILENO : open(spec, O_RDONLY | O_CLOEXEC);
    struct stat st;
    int err;

    if (fd < 0) {
        td_cli_input_msg(msg, "cannot open '%s': %s", spec, strerror(errno));
        return errno == ENOENT ? TD_ENOTFOUND : TD_EIO;
    }
    if (fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            td_cli_input_msg(msg, "'%s' is a directory", name);
            err = TD_EINVAL;
            goto out;
        }
        if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > TD_CLI_INPUT_MAX_FILE) {
            td_cli_input_msg(msg, "'%s' is larger than the %u MiB cap", name,
                             TD_CLI_INPUT_MAX_FILE >> 20);
            err = TD_ETOOBIG;
            goto out;
        }
    }
    err = read_fd(fd, name, &in->data, msg);
out:
    if (!is_stdin)
        close(fd);
    return err;
}

static int fetch_url(const char *spec, const struct td_cli_input_opts *opts,
                     struct td_cli_input *in, struct td_buf *msg)
{
    struct td_net_opts no = {
        .max_body = TD_CLI_INPUT_MAX_FETCH,
        .timeout_ms = TD_CLI_INPUT_TIMEOUT_MS,
        .max_redirects = TD_CLI_INPUT_MAX_REDIRECTS,
        .allow_private = opts && opts->allow_private,
    };
    struct td_net_response resp;
    int err;

    td_net_response_init(&resp);
    err = td_net_get(spec, &no, &resp);
    if (err == TD_ETOOBIG) {
        td_cli_input_msg(msg, "'%s' is larger than the %u MiB download cap", spec,
                         TD_CLI_INPUT_MAX_FETCH >> 20);
    } else if (err == TD_EDENIED) {
        td_cli_input_msg(msg, "refusing to fetch '%s': %s (--allow-private permits it)", spec,
                         resp.error[0] ? resp.error : td_strerror(err));
    } else if (err == TD_EHTTP && resp.status) {
        td_cli_input_msg(msg, "cannot fetch '%s': HTTP status %ld", spec, resp.status);
    } else if (err) {
        td_cli_input_msg(msg, "cannot fetch '%s': %s", spec,
                         resp.error[0] ? resp.error : td_strerror(err));
    } else {
        td_buf_release(&in->data);
        in->data = resp.body;
        td_buf_init(&resp.body, 0);
        in->content_type = resp.content_type;
        in->url = resp.url;
        resp.content_type = resp.url = NULL;
    }
    td_net_response_release(&resp);
    return err;
}

int td_cli_input_load(const char *spec, const struct td_cli_input_opts *opts,
                      struct td_cli_input *in, struct td_buf *msg)
{
    int err;

    td_buf_init(&in->data,
                td_cli_input_is_url(spec) ? TD_CLI_INPUT_MAX_FETCH : TD_CLI_INPUT_MAX_FILE);
    in->content_type = NULL;
    in->url = NULL;
    err = td_cli_input_is_url(spec) ? fetch_url(spec, opts, in, msg) : load_file(spec, in, msg);
    if (err)
        return err;
    if (td_inflate_is_gzip(in->data.buf, in->data.len)) {
        struct td_buf plain = TD_BUF_INIT(TD_CLI_INPUT_MAX_INFLATED);
        const char *why = NULL;
        err = td_inflate_gunzip(in->data.buf, in->data.len, &plain, &why);
        if (err) {
            if (err == TD_ETOOBIG)
                td_cli_input_msg(msg, "'%s' inflates to more than the %u MiB cap", spec,
                                 TD_CLI_INPUT_MAX_INFLATED >> 20);
            else
                td_cli_input_msg(msg, "'%s': %s", spec, why);
            td_buf_release(&plain);
            return err;
        }
        td_buf_release(&in->data);
        in->data = plain;
    }
    return 0;
}

void td_cli_input_release(struct td_cli_input *in)
{
    if (!in)
        return;
    td_buf_release(&in->data);
    free(in->content_type);
    free(in->url);
    in->content_type = NULL;
    in->url = NULL;
}
