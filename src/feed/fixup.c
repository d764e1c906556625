/*
 * fixup.c - the repair pass that runs before libxml2.
 *
 * Feeds in the wild are full of what a strict XML parser refuses: HTML
 * named entities with no DTD to define them (&nbsp; &eacute; &hellip;),
 * bare ampersands in URLs, control characters pasted from word processors,
 * &#150;-style references meaning windows-1252.  libxml2's recover mode
 * drops such text instead, so one pass here rewrites the document into
 * something it reads whole.
 *
 * Entities: the DOCTYPE is dropped and its internal subset is read here,
 * not by libxml2.  A general entity declared there with a literal value
 * (no '&', '<' or '%' in it, so nothing nests) is expanded where it is
 * referenced, as feedparser does; external entities (SYSTEM/PUBLIC) and
 * parameter entities are never read.  Any other named reference that is
 * neither XML's five nor HTML's becomes literal text.  With no nesting an
 * expansion attack is bounded by the size of the output buffer.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/utf8.h"
#include "feed/internal.h"

struct entity {
    const char *name;
    uint32_t cp;
};

/* HTML 4.01 character entities (section 24) less XML's predefined five, sorted. */
static const struct entity entities[] = {
    {"AElig", 0x00C6},   {"Aacute", 0x00C1},   {"Acirc", 0x00C2},   {"Agrave", 0x00C0},
    {"Alpha", 0x0391},   {"Aring", 0x00C5},    {"Atilde", 0x00C3},  {"Auml", 0x00C4},
    {"Beta", 0x0392},    {"Ccedil", 0x00C7},   {"Chi", 0x03A7},     {"Dagger", 0x2021},
    {"Delta", 0x0394},   {"ETH", 0x00D0},      {"Eacute", 0x00C9},  {"Ecirc", 0x00CA},
    {"Egrave", 0x00C8},  {"Epsilon", 0x0395},  {"Eta", 0x0397},     {"Euml", 0x00CB},
    {"Gamma", 0x0393},   {"Iacute", 0x00CD},   {"Icirc", 0x00CE},   {"Igrave", 0x00CC},
    {"Iota", 0x0399},    {"Iuml", 0x00CF},     {"Kappa", 0x039A},   {"Lambda", 0x039B},
    {"Mu", 0x039C},      {"Ntilde", 0x00D1},   {"Nu", 0x039D},      {"OElig", 0x0152},
    {"Oacute", 0x00D3},  {"Ocirc", 0x00D4},    {"Ograve", 0x00D2},  {"Omega", 0x03A9},
    {"Omicron", 0x039F}, {"Oslash", 0x00D8},   {"Otilde", 0x00D5},  {"Ouml", 0x00D6},
    {"Phi", 0x03A6},     {"Pi", 0x03A0},       {"Prime", 0x2033},   {"Psi", 0x03A8},
    {"Rho", 0x03A1},     {"Scaron", 0x0160},   {"Sigma", 0x03A3},   {"THORN", 0x00DE},
    {"Tau", 0x03A4},     {"Theta", 0x0398},    {"Uacute", 0x00DA},  {"Ucirc", 0x00DB},
    {"Ugrave", 0x00D9},  {"Upsilon", 0x03A5},  {"Uuml", 0x00DC},    {"Xi", 0x039E},
    {"Yacute", 0x00DD},  {"Yuml", 0x0178},     {"Zeta", 0x0396},    {"aacute", 0x00E1},
    {"acirc", 0x00E2},   {"acute", 0x00B4},    {"aelig", 0x00E6},   {"agrave", 0x00E0},
    {"alefsym", 0x2135}, {"alpha", 0x03B1},    {"and", 0x2227},     {"ang", 0x2220},
    {"aring", 0x00E5},   {"asymp", 0x2248},    {"atilde", 0x00E3},  {"auml", 0x00E4},
    {"bdquo", 0x201E},   {"beta", 0x03B2},     {"brvbar", 0x00A6},  {"bull", 0x2022},
    {"cap", 0x2229},     {"ccedil", 0x00E7},   {"cedil", 0x00B8},   {"cent", 0x00A2},
    {"chi", 0x03C7},     {"circ", 0x02C6},     {"clubs", 0x2663},   {"cong", 0x2245},
    {"copy", 0x00A9},    {"crarr", 0x21B5},    {"cup", 0x222A},     {"curren", 0x00A4},
    {"dArr", 0x21D3},    {"dagger", 0x2020},   {"darr", 0x2193},    {"deg", 0x00B0},
    {"delta", 0x03B4},   {"diams", 0x2666},    {"divide", 0x00F7},  {"eacute", 0x00E9},
    {"ecirc", 0x00EA},   {"egrave", 0x00E8},   {"empty", 0x2205},   {"emsp", 0x2003},
    {"ensp", 0x2002},    {"epsilon", 0x03B5},  {"equiv", 0x2261},   {"eta", 0x03B7},
    {"eth", 0x00F0},     {"euml", 0x00EB},     {"euro", 0x20AC},    {"exist", 0x2203},
    {"fnof", 0x0192},    {"forall", 0x2200},   {"frac12", 0x00BD},  {"frac14", 0x00BC},
    {"frac34", 0x00BE},  {"frasl", 0x2044},    {"gamma", 0x03B3},   {"ge", 0x2265},
    {"hArr", 0x21D4},    {"harr", 0x2194},     {"hearts", 0x2665},  {"hellip", 0x2026},
    {"iacute", 0x00ED},  {"icirc", 0x00EE},    {"iexcl", 0x00A1},   {"igrave", 0x00EC},
    {"image", 0x2111},   {"infin", 0x221E},    {"int", 0x222B},     {"iota", 0x03B9},
    {"iquest", 0x00BF},  {"isin", 0x2208},     {"iuml", 0x00EF},    {"kappa", 0x03BA},
    {"lArr", 0x21D0},    {"lambda", 0x03BB},   {"lang", 0x2329},    {"laquo", 0x00AB},
    {"larr", 0x2190},    {"lceil", 0x2308},    {"ldquo", 0x201C},   {"le", 0x2264},
    {"lfloor", 0x230A},  {"lowast", 0x2217},   {"loz", 0x25CA},     {"lrm", 0x200E},
    {"lsaquo", 0x2039},  {"lsquo", 0x2018},    {"macr", 0x00AF},    {"mdash", 0x2014},
    {"micro", 0x00B5},   {"middot", 0x00B7},   {"minus", 0x2212},   {"mu", 0x03BC},
    {"nabla", 0x2207},   {"nbsp", 0x00A0},     {"ndash", 0x2013},   {"ne", 0x2260},
    {"ni", 0x220B},      {"not", 0x00AC},      {"notin", 0x2209},   {"nsub", 0x2284},
    {"ntilde", 0x00F1},  {"nu", 0x03BD},       {"oacute", 0x00F3},  {"ocirc", 0x00F4},
    {"oelig", 0x0153},   {"ograve", 0x00F2},   {"oline", 0x203E},   {"omega", 0x03C9},
    {"omicron", 0x03BF}, {"oplus", 0x2295},    {"or", 0x2228},      {"ordf", 0x00AA},
    {"ordm", 0x00BA},    {"oslash", 0x00F8},   {"otilde", 0x00F5},  {"otimes", 0x2297},
    {"ouml", 0x00F6},    {"para", 0x00B6},     {"part", 0x2202},    {"permil", 0x2030},
    {"perp", 0x22A5},    {"phi", 0x03C6},      {"pi", 0x03C0},      {"piv", 0x03D6},
    {"plusmn", 0x00B1},  {"pound", 0x00A3},    {"prime", 0x2032},   {"prod", 0x220F},
    {"prop", 0x221D},    {"psi", 0x03C8},      {"rArr", 0x21D2},    {"radic", 0x221A},
    {"rang", 0x232A},    {"raquo", 0x00BB},    {"rarr", 0x2192},    {"rceil", 0x2309},
    {"rdquo", 0x201D},   {"real", 0x211C},     {"reg", 0x00AE},     {"rfloor", 0x230B},
    {"rho", 0x03C1},     {"rlm", 0x200F},      {"rsaquo", 0x203A},  {"rsquo", 0x2019},
    {"sbquo", 0x201A},   {"scaron", 0x0161},   {"sdot", 0x22C5},    {"sect", 0x00A7},
    {"shy", 0x00AD},     {"sigma", 0x03C3},    {"sigmaf", 0x03C2},  {"sim", 0x223C},
    {"spades", 0x2660},  {"sub", 0x2282},      {"sube", 0x2286},    {"sum", 0x2211},
    {"sup", 0x2283},     {"sup1", 0x00B9},     {"sup2", 0x00B2},    {"sup3", 0x00B3},
    {"supe", 0x2287},    {"szlig", 0x00DF},    {"tau", 0x03C4},     {"there4", 0x2234},
    {"theta", 0x03B8},   {"thetasym", 0x03D1}, {"thinsp", 0x2009},  {"thorn", 0x00FE},
    {"tilde", 0x02DC},   {"times", 0x00D7},    {"trade", 0x2122},   {"uArr", 0x21D1},
    {"uacute", 0x00FA},  {"uarr", 0x2191},     {"ucirc", 0x00FB},   {"ugrave", 0x00F9},
    {"uml", 0x00A8},     {"upsih", 0x03D2},    {"upsilon", 0x03C5}, {"uuml", 0x00FC},
    {"weierp", 0x2118},  {"xi", 0x03BE},       {"yacute", 0x00FD},  {"yen", 0x00A5},
    {"yuml", 0x00FF},    {"zeta", 0x03B6},     {"zwj", 0x200D},     {"zwnj", 0x200C},
};

