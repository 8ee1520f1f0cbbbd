/* SPDX-License-Identifier: MIT */
/* Forecasts per State: the yearly series (from the ledger or from the
 * published figures in the store), the deadlines from the store, and the
 * arithmetic of forecast_core.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forecast_int.h"
#include "store_int.h"

/* One year of published figures: the first source of each metric counts
 * (a second source of the same metric and year is a conflict, kept in the
 * data but not added); rows of one source add up. */
struct fig_part {
    double v;
    bool has;
    char url[512];
};

struct fig_year {
    int year;
    struct fig_part total, method[3], added;
    double released; /* total, else the sum of the methods */
    bool has_released;
};

static void fig_add(struct fig_part *p, double v, const char *url)
{
    if (p->has && strcmp(p->url, url) != 0)
        return;
    p->v += v;
    p->has = true;
    snprintf(p->url, sizeof p->url, "%s", url);
}

struct figs {
    struct fig_year *y;
    size_t n, cap;
    double remaining;
    int remaining_year;
    char remaining_metric[64];
};

struct cmr_forecasts {
    struct cmr_forecast *f;
    size_t n;
    void **pool;
    size_t npool, cappool;
};

static void *keep(struct cmr_forecasts *F, void *p)
{
    if (!p)
        return NULL;
    if (!cmr__reserve((void **)&F->pool, &F->cappool, F->npool + 1,
                      sizeof *F->pool)) {
        cmr__free(p);
        return NULL;
    }
    F->pool[F->npool++] = p;
    return p;
}

void cmr_forecasts_free(struct cmr_forecasts *F)
{
    if (!F)
        return;
    for (size_t i = 0; i < F->npool; i++)
        cmr__free(F->pool[i]);
    cmr__free(F->pool);
    cmr__free(F->f);
    cmr__free(F);
}

size_t cmr_forecasts_count(const struct cmr_forecasts *F)
{
    return F->n;
}

const struct cmr_forecast *cmr_forecasts_get(const struct cmr_forecasts *F,
                                             size_t i)
{
    return &F->f[i];
}

static struct fig_year *fig_year(struct figs *f, int year)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->y[i].year == year)
            return &f->y[i];
    if (!cmr__reserve((void **)&f->y, &f->cap, f->n + 1, sizeof *f->y))
        return NULL;
    struct fig_year *y = &f->y[f->n++];
    memset(y, 0, sizeof *y);
    y->year = year;
    return y;
}

/* Published area figures of a State up to year `upto`. Rows of one metric
 * and year from the same source are parts of one statement and add up
 * (Iraq's 42 km2 of CHA and 4.5 km2 of SHA found in 2015); where sources
 * conflict the first row of the file is used, as geodata/README.md says.
 * Released area is released_total where published, else the sum of the
 * cleared, reduced and cancelled rows. */
