-- 0006_page_retry.sql - a failed fetch of an article's page is retried a
-- few times across crawl passes.  page_attempts counts the failed fetches,
-- page_retry_at says when the next one is due (NULL: none waits); the last
-- failure's reason is in extract_error, and fetched_at stays NULL while a
-- retry waits, so the article keeps the feed's own content meanwhile.
ALTER TABLE articles ADD COLUMN page_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN page_retry_at INTEGER;

-- The list indexes carry every column a list shows (0004_list_index), so
-- they take the two new ones too: without them a list would follow each
-- row's overflow pages again to reach the end of the row.
DROP INDEX articles_sort;
CREATE INDEX articles_sort ON articles(sort_at, id, image_url, image_caption, image_credit,
    language, word_count, extract_error, fetched_at, simhash, story_id, created_at, duplicate_of,
    page_attempts, page_retry_at);
DROP INDEX articles_outlet_sort;
CREATE INDEX articles_outlet_sort ON articles(outlet_id, sort_at, id, image_url, image_caption,
    image_credit, language, word_count, extract_error, fetched_at, simhash, story_id, created_at,
    duplicate_of, page_attempts, page_retry_at);
