/* SPDX-License-Identifier: MIT */
/* cmr status: the ledger of each State at a date (remaining area, baseline,
 * added, released by method, SHA/CHA), with breakdowns by province and
 * year. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include <jansson.h>

#include "cli.h"

static const char usage[] =
    "cmr status DB [--country ISO3] [--at YYYY-MM-DD] [--format "
    "text|csv|json]\n"
    "       [--by province|year]... [--precedence intensity|earliest] "
    "[--jobs N]";

static const char help[] =
    "Computes, per State, the land-release ledger from the polygons in the "
    "store:\nremaining area (split SHA/CHA), the baseline at entry into "
    "force, area added\nsince, and area cancelled, reduced and cleared, each "
    "square metre counted once\n(again only where it was found contaminated "
    "again after release or closure)\non the WGS84 ellipsoid. Areas are in "
    "km2 in the text form, m2 in CSV and JSON.\n\n"
    "  --country ISO3   one State\n"
    "  --at DATE        as-of date (default: 31 December of the last year "
    "with a release;\n"
    "                   with none, of the last a hazard was recorded or "
    "closed)\n"
    "  --format F       text (default), csv or json\n"
    "  --by province    add remaining area by province (text form)\n"
    "  --by year        add added and released area by year (text form)\n"
    "  --precedence R   where releases of different methods overlap: "
    "intensity\n"
    "                   (cleared over reduced over cancelled, default) or "
    "earliest\n"
    "  --jobs N         worker threads (default: the cores)\n\n"
    "With CMR_TIMING set in the environment, the ledger's own wall time is\n"
    "printed on stderr.\n";

static json_t *state_json(const struct cmr_ledger *L,
                          const struct cmr_ledger_state *s,
                          const struct cmr_indicators *S)
{
    const char *as_of = cmr_ledger_as_of(L);
    json_t *years = json_array(), *provs = json_array();
    for (size_t i = 0; i < s->nyears; i++) {
        const struct cmr_ledger_year *y = &s->by_year[i];
        json_array_append_new(
            years,
            json_pack("{s:i, s:f, s:f, s:f, s:f, s:f, s:o}", "year", y->year,
                      "added_m2", y->added_m2, "cancelled_m2", y->cancelled_m2,
                      "reduced_m2", y->reduced_m2, "cleared_m2", y->cleared_m2,
                      "closed_without_release_m2", y->closed_without_release_m2,
                      "submunitions",
                      y->has_submunitions
                          ? json_integer((json_int_t)y->submunitions)
                          : json_null()));
    }
    for (size_t i = 0; i < s->nprovinces; i++) {
        const struct cmr_ledger_province *p = &s->by_province[i];
        json_array_append_new(
            provs, json_pack("{s:o, s:s, s:f, s:f, s:f}", "code",
                             p->code ? json_string(p->code) : json_null(),
                             "name", p->name ? p->name : "outside provinces",
                             "remaining_m2", p->remaining_m2, "sha_m2",
                             p->sha_m2, "cha_m2", p->cha_m2));
    }
    json_t *o = json_object();
    json_object_set_new(o, "country", json_string(s->country));
    json_object_set_new(o, "name", json_string(s->name));
    json_object_set_new(o, "as_of", json_string(as_of));
    json_object_set_new(
        o, "precedence",
        json_string(cmr_precedence_name(cmr_ledger_precedence(L))));
    json_object_set_new(o, "entry_into_force",
                        json_string(s->entry_into_force));
    json_object_set_new(o, "synthetic", json_boolean(s->synthetic));
    json_object_set_new(o, "hazards", json_integer((json_int_t)s->hazards));
    json_object_set_new(o, "releases", json_integer((json_int_t)s->releases));
    json_object_set_new(o, "remaining_m2", json_real(s->remaining_m2));
    json_object_set_new(o, "sha_m2", json_real(s->sha_m2));
    json_object_set_new(o, "cha_m2", json_real(s->cha_m2));
    json_object_set_new(o, "baseline_m2", json_real(s->baseline_m2));
    json_object_set_new(o, "added_m2", json_real(s->added_m2));
    json_object_set_new(o, "added_again_m2", json_real(s->added_again_m2));
    json_object_set_new(o, "cancelled_m2", json_real(s->cancelled_m2));
    json_object_set_new(o, "reduced_m2", json_real(s->reduced_m2));
    json_object_set_new(o, "cleared_m2", json_real(s->cleared_m2));
    json_object_set_new(o, "closed_without_release_m2",
                        json_real(s->closed_without_release_m2));
    json_object_set_new(o, "released_before_eif_m2",
                        json_real(s->released_before_eif_m2));
    json_object_set_new(o, "closed_before_eif_m2",
                        json_real(s->closed_before_eif_m2));
    json_object_set_new(o, "other_contamination_m2",
                        json_real(s->other_contamination_m2));
    json_object_set_new(o, "submunitions",
                        s->has_submunitions
                            ? json_integer((json_int_t)s->submunitions)
                            : json_null());
    json_object_set_new(o, "by_year", years);
    json_object_set_new(o, "by_province", provs);
    if (S)
        json_object_set_new(o, "indicators",
                            cli_state_indicators_json(S, s->country));
    return o;
}

static double km2(double m2)
{
    return m2 / 1e6;
}

static void print_text(const struct cmr_ledger *L, bool by_prov, bool by_year,
                       const struct cmr_indicators *S)
{
    size_t n = cmr_ledger_count(L);
    bool synth = false;
    printf("Land contaminated by cluster munition remnants, as of %s.\n"
           "Areas in km2 on the WGS84 ellipsoid, each square metre counted "
           "once (again only where\nit was found contaminated again after "
           "release or closure); where releases of\ndifferent methods "
           "overlap, %s (--precedence %s).\n\n",
           cmr_ledger_as_of(L),
           cmr_ledger_precedence(L) == CMR_PRECEDENCE_EARLIEST
               ? "the earliest release counts"
               : "the most intensive method counts",
           cmr_precedence_name(cmr_ledger_precedence(L)));
    printf("%-4s %-12s %7s %8s %10s %10s %10s %10s %10s %10s %10s %10s "
           "%12s\n",
           "ISO3", "State", "hazards", "releases", "remaining", "SHA", "CHA",
           "baseline", "added", "cancelled", "reduced", "cleared",
           "submunitions");
    for (size_t i = 0; i < n; i++) {
        const struct cmr_ledger_state *s = cmr_ledger_state(L, i);
        char sub[32] = "-";
        if (s->has_submunitions)
            snprintf(sub, sizeof sub, "%lld", (long long)s->submunitions);
        printf("%-4s %-12.12s %7lld %8lld %10.3f %10.3f %10.3f %10.3f %10.3f "
               "%10.3f %10.3f %10.3f %12s%s\n",
               s->country, s->name, (long long)s->hazards,
               (long long)s->releases, km2(s->remaining_m2), km2(s->sha_m2),
               km2(s->cha_m2), km2(s->baseline_m2), km2(s->added_m2),
               km2(s->cancelled_m2), km2(s->reduced_m2), km2(s->cleared_m2),
               sub, s->synthetic ? " *" : "");
        synth |= s->synthetic;
    }
    if (synth)
        printf("\n* SYNTHETIC DATA: computed from generated polygons "
               "(cmr synth), not from a\n  national database.\n");
    for (size_t i = 0; i < n; i++) {
        const struct cmr_ledger_state *s = cmr_ledger_state(L, i);
        if (s->closed_without_release_m2 > 0 || s->other_contamination_m2 > 0)
            printf("%s: %.3f km2 closed without release, %.3f km2 of other "
                   "contamination (reported apart)\n",
                   s->country, km2(s->closed_without_release_m2),
                   km2(s->other_contamination_m2));
        /* the baseline's date: entry into force, or the as-of date if
         * that is earlier */
        bool early = strcmp(cmr_ledger_as_of(L), s->entry_into_force) < 0;
        const char *base = early ? cmr_ledger_as_of(L) : s->entry_into_force;
        if (early)
            printf("%s: as of a date before entry into force (%s): the "
                   "baseline is the land contaminated at that date\n",
                   s->country, s->entry_into_force);
        if (!s->hazards && !s->releases)
            printf("%s: no records by this date (the zeros are not a "
                   "finding that it has finished)\n",
                   s->country);
        if (s->closed_before_eif_m2 > 0)
            printf("%s: %.3f km2 under hazards closed without release "
                   "before %s: not in the\n  baseline\n",
                   s->country, km2(s->closed_before_eif_m2), base);
        if (s->added_again_m2 > 0)
            printf("%s: %.3f km2 of the added land had been released or "
                   "closed without release\n  before, and was found again\n",
                   s->country, km2(s->added_again_m2));
        if (s->released_before_eif_m2 > 0)
            printf("%s: %.3f km2 released on or before %s: in neither the "
                   "baseline nor the\n  release since then\n",
                   s->country, km2(s->released_before_eif_m2), base);
    }
    if (n == 0)
        printf("No State has records by this date.\n");
    if (S && n > 0) {
        printf("\nLAP indicators (%s) each State counts in (cmr indicators "
               "explains them):\n",
               cmr_indicators_cycle(S));
        for (size_t i = 0; i < n; i++) {
            char line[512];
            cli_state_indicators_text(S, cmr_ledger_state(L, i)->country, line,
                                      sizeof line);
            printf("  %s  %s\n", cmr_ledger_state(L, i)->country, line);
        }
    }
    for (size_t i = 0; by_prov && i < n; i++) {
        const struct cmr_ledger_state *s = cmr_ledger_state(L, i);
        printf("\n%s %s: remaining area by province%s\n", s->country, s->name,
               s->synthetic ? " (SYNTHETIC DATA)" : "");
        printf("  %-8s %-28s %10s %10s %10s\n", "code", "province", "remaining",
               "SHA", "CHA");
        for (size_t k = 0; k < s->nprovinces; k++) {
            const struct cmr_ledger_province *p = &s->by_province[k];
            printf("  %-8s %-28.28s %10.3f %10.3f %10.3f\n",
                   p->code ? p->code : "-",
                   p->name ? p->name : "outside provinces",
                   km2(p->remaining_m2), km2(p->sha_m2), km2(p->cha_m2));
        }
        if (!s->nprovinces)
            printf("  (no remaining area)\n");
    }
    for (size_t i = 0; by_year && i < n; i++) {
        const struct cmr_ledger_state *s = cmr_ledger_state(L, i);
        printf("\n%s %s: by year%s\n", s->country, s->name,
               s->synthetic ? " (SYNTHETIC DATA)" : "");
        printf("  %4s %10s %10s %10s %10s %10s %12s\n", "year", "added",
               "cancelled", "reduced", "cleared", "closed", "submunitions");
        int eif_year = atoi(s->entry_into_force);
        for (size_t k = 0; k < s->nyears; k++) {
            const struct cmr_ledger_year *y = &s->by_year[k];
            char sub[32] = "-";
            if (y->has_submunitions)
                snprintf(sub, sizeof sub, "%lld", (long long)y->submunitions);
            printf("  %4d %10.3f %10.3f %10.3f %10.3f %10.3f %12s%s\n", y->year,
                   km2(y->added_m2), km2(y->cancelled_m2), km2(y->reduced_m2),
                   km2(y->cleared_m2), km2(y->closed_without_release_m2), sub,
                   y->year < eif_year    ? "  (before EIF)"
                   : y->year == eif_year ? "  (year of EIF)"
                                         : "");
        }
    }
}

