-- 0011_story_outlets.sql - placing an article in a story asks whether its
-- outlet is new to the story (stories.n_outlets, sqlite_story.c
-- ST_STORY_JOIN).  An index on story_id alone answered by reading member
-- rows until one from the same outlet turned up: up to every member of the
-- story, for every placement, so a crawl slowed down as its biggest story
-- grew.  With the outlet in the key it is one index probe.  The outlet is
-- the expression the queries use (a feed without an outlet counts as its
-- own), and story_id stays the first column for the lookups by story.
DROP INDEX articles_story;
CREATE INDEX articles_story ON articles(story_id, COALESCE(outlet_id, -feed_id))
    WHERE story_id IS NOT NULL;
