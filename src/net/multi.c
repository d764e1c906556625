/*
 * multi.c - many fetches at once on a libcurl multi handle, with per-host
 * politeness and one fetch per URL (see net.h for the contract).
 *
 * Jobs wait in a FIFO per host.  Hosts with waiting jobs sit in a ring; each
 * scheduling pass walks the ring once, starting at most one job per host,
 * and repeats until nothing more may start, so hosts share the total limit
 * round-robin.  An easy handle exists only while its job runs: a queue of
 * twenty thousand pages costs twenty thousand small records, not twenty
 * thousand libcurl handles.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/url.h"
#include "net/internal.h"

#include <time.h>

#define MAX_TOTAL_DEFAULT 16
#define MAX_PER_HOST_DEFAULT 2

/* A string-keyed hash table of borrowed keys (the values own them). */
struct table_ent {
    struct table_ent *next;
    const char *key;
    void *val;
};

struct table {
    struct table_ent **buckets;
    size_t nbuckets, count;
};

struct host {
    char *name;
    int active;
    int64_t last_start_ms;
    struct td_net_job *head, *tail; /* waiting jobs */
    struct host *ring_next;         /* in the ring of hosts with waiting jobs */
    bool in_ring;
};

struct td_net_job_state {
    struct td_net_multi *m;
    struct host *host;
    struct td_net_job *next; /* in the host queue or the done queue */
    struct td_net_opts opts; /* strings below are the copies */
    char *etag, *last_modified, *user_agent;
    struct td_net_xfer xfer;
    bool running;
    size_t users_alloc;
};

