/*
 * analyze.c - key points and tags of crawled articles (see analyze.h).
 *
 * Key points are td_keypoints_article's pick: 3 sentences for a short
 * text, 4 from 10 sentences, 5 from 20; a text under 5 sentences gets none
 * (it would be repeated whole).  Tags are the named entities seen at least
 * twice (or in the title) and a few keywords that occur at least four
 * times (a title word counting twice) and are not a word of an entity
 * ("harbour" beside "Harbour City"); both need a slug with a letter or
 * digit.  Without document frequencies at hand the keywords are ranked by
 * frequency alone, which is why they must repeat to count.
 */
#include "base/compat.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/log.h"
#include "crawl/analyze.h"
#include "html/html.h"
#include "text/keywords.h"
#include "text/sentence.h"
#include "text/summary.h"

#include <inttypes.h>
#include <math.h>

#define CANDIDATES 24  /* entities and keywords examined */
#define ENTITIES_MAX 6 /* of TD_CRAWL_TEXT_TAGS_MAX */
#define KEYWORDS_MAX 4
#define KEYWORD_MIN_COUNT 4       /* occurrences, a title word counting twice */
#define FEED_TEXT_MAX (64u << 10) /* feed HTML examined for a page that gave no text */

static bool in_title(const char *title, const char *term)
{
    return title && *term && strstr(title, term) != NULL;
}

/* Add a tag unless its slug is empty or taken; false when the list is full. */
static bool add_tag(struct td_arena *ar, struct td_crawl_analysis *an, const char *term,
                    enum td_tag_kind kind)
{
    char slug[TD_STORE_TAG_MAX + 1];
    size_t n = td_tag_slug(term, strlen(term), slug, sizeof(slug));

    if (an->n_tags == TD_CRAWL_TEXT_TAGS_MAX)
        return false;
    if (n == 0 || strlen(term) > TD_STORE_TAG_MAX)
        return true;
    for (size_t i = 0; i < an->n_tags; i++) {
        const char *t = an->tags[i].slug, *at = strstr(t, slug);
        if (!strcmp(t, slug))
            return true;
        /* A keyword that is a word of an entity adds nothing to it. */
        if (kind == TD_TAG_KEYWORD && an->tags[i].kind == TD_TAG_ENTITY && at &&
            (at == t || at[-1] == '-') && (at[n] == '\0' || at[n] == '-'))
            return true;
    }
    an->tags[an->n_tags++] = (struct td_tag){.term = td_arena_strndup(ar, term, strlen(term)),
                                             .slug = td_arena_strndup(ar, slug, n),
                                             .kind = kind};
    return true;
}

/* Analyse `len` bytes of `text` (and `title`, may be NULL) into `an`, with `own` if not NULL. */
static void analyze(struct td_arena *ar, struct td_analyzer *own, const char *lang,
                    const char *title, const char *text, size_t len, struct td_crawl_analysis *an)
{
    struct td_analyzer *a = own ? own : td_analyzer_new();
    struct td_span spans[TD_CRAWL_KEYPOINTS_MAX];
    struct td_keyword *cand = td_xmalloc(CANDIDATES * sizeof(*cand));
    size_t nsent, n;

    memset(an, 0, sizeof(*an));
    /* Sentences counted up to the threshold of the largest pick only. */
    struct td_span count[20];
    nsent = td_sentences_split(text, len, count, TD_ARRAY_SIZE(count));
    if (nsent >= TD_CRAWL_KEYPOINTS_MIN_SENTENCES) {
        size_t want = nsent >= 20 ? 5 : nsent >= 10 ? 4 : 3;
        n = td_keypoints_article(a, lang, title, text, len, want, spans);
        for (size_t i = 0; i < n; i++)
            if (spans[i].len <= TD_STORE_LINE_MAX)
                an->points[an->n_points++] =
                    td_arena_strndup(ar, text + spans[i].off, spans[i].len);
    }

    n = td_entities_extract(lang, text, len, cand, CANDIDATES);
    for (size_t i = 0; i < n && an->n_tags < ENTITIES_MAX; i++)
        if (cand[i].score >= 2 || in_title(title, cand[i].text))
            add_tag(ar, an, cand[i].text, TD_TAG_ENTITY);
    n = td_keywords_extract(a, lang, title, text, len, NULL, cand, CANDIDATES);
    /* Scores are 1 + ln(occurrences), a title word counting twice. */
    size_t before = an->n_tags;
    for (size_t i = 0; i < n && cand[i].score >= 1 + log(KEYWORD_MIN_COUNT) - 1e-6 &&
                       an->n_tags - before < KEYWORDS_MAX;
         i++)
        if (!add_tag(ar, an, cand[i].text, TD_TAG_KEYWORD))
            break;
    free(cand);
    if (!own)
        td_analyzer_free(a);
}

