/*
 * subscribe.c - the subscription list: add one feed (or a page that links
 * to one), import and export OPML (see crawl.h).  Adding fetches once, to
 * find and check the feed, and then, only for a feed that names no icon,
 * the site's page (for its <link rel="icon">) and at last /favicon.ico;
 * importing fetches nothing, the next crawl does (and takes the icon a
 * feed names).
 */
#include "base/compat.h"
#include "base/date.h"
#include "base/error.h"
#include "base/log.h"
#include "base/url.h"
#include "crawl/crawl.h"
#include "crawl/internal.h"
#include "net/net.h"
#include "store/store.h"

#include <time.h>

/* How many <link rel=alternate> candidates of a page are tried. */
#define DISCOVER_TRIES 3
/* An icon is small: anything bigger is not one worth showing. */
#define ICON_MAX_BYTES (1u << 20)

/* "scheme://host[:port]/" of an http(s) URL, the site when a feed names none. */
static int origin_of(const char *url, struct td_buf *out)
{
    struct td_url u;

    if (td_url_parse(td_str_c(url), &u) < 0 || !u.has_authority)
        return TD_EINVAL;
    return td_buf_printf(out, "%.*s://%.*s%s%.*s/", (int)u.scheme.len, u.scheme.ptr,
                         (int)u.host.len, u.host.ptr, u.port.len ? ":" : "", (int)u.port.len,
                         u.port.ptr);
}

/* Fetch `url` and parse it as a feed; on failure `why` says why. */
static int fetch_feed(const char *url, bool allow_private, struct td_net_response *r,
                      struct td_crawl_doc *doc, char *why, size_t whylen)
{
    struct td_net_opts no = {.allow_private = allow_private};
    int err = td_net_get(url, &no, r);

    memset(doc, 0, sizeof(*doc));
    td_arena_init(&doc->arena);
    if (err < 0) {
        snprintf(why, whylen, "cannot fetch %s: %s", url,
                 r->error[0] ? r->error : td_strerror(err));
        return err;
    }
    td_crawl_doc_release(doc);
    return td_crawl_doc_parse(r->body.buf, r->body.len, r->url ? r->url : url, r->content_type,
                              NULL, (int64_t)time(NULL), doc, why, whylen);
}

/* Does `url` answer 200 with something that is not a page (an error page is HTML)? */
static bool icon_exists(const char *url, bool allow_private)
{
    struct td_net_opts no = {.allow_private = allow_private, .max_body = ICON_MAX_BYTES};
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    bool ok = td_net_get(url, &no, &r) == 0 && r.status == 200 && r.body.len > 0 &&
              !(r.content_type && strstr(r.content_type, "html"));

    td_net_response_release(&r);
    return ok;
}

/*
 * The outlet's icon, in order of preference: what the feed names (RSS
 * image, Atom icon or logo, JSON Feed icon or favicon), the <link
 * rel="icon"> of the site's page (`page_icon` when the page was fetched
 * already, else the page at `site` is fetched now), else /favicon.ico of
 * the site's origin when it exists.  Empty when there is none.
 */
static void find_icon(const char *feed_icon, const char *page_icon, const char *site,
                      bool allow_private, struct td_buf *out)
{
    struct td_net_opts no = {.allow_private = allow_private};
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    struct td_buf links = TD_BUF_INIT(1 << 20);
    size_t n = 0;

    if (feed_icon && *feed_icon) {
        if (td_buf_append_c(out, feed_icon) < 0)
            td_buf_reset(out);
        return;
    }
    if (page_icon && *page_icon) {
        if (td_buf_append_c(out, page_icon) < 0)
            td_buf_reset(out);
        return;
    }
    if (!page_icon && site && td_net_get(site, &no, &r) == 0 &&
        td_crawl_discover(r.body.buf, r.body.len, r.content_type, r.url ? r.url : site, &links, &n,
                          out) == 0 &&
        out->len)
        goto out;
    td_buf_reset(out);
    if (site && origin_of(site, out) == 0 && td_buf_append_c(out, "favicon.ico") == 0 &&
        icon_exists(out->buf, allow_private))
        goto out;
    td_buf_reset(out);
out:
    td_buf_release(&links);
    td_net_response_release(&r);
}

/*
 * Record the feed and its outlet (with its icon, NULL when it has none).
 * A category or zone given (not NULL) is stored on the feed, also when it
 * was already subscribed.
 */
