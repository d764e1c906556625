/*
 * extract.c - td_extract(): parse, run the stages in order (metadata,
 * body, text, caption, language), and the small helpers they share.
 */
#include "base/compat.h"
#include "base/error.h"
#include "extract/extract_int.h"

const char *ex_clean(struct ex *e, struct td_str s)
{
    char *out = td_arena_alloc(e->arena, s.len + 1);
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        /* U+00A0 (C2 A0) counts as white space too. */
        if (c == 0xc2 && i + 1 < s.len && (unsigned char)s.ptr[i + 1] == 0xa0) {
            i++;
            space = true;
            continue;
        }
        if (td_is_space(c)) {
            space = true;
            continue;
        }
        if (space && o > 0)
            out[o++] = ' ';
        space = false;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return o ? out : NULL;
}

const char *ex_node_text(struct ex *e, const struct td_html_node *n)
{
    td_buf_reset(&e->tmp);
    if (td_html_text_content(n, &e->tmp) < 0)
        return NULL;
    return ex_clean(e, td_buf_str(&e->tmp));
}

const char *ex_url(struct ex *e, struct td_str ref)
{
    struct td_buf b = TD_BUF_INIT(8192);
    const char *r = NULL;
    if (td_html_resolve_url(e->base, ref, &b) == 0)
        r = td_arena_strndup(e->arena, b.buf, b.len);
    td_buf_release(&b);
    return r;
}

void ex_add_author(struct ex *e, struct td_str name)
{
    const char *c = ex_clean(e, name);
    if (!c || strlen(c) > 100)
        return;
    for (size_t i = 0; i < e->a->n_authors; i++)
        if (td_str_eq_nocase(td_str_c(e->a->authors[i]), td_str_c(c)))
            return;
    if (e->a->n_authors >= 16)
        return;
    const char **v = td_arena_alloc(e->arena, (e->a->n_authors + 1) * sizeof(*v));
    if (e->a->n_authors)
        memcpy(v, e->a->authors, e->a->n_authors * sizeof(*v));
    v[e->a->n_authors++] = c;
    e->a->authors = v;
}

size_t ex_count_chars(struct td_str s)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if ((c & 0xc0) != 0x80 && !td_is_space(c))
            n++;
    }
    return n;
}

/*
 * Words: runs of non-space characters, except that Chinese and Japanese,
 * written without spaces, count one word per kana or ideograph (U+3040 to
 * U+30FF and U+3400 to U+9FFF, all three bytes in UTF-8 starting E3-E9)
 * and CJK punctuation (U+3000 to U+303F) separates words.
 */
static size_t count_words(const char *s)
{
    size_t n = 0;
    bool in = false;
    while (*s) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0xe3 && c <= 0xe9 && s[1] && s[2]) {
            uint32_t cp = ((uint32_t)(c & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) |
                          (uint32_t)(s[2] & 0x3f);
            bool ideo = (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x9fff);
            if (ideo || (cp >= 0x3000 && cp <= 0x303f)) {
                /* An ideograph is a word; CJK punctuation separates. */
                n += ideo;
                in = false;
                s += 3;
                continue;
            }
        }
        bool sp = td_is_space(c);
        if (!sp && !in)
            n++;
        in = !sp;
        s++;
    }
    return n;
}

int td_extract(const char *html, size_t len, const struct td_extract_opts *opts,
               struct td_article *out)
{
    struct ex e = {0};
    int err;

    memset(out, 0, sizeof(*out));
    if (len > TD_EXTRACT_MAX_INPUT)
        return TD_ETOOBIG;
    if (td_str_trim(td_str_make(html, len)).len == 0)
        return TD_EEMPTY;
    td_arena_init(&out->arena);
    e.a = out;
    e.arena = &out->arena;
    e.page_url = opts && opts->base_url && *opts->base_url ? opts->base_url : NULL;
    e.base = e.page_url;
    td_buf_init(&e.tmp, TD_EXTRACT_MAX_INPUT);
    err = td_html_parse(html, len, &e.doc);
    if (err < 0)
        goto fail;
    ex_meta(&e);
    err = ex_body(&e);
    if (err < 0)
        goto fail;
    err = ex_text(&e);
    if (err < 0)
        goto fail;
    ex_caption(&e);
    if (!out->url && e.page_url)
        out->url = td_arena_strndup(e.arena, e.page_url, strlen(e.page_url));
    if (!out->language)
        out->language = ex_lang_guess(out->text);
    out->word_count = count_words(out->text);
    td_html_free(e.doc);
    td_buf_release(&e.tmp);
    return 0;
fail:
    td_html_free(e.doc);
    td_buf_release(&e.tmp);
    td_arena_release(&out->arena);
    memset(out, 0, sizeof(*out));
    return err;
}

void td_article_release(struct td_article *a)
{
    if (!a)
        return;
    td_arena_release(&a->arena);
    memset(a, 0, sizeof(*a));
}
