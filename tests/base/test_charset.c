/*
 * Tests for base/charset (the BOM -> HTTP -> meta -> UTF-8 -> uchardet ->
 * windows-1252 chain) and base/inflate.  Encoded bytes are written out by
 * hand as escapes; the longer unlabelled texts that exercise uchardet are
 * encoded with iconv at test time.
 */
#include "base/compat.h"
#include "base/charset.h"
#include "base/error.h"
#include "base/inflate.h"
#include "base/utf8.h"

#include "harness/gzip.h"
#include "harness/tap.h"

#include <iconv.h>
#include <pthread.h>

#define S(lit) (lit), (sizeof(lit) - 1)

/* "新闻报道：今天北京天气晴朗。" in GB2312 and in UTF-8. */
#define GB_NEWS                                                                                    \
    "\xd0\xc2\xce\xc5\xb1\xa8\xb5\xc0\xa3\xba\xbd\xf1\xcc\xec\xb1\xb1\xbe\xa9\xcc\xec\xc6\xf8\xc7" \
    "\xe7\xc0\xca\xa1\xa3"
#define U8_NEWS "新闻报道：今天北京天气晴朗。"

/* Decode and return a malloc'd string; `used` gets the encoding. */
static char *decode(const char *data, size_t len, const char *content_type, bool is_xml,
                    const char **used)
{
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_charset_opts o = {.content_type = content_type, .is_xml = is_xml};

    ASSERT_OK(td_charset_to_utf8(data, len, &o, &out, used));
    ASSERT(td_utf8_valid(out.buf, out.len));
    ASSERT_EQ(strlen(out.buf), out.len); /* no NUL inside */
    return td_buf_detach(&out, NULL);
}

static void expect(const char *data, size_t len, const char *ct, const char *want_enc,
                   const char *want_text)
{
    const char *used = NULL;
    char *s = decode(data, len, ct, false, &used);

    ASSERT_STR_EQ(used, want_enc);
    ASSERT_CONTAINS(s, want_text);
    free(s);
}

static void test_gb2312_meta(void)
{
    expect(S("<html><head><meta charset=\"gb2312\"><title>x</title></head><body>" GB_NEWS), NULL,
           "gb18030", U8_NEWS);
    /* GBK-only character (U+9555) under a gb2312 label, as browsers allow. */
    expect(S("<meta charset=GB2312><p>\xd6\xec\xe9\x46\xbb\xf9</p>"), NULL, "gb18030", "朱镕基");
    expect(S("<meta charset='x-gbk'>" GB_NEWS), NULL, "gb18030", U8_NEWS);
}

static void test_shift_jis_http_equiv(void)
{
    /* "日本語のニュース①": ① (0x8740) exists only in the CP932 extension. */
    expect(S("<html><head><meta http-equiv=\"Content-Type\" "
             "content=\"text/html; charset=Shift_JIS\"></head><body>"
             "\x93\xfa\x96{\x8c\xea\x82\xcc\x83j\x83\x85\x81[\x83X\x87@"),
           NULL, "shift_jis", "日本語のニュース①");
}

static void test_latin1_is_windows_1252(void)
{
    /* 0x80 is the euro sign in windows-1252, which browsers use for latin1. */
    expect(S("<meta charset=iso-8859-1><p>caf\xe9 \x80 5 \x93quoted\x94</p>"), NULL, "windows-1252",
           "café € 5 “quoted”");
    expect(S("<meta charset=latin1><p>na\xefve</p>"), NULL, "windows-1252", "naïve");
    expect(S("<meta charset=us-ascii><p>\xe9</p>"), NULL, "windows-1252", "é");
}

