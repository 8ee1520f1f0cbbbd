/* SPDX-License-Identifier: MIT */
/* cmr evaluate: the assessment of a State's extension request. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static const char usage[] =
    "cmr evaluate DB --country ISO3 [--format text|json] [--at DATE]\n"
    "       [--method trailing|trend|montecarlo] [--window K] [--runs N] "
    "[--seed S]\n"
    "       [--capacity X] [--discovery M2_PER_YEAR] [--series "
    "ledger|figures]";

static const char help[] =
    "Writes the assessment of the State's latest extension request in the "
    "store\n(see README, \"Extension requests\"): Art. 4.6 (d)-(f), the "
    "milestones against\nthe remaining area and the pace achieved, the "
    "funding gap, the period asked\nagainst the projection, and past "
    "years planned against achieved.\n\n"
    "  --country ISO3   the State (required)\n"
    "  --format F       text (default) or json\n"
    "  --at DATE        as of this date (default: 31 December of the last "
    "year with\n                   a release record)\n\n"
    "The projection's options, as cmr forecast's (README, \"Forecasts\"):\n";

static json_t *num(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(round(v * 100) / 100);
}

static json_t *str(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *years_json(const struct cmr_eval_year *y, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "year", json_integer(y[i].year));
        json_object_set_new(o, "planned_m2", num(y[i].planned_m2));
        json_object_set_new(o, "cancelled_m2", num(y[i].cancelled_m2));
        json_object_set_new(o, "reduced_m2", num(y[i].reduced_m2));
        json_object_set_new(o, "cleared_m2", num(y[i].cleared_m2));
        json_object_set_new(o, "any_m2", num(y[i].any_m2));
        json_object_set_new(o, "vs_mean", num(y[i].vs_mean));
        json_object_set_new(o, "vs_best", num(y[i].vs_best));
        json_object_set_new(o, "exceeds_pace_limit",
                            json_boolean(y[i].exceeds));
        json_object_set_new(o, "cost_usd",
                            y[i].has_cost ? num(y[i].cost_usd) : json_null());
        json_object_set_new(o, "funding_usd",
                            y[i].has_cost ? num(y[i].funding_usd)
                                          : json_null());
        json_object_set_new(o, "gap_usd",
                            y[i].has_cost ? num(y[i].gap_usd) : json_null());
        if (y[i].past || !isnan(y[i].achieved_m2)) { /* (null: unknown) */
            json_object_set_new(o, "achieved_m2", num(y[i].achieved_m2));
            json_object_set_new(o, "cumulative_shortfall_m2",
                                num(y[i].cumulative_shortfall_m2));
        }
        json_array_append_new(a, o);
    }
    return a;
}

/* A plan's years with the release achieved and the cumulative shortfall;
 * only_past: the years already past alone, else a year after the as-of
 * year is listed as not yet due. */
static void print_achieved(const struct cmr_eval_year *y, size_t n,
                           bool only_past)
{
    printf("  %4s %9s %9s %12s\n", "year", "planned", "achieved", "shortfall");
    for (size_t i = 0; i < n; i++) {
        if (!y[i].past) {
            if (!only_past)
                printf("  %4d %9.3f  not yet due\n", y[i].year,
                       y[i].planned_m2 / 1e6);
        } else if (isnan(y[i].achieved_m2)) {
            /* (past, with no figure published) */
            printf("  %4d %9.3f %9s %12s\n", y[i].year, y[i].planned_m2 / 1e6,
                   "-", "-");
        } else if (isnan(y[i].cumulative_shortfall_m2)) {
            printf("  %4d %9.3f %9.3f %12s\n", y[i].year, y[i].planned_m2 / 1e6,
                   y[i].achieved_m2 / 1e6, "-");
        } else {
            printf("  %4d %9.3f %9.3f %12.3f\n", y[i].year,
                   y[i].planned_m2 / 1e6, y[i].achieved_m2 / 1e6,
                   y[i].cumulative_shortfall_m2 / 1e6);
        }
    }
}

