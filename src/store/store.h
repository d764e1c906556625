/*
 * store.h - tidings' database: outlets, feeds, articles and full-text search
 * behind one backend-neutral interface.
 *
 * A `struct td_store` is an opaque handle on one database connection.  The
 * back end is chosen by the location given to td_store_open:
 *   - a file path opens SQLite (the default; WAL mode, FTS5), creating the
 *     file unless TD_STORE_READONLY;
 *   - a "postgresql://" or "postgres://" URI opens PostgreSQL through libpq
 *     (postgresql://user@host:port/dbname?param=value, e.g.
 *     postgresql:///tidings?host=/run/postgresql for a unix socket; a
 *     password is better kept in ~/.pgpass or PGPASSWORD than in the URI).
 *     The database must exist, in UTF-8, and its owner may create the
 *     unaccent extension (trusted since PostgreSQL 13); the store creates
 *     its tables in it.  Several processes on several machines may share it.
 * Both behave alike through this header (the tests run over both):
 * records are plain C structs, times are unix seconds, ids are int64_t.
 *
 * Errors: every function returns 0 or a negative TD_E* code (base/error.h);
 * td_store_errmsg() then says what went wrong in one line (which field was
 * too big, the database's own message, ...).  Codes used here:
 *   TD_EINVAL    a required field is missing, or a reference (feed_id, ...)
 *                points at no row;
 *   TD_ETOOBIG   a string is over its cap (TD_STORE_*_MAX below); nothing
 *                is written, the caller decides whether to truncate;
 *   TD_EENCODING a string is not valid UTF-8 (repair it upstream with
 *                td_utf8_sanitize);
 *   TD_ENOTFOUND no row with that id/url/key;
 *   TD_EEXIST    a unique key (a feed's url, ...) is taken by another row;
 *   TD_ETIMEOUT  another connection held the write lock past the busy
 *                timeout (5 s);
 *   TD_EDB       anything else the database reported (a server that cannot
 *                be reached, a database that does not exist), a schema
 *                newer than this build, or a failed integrity check.
 *
 * Ownership: records passed *in* are borrowed for the duration of the call.
 * Records passed *out* (get, list, search) are allocated in the td_arena the
 * caller passes, strings included, and live until the caller releases that
 * arena; nothing returned needs free().  A string field is NULL when the
 * database holds no value; an integer time is 0 when unknown.
 *
 * Threads and processes: a td_store is one connection and must be used by
 * one thread at a time: give each thread its own handle.  Any number of
 * handles, in any number of processes, may open the same database: readers
 * never block, and writes are serialized (a writer waits up to the busy
 * timeout for another's transaction to finish: SQLite's write lock, an
 * advisory lock in PostgreSQL).  Write from one
 * handle per process where possible (the crawler's), and open the others
 * with TD_STORE_READONLY.
 *
 * Durability (PostgreSQL): a commit is durable when it returns, as the
 * server is configured (synchronous_commit; TD_STORE_SYNC_FULL sets it on).
 *
 * Durability (SQLite): WAL with synchronous=NORMAL.  A transaction is in the
 * WAL file, handed to the kernel, when commit returns, so killing the
 * process (kill -9, a crash) at any moment loses nothing committed; a power
 * cut or kernel crash may lose the last transactions since the previous
 * checkpoint but never corrupts the database.  TD_STORE_SYNC_FULL fsyncs the
 * WAL on every commit and closes that window too, at a cost in write speed.
 *
 * Strings must be valid UTF-8 and are compared byte for byte (normalize
 * URLs before they get here).
 */
#ifndef TD_STORE_H
#define TD_STORE_H

#include "base/compat.h"
#include "base/arena.h"

