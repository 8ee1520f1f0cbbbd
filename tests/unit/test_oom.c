/* SPDX-License-Identifier: MIT */
/* Allocation failure: for N = 1, 2, ..., the N-th of cmr's own allocations
 * fails; every call must then return CMR_OK or CMR_ENOMEM, and nothing of
 * ours may stay allocated. Stops once a run sees no injected failure. */
#include <stdlib.h>

#include "test_support.h"

static long budget = -1; /* allocations left before failing; -1: never */
static long outstanding;
static bool injected;

static void *t_malloc(size_t n)
{
    if (budget == 0) {
        injected = true;
        return NULL;
    }
    if (budget > 0)
        budget--;
    void *p = malloc(n + 16);
    if (!p)
        return NULL;
    outstanding++;
    return (char *)p + 16;
}

static void t_free(void *p)
{
    if (!p)
        return;
    outstanding--;
    free((char *)p - 16);
}

static void *t_realloc(void *p, size_t n)
{
    if (!p)
        return t_malloc(n);
    if (budget == 0) {
        injected = true;
        return NULL;
    }
    if (budget > 0)
        budget--;
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
        cmr_ctx_free(ctx);
        if (outstanding != 0)
            fail_msg("%s: allocation %ld failed: %ld allocations leaked", name,
                     n, outstanding);
        if (!injected)
            break;
    }
}

static void import_survives_every_allocation_failure(void **state)
{
    (void)state;
    run_with_failures(op_import, "import");
}

int main(void)
{
    cmr_set_allocator(t_malloc, t_realloc, t_free);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(import_survives_every_allocation_failure),
    };
    int rc = cmocka_run_group_tests_name("oom", tests, NULL, NULL);
    cmr_global_cleanup();
    return rc;
}
