/*
 * xml.c - the RSS/RDF/Atom reader: libxml2's SAX2 interface in recover
 * mode, over text the fixup pass has already repaired.
 *
 * One pass, no tree.  A stack of frames tracks where we are (outside the
 * feed, channel level, inside an item, an Atom person, an image, a
 * source...).  Leaf elements are "captured": their text (and, for inline
 * XHTML, their child markup re-serialized) collects in one buffer and is
 * assigned to a field when the element ends.  Elements are recognised by
 * namespace *and* name, so an atom:link inside RSS or a dc:date inside Atom
 * lands in the same model field; RSS elements are those in no namespace
 * or the RSS 0.90/1.0 namespaces.  Undeclared but well-known prefixes
 * (content:encoded with no xmlns:content) are mapped by prefix.
 *
 * Entities: the fixup pass drops the DOCTYPE and itself expands the
 * internal entities it declared with literal values, leaving only XML's
 * five and character references; the entity callbacks below refuse every
 * declared entity besides, so nothing external is ever loaded (no XXE)
 * and libxml2 expands nothing.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/url.h"
#include "base/utf8.h"
#include "feed/internal.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <math.h>
#include <pthread.h>

#define MAX_DEPTH 256
#define ITUNES_SCHEME "http://www.itunes.com/" /* feedparser's scheme for iTunes tags */
/* The scheme Media RSS gives a media:category without one. */
#define MEDIA_CATEGORY_SCHEME "http://search.yahoo.com/mrss/category_schema"

enum ns {
    NS_NONE,
    NS_RSS090,
    NS_RSS10,
    NS_ATOM10,
    NS_ATOM03,
    NS_RDF,
    NS_DC,
    NS_DCTERMS,
    NS_CONTENT,
    NS_MEDIA,
    NS_ITUNES,
    NS_XHTML,
    NS_GEORSS,
    NS_GML,
    NS_THR,
    NS_WFW,
    NS_CC,
    NS_PSC,
    NS_OTHER,
};

#define NS_CACHE 4 /* classify() answers kept per document */

static const struct {
    const char *uri, *prefix;
    enum ns ns;
} namespaces[] = {
    {"http://www.w3.org/2005/Atom", "atom", NS_ATOM10},
    {"http://purl.org/atom/ns#", NULL, NS_ATOM03},
    {"http://purl.org/rss/1.0/", NULL, NS_RSS10},
    {"http://my.netscape.com/rdf/simple/0.9/", NULL, NS_RSS090},
    {"http://channel.netscape.com/rdf/simple/0.9/", NULL, NS_RSS090},
    {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf", NS_RDF},
    {"http://purl.org/dc/elements/1.1/", "dc", NS_DC},
    {"http://purl.org/dc/terms/", "dcterms", NS_DCTERMS},
    {"http://purl.org/rss/1.0/modules/content/", "content", NS_CONTENT},
    {"http://search.yahoo.com/mrss/", "media", NS_MEDIA},
    {"http://search.yahoo.com/mrss", NULL, NS_MEDIA},
    {"http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes", NS_ITUNES},
    {"http://www.itunes.com/DTDs/Podcast-1.0.dtd", NULL, NS_ITUNES},
    {"http://www.w3.org/1999/xhtml", "xhtml", NS_XHTML},
    {"http://www.georss.org/georss", "georss", NS_GEORSS},
    {"http://www.opengis.net/gml", "gml", NS_GML},
    {"http://purl.org/syndication/thread/1.0", "thr", NS_THR},
    {"http://wellformedweb.org/CommentAPI/", "wfw", NS_WFW},
    {"http://backend.userland.com/creativeCommonsRssModule", "creativeCommons", NS_CC},
    {"http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html", NULL, NS_CC},
    {"http://web.resource.org/cc/", "cc", NS_CC},
    {"http://creativecommons.org/ns#", NULL, NS_CC},
    {"http://podlove.org/simple-chapters", "psc", NS_PSC},
    {"http://backend.userland.com/rss2", NULL, NS_NONE},
    {"http://backend.userland.com/rss", NULL, NS_NONE},
    {"http://backend.userland.com/rss2.1", NULL, NS_NONE},
    {"http://blogs.law.harvard.edu/tech/rss", NULL, NS_NONE},
};

enum ctx {
    C_ROOT,      /* before the root element */
    C_WRAP,      /* inside <rss> or <rdf:RDF>, outside channel */
    C_FEED,      /* channel / feed level */
    C_ENTRY,     /* item / entry */
    C_PERSON,    /* atom author / contributor */
    C_IMAGE,     /* RSS image */
    C_TEXTINPUT, /* RSS textInput */
    C_CHAPTERS,  /* psc:chapters */
    C_IGNORE,    /* skipHours, unknown namespaces...: nothing inside is ours */
};

enum person_dest { P_FEED_AUTHOR, P_FEED_CONTRIB, P_ENTRY_AUTHOR, P_ENTRY_CONTRIB, P_PUBLISHER };

struct frame {
    enum ns ns;
    enum ctx ctx; /* context for this element's children */
    const char *name;
    const char *base, *lang;
    const char *type, *mode, *scheme, *label, *permalink, *src;
    const char *extra; /* an attribute read at the end: media:credit role, license href... */
    bool capture;      /* this element is the one being captured */
    bool source;       /* this element is an entry's atom:source */
};

struct xp {
    struct td_feed_builder *b;
    struct td_feed *f;   /* the feed, or the atom:source being read */
    int depth;           /* frames in use */
    struct frame *stack; /* MAX_DEPTH frames, each initialised when pushed */
    int skipped;         /* elements nested deeper than MAX_DEPTH */
    bool atom_doc;       /* no-namespace elements are Atom */
    bool capturing, escape;
    int cap_depth;
    struct td_buf text;
    struct td_feed_entry *entry;
    struct td_feed_person person;
    enum person_dest person_dest;
    bool netscape;
    bool rdf090; /* the root declares RSS 0.90 as its default namespace */
    bool done;
    bool cdf;             /* the root is CDF's <CHANNEL> */
    const char *atom_uri; /* an unknown namespace the root <feed version=...> is in */
    const char *gml_type; /* the GML geometry being read inside georss:where */
    bool rss_summary;     /* the entry's summary came from an RSS <summary> */
    /*
     * classify()'s latest answers.  libxml2 interns names and namespace
     * URIs in its dictionary for the whole document, so a pointer stands
     * for its string.
     */
    const xmlChar *ns_uri[NS_CACHE], *ns_prefix[NS_CACHE];
    enum ns ns_val[NS_CACHE];
    unsigned ns_cached, ns_next;
};

/* Everything is allocated in the document's arena, also while x->f is a source. */
static struct td_arena *ar(struct xp *x)
{
    return &x->b->f->arena;
}

static enum ns classify_names(struct xp *x, const xmlChar *uri, const xmlChar *prefix)
{
    if (uri) {
        if (x->atom_uri && !strcmp((const char *)uri, x->atom_uri))
            return NS_ATOM03;
        for (size_t i = 0; i < TD_ARRAY_SIZE(namespaces); i++)
            if (!strcmp((const char *)uri, namespaces[i].uri))
                return namespaces[i].ns;
        /* Namespace URIs are compared exactly, but feeds get the case and
         * trailing slash of the common ones wrong. */
        for (size_t i = 0; i < TD_ARRAY_SIZE(namespaces); i++) {
            struct td_str a = td_str_c((const char *)uri), u = td_str_c(namespaces[i].uri);
            if (a.len && a.ptr[a.len - 1] == '/')
                a.len--;
            if (u.len && u.ptr[u.len - 1] == '/')
                u.len--;
            if (td_str_eq_nocase(a, u))
                return namespaces[i].ns;
        }
        /* A module's usual prefix bound to a mistyped URI still means that module. */
        for (size_t i = 0; prefix && i < TD_ARRAY_SIZE(namespaces); i++)
            if (namespaces[i].prefix && namespaces[i].ns >= NS_DC &&
                namespaces[i].ns <= NS_ITUNES &&
                !strcmp((const char *)prefix, namespaces[i].prefix))
                return namespaces[i].ns;
        return NS_OTHER;
    }
    if (prefix) {
        for (size_t i = 0; i < TD_ARRAY_SIZE(namespaces); i++)
            if (namespaces[i].prefix && !strcmp((const char *)prefix, namespaces[i].prefix))
                return namespaces[i].ns;
        return NS_OTHER;
    }
    return NS_NONE;
}

/* The namespace of an element or attribute: every start tag asks, mostly the same few. */
static enum ns classify(struct xp *x, const xmlChar *uri, const xmlChar *prefix)
{
    if (!uri && !prefix)
        return NS_NONE;
    for (unsigned i = 0; i < x->ns_cached; i++)
        if (x->ns_uri[i] == uri && x->ns_prefix[i] == prefix)
            return x->ns_val[i];
    enum ns ns = classify_names(x, uri, prefix);
    unsigned slot = x->ns_next++ % NS_CACHE;
    x->ns_uri[slot] = uri;
    x->ns_prefix[slot] = prefix;
    x->ns_val[slot] = ns;
    if (x->ns_cached < NS_CACHE)
        x->ns_cached++;
    return ns;
}

/* RSS elements: no namespace (outside Atom documents) or the RSS ones. */
static bool is_rss(const struct xp *x, enum ns ns)
{
    return (ns == NS_NONE && !x->atom_doc) || ns == NS_RSS10 || ns == NS_RSS090;
}

static bool is_atom(const struct xp *x, enum ns ns)
{
    return ns == NS_ATOM10 || ns == NS_ATOM03 || (ns == NS_NONE && x->atom_doc);
}

static bool eq(const char *a, const char *b)
{
    return !strcmp(a, b);
}

static bool eq_nocase(const char *a, const char *b)
{
    return td_str_eq_nocase(td_str_c(a), td_str_c(b));
}

static const char *dup_attr(struct xp *x, const xmlChar **a)
{
    return td_feed_strdup(x->b, (const char *)a[3], (size_t)(a[4] - a[3]), false);
}

static bool void_element(const char *name)
{
    static const char *const v[] = {"area",  "base", "br",   "col",   "embed",  "hr",    "img",
                                    "input", "link", "meta", "param", "source", "track", "wbr"};
    for (size_t i = 0; i < TD_ARRAY_SIZE(v); i++)
        if (eq_nocase(name, v[i]))
            return true;
    return false;
}

static int append_escaped(struct td_buf *out, const char *s, size_t n, bool attr)
{
    size_t run = 0;
    int err = 0;
    for (size_t i = 0; i < n && !err; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = attr ? "&quot;" : NULL;
            break;
        }
        if (!rep)
            continue;
        if ((err = td_buf_append(out, s + run, i - run)) == 0)
            err = td_buf_append_c(out, rep);
        run = i + 1;
    }
    return err ? err : td_buf_append(out, s + run, n - run);
}

