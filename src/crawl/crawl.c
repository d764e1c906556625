/*
 * crawl.c - the crawl pass (see crawl.h): due feeds and pending pages go
 * into one td_net_multi; each finished feed is parsed, its known entries
 * are updated, and its new entries' pages are queued; each finished page is
 * extracted and its entry is stored with it, in one write.  The feed's
 * fetch state (validators, schedule) is written after the last of its new
 * entries, so a crash in between leaves the feed due with its old
 * validators: the next pass fetches it again and finds what is missing.
 * Writes are batched into transactions of a few hundred rows.
 *
 * One thread owns the fetcher and the store handle; fetching overlaps with
 * parsing and writing because libcurl moves every transfer along between
 * two finished jobs.  Extraction, the CPU-heavy step that touches neither,
 * runs on a worker thread so that it overlaps with the database writes;
 * when the worker falls behind, the main thread extracts too.  Placing
 * articles in stories runs on a thread of its own as well (story.c, "the
 * placer"), fed chunks of the stored articles during the pass; its
 * placements are written in the batches like everything else.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/log.h"
#include "crawl/analyze.h"
#include "crawl/crawl.h"
#include "crawl/internal.h"
#include "crawl/policy.h"
#include "html/html.h"
#include "net/net.h"
#include "store/store.h"
#include "text/tokenize.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

_Static_assert(TD_CRAWL_URL_MAX == TD_STORE_URL_MAX, "store caps changed");
_Static_assert(TD_CRAWL_LINE_MAX == TD_STORE_LINE_MAX, "store caps changed");
_Static_assert(TD_CRAWL_TEXT_MAX == TD_STORE_TEXT_MAX, "store caps changed");
_Static_assert(TD_CRAWL_HTML_MAX == TD_STORE_HTML_MAX, "store caps changed");
_Static_assert(TD_CRAWL_AUTHORS_MAX == TD_STORE_AUTHORS_MAX, "store caps changed");

/*
 * Feeds between admission and their last write (fetching, or waiting for
 * their new entries' pages); the due list is read in batches that fill
 * this.  Must stay below TD_STORE_LIST_MAX: these feeds are still due, and
 * a due list made only of them would look like the end of the pass.
 */
#define FEEDS_IN_FLIGHT 200
/*
 * Rows written per transaction, and how long one may stay open.  Each
 * commit writes every page the batch touched (index pages, full-text
 * segments) to the WAL, so bigger batches write each hot page fewer times.
 */
#define BATCH_WRITES 1024
#define BATCH_MS 500
/* Page bytes waiting for the extraction worker before the main thread helps. */
#define WORKER_QUEUE_BYTES (32u << 20)
/*
 * Articles stored before the placer (internal.h) is handed a chunk, and the
 * most it is handed at once.  A pass storing fewer is placed after it, all
 * at once, oldest first; a bigger one in chunks of what has arrived.
 */
#define PLACE_CHUNK_MIN 200
#define PLACE_CHUNK_MAX TD_STORE_LIST_MAX

_Static_assert(FEEDS_IN_FLIGHT < TD_STORE_LIST_MAX, "the due list must reach past the in-flight");

enum work_kind { WORK_FEED, WORK_PAGE };

/*
 * A parsed feed whose new entries wait for their pages (see the top of the
 * file).  It owns the document; the page works point into it.
 */
struct group {
    struct group *prev, *next; /* in crawler.groups */
    int64_t feed_id;
    char *url;            /* the feed's URL, for logs */
    char *moved;          /* a permanent redirect's target, normalized; NULL: none */
    const char *icon_url; /* the icon the feed names, in doc.arena; NULL: none */
    struct td_crawl_doc doc;
    struct td_feed_fetch ff; /* strings in doc.arena */
    size_t pending;          /* pages not stored yet */
    uint64_t first_batch;    /* the transaction of its first write */
    bool lost;               /* a write failed: the feed must be fetched again */
};

/* What a queued fetch is for: the `user` of a td_net_multi job. */
struct work {
    struct work *prev, *next; /* in crawler.works: freed even if never finished */
    enum work_kind kind;
    int64_t feed_id;
    bool allow_private;
    char *url; /* the feed's URL, or the page's */
    /* WORK_FEED */
    char *tz;         /* zone for dates that name none; NULL: UTC */
    int64_t errors;   /* consecutive failures so far */
    int64_t interval; /* current polling interval */
    /* WORK_PAGE: the entry the page belongs to, and what its feed already gave */
    char *entry_key;
    bool has_authors, has_image, has_published;
    int64_t page_attempts; /* failed fetches of the page in earlier passes */
    /* A new entry, stored with its page (NULL: an entry stored by an earlier pass) */
    struct group *group;
    const struct td_crawl_entry *entry;
};

/* A fetched page on its way through extraction to the store. */
struct task {
    struct task *next;
    struct td_net_job *job; /* owns the body */
    struct work **users;    /* the entries that link to the page */
    size_t n_users;
    struct td_crawl_page page;
};

/*
 * The extraction worker and its two queues, guarded by `mu`.  It wakes the
 * main thread when `done` stops being empty: out of the fetcher's wait
 * (td_net_multi_wakeup), or out of worker_wait when nothing is fetching.
 */
