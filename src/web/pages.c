/*
 * pages.c - the HTML pages on the stored articles, their Atom feeds, the
 * OPML export and the Listen audio.
 *
 * Each handler loads what its page shows through the store (one handle per
 * request, see td_web_req_store), turns records into view structs
 * (data.c) and renders them (view.c).  Lists are read by cursor, so a page
 * deep in an outlet's history costs the same as the first.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/log.h"
#include "tts/tts.h"
#include "web/atom.h"
#include "web/data.h"
#include "web/handlers.h"
#include "web/query.h"
#include "text/keywords.h"

#include <inttypes.h>

#define SEARCH_FILTER_POOL 200 /* newest articles examined by a filters-only search */
#define RELATED_MAX 4
#define TOP_STORIES 8     /* stories on the home page */
#define TOP_MIN_OUTLETS 2 /* a top story is one told by at least this many outlets */

/* Views of `n` articles. */
static struct td_web_article_view *views_of(struct td_web_req *r, const struct td_web_outlets *o,
                                            const struct td_article *items, size_t n)
{
    struct td_web_article_view *v = td_arena_zalloc(&r->arena, (n ? n : 1) * sizeof(*v));

    for (size_t i = 0; i < n; i++)
        td_web_article_view_of(&r->arena, o, &items[i], &v[i]);
    return v;
}

/*
 * Load one page of articles (of `outlet_id`, 0 for all) after the request's
 * cursor.  Returns false when it already answered (bad cursor, store error).
 */
static bool load_list(struct td_web_req *r, int64_t outlet_id, size_t limit,
                      struct td_web_outlets *o, struct td_article_list *list)
{
    struct td_store *st = td_web_req_store(r);
    /* All outlets together: each near-duplicate family once, as its original. */
    struct td_article_filter f = {
        .outlet_id = outlet_id, .limit = limit, .originals_only = outlet_id == 0};
    int rc;

    if (!td_web_cursor(r, &f.after))
        return false;
    if (!st) {
        td_web_reply_store_error(r, TD_EDB);
        return false;
    }
    if ((rc = td_web_outlets_load(st, &r->arena, o)) < 0 ||
        (rc = td_store_article_list(st, &f, &r->arena, list)) < 0) {
        td_web_reply_store_error(r, rc);
        return false;
    }
    return true;
}

static void list_page(struct td_web_req *r, const char *title, const char *icon,
                      const char *heading, const char *path, const char *feed, int64_t outlet_id)
{
    struct td_web_outlets o;
    struct td_article_list list;
    struct td_web_site site;
    struct td_web_page page;

    struct td_web_story_view *top = NULL;
    struct td_web_article_view *views;
    size_t n_top = 0;
    int rc;

    if (!load_list(r, outlet_id, TD_WEB_PAGE_SIZE, &o, &list))
        return;
    views = views_of(r, &o, list.items, list.n);
    if (outlet_id == 0 && (rc = td_web_also_fill(r->store, &r->arena, &o, views, list.n)) < 0) {
        td_web_reply_store_error(r, rc);
        return;
    }
    if (!title) {
        struct td_story_filter sf = {.limit = TOP_STORIES, .min_outlets = TOP_MIN_OUTLETS};
        if ((rc = td_web_top_stories(r, &sf, &top, &n_top, NULL)) < 0) {
            td_web_reply_store_error(r, rc);
            return;
        }
    }
    td_web_site_of(r, &site);
    td_web_page_of(r, &page);
    page.title = title;
    page.feed_url = feed;
    if (!title)
        td_web_topics(r->store, &r->arena, &page); /* the home page */
    td_web_view_begin(&r->out, &site, &page);
    if (!title) {
        td_web_html_raw(&r->out, "<h1 class=\"vh\">");
        td_web_html_textc(&r->out, site.name);
        td_web_html_raw(&r->out, "</h1>\n");
    } else {
        td_web_html_raw(&r->out, "<h1>");
        td_web_view_outlet_icon(&r->out, icon);
        td_web_html_textc(&r->out, title);
        td_web_html_raw(&r->out, "</h1>\n");
    }
    td_web_view_story_list(&r->out, &site, "Top stories", top, n_top);
    td_web_view_article_list(&r->out, &site, heading, views, list.n,
                             "No articles yet. Add some feeds and let the crawler run.");
    if (list.more)
        td_web_view_older(&r->out, path, list.next.sort_at, list.next.id);
    td_web_view_end(&r->out, &site);
}

