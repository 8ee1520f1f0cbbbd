/* SPDX-License-Identifier: MIT */
/* Ellipsoidal areas against analytic values. */
#include "test_support.h"

#include "crs.h"
#include "geom.h"

/* WGS84's total surface area (GeographicLib, Karney 2013). */
static const double WGS84_AREA = 5.10065621724088e14;

static void octant_is_an_eighth_of_the_ellipsoid(void **state)
{
    (void)state;
    /* Every edge is a meridian or the equator, so geodesic edges are exact. */
    const double xy[] = {0, 0, 90, 0, 0, 90, 0, 0};
    assert_rel(cmr__crs_ring_area_geodesic(xy, 4), WGS84_AREA / 8, 1e-9);
}

static void ring_orientation_does_not_matter(void **state)
{
    (void)state;
    const double ccw[] = {103, 19, 103.02, 19, 103.02, 19.02, 103, 19.02};
    const double cw[] = {103, 19, 103, 19.02, 103.02, 19.02, 103.02, 19};
    assert_near(cmr__crs_ring_area_geodesic(ccw, 4),
                cmr__crs_ring_area_geodesic(cw, 4), 1e-6);
}

static void ledger_example_square_matches_postgis(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_geom *g = NULL;
    /* H1 of ../shared/data/ledger-example: PostGIS ST_Area(geography)
     * gives 4661722.66 m² (its baseline_m2). */
    assert_status_ok(
        ctx, cmr__geom_from_wkt(ctx,
                                "POLYGON((103 19,103.02 19,103.02 19.02,103 "
                                "19.02,103 19))",
                                &g));
    double a = 0;
    assert_status_ok(ctx, cmr__geom_area_geodesic(ctx, g, &a));
    assert_near(a, 4661722.66, 0.01);
    cmr__geom_free(ctx, g);
}

static void holes_are_subtracted(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_geom *outer = NULL, *holed = NULL, *hole = NULL;
    assert_status_ok(
        ctx, cmr__geom_from_wkt(ctx, "POLYGON((0 0,1 0,1 1,0 1,0 0))", &outer));
    assert_status_ok(
        ctx, cmr__geom_from_wkt(ctx,
                                "POLYGON((0 0,1 0,1 1,0 1,0 0),(0.25 0.25,0.25 "
                                "0.75,0.75 0.75,0.75 0.25,0.25 0.25))",
                                &holed));
    assert_status_ok(ctx,
                     cmr__geom_from_wkt(ctx,
                                        "POLYGON((0.25 0.25,0.75 0.25,0.75 "
                                        "0.75,0.25 0.75,0.25 0.25))",
                                        &hole));
    double a, b, c;
    assert_status_ok(ctx, cmr__geom_area_geodesic(ctx, outer, &a));
    assert_status_ok(ctx, cmr__geom_area_geodesic(ctx, holed, &b));
    assert_status_ok(ctx, cmr__geom_area_geodesic(ctx, hole, &c));
    assert_near(b, a - c, 1e-3);
    /* A 1° cell at the equator is about 12,308 km². */
    assert_rel(a, 1.2308e10, 1e-3);
    cmr__geom_free(ctx, outer);
    cmr__geom_free(ctx, holed);
    cmr__geom_free(ctx, hole);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(octant_is_an_eighth_of_the_ellipsoid),
        cmocka_unit_test(ring_orientation_does_not_matter),
        cmocka_unit_test(ledger_example_square_matches_postgis),
        cmocka_unit_test(holes_are_subtracted),
    };
    int rc = cmocka_run_group_tests_name("crs", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
