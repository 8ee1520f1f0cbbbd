/* SPDX-License-Identifier: MIT */
/* Reference data: boundaries (provinces, State outlines, neighbours),
 * Article 4 deadlines and published national figures. Each source is read
 * and checked row by row (a bad row is a reject naming file, row and field)
 * and then replaces what the store held of its kind, in the import's
 * transaction. CSV files are read through OGR, never parsed here. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geom.h"
#include "hash.h"
#include "import_int.h"
#include "store_int.h"

struct ref_table {
    const char *table;       /* in the store */
    const char *layer;       /* in the source (NULL: the first) */
    const char *const *cols; /* columns read and written, in order */
    size_t ncols;
    bool spatial;
    char **vals; /* n * ncols */
    unsigned char **wkb;
    size_t *len;
    size_t n, capv, capw;
};

struct cmr__refbatch {
    enum cmr_kind kind;
    const char *open; /* the source as given, opened */
    char *file;       /* as shown and recorded (cmr__src_shown) */
    char sha256[65];
    struct ref_table t[3];
    size_t nt;
};

static const char *const admin1_cols[] = {"country", "code", "name"};
static const char *const outline_cols[] = {"iso3", "name"};
static const char *const deadline_cols[] = {"country",    "fact",    "date",
                                            "precision",  "meeting", "status",
                                            "source_url", "quote",   "note"};
static const char *const figure_cols[] = {"country", "metric", "year",
                                          "value",   "unit",   "source_url",
                                          "quote",   "note"};
#define N(a) (sizeof(a) / sizeof((a)[0]))

void cmr__ref_free(struct cmr__refbatch *b)
{
    if (!b)
        return;
    for (size_t t = 0; t < b->nt; t++) {
        struct ref_table *x = &b->t[t];
        for (size_t i = 0; i < x->n * x->ncols; i++)
            cmr__free(x->vals[i]);
        for (size_t i = 0; x->wkb && i < x->n; i++)
            cmr__free(x->wkb[i]);
        cmr__free(x->vals);
        cmr__free(x->wkb);
        cmr__free(x->len);
    }
    cmr__free(b->file);
    cmr__free(b);
}

static bool is_known(const struct cmr_store *s, const char *iso3)
{
    return iso3 && cmr__store_find_country(s, iso3) != NULL;
}

static bool is_number(const char *s, double *v)
{
    char *end = NULL;
    *v = strtod(s, &end);
    return end != s && *end == '\0' && isfinite(*v);
}

/* Checks one row of a deadlines file; returns the field at fault (with
 * why filled) or NULL. */
static const char *check_deadline(const struct cmr_store *s, char **v,
                                  char *why, size_t n)
{
    static const char *const facts[] = {
        "entry_into_force",  "deadline_original", "extension_granted",
        "request_submitted", "request_asked",     "completion_declared",
        "national_target",   "meeting_held"};
    /* (a meeting of the States Parties is all States': WLD, and only it) */
    bool meeting_held = v[1] && strcmp(v[1], "meeting_held") == 0;
    bool wld = v[0] && strcmp(v[0], "WLD") == 0;
    if (meeting_held ? !wld : !is_known(s, v[0])) {
        snprintf(why, n,
                 meeting_held ? "country '%s': a meeting_held fact is WLD's"
                              : "country '%s' is not one the store knows",
                 v[0] ? v[0] : "");
        return "country";
    }
    if (meeting_held && (!v[4] || !*v[4])) {
        snprintf(why, n, "a meeting_held fact names its meeting");
        return "meeting";
    }
    bool fact_ok = false;
    for (size_t i = 0; i < N(facts); i++)
        fact_ok |= v[1] && strcmp(v[1], facts[i]) == 0;
    if (!fact_ok) {
        snprintf(why, n, "unknown fact '%s'", v[1] ? v[1] : "");
        return "fact";
    }
    const char *d = v[2] ? v[2] : "", *p = v[3] ? v[3] : "";
    struct cmr__date dt;
    char full[16];
    bool ok = false;
    if (strcmp(p, "day") == 0)
        ok = strlen(d) == 10 && cmr__date_parse(d, &dt);
    else if (strcmp(p, "month") == 0) {
        snprintf(full, sizeof full, "%s-01", d);
        ok = strlen(d) == 7 && cmr__date_parse(full, &dt);
    } else if (strcmp(p, "period") == 0) {
        /* A period the source names instead of a date: FROM/TO. */
        struct cmr__date to;
        char from[11];
        snprintf(from, sizeof from, "%.10s", d);
        ok = strlen(d) == 21 && d[10] == '/' && cmr__date_parse(from, &dt) &&
             cmr__date_parse(d + 11, &to) && cmr__date_cmp(dt, to) <= 0;
    } else if (strcmp(p, "year") == 0) {
        snprintf(full, sizeof full, "%s-01-01", d);
        ok = strlen(d) == 4 && cmr__date_parse(full, &dt);
    } else {
        snprintf(why, n, "precision '%s' is not day, month, year or period", p);
        return "precision";
    }
    if (!ok) {
        snprintf(why, n, "'%s' is not a date of precision %s", d, p);
        return "date";
    }
    if (!v[6] || !*v[6]) {
        snprintf(why, n, "no source_url: every fact needs its source");
        return "source_url";
    }
    if (!v[7] || !*v[7]) {
        snprintf(why, n, "no quote: every fact needs the phrase it rests on");
        return "quote";
    }
    return NULL;
}

