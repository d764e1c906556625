/*
 * caption.c - the lead image's caption and credit.
 *
 * The caption comes from the first figure caption at or before the start
 * of the article.  Photo credits hide inside captions in a handful of
 * general shapes, all handled here without any per-site rule:
 *   "Text (Picture credit: AP)"   trailing parenthesis naming a credit
 *   "Text. Photo: Reuters"        a credit label ("Photo:", "Credit:", "©",
 *                                 "Foto:", "Image:", ...) after the text
 *   "Text (AP Photo/Jane Doe)"    agency photo credits
 *   "Text / AFP"                  a short trailing "/ Agency"
 *   "Text. Getty Images"          a trailing known agency name
 */
#include "base/compat.h"
#include "extract/extract_int.h"

#include <string.h>

static const char *const labels[] = {
    "picture credit:",
    "photo credit:",
    "image credit:",
    "photo credits:",
    "credits:",
    "credit:",
    "photograph:",
    "photography:",
    "photos:",
    "photo:",
    "picture:",
    "pictures:",
    "image:",
    "images:",
    "source:",
    "foto:",
    "fotos:",
    "bild:",
    "crédit:",
    "crédits:",
    "photo by",
    "photos by",
    "photograph by",
    "pictured by",
    "foto de",
    "©",
    "(c)",
    "copyright",
};

static const char *const agencies[] = {
    "getty images",
    "getty",
    "reuters",
    "afp",
    "ap photo",
    "associated press",
    "epa",
    "shutterstock",
    "alamy",
    "pa images",
    "pa wire",
    "pa media",
    "xinhua",
    "anadolu",
    "dpa",
    "bloomberg",
    "ians",
    "pti",
    "ani",
    "efe",
    "ansa",
    "tass",
    "sputnik",
    "istock",
    "ap",
    "handout",
    "file photo",
    "nurphoto",
    "sipa",
    "imago",
    "picture alliance",
};

static bool word_at(struct td_str s, size_t at, size_t n)
{
    /* The match at [at, at+n) starts and ends on word boundaries. */
    unsigned char before = at > 0 ? (unsigned char)s.ptr[at - 1] : ' ';
    unsigned char after = at + n < s.len ? (unsigned char)s.ptr[at + n] : ' ';
    bool b_ok = !((before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z') ||
                  (before >= '0' && before <= '9'));
    bool a_ok = !((after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z') ||
                  (after >= '0' && after <= '9'));
    return b_ok && a_ok;
}

/* Position of the last word-bounded, case-insensitive `needle` in `s`, or -1. */
static ptrdiff_t find_last(struct td_str s, const char *needle)
{
    size_t n = strlen(needle);
    ptrdiff_t found = -1;
    for (size_t i = 0; i + n <= s.len; i++) {
        if (td_str_starts_with_nocase(td_str_sub(s, i, n), td_str_make(needle, n)) &&
            (!((unsigned char)needle[0] >= 'a' && (unsigned char)needle[0] <= 'z') ||
             word_at(s, i, needle[n - 1] == ':' ? n - 1 : n)))
            found = (ptrdiff_t)i;
    }
    return found;
}

static bool names_agency(struct td_str s)
{
    for (size_t i = 0; i < TD_ARRAY_SIZE(agencies); i++)
        if (find_last(s, agencies[i]) >= 0)
            return true;
    return false;
}

static bool is_sep(unsigned char c)
{
    return td_is_space(c) || c == '.' || c == ',' || c == '|' || c == '/' || c == '-' || c == ';' ||
           c == ':' || c == '(' || c == '[';
}

static struct td_str trim_seps(struct td_str s)
{
    s = td_str_trim(s);
    while (s.len && is_sep((unsigned char)s.ptr[s.len - 1]) && s.ptr[s.len - 1] != '.')
        s.len--;
    /* Dashes as UTF-8: en dash E2 80 93, em dash E2 80 94. */
    while (s.len >= 3 && (unsigned char)s.ptr[s.len - 3] == 0xe2 &&
           (unsigned char)s.ptr[s.len - 2] == 0x80 &&
           ((unsigned char)s.ptr[s.len - 1] == 0x93 || (unsigned char)s.ptr[s.len - 1] == 0x94)) {
        s.len -= 3;
        s = td_str_trim(s);
    }
    return td_str_trim(s);
}

/* Strip a leading label ("Photo:", "Credit:") from a credit. */
static struct td_str strip_label(struct td_str s)
{
    s = td_str_trim(s);
    for (size_t i = 0; i < TD_ARRAY_SIZE(labels); i++) {
        struct td_str l = td_str_c(labels[i]);
        if (labels[i][l.len - 1] == ':' && td_str_starts_with_nocase(s, l))
            return td_str_trim(td_str_sub(s, l.len, s.len));
    }
    return s;
}

void ex_caption_split(struct ex *e, struct td_str in, const char **caption, const char **credit)
{
    struct td_str s = td_str_trim(in), cap = s, cred = TD_STR_NULL;
    *caption = *credit = NULL;
    if (!s.len)
        return;

    /* 1. A trailing parenthesis that names a credit. */
    if (s.ptr[s.len - 1] == ')' || s.ptr[s.len - 1] == ']') {
        char open = s.ptr[s.len - 1] == ')' ? '(' : '[';
        size_t i = s.len - 1;
        while (i > 0 && s.ptr[i] != open)
            i--;
        struct td_str inner = td_str_sub(s, i + 1, s.len - i - 2);
        bool labelled = false;
        for (size_t k = 0; k < TD_ARRAY_SIZE(labels); k++)
            if (td_str_starts_with_nocase(td_str_trim(inner), td_str_c(labels[k])))
                labelled = true;
        if (s.ptr[i] == open && (labelled || names_agency(inner))) {
            cap = trim_seps(td_str_sub(s, 0, i));
            cred = strip_label(inner);
            goto done;
        }
    }
    /* 2. A credit label after the text. */
    ptrdiff_t best = -1;
    size_t best_len = 0;
    for (size_t k = 0; k < TD_ARRAY_SIZE(labels); k++) {
        ptrdiff_t at = find_last(s, labels[k]);
        if (at > best || (at == best && at >= 0 && strlen(labels[k]) > best_len)) {
            best = at;
            best_len = strlen(labels[k]);
        }
    }
    if (best >= 0) {
        cap = trim_seps(td_str_sub(s, 0, (size_t)best));
        cred = td_str_sub(s, (size_t)best, s.len);
        /* "© Reuters" keeps the sign out; "Photo: X" loses its label. */
        if (td_str_starts_with(cred, TD_STR_LIT("©")))
            cred = td_str_sub(cred, 2, cred.len);
        cred = strip_label(cred);
        goto done;
    }
    /* 3. "Text / AFP", "Text | Getty Images", "Text. Reuters": a short agency tail. */
    for (size_t i = s.len; i-- > 0;) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c != '/' && c != '|' && c != '.' && c != '-' && c != ',')
            continue;
        struct td_str tail = td_str_trim(td_str_sub(s, i + 1, s.len));
        if (!tail.len || tail.len > 60)
            break;
        if (names_agency(tail) && (c == '/' || c == '|' ||
                                   td_is_space((unsigned char)s.ptr[i + 1 < s.len ? i + 1 : i]))) {
            cap = trim_seps(td_str_sub(s, 0, i + (c == '.' ? 1 : 0)));
            cred = tail;
            /* "AP Photo/Name" splits at its own slash: take the whole credit. */
            ptrdiff_t ap = find_last(cap, "ap photo");
            if (ap >= 0 && c == '/') {
                cred = td_str_sub(s, (size_t)ap, s.len);
                cap = trim_seps(td_str_sub(s, 0, (size_t)ap));
            }
            goto done;
        }
        break;
    }
done:
    *caption = ex_clean(e, cap);
    *credit = ex_clean(e, trim_seps(cred));
}

