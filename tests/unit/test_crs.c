/* SPDX-License-Identifier: MIT */
/* Ellipsoidal areas against analytic values. */
#include <math.h>

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
    /* H1 of tests/data/ledger-example: PostGIS ST_Area(geography)
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

/* The fast path (authalic shoelace less lenses) against PROJ's geodesic
 * area on star polygons from 10 m to 200 km across, at latitudes 0 to 75:
 * where cmr uses the fast path the two agree to 1e-8 (or 1e-3 m², PROJ's
 * own error on small polygons); elsewhere cmr falls back on the geodesic
 * area. */
static void fast_area_agrees_with_geodesic(void **state)
{
    (void)state;
    static const double sizes[] = {10, 100, 500, 1000, 5000, 20000, 200000};
    static const double lats[] = {0, 15, 33, 53, 75, -20};
    double worst_fast = 0;
    int fast_used = 0;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t l = 0; l < sizeof lats / sizeof *lats; l++)
            for (int k = 6; k <= 60; k += 9) {
                double xy[2 * 70];
                double r = sizes[s] / 2, lat = lats[l], lon = 100;
                for (int i = 0; i < k; i++) {
                    double a = 2 * 3.141592653589793 * i / k;
                    double rr = r * (0.8 + 0.4 * ((i * 7) % 5) / 4.0);
                    xy[2 * i] =
                        lon + rr * cos(a) /
                                  (111320 * cos(lat * 3.141592653589793 / 180));
                    xy[2 * i + 1] = lat + rr * sin(a) / 110574;
                }
                xy[2 * k] = xy[0];
                xy[2 * k + 1] = xy[1];
                size_t n = (size_t)k + 1;
                double g = cmr__crs_ring_area_geodesic(xy, n);
                double f = cmr__crs_ring_area(xy, n);
                /* PROJ's geodesic area carries an absolute error near
                 * 1e-4 m2 (a local planar computation agrees with the fast
                 * path on 10 m polygons), so the comparison allows 1e-3 m2
                 * besides the relative 1e-8. */
                if (fabs(f - g) > fmax(1e-8 * g, 1e-3))
                    fail_msg("size %g m, lat %g, %d vertices: %.9g vs geodesic "
                             "%.9g (%.2g)",
                             sizes[s], lat, k, f, g, fabs(f - g) / g);
                if (f != g) { /* the fast path was taken */
                    fast_used++;
                    if (g > 1e5)
                        worst_fast = fmax(worst_fast, fabs(f - g) / g);
                }
            }
    assert_true(fast_used > 100); /* the fast path is really taken */
    assert_true(worst_fast < 1e-8);
}

/* The fast path with its lenses (see cmr__crs_lens) against PROJ's
 * geodesic area, on the polygons that hide a missing lens best: triangles
 * and other irregular polygons of 3 to 12 vertices, whose edges bow
 * poleward without an opposite edge to cancel them, from 100 m to 40 km
 * across, at latitudes 0 to 85 north and south. Without the lenses a
 * 500 m triangle at 45 degrees is off by about 1e-5. */
