/* SPDX-License-Identifier: MIT */
/* Forecast arithmetic: trailing mean, Theil-Sen trend and Monte Carlo over
 * a window of annual release and additions. Pure C; no store, no GEOS. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "forecast_int.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool cmr__theil_sen(const double *y, const double *x, size_t n, double *slope,
                    double *intercept)
{
    *slope = 0;
    *intercept = n ? y[0] : 0;
    if (n < 2)
        return true;
    size_t np = n * (n - 1) / 2, k = 0;
    double *s = cmr__malloc(np * sizeof *s), *b = cmr__malloc(n * sizeof *b);
    if (!s || !b) {
        cmr__free(s);
        cmr__free(b);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            s[k++] = (y[j] - y[i]) / (x ? x[j] - x[i] : (double)j - (double)i);
    *slope = median(s, np);
    for (size_t i = 0; i < n; i++)
        b[i] = y[i] - *slope * (x ? x[i] : (double)i);
    *intercept = median(b, n);
    cmr__free(s);
    cmr__free(b);
    return true;
}

/* splitmix64, as in synth.c: small, fast and the same on every machine. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Years to finish when year k (1, 2, ...) releases net(k) m2; INFINITY
 * when the horizon passes first. Remaining area grows in a year whose net
 * release is negative (more found than released). */
static double years_to_finish(double remaining, const double *net, int n)
{
    for (int k = 0; k < n; k++) {
        if (net[k] > 0 && remaining <= net[k])
            return k + remaining / net[k];
        remaining -= net[k];
    }
    return INFINITY;
}

static int64_t to_date(int64_t as_of, double years)
{
    return isfinite(years) ? as_of + (int64_t)llround(years * 365.25)
                           : INT64_MAX;
}

enum cmr_status cmr__forecast_core(struct cmr_ctx *ctx,
                                   const struct cmr__fc_in *in,
                                   struct cmr__fc_out *out)
{
    memset(out, 0, sizeof *out);
    out->p_deadline = out->p_requested = NAN;
    double mean = 0;
    for (size_t i = 0; i < in->n; i++)
        mean += in->released[i];
    mean = in->n ? mean / (double)in->n : 0;
    double added = 0;
    for (size_t i = 0; i < in->n; i++)
        added += in->added[i];
    added = in->n ? added / (double)in->n : 0;
    double cap = in->capacity > 0 ? in->capacity : 1;
    double x_asof = in->x ? in->x_asof : (double)in->n - 1;
    out->mean = mean;
    const int H = CMR_FORECAST_HORIZON_YEARS;
    double net[CMR_FORECAST_HORIZON_YEARS];
    double *years = NULL; /* one per run */
    size_t nruns = 1;

    if (in->remaining <= 0) {
        out->completes = true;
        out->p10 = out->p50 = out->p90 = in->as_of;
        out->rate = mean;
        out->discovery = in->has_discovery ? in->discovery : 0;
        out->p_deadline = in->has_deadline ? 1 : NAN;
        out->p_requested = in->has_requested ? 1 : NAN;
        return CMR_OK;
    }
    if (in->method == CMR_FORECAST_MONTECARLO) {
        nruns = in->runs > 0 ? (size_t)in->runs : 10000;
        out->discovery = in->has_discovery ? in->discovery : added;
        out->rate = mean;
    } else if (in->method == CMR_FORECAST_TRAILING) {
        out->discovery = in->has_discovery ? in->discovery : 0;
        out->rate = mean;
    } else {
        double b0;
        if (!cmr__theil_sen(in->released, in->x, in->n, &out->slope, &b0))
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        out->discovery = in->has_discovery ? in->discovery : 0;
        /* The fitted release in the as-of year. */
        out->rate = fmax(0, b0 + out->slope * x_asof);
    }
    years = cmr__calloc(nruns, sizeof *years);
    if (!years)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    if (in->method == CMR_FORECAST_TRAILING) {
        for (int k = 0; k < H; k++)
            net[k] = cap * mean - out->discovery;
        years[0] = years_to_finish(in->remaining, net, H);
    } else if (in->method == CMR_FORECAST_TREND) {
        double b0, slope;
        if (!cmr__theil_sen(in->released, in->x, in->n, &slope, &b0)) {
            cmr__free(years);
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        }
        for (int k = 0; k < H; k++) {
            double x = x_asof + (k + 1);
            net[k] = cap * fmax(0, b0 + slope * x) - out->discovery;
        }
        years[0] = years_to_finish(in->remaining, net, H);
    } else {
        /* Each run draws, for each future year, one past year of the
         * window (release and additions together, so a year of large
         * discoveries keeps its release), unless --discovery fixes the
         * additions. */
        uint64_t s = in->seed ? in->seed : 1;
        for (size_t r = 0; r < nruns; r++) {
            for (int k = 0; k < H; k++) {
                size_t i = in->n ? (size_t)(next(&s) % in->n) : 0;
                double rel = in->n ? in->released[i] : 0;
                double add = in->has_discovery ? in->discovery
                                               : (in->n ? in->added[i] : 0);
                net[k] = cap * rel - add;
            }
            years[r] = years_to_finish(in->remaining, net, H);
        }
        qsort(years, nruns, sizeof *years, cmp_double);
    }
    /* Nearest-rank percentiles; P10 is the earliest (one run in ten
     * finishes by then). */
    size_t i10 = (size_t)ceil(0.1 * (double)nruns) - 1,
           i50 = (size_t)ceil(0.5 * (double)nruns) - 1,
           i90 = (size_t)ceil(0.9 * (double)nruns) - 1;
    out->p10 = to_date(in->as_of, years[i10]);
    out->p50 = to_date(in->as_of, years[i50]);
    out->p90 = to_date(in->as_of, years[i90]);
    out->completes = out->p50 != INT64_MAX;
    for (int w = 0; w < 2; w++) {
        bool has = w ? in->has_requested : in->has_deadline;
        int64_t d = w ? in->requested : in->deadline;
        if (!has)
            continue;
        size_t k = 0;
        for (size_t r = 0; r < nruns; r++)
            k += to_date(in->as_of, years[r]) <= d;
        double p = (double)k / (double)nruns;
        if (w)
            out->p_requested = p;
        else
            out->p_deadline = p;
    }
    cmr__free(years);
    return CMR_OK;
}
