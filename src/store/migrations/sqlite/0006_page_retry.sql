-- 0006_page_retry.sql - a failed fetch of an article's page is retried a
-- few times across crawl passes.  page_attempts counts the failed fetches,
-- page_retry_at says when the next one is due (NULL: none waits); the last
-- failure's reason is in extract_error, and fetched_at stays NULL while a
-- retry waits, so the article keeps the feed's own content meanwhile.
ALTER TABLE articles ADD COLUMN page_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN page_retry_at INTEGER;
