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

/*
 * Strong words: a box named so is page furniture wherever it sits, and the
 * paragraphs inside it do not vote for the article (body.c).
 */
static const char *const strong_sub[] = {
    "comment",      "sharing",     "related",       "promo",      "sponsor",   "taboola",
    "outbrain",     "newsletter",  "footer",        "sidebar",    "cookie",    "subscri",
    "advert",       "banner",      "popup",         "modal",      "recommend", "breadcrumb",
    "widget",       "disqus",      "signup",        "sign-up",    "paywall",   "most-popular",
    "mostpopular",  "trending",    "navbar",        "navigation", "consent",   "gdpr",
    "read-more",    "readmore",    "more-from",     "morefrom",   "also-read", "alsoread",
    "you-may",      "youmay",      "adslot",        "ad-slot",    "adunit",    "ad-unit",
    "ad-container", "adcontainer", "adwrap",        "ad-wrap",    "googlead",  "inline-ad",
    "native-ad",    "newsfeed",    "headline-list",
};
static const char *const strong_tok[] = {
    "ad",    "ads",      "nav",       "menu",   "rail",    "share", "social",
    "aside", "promoted", "outstream", "subnav", "related", "dfp",
};
/* Weak words: usually furniture, but only a hint (scoring, small boxes). */
static const char *const weak_sub[] = {
    "toolbar",       "byline",
    "dateline",      "timestamp",
    "caption",       "credit",
    "masthead",      "pagination",
    "follow",        "download",
    "copyright",     "disclaimer",
    "overlay",       "skip-link",
    "author-bio",    "authorbio",
    "author-info",   "print-only",
    "sr-only",       "visually-hidden",
    "screen-reader", "tooltip",
    "popover",       "rollover",
    "hovercard",     "login",
    "register",      "reactions",
    "tag-list",      "taglist",
    "topics",        "keywords",
    "nocontent",     "teaser",
    "pager",         "carousel",
    "slideshow",     "gallery",
    "video-player",  "partner",
    "affiliate",     "lightbox",
    "flyout",        "dropdown",
    "infobox",       "table-of-contents",
    "share",
};
static const char *const weak_tok[] = {
    "meta",   "tags",   "tag",    "tools",   "print",     "header", "date",     "time",
    "author", "hide",   "more",   "extra",   "hid",       "bottom", "top",      "skip",
    "links",  "native", "sticky", "utility", "footnotes", "cta",    "feedback", "survey",
    "poll",   "embed",  "toc",    "shop",    "rating",
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
struct word {
    const char *w;
    size_t len;
    unsigned flags;    /* NS_* it sets */
    struct word *next; /* same first byte */
};

#define N_WORDS                                                                                    \
    (TD_ARRAY_SIZE(strong_sub) + TD_ARRAY_SIZE(strong_tok) + TD_ARRAY_SIZE(weak_sub) +             \
     TD_ARRAY_SIZE(weak_tok) + TD_ARRAY_SIZE(good_sub) + TD_ARRAY_SIZE(good_tok))

static struct word words[N_WORDS];
static struct word *sub_bucket[256], *tok_bucket[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void add_words(size_t *k, const char *const *list, size_t n, bool sub, unsigned flags)
{
    for (size_t i = 0; i < n; i++) {
        struct word *w = &words[(*k)++];
        w->w = list[i];
        w->len = strlen(list[i]);
        w->flags = flags;
        struct word **b = sub ? sub_bucket : tok_bucket;
        w->next = b[(unsigned char)list[i][0]];
        b[(unsigned char)list[i][0]] = w;
    }
}

static void build(void)
{
    size_t k = 0;
    add_words(&k, strong_sub, TD_ARRAY_SIZE(strong_sub), true, NS_BAD | NS_STRONG);
    add_words(&k, strong_tok, TD_ARRAY_SIZE(strong_tok), false, NS_BAD | NS_STRONG);
    add_words(&k, weak_sub, TD_ARRAY_SIZE(weak_sub), true, NS_BAD);
    add_words(&k, weak_tok, TD_ARRAY_SIZE(weak_tok), false, NS_BAD);
    add_words(&k, good_sub, TD_ARRAY_SIZE(good_sub), true, NS_GOOD);
    add_words(&k, good_tok, TD_ARRAY_SIZE(good_tok), false, NS_GOOD);
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
                f |= w->flags;
        if (i > 0 && !is_tok_sep(buf[i - 1]))
            continue;
        size_t e = i;
        while (e < len && !is_tok_sep(buf[e]))
            e++;
        for (const struct word *w = tok_bucket[(unsigned char)buf[i]]; w; w = w->next)
            if (w->len == e - i && !memcmp(buf + i, w->w, w->len))
                f |= w->flags;
    }
    if (strstr(buf, "caption") || strstr(buf, "credit"))
        f |= NS_CAPTION;
    cache[slot].hash = h;
    cache[slot].flags = f;
    return f;
}
