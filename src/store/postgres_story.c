/*
 * postgres_story.c - the story operations of the PostgreSQL back end:
 * placements written by the crawler, and the stories, timelines and
 * related articles the reader shows (see store.h, "stories", and
 * sqlite_story.c, whose behaviour this follows statement for statement).
 *
 * Lists read their articles in the same statement (PostgreSQL keeps large
 * values out of line, so a list of rows costs no overflow-page walks), and
 * a placement's related pairs are written in one statement, both ways: a
 * round trip to the server costs more than a row.
 */
#include "base/compat.h"
#include "store/postgres_int.h"

#include "base/buf.h"
#include "base/error.h"

#include <inttypes.h>

enum {
    ST_ASSIGN,
    ST_STORY_UPSERT,
    ST_PREV_STORY,
    ST_STORY_JOIN,
    ST_STORY_AGGREGATE,
    ST_RELATED_PUT,
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

_Static_assert(TD_PQ_STORY_SLOTS + ST_COUNT <= TD_PQ_READER_SLOTS, "move TD_PQ_READER_SLOTS up");

#define STORY_COLS                                                                                 \
    "s.id, s.representative_id, a.title, s.first_seen, s.last_seen, s.n_articles, s.n_outlets"
#define SOURCE_COLS                                                                                \
    "a.id, a.story_id, a.story_seq, a.sort_at, a.title, a.text, a.feed_summary_html, "             \
    "a.language, o.name FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id"
/* The article columns with the body, as td_store_article_get reads them. */
#define ARTICLES TD_PQ_ARTICLE_COLS TD_PQ_ARTICLE_BODY

/* clang-format off */
static const char *const sql_text[ST_COUNT] = {
    [ST_ASSIGN] =
        "UPDATE articles SET story_id = $2, story_seq = $3, duplicate_of = $4 WHERE id = $1",
    [ST_STORY_UPSERT] =
        "INSERT INTO stories(id, representative_id) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE "
        "SET representative_id = COALESCE(excluded.representative_id, stories.representative_id)",
    [ST_PREV_STORY] = "SELECT story_id FROM articles WHERE id = $1",
    /* A first placement: the story row updated from its one new member (sqlite_story.c). */
    [ST_STORY_JOIN] =
        "UPDATE stories SET "
        "first_seen = CASE WHEN n_articles = 0 THEN m.t ELSE LEAST(first_seen, m.t) END, "
        "last_seen = CASE WHEN n_articles = 0 THEN m.t ELSE GREATEST(last_seen, m.t) END, "
        "n_articles = n_articles + 1, "
        "n_outlets = n_outlets + CASE WHEN EXISTS (SELECT 1 FROM articles b "
        "WHERE b.story_id = $1::bigint AND b.id <> $2::bigint "
        "AND COALESCE(b.outlet_id, -b.feed_id) = m.o) THEN 0 ELSE 1 END "
        "FROM (SELECT sort_at AS t, COALESCE(outlet_id, -feed_id) AS o FROM articles "
        "WHERE id = $2::bigint) AS m WHERE stories.id = $1::bigint",
    /* A placement made again: recomputed from all the members. */
    [ST_STORY_AGGREGATE] =
        "UPDATE stories SET (first_seen, last_seen, n_articles, n_outlets) = "
        "(SELECT COALESCE(min(sort_at), 0), COALESCE(max(sort_at), 0), count(*), "
        "count(DISTINCT COALESCE(outlet_id, -feed_id)) FROM articles WHERE story_id = $1) "
        "WHERE id = $1",
    /*
     * The related pairs, both ways, from JSON arrays of ids ($2) and
     * scores ($3): a pair given twice keeps its last score, as repeated
     * upserts would.
     */
    [ST_RELATED_PUT] =
        "INSERT INTO story_related(article_id, related_id, score) "
        "SELECT DISTINCT ON (a, b) a, b, sc FROM ("
        "SELECT $1::bigint AS a, r::bigint AS b, sc::float8 AS sc, o FROM ROWS FROM ("
        "json_array_elements_text($2::json), json_array_elements_text($3::json)) "
        "WITH ORDINALITY AS t(r, sc, o) "
        "UNION ALL SELECT r::bigint, $1::bigint, sc::float8, o FROM ROWS FROM ("
        "json_array_elements_text($2::json), json_array_elements_text($3::json)) "
        "WITH ORDINALITY AS t(r, sc, o)) x ORDER BY a, b, o DESC "
        "ON CONFLICT (article_id, related_id) DO UPDATE SET score = excluded.score",
    [ST_STORY_GET] =
        "SELECT " STORY_COLS ", 0 FROM stories s "
        "LEFT JOIN articles a ON a.id = s.representative_id WHERE s.id = $1",
    [ST_STORY_OUTLETS] =
        "SELECT o.name FROM articles a JOIN outlets o ON o.id = a.outlet_id "
        "WHERE a.story_id = $1 GROUP BY o.id, o.name ORDER BY min(a.sort_at), o.id LIMIT $2",
    /* $1 now $2 min_outlets $3 limit $4 offset $5 half-life $6 horizon */
    [ST_STORY_LIST] =
        "SELECT " STORY_COLS ", s.n_outlets::float8 / "
        "(1.0::float8 + GREATEST(0, $1::bigint - s.last_seen)::float8 / $5::float8) AS score "
        "FROM stories s LEFT JOIN articles a ON a.id = s.representative_id "
        "WHERE s.last_seen >= (SELECT max(last_seen) FROM stories) - $6::bigint "
        "AND s.n_articles > 0 AND s.n_outlets >= $2::bigint "
        "ORDER BY score DESC, s.last_seen DESC, s.id DESC LIMIT $3 OFFSET $4",
    [ST_MEMBERS] = "SELECT " ARTICLES " FROM articles WHERE story_id = $1 "
                   "ORDER BY sort_at, id LIMIT $2",
    [ST_COPIES] = "SELECT " ARTICLES " FROM articles WHERE duplicate_of = $1 "
                  "ORDER BY sort_at, id LIMIT $2",
    /*
     * The rest of the story (newest first), then the stored neighbours (best
     * first); originals only, never the article or its own original.
     */
    [ST_RELATED] =
        "WITH me AS (SELECT id, story_id, COALESCE(duplicate_of, id) AS orig FROM articles "
        "WHERE id = $1 AND story_id IS NOT NULL), "
        "pick AS (SELECT a.id AS id, 0 AS grp, a.sort_at::float8 AS k FROM articles a, me "
        "WHERE a.story_id = me.story_id AND a.duplicate_of IS NULL AND a.id <> me.id "
        "AND a.id <> me.orig "
        "UNION ALL "
        "SELECT a.id, 1, r.score FROM me, story_related r JOIN articles a ON a.id = r.related_id "
        "WHERE r.article_id = me.id AND a.duplicate_of IS NULL "
        "AND a.story_id IS DISTINCT FROM me.story_id AND a.id <> me.orig "
        "ORDER BY grp, k DESC, id DESC LIMIT $2) "
        "SELECT " ARTICLES " FROM pick JOIN articles ON articles.id = pick.id "
        "ORDER BY pick.grp, pick.k DESC, pick.id DESC",
    [ST_SOURCES_PLACED] =
        "SELECT " SOURCE_COLS " WHERE a.story_seq > $1 ORDER BY a.story_seq LIMIT $2",
    [ST_SOURCES_PENDING] =
        "SELECT " SOURCE_COLS " WHERE a.story_seq IS NULL "
        "AND (a.fetched_at IS NOT NULL OR a.extract_error IS NOT NULL) "
        "AND a.page_retry_at IS NULL "
        "AND (a.sort_at, a.id) > ($1::bigint, $2::bigint) ORDER BY a.sort_at, a.id LIMIT $3",
};
/* clang-format on */

static int run(struct td_store *st, unsigned id, const struct td_pq_params *p, PGresult **res,
               const char *what)
{
    return td_pq_exec(st, TD_PQ_STORY_SLOTS + id, sql_text[id], p, res, what);
}

/* Run a write; TD_ENOTFOUND with `what` when `must_change` and nothing changed. */
static int write_one(struct td_store *st, unsigned id, const struct td_pq_params *p,
                     bool must_change, const char *what)
{
    PGresult *r;
    int err = run(st, id, p, &r, what);

    if (err < 0)
        return err;
    if (must_change && td_pq_changes(r) == 0)
        err = td_store_fail(st, TD_ENOTFOUND, "%s: no such article", what);
    PQclear(r);
    return err;
}

/* The related ids and scores as JSON arrays, for ST_RELATED_PUT. */
static void related_json(const struct td_story_assign *s, struct td_buf *ids, struct td_buf *scores)
{
    /* At most TD_STORE_RELATED_MAX numbers into uncapped buffers: appending cannot fail. */
    TD_ASSERT(td_buf_append_ch(ids, '[') == 0 && td_buf_append_ch(scores, '[') == 0);
    for (size_t i = 0; i < s->n_related; i++) {
        double score = s->related_score ? s->related_score[i] : 0.0;
        TD_ASSERT(td_buf_printf(ids, "%s%" PRId64, i ? "," : "", s->related[i]) == 0);
        /* JSON has no NaN or infinity. */
        TD_ASSERT(td_buf_printf(scores, "%s%.17g", i ? "," : "",
                                score == score && score - score == 0 ? score : 0.0) == 0);
    }
    TD_ASSERT(td_buf_append_ch(ids, ']') == 0 && td_buf_append_ch(scores, ']') == 0);
}

int td_pq_story_assign(struct td_store *st, const struct td_story_assign *s)
{
    struct td_buf ids = TD_BUF_INIT(TD_BUF_NOCAP), scores = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_pq_params up = {0}, prev_p = {0}, as = {0}, join = {0}, rel = {0};
    PGresult *r = NULL;
    int64_t prev = 0;
    bool own;
    int err;

    if ((err = td_pq_write_begin(st, &own)) < 0)
        return err;
    /* The story row first: nothing references it, but the members are counted after. */
    td_pq_int(&up, s->story_id);
    td_pq_opt(&up, s->representative_id);
    if ((err = write_one(st, ST_STORY_UPSERT, &up, false, "story upsert")) < 0)
        goto out;
    td_pq_int(&prev_p, s->article_id);
    if ((err = run(st, ST_PREV_STORY, &prev_p, &r, "story lookup")) < 0)
        goto out;
    prev = PQntuples(r) ? td_pq_int64(r, 0, 0) : 0;
    PQclear(r);
    td_pq_int(&as, s->article_id);
    td_pq_int(&as, s->story_id);
    td_pq_int(&as, s->seq);
    td_pq_opt(&as, s->duplicate_of);
    if ((err = write_one(st, ST_ASSIGN, &as, true, "story assign")) < 0)
        goto out;
    if (prev == 0) {
        td_pq_int(&join, s->story_id);
        td_pq_int(&join, s->article_id);
        err = write_one(st, ST_STORY_JOIN, &join, false, "story join");
    } else {
        struct td_pq_params g = {0}, h = {0};
        td_pq_int(&g, s->story_id);
        err = write_one(st, ST_STORY_AGGREGATE, &g, false, "story aggregate");
        if (err == 0 && prev != s->story_id) {
            td_pq_int(&h, prev);
            err = write_one(st, ST_STORY_AGGREGATE, &h, false, "story aggregate");
        }
    }
    if (err < 0 || s->n_related == 0)
        goto out;
    related_json(s, &ids, &scores);
    td_pq_int(&rel, s->article_id);
    td_pq_text(&rel, ids.buf);
    td_pq_text(&rel, scores.buf);
    err = write_one(st, ST_RELATED_PUT, &rel, false, "story related");
out:
    td_buf_release(&ids);
    td_buf_release(&scores);
    return td_pq_write_end(st, own, err);
}

/* Fill `s` from row `i` of STORY_COLS and a score. */
static void read_story(const PGresult *r, int i, struct td_arena *a, struct td_story *s)
{
    s->id = td_pq_int64(r, i, 0);
    s->representative_id = td_pq_int64(r, i, 1);
    s->headline = td_pq_str(r, i, 2, a);
    s->first_seen = td_pq_int64(r, i, 3);
    s->last_seen = td_pq_int64(r, i, 4);
    s->n_articles = td_pq_int64(r, i, 5);
    s->n_outlets = td_pq_int64(r, i, 6);
    s->score = td_pq_double(r, i, 7);
}

/* The story's outlet names, by first appearance. */
static int load_outlets(struct td_store *st, struct td_arena *a, struct td_story *s)
{
    struct td_pq_params p = {0};
    const char **names;
    PGresult *r;
    size_t n = 0;
    int err;

    td_pq_int(&p, s->id);
    td_pq_int(&p, TD_STORE_STORY_OUTLETS);
    if ((err = run(st, ST_STORY_OUTLETS, &p, &r, "story outlets")) < 0)
        return err;
    names = td_arena_zalloc(a, TD_STORE_STORY_OUTLETS * sizeof(*names));
    for (int i = 0; i < PQntuples(r) && n < TD_STORE_STORY_OUTLETS; i++)
        if (!PQgetisnull(r, i, 0))
            names[n++] = td_pq_str(r, i, 0, a);
    PQclear(r);
    s->outlets = names;
    s->n_outlet_names = n;
    return 0;
}

int td_pq_story_get(struct td_store *st, int64_t id, struct td_arena *a, struct td_story **out)
{
    struct td_pq_params p = {0};
    struct td_story *s;
    PGresult *r;
    int err;

    td_pq_int(&p, id);
    if ((err = run(st, ST_STORY_GET, &p, &r, "story get")) < 0)
        return err;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return td_store_fail(st, TD_ENOTFOUND, "no story %" PRId64, id);
    }
    s = td_arena_zalloc(a, sizeof(*s));
    read_story(r, 0, a, s);
    PQclear(r);
    if ((err = load_outlets(st, a, s)) == 0)
        *out = s;
    return err;
}

