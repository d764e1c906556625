/*
 * api.c - the JSON API under /api/v1/ (documented in docs/API.md): the same
 * data the pages show, as jansson objects.
 *
 * Lists page by cursor like the HTML lists: each answer carries "next",
 * the absolute URL of the following page, or null at the end.  Errors are
 * {"error": "..."} with a 4xx/5xx status.
 */
#include "base/compat.h"
#include "base/error.h"
#include "web/data.h"
#include "web/handlers.h"

#include <inttypes.h>
#include <jansson.h>

#define API_MAX_LIMIT 100

static json_t *str_or_null(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

static json_t *time_or_null(time_t t)
{
    char s[32];

    if (t <= 0)
        return json_null();
    td_web_rfc3339(t, s, sizeof(s));
    return json_string(s);
}

static json_t *link(struct td_web_req *r, const char *fmt, int64_t id)
{
    char s[700];

    snprintf(s, sizeof(s), "%s", r->app->base_url);
    size_t n = strlen(s);
    snprintf(s + n, sizeof(s) - n, fmt, id);
    return json_string(s);
}

/* `base` PREFIX SLUG SUFFIX with the slug percent-encoded, in the arena. */
static const char *tag_url(struct td_web_req *r, const char *base, const char *prefix,
                           const char *slug, const char *suffix)
{
    struct td_web_html h;

    td_web_html_init(&h, 8192);
    td_web_html_raw(&h, base);
    td_web_html_raw(&h, prefix);
    td_web_html_query(&h, td_str_c(slug));
    td_web_html_raw(&h, suffix);
    const char *s = td_arena_strndup(&r->arena, h.buf.buf ? h.buf.buf : "", h.buf.len);
    td_web_html_release(&h);
    return s;
}

static json_t *tag_link(struct td_web_req *r, const char *prefix, const char *slug,
                        const char *suffix)
{
    return json_string(tag_url(r, r->app->base_url, prefix, slug, suffix));
}

/* {term, slug, kind}, with the article count and links when `full`. */
static json_t *tag_json(struct td_web_req *r, const struct td_web_tag_view *t, bool full)
{
    json_t *j = json_object();

    json_object_set_new(j, "term", str_or_null(t->term));
    json_object_set_new(j, "slug", str_or_null(t->slug));
    json_object_set_new(j, "kind", str_or_null(t->kind));
    if (full) {
        json_t *links = json_object();
        json_object_set_new(j, "articles", json_integer(t->articles));
        json_object_set_new(links, "html", tag_link(r, "/tags/", t->slug, ""));
        json_object_set_new(links, "feed", tag_link(r, "/tags/", t->slug, "/feed.atom"));
        json_object_set_new(links, "api", tag_link(r, "/api/v1/tags/", t->slug, ""));
        json_object_set_new(j, "links", links);
    }
    return j;
}

static json_t *article_json(struct td_web_req *r, const struct td_web_article_view *v,
                            const struct td_article *a)
{
    json_t *j = json_object();

    json_object_set_new(j, "id", json_integer(v->id));
    json_object_set_new(j, "title", str_or_null(v->title));
    json_object_set_new(j, "url", str_or_null(v->url));
    if (v->outlet_id > 0) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(v->outlet_id));
        json_object_set_new(o, "name", str_or_null(v->outlet));
        json_object_set_new(o, "icon_url", str_or_null(v->outlet_icon));
        json_object_set_new(j, "outlet", o);
    } else {
        json_object_set_new(j, "outlet", json_null());
    }
    /* Related articles come without their records: no author list to give. */
    if (a) {
        json_t *authors = json_array();
        for (size_t i = 0; i < a->n_authors; i++)
            json_array_append_new(authors, str_or_null(a->authors[i]));
        json_object_set_new(j, "authors", authors);
    }
    json_object_set_new(j, "published", time_or_null(v->published));
    json_object_set_new(j, "language", str_or_null(v->lang));
    if (v->image_url) {
        json_t *img = json_object();
        json_object_set_new(img, "url", str_or_null(v->image_url));
        json_object_set_new(img, "caption", str_or_null(v->image_caption));
        json_object_set_new(img, "credit", str_or_null(v->image_credit));
        json_object_set_new(img, "alt", str_or_null(v->image_alt));
        json_object_set_new(j, "image", img);
    } else {
        json_object_set_new(j, "image", json_null());
    }
    json_object_set_new(j, "teaser", str_or_null(v->teaser));
    json_object_set_new(j, "story_id", v->story_id > 0 ? json_integer(v->story_id) : json_null());
    if (a)
        json_object_set_new(j, "duplicate_of",
                            a->duplicate_of > 0 ? json_integer(a->duplicate_of) : json_null());
    if (a) {
        const char *const *kp = NULL;
        struct td_web_tag_view *tags = NULL;
        size_t nkp = 0, ntags = 0;
        td_web_article_extras(r->store, &r->arena, a->id, &kp, &nkp, &tags, &ntags);
        json_t *points = json_array(), *tj = json_array();
        for (size_t i = 0; i < nkp; i++)
            json_array_append_new(points, str_or_null(kp[i]));
        for (size_t i = 0; i < ntags; i++)
            json_array_append_new(tj, tag_json(r, &tags[i], false));
        json_object_set_new(j, "keypoints", points);
        json_object_set_new(j, "tags", tj);
    }
    json_t *links = json_object();
    json_object_set_new(links, "html", link(r, "/articles/%" PRId64, v->id));
    json_object_set_new(links, "api", link(r, "/api/v1/articles/%" PRId64, v->id));
    if (v->story_id > 0)
        json_object_set_new(links, "story", link(r, "/api/v1/stories/%" PRId64, v->story_id));
    json_object_set_new(j, "links", links);
    return j;
}

