/* SPDX-License-Identifier: MIT */
/* Maps, charts and the report, looked at as images: sizes, hazard colours
 * inside the map frame and within the State's extent, legend swatches,
 * scale bar, north arrow, the deadline line, bars by method; SVG and PDF
 * output; the report's files, unique SVG ids, and a headless Chromium
 * screenshot of index.html. */
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>

#include "test_support.h"

#include "scene.h"

#define LEDGER CMR_TEST_LEDGER "/"

/* A store made anew at db, with each source read as its kind. */
struct source {
    enum cmr_kind kind;
    const char *path;
};

static void new_store(struct cmr_ctx *ctx, const char *db,
                      const struct source *src, size_t n)
{
    unlink(db);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_create(ctx, db, &s));
    cmr_store_close(s);
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    for (size_t i = 0; i < n; i++)
        assert_status_ok(ctx, cmr_import_opts_source(ctx, o, src[i].kind,
                                                     src[i].path, NULL));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
}

static const char *store(struct cmr_ctx *ctx)
{
    static char db[4096];
    snprintf(db, sizeof db, "%s", scratch_path("render.gpkg"));
    struct stat st;
    if (stat(db, &st) == 0)
        return db;
    const struct source src[] = {
        {CMR_KIND_HAZARD, LEDGER "hazards.geojson"},
        {CMR_KIND_RELEASE, LEDGER "releases.geojson"},
        {CMR_KIND_BOUNDARIES, geodata_path("boundaries.gpkg")},
        {CMR_KIND_DEADLINES, geodata_path("deadlines.csv")}};
    new_store(ctx, db, src, sizeof src / sizeof *src);
    return db;
}

struct img {
    cairo_surface_t *s;
    int w, h, stride;
    const unsigned char *d;
};

static struct img load(const char *path)
{
    struct img m;
    m.s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(m.s), CAIRO_STATUS_SUCCESS);
    m.w = cairo_image_surface_get_width(m.s);
    m.h = cairo_image_surface_get_height(m.s);
    m.stride = cairo_image_surface_get_stride(m.s);
    m.d = cairo_image_surface_get_data(m.s);
    return m;
}

static void px(const struct img *m, int x, int y, double *r, double *g,
               double *b)
{
    const unsigned char *p = m->d + y * m->stride + 4 * x; /* BGRA */
    *b = p[0] / 255.0;
    *g = p[1] / 255.0;
    *r = p[2] / 255.0;
}

/* Pixels in [x0,x1) x [y0,y1) whose colour is within tol of (r, g, b);
 * their bounding box in *box when box is not NULL. */
static int count(const struct img *m, int x0, int y0, int x1, int y1, double r,
                 double g, double b, double tol, int box[4])
{
    int n = 0;
    if (box) {
        box[0] = box[1] = 1 << 30;
        box[2] = box[3] = -1;
    }
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            double pr, pg, pb;
            px(m, x, y, &pr, &pg, &pb);
            if (fabs(pr - r) <= tol && fabs(pg - g) <= tol &&
                fabs(pb - b) <= tol) {
                n++;
                if (box) {
                    box[0] = x < box[0] ? x : box[0];
                    box[1] = y < box[1] ? y : box[1];
                    box[2] = x > box[2] ? x : box[2];
                    box[3] = y > box[3] ? y : box[3];
                }
            }
        }
    return n;
}

/* Pixels of a red hue (hazards: CHA dark red, SHA orange-red) and their
 * bounding box. */
static int reddish(const struct img *m, int x0, int y0, int x1, int y1,
                   int box[4])
{
    int n = 0;
    box[0] = box[1] = 1 << 30;
    box[2] = box[3] = -1;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            double r, g, b;
            px(m, x, y, &r, &g, &b);
            if (r > 0.45 && r - g > 0.25 && r - b > 0.2) {
                n++;
                box[0] = x < box[0] ? x : box[0];
                box[1] = y < box[1] ? y : box[1];
                box[2] = x > box[2] ? x : box[2];
                box[3] = y > box[3] ? y : box[3];
            }
        }
    return n;
}

/* The lowest row of the map frame's water fill in column x. */
static int frame_bottom(const struct img *m, int x)
{
    for (int y = m->h - 1; y >= 0; y--) {
        double r, g, b;
        px(m, x, y, &r, &g, &b);
        if (fabs(r - 0.90) < 0.02 && fabs(g - 0.94) < 0.02 &&
            fabs(b - 0.97) < 0.02)
            return y;
    }
    return -1;
}

/* Colours as drawn: CHA at alpha 0.85 over white (legend swatch). */
static const double CHA[3] = {0.698, 0.094, 0.169};
static double over_white(double c, double a)
{
    return a * c + (1 - a);
}

static void map_png_shows_hazards_legend_scale_bar(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    const char *png = scratch_path("lao.png");
    struct cmr_map_opts o = {.country = "LAO", .at = "2024-12-31"};
    assert_status_ok(ctx, cmr_map_write(ctx, s, &o, png));
    cmr_store_close(s);
    struct img m = load(png);
    assert_int_equal(m.w, 1600);
    assert_int_equal(m.h, 1100);
    /* The map frame is the left 70% (24 + 0.7 W). Hazards (dark red, at
     * alpha 0.85 over the province's light fill) are in it, and only well
     * inside it: the State fills 94% of the frame. */
    int frame_x1 = 24 + (int)(0.70 * m.w), box[4];
    int red = reddish(&m, 24, 100, frame_x1, m.h - 60, box);
    assert_true(red > 5);
    assert_true(box[0] > 24 + 0.03 * 0.70 * m.w);
    assert_true(box[2] < frame_x1 - 0.03 * 0.70 * m.w);
    /* The ledger example lies at 103.0-103.04 E, 19.0-19.03 N: in Lao PDR's
     * north-centre, so the red is in the upper half of the frame and right
     * of its left third. */
    assert_true(box[3] < m.h / 2 + 100);
    assert_true(box[0] > 24 + 0.70 * m.w / 3);
    /* Legend: the CHA swatch colour, exactly, right of the frame. */
    int sw =
        count(&m, frame_x1, 100, m.w, m.h, over_white(CHA[0], 0.85),
              over_white(CHA[1], 0.85), over_white(CHA[2], 0.85), 0.02, NULL);
    assert_true(sw >= 18 * 13 / 2);
    /* Scale bar: black segments under the frame's bottom left, on the
     * page, and none in the frame's corner, where it hid data; the north
     * arrow under the frame's bottom right. */
    int bottom = frame_bottom(&m, 40);
    assert_true(bottom > m.h / 2);
    int black =
        count(&m, 24, bottom + 2, 400, bottom + 30, 0.1, 0.1, 0.1, 0.06, NULL);
    assert_true(black > 100);
    assert_int_equal(
        count(&m, 24, bottom - 80, 400, bottom - 2, 0.1, 0.1, 0.1, 0.06, NULL),
        0);
    int north = count(&m, frame_x1 - 60, bottom + 2, frame_x1 + 2, bottom + 32,
                      0.1, 0.1, 0.1, 0.06, NULL);
    assert_true(north > 50);
    cairo_surface_destroy(m.s);
}

