/* SPDX-License-Identifier: MIT */
/* The ledger's arrangement: analytic cases, then random polygons against
 * GEOS (snap-rounded noding, polygonize, a point in each face). */
#include "test_support.h"

#include <math.h>

#include "arrange.h"
#include "crs.h"
#include "geom.h"

/* Area of the lon/lat rectangle [x0,x1] x [y0,y1] (geodesic edges). */
static double rect_m2(double x0, double y0, double x1, double y1)
{
    double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
    return cmr__crs_ring_area_geodesic(xy, 5);
}

/* The area of the cell with exactly these items, 0 if none. */
static double cell_m2(const struct cmr__cells *c, const uint32_t *items,
                      size_t n)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->cell[i].n == n &&
            !memcmp(c->items + c->cell[i].first, items, n * sizeof *items))
            return c->cell[i].m2;
    return 0;
}

static void rect_ring(double *xy, double x0, double y0, double x1, double y1)
{
    double r[] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
    memcpy(xy, r, sizeof r);
}

static void overlapping_squares_split_into_three_cells(void **state)
{
    struct cmr_ctx *ctx = *state;
    double a[10], b[10];
    rect_ring(a, 100, 20, 100.002, 20.002);
    rect_ring(b, 100.001, 20.001, 100.003, 20.003);
    struct cmr__ring rings[] = {{a, 5, 0, 0}, {b, 5, 1, 1}};
    struct cmr__cells c;
    assert_status_ok(ctx, cmr__arrange(ctx, rings, 2, &c));
    assert_int_equal(c.n, 3);
    double both = rect_m2(100.001, 20.001, 100.002, 20.002);
    double whole = rect_m2(100, 20, 100.002, 20.002);
    double wb = rect_m2(100.001, 20.001, 100.003, 20.003);
    assert_rel(cell_m2(&c, (uint32_t[]){0, 1}, 2), both, 1e-6);
    assert_rel(cell_m2(&c, (uint32_t[]){0}, 1), whole - both, 1e-6);
    assert_rel(cell_m2(&c, (uint32_t[]){1}, 1), wb - both, 1e-6);
    cmr__cells_free(&c);
}

/* A release inside a hazard, touching nothing: its own part of the graph,
 * labelled by the ray to the west. Orientation does not matter. */
static void nested_square_is_found_by_the_ray(void **state)
{
    struct cmr_ctx *ctx = *state;
    double a[10], b[10];
    rect_ring(a, 10, -5, 10.01, -4.99);
    rect_ring(b, 10.004, -4.996, 10.006, -4.994);
    /* b clockwise */
    double bc[10] = {b[0], b[1], b[6], b[7], b[4],
                     b[5], b[2], b[3], b[0], b[1]};
    struct cmr__ring rings[] = {{a, 5, 7, 7}, {bc, 5, 9, 9}};
    struct cmr__cells c;
    assert_status_ok(ctx, cmr__arrange(ctx, rings, 2, &c));
    assert_int_equal(c.n, 2);
    double inner = rect_m2(10.004, -4.996, 10.006, -4.994);
    double outer = rect_m2(10, -5, 10.01, -4.99);
    assert_rel(cell_m2(&c, (uint32_t[]){7, 9}, 2), inner, 1e-6);
    assert_rel(cell_m2(&c, (uint32_t[]){7}, 1), outer - inner, 1e-6);
    cmr__cells_free(&c);
}

/* A polygon with a hole (two rings of item 0) and an island of item 1 in
 * the hole: the hole is covered by nothing, the island only by item 1. */
static void hole_and_island(void **state)
{
    struct cmr_ctx *ctx = *state;
    double s[10], h[10], i1[10];
    rect_ring(s, 0, 0, 0.01, 0.01);
    rect_ring(h, 0.002, 0.002, 0.008, 0.008);
    rect_ring(i1, 0.004, 0.004, 0.006, 0.006);
    struct cmr__ring rings[] = {{s, 5, 0, 0}, {h, 5, 0, 0}, {i1, 5, 1, 1}};
    struct cmr__cells c;
    assert_status_ok(ctx, cmr__arrange(ctx, rings, 3, &c));
    assert_int_equal(c.n, 2);
    assert_rel(cell_m2(&c, (uint32_t[]){0}, 1),
               rect_m2(0, 0, 0.01, 0.01) - rect_m2(0.002, 0.002, 0.008, 0.008),
               1e-6);
    assert_rel(cell_m2(&c, (uint32_t[]){1}, 1),
               rect_m2(0.004, 0.004, 0.006, 0.006), 1e-6);
    cmr__cells_free(&c);
}

