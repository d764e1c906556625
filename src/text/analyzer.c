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
#include <pthread.h>

/* Sorted by byte value, for the reader; looked up through stopsets below. */
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

/*
 * The lists as hash sets, built once: a stop-word test runs for nearly
 * every word an analysis reads (key points, keywords, entities, story
 * vectors), and a binary search of the sorted list with a strlen per probe
 * was a tenth of a crawl's analysis.  A slot holds a word's index + 1 in
 * its list (0: empty); the sets are at most half full.
 */
#define STOP_SLOTS 512
#define STOP_WORD_MAX 16

static struct stopset {
    uint16_t slot[STOP_SLOTS];
    uint8_t len[STOP_SLOTS];
} stopsets[TD_ARRAY_SIZE(stoplists)];
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static void stop_init(void)
{
    for (size_t l = 0; l < TD_ARRAY_SIZE(stoplists); l++) {
        TD_ASSERT(stoplists[l].n * 2 <= STOP_SLOTS);
        for (size_t i = 0; i < stoplists[l].n; i++) {
            const char *w = stoplists[l].words[i];
            size_t len = strlen(w);
            TD_ASSERT(len < STOP_WORD_MAX);
            size_t k = (size_t)td_text_hash64(w, len, 0) & (STOP_SLOTS - 1);
            while (stopsets[l].slot[k])
                k = (k + 1) & (STOP_SLOTS - 1);
            stopsets[l].slot[k] = (uint16_t)(i + 1);
            stopsets[l].len[k] = (uint8_t)len;
        }
    }
}

/*
 * The list of a language tag's first two letters ("en-GB", "EN" -> en); a
 * tag that is not two letters ("english"), NULL or "" gets English.
 */
static size_t stoplist_of(const char *lang)
{
    if (lang && lang[0] && lang[1] && (!lang[2] || lang[2] == '-' || lang[2] == '_')) {
        char c0 = (char)td_ascii_lower((unsigned char)lang[0]);
        char c1 = (char)td_ascii_lower((unsigned char)lang[1]);
        for (size_t i = 0; i < TD_ARRAY_SIZE(stoplists); i++)
            if (stoplists[i].lang[0] == c0 && stoplists[i].lang[1] == c1)
                return i;
    }
    return 0;
}

bool td_text_is_stopword(const char *lang, const char *word, size_t len)
{
    size_t l, k;

    if (len >= STOP_WORD_MAX)
        return false;
    pthread_once(&stop_once, stop_init);
    l = stoplist_of(lang);
    k = (size_t)td_text_hash64(word, len, 0) & (STOP_SLOTS - 1);
    for (; stopsets[l].slot[k]; k = (k + 1) & (STOP_SLOTS - 1))
        if (stopsets[l].len[k] == len &&
            !memcmp(stoplists[l].words[stopsets[l].slot[k] - 1], word, len))
            return true;
    return false;
}

#define MAX_LANGS 32
/*
 * Stems are remembered per analyzer: Snowball costs a microsecond or so a
 * word, and an analysis stems every word at least twice (key points, then
 * keywords), and the story index every word of every article, most of them
 * the same few thousand.  The table starts small, doubles up to
 * STEM_SLOTS_MAX and is emptied when that is half full, so an analyzer
 * holds at most STEM_SLOTS_MAX / 2 words.
 */
#define STEM_SLOTS_MIN 256
#define STEM_SLOTS_MAX 32768
#define STEM_WORD_MAX 48 /* longer words are stemmed each time */

struct stem_slot {
    uint32_t hash; /* 0: empty */
    uint32_t off;  /* in pool: the word, then its stem */
    uint8_t lang, wlen, slen;
};

struct td_analyzer {
    struct {
        char code[16];
        struct sb_stemmer *stemmer; /* NULL: no stemmer for that language */
    } langs[MAX_LANGS];
    size_t nlangs;
    struct stem_slot *slots;
    size_t cap, n;
    char *pool;
    size_t pool_len, pool_cap;
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
    free(a->slots);
    free(a->pool);
    free(a);
}

