/*
 * test_extract_cli.c - `tidings extract` through the real binary.
 *
 * Each test runs the built `tidings` (its path is argv[1]; the source
 * tree's tests/ folder is argv[2]) as a child process with a deadline,
 * captures stdout, stderr and the exit status, and checks the JSON with
 * jansson.  Hostile inputs (empty, binary, 50 MB, 100,000 nested <div>s,
 * truncated gzip, bad UTF-8, other charsets) are generated into a fresh
 * temporary directory at test time.  URL inputs are served by the loopback
 * fixture server, started in-process.
 */
#include "base/compat.h"
#include "base/buf.h"
#include "base/utf8.h"

#include "fixture/fixture.h"
#include "harness/gzip.h"
#include "harness/tap.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <time.h>

static const char *tidings;
static const char *tests_dir;

/* What one run of the binary produced. */
struct run {
    int status; /* exit status, or 128 + signal */
    struct td_buf out, err;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Run tidings with `args` (NULL-terminated, not counting argv[0]), feeding
 * `in` on stdin.  A run past `deadline_s` seconds is killed and fails the
 * test: a hang is a bug.
 */
static void run_with(const char *const *args, const char *in, size_t in_len, double deadline_s,
                     struct run *r)
{
    int pin[2], pout[2], perr[2];
    const char *argv[32];
    size_t n = 0;

    argv[n++] = tidings;
    for (; args[n - 1] && n < TD_ARRAY_SIZE(argv) - 1; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    ASSERT(pipe(pin) == 0 && pipe(pout) == 0 && pipe(perr) == 0);
    pid_t pid = fork();
    ASSERT(pid >= 0);
    if (pid == 0) {
        dup2(pin[0], 0);
        dup2(pout[1], 1);
        dup2(perr[1], 2);
        close(pin[1]);
        close(pout[0]);
        close(perr[0]);
        execv(tidings, (char *const *)argv);
        _exit(127);
    }
    close(pin[0]);
    close(pout[1]);
    close(perr[1]);
    td_buf_init(&r->out, TD_BUF_NOCAP);
    td_buf_init(&r->err, TD_BUF_NOCAP);
    signal(SIGPIPE, SIG_IGN);
    size_t sent = 0;
    int fin = pin[1];
    if (in_len == 0) {
        close(fin);
        fin = -1;
    }
    double end = now() + deadline_s;
    int open_fds = 2;
    while (open_fds > 0 || fin >= 0) {
        struct pollfd p[3] = {{pout[0], POLLIN, 0}, {perr[0], POLLIN, 0}, {fin, POLLOUT, 0}};
        double left = end - now();
        if (left <= 0) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            fprintf(stderr, "# tidings %s did not finish within %.0f s\n", args[0], deadline_s);
            exit(1);
        }
        if (poll(p, 3, (int)(left * 1000) + 1) < 0 && errno != EINTR)
            ASSERT(0);
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char chunk[65536];
            ssize_t got = read(p[i].fd, chunk, sizeof(chunk));
            if (got > 0) {
                ASSERT_OK(td_buf_append(i == 0 ? &r->out : &r->err, chunk, (size_t)got));
            } else {
                close(p[i].fd);
                if (i == 0)
                    pout[0] = -1;
                else
                    perr[0] = -1;
                open_fds--;
            }
        }
        if (fin >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(fin, in + sent, TD_MIN(in_len - sent, (size_t)65536));
            if (w > 0)
                sent += (size_t)w;
            if (w < 0 || sent == in_len) {
                close(fin);
                fin = -1;
            }
        }
    }
    int st;
    ASSERT(waitpid(pid, &st, 0) == pid);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (r->status >= 128 || r->status == 127) {
        fprintf(stderr, "# tidings crashed or did not start (status %d)\n%s\n", r->status,
                r->err.buf);
        exit(1);
    }
}

static void run(const char *const *args, struct run *r)
{
    run_with(args, NULL, 0, 120, r);
}

static void run_release(struct run *r)
{
    td_buf_release(&r->out);
    td_buf_release(&r->err);
}