void td_web_h_home(struct td_web_req *r)
{
    /* Top stories (stories told by several outlets), then the latest articles. */
    list_page(r, NULL, NULL, "Latest", "/latest", "/feed.atom", 0);
}

void td_web_h_latest(struct td_web_req *r)
{
    list_page(r, "Latest", NULL, NULL, "/latest", "/feed.atom", 0);
}

void td_web_h_outlets(struct td_web_req *r)
{
    struct td_store *st = td_web_req_store(r);
    struct td_web_outlets o;
    struct td_web_site site;
    struct td_web_page page;
    int rc;

    if (!st || (rc = td_store_outlet_list(st, &r->arena, &o.items, &o.n)) < 0) {
        td_web_reply_store_error(r, st ? rc : TD_EDB);
        return;
    }
    td_web_site_of(r, &site);
    td_web_page_of(r, &page);
    page.title = "Outlets";
    td_web_view_begin(&r->out, &site, &page);
    td_web_html_raw(&r->out, "<h1>Outlets</h1>\n");
    if (o.n == 0)
        td_web_html_raw(&r->out, "<p class=\"empty\">No outlets yet.</p>\n");
    else
        td_web_html_raw(&r->out, "<ul class=\"outlets\">\n");
    for (size_t i = 0; i < o.n; i++) {
        int64_t count = 0;
        if (td_store_article_count(st, o.items[i].id, 0, &count) < 0)
            count = 0;
        td_web_html_printf(&r->out, "<li><a href=\"/outlets/%" PRId64 "\">", o.items[i].id);
        td_web_view_outlet_icon(&r->out, o.items[i].icon_url);
        td_web_html_textc(&r->out, o.items[i].name);
        td_web_html_printf(&r->out, "</a> <span class=\"meta\">%" PRId64 " article%s</span></li>\n",
                           count, count == 1 ? "" : "s");
    }
    if (o.n)
        td_web_html_raw(&r->out, "</ul>\n");
    td_web_view_end(&r->out, &site);
}

void td_web_h_outlet(struct td_web_req *r)
{
    int64_t id = td_web_param_id(r, "id");
    struct td_store *st = td_web_req_store(r);
    struct td_outlet *out = NULL;
    int rc;

    if (!id) {
        td_web_reply_error(r, 404, "There is no such outlet.");
        return;
    }
    if (!st || (rc = td_store_outlet_get(st, id, &r->arena, &out)) < 0) {
        if (st && rc == TD_ENOTFOUND)
            td_web_reply_error(r, 404, "There is no such outlet.");
        else
            td_web_reply_store_error(r, st ? rc : TD_EDB);
        return;
    }
    char *path = td_arena_alloc(&r->arena, 64), *feed = td_arena_alloc(&r->arena, 64);
    snprintf(path, 64, "/outlets/%" PRId64, id);
    snprintf(feed, 64, "/outlets/%" PRId64 "/feed.atom", id);
    list_page(r, out->name, out->icon_url, NULL, path, feed, id);
}

/* ---- the article page --------------------------------------------------- */

/* Load article `id` or answer 404/500; NULL when answered. */
static struct td_article *load_article(struct td_web_req *r, int64_t id)
{
    struct td_store *st = td_web_req_store(r);
    struct td_article *a = NULL;
    int rc;

    if (id <= 0) {
        td_web_reply_error(r, 404, "There is no such article.");
        return NULL;
    }
    if (!st) {
        td_web_reply_store_error(r, TD_EDB);
        return NULL;
    }
    rc = td_store_article_get(st, id, &r->arena, &a);
    if (rc == TD_ENOTFOUND) {
        td_web_reply_error(r, 404, "There is no such article.");
        return NULL;
    }
    if (rc < 0) {
        td_web_reply_store_error(r, rc);
        return NULL;
    }
    return a;
}

