/*
 * charset.c - the encoding chain: raw page bytes in, valid UTF-8 out.
 *
 * Detection follows the HTML standard's "encoding sniffing algorithm" in
 * the order browsers apply it: BOM, transport-layer charset, a prescan of
 * the first 1024 bytes for <meta> (or the XML declaration for feeds), then
 * our own two steps before the windows-1252 default: "is it (nearly) valid
 * UTF-8?" and uchardet's statistical guess.  Labels go through a table
 * modelled on the WHATWG Encoding Standard's, so that "latin1" means
 * windows-1252 and "gb2312" means GB18030, as it does in every browser.
 *
 * UTF-8 input is repaired in place of being converted; everything else goes
 * through iconv, where a byte it rejects (EILSEQ, or an incomplete sequence
 * at the end) becomes U+FFFD and decoding resumes one byte later.  Every
 * chunk is validated again on the way out, and NUL becomes U+FFFD too, so
 * callers can treat the result as a C string of valid UTF-8.
 *
 * iconv_open is expensive in glibc (it loads the gconv module, and
 * iconv_close unloads it again), so each thread keeps the converters it
 * has used open, at most one per encoding in the table below, and resets
 * one before reuse.  A
 * thread's converters are closed when it exits (a pthread key destructor)
 * or when it calls td_charset_thread_cleanup().
 */
#include "base/compat.h"
#include "base/charset.h"
#include "base/error.h"
#include "base/str.h"
#include "base/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <uchardet.h>

#define PRESCAN_BYTES 1024
#define UCHARDET_BYTES (256u << 10) /* enough for a confident guess */

struct encoding {
    const char *name;  /* WHATWG name, lowercase */
    const char *iconv; /* glibc iconv name */
};

enum {
    E_UTF8,
    E_UTF16LE,
    E_UTF16BE,
    E_IBM866,
    E_8859_2,
    E_8859_3,
    E_8859_4,
    E_8859_5,
    E_8859_6,
    E_8859_7,
    E_8859_8,
    E_8859_10,
    E_8859_13,
    E_8859_14,
    E_8859_15,
    E_8859_16,
    E_KOI8R,
    E_KOI8U,
    E_MAC,
    E_MACCYR,
    E_874,
    E_1250,
    E_1251,
    E_1252,
    E_1253,
    E_1254,
    E_1255,
    E_1256,
    E_1257,
    E_1258,
    E_GB18030,
    E_BIG5,
    E_EUCJP,
    E_ISO2022JP,
    E_SJIS,
    E_EUCKR,
    E_COUNT
};

static const struct encoding encodings[] = {
    [E_UTF8] = {"utf-8", "UTF-8"},
    [E_UTF16LE] = {"utf-16le", "UTF-16LE"},
    [E_UTF16BE] = {"utf-16be", "UTF-16BE"},
    [E_IBM866] = {"ibm866", "IBM866"},
    [E_8859_2] = {"iso-8859-2", "ISO-8859-2"},
    [E_8859_3] = {"iso-8859-3", "ISO-8859-3"},
    [E_8859_4] = {"iso-8859-4", "ISO-8859-4"},
    [E_8859_5] = {"iso-8859-5", "ISO-8859-5"},
    [E_8859_6] = {"iso-8859-6", "ISO-8859-6"},
    [E_8859_7] = {"iso-8859-7", "ISO-8859-7"},
    [E_8859_8] = {"iso-8859-8", "ISO-8859-8"},
    [E_8859_10] = {"iso-8859-10", "ISO-8859-10"},
    [E_8859_13] = {"iso-8859-13", "ISO-8859-13"},
    [E_8859_14] = {"iso-8859-14", "ISO-8859-14"},
    [E_8859_15] = {"iso-8859-15", "ISO-8859-15"},
    [E_8859_16] = {"iso-8859-16", "ISO-8859-16"},
    [E_KOI8R] = {"koi8-r", "KOI8-R"},
    [E_KOI8U] = {"koi8-u", "KOI8-U"},
    [E_MAC] = {"macintosh", "MACINTOSH"},
    [E_MACCYR] = {"x-mac-cyrillic", "MAC-CYRILLIC"},
    [E_874] = {"windows-874", "CP874"},
    [E_1250] = {"windows-1250", "CP1250"},
    [E_1251] = {"windows-1251", "CP1251"},
    [E_1252] = {"windows-1252", "CP1252"},
    [E_1253] = {"windows-1253", "CP1253"},
    [E_1254] = {"windows-1254", "CP1254"},
    [E_1255] = {"windows-1255", "CP1255"},
    [E_1256] = {"windows-1256", "CP1256"},
    [E_1257] = {"windows-1257", "CP1257"},
    [E_1258] = {"windows-1258", "CP1258"},
    [E_GB18030] = {"gb18030", "GB18030"},
    [E_BIG5] = {"big5", "BIG5-HKSCS"},
    [E_EUCJP] = {"euc-jp", "EUC-JP"},
    [E_ISO2022JP] = {"iso-2022-jp", "ISO-2022-JP"},
    [E_SJIS] = {"shift_jis", "CP932"},
    [E_EUCKR] = {"euc-kr", "CP949"},
};

