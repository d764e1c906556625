-- 0005_feed_category_tz.sql - what a subscriber says about a feed: its
-- category (the OPML folders it was imported from, "News/World", then a
-- comma and the outline's category attribute when it had one) and its
-- default time zone ("Europe/Berlin"), used for the feed's dates that name
-- none.  NULL: no category; UTC.
ALTER TABLE feeds ADD COLUMN category TEXT;
ALTER TABLE feeds ADD COLUMN tz TEXT;
