/* SPDX-License-Identifier: MIT */
/* The report: index.html (the ten States: a table with a verdict by a
 * stated rule, the small-multiples map, the survey and clearance
 * indicators), one brief per State (Art. 4.6 (d)-(f), provinces, yearly
 * release, map, findings, forecast, the evaluation of a pending request,
 * indicators, provenance) with its CSV tables, and report.pdf with the same
 * content. Pages are self-contained: maps and charts are inline SVG. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scene.h"
#include "store_int.h"

/* ---- a growing text buffer ---- */

struct buf {
    char *p;
    size_t n, cap;
    bool oom;
};

static void put(struct buf *b, const char *s)
{
    size_t k = strlen(s);
    if (b->oom || !cmr__reserve((void **)&b->p, &b->cap, b->n + k + 1, 1)) {
        b->oom = true;
        return;
    }
    memcpy(b->p + b->n, s, k + 1);
    b->n += k;
}

static void putf(struct buf *b, const char *fmt, ...) CMR_PRINTF(2, 3);
static void putf(struct buf *b, const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(b, tmp);
}

/* A CSV field (RFC 4180): quoted where it holds a comma, a quote or a line
 * break; a field a spreadsheet would read as a formula (=, +, -, @, tab)
 * quoted with a leading apostrophe, as the program's CSV forms do. */
static void csv(struct buf *b, const char *s)
{
    char one[2] = {0, 0};
    bool formula = s && *s && strchr("=+-@\t\r", *s);
    bool quote = formula || (s && strpbrk(s, ",\"\n\r"));
    if (quote)
        put(b, formula ? "\"'" : "\"");
    for (; s && *s; s++) {
        one[0] = *s;
        put(b, *s == '"' ? "\"\"" : one);
    }
    if (quote)
        put(b, "\"");
}

/* HTML-escaped text. */
static void esc(struct buf *b, const char *s)
{
    char one[2] = {0, 0};
    for (; s && *s; s++) {
        switch (*s) {
        case '<': put(b, "&lt;"); break;
        case '>': put(b, "&gt;"); break;
        case '&': put(b, "&amp;"); break;
        case '"': put(b, "&quot;"); break;
        default: one[0] = *s; put(b, one);
        }
    }
}

static const char *km2(char *t, size_t n, double m2)
{
    if (isnan(m2))
        snprintf(t, n, "-");
    else
        snprintf(t, n, "%.3f", m2 / 1e6);
    return t;
}

/* A ratio with one decimal, or "-" where there is none (no deadline
 * ahead, or no release to compare with). */
static const char *times(char *t, size_t n, double v)
{
    if (isfinite(v))
        snprintf(t, n, "%.1f", v);
    else
        snprintf(t, n, "-");
    return t;
}

/* The State's Article 4 deadline as the brief gives it: extended at a
 * meeting whose new date the deadlines data does not give, it says so. */
static const char *deadline_text(char *t, size_t n,
                                 const struct cmr_forecast *f)
{
    if (f->deadline && f->deadline_extended_at)
        snprintf(t, n,
                 "%s, extended at %.16s (the new date is not in the "
                 "deadlines data)",
                 f->deadline, f->deadline_extended_at);
    else
        snprintf(t, n, "%s", f->deadline ? f->deadline : "-");
    return t;
}

static const char *method_text(enum cmr_forecast_method m)
{
    return m == CMR_FORECAST_TRAILING ? "trailing"
           : m == CMR_FORECAST_TREND  ? "trend"
                                      : "montecarlo";
}

/* ", N runs, seed S" for a Monte Carlo forecast, as it was run. */
static const char *mc_text(const struct cmr_forecast *f, char *t, size_t n)
{
    if (f->method != CMR_FORECAST_MONTECARLO)
        snprintf(t, n, "%s", "");
    else
        snprintf(t, n, ", %d runs, seed %llu", f->runs,
                 (unsigned long long)f->seed);
    return t;
}

static enum cmr_status write_file(struct cmr_ctx *ctx, const char *dir,
                                  const char *name, const struct buf *b)
{
    if (b->oom)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return cmr__error(ctx, CMR_EIO, "%s: %s", path, strerror(errno));
    size_t w = b->n ? fwrite(b->p, 1, b->n, f) : 0;
    int rc = fclose(f);
    if (w != b->n || rc != 0)
        return cmr__error(ctx, CMR_EIO, "%s: write failed", path);
    return CMR_OK;
}

static const char CSS[] =
    "<style>\n"
    "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em;color:#222;"
    "max-width:1200px}\n"
    "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:"
    "1px solid #ccc}\n"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.9em}\n"
    "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:right;"
    "vertical-align:top;white-space:nowrap}\ntd.l{white-space:normal}\n.nw{"
    "white-space:nowrap}\n"
    "th{background:#eef2f6}td.l,th.l{text-align:left}\n"
    ".synthetic{background:#b00;color:#fff;font-weight:bold;padding:.4em "
    ".8em;display:inline-block}\n"
    ".ok{color:#1a7a3a;font-weight:bold}.flag,.off{color:#b00;font-weight:"
    "bold}.risk{color:#b8860b;font-weight:bold}.past{color:#555;font-weight:"
    "bold}\n"
    "figure{margin:1em 0}figure svg{max-width:100%;height:auto;border:1px "
    "solid #ddd}\n"
    ".note{color:#555;font-size:.85em}\n"
    "@media print{body{margin:0;max-width:none}a{color:#000;text-decoration:"
    "none}h2{page-break-after:avoid}figure,table{page-break-inside:avoid}"
    "nav{display:none}}\n"
    "</style>\n";

static void head(struct buf *b, const char *title)
{
    put(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
           "charset=\"utf-8\"><title>");
    esc(b, title);
    put(b, "</title>\n");
    put(b, CSS);
    put(b, "</head><body>\n");
}

/* The verdict rule: past deadline; on track at P >= 0.8; at risk from
 * 0.2; off track below. */
static const char *verdict(const struct cmr_forecast *f, const char **cls)
{
    if (!f->deadline) {
        *cls = "past";
        return "no deadline";
    }
    if (f->deadline_passed) {
        *cls = "past";
        return "past deadline";
    }
    if (isnan(f->p_by_deadline)) {
        *cls = "past";
        return "unknown";
    }
    if (f->p_by_deadline >= 0.8) {
        *cls = "ok";
        return "on track";
    }
    if (f->p_by_deadline >= 0.2) {
        *cls = "risk";
        return "at risk";
    }
    *cls = "off";
    return "off track";
}