/* What Listen speaks: the title, then the body text. */
static const char *listen_text(struct td_web_req *r, const struct td_web_article_view *v)
{
    if (!v->body_text || !*v->body_text)
        return NULL;
    size_t tl = v->title ? strlen(v->title) : 0, bl = strlen(v->body_text);
    char *s = td_arena_alloc(&r->arena, tl + bl + 4);
    memcpy(s, v->title ? v->title : "", tl);
    memcpy(s + tl, ".\n\n", 3);
    memcpy(s + tl + 3, v->body_text, bl + 1);
    return s;
}

void td_web_h_article(struct td_web_req *r)
{
    struct td_article *a = load_article(r, td_web_param_id(r, "id"));
    struct td_web_outlets o;
    struct td_web_article_view v;
    struct td_web_article_page p = {0};
    struct td_web_site site;
    struct td_web_page page;
    int rc;

    if (!a)
        return;
    if ((rc = td_web_outlets_load(r->store, &r->arena, &o)) < 0) {
        td_web_reply_store_error(r, rc);
        return;
    }
    td_web_article_view_of(&r->arena, &o, a, &v);
    p.article = &v;
    p.listen = listen_text(r, &v) != NULL;
    struct td_web_tag_view *tags = NULL;
    td_web_article_extras(r->store, &r->arena, a->id, &p.keypoints, &p.n_keypoints, &tags,
                          &p.n_tags);
    p.tags = tags;
    struct td_web_article_view *rel = NULL;
    if (td_web_related_of(r->store, &r->arena, &o, a, RELATED_MAX, &rel, &p.n_related) == 0)
        p.related = rel;
    struct td_story *story = NULL;
    if (a->story_id && td_store_story_get(r->store, a->story_id, &r->arena, &story) == 0 &&
        story->n_articles > 1) {
        p.story_id = story->id;
        p.story_outlets = story->n_outlets;
    }
    td_web_site_of(r, &site);
    td_web_page_of(r, &page);
    page.title = v.title;
    td_web_comments_of(r, a->id, &page, &p.comments);
    td_web_view_begin(&r->out, &site, &page);
    td_web_view_article(&r->out, &site, &p);
    td_web_view_end(&r->out, &site);
}

void td_web_h_listen(struct td_web_req *r)
{
    struct td_article *a = load_article(r, td_web_param_id(r, "id"));
    struct td_web_article_view v;
    struct td_buf audio;
    bool hit = false;

    if (!a)
        return;
    td_web_article_view_of(&r->arena, NULL, a, &v);
    const char *text = listen_text(r, &v);
    if (!text) {
        td_web_reply_error(r, 404, "This article has no text to listen to.");
        return;
    }
    td_buf_init(&audio, r->app->listen.file_cap);
    int rc = td_web_listen_get(&r->app->listen, a->id, text, a->language, &audio, &hit);
    if (rc < 0) {
        td_log_err("listen failed article=%" PRId64 " err=\"%s\"", a->id, td_strerror(rc));
        td_buf_release(&audio);
        td_web_reply_error(r, 500, "The audio could not be made.");
        return;
    }
    /* The audio replaces the HTML body: same capped buffer, freed by the server. */
    td_buf_release(&r->out.buf);
    r->out.buf = audio;
    r->content_type = td_tts_mime(td_tts_format());
    td_web_req_add_header(r, "Cache-Control", "public, max-age=86400");
    td_web_req_add_header(r, "X-Listen-Cache", hit ? "hit" : "miss");
}

/* ---- search --------------------------------------------------------------- */

/* Whether article `id` is among `items`. */
static bool listed(const struct td_article *items, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (items[i].id == id)
            return true;
    return false;
}

static bool in_range(const struct td_web_query *q, const struct td_article *a)
{
    int64_t t = a->published ? a->published : a->sort_at;

    return (!q->after || t >= (int64_t)q->after) && (!q->before || t < (int64_t)q->before);
}

