/*
 * The multi fetcher against the fixture server on 127.0.0.1: every job
 * completes with td_net_get's result, the per-host limit holds (the server
 * counts requests in flight), hosts are limited separately, host delays
 * space requests out, and a URL asked for many times is fetched once.
 */
#include "base/compat.h"
#include "base/error.h"
#include "net/net.h"

#include "fixture/fixture.h"
#include "harness/tap.h"

#include <time.h>

static const struct td_net_opts loopback = {.allow_private = true, .timeout_ms = 10000};

static struct td_fixture *start(void)
{
    struct td_fixture *f = td_fixture_start(0);

    ASSERT(f != NULL);
    return f;
}

static void add(struct td_fixture *f, struct td_fixture_route r)
{
    ASSERT_OK(td_fixture_add(f, &r));
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run `m` to the end; store each finished job by its first user (an index). */
static void run_all(struct td_net_multi *m, struct td_net_job **out, size_t n)
{
    struct td_net_job *j;
    int left;

    while ((left = td_net_multi_run(m, 1000)) > 0) {
        while ((j = td_net_multi_next(m)) != NULL) {
            size_t i = (size_t)(uintptr_t)j->users[0];
            ASSERT_LT(i, n);
            ASSERT(out[i] == NULL);
            out[i] = j;
        }
    }
    ASSERT_EQ(left, 0);
    ASSERT(td_net_multi_next(m) == NULL);
}

static void free_all(struct td_net_job **jobs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        td_net_job_free(jobs[i]);
}

static void test_mixed_results(void)
{
    struct td_fixture *f = start();
    struct td_net_multi *m = td_net_multi_new(NULL);
    struct td_net_job *jobs[6] = {0};
    char url[TD_FIXTURE_URL_MAX];
    struct td_net_opts strict = {.timeout_ms = 5000};

    add(f, (struct td_fixture_route){.path = "/a", .body = "alpha", .etag = "\"a1\""});
    add(f,
        (struct td_fixture_route){.path = "/busy", .status = 503, .headers = "Retry-After: 30\n"});
    add(f, (struct td_fixture_route){
               .path = "/r", .kind = TD_FIXTURE_REDIRECT, .status = 301, .location = "/a"});
    td_net_multi_add(m, td_fixture_url(f, "/a", url), &loopback, (void *)0);
    td_net_multi_add(m, td_fixture_url(f, "/busy", url), &loopback, (void *)1);
    td_net_multi_add(m, td_fixture_url(f, "/r", url), &loopback, (void *)2);
    td_net_multi_add(m, td_fixture_url(f, "/a", url), &strict, (void *)3);
    td_net_multi_add(m, "gopher://127.0.0.1/", &loopback, (void *)4);
    td_net_multi_add(m, "gopher://127.0.0.1/", &loopback, (void *)4);
    struct td_net_opts cond = loopback;
    cond.etag = "\"a1\"";
    td_net_multi_add(m, td_fixture_url(f, "/a?cond", url), &cond, (void *)5);
    run_all(m, jobs, 6);

    /* /a was asked for twice: one job, both users, the first add's options */
    ASSERT(jobs[3] == NULL);
    ASSERT_EQ(jobs[0]->nusers, 2);
    ASSERT(jobs[0]->users[1] == (void *)3);
    ASSERT_OK(jobs[0]->err);
    ASSERT_STR_EQ(jobs[0]->resp.body.buf, "alpha");
    ASSERT_EQ(td_fixture_hits(f, "/a"), 3); /* /a, the redirect's target, /a?cond */

    ASSERT_EQ(jobs[1]->err, TD_EHTTP);
    ASSERT_EQ(jobs[1]->resp.status, 503);
    ASSERT_EQ(td_net_not_before(&jobs[1]->resp, 1000), 1030);

    ASSERT_OK(jobs[2]->err);
    ASSERT(jobs[2]->resp.permanent_redirect);
    ASSERT_STR_EQ(jobs[2]->resp.permanent_url, td_fixture_url(f, "/a", url));
    ASSERT_STR_EQ(jobs[2]->resp.body.buf, "alpha");

    ASSERT_EQ(jobs[4]->err, TD_EINVAL);
    ASSERT_CONTAINS(jobs[4]->resp.error, "gopher");
    ASSERT_EQ(jobs[4]->nusers, 2); /* refused jobs are deduplicated too */

    ASSERT_OK(jobs[5]->err);
    ASSERT(jobs[5]->resp.not_modified);

    free_all(jobs, 6);
    td_net_multi_free(m);
    td_fixture_stop(f);
}

/* The strict (no allow_private) job is refused while its neighbours run. */
static void test_guard_per_job(void)
{
    struct td_fixture *f = start();
    struct td_net_multi *m = td_net_multi_new(NULL);
    struct td_net_job *jobs[2] = {0};
    struct td_net_opts strict = {.timeout_ms = 5000};
    char url[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){.path = "/open", .body = "ok"});
    add(f, (struct td_fixture_route){.path = "/closed", .body = "secret"});
    td_net_multi_add(m, td_fixture_url(f, "/open", url), &loopback, (void *)0);
    td_net_multi_add(m, td_fixture_url(f, "/closed", url), &strict, (void *)1);
    run_all(m, jobs, 2);
    ASSERT_OK(jobs[0]->err);
    ASSERT_EQ(jobs[1]->err, TD_EDENIED);
    ASSERT_EQ(td_fixture_hits(f, "/closed"), 0);
    free_all(jobs, 2);
    td_net_multi_free(m);
    td_fixture_stop(f);
}

