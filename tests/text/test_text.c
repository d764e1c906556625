/*
 * test_text.c - unit tests of src/text: tokenizer, stemming and stop words,
 * sentence splitting, MinHash, the sharded map, the chunked array, vectors, the story index
 * (clustering, copies,
 * related articles, windows, rebuild), key points, keywords and ROUGE.
 */
#include "base/error.h"
#include "harness/tap.h"
#include "text/fingerprint.h"
#include "text/keywords.h"
#include "text/map.h"
#include "text/seg.h"
#include "text/rouge.h"
#include "text/sentence.h"
#include "text/story.h"
#include "text/summary.h"
#include "text/tokenize.h"
#include "text/vector.h"

#include <ctype.h>
#include <math.h>

/* Tokenize `text` into "w1|w2|..." (folded words). */
static void words_of(const char *text, char *out, size_t cap)
{
    struct td_tokenizer t;
    struct td_token tok;
    size_t n = 0;

    out[0] = '\0';
    td_tokenizer_init(&t, text, strlen(text));
    while (td_tokenizer_next(&t, &tok))
        n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? "|" : "", tok.word);
}

static void test_tokenize_fold(void)
{
    char w[512];
    words_of("Straße STRASSE straße ＡＢＣ Ǆemal", w, sizeof(w));
    ASSERT_STR_EQ(w, "strasse|strasse|strasse|abc|džemal");
    words_of("Don’t stop: it's 3.5% of 1,000 (e.g. U.S.)", w, sizeof(w));
    ASSERT_STR_EQ(w, "don't|stop|it's|3.5|of|1,000|e|g|u|s");
    words_of("Ελληνικά ΚΑΙ Русский", w, sizeof(w));
    ASSERT_STR_EQ(w, "ελληνικά|και|русский");
}

static void test_tokenize_cjk_and_bad_bytes(void)
{
    char w[512];
    words_of("中文信息处理", w, sizeof(w));
    ASSERT_STR_EQ(w, "中文|文信|信息|息处|处理");
    words_of("東京。Tokyo 日", w, sizeof(w));
    ASSERT_STR_EQ(w, "東京|tokyo|日");
    words_of("ab\xff"
             "cd \xe4\xb8 ef",
             w, sizeof(w));
    ASSERT_STR_EQ(w, "ab|cd|ef");
    words_of("", w, sizeof(w));
    ASSERT_STR_EQ(w, "");
}

static void test_tokenize_flags(void)
{
    struct td_tokenizer t;
    struct td_token tok;
    const char *s = "The NATO summit. Leaders met, Paris hosted";
    unsigned f[8];
    size_t n = 0;

    td_tokenizer_init(&t, s, strlen(s));
    while (td_tokenizer_next(&t, &tok) && n < 8)
        f[n++] = tok.flags;
    ASSERT_EQ(n, 7);
    ASSERT(f[0] & TD_TOKEN_SENTENCE);
    ASSERT(f[0] & TD_TOKEN_CAP);
    ASSERT(!(f[0] & TD_TOKEN_UPPER));
    ASSERT(f[1] & TD_TOKEN_UPPER);
    ASSERT(!(f[1] & TD_TOKEN_SENTENCE));
    ASSERT(f[1] & TD_TOKEN_JOINED);
    ASSERT(f[3] & TD_TOKEN_SENTENCE);
    ASSERT(!(f[5] & TD_TOKEN_JOINED)); /* a comma came before "Paris" */
    ASSERT(f[5] & TD_TOKEN_CAP);
}

static void stem_is(struct td_analyzer *a, const char *lang, const char *word, const char *want)
{
    size_t n;
    const char *s = td_analyzer_stem(a, lang, word, strlen(word), &n);
    char got[128];
    snprintf(got, sizeof(got), "%.*s", (int)n, s);
    ASSERT_STR_EQ(got, want);
}

static void test_stem_languages(void)
{
    struct td_analyzer *a = td_analyzer_new();
    stem_is(a, "en", "elections", "elect");
    stem_is(a, NULL, "running", "run");
    stem_is(a, "en-GB", "connections", "connect");
    stem_is(a, "es", "elecciones", "eleccion");
    stem_is(a, "fr", "élections", "élect");
    stem_is(a, "de", "häuser", "haus");
    stem_is(a, "ru", "выборы", "выбор");
    stem_is(a, "xx", "unchanged", "unchanged"); /* no stemmer: the word itself */
    td_analyzer_free(a);
}

/*
 * Stems come from the analyzer's memory after the first time: the same
 * answers, per language, and still after the memory has filled and been
 * emptied (more distinct words than it keeps).
 */
static void test_stem_remembered(void)
{
    struct td_analyzer *a = td_analyzer_new(), *fresh = td_analyzer_new();
    char w[32], want[32];
    size_t n;

    for (int round = 0; round < 2; round++) {
        stem_is(a, "en", "elections", "elect");
        stem_is(a, "es", "elecciones", "eleccion");
        stem_is(a, "de", "häuser", "haus");
        stem_is(a, "en", "häuser", "häuser"); /* the same word in another language */
    }
    for (int i = 0; i < 17000; i++) {
        snprintf(w, sizeof(w), "walking%dings", i);
        const char *s = td_analyzer_stem(fresh, "en", w, strlen(w), &n);
        snprintf(want, sizeof(want), "%.*s", (int)n, s);
        s = td_analyzer_stem(a, "en", w, strlen(w), &n);
        if (n != strlen(want) || memcmp(s, want, n) != 0) {
            ASSERT_STR_EQ(w, want);
            break;
        }
        td_analyzer_free(fresh);
        fresh = td_analyzer_new();
    }
    stem_is(a, "en", "elections", "elect");
    td_analyzer_free(fresh);
    td_analyzer_free(a);
}

