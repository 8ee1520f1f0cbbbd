/* SPDX-License-Identifier: MIT */
/* cmr synth: a synthetic data set calibrated to published figures.
 *
 * Per State, hazards are irregular star-shaped polygons placed on a
 * jittered lattice inside the affected provinces (one per cell, so base
 * hazards never overlap), sized so that their union is the area the
 * calibration table implies: the remaining area at the first anchor plus
 * everything released up to it, less later additions. Releases are carved
 * out of the hazards in date order, as strips cut at a longitude found by
 * regula falsi so each strip has the target area; releases therefore never
 * overlap each other and lie inside hazards recorded before them. Overlaps
 * "as real data has them" are extra polygons inside their parent hazard
 * (same class, recorded later), so they change no total; a few of them are
 * bow-ties, to exercise repair. Everything is deterministic for a seed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geom.h"
#include "source.h"
#include "synth.h"

#define PI 3.14159265358979323846

/* ---- randomness (splitmix64: small, fast, the same everywhere) ---- */

struct rng {
    uint64_t s;
};

static uint64_t rnext(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double runif(struct rng *r)
{
    return (double)(rnext(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int64_t rint_(struct rng *r, int64_t lo, int64_t hi)
{
    return hi <= lo ? lo : lo + (int64_t)(rnext(r) % (uint64_t)(hi - lo + 1));
}

/* ---- records ---- */

struct hz {
    char id[48];
    const char *cal;
    int64_t recorded, closed; /* closed 0: open */
    bool cha, fully;
    struct cmr_geom *g;
    double area, cx, cy, r; /* centre (deg), mean radius (m) */
    double released_by_anchor;
    int parent; /* -1 for base hazards */
    bool bowtie;
};

struct rl {
    char id[48];
    const char *cal;
    size_t hazard;
    int method;
    int64_t completed;
    struct cmr_geom *g;
    double area;
    int64_t sub;
    bool has_sub;
};

struct region {
    struct cmr_geom *g;
    struct cmr__prep *p;
    struct cmr__bbox box;
    double weight;
    size_t nx, ny;
    unsigned char *used;
};

struct gen {
    struct cmr_ctx *ctx;
    struct rng rng;
    const struct cmr__calib *cal;
    bool dense;
    struct hz *h;
    size_t nh, caph;
    struct rl *r;
    size_t nr, capr;
    struct region *reg;
    size_t nreg;
    double dlat, dlon_at_eq;
};

static void gen_clear(struct gen *g)
{
    for (size_t i = 0; i < g->nh; i++)
        cmr__geom_free(g->ctx, g->h[i].g);
    for (size_t i = 0; i < g->nr; i++)
        cmr__geom_free(g->ctx, g->r[i].g);
    for (size_t i = 0; i < g->nreg; i++) {
        cmr__prep_free(g->ctx, g->reg[i].p);
        cmr__geom_free(g->ctx, g->reg[i].g);
        cmr__free(g->reg[i].used);
    }
    cmr__free(g->h);
    cmr__free(g->r);
    cmr__free(g->reg);
    g->h = NULL;
    g->r = NULL;
    g->reg = NULL;
    g->nh = g->caph = g->nr = g->capr = g->nreg = 0;
}

static int64_t day_of(int y, int m, int d)
{
    struct cmr__date dt = {y, m, d};
    return cmr__date_days(dt);
}

/* ---- shapes ---- */

/* A star-shaped polygon of k vertices around (cx, cy) with mean radius r
 * metres; radii in [0.75, 1.25] r. With shrink < 1 the same shape is drawn
 * smaller, so it lies inside the full one. */
static enum cmr_status star(struct cmr_ctx *ctx, double cx, double cy, double r,
                            const double *ang, const double *rad, int k,
                            double shrink, struct cmr_geom **out)
{
    double xy[2 * 20];
    double mlon = 111320.0 * cos(cy * PI / 180), mlat = 110574.0;
    for (int i = 0; i < k; i++) {
        xy[2 * i] = cx + shrink * r * rad[i] * cos(ang[i]) / mlon;
        xy[2 * i + 1] = cy + shrink * r * rad[i] * sin(ang[i]) / mlat;
    }
    xy[2 * k] = xy[0];
    xy[2 * k + 1] = xy[1];
    return cmr__geom_polygon(ctx, xy, (size_t)k + 1, out);
}

/* Makes a polygon of the given area (m2) around (cx, cy); *r gets the
 * mean radius used. */
static enum cmr_status shape(struct gen *g, double cx, double cy, double area,
                             struct cmr_geom **out, double *r, double *ang,
                             double *rad, int *k)
{
    *k = 8 + (int)rint_(&g->rng, 0, 6);
    for (int i = 0; i < *k; i++) {
        ang[i] = 2 * PI * (i + 0.35 * (runif(&g->rng) - 0.5)) / *k;
        rad[i] = 0.75 + 0.5 * runif(&g->rng);
    }
    *r = sqrt(area / PI);
    *out = NULL;
    for (int it = 0; it < 3; it++) {
        struct cmr_geom *p = NULL;
        double a = 0;
        enum cmr_status st = star(g->ctx, cx, cy, *r, ang, rad, *k, 1, &p);
        if (!st)
            st = cmr__geom_area_geodesic(g->ctx, p, &a);
        if (st) {
            cmr__geom_free(g->ctx, p);
            return st;
        }
        cmr__geom_free(g->ctx, *out);
        *out = p;
        if (fabs(a - area) <= 1e-9 * area)
            break;
        *r *= sqrt(area / a);
    }
    /* the last polygon drawn used the radius before the last correction */
    cmr__geom_free(g->ctx, *out);
    return star(g->ctx, cx, cy, *r, ang, rad, *k, 1, out);
}

/* ---- placement ---- */

static enum cmr_status load_regions(struct gen *g, const char *boundaries,
                                    double cell_m)
{
    const struct cmr__calib *cal = g->cal;
    char list[512];
    snprintf(list, sizeof list, "%s", cal->provinces);
    enum cmr_status st = CMR_OK;
    char *save = NULL;
    for (char *t = strtok_r(list, ",", &save); t && !st;
         t = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(t, ':');
        double w = colon ? atof(colon + 1) : 1;
        if (colon)
            *colon = '\0';
        struct cmr__src *src = NULL;
        if ((st = cmr__src_open(g->ctx, boundaries, "admin1", &src)))
            break;
        if ((st = cmr__src_prepare(g->ctx, src, NULL, -1))) {
            cmr__src_close(src);
            break;
        }
        int code_col = -1;
        for (int i = 0; i < cmr__src_field_count(src); i++)
            if (strcmp(cmr__src_field_name(src, i), "code") == 0)
                code_col = i;
        bool found = false, more = true;
        while (!st && !found && code_col >= 0) {
            if ((st = cmr__src_next(g->ctx, src, &more)) || !more)
                break;
            const char *code = cmr__src_field(src, code_col);
            if (!code || strcmp(code, t) != 0)
                continue;
            unsigned char *wkb = NULL;
            size_t len = 0;
            enum cmr__geom_problem prob;
            if ((st = cmr__src_geometry(g->ctx, src, &wkb, &len, &prob)))
                break;
            if (!wkb) {
                st = cmr__error(g->ctx, CMR_EFORMAT, "province %s: %s", t,
                                cmr__geom_problem_str(prob));
                break;
            }
            if (!cmr__reserve((void **)&g->reg, &(size_t){g->nreg}, g->nreg + 1,
                              sizeof *g->reg)) {
                cmr__free(wkb);
                st = cmr__error(g->ctx, CMR_ENOMEM, "out of memory");
                break;
            }
            struct region *rg = &g->reg[g->nreg];
            memset(rg, 0, sizeof *rg);
            g->nreg++;
            rg->weight = w;
            st = cmr__geom_from_wkb(g->ctx, wkb, len, &rg->g);
            cmr__free(wkb);
            if (!st)
                st = cmr__prep_new(g->ctx, rg->g, &rg->p);
            if (!st)
                st = cmr__geom_bounds(g->ctx, rg->g, &rg->box);
            if (!st && (cal->focus.maxx > cal->focus.minx)) {
                rg->box.minx = fmax(rg->box.minx, cal->focus.minx);
                rg->box.miny = fmax(rg->box.miny, cal->focus.miny);
                rg->box.maxx = fmin(rg->box.maxx, cal->focus.maxx);
                rg->box.maxy = fmin(rg->box.maxy, cal->focus.maxy);
            }
            found = true;
        }
        cmr__src_close(src);
        if (!st && !found)
            st = cmr__error(g->ctx, CMR_EFORMAT, "%s: province %s is not in %s",
                            cal->iso3, t, boundaries);
    }
    if (st)
        return st;
    g->dlat = cell_m / 110574.0;
    for (size_t i = 0; i < g->nreg; i++) {
        struct region *rg = &g->reg[i];
        double maxlat = fmax(fabs(rg->box.miny), fabs(rg->box.maxy));
        double dlon = cell_m / (111320.0 * cos(maxlat * PI / 180));
        rg->nx = (size_t)ceil((rg->box.maxx - rg->box.minx) / dlon);
        rg->ny = (size_t)ceil((rg->box.maxy - rg->box.miny) / g->dlat);
        if (rg->nx == 0 || rg->ny == 0 || rg->nx * rg->ny > 400000000)
            return cmr__error(g->ctx, CMR_EINVAL,
                              "%s: cannot lay a grid of %.0f m cells over "
                              "its provinces",
                              cal->iso3, cell_m);
        rg->used = cmr__calloc((rg->nx * rg->ny + 7) / 8, 1);
        if (!rg->used)
            return cmr__error(g->ctx, CMR_ENOMEM, "out of memory");
    }
    return CMR_OK;
}

/* Picks a free cell inside a province; its centre in *cx, *cy and its
 * half-sizes in degrees. */
static enum cmr_status place(struct gen *g, double *cx, double *cy, double *hx,
                             double *hy)
{
    double wsum = 0;
    for (size_t i = 0; i < g->nreg; i++)
        wsum += g->reg[i].weight;
    for (int attempt = 0; attempt < 4000; attempt++) {
        double pick = runif(&g->rng) * wsum;
        size_t ri = 0;
        while (ri + 1 < g->nreg && pick >= g->reg[ri].weight) {
            pick -= g->reg[ri].weight;
            ri++;
        }
        struct region *rg = &g->reg[ri];
        size_t cell = (size_t)(rnext(&g->rng) % (rg->nx * rg->ny));
        if (rg->used[cell / 8] & (1u << (cell % 8)))
            continue;
        size_t ix = cell % rg->nx, iy = cell / rg->nx;
        double dlon = (rg->box.maxx - rg->box.minx) / (double)rg->nx;
        double dlat = (rg->box.maxy - rg->box.miny) / (double)rg->ny;
        struct cmr__bbox b = {rg->box.minx + (double)ix * dlon,
                              rg->box.miny + (double)iy * dlat,
                              rg->box.minx + (double)(ix + 1) * dlon,
                              rg->box.miny + (double)(iy + 1) * dlat};
        struct cmr_geom *rect = NULL;
        bool in = false;
        enum cmr_status st = cmr__geom_rect(g->ctx, b, &rect);
        if (!st)
            st = cmr__prep_contains(g->ctx, rg->p, rect, &in);
        cmr__geom_free(g->ctx, rect);
        if (st)
            return st;
        rg->used[cell / 8] |= (unsigned char)(1u << (cell % 8));
        if (!in)
            continue;
        *cx = (b.minx + b.maxx) / 2;
        *cy = (b.miny + b.maxy) / 2;
        *hx = dlon / 2;
        *hy = dlat / 2;
        return CMR_OK;
    }
    return cmr__error(g->ctx, CMR_EINVAL,
                      "%s: the provinces have no room left for more hazards "
                      "at this scale",
                      g->cal->iso3);
}

/* ---- hazards ---- */

static struct hz *new_hazard(struct gen *g)
{
    if (!cmr__reserve((void **)&g->h, &g->caph, g->nh + 1, sizeof *g->h))
        return NULL;
    struct hz *h = &g->h[g->nh++];
    memset(h, 0, sizeof *h);
    h->parent = -1;
    return h;
}

static enum cmr_status make_group(struct gen *g, size_t count, double total,
                                  double rmax, int64_t rec_lo, int64_t rec_hi,
                                  const char *cal)
{
    double *w = cmr__calloc(count, sizeof *w), wsum = 0;
    if (!w)
        return cmr__error(g->ctx, CMR_ENOMEM, "out of memory");
    for (size_t i = 0; i < count; i++)
        wsum += (w[i] = 0.5 + runif(&g->rng));
    enum cmr_status st = CMR_OK;
    for (size_t i = 0; i < count && !st; i++) {
        double area = total * w[i] / wsum, cx = 0, cy = 0, hx = 0, hy = 0;
        if ((st = place(g, &cx, &cy, &hx, &hy)))
            break;
        /* Jitter the centre within what the cell leaves free. */
        double r = sqrt(area / PI) * 1.26;
        double mlon = 111320.0 * cos(cy * PI / 180);
        double fx = fmax(0, hx - r / mlon), fy = fmax(0, hy - r / 110574.0);
        cx += (2 * runif(&g->rng) - 1) * fx;
        cy += (2 * runif(&g->rng) - 1) * fy;
        (void)rmax;
        struct hz *h = new_hazard(g);
        if (!h) {
            st = cmr__error(g->ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        double ang[20], rad[20];
        int k;
        snprintf(h->id, sizeof h->id, "%s-H%06zu", g->cal->iso3, g->nh);
        h->cal = cal;
        h->recorded = rint_(&g->rng, rec_lo, rec_hi);
        h->cx = cx;
        h->cy = cy;
        if ((st = shape(g, cx, cy, area, &h->g, &h->r, ang, rad, &k)))
            break;
        if ((st = cmr__geom_area_geodesic(g->ctx, h->g, &h->area)))
            break;
    }
    cmr__free(w);
    return st;
}

/* ---- releases ---- */

struct piece {
    size_t hazard;
    struct cmr_geom *g;
    double area;
    struct cmr__bbox box;
};

static enum cmr_status clip_area(struct gen *g, const struct piece *p, double x,
                                 struct cmr_geom **out, double *a)
{
    struct cmr__bbox b = p->box;
    b.maxx = x;
    b.minx -= 1;
    b.miny -= 1;
    b.maxy += 1;
    enum cmr_status st = cmr__geom_clip(g->ctx, p->g, b, out);
    if (!st)
        st = cmr__geom_area_geodesic(g->ctx, *out, a);
    return st;
}

/* Cuts from piece p a strip of the given area (west of a meridian); the
 * strip goes to *out, p keeps the rest. */
static enum cmr_status cut(struct gen *g, struct piece *p, double want,
                           struct cmr_geom **out, double *got)
{
    double lo = p->box.minx, hi = p->box.maxx, flo = -want,
           fhi = p->area - want;
    struct cmr_geom *best = NULL;
    double besta = 0;
    enum cmr_status st = CMR_OK;
    for (int it = 0; it < 60; it++) {
        /* Illinois-style regula falsi, falling back on bisection. */
        double x =
            fhi - flo > 0 ? lo - flo * (hi - lo) / (fhi - flo) : (lo + hi) / 2;
        if (!(x > lo && x < hi))
            x = (lo + hi) / 2;
        struct cmr_geom *c = NULL;
        double a = 0;
        if ((st = clip_area(g, p, x, &c, &a)))
            break;
        cmr__geom_free(g->ctx, best);
        best = c;
        besta = a;
        double f = a - want;
        if (fabs(f) <= 1e-9 * want)
            break;
        if (f < 0) {
            lo = x;
            flo = f;
            fhi /= (it % 2 ? 2 : 1);
        } else {
            hi = x;
            fhi = f;
            flo /= (it % 2 ? 2 : 1);
        }
    }
    if (st) {
        cmr__geom_free(g->ctx, best);
        return st;
    }
    struct cmr__bbox bb = best ? p->box : p->box;
    (void)bb;
    struct cmr__bbox rest;
    if ((st = cmr__geom_bounds(g->ctx, best, &rest))) {
        cmr__geom_free(g->ctx, best);
        return st;
    }
    struct cmr__bbox east = p->box;
    east.minx = rest.maxx;
    east.miny -= 1;
    east.maxy += 1;
    east.maxx += 1;
    struct cmr_geom *remain = NULL;
    if ((st = cmr__geom_clip(g->ctx, p->g, east, &remain))) {
        cmr__geom_free(g->ctx, best);
        return st;
    }
    double ra = 0;
    if ((st = cmr__geom_area_geodesic(g->ctx, remain, &ra)) ||
        (st = cmr__geom_bounds(g->ctx, remain, &p->box))) {
        cmr__geom_free(g->ctx, best);
        cmr__geom_free(g->ctx, remain);
        return st;
    }
    cmr__geom_free(g->ctx, p->g);
    p->g = remain;
    p->area = ra;
    *out = best;
    *got = besta;
    return CMR_OK;
}

/* Cuts from piece p a patch of the given area inside it, at a random
 * place (the piece keeps a hole there): releases inside hazards, as clearance
 * inside a confirmed area is, and the hard case for overlay. *out is NULL
 * when no place was found; the caller then cuts a strip. */
static enum cmr_status patch(struct gen *g, struct piece *p, double want,
                             struct cmr_geom **out, double *got)
{
    *out = NULL;
    *got = 0;
    struct cmr__prep *pp = NULL;
    enum cmr_status st = cmr__prep_new(g->ctx, p->g, &pp);
    for (int attempt = 0; attempt < 12 && !st && !*out; attempt++) {
        double cx = p->box.minx + runif(&g->rng) * (p->box.maxx - p->box.minx);
        double cy = p->box.miny + runif(&g->rng) * (p->box.maxy - p->box.miny);
        double ang[20], rad[20], r;
        int k;
        struct cmr_geom *shp = NULL;
        bool in = false;
        if ((st = shape(g, cx, cy, want, &shp, &r, ang, rad, &k)))
            break;
        if ((st = cmr__prep_contains(g->ctx, pp, shp, &in)) || !in) {
            cmr__geom_free(g->ctx, shp);
            continue;
        }
        struct cmr_geom *rest = NULL;
        double a = 0, ra = 0;
        if ((st = cmr__geom_area_geodesic(g->ctx, shp, &a)) ||
            (st = cmr__geom_difference(g->ctx, p->g, shp, &rest)) ||
            (st = cmr__geom_area_geodesic(g->ctx, rest, &ra))) {
            cmr__geom_free(g->ctx, shp);
            cmr__geom_free(g->ctx, rest);
            break;
        }
        cmr__geom_free(g->ctx, p->g);
        p->g = rest;
        p->area = ra;
        *out = shp;
        *got = a;
    }
    cmr__prep_free(g->ctx, pp);
    return st;
}

struct target {
    int year, method;
    double m2;
    const char *source;
};

static int target_cmp(const void *a, const void *b)
{
    const struct target *x = a, *y = b;
    if (x->year != y->year)
        return x->year - y->year;
    return x->method - y->method;
}

static int piece_cmp_rec(const struct piece *x, const struct piece *y,
                         const struct hz *h)
{
    int64_t rx = h[x->hazard].recorded, ry = h[y->hazard].recorded;
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return x->hazard < y->hazard ? -1 : x->hazard > y->hazard;
}

/* A stable merge sort by recorded date (qsort has no context argument). */
static void sort_pieces(struct piece *p, size_t n, struct piece *tmp,
                        const struct hz *h)
{
    if (n < 2)
        return;
    size_t m = n / 2;
    sort_pieces(p, m, tmp, h);
    sort_pieces(p + m, n - m, tmp, h);
    size_t i = 0, j = m, k = 0;
    while (i < m && j < n)
        tmp[k++] = piece_cmp_rec(&p[j], &p[i], h) < 0 ? p[j++] : p[i++];
    while (i < m)
        tmp[k++] = p[i++];
    while (j < n)
        tmp[k++] = p[j++];
    memcpy(p, tmp, n * sizeof *p);
}

static enum cmr_status carve(struct gen *g, size_t nrel_records)
{
    const struct cmr__calib *cal = g->cal;
    struct target t[24];
    size_t nt = 0;
    double total = 0;
    for (size_t i = 0; i < cal->nrel; i++)
        if (cal->rel[i].km2 > 0) {
            t[nt++] =
                (struct target){cal->rel[i].year, cal->rel[i].method,
                                cal->rel[i].km2 * 1e6, cal->rel[i].source};
            total += cal->rel[i].km2 * 1e6;
        }
    qsort(t, nt, sizeof *t, target_cmp);
    size_t nbase = 0;
    for (size_t i = 0; i < g->nh; i++)
        nbase += g->h[i].parent < 0;
    struct piece *p = cmr__calloc(nbase ? nbase : 1, sizeof *p);
    struct piece *tmp = cmr__calloc(nbase ? nbase : 1, sizeof *tmp);
    enum cmr_status st =
        p && tmp ? CMR_OK : cmr__error(g->ctx, CMR_ENOMEM, "oom");
    size_t np = 0;
    for (size_t i = 0; i < g->nh && !st; i++) {
        if (g->h[i].parent >= 0)
            continue;
        p[np].hazard = i;
        p[np].area = g->h[i].area;
        st = cmr__geom_bounds(g->ctx, g->h[i].g, &p[np].box);
        if (!st) {
            /* The piece starts as a copy of the hazard, via a clip to its
             * own box (GEOS has no plain clone in our bridge). */
            struct cmr__bbox b = p[np].box;
            b.minx -= 1;
            b.miny -= 1;
            b.maxx += 1;
            b.maxy += 1;
            st = cmr__geom_clip(g->ctx, g->h[i].g, b, &p[np].g);
        }
        np++;
    }
    if (!st)
        sort_pieces(p, np, tmp, g->h);
    size_t cur = 0;
    for (size_t ti = 0; ti < nt && !st; ti++) {
        size_t chunks =
            (size_t)fmax(1, round((double)nrel_records * t[ti].m2 / total));
        double each = t[ti].m2 / (double)chunks;
        for (size_t c = 0; c < chunks && !st; c++) {
            int64_t y0 = day_of(t[ti].year, 1, 1),
                    y1 = day_of(t[ti].year, 12, 31);
            int64_t date = rint_(&g->rng, y0, y1);
            double need = each;
            while (need > 1e-6 * each && !st) {
                if (cur >= np || g->h[p[cur].hazard].recorded >= y1) {
                    st = cmr__error(g->ctx, CMR_EINVAL,
                                    "%s: calibration infeasible: not enough "
                                    "hazard area recorded before %d for the "
                                    "releases of that year",
                                    cal->iso3, t[ti].year);
                    break;
                }
                struct piece *pc = &p[cur];
                struct hz *h = &g->h[pc->hazard];
                int64_t d = date > h->recorded
                                ? date
                                : rint_(&g->rng, h->recorded + 1, y1);
                struct cmr_geom *part = NULL;
                double got = 0;
                if (pc->area <= need * (1 + 1e-9)) {
                    part = pc->g;
                    got = pc->area;
                    pc->g = NULL;
                    pc->area = 0;
                    cur++;
                    h->fully = true;
                } else if (g->dense && need < 0.5 * pc->area &&
                           (st = patch(g, pc, need, &part, &got)) == CMR_OK &&
                           part) {
                    /* a cleared patch inside the hazard: a hole in it */
                } else if (st || (st = cut(g, pc, need, &part, &got))) {
                    break;
                }
                need -= got;
                if (!cmr__reserve((void **)&g->r, &g->capr, g->nr + 1,
                                  sizeof *g->r)) {
                    cmr__geom_free(g->ctx, part);
                    st = cmr__error(g->ctx, CMR_ENOMEM, "out of memory");
                    break;
                }
                struct rl *r = &g->r[g->nr++];
                memset(r, 0, sizeof *r);
                snprintf(r->id, sizeof r->id, "%s-R%06zu", cal->iso3, g->nr);
                r->cal = t[ti].source;
                r->hazard = pc->hazard >= g->nh ? 0 : pc->hazard;
                r->method = t[ti].method;
                r->completed = d;
                r->g = part;
                r->area = got;
                if (d > h->closed)
                    h->closed = d;
                int last = cal->anchor[cal->nanchor - 1].year;
                if (t[ti].year <= last)
                    h->released_by_anchor += got;
            }
        }
    }
    for (size_t i = 0; i < np; i++)
        cmr__geom_free(g->ctx, p[i].g);
    cmr__free(p);
    cmr__free(tmp);
    /* A hazard wholly released is closed on its last release's date. */
    for (size_t i = 0; i < g->nh; i++)
        if (!g->h[i].fully)
            g->h[i].closed = 0;
    return st;
}

/* ---- overlaps, classes, submunitions ---- */

static enum cmr_status extras(struct gen *g, int64_t last_day)
{
    size_t nbase = g->nh;
    enum cmr_status st = CMR_OK;
    /* each hazard's first release */
    int64_t *first = cmr__malloc((nbase ? nbase : 1) * sizeof *first);
    if (!first)
        return cmr__error(g->ctx, CMR_ENOMEM, "out of memory");
    for (size_t i = 0; i < nbase; i++)
        first[i] = INT64_MAX;
    for (size_t k = 0; k < g->nr; k++)
        if (g->r[k].hazard < nbase && g->r[k].completed < first[g->r[k].hazard])
            first[g->r[k].hazard] = g->r[k].completed;
    for (size_t i = 0; i < nbase && !st; i++) {
        int want = g->dense ? 19 : (i % 10 == 3);
        for (int e = 0; e < want && !st; e++) {
            struct hz *parent = &g->h[i];
            double frac = g->dense ? 0.012 + 0.022 * runif(&g->rng) : 0.25;
            double off = g->dense ? 0.45 * runif(&g->rng) : 0;
            double th = 2 * PI * runif(&g->rng);
            double mlon = 111320.0 * cos(parent->cy * PI / 180);
            double cx = parent->cx + off * parent->r * cos(th) / mlon;
            double cy = parent->cy + off * parent->r * sin(th) / 110574.0;
            double ang[20], rad[20], r;
            int k;
            struct cmr_geom *shp = NULL;
            if ((st = shape(g, cx, cy, parent->area * frac, &shp, &r, ang, rad,
                            &k)))
                break;
            bool bow = !g->dense && i % 40 == 3;
            if (bow) {
                /* Four points of the shape in crossing order: a bow-tie. */
                double xy[10];
                double ml = 111320.0 * cos(cy * PI / 180);
                int idx[4] = {0, k / 2, k / 4, 3 * k / 4};
                for (int q = 0; q < 4; q++) {
                    xy[2 * q] = cx + r * rad[idx[q]] * cos(ang[idx[q]]) / ml;
                    xy[2 * q + 1] =
                        cy + r * rad[idx[q]] * sin(ang[idx[q]]) / 110574.0;
                }
                xy[8] = xy[0];
                xy[9] = xy[1];
                cmr__geom_free(g->ctx, shp);
                shp = NULL;
                if ((st = cmr__geom_polygon(g->ctx, xy, 5, &shp)))
                    break;
            }
            struct cmr__prep *pp = NULL;
            bool in = false;
            struct cmr__bbox b;
            struct cmr_geom *rect = NULL;
            st = cmr__prep_new(g->ctx, parent->g, &pp);
            if (!st)
                st = cmr__geom_bounds(g->ctx, shp, &b);
            if (!st)
                st = cmr__geom_rect(g->ctx, b, &rect);
            if (!st)
                st = cmr__prep_contains(g->ctx, pp, rect, &in);
            cmr__geom_free(g->ctx, rect);
            cmr__prep_free(g->ctx, pp);
            if (st || !in) {
                cmr__geom_free(g->ctx, shp);
                continue;
            }
            struct hz *h = new_hazard(g);
            if (!h) {
                cmr__geom_free(g->ctx, shp);
                st = cmr__error(g->ctx, CMR_ENOMEM, "out of memory");
                break;
            }
            parent = &g->h[i]; /* new_hazard may have moved the array */
            char pid[48];
            memcpy(pid, parent->id, sizeof pid);
            snprintf(h->id, sizeof h->id, "%.30s-%c%02u", pid,
                     g->dense ? 'D' : 'B', (unsigned)e % 100u);
            h->parent = (int)i;
            h->g = shp;
            h->cx = cx;
            h->cy = cy;
            h->r = r;
            h->bowtie = bow;
            h->cal = "illustrative";
            h->cha = parent->cha;
            /* Recorded by the parent's first release: a second record of
             * the same contamination, not a new find over released land
             * (which the ledger would count as added again). The draw
             * is the same as ever; its range is scaled into that span. */
            int64_t lo = parent->recorded;
            int64_t hi = parent->closed ? parent->closed : last_day;
            if (hi < lo)
                hi = lo;
            int64_t d = rint_(&g->rng, lo, hi),
                    by = first[i] < hi ? first[i] : hi;
            if (by < lo)
                by = lo;
            h->recorded =
                hi > lo ? lo + (int64_t)((double)(d - lo) * (double)(by - lo) /
                                         (double)(hi - lo))
                        : lo;
            if (!bow && (st = cmr__geom_area_geodesic(g->ctx, shp, &h->area)))
                break;
        }
    }
    cmr__free(first);
    return st;
}

static void classes(struct gen *g)
{
    const struct cmr__calib *cal = g->cal;
    double remaining = 0;
    size_t n = g->nh;
    for (size_t i = 0; i < n; i++)
        if (g->h[i].parent < 0)
            remaining += g->h[i].area - g->h[i].released_by_anchor;
    double want = cal->cha_share * remaining, got = 0;
    /* Visit base hazards in a seeded order. */
    size_t *order = cmr__calloc(n ? n : 1, sizeof *order);
    if (!order)
        return;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(rnext(&g->rng) % i);
        size_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (size_t k = 0; k < n; k++) {
        struct hz *h = &g->h[order[k]];
        if (h->parent >= 0)
            continue;
        double rem = h->area - h->released_by_anchor;
        if (rem > 1e-6)
            h->cha = got + rem / 2 < want;
        else
            h->cha = runif(&g->rng) < cal->cha_share;
        if (h->cha)
            got += rem;
    }
    cmr__free(order);
    /* Overlapping extras take their parent's class: a CHA drawn inside an
     * SHA would turn suspected area into confirmed area. */
    for (size_t i = 0; i < n; i++)
        if (g->h[i].parent >= 0)
            g->h[i].cha = g->h[g->h[i].parent].cha;
}

static void submunitions(struct gen *g)
{
    const struct cmr__calib *cal = g->cal;
    for (size_t s = 0; s < cal->nsubs; s++) {
        int year = cal->subs[s].year;
        int64_t count = (int64_t)cal->subs[s].km2;
        double area = 0;
        for (size_t i = 0; i < g->nr; i++)
            if (g->r[i].method == CAL_CLEARED &&
                cmr__date_from_days(g->r[i].completed).year == year)
                area += g->r[i].area;
        if (area <= 0)
            continue;
        int64_t given = 0;
        size_t last = 0;
        for (size_t i = 0; i < g->nr; i++) {
            struct rl *r = &g->r[i];
            if (r->method != CAL_CLEARED ||
                cmr__date_from_days(r->completed).year != year)
                continue;
            r->sub = (int64_t)floor((double)count * r->area / area);
            r->has_sub = true;
            given += r->sub;
            last = i;
        }
        g->r[last].sub += count - given; /* the sum is the published count */
    }
}

/* ---- the State ---- */

static double sum_until(const struct cmr__cal_fig *f, size_t n, int year)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        if (f[i].year <= year)
            s += f[i].km2;
    return s;
}

static enum cmr_status gen_state(struct gen *g, const char *boundaries,
                                 double scale, int64_t eif)
{
    const struct cmr__calib *cal = g->cal;
    const struct cmr__cal_fig *a0 = &cal->anchor[0];
    /* Baseline area from the first anchor: R0 = B + added - released. */
    double base = a0->km2 - sum_until(cal->added, cal->nadded, a0->year) +
                  sum_until(cal->rel, cal->nrel, a0->year);
    for (size_t i = 1; i < cal->nanchor; i++) {
        const struct cmr__cal_fig *a = &cal->anchor[i];
        double r = base + sum_until(cal->added, cal->nadded, a->year) -
                   sum_until(cal->rel, cal->nrel, a->year);
        if (fabs(r - a->km2) > 0.01 * a->km2)
            return cmr__error(g->ctx, CMR_EINTERNAL,
                              "%s: calibration table inconsistent: anchor %d "
                              "is %.3f km2 but the releases imply %.3f",
                              cal->iso3, a->year, a->km2, r);
    }
    if (base <= 0)
        return cmr__error(g->ctx, CMR_EINTERNAL,
                          "%s: calibration leaves no baseline area", cal->iso3);
    double total = base + sum_until(cal->added, cal->nadded, 9999);
    size_t n = (size_t)fmax(1 + (double)cal->nadded, round(cal->nbase * scale));
    size_t nb = (size_t)fmax(1, round((double)n * base / total));
    /* Cells: twice the largest radius a hazard of this State can have. */
    double amax = base * 1.5 / (double)nb;
    for (size_t i = 0; i < cal->nadded; i++) {
        size_t k =
            (size_t)fmax(1, round((double)n * cal->added[i].km2 / total));
        amax = fmax(amax, cal->added[i].km2 * 1.5 / (double)k);
    }
    double cell = 2 * 1.3 * sqrt(amax * 1e6 / PI) * 1.02;
    enum cmr_status st = load_regions(g, boundaries, cell);
    if (st)
        return st;
    int first_year = a0->year;
    for (size_t i = 0; i < cal->nrel; i++)
        if (cal->rel[i].year < first_year)
            first_year = cal->rel[i].year;
    int64_t before = day_of(first_year, 1, 1);
    if (eif < before)
        before = eif;
    const char *bcal = a0->source ? a0->source : "illustrative";
    if ((st =
             make_group(g, nb, base * 1e6, 0, before - 730, before - 30, bcal)))
        return st;
    for (size_t i = 0; i < cal->nadded && !st; i++) {
        size_t k =
            (size_t)fmax(1, round((double)n * cal->added[i].km2 / total));
        int y = cal->added[i].year;
        st = make_group(
            g, k, cal->added[i].km2 * 1e6, 0, day_of(y, 1, 1), day_of(y, 6, 30),
            cal->added[i].source ? cal->added[i].source : "illustrative");
    }
    if (st)
        return st;
    /* About half as many releases as hazards, extras included. */
    size_t nrel = (g->nh * (g->dense ? 20 : 1) + 1) / 2;
    if ((st = carve(g, nrel)))
        return st;
    classes(g);
    int last_year = cal->anchor[cal->nanchor - 1].year;
    for (size_t i = 0; i < cal->nrel; i++)
        if (cal->rel[i].year > last_year)
            last_year = cal->rel[i].year;
    if ((st = extras(g, day_of(last_year, 12, 31))))
        return st;
    submunitions(g);
    return CMR_OK;
}

/* ---- output ---- */

static const struct cmr__fdef hazard_out[] = {
    {"id", CMR_FT_TEXT},       {"country", CMR_FT_TEXT},
    {"class", CMR_FT_TEXT},    {"contamination", CMR_FT_TEXT},
    {"recorded", CMR_FT_DATE}, {"closed", CMR_FT_DATE},
    {"marked", CMR_FT_INT},    {"reported_area_m2", CMR_FT_REAL},
    {"synthetic", CMR_FT_INT}, {"calibration", CMR_FT_TEXT}};
static const struct cmr__fdef release_out[] = {
    {"id", CMR_FT_TEXT},          {"country", CMR_FT_TEXT},
    {"method", CMR_FT_TEXT},      {"completed", CMR_FT_DATE},
    {"hazard_id", CMR_FT_TEXT},   {"reported_area_m2", CMR_FT_REAL},
    {"submunitions", CMR_FT_INT}, {"synthetic", CMR_FT_INT},
    {"calibration", CMR_FT_TEXT}};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static enum cmr_status write_state(struct gen *g, struct cmr__ds *ds,
                                   struct cmr_synth_counts *counts)
{
    static const char *hn[N(hazard_out)], *rn[N(release_out)];
    for (size_t i = 0; i < N(hazard_out); i++)
        hn[i] = hazard_out[i].name;
    for (size_t i = 0; i < N(release_out); i++)
        rn[i] = release_out[i].name;
    enum cmr_status st = CMR_OK;
    for (size_t i = 0; i < g->nh && !st; i++) {
        struct hz *h = &g->h[i];
        char rec[11], clo[11], rep[32];
        cmr__date_format(cmr__date_from_days(h->recorded), rec);
        if (h->closed)
            cmr__date_format(cmr__date_from_days(h->closed), clo);
        /* Reported areas as national databases carry them: close to the
         * geometry's, and far off for about one record in thirteen. */
        double f = i % 13 == 5 ? 1.3 + 0.3 * runif(&g->rng)
                               : 1 + 0.04 * (runif(&g->rng) - 0.5);
        double area = h->area > 0 ? h->area : g->h[h->parent].area * 0.2;
        snprintf(rep, sizeof rep, "%.0f", area * f);
        const char *v[] = {h->id,
                           g->cal->iso3,
                           h->cha ? "CHA" : "SHA",
                           "CMR",
                           rec,
                           h->closed ? clo : NULL,
                           i % 3 ? "1" : "0",
                           rep,
                           "1",
                           h->cal};
        unsigned char *wkb = NULL;
        size_t len = 0;
        if ((st = cmr__geom_to_wkb(g->ctx, h->g, &wkb, &len)))
            break;
        st = cmr__ds_insert(g->ctx, ds, "hazards", hn, v, N(hazard_out), wkb,
                            len, NULL);
        cmr__free(wkb);
        counts->hazards++;
    }
    for (size_t i = 0; i < g->nr && !st; i++) {
        struct rl *r = &g->r[i];
        char done[11], rep[32], sub[32];
        cmr__date_format(cmr__date_from_days(r->completed), done);
        snprintf(rep, sizeof rep, "%.0f",
                 r->area * (1 + 0.04 * (runif(&g->rng) - 0.5)));
        snprintf(sub, sizeof sub, "%lld", (long long)r->sub);
        static const char *const methods[] = {"cancelled", "reduced",
                                              "cleared"};
        const char *v[] = {r->id,
                           g->cal->iso3,
                           methods[r->method],
                           done,
                           g->h[r->hazard].id,
                           rep,
                           r->has_sub ? sub : NULL,
                           "1",
                           r->cal ? r->cal : "illustrative"};
        unsigned char *wkb = NULL;
        size_t len = 0;
        if ((st = cmr__geom_to_wkb(g->ctx, r->g, &wkb, &len)))
            break;
        st = cmr__ds_insert(g->ctx, ds, "releases", rn, v, N(release_out), wkb,
                            len, NULL);
        cmr__free(wkb);
        counts->releases++;
    }
    return st;
}

/* Entry into force per State (store.c's table of the ten States). */
int64_t cmr__state_eif_days(const char *iso3);

enum cmr_status cmr_synth(struct cmr_ctx *ctx,
                          const struct cmr_synth_opts *opts, const char *path,
                          struct cmr_synth_counts *counts)
{
    struct cmr_synth_counts dummy;
    if (!counts)
        counts = &dummy;
    counts->hazards = counts->releases = 0;
    const char *only = opts ? opts->country : NULL;
    if (only && !cmr__synth_calib_find(only))
        return cmr__error(ctx, CMR_EINVAL, "unknown State '%s'", only);
    char bundled[4096];
    const char *boundaries = opts ? opts->boundaries : NULL;
    if (!boundaries) {
        const char *dir = cmr_data_dir();
        if (!dir)
            return cmr__error(ctx, CMR_EIO,
                              "the bundled boundaries were not found (set "
                              "CMR_DATADIR or name a file)");
        snprintf(bundled, sizeof bundled, "%s/boundaries.gpkg", dir);
        boundaries = bundled;
    }
    double scale = opts && opts->scale > 0 ? opts->scale : 1;
    if (opts && opts->hazards > 0) {
        double base = 0;
        for (size_t i = 0; i < cmr__synth_calib_count(); i++) {
            const struct cmr__calib *c = cmr__synth_calib(i);
            if (!only || strcmp(only, c->iso3) == 0)
                base += c->nbase;
        }
        double per = opts->dense ? 20 : 1.1;
        scale = (double)opts->hazards / (base * per);
    }
    struct cmr__ds *ds = NULL;
    enum cmr_status st = cmr__ds_create_gpkg(ctx, path, &ds);
    if (st)
        return st;
    if (!(st = cmr__ds_begin(ctx, ds))) {
        st = cmr__ds_create_table(ctx, ds, "hazards", true, hazard_out,
                                  N(hazard_out));
        if (!st)
            st = cmr__ds_create_table(ctx, ds, "releases", true, release_out,
                                      N(release_out));
    }
    for (size_t i = 0; i < cmr__synth_calib_count() && !st; i++) {
        const struct cmr__calib *c = cmr__synth_calib(i);
        if (only && strcmp(only, c->iso3) != 0)
            continue;
        struct gen g;
        memset(&g, 0, sizeof g);
        g.ctx = ctx;
        g.cal = c;
        g.dense = opts && opts->dense;
        /* One stream per State, so a State's records do not depend on
         * which other States are generated. */
        g.rng.s =
            (opts && opts->seed ? opts->seed : 1) * 0x100000001b3ULL +
            (uint64_t)(c->iso3[0] * 65536 + c->iso3[1] * 256 + c->iso3[2]);
        st = gen_state(&g, boundaries, scale, cmr__state_eif_days(c->iso3));
        if (!st)
            st = write_state(&g, ds, counts);
        gen_clear(&g);
        if (!st && !cmr__progress(
                       ctx, (double)(i + 1) / (double)cmr__synth_calib_count(),
                       "generating"))
            st = cmr__error(ctx, CMR_EINVAL, "cancelled");
    }
    if (!st)
        st = cmr__ds_commit(ctx, ds);
    cmr__ds_close(ds);
    if (st)
        remove(path);
    return st;
}
