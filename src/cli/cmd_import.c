/* SPDX-License-Identifier: MIT */
/* cmr import: read hazard and release sources into a store. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "cmr import DB [--hazards SRC [--hazards-layer NAME]] [--releases SRC "
    "[--releases-layer NAME]]\n"
    "       [--country ISO3] [--assume-crs CRS] [--map "
    "[KIND.]FIELD=COLUMN]...\n"
    "       [--value [KIND.]FIELD:SOURCE=CANONICAL]... [--preset NAME|FILE] "
    "[--strict] [--dry-run]\n"
    "       [--boundaries FILE] [--deadlines FILE] [--figures FILE] "
    "[--plan FILE]";

static const char help[] =
    "Reads hazards (SHA/CHA polygons) and releases (cancelled, reduced, "
    "cleared\npolygons) from any vector source GDAL opens, checks and "
    "repairs them,\nreprojects them to EPSG:4326 and writes them to the store "
    "in one transaction.\n\n"
    "  --hazards SRC, --releases SRC  the sources (file or GDAL connection,\n"
    "                      e.g. \"PG:host=H dbname=D user=U\" for PostGIS; a\n"
    "                      password in it is shown and recorded as ***)\n"
    "  --hazards-layer, --releases-layer NAME  the layer (default: the "
    "first)\n"
    "  --country ISO3      State of records that carry none\n"
    "  --assume-crs CRS    CRS of sources that declare none (CSV, XLSX, "
    "SHP without .prj)\n"
    "  --map [KIND.]FIELD=COLUMN  take canonical FIELD from COLUMN "
    "(KIND: hazards|releases)\n"
    "  --value [KIND.]FIELD:SOURCE=CANONICAL  map a source value\n"
    "  --preset NAME|FILE  a set of mappings (built in: imsma-ng)\n"
    "  --strict            fail the whole call if any feature is rejected\n"
    "  --dry-run           read and check everything, write nothing\n"
    "  --boundaries FILE   provinces, State outlines and neighbours (layers "
    "admin1,\n"
    "                      country, neighbour), replacing those in the store\n"
    "  --deadlines FILE    Article 4 facts (CSV), replacing those in the "
    "store\n"
    "  --figures FILE      published national figures (CSV), replacing those "
    "in the store\n"
    "  --plan FILE         an extension request and its work plan (JSON or "
    "CSV)\n";

static enum cmr_kind kind_of(const char *spec, const char **rest)
{
    if (strncmp(spec, "hazards.", 8) == 0) {
        *rest = spec + 8;
        return CMR_KIND_HAZARD;
    }
    if (strncmp(spec, "releases.", 9) == 0) {
        *rest = spec + 9;
        return CMR_KIND_RELEASE;
    }
    *rest = spec;
    return CMR_KIND_ANY;
}

static const char *kind_name(enum cmr_kind k)
{
    static const char *const names[CMR_KIND_COUNT] = {
        "",          "hazards", "releases", "boundaries",
        "deadlines", "figures", "plan"};
    return names[k];
}

/* What a user must know of the hazards read before trusting the ledger:
 * those counted as other contamination, by value (a value the preset or
 * --value does not map to CMR, "Submunitions" where the preset knows
 * "Submunition", would take CMR land out of the ledger unseen), and those
 * whose closing date was left out for their open status. */
static void print_hazard_notes(const struct cmr_import_report *rep,
                               const struct cmr_import_counts *n)
{
    size_t nv = cmr_import_report_other_count(rep);
    if (n->other) {
        printf("  %lld hazard%s of other contamination than CMR, reported "
               "apart:",
               (long long)n->other, n->other == 1 ? "" : "s");
        for (size_t i = 0; i < nv && i < 10; i++) {
            int64_t c;
            const char *v = cmr_import_report_other(rep, i, &c);
            printf("%s '%s' %lld", i ? "," : "", v, (long long)c);
        }
        if (nv > 10)
            printf(", and %zu other values", nv - 10);
        printf(" (a value that means CMR: --value "
               "hazards.contamination:VALUE=CMR)\n");
    }
    if (n->open_dated)
        printf("  %lld hazard%s with a value in 'closed' but no closed "
               "status: imported open (the value is not read as a closing "
               "date)\n",
               (long long)n->open_dated, n->open_dated == 1 ? "" : "s");
}

