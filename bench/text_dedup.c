/*
 * text_dedup.c - near-duplicate detection on the shared corpora.
 *
 *   text_dedup SHARED_DIR
 *
 * 1. Real texts: every BBC, WikiRef220 and GoogleNews-TS document goes
 *    through the story index; each near-duplicate group found is printed
 *    (set, label, headline) so it can be checked by eye, with counts.
 * 2. Made copies: for every BBC article, four copies as aggregators meet
 *    them — a repost under another headline, a wire version with a
 *    dateline and a credit line, a copy with five words changed, and a copy
 *    missing its last sixth — are added after all originals.  Prints the
 *    share of each kind folded onto its own original, and how many
 *    articles were folded onto a different article (false merges).
 */
#include "base/compat.h"
#include "text/story.h"
#include "text_corpus.h"

static void real_groups(const struct corpus *c)
{
    struct td_story_opts opts = {0};
    struct td_story_index *idx = td_story_index_new(&opts);
    uint32_t *dup = td_xmalloc(c->n * sizeof(*dup));
    size_t groups = 0, copies = 0, cross_label = 0;

    for (size_t i = 0; i < c->n; i++) {
        struct td_story_article a = {
            .ref = i, .title = c->d[i].title, .text = c->d[i].text, .text_len = c->d[i].len};
        struct td_story_placed p;
        dup[i] = td_story_index_add(idx, &a, &p) == 0 ? p.duplicate_of : UINT32_MAX;
    }
    for (size_t i = 0; i < c->n; i++) {
        bool head = false;
        for (size_t j = i + 1; j < c->n; j++) {
            if (dup[j] != i)
                continue;
            if (!head) {
                groups++;
                printf("  group %zu: [%s %s] %.70s\n", groups, c->d[i].set, c->d[i].label,
                       c->d[i].title[0] ? c->d[i].title : c->d[i].text);
                head = true;
            }
            copies++;
            cross_label += strcmp(c->d[i].label, c->d[j].label) != 0;
            printf("           [%s %s] %.70s\n", c->d[j].set, c->d[j].label,
                   c->d[j].title[0] ? c->d[j].title : c->d[j].text);
        }
    }
    printf("real texts: %zu docs, %zu near-duplicate groups, %zu copies folded, %zu of them "
           "across different labels\n",
           c->n, groups, copies, cross_label);
    free(dup);
    td_story_index_free(idx);
}

/* A deterministic generator for picking words to change. */
static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static char *variant(const struct corpus_doc *d, int kind, uint64_t *seed)
{
    size_t cap = d->len + 256;
    char *out = td_xmalloc(cap);
    switch (kind) {
    case 0: /* repost: same text */
        memcpy(out, d->text, d->len + 1);
        break;
    case 1: /* wire: dateline and credit */
        snprintf(out, cap, "LONDON (Reuters) - %s\n\nReporting by Jane Doe; Editing by John Smith",
                 d->text);
        break;
    case 2: { /* five words changed */
        memcpy(out, d->text, d->len + 1);
        size_t words = 0;
        for (size_t i = 0; i < d->len; i++)
            words += out[i] == ' ';
        for (int k = 0; k < 5 && words; k++) {
            size_t target = rng(seed) % words, w = 0;
            for (size_t i = 0; i < d->len; i++)
                if (out[i] == ' ' && w++ == target) {
                    /* Overwrite the next word's first letter. */
                    if (i + 1 < d->len && out[i + 1] != ' ' && out[i + 1] != '\n')
                        out[i + 1] = 'q';
                    break;
                }
        }
        break;
    }
    default: { /* last sixth cut, at a sentence end */
        size_t keep = d->len * 5 / 6;
        while (keep > 0 && d->text[keep - 1] != '.')
            keep--;
        memcpy(out, d->text, keep);
        out[keep] = '\0';
        break;
    }
    }
    return out;
}

static void made_copies(const struct corpus *c)
{
    static const char *kinds[] = {"repost", "wire dateline+credit", "5 words changed",
                                  "last sixth cut"};
    struct td_story_opts opts = {0};
    struct td_story_index *idx = td_story_index_new(&opts);
    size_t found[4] = {0}, wrong = 0, originals_folded = 0, n = 0;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;

    for (size_t i = 0; i < c->n; i++) {
        struct td_story_article a = {
            .ref = i, .title = c->d[i].title, .text = c->d[i].text, .text_len = c->d[i].len};
        struct td_story_placed p;
        if (td_story_index_add(idx, &a, &p) == 0 && p.duplicate_of != UINT32_MAX)
            originals_folded++;
        n++;
    }
    for (int k = 0; k < 4; k++)
        for (size_t i = 0; i < c->n; i++) {
            char *text = variant(&c->d[i], k, &seed);
            struct td_story_article a = {
                .ref = i, .title = "Another headline", .text = text, .text_len = strlen(text)};
            struct td_story_placed p;
            /* Copies come after the originals, so duplicate_of (always an
             * original: the root of its family) names a corpus article. */
            if (td_story_index_add(idx, &a, &p) == 0) {
                if (p.duplicate_of == i)
                    found[k]++;
                else if (p.duplicate_of != UINT32_MAX)
                    wrong++;
            }
            free(text);
        }
    printf("made copies of %zu BBC articles (originals folded onto each other: %zu):\n", c->n,
           originals_folded);
    for (int k = 0; k < 4; k++)
        printf("  %-22s found %zu/%zu (%.1f%%)\n", kinds[k], found[k], c->n,
               100.0 * (double)found[k] / (double)c->n);
    printf("  false merges (a copy folded onto a different article): %zu\n", wrong);
    td_story_index_free(idx);
}

int main(int argc, char **argv)
{
    struct corpus all, bbc;
    if (argc != 2) {
        fprintf(stderr, "usage: text_dedup SHARED_DIR\n");
        return 2;
    }
    corpus_load(&all, argv[1], true, true, true);
    real_groups(&all);
    corpus_release(&all);
    corpus_load(&bbc, argv[1], true, false, false);
    if (bbc.n)
        made_copies(&bbc);
    corpus_release(&bbc);
    return 0;
}