/* Edges a hair apart (below the grid) collapse: no sliver cell. A strip
 * cut from a square whose vertices were computed with rounding error. */
static void nearly_coincident_edges_leave_no_sliver(void **state)
{
    struct cmr_ctx *ctx = *state;
    double a[10], b[10];
    rect_ring(a, 30, 40, 30.004, 40.004);
    rect_ring(b, 30 + 3e-12, 40 - 2e-12, 30.001 + 1e-12, 40.004 + 4e-12);
    struct cmr__ring rings[] = {{a, 5, 0, 0}, {b, 5, 1, 1}};
    struct cmr__cells c;
    assert_status_ok(ctx, cmr__arrange(ctx, rings, 2, &c));
    assert_int_equal(c.n, 2);
    assert_rel(cell_m2(&c, (uint32_t[]){0, 1}, 2),
               rect_m2(30, 40, 30.001, 40.004), 1e-6);
    assert_rel(cell_m2(&c, (uint32_t[]){0}, 1),
               rect_m2(30.001, 40, 30.004, 40.004), 1e-6);
    cmr__cells_free(&c);
}

/* A bow-tie ring: the even-odd rule gives its two triangles. */
static void bowtie_counts_both_triangles(void **state)
{
    struct cmr_ctx *ctx = *state;
    double a[] = {0, 0, 0.002, 0.002, 0.002, 0, 0, 0.002, 0, 0};
    struct cmr__ring rings[] = {{a, 5, 3, 3}};
    struct cmr__cells c;
    assert_status_ok(ctx, cmr__arrange(ctx, rings, 1, &c));
    assert_int_equal(c.n, 1);
    double t1[] = {0, 0, 0.001, 0.001, 0, 0.002, 0, 0};
    double t2[] = {0.002, 0, 0.002, 0.002, 0.001, 0.001, 0.002, 0};
    assert_rel(cell_m2(&c, (uint32_t[]){3}, 1),
               cmr__crs_ring_area_geodesic(t1, 4) +
                   cmr__crs_ring_area_geodesic(t2, 4),
               1e-6);
    cmr__cells_free(&c);
}

/* A large ring (edges over 500 m) is measured geodesically: a 1 x 1 degree
 * square agrees with PROJ to 1e-9. */
static void large_ring_is_geodesic(void **state)
{
    struct cmr_ctx *ctx = *state;
    double a[10];
    rect_ring(a, 102, 15, 103, 16);
    struct cmr__ring rings[] = {{a, 5, 0, 0}};
    struct cmr__cells c;
    assert_status_ok(ctx, cmr__arrange(ctx, rings, 1, &c));
    assert_int_equal(c.n, 1);
    assert_rel(c.cell[0].m2, rect_m2(102, 15, 103, 16), 1e-9);
    cmr__cells_free(&c);
}

/* A 48,000 m² triangle at 75°N cut by a square into pieces. The overlay
 * cuts the triangle's 290 m base, a geodesic, at points on the straight
 * parallel; measured as geodesics between those points, the pieces would
 * exceed the triangle by the sliver between the base and the chain of its
 * pieces (about 1 m², 2e-5, by PROJ below). Each piece keeps to the base's
 * geodesic instead (its share of the sliver), so the pieces add up to the
 * triangle, to the snap rounding's 1e-3 m²; the faces, some measured by
 * the fast path and some not, agree on their shared edges. */
static void cut_pieces_add_up_to_the_whole(void **state)
{
    struct cmr_ctx *ctx = *state;
    double t[] = {10, 75, 10.01, 75, 10.005, 75.003, 10, 75};
    double s[10];
    rect_ring(s, 10.004, 74.999, 10.006, 75.001);
    struct cmr__ring rings[] = {{t, 4, 0, 0}, {s, 5, 1, 1}};
    struct cmr__cells c;
    assert_status_ok(ctx, cmr__arrange(ctx, rings, 2, &c));
    double sum =
        cell_m2(&c, (uint32_t[]){0}, 1) + cell_m2(&c, (uint32_t[]){0, 1}, 2);
    double whole = cmr__crs_ring_area_geodesic(t, 4);
    /* the sliver, by PROJ: the base's pieces out, the base back */
    double chain[] = {10, 75, 10.004, 75, 10.006, 75, 10.01, 75, 10, 75};
    double sliver = cmr__crs_ring_area_geodesic(chain, 5);
    assert_true(sliver > 0.9 && sliver < 1.1);
    assert_near(sum, whole, 1e-3);
    cmr__cells_free(&c);
}