static void text_overflow(struct xp *x)
{
    td_feed_bozo(x->b, "text field over size cap truncated");
}

/* ---- fields ---- */

static void set_text(struct td_feed_text *t, const char *value, const struct frame *fr,
                     const char *type)
{
    t->value = value;
    t->type = type;
    t->lang = fr->lang;
    t->base = fr->base;
}

/* The MIME type of an Atom text construct (RFC 4287 3.1; Atom 0.3 3.1.1). */
static const char *atom_text_type(const struct frame *fr)
{
    const char *t = fr->type;
    if (!t || !*t || eq_nocase(t, "text") || eq_nocase(t, "text/plain"))
        return fr->mode && eq_nocase(fr->mode, "escaped") ? "text/html" : "text/plain";
    if (eq_nocase(t, "html") || eq_nocase(t, "text/html"))
        return "text/html";
    if (eq_nocase(t, "xhtml") || eq_nocase(t, "application/xhtml+xml"))
        return "application/xhtml+xml";
    return t;
}

/* Inline XHTML arrives wrapped in one <div>; RFC 4287 4.1.3.3 says drop it. */
static const char *unwrap_div(struct xp *x, const char *v)
{
    struct td_str s = td_str_trim(td_str_c(v));
    if (!td_str_starts_with_nocase(s, TD_STR_LIT("<div")) ||
        !td_str_ends_with(s, TD_STR_LIT("</div>")))
        return v;
    const char *gt = memchr(s.ptr, '>', s.len);
    if (!gt || (size_t)(gt - s.ptr) + 1 > s.len - 6)
        return v;
    size_t start = (size_t)(gt - s.ptr) + 1;
    return td_feed_strdup(x->b, s.ptr + start, s.len - 6 - start, true);
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

/* Base64 (RFC 4648, white space skipped); the raw text if it is not valid base64. */
static const char *b64_decode(struct xp *x, const char *v)
{
    size_t n = strlen(v);
    char *out = td_arena_alloc(ar(x), n / 4 * 3 + 4);
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (const char *p = v; *p; p++) {
        if (td_is_space(*p) || *p == '=')
            continue;
        int d = b64_value(*p);
        if (d < 0)
            return v;
        acc = (acc << 6) | (uint32_t)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)((acc >> bits) & 0xFF);
        }
    }
    out[o] = '\0';
    return memchr(out, '\0', o) || !td_utf8_valid(out, o) ? v : out;
}

/*
 * The value of an Atom text or content construct: base64 decoded when its
 * type says binary (RFC 4287 4.1.3.3 item 6; Atom 0.3 mode="base64"), the
 * wrapping div of inline XHTML dropped.  *type gets the MIME type.
 */
static const char *atom_value(struct xp *x, const struct frame *fr, const char *v,
                              const char **type)
{
    *type = atom_text_type(fr);
    if (eq(*type, "application/xhtml+xml"))
        return unwrap_div(x, v);
    bool textual = td_str_starts_with_nocase(td_str_c(*type), TD_STR_LIT("text/")) ||
                   td_str_ends_with(td_str_c(*type), TD_STR_LIT("+xml")) ||
                   td_str_ends_with(td_str_c(*type), TD_STR_LIT("/xml"));
    if ((fr->mode && eq_nocase(fr->mode, "base64")) || (!textual && !fr->mode)) {
        v = td_feed_strdup(x->b, b64_decode(x, v), strlen(b64_decode(x, v)), true);
        if (!textual)
            *type = "text/html";
    }
    return v;
}

/* Set `t` from an Atom text construct. */
static void set_atom_text(struct xp *x, struct td_feed_text *t, const struct frame *fr,
                          const char *v)
{
    const char *type;
    const char *value = atom_value(x, fr, v, &type);
    set_text(t, value, fr, type);
}

static void add_tag(struct xp *x, struct td_feed_tag **arr, size_t *n, const char *term,
                    const char *scheme, const char *label)
{
    /* A category with only a label or a scheme is still one (feedparser keeps it too). */
    if ((!term || !*term) && (!scheme || !*scheme) && (!label || !*label))
        return;
    struct td_feed_tag *t = TD_FEED_PUSH(ar(x), *arr, *n);
    t->term = term ? term : "";
    t->scheme = scheme ? scheme : "";
    t->label = label ? label : "";
}

static void add_author_string(struct xp *x, const char *v, bool entry)
{
    if (!*v)
        return;
    struct td_feed_person p;
    td_feed_person_from_string(x->b, v, &p);
    if (entry && x->entry) {
        if (!x->entry->author || !*x->entry->author)
            x->entry->author = v;
        *TD_FEED_PUSH(ar(x), x->entry->authors, x->entry->n_authors) = p;
    } else if (!entry) {
        if (!x->f->author || !*x->f->author)
            x->f->author = v;
        *TD_FEED_PUSH(ar(x), x->f->authors, x->f->n_authors) = p;
    }
}

static int64_t parse_length(const char *s)
{
    char *end;
    while (*s == ' ')
        s++;
    long long v = strtoll(s, &end, 10);
    return end == s || v < 0 ? -1 : (int64_t)v;
}

/*
 * itunes:block and itunes:explicit, from the text as written (feedparser's
 * reading: only "yes" (or "Yes") blocks; explicit is yes/true or
 * no/false/clean, anything else, padded or capitalised, is unknown).
 */
static int itunes_flag(const char *raw, bool explicit)
{
    if (!explicit)
        return eq(raw, "yes") || eq(raw, "Yes") ? TD_FEED_FLAG_YES : TD_FEED_FLAG_NO;
    if (eq(raw, "yes") || eq(raw, "true"))
        return TD_FEED_FLAG_YES;
    if (eq(raw, "no") || eq(raw, "false") || eq(raw, "clean"))
        return TD_FEED_FLAG_NO;
    return TD_FEED_FLAG_OTHER;
}

/* A tag unless the same term and scheme is already there. */
static void add_tag_once(struct xp *x, struct td_feed_tag **arr, size_t *n, const char *term,
                         const char *scheme)
{
    for (size_t i = 0; i < *n; i++)
        if (eq((*arr)[i].term, term) && eq((*arr)[i].scheme, scheme))
            return;
    add_tag(x, arr, n, term, scheme, NULL);
}

/* Comma-separated tags (itunes:keywords, <tags>), each once per scheme. */
static void add_tag_list(struct xp *x, struct td_feed_tag **arr, size_t *n, const char *v,
                         const char *scheme)
{
    while (*v) {
        const char *comma = strchr(v, ',');
        size_t len = comma ? (size_t)(comma - v) : strlen(v);
        const char *term = td_feed_strdup(x->b, v, len, true);
        if (*term)
            add_tag_once(x, arr, n, term, scheme ? scheme : "");
        v += len + (comma != NULL);
    }
}

/* RSS <link>: also an alternate link, as feedparser lists it. */
static const char *add_alternate(struct xp *x, struct td_feed_link **arr, size_t *n,
                                 const struct frame *fr, const char *v)
{
    struct td_feed_link *l = TD_FEED_PUSH(ar(x), *arr, *n);
    l->href = td_feed_resolve(x->b, fr->base, v);
    l->rel = "alternate";
    l->type = "text/html";
    l->title = l->hreflang = "";
    l->length = -1;
    return l->href;
}

static void set_publisher(struct xp *x, const char **display, struct td_feed_person *p,
                          const char *v)
{
    if (!*v)
        return;
    *display = v;
    td_feed_person_from_string(x->b, v, p);
}

static void add_contributor(struct xp *x, struct td_feed_person **arr, size_t *n, const char *v)
{
    if (*v)
        td_feed_person_from_string(x->b, v, TD_FEED_PUSH(ar(x), *arr, *n));
}

/*
 * A GeoRSS location from its list of numbers (latitude longitude pairs).
 * `min` pairs are needed, else the location is left empty (feedparser's
 * reading of a broken one); a box is exactly two corners.
 */
static void set_where(struct xp *x, const char *type, const char *v, size_t min)
{
    struct td_feed_where *w = &x->entry->where;
    size_t n = 0, cap = 16;
    double *c = td_arena_alloc(ar(x), cap * sizeof(*c));
    char *end;

    w->set = true;
    w->type = "";
    w->n_points = 0;
    for (const char *p = v;; p = end) {
        while (td_is_space(*p) || *p == ',')
            p++;
        if (!*p)
            break;
        double d = strtod(p, &end);
        if (end == p || !isfinite(d))
            return;
        if (n == cap) {
            double *more = td_arena_alloc(ar(x), 2 * cap * sizeof(*c));
            memcpy(more, c, n * sizeof(*c));
            c = more;
            cap *= 2;
        }
        c[n++] = d;
    }
    if (n % 2 || n / 2 < min || (eq(type, "Box") && n != 4))
        return;
    w->type = type;
    w->coords = c;
    w->n_points = n / 2;
}

