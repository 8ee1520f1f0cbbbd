/* SPDX-License-Identifier: MIT */
/* A polygon's cells (see locate.h).
 *
 * 1. The envelope is cut into about two cells per boundary segment.
 * 2. Each segment is listed in every cell it may touch: row by row, the
 *    span of x it covers there, grown by a millionth of a cell each way
 *    (see slack), so that no cell it touches, even at a corner, is missed.
 * 3. A cell with no segment lies wholly inside or wholly outside, like its
 *    centre: in each row, the boundary crosses the line through the
 *    centres an odd number of times west of an inside centre. The
 *    crossings nearest a centre lie in other cells, so rounding cannot
 *    move one across it.
 * 4. A box meets the boundary only if one of the segments listed in the
 *    cells around it comes near it; else it lies wholly inside or outside
 *    (it is connected), like any cell it overlaps that has no segment, or,
 *    if it overlaps none, like a corner of it: like the nearest cell west
 *    of it with no segment, flipped by each crossing of the boundary with
 *    the line between. Where a segment comes within a margin of the box,
 *    GEOS tells. */
#include "locate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { C_OUT, C_IN, C_EDGE };

/* The most cells a box is looked up in before the answer is left to
 * GEOS. */
#define MAX_LOOKUP 1024
/* The most cells a segment is listed in, on average, before the locator
 * gives up its cells (its lists would grow with the product of segments
 * and rows). */
#define MAX_LISTED_PER_SEGMENT 32

struct seg {
    double ax, ay, bx, by;
};

struct cmr__locator {
    struct cmr__bbox env;
    double cw, ch, icw, ich; /* cells' sizes, and their inverses */
    size_t nx, ny;           /* 0: no interior, nothing inside */
    unsigned char *cell;     /* row after row */
    struct seg *seg;
    size_t *sstart; /* cell c's segments: sidx[sstart[c] .. sstart[c + 1]) */
    uint32_t *sidx;
};

/* fmin and fmax for the finite coordinates a locator holds (a polygon
 * with any other has no cells): GCC calls the library for those, which
 * must handle NaN. */
static inline double lo_of(double a, double b)
{
    return a < b ? a : b;
}
static inline double hi_of(double a, double b)
{
    return a > b ? a : b;
}

/* How far a segment's cells, and a box's, are grown: a millionth of a
 * cell, and at least 1e-11 degree, some hundred times the rounding of a
 * coordinate in degrees (up to 360). A segment nearer a box than half of
 * it leaves the box to GEOS. */
static double slack(double cell)
{
    return fmax(cell * 1e-6, 1e-11);
}

/* The cell, of n along one axis from v0, that v falls in (clamped); inv
 * is 1 / the cell's size. */