/* windows-1252 for 0x80-0x9F, what browsers read &#128;-&#159; as. */
static const uint16_t cp1252[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
                                    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

static int entity_cmp(const void *key, const void *elem)
{
    const struct td_str *k = key;
    const struct entity *e = elem;
    int c = strncmp(k->ptr, e->name, k->len);
    if (c == 0 && e->name[k->len] != '\0')
        return -1;
    return c;
}

static bool name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':';
}

/* Internal entities of the DOCTYPE: slices of the document being fixed. */
#define MAX_DECLS 64
#define MAX_DECL_NAME 64
#define MAX_DECL_VALUE 1024

struct decls {
    size_t n;
    struct {
        struct td_str name, value;
    } e[MAX_DECLS];
};

static bool xml_char(uint32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/*
 * An entity or character reference at s[0] == '&'.  Returns the bytes
 * consumed; `*rep_len` gets the length of the repair written to `rep`, or
 * SIZE_MAX when the reference is fine as it is.
 */
static size_t fix_reference(const char *s, size_t len, const struct decls *d, char rep[8],
                            size_t *rep_len, struct td_str *expand, unsigned *fixed)
{
    size_t i = 1;

    *rep_len = SIZE_MAX;
    expand->ptr = NULL;
    if (i < len && s[i] == '#') {
        bool hex = i + 1 < len && (s[i + 1] == 'x' || s[i + 1] == 'X');
        size_t j = i + 1 + hex, start = j;
        uint32_t cp = 0;
        while (j < len && j - start < 8 &&
               ((s[j] >= '0' && s[j] <= '9') ||
                (hex && ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'f')))) {
            unsigned d =
                s[j] <= '9' ? (unsigned)(s[j] - '0') : (unsigned)((s[j] | 0x20) - 'a' + 10);
            cp = cp * (hex ? 16 : 10) + d;
            j++;
        }
        if (j > start && j < len && s[j] == ';' && j - start < 8) {
            if (cp >= 0x80 && cp <= 0x9F) {
                *fixed |= TD_FEED_FIX_CHARREF;
                *rep_len = td_utf8_encode(cp1252[cp - 0x80], rep);
            } else if (!xml_char(cp)) {
                *fixed |= TD_FEED_FIX_CHARREF;
                *rep_len = 0;
            } else if (s[i + 1] == 'X') {
                /* &#X41; (XML wants a lowercase x): the character, escaped if markup. */
                *fixed |= TD_FEED_FIX_CHARREF;
                const char *esc = cp == '<'    ? "&lt;"
                                  : cp == '&'  ? "&amp;"
                                  : cp == '"'  ? "&quot;"
                                  : cp == '\'' ? "&apos;"
                                               : NULL;
                if (esc) {
                    *rep_len = strlen(esc);
                    memcpy(rep, esc, *rep_len);
                } else {
                    *rep_len = td_utf8_encode(cp, rep);
                }
            }
            return j + 1;
        }
    } else {
        size_t j = i;
        while (j < len && j - i < 32 && name_char((unsigned char)s[j]))
            j++;
        if (j > i && j < len && s[j] == ';') {
            struct td_str name = td_str_make(s + i, j - i);
            if (td_str_eq(name, TD_STR_LIT("amp")) || td_str_eq(name, TD_STR_LIT("lt")) ||
                td_str_eq(name, TD_STR_LIT("gt")) || td_str_eq(name, TD_STR_LIT("quot")) ||
                td_str_eq(name, TD_STR_LIT("apos")))
                return j + 1;
            for (size_t k = 0; k < d->n; k++)
                if (td_str_eq(name, d->e[k].name)) {
                    *expand = d->e[k].value;
                    return j + 1;
                }
            const struct entity *e =
                bsearch(&name, entities, TD_ARRAY_SIZE(entities), sizeof(entities[0]), entity_cmp);
            if (e) {
                *fixed |= TD_FEED_FIX_ENTITY;
                *rep_len = td_utf8_encode(e->cp, rep);
                return j + 1;
            }
        }
    }
    *fixed |= TD_FEED_FIX_AMP;
    memcpy(rep, "&amp;", 5);
    *rep_len = 5;
    return 1;
}