/*
 * A connection opened for a job that may reach loopback stays in libcurl's
 * cache; a later strict job to the same host must not ride on it.
 */
static void test_guard_on_reused_connection(void)
{
    struct td_fixture *f = start();
    struct td_net_multi *m = td_net_multi_new(NULL);
    struct td_net_opts strict = {.timeout_ms = 5000};
    char url[TD_FIXTURE_URL_MAX];
    struct td_net_job *j = NULL;

    add(f, (struct td_fixture_route){.path = "/open", .body = "ok"});
    add(f, (struct td_fixture_route){.path = "/closed", .body = "secret"});
    td_net_multi_add(m, td_fixture_url(f, "/open", url), &loopback, NULL);
    while (!j && td_net_multi_run(m, 1000) > 0)
        j = td_net_multi_next(m);
    ASSERT(j != NULL);
    ASSERT_OK(j->err);
    td_net_job_free(j);

    td_net_multi_add(m, td_fixture_url(f, "/closed", url), &strict, NULL);
    j = NULL;
    while (!j && td_net_multi_run(m, 1000) > 0)
        j = td_net_multi_next(m);
    ASSERT(j != NULL);
    ASSERT_EQ(j->err, TD_EDENIED);
    ASSERT_CONTAINS(j->resp.error, "127.0.0.1");
    ASSERT_EQ(td_fixture_hits(f, "/closed"), 0);
    td_net_job_free(j);
    td_net_multi_free(m);
    td_fixture_stop(f);
}

/* Eight slow requests to one host with a limit of 2: never more than 2 at once. */
static void test_per_host_limit(void)
{
    struct td_fixture *f = start();
    struct td_net_multi_opts mo = {.max_per_host = 2, .max_total = 16};
    struct td_net_multi *m = td_net_multi_new(&mo);
    struct td_net_job *jobs[8] = {0};
    char path[32], url[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){.path = "/slow", .body = "zzz", .delay_ms = 150});
    for (uintptr_t i = 0; i < 8; i++) {
        snprintf(path, sizeof(path), "/slow?n=%u", (unsigned)i);
        td_net_multi_add(m, td_fixture_url(f, path, url), &loopback, (void *)i);
    }
    double t0 = now_s();
    run_all(m, jobs, 8);
    double took = now_s() - t0;
    for (size_t i = 0; i < 8; i++)
        ASSERT_OK(jobs[i]->err);
    ASSERT_EQ(td_fixture_hits(f, "/slow"), 8);
    ASSERT_EQ(td_fixture_max_inflight(f), 2);
    ASSERT(took >= 4 * 0.150 - 0.02); /* four rounds of two */
    free_all(jobs, 8);
    td_net_multi_free(m);
    td_fixture_stop(f);
}

/*
 * "127.0.0.1" and "localhost" are two hosts to the scheduler: with a limit
 * of one each, two requests run at once.
 */
