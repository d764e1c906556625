-- 0008_image_alt.sql - the lead image's alternative text, from the page's
-- own <img alt> or its og:image:alt.  Until now the reader fell back to the
-- caption, which describes the news rather than the picture.  Read with the
-- article's body only, so the list indexes need not carry it.
ALTER TABLE articles ADD COLUMN image_alt TEXT;
