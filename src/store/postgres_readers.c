/*
 * postgres_readers.c - the reader's and the text engine's operations of the
 * PostgreSQL back end: accounts, sessions and comments; key points, tags
 * and the articles never analysed (see store.h, and sqlite.c, whose
 * behaviour this follows statement for statement).
 *
 * Statements are prepared per connection in this file's slots
 * (TD_PQ_READER_SLOTS), through postgres.c.
 */
#include "base/compat.h"
#include "store/postgres_int.h"

#include "base/buf.h"
#include "base/error.h"

#include <inttypes.h>
#include <stdlib.h>

enum {
    R_USER_ADD,
    R_USER_GET,
    R_USER_GET_NAME,
    R_SESSION_ADD,
    R_SESSION_USER,
    R_SESSION_DELETE,
    R_SESSION_PURGE,
    R_COMMENT_ADD,
    R_COMMENT_GET,
    R_COMMENT_LIST,
    R_COMMENT_EDIT,
    R_COMMENT_HIDE,
    R_COMMENT_DELETE,
    R_KEYPOINTS_SET,
    R_KEYPOINTS_GET,
    R_KEYPOINTS_COPY,
    R_TAGS_CLEAR,
    R_TAGS_ENSURE,
    R_ARTICLE_TAGS_ADD,
    R_ARTICLE_TAGS_COPY,
    R_TAGS_OF,
    R_TAG_GET,
    R_TAGS_POPULAR,
    R_UNANALYZED,
    R_COUNT
};

/* A tag's article list, one statement per variant: with a cursor, with bodies. */
enum { LIST_CURSOR = 1, LIST_BODY = 2, LIST_VARIANTS = 4 };

_Static_assert(TD_PQ_READER_SLOTS + R_COUNT + LIST_VARIANTS <= TD_PQ_EXTRA_STMTS,
               "raise TD_PQ_EXTRA_STMTS");

#define USER_COLS "users.id, users.name, users.pw_hash, users.admin, users.created_at"
#define TAG_COLS "tags.id, tags.slug, tags.term, tags.kind, tags.articles"
#define COMMENT_COLS                                                                               \
    "comments.id, comments.article_id, comments.user_id, comments.body, comments.created_at, "     \
    "comments.edited_at, comments.hidden, users.name"

