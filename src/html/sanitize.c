/*
 * sanitize.c - the allowlist serializer: untrusted HTML in, HTML that is
 * safe to put in our pages out.  Nothing is copied through unless it is on
 * the list (elements, attributes, URL schemes); see html.h for the list.
 * Used for feed entry content and for extracted article bodies.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/utf8.h"
#include "html/html.h"

enum action {
    ACT_UNWRAP, /* drop the tag, keep the content */
    ACT_KEEP,   /* emit the (possibly renamed) tag */
    ACT_DROP,   /* drop the element and its content */
    ACT_BLOCK,  /* unwrap, but as a block container */
};

static enum action action_of(enum td_html_tag t, const char **name)
{
    switch (t) {
    case TD_HTML_P:
        *name = "p";
        return ACT_KEEP;
    case TD_HTML_H1:
        *name = "h2";
        return ACT_KEEP;
    case TD_HTML_H2:
        *name = "h2";
        return ACT_KEEP;
    case TD_HTML_H3:
        *name = "h3";
        return ACT_KEEP;
    case TD_HTML_H4:
        *name = "h4";
        return ACT_KEEP;
    case TD_HTML_H5:
        *name = "h5";
        return ACT_KEEP;
    case TD_HTML_H6:
        *name = "h6";
        return ACT_KEEP;
    case TD_HTML_UL:
        *name = "ul";
        return ACT_KEEP;
    case TD_HTML_OL:
        *name = "ol";
        return ACT_KEEP;
    case TD_HTML_LI:
        *name = "li";
        return ACT_KEEP;
    case TD_HTML_BLOCKQUOTE:
        *name = "blockquote";
        return ACT_KEEP;
    case TD_HTML_FIGURE:
        *name = "figure";
        return ACT_KEEP;
    case TD_HTML_FIGCAPTION:
        *name = "figcaption";
        return ACT_KEEP;
    case TD_HTML_IMG:
        *name = "img";
        return ACT_KEEP;
    case TD_HTML_A:
        *name = "a";
        return ACT_KEEP;
    case TD_HTML_EM:
    case TD_HTML_I:
        *name = "em";
        return ACT_KEEP;
    case TD_HTML_STRONG:
    case TD_HTML_B:
        *name = "strong";
        return ACT_KEEP;
    case TD_HTML_PRE:
        *name = "pre";
        return ACT_KEEP;
    case TD_HTML_CODE:
        *name = "code";
        return ACT_KEEP;
    case TD_HTML_TABLE:
        *name = "table";
        return ACT_KEEP;
    case TD_HTML_THEAD:
        *name = "thead";
        return ACT_KEEP;
    case TD_HTML_TBODY:
        *name = "tbody";
        return ACT_KEEP;
    case TD_HTML_TR:
        *name = "tr";
        return ACT_KEEP;
    case TD_HTML_TH:
        *name = "th";
        return ACT_KEEP;
    case TD_HTML_TD:
        *name = "td";
        return ACT_KEEP;
    case TD_HTML_BR:
        *name = "br";
        return ACT_KEEP;
    case TD_HTML_SCRIPT:
    case TD_HTML_STYLE:
    case TD_HTML_IFRAME:
    case TD_HTML_OBJECT:
    case TD_HTML_EMBED:
    case TD_HTML_FORM:
    case TD_HTML_INPUT:
    case TD_HTML_BUTTON:
    case TD_HTML_SELECT:
    case TD_HTML_OPTION:
    case TD_HTML_TEXTAREA:
    case TD_HTML_SVG:
    case TD_HTML_MATH:
    case TD_HTML_TEMPLATE:
    case TD_HTML_NOSCRIPT:
    case TD_HTML_HEAD:
    case TD_HTML_TITLE:
    case TD_HTML_META:
    case TD_HTML_LINK:
    case TD_HTML_BASE:
    case TD_HTML_CANVAS:
    case TD_HTML_VIDEO:
    case TD_HTML_AUDIO:
    case TD_HTML_SOURCE:
    case TD_HTML_COMMENT:
    case TD_HTML_DOCTYPE:
    case TD_HTML_DIALOG:
        return ACT_DROP;
    case TD_HTML_DIV:
    case TD_HTML_SECTION:
    case TD_HTML_ARTICLE:
    case TD_HTML_MAIN:
    case TD_HTML_HEADER:
    case TD_HTML_FOOTER:
    case TD_HTML_ASIDE:
    case TD_HTML_NAV:
    case TD_HTML_DL:
    case TD_HTML_DT:
    case TD_HTML_DD:
    case TD_HTML_ADDRESS:
    case TD_HTML_CENTER:
    case TD_HTML_HR:
    case TD_HTML_CAPTION:
    case TD_HTML_TFOOT:
    case TD_HTML_BODY:
    case TD_HTML_HTML:
    case TD_HTML_MENU:
        return ACT_BLOCK;
    default:
        return ACT_UNWRAP;
    }
}

/*
 * Appends for the serializer's many small writes: when the bytes fit the
 * storage already allocated (and the cap), copy them here; otherwise
 * td_buf_append grows the buffer or reports TD_ETOOBIG, as before.
 */
static int put(struct td_buf *b, const void *data, size_t n)
{
    if (n < b->alloc - b->len && n <= b->cap - b->len) {
        memcpy(b->buf + b->len, data, n);
        b->len += n;
        b->buf[b->len] = '\0';
        return 0;
    }
    return td_buf_append(b, data, n);
}

static int put_c(struct td_buf *b, const char *s)
{
    return put(b, s, strlen(s));
}

static int put_ch(struct td_buf *b, char c)
{
    return put(b, &c, 1);
}