_Static_assert(sizeof(encodings) / sizeof(encodings[0]) == E_COUNT, "one entry per encoding");

/* Labels, lowercase, as the WHATWG Encoding Standard lists them (plus the
 * names uchardet reports). */
static const struct {
    const char *label;
    int enc;
} labels[] = {
    {"unicode-1-1-utf-8", E_UTF8},
    {"unicode11utf8", E_UTF8},
    {"unicode20utf8", E_UTF8},
    {"utf-8", E_UTF8},
    {"utf8", E_UTF8},
    {"x-unicode20utf8", E_UTF8},
    {"ascii", E_1252},
    {"866", E_IBM866},
    {"cp866", E_IBM866},
    {"csibm866", E_IBM866},
    {"ibm866", E_IBM866},
    {"csisolatin2", E_8859_2},
    {"iso-8859-2", E_8859_2},
    {"iso-ir-101", E_8859_2},
    {"iso8859-2", E_8859_2},
    {"iso88592", E_8859_2},
    {"iso_8859-2", E_8859_2},
    {"iso_8859-2:1987", E_8859_2},
    {"l2", E_8859_2},
    {"latin2", E_8859_2},
    {"csisolatin3", E_8859_3},
    {"iso-8859-3", E_8859_3},
    {"iso-ir-109", E_8859_3},
    {"iso8859-3", E_8859_3},
    {"iso88593", E_8859_3},
    {"iso_8859-3", E_8859_3},
    {"iso_8859-3:1988", E_8859_3},
    {"l3", E_8859_3},
    {"latin3", E_8859_3},
    {"csisolatin4", E_8859_4},
    {"iso-8859-4", E_8859_4},
    {"iso-ir-110", E_8859_4},
    {"iso8859-4", E_8859_4},
    {"iso88594", E_8859_4},
    {"iso_8859-4", E_8859_4},
    {"iso_8859-4:1988", E_8859_4},
    {"l4", E_8859_4},
    {"latin4", E_8859_4},
    {"csisolatincyrillic", E_8859_5},
    {"cyrillic", E_8859_5},
    {"iso-8859-5", E_8859_5},
    {"iso-ir-144", E_8859_5},
    {"iso8859-5", E_8859_5},
    {"iso88595", E_8859_5},
    {"iso_8859-5", E_8859_5},
    {"iso_8859-5:1988", E_8859_5},
    {"arabic", E_8859_6},
    {"asmo-708", E_8859_6},
    {"csiso88596e", E_8859_6},
    {"csiso88596i", E_8859_6},
    {"csisolatinarabic", E_8859_6},
    {"ecma-114", E_8859_6},
    {"iso-8859-6", E_8859_6},
    {"iso-8859-6-e", E_8859_6},
    {"iso-8859-6-i", E_8859_6},
    {"iso-ir-127", E_8859_6},
    {"iso8859-6", E_8859_6},
    {"iso88596", E_8859_6},
    {"iso_8859-6", E_8859_6},
    {"iso_8859-6:1987", E_8859_6},
    {"csisolatingreek", E_8859_7},
    {"ecma-118", E_8859_7},
    {"elot_928", E_8859_7},
    {"greek", E_8859_7},
    {"greek8", E_8859_7},
    {"iso-8859-7", E_8859_7},
    {"iso-ir-126", E_8859_7},
    {"iso8859-7", E_8859_7},
    {"iso88597", E_8859_7},
    {"iso_8859-7", E_8859_7},
    {"iso_8859-7:1987", E_8859_7},
    {"sun_eu_greek", E_8859_7},
    {"csiso88598e", E_8859_8},
    {"csisolatinhebrew", E_8859_8},
    {"hebrew", E_8859_8},
    {"iso-8859-8", E_8859_8},
    {"iso-8859-8-e", E_8859_8},
    {"iso-ir-138", E_8859_8},
    {"iso8859-8", E_8859_8},
    {"iso88598", E_8859_8},
    {"iso_8859-8", E_8859_8},
    {"iso_8859-8:1988", E_8859_8},
    {"visual", E_8859_8},
    {"csiso88598i", E_8859_8},
    {"iso-8859-8-i", E_8859_8},
    {"logical", E_8859_8},
    {"csisolatin6", E_8859_10},
    {"iso-8859-10", E_8859_10},
    {"iso-ir-157", E_8859_10},
    {"iso8859-10", E_8859_10},
    {"iso885910", E_8859_10},
    {"l6", E_8859_10},
    {"latin6", E_8859_10},
    {"iso-8859-13", E_8859_13},
    {"iso8859-13", E_8859_13},
    {"iso885913", E_8859_13},
    {"iso-8859-14", E_8859_14},
    {"iso8859-14", E_8859_14},
    {"iso885914", E_8859_14},
    {"csisolatin9", E_8859_15},
    {"iso-8859-15", E_8859_15},
    {"iso8859-15", E_8859_15},
    {"iso885915", E_8859_15},
    {"iso_8859-15", E_8859_15},
    {"l9", E_8859_15},
    {"iso-8859-16", E_8859_16},
    {"cskoi8r", E_KOI8R},
    {"koi", E_KOI8R},
    {"koi8", E_KOI8R},
    {"koi8-r", E_KOI8R},
    {"koi8_r", E_KOI8R},
    {"koi8-ru", E_KOI8U},
    {"koi8-u", E_KOI8U},
    {"csmacintosh", E_MAC},
    {"mac", E_MAC},
    {"macintosh", E_MAC},
    {"x-mac-roman", E_MAC},
    {"x-mac-cyrillic", E_MACCYR},
    {"x-mac-ukrainian", E_MACCYR},
    {"mac-cyrillic", E_MACCYR},
    {"dos-874", E_874},
    {"iso-8859-11", E_874},
    {"iso8859-11", E_874},
    {"iso885911", E_874},
    {"tis-620", E_874},
    {"windows-874", E_874},
    {"cp1250", E_1250},
    {"windows-1250", E_1250},
    {"x-cp1250", E_1250},
    {"cp1251", E_1251},
    {"windows-1251", E_1251},
    {"x-cp1251", E_1251},
    {"ansi_x3.4-1968", E_1252},
    {"cp1252", E_1252},
    {"cp819", E_1252},
    {"csisolatin1", E_1252},
    {"ibm819", E_1252},
    {"iso-8859-1", E_1252},
    {"iso-ir-100", E_1252},
    {"iso8859-1", E_1252},
    {"iso88591", E_1252},
    {"iso_8859-1", E_1252},
    {"iso_8859-1:1987", E_1252},
    {"l1", E_1252},
    {"latin1", E_1252},
    {"us-ascii", E_1252},
    {"windows-1252", E_1252},
    {"x-cp1252", E_1252},
    {"cp1253", E_1253},
    {"windows-1253", E_1253},
    {"x-cp1253", E_1253},
    {"cp1254", E_1254},
    {"csisolatin5", E_1254},
    {"iso-8859-9", E_1254},
    {"iso-ir-148", E_1254},
    {"iso8859-9", E_1254},
    {"iso88599", E_1254},
    {"iso_8859-9", E_1254},
    {"iso_8859-9:1989", E_1254},
    {"l5", E_1254},
    {"latin5", E_1254},
    {"windows-1254", E_1254},
    {"x-cp1254", E_1254},
    {"cp1255", E_1255},
    {"windows-1255", E_1255},
    {"x-cp1255", E_1255},
    {"cp1256", E_1256},
    {"windows-1256", E_1256},
    {"x-cp1256", E_1256},
    {"cp1257", E_1257},
    {"windows-1257", E_1257},
    {"x-cp1257", E_1257},
    {"cp1258", E_1258},
    {"windows-1258", E_1258},
    {"x-cp1258", E_1258},
    {"chinese", E_GB18030},
    {"csgb2312", E_GB18030},
    {"csiso58gb231280", E_GB18030},
    {"gb2312", E_GB18030},
    {"gb_2312", E_GB18030},
    {"gb_2312-80", E_GB18030},
    {"gbk", E_GB18030},
    {"iso-ir-58", E_GB18030},
    {"x-gbk", E_GB18030},
    {"gb18030", E_GB18030},
    {"big5", E_BIG5},
    {"big5-hkscs", E_BIG5},
    {"cn-big5", E_BIG5},
    {"csbig5", E_BIG5},
    {"x-x-big5", E_BIG5},
    {"cseucpkdfmtjapanese", E_EUCJP},
    {"euc-jp", E_EUCJP},
    {"x-euc-jp", E_EUCJP},
    {"csiso2022jp", E_ISO2022JP},
    {"iso-2022-jp", E_ISO2022JP},
    {"csshiftjis", E_SJIS},
    {"ms932", E_SJIS},
    {"ms_kanji", E_SJIS},
    {"shift-jis", E_SJIS},
    {"shift_jis", E_SJIS},
    {"sjis", E_SJIS},
    {"windows-31j", E_SJIS},
    {"x-sjis", E_SJIS},
    {"cseuckr", E_EUCKR},
    {"csksc56011987", E_EUCKR},
    {"euc-kr", E_EUCKR},
    {"iso-ir-149", E_EUCKR},
    {"korean", E_EUCKR},
    {"ks_c_5601-1987", E_EUCKR},
    {"ks_c_5601-1989", E_EUCKR},
    {"ksc5601", E_EUCKR},
    {"ksc_5601", E_EUCKR},
    {"windows-949", E_EUCKR},
    {"unicodefffe", E_UTF16BE},
    {"utf-16be", E_UTF16BE},
    {"csunicode", E_UTF16LE},
    {"iso-10646-ucs-2", E_UTF16LE},
    {"ucs-2", E_UTF16LE},
    {"unicode", E_UTF16LE},
    {"unicodefeff", E_UTF16LE},
    {"utf-16", E_UTF16LE},
    {"utf-16le", E_UTF16LE},
};

