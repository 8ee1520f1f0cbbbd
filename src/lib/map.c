/* SPDX-License-Identifier: MIT */
/* Builds the scenes of maps and charts from the store: the State's
 * provinces, outline and neighbours, its open hazards by class and its
 * released land by method, projected with PROJ around the State's centre;
 * the series and forecast of the charts. Drawing is render.c's. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crs.h"
#include "scene.h"
#include "store_int.h"

static void shape_free(struct cmr__shape *s)
{
    cmr__rings_free(&s->r);
}

void cmr__map_clear(struct cmr__map *m)
{
    shape_free(&m->outline);
    shape_free(&m->loc_state);
    for (size_t i = 0; i < m->nprov; i++) {
        shape_free(&m->prov[i]);
        cmr__free((void *)(uintptr_t)m->prov[i].name);
    }
    for (size_t i = 0; i < m->nhaz; i++)
        shape_free(&m->haz[i]);
    for (size_t i = 0; i < m->nrel; i++)
        shape_free(&m->rel[i]);
    for (size_t i = 0; i < m->nnb; i++)
        shape_free(&m->nb[i]);
    for (size_t i = 0; i < m->npanels; i++)
        cmr__map_clear(&m->panels[i]);
    cmr__free(m->prov);
    cmr__free(m->haz);
    cmr__free(m->rel);
    cmr__free(m->nb);
    cmr__free(m->panels);
    memset(m, 0, sizeof *m);
}

static void box_of(struct cmr__shape *s)
{
    s->box[0] = s->box[1] = INFINITY;
    s->box[2] = s->box[3] = -INFINITY;
    for (size_t i = 0; i < s->r.npts; i++) {
        s->box[0] = fmin(s->box[0], s->r.xy[2 * i]);
        s->box[1] = fmin(s->box[1], s->r.xy[2 * i + 1]);
        s->box[2] = fmax(s->box[2], s->r.xy[2 * i]);
        s->box[3] = fmax(s->box[3], s->r.xy[2 * i + 1]);
    }
}

/* Reads the shapes of a query (geometry in the last column; an optional
 * text first column becomes the name and a style from `style_of`). */
struct want {
    struct cmr__shape **out;
    size_t *n;
    size_t cap;
};