static void test_stopwords(void)
{
    ASSERT(td_text_is_stopword("en", "the", 3));
    ASSERT(td_text_is_stopword(NULL, "don't", 5));
    ASSERT(!td_text_is_stopword("en", "earthquake", 10));
    ASSERT(td_text_is_stopword("es", "porque", 6));
    ASSERT(td_text_is_stopword("de", "über", strlen("über")));
    ASSERT(!td_text_is_stopword("es", "the", 3));
    ASSERT(td_text_is_stopword("ES", "porque", 6));
    ASSERT(td_text_is_stopword("pt-BR", "não", strlen("não")));
    ASSERT(!td_text_is_stopword("en", "th", 2));
    ASSERT(!td_text_is_stopword("en", "thesaurus-like-words", 20));
    /* Unknown language, or a name rather than a code: English list. */
    ASSERT(td_text_is_stopword("xx", "and", 3));
    ASSERT(td_text_is_stopword("english", "and", 3));
    ASSERT(td_text_is_stopword("", "and", 3));
}

/* Split and join sentences with " || ". */
static void split(const char *text, char *out, size_t cap)
{
    struct td_span s[32];
    size_t n = td_sentences_split(text, strlen(text), s, 32), k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(out + k, cap - k, "%s%.*s", i ? " || " : "", (int)s[i].len,
                              text + s[i].off);
}

static void test_sentences(void)
{
    char o[1024];
    split("Mr. Smith met Dr. Jones at 3.5 p.m. yesterday. They spoke.", o, sizeof(o));
    ASSERT_STR_EQ(o, "Mr. Smith met Dr. Jones at 3.5 p.m. yesterday. || They spoke.");
    split("The U.S. Senate voted. Sales rose 1,000 units, e.g. in Texas.", o, sizeof(o));
    ASSERT_STR_EQ(o, "The U.S. Senate voted. || Sales rose 1,000 units, e.g. in Texas.");
    split("\"Go home.\" She left! Why? J. K. Rowling wrote it.", o, sizeof(o));
    ASSERT_STR_EQ(o, "\"Go home.\" || She left! || Why? || J. K. Rowling wrote it.");
    split("He waited... and waited. Then… Nothing.", o, sizeof(o));
    ASSERT_STR_EQ(o, "He waited... and waited. || Then… || Nothing.");
    split("今天天气很好。我们去公园！你呢？好", o, sizeof(o));
    ASSERT_STR_EQ(o, "今天天气很好。 || 我们去公园！ || 你呢？ || 好");
    split("¿Dónde está? ¡Aquí! Visit example.com today.", o, sizeof(o));
    ASSERT_STR_EQ(o, "¿Dónde está? || ¡Aquí! || Visit example.com today.");
    split("Headline without stop\n\nFirst paragraph.\n...\n", o, sizeof(o));
    ASSERT_STR_EQ(o, "Headline without stop || First paragraph.");
    split("", o, sizeof(o));
    ASSERT_STR_EQ(o, "");
}

static void test_sentences_cap(void)
{
    struct td_span s[2];
    const char *t = "One. Two. Three. Four.";
    ASSERT_EQ(td_sentences_split(t, strlen(t), s, 2), 2);
    ASSERT_EQ(s[1].off, 5);
    ASSERT_EQ(s[1].len, 4);
}

static const char *base_text =
    "The central bank raised interest rates by a quarter point on Wednesday, its third "
    "increase this year, saying inflation remained stubbornly high across the economy. "
    "Officials signalled that further increases were possible if prices kept rising, and "
    "markets reacted with a sharp fall in government bond prices. The governor told "
    "reporters that wage growth and energy costs were the main worries of the committee, "
    "which voted seven to two for the rise. Two members had argued for holding rates "
    "steady, pointing to weaker retail sales and a slowing housing market in the autumn. "
    "Economists at several banks now expect one more increase before the end of the year, "
    "followed by a long pause while the effect of higher borrowing costs works through. "
    "Mortgage lenders said they would pass the rise on to borrowers within days, adding "
    "to the pressure on households already squeezed by higher food and fuel bills.";

static void test_minhash(void)
{
    struct td_minhash a, b, c, d, e;
    char edited[4096];

    ASSERT(td_minhash(base_text, strlen(base_text), &a));
    ASSERT(td_minhash(base_text, strlen(base_text), &b));
    ASSERT(td_minhash_similarity(&a, &b) == 1.0);
    for (int i = 0; i < TD_MINHASH_BANDS; i++)
        ASSERT_EQ(td_minhash_band(&a, i), td_minhash_band(&b, i));
    ASSERT_NE(td_minhash_band(&a, 0), td_minhash_band(&a, 1));
    /* A wire copy: a dateline, one word changed, different case. */
    snprintf(edited, sizeof(edited), "LONDON (Reuters) - %s", base_text);
    memcpy(strstr(edited, "Wednesday"), "WEDNESDAY", 9);
    memcpy(strstr(edited, "sharp"), "steep", 5);
    ASSERT(td_minhash(edited, strlen(edited), &c));
    ASSERT(td_minhash_similarity(&a, &c) >= TD_MINHASH_NEAR);
    /* The same copy missing its last third is still one. */
    edited[strlen(edited) * 2 / 3] = '\0';
    ASSERT(td_minhash(edited, strlen(edited), &e));
    ASSERT(td_minhash_similarity(&a, &e) >= TD_MINHASH_NEAR);
    const char *other = "The football club announced on Sunday that its manager had signed a "
                        "new three year contract after leading the team to the league title "
                        "and a cup final in a remarkable season for the supporters.";
    ASSERT(td_minhash(other, strlen(other), &d));
    ASSERT(td_minhash_similarity(&a, &d) < 0.2);
    ASSERT(!td_minhash("too short to tell", 17, &d));
    ASSERT(!td_minhash("", 0, &d));
}

