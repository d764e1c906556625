/*
 * story.c - the crawler's story index: placing stored articles into
 * stories and recording the placements (see crawl.h, "stories").
 *
 * The index (text/story.h) is in memory and not thread-safe; it belongs to
 * the crawler's thread, like the store handle it is given, except while a
 * placer (internal.h) runs: then the placer's thread has it, and the
 * crawler's thread only reads chunks and stores what comes back.  Article
 * numbers in the index are dense from 0 in the order of addition, and each
 * carries the database id as its `ref`, so a placement (the original of a
 * copy, the story's representative, the neighbours) maps straight back to
 * article ids.
 */
#include "base/compat.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/log.h"
#include "crawl/crawl.h"
#include "crawl/internal.h"
#include "html/html.h"
#include "store/store.h"
#include "text/story.h"

#include <inttypes.h>
#include <pthread.h>
#include <time.h>

/* Articles read from the store per page. */
#define PAGE_SIZE 200
/* Neighbours in other stories stored per placement. */
#define NEIGHBOURS 8
/* Bytes of a feed summary's text used when extraction failed. */
#define SUMMARY_TEXT_MAX 20000

_Static_assert(NEIGHBOURS <= TD_STORE_RELATED_MAX, "store caps neighbours");

struct td_crawl_stories {
    struct td_story_index *idx; /* NULL until built */
    int64_t next_seq;           /* the next placement's seq */
};

struct td_crawl_stories *td_crawl_stories_new(void)
{
    return td_xcalloc(1, sizeof(struct td_crawl_stories));
}

void td_crawl_stories_free(struct td_crawl_stories *s)
{
    if (!s)
        return;
    td_story_index_free(s->idx);
    free(s);
}

/* The visible text of a feed summary, into `out` (empty when there is none). */
static void summary_text(const char *html, struct td_buf *out)
{
    struct td_html_doc *doc = NULL;

    td_buf_reset(out);
    if (!html || !*html)
        return;
    if (td_html_parse(html, strlen(html), &doc) == 0 && td_html_body(doc))
        td_html_text_content(td_html_body(doc), out);
    td_html_free(doc);
}

/*
 * The engine's view of a stored article: its extracted text, else (the
 * extraction failed) its feed summary as text.  The same function serves
 * placing and rebuilding, so both see the same input.
 */
static void engine_article(const struct td_story_source *src, struct td_buf *tmp,
                           struct td_story_article *a)
{
    *a = (struct td_story_article){
        .ref = (uint64_t)src->id,
        .title = src->title,
        .language = src->language,
        .outlet = src->outlet,
        .published = src->sort_at,
        .story = (uint32_t)src->story_id,
    };
    if (src->text && *src->text) {
        a->text = src->text;
        a->text_len = strlen(src->text);
    } else {
        summary_text(src->feed_summary_html, tmp);
        a->text = tmp->len ? tmp->buf : NULL;
        a->text_len = tmp->len;
    }
}