/*
 * Escape `s` into `out`.  With `collapse`, runs of white space become one
 * space, emitted lazily before the next visible character and never at the
 * start of a block; `*ws` carries that state across calls: WS_START (block
 * start), WS_TEXT (after text), WS_PENDING (a space is owed).
 */
enum { WS_START, WS_TEXT, WS_PENDING };

/* Byte classes for escape(): ESC_MARKUP must be escaped, ESC_SPACE collapses. */
enum { ESC_MARKUP = 1, ESC_SPACE = 2 };
static const unsigned char esc_class[256] = {
    ['&'] = ESC_MARKUP,  ['<'] = ESC_MARKUP, ['>'] = ESC_MARKUP, ['"'] = ESC_MARKUP,
    ['\''] = ESC_MARKUP, [' '] = ESC_SPACE,  ['\t'] = ESC_SPACE, ['\n'] = ESC_SPACE,
    ['\r'] = ESC_SPACE,  ['\f'] = ESC_SPACE, ['\v'] = ESC_SPACE,
};

static const char *escaped(unsigned char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    default:
        return "&#39;";
    }
}

/*
 * The escape proper (see above).  The text is copied in runs between the
 * bytes that need attention, found by a table lookup per byte: feed values
 * are mostly such runs, and this is the sanitizer's inner loop.
 */
static int escape(struct td_buf *out, struct td_str s, bool collapse, int *ws)
{
    const unsigned char *p = (const unsigned char *)s.ptr, *end = p + s.len;
    unsigned char mask = collapse ? ESC_MARKUP | ESC_SPACE : ESC_MARKUP;
    while (p < end) {
        const unsigned char *q = p;
        for (; q < end; q++) {
            if (!(esc_class[*q] & mask))
                continue;
            /*
             * One space between two ordinary bytes of a run is what
             * collapsing writes anyway: keep it in the run (one copy a
             * run, not one a word).
             */
            if (*q != ' ' || !collapse || q == p || q + 1 == end || (esc_class[q[1]] & mask))
                break;
        }
        if (q > p) {
            if (collapse && *ws == WS_PENDING && put_ch(out, ' ') < 0)
                return TD_ETOOBIG;
            *ws = WS_TEXT;
            if (put(out, p, (size_t)(q - p)) < 0)
                return TD_ETOOBIG;
        }
        if (q == end)
            break;
        p = q + 1;
        if (esc_class[*q] & mask & ESC_SPACE) {
            if (*ws == WS_TEXT)
                *ws = WS_PENDING;
            continue;
        }
        if (collapse && *ws == WS_PENDING && put_ch(out, ' ') < 0)
            return TD_ETOOBIG;
        *ws = WS_TEXT;
        if (put_c(out, escaped(*q)) < 0)
            return TD_ETOOBIG;
    }
    return 0;
}

/* Write "<name>" or "</name>" (`open` is "<" or "</"). */
static int tag(struct td_buf *out, const char *open, const char *name)
{
    if (put_c(out, open) < 0 || put_c(out, name) < 0 || put_ch(out, '>') < 0)
        return TD_ETOOBIG;
    return 0;
}

/*
 * The serializer proper, driven by enter/text/leave events: from a walk of
 * the parsed tree (td_html_sanitize_node) or from the tokenizer fast path
 * below (fast_sanitize).  Both feed it the same events for the same input,
 * so they write the same bytes.
 */
struct ser {
    struct td_buf *out;
    const char *base;
    struct td_buf url;
    int ws;         /* white-space state of inline text (WS_*) */
    unsigned pre;   /* inside <pre>: keep white space */
    unsigned depth; /* elements entered and not yet left */
    /* Per-depth record of what was opened, so leave events close the right tag. */
    const char *opened[TD_HTML_MAX_DEPTH + 2];
};

/* One attribute as the fast path read it. */
struct fattr {
    struct td_str name, value;
};

/* The attributes of the element being entered: a parsed node's, or a list. */
struct attrs {
    const struct td_html_node *node;
    const struct fattr *list;
    size_t n;
};

/* Like td_html_attr(): the first attribute of that name. */
static bool attr_get(const struct attrs *a, const char *name, struct td_str *v)
{
    if (a->node)
        return td_html_attr(a->node, name, v);
    for (size_t i = 0; i < a->n; i++)
        if (td_str_eq(a->list[i].name, td_str_c(name))) {
            *v = a->list[i].value;
            return true;
        }
    return false;
}

/* Not a designated initializer: that would zero `opened` (4 KB) on every call. */
static void ser_init(struct ser *s, struct td_buf *out, const char *base_url)
{
    s->out = out;
    s->base = base_url;
    td_buf_init(&s->url, 8192);
    s->ws = WS_START;
    s->pre = 0;
    s->depth = 0;
}

static int open_tag(struct ser *s, const struct attrs *a, const char *name, bool *opened)
{
    struct td_str v;
    int no_space = WS_START;
    *opened = false;
    if (!strcmp(name, "a")) {
        td_buf_reset(&s->url);
        if (!attr_get(a, "href", &v) || td_html_resolve_url(s->base, v, &s->url) < 0)
            return 0; /* unwrap */
        if (put_c(s->out, "<a href=\"") < 0 ||
            escape(s->out, td_buf_str(&s->url), false, &no_space) < 0 || put_c(s->out, "\">") < 0)
            return TD_ETOOBIG;
        *opened = true;
        return 0;
    }
    if (!strcmp(name, "img")) {
        td_buf_reset(&s->url);
        if (!attr_get(a, "src", &v) || td_html_resolve_url(s->base, v, &s->url) < 0)
            return 0;
        if (put_c(s->out, "<img src=\"") < 0 ||
            escape(s->out, td_buf_str(&s->url), false, &no_space) < 0 || put_c(s->out, "\"") < 0)
            return TD_ETOOBIG;
        if (attr_get(a, "alt", &v) &&
            (put_c(s->out, " alt=\"") < 0 || escape(s->out, td_str_trim(v), false, &no_space) < 0 ||
             put_c(s->out, "\"") < 0))
            return TD_ETOOBIG;
        if (put_ch(s->out, '>') < 0)
            return TD_ETOOBIG;
        *opened = true;
        return 0;
    }
    *opened = true;
    return tag(s->out, "<", name);
}