/* Caps on the bytes of each string written (excluding the NUL). */
#define TD_STORE_URL_MAX 4096        /* every URL, an entry's key */
#define TD_STORE_LINE_MAX 4096       /* names, titles, captions, validators, errors */
#define TD_STORE_TEXT_MAX (1u << 20) /* extracted plain text */
#define TD_STORE_HTML_MAX (2u << 20) /* extracted html, feed summary and content */
#define TD_STORE_AUTHORS_MAX 32      /* authors per article, each <= LINE_MAX */
#define TD_STORE_QUERY_MAX 1024      /* a search query */
#define TD_STORE_QUERY_TERMS_MAX 32  /* terms and phrases in a search query */
#define TD_STORE_LIST_MAX 500        /* rows per page of a list or search */
#define TD_STORE_NAME_MAX 64         /* a user name */
#define TD_STORE_COMMENT_MAX 16384   /* a comment's text */

struct td_store;

/* ---- opening ---------------------------------------------------------- */

enum td_store_flags {
    TD_STORE_READONLY = 1 << 0,  /* no writes; the database must exist and be migrated */
    TD_STORE_SYNC_FULL = 1 << 1, /* fsync every commit (survives power loss) */
    /*
     * A bulk writer (the crawler): more memory for cached pages and fewer,
     * larger checkpoints, so that big batches of writes read and write each
     * page fewer times.  A hint: a back end may ignore it.
     */
    TD_STORE_BULK = 1 << 2,
};

/*
 * Open (and create, unless TD_STORE_READONLY) the database at `location`,
 * apply any migrations this build has and the database lacks (each in its
 * own transaction), and set `*out`.  Refuses, with TD_EDB, a database whose
 * schema is newer than this build knows, and one that is not a tidings
 * database.  On failure `*out` is NULL and the reason is logged.
 */
int td_store_open(const char *location, unsigned flags, struct td_store **out);
/*
 * `location` as it may be shown or logged: a URI's password replaced by
 * "***".  Writes it to `out` (`size` bytes, truncated to fit) and returns
 * `out`.
 */
const char *td_store_redact(const char *location, char *out, size_t size);
/* Close the connection; a transaction still open is rolled back.  NULL ok. */
void td_store_close(struct td_store *st);
/* One line about the last error on this handle ("" if none). */
const char *td_store_errmsg(const struct td_store *st);
/* The back end's name: "sqlite" or "postgresql". */
const char *td_store_backend(const struct td_store *st);
/* Schema version (number of migrations applied). */
int td_store_schema_version(struct td_store *st, int *version);
/*
 * A number that differs from the one the previous call on this handle
 * returned whenever something was committed through any other handle, in
 * this process or another, in between.  Commits through `st` itself do not
 * change it, so a handle kept only for this sees every write.  Readers that
 * keep copies of what they read (the web server's response cache) compare
 * it to know when to drop them.
 */
int td_store_data_version(struct td_store *st, int64_t *version);
/* Verify the database and its search index; TD_EDB with the first problem. */
int td_store_check(struct td_store *st);

/*
 * Transactions.  Without one, each write is its own transaction.  Batch
 * ingestion wraps many writes in begin/commit: faster, and all-or-nothing
 * (the crawler commits once per feed).  td_store_begin takes the write lock
 * at once (waiting up to the busy timeout); transactions do not nest.
 */
int td_store_begin(struct td_store *st);
int td_store_commit(struct td_store *st);
int td_store_rollback(struct td_store *st);

/* ---- outlets: the publications (one site, any number of feeds) -------- */

struct td_outlet {
    int64_t id;
    const char *name;     /* required */
    const char *site_url; /* required, unique */
    const char *icon_url;
};

/*
 * Insert the outlet, or update the one with the same site_url (name always,
 * icon_url when not NULL).  `*id` (may be NULL) gets its id.
 */
int td_store_outlet_upsert(struct td_store *st, const struct td_outlet *o, int64_t *id);
int td_store_outlet_get(struct td_store *st, int64_t id, struct td_arena *arena,
                        struct td_outlet **out);
/* Every outlet, by name.  `*items` is an arena array of `*n` records. */
int td_store_outlet_list(struct td_store *st, struct td_arena *arena, struct td_outlet **items,
                         size_t *n);