/* A store of the boundaries and one hazard at Somalia's southern tip
 * (41.45-41.50 E, 1.50-1.55 S), where the map frame's bottom left is. */
static const char *somalia_tip_store(struct cmr_ctx *ctx)
{
    static char db[4096];
    snprintf(db, sizeof db, "%s", scratch_path("som-tip.gpkg"));
    const char *gj = scratch_write(
        "som-tip.geojson",
        "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": "
        "\"Feature\", \"properties\": {\"id\": \"SOM\", \"country\": "
        "\"SOM\", \"class\": \"CHA\", \"contamination\": \"CMR\", "
        "\"recorded\": \"2015-01-01\"}, \"geometry\": {\"type\": "
        "\"Polygon\", \"coordinates\": [[[41.45, -1.55], [41.50, -1.55], "
        "[41.50, -1.50], [41.45, -1.50], [41.45, -1.55]]]}}]}");
    /* the published figures list the other States in the forecast, with
     * no record of theirs in the store */
    const struct source src[] = {
        {CMR_KIND_HAZARD, gj},
        {CMR_KIND_BOUNDARIES, geodata_path("boundaries.gpkg")},
        {CMR_KIND_FIGURES, geodata_path("national-figures.csv")},
        {CMR_KIND_DEADLINES, geodata_path("deadlines.csv")}};
    new_store(ctx, db, src, sizeof src / sizeof *src);
    return db;
}

/* The scale bar never hides data: in the small multiples, a white box
 * under each panel's bar, drawn after the panel's clip was released, hid
 * a hazard at Somalia's southern tip entirely; the bar is now under the
 * panel's frame, and the hazard shows, in the panel and on the State's
 * own map. */
static void scale_bar_hides_no_hazard(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = somalia_tip_store(ctx);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    struct cmr_map_opts o = {.country = "all"};
    const char *png = scratch_path("som-tip-all.png");
    assert_status_ok(ctx, cmr_map_write(ctx, s, &o, png));
    o.country = "SOM";
    const char *one = scratch_path("som-tip.png");
    assert_status_ok(ctx, cmr_map_write(ctx, s, &o, one));
    cmr_store_close(s);
    /* Somalia is the eighth panel: second row, third column, of five
     * columns (24 + k * (W - 48) / 5); the hazard is at its bottom left */
    struct img m = load(png);
    double cw = (m.w - 48) / 5.0;
    int box[4];
    int x0 = 24 + (int)(2 * cw), x1 = 24 + (int)(3 * cw);
    int red = reddish(&m, x0, m.h / 2, x1, m.h, box);
    assert_true(red >= 4);
    assert_true(box[0] < x0 + cw / 3);
    assert_true(box[1] > m.h * 3 / 4);
    cairo_surface_destroy(m.s);
    m = load(one);
    red = reddish(&m, 24, 100, 24 + (int)(0.70 * m.w), m.h, box);
    assert_true(red >= 4);
    cairo_surface_destroy(m.s);
}

/* A hazard imported without a contamination type is CMR (the default), on
 * the map as in the ledger: the map of a store whose hazards have none is
 * the same picture (a review found them left out of every map). */
static void map_draws_hazards_without_contamination(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    /* the ledger example's hazards without their "contamination" */
    FILE *f = fopen(LEDGER "hazards.geojson", "rb");
    assert_non_null(f);
    static char text[1 << 16], cut[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    const char *drop = "\"contamination\": \"CMR\",";
    size_t o = 0, dropped = 0;
    for (const char *p = text; *p;) {
        if (strncmp(p, drop, strlen(drop)) == 0) {
            p += strlen(drop);
            dropped++;
        } else {
            cut[o++] = *p++;
        }
    }
    cut[o] = '\0';
    assert_int_equal(dropped, 2);
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", scratch_path("nocontam.gpkg"));
    const struct source src[] = {
        {CMR_KIND_HAZARD, scratch_write("nocontam.geojson", cut)},
        {CMR_KIND_RELEASE, LEDGER "releases.geojson"},
        {CMR_KIND_BOUNDARIES, geodata_path("boundaries.gpkg")}};
    new_store(ctx, copy, src, sizeof src / sizeof *src);
    struct cmr_store *s = NULL;
    int red[2], box[2][4];
    const char *dbs[2] = {db, copy};
    for (int k = 0; k < 2; k++) {
        assert_status_ok(ctx, cmr_store_open(ctx, dbs[k], CMR_STORE_READ, &s));
        const char *png = scratch_path(k ? "nocontam.png" : "contam.png");
        struct cmr_map_opts mo = {.country = "LAO", .at = "2024-12-31"};
        assert_status_ok(ctx, cmr_map_write(ctx, s, &mo, png));
        cmr_store_close(s);
        struct img m = load(png);
        red[k] = reddish(&m, 24, 100, 24 + (int)(0.70 * m.w), m.h - 60, box[k]);
        cairo_surface_destroy(m.s);
    }
    assert_true(red[0] > 5);
    assert_int_equal(red[1], red[0]);
    assert_memory_equal(box[1], box[0], sizeof box[0]);
}

/* A State without records by the as-of date: its own map says "no
 * records by this date", as cmr status and the small multiples do, not
 * "Remaining 0.000 km2", which would read as finished; its release chart
 * says so in the plot and in the note, rather than stand blank. */
static void state_without_records_says_so(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, store(ctx), CMR_STORE_READ, &s));
    struct cmr__map m;
    /* Lao PDR before its first record (2010-06-01); Iraq, of which the
     * store holds none */
    const char *who[2] = {"LAO", "IRQ"}, *at[2] = {"2000-01-01", NULL};
    for (int k = 0; k < 2; k++) {
        assert_status_ok(ctx, cmr__map_build(ctx, s, who[k], at[k], &m));
        assert_true(m.no_records);
        assert_int_equal(strncmp(m.subtitle, "No records by this date", 23), 0);
        assert_null(strstr(m.subtitle, "0.000"));
        cmr__map_clear(&m);
    }
    /* with records, the area */
    assert_status_ok(ctx, cmr__map_build(ctx, s, "LAO", NULL, &m));
    assert_false(m.no_records);
    assert_non_null(strstr(m.subtitle, "Remaining 4.079 km2"));
    cmr__map_clear(&m);
    cmr_store_close(s);
    /* a store whose figures list Iraq in the forecast, without a record */
    assert_status_ok(
        ctx, cmr_store_open(ctx, somalia_tip_store(ctx), CMR_STORE_READ, &s));
    struct cmr__chart c;
    assert_status_ok(ctx, cmr__chart_build(ctx, s, "IRQ", 1, NULL, &c));
    assert_true(c.no_records);
    assert_int_equal(strncmp(c.note, "No records by this date", 23), 0);
    const char *png = scratch_path("irq-release.png");
    assert_status_ok(ctx, cmr__render_chart(ctx, &c, png, 1600, 1000));
    cmr__free(c.years);
    /* the plot (x from 80 to W - 210) carries grey text, in bold, a third
     * of the way down; blank before */
    struct img g = load(png);
    int grey =
        count(&g, 90, 150, g.w - 220, g.h / 2, 0.45, 0.45, 0.45, 0.1, NULL);
    assert_true(grey > 40);
    cairo_surface_destroy(g.s);
    /* Somalia has a record: no such note */
    assert_status_ok(ctx, cmr__chart_build(ctx, s, "SOM", 1, NULL, &c));
    assert_false(c.no_records);
    assert_null(strstr(c.note, "No records"));
    cmr__free(c.years);
    cmr_store_close(s);
}

