/*
 * Tests for the store's key points and tags (migration 0007): setting and
 * reading key points in order, the "analysed" mark and the backlog of
 * articles never analysed, tags replaced kind by kind, a tag's strongest
 * kind, popular tags kept counted by the triggers, a tag's articles paged
 * by cursor (and re-sorted when an article's date moves), copying an
 * analysis to another article, the tag: search filter, tag terms found by
 * plain search (and rebuilt by their migration), and the checks on input.
 * Over each back end (test_location.h).
 */
#include "base/compat.h"
#include "base/arena.h"
#include "base/error.h"
#include "store/store.h"
#include "store/store_int.h"

#include "harness/tap.h"
#include "store/test_location.h"

#include <sqlite3.h>
#include <unistd.h>

static char dir[] = "/tmp/td-tags-XXXXXX";

/* A new database of the back end under test (test_location.h), or the test's again. */
static struct td_store *fresh(const char *name)
{
    struct td_store *st = NULL;

    ASSERT_OK(td_store_open(test_location(dir, name), 0, &st));
    return st;
}

static int64_t feed(struct td_store *st)
{
    struct td_outlet o = {.name = "O", .site_url = "https://o.example/"};
    struct td_feed f = {.url = "https://o.example/rss"};
    int64_t id;

    ASSERT_OK(td_store_outlet_upsert(st, &o, &f.outlet_id));
    ASSERT_OK(td_store_feed_add(st, &f, &id, NULL));
    return id;
}

/* An article of feed `f`, published at `when`, with some text. */
static int64_t article(struct td_store *st, int64_t f, const char *key, int64_t when,
                       const char *text)
{
    char url[128];
    struct td_article a = {.feed_id = f,
                           .entry_key = key,
                           .url = url,
                           .title = key,
                           .published = when,
                           .text = text,
                           .fetched_at = text ? when : 0};
    int64_t id;

    snprintf(url, sizeof(url), "https://o.example/%s", key);
    ASSERT_OK(td_store_article_upsert(st, &a, &id, NULL));
    return id;
}

static void test_keypoints(void)
{
    struct td_store *st = fresh("keypoints");
    struct td_arena a;
    int64_t f = feed(st), id = article(st, f, "a", 1000, "One. Two. Three.");
    const char *pts[] = {"First \"quoted\" point.", "Second point\\with a backslash.",
                         "Third point, ünïcode."};
    const char *const *got;
    size_t n;
    int version;

    td_arena_init(&a);
    ASSERT_OK(td_store_schema_version(st, &version));
    ASSERT_GE(version, test_is_sqlite() ? 7 : 1); /* the migration with these tables */
    ASSERT_EQ(td_store_keypoints_get(st, id, &a, &got, &n), TD_ENOTFOUND);
    ASSERT_EQ(n, 0);
    ASSERT_OK(td_store_keypoints_set(st, id, pts, 3));
    ASSERT_OK(td_store_keypoints_get(st, id, &a, &got, &n));
    ASSERT_EQ(n, 3);
    for (size_t i = 0; i < 3; i++)
        ASSERT_STR_EQ(got[i], pts[i]);
    /* Replaced, not appended; none at all is still "analysed". */
    ASSERT_OK(td_store_keypoints_set(st, id, pts + 2, 1));
    ASSERT_OK(td_store_keypoints_get(st, id, &a, &got, &n));
    ASSERT_EQ(n, 1);
    ASSERT_STR_EQ(got[0], pts[2]);
    ASSERT_OK(td_store_keypoints_set(st, id, NULL, 0));
    ASSERT_OK(td_store_keypoints_get(st, id, &a, &got, &n));
    ASSERT_EQ(n, 0);

    /* Checks: caps, empty points, bad UTF-8, unknown articles. */
    const char *many[TD_STORE_KEYPOINTS_MAX + 1];
    for (size_t i = 0; i < TD_ARRAY_SIZE(many); i++)
        many[i] = "x.";
    ASSERT_EQ(td_store_keypoints_set(st, id, many, TD_ARRAY_SIZE(many)), TD_ETOOBIG);
    const char *empty[] = {""}, *bad[] = {"b\xFF"};
    ASSERT_EQ(td_store_keypoints_set(st, id, empty, 1), TD_EINVAL);
    ASSERT_EQ(td_store_keypoints_set(st, id, bad, 1), TD_EENCODING);
    ASSERT_LT(td_store_keypoints_set(st, 9999, pts, 1), 0);
    ASSERT_EQ(td_store_keypoints_set(st, 0, pts, 1), TD_EINVAL);
    td_arena_release(&a);
    td_store_close(st);
}

