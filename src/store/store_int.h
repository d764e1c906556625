/*
 * store_int.h - what a store back end implements, and the helpers store.c
 * shares with back ends.  Not for use outside src/store/.
 *
 * store.c owns everything backend-neutral: argument and size-cap checks,
 * the search query parser, the authors encoding.  A back end receives
 * validated input and only talks to its database.  It embeds struct
 * td_store as its first member and fills in `ops`.
 */
#ifndef TD_STORE_INT_H
#define TD_STORE_INT_H

#include "base/buf.h"
#include "store/store.h"

/*
 * A parsed search query: each term is a word or a phrase to match, or to
 * exclude.  `text` points into `buf` (a copy of the query) and is not
 * NUL-terminated.  Back ends render this into their own syntax, quoting
 * every term: user input never reaches the query language raw.
 */
struct td_search_term {
    const char *text;
    size_t len;
    bool exclude;
    bool phrase; /* came in quotes */
    bool prefix; /* word followed by '*' */
};

struct td_search_query {
    struct td_search_term terms[TD_STORE_QUERY_TERMS_MAX];
    size_t n;
    size_t n_include; /* terms with exclude == false */
    char buf[TD_STORE_QUERY_MAX + 1];
};

/*
 * The back end's operations.  Pointers are never NULL; strings and records
 * are already checked against the caps and required fields.  Authors come
 * encoded (`authors_json`, NULL when the list is empty) and go back decoded
 * with td_store_authors_decode.
 */
struct td_store_ops {
    const char *name;
    void (*close)(struct td_store *st);
    int (*schema_version)(struct td_store *st, int *version);
    int (*data_version)(struct td_store *st, int64_t *version);
    int (*check)(struct td_store *st);
    int (*begin)(struct td_store *st);
    int (*commit)(struct td_store *st);
    int (*rollback)(struct td_store *st);

    int (*outlet_upsert)(struct td_store *st, const struct td_outlet *o, int64_t *id);
    int (*outlet_get)(struct td_store *st, int64_t id, struct td_arena *a, struct td_outlet **out);
    int (*outlet_list)(struct td_store *st, struct td_arena *a, struct td_outlet **items,
                       size_t *n);

    int (*feed_add)(struct td_store *st, const struct td_feed *f, int64_t now, int64_t *id,
                    bool *created);
    int (*feed_get)(struct td_store *st, int64_t id, const char *url, struct td_arena *a,
                    struct td_feed **out);
    int (*feed_list)(struct td_store *st, bool due_only, int64_t now, size_t limit,
                     struct td_arena *a, struct td_feed **items, size_t *n);
    int (*feed_update_fetch)(struct td_store *st, int64_t id, const struct td_feed_fetch *r);
    int (*feed_set_url)(struct td_store *st, int64_t id, const char *url);
    int (*feed_set_prefs)(struct td_store *st, int64_t id, const char *category, const char *tz);

    int (*article_upsert)(struct td_store *st, const struct td_article *a, const char *authors_json,
                          int64_t now, int64_t *id, enum td_store_upsert *result);
    /* By id (> 0), else by (feed_id, key) when key is set, else by url. */
    int (*article_get)(struct td_store *st, int64_t id, int64_t feed_id, const char *key,
                       const char *url, struct td_arena *a, struct td_article **out);
    /* The id of (feed_id, key), 0 when absent. */
    int (*article_find)(struct td_store *st, int64_t feed_id, const char *key, int64_t *id);
    int (*article_list)(struct td_store *st, const struct td_article_filter *f, struct td_arena *a,
                        struct td_article_list *out);
    int (*article_count)(struct td_store *st, int64_t outlet_id, int64_t feed_id, int64_t *n);

    int (*search)(struct td_store *st, const struct td_search_query *q,
                  const struct td_search_opts *o, struct td_arena *a, struct td_search_result *out);

    int (*user_add)(struct td_store *st, const struct td_user *u, int64_t now, int64_t *id);
    /* By id (> 0), else by name. */
    int (*user_get)(struct td_store *st, int64_t id, const char *name, struct td_arena *a,
                    struct td_user **out);
    int (*session_add)(struct td_store *st, const struct td_session *s, int64_t now);
    int (*session_user)(struct td_store *st, const char *token_hash, int64_t now,
                        struct td_arena *a, struct td_user **out);
    int (*session_delete)(struct td_store *st, const char *token_hash);
    int (*session_purge)(struct td_store *st, int64_t now);
    int (*comment_add)(struct td_store *st, const struct td_comment *c, int64_t now, int64_t *id);
    int (*comment_get)(struct td_store *st, int64_t id, struct td_arena *a,
                       struct td_comment **out);
    int (*comment_list)(struct td_store *st, int64_t article_id, bool with_hidden,
                        struct td_arena *a, struct td_comment **items, size_t *n);
    int (*comment_edit)(struct td_store *st, int64_t id, const char *body, int64_t edited_at);
    int (*comment_set_hidden)(struct td_store *st, int64_t id, bool hidden);
    int (*comment_delete)(struct td_store *st, int64_t id);