static void test_vectors_and_df(void)
{
    struct td_vec a = TD_VEC_INIT, b = TD_VEC_INIT;
    struct td_df df = TD_DF_INIT;
    struct td_analyzer *an = td_analyzer_new();

    td_vec_push(&a, 7, 1.0f);
    td_vec_push(&a, 3, 2.0f);
    td_vec_push(&a, 7, 1.0f);
    td_vec_finish(&a);
    ASSERT_EQ(a.n, 2);
    ASSERT_EQ(a.t[0].id, 3);
    ASSERT(fabsf(td_vec_get(&a, 7) - 2.0f) < 1e-6f);
    td_vec_push(&b, 7, 3.0f);
    td_vec_finish(&b);
    ASSERT(fabs(td_vec_dot(&a, &b) - 6.0) < 1e-9);
    td_vec_normalize(&a);
    ASSERT(fabs(td_vec_norm(&a) - 1.0) < 1e-6);
    td_vec_keep_top(&a, 1);
    ASSERT_EQ(a.n, 1);
    td_df_add(&df, &a);
    td_df_add(&df, &b);
    ASSERT_EQ(df.docs, 2);
    ASSERT_EQ(td_df_count(&df, 7), 1);
    ASSERT_EQ(td_df_count(&df, 99), 0);
    ASSERT(td_df_idf(&df, 99) > td_df_idf(&df, 7));
    td_vec_release(&a);
    td_vec_release(&b);
    /* Text to terms: stop words dropped, inflections merged, entities weighed up. */
    size_t n =
        td_vec_add_text(&a, an, "en", "The elections and the Election in Paris", 7, 1.0f, 2.0f);
    ASSERT_EQ(n, 1); /* only "elections": 7 bytes, "The" is a stop word */
    td_vec_release(&a);
    n = td_vec_add_text(&a, an, "en", "The elections, and an Election in Paris.", 40, 1.0f, 2.0f);
    ASSERT_EQ(n, 3);
    td_vec_finish(&a);
    ASSERT_EQ(a.n, 2);
    ASSERT(fabsf(td_vec_get(&a, td_text_term_id("elect", 5)) - 3.0f) < 1e-6f);
    ASSERT(fabsf(td_vec_get(&a, td_text_term_id("pari", 4)) - 2.0f) < 1e-6f);
    td_vec_release(&a);
    td_df_release(&df);
    td_analyzer_free(an);
}

/* The hand-made story set: three outlets on each of two stories, and two
 * unrelated articles. */
struct art {
    const char *title, *text, *outlet;
    int64_t t;
};

static const struct art quake[3] = {
    {"Strong earthquake strikes northern Japan",
     "A magnitude 7.1 earthquake struck off the coast of northern Japan on Monday, shaking "
     "buildings in Sendai and prompting a tsunami warning for the Miyagi coast. Officials said "
     "there were no immediate reports of serious damage.",
     "Reuters", 1700000000},
    {"Japan earthquake triggers tsunami warning",
     "Japan issued a tsunami warning after a powerful earthquake hit the northern Miyagi region "
     "on Monday. Residents of Sendai felt strong shaking and trains were halted while officials "
     "checked the nuclear plants.",
     "AP", 1700003600},
    {"Tsunami alert after quake off Miyagi",
     "The earthquake off Miyagi prefecture in Japan led the meteorological agency to issue a "
     "tsunami alert. Sendai residents moved to higher ground as the agency measured the quake at "
     "magnitude 7.1.",
     "BBC", 1700007200},
};

static const struct art vote[3] = {
    {"Parliament passes budget after late-night vote",
     "Lawmakers approved the national budget in a late-night parliamentary vote on Tuesday after "
     "the finance minister agreed to raise pension spending. The opposition voted against the "
     "budget, calling the spending plan reckless.",
     "Reuters", 1700010000},
    {"Budget approved by parliament",
     "The finance minister's budget was approved by parliament late on Tuesday. Pension spending "
     "will rise under the plan, which the opposition called reckless, and the vote was closer "
     "than expected.",
     "Guardian", 1700012000},
    {"Opposition fails to block budget vote",
     "Opposition parties failed to block the budget in Tuesday's parliamentary vote. The finance "
     "minister defended higher pension spending as the budget passed late at night.",
     "AP", 1700014000},
};

static const struct art other[2] = {
    {"New species of frog found in rainforest",
     "Biologists have described a new species of tree frog from the Amazon rainforest, "
     "distinguished by its bright blue markings and unusual mating call recorded at night.",
     "Nature News", 1700001000},
    {"Chef opens vegetarian restaurant",
     "A celebrated chef has opened a vegetarian restaurant in Lyon, serving seasonal dishes "
     "built around mushrooms, root vegetables and local cheeses.",
     "Le Monde", 1700002000},
};

static uint32_t add(struct td_story_index *idx, const struct art *a, uint64_t ref,
                    struct td_story_placed *p)
{
    struct td_story_article in = {.ref = ref,
                                  .title = a->title,
                                  .text = a->text,
                                  .text_len = strlen(a->text),
                                  .language = "en",
                                  .outlet = a->outlet,
                                  .published = a->t};
    ASSERT_OK(td_story_index_add(idx, &in, p));
    return p->story;
}

