/*
 * Tests for the store's reader tables (migration 0002): users with names
 * unique ignoring case, sessions that expire and cascade, and comments
 * with edit, hide, delete and ordering, over each back end (test_location.h).
 */
#include "base/compat.h"
#include "base/arena.h"
#include "base/error.h"
#include "store/store.h"

#include "harness/tap.h"
#include "store/test_location.h"

#include <unistd.h>

static char dir[] = "/tmp/td-readers-XXXXXX";

/* A new database of the back end under test (test_location.h), or the test's again. */
static struct td_store *fresh(const char *name)
{
    struct td_store *st = NULL;

    ASSERT_OK(td_store_open(test_location(dir, name), 0, &st));
    return st;
}

static int64_t article(struct td_store *st)
{
    struct td_outlet o = {.name = "O", .site_url = "https://o.example/"};
    struct td_feed f = {.url = "https://o.example/rss"};
    struct td_article a = {.entry_key = "k", .url = "https://o.example/a", .title = "T"};
    int64_t id;

    ASSERT_OK(td_store_outlet_upsert(st, &o, &f.outlet_id));
    ASSERT_OK(td_store_feed_add(st, &f, &a.feed_id, NULL));
    ASSERT_OK(td_store_article_upsert(st, &a, &id, NULL));
    return id;
}

static void test_users(void)
{
    struct td_store *st = fresh("users");
    struct td_arena a;
    struct td_user u = {.name = "Ann", .pw_hash = "$argon2id$fake", .admin = true}, *got;
    int64_t id, id2;
    int version;

    td_arena_init(&a);
    ASSERT_OK(td_store_schema_version(st, &version));
    ASSERT_GE(version, test_is_sqlite() ? 2 : 1); /* the migration with these tables */
    ASSERT_OK(td_store_user_add(st, &u, &id));
    ASSERT_GT(id, 0);
    struct td_user same = {.name = "aNN", .pw_hash = "x"};
    ASSERT_EQ(td_store_user_add(st, &same, &id2), TD_EEXIST);
    ASSERT_OK(td_store_user_get_by_name(st, "ANN", &a, &got));
    ASSERT_EQ(got->id, id);
    ASSERT_STR_EQ(got->name, "Ann");
    ASSERT_STR_EQ(got->pw_hash, "$argon2id$fake");
    ASSERT(got->admin);
    ASSERT_GT(got->created_at, 0);
    ASSERT_OK(td_store_user_get(st, id, &a, &got));
    ASSERT_STR_EQ(got->name, "Ann");
    ASSERT_EQ(td_store_user_get_by_name(st, "nobody", &a, &got), TD_ENOTFOUND);
    ASSERT_EQ(td_store_user_get(st, 999, &a, &got), TD_ENOTFOUND);

    char big[TD_STORE_NAME_MAX + 2];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    struct td_user longname = {.name = big, .pw_hash = "x"};
    ASSERT_EQ(td_store_user_add(st, &longname, NULL), TD_ETOOBIG);
    struct td_user nopw = {.name = "bob"};
    ASSERT_EQ(td_store_user_add(st, &nopw, NULL), TD_EINVAL);
    struct td_user bad = {.name = "b\xFF", .pw_hash = "x"};
    ASSERT_EQ(td_store_user_add(st, &bad, NULL), TD_EENCODING);
    td_arena_release(&a);
    td_store_close(st);
}

