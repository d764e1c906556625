/*
 * postgres_int.h - what postgres.c lends the other files of the PostgreSQL
 * back end (postgres_story.c, postgres_readers.c): statement parameters,
 * prepared statements by slot, error mapping, write transactions, row
 * readers and the article reader.  Not for use outside src/store/.
 */
#ifndef TD_STORE_POSTGRES_INT_H
#define TD_STORE_POSTGRES_INT_H

#include "store/store_int.h"

#include <libpq-fe.h>

/* The most parameters a statement takes. */
#define TD_PQ_PARAMS_MAX 32
/* Statement slots of the other files: postgres_story.c's, then postgres_readers.c's. */
#define TD_PQ_STORY_SLOTS 0
#define TD_PQ_READER_SLOTS 16
#define TD_PQ_EXTRA_STMTS 48

/*
 * A statement's parameters, all sent as text: a NULL value is SQL NULL.
 * Numbers are formatted into `num`, so a td_pq_params must outlive the
 * call that sends it.
 */
struct td_pq_params {
    int n;
    const char *v[TD_PQ_PARAMS_MAX];
    char num[TD_PQ_PARAMS_MAX][24];
};

void td_pq_text(struct td_pq_params *p, const char *s);
void td_pq_int(struct td_pq_params *p, int64_t v);
/* 0 means unknown: NULL. */
void td_pq_opt(struct td_pq_params *p, int64_t v);
void td_pq_bool(struct td_pq_params *p, bool v);

/* Fills the record at `out` from row `row` of a result. */
typedef void (*td_pq_reader)(const PGresult *r, int row, struct td_arena *a, void *out);

/*
 * Run the statement of `slot` (below TD_PQ_EXTRA_STMTS; prepared from `sql`
 * on first use on this connection) with `p`.  On success `*res` holds the
 * result, to PQclear; on failure the error is mapped to a TD_E* code with
 * the server's message, prefixed by `what`, in errmsg.
 */
int td_pq_exec(struct td_store *st, unsigned slot, const char *sql, const struct td_pq_params *p,
               PGresult **res, const char *what);
/* The same as a write of its own (or in a savepoint of the caller's); `*res` may be NULL. */
int td_pq_write(struct td_store *st, unsigned slot, const char *sql, const struct td_pq_params *p,
                PGresult **res, const char *what);
/*
 * Statements run as one write, in one round trip: their transaction with
 * the write lock, or a savepoint in the caller's, is sent with them
 * (pipeline mode).  All or nothing; `res` (may be NULL) gets a step's result.
 */
struct td_pq_step {
    unsigned slot; /* below TD_PQ_EXTRA_STMTS */
    const char *sql;
    const struct td_pq_params *p;
    PGresult **res;
};
int td_pq_write_steps(struct td_store *st, const struct td_pq_step *steps, size_t n,
                      const char *what);
/* A write that must change a row: TD_ENOTFOUND when it changed none. */
int td_pq_write_changes(struct td_store *st, unsigned slot, const char *sql,
                        const struct td_pq_params *p, const char *what);
/* A read of at most one row into a new arena record of `size` bytes; TD_ENOTFOUND for none. */
int td_pq_one_row(struct td_store *st, unsigned slot, const char *sql, const struct td_pq_params *p,
                  struct td_arena *a, size_t size, td_pq_reader read, void **out, const char *what);
/* A read of every row into an arena array of `size`-byte records. */
int td_pq_all_rows(struct td_store *st, unsigned slot, const char *sql,
                   const struct td_pq_params *p, struct td_arena *a, size_t size, td_pq_reader read,
                   void **items, size_t *n, const char *what);
/* A transaction of its own (with the write lock), or a savepoint inside the caller's. */
int td_pq_write_begin(struct td_store *st, bool *own);
int td_pq_write_end(struct td_store *st, bool own, int err);

/* Reading a result: a NULL value reads as NULL, 0 or false. */
const char *td_pq_str(const PGresult *r, int row, int col, struct td_arena *a);
int64_t td_pq_int64(const PGresult *r, int row, int col);
double td_pq_double(const PGresult *r, int row, int col);
/* Rows changed by a write (PQcmdTuples). */
int64_t td_pq_changes(const PGresult *r);

