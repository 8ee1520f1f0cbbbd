/* SPDX-License-Identifier: MIT */
/* The evaluation of an extension request (see include/cmr/evaluate.h):
 * the request and its plan from the store, the ledger and the forecast,
 * and conclusions that each state the numbers they rest on. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

struct ev {
    struct cmr_evaluation pub;
    struct cmr_eval_year *years, *past;
    struct cmr_eval_conclusion *concl;
    size_t capc;
    void **pool;
    size_t npool, cappool;
};

static void *keep(struct ev *e, void *p)
{
    if (!p)
        return NULL;
    if (!cmr__reserve((void **)&e->pool, &e->cappool, e->npool + 1,
                      sizeof *e->pool)) {
        cmr__free(p);
        return NULL;
    }
    e->pool[e->npool++] = p;
    return p;
}

static const char *kdup(struct ev *e, const char *s)
{
    return s ? keep(e, cmr__strdup(s)) : NULL;
}

void cmr_evaluation_free(struct cmr_evaluation *pub)
{
    struct ev *e = (struct ev *)pub;
    if (!e)
        return;
    for (size_t i = 0; i < e->npool; i++)
        cmr__free(e->pool[i]);
    cmr__free(e->pool);
    cmr__free(e->years);
    cmr__free(e->past);
    cmr__free(e->concl);
    cmr__free(e);
}

static bool conclude(struct ev *e, const char *topic, const char *verdict,
                     const char *fmt, ...) CMR_PRINTF(4, 5);

static bool conclude(struct ev *e, const char *topic, const char *verdict,
                     const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (!cmr__reserve((void **)&e->concl, &e->capc, e->pub.nconclusions + 1,
                      sizeof *e->concl))
        return false;
    const char *t = kdup(e, text);
    if (!t)
        return false;
    e->concl[e->pub.nconclusions++] =
        (struct cmr_eval_conclusion){topic, verdict, t};
    e->pub.conclusions = e->concl;
    return true;
}

/* Square metres as text with thousands separators ("1,234,567 m2"). */
static const char *m2(char *buf, size_t n, double v)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.0f", fabs(v));
    size_t len = strlen(raw), o = 0;
    if (v < 0 && o + 1 < n)
        buf[o++] = '-';
    for (size_t i = 0; i < len && o + 2 < n; i++) {
        buf[o++] = raw[i];
        if ((len - i - 1) % 3 == 0 && i + 1 < len)
            buf[o++] = ',';
    }
    snprintf(buf + o, n - o, " m2");
    return buf;
}

struct req {
    char id[80], meeting[64], submitted[16], requested[16];
    bool synthetic;
    double stated[4];
    int last_year, first_year;
};

static enum cmr_status load_requests(struct cmr_ctx *ctx, struct cmr_store *s,
                                     const char *iso3, struct req *r, size_t *n,
                                     size_t max)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT r.request, r.meeting, r.submitted, r.requested, "
             "r.synthetic, r.stated_baseline_m2, r.stated_added_m2, "
             "r.stated_cleared_m2, r.stated_remaining_m2, "
             "(SELECT MAX(year) FROM plan_year p WHERE p.request = "
             "r.request), (SELECT MIN(year) FROM plan_year p WHERE "
             "p.request = r.request) FROM extension_request r WHERE "
             "r.country = '%s' ORDER BY r.fid",
             iso3);
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(ctx, s->ds, sql, &rows);
    if (st)
        return st;
    *n = 0;
    while (cmr__rows_next(rows) && *n < max) {
        struct req *q = &r[(*n)++];
        memset(q, 0, sizeof *q);
        const char *t;
        snprintf(q->id, sizeof q->id, "%s",
                 (t = cmr__rows_text(rows, 0)) ? t : "");
        snprintf(q->meeting, sizeof q->meeting, "%s",
                 (t = cmr__rows_text(rows, 1)) ? t : "");
        snprintf(q->submitted, sizeof q->submitted, "%s",
                 (t = cmr__rows_text(rows, 2)) ? t : "");
        if ((t = cmr__rows_text(rows, 3))) {
            struct cmr__date d;
            if (cmr__date_parse(t, &d))
                cmr__date_format(d, q->requested);
        }
        q->synthetic = cmr__rows_int(rows, 4) == 1;
        for (int k = 0; k < 4; k++)
            q->stated[k] = cmr__rows_is_null(rows, 5 + k)
                               ? NAN
                               : cmr__rows_real(rows, 5 + k);
        q->last_year = (int)cmr__rows_int(rows, 9);
        q->first_year = (int)cmr__rows_int(rows, 10);
    }
    cmr__rows_close(rows);
    return CMR_OK;
}