/* Parse one JSON object; the output must be valid UTF-8 JSON. */
static json_t *parse(const char *s, size_t len)
{
    json_error_t e;
    ASSERT(td_utf8_valid(s, len));
    json_t *j = json_loadb(s, len, 0, &e);
    if (!j) {
        fprintf(stderr, "# bad JSON (%s): %.300s\n", e.text, s);
        exit(1);
    }
    ASSERT(json_is_object(j));
    return j;
}

static const char *jget(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* --- temporary files ----------------------------------------------------- */

static char tmpdir[256];

/* Remove the temporary directory; the tests write only plain files into it. */
static void tmp_cleanup(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    char path[1024];

    if (!d)
        return;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(tmpdir);
}

/*
 * A path in the temporary directory that main() made for this run.  The
 * result lives in one of eight rotating buffers, enough for every path a
 * test holds at once.
 */
static const char *tmp_path(const char *name)
{
    static char paths[8][512];
    static unsigned next;
    char *path = paths[next++ % 8];
    snprintf(path, sizeof(paths[0]), "%s/%s", tmpdir, name);
    return path;
}

static const char *write_file(const char *name, const void *data, size_t len)
{
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "wb");
    ASSERT(f);
    ASSERT(fwrite(data, 1, len, f) == len);
    ASSERT(fclose(f) == 0);
    return path;
}

static const char *fixture(const char *rel)
{
    static char path[1024];
    snprintf(path, sizeof(path), "%s/%s", tests_dir, rel);
    return path;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);
    char chunk[65536];
    size_t n;
    ASSERT(f);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ASSERT_OK(td_buf_append(&b, chunk, n));
    fclose(f);
    return td_buf_detach(&b, len);
}

/* --- the seed page -------------------------------------------------------- */

static const char *const seed_paragraphs[] = {
    "Despite warm public rhetoric, a confidential document from Russia's Federal Security",
    "As per a report by The New York Times, an undisclosed FSB intelligence unit has warned",
    "The FSB's internal eight-page memo, reviewed and verified by six Western intelligence",
    "It was reportedly authored in late 2023 or early 2024 and obtained by the hacker group",
    "'China is the enemy,' intelligence officers from the FSB's 7th Service",
    "codenamed Entente-4 just days before Russia invaded Ukraine",
    "The memo warns officers not to publicly refer to China as a threat",
    "particularly those working on now-defunct projects like the Soviet-era ekranoplan.",
    "'Priority recruitment is given to former employees…experiencing financial difficulties,'",
    "Chinese intelligence has targeted Russians with Chinese spouses, used WeChat",
    "Though Russia depends on China for oil exports, technology, and sanctions-busting trade",
    "The FSB accuses Chinese researchers of promoting historical ties to areas like Vladivostok",
    "The memo also warns of Beijing's growing soft-power strategy in Central Asia",
    "Still, the FSB advises caution: any moves against China require high-level clearance",
    "The document also reveals that Russia is not merely defending itself",
    "This suggests a strategic effort by Moscow to manage Beijing's internal assessment",
    "According to Carnegie analyst Alexander Gabuev, as cited by the New York Times",
};

static const char *const seed_boilerplate[] = {
    "by Taboola",        "Sponsored Links",     "Promoted Links",  "You May Like",
    "Memperdagangkan",   "IC Markets",          "Mendaftar",       "Undo",
    "Orange background", "Try Our AI Features", "No comments yet", "Related Articles",
    "DOWNLOAD THE APP",  "Download the App",
};

static const char seed_caption[] =
    "File photo: Chinese President Xi Jinping and Russian President Vladimir Putin";

static void check_seed(json_t *o)
{
    const char *text = jget(o, "text");
    const char *html = jget(o, "html");
    ASSERT(text && html);
    for (size_t i = 0; i < TD_ARRAY_SIZE(seed_paragraphs); i++)
        ASSERT_CONTAINS(text, seed_paragraphs[i]);
    for (size_t i = 0; i < TD_ARRAY_SIZE(seed_boilerplate); i++) {
        ASSERT_NOT_CONTAINS(text, seed_boilerplate[i]);
        ASSERT_NOT_CONTAINS(html, seed_boilerplate[i]);
    }
    json_t *img = json_object_get(o, "image");
    ASSERT(json_is_object(img));
    ASSERT_STR_EQ(jget(img, "caption"), seed_caption);
    ASSERT_STR_EQ(jget(img, "credit"), "AP");
    ASSERT_NOT_CONTAINS(text, "Xi Jinping and Russian President");
    ASSERT_NOT_CONTAINS(text, "Picture credit");
    ASSERT_NOT_CONTAINS(text, "(AP)");
    ASSERT(json_is_null(json_object_get(o, "error")));
}