static const struct cmr_forecast *find_fc(const struct cmr_forecasts *F,
                                          const char *iso3)
{
    for (size_t i = 0; F && i < cmr_forecasts_count(F); i++)
        if (strcmp(cmr_forecasts_get(F, i)->country, iso3) == 0)
            return cmr_forecasts_get(F, i);
    return NULL;
}

static const struct cmr_ledger_state *find_state(const struct cmr_ledger *L,
                                                 const char *iso3)
{
    for (size_t i = 0; i < cmr_ledger_count(L); i++)
        if (strcmp(cmr_ledger_state(L, i)->country, iso3) == 0)
            return cmr_ledger_state(L, i);
    return NULL;
}

/* Whether a remaining area is a published figure of one class alone (no
 * total, nor both classes of one year, was published): it understates the
 * total. The rule of cmr forecast's '^'. */
static bool one_class(const struct cmr_forecast *f)
{
    return f->remaining_source && strstr(f->remaining_source, "figures:") &&
           !strstr(f->remaining_source, "remaining_total") &&
           !strchr(f->remaining_source, '+');
}

/* The release of a year in the forecast's series (published figures for a
 * State without records); NaN when the series has no such year. */
static double series_release(const struct cmr_forecast *f, int year)
{
    for (size_t k = 0; k < f->nseries; k++)
        if (f->series[k].year == year)
            return f->series[k].released_m2;
    return NAN;
}

static double last_release(const struct cmr_ledger_state *s, int year)
{
    for (size_t k = 0; k < s->nyears; k++)
        if (s->by_year[k].year == year)
            return s->by_year[k].cleared_m2 + s->by_year[k].reduced_m2 +
                   s->by_year[k].cancelled_m2;
    return 0;
}

/* Appends a figure with inline SVG. */
static enum cmr_status svg_map(struct cmr_ctx *ctx, struct buf *b,
                               const struct cmr__map *m, const char *prefix)
{
    char *svg = NULL;
    enum cmr_status st = cmr__render_map_svg(ctx, m, 1600, 1100, prefix, &svg);
    if (st)
        return st;
    put(b, "<figure>");
    put(b, svg);
    put(b, "</figure>\n");
    cmr__free(svg);
    return CMR_OK;
}

static enum cmr_status svg_chart(struct cmr_ctx *ctx, struct buf *b,
                                 const struct cmr__chart *c, const char *prefix)
{
    char *svg = NULL;
    enum cmr_status st =
        cmr__render_chart_svg(ctx, c, 1600, 1000, prefix, &svg);
    if (st)
        return st;
    put(b, "<figure>");
    put(b, svg);
    put(b, "</figure>\n");
    cmr__free(svg);
    return CMR_OK;
}

/* ---- text lines for the PDF ---- */

struct lines {
    char **l;
    size_t n, cap;
    bool oom;
};

static void line(struct lines *L, const char *fmt, ...) CMR_PRINTF(2, 3);
static void line(struct lines *L, const char *fmt, ...)
{
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    char *d = cmr__strdup(tmp);
    if (!d || !cmr__reserve((void **)&L->l, &L->cap, L->n + 1, sizeof *L->l)) {
        cmr__free(d);
        L->oom = true;
        return;
    }
    L->l[L->n++] = d;
}

static void lines_free(struct lines *L)
{
    for (size_t i = 0; i < L->n; i++)
        cmr__free(L->l[i]);
    cmr__free(L->l);
    memset(L, 0, sizeof *L);
}

static enum cmr_status flush(struct cmr_ctx *ctx, struct cmr__pdf *pdf,
                             struct lines *L)
{
    enum cmr_status st =
        L->oom ? cmr__error(ctx, CMR_ENOMEM, "out of memory")
               : cmr__pdf_text(ctx, pdf, (const char *const *)L->l, L->n);
    lines_free(L);
    return st;
}

/* What a page says instead of a map the store's data cannot draw. */
static const char NO_BOUNDARIES[] =
    "Map left out: no boundaries in the store: maps need them, see cmr init "
    "--boundaries.";

/* ---- the overview ---- */

