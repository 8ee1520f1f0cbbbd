/* SPDX-License-Identifier: MIT */
/* The planar arrangement of a component's rings (see arrange.h).
 *
 * 1. Every vertex is read as an integer in units of 2^-46 degree (exact
 *    for longitudes of 64 to 128 degrees, within 1e-14 degree elsewhere), so
 *    that every predicate below is exact in 128-bit integers.
 * 2. Snap rounding (Hobby 1999; Guibas & Marimont 1998) on pixels of 2^-33
 *    degree (about 1.2e-10 degree, 13 micrometres): a vertex within 1/128
 *    pixel of another segment first splits it there (as GEOS's snap-rounding
 *    noder does, so that a vertex computed to lie on an edge is on it); the
 *    crossings of the split segments are found among the pairs of segments
 *    that one pass of a uniform grid finds for both; each vertex and
 * each crossing makes its pixel hot, and each segment is routed through the
 *    centre of every hot pixel whose closed square it touches, in order
 *    along the segment. The routed segments cross nowhere, and no hot pixel
 *    centre lies inside an edge, so they form a planar graph; nearly
 *    coincident edges collapse onto one another instead of leaving slivers.
 * 3. Identical edges are merged; each edge keeps the items whose rings run
 *    along it an odd number of times (crossing it toggles exactly those).
 *    Edges that toggle nothing are dropped.
 * 4. Half-edges are sorted by angle around each vertex and traced into
 *    cycles, each with the face on its left. A face's area is the sum of
 *    the signed areas of its cycles (its outer cycle counter-clockwise, its
 *    holes clockwise), so areas can be added by label without building
 *    polygons.
 * 5. Labels: in each connected part of the graph, the outer cycle's label
 *    is found by casting a ray to the west from the part's lowest western
 *    vertex (even-odd over all edges); the other cycles are labelled by
 *    walking across edges, each crossing toggling the edge's items. A label
 *    reached twice must agree, or the graph is refused.
 * The areas are measured on WGS84 as cmr__crs_ring_area_signed does: the
 * equal-area shoelace less each edge's lens where every edge is shorter
 * than the fast path's limit, PROJ's geodesic area otherwise; and a piece
 * of a ring's edge cut by another keeps to that edge's geodesic (its share
 * of the sliver between the geodesic and the straight line, see measure),
 * so that a ring's pieces add up to its own area, however it is cut. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arrange.h"
#include "crs.h"

__extension__ typedef __int128 i128;

struct pt {
    int64_t x, y;
};

struct seg {
    struct pt a, b;
    struct pt oa, ob; /* the ring's edge it is part of (see measure) */
    uint32_t item;
};

struct redge { /* a routed piece of a segment, u < v */
    uint32_t u, v, item;
    uint32_t sa, sb; /* the hot pixels of its ring edge's ends, sa <= sb */
};

struct edge {
    uint32_t u, v;
    uint32_t tfirst, tn; /* toggled items in tog[] */
    uint32_t sa, sb;     /* the ring edge it lies along (see measure) */
    double corr;         /* its term's correction, from u to v (measure) */
};

/* A position along a segment: the parameter n / d (d > 0), and whether the
 * point itself is excluded (the segment is there just after it). */
struct param {
    i128 n, d;
    bool open;
};

/* A hot pixel a segment passes, and its order along it: the projection
 * of its centre on the segment (see route). */
struct cand {
    i128 key;
    uint32_t p;
};

struct box {
    int64_t minx, miny, maxx, maxy;
};

struct grid {
    int64_t x0, y0, cs, nx, ny; /* cs = 2^shift: a cell is found by a shift */
    int shift;
    uint32_t *start; /* nx * ny + 1 offsets into item */
    uint32_t *item;
};

struct work {
    struct pt *pt; /* hot pixels, sorted by x then y */
    size_t npt, cappt;
    struct seg *seg;
    size_t nseg, capseg;
    struct redge *re;
    size_t nre, capre;
    struct edge *e;
    size_t ne, cape;
    uint32_t *tog;
    size_t ntog, captog;
    struct cand *cand;
    size_t capcand;
    uint32_t *vstart, *vlist, *pos, *cyc, *cstart, *chalf;
    uint32_t *vpiece, *pmin, *lfirst, *ln, *lab, *queue, *tmp;
    uint64_t *lhash, *ehash; /* a cycle's label, an edge's toggles, hashed */
    size_t nlab, caplab, captmp;
    double *xy, *carea;
    size_t capxy;
    i128 *cplanar;
    struct grid pgrid; /* the hot pixels (each cell's in pt's order: by x) */
    struct grid egrid; /* the edges, in pixel units */
    uint32_t *estamp, ray_stamp;
    uint32_t *ptab;  /* hot pixel -> index, see index_pts */
    uint32_t *irank; /* item -> its rings' rank (see merge_edges) */
    size_t pmask;
    struct vterm {
        double x; /* longitude, radians from the first hot pixel */
        struct cmr__crs_vert c;
    } * vterm;
};

static void grid_free(struct grid *g);

static void work_free(struct work *w)
{
    grid_free(&w->pgrid);
    grid_free(&w->egrid);
    cmr__free(w->estamp);
    cmr__free(w->vterm);
    cmr__free(w->ptab);
    cmr__free(w->irank);
    void *arrays[] = {w->pt,     w->seg,     w->re,     w->e,    w->tog,
                      w->cand,   w->vstart,  w->vlist,  w->pos,  w->cyc,
                      w->cstart, w->chalf,   w->vpiece, w->pmin, w->lfirst,
                      w->ln,     w->lab,     w->queue,  w->tmp,  w->xy,
                      w->carea,  w->cplanar, w->lhash,  w->ehash};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
        cmr__free(arrays[i]);
}

/* ---- exact predicates ---- */

static i128 cross(struct pt o, struct pt a, struct pt b)
{
    return (i128)(a.x - o.x) * (b.y - o.y) - (i128)(a.y - o.y) * (b.x - o.x);
}

static int sgn(i128 v)
{
    return (v > 0) - (v < 0);
}

static bool pt_eq(struct pt a, struct pt b)
{
    return a.x == b.x && a.y == b.y;
}

static int pt_cmp(struct pt a, struct pt b)
{
    if (a.x != b.x)
        return a.x < b.x ? -1 : 1;
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    return 0;
}

/* ---- sorting ---- */

/* An in-place quicksort (median of three, insertion sort below 16
 * elements, recursion on the smaller side) for the arrays sorted here:
 * glibc's qsort, a merge sort through a function pointer, took a fifth of
 * the time. */
#define SWAP(T, x, y)                                                          \
    do {                                                                       \
        T t_ = (x);                                                            \
        (x) = (y);                                                             \
        (y) = t_;                                                              \
    } while (0)
#define DEFINE_SORT(NAME, T, CMP)                                              \
    static void NAME(T *a, size_t n)                                           \
    {                                                                          \
        while (n > 16) {                                                       \
            size_t m = n / 2, l = n - 1;                                       \
            if (CMP(&a[m], &a[0]) < 0)                                         \
                SWAP(T, a[m], a[0]);                                           \
            if (CMP(&a[l], &a[0]) < 0)                                         \
                SWAP(T, a[l], a[0]);                                           \
            if (CMP(&a[l], &a[m]) < 0)                                         \
                SWAP(T, a[l], a[m]);                                           \
            T piv = a[m];                                                      \
            size_t i = 0, j = l;                                               \
            for (;;) {                                                         \
                while (CMP(&a[i], &piv) < 0)                                   \
                    i++;                                                       \
                while (CMP(&piv, &a[j]) < 0)                                   \
                    j--;                                                       \
                if (i >= j)                                                    \
                    break;                                                     \
                SWAP(T, a[i], a[j]);                                           \
                i++;                                                           \
                j--;                                                           \
            }                                                                  \
            size_t left = j + 1; /* a[0, left) <= piv <= a[left, n) */         \
            if (left < n - left) {                                             \
                NAME(a, left);                                                 \
                a += left;                                                     \
                n -= left;                                                     \
            } else {                                                           \
                NAME(a + left, n - left);                                      \
                n = left;                                                      \
            }                                                                  \
        }                                                                      \
        for (size_t i = 1; i < n; i++) {                                       \
            T x = a[i];                                                        \
            size_t k = i;                                                      \
            for (; k > 0 && CMP(&x, &a[k - 1]) < 0; k--)                       \
                a[k] = a[k - 1];                                               \
            a[k] = x;                                                          \
        }                                                                      \
    }

/* NAME(&a, n, nkeys): sorts a by KEY(element), an index below nkeys, with
 * a counting sort into a new array (a is freed and pointed at it), then
 * each key's few elements with SUB (a DEFINE_SORT). False when memory runs
 * short (a is left as it was). */
#define DEFINE_BUCKET_SORT(NAME, T, KEY, SUB)                                  \
    static bool NAME(T **a, size_t n, size_t nkeys)                            \
    {                                                                          \
        size_t *start = cmr__calloc(nkeys + 1, sizeof *start);                 \
        T *out = cmr__malloc((n ? n : 1) * sizeof *out);                       \
        if (!start || !out) {                                                  \
            cmr__free(start);                                                  \
            cmr__free(out);                                                    \
            return false;                                                      \
        }                                                                      \
        for (size_t i = 0; i < n; i++)                                         \
            start[KEY((*a)[i]) + 1]++;                                         \
        for (size_t k = 0; k < nkeys; k++)                                     \
            start[k + 1] += start[k];                                          \
        for (size_t i = 0; i < n; i++)                                         \
            out[start[KEY((*a)[i])]++] = (*a)[i];                              \
        /* start[k] is now the end of key k's elements */                      \
        for (size_t k = 0, from = 0; k < nkeys; k++) {                         \
            if (start[k] - from > 1)                                           \
                SUB(out + from, start[k] - from);                              \
            from = start[k];                                                   \
        }                                                                      \
        cmr__free(start);                                                      \
        cmr__free(*a);                                                         \
        *a = out;                                                              \
        return true;                                                           \
    }