static void test_seed_json(void)
{
    struct run r;
    run((const char *[]){"extract", "--format", "json", fixture("extract/fixtures/seed.html"),
                         NULL},
        &r);
    ASSERT_EQ(r.status, 0);
    json_t *o = parse(r.out.buf, r.out.len);
    check_seed(o);
    ASSERT_STR_EQ(jget(o, "source"), fixture("extract/fixtures/seed.html"));
    ASSERT_CONTAINS(jget(o, "title"), "China is the enemy");
    ASSERT(json_is_array(json_object_get(o, "author")));
    ASSERT_CONTAINS(jget(o, "published"), "2025-06-08T");
    ASSERT_GT(json_integer_value(json_object_get(o, "word_count")), 400);
    /* Every documented field is present, even when null. */
    static const char *const fields[] = {
        "source",    "url",         "title", "author", "published", "modified",   "language",
        "site_name", "description", "image", "text",   "html",      "word_count", "error"};
    for (size_t i = 0; i < TD_ARRAY_SIZE(fields); i++)
        ASSERT(json_object_get(o, fields[i]) != NULL);
    ASSERT_EQ(json_object_size(o), TD_ARRAY_SIZE(fields));
    json_decref(o);
    run_release(&r);
}

static void test_seed_text_and_html(void)
{
    struct run r;
    run((const char *[]){"extract", "--format", "text", fixture("extract/fixtures/seed.html"),
                         NULL},
        &r);
    ASSERT_EQ(r.status, 0);
    const char *nl = strstr(r.out.buf, "\n\n");
    ASSERT(nl != NULL);
    ASSERT_CONTAINS(r.out.buf, "China is the enemy");
    ASSERT(strchr(r.out.buf, '\n') == nl); /* title line, then a blank line */
    ASSERT_CONTAINS(nl, seed_paragraphs[0]);
    ASSERT_NOT_CONTAINS(r.out.buf, "Sponsored Links");
    run_release(&r);

    run((const char *[]){"extract", "--format=html", fixture("extract/fixtures/seed.html"), NULL},
        &r);
    ASSERT_EQ(r.status, 0);
    ASSERT(strncmp(r.out.buf, "<!DOCTYPE html>", 15) == 0);
    ASSERT_CONTAINS(r.out.buf, "<meta charset=\"utf-8\">");
    ASSERT_CONTAINS(r.out.buf, "<title>‘China is the enemy&#39;");
    ASSERT_CONTAINS(r.out.buf, "<p>Despite warm public rhetoric");
    ASSERT_CONTAINS(r.out.buf, "</html>");
    ASSERT_NOT_CONTAINS(r.out.buf, "<script");
    ASSERT_NOT_CONTAINS(r.out.buf, "Taboola");
    run_release(&r);
}

static void test_gzip_and_stdin(void)
{
    size_t len, gz_len;
    char *page = slurp(fixture("extract/fixtures/seed.html"), &len);
    unsigned char *gz = gzip(page, len, &gz_len);
    const char *path = write_file("seed.html.gz", gz, gz_len);
    struct run r;

    run((const char *[]){"extract", path, NULL}, &r);
    ASSERT_EQ(r.status, 0);
    json_t *o = parse(r.out.buf, r.out.len);
    check_seed(o);
    json_decref(o);
    run_release(&r);

    /* Gzip is recognised by its bytes, whatever the name; and via stdin. */
    run_with((const char *[]){"extract", "--jsonl", "-", NULL}, (const char *)gz, gz_len, 120, &r);
    ASSERT_EQ(r.status, 0);
    o = parse(r.out.buf, r.out.len);
    check_seed(o);
    ASSERT_STR_EQ(jget(o, "source"), "-");
    json_decref(o);
    run_release(&r);
    free(page);
    free(gz);
}

