/*
 * sqlite_story.c - the story operations of the SQLite back end: placements
 * written by the crawler, and the stories, timelines and related articles
 * the reader shows (see store.h, "stories", and 0003_stories.sql).
 *
 * Lists select ids here and load each article through the shared reader,
 * so the article columns are defined in one place (sqlite.c); the lists
 * are short (a page, a story's members), and a load by primary key is a
 * few microseconds.
 */
#include "base/compat.h"
#include "store/sqlite_int.h"

#include "base/buf.h"
#include "base/error.h"

#include <inttypes.h>
#include <math.h>

enum {
    ST_ASSIGN,
    ST_STORY_UPSERT,
    ST_PREV_STORY,
    ST_STORY_JOIN,
    ST_STORY_AGGREGATE,
    ST_RELATED_PUT,
    ST_RELATED_PUT_BACK,
    ST_STORY_GET,
    ST_STORY_OUTLETS,
    ST_STORY_LIST,
    ST_MEMBERS,
    ST_COPIES,
    ST_RELATED,
    ST_SOURCES_PLACED,
    ST_SOURCES_PENDING,
    ST_COUNT
};

_Static_assert(ST_COUNT <= TD_SQ_STORY_STMTS, "raise TD_SQ_STORY_STMTS");

#define STORY_COLS                                                                                 \
    "s.id, s.representative_id, a.title, s.first_seen, s.last_seen, s.n_articles, s.n_outlets"
#define SOURCE_COLS                                                                                \
    "a.id, a.story_id, a.story_seq, a.sort_at, a.title, a.text, a.feed_summary_html, "             \
    "a.language, o.name FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id"