/* Add the placed articles again, in placement order, with their story ids. */
static int rebuild(struct td_store *st, struct td_crawl_stories *s)
{
    struct td_store_cursor after = {0};
    struct td_buf tmp = TD_BUF_INIT(SUMMARY_TEXT_MAX);
    struct timespec t0, t1;
    int err = 0;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    s->idx = td_story_index_new(NULL);
    s->next_seq = 1;
    for (;;) {
        struct td_arena a;
        struct td_story_source *items;
        size_t n = 0;

        td_arena_init(&a);
        err = td_store_story_sources(st, true, &after, PAGE_SIZE, &a, &items, &n);
        for (size_t i = 0; i < n && err == 0; i++) {
            struct td_story_article art;
            engine_article(&items[i], &tmp, &art);
            if ((err = td_story_index_add(s->idx, &art, NULL)) < 0)
                td_log_err("stories: cannot rebuild article=%" PRId64 " story=%" PRId64
                           " error=\"%s\"",
                           items[i].id, items[i].story_id, td_strerror(err));
            s->next_seq = items[i].seq + 1;
        }
        td_arena_release(&a);
        if (err < 0 || n == 0)
            break;
    }
    td_buf_release(&tmp);
    if (err < 0) {
        if (err != TD_ETOOBIG && err != TD_EINVAL)
            td_log_err("stories: cannot read placed articles error=\"%s\"", td_store_errmsg(st));
        td_story_index_free(s->idx);
        s->idx = NULL;
        return err;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    td_log_info("stories: index rebuilt articles=%zu stories=%zu ms=%lld",
                td_story_index_count(s->idx), td_story_index_stories(s->idx),
                (long long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
    return 0;
}

/*
 * Whether a placement that brought a story to `n` articles looks for the
 * story's representative again.  Finding it visits every member, so doing
 * it on every placement made placing a story's articles quadratic in its
 * size; small stories look every time, bigger ones when their size doubles
 * (a constant cost per placement, amortized), keeping the headline stable
 * in between, which is what a reader wants of a big story anyway.
 */
static bool representative_due(size_t n)
{
    return n <= 16 || (n & (n - 1)) == 0;
}

/* A placement made in the index, to be stored (td_store_story_assign). */
struct placement {
    struct td_story_assign as; /* `related` and `related_score` point nowhere: see assign() */
    int64_t related[NEIGHBOURS];
    double scores[NEIGHBOURS];
};

/* Place one article in the index, taking the next seq; `pl` gets what to store. */
static int place_in_index(struct td_crawl_stories *s, const struct td_story_source *src,
                          struct td_buf *tmp, struct placement *pl)
{
    struct td_story_article art;
    struct td_story_placed p;
    struct td_story_info info;
    struct td_story_member nb[NEIGHBOURS];
    size_t n;
    int err;

    engine_article(src, tmp, &art);
    art.story = 0;
    if ((err = td_story_index_add(s->idx, &art, &p)) < 0) {
        td_log_err("stories: cannot place article=%" PRId64 " error=\"%s\"", src->id,
                   td_strerror(err));
        return err;
    }
    pl->as = (struct td_story_assign){
        .article_id = src->id,
        .story_id = p.story,
        .seq = s->next_seq++,
        .duplicate_of =
            p.duplicate_of == UINT32_MAX ? 0 : (int64_t)td_story_index_ref(s->idx, p.duplicate_of),
    };
    if (representative_due(td_story_index_story_size(s->idx, p.story)) &&
        td_story_index_story(s->idx, p.story, &info) == 0) {
        pl->as.representative_id = (int64_t)td_story_index_ref(s->idx, info.representative);
        td_story_info_release(&info);
    }
    n = td_story_index_neighbours(s->idx, p.article, nb, NEIGHBOURS);
    for (size_t i = 0; i < n; i++) {
        pl->related[i] = (int64_t)nb[i].ref;
        pl->scores[i] = nb[i].score;
    }
    pl->as.n_related = n;
    return 0;
}

/* Store a placement. */
static int assign(struct td_store *st, struct placement *pl)
{
    int err;

    pl->as.related = pl->related;
    pl->as.related_score = pl->scores;
    if ((err = td_store_story_assign(st, &pl->as)) < 0)
        td_log_err("stories: placement not stored article=%" PRId64 " error=\"%s\"",
                   pl->as.article_id, td_store_errmsg(st));
    return err;
}

/* Place one article in the index and record the placement. */
static int place(struct td_store *st, struct td_crawl_stories *s, const struct td_story_source *src,
                 struct td_buf *tmp)
{
    struct placement pl;
    int err;

    if ((err = place_in_index(s, src, tmp, &pl)) < 0)
        return err;
    return assign(st, &pl);
}

int td_crawl_stories_update(struct td_store *st, struct td_crawl_stories *s, size_t *placed)
{
    struct td_store_cursor after = {0};
    struct td_buf tmp = TD_BUF_INIT(SUMMARY_TEXT_MAX);
    size_t count = 0;
    int err = 0;

    if (placed)
        *placed = 0;
    if (!s->idx && (err = rebuild(st, s)) < 0)
        return err;
    for (;;) {
        struct td_arena a;
        struct td_story_source *items;
        size_t n = 0;

        td_arena_init(&a);
        /* One transaction per page: placements are small writes. */
        if ((err = td_store_story_sources(st, false, &after, PAGE_SIZE, &a, &items, &n)) == 0 &&
            n > 0 && (err = td_store_begin(st)) == 0) {
            for (size_t i = 0; i < n && err == 0; i++)
                if ((err = place(st, s, &items[i], &tmp)) == 0)
                    count++;
            if (err == 0)
                err = td_store_commit(st);
            else
                td_store_rollback(st);
        }
        td_arena_release(&a);
        if (err < 0 || n == 0)
            break;
    }
    td_buf_release(&tmp);
    if (err < 0) {
        /* The index holds placements the store may not: start again from the store. */
        td_story_index_free(s->idx);
        s->idx = NULL;
    } else if (count) {
        td_log_info("stories: placed articles=%zu stories=%zu", count,
                    td_story_index_stories(s->idx));
    }
    if (placed)
        *placed = err < 0 ? 0 : count;
    return err;
}

/* ---- placing during a pass (internal.h, "the placer") ---- */

struct td_crawl_placer {
    struct td_crawl_stories *s; /* its index belongs to the thread while it runs */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool quit;
    bool failed; /* the index refused an article: it must be rebuilt */
    /* The chunk being placed, handed over by td_crawl_placer_feed. */
    struct td_arena arena;
    struct td_story_source *in;
    size_t n_in, next_in;
    /* Placements made and not yet taken by td_crawl_placer_write. */
    struct placement *out;
    size_t n_out, cap_out;
};

static void *placer_main(void *arg)
{
    struct td_crawl_placer *p = arg;
    struct td_buf tmp = TD_BUF_INIT(SUMMARY_TEXT_MAX);

    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->next_in == p->n_in && !p->quit)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->quit)
            break;
        const struct td_story_source *src = &p->in[p->next_in];
        struct placement pl;
        pthread_mutex_unlock(&p->mu);
        int err = place_in_index(p->s, src, &tmp, &pl);
        pthread_mutex_lock(&p->mu);
        if (err < 0) {
            p->failed = true;
            p->next_in = p->n_in;
            pthread_cond_broadcast(&p->cv);
            break;
        }
        if (p->n_out == p->cap_out) {
            p->cap_out = p->cap_out ? p->cap_out * 2 : 256;
            p->out = td_xrealloc(p->out, p->cap_out * sizeof(*p->out));
        }
        p->out[p->n_out++] = pl;
        if (++p->next_in == p->n_in)
            pthread_cond_broadcast(&p->cv); /* td_crawl_placer_wait */
    }
    pthread_mutex_unlock(&p->mu);
    td_buf_release(&tmp);
    /* The html module caches a parser per thread (feed summaries): this one is ending. */
    td_html_thread_release();
    return NULL;
}