/* --- bad input ------------------------------------------------------------ */

/* One input that must fail: exit 1, a message on stderr, and with --jsonl
 * a line whose `error` holds `want`. */
static void expect_failure(const char *path, const char *want)
{
    struct run r;

    run((const char *[]){"extract", path, NULL}, &r);
    ASSERT_EQ(r.status, 1);
    ASSERT_CONTAINS(r.err.buf, want);
    run_release(&r);
    run((const char *[]){"extract", "--jsonl", path, NULL}, &r);
    ASSERT_EQ(r.status, 1);
    ASSERT(r.out.len > 0 && r.out.buf[r.out.len - 1] == '\n');
    json_t *o = parse(r.out.buf, r.out.len);
    ASSERT_CONTAINS(jget(o, "error"), want);
    ASSERT_STR_EQ(jget(o, "source"), path);
    ASSERT(json_is_null(json_object_get(o, "text")));
    ASSERT(json_is_null(json_object_get(o, "title")));
    json_decref(o);
    run_release(&r);
}

static void test_empty_file(void)
{
    expect_failure(write_file("empty.html", "", 0), "is empty");
}

static void test_nonexistent_file(void)
{
    expect_failure(tmp_path("no-such-page.html"), "No such file or directory");
}

static void test_directory(void)
{
    expect_failure(fixture("extract"), "is a directory");
}

static void test_binary_junk(void)
{
    unsigned char junk[65536];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof(junk); i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (unsigned char)(x >> 16);
    }
    junk[100] = 0;
    expect_failure(write_file("junk.bin", junk, sizeof(junk)), "binary data");

    /* High bytes without NUL: not refused, but the output is valid UTF-8. */
    for (size_t i = 0; i < sizeof(junk); i++)
        junk[i] |= 0x80;
    struct run r;
    run((const char *[]){"extract", write_file("junk2.bin", junk, sizeof(junk)), NULL}, &r);
    ASSERT(r.status == 0 || r.status == 1);
    json_t *o = parse(r.out.buf, r.out.len);
    json_decref(o);
    run_release(&r);
}

static void test_huge_files(void)
{
    /* 50 MB: refused by the file cap before it is read. */
    const char *path = tmp_path("huge.html");
    FILE *f = fopen(path, "wb");
    static char block[1 << 20];
    ASSERT(f);
    memset(block, 'x', sizeof(block));
    memcpy(block, "<p>", 3);
    for (int i = 0; i < 50; i++)
        ASSERT(fwrite(block, 1, sizeof(block), f) == sizeof(block));
    ASSERT(fclose(f) == 0);
    double t0 = now();
    expect_failure(path, "larger than the 32 MiB cap");
    ASSERT_LT(now() - t0, 30);
    remove(path);

    /* 50 MB through a pipe, where the size is unknown until read. */
    struct run r;
    char *big = malloc(50u << 20);
    ASSERT(big);
    memset(big, 'y', 50u << 20);
    run_with((const char *[]){"extract", "-", NULL}, big, 50u << 20, 120, &r);
    ASSERT_EQ(r.status, 1);
    ASSERT_CONTAINS(r.err.buf, "'standard input' is larger than the 32 MiB cap");
    run_release(&r);

    /* 20 MB: under the file cap, over the extractor's 16 MiB. */
    path = write_file("big.html", big, 20u << 20);
    expect_failure(path, "16 MiB cap");
    remove(path);

    /* A gzip bomb: 40 MB of zeros in about 40 KB. */
    memset(big, ' ', 40u << 20);
    size_t gz_len;
    unsigned char *gz = gzip(big, 40u << 20, &gz_len);
    ASSERT_LT(gz_len, 1u << 20);
    expect_failure(write_file("bomb.html.gz", gz, gz_len), "inflates to more than the 32 MiB cap");
    free(gz);
    free(big);
}

