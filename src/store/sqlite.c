/*
 * sqlite.c - the SQLite back end of the store.
 *
 * One connection per handle, opened in WAL mode (readers never block the
 * writer, and a commit is one append to the WAL) with synchronous=NORMAL
 * (durable across process death; FULL on request, for power loss: see
 * store.h), foreign keys on and a busy timeout so concurrent writers queue
 * instead of failing.  Migrations from src/store/migrations/sqlite/ run on
 * open, each in its own transaction, and PRAGMA user_version counts them.
 *
 * Every statement is prepared once per handle with bound parameters and
 * kept in a cache; the only SQL put together at run time are the list and
 * count queries, from fixed fragments chosen by which filters are set.
 * Writes that take several statements run in a transaction (or a savepoint
 * inside the caller's), so each is all-or-nothing.
 */
#include "base/compat.h"
#include "store/store_int.h"
#include "store/sqlite_int.h"

#include "base/buf.h"
#include "base/error.h"
#include "base/log.h"

#include <inttypes.h>
#include <sqlite3.h>

#define APPLICATION_ID 1952738919 /* 'tdng', set by 0001_init.sql */
#define BUSY_TIMEOUT_MS 5000
#define FTS_QUERY_CAP 8192
/*
 * TD_STORE_BULK: a page cache of 32 MiB and a checkpoint every 4,000 WAL
 * pages.  With SQLite's defaults (2 MiB, 1,000 pages) a crawl re-read the
 * index pages it had just evicted, and copied its hot pages (indexes,
 * full-text segments) into the database file every few batches.  The
 * cache grows only as pages are read, up to this.
 */
#define BULK_PRAGMAS "PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 4000"

enum stmt_id {
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_SAVEPOINT,
    S_RELEASE,
    S_ROLLBACK_TO,
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
    S_ARTICLE_INSERT,
    S_ARTICLE_UPDATE,
    S_ARTICLE_GET,
    S_ARTICLE_GET_KEY,
    S_ARTICLE_GET_URL,
    S_SEARCH,
    S_SEARCH_EXCLUDING,
    S_USER_ADD,
    S_USER_GET,
    S_USER_GET_NAME,
    S_SESSION_ADD,
    S_SESSION_USER,
    S_SESSION_DELETE,
    S_SESSION_PURGE,
    S_COMMENT_ADD,
    S_COMMENT_GET,
    S_COMMENT_LIST,
    S_COMMENT_EDIT,
    S_COMMENT_HIDE,
    S_COMMENT_DELETE,
    S_KEYPOINTS_SET,
    S_KEYPOINTS_GET,
    S_KEYPOINTS_COPY,
    S_TAGS_CLEAR,
    S_TAGS_ENSURE,
    S_ARTICLE_TAGS_ADD,
    S_ARTICLE_TAGS_COPY,
    S_TAGS_OF,
    S_TAG_GET,
    S_TAGS_POPULAR,
    S_UNANALYZED,
    S_FTS_INDEX,
    S_COUNT
};

#define OUTLET_COLS "id, name, site_url, icon_url"
#define FEED_COLS                                                                                  \
    "id, outlet_id, url, title, etag, last_modified, allow_private, created_at, "                  \
    "last_fetched_at, next_fetch_at, interval_s, error_count, last_error, last_status, "           \
    "category, tz"
/* The article columns every read returns; ARTICLE_BODY follows when asked. */
#define ARTICLE_COLS                                                                               \
    "id, feed_id, outlet_id, entry_key, url, title, authors, published, updated, "                 \
    "date_clamped, feed_summary_html, image_url, image_caption, image_credit, language, "          \
    "word_count, extract_error, fetched_at, simhash, story_id, created_at, sort_at, "              \
    "duplicate_of, page_attempts, page_retry_at"
#define ARTICLE_BODY ", text, html, feed_content_html, image_alt"
#define ARTICLE_NCOLS 25
#define USER_COLS "users.id, users.name, users.pw_hash, users.admin, users.created_at"
#define TAG_COLS "tags.id, tags.slug, tags.term, tags.kind, tags.articles"
#define COMMENT_COLS                                                                               \
    "comments.id, comments.article_id, comments.user_id, comments.body, comments.created_at, "     \
    "comments.edited_at, comments.hidden, users.name"

/*
 * Parameters shared by the article insert and update:
 *   ?1 feed_id  ?2 outlet_id  ?3 entry_key  ?4 url  ?5 title  ?6 authors
 *   ?7 published  ?8 updated  ?9 date_clamped  ?10 feed_summary_html
 *   ?11 feed_content_html  ?12 image_url  ?13 image_caption  ?14 image_credit
 *   ?15 text  ?16 html  ?17 language  ?18 word_count  ?19 extract_error
 *   ?20 fetched_at  ?21 simhash  ?22 story_id  ?23 now  ?24 id (update only)
 *   ?25 page_attempts  ?26 page_retry_at  ?27 image_alt
 * A NULL parameter keeps the stored value on update (COALESCE), and the
 * update only touches the row when some value differs (IS NOT, NULL-safe).
 * extract_error and page_retry_at are outcomes: a new text (?15) replaces
 * the error, a new fetch time (?20) the retry time (see store.h).
 */
#define KEEP(col, p) col " = COALESCE(" p ", " col ")"
#define DIFF(col, p) col " IS NOT COALESCE(" p ", " col ")"
#define NEW_ERROR "CASE WHEN ?15 IS NOT NULL THEN ?19 ELSE COALESCE(?19, extract_error) END"
#define NEW_RETRY "CASE WHEN ?20 IS NOT NULL THEN ?26 ELSE COALESCE(?26, page_retry_at) END"

/* clang-format off */
/*
 * Search.  m: the matches that pass the filters: articles whose title or
 * text matches the query (?1), ranked by BM25, and the articles of every
 * tag whose term matches it, ranked after them (0); each with its family
 * (`fam`, the original's id: an original and its copies), read from the
 * index of copies, not the row.  p: the page, one row per family: the
 * original when it matched, else the family's best-ranked copy, ranked by
 * the family's best match (an article found both ways keeps its text
 * match).  Snippets are made for the page alone (making one costs more
 * than the rest of a match); a tag-only match has none.  With exclusions
 * the second statement also takes them ORed (?10): an article whose title,
 * text or tags match one is left out, whichever way it was found.
 */
#define SEARCH_SQL(exclude)                                                                        \
    "WITH m(id, r, fam) AS MATERIALIZED ("                                                         \
    "SELECT s.id, s.r, coalesce((SELECT d.duplicate_of FROM articles AS d "                        \
    "INDEXED BY articles_copy_of WHERE d.id = s.id AND d.duplicate_of IS NOT NULL), s.id) "        \
    "FROM (SELECT rowid AS id, bm25(articles_fts, 10.0, 1.0) AS r FROM articles_fts "              \
    "WHERE articles_fts MATCH ?1 UNION ALL SELECT x.article_id, 0.0 FROM tags_fts "                \
    "JOIN article_tags x ON x.tag_id = tags_fts.rowid WHERE tags_fts MATCH ?1) s "                 \
    "JOIN articles a ON a.id = s.id "                                                              \
    "WHERE (?6 = 0 OR a.outlet_id = ?6) AND (?7 = 0 OR a.sort_at >= ?7) "                          \
    "AND (?8 = 0 OR a.sort_at < ?8) AND (?9 = 0 OR EXISTS (SELECT 1 FROM article_tags t "          \
    "WHERE t.article_id = a.id AND t.tag_id = ?9))" exclude "), "                                  \
    "p(id, fr) AS (SELECT id, fr FROM (SELECT id, min(r) OVER (PARTITION BY fam) AS fr, "          \
    "row_number() OVER (PARTITION BY fam ORDER BY fam <> id, r, id) AS k FROM m) "                 \
    "WHERE k = 1 ORDER BY fr, id DESC LIMIT ?4 OFFSET ?5) "                                        \
    "SELECT id, fr, (SELECT snippet(articles_fts, -1, ?2, ?3, '\xe2\x80\xa6', 16) "                \
    "FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid = p.id) FROM p ORDER BY fr, id DESC"
#define SEARCH_EXCLUDE                                                                             \
    " AND a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?10 "               \
    "UNION SELECT x.article_id FROM tags_fts JOIN article_tags x ON x.tag_id = tags_fts.rowid "    \
    "WHERE tags_fts MATCH ?10)"

