/* SPDX-License-Identifier: MIT */
/* The LAP indicator model (geodata/lap-indicators.csv, lap-cycles.csv,
 * lap-state-facts.csv, read through OGR) and the indicators computed from
 * the store: 20 (extension requests submitted in the cycle, from the
 * deadlines data, with whether each has milestones and costs), 24
 * (disaggregated remaining area), 21b (release above the previous years'
 * mean), 25 (completion declared in the cycle with nothing remaining) and
 * 18b (hazards recorded as marked). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forecast_int.h"
#include "hash.h"
#include "source.h"
#include "store_int.h"

static const char *const cycle_names[CMR_LAP_CYCLES] = {"10MSP", "11MSP",
                                                        "12MSP", "13MSP"};
static const char *const pillars[] = {
    "guiding-principles", "gender",
    "universalization",   "stockpile-destruction",
    "survey-clearance",   "risk-education",
    "victim-assistance",  "cooperation-assistance",
    "transparency",       "national-implementation",
    "compliance"};

const char *cmr_lap_cycle_name(int i)
{
    return i >= 0 && i < CMR_LAP_CYCLES ? cycle_names[i] : NULL;
}

struct side {
    const char **rep; /* the reported States, grown while loading */
    size_t cap;
};

struct cmr_indicators {
    char cycle[16], start[11], end[11];
    bool filled; /* cmr_indicators_fill has run */
    struct cmr_indicator *ind;
    struct side *side;
    size_t n, cap, capside;
    void **pool;
    size_t npool, cappool;
};

static void *keep(struct cmr_indicators *S, void *p)
{
    if (!p)
        return NULL;
    if (!cmr__reserve((void **)&S->pool, &S->cappool, S->npool + 1,
                      sizeof *S->pool)) {
        cmr__free(p);
        return NULL;
    }
    S->pool[S->npool++] = p;
    return p;
}

static const char *kdup(struct cmr_indicators *S, const char *s)
{
    return keep(S, cmr__strdup(s ? s : ""));
}

void cmr_indicators_free(struct cmr_indicators *S)
{
    if (!S)
        return;
    for (size_t i = 0; i < S->npool; i++)
        cmr__free(S->pool[i]);
    cmr__free(S->pool);
    for (size_t i = 0; S->side && i < S->n; i++)
        cmr__free(S->side[i].rep);
    cmr__free(S->side);
    cmr__free(S->ind);
    cmr__free(S);
}

const char *cmr_indicators_cycle(const struct cmr_indicators *S)
{
    return S->cycle;
}

void cmr_indicators_period(const struct cmr_indicators *S, const char **start,
                           const char **end)
{
    *start = S->start;
    *end = S->end;
}

size_t cmr_indicators_count(const struct cmr_indicators *S)
{
    return S->n;
}

const struct cmr_indicator *cmr_indicators_get(const struct cmr_indicators *S,
                                               size_t i)
{
    return &S->ind[i];
}

/* Parses a printed cell: "03", "61*", "01²", "226 / 15,497", "N/A". */
static void parse_value(struct cmr_indicators *S, const char *printed,
                        struct cmr_lap_value *v)
{
    memset(v, 0, sizeof *v);
    v->printed = kdup(S, printed);
    char note[16] = "";
    double num[2] = {0, 0};
    int k = 0;
    const char *p = printed;
    while (*p && k < 2) {
        while (*p == ' ' || *p == '/')
            p++;
        if (*p < '0' || *p > '9')
            break;
        double x = 0;
        while ((*p >= '0' && *p <= '9') || *p == ',') {
            if (*p != ',')
                x = x * 10 + (*p - '0');
            p++;
        }
        num[k++] = x;
        size_t nl = 0;
        while (*p && *p != ' ' && *p != '/' && nl + 1 < sizeof note)
            note[nl++] = *p++; /* a footnote mark right after the number */
        note[nl] = '\0';
    }
    v->kind = k;
    v->v[0] = num[0];
    v->v[1] = num[1];
    v->note = note[0] ? kdup(S, note) : NULL;
}

/* A CSV file of the model and the columns read from it. */
struct model_file {
    const char *name; /* lap-cycles.csv; its table in lap.gpkg: lap_cycles */
    const char *const *cols;
    int ncols;
};

/* "SELECT [c1], [c2] FROM [table]" for f (in sql, n bytes): names in
 * brackets, which SQLite never reads as strings (a double-quoted name that
 * matches no column would be read as a string, by OGR's connection too). */
static void copy_select(const struct model_file *f, char *sql, size_t n)
{
    size_t used = (size_t)snprintf(sql, n, "SELECT ");
    for (int c = 0; c < f->ncols && used < n; c++)
        used += (size_t)snprintf(sql + used, n - used, "%s[%s]", c ? ", " : "",
                                 f->cols[c]);
    char table[64];
    snprintf(table, sizeof table, "%.*s", (int)strcspn(f->name, "."), f->name);
    for (char *t = table; *t; t++)
        if (*t == '-')
            *t = '_';
    if (used < n)
        snprintf(sql + used, n - used, " FROM [%s]", table);
}

