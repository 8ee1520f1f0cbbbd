/* SPDX-License-Identifier: MIT */
/* Allocation failure: for N = 1, 2, ..., the N-th of cmr's own allocations
 * fails; every call must then return CMR_OK or CMR_ENOMEM, and nothing of
 * ours may stay allocated. Stops once a run sees no injected failure. The
 * counters are atomic: the ledger allocates from its worker threads (with
 * two workers, which allocation fails is not the same from run to run). */
#include <stdatomic.h>
#include <stdlib.h>

#include <string.h>

#include "test_support.h"
#include "internal.h"

static atomic_long budget = -1; /* allocations before failing; -1: never */
static atomic_long outstanding;
static atomic_bool injected;

/* Whether this allocation may go ahead (false: it is the one that fails). */
static bool spend(void)
{
    long b = atomic_load(&budget);
    while (b >= 0) {
        if (b == 0) {
            atomic_store(&injected, true);
            return false;
        }
        if (atomic_compare_exchange_weak(&budget, &b, b - 1))
            return true;
    }
    return true;
}

static void *t_malloc(size_t n)
{
    if (!spend())
        return NULL;
    void *p = malloc(n + 16);
    if (!p)
        return NULL;
    atomic_fetch_add(&outstanding, 1);
    return (char *)p + 16;
}

static void t_free(void *p)
{
    if (!p)
        return;
    atomic_fetch_sub(&outstanding, 1);
    free((char *)p - 16);
}

static void *t_realloc(void *p, size_t n)
{
    if (!p)
        return t_malloc(n);
    if (!spend())
        return NULL;
    void *q = realloc((char *)p - 16, n + 16);
    return q ? (char *)q + 16 : NULL;
}

typedef enum cmr_status (*op_fn)(struct cmr_ctx *ctx);

static enum cmr_status op_import(struct cmr_ctx *ctx)
{
    const char *db = scratch_path("oom.gpkg");
    remove(db);
    struct cmr_store *s = NULL;
    enum cmr_status st = cmr_store_create(ctx, db, &s);
    cmr_store_close(s);
    if (st)
        return st;
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    st = cmr_import_opts_new(ctx, &o);
    if (!st)
        st = cmr_import_opts_source(ctx, o, CMR_KIND_HAZARD,
                                    testdata_path("hazards_bad.geojson"), NULL);
    if (!st)
        st = cmr_import_opts_preset(ctx, o, "imsma-ng");
    if (!st)
        st = cmr_import(ctx, db, o, &rep);
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
    return st;
}

/* The worked example (LAO) and two hazards in Lebanon and one in Chad:
 * three States, so that with two jobs the ledger reads ahead while it
 * overlays, and a failure can come with two States published. Lebanon
 * has a third hazard, recorded after the ledger's date, and two releases
 * naming it and a hazard the store lacks (release_unknown_hazard). */
static const char *ledger_store(void)
{
    const char *db = scratch_path("oom-ledger.gpkg");
    remove(db);
    struct cmr_ctx *ctx = NULL;
    assert_int_equal(cmr_ctx_new(&ctx), CMR_OK);
    struct cmr_store *s = NULL;
    assert_int_equal(cmr_store_create(ctx, db, &s), CMR_OK);
    cmr_store_close(s);
    const char *lbn = scratch_write(
        "lbn.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"B1\",\"country\":"
        "\"LBN\",\"class\":\"CHA\",\"recorded\":\"2012-01-01\"},\"geometry\":"
        "{\"type\":\"Polygon\",\"coordinates\":[[[35.5,33.3],[35.52,33.3],"
        "[35.52,33.32],[35.5,33.32],[35.5,33.3]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"B2\",\"country\":"
        "\"LBN\",\"class\":\"SHA\",\"recorded\":\"2013-01-01\"},\"geometry\":"
        "{\"type\":\"Polygon\",\"coordinates\":[[[35.51,33.31],[35.53,33.31],"
        "[35.53,33.33],[35.51,33.33],[35.51,33.31]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"B3\",\"country\":"
        "\"LBN\",\"class\":\"SHA\",\"recorded\":\"2023-01-01\"},\"geometry\":"
        "{\"type\":\"Polygon\",\"coordinates\":[[[35.6,33.3],[35.61,33.3],"
        "[35.61,33.31],[35.6,33.31],[35.6,33.3]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"C1\",\"country\":"
        "\"TCD\",\"class\":\"SHA\",\"recorded\":\"2014-01-01\"},\"geometry\":"
        "{\"type\":\"Polygon\",\"coordinates\":[[[19.0,15.0],[19.01,15.0],"
        "[19.01,15.01],[19.0,15.01],[19.0,15.0]]]}}]}");
    const char *lbn_rel = scratch_write(
        "lbn-rel.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"BR1\",\"country\":"
        "\"LBN\",\"method\":\"cleared\",\"completed\":\"2015-01-01\","
        "\"hazard_id\":\"B9\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[35.5,33.3],[35.505,33.3],[35.505,33.305],"
        "[35.5,33.305],[35.5,33.3]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"BR2\",\"country\":"
        "\"LBN\",\"method\":\"reduced\",\"completed\":\"2015-01-01\","
        "\"hazard_id\":\"B3\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[35.505,33.3],[35.51,33.3],[35.51,33.305],"
        "[35.505,33.305],[35.505,33.3]]]}}]}");
    char lao[4096];
    snprintf(lao, sizeof lao, "%s/hazards.geojson", CMR_TEST_LEDGER);
    char rel[4096];
    snprintf(rel, sizeof rel, "%s/releases.geojson", CMR_TEST_LEDGER);
    const char *files[][2] = {{lao, rel}, {lbn, lbn_rel}};
    for (int k = 0; k < 2; k++) {
        struct cmr_import_opts *o = NULL;
        struct cmr_import_report *rep = NULL;
        assert_int_equal(cmr_import_opts_new(ctx, &o), CMR_OK);
        assert_int_equal(
            cmr_import_opts_source(ctx, o, CMR_KIND_HAZARD, files[k][0], NULL),
            CMR_OK);
        if (files[k][1])
            assert_int_equal(cmr_import_opts_source(ctx, o, CMR_KIND_RELEASE,
                                                    files[k][1], NULL),
                             CMR_OK);
        assert_int_equal(cmr_import(ctx, db, o, &rep), CMR_OK);
        cmr_import_report_free(rep);
        cmr_import_opts_free(o);
    }
    cmr_ctx_free(ctx);
    return db;
}

