/*
 * body.c - finding the article container.
 *
 * One iterative pass over <body> hangs a struct nstat on every element:
 * visible characters, characters inside links, commas, and class/id flags.
 * Elements that can never be content (scripts, forms controls, navigation,
 * hidden boxes) are marked NS_SKIP and not descended into.
 *
 * Scoring follows the readability idea: every paragraph-like block of
 * enough text gives points (1 + commas + length/100, capped) to its parent
 * and, decaying, to a few more ancestors; a candidate's score is then
 * adjusted by its tag and class/id and scaled by (1 - link density).  The
 * best candidate is the container; siblings that score well or hold plain
 * paragraphs join it (the container becomes their parent and the other
 * children are marked NS_DROP so text.c leaves them out).
 */
#include "base/compat.h"
#include "base/error.h"
#include "extract/extract_int.h"

#define MIN_PARA 25 /* characters for a block to count as a paragraph */
#define ANCESTORS 5 /* levels a paragraph's score reaches */
#define MAX_CANDS 4096

bool ex_is_block(enum td_html_tag t)
{
    switch (t) {
    case TD_HTML_P:
    case TD_HTML_DIV:
    case TD_HTML_SECTION:
    case TD_HTML_ARTICLE:
    case TD_HTML_MAIN:
    case TD_HTML_HEADER:
    case TD_HTML_FOOTER:
    case TD_HTML_ASIDE:
    case TD_HTML_NAV:
    case TD_HTML_H1:
    case TD_HTML_H2:
    case TD_HTML_H3:
    case TD_HTML_H4:
    case TD_HTML_H5:
    case TD_HTML_H6:
    case TD_HTML_UL:
    case TD_HTML_OL:
    case TD_HTML_LI:
    case TD_HTML_DL:
    case TD_HTML_DT:
    case TD_HTML_DD:
    case TD_HTML_BLOCKQUOTE:
    case TD_HTML_FIGURE:
    case TD_HTML_FIGCAPTION:
    case TD_HTML_PRE:
    case TD_HTML_TABLE:
    case TD_HTML_THEAD:
    case TD_HTML_TBODY:
    case TD_HTML_TFOOT:
    case TD_HTML_TR:
    case TD_HTML_TH:
    case TD_HTML_TD:
    case TD_HTML_CAPTION:
    case TD_HTML_FORM:
    case TD_HTML_HR:
    case TD_HTML_ADDRESS:
    case TD_HTML_CENTER:
    case TD_HTML_MENU:
    case TD_HTML_BODY:
    case TD_HTML_DIALOG:
        return true;
    default:
        return false;
    }
}

static bool role_is_chrome(struct td_str v)
{
    static const char *const roles[] = {"navigation", "complementary", "contentinfo",
                                        "banner",     "dialog",        "menu"};
    for (size_t i = 0; i < TD_ARRAY_SIZE(roles); i++)
        if (td_str_eq_nocase(v, td_str_c(roles[i])))
            return true;
    return false;
}

/*
 * Flags from the element's attributes, read in one pass: class/id words,
 * and whether markup hides it or gives it a page-chrome role.
 */
static unsigned attr_flags(const struct td_html_node *n)
{
    struct td_str cls = TD_STR_NULL, id = TD_STR_NULL;
    bool skip = false;
    for (const struct td_html_attr *a = td_html_attr_first(n); a; a = td_html_attr_next(a)) {
        struct td_str k = td_html_attr_name(a), v = td_html_attr_value(a);
        if (td_str_eq(k, TD_STR_LIT("class")))
            cls = v;
        else if (td_str_eq(k, TD_STR_LIT("id")))
            id = v;
        else if (td_str_eq(k, TD_STR_LIT("hidden")))
            skip = true;
        else if (td_str_eq(k, TD_STR_LIT("aria-hidden")))
            skip |= td_str_eq_nocase(td_str_trim(v), TD_STR_LIT("true"));
        else if (td_str_eq(k, TD_STR_LIT("style")))
            skip |= td_html_style_hides(v);
        else if (td_str_eq(k, TD_STR_LIT("role")))
            skip |= role_is_chrome(v);
    }
    return ex_class_flags(cls, id) | (skip ? NS_SKIP : 0);
}

