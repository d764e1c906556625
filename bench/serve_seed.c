/*
 * bench/serve_seed.c - fill a database with a realistic news archive for
 * bench/serve.sh: ARTICLES articles (default 100,000) from 50 outlets
 * through 80 feeds, each with a headline, one or two authors, a teaser,
 * ~4 KB of extracted text and the same as sanitized HTML paragraphs, a lead
 * photo with caption and credit, and publication dates spread over the six
 * months before now (newest last, as a crawler would store them).
 *
 *     build/bench/serve_seed DB [ARTICLES]
 *
 * Text is English words drawn with Zipf's law from a fixed list, plus
 * made-up proper names that make each story's terms rare, so the search
 * index and the "Related articles" ranking see something like news.  The
 * generator is seeded, so two runs give the same archive (dates move with
 * the clock).  Writes go through the store library, BATCH per transaction.
 */
#include "base/compat.h"
#include "base/error.h"
#include "store/store.h"

#include <time.h>

#define OUTLETS 50
#define FEEDS 80
#define BATCH 1000
#define TEXT_BYTES 4400 /* the loop stops 400 short: ~4 KB on average */
#define SPAN_S (182 * 86400)

static const char *const common[] = {
    "the",        "of",        "and",        "to",        "in",         "a",          "said",
    "for",        "on",        "that",       "was",       "with",       "is",         "by",
    "at",         "as",        "it",         "from",      "has",        "have",       "be",
    "will",       "year",      "government", "people",    "new",        "after",      "would",
    "their",      "more",      "an",         "last",      "minister",   "two",        "police",
    "were",       "but",       "who",        "been",      "also",       "country",    "city",
    "first",      "week",      "which",      "officials", "over",       "about",      "state",
    "could",      "percent",   "million",    "market",    "company",    "report",     "plan",
    "since",      "president", "election",   "court",     "workers",    "prices",     "council",
    "health",     "school",    "energy",     "water",     "climate",    "talks",      "budget",
    "minister's", "analysts",  "according",  "season",    "match",      "team",       "coach",
    "players",    "bank",      "rates",      "inflation", "trade",      "border",     "army",
    "ceasefire",  "vote",      "parliament", "protest",   "strike",     "union",      "hospital",
    "doctors",    "patients",  "study",      "research",  "scientists", "university", "students",
    "museum",     "festival",  "film",       "music",     "album",      "record",     "storm",
    "flood",      "fire",      "drought",    "harvest",   "farmers",    "railway",    "airport",
    "airline",    "flights",   "ministry",   "spokesman", "statement",  "interview",  "decision",
    "Tuesday",    "Wednesday", "Thursday",   "Friday",    "Monday",     "weekend",    "morning",
    "evening",    "district",  "region",     "province",  "village",    "residents",  "housing",
    "rent",       "tax",       "investors",  "shares",    "profits",    "losses",     "deal",
    "agreement",  "sanctions", "exports",    "imports",   "factory",    "jobs",       "wages",
};

static const char *const first_names[] = {
    "Amara", "Jonas",  "Priya",  "Mateo",  "Ingrid", "Kwame", "Sofia", "Hiroshi", "Leila",
    "Tomas", "Nadia",  "Oliver", "Chen",   "Fatima", "Lucas", "Elena", "Ravi",    "Marta",
    "Samir", "Hannah", "Diego",  "Yasmin", "Pieter", "Grace", "Omar",  "Ana",     "Felix",
};

static const char *const last_names[] = {
    "Okafor", "Lindqvist", "Raman",  "Herrera", "Novak",   "Mensah", "Costa",    "Tanaka",
    "Haddad", "Kowalski",  "Petrov", "Brennan", "Wei",     "Nasser", "Moreau",   "Rossi",
    "Iyer",   "Santos",    "Khalil", "Fischer", "Alvarez", "Aziz",   "de Vries", "Adeyemi",
};

static const char *const outlet_words[] = {
    "Herald", "Courier", "Tribune",  "Gazette", "Observer", "Chronicle", "Post",
    "Times",  "Ledger",  "Dispatch", "Journal", "Sentinel", "Bulletin",  "Record",
};

static const char *const places[] = {
    "Northbridge", "Eastmoor",  "Port Calder", "Westvale", "Lake Orin", "Kestrel Bay",
    "Ashford",     "Millbrook", "Southgate",   "Redcliff", "Harrow",    "Elmstead",
};

static uint64_t rng = 0x2545F4914F6CDD1Du;

static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 32);
}

static double cumulative[TD_ARRAY_SIZE(common)];

/* A word for a headline: no function words (the list's first 20). */
static const char *title_word(void)
{
    return common[20 + next_rand() % (TD_ARRAY_SIZE(common) - 20)];
}