/* Index into encodings[] for a label, or -1. */
static int lookup(const char *label, size_t len)
{
    struct td_str l = td_str_trim(td_str_make(label, len));

    for (size_t i = 0; i < TD_ARRAY_SIZE(labels); i++)
        if (td_str_eq_nocase(l, td_str_c(labels[i].label)))
            return labels[i].enc;
    return -1;
}

const char *td_charset_canonical(const char *label, size_t len)
{
    int e = label ? lookup(label, len) : -1;

    return e < 0 ? NULL : encodings[e].name;
}

static bool is_ws(int c)
{
    return c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x20;
}

/*
 * The value of the first "charset" parameter in `s` (a Content-Type value
 * or a meta content attribute), per the HTML standard's "extracting a
 * character encoding from a meta element".  Returns the encoding or -1.
 */
static int charset_param(const char *s, size_t len)
{
    size_t i = 0;

    for (;;) {
        ptrdiff_t at = td_str_find_nocase(td_str_make(s + i, len - i), TD_STR_LIT("charset"));
        if (at < 0)
            return -1;
        i += (size_t)at + 7;
        while (i < len && is_ws((unsigned char)s[i]))
            i++;
        if (i < len && s[i] == '=')
            break;
    }
    i++;
    while (i < len && is_ws((unsigned char)s[i]))
        i++;
    if (i >= len)
        return -1;
    if (s[i] == '"' || s[i] == '\'') {
        const char *end = memchr(s + i + 1, s[i], len - i - 1);
        if (!end)
            return -1;
        return lookup(s + i + 1, (size_t)(end - (s + i + 1)));
    }
    size_t j = i;
    while (j < len && !is_ws((unsigned char)s[j]) && s[j] != ';')
        j++;
    return lookup(s + i, j - i);
}

