/*
 * text.c - the chosen container to text and sanitized HTML, with
 * boilerplate pruned on the way.
 *
 * Pruning (ex_prune) drops, inside the container: anything body.c marked
 * never-content, dropped or caption; the title h1 and header/footer/aside
 * boxes; boxes whose class/id says boilerplate and that hold only a small
 * part of the article; link lists (high link density); and small boxes
 * that open with a boilerplate phrase ("Related Articles", "You May
 * Like").  Then each paragraph is checked once more: a short paragraph that
 * is only a boilerplate phrase ("Advertisement", "Undo"), a byline ("By
 * Jane Doe", which becomes an author), a tag line or a newsletter prompt is
 * left out.  Table rows read as one line each.  When the markup yields far
 * less than a JSON-LD articleBody, that body is used instead.
 */
#include "base/compat.h"
#include "base/error.h"
#include "extract/extract_int.h"

#include <utf8proc.h>

/* Phrases that, alone in a short block or opening a small box, mark boilerplate. */
static const char *const boiler[] = {
    "advertisement",
    "advert",
    "anuncio",
    "publicité",
    "advertisements",
    "sponsored",
    "sponsored links",
    "sponsored content",
    "promoted links",
    "promoted",
    "you may like",
    "you may also like",
    "you might also like",
    "by taboola",
    "taboola",
    "outbrain",
    "related articles",
    "related stories",
    "related",
    "related posts",
    "related news",
    "read more",
    "read also",
    "also read",
    "more from",
    "more stories",
    "recommended",
    "recommended for you",
    "trending",
    "most popular",
    "most read",
    "share",
    "share this",
    "share this article",
    "share on facebook",
    "comments",
    "no comments yet",
    "undo",
    "download the app",
    "get the app",
    "sign up",
    "subscribe",
    "newsletter",
    "follow us",
    "click here",
    "loading",
    "skip to content",
    "anzeige",
    "teilen",
    "kommentare",
    "artikel teilen",
    "lire aussi",
    "partager",
    "commentaires",
    "sur le même sujet",
    "leer más",
    "lee también",
    "compartir",
    "comentarios",
    "noticias relacionadas",
    "pubblicità",
    "leggi anche",
    "condividi",
    "commenti",
    "articoli correlati",
    "publicidade",
    "leia também",
    "compartilhe",
    "comentários",
    "veja também",
    "notícias relacionadas",
    "advertentie",
    "lees ook",
    "delen",
    "reacties",
    "читайте также",
    "поделиться",
    "комментарии",
    "похожие статьи",
    "baca juga",
    "iklan",
    "bagikan",
    "komentar",
    "berita terkait",
    "czytaj także",
    "udostępnij",
    "komentarze",
    "reklam",
    "ilgili haberler",
    "paylaş",
    "yorumlar",
    "werbung",
    "publicidad",
    "реклама",
    "leia mais",
    "lesen sie auch",
    "mehr zum thema",
    "à lire aussi",
    "te puede interesar",
    "ver también",
    "continue reading",
    "story continues",
    "story continues below advertisement",
    "article continues below",
    "ad",
    "watch",
    "listen",
    "print",
    "email",
    "tweet",
    "whatsapp",
    "facebook",
    "twitter",
    "linkedin",
    "copy link",
    "back to top",
    "top stories",
    "latest news",
    "popular",
    "featured",
    "explore more",
    "see also",
    "more on this",
    "in this article",
    "topics",
    "tags",
    "cookie",
    "cookies",
    "we use cookies",
    "accept",
    "close",
    "menu",
    "search",
    "all rights reserved",
    "get started now",
    "try our ai features",
    "up next",
    "next",
    "previous",
    "open in app",
    "view comments",
    "show comments",
    "leave a comment",
    "post a comment",
    "add a comment",
    "login",
    "log in",
    "register",
    "register now",
    "subscribe now",
    "sign in",
    "continue",
    "photo",
    "video",
    "gallery",
    "image",
};

/* Lowercase ASCII letters, strip trailing punctuation/space; true if it is in `boiler`. */
static bool is_boiler_phrase(struct td_str s)
{
    char b[96];
    size_t k = 0;
    s = td_str_trim(s);
    if (s.len >= sizeof(b) - 4)
        return false;
    /* Lowercase with Unicode case mapping: "Читайте также", "À lire aussi". */
    for (size_t i = 0; i < s.len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s.ptr + i,
                                              (utf8proc_ssize_t)(s.len - i), &c);
        if (n < 1)
            return false;
        k += (size_t)utf8proc_encode_char(utf8proc_tolower(c), (utf8proc_uint8_t *)b + k);
        i += (size_t)n;
        if (k >= sizeof(b) - 4)
            return false;
    }
    while (k > 0 && (b[k - 1] == ':' || b[k - 1] == '.' || b[k - 1] == ' ' || b[k - 1] == '!' ||
                     b[k - 1] == '>' || b[k - 1] == '|'))
        k--;
    b[k] = '\0';
    for (size_t i = 0; i < TD_ARRAY_SIZE(boiler); i++)
        if (!strcmp(b, boiler[i]))
            return true;
    return false;
}

