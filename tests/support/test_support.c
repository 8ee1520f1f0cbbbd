/* SPDX-License-Identifier: MIT */
/* Fixture paths, scratch files and the common context fixture. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

/* Eight rotating buffers, so a test can hold several paths at once. */
static char *next_buf(void)
{
    static char bufs[8][4096];
    static int i;
    return bufs[i++ % 8];
}

const char *geodata_path(const char *name)
{
    char *buf = next_buf();
    snprintf(buf, 4096, "%s/%s", CMR_TEST_GEODATA, name);
    return buf;
}

const char *testdata_path(const char *name)
{
    char *buf = next_buf();
    snprintf(buf, 4096, "%s/%s", CMR_TEST_DATA, name);
    return buf;
}

const char *scratch_path(const char *name)
{
    char *buf = next_buf();
    static int made;
    if (!made) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'",
                 CMR_TEST_SCRATCH, CMR_TEST_SCRATCH);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot make %s\n", CMR_TEST_SCRATCH);
        made = 1;
    }
    snprintf(buf, 4096, "%s/%s", CMR_TEST_SCRATCH, name);
    return buf;
}

const char *scratch_write(const char *name, const char *text)
{
    const char *p = scratch_path(name);
    FILE *f = fopen(p, "wb");
    if (!f)
        return NULL;
    fputs(text, f);
    fclose(f);
    return p;
}

int files_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int eq = fa && fb;
    while (eq) {
        int ca = fgetc(fa), cb = fgetc(fb);
        if (ca != cb)
            eq = 0;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return eq;
}

int file_copy(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    int rc = a && b ? 0 : -1;
    char buf[65536];
    size_t n;
    while (!rc && (n = fread(buf, 1, sizeof buf, a)) > 0)
        if (fwrite(buf, 1, n, b) != n)
            rc = -1;
    if (a)
        fclose(a);
    if (b)
        fclose(b);
    return rc;
}

int ctx_setup(void **state)
{
    struct cmr_ctx *ctx = NULL;
    if (cmr_ctx_new(&ctx) != CMR_OK)
        return -1;
    *state = ctx;
    return 0;
}

int ctx_teardown(void **state)
{
    cmr_ctx_free(*state);
    return 0;
}

void state_fields(const struct cmr_ledger_state *x, double f[NFIELDS])
{
    const double v[NFIELDS] = {x->remaining_m2,
                               x->sha_m2,
                               x->cha_m2,
                               x->baseline_m2,
                               x->added_m2,
                               x->cancelled_m2,
                               x->reduced_m2,
                               x->cleared_m2,
                               x->closed_without_release_m2,
                               x->other_contamination_m2,
                               x->hazard_sum_m2,
                               x->hazard_union_m2,
                               x->release_outside_m2,
                               x->released_before_eif_m2,
                               x->closed_before_eif_m2,
                               x->added_again_m2};
    memcpy(f, v, sizeof v);
}

/* a and b the same to the bit (tol 0), or within tol */
static void same_or_near(double a, double b, double tol)
{
    if (tol == 0)
        assert_memory_equal(&a, &b, sizeof a);
    else
        assert_near(a, b, tol);
}

static void same_string(const char *a, const char *b)
{
    assert_true((a == NULL) == (b == NULL));
    if (a)
        assert_string_equal(a, b);
}

void assert_figures_within(const struct cmr_ledger_state *x,
                           const struct cmr_ledger_state *y, double tol)
{
    assert_string_equal(x->country, y->country);
    assert_int_equal(x->hazards, y->hazards);
    assert_int_equal(x->releases, y->releases);
    double fx[NFIELDS], fy[NFIELDS];
    state_fields(x, fx);
    state_fields(y, fy);
    for (size_t k = 0; k < NFIELDS; k++)
        same_or_near(fx[k], fy[k], tol);
    assert_int_equal(x->hazards_marked, y->hazards_marked);
    assert_int_equal(x->marked_synthetic, y->marked_synthetic);
    assert_int_equal(x->submunitions, y->submunitions);
    assert_int_equal(x->has_submunitions, y->has_submunitions);
    assert_int_equal(x->synthetic, y->synthetic);
    assert_int_equal(x->nyears, y->nyears);
    for (size_t k = 0; k < x->nyears; k++) {
        const struct cmr_ledger_year *u = &x->by_year[k], *v = &y->by_year[k];
        assert_int_equal(u->year, v->year);
        same_or_near(u->added_m2, v->added_m2, tol);
        same_or_near(u->cancelled_m2, v->cancelled_m2, tol);
        same_or_near(u->reduced_m2, v->reduced_m2, tol);
        same_or_near(u->cleared_m2, v->cleared_m2, tol);
        same_or_near(u->closed_without_release_m2, v->closed_without_release_m2,
                     tol);
        assert_int_equal(u->submunitions, v->submunitions);
        assert_int_equal(u->has_submunitions, v->has_submunitions);
    }
    assert_int_equal(x->nprovinces, y->nprovinces);
    for (size_t p = 0; p < x->nprovinces; p++) {
        const struct cmr_ledger_province *u = &x->by_province[p],
                                         *v = &y->by_province[p];
        same_string(u->code, v->code);
        same_string(u->name, v->name);
        same_or_near(u->remaining_m2, v->remaining_m2, tol);
        same_or_near(u->sha_m2, v->sha_m2, tol);
        same_or_near(u->cha_m2, v->cha_m2, tol);
    }
}

void assert_same_figures(const struct cmr_ledger_state *x,
                         const struct cmr_ledger_state *y)
{
    assert_figures_within(x, y, 0);
}
