/*
 * postgres_int.h - what postgres.c lends the other file of the PostgreSQL
 * back end (postgres_story.c): statement parameters, prepared statements
 * by slot, error mapping, write transactions and the article reader.  Not
 * for use outside src/store/.
 */
#ifndef TD_STORE_POSTGRES_INT_H
#define TD_STORE_POSTGRES_INT_H

#include "store/store_int.h"

#include <libpq-fe.h>

/* The most parameters a statement takes. */
#define TD_PQ_PARAMS_MAX 32
/* Statement slots reserved for postgres_story.c. */
#define TD_PQ_STORY_STMTS 16

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

/*
 * Run postgres_story.c's statement `slot` (prepared from `sql` on first use
 * on this connection) with `p`.  On success `*res` holds the result, to
 * PQclear; on failure the error is mapped to a TD_E* code with the server's
 * message, prefixed by `what`, in errmsg.
 */
int td_pq_story_exec(struct td_store *st, unsigned slot, const char *sql,
                     const struct td_pq_params *p, PGresult **res, const char *what);
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
/* Fill articles from every row of a result of those columns. */
void td_pq_read_articles(const PGresult *r, struct td_arena *a, struct td_article **items,
                         size_t *n);

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

#endif
