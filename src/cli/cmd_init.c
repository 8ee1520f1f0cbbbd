/* SPDX-License-Identifier: MIT */
/* cmr init DB: create a store and load the bundled reference data into it:
 * the boundaries, the Article 4 deadlines and the published figures. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "cmr init DB [--boundaries FILE | --no-boundaries] [--no-reference]";

/* cli_fail, with the temporary name in the message put back to the
 * store's own. */
static int fail_as(struct cmr_ctx *ctx, enum cmr_status st, const char *tmp,
                   const char *path)
{
    const char *m = cmr_ctx_errmsg(ctx), *at;
    fprintf(stderr, "cmr: init: %s: ", cmr_status_str(st));
    while ((at = strstr(m, tmp))) {
        fprintf(stderr, "%.*s%s", (int)(at - m), m, path);
        m = at + strlen(tmp);
    }
    fprintf(stderr, "%s\n", m);
    return EXIT_FAIL;
}

/* Gives the finished store at tmp its name, never over an existing file:
 * a hard link where the file system has them, else a rename after a last
 * look (FAT, exFAT and some network mounts have no hard links). */
static bool publish(const char *tmp, const char *path)
{
    if (link(tmp, path) == 0) {
        remove(tmp);
        return true;
    }
    int e = errno;
    if (e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == ENOSYS) {
        struct stat sb;
        if (stat(path, &sb) == 0)
            e = EEXIST;
        else if (rename(tmp, path) == 0)
            return true;
        else
            e = errno;
    }
    fprintf(stderr, "cmr: init: %s: %s\n", path, strerror(e));
    remove(tmp);
    return false;
}

int cmd_init(struct cmr_ctx *ctx, int argc, char **argv)
{
    enum { O_NOB = 256, O_NOREF };
    static const struct option longopts[] = {
        {"boundaries", required_argument, NULL, 'b'},
        {"no-boundaries", no_argument, NULL, O_NOB},
        {"no-reference", no_argument, NULL, O_NOREF},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *boundaries = NULL;
    bool none = false, noref = false;
    int c;
    while ((c = getopt_long(argc, argv, "b:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'b': boundaries = optarg; break;
        case O_NOB: none = true; break;
        case O_NOREF: noref = true; break;
        case 'h':
            printf("usage: %s\n\nCreates the store DB, a GeoPackage file with "
                   "the layers hazard and release\nand the ten affected "
                   "States, and loads the provinces and outlines of the\n"
                   "bundled boundaries (Natural Earth), or those of FILE, "
                   "and the bundled\nArticle 4 deadlines (deadlines.csv) "
                   "and published figures\n(national-figures.csv), unless "
                   "--no-reference.\n",
                   usage);
            return EXIT_OK;
        default: return cli_usage("init", usage, "%s", cli_bad_option(argv));
        }
    }
    if (optind + 1 != argc)
        return cli_usage("init", usage, "expected one store path");
    if (none && boundaries)
        return cli_usage("init", usage,
                         "--boundaries and --no-boundaries exclude each other");
    char bundled[4096], deadlines[4096], figures[4096];
    const char *dir = cmr_data_dir();
    if (!noref && dir) {
        snprintf(deadlines, sizeof deadlines, "%s/deadlines.csv", dir);
        snprintf(figures, sizeof figures, "%s/national-figures.csv", dir);
    }
    if (!none && !boundaries) {
        if (!dir) {
            fprintf(stderr, "cmr: init: the bundled boundaries were not found "
                            "(set CMR_DATADIR, name a file with --boundaries, "
                            "or use --no-boundaries)\n");
            return EXIT_FAIL;
        }
        snprintf(bundled, sizeof bundled, "%s/boundaries.gpkg", dir);
        boundaries = bundled;
    }
    const char *path = argv[optind];
    if (cmr_store_is_connection(path))
        /* (not quoted: it may hold a password) */
        return cli_usage("init", usage,
                         "the store must be a GeoPackage file, not a "
                         "PostgreSQL connection: a PostGIS database is read "
                         "as a source (cmr import DB --hazards 'PG:...')");
    struct stat sb;
    if (stat(path, &sb) == 0) {
        fprintf(stderr, "cmr: init: input/output error: %s: already exists\n",
                path);
        return EXIT_FAIL;
    }
    /* The store is made under a temporary name beside it and given its
     * name only when complete: a failed or killed init leaves nothing. */
    char tmp[4096];
    const char *slash = strrchr(path, '/');
    int w = snprintf(tmp, sizeof tmp, "%.*s.%s.init-%ld.gpkg",
                     slash ? (int)(slash - path + 1) : 0, path,
                     slash ? slash + 1 : path, (long)getpid());
    if (w < 0 || (size_t)w >= sizeof tmp) {
        fprintf(stderr, "cmr: init: %s: path too long\n", path);
        return EXIT_FAIL;
    }
    remove(tmp);
    struct cmr_store *store = NULL;
    enum cmr_status st = cmr_store_create(ctx, tmp, &store);
    if (st) {
        remove(tmp);
        return fail_as(ctx, st, tmp, path);
    }
    size_t nstates = cmr_store_country_count(store);
    cmr_store_close(store);
    bool ref = !noref && dir;
    int64_t nd = 0, nf = 0;
    if (boundaries || ref) {
        struct cmr_import_opts *o = NULL;
        struct cmr_import_report *rep = NULL;
        st = cmr_import_opts_new(ctx, &o);
        if (!st && boundaries)
            st = cmr_import_opts_source(ctx, o, CMR_KIND_BOUNDARIES, boundaries,
                                        NULL);
        if (!st && ref)
            st = cmr_import_opts_source(ctx, o, CMR_KIND_DEADLINES, deadlines,
                                        NULL);
        if (!st && ref)
            st =
                cmr_import_opts_source(ctx, o, CMR_KIND_FIGURES, figures, NULL);
        if (!st)
            st = cmr_import(ctx, tmp, o, &rep);
        cli_print_rejects("init", rep);
        int64_t n = cmr_import_report_counts(rep, CMR_KIND_BOUNDARIES).imported;
        nd = cmr_import_report_counts(rep, CMR_KIND_DEADLINES).imported;
        nf = cmr_import_report_counts(rep, CMR_KIND_FIGURES).imported;
        cmr_import_report_free(rep);
        cmr_import_opts_free(o);
        if (st) {
            remove(tmp); /* no half-made store is left behind */
            return fail_as(ctx, st, tmp, path);
        }
        if (!publish(tmp, path))
            return EXIT_FAIL;
        printf("created %s (schema version %d, %zu States, ", path,
               CMR_STORE_SCHEMA_VERSION, nstates);
        if (boundaries)
            printf("%lld boundary features from %s", (long long)n, boundaries);
        else
            printf("no boundaries");
        if (ref)
            printf(", %lld deadline facts and %lld published figures from %s",
                   (long long)nd, (long long)nf, dir);
        printf(")\n");
    } else {
        if (!publish(tmp, path))
            return EXIT_FAIL;
        printf("created %s (schema version %d, %zu States, no boundaries)\n",
               path, CMR_STORE_SCHEMA_VERSION, nstates);
    }
    return EXIT_OK;
}
