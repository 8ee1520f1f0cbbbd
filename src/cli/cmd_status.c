/* SPDX-License-Identifier: MIT */
/* cmr status: per State, the records in the store and their areas. */
#include <getopt.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static const char usage[] =
    "cmr status DB [--country ISO3] [--format text|csv|json]";

int cmd_status(struct cmr_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"country", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *country = NULL;
    enum out_format fmt = OUT_TEXT;
    int c;
    while ((c = getopt_long(argc, argv, "c:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': country = optarg; break;
        case 'f':
            if (!out_parse_format(optarg, &fmt))
                return cli_usage("status", usage, "unknown format '%s'",
                                 optarg);
            break;
        case 'h':
            printf("usage: %s\n\nPer State: hazards and releases in the store "
                   "and the sums of their\nreported areas.\n",
                   usage);
            return EXIT_OK;
        default: return cli_usage("status", usage, "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage("status", usage, "expected one store path");
    struct cmr_store *store = NULL;
    struct cmr_record_counts *rc = NULL;
    size_t n = 0;
    enum cmr_status st =
        cmr_store_open(ctx, argv[optind], CMR_STORE_READ, &store);
    if (!st)
        st = cmr_store_record_counts(ctx, store, &rc, &n);
    if (st) {
        cmr_store_close(store);
        return cli_fail(ctx, "status", st);
    }
    bool found = !country;
    json_t *arr = fmt == OUT_JSON ? json_array() : NULL;
    if (fmt == OUT_TEXT)
        printf("%-4s %-14s %8s %22s %8s %22s\n", "ISO3", "State", "hazards",
               "reported m2", "releases", "reported m2");
    else if (fmt == OUT_CSV)
        printf("country,name,hazards,hazard_reported_m2,releases,"
               "release_reported_m2\n");
    for (size_t i = 0; i < n; i++) {
        const char *iso3, *name;
        cmr_store_country(store, i, &iso3, &name);
        if (country && strcmp(country, iso3) != 0)
            continue;
        found = true;
        char a[40], b[40];
        switch (fmt) {
        case OUT_TEXT:
            printf("%-4s %-14s %8lld %22s %8lld %22s\n", iso3, name,
                   (long long)rc[i].hazards,
                   out_area(rc[i].hazard_reported_m2, a, sizeof a),
                   (long long)rc[i].releases,
                   out_area(rc[i].release_reported_m2, b, sizeof b));
            break;
        case OUT_CSV:
            printf("%s,", iso3);
            out_csv_field(stdout, name);
            printf(",%lld,%.2f,%lld,%.2f\n", (long long)rc[i].hazards,
                   rc[i].hazard_reported_m2, (long long)rc[i].releases,
                   rc[i].release_reported_m2);
            break;
        case OUT_JSON:
            json_array_append_new(
                arr,
                json_pack("{s:s, s:s, s:I, s:f, s:I, s:f}", "country", iso3,
                          "name", name, "hazards", (json_int_t)rc[i].hazards,
                          "hazard_reported_m2", rc[i].hazard_reported_m2,
                          "releases", (json_int_t)rc[i].releases,
                          "release_reported_m2", rc[i].release_reported_m2));
            break;
        }
    }
    if (arr) {
        json_t *out = country && json_array_size(arr) == 1
                          ? json_incref(json_array_get(arr, 0))
                          : json_incref(arr);
        char *s = json_dumps(out, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        if (s)
            puts(s);
        free(s);
        json_decref(out);
        json_decref(arr);
    }
    cmr_free(rc);
    cmr_store_close(store);
    if (!found) {
        fprintf(stderr, "cmr: status: unknown State '%s'\n", country);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}