static void make_zipf(void)
{
    double total = 0;

    for (size_t r = 0; r < TD_ARRAY_SIZE(common); r++) {
        total += 1.0 / (double)(r + 1);
        cumulative[r] = total;
    }
    for (size_t r = 0; r < TD_ARRAY_SIZE(common); r++)
        cumulative[r] /= total;
}

static const char *zipf_word(void)
{
    double u = (double)next_rand() / 4294967296.0;
    size_t lo = 0, hi = TD_ARRAY_SIZE(common) - 1;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cumulative[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return common[lo];
}

/* A made-up proper name ("Velaron"): what makes one story's terms rare. */
static void proper_name(char *out, size_t size)
{
    static const char *const syl[] = {"ve", "la",  "ron", "ka",  "mi",  "sol", "dar", "ti",
                                      "no", "bra", "zel", "qua", "mor", "fen", "ul",  "as"};
    size_t n = 0;
    int k = 2 + (int)(next_rand() % 2);

    for (int i = 0; i < k && n + 4 < size; i++) {
        const char *s = syl[next_rand() % TD_ARRAY_SIZE(syl)];
        size_t len = strlen(s);
        memcpy(out + n, s, len);
        n += len;
    }
    out[n] = '\0';
    out[0] = (char)(out[0] - 'a' + 'A');
}

struct story {
    char name[2][24]; /* the story's own rare terms */
    const char *place;
};

/* One sentence of 8-20 words, with the story's names now and then; returns bytes written. */
static size_t sentence(char *out, size_t size, const struct story *s)
{
    int words = 8 + (int)(next_rand() % 13);
    size_t n = 0;

    for (int i = 0; i < words && n + 32 < size; i++) {
        unsigned pick = next_rand() % 24;
        const char *w = pick == 0   ? s->name[0]
                        : pick == 1 ? s->name[1]
                        : pick == 2 ? s->place
                                    : zipf_word();
        n += (size_t)snprintf(out + n, size - n, i ? " %s" : "%s", w);
    }
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
    n += (size_t)snprintf(out + n, size - n, ".");
    return n;
}

/* ~TEXT_BYTES of paragraphs: plain text into `text`, the same as <p> elements into `html`. */
static void body(char *text, size_t tsize, char *html, size_t hsize, const struct story *s)
{
    size_t tn = 0, hn = 0;

    while (tn + 400 < TEXT_BYTES && tn + 400 < tsize && hn + 500 < hsize) {
        int sentences = 2 + (int)(next_rand() % 4);
        if (tn) {
            memcpy(text + tn, "\n\n", 2);
            tn += 2;
        }
        memcpy(html + hn, "<p>", 3);
        hn += 3;
        for (int i = 0; i < sentences; i++) {
            char one[512];
            size_t len = sentence(one, sizeof(one), s);
            if (i) {
                text[tn++] = ' ';
                html[hn++] = ' ';
            }
            memcpy(text + tn, one, len);
            tn += len;
            memcpy(html + hn, one, len);
            hn += len;
        }
        memcpy(html + hn, "</p>", 4);
        hn += 4;
    }
    text[tn] = '\0';
    html[hn] = '\0';
}

static void die(struct td_store *st, int err, const char *what)
{
    fprintf(stderr, "serve_seed: %s: %s: %s\n", what, td_strerror(err),
            st ? td_store_errmsg(st) : "");
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 100000;
    struct td_store *st = NULL;
    int64_t outlet_ids[OUTLETS], feed_ids[FEEDS], feed_outlet[FEEDS];
    int64_t now = (int64_t)time(NULL);
    double t0 = now_s();
    int err;

    if (argc < 2 || argc > 3 || n < 1) {
        fprintf(stderr, "usage: serve_seed DB [ARTICLES >= 1]\n");
        return 2;
    }
    make_zipf();
    if ((err = td_store_open(argv[1], 0, &st)) < 0)
        die(NULL, err, "open");
    if ((err = td_store_begin(st)) < 0)
        die(st, err, "begin");
    for (int i = 0; i < OUTLETS; i++) {
        char name[64], site[64], icon[80];
        snprintf(name, sizeof(name), "The %s %s", places[i % TD_ARRAY_SIZE(places)],
                 outlet_words[i % TD_ARRAY_SIZE(outlet_words)]);
        snprintf(site, sizeof(site), "https://outlet%d.example/", i + 1);
        snprintf(icon, sizeof(icon), "https://outlet%d.example/favicon.ico", i + 1);
        struct td_outlet o = {.name = name, .site_url = site, .icon_url = icon};
        if ((err = td_store_outlet_upsert(st, &o, &outlet_ids[i])) < 0)
            die(st, err, "outlet");
    }
    for (int i = 0; i < FEEDS; i++) {
        char url[96], title[64];
        int o = i % OUTLETS;
        snprintf(url, sizeof(url), "https://outlet%d.example/feeds/%s.xml", o + 1,
                 i < OUTLETS ? "all" : "world");
        snprintf(title, sizeof(title), "Outlet %d: %s", o + 1, i < OUTLETS ? "all" : "world");
        struct td_feed f = {.outlet_id = outlet_ids[o], .url = url, .title = title};
        if ((err = td_store_feed_add(st, &f, &feed_ids[i], NULL)) < 0)
            die(st, err, "feed");
        feed_outlet[i] = o;
    }
    if ((err = td_store_commit(st)) < 0)
        die(st, err, "commit");

    for (long i = 0; i < n; i++) {
        static char text[TEXT_BYTES + 512], html[TEXT_BYTES + 1024];
        char key[128], title[256], teaser[600], image[128], caption[256], credit[96], lang[] = "en";
        char a1[64], a2[64];
        const char *authors[2] = {a1, a2};
        struct story s;
        int f = (int)(next_rand() % FEEDS);
        int o = (int)feed_outlet[f];
        size_t tl;

        if (i % BATCH == 0 && (err = td_store_begin(st)) < 0)
            die(st, err, "begin");
        proper_name(s.name[0], sizeof(s.name[0]));
        proper_name(s.name[1], sizeof(s.name[1]));
        s.place = places[next_rand() % TD_ARRAY_SIZE(places)];
        tl = (size_t)snprintf(title, sizeof(title), "%s %s", s.name[0], title_word());
        for (int w = 0, k = 4 + (int)(next_rand() % 7); w < k; w++)
            tl += (size_t)snprintf(title + tl, sizeof(title) - tl, " %s",
                                   w == 2 ? s.place : title_word());
        body(text, sizeof(text), html, sizeof(html), &s);
        snprintf(teaser, sizeof(teaser), "<p>%.*s</p>", 240, text);
        snprintf(a1, sizeof(a1), "%s %s", first_names[next_rand() % TD_ARRAY_SIZE(first_names)],
                 last_names[next_rand() % TD_ARRAY_SIZE(last_names)]);
        snprintf(a2, sizeof(a2), "%s %s", first_names[next_rand() % TD_ARRAY_SIZE(first_names)],
                 last_names[next_rand() % TD_ARRAY_SIZE(last_names)]);
        snprintf(key, sizeof(key), "https://outlet%d.example/news/%ld-%s", o + 1, i + 1, s.name[0]);
        snprintf(image, sizeof(image), "https://cdn.outlet%d.example/images/%ld.jpg", o + 1, i + 1);
        snprintf(caption, sizeof(caption), "Residents of %s on %s, where %s said %s %s.", s.place,
                 first_names[next_rand() % TD_ARRAY_SIZE(first_names)], s.name[1], zipf_word(),
                 zipf_word());
        snprintf(credit, sizeof(credit), "Photo: %s / %s", a1,
                 outlet_words[o % TD_ARRAY_SIZE(outlet_words)]);
        /* Oldest first, evenly over SPAN_S, with up to an hour of jitter. */
        int64_t published = now - SPAN_S + (int64_t)((double)SPAN_S * (double)i / (double)n) -
                            (int64_t)(next_rand() % 3600);
        struct td_article a = {.feed_id = feed_ids[f],
                               .entry_key = key,
                               .url = key,
                               .title = title,
                               .authors = authors,
                               .n_authors = 1 + next_rand() % 2,
                               .published = published,
                               .feed_summary_html = teaser,
                               .image_url = image,
                               .image_caption = caption,
                               .image_credit = credit,
                               .text = text,
                               .html = html,
                               .language = lang,
                               .word_count = (int64_t)(strlen(text) / 6),
                               .fetched_at = published + 60};
        if ((err = td_store_article_upsert(st, &a, NULL, NULL)) < 0)
            die(st, err, "article");
        if ((i % BATCH == BATCH - 1 || i == n - 1) && (err = td_store_commit(st)) < 0)
            die(st, err, "commit");
        if (i % 10000 == 9999)
            fprintf(stderr, "serve_seed: %ld/%ld articles, %.0f/s\n", i + 1, n,
                    (double)(i + 1) / (now_s() - t0));
    }
    td_store_close(st);
    printf("serve_seed: %ld articles, %d outlets, %d feeds in %.1f s -> %s\n", n, OUTLETS, FEEDS,
           now_s() - t0, argv[1]);
    return 0;
}