/* Not a, em, strong, code, br or img; asked on every element entered and left. */
static bool is_block(const char *name)
{
    switch (name[0]) {
    case 'a':
        return name[1] != '\0';
    case 'e':
        return strcmp(name, "em") != 0;
    case 's':
        return strcmp(name, "strong") != 0;
    case 'c':
        return strcmp(name, "code") != 0;
    case 'b':
        return strcmp(name, "br") != 0;
    case 'i':
        return strcmp(name, "img") != 0;
    default:
        return true;
    }
}

/*
 * Enter an element; `drop` when it goes with its content (the caller's
 * verdict for anything but the root).  Returns 1 when the content must be
 * skipped (its leave event still comes), 0 when entered, or TD_ETOOBIG.
 */
static int ser_enter(struct ser *s, enum td_html_tag t, bool root, bool drop, const struct attrs *a)
{
    const char *name = NULL;
    enum action act = action_of(t, &name);
    if (drop) {
        s->opened[s->depth++] = NULL;
        return 1;
    }
    s->opened[s->depth] = NULL;
    if (act == ACT_KEEP && !root) {
        bool did;
        if (is_block(name)) {
            s->ws = WS_START;
        } else if (s->ws == WS_PENDING) {
            /* The space goes before the tag: "a <em>b</em>", not "a<em> b</em>". */
            if (put_ch(s->out, ' ') < 0)
                return TD_ETOOBIG;
            s->ws = WS_START;
        }
        if (open_tag(s, a, name, &did) < 0)
            return TD_ETOOBIG;
        if (did) {
            s->opened[s->depth] = name;
            if (!strcmp(name, "pre"))
                s->pre++;
        }
    } else if (act == ACT_BLOCK) {
        s->ws = WS_START;
    }
    s->depth++;
    return 0;
}

static int ser_leave(struct ser *s)
{
    const char *name = s->opened[--s->depth];
    if (!name)
        return 0;
    if (name[0] == 'p' && !strcmp(name, "pre"))
        s->pre--;
    if (is_block(name))
        s->ws = WS_START;
    bool is_void =
        (name[0] == 'b' && !strcmp(name, "br")) || (name[0] == 'i' && !strcmp(name, "img"));
    if (!is_void && tag(s->out, "</", name) < 0)
        return TD_ETOOBIG;
    return 0;
}

static int ser_text(struct ser *s, struct td_str txt)
{
    if (s->pre) {
        int none = WS_START;
        return escape(s->out, txt, false, &none);
    }
    return escape(s->out, txt, true, &s->ws);
}

int td_html_sanitize_node(const struct td_html_node *root, const char *base_url,
                          bool (*skip)(const struct td_html_node *, void *), void *ctx,
                          struct td_buf *out)
{
    struct ser s;
    struct td_html_walk w;
    bool leaving;
    int err = 0;

    ser_init(&s, out, base_url);
    td_html_walk_init(&w, (struct td_html_node *)root);
    for (struct td_html_node *n; (n = td_html_walk_next(&w, &leaving));) {
        enum td_html_tag t = td_html_tag(n);
        if (leaving) {
            if (td_html_is_element(n) && (err = ser_leave(&s)) < 0)
                break;
            continue;
        }
        if (t == TD_HTML_TEXT) {
            if ((err = ser_text(&s, td_html_text(n))) < 0)
                break;
            continue;
        }
        if (!td_html_is_element(n))
            continue;
        const char *name;
        bool drop = n != root && (action_of(t, &name) == ACT_DROP || td_html_is_foreign(n) ||
                                  td_html_is_hidden(n) || (skip && skip(n, ctx)));
        struct attrs a = {.node = n};
        if ((err = ser_enter(&s, t, n == root, drop, &a)) < 0)
            break;
        if (err == 1)
            td_html_walk_skip(&w);
        err = 0;
    }
    td_buf_release(&s.url);
    return err < 0 ? TD_ETOOBIG : 0;
}

/*
 * What sanitize_fragment can do without the parser.  PLAIN_TEXT: no markup
 * ('<') and no character references ('&'), so the input parses to one run
 * of body text; PLAIN_MARKUP: the fast path may try it.  Both need input
 * the parser reads byte for byte: valid UTF-8 and none of what HTML5 input
 * preprocessing rewrites (NUL, CR, a leading BOM) or what we would rather
 * not reason about (other C0 and C1 controls, DEL).  CR is fine in text
 * alone: the parser turns it into LF and both collapse to one space.
 * Leading white space, which the parser drops before <body>, is dropped
 * by the collapsing escape too.
 */
enum { NOT_PLAIN, PLAIN_TEXT, PLAIN_MARKUP };

