/* SPDX-License-Identifier: MIT */
/* The boundary locator: analytic cases, then random boxes against GEOS's
 * prepared contains and intersects on spiky polygons. */
#include "test_support.h"

#include <math.h>

#include "locate.h"

/* A square [0,10]^2 with the hole [4,6]^2, as rings. */
static void square_with_hole(struct cmr__rings *r, double *xy, size_t *start)
{
    static const double ring[] = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0,
                                  4, 4, 4,  6, 6,  6,  6, 4,  4, 4};
    memcpy(xy, ring, sizeof ring);
    start[0] = 0;
    start[1] = 5;
    start[2] = 10;
    *r = (struct cmr__rings){xy, 10, 2, start, NULL};
}

static enum cmr__where where(const struct cmr__locator *L, double x0, double y0,
                             double x1, double y1)
{
    return cmr__locator_box(L, (struct cmr__bbox){x0, y0, x1, y1});
}

static void square_with_a_hole(void **state)
{
    struct cmr_ctx *ctx = *state;
    double xy[20];
    size_t start[3];
    struct cmr__rings r;
    square_with_hole(&r, xy, start);
    struct cmr__locator *L = NULL;
    assert_status_ok(ctx, cmr__locator_new(ctx, &r, &L));
    struct cmr__bbox e = cmr__locator_envelope(L);
    assert_true(e.minx == 0 && e.miny == 0 && e.maxx == 10 && e.maxy == 10);
    /* in the ring of land, small and large */
    assert_int_equal(where(L, 1, 1, 1.01, 1.01), CMR_WHERE_INSIDE);
    assert_int_equal(where(L, 0.5, 0.5, 3.5, 9.5), CMR_WHERE_INSIDE);
    assert_int_equal(where(L, 8.2, 1, 8.3, 1.1), CMR_WHERE_INSIDE);
    /* in the hole, and away from the envelope */
    assert_int_equal(where(L, 4.5, 4.5, 5.5, 5.5), CMR_WHERE_OUTSIDE);
    assert_int_equal(where(L, 4.9, 4.9, 4.91, 4.91), CMR_WHERE_OUTSIDE);
    assert_int_equal(where(L, 11, 11, 12, 12), CMR_WHERE_OUTSIDE);
    assert_int_equal(where(L, -3, 2, -1, 3), CMR_WHERE_OUTSIDE);
    /* across a boundary, touching one, or holding the hole */
    assert_int_equal(where(L, 3.9, 4.5, 4.1, 4.6), CMR_WHERE_UNKNOWN);
    assert_int_equal(where(L, 9, 9, 10, 10), CMR_WHERE_UNKNOWN);
    assert_int_equal(where(L, 4, 5, 4.5, 5.5), CMR_WHERE_UNKNOWN);
    assert_int_equal(where(L, 3, 3, 7, 7), CMR_WHERE_UNKNOWN);
    assert_int_equal(where(L, -1, -1, 11, 11), CMR_WHERE_UNKNOWN);
    assert_int_equal(where(L, 10, 2, 11, 3), CMR_WHERE_UNKNOWN);
    /* a hair off the boundary: within the margin (a millionth of a cell,
     * here 1.25 wide), GEOS is asked */
    assert_int_equal(where(L, 4 - 1e-7, 4.5, 4 - 1e-7, 4.5), CMR_WHERE_UNKNOWN);
    assert_int_equal(where(L, 4 - 1e-5, 4.5, 4 - 1e-5, 4.5), CMR_WHERE_INSIDE);
    assert_int_equal(where(L, 4 + 1e-5, 4.5, 4 + 1e-5, 4.5), CMR_WHERE_OUTSIDE);
    assert_int_equal(where(L, NAN, 1, 2, 2), CMR_WHERE_UNKNOWN);
    cmr__locator_free(L);
}

