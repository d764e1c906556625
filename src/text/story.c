/*
 * story.c - the story index (see story.h for the algorithm).
 *
 * Memory per article: its truncated vector (VEC_TERMS terms), title and
 * outlet copies and a few scalars; per story: a truncated centroid and
 * the member list.  Every search is bounded by constants (posting entries
 * scanned, band entries scanned, candidates scored), which is what keeps an
 * addition fast when millions of articles are stored.
 *
 * So is every growth: articles, stories, posting lists and signatures live
 * in chunked arrays (seg.h) that never move what they hold, the hash tables
 * grow a few keys per insertion (map.h), and a posting list keeps only the
 * POSTING_SCAN newest entries, the only ones ever read.  So no addition
 * copies, or touches for the first time, memory in proportion to the index
 * (a first touch costs about 20 us a page on a virtual machine); only a
 * story's member list still doubles, in proportion to that one story.
 */
#include "text/story.h"

#include "base/error.h"
#include "text/fingerprint.h"
#include "text/map.h"
#include "text/seg.h"
#include "text/vector.h"

#include <math.h>

/* The one set of constants (see docs/BENCHMARKS.md, "Story intelligence"). */
#define TITLE_WEIGHT 2.0f           /* a title word counts as this many body words */
#define ENTITY_BOOST 1.5f           /* capitalised / acronym tokens */
#define TEXT_BYTES 12000            /* the body's first bytes used for the vector */
#define VEC_TERMS 40                /* terms kept per article vector */
#define CENTROID_TERMS 120          /* terms kept per story centroid */
#define QUERY_TERMS 12              /* an article's heaviest terms used to find candidates */
#define POST_TERMS 24               /* a story's heaviest terms put in the inverted index */
#define POSTED_MAX 96               /* at most this many terms posted per story */
#define POSTING_SCAN 600            /* newest entries of a posting list scanned (and kept) */
#define CANDIDATES 32               /* stories scored exactly */
#define BAND_SCAN 64                /* newest signatures per MinHash band checked */
#define JOIN_THRESHOLD 0.10         /* cosine with the centroid needed to join */
#define RELATED_DECAY (7.0 * 86400) /* related: time scale of the recency discount */

#define NONE UINT32_MAX

struct article {
    struct td_vec vec; /* unit length, finished */
    uint64_t ref;
    int64_t published;
    uint32_t sig; /* index into the signatures, NONE if the text is too short */
    uint32_t story;
    uint32_t dup_of;
    char *title;
    char *outlet;
};

struct story {
    struct td_vec centroid; /* sum of member vectors, truncated */
    double norm;
    int64_t first, last;
    uint32_t *members, n, alloc;
    uint32_t *posted, nposted; /* term ids with a posting for this story */
    float acc;                 /* best_story's query weight, valid when stamp == gen */
    uint32_t stamp;
    bool exists;
};

/*
 * A posting list: the story ids posted to a term, oldest first, of which
 * only the POSTING_SCAN newest are kept (a ring once full).
 */
struct list {
    uint32_t *ids;
    uint32_t n, alloc; /* entries held (at most POSTING_SCAN), slots */
    uint32_t head;     /* where the next entry goes */
};

/* A MinHash signature, its article and its links to older signatures. */
struct sigrec {
    struct td_minhash sig;
    uint32_t owner;
    uint32_t next[TD_MINHASH_BANDS]; /* older signature with the same band key, or NONE */
};

struct td_story_index {
    int64_t window;
    struct td_analyzer *analyzer;
    struct td_df df;
    struct td_seg articles; /* struct article, by article number */
    struct td_seg stories;  /* struct story, by id; [0] unused */
    size_t nexisting;       /* stories that exist */
    /* inverted index: term -> index of its posting list of story ids */
    struct td_map pindex;
    struct td_seg postings; /* struct list */
    /* MinHash signatures and their band tables: each table maps a band key
     * to the newest signature with it; sigrec.next chains to older ones. */
    struct td_seg sigs; /* struct sigrec */
    struct td_map bands[TD_MINHASH_BANDS];
    uint32_t gen; /* best_story's call number, for story.stamp */
};

static struct article *art(const struct td_story_index *idx, uint32_t n)
{
    return td_seg_at(&idx->articles, n);
}