static const char *const sql_text[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_SAVEPOINT] = "SAVEPOINT td_write",
    [S_RELEASE] = "RELEASE td_write",
    [S_ROLLBACK_TO] = "ROLLBACK TO td_write",
    [S_OUTLET_UPSERT] =
        "INSERT INTO outlets(name, site_url, icon_url) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(site_url) DO UPDATE SET name = excluded.name, "
        "icon_url = COALESCE(excluded.icon_url, icon_url) RETURNING id",
    [S_OUTLET_GET] = "SELECT " OUTLET_COLS " FROM outlets WHERE id = ?1",
    [S_OUTLET_LIST] = "SELECT " OUTLET_COLS " FROM outlets ORDER BY name, id",
    [S_FEED_INSERT] =
        "INSERT INTO feeds(outlet_id, url, title, allow_private, created_at, next_fetch_at, "
        "interval_s, category, tz) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
        "ON CONFLICT(url) DO NOTHING RETURNING id",
    [S_FEED_ID_BY_URL] = "SELECT id FROM feeds WHERE url = ?1",
    [S_FEED_GET] = "SELECT " FEED_COLS " FROM feeds WHERE id = ?1",
    [S_FEED_GET_URL] = "SELECT " FEED_COLS " FROM feeds WHERE url = ?1",
    [S_FEED_LIST] = "SELECT " FEED_COLS " FROM feeds ORDER BY id",
    [S_FEED_DUE] = "SELECT " FEED_COLS " FROM feeds WHERE next_fetch_at <= ?1 "
                   "ORDER BY next_fetch_at, id LIMIT ?2",
    [S_FEED_UPDATE_FETCH] =
        "UPDATE feeds SET last_fetched_at = ?2, last_status = ?3, last_error = ?4, "
        "error_count = CASE WHEN ?4 IS NULL THEN 0 ELSE error_count + 1 END, "
        "etag = CASE WHEN ?5 THEN etag ELSE ?6 END, "
        "last_modified = CASE WHEN ?5 THEN last_modified ELSE ?7 END, "
        "title = COALESCE(?8, title), next_fetch_at = ?9, "
        "interval_s = CASE WHEN ?10 > 0 THEN ?10 ELSE interval_s END WHERE id = ?1",
    [S_FEED_SET_URL] = "UPDATE feeds SET url = ?2 WHERE id = ?1",
    [S_FEED_SET_PREFS] =
        "UPDATE feeds SET category = CASE WHEN ?2 IS NULL THEN category ELSE NULLIF(?2, '') END, "
        "tz = CASE WHEN ?3 IS NULL THEN tz ELSE NULLIF(?3, '') END WHERE id = ?1",
    [S_ARTICLE_FIND] = "SELECT id FROM articles WHERE feed_id = ?1 AND entry_key = ?2",
    /* New rows' full-text entries, in one statement (see index_new). */
    [S_FTS_INDEX] =
        "INSERT INTO articles_fts(rowid, title, text) SELECT id, title, text FROM articles "
        "WHERE id IN (SELECT value FROM json_each(?1))",
    [S_ARTICLE_INSERT] =
        "INSERT INTO articles(feed_id, outlet_id, entry_key, url, title, authors, published, "
        "updated, date_clamped, feed_summary_html, feed_content_html, image_url, image_caption, "
        "image_credit, text, html, language, word_count, extract_error, fetched_at, simhash, "
        "story_id, created_at, sort_at, page_attempts, page_retry_at, image_alt) VALUES (?1, "
        "COALESCE(?2, (SELECT outlet_id FROM feeds WHERE id = ?1)), ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, COALESCE(?7, ?23), "
        "COALESCE(?25, 0), ?26, ?27)",
    [S_ARTICLE_UPDATE] =
        "UPDATE articles SET "
        KEEP("outlet_id", "?2") ", url = ?4, " KEEP("title", "?5") ", "
        KEEP("authors", "?6") ", " KEEP("published", "?7") ", " KEEP("updated", "?8") ", "
        "date_clamped = ?9, " KEEP("feed_summary_html", "?10") ", "
        KEEP("feed_content_html", "?11") ", " KEEP("image_url", "?12") ", "
        KEEP("image_caption", "?13") ", " KEEP("image_credit", "?14") ", "
        KEEP("image_alt", "?27") ", " KEEP("text", "?15") ", " KEEP("html", "?16") ", " KEEP("language", "?17") ", "
        KEEP("word_count", "?18") ", extract_error = " NEW_ERROR ", "
        KEEP("fetched_at", "?20") ", " KEEP("simhash", "?21") ", " KEEP("story_id", "?22") ", "
        KEEP("page_attempts", "?25") ", page_retry_at = " NEW_RETRY ", "
        "sort_at = COALESCE(?7, sort_at) "
        "WHERE id = ?24 AND ("
        DIFF("outlet_id", "?2") " OR url IS NOT ?4 OR " DIFF("title", "?5") " OR "
        DIFF("authors", "?6") " OR " DIFF("published", "?7") " OR " DIFF("updated", "?8") " OR "
        "date_clamped IS NOT ?9 OR " DIFF("feed_summary_html", "?10") " OR "
        DIFF("feed_content_html", "?11") " OR " DIFF("image_url", "?12") " OR "
        DIFF("image_caption", "?13") " OR " DIFF("image_credit", "?14") " OR "
        DIFF("image_alt", "?27") " OR " DIFF("text", "?15") " OR " DIFF("html", "?16") " OR " DIFF("language", "?17") " OR "
        DIFF("word_count", "?18") " OR extract_error IS NOT " NEW_ERROR " OR "
        DIFF("fetched_at", "?20") " OR " DIFF("simhash", "?21") " OR " DIFF("story_id", "?22")
        " OR " DIFF("page_attempts", "?25") " OR page_retry_at IS NOT " NEW_RETRY ")",
    [S_ARTICLE_GET] = "SELECT " ARTICLE_COLS ARTICLE_BODY " FROM articles WHERE id = ?1",
    [S_ARTICLE_GET_KEY] = "SELECT " ARTICLE_COLS ARTICLE_BODY
                          " FROM articles WHERE feed_id = ?1 AND entry_key = ?2",
    [S_ARTICLE_GET_URL] = "SELECT " ARTICLE_COLS ARTICLE_BODY " FROM articles WHERE url = ?1 "
                          "ORDER BY fetched_at IS NULL, sort_at DESC, id DESC LIMIT 1",
    [S_SEARCH] = SEARCH_SQL(""),
    [S_SEARCH_EXCLUDING] = SEARCH_SQL(SEARCH_EXCLUDE),
    [S_USER_ADD] = "INSERT INTO users(name, pw_hash, admin, created_at) VALUES (?1, ?2, ?3, ?4)",
    [S_USER_GET] = "SELECT " USER_COLS " FROM users WHERE id = ?1",
    [S_USER_GET_NAME] = "SELECT " USER_COLS " FROM users WHERE name = ?1",
    [S_SESSION_ADD] = "INSERT INTO sessions(token_hash, user_id, created_at, expires_at) "
                      "VALUES (?1, ?2, ?3, ?4)",
    [S_SESSION_USER] = "SELECT " USER_COLS " FROM sessions JOIN users ON users.id = "
                       "sessions.user_id WHERE sessions.token_hash = ?1 AND expires_at > ?2",
    [S_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
    [S_SESSION_PURGE] = "DELETE FROM sessions WHERE expires_at <= ?1",
    [S_COMMENT_ADD] = "INSERT INTO comments(article_id, user_id, body, created_at) "
                      "VALUES (?1, ?2, ?3, ?4)",
    [S_COMMENT_GET] = "SELECT " COMMENT_COLS " FROM comments JOIN users ON users.id = "
                      "comments.user_id WHERE comments.id = ?1",
    [S_COMMENT_LIST] = "SELECT " COMMENT_COLS " FROM comments JOIN users ON users.id = "
                       "comments.user_id WHERE comments.article_id = ?1 AND (?2 OR NOT hidden) "
                       "ORDER BY comments.created_at, comments.id LIMIT ?3",
    [S_COMMENT_EDIT] = "UPDATE comments SET body = ?2, edited_at = ?3 WHERE id = ?1",
    [S_COMMENT_HIDE] = "UPDATE comments SET hidden = ?2 WHERE id = ?1",
    [S_COMMENT_DELETE] = "DELETE FROM comments WHERE id = ?1",
    [S_KEYPOINTS_SET] =
        "INSERT INTO article_keypoints(article_id, points, analyzed_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(article_id) DO UPDATE SET points = excluded.points, "
        "analyzed_at = excluded.analyzed_at",
    [S_KEYPOINTS_GET] = "SELECT points FROM article_keypoints WHERE article_id = ?1",
    [S_KEYPOINTS_COPY] =
        "INSERT INTO article_keypoints(article_id, points, analyzed_at) "
        "SELECT ?2, points, analyzed_at FROM article_keypoints WHERE article_id = ?1 "
        "ON CONFLICT(article_id) DO UPDATE SET points = excluded.points, "
        "analyzed_at = excluded.analyzed_at",
    /* ?2 is the mask of kinds (1 << kind) to clear. */
    [S_TAGS_CLEAR] = "DELETE FROM article_tags WHERE article_id = ?1 AND (?2 >> kind) & 1",
    /*
     * An article's tags in two statements, whatever their number: ?1 (or
     * ?2) the slugs, ?2 (?3) the terms and ?3 the kinds, as JSON arrays in
     * the same order.  A new slug is added with its term; a known one keeps
     * its term and takes the stronger kind (the lower number).  The slugs
     * are the one table scanned; the terms and kinds are read at the slug's
     * index (`->>`), not joined on it: joining three json_each tables on
     * their keys made SQLite scan each again for every row of the other.
     */
    [S_TAGS_ENSURE] =
        "INSERT INTO tags(slug, term, kind) SELECT s.value, ?2 ->> s.key, ?3 ->> s.key "
        "FROM json_each(?1) s WHERE 1 "
        "ON CONFLICT(slug) DO UPDATE SET kind = excluded.kind WHERE excluded.kind < tags.kind",
    [S_ARTICLE_TAGS_ADD] =
        "INSERT INTO article_tags(article_id, tag_id, kind, sort_at) "
        "SELECT ?1, g.id, ?3 ->> s.key, (SELECT sort_at FROM articles WHERE id = ?1) "
        "FROM json_each(?2) s JOIN tags g ON g.slug = s.value WHERE 1 "
        "ON CONFLICT(article_id, tag_id) DO UPDATE SET kind = excluded.kind "
        "WHERE excluded.kind < kind",
    [S_ARTICLE_TAGS_COPY] =
        "INSERT INTO article_tags(article_id, tag_id, kind, sort_at) "
        "SELECT ?2, tag_id, kind, (SELECT sort_at FROM articles WHERE id = ?2) "
        "FROM article_tags WHERE article_id = ?1 AND kind <> 1 "
        "ON CONFLICT(article_id, tag_id) DO NOTHING",
    [S_TAGS_OF] = "SELECT tags.id, tags.slug, tags.term, article_tags.kind, tags.articles "
                  "FROM article_tags JOIN tags ON tags.id = article_tags.tag_id "
                  "WHERE article_tags.article_id = ?1 "
                  "ORDER BY article_tags.kind, tags.term COLLATE NOCASE, tags.id",
    [S_TAG_GET] = "SELECT " TAG_COLS " FROM tags WHERE slug = ?1",
    [S_TAGS_POPULAR] = "SELECT " TAG_COLS " FROM tags WHERE articles >= ?1 AND (?2 >> kind) & 1 "
                       "ORDER BY articles DESC, id DESC LIMIT ?3",
    [S_UNANALYZED] = "SELECT " ARTICLE_COLS ARTICLE_BODY " FROM articles WHERE id > ?1 "
                     "AND fetched_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                     "article_keypoints k WHERE k.article_id = articles.id) ORDER BY id LIMIT ?2",
};
/* clang-format on */

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

