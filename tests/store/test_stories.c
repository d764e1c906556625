/*
 * Tests for the store's story tables (migration 0003): placements and the
 * story aggregates they keep, top-story ranking by outlets and age,
 * timelines, near-duplicates left out of lists and folded in search,
 * related articles, and the story engine's sources for placing and
 * rebuilding, over each back end (test_location.h).
 */
#include "base/compat.h"
#include "base/arena.h"
#include "base/error.h"
#include "store/store.h"

#include "harness/tap.h"
#include "store/test_location.h"

#include <unistd.h>

static char dir[] = "/tmp/td-stories-XXXXXX";

/* A new database of the back end under test (test_location.h), or the test's again. */
static struct td_store *fresh(const char *name)
{
    struct td_store *st = NULL;

    ASSERT_OK(td_store_open(test_location(dir, name), 0, &st));
    return st;
}

/* A feed of a new outlet named `name`; returns the feed id. */
static int64_t outlet_feed(struct td_store *st, const char *name)
{
    char site[128], url[160];
    struct td_outlet o = {.name = name, .site_url = site};
    struct td_feed f = {.url = url};
    int64_t id;

    snprintf(site, sizeof(site), "https://%s.example/", name);
    snprintf(url, sizeof(url), "https://%s.example/rss", name);
    ASSERT_OK(td_store_outlet_upsert(st, &o, &f.outlet_id));
    ASSERT_OK(td_store_feed_add(st, &f, &id, NULL));
    return id;
}

/* An article of `feed` published at `t`, its page dealt with unless `pending`. */
static int64_t article(struct td_store *st, int64_t feed, const char *key, int64_t t, bool pending)
{
    char url[160];
    struct td_article a = {.feed_id = feed,
                           .entry_key = key,
                           .url = url,
                           .title = key,
                           .published = t,
                           .text = pending ? NULL : "Some text.",
                           .fetched_at = pending ? 0 : t};
    int64_t id;

    snprintf(url, sizeof(url), "https://x.example/%" PRId64 "/%s", feed, key);
    ASSERT_OK(td_store_article_upsert(st, &a, &id, NULL));
    return id;
}

static void assign(struct td_store *st, int64_t art, int64_t story, int64_t seq, int64_t dup,
                   int64_t rep)
{
    struct td_story_assign s = {.article_id = art,
                                .story_id = story,
                                .seq = seq,
                                .duplicate_of = dup,
                                .representative_id = rep};
    ASSERT_OK(td_store_story_assign(st, &s));
}

static void test_assign_and_get(void)
{
    struct td_store *st = fresh("assign");
    int64_t f1 = outlet_feed(st, "Alpha"), f2 = outlet_feed(st, "Beta");
    int64_t a1 = article(st, f1, "a1", 1000, false), a2 = article(st, f2, "a2", 2000, false);
    int64_t a3 = article(st, f2, "a3", 3000, false);
    struct td_arena a;
    struct td_story *s;
    struct td_article *got;
    int version;

    td_arena_init(&a);
    ASSERT_OK(td_store_schema_version(st, &version));
    ASSERT_GE(version, test_is_sqlite() ? 3 : 1); /* the migration with these tables */
    assign(st, a1, 7, 1, 0, a1);
    ASSERT_OK(td_store_story_get(st, 7, &a, &s));
    ASSERT_EQ(s->n_articles, 1);
    ASSERT_EQ(s->n_outlets, 1);
    ASSERT_STR_EQ(s->headline, "a1");
    /* A second outlet, then a second article of the same outlet. */
    assign(st, a2, 7, 2, 0, a2);
    assign(st, a3, 7, 3, 0, 0);
    ASSERT_OK(td_store_story_get(st, 7, &a, &s));
    ASSERT_EQ(s->n_articles, 3);
    ASSERT_EQ(s->n_outlets, 2);
    ASSERT_EQ(s->first_seen, 1000);
    ASSERT_EQ(s->last_seen, 3000);
    ASSERT_EQ(s->representative_id, a2); /* 0 kept the stored one */
    ASSERT_STR_EQ(s->headline, "a2");
    ASSERT_EQ(s->n_outlet_names, 2);
    ASSERT_STR_EQ(s->outlets[0], "Alpha");
    ASSERT_STR_EQ(s->outlets[1], "Beta");
    ASSERT_OK(td_store_article_get(st, a3, &a, &got));
    ASSERT_EQ(got->story_id, 7);
    ASSERT_EQ(got->duplicate_of, 0);
    /* Refusals. */
    ASSERT_EQ(td_store_story_get(st, 8, &a, &s), TD_ENOTFOUND);
    struct td_story_assign bad = {.article_id = 999, .story_id = 1, .seq = 9};
    ASSERT_EQ(td_store_story_assign(st, &bad), TD_ENOTFOUND);
    bad.article_id = a1;
    bad.duplicate_of = a1;
    ASSERT_EQ(td_store_story_assign(st, &bad), TD_EINVAL);
    bad.duplicate_of = 0;
    bad.story_id = 0;
    ASSERT_EQ(td_store_story_assign(st, &bad), TD_EINVAL);
    /* A seq is a placement's rank: no two share one. */
    struct td_story_assign twice = {.article_id = a1, .story_id = 7, .seq = 2};
    ASSERT_EQ(td_store_story_assign(st, &twice), TD_EEXIST);
    ASSERT_OK(td_store_article_get(st, a1, &a, &got));
    ASSERT_EQ(got->story_id, 7);
    td_arena_release(&a);
    td_store_close(st);
}