static void test_boms(void)
{
    /* A BOM beats both the header and the meta. */
    expect(S("\xef\xbb\xbf<meta charset=latin1>caf\xc3\xa9"), "text/html; charset=koi8-r", "utf-8",
           "<meta charset=latin1>café");
    const char *used;
    char *s = decode(S("\xef\xbb\xbfx"), NULL, false, &used);
    ASSERT_STR_EQ(s, "x"); /* the BOM itself is not output */
    free(s);
    expect(S("\xff\xfe<\0p\0>\0\xe9\0\xac\x20"), "text/html; charset=utf-8", "utf-16le", "<p>é€");
    expect(S("\xfe\xff\0<\0p\0>\0\xe9\x20\xac"), NULL, "utf-16be", "<p>é€");
    /* An odd trailing byte in UTF-16 becomes U+FFFD. */
    expect(S("\xff\xfe"
             "a\0b"),
           NULL, "utf-16le", "a\xef\xbf\xbd");
}

static void test_invalid_utf8_replaced(void)
{
    const char *used;
    char *s = decode(S("<meta charset=utf-8><p>ok \xc3\xa9 bad \xff\xfe and \xe2\x82 end</p>"),
                     NULL, false, &used);
    ASSERT_STR_EQ(used, "utf-8");
    ASSERT_CONTAINS(s, "ok é bad \xef\xbf\xbd\xef\xbf\xbd and \xef\xbf\xbd end");
    free(s);
    /* NUL becomes U+FFFD so that the result is a C string. */
    s = decode("a\0b", 3, "text/html;charset=utf-8", false, &used);
    ASSERT_STR_EQ(s, "a\xef\xbf\xbd"
                     "b");
    free(s);
}

static void test_http_header_overrides_meta(void)
{
    expect(S("<meta charset=utf-8><p>\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0</p>"),
           "text/html; charset=windows-1251", "windows-1251", "Привет, мир");
    expect(S("<meta charset=utf-8><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>"),
           "text/html; Charset=\"KOI8-R\"; foo=bar", "koi8-r", "Привет");
    /* An unknown header label is ignored and the meta used. */
    expect(S("<meta charset=gbk>" GB_NEWS), "text/html; charset=bogus-42", "gb18030", U8_NEWS);
    expect(S("<meta charset=gbk>" GB_NEWS), "text/html", "gb18030", U8_NEWS);
}

static void test_prescan_rules(void)
{
    /* A meta inside a comment does not count. */
    expect(S("<!-- <meta charset=koi8-r> --><meta charset=euc-kr>"
             "\xc7\xd1\xb1\xb9\xbe\xee \xb4\xba\xbd\xba"),
           NULL, "euc-kr", "한국어 뉴스");
    /* http-equiv content without the pragma is ignored (then UTF-8 is valid). */
    expect(S("<meta content=\"text/html; charset=koi8-r\"><p>plain</p>"), NULL, "utf-8", "plain");
    /* Attribute values in other tags are skipped over, not searched. */
    expect(S("<div title='<meta charset=koi8-r>'></div><meta charset=windows-1251>\xcf"), NULL,
           "windows-1251", "П");
    /* A meta saying UTF-16 means UTF-8. */
    expect(S("<meta charset=utf-16><p>caf\xc3\xa9</p>"), NULL, "utf-8", "café");

    /* A meta after the first 1024 bytes is not seen. */
    struct td_buf page = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_buf_append_c(&page, "<html><head>"));
    for (int i = 0; i < 120; i++)
        ASSERT_OK(td_buf_append_c(&page, "<!---->   "));
    ASSERT_OK(td_buf_append_c(&page, "<meta charset=koi8-r><p>plain ascii</p>"));
    expect(page.buf, page.len, NULL, "utf-8", "plain ascii");
    td_buf_release(&page);
}

static void test_xml_declaration(void)
{
    const char *used;
    char *s = decode(S("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>caf\xe9</rss>"), NULL,
                     true, &used);
    ASSERT_STR_EQ(used, "windows-1252");
    ASSERT_CONTAINS(s, "café");
    free(s);
    /* In HTML mode the XML declaration is not a label. */
    s = decode(S("<?xml version=\"1.0\" encoding=\"koi8-r\"?><p>\xc3\xa9</p>"), NULL, false, &used);
    ASSERT_STR_EQ(used, "utf-8");
    free(s);
    s = decode(S("<?xml version='1.0' encoding='gb2312'?><rss>" GB_NEWS "</rss>"), NULL, true,
               &used);
    ASSERT_STR_EQ(used, "gb18030");
    ASSERT_CONTAINS(s, U8_NEWS);
    free(s);
}