static void map_of_all_states_and_other_formats(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    struct cmr_map_opts o = {.country = "all", .width = 1200, .height = 800};
    const char *png = scratch_path("all.png");
    assert_status_ok(ctx, cmr_map_write(ctx, s, &o, png));
    struct img m = load(png);
    assert_int_equal(m.w, 1200);
    assert_int_equal(m.h, 800);
    cairo_surface_destroy(m.s);
    o.country = "LAO";
    const char *svg = scratch_path("lao.svg"), *pdf = scratch_path("lao.pdf");
    assert_status_ok(ctx, cmr_map_write(ctx, s, &o, svg));
    assert_status_ok(ctx, cmr_map_write(ctx, s, &o, pdf));
    char head[8] = {0};
    FILE *f = fopen(pdf, "rb");
    assert_non_null(f);
    assert_int_equal(fread(head, 1, 5, f), 5);
    fclose(f);
    assert_string_equal(head, "%PDF-");
    f = fopen(svg, "rb");
    char buf[512] = {0};
    assert_true(fread(buf, 1, sizeof buf - 1, f) > 0);
    fclose(f);
    assert_non_null(strstr(buf, "<svg"));
    assert_status(ctx, cmr_map_write(ctx, s, &o, scratch_path("lao.gif")),
                  CMR_EINVAL);
    /* below the least size, refused (render.h); at it, drawn at that size
     * (laid out at 1000x750 and scaled down) */
    struct cmr_map_opts tiny = {.country = "all", .width = 600, .height = 400};
    assert_status(ctx, cmr_map_write(ctx, s, &tiny, png), CMR_EINVAL);
    assert_non_null(strstr(cmr_ctx_errmsg(ctx), "at least 800x600"));
    tiny.width = CMR_MAP_MIN_WIDTH;
    tiny.height = CMR_MAP_MIN_HEIGHT;
    assert_status_ok(ctx, cmr_map_write(ctx, s, &tiny, png));
    m = load(png);
    assert_int_equal(m.w, 800);
    assert_int_equal(m.h, 600);
    cairo_surface_destroy(m.s);
    struct cmr_chart_opts co = {.country = "LAO", .width = 639, .height = 400};
    assert_status(ctx, cmr_chart_write(ctx, s, &co, png), CMR_EINVAL);
    assert_non_null(strstr(cmr_ctx_errmsg(ctx), "at least 640x400"));
    /* a negative size is refused, not taken for the default */
    tiny.width = tiny.height = -5;
    assert_status(ctx, cmr_map_write(ctx, s, &tiny, png), CMR_EINVAL);
    assert_non_null(strstr(cmr_ctx_errmsg(ctx), "-5x-5"));
    co.width = -1;
    co.height = 800;
    assert_status(ctx, cmr_chart_write(ctx, s, &co, png), CMR_EINVAL);
    assert_non_null(strstr(cmr_ctx_errmsg(ctx), "-1x800"));
    o.country = "FRA";
    assert_status(ctx, cmr_map_write(ctx, s, &o, png), CMR_EINVAL);
    /* the panels' subtitles: a State without records says so, rather
     * than "0.00 km2 remaining", which would read as finished */
    struct cmr__map all;
    assert_status_ok(ctx, cmr__map_build_all(ctx, s, NULL, &all));
    assert_int_equal(all.npanels, 10);
    int none = 0, lao = 0;
    for (size_t i = 0; i < all.npanels; i++) {
        const char *t = all.panels[i].subtitle;
        assert_null(strstr(t, "0.00 km2 remaining"));
        /* every State has a deadline in the store's table, listed by the
         * forecast at this date or not */
        assert_null(strstr(t, "deadline -"));
        if (strcmp(all.panels[i].title, "Lao PDR") == 0) {
            lao++;
            assert_non_null(strstr(t, " km2 remaining; deadline "));
        } else {
            none += strstr(t, "no records by this date; deadline ") == t;
        }
    }
    assert_int_equal(lao, 1);
    assert_int_equal(none, 9);
    cmr__map_clear(&all);
    cmr_store_close(s);
}

static void map_of_all_states_titled_with_the_date_drawn(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    /* before any record the forecast lists no State: the date still comes
     * from the as-of date drawn */
    struct cmr__map all;
    assert_status_ok(ctx, cmr__map_build_all(ctx, s, "2005-01-01", &all));
    assert_int_equal(all.npanels, 10);
    assert_string_equal(all.title, "The ten States Parties with cluster "
                                   "munition remnants, as of 2005-01-01");
    /* and no deadline had passed then (Mauritania's: 2024-08-01) */
    for (size_t i = 0; i < all.npanels; i++)
        assert_null(strstr(all.panels[i].subtitle, "(passed)"));
    cmr__map_clear(&all);
    /* later, a deadline passed by then says so (Mauritania's, which the
     * forecast does not list); Lao PDR's 2025-08-01, listed, was extended
     * at 12MSP to a date the deadlines data does not give: not passed */
    assert_status_ok(ctx, cmr__map_build_all(ctx, s, "2025-12-31", &all));
    assert_non_null(strstr(all.title, "as of 2025-12-31"));
    int passed = 0, extended = 0;
    for (size_t i = 0; i < all.npanels; i++) {
        passed += strstr(all.panels[i].subtitle, "(passed)") != NULL;
        extended += strstr(all.panels[i].subtitle,
                           "; deadline extended at 12MSP") != NULL;
    }
    assert_int_equal(passed, 1);
    assert_int_equal(extended, 1);
    cmr__map_clear(&all);
    cmr_store_close(s);
}

