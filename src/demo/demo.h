/*
 * demo.h - the bundled demo corpus behind `tidings demo`.
 *
 * The corpus (src/demo/corpus/) is a handful of invented outlets: their home
 * pages, feeds (RSS 2.0, Atom, JSON Feed, one of them malformed), article
 * pages wrapped in the clutter real sites put around an article, lead
 * images and site icons.  build_corpus.py turns it into a table of files at
 * build time, so the binary carries it and needs neither the source tree
 * nor the network.
 *
 * Feeds and pages hold placeholders that are filled when the corpus is
 * published, so that links point at the port the fixture server got and
 * dates are relative to the moment the demo starts ("5 hours ago" stays
 * true whenever it runs):
 *
 *     {{base}}          http://127.0.0.1:PORT (no trailing slash)
 *     {{rfc822:-N}}     now - N seconds, "Wed, 02 Dec 2026 09:14:00 +0000"
 *     {{rfc3339:-N}}    now - N seconds, "2026-12-02T09:14:00Z"
 *     {{date:-N}}       now - N seconds, "2 December 2026, 09:14 UTC"
 *
 *     struct td_fixture *f = td_fixture_start(0);
 *     td_demo_publish(f, time(NULL));
 *     for (size_t i = 0; i < td_demo_feeds_count; i++)
 *         ... subscribe to td_fixture_url(f, td_demo_feeds[i], url) ...
 */
#ifndef TD_DEMO_H
#define TD_DEMO_H

#include "base/compat.h"
#include "base/buf.h"

struct td_fixture;

/* One file of the corpus, served at `path`. */
struct td_demo_file {
    const char *path;         /* "/meridian/feed.xml" */
    const char *content_type; /* sent as Content-Type */
    const char *data;
    size_t len;
    bool templated; /* holds placeholders (text files); images do not */
};

/* The embedded corpus (generated at build time). */
extern const struct td_demo_file td_demo_files[];
extern const size_t td_demo_files_count;
/* The path of each outlet's feed, in the order outlets are subscribed. */
extern const char *const td_demo_feeds[];
extern const size_t td_demo_feeds_count;

/* The most bytes one rendered file may take. */
#define TD_DEMO_FILE_MAX (4u << 20)

/*
 * Append `tmpl` (`len` bytes) to `out` with its placeholders filled: `base`
 * for {{base}}, `now` (Unix seconds) for the dates.  TD_EPARSE, with `out`
 * holding what was rendered so far, for an unknown or unterminated
 * placeholder; TD_ETOOBIG past TD_DEMO_FILE_MAX.
 */
int td_demo_render(const char *tmpl, size_t len, const char *base, int64_t now, struct td_buf *out);

/*
 * Render every corpus file for the server `f` and `now`, and add each as a
 * route of `f` (with an ETag, so the crawler's conditional requests get
 * 304s as from a real site).  TD_EPARSE names a corpus file that does not
 * render (a bug in the corpus) on stderr.
 */
int td_demo_publish(struct td_fixture *f, int64_t now);

#endif
