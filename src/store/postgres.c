/*
 * postgres.c - the PostgreSQL back end of the store, on libpq.
 *
 * One connection per handle, to the database a postgres:// or
 * postgresql:// URI names (libpq parses it: user, password, host or unix
 * socket directory, port, database, options).  Migrations from
 * src/store/migrations/postgres/ run on open, each in its own transaction
 * under an advisory lock, so that several processes (on several machines)
 * opening one database at once apply each exactly once; tidings_schema
 * counts them.
 *
 * Every statement is prepared once per connection, in a slot of its own,
 * and sent with its parameters apart from the SQL text (all as text): user
 * input never becomes SQL.  The only SQL put together at run time are the
 * list and count statements, from fixed fragments chosen by the filters.
 *
 * Writes behave as in the SQLite back end.  One writer at a time: every
 * write transaction takes a transaction-scoped advisory lock first, and
 * waits for it up to the lock timeout (5 s, then TD_ETIMEOUT), so a
 * crawler's batch and the story aggregates it keeps are never interleaved
 * with another writer's.  Readers never wait.  Inside the caller's
 * transaction each operation runs in a savepoint: PostgreSQL would abort
 * the whole transaction on one failed statement, where SQLite undoes only
 * that statement, and callers count on the latter.
 *
 * Search is PostgreSQL's full-text search: a tsvector column generated
 * from title and text (see 0001_init.sql) with a GIN index, queried with a
 * tsquery rendered from the parsed query, every term quoted.
 */
#include "base/compat.h"
#include "store/postgres_int.h"

#include "base/buf.h"
#include "base/error.h"
#include "base/log.h"

#include <inttypes.h>
#include <stdlib.h>

/* pg_advisory_xact_lock(APP_KEY, ...): 'tdng', as SQLite's application_id. */
#define MIGRATE_LOCK "SELECT pg_advisory_xact_lock(1952738919, 1)"
#define WRITE_LOCK "SELECT pg_advisory_xact_lock(1952738919, 2)"
#define TSQUERY_CAP 16384

enum stmt_id {
    S_OUTLET_UPSERT,
    S_OUTLET_GET,
    S_OUTLET_LIST,
    S_FEED_INSERT,
    S_FEED_ID_BY_URL,
    S_FEED_GET,
    S_FEED_GET_URL,
    S_FEED_LIST,
    S_FEED_DUE,
    S_FEED_UPDATE_FETCH,
    S_FEED_SET_URL,
    S_FEED_SET_PREFS,
    S_ARTICLE_FIND,
    S_ARTICLE_UPSERT,
    S_ARTICLE_GET,
    S_ARTICLE_GET_KEY,
    S_ARTICLE_GET_URL,
    S_SEARCH,
    S_DATA_VERSION,
    S_SCHEMA_VERSION,
    S_CHECK_TAGS,
    S_COUNT
};

/* List and count statements, one per combination of filters. */
enum {
    LIST_OUTLET = 1,
    LIST_FEED = 2,
    LIST_CURSOR = 4,
    LIST_BODY = 8,
    LIST_PENDING = 16,
    LIST_ORIGINALS = 32,
    LIST_VARIANTS = 64
};

/* Prepared statement slots: the fixed ones, the built ones, then the other files'. */
enum {
    SLOT_LISTS = S_COUNT,
    SLOT_COUNTS = SLOT_LISTS + LIST_VARIANTS,
    SLOT_EXTRA = SLOT_COUNTS + (LIST_OUTLET | LIST_FEED) + 1,
    SLOT_COUNT = SLOT_EXTRA + TD_PQ_EXTRA_STMTS
};

#define OUTLET_COLS "id, name, site_url, icon_url"
#define FEED_COLS                                                                                  \
    "id, outlet_id, url, title, etag, last_modified, allow_private, created_at, "                  \
    "last_fetched_at, next_fetch_at, interval_s, error_count, last_error, last_status, "           \
    "category, tz"

/*
 * The article upsert's parameters (as sqlite.c's insert and update):
 *   $1 feed_id  $2 outlet_id  $3 entry_key  $4 url  $5 title  $6 authors
 *   $7 published  $8 updated  $9 date_clamped  $10 feed_summary_html
 *   $11 feed_content_html  $12 image_url  $13 image_caption  $14 image_credit
 *   $15 text  $16 html  $17 language  $18 word_count  $19 extract_error
 *   $20 fetched_at  $21 simhash  $22 story_id  $23 page_attempts
 *   $24 page_retry_at  $25 image_alt  $26 now
 * A NULL parameter keeps the stored value on update (COALESCE), and the
 * update only touches the row when some value differs (IS DISTINCT FROM).
 * extract_error and page_retry_at are outcomes: a new text ($15) replaces
 * the error, a new fetch time ($20) the retry time (see store.h).
 */
#define KEEP(col, p) col " = COALESCE(" p ", " col ")"
#define DIFF(col, p) col " IS DISTINCT FROM COALESCE(" p ", " col ")"
#define NEW_ERROR                                                                                  \
    "CASE WHEN $15::text IS NOT NULL THEN $19::text ELSE COALESCE($19::text, extract_error) END"
#define NEW_RETRY                                                                                  \
    "CASE WHEN $20::bigint IS NOT NULL THEN $24::bigint "                                          \
    "ELSE COALESCE($24::bigint, page_retry_at) END"

/* clang-format off */
/*
 * Search, as sqlite.c's (see there): m, the matches that pass the filters,
 * by title and text (ranked by ts_rank, title weighted 10:1 over text) and
 * by tag term (ranked 0, after them), each with its family (the original's
 * id); p, the page, one row per family, the original when it matched;
 * snippets for the page alone.  $1 the query, $2 limit, $3 offset, $4
 * outlet_id, $5 after, $6 before, $7 tag_id, $8 the excluded terms ORed
 * (NULL: none): an article whose title, text or tags match one is left out.
 * Snippets are marked with \x02 and \x03, replaced by the caller's marks.
 */
#define SEARCH_SQL                                                                                 \
    "WITH q AS (SELECT to_tsquery('td_search', $1::text) AS q, "                                   \
    "to_tsquery('td_search', COALESCE($8::text, '')) AS x), "                                      \
    "m AS (SELECT s.id, s.r, COALESCE(a.duplicate_of, a.id) AS fam FROM ("                         \
    "SELECT b.id, ts_rank('{0, 0, 0.1, 1.0}', b.search, q.q)::float8 AS r FROM articles b, q "     \
    "WHERE b.search @@ q.q UNION ALL SELECT x.article_id, 0::float8 FROM q, tags t "               \
    "JOIN article_tags x ON x.tag_id = t.id WHERE t.search @@ q.q) s "                             \
    "JOIN articles a ON a.id = s.id, q "                                                           \
    "WHERE ($4::bigint = 0 OR a.outlet_id = $4::bigint) "                                          \
    "AND ($5::bigint = 0 OR a.sort_at >= $5::bigint) "                                             \
    "AND ($6::bigint = 0 OR a.sort_at < $6::bigint) "                                              \
    "AND ($7::bigint = 0 OR EXISTS (SELECT 1 FROM article_tags t "                                 \
    "WHERE t.article_id = a.id AND t.tag_id = $7::bigint)) "                                       \
    "AND ($8::text IS NULL OR (NOT a.search @@ q.x AND NOT EXISTS (SELECT 1 FROM article_tags y "   \
    "JOIN tags g ON g.id = y.tag_id WHERE y.article_id = a.id AND g.search @@ q.x)))), "           \
    "p AS (SELECT id, fr FROM (SELECT id, max(r) OVER (PARTITION BY fam) AS fr, "                  \
    "row_number() OVER (PARTITION BY fam ORDER BY fam <> id, r DESC, id) AS k FROM m) z "          \
    "WHERE k = 1 ORDER BY fr DESC, id DESC LIMIT $2::bigint OFFSET $3::bigint) "                   \
    "SELECT p.id, p.fr, CASE WHEN a.search @@ q.q THEN ts_headline('td_search', "                  \
    "COALESCE(a.text, a.title, ''), q.q, "                                                         \
    "'StartSel=\x02, StopSel=\x03, MaxWords=16, MinWords=6, MaxFragments=1') END "                 \
    "FROM p JOIN articles a ON a.id = p.id, q ORDER BY p.fr DESC, p.id DESC"

