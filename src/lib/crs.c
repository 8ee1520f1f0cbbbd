/* SPDX-License-Identifier: MIT */
/* The PROJ bridge: the only file that includes proj.h and geodesic.h. It
 * loads PROJ on first need, and owns the per-context PJ_CONTEXT (made on
 * first need too), geodesic areas on WGS84, the fast equal-area path and
 * the map projections. */
#include <math.h>
#include <stdio.h>
#include <threads.h>

#include <geodesic.h>
#include <proj.h>

#include "crs.h"

#define CMR_PI 3.14159265358979323846

/* WGS84: a, f, e² = f (2 - f) and e (its square root, to 40 digits; a
 * constant, so that threads share no state made at run time; test_crs
 * checks it against f). k = a² (1 - e²) / 2. */
#define WGS84_A  6378137.0
#define WGS84_F  (1 / 298.257223563)
#define WGS84_E2 (WGS84_F * (2 - WGS84_F))
#define WGS84_E  0.08181919084262149433480245175385667476367
static const double k_ = WGS84_A * WGS84_A / 2 * (1 - WGS84_E2);

/* PROJ is loaded when first needed (dlopen): it brings libcurl, libtiff
 * and some forty libraries whose loading took 8 ms of every run, while the
 * ledger needs it only for edges longer than the fast path takes, and maps
 * for their projection. The functions are typed by PROJ's headers. */
#define CMR_PJ_FUNCS(X)                                                        \
    X(geod_geninverse)                                                         \
    X(geod_init)                                                               \
    X(geod_polygon_addpoint)                                                   \
    X(geod_polygon_compute)                                                    \
    X(geod_polygon_init)                                                       \
    X(proj_cleanup)                                                            \
    X(proj_context_create)                                                     \
    X(proj_context_destroy)                                                    \
    X(proj_context_errno)                                                      \
    X(proj_context_errno_string)                                               \
    X(proj_create)                                                             \
    X(proj_destroy)                                                            \
    X(proj_log_func)                                                           \
    X(proj_trans_generic)

static struct {
#define X(f) __typeof__(f) *f;
    CMR_PJ_FUNCS(X)
#undef X
} pj;

static once_flag pj_once = ONCE_FLAG_INIT;
static struct cmr__lazy_lib pj_lib = {CMR_PROJ_PATH, CMR_PROJ_SONAME, "PROJ",
                                      NULL, ""};