/* An entry's source feed: header fields only, in the document's arena. */
static struct td_feed *new_source(struct xp *x)
{
    struct td_feed *src = td_arena_zalloc(ar(x), sizeof(*src));
    td_feed_init_header(src);
    src->version = x->b->f->version;
    return src;
}

/* A license as feedparser lists it: a link with rel="license". */
static void add_license(struct xp *x, struct td_feed_link **arr, size_t *n, const struct frame *fr,
                        const char *href)
{
    if (!href || !*href)
        return;
    struct td_feed_link *l = TD_FEED_PUSH(ar(x), *arr, *n);
    l->href = td_feed_resolve(x->b, fr->base, href);
    l->rel = "license";
    l->type = l->title = l->hreflang = "";
    l->length = -1;
}

/* dcterms:valid, a DCMI period: "start=...; end=...; scheme=W3C-DTF". */
static void set_validity(struct xp *x, struct td_feed_date *start, struct td_feed_date *end,
                         const char *v)
{
    while (*v) {
        const char *semi = strchr(v, ';');
        size_t len = semi ? (size_t)(semi - v) : strlen(v);
        const char *eqs = memchr(v, '=', len);
        if (eqs) {
            struct td_str k = td_str_trim(td_str_make(v, (size_t)(eqs - v)));
            const char *val = td_feed_strdup(x->b, eqs + 1, len - (size_t)(eqs - v) - 1, true);
            if (td_str_eq(k, TD_STR_LIT("start")))
                td_feed_set_date_as_is(x->b, start, val);
            else if (td_str_eq(k, TD_STR_LIT("end")))
                td_feed_set_date_as_is(x->b, end, val);
        }
        v += len + (semi != NULL);
    }
}

/* A field of the channel (RSS) or feed (Atom). */
static void feed_field(struct xp *x, const struct frame *fr, const char *v)
{
    struct td_feed *f = x->f;
    const char *n = fr->name;

    if (is_rss(x, fr->ns)) {
        if (eq(n, "title"))
            set_text(&f->title, v, fr, "text/plain");
        else if (eq(n, "link") && *v)
            f->link = add_alternate(x, &f->links, &f->n_links, fr, v);
        else if (eq(n, "description"))
            set_text(&f->subtitle, v, fr, "text/html");
        else if (eq(n, "language"))
            f->language = v;
        else if (eq(n, "copyright")) {
            set_text(&f->rights_detail, v, fr, "text/plain");
            f->rights = v;
        } else if (eq(n, "managingEditor") || eq(n, "author"))
            add_author_string(x, v, false);
        else if (eq(n, "webMaster"))
            set_publisher(x, &f->publisher, &f->publisher_detail, v);
        else if (eq(n, "generator"))
            f->generator = v;
        else if (eq(n, "pubDate"))
            td_feed_set_date(x->b, &f->published, v);
        else if (eq(n, "lastBuildDate"))
            td_feed_set_date(x->b, &f->updated, v);
        else if (eq(n, "ttl"))
            f->ttl = (int)TD_MIN(parse_length(v), INT32_MAX);
        else if (eq(n, "category"))
            add_tag(x, &f->tags, &f->n_tags, v, fr->scheme, NULL);
        else if (eq(n, "docs"))
            f->docs = td_feed_resolve(x->b, fr->base, v);
        else if (eq(n, "newLocation"))
            f->newlocation = td_feed_resolve(x->b, fr->base, v);
    } else if (is_atom(x, fr->ns)) {
        if (eq(n, "title"))
            set_atom_text(x, &f->title, fr, v);
        else if (eq(n, "subtitle") || eq(n, "tagline") || (eq(n, "info") && !*f->subtitle.value))
            set_atom_text(x, &f->subtitle, fr, v);
        else if (eq(n, "id"))
            f->id = v;
        else if (eq(n, "updated") || eq(n, "modified"))
            td_feed_set_date(x->b, &f->updated, v);
        else if (eq(n, "published") || eq(n, "issued"))
            td_feed_set_date(x->b, &f->published, v);
        else if (eq(n, "rights") || eq(n, "copyright")) {
            set_atom_text(x, &f->rights_detail, fr, v);
            f->rights = f->rights_detail.value;
        } else if (eq(n, "generator"))
            f->generator = v;
        else if (eq(n, "icon"))
            f->icon = td_feed_resolve(x->b, fr->base, v);
        else if (eq(n, "logo"))
            f->image.href = f->logo = td_feed_resolve(x->b, fr->base, v);
    } else if (fr->ns == NS_DC || fr->ns == NS_DCTERMS) {
        if (eq(n, "title") && !*f->title.value)
            set_text(&f->title, v, fr, "text/plain");
        else if (eq(n, "language") && !*f->language)
            f->language = v;
        else if (eq(n, "rights") && !*f->rights) {
            set_text(&f->rights_detail, v, fr, "text/plain");
            f->rights = v;
        } else if (eq(n, "creator") || eq(n, "author"))
            add_author_string(x, v, false);
        else if (eq(n, "publisher"))
            set_publisher(x, &f->publisher, &f->publisher_detail, v);
        else if (eq(n, "contributor"))
            add_contributor(x, &f->contributors, &f->n_contributors, v);
        else if (eq(n, "created"))
            td_feed_set_date(x->b, &f->created, v);
        else if (eq(n, "issued") && !*f->published.raw)
            td_feed_set_date(x->b, &f->published, v);
        else if (eq(n, "date") || eq(n, "modified"))
            td_feed_set_date(x->b, &f->updated, v);
        else if (eq(n, "description") && !*f->subtitle.value)
            set_text(&f->subtitle, v, fr, "text/plain");
        else if (eq(n, "subject"))
            add_tag(x, &f->tags, &f->n_tags, v, NULL, NULL);
        else if (eq(n, "valid"))
            set_validity(x, &f->validity_start, &f->validity_end, v);
    } else if (fr->ns == NS_CC) {
        if (eq_nocase(n, "license"))
            add_license(x, &f->links, &f->n_links, fr, v);
    } else if (fr->ns == NS_ITUNES) {
        if (eq(n, "author") && !f->n_authors)
            add_author_string(x, v, false);
        else if ((eq(n, "subtitle") || eq(n, "summary")) && !*f->subtitle.value)
            set_text(&f->subtitle, v, fr, "text/plain");
        else if (eq(n, "block"))
            f->itunes_block = itunes_flag(x->text.buf, false);
        else if (eq(n, "explicit"))
            f->itunes_explicit = itunes_flag(x->text.buf, true);
        else if (eq(n, "keywords"))
            add_tag_list(x, &f->tags, &f->n_tags, v, ITUNES_SCHEME);
    }
}

/* Media RSS names text types "plain" and "html"; anything not plain is read as HTML. */
static const char *media_text_type(const struct frame *fr, const char *dflt)
{
    const char *t = fr->type;
    if (!t || !*t)
        return dflt;
    if (eq_nocase(t, "plain") || eq_nocase(t, "text") || eq_nocase(t, "text/plain"))
        return "text/plain";
    return "text/html";
}

/*
 * A Media RSS element of an entry, inside media:group or media:content or
 * not.  Title and description stand in for the entry's own when it has
 * none; category is a tag; of license, restriction and rating the first
 * one counts (feedparser's reading).
 */
