/*
 * html.c - the DOM wrapper over myhtml: parsing with a per-thread parser
 * and tree cache, node accessors, the iterative walk and text content.
 *
 * myhtml runs in single mode (no worker threads).  Creating a myhtml_t and
 * a tree costs several times a typical page's parse, so each thread keeps
 * its parser for its whole life and one idle tree that td_html_free()
 * cleans and puts back (myhtml_tree_clean) instead of destroying.
 */
#include "base/compat.h"
#include "base/error.h"
#include "html/html.h"

#include <myhtml/myhtml.h>
#include <myhtml/tag.h>
#include <myhtml/tree.h>
#include <strings.h>

struct td_html_doc {
    myhtml_tree_t *tree;
};

/* Per-thread parser and spare tree (see the top of the file). */
static _Thread_local myhtml_t *tl_parser;
static _Thread_local myhtml_tree_t *tl_spare;

void td_html_thread_release(void)
{
    if (tl_spare) {
        myhtml_tree_destroy(tl_spare);
        tl_spare = NULL;
    }
    if (tl_parser) {
        myhtml_destroy(tl_parser);
        tl_parser = NULL;
    }
}

static myhtml_t *parser_get(void)
{
    if (!tl_parser) {
        myhtml_t *p = myhtml_create();
        if (!p)
            return NULL;
        if (myhtml_init(p, MyHTML_OPTIONS_PARSE_MODE_SINGLE, 1, 0) != MyHTML_STATUS_OK) {
            myhtml_destroy(p);
            return NULL;
        }
        tl_parser = p;
    }
    return tl_parser;
}

/*
 * Nesting cap before the parser.  HTML5 tree construction scans the stack
 * of open elements on every start tag ("has a p element in button scope"),
 * so 100,000 nested divs cost quadratic time inside myhtml.  A linear
 * pre-scan counts open container elements (void elements, elements with
 * optional end tags and raw-text contents excluded) and, only if the count
 * passes PARSE_MAX_NESTING, copies the input without the start tags beyond
 * the cap and without as many end tags.  Real pages never get near it.
 */
#define PARSE_MAX_NESTING 2048

static bool name_is(const char *s, size_t n, const char *const *names, size_t count)
{
    char c = (char)td_ascii_lower((unsigned char)s[0]);
    for (size_t i = 0; i < count; i++)
        if (names[i][0] == c && strlen(names[i]) == n && !strncasecmp(s, names[i], n))
            return true;
    return false;
}

static const char *const uncounted[] = {
    "area",  "base",  "br",       "col",      "embed",   "hr",    "img",  "input",
    "link",  "meta",  "param",    "source",   "track",   "wbr",   "p",    "li",
    "dt",    "dd",    "option",   "optgroup", "tr",      "td",    "th",   "thead",
    "tbody", "tfoot", "colgroup", "rb",       "rt",      "rp",    "html", "head",
    "body",  "frame", "keygen",   "basefont", "bgsound", "image",
};
static const char *const rawtext[] = {
    "script", "style", "textarea", "title", "xmp", "noembed", "noframes", "iframe", "plaintext",
};

/* First case-insensitive occurrence of `needle` (starting with a non-letter) or `end`. */
static const char *find_str(const char *s, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = s; p + n <= end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (!p || p + n > end)
            break;
        if (!strncasecmp(p, needle, n))
            return p;
    }
    return end;
}

