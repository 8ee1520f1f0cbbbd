/* SPDX-License-Identifier: MIT */
/* cmr map and cmr chart: contamination maps and charts as PNG, PDF or SVG. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char map_usage[] =
    "cmr map DB --country ISO3|all -o FILE.png|.pdf|.svg [--at DATE] "
    "[--size WxH]";
static const char chart_usage[] =
    "cmr chart DB --country ISO3 --kind burndown|release -o "
    "FILE.png|.pdf|.svg\n"
    "       [--at DATE] [--size WxH] [--method M] [--window K] [--runs N] "
    "[--seed S]\n"
    "       [--capacity X] [--discovery M2_PER_YEAR] [--series "
    "ledger|figures]";

static bool parse_size_text(const char *s, int *w, int *h)
{
    /* digits, x, digits: nothing strtol would skip or take besides
     * (cli_number_text refuses any 'x', which this needs) */
    char *end = NULL;
    if (!isdigit((unsigned char)s[0]))
        return false;
    long a = strtol(s, &end, 10);
    if (*end != 'x' && *end != 'X')
        return false;
    const char *t = end + 1;
    if (!isdigit((unsigned char)t[0]))
        return false;
    long b = strtol(t, &end, 10);
    if (*end || a < 1 || b < 1 || a > 20000 || b > 20000)
        return false;
    *w = (int)a;
    *h = (int)b;
    return true;
}

/* --size WxH of a map or chart: digits, x, digits, each at most 20000 and
 * at least the least size (min_w x min_h, render.h); 0, else a usage
 * error's exit code with a message naming what it must be. */
static int opt_size(const char *cmd, const char *usage, const char *what,
                    const char *s, int min_w, int min_h, int *w, int *h)
{
    if (!parse_size_text(s, w, h))
        return cli_usage(cmd, usage,
                         "--size %s: WxH, from %dx%d to 20000x20000", s, min_w,
                         min_h);
    if (*w < min_w || *h < min_h)
        return cli_usage(cmd, usage, "--size %s: %s needs at least %dx%d", s,
                         what, min_w, min_h);
    return 0;
}

int cmd_map(struct cmr_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"country", required_argument, NULL, 'c'},
        {"output", required_argument, NULL, 'o'},
        {"at", required_argument, NULL, 'a'},
        {"size", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct cmr_map_opts o = {0};
    const char *out = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "c:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': o.country = cli_country(optarg); break;
        case 'o': out = optarg; break;
        case 'a': {
            int code = cli_opt_at("map", map_usage, optarg, &o.at);
            if (code >= 0)
                return code;
            break;
        }
        case 's': {
            int code =
                opt_size("map", map_usage, "a map", optarg, CMR_MAP_MIN_WIDTH,
                         CMR_MAP_MIN_HEIGHT, &o.width, &o.height);
            if (code)
                return code;
            break;
        }
        case 'h':
            printf("usage: %s\n\nDraws the contamination map of a State (or "
                   "of the ten, 'all'):\nprovinces shaded by remaining area, "
                   "remaining hazards by class, released\nland by method, a "
                   "locator, scale bar, north arrow, legend and credits.\n"
                   "Default size 1600x1100 (pixels for PNG, points for PDF "
                   "and SVG), at least\n%dx%d (below %dx%d the drawing is "
                   "scaled down to fit).\n",
                   map_usage, CMR_MAP_MIN_WIDTH, CMR_MAP_MIN_HEIGHT,
                   CMR_MAP_MIN_WIDTH * 5 / 4, CMR_MAP_MIN_HEIGHT * 5 / 4);
            return EXIT_OK;
        default: return cli_usage("map", map_usage, "%s", cli_bad_option(argv));
        }
    }
    if (optind + 1 != argc || !o.country || !out)
        return cli_usage("map", map_usage,
                         "expected a store path, --country and -o FILE");
    struct cmr_store *store = NULL;
    enum cmr_status st =
        cmr_store_open(ctx, argv[optind], CMR_STORE_READ, &store);
    if (!st)
        st = cmr_map_write(ctx, store, &o, out);
    cmr_store_close(store);
    cli_progress_end();
    if (st == CMR_EINVAL)
        return cli_usage("map", map_usage, "%s", cmr_ctx_errmsg(ctx));
    if (st)
        return cli_fail(ctx, "map", st);
    printf("wrote %s\n", out);
    return EXIT_OK;
}