struct pruner {
    uint32_t top_text;
};

/* The first few words of the element's text, for the phrase check. */
static struct td_str opening(const struct td_html_node *n, char *buf, size_t cap)
{
    struct td_html_walk w;
    bool leaving;
    size_t k = 0;
    td_html_walk_init(&w, (struct td_html_node *)n);
    for (struct td_html_node *c; (c = td_html_walk_next(&w, &leaving)) && k < cap - 1;) {
        if (leaving)
            continue;
        struct nstat *s = td_html_is_element(c) ? ex_stat(c) : NULL;
        if (s && (s->flags & NS_SKIP)) {
            td_html_walk_skip(&w);
            continue;
        }
        if (td_html_tag(c) == TD_HTML_TEXT) {
            struct td_str t = td_str_trim(td_html_text(c));
            if (!t.len)
                continue;
            if (k && k < cap - 1)
                buf[k++] = ' ';
            size_t m = TD_MIN(t.len, cap - 1 - k);
            memcpy(buf + k, t.ptr, m);
            k += m;
            /* Only the first text run: that is the box's heading. */
            break;
        }
    }
    buf[k] = '\0';
    return td_str_make(buf, k);
}

bool ex_prune(const struct td_html_node *n, void *ctx)
{
    struct pruner *p = ctx;
    struct nstat *s = ex_stat(n);
    if (!s)
        return false;
    bool small = s->text * 10 < p->top_text * 3;
    if (s->flags & (NS_SKIP | NS_DROP))
        return true;
    enum td_html_tag t = td_html_tag(n);
    /* Captions go, but a large box merely named "...caption..." is not one. */
    if ((s->flags & NS_CAPTION) && (small || t == TD_HTML_FIGCAPTION))
        return true;
    switch (t) {
    case TD_HTML_H1:
    case TD_HTML_HEADER:
    case TD_HTML_FOOTER:
    case TD_HTML_ASIDE:
    case TD_HTML_ADDRESS:
        return true;
    case TD_HTML_FORM:
        /* Page-wide wrappers (ASP.NET wraps whole pages in a form) stay. */
        if (small)
            return true;
        break;
    default:
        break;
    }
    /* Dates and bylines are metadata, not body. */
    struct td_str v;
    if (s->text < 200 && td_html_attr(n, "itemprop", &v) &&
        (td_str_eq_nocase(v, TD_STR_LIT("datePublished")) ||
         td_str_eq_nocase(v, TD_STR_LIT("dateModified")) ||
         td_str_eq_nocase(v, TD_STR_LIT("author")) || td_str_eq_nocase(v, TD_STR_LIT("creator"))))
        return true;
    if (t == TD_HTML_TIME && s->text < 60)
        return true;
    /* Named boilerplate goes unless it is a large part of the article. */
    bool only_bad = (s->flags & (NS_STRONG | NS_GOOD)) == NS_STRONG;
    /*
     * An embedded post (a blockquote of real text in a "social-embed" box)
     * is quoted content, unlike a share bar.
     */
    bool quoted = s->qtext >= 40 && s->qtext * 4 >= s->text * 3 && ex_link_density(s) < 0.5f;
    if ((s->flags & NS_BAD) && !quoted && (small || (only_bad && s->text * 2 < p->top_text)))
        return true;
    /*
     * Link lists go; a sentence whose second half is a link stays: a box
     * without block children needs little text outside its links too.
     */
    if (ex_is_block(t) && s->text && ex_link_density(s) > 0.5f && (small || s->text < 200) &&
        ((s->flags & NS_BLOCK) || s->text - s->link < 60))
        return true;
    if (ex_is_block(t) && (s->flags & NS_BLOCK) && small && s->text < 2000) {
        char buf[64];
        if (is_boiler_phrase(opening(n, buf, sizeof(buf))))
            return true;
    }
    return false;
}

struct out {
    struct ex *e;
    struct td_buf *text;
    struct td_buf para;
    int ws;        /* 0 start of paragraph, 1 after text, 2 space pending, 3 soft space */
    bool last_row; /* the last paragraph written was a table row */
};

