/* SPDX-License-Identifier: MIT */
/* Forecasts: from a State's yearly series of release and additions (from
 * the ledger, or from its published figures) to projected completion dates
 * with stated uncertainty, and the view against its Article 4 deadline and
 * the date it requests. See README, "Forecasts". */
#ifndef CMR_FORECAST_H
#define CMR_FORECAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmr/ctx.h>
#include <cmr/export.h>
#include <cmr/ledger.h>
#include <cmr/status.h>
#include <cmr/store.h>

#ifdef __cplusplus
extern "C" {
#endif

enum cmr_forecast_method {
    CMR_FORECAST_MONTECARLO = 0, /* resampled past years (default) */
    CMR_FORECAST_TRAILING = 1,   /* mean of the window */
    CMR_FORECAST_TREND = 2       /* Theil-Sen line through the window */
};

enum cmr_series_source {
    CMR_SERIES_AUTO = 0,   /* the ledger where the State has polygons */
    CMR_SERIES_LEDGER = 1, /* areas computed from the polygons */
    CMR_SERIES_FIGURES = 2 /* published national figures in the store */
};

struct cmr_forecast_opts {
    const char *country; /* ISO3, or NULL for every State */
    const char *at;      /* as-of date, or NULL (as cmr status) */
    enum cmr_forecast_method method;
    int window;         /* K complete years ending with the as-of year; 0: 3 */
    int runs;           /* Monte Carlo runs; 0: 10000 */
    uint64_t seed;      /* 0: 1 */
    double capacity;    /* multiplier of past release; 0: 1 */
    bool has_discovery; /* use discovery below instead of the added series */
    double discovery;   /* new contamination, m2 a year */
    enum cmr_series_source series;
    enum cmr_precedence precedence;
    int jobs;
};

/** One year of the series. Values are NaN where the source has none. */
struct cmr_forecast_year {
    int year;
    double released_m2, added_m2; /* the series used */
    /* the series' release by method (NaN where the figures give the total
     * alone, or nothing), and the net change, release less additions */
    double cancelled_m2, reduced_m2, cleared_m2, net_m2;
    const char *source;        /* "ledger" or "figures" */
    double ledger_released_m2; /* both, where both exist */
    double figures_released_m2;
};

struct cmr_forecast {
    const char *country, *name, *as_of;
    bool synthetic;
    double remaining_m2;
    const char *remaining_source; /* "ledger" or "figures: ROW" */
    enum cmr_forecast_method method;
    int window_years, runs;
    uint64_t seed;
    double capacity, discovery_m2_per_year;
    double rate_m2_per_year; /* mean (trailing, montecarlo) or fitted rate */
    double mean_m2_per_year, best_m2_per_year;
    /* the clearance-only rate and the net change (release less
     * additions), means over the window's years that have them; NaN when
     * none has */
    double clearance_m2_per_year, net_m2_per_year;
    int best_year;
    double trend_slope;          /* m2 a year, each year (trend) */
    bool completes;              /* false: no completion at current pace */
    const char *p10, *p50, *p90; /* YYYY-MM-DD, NULL when not reached */
    const char *deadline;        /* current Article 4 deadline or NULL */
    const char *requested;       /* date asked in a pending request */
    /* the meeting that granted a later extension whose date the deadlines
     * data does not give (deadline is then the last one recorded, no
     * probability or required rate is measured against it), or NULL */
    const char *deadline_extended_at;
    bool deadline_passed, requested_passed;
    double p_by_deadline, p_by_requested; /* NaN when no such date */
    double required_m2_per_year;          /* NaN when passed or no deadline */
    double required_vs_mean, required_vs_best;
    double requested_required_m2_per_year;
    const struct cmr_forecast_year *series;
    size_t nseries;
    /* the year of the published remaining area (remaining_source
     * "figures: ..."), also of one older than the window and so not used;
     * 0 for the ledger or where none was published */
    int remaining_year;
};

struct cmr_forecasts;

/** Computes the forecast of every State with data (or of opts->country).
 * *out is owned by the caller (cmr_forecasts_free). The same data, options
 * and seed give the same output, byte for byte. */
CMR_API enum cmr_status cmr_forecast_compute(struct cmr_ctx *ctx,
                                             struct cmr_store *store,
                                             const struct cmr_forecast_opts *o,
                                             struct cmr_forecasts **out);
CMR_API void cmr_forecasts_free(struct cmr_forecasts *f);
CMR_API size_t cmr_forecasts_count(const struct cmr_forecasts *f);
CMR_API const struct cmr_forecast *
cmr_forecasts_get(const struct cmr_forecasts *f, size_t i);

#ifdef __cplusplus
}
#endif
#endif
