/*
 * sqlite_int.h - what sqlite.c lends the other files of the SQLite back end
 * (sqlite_story.c): the connection, a per-handle statement cache, error
 * mapping, write transactions and the article reader.  Not for use outside
 * src/store/.
 */
#ifndef TD_STORE_SQLITE_INT_H
#define TD_STORE_SQLITE_INT_H

#include "store/store_int.h"

#include <sqlite3.h>

/* Statement slots reserved for sqlite_story.c. */
#define TD_SQ_STORY_STMTS 16

sqlite3 *td_sq_db(struct td_store *st);
/* The cached statement in `slot`, prepared from `sql` on first use; NULL (errmsg set) on failure.
 */
sqlite3_stmt *td_sq_story_stmt(struct td_store *st, unsigned slot, const char *sql);
/* Reset a statement and drop its bindings. */
void td_sq_done(sqlite3_stmt *q);
/* The connection's last error as a TD_E* code, with its message kept. */
int td_sq_fail(struct td_store *st, const char *what);
/* A transaction of its own, or a savepoint inside the caller's; end commits or undoes. */
int td_sq_write_begin(struct td_store *st, bool *own);
int td_sq_write_end(struct td_store *st, bool own, int err);
/* An article with its body, as td_store_article_get. */
int td_sq_article_get(struct td_store *st, int64_t id, struct td_arena *a, struct td_article **out);

/* sqlite_story.c: the story operations of the ops table. */
int td_sq_story_assign(struct td_store *st, const struct td_story_assign *s);
int td_sq_story_get(struct td_store *st, int64_t id, struct td_arena *a, struct td_story **out);
int td_sq_story_list(struct td_store *st, const struct td_story_filter *f, struct td_arena *a,
                     struct td_story_list *out);
int td_sq_story_members(struct td_store *st, int64_t story_id, int64_t copies_of,
                        struct td_arena *a, struct td_article **items, size_t *n);
int td_sq_story_related(struct td_store *st, int64_t article_id, size_t limit, struct td_arena *a,
                        struct td_article **items, size_t *n);
int td_sq_story_sources(struct td_store *st, bool placed, struct td_store_cursor *after,
                        size_t limit, struct td_arena *a, struct td_story_source **items,
                        size_t *n);

#endif