/* clang-format off */
static const char *const sql_text[R_COUNT] = {
    [R_USER_ADD] = "INSERT INTO users(name, pw_hash, admin, created_at) VALUES ($1, $2, $3, $4) "
                   "RETURNING id",
    [R_USER_GET] = "SELECT " USER_COLS " FROM users WHERE id = $1",
    [R_USER_GET_NAME] =
        "SELECT " USER_COLS " FROM users WHERE td_ascii_lower(name) = td_ascii_lower($1)",
    [R_SESSION_ADD] = "INSERT INTO sessions(token_hash, user_id, created_at, expires_at) "
                      "VALUES ($1, $2, $3, $4)",
    [R_SESSION_USER] = "SELECT " USER_COLS " FROM sessions JOIN users ON users.id = "
                       "sessions.user_id WHERE sessions.token_hash = $1 AND expires_at > $2",
    [R_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = $1",
    [R_SESSION_PURGE] = "DELETE FROM sessions WHERE expires_at <= $1",
    [R_COMMENT_ADD] = "INSERT INTO comments(article_id, user_id, body, created_at) "
                      "VALUES ($1, $2, $3, $4) RETURNING id",
    [R_COMMENT_GET] = "SELECT " COMMENT_COLS " FROM comments JOIN users ON users.id = "
                      "comments.user_id WHERE comments.id = $1",
    [R_COMMENT_LIST] = "SELECT " COMMENT_COLS " FROM comments JOIN users ON users.id = "
                       "comments.user_id WHERE comments.article_id = $1 "
                       "AND ($2::boolean OR NOT hidden) "
                       "ORDER BY comments.created_at, comments.id LIMIT $3",
    [R_COMMENT_EDIT] = "UPDATE comments SET body = $2, edited_at = $3 WHERE id = $1",
    [R_COMMENT_HIDE] = "UPDATE comments SET hidden = $2 WHERE id = $1",
    [R_COMMENT_DELETE] = "DELETE FROM comments WHERE id = $1",
    [R_KEYPOINTS_SET] =
        "INSERT INTO article_keypoints(article_id, points, analyzed_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (article_id) DO UPDATE SET points = excluded.points, "
        "analyzed_at = excluded.analyzed_at",
    [R_KEYPOINTS_GET] = "SELECT points FROM article_keypoints WHERE article_id = $1",
    [R_KEYPOINTS_COPY] =
        "INSERT INTO article_keypoints(article_id, points, analyzed_at) "
        "SELECT $2::bigint, points, analyzed_at FROM article_keypoints WHERE article_id = $1 "
        "ON CONFLICT (article_id) DO UPDATE SET points = excluded.points, "
        "analyzed_at = excluded.analyzed_at",
    /* $2 is the mask of kinds (1 << kind) to clear. */
    [R_TAGS_CLEAR] =
        "DELETE FROM article_tags WHERE article_id = $1 AND (($2::integer >> kind) & 1) = 1",
    /*
     * An article's tags in two statements, whatever their number: the
     * slugs, terms and kinds as JSON arrays in the same order.  A new slug
     * is added with its first term and strongest kind (the lowest number);
     * a known one keeps its term and takes the stronger kind.  A slug given
     * twice is one row: ON CONFLICT may not touch a row twice.
     */
    [R_TAGS_ENSURE] =
        "INSERT INTO tags(slug, term, kind) "
        "SELECT slug, (array_agg(term ORDER BY o))[1], min(kind::integer) FROM ROWS FROM ("
        "json_array_elements_text($1::json), json_array_elements_text($2::json), "
        "json_array_elements_text($3::json)) WITH ORDINALITY AS t(slug, term, kind, o) "
        "GROUP BY slug ORDER BY slug "
        "ON CONFLICT (slug) DO UPDATE SET kind = excluded.kind WHERE excluded.kind < tags.kind",
    [R_ARTICLE_TAGS_ADD] =
        "INSERT INTO article_tags(article_id, tag_id, kind, sort_at) "
        "SELECT $1::bigint, g.id, min(t.kind::integer), "
        "(SELECT sort_at FROM articles WHERE id = $1::bigint) "
        "FROM ROWS FROM (json_array_elements_text($2::json), json_array_elements_text($3::json)) "
        "AS t(slug, kind) JOIN tags g ON g.slug = t.slug GROUP BY g.id ORDER BY g.id "
        "ON CONFLICT (article_id, tag_id) DO UPDATE SET kind = excluded.kind "
        "WHERE excluded.kind < article_tags.kind",
    [R_ARTICLE_TAGS_COPY] =
        "INSERT INTO article_tags(article_id, tag_id, kind, sort_at) "
        "SELECT $2::bigint, tag_id, kind, (SELECT sort_at FROM articles WHERE id = $2::bigint) "
        "FROM article_tags WHERE article_id = $1 AND kind <> 1 "
        "ON CONFLICT (article_id, tag_id) DO NOTHING",
    [R_TAGS_OF] = "SELECT tags.id, tags.slug, tags.term, article_tags.kind, tags.articles "
                  "FROM article_tags JOIN tags ON tags.id = article_tags.tag_id "
                  "WHERE article_tags.article_id = $1 ORDER BY article_tags.kind, "
                  "td_ascii_lower(tags.term) COLLATE \"C\", tags.id",
    [R_TAG_GET] = "SELECT " TAG_COLS " FROM tags WHERE slug = $1",
    [R_TAGS_POPULAR] = "SELECT " TAG_COLS " FROM tags WHERE articles >= $1 "
                       "AND (($2::integer >> kind) & 1) = 1 "
                       "ORDER BY articles DESC, id DESC LIMIT $3",
    [R_UNANALYZED] = "SELECT " TD_PQ_ARTICLE_COLS TD_PQ_ARTICLE_BODY " FROM articles WHERE id > $1 "
                     "AND fetched_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                     "article_keypoints k WHERE k.article_id = articles.id) ORDER BY id LIMIT $2",
};
/* clang-format on */

static int exec_stmt(struct td_store *st, unsigned id, const struct td_pq_params *p, PGresult **res,
                     const char *what)
{
    return td_pq_exec(st, TD_PQ_READER_SLOTS + id, sql_text[id], p, res, what);
}

static int write_stmt(struct td_store *st, unsigned id, const struct td_pq_params *p,
                      PGresult **res, const char *what)
{
    return td_pq_write(st, TD_PQ_READER_SLOTS + id, sql_text[id], p, res, what);
}

static int write_changes(struct td_store *st, unsigned id, const struct td_pq_params *p,
                         const char *what)
{
    return td_pq_write_changes(st, TD_PQ_READER_SLOTS + id, sql_text[id], p, what);
}

