/*
 * html.h - a thin DOM over the HTML5 parser (myhtml), and an allowlist
 * sanitizer for untrusted HTML.
 *
 * td_html_parse() turns UTF-8 bytes into a document tree following the
 * HTML5 tree-construction rules; nodes are then read through the functions
 * below (children, siblings, parent, tag, attributes, text).  Nodes are
 * borrowed from their document and die with td_html_free().  The parser
 * object and one idle tree are cached per thread and reused, because
 * creating them costs more than parsing a typical page.
 *
 * Deep trees: never recurse over the DOM.  struct td_html_walk gives an
 * iterative pre/post-order walk that stops descending below
 * TD_HTML_MAX_DEPTH, so hostile pages (100,000 nested divs) cost linear
 * time and constant stack.
 *
 * The sanitizer (td_html_sanitize_fragment) keeps only an allowlist of
 * elements and attributes; see its comment.  The extractor serializes
 * article bodies with the same rules through td_html_sanitize_node().
 */
#ifndef TD_HTML_H
#define TD_HTML_H

#include "base/compat.h"
#include "base/buf.h"
#include "base/str.h"

#define TD_HTML_MAX_INPUT (16u << 20) /* bytes accepted by td_html_parse */
#define TD_HTML_MAX_DEPTH 512         /* element nesting walked */

struct td_html_doc;
struct td_html_node; /* borrowed from its document */

/* The tags the rest of the program cares about; anything else is OTHER. */
enum td_html_tag {
    TD_HTML_OTHER,
    TD_HTML_TEXT, /* a text node: see td_html_text() */
    TD_HTML_COMMENT,
    TD_HTML_DOCTYPE,
    TD_HTML_HTML,
    TD_HTML_HEAD,
    TD_HTML_BODY,
    TD_HTML_TITLE,
    TD_HTML_META,
    TD_HTML_LINK,
    TD_HTML_BASE,
    TD_HTML_SCRIPT,
    TD_HTML_STYLE,
    TD_HTML_NOSCRIPT,
    TD_HTML_TEMPLATE,
    TD_HTML_IFRAME,
    TD_HTML_OBJECT,
    TD_HTML_EMBED,
    TD_HTML_CANVAS,
    TD_HTML_FORM,
    TD_HTML_INPUT,
    TD_HTML_BUTTON,
    TD_HTML_SELECT,
    TD_HTML_OPTION,
    TD_HTML_TEXTAREA,
    TD_HTML_LABEL,
    TD_HTML_SVG,
    TD_HTML_MATH,
    TD_HTML_NAV,
    TD_HTML_ASIDE,
    TD_HTML_FOOTER,
    TD_HTML_HEADER,
    TD_HTML_MAIN,
    TD_HTML_ARTICLE,
    TD_HTML_SECTION,
    TD_HTML_DIV,
    TD_HTML_SPAN,
    TD_HTML_P,
    TD_HTML_H1,
    TD_HTML_H2,
    TD_HTML_H3,
    TD_HTML_H4,
    TD_HTML_H5,
    TD_HTML_H6,
    TD_HTML_UL,
    TD_HTML_OL,
    TD_HTML_LI,
    TD_HTML_DL,
    TD_HTML_DT,
    TD_HTML_DD,
    TD_HTML_BLOCKQUOTE,
    TD_HTML_FIGURE,
    TD_HTML_FIGCAPTION,
    TD_HTML_IMG,
    TD_HTML_SOURCE,
    TD_HTML_VIDEO,
    TD_HTML_AUDIO,
    TD_HTML_A,
    TD_HTML_EM,
    TD_HTML_I,
    TD_HTML_STRONG,
    TD_HTML_B,
    TD_HTML_U,
    TD_HTML_SUB,
    TD_HTML_SUP,
    TD_HTML_PRE,
    TD_HTML_CODE,
    TD_HTML_TABLE,
    TD_HTML_CAPTION,
    TD_HTML_THEAD,
    TD_HTML_TBODY,
    TD_HTML_TFOOT,
    TD_HTML_TR,
    TD_HTML_TH,
    TD_HTML_TD,
    TD_HTML_BR,
    TD_HTML_HR,
    TD_HTML_TIME,
    TD_HTML_ADDRESS,
    TD_HTML_CENTER,
    TD_HTML_FONT,
    TD_HTML_DIALOG,
    TD_HTML_MENU,
};