/* ---- feeds: one row per feed URL, which is fetched once --------------- */

struct td_feed {
    int64_t id;
    int64_t outlet_id; /* 0: none */
    const char *url;   /* required, unique */
    const char *title;
    const char *etag; /* validators for the next conditional GET */
    const char *last_modified;
    bool allow_private; /* may resolve to a private address */
    int64_t created_at;
    int64_t last_fetched_at; /* 0: never */
    int64_t next_fetch_at;   /* 0: due now */
    int64_t interval_s;      /* polling interval */
    int64_t error_count;     /* consecutive failed fetches */
    const char *last_error;  /* NULL after a success */
    int last_status;         /* HTTP status of the last fetch; 0: none */
    /* The subscriber's folders, "News/World", then ",attr" when the OPML
     * outline had a category attribute too; NULL: none. */
    const char *category;
    const char *tz; /* zone for the feed's dates that name none ("Europe/Berlin"); NULL: UTC */
};

#define TD_STORE_DEFAULT_INTERVAL 3600

/*
 * Add a feed, idempotent on its URL: if `f->url` is known, the existing row
 * is left as it is.  Uses url, outlet_id, title, allow_private, category,
 * tz, interval_s (0: TD_STORE_DEFAULT_INTERVAL), next_fetch_at and
 * created_at (0: now).
 * `*id` gets the feed's id, `*created` (both may be NULL) whether it is new.
 */
int td_store_feed_add(struct td_store *st, const struct td_feed *f, int64_t *id, bool *created);
int td_store_feed_get(struct td_store *st, int64_t id, struct td_arena *arena,
                      struct td_feed **out);
int td_store_feed_get_by_url(struct td_store *st, const char *url, struct td_arena *arena,
                             struct td_feed **out);
/* Every feed with its fetch status, by id. */
int td_store_feed_list(struct td_store *st, struct td_arena *arena, struct td_feed **items,
                       size_t *n);
/*
 * Feeds due at `now` (next_fetch_at unset or <= now), the longest-waiting
 * first, at most `limit` (0: 20; clamped to TD_STORE_LIST_MAX).
 */
int td_store_feed_list_due(struct td_store *st, int64_t now, size_t limit, struct td_arena *arena,
                           struct td_feed **items, size_t *n);

/* What one fetch of a feed learned. */
struct td_feed_fetch {
    int64_t fetched_at;
    int status;           /* HTTP status; 0 when no response came */
    const char *error;    /* NULL: success (error_count back to 0); else counted */
    bool keep_validators; /* true (a 304, an error): etag/last_modified untouched */
    const char *etag;     /* else stored as given, NULL clears */
    const char *last_modified;
    const char *title; /* NULL keeps the stored title */
    int64_t next_fetch_at;
    int64_t interval_s; /* 0 keeps the stored interval */
};

int td_store_feed_update_fetch(struct td_store *st, int64_t id, const struct td_feed_fetch *r);
/*
 * A permanent redirect: the feed now lives at `url`.  TD_EEXIST if another
 * feed already has that URL (the caller decides how to merge).
 */
int td_store_feed_set_url(struct td_store *st, int64_t id, const char *url);
/*
 * Set a feed's category and default zone (td_feed): NULL keeps the stored
 * value, "" clears it.  The zone's name is the caller's to validate.
 */
int td_store_feed_set_prefs(struct td_store *st, int64_t id, const char *category, const char *tz);

/* ---- articles ---------------------------------------------------------- */