static int one_row(struct td_store *st, unsigned id, const struct td_pq_params *p,
                   struct td_arena *a, size_t size, td_pq_reader read, void **out, const char *what)
{
    return td_pq_one_row(st, TD_PQ_READER_SLOTS + id, sql_text[id], p, a, size, read, out, what);
}

static int all_rows(struct td_store *st, unsigned id, const struct td_pq_params *p,
                    struct td_arena *a, size_t size, td_pq_reader read, void **items, size_t *n,
                    const char *what)
{
    return td_pq_all_rows(st, TD_PQ_READER_SLOTS + id, sql_text[id], p, a, size, read, items, n,
                          what);
}

/* ---- readers: users, sessions, comments ---- */

static void read_user(const PGresult *r, int i, struct td_arena *a, void *p)
{
    struct td_user *u = p;

    u->id = td_pq_int64(r, i, 0);
    u->name = td_pq_str(r, i, 1, a);
    u->pw_hash = td_pq_str(r, i, 2, a);
    u->admin = td_pq_int64(r, i, 3) != 0;
    u->created_at = td_pq_int64(r, i, 4);
}

static void read_comment(const PGresult *r, int i, struct td_arena *a, void *p)
{
    struct td_comment *c = p;

    c->id = td_pq_int64(r, i, 0);
    c->article_id = td_pq_int64(r, i, 1);
    c->user_id = td_pq_int64(r, i, 2);
    c->body = td_pq_str(r, i, 3, a);
    c->created_at = td_pq_int64(r, i, 4);
    c->edited_at = td_pq_int64(r, i, 5);
    c->hidden = td_pq_int64(r, i, 6) != 0;
    c->user_name = td_pq_str(r, i, 7, a);
}

int td_pq_user_add(struct td_store *st, const struct td_user *u, int64_t now, int64_t *id)
{
    struct td_pq_params p = {0};
    PGresult *r;
    int err;

    td_pq_text(&p, u->name);
    td_pq_text(&p, u->pw_hash);
    td_pq_bool(&p, u->admin);
    td_pq_int(&p, now);
    err = write_stmt(st, R_USER_ADD, &p, &r, "user add");
    if (err == TD_EEXIST)
        return td_store_fail(st, TD_EEXIST, "the name \"%s\" is taken", u->name);
    if (err < 0)
        return err;
    *id = td_pq_int64(r, 0, 0);
    PQclear(r);
    return 0;
}

int td_pq_user_get(struct td_store *st, int64_t id, const char *name, struct td_arena *a,
                   struct td_user **out)
{
    struct td_pq_params p = {0};

    if (id > 0)
        td_pq_int(&p, id);
    else
        td_pq_text(&p, name);
    return one_row(st, id > 0 ? R_USER_GET : R_USER_GET_NAME, &p, a, sizeof(**out), read_user,
                   (void **)out, "user");
}

int td_pq_session_add(struct td_store *st, const struct td_session *se, int64_t now)
{
    struct td_pq_params p = {0};

    td_pq_text(&p, se->token_hash);
    td_pq_int(&p, se->user_id);
    td_pq_int(&p, now);
    td_pq_int(&p, se->expires_at);
    return write_stmt(st, R_SESSION_ADD, &p, NULL, "session add");
}

int td_pq_session_user(struct td_store *st, const char *token_hash, int64_t now, struct td_arena *a,
                       struct td_user **out)
{
    struct td_pq_params p = {0};

    td_pq_text(&p, token_hash);
    td_pq_int(&p, now);
    return one_row(st, R_SESSION_USER, &p, a, sizeof(**out), read_user, (void **)out, "session");
}

int td_pq_session_delete(struct td_store *st, const char *token_hash)
{
    struct td_pq_params p = {0};

    td_pq_text(&p, token_hash);
    return write_stmt(st, R_SESSION_DELETE, &p, NULL, "session delete");
}

int td_pq_session_purge(struct td_store *st, int64_t now)
{
    struct td_pq_params p = {0};

    td_pq_int(&p, now);
    return write_stmt(st, R_SESSION_PURGE, &p, NULL, "session purge");
}

int td_pq_comment_add(struct td_store *st, const struct td_comment *c, int64_t now, int64_t *id)
{
    struct td_pq_params p = {0};
    PGresult *r;
    int err;

    td_pq_int(&p, c->article_id);
    td_pq_int(&p, c->user_id);
    td_pq_text(&p, c->body);
    td_pq_int(&p, now);
    if ((err = write_stmt(st, R_COMMENT_ADD, &p, &r, "comment add")) < 0)
        return err;
    *id = td_pq_int64(r, 0, 0);
    PQclear(r);
    return 0;
}