/* The caption text under a figure: its figcaption, or a caption-classed box. */
static struct td_html_node *caption_of(struct td_html_node *fig)
{
    struct td_html_walk w;
    bool leaving;
    td_html_walk_init(&w, fig);
    for (struct td_html_node *n; (n = td_html_walk_next(&w, &leaving));) {
        if (leaving || n == fig || !td_html_is_element(n))
            continue;
        if (td_html_tag(n) == TD_HTML_FIGCAPTION)
            return n;
        struct nstat *s = ex_stat(n);
        if (s && (s->flags & NS_CAPTION))
            return n;
    }
    return NULL;
}

/* The figure's first image with a source, or NULL. */
static struct td_html_node *first_img(struct td_html_node *fig, struct td_str *src)
{
    struct td_html_walk w;
    bool leaving;
    td_html_walk_init(&w, fig);
    for (struct td_html_node *n; (n = td_html_walk_next(&w, &leaving));) {
        if (!leaving && td_html_tag(n) == TD_HTML_IMG && td_html_attr(n, "src", src))
            return n;
    }
    return NULL;
}

/*
 * The lead figure's image: its URL when the metadata named none, and its
 * alt text when it is the image the metadata named (a figure may show
 * another picture than the page's social card).
 */
static void figure_image(struct ex *e, struct td_html_node *fig)
{
    struct td_str src, alt;
    struct td_html_node *img = first_img(fig, &src);
    const char *url;

    if (!img || !(url = ex_url(e, src)))
        return;
    if (!e->a->image.url)
        e->a->image.url = url;
    else if (strcmp(e->a->image.url, url) != 0)
        return;
    if (!e->a->image.alt && td_html_attr(img, "alt", &alt) && (alt = td_str_trim(alt)).len)
        e->a->image.alt = ex_clean(e, alt);
}

void ex_caption(struct ex *e)
{
    struct td_html_node *body = td_html_body(e->doc);
    struct td_html_walk w;
    bool leaving;
    bool in_top = false;
    uint32_t seen_text = 0;

    if (!body || e->a->image.caption)
        return;
    td_html_walk_init(&w, body);
    for (struct td_html_node *n; (n = td_html_walk_next(&w, &leaving));) {
        if (!td_html_is_element(n))
            continue;
        if (n == e->top)
            in_top = !leaving;
        if (leaving)
            continue;
        struct nstat *s = ex_stat(n);
        if (s && (s->flags & NS_SKIP)) {
            td_html_walk_skip(&w);
            continue;
        }
        enum td_html_tag t = td_html_tag(n);
        /* Past the first paragraphs of the article: no lead image. */
        if (in_top && t == TD_HTML_P && s) {
            seen_text += s->text;
            if (seen_text > 1500)
                return;
        }
        if (t != TD_HTML_FIGURE)
            continue;
        struct td_html_node *cap = caption_of(n);
        if (!cap)
            continue;
        const char *txt = ex_node_text(e, cap);
        if (!txt)
            continue;
        ex_caption_split(e, td_str_c(txt), &e->a->image.caption, &e->a->image.credit);
        figure_image(e, n);
        return;
    }
}