/* A tag attribute collected by the prescan; name lowercased, value raw. */
struct attr {
    char name[32];
    size_t name_len;
    const char *value;
    size_t value_len;
};

/*
 * "Get an attribute" (HTML standard, prescan).  Returns false when there
 * is none (a '>' or the end); `*pos` moves past what was read.
 */
static bool get_attr(const unsigned char *s, size_t len, size_t *pos, struct attr *a)
{
    size_t i = *pos;

    a->name_len = 0;
    a->value = "";
    a->value_len = 0;
    while (i < len && (is_ws(s[i]) || s[i] == '/'))
        i++;
    if (i >= len || s[i] == '>') {
        *pos = i;
        return false;
    }
    /* name */
    for (;; i++) {
        if (i >= len)
            goto done;
        if (s[i] == '=' && a->name_len) {
            i++;
            break;
        }
        if (is_ws(s[i])) {
            while (i < len && is_ws(s[i]))
                i++;
            if (i >= len || s[i] != '=')
                goto done;
            i++;
            break;
        }
        if (s[i] == '/' || s[i] == '>')
            goto done;
        if (a->name_len < sizeof(a->name))
            a->name[a->name_len] = (char)td_ascii_lower(s[i]);
        a->name_len++;
    }
    /* value */
    while (i < len && is_ws(s[i]))
        i++;
    if (i >= len)
        goto done;
    if (s[i] == '"' || s[i] == '\'') {
        unsigned char q = s[i++];
        size_t start = i;
        while (i < len && s[i] != q)
            i++;
        a->value = (const char *)s + start;
        a->value_len = i - start;
        if (i < len)
            i++;
        goto done;
    }
    if (s[i] == '>')
        goto done;
    size_t start = i;
    while (i < len && !is_ws(s[i]) && s[i] != '>')
        i++;
    a->value = (const char *)s + start;
    a->value_len = i - start;
done:
    *pos = i;
    return true;
}