int td_pq_comment_get(struct td_store *st, int64_t id, struct td_arena *a, struct td_comment **out)
{
    struct td_pq_params p = {0};

    td_pq_int(&p, id);
    return one_row(st, R_COMMENT_GET, &p, a, sizeof(**out), read_comment, (void **)out, "comment");
}

int td_pq_comment_list(struct td_store *st, int64_t article_id, bool with_hidden,
                       struct td_arena *a, struct td_comment **items, size_t *n)
{
    struct td_pq_params p = {0};

    td_pq_int(&p, article_id);
    td_pq_bool(&p, with_hidden);
    td_pq_int(&p, TD_STORE_LIST_MAX);
    return all_rows(st, R_COMMENT_LIST, &p, a, sizeof(**items), read_comment, (void **)items, n,
                    "comment list");
}

int td_pq_comment_edit(struct td_store *st, int64_t id, const char *body, int64_t edited_at)
{
    struct td_pq_params p = {0};

    td_pq_int(&p, id);
    td_pq_text(&p, body);
    td_pq_int(&p, edited_at);
    return write_changes(st, R_COMMENT_EDIT, &p, "comment edit");
}

int td_pq_comment_set_hidden(struct td_store *st, int64_t id, bool hidden)
{
    struct td_pq_params p = {0};

    td_pq_int(&p, id);
    td_pq_bool(&p, hidden);
    return write_changes(st, R_COMMENT_HIDE, &p, "comment hide");
}

int td_pq_comment_delete(struct td_store *st, int64_t id)
{
    struct td_pq_params p = {0};

    td_pq_int(&p, id);
    return write_changes(st, R_COMMENT_DELETE, &p, "comment delete");
}

/* ---- key points and tags ---- */

int td_pq_keypoints_set(struct td_store *st, int64_t article_id, const char *points_json,
                        int64_t now)
{
    struct td_pq_params p = {0};

    td_pq_int(&p, article_id);
    td_pq_text(&p, points_json);
    td_pq_int(&p, now);
    return write_stmt(st, R_KEYPOINTS_SET, &p, NULL, "key points set");
}

static void read_text0(const PGresult *r, int i, struct td_arena *a, void *p)
{
    *(const char **)p = td_pq_str(r, i, 0, a);
}

int td_pq_keypoints_get(struct td_store *st, int64_t article_id, struct td_arena *a,
                        const char **points_json)
{
    struct td_pq_params p = {0};
    const char **row = NULL;
    int err;

    td_pq_int(&p, article_id);
    err =
        one_row(st, R_KEYPOINTS_GET, &p, a, sizeof(*row), read_text0, (void **)&row, "key points");
    if (err == 0)
        *points_json = *row;
    return err;
}

/* Clear the kinds, add the tags, give them to the article: one write, one round trip. */
int td_pq_tags_set(struct td_store *st, int64_t article_id, unsigned kinds,
                   const struct td_tag *tags, size_t n)
{
    struct td_buf kind_json = TD_BUF_INIT(TD_BUF_NOCAP);
    struct td_pq_params c = {0}, e = {0}, t = {0};
    char *slugs = NULL, *terms = NULL;
    int err;

    td_pq_int(&c, article_id);
    td_pq_int(&c, kinds);
    if (n == 0)
        return write_stmt(st, R_TAGS_CLEAR, &c, NULL, "tags clear");
    td_store_tags_encode(tags, n, &slugs, &terms, &kind_json);
    td_pq_text(&e, slugs);
    td_pq_text(&e, terms);
    td_pq_text(&e, kind_json.buf);
    td_pq_int(&t, article_id);
    td_pq_text(&t, slugs);
    td_pq_text(&t, kind_json.buf);
    const struct td_pq_step steps[] = {
        {TD_PQ_READER_SLOTS + R_TAGS_CLEAR, sql_text[R_TAGS_CLEAR], &c, NULL},
        {TD_PQ_READER_SLOTS + R_TAGS_ENSURE, sql_text[R_TAGS_ENSURE], &e, NULL},
        {TD_PQ_READER_SLOTS + R_ARTICLE_TAGS_ADD, sql_text[R_ARTICLE_TAGS_ADD], &t, NULL},
    };
    err = td_pq_write_steps(st, steps, TD_ARRAY_SIZE(steps), "tags set");
    if (err == TD_EINVAL)
        td_store_fail(st, err, "no article %" PRId64, article_id);
    free(slugs);
    free(terms);
    td_buf_release(&kind_json);
    return err;
}