/* clang-format off */
static const char *const sql_text[ST_COUNT] = {
    [ST_ASSIGN] =
        "UPDATE articles SET story_id = ?2, story_seq = ?3, duplicate_of = ?4 WHERE id = ?1",
    [ST_STORY_UPSERT] =
        "INSERT INTO stories(id, representative_id) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE "
        "SET representative_id = COALESCE(excluded.representative_id, representative_id)",
    [ST_PREV_STORY] = "SELECT story_id FROM articles WHERE id = ?1",
    /*
     * A first placement updates the story row from the one new member: its
     * time, and whether its outlet is new to the story (one probe of the
     * index on story and outlet, migration 0011).  Recomputing over
     * every member instead reads each one's overflow pages to reach sort_at,
     * which made a pass quadratic in the size of its biggest story.
     */
    [ST_STORY_JOIN] =
        "UPDATE stories SET "
        "first_seen = CASE WHEN n_articles = 0 THEN m.t ELSE min(first_seen, m.t) END, "
        "last_seen = CASE WHEN n_articles = 0 THEN m.t ELSE max(last_seen, m.t) END, "
        "n_articles = n_articles + 1, "
        "n_outlets = n_outlets + NOT EXISTS (SELECT 1 FROM articles b WHERE b.story_id = ?1 "
        "AND b.id <> ?2 AND COALESCE(b.outlet_id, -b.feed_id) = m.o) "
        "FROM (SELECT sort_at AS t, COALESCE(outlet_id, -feed_id) AS o FROM articles "
        "WHERE id = ?2) AS m WHERE stories.id = ?1",
    /* A placement made again: recomputed from all the members. */
    [ST_STORY_AGGREGATE] =
        "UPDATE stories SET (first_seen, last_seen, n_articles, n_outlets) = "
        "(SELECT COALESCE(min(sort_at), 0), COALESCE(max(sort_at), 0), count(*), "
        "count(DISTINCT COALESCE(outlet_id, -feed_id)) FROM articles WHERE story_id = ?1) "
        "WHERE id = ?1",
    /*
     * A placement's neighbours, both ways, in two statements whatever their
     * number: ?2 their ids and ?3 their scores, as JSON arrays in the same
     * order (the score read at the id's index).
     */
    [ST_RELATED_PUT] =
        "INSERT INTO story_related(article_id, related_id, score) "
        "SELECT ?1, r.value, ?3 ->> r.key FROM json_each(?2) r WHERE 1 "
        "ON CONFLICT(article_id, related_id) DO UPDATE SET score = excluded.score",
    [ST_RELATED_PUT_BACK] =
        "INSERT INTO story_related(article_id, related_id, score) "
        "SELECT r.value, ?1, ?3 ->> r.key FROM json_each(?2) r WHERE 1 "
        "ON CONFLICT(article_id, related_id) DO UPDATE SET score = excluded.score",
    [ST_STORY_GET] =
        "SELECT " STORY_COLS ", 0 FROM stories s "
        "LEFT JOIN articles a ON a.id = s.representative_id WHERE s.id = ?1",
    [ST_STORY_OUTLETS] =
        "SELECT o.name FROM articles a JOIN outlets o ON o.id = a.outlet_id "
        "WHERE a.story_id = ?1 GROUP BY o.id ORDER BY min(a.sort_at), o.id LIMIT ?2",
    /* ?1 now ?2 min_outlets ?3 limit ?4 offset ?5 half-life ?6 horizon */
    [ST_STORY_LIST] =
        "SELECT " STORY_COLS ", "
        "s.n_outlets / (1.0 + max(0, ?1 - s.last_seen) / CAST(?5 AS REAL)) AS score "
        "FROM stories s LEFT JOIN articles a ON a.id = s.representative_id "
        "WHERE s.last_seen >= (SELECT max(last_seen) FROM stories) - ?6 "
        "AND s.n_articles > 0 AND s.n_outlets >= ?2 "
        "ORDER BY score DESC, s.last_seen DESC, s.id DESC LIMIT ?3 OFFSET ?4",
    [ST_MEMBERS] = "SELECT id FROM articles WHERE story_id = ?1 ORDER BY sort_at, id LIMIT ?2",
    [ST_COPIES] = "SELECT id FROM articles WHERE duplicate_of = ?1 ORDER BY sort_at, id LIMIT ?2",
    /*
     * The rest of the story (newest first), then the stored neighbours (best
     * first); originals only, never the article or its own original.
     */
    [ST_RELATED] =
        "WITH me AS (SELECT id, story_id, COALESCE(duplicate_of, id) AS orig FROM articles "
        "WHERE id = ?1 AND story_id IS NOT NULL) "
        "SELECT id FROM ("
        "SELECT a.id AS id, 0 AS grp, a.sort_at AS k FROM articles a, me "
        "WHERE a.story_id = me.story_id AND a.duplicate_of IS NULL AND a.id <> me.id "
        "AND a.id <> me.orig "
        "UNION ALL "
        "SELECT a.id, 1, r.score FROM me, story_related r JOIN articles a ON a.id = r.related_id "
        "WHERE r.article_id = me.id AND a.duplicate_of IS NULL "
        "AND a.story_id IS NOT me.story_id AND a.id <> me.orig) "
        "ORDER BY grp, k DESC, id DESC LIMIT ?2",
    [ST_SOURCES_PLACED] =
        "SELECT " SOURCE_COLS " WHERE a.story_seq > ?1 ORDER BY a.story_seq LIMIT ?3",
    [ST_SOURCES_PENDING] =
        "SELECT " SOURCE_COLS " WHERE a.story_seq IS NULL "
        "AND (a.fetched_at IS NOT NULL OR a.extract_error IS NOT NULL) "
        "AND a.page_retry_at IS NULL "
        "AND (a.sort_at, a.id) > (?1, ?2) ORDER BY a.sort_at, a.id LIMIT ?3",
};
/* clang-format on */

static sqlite3_stmt *stmt(struct td_store *st, unsigned id)
{
    return td_sq_story_stmt(st, id, sql_text[id]);
}

static int bind_opt(sqlite3_stmt *q, int i, int64_t v)
{
    return v ? sqlite3_bind_int64(q, i, v) : sqlite3_bind_null(q, i);
}

