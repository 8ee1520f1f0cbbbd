/* SPDX-License-Identifier: MIT */
/* The GEOS bridge: WKB/WKT, validity and repair, bounds. */
#include "test_support.h"

#include "geom.h"

static void valid_polygon_is_kept_as_multipolygon(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_geom *g = NULL, *v = NULL;
    char *why = NULL, *wkt = NULL;
    bool repaired = true;
    assert_status_ok(
        ctx, cmr__geom_from_wkt(ctx, "POLYGON((0 0,2 0,2 2,0 2,0 0))", &g));
    assert_status_ok(ctx, cmr__geom_make_valid(ctx, g, &v, &repaired, &why));
    assert_false(repaired);
    assert_null(why);
    assert_status_ok(ctx, cmr__geom_to_wkt(ctx, v, 3, &wkt));
    assert_string_equal(wkt, "MULTIPOLYGON (((0 0, 2 0, 2 2, 0 2, 0 0)))");
    cmr__free(wkt);
    cmr__geom_free(ctx, g);
    cmr__geom_free(ctx, v);
}

static void bowtie_is_repaired_into_two_triangles(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_geom *g = NULL, *v = NULL;
    char *why = NULL;
    bool repaired = false;
    assert_status_ok(
        ctx, cmr__geom_from_wkt(ctx, "POLYGON((0 0,2 2,2 0,0 2,0 0))", &g));
    assert_status_ok(ctx, cmr__geom_make_valid(ctx, g, &v, &repaired, &why));
    assert_true(repaired);
    assert_non_null(strstr(why, "Self-intersection"));
    struct cmr__bbox b;
    assert_status_ok(ctx, cmr__geom_bounds(ctx, v, &b));
    assert_near(b.minx, 0, 0);
    assert_near(b.maxx, 2, 0);
    /* Two triangles of area 1 each (planar area in degrees²). */
    double a = 0;
    assert_status_ok(ctx, cmr__geom_area_geodesic(ctx, v, &a));
    assert_true(a > 0);
    cmr__free(why);
    cmr__geom_free(ctx, g);
    cmr__geom_free(ctx, v);
}

static void collapsed_polygon_has_nothing_left(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_geom *g = NULL, *v = NULL;
    char *why = NULL;
    bool repaired = false;
    assert_status_ok(ctx,
                     cmr__geom_from_wkt(ctx, "POLYGON((0 0,1 1,2 2,0 0))", &g));
    assert_status(ctx, cmr__geom_make_valid(ctx, g, &v, &repaired, &why),
                  CMR_EGEOM);
    assert_null(v);
    assert_null(why);
    assert_errmsg_has(ctx, "no polygonal area");
    cmr__geom_free(ctx, g);
}

static void bad_wkt_is_a_format_error(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_geom *g = NULL;
    assert_status(ctx, cmr__geom_from_wkt(ctx, "POLYGON((0 0, 1", &g),
                  CMR_EFORMAT);
    assert_null(g);
    assert_errmsg_has(ctx, "GEOS");
}

static void wkb_round_trips(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_geom *g = NULL, *h = NULL;
    unsigned char *wkb = NULL;
    size_t len = 0;
    char *wkt = NULL;
    assert_status_ok(
        ctx, cmr__geom_from_wkt(ctx, "MULTIPOLYGON(((1 1,2 1,2 2,1 1)))", &g));
    assert_status_ok(ctx, cmr__geom_to_wkb(ctx, g, &wkb, &len));
    /* multipolygon header + polygon header + ring count + 4 points */
    assert_int_equal(len, 9 + 9 + 4 + 4 * 16);
    assert_status_ok(ctx, cmr__geom_from_wkb(ctx, wkb, len, &h));
    assert_status_ok(ctx, cmr__geom_to_wkt(ctx, h, 0, &wkt));
    assert_string_equal(wkt, "MULTIPOLYGON (((1 1, 2 1, 2 2, 1 1)))");
    cmr__free(wkt);
    cmr__free(wkb);
    cmr__geom_free(ctx, g);
    cmr__geom_free(ctx, h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_polygon_is_kept_as_multipolygon),
        cmocka_unit_test(bowtie_is_repaired_into_two_triangles),
        cmocka_unit_test(collapsed_polygon_has_nothing_left),
        cmocka_unit_test(bad_wkt_is_a_format_error),
        cmocka_unit_test(wkb_round_trips),
    };
    int rc =
        cmocka_run_group_tests_name("geom", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