static enum cmr_status load_shapes(struct cmr_ctx *ctx, struct cmr_store *s,
                                   const char *sql, int geom_col,
                                   int (*style_of)(struct cmr__rows *),
                                   bool named, struct cmr__shape **out,
                                   size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(ctx, s->ds, sql, &rows);
    if (st)
        return st;
    (void)geom_col;
    while (!st && cmr__rows_next(rows)) {
        size_t len = 0;
        bool oom = false;
        const unsigned char *wkb = cmr__rows_wkb(rows, &len, &oom);
        if (oom) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        if (!wkb)
            continue;
        struct cmr_geom *g = NULL;
        if ((st = cmr__geom_from_wkb(ctx, wkb, len, &g)))
            break;
        if (!cmr__reserve((void **)out, &cap, *n + 1, sizeof **out)) {
            cmr__geom_free(ctx, g);
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        struct cmr__shape *sh = &(*out)[(*n)++];
        memset(sh, 0, sizeof *sh);
        st = cmr__geom_rings(ctx, g, &sh->r);
        if (!st && named) {
            const char *t = cmr__rows_text(rows, 1);
            sh->name = cmr__strdup(t ? t : "");
            double x = 0, y = 0;
            if (cmr__geom_interior_xy(ctx, g, &x, &y) == CMR_OK) {
                sh->lx = x;
                sh->ly = y;
            }
        }
        if (!st && style_of)
            sh->style = style_of(rows);
        cmr__geom_free(ctx, g);
    }
    cmr__rows_close(rows);
    return st;
}

static int hazard_style(struct cmr__rows *rows)
{
    const char *c = cmr__rows_text(rows, 0);
    return c && strcmp(c, "CHA") == 0 ? ST_CHA : ST_SHA;
}

static int release_style(struct cmr__rows *rows)
{
    const char *m = cmr__rows_text(rows, 0);
    return m && strcmp(m, "cleared") == 0   ? ST_CLEARED
           : m && strcmp(m, "reduced") == 0 ? ST_REDUCED
                                            : ST_CANCELLED;
}

static enum cmr_status project(struct cmr_ctx *ctx, struct cmr__proj *p,
                               struct cmr__shape *s, size_t n)
{
    enum cmr_status st = CMR_OK;
    for (size_t i = 0; i < n && !st; i++) {
        if (s[i].r.npts)
            st = cmr__proj_fwd(ctx, p, s[i].r.xy, s[i].r.npts);
        if (!st && (s[i].lx != 0 || s[i].ly != 0)) {
            double xy[2] = {s[i].lx, s[i].ly};
            st = cmr__proj_fwd(ctx, p, xy, 1);
            s[i].lx = xy[0];
            s[i].ly = xy[1];
        }
        box_of(&s[i]);
    }
    return st;
}

/* Nice class bounds for the choropleth: the non-zero values in up to four
 * classes at quantiles, rounded to two significant digits. */
static void classes(struct cmr__map *m)
{
    double v[256];
    size_t n = 0;
    for (size_t i = 0; i < m->nprov && n < 256; i++)
        if (m->prov[i].value > 0)
            v[n++] = m->prov[i].value;
    m->nclasses = 0;
    if (!n)
        return;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    int k = n >= 4 ? 4 : (int)n;
    m->classes[0] = 0;
    for (int c = 1; c <= k; c++) {
        double q = v[(size_t)((double)c / k * (double)(n - 1))];
        double mag = pow(10, floor(log10(q)) - 1);
        double r = ceil(q / mag) * mag;
        if (r <= m->classes[m->nclasses])
            continue;
        m->classes[++m->nclasses] = r;
    }
}

static void rel_date(char *out, const char *at)
{
    snprintf(out, 11, "%.10s", at);
}

enum cmr_status cmr__map_build(struct cmr_ctx *ctx, struct cmr_store *store,
                               const char *iso3, const char *at,
                               struct cmr__map *m)
{
    memset(m, 0, sizeof *m);
    const struct cmr_store_country *c = cmr__store_find_country(store, iso3);
    if (!c)
        return cmr__error(ctx, CMR_EINVAL, "unknown State '%s'", iso3);
    struct cmr_ledger *L = NULL;
    struct cmr_ledger_opts lo = {.country = iso3, .at = at};
    enum cmr_status st = cmr_ledger_compute(ctx, store, &lo, &L);
    if (st)
        return st;
    const struct cmr_ledger_state *ls = cmr_ledger_state(L, 0);
    char day[11], sql[1024];
    rel_date(day, cmr_ledger_as_of(L));
    struct cmr__proj *proj = NULL;
    size_t one = 0;
    struct cmr__shape *ol = NULL;
    snprintf(sql, sizeof sql,
             "SELECT iso3, geom FROM country_outline WHERE iso3 = '%s'", iso3);
    if ((st = load_shapes(ctx, store, sql, 1, NULL, false, &ol, &one)))
        goto done;
    /* one outline per State (import refuses a second); of a store made
     * otherwise, the first is drawn */
    for (size_t i = 1; i < one; i++)
        shape_free(&ol[i]);
    if (one && ol[0].r.npts > 0) {
        m->outline = ol[0];
        cmr__free(ol);
    } else {
        bool empty = one != 0;
        if (empty)
            m->outline = ol[0]; /* freed with the map */
        cmr__free(ol);
        st = cmr__error(ctx, CMR_EUNSUPPORTED,
                        "%s: %s in the store (cmr init loads them; or cmr "
                        "import --boundaries)",
                        iso3,
                        empty ? "the State's outline is empty" : "no boundary");
        goto done;
    }
    box_of(&m->outline);
    double lon0 = (m->outline.box[0] + m->outline.box[2]) / 2,
           lat0 = (m->outline.box[1] + m->outline.box[3]) / 2;
    /* Locator: the State and its neighbours in degrees. */
    memset(&m->loc_state, 0, sizeof m->loc_state);
    m->loc_state.r.npts = m->outline.r.npts;
    m->loc_state.r.nrings = m->outline.r.nrings;
    if (!(m->loc_state.r.xy =
              cmr__malloc(2 * m->outline.r.npts * sizeof *m->loc_state.r.xy)) ||
        !(m->loc_state.r.start =
              cmr__malloc((m->outline.r.nrings + 1) * sizeof(size_t))) ||
        !(m->loc_state.r.poly =
              cmr__malloc((m->outline.r.nrings + 1) * sizeof(size_t)))) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    memcpy(m->loc_state.r.xy, m->outline.r.xy,
           2 * m->outline.r.npts * sizeof *m->loc_state.r.xy);
    memcpy(m->loc_state.r.start, m->outline.r.start,
           (m->outline.r.nrings + 1) * sizeof(size_t));
    memcpy(m->loc_state.r.poly, m->outline.r.poly,
           (m->outline.r.nrings + 1) * sizeof(size_t));
    box_of(&m->loc_state);
    double w = m->outline.box[2] - m->outline.box[0],
           h = m->outline.box[3] - m->outline.box[1], pad = fmax(w, h) * 0.6;
    m->loc_box[0] = m->outline.box[0] - pad;
    m->loc_box[1] = m->outline.box[1] - pad;
    m->loc_box[2] = m->outline.box[2] + pad;
    m->loc_box[3] = m->outline.box[3] + pad;
    snprintf(sql, sizeof sql,
             "SELECT iso3, geom FROM neighbour WHERE ST_MaxX(geom) >= %f AND "
             "ST_MinX(geom) <= %f AND ST_MaxY(geom) >= %f AND ST_MinY(geom) "
             "<= %f",
             m->loc_box[0], m->loc_box[2], m->loc_box[1], m->loc_box[3]);
    if ((st = load_shapes(ctx, store, sql, 1, NULL, false, &m->nb, &m->nnb)))
        goto done;
    for (size_t i = 0; i < m->nnb; i++)
        box_of(&m->nb[i]);
    snprintf(sql, sizeof sql,
             "SELECT code, name, geom FROM admin_area WHERE country = '%s' "
             "ORDER BY code",
             iso3);
    if ((st = load_shapes(ctx, store, sql, 2, NULL, true, &m->prov, &m->nprov)))
        goto done;
    /* Province values: remaining area from the ledger, by code. */
    struct cmr__rows *rows = NULL;
    if ((st = cmr__ds_query(ctx, store->ds, sql, &rows)))
        goto done;
    for (size_t i = 0; cmr__rows_next(rows) && i < m->nprov; i++) {
        const char *code = cmr__rows_text(rows, 0);
        for (size_t k = 0; code && k < ls->nprovinces; k++)
            if (ls->by_province[k].code &&
                strcmp(ls->by_province[k].code, code) == 0)
                m->prov[i].value = ls->by_province[k].remaining_m2;
    }
    cmr__rows_close(rows);
    snprintf(sql, sizeof sql,
             "SELECT class, geom FROM hazard WHERE country = '%s' "
             "AND " CMR__SQL_IS_CMR " AND "
             "recorded <= '%s' AND (closed IS NULL "
             "OR closed >= '%s') ORDER BY class DESC, id",
             iso3, day, day);
    if ((st = load_shapes(ctx, store, sql, 1, hazard_style, false, &m->haz,
                          &m->nhaz)))
        goto done;
    snprintf(sql, sizeof sql,
             "SELECT method, geom FROM release WHERE country = '%s' AND "
             "completed <= '%s' ORDER BY id",
             iso3, day);
    if ((st = load_shapes(ctx, store, sql, 1, release_style, false, &m->rel,
                          &m->nrel)))
        goto done;
    if ((st = cmr__proj_new(ctx, lon0, lat0, &proj)))
        goto done;
    if ((st = project(ctx, proj, &m->outline, 1)) ||
        (st = project(ctx, proj, m->prov, m->nprov)) ||
        (st = project(ctx, proj, m->haz, m->nhaz)) ||
        (st = project(ctx, proj, m->rel, m->nrel)))
        goto done;
    /* The frame: the State's polygons of any size, but not small islands
     * far out (Chile's Easter Island would shrink Chile to a line). */
    double big = 0, *ra = cmr__calloc(m->outline.r.nrings + 1, sizeof *ra);
    if (!ra) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < m->outline.r.nrings; r++) {
        double a = 0;
        for (size_t i = m->outline.r.start[r];
             i + 1 < m->outline.r.start[r + 1]; i++)
            a += m->outline.r.xy[2 * i] * m->outline.r.xy[2 * i + 3] -
                 m->outline.r.xy[2 * i + 2] * m->outline.r.xy[2 * i + 1];
        ra[r] = fabs(a) / 2;
        big = fmax(big, ra[r]);
    }
    m->box[0] = m->box[1] = INFINITY;
    m->box[2] = m->box[3] = -INFINITY;
    for (size_t r = 0; r < m->outline.r.nrings; r++) {
        if (ra[r] < 0.002 * big)
            continue;
        for (size_t i = m->outline.r.start[r]; i < m->outline.r.start[r + 1];
             i++) {
            m->box[0] = fmin(m->box[0], m->outline.r.xy[2 * i]);
            m->box[1] = fmin(m->box[1], m->outline.r.xy[2 * i + 1]);
            m->box[2] = fmax(m->box[2], m->outline.r.xy[2 * i]);
            m->box[3] = fmax(m->box[3], m->outline.r.xy[2 * i + 1]);
        }
    }
    cmr__free(ra);
    m->km_per_unit = 1e-3;
    classes(m);
    m->synthetic = ls->synthetic;
    m->no_records = ls->hazards == 0 && ls->releases == 0;
    snprintf(m->as_of, sizeof m->as_of, "%s", day);
    snprintf(m->title, sizeof m->title,
             "%s: land contaminated by cluster munition remnants, as of %s",
             c->name, day);
    m->remaining_km2 = ls->remaining_m2 / 1e6;
    if (m->no_records) /* as cmr status and the small multiples say it */
        snprintf(m->subtitle, sizeof m->subtitle,
                 "No records by this date: no remaining area is given (the "
                 "zeros would not be a finding that it has finished)");
    else
        snprintf(m->subtitle, sizeof m->subtitle,
                 "Remaining %.3f km2 (SHA %.3f, CHA %.3f); released since "
                 "entry into force: cleared %.3f, reduced %.3f, cancelled "
                 "%.3f km2",
                 ls->remaining_m2 / 1e6, ls->sha_m2 / 1e6, ls->cha_m2 / 1e6,
                 ls->cleared_m2 / 1e6, ls->reduced_m2 / 1e6,
                 ls->cancelled_m2 / 1e6);
    snprintf(m->credits, sizeof m->credits,
             "Boundaries: Natural Earth 1:10m (public domain). Hazards and "
             "releases: %s%s. Projection: Lambert azimuthal equal-area "
             "centred on %.2f, %.2f. cmr %s",
             store->path,
             m->synthetic ? " (SYNTHETIC GEOMETRY, not a national database)"
                          : "",
             lon0, lat0, cmr_version());
done:
    cmr__proj_free(proj);
    cmr_ledger_free(L);
    if (st)
        cmr__map_clear(m);
    return st;
}

