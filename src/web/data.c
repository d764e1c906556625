/*
 * data.c - store records into view structs, teasers, related articles
 * (see data.h).
 */
#include "base/compat.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/utf8.h"
#include "text/summary.h"
#include "web/data.h"

#include <math.h>

#define TEASER_MAX 280
#define RELATED_POOL 300 /* recent articles considered for "Related" */
#define RELATED_TERMS 64 /* terms taken from the article itself */
#define TOPICS_MAX 8     /* popular tags in the home page's header */
#define TOPICS_MIN_ARTICLES 2
#define STORY_KEYPOINTS_DOCS 40 /* members whose key points feed the story's */

static bool isalnum_ascii(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int by_id(const void *a, const void *b)
{
    const struct td_outlet *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

int td_web_outlets_load(struct td_store *st, struct td_arena *a, struct td_web_outlets *o)
{
    int rc = td_store_outlet_list(st, a, &o->items, &o->n);

    if (rc < 0) {
        o->items = NULL;
        o->n = 0;
        return rc;
    }
    qsort(o->items, o->n, sizeof(*o->items), by_id);
    return 0;
}

const struct td_outlet *td_web_outlet_find(const struct td_web_outlets *o, int64_t id)
{
    struct td_outlet key = {.id = id};

    if (!o || !o->n || id <= 0)
        return NULL;
    return bsearch(&key, o->items, o->n, sizeof(*o->items), by_id);
}

const struct td_outlet *td_web_outlet_named(const struct td_web_outlets *o, const char *name)
{
    size_t n = strlen(name);
    bool digits = n > 0 && n < 19 && strspn(name, "0123456789") == n;

    if (digits)
        return td_web_outlet_find(o, strtoll(name, NULL, 10));
    for (size_t i = 0; i < o->n; i++)
        if (td_str_eq_nocase(td_str_c(o->items[i].name), td_str_c(name)))
            return &o->items[i];
    return NULL;
}

/* ---- HTML to text ---------------------------------------------------- */

static bool tag_is(const char *p, const char *name)
{
    size_t n = strlen(name);

    for (size_t i = 0; i < n; i++)
        if (td_ascii_lower((unsigned char)p[i]) != name[i])
            return false;
    return !((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
             (p[n] >= '0' && p[n] <= '9'));
}

static bool block_tag(const char *p)
{
    static const char *const blocks[] = {"p",  "br", "div", "li", "h1",         "h2",     "h3",
                                         "h4", "h5", "h6",  "tr", "blockquote", "section"};

    if (*p == '/')
        p++;
    for (size_t i = 0; i < TD_ARRAY_SIZE(blocks); i++)
        if (tag_is(p, blocks[i]))
            return true;
    return false;
}

/* Decode the entity at `p` (after '&') into `out`; returns bytes consumed after '&', or 0. */
static size_t entity(const char *p, char out[8], size_t *outlen)
{
    static const struct {
        const char *name;
        const char *text;
    } named[] = {{"amp;", "&"},
                 {"lt;", "<"},
                 {"gt;", ">"},
                 {"quot;", "\""},
                 {"apos;", "'"},
                 {"nbsp;", " "},
                 {"mdash;", "\xE2\x80\x94"},
                 {"ndash;", "\xE2\x80\x93"},
                 {"hellip;", "\xE2\x80\xA6"},
                 {"rsquo;", "\xE2\x80\x99"},
                 {"lsquo;", "\xE2\x80\x98"},
                 {"rdquo;", "\xE2\x80\x9D"},
                 {"ldquo;", "\xE2\x80\x9C"}};

    if (*p == '#') {
        char *end;
        bool hex = p[1] == 'x' || p[1] == 'X';
        unsigned long cp = strtoul(p + (hex ? 2 : 1), &end, hex ? 16 : 10);
        if (*end != ';' || end == p + (hex ? 2 : 1))
            return 0;
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (cp < 0x20 && cp != '\n'))
            cp = 0xFFFD;
        *outlen = td_utf8_encode((uint32_t)cp, out);
        return (size_t)(end - p) + 1;
    }
    for (size_t i = 0; i < TD_ARRAY_SIZE(named); i++) {
        size_t n = strlen(named[i].name);
        if (!strncmp(p, named[i].name, n)) {
            *outlen = strlen(named[i].text);
            memcpy(out, named[i].text, *outlen);
            return n;
        }
    }
    return 0;
}

/* Append text, collapsing white space; `para` asks for a paragraph break instead. */
struct textout {
    struct td_buf b;
    int pending; /* 0 none, 1 space, 2 paragraph break */
};

static void emit(struct textout *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (td_is_space((unsigned char)s[i])) {
            if (t->pending < 1)
                t->pending = 1;
            continue;
        }
        if (t->b.len && t->pending) {
            if (td_buf_append_c(&t->b, t->pending == 2 ? "\n\n" : " ") < 0)
                return;
        }
        t->pending = 0;
        if (td_buf_append_ch(&t->b, s[i]) < 0)
            return;
    }
}

static char *html_text(struct td_arena *a, const char *html, size_t max, bool paragraphs)
{
    struct textout t = {TD_BUF_INIT(max + 8), 0};
    const char *p = html ? html : "";

    while (*p && t.b.len < max) {
        if (*p == '<') {
            const char *name = p + 1;
            bool skip_body = tag_is(name, "script") || tag_is(name, "style");
            if (block_tag(name))
                t.pending = paragraphs ? 2 : TD_MAX(t.pending, 1);
            const char *gt = strchr(p, '>');
            if (!gt) {
                p += strlen(p); /* an unclosed tag hides the rest */
                break;
            }
            p = gt + 1;
            if (skip_body) {
                const char *end = p;
                while (*end && !(end[0] == '<' && end[1] == '/' &&
                                 (tag_is(end + 2, "script") || tag_is(end + 2, "style"))))
                    end++;
                p = end;
            }
        } else if (*p == '&') {
            char buf[8];
            size_t n = 0, used = entity(p + 1, buf, &n);
            if (used) {
                emit(&t, buf, n);
                p += used + 1;
            } else {
                emit(&t, p, 1);
                p++;
            }
        } else {
            emit(&t, p, 1);
            p++;
        }
    }
    if (t.b.len > max || *p) {
        /* Cut at a word boundary, never inside a UTF-8 sequence. */
        size_t cut = TD_MIN(t.b.len, max);
        while (cut > 0 && !td_is_space((unsigned char)t.b.buf[cut]) && cut > max / 2)
            cut--;
        while (cut > 0 && ((unsigned char)t.b.buf[cut] & 0xC0) == 0x80)
            cut--;
        td_buf_truncate(&t.b, cut);
        if (td_buf_append_c(&t.b, "\xE2\x80\xA6") < 0)
            td_buf_truncate(&t.b, cut);
    }
    char *out = td_arena_strndup(a, t.b.buf, t.b.len);
    td_buf_release(&t.b);
    return out;
}

char *td_web_plain_text(struct td_arena *a, const char *html, size_t max)
{
    return html_text(a, html, max, false);
}

/* The first `max` bytes of plain text as a teaser, cut at a word. */
static char *text_teaser(struct td_arena *a, const char *text, size_t max)
{
    size_t n = strlen(text);

    if (n <= max)
        return td_arena_strndup(a, text, n);
    return html_text(a, td_arena_strndup(a, text, max + 1), max, false);
}

/* A plausible BCP 47 tag: alphanumeric subtags joined by '-', 2..35 bytes. */
static bool lang_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n < 2 || n > 35 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum_ascii(s[i]) && !(s[i] == '-' && s[i + 1] != '-'))
            return false;
    return true;
}

