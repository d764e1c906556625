/*
 * extract_int.h - declarations shared by the extractor's files (not part
 * of the public API; see extract.h for that).
 *
 * One extraction is one struct ex: the parsed document, the article being
 * filled, and scratch state.  The stages run in order: meta.c (head
 * metadata; JSON-LD via jsonld.c, dates via date.c), body.c (per-node
 * statistics, candidate scoring, choosing the article container, with
 * class/id verdicts from classes.c), text.c (serializing the chosen blocks
 * to text and HTML while pruning boilerplate), caption.c (lead image
 * caption and credit), lang.c (language guess); extract.c drives them.
 */
#ifndef TD_EXTRACT_INT_H
#define TD_EXTRACT_INT_H

#include "base/compat.h"
#include "base/buf.h"
#include "extract/extract.h"
#include "html/html.h"

/* Per-element statistics computed by body.c, hung on nodes via td_html_set_data. */
struct nstat {
    uint32_t text;   /* visible characters (code points, white space excluded) */
    uint32_t link;   /* ... of which inside <a> */
    uint32_t commas; /* clause separators */
    uint32_t itext;  /* characters outside block-level children (its own paragraph) */
    uint32_t ilink;  /* ... of which inside <a> */
    uint32_t icommas;
    uint32_t qtext; /* characters inside blockquotes (quoted posts) */
    float score;    /* candidate score */
    float best;     /* best candidate score in the subtree */
    uint16_t flags;
};

enum {
    NS_SKIP = 1 << 0,    /* never content: script, nav, form, hidden, ... */
    NS_BAD = 1 << 1,     /* class/id says boilerplate */
    NS_GOOD = 1 << 2,    /* class/id says content */
    NS_CAND = 1 << 3,    /* received a paragraph score */
    NS_BLOCK = 1 << 4,   /* has a block-level child element */
    NS_CAPTION = 1 << 5, /* figcaption or caption-like: metadata, not body */
    NS_DROP = 1 << 6,    /* a sibling of the container that did not join it */
    NS_STRONG = 1 << 7,  /* NS_BAD from a strong word: furniture wherever it sits */
};

struct ex {
    struct td_html_doc *doc;
    struct td_article *a;
    struct td_arena *arena;
    const char *base;         /* URL relative links resolve against (may be NULL) */
    const char *page_url;     /* opts->base_url */
    struct td_buf tmp;        /* scratch */
    struct td_html_node *top; /* chosen article container */
    const char *jsonld_body;  /* articleBody from JSON-LD, as a fallback */
};

/* meta.c: everything in <head> and in markup metadata; sets ex->base. */
void ex_meta(struct ex *e);
/* jsonld.c: read one <script type="application/ld+json"> body. */
void ex_jsonld(struct ex *e, struct td_str json);
/* body.c: compute statistics and pick e->top. */
int ex_body(struct ex *e);
/* body.c: the statistics of an element (NULL outside <body> or not measured). */
struct nstat *ex_stat(const struct td_html_node *n);
/* body.c: characters in links / all characters. */
float ex_link_density(const struct nstat *s);
/* body.c: block-level tags (they break text into paragraphs). */
bool ex_is_block(enum td_html_tag t);
/* text.c: serialize e->top into a->text and a->html. */
int ex_text(struct ex *e);
/* caption.c: split "caption (Photo: credit)" into its parts (arena strings). */
void ex_caption_split(struct ex *e, struct td_str in, const char **caption, const char **credit);
/* caption.c: find the lead figure's caption/credit when metadata lacked them. */
void ex_caption(struct ex *e);
/* lang.c: guess a language from the text when none was declared. */
const char *ex_lang_guess(const char *text);
/* date.c: normalize a date string to ISO 8601 with offset (arena), or NULL. */
const char *ex_date(struct ex *e, struct td_str s);

/* util: arena copy of a slice with white space collapsed and trimmed; NULL if empty. */
const char *ex_clean(struct ex *e, struct td_str s);
/* util: arena copy of the text content of a node, collapsed; NULL if empty. */
const char *ex_node_text(struct ex *e, const struct td_html_node *n);
/* util: resolve a URL against e->base; arena string or NULL if not http(s). */
const char *ex_url(struct ex *e, struct td_str ref);
/* classes.c: NS_BAD / NS_GOOD / NS_CAPTION from class and id. */
unsigned ex_class_flags(struct td_str cls, struct td_str id);

/* util: add an author name unless already present (case-insensitive). */
void ex_add_author(struct ex *e, struct td_str name);
/* util: number of code points in a UTF-8 slice, white space excluded. */
size_t ex_count_chars(struct td_str s);

#endif