enum cmr_status cmr__map_build_all(struct cmr_ctx *ctx, struct cmr_store *store,
                                   const char *at, struct cmr__map *m)
{
    memset(m, 0, sizeof *m);
    m->panels = cmr__calloc(store->ncountries, sizeof *m->panels);
    if (!m->panels)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    struct cmr_forecasts *F = NULL;
    struct cmr_forecast_opts fo = {.at = at, .method = CMR_FORECAST_TRAILING};
    enum cmr_status st = cmr_forecast_compute(ctx, store, &fo, &F);
    char day[11] = "", out[320] = "";
    size_t nout = 0;
    for (size_t i = 0; i < store->ncountries && !st; i++) {
        struct cmr__map *p = &m->panels[m->npanels];
        st = cmr__map_build(ctx, store, store->countries[i].iso3, at, p);
        if (st == CMR_EUNSUPPORTED) { /* without boundaries: left out, */
            st = CMR_OK;              /* and named in the note */
            size_t n = strlen(out);
            snprintf(out + n, sizeof out - n, "%s%s", nout++ ? ", " : "",
                     store->countries[i].name);
            continue;
        }
        if (st)
            break;
        m->npanels++;
        m->synthetic |= p->synthetic;
        /* the date every panel is drawn at; the forecast lists no State
         * before the first record, so its as-of cannot be the title's */
        snprintf(day, sizeof day, "%s", p->as_of);
        const char *dl = NULL, *ext = NULL;
        bool passed = false;
        for (size_t k = 0; F && k < cmr_forecasts_count(F); k++)
            if (strcmp(cmr_forecasts_get(F, k)->country,
                       store->countries[i].iso3) == 0) {
                dl = cmr_forecasts_get(F, k)->deadline;
                ext = cmr_forecasts_get(F, k)->deadline_extended_at;
                passed = cmr_forecasts_get(F, k)->deadline_passed;
            }
        char dl_own[11];
        if (!dl) { /* the forecast does not list it at this date */
            bool has_dl, has_rq;
            int64_t d = 0, rq = 0;
            struct cmr__date on;
            if (!cmr__date_parse(day, &on))
                continue; /* (the panel's date, always one) */
            if ((st = cmr__load_deadlines(ctx, store, store->countries[i].iso3,
                                          cmr__date_days(on), &has_dl, &d,
                                          &has_rq, &rq)))
                break;
            if (has_dl) {
                cmr__date_format(cmr__date_from_days(d), dl_own);
                dl = dl_own;
                passed = strcmp(dl, day) <= 0;
            }
        }
        snprintf(p->title, sizeof p->title, "%s", store->countries[i].name);
        /* (zeros without records are no finding that it finished) */
        char what[64] = "no records by this date";
        if (!p->no_records)
            snprintf(what, sizeof what, "%.2f km2 remaining", p->remaining_km2);
        char when[64] = "";
        if (ext) /* (its new date is not in the deadlines data) */
            snprintf(when, sizeof when, "extended at %.16s", ext);
        else
            snprintf(when, sizeof when, "%s%s", dl ? dl : "-",
                     passed ? " (passed)" : "");
        snprintf(p->subtitle, sizeof p->subtitle, "%s; deadline %s", what,
                 when);
    }
    cmr_forecasts_free(F);
    if (!st && m->npanels == 0)
        st = cmr__error(ctx, CMR_EUNSUPPORTED,
                        "no State has boundaries in the store (cmr init loads "
                        "them; or cmr import --boundaries)");
    if (st) {
        cmr__map_clear(m);
        return st;
    }
    snprintf(m->title, sizeof m->title,
             "%s States Parties with cluster munition remnants, as of %s",
             m->npanels == 10 ? "The ten" : "The", day);
    snprintf(m->subtitle, sizeof m->subtitle,
             "Remaining hazards by class; each State at its own scale");
    if (nout) /* not silently: their records may be in the store */
        snprintf(m->note, sizeof m->note,
                 "Not drawn, without a boundary in the store: %s (cmr init "
                 "loads the bundled boundaries; or cmr import --boundaries).",
                 out);
    snprintf(m->credits, sizeof m->credits,
             "Boundaries: Natural Earth 1:10m (public domain). Hazards: %s%s. "
             "cmr %s",
             store->path,
             m->synthetic ? " (SYNTHETIC GEOMETRY, not a national database)"
                          : "",
             cmr_version());
    return CMR_OK;
}

