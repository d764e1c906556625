/*
 * opml.c - OPML subscription lists in and out (OPML 2.0,
 * http://opml.org/spec2.opml; 1.0 files read the same way).
 *
 * Reading: the same charset chain and repair pass as feeds, then libxml2
 * in recover mode builds a small tree (subscription lists are small and
 * libxml2 bounds the nesting).  Outlines with an xmlUrl are feeds; any
 * other outline is a folder whose text becomes the category of what it
 * holds.  Writing: the folders back, nested, feeds inside.
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

/*
 * A category as written by td_opml_parse is "Folder/Sub", then "," and the
 * outline's category attribute when it had one; one that starts with '/'
 * came from the attribute alone (OPML's "/Boston/Weather" form).  These
 * split it back: the folder path's length, and the attribute ("" if none).
 */
static size_t folder_len(const char *cat)
{
    if (!cat || *cat == '/')
        return 0;
    return strcspn(cat, ",");
}

static const char *category_attr(const char *cat)
{
    if (!cat)
        return "";
    if (*cat == '/')
        return cat;
    return cat[folder_len(cat)] == ',' ? cat + folder_len(cat) + 1 : "";
}

static int feed_out(struct td_buf *out, const struct td_opml_outline *ol, size_t depth)
{
    int err;
    const char *text = *ol->text ? ol->text : *ol->title ? ol->title : ol->xml_url;
    if ((err = td_buf_printf(out, "%*s<outline", (int)(depth * 2 + 4), "")) < 0 ||
        (err = attr_out(out, "type", *ol->type ? ol->type : "rss")) < 0 ||
        (err = attr_out(out, "text", text)) < 0 ||
        (err = attr_out(out, "title", *ol->title ? ol->title : text)) < 0 ||
        (err = attr_out(out, "xmlUrl", ol->xml_url)) < 0 ||
        (err = attr_out(out, "htmlUrl", ol->html_url)) < 0 ||
        (err = attr_out(out, "category", category_attr(ol->category))) < 0)
        return err;
    return td_buf_append_c(out, "/>\n");
}

/* The outlines in folder order: by path, component by component, then as given. */
struct sorted {
    const struct td_opml_outline *ol;
    size_t index;
};

static int by_folder(const void *pa, const void *pb)
{
    const struct sorted *a = pa, *b = pb;
    const char *x = a->ol->category, *y = b->ol->category;
    size_t nx = folder_len(x), ny = folder_len(y), i = 0;

    for (; i < nx && i < ny && x[i] == y[i]; i++)
        ;
    if (i < nx && i < ny) {
        /* '/' sorts first, so a folder's subfolders follow it before its siblings. */
        unsigned char cx = x[i] == '/' ? 0 : (unsigned char)x[i];
        unsigned char cy = y[i] == '/' ? 0 : (unsigned char)y[i];
        return cx < cy ? -1 : 1;
    }
    if (nx != ny)
        return nx < ny ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Folders deeper than this are written flattened into the deepest. */
#define FOLDER_DEPTH_MAX 32

struct folders {
    const char *path;
    size_t start[FOLDER_DEPTH_MAX], len[FOLDER_DEPTH_MAX];
    size_t n;
};

/* The non-empty '/'-separated components of a category's folder path. */
static void split_folders(const char *cat, struct folders *f)
{
    size_t len = folder_len(cat);

    f->path = cat;
    f->n = 0;
    for (size_t s = 0, e; s < len; s = e + 1) {
        for (e = s; e < len && (cat[e] != '/' || f->n == FOLDER_DEPTH_MAX - 1); e++)
            ;
        if (e > s) {
            f->start[f->n] = s;
            f->len[f->n++] = e - s;
        }
    }
}

int td_opml_write(const struct td_opml_outline *ol, size_t n, const char *title, struct td_buf *out)
{
    struct sorted *order = td_xcalloc(n ? n : 1, sizeof(*order));
    struct folders open = {.n = 0}, next;
    int err;

    if ((err = td_buf_append_c(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                    "<opml version=\"2.0\">\n  <head>\n    <title")) < 0 ||
        (err = td_buf_append_ch(out, '>')) < 0)
        goto out;
    for (const char *p = title ? title : ""; *p; p++) {
        const char *rep = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : NULL;
        if ((err = rep ? td_buf_append_c(out, rep) : td_buf_append_ch(out, *p)) < 0)
            goto out;
    }
    if ((err = td_buf_append_c(out, "</title>\n  </head>\n  <body>\n")) < 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        order[i] = (struct sorted){&ol[i], i};
    qsort(order, n, sizeof(*order), by_folder);
    /*
     * Walk the feeds in folder order like a directory listing: close the
     * folders the next feed is not in, open the ones it is in.
     */
    for (size_t i = 0; i <= n && !err; i++) {
        size_t keep = 0;

        split_folders(i < n ? order[i].ol->category : "", &next);
        while (keep < open.n && keep < next.n && open.len[keep] == next.len[keep] &&
               !memcmp(open.path + open.start[keep], next.path + next.start[keep], open.len[keep]))
            keep++;
        for (size_t d = open.n; d > keep && !err; d--)
            err = td_buf_printf(out, "%*s</outline>\n", (int)(d * 2 + 2), "");
        for (size_t d = keep; d < next.n && !err; d++) {
            char *name = td_xstrndup(next.path + next.start[d], next.len[d]);
            if (!(err = td_buf_printf(out, "%*s<outline", (int)(d * 2 + 4), "")) &&
                !(err = attr_out(out, "text", name)) && !(err = attr_out(out, "title", name)))
                err = td_buf_append_c(out, ">\n");
            free(name);
        }
        open = next;
        if (i < n && !err)
            err = feed_out(out, order[i].ol, open.n);
    }
    if (!err)
        err = td_buf_append_c(out, "  </body>\n</opml>\n");
out:
    free(order);
    return err;
}