struct worker {
    pthread_t thread;
    bool started, quit;
    pthread_mutex_t mu;
    pthread_cond_t cv;      /* todo has a task, or quit */
    pthread_cond_t done_cv; /* done has a task */
    struct td_net_multi *m;
    struct task *todo, **todo_tail;
    struct task *done, **done_tail;
    size_t queued_bytes; /* bodies in todo */
    size_t pending;      /* tasks handed over and not yet taken back */
};

/* A set of feed ids (open addressing; 0 is never an id). */
struct idset {
    int64_t *slots;
    size_t cap, n;
};

struct crawler {
    struct td_store *st;
    const struct td_crawl_opts *o;
    struct td_crawl_stats s;
    struct td_net_multi *m;
    struct idset tried; /* feeds taken from the due list in this pass */
    size_t feeds_in_flight;
    int64_t pass_start;
    uint64_t rng;
    struct work *works;   /* every queued work not yet finished */
    struct group *groups; /* every feed waiting for pages */
    struct worker wk;
    struct td_analyzer *analyzer; /* for pages extracted on this thread; NULL until one is */
    /* The write batch: one transaction, committed by size and age. */
    bool in_tx;
    size_t batch_writes;
    int64_t batch_start_ms;
    uint64_t batch_serial; /* transactions begun */
    uint64_t failed_batch; /* the last one whose commit failed; 0: none */
    /* Stories: the index (the caller's, or own_stories) and its placer. */
    struct td_crawl_stories *stories, *own_stories;
    struct td_crawl_placer *placer; /* NULL: stories are placed after the pass */
    bool placer_broken;             /* a placement was lost: stop, rebuild the index */
    size_t stored_since_chunk;      /* articles written since the placer's last chunk */
};

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t rand32(struct crawler *c)
{
    /* xorshift64*: jitter only needs to differ between feeds. */
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return (uint32_t)((c->rng * 2685821657736338717ull) >> 32);
}

static bool idset_add(struct idset *s, int64_t id)
{
    if ((s->n + 1) * 2 > s->cap) {
        struct idset g = {td_xcalloc(s->cap ? s->cap * 2 : 256, sizeof(int64_t)),
                          s->cap ? s->cap * 2 : 256, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i])
                idset_add(&g, s->slots[i]);
        free(s->slots);
        *s = g;
    }
    size_t i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull) & (s->cap - 1);
    for (; s->slots[i]; i = (i + 1) & (s->cap - 1))
        if (s->slots[i] == id)
            return false;
    s->slots[i] = id;
    s->n++;
    return true;
}

static struct work *work_new(struct crawler *c, enum work_kind kind)
{
    struct work *w = td_xcalloc(1, sizeof(*w));

    w->kind = kind;
    w->next = c->works;
    if (c->works)
        c->works->prev = w;
    c->works = w;
    return w;
}

static void work_free(struct crawler *c, struct work *w)
{
    if (!w)
        return;
    if (w->prev)
        w->prev->next = w->next;
    else
        c->works = w->next;
    if (w->next)
        w->next->prev = w->prev;
    free(w->url);
    free(w->tz);
    free(w->entry_key);
    free(w);
}

/* Take `doc` (and its arena) over into a new group. */
static struct group *group_new(struct crawler *c, const struct work *w, struct td_crawl_doc *doc)
{
    struct group *g = td_xcalloc(1, sizeof(*g));

    g->feed_id = w->feed_id;
    g->url = td_xstrdup(w->url);
    g->doc = *doc;
    memset(doc, 0, sizeof(*doc));
    td_arena_init(&doc->arena);
    /* Its first write goes into the open transaction, or the next one. */
    g->first_batch = c->batch_serial + (c->in_tx ? 0 : 1);
    g->next = c->groups;
    if (c->groups)
        c->groups->prev = g;
    c->groups = g;
    return g;
}

static void group_free(struct crawler *c, struct group *g)
{
    if (g->prev)
        g->prev->next = g->next;
    else
        c->groups = g->next;
    if (g->next)
        g->next->prev = g->prev;
    free(g->url);
    free(g->moved);
    td_crawl_doc_release(&g->doc);
    free(g);
}

static void progress(struct crawler *c)
{
    if (c->o->progress)
        c->o->progress(&c->s, c->o->progress_arg);
}

/* Commit the write batch, if one is open. */
static int batch_commit(struct crawler *c)
{
    int err = 0;

    if (!c->in_tx)
        return 0;
    c->in_tx = false;
    c->batch_writes = 0;
    if ((err = td_store_commit(c->st)) < 0) {
        td_log_err("crawl: commit failed error=\"%s\"", td_store_errmsg(c->st));
        td_store_rollback(c->st);
        c->failed_batch = c->batch_serial;
        c->s.db_errors++;
        /* Placements lost, or articles a chunk was read from: the index is ahead. */
        if (c->placer)
            c->placer_broken = true;
    }
    return err;
}

/* Open the write batch if none is; a failure is counted and logged. */
static int batch_begin(struct crawler *c)
{
    int err;

    if (c->in_tx)
        return 0;
    c->batch_serial++;
    if ((err = td_store_begin(c->st)) < 0) {
        td_log_err("crawl: cannot begin a transaction error=\"%s\"", td_store_errmsg(c->st));
        c->failed_batch = c->batch_serial;
        c->s.db_errors++;
        return err;
    }
    c->in_tx = true;
    c->batch_start_ms = mono_ms();
    return 0;
}

/* After a write: commit when the batch is big enough. */
static void batch_wrote(struct crawler *c)
{
    if (++c->batch_writes >= BATCH_WRITES)
        batch_commit(c);
}