static void print_text(const struct cmr_evaluation *e)
{
    printf("Evaluation of %s's extension request %s, as of %s%s\n\n", e->name,
           e->request, e->as_of,
           e->synthetic_plan || e->synthetic_data ? " (SYNTHETIC DATA)" : "");
    printf("submitted %s; deadline asked %s; current deadline %s\n\n",
           e->submitted ? e->submitted : "(not published)",
           e->requested ? e->requested : "(not published)",
           e->deadline ? e->deadline : "-");
    printf("%-10s %-6s %s\n", "topic", "", "conclusion");
    for (size_t i = 0; i < e->nconclusions; i++)
        printf("%-10s %-6s %s\n", e->conclusions[i].topic,
               e->conclusions[i].verdict, e->conclusions[i].text);
    printf("\nThe plan by year (areas in km2; any: release by any method; "
           "costs in USD):\n");
    printf("  %4s %9s %9s %9s %9s %9s %7s %7s %12s %12s %12s\n", "year",
           "planned", "cancelled", "reduced", "cleared", "any", "x mean",
           "x best", "cost", "secured", "gap");
    for (size_t i = 0; i < e->nyears; i++) {
        const struct cmr_eval_year *y = &e->years[i];
        char vm[16] = "-", vb[16] = "-"; /* no ratio to no release */
        if (isfinite(y->vs_mean))
            snprintf(vm, sizeof vm, "%.1f", y->vs_mean);
        if (isfinite(y->vs_best))
            snprintf(vb, sizeof vb, "%.1f", y->vs_best);
        printf("  %4d %9.3f %9.3f %9.3f %9.3f %9.3f %7s %7s", y->year,
               y->planned_m2 / 1e6, y->cancelled_m2 / 1e6, y->reduced_m2 / 1e6,
               y->cleared_m2 / 1e6, y->any_m2 / 1e6, vm, vb);
        if (y->has_cost)
            printf(" %12.0f %12.0f %12.0f", y->cost_usd, y->funding_usd,
                   y->gap_usd);
        printf("%s\n", y->exceeds ? "  > limit" : "");
    }
    if (e->nyears && e->years[0].past) {
        printf("\nThis plan's years already past, planned against achieved "
               "(km2):\n");
        print_achieved(e->years, e->nyears, true);
    }
    if (e->npast) {
        printf("\nThe earlier plan %s, planned against achieved (km2):\n",
               e->earlier_request);
        print_achieved(e->past, e->npast, false);
    }
}