/* all: the small multiples, or NULL when the store has no boundaries. */
static enum cmr_status overview(struct cmr_ctx *ctx, struct cmr_store *store,
                                const char *dir, const struct cmr_ledger *Lg,
                                const struct cmr_forecasts *F,
                                const struct cmr_indicators *S,
                                const struct cmr__map *all,
                                struct cmr__pdf *pdf)
{
    struct buf b = {0};
    struct lines L = {0};
    char t1[32], t2[32], t3[32], t4[32], t5[32];
    const char *as_of = cmr_ledger_as_of(Lg);
    int y = atoi(as_of);
    bool synth = false;
    for (size_t i = 0; i < cmr_ledger_count(Lg); i++)
        synth |= cmr_ledger_state(Lg, i)->synthetic;
    head(&b, "cmr: cluster munition remnants, the States in the store");
    putf(&b,
         "<h1>Land contaminated by cluster munition remnants: the States "
         "Parties, as of <span class=\"nw\">%s</span></h1>\n",
         as_of);
    line(&L, "# Land contaminated by cluster munition remnants, as of %s",
         as_of);
    if (synth) {
        put(&b, "<p class=\"synthetic\">SYNTHETIC DATA: the polygons are "
                "generated (cmr synth), calibrated to published figures; "
                "they are not a national database.</p>\n");
        line(&L, "! SYNTHETIC DATA: the polygons are generated (cmr synth), "
                 "calibrated to published figures; not a national database.");
    }
    const struct cmr_forecast *f0 =
        F && cmr_forecasts_count(F) ? cmr_forecasts_get(F, 0) : NULL;
    char mc0[64];
    putf(&b,
         "<p>Areas in km&sup2; on the WGS84 ellipsoid, each square metre "
         "counted once (again only where it was found contaminated again "
         "after release or closure). Projection: %s over the last %d years%s. "
         "<b>Verdict</b> by a stated rule, not judgement: the probability "
         "of finishing by the current Article 4 deadline is <span "
         "class=\"ok\">on track</span> at 0.8 or more, <span "
         "class=\"risk\">at risk</span> from 0.2, <span "
         "class=\"off\">off track</span> below; <span "
         "class=\"past\">past deadline</span> when the deadline has "
         "passed.</p>\n",
         f0 && f0->method == CMR_FORECAST_TRAILING ? "trailing mean"
         : f0 && f0->method == CMR_FORECAST_TREND  ? "Theil-Sen trend"
                                                   : "Monte Carlo",
         f0 ? f0->window_years : 3, f0 ? mc_text(f0, mc0, sizeof mc0) : "");
    put(&b, "<h2>The States</h2>\n<table><tr><th class=\"l\">State</th>"
            "<th>remaining</th><th>SHA</th><th>CHA</th><th>released in the "
            "as-of year</th><th>mean rate a year</th><th>P50 "
            "completion</th><th>deadline</th><th>P(deadline)</th><th "
            "class=\"l\">verdict</th></tr>\n");
    line(&L, "## The States (km2; verdict: P(deadline) >= 0.8 on track, >= "
             "0.2 at risk, below off track)");
    line(&L, "| %-13s %10s %9s %9s %9s %9s %11s %11s %6s %s", "State",
         "remaining", "SHA", "CHA", "released", "mean/yr", "P50", "deadline",
         "P(dl)", "verdict");
    /* The States cmr forecast lists: with records in the store (a row
     * from the ledger and a page of their own), or with published figures
     * only (a row from the forecast's figures, marked, and no page). */
    size_t figures_only = 0;
    bool part = false;
    char extended[512] = ""; /* the States whose deadline is marked '+' */
    for (size_t i = 0; i < store->ncountries; i++) {
        const char *iso3 = store->countries[i].iso3;
        const struct cmr_ledger_state *s = find_state(Lg, iso3);
        const struct cmr_forecast *f = find_fc(F, iso3);
        if (!s && !f)
            continue;
        const char *cls = "past", *v = f ? verdict(f, &cls) : "-";
        char p[16] = "-", name[160];
        if (f && !isnan(f->p_by_deadline))
            snprintf(p, sizeof p, "%.2f", f->p_by_deadline);
        double rem, sha = NAN, cha = NAN, rel;
        if (s) {
            rem = s->remaining_m2;
            sha = s->sha_m2;
            cha = s->cha_m2;
            rel = last_release(s, y);
            putf(&b, "<tr><td class=\"l\"><a href=\"%s.html\">%s</a>%s</td>",
                 iso3, s->name, s->synthetic ? "&nbsp;*" : "");
            snprintf(name, sizeof name, "%s", s->name);
        } else {
            figures_only++;
            rem = f->remaining_m2;
            rel = series_release(f, y);
            part |= !isnan(rem) && one_class(f);
            putf(&b, "<tr><td class=\"l\">%s&nbsp;&dagger;</td>", f->name);
            /* \xe2\x80\xa0: U+2020, the dagger, in UTF-8 */
            snprintf(name, sizeof name, "%s \xe2\x80\xa0", f->name);
        }
        /* a deadline extended to a date the data lacks: marked '+' */
        char dl[32] = "-";
        if (f && f->deadline)
            snprintf(dl, sizeof dl, "%s%s", f->deadline,
                     f->deadline_extended_at ? "+" : "");
        if (f && f->deadline_extended_at &&
            strlen(extended) + 32 < sizeof extended)
            snprintf(extended + strlen(extended),
                     sizeof extended - strlen(extended), "%s%s (%.16s)",
                     extended[0] ? ", " : "", f->name, f->deadline_extended_at);
        /* no P50 of an unknown remaining area, nor without a rate (no
         * release figure in the window): '-', as cmr forecast has it */
        const char *p50 = f && f->p50 ? f->p50
                          : isnan(rem) || !f || isnan(f->rate_m2_per_year)
                              ? "-"
                              : "never";
        km2(t1, 32, rem);
        if (!s && !isnan(rem) && one_class(f))
            strcat(t1, "^");
        putf(&b,
             "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
             "<td>%s</td><td>%s</td><td>%s</td><td class=\"l %s\">%s</td>"
             "</tr>\n",
             t1, km2(t2, 32, sha), km2(t3, 32, cha), km2(t4, 32, rel),
             km2(t5, 32, f ? f->mean_m2_per_year : NAN), p50, dl, p, cls, v);
        /* the dagger: three bytes, one character wide */
        line(&L, "| %-*s %10s %9s %9s %9s %9s %11s %11s %6s %s", s ? 13 : 15,
             name, t1, km2(t2, 32, sha), km2(t3, 32, cha), km2(t4, 32, rel),
             km2(t5, 32, f ? f->mean_m2_per_year : NAN), p50, dl, p, v);
    }
    put(&b, "</table>\n");
    if (synth)
        put(&b, "<p class=\"note\">* synthetic data.</p>\n");
    if (figures_only) {
        static const char why[] =
            "no records in the store: the row is from the State's published "
            "figures (the store's national figures, as cmr forecast reads "
            "them), and the State has no page of its own.";
        putf(&b, "<p class=\"note\">&dagger; %s</p>\n", why);
        line(&L, "\xe2\x80\xa0 %s", why);
    }
    if (extended[0]) {
        putf(&b,
             "<p class=\"note\">+ extended since, at the meeting named, to a "
             "date the deadlines data does not give: %s; no probability or "
             "verdict is measured against the date shown.</p>\n",
             extended);
        line(&L,
             "+ extended since, to a date the deadlines data does not give: "
             "%s",
             extended);
    }
    if (part) {
        static const char why[] =
            "^ a published figure of one class alone (SHA or CHA), later "
            "than any total: the other class is left out.";
        putf(&b, "<p class=\"note\">%s</p>\n", why);
        line(&L, "%s", why);
    }
    put(&b, "<h2>Remaining hazards</h2>\n");
    enum cmr_status st = CMR_OK;
    if (all) {
        st = svg_map(ctx, &b, all, "all-");
    } else {
        putf(&b, "<p class=\"note\">%s</p>\n", NO_BOUNDARIES);
        line(&L, "## Remaining hazards");
        line(&L, "%s", NO_BOUNDARIES);
    }
    if (!st && S) {
        putf(&b,
             "<h2>Survey and clearance indicators (%s)</h2>\n<p>As printed "
             "in the Progress Report, beside the value the data supports "
             "where it can decide it (cmr indicators).</p>\n<table><tr><th "
             "class=\"l\">id</th><th class=\"l\">indicator</th><th>10MSP</th>"
             "<th>11MSP</th><th>12MSP</th><th>13MSP</th><th>computed</th>"
             "<th class=\"l\">States (computed)</th><th>mismatch</th></tr>\n",
             cmr_indicators_cycle(S));
        line(&L, "## Survey and clearance indicators (%s)",
             cmr_indicators_cycle(S));
        line(&L, "| %-4s %6s %6s %6s %6s %9s  %s", "id", "10MSP", "11MSP",
             "12MSP", "13MSP", "computed", "States");
        bool fake = false, partial = false, unknown = false;
        for (size_t i = 0; i < cmr_indicators_count(S); i++) {
            const struct cmr_indicator *x = cmr_indicators_get(S, i);
            if (strcmp(x->pillar, "survey-clearance") != 0)
                continue;
            fake |= x->computed && x->synthetic;
            put(&b, "<tr><td class=\"l\">");
            esc(&b, x->id);
            put(&b, "</td><td class=\"l\">");
            esc(&b, x->indicator);
            put(&b, "</td>");
            for (int k = 0; k < CMR_LAP_CYCLES; k++) {
                put(&b, "<td>");
                esc(&b, x->values[k].printed);
                put(&b, "</td>");
            }
            char comp[32] = "-", states[256] = "";
            /* (N of M: only M States' data decide it; unknown: '-') */
            if (x->computed && x->ncovered < x->nscope)
                snprintf(comp, sizeof comp, "%.0f of %zu%s", x->computed_value,
                         x->ncovered, x->synthetic ? "*" : "");
            else if (x->computed)
                snprintf(comp, sizeof comp, "%.0f%s", x->computed_value,
                         x->synthetic ? "*" : "");
            partial |= x->computed && x->ncovered < x->nscope;
            unknown |= x->undecided;
            for (size_t k = 0; k < x->nstates; k++) {
                size_t u = strlen(states);
                snprintf(states + u, sizeof states - u, "%s%s", k ? " " : "",
                         x->states[k]);
            }
            putf(&b, "<td>%s</td><td class=\"l\">%s</td><td>%s</td></tr>\n",
                 comp, states,
                 x->mismatch ? "<span class=\"flag\">yes</span>" : "");
            line(&L, "| %-4s %6s %6s %6s %6s %9s  %s%s", x->id,
                 x->values[0].printed, x->values[1].printed,
                 x->values[2].printed, x->values[3].printed, comp, states,
                 x->mismatch ? "  (mismatch)" : "");
        }
        put(&b, "</table>\n");
        if (fake)
            put(&b, "<p class=\"note\">* computed from synthetic data (cmr "
                    "synth): a mismatch there says nothing about the "
                    "report.</p>\n");
        if (partial) {
            static const char why[] =
                "N of M: N States count, of the M whose data in the store "
                "decide it; the report counts every affected State Party, "
                "so N is a floor, a mismatch only where the reported count "
                "is out of its reach.";
            putf(&b, "<p class=\"note\">%s</p>\n", why);
            line(&L, "%s", why);
        }
        if (unknown) {
            static const char why[] =
                "-: not computed, or unknown where no State's data in the "
                "store decide it (cmr indicators says why).";
            putf(&b, "<p class=\"note\">%s</p>\n", why);
            line(&L, "%s", why);
        }
    }
    putf(&b,
         "<p class=\"note\">Store: %s. Made by cmr %s.%s Every figure is "
         "from the store's data or from geodata/, which cites its sources. A "
         "PDF with the same content: <a href=\"report.pdf\">report.pdf</a>."
         "</p>\n",
         store->path, cmr_version(),
         all ? " Boundaries: Natural Earth (public domain)." : "");
    put(&b, "</body></html>\n");
    if (!st)
        st = write_file(ctx, dir, "index.html", &b);
    cmr__free(b.p);
    if (!st)
        st = flush(ctx, pdf, &L);
    else
        lines_free(&L);
    if (!st && all)
        st = cmr__pdf_map(ctx, pdf, all);
    return st;
}

