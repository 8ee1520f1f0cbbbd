/* SPDX-License-Identifier: MIT */
/* The PROJ bridge: the only file that includes proj.h and geodesic.h. It owns
 * the per-context PJ_CONTEXT, geodesic areas on WGS84 and, later, the map
 * projections. */
#include <math.h>
#include <stdio.h>

#include <geodesic.h>
#include <proj.h>

#include "crs.h"

static void on_log(void *user, int level, const char *msg)
{
    struct cmr_ctx *ctx = user;
    if (level == PJ_LOG_ERROR)
        snprintf(ctx->errmsg, sizeof ctx->errmsg, "PROJ: %s", msg);
    else
        cmr__log(ctx, CMR_LOG_DEBUG, "PROJ: %s", msg);
}

void *cmr__crs_context_new(struct cmr_ctx *ctx)
{
    PJ_CONTEXT *pj = proj_context_create();
    if (!pj)
        return NULL;
    proj_log_func(pj, ctx, on_log);
    return pj;
}

void cmr__crs_context_free(void *pj_ctx)
{
    if (pj_ctx)
        proj_context_destroy(pj_ctx);
}

void cmr__crs_cleanup(void)
{
    proj_cleanup();
}

double cmr__crs_ring_area_geodesic_signed(const double *xy, size_t n)
{
    struct geod_geodesic g;
    struct geod_polygon p;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    geod_polygon_init(&p, 0);
    if (n > 1 && xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1])
        n--; /* closed ring: the last point repeats the first */
    for (size_t i = 0; i < n; i++)
        geod_polygon_addpoint(&g, &p, xy[2 * i + 1], xy[2 * i]);
    double area = 0, perimeter = 0;
    geod_polygon_compute(&g, &p, 0, 1, &area, &perimeter);
    return area;
}

double cmr__crs_ring_area_geodesic(const double *xy, size_t n)
{
    return fabs(cmr__crs_ring_area_geodesic_signed(xy, n));
}

#define CMR_PI 3.14159265358979323846

/* WGS84: a, and e = sqrt(f (2 - f)). */
static const double WGS84_A = 6378137.0;
static const double WGS84_F = 1 / 298.257223563;

/* q(phi) of the authalic latitude (Snyder 1987, eq. 3-12), times a^2 / 2:
 * the northing of the cylindrical equal-area projection of the ellipsoid. */
static double authalic_y(double lat_deg)
{
    static double e = 0, e2 = 0, k = 0;
    if (e == 0) {
        e2 = WGS84_F * (2 - WGS84_F);
        e = sqrt(e2);
        k = WGS84_A * WGS84_A / 2 * (1 - e2);
    }
    double s = sin(lat_deg * (CMR_PI / 180));
    double es = e * s;
    return k * (s / (1 - es * es) - log((1 - es) / (1 + es)) / (2 * e));
}

static double authalic_signed(const double *xy, size_t n)
{
    if (n > 1 && xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1])
        n--;
    if (n < 3)
        return 0;
    /* Shoelace relative to the first vertex, longitudes in radians. */
    double x0 = xy[0], sum = 0;
    double px = 0, py = authalic_y(xy[1]);
    for (size_t i = 1; i <= n; i++) {
        size_t j = i % n;
        double x = (xy[2 * j] - x0) * (CMR_PI / 180);
        double y = authalic_y(xy[2 * j + 1]);
        sum += px * y - x * py;
        px = x;
        py = y;
    }
    return sum / 2;
}

double cmr__crs_ring_area_authalic(const double *xy, size_t n)
{
    return fabs(authalic_signed(xy, n));
}

double cmr__crs_authalic_y(double lat_deg)
{
    return authalic_y(lat_deg);
}

/* 0.0045 degrees is about 500 m. The fast path's edges are straight in
 * (longitude, authalic latitude), PROJ's are geodesics; over edges this
 * short the two differ by less than 1e-6 of the area (test_crs checks
 * rings from 10 m to 200 km at latitudes to 75 degrees). The gap grows
 * with tan(latitude), so the limit shrinks with it. */
#define FAST_EDGE_DEG 0.0045

double cmr__crs_edge_limit(double lat_deg, double *coslat)
{
    double lat = lat_deg * (CMR_PI / 180);
    *coslat = cos(lat);
    return FAST_EDGE_DEG / fmax(1, fabs(tan(lat)));
}

/* Whether every edge is short enough for the fast path. */
static bool short_edges(const double *xy, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        double dx = fabs(xy[2 * i + 2] - xy[2 * i]);
        double dy = fabs(xy[2 * i + 3] - xy[2 * i + 1]);
        double c, lim = cmr__crs_edge_limit(xy[2 * i + 1], &c);
        if (dx * c > lim || dy > lim || dx > 1)
            return false;
    }
    return true;
}

double cmr__crs_ring_area_signed(const double *xy, size_t n)
{
    if (n >= 4 && short_edges(xy, n))
        return authalic_signed(xy, n);
    return cmr__crs_ring_area_geodesic_signed(xy, n);
}

double cmr__crs_ring_area(const double *xy, size_t n)
{
    if (n >= 4 && short_edges(xy, n))
        return cmr__crs_ring_area_authalic(xy, n);
    return cmr__crs_ring_area_geodesic(xy, n);
}

struct cmr__proj {
    PJ *pj;
};

enum cmr_status cmr__proj_new(struct cmr_ctx *ctx, double lon0, double lat0,
                              struct cmr__proj **out)
{
    *out = cmr__calloc(1, sizeof **out);
    if (!*out)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    char def[256];
    snprintf(def, sizeof def,
             "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
             "+step +proj=laea +lat_0=%.6f +lon_0=%.6f +ellps=WGS84",
             lat0, lon0);
    ctx->errmsg[0] = '\0';
    (*out)->pj = proj_create(ctx->proj, def);
    if (!(*out)->pj) {
        cmr__free(*out);
        *out = NULL;
        return ctx->errmsg[0]
                   ? CMR_ECRS
                   : cmr__error(ctx, CMR_ECRS, "PROJ: %s",
                                proj_context_errno_string(
                                    ctx->proj, proj_context_errno(ctx->proj)));
    }
    return CMR_OK;
}

void cmr__proj_free(struct cmr__proj *p)
{
    if (!p)
        return;
    proj_destroy(p->pj);
    cmr__free(p);
}

enum cmr_status cmr__proj_fwd(struct cmr_ctx *ctx, struct cmr__proj *p,
                              double *xy, size_t n)
{
    size_t done =
        proj_trans_generic(p->pj, PJ_FWD, xy, 2 * sizeof *xy, n, xy + 1,
                           2 * sizeof *xy, n, NULL, 0, 0, NULL, 0, 0);
    if (done != n)
        return cmr__error(ctx, CMR_ECRS, "PROJ: projected %zu of %zu points",
                          done, n);
    return CMR_OK;
}