static enum cmr_status load_figures(struct cmr_ctx *ctx, struct cmr_store *s,
                                    const char *iso3, int upto, struct figs *f)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT metric, year, value_m2, source_url FROM national_figure "
             "WHERE country = '%s' AND value_m2 IS NOT NULL AND year <= %d "
             "ORDER BY fid",
             iso3, upto);
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(ctx, s->ds, sql, &rows);
    if (st)
        return st;
    static const char *const methods[3] = {"cancelled", "reduced", "cleared"};
    struct fig_part rem[3]; /* total, SHA, CHA of the latest year each */
    int remy[3] = {0, 0, 0};
    memset(rem, 0, sizeof rem);
    while (!st && cmr__rows_next(rows)) {
        const char *m = cmr__rows_text(rows, 0);
        int y = (int)cmr__rows_int(rows, 1);
        double v = cmr__rows_real(rows, 2);
        const char *url = cmr__rows_text(rows, 3);
        if (!m || !url)
            continue;
        static const char *const rn[3] = {"remaining_total", "remaining_sha",
                                          "remaining_cha"};
        bool done = false;
        for (int k = 0; k < 3; k++)
            if (strcmp(m, rn[k]) == 0) {
                if (y > remy[k]) {
                    memset(&rem[k], 0, sizeof rem[k]);
                    remy[k] = y;
                }
                if (y == remy[k])
                    fig_add(&rem[k], v, url);
                done = true;
            }
        if (done)
            continue;
        struct fig_part *p = NULL;
        struct fig_year *fy = NULL;
        if (strcmp(m, "released_total") == 0 || strcmp(m, "added") == 0 ||
            strcmp(m, "cancelled") == 0 || strcmp(m, "reduced") == 0 ||
            strcmp(m, "cleared") == 0) {
            if (!(fy = fig_year(f, y))) {
                st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
                break;
            }
            p = strcmp(m, "released_total") == 0 ? &fy->total
                : strcmp(m, "added") == 0        ? &fy->added
                                                 : NULL;
            for (int k = 0; k < 3 && !p; k++)
                if (strcmp(m, methods[k]) == 0)
                    p = &fy->method[k];
            fig_add(p, v, url);
        }
    }
    cmr__rows_close(rows);
    if (st)
        return st;
    for (size_t i = 0; i < f->n; i++) {
        struct fig_year *fy = &f->y[i];
        if (fy->total.has) {
            fy->released = fy->total.v;
            fy->has_released = true;
        } else {
            for (int k = 0; k < 3; k++)
                if (fy->method[k].has) {
                    fy->released += fy->method[k].v;
                    fy->has_released = true;
                }
        }
    }
    /* Remaining: the latest total, or SHA + CHA of a later year, or the
     * latest of either alone. */
    f->remaining = NAN;
    if (rem[0].has) {
        f->remaining = rem[0].v;
        f->remaining_year = remy[0];
        snprintf(f->remaining_metric, sizeof f->remaining_metric,
                 "remaining_total %d", remy[0]);
    }
    if (rem[1].has && rem[2].has && remy[1] == remy[2] &&
        remy[1] > f->remaining_year) {
        f->remaining = rem[1].v + rem[2].v;
        f->remaining_year = remy[1];
        snprintf(f->remaining_metric, sizeof f->remaining_metric,
                 "remaining_sha + remaining_cha %d", remy[1]);
    } else {
        for (int k = 1; k < 3; k++)
            if (rem[k].has && remy[k] > f->remaining_year) {
                f->remaining = rem[k].v;
                f->remaining_year = remy[k];
                snprintf(f->remaining_metric, sizeof f->remaining_metric,
                         "%s %d", k == 1 ? "remaining_sha" : "remaining_cha",
                         remy[k]);
            }
    }
    return CMR_OK;
}

/* The first (last false) or the last day of a fact's date, as published:
 * a day, a month ("2024-12"), a year ("2024") or a period ("FROM/TO"). */
static bool fact_day(const char *date, bool last, int64_t *out)
{
    size_t n = strlen(date);
    char full[32];
    if (n == 21 && date[10] == '/') /* a period */
        snprintf(full, sizeof full, "%.10s", last ? date + 11 : date);
    else
        snprintf(full, sizeof full, "%.10s%s", date,
                 n == 4   ? (last ? "-12-31" : "-01-01")
                 : n == 7 ? "-01"
                          : "");
    struct cmr__date d;
    if (!cmr__date_parse(full, &d))
        return false;
    *out = cmr__date_days(d);
    if (n == 7 && last) { /* the month's last day */
        struct cmr__date e = cmr__date_from_days(*out + 31);
        e.day = 1;
        *out = cmr__date_days(e) - 1;
    }
    return true;
}

/* (meeting, day) pairs read from the deadline table */
struct met {
    char meeting[16];
    int64_t day;
};