/* Returns 0 and leaves `copy` empty when no cut is needed. */
static int cap_nesting(const char *s, size_t len, struct td_buf *copy)
{
    const char *p = s, *end = s + len, *flushed = s;
    size_t depth = 0, dropped = 0;
    while (p < end) {
        p = memchr(p, '<', (size_t)(end - p));
        if (!p)
            break;
        const char *tag = p;
        if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
            const char *c = find_str(p + 4, end, "-->");
            p = c == end ? end : c + 3;
            continue;
        }
        bool closing = p + 1 < end && p[1] == '/';
        const char *nm = p + 1 + closing, *ne = nm;
        while (ne < end && ((*ne >= 'a' && *ne <= 'z') || (*ne >= 'A' && *ne <= 'Z') ||
                            (*ne >= '0' && *ne <= '9') || *ne == '-'))
            ne++;
        if (ne == nm || !((*nm >= 'a' && *nm <= 'z') || (*nm >= 'A' && *nm <= 'Z'))) {
            p++;
            continue;
        }
        const char *gt = memchr(ne, '>', (size_t)(end - ne));
        p = gt ? gt + 1 : end;
        size_t n = (size_t)(ne - nm);
        bool counted = !name_is(nm, n, uncounted, TD_ARRAY_SIZE(uncounted));
        bool drop = false;
        if (closing) {
            if (counted && dropped) {
                dropped--;
                drop = true;
            } else if (counted && depth) {
                depth--;
            }
        } else if (name_is(nm, n, rawtext, TD_ARRAY_SIZE(rawtext))) {
            char close[16] = "</";
            memcpy(close + 2, nm, n);
            close[2 + n] = '\0';
            const char *c = find_str(p, end, close);
            p = c;
        } else if (counted && !(gt && gt > ne && gt[-1] == '/')) {
            if (depth >= PARSE_MAX_NESTING) {
                dropped++;
                drop = true;
            } else {
                depth++;
            }
        }
        if (drop) {
            if (td_buf_append(copy, flushed, (size_t)(tag - flushed)) < 0)
                return TD_ETOOBIG;
            flushed = p;
        }
    }
    if (flushed != s && td_buf_append(copy, flushed, (size_t)(end - flushed)) < 0)
        return TD_ETOOBIG;
    return 0;
}

int td_html_parse(const char *html, size_t len, struct td_html_doc **out)
{
    struct td_buf capped = TD_BUF_INIT(TD_HTML_MAX_INPUT);
    *out = NULL;
    if (len > TD_HTML_MAX_INPUT)
        return TD_ETOOBIG;
    /*
     * NUL is a parse error that HTML5 turns into U+FFFD; myhtml's own
     * replacement garbles the bytes around it (a NUL before a CR yields
     * invalid UTF-8), so it is done here, before the parser sees it.
     */
    struct td_buf nul_free = TD_BUF_INIT(TD_HTML_MAX_INPUT * 3);
    if (len && memchr(html, '\0', len)) {
        for (size_t i = 0; i < len; i++) {
            const char *nul = memchr(html + i, '\0', len - i);
            size_t n = nul ? (size_t)(nul - (html + i)) : len - i;
            if (td_buf_append(&nul_free, html + i, n) < 0 ||
                (nul && td_buf_append_c(&nul_free, "\xef\xbf\xbd") < 0)) {
                td_buf_release(&nul_free);
                return TD_ETOOBIG;
            }
            i += n;
        }
        html = nul_free.buf;
        len = nul_free.len;
    }
    /* Each counted start tag takes two bytes at least: short input cannot pass the cap. */
    int err = len > 2 * PARSE_MAX_NESTING ? cap_nesting(html, len, &capped) : 0;
    if (err < 0) {
        td_buf_release(&nul_free);
        return err;
    }
    if (capped.len) {
        html = capped.buf;
        len = capped.len;
    }
    myhtml_t *p = parser_get();
    if (!p) {
        td_buf_release(&capped);
        td_buf_release(&nul_free);
        return TD_EPARSE;
    }
    myhtml_tree_t *tree = tl_spare;
    tl_spare = NULL;
    if (!tree) {
        tree = myhtml_tree_create();
        if (!tree || myhtml_tree_init(tree, p) != MyHTML_STATUS_OK) {
            myhtml_tree_destroy(tree);
            td_buf_release(&capped);
            td_buf_release(&nul_free);
            return TD_EPARSE;
        }
    }
    /* myhtml wants a non-NULL buffer even for empty input. */
    mystatus_t st = myhtml_parse(tree, MyENCODING_UTF_8, len ? html : "", len);
    td_buf_release(&capped);
    td_buf_release(&nul_free);
    if (st != MyHTML_STATUS_OK || !myhtml_tree_get_node_html(tree)) {
        myhtml_tree_destroy(tree);
        return TD_EPARSE;
    }
    struct td_html_doc *doc = td_xmalloc(sizeof(*doc));
    doc->tree = tree;
    *out = doc;
    return 0;
}