static void media_field(struct xp *x, const struct frame *fr, const char *v)
{
    struct td_feed_entry *e = x->entry;
    struct td_feed_media_rights *r = &e->media_rights;
    const char *n = fr->name;

    if (eq(n, "credit")) {
        if (!*e->media_credit)
            e->media_credit = v;
        if (e->n_credits >= TD_FEED_MAX_CREDITS) {
            td_feed_bozo(x->b, "too many media:credit elements; the rest were dropped");
            return;
        }
        struct td_feed_credit *c = TD_FEED_PUSH(ar(x), e->credits, e->n_credits);
        c->role = fr->extra ? fr->extra : "";
        c->scheme = fr->scheme ? fr->scheme : "";
        c->content = v;
    } else if (eq(n, "description")) {
        if (!*e->media_description)
            e->media_description = v;
        if (!*e->summary.value && *v)
            set_text(&e->summary, v, fr, media_text_type(fr, "text/html"));
    } else if (eq(n, "title")) {
        if (!*e->title.value && *v)
            set_text(&e->title, v, fr, media_text_type(fr, "text/plain"));
    } else if (eq(n, "category")) {
        add_tag(x, &e->tags, &e->n_tags, v, fr->scheme ? fr->scheme : MEDIA_CATEGORY_SCHEME,
                fr->label);
    } else if (eq(n, "license")) {
        if (*r->license || *r->license_type || *r->license_href)
            return;
        r->license = v;
        r->license_type = fr->type ? fr->type : "";
        r->license_href = fr->extra ? td_feed_resolve(x->b, fr->base, fr->extra) : "";
    } else if (eq(n, "restriction")) {
        if (*r->restriction || *r->restriction_relationship || *r->restriction_type)
            return;
        char *low = td_arena_strndup(ar(x), v, strlen(v));
        for (char *p = low; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        r->restriction = low;
        r->restriction_relationship = fr->extra ? fr->extra : "";
        r->restriction_type = fr->type ? fr->type : "";
    } else if (eq(n, "rating")) {
        if (*r->rating || *r->rating_scheme)
            return;
        r->rating = v;
        r->rating_scheme = fr->scheme ? fr->scheme : "";
    }
}

static void entry_field(struct xp *x, const struct frame *fr, const char *v)
{
    struct td_feed_entry *e = x->entry;
    const char *n = fr->name;

    if (is_rss(x, fr->ns)) {
        if (eq(n, "title")) {
            set_text(&e->title, v, fr, "text/plain");
        } else if (eq(n, "link")) {
            if (*v)
                e->link = add_alternate(x, &e->links, &e->n_links, fr, v);
        } else if (eq(n, "description") || eq(n, "summary")) {
            /*
             * <summary> is no RSS element, but feeds have it beside
             * <description>: the second of the two is the content, as
             * feedparser reads them.
             */
            bool second = eq(n, "summary") ? *e->summary.value != '\0' : x->rss_summary;
            if (second && !e->n_content) {
                set_text(TD_FEED_PUSH(ar(x), e->content, e->n_content), v, fr, "text/html");
            } else {
                set_text(&e->summary, v, fr, "text/html");
                x->rss_summary = eq(n, "summary");
            }
        } else if (eq(n, "tags")) {
            add_tag_list(x, &e->tags, &e->n_tags, v, NULL);
        } else if (eq(n, "body")) {
            set_text(TD_FEED_PUSH(ar(x), e->content, e->n_content), v, fr, "application/xhtml+xml");
        } else if (eq(n, "source")) {
            if (!e->source) {
                struct td_feed *src = new_source(x);
                set_text(&src->title, v, fr, "text/plain");
                src->self = fr->extra ? td_feed_resolve(x->b, fr->base, fr->extra) : "";
                e->source = src;
            }
        } else if (eq(n, "guid")) {
            e->id = v;
            /* RSS 2.0: a guid is a permalink unless isPermaLink="false". */
            if (*v && !*e->link && !(fr->permalink && eq_nocase(fr->permalink, "false")) &&
                td_url_is_http(td_str_c(v)))
                e->link = v;
        } else if (eq(n, "author")) {
            add_author_string(x, v, true);
        } else if (eq(n, "pubDate")) {
            td_feed_set_date(x->b, &e->published, v);
        } else if (eq(n, "category")) {
            add_tag(x, &e->tags, &e->n_tags, v, fr->scheme, NULL);
        } else if (eq(n, "comments")) {
            e->comments = td_feed_resolve(x->b, fr->base, v);
        } else if (eq(n, "expirationDate")) {
            td_feed_set_date(x->b, &e->expired, v);
        } else if (eq(n, "fullitem")) {
            set_text(TD_FEED_PUSH(ar(x), e->content, e->n_content), v, fr, "text/html");
        }
    } else if (is_atom(x, fr->ns)) {
        if (eq(n, "title")) {
            set_atom_text(x, &e->title, fr, v);
        } else if (eq(n, "summary")) {
            set_atom_text(x, &e->summary, fr, v);
        } else if (eq(n, "content")) {
            struct td_feed_text *t = TD_FEED_PUSH(ar(x), e->content, e->n_content);
            set_atom_text(x, t, fr, v);
        } else if (eq(n, "id")) {
            e->id = v;
        } else if (eq(n, "updated") || eq(n, "modified")) {
            td_feed_set_date(x->b, &e->updated, v);
        } else if (eq(n, "published") || eq(n, "issued")) {
            td_feed_set_date(x->b, &e->published, v);
        } else if (eq(n, "created")) {
            td_feed_set_date(x->b, &e->created, v); /* the last one, as feedparser keeps */
            if (!(e->published.flags & TD_FEED_DATE_SET))
                td_feed_set_date(x->b, &e->published, v);
        } else if (eq(n, "rights") || eq(n, "copyright")) {
            set_atom_text(x, &e->rights_detail, fr, v);
            e->rights = e->rights_detail.value;
        }
    } else if (fr->ns == NS_CONTENT) {
        if (eq(n, "encoded")) {
            struct td_feed_text *t = TD_FEED_PUSH(ar(x), e->content, e->n_content);
            set_text(t, v, fr, "text/html");
        }
    } else if (fr->ns == NS_XHTML) {
        if (eq(n, "body") || eq(n, "div")) {
            struct td_feed_text *t = TD_FEED_PUSH(ar(x), e->content, e->n_content);
            set_text(t, v, fr, "application/xhtml+xml");
        }
    } else if (fr->ns == NS_DC || fr->ns == NS_DCTERMS) {
        if (eq(n, "title") && !*e->title.value)
            set_text(&e->title, v, fr, "text/plain");
        else if ((eq(n, "creator") || eq(n, "author")) && *v)
            add_author_string(x, v, true);
        else if (eq(n, "date") || eq(n, "modified"))
            td_feed_set_date(x->b, &e->updated, v);
        else if ((eq(n, "issued") || eq(n, "created")) && !(e->published.flags & TD_FEED_DATE_SET))
            td_feed_set_date(x->b, &e->published, v);
        else if (eq(n, "subject"))
            add_tag(x, &e->tags, &e->n_tags, v, NULL, NULL);
        else if (eq(n, "description") && !*e->summary.value)
            set_text(&e->summary, v, fr, "text/plain");
        else if (eq(n, "rights")) {
            set_text(&e->rights_detail, v, fr, "text/plain");
            e->rights = v;
        } else if (eq(n, "identifier") && !*e->id)
            e->id = v;
        else if (eq(n, "language") && !*e->language)
            e->language = v;
        else if (eq(n, "publisher"))
            set_publisher(x, &e->publisher, &e->publisher_detail, v);
        else if (eq(n, "contributor"))
            add_contributor(x, &e->contributors, &e->n_contributors, v);
        else if (eq(n, "created") && !*e->created.raw)
            td_feed_set_date(x->b, &e->created, v);
        else if (eq(n, "valid"))
            set_validity(x, &e->validity_start, &e->validity_end, v);
    } else if (fr->ns == NS_GEORSS) {
        if (eq(n, "point"))
            set_where(x, "Point", v, 1);
        else if (eq(n, "line"))
            set_where(x, "LineString", v, 2);
        else if (eq(n, "polygon"))
            set_where(x, "Polygon", v, 4);
        else if (eq(n, "box"))
            set_where(x, "Box", v, 2);
    } else if (fr->ns == NS_GML && x->gml_type) {
        if (eq(n, "pos") || eq(n, "posList"))
            set_where(x, x->gml_type, v,
                      eq(x->gml_type, "Point")        ? 1
                      : eq(x->gml_type, "LineString") ? 2
                                                      : 4);
    } else if (fr->ns == NS_MEDIA) {
        media_field(x, fr, v);
    } else if (fr->ns == NS_WFW) {
        if (eq_nocase(n, "commentRss"))
            e->comments_feed = td_feed_resolve(x->b, fr->base, v);
    } else if (fr->ns == NS_CC) {
        if (eq_nocase(n, "license"))
            add_license(x, &e->links, &e->n_links, fr, v);
    } else if (fr->ns == NS_ITUNES) {
        if (eq(n, "author") && !e->n_authors)
            add_author_string(x, v, true);
        else if (eq(n, "summary") && !*e->summary.value)
            set_text(&e->summary, v, fr, "text/plain");
        else if (eq(n, "block"))
            e->itunes_block = itunes_flag(x->text.buf, false);
        else if (eq(n, "explicit"))
            e->itunes_explicit = itunes_flag(x->text.buf, true);
        else if (eq(n, "keywords"))
            add_tag_list(x, &e->tags, &e->n_tags, v, ITUNES_SCHEME);
    }
}

static void person_field(struct xp *x, const struct frame *fr, const char *v)
{
    const char *n = fr->name;
    if (eq(n, "name"))
        x->person.name = v;
    else if (eq(n, "email"))
        x->person.email = v;
    else if (eq(n, "uri") || eq(n, "url") || eq(n, "homepage"))
        x->person.uri = td_feed_resolve(x->b, fr->base, v);
}

static void image_field(struct xp *x, const struct frame *fr, const char *v)
{
    const char *n = fr->name;
    if (!is_rss(x, fr->ns))
        return;
    if (eq(n, "url"))
        x->f->image.href = td_feed_resolve(x->b, fr->base, v);
    else if (eq(n, "title"))
        x->f->image.title = v;
    else if (eq(n, "link"))
        x->f->image.link = td_feed_resolve(x->b, fr->base, v);
}

static void textinput_field(struct xp *x, const struct frame *fr, const char *v)
{
    const char *n = fr->name;
    if (!is_rss(x, fr->ns))
        return;
    if (eq(n, "title"))
        x->f->textinput.title = v;
    else if (eq(n, "description"))
        x->f->textinput.description = v;
    else if (eq(n, "name"))
        x->f->textinput.name = v;
    else if (eq(n, "link"))
        x->f->textinput.link = td_feed_resolve(x->b, fr->base, v);
}

/* ---- attribute-only elements ---- */

/* An attribute value (no namespace), copied to the arena; NULL if absent. */
static const char *attr(struct xp *x, const xmlChar **attrs, int n, const char *name)
{
    for (int i = 0; i < n; i++, attrs += 5)
        if (!attrs[2] && eq((const char *)attrs[0], name))
            return td_feed_strdup(x->b, (const char *)attrs[3], (size_t)(attrs[4] - attrs[3]),
                                  true);
    return NULL;
}

/* Like attr, "" if absent. */
static const char *attr_dup(struct xp *x, const xmlChar **attrs, int n, const char *name)
{
    const char *v = attr(x, attrs, n, name);
    return v ? v : "";
}

static void atom_link(struct xp *x, const struct frame *fr, const xmlChar **attrs, int n,
                      bool in_entry)
{
    struct td_feed *f = x->f;
    const char *href = attr_dup(x, attrs, n, "href");
    const char *rel = attr_dup(x, attrs, n, "rel");
    if (!*href)
        href = attr_dup(x, attrs, n, "url");
    if (!*rel)
        rel = "alternate";
    /* href="" is a reference to the base itself (RFC 3986 5.2.2). */
    bool to_base = !*href && attr(x, attrs, n, "href") && !attr(x, attrs, n, "url");
    struct td_feed_link l = {
        .href = to_base ? fr->base : td_feed_resolve(x->b, fr->base, href),
        .rel = rel,
        .type = attr_dup(x, attrs, n, "type"),
        .title = attr_dup(x, attrs, n, "title"),
        .hreflang = attr_dup(x, attrs, n, "hreflang"),
        .length = -1,
    };
    const char *len = attr(x, attrs, n, "length");
    if (len)
        l.length = parse_length(len);
    if (in_entry && x->entry) {
        struct td_feed_entry *e = x->entry;
        *TD_FEED_PUSH(ar(x), e->links, e->n_links) = l;
        if (!*l.href)
            return;
        if (eq(rel, "alternate") && !*e->link)
            e->link = l.href;
        else if (eq(rel, "enclosure")) {
            struct td_feed_enclosure *enc = TD_FEED_PUSH(ar(x), e->enclosures, e->n_enclosures);
            enc->url = l.href;
            enc->type = l.type;
            enc->length = l.length;
        }
    } else {
        *TD_FEED_PUSH(ar(x), f->links, f->n_links) = l;
        if (!*l.href)
            return;
        if (eq(rel, "alternate") && !*f->link)
            f->link = l.href;
        else if (eq(rel, "self") && !*f->self)
            f->self = l.href;
        else if (eq(rel, "hub") && !*f->hub)
            f->hub = l.href;
    }
}

static void media_element(struct xp *x, const struct frame *fr, const xmlChar **attrs, int n)
{
    struct td_feed_entry *e = x->entry;
    const char *url = attr_dup(x, attrs, n, "url");
    if (!e || !*url)
        return;
    if (eq(fr->name, "content")) {
        const char *medium = attr(x, attrs, n, "medium"), *type = attr(x, attrs, n, "type");
        bool image = (medium && eq(medium, "image")) ||
                     (type && td_str_starts_with(td_str_c(type), TD_STR_LIT("image/")));
        if (!image)
            return;
    } else if (!eq(fr->name, "thumbnail")) {
        return;
    }
    struct td_feed_media *m = TD_FEED_PUSH(ar(x), e->thumbnails, e->n_thumbnails);
    m->url = td_feed_resolve(x->b, fr->base, url);
    const char *w = attr(x, attrs, n, "width"), *h = attr(x, attrs, n, "height");
    m->width = w ? (int)TD_MIN(TD_MAX(parse_length(w), 0), INT32_MAX) : 0;
    m->height = h ? (int)TD_MIN(TD_MAX(parse_length(h), 0), INT32_MAX) : 0;
}

/* Normal Play Time as Simple Chapters writes it, [[HH:]MM:]SS[.mmm], in ms; -1 if not that. */
static int64_t npt_ms(const char *s)
{
    int64_t sec = 0, ms = 0;
    int fields = 0;
    const char *p = s;

    for (;;) {
        int digits = 0;
        int64_t v = 0;
        while (*p >= '0' && *p <= '9' && digits < 9) {
            v = v * 10 + (*p++ - '0');
            digits++;
        }
        if (!digits || ++fields > 3)
            return -1;
        sec = sec * 60 + v;
        if (*p != ':')
            break;
        p++;
    }
    if (*p == '.') {
        int digits = 0;
        for (p++; *p >= '0' && *p <= '9' && digits < 3; p++, digits++)
            ms = ms * 10 + (*p - '0');
        if (!digits)
            return -1;
        for (; digits < 3; digits++)
            ms *= 10;
    }
    return *p ? -1 : sec * 1000 + ms;
}

/* A psc:chapter, all in attributes. */
static void chapter(struct xp *x, const struct frame *fr, const xmlChar **attrs, int n)
{
    struct td_feed_entry *e = x->entry;
    if (e->n_chapters >= TD_FEED_MAX_CHAPTERS) {
        td_feed_bozo(x->b, "too many psc:chapter elements; the rest were dropped");
        return;
    }
    struct td_feed_chapter *c = TD_FEED_PUSH(ar(x), e->chapters, e->n_chapters);
    c->start = attr_dup(x, attrs, n, "start");
    c->start_ms = npt_ms(c->start);
    c->title = attr_dup(x, attrs, n, "title");
    c->href = td_feed_resolve(x->b, fr->base, attr_dup(x, attrs, n, "href"));
    c->image = td_feed_resolve(x->b, fr->base, attr_dup(x, attrs, n, "image"));
}

/* RSS <cloud>: all of it is in attributes. */
static void cloud(struct xp *x, const xmlChar **attrs, int n)
{
    x->f->cloud.domain = attr_dup(x, attrs, n, "domain");
    x->f->cloud.port = attr_dup(x, attrs, n, "port");
    x->f->cloud.path = attr_dup(x, attrs, n, "path");
    x->f->cloud.register_procedure = attr_dup(x, attrs, n, "registerProcedure");
    x->f->cloud.protocol = attr_dup(x, attrs, n, "protocol");
}

/* thr:in-reply-to; a later one replaces an earlier one, as in feedparser. */
static void in_reply_to(struct xp *x, const struct frame *fr, const xmlChar **attrs, int n,
                        struct td_feed_reply *r)
{
    r->ref = attr_dup(x, attrs, n, "ref");
    r->href = td_feed_resolve(x->b, fr->base, attr_dup(x, attrs, n, "href"));
    r->type = attr_dup(x, attrs, n, "type");
    r->source = td_feed_resolve(x->b, fr->base, attr_dup(x, attrs, n, "source"));
}

static void enclosure(struct xp *x, const struct frame *fr, const xmlChar **attrs, int n)
{
    struct td_feed_entry *e = x->entry;
    const char *url = attr_dup(x, attrs, n, "url");
    if (!e || !*url)
        return;
    struct td_feed_enclosure *enc = TD_FEED_PUSH(ar(x), e->enclosures, e->n_enclosures);
    enc->url = td_feed_resolve(x->b, fr->base, url);
    enc->type = attr_dup(x, attrs, n, "type");
    const char *len = attr(x, attrs, n, "length");
    enc->length = len ? parse_length(len) : -1;
    struct td_feed_link *l = TD_FEED_PUSH(ar(x), e->links, e->n_links);
    l->href = enc->url;
    l->rel = "enclosure";
    l->type = enc->type;
    l->title = l->hreflang = "";
    l->length = enc->length;
}

/* ---- SAX callbacks ---- */

static void capture_start_tag(struct xp *x, const xmlChar *name, int n, const xmlChar **attrs)
{
    if (td_buf_append_ch(&x->text, '<') < 0 || td_buf_append_c(&x->text, (const char *)name) < 0)
        goto full;
    for (int i = 0; i < n; i++, attrs += 5) {
        if (td_buf_append_ch(&x->text, ' ') < 0)
            goto full;
        if (attrs[1] && (td_buf_append_c(&x->text, (const char *)attrs[1]) < 0 ||
                         td_buf_append_ch(&x->text, ':') < 0))
            goto full;
        if (td_buf_append_c(&x->text, (const char *)attrs[0]) < 0 ||
            td_buf_append_c(&x->text, "=\"") < 0 ||
            append_escaped(&x->text, (const char *)attrs[3], (size_t)(attrs[4] - attrs[3]), true) <
                0 ||
            td_buf_append_ch(&x->text, '"') < 0)
            goto full;
    }
    if (td_buf_append_ch(&x->text, '>') < 0)
        goto full;
    return;
full:
    text_overflow(x);
}

/*
 * itunes:category (a tag, possibly holding a subcategory), itunes:image
 * (href, or url in some feeds) and itunes:link rel="image": the image goes
 * to *image unless one is already set.
 */
static void itunes_element(struct xp *x, const struct frame *fr, const xmlChar **attrs, int n,
                           struct td_feed_tag **tags, size_t *n_tags, const char **image)
{
    if (eq(fr->name, "category")) {
        const char *text = attr(x, attrs, n, "text");
        if (text && *text)
            add_tag_once(x, tags, n_tags, text, ITUNES_SCHEME);
        return;
    }
    if (eq(fr->name, "link")) {
        const char *rel = attr(x, attrs, n, "rel");
        if (!rel || !eq(rel, "image"))
            return;
    }
    const char *href = attr(x, attrs, n, "href");
    if (!href || !*href)
        href = attr_dup(x, attrs, n, "url");
    if (*href && !**image)
        *image = td_feed_resolve(x->b, fr->base, href);
}

/* CDF's attributes on <CHANNEL> and <ITEM>: HREF is the link, LASTMOD the update time. */
static void cdf_attrs(struct xp *x, const struct frame *fr, const xmlChar **attrs, int n,
                      struct td_feed_entry *e)
{
    const char *href = attr(x, attrs, n, "HREF"), *lastmod = attr(x, attrs, n, "LASTMOD");
    if (href && *href) {
        if (e)
            e->link = add_alternate(x, &e->links, &e->n_links, fr, href);
        else
            x->f->link = add_alternate(x, &x->f->links, &x->f->n_links, fr, href);
    }
    if (lastmod && *lastmod)
        td_feed_set_date(x->b, e ? &e->updated : &x->f->updated, lastmod);
}

/* An rdf: attribute (rdf:about, rdf:resource), copied; NULL if absent. */
static const char *rdf_attr(struct xp *x, const xmlChar **attrs, int n, const char *name)
{
    for (int i = 0; i < n; i++, attrs += 5)
        if (attrs[2] && classify(x, attrs[2], attrs[1]) == NS_RDF &&
            eq((const char *)attrs[0], name))
            return td_feed_strdup(x->b, (const char *)attrs[3], (size_t)(attrs[4] - attrs[3]),
                                  true);
    return NULL;
}

/* Start an entry; RSS 1.0's rdf:about is its id until a guid says otherwise. */
static void begin_entry(struct xp *x, const xmlChar **attrs, int n)
{
    x->entry = td_feed_new_entry(x->b);
    x->rss_summary = false;
    const char *about = x->entry ? rdf_attr(x, attrs, n, "about") : NULL;
    if (about && *about)
        x->entry->id = about;
}

/*
 * The context an element opens for its children, given the one it sits in
 * (fr->ctx on entry).  Attribute-only elements are handled here.  *leaf is
 * cleared for containers that stay in their parent's context (media:group).
 */
static enum ctx child_context(struct xp *x, struct frame *fr, const xmlChar **attrs, int nattrs,
                              bool *leaf)
{
    struct td_feed *f = x->f;
    enum ctx parent = fr->ctx;
    const char *n = fr->name;
    bool rss = is_rss(x, fr->ns), atom = is_atom(x, fr->ns);

    switch (parent) {
    case C_ROOT:
        if (eq(n, "rss") || (eq(n, "RDF") && fr->ns == NS_RDF)) {
            if (eq(n, "rss")) {
                const char *v = attr(x, attrs, nattrs, "version");
                if (!v)
                    f->version = TD_FEED_RSS;
                else if (eq(v, "0.91"))
                    f->version = x->netscape ? TD_FEED_RSS091N : TD_FEED_RSS091U;
                else if (eq(v, "0.92"))
                    f->version = TD_FEED_RSS092;
                else if (eq(v, "0.93"))
                    f->version = TD_FEED_RSS093;
                else if (eq(v, "0.94"))
                    f->version = TD_FEED_RSS094;
                else if (td_str_starts_with(td_str_c(v), TD_STR_LIT("2")))
                    f->version = TD_FEED_RSS20;
                else
                    f->version = TD_FEED_RSS;
            } else {
                f->version = x->rdf090 ? TD_FEED_RSS090 : TD_FEED_RSS10;
            }
            return C_WRAP;
        }
        if (eq(n, "feed")) {
            const char *v = attr(x, attrs, nattrs, "version");
            if (fr->ns == NS_ATOM10)
                f->version = TD_FEED_ATOM10;
            else if (fr->ns == NS_ATOM03 || (v && eq(v, "0.3")))
                f->version = TD_FEED_ATOM03;
            else
                f->version = TD_FEED_ATOM;
            x->atom_doc = true;
            return C_FEED;
        }
        /* An Atom Entry Document (RFC 4287 4.1.2): a feed of that one entry. */
        if (eq(n, "entry") && (fr->ns == NS_ATOM10 || fr->ns == NS_ATOM03)) {
            f->version = fr->ns == NS_ATOM10 ? TD_FEED_ATOM10 : TD_FEED_ATOM03;
            x->atom_doc = true;
            begin_entry(x, attrs, nattrs);
            return x->entry ? C_ENTRY : C_IGNORE;
        }
        if (eq(n, "channel")) {
            f->version = x->cdf ? TD_FEED_CDF : TD_FEED_RSS;
            if (x->cdf)
                cdf_attrs(x, fr, attrs, nattrs, NULL);
            return C_FEED;
        }
        return C_IGNORE;
    case C_WRAP:
        if (eq(n, "channel")) {
            if (fr->ns == NS_RSS090)
                f->version = TD_FEED_RSS090;
            return C_FEED;
        }
        if (eq(n, "item")) {
            begin_entry(x, attrs, nattrs);
            return x->entry ? C_ENTRY : C_IGNORE;
        }
        if (eq(n, "image"))
            return C_IMAGE;
        if (eq_nocase(n, "textinput"))
            return C_TEXTINPUT;
        if (eq(n, "redirect")) {
            *leaf = false;
            return C_FEED; /* for its newLocation */
        }
        return C_IGNORE;
    case C_FEED:
        /* Atom 0.3 feeds that call entries <item> exist; feedparser reads them. */
        if ((rss || atom) && (eq(n, "item") || (atom && eq(n, "entry"))) && x->f != x->b->f)
            return C_IGNORE; /* no entries inside an atom:source */
        if ((rss || atom) && (eq(n, "item") || (atom && eq(n, "entry")))) {
            begin_entry(x, attrs, nattrs);
            if (x->entry && x->cdf)
                cdf_attrs(x, fr, attrs, nattrs, x->entry);
            return x->entry ? C_ENTRY : C_IGNORE;
        }
        if (rss && eq(n, "image"))
            return C_IMAGE;
        if (atom && eq(n, "generator")) {
            const char *href = attr(x, attrs, nattrs, "uri");
            if (!href)
                href = attr_dup(x, attrs, nattrs, "url");
            f->generator_href = td_feed_resolve(x->b, fr->base, href);
            f->generator_version = attr_dup(x, attrs, nattrs, "version");
            return C_FEED;
        }
        if (fr->ns == NS_ITUNES && eq(n, "owner")) {
            memset(&x->person, 0, sizeof(x->person));
            x->person_dest = P_PUBLISHER;
            return C_PERSON;
        }
        if (atom && (eq(n, "author") || eq(n, "contributor"))) {
            memset(&x->person, 0, sizeof(x->person));
            x->person_dest = eq(n, "author") ? P_FEED_AUTHOR : P_FEED_CONTRIB;
            return C_PERSON;
        }
        if (rss && eq_nocase(n, "textinput"))
            return C_TEXTINPUT;
        if (rss && eq(n, "cloud")) {
            cloud(x, attrs, nattrs);
            return C_IGNORE;
        }
        if (fr->ns == NS_THR && eq(n, "in-reply-to")) {
            in_reply_to(x, fr, attrs, nattrs, &f->in_reply_to);
            return C_IGNORE;
        }
        if (rss && (eq(n, "skipHours") || eq(n, "skipDays")))
            return C_IGNORE;
        if (atom && eq(n, "link")) {
            atom_link(x, fr, attrs, nattrs, false);
            return C_IGNORE;
        }
        if (atom && eq(n, "category")) {
            add_tag(x, &f->tags, &f->n_tags, attr_dup(x, attrs, nattrs, "term"),
                    attr_dup(x, attrs, nattrs, "scheme"), attr_dup(x, attrs, nattrs, "label"));
            return C_IGNORE;
        }
        if (fr->ns == NS_ITUNES && (eq(n, "image") || eq(n, "link") || eq(n, "category"))) {
            itunes_element(x, fr, attrs, nattrs, &f->tags, &f->n_tags, &f->image.href);
            *leaf = false;
            return eq(n, "category") ? C_FEED : C_IGNORE;
        }
        if (fr->ns == NS_CC && eq(n, "license"))
            add_license(x, &f->links, &f->n_links, fr, rdf_attr(x, attrs, nattrs, "resource"));
        if (fr->ns == NS_RDF || fr->ns == NS_OTHER || (rss && eq(n, "items")))
            return C_IGNORE;
        return C_FEED;
    case C_ENTRY:
        /* An item opened before the last one was closed: a new entry. */
        if ((rss && eq(n, "item")) || (atom && eq(n, "entry"))) {
            *leaf = false;
            begin_entry(x, attrs, nattrs);
            return x->entry ? C_ENTRY : C_IGNORE;
        }
        if (atom && (eq(n, "author") || eq(n, "contributor"))) {
            memset(&x->person, 0, sizeof(x->person));
            x->person_dest = eq(n, "author") ? P_ENTRY_AUTHOR : P_ENTRY_CONTRIB;
            return C_PERSON;
        }
        if (atom && eq(n, "source") && x->f == x->b->f) {
            struct td_feed *src = new_source(x);
            x->entry->source = src;
            x->f = src;
            fr->source = true;
            *leaf = false;
            return C_FEED;
        }
        if (rss && eq(n, "source"))
            fr->extra = attr(x, attrs, nattrs, "url");
        if (atom && eq(n, "link")) {
            atom_link(x, fr, attrs, nattrs, true);
            return C_IGNORE;
        }
        if (atom && eq(n, "category")) {
            add_tag(x, &x->entry->tags, &x->entry->n_tags, attr_dup(x, attrs, nattrs, "term"),
                    attr_dup(x, attrs, nattrs, "scheme"), attr_dup(x, attrs, nattrs, "label"));
            return C_IGNORE;
        }
        if (rss && eq(n, "enclosure")) {
            enclosure(x, fr, attrs, nattrs);
            return C_IGNORE;
        }
        if (fr->ns == NS_THR && eq(n, "in-reply-to")) {
            in_reply_to(x, fr, attrs, nattrs, &x->entry->in_reply_to);
            return C_IGNORE;
        }
        if (fr->ns == NS_PSC && eq(n, "chapters")) {
            struct td_feed_entry *e = x->entry;
            if (e->has_chapters)
                return C_IGNORE; /* only the first counts */
            e->has_chapters = true;
            e->chapters_version = attr_dup(x, attrs, nattrs, "version");
            return C_CHAPTERS;
        }
        if (fr->ns == NS_MEDIA) {
            /* Attributes the text's handler (media_field) needs besides type and scheme. */
            if (eq(n, "credit"))
                fr->extra = attr(x, attrs, nattrs, "role");
            else if (eq(n, "license"))
                fr->extra = attr(x, attrs, nattrs, "href");
            else if (eq(n, "restriction"))
                fr->extra = attr(x, attrs, nattrs, "relationship");
            if (eq(n, "group") || eq(n, "content")) {
                *leaf = false;
                if (eq(n, "content"))
                    media_element(x, fr, attrs, nattrs);
                return C_ENTRY;
            }
            if (eq(n, "thumbnail")) {
                media_element(x, fr, attrs, nattrs);
                return C_IGNORE;
            }
        }
        if (fr->ns == NS_ITUNES && (eq(n, "image") || eq(n, "link") || eq(n, "category"))) {
            struct td_feed_entry *e = x->entry;
            const char *was = e->image;
            itunes_element(x, fr, attrs, nattrs, &e->tags, &e->n_tags, &e->image);
            if (e->image != was) {
                struct td_feed_media *m = TD_FEED_PUSH(ar(x), e->thumbnails, e->n_thumbnails);
                m->url = e->image;
            }
            *leaf = false;
            return eq(n, "category") ? C_ENTRY : C_IGNORE;
        }
        /* georss:where holds GML geometry: read through to its pos/posList. */
        if ((fr->ns == NS_GEORSS && eq(n, "where")) ||
            (fr->ns == NS_GML && !eq(n, "pos") && !eq(n, "posList"))) {
            if (fr->ns == NS_GML && (eq(n, "Point") || eq(n, "LineString") || eq(n, "Polygon")))
                x->gml_type = n;
            *leaf = false;
            return C_ENTRY;
        }
        if (fr->ns == NS_CC && eq(n, "license"))
            add_license(x, &x->entry->links, &x->entry->n_links, fr,
                        rdf_attr(x, attrs, nattrs, "resource"));
        if (fr->ns == NS_OTHER || fr->ns == NS_RDF)
            return C_IGNORE;
        return C_ENTRY;
    case C_CHAPTERS:
        if (fr->ns == NS_PSC && eq(n, "chapter") && x->entry)
            chapter(x, fr, attrs, nattrs);
        return C_IGNORE;
    case C_PERSON:
    case C_IMAGE:
    case C_TEXTINPUT:
        return parent;
    case C_IGNORE:
        break;
    }
    return C_IGNORE;
}

/* Does an element hold a value we read as text?  A leaf in a readable context. */
static bool captures(enum ctx parent, enum ctx self, bool leaf)
{
    return (parent == C_FEED || parent == C_ENTRY || parent == C_PERSON || parent == C_IMAGE ||
            parent == C_TEXTINPUT) &&
           self == parent && leaf;
}

/*
 * RSS element names in another case (feedparser reads them case-blind) and
 * CDF's upper-case ones, spelled the way the readers compare them.
 */
static const char *rss_name(const char *name)
{
    static const char *const names[] = {
        "channel", "item", "title",     "link",           "description", "language",
        "author",  "guid", "pubDate",   "lastBuildDate",  "category",    "comments",
        "image",   "url",  "copyright", "managingEditor", "webMaster",   "generator",
    };
    if (eq(name, "ABSTRACT"))
        return "description";
    for (size_t i = 0; i < TD_ARRAY_SIZE(names); i++)
        if (eq_nocase(name, names[i]))
            return names[i];
    return name;
}

/*
 * xml:base resolved against the base in effect, unless it names a scheme
 * other than http(s) (javascript:, data:...): such a base is ignored, the
 * way feedparser refuses unacceptable URI schemes.
 */
static const char *safe_base(struct xp *x, const char *parent, const char *v)
{
    const char *r = td_feed_resolve(x->b, parent, v);
    size_t n = strspn(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    if (n && r[n] == ':' && !td_url_is_http(td_str_c(r)))
        return parent;
    return r;
}

/*
 * The document's language before any xml:lang: the HTTP Content-Language
 * (its first tag when it lists several), "" if none was given.
 */
static const char *http_language(struct xp *x)
{
    const char *v = x->b->opts->content_language;
    if (!v)
        return "";
    return td_feed_strdup(x->b, v, strcspn(v, ","), true);
}

/* xml:lang, with the '_' some feeds write for '-' (en_US). */
static const char *lang_attr(struct xp *x, const xmlChar **a)
{
    const char *v = dup_attr(x, a);
    if (!strchr(v, '_'))
        return v;
    char *c = td_arena_strndup(ar(x), v, strlen(v));
    for (char *p = c; *p; p++)
        if (*p == '_')
            *p = '-';
    return c;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces_, int nb_attributes,
                     int nb_defaulted, const xmlChar **attrs)
{
    struct xp *x = ctx;
    (void)nb_defaulted;

    if (x->done)
        return;
    if (x->depth >= MAX_DEPTH) {
        x->skipped++;
        return;
    }
    if (x->capturing) {
        capture_start_tag(x, localname, nb_attributes, attrs);
        struct frame *fr = &x->stack[x->depth++];
        memset(fr, 0, sizeof(*fr));
        fr->name = (const char *)localname;
        fr->ctx = C_IGNORE;
        return;
    }
    const struct frame *parent = x->depth ? &x->stack[x->depth - 1] : NULL;
    for (int i = 0; !parent && i < nb_namespaces; i++)
        if (!namespaces_[2 * i] && namespaces_[2 * i + 1] &&
            classify(x, namespaces_[2 * i + 1], NULL) == NS_RSS090)
            x->rdf090 = true;
    struct frame *fr = &x->stack[x->depth++];
    memset(fr, 0, sizeof(*fr));
    fr->name = (const char *)localname;
    if (!parent && uri && !prefix && eq(fr->name, "feed") && classify(x, uri, prefix) == NS_OTHER &&
        attr(x, attrs, nb_attributes, "version")) {
        x->atom_uri = td_feed_strdup(x->b, (const char *)uri, strlen((const char *)uri), false);
        x->ns_cached = x->ns_next = 0; /* that URI now means Atom 0.3 */
    }
    fr->ns = classify(x, uri, prefix);
    if (fr->ns == NS_NONE && localname[0] >= 'A' && localname[0] <= 'Z') {
        if (!parent && eq(fr->name, "CHANNEL"))
            x->cdf = true;
        fr->name = rss_name(fr->name);
    }
    fr->ctx = parent ? parent->ctx : C_ROOT;
    fr->base = parent ? parent->base : x->b->base;
    fr->lang = parent ? parent->lang : http_language(x);
    for (int i = 0; i < nb_attributes; i++) {
        const xmlChar **a = attrs + 5 * i;
        const char *an = (const char *)a[0];
        if (a[2] && !strcmp((const char *)a[2], "http://www.w3.org/XML/1998/namespace")) {
            if (eq(an, "base"))
                fr->base = safe_base(x, fr->base, dup_attr(x, a));
            else if (eq(an, "lang"))
                fr->lang = lang_attr(x, a);
        } else if (!a[2]) {
            if (x->cdf && eq(an, "BASE"))
                fr->base = td_feed_resolve(x->b, fr->base, dup_attr(x, a));
            /* Every attribute of every element passes here: the first letter sorts most out. */
            switch (an[0]) {
            case 't':
                if (eq(an, "type"))
                    fr->type = dup_attr(x, a);
                break;
            case 'm':
                if (eq(an, "mode"))
                    fr->mode = dup_attr(x, a);
                break;
            case 'd':
            case 's':
                if (eq(an, "domain") || eq(an, "scheme"))
                    fr->scheme = dup_attr(x, a);
                else if (eq(an, "src"))
                    fr->src = dup_attr(x, a);
                break;
            case 'i':
                if (eq(an, "isPermaLink"))
                    fr->permalink = dup_attr(x, a);
                break;
            case 'l':
                if (eq(an, "label"))
                    fr->label = dup_attr(x, a);
                break;
            default:
                break;
            }
        }
    }
    bool leaf = true;
    enum ctx was = fr->ctx;
    enum ctx self = child_context(x, fr, attrs, nb_attributes, &leaf);
    fr->ctx = self;
    if (was == C_ROOT && !*x->f->language && *fr->lang)
        x->f->language = fr->lang;
    if (captures(was, self, leaf)) {
        fr->capture = true;
        x->capturing = true;
        x->cap_depth = x->depth;
        td_buf_reset(&x->text);
        x->escape =
            (fr->type &&
             (eq_nocase(fr->type, "xhtml") || eq_nocase(fr->type, "application/xhtml+xml"))) ||
            (fr->mode && eq_nocase(fr->mode, "xml") && fr->type &&
             !eq_nocase(fr->type, "text/plain")) ||
            fr->ns == NS_XHTML || (was == C_ENTRY && is_rss(x, fr->ns) && eq(fr->name, "body"));
    }
}

static void end_person(struct xp *x)
{
    struct td_feed_person p = x->person;
    struct td_feed *f = x->f;
    if (!p.name)
        p.name = "";
    if (!p.email)
        p.email = "";
    if (!p.uri)
        p.uri = "";
    if (!*p.name && !*p.email && !*p.uri)
        return;
    struct td_buf *s = &x->b->scratch;
    td_buf_reset(s);
    int err = td_buf_append_c(s, p.name);
    if (!err && *p.email)
        err = td_buf_printf(s, *p.name ? " (%s)" : "%s", p.email);
    const char *display = err ? p.name : td_feed_strdup(x->b, s->buf, s->len, true);
    switch (x->person_dest) {
    case P_FEED_AUTHOR:
        *TD_FEED_PUSH(ar(x), f->authors, f->n_authors) = p;
        if (!f->author || !*f->author)
            f->author = display;
        break;
    case P_ENTRY_AUTHOR:
        if (x->entry) {
            *TD_FEED_PUSH(ar(x), x->entry->authors, x->entry->n_authors) = p;
            if (!x->entry->author || !*x->entry->author)
                x->entry->author = display;
        }
        break;
    case P_FEED_CONTRIB:
        *TD_FEED_PUSH(ar(x), f->contributors, f->n_contributors) = p;
        break;
    case P_ENTRY_CONTRIB:
        if (x->entry)
            *TD_FEED_PUSH(ar(x), x->entry->contributors, x->entry->n_contributors) = p;
        break;
    case P_PUBLISHER:
        f->publisher_detail = p;
        f->publisher = display;
        break;
    }
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    struct xp *x = ctx;
    (void)prefix;
    (void)uri;

    if (x->done)
        return;
    if (x->skipped) {
        x->skipped--;
        return;
    }
    if (!x->depth)
        return;
    struct frame *fr = &x->stack[x->depth - 1];
    if (x->capturing && x->depth > x->cap_depth) {
        if (!void_element((const char *)localname) &&
            (td_buf_append_c(&x->text, "</") < 0 ||
             td_buf_append_c(&x->text, (const char *)localname) < 0 ||
             td_buf_append_ch(&x->text, '>') < 0))
            text_overflow(x);
        x->depth--;
        return;
    }
    if (fr->capture) {
        x->capturing = false;
        const char *v = td_feed_strdup(x->b, x->text.buf, x->text.len, true);
        const struct frame *parent = &x->stack[x->depth - 2];
        switch (parent->ctx) {
        case C_FEED:
            feed_field(x, fr, v);
            break;
        case C_ENTRY:
            if (x->entry)
                entry_field(x, fr, v);
            break;
        case C_PERSON:
            person_field(x, fr, v);
            break;
        case C_IMAGE:
            image_field(x, fr, v);
            break;
        case C_TEXTINPUT:
            textinput_field(x, fr, v);
            break;
        default:
            break;
        }
    } else if (fr->source) {
        x->f = x->b->f;
    } else if (fr->ctx == C_ENTRY && x->depth >= 2 && x->stack[x->depth - 2].ctx != C_ENTRY) {
        x->entry = NULL;
    } else if (fr->ctx == C_PERSON && x->depth >= 2 && x->stack[x->depth - 2].ctx != C_PERSON) {
        end_person(x);
    }
    x->depth--;
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    struct xp *x = ctx;
    if (!x->capturing || x->done || x->skipped)
        return;
    int err = x->escape ? append_escaped(&x->text, (const char *)ch, (size_t)len, false)
                        : td_buf_append(&x->text, ch, (size_t)len);
    if (err)
        text_overflow(x);
}

static void on_error(void *ctx, const xmlError *err)
{
    struct xp *x = ctx;
    if (err->level < XML_ERR_ERROR)
        return;
    td_feed_bozo(x->b, err->message ? err->message : "malformed XML");
}

/* Only XML's predefined entities exist; declarations are ignored (no XXE). */
static xmlEntityPtr on_get_entity(void *ctx, const xmlChar *name)
{
    (void)ctx;
    return xmlGetPredefinedEntity(name);
}

static xmlEntityPtr on_get_pe(void *ctx, const xmlChar *name)
{
    (void)ctx;
    (void)name;
    return NULL;
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
    (void)ctx;
    (void)name;
    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
}

/* SAX2 start/end callbacks receive the parser context; route to our state. */
static void sax_start(void *ctx, const xmlChar *l, const xmlChar *p, const xmlChar *u, int nn,
                      const xmlChar **ns, int na, int nd, const xmlChar **a)
{
    on_start(((xmlParserCtxtPtr)ctx)->_private, l, p, u, nn, ns, na, nd, a);
}

static void sax_end(void *ctx, const xmlChar *l, const xmlChar *p, const xmlChar *u)
{
    on_end(((xmlParserCtxtPtr)ctx)->_private, l, p, u);
}

static void sax_text(void *ctx, const xmlChar *ch, int len)
{
    on_text(((xmlParserCtxtPtr)ctx)->_private, ch, len);
}

static void sax_serror(void *ctx, xmlErrorPtr err)
{
    on_error(((xmlParserCtxtPtr)ctx)->_private, err);
}

static void xml_init_once(void)
{
    xmlInitParser();
}

void td_feed_xml_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, xml_init_once);
}