/*
 * Parse `len` bytes of UTF-8 HTML.  On success `*out` is a document the
 * caller frees with td_html_free().  TD_ETOOBIG over TD_HTML_MAX_INPUT,
 * TD_EPARSE if the parser fails.  Never fails on malformed markup: HTML5
 * error recovery always yields a tree (html/head/body always exist).
 */
int td_html_parse(const char *html, size_t len, struct td_html_doc **out);
/* Free a document (its tree goes back to the per-thread cache).  NULL ok. */
void td_html_free(struct td_html_doc *doc);
/*
 * Free the calling thread's cached parser and spare tree.  A thread that
 * parsed and is about to exit calls this; the next parse on the thread
 * would simply create them again.
 */
void td_html_thread_release(void);

/* The <html>, <head> and <body> elements (never NULL after a parse). */
struct td_html_node *td_html_root(const struct td_html_doc *doc);
struct td_html_node *td_html_head(const struct td_html_doc *doc);
struct td_html_node *td_html_body(const struct td_html_doc *doc);

struct td_html_node *td_html_first_child(const struct td_html_node *n);
struct td_html_node *td_html_next(const struct td_html_node *n);
struct td_html_node *td_html_prev(const struct td_html_node *n);
struct td_html_node *td_html_parent(const struct td_html_node *n);

enum td_html_tag td_html_tag(const struct td_html_node *n);
/* True for elements (not text, comment or doctype nodes). */
bool td_html_is_element(const struct td_html_node *n);
/* True for elements in a foreign namespace (SVG, MathML). */
bool td_html_is_foreign(const struct td_html_node *n);
/* The text of a text or comment node (empty slice for elements). */
struct td_str td_html_text(const struct td_html_node *n);
/*
 * The value of attribute `name` (lowercase ASCII) of element `n`.  Returns
 * true and sets `*val` (a slice owned by the document) if present.
 */
bool td_html_attr(const struct td_html_node *n, const char *name, struct td_str *val);

/*
 * The attributes of an element, in document order, for callers that need
 * several of them (one pass instead of one lookup each).
 *
 *     for (const struct td_html_attr *a = td_html_attr_first(n); a; a = td_html_attr_next(a))
 *         use(td_html_attr_name(a), td_html_attr_value(a));
 */
struct td_html_attr;
const struct td_html_attr *td_html_attr_first(const struct td_html_node *n);
const struct td_html_attr *td_html_attr_next(const struct td_html_attr *a);
struct td_str td_html_attr_name(const struct td_html_attr *a); /* lowercase */
struct td_str td_html_attr_value(const struct td_html_attr *a);

/* One per-node pointer the caller may use (e.g. for computed statistics). */
void td_html_set_data(struct td_html_node *n, void *data);
void *td_html_get_data(const struct td_html_node *n);

/*
 * Iterative walk of the subtree under `root`.  Every node is reported twice:
 * once entering (leaving == false) and once leaving, children in between,
 * unless td_html_walk_skip() was called right after entering, in which case
 * the leave event comes next.  Nodes deeper than TD_HTML_MAX_DEPTH below
 * root are never visited.
 *
 *     struct td_html_walk w;
 *     bool leaving;
 *     td_html_walk_init(&w, body);
 *     for (struct td_html_node *n; (n = td_html_walk_next(&w, &leaving));)
 *         if (!leaving && td_html_tag(n) == TD_HTML_SCRIPT)
 *             td_html_walk_skip(&w);
 */