/* Whether a forecast's remaining_source is a published figure of one
 * class alone (no total, nor both classes of one year): it understates the
 * total. The same test as cmr forecast's ^. */
static bool one_class(const char *source)
{
    return source && strncmp(source, "figures: ", 9) == 0 &&
           strstr(source, "remaining_") && !strstr(source, "remaining_total") &&
           !strchr(source, '+');
}

/* Whether request a is later than b: by the date asked, where both have
 * one, then by the last year of the plan, then by the date submitted;
 * otherwise not (b, imported later, is taken). */
static bool later(const struct req *a, const struct req *b)
{
    int c = 0;
    if (a->requested[0] && b->requested[0])
        c = strcmp(a->requested, b->requested);
    if (!c)
        c = (a->last_year > b->last_year) - (a->last_year < b->last_year);
    if (!c)
        c = strcmp(a->submitted, b->submitted);
    return c > 0;
}

/* The plan of request id, by year, with costs. */
static enum cmr_status load_plan(struct cmr_ctx *ctx, struct cmr_store *s,
                                 const char *id, struct cmr_eval_year **out,
                                 size_t *n)
{
    *out = NULL;
    *n = 0;
    /* Years with milestones or costs: a year that only has costs still
     * counts in the funding gap. (The id holds the plan's meeting, as
     * written in its file: quoted.) */
    char *qid = cmr__sql_quote(id);
    if (!qid)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    char sql[1536];
    snprintf(sql, sizeof sql,
             "SELECT yr, SUM(a), SUM(ca), SUM(re), SUM(cl), SUM(cost), "
             "SUM(fund), SUM(ms), SUM(an) FROM (SELECT year AS yr, area_m2 "
             "AS a, 1 AS ms, CASE WHEN method = 'cancelled' THEN area_m2 "
             "ELSE 0 END AS ca, CASE WHEN method = 'reduced' THEN area_m2 "
             "ELSE 0 END AS re, CASE WHEN method = 'cleared' THEN area_m2 "
             "ELSE 0 END AS cl, CASE WHEN method = 'any' THEN area_m2 ELSE 0 "
             "END AS an, NULL AS cost, NULL AS fund FROM plan_year WHERE "
             "request = %s UNION ALL SELECT year, 0, 0, 0, 0, 0, 0, "
             "cost_usd, "
             "funding_usd FROM plan_cost WHERE request = %s) GROUP BY yr "
             "ORDER BY yr",
             qid, qid);
    cmr__free(qid);
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(ctx, s->ds, sql, &rows);
    if (st)
        return st;
    size_t cap = 0;
    while (cmr__rows_next(rows)) {
        if (!cmr__reserve((void **)out, &cap, *n + 1, sizeof **out)) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        struct cmr_eval_year *y = &(*out)[(*n)++];
        memset(y, 0, sizeof *y);
        y->year = (int)cmr__rows_int(rows, 0);
        y->planned_m2 = cmr__rows_real(rows, 1);
        y->cancelled_m2 = cmr__rows_real(rows, 2);
        y->reduced_m2 = cmr__rows_real(rows, 3);
        y->cleared_m2 = cmr__rows_real(rows, 4);
        y->any_m2 = cmr__rows_real(rows, 8);
        y->has_milestone = cmr__rows_int(rows, 7) > 0;
        y->has_cost = !cmr__rows_is_null(rows, 5);
        y->cost_usd = cmr__rows_real(rows, 5);
        y->funding_usd = cmr__rows_real(rows, 6);
        /* A year's gap is what it lacks; money secured beyond a year's
         * cost is not assumed to move to another year. */
        y->gap_usd = fmax(0, y->cost_usd - y->funding_usd);
        y->achieved_m2 = y->cumulative_shortfall_m2 = NAN;
    }
    cmr__rows_close(rows);
    return st;
}

static enum cmr_status asked_in_deadlines(struct cmr_ctx *ctx,
                                          struct cmr_store *s, const char *iso3,
                                          const char *meeting, char out[16])
{
    out[0] = '\0';
    char *qm = cmr__sql_quote(meeting);
    if (!qm)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT date FROM deadline WHERE country = '%s' AND fact = "
             "'request_asked' AND meeting = %s ORDER BY fid",
             iso3, qm);
    cmr__free(qm);
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(ctx, s->ds, sql, &rows);
    if (st)
        return st;
    if (cmr__rows_next(rows) && cmr__rows_text(rows, 0))
        snprintf(out, 16, "%.15s", cmr__rows_text(rows, 0));
    cmr__rows_close(rows);
    return CMR_OK;
}