/* The offset just past the first `close` after `from` (or the end). */
static size_t skip_through(const char *s, size_t len, size_t from, const char *close)
{
    struct td_str rest = td_str_make(s + from, len - from);
    ptrdiff_t at = td_str_find(rest, td_str_c(close));
    return at < 0 ? len : from + (size_t)at + strlen(close);
}

/* The length of a DOCTYPE, internal subset included; records the Netscape RSS 0.91 DTD. */
static size_t skip_doctype(const char *s, size_t len, unsigned *fixed)
{
    size_t i = 9, depth = 0;
    char quote = 0;

    for (; i < len; i++) {
        char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[') {
            depth++;
        } else if (c == ']' && depth) {
            depth--;
        } else if (c == '>' && !depth) {
            i++;
            break;
        }
    }
    if (td_str_find_nocase(td_str_make(s, i), TD_STR_LIT("netscape")) >= 0)
        *fixed |= TD_FEED_FIX_NETSCAPE;
    return i;
}

/*
 * The general entities the DOCTYPE `s` declares with a literal value; the
 * first declaration of a name counts (XML 1.0 4.2).
 */
static void read_decls(const char *s, size_t len, struct decls *d)
{
    struct td_str rest = td_str_make(s, len);
    ptrdiff_t at;

    while (d->n < MAX_DECLS && (at = td_str_find(rest, TD_STR_LIT("<!ENTITY"))) >= 0) {
        const char *p = rest.ptr + at + 8, *end = rest.ptr + rest.len;
        rest = td_str_make(p, (size_t)(end - p));
        while (p < end && td_is_space(*p))
            p++;
        const char *name = p;
        while (p < end && name_char((unsigned char)*p))
            p++;
        struct td_str n = td_str_make(name, (size_t)(p - name));
        while (p < end && td_is_space(*p))
            p++;
        /* A parameter entity ('%' before the name) or an external one: not ours. */
        if (!n.len || n.len > MAX_DECL_NAME || p == end || (*p != '"' && *p != '\''))
            continue;
        const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
        if (!q)
            return;
        struct td_str v = td_str_make(p + 1, (size_t)(q - p - 1));
        if (v.len > MAX_DECL_VALUE || memchr(v.ptr, '&', v.len) || memchr(v.ptr, '<', v.len) ||
            memchr(v.ptr, '%', v.len))
            continue;
        bool known = false;
        for (size_t k = 0; k < d->n && !known; k++)
            known = td_str_eq(d->e[k].name, n);
        if (!known) {
            d->e[d->n].name = n;
            d->e[d->n++].value = v;
        }
    }
}