static const char *check_figure(const struct cmr_store *s, char **v, char *why,
                                size_t n)
{
    static const char *const units[] = {
        "km2",   "ha",     "m2",      "count",       "USD",        "EUR",
        "teams", "people", "percent", "USD million", "EUR million"};
    double x;
    if (!v[0] || (!is_known(s, v[0]) && strcmp(v[0], "WLD") != 0)) {
        snprintf(why, n, "country '%s' is not one the store knows (or WLD)",
                 v[0] ? v[0] : "");
        return "country";
    }
    if (!v[1] || !*v[1]) {
        snprintf(why, n, "no metric");
        return "metric";
    }
    if (!v[2] || !is_number(v[2], &x) || x != floor(x) || x < 1990 ||
        x > 2100) {
        snprintf(why, n, "'%s' is not a year", v[2] ? v[2] : "");
        return "year";
    }
    if (!v[3] || !is_number(v[3], &x)) {
        snprintf(why, n, "'%s' is not a number", v[3] ? v[3] : "");
        return "value";
    }
    bool unit_ok = false;
    for (size_t i = 0; i < N(units); i++)
        unit_ok |= v[4] && strcmp(v[4], units[i]) == 0;
    if (!unit_ok) {
        snprintf(why, n, "unknown unit '%s'", v[4] ? v[4] : "");
        return "unit";
    }
    if (!v[5] || !*v[5]) {
        snprintf(why, n, "no source_url: every figure needs its source");
        return "source_url";
    }
    if (!v[6] || !*v[6]) {
        snprintf(why, n, "no quote: every figure needs the phrase it rests on");
        return "quote";
    }
    return NULL;
}

static const char *check_boundary(const struct cmr_store *s,
                                  const struct ref_table *t, char **v,
                                  char *why, size_t n)
{
    if (t->cols == admin1_cols && !is_known(s, v[0])) {
        snprintf(why, n, "country '%s' is not one the store knows",
                 v[0] ? v[0] : "");
        return "country";
    }
    if (!v[0] || !v[1]) {
        snprintf(why, n, "empty %s", !v[0] ? t->cols[0] : t->cols[1]);
        return !v[0] ? t->cols[0] : t->cols[1];
    }
    if (strcmp(t->table, "country_outline") == 0) {
        /* one outline per State the store knows (a second one would be
         * silently dropped by the map, and its area by the ledger) */
        if (!is_known(s, v[0])) {
            snprintf(why, n, "iso3 '%s' is not a State the store knows", v[0]);
            return "iso3";
        }
        for (size_t i = 0; i < t->n; i++)
            if (strcmp(t->vals[i * t->ncols], v[0]) == 0) {
                snprintf(why, n, "a second outline for '%s'", v[0]);
                return "iso3";
            }
    }
    return NULL;
}