static enum cmr_status load_met(struct cmr_ctx *ctx, struct cmr_store *s,
                                const char *sql, bool last, struct met *m,
                                size_t cap, size_t *n)
{
    *n = 0;
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(ctx, s->ds, sql, &rows);
    if (st)
        return st;
    while (*n < cap && cmr__rows_next(rows)) {
        const char *meeting = cmr__rows_text(rows, 0),
                   *date = cmr__rows_text(rows, 1);
        int64_t day;
        if (!meeting || !*meeting || !date || !fact_day(date, last, &day))
            continue;
        /* (a meeting's earliest, where two rows name it) */
        size_t i = 0;
        while (i < *n && strcmp(m[i].meeting, meeting) != 0)
            i++;
        if (i == *n) {
            snprintf(m[i].meeting, sizeof m[i].meeting, "%s", meeting);
            m[i].day = day;
            (*n)++;
        } else if (day < m[i].day) {
            m[i].day = day;
        }
    }
    cmr__rows_close(rows);
    return CMR_OK;
}

static const int64_t *met_day(const struct met *m, size_t n,
                              const char *meeting)
{
    for (size_t i = 0; meeting && i < n; i++)
        if (strcmp(m[i].meeting, meeting) == 0)
            return &m[i].day;
    return NULL;
}

/* The deadline and the date requested as they stood at day at. The
 * current deadline: the latest of the original deadline, the extensions
 * granted and the dates asked by granted requests. The requested date:
 * the latest date asked by a request pending then. Dates published to the
 * month or year count from their first day. A decision counts from the
 * day its meeting opened, where the deadline table dates the meeting
 * (facts meeting_held of WLD); before it, the request was pending, from
 * the day it is known to have been submitted (the last day of a month, a
 * year or a period published; a request of unknown submission is left
 * out until its meeting). A fact of an undated meeting counts whatever
 * the date. */
enum cmr_status cmr__load_deadlines(struct cmr_ctx *ctx, struct cmr_store *s,
                                    const char *iso3, int64_t at, bool *has_dl,
                                    int64_t *dl, bool *has_rq, int64_t *rq)
{
    *has_dl = *has_rq = false;
    struct met held[64], sent[64];
    size_t nheld = 0, nsent = 0;
    char sql[512];
    enum cmr_status st = load_met(
        ctx, s,
        "SELECT meeting, date FROM deadline WHERE country = 'WLD' AND fact = "
        "'meeting_held'",
        false, held, 64, &nheld);
    if (st)
        return st;
    snprintf(sql, sizeof sql,
             "SELECT meeting, date FROM deadline WHERE country = '%s' AND "
             "fact = 'request_submitted'",
             iso3);
    if ((st = load_met(ctx, s, sql, true, sent, 64, &nsent)))
        return st;
    snprintf(sql, sizeof sql,
             "SELECT fact, date, status, meeting FROM deadline WHERE country "
             "= '%s' AND fact IN ('deadline_original', 'extension_granted', "
             "'request_asked')",
             iso3);
    struct cmr__rows *rows = NULL;
    if ((st = cmr__ds_query(ctx, s->ds, sql, &rows)))
        return st;
    while (cmr__rows_next(rows)) {
        const char *fact = cmr__rows_text(rows, 0),
                   *date = cmr__rows_text(rows, 1),
                   *status = cmr__rows_text(rows, 2),
                   *meeting = cmr__rows_text(rows, 3);
        int64_t days;
        if (!fact || !date || !fact_day(date, false, &days))
            continue;
        bool original = strcmp(fact, "deadline_original") == 0;
        bool granted = status && strcmp(status, "granted") == 0;
        bool request = strcmp(fact, "request_asked") == 0;
        const int64_t *h = original ? NULL : met_day(held, nheld, meeting);
        const int64_t *sub = met_day(sent, nsent, meeting);
        bool decided = !h || *h <= at; /* (undated: counts) */
        bool asked = sub ? *sub <= at : (!h || *h <= at);
        if (request && (!granted || !decided)) {
            if ((granted || (status && strcmp(status, "pending") == 0)) &&
                asked && (!*has_rq || days > *rq)) {
                *rq = days;
                *has_rq = true;
            }
        } else if ((original || decided) && (!*has_dl || days > *dl)) {
            /* A granted request's date asked is the deadline granted. */
            *dl = days;
            *has_dl = true;
        }
    }
    cmr__rows_close(rows);
    return CMR_OK;
}