static double frac_year(const char *date)
{
    struct cmr__date d;
    if (!date || !cmr__date_parse(date, &d))
        return NAN;
    struct cmr__date jan = {d.year, 1, 1};
    return d.year + (double)(cmr__date_days(d) - cmr__date_days(jan)) / 365.25;
}

/* Appends to buf (n bytes, used so far in *used) what fmt makes, cut at
 * the end of buf. */
static void add(char *buf, size_t n, size_t *used, const char *fmt, ...)
    CMR_PRINTF(4, 5);
static void add(char *buf, size_t n, size_t *used, const char *fmt, ...)
{
    if (*used >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *used, n - *used, fmt, ap);
    va_end(ap);
    if (w > 0)
        *used = *used + (size_t)w < n ? *used + (size_t)w : n - 1;
}

/* The method as the forecast ran it, with its parameters: "Monte Carlo
 * over the last 3 years (10000 runs, seed 1)", "trailing mean of the last
 * 6 years", "Theil-Sen trend over the last 3 years", and the capacity and
 * the discovery where they were set. */
static void method_words(const struct cmr_forecast *f,
                         const struct cmr_forecast_opts *fo, char *buf,
                         size_t n)
{
    size_t used = 0;
    char years[32];
    if (f->window_years == 1)
        snprintf(years, sizeof years, "the last year");
    else
        snprintf(years, sizeof years, "the last %d years", f->window_years);
    if (f->method == CMR_FORECAST_TRAILING)
        add(buf, n, &used, "trailing mean of %s", years);
    else if (f->method == CMR_FORECAST_TREND)
        add(buf, n, &used, "Theil-Sen trend over %s", years);
    else
        add(buf, n, &used, "Monte Carlo over %s (%d runs, seed %llu)", years,
            f->runs, (unsigned long long)f->seed);
    if (f->capacity != 1)
        add(buf, n, &used, ", capacity x%.2f", f->capacity);
    if (fo->has_discovery)
        add(buf, n, &used, ", discovery %.3f km2 a year", fo->discovery / 1e6);
}