static void test_ranking(void)
{
    struct td_store *st = fresh("ranking");
    int64_t f[4];
    struct td_arena a;
    struct td_story_list l;
    int64_t now = 100 * 86400, h = 3600;

    td_arena_init(&a);
    f[0] = outlet_feed(st, "A");
    f[1] = outlet_feed(st, "B");
    f[2] = outlet_feed(st, "C");
    f[3] = outlet_feed(st, "D");
    /* Story 1: three outlets, a day old.  Story 2: two outlets, an hour old.
     * Story 3: one outlet, now.  Story 4: four outlets, ten days before the
     * newest: past the horizon. */
    int64_t seq = 1;
    for (int i = 0; i < 3; i++)
        assign(st, article(st, f[i], (char[]){'s', '1', (char)('a' + i), 0}, now - 24 * h, false),
               1, seq++, 0, 0);
    for (int i = 0; i < 2; i++)
        assign(st, article(st, f[i], (char[]){'s', '2', (char)('a' + i), 0}, now - h, false), 2,
               seq++, 0, 0);
    assign(st, article(st, f[3], "s3", now, false), 3, seq++, 0, 0);
    for (int i = 0; i < 4; i++)
        assign(st, article(st, f[i], (char[]){'s', '4', (char)('a' + i), 0}, now - 240 * h, false),
               4, seq++, 0, 0);

    /* Scores: 3 / (1 + 24/12) = 1; 2 / (1 + 1/12) = 1.85; 1 / 1 = 1. */
    struct td_story_filter flt = {.now = now};
    ASSERT_OK(td_store_story_list(st, &flt, &a, &l));
    ASSERT_EQ(l.n, 3);
    ASSERT_EQ(l.items[0].id, 2);
    ASSERT(l.items[0].score > 1.84 && l.items[0].score < 1.85);
    ASSERT_EQ(l.items[1].id, 3); /* ties with story 1 at 1.0: the newer first */
    ASSERT_EQ(l.items[2].id, 1);
    ASSERT_EQ(l.items[2].n_outlets, 3);
    ASSERT(!l.more);
    /* Several outlets only, paged. */
    flt.min_outlets = 2;
    flt.limit = 1;
    ASSERT_OK(td_store_story_list(st, &flt, &a, &l));
    ASSERT_EQ(l.n, 1);
    ASSERT_EQ(l.items[0].id, 2);
    ASSERT(l.more);
    flt.offset = 1;
    ASSERT_OK(td_store_story_list(st, &flt, &a, &l));
    ASSERT_EQ(l.n, 1);
    ASSERT_EQ(l.items[0].id, 1);
    ASSERT(!l.more);
    /* Two days later ages weigh less against outlets: 3/7 > 2/(1+49/12) > 1/5. */
    struct td_story_filter later = {.now = now + 48 * h};
    ASSERT_OK(td_store_story_list(st, &later, &a, &l));
    ASSERT_EQ(l.items[0].id, 1);
    ASSERT_EQ(l.items[1].id, 2);
    ASSERT_EQ(l.items[2].id, 3);
    td_arena_release(&a);
    td_store_close(st);
}