int cmd_import(struct cmr_ctx *ctx, int argc, char **argv)
{
    enum {
        O_HL = 256,
        O_RL,
        O_CRS,
        O_PRESET,
        O_STRICT,
        O_DRY,
        O_BND,
        O_DL,
        O_FIG,
        O_PLAN
    };
    static const struct option longopts[] = {
        {"hazards", required_argument, NULL, 'H'},
        {"releases", required_argument, NULL, 'R'},
        {"hazards-layer", required_argument, NULL, O_HL},
        {"releases-layer", required_argument, NULL, O_RL},
        {"country", required_argument, NULL, 'c'},
        {"assume-crs", required_argument, NULL, O_CRS},
        {"map", required_argument, NULL, 'm'},
        {"value", required_argument, NULL, 'v'},
        {"preset", required_argument, NULL, O_PRESET},
        {"strict", no_argument, NULL, O_STRICT},
        {"dry-run", no_argument, NULL, O_DRY},
        {"boundaries", required_argument, NULL, O_BND},
        {"deadlines", required_argument, NULL, O_DL},
        {"figures", required_argument, NULL, O_FIG},
        {"plan", required_argument, NULL, O_PLAN},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    const char *src[CMR_KIND_COUNT] = {NULL}, *layer[CMR_KIND_COUNT] = {NULL};
    int rc = EXIT_OK;
    enum cmr_status st = cmr_import_opts_new(ctx, &o);
    if (st)
        return cli_fail(ctx, "import", st);
    int c;
    while ((c = getopt_long(argc, argv, "H:R:c:m:v:h", longopts, NULL)) != -1) {
        const char *rest;
        enum cmr_kind k;
        char *copy = NULL;
        switch (c) {
        case 'H': src[CMR_KIND_HAZARD] = optarg; break;
        case 'R': src[CMR_KIND_RELEASE] = optarg; break;
        case O_HL: layer[CMR_KIND_HAZARD] = optarg; break;
        case O_RL: layer[CMR_KIND_RELEASE] = optarg; break;
        case 'c': st = cmr_import_opts_country(ctx, o, optarg); break;
        case O_CRS: st = cmr_import_opts_assume_crs(ctx, o, optarg); break;
        case O_PRESET: st = cmr_import_opts_preset(ctx, o, optarg); break;
        case O_STRICT: cmr_import_opts_strict(o, true); break;
        case O_DRY: cmr_import_opts_dry_run(o, true); break;
        case O_BND: src[CMR_KIND_BOUNDARIES] = optarg; break;
        case O_DL: src[CMR_KIND_DEADLINES] = optarg; break;
        case O_FIG: src[CMR_KIND_FIGURES] = optarg; break;
        case O_PLAN: src[CMR_KIND_PLAN] = optarg; break;
        case 'm': {
            k = kind_of(optarg, &rest);
            const char *eq = strchr(rest, '=');
            if (!eq || eq == rest || !eq[1]) {
                rc =
                    cli_usage("import", usage,
                              "--map %s: expected [KIND.]FIELD=COLUMN", optarg);
                goto done;
            }
            copy = strndup(rest, (size_t)(eq - rest));
            st = copy ? cmr_import_opts_map(ctx, o, k, copy, eq + 1)
                      : CMR_ENOMEM;
            free(copy);
            if (st == CMR_EINVAL) {
                rc = cli_usage("import", usage, "--map %s: %s", optarg,
                               cmr_ctx_errmsg(ctx));
                goto done;
            }
            break;
        }
        case 'v': {
            k = kind_of(optarg, &rest);
            const char *colon = strchr(rest, ':');
            const char *eq = colon ? strchr(colon, '=') : NULL;
            if (!colon || colon == rest || !eq || eq == colon + 1) {
                rc = cli_usage("import", usage,
                               "--value %s: expected "
                               "[KIND.]FIELD:SOURCE=CANONICAL",
                               optarg);
                goto done;
            }
            char *field = strndup(rest, (size_t)(colon - rest));
            char *from = strndup(colon + 1, (size_t)(eq - colon - 1));
            st = field && from
                     ? cmr_import_opts_value(ctx, o, k, field, from, eq + 1)
                     : CMR_ENOMEM;
            free(field);
            free(from);
            if (st == CMR_EINVAL) {
                rc = cli_usage("import", usage, "--value %s: %s", optarg,
                               cmr_ctx_errmsg(ctx));
                goto done;
            }
            break;
        }
        case 'h': printf("usage: %s\n\n%s", usage, help); goto done;
        default:
            rc = cli_usage("import", usage, "%s", cli_bad_option(argv));
            goto done;
        }
        if (st == CMR_EINVAL && (c == O_PRESET || c == O_CRS)) {
            rc = cli_usage("import", usage, "%s", cmr_ctx_errmsg(ctx));
            goto done;
        }
        if (st) {
            rc = cli_fail(ctx, "import", st);
            goto done;
        }
    }
    if (optind + 1 != argc) {
        rc = cli_usage("import", usage, "expected one store path");
        goto done;
    }
    bool any = false;
    for (int k = CMR_KIND_HAZARD; k < CMR_KIND_COUNT; k++)
        any |= src[k] != NULL;
    if (!any) {
        rc = cli_usage("import", usage,
                       "nothing to import: name --hazards, --releases, "
                       "--boundaries, --deadlines, --figures or --plan");
        goto done;
    }
    for (int k = CMR_KIND_HAZARD; k < CMR_KIND_COUNT && !st; k++)
        if (src[k])
            st = cmr_import_opts_source(ctx, o, (enum cmr_kind)k, src[k],
                                        layer[k]);
    if (st) {
        rc = cli_fail(ctx, "import", st);
        goto done;
    }
    st = cmr_import(ctx, argv[optind], o, &rep);
    cli_progress_end();
    cli_print_rejects("import", rep);
    if (st) {
        rc = cli_fail(ctx, "import", st);
        goto done;
    }
    for (int k = CMR_KIND_HAZARD; k < CMR_KIND_COUNT; k++) {
        if (!src[k])
            continue;
        struct cmr_import_counts n =
            cmr_import_report_counts(rep, (enum cmr_kind)k);
        if (k > CMR_KIND_RELEASE) {
            printf("%s: %lld read, %lld %s, %lld rejected\n",
                   kind_name((enum cmr_kind)k), (long long)n.read,
                   (long long)n.imported,
                   cmr_import_report_run(rep) ? "imported"
                                              : "would be imported",
                   (long long)n.rejected);
            continue;
        }
        printf("%s: %lld read, %lld %s (%lld replaced), %lld rejected, "
               "%lld repaired",
               kind_name((enum cmr_kind)k), (long long)n.read,
               (long long)n.imported,
               cmr_import_report_run(rep) ? "imported" : "would be imported",
               (long long)n.replaced, (long long)n.rejected,
               (long long)n.repaired);
        if (n.empty)
            printf("; %lld empty row%s skipped", (long long)n.empty,
                   n.empty == 1 ? "" : "s");
        printf("\n");
        if (k == CMR_KIND_HAZARD)
            print_hazard_notes(rep, &n);
        if (n.absent > 0)
            printf("  %lld %s of the same States in the store %s not in this "
                   "source: kept as %s (a record leaves the ledger only when "
                   "one with its id closes or replaces it)\n",
                   (long long)n.absent,
                   k == CMR_KIND_HAZARD
                       ? (n.absent == 1 ? "hazard" : "hazards")
                       : (n.absent == 1 ? "release" : "releases"),
                   n.absent == 1 ? "is" : "are",
                   n.absent == 1 ? "it was" : "they were");
    }
    if (cmr_import_report_run(rep))
        printf("import run %lld recorded in %s\n",
               (long long)cmr_import_report_run(rep), argv[optind]);
    else
        printf("dry run: nothing written\n");
done:
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
    return rc;
}
