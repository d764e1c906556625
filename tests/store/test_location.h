/*
 * test_location.h - a fresh database per test, of the back end under test.
 *
 * The store's tests go through store.h only, so each runs over both back
 * ends: TD_TEST_STORE names the one under test ("sqlite", the default, or
 * "postgresql"), and test_location() is the one place that turns a test's
 * name into a database location.
 *
 * SQLite: a file in the test's temporary directory.  PostgreSQL: a new
 * database on the server TD_TEST_PG points at (a postgresql:// URI whose
 * user may CREATE DATABASE; tools/test.sh starts a throwaway server and
 * sets it), named after the test binary's process and the test, created on
 * first use and dropped by test_location_cleanup().  Without TD_TEST_PG the
 * test is skipped with a message.
 */
#ifndef TD_TEST_LOCATION_H
#define TD_TEST_LOCATION_H

#include "harness/tap.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdbool.h>

static inline const char *test_backend(void)
{
    const char *b = getenv("TD_TEST_STORE");

    return b && *b ? b : "sqlite";
}

static inline bool test_is_sqlite(void)
{
    return strcmp(test_backend(), "sqlite") == 0;
}

/* The server to create test databases on; skips the test when there is none. */
static inline const char *test_pg_server(void)
{
    const char *uri = getenv("TD_TEST_PG");

    if (!uri || !*uri)
        TAP_SKIP("no PostgreSQL server: set TD_TEST_PG=postgresql://... "
                 "(tools/test.sh starts one when PostgreSQL is installed)");
    return uri;
}

/* `uri` with its database name replaced by `db` (a plain identifier). */
static inline void test_pg_uri(const char *uri, const char *db, char *out, size_t size)
{
    const char *auth = strstr(uri, "://"), *path, *query;

    ASSERT(auth != NULL);
    auth += 3;
    path = auth + strcspn(auth, "/?");
    query = path + strcspn(path, "?");
    snprintf(out, size, "%.*s/%s%s", (int)(path - uri), uri, db, query);
}

static inline void test_pg_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Run SQL on the server's maintenance database; 0, or -1 with the message printed. */
static inline int test_pg_exec(const char *sql)
{
    PGconn *c = PQconnectdb(test_pg_server());
    PGresult *r;
    int rc = 0;

    PQsetNoticeProcessor(c, test_pg_quiet, NULL);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "# TD_TEST_PG: %s", PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "# %s: %s", sql, PQresultErrorMessage(r));
        rc = -1;
    }
    PQclear(r);
    PQfinish(c);
    return rc;
}

/*
 * Test databases are named td_test_<pid>_<test>, <pid> the test binary's
 * main process (each test runs in a child of it): test_location_init()
 * notes it, and test_location_cleanup() drops them all at the end.
 */
static pid_t test_pg_main;
static char test_pg_made[16][64]; /* created by this process, so known empty or the test's */
static size_t test_pg_nmade;
static pid_t test_pg_maker;

static inline void test_location_init(void)
{
    test_pg_main = getpid();
}

static inline void test_location_cleanup(void)
{
    const char *uri = getenv("TD_TEST_PG");
    char like[64];
    const char *params[1] = {like};
    PGconn *c;
    PGresult *r;

    if (test_is_sqlite() || !uri || !*uri)
        return;
    c = PQconnectdb(uri);
    snprintf(like, sizeof(like), "td\\_test\\_%ld\\_%%", (long)test_pg_main);
    r = PQexecParams(c, "SELECT datname FROM pg_database WHERE datname LIKE $1", 1, NULL, params,
                     NULL, NULL, 0);
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
        char sql[160];
        snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %.63s WITH (FORCE)",
                 PQgetvalue(r, i, 0));
        PQclear(PQexec(c, sql));
    }
    PQclear(r);
    PQfinish(c);
}

/* The name of test `name`'s database: td_test_<main pid>_<name>. */
static inline void test_pg_name(const char *name, char *out, size_t size)
{
    size_t n =
        (size_t)snprintf(out, size, "td_test_%ld_", (long)(test_pg_main ? test_pg_main : getpid()));

    for (const char *p = name; *p && n + 1 < size; p++)
        out[n++] = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
    out[n] = '\0';
}

/*
 * A database for test `name`, created empty on its first use in this
 * process (the same name again is the same database: a test may reopen it).
 */
static inline const char *test_pg_location(const char *name)
{
    static char uri[1024];
    char db[64], sql[160];
    bool known = false;

    test_pg_name(name, db, sizeof(db));
    if (test_pg_maker != getpid()) {
        test_pg_maker = getpid();
        test_pg_nmade = 0;
    }
    for (size_t i = 0; i < test_pg_nmade; i++)
        known = known || strcmp(test_pg_made[i], db) == 0;
    if (!known) {
        ASSERT(test_pg_nmade < sizeof(test_pg_made) / sizeof(test_pg_made[0]));
        snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
        if (test_pg_exec(sql) < 0)
            tap_fail_(__FILE__, __LINE__, "cannot drop an old test database on TD_TEST_PG");
        snprintf(sql, sizeof(sql), "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0", db);
        if (test_pg_exec(sql) < 0)
            tap_fail_(__FILE__, __LINE__, "cannot create a test database on TD_TEST_PG");
        snprintf(test_pg_made[test_pg_nmade++], sizeof(test_pg_made[0]), "%s", db);
    }
    test_pg_uri(test_pg_server(), db, uri, sizeof(uri));
    return uri;
}

/* A location for database `name` of the back end under test (SQLite: in `dir`). */
static inline const char *test_location(const char *dir, const char *name)
{
    static char path[512];

    if (!test_is_sqlite())
        return test_pg_location(name);
    snprintf(path, sizeof(path), "%s/%s.db", dir, name);
    return path;
}

#endif