int td_web_search_run(struct td_web_req *r, const char *qs, int page, size_t per_page,
                      struct td_web_search_out *out)
{
    struct td_store *st = td_web_req_store(r);
    struct td_web_query q;
    struct td_web_outlets o;
    const struct td_outlet *outlet = NULL;
    struct td_tag *tag = NULL;
    size_t skip = (size_t)(page - 1) * per_page;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (!st)
        return TD_EDB;
    if (td_web_query_parse(qs, &q) < 0) {
        out->notice = q.error;
        out->bad_query = true;
        goto done;
    }
    if ((rc = td_web_outlets_load(st, &r->arena, &o)) < 0)
        goto done;
    if (q.outlet[0] && !(outlet = td_web_outlet_named(&o, q.outlet))) {
        char *msg = td_arena_alloc(&r->arena, sizeof(q.outlet) + 32);
        snprintf(msg, sizeof(q.outlet) + 32, "No outlet is called \"%s\".", q.outlet);
        out->notice = msg;
        goto done;
    }
    if (q.tag[0]) {
        char slug[TD_STORE_TAG_MAX + 1];
        if (!td_tag_slug(q.tag, strlen(q.tag), slug, sizeof(slug)) ||
            td_store_tag_get(st, slug, &r->arena, &tag) < 0) {
            char *msg = td_arena_alloc(&r->arena, sizeof(q.tag) + 32);
            snprintf(msg, sizeof(q.tag) + 32, "No articles are tagged \"%s\".", q.tag);
            out->notice = msg;
            goto done;
        }
    }
    out->items = td_arena_zalloc(&r->arena, per_page * sizeof(*out->items));
    out->articles = td_arena_zalloc(&r->arena, per_page * sizeof(*out->articles));
    if (q.text.len == 0 && !td_web_query_has_filters(&q))
        goto done;
    if (q.text.len == 0) {
        /* Filters alone: the newest articles that pass them. */
        struct td_article_filter f = {.outlet_id = outlet ? outlet->id : 0,
                                      .limit = SEARCH_FILTER_POOL};
        struct td_article_list list;
        if (tag) {
            /* The tag's newest articles; the outlet filter applies to them here. */
            f.outlet_id = 0;
            rc = td_store_tag_articles(st, tag->id, &f, &r->arena, &list);
        } else {
            rc = td_store_article_list(st, &f, &r->arena, &list);
        }
        if (rc < 0)
            goto done;
        for (size_t i = 0, seen = 0; i < list.n; i++) {
            const struct td_article *a = &list.items[i];
            if (!in_range(&q, a) || (outlet && a->outlet_id != outlet->id))
                continue;
            /* A copy whose original is listed too is shown as the original. */
            if (!outlet && a->duplicate_of && listed(list.items, list.n, a->duplicate_of))
                continue;
            if (seen++ < skip)
                continue;
            if (out->n == per_page) {
                out->more = true;
                break;
            }
            out->articles[out->n] = &list.items[i];
            td_web_article_view_of(&r->arena, &o, &list.items[i], &out->items[out->n++]);
        }
        goto also;
    }
    /* The store applies outlet:/after:/before: itself, so pages are exact. */
    struct td_search_opts so = {.limit = per_page + 1,
                                .offset = skip,
                                .outlet_id = outlet ? outlet->id : 0,
                                .after = (int64_t)q.after,
                                .before = (int64_t)q.before,
                                .tag_id = tag ? tag->id : 0};
    struct td_search_result res;
    rc = td_store_search(st, q.text.buf, &so, &r->arena, &res);
    if (rc == TD_ETOOBIG) {
        out->notice = "The search has too many words.";
        out->bad_query = true;
        rc = 0;
        goto done;
    }
    if (rc < 0)
        goto done;
    for (size_t i = 0; i < res.n; i++) {
        struct td_article *a = NULL;
        if (td_store_article_get(st, res.hits[i].id, &r->arena, &a) < 0)
            continue;
        if (out->n == per_page) {
            out->more = true;
            break;
        }
        out->articles[out->n] = a;
        struct td_web_article_view *v = &out->items[out->n++];
        td_web_article_view_of(&r->arena, &o, a, v);
        v->body_text = NULL;
        v->snippet = res.hits[i].snippet;
    }
also:
    /* The store folded each original's copies into it: name their outlets. */
    if (!outlet)
        rc = td_web_also_fill(st, &r->arena, &o, out->items, out->n);
done:
    td_web_query_release(&q);
    return rc;
}

