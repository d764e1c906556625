/*
 * analyzer.c - the language-dependent half of text analysis: Snowball
 * stemmers (libstemmer) created on demand, and stop-word lists.
 *
 * The stop-word lists are short, hand-written lists of function words for
 * the languages the project sees most; a language without a list falls back
 * to English, which at worst keeps a few extra words.
 */
#include "text/tokenize.h"

#include <libstemmer.h>

/* Sorted by byte value: looked up with bsearch. */
static const char *const stop_en[] = {
    "a",       "about",    "above",      "after",      "again",     "against", "all",
    "also",    "am",       "an",         "and",        "any",       "are",     "aren't",
    "as",      "at",       "be",         "because",    "been",      "before",  "being",
    "below",   "between",  "both",       "but",        "by",        "can",     "can't",
    "cannot",  "could",    "couldn't",   "did",        "didn't",    "do",      "does",
    "doesn't", "doing",    "don't",      "down",       "during",    "each",    "even",
    "few",     "for",      "from",       "further",    "had",       "hadn't",  "has",
    "hasn't",  "have",     "haven't",    "having",     "he",        "he'd",    "he'll",
    "he's",    "her",      "here",       "here's",     "hers",      "herself", "him",
    "himself", "his",      "how",        "how's",      "however",   "i",       "i'd",
    "i'll",    "i'm",      "i've",       "if",         "in",        "into",    "is",
    "isn't",   "it",       "it's",       "its",        "itself",    "just",    "let's",
    "may",     "me",       "might",      "more",       "most",      "much",    "must",
    "mustn't", "my",       "myself",     "no",         "nor",       "not",     "now",
    "of",      "off",      "on",         "once",       "one",       "only",    "or",
    "other",   "ought",    "our",        "ours",       "ourselves", "out",     "over",
    "own",     "said",     "same",       "says",       "shall",     "shan't",  "she",
    "she'd",   "she'll",   "she's",      "should",     "shouldn't", "since",   "so",
    "some",    "still",    "such",       "than",       "that",      "that's",  "the",
    "their",   "theirs",   "them",       "themselves", "then",      "there",   "there's",
    "these",   "they",     "they'd",     "they'll",    "they're",   "they've", "this",
    "those",   "though",   "through",    "to",         "too",       "under",   "until",
    "up",      "upon",     "us",         "very",       "was",       "wasn't",  "we",
    "we'd",    "we'll",    "we're",      "we've",      "were",      "weren't", "what",
    "what's",  "when",     "when's",     "where",      "where's",   "whether", "which",
    "while",   "who",      "who's",      "whom",       "whose",     "why",     "why's",
    "will",    "with",     "within",     "without",    "won't",     "would",   "wouldn't",
    "yet",     "you",      "you'd",      "you'll",     "you're",    "you've",  "your",
    "yours",   "yourself", "yourselves",
};

static const char *const stop_es[] = {
    "a",      "al",    "algo",   "algunas", "algunos", "ante",   "antes",  "como",     "con",
    "contra", "cual",  "cuando", "de",      "del",     "desde",  "donde",  "durante",  "e",
    "el",     "ella",  "ellas",  "ellos",   "en",      "entre",  "era",    "eran",     "es",
    "esa",    "esas",  "ese",    "eso",     "esos",    "esta",   "estaba", "estaban",  "estado",
    "estar",  "este",  "esto",   "estos",   "fue",     "fueron", "ha",     "han",      "hasta",
    "hay",    "la",    "las",    "le",      "les",     "lo",     "los",    "me",       "mi",
    "mucho",  "muy",   "más",    "nada",    "ni",      "no",     "nos",    "nosotros", "o",
    "os",     "otra",  "otras",  "otro",    "otros",   "para",   "pero",   "poco",     "por",
    "porque", "que",   "quien",  "se",      "sea",     "ser",    "si",     "sido",     "sin",
    "sobre",  "son",   "su",     "sus",     "también", "tanto",  "te",     "tiene",    "tienen",
    "todo",   "todos", "tu",     "un",      "una",     "uno",    "unos",   "y",        "ya",
    "yo",     "él",
};

static const char *const stop_fr[] = {
    "a",   "au",  "aux",  "avait", "avec",  "ce",    "ces",   "cette", "comme", "d",     "dans",
    "de",  "des", "du",   "elle",  "elles", "en",    "est",   "et",    "il",    "ils",   "je",
    "l",   "la",  "le",   "les",   "leur",  "leurs", "lui",   "m",     "mais",  "me",    "mes",
    "moi", "mon", "même", "n",     "ne",    "nos",   "notre", "nous",  "on",    "ont",   "ou",
    "où",  "par", "pas",  "plus",  "pour",  "qu",    "que",   "qui",   "s",     "sa",    "se",
    "ses", "son", "sont", "sur",   "ta",    "te",    "tes",   "toi",   "ton",   "tous",  "tout",
    "tu",  "un",  "une",  "vos",   "votre", "vous",  "y",     "à",     "ça",    "était", "été",
};

static const char *const stop_de[] = {
    "aber",   "als",  "am",   "an",    "auch", "auf",  "aus",   "bei",   "bin",   "bis",   "da",
    "damit",  "dann", "das",  "dass",  "dem",  "den",  "der",   "des",   "die",   "dies",  "diese",
    "dieser", "doch", "du",   "durch", "ein",  "eine", "einem", "einen", "einer", "eines", "er",
    "es",     "für",  "hat",  "hatte", "ich",  "ihr",  "im",    "in",    "ist",   "ja",    "kann",
    "man",    "mit",  "nach", "nicht", "noch", "nur",  "ob",    "oder",  "sein",  "sich",  "sie",
    "sind",   "so",   "um",   "und",   "uns",  "von",  "vor",   "war",   "waren", "was",   "wenn",
    "werden", "wie",  "wir",  "wird",  "zu",   "zum",  "zur",   "über",
};