static void test_members_duplicates_related(void)
{
    struct td_store *st = fresh("members");
    int64_t f1 = outlet_feed(st, "Wire"), f2 = outlet_feed(st, "Paper"),
            f3 = outlet_feed(st, "Other");
    int64_t orig = article(st, f1, "orig", 1000, false);
    int64_t copy = article(st, f2, "copy", 1500, false);
    int64_t own = article(st, f2, "own", 1200, false);
    int64_t copy2 = article(st, f3, "copy2", 1600, false);
    int64_t far = article(st, f3, "far", 5000, false);
    struct td_arena a;
    struct td_article *items;
    size_t n;

    td_arena_init(&a);
    assign(st, orig, 1, 1, 0, orig);
    assign(st, own, 1, 2, 0, 0);
    assign(st, copy, 1, 3, orig, 0);
    assign(st, copy2, 1, 4, orig, 0);
    int64_t rel[] = {orig};
    double score[] = {0.5};
    struct td_story_assign s = {.article_id = far,
                                .story_id = 2,
                                .seq = 5,
                                .representative_id = far,
                                .related = rel,
                                .related_score = score,
                                .n_related = 1};
    ASSERT_OK(td_store_story_assign(st, &s));

    /* The timeline: every member, copies included, oldest first. */
    ASSERT_OK(td_store_story_members(st, 1, &a, &items, &n));
    ASSERT_EQ(n, 4);
    ASSERT_EQ(items[0].id, orig);
    ASSERT_EQ(items[1].id, own);
    ASSERT_EQ(items[2].id, copy);
    ASSERT_EQ(items[2].duplicate_of, orig);
    ASSERT_EQ(items[3].id, copy2);
    ASSERT_OK(td_store_article_copies(st, orig, &a, &items, &n));
    ASSERT_EQ(n, 2);
    ASSERT_EQ(items[0].id, copy);
    ASSERT_EQ(items[1].id, copy2);

    /* Lists of originals leave the copies out. */
    struct td_article_filter f = {.originals_only = true};
    struct td_article_list l;
    ASSERT_OK(td_store_article_list(st, &f, &a, &l));
    ASSERT_EQ(l.n, 3);
    for (size_t i = 0; i < l.n; i++)
        ASSERT(l.items[i].id != copy && l.items[i].id != copy2);
    f.originals_only = false;
    ASSERT_OK(td_store_article_list(st, &f, &a, &l));
    ASSERT_EQ(l.n, 5);

    /* Related to the original: the rest of its story, then neighbours, never a copy. */
    ASSERT_OK(td_store_story_related(st, orig, 10, &a, &items, &n));
    ASSERT_EQ(n, 2);
    ASSERT_EQ(items[0].id, own);
    ASSERT_EQ(items[1].id, far);
    /* Related to a copy: never its original nor the other copy. */
    ASSERT_OK(td_store_story_related(st, copy, 10, &a, &items, &n));
    ASSERT_EQ(n, 1);
    ASSERT_EQ(items[0].id, own);
    /* The neighbour learnt its neighbour too (stored both ways). */
    ASSERT_OK(td_store_story_related(st, far, 10, &a, &items, &n));
    ASSERT_EQ(n, 1);
    ASSERT_EQ(items[0].id, orig);
    ASSERT_OK(td_store_story_related(st, far, 1, &a, &items, &n));
    ASSERT_EQ(n, 1);
    td_arena_release(&a);
    td_store_close(st);
}

/*
 * Several neighbours in one placement: each stored both ways with its own
 * score, so the related list ranks them by score, and each lists the
 * placed article back.
 */
