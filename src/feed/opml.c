/*
 * opml.c - OPML subscription lists in and out (OPML 2.0,
 * http://opml.org/spec2.opml; 1.0 files read the same way).
 *
 * Reading: the same charset chain and repair pass as feeds, then libxml2
 * in recover mode builds a small tree (subscription lists are small and
 * libxml2 bounds the nesting).  Outlines with an xmlUrl are feeds; any
 * other outline is a folder whose text becomes the category of what it
 * holds.  Writing: one folder per top-level category, feeds inside.
 */
#include "base/compat.h"
#include "base/charset.h"
#include "base/error.h"
#include "feed/internal.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

struct reader {
    struct td_opml *o;
    struct td_buf path; /* enclosing folder names joined with '/' */
    int err;
};

/* An attribute as an arena string, "" if absent; names match case-insensitively. */
static const char *prop(struct td_opml *o, xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (!td_str_eq_nocase(td_str_c((const char *)a->name), td_str_c(name)))
            continue;
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        if (!v)
            return "";
        struct td_str t = td_str_trim(td_str_c((const char *)v));
        const char *s = t.len ? td_arena_strndup(&o->arena, t.ptr, t.len) : "";
        xmlFree(v);
        return s;
    }
    return "";
}

static void walk(struct reader *r, xmlNodePtr n)
{
    for (; n && !r->err; n = n->next) {
        if (n->type != XML_ELEMENT_NODE ||
            !td_str_eq_nocase(td_str_c((const char *)n->name), TD_STR_LIT("outline")))
            continue;
        const char *text = prop(r->o, n, "text"), *title = prop(r->o, n, "title");
        const char *xml_url = prop(r->o, n, "xmlUrl");
        if (*xml_url) {
            if (r->o->n_outlines >= TD_OPML_MAX_OUTLINES) {
                r->err = TD_ETOOBIG;
                return;
            }
            struct td_opml_outline *ol =
                TD_FEED_PUSH(&r->o->arena, r->o->outlines, r->o->n_outlines);
            ol->text = *text ? text : title;
            ol->title = *title ? title : text;
            ol->xml_url = xml_url;
            ol->html_url = prop(r->o, n, "htmlUrl");
            ol->type = prop(r->o, n, "type");
            const char *cat = prop(r->o, n, "category");
            if (r->path.len && *cat) {
                char *c = td_arena_alloc(&r->o->arena, r->path.len + strlen(cat) + 2);
                snprintf(c, r->path.len + strlen(cat) + 2, "%s,%s", r->path.buf, cat);
                ol->category = c;
            } else {
                ol->category =
                    r->path.len ? td_arena_strndup(&r->o->arena, r->path.buf, r->path.len) : cat;
            }
            continue;
        }
        /* A folder. */
        size_t saved = r->path.len;
        const char *name = *text ? text : title;
        if (*name) {
            if ((r->path.len && td_buf_append_ch(&r->path, '/') < 0) ||
                td_buf_append_c(&r->path, name) < 0) {
                r->err = TD_ETOOBIG;
                return;
            }
        }
        walk(r, n->children);
        td_buf_truncate(&r->path, saved);
    }
}

int td_opml_parse(const char *data, size_t len, struct td_opml **out)
{
    struct td_buf utf8 = TD_BUF_INIT(TD_FEED_MAX_BYTES * 2),
                  fixed = TD_BUF_INIT(TD_FEED_MAX_BYTES * 2);
    struct td_charset_opts co = {.is_xml = true};
    struct reader r = {.path = TD_BUF_INIT(4096)};
    xmlDocPtr doc = NULL;
    struct td_str text;
    unsigned fixes;
    int err;

    *out = NULL;
    if (len > TD_FEED_MAX_BYTES)
        return TD_ETOOBIG;
    if ((err = td_charset_to_utf8(data, len, &co, &utf8, NULL)) < 0 ||
        (err = td_feed_fixup_xml(utf8.buf, utf8.len, &fixed, &text, &fixes)) < 0)
        goto out;
    err = TD_EPARSE;
    if (text.len > INT32_MAX)
        goto out;
    td_feed_xml_init();
    doc = xmlReadMemory(text.ptr, (int)text.len, NULL, "UTF-8",
                        XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || !td_str_eq_nocase(td_str_c((const char *)root->name), TD_STR_LIT("opml")))
        goto out;
    r.o = td_xcalloc(1, sizeof(*r.o));
    td_arena_init(&r.o->arena);
    r.o->title = "";
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (td_str_eq_nocase(td_str_c((const char *)n->name), TD_STR_LIT("head"))) {
            for (xmlNodePtr h = n->children; h; h = h->next)
                if (h->type == XML_ELEMENT_NODE && !strcmp((const char *)h->name, "title")) {
                    xmlChar *v = xmlNodeGetContent(h);
                    struct td_str t = td_str_trim(td_str_c((const char *)v));
                    r.o->title = t.len ? td_arena_strndup(&r.o->arena, t.ptr, t.len) : "";
                    xmlFree(v);
                }
        } else if (td_str_eq_nocase(td_str_c((const char *)n->name), TD_STR_LIT("body"))) {
            walk(&r, n->children);
        }
    }
    err = r.err;
    if (!err) {
        *out = r.o;
        r.o = NULL;
    }
