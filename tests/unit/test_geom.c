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

/* The R-tree finds exactly the boxes that meet a box (closed boxes: a
 * shared edge or corner meets), by a box or by an item's own box, against
 * a brute-force scan of 500 random boxes (fixed seed). */
static void tree_finds_exactly_the_boxes_that_meet(void **state)
{
    struct cmr_ctx *ctx = *state;
    enum { N = 500 };
    struct cmr__bbox b[N];
    unsigned seed = 12345;
    for (size_t i = 0; i < N; i++) {
        double v[4];
        for (int k = 0; k < 4; k++) {
            seed = seed * 1103515245u + 12345u;
            v[k] = (double)((seed >> 8) % 1000) / 10.0;
        }
        b[i] =
            (struct cmr__bbox){v[0], v[1], v[0] + v[2] / 20, v[1] + v[3] / 20};
    }
    b[1] = (struct cmr__bbox){b[0].maxx, b[0].maxy, b[0].maxx + 1,
                              b[0].maxy + 1}; /* touches 0 at a corner */
    b[2] = (struct cmr__bbox){b[3].minx, b[3].miny, b[3].minx,
                              b[3].miny}; /* a point, on 3's corner */
    b[4] = (struct cmr__bbox){b[5].minx, b[5].miny, b[5].minx,
                              b[5].maxy + 3}; /* a line of no width */
    struct cmr__tree *t = NULL;
    assert_status_ok(ctx, cmr__tree_new(ctx, b, N, &t));
    size_t *hits = NULL, nhits = 0, cap = 0;
    size_t total = 0;
    for (size_t i = 0; i < N; i++) {
        bool want[N], got[N];
        size_t nwant = 0;
        for (size_t j = 0; j < N; j++) {
            want[j] = !(b[j].maxx < b[i].minx || b[i].maxx < b[j].minx ||
                        b[j].maxy < b[i].miny || b[i].maxy < b[j].miny);
            nwant += want[j];
        }
        for (int by_item = 0; by_item < 2; by_item++) {
            memset(got, 0, sizeof got);
            assert_status_ok(
                ctx, by_item
                         ? cmr__tree_query_item(ctx, t, i, &hits, &nhits, &cap)
                         : cmr__tree_query(ctx, t, b[i], &hits, &nhits, &cap));
            assert_int_equal(nhits, nwant);
            for (size_t k = 0; k < nhits; k++) {
                assert_true(hits[k] < N);
                assert_false(got[hits[k]]);
                got[hits[k]] = true;
                if (!by_item && k)
                    assert_true(hits[k - 1] < hits[k]); /* ascending */
            }
            for (size_t j = 0; j < N; j++)
                assert_int_equal(got[j], want[j]);
        }
        total += nwant;
    }
    assert_true(total > 2 * N); /* boxes do meet others, not only their own */
    cmr__free(hits);
    cmr__tree_free(ctx, t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_polygon_is_kept_as_multipolygon),
        cmocka_unit_test(bowtie_is_repaired_into_two_triangles),
        cmocka_unit_test(collapsed_polygon_has_nothing_left),
        cmocka_unit_test(bad_wkt_is_a_format_error),
        cmocka_unit_test(wkb_round_trips),
        cmocka_unit_test(tree_finds_exactly_the_boxes_that_meet),
    };
    int rc =
        cmocka_run_group_tests_name("geom", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
