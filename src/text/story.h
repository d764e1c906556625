/*
 * story.h - the story index: online clustering of articles into stories,
 * near-duplicate folding and related articles.
 *
 * Articles arrive one at a time (td_story_index_add) and each is placed at
 * once, never moved later, so a story id handed out stays valid as new
 * articles arrive.  For every article the index keeps a TF-IDF vector
 * (title words count double, named-entity-like words more, per-language
 * stemming; IDF from the documents seen so far) and a MinHash signature.
 *
 * Placing an article:
 *  1. a near-duplicate (MinHash similarity at least TD_MINHASH_NEAR,
 *     found through the signature's band tables, so the search is
 *     sublinear) joins its original's story and is marked as a copy of it;
 *  2. otherwise the candidate stories are those sharing one of its
 *     heaviest terms (an inverted index from term to story), active within
 *     the time window; the best by cosine with the story centroid wins if
 *     the similarity clears a fixed threshold;
 *  3. otherwise the article starts a new story.
 *
 * One set of constants, in story.c, serves every use; the caller only
 * chooses the time window.  Rebuilding on startup is adding the stored
 * articles again in their original order; passing each article's stored
 * story id (`story` in td_story_article) restores the ids exactly.
 *
 * Article numbers are dense, from 0, in the order of addition; `ref` is the
 * caller's own id for an article (a database row id, a line number) and is
 * returned wherever articles are listed.  Not thread-safe.
 */
#ifndef TD_TEXT_STORY_H
#define TD_TEXT_STORY_H

#include "base/compat.h"

/* The default time window: stories take new articles for 3 days. */
#define TD_STORY_WINDOW_DEFAULT (72 * 3600)
/* No more than this many articles (article numbers are 32-bit). */
#define TD_STORY_MAX_ARTICLES 100000000u
/* Bytes of title and outlet kept per article. */
#define TD_STORY_TITLE_MAX 300
#define TD_STORY_OUTLET_MAX 100

/* An article to add: everything borrowed for the duration of the call. */
struct td_story_article {
    uint64_t ref;      /* the caller's id, returned in listings */
    const char *title; /* may be NULL */
    const char *text;  /* clean text; may be NULL */
    size_t text_len;
    const char *language; /* ISO 639-1 code; NULL means English */
    const char *outlet;   /* publisher name, may be NULL */
    int64_t published;    /* unix seconds; 0 = unknown (no window applies) */
    uint32_t story;       /* 0, or the story id stored earlier (rebuild) */
};

/* What td_story_index_add decided. */
struct td_story_placed {
    uint32_t article;      /* this article's number */
    uint32_t story;        /* its story id (1, 2, ...) */
    bool new_story;        /* it started the story */
    uint32_t duplicate_of; /* article number of the original, or UINT32_MAX */
    float similarity;      /* cosine with the story centroid when joining by content */
};

/* One entry of a listing. */
struct td_story_member {
    uint32_t article;
    uint64_t ref;
    int64_t published;
    uint32_t duplicate_of; /* UINT32_MAX if not a copy */
    float score;           /* related: the ranking score; story: cosine with the centroid */
};

/* A story's summary data, from td_story_index_story. */
struct td_story_info {
    uint32_t id;
    const char *headline;          /* the title of the article nearest the centroid */
    uint32_t representative;       /* that article's number */
    int64_t first_seen, last_seen; /* over members with a known time; 0 if none */
    size_t n_articles;
    size_t n_outlets;
    const char **outlets;             /* distinct outlets, in order of first appearance */
    struct td_story_member *timeline; /* every member, oldest first (unknown times last) */
};

struct td_story_opts {
    int64_t window; /* seconds; 0 = no window */
};

struct td_story_index;

/* `opts` may be NULL for the defaults. */
struct td_story_index *td_story_index_new(const struct td_story_opts *opts);
void td_story_index_free(struct td_story_index *idx);

/*
 * Add one article and place it.  Returns 0, TD_EINVAL (a requested story
 * id beyond the index's range) or TD_ETOOBIG (TD_STORY_MAX_ARTICLES
 * reached).  An article without any word still gets a story of its own.
 */
int td_story_index_add(struct td_story_index *idx, const struct td_story_article *a,
                       struct td_story_placed *out);

size_t td_story_index_count(const struct td_story_index *idx);
size_t td_story_index_stories(const struct td_story_index *idx);
/* The story id of an article number, or 0 if out of range. */
uint32_t td_story_index_story_of(const struct td_story_index *idx, uint32_t article);
/* The caller's `ref` of an article number, or 0 if out of range. */
uint64_t td_story_index_ref(const struct td_story_index *idx, uint32_t article);
/* The number of articles in story `id` (0 if there is no such story), in constant time. */
size_t td_story_index_story_size(const struct td_story_index *idx, uint32_t id);

/*
 * Up to `k` articles related to `article`, best first, written to `out`:
 * first the rest of its story (newest first), then the nearest articles of
 * other stories by content, discounted by distance in time.  The article
 * itself and its near-duplicates (copies of it, its original and the
 * original's other copies) are never listed.  Returns the number written.
 */
size_t td_story_index_related(struct td_story_index *idx, uint32_t article,
                              struct td_story_member *out, size_t k);
/* The second half of td_story_index_related alone: other stories' nearest articles. */
size_t td_story_index_neighbours(struct td_story_index *idx, uint32_t article,
                                 struct td_story_member *out, size_t k);

/*
 * Fill `info` for story `id`; release it with td_story_info_release.
 * TD_ENOTFOUND if there is no such story.
 */
int td_story_index_story(const struct td_story_index *idx, uint32_t id, struct td_story_info *info);
void td_story_info_release(struct td_story_info *info);

#endif