static bool never_content(const struct td_html_node *n, enum td_html_tag t)
{
    switch (t) {
    case TD_HTML_SCRIPT:
    case TD_HTML_STYLE:
    case TD_HTML_NOSCRIPT:
    case TD_HTML_TEMPLATE:
    case TD_HTML_IFRAME:
    case TD_HTML_OBJECT:
    case TD_HTML_EMBED:
    case TD_HTML_CANVAS:
    case TD_HTML_BUTTON:
    case TD_HTML_SELECT:
    case TD_HTML_TEXTAREA:
    case TD_HTML_INPUT:
    case TD_HTML_NAV:
    case TD_HTML_DIALOG:
    case TD_HTML_SVG:
    case TD_HTML_MATH:
    case TD_HTML_VIDEO:
    case TD_HTML_AUDIO:
    case TD_HTML_LABEL:
    case TD_HTML_OPTION:
        return true;
    default:
        break;
    }
    return td_html_is_foreign(n);
}

static bool is_comma(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ',')
        return true;
    /* U+FF0C fullwidth comma, U+3001 ideographic comma, U+060C Arabic comma. */
    if (c == 0xef && i + 2 < len)
        return (unsigned char)s[i + 1] == 0xbc && (unsigned char)s[i + 2] == 0x8c;
    if (c == 0xe3 && i + 2 < len)
        return (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x81;
    if (c == 0xd8 && i + 1 < len)
        return (unsigned char)s[i + 1] == 0x8c;
    return false;
}

struct nstat *ex_stat(const struct td_html_node *n)
{
    return td_html_get_data(n);
}

static float tag_weight(enum td_html_tag t)
{
    switch (t) {
    case TD_HTML_DIV:
    case TD_HTML_ARTICLE:
    case TD_HTML_MAIN:
    case TD_HTML_SECTION:
        return 5;
    case TD_HTML_PRE:
    case TD_HTML_TD:
    case TD_HTML_BLOCKQUOTE:
        return 3;
    case TD_HTML_ADDRESS:
    case TD_HTML_OL:
    case TD_HTML_UL:
    case TD_HTML_DL:
    case TD_HTML_DD:
    case TD_HTML_DT:
    case TD_HTML_LI:
    case TD_HTML_FORM:
        return -3;
    case TD_HTML_H1:
    case TD_HTML_H2:
    case TD_HTML_H3:
    case TD_HTML_H4:
    case TD_HTML_H5:
    case TD_HTML_H6:
    case TD_HTML_TH:
        return -5;
    default:
        return 0;
    }
}

static float class_weight(const struct nstat *s)
{
    float w = 0;
    if (s->flags & NS_GOOD)
        w += 25;
    if (s->flags & NS_BAD)
        w -= 25;
    return w;
}

float ex_link_density(const struct nstat *s)
{
    return s->text ? (float)s->link / (float)s->text : 0;
}

/* Blocks whose own text counts as a paragraph for scoring. */
static bool unit_tag(enum td_html_tag t)
{
    switch (t) {
    case TD_HTML_P:
    case TD_HTML_PRE:
    case TD_HTML_TD:
    case TD_HTML_BLOCKQUOTE:
    case TD_HTML_DIV:
    case TD_HTML_SECTION:
    case TD_HTML_ARTICLE:
    case TD_HTML_MAIN:
    case TD_HTML_CENTER:
    case TD_HTML_DD:
    case TD_HTML_BODY:
        return true;
    default:
        return false;
    }
}

struct cands {
    struct td_html_node **v;
    size_t n;
};

/* A paragraph found by pass 1, scored in pass 2. */
struct unit {
    struct td_html_node *n;
    float pts;
};

struct units {
    struct unit *v;
    size_t n, cap;
};

#define MAX_UNITS 65536

static void credit(struct cands *c, struct td_html_node *n, float pts)
{
    struct nstat *s = ex_stat(n);
    if (!s || (s->flags & NS_SKIP))
        return;
    if (!(s->flags & NS_CAND)) {
        if (c->n >= MAX_CANDS)
            return;
        s->flags |= NS_CAND;
        /* Names and tags vouch for boxes with content, not for a lone heading. */
        float trust = TD_MIN(1.0f, (float)s->text / 500.0f);
        s->score += (tag_weight(td_html_tag(n)) + class_weight(s)) * trust;
        c->v[c->n++] = n;
    }
    s->score += pts;
}