static void pj_do_load(void)
{
    if (!cmr__lazy_open(&pj_lib))
        return;
#define X(f)                                                                   \
    if (!cmr__lazy_sym(&pj_lib, #f, &pj.f, sizeof pj.f))                       \
        return;
    CMR_PJ_FUNCS(X)
#undef X
}

/* Loads PROJ (once per process, from any thread); false when it cannot be
 * loaded (cmr__crs_failure says why). */
static bool pj_loaded(void)
{
    call_once(&pj_once, pj_do_load);
    return pj_lib.handle != NULL;
}

enum cmr_status cmr__crs_failure(struct cmr_ctx *ctx)
{
    return cmr__error(ctx, CMR_EINTERNAL, "cannot load PROJ: %s",
                      pj_lib.failure);
}

static void on_log(void *user, int level, const char *msg)
{
    struct cmr_ctx *ctx = user;
    if (level == PJ_LOG_ERROR)
        snprintf(ctx->errmsg, sizeof ctx->errmsg, "PROJ: %s", msg);
    else
        cmr__log(ctx, CMR_LOG_DEBUG, "PROJ: %s", msg);
}

void cmr__crs_context_free(void *pj_ctx)
{
    if (pj_ctx)
        pj.proj_context_destroy(pj_ctx);
}

void cmr__crs_cleanup(void)
{
    /* only once loaded: a cleanup must not load it */
    if (pj_lib.handle)
        pj.proj_cleanup();
}

double cmr__crs_ring_area_geodesic_signed(const double *xy, size_t n)
{
    if (!pj_loaded())
        return NAN;
    struct geod_geodesic g;
    struct geod_polygon p;
    pj.geod_init(&g, WGS84_A, WGS84_F);
    pj.geod_polygon_init(&p, 0);
    if (n > 1 && xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1])
        n--; /* closed ring: the last point repeats the first */
    for (size_t i = 0; i < n; i++)
        pj.geod_polygon_addpoint(&g, &p, xy[2 * i + 1], xy[2 * i]);
    double area = 0, perimeter = 0;
    pj.geod_polygon_compute(&g, &p, 0, 1, &area, &perimeter);
    return area;
}

double cmr__crs_ring_area_geodesic(const double *xy, size_t n)
{
    return fabs(cmr__crs_ring_area_geodesic_signed(xy, n));
}

double cmr__crs_wgs84_e(void)
{
    return WGS84_E;
}

/* q(phi) of the authalic latitude (Snyder 1987, eq. 3-12), times a² / 2:
 * the northing of the cylindrical equal-area projection of the ellipsoid. */
static double northing(double sinlat)
{
    double es = WGS84_E * sinlat;
    return k_ *
           (sinlat / (1 - es * es) - log((1 - es) / (1 + es)) / (2 * WGS84_E));
}

/* 0.1 degree is about 11 km. An edge this short (or shorter, by the
 * tangent of the latitude, towards the poles) is measured by the fast path
 * with its lens (see crs.h) to within 1e-8 of PROJ's geodesic area
 * (test_crs checks polygons from 10 m to 200 km, triangles included, at
 * latitudes to 85 degrees); longer edges are measured by PROJ. */
#define FAST_EDGE_DEG 0.1

void cmr__crs_vertex(double lat_deg, struct cmr__crs_vert *v)
{
    double lat = lat_deg * (CMR_PI / 180);
    double s = sin(lat), c = cos(lat), es = WGS84_E * s;
    double n = WGS84_A / sqrt(1 - es * es); /* prime vertical radius */
    v->q = northing(s);
    v->rho = n * c;
    v->k = c > 0 ? s / c / n : 0;
    v->coslat = c;
    double t = fabs(s / c); /* (as fmax(1, t), NaN included, inline) */
    v->lim = FAST_EDGE_DEG / (t > 1 ? t : 1);
    /* q' = a² (1 - e²) c / w², w = 1 - e² s²: so q'' = a² (1 - e²) s
     * (4 e² c² - w) / w³ */
    double w = 1 - es * es;
    v->q2 = 2 * k_ * s * (4 * WGS84_E2 * c * c - w) / (w * w * w);
}

double cmr__crs_sliver_exact(double lon_u, double lat_u, double lon_v,
                             double lat_v)
{
    if (!pj_loaded())
        return NAN;
    struct geod_geodesic g;
    pj.geod_init(&g, WGS84_A, WGS84_F);
    double S12 = 0;
    pj.geod_geninverse(&g, lat_u, lon_u, lat_v, lon_v, NULL, NULL, NULL, NULL,
                       NULL, NULL, &S12);
    /* the line: the mean of q over its latitudes, by 8-point
     * Gauss-Legendre (exact to far below a square metre over 2 degrees) */
    static const double x[4] = {0.1834346424956498, 0.5255324099163290,
                                0.7966664774136267, 0.9602898564975363};
    static const double wt[4] = {0.3626837833783620, 0.3137066458778873,
                                 0.2223810344533745, 0.1012285362903763};
    double mid = (lat_u + lat_v) / 2 * (CMR_PI / 180);
    double half = (lat_v - lat_u) / 2 * (CMR_PI / 180), mean = 0;
    for (int i = 0; i < 4; i++)
        mean += wt[i] * (northing(sin(mid - half * x[i])) +
                         northing(sin(mid + half * x[i])));
    mean /= 2;
    double dx = (lon_v - lon_u) * (CMR_PI / 180);
    /* S12, the area between the geodesic and the equator counter-
     * clockwise, is the integral of q along the geodesic: the ring's term
     * is -2 S12, the line's -2 dx mean */
    return -2 * S12 + 2 * dx * mean;
}

/* The fast path's sum over a ring: the shoelace formula in (longitude,
 * northing), less each edge's lens; NAN when an edge is too long for it. */
static double authalic_signed(const double *xy, size_t n, bool lens)
{
    if (n > 1 && xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1])
        n--;
    if (n < 3)
        return 0;
    /* Shoelace relative to the first vertex, longitudes in radians. */
    double x0 = xy[0], sum = 0;
    struct cmr__crs_vert p, v;
    cmr__crs_vertex(xy[1], &p);
    double px = 0, plon = xy[0], plat = xy[1];
    for (size_t i = 1; i <= n; i++) {
        size_t j = i % n;
        double x = (xy[2 * j] - x0) * (CMR_PI / 180);
        cmr__crs_vertex(xy[2 * j + 1], &v);
        if (lens) {
            double dx = fabs(xy[2 * j] - plon), dy = fabs(xy[2 * j + 1] - plat);
            if (dx * p.coslat > p.lim || dy > p.lim || dx > 1)
                return NAN;
            sum -= 2 * cmr__crs_lens(&p, &v, x - px);
        }
        sum += px * v.q - x * p.q;
        px = x;
        p = v;
        plon = xy[2 * j];
        plat = xy[2 * j + 1];
    }
    return sum / 2;
}

double cmr__crs_ring_area_authalic(const double *xy, size_t n)
{
    return fabs(authalic_signed(xy, n, false));
}

double cmr__crs_ring_area_signed(const double *xy, size_t n)
{
    double a = n >= 4 ? authalic_signed(xy, n, true) : NAN;
    return isnan(a) ? cmr__crs_ring_area_geodesic_signed(xy, n) : a;
}

double cmr__crs_ring_area(const double *xy, size_t n)
{
    return fabs(cmr__crs_ring_area_signed(xy, n));
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
    if (!pj_loaded()) {
        cmr__free(*out);
        *out = NULL;
        return cmr__crs_failure(ctx);
    }
    if (!ctx->proj) { /* the context's PROJ context, made on first need */
        ctx->proj = pj.proj_context_create();
        if (!ctx->proj) {
            cmr__free(*out);
            *out = NULL;
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        }
        pj.proj_log_func(ctx->proj, ctx, on_log);
    }
    ctx->errmsg[0] = '\0';
    (*out)->pj = pj.proj_create(ctx->proj, def);
    if (!(*out)->pj) {
        cmr__free(*out);
        *out = NULL;
        return ctx->errmsg[0]
                   ? CMR_ECRS
                   : cmr__error(
                         ctx, CMR_ECRS, "PROJ: %s",
                         pj.proj_context_errno_string(
                             ctx->proj, pj.proj_context_errno(ctx->proj)));
    }
    return CMR_OK;
}

void cmr__proj_free(struct cmr__proj *p)
{
    if (!p)
        return;
    pj.proj_destroy(p->pj);
    cmr__free(p);
}

enum cmr_status cmr__proj_fwd(struct cmr_ctx *ctx, struct cmr__proj *p,
                              double *xy, size_t n)
{
    size_t done =
        pj.proj_trans_generic(p->pj, PJ_FWD, xy, 2 * sizeof *xy, n, xy + 1,
                              2 * sizeof *xy, n, NULL, 0, 0, NULL, 0, 0);
    if (done != n)
        return cmr__error(ctx, CMR_ECRS, "PROJ: projected %zu of %zu points",
                          done, n);
    return CMR_OK;
}