/* Rings on either side of the world: two cells, each its own area. */
static void rings_far_apart(void **state)
{
    struct cmr_ctx *ctx = *state;
    double a[10], b[10];
    rect_ring(a, -170, 0, -169.99, 0.01);
    rect_ring(b, 170, -60, 170.01, -59.99);
    struct cmr__ring rings[] = {{a, 5, 0, 0}, {b, 5, 1, 1}};
    struct cmr__cells c;
    assert_status_ok(ctx, cmr__arrange(ctx, rings, 2, &c));
    assert_int_equal(c.n, 2);
    assert_rel(cell_m2(&c, (uint32_t[]){0}, 1), rect_m2(-170, 0, -169.99, 0.01),
               1e-6);
    assert_rel(cell_m2(&c, (uint32_t[]){1}, 1),
               rect_m2(170, -60, 170.01, -59.99), 1e-6);
    cmr__cells_free(&c);
}

static void coordinate_out_of_range_is_refused(void **state)
{
    struct cmr_ctx *ctx = *state;
    double a[10];
    rect_ring(a, 400, 0, 400.01, 0.01);
    struct cmr__ring rings[] = {{a, 5, 0, 0}};
    struct cmr__cells c;
    assert_status(ctx, cmr__arrange(ctx, rings, 1, &c), CMR_EGEOM);
    assert_errmsg_has(ctx, "out of range");
    assert_int_equal(c.n, 0);
}

/* Areas by set of polygons (a bit mask), two ways: GEOS (snap-rounded
 * noding, polygonize, a point in each face, geodesic area), and the
 * arrangement. */
static double geos_by_set(struct cmr_ctx *ctx, struct cmr_geom **g,
                          struct cmr__prep **pg, size_t n, double *want)
{
    double total = 0;
    struct cmr_geom **faces = NULL;
    size_t nfaces = 0;
    assert_status_ok(
        ctx, cmr__geom_faces(ctx, g, n, NULL, 0, 1e-10, &faces, &nfaces));
    for (size_t f = 0; f < nfaces; f++) {
        double x, y, a;
        if (!cmr__geom_interior_xy(ctx, faces[f], &x, &y)) {
            unsigned mask = 0;
            for (size_t i = 0; i < n; i++) {
                bool in = false;
                assert_status_ok(ctx,
                                 cmr__prep_covers_xy(ctx, pg[i], x, y, &in));
                mask |= in ? 1u << i : 0;
            }
            assert_status_ok(ctx, cmr__geom_area_geodesic(ctx, faces[f], &a));
            want[mask] += a;
            total += mask ? a : 0;
        }
        cmr__geom_free(ctx, faces[f]);
    }
    cmr__free(faces);
    return total;
}

static void arrange_by_set(struct cmr_ctx *ctx, const struct cmr__ring *rings,
                           size_t n, double *got)
{
    struct cmr__cells c;
    assert_status_ok(ctx, cmr__arrange(ctx, rings, n, &c));
    for (size_t k = 0; k < c.n; k++) {
        unsigned mask = 0;
        for (size_t j = 0; j < c.cell[k].n; j++)
            mask |= 1u << c.items[c.cell[k].first + j];
        got[mask] += c.cell[k].m2;
    }
    cmr__cells_free(&c);
}

/* ---- cases a review found (each was refused as non-planar before) ---- */

/* Coordinates given in pixels (2^-33 degree) from 10 degrees. */
static double px(double p)
{
    return 10 + p * 0x1p-33;
}

static void check_against_geos(struct cmr_ctx *ctx, double (*xy)[10],
                               size_t nring, const size_t *npts);

/* A segment that touches a neighbouring pixel only at its own end, or
 * along a shared pixel edge, must not be routed through it. */