/* A polygon with no interior answers only "outside" its envelope. */
static void flat_polygon(void **state)
{
    struct cmr_ctx *ctx = *state;
    double xy[] = {0, 0, 5, 0, 10, 0, 0, 0};
    size_t start[] = {0, 4};
    struct cmr__rings r = {xy, 4, 1, start, NULL};
    struct cmr__locator *L = NULL;
    assert_status_ok(ctx, cmr__locator_new(ctx, &r, &L));
    assert_int_equal(where(L, 1, 1, 2, 2), CMR_WHERE_OUTSIDE);
    assert_int_equal(where(L, 1, -1, 2, 1), CMR_WHERE_UNKNOWN);
    cmr__locator_free(L);
}

/* A polygon with a coordinate that is not a number has no cells: every
 * box in its envelope is left to GEOS, none called inside or outside. */
static void not_a_number(void **state)
{
    struct cmr_ctx *ctx = *state;
    double xy[20];
    size_t start[3];
    struct cmr__rings r;
    square_with_hole(&r, xy, start);
    xy[2 * 6 + 1] = NAN; /* the hole's second vertex */
    struct cmr__locator *L = NULL;
    assert_status_ok(ctx, cmr__locator_new(ctx, &r, &L));
    assert_int_equal(where(L, 1, 1, 1.01, 1.01), CMR_WHERE_UNKNOWN);
    assert_int_equal(where(L, 4.5, 4.5, 5.5, 5.5), CMR_WHERE_UNKNOWN);
    assert_int_equal(where(L, 3, 3, 7, 7), CMR_WHERE_UNKNOWN);
    cmr__locator_free(L);
    xy[2 * 6 + 1] = 6;
    xy[2 * 2] = INFINITY; /* the shell's third vertex */
    assert_status_ok(ctx, cmr__locator_new(ctx, &r, &L));
    assert_int_equal(where(L, 1, 1, 1.01, 1.01), CMR_WHERE_UNKNOWN);
    cmr__locator_free(L);
}