static void test_deep_nesting(void)
{
    struct td_buf page = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_buf_append_c(&page, "<html><head><title>Deep</title></head><body>"));
    for (int i = 0; i < 100000; i++)
        ASSERT_OK(td_buf_append_c(&page, "<div>"));
    ASSERT_OK(td_buf_append_c(&page, "<p>A paragraph at the bottom of a very deep tree of "
                                     "boxes, long enough to count as an article paragraph.</p>"));
    for (int i = 0; i < 100000; i++)
        ASSERT_OK(td_buf_append_c(&page, "</div>"));
    ASSERT_OK(td_buf_append_c(&page, "</body></html>"));
    const char *path = write_file("deep.html", page.buf, page.len);
    td_buf_release(&page);

    struct run r;
    run((const char *[]){"extract", "--jsonl", path, NULL}, &r);
    /* The extractor stops walking at its depth cap: either outcome is an
     * answer, never a crash or a hang. */
    json_t *o = parse(r.out.buf, r.out.len);
    if (r.status == 0) {
        ASSERT(json_is_null(json_object_get(o, "error")));
        ASSERT(json_is_string(json_object_get(o, "text")));
    } else {
        ASSERT_EQ(r.status, 1);
        ASSERT(json_is_string(json_object_get(o, "error")));
    }
    json_decref(o);
    run_release(&r);
}

static void test_truncated_gzip(void)
{
    size_t len, gz_len;
    char *page = slurp(fixture("extract/fixtures/seed.html"), &len);
    unsigned char *gz = gzip(page, len, &gz_len);
    expect_failure(write_file("cut.html.gz", gz, gz_len / 2), "truncated gzip data");
    gz[gz_len / 2] ^= 0x55;
    gz[gz_len / 2 + 1] ^= 0xaa;
    expect_failure(write_file("bad.html.gz", gz, gz_len), "gzip data");
    free(page);
    free(gz);
}

static const char article_start[] = "<html><head><title>Test page</title></head><body><article>";
static const char article_end[] = "</article></body></html>";

static void test_invalid_utf8(void)
{
    struct td_buf page = TD_BUF_INIT(TD_BUF_NOCAP);
    ASSERT_OK(td_buf_append_c(&page, "<meta charset=utf-8>"));
    ASSERT_OK(td_buf_append_c(&page, article_start));
    for (int i = 0; i < 4; i++)
        ASSERT_OK(td_buf_append_c(&page, "<p>Caf\xc3\xa9 owners said the bad bytes \xff\xfe here "
                                         "and a cut sequence \xe2\x82 there did not stop the "
                                         "council from voting on the new opening hours.</p>"));
    ASSERT_OK(td_buf_append_c(&page, article_end));
    struct run r;
    run((const char *[]){"extract", write_file("bad-utf8.html", page.buf, page.len), NULL}, &r);
    ASSERT_EQ(r.status, 0);
    json_t *o = parse(r.out.buf, r.out.len);
    ASSERT_CONTAINS(jget(o, "text"),
                    "Café owners said the bad bytes \xef\xbf\xbd\xef\xbf\xbd here");
    ASSERT_CONTAINS(jget(o, "text"), "a cut sequence \xef\xbf\xbd there");
    json_decref(o);
    run_release(&r);
    td_buf_release(&page);
}

static void test_no_article(void)
{
    static const char page[] =
        "<html><head><title>Nothing here</title></head><body><nav><a href=/>Home</a> "
        "<a href=/about>About</a></nav><footer>© 2025 Example</footer></body></html>";
    struct run r;
    run((const char *[]){"extract", write_file("nav.html", page, sizeof(page) - 1), NULL}, &r);
    json_t *o = parse(r.out.buf, r.out.len);
    if (r.status == 0) {
        ASSERT_STR_EQ(jget(o, "text"), "");
        ASSERT_EQ(json_integer_value(json_object_get(o, "word_count")), 0);
    } else {
        ASSERT_EQ(r.status, 1);
        ASSERT(json_is_string(json_object_get(o, "error")));
    }
    json_decref(o);
    run_release(&r);
}

/* "北京新闻：今天北京天气晴朗，市民纷纷外出游玩。" (GB2312), three times. */
#define GB_SENTENCE                                                                                \
    "\xb1\xb1\xbe\xa9\xd0\xc2\xce\xc5\xa3\xba\xbd\xf1\xcc\xec\xb1\xb1\xbe\xa9\xcc\xec\xc6\xf8"     \
    "\xc7\xe7\xc0\xca\xa3\xac\xca\xd0\xc3\xf1\xb7\xd7\xb7\xd7\xcd\xe2\xb3\xf6\xd3\xce\xcd\xe6"     \
    "\xa1\xa3"