/* Run a bound write; TD_ENOTFOUND with `what` when `must_change` and nothing changed. */
static int write_one(struct td_store *st, sqlite3_stmt *q, bool must_change, const char *what)
{
    int rc = sqlite3_step(q), err = 0;

    if (rc != SQLITE_DONE)
        err = td_sq_fail(st, what);
    else if (must_change && sqlite3_changes(td_sq_db(st)) == 0)
        err = td_store_fail(st, TD_ENOTFOUND, "%s: no such article", what);
    td_sq_done(q);
    return err;
}

/* Store a placement's neighbours, and the placed article as theirs. */
static int put_related(struct td_store *st, const struct td_story_assign *s)
{
    struct td_buf ids = TD_BUF_INIT(TD_BUF_NOCAP), scores = TD_BUF_INIT(TD_BUF_NOCAP);
    int err = 0;

    for (size_t i = 0; i < s->n_related && err == 0; i++) {
        double score = s->related_score ? s->related_score[i] : 0.0;
        err = td_buf_printf(&ids, "%s%" PRId64, i ? "," : "[", s->related[i]);
        if (err == 0)
            err = td_buf_printf(&scores, "%s%.17g", i ? "," : "[", isfinite(score) ? score : 0.0);
    }
    if (err == 0 && (err = td_buf_append_ch(&ids, ']')) == 0)
        err = td_buf_append_ch(&scores, ']');
    for (unsigned k = ST_RELATED_PUT; k <= ST_RELATED_PUT_BACK && err == 0; k++) {
        sqlite3_stmt *q = stmt(st, k);
        if (!q) {
            err = TD_EDB;
            break;
        }
        sqlite3_bind_int64(q, 1, s->article_id);
        sqlite3_bind_text(q, 2, ids.buf, (int)ids.len, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, scores.buf, (int)scores.len, SQLITE_STATIC);
        err = write_one(st, q, false, "story related");
    }
    td_buf_release(&ids);
    td_buf_release(&scores);
    return err;
}

/* The story an article is in now; 0 when it is unplaced or unknown. */
static int prev_story(struct td_store *st, int64_t article_id, int64_t *out)
{
    sqlite3_stmt *q = stmt(st, ST_PREV_STORY);
    int rc;

    *out = 0;
    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, article_id);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(q, 0);
    td_sq_done(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : td_sq_fail(st, "story lookup");
}

/* Recompute a story's times and counts from all its members. */
static int aggregate(struct td_store *st, int64_t story_id)
{
    sqlite3_stmt *q = stmt(st, ST_STORY_AGGREGATE);

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, story_id);
    return write_one(st, q, false, "story aggregate");
}

int td_sq_story_assign(struct td_store *st, const struct td_story_assign *s)
{
    sqlite3_stmt *q;
    int64_t prev = 0;
    bool own;
    int err;

    if ((err = td_sq_write_begin(st, &own)) < 0)
        return err;
    /* The story row first: nothing references it, but the members are counted after. */
    if (!(q = stmt(st, ST_STORY_UPSERT))) {
        err = TD_EDB;
        goto out;
    }
    sqlite3_bind_int64(q, 1, s->story_id);
    bind_opt(q, 2, s->representative_id);
    if ((err = write_one(st, q, false, "story upsert")) < 0)
        goto out;
    if ((err = prev_story(st, s->article_id, &prev)) < 0)
        goto out;
    if (!(q = stmt(st, ST_ASSIGN))) {
        err = TD_EDB;
        goto out;
    }
    sqlite3_bind_int64(q, 1, s->article_id);
    sqlite3_bind_int64(q, 2, s->story_id);
    sqlite3_bind_int64(q, 3, s->seq);
    bind_opt(q, 4, s->duplicate_of);
    if ((err = write_one(st, q, true, "story assign")) < 0)
        goto out;
    if (prev == 0) {
        if (!(q = stmt(st, ST_STORY_JOIN))) {
            err = TD_EDB;
            goto out;
        }
        sqlite3_bind_int64(q, 1, s->story_id);
        sqlite3_bind_int64(q, 2, s->article_id);
        err = write_one(st, q, false, "story join");
    } else {
        err = aggregate(st, s->story_id);
        if (err == 0 && prev != s->story_id)
            err = aggregate(st, prev);
    }
    if (err < 0)
        goto out;
    if (s->n_related)
        err = put_related(st, s);
out:
    return td_sq_write_end(st, own, err);
}

