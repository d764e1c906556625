/*
 * feed.h - RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1 parsed into
 * one entry model; OPML read and written.
 *
 * Everything a parsed feed points at lives in the feed's own arena and dies
 * with td_feed_free().  Strings are NUL-terminated UTF-8 and never NULL:
 * an absent field is "".  URLs are absolute when a base was known (xml:base,
 * the feed's own URL); entry HTML is sanitized with the html module's
 * allowlist unless TD_FEED_NO_SANITIZE is given.
 *
 * Broken feeds are recovered, not refused: bad bytes, bare '&', HTML named
 * entities, control characters, a wrong declared encoding, missing end
 * tags.  `bozo` says the input needed such a repair (feedparser's term).
 *
 *     struct td_feed *f;
 *     struct td_feed_opts o = {.url = "https://example.org/feed"};
 *     if (td_feed_parse(data, len, &o, &f) == 0) {
 *         for (size_t i = 0; i < f->n_entries; i++)
 *             puts(f->entries[i].title);
 *     }
 *     td_feed_free(f);
 */
#ifndef TD_FEED_H
#define TD_FEED_H

#include "base/compat.h"
#include "base/arena.h"
#include "base/buf.h"

#include <time.h>

/* Feed format, with feedparser's names (td_feed_version_name). */
enum td_feed_version {
    TD_FEED_UNKNOWN,
    TD_FEED_RSS090,
    TD_FEED_RSS091N, /* Netscape RSS 0.91 (with the Netscape DTD) */
    TD_FEED_RSS091U, /* Userland RSS 0.91 */
    TD_FEED_RSS092,
    TD_FEED_RSS093,
    TD_FEED_RSS094,
    TD_FEED_RSS20,
    TD_FEED_RSS, /* <rss> without a version we know */
    TD_FEED_RSS10,
    TD_FEED_ATOM03,
    TD_FEED_ATOM10,
    TD_FEED_ATOM, /* <feed> in no Atom namespace */
    TD_FEED_JSON10,
    TD_FEED_JSON11,
    TD_FEED_CDF, /* Microsoft's Channel Definition Format */
};

/* "rss20", "atom10", "json11", ... ("" for TD_FEED_UNKNOWN). */
const char *td_feed_version_name(enum td_feed_version v);

enum td_feed_date_flags {
    TD_FEED_DATE_SET = 1 << 0,    /* the feed gave a date that parsed */
    TD_FEED_DATE_NOZONE = 1 << 1, /* it had no zone: the default zone was applied */
    TD_FEED_DATE_FUTURE = 1 << 2, /* it was after opts.now and was clamped to it */
};

struct td_feed_date {
    time_t t;        /* seconds since the epoch, UTC; 0 unless DATE_SET */
    unsigned flags;  /* TD_FEED_DATE_* */
    const char *raw; /* the text as written */
};

struct td_feed_person {
    const char *name, *email, *uri;
};

struct td_feed_link {
    const char *href, *rel, *type, *title, *hreflang;
    int64_t length; /* -1 unknown */
};

struct td_feed_enclosure {
    const char *url, *type;
    int64_t length; /* bytes; -1 unknown */
};

struct td_feed_tag {
    const char *term, *scheme, *label;
};

/* A text construct: value and how to read it. */
struct td_feed_text {
    const char *value;
    const char *type; /* "text/plain", "text/html" or "application/xhtml+xml" */
    const char *lang; /* xml:lang in effect, "" if none */
    const char *base; /* xml:base in effect, "" if none */
};

/* iTunes yes/no values (itunes:block, itunes:explicit). */
enum td_feed_flag {
    TD_FEED_FLAG_ABSENT = -1, /* no such element */
    TD_FEED_FLAG_OTHER = -2,  /* present with a value that is neither yes nor no */
    TD_FEED_FLAG_NO = 0,
    TD_FEED_FLAG_YES = 1,
};

/*
 * A GeoRSS location (georss:point/line/polygon/box, or GML inside
 * georss:where).  Coordinates are latitude/longitude pairs as written.
 * `type` is "Point", "LineString", "Polygon" or "Box"; "" when the element
 * was there but unusable (too few numbers).
 */
struct td_feed_where {
    bool set; /* the entry had a location element */
    const char *type;
    double *coords; /* 2 * n_points values: lat, lon, lat, lon, ... */
    size_t n_points;
};

struct td_feed_media {
    const char *url;
    int width, height; /* 0 unknown */
};

/* A media:credit: who made the media, in what role ("" when not given). */
struct td_feed_credit {
    const char *role, *scheme, *content;
};