static void pixel_corners_and_edges(void **state)
{
    struct cmr_ctx *ctx = *state;
    double a[][10] = {
        {px(0.5), px(0.5), px(100.5), px(0.5), px(100.5), px(100.5), px(0.5),
         px(100.5), px(0.5), px(0.5)},
        {px(1), px(0), px(50), px(0), px(1.2), px(50), px(1), px(0), 0, 0}};
    size_t na[] = {5, 4};
    check_against_geos(ctx, a, 2, na);
    double b[][10] = {{px(0), px(0), px(10), px(0), px(10), px(.5), px(0),
                       px(.5), px(0), px(0)},
                      {px(0), px(.5), px(10), px(.5), px(10), px(5), px(0),
                       px(5), px(0), px(.5)},
                      {px(3), px(-.2), px(4), px(-.2), px(4), px(1.2), px(3),
                       px(1.2), px(3), px(-.2)}};
    size_t nb[] = {5, 5, 5};
    check_against_geos(ctx, b, 3, nb);
}

/* A crossing within half a fine unit of a pixel boundary: its pixel must
 * be hot whichever way the approximate point rounds. */
static void crossing_on_a_pixel_boundary(void **state)
{
    struct cmr_ctx *ctx = *state;
    double f = 0x1p-46;
    double a[][10] = {
        {10, 10 + 4095 * f, 10 + 2000000 * f, 10 + 4097 * f, 10 + 2000000 * f,
         10 + 900000 * f, 10, 10 + 900000 * f, 10, 10 + 4095 * f},
        {10 + 700000 * f, 10 - 100000 * f, 10 + 700000 * f, 10 + 100000 * f,
         10 - 500000 * f, 10 + 100000 * f, 10 - 500000 * f, 10 - 100000 * f,
         10 + 700000 * f, 10 - 100000 * f}};
    size_t n[] = {5, 5};
    check_against_geos(ctx, a, 2, n);
}

/* The areas of the arrangement against GEOS's faces, item set by item
 * set (the helper of the random test below). */
static void check_against_geos(struct cmr_ctx *ctx, double (*xy)[10],
                               size_t nring, const size_t *npts)
{
    struct cmr__ring rings[8];
    struct cmr_geom *g[8];
    struct cmr__prep *pg[8];
    for (size_t i = 0; i < nring; i++) {
        rings[i] = (struct cmr__ring){xy[i], npts[i], (uint32_t)i, (uint32_t)i};
        assert_status_ok(ctx, cmr__geom_polygon(ctx, xy[i], npts[i], &g[i]));
        assert_status_ok(ctx, cmr__prep_new(ctx, g[i], &pg[i]));
    }
    double want[256] = {0}, got[256] = {0};
    double total = geos_by_set(ctx, g, pg, nring, want);
    arrange_by_set(ctx, rings, nring, got);
    for (unsigned m = 1; m < 1u << nring; m++)
        if (fabs(got[m] - want[m]) > 1e-6 * total + 1e-6)
            fail_msg("items %#x: arrangement %.9f m2, GEOS %.9f m2", m, got[m],
                     want[m]);
    assert_true(total > 0);
    for (size_t i = 0; i < nring; i++) {
        cmr__prep_free(ctx, pg[i]);
        cmr__geom_free(ctx, g[i]);
    }
}

/* Many small islands of one item: the rays to the west go through a grid
 * (this took parts x edges); the area is each island's once. */
static void many_islands(void **state)
{
    struct cmr_ctx *ctx = *state;
    enum { N = 3000 };
    double *xy = cmr__malloc(N * 10 * sizeof *xy);
    struct cmr__ring *rings = cmr__malloc((N + 1) * sizeof *rings);
    assert_non_null(xy);
    assert_non_null(rings);
    double want = 0;
    for (size_t i = 0; i < N; i++) {
        double x = 20 + 0.0003 * (double)(i % 60),
               y = 20 + 0.0003 * (double)(i / 60);
        rect_ring(xy + 10 * i, x, y, x + 0.0001, y + 0.0001);
        want += rect_m2(x, y, x + 0.0001, y + 0.0001);
        rings[i] = (struct cmr__ring){xy + 10 * i, 5, 1, 1};
    }
    double big[10];
    rect_ring(big, 19.99, 19.99, 20.03, 20.03);
    rings[N] = (struct cmr__ring){big, 5, 0, 0};
    struct cmr__cells c;
    assert_status_ok(ctx, cmr__arrange(ctx, rings, N + 1, &c));
    assert_int_equal(c.n, 2);
    assert_rel(cell_m2(&c, (uint32_t[]){0, 1}, 2), want, 1e-6);
    assert_rel(cell_m2(&c, (uint32_t[]){0}, 1),
               rect_m2(19.99, 19.99, 20.03, 20.03) - want, 1e-6);
    cmr__cells_free(&c);
    cmr__free(xy);
    cmr__free(rings);
}