static void print_csv(const struct cmr_ledger *L)
{
    printf("country,name,as_of,synthetic,hazards,releases,remaining_m2,sha_m2,"
           "cha_m2,baseline_m2,added_m2,cancelled_m2,reduced_m2,cleared_m2,"
           "closed_without_release_m2,other_contamination_m2,submunitions,"
           "released_before_eif_m2,closed_before_eif_m2,added_again_m2,"
           "precedence\n");
    for (size_t i = 0; i < cmr_ledger_count(L); i++) {
        const struct cmr_ledger_state *s = cmr_ledger_state(L, i);
        printf("%s,", s->country);
        out_csv_field(stdout, s->name);
        printf(",%s,%d,%lld,%lld,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,"
               "%.2f,",
               cmr_ledger_as_of(L), s->synthetic, (long long)s->hazards,
               (long long)s->releases, s->remaining_m2, s->sha_m2, s->cha_m2,
               s->baseline_m2, s->added_m2, s->cancelled_m2, s->reduced_m2,
               s->cleared_m2, s->closed_without_release_m2,
               s->other_contamination_m2);
        if (s->has_submunitions)
            printf("%lld", (long long)s->submunitions);
        printf(",%.2f,%.2f,%.2f,%s\n", s->released_before_eif_m2,
               s->closed_before_eif_m2, s->added_again_m2,
               cmr_precedence_name(cmr_ledger_precedence(L)));
    }
}