struct td_article {
    int64_t id;
    int64_t feed_id;       /* required */
    int64_t outlet_id;     /* 0 on upsert: the feed's outlet */
    const char *entry_key; /* required: the entry's identity within its feed */
    const char *url;       /* required: the article page */
    const char *title;
    const char *const *authors; /* n_authors display names */
    size_t n_authors;
    int64_t published;
    int64_t updated;
    bool date_clamped; /* the feed's date was in the future or absurd and was clamped */
    const char *feed_summary_html;
    const char *feed_content_html;
    const char *image_url;
    const char *image_caption;
    const char *image_credit;
    const char *image_alt; /* the lead image's alt text; read with the body only */
    const char *text;      /* extracted plain text */
    const char *html;     /* extracted, sanitized html */
    const char *language; /* BCP 47 tag */
    int64_t word_count;
    const char *extract_error; /* why there is no text (the last page fetch's failure, ...) */
    int64_t fetched_at;        /* when the page was fetched and extracted */
    int64_t page_attempts;     /* failed fetches of the page so far */
    int64_t page_retry_at;     /* when the page is fetched again; 0: no retry waits */
    uint64_t simhash;          /* reserved for the story engine; 0: none */
    int64_t story_id;          /* the story engine's story (td_store_story_assign); 0: none */
    /* Read-only, set by the store: */
    int64_t created_at;   /* first ingested */
    int64_t sort_at;      /* published, else created_at: the order of lists */
    int64_t duplicate_of; /* a near-duplicate of this article (td_store_story_assign); 0: none */
};

enum td_store_upsert {
    TD_UPSERT_NEW,       /* a row was created */
    TD_UPSERT_CHANGED,   /* the existing row had different values; updated */
    TD_UPSERT_UNCHANGED, /* the existing row already said all this */
};

/*
 * Insert or update the article identified by (feed_id, entry_key).  On an
 * update, only fields given are written: a NULL string, a 0 number and an
 * empty author list mean "not known to this caller" and keep the stored
 * value, so the crawler can store the feed's entry first and its extracted
 * page later.  `date_clamped` is always written.  Two outcomes replace
 * rather than keep: when `text` is given, extract_error is written as given
 * (NULL clears an earlier failure), and when `fetched_at` is given,
 * page_retry_at is written as given (0 clears it).  `*id` and `*result` may
 * be NULL.
 */
int td_store_article_upsert(struct td_store *st, const struct td_article *a, int64_t *id,
                            enum td_store_upsert *result);
int td_store_article_get(struct td_store *st, int64_t id, struct td_arena *arena,
                         struct td_article **out);
int td_store_article_get_by_key(struct td_store *st, int64_t feed_id, const char *entry_key,
                                struct td_arena *arena, struct td_article **out);
/*
 * Whether the feed has an entry with that key, without reading the row:
 * `*id` gets its id, or 0 when there is none (which is not an error).  The
 * crawler asks this before it fetches a page, so it can store a new entry
 * and its page in one write.
 */
int td_store_article_find(struct td_store *st, int64_t feed_id, const char *entry_key, int64_t *id);
/*
 * An article at `url` from any feed, preferring one whose page was fetched
 * (fetched_at set), newest first: lets the crawler fetch a page once when
 * several feeds link it.
 */
int td_store_article_get_by_url(struct td_store *st, const char *url, struct td_arena *arena,
                                struct td_article **out);

/* A position in a list: the sort_at and id of the last row seen. */
struct td_store_cursor {
    int64_t sort_at;
    int64_t id; /* 0: the start of the list */
};

struct td_article_filter {
    int64_t outlet_id; /* 0: any */
    int64_t feed_id;   /* 0: any */
    struct td_store_cursor after;
    size_t limit;   /* 0: 20; more than TD_STORE_LIST_MAX: that */
    bool with_body; /* also load text, html, feed_content_html and image_alt */
    /* Only articles whose page was never fetched (fetched_at unset) and
     * whose retry, if one waits, is due (page_retry_at <= now): the
     * crawler's to-do list after an interrupted crawl or a failed fetch. */
    bool page_pending;
    /* Leave out near-duplicates (duplicate_of set): a list shows each story
     * version once, its copies named with td_store_article_copies. */
    bool originals_only;
};