#define U8_SENTENCE "北京新闻：今天北京天气晴朗，市民纷纷外出游玩。"

static const char gb_page[] =
    "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">"
    "<title>\xd0\xc2\xce\xc5</title></head><body><article>"
    "<p>" GB_SENTENCE GB_SENTENCE GB_SENTENCE "</p><p>" GB_SENTENCE GB_SENTENCE "</p>"
    "</article></body></html>";

static void test_gb2312_page(void)
{
    struct run r;
    run((const char *[]){"extract", write_file("gb.html", gb_page, sizeof(gb_page) - 1), NULL}, &r);
    ASSERT_EQ(r.status, 0);
    json_t *o = parse(r.out.buf, r.out.len);
    ASSERT_CONTAINS(jget(o, "text"), U8_SENTENCE U8_SENTENCE);
    ASSERT_STR_EQ(jget(o, "title"), "新闻");
    json_decref(o);
    run_release(&r);
}

static const char latin1_page[] =
    "<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9 d\xe9j\xe0 vu</title></head><body>"
    "<article><p>Le pr\xe9sident a pr\xe9sent\xe9 mercredi son projet de r\xe9"
    "forme, qui pr\xe9voit une hausse des d\xe9penses de sant\xe9 et une baisse des imp\xf4ts "
    "pour les m\xe9nages les plus modestes.</p><p>\xab C'est une \xe9tape d\xe9"
    "cisive \xbb, a-t-il d\xe9"
    "clar\xe9 devant les d\xe9put\xe9s r\xe9unis \xe0 Paris, "
    "o\xf9 le texte sera d\xe9"
    "battu en f\xe9vrier \x80 100 millions.</p></article></body></html>";

static void test_latin1_page(void)
{
    struct run r;
    run((const char *[]){"extract", write_file("fr.html", latin1_page, sizeof(latin1_page) - 1),
                         NULL},
        &r);
    ASSERT_EQ(r.status, 0);
    json_t *o = parse(r.out.buf, r.out.len);
    ASSERT_STR_EQ(jget(o, "title"), "Café déjà vu");
    ASSERT_CONTAINS(jget(o, "text"), "« C'est une étape décisive », a-t-il déclaré");
    ASSERT_CONTAINS(jget(o, "text"), "février € 100 millions"); /* 0x80 is € in windows-1252 */
    json_decref(o);
    run_release(&r);
}

static void test_jsonl_order_and_errors(void)
{
    const char *latin = write_file("fr.html", latin1_page, sizeof(latin1_page) - 1);
    const char *missing = tmp_path("missing.html");
    const char *empty = write_file("empty.html", "", 0);
    const char *seed = fixture("extract/fixtures/seed.html");
    struct run r;

    run_with((const char *[]){"extract", seed, missing, latin, "-", empty, NULL}, gb_page,
             sizeof(gb_page) - 1, 120, &r);
    ASSERT_EQ(r.status, 1);
    const char *want_src[] = {seed, missing, latin, "-", empty};
    const bool want_err[] = {false, true, false, false, true};
    const char *p = r.out.buf;
    for (size_t i = 0; i < 5; i++) {
        const char *nl = strchr(p, '\n');
        ASSERT(nl != NULL);
        json_t *o = parse(p, (size_t)(nl - p));
        ASSERT_STR_EQ(jget(o, "source"), want_src[i]);
        ASSERT_EQ(json_is_string(json_object_get(o, "error")), want_err[i]);
        ASSERT_EQ(json_is_null(json_object_get(o, "error")), !want_err[i]);
        ASSERT_EQ(json_is_string(json_object_get(o, "text")), !want_err[i]);
        if (i == 0)
            check_seed(o);
        if (i == 3)
            ASSERT_CONTAINS(jget(o, "text"), U8_SENTENCE);
        json_decref(o);
        p = nl + 1;
    }
    ASSERT_EQ(*p, '\0');
    run_release(&r);

    /* All good: exit 0, one line each. */
    run((const char *[]){"extract", "--format", "text", latin, seed, NULL}, &r);
    ASSERT_EQ(r.status, 0);
    const char *nl = strchr(r.out.buf, '\n');
    ASSERT(nl && strchr(nl + 1, '\n') == r.out.buf + r.out.len - 1);
    run_release(&r);
}