    int (*story_assign)(struct td_store *st, const struct td_story_assign *s);
    int (*story_get)(struct td_store *st, int64_t id, struct td_arena *a, struct td_story **out);
    int (*story_list)(struct td_store *st, const struct td_story_filter *f, struct td_arena *a,
                      struct td_story_list *out);
    /* Members of a story (story_id > 0) or copies of an article. */
    int (*story_members)(struct td_store *st, int64_t story_id, int64_t copies_of,
                         struct td_arena *a, struct td_article **items, size_t *n);
    int (*story_related)(struct td_store *st, int64_t article_id, size_t limit, struct td_arena *a,
                         struct td_article **items, size_t *n);
    int (*story_sources)(struct td_store *st, bool placed, struct td_store_cursor *after,
                         size_t limit, struct td_arena *a, struct td_story_source **items,
                         size_t *n);

    /* Key points come encoded as a JSON array of strings (`points_json`). */
    int (*keypoints_set)(struct td_store *st, int64_t article_id, const char *points_json,
                         int64_t now);
    /* `*points_json` in the arena; TD_ENOTFOUND when the article has no row. */
    int (*keypoints_get)(struct td_store *st, int64_t article_id, struct td_arena *a,
                         const char **points_json);
    int (*tags_set)(struct td_store *st, int64_t article_id, unsigned kinds,
                    const struct td_tag *tags, size_t n);
    int (*tags_of)(struct td_store *st, int64_t article_id, struct td_arena *a,
                   struct td_tag **items, size_t *n);
    int (*tag_get)(struct td_store *st, const char *slug, struct td_arena *a, struct td_tag **out);
    int (*tags_popular)(struct td_store *st, unsigned kinds, int64_t min_articles, size_t limit,
                        struct td_arena *a, struct td_tag **items, size_t *n);
    int (*tag_articles)(struct td_store *st, int64_t tag_id, const struct td_article_filter *f,
                        struct td_arena *a, struct td_article_list *out);
    int (*analysis_copy)(struct td_store *st, int64_t from, int64_t to);
    int (*articles_unanalyzed)(struct td_store *st, int64_t after_id, size_t limit,
                               struct td_arena *a, struct td_article **items, size_t *n);
};

struct td_store {
    const struct td_store_ops *ops;
    unsigned flags;
    char errmsg[256];
};

/* Set the handle's error message; returns `err` for `return td_store_fail(...)`. */
int td_store_fail(struct td_store *st, int err, const char *fmt, ...) TD_PRINTF(3, 4);

/* Parse a user's query (see store.h for the language).  TD_ETOOBIG past the caps. */
int td_store_query_parse(const char *query, struct td_search_query *q);

/*
 * Encode authors as a JSON array of strings; NULL when n == 0.  The result
 * is malloc'd.  Decode such text into an arena array; anything that is not
 * an array of strings decodes as no authors.
 */
char *td_store_authors_encode(const char *const *authors, size_t n);
void td_store_authors_decode(const char *json, struct td_arena *a, const char *const **authors,
                             size_t *n);

/*
 * An article's tags as three JSON arrays for the back ends' set-based tag
 * writes: slugs and terms as strings (malloc'd, NULL when n == 0), kinds
 * as numbers appended to `kinds`, an uncapped buffer.
 */
void td_store_tags_encode(const struct td_tag *tags, size_t n, char **slugs, char **terms,
                          struct td_buf *kinds);

/*
 * A schema migration: `sql` is run in one transaction, after which the
 * schema version is its position in the list plus one.  Each back end has
 * its own list, generated at build time from src/store/migrations/<back
 * end>/NNNN_name.sql by embed_sql.py.  Migrations are append-only: never
 * edit one that has shipped, add the next.
 */
struct td_store_migration {
    const char *name;
    const char *sql;
};

extern const struct td_store_migration td_store_sqlite_migrations[];
extern const size_t td_store_sqlite_migrations_count;
extern const struct td_store_migration td_store_postgres_migrations[];
extern const size_t td_store_postgres_migrations_count;

/* Back ends: open `location` or fail with a message in errmsg[]. */
int td_store_sqlite_open(const char *path, unsigned flags, struct td_store **out, char *errmsg,
                         size_t errlen);
int td_store_postgres_open(const char *uri, unsigned flags, struct td_store **out, char *errmsg,
                           size_t errlen);

#endif