static int cmp_pt(const struct pt *a, const struct pt *b)
{
    return pt_cmp(*a, *b);
}

static int cmp_redge(const struct redge *a, const struct redge *b)
{
    if (a->u != b->u)
        return a->u < b->u ? -1 : 1;
    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return (a->item > b->item) - (a->item < b->item);
}

static int cmp_cand(const struct cand *a, const struct cand *b)
{
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->p > b->p) - (a->p < b->p);
}

static int cmp_u32(const uint32_t *a, const uint32_t *b)
{
    return (*a > *b) - (*a < *b);
}

DEFINE_SORT(sort_pts, struct pt, cmp_pt)
DEFINE_SORT(sort_redges, struct redge, cmp_redge)

/* An LSD radix sort of n keys of the given bits, in 8- or 11-bit digits
 * (a digit all keys share is skipped); tmp holds n keys. Returns the array
 * that holds the result (keys or tmp). */
static uint64_t *radix_sort(uint64_t *keys, uint64_t *tmp, size_t n, int bits)
{
    /* 11-bit digits, or 8-bit ones for fewer keys than 2^11 buckets */
    int digit = n < 2048 ? 8 : 11;
    size_t NB = (size_t)1 << digit;
    uint32_t count[1 << 11];
    for (int shift = 0; shift < bits; shift += digit) {
        memset(count, 0, NB * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(keys[i] >> shift) & (NB - 1)]++;
        if (n && count[(keys[0] >> shift) & (NB - 1)] == n)
            continue;
        uint32_t sum = 0;
        for (size_t d = 0; d < NB; d++) {
            uint32_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(keys[i] >> shift) & (NB - 1)]++] = keys[i];
        uint64_t *t = keys;
        keys = tmp;
        tmp = t;
    }
    return keys;
}

static int bits_of(uint64_t v)
{
    int b = 0;
    while (b < 64 && v >> b)
        b++;
    return b;
}

/* Sorts the points by x, then y: by their offsets from the lowest x and y
 * packed in one 64-bit key where they fit (a component spanning 2^32
 * pixels each way, half a degree, or more one way and less the other),
 * else by comparisons. False on a failed allocation. */
static bool sort_points(struct pt *pt, size_t n)
{
    if (n < 64) {
        sort_pts(pt, n);
        return true;
    }
    struct box e = {INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN};
    for (size_t i = 0; i < n; i++) {
        e.minx = pt[i].x < e.minx ? pt[i].x : e.minx;
        e.miny = pt[i].y < e.miny ? pt[i].y : e.miny;
        e.maxx = pt[i].x > e.maxx ? pt[i].x : e.maxx;
        e.maxy = pt[i].y > e.maxy ? pt[i].y : e.maxy;
    }
    int xb = bits_of((uint64_t)(e.maxx - e.minx));
    int yb = bits_of((uint64_t)(e.maxy - e.miny));
    if (xb + yb > 64) {
        sort_pts(pt, n);
        return true;
    }
    uint64_t *keys = cmr__malloc(2 * n * sizeof *keys);
    if (!keys)
        return false;
    for (size_t i = 0; i < n; i++)
        keys[i] = (yb == 64 ? 0 : (uint64_t)(pt[i].x - e.minx) << yb) |
                  (uint64_t)(pt[i].y - e.miny);
    const uint64_t *k = radix_sort(keys, keys + n, n, xb + yb);
    uint64_t ymask = yb == 64 ? UINT64_MAX : ((uint64_t)1 << yb) - 1;
    for (size_t i = 0; i < n; i++)
        pt[i] = (struct pt){e.minx + (int64_t)(yb == 64 ? 0 : k[i] >> yb),
                            e.miny + (int64_t)(k[i] & ymask)};
    cmr__free(keys);
    return true;
}
DEFINE_SORT(sort_cands, struct cand, cmp_cand)
DEFINE_SORT(sort_u32, uint32_t, cmp_u32)

/* Shell sort of n indices by a comparison with context (small n). */
static void sort_ctx(uint32_t *v, size_t n,
                     int (*cmp)(const void *ctx, uint32_t, uint32_t),
                     const void *ctx)
{
    for (size_t gap = n / 2; gap > 0; gap = gap == 2 ? 1 : gap * 5 / 11)
        for (size_t i = gap; i < n; i++) {
            uint32_t x = v[i];
            size_t j = i;
            for (; j >= gap && cmp(ctx, v[j - gap], x) > 0; j -= gap)
                v[j] = v[j - gap];
            v[j] = x;
        }
}

struct angle_ctx {
    const struct work *w;
};

static struct pt he_from(const struct work *w, uint32_t h)
{
    const struct edge *e = &w->e[h >> 1];
    return w->pt[h & 1 ? e->v : e->u];
}

static uint32_t he_from_v(const struct work *w, uint32_t h)
{
    const struct edge *e = &w->e[h >> 1];
    return h & 1 ? e->v : e->u;
}

static struct pt he_dir(const struct work *w, uint32_t h)
{
    const struct edge *e = &w->e[h >> 1];
    struct pt a = w->pt[e->u], b = w->pt[e->v];
    return h & 1 ? (struct pt){a.x - b.x, a.y - b.y}
                 : (struct pt){b.x - a.x, b.y - a.y};
}

static int half(struct pt d)
{
    return d.y < 0 || (d.y == 0 && d.x < 0);
}

/* Counter-clockwise from the direction of the positive x axis. */
static int by_angle(const void *ctx, uint32_t a, uint32_t b)
{
    const struct work *w = ((const struct angle_ctx *)ctx)->w;
    struct pt da = he_dir(w, a), db = he_dir(w, b);
    int ha = half(da), hb = half(db);
    if (ha != hb)
        return ha - hb;
    int s = sgn(cross((struct pt){0, 0}, da, db));
    if (s)
        return -s;
    return (a > b) - (a < b);
}

/* ---- the steps ---- */

static bool push_pt(struct work *w, struct pt p)
{
    if (!cmr__reserve((void **)&w->pt, &w->cappt, w->npt + 1, sizeof *w->pt))
        return false;
    w->pt[w->npt++] = p;
    return true;
}

static size_t pt_hash(struct pt p, size_t mask)
{
    uint64_t h = (uint64_t)p.x * 0x9E3779B97F4A7C15u ^
                 (uint64_t)p.y * 0xC2B2AE3D27D4EB4Fu;
    return (size_t)(h ^ (h >> 29)) & mask;
}

/* A table from hot pixel to its index, by open addressing. */
static bool index_pts(struct work *w)
{
    size_t cap = 16;
    while (cap < 2 * w->npt)
        cap *= 2;
    w->ptab = cmr__malloc(cap * sizeof *w->ptab);
    if (!w->ptab)
        return false;
    memset(w->ptab, 0xff, cap * sizeof *w->ptab);
    w->pmask = cap - 1;
    for (uint32_t i = 0; i < w->npt; i++) {
        size_t h = pt_hash(w->pt[i], w->pmask);
        while (w->ptab[h] != UINT32_MAX)
            h = (h + 1) & w->pmask;
        w->ptab[h] = i;
    }
    return true;
}

static uint32_t find_pt(const struct work *w, struct pt p)
{
    size_t h = pt_hash(p, w->pmask);
    while (!pt_eq(w->pt[w->ptab[h]], p)) /* the point is always there */
        h = (h + 1) & w->pmask;
    return w->ptab[h];
}

/* Units: input coordinates in 2^-46 degree ("fine"), pixels of 2^13 fine
 * units, the near-vertex tolerance 2^6 fine units (1/128 pixel). */
#define FINE_PER_DEG 70368744177664.0 /* 2^46 */
#define PIX_SHIFT    13
#define PIX          ((int64_t)1 << PIX_SHIFT)
#define NEAR_TOL     64.0

/* floor(a / PIX): an arithmetic shift, as GCC and Clang define >> on a
 * negative number (checked below; C leaves it to the compiler). A
 * division by the constant, with its remainder's correction, took 1.6% of
 * a dense run. */
_Static_assert((-PIX - 1) >> PIX_SHIFT == -2 && -PIX >> PIX_SHIFT == -1,
               "arithmetic right shift");
static int64_t floor_pix(int64_t a)
{
    return a >> PIX_SHIFT;
}

/* The pixel of a fine point (its centre, in pixel units; halves up). */
static struct pt pixel_of(struct pt f)
{
    return (struct pt){floor_pix(f.x + PIX / 2), floor_pix(f.y + PIX / 2)};
}

static bool push_seg(struct work *w, struct pt a, struct pt b, struct pt oa,
                     struct pt ob, uint32_t item)
{
    if (!cmr__reserve((void **)&w->seg, &w->capseg, w->nseg + 1,
                      sizeof *w->seg))
        return false;
    w->seg[w->nseg++] = (struct seg){a, b, oa, ob, item};
    return true;
}

/* Reads the rings into fine units and cuts them into segments; every
 * vertex makes its pixel hot. */