/* Byte classes of ASCII for classify(): 0 is an ordinary byte. */
enum { B_CR = 1, B_BAD };
static const unsigned char byte_class[256] = {
    [0x00] = B_BAD, [0x01] = B_BAD, [0x02] = B_BAD, [0x03] = B_BAD, [0x04] = B_BAD, [0x05] = B_BAD,
    [0x06] = B_BAD, [0x07] = B_BAD, [0x08] = B_BAD, [0x0b] = B_BAD, [0x0d] = B_CR,  [0x0e] = B_BAD,
    [0x0f] = B_BAD, [0x10] = B_BAD, [0x11] = B_BAD, [0x12] = B_BAD, [0x13] = B_BAD, [0x14] = B_BAD,
    [0x15] = B_BAD, [0x16] = B_BAD, [0x17] = B_BAD, [0x18] = B_BAD, [0x19] = B_BAD, [0x1a] = B_BAD,
    [0x1b] = B_BAD, [0x1c] = B_BAD, [0x1d] = B_BAD, [0x1e] = B_BAD, [0x1f] = B_BAD, [0x7f] = B_BAD,
};

/* Whether any of the 8 bytes in w is below 0x20 or at or above 0x7f. */
static bool word_unusual(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    return (((w - ones * 0x20) & ~w) | w | (w + ones)) & highs;
}

static int classify(const char *html, size_t len)
{
    const unsigned char *p = (const unsigned char *)html;
    if (len >= 3 && !memcmp(html, "\xef\xbb\xbf", 3))
        return NOT_PLAIN;
    bool markup = memchr(html, '<', len) || memchr(html, '&', len);
    bool cr = false;
    for (size_t i = 0; i < len;) {
        uint64_t w;
        /* Printable ASCII, most of the input, is skipped 8 bytes at a time. */
        if (len - i >= 8 && (memcpy(&w, p + i, 8), !word_unusual(w))) {
            i += 8;
            continue;
        }
        if (p[i] >= 0x80) {
            /* UTF-8 is checked here, a sequence at a time, not in a second pass. */
            bool ok;
            if (p[i] == 0xc2 && i + 1 < len && p[i + 1] < 0xa0)
                return NOT_PLAIN; /* a C1 control */
            i += td_utf8_scan(html + i, len - i, &ok);
            if (!ok)
                return NOT_PLAIN;
            continue;
        }
        switch (byte_class[p[i]]) {
        case 0:
            break;
        case B_CR:
            cr = true;
            break;
        default:
            return NOT_PLAIN;
        }
        i++;
    }
    if (markup && cr)
        return NOT_PLAIN;
    return markup ? PLAIN_MARKUP : PLAIN_TEXT;
}

/*
 * The fast path: a tokenizer for the plain, well-nested HTML most feed
 * values are, that drives the serializer with the events the parsed tree
 * would give, without building the tree.  It knows the HTML5 tree
 * construction rules only for what it accepts:
 *
 *  - elements from the table below: ordinary and formatting phrasing
 *    elements, img and br, p, li, headings, pre and other block containers;
 *  - end tags that close the current element, or a block whose open p and
 *    li elements above it the end tag closes implicitly;
 *  - a start tag that implicitly closes the current p (any block) or li
 *    (li, whose parent must then be ul or ol);
 *  - tables whose content sits in cells, outside any p: sections, rows and
 *    cells close the ones still open, rows and cells get their implied
 *    tbody and tr, and only white space (not written as a character
 *    reference) and comments sit between them;
 *  - text, the character references &amp; &lt; &gt; &quot; &apos; &nbsp;
 *    and numeric ones to ordinary characters, a '&' that starts no
 *    reference, a '<' that starts no tag, and comments.
 *
 * Anything else (text a table would move out of it, a caption, script, an
 * a inside an a, a p that a block would close from further down, misnested
 * formatting, a fourth nested b, an unknown reference, odd attribute
 * syntax, ...) makes it give up, and
 * the value goes through the parser.  Those cases are where the parser's
 * adoption agency, foster parenting, raw text and reference tables come in.
 * Tests compare both paths on crafted inputs and every suite file.
 */
enum fkind {
    F_PLAIN,
    F_FORMAT,
    F_A,
    F_VOID,
    F_BLOCK,
    F_PRE,
    F_LIST,
    F_P,
    F_LI,
    F_HEADING,
    /* Table structure, handled apart (table_start, table_end); keep it last. */
    F_TABLE,
    F_SECTION, /* thead, tbody, tfoot */
    F_TR,
    F_CELL, /* td, th */
};

struct fname {
    const char *name;
    size_t len;
    enum td_html_tag tag;
    enum fkind kind;
};