static double ratio(double a, double b)
{
    return b > 0 ? a / b : NAN;
}

/* Marks the years of a plan up to the as-of year as past, each with the
 * release achieved that year (the forecast's series; 0 where it has none)
 * and the cumulative shortfall of release against the plan; returns the
 * last past year, or NULL when none is past. A year under way at the
 * as-of date is compared with what was achieved so far. */
static const struct cmr_eval_year *
against_achieved(const struct cmr_forecast *f, struct cmr_eval_year *years,
                 size_t n, int at_year)
{
    const struct cmr_eval_year *last = NULL;
    double cum = 0;
    /* the ledger's series has every release (a year without records
     * released nothing); the published figures' has a year only where a
     * figure was published: elsewhere what was achieved is unknown, and so
     * is the cumulative shortfall from that year on */
    bool ledger = f->nseries && f->series[0].source &&
                  strcmp(f->series[0].source, "ledger") == 0;
    for (size_t k = 0; k < n; k++) {
        struct cmr_eval_year *y = &years[k];
        y->past = y->year <= at_year;
        if (!y->past)
            continue;
        y->achieved_m2 = ledger ? 0 : NAN;
        for (size_t j = 0; j < f->nseries; j++)
            if (f->series[j].year == y->year)
                y->achieved_m2 = f->series[j].released_m2;
        cum += y->planned_m2 - y->achieved_m2; /* (NaN stays NaN) */
        y->cumulative_shortfall_m2 = cum;
        last = y;
    }
    return last;
}

/* A year's milestone against the pace achieved, as the tail of a sentence
 * that names the year and the area: the ratios to the best year and to the
 * mean, or, where nothing was released, that there is nothing to compare
 * with (never a ratio to zero, "nan" or a best year 0). */
static const char *pace_vs(char *buf, size_t n, const struct cmr_evaluation *p,
                           const struct cmr_eval_year *y)
{
    char b[64], m[64];
    const char *limit = y->exceeds ? "above" : "within";
    if (!(p->best_m2_per_year > 0))
        snprintf(buf, n,
                 " with no release achieved in any year of the series to "
                 "measure it against");
    else if (!(p->mean_m2_per_year > 0))
        snprintf(buf, n,
                 ", %.1f times the best year achieved (%d: %s), with no "
                 "release achieved in the last %d years; %s the %.1fx limit",
                 y->vs_best, p->best_year, m2(b, 64, p->best_m2_per_year),
                 p->window_years, limit, CMR_EVAL_PACE_LIMIT);
    else
        snprintf(buf, n,
                 ", %.1f times the best year achieved (%d: %s) and %.1f "
                 "times the mean of the last %d years (%s a year); %s the "
                 "%.1fx limit",
                 y->vs_best, p->best_year, m2(b, 64, p->best_m2_per_year),
                 y->vs_mean, p->window_years, m2(m, 64, p->mean_m2_per_year),
                 limit, CMR_EVAL_PACE_LIMIT);
    return buf;
}

/* Fails naming what the forecast lacks to evaluate a plan against (the
 * pace: a release figure in the window, or the ledger's polygons; the
 * remaining area; or both) and what would help: a wider --window where
 * figures were published before it, the other --series where that has
 * data. */