/*
 * myhtml_tree_clean, and in it mctree_clean on the tree of custom tag names,
 * zeroes the whole node array: 514 nodes (33 KB) at least, more once a
 * document with many custom tags has grown it, on every document, however
 * small.  For a feed value that memset was most of the sanitizer's cost,
 * and it flushes the L1 cache each time.  Only the nodes up to and
 * including the first free one (nodes_length) can hold anything: the rest
 * are zero from the last clean or never read before mctree_node_add
 * clears them.  So the clean is run with nodes_size lowered to that count,
 * then restored: the same reset, over the used part.  Memory stays bounded
 * as before: every clean drops all custom tags.
 */
static void tree_clean(myhtml_tree_t *tree)
{
    mctree_t *names = tree->tags->tree;
    size_t size = names->nodes_size;
    if (names->nodes_length < size)
        names->nodes_size = names->nodes_length + 1;
    myhtml_tree_clean(tree);
    names->nodes_size = size;
}

void td_html_free(struct td_html_doc *doc)
{
    if (!doc)
        return;
    if (!tl_spare) {
        tree_clean(doc->tree);
        tl_spare = doc->tree;
    } else {
        myhtml_tree_destroy(doc->tree);
    }
    free(doc);
}

struct td_html_node *td_html_root(const struct td_html_doc *doc)
{
    return (struct td_html_node *)myhtml_tree_get_node_html(doc->tree);
}

struct td_html_node *td_html_head(const struct td_html_doc *doc)
{
    return (struct td_html_node *)myhtml_tree_get_node_head(doc->tree);
}

struct td_html_node *td_html_body(const struct td_html_doc *doc)
{
    return (struct td_html_node *)myhtml_tree_get_node_body(doc->tree);
}

#define MYN(n) ((myhtml_tree_node_t *)(n))

struct td_html_node *td_html_first_child(const struct td_html_node *n)
{
    return (struct td_html_node *)myhtml_node_child(MYN(n));
}

struct td_html_node *td_html_next(const struct td_html_node *n)
{
    return (struct td_html_node *)myhtml_node_next(MYN(n));
}

struct td_html_node *td_html_prev(const struct td_html_node *n)
{
    return (struct td_html_node *)myhtml_node_prev(MYN(n));
}

struct td_html_node *td_html_parent(const struct td_html_node *n)
{
    return (struct td_html_node *)myhtml_node_parent(MYN(n));
}

bool td_html_is_foreign(const struct td_html_node *n)
{
    myhtml_namespace_t ns = myhtml_node_namespace(MYN(n));
    return ns != MyHTML_NAMESPACE_HTML && ns != MyHTML_NAMESPACE_UNDEF;
}