static struct story *sto(const struct td_story_index *idx, uint32_t id)
{
    return td_seg_at(&idx->stories, id);
}

static struct sigrec *sigrec(const struct td_story_index *idx, uint32_t s)
{
    return td_seg_at(&idx->sigs, s);
}

static void list_push(struct list *l, uint32_t id)
{
    if (l->n == l->alloc && l->alloc < POSTING_SCAN) {
        l->alloc = l->alloc ? TD_MIN(l->alloc * 2, (uint32_t)POSTING_SCAN) : 4;
        l->ids = td_xrealloc(l->ids, l->alloc * sizeof(*l->ids));
    }
    /* Below the cap the list is in order (head == n); at the cap, a ring. */
    l->ids[l->head++] = id;
    if (l->head == POSTING_SCAN)
        l->head = 0;
    if (l->n < l->alloc)
        l->n++;
}

/* The `k`-th newest entry of a list (k < l->n). */
static uint32_t list_newest(const struct list *l, uint32_t k)
{
    return l->ids[(l->head + l->alloc - 1 - k) % l->alloc];
}

struct td_story_index *td_story_index_new(const struct td_story_opts *opts)
{
    struct td_story_index *idx = td_xcalloc(1, sizeof(*idx));
    idx->window = opts ? opts->window : TD_STORY_WINDOW_DEFAULT;
    idx->analyzer = td_analyzer_new();
    td_seg_init(&idx->articles, sizeof(struct article));
    td_seg_init(&idx->stories, sizeof(struct story));
    td_seg_init(&idx->postings, sizeof(struct list));
    td_seg_init(&idx->sigs, sizeof(struct sigrec));
    td_seg_resize(&idx->stories, 1);
    return idx;
}

void td_story_index_free(struct td_story_index *idx)
{
    if (!idx)
        return;
    for (size_t i = 0; i < idx->articles.n; i++) {
        struct article *a = art(idx, (uint32_t)i);
        td_vec_release(&a->vec);
        free(a->title);
        free(a->outlet);
    }
    td_seg_release(&idx->articles);
    for (size_t i = 1; i < idx->stories.n; i++) {
        struct story *s = sto(idx, (uint32_t)i);
        td_vec_release(&s->centroid);
        free(s->members);
        free(s->posted);
    }
    td_seg_release(&idx->stories);
    for (size_t i = 0; i < idx->postings.n; i++)
        free(((struct list *)td_seg_at(&idx->postings, i))->ids);
    td_seg_release(&idx->postings);
    td_map_release(&idx->pindex);
    for (int b = 0; b < TD_MINHASH_BANDS; b++)
        td_map_release(&idx->bands[b]);
    td_seg_release(&idx->sigs);
    td_df_release(&idx->df);
    td_analyzer_free(idx->analyzer);
    free(idx);
}

size_t td_story_index_count(const struct td_story_index *idx)
{
    return idx->articles.n;
}

size_t td_story_index_stories(const struct td_story_index *idx)
{
    return idx->nexisting;
}

uint32_t td_story_index_story_of(const struct td_story_index *idx, uint32_t article)
{
    return article < idx->articles.n ? art(idx, article)->story : 0;
}

uint64_t td_story_index_ref(const struct td_story_index *idx, uint32_t article)
{
    return article < idx->articles.n ? art(idx, article)->ref : 0;
}

size_t td_story_index_story_size(const struct td_story_index *idx, uint32_t id)
{
    return id > 0 && id < idx->stories.n && sto(idx, id)->exists ? sto(idx, id)->n : 0;
}

/* The posting list of a term, created on demand. */
static struct list *posting(struct td_story_index *idx, uint32_t term, bool create)
{
    uint32_t key = term ? term : 1, *slot;
    bool created;

    if (!create) {
        slot = td_map_get(&idx->pindex, key);
        return slot ? td_seg_at(&idx->postings, *slot) : NULL;
    }
    slot = td_map_put(&idx->pindex, key, &created);
    if (created) {
        *slot = (uint32_t)idx->postings.n;
        return td_seg_push(&idx->postings);
    }
    return td_seg_at(&idx->postings, *slot);
}

static struct story *story_get(struct td_story_index *idx, uint32_t id)
{
    td_seg_resize(&idx->stories, (size_t)id + 1);
    return sto(idx, id);
}