static const char *const sql_text[S_COUNT] = {
    [S_OUTLET_UPSERT] =
        "INSERT INTO outlets(name, site_url, icon_url) VALUES ($1, $2, $3) "
        "ON CONFLICT (site_url) DO UPDATE SET name = excluded.name, "
        "icon_url = COALESCE(excluded.icon_url, outlets.icon_url) RETURNING id",
    [S_OUTLET_GET] = "SELECT " OUTLET_COLS " FROM outlets WHERE id = $1",
    [S_OUTLET_LIST] = "SELECT " OUTLET_COLS " FROM outlets ORDER BY name COLLATE \"C\", id",
    [S_FEED_INSERT] =
        "INSERT INTO feeds(outlet_id, url, title, allow_private, created_at, next_fetch_at, "
        "interval_s, category, tz) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT (url) DO NOTHING RETURNING id",
    [S_FEED_ID_BY_URL] = "SELECT id FROM feeds WHERE url = $1",
    [S_FEED_GET] = "SELECT " FEED_COLS " FROM feeds WHERE id = $1",
    [S_FEED_GET_URL] = "SELECT " FEED_COLS " FROM feeds WHERE url = $1",
    [S_FEED_LIST] = "SELECT " FEED_COLS " FROM feeds ORDER BY id",
    [S_FEED_DUE] = "SELECT " FEED_COLS " FROM feeds WHERE next_fetch_at <= $1 "
                   "ORDER BY next_fetch_at, id LIMIT $2",
    [S_FEED_UPDATE_FETCH] =
        "UPDATE feeds SET last_fetched_at = $2::bigint, last_status = $3::integer, "
        "last_error = $4::text, "
        "error_count = CASE WHEN $4::text IS NULL THEN 0 ELSE error_count + 1 END, "
        "etag = CASE WHEN $5::boolean THEN etag ELSE $6::text END, "
        "last_modified = CASE WHEN $5::boolean THEN last_modified ELSE $7::text END, "
        "title = COALESCE($8::text, title), next_fetch_at = $9::bigint, "
        "interval_s = CASE WHEN $10::bigint > 0 THEN $10::bigint ELSE interval_s END "
        "WHERE id = $1::bigint",
    [S_FEED_SET_URL] = "UPDATE feeds SET url = $2 WHERE id = $1",
    [S_FEED_SET_PREFS] =
        "UPDATE feeds SET "
        "category = CASE WHEN $2::text IS NULL THEN category ELSE NULLIF($2::text, '') END, "
        "tz = CASE WHEN $3::text IS NULL THEN tz ELSE NULLIF($3::text, '') END WHERE id = $1",
    [S_ARTICLE_FIND] = "SELECT id FROM articles WHERE feed_id = $1 AND entry_key = $2",
    /*
     * Find, then insert or update, in one statement (one round trip): f is
     * the row of (feed_id, entry_key) if there is one; ins adds the entry
     * when there is none (so no id is spent on a known one); upd rewrites
     * the row when some value differs.  The write lock keeps anyone from
     * adding the key in between.  Returns the id, whether it is new, and
     * whether the row changed.
     */
    [S_ARTICLE_UPSERT] =
        "WITH f AS (SELECT id FROM articles WHERE feed_id = $1::bigint AND entry_key = $3::text), "
        "ins AS (INSERT INTO articles(feed_id, outlet_id, entry_key, url, title, authors, "
        "published, updated, date_clamped, feed_summary_html, feed_content_html, image_url, "
        "image_caption, image_credit, text, html, language, word_count, extract_error, "
        "fetched_at, simhash, story_id, created_at, sort_at, page_attempts, page_retry_at, "
        "image_alt) SELECT $1::bigint, "
        "COALESCE($2::bigint, (SELECT outlet_id FROM feeds WHERE id = $1::bigint)), $3::text, "
        "$4::text, $5::text, $6::text, $7::bigint, $8::bigint, $9::boolean, $10::text, "
        "$11::text, $12::text, $13::text, $14::text, $15::text, $16::text, $17::text, "
        "$18::bigint, $19::text, $20::bigint, $21::bigint, $22::bigint, $26::bigint, "
        "COALESCE($7::bigint, $26::bigint), COALESCE($23::bigint, 0), $24::bigint, $25::text "
        "WHERE NOT EXISTS (SELECT 1 FROM f) RETURNING id), "
        "upd AS (UPDATE articles SET "
        KEEP("outlet_id", "$2::bigint") ", url = $4::text, " KEEP("title", "$5::text") ", "
        KEEP("authors", "$6::text") ", " KEEP("published", "$7::bigint") ", "
        KEEP("updated", "$8::bigint") ", date_clamped = $9::boolean, "
        KEEP("feed_summary_html", "$10::text") ", " KEEP("feed_content_html", "$11::text") ", "
        KEEP("image_url", "$12::text") ", " KEEP("image_caption", "$13::text") ", "
        KEEP("image_credit", "$14::text") ", " KEEP("image_alt", "$25::text") ", "
        KEEP("text", "$15::text") ", " KEEP("html", "$16::text") ", "
        KEEP("language", "$17::text") ", " KEEP("word_count", "$18::bigint") ", "
        "extract_error = " NEW_ERROR ", " KEEP("fetched_at", "$20::bigint") ", "
        KEEP("simhash", "$21::bigint") ", " KEEP("story_id", "$22::bigint") ", "
        KEEP("page_attempts", "$23::bigint") ", page_retry_at = " NEW_RETRY ", "
        "sort_at = COALESCE($7::bigint, sort_at) "
        "WHERE id = (SELECT id FROM f) AND ("
        DIFF("outlet_id", "$2::bigint") " OR url IS DISTINCT FROM $4::text OR "
        DIFF("title", "$5::text") " OR " DIFF("authors", "$6::text") " OR "
        DIFF("published", "$7::bigint") " OR " DIFF("updated", "$8::bigint") " OR "
        "date_clamped IS DISTINCT FROM $9::boolean OR " DIFF("feed_summary_html", "$10::text")
        " OR " DIFF("feed_content_html", "$11::text") " OR " DIFF("image_url", "$12::text")
        " OR " DIFF("image_caption", "$13::text") " OR " DIFF("image_credit", "$14::text")
        " OR " DIFF("image_alt", "$25::text") " OR " DIFF("text", "$15::text") " OR "
        DIFF("html", "$16::text") " OR " DIFF("language", "$17::text") " OR "
        DIFF("word_count", "$18::bigint") " OR extract_error IS DISTINCT FROM " NEW_ERROR " OR "
        DIFF("fetched_at", "$20::bigint") " OR " DIFF("simhash", "$21::bigint") " OR "
        DIFF("story_id", "$22::bigint") " OR " DIFF("page_attempts", "$23::bigint")
        " OR page_retry_at IS DISTINCT FROM " NEW_RETRY ") RETURNING id) "
        "SELECT COALESCE((SELECT id FROM ins), (SELECT id FROM f)), "
        "EXISTS (SELECT 1 FROM ins), EXISTS (SELECT 1 FROM upd)",
    [S_ARTICLE_GET] = "SELECT " TD_PQ_ARTICLE_COLS TD_PQ_ARTICLE_BODY " FROM articles WHERE id = $1",
    [S_ARTICLE_GET_KEY] = "SELECT " TD_PQ_ARTICLE_COLS TD_PQ_ARTICLE_BODY
                          " FROM articles WHERE feed_id = $1 AND entry_key = $2",
    [S_ARTICLE_GET_URL] = "SELECT " TD_PQ_ARTICLE_COLS TD_PQ_ARTICLE_BODY " FROM articles WHERE url = $1 "
                          "ORDER BY fetched_at IS NULL, sort_at DESC, id DESC LIMIT 1",
    [S_SEARCH] = SEARCH_SQL,
    [S_DATA_VERSION] = "SELECT COALESCE(sum(n), 0) FROM tidings_writes "
                       "WHERE writer <> current_setting('tidings.writer')",
    [S_SCHEMA_VERSION] = "SELECT version FROM tidings_schema",
    [S_CHECK_TAGS] = "SELECT t.slug FROM tags t WHERE t.articles <> "
                     "(SELECT count(*) FROM article_tags x WHERE x.tag_id = t.id) LIMIT 1",
};
/* clang-format on */

struct pg {
    struct td_store base; /* first: a struct td_store * is a struct pg * */
    PGconn *conn;
    bool tx;       /* td_store_begin's transaction is open */
    bool in_write; /* a write of its own is open (write_begin) */
    bool ready;    /* fully opened: close may tidy up */
    bool prepared[SLOT_COUNT];
};

static struct pg *pg_of(struct td_store *st)
{
    return (struct pg *)st;
}

/* ---- parameters and results ---- */

void td_pq_text(struct td_pq_params *p, const char *s)
{
    TD_ASSERT(p->n < TD_PQ_PARAMS_MAX);
    p->v[p->n++] = s;
}

void td_pq_int(struct td_pq_params *p, int64_t v)
{
    TD_ASSERT(p->n < TD_PQ_PARAMS_MAX);
    snprintf(p->num[p->n], sizeof(p->num[p->n]), "%" PRId64, v);
    p->v[p->n] = p->num[p->n];
    p->n++;
}