static void test_base_url(void)
{
    static const char page[] =
        "<html><head><title>Links</title></head><body><article>"
        "<p>The council published <a href=\"../docs/report.pdf\">its report</a> on Tuesday, "
        "and the mayor answered questions about the budget for the new library.</p>"
        "<p>Residents can read <a href=\"/archive?id=7\">earlier coverage</a> of the debate, "
        "which has gone on for more than two years in the town hall.</p>"
        "</article></body></html>";
    const char *path = write_file("links.html", page, sizeof(page) - 1);
    struct run r;

    run((const char *[]){"extract", "--url", "https://news.example/city/2025/story.html", path,
                         NULL},
        &r);
    ASSERT_EQ(r.status, 0);
    json_t *o = parse(r.out.buf, r.out.len);
    ASSERT_STR_EQ(jget(o, "url"), "https://news.example/city/2025/story.html");
    ASSERT_CONTAINS(jget(o, "html"), "https://news.example/city/docs/report.pdf");
    ASSERT_CONTAINS(jget(o, "html"), "https://news.example/archive?id=7");
    json_decref(o);
    run_release(&r);
}

static void test_usage_errors(void)
{
    const char *const *const cases[] = {
        (const char *[]){"extract", NULL},
        (const char *[]){"extract", "--format", "xml", "x.html", NULL},
        (const char *[]){"extract", "--format", NULL},
        (const char *[]){"extract", "--bogus", "x.html", NULL},
        (const char *[]){"extract", "--url", "/relative", "x.html", NULL},
        (const char *[]){"extract", "--url", NULL},
    };
    struct run r;

    for (size_t i = 0; i < TD_ARRAY_SIZE(cases); i++) {
        run(cases[i], &r);
        ASSERT_EQ(r.status, 2);
        ASSERT_EQ(r.out.len, 0);
        ASSERT_CONTAINS(r.err.buf, "tidings extract");
        run_release(&r);
    }
    run((const char *[]){"extract", "--help", NULL}, &r);
    ASSERT_EQ(r.status, 0);
    ASSERT_CONTAINS(r.out.buf, "usage: tidings extract");
    run_release(&r);
    /* "--" ends the options: a file named like an option. */
    run((const char *[]){"extract", "--", "--bogus", NULL}, &r);
    ASSERT_EQ(r.status, 1);
    ASSERT_CONTAINS(r.err.buf, "cannot open '--bogus'");
    run_release(&r);
}

/* --- URL inputs ----------------------------------------------------------- */

