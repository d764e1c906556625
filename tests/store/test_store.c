/*
 * Tests for src/store on real databases (SQLite files in a fresh temporary
 * directory, or PostgreSQL databases): migrations, upserts, keys, lists,
 * search with hostile queries,
 * redirects, foreign keys, transactions, refusing a newer schema, and
 * durability when the writer is killed with SIGKILL mid-ingest.
 *
 * The tests go through store.h only, so they run against every back end:
 * TD_TEST_STORE names the back end under test (default "sqlite"; meson's
 * store-pg runs them over PostgreSQL) and new_location() is the one place
 * that turns a test's name into a fresh database of that back end
 * (test_location.h).  The few tests that must poke at the database
 * directly (WAL mode, a newer schema, a foreign file) call sqlite_only() and
 * use SQLite's API, or pg_only() and SQL through libpq.
 */
#include "base/compat.h"
#include "base/arena.h"
#include "base/error.h"
#include "store/store.h"

#include "harness/tap.h"
#include "store/test_location.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>

static char tmpdir[256];

/* A location for a new, empty database named `name` (per test). */
static const char *new_location(const char *name)
{
    return test_location(tmpdir, name);
}

static void sqlite_only(void)
{
    if (!test_is_sqlite())
        TAP_SKIP("tests SQLite's file format");
}

static void pg_only(void)
{
    if (test_is_sqlite())
        TAP_SKIP("tests PostgreSQL's connection and schema");
}

static struct td_store *open_ok(const char *loc)
{
    struct td_store *st = NULL;

    ASSERT_OK(td_store_open(loc, 0, &st));
    ASSERT(st != NULL);
    return st;
}

static int64_t add_outlet(struct td_store *st, const char *name, const char *site)
{
    struct td_outlet o = {.name = name, .site_url = site};
    int64_t id = 0;

    ASSERT_OK(td_store_outlet_upsert(st, &o, &id));
    ASSERT_GT(id, 0);
    return id;
}

static int64_t add_feed(struct td_store *st, int64_t outlet, const char *url)
{
    struct td_feed f = {.outlet_id = outlet, .url = url};
    int64_t id = 0;

    ASSERT_OK(td_store_feed_add(st, &f, &id, NULL));
    return id;
}

static int64_t put(struct td_store *st, int64_t feed, const char *key, const char *title,
                   const char *text, int64_t published, enum td_store_upsert *res)
{
    char url[256];
    struct td_article a = {
        .feed_id = feed, .entry_key = key, .title = title, .text = text, .published = published};
    int64_t id = 0;

    snprintf(url, sizeof(url), "https://news.example/%s", key);
    a.url = url;
    ASSERT_OK(td_store_article_upsert(st, &a, &id, res));
    return id;
}

/* ---- opening and migrations ---- */

static void test_open_migrates_and_reopens(void)
{
    const char *loc = new_location("migrate");
    struct td_store *st = open_ok(loc);
    int v1 = 0, v2 = 0;

    ASSERT_STR_EQ(td_store_backend(st), test_backend());
    ASSERT_OK(td_store_schema_version(st, &v1));
    ASSERT_GE(v1, 1);
    add_feed(st, 0, "https://a.example/feed");
    td_store_close(st);

    st = open_ok(loc);
    ASSERT_OK(td_store_schema_version(st, &v2));
    ASSERT_EQ(v1, v2);
    ASSERT_OK(td_store_check(st));
    struct td_arena a;
    td_arena_init(&a);
    struct td_feed *f;
    ASSERT_OK(td_store_feed_get_by_url(st, "https://a.example/feed", &a, &f));
    td_arena_release(&a);
    td_store_close(st);
}