static void test_unanalyzed_backlog(void)
{
    struct td_store *st = fresh("backlog");
    struct td_arena a;
    struct td_article *items;
    size_t n;
    int64_t f = feed(st);
    int64_t done = article(st, f, "done", 100, "Text one.");
    int64_t todo1 = article(st, f, "todo1", 200, "Text two.");
    article(st, f, "pending", 300, NULL); /* page not fetched yet: not in the backlog */
    int64_t todo2 = article(st, f, "todo2", 400, "Text three.");

    td_arena_init(&a);
    ASSERT_OK(td_store_keypoints_set(st, done, NULL, 0));
    ASSERT_OK(td_store_articles_unanalyzed(st, 0, 10, &a, &items, &n));
    ASSERT_EQ(n, 2);
    ASSERT_EQ(items[0].id, todo1);
    ASSERT_EQ(items[1].id, todo2);
    ASSERT_STR_EQ(items[0].text, "Text two."); /* bodies come along */
    ASSERT_OK(td_store_articles_unanalyzed(st, todo1, 10, &a, &items, &n));
    ASSERT_EQ(n, 1);
    ASSERT_EQ(items[0].id, todo2);
    ASSERT_OK(td_store_articles_unanalyzed(st, 0, 1, &a, &items, &n));
    ASSERT_EQ(n, 1);
    ASSERT_OK(td_store_keypoints_set(st, todo1, NULL, 0));
    ASSERT_OK(td_store_keypoints_set(st, todo2, NULL, 0));
    ASSERT_OK(td_store_articles_unanalyzed(st, 0, 10, &a, &items, &n));
    ASSERT_EQ(n, 0);
    td_arena_release(&a);
    td_store_close(st);
}

static bool has_tag(const struct td_tag *t, size_t n, const char *slug, enum td_tag_kind kind)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].slug, slug))
            return t[i].kind == kind;
    return false;
}