/* The LAP model, read once, on a thread of its own while the store opens
 * (README, Benchmarks): the ledger at its cycle's date is computed with
 * this one (cmr_ledger_opts.also_at) and the indicators are filled from
 * it; without the model's data they are left out. */
struct model {
    struct cmr_indicators *S;
    char at[11]; /* the cycle's ledger date */
};

static int model_load(void *arg)
{
    struct model *m = arg;
    struct cmr_ctx *ctx = NULL; /* (its errors only leave the model out) */
    if (cmr_ctx_new(&ctx) != CMR_OK)
        return 0;
    cmr_ctx_set_log(ctx, cli_log, NULL); /* (GDAL's warnings, as before) */
    if (cmr_indicators_load(ctx, NULL, &m->S) == CMR_OK)
        cmr_indicators_ledger_date_of(m->S, m->at);
    cmr_ctx_free(ctx);
    return 0;
}

int cmd_status(struct cmr_ctx *ctx, int argc, char **argv)
{
    enum { O_AT = 256, O_BY, O_PREC, O_JOBS };
    static const struct option longopts[] = {
        {"country", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},
        {"at", required_argument, NULL, O_AT},
        {"by", required_argument, NULL, O_BY},
        {"precedence", required_argument, NULL, O_PREC},
        {"jobs", required_argument, NULL, O_JOBS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct cmr_ledger_opts lo = {0};
    enum out_format fmt = OUT_TEXT;
    bool by_prov = false, by_year = false;
    int c;
    while ((c = getopt_long(argc, argv, "c:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': lo.country = cli_country(optarg); break;
        case O_AT: {
            int code = cli_opt_at("status", usage, optarg, &lo.at);
            if (code >= 0)
                return code;
            break;
        }
        case 'f':
            if (!out_parse_format(optarg, &fmt))
                return cli_usage("status", usage, "unknown format '%s'",
                                 optarg);
            break;
        case O_BY:
            if (strcmp(optarg, "province") == 0)
                by_prov = true;
            else if (strcmp(optarg, "year") == 0)
                by_year = true;
            else
                return cli_usage("status", usage, "--by %s: province or year",
                                 optarg);
            break;
        case O_PREC:
            if (!cli_parse_precedence(optarg, &lo.precedence))
                return cli_usage("status", usage,
                                 "--precedence %s: intensity or earliest",
                                 optarg);
            break;
        case O_JOBS:
            if (!cli_parse_jobs(optarg, &lo.jobs))
                return cli_usage("status", usage, "--jobs %s: 1 to 256",
                                 optarg);
            break;
        case 'h': printf("usage: %s\n\n%s", usage, help); return EXIT_OK;
        default: return cli_usage("status", usage, "%s", cli_bad_option(argv));
        }
    }
    if (optind + 1 != argc)
        return cli_usage("status", usage, "expected one store path");
    struct cmr_store *store = NULL;
    struct cmr_ledger *L = NULL;
    /* The indicators each State counts in come from the ledger at the
     * cycle's date: computed with this one, over the same overlay (or this
     * one, when the dates are the same). Without the model's data, they
     * are left out. */
    struct cmr_ledger *LC = NULL;
    struct model m = {0};
    thrd_t th;
    bool threaded = false;
    if (fmt != OUT_CSV &&
        !(threaded = thrd_create(&th, model_load, &m) == thrd_success))
        (void)model_load(&m);
    int rc = cli_open_store(ctx, "status", usage, argv[optind], &store);
    if (threaded)
        thrd_join(th, NULL);
    struct cmr_indicators *S = m.S;
    if (rc >= 0) {
        cmr_indicators_free(S);
        return rc;
    }
    if (S) {
        lo.also_at = m.at;
        lo.also = &LC;
    }
    lo.no_findings = true; /* (cmr check shows them) */
    rc = cli_compute(ctx, "status", usage, &lo, &store, &L);
    if (rc >= 0) {
        cmr_indicators_free(S);
        return rc;
    }
    if (S) {
        struct cmr_indicator_opts io = {.ledger = LC ? LC : L, .jobs = lo.jobs};
        if (cmr_indicators_fill(ctx, store, &io, S) != CMR_OK) {
            cmr_indicators_free(S);
            S = NULL;
        }
    }
    if (fmt != OUT_TEXT && (by_prov || by_year))
        fprintf(stderr,
                "cmr: status: note: --by adds tables to the text "
                "form only; %s\n",
                fmt == OUT_JSON ? "the JSON form always has by_year and "
                                  "by_province"
                                : "the CSV form has one row per State (use "
                                  "--format json for the breakdowns)");
    if (fmt == OUT_TEXT) {
        print_text(L, by_prov, by_year, S);
    } else if (fmt == OUT_CSV) {
        print_csv(L);
    } else {
        json_t *out;
        if (lo.country) {
            out = state_json(L, cmr_ledger_state(L, 0), S);
        } else {
            out = json_array();
            for (size_t i = 0; i < cmr_ledger_count(L); i++)
                json_array_append_new(out,
                                      state_json(L, cmr_ledger_state(L, i), S));
        }
        out_json(out);
    }
    cmr_indicators_free(S);
    cmr_ledger_free(LC);
    cmr_ledger_free(L);
    cmr_store_close(store);
    return EXIT_OK;
}
