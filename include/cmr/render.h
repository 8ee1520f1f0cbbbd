/* SPDX-License-Identifier: MIT */
/* Contamination maps and charts, drawn with Cairo to PNG, PDF or SVG (the
 * file name's ending chooses). */
#ifndef CMR_RENDER_H
#define CMR_RENDER_H

#include <cmr/ctx.h>
#include <cmr/export.h>
#include <cmr/forecast.h>
#include <cmr/status.h>
#include <cmr/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The least size of a map and of a chart, in pixels (PNG) or points (PDF,
 * SVG). Below 1000x750 (a map) or 800x500 (a chart) the drawing is scaled
 * down to fit, its layout and proportions kept, to 80% at most so that its
 * text stays legible: hence these. */
#define CMR_MAP_MIN_WIDTH    800
#define CMR_MAP_MIN_HEIGHT   600
#define CMR_CHART_MIN_WIDTH  640
#define CMR_CHART_MIN_HEIGHT 400

struct cmr_map_opts {
    const char *country; /* ISO3, or "all" for the ten States on one page */
    const char *at;      /* as-of date or NULL (as cmr status) */
    int width, height;   /* pixels (PNG) or points (PDF, SVG); 0: 1600x1100 */
};

/** Draws the State's map: provinces shaded by remaining area, remaining
 * hazards by class, released land by method, province names, a locator with
 * the neighbours, scale bar, north arrow, legend and credits (and "synthetic
 * geometry" in plain view when the data is). CMR_EINVAL for an unknown
 * State, a State without boundaries, a size below CMR_MAP_MIN_WIDTH x
 * CMR_MAP_MIN_HEIGHT or a file name without .png, .pdf or .svg; CMR_EIO
 * when the file cannot be written. */
CMR_API enum cmr_status cmr_map_write(struct cmr_ctx *ctx,
                                      struct cmr_store *store,
                                      const struct cmr_map_opts *o,
                                      const char *path);

enum cmr_chart_kind { CMR_CHART_BURNDOWN = 0, CMR_CHART_RELEASE = 1 };

struct cmr_chart_opts {
    const char *country;
    enum cmr_chart_kind kind;
    int width, height; /* 0: 1600x1000; at least CMR_CHART_MIN_WIDTH x
                          CMR_CHART_MIN_HEIGHT (else CMR_EINVAL) */
    struct cmr_forecast_opts forecast; /* country is set from above */
};

/** Burn-down (remaining area with its history, the forecast fan P10-P90
 * and median, the deadline and the date requested as vertical lines) or
 * yearly release stacked by method with the area added below the axis. */
CMR_API enum cmr_status cmr_chart_write(struct cmr_ctx *ctx,
                                        struct cmr_store *store,
                                        const struct cmr_chart_opts *o,
                                        const char *path);

#ifdef __cplusplus
}
#endif
#endif
