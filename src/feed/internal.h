/*
 * internal.h - what the feed module's files share and nobody else sees:
 * the builder that the XML and JSON readers fill, the XML repair pass, and
 * an arena-backed growable array.
 */
#ifndef TD_FEED_INTERNAL_H
#define TD_FEED_INTERNAL_H

#include "base/compat.h"
#include "base/buf.h"
#include "feed/feed.h"

/*
 * Make room for element n of an arena array whose capacity is implied by n
 * (4, 8, 16, ...): a full array is copied into one twice as large.
 */
void *td_feed_grow_(struct td_arena *a, void *arr, size_t n, size_t size);

/* Append a zeroed element to `arr` (length `n`) and return a pointer to it. */
#define TD_FEED_PUSH(a, arr, n)                                                                    \
    ((arr) = td_feed_grow_((a), (arr), (n), sizeof(*(arr))),                                       \
     memset(&(arr)[(n)], 0, sizeof(*(arr))), &(arr)[(n)++])

/* State shared by the readers while one document is parsed. */
struct td_feed_builder {
    struct td_feed *f;
    const struct td_feed_opts *opts;
    time_t now;
    const char *base;  /* the document URL, "" if unknown */
    bool entries_full; /* TD_FEED_MAX_ENTRIES reached: later entries are dropped */
    struct td_buf scratch;
    struct td_buf html; /* sanitizer output, reused from value to value */
};

/* Record the first reason the input was malformed. */
void td_feed_bozo(struct td_feed_builder *b, const char *why);
/* Copy a slice into the feed's arena (trimmed if `trim`). */
const char *td_feed_strdup(struct td_feed_builder *b, const char *s, size_t n, bool trim);
/* Resolve `ref` against `base` (if any); the raw value when that fails. */
const char *td_feed_resolve(struct td_feed_builder *b, const char *base, const char *ref);
/* Parse a date into `d` (raw text kept); a date after the fetch time is clamped to it. */
void td_feed_set_date(struct td_feed_builder *b, struct td_feed_date *d, const char *raw);
/* The same without the clamp, for dates that may rightly lie ahead (validity). */
void td_feed_set_date_as_is(struct td_feed_builder *b, struct td_feed_date *d, const char *raw);
/* Set every string of a feed's header to "" and ttl to -1 (arena untouched). */
void td_feed_init_header(struct td_feed *f);
/* Start a new entry; NULL once TD_FEED_MAX_ENTRIES is reached. */
struct td_feed_entry *td_feed_new_entry(struct td_feed_builder *b);
/* Split "email (Name)" / "Name <email>" / "Name" into a person. */
void td_feed_person_from_string(struct td_feed_builder *b, const char *s, struct td_feed_person *p);
/* Derive keys, fallbacks and sanitized HTML once the document is read. */
void td_feed_finish(struct td_feed_builder *b);

/* The readers.  Both fill b->f and return 0 or TD_EPARSE (not a feed). */
int td_feed_read_xml(struct td_feed_builder *b, const char *utf8, size_t len);
int td_feed_read_json(struct td_feed_builder *b, const char *utf8, size_t len);

/* Initialise libxml2 once per process (its lazy init is not thread-safe). */
void td_feed_xml_init(void);

enum td_feed_fix {
    TD_FEED_FIX_ENTITY = 1 << 0,   /* an HTML named entity was replaced */
    TD_FEED_FIX_AMP = 1 << 1,      /* a bare '&' or unknown entity was escaped */
    TD_FEED_FIX_CTRL = 1 << 2,     /* a control character was dropped */
    TD_FEED_FIX_CHARREF = 1 << 3,  /* an invalid or C1 character reference was fixed */
    TD_FEED_FIX_NETSCAPE = 1 << 4, /* the Netscape RSS 0.91 DOCTYPE was seen */
};

/*
 * Rewrite UTF-8 XML so that libxml2 can read it: drop the XML declaration
 * (the text is UTF-8 now, whatever it claimed) and the DOCTYPE, expand the
 * DOCTYPE's internal entities that have literal values, decode HTML named entities
 * (&nbsp; &eacute; ...), escape bare '&', drop control characters, fix
 * character references to C1 controls (read as windows-1252, like browsers)
 * and invalid code points.  Comments and CDATA sections are copied as they
 * are.  `*doc` gets the result: a slice of `s` when nothing needed a
 * repair (the usual case, no copy), else the repaired text appended to
 * `out`.  `*fixed` gets TD_FEED_FIX_* bits.
 */
int td_feed_fixup_xml(const char *s, size_t len, struct td_buf *out, struct td_str *doc,
                      unsigned *fixed);

#endif