void td_web_article_view_of(struct td_arena *arena, const struct td_web_outlets *o,
                            const struct td_article *a, struct td_web_article_view *v)
{
    const struct td_outlet *out = td_web_outlet_find(o, a->outlet_id);

    memset(v, 0, sizeof(*v));
    v->id = a->id;
    v->title = a->title;
    v->url = a->url;
    v->outlet_id = a->outlet_id;
    v->outlet = out ? out->name : NULL;
    v->outlet_icon = out ? out->icon_url : NULL;
    v->story_id = a->story_id;
    v->lang = lang_ok(a->language) ? a->language : NULL;
    v->published = (time_t)(a->published ? a->published : a->sort_at);
    v->image_url = a->image_url;
    v->image_caption = a->image_caption;
    v->image_credit = a->image_credit;
    v->image_alt = a->image_alt;
    if (a->n_authors) {
        struct td_buf b = TD_BUF_INIT(TD_STORE_LINE_MAX * 2);
        for (size_t i = 0; i < a->n_authors; i++)
            if ((i && td_buf_append_c(&b, ", ") < 0) || td_buf_append_c(&b, a->authors[i]) < 0)
                break;
        v->author = td_arena_strndup(arena, b.buf, b.len);
        td_buf_release(&b);
    }
    if (a->feed_summary_html)
        v->teaser = td_web_plain_text(arena, a->feed_summary_html, TEASER_MAX);
    else if (a->text)
        v->teaser = text_teaser(arena, a->text, TEASER_MAX);
    if (a->text)
        v->body_text = a->text;
    else if (a->feed_content_html || a->feed_summary_html)
        v->body_text =
            html_text(arena, a->feed_content_html ? a->feed_content_html : a->feed_summary_html,
                      TD_STORE_TEXT_MAX, true);
}

