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
    "player",
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

static bool has_sub(const char *s, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(s, words[i]))
            return true;
    return false;
}

static bool has_tok(const char *s, const char *const *words, size_t n)
{
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == '-' || *p == '_')
            p++;
        const char *st = p;
        while (*p && *p != ' ' && *p != '-' && *p != '_')
            p++;
        size_t len = (size_t)(p - st);
        if (!len)
            continue;
        for (size_t i = 0; i < n; i++)
            if (strlen(words[i]) == len && !memcmp(st, words[i], len))
                return true;
    }
    return false;
}

/* Lowercased "class id" (truncated) into buf; returns false if both absent. */
static bool names_of(const struct td_html_node *n, char *buf, size_t cap)
{
    struct td_str c = TD_STR_NULL, id = TD_STR_NULL;
    bool any = td_html_attr(n, "class", &c);
    any |= td_html_attr(n, "id", &id);
    if (!any || (!c.len && !id.len))
        return false;
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
    return true;
}

unsigned ex_class_flags(const struct td_html_node *n)
{
    char buf[256];
    unsigned f = 0;
    if (!names_of(n, buf, sizeof(buf)))
        return 0;
    if (has_sub(buf, bad_sub, TD_ARRAY_SIZE(bad_sub)) ||
        has_tok(buf, bad_tok, TD_ARRAY_SIZE(bad_tok)))
        f |= NS_BAD;
    if (has_sub(buf, good_sub, TD_ARRAY_SIZE(good_sub)) ||
        has_tok(buf, good_tok, TD_ARRAY_SIZE(good_tok)))
        f |= NS_GOOD;
    if (strstr(buf, "caption") || strstr(buf, "credit"))
        f |= NS_CAPTION;
    return f;
}