static void charts_show_history_deadline_and_methods(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    /* (at mid-2024: before Lao PDR's request of 2024, granted at 12MSP,
     * the deadline recorded is the deadline in force) */
    struct cmr_chart_opts o = {.country = "LAO",
                               .kind = CMR_CHART_BURNDOWN,
                               .forecast = {.at = "2024-06-30",
                                            .window = 6,
                                            .method = CMR_FORECAST_TRAILING}};
    const char *png = scratch_path("burn.png");
    assert_status_ok(ctx, cmr_chart_write(ctx, s, &o, png));
    struct img m = load(png);
    assert_int_equal(m.w, 1600);
    assert_int_equal(m.h, 1000);
    /* the remaining-area history: near-black line in the plot */
    assert_true(count(&m, 80, 100, m.w - 210, m.h - 80, 0.1, 0.1, 0.1, 0.05,
                      NULL) > 200);
    /* the Article 4 deadline (2025-08-01): a red dashed vertical line */
    int box[4];
    assert_true(count(&m, 80, 100, m.w - 210, m.h - 80, 0.75, 0.05, 0.05, 0.05,
                      box) > 100);
    assert_true(box[3] - box[1] > 300); /* vertical */
    assert_true(box[2] - box[0] < 120);
    cairo_surface_destroy(m.s);
    o.kind = CMR_CHART_RELEASE;
    png = scratch_path("release.png");
    assert_status_ok(ctx, cmr_chart_write(ctx, s, &o, png));
    m = load(png);
    /* bars of the three methods: cleared, reduced, cancelled */
    static const double cols[3][3] = {
        {0.102, 0.596, 0.314}, {0.651, 0.851, 0.416}, {0.596, 0.306, 0.639}};
    for (int k = 0; k < 3; k++)
        assert_true(count(&m, 80, 100, m.w - 210, m.h - 80, cols[k][0],
                          cols[k][1], cols[k][2], 0.02, NULL) > 500);
    cairo_surface_destroy(m.s);
    /* the burn-down's start: the remaining area at the start of the first
     * year, by the ledger's identity R(y - 1) = R(y) + released(y) +
     * closed without release(y) - added(y) */
    struct cmr__chart c;
    struct cmr_forecast_opts fo = {.method = CMR_FORECAST_TRAILING};
    assert_status_ok(ctx, cmr__chart_build(ctx, s, "LAO", 0, &fo, &c));
    struct cmr_ledger_opts lo = {.country = "LAO"};
    struct cmr_ledger *L = NULL;
    assert_status_ok(ctx, cmr_ledger_compute(ctx, s, &lo, &L));
    const struct cmr_ledger_state *ls = cmr_ledger_state(L, 0);
    double r = ls->remaining_m2;
    for (size_t i = 0; i < ls->nyears; i++) {
        const struct cmr_ledger_year *y = &ls->by_year[i];
        r += y->cleared_m2 + y->reduced_m2 + y->cancelled_m2 +
             y->closed_without_release_m2 - y->added_m2;
    }
    assert_true(c.nyears > 0);
    assert_true(fabs(c.start_remaining - r / 1e6) < 1e-9);
    cmr_ledger_free(L);
    cmr__free(c.years);
    cmr_store_close(s);
}

/* The release chart's colours as drawn: cleared, reduced by TS,
 * cancelled by NTS (opaque), and added (CHA at alpha 0.8 over white). */
static void release_colour(int k, double rgb[3])
{
    static const double c[4][3] = {{0.102, 0.596, 0.314},
                                   {0.651, 0.851, 0.416},
                                   {0.596, 0.306, 0.639},
                                   {0.698, 0.094, 0.169}};
    for (int i = 0; i < 3; i++)
        rgb[i] = k == 3 ? over_white(c[k][i], 0.8) : c[k][i];
}

/* The pixels of release kind k's colour in the legend, right of the plot
 * (which ends at W - 210), and in the plot. */
static int in_legend(const struct img *m, int k)
{
    double c[3];
    release_colour(k, c);
    return count(m, m->w - 205, 60, m->w, m->h - 80, c[0], c[1], c[2], 0.02,
                 NULL);
}

static int in_plot(const struct img *m, int k, int box[4])
{
    double c[3];
    release_colour(k, c);
    return count(m, 80, 60, m->w - 210, m->h - 80, c[0], c[1], c[2], 0.02, box);
}

/* The release chart of Lao PDR in the test store, as of at: built (*c, years
 * freed by the caller) and drawn into png. */
static struct img release_chart(struct cmr_ctx *ctx, const char *at,
                                const char *png, struct cmr__chart *c)
{
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, store(ctx), CMR_STORE_READ, &s));
    struct cmr_forecast_opts fo = {.at = at};
    assert_status_ok(ctx, cmr__chart_build(ctx, s, "LAO", 1, &fo, c));
    cmr_store_close(s);
    assert_status_ok(ctx,
                     cmr__render_chart(ctx, c, scratch_path(png), 1600, 1000));
    return load(scratch_path(png));
}

/* The release chart's legend and note list only the kinds it draws (a
 * review found all four in Lao PDR's legend, which has no land reduced or
 * cancelled). The test store's Lao PDR: added 2016 (H2), cleared 2019,
 * reduced 2020, cancelled 2021. */
static void release_legend_lists_only_the_kinds_drawn(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr__chart c;
    /* 2019: cleared and added */
    struct img m = release_chart(ctx, "2019-12-31", "release-2019.png", &c);
    const bool drawn2019[4] = {true, false, false, true};
    for (int k = 0; k < 4; k++) {
        if (drawn2019[k]) {
            assert_true(in_plot(&m, k, NULL) > 500);
            assert_true(in_legend(&m, k) > 150); /* a 17 x 12 swatch */
        } else {
            assert_int_equal(in_plot(&m, k, NULL), 0);
            assert_int_equal(in_legend(&m, k), 0);
        }
    }
    cairo_surface_destroy(m.s);
    assert_string_equal(c.no_release, "");
    assert_non_null(strstr(c.note, "Above the axis: land released in the "
                                   "year by clearance. Below: contamination "
                                   "recorded in the year (added)."));
    assert_null(strstr(c.note, "survey"));
    cmr__free(c.years);
    /* 2021: all four, in the legend and the note */
    m = release_chart(ctx, "2021-12-31", "release-2021.png", &c);
    for (int k = 0; k < 4; k++) {
        assert_true(in_plot(&m, k, NULL) > 500);
        assert_true(in_legend(&m, k) > 150);
    }
    cairo_surface_destroy(m.s);
    assert_non_null(strstr(c.note, "by clearance, technical survey and "
                                   "non-technical survey. Below:"));
    cmr__free(c.years);
}

