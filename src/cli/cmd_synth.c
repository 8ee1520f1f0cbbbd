/* SPDX-License-Identifier: MIT */
/* cmr synth: write the synthetic, calibrated demo data set. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "cmr synth [--country ISO3] [--seed S] [--scale N | --hazards N] "
    "[--dense]\n"
    "       [--boundaries FILE] -o FILE.gpkg";

static const char help[] =
    "Writes SYNTHETIC hazards and releases (layers hazards and releases, "
    "canonical\nfields, synthetic = 1) for the ten States, placed in the "
    "provinces sources name\nas affected and calibrated so that the ledger "
    "gives the published remaining\nareas and annual release figures "
    "(illustrative values where nothing is\npublished; the calibration column "
    "says which). The same arguments give the\nsame records.\n\n"
    "  --seed S       random seed (default 1)\n"
    "  --scale N      multiply the number of polygons (totals stay "
    "calibrated)\n"
    "  --hazards N    about N hazards in all (for benchmarks)\n"
    "  --dense        clusters of about twenty overlapping hazards\n";

int cmd_synth(struct cmr_ctx *ctx, int argc, char **argv)
{
    enum { O_SEED = 256, O_SCALE, O_DENSE, O_HAZ, O_BND };
    static const struct option longopts[] = {
        {"country", required_argument, NULL, 'c'},
        {"seed", required_argument, NULL, O_SEED},
        {"scale", required_argument, NULL, O_SCALE},
        {"hazards", required_argument, NULL, O_HAZ},
        {"dense", no_argument, NULL, O_DENSE},
        {"boundaries", required_argument, NULL, O_BND},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct cmr_synth_opts o = {.seed = 1, .scale = 1};
    const char *out = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "c:o:h", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'c': o.country = cli_country(optarg); break;
        case 'o': out = optarg; break;
        case O_SEED:
            errno = 0;
            o.seed = strtoull(optarg, &end, 10);
            if (!cli_number_text(optarg, false) || end == optarg || *end ||
                errno == ERANGE)
                return cli_usage("synth", usage, "--seed %s: a whole number",
                                 optarg);
            break;
        case O_SCALE:
            o.scale = strtod(optarg, &end);
            if (!cli_number_text(optarg, false) || end == optarg || *end ||
                !(o.scale > 0) || o.scale > 1e5)
                return cli_usage("synth", usage, "--scale %s: a number > 0",
                                 optarg);
            break;
        case O_HAZ:
            o.hazards = strtoll(optarg, &end, 10);
            if (!cli_number_text(optarg, false) || end == optarg || *end ||
                o.hazards < 1)
                return cli_usage("synth", usage, "--hazards %s: a count",
                                 optarg);
            break;
        case O_DENSE: o.dense = true; break;
        case O_BND: o.boundaries = optarg; break;
        case 'h': printf("usage: %s\n\n%s", usage, help); return EXIT_OK;
        default: return cli_usage("synth", usage, "%s", cli_bad_option(argv));
        }
    }
    if (!out || optind != argc)
        return cli_usage("synth", usage, "expected -o FILE.gpkg");
    if (o.hazards > 0 && o.scale != 1)
        return cli_usage("synth", usage,
                         "--scale and --hazards: one or the other");
    struct cmr_synth_counts n;
    enum cmr_status st = cmr_synth(ctx, &o, out, &n);
    cli_progress_end();
    if (st)
        return st == CMR_EINVAL && o.country
                   ? cli_usage("synth", usage, "%s", cmr_ctx_errmsg(ctx))
                   : cli_fail(ctx, "synth", st);
    printf("wrote %s: %lld hazards, %lld releases (SYNTHETIC, seed %llu)\n",
           out, (long long)n.hazards, (long long)n.releases,
           (unsigned long long)o.seed);
    return EXIT_OK;
}