/* Why the forecast has no completion date, as cmr forecast says it: the
 * remaining area unknown (its remaining_source says why) or no release
 * figure in the window (no rate). brief for the subtitle, full for the
 * plot; false when the forecast projects (a date, or none at the current
 * pace). records: the store holds records of the State by the date. */
static bool no_date_reason(const struct cmr_forecast *f, bool records,
                           char *brief, size_t nb, char *full, size_t nf)
{
    int y1 = atoi(f->as_of), y0 = y1 - f->window_years + 1;
    char window[32];
    if (y0 == y1)
        snprintf(window, sizeof window, "%d", y1);
    else
        snprintf(window, sizeof window, "%d-%d", y0, y1);
    const char *src = f->remaining_source ? f->remaining_source : "";
    size_t used = 0;
    if (isnan(f->remaining_m2)) {
        snprintf(brief, nb, "remaining area unknown");
        add(full, nf, &used,
            "No completion date: the remaining area is "
            "unknown");
        const char *open = strchr(src, '('), *close = strrchr(src, ')');
        const char *none = records ? "" : "no hazard record by this date, and ";
        if (strcmp(src, "ledger: no records") == 0)
            add(full, nf, &used,
                " (the store holds no hazard record of the "
                "State by this date)");
        else if (strcmp(src, "figures: none published") == 0)
            add(full, nf, &used, " (%sno remaining area published)", none);
        else if (strstr(src, "older than the window") && open && close &&
                 close > open)
            add(full, nf, &used,
                " (%sthe latest remaining area published, %.*s, is older "
                "than the window, %s)",
                none, (int)(close - open - 1), open + 1, window);
        else
            add(full, nf, &used, " (%s)", src);
        add(full, nf, &used, ".");
        return true;
    }
    if (isnan(f->rate_m2_per_year)) {
        snprintf(brief, nb, "no release figure in %s", window);
        add(full, nf, &used,
            "No completion date: no release figure published in %s, so no "
            "rate of release.",
            window);
        return true;
    }
    return false;
}