/* ?page=N, from 1; 0 when malformed. */
static int page_param(struct td_web_req *r)
{
    const char *p = td_web_form_get(&r->query, "page", "1");
    char *end;
    long n = strtol(p, &end, 10);

    return (*p && !*end && n >= 1 && n <= 1000) ? (int)n : 0;
}

void td_web_h_search(struct td_web_req *r)
{
    const char *q = td_web_form_get(&r->query, "q", "");
    int pg = page_param(r);
    struct td_web_search_out res;
    struct td_web_site site;
    struct td_web_page page;
    int rc;

    if (!pg) {
        td_web_reply_error(r, 400, "page must be a number from 1 to 1000.");
        return;
    }
    if ((rc = td_web_search_run(r, q, pg, TD_WEB_PAGE_SIZE, &res)) < 0) {
        td_web_reply_store_error(r, rc);
        return;
    }
    td_web_site_of(r, &site);
    td_web_page_of(r, &page);
    page.title = *q ? q : "Search";
    page.query = q;
    if (*q)
        page.feed_url = td_web_query_url(r, "/search.atom", q);
    td_web_view_begin(&r->out, &site, &page);
    td_web_html_raw(&r->out, "<h1>Search</h1>\n");
    if (*q && !res.notice) {
        td_web_html_raw(&r->out, "<p class=\"meta\">Results for <q>");
        td_web_html_textc(&r->out, q);
        td_web_html_raw(&r->out, "</q> \xC2\xB7 <a href=\"/search.atom?q=");
        td_web_html_query(&r->out, td_str_c(q));
        td_web_html_raw(&r->out, "\">Atom feed of this search</a></p>\n");
    }
    if (res.notice) {
        td_web_html_raw(&r->out, "<p class=\"notice\" role=\"status\">");
        td_web_html_textc(&r->out, res.notice);
        td_web_html_raw(&r->out, "</p>\n");
    }
    if (!*q)
        td_web_html_raw(&r->out,
                        "<p>Search titles and text. Use <code>\"exact phrases\"</code>, "
                        "<code>-word</code> to exclude, <code>outlet:Name</code>, "
                        "<code>tag:Name</code>, "
                        "<code>after:2026-03-01</code> and <code>before:2026-04-01</code>.</p>\n");
    else if (!res.notice)
        td_web_view_article_list(&r->out, &site, NULL, res.items, res.n,
                                 "No articles match your search.");
    td_web_view_pager(&r->out, "/search", q, pg, res.more);
    td_web_view_end(&r->out, &site);
}

/* ---- Atom and OPML --------------------------------------------------------- */

static void atom_reply(struct td_web_req *r, const char *title, const char *self, const char *html,
                       const char *query, const struct td_web_article_view *items, size_t n)
{
    struct td_web_feed_meta m = {.title = title,
                                 .base_url = r->app->base_url,
                                 .self_path = self,
                                 .html_path = html,
                                 .query = query,
                                 .updated = time(NULL)};

    if (n && items[0].published > 0)
        m.updated = items[0].published;
    r->content_type = "application/atom+xml; charset=utf-8";
    td_web_atom(&r->out, &m, items, n);
}

static void feed_of_list(struct td_web_req *r, const char *title, const char *self,
                         const char *html, int64_t outlet_id)
{
    struct td_web_outlets o;
    struct td_article_list list;

    if (!load_list(r, outlet_id, TD_WEB_FEED_SIZE, &o, &list))
        return;
    atom_reply(r, title, self, html, NULL, views_of(r, &o, list.items, list.n), list.n);
}

void td_web_h_feed_home(struct td_web_req *r)
{
    feed_of_list(r, r->app->site_name, "/feed.atom", "/", 0);
}

