/* SPDX-License-Identifier: MIT */
/* The arithmetic of forecasts, apart from the store: tested with
 * hand-computed answers. */
#ifndef CMR_FORECAST_INT_H
#define CMR_FORECAST_INT_H

#include "internal.h"

/* Runs beyond this many years without finishing count as never. */
#define CMR_FORECAST_HORIZON_YEARS 100

struct cmr__fc_in {
    double remaining;       /* m2 at the as-of date */
    int64_t as_of;          /* days since 1970 */
    const double *released; /* the window, oldest first, m2 a year */
    const double *added;
    size_t n;
    /* each year's place in the window (0 its first year, x_asof the as-of
     * year), where years without a figure are left out; NULL: 0 to n - 1,
     * the as-of year n - 1 */
    const double *x;
    double x_asof;
    double best; /* best year of the whole series */
    enum cmr_forecast_method method;
    int runs;
    uint64_t seed;
    double capacity;
    bool has_discovery;
    double discovery;
    bool has_deadline, has_requested;
    int64_t deadline, requested; /* days */
};

struct cmr__fc_out {
    bool completes;
    int64_t p10, p50, p90; /* days; INT64_MAX when not reached */
    double rate, mean, slope, discovery;
    double p_deadline, p_requested; /* NaN without the date */
};

/* Theil-Sen slope and intercept of y over x (x = 0..n-1 when x is NULL;
 * strictly increasing otherwise); false on ENOMEM. */
bool cmr__theil_sen(const double *y, const double *x, size_t n, double *slope,
                    double *intercept);

/* The first day of the States Parties' meeting named (11MSP, 12MSP, ...)
 * from the LAP cycles of the bundled data (lap-cycles.csv, meeting_date),
 * as YYYY-MM-DD; "" where the data has no date for it, or no cycles file.
 * Fails only when the file is there and cannot be read. */
enum cmr_status cmr__lap_meeting_date(struct cmr_ctx *ctx, const char *meeting,
                                      char out[11]) CMR_WARN_UNUSED;

enum cmr_status cmr__forecast_core(struct cmr_ctx *ctx,
                                   const struct cmr__fc_in *in,
                                   struct cmr__fc_out *out) CMR_WARN_UNUSED;

#endif
