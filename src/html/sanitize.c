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
        while (q < end && !(esc_class[*q] & mask))
            q++;
        if (q > p) {
            if (collapse && *ws == WS_PENDING && td_buf_append_ch(out, ' ') < 0)
                return TD_ETOOBIG;
            *ws = WS_TEXT;
            if (td_buf_append(out, p, (size_t)(q - p)) < 0)
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
        if (collapse && *ws == WS_PENDING && td_buf_append_ch(out, ' ') < 0)
            return TD_ETOOBIG;
        *ws = WS_TEXT;
        if (td_buf_append_c(out, escaped(*q)) < 0)
            return TD_ETOOBIG;
    }
    return 0;
}

/* Write "<name>" or "</name>" (`open` is "<" or "</"). */
static int tag(struct td_buf *out, const char *open, const char *name)
{
    if (td_buf_append_c(out, open) < 0 || td_buf_append_c(out, name) < 0 ||
        td_buf_append_ch(out, '>') < 0)
        return TD_ETOOBIG;
    return 0;
}

struct ser {
    struct td_buf *out;
    const char *base;
    struct td_buf url;
    int ws;       /* white-space state of inline text (WS_*) */
    unsigned pre; /* inside <pre>: keep white space */
};

static int open_tag(struct ser *s, const struct td_html_node *n, const char *name, bool *opened)
{
    struct td_str v;
    int no_space = WS_START;
    *opened = false;
    if (!strcmp(name, "a")) {
        td_buf_reset(&s->url);
        if (!td_html_attr(n, "href", &v) || td_html_resolve_url(s->base, v, &s->url) < 0)
            return 0; /* unwrap */
        if (td_buf_append_c(s->out, "<a href=\"") < 0 ||
            escape(s->out, td_buf_str(&s->url), false, &no_space) < 0 ||
            td_buf_append_c(s->out, "\">") < 0)
            return TD_ETOOBIG;
        *opened = true;
        return 0;
    }
    if (!strcmp(name, "img")) {
        td_buf_reset(&s->url);
        if (!td_html_attr(n, "src", &v) || td_html_resolve_url(s->base, v, &s->url) < 0)
            return 0;
        if (td_buf_append_c(s->out, "<img src=\"") < 0 ||
            escape(s->out, td_buf_str(&s->url), false, &no_space) < 0 ||
            td_buf_append_c(s->out, "\"") < 0)
            return TD_ETOOBIG;
        if (td_html_attr(n, "alt", &v) && (td_buf_append_c(s->out, " alt=\"") < 0 ||
                                           escape(s->out, td_str_trim(v), false, &no_space) < 0 ||
                                           td_buf_append_c(s->out, "\"") < 0))
            return TD_ETOOBIG;
        if (td_buf_append_ch(s->out, '>') < 0)
            return TD_ETOOBIG;
        *opened = true;
        return 0;
    }
    *opened = true;
    return tag(s->out, "<", name);
}

static bool is_block(const char *name)
{
    return strcmp(name, "a") && strcmp(name, "em") && strcmp(name, "strong") &&
           strcmp(name, "code") && strcmp(name, "br") && strcmp(name, "img");
}

int td_html_sanitize_node(const struct td_html_node *root, const char *base_url,
                          bool (*skip)(const struct td_html_node *, void *), void *ctx,
                          struct td_buf *out)
{
    struct ser s = {.out = out, .base = base_url};
    struct td_html_walk w;
    bool leaving;
    int err = 0;
    /* Per-depth record of what was opened, so leave events close the right tag. */
    const char *opened[TD_HTML_MAX_DEPTH + 2];
    unsigned depth = 0;