struct td_html_walk {
    struct td_html_node *root, *cur;
    unsigned depth;
    bool started, entered, skip;
};
void td_html_walk_init(struct td_html_walk *w, struct td_html_node *root);
struct td_html_node *td_html_walk_next(struct td_html_walk *w, bool *leaving);
static inline void td_html_walk_skip(struct td_html_walk *w)
{
    w->skip = true;
}

/*
 * Append the text under `n` to `out` as it would read: text nodes
 * concatenated with runs of white space collapsed to one space, nothing
 * from script/style/template/noscript.  TD_ETOOBIG past out's cap.
 */
int td_html_text_content(const struct td_html_node *n, struct td_buf *out);

/*
 * Allowlist sanitizer.  Parse `html` (`len` bytes of UTF-8, a fragment such
 * as a feed entry's content) and append a safe serialization to `out`:
 *   - elements kept: p, h2-h6 (h1 becomes h2), ul, ol, li, blockquote,
 *     figure, img, figcaption, a, em, strong (b -> strong, i -> em), pre,
 *     code, table, thead, tbody, tr, th, td, br;
 *   - dropped with their content: script, style, iframe, object, embed,
 *     form and its controls, svg, math, template, noscript, and anything
 *     hidden (hidden attribute, aria-hidden="true", display:none);
 *   - any other element is unwrapped (its content kept); div/section/
 *     article and similar block containers become paragraph breaks;
 *   - attributes kept: href on a, src and alt on img, nothing else.  URLs
 *     are resolved against `base_url` (may be NULL) and kept only when the
 *     result is absolute http(s); an a without a usable href is unwrapped,
 *     an img without a usable src is dropped;
 *   - all text and attribute values are escaped (& < > " ').
 * Text without markup, and plain well-nested markup, skip the parser: the
 * output is the same as parsing and td_html_sanitize_node() would give.
 * Returns 0, TD_ETOOBIG (input over TD_HTML_MAX_INPUT or `out` over its
 * cap) or TD_EPARSE.
 */
int td_html_sanitize_fragment(const char *html, size_t len, const char *base_url,
                              struct td_buf *out);

/*
 * The part of td_html_sanitize_fragment() that skips the parser: text
 * without markup, and plain well-nested markup (phrasing and block
 * elements, lists, pre, and tables whose content sits in cells).  Returns 0
 * with the same output the parser would give, 1 when the input needs the
 * parser (nothing is appended then), or TD_ETOOBIG.  Public so the tests can
 * tell which inputs it takes.
 */
int td_html_sanitize_fast(const char *html, size_t len, const char *base_url, struct td_buf *out);

/*
 * The same serialization for the subtree under `n` of a parsed document.
 * `skip(node, ctx)`, if not NULL, is asked about every element and returns
 * true to drop it with its content (the extractor's boilerplate pruning).
 */
int td_html_sanitize_node(const struct td_html_node *n, const char *base_url,
                          bool (*skip)(const struct td_html_node *, void *), void *ctx,
                          struct td_buf *out);

/*
 * Resolve `ref` (a URL found in a document, surrounding white space
 * ignored) against `base` (absolute, or empty/NULL for none) per RFC 3986
 * section 5.2 and append the result to `out`.  Succeeds only when the
 * result is an absolute http(s) URL; otherwise TD_EINVAL and `out` is left
 * as it was.  TD_ETOOBIG over 8 KiB.
 */
int td_html_resolve_url(const char *base, struct td_str ref, struct td_buf *out);

/* Append "<p>" + `text` escaped + "</p>" to `out`.  TD_ETOOBIG past its cap. */
int td_html_escape_paragraph(struct td_str text, struct td_buf *out);

/* True if the element is hidden by markup: hidden, aria-hidden, display:none. */
bool td_html_is_hidden(const struct td_html_node *n);
/* True if a style attribute's value hides the element (display:none, visibility:hidden). */
bool td_html_style_hides(struct td_str style);

#endif
