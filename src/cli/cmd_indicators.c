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

/* Prints s right-aligned in width columns: a character is one column,
 * whatever its bytes in UTF-8 ("01²", whose "²" is two). */
static void pad_left(const char *s, int width)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        cols += (*p & 0xC0) != 0x80;
    for (int i = cols; i < width; i++)
        putchar(' ');
    fputs(s, stdout);
}

/* The computed value as the table shows it: "5"; "1 of 3" where only 3
 * of the store's States have data that decide it; "-" where none has
 * (unknown) or cmr does not compute it. */
static void computed_text(const struct cmr_indicator *x, char *buf, size_t n)
{
    if (!x->computed)
        snprintf(buf, n, "-");
    else if (x->ncovered < x->nscope)
        snprintf(buf, n, "%.0f of %zu", x->computed_value, x->ncovered);
    else
        snprintf(buf, n, "%.0f", x->computed_value);
}

static void print_text(const struct cmr_indicators *S, const char *cyc,
                       const char *start, const char *end)
{
    size_t n = cmr_indicators_count(S);
    printf("LAP indicators, %s cycle (%s to %s): values as printed in the "
           "Progress Report,\nbeside the value computed from the store "
           "where the data can decide it.\n\n",
           cyc, start, end);
    /* The pillar whole, as --pillar takes it back. */
    int pw = 6;
    for (size_t i = 0; i < n; i++) {
        int w = (int)strlen(cmr_indicators_get(S, i)->pillar);
        pw = w > pw ? w : pw;
    }
    printf("%-5s %-*s %14s %14s %14s %14s %8s\n", "id", pw, "pillar", "10MSP",
           "11MSP", "12MSP", "13MSP", "computed");
    bool synth = false, partial = false, mismatch = false, unknown = false;
    for (size_t i = 0; i < n; i++) {
        const struct cmr_indicator *x = cmr_indicators_get(S, i);
        char comp[32];
        computed_text(x, comp, sizeof comp);
        synth |= x->computed && x->synthetic;
        partial |= x->computed && x->ncovered < x->nscope;
        mismatch |= x->mismatch;
        unknown |= x->undecided;
        printf("%-5s %-*s", x->id, pw, x->pillar);
        /* (a printed cell as printed, its footnote marks and all) */
        for (int k = 0; k < CMR_LAP_CYCLES; k++) {
            putchar(' ');
            pad_left(x->values[k].printed, 14);
        }
        printf(" %8s", comp);
        /* flags in words: a mark such as '*' is the report's own */
        if (x->mismatch)
            printf(" MISMATCH");
        if (x->computed && x->synthetic)
            printf(" SYNTHETIC");
        printf("\n");
    }
    if (partial || mismatch || synth || unknown)
        printf("\n");
    if (unknown)
        printf("- (computed): not computed, or unknown where no State's data "
               "in the store can\n  decide it (below: why).\n");
    if (partial)
        printf("N of M: N States count, of the M whose data in the store "
               "decide the indicator;\n  the report counts every affected "
               "State Party, so N is a floor.\n");
    if (mismatch)
        printf("MISMATCH: the computed value contradicts the reported "
               "one%s\n",
               partial ? " (with N of M, the\n  reported count is below N "
                         "or above N plus the States left out, or,\n  where "
                         "the report names its States, one decided here is "
                         "counted on one side\n  only)."
                       : ".");
    if (synth)
        printf("SYNTHETIC: computed from generated records (cmr synth), not "
               "a State's data; a\n  MISMATCH there says nothing about the "
               "report.\n");
    printf("\nComputed indicators (%s):\n", cyc);
    for (size_t i = 0; i < n; i++) {
        const struct cmr_indicator *x = cmr_indicators_get(S, i);
        if (!x->rule)
            continue;
        char a[512], b[512];
        join(a, sizeof a, x->states, x->nstates);
        join(b, sizeof b, x->reported_states, x->nreported);
        printf("  %s  %s\n", x->id, x->indicator);
        if (x->computed) {
            char comp[32];
            computed_text(x, comp, sizeof comp);
            printf("      computed %s%s: %s\n", comp,
                   x->synthetic ? " (SYNTHETIC DATA)" : "", a[0] ? a : "-");
        } else {
            printf("      computed: unknown\n");
        }
        printf("      reported: %s\n      rule: %s\n",
               b[0] ? b : "(States not named)", x->rule);
        if (x->detail)
            printf("      %s\n", x->detail);
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
        print_text(S, cyc, start, end);
    } else if (fmt == OUT_CSV) {
        printf("id,pillar,action,printed_10msp,printed_11msp,printed_12msp,"
               "printed_13msp,reported_states,computed,states,mismatch,"
               "synthetic,covered_states,states_in_store,detail\n");
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
            printf(",%s,%d,%d,", b, x->mismatch, x->computed && x->synthetic);
            /* (computed ones: the States whose data decide it, of those
             * in the store; and why it is unknown where it is) */
            join(b, sizeof b, x->covered, x->ncovered);
            printf("%s,", b);
            if (x->rule)
                printf("%zu", x->nscope);
            printf(",");
            out_csv_field(stdout, x->detail ? x->detail : "");
            printf("\n");
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
            if (x->rule) {
                json_object_set_new(o2, "covered_states",
                                    list_json(x->covered, x->ncovered));
                json_object_set_new(o2, "states_in_store",
                                    json_integer((json_int_t)x->nscope));
            }
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