/*
 * Media RSS rights and audience of an entry's media (media:license,
 * media:restriction, media:rating); every string "" when absent.
 * `restriction` is the list, lowercased: space-separated country codes or
 * URIs, or "all" / "none".
 */
struct td_feed_media_rights {
    const char *license, *license_type, *license_href;
    const char *restriction, *restriction_relationship, *restriction_type;
    const char *rating, *rating_scheme;
};

/*
 * thr:in-reply-to (RFC 4685): the resource this one answers.  `ref` is its
 * id, `href` where to read it, `source` the feed it came from; all "" when
 * the element is absent.
 */
struct td_feed_reply {
    const char *ref, *href, *type, *source;
};

/* The most media:credit elements kept per entry; later ones are dropped. */
#define TD_FEED_MAX_CREDITS 64

/* A Podlove Simple Chapters mark (psc:chapter) in an episode. */
struct td_feed_chapter {
    const char *start; /* as written: "00:03:07.250", "12:42" */
    int64_t start_ms;  /* milliseconds into the episode; -1 when `start` does not parse */
    const char *title, *href, *image;
};

/* The most psc:chapter marks kept per entry; later ones are dropped. */
#define TD_FEED_MAX_CHAPTERS 1000

struct td_feed_entry {
    /*
     * Identity: the guid/id, else the link, else "sha1:" + a hash of
     * title and date.  Unique within one parsed feed.
     */
    const char *key;
    const char *id; /* guid/id as written, "" if none */
    struct td_feed_text title;
    const char *link; /* absolute */
    struct td_feed_text summary;
    struct td_feed_text *content; /* content:encoded, atom:content, content_html */
    size_t n_content;
    const char *author; /* display form of the first author */
    struct td_feed_person *authors;
    size_t n_authors;
    struct td_feed_person *contributors;
    size_t n_contributors;
    struct td_feed_date published, updated;
    struct td_feed_tag *tags;
    size_t n_tags;
    struct td_feed_link *links;
    size_t n_links;
    struct td_feed_enclosure *enclosures;
    size_t n_enclosures;
    struct td_feed_media *thumbnails; /* media:thumbnail, itunes:image, JSON image */
    size_t n_thumbnails;
    const char *media_credit;
    const char *media_description;
    const char *comments;      /* RSS <comments> URL */
    const char *comments_feed; /* wfw:commentRss: the feed of this entry's comments */
    const char *rights;
    /*
     * Atom <source> (RFC 4287 4.2.11) or RSS <source>: the feed the entry
     * was copied from, header fields only (no entries; an RSS source has
     * its title and its URL as `self`); NULL if the entry has none.
     */
    const struct td_feed *source;
    /* Added later; `rights` is rights_detail.value. */
    struct td_feed_text rights_detail;
    const char *language;  /* dc:language of the entry, "" if none */
    const char *image;     /* itunes:image href, "" if none */
    const char *publisher; /* dc:publisher, display form */
    struct td_feed_person publisher_detail;
    struct td_feed_date created, expired; /* atom:created / dcterms:created, expirationDate */
    int itunes_block;                     /* enum td_feed_flag: "yes" blocks it */
    int itunes_explicit;                  /* enum td_feed_flag: yes/true, no/false/clean */
    struct td_feed_where where;
    /* Media RSS details: every media:credit (media_credit is the first one's content). */
    struct td_feed_credit *credits;
    size_t n_credits;
    struct td_feed_media_rights media_rights;
    struct td_feed_reply in_reply_to; /* the last thr:in-reply-to, as feedparser keeps it */
    /* dcterms:valid's start and end (not clamped to the fetch time). */
    struct td_feed_date validity_start, validity_end;
    /* psc:chapters: the first one only (the format allows one per episode). */
    bool has_chapters;
    const char *chapters_version;
    struct td_feed_chapter *chapters;
    size_t n_chapters;
};