/* The article columns every read returns; TD_PQ_ARTICLE_BODY follows when asked. */
#define TD_PQ_ARTICLE_COLS                                                                         \
    "articles.id, articles.feed_id, articles.outlet_id, articles.entry_key, articles.url, "        \
    "articles.title, articles.authors, articles.published, articles.updated, "                     \
    "articles.date_clamped, articles.feed_summary_html, articles.image_url, "                      \
    "articles.image_caption, articles.image_credit, articles.language, articles.word_count, "      \
    "articles.extract_error, articles.fetched_at, articles.simhash, articles.story_id, "           \
    "articles.created_at, articles.sort_at, articles.duplicate_of, articles.page_attempts, "       \
    "articles.page_retry_at"
#define TD_PQ_ARTICLE_BODY                                                                         \
    ", articles.text, articles.html, articles.feed_content_html, articles.image_alt"
#define TD_PQ_ARTICLE_NCOLS 25
/* Read a row of those columns into a struct td_article (a td_pq_reader). */
void td_pq_read_article(const PGresult *r, int row, struct td_arena *a, void *out);
/* Fill articles from every row of a result of those columns. */
void td_pq_read_articles(const PGresult *r, struct td_arena *a, struct td_article **items,
                         size_t *n);
/* A page of a list run for limit + 1 rows: `more` and the next cursor set. */
void td_pq_article_page(const PGresult *r, struct td_arena *a, size_t limit,
                        struct td_article_list *out);

/* postgres_story.c: the story operations of the ops table. */
int td_pq_story_assign(struct td_store *st, const struct td_story_assign *s);
int td_pq_story_get(struct td_store *st, int64_t id, struct td_arena *a, struct td_story **out);
int td_pq_story_list(struct td_store *st, const struct td_story_filter *f, struct td_arena *a,
                     struct td_story_list *out);
int td_pq_story_members(struct td_store *st, int64_t story_id, int64_t copies_of,
                        struct td_arena *a, struct td_article **items, size_t *n);
int td_pq_story_related(struct td_store *st, int64_t article_id, size_t limit, struct td_arena *a,
                        struct td_article **items, size_t *n);
int td_pq_story_sources(struct td_store *st, bool placed, struct td_store_cursor *after,
                        size_t limit, struct td_arena *a, struct td_story_source **items,
                        size_t *n);

/* postgres_readers.c: accounts, sessions, comments, key points and tags. */
int td_pq_user_add(struct td_store *st, const struct td_user *u, int64_t now, int64_t *id);
int td_pq_user_get(struct td_store *st, int64_t id, const char *name, struct td_arena *a,
                   struct td_user **out);
int td_pq_session_add(struct td_store *st, const struct td_session *se, int64_t now);
int td_pq_session_user(struct td_store *st, const char *token_hash, int64_t now, struct td_arena *a,
                       struct td_user **out);
int td_pq_session_delete(struct td_store *st, const char *token_hash);
int td_pq_session_purge(struct td_store *st, int64_t now);
int td_pq_comment_add(struct td_store *st, const struct td_comment *c, int64_t now, int64_t *id);
int td_pq_comment_get(struct td_store *st, int64_t id, struct td_arena *a, struct td_comment **out);
int td_pq_comment_list(struct td_store *st, int64_t article_id, bool with_hidden,
                       struct td_arena *a, struct td_comment **items, size_t *n);
int td_pq_comment_edit(struct td_store *st, int64_t id, const char *body, int64_t edited_at);
int td_pq_comment_set_hidden(struct td_store *st, int64_t id, bool hidden);
int td_pq_comment_delete(struct td_store *st, int64_t id);
int td_pq_keypoints_set(struct td_store *st, int64_t article_id, const char *points_json,
                        int64_t now);
int td_pq_keypoints_get(struct td_store *st, int64_t article_id, struct td_arena *a,
                        const char **points_json);
int td_pq_tags_set(struct td_store *st, int64_t article_id, unsigned kinds,
                   const struct td_tag *tags, size_t n);
int td_pq_tags_of(struct td_store *st, int64_t article_id, struct td_arena *a,
                  struct td_tag **items, size_t *n);
int td_pq_tag_get(struct td_store *st, const char *slug, struct td_arena *a, struct td_tag **out);
int td_pq_tags_popular(struct td_store *st, unsigned kinds, int64_t min_articles, size_t limit,
                       struct td_arena *a, struct td_tag **items, size_t *n);
int td_pq_tag_articles(struct td_store *st, int64_t tag_id, const struct td_article_filter *f,
                       struct td_arena *a, struct td_article_list *out);
int td_pq_analysis_copy(struct td_store *st, int64_t from, int64_t to);
int td_pq_articles_unanalyzed(struct td_store *st, int64_t after_id, size_t limit,
                              struct td_arena *a, struct td_article **items, size_t *n);

#endif
