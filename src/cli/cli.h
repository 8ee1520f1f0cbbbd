/* SPDX-License-Identifier: MIT */
/* Shared declarations of the cmr program: the command table's entries and
 * the output helpers. The program includes only <cmr/cmr.h>. */
#ifndef CMR_CLI_H
#define CMR_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <cmr/cmr.h>

/* Exit codes. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cmd_init(struct cmr_ctx *ctx, int argc, char **argv);
int cmd_import(struct cmr_ctx *ctx, int argc, char **argv);
int cmd_status(struct cmr_ctx *ctx, int argc, char **argv);
int cmd_upgrade(struct cmr_ctx *ctx, int argc, char **argv);
int cmd_check(struct cmr_ctx *ctx, int argc, char **argv);
int cmd_synth(struct cmr_ctx *ctx, int argc, char **argv);
int cmd_forecast(struct cmr_ctx *ctx, int argc, char **argv);
int cmd_evaluate(struct cmr_ctx *ctx, int argc, char **argv);
int cmd_indicators(struct cmr_ctx *ctx, int argc, char **argv);
int cmd_map(struct cmr_ctx *ctx, int argc, char **argv);
int cmd_chart(struct cmr_ctx *ctx, int argc, char **argv);
int cmd_report(struct cmr_ctx *ctx, int argc, char **argv);

/* Prints "cmr: CMD: STATUS: MESSAGE" to stderr and returns EXIT_FAIL. */
int cli_fail(struct cmr_ctx *ctx, const char *cmd, enum cmr_status st);
/* Prints "cmr: CMD: MESSAGE" and the command's usage; returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* What getopt refused (getopt's own messages are off): the argument just
 * read, named as an unknown option or one without its value. */
const char *cli_bad_option(char *const *argv);

/* An ISO3 code as typed ("som") in the store's case ("SOM"), in place;
 * anything that is not three letters is left as it is ("all"). */
char *cli_country(char *s);

/* --at ARG: sets *at and returns -1, or, for a date that does not exist,
 * the exit code after the usage message (found before any work). */
int cli_opt_at(const char *cmd, const char *usage, const char *arg,
               const char **at);

/* Prints each rejected feature of an import on stderr ("cmr: CMD:
 * rejected: FILE: layer 'L': feature N (id X): field F: REASON"). */
void cli_print_rejects(const char *cmd, const struct cmr_import_report *rep);

/* Opens the store at path for reading and computes its ledger (status,
 * check). Returns -1 with *store and *L set, or the exit code after the
 * message (an unknown --country is a usage error). */
int cli_ledger(struct cmr_ctx *ctx, const char *cmd, const char *usage,
               const char *path, const struct cmr_ledger_opts *lo,
               struct cmr_store **store, struct cmr_ledger **L);
/* The program's log callback: warnings on stderr ("cmr: warning: ..."). */
void cli_log(void *user, enum cmr_log_level level, const char *msg);

/* cli_ledger's two halves: opening the store (-1 with *store set, or the
 * exit code after the message), and the ledger of the open store (-1 with
 * *L set, or the exit code after the message, the store closed and
 * *store NULL). */
int cli_open_store(struct cmr_ctx *ctx, const char *cmd, const char *usage,
                   const char *path, struct cmr_store **store);
int cli_compute(struct cmr_ctx *ctx, const char *cmd, const char *usage,
                const struct cmr_ledger_opts *lo, struct cmr_store **store,
                struct cmr_ledger **L);

enum out_format { OUT_TEXT, OUT_CSV, OUT_JSON };
bool out_parse_format(const char *s, enum out_format *f);

/* Formats an area in m² with thousands separators and 2 decimals into buf. */
const char *out_area(double m2, char *buf, size_t n);
/* Writes s as a CSV field (quoted when needed). */
void out_csv_field(FILE *f, const char *s);
/* Text from the store in the text form: control characters (a newline in
 * an id, say) print as '?', so one value cannot pass for other lines. */
void out_text(FILE *f, const char *s);

/* The options of a forecast, shared by forecast, evaluate, chart and
 * report: codes for getopt_long, and the table entries that list them. */
enum {
    OPT_METHOD = 400,
    OPT_WINDOW,
    OPT_RUNS,
    OPT_SEED,
    OPT_CAPACITY,
    OPT_DISCOVERY,
    OPT_SERIES
};
#define CLI_FORECAST_LONGOPTS                                                  \
    {"method", required_argument, NULL, OPT_METHOD},                           \
        {"window", required_argument, NULL, OPT_WINDOW},                       \
        {"runs", required_argument, NULL, OPT_RUNS},                           \
        {"seed", required_argument, NULL, OPT_SEED},                           \
        {"capacity", required_argument, NULL, OPT_CAPACITY},                   \
        {"discovery", required_argument, NULL, OPT_DISCOVERY},                 \
    {                                                                          \
        "series", required_argument, NULL, OPT_SERIES                          \
    }
/* The lines of --help that say what CLI_FORECAST_LONGOPTS do, for every
 * command that takes them (forecast, evaluate, chart, report). */
extern const char cli_forecast_help[];
/* Takes getopt code c with its argument into o: 1 when c is one of the
 * forecast options, 0 when it is not, -1 for a bad value (err says why). */
int cli_forecast_option(int c, const char *arg, struct cmr_forecast_opts *o,
                        char *err, size_t n);

/* Parses --precedence and --jobs values. */
bool cli_parse_precedence(const char *s, enum cmr_precedence *p);
bool cli_parse_jobs(const char *s, int *jobs);
/* Whether an option's value is written as a decimal number: it starts
 * with a digit, a point or a plus sign, or a minus sign where negative_ok,
 * and has no x (strtol and strtod skip leading white space, strtod reads
 * hexadecimal, and strtoull takes "-1" as 2^64 - 1). */
bool cli_number_text(const char *s, bool negative_ok);

/* Prints a JSON value to stdout (indented, areas to 0.01) and frees it. */
struct json_t;
void out_json(struct json_t *v);
/* A JSON string of s (null for NULL), its bytes that are not UTF-8 made
 * U+FFFD: a value is never dropped. */
struct json_t *out_json_text(const char *s);

/* The LAP indicators a State counts in, for the latest cycle: ids reported
 * (the Progress Report names the State) and computed (the data puts it in),
 * as a JSON object {"cycle", "reported", "computed"}, or a text line. */
struct json_t *cli_state_indicators_json(const struct cmr_indicators *S,
                                         const char *iso3);
void cli_state_indicators_text(const struct cmr_indicators *S, const char *iso3,
                               char *buf, size_t n);

/* A progress bar on stderr when it is a terminal (the library's hook). */
bool cli_progress(void *user, double fraction, const char *label);
void cli_progress_end(void);

#endif