struct td_crawl_placer *td_crawl_placer_start(struct td_store *st, struct td_crawl_stories *s)
{
    struct td_crawl_placer *p;

    if (!s->idx && rebuild(st, s) < 0)
        return NULL;
    p = td_xcalloc(1, sizeof(*p));
    p->s = s;
    td_arena_init(&p->arena);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&p->thread, NULL, placer_main, p) != 0) {
        td_log_warn("stories: no placing thread, placing after the pass");
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    return p;
}

bool td_crawl_placer_idle(struct td_crawl_placer *p)
{
    bool idle;

    pthread_mutex_lock(&p->mu);
    idle = p->next_in == p->n_in && p->n_out == 0;
    pthread_mutex_unlock(&p->mu);
    return idle;
}

bool td_crawl_placer_has_output(struct td_crawl_placer *p)
{
    bool any;

    pthread_mutex_lock(&p->mu);
    any = p->n_out > 0;
    pthread_mutex_unlock(&p->mu);
    return any;
}

void td_crawl_placer_wait(struct td_crawl_placer *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->next_in < p->n_in)
        pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

bool td_crawl_placer_failed(struct td_crawl_placer *p)
{
    bool failed;

    pthread_mutex_lock(&p->mu);
    failed = p->failed;
    pthread_mutex_unlock(&p->mu);
    return failed;
}

int td_crawl_placer_feed(struct td_store *st, struct td_crawl_placer *p, size_t max)
{
    struct td_store_cursor after = {0};
    struct td_story_source *items;
    size_t n = 0;
    int err;

    if (!td_crawl_placer_idle(p))
        return 0;
    /* The thread is done with the last chunk: its memory can go. */
    td_arena_release(&p->arena);
    td_arena_init(&p->arena);
    if ((err = td_store_story_sources(st, false, &after, max, &p->arena, &items, &n)) < 0) {
        td_log_err("stories: cannot read articles to place error=\"%s\"", td_store_errmsg(st));
        return err;
    }
    pthread_mutex_lock(&p->mu);
    p->in = items;
    p->n_in = n;
    p->next_in = 0;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return (int)n;
}

int td_crawl_placer_write(struct td_store *st, struct td_crawl_placer *p, size_t *written)
{
    struct placement *out;
    size_t n;
    int err = 0;

    *written = 0;
    pthread_mutex_lock(&p->mu);
    out = p->out;
    n = p->n_out;
    p->out = NULL;
    p->n_out = p->cap_out = 0;
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < n && err == 0; i++)
        if ((err = assign(st, &out[i])) == 0)
            (*written)++;
    free(out);
    return err;
}

void td_crawl_placer_stop(struct td_crawl_placer *p, bool discard)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    /* Placements made and not stored: the index is ahead of the store. */
    discard = discard || p->failed || p->n_out > 0 || p->next_in < p->n_in;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    if (discard) {
        td_story_index_free(p->s->idx);
        p->s->idx = NULL;
    }
    free(p->out);
    td_arena_release(&p->arena);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