static enum cmr_status make_segments(struct cmr_ctx *ctx, struct work *w,
                                     const struct cmr__ring *rings,
                                     size_t nrings)
{
    /* room for every vertex at once (a ring's n counts its closing
     * vertex), and a quarter more hot pixels for the crossings */
    size_t nv = 0;
    uint32_t nitem = 0;
    for (size_t r = 0; r < nrings; r++) {
        nv += rings[r].n;
        if (rings[r].item >= nitem)
            nitem = rings[r].item + 1;
    }
    if (!(w->irank = cmr__calloc(nitem ? nitem : 1, sizeof *w->irank)))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t r = 0; r < nrings; r++)
        w->irank[rings[r].item] = rings[r].rank;
    if (!cmr__reserve((void **)&w->pt, &w->cappt, nv + nv / 4 + 8,
                      sizeof *w->pt) ||
        !cmr__reserve((void **)&w->seg, &w->capseg, nv + 1, sizeof *w->seg))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t r = 0; r < nrings; r++) {
        const double *xy = rings[r].xy;
        size_t n = rings[r].n, first = w->nseg;
        struct pt prev = {0, 0}, start = {0, 0};
        for (size_t i = 0; i < n; i++) {
            if (!(fabs(xy[2 * i]) <= 360 && fabs(xy[2 * i + 1]) <= 90))
                return cmr__error(ctx, CMR_EGEOM,
                                  "coordinate out of range: %g %g", xy[2 * i],
                                  xy[2 * i + 1]);
            struct pt p = {cmr__round_away(xy[2 * i] * FINE_PER_DEG),
                           cmr__round_away(xy[2 * i + 1] * FINE_PER_DEG)};
            if (i > 0 && pt_eq(p, prev))
                continue;
            if (!push_pt(w, pixel_of(p)))
                return cmr__error(ctx, CMR_ENOMEM, "out of memory");
            if (i == 0)
                start = p;
            else if (!push_seg(w, prev, p, prev, p, rings[r].item))
                return cmr__error(ctx, CMR_ENOMEM, "out of memory");
            prev = p;
        }
        if (w->nseg > first && !pt_eq(prev, start) &&
            !push_seg(w, prev, start, prev, start,
                      rings[r].item)) /* close the ring */
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    return CMR_OK;
}

struct split {
    uint32_t seg;
    i128 t; /* position along the segment */
    struct pt p;
};

static int cmp_split(const struct split *a, const struct split *b)
{
    if (a->seg != b->seg)
        return a->seg < b->seg ? -1 : 1;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return pt_cmp(a->p, b->p);
}

DEFINE_SORT(sort_splits_cmp, struct split, cmp_split)

/* The splits as cmp_split orders them: by segment (numbered below the
 * count of segments), then each segment's few by position. */
#define SPLIT_SEG(x) ((x).seg)
DEFINE_BUCKET_SORT(sort_splits, struct split, SPLIT_SEG, sort_splits_cmp)

/* ---- a uniform grid over the component ---- */