struct sq {
    struct td_store base; /* first: a struct td_store * is a struct sq * */
    sqlite3 *db;
    sqlite3_stmt *stmts[S_COUNT];
    sqlite3_stmt *lists[LIST_VARIANTS];
    sqlite3_stmt *counts[(LIST_OUTLET | LIST_FEED) + 1];
    sqlite3_stmt *story[TD_SQ_STORY_STMTS]; /* sqlite_story.c's statements */
    sqlite3_stmt *data_version;
    sqlite3_stmt *tag_lists[(LIST_CURSOR | LIST_BODY) + 1];
    bool ready; /* fully opened: close may tidy up (PRAGMA optimize) */
    /* Articles inserted in the open transaction, not in articles_fts yet (index_new). */
    int64_t *unindexed;
    size_t n_unindexed, cap_unindexed;
};

static struct sq *sq_of(struct td_store *st)
{
    return (struct sq *)st;
}

/* Map the connection's last error to a TD_E* code and keep its message. */
static int db_fail(struct sq *s, const char *what)
{
    int rc = sqlite3_extended_errcode(s->db), err;

    switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
        err = (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) ? TD_EEXIST
                                                                                     : TD_EINVAL;
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        err = TD_ETIMEOUT;
        break;
    case SQLITE_TOOBIG:
        err = TD_ETOOBIG;
        break;
    default:
        err = TD_EDB;
        break;
    }
    return td_store_fail(&s->base, err, "%s: %s", what, sqlite3_errmsg(s->db));
}

static int prepare(struct sq *s, sqlite3_stmt **slot, const char *sql)
{
    if (*slot)
        return 0;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK)
        return db_fail(s, "prepare");
    return 0;
}

/* The cached statement `id`, reset and unbound; NULL (errmsg set) on failure. */
static sqlite3_stmt *stmt(struct sq *s, enum stmt_id id)
{
    return prepare(s, &s->stmts[id], sql_text[id]) < 0 ? NULL : s->stmts[id];
}

/* Return a statement to the cache: reset, and drop borrowed bindings. */
static void done(sqlite3_stmt *q)
{
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
}

static int bind_text(sqlite3_stmt *q, int i, const char *s)
{
    return s ? sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(q, i);
}

/* 0 means unknown: bind NULL. */
static int bind_opt(sqlite3_stmt *q, int i, int64_t v)
{
    return v ? sqlite3_bind_int64(q, i, v) : sqlite3_bind_null(q, i);
}

static const char *col_str(sqlite3_stmt *q, int i, struct td_arena *a)
{
    const unsigned char *t = sqlite3_column_text(q, i);

    return t ? td_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(q, i)) : NULL;
}

static int64_t col_int(sqlite3_stmt *q, int i)
{
    return sqlite3_column_int64(q, i);
}

/* Run a statement that returns no rows. */
static int run(struct sq *s, enum stmt_id id, const char *what)
{
    sqlite3_stmt *q = stmt(s, id);
    int rc;

    if (!q)
        return TD_EDB;
    rc = sqlite3_step(q);
    done(q);
    return rc == SQLITE_DONE ? 0 : db_fail(s, what);
}

/*
 * Multi-statement writes: a transaction of their own when the caller has
 * none (IMMEDIATE, so the write lock is taken before anything is read and
 * concurrent writers queue on the busy timeout rather than fail), else a
 * savepoint inside the caller's.
 */
/*
 * New articles' full-text entries.  A trigger used to add each row to
 * articles_fts as it was inserted; but a statement that fires a trigger
 * inside a transaction takes a statement journal, and FTS5 flushes its
 * pending data into a new segment at the end of each, so a crawl's batch
 * of rows made a segment per row, then merged them again.  The store now
 * notes the rows it inserts (sq_article_upsert) and indexes them in one
 * statement before the transaction commits, or before anything that needs
 * them indexed sooner: an update of their title or text (whose trigger
 * deletes the old entry), a search or a check on this connection.  No
 * other connection ever sees a row without its entry.  Ids of rows undone
 * by a rollback to a savepoint match nothing; the list is void when the
 * transaction ends.
 */
static void note_unindexed(struct sq *s, int64_t id)
{
    if (s->n_unindexed == s->cap_unindexed) {
        s->cap_unindexed = s->cap_unindexed ? s->cap_unindexed * 2 : 256;
        s->unindexed = td_xrealloc(s->unindexed, s->cap_unindexed * sizeof(*s->unindexed));
    }
    s->unindexed[s->n_unindexed++] = id;
}

static bool is_unindexed(const struct sq *s, int64_t id)
{
    for (size_t i = 0; i < s->n_unindexed; i++)
        if (s->unindexed[i] == id)
            return true;
    return false;
}

/* Index the noted rows (one statement: one FTS5 segment for all of them). */
static int index_new(struct sq *s)
{
    struct td_buf ids = TD_BUF_INIT(s->n_unindexed * 24 + 16);
    sqlite3_stmt *q;
    int err = 0;

    if (s->n_unindexed == 0)
        return 0;
    if (!(q = stmt(s, S_FTS_INDEX)))
        return TD_EDB;
    /* The buffer is sized for every id: appending cannot fail. */
    err = td_buf_append_ch(&ids, '[');
    for (size_t i = 0; i < s->n_unindexed && err == 0; i++)
        err = td_buf_printf(&ids, "%s%" PRId64, i ? "," : "", s->unindexed[i]);
    if (err == 0 && (err = td_buf_append_ch(&ids, ']')) == 0) {
        sqlite3_bind_text(q, 1, ids.buf, (int)ids.len, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            err = db_fail(s, "full-text index");
        done(q);
    }
    td_buf_release(&ids);
    if (err == 0)
        s->n_unindexed = 0;
    return err;
}

static int write_begin(struct sq *s, bool *own)
{
    *own = sqlite3_get_autocommit(s->db) != 0;
    if (*own)
        s->n_unindexed = 0;
    return run(s, *own ? S_BEGIN : S_SAVEPOINT, "begin");
}

static int write_end(struct sq *s, bool own, int err)
{
    char first[sizeof(s->base.errmsg)];

    if (err == 0 && own)
        err = index_new(s);
    if (err == 0) {
        err = run(s, own ? S_COMMIT : S_RELEASE, "commit");
        if (err == 0)
            return 0;
    }
    /* Undo, keeping the first error's message: it is the one that matters. */
    memcpy(first, s->base.errmsg, sizeof(first));
    if (own) {
        if (!sqlite3_get_autocommit(s->db))
            run(s, S_ROLLBACK, "rollback");
        s->n_unindexed = 0;
    } else {
        run(s, S_ROLLBACK_TO, "rollback");
        run(s, S_RELEASE, "rollback");
    }
    memcpy(s->base.errmsg, first, sizeof(first));
    return err;
}

/* ---- lifecycle ---- */

static void sq_close(struct td_store *st)
{
    struct sq *s = sq_of(st);

    for (size_t i = 0; i < TD_ARRAY_SIZE(s->stmts); i++)
        sqlite3_finalize(s->stmts[i]);
    for (size_t i = 0; i < TD_ARRAY_SIZE(s->lists); i++)
        sqlite3_finalize(s->lists[i]);
    for (size_t i = 0; i < TD_ARRAY_SIZE(s->counts); i++)
        sqlite3_finalize(s->counts[i]);
    for (size_t i = 0; i < TD_ARRAY_SIZE(s->story); i++)
        sqlite3_finalize(s->story[i]);
    sqlite3_finalize(s->data_version);
    for (size_t i = 0; i < TD_ARRAY_SIZE(s->tag_lists); i++)
        sqlite3_finalize(s->tag_lists[i]);
    if (s->db && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    free(s->unindexed);
    if (s->ready && !(s->base.flags & TD_STORE_READONLY))
        sqlite3_exec(s->db, "PRAGMA optimize", NULL, NULL, NULL);
    sqlite3_close(s->db);
    free(s);
}

static int pragma_int(struct sq *s, const char *sql, int64_t *v)
{
    sqlite3_stmt *q = NULL;
    int err = 0;

    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_fail(s, sql);
    if (sqlite3_step(q) == SQLITE_ROW)
        *v = sqlite3_column_int64(q, 0);
    else
        err = db_fail(s, sql);
    sqlite3_finalize(q);
    return err;
}

static int sq_schema_version(struct td_store *st, int *version)
{
    int64_t v = 0;
    int err = pragma_int(sq_of(st), "PRAGMA user_version", &v);

    *version = (int)v;
    return err;
}

/* SQLite's own counter: per connection, moved by other connections' commits. */
static int sq_data_version(struct td_store *st, int64_t *version)
{
    struct sq *s = sq_of(st);
    int err = prepare(s, &s->data_version, "PRAGMA data_version");

    if (err < 0)
        return err;
    if (sqlite3_step(s->data_version) == SQLITE_ROW)
        *version = sqlite3_column_int64(s->data_version, 0);
    else
        err = db_fail(s, "data_version");
    sqlite3_reset(s->data_version);
    return err;
}

/* PRAGMA integrity_check, foreign keys, and the FTS index against its table. */
static int sq_check(struct td_store *st)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = NULL;
    int rc, err = 0;

    if ((err = index_new(s)) < 0)
        return err;
    if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &q, NULL) != SQLITE_OK)
        return db_fail(s, "integrity_check");
    rc = sqlite3_step(q);
    if (rc != SQLITE_ROW)
        err = db_fail(s, "integrity_check");
    else if (strcmp((const char *)sqlite3_column_text(q, 0), "ok") != 0)
        err = td_store_fail(st, TD_EDB, "integrity_check: %s", sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    if (err < 0)
        return err;
    if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &q, NULL) != SQLITE_OK)
        return db_fail(s, "foreign_key_check");
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        err = td_store_fail(st, TD_EDB, "foreign_key_check: a row of %s points nowhere",
                            sqlite3_column_text(q, 0));
    else if (rc != SQLITE_DONE)
        err = db_fail(s, "foreign_key_check");
    sqlite3_finalize(q);
    if (err < 0 || (s->base.flags & TD_STORE_READONLY))
        return err;
    /* A write statement in form only; it changes nothing. */
    if (sqlite3_exec(s->db, "INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(s->db, "INSERT INTO tags_fts(tags_fts) VALUES ('integrity-check')", NULL, NULL,
                     NULL) != SQLITE_OK)
        return db_fail(s, "search index check");
    return 0;
}