static void test_limit_is_per_host(void)
{
    struct td_fixture *f = start();
    struct td_net_multi_opts mo = {.max_per_host = 1};
    struct td_net_multi *m = td_net_multi_new(&mo);
    struct td_net_job *jobs[6] = {0};
    char url[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){.path = "/slow", .body = "zzz", .delay_ms = 150});
    for (uintptr_t i = 0; i < 6; i++) {
        snprintf(url, sizeof(url), "http://%s:%u/slow?n=%u", i % 2 ? "localhost" : "127.0.0.1",
                 (unsigned)td_fixture_port(f), (unsigned)i);
        td_net_multi_add(m, url, &loopback, (void *)i);
    }
    run_all(m, jobs, 6);
    for (size_t i = 0; i < 6; i++)
        ASSERT_OK(jobs[i]->err);
    ASSERT_EQ(td_fixture_max_inflight(f), 2);
    free_all(jobs, 6);
    td_net_multi_free(m);
    td_fixture_stop(f);
}

static void test_host_delay(void)
{
    struct td_fixture *f = start();
    struct td_net_multi_opts mo = {.max_per_host = 4, .host_delay_ms = 100};
    struct td_net_multi *m = td_net_multi_new(&mo);
    struct td_net_job *jobs[4] = {0};
    char path[32], url[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){.path = "/p", .body = "x"});
    for (uintptr_t i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "/p?n=%u", (unsigned)i);
        td_net_multi_add(m, td_fixture_url(f, path, url), &loopback, (void *)i);
    }
    double t0 = now_s();
    run_all(m, jobs, 4);
    double took = now_s() - t0;
    for (size_t i = 0; i < 4; i++)
        ASSERT_OK(jobs[i]->err);
    ASSERT(took >= 3 * 0.100 - 0.02); /* starts at 0, 100, 200, 300 ms */
    ASSERT(took < 3.0);
    free_all(jobs, 4);
    td_net_multi_free(m);
    td_fixture_stop(f);
}

/* Fifty asks for one URL in a batch: one request reaches the server. */
static void test_duplicates_fetched_once(void)
{
    struct td_fixture *f = start();
    struct td_net_multi *m = td_net_multi_new(NULL);
    struct td_net_job *first = NULL, *j;
    char url[TD_FIXTURE_URL_MAX];
    int taken = 0;

    add(f, (struct td_fixture_route){.path = "/story", .body = "the story", .delay_ms = 50});
    td_fixture_url(f, "/story", url);
    for (uintptr_t i = 0; i < 50; i++) {
        j = td_net_multi_add(m, url, &loopback, (void *)i);
        if (!first)
            first = j;
        ASSERT(j == first);
    }
    while (td_net_multi_run(m, 1000) > 0) {
        while ((j = td_net_multi_next(m)) != NULL) {
            ASSERT(j == first);
            ASSERT_EQ(j->nusers, 50);
            for (uintptr_t i = 0; i < 50; i++)
                ASSERT(j->users[i] == (void *)i);
            ASSERT_STR_EQ(j->resp.body.buf, "the story");
            td_net_job_free(j);
            taken++;
        }
    }
    ASSERT_EQ(taken, 1);
    ASSERT_EQ(td_fixture_hits(f, "/story"), 1);

    /* once taken, a new ask is a new fetch */
    j = td_net_multi_add(m, url, &loopback, NULL);
    struct td_net_job *got = NULL;
    while (!got && td_net_multi_run(m, 1000) > 0)
        got = td_net_multi_next(m);
    ASSERT(got == j);
    ASSERT_EQ(td_fixture_hits(f, "/story"), 2);
    td_net_job_free(j);
    td_net_multi_free(m);
    td_fixture_stop(f);
}

/* Freeing a fetcher with queued and running jobs aborts them cleanly. */
static void test_free_midway(void)
{
    struct td_fixture *f = start();
    struct td_net_multi_opts mo = {.max_per_host = 1};
    struct td_net_multi *m = td_net_multi_new(&mo);
    char path[32], url[TD_FIXTURE_URL_MAX];

    add(f, (struct td_fixture_route){.path = "/slow", .body = "zzz", .delay_ms = 2000});
    for (unsigned i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "/slow?n=%u", i);
        td_net_multi_add(m, td_fixture_url(f, path, url), &loopback, NULL);
    }
    ASSERT_EQ(td_net_multi_run(m, 100), 3);
    ASSERT(td_net_multi_next(m) == NULL);
    td_net_multi_free(m);
    td_net_multi_free(NULL);
    td_net_job_free(NULL);
    td_fixture_stop(f);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_mixed_results),
    TAP_TEST(test_guard_per_job),
    TAP_TEST(test_guard_on_reused_connection),
    TAP_TEST(test_per_host_limit),
    TAP_TEST(test_limit_is_per_host),
    TAP_TEST(test_host_delay),
    TAP_TEST(test_duplicates_fetched_once),
    TAP_TEST(test_free_midway),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