static void read_tag(const PGresult *r, int i, struct td_arena *a, void *p)
{
    struct td_tag *t = p;

    t->id = td_pq_int64(r, i, 0);
    t->slug = td_pq_str(r, i, 1, a);
    t->term = td_pq_str(r, i, 2, a);
    t->kind = (enum td_tag_kind)td_pq_int64(r, i, 3);
    t->articles = td_pq_int64(r, i, 4);
}

int td_pq_tags_of(struct td_store *st, int64_t article_id, struct td_arena *a,
                  struct td_tag **items, size_t *n)
{
    struct td_pq_params p = {0};

    td_pq_int(&p, article_id);
    return all_rows(st, R_TAGS_OF, &p, a, sizeof(**items), read_tag, (void **)items, n, "tags of");
}

int td_pq_tag_get(struct td_store *st, const char *slug, struct td_arena *a, struct td_tag **out)
{
    struct td_pq_params p = {0};

    td_pq_text(&p, slug);
    return one_row(st, R_TAG_GET, &p, a, sizeof(**out), read_tag, (void **)out, "tag");
}

int td_pq_tags_popular(struct td_store *st, unsigned kinds, int64_t min_articles, size_t limit,
                       struct td_arena *a, struct td_tag **items, size_t *n)
{
    struct td_pq_params p = {0};

    td_pq_int(&p, min_articles);
    td_pq_int(&p, kinds);
    td_pq_int(&p, (int64_t)limit);
    return all_rows(st, R_TAGS_POPULAR, &p, a, sizeof(**items), read_tag, (void **)items, n,
                    "popular tags");
}

/*
 * A tag's list: the index on article_tags(tag_id, sort_at, article_id)
 * gives the page's ids in order; the articles are joined to them.
 * Parameters: $1 tag_id, then the cursor's sort_at and id, then the limit.
 */
int td_pq_tag_articles(struct td_store *st, int64_t tag_id, const struct td_article_filter *f,
                       struct td_arena *a, struct td_article_list *out)
{
    unsigned variant = (f->after.id ? LIST_CURSOR : 0) | (f->with_body ? LIST_BODY : 0);
    struct td_pq_params p = {0};
    char sql[2048];
    PGresult *r;
    int err;

    snprintf(sql, sizeof(sql),
             "SELECT " TD_PQ_ARTICLE_COLS "%s FROM (SELECT article_id AS t_id, sort_at AS t_sort "
             "FROM article_tags WHERE tag_id = $1%s ORDER BY t_sort DESC, t_id DESC LIMIT $%d) t "
             "JOIN articles ON articles.id = t.t_id ORDER BY t.t_sort DESC, t.t_id DESC",
             variant & LIST_BODY ? TD_PQ_ARTICLE_BODY : "",
             variant & LIST_CURSOR ? " AND (sort_at, article_id) < ($2::bigint, $3::bigint)" : "",
             variant & LIST_CURSOR ? 4 : 2);
    td_pq_int(&p, tag_id);
    if (f->after.id) {
        td_pq_int(&p, f->after.sort_at);
        td_pq_int(&p, f->after.id);
    }
    td_pq_int(&p, (int64_t)f->limit + 1);
    if ((err = td_pq_exec(st, TD_PQ_READER_SLOTS + R_COUNT + variant, sql, &p, &r,
                          "tag articles")) < 0)
        return err;
    td_pq_article_page(r, a, f->limit, out);
    PQclear(r);
    return 0;
}

int td_pq_analysis_copy(struct td_store *st, int64_t from, int64_t to)
{
    static const unsigned steps[] = {R_KEYPOINTS_COPY, R_ARTICLE_TAGS_COPY};
    struct td_pq_params p = {0};
    bool own;
    int err;

    td_pq_int(&p, from);
    td_pq_int(&p, to);
    if ((err = td_pq_write_begin(st, &own)) < 0)
        return err;
    for (size_t i = 0; i < TD_ARRAY_SIZE(steps) && err == 0; i++) {
        PGresult *r;
        if ((err = exec_stmt(st, steps[i], &p, &r, "analysis copy")) == 0)
            PQclear(r);
    }
    return td_pq_write_end(st, own, err);
}

int td_pq_articles_unanalyzed(struct td_store *st, int64_t after_id, size_t limit,
                              struct td_arena *a, struct td_article **items, size_t *n)
{
    struct td_pq_params p = {0};

    td_pq_int(&p, after_id);
    td_pq_int(&p, (int64_t)limit);
    return all_rows(st, R_UNANALYZED, &p, a, sizeof(**items), td_pq_read_article, (void **)items, n,
                    "unanalyzed");
}
