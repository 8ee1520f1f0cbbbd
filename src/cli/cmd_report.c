/* SPDX-License-Identifier: MIT */
/* cmr report: the overview and the briefs, HTML, CSV and PDF. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "cmr report DB -o DIR [--at DATE] [--method M] [--window K] [--runs N] "
    "[--seed S]";

int cmd_report(struct cmr_ctx *ctx, int argc, char **argv)
{
    enum { O_AT = 256, O_METHOD, O_WINDOW, O_RUNS, O_SEED };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"at", required_argument, NULL, O_AT},
        {"method", required_argument, NULL, O_METHOD},
        {"window", required_argument, NULL, O_WINDOW},
        {"runs", required_argument, NULL, O_RUNS},
        {"seed", required_argument, NULL, O_SEED},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct cmr_report_opts o = {0};
    const char *dir = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'o': dir = optarg; break;
        case O_AT: o.at = optarg; break;
        case O_METHOD:
            if (strcmp(optarg, "trailing") == 0)
                o.forecast.method = CMR_FORECAST_TRAILING;
            else if (strcmp(optarg, "trend") == 0)
                o.forecast.method = CMR_FORECAST_TREND;
            else if (strcmp(optarg, "montecarlo") != 0)
                return cli_usage("report", usage, "--method %s", optarg);
            break;
        case O_WINDOW:
            o.forecast.window = (int)strtol(optarg, &end, 10);
            if (end == optarg || *end || o.forecast.window < 1 ||
                o.forecast.window > 50)
                return cli_usage("report", usage, "--window 1 to 50");
            break;
        case O_RUNS:
            o.forecast.runs = (int)strtol(optarg, &end, 10);
            if (end == optarg || *end || o.forecast.runs < 1)
                return cli_usage("report", usage, "--runs: a count");
            break;
        case O_SEED:
            o.forecast.seed = strtoull(optarg, &end, 10);
            if (end == optarg || *end)
                return cli_usage("report", usage, "--seed: a number");
            break;
        case 'h':
            printf("usage: %s\n\nWrites DIR/index.html (the ten States: a "
                   "table with a verdict by a\nstated rule, the "
                   "small-multiples map, the survey and clearance "
                   "indicators),\none brief per State (DIR/ISO3.html) with "
                   "its CSV tables, and DIR/report.pdf.\n",
                   usage);
            return EXIT_OK;
        default: return cli_usage("report", usage, "unknown option");
        }
    }
    if (optind + 1 != argc || !dir)
        return cli_usage("report", usage, "expected a store path and -o DIR");
    struct cmr_store *store = NULL;
    enum cmr_status st =
        cmr_store_open(ctx, argv[optind], CMR_STORE_READ, &store);
    if (!st)
        st = cmr_report_write(ctx, store, &o, dir);
    cmr_store_close(store);
    cli_progress_end();
    if (st)
        return cli_fail(ctx, "report", st);
    printf("%s/index.html\n", dir);
    return EXIT_OK;
}