int cmd_chart(struct cmr_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"country", required_argument, NULL, 'c'},
        {"kind", required_argument, NULL, 'k'},
        {"output", required_argument, NULL, 'o'},
        {"at", required_argument, NULL, 'a'},
        {"size", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        CLI_FORECAST_LONGOPTS,
        {NULL, 0, NULL, 0}};
    struct cmr_chart_opts o = {0};
    const char *out = NULL, *kind = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "c:k:o:h", longopts, NULL)) != -1) {
        char err[256];
        switch (c) {
        case 'c': o.country = cli_country(optarg); break;
        case 'k': kind = optarg; break;
        case 'o': out = optarg; break;
        case 'a': {
            int code = cli_opt_at("chart", chart_usage, optarg, &o.forecast.at);
            if (code >= 0)
                return code;
            break;
        }
        case 's': {
            int code = opt_size("chart", chart_usage, "a chart", optarg,
                                CMR_CHART_MIN_WIDTH, CMR_CHART_MIN_HEIGHT,
                                &o.width, &o.height);
            if (code)
                return code;
            break;
        }
        case 'h':
            printf("usage: %s\n\nburndown: remaining area with its history, "
                   "the forecast fan (P10 to P90,\nmedian) and the deadline "
                   "and date requested; release: yearly release\nstacked by "
                   "method, with the area added below the axis.\nDefault size "
                   "1600x1000, at least %dx%d (below %dx%d the drawing is "
                   "scaled\ndown to fit).\n\n"
                   "  --at DATE        as of this date (default: 31 December "
                   "of the last year with\n"
                   "                   a release record)\n\n"
                   "The burn-down's forecast takes cmr forecast's options; "
                   "its subtitle names the\nmethod with its parameters, and "
                   "the capacity and discovery where given:\n%s",
                   chart_usage, CMR_CHART_MIN_WIDTH, CMR_CHART_MIN_HEIGHT,
                   CMR_CHART_MIN_WIDTH * 5 / 4, CMR_CHART_MIN_HEIGHT * 5 / 4,
                   cli_forecast_help);
            return EXIT_OK;
        default:
            switch (
                cli_forecast_option(c, optarg, &o.forecast, err, sizeof err)) {
            case 1: break;
            case -1: return cli_usage("chart", chart_usage, "%s", err);
            default:
                return cli_usage("chart", chart_usage, "%s",
                                 cli_bad_option(argv));
            }
        }
    }
    if (optind + 1 != argc || !o.country || !out || !kind)
        return cli_usage("chart", chart_usage,
                         "expected a store path, --country, --kind and -o");
    if (strcmp(kind, "burndown") == 0)
        o.kind = CMR_CHART_BURNDOWN;
    else if (strcmp(kind, "release") == 0)
        o.kind = CMR_CHART_RELEASE;
    else
        return cli_usage("chart", chart_usage, "--kind %s: burndown or release",
                         kind);
    struct cmr_store *store = NULL;
    enum cmr_status st =
        cmr_store_open(ctx, argv[optind], CMR_STORE_READ, &store);
    if (!st)
        st = cmr_chart_write(ctx, store, &o, out);
    cmr_store_close(store);
    cli_progress_end();
    if (st == CMR_EINVAL)
        return cli_usage("chart", chart_usage, "%s", cmr_ctx_errmsg(ctx));
    if (st)
        return cli_fail(ctx, "chart", st);
    printf("wrote %s\n", out);
    return EXIT_OK;
}