static void test_cluster_grouping(void)
{
    struct td_story_index *idx = td_story_index_new(NULL);
    struct td_story_placed p;
    uint32_t q[3], v[3], o[2];

    q[0] = add(idx, &quake[0], 1, &p);
    ASSERT(p.new_story);
    o[0] = add(idx, &other[0], 2, &p);
    v[0] = add(idx, &vote[0], 3, &p);
    q[1] = add(idx, &quake[1], 4, &p);
    ASSERT(!p.new_story);
    ASSERT_EQ(p.duplicate_of, UINT32_MAX);
    o[1] = add(idx, &other[1], 5, &p);
    v[1] = add(idx, &vote[1], 6, &p);
    q[2] = add(idx, &quake[2], 7, &p);
    v[2] = add(idx, &vote[2], 8, &p);
    ASSERT_EQ(q[0], q[1]);
    ASSERT_EQ(q[0], q[2]);
    ASSERT_EQ(v[0], v[1]);
    ASSERT_EQ(v[0], v[2]);
    ASSERT_NE(q[0], v[0]);
    ASSERT_NE(o[0], o[1]);
    ASSERT_NE(o[0], q[0]);
    ASSERT_NE(o[1], v[0]);
    ASSERT_EQ(td_story_index_stories(idx), 4);
    ASSERT_EQ(td_story_index_count(idx), 8);
    /* Ids are stable: more articles do not move the earlier ones. */
    struct art later = quake[1];
    later.title = "Aftershocks rattle Sendai after Japan earthquake";
    later.t += 7200;
    uint32_t q3 = add(idx, &later, 9, &p);
    ASSERT_EQ(q3, q[0]);
    for (uint32_t i = 0; i < 8; i++)
        ASSERT_NE(td_story_index_story_of(idx, i), 0);
    ASSERT_EQ(td_story_index_story_of(idx, 0), q[0]);
    ASSERT_EQ(td_story_index_story_of(idx, 7), v[2]);
    ASSERT_EQ(td_story_index_story_of(idx, 100), 0);
    ASSERT_EQ(td_story_index_story_size(idx, q[0]), 4);
    ASSERT_EQ(td_story_index_story_size(idx, 0), 0);
    ASSERT_EQ(td_story_index_story_size(idx, 1000), 0);

    struct td_story_info info;
    ASSERT_OK(td_story_index_story(idx, q[0], &info));
    ASSERT_EQ(info.n_articles, 4);
    ASSERT_EQ(info.n_outlets, 3);
    ASSERT_STR_EQ(info.outlets[0], "Reuters");
    ASSERT_STR_EQ(info.outlets[2], "BBC");
    ASSERT_EQ(info.first_seen, quake[0].t);
    ASSERT_EQ(info.last_seen, later.t);
    ASSERT_EQ(info.timeline[0].ref, 1);
    ASSERT_EQ(info.timeline[3].ref, 9);
    ASSERT(strstr(info.headline, "apan") != NULL);
    td_story_info_release(&info);
    ASSERT_EQ(td_story_index_story(idx, 999, &info), TD_ENOTFOUND);
    td_story_index_free(idx);
}

static void test_cluster_copies_and_related(void)
{
    struct td_story_index *idx = td_story_index_new(NULL);
    struct td_story_placed p;
    struct td_story_member rel[8];

    for (int i = 0; i < 3; i++)
        add(idx, &quake[i], (uint64_t)(10 + i), &p);
    for (int i = 0; i < 3; i++)
        add(idx, &vote[i], (uint64_t)(20 + i), &p);
    /* A repost of the first quake article by another outlet. */
    struct art copy = quake[0];
    copy.outlet = "Yahoo";
    copy.t += 60;
    add(idx, &copy, 30, &p);
    ASSERT_EQ(p.duplicate_of, 0);
    ASSERT_EQ(p.story, td_story_index_story_of(idx, 0));
    size_t n = td_story_index_related(idx, 0, rel, 8);
    /* Its story first (newest first), never itself or its copy, then the rest. */
    ASSERT_GE(n, 2);
    ASSERT_EQ(rel[0].ref, 12);
    ASSERT_EQ(rel[1].ref, 11);
    for (size_t i = 0; i < n; i++) {
        ASSERT_NE(rel[i].ref, 10);
        ASSERT_NE(rel[i].ref, 30);
    }
    for (size_t i = 2; i < n; i++)
        ASSERT_GE(rel[i].ref, 20);
    /* From the copy's side: the original is excluded too. */
    n = td_story_index_related(idx, 6, rel, 2);
    ASSERT_EQ(n, 2);
    ASSERT_EQ(rel[0].ref, 12);
    ASSERT_EQ(td_story_index_related(idx, 99, rel, 8), 0);
    td_story_index_free(idx);
}