struct td_article_list {
    struct td_article *items; /* arena array, newest (sort_at, id) first */
    size_t n;
    bool more;                   /* another page follows */
    struct td_store_cursor next; /* pass as `after` for that page */
};

int td_store_article_list(struct td_store *st, const struct td_article_filter *f,
                          struct td_arena *arena, struct td_article_list *out);
/* Number of articles, of one outlet and/or feed (0: any). */
int td_store_article_count(struct td_store *st, int64_t outlet_id, int64_t feed_id, int64_t *n);

/* ---- search ------------------------------------------------------------ */

/*
 * Query language, for people typing into a box: words (all must match;
 * a trailing * makes a prefix: `econ*`), "quoted phrases", and a leading -
 * to exclude a word or phrase.  Everything else is literal text: no input
 * can produce a syntax error.  Case and diacritics are ignored.  A query of
 * exclusions only, or with nothing searchable, matches nothing.  Over
 * TD_STORE_QUERY_MAX bytes or TD_STORE_QUERY_TERMS_MAX terms: TD_ETOOBIG.
 *
 * Tags count as text: besides the articles whose title or text matches,
 * the articles of every tag whose term alone matches the whole query are
 * hits (`drink` finds the category "Food & Drink"; `rail drink` needs both
 * words in the title and text, or in one tag), ranked after those (score
 * 0, snippet NULL unless the text matched too).  An excluded word leaves
 * out an article whose tags have it, too.
 *
 * Near-duplicates are folded: of an original and its copies (duplicate_of)
 * that match, one hit is returned, the original when it matches, else the
 * best-ranked copy, ranked by the family's best match.  Filters apply
 * first, so with outlet_id a copy published by that outlet is its hit.
 */
struct td_search_opts {
    size_t limit; /* 0: 20; more than TD_STORE_LIST_MAX: that */
    size_t offset;
    int64_t outlet_id;      /* only this outlet's articles; 0: any */
    int64_t after;          /* only sort_at >= after (published, else first seen); 0: any */
    int64_t before;         /* only sort_at < before; 0: any */
    int64_t tag_id;         /* only articles with this tag (td_store_tag_get); 0: any */
    const char *mark_open;  /* around matches in snippets; NULL: "\x02" */
    const char *mark_close; /* NULL: "\x03" (escape the snippet, then replace) */
};

struct td_search_hit {
    int64_t id;          /* article id */
    double score; /* BM25 (SQLite) or ts_rank (PostgreSQL), title weighted 10:1 over text;
                     higher is better; compare scores of one search only */
    const char *snippet; /* a few words around the matches, marked */
};

struct td_search_result {
    struct td_search_hit *hits; /* arena array, best first */
    size_t n;
};

int td_store_search(struct td_store *st, const char *query, const struct td_search_opts *o,
                    struct td_arena *arena, struct td_search_result *out);

/* ---- readers: accounts, sessions and comments ------------------------ */

struct td_user {
    int64_t id;
    const char *name;    /* required, <= TD_STORE_NAME_MAX; unique ignoring ASCII case */
    const char *pw_hash; /* required: an encoded password hash, never the password */
    bool admin;
    int64_t created_at; /* 0 on add: now */
};

/* Add a user; `*id` (may be NULL) gets its id.  TD_EEXIST if the name is taken. */
int td_store_user_add(struct td_store *st, const struct td_user *u, int64_t *id);
int td_store_user_get(struct td_store *st, int64_t id, struct td_arena *arena,
                      struct td_user **out);
/* By name, ignoring ASCII case.  TD_ENOTFOUND if there is none. */
int td_store_user_get_by_name(struct td_store *st, const char *name, struct td_arena *arena,
                              struct td_user **out);

struct td_session {
    const char *token_hash; /* required: a hash of the cookie's token */
    int64_t user_id;        /* required */
    int64_t created_at;     /* 0: now */
    int64_t expires_at;     /* required */
};