/* ---- Article 4.6 (d)-(f): computed beside stated ---- */

/* The rows of the Art. 4.6 table: the identity (remaining = baseline +
 * added - cleared - reduced - cancelled - closed without release), then
 * what is reported apart, and the part of the added found again. */
#define NART46 10
static const char *const art46[NART46] = {
    "4.6(d)", "4.6(d)", "4.6(e)", "4.6(e)", "4.6(e)",
    "-",      "4.6(f)", "-",      "-",      "-"};
static const char *const art46_items[NART46] = {
    "baseline at entry into force (EIF)",
    "added since EIF",
    "cleared since EIF",
    "reduced since EIF",
    "cancelled since EIF",
    "closed without release since EIF",
    "remaining",
    "apart: released on or before EIF",
    "apart: closed without release by EIF",
    "of the added: land found again"};

/* The rows' computed values and the request's stated ones (NaN: not
 * stated). */
static void art46_values(const struct cmr_ledger_state *s,
                         const struct cmr_evaluation *ev, double v[NART46],
                         double stated[NART46])
{
    const double c[NART46] = {
        s->baseline_m2,          s->added_m2,
        s->cleared_m2,           s->reduced_m2,
        s->cancelled_m2,         s->closed_without_release_m2,
        s->remaining_m2,         s->released_before_eif_m2,
        s->closed_before_eif_m2, s->added_again_m2};
    for (int k = 0; k < NART46; k++) {
        v[k] = c[k];
        stated[k] = NAN;
    }
    if (ev) {
        stated[0] = ev->stated_baseline_m2;
        stated[1] = ev->stated_added_m2;
        stated[2] = ev->stated_cleared_m2;
        stated[6] = ev->stated_remaining_m2;
    }
}

/* ---- CSV beside a brief ---- */