static enum cmr_status read_table(struct cmr_ctx *ctx,
                                  const struct cmr_store *store,
                                  struct cmr_import_report *rep,
                                  struct cmr__refbatch *b, struct ref_table *t)
{
    struct cmr__src *src = NULL;
    struct cmr_geom *g = NULL, *valid = NULL;
    unsigned char *wkb = NULL;
    char *repair = NULL;
    char **row = cmr__calloc(t->ncols, sizeof *row);
    int *col = cmr__calloc(t->ncols, sizeof *col);
    enum cmr_status st =
        row && col ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "oom");
    if (!st)
        st = cmr__src_open(ctx, b->open, t->layer, &src);
    if (st)
        goto done;
    const char *layer = cmr__src_layer_name(src);
    for (size_t c = 0; c < t->ncols; c++) {
        col[c] = -1;
        for (int i = 0; i < cmr__src_field_count(src); i++)
            if (cmr__streq_ci(cmr__src_field_name(src, i), t->cols[c]))
                col[c] = i;
        if (col[c] < 0 && strcmp(t->cols[c], "note") != 0 &&
            strcmp(t->cols[c], "meeting") != 0 &&
            strcmp(t->cols[c], "status") != 0) {
            st = cmr__error(ctx, CMR_EFORMAT,
                            "%s: layer '%s': required column '%s' is missing",
                            b->file, layer, t->cols[c]);
            goto done;
        }
    }
    if (t->spatial && (st = cmr__src_prepare(ctx, src, NULL, -1))) {
        cmr__error_prefix(ctx, st, "%s", b->file);
        goto done;
    }
    int64_t feature = 0;
    for (;;) {
        bool more = false;
        if ((st = cmr__src_next(ctx, src, &more))) {
            cmr__error_prefix(ctx, st, "%s", b->file);
            goto done;
        }
        if (!more)
            break;
        feature++;
        rep->counts[b->kind].read++;
        for (size_t c = 0; c < t->ncols; c++) {
            const char *raw = col[c] >= 0 ? cmr__src_field(src, col[c]) : NULL;
            row[c] = raw && *raw ? cmr__trimdup(raw) : NULL;
            if (raw && *raw && !row[c]) {
                st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
                goto done;
            }
        }
        char why[512] = "";
        const char *bad = b->kind == CMR_KIND_DEADLINES
                              ? check_deadline(store, row, why, sizeof why)
                          : b->kind == CMR_KIND_FIGURES
                              ? check_figure(store, row, why, sizeof why)
                              : check_boundary(store, t, row, why, sizeof why);
        size_t len = 0;
        if (!bad && t->spatial) {
            enum cmr__geom_problem problem;
            if ((st = cmr__src_geometry(ctx, src, &wkb, &len, &problem)))
                goto done;
            bool repaired;
            if (problem) {
                bad = "geometry";
                snprintf(why, sizeof why, "%s", cmr__geom_problem_str(problem));
            } else if ((st = cmr__geom_from_wkb(ctx, wkb, len, &g)) ||
                       (st = cmr__geom_make_valid(ctx, g, &valid, &repaired,
                                                  &repair))) {
                if (st == CMR_ENOMEM)
                    goto done;
                bad = "geometry";
                snprintf(why, sizeof why, "%s", cmr_ctx_errmsg(ctx));
                st = CMR_OK;
            } else {
                cmr__free(wkb);
                wkb = NULL;
                if ((st = cmr__geom_to_wkb(ctx, valid, &wkb, &len)))
                    goto done;
            }
            cmr__geom_free(ctx, g);
            cmr__geom_free(ctx, valid);
            g = valid = NULL;
            cmr__free(repair);
            repair = NULL;
        }
        if (bad) {
            st = cmr__import_reject(ctx, rep, b->kind, b->file, layer, feature,
                                    row[0] ? row[0] : "", bad, "%s", why);
            for (size_t c = 0; c < t->ncols; c++) {
                cmr__free(row[c]);
                row[c] = NULL;
            }
            cmr__free(wkb);
            wkb = NULL;
            if (st)
                goto done;
            continue;
        }
        if (!cmr__reserve((void **)&t->vals, &t->capv, (t->n + 1) * t->ncols,
                          sizeof *t->vals)) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            goto done;
        }
        if (t->spatial) {
            size_t before = t->capw;
            if (!cmr__reserve((void **)&t->wkb, &t->capw, t->n + 1,
                              sizeof *t->wkb)) {
                st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
                goto done;
            }
            if (t->capw != before) {
                size_t *nl = cmr__realloc(t->len, t->capw * sizeof *t->len);
                if (!nl) {
                    st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
                    goto done;
                }
                t->len = nl;
            }
        }
        for (size_t c = 0; c < t->ncols; c++) {
            t->vals[t->n * t->ncols + c] = row[c];
            row[c] = NULL;
        }
        if (t->spatial) {
            t->wkb[t->n] = wkb;
            t->len[t->n] = len;
            wkb = NULL;
        }
        t->n++;
        rep->counts[b->kind].imported++;
    }
done:
    for (size_t c = 0; row && c < t->ncols; c++)
        cmr__free(row[c]);
    cmr__free(row);
    cmr__free(col);
    cmr__free(wkb);
    cmr__free(repair);
    cmr__geom_free(ctx, g);
    cmr__geom_free(ctx, valid);
    cmr__src_close(src);
    return st;
}

