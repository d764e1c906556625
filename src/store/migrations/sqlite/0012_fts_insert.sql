-- 0012_fts_insert.sql - new articles are added to articles_fts by the
-- store, all the rows of a transaction in one statement before it commits
-- (sqlite.c, index_new), instead of by a trigger on each insert: inside a
-- transaction every statement that fires a trigger made FTS5 flush its
-- pending data into a segment of its own, one per article of a crawl's
-- batch.  Updates and deletes keep their triggers.
DROP TRIGGER articles_fts_insert;