static uint64_t rng_state;
static double rnd(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Random boxes of 1e-5 to 0.3 over region r against the polygon xy (n
 * points, closed): "inside" must be GEOS's contains, "outside" its not
 * intersects. Counts in *asked the boxes off the boundary (contained or
 * apart), in *told those of them the locator told. */
static void against_geos(struct cmr_ctx *ctx, const double *xy, size_t n,
                         struct cmr__bbox r, int nbox, int *asked, int *told)
{
    struct cmr_geom *g = NULL;
    struct cmr__prep *pg = NULL;
    struct cmr__rings rings = {0};
    struct cmr__locator *L = NULL;
    assert_status_ok(ctx, cmr__geom_polygon(ctx, xy, n, &g));
    assert_status_ok(ctx, cmr__prep_new(ctx, g, &pg));
    assert_status_ok(ctx, cmr__geom_rings(ctx, g, &rings));
    assert_status_ok(ctx, cmr__locator_new(ctx, &rings, &L));
    for (int k = 0; k < nbox; k++) {
        double size = pow(10, -5 + 4.5 * rnd());
        double x = r.minx + (r.maxx - r.minx) * rnd();
        double y = r.miny + (r.maxy - r.miny) * rnd();
        struct cmr__bbox b = {x, y, x + size, y + size * (0.5 + rnd())};
        struct cmr_geom *rect = NULL;
        assert_status_ok(ctx, cmr__geom_rect(ctx, b, &rect));
        bool contains = false, meets = false;
        assert_status_ok(ctx, cmr__prep_contains(ctx, pg, rect, &contains));
        assert_status_ok(ctx, cmr__prep_intersects(ctx, pg, rect, &meets));
        enum cmr__where w = cmr__locator_box(L, b);
        if (w == CMR_WHERE_INSIDE && !contains)
            fail_msg("box %d (%.17g %.17g %.17g %.17g): inside, GEOS does "
                     "not contain it",
                     k, b.minx, b.miny, b.maxx, b.maxy);
        if (w == CMR_WHERE_OUTSIDE && meets)
            fail_msg("box %d (%.17g %.17g %.17g %.17g): outside, GEOS says "
                     "they meet",
                     k, b.minx, b.miny, b.maxx, b.maxy);
        if (contains || !meets) { /* off the boundary */
            (*asked)++;
            *told += w != CMR_WHERE_UNKNOWN;
        }
        cmr__geom_free(ctx, rect);
    }
    cmr__locator_free(L);
    cmr__rings_free(&rings);
    cmr__prep_free(ctx, pg);
    cmr__geom_free(ctx, g);
}

/* Spiky star polygons: nearly every box that does not meet the boundary
 * is told. */
static void agrees_with_geos(void **state)
{
    struct cmr_ctx *ctx = *state;
    enum { NV = 3000 };
    double *xy = cmr__malloc(2 * (NV + 1) * sizeof *xy);
    assert_non_null(xy);
    int told = 0, asked = 0;
    for (int trial = 0; trial < 4; trial++) {
        rng_state = 77 + (uint64_t)trial;
        double cx = 100 + 3 * trial, cy = 15 - 4 * trial;
        for (size_t i = 0; i < NV; i++) {
            double t = 2 * 3.14159265358979 * (double)i / NV;
            double rr = (i % 2 ? 1.0 : 0.4) + 0.5 * rnd(); /* spikes */
            xy[2 * i] = cx + rr * cos(t);
            xy[2 * i + 1] = cy + rr * sin(t);
        }
        xy[2 * NV] = xy[0];
        xy[2 * NV + 1] = xy[1];
        against_geos(ctx, xy, NV + 1,
                     (struct cmr__bbox){cx - 2.2, cy - 2.2, cx + 2.2, cy + 2.2},
                     3000, &asked, &told);
    }
    cmr__free(xy);
    assert_true(asked > 6000);
    if (told < 0.999 * asked)
        fail_msg("only %d of %d boxes off the boundary told", told, asked);
}

/* Cases a review found or tried: an edge rising by 1e-320 (its slope is
 * infinite: it was listed in no cell, and boxes across it were told
 * outside); a comb of tall thin teeth, each edge in hundreds of cells (the
 * locator gives up its cells and leaves such boxes to GEOS). */
static void hard_boundaries(void **state)
{
    struct cmr_ctx *ctx = *state;
    rng_state = 5;
    const double flat[] = {-2,     -2.2, 2, -2.2, 2, 0,  -1,
                           1e-320, -1,   2, -2,   2, -2, -2.2};
    int asked = 0, told = 0;
    against_geos(ctx, flat, 7, (struct cmr__bbox){-2.5, -2.5, 2.5, 2.5}, 3000,
                 &asked, &told);
    assert_true(told > 0.9 * asked);
    enum { TEETH = 3000 };
    double *comb = cmr__malloc((4 * TEETH + 3) * 2 * sizeof *comb);
    assert_non_null(comb);
    size_t n = 0;
    for (int t = 0; t < TEETH; t++) { /* teeth 1 high, 1e-4 wide */
        double x = t * 2e-4;
        double pts[] = {x, 0, x, 1, x + 1e-4, 1, x + 1e-4, 0};
        memcpy(comb + 2 * n, pts, sizeof pts);
        n += 4;
    }
    const double base[] = {TEETH * 2e-4, -0.5, 0, -0.5, 0, 0};
    memcpy(comb + 2 * n, base, sizeof base);
    n += 3;
    asked = told = 0;
    against_geos(ctx, comb, n, (struct cmr__bbox){-0.1, -0.6, 0.7, 1.1}, 1000,
                 &asked, &told);
    assert_true(asked > 100);
    cmr__free(comb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(square_with_a_hole),
        cmocka_unit_test(flat_polygon),
        cmocka_unit_test(not_a_number),
        cmocka_unit_test(agrees_with_geos),
        cmocka_unit_test(hard_boundaries),
    };
    int rc =
        cmocka_run_group_tests_name("locate", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