static enum cmr_status csv_tables(struct cmr_ctx *ctx, const char *dir,
                                  const struct cmr_ledger_state *s,
                                  const struct cmr_evaluation *ev)
{
    struct buf b = {0};
    char name[64];
    const char *syn = s->synthetic ? "1" : "0";
    put(&b, "country,province_code,province,remaining_m2,sha_m2,cha_m2,"
            "synthetic\n");
    for (size_t k = 0; k < s->nprovinces; k++) {
        const struct cmr_ledger_province *p = &s->by_province[k];
        putf(&b, "%s,", s->country);
        csv(&b, p->code);
        put(&b, ",");
        csv(&b, p->name ? p->name : "outside provinces");
        putf(&b, ",%.2f,%.2f,%.2f,%s\n", p->remaining_m2, p->sha_m2, p->cha_m2,
             syn);
    }
    snprintf(name, sizeof name, "%s-contaminated-areas.csv", s->country);
    enum cmr_status st = write_file(ctx, dir, name, &b);
    cmr__free(b.p);
    memset(&b, 0, sizeof b);
    put(&b, "country,year,cleared_m2,reduced_m2,cancelled_m2,added_m2,"
            "submunitions_destroyed,synthetic,closed_without_release_m2,"
            "period\n");
    int eif_year = atoi(s->entry_into_force);
    for (size_t k = 0; k < s->nyears; k++) {
        const struct cmr_ledger_year *y = &s->by_year[k];
        char sub[32] = "";
        if (y->has_submunitions)
            snprintf(sub, sizeof sub, "%lld", (long long)y->submunitions);
        putf(&b, "%s,%d,%.2f,%.2f,%.2f,%.2f,%s,%s,%.2f,%s\n", s->country,
             y->year, y->cleared_m2, y->reduced_m2, y->cancelled_m2,
             y->added_m2, sub, syn, y->closed_without_release_m2,
             y->year < eif_year    ? "before EIF"
             : y->year == eif_year ? "year of EIF"
                                   : "since EIF");
    }
    snprintf(name, sizeof name, "%s-release-by-year.csv", s->country);
    if (!st)
        st = write_file(ctx, dir, name, &b);
    cmr__free(b.p);
    memset(&b, 0, sizeof b);
    put(&b, "country,item,article,computed_m2,stated_m2,synthetic\n");
    const char *const *items = art46_items;
    const char *const *art = art46;
    double v[NART46], stated[NART46];
    art46_values(s, ev, v, stated);
    for (int k = 0; k < NART46; k++) {
        char st6[32] = "";
        if (!isnan(stated[k]))
            snprintf(st6, sizeof st6, "%.2f", stated[k]);
        putf(&b, "%s,%s,%s,%.2f,%s,%s\n", s->country, items[k], art[k], v[k],
             st6, syn);
    }
    snprintf(name, sizeof name, "%s-art4-6.csv", s->country);
    if (!st)
        st = write_file(ctx, dir, name, &b);
    cmr__free(b.p);
    /* every finding, as cmr check --format csv gives them (the page and
     * the PDF list the first ones) */
    memset(&b, 0, sizeof b);
    put(&b, "kind,country,records,area_m2,detail,synthetic\n");
    for (size_t k = 0; k < s->nfindings; k++) {
        const struct cmr_finding *x = &s->findings[k];
        putf(&b, "%s,%s,", x->kind, x->country);
        size_t len = 1;
        for (size_t r = 0; r < x->nrecords; r++)
            len += strlen(x->records[r]) + 1;
        char *ids = cmr__malloc(len);
        if (!ids) {
            b.oom = true;
            break;
        }
        ids[0] = '\0';
        for (size_t r = 0, used = 0; r < x->nrecords; r++) {
            size_t n = strlen(x->records[r]);
            if (r)
                ids[used++] = ';';
            memcpy(ids + used, x->records[r], n + 1);
            used += n;
        }
        csv(&b, ids);
        cmr__free(ids);
        putf(&b, ",%.2f,", x->area_m2);
        csv(&b, x->detail);
        putf(&b, ",%s\n", syn);
    }
    snprintf(name, sizeof name, "%s-findings.csv", s->country);
    if (!st)
        st = write_file(ctx, dir, name, &b);
    cmr__free(b.p);
    return st;
}

/* ---- one brief ---- */

/* The findings a brief's PDF pages list (the HTML page lists 60; the CSV
 * table every one), and the
 * bytes of record ids on one finding's line: about a printed line. */
#define PDF_FINDINGS    25
#define PDF_FINDING_IDS 120

/* A finding's records joined by ", " into out (PDF_FINDING_IDS + 48
 * bytes), cut after the last id that fits, with "... (N records)" then. */
static void finding_ids(const struct cmr_finding *x, char *out)
{
    char more[48];
    /* \xe2\x80\xa6: U+2026, the ellipsis, in UTF-8 */
    snprintf(more, sizeof more, "\xe2\x80\xa6 (%zu records)", x->nrecords);
    size_t used = 0;
    out[0] = '\0';
    for (size_t r = 0; r < x->nrecords; r++) {
        const char *sep = r ? ", " : "";
        size_t k = strlen(sep) + strlen(x->records[r]);
        bool last = r + 1 == x->nrecords;
        if (used + k + (last ? 0 : 2 + strlen(more)) > PDF_FINDING_IDS) {
            snprintf(out + used, PDF_FINDING_IDS + 48 - used, "%s%s", sep,
                     more);
            return;
        }
        snprintf(out + used, PDF_FINDING_IDS + 48 - used, "%s%s", sep,
                 x->records[r]);
        used += k;
    }
}

