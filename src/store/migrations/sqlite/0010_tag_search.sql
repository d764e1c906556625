-- 0010_tag_search.sql - tag terms found by plain words in a search.
--
-- Tags (feed categories, keywords, entities) were reachable only with the
-- tag: operator, so a search for "Transport" missed an article filed under
-- that category whose text never says it.  This full-text index holds each
-- tag's term, one row per tag (not per article): it changes only when a tag
-- is created, so writing an article's tags costs no more than before.  A
-- search takes the articles of every tag whose term matches the query along
-- with the articles whose title or text does.
CREATE VIRTUAL TABLE tags_fts USING fts5(
    term,
    content = 'tags', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER tags_fts_insert AFTER INSERT ON tags BEGIN
    INSERT INTO tags_fts(rowid, term) VALUES (new.id, new.term);
END;
CREATE TRIGGER tags_fts_delete AFTER DELETE ON tags BEGIN
    INSERT INTO tags_fts(tags_fts, rowid, term) VALUES ('delete', old.id, old.term);
END;
CREATE TRIGGER tags_fts_update AFTER UPDATE OF term ON tags
    WHEN old.term IS NOT new.term BEGIN
    INSERT INTO tags_fts(tags_fts, rowid, term) VALUES ('delete', old.id, old.term);
    INSERT INTO tags_fts(rowid, term) VALUES (new.id, new.term);
END;
-- The tags stored before this migration.
INSERT INTO tags_fts(tags_fts) VALUES ('rebuild');