/* Whether one SQL query of ds gives one row whose first column is the
 * integer want (or, with text, the text). */
static bool one_value(struct cmr_ctx *ctx, struct cmr__ds *ds, const char *sql,
                      int64_t want, const char *text)
{
    struct cmr__rows *rows = NULL;
    bool ok = cmr__ds_query(ctx, ds, sql, &rows) == CMR_OK &&
              cmr__rows_next(rows) && !cmr__rows_is_null(rows, 0) &&
              (text ? cmr__rows_text(rows, 0) &&
                          strcmp(cmr__rows_text(rows, 0), text) == 0
                    : cmr__rows_int(rows, 0) == want) &&
              !cmr__rows_next(rows) && !cmr__rows_failed(rows);
    cmr__rows_close(rows);
    return ok;
}

/* The data directory's lap.gpkg (scripts/lap-gpkg.sh): the CSV files as
 * tables, with the SHA-256 and the row count of each. Read with SQLite
 * alone, it spares loading GDAL (some 35 ms of a run), and is used only
 * while, for every file, source_files has one row whose hash matches the
 * file beside it, and the table has every column read and that many rows:
 * an edited file is never read from a stale copy. NULL (read the CSV
 * files) when it is missing, unreadable, stale or incomplete. */
static struct cmr__ds *open_copy(struct cmr_ctx *ctx, const char *dir,
                                 const struct model_file *files, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/lap.gpkg", dir);
    if (access(path, R_OK) != 0)
        return NULL;
    char saved[sizeof ctx->errmsg]; /* what fails here is no error */
    memcpy(saved, ctx->errmsg, sizeof saved);
    struct cmr__ds *ds = NULL;
    bool ok = cmr__ds_open(ctx, path, false, &ds) == CMR_OK &&
              cmr__ds_has_layer(ds, "source_files");
    for (size_t i = 0; ok && i < n; i++) {
        char csv[4096], sha[65], sel[1024], sql[1400];
        snprintf(csv, sizeof csv, "%s/%s", dir, files[i].name);
        char *q = cmr__sql_quote(files[i].name);
        if (!q || !cmr__sha256_path(csv, sha)) {
            cmr__free(q);
            ok = false;
            break;
        }
        snprintf(sql, sizeof sql,
                 "SELECT sha256 FROM source_files WHERE file = %s "
                 "GROUP BY file HAVING COUNT(*) = 1",
                 q);
        ok = one_value(ctx, ds, sql, 0, sha);
        copy_select(&files[i], sel, sizeof sel);
        snprintf(
            sql, sizeof sql,
            "SELECT (SELECT COUNT(*) FROM (%s)) = n_rows FROM source_files "
            "WHERE file = %s",
            sel, q);
        ok = ok && one_value(ctx, ds, sql, 1, NULL);
        cmr__free(q);
    }
    memcpy(ctx->errmsg, saved, sizeof saved);
    if (!ok) {
        if (ds)
            cmr__log(ctx, CMR_LOG_INFO,
                     "%s does not match the CSV files beside it: they are "
                     "read instead (scripts/lap-gpkg.sh brings it up to "
                     "date)",
                     path);
        cmr__ds_close(ds);
        return NULL;
    }
    return ds;
}

/* Reads f's table in lap.gpkg, in the order of the file, as read_csv
 * reads the file. */
static enum cmr_status read_copy(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                 const struct model_file *f,
                                 enum cmr_status (*row)(void *, const char **),
                                 void *user)
{
    char sql[1100];
    copy_select(f, sql, 1024);
    strcat(sql, " ORDER BY fid");
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(ctx, ds, sql, &rows);
    if (st)
        return cmr__error_prefix(ctx, st, "lap.gpkg, the copy of %s", f->name);
    while (!st && cmr__rows_next(rows)) {
        const char *v[16];
        for (int c = 0; c < f->ncols; c++) {
            v[c] = cmr__rows_text(rows, c);
            if (!v[c])
                v[c] = "";
        }
        st = row(user, v);
    }
    if (!st && cmr__rows_failed(rows))
        st = cmr__error(ctx, CMR_EDB,
                        "lap.gpkg, the copy of %s: cannot be read", f->name);
    cmr__rows_close(rows);
    return st;
}

/* Reads a CSV of the data directory through OGR, calling row() with the
 * values of the named columns. */