/* Fill `s` from a row of STORY_COLS and a score. */
static void read_story(sqlite3_stmt *q, struct td_arena *a, struct td_story *s)
{
    const unsigned char *t = sqlite3_column_text(q, 2);

    s->id = sqlite3_column_int64(q, 0);
    s->representative_id = sqlite3_column_int64(q, 1);
    s->headline =
        t ? td_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(q, 2)) : NULL;
    s->first_seen = sqlite3_column_int64(q, 3);
    s->last_seen = sqlite3_column_int64(q, 4);
    s->n_articles = sqlite3_column_int64(q, 5);
    s->n_outlets = sqlite3_column_int64(q, 6);
    s->score = sqlite3_column_double(q, 7);
}

/* The story's outlet names, by first appearance. */
static int load_outlets(struct td_store *st, struct td_arena *a, struct td_story *s)
{
    sqlite3_stmt *q = stmt(st, ST_STORY_OUTLETS);
    const char **names;
    size_t n = 0;
    int rc;

    if (!q)
        return TD_EDB;
    names = td_arena_zalloc(a, TD_STORE_STORY_OUTLETS * sizeof(*names));
    sqlite3_bind_int64(q, 1, s->id);
    sqlite3_bind_int(q, 2, TD_STORE_STORY_OUTLETS);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && n < TD_STORE_STORY_OUTLETS) {
        const unsigned char *name = sqlite3_column_text(q, 0);
        if (name)
            names[n++] =
                td_arena_strndup(a, (const char *)name, (size_t)sqlite3_column_bytes(q, 0));
    }
    td_sq_done(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return td_sq_fail(st, "story outlets");
    s->outlets = names;
    s->n_outlet_names = n;
    return 0;
}

int td_sq_story_get(struct td_store *st, int64_t id, struct td_arena *a, struct td_story **out)
{
    sqlite3_stmt *q = stmt(st, ST_STORY_GET);
    struct td_story *s;
    int rc, err;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, id);
    rc = sqlite3_step(q);
    if (rc == SQLITE_DONE) {
        td_sq_done(q);
        return td_store_fail(st, TD_ENOTFOUND, "no story %" PRId64, id);
    }
    if (rc != SQLITE_ROW) {
        err = td_sq_fail(st, "story get");
        td_sq_done(q);
        return err;
    }
    s = td_arena_zalloc(a, sizeof(*s));
    read_story(q, a, s);
    td_sq_done(q);
    if ((err = load_outlets(st, a, s)) == 0)
        *out = s;
    return err;
}

int td_sq_story_list(struct td_store *st, const struct td_story_filter *f, struct td_arena *a,
                     struct td_story_list *out)
{
    sqlite3_stmt *q = stmt(st, ST_STORY_LIST);
    size_t n = 0;
    int rc, err = 0;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, f->now);
    sqlite3_bind_int64(q, 2, f->min_outlets);
    sqlite3_bind_int64(q, 3, (int64_t)f->limit + 1); /* one more tells whether a page follows */
    sqlite3_bind_int64(q, 4, (int64_t)f->offset);
    sqlite3_bind_int64(q, 5, TD_STORE_STORY_HALF_LIFE);
    sqlite3_bind_int64(q, 6, TD_STORE_STORY_HORIZON);
    out->items = td_arena_zalloc(a, (f->limit + 1) * sizeof(*out->items));
    /* Outlet names need their own statement: collect the rows first. */
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && n <= f->limit)
        read_story(q, a, &out->items[n++]);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = td_sq_fail(st, "story list");
    td_sq_done(q);
    if (err < 0)
        return err;
    out->more = n > f->limit;
    out->n = out->more ? f->limit : n;
    for (size_t i = 0; i < out->n; i++)
        if ((err = load_outlets(st, a, &out->items[i])) < 0)
            return err;
    return 0;
}