static void queue_feed(struct crawler *c, const struct td_feed *f)
{
    struct work *w = work_new(c, WORK_FEED);
    struct td_net_opts no = {.allow_private = f->allow_private,
                             .timeout_ms = c->o->timeout_ms,
                             .etag = f->etag,
                             .last_modified = f->last_modified};

    w->feed_id = f->id;
    w->allow_private = f->allow_private;
    w->url = td_xstrdup(f->url);
    w->tz = f->tz ? td_xstrdup(f->tz) : NULL;
    w->errors = f->error_count;
    w->interval = f->interval_s;
    td_net_multi_add(c->m, w->url, &no, w);
    c->feeds_in_flight++;
    c->s.feeds_due++;
}

static struct work *queue_page(struct crawler *c, int64_t feed_id, bool allow_private,
                               const char *key, const char *url, bool has_authors, bool has_image,
                               bool has_published)
{
    struct work *w = work_new(c, WORK_PAGE);
    struct td_net_opts no = {.allow_private = allow_private, .timeout_ms = c->o->timeout_ms};

    w->feed_id = feed_id;
    w->allow_private = allow_private;
    w->url = td_xstrdup(url);
    w->entry_key = td_xstrdup(key);
    w->has_authors = has_authors;
    w->has_image = has_image;
    w->has_published = has_published;
    td_net_multi_add(c->m, w->url, &no, w);
    c->s.pages_queued++;
    return w;
}

/*
 * Read the next batch of due feeds into the fetcher.  Returns the number
 * queued; 0 means every due feed has been taken.
 */
static int admit_feeds(struct crawler *c)
{
    struct td_arena a;
    struct td_feed *items;
    size_t n, queued = 0;
    int err;

    td_arena_init(&a);
    err = td_store_feed_list_due(c->st, c->pass_start, TD_STORE_LIST_MAX, &a, &items, &n);
    if (err < 0) {
        td_log_err("crawl: cannot list due feeds error=\"%s\"", td_store_errmsg(c->st));
        goto out;
    }
    /* Feeds in flight are still due until recorded: the set skips them. */
    for (size_t i = 0; i < n && c->feeds_in_flight < FEEDS_IN_FLIGHT; i++)
        if (idset_add(&c->tried, items[i].id)) {
            queue_feed(c, &items[i]);
            queued++;
        }
out:
    td_arena_release(&a);
    return err < 0 ? err : (int)queued;
}

/* Pages of entries stored by an earlier, interrupted pass, and failed pages due for a retry. */
static int queue_pending_pages(struct crawler *c)
{
    struct td_article_filter f = {.page_pending = true, .limit = TD_STORE_LIST_MAX};
    struct td_arena a;
    int64_t cached_feed = 0;
    bool cached_allow = false;
    int err;

    td_arena_init(&a);
    for (;;) {
        struct td_article_list l;

        if ((err = td_store_article_list(c->st, &f, &a, &l)) < 0)
            break;
        for (size_t i = 0; i < l.n; i++) {
            const struct td_article *art = &l.items[i];
            if (art->feed_id != cached_feed) {
                struct td_feed *feed;
                if (td_store_feed_get(c->st, art->feed_id, &a, &feed) < 0)
                    continue;
                cached_feed = art->feed_id;
                cached_allow = feed->allow_private;
            }
            struct work *w =
                queue_page(c, art->feed_id, cached_allow, art->entry_key, art->url,
                           art->n_authors > 0, art->image_url != NULL, art->published != 0);
            w->page_attempts = art->page_attempts;
        }
        if (!l.more)
            break;
        f.after = l.next;
        td_arena_release(&a);
        td_arena_init(&a);
        cached_feed = 0;
    }
    if (err < 0)
        td_log_err("crawl: cannot list pending pages error=\"%s\"", td_store_errmsg(c->st));
    td_arena_release(&a);
    return err;
}

static int64_t fresh_until(const struct td_net_response *r, int64_t now)
{
    long age = r->cache_control ? td_net_max_age(r->cache_control) : -1;

    if (age >= 0)
        return now + age; /* max-age overrides Expires (RFC 9111 5.3) */
    if (r->expires) {
        time_t t = td_net_http_date(r->expires);
        if (t != (time_t)-1 && t > now)
            return (int64_t)t;
    }
    return 0;
}

/* The store article for a feed entry (strings borrowed from `e`). */
static void entry_article(const struct td_crawl_entry *e, int64_t feed_id, struct td_article *a)
{
    *a = (struct td_article){
        .feed_id = feed_id,
        .entry_key = e->key,
        .url = e->url,
        .title = e->title,
        .authors = e->authors,
        .n_authors = e->n_authors,
        .published = e->published,
        .updated = e->updated,
        .date_clamped = e->date_clamped,
        .feed_summary_html = e->summary_html,
        .feed_content_html = e->content_html,
        .image_url = e->image_url,
        .image_caption = e->image_caption,
        .image_credit = e->image_credit,
    };
}

/*
 * What an article's write brings besides its row (analyze.h): the feed
 * entry's categories as tags, and its key points and text tags, which are
 * the page's analysis, a copy of another article's (the same page), or,
 * when the page gave no text, an analysis of the title and the feed's text.
 */
struct extras {
    const struct td_crawl_entry *entry; /* categories from here; NULL: none at hand */
    bool analyse;                       /* key points and text tags too... */
    bool only_new;                      /* ...only when the row is new */
    const struct td_crawl_analysis *an; /* the page's; NULL: analyse the stored row */
    int64_t copy_from;                  /* nonzero: copy this article's analysis instead */
};