static enum cmr_status read_csv(struct cmr_ctx *ctx, const char *dir,
                                const struct model_file *f,
                                enum cmr_status (*row)(void *, const char **),
                                void *user)
{
    const char *const *cols = f->cols;
    int ncols = f->ncols;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, f->name);
    struct cmr__src *src = NULL;
    enum cmr_status st = cmr__src_open(ctx, path, NULL, &src);
    if (st)
        return st;
    int idx[16];
    for (int c = 0; c < ncols; c++) {
        idx[c] = -1;
        for (int i = 0; i < cmr__src_field_count(src); i++)
            if (strcmp(cmr__src_field_name(src, i), cols[c]) == 0)
                idx[c] = i;
        if (idx[c] < 0) {
            cmr__src_close(src);
            return cmr__error(ctx, CMR_EFORMAT, "%s: no column %s", path,
                              cols[c]);
        }
    }
    for (;;) {
        bool more = false;
        if ((st = cmr__src_next(ctx, src, &more)) || !more)
            break;
        const char *v[16];
        for (int c = 0; c < ncols; c++) {
            v[c] = cmr__src_field(src, idx[c]);
            if (!v[c])
                v[c] = "";
        }
        if ((st = row(user, v)))
            break;
    }
    cmr__src_close(src);
    return st;
}

/* Reads model file f: from lap.gpkg when open_copy gave it, else the CSV
 * file. */
static enum cmr_status
read_model_file(struct cmr_ctx *ctx, const char *dir, struct cmr__ds *copy,
                const struct model_file *f,
                enum cmr_status (*row)(void *, const char **), void *user)
{
    return copy ? read_copy(ctx, copy, f, row, user)
                : read_csv(ctx, dir, f, row, user);
}

struct load {
    struct cmr_ctx *ctx;
    struct cmr_indicators *S;
    const char *pillar;
    int cycle;
    bool found_cycle;
};

static enum cmr_status on_indicator(void *user, const char **v)
{
    struct load *l = user;
    struct cmr_indicators *S = l->S;
    if (l->pillar && strcmp(v[0], l->pillar) != 0)
        return CMR_OK;
    if (!cmr__reserve((void **)&S->ind, &S->cap, S->n + 1, sizeof *S->ind) ||
        !cmr__reserve((void **)&S->side, &S->capside, S->n + 1,
                      sizeof *S->side))
        return cmr__error(l->ctx, CMR_ENOMEM, "out of memory");
    memset(&S->side[S->n], 0, sizeof *S->side);
    struct cmr_indicator *x = &S->ind[S->n++];
    memset(x, 0, sizeof *x);
    x->pillar = kdup(S, v[0]);
    x->action = atoi(v[1]);
    x->id = kdup(S, v[2]);
    x->indicator = kdup(S, v[3]);
    for (int c = 0; c < CMR_LAP_CYCLES; c++)
        parse_value(S, v[4 + c], &x->values[c]);
    x->footnote = v[8][0] ? kdup(S, v[8]) : NULL;
    x->computed_value = NAN;
    if (!x->pillar || !x->id || !x->indicator)
        return cmr__error(l->ctx, CMR_ENOMEM, "out of memory");
    return CMR_OK;
}

static enum cmr_status on_cycle(void *user, const char **v)
{
    struct load *l = user;
    if (strcmp(v[0], l->S->cycle) == 0) {
        snprintf(l->S->start, sizeof l->S->start, "%.10s", v[1]);
        snprintf(l->S->end, sizeof l->S->end, "%.10s", v[2]);
        l->found_cycle = true;
    }
    return CMR_OK;
}

static enum cmr_status on_fact(void *user, const char **v)
{
    struct load *l = user;
    struct cmr_indicators *S = l->S;
    if (strcmp(v[0], S->cycle) != 0 || !v[4][0] || strcmp(v[3], "false") == 0)
        return CMR_OK;
    for (size_t i = 0; i < S->n; i++) {
        struct cmr_indicator *x = &S->ind[i];
        struct side *sd = &S->side[i];
        if (strcmp(x->id, v[4]) != 0)
            continue;
        bool dup = false;
        for (size_t k = 0; k < x->nreported; k++)
            dup |= strcmp(sd->rep[k], v[1]) == 0;
        if (dup)
            continue;
        if (!cmr__reserve((void **)&sd->rep, &sd->cap, x->nreported + 1,
                          sizeof *sd->rep) ||
            !(sd->rep[x->nreported] = kdup(S, v[1])))
            return cmr__error(l->ctx, CMR_ENOMEM, "out of memory");
        x->nreported++;
        x->reported_states = sd->rep;
    }
    return CMR_OK;
}

static struct cmr_indicator *find(struct cmr_indicators *S, const char *id)
{
    for (size_t i = 0; i < S->n; i++)
        if (strcmp(S->ind[i].id, id) == 0)
            return &S->ind[i];
    return NULL;
}

/* ---- computed indicators ---- */

/* What the store decides of one computed indicator. */
struct decided {
    const char *const *st; /* the States counted */
    size_t n;
    const char *const *cov; /* the States whose data decides it */
    size_t ncov;
    const char *rule;
    const char *detail; /* more on the States counted (20's plans), or NULL */
    const char *none;   /* ncov 0: why the store cannot decide it */
    const char *others; /* ncov < the store's States: why they are left out */
    bool synthetic;     /* the value rests on synthetic records */
};