/* Step an id query and load each article; `cap` bounds the rows. */
static int load_ids(struct td_store *st, sqlite3_stmt *q, size_t cap, struct td_arena *a,
                    struct td_article **items, size_t *n, const char *what)
{
    int64_t *ids = td_arena_zalloc(a, (cap ? cap : 1) * sizeof(*ids));
    size_t count = 0;
    int rc, err = 0;

    while ((rc = sqlite3_step(q)) == SQLITE_ROW && count < cap)
        ids[count++] = sqlite3_column_int64(q, 0);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = td_sq_fail(st, what);
    td_sq_done(q);
    if (err < 0)
        return err;
    *items = td_arena_zalloc(a, (count ? count : 1) * sizeof(**items));
    for (size_t i = 0; i < count; i++) {
        struct td_article *r = NULL;
        /* A row deleted meanwhile just drops out. */
        if ((err = td_sq_article_get(st, ids[i], a, &r)) == TD_ENOTFOUND)
            continue;
        if (err < 0)
            return err;
        (*items)[(*n)++] = *r;
    }
    return 0;
}

int td_sq_story_members(struct td_store *st, int64_t story_id, int64_t copies_of,
                        struct td_arena *a, struct td_article **items, size_t *n)
{
    sqlite3_stmt *q = stmt(st, story_id ? ST_MEMBERS : ST_COPIES);

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, story_id ? story_id : copies_of);
    sqlite3_bind_int(q, 2, TD_STORE_LIST_MAX);
    return load_ids(st, q, TD_STORE_LIST_MAX, a, items, n, "story members");
}

int td_sq_story_related(struct td_store *st, int64_t article_id, size_t limit, struct td_arena *a,
                        struct td_article **items, size_t *n)
{
    sqlite3_stmt *q = stmt(st, ST_RELATED);

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, article_id);
    sqlite3_bind_int64(q, 2, (int64_t)limit);
    return load_ids(st, q, limit, a, items, n, "story related");
}

static const char *col_str(sqlite3_stmt *q, int i, struct td_arena *a)
{
    const unsigned char *t = sqlite3_column_text(q, i);

    return t ? td_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(q, i)) : NULL;
}

int td_sq_story_sources(struct td_store *st, bool placed, struct td_store_cursor *after,
                        size_t limit, struct td_arena *a, struct td_story_source **items, size_t *n)
{
    sqlite3_stmt *q = stmt(st, placed ? ST_SOURCES_PLACED : ST_SOURCES_PENDING);
    struct td_story_source *arr;
    size_t count = 0;
    int rc, err = 0;

    if (!q)
        return TD_EDB;
    sqlite3_bind_int64(q, 1, placed ? after->id : after->sort_at);
    sqlite3_bind_int64(q, 2, after->id);
    sqlite3_bind_int64(q, 3, (int64_t)limit);
    arr = td_arena_zalloc(a, limit * sizeof(*arr));
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && count < limit) {
        struct td_story_source *s = &arr[count++];
        s->id = sqlite3_column_int64(q, 0);
        s->story_id = sqlite3_column_int64(q, 1);
        s->seq = sqlite3_column_int64(q, 2);
        s->sort_at = sqlite3_column_int64(q, 3);
        s->title = col_str(q, 4, a);
        s->text = col_str(q, 5, a);
        s->feed_summary_html = col_str(q, 6, a);
        s->language = col_str(q, 7, a);
        s->outlet = col_str(q, 8, a);
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = td_sq_fail(st, "story sources");
    td_sq_done(q);
    if (err < 0)
        return err;
    if (count) {
        after->sort_at = arr[count - 1].sort_at;
        after->id = placed ? arr[count - 1].seq : arr[count - 1].id;
    }
    *items = arr;
    *n = count;
    return 0;
}