int td_pq_story_list(struct td_store *st, const struct td_story_filter *f, struct td_arena *a,
                     struct td_story_list *out)
{
    struct td_pq_params p = {0};
    PGresult *r;
    size_t n;
    int err;

    td_pq_int(&p, f->now);
    td_pq_int(&p, f->min_outlets);
    td_pq_int(&p, (int64_t)f->limit + 1); /* one more tells whether a page follows */
    td_pq_int(&p, (int64_t)f->offset);
    td_pq_int(&p, TD_STORE_STORY_HALF_LIFE);
    td_pq_int(&p, TD_STORE_STORY_HORIZON);
    if ((err = run(st, ST_STORY_LIST, &p, &r, "story list")) < 0)
        return err;
    n = (size_t)PQntuples(r);
    if (n > f->limit + 1)
        n = f->limit + 1;
    out->items = td_arena_zalloc(a, (f->limit + 1) * sizeof(*out->items));
    for (size_t i = 0; i < n; i++)
        read_story(r, (int)i, a, &out->items[i]);
    PQclear(r);
    out->more = n > f->limit;
    out->n = out->more ? f->limit : n;
    for (size_t i = 0; i < out->n; i++)
        if ((err = load_outlets(st, a, &out->items[i])) < 0)
            return err;
    return 0;
}