/* Serialize `root` (consumed) as the response with `status`. */
static void reply_json(struct td_web_req *r, int status, json_t *root)
{
    char *s = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII);

    json_decref(root);
    r->status = status;
    r->content_type = "application/json";
    td_buf_reset(&r->out.buf);
    if (!s) {
        td_web_html_raw(&r->out, "{\"error\":\"could not encode the answer\"}");
        return;
    }
    /*
     * <, > and & only occur inside JSON strings, where \u escapes mean the
     * same: escaping them keeps the answer inert should anything ever
     * sniff or embed it as HTML.
     */
    const char *start = s;
    for (const char *p = s; *p; p++) {
        const char *e = *p == '<'   ? "\\u003c"
                        : *p == '>' ? "\\u003e"
                        : *p == '&' ? "\\u0026"
                                    : NULL;
        if (!e)
            continue;
        td_web_html_rawn(&r->out, start, (size_t)(p - start));
        td_web_html_raw(&r->out, e);
        start = p + 1;
    }
    td_web_html_raw(&r->out, start);
    free(s);
}

static void reply_json_error(struct td_web_req *r, int status, const char *msg)
{
    json_t *j = json_object();

    json_object_set_new(j, "error", json_string(msg));
    reply_json(r, status, j);
}

/* ?limit=N (1..100, default 20); 0 when malformed. */
static size_t limit_param(struct td_web_req *r)
{
    const char *p = td_web_form_get(&r->query, "limit", "20");
    char *end;
    long n = strtol(p, &end, 10);

    return (*p && !*end && n >= 1 && n <= API_MAX_LIMIT) ? (size_t)n : 0;
}

/* A page of articles (of an outlet, or of `tag`, or all) as {"articles", "next"}. */
static void list_json(struct td_web_req *r, int64_t outlet_id, const struct td_tag *tag,
                      const char *path)
{
    struct td_store *st = td_web_req_store(r);
    struct td_web_outlets o;
    struct td_article_list list;
    struct td_article_filter f = {.outlet_id = outlet_id};
    const char *after = td_web_form_get(&r->query, "after", NULL);
    long long sort_at, id;
    int n = 0, rc;

    if (!(f.limit = limit_param(r))) {
        reply_json_error(r, 400, "limit must be a number from 1 to 100");
        return;
    }
    if (after &&
        (sscanf(after, "%lld.%lld%n", &sort_at, &id, &n) != 2 || after[n] != '\0' || id <= 0)) {
        reply_json_error(r, 400, "after must look like 1772500000.42");
        return;
    }
    if (after) {
        f.after.sort_at = sort_at;
        f.after.id = id;
    }
    if (!st || (rc = td_web_outlets_load(st, &r->arena, &o)) < 0 ||
        (rc = tag ? td_store_tag_articles(st, tag->id, &f, &r->arena, &list)
                  : td_store_article_list(st, &f, &r->arena, &list)) < 0) {
        reply_json_error(r, 500, "the database could not answer");
        return;
    }
    json_t *root = json_object(), *arr = json_array();
    if (tag) {
        struct td_web_tag_view *tv = td_web_tag_views(&r->arena, tag, 1);
        json_object_set_new(root, "tag", tag_json(r, tv, true));
    }
    for (size_t i = 0; i < list.n; i++) {
        struct td_web_article_view v;
        td_web_article_view_of(&r->arena, &o, &list.items[i], &v);
        json_array_append_new(arr, article_json(r, &v, &list.items[i]));
    }
    json_object_set_new(root, "articles", arr);
    if (list.more) {
        char next[1024];
        /* `path` may hold a percent-encoded slug: no format directives in it. */
        snprintf(next, sizeof(next), "%s%s?limit=%zu&after=%" PRId64 ".%" PRId64, r->app->base_url,
                 path, f.limit, list.next.sort_at, list.next.id);
        json_object_set_new(root, "next", json_string(next));
    } else {
        json_object_set_new(root, "next", json_null());
    }
    reply_json(r, 200, root);
}

