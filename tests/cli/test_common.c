/*
 * The subcommands' shared helpers: the XDG default database path, creating
 * its directories, and the progress line (its text, and its silence when
 * not on a terminal).
 */
#include "base/compat.h"
#include "base/error.h"
#include "cli/common.h"

#include "harness/tap.h"

#include <sys/stat.h>

/* Remove a test's temporary directory. */
static void rm_rf(const char *dir)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ASSERT_EQ(system(cmd), 0);
}

static void test_default_db_xdg(void)
{
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);

    ASSERT_OK(td_cli_default_db("/data", "/home/u", &b));
    ASSERT_STR_EQ(b.buf, "/data/tidings/tidings.db");
    td_buf_reset(&b);
    /* Unset, empty or relative XDG_DATA_HOME falls back to HOME. */
    ASSERT_OK(td_cli_default_db(NULL, "/home/u", &b));
    ASSERT_STR_EQ(b.buf, "/home/u/.local/share/tidings/tidings.db");
    td_buf_reset(&b);
    ASSERT_OK(td_cli_default_db("", "/home/u", &b));
    ASSERT_STR_EQ(b.buf, "/home/u/.local/share/tidings/tidings.db");
    td_buf_reset(&b);
    ASSERT_OK(td_cli_default_db("rel/dir", "/home/u", &b));
    ASSERT_STR_EQ(b.buf, "/home/u/.local/share/tidings/tidings.db");
    td_buf_reset(&b);
    ASSERT_EQ(td_cli_default_db(NULL, NULL, &b), TD_ENOTFOUND);
    ASSERT_EQ(td_cli_default_db("x", "y", &b), TD_ENOTFOUND);
    td_buf_release(&b);
}

static void test_default_cache_xdg(void)
{
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);

    ASSERT_OK(td_cli_default_cache("/cache", "/home/u", &b));
    ASSERT_STR_EQ(b.buf, "/cache/tidings/listen");
    td_buf_reset(&b);
    ASSERT_OK(td_cli_default_cache("rel", "/home/u", &b));
    ASSERT_STR_EQ(b.buf, "/home/u/.cache/tidings/listen");
    td_buf_reset(&b);
    ASSERT_EQ(td_cli_default_cache(NULL, NULL, &b), TD_ENOTFOUND);
    td_buf_release(&b);
}

static void test_mkparents(void)
{
    char tmpl[] = "/tmp/td-cli-XXXXXX";
    char path[256];
    struct stat sb;

    ASSERT(mkdtemp(tmpl) != NULL);
    snprintf(path, sizeof(path), "%s/a/b/c/tidings.db", tmpl);
    ASSERT_OK(td_cli_mkparents(path));
    snprintf(path, sizeof(path), "%s/a/b/c", tmpl);
    ASSERT_OK(stat(path, &sb));
    ASSERT(S_ISDIR(sb.st_mode));
    ASSERT_EQ(sb.st_mode & 0777, 0700);
    /* Existing directories are fine. */
    snprintf(path, sizeof(path), "%s/a/b/c/tidings.db", tmpl);
    ASSERT_OK(td_cli_mkparents(path));
    /* A file in the way is an error. */
    snprintf(path, sizeof(path), "%s/a/b/c/tidings.db", tmpl);
    FILE *f = fopen(path, "w");
    ASSERT(f != NULL);
    fclose(f);
    snprintf(path, sizeof(path), "%s/a/b/c/tidings.db/x/y.db", tmpl);
    ASSERT_EQ(td_cli_mkparents(path), TD_EIO);
    rm_rf(tmpl);
}

static void test_db_path_prefers_flag(void)
{
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);

    ASSERT_OK(td_cli_db_path("/x/y.db", &b));
    ASSERT_STR_EQ(b.buf, "/x/y.db");
    td_buf_reset(&b);
    ASSERT_EQ(td_cli_db_path("", &b), TD_EINVAL);
    td_buf_release(&b);
}

static void test_db_path_creates_xdg_dir(void)
{
    char tmpl[] = "/tmp/td-cli-XXXXXX";
    char want[256];
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);
    struct stat sb;

    ASSERT(mkdtemp(tmpl) != NULL);
    ASSERT_OK(setenv("XDG_DATA_HOME", tmpl, 1));
    ASSERT_OK(td_cli_db_path(NULL, &b));
    snprintf(want, sizeof(want), "%s/tidings/tidings.db", tmpl);
    ASSERT_STR_EQ(b.buf, want);
    snprintf(want, sizeof(want), "%s/tidings", tmpl);
    ASSERT_OK(stat(want, &sb));
    ASSERT(S_ISDIR(sb.st_mode));
    td_buf_release(&b);
    rm_rf(tmpl);
}

static void test_progress_format(void)
{
    struct td_buf b = TD_BUF_INIT(TD_BUF_NOCAP);

    ASSERT_OK(td_progress_format(&b, "import", "feeds", 1200, 5000, 3, 2.0));
    ASSERT_STR_EQ(b.buf, "import: 1200/5000 feeds  600.0/s  3 errors");
    td_buf_reset(&b);
    ASSERT_OK(td_progress_format(&b, "crawl", "entries", 7, 0, 1, 0));
    ASSERT_STR_EQ(b.buf, "crawl: 7 entries  0.0/s  1 error");
    td_buf_release(&b);
}

static void test_progress_quiet_off_terminal(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    struct td_progress p;

    ASSERT(mem != NULL);
    td_progress_init(&p, mem, "import", "feeds");
    ASSERT(!p.enabled);
    td_progress_update(&p, 1, 2, 0);
    td_progress_finish(&p, 2, 2, 0);
    fclose(mem);
    ASSERT_EQ(len, 0);
    free(text);
}

static void test_progress_redraws_one_line(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    struct td_progress p;

    ASSERT(mem != NULL);
    td_progress_init(&p, mem, "import", "feeds");
    p.enabled = true; /* as on a terminal */
    td_progress_update(&p, 10000, 20000, 12);
    td_progress_finish(&p, 2, 2, 0);
    fclose(mem);
    /* Two draws, each starting with \r, the shorter one padded; one newline. */
    ASSERT_EQ(text[0], '\r');
    ASSERT_CONTAINS(text, "import: 10000/20000 feeds");
    ASSERT_CONTAINS(text, "12 errors\rimport: 2/2 feeds");
    ASSERT_EQ(text[len - 1], '\n');
    ASSERT_EQ(strchr(text, '\n'), text + len - 1);
    size_t first = (size_t)(strchr(text + 1, '\r') - text);
    ASSERT_EQ(len - 1 - first, first);
    free(text);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_default_db_xdg),
    TAP_TEST(test_default_cache_xdg),
    TAP_TEST(test_mkparents),
    TAP_TEST(test_db_path_prefers_flag),
    TAP_TEST(test_db_path_creates_xdg_dir),
    TAP_TEST(test_progress_format),
    TAP_TEST(test_progress_quiet_off_terminal),
    TAP_TEST(test_progress_redraws_one_line),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