/* A release chart with no release by its date says so in its plot and
 * its note, not blank, and has no legend item for nothing (a review found
 * Somalia's chart at 2015-12-31, hazards and no release, blank with four
 * legend items). */
static void release_chart_without_release_says_so(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr__chart c;
    /* 2012: Lao PDR's one hazard (baseline), nothing released or added */
    struct img m = release_chart(ctx, "2012-12-31", "release-2012.png", &c);
    assert_false(c.no_records);
    assert_string_equal(c.no_release, "no land released or added by "
                                      "2012-12-31");
    assert_int_equal(
        strncmp(c.note, "No land released or added by 2012-12-31: ", 41), 0);
    assert_null(strstr(c.note, "Above the axis"));
    assert_null(strstr(c.note, "Below"));
    cmr__free(c.years);
    for (int k = 0; k < 4; k++)
        assert_int_equal(in_legend(&m, k), 0);
    /* the words: grey, in bold, a third of the way down the plot */
    int box[4];
    assert_true(count(&m, 90, 150, m.w - 220, m.h / 2, 0.45, 0.45, 0.45, 0.1,
                      box) > 40);
    cairo_surface_destroy(m.s);
    /* 2017: area added (2016) and no release: the words above the axis,
     * over the bar of the area added, and the legend has that alone */
    m = release_chart(ctx, "2017-12-31", "release-2017.png", &c);
    assert_string_equal(c.no_release, "no land released by 2017-12-31");
    assert_string_equal(c.note, "No land released by 2017-12-31. Below the "
                                "axis: contamination recorded in the year "
                                "(added).");
    cmr__free(c.years);
    for (int k = 0; k < 3; k++)
        assert_int_equal(in_legend(&m, k), 0);
    assert_true(in_legend(&m, 3) > 150);
    int bar[4];
    assert_true(in_plot(&m, 3, bar) > 500);
    /* (the grey of the axis line's anti-aliased edge left out) */
    assert_true(bar[1] > 160); /* room above the axis */
    assert_true(count(&m, 90, 60, m.w - 220, bar[1] - 3, 0.45, 0.45, 0.45, 0.1,
                      box) > 40);
    assert_true(box[1] > 100);
    cairo_surface_destroy(m.s);
}

/* The test store with the published national figures too (cmr init
 * loads them): Iraq has a remaining area published (200 km2, 2022) and no
 * release figure in 2022-2024. */
static const char *figures_store(struct cmr_ctx *ctx)
{
    static char db[4096];
    snprintf(db, sizeof db, "%s", scratch_path("render-figures.gpkg"));
    struct stat st;
    if (stat(db, &st) == 0)
        return db;
    const struct source src[] = {
        {CMR_KIND_HAZARD, LEDGER "hazards.geojson"},
        {CMR_KIND_RELEASE, LEDGER "releases.geojson"},
        {CMR_KIND_DEADLINES, geodata_path("deadlines.csv")},
        {CMR_KIND_FIGURES, geodata_path("national-figures.csv")}};
    new_store(ctx, db, src, sizeof src / sizeof *src);
    return db;
}

/* The forecast of one State with options fo (its first and only one). */
static struct cmr_forecasts *forecast_of(struct cmr_ctx *ctx,
                                         struct cmr_store *s, const char *iso3,
                                         struct cmr_forecast_opts fo)
{
    struct cmr_forecasts *F = NULL;
    fo.country = iso3;
    assert_status_ok(ctx, cmr_forecast_compute(ctx, s, &fo, &F));
    assert_int_equal(cmr_forecasts_count(F), 1);
    return F;
}

/* Where the forecast has no completion date, the burn-down says so and
 * why, as the forecast does, never "never" (a review found "P10 never,
 * P50 never, P90 never" and "no completion projected at the current
 * pace" beside a forecast of unknown). */
static void burndown_says_unknown_where_the_forecast_does(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = figures_store(ctx);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    /* Lao PDR before any record, and no remaining area published then */
    struct cmr_forecast_opts fo = {.at = "2000-01-01"};
    struct cmr_forecasts *F = forecast_of(ctx, s, "LAO", fo);
    const struct cmr_forecast *f = cmr_forecasts_get(F, 0);
    assert_true(isnan(f->remaining_m2));
    assert_null(f->p50);
    struct cmr__chart c;
    assert_status_ok(ctx, cmr__chart_build(ctx, s, "LAO", 0, &fo, &c));
    assert_null(strstr(c.subtitle, "never"));
    assert_non_null(
        strstr(c.subtitle, "no completion date (remaining area unknown)"));
    assert_string_equal(c.no_completion,
                        "No completion date: the remaining area is unknown "
                        "(no hazard record by this date, and no remaining "
                        "area published).");
    assert_false(c.remaining_published);
    cmr__free(c.years);
    cmr_forecasts_free(F);
    /* Iraq: no polygon, 200 km2 published, no release figure in the
     * window: no rate, so no date */
    fo.at = "2024-12-31";
    F = forecast_of(ctx, s, "IRQ", fo);
    f = cmr_forecasts_get(F, 0);
    assert_near(f->remaining_m2, 200e6, 1e-3);
    assert_true(isnan(f->rate_m2_per_year));
    assert_null(f->p50);
    assert_status_ok(ctx, cmr__chart_build(ctx, s, "IRQ", 0, &fo, &c));
    assert_null(strstr(c.subtitle, "never"));
    assert_non_null(strstr(c.subtitle,
                           "no completion date (no release figure in "
                           "2022-2024)"));
    assert_string_equal(c.no_completion,
                        "No completion date: no release figure published in "
                        "2022-2024, so no rate of release.");
    /* the remaining area drawn is the one published, and says so */
    assert_true(c.remaining_published);
    assert_string_equal(c.remaining_label,
                        "remaining 200.000 km2, published (remaining_total "
                        "2022)");
    assert_int_equal(c.nyears, 0);
    assert_null(strstr(c.note, "History"));
    assert_non_null(strstr(c.note, "Dot: the remaining area published"));
    cmr__free(c.years);
    cmr_forecasts_free(F);
    /* drawn: the published remaining area's dot (teal) in the plot */
    struct cmr_chart_opts o = {
        .country = "IRQ", .kind = CMR_CHART_BURNDOWN, .forecast = fo};
    const char *png = scratch_path("burn-published.png");
    assert_status_ok(ctx, cmr_chart_write(ctx, s, &o, png));
    struct img m = load(png);
    assert_true(
        count(&m, 80, 60, m.w - 210, m.h - 80, 0.0, 0.5, 0.5, 0.03, NULL) > 60);
    cairo_surface_destroy(m.s);
    /* a pace that never finishes is still "never" (Lao PDR's ledger with
     * nothing released in 2028-2030: known, and zero) */
    fo.at = "2030-12-31";
    F = forecast_of(ctx, s, "LAO", fo);
    f = cmr_forecasts_get(F, 0);
    assert_false(isnan(f->remaining_m2));
    assert_false(isnan(f->rate_m2_per_year));
    assert_null(f->p50);
    assert_status_ok(ctx, cmr__chart_build(ctx, s, "LAO", 0, &fo, &c));
    assert_non_null(strstr(c.subtitle, "P10 never, P50 never, P90 never"));
    assert_string_equal(c.no_completion, "");
    cmr__free(c.years);
    cmr_forecasts_free(F);
    cmr_store_close(s);
}

