/* SPDX-License-Identifier: MIT */
/* cmr forecast: projected completion with uncertainty, and the view
 * against the Article 4 deadline and the date requested. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static const char usage[] =
    "cmr forecast DB [--country ISO3] [--method trailing|trend|montecarlo] "
    "[--window K]\n"
    "       [--runs N] [--seed S] [--capacity X] [--discovery M2_PER_YEAR]\n"
    "       [--series ledger|figures] [--at DATE] [--format text|csv|json] "
    "[--jobs N]";

static const char help[] =
    "Projects when each State finishes at the pace it has shown, from the "
    "yearly\nrelease of the last K complete years (the ledger where the State "
    "has polygons,\nelse its published figures), and sets it against its "
    "Article 4 deadline and\nthe date a pending request asks for.\n\n"
    "  --country ISO3   one State (JSON: one object, not an array)\n"
    "  --at DATE        as of this date (default: 31 December of the last "
    "year with\n                   a release record)\n"
    "  --format F       text (default), csv or json\n"
    "  --jobs N         threads for the ledger (default: the cores)\n\n"
    "The projection:\n";

static json_t *num(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(round(v * 100) / 100);
}

static json_t *ratio(double v)
{
    return isnan(v) || isinf(v) ? json_null()
                                : json_real(round(v * 1000) / 1000);
}

static json_t *str(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *method_name(enum cmr_forecast_method m)
{
    return m == CMR_FORECAST_TRAILING ? "trailing"
           : m == CMR_FORECAST_TREND  ? "trend"
                                      : "montecarlo";
}

static json_t *forecast_json(const struct cmr_forecast *f,
                             const struct cmr_indicators *S)
{
    json_t *series = json_array();
    for (size_t i = 0; i < f->nseries; i++) {
        const struct cmr_forecast_year *y = &f->series[i];
        json_t *e = json_pack(
            "{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "year", y->year,
            "released_m2", num(y->released_m2), "cancelled_m2",
            num(y->cancelled_m2), "reduced_m2", num(y->reduced_m2),
            "cleared_m2", num(y->cleared_m2), "added_m2", num(y->added_m2),
            "net_m2", num(y->net_m2), "source", y->source);
        if (!isnan(y->ledger_released_m2) && !isnan(y->figures_released_m2)) {
            json_object_set_new(e, "ledger_released_m2",
                                num(y->ledger_released_m2));
            json_object_set_new(e, "figures_released_m2",
                                num(y->figures_released_m2));
            json_object_set_new(
                e, "difference_m2",
                num(y->ledger_released_m2 - y->figures_released_m2));
        } else if (!isnan(y->figures_released_m2) &&
                   strcmp(y->source, "ledger") == 0) {
            json_object_set_new(e, "figures_released_m2",
                                num(y->figures_released_m2));
        }
        json_array_append_new(series, e);
    }
    json_t *o = json_object();
    json_object_set_new(o, "country", json_string(f->country));
    json_object_set_new(o, "name", json_string(f->name));
    json_object_set_new(o, "as_of", json_string(f->as_of));
    json_object_set_new(o, "synthetic", json_boolean(f->synthetic));
    json_object_set_new(o, "remaining_m2", num(f->remaining_m2));
    json_object_set_new(o, "remaining_source", str(f->remaining_source));
    json_object_set_new(o, "method", json_string(method_name(f->method)));
    json_object_set_new(o, "window_years", json_integer(f->window_years));
    if (f->method == CMR_FORECAST_MONTECARLO) {
        json_object_set_new(o, "runs", json_integer(f->runs));
        json_object_set_new(o, "seed", json_integer((json_int_t)f->seed));
    }
    json_object_set_new(o, "capacity", json_real(f->capacity));
    json_object_set_new(o, "discovery_m2_per_year",
                        num(f->discovery_m2_per_year));
    json_object_set_new(o, "rate_m2_per_year", num(f->rate_m2_per_year));
    json_object_set_new(o, "mean_m2_per_year", num(f->mean_m2_per_year));
    json_object_set_new(o, "best_m2_per_year", num(f->best_m2_per_year));
    json_object_set_new(o, "clearance_m2_per_year",
                        num(f->clearance_m2_per_year));
    json_object_set_new(o, "net_m2_per_year", num(f->net_m2_per_year));
    json_object_set_new(o, "best_year",
                        f->best_year ? json_integer(f->best_year)
                                     : json_null());
    if (f->method == CMR_FORECAST_TREND)
        json_object_set_new(o, "trend_slope_m2_per_year", num(f->trend_slope));
    json_object_set_new(o, "deadline", str(f->deadline));
    json_object_set_new(o, "deadline_passed", json_boolean(f->deadline_passed));
    json_object_set_new(o, "deadline_extended_at",
                        str(f->deadline_extended_at));
    json_object_set_new(o, "requested", str(f->requested));
    json_object_set_new(o, "completion",
                        json_pack("{s:o, s:o, s:o}", "p10", str(f->p10), "p50",
                                  str(f->p50), "p90", str(f->p90)));
    json_object_set_new(o, "p_by_deadline", ratio(f->p_by_deadline));
    json_object_set_new(o, "p_by_requested", ratio(f->p_by_requested));
    json_object_set_new(o, "required_rate_m2_per_year",
                        num(f->required_m2_per_year));
    json_object_set_new(o, "required_vs_mean", ratio(f->required_vs_mean));
    json_object_set_new(o, "required_vs_best", ratio(f->required_vs_best));
    json_object_set_new(o, "series", series);
    if (S)
        json_object_set_new(o, "indicators",
                            cli_state_indicators_json(S, f->country));
    return o;
}

static void text_date(const char *d, char *buf, size_t n)
{
    snprintf(buf, n, "%s", d ? d : "never");
}

/* A published figure of one class alone (no total, nor both classes of
 * one year, was published): it understates the total, and the text table
 * marks it '^'. Only a figure shown carries the mark. */