static void grid_free(struct grid *g)
{
    cmr__free(g->start);
    cmr__free(g->item);
    memset(g, 0, sizeof *g);
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int64_t cell_x(const struct grid *g, int64_t x)
{
    int64_t d = x - g->x0;
    return d <= 0 ? 0 : clamp64(d >> g->shift, 0, g->nx - 1);
}

static int64_t cell_y(const struct grid *g, int64_t y)
{
    int64_t d = y - g->y0;
    return d <= 0 ? 0 : clamp64(d >> g->shift, 0, g->ny - 1);
}

/* The cells that a segment from a to b, drawn with a square brush of
 * half-width pad, passes through: row by row, the span of x the segment
 * covers within the row (grown by pad), computed in double and widened
 * by more than its error, so no cell is missed (a point is a segment
 * a = b). */
struct cells {
    const struct grid *g;
    struct pt a, b;
    int64_t pad, row, row1, cx, cx1;
    int64_t bx0, bx1; /* the columns of the whole box */
};

static void cells_row(struct cells *it)
{
    const struct grid *g = it->g;
    if (it->row == it->row1 || it->bx0 == it->bx1) {
        it->cx = it->bx0; /* one row or one column: the box's columns */
        it->cx1 = it->bx1;
        return;
    }
    int64_t miny = it->a.y < it->b.y ? it->a.y : it->b.y;
    int64_t maxy = it->a.y > it->b.y ? it->a.y : it->b.y;
    int64_t minx = it->a.x < it->b.x ? it->a.x : it->b.x;
    int64_t maxx = it->a.x > it->b.x ? it->a.x : it->b.x;
    int64_t y0 =
        it->row == 0 ? INT64_MIN / 4 : g->y0 + it->row * g->cs - it->pad;
    int64_t y1 = it->row == g->ny - 1 ? INT64_MAX / 4
                                      : g->y0 + (it->row + 1) * g->cs + it->pad;
    int64_t lo = clamp64(y0, miny, maxy), hi = clamp64(y1, miny, maxy);
    int64_t xlo = minx, xhi = maxx;
    if (it->a.y != it->b.y) {
        /* offsets from a.x in double: off by a few units at most, so
         * widened by 2^-40 of the run plus 16 */
        double k = (double)(it->b.x - it->a.x) / (double)(it->b.y - it->a.y);
        double p = (double)(lo - it->a.y) * k, q = (double)(hi - it->a.y) * k;
        double slack = 16 + fabs((double)(it->b.x - it->a.x)) * 0x1p-40;
        xlo = clamp64(it->a.x + (int64_t)((p < q ? p : q) - slack), minx, maxx);
        xhi = clamp64(it->a.x + (int64_t)((p > q ? p : q) + slack), minx, maxx);
    }
    it->cx = cell_x(g, xlo - it->pad);
    it->cx1 = cell_x(g, xhi + it->pad);
}

/* (Fields are set one by one: a struct literal made GCC store the points
 * in halves and load them whole, which stalled every call.) */
static inline void cells_begin(struct cells *it, const struct grid *g,
                               struct pt a, struct pt b, int64_t pad)
{
    it->g = g;
    it->a.x = a.x;
    it->a.y = a.y;
    it->b.x = b.x;
    it->b.y = b.y;
    it->pad = pad;
    it->cx = 0;
    it->cx1 = -1;
    it->row = cell_y(g, (a.y < b.y ? a.y : b.y) - pad);
    it->row1 = cell_y(g, (a.y > b.y ? a.y : b.y) + pad);
    it->bx0 = cell_x(g, (a.x < b.x ? a.x : b.x) - pad);
    it->bx1 = cell_x(g, (a.x > b.x ? a.x : b.x) + pad);
    cells_row(it);
}

static bool cells_next(struct cells *it, size_t *cell)
{
    while (it->cx > it->cx1) {
        if (++it->row > it->row1)
            return false;
        cells_row(it);
    }
    *cell = (size_t)(it->row * it->g->nx + it->cx++);
    return true;
}

struct span {
    struct pt a, b;
};

/* The cells each item went into, in the order it passes them: item i's
 * are cell[first[i] .. first[i + 1]) (see grid_build). */
struct cell_list {
    uint32_t *cell;
    size_t *first, cap;
};

/* The cell a point falls in (as cells_begin finds it, unpadded). */
static size_t point_cell(const struct grid *g, struct pt p)
{
    return (size_t)(cell_y(g, p.y) * g->nx + cell_x(g, p.x));
}

/* Cells of about n per item over the extent e; each item (a segment, or a
 * point) goes into every cell it passes through, in the items' order. With
 * *fill NULL, the items are put in; else the cells are made room for and left
 * empty, and *fill is each cell's end, for the caller to put them in (see
 * near_pairs). With list, each item's cells are listed in it too (the caller
 * frees list->cell and list->first, also on failure). False on a failed
 * allocation, or with *too_big where the grid would need over 2^32
 * entries. */
static bool grid_build(struct grid *g, const struct span *it, size_t n,
                       int64_t pad, struct box e, bool *too_big,
                       uint32_t **fill_out, struct cell_list *list)
{
    memset(g, 0, sizeof *g);
    *too_big = false;
    double W = (double)(e.maxx - e.minx) + 1, H = (double)(e.maxy - e.miny) + 1;
    double cells = (double)(n ? n : 1);
    /* a power of two, the nearest to the side of n cells over e */
    double side = sqrt(W * H / cells);
    int shift = 0;
    while (shift < 62 && (double)((int64_t)1 << shift) * 1.41421356 < side)
        shift++;
    int64_t cs = (int64_t)1 << shift;
    while ((W / (double)cs + 1) * (H / (double)cs + 1) > 4 * cells + 16) {
        cs *= 2;
        shift++;
    }
    g->x0 = e.minx;
    g->y0 = e.miny;
    g->cs = cs;
    g->shift = shift;
    g->nx = (e.maxx - e.minx) / cs + 1;
    g->ny = (e.maxy - e.miny) / cs + 1;
    size_t ncell = (size_t)(g->nx * g->ny);
    g->start = cmr__calloc(ncell + 1, sizeof *g->start);
    if (!g->start)
        return false;
    size_t total = 0, c;
    struct cells ci;
    /* (points, unpadded, each in one cell: found at once; a list is only
     * asked of segments) */
    bool points = pad == 0 && !list;
    for (size_t i = 0; i < n && points; i++)
        points = pt_eq(it[i].a, it[i].b);
    if (points) {
        for (size_t i = 0; i < n; i++)
            g->start[point_cell(g, it[i].a) + 1]++;
        total = n;
    }
    if (list && !(list->first = cmr__malloc((n + 1) * sizeof *list->first)))
        return false;
    for (size_t i = 0; i < n && !points; i++) {
        if (list)
            list->first[i] = total;
        for (cells_begin(&ci, g, it[i].a, it[i].b, pad); cells_next(&ci, &c);) {
            if (list && total >= UINT32_MAX) { /* (as below) */
                *too_big = true;
                return false;
            }
            if (list && !cmr__reserve((void **)&list->cell, &list->cap,
                                      total + 1, sizeof *list->cell))
                return false;
            if (list)
                list->cell[total] = (uint32_t)c;
            g->start[c + 1]++;
            total++;
        }
    }
    if (list)
        list->first[n] = total;
    if (total > UINT32_MAX) {
        *too_big = true;
        return false;
    }
    for (c = 0; c < ncell; c++)
        g->start[c + 1] += g->start[c];
    g->item = cmr__malloc((total ? total : 1) * sizeof *g->item);
    uint32_t *fill = cmr__malloc((ncell ? ncell : 1) * sizeof *fill);
    if (!g->item || !fill) {
        cmr__free(fill);
        return false;
    }
    memcpy(fill, g->start, ncell * sizeof *fill);
    if (fill_out) {
        *fill_out = fill;
        return true;
    }
    for (size_t i = 0; i < n && points; i++)
        g->item[fill[point_cell(g, it[i].a)]++] = (uint32_t)i;
    for (size_t i = 0; i < n && !points; i++)
        for (cells_begin(&ci, g, it[i].a, it[i].b, pad); cells_next(&ci, &c);)
            g->item[fill[c]++] = (uint32_t)i;
    cmr__free(fill);
    return true;
}

static enum cmr_status grid_error(struct cmr_ctx *ctx, bool too_big)
{
    return too_big ? cmr__error(ctx, CMR_EGEOM, "too many records to overlay")
                   : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

/* Grows e to hold the box b. */
static void box_add(struct box *e, struct box b)
{
    e->minx = b.minx < e->minx ? b.minx : e->minx;
    e->miny = b.miny < e->miny ? b.miny : e->miny;
    e->maxx = b.maxx > e->maxx ? b.maxx : e->maxx;
    e->maxy = b.maxy > e->maxy ? b.maxy : e->maxy;
}

static struct box seg_box(const struct seg *s, int64_t pad)
{
    return (struct box){(s->a.x < s->b.x ? s->a.x : s->b.x) - pad,
                        (s->a.y < s->b.y ? s->a.y : s->b.y) - pad,
                        (s->a.x > s->b.x ? s->a.x : s->b.x) + pad,
                        (s->a.y > s->b.y ? s->a.y : s->b.y) + pad};
}

/* Records a split of segment si at v when v lies within the tolerance of
 * its interior. */
static enum cmr_status near_one(struct cmr_ctx *ctx, struct work *w,
                                uint32_t si, struct pt v, struct split **sp,
                                size_t *nsp, size_t *capsp)
{
    const struct seg *s = &w->seg[si];
    if (pt_eq(v, s->a) || pt_eq(v, s->b))
        return CMR_OK;
    struct pt d = {s->b.x - s->a.x, s->b.y - s->a.y};
    i128 t = (i128)(v.x - s->a.x) * d.x + (i128)(v.y - s->a.y) * d.y;
    i128 len2 = (i128)d.x * d.x + (i128)d.y * d.y;
    if (t <= 0 || t >= len2)
        return CMR_OK;
    /* In double first (err bounds the rounding of cd; the threshold is
     * within a few units of 2^-53 of its exact value, and the margins of
     * 2^-40 hold both): only a distance near the tolerance needs the
     * 128-bit terms, and the answer is theirs. */
    double dx = (double)d.x, dy = (double)d.y;
    double vx = (double)(v.x - s->a.x), vy = (double)(v.y - s->a.y);
    double cd = fabs(dx * vy - dy * vx);
    double err = (fabs(dx * vy) + fabs(dy * vx)) * 0x1p-50;
    double tol = NEAR_TOL * sqrt(dx * dx + dy * dy);
    if (cd - err > tol * (1 + 0x1p-40))
        return CMR_OK;
    if (!(cd + err < tol * (1 - 0x1p-40)) &&
        fabs((double)cross(s->a, s->b, v)) > NEAR_TOL * sqrt((double)len2))
        return CMR_OK;
    if (!cmr__reserve((void **)sp, capsp, *nsp + 1, sizeof **sp))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    (*sp)[(*nsp)++] = (struct split){si, t, v};
    return CMR_OK;
}

struct near_state {
    struct split *sp;
    size_t n, cap;
    uint32_t (*pair)[2]; /* every pair met: their crossings, once split */
    size_t npair, cappair;
    /* the pairs that share an end: two segments that do cannot cross, so
     * only their pieces are tried, where one of them is split */
    uint32_t (*tpair)[2];
    size_t ntpair, captpair;
};

/* Finds every pair of segments whose boxes, grown by the tolerance and one
 * unit (for the rounding of the distance test), meet and which share a
 * cell of a grid; each segment, in turn, looks at the earlier segments in
 * the cells it passes through, then joins them there (one walk of its
 * cells for both). Each pair's splits are recorded (a vertex of one within
 * the tolerance of the other's interior), and the pair itself, whose
 * crossings are found once the segments are split (see split_and_cross). */
static enum cmr_status near_pairs(struct cmr_ctx *ctx, struct work *w,
                                  struct near_state *ns)
{
    const int64_t pad = (int64_t)NEAR_TOL + 1;
    size_t n = w->nseg;
    struct span *sp = cmr__malloc((n ? n : 1) * sizeof *sp);
    struct box *bx = cmr__malloc((n ? n : 1) * sizeof *bx);
    uint32_t *stamp = cmr__malloc((n ? n : 1) * sizeof *stamp);
    uint32_t *end = NULL; /* each cell's end: the segments put in so far */
    struct grid g;
    memset(&g, 0, sizeof g);
    enum cmr_status st = CMR_OK;
    if (!sp || !bx || !stamp)
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    struct box e = {INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN};
    for (size_t i = 0; !st && i < n; i++) {
        bx[i] = seg_box(&w->seg[i], pad);
        sp[i].a = w->seg[i].a;
        sp[i].b = w->seg[i].b;
        stamp[i] = UINT32_MAX;
        box_add(&e, bx[i]);
    }
    /* (each segment meets its neighbours along its ring, segments that
     * share its ends, and a few more) */
    if (!st && (!cmr__reserve((void **)&ns->pair, &ns->cappair, 2 * n + 8,
                              sizeof *ns->pair) ||
                !cmr__reserve((void **)&ns->tpair, &ns->captpair, 2 * n + 8,
                              sizeof *ns->tpair)))
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    bool too_big = false;
    struct cell_list cl = {0};
    if (!st && n && !grid_build(&g, sp, n, pad, e, &too_big, &end, &cl))
        st = grid_error(ctx, too_big);
    for (uint32_t i = 0; !st && i < n; i++) {
        const struct box p = bx[i];
        for (size_t at = cl.first[i]; !st && at < cl.first[i + 1]; at++) {
            uint32_t c = cl.cell[at];
            for (uint32_t k = g.start[c]; !st && k < end[c]; k++) {
                uint32_t j = g.item[k];
                if (stamp[j] == i)
                    continue;
                stamp[j] = i;
                const struct box *q = &bx[j];
                if (p.maxx < q->minx || q->maxx < p.minx || p.maxy < q->miny ||
                    q->maxy < p.miny)
                    continue;
                /* the ends of each within the box of the other: maybe
                 * within the tolerance of its interior */
                struct pt ends[4] = {sp[i].a, sp[i].b, sp[j].a, sp[j].b};
                for (int m = 0; m < 4 && !st; m++) {
                    const struct box *x = m < 2 ? q : &p;
                    if (ends[m].x >= x->minx && ends[m].x <= x->maxx &&
                        ends[m].y >= x->miny && ends[m].y <= x->maxy)
                        st = near_one(ctx, w, m < 2 ? j : i, ends[m], &ns->sp,
                                      &ns->n, &ns->cap);
                }
                bool touch = pt_eq(sp[i].a, sp[j].a) ||
                             pt_eq(sp[i].a, sp[j].b) ||
                             pt_eq(sp[i].b, sp[j].a) || pt_eq(sp[i].b, sp[j].b);
                uint32_t(**list)[2] = touch ? &ns->tpair : &ns->pair;
                size_t *np = touch ? &ns->ntpair : &ns->npair;
                if (!st && !cmr__reserve((void **)list,
                                         touch ? &ns->captpair : &ns->cappair,
                                         *np + 1, sizeof **list))
                    st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
                if (!st) {
                    (*list)[*np][0] = j;
                    (*list)[(*np)++][1] = i;
                }
            }
            g.item[end[c]++] = i;
        }
    }
    grid_free(&g);
    cmr__free(end);
    cmr__free(cl.cell);
    cmr__free(cl.first);
    cmr__free(sp);
    cmr__free(bx);
    cmr__free(stamp);
    return st;
}

/* Makes the pixel of a proper crossing of two segments hot (touching
 * endpoints are hot already). */
static enum cmr_status cross_pair(struct cmr_ctx *ctx, struct work *w,
                                  uint32_t a, uint32_t b)
{
    const struct seg *s = &w->seg[a], *t = &w->seg[b];
    int o1 = sgn(cross(s->a, s->b, t->a)), o2 = sgn(cross(s->a, s->b, t->b));
    if (!o1 || !o2 || o1 == o2)
        return CMR_OK;
    int o3 = sgn(cross(t->a, t->b, s->a)), o4 = sgn(cross(t->a, t->b, s->b));
    if (!o3 || !o4 || o3 == o4)
        return CMR_OK;
    struct pt ds = {s->b.x - s->a.x, s->b.y - s->a.y};
    struct pt dt = {t->b.x - t->a.x, t->b.y - t->a.y};
    i128 d = (i128)ds.x * dt.y - (i128)ds.y * dt.x;
    i128 num = (i128)(t->a.x - s->a.x) * dt.y - (i128)(t->a.y - s->a.y) * dt.x;
    /* 0 < num/d < 1; the point only needs to fall in the right pixel. In
     * double where the segment spans under 2^44 fine units each way (its
     * error is then about 1/128 unit), else in long double. */
    struct pt p;
    if (llabs(ds.x) < ((int64_t)1 << 44) && llabs(ds.y) < ((int64_t)1 << 44)) {
        double f = (double)num / (double)d;
        p = (struct pt){s->a.x + cmr__round_away(f * (double)ds.x),
                        s->a.y + cmr__round_away(f * (double)ds.y)};
    } else {
        long double f = (long double)num / (long double)d;
        p = (struct pt){s->a.x + (int64_t)llroundl(f * (long double)ds.x),
                        s->a.y + (int64_t)llroundl(f * (long double)ds.y)};
    }
    /* The exact crossing lies within one fine unit of p: every pixel it
     * may be in is made hot (extra hot pixels are harmless). */
    struct pt lo = pixel_of((struct pt){p.x - 1, p.y - 1});
    struct pt hi = pixel_of((struct pt){p.x + 1, p.y + 1});
    if (!cmr__reserve((void **)&w->pt, &w->cappt, w->npt + 4, sizeof *w->pt))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (int64_t y = lo.y; y <= hi.y; y++)
        for (int64_t x = lo.x; x <= hi.x; x++)
            w->pt[w->npt++] = (struct pt){x, y};
    return CMR_OK;
}

/* Calls cross_pair on every two pieces, of segments a and b (a != b) or
 * of one segment (a == b), whose boxes meet. */
static enum cmr_status cross_pieces(struct cmr_ctx *ctx, struct work *w,
                                    const uint32_t *first, uint32_t a,
                                    uint32_t b)
{
    enum cmr_status st = CMR_OK;
    for (uint32_t i = first[a]; i < first[a + 1] && !st; i++)
        for (uint32_t j = a == b ? i + 1 : first[b]; j < first[b + 1] && !st;
             j++) {
            struct box p = seg_box(&w->seg[i], 0), q = seg_box(&w->seg[j], 0);
            if (p.maxx < q.minx || q.maxx < p.minx || p.maxy < q.miny ||
                q.maxy < p.miny)
                continue;
            st = cross_pair(ctx, w, i, j);
        }
    return st;
}

/* Splits each segment at the vertices that lie within the tolerance of it
 * (GEOS's snap-rounding noder does the same: a vertex computed to lie on an
 * edge then lies on it, whatever pixel it falls in), then makes the pixel
 * of every proper crossing of the split segments hot. One pass of the grid
 * finds both: a piece lies within the tolerance of its segment, so two
 * pieces that cross come from segments that come that near each other
 * (the pad is one unit more, for the rounding of the distance test). */
static enum cmr_status split_and_cross(struct cmr_ctx *ctx, struct work *w)
{
    struct near_state ns = {0};
    enum cmr_status st = near_pairs(ctx, w, &ns);
    size_t nold = w->nseg;
    uint32_t *first = NULL; /* old segment i -> its pieces */
    if (!st && nold >= UINT32_MAX)
        st = cmr__error(ctx, CMR_EGEOM, "too many vertices to overlay");
    if (!st && !(first = cmr__malloc((nold + 1) * sizeof *first)))
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    if (!st && ns.n) {
        if (!sort_splits(&ns.sp, ns.n, nold))
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        struct seg *old = w->seg;
        w->seg = NULL;
        w->nseg = w->capseg = 0;
        if (!st && !cmr__reserve((void **)&w->seg, &w->capseg, nold + ns.n + 1,
                                 sizeof *w->seg))
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        size_t k = 0;
        for (uint32_t i = 0; i < nold && !st; i++) {
            first[i] = (uint32_t)w->nseg;
            struct pt prev = old[i].a;
            for (; k < ns.n && ns.sp[k].seg == i && !st; k++) {
                if (pt_eq(ns.sp[k].p, prev))
                    continue;
                if (!push_seg(w, prev, ns.sp[k].p, old[i].oa, old[i].ob,
                              old[i].item))
                    st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
                prev = ns.sp[k].p;
            }
            if (!st &&
                !push_seg(w, prev, old[i].b, old[i].oa, old[i].ob, old[i].item))
                st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        }
        cmr__free(old);
    } else if (!st) {
        for (uint32_t i = 0; i < nold; i++)
            first[i] = i;
    }
    if (!st) {
        first[nold] = (uint32_t)w->nseg;
        if (w->nseg > UINT32_MAX - 1)
            st = cmr__error(ctx, CMR_EGEOM, "too many vertices to overlay");
    }
    for (size_t k = 0; k < ns.npair && !st; k++)
        st = cross_pieces(ctx, w, first, ns.pair[k][0], ns.pair[k][1]);
    for (size_t k = 0; k < ns.ntpair && !st; k++) {
        uint32_t a = ns.tpair[k][0], b = ns.tpair[k][1];
        if (first[a + 1] - first[a] > 1 || first[b + 1] - first[b] > 1)
            st = cross_pieces(ctx, w, first, a, b);
    }
    for (uint32_t i = 0; i < nold && !st; i++)
        if (first[i + 1] - first[i] > 2)
            st = cross_pieces(ctx, w, first, i, i);
    cmr__free(first);
    cmr__free(ns.sp);
    cmr__free(ns.pair);
    cmr__free(ns.tpair);
    return st;
}

/* a < b, as positions along one segment (an excluded point lies just
 * after the included one). */
static int param_cmp(struct param a, struct param b)
{
    i128 l = a.n * b.d, r = b.n * a.d;
    if (l != r)
        return l < r ? -1 : 1;
    return (int)a.open - (int)b.open;
}

/* Narrows [lo, hi] by the condition x(t) in [L, R) along one axis, where
 * x(t) = x0 + t dx. False when nothing is left. */
static bool clip_axis(int64_t x0, int64_t dx, int64_t L, int64_t R,
                      struct param *lo, struct param *hi)
{
    if (dx == 0)
        return L <= x0 && x0 < R;
    /* x(t) >= L and x(t) < R, as bounds on t */
    struct param from, to;
    if (dx > 0) {
        from = (struct param){(i128)L - x0, dx, false};
        to = (struct param){(i128)R - x0, dx, true};
    } else {
        from = (struct param){(i128)x0 - R, -(i128)dx, true};
        to = (struct param){(i128)x0 - L, -(i128)dx, false};
    }
    if (param_cmp(from, *lo) > 0)
        *lo = from;
    /* of two equal upper bounds, the one that excludes its point is less */
    struct param tcmp = {to.n, to.d, !to.open};
    struct param hcmp = {hi->n, hi->d, !hi->open};
    if (param_cmp(tcmp, hcmp) < 0)
        *hi = to;
    i128 l = lo->n * hi->d, r = hi->n * lo->d;
    return l < r || (l == r && !lo->open && !hi->open);
}

/* Whether segment ab (fine units) has a point in pixel c, a half-open
 * square like the rounding that makes pixels (so every point is in exactly
 * one pixel). Exact. */
static bool touches_pixel(struct pt a, struct pt b, struct pt c)
{
    struct param lo = {0, 1, false}, hi = {1, 1, false};
    if (!clip_axis(a.x, b.x - a.x, c.x * PIX - PIX / 2, c.x * PIX + PIX / 2,
                   &lo, &hi) ||
        !clip_axis(a.y, b.y - a.y, c.y * PIX - PIX / 2, c.y * PIX + PIX / 2,
                   &lo, &hi))
        return false;
    return true;
}

/* Routes every segment through the hot pixels it touches, in their order
 * along it. That order is their centres' projections on the segment: x
 * and y are monotone along it, so the pixels it passes have monotone
 * columns and rows, and the projection grows strictly from each to the
 * next (a column changes only where dx is not 0, a row where dy is not). */
static enum cmr_status route(struct cmr_ctx *ctx, struct work *w)
{
    /* (a segment's pieces: one, and more where it passes hot pixels) */
    if (!cmr__reserve((void **)&w->re, &w->capre, w->nseg + w->nseg / 2 + 8,
                      sizeof *w->re))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t i = 0; i < w->nseg; i++) {
        const struct seg *s = &w->seg[i];
        struct pt pa = pixel_of(s->a), pb = pixel_of(s->b);
        int64_t minx = s->a.x < s->b.x ? s->a.x : s->b.x;
        int64_t maxx = s->a.x > s->b.x ? s->a.x : s->b.x;
        int64_t miny = s->a.y < s->b.y ? s->a.y : s->b.y;
        int64_t maxy = s->a.y > s->b.y ? s->a.y : s->b.y;
        /* pixels whose closed square meets the box, among those in the
         * cells the segment passes through */
        int64_t px0 = floor_pix(minx - PIX / 2 + PIX - 1),
                px1 = floor_pix(maxx + PIX / 2);
        int64_t py0 = floor_pix(miny - PIX / 2 + PIX - 1),
                py1 = floor_pix(maxy + PIX / 2);
        /* A pixel whose centre lies over twice its half-diagonal from the
         * segment's line cannot touch it: told in double (its error is
         * far below the margin), before the exact test. One whose centre
         * lies under half its side from the line, its foot on the
         * segment, is touched (at the foot, in the disc the square holds):
         * told in double where the error bounds (as in near_one) and the
         * margins of 2^-40 (for the rounding of the length) leave no
         * doubt; the exact test decides the rest. */
        double dx = (double)(s->b.x - s->a.x), dy = (double)(s->b.y - s->a.y);
        double len2 = dx * dx + dy * dy, len = sqrt(len2);
        double far = 2 * PIX * len, inner = PIX / 2 * len * (1 - 0x1p-40);
        double end = len2 * (1 - 0x1p-40);
        const struct grid *g = &w->pgrid;
        size_t nc = 0, cell;
        struct cells ci;
        for (cells_begin(&ci, g, s->a, s->b, PIX / 2); cells_next(&ci, &cell);)
            for (uint32_t k = g->start[cell]; k < g->start[cell + 1]; k++) {
                uint32_t p = g->item[k];
                struct pt c = w->pt[p];
                if (c.x > px1)
                    break; /* (a cell's pixels are in x order, as pt) */
                if (c.x < px0 || c.y < py0 || c.y > py1)
                    continue;
                int64_t ox = c.x * PIX - s->a.x, oy = c.y * PIX - s->a.y;
                double ux = (double)ox, uy = (double)oy;
                double cr = dx * uy - dy * ux;
                if (fabs(cr) > far || pt_eq(c, pa) || pt_eq(c, pb))
                    continue;
                double dot = dx * ux + dy * uy;
                double ecr = (fabs(dx * uy) + fabs(dy * ux)) * 0x1p-50;
                double edot = (fabs(dx * ux) + fabs(dy * uy)) * 0x1p-50;
                bool sure = fabs(cr) + ecr < inner && dot - edot > 0 &&
                            dot + edot < end;
                if (!sure && !touches_pixel(s->a, s->b, c))
                    continue;
                if (!cmr__reserve((void **)&w->cand, &w->capcand, nc + 1,
                                  sizeof *w->cand))
                    return cmr__error(ctx, CMR_ENOMEM, "out of memory");
                w->cand[nc++] = (struct cand){(i128)ox * (s->b.x - s->a.x) +
                                                  (i128)oy * (s->b.y - s->a.y),
                                              p};
            }
        if (nc > 1)
            sort_cands(w->cand, nc);
        if (!cmr__reserve((void **)&w->re, &w->capre, w->nre + nc + 1,
                          sizeof *w->re))
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        uint32_t prev = find_pt(w, pa), last = find_pt(w, pb);
        /* (a segment that is its ring's whole edge is its own) */
        bool whole = pt_eq(s->a, s->oa) && pt_eq(s->b, s->ob);
        uint32_t oa = whole ? prev : find_pt(w, pixel_of(s->oa));
        uint32_t ob = whole ? last : find_pt(w, pixel_of(s->ob));
        if (oa > ob) {
            uint32_t t = oa;
            oa = ob;
            ob = t;
        }
        for (size_t k = 0; k <= nc; k++) {
            uint32_t p = k < nc ? w->cand[k].p : last;
            if (p != prev)
                w->re[w->nre++] = (struct redge){
                    prev < p ? prev : p, prev < p ? p : prev, s->item, oa, ob};
            prev = p;
        }
    }
    return CMR_OK;
}

/* Sorts the pieces by u, v and item: by u (every u is a hot pixel), then
 * each u's few pieces by v and item. */
#define REDGE_U(x) ((x).u)
DEFINE_BUCKET_SORT(bucket_redges, struct redge, REDGE_U, sort_redges)

static bool sort_pieces(struct work *w)
{
    if (!bucket_redges(&w->re, w->nre, w->npt))
        return false;
    w->capre = w->nre ? w->nre : 1;
    return true;
}

/* Merges identical pieces into edges that toggle their odd items. */
static enum cmr_status merge_edges(struct cmr_ctx *ctx, struct work *w)
{
    if (w->nre > 1 && !sort_pieces(w))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    /* (an edge and a toggle at most per piece) */
    if (!cmr__reserve((void **)&w->e, &w->cape, w->nre + 1, sizeof *w->e) ||
        !cmr__reserve((void **)&w->tog, &w->captog, w->nre + 1, sizeof *w->tog))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t i = 0; i < w->nre;) {
        size_t j = i;
        uint32_t tfirst = (uint32_t)w->ntog;
        /* of the ring edges the pieces lie along, those of the item of
         * lowest rank (the ledger ranks hazards by the day they were
         * recorded, then releases, then boundaries: an edge a hazard
         * shares with one recorded later, or a release drawn along it,
         * keeps to its own geodesic, so its area does not move with
         * --at), then of the first item; of those the longest, then the
         * first by its ends: an order the pieces' own does not change */
        uint32_t sa = w->re[i].sa, sb = w->re[i].sb, sitem = w->re[i].item;
        double slen = -1;
        for (size_t k = i + 1;
             k < w->nre && w->re[k].u == w->re[i].u && w->re[k].v == w->re[i].v;
             k++) {
            if (slen < 0) { /* (most edges have one piece: no lengths) */
                struct pt a = w->pt[sa], b = w->pt[sb];
                double dx = (double)(b.x - a.x), dy = (double)(b.y - a.y);
                slen = dx * dx + dy * dy;
            }
            const struct redge *r = &w->re[k];
            uint32_t rk = w->irank[r->item], rs = w->irank[sitem];
            if (rk > rs || (rk == rs && r->item > sitem))
                continue;
            struct pt a = w->pt[r->sa], b = w->pt[r->sb];
            double dx = (double)(b.x - a.x), dy = (double)(b.y - a.y);
            double len = dx * dx + dy * dy;
            if (rk < rs || r->item < sitem || len > slen ||
                (len == slen && (r->sa < sa || (r->sa == sa && r->sb < sb)))) {
                slen = len;
                sa = r->sa;
                sb = r->sb;
                sitem = r->item;
            }
        }
        while (j < w->nre && w->re[j].u == w->re[i].u &&
               w->re[j].v == w->re[i].v) {
            size_t k = j;
            while (k < w->nre && w->re[k].u == w->re[i].u &&
                   w->re[k].v == w->re[i].v && w->re[k].item == w->re[j].item)
                k++;
            if ((k - j) & 1) {
                if (!cmr__reserve((void **)&w->tog, &w->captog, w->ntog + 1,
                                  sizeof *w->tog))
                    return cmr__error(ctx, CMR_ENOMEM, "out of memory");
                w->tog[w->ntog++] = w->re[j].item;
            }
            j = k;
        }
        if (w->ntog > tfirst) {
            if (!cmr__reserve((void **)&w->e, &w->cape, w->ne + 1,
                              sizeof *w->e))
                return cmr__error(ctx, CMR_ENOMEM, "out of memory");
            w->e[w->ne++] = (struct edge){
                w->re[i].u, w->re[i].v, tfirst, (uint32_t)w->ntog - tfirst,
                sa,         sb,         0};
        }
        i = j;
    }
    if (w->ne > UINT32_MAX / 2 - 1)
        return cmr__error(ctx, CMR_EGEOM, "too many edges to overlay");
    return CMR_OK;
}