/* Labels that open a list of tags or links rather than prose. */
static bool is_label_line(struct td_str p)
{
    static const char *const labels[] = {
        "tags",          "tags:",    "topics:",    "keywords:",  "filed under", "filed under:",
        "schlagwörter:", "themen:",  "etiquetas:", "mots-clés:", "read more:",  "see also:",
        "also read:",    "related:", "more:",      "source:",
    };
    if (p.len > 500)
        return false;
    for (size_t i = 0; i < TD_ARRAY_SIZE(labels); i++) {
        struct td_str l = td_str_c(labels[i]);
        if (td_str_starts_with_nocase(p, l) &&
            (p.len == l.len || td_is_space((unsigned char)p.ptr[l.len]) ||
             labels[i][l.len - 1] == ':'))
            return true;
    }
    return false;
}

/*
 * "By Jane Doe" / "By Jane Doe and John Roe -" alone in a paragraph is a
 * byline: metadata, not body.  Returns the name part, or an empty slice.
 */
static struct td_str byline_name(struct td_str p)
{
    static const char *const by[] = {"by ", "von ", "par ", "por ", "di ", "door ", "av "};
    if (p.len > 100)
        return TD_STR_NULL;
    for (size_t i = 0; i < TD_ARRAY_SIZE(by); i++) {
        struct td_str b = td_str_c(by[i]);
        if (!td_str_starts_with_nocase(p, b))
            continue;
        struct td_str name = td_str_trim(td_str_sub(p, b.len, p.len));
        size_t words = 1, upper = 0;
        for (size_t k = 0; k < name.len; k++) {
            if (name.ptr[k] == ' ')
                words++;
            if ((k == 0 || name.ptr[k - 1] == ' ') && name.ptr[k] >= 'A' && name.ptr[k] <= 'Z')
                upper++;
        }
        /* Names: a few capitalised words, not a sentence. */
        if (name.len && words <= 8 && upper * 2 >= words && !memchr(name.ptr, '.', name.len)) {
            while (name.len && (name.ptr[name.len - 1] == '-' || name.ptr[name.len - 1] == '|' ||
                                name.ptr[name.len - 1] == ',' || name.ptr[name.len - 1] == ' '))
                name.len--;
            return name;
        }
    }
    return TD_STR_NULL;
}

/* A short newsletter or follow prompt ("Subscribe to our newsletter"). */
static bool is_prompt(struct td_str p)
{
    if (p.len > 240)
        return false;
    bool news = td_str_find_nocase(p, TD_STR_LIT("newsletter")) >= 0 ||
                td_str_find_nocase(p, TD_STR_LIT("inbox")) >= 0;
    bool act = td_str_find_nocase(p, TD_STR_LIT("subscribe")) >= 0 ||
               td_str_find_nocase(p, TD_STR_LIT("sign up")) >= 0;
    return news && act;
}

/* End the current paragraph; table rows are kept one per line. */
static int flush(struct out *o, bool row)
{
    struct td_str p = td_str_trim(td_buf_str(&o->para));
    int err = 0;
    /* The headline repeated above the body belongs to metadata. */
    if (o->e->a->title && td_str_eq_nocase(p, td_str_c(o->e->a->title)))
        p = TD_STR_NULL;
    struct td_str name = byline_name(p);
    if (name.len) {
        if (!o->e->a->n_authors)
            ex_add_author(o->e, name);
        p = TD_STR_NULL;
    }
    if (p.len && !(p.len < 64 && is_boiler_phrase(p)) && !is_label_line(p) && !is_prompt(p)) {
        const char *sep = row && o->last_row ? "\n" : "\n\n";
        if (o->text->len && td_buf_append_c(o->text, sep) < 0)
            err = TD_ETOOBIG;
        else if (td_buf_append(o->text, p.ptr, p.len) < 0)
            err = TD_ETOOBIG;
        o->last_row = row;
    }
    td_buf_reset(&o->para);
    o->ws = 0;
    return err;
}

static bool is_ws(const char *s, size_t len, size_t i, size_t *w)
{
    unsigned char c = (unsigned char)s[i];
    if (td_is_space(c)) {
        *w = 1;
        return true;
    }
    /* U+00A0 no-break space. */
    if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xa0) {
        *w = 2;
        return true;
    }
    return false;
}

/* Append text with white space collapsed, in runs. */
static int put_text(struct out *o, struct td_str s)
{
    size_t i = 0, w;
    while (i < s.len) {
        if (is_ws(s.ptr, s.len, i, &w)) {
            if (o->ws == 1 || o->ws == 3)
                o->ws = 2;
            i += w;
            continue;
        }
        size_t st = i;
        while (i < s.len && !is_ws(s.ptr, s.len, i, &w))
            i++;
        /* A soft space (link edge) only parts non-Latin script from its neighbour. */
        bool soft =
            o->ws == 3 && ((unsigned char)s.ptr[st] >= 0x80 ||
                           (o->para.len && (unsigned char)o->para.buf[o->para.len - 1] >= 0x80));
        if ((o->ws == 2 || soft) && td_buf_append_ch(&o->para, ' ') < 0)
            return TD_ETOOBIG;
        o->ws = 1;
        if (td_buf_append(&o->para, s.ptr + st, i - st) < 0)
            return TD_ETOOBIG;
    }
    return 0;
}