static enum cmr_status
brief(struct cmr_ctx *ctx, struct cmr_store *store, const char *dir,
      const char *at, const struct cmr_ledger_state *s,
      const struct cmr_forecast *f, const struct cmr_indicators *S,
      const struct cmr_report_opts *o, bool boundaries, struct cmr__pdf *pdf)
{
    struct buf b = {0};
    struct lines L = {0};
    char t1[32], t2[32], t3[32], t4[32];
    char title[256];
    struct cmr__map m;
    struct cmr__chart burn, rel;
    memset(&m, 0, sizeof m);
    memset(&burn, 0, sizeof burn);
    memset(&rel, 0, sizeof rel);
    struct cmr_evaluation *ev = NULL;
    struct cmr_forecast_opts fo = o->forecast;
    fo.country = s->country;
    fo.at = at;
    /* the map, unless the store has no boundary of the State */
    bool has_map = boundaries;
    enum cmr_status st =
        has_map ? cmr__map_build(ctx, store, s->country, at, &m) : CMR_OK;
    if (st == CMR_EUNSUPPORTED) {
        has_map = false;
        st = CMR_OK;
    }
    if (!st)
        st = cmr__chart_build(ctx, store, s->country, 0, &fo, &burn);
    if (!st)
        st = cmr__chart_build(ctx, store, s->country, 1, &fo, &rel);
    if (!st) {
        enum cmr_status e = cmr_evaluate(ctx, store, &fo, &ev);
        if (e == CMR_EINVAL)
            ev = NULL; /* no request in the store */
        else
            st = e;
    }
    if (st)
        goto done;
    snprintf(title, sizeof title, "%s: brief for the Article 4 Analysis Group",
             s->name);
    head(&b, title);
    put(&b, "<nav><a href=\"index.html\">&larr; all States</a></nav>\n");
    putf(&b, "<h1>%s: cluster munition remnants, as of %s</h1>\n", s->name,
         f ? f->as_of : "");
    line(&L, "# %s: cluster munition remnants", s->name);
    if (s->synthetic) {
        put(&b, "<p class=\"synthetic\">SYNTHETIC DATA: generated polygons "
                "calibrated to published figures, not a national "
                "database.</p>\n");
        line(&L, "! SYNTHETIC DATA: generated polygons, not a national "
                 "database.");
    }
    /* Art. 4.6 (d)-(f) */
    put(&b, "<h2>Article 4.6 (d)-(f)</h2>\n<table><tr><th "
            "class=\"l\">item</th><th class=\"l\">Art.</th><th>computed "
            "(km&sup2;)</th><th>stated in the request (km&sup2;)</th></tr>\n");
    line(&L, "## Article 4.6 (d)-(f), km2 (computed from the polygons)");
    const char *const *items = art46_items;
    const char *const *art = art46;
    double v[NART46], sv[NART46];
    art46_values(s, ev, v, sv);
    for (int k = 0; k < NART46; k++) {
        putf(&b,
             "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%s</td>"
             "<td>%s</td></tr>\n",
             items[k], art[k], km2(t1, 32, v[k]), km2(t2, 32, sv[k]));
        line(&L, "| %-38s %-7s %12s %12s", items[k], art[k], km2(t1, 32, v[k]),
             km2(t2, 32, sv[k]));
    }
    putf(&b,
         "</table>\n<p class=\"note\">Entry into force %s. SHA %s, CHA %s "
         "km&sup2;; closed without release %s km&sup2;. Tables for the "
         "Article 7 report and the request: <a href=\"%s-art4-6.csv\">Art. "
         "4.6</a>, <a href=\"%s-contaminated-areas.csv\">contaminated areas "
         "by province</a>, <a href=\"%s-release-by-year.csv\">release and "
         "submunitions by year</a>, <a href=\"%s-findings.csv\">every "
         "finding</a> (CSV).</p>\n",
         s->entry_into_force, km2(t1, 32, s->sha_m2), km2(t2, 32, s->cha_m2),
         km2(t3, 32, s->closed_without_release_m2), s->country, s->country,
         s->country, s->country);
    /* provinces */
    put(&b, "<h2>Remaining area by province</h2>\n<table><tr><th "
            "class=\"l\">code</th><th class=\"l\">province</th><th>remaining"
            "</th><th>SHA</th><th>CHA</th></tr>\n");
    line(&L, "## Remaining area by province (km2)");
    for (size_t k = 0; k < s->nprovinces; k++) {
        const struct cmr_ledger_province *p = &s->by_province[k];
        putf(&b, "<tr><td class=\"l\">%s</td><td class=\"l\">",
             p->code ? p->code : "-");
        esc(&b, p->name ? p->name : "outside provinces");
        putf(&b, "</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
             km2(t1, 32, p->remaining_m2), km2(t2, 32, p->sha_m2),
             km2(t3, 32, p->cha_m2));
        line(&L, "| %-8s %-30.30s %10s %10s %10s", p->code ? p->code : "-",
             p->name ? p->name : "outside provinces",
             km2(t1, 32, p->remaining_m2), km2(t2, 32, p->sha_m2),
             km2(t3, 32, p->cha_m2));
    }
    put(&b, "</table>\n");
    /* map */
    put(&b, "<h2>Map</h2>\n");
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%s-map-", s->country);
    if (has_map) {
        if ((st = svg_map(ctx, &b, &m, prefix)))
            goto done;
    } else {
        char why[256];
        if (boundaries)
            snprintf(why, sizeof why,
                     "Map left out: no boundary of %s in the store: maps "
                     "need it, see cmr import --boundaries.",
                     s->name);
        else
            snprintf(why, sizeof why, "%s", NO_BOUNDARIES);
        putf(&b, "<p class=\"note\">%s</p>\n", why);
        line(&L, "## Map");
        line(&L, "%s", why);
    }
    /* release by year */
    put(&b, "<h2>Land release by year</h2>\n<table><tr><th>year</th><th>"
            "cleared</th><th>reduced</th><th>cancelled</th><th>added</th><th>"
            "closed without release</th><th>submunitions destroyed</th>"
            "</tr>\n");
    line(&L, "## Land release by year (km2)");
    line(&L, "| %4s %10s %10s %10s %10s %10s %12s", "year", "cleared",
         "reduced", "cancelled", "added", "closed", "submunitions");
    int eif_year = atoi(s->entry_into_force);
    for (size_t k = 0; k < s->nyears; k++) {
        const struct cmr_ledger_year *y = &s->by_year[k];
        char sub[32] = "-", t5[32];
        if (y->has_submunitions)
            snprintf(sub, sizeof sub, "%lld", (long long)y->submunitions);
        const char *pre = y->year < eif_year    ? " (before EIF)"
                          : y->year == eif_year ? " (year of EIF)"
                                                : "";
        putf(&b,
             "<tr><td>%d%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
             "<td>%s</td><td>%s</td></tr>\n",
             y->year, pre, km2(t1, 32, y->cleared_m2),
             km2(t2, 32, y->reduced_m2), km2(t3, 32, y->cancelled_m2),
             km2(t4, 32, y->added_m2),
             km2(t5, 32, y->closed_without_release_m2), sub);
        line(&L, "| %4d %10s %10s %10s %10s %10s %12s%s", y->year,
             km2(t1, 32, y->cleared_m2), km2(t2, 32, y->reduced_m2),
             km2(t3, 32, y->cancelled_m2), km2(t4, 32, y->added_m2),
             km2(t5, 32, y->closed_without_release_m2), sub, pre);
    }
    put(&b, "</table>\n");
    snprintf(prefix, sizeof prefix, "%s-rel-", s->country);
    if ((st = svg_chart(ctx, &b, &rel, prefix)))
        goto done;
    /* forecast */
    put(&b, "<h2>Forecast</h2>\n");
    line(&L, "## Forecast");
    if (f) {
        const char *cls = "past", *vd = verdict(f, &cls);
        char pd[16] = "-", pr[16] = "-";
        if (!isnan(f->p_by_deadline))
            snprintf(pd, sizeof pd, "%.2f", f->p_by_deadline);
        if (!isnan(f->p_by_requested))
            snprintf(pr, sizeof pr, "%.2f", f->p_by_requested);
        char mc[64], xm[32], xb[32], dt[128];
        putf(&b,
             "<table><tr><th class=\"l\">method</th><td class=\"l\">%s, "
             "window %d years%s</td></tr><tr><th class=\"l\">mean release a "
             "year</th><td>%s km&sup2;</td></tr><tr><th class=\"l\">best "
             "year</th><td>%d: %s km&sup2;</td></tr><tr><th "
             "class=\"l\">completion P10 / P50 / P90</th><td>%s / %s / "
             "%s</td></tr><tr><th class=\"l\">Article 4 deadline</th><td>%s "
             "(P = %s)</td></tr><tr><th class=\"l\">required rate</th><td>%s "
             "km&sup2; a year (%s&times; mean, %s&times; best)</td></tr>"
             "<tr><th class=\"l\">date requested</th><td>%s (P = %s)</td></tr>"
             "<tr><th class=\"l\">verdict</th><td class=\"l %s\">%s</td></tr>"
             "</table>\n",
             f->method == CMR_FORECAST_TRAILING ? "trailing mean"
             : f->method == CMR_FORECAST_TREND  ? "Theil-Sen trend"
                                                : "Monte Carlo",
             f->window_years, mc_text(f, mc, sizeof mc),
             km2(t1, 32, f->mean_m2_per_year), f->best_year,
             km2(t2, 32, f->best_m2_per_year), f->p10 ? f->p10 : "never",
             f->p50 ? f->p50 : "never", f->p90 ? f->p90 : "never",
             deadline_text(dt, sizeof dt, f), pd,
             f->deadline_passed ? "passed"
                                : km2(t3, 32, f->required_m2_per_year),
             times(xm, sizeof xm, f->required_vs_mean),
             times(xb, sizeof xb, f->required_vs_best),
             f->requested ? f->requested : "none pending", pr, cls, vd);
        line(&L,
             "| mean release %s km2/yr; best %d: %s; P10/P50/P90 %s / %s "
             "/ %s",
             km2(t1, 32, f->mean_m2_per_year), f->best_year,
             km2(t2, 32, f->best_m2_per_year), f->p10 ? f->p10 : "never",
             f->p50 ? f->p50 : "never", f->p90 ? f->p90 : "never");
        line(&L,
             "| deadline %s (P = %s); required %s km2/yr; requested %s "
             "(P = %s); verdict: %s",
             deadline_text(dt, sizeof dt, f), pd,
             f->deadline_passed ? "passed"
                                : km2(t3, 32, f->required_m2_per_year),
             f->requested ? f->requested : "none", pr, vd);
    }
    snprintf(prefix, sizeof prefix, "%s-burn-", s->country);
    if ((st = svg_chart(ctx, &b, &burn, prefix)))
        goto done;
    /* evaluation */
    if (ev) {
        putf(&b, "<h2>Evaluation of the extension request %s</h2>\n",
             ev->request);
        line(&L, "## Evaluation of the extension request %s", ev->request);
        putf(&b,
             "<p>Submitted %s; deadline asked %s; current deadline "
             "%s.</p>\n<table><tr><th class=\"l\">topic</th><th "
             "class=\"l\">verdict</th><th class=\"l\">conclusion</th></tr>\n",
             ev->submitted ? ev->submitted : "(not published)",
             ev->requested ? ev->requested : "(not published)",
             ev->deadline ? ev->deadline : "-");
        for (size_t k = 0; k < ev->nconclusions; k++) {
            const struct cmr_eval_conclusion *c = &ev->conclusions[k];
            putf(&b,
                 "<tr><td class=\"l\">%s</td><td class=\"l %s\">%s</td>"
                 "<td class=\"l\">",
                 c->topic,
                 strcmp(c->verdict, "flag") == 0 ? "flag"
                 : strcmp(c->verdict, "ok") == 0 ? "ok"
                                                 : "past",
                 c->verdict);
            esc(&b, c->text);
            put(&b, "</td></tr>\n");
            line(&L, "%s [%s] %s", c->topic, c->verdict, c->text);
        }
        put(&b, "</table>\n");
    }
    /* findings */
    putf(&b, "<h2>Findings (%zu)</h2>\n", s->nfindings);
    line(&L, "## Findings (%zu)", s->nfindings);
    if (s->nfindings) {
        put(&b, "<table><tr><th class=\"l\">kind</th><th class=\"l\">"
                "records</th><th>m&sup2;</th><th class=\"l\">detail</th></tr>"
                "\n");
        size_t shown = s->nfindings < 60 ? s->nfindings : 60;
        for (size_t k = 0; k < shown; k++) {
            const struct cmr_finding *x = &s->findings[k];
            putf(&b, "<tr><td class=\"l\">%s</td><td class=\"l\">", x->kind);
            for (size_t r = 0; r < x->nrecords && r < 6; r++) {
                esc(&b, x->records[r]);
                put(&b, r + 1 < x->nrecords ? " " : "");
            }
            if (x->nrecords > 6)
                putf(&b, "... (%zu)", x->nrecords);
            putf(&b, "</td><td>%.2f</td><td class=\"l\">", x->area_m2);
            esc(&b, x->detail);
            put(&b, "</td></tr>\n");
            if (k < PDF_FINDINGS) {
                char ids[PDF_FINDING_IDS + 48];
                finding_ids(x, ids);
                line(&L, "%s %s: %.2f m2. %s", x->kind, ids, x->area_m2,
                     x->detail);
            }
        }
        put(&b, "</table>\n");
        if (s->nfindings > PDF_FINDINGS)
            line(&L,
                 "%zu more finding%s: all are in %s-findings.csv beside "
                 "this report, or given by cmr check --country %s.",
                 s->nfindings - PDF_FINDINGS,
                 s->nfindings - PDF_FINDINGS == 1 ? "" : "s", s->country,
                 s->country);
        if (shown < s->nfindings)
            putf(&b,
                 "<p class=\"note\">%zu more: all are in <a "
                 "href=\"%s-findings.csv\">%s-findings.csv</a>, or given by "
                 "cmr check --country %s.</p>\n",
                 s->nfindings - shown, s->country, s->country, s->country);
    }
    /* indicators */
    if (S) {
        putf(&b,
             "<h2>LAP indicators (%s) %s counts in</h2>\n<table><tr><th "
             "class=\"l\">id</th><th class=\"l\">indicator</th><th "
             "class=\"l\">reported</th><th class=\"l\">computed</th></tr>"
             "\n",
             cmr_indicators_cycle(S), s->name);
        for (size_t k = 0; k < cmr_indicators_count(S); k++) {
            const struct cmr_indicator *x = cmr_indicators_get(S, k);
            bool rep = false, comp = false;
            for (size_t j = 0; j < x->nreported; j++)
                rep |= strcmp(x->reported_states[j], s->country) == 0;
            for (size_t j = 0; j < x->nstates; j++)
                comp |= strcmp(x->states[j], s->country) == 0;
            if (!rep && !comp)
                continue;
            putf(&b, "<tr><td class=\"l\">%s</td><td class=\"l\">", x->id);
            esc(&b, x->indicator);
            putf(&b,
                 "</td><td class=\"l\">%s</td><td class=\"l\">%s</td>"
                 "</tr>\n",
                 rep ? "yes" : "", comp ? "yes" : "");
        }
        put(&b, "</table>\n");
    }
    /* provenance */
    put(&b, "<h2>Provenance</h2>\n<table>");
    putf(&b,
         "<tr><th class=\"l\">store</th><td class=\"l\">%s</td></tr>"
         "<tr><th class=\"l\">cmr</th><td class=\"l\">%s</td></tr>"
         "<tr><th class=\"l\">as of</th><td class=\"l\">%s</td></tr>"
         "<tr><th class=\"l\">forecast</th><td class=\"l\">method %s, "
         "window %d, runs %d, seed %llu, capacity %.2f</td></tr>",
         store->path, cmr_version(), f ? f->as_of : "",
         f ? method_text(f->method) : "-", f ? f->window_years : 0,
         f ? f->runs : 0, (unsigned long long)(f ? f->seed : 0),
         f ? f->capacity : 1.0);
    struct cmr__rows *rows = NULL;
    if (cmr__ds_query(ctx, store->ds,
                      "SELECT run, started, kind, file, sha256, n_imported, "
                      "n_rejected FROM import_run ORDER BY run, fid",
                      &rows) == CMR_OK) {
        while (cmr__rows_next(rows)) {
            put(&b, "<tr><th class=\"l\">import run ");
            const char *r = cmr__rows_text(rows, 0);
            esc(&b, r ? r : "");
            put(&b, "</th><td class=\"l\">");
            for (int c = 1; c <= 6; c++) {
                const char *t = cmr__rows_text(rows, c);
                esc(&b, t ? t : "");
                put(&b, c == 4 ? " sha256 " : c == 5 ? " imported, " : " ");
            }
            put(&b, "rejected</td></tr>");
        }
        cmr__rows_close(rows);
    }
    put(&b, "</table>\n</body></html>\n");
    char name[32];
    snprintf(name, sizeof name, "%s.html", s->country);
    if ((st = write_file(ctx, dir, name, &b)))
        goto done;
    if ((st = csv_tables(ctx, dir, s, ev)))
        goto done;
    st = flush(ctx, pdf, &L);
    if (!st && has_map)
        st = cmr__pdf_map(ctx, pdf, &m);
    if (!st)
        st = cmr__pdf_chart(ctx, pdf, &burn);
    if (!st)
        st = cmr__pdf_chart(ctx, pdf, &rel);
done:
    lines_free(&L);
    cmr__free(b.p);
    cmr__map_clear(&m);
    cmr__free(burn.years);
    cmr__free(rel.years);
    cmr_evaluation_free(ev);
    return st;
}