/*
 * Write one article in the batch.  A failure of the database itself (not
 * of the row) marks the group lost, so its feed is not recorded as fetched.
 * Every article is stored through here, with its extracted page when it
 * has one (a->text): work on extracted articles hooks in after the upsert,
 * here: `x` (may be NULL) says what goes with the row, written in the same
 * batch.  A failed analysis is logged; the backlog pass redoes it.
 */
static void write_article(struct crawler *c, struct group *g, const struct td_article *a,
                          const struct extras *x)
{
    enum td_store_upsert res;
    int64_t id = 0;
    int err;

    if (batch_begin(c) < 0) {
        if (g)
            g->lost = true;
        return;
    }
    err = td_store_article_upsert(c->st, a, &id, &res);
    if (err < 0) {
        batch_wrote(c);
        c->s.db_errors++;
        td_log_warn("crawl: article not stored url=%s key=\"%s\" error=\"%s\"", a->url,
                    a->entry_key, td_store_errmsg(c->st));
        if (g && (err == TD_EDB || err == TD_ETIMEOUT))
            g->lost = true;
        return;
    }
    if (res == TD_UPSERT_NEW)
        c->s.entries_new++;
    c->stored_since_chunk++;
    if (x && x->entry && res != TD_UPSERT_UNCHANGED &&
        (res == TD_UPSERT_CHANGED || x->entry->n_categories))
        td_crawl_categories_store(c->st, id, x->entry->categories, x->entry->n_categories);
    if (x && x->analyse && (!x->only_new || res == TD_UPSERT_NEW)) {
        if (x->copy_from)
            td_store_analysis_copy(c->st, x->copy_from, id);
        else
            td_crawl_analysis_store(c->st, id, x->an);
    }
    /* After the extras: a commit in between would split them from the row. */
    batch_wrote(c);
}

/*
 * Give the feed's outlet the icon the feed names, if it has none yet (an
 * outlet imported from OPML was never fetched before).  An icon the outlet
 * already has stays: it may come from the site's page, chosen on purpose.
 */
static int record_icon(struct crawler *c, int64_t feed_id, const char *icon_url, struct td_arena *a)
{
    struct td_feed *f;
    struct td_outlet *o;
    int err;

    if ((err = td_store_feed_get(c->st, feed_id, a, &f)) < 0 || !f->outlet_id ||
        (err = td_store_outlet_get(c->st, f->outlet_id, a, &o)) < 0 || o->icon_url)
        return err == TD_ENOTFOUND ? 0 : err;
    struct td_outlet with = {.name = o->name, .site_url = o->site_url, .icon_url = icon_url};
    return td_store_outlet_upsert(c->st, &with, NULL);
}

/*
 * Every new entry's page has been stored (or the feed had none): record
 * the fetch, unless a write of the group's failed, in which case the feed
 * stays due with its old validators and the next pass fetches it again.
 */
static void group_finish(struct crawler *c, struct group *g)
{
    if (g->lost || c->failed_batch >= g->first_batch) {
        td_log_warn("crawl: feed not recorded, will be fetched again url=%s", g->url);
        c->s.db_errors++;
        goto out;
    }
    if (batch_begin(c) < 0)
        goto out;
    if (g->moved) {
        int e2 = td_store_feed_set_url(c->st, g->feed_id, g->moved);
        if (e2 == 0)
            td_log_info("crawl: feed moved permanently from=%s to=%s", g->url, g->moved);
        else
            td_log_warn("crawl: feed moved but not updated from=%s to=%s error=\"%s\"", g->url,
                        g->moved, td_store_errmsg(c->st));
    }
    if (g->icon_url) {
        struct td_arena a;
        td_arena_init(&a);
        if (record_icon(c, g->feed_id, g->icon_url, &a) < 0) {
            c->s.db_errors++;
            td_log_warn("crawl: outlet icon not recorded url=%s icon=%s error=\"%s\"", g->url,
                        g->icon_url, td_store_errmsg(c->st));
        }
        td_arena_release(&a);
    }
    if (td_store_feed_update_fetch(c->st, g->feed_id, &g->ff) < 0) {
        c->s.db_errors++;
        td_log_err("crawl: feed not recorded url=%s error=\"%s\"", g->url, td_store_errmsg(c->st));
    }
    batch_wrote(c);
out:
    group_free(c, g);
    c->feeds_in_flight--;
    c->s.feeds_done++;
}

/*
 * One entry of a parsed feed: a known one is updated now; a new one is
 * stored with its page, which is queued, or copied from another article
 * that already has it (another feed's entry, an earlier crawl).
 */
