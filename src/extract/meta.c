/*
 * meta.c - article metadata from markup: <html lang>, <base href>,
 * <title>, <meta> (OpenGraph, Twitter cards, name=author/description/
 * date...), <link rel=canonical>, microdata (itemprop), <time datetime>,
 * and JSON-LD (handed to jsonld.c).
 *
 * Sources are ranked: JSON-LD fills fields first (jsonld.c writes straight
 * into the article), then OpenGraph, Twitter, plain <meta>, microdata and
 * finally <title>/<h1>/<time> fill what is still missing.
 */
#include "base/compat.h"
#include "base/error.h"
#include "extract/extract_int.h"

struct cands {
    struct td_str og_title, tw_title, title_tag, h1, ip_headline;
    struct td_str og_desc, tw_desc, meta_desc;
    struct td_str og_image, tw_image, ip_image;
    struct td_str og_image_alt, tw_image_alt;
    struct td_str og_site, app_name;
    struct td_str canonical, og_url;
    struct td_str pub_meta, mod_meta, ip_pub, ip_mod, time_dt;
    struct td_str lang_html, lang_meta, og_locale;
    struct td_str author_meta[4];
    size_t n_author_meta;
    struct td_str ip_author[4];
    size_t n_ip_author;
    bool have_base;
};

static bool eq(struct td_str a, const char *b)
{
    return td_str_eq_nocase(td_str_trim(a), td_str_c(b));
}

static void take(struct td_str *slot, struct td_str v)
{
    v = td_str_trim(v);
    if (!slot->len && v.len)
        *slot = v;
}

static bool is_pub_name(struct td_str k)
{
    static const char *const names[] = {
        "article:published_time",
        "og:article:published_time",
        "datepublished",
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "published_time",
        "dc.date",
        "dc.date.issued",
        "dcterms.created",
        "dcterms.date",
        "sailthru.date",
        "parsely-pub-date",
        "article.published",
        "published-date",
        "citation_publication_date",
        "article_date_original",
        "original-publish-date",
        "cxenseparse:recs:publishtime",
    };
    for (size_t i = 0; i < TD_ARRAY_SIZE(names); i++)
        if (eq(k, names[i]))
            return true;
    return false;
}

static bool is_mod_name(struct td_str k)
{
    static const char *const names[] = {
        "article:modified_time", "og:updated_time", "datemodified", "last-modified",
        "dcterms.modified",      "article.updated", "lastmod",
    };
    for (size_t i = 0; i < TD_ARRAY_SIZE(names); i++)
        if (eq(k, names[i]))
            return true;
    return false;
}

static void on_meta(struct ex *e, struct cands *c, const struct td_html_node *n)
{
    struct td_str k, v;
    (void)e;
    if (!td_html_attr(n, "content", &v))
        return;
    if (td_html_attr(n, "http-equiv", &k) && eq(k, "content-language")) {
        take(&c->lang_meta, v);
        return;
    }
    if (!td_html_attr(n, "property", &k) && !td_html_attr(n, "name", &k) &&
        !td_html_attr(n, "itemprop", &k))
        return;
    if (eq(k, "og:title"))
        take(&c->og_title, v);
    else if (eq(k, "twitter:title"))
        take(&c->tw_title, v);
    else if (eq(k, "og:description"))
        take(&c->og_desc, v);
    else if (eq(k, "twitter:description"))
        take(&c->tw_desc, v);
    else if (eq(k, "description"))
        take(&c->meta_desc, v);
    else if (eq(k, "og:image") || eq(k, "og:image:url") || eq(k, "og:image:secure_url"))
        take(&c->og_image, v);
    else if (eq(k, "twitter:image") || eq(k, "twitter:image:src"))
        take(&c->tw_image, v);
    else if (eq(k, "og:image:alt"))
        take(&c->og_image_alt, v);
    else if (eq(k, "twitter:image:alt"))
        take(&c->tw_image_alt, v);
    else if (eq(k, "og:site_name"))
        take(&c->og_site, v);
    else if (eq(k, "application-name"))
        take(&c->app_name, v);
    else if (eq(k, "og:url"))
        take(&c->og_url, v);
    else if (eq(k, "og:locale"))
        take(&c->og_locale, v);
    else if (is_pub_name(k))
        take(&c->pub_meta, v);
    else if (is_mod_name(k))
        take(&c->mod_meta, v);
    else if ((eq(k, "author") || eq(k, "article:author") || eq(k, "byl") || eq(k, "dc.creator") ||
              eq(k, "parsely-author") || eq(k, "sailthru.author")) &&
             c->n_author_meta < TD_ARRAY_SIZE(c->author_meta)) {
        v = td_str_trim(v);
        /* article:author is often a profile URL, not a name. */
        if (v.len && !td_str_starts_with_nocase(v, TD_STR_LIT("http")))
            c->author_meta[c->n_author_meta++] = v;
    }
}