void td_crawl_analyze_page(struct td_crawl_page *page, struct td_analyzer *a)
{
    if (!page->text)
        return;
    page->analysis = td_arena_zalloc(&page->arena, sizeof(*page->analysis));
    analyze(&page->arena, a, page->language, page->title, page->text, strlen(page->text),
            page->analysis);
}

static int store_analysis(struct td_store *st, int64_t id, const struct td_crawl_analysis *an)
{
    int err;

    if ((err = td_store_keypoints_set(st, id, an->points, an->n_points)) < 0 ||
        (err = td_store_tags_set(st, id, (1u << TD_TAG_ENTITY) | (1u << TD_TAG_KEYWORD), an->tags,
                                 an->n_tags)) < 0)
        td_log_warn("crawl: analysis not stored article=%" PRId64 " error=\"%s\"", id,
                    td_store_errmsg(st));
    return err;
}

/* The visible text of a feed's HTML, in `out`. */
static void feed_text(const char *html, struct td_buf *out)
{
    struct td_html_doc *doc = NULL;

    if (!html || td_html_parse(html, strnlen(html, FEED_TEXT_MAX), &doc) < 0)
        return;
    td_html_text_content(td_html_body(doc), out);
    td_html_free(doc);
}

/* Analyse a stored article (text, else title + feed text) and store the result. */
static int analyze_stored(struct td_store *st, struct td_arena *ar, const struct td_article *art)
{
    struct td_crawl_analysis an;
    struct td_buf b = TD_BUF_INIT(FEED_TEXT_MAX);
    int err;

    if (art->text) {
        analyze(ar, NULL, art->language, art->title, art->text, strlen(art->text), &an);
    } else {
        /* The title opens what the feed said (and so is not counted twice). */
        if (art->title && (td_buf_append_c(&b, art->title) < 0 || td_buf_append_c(&b, ".\n") < 0))
            td_buf_reset(&b);
        feed_text(art->feed_content_html ? art->feed_content_html : art->feed_summary_html, &b);
        analyze(ar, NULL, art->language, NULL, b.buf ? b.buf : "", b.len, &an);
    }
    err = store_analysis(st, art->id, &an);
    td_buf_release(&b);
    return err;
}

int td_crawl_analysis_store(struct td_store *st, int64_t id, const struct td_crawl_analysis *an)
{
    struct td_arena ar;
    struct td_article *art;
    int err;

    if (an)
        return store_analysis(st, id, an);
    td_arena_init(&ar);
    if ((err = td_store_article_get(st, id, &ar, &art)) == 0)
        err = analyze_stored(st, &ar, art);
    td_arena_release(&ar);
    return err;
}

int td_crawl_categories_store(struct td_store *st, int64_t id, const char *const *categories,
                              size_t n)
{
    struct td_tag tags[TD_CRAWL_CATEGORIES_MAX];
    char slugs[TD_CRAWL_CATEGORIES_MAX][TD_STORE_TAG_MAX + 1];
    size_t nt = 0;
    int err;

    for (size_t i = 0; i < n && nt < TD_CRAWL_CATEGORIES_MAX; i++) {
        if (!td_tag_slug(categories[i], strlen(categories[i]), slugs[nt], sizeof(slugs[nt])))
            continue;
        tags[nt].term = categories[i];
        tags[nt].slug = slugs[nt];
        tags[nt].kind = TD_TAG_CATEGORY;
        nt++;
    }
    err = td_store_tags_set(st, id, 1u << TD_TAG_CATEGORY, tags, nt);
    if (err < 0)
        td_log_warn("crawl: categories not stored article=%" PRId64 " error=\"%s\"", id,
                    td_store_errmsg(st));
    return err;
}

int td_crawl_analyze_backlog(struct td_store *st, size_t max)
{
    struct td_arena ar;
    struct td_article *items;
    size_t n = 0, done = 0;
    int64_t after = 0;
    int err = 0;

    while (done < max) {
        td_arena_init(&ar);
        err = td_store_articles_unanalyzed(st, after, TD_MIN(max - done, (size_t)100), &ar, &items,
                                           &n);
        if (err == 0 && n && (err = td_store_begin(st)) == 0) {
            for (size_t i = 0; i < n && err >= 0; i++) {
                /* One article's failure (a bad tag, ...) must not stall the backlog. */
                int e = analyze_stored(st, &ar, &items[i]);
                if (e == TD_EDB || e == TD_ETIMEOUT)
                    err = e;
                after = items[i].id;
            }
            if (err < 0)
                td_store_rollback(st);
            else if ((err = td_store_commit(st)) == 0)
                done += n;
        }
        td_arena_release(&ar);
        if (err < 0 || n == 0)
            break;
    }
    if (err < 0) {
        td_log_err("crawl: analysis backlog stopped error=\"%s\"", td_store_errmsg(st));
        return err;
    }
    return (int)done;
}
