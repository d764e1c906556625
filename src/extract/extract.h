/*
 * extract.h - page in, article out.
 *
 * td_extract() takes one HTML page as valid UTF-8 (the charset chain in
 * base/charset.h produces that from raw bytes) and finds the article in it:
 * its metadata (title, authors, dates, language, site name, description,
 * lead image with caption and credit) and its body, as plain text and as
 * sanitized HTML.  It knows nothing about feeds, HTTP or storage.
 *
 * Everything the result points to lives in the article's own arena and is
 * freed by td_article_release().  A field that was not found is NULL (for
 * strings) or 0; `text` and `html` are never NULL after a successful call
 * ("" when the page has no article).
 */
#ifndef TD_EXTRACT_H
#define TD_EXTRACT_H

#include "base/compat.h"
#include "base/arena.h"

/* Hard caps that keep hostile pages from costing unbounded time or memory. */
#define TD_EXTRACT_MAX_INPUT (16u << 20) /* bytes of HTML accepted */
#define TD_EXTRACT_MAX_DEPTH 512         /* element nesting walked */

struct td_article_image {
    const char *url;     /* absolute http(s) URL */
    const char *caption; /* the caption without the credit */
    const char *credit;  /* "AP", "Reuters/Jane Doe", ... */
    const char *alt;     /* what the image shows, for those who cannot see it; may be NULL */
};

struct td_article {
    const char *url;         /* canonical URL if the page names one, else the base URL */
    const char *title;
    const char **authors;    /* n_authors names */
    size_t n_authors;
    const char *published;   /* ISO 8601 with offset, e.g. 2025-06-08T10:00:00+00:00 */
    const char *modified;
    const char *language;    /* BCP 47 tag as declared or detected, e.g. "en" */
    const char *site_name;
    const char *description;
    struct td_article_image image;
    const char *text;        /* paragraphs separated by one blank line */
    const char *html;        /* sanitized article HTML (see below) */
    size_t word_count;
    struct td_arena arena;   /* owns every string above */
};

struct td_extract_opts {
    const char *base_url; /* the page's URL, for resolving relative links; may be NULL */
};

/*
 * Extract the article from `html` (`len` bytes of valid UTF-8, not
 * necessarily NUL-terminated).  On success fills `out` and returns 0; the
 * caller then owns `out` and must call td_article_release().  On failure
 * returns TD_ETOOBIG (over TD_EXTRACT_MAX_INPUT), TD_EPARSE or TD_EEMPTY,
 * and `out` needs no release.  Sanitized HTML contains only p, h2-h6,
 * ul/ol/li, blockquote, figure/img/figcaption, a (absolute http(s) href),
 * em/strong, pre/code and table elements, with no attributes but href, src
 * and alt.
 */
int td_extract(const char *html, size_t len, const struct td_extract_opts *opts,
               struct td_article *out);

/* Free everything `a` owns; accepts an article that was never filled. */
void td_article_release(struct td_article *a);

#endif