static bool attr_is(const struct attr *a, const char *name)
{
    size_t n = strlen(name);

    return a->name_len == n && memcmp(a->name, name, n) == 0;
}

/* One <meta ...> whose attributes start at `*pos`; the encoding or -1. */
static int meta_encoding(const unsigned char *s, size_t len, size_t *pos)
{
    struct attr a;
    bool got_pragma = false, need_pragma_set = false, need_pragma = false;
    bool seen_he = false, seen_content = false, seen_charset = false;
    int enc = -1;

    while (get_attr(s, len, pos, &a)) {
        if (attr_is(&a, "http-equiv") && !seen_he) {
            seen_he = true;
            if (td_str_eq_nocase(td_str_make(a.value, a.value_len), TD_STR_LIT("content-type")))
                got_pragma = true;
        } else if (attr_is(&a, "content") && !seen_content) {
            seen_content = true;
            if (enc < 0) {
                int e = charset_param(a.value, a.value_len);
                if (e >= 0) {
                    enc = e;
                    need_pragma_set = true;
                    need_pragma = true;
                }
            }
        } else if (attr_is(&a, "charset") && !seen_charset) {
            seen_charset = true;
            enc = lookup(a.value, a.value_len);
            need_pragma_set = true;
            need_pragma = false;
        }
    }
    if (!need_pragma_set || enc < 0 || (need_pragma && !got_pragma))
        return -1;
    /* A page cannot really be UTF-16 if ASCII bytes found this meta. */
    if (enc == E_UTF16LE || enc == E_UTF16BE)
        enc = E_UTF8;
    return enc;
}

