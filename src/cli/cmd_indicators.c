/* SPDX-License-Identifier: MIT */
/* cmr indicators: the LAP indicators, reported and computed. */
#include <getopt.h>
#include <math.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static const char usage[] =
    "cmr indicators DB [--cycle 10MSP|11MSP|12MSP|13MSP] [--pillar NAME] "
    "[--format text|csv|json]";

static const char help[] =
    "Lists every indicator of the Lausanne Action Plan as the Progress Report "
    "prints\nit for each cycle, with the States the report names, beside the "
    "value the\nstore's data supports where the data can decide it "
    "(indicators 18b, 20, 21b,\n24, 25), its States and rule, and a mismatch "
    "flag.\n\npillars: guiding-principles, gender, universalization, "
    "stockpile-destruction,\nsurvey-clearance, risk-education, "
    "victim-assistance, cooperation-assistance,\ntransparency, "
    "national-implementation, compliance\n";

static json_t *value_json(const struct cmr_lap_value *v)
{
    if (v->kind == 0)
        return json_null();
    if (v->kind == 1)
        return json_integer((json_int_t)v->v[0]);
    return json_pack("[I, I]", (json_int_t)v->v[0], (json_int_t)v->v[1]);
}

static json_t *list_json(const char *const *l, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(l[i]));
    return a;
}

static void join(char *buf, size_t n, const char *const *l, size_t k)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < k && used + 8 < n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? " " : "", l[i]);
        if (w > 0)
            used += (size_t)w;
    }
}