static const char *const stop_it[] = {
    "a",      "ad",     "agli",  "al",     "alla", "alle", "anche", "che",    "chi",
    "ci",     "come",   "con",   "contro", "da",   "dal",  "dalla", "degli",  "dei",
    "del",    "della",  "delle", "di",     "e",    "ed",   "gli",   "ha",     "hanno",
    "i",      "il",     "in",    "la",     "le",   "lo",   "ma",    "mi",     "ne",
    "negli",  "nei",    "nel",   "nella",  "non",  "o",    "per",   "perché", "più",
    "quando", "questo", "se",    "si",     "sono", "su",   "sua",   "sue",    "sul",
    "sulla",  "suo",    "tra",   "un",     "una",  "uno",  "è",
};

static const char *const stop_pt[] = {
    "a",    "ao",     "aos",  "as",  "com",  "como",  "da",    "das", "de",   "do",
    "dos",  "e",      "ela",  "ele", "eles", "em",    "entre", "era", "essa", "esse",
    "esta", "este",   "eu",   "foi", "for",  "foram", "isso",  "já",  "mais", "mas",
    "me",   "muito",  "na",   "nas", "no",   "nos",   "não",   "o",   "os",   "ou",
    "para", "pela",   "pelo", "por", "que",  "se",    "sem",   "ser", "seu",  "sua",
    "são",  "também", "um",   "uma", "à",    "é",
};

static const char *const stop_nl[] = {
    "aan",  "al",  "als",    "bij",   "dan",  "dat", "de",    "den",  "der", "die", "dit",
    "door", "een", "en",     "er",    "had",  "heb", "heeft", "het",  "hij", "hoe", "ik",
    "in",   "is",  "je",     "kan",   "maar", "met", "naar",  "niet", "nog", "of",  "om",
    "ook",  "op",  "over",   "te",    "tot",  "uit", "van",   "voor", "was", "wat", "we",
    "werd", "wie", "worden", "wordt", "zal",  "ze",  "zich",  "zijn",
};

struct stoplist {
    const char *lang;
    const char *const *words;
    size_t n;
};

#define STOPLIST(code)                                                                             \
    {                                                                                              \
#code, stop_##code, TD_ARRAY_SIZE(stop_##code)                                             \
    }
static const struct stoplist stoplists[] = {
    STOPLIST(en), STOPLIST(es), STOPLIST(fr), STOPLIST(de),
    STOPLIST(it), STOPLIST(pt), STOPLIST(nl),
};

/* The two-letter code of a language tag: "en-GB" -> "en"; NULL -> "en". */
static void lang_code(const char *lang, char code[16])
{
    size_t n = 0;
    if (!lang || !*lang)
        lang = "en";
    while (lang[n] && lang[n] != '-' && lang[n] != '_' && n < 15) {
        code[n] = (char)td_ascii_lower((unsigned char)lang[n]);
        n++;
    }
    code[n] = '\0';
}

struct key {
    const char *s;
    size_t len;
};

static int cmp_word(const void *k, const void *elem)
{
    const struct key *key = k;
    const char *w = *(const char *const *)elem;
    size_t wl = strlen(w);
    int c = memcmp(key->s, w, key->len < wl ? key->len : wl);
    if (c)
        return c;
    return key->len < wl ? -1 : key->len > wl;
}

bool td_text_is_stopword(const char *lang, const char *word, size_t len)
{
    char code[16];
    const struct stoplist *l = &stoplists[0];
    struct key key = {word, len};

    lang_code(lang, code);
    for (size_t i = 0; i < TD_ARRAY_SIZE(stoplists); i++)
        if (!strcmp(stoplists[i].lang, code))
            l = &stoplists[i];
    return bsearch(&key, l->words, l->n, sizeof(*l->words), cmp_word) != NULL;
}

#define MAX_LANGS 32

struct td_analyzer {
    struct {
        char code[16];
        struct sb_stemmer *stemmer; /* NULL: no stemmer for that language */
    } langs[MAX_LANGS];
    size_t nlangs;
};

struct td_analyzer *td_analyzer_new(void)
{
    return td_xcalloc(1, sizeof(struct td_analyzer));
}

void td_analyzer_free(struct td_analyzer *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nlangs; i++)
        sb_stemmer_delete(a->langs[i].stemmer);
    free(a);
}

static struct sb_stemmer *stemmer_for(struct td_analyzer *a, const char *lang)
{
    char code[16];

    lang_code(lang, code);
    for (size_t i = 0; i < a->nlangs; i++)
        if (!strcmp(a->langs[i].code, code))
            return a->langs[i].stemmer;
    /* Past the table's size, unknown languages simply go unstemmed. */
    if (a->nlangs == MAX_LANGS)
        return NULL;
    memcpy(a->langs[a->nlangs].code, code, sizeof(code));
    a->langs[a->nlangs].stemmer = sb_stemmer_new(code, "UTF_8");
    return a->langs[a->nlangs++].stemmer;
}

const char *td_analyzer_stem(struct td_analyzer *a, const char *lang, const char *word, size_t len,
                             size_t *out_len)
{
    struct sb_stemmer *st = stemmer_for(a, lang);
    const sb_symbol *r;

    *out_len = len;
    if (!st)
        return word;
    r = sb_stemmer_stem(st, (const sb_symbol *)word, (int)len);
    if (!r)
        return word;
    *out_len = (size_t)sb_stemmer_length(st);
    return (const char *)r;
}
