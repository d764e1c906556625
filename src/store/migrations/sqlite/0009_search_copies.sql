-- 0009_search_copies.sql - which articles are copies, without reading their
-- rows.
--
-- Search folds a near-duplicate into its original, so it asks of every
-- match whether it is a copy, and of what.  duplicate_of sits at the end of
-- the row, after the text and html (kilobytes: a chain of overflow pages),
-- and reading it from each of thousands of matches made a search for a
-- common word many times slower.  This index holds only the copies, by id.
CREATE INDEX articles_copy_of ON articles(id, duplicate_of) WHERE duplicate_of IS NOT NULL;