static void test_related_many(void)
{
    struct td_store *st = fresh("related-many");
    int64_t f = outlet_feed(st, "many");
    int64_t placed = article(st, f, "placed", 1000, false);
    int64_t nb[3] = {article(st, f, "low", 1100, false), article(st, f, "high", 1200, false),
                     article(st, f, "mid", 1300, false)};
    double score[3] = {0.2, 0.9, 0.5};
    struct td_arena a;
    struct td_article *items;
    size_t n;

    td_arena_init(&a);
    for (int i = 0; i < 3; i++)
        assign(st, nb[i], 2 + i, 1 + i, 0, nb[i]);
    struct td_story_assign s = {.article_id = placed,
                                .story_id = 1,
                                .seq = 4,
                                .representative_id = placed,
                                .related = nb,
                                .related_score = score,
                                .n_related = 3};
    ASSERT_OK(td_store_story_assign(st, &s));
    ASSERT_OK(td_store_story_related(st, placed, 10, &a, &items, &n));
    ASSERT_EQ(n, 3);
    ASSERT_EQ(items[0].id, nb[1]);
    ASSERT_EQ(items[1].id, nb[2]);
    ASSERT_EQ(items[2].id, nb[0]);
    for (int i = 0; i < 3; i++) {
        ASSERT_OK(td_store_story_related(st, nb[i], 10, &a, &items, &n));
        ASSERT_EQ(n, 1);
        ASSERT_EQ(items[0].id, placed);
    }
    td_arena_release(&a);
    td_store_close(st);
}

/* An article of `feed` with its own title and text. */
static int64_t written(struct td_store *st, int64_t feed, const char *key, const char *title,
                       const char *text)
{
    char url[160];
    struct td_article a = {.feed_id = feed,
                           .entry_key = key,
                           .url = url,
                           .title = title,
                           .published = 1000,
                           .text = text,
                           .fetched_at = 1000};
    int64_t id;

    snprintf(url, sizeof(url), "https://x.example/%" PRId64 "/%s", feed, key);
    ASSERT_OK(td_store_article_upsert(st, &a, &id, NULL));
    return id;
}

/* Search shows a family of near-duplicates once: the original if it matched. */
static void test_search_folds_copies(void)
{
    struct td_store *st = fresh("search");
    int64_t f1 = outlet_feed(st, "Wire"), f2 = outlet_feed(st, "Paper"),
            f3 = outlet_feed(st, "Other");
    const char *text = "Engineers opened every spillway gate of the Miller Dam at night.";
    int64_t orig = written(st, f1, "orig", "Dam gates opened", text);
    int64_t copy = written(st, f2, "copy", "Dam gates opened", text);
    int64_t copy2 = written(st, f3, "copy2", "Dam gates opened, a hydrology copy", text);
    int64_t other = written(st, f3, "other", "Another spillway", "A spillway elsewhere.");
    int64_t outlet2;
    struct td_search_result r;
    struct td_arena a;

    td_arena_init(&a);
    assign(st, orig, 1, 1, 0, orig);
    assign(st, copy, 1, 2, orig, 0);
    assign(st, copy2, 1, 3, orig, 0);
    assign(st, other, 2, 4, 0, other);
    /* All four match: the family once, as its original. */
    ASSERT_OK(td_store_search(st, "spillway", NULL, &a, &r));
    ASSERT_EQ(r.n, 2);
    ASSERT(r.hits[0].id == orig || r.hits[1].id == orig);
    ASSERT(r.hits[0].id == other || r.hits[1].id == other);
    ASSERT(r.hits[0].snippet != NULL && r.hits[1].snippet != NULL);
    /* Only a copy matches: that copy. */
    ASSERT_OK(td_store_search(st, "hydrology", NULL, &a, &r));
    ASSERT_EQ(r.n, 1);
    ASSERT_EQ(r.hits[0].id, copy2);
    /* One outlet's search: its copy stands for the family. */
    struct td_article *got;
    ASSERT_OK(td_store_article_get(st, copy, &a, &got));
    outlet2 = got->outlet_id;
    struct td_search_opts o = {.outlet_id = outlet2};
    ASSERT_OK(td_store_search(st, "spillway", &o, &a, &r));
    ASSERT_EQ(r.n, 1);
    ASSERT_EQ(r.hits[0].id, copy);
    /* Paging counts families. */
    struct td_search_opts page2 = {.limit = 1, .offset = 1};
    ASSERT_OK(td_store_search(st, "spillway", &page2, &a, &r));
    ASSERT_EQ(r.n, 1);
    td_arena_release(&a);
    td_store_close(st);
}