void td_web_h_api_articles(struct td_web_req *r)
{
    list_json(r, 0, NULL, "/api/v1/articles");
}

void td_web_h_api_outlet_articles(struct td_web_req *r)
{
    int64_t id = td_web_param_id(r, "id");
    struct td_store *st = td_web_req_store(r);
    struct td_outlet *out;
    char path[64];

    if (!id || !st || td_store_outlet_get(st, id, &r->arena, &out) < 0) {
        reply_json_error(r, 404, "no such outlet");
        return;
    }
    snprintf(path, sizeof(path), "/api/v1/outlets/%" PRId64 "/articles", id);
    list_json(r, id, NULL, path);
}

void td_web_h_api_article(struct td_web_req *r)
{
    int64_t id = td_web_param_id(r, "id");
    struct td_store *st = td_web_req_store(r);
    struct td_article *a = NULL;
    struct td_web_outlets o;
    struct td_web_article_view v, *rel = NULL;
    size_t nrel = 0;
    int rc;

    if (!st) {
        reply_json_error(r, 500, "the database could not answer");
        return;
    }
    if (!id || (rc = td_store_article_get(st, id, &r->arena, &a)) == TD_ENOTFOUND) {
        reply_json_error(r, 404, "no such article");
        return;
    }
    if (rc < 0 || (rc = td_web_outlets_load(st, &r->arena, &o)) < 0) {
        reply_json_error(r, 500, "the database could not answer");
        return;
    }
    td_web_article_view_of(&r->arena, &o, a, &v);
    json_t *j = article_json(r, &v, a);
    json_object_set_new(j, "text", str_or_null(v.body_text));
    if (v.body_text && *v.body_text)
        json_object_set_new(json_object_get(j, "links"), "listen",
                            link(r, "/articles/%" PRId64 "/listen", v.id));
    json_t *related = json_array();
    if (td_web_related_of(st, &r->arena, &o, a, 4, &rel, &nrel) == 0)
        for (size_t i = 0; i < nrel; i++)
            json_array_append_new(related, article_json(r, &rel[i], NULL));
    json_object_set_new(j, "related", related);
    struct td_comment *cs = NULL;
    size_t nc = 0;
    json_t *comments = json_array();
    if (td_store_comment_list(st, id, false, &r->arena, &cs, &nc) == 0)
        for (size_t i = 0; i < nc; i++) {
            json_t *c = json_object();
            json_object_set_new(c, "id", json_integer(cs[i].id));
            json_object_set_new(c, "user", str_or_null(cs[i].user_name));
            json_object_set_new(c, "created", time_or_null((time_t)cs[i].created_at));
            json_object_set_new(c, "edited", time_or_null((time_t)cs[i].edited_at));
            json_object_set_new(c, "body", str_or_null(cs[i].body));
            json_array_append_new(comments, c);
        }
    json_object_set_new(j, "comments", comments);
    reply_json(r, 200, j);
}

void td_web_h_api_outlets(struct td_web_req *r)
{
    struct td_store *st = td_web_req_store(r);
    struct td_outlet *items = NULL;
    size_t n = 0;

    if (!st || td_store_outlet_list(st, &r->arena, &items, &n) < 0) {
        reply_json_error(r, 500, "the database could not answer");
        return;
    }
    json_t *root = json_object(), *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object(), *links = json_object();
        int64_t count = 0;
        if (td_store_article_count(st, items[i].id, 0, &count) < 0)
            count = 0;
        json_object_set_new(o, "id", json_integer(items[i].id));
        json_object_set_new(o, "name", str_or_null(items[i].name));
        json_object_set_new(o, "site_url", str_or_null(items[i].site_url));
        json_object_set_new(o, "icon_url", str_or_null(items[i].icon_url));
        json_object_set_new(o, "articles", json_integer(count));
        json_object_set_new(links, "html", link(r, "/outlets/%" PRId64, items[i].id));
        json_object_set_new(links, "feed", link(r, "/outlets/%" PRId64 "/feed.atom", items[i].id));
        json_object_set_new(links, "articles",
                            link(r, "/api/v1/outlets/%" PRId64 "/articles", items[i].id));
        json_object_set_new(o, "links", links);
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "outlets", arr);
    reply_json(r, 200, root);
}

