/* SPDX-License-Identifier: MIT */
/* The cmr program: global options, the command table, the context's
 * lifetime and the exit code. */
#include <errno.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct command {
    const char *name;
    int (*run)(struct cmr_ctx *, int, char **);
    const char *summary;
} commands[] = {
    {"init", cmd_init, "create a store (a GeoPackage file)"},
    {"import", cmd_import, "import hazards and releases into a store"},
    {"status", cmd_status,
     "the ledger: remaining area, baseline, added and "
     "released, per State"},
    {"check", cmd_check,
     "findings: overlaps, release outside hazards, "
     "mismatches, ..."},
    {"forecast", cmd_forecast,
     "projected completion with uncertainty, and "
     "the deadline view"},
    {"evaluate", cmd_evaluate, "assess a State's extension request"},
    {"indicators", cmd_indicators, "the LAP indicators, reported and computed"},
    {"map", cmd_map, "contamination map (PNG, PDF, SVG)"},
    {"chart", cmd_chart, "burn-down or yearly release chart"},
    {"report", cmd_report, "HTML and PDF report: overview and State briefs"},
    {"synth", cmd_synth, "write the synthetic, calibrated demo data set"},
    {"upgrade", cmd_upgrade, "migrate a store to this version's schema"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: cmr [--version] [--help] COMMAND [ARGS]\n\n"
               "Land contaminated by cluster munition remnants: remaining "
               "area, release\nand Article 4 completion.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'cmr COMMAND --help' shows a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("cmr %s\n", cmr_version());
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    const struct command *cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            cmd = &commands[i];
    if (!cmd) {
        fprintf(stderr, "cmr: unknown command '%s'\n\n", argv[1]);
        usage(stderr);
        return EXIT_USAGE;
    }
#ifdef __GLIBC__
    /* glibc grows a thread's heap a page at a time (one mprotect each: 300
     * in a ledger of 10k hazards on two threads) and gives back what is
     * free above 128 KB at its top, to take it again at the next State. A
     * 16 MB margin at each growth and trim leaves it mapped: untouched
     * pages cost no memory; the pages kept are reused without a fault
     * (README, Benchmarks). */
    mallopt(M_TOP_PAD, 16 << 20);
#endif
    (void)cmr_global_init(); /* (SQLite is not in use yet) */
    struct cmr_ctx *ctx = NULL;
    enum cmr_status st = cmr_ctx_new(&ctx);
    if (st) {
        fprintf(stderr, "cmr: cannot start: %s\n", cmr_status_str(st));
        return EXIT_FAIL;
    }
    cmr_ctx_set_log(ctx, cli_log, NULL);
    if (isatty(STDERR_FILENO))
        cmr_ctx_set_progress(ctx, cli_progress, NULL);
    optind = 1;
    opterr = 0; /* cli_bad_option says what was wrong, in our format */
    int rc = cmd->run(ctx, argc - 1, argv + 1);
    /* Output that could not be written (a full disk, a closed stdout)
     * fails a call whose answer it is: a script must not take an empty
     * file for it (a review found exit 0 on /dev/full). A command whose
     * work is a store or a file written (init, import, map...) has done it
     * by now: it says so, and its exit status stands. */
    errno = 0;
    bool unflushed = fflush(stdout) != 0;
    if (unflushed || ferror(stdout)) {
        bool answer = strcmp(cmd->name, "status") == 0 ||
                      strcmp(cmd->name, "check") == 0 ||
                      strcmp(cmd->name, "forecast") == 0 ||
                      strcmp(cmd->name, "evaluate") == 0 ||
                      strcmp(cmd->name, "indicators") == 0;
        fprintf(stderr, "cmr: %s: the output could not be written (%s)%s\n",
                cmd->name,
                unflushed && errno ? strerror(errno)
                                   : "a write failed: a full disk, or a "
                                     "closed output",
                answer || rc != EXIT_OK ? "" : "; the command's work is done");
        if (answer && rc == EXIT_OK)
            rc = EXIT_FAIL;
    }
    cli_progress_end();
    cmr_ctx_free(ctx);
    cmr_global_cleanup();
    return rc;
}