static int sq_begin(struct td_store *st)
{
    struct sq *s = sq_of(st);

    if (!sqlite3_get_autocommit(s->db))
        return td_store_fail(st, TD_EINVAL, "a transaction is already open");
    s->n_unindexed = 0;
    return run(s, S_BEGIN, "begin");
}

static int sq_commit(struct td_store *st)
{
    struct sq *s = sq_of(st);
    int err;

    if (sqlite3_get_autocommit(s->db))
        return td_store_fail(st, TD_EINVAL, "no transaction is open");
    if ((err = index_new(s)) == 0)
        err = run(s, S_COMMIT, "commit");
    if (err < 0 && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->n_unindexed = 0;
    return err;
}

static int sq_rollback(struct td_store *st)
{
    struct sq *s = sq_of(st);

    if (sqlite3_get_autocommit(s->db))
        return td_store_fail(st, TD_EINVAL, "no transaction is open");
    s->n_unindexed = 0;
    return run(s, S_ROLLBACK, "rollback");
}

/* ---- outlets ---- */

static void read_outlet(sqlite3_stmt *q, struct td_arena *a, struct td_outlet *o)
{
    o->id = col_int(q, 0);
    o->name = col_str(q, 1, a);
    o->site_url = col_str(q, 2, a);
    o->icon_url = col_str(q, 3, a);
}

static int sq_outlet_upsert(struct td_store *st, const struct td_outlet *o, int64_t *id)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_OUTLET_UPSERT);
    int err = 0;

    if (!q)
        return TD_EDB;
    if (bind_text(q, 1, o->name) | bind_text(q, 2, o->site_url) | bind_text(q, 3, o->icon_url))
        err = db_fail(s, "outlet upsert");
    else if (sqlite3_step(q) != SQLITE_ROW)
        err = db_fail(s, "outlet upsert");
    else if (id)
        *id = col_int(q, 0);
    if (err == 0 && sqlite3_step(q) != SQLITE_DONE)
        err = db_fail(s, "outlet upsert");
    done(q);
    return err;
}

static int sq_outlet_get(struct td_store *st, int64_t id, struct td_arena *a,
                         struct td_outlet **out)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_OUTLET_GET);
    int rc, err = 0;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, id);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *out = td_arena_zalloc(a, sizeof(**out));
        read_outlet(q, a, *out);
    } else if (rc == SQLITE_DONE) {
        err = td_store_fail(st, TD_ENOTFOUND, "no outlet %" PRId64, id);
    } else {
        err = db_fail(s, "outlet get");
    }
    done(q);
    return err;
}

/*
 * Step `q` to the end, growing an arena array of `size`-byte records that
 * `read` fills.  The array doubles in the arena (old copies stay there
 * until the arena goes: lists are bounded by the caller or small).
 */
static int collect(struct sq *s, sqlite3_stmt *q, struct td_arena *a, size_t size,
                   void (*read)(sqlite3_stmt *, struct td_arena *, void *), void **items, size_t *n,
                   const char *what)
{
    size_t cap = 0, count = 0;
    char *arr = NULL;
    int rc;

    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char *narr = td_arena_zalloc(a, ncap * size);
            if (count)
                memcpy(narr, arr, count * size);
            arr = narr;
            cap = ncap;
        }
        read(q, a, arr + count * size);
        count++;
    }
    if (rc != SQLITE_DONE)
        return db_fail(s, what);
    *items = arr;
    *n = count;
    return 0;
}

static void read_outlet_v(sqlite3_stmt *q, struct td_arena *a, void *o)
{
    read_outlet(q, a, o);
}

static int sq_outlet_list(struct td_store *st, struct td_arena *a, struct td_outlet **items,
                          size_t *n)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_OUTLET_LIST);
    void *arr = NULL;
    int err;

    if (!q)
        return TD_EDB;
    err = collect(s, q, a, sizeof(struct td_outlet), read_outlet_v, &arr, n, "outlet list");
    done(q);
    *items = arr;
    return err;
}

/* ---- feeds ---- */

static void read_feed(sqlite3_stmt *q, struct td_arena *a, void *p)
{
    struct td_feed *f = p;

    f->id = col_int(q, 0);
    f->outlet_id = col_int(q, 1);
    f->url = col_str(q, 2, a);
    f->title = col_str(q, 3, a);
    f->etag = col_str(q, 4, a);
    f->last_modified = col_str(q, 5, a);
    f->allow_private = col_int(q, 6) != 0;
    f->created_at = col_int(q, 7);
    f->last_fetched_at = col_int(q, 8);
    f->next_fetch_at = col_int(q, 9);
    f->interval_s = col_int(q, 10);
    f->error_count = col_int(q, 11);
    f->last_error = col_str(q, 12, a);
    f->last_status = (int)col_int(q, 13);
    f->category = col_str(q, 14, a);
    f->tz = col_str(q, 15, a);
}

static int sq_feed_add(struct td_store *st, const struct td_feed *f, int64_t now, int64_t *id,
                       bool *created)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_FEED_INSERT);
    int rc, err = 0;

    if (!q)
        return TD_EDB;
    if (bind_opt(q, 1, f->outlet_id) | bind_text(q, 2, f->url) | bind_text(q, 3, f->title) |
        sqlite3_bind_int(q, 4, f->allow_private) |
        sqlite3_bind_int64(q, 5, f->created_at ? f->created_at : now) |
        sqlite3_bind_int64(q, 6, f->next_fetch_at) |
        sqlite3_bind_int64(q, 7, f->interval_s ? f->interval_s : TD_STORE_DEFAULT_INTERVAL) |
        bind_text(q, 8, f->category) | bind_text(q, 9, f->tz)) {
        done(q);
        return db_fail(s, "feed add");
    }
    rc = sqlite3_step(q);
    *created = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        *id = col_int(q, 0);
        rc = sqlite3_step(q);
    }
    if (rc != SQLITE_DONE)
        err = db_fail(s, "feed add");
    done(q);
    if (err < 0 || *created)
        return err;
    /* The URL was known: find its row. */
    if (!(q = stmt(s, S_FEED_ID_BY_URL)))
        return TD_EDB;
    bind_text(q, 1, f->url);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = col_int(q, 0);
    else
        err = rc == SQLITE_DONE ? td_store_fail(st, TD_ENOTFOUND, "feed vanished while added")
                                : db_fail(s, "feed add");
    done(q);
    return err;
}

static int sq_feed_get(struct td_store *st, int64_t id, const char *url, struct td_arena *a,
                       struct td_feed **out)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, url ? S_FEED_GET_URL : S_FEED_GET);
    int rc, err = 0;

    if (!q)
        return TD_EDB;
    if (url)
        bind_text(q, 1, url);
    else
        sqlite3_bind_int64(q, 1, id);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *out = td_arena_zalloc(a, sizeof(**out));
        read_feed(q, a, *out);
    } else if (rc == SQLITE_DONE) {
        err = url ? td_store_fail(st, TD_ENOTFOUND, "no feed with that url")
                  : td_store_fail(st, TD_ENOTFOUND, "no feed %" PRId64, id);
    } else {
        err = db_fail(s, "feed get");
    }
    done(q);
    return err;
}

static int sq_feed_list(struct td_store *st, bool due_only, int64_t now, size_t limit,
                        struct td_arena *a, struct td_feed **items, size_t *n)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, due_only ? S_FEED_DUE : S_FEED_LIST);
    void *arr = NULL;
    int err;

    if (!q)
        return TD_EDB;
    if (due_only) {
        sqlite3_bind_int64(q, 1, now);
        sqlite3_bind_int64(q, 2, (int64_t)limit);
    }
    err = collect(s, q, a, sizeof(struct td_feed), read_feed, &arr, n, "feed list");
    done(q);
    *items = arr;
    return err;
}