/* The subtitle names the method the forecast ran, with its parameters,
 * and its dates as the forecast gives them (a review found "Monte Carlo
 * over the last 6 years (0 runs, ...)" on a trailing-mean chart). */
static void burndown_names_the_method_it_ran(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    struct {
        struct cmr_forecast_opts fo;
        const char *method;
    } cases[] = {
        {{.at = "2024-06-30", .window = 6, .method = CMR_FORECAST_TRAILING},
         "trailing mean of the last 6 years: completion "},
        {{.at = "2024-06-30", .method = CMR_FORECAST_TREND},
         "Theil-Sen trend over the last 3 years: "},
        {{.at = "2024-06-30", .runs = 500, .seed = 7},
         "Monte Carlo over the last 3 years (500 runs, seed 7): P10 "},
        {{.at = "2024-06-30",
          .window = 4,
          .method = CMR_FORECAST_TRAILING,
          .capacity = 0.5},
         "trailing mean of the last 4 years, capacity x0.50: "},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        struct cmr__chart c;
        assert_status_ok(ctx,
                         cmr__chart_build(ctx, s, "LAO", 0, &cases[k].fo, &c));
        struct cmr_forecasts *F = forecast_of(ctx, s, "LAO", cases[k].fo);
        const struct cmr_forecast *f = cmr_forecasts_get(F, 0);
        if (!strstr(c.subtitle, cases[k].method))
            fail_msg("subtitle '%s' lacks '%s'", c.subtitle, cases[k].method);
        /* the dates are the forecast's */
        if (f->p50)
            assert_non_null(strstr(c.subtitle, f->p50));
        if (cases[k].fo.method != CMR_FORECAST_MONTECARLO) {
            assert_null(strstr(c.subtitle, "Monte Carlo"));
            assert_null(strstr(c.subtitle, "runs"));
            assert_null(strstr(c.subtitle, "P10"));
            assert_true(c.deterministic);
        } else {
            assert_false(c.deterministic);
        }
        cmr_forecasts_free(F);
        cmr__free(c.years);
    }
    cmr_store_close(s);
}

/* Lao PDR's deadline of 2025-08-01, extended at 12MSP to a date the
 * deadlines data does not give (its request of 2024 counts from the
 * year's end): from then on the chart draws it as superseded, grey and
 * labelled so, not as the red deadline in force it was before. */
static void extended_deadline_drawn_grey_and_labelled(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    struct cmr__chart c;
    struct cmr_forecast_opts fo = {
        .at = "2024-12-31", .window = 6, .method = CMR_FORECAST_TRAILING};
    assert_status_ok(ctx, cmr__chart_build(ctx, s, "LAO", 0, &fo, &c));
    assert_true(c.deadline_extended);
    assert_string_equal(c.deadline_label,
                        "Article 4 deadline 2025-08-01, extended at 12MSP "
                        "(new date not in data)");
    assert_string_equal(c.deadline_short, "deadline extended at 12MSP");
    assert_non_null(strstr(c.note, "Grey dashed: the Article 4 deadline "
                                   "recorded, since extended"));
    cmr__free(c.years);
    /* before the request: the deadline in force, labelled as ever */
    fo.at = "2024-06-30";
    assert_status_ok(ctx, cmr__chart_build(ctx, s, "LAO", 0, &fo, &c));
    assert_false(c.deadline_extended);
    assert_string_equal(c.deadline_label, "Article 4 deadline");
    assert_string_equal(c.deadline_short, "");
    assert_null(strstr(c.note, "Grey dashed"));
    cmr__free(c.years);
    /* drawn: the red line of mid-2024 is grey (0.5) at the year's end,
     * in the same place, and no red is left in the plot */
    struct cmr_chart_opts o = {
        .country = "LAO", .kind = CMR_CHART_BURNDOWN, .forecast = fo};
    const char *png = scratch_path("burn-in-force.png");
    assert_status_ok(ctx, cmr_chart_write(ctx, s, &o, png));
    struct img m = load(png);
    int red[4];
    assert_true(count(&m, 80, 150, m.w - 210, m.h - 80, 0.75, 0.05, 0.05, 0.05,
                      red) > 100);
    cairo_surface_destroy(m.s);
    o.forecast.at = "2024-12-31";
    png = scratch_path("burn-extended.png");
    assert_status_ok(ctx, cmr_chart_write(ctx, s, &o, png));
    m = load(png);
    assert_int_equal(
        count(&m, 80, 100, m.w - 210, m.h - 80, 0.75, 0.05, 0.05, 0.1, NULL),
        0);
    /* (the column with most of that grey: the edges of the history's
     * black line have some too) */
    int best = 0, best_x = -1;
    for (int x = 80; x < m.w - 210; x++) {
        int n = count(&m, x, 150, x + 1, m.h - 100, 0.5, 0.5, 0.5, 0.02, NULL);
        if (n > best) {
            best = n;
            best_x = x;
        }
    }
    assert_true(best > 300); /* a dashed line down the plot */
    assert_true(abs(best_x - red[0]) <= 2);
    cairo_surface_destroy(m.s);
    cmr_store_close(s);
}

/* A long label near the plot's right edge stays in the frame, clear of
 * the legend: left of its line, or in its short form, or wrapped. */
/* A vertical line's label keeps clear of the history line: "entry into
 * force" stood on Lebanon's flat first years (a review of the chart at
 * 800x500). In the label's box, made of its grey text right of the grey
 * dotted line, there is no pixel of the black history line. */