static int subscribe(struct td_store *st, const char *feed_url, const char *title,
                     const char *site_url, const char *icon_url, bool allow_private,
                     const char *category, const char *tz, bool *created, char *why, size_t whylen)
{
    struct td_buf origin = TD_BUF_INIT(TD_STORE_URL_MAX);
    struct td_outlet o = {0};
    struct td_feed f = {.url = feed_url,
                        .title = title,
                        .allow_private = allow_private,
                        .category = category,
                        .tz = tz};
    int64_t id;
    int err;

    if (!site_url) {
        if (origin_of(feed_url, &origin) < 0) {
            err = TD_EINVAL;
            snprintf(why, whylen, "not an http(s) URL: %s", feed_url);
            goto out;
        }
        site_url = origin.buf;
    }
    o.site_url = site_url;
    o.name = title ? title : site_url;
    o.icon_url = icon_url && *icon_url ? icon_url : NULL;
    if ((err = td_store_outlet_upsert(st, &o, &f.outlet_id)) < 0 ||
        (err = td_store_feed_add(st, &f, &id, created)) < 0 ||
        (!*created && (category || tz) &&
         (err = td_store_feed_set_prefs(st, id, category, tz)) < 0))
        snprintf(why, whylen, "cannot store the feed: %s", td_store_errmsg(st));
out:
    td_buf_release(&origin);
    return err;
}

int td_crawl_add(struct td_store *st, const char *url, bool allow_private, const char *tz,
                 struct td_buf *feed_url, bool *created, char *why, size_t whylen)
{
    struct td_buf u = TD_BUF_INIT(TD_STORE_URL_MAX);
    struct td_buf links = TD_BUF_INIT(1 << 20);
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    struct td_net_response r2 = TD_NET_RESPONSE_INIT;
    struct td_buf icon = TD_BUF_INIT(TD_STORE_URL_MAX);
    struct td_buf page_icon = TD_BUF_INIT(TD_STORE_URL_MAX);
    struct td_buf origin = TD_BUF_INIT(TD_STORE_URL_MAX);
    struct td_crawl_doc doc = {0}, doc2 = {0};
    const char *site = NULL;
    size_t n = 0;
    int err;

    td_arena_init(&doc2.arena);
    if (tz && !td_date_zone_known(td_str_c(tz))) {
        snprintf(why, whylen, "unknown time zone '%s' (a name like Europe/Berlin, or UTC+3)", tz);
        err = TD_EINVAL;
        goto out;
    }
    if (td_crawl_url_norm(url, &u) < 0) {
        snprintf(why, whylen, "not an http(s) URL: %s", url);
        err = TD_EINVAL;
        goto out;
    }
    err = fetch_feed(u.buf, allow_private, &r, &doc, why, whylen);
    if (err == 0) {
        /* The URL is a feed; if it moved for good, subscribe to where it went. */
        if (r.permanent_url) {
            td_buf_reset(&u);
            if (td_crawl_url_norm(r.permanent_url, &u) < 0) {
                err = TD_EINVAL;
                goto out;
            }
        }
        site = doc.site_url;
        if (!site && origin_of(u.buf, &origin) == 0)
            site = origin.buf;
        find_icon(doc.icon_url, NULL, site, allow_private, &icon);
        err = subscribe(st, u.buf, doc.title, doc.site_url, icon.buf, allow_private, NULL, tz,
                        created, why, whylen);
        if (!err && td_buf_append_str(feed_url, td_buf_str(&u)) < 0)
            err = TD_ETOOBIG;
        goto out;
    }
    if (err != TD_EPARSE && err != TD_EEMPTY)
        goto out;
    /* Not a feed: a page that may name its feeds. */
    err = td_crawl_discover(r.body.buf, r.body.len, r.content_type, r.url ? r.url : u.buf, &links,
                            &n, &page_icon);
    if (err < 0 || n == 0) {
        snprintf(why, whylen, "%s is neither a feed nor a page that links to one", u.buf);
        err = TD_ENOTFOUND;
        goto out;
    }
    site = r.url ? r.url : u.buf;
    const char *cand = links.buf;
    for (size_t i = 0; i < n && i < DISCOVER_TRIES; i++, cand += strlen(cand) + 1) {
        td_crawl_doc_release(&doc2);
        err = fetch_feed(cand, allow_private, &r2, &doc2, why, whylen);
        if (err < 0)
            continue;
        td_buf_reset(&u);
        if (td_crawl_url_norm(r2.permanent_url ? r2.permanent_url : cand, &u) < 0) {
            err = TD_EINVAL;
            continue;
        }
        /* The page fetched is the site's page unless the feed names another. */
        find_icon(doc2.icon_url, doc2.site_url ? NULL : page_icon.buf,
                  doc2.site_url ? doc2.site_url : site, allow_private, &icon);
        err = subscribe(st, u.buf, doc2.title, doc2.site_url ? doc2.site_url : site, icon.buf,
                        allow_private, NULL, tz, created, why, whylen);
        if (!err && td_buf_append_str(feed_url, td_buf_str(&u)) < 0)
            err = TD_ETOOBIG;
        break;
    }
out:
    td_buf_release(&origin);
    td_buf_release(&page_icon);
    td_buf_release(&icon);
    td_crawl_doc_release(&doc);
    td_crawl_doc_release(&doc2);
    td_net_response_release(&r);
    td_net_response_release(&r2);
    td_buf_release(&links);
    td_buf_release(&u);
    return err;
}