/* Pass 1: statistics, and the list of paragraphs. */
static void measure(struct ex *e, struct td_html_node *body, struct units *u)
{
    struct td_html_walk w;
    bool leaving;
    unsigned in_a = 0;

    td_html_walk_init(&w, body);
    for (struct td_html_node *n; (n = td_html_walk_next(&w, &leaving));) {
        enum td_html_tag t = td_html_tag(n);
        if (t == TD_HTML_TEXT) {
            if (leaving)
                continue;
            struct nstat *p = ex_stat(td_html_parent(n));
            if (!p)
                continue;
            struct td_str s = td_html_text(n);
            uint32_t chars = (uint32_t)ex_count_chars(s);
            p->itext += chars;
            if (in_a)
                p->ilink += chars;
            for (size_t i = 0; i < s.len; i++)
                if (s.ptr[i] == ',' ||
                    ((unsigned char)s.ptr[i] >= 0xd8 && is_comma(s.ptr, s.len, i)))
                    p->icommas++;
            continue;
        }
        if (!td_html_is_element(n))
            continue;
        if (!leaving) {
            struct nstat *s = td_arena_zalloc(e->arena, sizeof(*s));
            td_html_set_data(n, s);
            s->flags = (uint16_t)attr_flags(n);
            if ((s->flags & NS_SKIP) || never_content(n, t)) {
                s->flags |= NS_SKIP;
                td_html_walk_skip(&w);
            }
            if (t == TD_HTML_FIGCAPTION)
                s->flags |= NS_CAPTION;
            if (t == TD_HTML_A)
                in_a++;
            struct td_html_node *par = td_html_parent(n);
            struct nstat *ps = par ? ex_stat(par) : NULL;
            if (ps && ex_is_block(t))
                ps->flags |= NS_BLOCK;
            continue;
        }
        if (t == TD_HTML_A)
            in_a--;
        struct nstat *s = ex_stat(n);
        if (s->flags & NS_SKIP)
            continue;
        /* Totals: own (inline) text plus what the children reported. */
        s->text += s->itext;
        s->link += s->ilink;
        s->commas += s->icommas;
        if (!(s->flags & NS_CAPTION) && unit_tag(t) && s->itext >= MIN_PARA &&
            s->ilink * 2 < s->itext && u->n < MAX_UNITS) {
            if (u->n == u->cap) {
                u->cap = u->cap ? 2 * u->cap : 256;
                u->v = td_xrealloc(u->v, u->cap * sizeof(*u->v));
            }
            u->v[u->n].n = n;
            u->v[u->n++].pts = 1.0f + (float)s->icommas + TD_MIN((float)s->itext / 100.0f, 3.0f);
        }
        if (n == body)
            continue;
        struct nstat *ps = ex_stat(td_html_parent(n));
        ps->qtext += t == TD_HTML_BLOCKQUOTE ? s->text : s->qtext;
        if (ex_is_block(t)) {
            ps->text += s->text;
            ps->link += s->link;
            ps->commas += s->commas;
        } else {
            /* Inline: its text is part of the parent's own paragraph. */
            ps->itext += s->itext;
            ps->ilink += s->ilink;
            ps->icommas += s->icommas;
            ps->text += s->text - s->itext;
            ps->link += s->link - s->ilink;
            ps->commas += s->commas - s->icommas;
        }
    }
}

/*
 * A box whose class/id says boilerplate (and nothing says content) and
 * that holds less than half the page: paragraphs inside it do not vote.
 */
static bool in_unlikely(const struct td_html_node *n, const struct td_html_node *body,
                        uint32_t body_text)
{
    for (; n && n != body; n = td_html_parent(n)) {
        const struct nstat *s = ex_stat(n);
        if (s && (s->flags & (NS_STRONG | NS_GOOD)) == NS_STRONG && s->text * 2 < body_text)
            return true;
    }
    return false;
}