/* Run an article list statement and read its rows. */
static int load(struct td_store *st, unsigned id, const struct td_pq_params *p, struct td_arena *a,
                struct td_article **items, size_t *n, const char *what)
{
    PGresult *r;
    int err;

    if ((err = run(st, id, p, &r, what)) < 0)
        return err;
    td_pq_read_articles(r, a, items, n);
    PQclear(r);
    return 0;
}

int td_pq_story_members(struct td_store *st, int64_t story_id, int64_t copies_of,
                        struct td_arena *a, struct td_article **items, size_t *n)
{
    struct td_pq_params p = {0};

    td_pq_int(&p, story_id ? story_id : copies_of);
    td_pq_int(&p, TD_STORE_LIST_MAX);
    return load(st, story_id ? ST_MEMBERS : ST_COPIES, &p, a, items, n, "story members");
}

int td_pq_story_related(struct td_store *st, int64_t article_id, size_t limit, struct td_arena *a,
                        struct td_article **items, size_t *n)
{
    struct td_pq_params p = {0};

    td_pq_int(&p, article_id);
    td_pq_int(&p, (int64_t)limit);
    return load(st, ST_RELATED, &p, a, items, n, "story related");
}

int td_pq_story_sources(struct td_store *st, bool placed, struct td_store_cursor *after,
                        size_t limit, struct td_arena *a, struct td_story_source **items, size_t *n)
{
    struct td_pq_params p = {0};
    struct td_story_source *arr;
    PGresult *r;
    size_t count;
    int err;

    if (placed) {
        td_pq_int(&p, after->id);
    } else {
        td_pq_int(&p, after->sort_at);
        td_pq_int(&p, after->id);
    }
    td_pq_int(&p, (int64_t)limit);
    if ((err = run(st, placed ? ST_SOURCES_PLACED : ST_SOURCES_PENDING, &p, &r, "story sources")) <
        0)
        return err;
    count = (size_t)PQntuples(r);
    if (count > limit)
        count = limit;
    arr = td_arena_zalloc(a, (limit ? limit : 1) * sizeof(*arr));
    for (size_t i = 0; i < count; i++) {
        struct td_story_source *s = &arr[i];
        int row = (int)i;
        s->id = td_pq_int64(r, row, 0);
        s->story_id = td_pq_int64(r, row, 1);
        s->seq = td_pq_int64(r, row, 2);
        s->sort_at = td_pq_int64(r, row, 3);
        s->title = td_pq_str(r, row, 4, a);
        s->text = td_pq_str(r, row, 5, a);
        s->feed_summary_html = td_pq_str(r, row, 6, a);
        s->language = td_pq_str(r, row, 7, a);
        s->outlet = td_pq_str(r, row, 8, a);
    }
    PQclear(r);
    if (count) {
        after->sort_at = arr[count - 1].sort_at;
        after->id = placed ? arr[count - 1].seq : arr[count - 1].id;
    }
    *items = arr;
    *n = count;
    return 0;
}