int cmd_evaluate(struct cmr_ctx *ctx, int argc, char **argv)
{
    enum { O_AT = 256 };
    static const struct option longopts[] = {
        {"country", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},
        {"at", required_argument, NULL, O_AT},
        {"help", no_argument, NULL, 'h'},
        CLI_FORECAST_LONGOPTS,
        {NULL, 0, NULL, 0}};
    struct cmr_forecast_opts o = {0};
    enum out_format fmt = OUT_TEXT;
    int c;
    while ((c = getopt_long(argc, argv, "c:f:h", longopts, NULL)) != -1) {
        char err[256];
        switch (c) {
        case 'c': o.country = cli_country(optarg); break;
        case O_AT: {
            int code = cli_opt_at("evaluate", usage, optarg, &o.at);
            if (code >= 0)
                return code;
            break;
        }
        case 'f':
            if (!out_parse_format(optarg, &fmt) || fmt == OUT_CSV)
                return cli_usage("evaluate", usage, "format: text or json");
            break;
        case 'h':
            printf("usage: %s\n\n%s%s", usage, help, cli_forecast_help);
            return EXIT_OK;
        default:
            switch (cli_forecast_option(c, optarg, &o, err, sizeof err)) {
            case 1: break;
            case -1: return cli_usage("evaluate", usage, "%s", err);
            default:
                return cli_usage("evaluate", usage, "%s", cli_bad_option(argv));
            }
        }
    }
    if (optind + 1 != argc || !o.country)
        return cli_usage("evaluate", usage,
                         "expected one store path and --country");
    struct cmr_store *store = NULL;
    struct cmr_evaluation *e = NULL;
    enum cmr_status st =
        cmr_store_open(ctx, argv[optind], CMR_STORE_READ, &store);
    if (!st)
        st = cmr_evaluate(ctx, store, &o, &e);
    cli_progress_end();
    if (st) {
        cmr_store_close(store);
        return cli_fail(ctx, "evaluate", st);
    }
    if (fmt == OUT_TEXT) {
        print_text(e);
    } else {
        json_t *conc = json_array();
        for (size_t i = 0; i < e->nconclusions; i++)
            json_array_append_new(conc,
                                  json_pack("{s:s, s:s, s:s}", "topic",
                                            e->conclusions[i].topic, "verdict",
                                            e->conclusions[i].verdict, "text",
                                            e->conclusions[i].text));
        json_t *out = json_object();
        json_object_set_new(out, "country", json_string(e->country));
        json_object_set_new(out, "as_of", json_string(e->as_of));
        json_object_set_new(out, "request", json_string(e->request));
        json_object_set_new(out, "meeting", json_string(e->meeting));
        json_object_set_new(out, "submitted", str(e->submitted));
        json_object_set_new(out, "requested", str(e->requested));
        json_object_set_new(out, "requested_in_deadlines",
                            str(e->requested_in_deadlines));
        json_object_set_new(out, "deadline", str(e->deadline));
        json_object_set_new(out, "synthetic_plan",
                            json_boolean(e->synthetic_plan));
        json_object_set_new(out, "synthetic_data",
                            json_boolean(e->synthetic_data));
        json_object_set_new(
            out, "art4_6",
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
                      "s:o}",
                      "baseline_m2", num(e->baseline_m2), "added_m2",
                      num(e->added_m2), "cleared_m2", num(e->cleared_m2),
                      "reduced_m2", num(e->reduced_m2), "cancelled_m2",
                      num(e->cancelled_m2), "closed_without_release_m2",
                      num(e->closed_without_release_m2), "remaining_m2",
                      num(e->remaining_m2), "released_before_eif_m2",
                      num(e->released_before_eif_m2), "closed_before_eif_m2",
                      num(e->closed_before_eif_m2), "added_again_m2",
                      num(e->added_again_m2), "remaining_source",
                      str(e->remaining_source), "stated",
                      json_pack("{s:o, s:o, s:o, s:o}", "baseline_m2",
                                num(e->stated_baseline_m2), "added_m2",
                                num(e->stated_added_m2), "cleared_m2",
                                num(e->stated_cleared_m2), "remaining_m2",
                                num(e->stated_remaining_m2))));
        json_object_set_new(out, "planned_total_m2", num(e->planned_total_m2));
        json_object_set_new(out, "planned_ahead_m2", num(e->planned_ahead_m2));
        json_object_set_new(out, "mean_m2_per_year", num(e->mean_m2_per_year));
        json_object_set_new(out, "best_m2_per_year", num(e->best_m2_per_year));
        json_object_set_new(out, "best_year",
                            e->best_year ? json_integer(e->best_year)
                                         : json_null());
        json_object_set_new(out, "completion",
                            json_pack("{s:o, s:o, s:o}", "p10", str(e->p10),
                                      "p50", str(e->p50), "p90", str(e->p90)));
        json_object_set_new(out, "plan", years_json(e->years, e->nyears));
        json_object_set_new(out, "earlier_request", str(e->earlier_request));
        json_object_set_new(out, "earlier_plan", years_json(e->past, e->npast));
        json_object_set_new(out, "conclusions", conc);
        out_json(out);
    }
    cmr_evaluation_free(e);
    cmr_store_close(store);
    return EXIT_OK;
}