static bool one_class(const struct cmr_forecast *f)
{
    return !isnan(f->remaining_m2) && f->remaining_source &&
           strstr(f->remaining_source, "figures:") &&
           !strstr(f->remaining_source, "remaining_total") &&
           !strchr(f->remaining_source, '+');
}

/* No completion to project (the remaining area unknown, or no rate):
 * '-' for the dates, not "never". */
static bool no_projection(const struct cmr_forecast *f)
{
    return isnan(f->remaining_m2) || isnan(f->rate_m2_per_year);
}

static void print_text(const struct cmr_forecasts *F,
                       const struct cmr_indicators *S,
                       const struct cmr_forecast_opts *o)
{
    size_t n = cmr_forecasts_count(F);
    if (!n) {
        printf("Nothing to forecast: no State in the store has data for "
               "the series (ledger: hazard records; figures: published "
               "figures; cmr import adds them).\n");
        return;
    }
    /* Each note is printed only where a row shows what it explains. */
    bool never_any = false, unknown_any = false;
    for (size_t i = 0; i < n; i++) {
        const struct cmr_forecast *f = cmr_forecasts_get(F, i);
        if (no_projection(f))
            unknown_any = true;
        else
            never_any |= !f->p10 || !f->p50 || !f->p90;
    }
    const struct cmr_forecast *f0 = cmr_forecasts_get(F, 0);
    printf("Projected completion as of %s: method %s, window %d years",
           f0->as_of, method_name(f0->method), f0->window_years);
    if (f0->method == CMR_FORECAST_MONTECARLO)
        printf(", %d runs, seed %llu", f0->runs, (unsigned long long)f0->seed);
    if (f0->capacity != 1)
        printf(", capacity x%.2f", f0->capacity);
    if (o->has_discovery) /* (as the burn-down's subtitle says it) */
        printf(", discovery %.3f km2 a year", o->discovery / 1e6);
    printf(".\nAreas in km2; rates in km2 a year.\n");
    if (never_any)
        printf("'never': no completion within 100 years at the pace shown.\n");
    if (unknown_any)
        printf("'-' for a date: no completion date, the remaining area being "
               "unknown or no\nrelease in the window (in the ledger, or "
               "published: the series used).\n");
    printf("\n");
    printf("%-4s %10s %8s %8s %11s %11s %11s %11s %6s %9s %6s %6s %11s %6s\n",
           "ISO3", "remaining", "rate", "added", "P10", "P50", "P90",
           "deadline", "P(dl)", "required", "xmean", "xbest", "requested",
           "P(rq)");
    bool synth = false, one_class_any = false, extended_any = false;
    for (size_t i = 0; i < n; i++) {
        const struct cmr_forecast *f = cmr_forecasts_get(F, i);
        char a[16], b[16], c[16], pd[16] = "-", pr[16] = "-", req[16] = "-",
                                  xm[16] = "-", xb[16] = "-";
        text_date(f->p10, a, sizeof a);
        text_date(f->p50, b, sizeof b);
        text_date(f->p90, c, sizeof c);
        if (!isnan(f->p_by_deadline))
            snprintf(pd, sizeof pd, "%.2f", f->p_by_deadline);
        if (!isnan(f->p_by_requested))
            snprintf(pr, sizeof pr, "%.2f", f->p_by_requested);
        if (f->deadline_passed)
            snprintf(req, sizeof req, "passed");
        else if (!isnan(f->required_m2_per_year))
            snprintf(req, sizeof req, "%.3f", f->required_m2_per_year / 1e6);
        if (!isnan(f->required_vs_mean) && !isinf(f->required_vs_mean))
            snprintf(xm, sizeof xm, "%.1f", f->required_vs_mean);
        if (!isnan(f->required_vs_best) && !isinf(f->required_vs_best))
            snprintf(xb, sizeof xb, "%.1f", f->required_vs_best);
        char rem[16] = "unknown";
        one_class_any |= one_class(f);
        if (!isnan(f->remaining_m2))
            snprintf(rem, sizeof rem, "%.3f%s", f->remaining_m2 / 1e6,
                     one_class(f) ? "^" : "");
        if (no_projection(f))
            /* no completion to project, not "never" */
            snprintf(a, sizeof a, "-"), snprintf(b, sizeof b, "-"),
                snprintf(c, sizeof c, "-");
        /* extended since, to a date not in the data: marked '+' */
        char dl[16] = "-";
        if (f->deadline)
            snprintf(dl, sizeof dl, "%s%s", f->deadline,
                     f->deadline_extended_at ? "+" : "");
        extended_any |= f->deadline && f->deadline_extended_at;
        /* (no figure published in the window: no rate) */
        char rate[16] = "-", added[16] = "-";
        if (!isnan(f->rate_m2_per_year))
            snprintf(rate, sizeof rate, "%.3f", f->rate_m2_per_year / 1e6);
        if (!isnan(f->discovery_m2_per_year))
            snprintf(added, sizeof added, "%.3f",
                     f->discovery_m2_per_year / 1e6);
        printf("%-4s %10s %8s %8s %11s %11s %11s %11s %6s %9s %6s %6s "
               "%11s %6s%s\n",
               f->country, rem, rate, added, a, b, c, dl, pd, req, xm, xb,
               f->requested ? f->requested : "-", pr, f->synthetic ? " *" : "");
        synth |= f->synthetic;
    }
    if (synth)
        printf("\n* SYNTHETIC DATA: the series comes from generated polygons "
               "(cmr synth).\n");
    if (extended_any) {
        printf("\n+ extended since, to a date the deadlines data does not "
               "give:");
        for (size_t i = 0; i < n; i++) {
            const struct cmr_forecast *f = cmr_forecasts_get(F, i);
            if (f->deadline && f->deadline_extended_at)
                printf(" %s (granted at %s)", f->country,
                       f->deadline_extended_at);
        }
        printf(";\n  nothing is measured against the deadline shown.\n");
    }
    if (one_class_any)
        printf("\n^ a published figure of one class alone (SHA or CHA), "
               "later than any total:\n  the other class is left out; the "
               "JSON form's remaining_source names it.\n");
    printf("\nClearance alone and the net change (release less additions), "
           "means over the window,\nkm2 a year ('-': no figure by method):\n");
    for (size_t i = 0; i < n; i++) {
        const struct cmr_forecast *f = cmr_forecasts_get(F, i);
        char cl[16] = "-", net[16] = "-";
        if (!isnan(f->clearance_m2_per_year))
            snprintf(cl, sizeof cl, "%.3f", f->clearance_m2_per_year / 1e6);
        if (!isnan(f->net_m2_per_year))
            snprintf(net, sizeof net, "%.3f", f->net_m2_per_year / 1e6);
        printf("  %-4s cleared %9s   net %9s\n", f->country, cl, net);
    }
    printf("\nrate: mean release of the window (trend: the fitted rate of "
           "the as-of year);\nadded: expected new contamination a year; "
           "required: the rate that meets the\ndeadline, as a multiple of the "
           "mean and of the best year achieved.\n");
    if (S) {
        printf("\nLAP indicators (%s) each State counts in:\n",
               cmr_indicators_cycle(S));
        for (size_t i = 0; i < n; i++) {
            char line[512];
            const char *iso3 = cmr_forecasts_get(F, i)->country;
            cli_state_indicators_text(S, iso3, line, sizeof line);
            printf("  %s  %s\n", iso3, line);
        }
    }
}

