/*
 * story.c - stories in the reader: the story page /stories/ID, the top
 * stories of the home page, the Atom feeds of both, and the story-aware
 * parts of article lists and pages (related articles, "also published
 * by").  The placements come from the crawler's story engine through the
 * store; nothing here clusters.
 */
#include "base/compat.h"
#include "base/error.h"
#include "web/atom.h"
#include "web/data.h"
#include "web/handlers.h"

#include <inttypes.h>

/* Outlet names spelled out before "and N more". */
#define OUTLETS_NAMED 2

const char *td_web_story_outlets_line(struct td_arena *a, const char *const *names, size_t n_names,
                                      int64_t n_outlets)
{
    struct td_web_html h;
    size_t shown = n_names < OUTLETS_NAMED ? n_names : OUTLETS_NAMED;
    int64_t rest = n_outlets - (int64_t)shown;

    if (shown == 0)
        return NULL;
    td_web_html_init(&h, TD_WEB_PAGE_CAP);
    /* All named: "A", "A and B"; else "A, B and 4 more". */
    if (rest <= 0 && n_names <= OUTLETS_NAMED) {
        for (size_t i = 0; i < shown; i++) {
            if (i)
                td_web_html_rawn(&h, " and ", 5);
            td_web_html_raw(&h, names[i]);
        }
    } else {
        for (size_t i = 0; i < shown; i++) {
            if (i)
                td_web_html_rawn(&h, ", ", 2);
            td_web_html_raw(&h, names[i]);
        }
        td_web_html_printf(&h, " and %" PRId64 " more", rest);
    }
    char *s = td_arena_strndup(a, h.buf.buf, h.buf.len);
    td_web_html_release(&h);
    return s;
}

void td_web_story_view_of(struct td_arena *a, const struct td_story *s, struct td_web_story_view *v)
{
    *v = (struct td_web_story_view){
        .id = s->id,
        .headline = s->headline,
        .outlets = td_web_story_outlets_line(a, s->outlets, s->n_outlet_names, s->n_outlets),
        .first_seen = (time_t)s->first_seen,
        .last_seen = (time_t)s->last_seen,
        .n_articles = s->n_articles,
        .n_outlets = s->n_outlets,
    };
}

int td_web_related_of(struct td_store *st, struct td_arena *arena, const struct td_web_outlets *o,
                      const struct td_article *a, size_t max, struct td_web_article_view **out,
                      size_t *n)
{
    struct td_article *items = NULL;
    size_t k = 0;
    int rc;

    *out = NULL;
    *n = 0;
    /* Not placed yet (or placed by nothing): the shared-rare-terms ranking. */
    if (!a->story_id)
        return td_web_related(st, arena, o, a, max, out, n);
    if ((rc = td_store_story_related(st, a->id, max, arena, &items, &k)) < 0)
        return rc;
    *out = td_arena_zalloc(arena, (k ? k : 1) * sizeof(**out));
    for (size_t i = 0; i < k; i++)
        td_web_article_view_of(arena, o, &items[i], &(*out)[i]);
    *n = k;
    return 0;
}

int td_web_also_fill(struct td_store *st, struct td_arena *arena, const struct td_web_outlets *o,
                     struct td_web_article_view *views, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct td_article *copies = NULL;
        const char *names[TD_STORE_STORY_OUTLETS];
        size_t k = 0, nn = 0;
        int rc;

        if (!views[i].story_id)
            continue;
        if ((rc = td_store_article_copies(st, views[i].id, arena, &copies, &k)) < 0)
            return rc;
        for (size_t j = 0; j < k && nn < TD_STORE_STORY_OUTLETS; j++) {
            const struct td_outlet *out = td_web_outlet_find(o, copies[j].outlet_id);
            bool seen = !out || (views[i].outlet_id == out->id);
            for (size_t m = 0; m < nn && !seen; m++)
                seen = strcmp(names[m], out->name) == 0;
            if (!seen)
                names[nn++] = out->name;
        }
        if (nn)
            views[i].also = td_web_story_outlets_line(arena, names, nn, (int64_t)nn);
    }
    return 0;
}

int td_web_top_stories(struct td_web_req *r, const struct td_story_filter *f,
                       struct td_web_story_view **out, size_t *n, bool *more)
{
    struct td_store *st = td_web_req_store(r);
    struct td_story_list list;
    int rc;

    *out = NULL;
    *n = 0;
    if (more)
        *more = false;
    if (!st)
        return TD_EDB;
    if ((rc = td_store_story_list(st, f, &r->arena, &list)) < 0)
        return rc;
    *out = td_arena_zalloc(&r->arena, (list.n ? list.n : 1) * sizeof(**out));
    for (size_t i = 0; i < list.n; i++)
        td_web_story_view_of(&r->arena, &list.items[i], &(*out)[i]);
    *n = list.n;
    if (more)
        *more = list.more;
    return 0;
}

/*
 * Load story `id` with its timeline; NULL when it answered (404, 500).
 * `views` gets the members' views, oldest first.
 */
