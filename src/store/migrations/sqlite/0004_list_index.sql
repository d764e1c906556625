-- 0004_list_index: lists without walking each article's overflow pages.
--
-- A list of articles (home, an outlet, the pool "Related articles" ranks)
-- shows columns that the table stores after the extracted text and html,
-- which are kilobytes long: reading them from the row means following its
-- chain of overflow pages, three or four page reads per article.  The
-- indexes lists are read through now carry those columns, and SQLite takes
-- them from the index, leaving only the row's first columns to read.
-- (image_* sit after feed_content_html, often kilobytes too; duplicate_of
-- came with 0003 at the end of the row.)
DROP INDEX articles_sort;
CREATE INDEX articles_sort ON articles(sort_at, id, image_url, image_caption, image_credit,
    language, word_count, extract_error, fetched_at, simhash, story_id, created_at, duplicate_of);
DROP INDEX articles_outlet_sort;
CREATE INDEX articles_outlet_sort ON articles(outlet_id, sort_at, id, image_url, image_caption,
    image_credit, language, word_count, extract_error, fetched_at, simhash, story_id, created_at,
    duplicate_of);