/* The ring of [x0,x1] x [y0,y1] with k vertices on each side. */
static size_t dense_rect(double *xy, double x0, double y0, double x1, double y1,
                         int k)
{
    size_t n = 0;
    double cx[] = {x0, x1, x1, x0}, cy[] = {y0, y0, y1, y1};
    for (int side = 0; side < 4; side++)
        for (int i = 0; i < k; i++) {
            double t = (double)i / k;
            int a = side, b = (side + 1) % 4;
            xy[n++] = cx[a] + (cx[b] - cx[a]) * t;
            xy[n++] = cy[a] + (cy[b] - cy[a]) * t;
        }
    xy[n++] = x0;
    xy[n++] = y0;
    return n / 2;
}

/* Two overlapping squares of side s, 20 vertices a side, meeting at
 * vertices of both: the hot pixels are sorted by their packed offsets
 * (small s) or, where the component spans over 2^64 pixels squared, by
 * comparisons (s of a degree and more); the three cells are the same
 * either way, against PROJ's area of the same vertices. */
static void check_dense_squares(struct cmr_ctx *ctx, double s)
{
    enum { K = 20 };
    double a[2 * (4 * K + 1)], b[2 * (4 * K + 1)], m[2 * (4 * K + 1)];
    double x0 = 30, y0 = 10, h = s / 2;
    size_t na = dense_rect(a, x0, y0, x0 + s, y0 + s, K);
    size_t nb = dense_rect(b, x0 + h, y0 + h, x0 + s + h, y0 + s + h, K);
    size_t nm = dense_rect(m, x0 + h, y0 + h, x0 + s, y0 + s, K / 2);
    struct cmr__ring rings[] = {{a, na, 0, 0}, {b, nb, 1, 1}};
    struct cmr__cells c;
    assert_status_ok(ctx, cmr__arrange(ctx, rings, 2, &c));
    assert_int_equal(c.n, 3);
    double both = cmr__crs_ring_area_geodesic(m, nm);
    assert_rel(cell_m2(&c, (uint32_t[]){0, 1}, 2), both, 1e-8);
    assert_rel(cell_m2(&c, (uint32_t[]){0}, 1),
               cmr__crs_ring_area_geodesic(a, na) - both, 1e-8);
    assert_rel(cell_m2(&c, (uint32_t[]){1}, 1),
               cmr__crs_ring_area_geodesic(b, nb) - both, 1e-8);
    cmr__cells_free(&c);
}

static void wide_and_narrow_components_sort_alike(void **state)
{
    struct cmr_ctx *ctx = *state;
    check_dense_squares(ctx, 0.15); /* 2^30 pixels a side: packed */
    check_dense_squares(ctx, 1.5);  /* 2^34: compared */
}

/* ---- random polygons against GEOS ---- */

