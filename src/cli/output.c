/* SPDX-License-Identifier: MIT */
/* The only place that formats what commands print: messages, numbers, CSV
 * fields and the progress bar. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <time.h>

#include <glib.h>
#include <jansson.h>

#include "cli.h"

/* Whether the library's error is a --country the store does not know: a
 * usage error (exit 2), in every command. */
static bool unknown_state(enum cmr_status st, const char *msg)
{
    return st == CMR_EINVAL && (strncmp(msg, "unknown State", 13) == 0 ||
                                (strncmp(msg, "--country ", 10) == 0 &&
                                 strstr(msg, "not a State the store knows")));
}

int cli_fail(struct cmr_ctx *ctx, const char *cmd, enum cmr_status st)
{
    cli_progress_end();
    const char *msg = cmr_ctx_errmsg(ctx);
    if (unknown_state(st, msg)) {
        fprintf(stderr, "cmr: %s: %s\n", cmd, msg);
        return EXIT_USAGE;
    }
    fprintf(stderr, "cmr: %s: %s%s%s\n", cmd, cmr_status_str(st),
            *msg ? ": " : "", msg);
    return EXIT_FAIL;
}

int cli_usage(const char *cmd, const char *usage, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "cmr: %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s\n", usage);
    return EXIT_USAGE;
}

int cli_opt_at(const char *cmd, const char *usage, const char *arg,
               const char **at)
{
    if (!cmr_date_valid(arg))
        return cli_usage(cmd, usage, "--at %s: not a date (YYYY-MM-DD)", arg);
    *at = arg;
    return -1;
}

/* Whether path names a spreadsheet (XLSX, ODS), whose first row is its
 * header: there, feature N is the row N + 1 it shows (GDAL returns its
 * blank rows too; not so a CSV's blank lines, so a CSV gets no row). */
static bool has_header_row(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot &&
           (strcasecmp(dot, ".xlsx") == 0 || strcasecmp(dot, ".ods") == 0);
}

void cli_print_rejects(const char *cmd, const struct cmr_import_report *rep)
{
    for (size_t i = 0; i < cmr_import_report_reject_count(rep); i++) {
        struct cmr_reject r = cmr_import_report_reject(rep, i);
        char row[48] = "";
        if (has_header_row(r.file))
            snprintf(row, sizeof row, " (the sheet's row %lld)",
                     (long long)r.feature + 1);
        fprintf(stderr,
                "cmr: %s: rejected: %s: layer '%s': feature %lld%s%s%s: "
                "field %s: %s%s\n",
                cmd, r.file, r.layer, (long long)r.feature,
                *r.id ? " (id " : "", r.id, *r.id ? ")" : "", r.field, r.reason,
                row);
    }
}

void cli_log(void *user, enum cmr_log_level level, const char *msg)
{
    (void)user;
    if (level >= CMR_LOG_WARN)
        fprintf(stderr, "cmr: warning: %s\n", msg);
}

int cli_open_store(struct cmr_ctx *ctx, const char *cmd, const char *usage,
                   const char *path, struct cmr_store **store)
{
    *store = NULL;
    if (!*path)
        return cli_usage(cmd, usage, "the store path is empty");
    enum cmr_status st = cmr_store_open(ctx, path, CMR_STORE_READ, store);
    return st ? cli_fail(ctx, cmd, st) : -1;
}

int cli_ledger(struct cmr_ctx *ctx, const char *cmd, const char *usage,
               const char *path, const struct cmr_ledger_opts *lo,
               struct cmr_store **store, struct cmr_ledger **L)
{
    *L = NULL;
    int rc = cli_open_store(ctx, cmd, usage, path, store);
    return rc >= 0 ? rc : cli_compute(ctx, cmd, usage, lo, store, L);
}