static int sq_feed_update_fetch(struct td_store *st, int64_t id, const struct td_feed_fetch *r)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_FEED_UPDATE_FETCH);
    int err = 0;

    if (!q)
        return TD_EDB;
    if (sqlite3_bind_int64(q, 1, id) | bind_opt(q, 2, r->fetched_at) | bind_opt(q, 3, r->status) |
        bind_text(q, 4, r->error) | sqlite3_bind_int(q, 5, r->keep_validators) |
        bind_text(q, 6, r->etag) | bind_text(q, 7, r->last_modified) | bind_text(q, 8, r->title) |
        sqlite3_bind_int64(q, 9, r->next_fetch_at) | sqlite3_bind_int64(q, 10, r->interval_s))
        err = db_fail(s, "feed update");
    else if (sqlite3_step(q) != SQLITE_DONE)
        err = db_fail(s, "feed update");
    else if (sqlite3_changes(s->db) == 0)
        err = td_store_fail(st, TD_ENOTFOUND, "no feed %" PRId64, id);
    done(q);
    return err;
}

static int sq_feed_set_url(struct td_store *st, int64_t id, const char *url)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_FEED_SET_URL);
    int err = 0;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, id);
    bind_text(q, 2, url);
    if (sqlite3_step(q) != SQLITE_DONE)
        err = db_fail(s, "feed set url");
    else if (sqlite3_changes(s->db) == 0)
        err = td_store_fail(st, TD_ENOTFOUND, "no feed %" PRId64, id);
    done(q);
    return err;
}

static int sq_feed_set_prefs(struct td_store *st, int64_t id, const char *category, const char *tz)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_FEED_SET_PREFS);
    int err = 0;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, id);
    if (bind_text(q, 2, category) | bind_text(q, 3, tz))
        err = db_fail(s, "feed set prefs");
    else if (sqlite3_step(q) != SQLITE_DONE)
        err = db_fail(s, "feed set prefs");
    else if (sqlite3_changes(s->db) == 0)
        err = td_store_fail(st, TD_ENOTFOUND, "no feed %" PRId64, id);
    done(q);
    return err;
}

/* ---- articles ---- */

static int bind_article(sqlite3_stmt *q, const struct td_article *a, const char *authors,
                        int64_t now)
{
    return sqlite3_bind_int64(q, 1, a->feed_id) | bind_opt(q, 2, a->outlet_id) |
           bind_text(q, 3, a->entry_key) | bind_text(q, 4, a->url) | bind_text(q, 5, a->title) |
           bind_text(q, 6, authors) | bind_opt(q, 7, a->published) | bind_opt(q, 8, a->updated) |
           sqlite3_bind_int(q, 9, a->date_clamped) | bind_text(q, 10, a->feed_summary_html) |
           bind_text(q, 11, a->feed_content_html) | bind_text(q, 12, a->image_url) |
           bind_text(q, 13, a->image_caption) | bind_text(q, 14, a->image_credit) |
           bind_text(q, 15, a->text) | bind_text(q, 16, a->html) | bind_text(q, 17, a->language) |
           bind_opt(q, 18, a->word_count) | bind_text(q, 19, a->extract_error) |
           bind_opt(q, 20, a->fetched_at) | bind_opt(q, 21, (int64_t)a->simhash) |
           bind_opt(q, 22, a->story_id) | sqlite3_bind_int64(q, 23, now) |
           bind_opt(q, 25, a->page_attempts) | bind_opt(q, 26, a->page_retry_at) |
           bind_text(q, 27, a->image_alt);
}

static void read_article(sqlite3_stmt *q, struct td_arena *a, void *p)
{
    struct td_article *r = p;
    const char *authors;

    r->id = col_int(q, 0);
    r->feed_id = col_int(q, 1);
    r->outlet_id = col_int(q, 2);
    r->entry_key = col_str(q, 3, a);
    r->url = col_str(q, 4, a);
    r->title = col_str(q, 5, a);
    authors = (const char *)sqlite3_column_text(q, 6);
    td_store_authors_decode(authors, a, &r->authors, &r->n_authors);
    r->published = col_int(q, 7);
    r->updated = col_int(q, 8);
    r->date_clamped = col_int(q, 9) != 0;
    r->feed_summary_html = col_str(q, 10, a);
    r->image_url = col_str(q, 11, a);
    r->image_caption = col_str(q, 12, a);
    r->image_credit = col_str(q, 13, a);
    r->language = col_str(q, 14, a);
    r->word_count = col_int(q, 15);
    r->extract_error = col_str(q, 16, a);
    r->fetched_at = col_int(q, 17);
    r->simhash = (uint64_t)col_int(q, 18);
    r->story_id = col_int(q, 19);
    r->created_at = col_int(q, 20);
    r->sort_at = col_int(q, 21);
    r->duplicate_of = col_int(q, 22);
    r->page_attempts = col_int(q, 23);
    r->page_retry_at = col_int(q, 24);
    if (sqlite3_column_count(q) > ARTICLE_NCOLS) {
        r->text = col_str(q, ARTICLE_NCOLS, a);
        r->html = col_str(q, ARTICLE_NCOLS + 1, a);
        r->feed_content_html = col_str(q, ARTICLE_NCOLS + 2, a);
        r->image_alt = col_str(q, ARTICLE_NCOLS + 3, a);
    }
}

static int sq_article_upsert(struct td_store *st, const struct td_article *a,
                             const char *authors_json, int64_t now, int64_t *id,
                             enum td_store_upsert *result)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q;
    bool own;
    int rc, err = 0;

    /*
     * A read and one write statement.  Inside the caller's transaction no
     * savepoint is needed (a failed statement undoes its own changes), and
     * one would cost dearly: FTS5 flushes its pending index data into a new
     * segment at every savepoint, so a batch of rows would make a segment
     * per row.  Alone, the read and the write share a transaction.
     */
    own = false;
    if (sqlite3_get_autocommit(s->db) && (err = write_begin(s, &own)) < 0)
        return err;
    if (!(q = stmt(s, S_ARTICLE_FIND))) {
        err = TD_EDB;
        goto out;
    }
    sqlite3_bind_int64(q, 1, a->feed_id);
    bind_text(q, 2, a->entry_key);
    rc = sqlite3_step(q);
    *id = rc == SQLITE_ROW ? col_int(q, 0) : 0;
    done(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err = db_fail(s, "article find");
        goto out;
    }
    /* Its update trigger replaces the row's entry, which must exist by then. */
    if (*id && is_unindexed(s, *id) && (err = index_new(s)) < 0)
        goto out;
    if (!(q = stmt(s, *id ? S_ARTICLE_UPDATE : S_ARTICLE_INSERT))) {
        err = TD_EDB;
        goto out;
    }
    if (bind_article(q, a, authors_json, now) | (*id ? sqlite3_bind_int64(q, 24, *id) : 0))
        err = db_fail(s, "article upsert");
    else if (sqlite3_step(q) != SQLITE_DONE)
        err = db_fail(s, "article upsert");
    done(q);
    if (err < 0)
        goto out;
    if (*id) {
        *result = sqlite3_changes(s->db) ? TD_UPSERT_CHANGED : TD_UPSERT_UNCHANGED;
    } else {
        *id = sqlite3_last_insert_rowid(s->db);
        *result = TD_UPSERT_NEW;
        note_unindexed(s, *id);
    }
out:
    return own ? write_end(s, true, err) : err;
}

static int sq_article_get(struct td_store *st, int64_t id, int64_t feed_id, const char *key,
                          const char *url, struct td_arena *a, struct td_article **out)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, id ? S_ARTICLE_GET : key ? S_ARTICLE_GET_KEY : S_ARTICLE_GET_URL);
    int rc, err = 0;

    if (!q)
        return TD_EDB;
    if (id) {
        sqlite3_bind_int64(q, 1, id);
    } else if (key) {
        sqlite3_bind_int64(q, 1, feed_id);
        bind_text(q, 2, key);
    } else {
        bind_text(q, 1, url);
    }
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *out = td_arena_zalloc(a, sizeof(**out));
        read_article(q, a, *out);
    } else if (rc == SQLITE_DONE) {
        err = td_store_fail(st, TD_ENOTFOUND, "no such article");
    } else {
        err = db_fail(s, "article get");
    }
    done(q);
    return err;
}

static int sq_article_find(struct td_store *st, int64_t feed_id, const char *key, int64_t *id)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_ARTICLE_FIND);
    int rc, err = 0;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, feed_id);
    bind_text(q, 2, key);
    rc = sqlite3_step(q);
    *id = rc == SQLITE_ROW ? col_int(q, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = db_fail(s, "article find");
    done(q);
    return err;
}

/*
 * Run a list statement bound for limit + 1 rows and make the page: the
 * extra row only says that another page follows, and the last row kept is
 * the next page's cursor.
 */
static int article_page(struct sq *s, sqlite3_stmt *q, struct td_arena *a, size_t limit,
                        const char *what, struct td_article_list *out)
{
    void *arr = NULL;
    size_t n = 0;
    int err = collect(s, q, a, sizeof(struct td_article), read_article, &arr, &n, what);

    done(q);
    if (err < 0)
        return err;
    out->items = arr;
    out->more = n > limit;
    out->n = out->more ? limit : n;
    if (out->n) {
        out->next.sort_at = out->items[out->n - 1].sort_at;
        out->next.id = out->items[out->n - 1].id;
    }
    return 0;
}

/*
 * The list statement for a set of filters, built from fixed fragments (no
 * input reaches the SQL text).  Parameters: ?1 outlet_id, ?2 feed_id,
 * ?3/?4 the cursor's sort_at/id, ?5 the row limit.
 */
