/* SPDX-License-Identifier: MIT */
/* cmr upgrade DB: migrate a store to this version's schema. */
#include <getopt.h>

#include "cli.h"

static const char usage[] = "cmr upgrade DB";

int cmd_upgrade(struct cmr_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: %s\n\nMigrates the store DB to schema version %d in "
                   "one transaction.\n",
                   usage, CMR_STORE_SCHEMA_VERSION);
            return EXIT_OK;
        }
        return cli_usage("upgrade", usage, "%s", cli_bad_option(argv));
    }
    if (optind + 1 != argc)
        return cli_usage("upgrade", usage, "expected one store path");
    int from = 0, to = 0;
    enum cmr_status st = cmr_store_upgrade(ctx, argv[optind], &from, &to);
    if (st)
        return cli_fail(ctx, "upgrade", st);
    if (from == to)
        printf("%s: already at schema version %d\n", argv[optind], to);
    else
        printf("%s: upgraded from schema version %d to %d\n", argv[optind],
               from, to);
    if (from < 2 && to >= 2)
        printf("%s: its boundaries, Article 4 deadlines and published "
               "figures are empty (version 1 had none): load them with cmr "
               "import %s --boundaries FILE --deadlines FILE --figures FILE "
               "(the bundled ones: geodata/boundaries.gpkg, deadlines.csv, "
               "national-figures.csv)\n",
               argv[optind], argv[optind]);
    return EXIT_OK;
}