static void store_entry(struct crawler *c, struct group *g, bool allow_private,
                        const struct td_crawl_entry *e, int64_t now, struct td_arena *a)
{
    struct td_article art, *prev = NULL;
    int64_t id = 0;

    c->s.entries_seen++;
    entry_article(e, g->feed_id, &art);
    if (!e->url) {
        /* Nothing to fetch: the entry lives in the feed only. */
        struct td_buf b = TD_BUF_INIT(TD_STORE_URL_MAX);
        if (td_buf_printf(&b, "%s#%s", g->url, e->key) == 0) {
            art.url = b.buf;
            art.extract_error = "the entry links to no page";
            art.fetched_at = now;
            /* No page: a new entry's analysis is of its title and the feed's text. */
            write_article(c, g, &art,
                          &(struct extras){.entry = e, .analyse = true, .only_new = true});
        }
        td_buf_release(&b);
        return;
    }
    if (td_store_article_find(c->st, g->feed_id, e->key, &id) < 0) {
        c->s.db_errors++;
        td_log_warn("crawl: entry not looked up feed=%s key=\"%s\" error=\"%s\"", g->url, e->key,
                    td_store_errmsg(c->st));
        g->lost = true;
        return;
    }
    if (id) {
        write_article(c, g, &art, &(struct extras){.entry = e});
        return;
    }
    if (td_store_article_get_by_url(c->st, e->url, a, &prev) == 0 && prev->fetched_at &&
        !prev->extract_error && prev->text) {
        art.text = prev->text;
        art.html = prev->html;
        art.language = prev->language;
        art.word_count = prev->word_count;
        art.fetched_at = prev->fetched_at;
        if (!e->n_authors) {
            art.authors = prev->authors;
            art.n_authors = prev->n_authors;
        }
        if (!e->image_url) {
            art.image_url = prev->image_url;
            art.image_caption = prev->image_caption;
            art.image_credit = prev->image_credit;
            art.image_alt = prev->image_alt;
        }
        if (!e->published)
            art.published = prev->published;
        /* The same page: its analysis too. */
        write_article(c, g, &art,
                      &(struct extras){.entry = e, .analyse = true, .copy_from = prev->id});
        c->s.pages_reused++;
        return;
    }
    /*
     * A feed image without a caption counts as no image: the page's lead
     * image comes with its caption and credit.
     */
    struct work *w =
        queue_page(c, g->feed_id, allow_private, e->key, e->url, e->n_authors > 0,
                   e->image_url != NULL && e->image_caption != NULL, e->published != 0);
    w->group = g;
    w->entry = e;
    g->pending++;
}

static void describe_failure(int err, const struct td_net_response *r, char *buf, size_t n)
{
    if (err == TD_EHTTP && r->status)
        snprintf(buf, n, "HTTP %ld%s%s", r->status, r->retry_after ? ", Retry-After: " : "",
                 r->retry_after ? r->retry_after : "");
    else if (r->error[0])
        snprintf(buf, n, "%s", r->error);
    else
        snprintf(buf, n, "%s", td_strerror(err));
}

static void finish_feed(struct crawler *c, struct td_net_job *j, struct work *w)
{
    const struct td_net_response *r = &j->resp;
    int64_t now = (int64_t)time(NULL);
    struct td_crawl_doc doc = {0};
    struct td_feed_fetch ff = {
        .fetched_at = now, .status = (int)r->status, .keep_validators = true};
    struct td_crawl_schedule sc = {.now = now, .random = rand32(c)};
    char why[TD_NET_ERROR_MAX + 64] = "";
    bool parsed = false;
    int err = j->err;

    td_arena_init(&doc.arena);
    if (!err && r->not_modified) {
        c->s.feeds_not_modified++;
    } else if (!err) {
        err = td_crawl_doc_parse(r->body.buf, r->body.len, w->url, r->content_type, w->tz, now,
                                 &doc, why, sizeof(why));
        parsed = err == 0;
    } else {
        describe_failure(err, r, why, sizeof(why));
    }
    if (!err) {
        int64_t *dates = td_xcalloc(doc.n_entries + 1, sizeof(*dates));
        for (size_t i = 0; i < doc.n_entries; i++)
            dates[i] = doc.entries[i].published;
        sc.interval =
            parsed ? td_crawl_interval(dates, doc.n_entries, now, w->interval) : w->interval;
        free(dates);
        sc.fresh_until = fresh_until(r, now);
        sc.ttl_minutes = parsed ? doc.ttl_minutes : 0;
        ff.interval_s = sc.interval;
        if (parsed) {
            ff.keep_validators = false;
            ff.etag = td_crawl_clip(&doc.arena, r->etag, TD_STORE_LINE_MAX);
            ff.last_modified = td_crawl_clip(&doc.arena, r->last_modified, TD_STORE_LINE_MAX);
            ff.title = doc.title;
        }
    } else {
        sc.failed = true;
        sc.errors = w->errors + 1;
        ff.error = td_crawl_clip(&doc.arena, why, TD_STORE_LINE_MAX);
        c->s.feeds_failed++;
        td_log_info("crawl: feed failed url=%s errors=%lld error=\"%s\"", w->url,
                    (long long)sc.errors, why);
    }
    if (r->status == 429 || r->status == 503) {
        time_t t = td_net_retry_after(r->retry_after, now);
        sc.retry_after = t == (time_t)-1 ? 0 : (int64_t)t;
    }
    ff.next_fetch_at = td_crawl_next_fetch(&sc);

    struct group *g = group_new(c, w, &doc);
    g->ff = ff;
    if (r->permanent_url) {
        struct td_buf moved = TD_BUF_INIT(TD_STORE_URL_MAX);
        if (td_crawl_url_norm(r->permanent_url, &moved) == 0 && strcmp(moved.buf, w->url) != 0)
            g->moved = td_buf_detach(&moved, NULL);
        td_buf_release(&moved);
    }
    if (parsed) {
        g->icon_url = g->doc.icon_url;
        struct td_arena a;
        td_arena_init(&a);
        for (size_t i = 0; i < g->doc.n_entries && !g->lost; i++) {
            store_entry(c, g, w->allow_private, &g->doc.entries[i], now, &a);
            td_arena_release(&a);
            td_arena_init(&a);
        }
        td_arena_release(&a);
    }
    /* Feeds whose new entries' pages are in flight are recorded after the last. */
    if (!g->pending)
        group_finish(c, g);
    td_crawl_doc_release(&doc);
}

