/* SPDX-License-Identifier: MIT */
/* Structures and helpers shared by the library's modules; never installed.
 * Each third-party library is still reached from one file only: this header
 * declares the bridges' internal functions without their headers. */
#ifndef CMR_INTERNAL_H
#define CMR_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmr/cmr.h>

#define CMR_WARN_UNUSED  __attribute__((warn_unused_result))
#define CMR_PRINTF(a, b) __attribute__((format(printf, a, b)))

struct cmr_ctx {
    void *geos; /* GEOSContextHandle_t, owned by geom.c */
    void *proj; /* PJ_CONTEXT *, owned by crs.c */
    char errmsg[2048];
    cmr_log_fn log;
    void *log_user;
    cmr_progress_fn progress;
    void *progress_user;
};

/* ---- errors and logging (ctx.c) ---- */

/* Formats the context's message and returns status, so a failing path can
 * say `return cmr__error(ctx, CMR_EIO, "...")`. */
enum cmr_status cmr__error(struct cmr_ctx *ctx, enum cmr_status status,
                           const char *fmt, ...) CMR_PRINTF(3, 4);
/* Prepends "prefix: " to the current message (keeps the status). */
enum cmr_status cmr__error_prefix(struct cmr_ctx *ctx, enum cmr_status status,
                                  const char *fmt, ...) CMR_PRINTF(3, 4);
void cmr__log(struct cmr_ctx *ctx, enum cmr_log_level level, const char *fmt,
              ...) CMR_PRINTF(3, 4);
/* Reports progress; false when the caller asked to stop. */
bool cmr__progress(struct cmr_ctx *ctx, double fraction, const char *label);

/* ---- memory (alloc.c): our allocations go through the hook ---- */

void *cmr__malloc(size_t n) CMR_WARN_UNUSED;
void *cmr__calloc(size_t count, size_t size) CMR_WARN_UNUSED;
void *cmr__realloc(void *p, size_t n) CMR_WARN_UNUSED;
void cmr__free(void *p);
char *cmr__strdup(const char *s) CMR_WARN_UNUSED;
char *cmr__sprintf(const char *fmt, ...) CMR_PRINTF(1, 2) CMR_WARN_UNUSED;
bool cmr__grow(void **arr, size_t *cap, size_t need,
               size_t elem) CMR_WARN_UNUSED;
/* Makes room for need elements in *arr of capacity *cap; false on ENOMEM.
 * (Inline: most calls find the room there.) */
CMR_WARN_UNUSED static inline bool cmr__reserve(void **arr, size_t *cap,
                                                size_t need, size_t elem)
{
    return need <= *cap || cmr__grow(arr, cap, need, elem);
}

/* llround(x) for |x| < 2^62 (test_util checks it), inline where GCC calls
 * the library: trunc(x) is a double, so t and x - t are exact, and x - t,
 * in (-1, 1), tells which way a half goes (away from zero). */
static inline int64_t cmr__round_away(double x)
{
    int64_t t = (int64_t)x;
    double d = x - (double)t;
    return t + (d >= 0.5) - (d <= -0.5);
}

/* ---- strings (util.c) ---- */

bool cmr__streq_ci(const char *a, const char *b);
/* Whether a hazard's contamination value s means CMR as import reads it:
 * none, blank, or "CMR" in any case, white space around allowed (also
 * U+00A0, U+2007, U+202F and U+FEFF, which spreadsheets leave); so a store
 * edited elsewhere (QGIS) with "" or "cmr" keeps its CMR hazards in the
 * ledger. CMR__SQL_IS_CMR is the same test in SQL, for the maps. */
bool cmr__contam_is_cmr(const char *s);
#define CMR__SQL_IS_CMR                                                        \
    "(contamination IS NULL OR upper(trim(contamination, ' ' || "              \
    "char(9, 10, 11, 12, 13, 160, 8199, 8239, 65279))) IN ('', 'CMR'))"
/* A decimal number, spaces around allowed; false for anything else (a
 * hexadecimal "0x10", "1,000", "12 ha", an empty string, NaN, infinity). */
bool cmr__parse_decimal(const char *s, double *out);

/* A shared library loaded on first use (source.c: GDAL, render.c: Cairo
 * and Pango): the file built against (a library outside the loader's
 * search path too), else, after an update, the one of the same soname. */
struct cmr__lazy_lib {
    const char *path, *soname, *what;
    void *handle;      /* NULL until opened, and after a failure */
    char failure[512]; /* why it could not be loaded */
};
/* Opens l; false (with l->failure) when neither file can be loaded. */
bool cmr__lazy_open(struct cmr__lazy_lib *l);
/* Copies the address of function name into *fn (size bytes: a function
 * pointer, whose representation POSIX lets dlsym's result give); false,
 * with l->failure and l closed, when l has no such function. */
bool cmr__lazy_sym(struct cmr__lazy_lib *l, const char *name, void *fn,
                   size_t size);
/* s past its leading white space: ASCII's, and the no-break spaces and
 * byte order mark of cmr__contam_is_cmr. */
const char *cmr__skip_space(const char *s);
/* Copies s with leading and trailing white space removed: ASCII's, and
 * the no-break spaces and byte order mark of cmr__contam_is_cmr. */
char *cmr__trimdup(const char *s) CMR_WARN_UNUSED;
/* Whether s is valid UTF-8 (stores, JSON and the reports hold UTF-8). */
bool cmr__utf8_valid(const char *s);
/* Ends s before its first byte that is not valid UTF-8 (a buffer that
 * snprintf cut in a character). */
void cmr__utf8_cut(char *s);

/* A date as published: the day may be unknown. */
struct cmr__date {
    int year, month, day;
};
/* Parses YYYY-MM-DD (also YYYY/MM/DD, and an ISO date-time whose date part
 * is that); true only for a real calendar date. */
bool cmr__date_parse(const char *s, struct cmr__date *out);
/* Parses a date as published, to the day (YYYY-MM-DD), the month (YYYY-MM)
 * or the year (YYYY); one to the month or year means its first day. */
bool cmr__date_parse_published(const char *s, struct cmr__date *out);
bool cmr__date_valid(int y, int m, int d);
/* Days since 1970-01-01 (proleptic Gregorian). */
int64_t cmr__date_days(struct cmr__date d);
struct cmr__date cmr__date_from_days(int64_t days);
/* Writes YYYY-MM-DD into buf (11 bytes). */
void cmr__date_format(struct cmr__date d, char buf[11]);
int cmr__date_cmp(struct cmr__date a, struct cmr__date b);

/* ---- geometry bridge (geom.c, the only GEOS file) ---- */

void *cmr__geom_handle_new(struct cmr_ctx *ctx);
void cmr__geom_handle_free(void *handle);

/* ---- PROJ bridge (crs.c, the only PROJ file) ---- */

/* ctx->proj is made on first need (cmr__proj_new); freed here. */
void cmr__crs_context_free(void *pj_ctx);

/* ---- process-wide set-up (source.c, store.c) ---- */

void cmr__gdal_cleanup(void);
/* SQLite's memory statistics off (before SQLite is first used): true
 * when they are off. */
bool cmr__sqlite_stats_off(void);
/* The States of L that workers read (tests of the ledger's reading). */
struct cmr_ledger;
size_t cmr__ledger_worker_reads(const struct cmr_ledger *L);
/* Tests: the calling thread waits this long (ms, under 1000) before each
 * State it reads but its first, so that the workers read some. */
extern int cmr__ledger_test_read_delay_ms;
void cmr__crs_cleanup(void);

#endif
