/* SPDX-License-Identifier: MIT */
/* cmr init DB: create a store. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static const char usage[] = "cmr init DB";

int cmd_init(struct cmr_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: %s\n\nCreates the store DB, a GeoPackage file with "
                   "the layers hazard and release\nand the ten affected "
                   "States.\n",
                   usage);
            return EXIT_OK;
        }
        return cli_usage("init", usage, "unknown option");
    }
    if (optind + 1 != argc)
        return cli_usage("init", usage, "expected one store path");
    const char *path = argv[optind];
    struct cmr_store *store = NULL;
    enum cmr_status st = cmr_store_create(ctx, path, &store);
    if (st)
        return cli_fail(ctx, "init", st);
    printf("created %s (schema version %d, %zu States)\n", path,
           CMR_STORE_SCHEMA_VERSION, cmr_store_country_count(store));
    cmr_store_close(store);
    return EXIT_OK;
}
