/* SPDX-License-Identifier: MIT */
/* The evaluation of an extension request, as an Article 4 Analysis Group
 * member would draft it: Art. 4.6 (d)-(f) from the ledger beside what the
 * request states, whether the milestones cover the remaining area, each
 * year's milestone against the pace achieved, the funding gap, the period
 * asked against the projection, and the plan's own past years and an
 * earlier plan's against what was achieved. Every conclusion carries the
 * numbers it rests on. */
#ifndef CMR_EVALUATE_H
#define CMR_EVALUATE_H

#include <stdbool.h>
#include <stddef.h>

#include <cmr/ctx.h>
#include <cmr/export.h>
#include <cmr/forecast.h>
#include <cmr/status.h>
#include <cmr/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The limit on a year's milestone: this many times the best year. */
#define CMR_EVAL_PACE_LIMIT 1.5

struct cmr_eval_year {
    int year;
    double planned_m2; /* all methods */
    double cancelled_m2, reduced_m2, cleared_m2;
    double any_m2; /* release by any method (method "any"), not clearance */
    bool has_milestone; /* an area milestone; a year may have costs only */
    bool has_cost;
    double cost_usd, funding_usd;
    double gap_usd;          /* cost - funding, never below 0 (no carry-over) */
    double vs_mean, vs_best; /* planned / achieved mean, best; NaN if 0 */
    bool exceeds;            /* planned > CMR_EVAL_PACE_LIMIT x best */
    bool past;               /* year <= the as-of year */
    double achieved_m2;      /* released that year (ledger); NaN if future */
    double cumulative_shortfall_m2; /* planned - achieved so far */
};

/** verdict: "ok", "flag" or "info". */
struct cmr_eval_conclusion {
    const char *topic, *verdict, *text;
};

struct cmr_evaluation {
    const char *country, *name, *as_of;
    const char *request, *meeting, *submitted, *requested;
    const char *requested_in_deadlines; /* the deadlines data's date asked */
    const char *deadline;               /* the current Article 4 deadline */
    bool synthetic_plan, synthetic_data;
    /* Art. 4.6 (d)-(f) from the ledger (NaN where the ledger has no
     * records of the State), and as the request states them (NaN where it
     * states nothing). remaining_m2 is the forecast's, from the source
     * remaining_source names ("ledger" or "figures: ROW"). */
    double baseline_m2, added_m2, cancelled_m2, reduced_m2, cleared_m2,
        remaining_m2;
    const char *remaining_source;
    /* so that the figures add up: remaining = baseline + added - cleared
     * - reduced - cancelled - closed without release; and what the ledger
     * reports apart */
    double closed_without_release_m2, released_before_eif_m2,
        closed_before_eif_m2;
    double added_again_m2; /* of the added, land found again */
    double stated_baseline_m2, stated_added_m2, stated_cleared_m2,
        stated_remaining_m2;
    double planned_total_m2; /* all the plan's milestones */
    double planned_ahead_m2; /* those due after the as-of date (a year's
                              * milestone by its end): what can still cover
                              * the remaining area */
    double mean_m2_per_year, best_m2_per_year;
    int best_year, window_years;
    const char *p10, *p50, *p90;
    const struct cmr_eval_year *years; /* the plan, by year */
    size_t nyears;
    const char *earlier_request; /* an earlier plan with past years */
    const struct cmr_eval_year *past;
    size_t npast;
    const struct cmr_eval_conclusion *conclusions;
    size_t nconclusions;
};

/** Evaluates the latest request in the store of fo->country (required),
 * with the forecast options fo. CMR_EINVAL when the State is unknown or has
 * no request in the store. *out is owned by the caller
 * (cmr_evaluation_free). */
CMR_API enum cmr_status cmr_evaluate(struct cmr_ctx *ctx,
                                     struct cmr_store *store,
                                     const struct cmr_forecast_opts *fo,
                                     struct cmr_evaluation **out);
CMR_API void cmr_evaluation_free(struct cmr_evaluation *e);

#ifdef __cplusplus
}
#endif
#endif