static void labels_keep_clear_of_the_history_line(void **state)
{
    struct cmr_ctx *ctx = *state;
    static const double rem[10] = {17.5, 15.3, 13.8, 13.0, 11.7,
                                   8.6,  7.3,  6.3,  5.2,  4.4};
    struct cmr__chart_year ys[10];
    for (int i = 0; i < 10; i++)
        ys[i] = (struct cmr__chart_year){
            .year = 2015 + i, .remaining = rem[i], .has_remaining = true};
    struct cmr__chart c;
    memset(&c, 0, sizeof c);
    snprintf(c.title, sizeof c.title, "%s", "history under a label");
    c.years = ys;
    c.nyears = 10;
    c.as_of_year = 2024.999;
    c.start_remaining = 17.5; /* (the label's row, at 800x500) */
    c.remaining = 4.4;
    c.p10 = c.p50 = c.p90 = c.requested = NAN;
    c.eif = 2011.3;
    c.deadline = 2026.3;
    const char *png = scratch_path("labels-history.png");
    assert_status_ok(ctx, cmr__render_chart(ctx, &c, png, 800, 500));
    struct img m = load(png);
    /* the dotted line: the column with the most grey pixels */
    int eifx = -1, most = 0;
    for (int x = 0; x < m.w / 3; x++) {
        int n = count(&m, x, 0, x + 1, m.h, 0.45, 0.45, 0.45, 0.04, NULL);
        if (n > most) {
            most = n;
            eifx = x;
        }
    }
    assert_true(most > 50);
    /* the label's first words, right of it in the upper half: the rows
     * dense with its grey text (a line's edges give a few grey pixels a
     * row, a frame's edge a whole row), and no black pixel in them */
    int rows = 0, black = 0;
    for (int y = 60; y < m.h / 2; y++) {
        int grey = count(&m, eifx + 3, y, eifx + 60, y + 1, 0.45, 0.45, 0.45,
                         0.04, NULL);
        if (grey < 6 || grey > 45)
            continue;
        rows++;
        black +=
            count(&m, eifx + 3, y, eifx + 60, y + 1, 0.1, 0.1, 0.1, 0.05, NULL);
    }
    assert_true(rows >= 5); /* "entry into force" found */
    if (black)
        fail_msg("%d black pixels among the label's %d rows (line at x %d)",
                 black, rows, eifx);
    cairo_surface_destroy(m.s);
}

static void deadline_labels_stay_in_the_plot_frame(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr__chart_year ys[3];
    for (int i = 0; i < 3; i++)
        ys[i] = (struct cmr__chart_year){
            .year = 2022 + i, .remaining = 3.0, .has_remaining = true};
    struct cmr__chart c;
    memset(&c, 0, sizeof c);
    snprintf(c.title, sizeof c.title, "%s", "a long label near the edge");
    c.years = ys;
    c.nyears = 3;
    c.as_of_year = 2024.999;
    c.start_remaining = 3.1;
    c.remaining = 3.0;
    c.p10 = c.p50 = c.p90 = NAN;
    c.eif = 2016.1;
    c.requested = 2034.5; /* (the axis ends at 2035: near its edge too) */
    c.deadline = 2033.7;
    c.deadline_extended = true;
    snprintf(c.deadline_label, sizeof c.deadline_label, "%s",
             "Article 4 deadline 2033-09-01, extended at 12MSP (new date "
             "not in data)");
    snprintf(c.deadline_short, sizeof c.deadline_short, "%s",
             "deadline extended at 12MSP");
    const int sizes[3][2] = {{1600, 1000}, {900, 600}, {640, 400}};
    for (int k = 0; k < 3; k++) {
        char name[32];
        snprintf(name, sizeof name, "labels-edge-%d.png", sizes[k][0]);
        const char *png = scratch_path(name);
        assert_status_ok(
            ctx, cmr__render_chart(ctx, &c, png, sizes[k][0], sizes[k][1]));
        struct img m = load(png);
        /* between the frame's right edge (W - 210) and the legend (from
         * W - 190), nothing but white; below 800x500 the chart is laid
         * out at that size's proportions and scaled down, by f */
        double f = fmin(1, fmin(m.w / 800.0, m.h / 500.0));
        int right = (int)ceil((m.w / f - 210) * f),
            left = (int)floor((m.w / f - 190) * f);
        assert_true(left - right >= 12);
        assert_int_equal(
            count(&m, right + 2, 0, left - 2, m.h, 1, 1, 1, 0.02, NULL),
            (left - 2 - right - 2) * m.h);
        cairo_surface_destroy(m.s);
    }
}

/* A burn-down scene like Somalia's: P10 and P50 beyond the axis's end,
 * P90 never; the Article 4 deadline and the date requested ahead. */
static struct cmr__chart far_fan_chart(struct cmr__chart_year ys[3])
{
    struct cmr__chart c;
    memset(&c, 0, sizeof c);
    for (int i = 0; i < 3; i++)
        ys[i] = (struct cmr__chart_year){
            .year = 2022 + i, .remaining = 3.0, .has_remaining = true};
    snprintf(c.title, sizeof c.title, "%s", "Somalia-like");
    c.years = ys;
    c.nyears = 3;
    c.as_of_year = 2024.999;
    c.start_remaining = 3.1;
    c.remaining = 3.0;
    c.p10 = 2099.0;
    c.p50 = 2114.0;
    c.p90 = NAN;
    c.deadline = 2026.17;
    c.requested = 2030.17;
    c.eif = 2016.1;
    return c;
}

static void burndown_fan_stays_inside_the_plot_frame(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr__chart_year ys[3];
    struct cmr__chart c = far_fan_chart(ys);
    const char *png = scratch_path("far-fan.png");
    assert_status_ok(ctx, cmr__render_chart(ctx, &c, png, 1600, 1000));
    struct img m = load(png);
    /* the plot frame: x from 80 to W - 210; the legend from W - 190 */
    int right = m.w - 210;
    /* the fan (alpha 0.25 over white) and the median are in the frame */
    double fan[3] = {over_white(0.27, 0.25), over_white(0.46, 0.25),
                     over_white(0.71, 0.25)};
    assert_true(count(&m, 80, 100, right, m.h - 80, fan[0], fan[1], fan[2],
                      0.02, NULL) > 1000);
    /* and neither is anywhere right of it: not between the frame and the
     * legend, not below the legend's swatches, not at the image's edge */
    const double *col[2] = {fan, (const double[3]){0.27, 0.46, 0.71}};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(count(&m, right + 2, 0, right + 18, m.h, col[k][0],
                               col[k][1], col[k][2], 0.03, NULL),
                         0);
        assert_int_equal(count(&m, right + 2, 300, m.w, m.h, col[k][0],
                               col[k][1], col[k][2], 0.03, NULL),
                         0);
    }
    cairo_surface_destroy(m.s);
}