/* Encode UTF-8 `text` into `enc` with iconv. */
static char *encode(const char *text, const char *enc, size_t *len)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    size_t inleft = strlen(text), outleft = inleft * 4 + 16;
    char *out = malloc(outleft), *o = out, *in = (char *)text;

    ASSERT(cd != (iconv_t)-1 && out);
    ASSERT(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    iconv_close(cd);
    *len = (size_t)(o - out);
    return out;
}

static void test_unlabelled_pages(void)
{
    static const char zh[] =
        "<html><body><p>新华社北京电 国务院总理今天主持召开国务院常务会议，部署进一步扩大内需，"
        "促进经济平稳健康发展。会议指出，当前我国经济运行总体平稳，但外部环境复杂严峻，"
        "必须坚持稳中求进工作总基调，加强政策协调，增强经济发展的内生动力。</p></body></html>";
    static const char fr[] =
        "<html><body><p>Le président de la République a présenté mercredi son projet de "
        "réforme, qui prévoit une hausse des dépenses de santé et une baisse des impôts pour "
        "les ménages les plus modestes. « C'est une étape décisive », a-t-il déclaré.</p>"
        "</body></html>";
    size_t n;
    const char *used;

    char *gb = encode(zh, "GB2312", &n);
    char *s = decode(gb, n, NULL, false, &used);
    ASSERT_STR_EQ(used, "gb18030");
    ASSERT_CONTAINS(s, "国务院常务会议");
    free(s);
    free(gb);

    char *l1 = encode(fr, "ISO-8859-1", &n);
    s = decode(l1, n, NULL, false, &used);
    ASSERT_STR_EQ(used, "windows-1252");
    ASSERT_CONTAINS(s, "« C'est une étape décisive »");
    free(s);
    free(l1);

    /* UTF-8 with one stray byte is still UTF-8, the byte becomes U+FFFD. */
    s = decode(S("<p>Ünïcödé téxt wïth àccents, ünd one stray \xe9 byte.</p>"), NULL, false, &used);
    ASSERT_STR_EQ(used, "utf-8");
    ASSERT_CONTAINS(s, "stray \xef\xbf\xbd byte");
    free(s);
    /* Cut off mid-character at the end (a capped download): UTF-8. */
    s = decode(S("<p>caf\xc3\xa9 \xe2\x82"), NULL, false, &used);
    ASSERT_STR_EQ(used, "utf-8");
    free(s);
}

static void test_mislabelled_pages(void)
{
    /* Labelled UTF-8 but really latin1: the label wins, bytes become U+FFFD. */
    expect(S("<meta charset=utf-8><p>caf\xe9</p>"), NULL, "utf-8", "caf\xef\xbf\xbd");
    /* An unknown label falls through to detection. */
    expect(S("<meta charset=x-made-up><p>caf\xc3\xa9</p>"), NULL, "utf-8", "café");
    /* Labelled GBK but containing bytes GBK cannot decode. */
    expect(S("<meta charset=gbk><p>\xd0\xc2\xff\xff\xce\xc5</p>"), NULL, "gb18030",
           "新\xef\xbf\xbd");
    /* Truncated double-byte sequence at the end. */
    expect(S("<meta charset=gbk>\xd0\xc2\xce"), NULL, "gb18030", "新\xef\xbf\xbd");
    /* Empty input. */
    expect("", 0, NULL, "utf-8", "");
}

static void test_cap(void)
{
    struct td_buf out = TD_BUF_INIT(10);
    const char *used;

    ASSERT_OK(td_buf_append_c(&out, "ab"));
    ASSERT_EQ(td_charset_to_utf8(S("<meta charset=gbk>" GB_NEWS), NULL, &out, &used), TD_ETOOBIG);
    ASSERT_STR_EQ(out.buf, "ab");
    ASSERT_EQ(td_charset_to_utf8(S("0123456789"), NULL, &out, &used), TD_ETOOBIG);
    ASSERT_STR_EQ(out.buf, "ab");
    ASSERT_OK(td_charset_to_utf8(S("12345678"), NULL, &out, &used));
    ASSERT_STR_EQ(out.buf, "ab12345678");
    td_buf_release(&out);
    ASSERT_EQ(td_charset_decode(S("x"), "no-such-charset", &out), TD_EENCODING);
}

