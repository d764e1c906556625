/*
 * fuzz_charset.c - libFuzzer target for base/charset and base/inflate.
 *
 * The first byte picks the options (a Content-Type from a list of labels
 * that exercise iconv's multibyte and stateful decoders, and XML mode);
 * the rest is the page.  Gzip input is inflated first, as the CLI does.
 * Whatever the bytes, the output must be valid UTF-8 without NUL.
 */
#include "base/compat.h"
#include "base/charset.h"
#include "base/error.h"
#include "base/inflate.h"
#include "base/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const content_types[] = {
    NULL,
    "text/html; charset=utf-8",
    "text/html; charset=gbk",
    "text/html; charset=shift_jis",
    "text/html; charset=utf-16le",
    "text/html; charset=iso-2022-jp",
    "text/html; charset=euc-kr",
    "text/html; charset=big5",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_buf plain = TD_BUF_INIT(1u << 20);
    struct td_buf out = TD_BUF_INIT(1u << 20);
    struct td_charset_opts o = {0};
    const char *used = NULL;

    if (size == 0)
        return 0;
    o.is_xml = data[0] & 1;
    o.content_type = content_types[(data[0] >> 1) % TD_ARRAY_SIZE(content_types)];
    data++, size--;
    if (td_inflate_is_gzip(data, size)) {
        if (td_inflate_gunzip(data, size, &plain, NULL) < 0) {
            TD_ASSERT(plain.len == 0);
            goto out;
        }
        data = (const uint8_t *)plain.buf;
        size = plain.len;
    }
    if (td_charset_to_utf8((const char *)data, size, &o, &out, &used) == 0) {
        TD_ASSERT(used != NULL);
        TD_ASSERT(td_utf8_valid(out.buf, out.len));
        TD_ASSERT(strlen(out.buf) == out.len);
    } else {
        TD_ASSERT(out.len == 0);
    }
out:
    td_buf_release(&plain);
    td_buf_release(&out);
    return 0;
}