static enum cmr_status no_basis(struct cmr_ctx *ctx, const char *iso3,
                                const struct cmr_forecast *f)
{
    if (!f)
        return cmr__error(ctx, CMR_EUNSUPPORTED,
                          "%s has no forecast: nothing to evaluate the plan "
                          "against",
                          iso3);
    bool pace = isfinite(f->mean_m2_per_year);
    bool rem = isfinite(f->remaining_m2);
    int year = atoi(f->as_of), first = year - f->window_years + 1;
    int latest = 0; /* the latest year with a published release figure */
    bool polygons = false;
    for (size_t k = 0; k < f->nseries; k++) {
        if (isfinite(f->series[k].figures_released_m2))
            latest = f->series[k].year;
        if (isfinite(f->series[k].ledger_released_m2))
            polygons = true;
    }
    if (f->remaining_source && strncmp(f->remaining_source, "ledger", 6) == 0)
        /* --series ledger for a State without polygons */
        return cmr__error(ctx, CMR_EUNSUPPORTED,
                          "%s has no hazard or release polygons in the "
                          "store, which the ledger's series (--series "
                          "ledger) needs: nothing to evaluate the plan "
                          "against (--series figures evaluates it on its "
                          "published figures%s)",
                          iso3,
                          latest ? ""
                                 : ", but it has no release figure "
                                   "published either");
    char pacetext[256] = "", remtext[384] = "", help[256] = "";
    if (!pace && latest)
        snprintf(pacetext, sizeof pacetext,
                 "no release figure published in the %d years to %d (a "
                 "year without one is unknown, not zero; the latest is of "
                 "%d)",
                 f->window_years, year, latest);
    else if (!pace)
        snprintf(pacetext, sizeof pacetext,
                 "no release figure published in any year");
    if (!rem)
        snprintf(remtext, sizeof remtext,
                 "remaining area is not known as of %s (%s)", f->as_of,
                 f->remaining_source ? f->remaining_source : "no source");
    /* the earliest year a wider window must reach: the latest release
     * figure and the latest remaining area, where the window missed them
     * (--window takes 1 to 50) */
    int reach = year + 1;
    if (!pace && latest && latest < first)
        reach = latest;
    if (!rem && f->remaining_year && f->remaining_year < first &&
        f->remaining_year < reach)
        reach = f->remaining_year;
    /* (only where it would give both: no window finds a remaining area
     * that was never published) */
    bool widen = reach <= year && year - reach + 1 <= 50 && (pace || latest) &&
                 (rem || f->remaining_year);
    if (widen)
        snprintf(help, sizeof help, "--window %d takes in %d", year - reach + 1,
                 reach);
    const char *also = "";
    if (polygons) /* --series figures for a State with polygons */
        also = "--series ledger evaluates it on its polygons";
    else if (!widen)
        also = "the ledger's series needs its hazard and release polygons, "
               "which cmr import --hazards and --releases bring into the "
               "store";
    if (also[0]) {
        size_t n = strlen(help);
        snprintf(help + n, sizeof help - n, "%s%s", n ? "; " : "", also);
    }
    char what[768];
    if (!pace)
        snprintf(what, sizeof what, "%s has %s%s%s", iso3, pacetext,
                 rem ? "" : ", and its ", remtext);
    else
        snprintf(what, sizeof what, "%s's %s", iso3, remtext);
    return cmr__error(ctx, CMR_EUNSUPPORTED,
                      "%s: nothing to evaluate the plan against%s%s%s", what,
                      help[0] ? " (" : "", help, help[0] ? ")" : "");
}