static void print_csv(const struct cmr_forecasts *F)
{
    printf("country,as_of,method,window_years,remaining_m2,rate_m2_per_year,"
           "discovery_m2_per_year,p10,p50,p90,deadline,p_by_deadline,"
           "required_rate_m2_per_year,required_vs_mean,required_vs_best,"
           "requested,p_by_requested,synthetic,clearance_m2_per_year,"
           "net_m2_per_year\n");
    for (size_t i = 0; i < cmr_forecasts_count(F); i++) {
        const struct cmr_forecast *f = cmr_forecasts_get(F, i);
        printf("%s,%s,%s,%d,", f->country, f->as_of, method_name(f->method),
               f->window_years);
        double v[] = {f->remaining_m2, f->rate_m2_per_year,
                      f->discovery_m2_per_year};
        for (int k = 0; k < 3; k++)
            if (!isnan(v[k]))
                printf("%.2f,", v[k]);
            else
                printf(",");
        printf("%s,%s,%s,%s,", f->p10 ? f->p10 : "", f->p50 ? f->p50 : "",
               f->p90 ? f->p90 : "", f->deadline ? f->deadline : "");
        if (!isnan(f->p_by_deadline))
            printf("%.3f", f->p_by_deadline);
        printf(",");
        if (!isnan(f->required_m2_per_year))
            printf("%.2f", f->required_m2_per_year);
        printf(",");
        if (!isnan(f->required_vs_mean) && !isinf(f->required_vs_mean))
            printf("%.3f", f->required_vs_mean);
        printf(",");
        if (!isnan(f->required_vs_best) && !isinf(f->required_vs_best))
            printf("%.3f", f->required_vs_best);
        printf(",%s,", f->requested ? f->requested : "");
        if (!isnan(f->p_by_requested))
            printf("%.3f", f->p_by_requested);
        printf(",%d,", f->synthetic);
        if (!isnan(f->clearance_m2_per_year))
            printf("%.2f", f->clearance_m2_per_year);
        printf(",");
        if (!isnan(f->net_m2_per_year))
            printf("%.2f", f->net_m2_per_year);
        printf("\n");
    }
}