int cmd_indicators(struct cmr_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"cycle", required_argument, NULL, 'y'},
        {"pillar", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct cmr_indicator_opts o = {0};
    enum out_format fmt = OUT_TEXT;
    int c;
    while ((c = getopt_long(argc, argv, "y:p:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'y': o.cycle = optarg; break;
        case 'p': o.pillar = optarg; break;
        case 'f':
            if (!out_parse_format(optarg, &fmt))
                return cli_usage("indicators", usage, "unknown format '%s'",
                                 optarg);
            break;
        case 'h': printf("usage: %s\n\n%s", usage, help); return EXIT_OK;
        default:
            return cli_usage("indicators", usage, "%s", cli_bad_option(argv));
        }
    }
    if (optind + 1 != argc)
        return cli_usage("indicators", usage, "expected one store path");
    struct cmr_store *store = NULL;
    struct cmr_indicators *S = NULL;
    enum cmr_status st =
        cmr_store_open(ctx, argv[optind], CMR_STORE_READ, &store);
    if (!st)
        st = cmr_indicators_compute(ctx, store, &o, &S);
    cli_progress_end();
    if (st) {
        cmr_store_close(store);
        return st == CMR_EINVAL
                   ? cli_usage("indicators", usage, "%s", cmr_ctx_errmsg(ctx))
                   : cli_fail(ctx, "indicators", st);
    }
    const char *cyc = cmr_indicators_cycle(S), *start, *end;
    cmr_indicators_period(S, &start, &end);
    size_t n = cmr_indicators_count(S);
    if (fmt == OUT_TEXT) {
        printf("LAP indicators, %s cycle (%s to %s): values as printed in the "
               "Progress Report,\nbeside the value computed from the store "
               "where the data can decide it.\n\n",
               cyc, start, end);
        printf("%-5s %-22s %14s %14s %14s %14s %8s %s\n", "id", "pillar",
               "10MSP", "11MSP", "12MSP", "13MSP", "computed", "");
        bool synth = false;
        for (size_t i = 0; i < n; i++) {
            const struct cmr_indicator *x = cmr_indicators_get(S, i);
            char comp[16] = "-";
            if (x->computed)
                snprintf(comp, sizeof comp, "%.0f%s", x->computed_value,
                         x->synthetic ? "*" : "");
            synth |= x->computed && x->synthetic;
            printf("%-5s %-22.22s %14s %14s %14s %14s %8s %s\n", x->id,
                   x->pillar, x->values[0].printed, x->values[1].printed,
                   x->values[2].printed, x->values[3].printed, comp,
                   x->mismatch ? "MISMATCH" : "");
        }
        if (synth)
            printf("\n* SYNTHETIC DATA: computed from generated records "
                   "(cmr synth), not a State's data; a "
                   "MISMATCH there says nothing about the report\n");
        printf("\nComputed indicators (%s):\n", cyc);
        for (size_t i = 0; i < n; i++) {
            const struct cmr_indicator *x = cmr_indicators_get(S, i);
            if (!x->computed)
                continue;
            char a[512], b[512];
            join(a, sizeof a, x->states, x->nstates);
            join(b, sizeof b, x->reported_states, x->nreported);
            printf("  %s  %s\n      computed %.0f%s: %s\n      reported: "
                   "%s\n      rule: %s\n",
                   x->id, x->indicator, x->computed_value,
                   x->synthetic ? " (SYNTHETIC DATA)" : "", a[0] ? a : "-",
                   b[0] ? b : "(States not named)", x->rule);
            if (x->detail)
                printf("      %s\n", x->detail);
        }
    } else if (fmt == OUT_CSV) {
        printf("id,pillar,action,printed_10msp,printed_11msp,printed_12msp,"
               "printed_13msp,reported_states,computed,states,mismatch,"
               "synthetic\n");
        for (size_t i = 0; i < n; i++) {
            const struct cmr_indicator *x = cmr_indicators_get(S, i);
            printf("%s,%s,%d", x->id, x->pillar, x->action);
            for (int k = 0; k < CMR_LAP_CYCLES; k++) {
                printf(",");
                out_csv_field(stdout, x->values[k].printed);
            }
            char a[1024], b[1024];
            join(a, sizeof a, x->reported_states, x->nreported);
            join(b, sizeof b, x->states, x->nstates);
            printf(",%s,", a);
            if (x->computed)
                printf("%.0f", x->computed_value);
            printf(",%s,%d,%d\n", b, x->mismatch, x->computed && x->synthetic);
        }
    } else {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            const struct cmr_indicator *x = cmr_indicators_get(S, i);
            json_t *rep = json_object(), *pr = json_object();
            for (int k = 0; k < CMR_LAP_CYCLES; k++) {
                json_object_set_new(rep, cmr_lap_cycle_name(k),
                                    value_json(&x->values[k]));
                json_object_set_new(pr, cmr_lap_cycle_name(k),
                                    json_string(x->values[k].printed));
            }
            json_t *o2 = json_object();
            json_object_set_new(o2, "id", json_string(x->id));
            json_object_set_new(o2, "pillar", json_string(x->pillar));
            json_object_set_new(o2, "action", json_integer(x->action));
            json_object_set_new(o2, "indicator", json_string(x->indicator));
            json_object_set_new(o2, "reported", rep);
            json_object_set_new(o2, "printed", pr);
            json_object_set_new(o2, "reported_states",
                                list_json(x->reported_states, x->nreported));
            json_object_set_new(
                o2, "computed",
                x->computed ? json_integer((json_int_t)x->computed_value)
                            : json_null());
            json_object_set_new(o2, "states", list_json(x->states, x->nstates));
            json_object_set_new(o2, "rule",
                                x->rule ? json_string(x->rule) : json_null());
            json_object_set_new(o2, "mismatch", json_boolean(x->mismatch));
            json_object_set_new(o2, "synthetic",
                                json_boolean(x->computed && x->synthetic));
            if (x->detail)
                json_object_set_new(o2, "detail", json_string(x->detail));
            json_t *notes = json_object();
            for (int k = 0; k < CMR_LAP_CYCLES; k++)
                if (x->values[k].note)
                    json_object_set_new(notes, cmr_lap_cycle_name(k),
                                        json_string(x->values[k].note));
            if (json_object_size(notes))
                json_object_set_new(o2, "notes", notes);
            else
                json_decref(notes);
            if (x->footnote)
                json_object_set_new(o2, "footnote", json_string(x->footnote));
            json_array_append_new(arr, o2);
        }
        out_json(arr);
    }
    cmr_indicators_free(S);
    cmr_store_close(store);
    return EXIT_OK;
}
