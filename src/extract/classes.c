/*
 * classes.c - what an element's class and id say about it.  Page authors
 * name their boxes after what they hold ("article-body", "share-bar",
 * "taboola-feed"), which makes these names the cheapest strong signal of
 * content versus boilerplate across sites and languages.
 *
 * Long words match as substrings ("comments-list" has "comment"); short
 * ones ("ad", "nav", "meta") only as whole tokens split on space, '-' and
 * '_', so "lead-image" is not an ad and "canvas" is not navigation.
 */
#include "base/compat.h"
#include "extract/extract_int.h"

#include <pthread.h>

static const char *const bad_sub[] = {
    "comment",
    "share",
    "sharing",
    "social",
    "related",
    "promo",
    "sponsor",
    "taboola",
    "outbrain",
    "newsletter",
    "footer",
    "sidebar",
    "cookie",
    "subscri",
    "advert",
    "banner",
    "popup",
    "modal",
    "recommend",
    "breadcrumb",
    "widget",
    "toolbar",
    "byline",
    "dateline",
    "timestamp",
    "caption",
    "credit",
    "disqus",
    "signup",
    "sign-up",
    "paywall",
    "masthead",
    "most-popular",
    "mostpopular",
    "trending",
    "pagination",
    "follow",
    "download",
    "navbar",
    "navigation",
    "copyright",
    "disclaimer",
    "consent",
    "gdpr",
    "overlay",
    "skip-link",
    "author-bio",
    "authorbio",
    "author-info",
    "newsfeed",
    "read-more",
    "readmore",
    "more-from",
    "morefrom",
    "also-read",
    "alsoread",
    "you-may",
    "youmay",
    "dfp",
    "adslot",
    "ad-slot",
    "adunit",
    "ad-unit",
    "ad-container",
    "adcontainer",
    "adwrap",
    "ad-wrap",
    "googlead",
    "print-only",
    "sr-only",
    "visually-hidden",
    "screen-reader",
    "tooltip",
    "login",
    "register",
    "reactions",
    "tag-list",
    "taglist",
    "topics",
    "keywords",
    "nocontent",
    "teaser",
    "headline-list",
    "pager",
    "carousel",
    "slideshow",
    "gallery",
    "video-player",
    "inline-ad",
    "native-ad",
    "partner",
    "affiliate",
    "lightbox",
    "flyout",
    "dropdown",
    "infobox",
    "table-of-contents",
};
static const char *const bad_tok[] = {
    "ad",       "ads",       "nav",    "menu",   "meta",    "tags",      "tag",  "rail",
    "tools",    "share",     "print",  "aside",  "header",  "date",      "time", "author",
    "hide",     "more",      "extra",  "hid",    "bottom",  "top",       "skip", "links",
    "promoted", "outstream", "native", "sticky", "utility", "footnotes", "cta",  "subnav",
    "related",  "feedback",  "survey", "poll",   "embed",   "toc",       "shop", "rating",
};
static const char *const good_sub[] = {
    "article",      "content",   "story",     "entry",  "post-body", "postbody",
    "post-content", "main",      "text",      "body",   "blog",      "prose",
    "richtext",     "rich-text", "paragraph", "hentry", "h-entry",
};
static const char *const good_tok[] = {"post", "page", "detail", "single"};

/*
 * Words bucketed by first byte, built once: a class string is then scanned
 * once, each position or token compared only with the words that start
 * with its byte.
 */
enum { W_BAD_SUB, W_BAD_TOK, W_GOOD_SUB, W_GOOD_TOK };

struct word {
    const char *w;
    size_t len;
    int kind;
    struct word *next; /* same first byte */
};

#define N_WORDS                                                                                    \
    (TD_ARRAY_SIZE(bad_sub) + TD_ARRAY_SIZE(bad_tok) + TD_ARRAY_SIZE(good_sub) +                   \
     TD_ARRAY_SIZE(good_tok))

static struct word words[N_WORDS];
static struct word *sub_bucket[256], *tok_bucket[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void add_words(size_t *k, const char *const *list, size_t n, int kind)
{
    for (size_t i = 0; i < n; i++) {
        struct word *w = &words[(*k)++];
        w->w = list[i];
        w->len = strlen(list[i]);
        w->kind = kind;
        struct word **b = (kind == W_BAD_SUB || kind == W_GOOD_SUB) ? sub_bucket : tok_bucket;
        w->next = b[(unsigned char)list[i][0]];
        b[(unsigned char)list[i][0]] = w;
    }
}

static void build(void)
{
    size_t k = 0;
    add_words(&k, bad_sub, TD_ARRAY_SIZE(bad_sub), W_BAD_SUB);
    add_words(&k, bad_tok, TD_ARRAY_SIZE(bad_tok), W_BAD_TOK);
    add_words(&k, good_sub, TD_ARRAY_SIZE(good_sub), W_GOOD_SUB);
    add_words(&k, good_tok, TD_ARRAY_SIZE(good_tok), W_GOOD_TOK);
}

static bool is_tok_sep(char c)
{
    return c == ' ' || c == '-' || c == '_';
}

/* Lowercased "class id" (truncated) into buf. */
static void names_of(struct td_str c, struct td_str id, char *buf, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < c.len && k < cap - 2; i++)
        buf[k++] = (char)td_ascii_lower((unsigned char)c.ptr[i]);
    buf[k++] = ' ';
    for (size_t i = 0; i < id.len && k < cap - 1; i++)
        buf[k++] = (char)td_ascii_lower((unsigned char)id.ptr[i]);
    buf[k] = '\0';
    for (size_t i = 0; i < k; i++)
        if (td_is_space((unsigned char)buf[i]))
            buf[i] = ' ';
}

/*
 * Pages repeat the same class strings over and over ("row", "col-md-6"),
 * so results are remembered in a small per-thread direct-mapped cache keyed
 * by a 64-bit hash of the lowercased names.
 */
#define CACHE_SIZE 1024
static _Thread_local struct {
    uint64_t hash;
    unsigned flags;
} cache[CACHE_SIZE];

unsigned ex_class_flags(struct td_str cls, struct td_str id)
{
    char buf[256];
    unsigned f = 0;
    if (!cls.len && !id.len)
        return 0;
    names_of(cls, id, buf, sizeof(buf));
    size_t len = strlen(buf);
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)buf[i]) * 1099511628211ULL;
    h |= 1; /* 0 marks an empty slot */
    size_t slot = (size_t)(h >> 32) % CACHE_SIZE;
    if (cache[slot].hash == h)
        return cache[slot].flags;
    pthread_once(&once, build);
    for (size_t i = 0; i < len; i++) {
        for (const struct word *w = sub_bucket[(unsigned char)buf[i]]; w; w = w->next)
            if (i + w->len <= len && buf[i + 1] == w->w[1] && !memcmp(buf + i, w->w, w->len))
                f |= w->kind == W_BAD_SUB ? NS_BAD : NS_GOOD;
        if (i > 0 && !is_tok_sep(buf[i - 1]))
            continue;
        size_t e = i;
        while (e < len && !is_tok_sep(buf[e]))
            e++;
        for (const struct word *w = tok_bucket[(unsigned char)buf[i]]; w; w = w->next)
            if (w->len == e - i && !memcmp(buf + i, w->w, w->len))
                f |= w->kind == W_BAD_TOK ? NS_BAD : NS_GOOD;
    }
    if (strstr(buf, "caption") || strstr(buf, "credit"))
        f |= NS_CAPTION;
    cache[slot].hash = h;
    cache[slot].flags = f;
    return f;
}