static void lenses_make_the_fast_path_geodesic(void **state)
{
    (void)state;
    static const double sizes[] = {0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2};
    static const double lats[] = {0, 15, 30, 45, 60, 70, 75, 80, 85};
    unsigned seed = 1;
    double worst = 0, worst_plain = 0;
    int fast_used = 0;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t l = 0; l < sizeof lats / sizeof *lats; l++)
            for (int t = 0; t < 40; t++) {
                double xy[2 * 13];
                seed = seed * 1103515245u + 12345u;
                int n = 3 + (int)(seed >> 16) % 10;
                double lat = (t % 2 ? 1 : -1) * lats[l], lon = 10 + t;
                for (int i = 0; i < n; i++) {
                    seed = seed * 1103515245u + 12345u;
                    double u = (double)(seed >> 8) / 16777216.0;
                    seed = seed * 1103515245u + 12345u;
                    double v = (double)(seed >> 8) / 16777216.0;
                    /* angles rise, so the ring is simple and
                     * counter-clockwise */
                    double a = 2 * 3.141592653589793 * (i + 0.8 * u) / n;
                    double r = sizes[s] * (0.3 + 0.7 * v);
                    xy[2 * i] = lon + r * cos(a);
                    xy[2 * i + 1] = lat + r * sin(a);
                }
                xy[2 * n] = xy[0];
                xy[2 * n + 1] = xy[1];
                size_t m = (size_t)n + 1;
                double g = cmr__crs_ring_area_geodesic_signed(xy, m);
                double f = cmr__crs_ring_area_signed(xy, m);
                double rel = fabs(f - g) / g;
                if (rel > 1e-8)
                    fail_msg("%d vertices within %g deg of %g %g: %.6f vs "
                             "geodesic %.6f (%.2g)",
                             n, sizes[s], lon, lat, f, g, rel);
                if (f != g) { /* the fast path was taken */
                    fast_used++;
                    worst = fmax(worst, rel);
                    double plain = cmr__crs_ring_area_authalic(xy, m);
                    worst_plain = fmax(worst_plain, fabs(plain - g) / g);
                }
            }
    assert_true(fast_used > 1000);
    assert_true(worst < 1e-8);
    assert_true(worst_plain > 1e-5); /* the lenses matter */
}

static void wgs84_e_is_the_root_of_e2(void **state)
{
    (void)state;
    double f = 1 / 298.257223563, e = cmr__crs_wgs84_e();
    assert_rel(e * e, f * (2 - f), 1e-15);
}

/* The sliver between an edge's geodesic and its straight lon/lat line:
 * the fast path's formula agrees with PROJ's (S12 less the line's
 * integral) on short edges, and the exact one adds up over a ring: the
 * ring's geodesic area is the shoelace of the lon/lat lines (by
 * Gauss-Legendre, through cmr__crs_sliver_exact's own quadrature) plus
 * its edges' slivers. */
static double sliver_fast(double lon_u, double lat_u, double lon_v,
                          double lat_v)
{
    struct cmr__crs_vert u, v;
    cmr__crs_vertex(lat_u, &u);
    cmr__crs_vertex(lat_v, &v);
    double r = 3.14159265358979323846 / 180;
    return cmr__crs_sliver(&u, &v, (lat_v - lat_u) * r, (lon_v - lon_u) * r);
}

static void sliver_fast_and_exact_agree(void **state)
{
    (void)state;
    static const double lat[] = {-54, -20, 0.5, 19.5, 45, 60};
    for (size_t i = 0; i < sizeof lat / sizeof *lat; i++)
        for (int k = 0; k < 3; k++) {
            /* east, north-east and south-east edges of 0.02 degree */
            double dlat = k == 0 ? 0 : k == 1 ? 0.013 : -0.011;
            double f = sliver_fast(102, lat[i], 102.02, lat[i] + dlat);
            double e =
                cmr__crs_sliver_exact(102, lat[i], 102.02, lat[i] + dlat);
            assert_false(isnan(e));
            /* (the sliver itself: tens of square metres, twice) */
            if (fabs(f - e) > 1e-4 * fabs(e) + 1e-4)
                fail_msg("lat %g, edge %d: fast %.6f, exact %.6f", lat[i], k, f,
                         e);
        }
    /* a long edge: the exact one is antisymmetric, and 0 on a meridian */
    double e = cmr__crs_sliver_exact(102, 19.55, 102.4, 19.55);
    assert_true(fabs(e) > 1e5);
    assert_near(cmr__crs_sliver_exact(102.4, 19.55, 102, 19.55), -e, 1e-6);
    assert_near(cmr__crs_sliver_exact(102, 19, 102, 20), 0, 1e-6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(octant_is_an_eighth_of_the_ellipsoid),
        cmocka_unit_test(sliver_fast_and_exact_agree),
        cmocka_unit_test(ring_orientation_does_not_matter),
        cmocka_unit_test(ledger_example_square_matches_postgis),
        cmocka_unit_test(holes_are_subtracted),
        cmocka_unit_test(fast_area_agrees_with_geodesic),
        cmocka_unit_test(lenses_make_the_fast_path_geodesic),
        cmocka_unit_test(wgs84_e_is_the_root_of_e2),
    };
    int rc = cmocka_run_group_tests_name("crs", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