int td_store_session_add(struct td_store *st, const struct td_session *s);
/* The user of the session unexpired at `now`; TD_ENOTFOUND for none. */
int td_store_session_user(struct td_store *st, const char *token_hash, int64_t now,
                          struct td_arena *arena, struct td_user **out);
/* Sign out: forget the session (no error if it did not exist). */
int td_store_session_delete(struct td_store *st, const char *token_hash);
/* Forget every session expired at `now`. */
int td_store_session_purge(struct td_store *st, int64_t now);

struct td_comment {
    int64_t id;
    int64_t article_id; /* required */
    int64_t user_id;    /* required */
    const char *body;   /* required, <= TD_STORE_COMMENT_MAX */
    int64_t created_at; /* 0 on add: now */
    int64_t edited_at;  /* 0: never edited */
    bool hidden;        /* hidden by an admin */
    /* Read-only, set by the store: */
    const char *user_name; /* the author's name */
};

int td_store_comment_add(struct td_store *st, const struct td_comment *c, int64_t *id);
int td_store_comment_get(struct td_store *st, int64_t id, struct td_arena *arena,
                         struct td_comment **out);
/*
 * The comments on an article, oldest first, at most TD_STORE_LIST_MAX;
 * hidden ones only when `with_hidden`.
 */
int td_store_comment_list(struct td_store *st, int64_t article_id, bool with_hidden,
                          struct td_arena *arena, struct td_comment **items, size_t *n);
/* Replace the text and set edited_at. */
int td_store_comment_edit(struct td_store *st, int64_t id, const char *body, int64_t edited_at);
int td_store_comment_set_hidden(struct td_store *st, int64_t id, bool hidden);
int td_store_comment_delete(struct td_store *st, int64_t id);

/* ---- stories: the story engine's placements ---------------------------- */

/*
 * The story engine (text/story.h) runs in the crawler; the store keeps what
 * it decided, so that readers need no engine: each article's story and, for
 * a near-duplicate, its original; one row per story with aggregates kept up
 * to date on every placement; and each article's nearest neighbours in
 * other stories.
 */

#define TD_STORE_STORY_OUTLETS 8 /* outlet names loaded per story in lists */
#define TD_STORE_RELATED_MAX 32  /* neighbours stored per placement */
#define TD_STORE_STORY_HALF_LIFE (12 * 3600)
#define TD_STORE_STORY_HORIZON (7 * 86400)

struct td_story {
    int64_t id;
    int64_t representative_id; /* the article nearest the story's centre */
    const char *headline;      /* that article's title; NULL if it has none */
    int64_t first_seen;        /* earliest member's sort_at */
    int64_t last_seen;         /* latest member's sort_at */
    int64_t n_articles;        /* members, near-duplicates included */
    int64_t n_outlets;         /* distinct outlets among them */
    /* Read-only, set by lists and get: */
    double score; /* ranking score at the list's `now` (see td_store_story_list) */
    const char *const
        *outlets; /* outlet names by first appearance, at most TD_STORE_STORY_OUTLETS */
    size_t n_outlet_names;
};

/* One placement, as the crawler's story index decided it. */
struct td_story_assign {
    int64_t article_id;        /* required */
    int64_t story_id;          /* required, > 0 */
    int64_t seq;               /* required, > 0: the placement's rank, unique (rebuild order) */
    int64_t duplicate_of;      /* the original's article id; 0: not a copy */
    int64_t representative_id; /* the story's representative now; 0: keep the stored one */
    const int64_t *related;    /* nearest articles of other stories, best first */
    const double *related_score;
    size_t n_related; /* at most TD_STORE_RELATED_MAX */
};

/*
 * Record a placement: the article's story, seq and duplicate_of; the story
 * row created or updated (representative, first/last seen, counts); the
 * related pairs stored both ways.  All or nothing.  TD_ENOTFOUND: no such
 * article; TD_EINVAL: an id that points nowhere.
 */
int td_store_story_assign(struct td_store *st, const struct td_story_assign *s);