static size_t index_of(double v, double v0, double inv, size_t n)
{
    double k = (v - v0) * inv;
    if (!(k >= 1)) /* (and NaN) */
        return 0;
    return k >= (double)(n - 1) ? n - 1 : (size_t)k; /* k > 0: truncates */
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double centre_y(const struct cmr__locator *L, size_t r)
{
    return L->env.miny + ((double)r + 0.5) * L->ch;
}

/* The rows whose centre line the segment crosses, by the rule that counts
 * each crossing once (lo <= yc < hi), among rows r0 .. r1. */
static void row_span(const struct cmr__locator *L, double lo, double hi,
                     size_t *r0, size_t *r1)
{
    *r0 = index_of(lo, L->env.miny + 0.5 * L->ch, L->ich, L->ny);
    *r1 = index_of(hi, L->env.miny + 0.5 * L->ch, L->ich, L->ny) + 1;
    if (*r0 > 0)
        (*r0)--;
    if (*r1 >= L->ny)
        *r1 = L->ny - 1;
}

/* Counts (fill NULL) or lists segment s in the cells it may touch. */
static void list_segment(struct cmr__locator *L, uint32_t s, size_t *fill)
{
    const struct seg *g = &L->seg[s];
    double sx = slack(L->cw), sy = slack(L->ch);
    double lo = lo_of(g->ay, g->by), hi = hi_of(g->ay, g->by);
    size_t r0 = index_of(lo - sy, L->env.miny, L->ich, L->ny);
    size_t r1 = index_of(hi + sy, L->env.miny, L->ich, L->ny);
    for (size_t r = r0; r <= r1; r++) {
        double ylo = hi_of(lo, L->env.miny + (double)r * L->ch - sy);
        double yhi = lo_of(hi, L->env.miny + (double)(r + 1) * L->ch + sy);
        double xlo = lo_of(g->ax, g->bx), xhi = hi_of(g->ax, g->bx);
        double k = (g->bx - g->ax) / (g->by - g->ay);
        if (g->ay != g->by && ylo <= yhi && isfinite(k)) {
            /* (an infinite slope, from a rise below 1e-306, would make
             * the span NaN: the segment's whole span is taken) */
            double x1 = g->ax + (ylo - g->ay) * k;
            double x2 = g->ax + (yhi - g->ay) * k;
            xlo = hi_of(xlo, lo_of(x1, x2));
            xhi = lo_of(xhi, hi_of(x1, x2));
        }
        size_t c0 = index_of(xlo - sx, L->env.minx, L->icw, L->nx);
        size_t c1 = index_of(xhi + sx, L->env.minx, L->icw, L->nx);
        for (size_t c = r * L->nx + c0; c <= r * L->nx + c1; c++)
            if (fill)
                L->sidx[fill[c]++] = s;
            else
                L->sstart[c + 1]++;
    }
}

/* Counts segment s's crossings of the rows' centre lines into count[row]
 * (xs NULL), or puts their x at xs[count[row]++]. */
static void cross_rows(const struct cmr__locator *L, uint32_t s, size_t *count,
                       double *xs)
{
    const struct seg *g = &L->seg[s];
    double lo = lo_of(g->ay, g->by), hi = hi_of(g->ay, g->by);
    size_t r0, r1;
    row_span(L, lo, hi, &r0, &r1);
    for (size_t r = r0; r <= r1; r++) {
        double yc = centre_y(L, r);
        if (!(lo <= yc && yc < hi))
            continue;
        if (xs)
            xs[count[r]++] =
                g->ax + (yc - g->ay) * (g->bx - g->ax) / (g->by - g->ay);
        else
            count[r]++;
    }
}

/* Lists the segments in their cells, then tells each cell with none
 * inside or outside by the crossings of its row's centre line: row r's
 * are xs[xstart[r] .. xstart[r + 1]). */
static enum cmr_status build(struct cmr_ctx *ctx, struct cmr__locator *L,
                             size_t nseg)
{
    size_t ncell = L->nx * L->ny;
    L->cell = cmr__calloc(ncell, 1);
    L->sstart = cmr__calloc(ncell + 1, sizeof *L->sstart);
    size_t *xstart = cmr__calloc(L->ny + 1, sizeof *xstart);
    double *xs = NULL;
    size_t *fill = NULL;
    enum cmr_status st = CMR_OK;
    if (!L->cell || !L->sstart || !xstart) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    for (uint32_t s = 0; s < nseg; s++) {
        list_segment(L, s, NULL);
        cross_rows(L, s, xstart + 1, NULL);
    }
    for (size_t c = 0; c < ncell; c++)
        L->sstart[c + 1] += L->sstart[c];
    for (size_t r = 0; r < L->ny; r++)
        xstart[r + 1] += xstart[r];
    size_t nlist = L->sstart[ncell], nxs = xstart[L->ny];
    if (nlist > MAX_LISTED_PER_SEGMENT * nseg + ncell) {
        /* segments each in many cells (a comb of tall teeth): no cells,
         * every box near the boundary is left to GEOS */
        cmr__free(L->cell);
        cmr__free(L->sstart);
        L->cell = NULL;
        L->sstart = NULL;
        L->nx = L->ny = 0;
        goto done;
    }
    L->sidx = cmr__malloc((nlist ? nlist : 1) * sizeof *L->sidx);
    xs = cmr__malloc((nxs ? nxs : 1) * sizeof *xs);
    fill = cmr__malloc((ncell > L->ny ? ncell : L->ny) * sizeof *fill);
    if (!L->sidx || !xs || !fill) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    memcpy(fill, L->sstart, ncell * sizeof *fill);
    for (uint32_t s = 0; s < nseg; s++)
        list_segment(L, s, fill);
    memcpy(fill, xstart, L->ny * sizeof *fill);
    for (uint32_t s = 0; s < nseg; s++)
        cross_rows(L, s, fill, xs);
    for (size_t r = 0; r < L->ny; r++) {
        double *x = xs + xstart[r];
        size_t n = xstart[r + 1] - xstart[r], j = 0;
        if (n > 16) {
            qsort(x, n, sizeof *x, cmp_double);
        } else {
            for (size_t i = 1; i < n; i++) {
                double v = x[i];
                size_t k = i;
                for (; k > 0 && x[k - 1] > v; k--)
                    x[k] = x[k - 1];
                x[k] = v;
            }
        }
        bool in = false;
        for (size_t c = 0; c < L->nx; c++) {
            double xc = L->env.minx + ((double)c + 0.5) * L->cw;
            for (; j < n && x[j] < xc; j++)
                in = !in;
            size_t k = r * L->nx + c;
            L->cell[k] = L->sstart[k + 1] > L->sstart[k] ? C_EDGE
                         : in                            ? C_IN
                                                         : C_OUT;
        }
    }
done:
    cmr__free(xstart);
    cmr__free(xs);
    cmr__free(fill);
    return st;
}

enum cmr_status cmr__locator_new(struct cmr_ctx *ctx,
                                 const struct cmr__rings *r,
                                 struct cmr__locator **out)
{
    *out = NULL;
    struct cmr__locator *L = cmr__calloc(1, sizeof *L);
    if (!L)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    L->env = (struct cmr__bbox){INFINITY, INFINITY, -INFINITY, -INFINITY};
    bool finite = true;
    for (size_t i = 0; i < r->npts; i++) {
        finite &= isfinite(r->xy[2 * i]) && isfinite(r->xy[2 * i + 1]);
        L->env.minx = fmin(L->env.minx, r->xy[2 * i]);
        L->env.miny = fmin(L->env.miny, r->xy[2 * i + 1]);
        L->env.maxx = fmax(L->env.maxx, r->xy[2 * i]);
        L->env.maxy = fmax(L->env.maxy, r->xy[2 * i + 1]);
    }
    double w = L->env.maxx - L->env.minx, h = L->env.maxy - L->env.miny;
    size_t nseg = 0;
    for (size_t k = 0; k < r->nrings; k++)
        nseg += r->start[k + 1] - r->start[k] - (r->start[k + 1] > r->start[k]);
    if (!finite || !(w > 0 && h > 0) || nseg < 3 || nseg > UINT32_MAX) {
        /* no interior (or too large to list, or a coordinate not a
         * number): no cells, every question left to GEOS */
        *out = L;
        return CMR_OK;
    }
    L->seg = cmr__malloc(nseg * sizeof *L->seg);
    if (!L->seg) {
        cmr__free(L);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    size_t s = 0;
    for (size_t k = 0; k < r->nrings; k++)
        for (size_t i = r->start[k]; i + 1 < r->start[k + 1]; i++)
            L->seg[s++] = (struct seg){r->xy[2 * i], r->xy[2 * i + 1],
                                       r->xy[2 * i + 2], r->xy[2 * i + 3]};
    double want = fmin(fmax(2.0 * (double)nseg, 64), 1 << 20);
    double nx = fmax(1, fmin(4096, round(sqrt(want * w / h))));
    double ny = fmax(1, fmin(4096, round(want / nx)));
    L->nx = (size_t)nx;
    L->ny = (size_t)ny;
    L->cw = w / nx;
    L->ch = h / ny;
    L->icw = nx / w;
    L->ich = ny / h;
    enum cmr_status st = build(ctx, L, nseg);
    if (st) {
        cmr__locator_free(L);
        return st;
    }
    *out = L;
    return CMR_OK;
}

void cmr__locator_free(struct cmr__locator *L)
{
    if (!L)
        return;
    cmr__free(L->cell);
    cmr__free(L->seg);
    cmr__free(L->sstart);
    cmr__free(L->sidx);
    cmr__free(L);
}

struct cmr__bbox cmr__locator_envelope(const struct cmr__locator *L)
{
    return L->env;
}

/* Whether segment g may meet box b (never false when it does): false when
 * their boxes are apart, or when every corner of b lies strictly on one
 * side of g's line. */
static bool seg_meets(const struct seg *g, struct cmr__bbox b)
{
    if (hi_of(g->ax, g->bx) < b.minx || lo_of(g->ax, g->bx) > b.maxx ||
        hi_of(g->ay, g->by) < b.miny || lo_of(g->ay, g->by) > b.maxy)
        return false;
    double dx = g->bx - g->ax, dy = g->by - g->ay;
    double xs[2] = {b.minx, b.maxx}, ys[2] = {b.miny, b.maxy};
    int pos = 0, neg = 0;
    for (int k = 0; k < 4; k++) {
        double c = dx * (ys[k >> 1] - g->ay) - dy * (xs[k & 1] - g->ax);
        pos += c > 0;
        neg += c < 0;
    }
    return !(pos == 4 || neg == 4);
}

/* Whether a segment listed in cell c may meet box b. */
static bool cell_meets(const struct cmr__locator *L, size_t c,
                       struct cmr__bbox b)
{
    for (size_t k = L->sstart[c]; k < L->sstart[c + 1]; k++)
        if (seg_meets(&L->seg[L->sidx[k]], b))
            return true;
    return false;
}

/* Inside or outside, like point (x, y), which no segment comes within m
 * of: like the nearest cell to the west with no segment, or the outside
 * west of the envelope, flipped by each crossing of the boundary with the
 * line y between there and x (counted in the cell it falls in: a segment
 * is listed in every cell it touches); unknown where a crossing comes
 * within m of x. */
static int point_state(const struct cmr__locator *L, double x, double y,
                       double m)
{
    size_t r = index_of(y, L->env.miny, L->ich, L->ny);
    size_t c = index_of(x, L->env.minx, L->icw, L->nx);
    bool flip = false;
    for (size_t k = c + 1; k-- > 0;) {
        size_t cell = r * L->nx + k;
        if (L->cell[cell] != C_EDGE)
            return (L->cell[cell] == C_IN) != flip ? C_IN : C_OUT;
        for (size_t j = L->sstart[cell]; j < L->sstart[cell + 1]; j++) {
            const struct seg *g = &L->seg[L->sidx[j]];
            if (!(lo_of(g->ay, g->by) <= y && y < hi_of(g->ay, g->by)))
                continue;
            double xc = g->ax + (y - g->ay) * (g->bx - g->ax) / (g->by - g->ay);
            if (fabs(xc - x) <= m)
                return -1;
            if (xc < x && index_of(xc, L->env.minx, L->icw, L->nx) == k)
                flip = !flip;
        }
    }
    return flip ? C_IN : C_OUT;
}

enum cmr__where cmr__locator_box(const struct cmr__locator *L,
                                 struct cmr__bbox b)
{
    const struct cmr__bbox *e = &L->env;
    if (b.maxx < e->minx || b.minx > e->maxx || b.maxy < e->miny ||
        b.miny > e->maxy)
        return CMR_WHERE_OUTSIDE;
    if (!L->nx || !(b.minx <= b.maxx && b.miny <= b.maxy))
        return CMR_WHERE_UNKNOWN; /* (or NaN) */
    double sx = slack(L->cw), sy = slack(L->ch), m = fmin(sx, sy) / 2;
    size_t c0 = index_of(b.minx - sx, e->minx, L->icw, L->nx);
    size_t c1 = index_of(b.maxx + sx, e->minx, L->icw, L->nx);
    size_t r0 = index_of(b.miny - sy, e->miny, L->ich, L->ny);
    size_t r1 = index_of(b.maxy + sy, e->miny, L->ich, L->ny);
    if ((c1 - c0 + 1) * (r1 - r0 + 1) > MAX_LOOKUP)
        return CMR_WHERE_UNKNOWN;
    /* the cells the box itself overlaps (those grown by the slack hold
     * every segment that comes near it) */
    size_t bc0 = index_of(b.minx, e->minx, L->icw, L->nx);
    size_t bc1 = index_of(b.maxx, e->minx, L->icw, L->nx);
    size_t br0 = index_of(b.miny, e->miny, L->ich, L->ny);
    size_t br1 = index_of(b.maxy, e->miny, L->ich, L->ny);
    /* the box grown by the margin: no segment may come near it */
    struct cmr__bbox g = {b.minx - m, b.miny - m, b.maxx + m, b.maxy + m};
    int state = -1;
    for (size_t r = r0; r <= r1; r++)
        for (size_t col = c0; col <= c1; col++) {
            size_t c = r * L->nx + col;
            if (L->cell[c] == C_EDGE) {
                if (cell_meets(L, c, g))
                    return CMR_WHERE_UNKNOWN;
            } else if (r < br0 || r > br1 || col < bc0 || col > bc1) {
                continue; /* near the box, not under it */
            } else if (state < 0) {
                state = L->cell[c];
            } else if (state != L->cell[c]) {
                return CMR_WHERE_UNKNOWN; /* (never: the boundary is between) */
            }
        }
    /* The boundary keeps off the box: the box lies wholly on one side. Out
     * of the envelope, outside; else like a cell it overlaps, or a point. */
    bool within = b.minx > e->minx && b.maxx < e->maxx && b.miny > e->miny &&
                  b.maxy < e->maxy;
    if (!within)
        return state == C_IN ? CMR_WHERE_UNKNOWN : CMR_WHERE_OUTSIDE;
    if (state < 0)
        state = point_state(L, b.minx, b.miny, m);
    return state == C_IN    ? CMR_WHERE_INSIDE
           : state == C_OUT ? CMR_WHERE_OUTSIDE
                            : CMR_WHERE_UNKNOWN;
}