static void test_tags_set_and_read(void)
{
    struct td_store *st = fresh("tags");
    struct td_arena a;
    struct td_tag *got, *tag;
    size_t n;
    int64_t f = feed(st), id = article(st, f, "a", 1000, "x");
    const unsigned cat = 1u << TD_TAG_CATEGORY, ent = 1u << TD_TAG_ENTITY,
                   kw = 1u << TD_TAG_KEYWORD;
    struct td_tag cats[] = {{.term = "World News", .slug = "world-news", .kind = TD_TAG_CATEGORY},
                            {.term = "Paris", .slug = "paris", .kind = TD_TAG_CATEGORY}};
    struct td_tag found[] = {{.term = "Paris", .slug = "paris", .kind = TD_TAG_ENTITY},
                             {.term = "NATO", .slug = "nato", .kind = TD_TAG_ENTITY},
                             {.term = "budget", .slug = "budget", .kind = TD_TAG_KEYWORD},
                             {.term = "Budget", .slug = "budget", .kind = TD_TAG_KEYWORD}};

    td_arena_init(&a);
    ASSERT_OK(td_store_tags_set(st, id, cat, cats, 2));
    ASSERT_OK(td_store_tags_set(st, id, ent | kw, found, 4));
    ASSERT_OK(td_store_tags_of(st, id, &a, &got, &n));
    ASSERT_EQ(n, 4); /* "budget" once; "paris" once, as the stronger category */
    ASSERT_EQ(got[0].kind, TD_TAG_CATEGORY);
    ASSERT_STR_EQ(got[0].term, "Paris"); /* categories first, by term */
    ASSERT_STR_EQ(got[1].term, "World News");
    ASSERT_STR_EQ(got[2].term, "NATO");
    ASSERT_STR_EQ(got[3].term, "budget");
    ASSERT(has_tag(got, n, "paris", TD_TAG_CATEGORY));

    /* Replacing the text's tags leaves the feed's categories alone. */
    struct td_tag again[] = {{.term = "Lyon", .slug = "lyon", .kind = TD_TAG_ENTITY}};
    ASSERT_OK(td_store_tags_set(st, id, ent | kw, again, 1));
    ASSERT_OK(td_store_tags_of(st, id, &a, &got, &n));
    ASSERT_EQ(n, 3);
    ASSERT(has_tag(got, n, "world-news", TD_TAG_CATEGORY));
    ASSERT(has_tag(got, n, "paris", TD_TAG_CATEGORY));
    ASSERT(has_tag(got, n, "lyon", TD_TAG_ENTITY));
    ASSERT(!has_tag(got, n, "nato", TD_TAG_ENTITY));

    /* A tag keeps its first display form and its strongest kind. */
    ASSERT_OK(td_store_tag_get(st, "budget", &a, &tag));
    ASSERT_STR_EQ(tag->term, "budget");
    ASSERT_EQ(tag->kind, TD_TAG_KEYWORD);
    ASSERT_EQ(tag->articles, 0);
    ASSERT_OK(td_store_tag_get(st, "paris", &a, &tag));
    ASSERT_EQ(tag->kind, TD_TAG_CATEGORY);
    ASSERT_EQ(tag->articles, 1);
    ASSERT_EQ(td_store_tag_get(st, "nowhere", &a, &tag), TD_ENOTFOUND);
    ASSERT_STR_EQ(td_tag_kind_name(TD_TAG_ENTITY), "entity");

    /* Checks on input. */
    struct td_tag upper = {.term = "X", .slug = "X", .kind = TD_TAG_ENTITY};
    struct td_tag slash = {.term = "a/b", .slug = "a/b", .kind = TD_TAG_ENTITY};
    struct td_tag space = {.term = "a b", .slug = "a b", .kind = TD_TAG_ENTITY};
    struct td_tag noterm = {.slug = "x", .kind = TD_TAG_ENTITY};
    ASSERT_EQ(td_store_tags_set(st, id, ent, &upper, 1), TD_EINVAL);
    ASSERT_EQ(td_store_tags_set(st, id, ent, &slash, 1), TD_EINVAL);
    ASSERT_EQ(td_store_tags_set(st, id, ent, &space, 1), TD_EINVAL);
    ASSERT_EQ(td_store_tags_set(st, id, ent, &noterm, 1), TD_EINVAL);
    ASSERT_EQ(td_store_tags_set(st, id, cat, again, 1), TD_EINVAL); /* kind outside the mask */
    ASSERT_EQ(td_store_tags_set(st, id, 0, NULL, 0), TD_EINVAL);
    ASSERT_EQ(td_store_tags_set(st, id, 1u << 7, NULL, 0), TD_EINVAL);
    char big[TD_STORE_TAG_MAX + 2];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    struct td_tag huge = {.term = big, .slug = "huge", .kind = TD_TAG_ENTITY};
    ASSERT_EQ(td_store_tags_set(st, id, ent, &huge, 1), TD_ETOOBIG);
    struct td_tag many[TD_STORE_TAGS_MAX + 1];
    for (size_t i = 0; i < TD_ARRAY_SIZE(many); i++)
        many[i] = again[0];
    ASSERT_EQ(td_store_tags_set(st, id, ent, many, TD_ARRAY_SIZE(many)), TD_ETOOBIG);
    ASSERT_LT(td_store_tags_set(st, 9999, ent, again, 1), 0); /* no such article */
    /* The failed writes changed nothing. */
    ASSERT_OK(td_store_tags_of(st, id, &a, &got, &n));
    ASSERT_EQ(n, 3);
    ASSERT_OK(td_store_check(st));
    td_arena_release(&a);
    td_store_close(st);
}