/* The story and its outlet names.  TD_ENOTFOUND if there is no such story. */
int td_store_story_get(struct td_store *st, int64_t id, struct td_arena *arena,
                       struct td_story **out);

struct td_story_filter {
    int64_t now;         /* the time ages are measured from; 0: the clock */
    int64_t min_outlets; /* only stories with at least this many outlets; 0: any */
    size_t limit;        /* 0: 20; more than TD_STORE_LIST_MAX: that */
    size_t offset;
};

struct td_story_list {
    struct td_story *items; /* arena array, best first */
    size_t n;
    bool more; /* another page follows */
};

/*
 * Top stories.  score = n_outlets / (1 + age / TD_STORE_STORY_HALF_LIFE),
 * age = now - last_seen (never negative): a story told by more outlets
 * ranks higher, and its weight halves after 12 hours without a new
 * article, thirds after a day, and so on.  Ties: the newer, then the
 * higher id.  Only stories active within TD_STORE_STORY_HORIZON of the
 * newest story are ranked (an index range, not a scan of every story).
 * Pages by offset: scores move with time, so no cursor stays valid.
 */
int td_store_story_list(struct td_store *st, const struct td_story_filter *f,
                        struct td_arena *arena, struct td_story_list *out);

/*
 * A story's members, the timeline: oldest first (sort_at, id), copies
 * included (duplicate_of set), at most TD_STORE_LIST_MAX.
 */
int td_store_story_members(struct td_store *st, int64_t story_id, struct td_arena *arena,
                           struct td_article **items, size_t *n);

/*
 * Articles related to `article_id`, best first, at most `limit` (0: 20,
 * clamped to TD_STORE_LIST_MAX): first the rest of its story, newest
 * first, then its stored neighbours in other stories by score.  Never the
 * article itself, its original or any copy of either, and only originals
 * (a copy is represented by its original).  An article not placed yet has
 * none.
 */
int td_store_story_related(struct td_store *st, int64_t article_id, size_t limit,
                           struct td_arena *arena, struct td_article **items, size_t *n);

/* The near-duplicates of `article_id` (its copies), oldest first, at most TD_STORE_LIST_MAX. */
int td_store_article_copies(struct td_store *st, int64_t article_id, struct td_arena *arena,
                            struct td_article **items, size_t *n);

/* What the story engine reads of an article. */
struct td_story_source {
    int64_t id;
    int64_t story_id; /* 0 unless placed */
    int64_t seq;      /* 0 unless placed */
    int64_t sort_at;
    const char *title;
    const char *text; /* the extracted text, NULL if extraction failed */
    const char *feed_summary_html;
    const char *language;
    const char *outlet; /* the outlet's name, NULL if none */
};

/*
 * Read articles for the story engine, a page of at most `limit` (clamped
 * to TD_STORE_LIST_MAX) after `*after` (start at {0, 0}; it is advanced,
 * and *n == 0 means the end).  `placed`: the placed articles in seq order
 * (after.id is the last seq seen), to rebuild the engine.  Else the
 * articles waiting for a placement, those whose page has been dealt with
 * (fetched, or failed with a reason and no retry waiting), oldest first by
 * (sort_at, id).
 */
int td_store_story_sources(struct td_store *st, bool placed, struct td_store_cursor *after,
                           size_t limit, struct td_arena *arena, struct td_story_source **items,
                           size_t *n);

/* ---- key points and tags ------------------------------------------------ */

/*
 * What the text engine found in an article: its key points (a few of its
 * sentences, in article order) and its tags.  A tag is known by its slug,
 * the form used in URLs (the caller makes it, e.g. with td_tag_slug from
 * text/keywords.h: non-empty, at most TD_STORE_TAG_MAX bytes, no '/', no
 * white space, no ASCII upper case); `term` is its display form, the first
 * one seen for that slug.
 */