/* The HTML standard's prescan over the first 1024 bytes. */
static int prescan_html(const unsigned char *s, size_t len)
{
    size_t i = 0;

    if (len > PRESCAN_BYTES)
        len = PRESCAN_BYTES;
    while (i < len) {
        if (s[i] != '<') {
            i++;
            continue;
        }
        size_t rest = len - i;
        if (rest >= 4 && memcmp(s + i, "<!--", 4) == 0) {
            ptrdiff_t end =
                td_str_find(td_str_make((const char *)s + i + 2, rest - 2), TD_STR_LIT("-->"));
            if (end < 0)
                return -1;
            i += 2 + (size_t)end + 3;
        } else if (rest >= 6 &&
                   td_str_eq_nocase(td_str_make((const char *)s + i, 5), TD_STR_LIT("<meta")) &&
                   (is_ws(s[i + 5]) || s[i + 5] == '/')) {
            i += 6;
            int enc = meta_encoding(s, len, &i);
            if (enc >= 0)
                return enc;
        } else if (rest >= 2 && (((s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'z') ||
                                 (rest >= 3 && s[i + 1] == '/' && (s[i + 2] | 0x20) >= 'a' &&
                                  (s[i + 2] | 0x20) <= 'z'))) {
            while (i < len && !is_ws(s[i]) && s[i] != '>')
                i++;
            struct attr a;
            while (get_attr(s, len, &i, &a))
                ;
            i++;
        } else if (rest >= 2 && (s[i + 1] == '!' || s[i + 1] == '/' || s[i + 1] == '?')) {
            const unsigned char *gt = memchr(s + i, '>', rest);
            if (!gt)
                return -1;
            i = (size_t)(gt - s) + 1;
        } else {
            i++;
        }
    }
    return -1;
}

/* <?xml version="1.0" encoding="..."?> at the very start (XML 1.0, 4.3.3). */
static int prescan_xml(const unsigned char *s, size_t len)
{
    if (len > PRESCAN_BYTES)
        len = PRESCAN_BYTES;
    if (len < 6 || memcmp(s, "<?xml", 5) != 0 || !is_ws(s[5]))
        return -1;
    ptrdiff_t end = td_str_find(td_str_make((const char *)s, len), TD_STR_LIT("?>"));
    if (end < 0)
        return -1;
    struct td_str decl = td_str_make((const char *)s, (size_t)end);
    ptrdiff_t at = td_str_find(decl, TD_STR_LIT("encoding"));
    if (at < 0)
        return -1;
    size_t i = (size_t)at + 8;
    while (i < decl.len && is_ws((unsigned char)decl.ptr[i]))
        i++;
    if (i >= decl.len || decl.ptr[i] != '=')
        return -1;
    i++;
    while (i < decl.len && is_ws((unsigned char)decl.ptr[i]))
        i++;
    if (i >= decl.len || (decl.ptr[i] != '"' && decl.ptr[i] != '\''))
        return -1;
    const char *q = memchr(decl.ptr + i + 1, decl.ptr[i], decl.len - i - 1);
    if (!q)
        return -1;
    int enc = lookup(decl.ptr + i + 1, (size_t)(q - (decl.ptr + i + 1)));
    if (enc == E_UTF16LE || enc == E_UTF16BE)
        enc = E_UTF8; /* an ASCII declaration without a BOM is not UTF-16 */
    return enc;
}

/*
 * "Is this UTF-8?": true when the bytes are valid UTF-8 apart from a
 * sequence cut off at the very end (a capped download) and rare stray
 * bytes (at most one per ten well-formed multibyte sequences, the kind of
 * damage a single mis-pasted string does to a UTF-8 page).  Pure ASCII
 * counts as UTF-8.
 */
static bool looks_utf8(const char *s, size_t len)
{
    size_t i = 0, good = 0, bad = 0;

    if (td_utf8_valid(s, len))
        return true;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        bool ok;
        size_t n = td_utf8_scan(s + i, len - i, &ok);
        if (ok)
            good++;
        else if (i + n < len)
            bad++;
        i += n;
    }
    return bad == 0 || bad * 10 <= good;
}

static int guess_uchardet(const char *s, size_t len)
{
    uchardet_t ud = uchardet_new();
    int enc = -1;

    if (!ud)
        return -1;
    if (uchardet_handle_data(ud, s, TD_MIN(len, UCHARDET_BYTES)) == 0) {
        uchardet_data_end(ud);
        const char *name = uchardet_get_charset(ud);
        if (name && *name)
            enc = lookup(name, strlen(name));
    }
    uchardet_delete(ud);
    return enc;
}

/*
 * Append UTF-8 `s` to `out` with every ill-formed sequence and every NUL
 * replaced by U+FFFD.
 */
static int append_clean(struct td_buf *out, const char *s, size_t len)
{
    size_t start = 0, i = 0;
    int err;

    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c != 0 && c < 0x80) {
            i++;
            continue;
        }
        size_t n = 1;
        bool ok = false;
        if (c != 0)
            n = td_utf8_scan(s + i, len - i, &ok);
        if (!ok) {
            if ((err = td_buf_append(out, s + start, i - start)) ||
                (err = td_buf_append(out, "\xEF\xBF\xBD", 3)))
                return err;
            start = i + n;
        }
        i += n;
    }
    return td_buf_append(out, s + start, len - start);
}