static sqlite3_stmt *list_stmt(struct sq *s, unsigned variant)
{
    char sql[1024];

    if (s->lists[variant])
        return s->lists[variant];
    snprintf(sql, sizeof(sql),
             "SELECT " ARTICLE_COLS "%s FROM articles WHERE 1%s%s%s%s%s "
             "ORDER BY sort_at DESC, id DESC LIMIT ?5",
             variant & LIST_BODY ? ARTICLE_BODY : "",
             variant & LIST_OUTLET ? " AND outlet_id = ?1" : "",
             variant & LIST_FEED ? " AND feed_id = ?2" : "",
             variant & LIST_CURSOR ? " AND (sort_at, id) < (?3, ?4)" : "",
             variant & LIST_PENDING ? " AND fetched_at IS NULL AND (page_retry_at IS NULL OR "
                                      "page_retry_at <= CAST(strftime('%s', 'now') AS INTEGER))"
                                    : "",
             variant & LIST_ORIGINALS ? " AND duplicate_of IS NULL" : "");
    return prepare(s, &s->lists[variant], sql) < 0 ? NULL : s->lists[variant];
}

static int sq_article_list(struct td_store *st, const struct td_article_filter *f,
                           struct td_arena *a, struct td_article_list *out)
{
    struct sq *s = sq_of(st);
    unsigned variant = (f->outlet_id ? LIST_OUTLET : 0) | (f->feed_id ? LIST_FEED : 0) |
                       (f->after.id ? LIST_CURSOR : 0) | (f->with_body ? LIST_BODY : 0) |
                       (f->page_pending ? LIST_PENDING : 0) |
                       (f->originals_only ? LIST_ORIGINALS : 0);
    sqlite3_stmt *q = list_stmt(s, variant);

    if (!q)
        return TD_EDB;
    /* Unused parameters are bound harmlessly: every variant numbers up to ?5. */
    sqlite3_bind_int64(q, 1, f->outlet_id);
    sqlite3_bind_int64(q, 2, f->feed_id);
    sqlite3_bind_int64(q, 3, f->after.sort_at);
    sqlite3_bind_int64(q, 4, f->after.id);
    sqlite3_bind_int64(q, 5, (int64_t)f->limit + 1); /* one more tells whether a page follows */
    return article_page(s, q, a, f->limit, "article list", out);
}

static int sq_article_count(struct td_store *st, int64_t outlet_id, int64_t feed_id, int64_t *n)
{
    struct sq *s = sq_of(st);
    unsigned variant = (outlet_id ? LIST_OUTLET : 0) | (feed_id ? LIST_FEED : 0);
    sqlite3_stmt *q;
    char sql[256];
    int err = 0;

    snprintf(sql, sizeof(sql), "SELECT count(*) FROM articles WHERE 1%s%s",
             variant & LIST_OUTLET ? " AND outlet_id = ?1" : "",
             variant & LIST_FEED ? " AND feed_id = ?2" : "");
    if (prepare(s, &s->counts[variant], sql) < 0)
        return TD_EDB;
    q = s->counts[variant];
    if (variant & LIST_OUTLET)
        sqlite3_bind_int64(q, 1, outlet_id);
    if (variant & LIST_FEED)
        sqlite3_bind_int64(q, 2, feed_id);
    if (sqlite3_step(q) == SQLITE_ROW)
        *n = col_int(q, 0);
    else
        err = db_fail(s, "article count");
    done(q);
    return err;
}

/* ---- search ---- */

/* One term as an FTS5 string ('"' doubled), a prefix query if it ends in '*'. */
static int render_term(const struct td_search_term *t, struct td_buf *b)
{
    int err = td_buf_append_ch(b, '"');

    for (size_t j = 0; j < t->len && err == 0; j++)
        err = td_buf_append_c(b, t->text[j] == '"' ? "\"\"" : (char[2]){t->text[j], 0});
    if (err == 0)
        err = td_buf_append_c(b, t->prefix ? "\" *" : "\"");
    return err;
}

/*
 * Render a parsed query as an FTS5 expression: every term becomes a quoted
 * string (FTS5's only fully literal syntax; a '"' inside is doubled), words
 * with a trailing '*' become prefix queries, and exclusions follow as
 * `NOT "..."`.  Implicit AND joins the rest.  Nothing the user typed can be
 * read as an operator, a column filter or NEAR().
 */
static int render_fts(const struct td_search_query *q, struct td_buf *b)
{
    int err = 0;

    for (int pass = 0; pass < 2 && err == 0; pass++) {
        for (size_t i = 0; i < q->n && err == 0; i++) {
            const struct td_search_term *t = &q->terms[i];
            if (t->exclude != (pass == 1))
                continue;
            if (b->len)
                err = td_buf_append_ch(b, ' ');
            if (err == 0 && t->exclude)
                err = td_buf_append_c(b, "NOT ");
            if (err == 0)
                err = render_term(t, b);
        }
    }
    return err;
}

/* The excluded terms alone, joined by OR (empty without exclusions). */
static int render_excluded(const struct td_search_query *q, struct td_buf *b)
{
    int err = 0;

    for (size_t i = 0; i < q->n && err == 0; i++) {
        if (!q->terms[i].exclude)
            continue;
        if (b->len)
            err = td_buf_append_c(b, " OR ");
        if (err == 0)
            err = render_term(&q->terms[i], b);
    }
    return err;
}

static int sq_search(struct td_store *st, const struct td_search_query *sq,
                     const struct td_search_opts *o, struct td_arena *a,
                     struct td_search_result *out)
{
    struct sq *s = sq_of(st);
    struct td_buf expr = TD_BUF_INIT(FTS_QUERY_CAP), excl = TD_BUF_INIT(FTS_QUERY_CAP);
    sqlite3_stmt *q = NULL;
    size_t cap = 0;
    int rc, err;

    if ((err = index_new(s)) < 0)
        goto out;
    if ((err = render_fts(sq, &expr)) < 0 || (err = render_excluded(sq, &excl)) < 0) {
        err = td_store_fail(st, err, "search expression over %d bytes", FTS_QUERY_CAP);
        goto out;
    }
    if (!(q = stmt(s, excl.len ? S_SEARCH_EXCLUDING : S_SEARCH))) {
        err = TD_EDB;
        goto out;
    }
    bind_text(q, 1, expr.buf);
    if (excl.len)
        bind_text(q, 10, excl.buf);
    bind_text(q, 2, o->mark_open);
    bind_text(q, 3, o->mark_close);
    sqlite3_bind_int64(q, 4, (int64_t)o->limit);
    sqlite3_bind_int64(q, 5, o->offset > INT64_MAX ? INT64_MAX : (int64_t)o->offset);
    sqlite3_bind_int64(q, 6, o->outlet_id);
    sqlite3_bind_int64(q, 7, o->after);
    sqlite3_bind_int64(q, 8, o->before);
    sqlite3_bind_int64(q, 9, o->tag_id);
    out->hits = td_arena_zalloc(a, o->limit * sizeof(*out->hits));
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && cap < o->limit) {
        struct td_search_hit *h = &out->hits[cap++];
        h->id = col_int(q, 0);
        h->score = -sqlite3_column_double(q, 1);
        h->snippet = col_str(q, 2, a);
    }
    out->n = cap;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = db_fail(s, "search");
    done(q);
out:
    td_buf_release(&expr);
    td_buf_release(&excl);
    return err;
}

/* ---- readers: users, sessions, comments ---- */

static void read_user(sqlite3_stmt *q, struct td_arena *a, void *p)
{
    struct td_user *u = p;

    u->id = col_int(q, 0);
    u->name = col_str(q, 1, a);
    u->pw_hash = col_str(q, 2, a);
    u->admin = col_int(q, 3) != 0;
    u->created_at = col_int(q, 4);
}

static void read_comment(sqlite3_stmt *q, struct td_arena *a, void *p)
{
    struct td_comment *c = p;

    c->id = col_int(q, 0);
    c->article_id = col_int(q, 1);
    c->user_id = col_int(q, 2);
    c->body = col_str(q, 3, a);
    c->created_at = col_int(q, 4);
    c->edited_at = col_int(q, 5);
    c->hidden = col_int(q, 6) != 0;
    c->user_name = col_str(q, 7, a);
}

/*
 * Step a bound statement expecting at most one row, read by `read` into a
 * fresh arena record of `size` bytes; TD_ENOTFOUND with `what` when none.
 */
static int one_row(struct sq *s, sqlite3_stmt *q, struct td_arena *a, size_t size,
                   void (*read)(sqlite3_stmt *, struct td_arena *, void *), void **out,
                   const char *what)
{
    int rc = sqlite3_step(q), err = 0;

    if (rc == SQLITE_ROW) {
        *out = td_arena_zalloc(a, size);
        read(q, a, *out);
    } else if (rc == SQLITE_DONE) {
        err = td_store_fail(&s->base, TD_ENOTFOUND, "no such %s", what);
    } else {
        err = db_fail(s, what);
    }
    done(q);
    return err;
}

/* Run a bound write; TD_ENOTFOUND when `must_change` and no row changed. */
static int write_one(struct sq *s, sqlite3_stmt *q, bool must_change, const char *what)
{
    int rc = sqlite3_step(q), err = 0;

    if (rc != SQLITE_DONE)
        err = db_fail(s, what);
    else if (must_change && sqlite3_changes(s->db) == 0)
        err = td_store_fail(&s->base, TD_ENOTFOUND, "%s: no such row", what);
    done(q);
    return err;
}

