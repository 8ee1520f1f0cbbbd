/* SPDX-License-Identifier: MIT */
/* What a map or chart shows, in projected coordinates, built by map.c and
 * chart.c from the store and drawn by render.c (the only Cairo file). */
#ifndef CMR_SCENE_H
#define CMR_SCENE_H

#include "geom.h"

enum { ST_SHA, ST_CHA, ST_CLEARED, ST_REDUCED, ST_CANCELLED, ST_NSTYLES };

/* A polygon set in map coordinates (metres, or degrees for the locator). */
struct cmr__shape {
    struct cmr__rings r;
    double box[4]; /* minx, miny, maxx, maxy */
    int style;
    double value;     /* provinces: remaining m2 */
    const char *name; /* provinces: label */
    double lx, ly;    /* label point */
};

struct cmr__map {
    char title[256], subtitle[256], credits[512];
    char as_of[11]; /* YYYY-MM-DD: the date drawn (the ledger's as-of) */
    bool synthetic;
    bool no_records;      /* the State has no hazard or release record */
    double remaining_km2; /* at the as-of date (none: no_records) */
    double box[4];        /* the State's extent, projected */
    double km_per_unit;
    struct cmr__shape outline;
    struct cmr__shape *prov, *haz, *rel;
    size_t nprov, nhaz, nrel;
    double classes[6]; /* choropleth class bounds (m2), nclasses + 1 */
    int nclasses;
    /* locator (lon/lat, equirectangular) */
    struct cmr__shape *nb;
    size_t nnb;
    struct cmr__shape loc_state;
    double loc_box[4];
    /* small multiples: one per State */
    struct cmr__map *panels;
    size_t npanels;
    char note[512]; /* small multiples: the States left out, and why */
};

void cmr__map_clear(struct cmr__map *m);

struct cmr__chart_year {
    int year;
    double remaining, cleared, reduced, cancelled, added; /* km2 */
    bool has_remaining;
};

struct cmr__chart {
    int kind; /* 0 burn-down, 1 release */
    char title[256], subtitle[384], note[512];
    bool synthetic;
    /* no hazard or release record by the as-of date: the release chart
     * says so in its plot and note, rather than stand blank (which would
     * read as finished); the burn-down says what the forecast says */
    bool no_records;
    struct cmr__chart_year *years;
    size_t nyears;
    /* The release chart's words in its plot where it draws no release,
     * rather than stand blank: "no records by this date", "no land
     * released or added by 2015-12-31" (no bar at all) or "no land
     * released by 2017-12-31" (above the axis, over the area added); ""
     * where it draws some release. */
    char no_release[96];
    double as_of_year;          /* fractional year of the as-of date */
    double start_remaining;     /* km2 at the start of the first year */
    double remaining;           /* km2 at the as-of date */
    double p10, p50, p90;       /* fractional years; NaN: never */
    double deadline, requested; /* fractional years; NaN: none */
    double eif; /* entry into force, fractional year; NaN: unknown */
    /* The deadline recorded was extended at a meeting whose new date the
     * deadlines data lacks (the forecast's deadline_extended_at): it is
     * drawn as superseded, not as the deadline in force. */
    bool deadline_extended;
    char deadline_label[128]; /* "": "Article 4 deadline" */
    char deadline_short[64];  /* where the label does not fit; "": none */
    /* The burn-down's words, as the forecast has it: what the plot says
     * where no projection is drawn ("": no completion at the current
     * pace; else why there is no completion date: the remaining area or
     * the rate unknown). */
    char no_completion[256];
    /* A deterministic method (trailing, trend): P10 = P50 = P90, one
     * projection line and no range. */
    bool deterministic;
    /* The remaining area at the as-of date is a published figure, not the
     * ledger's: drawn as a dot at the as-of date, with this label. */
    bool remaining_published;
    char remaining_label[96];
};

/* The image format from the file name (.png, .pdf, .svg). */
enum cmr__fmt { FMT_PNG, FMT_PDF, FMT_SVG, FMT_BAD };
enum cmr__fmt cmr__fmt_of(const char *path);

enum cmr_status cmr__render_map(struct cmr_ctx *ctx, const struct cmr__map *m,
                                const char *path, int w, int h) CMR_WARN_UNUSED;
enum cmr_status cmr__render_chart(struct cmr_ctx *ctx,
                                  const struct cmr__chart *c, const char *path,
                                  int w, int h) CMR_WARN_UNUSED;
/* The same drawings as SVG text in memory, ids prefixed with `prefix` so
 * several can sit in one HTML page; *out freed with cmr__free. */
enum cmr_status cmr__render_map_svg(struct cmr_ctx *ctx,
                                    const struct cmr__map *m, int w, int h,
                                    const char *prefix,
                                    char **out) CMR_WARN_UNUSED;
enum cmr_status cmr__render_chart_svg(struct cmr_ctx *ctx,
                                      const struct cmr__chart *c, int w, int h,
                                      const char *prefix,
                                      char **out) CMR_WARN_UNUSED;

/* A PDF document of text pages, maps and charts (report.pdf). Text pages
 * take lines; a line starting with "# " is a heading, "## " a subheading,
 * "! " a red warning, "| " a table row in a fixed-width font. */
struct cmr__pdf;
enum cmr_status cmr__pdf_open(struct cmr_ctx *ctx, const char *path,
                              struct cmr__pdf **out) CMR_WARN_UNUSED;
enum cmr_status cmr__pdf_text(struct cmr_ctx *ctx, struct cmr__pdf *pdf,
                              const char *const *lines,
                              size_t n) CMR_WARN_UNUSED;
enum cmr_status cmr__pdf_map(struct cmr_ctx *ctx, struct cmr__pdf *pdf,
                             const struct cmr__map *m) CMR_WARN_UNUSED;
enum cmr_status cmr__pdf_chart(struct cmr_ctx *ctx, struct cmr__pdf *pdf,
                               const struct cmr__chart *c) CMR_WARN_UNUSED;
enum cmr_status cmr__pdf_close(struct cmr_ctx *ctx,
                               struct cmr__pdf *pdf) CMR_WARN_UNUSED;

/* Builders (map.c). */
enum cmr_status cmr__map_build(struct cmr_ctx *ctx, struct cmr_store *store,
                               const char *iso3, const char *at,
                               struct cmr__map *m) CMR_WARN_UNUSED;
enum cmr_status cmr__map_build_all(struct cmr_ctx *ctx, struct cmr_store *store,
                                   const char *at,
                                   struct cmr__map *m) CMR_WARN_UNUSED;
/* What the release chart draws, by kind (CMR__DRAWN_CLEARED ...): the
 * kinds with some area in one of its years, the bars drawn; its legend
 * and its note list these alone. Cannot fail. */
enum {
    CMR__DRAWN_CLEARED,
    CMR__DRAWN_REDUCED,
    CMR__DRAWN_CANCELLED,
    CMR__DRAWN_ADDED,
    CMR__NDRAWN
};
void cmr__chart_release_drawn(const struct cmr__chart *c,
                              bool drawn[CMR__NDRAWN]);
enum cmr_status cmr__chart_build(struct cmr_ctx *ctx, struct cmr_store *store,
                                 const char *iso3, int kind,
                                 const struct cmr_forecast_opts *fo,
                                 struct cmr__chart *c) CMR_WARN_UNUSED;

#endif