/* The calling thread's open converters, opened on first use. */
struct iconv_cache {
    bool open[E_COUNT];
    iconv_t cd[E_COUNT];
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static bool cache_key_ok;
/* Also held here so leak checkers see a live thread's cache as reachable. */
static _Thread_local struct iconv_cache *thread_cache;

static void cache_free(void *p)
{
    struct iconv_cache *c = p;

    if (!c)
        return;
    for (int i = 0; i < E_COUNT; i++)
        if (c->open[i])
            iconv_close(c->cd[i]);
    free(c);
}

static void cache_key_init(void)
{
    cache_key_ok = pthread_key_create(&cache_key, cache_free) == 0;
}

void td_charset_thread_cleanup(void)
{
    cache_free(thread_cache);
    thread_cache = NULL;
    if (cache_key_ok)
        pthread_setspecific(cache_key, NULL);
}

/*
 * Set `*cd` to an iconv descriptor from encoding `enc` to UTF-8, in its
 * initial state and owned by the thread's cache (the caller never closes
 * it).  TD_ENOMEM without a cache, TD_EENCODING if iconv can't open one.
 */
static int converter_get(int enc, iconv_t *cd)
{
    struct iconv_cache *c = thread_cache;

    if (!c) {
        pthread_once(&cache_once, cache_key_init);
        if (!cache_key_ok || !(c = calloc(1, sizeof(*c))))
            return TD_ENOMEM;
        if (pthread_setspecific(cache_key, c) != 0) {
            free(c);
            return TD_ENOMEM;
        }
        thread_cache = c;
    }
    if (c->open[enc]) {
        iconv(c->cd[enc], NULL, NULL, NULL, NULL);
    } else {
        c->cd[enc] = iconv_open("UTF-8", encodings[enc].iconv);
        if (c->cd[enc] == (iconv_t)-1)
            return TD_EENCODING;
        c->open[enc] = true;
    }
    *cd = c->cd[enc];
    return 0;
}

int td_charset_decode(const char *data, size_t len, const char *name, struct td_buf *out)
{
    int enc = name ? lookup(name, strlen(name)) : -1;
    char chunk[16384];
    size_t start = out->len;
    int err = 0;

    if (enc < 0)
        return TD_EENCODING;
    if (enc == E_UTF8)
        return append_clean(out, data, len);
    iconv_t cd;
    if ((err = converter_get(enc, &cd)))
        return err;
    char *in = (char *)data;
    size_t left = len;
    while (left) {
        char *o = chunk;
        size_t room = sizeof(chunk);
        size_t r = iconv(cd, &in, &left, &o, &room);
        int e = r == (size_t)-1 ? errno : 0;
        if ((err = append_clean(out, chunk, (size_t)(o - chunk))))
            break;
        if (e == EILSEQ || e == EINVAL) {
            /* Undecodable or cut-off sequence: U+FFFD, resume a byte on. */
            if ((err = td_buf_append(out, "\xEF\xBF\xBD", 3)))
                break;
            in++;
            left--;
            iconv(cd, NULL, NULL, NULL, NULL);
        } else if (e && e != E2BIG) {
            err = TD_EENCODING;
            break;
        }
    }
    if (!err) {
        /* Flush a stateful encoding's shift sequence (ISO-2022-JP). */
        char *o = chunk;
        size_t room = sizeof(chunk);
        if (iconv(cd, NULL, NULL, &o, &room) != (size_t)-1)
            err = append_clean(out, chunk, (size_t)(o - chunk));
    }
    if (err)
        td_buf_truncate(out, start);
    return err;
}

const char *td_charset_sniff(const char *data, size_t len, const struct td_charset_opts *opts,
                             size_t *bom_len)
{
    const unsigned char *s = (const unsigned char *)data;
    int enc = -1;

    *bom_len = 0;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        *bom_len = 3;
        return encodings[E_UTF8].name;
    }
    if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        *bom_len = 2;
        return encodings[E_UTF16LE].name;
    }
    if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        *bom_len = 2;
        return encodings[E_UTF16BE].name;
    }
    if (opts && opts->content_type)
        enc = charset_param(opts->content_type, strlen(opts->content_type));
    if (enc < 0)
        enc = opts && opts->is_xml ? prescan_xml(s, len) : prescan_html(s, len);
    if (enc < 0 && looks_utf8(data, len))
        enc = E_UTF8;
    if (enc < 0)
        enc = guess_uchardet(data, len);
    if (enc < 0)
        enc = E_1252;
    return encodings[enc].name;
}

int td_charset_to_utf8(const char *data, size_t len, const struct td_charset_opts *opts,
                       struct td_buf *out, const char **used)
{
    size_t bom;
    const char *name = td_charset_sniff(data, len, opts, &bom);

    if (used)
        *used = name;
    return td_charset_decode(data + bom, len - bom, name, out);
}