int cli_compute(struct cmr_ctx *ctx, const char *cmd, const char *usage,
                const struct cmr_ledger_opts *lo, struct cmr_store **store,
                struct cmr_ledger **L)
{
    *L = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    enum cmr_status st = cmr_ledger_compute(ctx, *store, lo, L);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cli_progress_end();
    /* CMR_TIMING set: the ledger's own wall time, apart from the program's
     * start, reading the model and the output (scripts/bench.sh) */
    const char *timing = getenv("CMR_TIMING");
    if (timing && *timing)
        fprintf(stderr, "cmr: %s: timing: ledger %.4f s\n", cmd,
                (double)(t1.tv_sec - t0.tv_sec) +
                    (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    if (!st)
        return -1;
    cmr_store_close(*store);
    *store = NULL;
    /* a bad --at or --country is a usage error (exit 2), like the others */
    const char *m = cmr_ctx_errmsg(ctx);
    bool bad_arg = (st == CMR_EINVAL && strncmp(m, "--at ", 5) == 0) ||
                   unknown_state(st, m);
    return bad_arg ? cli_usage(cmd, usage, "%s", m) : cli_fail(ctx, cmd, st);
}

const char cli_forecast_help[] =
    "  --method M       montecarlo (default: resample past years), trailing "
    "(mean),\n"
    "                   trend (Theil-Sen line)\n"
    "  --window K       years in the window (default 3): the pace and the "
    "latest\n                   remaining area published are taken from "
    "it\n"
    "  --runs N         Monte Carlo runs (default 10000)\n"
    "  --seed S         Monte Carlo seed (default 1; same seed, same output)\n"
    "  --capacity X     scale past release (0.5: a funding cut)\n"
    "  --discovery M2   new contamination a year (default: the added series "
    "in\n"
    "                   Monte Carlo, none in the other methods)\n"
    "  --series S       ledger or figures (default: the ledger where the "
    "State has\n                   polygons, else its published figures)\n";

const char *cli_bad_option(char *const *argv)
{
    static char buf[320];
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    if (optopt && !(arg[0] == '-' && arg[1] == '-'))
        snprintf(buf, sizeof buf, "unknown option '-%c', or it needs a value",
                 optopt);
    else
        snprintf(buf, sizeof buf,
                 "unknown option '%.256s', or it needs a value", arg);
    return buf;
}

char *cli_country(char *s)
{
    if (strlen(s) == 3 && isalpha((unsigned char)s[0]) &&
        isalpha((unsigned char)s[1]) && isalpha((unsigned char)s[2]) &&
        strcmp(s, "all") != 0)
        for (char *p = s; *p; p++)
            *p = (char)toupper((unsigned char)*p);
    return s;
}

bool out_parse_format(const char *s, enum out_format *f)
{
    if (strcmp(s, "text") == 0)
        *f = OUT_TEXT;
    else if (strcmp(s, "csv") == 0)
        *f = OUT_CSV;
    else if (strcmp(s, "json") == 0)
        *f = OUT_JSON;
    else
        return false;
    return true;
}

const char *out_area(double m2, char *buf, size_t n)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.2f", fabs(m2) < 0.005 ? 0.0 : m2);
    char *dot = strchr(raw, '.');
    size_t intlen = (size_t)(dot - raw);
    size_t start = raw[0] == '-';
    size_t o = 0;
    for (size_t i = 0; i < intlen && o + 2 < n; i++) {
        buf[o++] = raw[i];
        size_t left = intlen - i - 1;
        if (i >= start && left > 0 && left % 3 == 0 && o + 2 < n)
            buf[o++] = ',';
    }
    for (const char *p = dot; *p && o + 1 < n; p++)
        buf[o++] = *p;
    buf[o] = '\0';
    return buf;
}

void out_text(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

void out_csv_field(FILE *f, const char *s)
{
    if (!s)
        return;
    /* A spreadsheet reads a cell that begins so as a formula (=cmd|...):
     * the apostrophe keeps it text (OWASP's advice for CSV injection). */
    bool formula = *s && strchr("=+-@\t\r", *s);
    if (!formula && !strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static bool bar_shown;
static double bar_last;

bool cli_progress(void *user, double fraction, const char *label)
{
    (void)user;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double now = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
    static double started = -1;
    if (started < 0)
        started = now;
    /* Work under a second gets no bar; then at most ten redraws a second. */
    if (now - started < 1.0 || (bar_shown && now - bar_last < 0.1))
        return true;
    bar_last = now;
    int width = 40, full = (int)(fraction * width + 0.5);
    if (full > width)
        full = width;
    fprintf(stderr, "\r%-10s [", label);
    for (int i = 0; i < width; i++)
        fputc(i < full ? '#' : '.', stderr);
    fprintf(stderr, "] %3d%%", (int)(fraction * 100 + 0.5));
    bar_shown = true;
    return true;
}

void cli_progress_end(void)
{
    if (bar_shown)
        fputs("\r\033[K", stderr);
    bar_shown = false;
}

bool cli_parse_precedence(const char *s, enum cmr_precedence *p)
{
    if (strcmp(s, "intensity") == 0)
        *p = CMR_PRECEDENCE_INTENSITY;
    else if (strcmp(s, "earliest") == 0)
        *p = CMR_PRECEDENCE_EARLIEST;
    else
        return false;
    return true;
}

bool cli_number_text(const char *s, bool negative_ok)
{
    return (isdigit((unsigned char)s[0]) || s[0] == '.' || s[0] == '+' ||
            (negative_ok && s[0] == '-')) &&
           !strpbrk(s, "xX"); /* (strtod reads hexadecimal too) */
}

bool cli_parse_jobs(const char *s, int *jobs)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!cli_number_text(s, false) || end == s || *end || v < 1 || v > 256)
        return false;
    *jobs = (int)v;
    return true;
}

json_t *out_json_text(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (j)
        return j;
    /* not UTF-8 (a store edited elsewhere): jansson takes none, and the
     * value would be lost; its bad bytes become U+FFFD instead */
    char *v = g_utf8_make_valid(s, -1);
    j = json_string(v);
    g_free(v);
    return j ? j : json_null();
}

void out_json(json_t *v)
{
    /* 15 significant digits print every area below 10^13 m2 to 0.01. */
    char *s = json_dumps(v, JSON_INDENT(2) | JSON_REAL_PRECISION(15) |
                                JSON_PRESERVE_ORDER);
    if (s)
        puts(s);
    free(s);
    json_decref(v);
}

static bool named(const char *const *l, size_t n, const char *iso3)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(l[i], iso3) == 0)
            return true;
    return false;
}