/* The meeting that granted a request for iso3 submitted on or before
 * now whose new deadline the deadlines data does not give (no deadline row
 * of that meeting: Lao PDR's request of 2024, granted at 12MSP), or NULL.
 * The latest deadline recorded is then no longer the deadline. Owned by
 * F. */
static enum cmr_status later_extension(struct cmr_ctx *ctx, struct cmr_store *s,
                                       const char *iso3, int64_t now,
                                       struct cmr_forecasts *F,
                                       const char **meeting)
{
    *meeting = NULL;
    char sql[768];
    snprintf(sql, sizeof sql,
             "SELECT date, meeting FROM deadline WHERE country = '%s' "
             "AND fact = 'request_submitted' AND status = 'granted' "
             "AND meeting IS NOT NULL AND meeting <> '' AND meeting NOT IN "
             "(SELECT meeting FROM deadline WHERE country = '%s' AND fact IN "
             "('deadline_original', 'extension_granted', 'request_asked') "
             "AND meeting IS NOT NULL) ORDER BY date",
             iso3, iso3);
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(ctx, s->ds, sql, &rows);
    if (st)
        return st;
    while (!*meeting && !st && cmr__rows_next(rows)) {
        const char *date = cmr__rows_text(rows, 0),
                   *m = cmr__rows_text(rows, 1);
        if (!date || !m)
            continue;
        /* Granted at the meeting: from its first day, where the LAP
         * cycles date it (12MSP: 10 September 2024); else from the
         * request's submission (a day, a month, a year, or a period's
         * start; a month or a year counts from its last day, as the
         * request was granted after it was made). */
        char held[11];
        if ((st = cmr__lap_meeting_date(ctx, m, held)))
            break;
        if (held[0])
            date = held;
        int64_t day = 0;
        bool ok = fact_day(date, !strchr(date, '/'), &day);
        if (ok && day <= now && !(*meeting = keep(F, cmr__strdup(m))))
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        if (st)
            break;
    }
    cmr__rows_close(rows);
    return st;
}

static const char *date_str(struct cmr_forecasts *F, int64_t days)
{
    if (days == INT64_MAX)
        return NULL;
    char *b = keep(F, cmr__malloc(11));
    if (b)
        cmr__date_format(cmr__date_from_days(days), b);
    return b;
}