static uint32_t next_he(const struct work *w, uint32_t h)
{
    uint32_t t = h ^ 1u, v = he_from_v(w, t), p = w->pos[t];
    /* the one before t around v, cyclically */
    return w->vlist[p ? w->vstart[v] + p - 1 : w->vstart[v + 1] - 1];
}

/* Sorts the half-edges around each vertex and traces the cycles. */
static enum cmr_status trace(struct cmr_ctx *ctx, struct work *w, size_t *ncyc)
{
    size_t nv = w->npt, nhe = 2 * w->ne;
    w->vstart = cmr__calloc(nv + 1, sizeof *w->vstart);
    w->vlist = cmr__malloc((nhe ? nhe : 1) * sizeof *w->vlist);
    w->pos = cmr__malloc((nhe ? nhe : 1) * sizeof *w->pos);
    w->cyc = cmr__malloc((nhe ? nhe : 1) * sizeof *w->cyc);
    w->chalf = cmr__malloc((nhe ? nhe : 1) * sizeof *w->chalf);
    w->cstart = cmr__malloc((nhe + 1) * sizeof *w->cstart);
    if (!w->vstart || !w->vlist || !w->pos || !w->cyc || !w->chalf ||
        !w->cstart)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (uint32_t h = 0; h < nhe; h++)
        w->vstart[he_from_v(w, h) + 1]++;
    for (size_t v = 0; v < nv; v++)
        w->vstart[v + 1] += w->vstart[v];
    uint32_t *cursor = cmr__calloc(nv ? nv : 1, sizeof *cursor);
    if (!cursor)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (uint32_t h = 0; h < nhe; h++) {
        uint32_t v = he_from_v(w, h);
        w->vlist[w->vstart[v] + cursor[v]++] = h;
    }
    cmr__free(cursor);
    struct angle_ctx actx = {w};
    for (size_t v = 0; v < nv; v++) {
        uint32_t *l = w->vlist + w->vstart[v];
        size_t deg = w->vstart[v + 1] - w->vstart[v];
        sort_ctx(l, deg, by_angle, &actx);
        for (size_t k = 0; k < deg; k++) {
            w->pos[l[k]] = (uint32_t)k;
            if (k + 1 < deg) {
                struct pt a = he_dir(w, l[k]), b = he_dir(w, l[k + 1]);
                if (half(a) == half(b) && !sgn(cross((struct pt){0, 0}, a, b)))
                    return cmr__error(ctx, CMR_EGEOM,
                                      "two edges overlap after snap rounding");
            }
        }
    }
    for (size_t h = 0; h < nhe; h++)
        w->cyc[h] = UINT32_MAX;
    size_t nc = 0, nh = 0;
    for (uint32_t h = 0; h < nhe; h++) {
        if (w->cyc[h] != UINT32_MAX)
            continue;
        w->cstart[nc] = (uint32_t)nh;
        uint32_t cur = h;
        do {
            if (w->cyc[cur] != UINT32_MAX || nh >= nhe)
                return cmr__error(ctx, CMR_EGEOM,
                                  "the line work does not form cycles");
            w->cyc[cur] = (uint32_t)nc;
            w->chalf[nh++] = cur;
            cur = next_he(w, cur);
        } while (cur != h);
        nc++;
    }
    w->cstart[nc] = (uint32_t)nh;
    *ncyc = nc;
    return CMR_OK;
}