/* Microdata: itemprop on ordinary elements (meta handled above). */
static void on_itemprop(struct ex *e, struct cands *c, const struct td_html_node *n,
                        struct td_str prop)
{
    struct td_str v;
    if (eq(prop, "headline")) {
        if (!c->ip_headline.len) {
            const char *t = ex_node_text(e, n);
            if (t)
                c->ip_headline = td_str_c(t);
        }
    } else if (eq(prop, "datePublished") || eq(prop, "dateCreated")) {
        if (td_html_attr(n, "datetime", &v) || td_html_attr(n, "content", &v))
            take(&c->ip_pub, v);
    } else if (eq(prop, "dateModified")) {
        if (td_html_attr(n, "datetime", &v) || td_html_attr(n, "content", &v))
            take(&c->ip_mod, v);
    } else if (eq(prop, "author") || eq(prop, "creator")) {
        if (c->n_ip_author >= TD_ARRAY_SIZE(c->ip_author))
            return;
        /* The name may be the element's text or a nested itemprop=name. */
        const char *t = ex_node_text(e, n);
        if (t && strlen(t) < 80)
            c->ip_author[c->n_ip_author++] = td_str_c(t);
    } else if (eq(prop, "image") && td_html_tag(n) == TD_HTML_IMG) {
        if (td_html_attr(n, "src", &v))
            take(&c->ip_image, v);
    }
}

static void pick_str(struct ex *e, const char **field, struct td_str a, struct td_str b,
                     struct td_str c)
{
    if (*field)
        return;
    struct td_str v = a.len ? a : b.len ? b : c;
    *field = ex_clean(e, v);
}

/* "Headline | Site" -> "Headline" when the tail looks like the site name. */
static struct td_str strip_site(struct td_str t, struct td_str site)
{
    static const char *const seps[] = {" | ", " - ", " – ", " — ", " :: ", " · "};
    for (size_t i = 0; i < TD_ARRAY_SIZE(seps); i++) {
        struct td_str sep = td_str_c(seps[i]);
        ptrdiff_t last = -1, at;
        struct td_str rest = t;
        size_t off = 0;
        while ((at = td_str_find(rest, sep)) >= 0) {
            last = (ptrdiff_t)off + at;
            off += (size_t)at + sep.len;
            rest = td_str_sub(t, off, t.len);
        }
        if (last <= 0)
            continue;
        struct td_str tail = td_str_trim(td_str_sub(t, (size_t)last + sep.len, t.len));
        struct td_str head = td_str_trim(td_str_sub(t, 0, (size_t)last));
        if ((site.len && td_str_find_nocase(tail, site) >= 0) ||
            (tail.len < 40 && head.len > 2 * tail.len))
            return head;
    }
    return t;
}