/*
 * Store what a page gave (or why it gave nothing) for every entry linking
 * to it.  A fetch that failed in a way that may pass (policy.h) leaves the
 * page pending with a retry time, the entry keeping the feed's content
 * meanwhile, until TD_CRAWL_PAGE_ATTEMPTS fetches have failed.
 */
static void store_page(struct crawler *c, struct task *t, const char *error)
{
    const struct td_crawl_page *page = &t->page;
    const struct td_net_response *r = &t->job->resp;
    int64_t now = (int64_t)time(NULL);
    bool fetch_failed = t->job->err || r->not_modified;
    bool retryable = t->job->err && td_crawl_page_retryable(t->job->err, r->status);
    struct td_crawl_schedule sc = {.now = now, .failed = true, .random = rand32(c)};

    if (error) {
        c->s.pages_failed++;
        td_log_debug("crawl: page not extracted url=%s error=\"%s\"", t->job->url, error);
    }
    if (retryable && r->retry_after) {
        time_t ra = td_net_retry_after(r->retry_after, now);
        sc.retry_after = ra == (time_t)-1 ? 0 : (int64_t)ra;
    }
    for (size_t i = 0; i < t->n_users; i++) {
        struct work *w = t->users[i];
        struct td_article a = {.feed_id = w->feed_id, .entry_key = w->entry_key, .url = w->url};
        if (w->group)
            entry_article(w->entry, w->feed_id, &a);
        a.fetched_at = now;
        a.extract_error = error;
        if (!error) {
            a.text = page->text;
            a.html = page->html;
            a.language = page->language;
            a.word_count = page->word_count;
            /* The feed's own metadata wins; the page fills what it lacked. */
            if (!w->has_authors) {
                a.authors = page->authors;
                a.n_authors = page->n_authors;
            }
            if (!w->has_image) {
                a.image_url = page->image_url;
                a.image_caption = page->image_caption;
                a.image_credit = page->image_credit;
                a.image_alt = page->image_alt;
            } else if (a.image_url && page->image_url && !strcmp(a.image_url, page->image_url)) {
                /* The feed's picture is the page's: the page says what it shows. */
                a.image_alt = page->image_alt;
            }
            if (!w->has_published)
                a.published = page->published;
        }
        if (fetch_failed) {
            a.page_attempts = w->page_attempts + 1;
            if (retryable && a.page_attempts < TD_CRAWL_PAGE_ATTEMPTS) {
                sc.errors = a.page_attempts;
                a.fetched_at = 0;
                a.page_retry_at = td_crawl_next_fetch(&sc);
            }
        }
        /*
         * A new entry brings its categories (one stored by an earlier pass
         * has them already).  No text from the page (failed, or waiting for
         * a retry): the analysis falls back on the feed's, until a page
         * replaces it.
         */
        write_article(c, w->group, &a,
                      &(struct extras){.entry = w->group ? w->entry : NULL,
                                       .analyse = true,
                                       .an = error ? NULL : page->analysis});
        if (w->group && --w->group->pending == 0)
            group_finish(c, w->group);
        w->group = NULL;
    }
    c->s.pages_done++;
}

/* Extract and analyse a page, with the calling thread's analyzer. */
static void extract(struct task *t, struct td_analyzer *a)
{
    const struct td_net_response *r = &t->job->resp;

    td_crawl_page_extract(r->body.buf, r->body.len, r->content_type, r->url ? r->url : t->job->url,
                          &t->page);
    td_crawl_analyze_page(&t->page, a);
}

/* Free a task, its job and its works (main thread: works are in c->works). */
static void task_free(struct crawler *c, struct task *t)
{
    for (size_t i = 0; i < t->n_users; i++)
        work_free(c, t->users[i]);
    free(t->users);
    td_crawl_page_release(&t->page);
    td_net_job_free(t->job);
    free(t);
}

static void *worker_main(void *arg)
{
    struct worker *wk = arg;
    struct td_analyzer *a = td_analyzer_new();

    pthread_mutex_lock(&wk->mu);
    for (;;) {
        while (!wk->todo && !wk->quit)
            pthread_cond_wait(&wk->cv, &wk->mu);
        if (wk->quit)
            break;
        struct task *t = wk->todo;
        wk->todo = t->next;
        if (!wk->todo)
            wk->todo_tail = &wk->todo;
        wk->queued_bytes -= t->job->resp.body.len;
        pthread_mutex_unlock(&wk->mu);
        extract(t, a);
        pthread_mutex_lock(&wk->mu);
        t->next = NULL;
        *wk->done_tail = t;
        wk->done_tail = &t->next;
        if (wk->done == t) {
            td_net_multi_wakeup(wk->m);
            pthread_cond_signal(&wk->done_cv);
        }
    }
    pthread_mutex_unlock(&wk->mu);
    td_analyzer_free(a);
    /* The html module caches a parser per thread: this one is ending. */
    td_html_thread_release();
    return NULL;
}

