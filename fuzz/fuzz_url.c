/*
 * fuzz_url.c - libFuzzer target for base/url.
 *
 * The input is "BASE\nREF" (or just REF against a fixed base).  Besides
 * looking for crashes it checks two properties of every successful
 * resolution: the result parses, and resolving it again changes nothing
 * (normalisation is idempotent), which catches output that reads back as a
 * different URL.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_str in = td_str_make((const char *)data, size);
    struct td_str base = TD_STR_LIT("http://a/b/c/d;p?q");
    struct td_str ref = in;
    const char *nl = memchr(in.ptr, '\n', in.len);
    struct td_buf out = TD_BUF_INIT(TD_URL_MAX);
    struct td_buf again = TD_BUF_INIT(TD_URL_MAX);
    struct td_url u;

    if (nl) {
        base = td_str_make(in.ptr, (size_t)(nl - in.ptr));
        ref = td_str_make(nl + 1, in.len - base.len - 1);
    }
    (void)td_url_parse(in, &u);
    (void)td_url_is_http(ref);
    if (td_url_resolve(base, ref, &out) == 0) {
        TD_ASSERT(td_url_parse(td_buf_str(&out), &u) == 0);
        TD_ASSERT(u.scheme.len > 0);
        TD_ASSERT(td_url_resolve(TD_STR_NULL, td_buf_str(&out), &again) == 0);
        TD_ASSERT(td_str_eq(td_buf_str(&out), td_buf_str(&again)));
    }
    td_buf_release(&out);
    td_buf_release(&again);
    return 0;
}