void ex_meta(struct ex *e)
{
    struct cands c;
    struct td_html_walk w;
    bool leaving;
    struct td_article *a = e->a;

    memset(&c, 0, sizeof(c));
    td_html_walk_init(&w, td_html_root(e->doc));
    for (struct td_html_node *n; (n = td_html_walk_next(&w, &leaving));) {
        if (leaving || !td_html_is_element(n))
            continue;
        enum td_html_tag t = td_html_tag(n);
        struct td_str v;
        switch (t) {
        case TD_HTML_HTML:
            if (td_html_attr(n, "lang", &v) || td_html_attr(n, "xml:lang", &v))
                take(&c.lang_html, v);
            break;
        case TD_HTML_BASE:
            if (!c.have_base && td_html_attr(n, "href", &v)) {
                const char *b = ex_url(e, v);
                if (b) {
                    e->base = b;
                    c.have_base = true;
                }
            }
            break;
        case TD_HTML_TITLE:
            if (!c.title_tag.len) {
                const char *s = ex_node_text(e, n);
                if (s)
                    c.title_tag = td_str_c(s);
            }
            break;
        case TD_HTML_META:
            on_meta(e, &c, n);
            break;
        case TD_HTML_LINK:
            if (td_html_attr(n, "rel", &v) && eq(v, "canonical") && td_html_attr(n, "href", &v))
                take(&c.canonical, v);
            break;
        case TD_HTML_SCRIPT:
            if (td_html_attr(n, "type", &v) && eq(v, "application/ld+json")) {
                struct td_html_node *tx = td_html_first_child(n);
                if (tx && td_html_tag(tx) == TD_HTML_TEXT)
                    ex_jsonld(e, td_html_text(tx));
            }
            td_html_walk_skip(&w);
            continue;
        case TD_HTML_STYLE:
        case TD_HTML_TEMPLATE:
        case TD_HTML_SVG:
            td_html_walk_skip(&w);
            continue;
        case TD_HTML_H1:
            if (!c.h1.len) {
                const char *s = ex_node_text(e, n);
                if (s)
                    c.h1 = td_str_c(s);
            }
            break;
        case TD_HTML_TIME:
            if (td_html_attr(n, "datetime", &v))
                take(&c.time_dt, v);
            break;
        default:
            break;
        }
        if (td_html_attr(n, "itemprop", &v) && t != TD_HTML_META)
            on_itemprop(e, &c, n, v);
    }

    pick_str(e, &a->site_name, c.og_site, c.app_name, TD_STR_NULL);
    if (!a->title) {
        struct td_str best = c.og_title.len      ? c.og_title
                             : c.tw_title.len    ? c.tw_title
                             : c.ip_headline.len ? c.ip_headline
                                                 : c.h1;
        if (!best.len)
            best = strip_site(c.title_tag, td_str_c(a->site_name));
        else if (best.ptr != c.h1.ptr)
            best = strip_site(best, td_str_c(a->site_name));
        a->title = ex_clean(e, best);
    }
    pick_str(e, &a->description, c.og_desc, c.tw_desc, c.meta_desc);
    if (!a->published) {
        struct td_str d = c.pub_meta.len ? c.pub_meta : c.ip_pub.len ? c.ip_pub : c.time_dt;
        if (d.len)
            a->published = ex_date(e, d);
    }
    if (!a->modified) {
        struct td_str d = c.mod_meta.len ? c.mod_meta : c.ip_mod;
        if (d.len)
            a->modified = ex_date(e, d);
    }
    if (!a->n_authors) {
        for (size_t i = 0; i < c.n_author_meta; i++)
            ex_add_author(e, c.author_meta[i]);
        if (!a->n_authors)
            for (size_t i = 0; i < c.n_ip_author; i++)
                ex_add_author(e, c.ip_author[i]);
    }
    if (!a->image.url) {
        struct td_str im = c.og_image.len ? c.og_image : c.tw_image.len ? c.tw_image : c.ip_image;
        /* An alt text describes its own image only. */
        struct td_str alt = c.og_image.len ? c.og_image_alt : c.tw_image.len ? c.tw_image_alt
                                                                              : (struct td_str){0};
        if (im.len)
            a->image.url = ex_url(e, im);
        if (a->image.url && alt.len)
            a->image.alt = ex_clean(e, alt);
    }
    if (!a->url) {
        if (c.canonical.len)
            a->url = ex_url(e, c.canonical);
        if (!a->url && c.og_url.len)
            a->url = ex_url(e, c.og_url);
    }
    if (!a->language) {
        struct td_str l = c.lang_html.len   ? c.lang_html
                          : c.lang_meta.len ? c.lang_meta
                                            : c.og_locale;
        /* Normalize "en_US" to BCP 47 "en-US"; a list ("en, fr") keeps its first. */
        if (l.len && l.len < 36) {
            char *s = td_arena_strndup(e->arena, l.ptr, l.len);
            for (char *p = s; *p; p++) {
                if (*p == '_')
                    *p = '-';
                if (*p == ',' || *p == ' ' || *p == ';') {
                    *p = '\0';
                    break;
                }
            }
            if (*s)
                a->language = s;
        }
    }
}