/* ---- related articles ------------------------------------------------- */

/*
 * Words that carry no topic, skipped when matching titles.  Every term of
 * every title in the pool is checked, so the lengths are known up front and
 * longer words never reach the loop.
 */
#define STOPWORD_MAX 5
static bool stopword(struct td_str w)
{
#define W(s)                                                                                       \
    {                                                                                              \
        s, sizeof(s) - 1                                                                           \
    }
    static const struct {
        const char *s;
        size_t n;
    } words[] = {W("the"),   W("and"),  W("for"),  W("with"),  W("from"),  W("that"),  W("this"),
                 W("are"),   W("was"),  W("were"), W("has"),   W("have"),  W("had"),   W("will"),
                 W("its"),   W("into"), W("over"), W("after"), W("about"), W("than"),  W("says"),
                 W("said"),  W("new"),  W("more"), W("not"),   W("but"),   W("his"),   W("her"),
                 W("their"), W("they"), W("you"),  W("your"),  W("our"),   W("who"),   W("what"),
                 W("when"),  W("how"),  W("why"),  W("can"),   W("could"), W("would"), W("been"),
                 W("being"), W("also"), W("just"), W("out"),   W("off"),   W("all"),   W("one"),
                 W("two"),   W("les"),  W("des"),  W("une"),   W("der"),   W("die"),   W("das"),
                 W("und"),   W("los"),  W("las"),  W("del")};
#undef W

    if (w.len > STOPWORD_MAX)
        return false;
    for (size_t i = 0; i < TD_ARRAY_SIZE(words); i++)
        if (w.len == words[i].n && !memcmp(w.ptr, words[i].s, w.len))
            return true;
    return false;
}

/*
 * Up to `max` distinct terms of `s` into `terms` (arena copies, ASCII
 * lowercased): runs of letters, digits and non-ASCII bytes of 3+ bytes
 * that are not stop words.
 */
static size_t terms_of(struct td_arena *a, const char *s, size_t len, struct td_str *terms,
                       size_t max)
{
    size_t n = 0, i = 0;

    while (i < len && n < max) {
        while (i < len && !(((unsigned char)s[i] >= 0x80) || isalnum_ascii(s[i])))
            i++;
        size_t start = i;
        while (i < len && (((unsigned char)s[i] >= 0x80) || isalnum_ascii(s[i])))
            i++;
        if (i - start < 3 || i - start > 64)
            continue;
        char *w = td_arena_alloc(a, i - start + 1);
        for (size_t k = 0; k < i - start; k++)
            w[k] = (char)td_ascii_lower((unsigned char)s[start + k]);
        w[i - start] = '\0';
        struct td_str t = td_str_make(w, i - start);
        if (stopword(t))
            continue;
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = td_str_eq(terms[k], t);
        if (!seen)
            terms[n++] = t;
    }
    return n;
}

struct scored {
    size_t index;
    double score;
};

/*
 * The article's own terms in a small open-addressed table, so that each
 * term of each candidate title costs one probe instead of a comparison
 * with every one of them.  A term can be there twice (from the title and
 * from the text): `dup` chains the second to the first, and both count.
 */
#define MINE_SLOTS 256 /* a power of two, well over 2 * RELATED_TERMS */

struct mine_index {
    int slot[MINE_SLOTS]; /* index into the terms + 1; 0: empty */
    int dup[RELATED_TERMS];
};