/* Hand a fetched page to the worker; false when its queue is full. */
static bool worker_push(struct worker *wk, struct task *t)
{
    bool ok = false;

    if (!wk->started)
        return false;
    pthread_mutex_lock(&wk->mu);
    if (wk->queued_bytes + t->job->resp.body.len <= WORKER_QUEUE_BYTES) {
        t->next = NULL;
        *wk->todo_tail = t;
        wk->todo_tail = &t->next;
        wk->queued_bytes += t->job->resp.body.len;
        wk->pending++;
        ok = true;
        pthread_cond_signal(&wk->cv);
    }
    pthread_mutex_unlock(&wk->mu);
    return ok;
}

/* Store every page the worker has finished. */
static void collect_extracted(struct crawler *c)
{
    struct worker *wk = &c->wk;
    struct task *t;

    if (!wk->pending)
        return;
    pthread_mutex_lock(&wk->mu);
    t = wk->done;
    wk->done = NULL;
    wk->done_tail = &wk->done;
    pthread_mutex_unlock(&wk->mu);
    while (t) {
        struct task *next = t->next;
        store_page(c, t, t->page.error);
        wk->pending--;
        task_free(c, t);
        progress(c);
        t = next;
    }
}

/* Nothing is being fetched: wait until the worker hands a page back. */
static void worker_wait(struct worker *wk)
{
    pthread_mutex_lock(&wk->mu);
    while (!wk->done)
        pthread_cond_wait(&wk->done_cv, &wk->mu);
    pthread_mutex_unlock(&wk->mu);
}

static void worker_start(struct worker *wk, struct td_net_multi *m)
{
    *wk = (struct worker){.todo_tail = &wk->todo, .done_tail = &wk->done, .m = m};
    pthread_mutex_init(&wk->mu, NULL);
    pthread_cond_init(&wk->cv, NULL);
    pthread_cond_init(&wk->done_cv, NULL);
    wk->started = pthread_create(&wk->thread, NULL, worker_main, wk) == 0;
    if (!wk->started)
        td_log_warn("crawl: no extraction thread, extracting inline");
}

/* Stop the worker and free what it still holds (pages stay pending in the store). */
static void worker_stop(struct crawler *c)
{
    struct worker *wk = &c->wk;

    if (wk->started) {
        pthread_mutex_lock(&wk->mu);
        wk->quit = true;
        pthread_cond_signal(&wk->cv);
        pthread_mutex_unlock(&wk->mu);
        pthread_join(wk->thread, NULL);
    }
    for (struct task **q = (struct task *[]){wk->todo, wk->done}, **end = q + 2; q < end; q++)
        for (struct task *t = *q, *next; t; t = next) {
            next = t->next;
            task_free(c, t);
        }
    pthread_cond_destroy(&wk->cv);
    pthread_cond_destroy(&wk->done_cv);
    pthread_mutex_destroy(&wk->mu);
}

/*
 * A finished fetch: feeds are recorded now; a page goes to the worker for
 * extraction (or is extracted here when the worker is behind, or stored as
 * failed when the fetch failed).  Takes ownership of `j`.
 */
static void finish_job(struct crawler *c, struct td_net_job *j)
{
    struct task *t = td_xcalloc(1, sizeof(*t));
    char why[TD_NET_ERROR_MAX + 64];

    t->job = j;
    t->users = td_xcalloc(j->nusers + 1, sizeof(*t->users));
    td_arena_init(&t->page.arena);
    for (size_t i = 0; i < j->nusers; i++) {
        struct work *w = j->users[i];
        if (w->kind == WORK_FEED) {
            finish_feed(c, j, w);
            work_free(c, w);
        } else {
            t->users[t->n_users++] = w;
        }
    }
    if (t->n_users && (j->err || j->resp.not_modified)) {
        describe_failure(j->err ? j->err : TD_EHTTP, &j->resp, why, sizeof(why));
        store_page(c, t, why);
    } else if (t->n_users) {
        if (worker_push(&c->wk, t))
            return;
        if (!c->analyzer)
            c->analyzer = td_analyzer_new();
        extract(t, c->analyzer);
        store_page(c, t, t->page.error);
    }
    task_free(c, t);
    progress(c);
}

/* Write the placements the placer has made, in the batch. */
static void place_collect(struct crawler *c)
{
    size_t n = 0;

    if (!c->placer || c->placer_broken || !td_crawl_placer_has_output(c->placer))
        return;
    if (batch_begin(c) < 0) {
        c->placer_broken = true;
        return;
    }
    if (td_crawl_placer_write(c->st, c->placer, &n) < 0) {
        c->placer_broken = true;
        c->s.db_errors++;
    }
    c->s.stories_placed += n;
    if (n) {
        c->batch_writes += n - 1;
        batch_wrote(c);
    }
}

/*
 * Keep the placer busy: take back what it placed, and once it is idle and
 * enough articles have been stored, hand it the next chunk.  The chunk is
 * read through the crawler's connection, which sees its own open batch, so
 * it is exactly the articles not placed yet.
 */
static void place_step(struct crawler *c)
{
    if (!c->placer || c->placer_broken)
        return;
    if (td_crawl_placer_failed(c->placer)) {
        c->placer_broken = true;
        return;
    }
    place_collect(c);
    if (c->placer_broken || c->stored_since_chunk < PLACE_CHUNK_MIN ||
        !td_crawl_placer_idle(c->placer))
        return;
    c->stored_since_chunk = 0;
    if (td_crawl_placer_feed(c->st, c->placer, PLACE_CHUNK_MAX) < 0)
        c->placer_broken = true;
}