    td_buf_init(&s.url, 8192);
    td_html_walk_init(&w, (struct td_html_node *)root);
    for (struct td_html_node *n; (n = td_html_walk_next(&w, &leaving));) {
        enum td_html_tag t = td_html_tag(n);
        if (leaving) {
            if (!td_html_is_element(n))
                continue;
            depth--;
            const char *name = opened[depth];
            if (name) {
                if (!strcmp(name, "pre"))
                    s.pre--;
                if (is_block(name))
                    s.ws = WS_START;
                if (strcmp(name, "br") && strcmp(name, "img") && tag(out, "</", name) < 0)
                    goto toobig;
            }
            continue;
        }
        if (t == TD_HTML_TEXT) {
            struct td_str txt = td_html_text(n);
            if (s.pre) {
                int none = WS_START;
                if (escape(out, txt, false, &none) < 0)
                    goto toobig;
            } else if (escape(out, txt, true, &s.ws) < 0) {
                goto toobig;
            }
            continue;
        }
        if (!td_html_is_element(n))
            continue;
        const char *name = NULL;
        enum action act = action_of(t, &name);
        if (n != root && (act == ACT_DROP || td_html_is_foreign(n) || td_html_is_hidden(n) ||
                          (skip && skip(n, ctx)))) {
            td_html_walk_skip(&w);
            opened[depth++] = NULL;
            continue;
        }
        opened[depth] = NULL;
        if (act == ACT_KEEP && n != root) {
            bool did;
            if (is_block(name)) {
                s.ws = WS_START;
            } else if (s.ws == WS_PENDING) {
                /* The space goes before the tag: "a <em>b</em>", not "a<em> b</em>". */
                if (td_buf_append_ch(out, ' ') < 0)
                    goto toobig;
                s.ws = WS_START;
            }
            if (open_tag(&s, n, name, &did) < 0)
                goto toobig;
            if (did) {
                opened[depth] = name;
                if (!strcmp(name, "pre"))
                    s.pre++;
            }
        } else if (act == ACT_BLOCK) {
            s.ws = WS_START;
        }
        depth++;
    }
    goto out;
toobig:
    err = TD_ETOOBIG;
out:
    td_buf_release(&s.url);
    return err;
}

/*
 * Whether `html` parses to nothing but one run of body text that the
 * parser keeps byte for byte: no markup ('<'), no character references
 * ('&'), valid UTF-8, and none of what HTML5 input preprocessing rewrites
 * (NUL, a leading BOM) or what we would rather not reason about (other C0
 * and C1 controls, DEL).  CR is fine: the parser turns it into LF and both
 * collapse to one space.  Leading white space, which the parser drops
 * before <body>, is dropped by the collapsing escape too.
 */
static bool is_plain_text(const char *html, size_t len)
{
    if (len >= 3 && !memcmp(html, "\xef\xbb\xbf", 3))
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)html[i];
        if (c == '<' || c == '&' || c == 0x7f ||
            (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ||
            (c == 0xc2 && i + 1 < len && (unsigned char)html[i + 1] < 0xa0))
            return false;
    }
    return td_utf8_valid(html, len);
}

int td_html_sanitize_fragment(const char *html, size_t len, const char *base_url,
                              struct td_buf *out)
{
    /*
     * Feed values are small and often plain text; parsing one costs a
     * fixed ~30,000 instructions in myhtml's tree reset alone (a memset in
     * mctree_clean under myhtml_tree_clean, per callgrind), far more than
     * escaping the text, which is all the walk below would do with it.
     */
    if (len <= TD_HTML_MAX_INPUT && is_plain_text(html, len)) {
        int ws = WS_START;
        return escape(out, (struct td_str){html, len}, true, &ws);
    }
    struct td_html_doc *doc = NULL;
    int err = td_html_parse(html, len, &doc);
    if (err < 0)
        return err;
    err = td_html_sanitize_node(td_html_body(doc), base_url, NULL, NULL, out);
    td_html_free(doc);
    return err;
}

int td_html_escape_paragraph(struct td_str text, struct td_buf *out)
{
    int ws = WS_START;
    if (td_buf_append_c(out, "<p>") < 0 || escape(out, text, true, &ws) < 0 ||
        td_buf_append_c(out, "</p>") < 0)
        return TD_ETOOBIG;
    return 0;
}