static int sq_user_add(struct td_store *st, const struct td_user *u, int64_t now, int64_t *id)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_USER_ADD);
    int err;

    if (!q)
        return TD_EDB;
    bind_text(q, 1, u->name);
    bind_text(q, 2, u->pw_hash);
    sqlite3_bind_int(q, 3, u->admin ? 1 : 0);
    sqlite3_bind_int64(q, 4, now);
    if ((err = write_one(s, q, false, "user add")) == 0)
        *id = sqlite3_last_insert_rowid(s->db);
    else if (err == TD_EEXIST)
        td_store_fail(st, TD_EEXIST, "the name \"%s\" is taken", u->name);
    return err;
}

static int sq_user_get(struct td_store *st, int64_t id, const char *name, struct td_arena *a,
                       struct td_user **out)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, id > 0 ? S_USER_GET : S_USER_GET_NAME);

    if (!q)
        return TD_EDB;
    if (id > 0)
        sqlite3_bind_int64(q, 1, id);
    else
        bind_text(q, 1, name);
    return one_row(s, q, a, sizeof(**out), read_user, (void **)out, "user");
}

static int sq_session_add(struct td_store *st, const struct td_session *se, int64_t now)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_SESSION_ADD);

    if (!q)
        return TD_EDB;
    bind_text(q, 1, se->token_hash);
    sqlite3_bind_int64(q, 2, se->user_id);
    sqlite3_bind_int64(q, 3, now);
    sqlite3_bind_int64(q, 4, se->expires_at);
    return write_one(s, q, false, "session add");
}

static int sq_session_user(struct td_store *st, const char *token_hash, int64_t now,
                           struct td_arena *a, struct td_user **out)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_SESSION_USER);

    if (!q)
        return TD_EDB;
    bind_text(q, 1, token_hash);
    sqlite3_bind_int64(q, 2, now);
    return one_row(s, q, a, sizeof(**out), read_user, (void **)out, "session");
}

static int sq_session_delete(struct td_store *st, const char *token_hash)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_SESSION_DELETE);

    if (!q)
        return TD_EDB;
    bind_text(q, 1, token_hash);
    return write_one(s, q, false, "session delete");
}

static int sq_session_purge(struct td_store *st, int64_t now)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_SESSION_PURGE);

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, now);
    return write_one(s, q, false, "session purge");
}

static int sq_comment_add(struct td_store *st, const struct td_comment *c, int64_t now, int64_t *id)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_COMMENT_ADD);
    int err;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, c->article_id);
    sqlite3_bind_int64(q, 2, c->user_id);
    bind_text(q, 3, c->body);
    sqlite3_bind_int64(q, 4, now);
    if ((err = write_one(s, q, false, "comment add")) == 0)
        *id = sqlite3_last_insert_rowid(s->db);
    return err;
}

static int sq_comment_get(struct td_store *st, int64_t id, struct td_arena *a,
                          struct td_comment **out)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_COMMENT_GET);

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, id);
    return one_row(s, q, a, sizeof(**out), read_comment, (void **)out, "comment");
}

static int sq_comment_list(struct td_store *st, int64_t article_id, bool with_hidden,
                           struct td_arena *a, struct td_comment **items, size_t *n)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_COMMENT_LIST);
    int err;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, article_id);
    sqlite3_bind_int(q, 2, with_hidden ? 1 : 0);
    sqlite3_bind_int(q, 3, TD_STORE_LIST_MAX);
    err = collect(s, q, a, sizeof(**items), read_comment, (void **)items, n, "comment list");
    done(q);
    return err;
}

static int sq_comment_edit(struct td_store *st, int64_t id, const char *body, int64_t edited_at)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_COMMENT_EDIT);

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, id);
    bind_text(q, 2, body);
    sqlite3_bind_int64(q, 3, edited_at);
    return write_one(s, q, true, "comment edit");
}

static int sq_comment_set_hidden(struct td_store *st, int64_t id, bool hidden)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_COMMENT_HIDE);

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int(q, 2, hidden ? 1 : 0);
    return write_one(s, q, true, "comment hide");
}

static int sq_comment_delete(struct td_store *st, int64_t id)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_COMMENT_DELETE);

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, id);
    return write_one(s, q, true, "comment delete");
}

/* ---- for sqlite_story.c (see sqlite_int.h) ---- */

sqlite3 *td_sq_db(struct td_store *st)
{
    return sq_of(st)->db;
}

sqlite3_stmt *td_sq_story_stmt(struct td_store *st, unsigned slot, const char *sql)
{
    struct sq *s = sq_of(st);

    TD_ASSERT(slot < TD_SQ_STORY_STMTS);
    return prepare(s, &s->story[slot], sql) < 0 ? NULL : s->story[slot];
}

void td_sq_done(sqlite3_stmt *q)
{
    done(q);
}

int td_sq_fail(struct td_store *st, const char *what)
{
    return db_fail(sq_of(st), what);
}

int td_sq_write_begin(struct td_store *st, bool *own)
{
    return write_begin(sq_of(st), own);
}

int td_sq_write_end(struct td_store *st, bool own, int err)
{
    return write_end(sq_of(st), own, err);
}

int td_sq_article_get(struct td_store *st, int64_t id, struct td_arena *a, struct td_article **out)
{
    return sq_article_get(st, id, 0, NULL, NULL, a, out);
}

/* ---- key points and tags ---- */

static int sq_keypoints_set(struct td_store *st, int64_t article_id, const char *points_json,
                            int64_t now)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_KEYPOINTS_SET);

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, article_id);
    bind_text(q, 2, points_json);
    sqlite3_bind_int64(q, 3, now);
    return write_one(s, q, false, "key points set");
}

static void read_text0(sqlite3_stmt *q, struct td_arena *a, void *p)
{
    *(const char **)p = col_str(q, 0, a);
}

static int sq_keypoints_get(struct td_store *st, int64_t article_id, struct td_arena *a,
                            const char **points_json)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_KEYPOINTS_GET);
    const char **row = NULL;
    int err;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, article_id);
    err = one_row(s, q, a, sizeof(*row), read_text0, (void **)&row, "key points");
    if (err == 0)
        *points_json = *row;
    return err;
}

static int sq_tags_set(struct td_store *st, int64_t article_id, unsigned kinds,
                       const struct td_tag *tags, size_t n)
{
    struct sq *s = sq_of(st);
    struct td_buf kind_json = TD_BUF_INIT(TD_BUF_NOCAP);
    char *slugs = NULL, *terms = NULL;
    sqlite3_stmt *q;
    bool own;
    int err;

    if ((err = write_begin(s, &own)) < 0)
        return err;
    if (!(q = stmt(s, S_TAGS_CLEAR))) {
        err = TD_EDB;
        goto out;
    }
    sqlite3_bind_int64(q, 1, article_id);
    sqlite3_bind_int64(q, 2, kinds);
    if ((err = write_one(s, q, false, "tags clear")) < 0 || n == 0)
        goto out;
    td_store_tags_encode(tags, n, &slugs, &terms, &kind_json);
    if (!(q = stmt(s, S_TAGS_ENSURE))) {
        err = TD_EDB;
        goto out;
    }
    bind_text(q, 1, slugs);
    bind_text(q, 2, terms);
    bind_text(q, 3, kind_json.buf);
    if ((err = write_one(s, q, false, "tags add")) < 0)
        goto out;
    if (!(q = stmt(s, S_ARTICLE_TAGS_ADD))) {
        err = TD_EDB;
        goto out;
    }
    sqlite3_bind_int64(q, 1, article_id);
    bind_text(q, 2, slugs);
    bind_text(q, 3, kind_json.buf);
    err = write_one(s, q, false, "article tags");
    if (err == TD_EINVAL)
        td_store_fail(st, err, "no article %" PRId64, article_id);
out:
    free(slugs);
    free(terms);
    td_buf_release(&kind_json);
    return write_end(s, own, err);
}

static void read_tag(sqlite3_stmt *q, struct td_arena *a, void *p)
{
    struct td_tag *t = p;

    t->id = col_int(q, 0);
    t->slug = col_str(q, 1, a);
    t->term = col_str(q, 2, a);
    t->kind = (enum td_tag_kind)col_int(q, 3);
    t->articles = col_int(q, 4);
}

static int sq_tags_of(struct td_store *st, int64_t article_id, struct td_arena *a,
                      struct td_tag **items, size_t *n)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_TAGS_OF);
    void *arr = NULL;
    int err;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, article_id);
    err = collect(s, q, a, sizeof(struct td_tag), read_tag, &arr, n, "tags of");
    done(q);
    *items = arr;
    return err;
}

static int sq_tag_get(struct td_store *st, const char *slug, struct td_arena *a,
                      struct td_tag **out)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_TAG_GET);

    if (!q)
        return TD_EDB;
    bind_text(q, 1, slug);
    return one_row(s, q, a, sizeof(**out), read_tag, (void **)out, "tag");
}

static int sq_tags_popular(struct td_store *st, unsigned kinds, int64_t min_articles, size_t limit,
                           struct td_arena *a, struct td_tag **items, size_t *n)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_TAGS_POPULAR);
    void *arr = NULL;
    int err;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, min_articles);
    sqlite3_bind_int64(q, 2, kinds);
    sqlite3_bind_int64(q, 3, (int64_t)limit);
    err = collect(s, q, a, sizeof(struct td_tag), read_tag, &arr, n, "popular tags");
    done(q);
    *items = arr;
    return err;
}

/*
 * A tag's list: the index on article_tags(tag_id, sort_at, article_id)
 * gives the page's ids in order; the articles are joined to them.  The
 * inner columns are renamed so that ARTICLE_COLS names only articles'.
 * Parameters: ?1 tag_id, ?2/?3 the cursor's sort_at/id, ?4 the row limit.
 */