out:
    td_opml_free(r.o);
    td_buf_release(&r.path);
    if (doc)
        xmlFreeDoc(doc);
    td_buf_release(&utf8);
    td_buf_release(&fixed);
    return err;
}

void td_opml_free(struct td_opml *o)
{
    if (!o)
        return;
    td_arena_release(&o->arena);
    free(o);
}

static int attr_out(struct td_buf *out, const char *name, const char *v)
{
    int err;
    if (!v || !*v)
        return 0;
    if ((err = td_buf_printf(out, " %s=\"", name)) < 0)
        return err;
    for (const char *p = v; *p; p++) {
        switch (*p) {
        case '&':
            err = td_buf_append_c(out, "&amp;");
            break;
        case '<':
            err = td_buf_append_c(out, "&lt;");
            break;
        case '>':
            err = td_buf_append_c(out, "&gt;");
            break;
        case '"':
            err = td_buf_append_c(out, "&quot;");
            break;
        case '\n':
            err = td_buf_append_c(out, "&#10;");
            break;
        default:
            err = td_buf_append_ch(out, *p);
        }
        if (err)
            return err;
    }
    return td_buf_append_ch(out, '"');
}

static int feed_out(struct td_buf *out, const struct td_opml_outline *ol, const char *indent)
{
    int err;
    const char *text = *ol->text ? ol->text : *ol->title ? ol->title : ol->xml_url;
    if ((err = td_buf_printf(out, "%s<outline", indent)) < 0 ||
        (err = attr_out(out, "type", *ol->type ? ol->type : "rss")) < 0 ||
        (err = attr_out(out, "text", text)) < 0 ||
        (err = attr_out(out, "title", *ol->title ? ol->title : text)) < 0 ||
        (err = attr_out(out, "xmlUrl", ol->xml_url)) < 0 ||
        (err = attr_out(out, "htmlUrl", ol->html_url)) < 0)
        return err;
    return td_buf_append_c(out, "/>\n");
}

/* Length of the first path component of a category. */
static size_t folder_len(const char *cat)
{
    const char *slash = cat ? strchr(cat, '/') : NULL;
    return cat ? (slash ? (size_t)(slash - cat) : strlen(cat)) : 0;
}

int td_opml_write(const struct td_opml_outline *ol, size_t n, const char *title, struct td_buf *out)
{
    int err;
    if ((err = td_buf_append_c(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                    "<opml version=\"2.0\">\n  <head>\n    <title")) < 0 ||
        (err = td_buf_append_ch(out, '>')) < 0)
        return err;
    for (const char *p = title ? title : ""; *p; p++) {
        const char *rep = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : NULL;
        if ((err = rep ? td_buf_append_c(out, rep) : td_buf_append_ch(out, *p)) < 0)
            return err;
    }
    if ((err = td_buf_append_c(out, "</title>\n  </head>\n  <body>\n")) < 0)
        return err;
    for (size_t i = 0; i < n; i++)
        if (!folder_len(ol[i].category) && (err = feed_out(out, &ol[i], "    ")) < 0)
            return err;
    /* Each folder once, at its first appearance, holding all its feeds. */
    for (size_t i = 0; i < n; i++) {
        size_t fl = folder_len(ol[i].category);
        bool seen = false;
        if (!fl)
            continue;
        for (size_t j = 0; j < i && !seen; j++)
            seen = folder_len(ol[j].category) == fl && !memcmp(ol[j].category, ol[i].category, fl);
        if (seen)
            continue;
        char *name = td_xstrndup(ol[i].category, fl);
        err = td_buf_append_c(out, "    <outline");
        if (!err)
            err = attr_out(out, "text", name);
        if (!err)
            err = attr_out(out, "title", name);
        free(name);
        if (!err)
            err = td_buf_append_c(out, ">\n");
        for (size_t j = i; j < n && !err; j++)
            if (folder_len(ol[j].category) == fl && !memcmp(ol[j].category, ol[i].category, fl))
                err = feed_out(out, &ol[j], "      ");
        if (!err)
            err = td_buf_append_c(out, "    </outline>\n");
        if (err)
            return err;
    }
    return td_buf_append_c(out, "  </body>\n</opml>\n");
}