static void test_cluster_window_and_rebuild(void)
{
    struct td_story_opts opts = {24 * 3600};
    struct td_story_index *idx = td_story_index_new(&opts);
    struct td_story_placed p;
    uint32_t s0 = add(idx, &quake[0], 1, &p);
    struct art late = quake[1];
    late.t += 10 * 86400; /* ten days later: outside the window */
    uint32_t s1 = add(idx, &late, 2, &p);
    ASSERT_NE(s0, s1);
    ASSERT(p.new_story);
    td_story_index_free(idx);

    /* Rebuild: stored story ids are restored whatever the content says. */
    idx = td_story_index_new(NULL);
    struct td_story_article in = {.ref = 5,
                                  .title = vote[0].title,
                                  .text = vote[0].text,
                                  .text_len = strlen(vote[0].text),
                                  .story = 42};
    ASSERT_OK(td_story_index_add(idx, &in, &p));
    ASSERT_EQ(p.story, 42);
    ASSERT(p.new_story);
    in.ref = 6;
    in.story = 0;
    in.title = vote[1].title;
    in.text = vote[1].text;
    in.text_len = strlen(vote[1].text);
    ASSERT_OK(td_story_index_add(idx, &in, &p));
    ASSERT_EQ(p.story, 42);
    ASSERT(!p.new_story);
    /* New stories continue after the highest stored id. */
    in.title = other[0].title;
    in.text = other[0].text;
    in.text_len = strlen(other[0].text);
    ASSERT_OK(td_story_index_add(idx, &in, &p));
    ASSERT_EQ(p.story, 43);
    /* An empty article still gets a story. */
    struct td_story_article empty = {.ref = 9};
    ASSERT_OK(td_story_index_add(idx, &empty, &p));
    ASSERT_EQ(p.story, 44);
    in.story = TD_STORY_MAX_ARTICLES;
    ASSERT_EQ(td_story_index_add(idx, &in, &p), TD_EINVAL);
    td_story_index_free(idx);
}

/* Per-language stemming lets inflected Spanish reports meet in one story. */
static void test_cluster_spanish(void)
{
    static const struct art es[4] = {
        {"El Congreso aprueba los presupuestos",
         "Los diputados aprobaron los presupuestos generales del Estado en una votación "
         "ajustada el martes, después de que el Gobierno aceptara subir las pensiones.",
         "El País", 1700000000},
        {"Presupuestos aprobados tras una votación ajustada",
         "El Congreso aprobó el presupuesto general en la votación del martes; el Gobierno "
         "subirá la pensión mínima, y la oposición votó en contra de las cuentas.",
         "El Mundo", 1700003600},
        {"Récord de calor en Sevilla",
         "Sevilla registró la temperatura más alta del año, con cuarenta y cuatro grados a la "
         "sombra, y las autoridades pidieron evitar salir a la calle por la tarde.",
         "ABC", 1700004000},
        {"La oposición no logra frenar los presupuestos",
         "La oposición no consiguió frenar los presupuestos en el Congreso: las pensiones "
         "subirán y el Gobierno celebra la votación.",
         "RTVE", 1700005000},
    };
    struct td_story_index *idx = td_story_index_new(NULL);
    struct td_story_placed p;
    uint32_t s[4];
    for (int i = 0; i < 4; i++) {
        struct td_story_article in = {.ref = (uint64_t)i,
                                      .title = es[i].title,
                                      .text = es[i].text,
                                      .text_len = strlen(es[i].text),
                                      .language = "es",
                                      .outlet = es[i].outlet,
                                      .published = es[i].t};
        ASSERT_OK(td_story_index_add(idx, &in, &p));
        s[i] = p.story;
    }
    ASSERT_EQ(s[0], s[1]);
    ASSERT_EQ(s[0], s[3]);
    ASSERT_NE(s[0], s[2]);
    td_story_index_free(idx);
}

static const char *article =
    "The city council approved a plan on Monday to build a new light rail line across the city. "
    "The rail line will connect the airport with the university and the central station. "
    "Weather was mild on the day of the meeting. "
    "Council members said the rail line would cost 2.1 billion dollars and open in 2030. "
    "A local bakery celebrated its anniversary with free bread. "
    "Critics of the rail plan argued that the council had underestimated the cost of the line. "
    "The mayor said construction of the rail line would start next year.";

static void test_keypoints_article(void)
{
    struct td_analyzer *a = td_analyzer_new();
    struct td_span s[TD_KEYPOINTS_MAX];
    const char *title = "Council approves light rail line";

    for (size_t n = 1; n <= 5; n++) {
        size_t got = td_keypoints_article(a, "en", title, article, strlen(article), n, s);
        ASSERT_EQ(got, n);
        for (size_t i = 1; i < got; i++)
            ASSERT_GT(s[i].off, s[i - 1].off); /* article order */
        for (size_t i = 0; i < got; i++) {
            ASSERT(strncmp(article + s[i].off, "Weather", 7) != 0);
            ASSERT(strncmp(article + s[i].off, "A local bakery", 14) != 0);
        }
    }
    size_t got = td_keypoints_article(a, "en", title, article, strlen(article), 3, s);
    ASSERT_EQ(got, 3);
    ASSERT_EQ(s[0].off, 0); /* the opening sentence is central here */
    /* More sentences asked than there are: all of them, capped. */
    ASSERT_EQ(td_keypoints_article(a, "en", NULL, "One short line here only.", 25, 5, s), 1);
    ASSERT_EQ(td_keypoints_article(a, "en", NULL, "", 0, 5, s), 0);
    ASSERT_EQ(td_keypoints_article(a, "en", NULL, article, strlen(article), 0, s), 0);
    td_analyzer_free(a);
}

