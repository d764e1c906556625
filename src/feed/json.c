/*
 * json.c - JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) into
 * the entry model, with jansson.
 *
 * Field types are checked, never assumed: a number where a string belongs
 * is read as its decimal text when that is meaningful (item ids are often
 * numbers), otherwise ignored.  1.0's `author` and 1.1's `authors` are both
 * read.
 */
#include "base/compat.h"
#include "base/error.h"
#include "feed/internal.h"

#include <jansson.h>

static const char *get_str(struct td_feed_builder *b, json_t *obj, const char *k)
{
    json_t *v = json_object_get(obj, k);
    if (json_is_string(v))
        return td_feed_strdup(b, json_string_value(v), json_string_length(v), true);
    if (json_is_integer(v)) {
        char n[32];
        snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(v));
        return td_feed_strdup(b, n, strlen(n), false);
    }
    return "";
}

static const char *get_url(struct td_feed_builder *b, json_t *obj, const char *k)
{
    return td_feed_resolve(b, b->base, get_str(b, obj, k));
}

static void read_person(struct td_feed_builder *b, json_t *a, struct td_feed_person *p)
{
    p->name = get_str(b, a, "name");
    p->uri = get_url(b, a, "url");
    p->email = "";
}

/* `author` (1.0) and `authors` (1.1) into an array; returns the count. */
static size_t read_authors(struct td_feed_builder *b, json_t *obj, struct td_feed_person **arr,
                           size_t *n)
{
    json_t *list = json_object_get(obj, "authors"), *one = json_object_get(obj, "author");
    size_t i;
    json_t *a;
    if (json_is_array(list)) {
        json_array_foreach(list, i, a)
        {
            if (json_is_object(a))
                read_person(b, a, TD_FEED_PUSH(&b->f->arena, *arr, *n));
        }
    } else if (json_is_object(one)) {
        read_person(b, one, TD_FEED_PUSH(&b->f->arena, *arr, *n));
    }
    return *n;
}

static void set_date(struct td_feed_builder *b, json_t *obj, const char *k, struct td_feed_date *d)
{
    const char *v = get_str(b, obj, k);
    if (*v)
        td_feed_set_date(b, d, v);
}

static void set_text(struct td_feed_text *t, const char *v, const char *type)
{
    t->value = v;
    t->type = type;
}

static void read_item(struct td_feed_builder *b, json_t *it)
{
    struct td_feed_entry *e = td_feed_new_entry(b);
    size_t i;
    json_t *v;

    if (!e)
        return;
    e->id = get_str(b, it, "id");
    e->link = get_url(b, it, "url");
    if (!*e->link)
        e->link = get_url(b, it, "external_url");
    set_text(&e->title, get_str(b, it, "title"), "text/plain");
    const char *summary = get_str(b, it, "summary");
    if (*summary)
        set_text(&e->summary, summary, "text/plain");
    const char *html = get_str(b, it, "content_html"), *plain = get_str(b, it, "content_text");
    if (*html) {
        struct td_feed_text *t = TD_FEED_PUSH(&b->f->arena, e->content, e->n_content);
        set_text(t, html, "text/html");
        t->lang = t->base = "";
    }
    if (*plain) {
        struct td_feed_text *t = TD_FEED_PUSH(&b->f->arena, e->content, e->n_content);
        set_text(t, plain, "text/plain");
        t->lang = t->base = "";
    }
    if (!*summary && e->n_content)
        e->summary = e->content[0];
    if (!*e->summary.base)
        e->summary.base = b->base;
    for (size_t j = 0; j < e->n_content; j++)
        e->content[j].base = b->base;
    const char *image = get_url(b, it, "image");
    if (*image)
        TD_FEED_PUSH(&b->f->arena, e->thumbnails, e->n_thumbnails)->url = image;
    set_date(b, it, "date_published", &e->published);
    set_date(b, it, "date_modified", &e->updated);
    if (read_authors(b, it, &e->authors, &e->n_authors))
        e->author = e->authors[0].name;
    json_array_foreach(json_object_get(it, "tags"), i, v)
    {
        if (json_is_string(v) && json_string_length(v)) {
            struct td_feed_tag *t = TD_FEED_PUSH(&b->f->arena, e->tags, e->n_tags);
            t->term = td_feed_strdup(b, json_string_value(v), json_string_length(v), true);
            t->scheme = t->label = "";
        }
    }
    json_array_foreach(json_object_get(it, "attachments"), i, v)
    {
        if (!json_is_object(v))
            continue;
        const char *url = get_url(b, v, "url");
        if (!*url)
            continue;
        struct td_feed_enclosure *enc = TD_FEED_PUSH(&b->f->arena, e->enclosures, e->n_enclosures);
        enc->url = url;
        enc->type = get_str(b, v, "mime_type");
        json_t *size = json_object_get(v, "size_in_bytes");
        enc->length = json_is_integer(size) && json_integer_value(size) >= 0
                          ? (int64_t)json_integer_value(size)
                          : -1;
    }
}

int td_feed_read_json(struct td_feed_builder *b, const char *utf8, size_t len)
{
    struct td_feed *f = b->f;
    json_error_t jerr;
    json_t *root = json_loadb(utf8, len, 0, &jerr);
    size_t i;
    json_t *v;
    int ret = TD_EPARSE;

    if (!json_is_object(root))
        goto out;
    const char *version = get_str(b, root, "version");
    if (td_str_find(td_str_c(version), TD_STR_LIT("1.1")) >= 0)
        f->version = TD_FEED_JSON11;
    else if (*version)
        f->version = TD_FEED_JSON10;
    else if (json_is_array(json_object_get(root, "items")))
        f->version = TD_FEED_JSON11, td_feed_bozo(b, "JSON Feed without a version");
    else
        goto out;
    f->title.value = get_str(b, root, "title");
    f->title.type = "text/plain";
    f->link = get_url(b, root, "home_page_url");
    f->self = get_url(b, root, "feed_url");
    const char *desc = get_str(b, root, "description");
    if (*desc) {
        f->subtitle.value = desc;
        f->subtitle.type = "text/plain";
    }
    f->language = get_str(b, root, "language");
    f->image.href = get_url(b, root, "icon");
    f->icon = get_url(b, root, "favicon");
    if (read_authors(b, root, &f->authors, &f->n_authors))
        f->author = f->authors[0].name;
    json_array_foreach(json_object_get(root, "hubs"), i, v)
    {
        const char *url = get_url(b, v, "url");
        if (*url && !*f->hub)
            f->hub = url;
    }
    json_array_foreach(json_object_get(root, "items"), i, v)
    {
        if (json_is_object(v))
            read_item(b, v);
    }
    ret = 0;
out:
    json_decref(root);
    return ret;
}