/* SQLite: the file is in WAL mode and says what the store set. */
static void test_sqlite_wal_mode(void)
{
    const char *loc;
    sqlite3 *db;
    sqlite3_stmt *q;

    sqlite_only();
    loc = new_location("wal");
    td_store_close(open_ok(loc));
    ASSERT_EQ(sqlite3_open(loc, &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    ASSERT_STR_EQ((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    sqlite3_close(db);
}

static void raw_exec(const char *loc, const char *sql)
{
    sqlite3 *db;

    ASSERT_EQ(sqlite3_open(loc, &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static int raw_user_version(const char *loc)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    int v;

    ASSERT_EQ(sqlite3_open(loc, &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* SQLite: a schema from the future is refused and left alone. */
static void test_sqlite_newer_schema_refused(void)
{
    const char *loc;
    struct td_store *st;

    sqlite_only();
    loc = new_location("newer");
    td_store_close(open_ok(loc));
    raw_exec(loc, "PRAGMA user_version = 999");
    st = (struct td_store *)&st; /* any non-NULL value: open must clear it */
    ASSERT_EQ(td_store_open(loc, 0, &st), TD_EDB);
    ASSERT(st == NULL);
    ASSERT_EQ(td_store_open(loc, TD_STORE_READONLY, &st), TD_EDB);
    ASSERT_EQ(raw_user_version(loc), 999);
}

/* SQLite: somebody else's database is not migrated into ours. */
static void test_sqlite_foreign_file_refused(void)
{
    const char *loc;
    struct td_store *st = NULL;

    sqlite_only();
    loc = new_location("foreign");
    raw_exec(loc, "CREATE TABLE mine (x)");
    ASSERT_EQ(td_store_open(loc, 0, &st), TD_EDB);
    ASSERT_EQ(raw_user_version(loc), 0);
}

/* What any back end refuses: no location, a server nobody runs, a broken URI. */
static void test_open_errors(void)
{
    struct td_store *st = (struct td_store *)&st;

    ASSERT_EQ(td_store_open("", 0, &st), TD_EINVAL);
    ASSERT(st == NULL);
    /* Nothing listens on port 1: the connection is refused at once. */
    ASSERT_EQ(td_store_open("postgresql://127.0.0.1:1/x?connect_timeout=5", 0, &st), TD_EDB);
    ASSERT_EQ(td_store_open("postgres://u:secret@[::1/x", 0, &st), TD_EDB);
    ASSERT(st == NULL);
    td_store_close(NULL);
}

/* A location shown in a message or a log keeps its password to itself. */
static void test_redact(void)
{
    char out[128];

    ASSERT_STR_EQ(
        td_store_redact("postgresql://ann:s3cret@db.example:5432/news?x=1", out, sizeof(out)),
        "postgresql://ann:***@db.example:5432/news?x=1");
    ASSERT_STR_EQ(td_store_redact("postgres://a:b:c@h/d", out, sizeof(out)),
                  "postgres://a:***@h/d");
    ASSERT_STR_EQ(td_store_redact("postgresql://ann@h/d", out, sizeof(out)),
                  "postgresql://ann@h/d");
    ASSERT_STR_EQ(td_store_redact("postgresql:///d?host=/run/p@x:1", out, sizeof(out)),
                  "postgresql:///d?host=/run/p@x:1");
    ASSERT_STR_EQ(td_store_redact("/var/lib/tidings/a:b@c.db", out, sizeof(out)),
                  "/var/lib/tidings/a:b@c.db");
    ASSERT_STR_EQ(td_store_redact("postgresql://u:pw@h/d", out, 12), "postgresql:");
}

/* SQLite: a read-only open needs the file, and a read-write one its directory. */
static void test_sqlite_open_errors(void)
{
    struct td_store *st = NULL;

    sqlite_only();
    ASSERT_EQ(td_store_open(new_location("absent"), TD_STORE_READONLY, &st), TD_ENOTFOUND);
    ASSERT_EQ(td_store_open("/nonexistent-dir/x/y.db", 0, &st), TD_ENOTFOUND);
}

/* Run SQL on a PostgreSQL test database, as someone other than the store. */
static void pg_raw(const char *loc, const char *sql)
{
    PGconn *c = PQconnectdb(loc);
    PGresult *r;

    ASSERT(PQstatus(c) == CONNECTION_OK);
    r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "# %s: %s", sql, PQresultErrorMessage(r));
    ASSERT(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
    PQclear(r);
    PQfinish(c);
}

/*
 * PostgreSQL: a database that does not exist is an error (the store never
 * creates one), and a read-only handle needs the schema in place.
 */
static void test_pg_open_errors(void)
{
    struct td_store *st = NULL;
    char uri[1024];

    pg_only();
    test_pg_uri(test_pg_server(), "td_test_no_such_database", uri, sizeof(uri));
    ASSERT_EQ(td_store_open(uri, 0, &st), TD_EDB);
    ASSERT_EQ(td_store_open(new_location("empty"), TD_STORE_READONLY, &st), TD_EDB);
    ASSERT(st == NULL);
}

/* PostgreSQL: a schema from the future is refused and left alone. */
static void test_pg_newer_schema_refused(void)
{
    const char *loc;
    struct td_store *st;
    char sql[64];
    int v = 0, v2 = 0;

    pg_only();
    loc = new_location("newer");
    st = open_ok(loc);
    ASSERT_OK(td_store_schema_version(st, &v));
    td_store_close(st);
    pg_raw(loc, "UPDATE tidings_schema SET version = 999");
    st = (struct td_store *)&st;
    ASSERT_EQ(td_store_open(loc, 0, &st), TD_EDB);
    ASSERT(st == NULL);
    ASSERT_EQ(td_store_open(loc, TD_STORE_READONLY, &st), TD_EDB);
    /* Untouched: put back, it opens as before. */
    snprintf(sql, sizeof(sql), "UPDATE tidings_schema SET version = %d", v);
    pg_raw(loc, sql);
    st = open_ok(loc);
    ASSERT_OK(td_store_schema_version(st, &v2));
    ASSERT_EQ(v2, v);
    td_store_close(st);
}

/* PostgreSQL: somebody else's tables are not migrated into ours. */
static void test_pg_foreign_db_refused(void)
{
    const char *loc;
    struct td_store *st = NULL;

    pg_only();
    loc = new_location("foreign");
    pg_raw(loc, "CREATE TABLE mine (x integer)");
    ASSERT_EQ(td_store_open(loc, 0, &st), TD_EDB);
    /* The table is left as it was, and the store created nothing beside it. */
    pg_raw(loc, "SELECT x FROM mine");
    pg_raw(loc, "CREATE TABLE tidings_schema (x integer)");
}

/*
 * PostgreSQL: a connection the server dropped (a restart, a failover) is
 * made again by the next call outside a transaction; inside one, the call
 * fails (its work is gone) and the handle carries on after the rollback.
 */
static void test_pg_reconnects(void)
{
    const char *loc;
    struct td_store *st;
    int64_t feed, n = -1;
    const char *kill_others = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()";

    pg_only();
    loc = new_location("reconnect");
    st = open_ok(loc);
    feed = add_feed(st, 0, "https://rc.example/rss");
    put(st, feed, "a", "Before", NULL, 1, NULL);
    pg_raw(loc, kill_others);
    ASSERT_OK(td_store_article_count(st, 0, 0, &n));
    ASSERT_EQ(n, 1);
    put(st, feed, "b", "After", NULL, 2, NULL);

    ASSERT_OK(td_store_begin(st));
    put(st, feed, "c", "Lost", NULL, 3, NULL);
    pg_raw(loc, kill_others);
    struct td_article lost = {.feed_id = feed, .entry_key = "d", .url = "https://rc.example/d"};
    ASSERT_EQ(td_store_article_upsert(st, &lost, NULL, NULL), TD_EDB);
    ASSERT(strlen(td_store_errmsg(st)) > 0);
    td_store_rollback(st);
    ASSERT_OK(td_store_article_count(st, 0, 0, &n));
    ASSERT_EQ(n, 2);
    ASSERT_OK(td_store_check(st));
    td_store_close(st);
}

/*
 * PostgreSQL: processes opening a new database at once (several crawlers
 * and a web server on several machines) apply each migration once, under
 * the migration lock, and all of them open it.
 */
static void test_pg_concurrent_first_open(void)
{
    const char *loc;
    struct td_store *st;
    pid_t pids[4];
    int v = 0, status;

    pg_only();
    loc = new_location("together");
    for (size_t i = 0; i < TD_ARRAY_SIZE(pids); i++) {
        pids[i] = fork();
        ASSERT(pids[i] >= 0);
        if (pids[i] == 0) {
            struct td_store *c = NULL;
            int rc = td_store_open(loc, 0, &c);
            td_store_close(c);
            _exit(rc == 0 ? 0 : 1);
        }
    }
    for (size_t i = 0; i < TD_ARRAY_SIZE(pids); i++) {
        ASSERT_EQ(waitpid(pids[i], &status, 0), pids[i]);
        ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    st = open_ok(loc);
    ASSERT_OK(td_store_schema_version(st, &v));
    ASSERT_GE(v, 1);
    ASSERT_OK(td_store_check(st));
    td_store_close(st);
}

static void test_readonly_handle(void)
{
    const char *loc = new_location("ro");
    struct td_store *w = open_ok(loc), *r = NULL;
    struct td_arena a;
    struct td_feed *f;
    int64_t feed = add_feed(w, 0, "https://ro.example/feed");

    ASSERT_OK(td_store_open(loc, TD_STORE_READONLY, &r));
    td_arena_init(&a);
    ASSERT_OK(td_store_feed_get(r, feed, &a, &f));
    ASSERT_STR_EQ(f->url, "https://ro.example/feed");
    struct td_feed nf = {.url = "https://ro.example/other"};
    ASSERT_EQ(td_store_feed_add(r, &nf, NULL, NULL), TD_EDB);
    ASSERT(strlen(td_store_errmsg(r)) > 0);
    /* The writer's later commits are visible to the reader. */
    put(w, feed, "k1", "Title", NULL, 100, NULL);
    int64_t n = 0;
    ASSERT_OK(td_store_article_count(r, 0, 0, &n));
    ASSERT_EQ(n, 1);
    td_arena_release(&a);
    td_store_close(r);
    td_store_close(w);
}

/* ---- outlets and feeds ---- */

static void test_outlet_upsert(void)
{
    struct td_store *st = open_ok(new_location("outlets"));
    struct td_outlet o = {.name = "Example News",
                          .site_url = "https://news.example/",
                          .icon_url = "https://news.example/icon.png"};
    struct td_outlet *got, *items;
    struct td_arena a;
    int64_t id1, id2;
    size_t n;

    td_arena_init(&a);
    ASSERT_OK(td_store_outlet_upsert(st, &o, &id1));
    o.name = "Example News Daily";
    o.icon_url = NULL;
    ASSERT_OK(td_store_outlet_upsert(st, &o, &id2));
    ASSERT_EQ(id1, id2);
    ASSERT_OK(td_store_outlet_get(st, id1, &a, &got));
    ASSERT_STR_EQ(got->name, "Example News Daily");
    ASSERT_STR_EQ(got->icon_url, "https://news.example/icon.png");
    add_outlet(st, "Alpha Times", "https://alpha.example/");
    ASSERT_OK(td_store_outlet_list(st, &a, &items, &n));
    ASSERT_EQ(n, 2);
    ASSERT_STR_EQ(items[0].name, "Alpha Times");
    ASSERT_STR_EQ(items[1].site_url, "https://news.example/");
    ASSERT(items[0].icon_url == NULL);
    ASSERT_EQ(td_store_outlet_get(st, 999, &a, &got), TD_ENOTFOUND);
    o.name = NULL;
    ASSERT_EQ(td_store_outlet_upsert(st, &o, NULL), TD_EINVAL);
    o.name = "";
    ASSERT_EQ(td_store_outlet_upsert(st, &o, NULL), TD_EINVAL);
    td_arena_release(&a);
    td_store_close(st);
}

static void test_feed_add_idempotent(void)
{
    struct td_store *st = open_ok(new_location("feeds"));
    int64_t outlet = add_outlet(st, "O", "https://o.example/");
    struct td_feed f = {.outlet_id = outlet,
                        .url = "https://o.example/rss",
                        .title = "O feed",
                        .allow_private = true,
                        .interval_s = 600};
    struct td_feed *got, *items;
    struct td_arena a;
    int64_t id1, id2;
    bool created;
    size_t n;

    td_arena_init(&a);
    ASSERT_OK(td_store_feed_add(st, &f, &id1, &created));
    ASSERT(created);
    f.title = "Changed";
    ASSERT_OK(td_store_feed_add(st, &f, &id2, &created));
    ASSERT(!created);
    ASSERT_EQ(id1, id2);
    ASSERT_OK(td_store_feed_get(st, id1, &a, &got));
    ASSERT_STR_EQ(got->title, "O feed"); /* an existing row is left alone */
    ASSERT_EQ(got->outlet_id, outlet);
    ASSERT(got->allow_private);
    ASSERT_EQ(got->interval_s, 600);
    ASSERT_GT(got->created_at, 0);
    ASSERT_EQ(got->last_fetched_at, 0);
    ASSERT_EQ(got->next_fetch_at, 0);
    ASSERT_EQ(got->last_status, 0);
    ASSERT(got->etag == NULL);
    add_feed(st, 0, "https://p.example/atom");
    ASSERT_OK(td_store_feed_list(st, &a, &items, &n));
    ASSERT_EQ(n, 2);
    ASSERT_EQ(items[0].id, id1);
    ASSERT_EQ(items[1].outlet_id, 0);
    ASSERT_EQ(items[1].interval_s, TD_STORE_DEFAULT_INTERVAL);
    ASSERT_EQ(td_store_feed_get_by_url(st, "https://nope.example/", &a, &got), TD_ENOTFOUND);
    td_arena_release(&a);
    td_store_close(st);
}

static void test_feed_due_and_fetch_updates(void)
{
    struct td_store *st = open_ok(new_location("due"));
    struct td_feed f = {.url = "https://d.example/1", .next_fetch_at = 200};
    struct td_feed *items, *got;
    struct td_arena a;
    int64_t f1, f2, f3;
    size_t n;

    td_arena_init(&a);
    ASSERT_OK(td_store_feed_add(st, &f, &f1, NULL));
    f.url = "https://d.example/2";
    f.next_fetch_at = 0;
    ASSERT_OK(td_store_feed_add(st, &f, &f2, NULL));
    f.url = "https://d.example/3";
    f.next_fetch_at = 100;
    ASSERT_OK(td_store_feed_add(st, &f, &f3, NULL));

    ASSERT_OK(td_store_feed_list_due(st, 150, 10, &a, &items, &n));
    ASSERT_EQ(n, 2);
    ASSERT_EQ(items[0].id, f2);
    ASSERT_EQ(items[1].id, f3);
    ASSERT_OK(td_store_feed_list_due(st, 150, 1, &a, &items, &n));
    ASSERT_EQ(n, 1);

    /* A 200 with validators. */
    struct td_feed_fetch r = {.fetched_at = 150,
                              .status = 200,
                              .etag = "\"v1\"",
                              .last_modified = "Tue, 24 Nov 2026 10:00:00 GMT",
                              .title = "Feed Two",
                              .next_fetch_at = 1000,
                              .interval_s = 900};
    ASSERT_OK(td_store_feed_update_fetch(st, f2, &r));
    ASSERT_OK(td_store_feed_get(st, f2, &a, &got));
    ASSERT_STR_EQ(got->etag, "\"v1\"");
    ASSERT_STR_EQ(got->last_modified, "Tue, 24 Nov 2026 10:00:00 GMT");
    ASSERT_STR_EQ(got->title, "Feed Two");
    ASSERT_EQ(got->last_fetched_at, 150);
    ASSERT_EQ(got->next_fetch_at, 1000);
    ASSERT_EQ(got->interval_s, 900);
    ASSERT_EQ(got->last_status, 200);
    ASSERT_EQ(got->error_count, 0);

    /* Two failures count up and keep validators, title and interval. */
    struct td_feed_fetch e = {.fetched_at = 1000,
                              .status = 503,
                              .error = "HTTP 503",
                              .keep_validators = true,
                              .next_fetch_at = 1300};
    ASSERT_OK(td_store_feed_update_fetch(st, f2, &e));
    e.status = 0;
    e.error = "connection refused";
    ASSERT_OK(td_store_feed_update_fetch(st, f2, &e));
    ASSERT_OK(td_store_feed_get(st, f2, &a, &got));
    ASSERT_EQ(got->error_count, 2);
    ASSERT_STR_EQ(got->last_error, "connection refused");
    ASSERT_EQ(got->last_status, 0);
    ASSERT_STR_EQ(got->etag, "\"v1\"");
    ASSERT_STR_EQ(got->title, "Feed Two");
    ASSERT_EQ(got->interval_s, 900);

    /* A 304 keeps validators and clears the error. */
    struct td_feed_fetch nm = {
        .fetched_at = 1300, .status = 304, .keep_validators = true, .next_fetch_at = 2200};
    ASSERT_OK(td_store_feed_update_fetch(st, f2, &nm));
    ASSERT_OK(td_store_feed_get(st, f2, &a, &got));
    ASSERT_EQ(got->error_count, 0);
    ASSERT(got->last_error == NULL);
    ASSERT_STR_EQ(got->etag, "\"v1\"");
    ASSERT_EQ(got->last_status, 304);

    /* A 200 without validators clears them. */
    struct td_feed_fetch ok = {.fetched_at = 2200, .status = 200, .next_fetch_at = 3100};
    ASSERT_OK(td_store_feed_update_fetch(st, f2, &ok));
    ASSERT_OK(td_store_feed_get(st, f2, &a, &got));
    ASSERT(got->etag == NULL);
    ASSERT(got->last_modified == NULL);

    /* Now f3 (100) and f1 (200) are due at 2500, then f2 (3100) at 5000. */
    ASSERT_OK(td_store_feed_list_due(st, 5000, 10, &a, &items, &n));
    ASSERT_EQ(n, 3);
    ASSERT_EQ(items[0].id, f3);
    ASSERT_EQ(items[1].id, f1);
    ASSERT_EQ(items[2].id, f2);

    ASSERT_EQ(td_store_feed_update_fetch(st, 9999, &ok), TD_ENOTFOUND);
    ASSERT_EQ(td_store_feed_update_fetch(st, 0, &ok), TD_EINVAL);
    td_arena_release(&a);
    td_store_close(st);
}

static void test_feed_permanent_redirect(void)
{
    struct td_store *st = open_ok(new_location("redirect"));
    int64_t f1 = add_feed(st, 0, "http://old.example/feed");
    int64_t f2 = add_feed(st, 0, "https://taken.example/feed");
    struct td_arena a;
    struct td_feed *got;
    struct td_article *art;

    td_arena_init(&a);
    put(st, f1, "e1", "Kept", NULL, 10, NULL);
    ASSERT_OK(td_store_feed_set_url(st, f1, "https://new.example/feed"));
    ASSERT_EQ(td_store_feed_get_by_url(st, "http://old.example/feed", &a, &got), TD_ENOTFOUND);
    ASSERT_OK(td_store_feed_get_by_url(st, "https://new.example/feed", &a, &got));
    ASSERT_EQ(got->id, f1);
    ASSERT_OK(td_store_article_get_by_key(st, f1, "e1", &a, &art));
    ASSERT_STR_EQ(art->title, "Kept");
    /* Adding the new URL again finds the moved feed. */
    ASSERT_EQ(add_feed(st, 0, "https://new.example/feed"), f1);
    /* Redirecting onto another feed's URL is a conflict, and changes nothing. */
    ASSERT_EQ(td_store_feed_set_url(st, f1, "https://taken.example/feed"), TD_EEXIST);
    ASSERT_OK(td_store_feed_get(st, f2, &a, &got));
    ASSERT_STR_EQ(got->url, "https://taken.example/feed");
    ASSERT_OK(td_store_feed_get(st, f1, &a, &got));
    ASSERT_STR_EQ(got->url, "https://new.example/feed");
    ASSERT_EQ(td_store_feed_set_url(st, 4242, "https://x.example/"), TD_ENOTFOUND);
    td_arena_release(&a);
    td_store_close(st);
}

/* ---- articles ---- */

static void test_article_upsert_idempotent(void)
{
    struct td_store *st = open_ok(new_location("upsert"));
    int64_t outlet = add_outlet(st, "O", "https://o.example/");
    int64_t feed = add_feed(st, outlet, "https://o.example/rss");
    const char *authors[] = {"Jane \"JD\" Doe", "Zoë Ångström", "Tab\tNew\nline \\ 日本"};
    struct td_article in = {.feed_id = feed,
                            .entry_key = "urn:1",
                            .url = "https://o.example/a/1",
                            .title = "First title",
                            .authors = authors,
                            .n_authors = 3,
                            .published = 1000,
                            .feed_summary_html = "<p>Summary</p>"};
    enum td_store_upsert res;
    struct td_article *got;
    struct td_arena a;
    int64_t id1, id2, n;

    td_arena_init(&a);
    ASSERT_OK(td_store_article_upsert(st, &in, &id1, &res));
    ASSERT_EQ(res, TD_UPSERT_NEW);
    ASSERT_OK(td_store_article_upsert(st, &in, &id2, &res));
    ASSERT_EQ(res, TD_UPSERT_UNCHANGED);
    ASSERT_EQ(id1, id2);
    ASSERT_OK(td_store_article_count(st, 0, 0, &n));
    ASSERT_EQ(n, 1);

    ASSERT_OK(td_store_article_get(st, id1, &a, &got));
    ASSERT_EQ(got->outlet_id, outlet); /* inherited from the feed */
    ASSERT_STR_EQ(got->title, "First title");
    ASSERT_EQ(got->n_authors, 3);
    for (size_t i = 0; i < 3; i++)
        ASSERT_STR_EQ(got->authors[i], authors[i]);
    ASSERT_EQ(got->published, 1000);
    ASSERT_EQ(got->sort_at, 1000);
    ASSERT_GT(got->created_at, 0);
    ASSERT(got->text == NULL);
    ASSERT(!got->date_clamped);

    /* A changed title updates the row. */
    in.title = "Second title";
    ASSERT_OK(td_store_article_upsert(st, &in, &id2, &res));
    ASSERT_EQ(res, TD_UPSERT_CHANGED);
    ASSERT_EQ(id1, id2);
    /* The extracted page arrives later: unknown fields keep their values. */
    struct td_article page = {.feed_id = feed,
                              .entry_key = "urn:1",
                              .url = "https://o.example/a/1",
                              .text = "Body text here.",
                              .html = "<p>Body text here.</p>",
                              .language = "en",
                              .word_count = 3,
                              .image_url = "https://o.example/i.jpg",
                              .image_caption = "A caption",
                              .image_credit = "Photo: X",
                              .image_alt = "A red tram",
                              .fetched_at = 1100,
                              .published = 900,
                              .date_clamped = true,
                              .simhash = UINT64_C(0xfedcba9876543210)};
    ASSERT_OK(td_store_article_upsert(st, &page, &id2, &res));
    ASSERT_EQ(res, TD_UPSERT_CHANGED);
    ASSERT_OK(td_store_article_upsert(st, &page, &id2, &res));
    ASSERT_EQ(res, TD_UPSERT_UNCHANGED);
    ASSERT_OK(td_store_article_get(st, id1, &a, &got));
    ASSERT_STR_EQ(got->title, "Second title");
    ASSERT_EQ(got->n_authors, 3);
    ASSERT_STR_EQ(got->feed_summary_html, "<p>Summary</p>");
    ASSERT_STR_EQ(got->text, "Body text here.");
    ASSERT_STR_EQ(got->html, "<p>Body text here.</p>");
    ASSERT_STR_EQ(got->language, "en");
    ASSERT_EQ(got->word_count, 3);
    ASSERT_STR_EQ(got->image_caption, "A caption");
    ASSERT_STR_EQ(got->image_credit, "Photo: X");
    ASSERT_STR_EQ(got->image_alt, "A red tram");
    ASSERT_EQ(got->fetched_at, 1100);
    ASSERT_EQ(got->published, 900);
    ASSERT_EQ(got->sort_at, 900);
    ASSERT(got->date_clamped);
    ASSERT(got->simhash == UINT64_C(0xfedcba9876543210));
    ASSERT_OK(td_store_article_count(st, 0, 0, &n));
    ASSERT_EQ(n, 1);
    ASSERT_OK(td_store_check(st));
    td_arena_release(&a);
    td_store_close(st);
}

static void test_article_keys_and_url_lookup(void)
{
    struct td_store *st = open_ok(new_location("keys"));
    int64_t f1 = add_feed(st, 0, "https://a.example/rss");
    int64_t f2 = add_feed(st, 0, "https://b.example/rss");
    struct td_article shared = {.feed_id = f1,
                                .entry_key = "same-key",
                                .url = "https://wire.example/story",
                                .title = "From A"};
    struct td_article *got;
    struct td_arena a;
    int64_t id1, id2, n;

    td_arena_init(&a);
    ASSERT_OK(td_store_article_upsert(st, &shared, &id1, NULL));
    /* The same entry key in another feed is another article. */
    shared.feed_id = f2;
    shared.title = "From B";
    shared.text = "Extracted once.";
    shared.fetched_at = 500;
    ASSERT_OK(td_store_article_upsert(st, &shared, &id2, NULL));
    ASSERT_NE(id1, id2);
    ASSERT_OK(td_store_article_count(st, 0, f1, &n));
    ASSERT_EQ(n, 1);
    ASSERT_OK(td_store_article_get_by_key(st, f2, "same-key", &a, &got));
    ASSERT_EQ(got->id, id2);
    ASSERT_EQ(td_store_article_get_by_key(st, f2, "other", &a, &got), TD_ENOTFOUND);
    /* find: the id without the row, 0 (not an error) when absent. */
    int64_t found = -1;
    ASSERT_OK(td_store_article_find(st, f2, "same-key", &found));
    ASSERT_EQ(found, id2);
    ASSERT_OK(td_store_article_find(st, f2, "other", &found));
    ASSERT_EQ(found, 0);
    ASSERT_EQ(td_store_article_find(st, 0, "same-key", &found), TD_EINVAL);
    /* By URL: the copy whose page was fetched wins. */
    ASSERT_OK(td_store_article_get_by_url(st, "https://wire.example/story", &a, &got));
    ASSERT_EQ(got->id, id2);
    ASSERT_STR_EQ(got->text, "Extracted once.");
    ASSERT_EQ(td_store_article_get_by_url(st, "https://wire.example/x", &a, &got), TD_ENOTFOUND);
    ASSERT_EQ(td_store_article_get(st, 12345, &a, &got), TD_ENOTFOUND);
    td_arena_release(&a);
    td_store_close(st);
}

static void test_foreign_keys_enforced(void)
{
    struct td_store *st = open_ok(new_location("fk"));
    struct td_article art = {.feed_id = 777, .entry_key = "k", .url = "https://x.example/"};
    struct td_feed f = {.outlet_id = 888, .url = "https://x.example/rss"};
    int64_t n;

    ASSERT_EQ(td_store_article_upsert(st, &art, NULL, NULL), TD_EINVAL);
    ASSERT_CONTAINS(td_store_errmsg(st), "FOREIGN KEY");
    ASSERT_EQ(td_store_feed_add(st, &f, NULL, NULL), TD_EINVAL);
    int64_t feed = add_feed(st, 0, "https://x.example/rss");
    art.feed_id = feed;
    art.outlet_id = 999;
    ASSERT_EQ(td_store_article_upsert(st, &art, NULL, NULL), TD_EINVAL);
    ASSERT_OK(td_store_article_count(st, 0, 0, &n));
    ASSERT_EQ(n, 0);
    td_store_close(st);
}

static void test_caps_and_required_fields(void)
{
    struct td_store *st = open_ok(new_location("caps"));
    int64_t feed = add_feed(st, 0, "https://c.example/rss");
    size_t big = TD_STORE_TEXT_MAX + 1;
    char *text = td_xmalloc(big + 1);
    char *longurl = td_xmalloc(TD_STORE_URL_MAX + 2);
    const char *many[TD_STORE_AUTHORS_MAX + 1];
    struct td_article art = {.feed_id = feed, .entry_key = "k", .url = "https://c.example/1"};
    int64_t n;

    memset(text, 'a', big);
    text[big] = '\0';
    memset(longurl, 'u', TD_STORE_URL_MAX + 1);
    longurl[TD_STORE_URL_MAX + 1] = '\0';

    art.text = text;
    ASSERT_EQ(td_store_article_upsert(st, &art, NULL, NULL), TD_ETOOBIG);
    ASSERT_CONTAINS(td_store_errmsg(st), "text");
    text[TD_STORE_TEXT_MAX] = '\0'; /* exactly at the cap is fine */
    ASSERT_OK(td_store_article_upsert(st, &art, NULL, NULL));
    art.text = NULL;

    art.title = "caf\xe9"; /* Latin-1, not UTF-8 */
    ASSERT_EQ(td_store_article_upsert(st, &art, NULL, NULL), TD_EENCODING);
    ASSERT_CONTAINS(td_store_errmsg(st), "title");
    art.title = NULL;

    art.url = longurl;
    ASSERT_EQ(td_store_article_upsert(st, &art, NULL, NULL), TD_ETOOBIG);
    art.url = "https://c.example/1";
    for (size_t i = 0; i < TD_ARRAY_SIZE(many); i++)
        many[i] = "Someone";
    art.authors = many;
    art.n_authors = TD_ARRAY_SIZE(many);
    ASSERT_EQ(td_store_article_upsert(st, &art, NULL, NULL), TD_ETOOBIG);
    art.n_authors = 0;
    art.entry_key = NULL;
    ASSERT_EQ(td_store_article_upsert(st, &art, NULL, NULL), TD_EINVAL);
    art.entry_key = "";
    ASSERT_EQ(td_store_article_upsert(st, &art, NULL, NULL), TD_EINVAL);
    art.entry_key = "k";
    art.feed_id = 0;
    ASSERT_EQ(td_store_article_upsert(st, &art, NULL, NULL), TD_EINVAL);

    struct td_feed f = {.url = longurl};
    ASSERT_EQ(td_store_feed_add(st, &f, NULL, NULL), TD_ETOOBIG);
    ASSERT_OK(td_store_article_count(st, 0, 0, &n));
    ASSERT_EQ(n, 1);
    free(text);
    free(longurl);
    td_store_close(st);
}

/*
 * A failed page fetch: the error, the attempts and the retry time are
 * kept; pending lists it only once the retry is due; a later success
 * clears the error and the retry.
 */
static void test_page_retry_outcomes(void)
{
    struct td_store *st = open_ok(new_location("retry"));
    int64_t outlet = add_outlet(st, "O", "https://o.example/");
    int64_t feed = add_feed(st, outlet, "https://o.example/rss");
    struct td_article in = {.feed_id = feed,
                            .entry_key = "r1",
                            .url = "https://o.example/r/1",
                            .title = "Retry me",
                            .feed_summary_html = "<p>From the feed</p>",
                            .extract_error = "HTTP 503",
                            .page_attempts = 1,
                            .page_retry_at = (int64_t)time(NULL) + 600};
    struct td_article_filter pending = {.page_pending = true};
    struct td_article_list l;
    struct td_article *got;
    struct td_arena a;
    int64_t id;

    td_arena_init(&a);
    ASSERT_OK(td_store_article_upsert(st, &in, &id, NULL));
    ASSERT_OK(td_store_article_list(st, &pending, &a, &l));
    ASSERT_EQ(l.n, 0); /* the retry is not due yet */
    in.page_attempts = 2;
    in.extract_error = "HTTP 502";
    in.page_retry_at = 1000; /* long past */
    ASSERT_OK(td_store_article_upsert(st, &in, NULL, NULL));
    ASSERT_OK(td_store_article_list(st, &pending, &a, &l));
    ASSERT_EQ(l.n, 1);
    ASSERT_EQ(l.items[0].page_attempts, 2);
    ASSERT_EQ(l.items[0].page_retry_at, 1000);
    ASSERT_STR_EQ(l.items[0].extract_error, "HTTP 502");

    struct td_article ok = {.feed_id = feed,
                            .entry_key = "r1",
                            .url = "https://o.example/r/1",
                            .text = "The page at last.",
                            .fetched_at = 2000};
    ASSERT_OK(td_store_article_upsert(st, &ok, NULL, NULL));
    ASSERT_OK(td_store_article_get(st, id, &a, &got));
    ASSERT_STR_EQ(got->text, "The page at last.");
    ASSERT(got->extract_error == NULL);
    ASSERT_EQ(got->page_retry_at, 0);
    ASSERT_EQ(got->page_attempts, 2);
    ASSERT_STR_EQ(got->feed_summary_html, "<p>From the feed</p>");
    ASSERT_OK(td_store_article_list(st, &pending, &a, &l));
    ASSERT_EQ(l.n, 0);
    td_arena_release(&a);
    td_store_close(st);
}

static void test_list_paging(void)
{
    struct td_store *st = open_ok(new_location("paging"));
    int64_t o1 = add_outlet(st, "One", "https://one.example/");
    int64_t o2 = add_outlet(st, "Two", "https://two.example/");
    int64_t f1 = add_feed(st, o1, "https://one.example/rss");
    int64_t f2 = add_feed(st, o2, "https://two.example/rss");
    struct td_article_filter filt = {.limit = 10};
    struct td_article_list page;
    struct td_arena a;
    int64_t seen[32];
    size_t nseen = 0;
    int64_t n;
    char key[32];

    td_arena_init(&a);
    ASSERT_OK(td_store_begin(st));
    for (int i = 0; i < 25; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        /* Ties in time (pairs share a second) must still page exactly. */
        put(st, i % 3 ? f1 : f2, key, key, "body", 1000 + i / 2, NULL);
    }
    ASSERT_OK(td_store_commit(st));

    for (int p = 0; p < 3; p++) {
        ASSERT_OK(td_store_article_list(st, &filt, &a, &page));
        ASSERT_EQ(page.n, p < 2 ? 10 : 5);
        ASSERT_EQ(page.more, p < 2);
        for (size_t i = 0; i < page.n; i++) {
            const struct td_article *x = &page.items[i];
            ASSERT(x->text == NULL);
            if (nseen > 0) {
                const int64_t prev_id = seen[nseen - 1];
                struct td_article *prev;
                ASSERT_OK(td_store_article_get(st, prev_id, &a, &prev));
                ASSERT(prev->sort_at > x->sort_at ||
                       (prev->sort_at == x->sort_at && prev->id > x->id));
            }
            for (size_t j = 0; j < nseen; j++)
                ASSERT_NE(seen[j], x->id);
            seen[nseen++] = x->id;
        }
        filt.after = page.next;
    }
    ASSERT_EQ(nseen, 25);

    /* One outlet, with bodies. */
    struct td_article_filter by_outlet = {.outlet_id = o2, .limit = 100, .with_body = true};
    ASSERT_OK(td_store_article_list(st, &by_outlet, &a, &page));
    ASSERT_EQ(page.n, 9);
    ASSERT(!page.more);
    ASSERT_STR_EQ(page.items[0].text, "body");
    ASSERT_STR_EQ(page.items[0].title, "k24");
    ASSERT_OK(td_store_article_count(st, o2, 0, &n));
    ASSERT_EQ(n, 9);
    ASSERT_OK(td_store_article_count(st, o1, f1, &n));
    ASSERT_EQ(n, 16);
    ASSERT_OK(td_store_article_count(st, o1, f2, &n));
    ASSERT_EQ(n, 0);
    struct td_article_filter by_feed = {.feed_id = f1, .limit = 3};
    ASSERT_OK(td_store_article_list(st, &by_feed, &a, &page));
    ASSERT_EQ(page.n, 3);
    ASSERT_STR_EQ(page.items[0].title, "k23");
    /* An over-large limit is clamped, not an error. */
    struct td_article_filter huge = {.limit = 1000000};
    ASSERT_OK(td_store_article_list(st, &huge, &a, &page));
    ASSERT_EQ(page.n, 25);
    td_arena_release(&a);
    td_store_close(st);
}

static void test_transactions(void)
{
    struct td_store *st = open_ok(new_location("tx"));
    int64_t feed = add_feed(st, 0, "https://t.example/rss");
    int64_t n;

    ASSERT_OK(td_store_begin(st));
    put(st, feed, "a", "A", NULL, 1, NULL);
    put(st, feed, "b", "B", NULL, 2, NULL);
    ASSERT_EQ(td_store_begin(st), TD_EINVAL);
    ASSERT_OK(td_store_rollback(st));
    ASSERT_OK(td_store_article_count(st, 0, 0, &n));
    ASSERT_EQ(n, 0);
    ASSERT_EQ(td_store_commit(st), TD_EINVAL);
    ASSERT_EQ(td_store_rollback(st), TD_EINVAL);

    /* A failed write inside a transaction leaves the others in it. */
    ASSERT_OK(td_store_begin(st));
    put(st, feed, "a", "A", NULL, 1, NULL);
    struct td_article bad = {.feed_id = 4040, .entry_key = "x", .url = "https://t.example/x"};
    ASSERT_EQ(td_store_article_upsert(st, &bad, NULL, NULL), TD_EINVAL);
    put(st, feed, "b", "B", NULL, 2, NULL);
    ASSERT_OK(td_store_commit(st));
    ASSERT_OK(td_store_article_count(st, 0, 0, &n));
    ASSERT_EQ(n, 2);

    /* Closing with a transaction open rolls it back. */
    ASSERT_OK(td_store_begin(st));
    put(st, feed, "c", "C", NULL, 3, NULL);
    td_store_close(st);
    st = open_ok(new_location("tx"));
    ASSERT_OK(td_store_article_count(st, 0, 0, &n));
    ASSERT_EQ(n, 2);
    td_store_close(st);
}

/*
 * The data version moves on a watching handle when another handle commits
 * (an article, an outlet), not on its own reads, not on another handle's
 * rolled-back transaction, and not on its own writes.
 */
static void test_data_version(void)
{
    const char *loc = new_location("dv");
    struct td_store *w = open_ok(loc), *st = open_ok(loc);
    int64_t feed = add_feed(st, 0, "https://dv.example/rss");
    int64_t v0, v1, v2, v3;

    ASSERT_OK(td_store_data_version(w, &v0));
    ASSERT_OK(td_store_data_version(w, &v1));
    ASSERT_EQ(v1, v0);
    put(st, feed, "a", "A", NULL, 1, NULL);
    ASSERT_OK(td_store_data_version(w, &v1));
    ASSERT_NE(v1, v0);
    ASSERT_OK(td_store_begin(st));
    put(st, feed, "b", "B", NULL, 2, NULL);
    ASSERT_OK(td_store_rollback(st));
    ASSERT_OK(td_store_data_version(w, &v2));
    ASSERT_EQ(v2, v1);
    struct td_outlet o = {.name = "Dv", .site_url = "https://dv.example/"};
    ASSERT_OK(td_store_outlet_upsert(st, &o, NULL));
    ASSERT_OK(td_store_data_version(w, &v2));
    ASSERT_NE(v2, v1);
    ASSERT_OK(td_store_outlet_upsert(w, &o, NULL));
    ASSERT_OK(td_store_data_version(w, &v3));
    ASSERT_EQ(v3, v2);
    td_store_close(st);
    td_store_close(w);
}

/*
 * Two processes: while one holds a write transaction, the other's reads go
 * on (and see the last commit), and its write waits for the lock instead of
 * failing, then lands.
 */
static void test_second_writer_waits(void)
{
    const char *loc = new_location("twowriters");
    struct td_store *st = open_ok(loc);
    int64_t feed = add_feed(st, 0, "https://w.example/rss"), n;
    int go[2], done[2], status;
    char byte;
    pid_t pid;

    td_store_close(st);
    ASSERT_OK(pipe(go));
    ASSERT_OK(pipe(done));
    pid = fork();
    ASSERT(pid >= 0);
    if (pid == 0) {
        struct timespec hold = {0, 300 * 1000000L}, committing;
        close(go[0]);
        close(done[0]);
        st = open_ok(loc);
        ASSERT_OK(td_store_begin(st));
        put(st, feed, "child", "From the child", NULL, 1, NULL);
        ASSERT_EQ(write(go[1], "x", 1), 1);
        nanosleep(&hold, NULL);
        clock_gettime(CLOCK_MONOTONIC, &committing);
        ASSERT_OK(td_store_commit(st));
        ASSERT_EQ(write(done[1], &committing, sizeof(committing)), (ssize_t)sizeof(committing));
        td_store_close(st);
        _exit(0);
    }
    close(go[1]);
    close(done[1]);
    ASSERT_EQ(read(go[0], &byte, 1), 1);
    close(go[0]);
    st = open_ok(loc);
    ASSERT_OK(td_store_article_count(st, 0, 0, &n)); /* not blocked, and not dirty */
    ASSERT_EQ(n, 0);
    struct timespec committing, t1;
    put(st, feed, "parent", "From the parent", NULL, 2, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /*
     * The write could only go through once the child committed: it ends
     * after the child began to commit (a monotonic clock is the same in
     * both processes), however slow the machine.
     */
    ASSERT_EQ(read(done[0], &committing, sizeof(committing)), (ssize_t)sizeof(committing));
    close(done[0]);
    ASSERT(t1.tv_sec > committing.tv_sec ||
           (t1.tv_sec == committing.tv_sec && t1.tv_nsec >= committing.tv_nsec));
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_OK(td_store_article_count(st, 0, 0, &n));
    ASSERT_EQ(n, 2);
    td_store_close(st);
}

/* ---- search ---- */

static struct td_store *search_fixture(const char *name, int64_t ids[4])
{
    struct td_store *st = open_ok(new_location(name));
    int64_t feed = add_feed(st, 0, "https://s.example/rss");

    ids[0] = put(st, feed, "1", "Economy grows in Zürich",
                 "The Swiss economy expanded near the lake, bankers said.", 100, NULL);
    ids[1] = put(st, feed, "2", "Weather report",
                 "Rain all week; the economy of umbrellas is booming.", 200, NULL);
    ids[2] = put(st, feed, "3", "Election results",
                 "Voters chose a new council. Turnout was high in the capital.", 300, NULL);
    ids[3] = put(st, feed, "4", "東京の天気", "東京 は 雨 です", 400, NULL);
    return st;
}

static size_t search(struct td_store *st, const char *q, struct td_arena *a,
                     struct td_search_result *r)
{
    struct td_search_opts o = {.limit = 10, .mark_open = "[", .mark_close = "]"};
    int err = td_store_search(st, q, &o, a, r);

    if (err != 0) {
        fprintf(stderr, "# query <%.60s>: %s: %s\n", q, td_strerror(err), td_store_errmsg(st));
        ASSERT_OK(err);
    }
    return r->n;
}

static void test_search_ranking_and_syntax(void)
{
    int64_t ids[4];
    struct td_store *st = search_fixture("search", ids);
    struct td_search_result r;
    struct td_arena a;

    td_arena_init(&a);
    /* The title match ranks above the text-only match. */
    ASSERT_EQ(search(st, "economy", &a, &r), 2);
    ASSERT_EQ(r.hits[0].id, ids[0]);
    ASSERT_EQ(r.hits[1].id, ids[1]);
    ASSERT(r.hits[0].score > r.hits[1].score);
    ASSERT_CONTAINS(r.hits[1].snippet, "[economy]");
    /* Words all match; phrases are adjacent; -excludes; prefixes; diacritics fold. */
    ASSERT_EQ(search(st, "economy umbrellas", &a, &r), 1);
    ASSERT_EQ(r.hits[0].id, ids[1]);
    ASSERT_EQ(search(st, "\"swiss economy\"", &a, &r), 1);
    ASSERT_EQ(search(st, "\"economy swiss\"", &a, &r), 0);
    ASSERT_EQ(search(st, "economy -rain", &a, &r), 1);
    ASSERT_EQ(r.hits[0].id, ids[0]);
    ASSERT_EQ(search(st, "economy -\"all week\"", &a, &r), 1);
    ASSERT_EQ(search(st, "econ*", &a, &r), 2);
    ASSERT_EQ(search(st, "zurich", &a, &r), 1);
    ASSERT_EQ(search(st, "ZÜRICH", &a, &r), 1);
    ASSERT_EQ(search(st, "東京", &a, &r), 1);
    ASSERT_EQ(r.hits[0].id, ids[3]);
    /* Nothing to search for, or only exclusions: no hits, no error. */
    ASSERT_EQ(search(st, "", &a, &r), 0);
    ASSERT_EQ(search(st, "   ", &a, &r), 0);
    ASSERT_EQ(search(st, "-economy", &a, &r), 0);
    /* Paging. */
    struct td_search_opts o = {.limit = 1, .offset = 1};
    ASSERT_OK(td_store_search(st, "economy", &o, &a, &r));
    ASSERT_EQ(r.n, 1);
    ASSERT_EQ(r.hits[0].id, ids[1]);
    ASSERT_CONTAINS(r.hits[0].snippet, "\x02"
                                       "economy\x03");

    /* Filters: by outlet, and by time (sort_at: published 100..400). */
    struct td_outlet other = {.name = "Other", .site_url = "https://other.example/"};
    int64_t other_id;
    ASSERT_OK(td_store_outlet_upsert(st, &other, &other_id));
    int64_t other_feed = add_feed(st, other_id, "https://other.example/rss");
    int64_t other_art = put(st, other_feed, "o1", "Economy elsewhere", "Economy news.", 500, NULL);
    ASSERT_EQ(search(st, "economy", &a, &r), 3);
    struct td_search_opts fo = {.outlet_id = other_id};
    ASSERT_OK(td_store_search(st, "economy", &fo, &a, &r));
    ASSERT_EQ(r.n, 1);
    ASSERT_EQ(r.hits[0].id, other_art);
    struct td_search_opts range = {.after = 150, .before = 500};
    ASSERT_OK(td_store_search(st, "economy", &range, &a, &r));
    ASSERT_EQ(r.n, 1);
    ASSERT_EQ(r.hits[0].id, ids[1]);
    range.before = 0;
    ASSERT_OK(td_store_search(st, "economy", &range, &a, &r));
    ASSERT_EQ(r.n, 2);

    /* The index follows updates of title and text. */
    struct td_article upd = {.feed_id = 1,
                             .entry_key = "3",
                             .url = "https://news.example/3",
                             .text = "The council discussed the economy."};
    ASSERT_OK(td_store_article_upsert(st, &upd, NULL, NULL));
    ASSERT_EQ(search(st, "economy", &a, &r), 4);
    ASSERT_EQ(search(st, "turnout", &a, &r), 0);
    ASSERT_OK(td_store_check(st));
    td_arena_release(&a);
    td_store_close(st);
}

/*
 * Rows inserted in a transaction are indexed for search as it commits, in
 * one statement (sqlite.c, index_new), or sooner when something needs them:
 * a search on the same handle, an update of the row's text, a check.  A
 * rollback leaves no entry behind; the index stays consistent throughout.
 */
static void test_search_indexes_a_transaction(void)
{
    struct td_store *st = open_ok(new_location("ftstx"));
    int64_t feed = add_feed(st, 0, "https://tx.example/rss");
    struct td_search_result r;
    struct td_arena a;

    td_arena_init(&a);
    ASSERT_OK(td_store_begin(st));
    put(st, feed, "a", "Harbour crane", "The harbour crane lifted a barge.", 100, NULL);
    put(st, feed, "b", "Orchard frost", "Frost hit the orchard overnight.", 200, NULL);
    /* The same handle sees its own rows. */
    ASSERT_EQ(search(st, "harbour", &a, &r), 1);
    put(st, feed, "c", "Quarry blast", "A blast at the quarry shook windows.", 300, NULL);
    /* Updating a row's text before the commit replaces its entry. */
    enum td_store_upsert res;
    put(st, feed, "c", "Quarry flood", "Rain flooded the quarry.", 300, &res);
    ASSERT_EQ(res, TD_UPSERT_CHANGED);
    ASSERT_OK(td_store_commit(st));
    ASSERT_EQ(search(st, "orchard", &a, &r), 1);
    ASSERT_EQ(search(st, "flooded", &a, &r), 1);
    ASSERT_EQ(search(st, "blast", &a, &r), 0);
    ASSERT_OK(td_store_check(st));

    /* Rolled back: neither the rows nor their entries. */
    ASSERT_OK(td_store_begin(st));
    put(st, feed, "d", "Glacier melt", "The glacier lost a metre.", 400, NULL);
    ASSERT_OK(td_store_rollback(st));
    ASSERT_EQ(search(st, "glacier", &a, &r), 0);
    /* Alone, an upsert indexes its row in its own transaction. */
    put(st, feed, "e", "Lighthouse keeper", "The keeper retired.", 500, NULL);
    ASSERT_EQ(search(st, "lighthouse", &a, &r), 1);
    ASSERT_OK(td_store_check(st));
    td_arena_release(&a);
    td_store_close(st);
}

static void test_search_hostile_queries(void)
{
    static const char *const hostile[] = {
        "\"",
        "\"\"",
        "\"\"\"",
        "economy\"",
        "\"economy",
        "NEAR(",
        "NEAR(economy lake, 2)",
        "economy NEAR(",
        "*",
        "**economy",
        "economy*",
        "-",
        "--",
        "- -economy",
        "-\"",
        "+economy",
        "AND",
        "OR",
        "NOT",
        "economy AND",
        "economy OR NOT rain",
        "title:economy",
        "{title text}: economy",
        "^economy",
        "(economy",
        "economy)",
        ")(",
        "'; DROP TABLE articles; --",
        "economy'",
        "\\\"economy\\\"",
        "éé ü ß ﬁ",
        "\xf0\x9f\x98\x80 emoji",
        "日本語\"の\"検索 -東京",
        "a\tb\nc\rd",
        "\"unterminated phrase with NEAR( and * in it",
        "economy \"\" rain",
        "col:umn:s",
        "economy    *    lake",
        "\x01\x02\x03",
    };
    int64_t ids[4];
    struct td_store *st = search_fixture("hostile", ids);
    struct td_search_result r;
    struct td_arena a;
    char *huge;

    td_arena_init(&a);
    for (size_t i = 0; i < TD_ARRAY_SIZE(hostile); i++)
        search(st, hostile[i], &a, &r);
    /* Literal text still finds what it says. */
    ASSERT_EQ(search(st, "NEAR( economy", &a, &r), 1); /* the words "near" and "economy" */
    ASSERT_EQ(r.hits[0].id, ids[0]);
    ASSERT_EQ(search(st, "title:economy", &a, &r), 0); /* no column filters: a phrase */
    ASSERT_EQ(search(st, "+economy", &a, &r), 2);
    ASSERT_EQ(search(st, "economy\"", &a, &r), 2);
    ASSERT_EQ(search(st, "(economy", &a, &r), 2);
    ASSERT_EQ(search(st, "economy OR rain", &a, &r), 0); /* OR is a word, and absent */
    ASSERT_EQ(search(st, "'; DROP TABLE articles; --", &a, &r), 0);
    ASSERT_OK(td_store_check(st));

    /* Not UTF-8, or oversized: a clear error, not a syntax error. */
    ASSERT_EQ(td_store_search(st, "\xff\xfe invalid utf8 \xc3", NULL, &a, &r), TD_EENCODING);
    huge = td_xmalloc(10 * 1024 + 1);
    for (size_t i = 0; i < 10 * 1024; i++)
        huge[i] = "ab\" -*(N"[i % 8];
    huge[10 * 1024] = '\0';
    ASSERT_EQ(td_store_search(st, huge, NULL, &a, &r), TD_ETOOBIG);
    huge[TD_STORE_QUERY_MAX] = '\0';
    ASSERT_EQ(td_store_search(st, huge, NULL, &a, &r), TD_ETOOBIG); /* too many terms */
    memset(huge, 'x', TD_STORE_QUERY_MAX);
    ASSERT_OK(td_store_search(st, huge, NULL, &a, &r)); /* one long word is fine */
    memset(huge, '"', TD_STORE_QUERY_MAX);
    ASSERT_OK(td_store_search(st, huge, NULL, &a, &r));
    /* "w w w ... w": exactly the most terms allowed, then one more. */
    char terms[2 * TD_STORE_QUERY_TERMS_MAX + 2];
    for (int i = 0; i < TD_STORE_QUERY_TERMS_MAX; i++)
        memcpy(terms + 2 * i, "w ", 2);
    terms[2 * TD_STORE_QUERY_TERMS_MAX] = '\0';
    ASSERT_OK(td_store_search(st, terms, NULL, &a, &r));
    terms[2 * TD_STORE_QUERY_TERMS_MAX] = 'w';
    terms[2 * TD_STORE_QUERY_TERMS_MAX + 1] = '\0';
    ASSERT_EQ(td_store_search(st, terms, NULL, &a, &r), TD_ETOOBIG);
    free(huge);
    td_arena_release(&a);
    td_store_close(st);
}

/* ---- durability ---- */

#define BATCH 20
#define KILL_ROUNDS 6

/*
 * The child of the durability test: ingest batches of BATCH articles, one
 * transaction each, forever, and report each batch number on `fd` once its
 * commit has returned.  It starts after the last batch in the database.
 */
static void ingest_forever(const char *loc, int fd)
{
    struct td_store *st = NULL;
    char key[64], text[256];
    int64_t feed, n;

    if (td_store_open(loc, 0, &st) < 0)
        _exit(2);
    feed = add_feed(st, 0, "https://durable.example/rss");
    if (td_store_article_count(st, 0, 0, &n) < 0 || n % BATCH != 0)
        _exit(3);
    for (int64_t b = n / BATCH;; b++) {
        if (td_store_begin(st) < 0)
            _exit(4);
        for (int i = 0; i < BATCH; i++) {
            struct td_article art = {.feed_id = feed,
                                     .entry_key = key,
                                     .url = key,
                                     .title = "durable",
                                     .text = text,
                                     .published = b};
            snprintf(key, sizeof(key), "https://durable.example/%" PRId64 "/%d", b, i);
            snprintf(text, sizeof(text), "batch %" PRId64 " item %d of the durability test", b, i);
            if (td_store_article_upsert(st, &art, NULL, NULL) < 0)
                _exit(5);
        }
        if (td_store_commit(st) < 0)
            _exit(6);
        if (write(fd, &b, sizeof(b)) != sizeof(b))
            _exit(7);
    }
}

static void test_durability_under_sigkill(void)
{
    const char *loc = new_location("durable");
    struct td_store *st;
    struct td_arena a;
    int64_t last = -1, n;

    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (int round = 0; round < KILL_ROUNDS; round++) {
        int fds[2], status;
        int64_t b, first = -1;
        pid_t pid;

        ASSERT_OK(pipe(fds));
        pid = fork();
        ASSERT(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            ingest_forever(loc, fds[1]);
        }
        close(fds[1]);
        /* Wait for this child's first commit, then kill it at a random moment. */
        struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
        ASSERT_EQ(poll(&pfd, 1, 10000), 1);
        ASSERT_EQ(read(fds[0], &first, sizeof(first)), (ssize_t)sizeof(first));
        /* Ingestion resumed after every batch reported before. */
        ASSERT_GT(first, last);
        last = first;
        struct timespec pause = {0, (long)(rand() % 40) * 1000000L};
        nanosleep(&pause, NULL);
        ASSERT_OK(kill(pid, SIGKILL));
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        while (read(fds[0], &b, sizeof(b)) == (ssize_t)sizeof(b)) {
            ASSERT_EQ(b, last + 1);
            last = b;
        }
        close(fds[0]);
    }
    fprintf(stderr, "# %d kills, last reported batch %" PRId64 "\n", KILL_ROUNDS, last);

    st = open_ok(loc);
    ASSERT_OK(td_store_check(st));
    ASSERT_OK(td_store_article_count(st, 0, 0, &n));
    ASSERT_GE(n, (last + 1) * BATCH); /* nothing reported committed is missing */
    ASSERT_EQ(n % BATCH, 0);          /* and no batch is half there */
    td_arena_init(&a);
    for (int64_t b = 0; b <= last; b++) {
        char key[64];
        struct td_article *art;
        snprintf(key, sizeof(key), "https://durable.example/%" PRId64 "/%d", b, BATCH - 1);
        ASSERT_OK(td_store_article_get_by_key(st, 1, key, &a, &art));
        ASSERT_EQ(art->published, b);
    }
    td_arena_release(&a);
    /* And the database takes writes again. */
    int64_t feed = add_feed(st, 0, "https://durable.example/rss");
    put(st, feed, "after", "After the kills", NULL, 1, NULL);
    td_store_close(st);
}

static void remove_tmpdir(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    char path[512];

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(tmpdir);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_open_migrates_and_reopens),
    TAP_TEST(test_sqlite_wal_mode),
    TAP_TEST(test_sqlite_newer_schema_refused),
    TAP_TEST(test_sqlite_foreign_file_refused),
    TAP_TEST(test_open_errors),
    TAP_TEST(test_redact),
    TAP_TEST(test_sqlite_open_errors),
    TAP_TEST(test_pg_open_errors),
    TAP_TEST(test_pg_newer_schema_refused),
    TAP_TEST(test_pg_foreign_db_refused),
    TAP_TEST(test_pg_concurrent_first_open),
    TAP_TEST(test_pg_reconnects),
    TAP_TEST(test_readonly_handle),
    TAP_TEST(test_outlet_upsert),
    TAP_TEST(test_feed_add_idempotent),
    TAP_TEST(test_feed_due_and_fetch_updates),
    TAP_TEST(test_feed_permanent_redirect),
    TAP_TEST(test_article_upsert_idempotent),
    TAP_TEST(test_article_keys_and_url_lookup),
    TAP_TEST(test_foreign_keys_enforced),
    TAP_TEST(test_caps_and_required_fields),
    TAP_TEST(test_page_retry_outcomes),
    TAP_TEST(test_list_paging),
    TAP_TEST(test_transactions),
    TAP_TEST(test_data_version),
    TAP_TEST(test_second_writer_waits),
    TAP_TEST(test_search_ranking_and_syntax),
    TAP_TEST(test_search_indexes_a_transaction),
    TAP_TEST(test_search_hostile_queries),
    TAP_TEST(test_durability_under_sigkill),
    TAP_END,
};

int main(void)
{
    const char *base = getenv("TMPDIR");
    int rc;

    snprintf(tmpdir, sizeof(tmpdir), "%s/td-store-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 99;
    }
    test_location_init();
    rc = tap_run(tests);
    test_location_cleanup();
    remove_tmpdir();
    return rc;
}