static void test_keypoints_story_no_repeat(void)
{
    struct td_analyzer *a = td_analyzer_new();
    struct td_keypoints_doc docs[3];
    struct td_keypoint kp[TD_KEYPOINTS_MAX];
    for (int i = 0; i < 3; i++) {
        docs[i].title = quake[i].title;
        docs[i].text = quake[i].text;
        docs[i].len = strlen(quake[i].text);
        docs[i].lang = "en";
    }
    /* The second outlet repeats the first one's opening sentence verbatim. */
    char repeat[1024];
    snprintf(repeat, sizeof(repeat), "%s", quake[0].text);
    docs[1].text = repeat;
    docs[1].len = strlen(repeat);
    size_t n = td_keypoints_story(a, docs, 3, 4, kp);
    ASSERT_GE(n, 3);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const struct td_keypoint *x = &kp[i], *y = &kp[j];
            bool same =
                x->span.len == y->span.len && !memcmp(docs[x->doc].text + x->span.off,
                                                      docs[y->doc].text + y->span.off, x->span.len);
            ASSERT(!same);
            ASSERT(x->doc < y->doc || (x->doc == y->doc && x->span.off < y->span.off));
        }
    td_analyzer_free(a);
}

/* The share of distinct lower-case words two sentences have in common (Jaccard). */
static double word_overlap(const char *a, size_t alen, const char *b, size_t blen)
{
    char wa[64][24], wb[64][24];
    size_t na = 0, nb = 0, shared = 0;
    const char *src[2] = {a, b};
    size_t len[2] = {alen, blen}, *cnt[2] = {&na, &nb};
    char(*dst[2])[24] = {wa, wb};

    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < len[k];) {
            char w[24];
            size_t n = 0;
            while (i < len[k] && !isalnum((unsigned char)src[k][i]))
                i++;
            while (i < len[k] && isalnum((unsigned char)src[k][i])) {
                if (n < sizeof(w) - 1)
                    w[n++] = (char)tolower((unsigned char)src[k][i]);
                i++;
            }
            w[n] = '\0';
            bool dup = n == 0;
            for (size_t j = 0; j < *cnt[k] && !dup; j++)
                dup = !strcmp(dst[k][j], w);
            if (!dup && *cnt[k] < 64)
                memcpy(dst[k][(*cnt[k])++], w, sizeof(w));
        }
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (!strcmp(wa[i], wb[j]))
                shared++;
    return na + nb - shared ? (double)shared / (double)(na + nb - shared) : 0;
}

static void test_keypoints_story_facts_order_cap(void)
{
    struct td_analyzer *a = td_analyzer_new();
    struct td_keypoint kp[TD_KEYPOINTS_MAX];
    /* Three outlets; the second and third retell the first one's facts in
     * nearly the same words, and each adds one fact of its own. */
    static const char *texts[3] = {
        "A magnitude 7.1 earthquake struck off the coast of northern Japan on Monday morning. "
        "Buildings shook in Sendai and a tsunami warning was issued for the Miyagi coast. "
        "Officials said there were no immediate reports of serious damage or injuries.",
        "A magnitude 7.1 earthquake hit off the coast of northern Japan on Monday morning. "
        "Bullet trains between Tokyo and Sendai were halted while engineers inspected the tracks. "
        "Officials said there were no immediate reports of serious damage or injuries.",
        "Buildings shook in Sendai and a tsunami warning was issued for the whole Miyagi coast. "
        "The nuclear regulator said the Onagawa plant was checked and showed no abnormalities. "
        "Residents of low-lying districts moved to higher ground until the warning was lifted.",
    };
    struct td_keypoints_doc docs[3];
    for (int i = 0; i < 3; i++)
        docs[i] = (struct td_keypoints_doc){quake[i].title, texts[i], strlen(texts[i]), "en"};

    /* Nine sentences, six facts: asked for more, it gives the six, once each. */
    size_t n = td_keypoints_story(a, docs, 3, 8, kp);
    ASSERT_EQ(n, 6);
    for (size_t i = 0; i < n; i++) {
        ASSERT_LT(kp[i].doc, 3);
        ASSERT_LE(kp[i].span.off + kp[i].span.len, docs[kp[i].doc].len);
        for (size_t j = i + 1; j < n; j++) {
            /* Article order, then position within the article. */
            ASSERT(kp[i].doc < kp[j].doc ||
                   (kp[i].doc == kp[j].doc && kp[i].span.off < kp[j].span.off));
            /* No fact twice: no two points share most of their words. */
            ASSERT(word_overlap(texts[kp[i].doc] + kp[i].span.off, kp[i].span.len,
                                texts[kp[j].doc] + kp[j].span.off, kp[j].span.len) < 0.6);
        }
    }
    /* Among them every outlet's own fact. */
    bool trains = false, plant = false;
    for (size_t i = 0; i < n; i++) {
        trains |= kp[i].doc == 1 && !strncmp(texts[1] + kp[i].span.off, "Bullet trains", 13);
        plant |= kp[i].doc == 2 && !strncmp(texts[2] + kp[i].span.off, "The nuclear", 11);
    }
    ASSERT(trains);
    ASSERT(plant);

    /* The cap: what is asked, never more than TD_KEYPOINTS_MAX, nothing from nothing. */
    ASSERT_LE(td_keypoints_story(a, docs, 3, 2, kp), 2);
    ASSERT_LE(td_keypoints_story(a, docs, 3, 1000, kp), TD_KEYPOINTS_MAX);
    ASSERT_EQ(td_keypoints_story(a, docs, 3, 0, kp), 0);
    ASSERT_EQ(td_keypoints_story(a, docs, 0, 5, kp), 0);
    td_analyzer_free(a);
}

