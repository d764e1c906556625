/*
 * seed.c - fill a fresh database with the articles the web integration
 * tests read: ordinary ones (with authors, a lead photo, a caption and a
 * credit), related ones, a French one, hostile ones (markup and script in
 * every field a page shows), and enough filler for pagination.  Times are
 * relative to now so that relative-time phrases can be asserted.
 *
 * usage: web_seed DB-PATH     prints `name=id` lines for the test
 */
#include "base/compat.h"
#include "base/error.h"
#include "store/store.h"

#include <inttypes.h>
#include <time.h>

static struct td_store *st;

static void die(const char *what, int rc)
{
    fprintf(stderr, "web_seed: %s: %s (%s)\n", what, td_strerror(rc), td_store_errmsg(st));
    exit(1);
}

/* Add an outlet and its feed; prints `outlet_KEY=id`, returns the feed id. */
static int64_t outlet(const char *key, const char *name, const char *site, const char *feed_url)
{
    struct td_outlet o = {.name = name, .site_url = site};
    struct td_feed f = {.url = feed_url, .title = name};
    int64_t id, fid;
    int rc;

    if ((rc = td_store_outlet_upsert(st, &o, &id)) < 0)
        die("outlet", rc);
    f.outlet_id = id;
    printf("outlet_%s=%" PRId64 "\n", key, id);
    if ((rc = td_store_feed_add(st, &f, &fid, NULL)) < 0)
        die("feed", rc);
    return fid;
}

static int64_t article(struct td_article *a, const char *name)
{
    int64_t id;
    int rc;

    if ((rc = td_store_article_upsert(st, a, &id, NULL)) < 0)
        die(name, rc);
    printf("%s=%" PRId64 "\n", name, id);
    return id;
}

int main(int argc, char **argv)
{
    time_t now = time(NULL);
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: web_seed DB-PATH\n");
        return 2;
    }
    if ((rc = td_store_open(argv[1], 0, &st)) < 0)
        die("open", rc);

    int64_t planet =
        outlet("planet", "Daily Planet", "https://planet.example/", "https://planet.example/rss");
    int64_t gazette = outlet("gazette", "Gazette & Co", "https://gazette.example/",
                             "https://gazette.example/feed.xml");
    int64_t monde =
        outlet("monde", "Le Monde Fictif", "https://monde.example/", "https://monde.example/atom");
    int64_t evil = outlet("evil", "<b>Evil</b> \"Outlet\"", "https://evil.example/",
                          "https://evil.example/<script>feed</script>");

    const char *ann[] = {"Ann Writer"};
    struct td_article memo = {
        .feed_id = planet,
        .entry_key = "memo",
        .url = "https://planet.example/2026/memo",
        .title = "Leaked memo shows Kremlin view of Beijing espionage",
        .authors = ann,
        .n_authors = 1,
        .published = now - 5 * 3600 - 60,
        .image_url = "https://planet.example/img/leaders.jpg",
        .image_caption = "Leaders meet in Moscow",
        .image_credit = "(Picture credit: AP)",
        .feed_summary_html = "<p>A confidential <b>memo</b> labels Beijing a threat.</p>",
        .text = "A confidential memo from the security service labels Beijing a serious "
                "espionage threat.\n\nThe memo was reviewed by six agencies.\n\nOfficials "
                "declined to comment.",
        .language = "en",
    };
    article(&memo, "memo");

    struct td_article related = {
        .feed_id = gazette,
        .entry_key = "rel",
        .url = "https://gazette.example/kremlin-beijing-memo",
        .title = "Kremlin memo on Beijing espionage alarms officials",
        .published = now - 33 * 60 - 10,
        .feed_summary_html = "Officials react to the leaked memo.",
        .text = "Officials reacted on Tuesday to the memo about espionage.",
        .language = "en",
    };
    article(&related, "related");

    struct td_article french = {
        .feed_id = monde,
        .entry_key = "fr",
        .url = "https://monde.example/article",
        .title = "Le gouvernement annonce un budget",
        .published = now - 26 * 3600,
        .text = "Le gouvernement a annoncé un nouveau budget pour l'année prochaine.",
        .language = "fr",
    };
    article(&french, "french");

    const char *evil_author[] = {"<script>alert('author')</script>"};
    struct td_article xss = {
        .feed_id = evil,
        .entry_key = "xss",
        .url = "javascript:alert('url')",
        .title = "<script>alert('title')</script><img src=x onerror=alert('img')> XSSPROBE",
        .authors = evil_author,
        .n_authors = 1,
        .published = now - 3600 - 120,
        .image_url = "javascript:alert('image')",
        .image_caption = "\"><script>alert('caption')</script>",
        .image_credit = "<iframe src=//evil.example>",
        .feed_summary_html = "<img src=x onerror=alert('summary')>summary XSSPROBE "
                             "&lt;script&gt;alert('entity')&lt;/script&gt;",
        .text = "Body <script>alert('body')</script> XSSPROBE\n\n"
                "<a href=\"javascript:alert('link')\">click</a>",
        .language = "en\"><script>alert('lang')</script>",
    };
    article(&xss, "xss");

    /* Filler for pagination: 30 older articles of the Gazette. */
    char key[32], url[96], title[96];
    for (int i = 0; i < 30; i++) {
        snprintf(key, sizeof(key), "filler-%d", i);
        snprintf(url, sizeof(url), "https://gazette.example/filler/%d", i);
        snprintf(title, sizeof(title), "Filler report number %d on weather", i);
        struct td_article f = {.feed_id = gazette,
                               .entry_key = key,
                               .url = url,
                               .title = title,
                               .published = now - 3 * 86400 - i * 3600,
                               .text = "Routine weather report.",
                               .language = "en"};
        if ((rc = td_store_article_upsert(st, &f, NULL, NULL)) < 0)
            die("filler", rc);
    }
    td_store_close(st);
    return 0;
}