enum cmr_status cmr_evaluate(struct cmr_ctx *ctx, struct cmr_store *store,
                             const struct cmr_forecast_opts *fo,
                             struct cmr_evaluation **out)
{
    *out = NULL;
    if (!fo || !fo->country)
        return cmr__error(ctx, CMR_EINVAL, "evaluate needs --country");
    const struct cmr_store_country *c =
        cmr__store_find_country(store, fo->country);
    if (!c)
        return cmr__error(ctx, CMR_EINVAL, "unknown State '%s'", fo->country);
    struct req reqs[16];
    size_t nreq = 0;
    enum cmr_status st = load_requests(ctx, store, c->iso3, reqs, &nreq, 16);
    if (st)
        return st;
    if (!nreq)
        return cmr__error(ctx, CMR_EINVAL,
                          "%s has no extension request in the store (import "
                          "one with cmr import --plan FILE)",
                          c->iso3);
    /* The request evaluated: the plan that reaches furthest; an earlier
     * one is compared with what was achieved. */
    size_t cur = 0;
    for (size_t i = 1; i < nreq; i++)
        if (reqs[i].last_year >= reqs[cur].last_year)
            cur = i;
    struct cmr_forecasts *F = NULL;
    struct ev *e = cmr__calloc(1, sizeof *e);
    if (!e)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    struct cmr_evaluation *p = &e->pub;
    if ((st = cmr_forecast_compute(ctx, store, fo, &F)))
        goto fail;
    const struct cmr_forecast *f =
        cmr_forecasts_count(F) ? cmr_forecasts_get(F, 0) : NULL;
    if (!f || !isfinite(f->remaining_m2) || !isfinite(f->mean_m2_per_year)) {
        st = no_basis(ctx, c->iso3, f);
        goto fail;
    }
    struct cmr_ledger *L = NULL;
    struct cmr_ledger_opts lo = {.country = c->iso3,
                                 .at = f->as_of,
                                 .precedence = fo->precedence,
                                 .jobs = fo->jobs};
    if ((st = cmr_ledger_compute(ctx, store, &lo, &L)))
        goto fail;
    const struct cmr_ledger_state *ls =
        cmr_ledger_count(L) ? cmr_ledger_state(L, 0) : NULL;
    if (ls && ls->hazards == 0 && ls->releases == 0)
        ls = NULL; /* no records by the date: nothing known (as forecast) */
    p->country = kdup(e, c->iso3);
    p->name = kdup(e, c->name);
    p->as_of = kdup(e, f->as_of);
    p->request = kdup(e, reqs[cur].id);
    p->meeting = kdup(e, reqs[cur].meeting);
    p->submitted = reqs[cur].submitted[0] ? kdup(e, reqs[cur].submitted) : NULL;
    p->requested = reqs[cur].requested[0] ? kdup(e, reqs[cur].requested) : NULL;
    p->deadline = kdup(e, f->deadline);
    p->synthetic_plan = reqs[cur].synthetic;
    p->synthetic_data = f->synthetic;
    /* Without records the ledger knows nothing: unknown, not zero. */
    p->baseline_m2 = ls ? ls->baseline_m2 : NAN;
    p->added_m2 = ls ? ls->added_m2 : NAN;
    p->closed_without_release_m2 = ls ? ls->closed_without_release_m2 : NAN;
    p->released_before_eif_m2 = ls ? ls->released_before_eif_m2 : NAN;
    p->closed_before_eif_m2 = ls ? ls->closed_before_eif_m2 : NAN;
    p->added_again_m2 = ls ? ls->added_again_m2 : NAN;
    p->cancelled_m2 = ls ? ls->cancelled_m2 : NAN;
    p->reduced_m2 = ls ? ls->reduced_m2 : NAN;
    p->cleared_m2 = ls ? ls->cleared_m2 : NAN;
    p->remaining_m2 = f->remaining_m2;
    p->remaining_source = kdup(e, f->remaining_source);
    p->stated_baseline_m2 = reqs[cur].stated[0];
    p->stated_added_m2 = reqs[cur].stated[1];
    p->stated_cleared_m2 = reqs[cur].stated[2];
    p->stated_remaining_m2 = reqs[cur].stated[3];
    p->mean_m2_per_year = f->mean_m2_per_year;
    p->best_m2_per_year = f->best_m2_per_year;
    p->best_year = f->best_year;
    p->window_years = f->window_years;
    p->p10 = kdup(e, f->p10);
    p->p50 = kdup(e, f->p50);
    p->p90 = kdup(e, f->p90);
    char asked[16];
    if ((st =
             asked_in_deadlines(ctx, store, c->iso3, reqs[cur].meeting, asked)))
        goto fail_ledger;
    p->requested_in_deadlines = asked[0] ? kdup(e, asked) : NULL;
    if ((st = load_plan(ctx, store, reqs[cur].id, &e->years, &p->nyears)))
        goto fail_ledger;
    p->years = e->years;
    struct cmr__date at;
    cmr__date_parse(f->as_of, &at);
    /* achieved per year, from the forecast's series */
    for (size_t i = 0; i < p->nyears; i++) {
        struct cmr_eval_year *y = &e->years[i];
        p->planned_total_m2 += y->planned_m2;
        /* A milestone is due by the end of its year: only one due after
         * the as-of date can still cover the remaining area. */
        if (y->year > at.year ||
            (y->year == at.year && (at.month < 12 || at.day < 31)))
            p->planned_ahead_m2 += y->planned_m2;
        y->vs_mean = ratio(y->planned_m2, p->mean_m2_per_year);
        y->vs_best = ratio(y->planned_m2, p->best_m2_per_year);
        y->exceeds = y->planned_m2 > CMR_EVAL_PACE_LIMIT * p->best_m2_per_year;
    }
    const struct cmr_eval_year *last_now =
        against_achieved(f, e->years, p->nyears, at.year);
    /* The earlier request with years already past: the latest of them,
     * the one in force just before this one. */
    size_t prev = nreq;
    for (size_t i = 0; i < nreq; i++) {
        if (i == cur || reqs[i].first_year == 0 || reqs[i].first_year > at.year)
            continue;
        if (prev == nreq || !later(&reqs[prev], &reqs[i]))
            prev = i;
    }
    if (prev < nreq) {
        p->earlier_request = kdup(e, reqs[prev].id);
        if ((st = load_plan(ctx, store, reqs[prev].id, &e->past, &p->npast)))
            goto fail_ledger;
        p->past = e->past;
        (void)against_achieved(f, e->past, p->npast, at.year);
    }