/* Rows added per transaction during an import. */
#define IMPORT_BATCH 500

int td_crawl_import_opml(struct td_store *st, const char *data, size_t len, bool allow_private,
                         void (*progress)(size_t done, size_t total, size_t failed, void *arg),
                         void *arg, struct td_crawl_import *out)
{
    struct td_arena a;
    struct td_crawl_outline *items;
    size_t n;
    bool in_tx = false;
    int err;

    memset(out, 0, sizeof(*out));
    td_arena_init(&a);
    err = td_crawl_opml_read(data, len, &a, &items, &n, &out->skipped);
    if (err < 0)
        goto out;
    out->outlines = n;
    for (size_t i = 0; i < n; i++) {
        char why[512];
        bool created = false;

        if (!in_tx) {
            if ((err = td_store_begin(st)) < 0)
                goto out;
            in_tx = true;
        }
        if (subscribe(st, items[i].xml_url, items[i].title, items[i].html_url, NULL, allow_private,
                      items[i].category, NULL, &created, why, sizeof(why)) < 0) {
            td_log_warn("import: feed not added url=%s error=\"%s\"", items[i].xml_url, why);
            out->failed++;
        } else if (created) {
            out->added++;
        } else {
            out->existing++;
        }
        if ((i + 1) % IMPORT_BATCH == 0 || i + 1 == n) {
            in_tx = false;
            if ((err = td_store_commit(st)) < 0)
                goto out;
        }
        if (progress)
            progress(i + 1, n, out->failed, arg);
    }
out:
    if (in_tx)
        td_store_rollback(st);
    td_arena_release(&a);
    return err;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = ((const struct td_outlet *)a)->id, y = ((const struct td_outlet *)b)->id;

    return (x > y) - (x < y);
}

int td_crawl_export_opml(struct td_store *st, struct td_buf *out)
{
    struct td_arena a;
    struct td_outlet *outlets;
    struct td_feed *feeds;
    struct td_crawl_outline *items = NULL;
    size_t n_outlets, n_feeds;
    int err;

    td_arena_init(&a);
    if ((err = td_store_outlet_list(st, &a, &outlets, &n_outlets)) < 0 ||
        (err = td_store_feed_list(st, &a, &feeds, &n_feeds)) < 0)
        goto out;
    qsort(outlets, n_outlets, sizeof(*outlets), by_id);
    items = td_xcalloc(n_feeds + 1, sizeof(*items));
    for (size_t i = 0; i < n_feeds; i++) {
        struct td_outlet key = {.id = feeds[i].outlet_id};
        const struct td_outlet *o =
            feeds[i].outlet_id ? bsearch(&key, outlets, n_outlets, sizeof(*outlets), by_id) : NULL;
        items[i].xml_url = feeds[i].url;
        items[i].title = feeds[i].title ? feeds[i].title : o ? o->name : NULL;
        items[i].html_url = o ? o->site_url : NULL;
        items[i].category = feeds[i].category;
    }
    err = td_crawl_opml_write(items, n_feeds, out);
out:
    free(items);
    td_arena_release(&a);
    return err;
}