void td_pq_opt(struct td_pq_params *p, int64_t v)
{
    if (v)
        td_pq_int(p, v);
    else
        td_pq_text(p, NULL);
}

void td_pq_bool(struct td_pq_params *p, bool v)
{
    td_pq_text(p, v ? "t" : "f");
}

const char *td_pq_str(const PGresult *r, int row, int col, struct td_arena *a)
{
    if (PQgetisnull(r, row, col))
        return NULL;
    return td_arena_strndup(a, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

int64_t td_pq_int64(const PGresult *r, int row, int col)
{
    const char *v = PQgetvalue(r, row, col);

    if (PQgetisnull(r, row, col))
        return 0;
    if (*v == 't' || *v == 'f')
        return *v == 't';
    return strtoll(v, NULL, 10);
}

double td_pq_double(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0.0 : strtod(PQgetvalue(r, row, col), NULL);
}

int64_t td_pq_changes(const PGresult *r)
{
    return strtoll(PQcmdTuples((PGresult *)r), NULL, 10);
}

/* ---- errors and statements ---- */

/*
 * Map a failed result (or the connection's last error when `r` is NULL)
 * to a TD_E* code by SQLSTATE, keeping the server's message.  A foreign
 * key violation says so in the words SQLite uses, which callers know.
 */
static int pg_fail(struct pg *s, const PGresult *r, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    int err = TD_EDB, len;

    if (!msg)
        msg = PQerrorMessage(s->conn);
    len = (int)strcspn(msg, "\n");
    if (state) {
        if (strcmp(state, "23505") == 0)
            err = TD_EEXIST;
        else if (strcmp(state, "23503") == 0)
            return td_store_fail(&s->base, TD_EINVAL, "%s: FOREIGN KEY constraint failed: %.*s",
                                 what, len, msg);
        else if (strncmp(state, "23", 2) == 0)
            err = TD_EINVAL;
        else if (strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
            err = TD_ETIMEOUT;
        else if (strcmp(state, "54000") == 0)
            err = TD_ETOOBIG;
    }
    return td_store_fail(&s->base, err, "%s: %.*s", what, len, msg);
}

static int session_setup(struct pg *s);

/*
 * A connection the server dropped (a restart, a failover, an idle
 * timeout) is made again, and the call that found it dead is run again
 * once, when no transaction was open on it: that call was a read or a
 * BEGIN (every write runs in a transaction), so nothing is lost or done
 * twice, and a long-running server or crawler goes on.  Inside a
 * transaction the error stands: its work is gone, and the caller must know.
 */
static bool lost_outside_tx(const struct pg *s)
{
    return s->ready && !s->tx && !s->in_write && PQstatus(s->conn) == CONNECTION_BAD;
}

static int reconnect(struct pg *s)
{
    if (!lost_outside_tx(s))
        return 0;
    PQreset(s->conn);
    if (PQstatus(s->conn) != CONNECTION_OK) {
        int len = (int)strcspn(PQerrorMessage(s->conn), "\n");
        return td_store_fail(&s->base, TD_EDB, "reconnect: %.*s", len, PQerrorMessage(s->conn));
    }
    memset(s->prepared, 0, sizeof(s->prepared));
    td_log_warn("store reconnected to the PostgreSQL server");
    return session_setup(s);
}

static bool result_ok(const PGresult *r)
{
    return PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
}

/* Run SQL without parameters (one statement or several); no rows wanted. */
static int cmd(struct pg *s, const char *sql, const char *what)
{
    PGresult *r = NULL;
    int rc;

    for (int attempt = 0; attempt < 2; attempt++) {
        PQclear(r);
        if ((rc = reconnect(s)) < 0)
            return rc;
        r = PQexec(s->conn, sql);
        if (result_ok(r) || !lost_outside_tx(s))
            break;
    }
    if (!result_ok(r))
        rc = pg_fail(s, r, what);
    PQclear(r);
    return rc;
}

/* Prepare the statement of `slot` from `sql` on first use, and run it. */
static PGresult *exec_once(struct pg *s, unsigned slot, const char *sql,
                           const struct td_pq_params *p)
{
    char name[16];
    PGresult *r;

    snprintf(name, sizeof(name), "td%u", slot);
    if (!s->prepared[slot]) {
        r = PQprepare(s->conn, name, sql, 0, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            return r;
        PQclear(r);
        s->prepared[slot] = true;
    }
    return PQexecPrepared(s->conn, name, p ? p->n : 0, p ? p->v : NULL, NULL, NULL, 0);
}

/* Run the statement of `slot`; `*out` gets its result, to PQclear. */
static int exec_slot(struct pg *s, unsigned slot, const char *sql, const struct td_pq_params *p,
                     PGresult **out, const char *what)
{
    PGresult *r = NULL;
    int err;

    *out = NULL;
    TD_ASSERT(slot < SLOT_COUNT);
    for (int attempt = 0; attempt < 2; attempt++) {
        PQclear(r);
        if ((err = reconnect(s)) < 0)
            return err;
        r = exec_once(s, slot, sql, p);
        if (result_ok(r) || !lost_outside_tx(s))
            break;
    }
    if (!result_ok(r)) {
        err = pg_fail(s, r, what);
        PQclear(r);
        return err;
    }
    *out = r;
    return 0;
}

static int exec_stmt(struct pg *s, enum stmt_id id, const struct td_pq_params *p, PGresult **out,
                     const char *what)
{
    return exec_slot(s, id, sql_text[id], p, out, what);
}

int td_pq_exec(struct td_store *st, unsigned slot, const char *sql, const struct td_pq_params *p,
               PGresult **res, const char *what)
{
    TD_ASSERT(slot < TD_PQ_EXTRA_STMTS);
    return exec_slot(pg_of(st), SLOT_EXTRA + slot, sql, p, res, what);
}

/* ---- transactions ---- */

/* BEGIN, and the write lock unless the handle only reads. */
static int tx_begin(struct pg *s)
{
    int err;

    if (s->base.flags & TD_STORE_READONLY)
        return cmd(s, "BEGIN", "begin");
    if ((err = cmd(s, "BEGIN; " WRITE_LOCK, "begin")) < 0 &&
        PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        PQclear(PQexec(s->conn, "ROLLBACK"));
    return err;
}

/*
 * COMMIT, making sure it did: a transaction that failed earlier answers
 * COMMIT by rolling back, without an error.
 */
static int tx_commit(struct pg *s)
{
    PGresult *r;
    int err = 0;

    if (PQtransactionStatus(s->conn) == PQTRANS_INERROR) {
        PQclear(PQexec(s->conn, "ROLLBACK"));
        return td_store_fail(&s->base, TD_EDB,
                             "commit: a statement failed in the transaction: rolled back");
    }
    r = PQexec(s->conn, "COMMIT");
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        err = pg_fail(s, r, "commit");
    else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
        err = td_store_fail(&s->base, TD_EDB, "commit: the transaction was rolled back");
    PQclear(r);
    if (err < 0 && PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        PQclear(PQexec(s->conn, "ROLLBACK"));
    return err;
}

static int write_begin(struct pg *s, bool *own)
{
    int err;

    *own = !s->tx;
    err = *own ? tx_begin(s) : cmd(s, "SAVEPOINT td_write", "begin");
    s->in_write = err == 0;
    return err;
}

static int write_end(struct pg *s, bool own, int err)
{
    char first[sizeof(s->base.errmsg)];

    s->in_write = false;
    if (err == 0) {
        err = own ? tx_commit(s) : cmd(s, "RELEASE td_write", "commit");
        if (err == 0 || own)
            return err;
    }
    /* Undo, keeping the first error's message: it is the one that matters. */
    memcpy(first, s->base.errmsg, sizeof(first));
    if (own)
        PQclear(PQexec(s->conn, "ROLLBACK"));
    else
        cmd(s, "ROLLBACK TO td_write; RELEASE td_write", "rollback");
    memcpy(s->base.errmsg, first, sizeof(first));
    return err;
}

int td_pq_write_begin(struct td_store *st, bool *own)
{
    return write_begin(pg_of(st), own);
}

int td_pq_write_end(struct td_store *st, bool own, int err)
{
    return write_end(pg_of(st), own, err);
}

/*
 * One write statement as a write transaction of its own (or a savepoint
 * in the caller's): `*out` (may be NULL) gets its result.
 */
/* Prepare the statement of `slot` from `sql` unless this connection has. */
static int prepare(struct pg *s, unsigned slot, const char *sql, const char *what)
{
    char name[16];
    PGresult *r;
    int err = 0;

    if (s->prepared[slot])
        return 0;
    snprintf(name, sizeof(name), "td%u", slot);
    r = PQprepare(s->conn, name, sql, 0, NULL);
    if (PQresultStatus(r) == PGRES_COMMAND_OK)
        s->prepared[slot] = true;
    else
        err = pg_fail(s, r, what);
    PQclear(r);
    return err;
}

/*
 * Write statements with their transaction (BEGIN and the write lock,
 * COMMIT) or their savepoint in the caller's (SAVEPOINT, RELEASE), sent in
 * one round trip with libpq's pipeline mode: a write then costs the client
 * one wait for the server instead of one per statement.  When a statement
 * fails the server skips what follows it, and the transaction or savepoint
 * is undone after.  Each step's `res` (may be NULL) gets its result.
 * `steps[i].slot` is postgres.c's numbering.
 */
static int write_steps(struct pg *s, const struct td_pq_step *steps, size_t n, const char *what)
{
    bool own = !s->tx;
    const char *begin[2] = {own ? "BEGIN" : "SAVEPOINT td_write",
                            own && !(s->base.flags & TD_STORE_READONLY) ? WRITE_LOCK : NULL};
    const char *end = own ? "COMMIT" : "RELEASE td_write";
    char name[16], first[sizeof(s->base.errmsg)];
    PGresult *r, **res = td_xcalloc(n + 3, sizeof(*res));
    int err = 0, sent = 0, *stmt = td_xcalloc(n + 3, sizeof(*stmt));
    bool ok = true;

    for (size_t i = 0; i < n; i++)
        if (steps[i].res)
            *steps[i].res = NULL;
    if ((err = reconnect(s)) < 0)
        goto out;
    for (size_t i = 0; i < n && err == 0; i++)
        err = prepare(s, steps[i].slot, steps[i].sql, what);
    if (err < 0)
        goto out;
    if (PQenterPipelineMode(s->conn) != 1) {
        err = pg_fail(s, NULL, what);
        goto out;
    }
    /* stmt[q]: the step whose result query q gives, plus one (0: none). */
    for (size_t i = 0; i < 2 && ok; i++)
        if (begin[i])
            sent += ok = PQsendQueryParams(s->conn, begin[i], 0, NULL, NULL, NULL, NULL, 0);
    for (size_t i = 0; i < n && ok; i++) {
        const struct td_pq_params *p = steps[i].p;
        snprintf(name, sizeof(name), "td%u", steps[i].slot);
        stmt[sent] = (int)i + 1;
        sent += ok =
            PQsendQueryPrepared(s->conn, name, p ? p->n : 0, p ? p->v : NULL, NULL, NULL, 0);
    }
    if (ok)
        sent += ok = PQsendQueryParams(s->conn, end, 0, NULL, NULL, NULL, NULL, 0);
    ok = ok && PQpipelineSync(s->conn);
    if (!ok)
        err = pg_fail(s, NULL, what);
    /* Each query's results end with a NULL; the sync's result ends the pipeline. */
    for (int q = 0; ok && q <= sent;) {
        if (!(r = PQgetResult(s->conn))) {
            if (PQstatus(s->conn) == CONNECTION_BAD) {
                err = err ? err : pg_fail(s, NULL, what);
                break;
            }
            q++;
            continue;
        }
        if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (!result_ok(r)) {
            if (PQresultStatus(r) != PGRES_PIPELINE_ABORTED && err == 0)
                err = pg_fail(s, r, what);
        } else if (own && q == sent - 1 && strcmp(PQcmdStatus(r), "COMMIT") != 0 && err == 0) {
            err = td_store_fail(&s->base, TD_EDB, "%s: the transaction was rolled back", what);
        } else if (q < sent && stmt[q] && !res[stmt[q] - 1]) {
            res[stmt[q] - 1] = r;
            continue;
        }
        PQclear(r);
    }
    if (PQexitPipelineMode(s->conn) != 1 && err == 0)
        err = pg_fail(s, NULL, what);
    for (size_t i = 0; i < n && err == 0; i++)
        if (!res[i])
            err = td_store_fail(&s->base, TD_EDB, "%s: no result", what);
    if (err < 0) {
        /* Undo, keeping the first error's message: it is the one that matters. */
        memcpy(first, s->base.errmsg, sizeof(first));
        if (PQtransactionStatus(s->conn) == PQTRANS_INERROR ||
            PQtransactionStatus(s->conn) == PQTRANS_INTRANS)
            PQclear(PQexec(s->conn, own ? "ROLLBACK" : "ROLLBACK TO td_write; RELEASE td_write"));
        memcpy(s->base.errmsg, first, sizeof(first));
    }
out:
    for (size_t i = 0; i < n; i++) {
        if (err == 0 && steps[i].res)
            *steps[i].res = res[i];
        else
            PQclear(res[i]);
    }
    free(res);
    free(stmt);
    return err;
}

/* One write statement, as write_steps. */
static int write_slot(struct pg *s, unsigned slot, const char *sql, const struct td_pq_params *p,
                      PGresult **out, const char *what)
{
    struct td_pq_step step = {slot, sql, p, out};

    return write_steps(s, &step, 1, what);
}

int td_pq_write_steps(struct td_store *st, const struct td_pq_step *steps, size_t n,
                      const char *what)
{
    struct td_pq_step *abs = td_xcalloc(n ? n : 1, sizeof(*abs));
    int err;

    for (size_t i = 0; i < n; i++) {
        TD_ASSERT(steps[i].slot < TD_PQ_EXTRA_STMTS);
        abs[i] = steps[i];
        abs[i].slot += SLOT_EXTRA;
    }
    err = write_steps(pg_of(st), abs, n, what);
    free(abs);
    return err;
}

/* A write that must change a row: TD_ENOTFOUND with `what` when it changed none. */
static int write_changes_slot(struct pg *s, unsigned slot, const char *sql,
                              const struct td_pq_params *p, const char *what)
{
    PGresult *r;
    int err = write_slot(s, slot, sql, p, &r, what);

    if (err == 0 && td_pq_changes(r) == 0)
        err = td_store_fail(&s->base, TD_ENOTFOUND, "%s: no such row", what);
    PQclear(r);
    return err;
}

static int write_stmt(struct pg *s, enum stmt_id id, const struct td_pq_params *p, PGresult **out,
                      const char *what)
{
    return write_slot(s, id, sql_text[id], p, out, what);
}

static int write_changes(struct pg *s, enum stmt_id id, const struct td_pq_params *p,
                         const char *what)
{
    return write_changes_slot(s, id, sql_text[id], p, what);
}

int td_pq_write(struct td_store *st, unsigned slot, const char *sql, const struct td_pq_params *p,
                PGresult **res, const char *what)
{
    TD_ASSERT(slot < TD_PQ_EXTRA_STMTS);
    return write_slot(pg_of(st), SLOT_EXTRA + slot, sql, p, res, what);
}

int td_pq_write_changes(struct td_store *st, unsigned slot, const char *sql,
                        const struct td_pq_params *p, const char *what)
{
    TD_ASSERT(slot < TD_PQ_EXTRA_STMTS);
    return write_changes_slot(pg_of(st), SLOT_EXTRA + slot, sql, p, what);
}

/* ---- lifecycle ---- */

static void pg_close(struct td_store *st)
{
    struct pg *s = pg_of(st);

    if (s->conn && PQstatus(s->conn) == CONNECTION_OK) {
        if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
            PQclear(PQexec(s->conn, "ROLLBACK"));
        /* Fold this connection's count of writes into the common row
         * (the sum the others see stays the same). */
        if (s->ready && !(s->base.flags & TD_STORE_READONLY))
            PQclear(PQexec(s->conn,
                           "WITH gone AS (DELETE FROM tidings_writes "
                           "WHERE writer = current_setting('tidings.writer') RETURNING n) "
                           "INSERT INTO tidings_writes(writer, n) SELECT '', n FROM gone "
                           "ON CONFLICT (writer) DO UPDATE SET n = tidings_writes.n + excluded.n"));
    }
    PQfinish(s->conn);
    free(s);
}

static int one_int(struct pg *s, enum stmt_id id, int64_t *v, const char *what)
{
    PGresult *r;
    int err = exec_stmt(s, id, NULL, &r, what);

    if (err < 0)
        return err;
    if (PQntuples(r) != 1)
        err = td_store_fail(&s->base, TD_EDB, "%s: no row", what);
    else
        *v = td_pq_int64(r, 0, 0);
    PQclear(r);
    return err;
}

static int pg_schema_version(struct td_store *st, int *version)
{
    int64_t v = 0;
    int err = one_int(pg_of(st), S_SCHEMA_VERSION, &v, "schema version");

    *version = (int)v;
    return err;
}

/* The commits of the other connections (tidings_writes, 0001_init.sql). */
static int pg_data_version(struct td_store *st, int64_t *version)
{
    return one_int(pg_of(st), S_DATA_VERSION, version, "data version");
}

/*
 * PostgreSQL keeps its own structures consistent, and the search vectors
 * are generated columns; what the store keeps itself is checked: the
 * schema version, and each tag's count of articles.
 */
static int pg_check(struct td_store *st)
{
    struct pg *s = pg_of(st);
    PGresult *r;
    int version, err;

    if ((err = pg_schema_version(st, &version)) < 0)
        return err;
    if (version != (int)td_store_postgres_migrations_count)
        return td_store_fail(st, TD_EDB, "schema version %d, this build has %zu", version,
                             td_store_postgres_migrations_count);
    if ((err = exec_stmt(s, S_CHECK_TAGS, NULL, &r, "check")) < 0)
        return err;
    if (PQntuples(r) > 0)
        err = td_store_fail(st, TD_EDB, "check: tag %s has a wrong count of articles",
                            PQgetvalue(r, 0, 0));
    PQclear(r);
    return err;
}

static int pg_begin(struct td_store *st)
{
    struct pg *s = pg_of(st);
    int err;

    if (s->tx)
        return td_store_fail(st, TD_EINVAL, "a transaction is already open");
    if ((err = tx_begin(s)) == 0)
        s->tx = true;
    return err;
}

static int pg_commit(struct td_store *st)
{
    struct pg *s = pg_of(st);

    if (!s->tx)
        return td_store_fail(st, TD_EINVAL, "no transaction is open");
    s->tx = false;
    return tx_commit(s);
}

static int pg_rollback(struct td_store *st)
{
    struct pg *s = pg_of(st);

    if (!s->tx)
        return td_store_fail(st, TD_EINVAL, "no transaction is open");
    s->tx = false;
    return cmd(s, "ROLLBACK", "rollback");
}

/* ---- reading rows ---- */

/* An arena array of every row of `r`, each filled by `read`. */
static void *rows(const PGresult *r, struct td_arena *a, size_t size, td_pq_reader read, size_t *n)
{
    int count = PQntuples(r);
    char *arr = td_arena_zalloc(a, (count ? (size_t)count : 1) * size);

    for (int i = 0; i < count; i++)
        read(r, i, a, arr + (size_t)i * size);
    *n = (size_t)count;
    return arr;
}

/*
 * Run a read statement expecting at most one row, read by `read` into a
 * fresh arena record of `size` bytes; TD_ENOTFOUND with `what` when none.
 */
static int one_row_slot(struct pg *s, unsigned slot, const char *sql, const struct td_pq_params *p,
                        struct td_arena *a, size_t size, td_pq_reader read, void **out,
                        const char *what)
{
    PGresult *r;
    int err = exec_slot(s, slot, sql, p, &r, what);

    if (err < 0)
        return err;
    if (PQntuples(r) == 0) {
        err = td_store_fail(&s->base, TD_ENOTFOUND, "no such %s", what);
    } else {
        *out = td_arena_zalloc(a, size);
        read(r, 0, a, *out);
    }
    PQclear(r);
    return err;
}

/* A read statement's rows as an arena array. */
static int all_rows_slot(struct pg *s, unsigned slot, const char *sql, const struct td_pq_params *p,
                         struct td_arena *a, size_t size, td_pq_reader read, void **items,
                         size_t *n, const char *what)
{
    PGresult *r;
    int err = exec_slot(s, slot, sql, p, &r, what);

    if (err < 0)
        return err;
    *items = rows(r, a, size, read, n);
    PQclear(r);
    return 0;
}

static int one_row(struct pg *s, enum stmt_id id, const struct td_pq_params *p, struct td_arena *a,
                   size_t size, td_pq_reader read, void **out, const char *what)
{
    return one_row_slot(s, id, sql_text[id], p, a, size, read, out, what);
}

static int all_rows(struct pg *s, enum stmt_id id, const struct td_pq_params *p, struct td_arena *a,
                    size_t size, td_pq_reader read, void **items, size_t *n, const char *what)
{
    return all_rows_slot(s, id, sql_text[id], p, a, size, read, items, n, what);
}

int td_pq_one_row(struct td_store *st, unsigned slot, const char *sql, const struct td_pq_params *p,
                  struct td_arena *a, size_t size, td_pq_reader read, void **out, const char *what)
{
    TD_ASSERT(slot < TD_PQ_EXTRA_STMTS);
    return one_row_slot(pg_of(st), SLOT_EXTRA + slot, sql, p, a, size, read, out, what);
}

int td_pq_all_rows(struct td_store *st, unsigned slot, const char *sql,
                   const struct td_pq_params *p, struct td_arena *a, size_t size, td_pq_reader read,
                   void **items, size_t *n, const char *what)
{
    TD_ASSERT(slot < TD_PQ_EXTRA_STMTS);
    return all_rows_slot(pg_of(st), SLOT_EXTRA + slot, sql, p, a, size, read, items, n, what);
}

/* ---- outlets ---- */

static void read_outlet(const PGresult *r, int i, struct td_arena *a, void *p)
{
    struct td_outlet *o = p;

    o->id = td_pq_int64(r, i, 0);
    o->name = td_pq_str(r, i, 1, a);
    o->site_url = td_pq_str(r, i, 2, a);
    o->icon_url = td_pq_str(r, i, 3, a);
}

static int pg_outlet_upsert(struct td_store *st, const struct td_outlet *o, int64_t *id)
{
    struct td_pq_params p = {0};
    PGresult *r;
    int err;

    td_pq_text(&p, o->name);
    td_pq_text(&p, o->site_url);
    td_pq_text(&p, o->icon_url);
    if ((err = write_stmt(pg_of(st), S_OUTLET_UPSERT, &p, &r, "outlet upsert")) < 0)
        return err;
    if (id)
        *id = td_pq_int64(r, 0, 0);
    PQclear(r);
    return 0;
}

static int pg_outlet_get(struct td_store *st, int64_t id, struct td_arena *a,
                         struct td_outlet **out)
{
    struct td_pq_params p = {0};
    int err;

    td_pq_int(&p, id);
    err =
        one_row(pg_of(st), S_OUTLET_GET, &p, a, sizeof(**out), read_outlet, (void **)out, "outlet");
    if (err == TD_ENOTFOUND)
        td_store_fail(st, err, "no outlet %" PRId64, id);
    return err;
}

static int pg_outlet_list(struct td_store *st, struct td_arena *a, struct td_outlet **items,
                          size_t *n)
{
    return all_rows(pg_of(st), S_OUTLET_LIST, NULL, a, sizeof(**items), read_outlet, (void **)items,
                    n, "outlet list");
}

/* ---- feeds ---- */

static void read_feed(const PGresult *r, int i, struct td_arena *a, void *p)
{
    struct td_feed *f = p;

    f->id = td_pq_int64(r, i, 0);
    f->outlet_id = td_pq_int64(r, i, 1);
    f->url = td_pq_str(r, i, 2, a);
    f->title = td_pq_str(r, i, 3, a);
    f->etag = td_pq_str(r, i, 4, a);
    f->last_modified = td_pq_str(r, i, 5, a);
    f->allow_private = td_pq_int64(r, i, 6) != 0;
    f->created_at = td_pq_int64(r, i, 7);
    f->last_fetched_at = td_pq_int64(r, i, 8);
    f->next_fetch_at = td_pq_int64(r, i, 9);
    f->interval_s = td_pq_int64(r, i, 10);
    f->error_count = td_pq_int64(r, i, 11);
    f->last_error = td_pq_str(r, i, 12, a);
    f->last_status = (int)td_pq_int64(r, i, 13);
    f->category = td_pq_str(r, i, 14, a);
    f->tz = td_pq_str(r, i, 15, a);
}

static int pg_feed_add(struct td_store *st, const struct td_feed *f, int64_t now, int64_t *id,
                       bool *created)
{
    struct pg *s = pg_of(st);
    struct td_pq_params p = {0}, q = {0};
    PGresult *r = NULL;
    bool own;
    int err;

    td_pq_opt(&p, f->outlet_id);
    td_pq_text(&p, f->url);
    td_pq_text(&p, f->title);
    td_pq_bool(&p, f->allow_private);
    td_pq_int(&p, f->created_at ? f->created_at : now);
    td_pq_int(&p, f->next_fetch_at);
    td_pq_int(&p, f->interval_s ? f->interval_s : TD_STORE_DEFAULT_INTERVAL);
    td_pq_text(&p, f->category);
    td_pq_text(&p, f->tz);
    if ((err = write_begin(s, &own)) < 0)
        return err;
    if ((err = exec_stmt(s, S_FEED_INSERT, &p, &r, "feed add")) < 0)
        goto out;
    *created = PQntuples(r) == 1;
    if (*created) {
        *id = td_pq_int64(r, 0, 0);
        goto out;
    }
    /* The URL was known: find its row. */
    PQclear(r);
    td_pq_text(&q, f->url);
    if ((err = exec_stmt(s, S_FEED_ID_BY_URL, &q, &r, "feed add")) < 0)
        goto out;
    if (PQntuples(r) == 1)
        *id = td_pq_int64(r, 0, 0);
    else
        err = td_store_fail(st, TD_ENOTFOUND, "feed vanished while added");
out:
    PQclear(r);
    return write_end(s, own, err);
}

static int pg_feed_get(struct td_store *st, int64_t id, const char *url, struct td_arena *a,
                       struct td_feed **out)
{
    struct td_pq_params p = {0};
    int err;

    if (url)
        td_pq_text(&p, url);
    else
        td_pq_int(&p, id);
    err = one_row(pg_of(st), url ? S_FEED_GET_URL : S_FEED_GET, &p, a, sizeof(**out), read_feed,
                  (void **)out, "feed");
    if (err == TD_ENOTFOUND)
        err = url ? td_store_fail(st, TD_ENOTFOUND, "no feed with that url")
                  : td_store_fail(st, TD_ENOTFOUND, "no feed %" PRId64, id);
    return err;
}

static int pg_feed_list(struct td_store *st, bool due_only, int64_t now, size_t limit,
                        struct td_arena *a, struct td_feed **items, size_t *n)
{
    struct td_pq_params p = {0};

    if (due_only) {
        td_pq_int(&p, now);
        td_pq_int(&p, (int64_t)limit);
    }
    return all_rows(pg_of(st), due_only ? S_FEED_DUE : S_FEED_LIST, &p, a, sizeof(**items),
                    read_feed, (void **)items, n, "feed list");
}

static int pg_feed_update_fetch(struct td_store *st, int64_t id, const struct td_feed_fetch *f)
{
    struct td_pq_params p = {0};
    int err;

    td_pq_int(&p, id);
    td_pq_opt(&p, f->fetched_at);
    td_pq_opt(&p, f->status);
    td_pq_text(&p, f->error);
    td_pq_bool(&p, f->keep_validators);
    td_pq_text(&p, f->etag);
    td_pq_text(&p, f->last_modified);
    td_pq_text(&p, f->title);
    td_pq_int(&p, f->next_fetch_at);
    td_pq_int(&p, f->interval_s);
    err = write_changes(pg_of(st), S_FEED_UPDATE_FETCH, &p, "feed update");
    return err == TD_ENOTFOUND ? td_store_fail(st, err, "no feed %" PRId64, id) : err;
}

static int pg_feed_set_url(struct td_store *st, int64_t id, const char *url)
{
    struct td_pq_params p = {0};
    int err;

    td_pq_int(&p, id);
    td_pq_text(&p, url);
    err = write_changes(pg_of(st), S_FEED_SET_URL, &p, "feed set url");
    return err == TD_ENOTFOUND ? td_store_fail(st, err, "no feed %" PRId64, id) : err;
}

static int pg_feed_set_prefs(struct td_store *st, int64_t id, const char *category, const char *tz)
{
    struct td_pq_params p = {0};
    int err;

    td_pq_int(&p, id);
    td_pq_text(&p, category);
    td_pq_text(&p, tz);
    err = write_changes(pg_of(st), S_FEED_SET_PREFS, &p, "feed set prefs");
    return err == TD_ENOTFOUND ? td_store_fail(st, err, "no feed %" PRId64, id) : err;
}

/* ---- articles ---- */

static void article_params(struct td_pq_params *p, const struct td_article *a, const char *authors)
{
    td_pq_int(p, a->feed_id);
    td_pq_opt(p, a->outlet_id);
    td_pq_text(p, a->entry_key);
    td_pq_text(p, a->url);
    td_pq_text(p, a->title);
    td_pq_text(p, authors);
    td_pq_opt(p, a->published);
    td_pq_opt(p, a->updated);
    td_pq_bool(p, a->date_clamped);
    td_pq_text(p, a->feed_summary_html);
    td_pq_text(p, a->feed_content_html);
    td_pq_text(p, a->image_url);
    td_pq_text(p, a->image_caption);
    td_pq_text(p, a->image_credit);
    td_pq_text(p, a->text);
    td_pq_text(p, a->html);
    td_pq_text(p, a->language);
    td_pq_opt(p, a->word_count);
    td_pq_text(p, a->extract_error);
    td_pq_opt(p, a->fetched_at);
    td_pq_opt(p, (int64_t)a->simhash);
    td_pq_opt(p, a->story_id);
    td_pq_opt(p, a->page_attempts);
    td_pq_opt(p, a->page_retry_at);
    td_pq_text(p, a->image_alt);
}

void td_pq_read_article(const PGresult *r, int i, struct td_arena *a, void *p)
{
    struct td_article *x = p;

    x->id = td_pq_int64(r, i, 0);
    x->feed_id = td_pq_int64(r, i, 1);
    x->outlet_id = td_pq_int64(r, i, 2);
    x->entry_key = td_pq_str(r, i, 3, a);
    x->url = td_pq_str(r, i, 4, a);
    x->title = td_pq_str(r, i, 5, a);
    td_store_authors_decode(PQgetisnull(r, i, 6) ? NULL : PQgetvalue(r, i, 6), a, &x->authors,
                            &x->n_authors);
    x->published = td_pq_int64(r, i, 7);
    x->updated = td_pq_int64(r, i, 8);
    x->date_clamped = td_pq_int64(r, i, 9) != 0;
    x->feed_summary_html = td_pq_str(r, i, 10, a);
    x->image_url = td_pq_str(r, i, 11, a);
    x->image_caption = td_pq_str(r, i, 12, a);
    x->image_credit = td_pq_str(r, i, 13, a);
    x->language = td_pq_str(r, i, 14, a);
    x->word_count = td_pq_int64(r, i, 15);
    x->extract_error = td_pq_str(r, i, 16, a);
    x->fetched_at = td_pq_int64(r, i, 17);
    x->simhash = (uint64_t)td_pq_int64(r, i, 18);
    x->story_id = td_pq_int64(r, i, 19);
    x->created_at = td_pq_int64(r, i, 20);
    x->sort_at = td_pq_int64(r, i, 21);
    x->duplicate_of = td_pq_int64(r, i, 22);
    x->page_attempts = td_pq_int64(r, i, 23);
    x->page_retry_at = td_pq_int64(r, i, 24);
    if (PQnfields(r) > TD_PQ_ARTICLE_NCOLS) {
        x->text = td_pq_str(r, i, TD_PQ_ARTICLE_NCOLS, a);
        x->html = td_pq_str(r, i, TD_PQ_ARTICLE_NCOLS + 1, a);
        x->feed_content_html = td_pq_str(r, i, TD_PQ_ARTICLE_NCOLS + 2, a);
        x->image_alt = td_pq_str(r, i, TD_PQ_ARTICLE_NCOLS + 3, a);
    }
}

void td_pq_read_articles(const PGresult *r, struct td_arena *a, struct td_article **items,
                         size_t *n)
{
    *items = rows(r, a, sizeof(**items), td_pq_read_article, n);
}

/* One statement (S_ARTICLE_UPSERT), in one round trip with its transaction (write_slot). */
static int pg_article_upsert(struct td_store *st, const struct td_article *a,
                             const char *authors_json, int64_t now, int64_t *id,
                             enum td_store_upsert *result)
{
    struct td_pq_params p = {0};
    PGresult *r;
    int err;

    article_params(&p, a, authors_json);
    td_pq_int(&p, now);
    if ((err = write_stmt(pg_of(st), S_ARTICLE_UPSERT, &p, &r, "article upsert")) < 0)
        return err;
    *id = td_pq_int64(r, 0, 0);
    *result = td_pq_int64(r, 0, 1)   ? TD_UPSERT_NEW
              : td_pq_int64(r, 0, 2) ? TD_UPSERT_CHANGED
                                     : TD_UPSERT_UNCHANGED;
    PQclear(r);
    return 0;
}

static int pg_article_get(struct td_store *st, int64_t id, int64_t feed_id, const char *key,
                          const char *url, struct td_arena *a, struct td_article **out)
{
    struct td_pq_params p = {0};
    int err;

    if (id) {
        td_pq_int(&p, id);
    } else if (key) {
        td_pq_int(&p, feed_id);
        td_pq_text(&p, key);
    } else {
        td_pq_text(&p, url);
    }
    err = one_row(pg_of(st),
                  id    ? S_ARTICLE_GET
                  : key ? S_ARTICLE_GET_KEY
                        : S_ARTICLE_GET_URL,
                  &p, a, sizeof(**out), td_pq_read_article, (void **)out, "article");
    return err == TD_ENOTFOUND ? td_store_fail(st, err, "no such article") : err;
}

static int pg_article_find(struct td_store *st, int64_t feed_id, const char *key, int64_t *id)
{
    struct td_pq_params p = {0};
    PGresult *r;
    int err;

    td_pq_int(&p, feed_id);
    td_pq_text(&p, key);
    if ((err = exec_stmt(pg_of(st), S_ARTICLE_FIND, &p, &r, "article find")) < 0)
        return err;
    *id = PQntuples(r) ? td_pq_int64(r, 0, 0) : 0;
    PQclear(r);
    return 0;
}

/*
 * Make a page of a list statement run for limit + 1 rows: the extra row
 * only says that another page follows, and the last row kept is the next
 * page's cursor.
 */
void td_pq_article_page(const PGresult *r, struct td_arena *a, size_t limit,
                        struct td_article_list *out)
{
    size_t n;

    out->items = rows(r, a, sizeof(*out->items), td_pq_read_article, &n);
    out->more = n > limit;
    out->n = out->more ? limit : n;
    if (out->n) {
        out->next.sort_at = out->items[out->n - 1].sort_at;
        out->next.id = out->items[out->n - 1].id;
    }
}

/*
 * The list statement for a set of filters, built from fixed fragments (no
 * input reaches the SQL text); parameters are numbered in the order the
 * filters come, and sent in that order by pg_article_list.
 */
static void list_sql(unsigned variant, char *sql, size_t size)
{
    int n = 0;
    char outlet[32] = "", feed[32] = "", cursor[64] = "";

    if (variant & LIST_OUTLET)
        snprintf(outlet, sizeof(outlet), " AND outlet_id = $%d", ++n);
    if (variant & LIST_FEED)
        snprintf(feed, sizeof(feed), " AND feed_id = $%d", ++n);
    if (variant & LIST_CURSOR) {
        snprintf(cursor, sizeof(cursor), " AND (sort_at, id) < ($%d::bigint, $%d::bigint)", n + 1,
                 n + 2);
        n += 2;
    }
    snprintf(sql, size,
             "SELECT " TD_PQ_ARTICLE_COLS "%s FROM articles WHERE true%s%s%s%s%s "
             "ORDER BY sort_at DESC, id DESC LIMIT $%d",
             variant & LIST_BODY ? TD_PQ_ARTICLE_BODY : "", outlet, feed, cursor,
             variant & LIST_PENDING ? " AND fetched_at IS NULL AND (page_retry_at IS NULL OR "
                                      "page_retry_at <= extract(epoch FROM now())::bigint)"
                                    : "",
             variant & LIST_ORIGINALS ? " AND duplicate_of IS NULL" : "", n + 1);
}

static int pg_article_list(struct td_store *st, const struct td_article_filter *f,
                           struct td_arena *a, struct td_article_list *out)
{
    unsigned variant = (f->outlet_id ? LIST_OUTLET : 0) | (f->feed_id ? LIST_FEED : 0) |
                       (f->after.id ? LIST_CURSOR : 0) | (f->with_body ? LIST_BODY : 0) |
                       (f->page_pending ? LIST_PENDING : 0) |
                       (f->originals_only ? LIST_ORIGINALS : 0);
    struct td_pq_params p = {0};
    char sql[2048];
    PGresult *r;
    int err;

    list_sql(variant, sql, sizeof(sql));
    if (f->outlet_id)
        td_pq_int(&p, f->outlet_id);
    if (f->feed_id)
        td_pq_int(&p, f->feed_id);
    if (f->after.id) {
        td_pq_int(&p, f->after.sort_at);
        td_pq_int(&p, f->after.id);
    }
    td_pq_int(&p, (int64_t)f->limit + 1); /* one more tells whether a page follows */
    if ((err = exec_slot(pg_of(st), SLOT_LISTS + variant, sql, &p, &r, "article list")) < 0)
        return err;
    td_pq_article_page(r, a, f->limit, out);
    PQclear(r);
    return 0;
}

static int pg_article_count(struct td_store *st, int64_t outlet_id, int64_t feed_id, int64_t *n)
{
    unsigned variant = (outlet_id ? LIST_OUTLET : 0) | (feed_id ? LIST_FEED : 0);
    struct td_pq_params p = {0};
    char sql[128];
    PGresult *r;
    int err;

    snprintf(sql, sizeof(sql), "SELECT count(*) FROM articles WHERE true%s%s",
             outlet_id ? " AND outlet_id = $1" : "",
             feed_id ? (outlet_id ? " AND feed_id = $2" : " AND feed_id = $1") : "");
    if (outlet_id)
        td_pq_int(&p, outlet_id);
    if (feed_id)
        td_pq_int(&p, feed_id);
    if ((err = exec_slot(pg_of(st), SLOT_COUNTS + variant, sql, &p, &r, "article count")) < 0)
        return err;
    *n = td_pq_int64(r, 0, 0);
    PQclear(r);
    return 0;
}

/* ---- search ---- */

/*
 * One term as a quoted tsquery lexeme: inside quotes only ' and \ mean
 * anything, and both are escaped, so nothing the user typed is an
 * operator.  PostgreSQL's parser then splits the quoted text into words
 * as it does documents, and several words make a phrase (<->).  A word
 * with a trailing '*' becomes a prefix (:*).
 */
static int render_term(const struct td_search_term *t, struct td_buf *b)
{
    int err = td_buf_append_ch(b, '\'');

    for (size_t j = 0; j < t->len && err == 0; j++) {
        char c = t->text[j];
        if (c == '\'')
            err = td_buf_append_c(b, "''");
        else if (c == '\\')
            err = td_buf_append_c(b, "\\\\");
        else
            err = td_buf_append_ch(b, c);
    }
    if (err == 0)
        err = td_buf_append_c(b, t->prefix ? "':*" : "'");
    return err;
}

/* Every term ANDed, exclusions as !term. */
static int render_query(const struct td_search_query *q, struct td_buf *b)
{
    int err = 0;

    for (size_t i = 0; i < q->n && err == 0; i++) {
        if (b->len)
            err = td_buf_append_c(b, " & ");
        if (err == 0 && q->terms[i].exclude)
            err = td_buf_append_ch(b, '!');
        if (err == 0)
            err = render_term(&q->terms[i], b);
    }
    return err;
}

/* The excluded terms alone, ORed (empty without exclusions). */
static int render_excluded(const struct td_search_query *q, struct td_buf *b)
{
    int err = 0;

    for (size_t i = 0; i < q->n && err == 0; i++) {
        if (!q->terms[i].exclude)
            continue;
        if (b->len)
            err = td_buf_append_c(b, " | ");
        if (err == 0)
            err = render_term(&q->terms[i], b);
    }
    return err;
}

/* The snippet with the caller's marks in place of \x02 and \x03. */
static const char *mark_snippet(const char *s, size_t len, const struct td_search_opts *o,
                                struct td_arena *a)
{
    size_t open = strlen(o->mark_open), close = strlen(o->mark_close), n = 0, cap;
    char *out;

    if (strcmp(o->mark_open, "\x02") == 0 && strcmp(o->mark_close, "\x03") == 0)
        return td_arena_strndup(a, s, len);
    cap = len * (open > close ? (open > 1 ? open : 1) : (close > 1 ? close : 1)) + 1;
    out = td_arena_alloc(a, cap);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\x02') {
            memcpy(out + n, o->mark_open, open);
            n += open;
        } else if (s[i] == '\x03') {
            memcpy(out + n, o->mark_close, close);
            n += close;
        } else {
            out[n++] = s[i];
        }
    }
    out[n] = '\0';
    return out;
}

static int pg_search(struct td_store *st, const struct td_search_query *sq,
                     const struct td_search_opts *o, struct td_arena *a,
                     struct td_search_result *out)
{
    struct td_buf expr = TD_BUF_INIT(TSQUERY_CAP), excl = TD_BUF_INIT(TSQUERY_CAP);
    struct td_pq_params p = {0};
    PGresult *r = NULL;
    int err, n;

    if ((err = render_query(sq, &expr)) < 0 || (err = render_excluded(sq, &excl)) < 0) {
        err = td_store_fail(st, err, "search expression over %d bytes", TSQUERY_CAP);
        goto out;
    }
    td_pq_text(&p, expr.buf);
    td_pq_int(&p, (int64_t)o->limit);
    td_pq_int(&p, o->offset > INT64_MAX ? INT64_MAX : (int64_t)o->offset);
    td_pq_int(&p, o->outlet_id);
    td_pq_int(&p, o->after);
    td_pq_int(&p, o->before);
    td_pq_int(&p, o->tag_id);
    td_pq_text(&p, excl.len ? excl.buf : NULL);
    if ((err = exec_stmt(pg_of(st), S_SEARCH, &p, &r, "search")) < 0)
        goto out;
    n = PQntuples(r);
    if ((size_t)n > o->limit)
        n = (int)o->limit;
    out->hits = td_arena_zalloc(a, (o->limit ? o->limit : 1) * sizeof(*out->hits));
    for (int i = 0; i < n; i++) {
        struct td_search_hit *h = &out->hits[i];
        h->id = td_pq_int64(r, i, 0);
        h->score = td_pq_double(r, i, 1);
        if (!PQgetisnull(r, i, 2))
            h->snippet = mark_snippet(PQgetvalue(r, i, 2), (size_t)PQgetlength(r, i, 2), o, a);
    }
    out->n = (size_t)n;
out:
    PQclear(r);
    td_buf_release(&expr);
    td_buf_release(&excl);
    return err;
}

static const struct td_store_ops postgres_ops = {
    .name = "postgresql",
    .close = pg_close,
    .schema_version = pg_schema_version,
    .data_version = pg_data_version,
    .check = pg_check,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .outlet_upsert = pg_outlet_upsert,
    .outlet_get = pg_outlet_get,
    .outlet_list = pg_outlet_list,
    .feed_add = pg_feed_add,
    .feed_get = pg_feed_get,
    .feed_list = pg_feed_list,
    .feed_update_fetch = pg_feed_update_fetch,
    .feed_set_url = pg_feed_set_url,
    .feed_set_prefs = pg_feed_set_prefs,
    .article_upsert = pg_article_upsert,
    .article_get = pg_article_get,
    .article_find = pg_article_find,
    .article_list = pg_article_list,
    .article_count = pg_article_count,
    .search = pg_search,
    .user_add = td_pq_user_add,
    .user_get = td_pq_user_get,
    .session_add = td_pq_session_add,
    .session_user = td_pq_session_user,
    .session_delete = td_pq_session_delete,
    .session_purge = td_pq_session_purge,
    .comment_add = td_pq_comment_add,
    .comment_get = td_pq_comment_get,
    .comment_list = td_pq_comment_list,
    .comment_edit = td_pq_comment_edit,
    .comment_set_hidden = td_pq_comment_set_hidden,
    .comment_delete = td_pq_comment_delete,
    .story_assign = td_pq_story_assign,
    .story_get = td_pq_story_get,
    .story_list = td_pq_story_list,
    .story_members = td_pq_story_members,
    .story_related = td_pq_story_related,
    .story_sources = td_pq_story_sources,
    .keypoints_set = td_pq_keypoints_set,
    .keypoints_get = td_pq_keypoints_get,
    .tags_set = td_pq_tags_set,
    .tags_of = td_pq_tags_of,
    .tag_get = td_pq_tag_get,
    .tags_popular = td_pq_tags_popular,
    .tag_articles = td_pq_tag_articles,
    .analysis_copy = td_pq_analysis_copy,
    .articles_unanalyzed = td_pq_articles_unanalyzed,
};

/* ---- opening and migrations ---- */

/* Run a query that returns one integer in one row (no parameters). */
static int query_int(struct pg *s, const char *sql, int64_t *v, const char *what)
{
    PGresult *r = PQexec(s->conn, sql);
    int err = 0;

    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        err = pg_fail(s, r, what);
    else if (PQntuples(r) != 1)
        err = td_store_fail(&s->base, TD_EDB, "%s: no row", what);
    else
        *v = td_pq_int64(r, 0, 0);
    PQclear(r);
    return err;
}

/*
 * The version of the schema in the database: -1 when it has no
 * tidings_schema, which is fine for an empty database (0 migrations
 * applied) and refused for any other ("not a tidings database").
 */
static int read_version(struct pg *s, int64_t *version)
{
    int64_t has = 0, objects = 0;
    int err;

    if ((err = query_int(s,
                         "SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                         "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                         "AND c.relname = 'tidings_schema' AND c.relkind = 'r'",
                         &has, "schema")) < 0)
        return err;
    if (has)
        return query_int(s, "SELECT version FROM tidings_schema", version, "schema");
    if ((err = query_int(s,
                         "SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                         "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                         "AND c.relkind IN ('r', 'v', 'm', 'p', 'f')",
                         &objects, "schema")) < 0)
        return err;
    if (objects > 0)
        return td_store_fail(&s->base, TD_EDB, "not a tidings database");
    *version = 0;
    return 0;
}

/*
 * Bring the schema up to date.  Each migration runs in a transaction that
 * takes the migration lock and then re-reads the version, so processes
 * opening a new database at once apply each migration exactly once.
 */
static int migrate(struct pg *s, bool readonly)
{
    const int64_t latest = (int64_t)td_store_postgres_migrations_count;
    int64_t version = 0;
    char sql[96];
    int err;

    if ((err = read_version(s, &version)) < 0)
        return err;
    if (readonly && version < latest)
        return td_store_fail(&s->base, TD_EDB,
                             "schema version %" PRId64 " needs migrating to %" PRId64
                             ": open it read-write first",
                             version, latest);
    while (version <= latest) {
        if (version == latest)
            return 0;
        if ((err = cmd(s, "BEGIN; " MIGRATE_LOCK, "migrate")) < 0)
            goto fail;
        if ((err = read_version(s, &version)) < 0)
            goto fail;
        if (version < latest) {
            const struct td_store_migration *m = &td_store_postgres_migrations[version];
            if (version == 0 &&
                (err = cmd(s,
                           "CREATE TABLE tidings_schema (version integer NOT NULL); "
                           "INSERT INTO tidings_schema VALUES (0)",
                           m->name)) < 0)
                goto fail;
            snprintf(sql, sizeof(sql), "UPDATE tidings_schema SET version = %" PRId64, version + 1);
            if ((err = cmd(s, m->sql, m->name)) < 0 || (err = cmd(s, sql, m->name)) < 0)
                goto fail;
            td_log_info("store migrated version=%" PRId64 " name=%s", version + 1, m->name);
            version++;
        }
        if ((err = tx_commit(s)) < 0)
            return err;
    }
    return td_store_fail(&s->base, TD_EDB,
                         "schema version %" PRId64 " is newer than this build knows (%" PRId64
                         "): upgrade tidings",
                         version, latest);
fail:
    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        PQclear(PQexec(s->conn, "ROLLBACK"));
    return err;
}

/*
 * The session's settings, on a new connection and again after reconnect().
 * Text is UTF-8 both ways; a lock waits at most 5 s (TD_ETIMEOUT), as
 * SQLite's busy timeout; this connection names itself for
 * td_store_data_version.  A commit is durable when it returns unless the
 * server was told otherwise; TD_STORE_SYNC_FULL insists.  A read-only
 * handle's transactions are read-only once the schema is in place.
 */
static int session_setup(struct pg *s)
{
    int err;

    if (PQsetClientEncoding(s->conn, "UTF8") != 0)
        return pg_fail(s, NULL, "client encoding");
    if ((err = cmd(s,
                   "SET client_min_messages = warning; SET lock_timeout = '5s'; "
                   "SELECT set_config('tidings.writer', pg_backend_pid() || '.' || "
                   "to_char(clock_timestamp(), 'YYYYMMDDHH24MISSUS') || '.' || random(), false)",
                   "session")) < 0 ||
        ((s->base.flags & TD_STORE_SYNC_FULL) &&
         (err = cmd(s, "SET synchronous_commit = on", "synchronous_commit")) < 0))
        return err;
    if (s->ready && (s->base.flags & TD_STORE_READONLY))
        return cmd(s, "SET default_transaction_read_only = on", "read only");
    return 0;
}

/* Server notices (a word too long to index, ...) are not ours to print. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

int td_store_postgres_open(const char *location, unsigned flags, struct td_store **out,
                           char *errmsg, size_t errlen)
{
    bool readonly = flags & TD_STORE_READONLY;
    struct pg *s = td_xcalloc(1, sizeof(*s));
    const char *enc;
    int err = 0;

    s->base.ops = &postgres_ops;
    s->base.flags = flags;
    s->conn = PQconnectdb(location);
    if (PQstatus(s->conn) != CONNECTION_OK) {
        err = td_store_fail(&s->base, TD_EDB, "cannot connect: %s", PQerrorMessage(s->conn));
        /* libpq's message ends in a newline, and may have several lines. */
        s->base.errmsg[strcspn(s->base.errmsg, "\n")] = '\0';
        goto fail;
    }
    PQsetNoticeProcessor(s->conn, quiet, NULL);
    enc = PQparameterStatus(s->conn, "server_encoding");
    if (!enc || strcmp(enc, "UTF8") != 0) {
        err = td_store_fail(&s->base, TD_EDB,
                            "the database's encoding is %s: create it with ENCODING 'UTF8'",
                            enc ? enc : "unknown");
        goto fail;
    }
    if ((err = session_setup(s)) < 0 || (err = migrate(s, readonly)) < 0)
        goto fail;
    if (readonly && (err = cmd(s, "SET default_transaction_read_only = on", "read only")) < 0)
        goto fail;
    s->ready = true;
    *out = &s->base;
    return 0;
fail:
    snprintf(errmsg, errlen, "%s", s->base.errmsg);
    pg_close(&s->base);
    return err;
}