/* The burn-down's subtitle, note and words from forecast f: the method
 * with its parameters, the completion dates as cmr forecast gives them
 * (or why there are none), and what is drawn. */
static void burndown_words(const struct cmr_forecast *f,
                           const struct cmr_forecast_opts *fo, bool records,
                           struct cmr__chart *c)
{
    char method[160], brief[96], when[160];
    method_words(f, fo, method, sizeof method);
    c->deterministic = f->method != CMR_FORECAST_MONTECARLO;
    if (no_date_reason(f, records, brief, sizeof brief, c->no_completion,
                       sizeof c->no_completion))
        snprintf(when, sizeof when, "no completion date (%s)", brief);
    else if (c->deterministic)
        snprintf(when, sizeof when, "%s%s",
                 f->p50 ? "completion " : "no completion within 100 years",
                 f->p50 ? f->p50 : "");
    else
        snprintf(when, sizeof when, "P10 %s, P50 %s, P90 %s",
                 f->p10 ? f->p10 : "never", f->p50 ? f->p50 : "never",
                 f->p90 ? f->p90 : "never");
    size_t used = 0;
    add(c->subtitle, sizeof c->subtitle, &used, "as of %.10s; %s: %s", f->as_of,
        method, when);
    /* a remaining area from the published figures (the forecast's series
     * when the store holds no polygon of the State, or --series figures) */
    const char *src = f->remaining_source ? f->remaining_source : "";
    c->remaining_published =
        !isnan(f->remaining_m2) && strncmp(src, "figures: ", 9) == 0;
    bool one_class = c->remaining_published &&
                     !strstr(src, "remaining_total") && !strchr(src, '+');
    if (c->remaining_published)
        snprintf(c->remaining_label, sizeof c->remaining_label,
                 "remaining %.3f km2, published (%.40s)%s",
                 f->remaining_m2 / 1e6, src + 9,
                 one_class ? ", one class" : "");
    used = 0;
    if (c->synthetic)
        add(c->note, sizeof c->note, &used, "SYNTHETIC DATA. ");
    if (c->nyears)
        add(c->note, sizeof c->note, &used,
            "History: the ledger's remaining area at the end of each year. ");
    if (c->remaining_published)
        add(c->note, sizeof c->note, &used,
            "Dot: the remaining area published (%.40s)%s%s. ", src + 9,
            one_class ? ", of one class alone: the other is left out" : "",
            records ? "" : "; the store holds no record of the State by then");
    if (f->p10 && c->deterministic)
        add(c->note, sizeof c->note, &used,
            "Projection: a straight line from the as-of remaining area to "
            "the completion date.");
    else if (f->p10)
        add(c->note, sizeof c->note, &used,
            "Fan: straight lines from the as-of remaining area to the P10 "
            "and P90 completion dates; median: P50.");
    if (c->deadline_extended)
        add(c->note, sizeof c->note, &used,
            " Grey dashed: the Article 4 deadline recorded, since extended "
            "to a date the deadlines data does not give; it is no longer the "
            "deadline.");
    /* (no trailing space) */
    while (used > 0 && c->note[used - 1] == ' ')
        c->note[--used] = '\0';
}

void cmr__chart_release_drawn(const struct cmr__chart *c,
                              bool drawn[CMR__NDRAWN])
{
    for (int k = 0; k < CMR__NDRAWN; k++)
        drawn[k] = false;
    for (size_t i = 0; i < c->nyears; i++) {
        const struct cmr__chart_year *y = &c->years[i];
        drawn[CMR__DRAWN_CLEARED] |= y->cleared > 0;
        drawn[CMR__DRAWN_REDUCED] |= y->reduced > 0;
        drawn[CMR__DRAWN_CANCELLED] |= y->cancelled > 0;
        drawn[CMR__DRAWN_ADDED] |= y->added > 0;
    }
}

/* The release chart's note, and its words in the plot where it draws no
 * release: each names only what is drawn (the methods released by, the
 * area added), and a chart without release says so rather than stand
 * blank, which would read as finished. */