enum td_html_tag td_html_tag(const struct td_html_node *n)
{
    switch (myhtml_node_tag_id(MYN(n))) {
    case MyHTML_TAG__TEXT:
        return TD_HTML_TEXT;
    case MyHTML_TAG__COMMENT:
        return TD_HTML_COMMENT;
    case MyHTML_TAG__DOCTYPE:
        return TD_HTML_DOCTYPE;
    case MyHTML_TAG_HTML:
        return TD_HTML_HTML;
    case MyHTML_TAG_HEAD:
        return TD_HTML_HEAD;
    case MyHTML_TAG_BODY:
        return TD_HTML_BODY;
    case MyHTML_TAG_TITLE:
        return td_html_is_foreign(n) ? TD_HTML_OTHER : TD_HTML_TITLE;
    case MyHTML_TAG_META:
        return TD_HTML_META;
    case MyHTML_TAG_LINK:
        return TD_HTML_LINK;
    case MyHTML_TAG_BASE:
        return TD_HTML_BASE;
    case MyHTML_TAG_SCRIPT:
        return TD_HTML_SCRIPT;
    case MyHTML_TAG_STYLE:
        return TD_HTML_STYLE;
    case MyHTML_TAG_NOSCRIPT:
        return TD_HTML_NOSCRIPT;
    case MyHTML_TAG_TEMPLATE:
        return TD_HTML_TEMPLATE;
    case MyHTML_TAG_IFRAME:
        return TD_HTML_IFRAME;
    case MyHTML_TAG_OBJECT:
        return TD_HTML_OBJECT;
    case MyHTML_TAG_EMBED:
        return TD_HTML_EMBED;
    case MyHTML_TAG_CANVAS:
        return TD_HTML_CANVAS;
    case MyHTML_TAG_FORM:
        return TD_HTML_FORM;
    case MyHTML_TAG_INPUT:
        return TD_HTML_INPUT;
    case MyHTML_TAG_BUTTON:
        return TD_HTML_BUTTON;
    case MyHTML_TAG_SELECT:
        return TD_HTML_SELECT;
    case MyHTML_TAG_OPTION:
        return TD_HTML_OPTION;
    case MyHTML_TAG_TEXTAREA:
        return TD_HTML_TEXTAREA;
    case MyHTML_TAG_LABEL:
        return TD_HTML_LABEL;
    case MyHTML_TAG_SVG:
        return TD_HTML_SVG;
    case MyHTML_TAG_MATH:
        return TD_HTML_MATH;
    case MyHTML_TAG_NAV:
        return TD_HTML_NAV;
    case MyHTML_TAG_ASIDE:
        return TD_HTML_ASIDE;
    case MyHTML_TAG_FOOTER:
        return TD_HTML_FOOTER;
    case MyHTML_TAG_HEADER:
        return TD_HTML_HEADER;
    case MyHTML_TAG_MAIN:
        return TD_HTML_MAIN;
    case MyHTML_TAG_ARTICLE:
        return TD_HTML_ARTICLE;
    case MyHTML_TAG_SECTION:
        return TD_HTML_SECTION;
    case MyHTML_TAG_DIV:
        return TD_HTML_DIV;
    case MyHTML_TAG_SPAN:
        return TD_HTML_SPAN;
    case MyHTML_TAG_P:
        return TD_HTML_P;
    case MyHTML_TAG_H1:
        return TD_HTML_H1;
    case MyHTML_TAG_H2:
        return TD_HTML_H2;
    case MyHTML_TAG_H3:
        return TD_HTML_H3;
    case MyHTML_TAG_H4:
        return TD_HTML_H4;
    case MyHTML_TAG_H5:
        return TD_HTML_H5;
    case MyHTML_TAG_H6:
        return TD_HTML_H6;
    case MyHTML_TAG_UL:
        return TD_HTML_UL;
    case MyHTML_TAG_OL:
        return TD_HTML_OL;
    case MyHTML_TAG_LI:
        return TD_HTML_LI;
    case MyHTML_TAG_DL:
        return TD_HTML_DL;
    case MyHTML_TAG_DT:
        return TD_HTML_DT;
    case MyHTML_TAG_DD:
        return TD_HTML_DD;
    case MyHTML_TAG_BLOCKQUOTE:
        return TD_HTML_BLOCKQUOTE;
    case MyHTML_TAG_FIGURE:
        return TD_HTML_FIGURE;
    case MyHTML_TAG_FIGCAPTION:
        return TD_HTML_FIGCAPTION;
    case MyHTML_TAG_IMG:
        return TD_HTML_IMG;
    case MyHTML_TAG_SOURCE:
        return TD_HTML_SOURCE;
    case MyHTML_TAG_VIDEO:
        return TD_HTML_VIDEO;
    case MyHTML_TAG_AUDIO:
        return TD_HTML_AUDIO;
    case MyHTML_TAG_A:
        return TD_HTML_A;
    case MyHTML_TAG_EM:
        return TD_HTML_EM;
    case MyHTML_TAG_I:
        return TD_HTML_I;
    case MyHTML_TAG_STRONG:
        return TD_HTML_STRONG;
    case MyHTML_TAG_B:
        return TD_HTML_B;
    case MyHTML_TAG_U:
        return TD_HTML_U;
    case MyHTML_TAG_SUB:
        return TD_HTML_SUB;
    case MyHTML_TAG_SUP:
        return TD_HTML_SUP;
    case MyHTML_TAG_PRE:
        return TD_HTML_PRE;
    case MyHTML_TAG_CODE:
        return TD_HTML_CODE;
    case MyHTML_TAG_TABLE:
        return TD_HTML_TABLE;
    case MyHTML_TAG_CAPTION:
        return TD_HTML_CAPTION;
    case MyHTML_TAG_THEAD:
        return TD_HTML_THEAD;
    case MyHTML_TAG_TBODY:
        return TD_HTML_TBODY;
    case MyHTML_TAG_TFOOT:
        return TD_HTML_TFOOT;
    case MyHTML_TAG_TR:
        return TD_HTML_TR;
    case MyHTML_TAG_TH:
        return TD_HTML_TH;
    case MyHTML_TAG_TD:
        return TD_HTML_TD;
    case MyHTML_TAG_BR:
        return TD_HTML_BR;
    case MyHTML_TAG_HR:
        return TD_HTML_HR;
    case MyHTML_TAG_TIME:
        return TD_HTML_TIME;
    case MyHTML_TAG_ADDRESS:
        return TD_HTML_ADDRESS;
    case MyHTML_TAG_CENTER:
        return TD_HTML_CENTER;
    case MyHTML_TAG_FONT:
        return TD_HTML_FONT;
    case MyHTML_TAG_DIALOG:
        return TD_HTML_DIALOG;
    case MyHTML_TAG_MENU:
        return TD_HTML_MENU;
    default:
        return TD_HTML_OTHER;
    }
}