/*
 * The end of the pass: the chunk in hand is finished and stored (unless
 * the pass was stopped), the placer stopped, and what was stored after its
 * last chunk placed here (td_crawl_stories_update).  A failure waits for
 * the next pass.
 */
static void place_finish(struct crawler *c, bool stopped)
{
    size_t n = 0;

    if (c->placer && !c->placer_broken && !stopped) {
        td_crawl_placer_wait(c->placer);
        place_collect(c);
    }
    if (batch_commit(c) < 0)
        c->placer_broken = true;
    td_crawl_placer_stop(c->placer, c->placer_broken || stopped);
    c->placer = NULL;
    if (stopped)
        return;
    if (td_crawl_stories_update(c->st, c->stories, &n) < 0)
        c->s.db_errors++;
    c->s.stories_placed += n;
}

int td_crawl_run(struct td_store *st, const struct td_crawl_opts *opts,
                 struct td_crawl_stats *stats)
{
    static const struct td_crawl_opts defaults;
    struct td_net_multi_opts mo = {0};
    struct crawler c = {.st = st, .o = opts ? opts : &defaults};
    struct timespec ts;
    bool more_due = true;
    int err = 0;

    mo.max_total = c.o->concurrency > 0 ? c.o->concurrency : TD_CRAWL_CONCURRENCY;
    mo.max_per_host = c.o->per_host > 0 ? c.o->per_host : TD_CRAWL_PER_HOST;
    c.m = td_net_multi_new(&mo);
    c.pass_start = (int64_t)time(NULL);
    clock_gettime(CLOCK_REALTIME, &ts);
    c.rng = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40) ^ 1;

    /* Articles stored before they were analysed (an upgrade): a bounded step per pass. */
    td_crawl_analyze_backlog(st, TD_CRAWL_BACKLOG_PER_PASS);
    c.stories = c.o->stories ? c.o->stories : (c.own_stories = td_crawl_stories_new());
    c.placer = td_crawl_placer_start(st, c.stories);
    worker_start(&c.wk, c.m);
    if ((err = queue_pending_pages(&c)) < 0)
        goto out;
    for (;;) {
        if (c.o->stop && *c.o->stop)
            break;
        if (more_due && c.feeds_in_flight < FEEDS_IN_FLIGHT / 2) {
            int n = admit_feeds(&c);
            if (n < 0) {
                err = n;
                goto out;
            }
            more_due = n > 0;
        }
        /* The worker's pages end the wait too (worker_main). */
        int left = td_net_multi_run(c.m, 100);
        if (left < 0) {
            err = left;
            goto out;
        }
        for (struct td_net_job *j; (j = td_net_multi_next(c.m));)
            finish_job(&c, j);
        collect_extracted(&c);
        place_step(&c);
        /* A batch stays open at most BATCH_MS: readers see progress. */
        if (c.in_tx && mono_ms() - c.batch_start_ms >= BATCH_MS)
            batch_commit(&c);
        if (left == 0 && !more_due && !c.wk.pending)
            break;
        /* Nothing to fetch, and the fetcher does not wait when it has nothing. */
        if (left == 0 && !more_due)
            worker_wait(&c.wk);
    }
out:
    worker_stop(&c);
    if (batch_commit(&c) < 0 && !err)
        err = TD_EDB;
    td_net_multi_free(c.m);
    while (c.works)
        work_free(&c, c.works);
    /* Feeds still waiting for pages stay due: the next pass fetches them again. */
    while (c.groups)
        group_free(&c, c.groups);
    free(c.tried.slots);
    place_finish(&c, err || (c.o->stop && *c.o->stop));
    td_crawl_stories_free(c.own_stories);
    td_analyzer_free(c.analyzer);
    progress(&c);
    if (stats)
        *stats = c.s;
    return err;
}

static int crawl_loop(struct td_store *st, const struct td_crawl_opts *opts)
{
    while (!(opts->stop && *opts->stop)) {
        struct td_crawl_stats s;
        struct td_arena a;
        struct td_feed *next;
        size_t n = 0;
        int err = td_crawl_run(st, opts, &s);

        if (err < 0)
            return err;
        td_log_info("crawl: pass done feeds=%zu failed=%zu not_modified=%zu new_entries=%zu "
                    "pages=%zu",
                    s.feeds_done, s.feeds_failed, s.feeds_not_modified, s.entries_new,
                    s.pages_done);
        /* Sleep until the earliest next fetch, at most a minute. */
        td_arena_init(&a);
        int64_t wait = 60, now = (int64_t)time(NULL);
        if (td_store_feed_list_due(st, INT64_MAX, 1, &a, &next, &n) == 0 && n)
            wait = TD_MAX(1, TD_MIN(wait, next->next_fetch_at - now));
        td_arena_release(&a);
        for (int64_t i = 0; i < wait && !(opts->stop && *opts->stop); i++)
            sleep(1);
    }
    return 0;
}

int td_crawl_loop(struct td_store *st, const struct td_crawl_opts *opts)
{
    struct td_crawl_opts o = *opts;
    struct td_crawl_stories *own = NULL;
    int err;

    /* One story index for every pass: rebuilt once, not once per pass. */
    if (!o.stories)
        o.stories = own = td_crawl_stories_new();
    err = crawl_loop(st, &o);
    td_crawl_stories_free(own);
    return err;
}