/*
 * Per-thread parser state kept between documents.  Suite and real feeds
 * are small (hundreds of bytes to a few kB), so creating and freeing a
 * libxml2 context, its dictionary and our frame stack per document cost
 * about as much as parsing it; the context is reset instead.  Its
 * dictionary keeps the names of every document read, so the context is
 * recreated once that grows past READER_MAX_NAMES names or
 * READER_MAX_DICT bytes (a few very long names).
 */
#define READER_MAX_NAMES 20000
#define READER_MAX_DICT (1u << 20)
#define READER_KEEP_TEXT (64u << 10) /* a larger text buffer is not kept */

struct reader {
    xmlParserCtxtPtr ctxt;
    struct frame *stack; /* MAX_DEPTH frames */
    struct td_buf text, doc;
};

static pthread_key_t reader_key;
static pthread_once_t reader_once = PTHREAD_ONCE_INIT;
static bool reader_key_ok;
/* Also held here so leak checkers see a live thread's reader as reachable. */
static _Thread_local struct reader *thread_reader;

static void reader_free(void *p)
{
    struct reader *r = p;

    if (!r)
        return;
    if (r->ctxt) {
        if (r->ctxt->myDoc)
            xmlFreeDoc(r->ctxt->myDoc);
        xmlFreeParserCtxt(r->ctxt);
    }
    free(r->stack);
    td_buf_release(&r->text);
    td_buf_release(&r->doc);
    free(r);
}

