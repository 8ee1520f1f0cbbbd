/* SPDX-License-Identifier: MIT */
/* Reports: an overview of the ten States and one brief per State for the
 * Article 4 Analysis Group, as self-contained HTML pages (inline SVG maps
 * and charts, a print stylesheet), CSV tables beside them, and one PDF. */
#ifndef CMR_REPORT_H
#define CMR_REPORT_H

#include <cmr/ctx.h>
#include <cmr/export.h>
#include <cmr/forecast.h>
#include <cmr/status.h>
#include <cmr/store.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cmr_report_opts {
    const char *at;                    /* as-of date or NULL */
    struct cmr_forecast_opts forecast; /* the projection's parameters */
};

/** Writes DIR/index.html, DIR/ISO3.html with DIR/ISO3-*.csv for each State
 * with data, and DIR/report.pdf. The directory is made if missing. Reports
 * progress through the context's hook. CMR_EIO when a file cannot be
 * written. */
CMR_API enum cmr_status cmr_report_write(struct cmr_ctx *ctx,
                                         struct cmr_store *store,
                                         const struct cmr_report_opts *o,
                                         const char *dir);

#ifdef __cplusplus
}
#endif
#endif