static const struct fname fnames[] = {
    {"a", 1, TD_HTML_A, F_A},
    {"abbr", 4, TD_HTML_OTHER, F_PLAIN},
    {"address", 7, TD_HTML_ADDRESS, F_BLOCK},
    {"article", 7, TD_HTML_ARTICLE, F_BLOCK},
    {"aside", 5, TD_HTML_ASIDE, F_BLOCK},
    {"b", 1, TD_HTML_B, F_FORMAT},
    {"blockquote", 10, TD_HTML_BLOCKQUOTE, F_BLOCK},
    {"br", 2, TD_HTML_BR, F_VOID},
    {"center", 6, TD_HTML_CENTER, F_BLOCK},
    {"cite", 4, TD_HTML_OTHER, F_PLAIN},
    {"code", 4, TD_HTML_CODE, F_FORMAT},
    {"div", 3, TD_HTML_DIV, F_BLOCK},
    {"em", 2, TD_HTML_EM, F_FORMAT},
    {"figcaption", 10, TD_HTML_FIGCAPTION, F_BLOCK},
    {"figure", 6, TD_HTML_FIGURE, F_BLOCK},
    {"font", 4, TD_HTML_FONT, F_FORMAT},
    {"footer", 6, TD_HTML_FOOTER, F_BLOCK},
    {"h1", 2, TD_HTML_H1, F_HEADING},
    {"h2", 2, TD_HTML_H2, F_HEADING},
    {"h3", 2, TD_HTML_H3, F_HEADING},
    {"h4", 2, TD_HTML_H4, F_HEADING},
    {"h5", 2, TD_HTML_H5, F_HEADING},
    {"h6", 2, TD_HTML_H6, F_HEADING},
    {"header", 6, TD_HTML_HEADER, F_BLOCK},
    {"i", 1, TD_HTML_I, F_FORMAT},
    {"img", 3, TD_HTML_IMG, F_VOID},
    {"li", 2, TD_HTML_LI, F_LI},
    {"main", 4, TD_HTML_MAIN, F_BLOCK},
    {"nav", 3, TD_HTML_NAV, F_BLOCK},
    {"ol", 2, TD_HTML_OL, F_LIST},
    {"p", 1, TD_HTML_P, F_P},
    {"pre", 3, TD_HTML_PRE, F_PRE},
    {"s", 1, TD_HTML_OTHER, F_FORMAT},
    {"section", 7, TD_HTML_SECTION, F_BLOCK},
    {"small", 5, TD_HTML_OTHER, F_FORMAT},
    {"span", 4, TD_HTML_SPAN, F_PLAIN},
    {"strong", 6, TD_HTML_STRONG, F_FORMAT},
    {"sub", 3, TD_HTML_SUB, F_PLAIN},
    {"sup", 3, TD_HTML_SUP, F_PLAIN},
    {"table", 5, TD_HTML_TABLE, F_TABLE},
    {"tbody", 5, TD_HTML_TBODY, F_SECTION},
    {"td", 2, TD_HTML_TD, F_CELL},
    {"tfoot", 5, TD_HTML_TFOOT, F_SECTION},
    {"th", 2, TD_HTML_TH, F_CELL},
    {"thead", 5, TD_HTML_THEAD, F_SECTION},
    {"time", 4, TD_HTML_TIME, F_PLAIN},
    {"tr", 2, TD_HTML_TR, F_TR},
    {"u", 1, TD_HTML_U, F_FORMAT},
    {"ul", 2, TD_HTML_UL, F_LIST},
};

#define FAST_MAX_DEPTH 64
#define FAST_MAX_ATTRS 16
#define FAST_BAIL 1 /* td_html_sanitize_fast()'s "needs the parser" */

static const struct fname *fname_find(const char *s, size_t n)
{
    char low[16];
    if (n == 0 || n >= sizeof(low))
        return NULL;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)td_ascii_lower((unsigned char)s[i]);
    /* fnames is sorted by name: a binary search, a prefix before its extensions. */
    size_t lo = 0, hi = TD_ARRAY_SIZE(fnames);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct fname *e = &fnames[mid];
        int c = memcmp(low, e->name, TD_MIN(n, e->len));
        if (c == 0)
            c = n < e->len ? -1 : n > e->len;
        if (c == 0)
            return e;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static bool is_tag_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f';
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static size_t utf8_put(char *b, unsigned long v)
{
    if (v < 0x80) {
        b[0] = (char)v;
        return 1;
    }
    if (v < 0x800) {
        b[0] = (char)(0xc0 | (v >> 6));
        b[1] = (char)(0x80 | (v & 0x3f));
        return 2;
    }
    if (v < 0x10000) {
        b[0] = (char)(0xe0 | (v >> 12));
        b[1] = (char)(0x80 | ((v >> 6) & 0x3f));
        b[2] = (char)(0x80 | (v & 0x3f));
        return 3;
    }
    b[0] = (char)(0xf0 | (v >> 18));
    b[1] = (char)(0x80 | ((v >> 12) & 0x3f));
    b[2] = (char)(0x80 | ((v >> 6) & 0x3f));
    b[3] = (char)(0x80 | (v & 0x3f));
    return 4;
}

/*
 * The character reference at p[0] == '&': its text in buf (*n bytes) and
 * the input it takes (*used).  False to give up.  Only references whose
 * meaning needs no table and no error handling are decoded; in attribute
 * values "&name=" stays as written (HTML5's rule for query strings).
 */
static bool charref(const char *p, const char *end, bool attr, char *buf, size_t *n, size_t *used)
{
    static const struct {
        const char *name, *text;
    } named[] = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xc2\xa0"},
    };
    const char *q = p + 1;
    if (q == end || (!is_alnum(*q) && *q != '#')) {
        buf[0] = '&';
        *n = *used = 1;
        return true;
    }
    if (*q == '#') {
        bool hex = q + 1 < end && (q[1] == 'x' || q[1] == 'X');
        unsigned long v = 0;
        size_t digits = 0;
        for (q += hex ? 2 : 1; q < end && digits < 8; q++, digits++) {
            int d = *q >= '0' && *q <= '9'          ? *q - '0'
                    : hex && *q >= 'a' && *q <= 'f' ? *q - 'a' + 10
                    : hex && *q >= 'A' && *q <= 'F' ? *q - 'A' + 10
                                                    : -1;
            if (d < 0)
                break;
            v = v * (hex ? 16 : 10) + (unsigned long)d;
        }
        if (!digits || q == end || *q != ';')
            return false;
        if (!((v >= 0x20 && v < 0x7f) || (v >= 0xa0 && v < 0xd800) || (v >= 0xe000 && v < 0xfdd0) ||
              (v >= 0xfdf0 && v < 0xfffe) ||
              (v >= 0x10000 && v <= 0x10ffff && (v & 0xfffe) != 0xfffe)))
            return false;
        *n = utf8_put(buf, v);
        *used = (size_t)(q + 1 - p);
        return true;
    }
    const char *e = q;
    while (e < end && is_alnum(*e))
        e++;
    if (attr && e < end && *e == '=') {
        buf[0] = '&';
        *n = *used = 1;
        return true;
    }
    if (e == end || *e != ';')
        return false;
    for (size_t i = 0; i < TD_ARRAY_SIZE(named); i++)
        if (strlen(named[i].name) == (size_t)(e - q) &&
            !memcmp(named[i].name, q, (size_t)(e - q))) {
            *n = strlen(named[i].text);
            memcpy(buf, named[i].text, *n);
            *used = (size_t)(e + 1 - p);
            return true;
        }
    return false;
}