static void test_labels(void)
{
    ASSERT_STR_EQ(td_charset_canonical(S("  LATIN1 ")), "windows-1252");
    ASSERT_STR_EQ(td_charset_canonical(S("utf8")), "utf-8");
    ASSERT_STR_EQ(td_charset_canonical(S("Shift_JIS")), "shift_jis");
    ASSERT_STR_EQ(td_charset_canonical(S("sjis")), "shift_jis");
    ASSERT_STR_EQ(td_charset_canonical(S("GB2312")), "gb18030");
    ASSERT_STR_EQ(td_charset_canonical(S("x-gbk")), "gb18030");
    ASSERT_STR_EQ(td_charset_canonical(S("euc-kr")), "euc-kr");
    ASSERT_STR_EQ(td_charset_canonical(S("iso-8859-9")), "windows-1254");
    ASSERT_STR_EQ(td_charset_canonical(S("tis-620")), "windows-874");
    ASSERT(td_charset_canonical(S("utf-7")) == NULL);
    ASSERT(td_charset_canonical(S("")) == NULL);
    ASSERT(td_charset_canonical(NULL, 0) == NULL);
}

static void test_gunzip(void)
{
    size_t n, n2;
    unsigned char *gz = gzip(S("<p>hello gzip</p>"), &n);
    struct td_buf out = TD_BUF_INIT(TD_BUF_NOCAP);
    const char *why = NULL;

    ASSERT(td_inflate_is_gzip(gz, n));
    ASSERT(!td_inflate_is_gzip("<p>", 3));
    ASSERT(!td_inflate_is_gzip("\x1f", 1));
    ASSERT_OK(td_inflate_gunzip(gz, n, &out, &why));
    ASSERT_STR_EQ(out.buf, "<p>hello gzip</p>");

    /* Two members concatenated, then trailing zeros (as tar pads). */
    unsigned char *gz2 = gzip(S(" and more"), &n2);
    unsigned char *cat = malloc(n + n2 + 8);
    memcpy(cat, gz, n);
    memcpy(cat + n, gz2, n2);
    memset(cat + n + n2, 0, 8);
    td_buf_reset(&out);
    ASSERT_OK(td_inflate_gunzip(cat, n + n2 + 8, &out, &why));
    ASSERT_STR_EQ(out.buf, "<p>hello gzip</p> and more");

    /* Truncated: every proper prefix past the magic fails cleanly. */
    for (size_t cut = 2; cut < n; cut++) {
        td_buf_reset(&out);
        why = NULL;
        ASSERT_EQ(td_inflate_gunzip(gz, cut, &out, &why), TD_EPARSE);
        ASSERT_EQ(out.len, 0);
        ASSERT(why != NULL);
    }
    td_buf_reset(&out);
    ASSERT_EQ(td_inflate_gunzip(gz, n - 4, &out, &why), TD_EPARSE);
    ASSERT_STR_EQ(why, "truncated gzip data");

    /* Corrupt: flip bytes in the deflate body. */
    gz[12] ^= 0xff;
    gz[13] ^= 0xff;
    td_buf_reset(&out);
    ASSERT_EQ(td_inflate_gunzip(gz, n, &out, &why), TD_EPARSE);
    ASSERT_EQ(out.len, 0);
    ASSERT_EQ(td_inflate_gunzip("plain", 5, &out, &why), TD_EPARSE);
    ASSERT_STR_EQ(why, "not gzip data");
    free(gz);
    free(gz2);
    free(cat);
    td_buf_release(&out);
}