/* An entity's value where it is referenced; quotes escaped in case it is inside an attribute. */
static int append_value(struct td_buf *out, struct td_str v)
{
    int err = 0;
    for (size_t i = 0; i < v.len && !err; i++)
        err = v.ptr[i] == '"'    ? td_buf_append_c(out, "&quot;")
              : v.ptr[i] == '\'' ? td_buf_append_c(out, "&apos;")
                                 : td_buf_append_ch(out, v.ptr[i]);
    return err;
}

/*
 * Bytes the main loop must look at: '&', '<', the C0 controls XML forbids
 * and 0xC2, the lead byte of the C1 controls.
 */
static const bool special[256] = {
    [0] = 1,  [1] = 1,  [2] = 1,  [3] = 1,  [4] = 1,  [5] = 1,   [6] = 1,   [7] = 1,
    [8] = 1,  [11] = 1, [12] = 1, [14] = 1, [15] = 1, [16] = 1,  [17] = 1,  [18] = 1,
    [19] = 1, [20] = 1, [21] = 1, [22] = 1, [23] = 1, [24] = 1,  [25] = 1,  [26] = 1,
    [27] = 1, [28] = 1, [29] = 1, [30] = 1, [31] = 1, ['&'] = 1, ['<'] = 1, [0xC2] = 1,
};