void td_web_h_feed_outlet(struct td_web_req *r)
{
    int64_t id = td_web_param_id(r, "id");
    struct td_store *st = td_web_req_store(r);
    struct td_outlet *out = NULL;
    int rc = TD_EDB;

    if (!id || !st || (rc = td_store_outlet_get(st, id, &r->arena, &out)) < 0) {
        if (!id || (st && rc == TD_ENOTFOUND))
            td_web_reply_error(r, 404, "There is no such outlet.");
        else
            td_web_reply_store_error(r, st ? rc : TD_EDB);
        return;
    }
    char *self = td_arena_alloc(&r->arena, 64), *html = td_arena_alloc(&r->arena, 64);
    snprintf(self, 64, "/outlets/%" PRId64 "/feed.atom", id);
    snprintf(html, 64, "/outlets/%" PRId64, id);
    feed_of_list(r, out->name, self, html, id);
}

void td_web_h_feed_search(struct td_web_req *r)
{
    const char *q = td_web_form_get(&r->query, "q", "");
    struct td_web_search_out res;
    int rc;

    if ((rc = td_web_search_run(r, q, 1, TD_WEB_FEED_SIZE, &res)) < 0) {
        td_web_reply_store_error(r, rc);
        return;
    }
    if (res.bad_query) {
        td_web_reply_error(r, 400, res.notice);
        return;
    }
    size_t tl = strlen(q) + 32;
    char *title = td_arena_alloc(&r->arena, tl);
    snprintf(title, tl, "Search: %s", q);
    for (size_t i = 0; i < res.n; i++)
        res.items[i].snippet = NULL;
    atom_reply(r, title, "/search.atom", "/search", q, res.items, res.n);
}

void td_web_h_opml(struct td_web_req *r)
{
    struct td_store *st = td_web_req_store(r);
    struct td_web_outlets o;
    struct td_feed *feeds = NULL;
    size_t n = 0;
    int rc;

    if (!st || (rc = td_web_outlets_load(st, &r->arena, &o)) < 0 ||
        (rc = td_store_feed_list(st, &r->arena, &feeds, &n)) < 0) {
        td_web_reply_store_error(r, st ? rc : TD_EDB);
        return;
    }
    struct td_web_opml_feed *f = td_arena_zalloc(&r->arena, (n ? n : 1) * sizeof(*f));
    for (size_t i = 0; i < n; i++) {
        const struct td_outlet *out = td_web_outlet_find(&o, feeds[i].outlet_id);
        f[i].outlet = out ? out->name : NULL;
        f[i].html_url = out ? out->site_url : NULL;
        f[i].title = feeds[i].title;
        f[i].xml_url = feeds[i].url;
    }
    r->content_type = "text/x-opml; charset=utf-8";
    td_web_req_add_header(r, "Content-Disposition", "attachment; filename=\"tidings.opml\"");
    td_web_opml(&r->out, r->app->site_name, time(NULL), f, n);
}

/* ---- tags ------------------------------------------------------------------ */

/* "/tags/SLUG" and `suffix`, the slug percent-encoded, in the arena. */
static const char *tag_path(struct td_web_req *r, const char *slug, const char *suffix)
{
    struct td_web_html h;

    td_web_html_init(&h, TD_WEB_PAGE_CAP);
    td_web_html_raw(&h, "/tags/");
    td_web_html_query(&h, td_str_c(slug));
    td_web_html_raw(&h, suffix);
    char *s = td_arena_strndup(&r->arena, h.buf.buf, h.buf.len);
    td_web_html_release(&h);
    return s;
}

/* The tag of the route's {slug}; NULL when it answered (404, 500). */
static struct td_tag *load_tag(struct td_web_req *r)
{
    struct td_str v = td_web_match_param(&r->match, "slug");
    struct td_store *st = td_web_req_store(r);
    struct td_tag *tag = NULL;
    int rc = TD_EDB;

    if (!st || (rc = td_store_tag_get(st, td_arena_strndup(&r->arena, v.ptr, v.len), &r->arena,
                                      &tag)) < 0) {
        if (rc == TD_ENOTFOUND || rc == TD_EINVAL)
            td_web_reply_error(r, 404, "There is no such tag.");
        else
            td_web_reply_store_error(r, rc);
        return NULL;
    }
    return tag;
}

