-- 0001_init.sql - outlets, feeds, articles, and the articles' full-text index.
--
-- Times are unix seconds (NULL: unknown).  Later migrations add the story
-- engine's tables (stories), and the reader's (users, sessions, comments);
-- articles.simhash and articles.story_id are reserved for them.

-- 'tdng': lets open() tell a tidings database from any other SQLite file.
PRAGMA application_id = 1952738919;

CREATE TABLE outlets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    site_url TEXT NOT NULL UNIQUE,
    icon_url TEXT
);

-- One row per feed URL: the URL is what gets fetched, once per interval,
-- however many outlets or users list it.
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    outlet_id INTEGER REFERENCES outlets(id) ON DELETE SET NULL,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    allow_private INTEGER NOT NULL DEFAULT 0 CHECK (allow_private IN (0, 1)),
    created_at INTEGER NOT NULL,
    last_fetched_at INTEGER,
    next_fetch_at INTEGER NOT NULL DEFAULT 0,
    interval_s INTEGER NOT NULL CHECK (interval_s > 0),
    error_count INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_status INTEGER
);
CREATE INDEX feeds_outlet ON feeds(outlet_id);
CREATE INDEX feeds_due ON feeds(next_fetch_at, id);

-- An entry of a feed, and what was extracted from its page.  (feed_id,
-- entry_key) is its identity, so ingesting a feed again updates rows
-- instead of adding them.  sort_at = published, else first seen: the order
-- of every list.
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    outlet_id INTEGER REFERENCES outlets(id) ON DELETE SET NULL,
    entry_key TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT,
    authors TEXT CHECK (authors IS NULL OR json_valid(authors)),
    published INTEGER,
    updated INTEGER,
    date_clamped INTEGER NOT NULL DEFAULT 0 CHECK (date_clamped IN (0, 1)),
    feed_summary_html TEXT,
    feed_content_html TEXT,
    image_url TEXT,
    image_caption TEXT,
    image_credit TEXT,
    text TEXT,
    html TEXT,
    language TEXT,
    word_count INTEGER,
    extract_error TEXT,
    fetched_at INTEGER,
    simhash INTEGER,
    story_id INTEGER,
    created_at INTEGER NOT NULL,
    sort_at INTEGER NOT NULL,
    UNIQUE (feed_id, entry_key)
);
CREATE INDEX articles_url ON articles(url);
CREATE INDEX articles_sort ON articles(sort_at, id);
CREATE INDEX articles_outlet_sort ON articles(outlet_id, sort_at, id);
CREATE INDEX articles_feed_sort ON articles(feed_id, sort_at, id);
CREATE INDEX articles_story ON articles(story_id) WHERE story_id IS NOT NULL;

-- Full-text index over title and text, holding no copy of them (external
-- content); the triggers keep it in step with articles.  Search ranks with
-- bm25(), weighting the title column.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles
    WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