/* iso3 as listed in l (n States), or NULL when it is not. */
static const char *listed(const char *const *l, size_t n, const char *iso3)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(l[i], iso3) == 0)
            return l[i];
    return NULL;
}

static bool named(const char *const *l, size_t n, const char *iso3)
{
    return listed(l, n, iso3) != NULL;
}

/* A copy of n States kept in S, or NULL (out of memory). */
static const char **keep_states(struct cmr_indicators *S, const char *const *st,
                                size_t n)
{
    const char **copy = keep(S, cmr__calloc(n ? n : 1, sizeof *copy));
    for (size_t i = 0; copy && i < n; i++)
        if (!(copy[i] = kdup(S, st[i])))
            return NULL;
    return copy;
}

/* Sets indicator x from d, nscope being the number of States in the
 * store. Where no State's data decides it, the value is unknown (computed
 * false, the reason in detail), not 0: an empty store has not shown that
 * no State marks its hazards. Where only some States' data decide it, the
 * count covers those alone (covered, ncovered), a floor of what the
 * report counts over every affected State: it is a mismatch only where
 * the reported count is out of its reach (below it, or above it plus the
 * States left out), or where the report names all its States and one
 * decided here is counted on one side only. */
static enum cmr_status set_computed(struct cmr_ctx *ctx,
                                    struct cmr_indicators *S,
                                    struct cmr_indicator *x,
                                    const struct decided *d, size_t nscope)
{
    if (!x)
        return CMR_OK;
    const char **st = keep_states(S, d->st, d->n),
               **cov = keep_states(S, d->cov, d->ncov);
    x->rule = kdup(S, d->rule);
    if (!st || !cov || !x->rule)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    x->covered = cov;
    x->ncovered = d->ncov;
    x->nscope = nscope;
    x->mismatch = false;
    x->synthetic = false;
    char *detail = NULL;
    if (d->ncov == 0) {
        x->computed = false;
        x->undecided = true;
        x->computed_value = NAN;
        x->states = st;
        x->nstates = 0;
        detail = cmr__sprintf("unknown: %s", d->none);
    } else {
        x->computed = true;
        x->undecided = false;
        x->computed_value = (double)d->n;
        x->states = st;
        x->nstates = d->n;
        x->synthetic = d->synthetic;
        char list[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < d->ncov && used + 8 < sizeof list; i++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                     i ? " " : "", d->cov[i]);
        if (d->ncov < nscope)
            detail = cmr__sprintf(
                "decided for %zu of the %zu States in the store (%s): %s%s%s",
                d->ncov, nscope, list, d->others, d->detail ? "; " : "",
                d->detail ? d->detail : "");
        else if (d->detail)
            detail = cmr__strdup(d->detail);
        const struct cmr_lap_value *rep = NULL;
        for (int c = 0; c < CMR_LAP_CYCLES; c++)
            if (strcmp(cycle_names[c], S->cycle) == 0)
                rep = &x->values[c];
        if (rep && rep->kind == 1) {
            double left_out = (double)(nscope - d->ncov);
            x->mismatch =
                rep->v[0] < (double)d->n || rep->v[0] > (double)d->n + left_out;
            /* the report names all its States: each one decided here */
            if (x->nreported > 0 && (double)x->nreported == rep->v[0])
                for (size_t i = 0; i < d->ncov; i++)
                    x->mismatch |=
                        named(d->st, d->n, d->cov[i]) !=
                        named(x->reported_states, x->nreported, d->cov[i]);
        }
    }
    x->detail = NULL;
    if ((d->ncov == 0 || d->ncov < nscope || d->detail) &&
        !(x->detail = keep(S, detail)))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    if (!x->detail)
        cmr__free(detail);
    return CMR_OK;
}

static bool within(const char *date, const char *prec, const char *start,
                   const char *end)
{
    if (strcmp(prec, "period") == 0 && strlen(date) == 21)
        return strncmp(date, start, 10) >= 0 && strcmp(date + 11, end) <= 0;
    char from[11], to[11];
    size_t n = strlen(date);
    if (n == 10) {
        snprintf(from, sizeof from, "%s", date);
        snprintf(to, sizeof to, "%s", date);
    } else if (n == 7) {
        snprintf(from, sizeof from, "%s-01", date);
        snprintf(to, sizeof to, "%s-28", date);
    } else if (n == 4) {
        snprintf(from, sizeof from, "%s-01-01", date);
        snprintf(to, sizeof to, "%s-12-31", date);
    } else {
        return false;
    }
    /* A date known to the month or year counts when it lies wholly in the
     * cycle. */
    return strcmp(from, start) >= 0 && strcmp(to, end) <= 0;
}

/* The date of the ledger the cycle's computed indicators are taken from:
 * 31 December of the year before the cycle ends. */