int cmd_forecast(struct cmr_ctx *ctx, int argc, char **argv)
{
    enum { O_AT = 256, O_JOBS };
    static const struct option longopts[] = {
        {"country", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},
        {"at", required_argument, NULL, O_AT},
        {"jobs", required_argument, NULL, O_JOBS},
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
            int code = cli_opt_at("forecast", usage, optarg, &o.at);
            if (code >= 0)
                return code;
            break;
        }
        case 'f':
            if (!out_parse_format(optarg, &fmt))
                return cli_usage("forecast", usage, "unknown format '%s'",
                                 optarg);
            break;
        case O_JOBS:
            if (!cli_parse_jobs(optarg, &o.jobs))
                return cli_usage("forecast", usage, "--jobs %s: 1 to 256",
                                 optarg);
            break;
        case 'h':
            printf("usage: %s\n\n%s%s", usage, help, cli_forecast_help);
            return EXIT_OK;
        default:
            switch (cli_forecast_option(c, optarg, &o, err, sizeof err)) {
            case 1: break;
            case -1: return cli_usage("forecast", usage, "%s", err);
            default:
                return cli_usage("forecast", usage, "%s", cli_bad_option(argv));
            }
        }
    }
    if (optind + 1 != argc)
        return cli_usage("forecast", usage, "expected one store path");
    struct cmr_store *store = NULL;
    struct cmr_forecasts *F = NULL;
    enum cmr_status st =
        cmr_store_open(ctx, argv[optind], CMR_STORE_READ, &store);
    if (!st)
        st = cmr_forecast_compute(ctx, store, &o, &F);
    cli_progress_end();
    if (st) {
        cmr_store_close(store);
        return st == CMR_EINVAL
                   ? cli_usage("forecast", usage, "%s", cmr_ctx_errmsg(ctx))
                   : cli_fail(ctx, "forecast", st);
    }
    struct cmr_indicators *S = NULL;
    if (fmt != OUT_CSV) {
        struct cmr_indicator_opts io = {.jobs = o.jobs};
        if (cmr_indicators_compute(ctx, store, &io, &S) != CMR_OK)
            S = NULL;
    }
    if (fmt == OUT_TEXT) {
        print_text(F, S, &o);
    } else if (fmt == OUT_CSV) {
        print_csv(F);
    } else {
        json_t *out;
        if (o.country && cmr_forecasts_count(F) == 1) {
            out = forecast_json(cmr_forecasts_get(F, 0), S);
        } else {
            out = json_array();
            for (size_t i = 0; i < cmr_forecasts_count(F); i++)
                json_array_append_new(
                    out, forecast_json(cmr_forecasts_get(F, i), S));
        }
        out_json(out);
    }
    cmr_indicators_free(S);
    cmr_forecasts_free(F);
    cmr_store_close(store);
    return EXIT_OK;
}
