-- 0007_keypoints.sql - what the text engine says about each article: its
-- key points and its tags (feed categories, keywords, named entities).

-- One row per analysed article, even when it gave no key points (`points`
-- is then '[]'): the row says "done", so the crawler's backlog pass can
-- find the articles never analysed.  `points` is a JSON array of the key
-- sentences, in article order.
CREATE TABLE article_keypoints (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    points TEXT NOT NULL CHECK (json_valid(points) AND json_type(points) = 'array'),
    analyzed_at INTEGER NOT NULL
);

-- A tag is known by its slug (the URL form: folded, punctuation turned to
-- '-'); `term` is the display form first seen.  `kind` is the strongest kind
-- it was given (1 feed category, 2 entity, 3 keyword) and `articles` counts
-- its articles, kept by the triggers below so that the popular tags are an
-- index scan, not an aggregate over every article.
CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    term TEXT NOT NULL,
    kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
    articles INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tags_popular ON tags(articles, id);

-- An article's tags.  sort_at repeats articles.sort_at (a trigger keeps it
-- in step) so that listing a tag's articles newest first is one index range.
CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
    sort_at INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_list ON article_tags(tag_id, sort_at, article_id);

CREATE TRIGGER article_tags_count_insert AFTER INSERT ON article_tags BEGIN
    UPDATE tags SET articles = articles + 1 WHERE id = new.tag_id;
END;
CREATE TRIGGER article_tags_count_delete AFTER DELETE ON article_tags BEGIN
    UPDATE tags SET articles = articles - 1 WHERE id = old.tag_id;
END;
CREATE TRIGGER articles_tags_sort AFTER UPDATE OF sort_at ON articles
    WHEN old.sort_at IS NOT new.sort_at BEGIN
    UPDATE article_tags SET sort_at = new.sort_at WHERE article_id = new.id;
END;