struct fast {
    struct ser s;
    const char *p, *end;
    const struct fname *stack[FAST_MAX_DEPTH];
    unsigned sp;
    unsigned hide; /* stack height of a dropped element, 0 if none */
    struct fattr attrs[FAST_MAX_ATTRS];
    size_t nattrs;
    struct td_buf values; /* decoded attribute values */
    size_t vstart[FAST_MAX_ATTRS], vlen[FAST_MAX_ATTRS];
};

/* td_html_is_hidden() over a list of attributes. */
static bool list_is_hidden(const struct fattr *a, size_t n)
{
    bool aria_seen = false, style_seen = false;
    for (size_t i = 0; i < n; i++) {
        if (td_str_eq(a[i].name, TD_STR_LIT("hidden")))
            return true;
        if (!aria_seen && td_str_eq(a[i].name, TD_STR_LIT("aria-hidden"))) {
            aria_seen = true;
            if (td_str_eq_nocase(td_str_trim(a[i].value), TD_STR_LIT("true")))
                return true;
        } else if (!style_seen && td_str_eq(a[i].name, TD_STR_LIT("style"))) {
            style_seen = true;
            if (td_html_style_hides(a[i].value))
                return true;
        }
    }
    return false;
}

static int fast_push(struct fast *f, const struct fname *e)
{
    if (f->sp == FAST_MAX_DEPTH)
        return FAST_BAIL;
    f->stack[f->sp++] = e;
    if (f->hide)
        return 0;
    struct attrs a = {.list = f->attrs, .n = f->nattrs};
    int r = ser_enter(&f->s, e->tag, false, list_is_hidden(f->attrs, f->nattrs), &a);
    if (r == 1)
        f->hide = f->sp;
    return r < 0 ? r : 0;
}

static int fast_pop(struct fast *f)
{
    f->sp--;
    if (f->hide && f->sp + 1 > f->hide)
        return 0;
    if (f->hide == f->sp + 1)
        f->hide = 0;
    return ser_leave(&f->s);
}

static bool in_stack(const struct fast *f, enum fkind kind, const struct fname *e)
{
    for (unsigned i = 0; i < f->sp; i++)
        if (e ? f->stack[i] == e : f->stack[i]->kind == kind)
            return true;
    return false;
}

static const struct fname *current(const struct fast *f)
{
    return f->sp ? f->stack[f->sp - 1] : NULL;
}

/*
 * Whether the current node is a table, a table section or a row: HTML5
 * moves whatever is not table structure, white space or a comment out of
 * the table there (foster parenting), which the fast path leaves to the
 * parser.
 */
static bool in_table_body(const struct fast *f)
{
    const struct fname *c = current(f);
    return c && c->kind >= F_TABLE && c->kind != F_CELL;
}

#define KIND(k) (1u << (k))

/*
 * Pop what a table tag closes implicitly, until the current node is `stop`
 * or of a kind in `stops`.  Only kinds in `pops` may be popped on the way:
 * p and li (implied end tags), and the cells, rows and sections the table
 * insertion modes close.  Anything else (a formatting element left open in
 * a cell, no table at all) is the parser's.
 */
static int unwind(struct fast *f, const struct fname *stop, unsigned stops, unsigned pops)
{
    int err;
    for (;;) {
        const struct fname *c = current(f);
        if (!c)
            return FAST_BAIL;
        if (c == stop || (KIND(c->kind) & stops))
            return 0;
        if (!(KIND(c->kind) & pops))
            return FAST_BAIL;
        if ((err = fast_pop(f)))
            return err;
    }
}

/* An element the parser inserts without a tag (tbody, tr): no attributes. */
static int push_implied(struct fast *f, const char *name)
{
    size_t n = f->nattrs;
    f->nattrs = 0;
    int err = fast_push(f, fname_find(name, strlen(name)));
    f->nattrs = n;
    return err;
}

/*
 * A table structure start tag.  A table starts as a block in body content,
 * but not while a p is open: whether it closes the p depends on the quirks
 * mode.  Sections, rows and cells close the open cell, row or section
 * first, and rows and cells get the tbody and tr HTML5 implies.
 */
static int table_start(struct fast *f, const struct fname *e)
{
    const unsigned implied = KIND(F_P) | KIND(F_LI);
    int err = 0;
    switch (e->kind) {
    case F_TABLE:
        if (in_table_body(f) || in_stack(f, F_P, NULL))
            return FAST_BAIL;
        break;
    case F_SECTION:
        err = unwind(f, NULL, KIND(F_TABLE), implied | KIND(F_CELL) | KIND(F_TR) | KIND(F_SECTION));
        break;
    case F_TR:
        err = unwind(f, NULL, KIND(F_TABLE) | KIND(F_SECTION), implied | KIND(F_CELL) | KIND(F_TR));
        if (!err && current(f)->kind == F_TABLE)
            err = push_implied(f, "tbody");
        break;
    default:
        err = unwind(f, NULL, KIND(F_TABLE) | KIND(F_SECTION) | KIND(F_TR), implied | KIND(F_CELL));
        if (!err && current(f)->kind == F_TABLE)
            err = push_implied(f, "tbody");
        if (!err && current(f)->kind == F_SECTION)
            err = push_implied(f, "tr");
        break;
    }
    return err ? err : fast_push(f, e);
}

