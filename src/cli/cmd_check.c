/* SPDX-License-Identifier: MIT */
/* cmr check: the findings of the ledger (overlaps, release outside
 * hazards, area mismatches, repairs, ...). Reads, never writes; exits 0
 * whatever it finds unless --fail-on names a kind that was found. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static const char usage[] =
    "cmr check DB [--country ISO3] [--format text|csv|json] [--tolerance "
    "FRACTION]\n"
    "       [--fail-on KIND,...] [--at YYYY-MM-DD] [--precedence "
    "intensity|earliest] [--jobs N]";

static const char *const kinds[] = {
    "hazard_overlap",        "release_method_overlap", "release_outside_hazard",
    "release_before_hazard", "release_unknown_hazard", "reported_area_mismatch",
    "geometry_repaired",     "closed_without_release", "found_again",
    "outside_country",       "invalid_geometry"};
#define NKINDS (sizeof kinds / sizeof *kinds)

static const char help[] =
    "Lists what is inconsistent in the store's polygons, each finding with "
    "its kind,\nState, records (ids), area in m2 and detail. Kinds:\n"
    "  hazard_overlap          overlapping hazards (area counted once; the "
    "overlap\n"
    "                          would be double counted by a sum)\n"
    "  release_method_overlap  releases of different methods overlap\n"
    "  release_outside_hazard  release area outside every hazard open at its "
    "date\n"
    "  release_before_hazard   release dated before its hazard was recorded\n"
    "  release_unknown_hazard  release whose hazard_id names no hazard of its "
    "State\n"
    "                          in the store (open or closed, any "
    "contamination)\n"
    "  reported_area_mismatch  reported area differs from the computed one "
    "by more\n"
    "                          than --tolerance (default 0.10)\n"
    "  geometry_repaired       geometry repaired on import\n"
    "  closed_without_release  hazard closed with area never released\n"
    "  found_again             land released (or closed without release) "
    "found\n"
    "                          contaminated again by a hazard recorded after "
    "entry\n                          into force: added again\n"
    "  outside_country         geometry outside its State's boundary\n"
    "  invalid_geometry        geometry made invalid after import (the "
    "store edited\n"
    "                          elsewhere): its area is measured as drawn\n\n"
    "  --country ISO3   one State\n"
    "  --format F       text (default), csv or json\n"
    "  --tolerance F    reported area mismatch threshold, a fraction "
    "(default 0.10)\n"
    "  --fail-on K,...  exit 1 when one of these kinds is found (or all)\n"
    "  --at DATE        as-of date (default: 31 December of the last year "
    "with a release;\n"
    "                   with none, of the last a hazard was recorded or "
    "closed)\n"
    "  --precedence R   intensity (default) or earliest, as in cmr status\n"
    "  --jobs N         worker threads (default: the cores)\n\n"
    "Exit status 0 whatever is found; --fail-on KIND,... exits 1 when a "
    "named kind\nis found (for scripts). cmr check only reads the store. "
    "With CMR_TIMING set in\nthe environment, the ledger's own wall time "
    "is printed on stderr.\n";

/* A comma-separated list of kinds (or "all"); false for an unknown kind
 * (copied to bad, n bytes), an empty list or one too long to be one. */
static bool parse_fail_on(const char *s, bool *want, char *bad, size_t nbad)
{
    char buf[512];
    bad[0] = '\0';
    if (strlen(s) >= sizeof buf)
        return false;
    snprintf(buf, sizeof buf, "%s", s);
    char *save = NULL;
    size_t n = 0;
    for (char *t = strtok_r(buf, ",", &save); t;
         t = strtok_r(NULL, ",", &save), n++) {
        bool found = false;
        for (size_t k = 0; k < NKINDS; k++)
            if (strcmp(t, kinds[k]) == 0 || strcmp(t, "all") == 0) {
                want[k] = true;
                found = true;
            }
        if (!found) {
            snprintf(bad, nbad, "%s", t);
            return false;
        }
    }
    return n > 0;
}

static size_t kind_index(const char *kind)
{
    for (size_t k = 0; k < NKINDS; k++)
        if (strcmp(kind, kinds[k]) == 0)
            return k;
    return NKINDS;
}