struct td_net_multi {
    CURLM *curlm;
    struct td_net_multi_opts opts;
    struct table hosts; /* name -> struct host */
    struct table jobs;  /* url -> job, for every job not yet taken */
    struct host *ring;  /* the ring's last element; ring->ring_next is the first */
    struct td_net_job *done_head, *done_tail;
    int active;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void table_grow(struct table *t)
{
    size_t n = t->nbuckets ? t->nbuckets * 2 : 64;
    struct table_ent **b = td_xcalloc(n, sizeof(*b));

    for (size_t i = 0; i < t->nbuckets; i++) {
        for (struct table_ent *e = t->buckets[i], *next; e; e = next) {
            next = e->next;
            size_t h = hash_str(e->key) & (n - 1);
            e->next = b[h];
            b[h] = e;
        }
    }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = n;
}

static void *table_get(const struct table *t, const char *key)
{
    if (!t->nbuckets)
        return NULL;
    for (struct table_ent *e = t->buckets[hash_str(key) & (t->nbuckets - 1)]; e; e = e->next)
        if (!strcmp(e->key, key))
            return e->val;
    return NULL;
}

/* Insert `key` (absent, borrowed from `val`). */
static void table_put(struct table *t, const char *key, void *val)
{
    struct table_ent *e = td_xmalloc(sizeof(*e));

    if (t->count >= t->nbuckets)
        table_grow(t);
    size_t h = hash_str(key) & (t->nbuckets - 1);
    e->key = key;
    e->val = val;
    e->next = t->buckets[h];
    t->buckets[h] = e;
    t->count++;
}

/* Remove the entry for `key` that holds `val`. */
static void table_del(struct table *t, const char *key, const void *val)
{
    if (!t->nbuckets)
        return;
    for (struct table_ent **p = &t->buckets[hash_str(key) & (t->nbuckets - 1)]; *p;
         p = &(*p)->next) {
        if ((*p)->val == val) {
            struct table_ent *e = *p;
            *p = e->next;
            free(e);
            t->count--;
            return;
        }
    }
}

/* Free the table; `free_val` (may be NULL) is called on each value. */
static void table_release(struct table *t, void (*free_val)(void *))
{
    for (size_t i = 0; i < t->nbuckets; i++) {
        for (struct table_ent *e = t->buckets[i], *next; e; e = next) {
            next = e->next;
            if (free_val)
                free_val(e->val);
            free(e);
        }
    }
    free(t->buckets);
    memset(t, 0, sizeof(*t));
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct td_net_multi *td_net_multi_new(const struct td_net_multi_opts *opts)
{
    struct td_net_multi *m = td_xcalloc(1, sizeof(*m));

    if (opts)
        m->opts = *opts;
    if (m->opts.max_total <= 0)
        m->opts.max_total = MAX_TOTAL_DEFAULT;
    if (m->opts.max_per_host <= 0)
        m->opts.max_per_host = MAX_PER_HOST_DEFAULT;
    if (m->opts.host_delay_ms < 0)
        m->opts.host_delay_ms = 0;
    td_net_global_init();
    m->curlm = curl_multi_init();
    if (!m->curlm)
        td_panic(__FILE__, __LINE__, "curl_multi_init failed");
    /* Keep idle connections for reuse: a crawl returns to the same hosts. */
    curl_multi_setopt(m->curlm, CURLMOPT_MAXCONNECTS, (long)m->opts.max_total * 2);
    return m;
}

void td_net_job_free(struct td_net_job *j)
{
    if (!j)
        return;
    if (j->_state) {
        td_net_xfer_release(&j->_state->xfer);
        free(j->_state->etag);
        free(j->_state->last_modified);
        free(j->_state->user_agent);
        free(j->_state);
    }
    td_net_response_release(&j->resp);
    free(j->users);
    free(j->url);
    free(j);
}

static void free_job_val(void *p)
{
    struct td_net_job *j = p;

    if (j->_state->running)
        curl_multi_remove_handle(j->_state->m->curlm, j->_state->xfer.easy);
    td_net_job_free(j);
}

static void free_host_val(void *p)
{
    struct host *h = p;

    free(h->name);
    free(h);
}

void td_net_multi_free(struct td_net_multi *m)
{
    if (!m)
        return;
    table_release(&m->jobs, free_job_val);
    table_release(&m->hosts, free_host_val);
    curl_multi_cleanup(m->curlm);
    free(m);
}

static void add_user(struct td_net_job *j, void *user)
{
    struct td_net_job_state *st = j->_state;

    if (j->nusers == st->users_alloc) {
        st->users_alloc = st->users_alloc ? st->users_alloc * 2 : 2;
        j->users = td_xrealloc(j->users, st->users_alloc * sizeof(*j->users));
    }
    j->users[j->nusers++] = user;
}

static void push_done(struct td_net_multi *m, struct td_net_job *j)
{
    j->_state->next = NULL;
    if (m->done_tail)
        m->done_tail->_state->next = j;
    else
        m->done_head = j;
    m->done_tail = j;
}

static char *dup_opt(const char *s)
{
    return s && *s ? td_xstrdup(s) : NULL;
}

/* The lowercased host of `url`, or "" when it has none we can read. */
static char *host_key(const char *url)
{
    struct td_url u;
    char *h;

    if (td_url_parse(td_str_c(url), &u) < 0)
        return td_xstrdup("");
    h = td_xstrndup(u.host.ptr, u.host.len);
    for (char *p = h; *p; p++)
        *p = (char)td_ascii_lower((unsigned char)*p);
    return h;
}

static struct host *host_get(struct td_net_multi *m, const char *url)
{
    char *name = host_key(url);
    struct host *h = table_get(&m->hosts, name);

    if (h) {
        free(name);
        return h;
    }
    h = td_xcalloc(1, sizeof(*h));
    h->name = name;
    h->last_start_ms = INT64_MIN / 2;
    table_put(&m->hosts, h->name, h);
    return h;
}

static void ring_insert(struct td_net_multi *m, struct host *h)
{
    if (h->in_ring)
        return;
    h->in_ring = true;
    if (!m->ring) {
        h->ring_next = h;
    } else {
        h->ring_next = m->ring->ring_next;
        m->ring->ring_next = h;
    }
    m->ring = h; /* the newcomer goes last */
}

struct td_net_job *td_net_multi_add(struct td_net_multi *m, const char *url,
                                    const struct td_net_opts *opts, void *user)
{
    struct td_net_job *j;
    struct td_net_job_state *st;

    if (!url)
        url = "";
    j = table_get(&m->jobs, url);
    if (j) {
        add_user(j, user);
        return j;
    }
    j = td_xcalloc(1, sizeof(*j));
    st = j->_state = td_xcalloc(1, sizeof(*st));
    j->url = td_xstrdup(url);
    td_net_response_init(&j->resp);
    st->m = m;
    if (opts)
        st->opts = *opts;
    st->opts.etag = st->etag = dup_opt(st->opts.etag);
    st->opts.last_modified = st->last_modified = dup_opt(st->opts.last_modified);
    st->opts.user_agent = st->user_agent = dup_opt(st->opts.user_agent);
    add_user(j, user);
    table_put(&m->jobs, j->url, j);

    /* Validate now, so a hopeless job finishes at once instead of queueing. */
    j->err = td_net_xfer_check(j->url, &st->opts, &j->resp);
    if (j->err) {
        push_done(m, j);
        return j;
    }
    st->host = host_get(m, j->url);
    if (st->host->tail)
        st->host->tail->_state->next = j;
    else
        st->host->head = j;
    st->host->tail = j;
    ring_insert(m, st->host);
    return j;
}

/* Start the first waiting job of `h`. */
static void start_job(struct td_net_multi *m, struct host *h, int64_t now)
{
    struct td_net_job *j = h->head;
    struct td_net_job_state *st = j->_state;

    h->head = st->next;
    if (!h->head)
        h->tail = NULL;
    st->next = NULL;
    j->err = td_net_xfer_setup(&st->xfer, j->url, &st->opts, &j->resp);
    if (j->err) {
        td_net_xfer_release(&st->xfer);
        push_done(m, j);
        return;
    }
    curl_easy_setopt(st->xfer.easy, CURLOPT_PRIVATE, j);
    if (curl_multi_add_handle(m->curlm, st->xfer.easy) != CURLM_OK)
        td_panic(__FILE__, __LINE__, "curl_multi_add_handle failed");
    st->running = true;
    h->active++;
    h->last_start_ms = now;
    m->active++;
}

/*
 * Start jobs round-robin over the waiting hosts while limits allow.
 * Returns how many milliseconds until a host delay lets the next one start
 * (-1 when no job waits on a delay).
 */
static long schedule(struct td_net_multi *m)
{
    int64_t now = now_ms();
    long wake = -1;
    bool progress = true;

    while (progress && m->ring && m->active < m->opts.max_total) {
        size_t n = 0;
        progress = false;
        wake = -1;
        for (struct host *h = m->ring->ring_next;; h = h->ring_next) {
            n++;
            if (h == m->ring)
                break;
        }
        for (size_t i = 0; i < n && m->ring && m->active < m->opts.max_total; i++) {
            struct host *prev = m->ring, *h = prev->ring_next;
            int64_t ready = h->last_start_ms + m->opts.host_delay_ms;
            if (h->active < m->opts.max_per_host) {
                if (now >= ready) {
                    start_job(m, h, now);
                    progress = true;
                } else if (wake < 0 || ready - now < wake) {
                    wake = (long)(ready - now);
                }
            }
            if (h->head) {
                m->ring = h; /* rotate: h goes to the back */
                continue;
            }
            h->in_ring = false; /* no more waiting jobs: leave the ring */
            if (h == prev)
                m->ring = NULL;
            else
                prev->ring_next = h->ring_next;
        }
    }
    return wake;
}

/* Move finished transfers to the done queue. */
static void collect(struct td_net_multi *m)
{
    CURLMsg *msg;
    int left;

    while ((msg = curl_multi_info_read(m->curlm, &left)) != NULL) {
        struct td_net_job *j = NULL;
        if (msg->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
        struct td_net_job_state *st = j->_state;
        j->err = td_net_xfer_finish(&st->xfer, msg->data.result);
        curl_multi_remove_handle(m->curlm, st->xfer.easy);
        td_net_xfer_release(&st->xfer);
        st->running = false;
        st->host->active--;
        m->active--;
        push_done(m, j);
    }
}

static int step(struct td_net_multi *m)
{
    int running;
    CURLMcode rc = curl_multi_perform(m->curlm, &running);

    if (rc != CURLM_OK)
        return TD_ENET;
    collect(m);
    return 0;
}

int td_net_multi_run(struct td_net_multi *m, long timeout_ms)
{
    long wake = schedule(m);
    int err = step(m);

    if (err)
        return err;
    if (!m->done_head && (m->active || wake >= 0)) {
        long wait = timeout_ms < 0 ? 0 : timeout_ms;
        if (wake >= 0 && wake < wait)
            wait = wake;
        if (wait > INT32_MAX)
            wait = INT32_MAX;
        if (curl_multi_poll(m->curlm, NULL, 0, (int)wait, NULL) != CURLM_OK)
            return TD_ENET;
        err = step(m);
        if (err)
            return err;
    }
    /* Fill the slots that finishing transfers freed. */
    if (m->ring) {
        schedule(m);
        err = step(m);
        if (err)
            return err;
    }
    return (int)TD_MIN(m->jobs.count, (size_t)INT32_MAX);
}

void td_net_multi_wakeup(struct td_net_multi *m)
{
    curl_multi_wakeup(m->curlm);
}

struct td_net_job *td_net_multi_next(struct td_net_multi *m)
{
    struct td_net_job *j = m->done_head;

    if (!j)
        return NULL;
    m->done_head = j->_state->next;
    if (!m->done_head)
        m->done_tail = NULL;
    j->_state->next = NULL;
    table_del(&m->jobs, j->url, j);
    return j;
}