/* One page of a tag's articles after the request's cursor; false when it answered. */
static bool load_tag_list(struct td_web_req *r, const struct td_tag *tag, size_t limit,
                          struct td_web_outlets *o, struct td_article_list *list)
{
    struct td_article_filter f = {.limit = limit};
    int rc;

    if (!td_web_cursor(r, &f.after))
        return false;
    if ((rc = td_web_outlets_load(r->store, &r->arena, o)) < 0 ||
        (rc = td_store_tag_articles(r->store, tag->id, &f, &r->arena, list)) < 0) {
        td_web_reply_store_error(r, rc);
        return false;
    }
    return true;
}

void td_web_h_tag(struct td_web_req *r)
{
    struct td_tag *tag = load_tag(r);
    struct td_web_outlets o;
    struct td_article_list list;
    struct td_web_site site;
    struct td_web_page page;

    if (!tag || !load_tag_list(r, tag, TD_WEB_PAGE_SIZE, &o, &list))
        return;
    const char *path = tag_path(r, tag->slug, ""), *feed = tag_path(r, tag->slug, "/feed.atom");
    td_web_site_of(r, &site);
    td_web_page_of(r, &page);
    page.title = tag->term;
    page.feed_url = feed;
    td_web_view_begin(&r->out, &site, &page);
    td_web_html_raw(&r->out, "<h1>");
    td_web_html_textc(&r->out, tag->term);
    td_web_html_printf(&r->out,
                       "</h1>\n<p class=\"meta\">%" PRId64 " article%s \xC2\xB7 <a href=\"",
                       tag->articles, tag->articles == 1 ? "" : "s");
    td_web_html_url(&r->out, td_str_c(feed), "/feed.atom");
    td_web_html_raw(&r->out, "\">Atom feed of this tag</a></p>\n");
    td_web_view_article_list(&r->out, &site, NULL, views_of(r, &o, list.items, list.n), list.n,
                             "No articles have this tag now.");
    if (list.more)
        td_web_view_older(&r->out, path, list.next.sort_at, list.next.id);
    td_web_view_end(&r->out, &site);
}

void td_web_h_feed_tag(struct td_web_req *r)
{
    struct td_tag *tag = load_tag(r);
    struct td_web_outlets o;
    struct td_article_list list;

    if (!tag || !load_tag_list(r, tag, TD_WEB_FEED_SIZE, &o, &list))
        return;
    atom_reply(r, tag->term, tag_path(r, tag->slug, "/feed.atom"), tag_path(r, tag->slug, ""), NULL,
               views_of(r, &o, list.items, list.n), list.n);
}

void td_web_h_tags(struct td_web_req *r)
{
    struct td_store *st = td_web_req_store(r);
    struct td_tag *tags = NULL;
    struct td_web_site site;
    struct td_web_page page;
    size_t n = 0;
    int rc = TD_EDB;

    if (!st || (rc = td_store_tags_popular(st, 0, 1, 100, &r->arena, &tags, &n)) < 0) {
        td_web_reply_store_error(r, rc);
        return;
    }
    td_web_site_of(r, &site);
    td_web_page_of(r, &page);
    page.title = "Tags";
    td_web_view_begin(&r->out, &site, &page);
    td_web_html_raw(&r->out, "<h1>Tags</h1>\n");
    if (n == 0)
        td_web_html_raw(&r->out, "<p class=\"empty\">No tags yet.</p>\n");
    else
        td_web_html_raw(&r->out, "<ul class=\"tag-cloud\">\n");
    struct td_web_tag_view *v = td_web_tag_views(&r->arena, tags, n);
    for (size_t i = 0; i < n; i++) {
        td_web_html_raw(&r->out, "<li>");
        td_web_view_tag_link(&r->out, &v[i]);
        td_web_html_printf(&r->out, " <span class=\"meta\">%" PRId64 "</span></li>\n",
                           v[i].articles);
    }
    if (n)
        td_web_html_raw(&r->out, "</ul>\n");
    td_web_view_end(&r->out, &site);
}