static char ledger_db[4096];
static int ledger_jobs;

static const char *ledger_also; /* an earlier date too, or NULL */

static enum cmr_status op_ledger(struct cmr_ctx *ctx)
{
    struct cmr_store *s = NULL;
    struct cmr_ledger *L = NULL, *E = NULL;
    struct cmr_ledger_opts o = {.at = "2021-12-31", .jobs = ledger_jobs};
    if (ledger_also) {
        o.also_at = ledger_also;
        o.also = &E;
    }
    enum cmr_status st = cmr_store_open(ctx, ledger_db, CMR_STORE_READ, &s);
    if (!st)
        st = cmr_ledger_compute(ctx, s, &o, &L);
    if (!st && cmr_ledger_count(L) != 3)
        st = CMR_EINTERNAL;
    if (!st && ledger_also && (!E || cmr_ledger_count(E) != 3))
        st = CMR_EINTERNAL;
    cmr_ledger_free(E);
    cmr_ledger_free(L);
    cmr_store_close(s);
    return st;
}

static void run_with_failures(op_fn op, const char *name)
{
    for (long n = 0;; n++) {
        struct cmr_ctx *ctx = NULL;
        budget = -1;
        enum cmr_status st = cmr_ctx_new(&ctx);
        assert_int_equal(st, CMR_OK);
        budget = n;
        injected = false;
        st = op(ctx);
        budget = -1;
        if (st != CMR_OK && st != CMR_ENOMEM)
            fail_msg("%s: allocation %ld failed: got %s (%s)", name, n,
                     cmr_status_str(st), cmr_ctx_errmsg(ctx));
        /* and says so: no empty message, none cut after a prefix */
        const char *msg = cmr_ctx_errmsg(ctx);
        size_t len = strlen(msg);
        if (st == CMR_ENOMEM &&
            (!len || (len >= 2 && strcmp(msg + len - 2, ": ") == 0)))
            fail_msg("%s: allocation %ld failed: message \"%s\"", name, n, msg);
        cmr_ctx_free(ctx);
        if (atomic_load(&outstanding) != 0)
            fail_msg("%s: allocation %ld failed: %ld allocations leaked", name,
                     n, atomic_load(&outstanding));
        if (!injected)
            break;
    }
}

static void import_survives_every_allocation_failure(void **state)
{
    (void)state;
    run_with_failures(op_import, "import");
}

/* The ledger: loading, the arrangement, the workers, the summing up. */
static void ledger_survives_every_allocation_failure(void **state)
{
    (void)state;
    snprintf(ledger_db, sizeof ledger_db, "%s", ledger_store());
    ledger_jobs = 1;
    run_with_failures(op_ledger, "ledger, one job");
    ledger_jobs = 2;
    run_with_failures(op_ledger, "ledger, two jobs");
    /* more workers than the small State has components: some hold nothing,
     * and the main thread takes the next State's while it waits */
    ledger_jobs = 4;
    run_with_failures(op_ledger, "ledger, four jobs");
    /* and the ledger at an earlier date over the same overlay */
    ledger_also = "2016-06-30";
    ledger_jobs = 1;
    run_with_failures(op_ledger, "ledger and an earlier one, one job");
    ledger_jobs = 2;
    run_with_failures(op_ledger, "ledger and an earlier one, two jobs");
    ledger_also = NULL;
    /* the workers reading States on connections of their own (the
     * calling thread waits before each State but its first, so that they
     * do), a failure in a State one of them reads included */
    cmr__ledger_test_read_delay_ms = 5;
    ledger_jobs = 2;
    run_with_failures(op_ledger, "ledger, two jobs, workers reading");
    cmr__ledger_test_read_delay_ms = 0;
}

int main(void)
{
    cmr_set_allocator(t_malloc, t_realloc, t_free);
    /* (first: workers read States only with SQLite's statistics off) */
    if (cmr_global_init() != CMR_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(import_survives_every_allocation_failure),
        cmocka_unit_test(ledger_survives_every_allocation_failure),
    };
    int rc = cmocka_run_group_tests_name("oom", tests, NULL, NULL);
    cmr_global_cleanup();
    return rc;
}