/* Whether the edge from hot pixel a to b is past the fast path's limit
 * (as measure tells a cycle's edges). */
static bool beyond_fast(const struct work *w, uint32_t a, uint32_t b,
                        double deg)
{
    const struct cmr__crs_vert *ca = &w->vterm[a].c;
    double dx = fabs((double)(w->pt[b].x - w->pt[a].x)) * deg;
    double dy = fabs((double)(w->pt[b].y - w->pt[a].y)) * deg;
    return !(dx * ca->coslat <= ca->lim && dy <= ca->lim && dx <= 1);
}

/* Signed areas of the cycles: on the ellipsoid, and exactly in the plane of
 * the grid (to tell a part's outer cycle). */
static enum cmr_status measure(struct cmr_ctx *ctx, struct work *w, size_t ncyc)
{
    size_t nv = w->npt;
    w->carea = cmr__malloc((ncyc ? ncyc : 1) * sizeof *w->carea);
    w->cplanar = cmr__malloc((ncyc ? ncyc : 1) * sizeof *w->cplanar);
    /* Per vertex, once: longitude (radians, from the first pixel) and the
     * fast path's terms (see cmr__crs_ring_area_signed). */
    w->vterm = cmr__malloc((nv ? nv : 1) * sizeof *w->vterm);
    if (!w->carea || !w->cplanar || !w->vterm)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    const double deg = ldexp(1, PIX_SHIFT - 46);
    const double rad = deg * (3.14159265358979323846 / 180);
    int64_t x0 = nv ? w->pt[0].x : 0;
    for (size_t v = 0; v < nv; v++) {
        w->vterm[v].x =
            (double)(w->pt[v].x - x0) * deg * (3.14159265358979323846 / 180);
        cmr__crs_vertex((double)w->pt[v].y * deg, &w->vterm[v].c);
    }
    /* An edge that is a piece of a longer ring edge: the difference
     * between the geodesic and the straight line in longitude and latitude
     * (the sliver) of the whole ring edge, shared out along it, less the
     * piece's own sliver, which the terms below count. Pieces of one edge
     * then add up to it, wherever other edges cut it (a boundary, a
     * release); without it, a cut edge's sliver, which grows with the cube
     * of its length, moved a hazard's area with the records around it
     * (1.3e-4 of a 40 km square cut by a province boundary). */
    for (size_t i = 0; i < w->ne; i++) {
        struct edge *e = &w->e[i];
        if (e->u == e->sa && e->v == e->sb)
            continue; /* (u < v and sa <= sb: the whole edge) */
        struct pt a = w->pt[e->sa], b = w->pt[e->sb];
        struct pt p = w->pt[e->u], q = w->pt[e->v];
        double dx = (double)(b.x - a.x), dy = (double)(b.y - a.y);
        double len2 = dx * dx + dy * dy;
        if (!(len2 > 0))
            continue;
        double tu =
            ((double)(p.x - a.x) * dx + (double)(p.y - a.y) * dy) / len2;
        double tv =
            ((double)(q.x - a.x) * dx + (double)(q.y - a.y) * dy) / len2;
        tu = tu < 0 ? 0 : tu > 1 ? 1 : tu;
        tv = tv < 0 ? 0 : tv > 1 ? 1 : tv;
        /* the share of the sliver from a to t: its offset from the chord
         * goes as t (1 - t) */
        double share = tv * tv * (3 - 2 * tv) - tu * tu * (3 - 2 * tu);
        /* (past the fast path's limit its lens loses its accuracy: there
         * the sliver is PROJ's, as are the cycles' terms) */
        bool long_whole = beyond_fast(w, e->sa, e->sb, deg);
        double whole =
            long_whole
                ? cmr__crs_sliver_exact((double)a.x * deg, (double)a.y * deg,
                                        (double)b.x * deg, (double)b.y * deg)
                : cmr__crs_sliver(&w->vterm[e->sa].c, &w->vterm[e->sb].c,
                                  (double)(b.y - a.y) * rad,
                                  w->vterm[e->sb].x - w->vterm[e->sa].x);
        /* the piece's own, as the cube of its share of the chord (to within
         * a fraction dlat tan(lat) of itself), but measured where the
         * edge is over 0.01 degree (about 1 km) */
        double dt = tv - tu;
        double own =
            beyond_fast(w, e->u, e->v, deg)
                ? cmr__crs_sliver_exact((double)p.x * deg, (double)p.y * deg,
                                        (double)q.x * deg, (double)q.y * deg)
            : fabs(dx) + fabs(dy) > 0.01 / deg
                ? cmr__crs_sliver(&w->vterm[e->u].c, &w->vterm[e->v].c,
                                  (double)(q.y - p.y) * rad,
                                  w->vterm[e->v].x - w->vterm[e->u].x)
                : whole * dt * dt * dt;
        if (isnan(whole) || isnan(own))
            return cmr__crs_failure(ctx);
        e->corr = whole * share - own;
    }
    for (size_t c = 0; c < ncyc; c++) {
        size_t first = w->cstart[c], n = w->cstart[c + 1] - first;
        i128 planar = 0;
        double sum = 0, corr = 0;
        bool fast = true;
        /* longitudes from the cycle's first vertex: the northings are large,
         * the products must not be */
        double x0c = n ? w->vterm[he_from_v(w, w->chalf[first])].x : 0;
        for (size_t k = 0; k < n; k++) {
            uint32_t u = he_from_v(w, w->chalf[first + k]);
            uint32_t v = he_from_v(w, w->chalf[first + (k + 1) % n]);
            struct pt p = w->pt[u], q = w->pt[v];
            const struct cmr__crs_vert *cu = &w->vterm[u].c,
                                       *cv = &w->vterm[v].c;
            planar += (i128)p.x * q.y - (i128)q.x * p.y;
            uint32_t h = w->chalf[first + k];
            corr += h & 1 ? -w->e[h >> 1].corr : w->e[h >> 1].corr;
            double xu = w->vterm[u].x - x0c, xv = w->vterm[v].x - x0c;
            sum += xu * cv->q - xv * cu->q - 2 * cmr__crs_lens(cu, cv, xv - xu);
            fast &= !beyond_fast(w, u, v, deg);
        }
        w->cplanar[c] = planar;
        if (fast && n >= 3) {
            w->carea[c] = (sum + corr) / 2;
            continue;
        }
        if (!cmr__reserve((void **)&w->xy, &w->capxy, 2 * (n + 1),
                          sizeof *w->xy))
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        for (size_t k = 0; k < n; k++) {
            struct pt p = he_from(w, w->chalf[first + k]);
            w->xy[2 * k] = (double)p.x * deg;
            w->xy[2 * k + 1] = (double)p.y * deg;
        }
        w->xy[2 * n] = w->xy[0];
        w->xy[2 * n + 1] = w->xy[1];
        w->carea[c] = cmr__crs_ring_area_geodesic_signed(w->xy, n + 1);
        if (isnan(w->carea[c]))
            return cmr__crs_failure(ctx);
        w->carea[c] += corr / 2;
    }
    return CMR_OK;
}