static void test_tag_lists_popular_and_search(void)
{
    struct td_store *st = fresh("lists");
    struct td_arena a;
    struct td_article_list l;
    struct td_tag *pop, *tag;
    size_t n;
    int64_t f = feed(st), ids[7];
    struct td_tag rail = {.term = "Rail", .slug = "rail", .kind = TD_TAG_CATEGORY};
    struct td_tag bread = {.term = "bread", .slug = "bread", .kind = TD_TAG_KEYWORD};
    struct td_tag mayor = {.term = "Mayor", .slug = "mayor", .kind = TD_TAG_ENTITY};

    td_arena_init(&a);
    for (int i = 0; i < 7; i++) {
        char key[16];
        snprintf(key, sizeof(key), "art%d", i);
        ids[i] = article(st, f, key, 1000 + i * 10, "The rail line and the bakery.");
        /* Every article is about rail; every other one about bread too. */
        ASSERT_OK(td_store_tags_set(st, ids[i], 1u << TD_TAG_CATEGORY, &rail, 1));
        if (i % 2 == 0)
            ASSERT_OK(td_store_tags_set(st, ids[i], 1u << TD_TAG_KEYWORD, &bread, 1));
    }
    ASSERT_OK(td_store_tags_set(st, ids[0], 1u << TD_TAG_ENTITY, &mayor, 1));

    ASSERT_OK(td_store_tags_popular(st, 0, 0, 10, &a, &pop, &n));
    ASSERT_EQ(n, 3);
    ASSERT_STR_EQ(pop[0].slug, "rail");
    ASSERT_EQ(pop[0].articles, 7);
    ASSERT_STR_EQ(pop[1].slug, "bread");
    ASSERT_EQ(pop[1].articles, 4);
    ASSERT_OK(td_store_tags_popular(st, 0, 2, 10, &a, &pop, &n));
    ASSERT_EQ(n, 2); /* "mayor" has one article */
    ASSERT_OK(td_store_tags_popular(st, 1u << TD_TAG_KEYWORD, 0, 10, &a, &pop, &n));
    ASSERT_EQ(n, 1);
    ASSERT_STR_EQ(pop[0].slug, "bread");
    ASSERT_OK(td_store_tags_popular(st, 0, 0, 1, &a, &pop, &n));
    ASSERT_EQ(n, 1);

    /* A tag's articles, newest first, by cursor. */
    ASSERT_OK(td_store_tag_get(st, "rail", &a, &tag));
    struct td_article_filter flt = {.limit = 3};
    int64_t seen[7];
    size_t nseen = 0;
    for (;;) {
        ASSERT_OK(td_store_tag_articles(st, tag->id, &flt, &a, &l));
        for (size_t i = 0; i < l.n; i++)
            seen[nseen++] = l.items[i].id;
        if (!l.more)
            break;
        ASSERT_EQ(l.n, 3);
        flt.after = l.next;
    }
    ASSERT_EQ(nseen, 7);
    for (size_t i = 0; i < 7; i++)
        ASSERT_EQ(seen[i], ids[6 - i]);
    struct td_article_filter bad = {.outlet_id = 1};
    ASSERT_EQ(td_store_tag_articles(st, tag->id, &bad, &a, &l), TD_EINVAL);

    /* When an article's date moves, its place in the tag's list moves too. */
    struct td_article moved = {
        .feed_id = f, .entry_key = "art0", .url = "https://o.example/art0", .published = 5000};
    ASSERT_OK(td_store_article_upsert(st, &moved, NULL, NULL));
    struct td_article_filter first = {.limit = 1, .with_body = true};
    ASSERT_OK(td_store_tag_articles(st, tag->id, &first, &a, &l));
    ASSERT_EQ(l.items[0].id, ids[0]);
    ASSERT_STR_EQ(l.items[0].text, "The rail line and the bakery.");

    /* Search restricted to a tag. */
    struct td_tag *bt;
    struct td_search_result res;
    ASSERT_OK(td_store_tag_get(st, "bread", &a, &bt));
    struct td_search_opts so = {.tag_id = bt->id};
    ASSERT_OK(td_store_search(st, "bakery", &so, &a, &res));
    ASSERT_EQ(res.n, 4);
    so.tag_id = 0;
    ASSERT_OK(td_store_search(st, "bakery", &so, &a, &res));
    ASSERT_EQ(res.n, 7);

    /* Untagging and deleting keep the counts right. */
    ASSERT_OK(td_store_tags_set(st, ids[2], 1u << TD_TAG_KEYWORD, NULL, 0));
    ASSERT_OK(td_store_tag_get(st, "bread", &a, &bt));
    ASSERT_EQ(bt->articles, 3);
    ASSERT_OK(td_store_check(st));
    td_arena_release(&a);
    td_store_close(st);
}

