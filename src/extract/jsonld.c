/*
 * jsonld.c - schema.org metadata from <script type="application/ld+json">:
 * the first object typed as an article (NewsArticle, Article,
 * ReportageNewsArticle, BlogPosting, ...) found at the top level, in an
 * array or in an @graph gives headline, authors, dates, image, description,
 * publisher name, language and URL.  Invalid JSON is ignored.
 */
#include "base/compat.h"
#include "extract/extract_int.h"

#include <jansson.h>

#define JSONLD_MAX_DEPTH 8

static bool type_is_article(json_t *type)
{
    static const char *const types[] = {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "TechArticle",
        "ScholarlyArticle",
        "Report",
        "SocialMediaPosting",
        "DiscussionForumPosting",
        "SatiricalArticle",
        "AdvertiserContentArticle",
        "WebPage",
    };
    if (json_is_array(type)) {
        size_t i;
        json_t *t;
        json_array_foreach(type, i, t) if (type_is_article(t)) return true;
        return false;
    }
    const char *s = json_string_value(type);
    if (!s)
        return false;
    /* Accept "schema:NewsArticle" and "http://schema.org/NewsArticle". */
    const char *slash = strrchr(s, '/'), *colon = strrchr(s, ':');
    if (slash)
        s = slash + 1;
    else if (colon)
        s = colon + 1;
    for (size_t i = 0; i < TD_ARRAY_SIZE(types); i++)
        if (!strcmp(s, types[i]))
            return true;
    return false;
}

static const char *str_of(json_t *v)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_array(v) && json_array_size(v) > 0)
        return str_of(json_array_get(v, 0));
    return NULL;
}

static void add_authors(struct ex *e, json_t *v)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (strncmp(s, "http", 4) != 0)
            ex_add_author(e, td_str_c(s));
    } else if (json_is_object(v)) {
        const char *s = str_of(json_object_get(v, "name"));
        if (s)
            ex_add_author(e, td_str_c(s));
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) add_authors(e, x);
    }
}

static const char *image_of(json_t *v)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_object(v)) {
        const char *s = str_of(json_object_get(v, "url"));
        return s ? s : str_of(json_object_get(v, "contentUrl"));
    }
    if (json_is_array(v) && json_array_size(v) > 0)
        return image_of(json_array_get(v, 0));
    return NULL;
}

static void set_clean(struct ex *e, const char **field, const char *v)
{
    if (!*field && v)
        *field = ex_clean(e, td_str_c(v));
}

static void take_article(struct ex *e, json_t *o)
{
    struct td_article *a = e->a;
    const char *s;

    s = str_of(json_object_get(o, "headline"));
    if (!s)
        s = str_of(json_object_get(o, "name"));
    set_clean(e, &a->title, s);
    if (!a->n_authors)
        add_authors(e, json_object_get(o, "author"));
    if (!a->n_authors)
        add_authors(e, json_object_get(o, "creator"));
    if (!a->published && (s = str_of(json_object_get(o, "datePublished"))))
        a->published = ex_date(e, td_str_c(s));
    if (!a->published && (s = str_of(json_object_get(o, "dateCreated"))))
        a->published = ex_date(e, td_str_c(s));
    if (!a->modified && (s = str_of(json_object_get(o, "dateModified"))))
        a->modified = ex_date(e, td_str_c(s));
    if (!a->image.url && (s = image_of(json_object_get(o, "image"))))
        a->image.url = ex_url(e, td_str_c(s));
    set_clean(e, &a->description, str_of(json_object_get(o, "description")));
    json_t *pub = json_object_get(o, "publisher");
    if (json_is_array(pub))
        pub = json_array_get(pub, 0);
    if (json_is_object(pub))
        set_clean(e, &a->site_name, str_of(json_object_get(pub, "name")));
    if (!a->language && (s = str_of(json_object_get(o, "inLanguage"))))
        a->language = ex_clean(e, td_str_c(s));
    if (!e->jsonld_body && (s = str_of(json_object_get(o, "articleBody"))))
        e->jsonld_body = td_arena_strndup(e->arena, s, strlen(s));
}

static void visit(struct ex *e, json_t *v, int depth, bool pages)
{
    if (depth > JSONLD_MAX_DEPTH)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) visit(e, x, depth + 1, pages);
        return;
    }
    if (!json_is_object(v))
        return;
    json_t *type = json_object_get(v, "@type");
    bool is_page = false;
    if (type_is_article(type)) {
        const char *ts = str_of(type);
        is_page = ts && strstr(ts, "WebPage");
        if (is_page == pages)
            take_article(e, v);
    }
    visit(e, json_object_get(v, "@graph"), depth + 1, pages);
    if (!is_page)
        return;
    visit(e, json_object_get(v, "mainEntity"), depth + 1, pages);
}

/* Cheap pre-check: only blocks that can name an article are worth parsing. */
static bool may_hold_article(struct td_str json)
{
    static const char *const words[] = {"Article", "Posting", "Report", "WebPage"};
    for (size_t i = 0; i < TD_ARRAY_SIZE(words); i++)
        if (td_str_find(json, td_str_c(words[i])) >= 0)
            return true;
    return false;
}

void ex_jsonld(struct ex *e, struct td_str json)
{
    json_error_t err;
    if (!may_hold_article(json))
        return;
    json_t *root = json_loadb(json.ptr, json.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!root)
        return;
    visit(e, root, 0, false);
    visit(e, root, 0, true);
    json_decref(root);
}