/*
 * Whether any of the 8 bytes in w may be special: '&', '<', 0xC2 or a
 * byte below 0x20 (tab, LF and CR too, which the byte loop then passes).
 * Each test is the usual "has a zero byte" trick, exact for existence.
 */
static bool word_may_be_special(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t amp = w ^ (ones * '&'), lt = w ^ (ones * '<'), c2 = w ^ (ones * 0xC2);
    uint64_t hits = ((w - ones * 0x20) & ~w) | ((amp - ones) & ~amp) | ((lt - ones) & ~lt) |
                    ((c2 - ones) & ~c2);
    return hits & highs;
}

int td_feed_fixup_xml(const char *s, size_t len, struct td_buf *out, struct td_str *doc,
                      unsigned *fixed)
{
    size_t i = 0, start, run;
    bool copied = false; /* `out` holds the repaired text up to `run` */
    struct decls decls;  /* only the first decls.n entries are read: not zeroed (2 KB) */
    int err = 0;

    decls.n = 0;

    *fixed = 0;
    /* Leading junk: BOM, white space. */
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && td_is_space((unsigned char)s[i]))
        i++;
    if (len - i >= 5 && !memcmp(s + i, "<?xml", 5) && (len - i == 5 || td_is_space(s[i + 5]))) {
        struct td_str rest = td_str_make(s + i, len - i);
        ptrdiff_t end = td_str_find(rest, TD_STR_LIT("?>"));
        i = end < 0 ? len : i + (size_t)end + 2;
    }
    start = run = i;
    /*
     * Most documents need no repair: scan, and copy only from the first
     * repair on (everything before it in one piece).
     */
    while (i < len) {
        /* Text between the special bytes is skipped a word at a time. */
        if (len - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!word_may_be_special(w)) {
                i += 8;
                continue;
            }
            size_t stop = i + 8;
            while (i < stop && !special[(unsigned char)s[i]])
                i++;
            if (i == stop)
                continue;
        } else if (!special[(unsigned char)s[i]]) {
            i++;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        const char *p = s + i;
        size_t left = len - i, n, rep_len = SIZE_MAX;
        char rep[8];
        struct td_str expand = {NULL, 0};
        if (c == '&') {
            n = fix_reference(p, left, &decls, rep, &rep_len, &expand, fixed);
        } else if (c == '<') {
            if (left < 2 || (p[1] != '!' && p[1] != '?'))
                n = 1; /* an ordinary tag */
            else if (left >= 4 && !memcmp(p, "<!--", 4))
                n = skip_through(p, left, 4, "-->");
            else if (left >= 9 && !memcmp(p, "<![CDATA[", 9))
                n = skip_through(p, left, 9, "]]>");
            else if (left >= 9 && td_str_eq_nocase(td_str_make(p, 9), TD_STR_LIT("<!DOCTYPE"))) {
                n = skip_doctype(p, left, fixed);
                read_decls(p, n, &decls);
                rep_len = 0; /* libxml2 never sees it: entities are expanded here */
            } else if (p[1] == '?')
                n = skip_through(p, left, 2, "?>");
            else
                n = 1;
        } else if (c == 0xC2) {
            /*
             * U+0080-U+009F: C1 controls, in feeds always windows-1252
             * punctuation decoded as Latin-1 (don\u0092t): read them as
             * windows-1252, as feedparser does.  Unassigned ones stay.
             */
            n = left >= 2 ? 2 : 1;
            unsigned char c1 = n == 2 ? (unsigned char)p[1] : 0;
            if (c1 >= 0x80 && c1 <= 0x9F && cp1252[c1 - 0x80] != 0xFFFD)
                rep_len = td_utf8_encode(cp1252[c1 - 0x80], rep);
        } else {
            *fixed |= TD_FEED_FIX_CTRL;
            n = 1;
            rep_len = 0;
        }
        if (expand.ptr) {
            if ((err = td_buf_append(out, s + run, i - run)) < 0 ||
                (err = append_value(out, expand)) < 0)
                return err;
            run = i + n;
            copied = true;
        } else if (rep_len != SIZE_MAX) {
            if ((err = td_buf_append(out, s + run, i - run)) < 0 ||
                (err = td_buf_append(out, rep, rep_len)) < 0)
                return err;
            run = i + n;
            copied = true;
        }
        i += n;
    }
    if (!copied) {
        *doc = td_str_make(s + start, len - start);
        return 0;
    }
    if ((err = td_buf_append(out, s + run, len - run)) < 0)
        return err;
    *doc = td_buf_str(out);
    return 0;
}