static int to_text(struct ex *e, struct pruner *p, struct td_html_node *top, struct td_buf *text)
{
    struct out o = {.e = e, .text = text};
    struct td_html_walk w;
    bool leaving;
    int err = 0;

    td_buf_init(&o.para, TD_EXTRACT_MAX_INPUT);
    td_html_walk_init(&w, top);
    for (struct td_html_node *n; (n = td_html_walk_next(&w, &leaving));) {
        enum td_html_tag t = td_html_tag(n);
        if (t == TD_HTML_TEXT) {
            if (!leaving && (err = put_text(&o, td_html_text(n))) < 0)
                break;
            continue;
        }
        if (!td_html_is_element(n))
            continue;
        if (!leaving && n != top && ex_prune(n, p)) {
            td_html_walk_skip(&w);
            continue;
        }
        if (t == TD_HTML_BR && !leaving) {
            if (td_buf_append_ch(&o.para, '\n') < 0) {
                err = TD_ETOOBIG;
                break;
            }
            o.ws = 0;
            continue;
        }
        if (t == TD_HTML_A) {
            /*
             * A link's words stay words of their own: "ソフト<a>KeePass</a>の"
             * reads "ソフト KeePass の", but "<a>MacBook</a>s" stays one word.
             */
            if (o.ws == 1)
                o.ws = 3;
            continue;
        }
        if (t == TD_HTML_TD || t == TD_HTML_TH) {
            /* Cells of a row read as one line. */
            if (o.ws == 1)
                o.ws = 2;
            continue;
        }
        if (ex_is_block(t) && (err = flush(&o, t == TD_HTML_TR)) < 0)
            break;
    }
    if (!err)
        err = flush(&o, false);
    td_buf_release(&o.para);
    return err;
}

/*
 * Fallback: when the page's markup yields far less than the articleBody its
 * JSON-LD declares (scripts build the body, or the scoring failed), use
 * that body: one paragraph per non-empty line, as text and as <p> HTML.
 */
static int from_jsonld(struct ex *e, struct td_buf *text, struct td_buf *html)
{
    struct td_str body = td_str_c(e->jsonld_body);
    struct out o = {.e = e, .text = text};
    int err = 0;

    td_buf_reset(text);
    td_buf_reset(html);
    td_buf_init(&o.para, TD_EXTRACT_MAX_INPUT);
    while (body.len && !err) {
        const char *nl = memchr(body.ptr, '\n', body.len);
        size_t n = nl ? (size_t)(nl - body.ptr) : body.len;
        size_t before = text->len;
        err = put_text(&o, td_str_make(body.ptr, n));
        if (!err)
            err = flush(&o, false);
        if (!err && text->len > before) {
            struct td_str p = td_str_make(text->buf + before, text->len - before);
            if (p.len >= 2 && p.ptr[0] == '\n')
                p = td_str_sub(p, 2, p.len);
            err = td_html_escape_paragraph(p, html);
        }
        body = td_str_sub(body, n + (nl ? 1 : 0), body.len);
    }
    td_buf_release(&o.para);
    return err;
}

int ex_text(struct ex *e)
{
    struct td_buf text = TD_BUF_INIT(TD_EXTRACT_MAX_INPUT);
    struct td_buf html = TD_BUF_INIT(4 * (size_t)TD_EXTRACT_MAX_INPUT);
    struct nstat *ts = e->top ? ex_stat(e->top) : NULL;
    struct pruner p = {.top_text = ts ? ts->text : 0};
    int err = 0;

    if (e->top) {
        err = to_text(e, &p, e->top, &text);
        if (!err)
            err = td_html_sanitize_node(e->top, e->base, ex_prune, &p, &html);
        if (err < 0)
            goto out;
    }
    if (e->jsonld_body && text.len * 2 < strlen(e->jsonld_body) && strlen(e->jsonld_body) > 500 &&
        (err = from_jsonld(e, &text, &html)) < 0)
        goto out;
    e->a->text = td_arena_strndup(e->arena, text.buf, text.len);
    e->a->html = td_arena_strndup(e->arena, html.buf, html.len);
out:
    td_buf_release(&text);
    td_buf_release(&html);
    return err;
}