bool td_html_is_element(const struct td_html_node *n)
{
    myhtml_tag_id_t id = myhtml_node_tag_id(MYN(n));
    return id != MyHTML_TAG__TEXT && id != MyHTML_TAG__COMMENT && id != MyHTML_TAG__DOCTYPE &&
           id != MyHTML_TAG__UNDEF;
}

struct td_str td_html_text(const struct td_html_node *n)
{
    size_t len = 0;
    const char *s = myhtml_node_text(MYN(n), &len);
    return s ? td_str_make(s, len) : TD_STR_NULL;
}

bool td_html_attr(const struct td_html_node *n, const char *name, struct td_str *val)
{
    myhtml_tree_attr_t *a = myhtml_attribute_by_key(MYN(n), name, strlen(name));
    if (!a)
        return false;
    size_t len = 0;
    const char *s = myhtml_attribute_value(a, &len);
    *val = s ? td_str_make(s, len) : TD_STR_NULL;
    return true;
}

const struct td_html_attr *td_html_attr_first(const struct td_html_node *n)
{
    return (const struct td_html_attr *)myhtml_node_attribute_first(MYN(n));
}

const struct td_html_attr *td_html_attr_next(const struct td_html_attr *a)
{
    return (const struct td_html_attr *)myhtml_attribute_next((myhtml_tree_attr_t *)a);
}

struct td_str td_html_attr_name(const struct td_html_attr *a)
{
    size_t len = 0;
    const char *s = myhtml_attribute_key((myhtml_tree_attr_t *)a, &len);
    return s ? td_str_make(s, len) : TD_STR_NULL;
}

struct td_str td_html_attr_value(const struct td_html_attr *a)
{
    size_t len = 0;
    const char *s = myhtml_attribute_value((myhtml_tree_attr_t *)a, &len);
    return s ? td_str_make(s, len) : TD_STR_NULL;
}

void td_html_set_data(struct td_html_node *n, void *data)
{
    myhtml_node_set_data(MYN(n), data);
}

void *td_html_get_data(const struct td_html_node *n)
{
    return myhtml_node_get_data(MYN(n));
}

void td_html_walk_init(struct td_html_walk *w, struct td_html_node *root)
{
    memset(w, 0, sizeof(*w));
    w->root = root;
}