static void release_words(const struct cmr_forecast *f, struct cmr__chart *c)
{
    bool drawn[CMR__NDRAWN];
    cmr__chart_release_drawn(c, drawn);
    bool released = drawn[CMR__DRAWN_CLEARED] || drawn[CMR__DRAWN_REDUCED] ||
                    drawn[CMR__DRAWN_CANCELLED];
    size_t used = 0;
    if (c->no_records) {
        snprintf(c->no_release, sizeof c->no_release,
                 "no records by this date");
        add(c->note, sizeof c->note, &used,
            "No records by this date: nothing to draw (an empty chart is not "
            "a finding that it has finished). ");
    } else if (!released && !drawn[CMR__DRAWN_ADDED]) {
        snprintf(c->no_release, sizeof c->no_release,
                 "no land released or added by %.10s", f->as_of);
        add(c->note, sizeof c->note, &used,
            "No land released or added by %.10s: the ledger holds no release "
            "and no area added in any year by then, so there is nothing to "
            "draw (an empty chart is not a finding that it has finished). ",
            f->as_of);
    }
    if (c->synthetic)
        add(c->note, sizeof c->note, &used, "SYNTHETIC DATA. ");
    if (released) {
        static const char *const by[3] = {"clearance", "technical survey",
                                          "non-technical survey"};
        int n = 0, left = (int)drawn[CMR__DRAWN_CLEARED] +
                          drawn[CMR__DRAWN_REDUCED] +
                          drawn[CMR__DRAWN_CANCELLED];
        add(c->note, sizeof c->note, &used,
            "Above the axis: land released in the year by ");
        for (int k = 0; k < 3; k++) {
            if (!drawn[k])
                continue;
            add(c->note, sizeof c->note, &used, "%s%s",
                n == 0          ? ""
                : n + 1 == left ? " and "
                                : ", ",
                by[k]);
            n++;
        }
        add(c->note, sizeof c->note, &used, ". ");
    } else if (drawn[CMR__DRAWN_ADDED]) {
        snprintf(c->no_release, sizeof c->no_release,
                 "no land released by %.10s", f->as_of);
        add(c->note, sizeof c->note, &used, "No land released by %.10s. ",
            f->as_of);
    }
    if (drawn[CMR__DRAWN_ADDED])
        add(c->note, sizeof c->note, &used,
            "%s: contamination recorded in the year (added).",
            released ? "Below" : "Below the axis");
    /* (no trailing space) */
    while (used > 0 && c->note[used - 1] == ' ')
        c->note[--used] = '\0';
}

enum cmr_status cmr__chart_build(struct cmr_ctx *ctx, struct cmr_store *store,
                                 const char *iso3, int kind,
                                 const struct cmr_forecast_opts *fo_in,
                                 struct cmr__chart *c)
{
    memset(c, 0, sizeof *c);
    struct cmr_forecast_opts fo =
        fo_in ? *fo_in : (struct cmr_forecast_opts){0};
    fo.country = iso3;
    struct cmr_forecasts *F = NULL;
    enum cmr_status st = cmr_forecast_compute(ctx, store, &fo, &F);
    if (st)
        return st;
    if (!cmr_forecasts_count(F)) {
        cmr_forecasts_free(F);
        return cmr__error(ctx, CMR_EINVAL, "%s: no data", iso3);
    }
    const struct cmr_forecast *f = cmr_forecasts_get(F, 0);
    struct cmr_ledger *L = NULL;
    struct cmr_ledger_opts lo = {.country = iso3, .at = f->as_of};
    if ((st = cmr_ledger_compute(ctx, store, &lo, &L))) {
        cmr_forecasts_free(F);
        return st;
    }
    const struct cmr_ledger_state *ls = cmr_ledger_state(L, 0);
    c->kind = kind;
    c->synthetic = f->synthetic;
    c->no_records = ls->hazards == 0 && ls->releases == 0 && ls->nyears == 0;
    c->years = cmr__calloc(ls->nyears ? ls->nyears : 1, sizeof *c->years);
    if (!c->years) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    c->nyears = ls->nyears;
    /* Remaining at the end of each year, back from the as-of remaining:
     * R(y - 1) = R(y) + released(y) + closed without release(y)
     * - added(y) (the ledger's identity). */
    double r = ls->remaining_m2;
    for (size_t i = ls->nyears; i-- > 0;) {
        const struct cmr_ledger_year *y = &ls->by_year[i];
        struct cmr__chart_year *cy = &c->years[i];
        cy->year = y->year;
        cy->cleared = y->cleared_m2 / 1e6;
        cy->reduced = y->reduced_m2 / 1e6;
        cy->cancelled = y->cancelled_m2 / 1e6;
        cy->added = y->added_m2 / 1e6;
        cy->remaining = r / 1e6;
        cy->has_remaining = true;
        r += y->cleared_m2 + y->reduced_m2 + y->cancelled_m2 +
             y->closed_without_release_m2 - y->added_m2;
    }
    c->start_remaining = r / 1e6;
    c->as_of_year = frac_year(f->as_of);
    c->remaining = f->remaining_m2 / 1e6;
    c->p10 = frac_year(f->p10);
    c->p50 = frac_year(f->p50);
    c->p90 = frac_year(f->p90);
    c->deadline = frac_year(f->deadline);
    c->requested = frac_year(f->requested);
    c->eif = ls ? frac_year(ls->entry_into_force) : NAN;
    /* extended to a date the data lacks: the date drawn is no longer the
     * deadline (the forecast measures nothing against it; neither does
     * the chart, which only draws it, marked) */
    c->deadline_extended = f->deadline && f->deadline_extended_at;
    if (c->deadline_extended) {
        snprintf(c->deadline_label, sizeof c->deadline_label,
                 "Article 4 deadline %.10s, extended at %.16s (new date not "
                 "in data)",
                 f->deadline, f->deadline_extended_at);
        /* where that does not fit: as the map's panel says it */
        snprintf(c->deadline_short, sizeof c->deadline_short,
                 "deadline extended at %.16s", f->deadline_extended_at);
    } else {
        snprintf(c->deadline_label, sizeof c->deadline_label,
                 "Article 4 deadline");
    }
    snprintf(c->title, sizeof c->title,
             kind == 0 ? "%s: remaining area and projected completion"
                       : "%s: land released by method, and area added",
             f->name);
    if (kind == 0) {
        burndown_words(f, &fo, !c->no_records, c);
    } else {
        snprintf(c->subtitle, sizeof c->subtitle,
                 "as of %.10s; km2 a year, from the ledger (each square metre "
                 "once, by its most intensive method)",
                 f->as_of);
        release_words(f, c);
    }
done:
    cmr_ledger_free(L);
    cmr_forecasts_free(F);
    if (st) {
        cmr__free(c->years);
        c->years = NULL;
    }
    return st;
}