#define TD_STORE_KEYPOINTS_MAX 20 /* key points per article */
#define TD_STORE_TAGS_MAX 64      /* tags per article */
#define TD_STORE_TAG_MAX 96       /* bytes of a tag's term or slug */

enum td_tag_kind {
    TD_TAG_CATEGORY = 1, /* a category the feed gave the entry */
    TD_TAG_ENTITY = 2,   /* a named entity of the text */
    TD_TAG_KEYWORD = 3,  /* a keyword of the text */
};

struct td_tag {
    int64_t id;            /* read-only */
    const char *term;      /* required */
    const char *slug;      /* required */
    enum td_tag_kind kind; /* on an article: how it got the tag; on a tag: the strongest
                              kind (lowest number) any article gave it */
    int64_t articles;      /* read-only: how many articles carry the tag */
};

/* "category", "entity" or "keyword". */
const char *td_tag_kind_name(enum td_tag_kind kind);

/*
 * Record that article `article_id` was analysed, with its `n` key points
 * (0 is fine: analysed, nothing worth showing), replacing earlier ones.
 * Each point is a non-empty line of at most TD_STORE_LINE_MAX bytes.
 */
int td_store_keypoints_set(struct td_store *st, int64_t article_id, const char *const *points,
                           size_t n);
/*
 * The key points of an article (arena array of `*n`, in article order).
 * TD_ENOTFOUND when it was never analysed; `*n` is 0 then.
 */
int td_store_keypoints_get(struct td_store *st, int64_t article_id, struct td_arena *arena,
                           const char *const **points, size_t *n);

/*
 * Replace the article's tags of the kinds in `kinds` (a mask of 1 << kind)
 * with `tags` (at most TD_STORE_TAGS_MAX, each of a kind in the mask;
 * repeated slugs are stored once).  Tags of other kinds stay; a tag the
 * article already has with a stronger kind keeps that kind.
 */
int td_store_tags_set(struct td_store *st, int64_t article_id, unsigned kinds,
                      const struct td_tag *tags, size_t n);
/* The article's tags: categories, then entities, then keywords, each by term. */
int td_store_tags_of(struct td_store *st, int64_t article_id, struct td_arena *arena,
                     struct td_tag **items, size_t *n);
/* A tag by slug; TD_ENOTFOUND if no article has had it. */
int td_store_tag_get(struct td_store *st, const char *slug, struct td_arena *arena,
                     struct td_tag **out);
/*
 * The tags carried by the most articles (at least `min_articles`, 0 and 1
 * alike meaning any), most first, ties newest tag first; at most `limit` (0: 20,
 * clamped to TD_STORE_LIST_MAX).  `kinds` (a mask of 1 << kind, 0: all)
 * keeps only tags whose strongest kind is in it.
 */
int td_store_tags_popular(struct td_store *st, unsigned kinds, int64_t min_articles, size_t limit,
                          struct td_arena *arena, struct td_tag **items, size_t *n);
/*
 * One page of the articles of tag `tag_id`, newest first, after the cursor
 * in `f->after`; `f->limit` and `f->with_body` as for td_store_article_list
 * (the outlet, feed and page_pending filters must be 0).
 */
int td_store_tag_articles(struct td_store *st, int64_t tag_id, const struct td_article_filter *f,
                          struct td_arena *arena, struct td_article_list *out);

/*
 * Give article `to` the key points and the entity and keyword tags of
 * article `from` (one page linked from two feeds is analysed once).
 */
int td_store_analysis_copy(struct td_store *st, int64_t from, int64_t to);

/*
 * Articles whose page has been dealt with (fetched_at set) but that were
 * never analysed, by id from `after_id` up, with their bodies: the
 * crawler's backlog after an upgrade.  At most `limit` (clamped to
 * TD_STORE_LIST_MAX).
 */
int td_store_articles_unanalyzed(struct td_store *st, int64_t after_id, size_t limit,
                                 struct td_arena *arena, struct td_article **items, size_t *n);

#endif