static void ledger_date(const struct cmr_indicators *S, char out[11])
{
    snprintf(out, 11, "%04u-12-31", (unsigned)(atoi(S->end) - 1) % 10000u);
}

/* The store's States (of the country table) that have a row in table
 * (deadline, admin_area), in *out (n, at most the store's States). */
static enum cmr_status states_in(struct cmr_ctx *ctx, struct cmr_store *store,
                                 const char *table, const char **out, size_t *n)
{
    *n = 0;
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT DISTINCT country FROM %s", table);
    struct cmr__rows *rows = NULL;
    enum cmr_status rc = cmr__ds_query(ctx, store->ds, sql, &rows);
    if (rc)
        return rc;
    bool *has = cmr__calloc(store->ncountries + 1, sizeof *has);
    if (!has) {
        cmr__rows_close(rows);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    while (cmr__rows_next(rows)) {
        const char *c = cmr__rows_text(rows, 0);
        for (size_t i = 0; c && i < store->ncountries; i++)
            if (strcmp(store->countries[i].iso3, c) == 0)
                has[i] = true;
    }
    if (cmr__rows_failed(rows))
        rc = cmr__error(ctx, CMR_EDB, "%s: cannot be read", table);
    cmr__rows_close(rows);
    /* in the store's order of States */
    for (size_t i = 0; i < store->ncountries; i++)
        if (has[i])
            out[(*n)++] = store->countries[i].iso3;
    cmr__free(has);
    return rc;
}

static enum cmr_status compute(struct cmr_ctx *ctx, struct cmr_store *store,
                               struct cmr_indicators *S, int jobs,
                               const struct cmr_ledger *given)
{
    size_t nscope = store->ncountries;
    /* (each list holds at most the store's States) */
    const char **st = cmr__calloc(nscope + 1, sizeof *st),
               **cov = cmr__calloc(nscope + 1, sizeof *cov),
               **dl = cmr__calloc(nscope + 1, sizeof *dl),
               **bd = cmr__calloc(nscope + 1, sizeof *bd);
    struct cmr_ledger *mine = NULL;
    struct cmr__rows *rows = NULL;
    enum cmr_status rc = CMR_OK;
    if (!st || !cov || !dl || !bd) {
        rc = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    size_t n = 0, ncov = 0, ndl = 0, nbd = 0;
    char detail[4096], none[256], rule[256];
    /* The States the deadlines data speaks of (20, 25) and those with
     * boundaries (24). */
    if ((rc = states_in(ctx, store, "deadline", dl, &ndl)) ||
        (rc = states_in(ctx, store, "admin_area", bd, &nbd)))
        goto done;
    static const char no_deadlines[] =
        "the store has no deadlines data (cmr init loads geodata/"
        "deadlines.csv; cmr import --deadlines adds it)";
    static const char others_deadlines[] =
        "the others have no row in the deadlines data";

    /* 20: requests submitted in the cycle, from the deadlines data. */
    if ((rc = cmr__ds_query(ctx, store->ds,
                            "SELECT d.country, d.date, d.precision, "
                            "(SELECT COUNT(*) FROM plan_year p JOIN "
                            "extension_request r ON p.request = r.request "
                            "WHERE r.country = d.country AND r.meeting = "
                            "d.meeting), (SELECT COUNT(*) FROM plan_cost c "
                            "JOIN extension_request r ON c.request = "
                            "r.request WHERE r.country = d.country AND "
                            "r.meeting = d.meeting), (SELECT MAX(synthetic) "
                            "FROM extension_request r WHERE r.country = "
                            "d.country AND r.meeting = d.meeting) FROM "
                            "deadline d WHERE d.fact = 'request_submitted' "
                            "ORDER BY d.country",
                            &rows)))
        goto done;
    size_t used = 0;
    detail[0] = '\0';
    while (cmr__rows_next(rows)) {
        const char *c = cmr__rows_text(rows, 0), *d = cmr__rows_text(rows, 1),
                   *p = cmr__rows_text(rows, 2);
        if (!c || !d || !p || !within(d, p, S->start, S->end) ||
            !named(dl, ndl, c) || named(st, n, c))
            continue;
        st[n++] = listed(dl, ndl, c); /* (kept: the row's text is not) */
        int w =
            snprintf(detail + used, sizeof detail - used,
                     "%s%s: milestones %s, costs %s%s", used ? "; " : "", c,
                     cmr__rows_int(rows, 3) ? "yes" : "no",
                     cmr__rows_int(rows, 4) ? "yes" : "no",
                     cmr__rows_int(rows, 5) == 1 ? " (synthetic plan)" : "");
        if (w > 0 && (size_t)w < sizeof detail - used)
            used += (size_t)w;
    }
    cmr__rows_close(rows);
    rows = NULL;
    /* The count itself comes from the published deadlines data; only the
     * detail on plans may rest on a synthetic plan, and says so. */
    struct decided d20 = {
        .st = st,
        .n = n,
        .cov = dl,
        .ncov = ndl,
        .rule = "States with an Article 4 extension request submitted "
                "within the cycle's period (deadlines data: "
                "request_submitted dated wholly in the period)",
        .detail = used ? detail : NULL,
        .none = no_deadlines,
        .others = others_deadlines};
    if ((rc = set_computed(ctx, S, find(S, "20"), &d20, nscope)))
        goto done;

    /* The ledger at the end of the calendar year the cycle reports on. */
    char at[11];
    ledger_date(S, at);
    const struct cmr_ledger *L = given;
    if (!L || strcmp(cmr_ledger_as_of(L), at) != 0) {
        struct cmr_ledger_opts lo = {.at = at, .jobs = jobs};
        if ((rc = cmr_ledger_compute(ctx, store, &lo, &mine)))
            goto done;
        L = mine;
    }
    size_t nled = cmr_ledger_count(L);
    char no_records[128], others_records[128];
    snprintf(no_records, sizeof no_records,
             "no hazard or release record in the store at %s", at);
    snprintf(others_records, sizeof others_records,
             "the others have no record at %s", at);

    /* 24: remaining area disaggregated by province, where the State has
     * records and boundaries. */
    n = ncov = 0;
    bool syn = false;
    for (size_t i = 0; i < nled; i++) {
        const struct cmr_ledger_state *s = cmr_ledger_state(L, i);
        if (!named(bd, nbd, s->country))
            continue;
        cov[ncov++] = s->country;
        syn |= s->synthetic; /* (a State not counted decides it too) */
        bool prov = false;
        for (size_t k = 0; k < s->nprovinces; k++)
            prov |= s->by_province[k].code != NULL;
        if (s->remaining_m2 > 0 && prov)
            st[n++] = s->country;
    }
    snprintf(rule, sizeof rule,
             "States whose remaining area at %s is broken down by province "
             "(ledger, polygons intersected with the boundaries)",
             at);
    if (nbd == 0)
        snprintf(none, sizeof none,
                 "no boundaries in the store (cmr init --boundaries)");
    else if (nled == 0)
        snprintf(none, sizeof none, "%s", no_records);
    else
        snprintf(none, sizeof none,
                 "no State with records at %s has provinces in the store's "
                 "boundaries",
                 at);
    char others[160];
    snprintf(others, sizeof others,
             "the others have no record at %s, or no provinces in the "
             "store's boundaries",
             at);
    struct decided d24 = {.st = st,
                          .n = n,
                          .cov = cov,
                          .ncov = ncov,
                          .rule = rule,
                          .none = none,
                          .others = others,
                          .synthetic = syn};
    if ((rc = set_computed(ctx, S, find(S, "24"), &d24, nscope)))
        goto done;

    /* 21b: release in the year above the mean of the three before, where
     * the State has records (the ledger's years without one count zero). */
    n = ncov = 0;
    syn = false;
    int y = atoi(at);
    for (size_t i = 0; i < nled; i++) {
        const struct cmr_ledger_state *s = cmr_ledger_state(L, i);
        cov[ncov++] = s->country;
        syn |= s->synthetic;
        double last = 0, prev = 0;
        for (size_t k = 0; k < s->nyears; k++) {
            const struct cmr_ledger_year *ly = &s->by_year[k];
            double r = ly->cancelled_m2 + ly->reduced_m2 + ly->cleared_m2;
            if (ly->year == y)
                last = r;
            else if (ly->year >= y - 3 && ly->year < y)
                prev += r;
        }
        if (last > prev / 3 && last > 0)
            st[n++] = s->country;
    }
    snprintf(rule, sizeof rule,
             "States whose land release in %d (ledger) exceeds the mean of "
             "%d-%d",
             y, y - 3, y - 1);
    struct decided d21 = {.st = st,
                          .n = n,
                          .cov = cov,
                          .ncov = ncov,
                          .rule = rule,
                          .none = no_records,
                          .others = others_records,
                          .synthetic = syn};
    if ((rc = set_computed(ctx, S, find(S, "21b"), &d21, nscope)))
        goto done;

    /* 25: completion declared in the cycle (deadlines data), nothing
     * remaining in the ledger. */
    n = 0;
    syn = false;
    if ((rc = cmr__ds_query(ctx, store->ds,
                            "SELECT country, date, precision FROM "
                            "deadline WHERE fact = 'completion_declared'",
                            &rows)))
        goto done;
    while (cmr__rows_next(rows)) {
        const char *c = cmr__rows_text(rows, 0), *d = cmr__rows_text(rows, 1),
                   *p = cmr__rows_text(rows, 2);
        if (!c || !d || !p || !within(d, p, S->start, S->end) ||
            !named(dl, ndl, c) || named(st, n, c))
            continue;
        bool left = false;
        for (size_t i = 0; i < nled; i++)
            if (strcmp(cmr_ledger_state(L, i)->country, c) == 0)
                left = cmr_ledger_state(L, i)->remaining_m2 > 0;
        if (!left)
            st[n++] = listed(dl, ndl, c);
    }
    cmr__rows_close(rows);
    rows = NULL;
    /* (the ledger's remaining area decides for each State the deadlines
     * data covers, counted or not) */
    for (size_t i = 0; i < nled; i++)
        if (named(dl, ndl, cmr_ledger_state(L, i)->country))
            syn |= cmr_ledger_state(L, i)->synthetic;
    struct decided d25 = {
        .st = st,
        .n = n,
        .cov = dl,
        .ncov = ndl,
        .rule = "States that declared completion within the cycle's period "
                "(deadlines data) and have no remaining area in the ledger",
        .none = no_deadlines,
        .others = others_deadlines,
        .synthetic = syn};
    if ((rc = set_computed(ctx, S, find(S, "25"), &d25, nscope)))
        goto done;

    /* 18b: hazards recorded as marked, counted by the ledger as it reads
     * them, where the State has open hazards whose records say whether
     * they are marked (one marked is enough to count it; one that does not
     * say leaves an unmarked State undecided). */
    n = ncov = 0;
    syn = false;
    size_t with_hazards = 0;
    for (size_t i = 0; i < nled; i++) {
        const struct cmr_ledger_state *s = cmr_ledger_state(L, i);
        if (s->hazards_open == 0) /* (all closed: nothing to mark) */
            continue;
        with_hazards++;
        if (s->hazards_marked == 0 && s->hazards_marked_unknown > 0)
            continue;
        cov[ncov++] = s->country;
        syn |= s->open_synthetic;
        if (s->hazards_marked > 0)
            st[n++] = s->country;
    }
    snprintf(rule, sizeof rule,
             "States with open CMR hazards recorded as marked "
             "(hazard.marked = 1) at %s",
             at);
    if (with_hazards == 0)
        snprintf(none, sizeof none, "no open hazard in the store at %s", at);
    else
        snprintf(none, sizeof none,
                 "no open hazard of the States with records at %s says "
                 "whether it is marked (hazard.marked)",
                 at);
    snprintf(others, sizeof others,
             "the others have no open hazard at %s, or none that says "
             "whether it is marked",
             at);
    struct decided d18 = {.st = st,
                          .n = n,
                          .cov = cov,
                          .ncov = ncov,
                          .rule = rule,
                          .none = none,
                          .others = others,
                          .synthetic = syn};
    rc = set_computed(ctx, S, find(S, "18b"), &d18, nscope);
done:
    cmr__rows_close(rows);
    cmr_ledger_free(mine);
    cmr__free(st);
    cmr__free(cov);
    cmr__free(dl);
    cmr__free(bd);
    return rc;
}

enum cmr_status cmr_indicators_ledger_date(struct cmr_ctx *ctx,
                                           const struct cmr_indicator_opts *o,
                                           char out[11])
{
    out[0] = '\0';
    struct cmr_indicator_opts def = {0};
    if (!o)
        o = &def;
    const char *cycle = o->cycle ? o->cycle : cycle_names[CMR_LAP_CYCLES - 1];
    bool known = false;
    for (int i = 0; i < CMR_LAP_CYCLES; i++)
        known |= strcmp(cycle, cycle_names[i]) == 0;
    if (!known)
        return cmr__error(ctx, CMR_EINVAL,
                          "unknown cycle '%s' (10MSP, 11MSP, 12MSP, 13MSP)",
                          cycle);
    const char *dir = o->datadir ? o->datadir : cmr_data_dir();
    if (!dir)
        return cmr__error(ctx, CMR_EIO,
                          "the LAP indicator data was not found (set "
                          "CMR_DATADIR)");
    struct cmr_indicators S = {0};
    snprintf(S.cycle, sizeof S.cycle, "%s", cycle);
    struct load l = {ctx, &S, NULL, 0, false};
    static const char *const ccols[] = {"cycle", "start", "end"};
    const struct model_file files[] = {{"lap-cycles.csv", ccols, 3}};
    struct cmr__ds *copy = open_copy(ctx, dir, files, 1);
    enum cmr_status st =
        read_model_file(ctx, dir, copy, &files[0], on_cycle, &l);
    cmr__ds_close(copy);
    if (!st && !l.found_cycle)
        st = cmr__error(ctx, CMR_EFORMAT, "lap-cycles.csv has no %s", cycle);
    if (!st)
        ledger_date(&S, out);
    return st;
}

struct meeting_day {
    const char *meeting;
    char *out;
};

static enum cmr_status on_meeting(void *user, const char **v)
{
    struct meeting_day *m = user;
    struct cmr__date d;
    if (strcmp(v[0], m->meeting) == 0 && cmr__date_parse(v[1], &d))
        cmr__date_format(d, m->out);
    return CMR_OK;
}

enum cmr_status cmr__lap_meeting_date(struct cmr_ctx *ctx, const char *meeting,
                                      char out[11])
{
    out[0] = '\0';
    const char *dir = cmr_data_dir();
    if (!dir)
        return CMR_OK;
    static const char *const cols[] = {"cycle", "meeting_date"};
    const struct model_file files[] = {{"lap-cycles.csv", cols, 2}};
    struct cmr__ds *copy = open_copy(ctx, dir, files, 1);
    char csv[4096];
    snprintf(csv, sizeof csv, "%s/%s", dir, files[0].name);
    if (!copy && access(csv, R_OK) != 0)
        return CMR_OK; /* no cycles in the data: no date */
    struct meeting_day m = {meeting, out};
    enum cmr_status st =
        read_model_file(ctx, dir, copy, &files[0], on_meeting, &m);
    cmr__ds_close(copy);
    return st;
}

enum cmr_status cmr_indicators_load(struct cmr_ctx *ctx,
                                    const struct cmr_indicator_opts *o,
                                    struct cmr_indicators **out)
{
    *out = NULL;
    struct cmr_indicator_opts def = {0};
    if (!o)
        o = &def;
    const char *cycle = o->cycle ? o->cycle : cycle_names[CMR_LAP_CYCLES - 1];
    int ci = -1;
    for (int i = 0; i < CMR_LAP_CYCLES; i++)
        if (strcmp(cycle, cycle_names[i]) == 0)
            ci = i;
    if (ci < 0)
        return cmr__error(ctx, CMR_EINVAL,
                          "unknown cycle '%s' (10MSP, 11MSP, 12MSP, 13MSP)",
                          cycle);
    if (o->pillar) {
        bool ok = false;
        for (size_t i = 0; i < sizeof pillars / sizeof *pillars; i++)
            ok |= strcmp(o->pillar, pillars[i]) == 0;
        if (!ok)
            return cmr__error(ctx, CMR_EINVAL,
                              "unknown pillar '%s' (see cmr indicators "
                              "--help)",
                              o->pillar);
    }
    const char *dir = o->datadir ? o->datadir : cmr_data_dir();
    if (!dir)
        return cmr__error(ctx, CMR_EIO,
                          "the LAP indicator data was not found (set "
                          "CMR_DATADIR)");
    struct cmr_indicators *S = cmr__calloc(1, sizeof *S);
    if (!S)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    snprintf(S->cycle, sizeof S->cycle, "%s", cycle);
    struct load l = {ctx, S, o->pillar, ci, false};
    static const char *const icols[] = {
        "pillar",        "action",        "id",
        "indicator",     "printed_10msp", "printed_11msp",
        "printed_12msp", "printed_13msp", "note"};
    static const char *const ccols[] = {"cycle", "start", "end"};
    static const char *const fcols[] = {"cycle", "country", "fact", "value",
                                        "indicator_id"};
    const struct model_file files[] = {{"lap-indicators.csv", icols, 9},
                                       {"lap-cycles.csv", ccols, 3},
                                       {"lap-state-facts.csv", fcols, 5}};
    struct cmr__ds *copy = open_copy(ctx, dir, files, 3);
    enum cmr_status st =
        read_model_file(ctx, dir, copy, &files[0], on_indicator, &l);
    if (!st)
        st = read_model_file(ctx, dir, copy, &files[1], on_cycle, &l);
    if (!st && !l.found_cycle)
        st = cmr__error(ctx, CMR_EFORMAT, "lap-cycles.csv has no %s", S->cycle);
    if (!st)
        st = read_model_file(ctx, dir, copy, &files[2], on_fact, &l);
    cmr__ds_close(copy);
    if (st) {
        cmr_indicators_free(S);
        return st;
    }
    *out = S;
    return CMR_OK;
}

enum cmr_status cmr_indicators_fill(struct cmr_ctx *ctx,
                                    struct cmr_store *store,
                                    const struct cmr_indicator_opts *o,
                                    struct cmr_indicators *set)
{
    struct cmr_indicator_opts def = {0};
    if (!o)
        o = &def;
    if (set->filled)
        return cmr__error(ctx, CMR_EINVAL,
                          "the indicators are computed already");
    set->filled = true;
    return compute(ctx, store, set, o->jobs, o->ledger);
}

enum cmr_status cmr_indicators_compute(struct cmr_ctx *ctx,
                                       struct cmr_store *store,
                                       const struct cmr_indicator_opts *o,
                                       struct cmr_indicators **out)
{
    struct cmr_indicators *S = NULL;
    enum cmr_status st = cmr_indicators_load(ctx, o, &S);
    if (!st)
        st = cmr_indicators_fill(ctx, store, o, S);
    if (st) {
        cmr_indicators_free(S);
        *out = NULL;
        return st;
    }
    *out = S;
    return CMR_OK;
}

void cmr_indicators_ledger_date_of(const struct cmr_indicators *set,
                                   char out[11])
{
    ledger_date(set, out);
}