enum cmr_status cmr_report_write(struct cmr_ctx *ctx, struct cmr_store *store,
                                 const struct cmr_report_opts *o,
                                 const char *dir)
{
    struct cmr_report_opts def = {0};
    if (!o)
        o = &def;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return cmr__error(ctx, CMR_EIO, "%s: %s", dir, strerror(errno));
    struct cmr_ledger *L = NULL;
    struct cmr_forecasts *F = NULL;
    struct cmr_indicators *S = NULL;
    struct cmr__pdf *pdf = NULL;
    struct cmr__map all;
    memset(&all, 0, sizeof all);
    struct cmr_ledger_opts lo = {.at = o->at,
                                 .precedence = o->forecast.precedence,
                                 .jobs = o->forecast.jobs};
    enum cmr_status st = cmr_ledger_compute(ctx, store, &lo, &L);
    if (st)
        return st;
    const char *at = cmr_ledger_as_of(L);
    struct cmr_forecast_opts fo = o->forecast;
    fo.at = at;
    fo.country = NULL;
    if (!st)
        st = cmr_forecast_compute(ctx, store, &fo, &F);
    if (!st) {
        struct cmr_indicator_opts io = {.ledger = L};
        if (cmr_indicators_compute(ctx, store, &io, &S) != CMR_OK)
            S = NULL; /* without the model's data the report goes on */
    }
    /* Without boundaries there are no maps; the rest needs none. */
    bool boundaries = true;
    if (!st) {
        st = cmr__map_build_all(ctx, store, at, &all);
        if (st == CMR_EUNSUPPORTED) {
            boundaries = false;
            st = CMR_OK;
        }
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/report.pdf", dir);
    if (!st)
        st = cmr__pdf_open(ctx, path, &pdf);
    size_t n = cmr_ledger_count(L);
    if (!st)
        st = overview(ctx, store, dir, L, F, S, boundaries ? &all : NULL, pdf);
    for (size_t i = 0; i < n && !st; i++) {
        if (!cmr__progress(ctx, (double)(i + 1) / (double)(n + 1), "report")) {
            st = cmr__error(ctx, CMR_EINVAL, "cancelled");
            break;
        }
        const struct cmr_ledger_state *s = cmr_ledger_state(L, i);
        st = brief(ctx, store, dir, at, s, find_fc(F, s->country), S, o,
                   boundaries, pdf);
    }
    enum cmr_status cs = cmr__pdf_close(ctx, pdf);
    if (!st)
        st = cs;
    cmr__progress(ctx, 1, "report");
    cmr__map_clear(&all);
    cmr_indicators_free(S);
    cmr_forecasts_free(F);
    cmr_ledger_free(L);
    return st;
}