static uint32_t uf_find(uint32_t *p, uint32_t i)
{
    while (p[i] != i) {
        p[i] = p[p[i]];
        i = p[i];
    }
    return i;
}

static bool lab_reserve(struct work *w, size_t more)
{
    return cmr__reserve((void **)&w->lab, &w->caplab, w->nlab + more,
                        sizeof *w->lab);
}

/* The label west of vertex v: items whose edges a ray from just west of v
 * crosses an odd number of times. Appended to lab[]. */
static enum cmr_status ray_label(struct cmr_ctx *ctx, struct work *w,
                                 uint32_t vi, uint32_t *first, uint32_t *n)
{
    struct pt v = w->pt[vi];
    size_t nt = 0;
    /* the edges in the cells of v's row, from the west up to v's cell
     * (with few parts, every edge that starts west of v: the edges are in
     * the order of their first ends, u < v, and the points in x order, so
     * none after the first that starts at v or east of it reaches west of
     * v) */
    const struct grid *g = &w->egrid;
    bool grid = g->start != NULL;
    int64_t row = grid ? cell_y(g, v.y) : 0, cx1 = grid ? cell_x(g, v.x) : 0;
    size_t k0 = grid ? g->start[row * g->nx] : 0,
           k1 = grid ? g->start[row * g->nx + cx1 + 1] : w->ne;
    w->ray_stamp++;
    for (size_t k = k0; k < k1; k++) {
        size_t i = grid ? g->item[k] : k;
        if (!grid && w->e[i].u >= vi)
            break;
        if (grid && w->estamp[i] == w->ray_stamp)
            continue;
        if (grid)
            w->estamp[i] = w->ray_stamp;
        struct pt a = w->pt[w->e[i].u], b = w->pt[w->e[i].v];
        if ((a.y > v.y) == (b.y > v.y))
            continue;
        if (a.y > b.y) {
            struct pt t = a;
            a = b;
            b = t;
        }
        if (cross(a, b, v) >= 0)
            continue; /* the edge passes east of v, or through it */
        if (!cmr__reserve((void **)&w->tmp, &w->captmp, nt + w->e[i].tn,
                          sizeof *w->tmp))
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        memcpy(w->tmp + nt, w->tog + w->e[i].tfirst,
               w->e[i].tn * sizeof *w->tmp);
        nt += w->e[i].tn;
    }
    if (nt > 1)
        sort_u32(w->tmp, nt);
    if (!lab_reserve(w, nt))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    *first = (uint32_t)w->nlab;
    for (size_t i = 0; i < nt;) {
        size_t j = i;
        while (j < nt && w->tmp[j] == w->tmp[i])
            j++;
        if ((j - i) & 1)
            w->lab[w->nlab++] = w->tmp[i];
        i = j;
    }
    *n = (uint32_t)(w->nlab - *first);
    return CMR_OK;
}

/* lab[a] xor tog[t], appended to lab[]. */
static bool xor_label(struct work *w, uint32_t afirst, uint32_t an,
                      uint32_t tfirst, uint32_t tn, uint32_t *first,
                      uint32_t *n)
{
    if (!lab_reserve(w, (size_t)an + tn))
        return false;
    const uint32_t *a = w->lab + afirst, *t = w->tog + tfirst;
    size_t i = 0, j = 0;
    *first = (uint32_t)w->nlab;
    while (i < an || j < tn) {
        if (j == tn || (i < an && a[i] < t[j]))
            w->lab[w->nlab++] = a[i++];
        else if (i == an || t[j] < a[i])
            w->lab[w->nlab++] = t[j++];
        else {
            i++;
            j++;
        }
    }
    *n = (uint32_t)(w->nlab - *first);
    return true;
}

static bool same_label(const struct work *w, uint32_t af, uint32_t an,
                       uint32_t bf, uint32_t bn)
{
    return an == bn && !memcmp(w->lab + af, w->lab + bf, an * sizeof *w->lab);
}

/* An item's key in the hashes of sets of items (splitmix64): a set's hash
 * is the xor of its items' keys, so toggling items xors their keys in. */