static void test_keywords_entities(void)
{
    struct td_analyzer *a = td_analyzer_new();
    struct td_keyword k[10];
    const char *text = "The Bank of America said on Monday that NATO officials met in Paris. "
                       "Paris police closed roads. Yesterday the Bank of America results "
                       "surprised analysts. Analysts expected weaker results from the bank.";
    size_t n = td_entities_extract("en", text, strlen(text), k, 10);
    ASSERT_GE(n, 3);
    ASSERT_STR_EQ(k[0].text, "Bank of America");
    ASSERT_EQ((int)k[0].score, 2);
    /* "Paris" opening a sentence is not counted; in mid-sentence it is. */
    bool nato = false, yesterday = false, the = false, paris = false;
    for (size_t i = 0; i < n; i++) {
        nato |= !strcmp(k[i].text, "NATO");
        if (!strcmp(k[i].text, "Paris")) {
            paris = true;
            ASSERT_EQ((int)k[i].score, 1);
        }
        yesterday |= !strcmp(k[i].text, "Yesterday");
        the |= !strncmp(k[i].text, "The", 3);
    }
    ASSERT(nato);
    ASSERT(paris);
    ASSERT(!yesterday);
    ASSERT(!the);
    n = td_keywords_extract(a, "en", "Bank results surprise analysts", text, strlen(text), NULL, k,
                            5);
    ASSERT_EQ(n, 5);
    ASSERT_STR_EQ(k[0].text, "bank");
    for (size_t i = 0; i < n; i++)
        ASSERT(strcmp(k[i].text, "the") && strcmp(k[i].text, "of"));
    td_analyzer_free(a);
}

static void test_rouge_hand_computed(void)
{
    /* cand "the cat sat on the mat", ref "the cat lay on the mat":
     * unigrams: 5 of 6 match -> P = R = F = 5/6;
     * bigrams: cand {the cat, cat sat, sat on, on the, the mat}, ref {the cat, cat lay,
     * lay on, on the, the mat}: 3 of 5 -> 0.6;
     * LCS "the cat on the mat" = 5 -> 5/6. */
    struct td_str c[] = {TD_STR_LIT("The cat sat on the mat.")};
    struct td_str r[] = {TD_STR_LIT("the cat lay on the mat")};
    struct td_rouge x = td_rouge_n(c, 1, r, 1, 1);
    ASSERT(fabs(x.p - 5.0 / 6) < 1e-9 && fabs(x.r - 5.0 / 6) < 1e-9 && fabs(x.f - 5.0 / 6) < 1e-9);
    x = td_rouge_n(c, 1, r, 1, 2);
    ASSERT(fabs(x.f - 0.6) < 1e-9);
    x = td_rouge_l(c, 1, r, 1);
    ASSERT(fabs(x.f - 5.0 / 6) < 1e-9);

    /* Lin 2004's summary-level example: r = w1 w2 w3 w4 w5, c1 = w1 w2 w6 w7 w8,
     * c2 = w1 w3 w8 w9 w5.  Union LCS = w1 w2 w3 w5 (4 hits): R = 4/5, P = 4/10. */
    struct td_str c2[] = {TD_STR_LIT("w1 w2 w6 w7 w8"), TD_STR_LIT("w1 w3 w8 w9 w5")};
    struct td_str r2[] = {TD_STR_LIT("w1 w2 w3 w4 w5")};
    x = td_rouge_l(c2, 2, r2, 1);
    ASSERT(fabs(x.r - 0.8) < 1e-9);
    ASSERT(fabs(x.p - 0.4) < 1e-9);
    ASSERT(fabs(x.f - 2 * 0.8 * 0.4 / 1.2) < 1e-9);

    /* Clipping: "the the the" against "the cat": 1 unigram hit; P = 1/3, R = 1/2. */
    struct td_str c3[] = {TD_STR_LIT("the the the")};
    struct td_str r3[] = {TD_STR_LIT("the cat")};
    x = td_rouge_n(c3, 1, r3, 1, 1);
    ASSERT(fabs(x.p - 1.0 / 3) < 1e-9 && fabs(x.r - 0.5) < 1e-9);
    /* n-grams do not cross sentences: two one-word sentences have no bigram. */
    struct td_str c4[] = {TD_STR_LIT("the"), TD_STR_LIT("cat")};
    x = td_rouge_n(c4, 2, r3, 1, 2);
    ASSERT(x.p == 0 && x.r == 0 && x.f == 0);
    /* Empty candidate. */
    x = td_rouge_l(NULL, 0, r3, 1);
    ASSERT(x.f == 0);
}

/* The sharded map: many keys across every shard, each kept with its value. */
static void test_map(void)
{
    struct td_map m = TD_MAP_INIT;
    bool created;

    ASSERT(td_map_get(&m, 5) == NULL);
    for (uint64_t k = 1; k <= 200000; k++) {
        uint32_t *v = td_map_put(&m, k * 0x9E3779B97F4A7C15ULL, &created);
        ASSERT(created);
        *v = (uint32_t)k;
    }
    ASSERT_EQ(m.n, 200000);
    for (uint64_t k = 1; k <= 200000; k++) {
        uint32_t *v = td_map_get(&m, k * 0x9E3779B97F4A7C15ULL);
        ASSERT(v != NULL);
        ASSERT_EQ(*v, k);
    }
    ASSERT(td_map_get(&m, 0) == NULL);
    ASSERT(td_map_get(&m, 3) == NULL);
    (*td_map_put(&m, 0x9E3779B97F4A7C15ULL, &created))++;
    ASSERT(!created);
    ASSERT_EQ(*td_map_get(&m, 0x9E3779B97F4A7C15ULL), 2);
    ASSERT_EQ(m.n, 200000);
    td_map_release(&m);
    ASSERT(td_map_get(&m, 0x9E3779B97F4A7C15ULL) == NULL);
    td_map_release(&m);
}