int cmd_check(struct cmr_ctx *ctx, int argc, char **argv)
{
    enum { O_AT = 256, O_PREC, O_JOBS, O_TOL, O_FAIL };
    static const struct option longopts[] = {
        {"country", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},
        {"at", required_argument, NULL, O_AT},
        {"precedence", required_argument, NULL, O_PREC},
        {"jobs", required_argument, NULL, O_JOBS},
        {"tolerance", required_argument, NULL, O_TOL},
        {"fail-on", required_argument, NULL, O_FAIL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct cmr_ledger_opts lo = {0};
    enum out_format fmt = OUT_TEXT;
    bool fail_on[NKINDS] = {false};
    int c;
    while ((c = getopt_long(argc, argv, "c:f:h", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'c': lo.country = cli_country(optarg); break;
        case O_AT: {
            int code = cli_opt_at("check", usage, optarg, &lo.at);
            if (code >= 0)
                return code;
            break;
        }
        case 'f':
            if (!out_parse_format(optarg, &fmt))
                return cli_usage("check", usage, "unknown format '%s'", optarg);
            break;
        case O_PREC:
            if (!cli_parse_precedence(optarg, &lo.precedence))
                return cli_usage("check", usage,
                                 "--precedence %s: intensity or earliest",
                                 optarg);
            break;
        case O_JOBS:
            if (!cli_parse_jobs(optarg, &lo.jobs))
                return cli_usage("check", usage, "--jobs %s: 1 to 256", optarg);
            break;
        case O_TOL:
            lo.tolerance = strtod(optarg, &end);
            if (!cli_number_text(optarg, false) || end == optarg || *end ||
                !(lo.tolerance > 0) || lo.tolerance >= 100)
                return cli_usage("check", usage,
                                 "--tolerance %s: a fraction above 0, such "
                                 "as 0.1",
                                 optarg);
            break;
        case O_FAIL: {
            char bad[128];
            if (!parse_fail_on(optarg, fail_on, bad, sizeof bad))
                return bad[0] ? cli_usage("check", usage,
                                          "--fail-on '%s': unknown kind "
                                          "'%s' (the kinds: see --help)",
                                          optarg, bad)
                              : cli_usage("check", usage,
                                          "--fail-on '%s': a comma-separated "
                                          "list of kinds (see --help)",
                                          optarg);
            break;
        }
        case 'h': printf("usage: %s\n\n%s", usage, help); return EXIT_OK;
        default: return cli_usage("check", usage, "%s", cli_bad_option(argv));
        }
    }
    if (optind + 1 != argc)
        return cli_usage("check", usage, "expected one store path");
    struct cmr_store *store = NULL;
    struct cmr_ledger *L = NULL;
    lo.validate = true; /* invalid_geometry */
    int rc = cli_ledger(ctx, "check", usage, argv[optind], &lo, &store, &L);
    if (rc >= 0)
        return rc;
    bool failed = false, synth = false;
    size_t total = 0;
    json_t *arr = fmt == OUT_JSON ? json_array() : NULL;
    if (fmt == OUT_CSV)
        printf("kind,country,records,area_m2,detail,synthetic,as_of\n");
    for (size_t i = 0; i < cmr_ledger_count(L); i++) {
        const struct cmr_ledger_state *s = cmr_ledger_state(L, i);
        for (size_t k = 0; k < s->nfindings; k++) {
            const struct cmr_finding *f = &s->findings[k];
            size_t ki = kind_index(f->kind);
            failed |= ki < NKINDS && fail_on[ki];
            total++;
            synth |= s->synthetic;
            if (fmt == OUT_JSON) {
                json_t *recs = json_array();
                for (size_t r = 0; r < f->nrecords; r++)
                    json_array_append_new(recs, out_json_text(f->records[r]));
                json_array_append_new(
                    arr,
                    json_pack("{s:s, s:s, s:o, s:f, s:o, s:b, s:s}", "kind",
                              f->kind, "country", f->country, "records", recs,
                              "area_m2", f->area_m2, "detail",
                              out_json_text(f->detail), "synthetic",
                              s->synthetic, "as_of", cmr_ledger_as_of(L)));
                continue;
            }
            if (fmt == OUT_CSV) {
                printf("%s,%s,", f->kind, f->country);
                /* every id, however many: ';' between them */
                size_t len = 1;
                for (size_t r = 0; r < f->nrecords; r++)
                    len += strlen(f->records[r]) + 1;
                char *ids = malloc(len);
                if (!ids) {
                    fprintf(stderr, "cmr: check: out of memory\n");
                    cmr_ledger_free(L);
                    cmr_store_close(store);
                    return EXIT_FAIL;
                }
                size_t used = 0;
                ids[0] = '\0';
                for (size_t r = 0; r < f->nrecords; r++) {
                    if (r)
                        ids[used++] = ';';
                    size_t n = strlen(f->records[r]);
                    memcpy(ids + used, f->records[r], n + 1);
                    used += n;
                }
                out_csv_field(stdout, ids);
                free(ids);
                printf(",%.2f,", f->area_m2);
                out_csv_field(stdout, f->detail);
                printf(",%d,%s\n", s->synthetic, cmr_ledger_as_of(L));
                continue;
            }
            char a[40];
            printf("%-23s %s%s %16s m2  ", f->kind, f->country,
                   s->synthetic ? "*" : " ", out_area(f->area_m2, a, sizeof a));
            for (size_t r = 0; r < f->nrecords && r < 8; r++) {
                fputs(r ? "," : "", stdout);
                out_text(stdout, f->records[r]);
            }
            if (f->nrecords > 8)
                printf(",... (%zu records)", f->nrecords);
            fputs("\n    ", stdout);
            out_text(stdout, f->detail);
            fputc('\n', stdout);
        }
    }
    if (arr)
        out_json(arr);
    else if (fmt == OUT_TEXT) {
        printf("%zu finding%s as of %s\n", total, total == 1 ? "" : "s",
               cmr_ledger_as_of(L));
        if (synth)
            printf("* SYNTHETIC DATA: findings in generated polygons "
                   "(cmr synth), not a State's records\n");
    }
    cmr_ledger_free(L);
    cmr_store_close(store);
    return failed ? EXIT_FAIL : EXIT_OK;
}