static void test_gunzip_bomb_capped(void)
{
    size_t big = 64u << 20, n;
    char *zeros = calloc(1, big);
    ASSERT(zeros);
    unsigned char *gz = gzip(zeros, big, &n);
    free(zeros);
    ASSERT_LT(n, 1u << 20);

    struct td_buf out = TD_BUF_INIT(1u << 20);
    const char *why;
    ASSERT_OK(td_buf_append_c(&out, "kept"));
    ASSERT_EQ(td_inflate_gunzip(gz, n, &out, &why), TD_ETOOBIG);
    ASSERT_STR_EQ(why, "gzip output over the size cap");
    ASSERT_STR_EQ(out.buf, "kept");
    ASSERT_LT(out.alloc, 4u << 20);
    td_buf_release(&out);
    free(gz);
}

/* Decode with td_charset_decode into a fresh buffer capped at `cap`. */
static int decode_as(const char *data, size_t len, const char *name, size_t cap, char **text)
{
    struct td_buf out = TD_BUF_INIT(cap);
    int err = td_charset_decode(data, len, name, &out);

    *text = err ? NULL : td_buf_detach(&out, NULL);
    td_buf_release(&out);
    return err;
}

/*
 * Converters are cached per thread: one left in a shifted state (ISO-2022-JP
 * in JIS X 0208 mode when the output cap cut decoding short) must start the
 * next document in its initial state.
 */
static void test_converter_reset_between_documents(void)
{
    char *s;

    /* ESC $ B switches to JIS X 0208; "0!" is then U+4E9C, and "A" repeats. */
    ASSERT_EQ(decode_as(S("\x1b$B0!0!0!0!0!0!0!0!"), "iso-2022-jp", 4, &s), TD_ETOOBIG);
    ASSERT_OK(decode_as(S("0!AB"), "iso-2022-jp", 64, &s));
    ASSERT_STR_EQ(s, "0!AB");
    free(s);
    ASSERT_OK(decode_as(S("\x1b$B0!"), "iso-2022-jp", 64, &s));
    ASSERT_STR_EQ(s, "\xe4\xba\x9c");
    free(s);
    ASSERT_OK(decode_as(S("\xe9t\xe9"), "latin1", 64, &s));
    ASSERT_STR_EQ(s, "\xc3\xa9t\xc3\xa9");
    free(s);
    td_charset_thread_cleanup();
    ASSERT_OK(decode_as(S("0!"), "iso-2022-jp", 64, &s)); /* cache rebuilt */
    ASSERT_STR_EQ(s, "0!");
    free(s);
    td_charset_thread_cleanup();
}

/* Threads decoding at once each get their own converters, closed at exit. */
static void *decode_many(void *arg)
{
    const char *name = arg;
    for (int i = 0; i < 200; i++) {
        char *s;
        if (decode_as(S("caf\xe9 \xa4"), name, 64, &s) != 0)
            return "decode failed";
        bool ok = strncmp(s, "caf\xc3\xa9 ", 6) == 0;
        free(s);
        if (!ok)
            return "wrong text";
    }
    return NULL;
}

static void test_converters_per_thread(void)
{
    static char *names[] = {"windows-1252", "iso-8859-15", "windows-1252", "iso-8859-15"};
    pthread_t t[4];

    for (int i = 0; i < 4; i++)
        ASSERT_EQ(pthread_create(&t[i], NULL, decode_many, names[i]), 0);
    for (int i = 0; i < 4; i++) {
        void *why;
        ASSERT_EQ(pthread_join(t[i], &why), 0);
        ASSERT_STR_EQ(why ? (char *)why : "ok", "ok");
    }
}

static const struct tap_test tests[] = {
    TAP_TEST(test_gb2312_meta),
    TAP_TEST(test_shift_jis_http_equiv),
    TAP_TEST(test_latin1_is_windows_1252),
    TAP_TEST(test_boms),
    TAP_TEST(test_invalid_utf8_replaced),
    TAP_TEST(test_http_header_overrides_meta),
    TAP_TEST(test_prescan_rules),
    TAP_TEST(test_xml_declaration),
    TAP_TEST(test_unlabelled_pages),
    TAP_TEST(test_mislabelled_pages),
    TAP_TEST(test_cap),
    TAP_TEST(test_labels),
    TAP_TEST(test_gunzip),
    TAP_TEST(test_gunzip_bomb_capped),
    TAP_TEST(test_converter_reset_between_documents),
    TAP_TEST(test_converters_per_thread),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