    /* ---- conclusions ---- */
    char a[64], b[64], d[64], g[64];
    bool ok = true;
    /* Where (f) comes from: the ledger, or a published figure, which may
     * be of one class alone (as forecast marks it with ^). */
    bool from_ledger =
        p->remaining_source && strncmp(p->remaining_source, "ledger", 6) == 0;
    char src[256];
    if (from_ledger)
        snprintf(src, sizeof src, "from the ledger%s",
                 p->synthetic_data ? " (SYNTHETIC polygons)" : "");
    else
        snprintf(src, sizeof src, "from the published figures (%s)%s",
                 p->remaining_source &&
                         strncmp(p->remaining_source, "figures: ", 9) == 0
                     ? p->remaining_source + 9
                     : (p->remaining_source ? p->remaining_source : ""),
                 one_class(p->remaining_source)
                     ? ", a figure of one class alone (SHA or CHA), which "
                       "leaves the other class out"
                     : "");
    if (!ls)
        ok &= conclude(e, "art4.6", "info",
                       "(d) baseline at entry into force and added since: "
                       "unknown; (e) cleared, reduced and cancelled since "
                       "entry into force: unknown (the ledger has no "
                       "records of %s by %s: no hazard or release polygons "
                       "in the store); (f) remaining %s, as of %s, %s",
                       p->country, p->as_of, m2(a, 64, p->remaining_m2),
                       p->as_of, src);
    else
        ok &= conclude(
            e, "art4.6", "info",
            "(d) baseline at entry into force %s, added since %s; (e) "
            "cleared since entry into force %s (besides %s reduced "
            "and %s cancelled); closed without release %s; (f) "
            "remaining %s, as of %s, %s; reported apart by the ledger: "
            "released on or before entry into force %s, closed without "
            "release by then %s; of the added, land found again after "
            "release or closure %s",
            m2(a, 64, p->baseline_m2), m2(b, 64, p->added_m2),
            m2(d, 64, p->cleared_m2), m2(g, 64, p->reduced_m2),
            m2((char[64]){0}, 64, p->cancelled_m2),
            m2((char[64]){0}, 64, p->closed_without_release_m2),
            m2((char[64]){0}, 64, p->remaining_m2), p->as_of, src,
            m2((char[64]){0}, 64, p->released_before_eif_m2),
            m2((char[64]){0}, 64, p->closed_before_eif_m2),
            m2((char[64]){0}, 64, p->added_again_m2));
    double stated[4] = {p->stated_baseline_m2, p->stated_added_m2,
                        p->stated_cleared_m2, p->stated_remaining_m2};
    double mine[4] = {p->baseline_m2, p->added_m2, p->cleared_m2,
                      p->remaining_m2};
    static const char *const what[4] = {"baseline", "added", "cleared",
                                        "remaining"};
    bool any_stated = false;
    for (int k = 0; k < 4; k++) {
        if (isnan(stated[k]))
            continue;
        any_stated = true;
        const char *by = k == 3 && !from_ledger ? "the published figures give"
                                                : "the ledger computes";
        if (isnan(mine[k])) { /* no records: nothing to compare with */
            ok &= conclude(e, "art4.6", "info",
                           "the request states %s %s; the ledger has no "
                           "records to compare it with",
                           what[k], m2(a, 64, stated[k]));
            continue;
        }
        double diff = stated[k] - mine[k];
        bool close = fabs(diff) <= 0.05 * fmax(mine[k], 1);
        /* no percentage of a ledger value of zero */
        char pct[32] = "";
        if (mine[k] > 0)
            snprintf(pct, sizeof pct, ", %+.1f%%", 100 * diff / mine[k]);
        ok &= conclude(e, "art4.6", close ? "ok" : "flag",
                       "the request states %s %s; %s %s (difference %s%s)",
                       what[k], m2(a, 64, stated[k]), by, m2(b, 64, mine[k]),
                       m2(d, 64, diff), pct);
    }
    if (!any_stated)
        ok &= conclude(e, "art4.6", "info",
                       "the plan file states no Art. 4.6 (d)-(f) figures to "
                       "compare with the figures above");
    if (!isnan(p->remaining_m2)) {
        /* the milestones that count, and, when some years are past, what
         * the plan held in all */
        char which[256];
        if (p->planned_ahead_m2 < p->planned_total_m2)
            snprintf(which, sizeof which,
                     "the milestones due after %s (%s; %s in all with the "
                     "years already past)",
                     p->as_of, m2(a, 64, p->planned_ahead_m2),
                     m2(b, 64, p->planned_total_m2));
        else
            snprintf(which, sizeof which, "the milestones (%s in all)",
                     m2(a, 64, p->planned_ahead_m2));
        double gap = p->remaining_m2 - p->planned_ahead_m2;
        if (gap <= 0.01 * p->remaining_m2)
            ok &= conclude(e, "coverage", "ok",
                           "%s cover the remaining area (%s)", which,
                           m2(b, 64, p->remaining_m2));
        else
            ok &= conclude(e, "coverage", "flag",
                           "%s leave %s of the remaining %s without a year",
                           which, m2(b, 64, gap), m2(d, 64, p->remaining_m2));
    }
    size_t flagged = 0;
    for (size_t i = 0; i < p->nyears; i++) {
        const struct cmr_eval_year *y = &p->years[i];
        if (!y->exceeds)
            continue;
        flagged++;
        char vs[512];
        ok &= conclude(e, "pace", "flag", "%d: the plan asks %s%s", y->year,
                       m2(a, 64, y->planned_m2), pace_vs(vs, sizeof vs, p, y));
    }
    if (!flagged && p->nyears) {
        size_t top = 0;
        for (size_t i = 1; i < p->nyears; i++)
            if (p->years[i].planned_m2 > p->years[top].planned_m2)
                top = i;
        char vs[512];
        ok &= conclude(e, "pace", "ok", "the largest milestone (%d: %s)%s",
                       p->years[top].year, m2(a, 64, p->years[top].planned_m2),
                       pace_vs(vs, sizeof vs, p, &p->years[top]));
    }
    double cost = 0, fund = 0, gap = 0, surplus = 0;
    bool costs = false;
    int nsurplus = 0, first_surplus = 0;
    for (size_t i = 0; i < p->nyears; i++)
        if (p->years[i].has_cost) {
            const struct cmr_eval_year *y = &p->years[i];
            costs = true;
            cost += y->cost_usd;
            fund += y->funding_usd;
            gap += y->gap_usd;
            if (y->funding_usd > y->cost_usd) {
                surplus += y->funding_usd - y->cost_usd;
                if (!nsurplus++)
                    first_surplus = y->year;
            }
        }
    if (!costs)
        ok &= conclude(e, "funding", "flag",
                       "the plan gives no costs: the funding gap cannot be "
                       "assessed");
    else
        ok &= conclude(e, "funding", gap > 0 ? "flag" : "ok",
                       "costs USD %.0f, funding secured USD %.0f: a gap of "
                       "USD %.0f (%.0f%% unfunded, the sum of each year's "
                       "shortfall)",
                       cost, fund, gap, cost > 0 ? 100 * gap / cost : 0.0);
    if (nsurplus)
        ok &= conclude(e, "funding", "flag",
                       "funding secured exceeds the cost in %d year(s) "
                       "(first %d) by USD %.0f in all: the plan's costs and "
                       "funding do not agree, and a surplus is not counted "
                       "against another year's gap",
                       nsurplus, first_surplus, surplus);
    if (!p->requested) {
        ok &= conclude(e, "period", "info",
                       "the deadline asked is not in the plan file (not "
                       "published); at the pace shown completion is P10 %s, "
                       "P50 %s, P90 %s",
                       p->p10 ? p->p10 : "never", p->p50 ? p->p50 : "never",
                       p->p90 ? p->p90 : "never");
    } else if (!p->p50) {
        ok &= conclude(e, "period", "flag",
                       "the request asks for %s, but at the pace shown (mean "
                       "%s a year) the State does not finish within 100 "
                       "years",
                       p->requested, m2(a, 64, p->mean_m2_per_year));
    } else if (p->p10 && strcmp(p->requested, p->p10) < 0) {
        ok &= conclude(e, "period", "flag",
                       "the request asks for %s, shorter than the projection "
                       "supports: at the pace shown completion is P10 %s, "
                       "P50 %s, P90 %s",
                       p->requested, p->p10, p->p50, p->p90 ? p->p90 : "never");
    } else if (p->p90 && strcmp(p->requested, p->p90) > 0) {
        ok &= conclude(e, "period", "flag",
                       "the request asks for %s, longer than the projection "
                       "supports: at the pace shown completion is P10 %s, "
                       "P50 %s, P90 %s",
                       p->requested, p->p10, p->p50, p->p90);
    } else {
        ok &= conclude(e, "period", "ok",
                       "the request asks for %s, within the projection (P10 "
                       "%s, P50 %s, P90 %s)",
                       p->requested, p->p10, p->p50, p->p90 ? p->p90 : "never");
    }
    /* Only a year with an area milestone is a milestone: a year of costs
     * alone after the date asked is not one. A year's milestone is due by
     * its end (plans give milestones by year), so one in the year of the
     * date asked is after it unless that date is 31 December. */
    int last_milestone = 0;
    for (size_t i = 0; i < p->nyears; i++)
        if (p->years[i].has_milestone)
            last_milestone = p->years[i].year;
    struct cmr__date asked_d, due = {last_milestone, 12, 31};
    if (p->requested && last_milestone &&
        cmr__date_parse(p->requested, &asked_d) &&
        cmr__date_cmp(due, asked_d) > 0)
        ok &= conclude(e, "period", "flag",
                       "the plan has milestones in %d (due by %d-12-31), "
                       "after the deadline asked (%s)",
                       last_milestone, last_milestone, p->requested);
    /* A date the deadlines data has to the month or year counts from its
     * first day (as the forecast counts it): 2024-08 is 2024-08-01. */
    struct cmr__date dq, dd;
    bool agree =
        p->requested && p->requested_in_deadlines &&
        (cmr__date_parse(p->requested, &dq) &&
                 cmr__date_parse_published(p->requested_in_deadlines, &dd)
             ? cmr__date_cmp(dq, dd) == 0
             : strcmp(p->requested, p->requested_in_deadlines) == 0);
    if (p->requested && p->requested_in_deadlines && !agree)
        ok &= conclude(e, "deadlines", "flag",
                       "the plan asks for %s but the deadlines data records "
                       "%s as the date asked at %s",
                       p->requested, p->requested_in_deadlines, p->meeting);
    else if (p->requested && p->requested_in_deadlines &&
             strcmp(p->requested, p->requested_in_deadlines) != 0)
        ok &= conclude(e, "deadlines", "ok",
                       "the date asked (%s) agrees with the deadlines data "
                       "(%s, from its first day)",
                       p->requested, p->requested_in_deadlines);
    else if (p->requested && p->requested_in_deadlines)
        ok &= conclude(e, "deadlines", "ok",
                       "the date asked (%s) agrees with the deadlines data",
                       p->requested);
    if (last_now) {
        double planned = 0, achieved = 0;
        for (size_t i = 0; i < p->nyears; i++)
            if (p->years[i].past) {
                planned += p->years[i].planned_m2;
                achieved += p->years[i].achieved_m2;
            }
        if (isnan(last_now->cumulative_shortfall_m2))
            ok &=
                conclude(e, "past", "info",
                         "this plan's years already past (%d to %d): %s "
                         "planned; the release achieved is unknown for "
                         "years without a published figure, so the "
                         "cumulative shortfall cannot be told",
                         p->years[0].year, last_now->year, m2(a, 64, planned));
        else
            ok &=
                conclude(e, "past",
                         last_now->cumulative_shortfall_m2 > 0 ? "flag" : "ok",
                         "this plan's years already past (%d to %d): %s "
                         "planned, %s released; the cumulative shortfall of "
                         "release against it is %s",
                         p->years[0].year, last_now->year, m2(a, 64, planned),
                         m2(b, 64, achieved),
                         m2(d, 64, last_now->cumulative_shortfall_m2));
    }
    if (p->npast) {
        /* The comparison covers the years up to the as-of year; the
         * earlier plan's later years are not yet due, and said so. */
        const struct cmr_eval_year *last = NULL, *ahead = NULL;
        for (size_t i = 0; i < p->npast; i++)
            if (p->past[i].past)
                last = &p->past[i];
            else if (!ahead)
                ahead = &p->past[i];
        char span[160], later_txt[96] = "";
        int y0 = p->past[0].year, y1 = p->past[p->npast - 1].year;
        if (y0 == y1)
            snprintf(span, sizeof span, "the earlier plan (%s) planned %d",
                     p->earlier_request, y0);
        else
            snprintf(span, sizeof span,
                     "the earlier plan (%s) planned %d to %d",
                     p->earlier_request, y0, y1);
        if (ahead && ahead->year == y1)
            snprintf(later_txt, sizeof later_txt, "; %d is not yet due", y1);
        else if (ahead)
            snprintf(later_txt, sizeof later_txt, "; %d to %d are not yet due",
                     ahead->year, y1);
        if (last && isnan(last->cumulative_shortfall_m2))
            ok &= conclude(e, "past", "info",
                           "%s; the release achieved is unknown for years "
                           "without a published figure, so the cumulative "
                           "shortfall against it by %d cannot be told%s",
                           span, last->year, later_txt);
        else if (last)
            ok &= conclude(
                e, "past", last->cumulative_shortfall_m2 > 0 ? "flag" : "ok",
                "%s; by %d the cumulative shortfall of release against it "
                "is %s%s",
                span, last->year, m2(a, 64, last->cumulative_shortfall_m2),
                later_txt);
    }
    if (p->synthetic_plan)
        ok &= conclude(e, "data", "info",
                       "the milestones and costs of this plan are SYNTHETIC "
                       "(illustrative values, not the request's)");
    if (!ok)
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
fail_ledger:
    cmr_ledger_free(L);
fail:
    cmr_forecasts_free(F);
    if (st) {
        cmr_evaluation_free(p);
        return st;
    }
    *out = p;
    return CMR_OK;
}