/* "snippet" as plain text and "snippet_html" escaped with the matches in <mark>. */
static void snippet_json(json_t *j, const char *snippet)
{
    struct td_web_html h;

    if (!snippet) {
        json_object_set_new(j, "snippet", json_null());
        json_object_set_new(j, "snippet_html", json_null());
        return;
    }
    size_t n = strlen(snippet);
    char *plain = td_xmalloc(n + 1), *p = plain;
    for (size_t i = 0; i < n; i++)
        if (snippet[i] != '\x02' && snippet[i] != '\x03')
            *p++ = snippet[i];
    *p = '\0';
    json_object_set_new(j, "snippet", json_string(plain));
    free(plain);
    td_web_html_init(&h, 4 * n + 64);
    td_web_html_marked(&h, snippet, '\x02', '\x03');
    json_object_set_new(j, "snippet_html", json_string(h.buf.buf));
    td_web_html_release(&h);
}

void td_web_h_api_search(struct td_web_req *r)
{
    const char *q = td_web_form_get(&r->query, "q", "");
    const char *ps = td_web_form_get(&r->query, "page", "1");
    size_t limit = limit_param(r);
    struct td_web_search_out res;
    char *end;
    long page = strtol(ps, &end, 10);

    if (!limit || !*ps || *end || page < 1 || page > 1000) {
        reply_json_error(r, 400, "limit must be 1 to 100 and page 1 to 1000");
        return;
    }
    if (td_web_search_run(r, q, (int)page, limit, &res) < 0) {
        reply_json_error(r, 500, "the database could not answer");
        return;
    }
    if (res.bad_query) {
        reply_json_error(r, 400, res.notice);
        return;
    }
    json_t *root = json_object(), *arr = json_array();
    for (size_t i = 0; i < res.n; i++) {
        json_t *j = article_json(r, &res.items[i], res.articles[i]);
        snippet_json(j, res.items[i].snippet);
        json_array_append_new(arr, j);
    }
    json_object_set_new(root, "query", json_string(q));
    json_object_set_new(root, "page", json_integer(page));
    json_object_set_new(root, "notice", str_or_null(res.notice));
    json_object_set_new(root, "results", arr);
    if (res.more) {
        struct td_web_html h;
        td_web_html_init(&h, 8192);
        td_web_html_printf(&h, "%s/api/v1/search?limit=%zu&page=%ld&q=", r->app->base_url, limit,
                           page + 1);
        td_web_html_query(&h, td_str_c(q));
        json_object_set_new(root, "next", json_string(h.buf.buf));
        td_web_html_release(&h);
    } else {
        json_object_set_new(root, "next", json_null());
    }
    reply_json(r, 200, root);
}

/* ---- stories ---- */

static json_t *story_json(struct td_web_req *r, const struct td_story *s)
{
    json_t *j = json_object(), *outlets = json_array(), *links = json_object();

    json_object_set_new(j, "id", json_integer(s->id));
    json_object_set_new(j, "headline", str_or_null(s->headline));
    json_object_set_new(j, "representative_id",
                        s->representative_id > 0 ? json_integer(s->representative_id)
                                                 : json_null());
    json_object_set_new(j, "first_seen", time_or_null((time_t)s->first_seen));
    json_object_set_new(j, "last_seen", time_or_null((time_t)s->last_seen));
    json_object_set_new(j, "n_articles", json_integer(s->n_articles));
    json_object_set_new(j, "n_outlets", json_integer(s->n_outlets));
    for (size_t i = 0; i < s->n_outlet_names; i++)
        json_array_append_new(outlets, str_or_null(s->outlets[i]));
    json_object_set_new(j, "outlets", outlets);
    json_object_set_new(links, "html", link(r, "/stories/%" PRId64, s->id));
    json_object_set_new(links, "api", link(r, "/api/v1/stories/%" PRId64, s->id));
    json_object_set_new(links, "feed", link(r, "/stories/%" PRId64 "/feed.atom", s->id));
    json_object_set_new(j, "links", links);
    return j;
}