/* A table structure end tag: closes what is open inside it, as above. */
static int table_end(struct fast *f, const struct fname *e)
{
    unsigned pops = KIND(F_P) | KIND(F_LI);
    if (e->kind <= F_TR)
        pops |= KIND(F_CELL);
    if (e->kind <= F_SECTION)
        pops |= KIND(F_TR);
    if (e->kind == F_TABLE)
        pops |= KIND(F_SECTION);
    int err = unwind(f, e, 0, pops);
    return err ? err : fast_pop(f);
}

/* A start tag of element e, its attributes read. */
static int fast_start(struct fast *f, const struct fname *e, bool self_closing)
{
    int err;
    if (self_closing && e->kind != F_VOID)
        return FAST_BAIL;
    if (e->kind >= F_TABLE)
        return table_start(f, e);
    if (in_table_body(f))
        return FAST_BAIL;
    if (e->kind == F_LI && current(f) && current(f)->kind == F_LI && (err = fast_pop(f)))
        return err;
    if (e->kind >= F_BLOCK && in_stack(f, F_P, NULL)) {
        /* "close a p element", done here only when the p is the current node */
        if (current(f)->kind != F_P)
            return FAST_BAIL;
        if ((err = fast_pop(f)))
            return err;
    }
    if (e->kind == F_LI && (!current(f) || current(f)->kind != F_LIST))
        return FAST_BAIL;
    if (e->kind == F_HEADING && current(f) && current(f)->kind == F_HEADING)
        return FAST_BAIL;
    if (e->kind == F_A && in_stack(f, F_A, NULL))
        return FAST_BAIL;
    if (e->kind == F_FORMAT) {
        unsigned same = 0;
        for (unsigned i = 0; i < f->sp; i++)
            same += f->stack[i] == e;
        if (same >= 3)
            return FAST_BAIL;
    }
    if ((err = fast_push(f, e)))
        return err;
    /* A newline right after <pre> is not content. */
    if (e->kind == F_PRE && f->p < f->end && *f->p == '\n')
        f->p++;
    return e->kind == F_VOID ? fast_pop(f) : 0;
}

/* An end tag of element e. */
static int fast_end(struct fast *f, const struct fname *e)
{
    int err;
    if (e->kind >= F_TABLE)
        return table_end(f, e);
    if (in_table_body(f) || e->kind == F_VOID || !in_stack(f, 0, e))
        return FAST_BAIL;
    if (current(f) != e) {
        /* Blocks close the p and li elements open above them (implied end tags). */
        if (e->kind < F_BLOCK || e->kind == F_P)
            return FAST_BAIL;
        for (unsigned i = f->sp; f->stack[i - 1] != e; i--)
            if (f->stack[i - 1]->kind != F_P && f->stack[i - 1]->kind != F_LI)
                return FAST_BAIL;
        while (current(f) != e)
            if ((err = fast_pop(f)))
                return err;
    }
    return fast_pop(f);
}

static int fast_text(struct fast *f, const char *s, size_t n)
{
    if (in_table_body(f))
        for (size_t i = 0; i < n; i++)
            if (!is_tag_space(s[i]))
                return FAST_BAIL;
    if (f->hide || !n)
        return 0;
    return ser_text(&f->s, td_str_make(s, n));
}

/* Attributes after a start tag's name, up to and including '>'. */
static int fast_attrs(struct fast *f, bool *self_closing)
{
    const char *p = f->p, *end = f->end;
    f->nattrs = 0;
    td_buf_reset(&f->values);
    *self_closing = false;
    for (;;) {
        while (p < end && is_tag_space(*p))
            p++;
        if (p == end)
            return FAST_BAIL;
        if (*p == '>')
            break;
        if (*p == '/') {
            if (p + 1 == end || p[1] != '>')
                return FAST_BAIL;
            *self_closing = true;
            p++;
            break;
        }
        if (*p == '=' || f->nattrs == FAST_MAX_ATTRS)
            return FAST_BAIL;
        const char *name = p;
        while (p < end && !is_tag_space(*p) && *p != '/' && *p != '>' && *p != '=') {
            if (*p == '"' || *p == '\'' || *p == '<' || (*p >= 'A' && *p <= 'Z'))
                return FAST_BAIL;
            p++;
        }
        struct fattr *a = &f->attrs[f->nattrs];
        a->name = td_str_make(name, (size_t)(p - name));
        size_t vstart = f->values.len;
        while (p < end && is_tag_space(*p))
            p++;
        if (p < end && *p == '=') {
            p++;
            while (p < end && is_tag_space(*p))
                p++;
            if (p == end || *p == '>')
                return FAST_BAIL;
            char quote = *p == '"' || *p == '\'' ? *p++ : 0;
            for (;;) {
                if (p == end)
                    return FAST_BAIL;
                if (quote ? *p == quote : is_tag_space(*p) || *p == '>')
                    break;
                if (!quote && (*p == '"' || *p == '\'' || *p == '<' || *p == '=' || *p == '`'))
                    return FAST_BAIL;
                const char *run = p;
                while (p < end && *p != '&' &&
                       (quote ? *p != quote
                              : !is_tag_space(*p) && *p != '>' && *p != '"' && *p != '\'' &&
                                    *p != '<' && *p != '=' && *p != '`'))
                    p++;
                if (td_buf_append(&f->values, run, (size_t)(p - run)) < 0)
                    return FAST_BAIL;
                if (p < end && *p == '&') {
                    char buf[8];
                    size_t n, used;
                    if (!charref(p, end, true, buf, &n, &used) ||
                        td_buf_append(&f->values, buf, n) < 0)
                        return FAST_BAIL;
                    p += used;
                }
            }
            if (quote) {
                p++;
                if (p < end && !is_tag_space(*p) && *p != '/' && *p != '>')
                    return FAST_BAIL;
            }
        }
        f->vstart[f->nattrs] = vstart;
        f->vlen[f->nattrs] = f->values.len - vstart;
        f->nattrs++;
    }
    for (size_t i = 0; i < f->nattrs; i++)
        f->attrs[i].value = td_str_make(f->values.buf + f->vstart[i], f->vlen[i]);
    f->p = p + 1;
    return 0;
}