/* The index of `lang` in a->langs (its stemmer made on first use); -1 when the table is full. */
static int lang_index(struct td_analyzer *a, const char *lang)
{
    char code[16];

    lang_code(lang, code);
    for (size_t i = 0; i < a->nlangs; i++)
        if (!strcmp(a->langs[i].code, code))
            return (int)i;
    /* Past the table's size, unknown languages simply go unstemmed. */
    if (a->nlangs == MAX_LANGS)
        return -1;
    memcpy(a->langs[a->nlangs].code, code, sizeof(code));
    a->langs[a->nlangs].stemmer = sb_stemmer_new(code, "UTF_8");
    return (int)a->nlangs++;
}

static uint32_t stem_hash(int lang, const char *word, size_t len)
{
    uint32_t h = (uint32_t)td_text_hash64(word, len, (uint64_t)lang + 1);
    return h ? h : 1;
}

/* The slot of (lang, word): its entry, or the empty slot where it goes. */
static struct stem_slot *stem_find(struct td_analyzer *a, uint32_t h, int lang, const char *word,
                                   size_t len)
{
    size_t k = h & (a->cap - 1);

    for (;; k = (k + 1) & (a->cap - 1)) {
        struct stem_slot *e = &a->slots[k];
        if (!e->hash || (e->hash == h && e->lang == lang && e->wlen == len &&
                         !memcmp(a->pool + e->off, word, len)))
            return e;
    }
}

/* Room for one more entry: the table doubled, or emptied at its largest. */
static void stem_make_room(struct td_analyzer *a)
{
    struct stem_slot *old = a->slots;
    size_t old_cap = a->cap;

    if ((a->n + 1) * 2 <= a->cap)
        return;
    if (a->cap == STEM_SLOTS_MAX) {
        memset(a->slots, 0, a->cap * sizeof(*a->slots));
        a->n = 0;
        a->pool_len = 0;
        return;
    }
    a->cap = a->cap ? a->cap * 2 : STEM_SLOTS_MIN;
    a->slots = td_xcalloc(a->cap, sizeof(*a->slots));
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].hash)
            *stem_find(a, old[i].hash, old[i].lang, a->pool + old[i].off, old[i].wlen) = old[i];
    free(old);
}

static void stem_remember(struct td_analyzer *a, uint32_t h, int lang, const char *word, size_t len,
                          const char *stem, size_t slen)
{
    stem_make_room(a);
    if (a->pool_len + len + slen > a->pool_cap) {
        a->pool_cap = TD_MAX(a->pool_cap * 2, 4096);
        a->pool = td_xrealloc(a->pool, a->pool_cap);
    }
    *stem_find(a, h, lang, word, len) = (struct stem_slot){
        .hash = h,
        .off = (uint32_t)a->pool_len,
        .lang = (uint8_t)lang,
        .wlen = (uint8_t)len,
        .slen = (uint8_t)slen,
    };
    memcpy(a->pool + a->pool_len, word, len);
    memcpy(a->pool + a->pool_len + len, stem, slen);
    a->pool_len += len + slen;
    a->n++;
}

const char *td_analyzer_stem(struct td_analyzer *a, const char *lang, const char *word, size_t len,
                             size_t *out_len)
{
    int li = lang_index(a, lang);
    struct sb_stemmer *st = li < 0 ? NULL : a->langs[li].stemmer;
    const sb_symbol *r;
    uint32_t h = 0;

    *out_len = len;
    if (!st)
        return word;
    if (len <= STEM_WORD_MAX && a->cap) {
        const struct stem_slot *e = stem_find(a, h = stem_hash(li, word, len), li, word, len);
        if (e->hash) {
            *out_len = e->slen;
            return a->pool + e->off + e->wlen;
        }
    }
    r = sb_stemmer_stem(st, (const sb_symbol *)word, (int)len);
    if (!r)
        return word;
    *out_len = (size_t)sb_stemmer_length(st);
    if (len <= STEM_WORD_MAX && *out_len <= UINT8_MAX)
        stem_remember(a, h ? h : stem_hash(li, word, len), li, word, len, (const char *)r,
                      *out_len);
    return (const char *)r;
}