void td_web_h_api_stories(struct td_web_req *r)
{
    struct td_store *st = td_web_req_store(r);
    const char *ps = td_web_form_get(&r->query, "page", "1");
    const char *ms = td_web_form_get(&r->query, "min_outlets", "1");
    size_t limit = limit_param(r);
    struct td_story_list list;
    char *end, *mend;
    long page = strtol(ps, &end, 10), min = strtol(ms, &mend, 10);

    if (!limit || !*ps || *end || page < 1 || page > 1000 || !*ms || *mend || min < 1 ||
        min > 1000) {
        reply_json_error(r, 400, "limit must be 1 to 100, page 1 to 1000, min_outlets 1 to 1000");
        return;
    }
    struct td_story_filter f = {
        .limit = limit, .offset = (size_t)(page - 1) * limit, .min_outlets = min};
    if (!st || td_store_story_list(st, &f, &r->arena, &list) < 0) {
        reply_json_error(r, 500, "the database could not answer");
        return;
    }
    json_t *root = json_object(), *arr = json_array();
    for (size_t i = 0; i < list.n; i++) {
        json_t *j = story_json(r, &list.items[i]);
        json_object_set_new(j, "score", json_real(list.items[i].score));
        json_array_append_new(arr, j);
    }
    json_object_set_new(root, "page", json_integer(page));
    json_object_set_new(root, "stories", arr);
    if (list.more && page < 1000) {
        char next[1024];
        snprintf(next, sizeof(next), "%s/api/v1/stories?limit=%zu&page=%ld&min_outlets=%ld",
                 r->app->base_url, limit, page + 1, min);
        json_object_set_new(root, "next", json_string(next));
    } else {
        json_object_set_new(root, "next", json_null());
    }
    reply_json(r, 200, root);
}

void td_web_h_api_story(struct td_web_req *r)
{
    int64_t id = td_web_param_id(r, "id");
    struct td_store *st = td_web_req_store(r);
    struct td_story *s = NULL;
    struct td_article *members = NULL;
    struct td_web_outlets o;
    size_t n = 0;
    int rc = TD_ENOTFOUND;

    if (!st) {
        reply_json_error(r, 500, "the database could not answer");
        return;
    }
    if (!id || (rc = td_store_story_get(st, id, &r->arena, &s)) == TD_ENOTFOUND) {
        reply_json_error(r, 404, "no such story");
        return;
    }
    if (rc < 0 || td_web_outlets_load(st, &r->arena, &o) < 0 ||
        td_store_story_members(st, id, &r->arena, &members, &n) < 0) {
        reply_json_error(r, 500, "the database could not answer");
        return;
    }
    json_t *j = story_json(r, s), *arr = json_array(), *points = json_array();
    const char *const *kp = NULL;
    size_t nkp = td_web_story_keypoints(st, &r->arena, members, n, TD_WEB_STORY_KEYPOINTS, &kp);
    for (size_t i = 0; i < nkp; i++)
        json_array_append_new(points, str_or_null(kp[i]));
    json_object_set_new(j, "keypoints", points);
    for (size_t i = 0; i < n; i++) {
        struct td_web_article_view v;
        td_web_article_view_of(&r->arena, &o, &members[i], &v);
        json_array_append_new(arr, article_json(r, &v, &members[i]));
    }
    json_object_set_new(j, "articles", arr);
    reply_json(r, 200, j);
}

/* The most used tags, ?limit=N (1..100, default 20). */
void td_web_h_api_tags(struct td_web_req *r)
{
    struct td_store *st = td_web_req_store(r);
    struct td_tag *tags = NULL;
    size_t n = 0, limit = limit_param(r);

    if (!limit) {
        reply_json_error(r, 400, "limit must be a number from 1 to 100");
        return;
    }
    if (!st || td_store_tags_popular(st, 0, 1, limit, &r->arena, &tags, &n) < 0) {
        reply_json_error(r, 500, "the database could not answer");
        return;
    }
    struct td_web_tag_view *v = td_web_tag_views(&r->arena, tags, n);
    json_t *root = json_object(), *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, tag_json(r, &v[i], true));
    json_object_set_new(root, "tags", arr);
    reply_json(r, 200, root);
}

void td_web_h_api_tag(struct td_web_req *r)
{
    struct td_str v = td_web_match_param(&r->match, "slug");
    struct td_store *st = td_web_req_store(r);
    struct td_tag *tag = NULL;
    int rc = TD_EDB;

    if (!st || (rc = td_store_tag_get(st, td_arena_strndup(&r->arena, v.ptr, v.len), &r->arena,
                                      &tag)) < 0) {
        if (rc == TD_ENOTFOUND || rc == TD_EINVAL)
            reply_json_error(r, 404, "no such tag");
        else
            reply_json_error(r, 500, "the database could not answer");
        return;
    }
    list_json(r, 0, tag, tag_url(r, "", "/api/v1/tags/", tag->slug, ""));
}