static void test_sources(void)
{
    struct td_store *st = fresh("sources");
    int64_t f1 = outlet_feed(st, "Src");
    int64_t late = article(st, f1, "late", 3000, false);
    int64_t early = article(st, f1, "early", 1000, false);
    int64_t pending = article(st, f1, "pending", 2000, true);
    struct td_arena a;
    struct td_story_source *items;
    struct td_store_cursor c = {0};
    size_t n;

    td_arena_init(&a);
    /* Waiting: pages dealt with, oldest first; the pending page waits. */
    ASSERT_OK(td_store_story_sources(st, false, &c, 1, &a, &items, &n));
    ASSERT_EQ(n, 1);
    ASSERT_EQ(items[0].id, early);
    ASSERT_STR_EQ(items[0].outlet, "Src");
    ASSERT_STR_EQ(items[0].text, "Some text.");
    ASSERT_OK(td_store_story_sources(st, false, &c, 1, &a, &items, &n));
    ASSERT_EQ(n, 1);
    ASSERT_EQ(items[0].id, late);
    ASSERT_OK(td_store_story_sources(st, false, &c, 1, &a, &items, &n));
    ASSERT_EQ(n, 0);
    (void)pending;
    /* Placed: in seq order, with their stories. */
    assign(st, late, 4, 1, 0, late);
    assign(st, early, 9, 2, 0, early);
    memset(&c, 0, sizeof(c));
    ASSERT_OK(td_store_story_sources(st, true, &c, 10, &a, &items, &n));
    ASSERT_EQ(n, 2);
    ASSERT_EQ(items[0].id, late);
    ASSERT_EQ(items[0].story_id, 4);
    ASSERT_EQ(items[1].id, early);
    ASSERT_EQ(items[1].seq, 2);
    ASSERT_OK(td_store_story_sources(st, true, &c, 10, &a, &items, &n));
    ASSERT_EQ(n, 0);
    memset(&c, 0, sizeof(c));
    ASSERT_OK(td_store_story_sources(st, false, &c, 10, &a, &items, &n));
    ASSERT_EQ(n, 0);
    td_arena_release(&a);
    td_store_close(st);
}

/*
 * A first placement updates the story row from its new member alone; an
 * article placed again (moved to another story) has both stories counted
 * again from their members.
 */
static void test_counts_follow_moves(void)
{
    struct td_store *st = fresh("moves");
    int64_t f1 = outlet_feed(st, "Gamma"), f2 = outlet_feed(st, "Delta");
    int64_t a1 = article(st, f1, "m1", 5000, false), a2 = article(st, f2, "m2", 4000, false);
    int64_t a3 = article(st, f1, "m3", 6000, false);
    struct td_arena a;
    struct td_story *s;

    td_arena_init(&a);
    assign(st, a1, 1, 1, 0, a1);
    assign(st, a2, 1, 2, 0, 0);
    assign(st, a3, 1, 3, 0, 0);
    ASSERT_OK(td_store_story_get(st, 1, &a, &s));
    ASSERT_EQ(s->n_articles, 3);
    ASSERT_EQ(s->n_outlets, 2);
    ASSERT_EQ(s->first_seen, 4000); /* an older member lowers first_seen */
    ASSERT_EQ(s->last_seen, 6000);
    /* m2, Delta's only article, moves to story 2. */
    assign(st, a2, 2, 4, 0, a2);
    ASSERT_OK(td_store_story_get(st, 1, &a, &s));
    ASSERT_EQ(s->n_articles, 2);
    ASSERT_EQ(s->n_outlets, 1);
    ASSERT_EQ(s->first_seen, 5000);
    ASSERT_OK(td_store_story_get(st, 2, &a, &s));
    ASSERT_EQ(s->n_articles, 1);
    ASSERT_EQ(s->n_outlets, 1);
    ASSERT_EQ(s->first_seen, 4000);
    ASSERT_EQ(s->last_seen, 4000);
    td_arena_release(&a);
    td_store_close(st);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_assign_and_get),
    TAP_TEST(test_ranking),
    TAP_TEST(test_members_duplicates_related),
    TAP_TEST(test_related_many),
    TAP_TEST(test_search_folds_copies),
    TAP_TEST(test_sources),
    TAP_TEST(test_counts_follow_moves),
    TAP_END,
};

int main(void)
{
    if (!mkdtemp(dir))
        return 99;
    test_location_init();
    int rc = tap_run(tests);
    test_location_cleanup();
    char cmd[64];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