json_t *cli_state_indicators_json(const struct cmr_indicators *S,
                                  const char *iso3)
{
    json_t *rep = json_array(), *comp = json_array();
    for (size_t i = 0; S && i < cmr_indicators_count(S); i++) {
        const struct cmr_indicator *x = cmr_indicators_get(S, i);
        if (named(x->reported_states, x->nreported, iso3))
            json_array_append_new(rep, json_string(x->id));
        if (named(x->states, x->nstates, iso3))
            json_array_append_new(comp, json_string(x->id));
    }
    return json_pack("{s:s, s:o, s:o}", "cycle",
                     S ? cmr_indicators_cycle(S) : "", "reported", rep,
                     "computed", comp);
}

void cli_state_indicators_text(const struct cmr_indicators *S, const char *iso3,
                               char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int pass = 0; pass < 2 && S; pass++) {
        int w = snprintf(buf + used, n - used, "%s%s:", pass ? "; " : "",
                         pass ? "computed" : "reported");
        if (w > 0)
            used += (size_t)w;
        for (size_t i = 0; i < cmr_indicators_count(S) && used + 8 < n; i++) {
            const struct cmr_indicator *x = cmr_indicators_get(S, i);
            bool in = pass ? named(x->states, x->nstates, iso3)
                           : named(x->reported_states, x->nreported, iso3);
            if (in) {
                w = snprintf(buf + used, n - used, " %s", x->id);
                if (w > 0)
                    used += (size_t)w;
            }
        }
    }
}

int cli_forecast_option(int c, const char *arg, struct cmr_forecast_opts *o,
                        char *err, size_t n)
{
    char *end = NULL;
    long v;
    switch (c) {
    case OPT_METHOD:
        if (strcmp(arg, "montecarlo") == 0)
            o->method = CMR_FORECAST_MONTECARLO;
        else if (strcmp(arg, "trailing") == 0)
            o->method = CMR_FORECAST_TRAILING;
        else if (strcmp(arg, "trend") == 0)
            o->method = CMR_FORECAST_TREND;
        else
            break;
        return 1;
    case OPT_WINDOW:
        v = strtol(arg, &end, 10);
        if (!cli_number_text(arg, false) || end == arg || *end || v < 1 ||
            v > 50)
            break;
        o->window = (int)v;
        return 1;
    case OPT_RUNS:
        v = strtol(arg, &end, 10);
        if (!cli_number_text(arg, false) || end == arg || *end || v < 1 ||
            v > 10000000)
            break;
        o->runs = (int)v;
        return 1;
    case OPT_SEED:
        errno = 0;
        o->seed = strtoull(arg, &end, 10);
        if (!cli_number_text(arg, false) || end == arg || *end ||
            errno == ERANGE)
            break;
        return 1;
    case OPT_CAPACITY:
        o->capacity = strtod(arg, &end);
        if (!cli_number_text(arg, false) || end == arg || *end ||
            !(o->capacity > 0) || o->capacity > 100)
            break;
        return 1;
    case OPT_DISCOVERY:
        o->discovery = strtod(arg, &end);
        /* 1e12 m2 (a million km2) a year is beyond any State's land. */
        if (!cli_number_text(arg, false) || end == arg || *end ||
            !(o->discovery >= 0) || o->discovery > 1e12)
            break;
        o->has_discovery = true;
        return 1;
    case OPT_SERIES:
        if (strcmp(arg, "ledger") == 0)
            o->series = CMR_SERIES_LEDGER;
        else if (strcmp(arg, "figures") == 0)
            o->series = CMR_SERIES_FIGURES;
        else
            break;
        return 1;
    default: return 0;
    }
    static const char *const what[] = {"trailing, trend or montecarlo",
                                       "1 to 50",
                                       "1 to 10000000",
                                       "a whole number",
                                       "a multiplier > 0, at most 100",
                                       "m2 a year, 0 to 1e12",
                                       "ledger or figures"};
    static const char *const name[] = {"method",   "window",    "runs",  "seed",
                                       "capacity", "discovery", "series"};
    snprintf(err, n, "--%s %s: %s", name[c - OPT_METHOD], arg,
             what[c - OPT_METHOD]);
    return -1;
}