/* Markup at f->p == '<'. */
static int fast_markup(struct fast *f)
{
    const char *p = f->p, *end = f->end;
    if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
        const char *c = p + 4;
        if (c < end && (*c == '>' || (*c == '-' && c + 1 < end && c[1] == '>')))
            return FAST_BAIL;
        for (; c + 2 < end; c++) {
            if (c[0] == '-' && c[1] == '-' && c[2] == '!')
                return FAST_BAIL;
            if (c[0] == '-' && c[1] == '-' && c[2] == '>') {
                f->p = c + 3;
                return 0;
            }
        }
        return FAST_BAIL;
    }
    bool closing = p + 1 < end && p[1] == '/';
    const char *name = p + 1 + closing;
    if (name == end || !((*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z'))) {
        if (closing || (p + 1 < end && (p[1] == '!' || p[1] == '?')))
            return FAST_BAIL;
        f->p = p + 1; /* a '<' that starts no tag is text */
        return fast_text(f, "<", 1);
    }
    const char *ne = name;
    while (ne < end && !is_tag_space(*ne) && *ne != '/' && *ne != '>')
        ne++;
    const struct fname *e = fname_find(name, (size_t)(ne - name));
    if (!e)
        return FAST_BAIL;
    f->p = ne;
    if (closing) {
        while (f->p < end && is_tag_space(*f->p))
            f->p++;
        if (f->p == end || *f->p != '>')
            return FAST_BAIL;
        f->p++;
        return fast_end(f, e);
    }
    bool self_closing;
    int err = fast_attrs(f, &self_closing);
    return err ? err : fast_start(f, e, self_closing);
}

/* 0 with the output written, FAST_BAIL when the parser must do it, or TD_ETOOBIG. */
static int fast_sanitize(const char *html, size_t len, const char *base_url, struct td_buf *out)
{
    struct fast fs, *f = &fs; /* 6 KB, not zeroed: every field is set before it is read */
    int err;
    ser_init(&f->s, out, base_url);
    f->sp = f->hide = 0;
    f->nattrs = 0;
    td_buf_init(&f->values, TD_HTML_MAX_INPUT);
    f->p = html;
    f->end = html + len;
    struct attrs none = {0};
    err = ser_enter(&f->s, TD_HTML_BODY, true, false, &none);
    while (!err && f->p < f->end) {
        const char *p = f->p;
        if (*p == '<') {
            err = fast_markup(f);
        } else if (*p == '&') {
            char buf[8];
            size_t n, used;
            /* myhtml moves even a space written as a reference out of a table. */
            if (in_table_body(f) || !charref(p, f->end, false, buf, &n, &used)) {
                err = FAST_BAIL;
            } else {
                f->p += used;
                err = fast_text(f, buf, n);
            }
        } else {
            const char *q = memchr(p, '<', (size_t)(f->end - p));
            const char *amp = memchr(p, '&', (size_t)((q ? q : f->end) - p));
            q = amp ? amp : q ? q : f->end;
            f->p = q;
            err = fast_text(f, p, (size_t)(q - p));
        }
    }
    while (!err && f->sp)
        err = fast_pop(f);
    if (!err)
        err = ser_leave(&f->s);
    td_buf_release(&f->s.url);
    td_buf_release(&f->values);
    return err;
}

int td_html_sanitize_fast(const char *html, size_t len, const char *base_url, struct td_buf *out)
{
    int plain = len <= TD_HTML_MAX_INPUT ? classify(html, len) : NOT_PLAIN;
    if (plain == PLAIN_TEXT) {
        int ws = WS_START;
        return escape(out, (struct td_str){html, len}, true, &ws);
    }
    if (plain == NOT_PLAIN)
        return FAST_BAIL;
    size_t start = out->len;
    int err = fast_sanitize(html, len, base_url, out);
    if (err == FAST_BAIL)
        td_buf_truncate(out, start);
    return err;
}

int td_html_sanitize_fragment(const char *html, size_t len, const char *base_url,
                              struct td_buf *out)
{
    /*
     * Feed values are small and mostly plain text or plain markup; parsing
     * one costs the parser's fixed set-up and tree building, far more than
     * the escaping the walk would do with it.  Text without markup is
     * escaped directly; simple markup takes the fast path.
     */
    int err = td_html_sanitize_fast(html, len, base_url, out);
    if (err != FAST_BAIL)
        return err;
    struct td_html_doc *doc = NULL;
    if ((err = td_html_parse(html, len, &doc)) < 0)
        return err;
    err = td_html_sanitize_node(td_html_body(doc), base_url, NULL, NULL, out);
    td_html_free(doc);
    return err;
}

int td_html_escape_paragraph(struct td_str text, struct td_buf *out)
{
    int ws = WS_START;
    if (put_c(out, "<p>") < 0 || escape(out, text, true, &ws) < 0 || put_c(out, "</p>") < 0)
        return TD_ETOOBIG;
    return 0;
}