static void reader_key_init(void)
{
    reader_key_ok = pthread_key_create(&reader_key, reader_free) == 0;
}

void td_feed_thread_cleanup(void)
{
    reader_free(thread_reader);
    thread_reader = NULL;
    if (reader_key_ok)
        pthread_setspecific(reader_key, NULL);
}

static xmlParserCtxtPtr new_context(void)
{
    xmlSAXHandler sax;

    memset(&sax, 0, sizeof(sax));
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = sax_start;
    sax.endElementNs = sax_end;
    sax.characters = sax_text;
    sax.cdataBlock = sax_text;
    sax.serror = sax_serror;
    sax.getEntity = on_get_entity;
    sax.getParameterEntity = on_get_pe;
    sax.entityDecl = on_entity_decl;
    xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
    if (!ctxt)
        td_panic(__FILE__, __LINE__, "libxml2: cannot create a parser");
    return ctxt;
}

/* The thread's reader with a parser context ready for a new document. */
static struct reader *reader_get(void)
{
    struct reader *r = thread_reader;

    if (!r) {
        td_feed_xml_init();
        pthread_once(&reader_once, reader_key_init);
        r = td_xcalloc(1, sizeof(*r));
        r->stack = td_xmalloc(MAX_DEPTH * sizeof(*r->stack));
        td_buf_init(&r->text, TD_FEED_MAX_TEXT);
        td_buf_init(&r->doc, TD_FEED_MAX_BYTES * 2);
        /* Without the key the reader still works; it is freed by td_feed_thread_cleanup. */
        if (reader_key_ok)
            pthread_setspecific(reader_key, r);
        thread_reader = r;
    }
    if (!r->ctxt)
        r->ctxt = new_context();
    else if (xmlCtxtResetPush(r->ctxt, NULL, 0, NULL, NULL) != 0)
        td_panic(__FILE__, __LINE__, "libxml2: cannot reset a parser");
    xmlCtxtUseOptions(r->ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOENT |
                                   XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    xmlSwitchEncoding(r->ctxt, XML_CHAR_ENCODING_UTF8);
    td_buf_reset(&r->text);
    td_buf_reset(&r->doc);
    return r;
}

/* Hand large buffers and an overgrown dictionary back once a document is done. */
static void reader_done(struct reader *r)
{
    if (r->ctxt->myDoc) {
        xmlFreeDoc(r->ctxt->myDoc);
        r->ctxt->myDoc = NULL;
    }
    r->ctxt->_private = NULL;
    if (r->ctxt->dict && (xmlDictSize(r->ctxt->dict) > READER_MAX_NAMES ||
                          xmlDictGetUsage(r->ctxt->dict) > READER_MAX_DICT)) {
        xmlFreeParserCtxt(r->ctxt);
        r->ctxt = NULL;
    }
    if (r->text.cap > READER_KEEP_TEXT)
        td_buf_release(&r->text);
    if (r->doc.cap > READER_KEEP_TEXT)
        td_buf_release(&r->doc);
}

int td_feed_read_xml(struct td_feed_builder *b, const char *utf8, size_t len)
{
    struct reader *r = reader_get();
    struct xp xs = {.b = b, .f = b->f, .stack = r->stack}, *x = &xs;
    xmlParserCtxtPtr ctxt = r->ctxt;
    unsigned fixed = 0;
    struct td_str doc;
    int ret = TD_EPARSE;

    x->text = r->text;
    if (td_feed_fixup_xml(utf8, len, &r->doc, &doc, &fixed) < 0) {
        ret = TD_ETOOBIG;
        goto out;
    }
    if (fixed & TD_FEED_FIX_NETSCAPE)
        x->netscape = true;
    if (fixed & TD_FEED_FIX_ENTITY)
        td_feed_bozo(b, "undefined entity (HTML named entity in XML)");
    if (fixed & TD_FEED_FIX_AMP)
        td_feed_bozo(b, "bare '&' or undefined entity");
    if (fixed & TD_FEED_FIX_CTRL)
        td_feed_bozo(b, "control character in XML");
    if (fixed & TD_FEED_FIX_CHARREF)
        td_feed_bozo(b, "invalid character reference");

    ctxt->_private = x;
    /* Feed the document in slices: libxml2 chunk sizes are int. */
    size_t off = 0;
    while (doc.len - off > ((size_t)1 << 24)) {
        xmlParseChunk(ctxt, doc.ptr + off, 1 << 24, 0);
        off += (size_t)1 << 24;
    }
    /*
     * A document cut off in the middle of text: libxml2 only reports
     * character data once something follows it, so give it an empty
     * comment to end on.
     */
    struct td_str tail = td_str_trim(doc);
    if (tail.len && tail.ptr[tail.len - 1] != '>') {
        xmlParseChunk(ctxt, doc.ptr + off, (int)(doc.len - off), 0);
        xmlParseChunk(ctxt, "<!---->", 7, 1);
    } else {
        xmlParseChunk(ctxt, doc.ptr + off, (int)(doc.len - off), 1);
    }
    if (!ctxt->wellFormed)
        td_feed_bozo(b, "not well-formed XML");
    /* Close what the document left open (missing end tags at EOF). */
    x->skipped = 0;
    while (x->depth)
        on_end(x, (const xmlChar *)x->stack[x->depth - 1].name, NULL, NULL);
    ret = x->f->version == TD_FEED_UNKNOWN ? TD_EPARSE : 0;
out:
    r->text = x->text;
    reader_done(r);
    return ret;
}