/* Whether article `id` is among the hits. */
static bool hit(const struct td_search_result *r, int64_t id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->hits[i].id == id)
            return true;
    return false;
}

/* Plain words find tag terms; an exclusion covers tags too; the migration rebuilds. */
static void test_tag_terms_searched(void)
{
    char path[128];
    struct td_store *st = fresh("tagsearch");
    struct td_arena a;
    struct td_search_result r;
    int64_t f = feed(st);
    int64_t rail = article(st, f, "rail", 1000, "The rail line opens in May.");
    int64_t bakery = article(st, f, "bakery", 1010, "The bakery sells bread.");
    int64_t plain = article(st, f, "plain", 1020, "The rail depot and the bakery.");
    struct td_tag transport = {.term = "Transport", .slug = "transport", .kind = TD_TAG_CATEGORY};
    struct td_tag hall = {.term = "City Hall", .slug = "city-hall", .kind = TD_TAG_ENTITY};
    struct td_tag bread = {.term = "bread", .slug = "bread", .kind = TD_TAG_KEYWORD};

    td_arena_init(&a);
    ASSERT_OK(td_store_tags_set(st, rail, 1u << TD_TAG_CATEGORY, &transport, 1));
    ASSERT_OK(td_store_tags_set(st, rail, 1u << TD_TAG_ENTITY, &hall, 1));
    ASSERT_OK(td_store_tags_set(st, bakery, 1u << TD_TAG_KEYWORD, &bread, 1));
    /* Only the tag has the word: found, ranked as a tag match, no snippet. */
    ASSERT_OK(td_store_search(st, "transport", NULL, &a, &r));
    ASSERT_EQ(r.n, 1);
    ASSERT_EQ(r.hits[0].id, rail);
    ASSERT(r.hits[0].snippet == NULL);
    ASSERT_OK(td_store_search(st, "\"city hall\"", NULL, &a, &r));
    ASSERT_EQ(r.n, 1);
    ASSERT_EQ(r.hits[0].id, rail);
    ASSERT_OK(td_store_search(st, "trans*", NULL, &a, &r));
    ASSERT_EQ(r.n, 1);
    /* Text and tag both: one hit, with its snippet. */
    ASSERT_OK(td_store_search(st, "bread", NULL, &a, &r));
    ASSERT_EQ(r.n, 1);
    ASSERT_EQ(r.hits[0].id, bakery);
    ASSERT(r.hits[0].snippet != NULL);
    /* Text matches rank before tag-only matches. */
    ASSERT_OK(td_store_search(st, "rail", NULL, &a, &r));
    ASSERT_EQ(r.n, 2);
    ASSERT(hit(&r, rail) && hit(&r, plain));
    /* An excluded word leaves out what its tags have, and what its text has. */
    ASSERT_OK(td_store_search(st, "rail -transport", NULL, &a, &r));
    ASSERT_EQ(r.n, 1);
    ASSERT_EQ(r.hits[0].id, plain);
    ASSERT_OK(td_store_search(st, "transport -may", NULL, &a, &r));
    ASSERT_EQ(r.n, 0);
    ASSERT_OK(td_store_check(st));
    td_store_close(st);
    /* PostgreSQL's first migration made the tag index: there is none to rebuild. */
    if (!test_is_sqlite()) {
        td_arena_release(&a);
        return;
    }

    /* Tags stored before the migration: it indexes them.  (Its SQL is run
     * on a database without the index; reverting the schema version would
     * re-run the migrations after it too.) */
    const char *migration = NULL;
    for (size_t i = 0; i < td_store_sqlite_migrations_count; i++)
        if (strcmp(td_store_sqlite_migrations[i].name, "0010_tag_search.sql") == 0)
            migration = td_store_sqlite_migrations[i].sql;
    ASSERT(migration != NULL);
    sqlite3 *db;
    snprintf(path, sizeof(path), "%s/tagsearch.db", dir);
    ASSERT_EQ(sqlite3_open(path, &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TRIGGER tags_fts_insert; DROP TRIGGER tags_fts_delete; "
                           "DROP TRIGGER tags_fts_update; DROP TABLE tags_fts;",
                           NULL, NULL, NULL),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, migration, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    st = fresh("tagsearch");
    ASSERT_OK(td_store_search(st, "transport", NULL, &a, &r));
    ASSERT_EQ(r.n, 1);
    ASSERT_EQ(r.hits[0].id, rail);
    ASSERT_OK(td_store_check(st));
    td_arena_release(&a);
    td_store_close(st);
}

static void test_analysis_copy(void)
{
    struct td_store *st = fresh("copy");
    struct td_arena a;
    struct td_tag *got;
    const char *const *pts;
    size_t n;
    int64_t f = feed(st), from = article(st, f, "from", 100, "t"),
            to = article(st, f, "to", 200, "t");
    const char *points[] = {"A point.", "Another point."};
    struct td_tag tags[] = {{.term = "Cat", .slug = "cat", .kind = TD_TAG_CATEGORY},
                            {.term = "Ann", .slug = "ann", .kind = TD_TAG_ENTITY},
                            {.term = "word", .slug = "word", .kind = TD_TAG_KEYWORD}};

    td_arena_init(&a);
    ASSERT_OK(td_store_keypoints_set(st, from, points, 2));
    ASSERT_OK(td_store_tags_set(st, from, 1u << TD_TAG_CATEGORY, tags, 1));
    ASSERT_OK(
        td_store_tags_set(st, from, (1u << TD_TAG_ENTITY) | (1u << TD_TAG_KEYWORD), tags + 1, 2));
    ASSERT_OK(td_store_analysis_copy(st, from, to));
    ASSERT_OK(td_store_keypoints_get(st, to, &a, &pts, &n));
    ASSERT_EQ(n, 2);
    ASSERT_STR_EQ(pts[1], "Another point.");
    ASSERT_OK(td_store_tags_of(st, to, &a, &got, &n));
    ASSERT_EQ(n, 2); /* the feed's category is the other feed's own business */
    ASSERT(has_tag(got, n, "ann", TD_TAG_ENTITY));
    ASSERT(has_tag(got, n, "word", TD_TAG_KEYWORD));
    ASSERT_OK(td_store_analysis_copy(st, from, to)); /* idempotent */
    ASSERT_OK(td_store_analysis_copy(st, from, from));
    ASSERT_EQ(td_store_analysis_copy(st, 0, to), TD_EINVAL);
    td_arena_release(&a);
    td_store_close(st);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_keypoints),
    TAP_TEST(test_unanalyzed_backlog),
    TAP_TEST(test_tags_set_and_read),
    TAP_TEST(test_tag_lists_popular_and_search),
    TAP_TEST(test_tag_terms_searched),
    TAP_TEST(test_analysis_copy),
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
