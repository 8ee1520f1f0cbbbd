/* SPDX-License-Identifier: MIT */
/* cmr report: the overview and the briefs, HTML, CSV and PDF. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "cmr report DB -o DIR [--at DATE] [--method trailing|trend|montecarlo] "
    "[--window K]\n"
    "       [--runs N] [--seed S] [--capacity X] [--discovery M2_PER_YEAR]\n"
    "       [--series ledger|figures]";

int cmd_report(struct cmr_ctx *ctx, int argc, char **argv)
{
    enum { O_AT = 256 };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"at", required_argument, NULL, O_AT},
        {"help", no_argument, NULL, 'h'},
        CLI_FORECAST_LONGOPTS,
        {NULL, 0, NULL, 0}};
    struct cmr_report_opts o = {0};
    const char *dir = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        char err[256];
        switch (c) {
        case 'o': dir = optarg; break;
        case O_AT: {
            int code = cli_opt_at("report", usage, optarg, &o.at);
            if (code >= 0)
                return code;
            break;
        }
        case 'h':
            printf("usage: %s\n\nWrites DIR/index.html (the ten States: a "
                   "table with a verdict by a\nstated rule, the "
                   "small-multiples map, the survey and clearance "
                   "indicators),\none brief per State (DIR/ISO3.html) with "
                   "its CSV tables, and DIR/report.pdf.\n\n"
                   "  -o DIR           the directory to write (made if "
                   "missing, in one that\n"
                   "                   exists)\n"
                   "  --at DATE        as of this date (default: 31 December "
                   "of the last year with\n"
                   "                   a release record)\n\n"
                   "The forecasts in the briefs take cmr forecast's "
                   "options:\n%s",
                   usage, cli_forecast_help);
            return EXIT_OK;
        default:
            switch (
                cli_forecast_option(c, optarg, &o.forecast, err, sizeof err)) {
            case 1: break;
            case -1: return cli_usage("report", usage, "%s", err);
            default:
                return cli_usage("report", usage, "%s", cli_bad_option(argv));
            }
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