static sqlite3_stmt *tag_list_stmt(struct sq *s, unsigned variant)
{
    char sql[1024];

    if (s->tag_lists[variant])
        return s->tag_lists[variant];
    snprintf(sql, sizeof(sql),
             "SELECT " ARTICLE_COLS "%s FROM (SELECT article_id AS t_id, sort_at AS t_sort "
             "FROM article_tags WHERE tag_id = ?1%s ORDER BY t_sort DESC, t_id DESC LIMIT ?4) "
             "JOIN articles ON articles.id = t_id ORDER BY t_sort DESC, t_id DESC",
             variant & LIST_BODY ? ARTICLE_BODY : "",
             variant & LIST_CURSOR ? " AND (sort_at, article_id) < (?2, ?3)" : "");
    return prepare(s, &s->tag_lists[variant], sql) < 0 ? NULL : s->tag_lists[variant];
}

static int sq_tag_articles(struct td_store *st, int64_t tag_id, const struct td_article_filter *f,
                           struct td_arena *a, struct td_article_list *out)
{
    struct sq *s = sq_of(st);
    unsigned variant = (f->after.id ? LIST_CURSOR : 0) | (f->with_body ? LIST_BODY : 0);
    sqlite3_stmt *q = tag_list_stmt(s, variant);

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, tag_id);
    sqlite3_bind_int64(q, 2, f->after.sort_at);
    sqlite3_bind_int64(q, 3, f->after.id);
    sqlite3_bind_int64(q, 4, (int64_t)f->limit + 1);
    return article_page(s, q, a, f->limit, "tag articles", out);
}

static int sq_analysis_copy(struct td_store *st, int64_t from, int64_t to)
{
    struct sq *s = sq_of(st);
    static const enum stmt_id steps[] = {S_KEYPOINTS_COPY, S_ARTICLE_TAGS_COPY};
    bool own;
    int err;

    if ((err = write_begin(s, &own)) < 0)
        return err;
    for (size_t i = 0; i < TD_ARRAY_SIZE(steps) && err == 0; i++) {
        sqlite3_stmt *q = stmt(s, steps[i]);
        if (!q) {
            err = TD_EDB;
            break;
        }
        sqlite3_bind_int64(q, 1, from);
        sqlite3_bind_int64(q, 2, to);
        err = write_one(s, q, false, "analysis copy");
    }
    return write_end(s, own, err);
}

static int sq_articles_unanalyzed(struct td_store *st, int64_t after_id, size_t limit,
                                  struct td_arena *a, struct td_article **items, size_t *n)
{
    struct sq *s = sq_of(st);
    sqlite3_stmt *q = stmt(s, S_UNANALYZED);
    void *arr = NULL;
    int err;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, after_id);
    sqlite3_bind_int64(q, 2, (int64_t)limit);
    err = collect(s, q, a, sizeof(struct td_article), read_article, &arr, n, "unanalyzed");
    done(q);
    *items = arr;
    return err;
}

static const struct td_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .schema_version = sq_schema_version,
    .data_version = sq_data_version,
    .check = sq_check,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .outlet_upsert = sq_outlet_upsert,
    .outlet_get = sq_outlet_get,
    .outlet_list = sq_outlet_list,
    .feed_add = sq_feed_add,
    .feed_get = sq_feed_get,
    .feed_list = sq_feed_list,
    .feed_update_fetch = sq_feed_update_fetch,
    .feed_set_url = sq_feed_set_url,
    .feed_set_prefs = sq_feed_set_prefs,
    .article_upsert = sq_article_upsert,
    .article_get = sq_article_get,
    .article_find = sq_article_find,
    .article_list = sq_article_list,
    .article_count = sq_article_count,
    .search = sq_search,
    .user_add = sq_user_add,
    .user_get = sq_user_get,
    .session_add = sq_session_add,
    .session_user = sq_session_user,
    .session_delete = sq_session_delete,
    .session_purge = sq_session_purge,
    .comment_add = sq_comment_add,
    .comment_get = sq_comment_get,
    .comment_list = sq_comment_list,
    .comment_edit = sq_comment_edit,
    .comment_set_hidden = sq_comment_set_hidden,
    .comment_delete = sq_comment_delete,
    .story_assign = td_sq_story_assign,
    .story_get = td_sq_story_get,
    .story_list = td_sq_story_list,
    .story_members = td_sq_story_members,
    .story_related = td_sq_story_related,
    .story_sources = td_sq_story_sources,
    .keypoints_set = sq_keypoints_set,
    .keypoints_get = sq_keypoints_get,
    .tags_set = sq_tags_set,
    .tags_of = sq_tags_of,
    .tag_get = sq_tag_get,
    .tags_popular = sq_tags_popular,
    .tag_articles = sq_tag_articles,
    .analysis_copy = sq_analysis_copy,
    .articles_unanalyzed = sq_articles_unanalyzed,
};

/* ---- opening and migrations ---- */

static int exec(struct sq *s, const char *sql, const char *what)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(s, what);
    return 0;
}

/*
 * Bring the schema up to date.  Each migration runs in a BEGIN IMMEDIATE
 * transaction that first re-reads the version, so two processes opening a
 * new database at once apply each migration exactly once.
 */
static int migrate(struct sq *s, bool readonly)
{
    const int64_t latest = (int64_t)td_store_sqlite_migrations_count;
    int64_t version = 0, appid = 0, objects = 0;
    char sql[64];
    int err;

    if ((err = pragma_int(s, "PRAGMA application_id", &appid)) < 0 ||
        (err = pragma_int(s, "PRAGMA user_version", &version)) < 0 ||
        (err = pragma_int(s, "SELECT count(*) FROM sqlite_schema", &objects)) < 0)
        return err;
    if ((appid != 0 && appid != APPLICATION_ID) || (appid == 0 && objects > 0))
        return td_store_fail(&s->base, TD_EDB, "not a tidings database");
    if (readonly && version < latest)
        return td_store_fail(&s->base, TD_EDB,
                             "schema version %" PRId64 " needs migrating to %" PRId64
                             ": open it read-write first",
                             version, latest);
    while (version <= latest) {
        if (version == latest)
            return 0;
        if ((err = exec(s, "BEGIN IMMEDIATE", "migrate")) < 0)
            return err;
        if ((err = pragma_int(s, "PRAGMA user_version", &version)) < 0)
            goto fail;
        if (version < latest) {
            const struct td_store_migration *m = &td_store_sqlite_migrations[version];
            snprintf(sql, sizeof(sql), "PRAGMA user_version = %" PRId64, version + 1);
            if ((err = exec(s, m->sql, m->name)) < 0 || (err = exec(s, sql, m->name)) < 0)
                goto fail;
            td_log_info("store migrated version=%" PRId64 " name=%s", version + 1, m->name);
            version++;
        }
        if ((err = exec(s, "COMMIT", "migrate")) < 0)
            goto fail;
    }
    return td_store_fail(&s->base, TD_EDB,
                         "schema version %" PRId64 " is newer than this build knows (%" PRId64
                         "): upgrade tidings",
                         version, latest);
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return err;
}

int td_store_sqlite_open(const char *path, unsigned flags, struct td_store **out, char *errmsg,
                         size_t errlen)
{
    bool readonly = flags & TD_STORE_READONLY;
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    struct sq *s = td_xcalloc(1, sizeof(*s));
    sqlite3_stmt *q = NULL;
    int rc, err = 0;

    s->base.ops = &sqlite_ops;
    s->base.flags = flags;
    if (!readonly)
        oflags |= SQLITE_OPEN_CREATE;
    rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        err = rc == SQLITE_CANTOPEN ? TD_ENOTFOUND : TD_EDB;
        td_store_fail(&s->base, err, "cannot open: %s",
                      s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    /* No writable_schema tricks, even from SQL we did not write. */
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    if (!readonly) {
        /* Persistent in the file; the reply is the mode now in force. */
        if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &q, NULL) != SQLITE_OK ||
            sqlite3_step(q) != SQLITE_ROW) {
            err = db_fail(s, "journal_mode");
            goto fail;
        }
        if (strcmp((const char *)sqlite3_column_text(q, 0), "wal") != 0) {
            err = td_store_fail(&s->base, TD_EDB, "cannot switch to WAL mode (journal_mode=%s)",
                                sqlite3_column_text(q, 0));
            goto fail;
        }
        sqlite3_finalize(q);
        q = NULL;
    }
    if ((err = exec(s,
                    (flags & TD_STORE_SYNC_FULL) ? "PRAGMA synchronous = FULL"
                                                 : "PRAGMA synchronous = NORMAL",
                    "synchronous")) < 0 ||
        (err = exec(s, "PRAGMA foreign_keys = ON", "foreign_keys")) < 0 ||
        /* Savepoint and statement journals in memory: each is a few pages
         * for one write, and on disk every page was a write(2). */
        (err = exec(s, "PRAGMA temp_store = MEMORY", "temp_store")) < 0 ||
        (err = migrate(s, readonly)) < 0)
        goto fail;
    if (readonly && (err = exec(s, "PRAGMA query_only = ON", "query_only")) < 0)
        goto fail;
    if ((flags & TD_STORE_BULK) && !readonly && (err = exec(s, BULK_PRAGMAS, "bulk")) < 0)
        goto fail;
    s->ready = true;
    *out = &s->base;
    return 0;
fail:
    sqlite3_finalize(q);
    snprintf(errmsg, errlen, "%s", s->base.errmsg);
    sq_close(&s->base);
    return err;
}