static int cmp_term_weight_desc(const void *a, const void *b)
{
    float x = ((const struct td_term *)a)->w, y = ((const struct td_term *)b)->w;
    uint32_t i = ((const struct td_term *)a)->id, j = ((const struct td_term *)b)->id;
    if (x != y)
        return x > y ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* Up to `k` heaviest terms of `v`, heaviest first. */
static size_t top_terms(const struct td_vec *v, struct td_term *out, size_t k)
{
    size_t n = v->n;
    if (n == 0)
        return 0;
    struct td_term *tmp = td_xmalloc(n * sizeof(*tmp));
    memcpy(tmp, v->t, n * sizeof(*tmp));
    qsort(tmp, n, sizeof(*tmp), cmp_term_weight_desc);
    if (n > k)
        n = k;
    memcpy(out, tmp, n * sizeof(*out));
    free(tmp);
    return n;
}

static bool posted_has(const struct story *s, uint32_t term)
{
    for (uint32_t i = 0; i < s->nposted; i++)
        if (s->posted[i] == term)
            return true;
    return false;
}

/* Put the story's heaviest terms that are not yet indexed into the index. */
static void post_story(struct td_story_index *idx, uint32_t id)
{
    struct td_term top[POST_TERMS];
    struct story *s = sto(idx, id);
    size_t n = top_terms(&s->centroid, top, POST_TERMS);

    for (size_t i = 0; i < n && s->nposted < POSTED_MAX; i++) {
        if (posted_has(s, top[i].id))
            continue;
        if (!s->posted)
            s->posted = td_xmalloc(POSTED_MAX * sizeof(*s->posted));
        s->posted[s->nposted++] = top[i].id;
        list_push(posting(idx, top[i].id, true), id);
    }
}

/* Add a member's vector to the centroid: merge, truncate, re-measure. */
static void centroid_add(struct story *s, const struct td_vec *v)
{
    struct td_vec m = TD_VEC_INIT;
    uint32_t i = 0, j = 0;
    const struct td_vec *c = &s->centroid;

    while (i < c->n || j < v->n) {
        if (j == v->n || (i < c->n && c->t[i].id < v->t[j].id)) {
            td_vec_push(&m, c->t[i].id, c->t[i].w);
            i++;
        } else if (i == c->n || v->t[j].id < c->t[i].id) {
            td_vec_push(&m, v->t[j].id, v->t[j].w);
            j++;
        } else {
            td_vec_push(&m, c->t[i].id, c->t[i].w + v->t[j].w);
            i++;
            j++;
        }
    }
    td_vec_keep_top(&m, CENTROID_TERMS);
    td_vec_release(&s->centroid);
    s->centroid = m;
    s->norm = td_vec_norm(&m);
}

static void story_join(struct td_story_index *idx, uint32_t id, uint32_t article,
                       bool update_centroid)
{
    struct story *s = story_get(idx, id);
    struct article *a = art(idx, article);

    if (!s->exists) {
        s->exists = true;
        idx->nexisting++;
        s->first = s->last = 0;
    }
    if (s->n == s->alloc) {
        s->alloc = s->alloc ? s->alloc * 2 : 4;
        s->members = td_xrealloc(s->members, s->alloc * sizeof(*s->members));
    }
    s->members[s->n++] = article;
    if (a->published) {
        if (!s->first || a->published < s->first)
            s->first = a->published;
        if (a->published > s->last)
            s->last = a->published;
    }
    if (update_centroid || s->n == 1) {
        centroid_add(s, &a->vec);
        post_story(idx, id);
    }
    a->story = id;
}

/* The article's TF-IDF vector: sublinear tf, idf from documents so far. */
static void build_vector(struct td_story_index *idx, const struct td_story_article *in,
                         struct td_vec *v)
{
    size_t tl = in->text ? TD_MIN(in->text_len, (size_t)TEXT_BYTES) : 0;

    if (in->title)
        td_vec_add_text(v, idx->analyzer, in->language, in->title, strlen(in->title), TITLE_WEIGHT,
                        ENTITY_BOOST);
    if (tl)
        td_vec_add_text(v, idx->analyzer, in->language, in->text, tl, 1.0f, ENTITY_BOOST);
    td_vec_finish(v);
    td_df_add(&idx->df, v);
    for (uint32_t i = 0; i < v->n; i++) {
        float tf = v->t[i].w;
        v->t[i].w = (float)((tf > 1 ? 1 + log(tf) : tf) * td_df_idf(&idx->df, v->t[i].id));
    }
    td_vec_keep_top(v, VEC_TERMS);
    td_vec_normalize(v);
    /* Shrink to fit: a million of these are kept. */
    if (v->n && v->alloc > v->n) {
        v->t = td_xrealloc(v->t, v->n * sizeof(*v->t));
        v->alloc = v->n;
    }
}

/* The root (original) of an earlier near-duplicate of `sig`, or NONE. */
static uint32_t find_duplicate(struct td_story_index *idx, const struct td_minhash *sig)
{
    uint32_t best = NONE;
    double bestsim = 0;

    for (int b = 0; b < TD_MINHASH_BANDS; b++) {
        const uint32_t *head = td_map_get(&idx->bands[b], td_minhash_band(sig, b));
        if (!head)
            continue;
        uint32_t s = *head;
        for (int k = 0; k < BAND_SCAN && s != NONE; k++) {
            const struct sigrec *r = sigrec(idx, s);
            double sim = td_minhash_similarity(sig, &r->sig);
            uint32_t dup = art(idx, r->owner)->dup_of;
            uint32_t root = dup != NONE ? dup : r->owner;
            if (sim >= TD_MINHASH_NEAR && (sim > bestsim || (sim == bestsim && root < best))) {
                bestsim = sim;
                best = root;
            }
            s = r->next[b];
        }
    }
    return best;
}

/* Store article `num`'s signature and enter it in the band tables. */
static void add_signature(struct td_story_index *idx, uint32_t num, const struct td_minhash *sig)
{
    uint32_t s = (uint32_t)idx->sigs.n;
    struct sigrec *r = td_seg_push(&idx->sigs);
    r->sig = *sig;
    r->owner = num;
    art(idx, num)->sig = s;
    for (int b = 0; b < TD_MINHASH_BANDS; b++) {
        bool created;
        uint32_t *head = td_map_put(&idx->bands[b], td_minhash_band(sig, b), &created);
        r->next[b] = created ? NONE : *head;
        *head = s;
    }
}

static bool in_window(const struct td_story_index *idx, const struct story *s, int64_t t)
{
    if (!idx->window || !t || !s->last)
        return true;
    return t >= s->first - idx->window && t <= s->last + idx->window;
}

/* The best existing story for vector `v` at time `t`, or 0. */
static uint32_t best_story(struct td_story_index *idx, const struct td_vec *v, int64_t t,
                           float *sim)
{
    struct td_term q[QUERY_TERMS];
    size_t nq = top_terms(v, q, QUERY_TERMS);
    uint32_t touched[QUERY_TERMS * POSTING_SCAN];
    size_t nt = 0;
    uint32_t best = 0;
    double bestsim = JOIN_THRESHOLD;

    if (++idx->gen == 0) {
        /* Once in 2^32 calls: no stamp may look current. */
        for (size_t i = 0; i < idx->stories.n; i++)
            sto(idx, (uint32_t)i)->stamp = 0;
        idx->gen = 1;
    }
    for (size_t i = 0; i < nq; i++) {
        struct list *l = posting(idx, q[i].id, false);
        if (!l)
            continue;
        for (uint32_t j = 0; j < l->n; j++) {
            uint32_t s = list_newest(l, j);
            struct story *st = sto(idx, s);
            if (st->stamp != idx->gen) {
                if (!in_window(idx, st, t))
                    continue;
                st->stamp = idx->gen;
                st->acc = 0;
                touched[nt++] = s;
            }
            st->acc += q[i].w;
        }
    }
    /* Score exactly only the stories that share the most query weight. */
    for (size_t c = 0; c < CANDIDATES && c < nt; c++) {
        size_t m = c;
        for (size_t j = c + 1; j < nt; j++)
            if (sto(idx, touched[j])->acc > sto(idx, touched[m])->acc)
                m = j;
        uint32_t s = touched[m];
        touched[m] = touched[c];
        touched[c] = s;
        const struct story *st = sto(idx, s);
        double cs = st->norm > 0 ? td_vec_dot(v, &st->centroid) / st->norm : 0;
        if (cs > bestsim) {
            bestsim = cs;
            best = s;
        }
    }
    *sim = best ? (float)bestsim : 0.0f;
    return best;
}

static char *copy_capped(const char *s, size_t cap)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (n > cap) {
        n = cap;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    return td_xstrndup(s, n);
}

int td_story_index_add(struct td_story_index *idx, const struct td_story_article *in,
                       struct td_story_placed *out)
{
    struct article *a;
    uint32_t num, dup = NONE, story = 0;
    float sim = 0;

    if (idx->articles.n >= TD_STORY_MAX_ARTICLES)
        return TD_ETOOBIG;
    if (in->story && in->story >= TD_STORY_MAX_ARTICLES)
        return TD_EINVAL;
    num = (uint32_t)idx->articles.n;
    a = td_seg_push(&idx->articles);
    a->ref = in->ref;
    a->published = in->published;
    a->dup_of = NONE;
    a->title = copy_capped(in->title, TD_STORY_TITLE_MAX);
    a->outlet = copy_capped(in->outlet, TD_STORY_OUTLET_MAX);
    build_vector(idx, in, &a->vec);

    a->sig = NONE;
    struct td_minhash sig;
    if (in->text && td_minhash(in->text, in->text_len, &sig)) {
        dup = find_duplicate(idx, &sig);
        add_signature(idx, num, &sig);
    }
    if (in->story) {
        story = in->story;
    } else if (dup != NONE) {
        story = art(idx, dup)->story;
    } else {
        story = best_story(idx, &a->vec, in->published, &sim);
    }
    bool fresh = !story || story >= idx->stories.n || !sto(idx, story)->exists;
    if (!story)
        story = (uint32_t)idx->stories.n;
    a->dup_of = dup;
    story_join(idx, story, num, dup == NONE);
    if (out) {
        out->article = num;
        out->story = story;
        out->new_story = fresh;
        out->duplicate_of = dup;
        out->similarity = sim;
    }
    return 0;
}

/* Is `b` the article `a`, or a copy in the same near-duplicate family? */
static bool same_family(const struct td_story_index *idx, uint32_t a, uint32_t b)
{
    const struct article *x = art(idx, a), *y = art(idx, b);
    uint32_t ra = x->dup_of != NONE ? x->dup_of : a, rb = y->dup_of != NONE ? y->dup_of : b;
    if (ra == rb)
        return true;
    return x->sig != NONE && y->sig != NONE &&
           td_minhash_similarity(&sigrec(idx, x->sig)->sig, &sigrec(idx, y->sig)->sig) >=
               TD_MINHASH_NEAR;
}

static double recency(int64_t a, int64_t b)
{
    if (!a || !b)
        return 1.0;
    double d = fabs((double)(a - b));
    return 1.0 / (1.0 + d / RELATED_DECAY);
}

static void member_fill(const struct td_story_index *idx, uint32_t n, float score,
                        struct td_story_member *m)
{
    const struct article *a = art(idx, n);
    m->article = n;
    m->ref = a->ref;
    m->published = a->published;
    m->duplicate_of = a->dup_of;
    m->score = score;
}

static int cmp_timeline_newest(const void *a, const void *b)
{
    const struct td_story_member *x = a, *y = b;
    if (x->published != y->published)
        return x->published > y->published ? -1 : 1;
    return x->article > y->article ? -1 : x->article < y->article;
}

static int cmp_member_score(const void *a, const void *b)
{
    const struct td_story_member *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->article < y->article ? -1 : x->article > y->article;
}

size_t td_story_index_related(struct td_story_index *idx, uint32_t article,
                              struct td_story_member *out, size_t k)
{
    size_t n = 0;
    const struct article *a;
    const struct story *s;

    if (article >= idx->articles.n || k == 0)
        return 0;
    a = art(idx, article);
    s = sto(idx, a->story);
    /* 1. The rest of its story, newest first. */
    for (uint32_t i = s->n; i-- > 0 && n < k;) {
        uint32_t m = s->members[i];
        if (!same_family(idx, article, m))
            member_fill(idx, m, 1.0f, &out[n++]);
    }
    qsort(out, n, sizeof(*out), cmp_timeline_newest);
    /* 2. Then the nearest articles of other stories. */
    return n + td_story_index_neighbours(idx, article, out + n, k - n);
}

size_t td_story_index_neighbours(struct td_story_index *idx, uint32_t article,
                                 struct td_story_member *out, size_t k)
{
    const struct article *a;
    size_t n = 0;

    if (article >= idx->articles.n || k == 0)
        return 0;
    a = art(idx, article);
    /* Candidate stories through the inverted index, then their most recent
     * members scored one by one. */
    struct td_term q[QUERY_TERMS];
    size_t nq = top_terms(&a->vec, q, QUERY_TERMS);
    struct td_story_member *pool = td_xmalloc(CANDIDATES * 16 * sizeof(*pool));
    size_t np = 0;
    uint32_t cand[CANDIDATES];
    size_t nc = 0;
    for (size_t i = 0; i < nq && nc < CANDIDATES; i++) {
        struct list *l = posting(idx, q[i].id, false);
        if (!l)
            continue;
        for (uint32_t j = 0; j < l->n && nc < CANDIDATES; j++) {
            uint32_t sid = list_newest(l, j);
            bool seen = sid == a->story;
            for (size_t c = 0; c < nc && !seen; c++)
                seen = cand[c] == sid;
            if (!seen)
                cand[nc++] = sid;
        }
    }
    for (size_t c = 0; c < nc; c++) {
        const struct story *o = sto(idx, cand[c]);
        uint32_t stop = o->n > 16 ? o->n - 16 : 0;
        for (uint32_t i = o->n; i-- > stop;) {
            uint32_t m = o->members[i];
            const struct article *b = art(idx, m);
            if (same_family(idx, article, m) || b->dup_of != NONE)
                continue;
            double sc = td_vec_dot(&a->vec, &b->vec) * recency(a->published, b->published);
            if (sc <= 0)
                continue;
            member_fill(idx, m, (float)sc, &pool[np++]);
        }
    }
    qsort(pool, np, sizeof(*pool), cmp_member_score);
    for (size_t i = 0; i < np && n < k; i++)
        out[n++] = pool[i];
    free(pool);
    return n;
}

static int cmp_timeline(const void *a, const void *b)
{
    const struct td_story_member *x = a, *y = b;
    if (x->published != y->published) {
        if (!x->published || !y->published)
            return x->published ? -1 : 1;
        return x->published < y->published ? -1 : 1;
    }
    return x->article < y->article ? -1 : x->article > y->article;
}

int td_story_index_story(const struct td_story_index *idx, uint32_t id, struct td_story_info *info)
{
    const struct story *s;
    double best = -1;

    memset(info, 0, sizeof(*info));
    if (id == 0 || id >= idx->stories.n || !sto(idx, id)->exists)
        return TD_ENOTFOUND;
    s = sto(idx, id);
    info->id = id;
    info->first_seen = s->first;
    info->last_seen = s->last;
    info->n_articles = s->n;
    info->timeline = td_xmalloc(s->n * sizeof(*info->timeline));
    info->outlets = td_xmalloc(s->n * sizeof(*info->outlets));
    info->representative = s->members[0];
    for (uint32_t i = 0; i < s->n; i++) {
        uint32_t m = s->members[i];
        const struct article *a = art(idx, m);
        double c = s->norm > 0 ? td_vec_dot(&a->vec, &s->centroid) / s->norm : 0;
        member_fill(idx, m, (float)c, &info->timeline[i]);
        if (a->title && a->title[0] && c > best) {
            best = c;
            info->representative = m;
        }
        if (a->outlet && a->outlet[0]) {
            bool seen = false;
            for (size_t j = 0; j < info->n_outlets && !seen; j++)
                seen = !strcmp(info->outlets[j], a->outlet);
            if (!seen)
                info->outlets[info->n_outlets++] = a->outlet;
        }
    }
    const char *h = art(idx, info->representative)->title;
    info->headline = h ? h : "";
    qsort(info->timeline, s->n, sizeof(*info->timeline), cmp_timeline);
    return 0;
}

void td_story_info_release(struct td_story_info *info)
{
    if (!info)
        return;
    free(info->outlets);
    free(info->timeline);
    memset(info, 0, sizeof(*info));
}