static struct td_story *load_story(struct td_web_req *r, struct td_web_outlets *o,
                                   struct td_article **members, struct td_web_article_view **views,
                                   size_t *n)
{
    int64_t id = td_web_param_id(r, "id");
    struct td_store *st = td_web_req_store(r);
    struct td_story *s = NULL;
    int rc;

    if (!id) {
        td_web_reply_error(r, 404, "There is no such story.");
        return NULL;
    }
    if (!st) {
        td_web_reply_store_error(r, TD_EDB);
        return NULL;
    }
    if ((rc = td_store_story_get(st, id, &r->arena, &s)) == TD_ENOTFOUND) {
        td_web_reply_error(r, 404, "There is no such story.");
        return NULL;
    }
    if (rc < 0 || (rc = td_web_outlets_load(st, &r->arena, o)) < 0 ||
        (rc = td_store_story_members(st, id, &r->arena, members, n)) < 0) {
        td_web_reply_store_error(r, rc);
        return NULL;
    }
    *views = td_arena_zalloc(&r->arena, (*n ? *n : 1) * sizeof(**views));
    for (size_t i = 0; i < *n; i++) {
        td_web_article_view_of(&r->arena, o, &(*members)[i], &(*views)[i]);
        (*views)[i].body_text = NULL;
    }
    return s;
}

/* The first member from each outlet (members are oldest first). */
static size_t member_outlets(struct td_arena *a, const struct td_web_article_view *v, size_t n,
                             const struct td_web_article_view ***out)
{
    const struct td_web_article_view **firsts = td_arena_zalloc(a, (n ? n : 1) * sizeof(*firsts));
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        bool seen = !v[i].outlet || !*v[i].outlet;
        for (size_t j = 0; j < k && !seen; j++)
            seen = firsts[j]->outlet_id == v[i].outlet_id;
        if (!seen)
            firsts[k++] = &v[i];
    }
    *out = firsts;
    return k;
}

void td_web_h_story(struct td_web_req *r)
{
    struct td_web_outlets o;
    struct td_article *members = NULL;
    struct td_web_article_view *views = NULL;
    struct td_web_story_view sv;
    struct td_web_story_page p = {0};
    struct td_web_site site;
    struct td_web_page page;
    const struct td_web_article_view **firsts;
    size_t n = 0;
    struct td_story *s = load_story(r, &o, &members, &views, &n);

    if (!s)
        return;
    td_web_story_view_of(&r->arena, s, &sv);
    p.story = &sv;
    p.timeline = views;
    p.n = n;
    p.n_outlets = member_outlets(&r->arena, views, n, &firsts);
    p.outlets = firsts;
    p.n_keypoints = td_web_story_keypoints(r->store, &r->arena, members, n, TD_WEB_STORY_KEYPOINTS,
                                           &p.keypoints);
    td_web_site_of(r, &site);
    td_web_page_of(r, &page);
    page.title = sv.headline ? sv.headline : "Story";
    char *feed = td_arena_alloc(&r->arena, 64);
    snprintf(feed, 64, "/stories/%" PRId64 "/feed.atom", s->id);
    page.feed_url = feed;
    td_web_view_begin(&r->out, &site, &page);
    td_web_view_story(&r->out, &site, &p);
    td_web_view_end(&r->out, &site);
}

void td_web_h_story_feed(struct td_web_req *r)
{
    struct td_web_outlets o;
    struct td_article *members = NULL;
    struct td_web_article_view *views = NULL;
    size_t n = 0;
    struct td_story *s = load_story(r, &o, &members, &views, &n);

    if (!s)
        return;
    char *self = td_arena_alloc(&r->arena, 64), *html = td_arena_alloc(&r->arena, 64);
    snprintf(self, 64, "/stories/%" PRId64 "/feed.atom", s->id);
    snprintf(html, 64, "/stories/%" PRId64, s->id);
    /* Newest first, as feeds are read. */
    struct td_web_article_view *rev = td_arena_zalloc(&r->arena, (n ? n : 1) * sizeof(*rev));
    for (size_t i = 0; i < n; i++)
        rev[i] = views[n - 1 - i];
    struct td_web_feed_meta m = {.title = s->headline ? s->headline : "Story",
                                 .base_url = r->app->base_url,
                                 .self_path = self,
                                 .html_path = html,
                                 .updated = s->last_seen > 0 ? (time_t)s->last_seen : time(NULL)};
    r->content_type = "application/atom+xml; charset=utf-8";
    td_web_atom(&r->out, &m, rev, n);
}

void td_web_h_stories_feed(struct td_web_req *r)
{
    struct td_story_filter f = {.limit = TD_WEB_FEED_SIZE};
    struct td_web_story_view *items;
    size_t n;
    int rc;

    if ((rc = td_web_top_stories(r, &f, &items, &n, NULL)) < 0) {
        td_web_reply_store_error(r, rc);
        return;
    }
    size_t tl = strlen(r->app->site_name) + 32;
    char *title = td_arena_alloc(&r->arena, tl);
    snprintf(title, tl, "%s: top stories", r->app->site_name);
    struct td_web_feed_meta m = {.title = title,
                                 .base_url = r->app->base_url,
                                 .self_path = "/stories.atom",
                                 .html_path = "/",
                                 .updated = 0};
    for (size_t i = 0; i < n; i++)
        if (items[i].last_seen > m.updated)
            m.updated = items[i].last_seen;
    if (!m.updated)
        m.updated = time(NULL);
    r->content_type = "application/atom+xml; charset=utf-8";
    td_web_atom_stories(&r->out, &m, items, n);
}