/* Pass 2: paragraphs give points to their ancestors. */
static void score(struct td_html_node *body, const struct units *u, struct cands *c)
{
    uint32_t body_text = ex_stat(body)->text;
    for (size_t i = 0; i < u->n; i++) {
        struct td_html_node *n = u->v[i].n;
        if (in_unlikely(n, body, body_text))
            continue;
        float pts = u->v[i].pts;
        /*
         * A paragraph element votes for its parent; a box with text of its
         * own ("<div>text<br><br>text</div>") is itself the container.
         */
        enum td_html_tag t = td_html_tag(n);
        bool para =
            t == TD_HTML_P || t == TD_HTML_TD || t == TD_HTML_PRE || t == TD_HTML_BLOCKQUOTE;
        struct td_html_node *anc = para && n != body ? td_html_parent(n) : n;
        for (int lvl = 0; anc && lvl < ANCESTORS; lvl++) {
            float div = lvl == 0 ? 1.0f : lvl == 1 ? 2.0f : (float)lvl * 3.0f;
            credit(c, anc, pts / div);
            if (anc == body)
                break;
            anc = td_html_parent(anc);
        }
    }
}

/* Does `n` hold article text that should join the top candidate? */
static bool sibling_joins(const struct td_html_node *n, float threshold)
{
    struct nstat *s = ex_stat(n);
    if (!s || (s->flags & (NS_SKIP | NS_CAPTION)))
        return false;
    if ((s->flags & (NS_BAD | NS_GOOD)) == NS_BAD)
        return false;
    float ld = ex_link_density(s);
    if (s->best >= threshold && ld < 0.5f)
        return true;
    if (td_html_tag(n) == TD_HTML_P) {
        if (s->text >= 80 && ld < 0.25f)
            return true;
        if (s->text > 0 && s->text < 80 && ld == 0 && s->commas > 0)
            return true;
    }
    return false;
}

int ex_body(struct ex *e)
{
    struct td_html_node *body = td_html_body(e->doc);
    struct cands c = {0};

    if (!body)
        return 0;
    struct units u = {0};
    c.v = td_xmalloc(MAX_CANDS * sizeof(*c.v));
    measure(e, body, &u);
    score(body, &u, &c);
    free(u.v);

    struct td_html_node *top = NULL;
    float best = 0;
    for (size_t i = 0; i < c.n; i++) {
        struct nstat *s = ex_stat(c.v[i]);
        s->score *= 1.0f - ex_link_density(s);
        if (!top || s->score > best) {
            top = c.v[i];
            best = s->score;
        }
    }
    /* Every box learns the best candidate inside it (for joining siblings). */
    for (size_t i = 0; i < c.n; i++) {
        float sc = ex_stat(c.v[i])->score;
        for (struct td_html_node *a = c.v[i]; a; a = td_html_parent(a)) {
            struct nstat *as = ex_stat(a);
            if (!as || as->best >= sc)
                break;
            as->best = sc;
        }
    }
    free(c.v);
    if (!top) {
        e->top = body;
        return 0;
    }
    /* A lone child of its parent: the parent is the same box, take it. */
    while (top != body) {
        struct td_html_node *p = td_html_parent(top);
        struct nstat *ps = ex_stat(p), *ts = ex_stat(top);
        if (!ps || ps->text > ts->text + TD_MAX(50u, ts->text / 50) || (ps->flags & NS_BAD))
            break;
        top = p;
    }
    /* Gather siblings that carry article text too. */
    struct td_html_node *par = top == body ? NULL : td_html_parent(top);
    if (par) {
        float threshold = TD_MAX(10.0f, best * 0.2f);
        bool joined = false;
        for (struct td_html_node *s = td_html_first_child(par); s; s = td_html_next(s)) {
            if (s == top || !td_html_is_element(s))
                continue;
            if (sibling_joins(s, threshold)) {
                joined = true;
            } else {
                struct nstat *ss = ex_stat(s);
                if (ss)
                    ss->flags |= NS_DROP;
            }
        }
        if (joined) {
            top = par;
        } else {
            for (struct td_html_node *s = td_html_first_child(par); s; s = td_html_next(s)) {
                struct nstat *ss = td_html_is_element(s) ? ex_stat(s) : NULL;
                if (ss)
                    ss->flags &= (uint16_t)~NS_DROP;
            }
        }
    }
    e->top = top;
    return 0;
}