struct td_feed {
    struct td_arena arena; /* owns every string and array below (unused in a source) */
    enum td_feed_version version;
    bool bozo;               /* input was malformed and recovered */
    const char *bozo_reason; /* first problem seen, "" if none */
    const char *encoding;    /* the encoding the bytes were decoded from */
    struct td_feed_text title;
    const char *link; /* the site's home page */
    struct td_feed_text subtitle;
    const char *id;
    const char *language;
    struct td_feed_date updated, published;
    const char *author;
    struct td_feed_person *authors;
    size_t n_authors;
    struct td_feed_person *contributors;
    size_t n_contributors;
    struct {
        const char *href, *title, *link;
    } image;
    const char *icon;
    const char *rights;
    const char *generator;
    int ttl;          /* RSS <ttl> minutes, -1 if absent */
    const char *hub;  /* WebSub hub (link rel="hub") */
    const char *self; /* the feed's own URL (link rel="self", JSON feed_url) */
    struct td_feed_link *links;
    size_t n_links;
    struct td_feed_tag *tags;
    size_t n_tags;
    struct td_feed_entry *entries;
    size_t n_entries;
    /* Added later; `rights` is rights_detail.value, `generator` the generator's name. */
    struct td_feed_text rights_detail;
    const char *generator_href, *generator_version;
    const char *publisher; /* dc:publisher, webMaster or itunes:owner, display form */
    struct td_feed_person publisher_detail;
    struct td_feed_date created; /* dcterms:created */
    int itunes_block;            /* enum td_feed_flag */
    int itunes_explicit;         /* enum td_feed_flag */
    const char *logo;            /* atom:logo (also image.href), "" if none */
    const char *docs;            /* RSS <docs>: the format's documentation URL */
    /* RSS <cloud>: where to register for change notifications (rssCloud); "" absent. */
    struct {
        const char *domain, *port, *path, *register_procedure, *protocol;
    } cloud;
    /* RSS <textInput>: a search box the channel offers; "" absent. */
    struct {
        const char *title, *description, *name, *link;
    } textinput;
    struct td_feed_reply in_reply_to;                 /* thr:in-reply-to at feed level */
    struct td_feed_date validity_start, validity_end; /* dcterms:valid, not clamped */
    const char *newlocation; /* <redirect><newLocation>: where the feed moved, "" if not */
};

enum td_feed_flags {
    TD_FEED_NO_SANITIZE = 1 << 0, /* keep entry HTML as written (tests, debugging) */
};

#define TD_FEED_MAX_BYTES (32u << 20) /* largest feed we parse */
#define TD_FEED_MAX_ENTRIES 10000     /* entries kept from one document */
#define TD_FEED_MAX_TEXT (4u << 20)   /* longest single text field */

struct td_feed_opts {
    const char *url;          /* where the feed came from: base for relative URLs */
    const char *content_type; /* HTTP Content-Type (charset), or NULL */
    /* HTTP Content-Language: the language of text no xml:lang covers, or NULL. */
    const char *content_language;
    const char *default_zone; /* zone for dates without one ("Europe/Paris"); NULL = UTC */
    time_t now;               /* fetch time; later dates are clamped (0 = time(NULL)) */
    unsigned flags;           /* TD_FEED_* */
};

/*
 * Parse `len` bytes (any encoding; any of the formats above, sniffed).
 * On success *out is a new feed for the caller to td_feed_free().
 * Errors: TD_ETOOBIG (over TD_FEED_MAX_BYTES), TD_EPARSE (not a feed at
 * all: no feed root element could be found, or invalid JSON), TD_EEMPTY.
 * `opts` may be NULL.
 */
int td_feed_parse(const char *data, size_t len, const struct td_feed_opts *opts,
                  struct td_feed **out);

void td_feed_free(struct td_feed *f);

/*
 * td_feed_parse keeps a libxml2 parser per thread between documents; it is
 * freed when the thread exits.  Call this to free it earlier (a thread
 * that is done with feeds, or before a leak check).
 */
void td_feed_thread_cleanup(void);

/*
 * Write the feed as JSON with feedparser's field names (version, bozo,
 * encoding, feed{...}, entries[...]; dates as ISO 8601 UTC) into `out`.
 */
int td_feed_to_json(const struct td_feed *f, struct td_buf *out);

/* ---- OPML (opml.c) ---- */

struct td_opml_outline {
    const char *text, *title;
    const char *xml_url; /* "" for a folder */
    const char *html_url;
    const char *type;     /* "rss", "atom", "" ... */
    const char *category; /* the enclosing folders joined with '/', plus the category attribute */
};

struct td_opml {
    struct td_arena arena;
    const char *title;
    struct td_opml_outline *outlines; /* every outline with an xmlUrl, in document order */
    size_t n_outlines;
};

#define TD_OPML_MAX_OUTLINES 100000

/*
 * Parse an OPML document (recovering from broken XML like td_feed_parse).
 * Nested outlines are flattened; folders become `category`.  TD_EPARSE if
 * the root is not <opml>.
 */
int td_opml_parse(const char *data, size_t len, struct td_opml **out);
void td_opml_free(struct td_opml *o);

/*
 * Write OPML 2.0 to `out`: one folder outline per distinct category (the
 * first path component), feeds inside.  `title` names the document.
 */
int td_opml_write(const struct td_opml_outline *outlines, size_t n, const char *title,
                  struct td_buf *out);

#endif
