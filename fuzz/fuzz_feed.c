/*
 * fuzz_feed.c - libFuzzer target for the feed module: every input goes
 * through td_feed_parse (all formats, the charset chain, the repair pass,
 * libxml2, the JSON Feed reader, the sanitizer), the JSON writer, and the OPML reader.
 * The first byte picks an HTTP Content-Type so the charset paths that
 * depend on it are reached too.
 */
#include "base/compat.h"
#include "feed/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {NULL, "application/rss+xml", "text/xml",
                                        "text/plain; charset=utf-8", "application/xml; charset=gbk"};
    struct td_feed_opts o = {.url = "https://example.org/feed/", .now = 2000000000};
    struct td_feed *f = NULL;
    struct td_opml *opml = NULL;

    if (size > 0) {
        o.content_type = types[data[0] % TD_ARRAY_SIZE(types)];
        o.default_zone = data[0] & 0x80 ? "America/New_York" : NULL;
    }
    if (td_feed_parse((const char *)data, size, &o, &f) == 0) {
        struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
        if (td_feed_to_json(f, &out) != 0)
            abort();
        td_buf_release(&out);
    }
    td_feed_free(f);
    if (td_opml_parse((const char *)data, size, &opml) == 0) {
        struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
        if (td_opml_write(opml->outlines, opml->n_outlines, opml->title, &out) != 0)
            abort();
        td_buf_release(&out);
    }
    td_opml_free(opml);
    return 0;
}
