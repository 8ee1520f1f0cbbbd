/* SPDX-License-Identifier: MIT */
/* The GEOS bridge: WKB/WKT, validity and repair, bounds. */
#include "test_support.h"

#include <math.h>
#include <stdlib.h>

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

/* Whether cmr__wkb_rings takes the blob; if it does, its rings are
 * GEOS's to the bit, and if not, it leaves nothing. */
static bool rings_as_geos(struct cmr_ctx *ctx, const unsigned char *wkb,
                          size_t len)
{
    struct cmr__rings a, b;
    bool taken = false;
    assert_status_ok(ctx, cmr__wkb_rings(ctx, wkb, len, &a, &taken));
    if (!taken) {
        assert_null(a.xy);
        assert_int_equal(a.npts + a.nrings, 0);
        return false;
    }
    struct cmr_geom *g = NULL;
    assert_status_ok(ctx, cmr__geom_from_wkb(ctx, wkb, len, &g));
    assert_status_ok(ctx, cmr__geom_rings(ctx, g, &b));
    assert_int_equal(a.npts, b.npts);
    assert_int_equal(a.nrings, b.nrings);
    assert_memory_equal(a.start, b.start, (a.nrings + 1) * sizeof *a.start);
    assert_memory_equal(a.poly, b.poly, a.nrings * sizeof *a.poly);
    assert_memory_equal(a.xy, b.xy, 2 * a.npts * sizeof *a.xy);
    cmr__rings_free(&a);
    cmr__rings_free(&b);
    cmr__geom_free(ctx, g);
    return true;
}

#define assert_rings_as_geos(ctx, wkb, len)                                    \
    assert_true(rings_as_geos((ctx), (wkb), (len)))
#define assert_declined(ctx, wkb, len)                                         \
    assert_false(rings_as_geos((ctx), (wkb), (len)))

static void put_u32(unsigned char *p, uint32_t v, bool big)
{
    for (int k = 0; k < 4; k++)
        p[big ? 3 - k : k] = (unsigned char)(v >> (8 * k));
}

static void put_f64(unsigned char *p, double d, bool big)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    for (int k = 0; k < 8; k++)
        p[big ? 7 - k : k] = (unsigned char)(u >> (8 * k));
}

/* A polygon of one ring of n points (xy), in either byte order. */
static size_t polygon_wkb(unsigned char *p, const double *xy, uint32_t n,
                          bool big)
{
    p[0] = big ? 0 : 1;
    put_u32(p + 1, 3, big);
    put_u32(p + 5, 1, big);
    put_u32(p + 9, n, big);
    for (uint32_t v = 0; v < 2 * n; v++)
        put_f64(p + 13 + 8 * v, xy[v], big);
    return 13 + 16 * (size_t)n;
}

/* A MultiPolygon of n polygons (n xy rings of 5 points), each in its
 * own byte order. */
static size_t multi_wkb(unsigned char *p, const double *const *xy,
                        const bool *big, uint32_t n)
{
    p[0] = 1;
    put_u32(p + 1, 6, false);
    put_u32(p + 5, n, false);
    size_t at = 9;
    for (uint32_t k = 0; k < n; k++)
        at += polygon_wkb(p + at, xy[k], 5, big[k]);
    return at;
}