/*
 * Keys and values stay right while shards are between two tables: every
 * insertion is followed by lookups and updates of older keys, some of
 * which are still in a shard's old table.
 */
static void test_map_incremental_growth(void)
{
    enum { N = 60000 };
    struct td_map m = TD_MAP_INIT;
    uint32_t *want = td_xcalloc(N + 1, sizeof(*want));
    bool created, saw_old = false;

    for (uint32_t k = 1; k <= N; k++) {
        uint32_t *v = td_map_put(&m, (uint64_t)k * 0x9E3779B97F4A7C15ULL, &created);
        ASSERT(created);
        *v = want[k] = k;
        /* An older key through put (found, not created), then through get. */
        uint32_t j = k / 3 + 1;
        v = td_map_put(&m, (uint64_t)j * 0x9E3779B97F4A7C15ULL, &created);
        ASSERT(!created);
        *v = ++want[j];
        uint32_t g = k / 2 + 1;
        ASSERT(td_map_get(&m, (uint64_t)g * 0x9E3779B97F4A7C15ULL) != NULL);
        ASSERT_EQ(*td_map_get(&m, (uint64_t)g * 0x9E3779B97F4A7C15ULL), want[g]);
        for (size_t s = 0; s < TD_MAP_SHARDS && !saw_old; s++)
            saw_old = m.shards[s].old_keys != NULL;
    }
    ASSERT(saw_old);
    ASSERT_EQ(m.n, N);
    for (uint32_t k = 1; k <= N; k++)
        ASSERT_EQ(*td_map_get(&m, (uint64_t)k * 0x9E3779B97F4A7C15ULL), want[k]);
    ASSERT(td_map_get(&m, (uint64_t)(N + 1) * 0x9E3779B97F4A7C15ULL) == NULL);
    td_map_release(&m);
    free(want);
}

/* The chunked array: new elements zeroed, and an element never moves. */
static void test_seg(void)
{
    struct td_seg s;
    uint64_t *first, *at1000;

    td_seg_init(&s, sizeof(uint64_t));
    ASSERT_EQ(s.n, 0);
    first = td_seg_push(&s);
    ASSERT_EQ(*first, 0);
    *first = 7;
    td_seg_resize(&s, 1001);
    at1000 = td_seg_at(&s, 1000);
    ASSERT_EQ(*at1000, 0);
    *at1000 = 1000;
    for (size_t i = 1001; i < 100000; i++)
        *(uint64_t *)td_seg_push(&s) = i;
    ASSERT_EQ(s.n, 100000);
    ASSERT(td_seg_at(&s, 0) == first && td_seg_at(&s, 1000) == at1000);
    ASSERT_EQ(*first, 7);
    ASSERT_EQ(*(uint64_t *)td_seg_at(&s, 500), 0);
    for (size_t i = 1000; i < 100000; i++)
        ASSERT_EQ(*(uint64_t *)td_seg_at(&s, i), i);
    td_seg_resize(&s, 10); /* never shrinks */
    ASSERT_EQ(s.n, 100000);
    td_seg_release(&s);
    td_seg_release(&s);
}

static void test_tag_slug(void)
{
    char out[TD_KEYWORD_MAX];
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"World News", "world-news"},
        {"  U.S. Politics & Policy!  ", "u-s-politics-policy"},
        {"Zürich", "zürich"},
        {"STRASSE", "strasse"},
        {"東京 オリンピック", "東京-オリンピック"},
        {"COVID-19", "covid-19"},
        {"<script>alert(1)</script>", "script-alert-1-script"},
        {"a/b?c#d%e", "a-b-c-d-e"},
        {"---", ""},
        {"", ""},
    };

    for (size_t i = 0; i < TD_ARRAY_SIZE(cases); i++) {
        size_t n = td_tag_slug(cases[i].in, strlen(cases[i].in), out, sizeof(out));
        ASSERT_STR_EQ(out, cases[i].want);
        ASSERT_EQ(n, strlen(cases[i].want));
    }
    /* Cut at a character, never inside one, and always terminated. */
    ASSERT_EQ(td_tag_slug("ééééé", 10, out, 6), 4);
    ASSERT_STR_EQ(out, "éé");
    ASSERT_EQ(td_tag_slug("abc", 3, out, 1), 0);
    ASSERT_STR_EQ(out, "");
}

static const struct tap_test tests[] = {
    TAP_TEST(test_tokenize_fold),
    TAP_TEST(test_tokenize_cjk_and_bad_bytes),
    TAP_TEST(test_tokenize_flags),
    TAP_TEST(test_stem_languages),
    TAP_TEST(test_stem_remembered),
    TAP_TEST(test_stopwords),
    TAP_TEST(test_sentences),
    TAP_TEST(test_sentences_cap),
    TAP_TEST(test_minhash),
    TAP_TEST(test_map),
    TAP_TEST(test_map_incremental_growth),
    TAP_TEST(test_seg),
    TAP_TEST(test_vectors_and_df),
    TAP_TEST(test_cluster_grouping),
    TAP_TEST(test_cluster_copies_and_related),
    TAP_TEST(test_cluster_window_and_rebuild),
    TAP_TEST(test_cluster_spanish),
    TAP_TEST(test_keypoints_article),
    TAP_TEST(test_keypoints_story_no_repeat),
    TAP_TEST(test_keypoints_story_facts_order_cap),
    TAP_TEST(test_keywords_entities),
    TAP_TEST(test_tag_slug),
    TAP_TEST(test_rouge_hand_computed),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