enum cmr_status cmr__ref_read(struct cmr_ctx *ctx, enum cmr_kind kind,
                              const char *file, const struct cmr_store *store,
                              struct cmr_import_report *rep,
                              struct cmr__refbatch **out)
{
    *out = NULL;
    struct cmr__refbatch *b = cmr__calloc(1, sizeof *b);
    if (!b)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    b->kind = kind;
    b->open = file;
    if (!(b->file = cmr__src_shown(file))) {
        cmr__free(b);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    switch (kind) {
    case CMR_KIND_BOUNDARIES:
        b->t[0] = (struct ref_table){.table = "admin_area",
                                     .layer = "admin1",
                                     .cols = admin1_cols,
                                     .ncols = 3,
                                     .spatial = true};
        b->t[1] = (struct ref_table){.table = "country_outline",
                                     .layer = "country",
                                     .cols = outline_cols,
                                     .ncols = 2,
                                     .spatial = true};
        b->t[2] = (struct ref_table){.table = "neighbour",
                                     .layer = "neighbour",
                                     .cols = outline_cols,
                                     .ncols = 2,
                                     .spatial = true};
        b->nt = 3;
        break;
    case CMR_KIND_DEADLINES:
        b->t[0] = (struct ref_table){.table = "deadline",
                                     .cols = deadline_cols,
                                     .ncols = N(deadline_cols)};
        b->nt = 1;
        break;
    case CMR_KIND_FIGURES:
        b->t[0] = (struct ref_table){.table = "national_figure",
                                     .cols = figure_cols,
                                     .ncols = N(figure_cols)};
        b->nt = 1;
        break;
    default:
        cmr__free(b->file);
        cmr__free(b);
        return cmr__error(ctx, CMR_EUNSUPPORTED, "no reader for %s",
                          cmr__kind_name(kind));
    }
    enum cmr_status st = CMR_OK;
    for (size_t t = 0; t < b->nt && !st; t++)
        st = read_table(ctx, store, rep, b, &b->t[t]);
    if (!st && rep->counts[kind].read == 0)
        st = cmr__error(ctx, CMR_EFORMAT, "%s: has no rows", b->file);
    /* Boundaries replace the store's: a layer of provinces or outlines
     * with nothing usable would wipe them. */
    for (size_t t = 0; t < 2 && !st && kind == CMR_KIND_BOUNDARIES; t++)
        if (b->t[t].n == 0)
            st = cmr__error(ctx, CMR_EFORMAT,
                            "%s: layer '%s' gives no usable feature; "
                            "importing it would leave the store without %s",
                            b->file, b->t[t].layer,
                            t == 0 ? "provinces" : "State outlines");
    if (!st && !cmr__sha256_path(file, b->sha256))
        b->sha256[0] = '\0';
    if (st) {
        cmr__error_prefix(ctx, st, "--%s", cmr__kind_name(kind));
        cmr__ref_free(b);
        return st;
    }
    *out = b;
    return CMR_OK;
}

enum cmr_status cmr__ref_write(struct cmr_ctx *ctx, struct cmr__ds *ds,
                               const struct cmr_import_opts *o,
                               struct cmr_import_report *rep,
                               struct cmr__refbatch *b, int64_t run,
                               const char *now)
{
    enum cmr_status st = CMR_OK;
    for (size_t t = 0; t < b->nt && !st; t++) {
        struct ref_table *x = &b->t[t];
        char sql[128];
        snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", x->table);
        if ((st = cmr__ds_exec(ctx, ds, sql)))
            break;
        for (size_t i = 0; i < x->n && !st; i++)
            st = cmr__ds_insert(ctx, ds, x->table, x->cols,
                                (const char *const *)&x->vals[i * x->ncols],
                                x->ncols, x->spatial ? x->wkb[i] : NULL,
                                x->spatial ? x->len[i] : 0, NULL);
    }
    if (!st && b->kind == CMR_KIND_FIGURES)
        st = cmr__ds_exec(ctx, ds,
                          "UPDATE national_figure SET value_m2 = CASE unit "
                          "WHEN 'km2' THEN value * 1e6 WHEN 'ha' THEN value * "
                          "1e4 WHEN 'm2' THEN value END");
    if (!st)
        st = cmr__import_write_run(ctx, ds, o, rep, b->kind, b->file,
                                   b->nt > 1 ? "admin1,country,neighbour" : "",
                                   b->sha256, run, now);
    return st;
}