static uint64_t rng_state;
static double rnd(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* A star-shaped polygon around (cx, cy): simple, n vertices. */
static void star(double *xy, size_t n, double cx, double cy, double r)
{
    for (size_t i = 0; i < n; i++) {
        double t = 2 * 3.14159265358979 * ((double)i + 0.8 * rnd()) / (double)n;
        double rr = r * (0.3 + 0.7 * rnd());
        xy[2 * i] = cx + rr * cos(t);
        xy[2 * i + 1] = cy + rr * sin(t);
    }
    xy[2 * n] = xy[0];
    xy[2 * n + 1] = xy[1];
}

static void random_polygons_agree_with_geos(void **state)
{
    struct cmr_ctx *ctx = *state;
    enum { NP = 7, NV = 12 };
    double xy[NP][2 * (NV + 1)];
    int overlaps = 0; /* cells of two or more polygons met */
    double worst = 0, worst0 = 0;
    for (int trial = 0; trial < 300; trial++) {
        rng_state = 1000 + (uint64_t)trial;
        size_t np = 2 + (size_t)(rnd() * (NP - 1));
        struct cmr__ring rings[NP];
        struct cmr_geom *g[NP];
        struct cmr__prep *pg[NP];
        for (size_t i = 0; i < np; i++) {
            size_t nv = 3 + (size_t)(rnd() * (NV - 3));
            star(xy[i], nv, 105 + 0.004 * rnd(), 18 + 0.004 * rnd(),
                 0.001 + 0.002 * rnd());
            if (trial % 3 == 0 && i > 0) /* share vertices with polygon 0 */
                for (size_t k = 0; k < nv && k < 3; k++) {
                    xy[i][2 * k] = xy[0][2 * k];
                    xy[i][2 * k + 1] = xy[0][2 * k + 1];
                }
            if (trial % 3 == 1 && i > 0) /* a hair off polygon 0's edges */
                for (size_t k = 0; k < nv && k < 4; k++) {
                    double t = rnd();
                    xy[i][2 * k] = xy[0][2 * k] * (1 - t) +
                                   xy[0][2 * k + 2] * t + (rnd() - 0.5) * 6e-11;
                    xy[i][2 * k + 1] = xy[0][2 * k + 1] * (1 - t) +
                                       xy[0][2 * k + 3] * t +
                                       (rnd() - 0.5) * 6e-11;
                }
            xy[i][2 * nv] = xy[i][0];
            xy[i][2 * nv + 1] = xy[i][1];
            rings[i] =
                (struct cmr__ring){xy[i], nv + 1, (uint32_t)i, (uint32_t)i};
            assert_status_ok(ctx, cmr__geom_polygon(ctx, xy[i], nv + 1, &g[i]));
            assert_status_ok(ctx, cmr__prep_new(ctx, g[i], &pg[i]));
        }
        double want[1 << NP] = {0}, got[1 << NP] = {0};
        double total = geos_by_set(ctx, g, pg, np, want);
        arrange_by_set(ctx, rings, np, got);
        for (unsigned m = 1; m < 1u << np; m++)
            overlaps += (m & (m - 1)) && want[m] > 1;
        /* GEOS's faces are measured as geodesic polygons through the
         * points where its overlay cut the edges, on straight lon/lat
         * lines; the arrangement's pieces of a cut edge keep to its
         * geodesic instead (see measure in arrange.c). The two differ by
         * parts of the slivers between these 700 m edges and their
         * geodesics at 18°N (under 1 m² each): the same item sets, the
         * same areas to 2e-5 of the total. */
        double piece0 = 0;
        for (unsigned m = 1; m < 1u << np; m++) {
            if (fabs(got[m] - want[m]) > 2e-5 * total + 1e-3) {
                fail_msg("trial %d, items %#x: arrangement %.6f m2, GEOS "
                         "%.6f m2",
                         trial, m, got[m], want[m]);
            }
            worst = fmax(worst, fabs(got[m] - want[m]) / total);
            if (m & 1)
                piece0 += got[m];
        }
        /* and polygon 0, however the others cut it, is its own geodesic
         * area: its pieces add up to it (to the fast path's 1e-8, and the
         * snap rounding's: a crossing moved up to half a pixel, 6 µm, off
         * a 700 m edge adds or takes a triangle of up to 2e-3 m²) */
        double whole0 = cmr__crs_ring_area_geodesic(xy[0], rings[0].n);
        if (fabs(piece0 - whole0) > 2e-7 * whole0)
            fail_msg("trial %d: polygon 0's cells %.9f m2, its area %.9f m2",
                     trial, piece0, whole0);
        worst0 = fmax(worst0, fabs(piece0 - whole0));
        for (size_t i = 0; i < np; i++) {
            cmr__prep_free(ctx, pg[i]);
            cmr__geom_free(ctx, g[i]);
        }
    }
    assert_true(overlaps > 600);
    print_message("worst cell against GEOS %.2g of the total; polygon 0's "
                  "cells against its area %.2g m2\n",
                  worst, worst0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(overlapping_squares_split_into_three_cells),
        cmocka_unit_test(nested_square_is_found_by_the_ray),
        cmocka_unit_test(hole_and_island),
        cmocka_unit_test(nearly_coincident_edges_leave_no_sliver),
        cmocka_unit_test(bowtie_counts_both_triangles),
        cmocka_unit_test(large_ring_is_geodesic),
        cmocka_unit_test(rings_far_apart),
        cmocka_unit_test(cut_pieces_add_up_to_the_whole),
        cmocka_unit_test(coordinate_out_of_range_is_refused),
        cmocka_unit_test(pixel_corners_and_edges),
        cmocka_unit_test(crossing_on_a_pixel_boundary),
        cmocka_unit_test(many_islands),
        cmocka_unit_test(wide_and_narrow_components_sort_alike),
        cmocka_unit_test(random_polygons_agree_with_geos),
    };
    int rc =
        cmocka_run_group_tests_name("arrange", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