/* ---- the public calls ---- */

enum cmr_status cmr_map_write(struct cmr_ctx *ctx, struct cmr_store *store,
                              const struct cmr_map_opts *o, const char *path)
{
    if (!o || !o->country)
        return cmr__error(ctx, CMR_EINVAL, "a map needs --country");
    if (cmr__fmt_of(path) == FMT_BAD)
        return cmr__error(ctx, CMR_EINVAL,
                          "%s: the file name must end in .png, .pdf or .svg",
                          path);
    /* (0: the default; a negative size is no size at all) */
    int w = o->width ? o->width : 1600, h = o->height ? o->height : 1100;
    if (w < CMR_MAP_MIN_WIDTH || h < CMR_MAP_MIN_HEIGHT)
        return cmr__error(ctx, CMR_EINVAL, "%dx%d: a map needs at least %dx%d",
                          w, h, CMR_MAP_MIN_WIDTH, CMR_MAP_MIN_HEIGHT);
    struct cmr__map m;
    enum cmr_status st =
        strcmp(o->country, "all") == 0
            ? cmr__map_build_all(ctx, store, o->at, &m)
            : cmr__map_build(ctx, store, o->country, o->at, &m);
    if (st)
        return st;
    st = cmr__render_map(ctx, &m, path, w, h);
    cmr__map_clear(&m);
    return st;
}

enum cmr_status cmr_chart_write(struct cmr_ctx *ctx, struct cmr_store *store,
                                const struct cmr_chart_opts *o,
                                const char *path)
{
    if (!o || !o->country)
        return cmr__error(ctx, CMR_EINVAL, "a chart needs --country");
    if (!cmr__store_find_country(store, o->country))
        return cmr__error(ctx, CMR_EINVAL, "unknown State '%s'", o->country);
    if (cmr__fmt_of(path) == FMT_BAD)
        return cmr__error(ctx, CMR_EINVAL,
                          "%s: the file name must end in .png, .pdf or .svg",
                          path);
    int w = o->width ? o->width : 1600, h = o->height ? o->height : 1000;
    if (w < CMR_CHART_MIN_WIDTH || h < CMR_CHART_MIN_HEIGHT)
        return cmr__error(ctx, CMR_EINVAL,
                          "%dx%d: a chart needs at least %dx%d", w, h,
                          CMR_CHART_MIN_WIDTH, CMR_CHART_MIN_HEIGHT);
    struct cmr__chart c;
    enum cmr_status st = cmr__chart_build(ctx, store, o->country, (int)o->kind,
                                          &o->forecast, &c);
    if (st)
        return st;
    st = cmr__render_chart(ctx, &c, path, w, h);
    cmr__free(c.years);
    return st;
}