static void wkb_rings_are_geos_rings(void **state)
{
    struct cmr_ctx *ctx = *state;
    /* as written by GEOS (little-endian), holes and several polygons */
    const char *wkts[] = {
        "POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,1 2,2 2,2 1,1 1))",
        "MULTIPOLYGON(((102.1 18.2,102.3 18.2,102.3 18.4,102.1 18.2)),"
        "((0 0,4 0,4 4,0 4,0 0),(1 1,1 2,2 2,1 1),(3 3,3 3.5,3.5 3.5,3 3))"
        ",((-1 -1,-2 -1,-2 -2,-1 -1)))",
    };
    for (size_t k = 0; k < sizeof wkts / sizeof *wkts; k++) {
        struct cmr_geom *g = NULL;
        unsigned char *wkb = NULL;
        size_t len = 0;
        assert_status_ok(ctx, cmr__geom_from_wkt(ctx, wkts[k], &g));
        assert_status_ok(ctx, cmr__geom_to_wkb(ctx, g, &wkb, &len));
        assert_rings_as_geos(ctx, wkb, len);
        cmr__free(wkb);
        cmr__geom_free(ctx, g);
    }
    /* random multipolygons (fixed seed): 1 to 4 polygons, 0 to 2 holes,
     * 4 to 40 points a ring */
    srand(7);
    for (int t = 0; t < 200; t++) {
        char wkt[16384];
        size_t used = (size_t)snprintf(wkt, sizeof wkt, "MULTIPOLYGON(");
        int np = 1 + rand() % 4;
        for (int p = 0; p < np; p++) {
            used += (size_t)snprintf(wkt + used, sizeof wkt - used, "%s(",
                                     p ? "," : "");
            int nr = 1 + rand() % 3;
            for (int r = 0; r < nr; r++) {
                int n = 3 + rand() % 37;
                double x0 = 0, y0 = 0;
                used += (size_t)snprintf(wkt + used, sizeof wkt - used, "%s(",
                                         r ? "," : "");
                for (int v = 0; v < n; v++) {
                    double x = rand() / (RAND_MAX + 1.0) * 360 - 180,
                           y = rand() / (RAND_MAX + 1.0) * 180 - 90;
                    if (!v)
                        x0 = x, y0 = y;
                    used += (size_t)snprintf(wkt + used, sizeof wkt - used,
                                             "%.17g %.17g,", x, y);
                }
                used += (size_t)snprintf(wkt + used, sizeof wkt - used,
                                         "%.17g %.17g)", x0, y0);
            }
            used += (size_t)snprintf(wkt + used, sizeof wkt - used, ")");
        }
        snprintf(wkt + used, sizeof wkt - used, ")");
        struct cmr_geom *g = NULL;
        unsigned char *wkb = NULL;
        size_t len = 0;
        assert_status_ok(ctx, cmr__geom_from_wkt(ctx, wkt, &g));
        assert_status_ok(ctx, cmr__geom_to_wkb(ctx, g, &wkb, &len));
        assert_rings_as_geos(ctx, wkb, len);
        cmr__free(wkb);
        cmr__geom_free(ctx, g);
    }
    /* big-endian, written by hand, and parts in different byte orders */
    const double sq[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
    const double sq2[] = {2, 2, 3, 2, 3, 3, 2, 3, 2, 2};
    unsigned char buf[256];
    assert_rings_as_geos(ctx, buf, polygon_wkb(buf, sq, 5, true));
    assert_rings_as_geos(ctx, buf, polygon_wkb(buf, sq, 5, false));
    const double *parts[] = {sq, sq2};
    const bool orders[] = {true, false};
    assert_rings_as_geos(ctx, buf, multi_wkb(buf, parts, orders, 2));
}

/* What cmr__wkb_rings leaves to GEOS. */
static void wkb_rings_leave_the_rest_to_geos(void **state)
{
    struct cmr_ctx *ctx = *state;
    const double sq[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
    const double open[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0.5};
    const double tri[] = {0, 0, 1, 0, 0, 0};
    const double nan[] = {0, 0, 1, 0, NAN, 1, 0, 1, 0, 0};
    unsigned char buf[256];
    size_t len = polygon_wkb(buf, sq, 5, false);
    assert_declined(ctx, buf, len - 1); /* cut short */
    assert_declined(ctx, buf, len + 1); /* a byte after it */
    assert_declined(ctx, buf, 0);       /* nothing */
    assert_declined(ctx, buf, polygon_wkb(buf, open, 5, false)); /* open */
    assert_declined(ctx, buf, polygon_wkb(buf, tri, 3, false));  /* 3 points */
    assert_declined(ctx, buf, polygon_wkb(buf, nan, 5, true));   /* NaN */
    len = polygon_wkb(buf, sq, 5, false);
    put_u32(buf + 1, 1003, false); /* ISO Z */
    assert_declined(ctx, buf, len);
    put_u32(buf + 1, 0x20000003, false); /* EWKB with an SRID */
    assert_declined(ctx, buf, len);
    put_u32(buf + 1, 3, false);
    put_u32(buf + 5, 0, false); /* no rings: an empty polygon */
    assert_declined(ctx, buf, 9);
    len = polygon_wkb(buf, sq, 5, false);
    buf[0] = 2; /* no such byte order (else a readable square) */
    assert_declined(ctx, buf, len);
    const double inf[] = {0, 0, 1, 0, INFINITY, 1, 0, 1, 0, 0};
    assert_declined(ctx, buf, polygon_wkb(buf, inf, 5, false));
    const double nan_end[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, NAN};
    assert_declined(ctx, buf, polygon_wkb(buf, nan_end, 5, false));
    const double negz[] = {0, 0, 1, 0, 1, 1, 0, 1, -0.0, 0}; /* -0 != +0 */
    assert_declined(ctx, buf, polygon_wkb(buf, negz, 5, false));
    /* an empty multipolygon, and one holding a point */
    unsigned char mp[64] = {1};
    put_u32(mp + 1, 6, false);
    put_u32(mp + 5, 0, false);
    assert_declined(ctx, mp, 9);
    /* a multipolygon with an empty polygon among its parts (GEOS skips
     * it, and numbers the parts after it as they stand) */
    const double sq2[] = {2, 2, 3, 2, 3, 3, 2, 3, 2, 2};
    const double *parts[] = {sq, sq2};
    const bool orders[] = {false, false};
    unsigned char big_mp[256];
    size_t n2 = multi_wkb(big_mp, parts, orders, 2);
    memmove(big_mp + 9 + 9, big_mp + 9, n2 - 9); /* room for an empty one */
    big_mp[9] = 1;
    put_u32(big_mp + 10, 3, false);
    put_u32(big_mp + 14, 0, false);
    put_u32(big_mp + 5, 3, false);
    assert_declined(ctx, big_mp, n2 + 9);
    struct cmr_geom *eg = NULL;
    assert_status_ok(ctx, cmr__geom_from_wkb(ctx, big_mp, n2 + 9, &eg));
    cmr__geom_free(ctx, eg); /* (GEOS reads it) */
    put_u32(mp + 5, 1, false);
    mp[9] = 1;
    put_u32(mp + 10, 1, false);
    put_f64(mp + 14, 1, false);
    put_f64(mp + 22, 2, false);
    assert_declined(ctx, mp, 30);
}

/* Damaged WKB (bytes changed, cut short or run on, from two valid
 * multipolygons, one with parts in both byte orders; fixed seed), each in
 * a block of exactly its length: cmr__wkb_rings reads nothing out of
 * bounds (the sanitizers watch), leaves nothing when it declines, and what
 * it takes GEOS reads to the same rings. */
static void wkb_rings_survive_damage(void **state)
{
    struct cmr_ctx *ctx = *state;
    /* the blobs damaged: as GEOS writes one, and one by hand with parts
     * in both byte orders */
    struct cmr_geom *g = NULL;
    unsigned char *wkb[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    assert_status_ok(
        ctx, cmr__geom_from_wkt(ctx,
                                "MULTIPOLYGON(((0 0,4 0,4 4,0 4,0 0),"
                                "(1 1,1 2,2 2,1 1)),((5 5,6 5,6 6,5 5)))",
                                &g));
    assert_status_ok(ctx, cmr__geom_to_wkb(ctx, g, &wkb[0], &len[0]));
    cmr__geom_free(ctx, g);
    const double sq[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
    const double sq2[] = {2, 2, 3, 2, 3, 3, 2, 3, 2, 2};
    const double *parts[] = {sq, sq2};
    const bool orders[] = {true, false};
    unsigned char mixed[256];
    len[1] = multi_wkb(mixed, parts, orders, 2);
    wkb[1] = mixed;
    uint64_t x = 0x9E3779B97F4A7C15u;
    size_t taken_n = 0;
    for (int t = 0; t < 4000; t++) {
        const unsigned char *src = wkb[t % 2];
        size_t slen = len[t % 2], n = slen;
        unsigned char work[512];
        memcpy(work, src, slen);
        memset(work + slen, 0, 8);
        int edits = 1 + t % 3;
        for (int e = 0; e < edits; e++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t at = (size_t)(x >> 8) % slen;
            switch ((x >> 4) % 4) {
            case 0: work[at] = (unsigned char)x; break; /* a byte */
            case 1: work[at] ^= (unsigned char)(1u << (x % 8)); break;
            case 2: n = at; break;                        /* cut short */
            default: n = slen + 1 + (x >> 40) % 8; break; /* run on */
            }
        }
        /* exactly n bytes of their own, so that a read past them is seen */
        unsigned char *buf = cmr__malloc(n ? n : 1);
        assert_non_null(buf);
        memcpy(buf, work, n);
        taken_n += rings_as_geos(ctx, buf, n);
        cmr__free(buf);
    }
    /* some damage leaves a readable polygon (a changed coordinate) */
    assert_true(taken_n > 100);
    cmr__free(wkb[0]);
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
        cmocka_unit_test(wkb_rings_are_geos_rings),
        cmocka_unit_test(wkb_rings_leave_the_rest_to_geos),
        cmocka_unit_test(wkb_rings_survive_damage),
        cmocka_unit_test(tree_finds_exactly_the_boxes_that_meet),
    };
    int rc =
        cmocka_run_group_tests_name("geom", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