static size_t term_hash(struct td_str t)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < t.len; i++)
        h = (h ^ (unsigned char)t.ptr[i]) * 16777619u;
    return h & (MINE_SLOTS - 1);
}

static void mine_index_build(struct mine_index *ix, const struct td_str *mine, size_t n)
{
    memset(ix, 0, sizeof(*ix));
    for (size_t j = 0; j < n; j++) {
        size_t h = term_hash(mine[j]);
        ix->dup[j] = -1;
        while (ix->slot[h] && !td_str_eq(mine[ix->slot[h] - 1], mine[j]))
            h = (h + 1) & (MINE_SLOTS - 1);
        if (!ix->slot[h]) {
            ix->slot[h] = (int)j + 1;
            continue;
        }
        int k = ix->slot[h] - 1;
        while (ix->dup[k] >= 0)
            k = ix->dup[k];
        ix->dup[k] = (int)j;
    }
}

/* The first of the article's terms equal to `t`, or -1; follow `dup` for more. */
static int mine_index_find(const struct mine_index *ix, const struct td_str *mine, struct td_str t)
{
    size_t h = term_hash(t);

    while (ix->slot[h]) {
        if (td_str_eq(mine[ix->slot[h] - 1], t))
            return ix->slot[h] - 1;
        h = (h + 1) & (MINE_SLOTS - 1);
    }
    return -1;
}

static int by_score(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    return (x->score < y->score) - (x->score > y->score);
}

int td_web_related(struct td_store *st, struct td_arena *arena, const struct td_web_outlets *o,
                   const struct td_article *a, size_t max, struct td_web_article_view **out,
                   size_t *n)
{
    struct td_article_filter f = {.limit = RELATED_POOL};
    struct td_article_list list;
    struct td_str mine[RELATED_TERMS];
    size_t nmine = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if ((rc = td_store_article_list(st, &f, arena, &list)) < 0)
        return rc;
    /* The article's own terms: its title, then the opening of its text. */
    if (a->title)
        nmine = terms_of(arena, a->title, strlen(a->title), mine, RELATED_TERMS);
    if (a->text)
        nmine += terms_of(arena, a->text, TD_MIN(strlen(a->text), 600), mine + nmine,
                          RELATED_TERMS - nmine);
    if (nmine == 0 || list.n == 0)
        return 0;

    /* Which candidate titles hold which of our terms; document frequency over the pool. */
    bool *has = td_arena_zalloc(arena, list.n * nmine * sizeof(bool));
    size_t *df = td_arena_zalloc(arena, nmine * sizeof(size_t));
    struct td_str theirs[32];
    struct mine_index *ix = td_arena_alloc(arena, sizeof(*ix));
    mine_index_build(ix, mine, nmine);
    for (size_t i = 0; i < list.n; i++) {
        const char *t = list.items[i].title;
        size_t k = t ? terms_of(arena, t, strlen(t), theirs, TD_ARRAY_SIZE(theirs)) : 0;
        /* A title's terms are distinct, so each of ours is counted once per title. */
        for (size_t m = 0; m < k; m++)
            for (int j = mine_index_find(ix, mine, theirs[m]); j >= 0; j = ix->dup[j]) {
                has[i * nmine + (size_t)j] = true;
                df[j]++;
            }
    }

    /*
     * Score: the sum of the shared terms' IDF (rare terms count most),
     * discounted by distance in time (half weight three days apart).  A
     * candidate needs two shared terms, or one rare one, to count at all.
     */
    struct scored *sc = td_arena_alloc(arena, list.n * sizeof(*sc));
    size_t nsc = 0;
    double pool = (double)list.n;
    for (size_t i = 0; i < list.n; i++) {
        const struct td_article *c = &list.items[i];
        if (c->id == a->id || (c->url && a->url && !strcmp(c->url, a->url)) ||
            (c->title && a->title && !strcmp(c->title, a->title)))
            continue;
        double s = 0;
        size_t shared = 0;
        for (size_t j = 0; j < nmine; j++)
            if (has[i * nmine + j]) {
                s += log((pool + 1) / ((double)df[j] + 0.5));
                shared++;
            }
        if (shared == 0 || (shared < 2 && s < log(pool / 2 + 1)))
            continue;
        double days = fabs((double)(c->sort_at - a->sort_at)) / 86400.0;
        sc[nsc].index = i;
        sc[nsc].score = s / (1.0 + days / 3.0);
        nsc++;
    }
    qsort(sc, nsc, sizeof(*sc), by_score);
    nsc = TD_MIN(nsc, max);
    if (nsc == 0)
        return 0;
    *out = td_arena_zalloc(arena, nsc * sizeof(**out));
    for (size_t i = 0; i < nsc; i++)
        td_web_article_view_of(arena, o, &list.items[sc[i].index], &(*out)[i]);
    *n = nsc;
    return 0;
}