static void test_url_inputs(void)
{
    struct td_fixture *f = td_fixture_start(0);
    char page_url[TD_FIXTURE_URL_MAX], huge_url[TD_FIXTURE_URL_MAX], redir_url[TD_FIXTURE_URL_MAX],
        missing_url[TD_FIXTURE_URL_MAX], gz_url[TD_FIXTURE_URL_MAX];
    static const char gb_no_meta[] =
        "<html><head><title>\xd0\xc2\xce\xc5</title></head><body><article><p>" GB_SENTENCE
            GB_SENTENCE GB_SENTENCE "</p></article></body></html>";
    size_t seed_len, gz_len;
    char *seed = slurp(fixture("extract/fixtures/seed.html"), &seed_len);
    unsigned char *gz = gzip(seed, seed_len, &gz_len);
    struct run r;

    ASSERT(f != NULL);
    ASSERT_OK(td_fixture_add(f, &(struct td_fixture_route){
                                    .path = "/news/gb.html",
                                    .body = gb_no_meta,
                                    .content_type = "text/html; charset=GB2312",
                                }));
    ASSERT_OK(td_fixture_add(f, &(struct td_fixture_route){
                                    .path = "/huge.html",
                                    .kind = TD_FIXTURE_HUGE,
                                    .size = 11u << 20,
                                    .content_type = "text/html",
                                }));
    ASSERT_OK(td_fixture_add(f, &(struct td_fixture_route){
                                    .path = "/old",
                                    .kind = TD_FIXTURE_REDIRECT,
                                    .location = "/news/gb.html",
                                }));
    ASSERT_OK(td_fixture_add(f, &(struct td_fixture_route){
                                    .path = "/saved.html.gz",
                                    .body = (const char *)gz,
                                    .body_len = gz_len,
                                    .content_type = "application/octet-stream",
                                }));
    td_fixture_url(f, "/news/gb.html", page_url);
    td_fixture_url(f, "/huge.html", huge_url);
    td_fixture_url(f, "/old", redir_url);
    td_fixture_url(f, "/missing.html", missing_url);
    td_fixture_url(f, "/saved.html.gz", gz_url);

    /* Loopback is private: refused without --allow-private. */
    run((const char *[]){"extract", page_url, NULL}, &r);
    ASSERT_EQ(r.status, 1);
    ASSERT_CONTAINS(r.err.buf, "refusing to fetch");
    ASSERT_CONTAINS(r.err.buf, "--allow-private");
    run_release(&r);
    ASSERT_EQ(td_fixture_hits(f, "/news/gb.html"), 0);

    /* Allowed: the charset comes from the HTTP header, the URL from the fetch. */
    run((const char *[]){"extract", "--allow-private", redir_url, NULL}, &r);
    ASSERT_EQ(r.status, 0);
    json_t *o = parse(r.out.buf, r.out.len);
    ASSERT_CONTAINS(jget(o, "text"), U8_SENTENCE U8_SENTENCE);
    ASSERT_STR_EQ(jget(o, "url"), page_url);
    ASSERT_STR_EQ(jget(o, "source"), redir_url);
    json_decref(o);
    run_release(&r);

    /* A gzip file served as bytes is gunzipped like a local one. */
    run((const char *[]){"extract", "--allow-private", gz_url, NULL}, &r);
    ASSERT_EQ(r.status, 0);
    o = parse(r.out.buf, r.out.len);
    check_seed(o);
    json_decref(o);
    run_release(&r);

    /* Over 10 MB, a 404, and a good page, in one run. */
    run((const char *[]){"extract", "--allow-private", huge_url, missing_url, page_url, NULL}, &r);
    ASSERT_EQ(r.status, 1);
    const char *nl1 = strchr(r.out.buf, '\n');
    ASSERT(nl1);
    const char *nl2 = strchr(nl1 + 1, '\n');
    ASSERT(nl2);
    o = parse(r.out.buf, (size_t)(nl1 - r.out.buf));
    ASSERT_CONTAINS(jget(o, "error"), "larger than the 10 MiB download cap");
    json_decref(o);
    o = parse(nl1 + 1, (size_t)(nl2 - nl1 - 1));
    ASSERT_CONTAINS(jget(o, "error"), "404");
    json_decref(o);
    o = parse(nl2 + 1, strlen(nl2 + 1));
    ASSERT(json_is_null(json_object_get(o, "error")));
    json_decref(o);
    run_release(&r);

    td_fixture_stop(f);
    free(seed);
    free(gz);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_seed_json),
    TAP_TEST(test_seed_text_and_html),
    TAP_TEST(test_gzip_and_stdin),
    TAP_TEST(test_empty_file),
    TAP_TEST(test_nonexistent_file),
    TAP_TEST(test_directory),
    TAP_TEST(test_binary_junk),
    TAP_TEST(test_huge_files),
    TAP_TEST(test_deep_nesting),
    TAP_TEST(test_truncated_gzip),
    TAP_TEST(test_invalid_utf8),
    TAP_TEST(test_no_article),
    TAP_TEST(test_gb2312_page),
    TAP_TEST(test_latin1_page),
    TAP_TEST(test_jsonl_order_and_errors),
    TAP_TEST(test_base_url),
    TAP_TEST(test_usage_errors),
    TAP_TEST(test_url_inputs),
    TAP_END,
};

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_extract_cli TIDINGS TESTS_DIR\n");
        return 2;
    }
    tidings = argv[1];
    tests_dir = argv[2];
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof(tmpdir), "%s/tidings-extract-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 99;
    }
    int rc = tap_run(tests);
    tmp_cleanup();
    return rc;
}
