/*
 * input.h - the bytes behind one command-line INPUT.
 *
 * `tidings extract` (and any subcommand that takes pages) accepts a file
 * path, "-" for standard input, or an http(s) URL.  td_cli_input_load reads
 * the raw bytes under a size cap, gunzips them when they start with the
 * gzip magic (files are often saved as .html.gz), and for URLs records the
 * final URL and the Content-Type the server sent, which the charset chain
 * needs.  Every failure comes with a one-line message for the user.
 */
#ifndef TD_CLI_INPUT_H
#define TD_CLI_INPUT_H

#include "base/compat.h"
#include "base/buf.h"

#define TD_CLI_INPUT_MAX_FILE (32u << 20)     /* raw bytes from a file or stdin */
#define TD_CLI_INPUT_MAX_INFLATED (32u << 20) /* bytes after gunzip */
#define TD_CLI_INPUT_MAX_FETCH (10u << 20)    /* body bytes from the network */
#define TD_CLI_INPUT_TIMEOUT_MS 20000
#define TD_CLI_INPUT_MAX_REDIRECTS 5

struct td_cli_input_opts {
    bool allow_private; /* let URLs reach loopback and private addresses */
};

struct td_cli_input {
    struct td_buf data; /* the bytes, gunzipped if they were gzip */
    char *content_type; /* HTTP Content-Type of a fetched page, else NULL */
    char *url;          /* final URL of a fetched page, else NULL */
};

/* True if `spec` names an http or https URL rather than a file. */
bool td_cli_input_is_url(const char *spec);

/*
 * Load `spec` into `in` (which need not be initialised).  Returns 0, or a
 * negative TD_E* code with a message such as "cannot open 'x': No such file
 * or directory" or "'x' is larger than the 32 MiB cap" appended to `msg`.
 * `in` must be released with td_cli_input_release either way.
 */
int td_cli_input_load(const char *spec, const struct td_cli_input_opts *opts,
                      struct td_cli_input *in, struct td_buf *msg);

/*
 * Replace the text of `msg` with a formatted message, shortened to 1 KiB
 * if need be (an INPUT named by a huge argument still gets a message).
 */
void td_cli_input_msg(struct td_buf *msg, const char *fmt, ...) TD_PRINTF(2, 3);

/* Free what `in` holds; accepts NULL and an input that failed to load. */
void td_cli_input_release(struct td_cli_input *in);

#endif