/* ---- key points and tags ---------------------------------------------- */

struct td_web_tag_view *td_web_tag_views(struct td_arena *arena, const struct td_tag *tags,
                                         size_t n)
{
    struct td_web_tag_view *v = n ? td_arena_zalloc(arena, n * sizeof(*v)) : NULL;

    for (size_t i = 0; i < n; i++) {
        v[i].term = tags[i].term;
        v[i].slug = tags[i].slug;
        v[i].kind = td_tag_kind_name(tags[i].kind);
        v[i].articles = tags[i].articles;
    }
    return v;
}

void td_web_article_extras(struct td_store *st, struct td_arena *arena, int64_t id,
                           const char *const **keypoints, size_t *n_keypoints,
                           struct td_web_tag_view **tags, size_t *n_tags)
{
    struct td_tag *t = NULL;
    size_t n = 0;

    if (td_store_keypoints_get(st, id, arena, keypoints, n_keypoints) < 0) {
        *keypoints = NULL;
        *n_keypoints = 0;
    }
    if (td_store_tags_of(st, id, arena, &t, &n) < 0)
        n = 0;
    *tags = td_web_tag_views(arena, t, n);
    *n_tags = n;
}

void td_web_topics(struct td_store *st, struct td_arena *arena, struct td_web_page *page)
{
    struct td_tag *t = NULL;
    size_t n = 0;

    /* Feed categories and names: keywords alone make poor section links. */
    if (td_store_tags_popular(st, (1u << TD_TAG_CATEGORY) | (1u << TD_TAG_ENTITY),
                              TOPICS_MIN_ARTICLES, TOPICS_MAX, arena, &t, &n) < 0)
        n = 0;
    page->topics = td_web_tag_views(arena, t, n);
    page->n_topics = n;
}

size_t td_web_story_keypoints(struct td_store *st, struct td_arena *arena,
                              const struct td_article *members, size_t n, size_t max,
                              const char *const **out)
{
    struct td_keypoints_doc *docs = td_arena_zalloc(arena, (n ? n : 1) * sizeof(*docs));
    struct td_keypoint kp[TD_KEYPOINTS_MAX];
    size_t nd = 0, got;

    *out = NULL;
    for (size_t i = 0; i < n && nd < STORY_KEYPOINTS_DOCS; i++) {
        const char *const *pts;
        size_t np;
        if (members[i].duplicate_of ||
            td_store_keypoints_get(st, members[i].id, arena, &pts, &np) < 0 || np == 0)
            continue;
        /* One point per line: the sentence splitter ends a sentence there. */
        struct td_buf b = TD_BUF_INIT(TD_STORE_KEYPOINTS_MAX * (TD_STORE_LINE_MAX + 1));
        for (size_t k = 0; k < np; k++)
            if (td_buf_append_c(&b, pts[k]) < 0 || td_buf_append_ch(&b, '\n') < 0)
                break;
        docs[nd].title = members[i].title;
        docs[nd].text = td_arena_strndup(arena, b.buf ? b.buf : "", b.len);
        docs[nd].len = b.len;
        docs[nd].lang = members[i].language;
        td_buf_release(&b);
        nd++;
    }
    if (nd == 0)
        return 0;
    struct td_analyzer *a = td_analyzer_new();
    got = td_keypoints_story(a, docs, nd, TD_MIN(max, (size_t)TD_KEYPOINTS_MAX), kp);
    td_analyzer_free(a);
    const char **pts = td_arena_zalloc(arena, (got ? got : 1) * sizeof(*pts));
    for (size_t i = 0; i < got; i++)
        pts[i] = td_arena_strndup(arena, docs[kp[i].doc].text + kp[i].span.off, kp[i].span.len);
    *out = pts;
    return got;
}