enum cmr_status cmr_forecast_compute(struct cmr_ctx *ctx,
                                     struct cmr_store *store,
                                     const struct cmr_forecast_opts *o,
                                     struct cmr_forecasts **out)
{
    *out = NULL;
    struct cmr_forecast_opts def = {0};
    if (!o)
        o = &def;
    int K = o->window > 0 ? o->window : 3;
    if (K > 50)
        return cmr__error(ctx, CMR_EINVAL, "--window %d: at most 50 years", K);
    struct cmr_ledger *L = NULL;
    struct cmr_ledger_opts lo = {.country = o->country,
                                 .at = o->at,
                                 .precedence = o->precedence,
                                 .jobs = o->jobs};
    enum cmr_status st = cmr_ledger_compute(ctx, store, &lo, &L);
    if (st)
        return st;
    struct cmr_forecasts *F = cmr__calloc(1, sizeof *F);
    if (F)
        F->f = cmr__calloc(store->ncountries, sizeof *F->f);
    if (!F || !F->f) {
        cmr_ledger_free(L);
        cmr_forecasts_free(F);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    struct cmr__date at;
    cmr__date_parse(cmr_ledger_as_of(L), &at);
    int Y = at.year;
    const char *as_of = keep(F, cmr__strdup(cmr_ledger_as_of(L)));
    double *rel = cmr__calloc((size_t)K, sizeof *rel),
           *add = cmr__calloc((size_t)K, sizeof *add),
           *xs = cmr__calloc((size_t)K, sizeof *xs);
    if (!as_of || !rel || !add || !xs)
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t i = 0; i < store->ncountries && !st; i++) {
        const struct cmr_store_country *c = &store->countries[i];
        if (o->country && strcmp(o->country, c->iso3) != 0)
            continue;
        const struct cmr_ledger_state *ls = NULL;
        for (size_t k = 0; k < cmr_ledger_count(L); k++)
            if (strcmp(cmr_ledger_state(L, k)->country, c->iso3) == 0)
                ls = cmr_ledger_state(L, k);
        if (ls && ls->hazards == 0 && ls->releases == 0)
            ls = NULL;
        struct figs figs;
        memset(&figs, 0, sizeof figs);
        if ((st = load_figures(ctx, store, c->iso3, Y, &figs)))
            break;
        bool use_ledger = o->series == CMR_SERIES_LEDGER ||
                          (o->series == CMR_SERIES_AUTO && ls);
        bool have_figs = figs.n > 0 || !isnan(figs.remaining);
        if ((use_ledger && !ls) || (!use_ledger && !have_figs)) {
            if (!o->country) {
                cmr__free(figs.y);
                continue;
            }
            /* the State asked for: shown, with what is unknown unknown */
        }
        struct cmr_forecast *f = &F->f[F->n++];
        f->country = keep(F, cmr__strdup(c->iso3));
        f->name = keep(F, cmr__strdup(c->name));
        f->as_of = as_of;
        f->synthetic = use_ledger && ls && ls->synthetic;
        f->method = o->method;
        f->window_years = K;
        f->runs = o->method == CMR_FORECAST_MONTECARLO
                      ? (o->runs > 0 ? o->runs : 10000)
                      : 0;
        f->seed = o->seed ? o->seed : 1;
        f->capacity = o->capacity > 0 ? o->capacity : 1;
        /* The whole series, from the earliest year either source has. */
        int y0 = Y - K + 1;
        if (ls && ls->nyears && ls->by_year[0].year < y0)
            y0 = ls->by_year[0].year;
        for (size_t k = 0; k < figs.n; k++)
            if (figs.y[k].year < y0)
                y0 = figs.y[k].year;
        size_t ny = (size_t)(Y - y0 + 1);
        struct cmr_forecast_year *sy = keep(F, cmr__calloc(ny, sizeof *sy));
        if (!f->country || !f->name || !sy) {
            cmr__free(figs.y);
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        for (size_t k = 0; k < ny; k++) {
            struct cmr_forecast_year *e = &sy[k];
            e->year = y0 + (int)k;
            e->ledger_released_m2 = e->figures_released_m2 = NAN;
            double ladd = 0, fadd = NAN, lm[3] = {0, 0, 0},
                   fm[3] = {NAN, NAN, NAN};
            if (ls)
                for (size_t j = 0; j < ls->nyears; j++)
                    if (ls->by_year[j].year == e->year) {
                        const struct cmr_ledger_year *ly = &ls->by_year[j];
                        e->ledger_released_m2 =
                            ly->cancelled_m2 + ly->reduced_m2 + ly->cleared_m2;
                        ladd = ly->added_m2;
                        lm[0] = ly->cancelled_m2;
                        lm[1] = ly->reduced_m2;
                        lm[2] = ly->cleared_m2;
                    }
            if (ls && isnan(e->ledger_released_m2))
                e->ledger_released_m2 = 0; /* no record: zero */
            for (size_t j = 0; j < figs.n; j++)
                if (figs.y[j].year == e->year) {
                    if (figs.y[j].has_released)
                        e->figures_released_m2 = figs.y[j].released;
                    if (figs.y[j].added.has)
                        fadd = figs.y[j].added.v;
                    /* (by method only where the total is the methods'
                     * sum: a total published beside them may not be) */
                    for (int m = 0; m < 3 && !figs.y[j].total.has; m++)
                        fm[m] = figs.y[j].method[m].has  ? figs.y[j].method[m].v
                                : figs.y[j].has_released ? 0
                                                         : NAN;
                }
            e->source = use_ledger ? "ledger" : "figures";
            e->released_m2 =
                use_ledger
                    ? (isnan(e->ledger_released_m2) ? 0 /* no record: zero */
                                                    : e->ledger_released_m2)
                    : e->figures_released_m2; /* NaN: none published */
            e->added_m2 = use_ledger ? ladd : fadd;
            const double *mm = use_ledger ? lm : fm;
            e->cancelled_m2 = mm[0];
            e->reduced_m2 = mm[1];
            e->cleared_m2 = mm[2];
            /* (figures: a year whose additions were not published has an
             * unknown net change, not its release) */
            e->net_m2 = e->released_m2 - e->added_m2;
            if (use_ledger && !ls) /* no polygon: nothing known, not 0 */
                e->released_m2 = e->added_m2 = e->cancelled_m2 = e->reduced_m2 =
                    e->cleared_m2 = e->net_m2 = NAN;
        }
        /* The clearance-only rate and the net change over the window. */
        double cl = 0, net = 0;
        int ncl = 0, nnet = 0;
        for (int k = 0; k < K; k++) {
            const struct cmr_forecast_year *e = &sy[ny - (size_t)K + (size_t)k];
            if (!isnan(e->cleared_m2))
                cl += e->cleared_m2, ncl++;
            if (!isnan(e->net_m2))
                net += e->net_m2, nnet++;
        }
        f->clearance_m2_per_year = ncl ? cl / ncl : NAN;
        f->net_m2_per_year = nnet ? net / nnet : NAN;
        f->series = sy;
        f->nseries = ny;
        /* The window: the last K years, zero where the ledger has no
         * record; a year without a published figure is left out, its
         * place kept (xs) for the trend. */
        size_t nk = 0;
        for (int k = 0; k < K; k++) {
            const struct cmr_forecast_year *e = &sy[ny - (size_t)K + (size_t)k];
            if (isnan(e->released_m2))
                continue;
            rel[nk] = e->released_m2;
            /* additions not published: none, as --discovery's default */
            add[nk] = isnan(e->added_m2) ? 0 : e->added_m2;
            xs[nk++] = k;
        }
        f->best_m2_per_year = 0;
        for (size_t k = 0; k < ny; k++)
            if (sy[k].released_m2 > f->best_m2_per_year) {
                f->best_m2_per_year = sy[k].released_m2;
                f->best_year = sy[k].year;
            }
        if (use_ledger && !ls) {
            /* no polygon in the store: the remaining area is not known
             * (not a finding that it has finished) */
            f->remaining_m2 = NAN;
            f->remaining_source = "ledger: no records";
        } else if (use_ledger) {
            f->remaining_m2 = ls->remaining_m2;
            f->remaining_source = "ledger";
        } else if (!isnan(figs.remaining) && figs.remaining_year < Y - K + 1) {
            /* A remaining area published before the window is not the
             * area the window's pace would have to clear. */
            f->remaining_m2 = NAN;
            f->remaining_source = keep(
                F, cmr__sprintf("figures: the latest (%s) is older than the "
                                "window",
                                figs.remaining_metric));
        } else {
            f->remaining_m2 = isnan(figs.remaining) ? NAN : figs.remaining;
            f->remaining_source = keep(
                F, isnan(figs.remaining)
                       ? cmr__strdup("figures: none published")
                       : cmr__sprintf("figures: %s", figs.remaining_metric));
        }
        if (!use_ledger && !isnan(figs.remaining))
            f->remaining_year = figs.remaining_year;
        cmr__free(figs.y);
        bool has_dl, has_rq;
        int64_t dl = 0, rq = 0;
        int64_t now = cmr__date_days(at);
        if ((st = cmr__load_deadlines(ctx, store, c->iso3, now, &has_dl, &dl,
                                      &has_rq, &rq)))
            break;
        f->deadline = has_dl ? date_str(F, dl) : NULL;
        f->requested = has_rq ? date_str(F, rq) : NULL;
        f->deadline_passed = has_dl && dl <= now;
        f->requested_passed = has_rq && rq <= now;
        if (has_dl && (st = later_extension(ctx, store, c->iso3, now, F,
                                            &f->deadline_extended_at)))
            break;
        /* extended to a date not in the data: nothing is measured against
         * the deadline recorded (passed or not, it is no longer it) */
        bool dl_known = has_dl && !f->deadline_extended_at;
        if (f->deadline_extended_at)
            f->deadline_passed = false;
        struct cmr__fc_in in = {
            .remaining = isnan(f->remaining_m2) ? 0 : f->remaining_m2,
            .as_of = now,
            .released = rel,
            .added = add,
            .n = nk,
            .x = xs,
            .x_asof = K - 1,
            .best = f->best_m2_per_year,
            .method = o->method,
            .runs = f->runs,
            .seed = f->seed,
            .capacity = f->capacity,
            .has_discovery = o->has_discovery,
            .discovery = o->discovery,
            .has_deadline = dl_known,
            .has_requested = has_rq,
            .deadline = dl,
            .requested = rq};
        struct cmr__fc_out r;
        if (isnan(f->remaining_m2) || nk == 0) {
            /* No remaining area is known, or no rate (no figure published
             * in the window): nothing to project. */
            memset(&r, 0, sizeof r);
            r.p10 = r.p50 = r.p90 = INT64_MAX;
            r.p_deadline = r.p_requested = NAN;
            double m = 0;
            for (size_t k = 0; k < nk; k++)
                m += rel[k];
            r.mean = r.rate = nk ? m / (double)nk : NAN;
            r.discovery = nk ? 0 : NAN;
        } else if ((st = cmr__forecast_core(ctx, &in, &r))) {
            break;
        }
        f->rate_m2_per_year = r.rate;
        f->mean_m2_per_year = r.mean;
        f->trend_slope = r.slope;
        f->discovery_m2_per_year = r.discovery;
        f->completes = r.completes;
        f->p10 = date_str(F, r.p10);
        f->p50 = date_str(F, r.p50);
        f->p90 = date_str(F, r.p90);
        f->p_by_deadline = r.p_deadline;
        f->p_by_requested = r.p_requested;
        double rem = isnan(f->remaining_m2) ? NAN : f->remaining_m2;
        f->required_m2_per_year = f->requested_required_m2_per_year = NAN;
        if (dl_known && !f->deadline_passed)
            f->required_m2_per_year = rem / ((double)(dl - now) / 365.25);
        if (dl_known && f->deadline_passed) /* unknown remaining: unknown P */
            f->p_by_deadline = isnan(rem) ? NAN : rem > 0 ? 0 : 1;
        if (has_rq && !f->requested_passed)
            f->requested_required_m2_per_year =
                rem / ((double)(rq - now) / 365.25);
        f->required_vs_mean =
            f->mean_m2_per_year > 0
                ? f->required_m2_per_year / f->mean_m2_per_year
                : NAN;
        f->required_vs_best =
            f->best_m2_per_year > 0
                ? f->required_m2_per_year / f->best_m2_per_year
                : NAN;
    }
    cmr__free(rel);
    cmr__free(add);
    cmr__free(xs);
    cmr_ledger_free(L);
    if (st) {
        cmr_forecasts_free(F);
        return st;
    }
    *out = F;
    return CMR_OK;
}