static void test_sessions(void)
{
    struct td_store *st = fresh("sessions");
    struct td_arena a;
    struct td_user u = {.name = "ann", .pw_hash = "h"}, *got;
    struct td_session s = {.token_hash = "abc", .expires_at = 2000};

    td_arena_init(&a);
    ASSERT_OK(td_store_user_add(st, &u, &s.user_id));
    ASSERT_OK(td_store_session_add(st, &s));
    ASSERT_OK(td_store_session_user(st, "abc", 1999, &a, &got));
    ASSERT_EQ(got->id, s.user_id);
    ASSERT_EQ(td_store_session_user(st, "abc", 2000, &a, &got), TD_ENOTFOUND);
    ASSERT_EQ(td_store_session_user(st, "other", 1000, &a, &got), TD_ENOTFOUND);
    struct td_session dup = s;
    ASSERT_EQ(td_store_session_add(st, &dup), TD_EEXIST);
    struct td_session ghost = {.token_hash = "g", .user_id = 999, .expires_at = 2000};
    ASSERT_LT(td_store_session_add(st, &ghost), 0);

    ASSERT_OK(td_store_session_delete(st, "abc"));
    ASSERT_OK(td_store_session_delete(st, "abc"));
    ASSERT_EQ(td_store_session_user(st, "abc", 1000, &a, &got), TD_ENOTFOUND);

    struct td_session old = {.token_hash = "old", .user_id = s.user_id, .expires_at = 100};
    struct td_session live = {.token_hash = "live", .user_id = s.user_id, .expires_at = 5000};
    ASSERT_OK(td_store_session_add(st, &old));
    ASSERT_OK(td_store_session_add(st, &live));
    ASSERT_OK(td_store_session_purge(st, 1000));
    ASSERT_EQ(td_store_session_user(st, "old", 50, &a, &got), TD_ENOTFOUND);
    ASSERT_OK(td_store_session_user(st, "live", 1000, &a, &got));
    td_arena_release(&a);
    td_store_close(st);
}

static void test_comments(void)
{
    struct td_store *st = fresh("comments");
    struct td_arena a;
    struct td_user u = {.name = "ann", .pw_hash = "h"};
    int64_t uid, art = article(st), c1, c2;
    struct td_comment *items, *got;
    size_t n;

    td_arena_init(&a);
    ASSERT_OK(td_store_user_add(st, &u, &uid));
    struct td_comment first = {
        .article_id = art, .user_id = uid, .body = "first <b>", .created_at = 10};
    struct td_comment second = {
        .article_id = art, .user_id = uid, .body = "second", .created_at = 20};
    ASSERT_OK(td_store_comment_add(st, &second, &c2));
    ASSERT_OK(td_store_comment_add(st, &first, &c1));
    ASSERT_OK(td_store_comment_list(st, art, false, &a, &items, &n));
    ASSERT_EQ(n, 2);
    ASSERT_EQ(items[0].id, c1); /* oldest first */
    ASSERT_STR_EQ(items[0].body, "first <b>");
    ASSERT_STR_EQ(items[0].user_name, "ann");

    ASSERT_OK(td_store_comment_edit(st, c1, "edited", 30));
    ASSERT_OK(td_store_comment_get(st, c1, &a, &got));
    ASSERT_STR_EQ(got->body, "edited");
    ASSERT_EQ(got->edited_at, 30);
    ASSERT_OK(td_store_comment_set_hidden(st, c2, true));
    ASSERT_OK(td_store_comment_list(st, art, false, &a, &items, &n));
    ASSERT_EQ(n, 1);
    ASSERT_OK(td_store_comment_list(st, art, true, &a, &items, &n));
    ASSERT_EQ(n, 2);
    ASSERT(items[1].hidden);
    ASSERT_OK(td_store_comment_delete(st, c1));
    ASSERT_EQ(td_store_comment_get(st, c1, &a, &got), TD_ENOTFOUND);
    ASSERT_EQ(td_store_comment_delete(st, c1), TD_ENOTFOUND);
    ASSERT_EQ(td_store_comment_edit(st, 999, "x", 0), TD_ENOTFOUND);

    char *big = td_arena_alloc(&a, TD_STORE_COMMENT_MAX + 2);
    memset(big, 'x', TD_STORE_COMMENT_MAX + 1);
    big[TD_STORE_COMMENT_MAX + 1] = '\0';
    struct td_comment huge = {.article_id = art, .user_id = uid, .body = big};
    ASSERT_EQ(td_store_comment_add(st, &huge, NULL), TD_ETOOBIG);
    struct td_comment orphan = {.article_id = 999, .user_id = uid, .body = "x"};
    ASSERT_LT(td_store_comment_add(st, &orphan, NULL), 0);
    struct td_comment empty = {.article_id = art, .user_id = uid, .body = ""};
    ASSERT_EQ(td_store_comment_add(st, &empty, NULL), TD_EINVAL);
    td_arena_release(&a);
    td_store_close(st);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_users),
    TAP_TEST(test_sessions),
    TAP_TEST(test_comments),
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