struct td_html_node *td_html_walk_next(struct td_html_walk *w, bool *leaving)
{
    if (!w->root)
        return NULL;
    if (!w->started) {
        w->started = true;
        w->cur = w->root;
        w->entered = true;
        w->skip = false;
        *leaving = false;
        return w->cur;
    }
    if (w->entered) {
        /* Just entered cur: descend unless told not to, else leave it. */
        struct td_html_node *c = NULL;
        if (!w->skip && w->depth < TD_HTML_MAX_DEPTH)
            c = td_html_first_child(w->cur);
        w->skip = false;
        if (c) {
            w->cur = c;
            w->depth++;
            *leaving = false;
            return c;
        }
        w->entered = false;
        *leaving = true;
        return w->cur;
    }
    /* Just left cur: go to its next sibling, or leave the parent. */
    if (w->cur == w->root) {
        w->root = NULL;
        return NULL;
    }
    struct td_html_node *s = td_html_next(w->cur);
    if (s) {
        w->cur = s;
        w->entered = true;
        *leaving = false;
        return s;
    }
    w->cur = td_html_parent(w->cur);
    w->depth--;
    *leaving = true;
    return w->cur;
}

bool td_html_style_hides(struct td_str v)
{
    /* Look for display:none / visibility:hidden with any spacing and case. */
    char c[128];
    size_t k = 0;
    for (size_t i = 0; i < v.len && k < sizeof(c) - 1; i++)
        if (!td_is_space((unsigned char)v.ptr[i]))
            c[k++] = (char)td_ascii_lower((unsigned char)v.ptr[i]);
    c[k] = '\0';
    return strstr(c, "display:none") || strstr(c, "visibility:hidden");
}

/*
 * One pass over the attributes (the sanitizer asks this of every element)
 * instead of three lookups; as with td_html_attr(), only the first
 * attribute of a name counts.
 */
bool td_html_is_hidden(const struct td_html_node *n)
{
    bool aria_seen = false, style_seen = false;
    for (myhtml_tree_attr_t *a = myhtml_node_attribute_first(MYN(n)); a;
         a = myhtml_attribute_next(a)) {
        size_t klen = 0, vlen = 0;
        const char *k = myhtml_attribute_key(a, &klen);
        if (!k)
            continue;
        struct td_str key = td_str_make(k, klen);
        if (td_str_eq(key, TD_STR_LIT("hidden")))
            return true;
        bool aria = !aria_seen && td_str_eq(key, TD_STR_LIT("aria-hidden"));
        bool style = !style_seen && td_str_eq(key, TD_STR_LIT("style"));
        if (!aria && !style)
            continue;
        const char *v = myhtml_attribute_value(a, &vlen);
        struct td_str val = v ? td_str_make(v, vlen) : TD_STR_NULL;
        if (aria) {
            aria_seen = true;
            if (td_str_eq_nocase(td_str_trim(val), TD_STR_LIT("true")))
                return true;
        } else {
            style_seen = true;
            if (td_html_style_hides(val))
                return true;
        }
    }
    return false;
}

static bool is_invisible_container(enum td_html_tag t)
{
    return t == TD_HTML_SCRIPT || t == TD_HTML_STYLE || t == TD_HTML_TEMPLATE ||
           t == TD_HTML_NOSCRIPT || t == TD_HTML_HEAD;
}

int td_html_text_content(const struct td_html_node *n, struct td_buf *out)
{
    struct td_html_walk w;
    bool leaving;
    bool space = out->len > 0 && out->buf[out->len - 1] == ' ';
    td_html_walk_init(&w, (struct td_html_node *)n);
    for (struct td_html_node *c; (c = td_html_walk_next(&w, &leaving));) {
        if (leaving)
            continue;
        enum td_html_tag t = td_html_tag(c);
        if (is_invisible_container(t) && c != n) {
            td_html_walk_skip(&w);
            continue;
        }
        if (t != TD_HTML_TEXT)
            continue;
        struct td_str s = td_html_text(c);
        for (size_t i = 0; i < s.len; i++) {
            unsigned char ch = (unsigned char)s.ptr[i];
            if (td_is_space(ch)) {
                space = true;
                continue;
            }
            if (space && out->len > 0 && td_buf_append_ch(out, ' ') < 0)
                return TD_ETOOBIG;
            space = false;
            if (td_buf_append_ch(out, (char)ch) < 0)
                return TD_ETOOBIG;
        }
    }
    return 0;
}
