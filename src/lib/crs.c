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

double cmr__crs_ring_area_geodesic(const double *xy, size_t n)
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
    return fabs(area);
}
