-- 0003_stories.sql - the story engine's placements: which story each
-- article joined, which article it copies, the stories themselves and each
-- article's nearest neighbours in other stories.
--
-- articles.story_id (reserved by 0001) is the story.  story_seq numbers the
-- placements in the order they were made: the crawler rebuilds its story
-- index on start by adding the placed articles again in that order, so the
-- index ends up as it was and story ids stay stable.  duplicate_of names
-- the original of a near-duplicate (a wire copy, a repost): such articles
-- stay, linked, and lists show only the original.
ALTER TABLE articles ADD COLUMN duplicate_of INTEGER REFERENCES articles(id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN story_seq INTEGER;
CREATE UNIQUE INDEX articles_story_seq ON articles(story_seq) WHERE story_seq IS NOT NULL;
CREATE INDEX articles_duplicate ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;
-- The crawler's to-do list of placements, without scanning the placed.
CREATE INDEX articles_unplaced ON articles(sort_at, id) WHERE story_seq IS NULL;

-- One row per story, its id the engine's.  The aggregates follow the
-- placements (a first placement adds its one member; a placement made again
-- recounts the stories involved from their members): first_seen and
-- last_seen over the members' sort_at (published, else first seen),
-- n_outlets counting distinct outlets (copies included: publishing a wire
-- copy is covering the story).  The headline is the representative's title.
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    representative_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    first_seen INTEGER NOT NULL DEFAULT 0,
    last_seen INTEGER NOT NULL DEFAULT 0,
    n_articles INTEGER NOT NULL DEFAULT 0,
    n_outlets INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stories_last_seen ON stories(last_seen);

-- Nearest neighbours in other stories, by content and time, as the engine
-- found them when an article was placed; stored both ways, so an older
-- article also learns its newer neighbours.
CREATE TABLE story_related (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    related_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    score REAL NOT NULL,
    PRIMARY KEY (article_id, related_id)
) WITHOUT ROWID;