static uint64_t item_key(uint32_t item)
{
    uint64_t z = (uint64_t)item + 0x9E3779B97F4A7C15u;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static uint64_t set_hash(const uint32_t *items, size_t n)
{
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        h ^= item_key(items[i]);
    return h;
}

static enum cmr_status label(struct cmr_ctx *ctx, struct work *w, size_t ncyc)
{
    size_t nv = w->npt;
    w->vpiece = cmr__malloc((nv ? nv : 1) * sizeof *w->vpiece);
    w->pmin = cmr__malloc((nv ? nv : 1) * sizeof *w->pmin);
    w->lfirst = cmr__malloc((ncyc ? ncyc : 1) * sizeof *w->lfirst);
    w->ln = cmr__malloc((ncyc ? ncyc : 1) * sizeof *w->ln);
    w->queue = cmr__malloc((ncyc ? ncyc : 1) * sizeof *w->queue);
    w->lhash = cmr__malloc((ncyc ? ncyc : 1) * sizeof *w->lhash);
    w->ehash = cmr__malloc((w->ne ? w->ne : 1) * sizeof *w->ehash);
    if (!w->vpiece || !w->pmin || !w->lfirst || !w->ln || !w->queue ||
        !w->lhash || !w->ehash)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t i = 0; i < w->ne; i++)
        w->ehash[i] = set_hash(w->tog + w->e[i].tfirst, w->e[i].tn);
    for (uint32_t v = 0; v < nv; v++) {
        w->vpiece[v] = v;
        w->pmin[v] = UINT32_MAX;
    }
    for (size_t i = 0; i < w->ne; i++) {
        uint32_t a = uf_find(w->vpiece, w->e[i].u),
                 b = uf_find(w->vpiece, w->e[i].v);
        if (a != b)
            w->vpiece[a > b ? a : b] = a < b ? a : b;
    }
    /* The lowest western vertex of each part (points are sorted by x, y,
     * so the first vertex met is the one). */
    for (uint32_t v = 0; v < nv; v++) {
        if (w->vstart[v + 1] == w->vstart[v])
            continue;
        uint32_t r = uf_find(w->vpiece, v);
        if (w->pmin[r] == UINT32_MAX)
            w->pmin[r] = v;
    }
    /* With many parts, a grid of the edges for the rays (each ray would
     * otherwise look at every edge). */
    size_t nparts = 0;
    for (uint32_t r = 0; r < nv; r++)
        nparts += w->pmin[r] != UINT32_MAX;
    if (nparts > 16 && (double)nparts * (double)w->ne > 1e6) {
        struct span *sp = cmr__malloc((w->ne ? w->ne : 1) * sizeof *sp);
        w->estamp = cmr__calloc(w->ne ? w->ne : 1, sizeof *w->estamp);
        if (!sp || !w->estamp) {
            cmr__free(sp);
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        }
        struct box ext = {INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN};
        for (size_t i = 0; i < w->ne; i++) {
            sp[i] = (struct span){w->pt[w->e[i].u], w->pt[w->e[i].v]};
            box_add(&ext,
                    (struct box){sp[i].a.x, sp[i].a.y, sp[i].a.x, sp[i].a.y});
            box_add(&ext,
                    (struct box){sp[i].b.x, sp[i].b.y, sp[i].b.x, sp[i].b.y});
        }
        bool too_big = false;
        bool built = w->ne == 0 || grid_build(&w->egrid, sp, w->ne, 0, ext,
                                              &too_big, NULL, NULL);
        cmr__free(sp);
        if (!built)
            return grid_error(ctx, too_big);
    }
    for (size_t c = 0; c < ncyc; c++)
        w->ln[c] = UINT32_MAX;
    for (uint32_t r = 0; r < nv; r++) {
        uint32_t v = w->pmin[r];
        if (v == UINT32_MAX)
            continue;
        /* The outer face lies west of v: left of the last half-edge that
         * points north-east or east (or of the last one of all). */
        uint32_t *l = w->vlist + w->vstart[v];
        size_t deg = w->vstart[v + 1] - w->vstart[v], k = deg - 1;
        for (size_t i = 0; i < deg; i++)
            if (!half(he_dir(w, l[i])))
                k = i;
        uint32_t outer = w->cyc[l[k]];
        if (w->cplanar[outer] >= 0)
            return cmr__error(
                ctx, CMR_EGEOM,
                "the outer cycle of a part runs counter-clockwise");
        enum cmr_status st =
            ray_label(ctx, w, v, &w->lfirst[outer], &w->ln[outer]);
        if (st)
            return st;
        w->lhash[outer] = set_hash(w->lab + w->lfirst[outer], w->ln[outer]);
        /* Each cycle's label is made once, from the first neighbour that
         * reaches it; every other crossing is checked against it by the
         * hashes (a wrong label would have to collide in 64 bits). */
        size_t qh = 0, qt = 0;
        w->queue[qt++] = outer;
        while (qh < qt) {
            uint32_t c = w->queue[qh++];
            for (uint32_t k2 = w->cstart[c]; k2 < w->cstart[c + 1]; k2++) {
                uint32_t h = w->chalf[k2], o = w->cyc[h ^ 1u];
                uint64_t ho = w->lhash[c] ^ w->ehash[h >> 1];
                if (w->ln[o] != UINT32_MAX) {
                    if (w->lhash[o] != ho)
                        return cmr__error(
                            ctx, CMR_EGEOM,
                            "the faces cannot be labelled consistently");
                    continue;
                }
                const struct edge *e = &w->e[h >> 1];
                if (!xor_label(w, w->lfirst[c], w->ln[c], e->tfirst, e->tn,
                               &w->lfirst[o], &w->ln[o]))
                    return cmr__error(ctx, CMR_ENOMEM, "out of memory");
                w->lhash[o] = ho;
                w->queue[qt++] = o;
            }
        }
    }
    for (size_t c = 0; c < ncyc; c++)
        if (w->ln[c] == UINT32_MAX)
            return cmr__error(ctx, CMR_EGEOM, "a face was left unlabelled");
    return CMR_OK;
}

/* The cells: the cycles of one label make one cell, its area their sum
 * in the cycles' order, and the cells come in the order of their first
 * cycles. Labels are grouped by their hashes (lhash, made by label), each
 * match checked item by item, so a collision costs a comparison, never a
 * wrong cell. */
static enum cmr_status collect(struct cmr_ctx *ctx, struct work *w, size_t ncyc,
                               struct cmr__cells *out)
{
    size_t cap = 16;
    while (cap < 2 * ncyc)
        cap <<= 1;
    uint32_t *slot = cmr__malloc(cap * sizeof *slot);
    out->cell = cmr__malloc((ncyc ? ncyc : 1) * sizeof *out->cell);
    if (!slot || !out->cell) {
        cmr__free(slot);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    memset(slot, 0xff, cap * sizeof *slot);
    size_t n = 0, nitems = 0;
    for (uint32_t c = 0; c < ncyc; c++) {
        if (!w->ln[c])
            continue; /* outside every ring */
        size_t i = (size_t)w->lhash[c] & (cap - 1);
        for (; slot[i] != UINT32_MAX; i = (i + 1) & (cap - 1)) {
            uint32_t d = w->queue[slot[i]];
            if (w->lhash[d] == w->lhash[c] &&
                same_label(w, w->lfirst[c], w->ln[c], w->lfirst[d], w->ln[d]))
                break;
        }
        if (slot[i] == UINT32_MAX) {
            slot[i] = (uint32_t)n;
            w->queue[n] = c; /* the cell's first cycle */
            out->cell[n++] = (struct cmr__cell){nitems, w->ln[c], 0};
            nitems += w->ln[c];
        }
        out->cell[slot[i]].m2 += w->carea[c];
    }
    cmr__free(slot);
    out->n = n;
    /* (sized for every cycle: give back what the cells do not use) */
    struct cmr__cell *fit = cmr__realloc(out->cell, (n ? n : 1) * sizeof *fit);
    if (fit)
        out->cell = fit;
    out->items = cmr__malloc((nitems ? nitems : 1) * sizeof *out->items);
    if (!out->items)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t k = 0; k < n; k++)
        memcpy(out->items + out->cell[k].first, w->lab + w->lfirst[w->queue[k]],
               out->cell[k].n * sizeof *out->items);
    return CMR_OK;
}

void cmr__cells_free(struct cmr__cells *c)
{
    if (!c)
        return;
    cmr__free(c->cell);
    cmr__free(c->items);
    memset(c, 0, sizeof *c);
}

enum cmr_status cmr__arrange(struct cmr_ctx *ctx, const struct cmr__ring *rings,
                             size_t nrings, struct cmr__cells *out)
{
    memset(out, 0, sizeof *out);
    struct work w = {0};
    size_t ncyc = 0;
    enum cmr_status st = make_segments(ctx, &w, rings, nrings);
    if (!st)
        st = split_and_cross(ctx, &w);
    if (!st && w.npt > UINT32_MAX / 4)
        st = cmr__error(ctx, CMR_EGEOM, "too many vertices to overlay");
    if (!st && w.npt && !sort_points(w.pt, w.npt))
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    if (!st && w.npt) {
        size_t k = 0;
        for (size_t i = 0; i < w.npt; i++)
            if (!k || !pt_eq(w.pt[i], w.pt[k - 1]))
                w.pt[k++] = w.pt[i];
        w.npt = k;
        struct span *pb = cmr__malloc(w.npt * sizeof *pb);
        struct box e = {INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN};
        for (size_t i = 0; pb && i < w.npt; i++) {
            struct pt c = {w.pt[i].x * PIX, w.pt[i].y * PIX};
            pb[i] = (struct span){c, c};
            box_add(&e, (struct box){c.x, c.y, c.x, c.y});
        }
        bool too_big = false;
        if (!pb)
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        else if (!grid_build(&w.pgrid, pb, w.npt, 0, e, &too_big, NULL, NULL))
            st = grid_error(ctx, too_big);
        else if (!index_pts(&w))
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        cmr__free(pb);
    }
    if (!st)
        st = route(ctx, &w);
    if (!st)
        st = merge_edges(ctx, &w);
    if (!st)
        st = trace(ctx, &w, &ncyc);
    if (!st)
        st = measure(ctx, &w, ncyc);
    if (!st)
        st = label(ctx, &w, ncyc);
    if (!st)
        st = collect(ctx, &w, ncyc, out);
    work_free(&w);
    if (st)
        cmr__cells_free(out);
    return st;
}