static void no_completion_note_keeps_clear_of_the_deadline(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr__chart_year ys[3];
    struct cmr__chart c = far_fan_chart(ys);
    /* Lao PDR's and Chad's case: no completion at all, the deadline months
     * after the as-of date */
    c.p10 = c.p50 = c.p90 = NAN;
    c.deadline = 2025.58;
    c.requested = NAN;
    c.eif = 2010.6;
    const char *png = scratch_path("no-completion.png");
    assert_status_ok(ctx, cmr__render_chart(ctx, &c, png, 1600, 1000));
    struct img m = load(png);
    int right = m.w - 210, box[4];
    /* the deadline's red line, below its label */
    assert_true(count(&m, 80, 300, right, m.h - 100, 0.75, 0.05, 0.05, 0.05,
                      box) > 100);
    assert_true(box[2] - box[0] < 6);
    /* the grey note is drawn, and not across the line */
    assert_true(count(&m, 80, 200, right, m.h - 100, 0.45, 0.45, 0.45, 0.1,
                      NULL) > 200);
    assert_int_equal(count(&m, box[0] - 3, 120, box[2] + 4, m.h - 100, 0.45,
                           0.45, 0.45, 0.1, NULL),
                     0);
    cairo_surface_destroy(m.s);
}

static int file_has(const char *path, const char *needle, size_t *count_out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = '\0';
    fclose(f);
    size_t c = 0;
    for (const char *p = b; (p = strstr(p, needle)); p += strlen(needle))
        c++;
    if (count_out)
        *count_out = c;
    free(b);
    return c > 0;
}

static void report_pages_csv_pdf_and_a_browser_screenshot(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", scratch_path("report"));
    struct cmr_report_opts o = {.at = "2024-12-31",
                                .forecast = {.runs = 1000, .seed = 7}};
    assert_status_ok(ctx, cmr_report_write(ctx, s, &o, dir));
    cmr_store_close(s);
    char p[4200];
    snprintf(p, sizeof p, "%s/index.html", dir);
    assert_true(file_has(p, "<svg", NULL));
    assert_true(file_has(p, "Lao PDR", NULL));
    /* The settings the forecast ran with, as run. */
    assert_true(file_has(p,
                         "Monte Carlo over the last 3 years, 1000 runs, "
                         "seed 7",
                         NULL));
    /* Every SVG id is prefixed, so the images' glyph ids do not clash. */
    size_t bare = 0;
    file_has(p, "id=\"glyph", &bare);
    assert_int_equal(bare, 0);
    assert_true(file_has(p, "id=\"all-glyph", NULL));
    snprintf(p, sizeof p, "%s/LAO.html", dir);
    assert_true(file_has(p, "Article 4.6 (d)-(f)", NULL));
    assert_true(file_has(p, "id=\"LAO-map-", NULL));
    assert_true(file_has(p, "id=\"LAO-burn-", NULL));
    assert_true(file_has(p, "window 3 years, 1000 runs, seed 7", NULL));
    assert_true(
        file_has(p, "method montecarlo, window 3, runs 1000, seed 7", NULL));
    snprintf(p, sizeof p, "%s/LAO-art4-6.csv", dir);
    assert_true(file_has(p, "LAO,remaining,4.6(f),4078827.06", NULL));
    /* the rows add up: closed without release has its own, and what is
     * reported apart too */
    assert_true(
        file_has(p, "LAO,closed without release since EIF,-,0.00", NULL));
    assert_true(
        file_has(p, "LAO,apart: released on or before EIF,-,0.00", NULL));
    assert_true(
        file_has(p, "LAO,apart: closed without release by EIF,-,0.00", NULL));
    assert_true(file_has(p, "LAO,of the added: land found again,-,0.00", NULL));
    snprintf(p, sizeof p, "%s/LAO-release-by-year.csv", dir);
    assert_true(
        file_has(p, "synthetic,closed_without_release_m2,period", NULL));
    assert_true(file_has(
        p, "LAO,2019,2330861.34,0.00,0.00,0.00,12,0,0.00,since EIF", NULL));
    snprintf(p, sizeof p, "%s/LAO-contaminated-areas.csv", dir);
    assert_true(file_has(p, "LA-VI", NULL));
    snprintf(p, sizeof p, "%s/report.pdf", dir);
    assert_true(file_has(p, "%PDF", NULL));
    /* Headless Chromium renders the page (the browser comes with
     * scripts/test.sh's packages). */
    char cmd[16384], shot[4200];
    snprintf(shot, sizeof shot, "%s/index.png", dir);
    snprintf(cmd, sizeof cmd,
             "chromium --headless --no-sandbox --disable-gpu --disable-quic "
             "--no-first-run --disable-background-networking "
             "--disable-component-update --disable-sync "
             "--user-data-dir=%s/chromium --window-size=1300,1500 "
             "--screenshot=%s file://%s/index.html >/dev/null 2>&1",
             dir, shot, dir);
    assert_int_equal(system(cmd), 0);
    struct img m = load(shot);
    assert_int_equal(m.w, 1300);
    /* dark text near the top (the title), and the table's header fill */
    assert_true(count(&m, 0, 0, m.w, 120, 0.13, 0.13, 0.13, 0.08, NULL) > 500);
    assert_true(count(&m, 0, 0, m.w, m.h, 0.933, 0.949, 0.965, 0.01, NULL) >
                1000);
    cairo_surface_destroy(m.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(map_png_shows_hazards_legend_scale_bar),
        cmocka_unit_test(map_draws_hazards_without_contamination),
        cmocka_unit_test(scale_bar_hides_no_hazard),
        cmocka_unit_test(state_without_records_says_so),
        cmocka_unit_test(map_of_all_states_and_other_formats),
        cmocka_unit_test(map_of_all_states_titled_with_the_date_drawn),
        cmocka_unit_test(charts_show_history_deadline_and_methods),
        cmocka_unit_test(release_legend_lists_only_the_kinds_drawn),
        cmocka_unit_test(release_chart_without_release_says_so),
        cmocka_unit_test(burndown_says_unknown_where_the_forecast_does),
        cmocka_unit_test(burndown_names_the_method_it_ran),
        cmocka_unit_test(extended_deadline_drawn_grey_and_labelled),
        cmocka_unit_test(deadline_labels_stay_in_the_plot_frame),
        cmocka_unit_test(labels_keep_clear_of_the_history_line),
        cmocka_unit_test(burndown_fan_stays_inside_the_plot_frame),
        cmocka_unit_test(no_completion_note_keeps_clear_of_the_deadline),
        cmocka_unit_test(report_pages_csv_pdf_and_a_browser_screenshot),
    };
    int rc =
        cmocka_run_group_tests_name("render", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
