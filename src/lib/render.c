/* SPDX-License-Identifier: MIT */
/* The Cairo and Pango bridge: draws map and chart scenes to PNG, PDF or
 * SVG from one code path, and SVG into memory for HTML pages (with ids made
 * unique per image, since Cairo names its glyphs and clips the same way in
 * every SVG). The only file that includes cairo.h and pango. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "scene.h"

/* ---- loading Cairo and Pango ---- */

/* Cairo and Pango are loaded when first needed, as GDAL is (source.c):
 * with their thirty libraries (fontconfig, freetype, harfbuzz, X11's and
 * more) they cost some 6 ms in every run, and only maps, charts and the
 * report draw. Their functions are called through this table, typed by
 * their own headers, from the library pangocairo (which brings the rest):
 * the file built against, else the one of its soname. */
#define CMR_PC_FUNCS(X)                                                        \
    X(cairo_arc)                                                               \
    X(cairo_clip)                                                              \
    X(cairo_close_path)                                                        \
    X(cairo_create)                                                            \
    X(cairo_destroy)                                                           \
    X(cairo_fill)                                                              \
    X(cairo_fill_preserve)                                                     \
    X(cairo_image_surface_create)                                              \
    X(cairo_line_to)                                                           \
    X(cairo_move_to)                                                           \
    X(cairo_new_path)                                                          \
    X(cairo_paint)                                                             \
    X(cairo_pdf_surface_create)                                                \
    X(cairo_rectangle)                                                         \
    X(cairo_restore)                                                           \
    X(cairo_save)                                                              \
    X(cairo_scale)                                                             \
    X(cairo_set_dash)                                                          \
    X(cairo_set_fill_rule)                                                     \
    X(cairo_set_line_width)                                                    \
    X(cairo_set_source_rgb)                                                    \
    X(cairo_set_source_rgba)                                                   \
    X(cairo_show_page)                                                         \
    X(cairo_status_to_string)                                                  \
    X(cairo_stroke)                                                            \
    X(cairo_surface_destroy)                                                   \
    X(cairo_surface_finish)                                                    \
    X(cairo_surface_status)                                                    \
    X(cairo_surface_write_to_png)                                              \
    X(cairo_svg_surface_create)                                                \
    X(cairo_svg_surface_create_for_stream)                                     \
    X(cairo_translate)                                                         \
    X(g_object_unref)                                                          \
    X(pango_cairo_create_layout)                                               \
    X(pango_cairo_layout_path)                                                 \
    X(pango_cairo_show_layout)                                                 \
    X(pango_font_description_free)                                             \
    X(pango_font_description_from_string)                                      \
    X(pango_font_description_set_absolute_size)                                \
    X(pango_layout_get_pixel_size)                                             \
    X(pango_layout_set_font_description)                                       \
    X(pango_layout_set_text)                                                   \
    X(pango_layout_set_width)                                                  \
    X(pango_layout_set_wrap)

static struct {
#define X(f) __typeof__(f) *f;
    CMR_PC_FUNCS(X)
#undef X
} pc;

static once_flag pc_once = ONCE_FLAG_INIT;
static struct cmr__lazy_lib pc_lib = {
    CMR_PANGOCAIRO_PATH, CMR_PANGOCAIRO_SONAME, "Pango/Cairo", NULL, ""};

static void pc_do_load(void)
{
    if (!cmr__lazy_open(&pc_lib))
        return;
#define X(f)                                                                   \
    if (!cmr__lazy_sym(&pc_lib, #f, &pc.f, sizeof pc.f))                       \
        return;
    CMR_PC_FUNCS(X)
#undef X
}

/* Loads Cairo and Pango (once per process); CMR_EINTERNAL naming the
 * library when they cannot be. */
static enum cmr_status need_pc(struct cmr_ctx *ctx)
{
    call_once(&pc_once, pc_do_load);
    if (pc_lib.handle)
        return CMR_OK;
    return cmr__error(ctx, CMR_EINTERNAL,
                      "Cairo and Pango are needed to draw and cannot be "
                      "loaded: %s",
                      pc_lib.failure);
}

enum cmr__fmt cmr__fmt_of(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && cmr__streq_ci(path + n - 4, ".png"))
        return FMT_PNG;
    if (n > 4 && cmr__streq_ci(path + n - 4, ".pdf"))
        return FMT_PDF;
    if (n > 4 && cmr__streq_ci(path + n - 4, ".svg"))
        return FMT_SVG;
    return FMT_BAD;
}

/* ---- colours ---- */

struct rgb {
    double r, g, b;
};

static const struct rgb style_rgb[ST_NSTYLES] = {
    {0.937, 0.541, 0.384}, /* SHA: orange */
    {0.698, 0.094, 0.169}, /* CHA: dark red */
    {0.102, 0.596, 0.314}, /* cleared: green */
    {0.651, 0.851, 0.416}, /* reduced: light green */
    {0.596, 0.306, 0.639}, /* cancelled: purple (not the provinces' blues) */
};
static const char *const style_name[ST_NSTYLES] = {
    "SHA (suspected)", "CHA (confirmed)", "cleared", "reduced by TS",
    "cancelled by NTS"};
/* Province choropleth, ColorBrewer Blues 5 (light to dark); light enough
 * that red hazards and green releases stand out on every class. */
static const struct rgb choro[5] = {{0.969, 0.984, 1.000},
                                    {0.871, 0.922, 0.969},
                                    {0.776, 0.859, 0.937},
                                    {0.620, 0.792, 0.882},
                                    {0.420, 0.682, 0.839}};
static const struct rgb LOCATOR = {0.031, 0.318, 0.612};

static void set(cairo_t *cr, struct rgb c, double a)
{
    pc.cairo_set_source_rgba(cr, c.r, c.g, c.b, a);
}

/* ---- text ---- */

enum { LEFT, CENTER, RIGHT };

/* A layout of s in DejaVu Sans (bold) at size, wrapped at maxw when
 * maxw > 0; the caller unrefs it. */
static PangoLayout *layout(cairo_t *cr, const char *s, double size, bool bold,
                           double maxw)
{
    PangoLayout *l = pc.pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pc.pango_font_description_from_string(
        bold ? "DejaVu Sans Bold" : "DejaVu Sans");
    pc.pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pc.pango_layout_set_font_description(l, fd); /* (copies it) */
    pc.pango_font_description_free(fd);
    if (maxw > 0) {
        pc.pango_layout_set_width(l, (int)(maxw * PANGO_SCALE));
        pc.pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    }
    pc.pango_layout_set_text(l, s, -1);
    return l;
}

/* The width and height text() would give s, without drawing it. */
static void measure(cairo_t *cr, const char *s, double size, bool bold,
                    double maxw, double *w, double *h)
{
    PangoLayout *l = layout(cr, s, size, bold, maxw);
    int pw, ph;
    pc.pango_layout_get_pixel_size(l, &pw, &ph);
    *w = pw;
    *h = ph;
    pc.g_object_unref(l);
}

/* Draws text with its top at y; returns its width and height in *w, *h. */
static void text(cairo_t *cr, double x, double y, const char *s, double size,
                 bool bold, int align, struct rgb c, double maxw, double *w,
                 double *h)
{
    PangoLayout *l = layout(cr, s, size, bold, maxw);
    int pw, ph;
    pc.pango_layout_get_pixel_size(l, &pw, &ph);
    double dx = align == CENTER ? -pw / 2.0 : align == RIGHT ? -pw : 0;
    pc.cairo_move_to(cr, x + dx, y);
    set(cr, c, 1);
    pc.pango_cairo_show_layout(cr, l);
    if (w)
        *w = pw;
    if (h)
        *h = ph;
    pc.g_object_unref(l);
}

static const struct rgb BLACK = {0.1, 0.1, 0.1}, GREY = {0.45, 0.45, 0.45},
                        RED = {0.75, 0.05, 0.05}, WHITE = {1, 1, 1},
                        SUPERSEDED = {0.5, 0.5, 0.5}; /* an old deadline */

/* ---- map geometry ---- */

struct view {
    double s, cx, cy, fx, fy, fw, fh;
};

static void to_px(const struct view *v, double x, double y, double *px,
                  double *py)
{
    *px = v->fx + v->fw / 2 + (x - v->cx) * v->s;
    *py = v->fy + v->fh / 2 - (y - v->cy) * v->s;
}

static struct view fit(const double box[4], double fx, double fy, double fw,
                       double fh, double margin)
{
    struct view v;
    double bw = fmax(box[2] - box[0], 1e-9), bh = fmax(box[3] - box[1], 1e-9);
    v.s = fmin(fw / bw, fh / bh) * margin;
    v.cx = (box[0] + box[2]) / 2;
    v.cy = (box[1] + box[3]) / 2;
    v.fx = fx;
    v.fy = fy;
    v.fw = fw;
    v.fh = fh;
    return v;
}

static void path(cairo_t *cr, const struct view *v, const struct cmr__shape *s)
{
    for (size_t r = 0; r < s->r.nrings; r++) {
        for (size_t i = s->r.start[r]; i < s->r.start[r + 1]; i++) {
            double px, py;
            to_px(v, s->r.xy[2 * i], s->r.xy[2 * i + 1], &px, &py);
            if (i == s->r.start[r])
                pc.cairo_move_to(cr, px, py);
            else
                pc.cairo_line_to(cr, px, py);
        }
        pc.cairo_close_path(cr);
    }
}

/* Fills a shape; one smaller than min_px across is drawn as a dot of that
 * size, so small hazards stay visible at country scale. */
static void fill_shape(cairo_t *cr, const struct view *v,
                       const struct cmr__shape *s, struct rgb c, double a,
                       double min_px)
{
    double w = (s->box[2] - s->box[0]) * v->s,
           h = (s->box[3] - s->box[1]) * v->s;
    if (w < min_px && h < min_px) {
        double px, py;
        to_px(v, (s->box[0] + s->box[2]) / 2, (s->box[1] + s->box[3]) / 2, &px,
              &py);
        pc.cairo_arc(cr, px, py, min_px / 2, 0, 2 * G_PI);
        set(cr, c, a);
        pc.cairo_fill_preserve(cr);
        pc.cairo_set_source_rgba(cr, 0, 0, 0, 0.5);
        pc.cairo_set_line_width(cr, 0.6);
        pc.cairo_stroke(cr);
        return;
    }
    pc.cairo_new_path(cr);
    path(cr, v, s);
    pc.cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    set(cr, c, a);
    pc.cairo_fill_preserve(cr);
    pc.cairo_set_source_rgba(cr, c.r * 0.6, c.g * 0.6, c.b * 0.6, 0.9);
    pc.cairo_set_line_width(cr, 0.5);
    pc.cairo_stroke(cr);
}

static void stroke_shape(cairo_t *cr, const struct view *v,
                         const struct cmr__shape *s, struct rgb c, double w)
{
    pc.cairo_new_path(cr);
    path(cr, v, s);
    set(cr, c, 1);
    pc.cairo_set_line_width(cr, w);
    pc.cairo_stroke(cr);
}

static int class_of(const struct cmr__map *m, double v)
{
    if (v <= 0 || m->nclasses == 0)
        return 0;
    for (int c = 1; c <= m->nclasses; c++)
        if (v <= m->classes[c])
            return c;
    return m->nclasses;
}

static void swatch(cairo_t *cr, double x, double y, struct rgb c, double a)
{
    pc.cairo_rectangle(cr, x, y, 18, 13);
    set(cr, c, a);
    pc.cairo_fill_preserve(cr);
    pc.cairo_set_source_rgba(cr, 0, 0, 0, 0.6);
    pc.cairo_set_line_width(cr, 0.7);
    pc.cairo_stroke(cr);
}

/* A scale bar of a round length, "0 [bar] 200 km" on one line with its top
 * at y, from x, at most maxw wide (and about a fifth of the frame): drawn
 * on the page outside the State's frame, never over the State, so that it
 * hides nothing the map shows (a white box in the frame's corner hid a
 * hazard at Somalia's southern tip). Without a scale, nothing. */
static void scale_bar(cairo_t *cr, const struct view *v, double km_per_unit,
                      double x, double y, double maxw)
{
    if (!(v->s > 0) || !isfinite(v->s) || !(km_per_unit > 0))
        return;
    double zw, th, lw, lh;
    measure(cr, "0", 11, false, 0, &zw, &th);
    measure(cr, "20000 km", 11, false, 0, &lw, &lh); /* the widest label */
    double room = fmin(v->fw * 0.22, maxw - zw - lw - 12);
    if (!(room >= 8))
        return;
    double target = room / v->s * km_per_unit; /* km in that room */
    double mag = pow(10, floor(log10(target)));
    double len = target / mag >= 5   ? 5 * mag
                 : target / mag >= 2 ? 2 * mag
                                     : mag;
    double px = len / km_per_unit * v->s;
    if (!isfinite(px) || px <= 0)
        return;
    text(cr, x, y, "0", 11, false, LEFT, BLACK, 0, NULL, NULL);
    double bx = x + zw + 5, by = y + th / 2 - 3.5;
    for (int i = 0; i < 4; i++) {
        pc.cairo_rectangle(cr, bx + i * px / 4, by, px / 4, 7);
        if (i % 2)
            pc.cairo_set_source_rgb(cr, 1, 1, 1);
        else
            pc.cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        pc.cairo_fill_preserve(cr);
        pc.cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        pc.cairo_set_line_width(cr, 1);
        pc.cairo_stroke(cr);
    }
    char buf[32];
    snprintf(buf, sizeof buf, "%g km", len);
    text(cr, bx + px + 5, y, buf, 11, false, LEFT, BLACK, 0, NULL, NULL);
}

/* A north arrow with its "N" to its left, right-aligned at x, its top at
 * y, 20 high: under the frame, as the scale bar, so it hides nothing. */
static void north_arrow(cairo_t *cr, double x, double y)
{
    double ax = x - 7;
    pc.cairo_move_to(cr, ax, y);
    pc.cairo_line_to(cr, ax - 7, y + 20);
    pc.cairo_line_to(cr, ax, y + 15);
    pc.cairo_line_to(cr, ax + 7, y + 20);
    pc.cairo_close_path(cr);
    pc.cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    pc.cairo_fill(cr);
    text(cr, ax - 11, y + 1, "N", 14, true, RIGHT, BLACK, 0, NULL, NULL);
}

struct label_box {
    double x0, y0, x1, y1;
};

static void labels(cairo_t *cr, const struct view *v, const struct cmr__map *m)
{
    struct label_box placed[256];
    size_t np = 0;
    /* Larger provinces first: they have room. */
    size_t order[256], n = m->nprov < 256 ? m->nprov : 256;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            const struct cmr__shape *a = &m->prov[order[j]],
                                    *b = &m->prov[order[j - 1]];
            double aa = (a->box[2] - a->box[0]) * (a->box[3] - a->box[1]),
                   ab = (b->box[2] - b->box[0]) * (b->box[3] - b->box[1]);
            if (aa <= ab)
                break;
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t k = 0; k < n; k++) {
        const struct cmr__shape *p = &m->prov[order[k]];
        if (!p->name || !p->name[0])
            continue;
        double px, py;
        to_px(v, p->lx, p->ly, &px, &py);
        PangoLayout *l = pc.pango_cairo_create_layout(cr);
        PangoFontDescription *fd =
            pc.pango_font_description_from_string("DejaVu Sans");
        pc.pango_font_description_set_absolute_size(fd, 11 * PANGO_SCALE);
        pc.pango_layout_set_font_description(l, fd);
        pc.pango_layout_set_text(l, p->name, -1);
        int w, h;
        pc.pango_layout_get_pixel_size(l, &w, &h);
        struct label_box b = {px - w / 2.0 - 2, py - h / 2.0 - 1,
                              px + w / 2.0 + 2, py + h / 2.0 + 1};
        bool clash = b.x0 < v->fx || b.x1 > v->fx + v->fw || b.y0 < v->fy ||
                     b.y1 > v->fy + v->fh;
        for (size_t i = 0; i < np && !clash; i++)
            clash = !(b.x1 < placed[i].x0 || b.x0 > placed[i].x1 ||
                      b.y1 < placed[i].y0 || b.y0 > placed[i].y1);
        if (!clash && np < 256) {
            placed[np++] = b;
            /* a white halo keeps the name readable over any fill */
            pc.cairo_move_to(cr, px - w / 2.0, py - h / 2.0);
            pc.pango_cairo_layout_path(cr, l);
            pc.cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
            pc.cairo_set_line_width(cr, 3);
            pc.cairo_stroke(cr);
            pc.cairo_move_to(cr, px - w / 2.0, py - h / 2.0);
            pc.cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
            pc.pango_cairo_show_layout(cr, l);
        }
        pc.pango_font_description_free(fd);
        pc.g_object_unref(l);
    }
}

static void locator(cairo_t *cr, const struct cmr__map *m, double x, double y,
                    double w, double h)
{
    pc.cairo_save(cr);
    pc.cairo_rectangle(cr, x, y, w, h);
    pc.cairo_set_source_rgb(cr, 0.90, 0.94, 0.97);
    pc.cairo_fill_preserve(cr);
    pc.cairo_clip(cr);
    /* degrees, longitude shrunk by the cosine of the latitude */
    double lat = (m->loc_box[1] + m->loc_box[3]) / 2;
    double k = cos(lat * G_PI / 180);
    double box[4] = {m->loc_box[0] * k, m->loc_box[1], m->loc_box[2] * k,
                     m->loc_box[3]};
    struct view v = fit(box, x, y, w, h, 1.0);
    for (size_t i = 0; i < m->nnb; i++) {
        struct cmr__shape s = m->nb[i];
        double *xy = cmr__malloc(2 * s.r.npts * sizeof *xy);
        if (!xy)
            continue;
        for (size_t j = 0; j < s.r.npts; j++) {
            xy[2 * j] = s.r.xy[2 * j] * k;
            xy[2 * j + 1] = s.r.xy[2 * j + 1];
        }
        s.r.xy = xy;
        pc.cairo_new_path(cr);
        path(cr, &v, &s);
        pc.cairo_set_source_rgb(cr, 0.93, 0.93, 0.90);
        pc.cairo_fill_preserve(cr);
        pc.cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
        pc.cairo_set_line_width(cr, 0.6);
        pc.cairo_stroke(cr);
        cmr__free(xy);
    }
    struct cmr__shape s = m->loc_state;
    double *xy = cmr__malloc(2 * s.r.npts * sizeof *xy);
    if (xy) {
        for (size_t j = 0; j < s.r.npts; j++) {
            xy[2 * j] = s.r.xy[2 * j] * k;
            xy[2 * j + 1] = s.r.xy[2 * j + 1];
        }
        s.r.xy = xy;
        pc.cairo_new_path(cr);
        path(cr, &v, &s);
        set(cr, LOCATOR, 1);
        pc.cairo_fill(cr);
        cmr__free(xy);
    }
    pc.cairo_restore(cr);
    pc.cairo_rectangle(cr, x, y, w, h);
    pc.cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    pc.cairo_set_line_width(cr, 1);
    pc.cairo_stroke(cr);
}

static void synthetic_banner(cairo_t *cr, double x, double y)
{
    double w, h;
    text(cr, x + 8, y + 4,
         "SYNTHETIC DATA: generated geometry, not a national database", 14,
         true, LEFT, WHITE, 0, &w, &h);
    pc.cairo_rectangle(cr, x, y, w + 16, h + 8);
    set(cr, RED, 1);
    pc.cairo_fill(cr);
    text(cr, x + 8, y + 4,
         "SYNTHETIC DATA: generated geometry, not a national database", 14,
         true, LEFT, WHITE, 0, NULL, NULL);
}

/* A white page with its title (size 22 for maps, 20 for charts), subtitle
 * and, for synthetic data, the banner; returns the y below them. */
static double page_head(cairo_t *cr, const char *title, const char *subtitle,
                        bool synthetic, double W, int size)
{
    pc.cairo_set_source_rgb(cr, 1, 1, 1);
    pc.cairo_paint(cr);
    double y = size - 6, th, sh;
    text(cr, 24, y, title, size, true, LEFT, BLACK, W - 48, NULL, &th);
    text(cr, 24, y + 4 + th, subtitle, size == 22 ? 14 : 13, false, LEFT, GREY,
         W - 48, NULL, &sh);
    double top = y + 14 + th + sh;
    if (synthetic) {
        synthetic_banner(cr, 24, top);
        top += 32;
    }
    return top;
}

static void draw_state(cairo_t *cr, const struct cmr__map *m,
                       const struct view *v, bool choropleth, bool detail)
{
    for (size_t i = 0; i < m->nprov; i++) {
        pc.cairo_new_path(cr);
        path(cr, v, &m->prov[i]);
        pc.cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        if (choropleth)
            set(cr, choro[class_of(m, m->prov[i].value)], 1);
        else
            pc.cairo_set_source_rgb(cr, 0.97, 0.97, 0.95);
        pc.cairo_fill_preserve(cr);
        pc.cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
        pc.cairo_set_line_width(cr, detail ? 0.8 : 0.4);
        pc.cairo_stroke(cr);
    }
    stroke_shape(cr, v, &m->outline, BLACK, detail ? 1.6 : 0.9);
    double dot = detail ? 7 : 4;
    for (size_t i = 0; i < m->nhaz; i++)
        fill_shape(cr, v, &m->haz[i], style_rgb[m->haz[i].style], 0.85, dot);
    /* Released land on top, as smaller dots where it is tiny, so a hazard's
     * dot still shows around it. */
    for (size_t i = 0; detail && i < m->nrel; i++)
        fill_shape(cr, v, &m->rel[i], style_rgb[m->rel[i].style], 0.9,
                   dot * 0.6);
}

/* Text drawn (draw) or only measured, its top at y; its height. */
static double put(cairo_t *cr, bool draw, double x, double y, const char *s,
                  double size, bool bold, struct rgb c, double maxw)
{
    double w, h;
    if (draw)
        text(cr, x, y, s, size, bold, LEFT, c, maxw, &w, &h);
    else
        measure(cr, s, size, bold, maxw, &w, &h);
    return h;
}

/* The single map's legend from y, pw wide: the hazards by class, the
 * released land by method, the provinces' classes and the note on dots;
 * drawn when draw, else only measured. Its height. */
static double map_legend(cairo_t *cr, const struct cmr__map *m, double px,
                         double y0, double pw, bool draw)
{
    double y = y0;
    y += put(cr, draw, px, y, "Remaining hazards", 14, true, BLACK, pw) + 6;
    for (int s = ST_CHA; s >= ST_SHA; s--) {
        if (draw)
            swatch(cr, px, y, style_rgb[s], 0.85);
        y += fmax(20, put(cr, draw, px + 26, y - 1, style_name[s], 12, false,
                          BLACK, pw - 26) +
                          4);
    }
    y += 8;
    y += put(cr, draw, px, y, "Released land", 14, true, BLACK, pw) + 6;
    for (int s = ST_CLEARED; s <= ST_CANCELLED; s++) {
        if (draw)
            swatch(cr, px, y, style_rgb[s], 0.9);
        y += fmax(20, put(cr, draw, px + 26, y - 1, style_name[s], 12, false,
                          BLACK, pw - 26) +
                          4);
    }
    y += 8;
    y += put(cr, draw, px, y, "Remaining area by province (km2)", 14, true,
             BLACK, pw) +
         6;
    for (int c = 0; c <= m->nclasses; c++) {
        char buf[64];
        if (c == 0)
            snprintf(buf, sizeof buf, "%s",
                     m->no_records ? "no records by this date" : "none");
        else
            snprintf(buf, sizeof buf, "%.3g to %.3g", m->classes[c - 1] / 1e6,
                     m->classes[c] / 1e6);
        if (draw)
            swatch(cr, px, y, choro[c], 1);
        y += fmax(
            20,
            put(cr, draw, px + 26, y - 1, buf, 12, false, BLACK, pw - 26) + 4);
    }
    y += 8;
    y += put(cr, draw, px, y,
             "Hazards smaller than a few pixels are drawn as dots so they "
             "stay visible.",
             11, false, GREY, pw);
    return y - y0;
}

static void draw_map(cairo_t *cr, const struct cmr__map *m, double W, double H)
{
    double top = page_head(cr, m->title, m->subtitle, m->synthetic, W, 22);
    /* the credits at the foot, as tall as they wrap */
    double cw, ch;
    measure(cr, m->credits, 11, false, W - 48, &cw, &ch);
    double credit_h = fmax(40, ch + 14);
    /* under the frame, on the page: the scale bar and the north arrow */
    double foot = 30;
    double fx = 24, fy = top + 6, fw = W * 0.70,
           fh = H - fy - credit_h - 10 - foot;
    pc.cairo_rectangle(cr, fx, fy, fw, fh);
    pc.cairo_set_source_rgb(cr, 0.90, 0.94, 0.97); /* water and neighbours */
    pc.cairo_fill(cr);
    pc.cairo_save(cr);
    pc.cairo_rectangle(cr, fx, fy, fw, fh);
    pc.cairo_clip(cr);
    struct view v = fit(m->box, fx, fy, fw, fh, 0.94);
    draw_state(cr, m, &v, true, true);
    labels(cr, &v, m);
    pc.cairo_restore(cr);
    pc.cairo_rectangle(cr, fx, fy, fw, fh);
    pc.cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    pc.cairo_set_line_width(cr, 1);
    pc.cairo_stroke(cr);
    scale_bar(cr, &v, m->km_per_unit, fx, fy + fh + 8, fw - 60);
    north_arrow(cr, fx + fw, fy + fh + 6);
    /* The right-hand panel, as tall as the frame and its foot: the
     * legend, measured, and above it the locator in the room left (at
     * most 0.8 of the panel's width and a third of the frame; none where
     * too little is left for one to show anything). */
    static const char caption[] =
        "Locator: the State (dark) among its neighbours";
    double px = fx + fw + 24, pw = W - px - 24, y = fy;
    double leg_h = map_legend(cr, m, px, y, pw, false), cap_w, cap_h;
    measure(cr, caption, 11, false, pw, &cap_w, &cap_h);
    double lh =
        fmin(fmin(pw * 0.8, fh * 0.32), fh + foot - leg_h - cap_h - 4 - 14);
    if (lh >= 60) {
        locator(cr, m, px, y, pw, lh);
        text(cr, px, y + lh + 4, caption, 11, false, LEFT, GREY, pw, NULL,
             NULL);
        y += lh + 4 + cap_h + 14;
    }
    map_legend(cr, m, px, y, pw, true);
    text(cr, 24, H - credit_h + 4, m->credits, 11, false, LEFT, GREY, W - 48,
         NULL, NULL);
}

static void draw_multiples(cairo_t *cr, const struct cmr__map *m, double W,
                           double H)
{
    double top = page_head(cr, m->title, m->subtitle, m->synthetic, W, 22);
    /* legend line */
    double x = 24;
    for (int s = ST_CHA; s >= ST_SHA; s--) {
        double w;
        swatch(cr, x, top + 4, style_rgb[s], 0.85);
        text(cr, x + 24, top + 2, style_name[s], 12, false, LEFT, BLACK, 0, &w,
             NULL);
        x += 24 + w + 20;
    }
    top += 28;
    if (m->note[0]) { /* the States left out, and why */
        double nh;
        text(cr, 24, top, m->note, 13, true, LEFT, RED, W - 48, NULL, &nh);
        top += nh + 10;
    }
    double crw, crh; /* the credits, as tall as they wrap */
    measure(cr, m->credits, 11, false, W - 48, &crw, &crh);
    double credit_h = fmax(36, crh + 12);
    int cols = 5, rows = (int)((m->npanels + 4) / 5);
    if (rows < 1)
        rows = 1;
    double cw = (W - 48) / cols, ch = (H - top - credit_h) / rows;
    for (size_t i = 0; i < m->npanels; i++) {
        const struct cmr__map *p = &m->panels[i];
        double px = 24 + (double)(i % 5) * cw, py = top + (double)(i / 5) * ch;
        double t1, t2;
        text(cr, px + 6, py + 2, p->title, 14, true, LEFT, BLACK, cw - 12, NULL,
             &t1);
        text(cr, px + 6, py + 4 + t1, p->subtitle, 11, false, LEFT, GREY,
             cw - 12, NULL, &t2);
        /* the frame, and under it on the page the panel's scale bar */
        double foot = 22;
        double fy = py + 10 + t1 + t2, fh = ch - (fy - py) - 8 - foot;
        pc.cairo_save(cr);
        pc.cairo_rectangle(cr, px + 4, fy, cw - 8, fh);
        pc.cairo_clip(cr);
        struct view v = fit(p->box, px + 4, fy, cw - 8, fh, 0.92);
        draw_state(cr, p, &v, false, false);
        pc.cairo_restore(cr);
        pc.cairo_rectangle(cr, px + 4, fy, cw - 8, fh);
        pc.cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
        pc.cairo_set_line_width(cr, 0.8);
        pc.cairo_stroke(cr);
        /* Each panel is at its own scale: each has its own bar. */
        scale_bar(cr, &v, p->km_per_unit, px + 6, fy + fh + 4, cw - 12);
    }
    text(cr, 24, H - credit_h + 4, m->credits, 11, false, LEFT, GREY, W - 48,
         NULL, NULL);
}

/* ---- charts ---- */

static void axes_text(cairo_t *cr, double x, double y, const char *s, int align)
{
    text(cr, x, y, s, 11, false, align, GREY, 0, NULL, NULL);
}

static double nice_step(double range, int ticks)
{
    double raw = range / ticks, mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/* A vertical line's label at the top of the plot frame [fx, fx + fw], so
 * that it stays in the frame, clear of the legend: right of the line at
 * xl, on one line or wrapped to two; else in its short form (brief; NULL:
 * none) right of the line; else left of it in the one or the other form;
 * else the short form wrapped on the wider side. Its text, where and how
 * to draw it, and its size. */
struct label {
    const char *s;
    double x, wrap, w, h;
    int align;
};

static struct label place_label(cairo_t *cr, const char *full,
                                const char *brief, double xl, double fx,
                                double fw)
{
    double right = fx + fw - 3 - (xl + 4), left = xl - 4 - (fx + 3);
    struct label L = {.s = full, .x = xl + 4, .align = LEFT};
    double line;
    measure(cr, full, 11, true, 0, &L.w, &line);
    L.h = line;
    if (L.w <= right)
        return L;
    if (right >= 60) {
        measure(cr, full, 11, true, right, &L.w, &L.h);
        L.wrap = right;
        if (L.h < 2.5 * line && L.w <= right)
            return L;
        L.wrap = 0;
    }
    const char *form[2] = {brief ? brief : full, full};
    for (int i = 0; i < 3; i++) { /* short right, full left, short left */
        const char *s = form[i == 1];
        measure(cr, s, 11, true, 0, &L.w, &L.h);
        if (L.w <= (i ? left : right)) {
            L.s = s;
            L.align = i ? RIGHT : LEFT;
            L.x = i ? xl - 4 : xl + 4;
            return L;
        }
    }
    bool on_left = left > right;
    L.s = form[0];
    L.wrap = fmax(on_left ? left : right, 60);
    measure(cr, L.s, 11, true, L.wrap, &L.w, &L.h);
    L.align = on_left ? RIGHT : LEFT;
    L.x = on_left ? xl - 4 : xl + 4;
    return L;
}

/* The least and greatest y of the polyline (x[i], y[i]), x increasing,
 * over xa <= x <= xb; false where it does not pass there. */
static bool line_span(const double *x, const double *y, size_t n, double xa,
                      double xb, double *lo, double *hi)
{
    bool any = false;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i + 1 < n; i++) {
        double a = fmax(x[i], xa), b = fmin(x[i + 1], xb);
        if (a > b)
            continue;
        double dx = x[i + 1] - x[i];
        for (int e = 0; e < 2; e++) {
            double at = e ? b : a;
            double v = dx > 0 ? y[i] + (y[i + 1] - y[i]) * (at - x[i]) / dx
                              : (e ? y[i + 1] : y[i]);
            *lo = fmin(*lo, v);
            *hi = fmax(*hi, v);
        }
        any = true;
    }
    return any;
}

/* A burn-down's remaining area published, not the ledger's (a dot). */
static const struct rgb PUBLISHED = {0.0, 0.50, 0.50};

static void draw_chart(cairo_t *cr, const struct cmr__chart *c, double W,
                       double H)
{
    double top = page_head(cr, c->title, c->subtitle, c->synthetic, W, 20);
    /* the note under the plot: room for as many lines as it wraps to */
    double nw, nh;
    measure(cr, c->note, 11, false, W - 48, &nw, &nh);
    double note_h = fmax(44, nh + 14);
    double fx = 80, fy = top + 10, fw = W - fx - 210, fh = H - fy - note_h - 40;
    /* x range */
    double x0 = c->nyears ? c->years[0].year : floor(c->as_of_year);
    /* the burn-down from entry into force, when the history begins later
     * (the area stood still until its first year) */
    bool from_eif = c->kind == 0 && c->nyears && !isnan(c->eif) &&
                    c->eif < c->years[0].year && c->eif > x0 - 30;
    if (from_eif)
        x0 = floor(c->eif);
    double x1 = floor(c->as_of_year) + 1;
    if (c->kind == 0) {
        double ends[] = {c->p90, c->p50, c->p10, c->deadline, c->requested};
        for (int i = 0; i < 5; i++)
            if (!isnan(ends[i]) && ends[i] > x1 && ends[i] < c->as_of_year + 60)
                x1 = ceil(ends[i]) + 1;
        if (isnan(c->p90) && x1 < c->as_of_year + 10)
            x1 = floor(c->as_of_year) + 11;
    }
    /* y range */
    double ymin = 0, ymax = 0;
    for (size_t i = 0; i < c->nyears; i++) {
        const struct cmr__chart_year *y = &c->years[i];
        if (c->kind == 0) {
            ymax = fmax(fmax(ymax, y->remaining), c->start_remaining);
        } else {
            ymax = fmax(ymax, y->cleared + y->reduced + y->cancelled);
            ymin = fmin(ymin, -y->added);
        }
    }
    if (c->kind == 0)
        ymax = fmax(ymax, c->remaining);
    /* (area added and no release: room above the axis to say so, which
     * an axis along the frame's top would not show) */
    if (c->kind == 1 && ymax <= 0 && ymin < 0)
        ymax = -ymin / 4;
    /* (room above a published remaining area's dot: not on the frame) */
    if (c->kind == 0 && c->remaining_published && !isnan(c->remaining))
        ymax = fmax(ymax, c->remaining * 1.05);
    if (ymax <= 0 && ymin >= 0)
        ymax = 1;
    double step = nice_step(ymax - ymin, 6);
    ymax = ceil(ymax / step) * step;
    ymin = floor(ymin / step) * step;
#define X(v) (fx + ((v)-x0) / (x1 - x0) * fw)
#define Y(v) (fy + fh - ((v)-ymin) / (ymax - ymin) * fh)
    pc.cairo_set_line_width(cr, 0.6);
    for (double v = ymin; v <= ymax + step / 2; v += step) {
        pc.cairo_move_to(cr, fx, Y(v));
        pc.cairo_line_to(cr, fx + fw, Y(v));
        pc.cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        pc.cairo_stroke(cr);
        char buf[32];
        /* Below the axis are areas added: they are areas, so their
         * labels are positive (the legend says which side is which). */
        snprintf(buf, sizeof buf, "%g", fabs(v) < step / 1000 ? 0 : fabs(v));
        axes_text(cr, fx - 6, Y(v) - 7, buf, RIGHT);
    }
    double xs = nice_step(x1 - x0, 10);
    if (xs < 1)
        xs = 1;
    /* Bars stand for whole years: their labels go under their middles. */
    double off = c->kind == 1 ? 0.5 : 0;
    for (double v = ceil(x0 / xs) * xs; v + off <= x1; v += xs) {
        char buf[16];
        snprintf(buf, sizeof buf, "%d", (int)v);
        axes_text(cr, X(v + off), fy + fh + 6, buf, CENTER);
        pc.cairo_move_to(cr, X(v + off), fy + fh);
        pc.cairo_line_to(cr, X(v + off), fy + fh + 4);
        pc.cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
        pc.cairo_stroke(cr);
    }
    text(cr, 14, fy - 2, "km2", 12, true, LEFT, BLACK, 0, NULL, NULL);
    pc.cairo_rectangle(cr, fx, fy, fw, fh);
    pc.cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    pc.cairo_set_line_width(cr, 1);
    pc.cairo_stroke(cr);
    double lx = fx + fw + 20, ly = fy;
    if (c->kind == 0) {
        /* the fan: P10 to P90 completion, from the as-of remaining area.
         * Its dates may lie far past the axis, or never come (then the
         * P90 edge stays level at the remaining area): the fan and the
         * median are drawn whole and clipped to the plot frame. */
        double t = c->as_of_year, r = c->remaining;
        pc.cairo_save(cr);
        pc.cairo_rectangle(cr, fx, fy, fw, fh);
        pc.cairo_clip(cr);
        if (!isnan(c->p10)) {
            pc.cairo_move_to(cr, X(t), Y(r));
            pc.cairo_line_to(cr, X(c->p10), Y(0));
            if (isnan(c->p90)) {
                double end = fmax(x1, c->p10);
                pc.cairo_line_to(cr, X(end), Y(0));
                pc.cairo_line_to(cr, X(end), Y(r));
            } else {
                pc.cairo_line_to(cr, X(c->p90), Y(0));
            }
            pc.cairo_close_path(cr);
            pc.cairo_set_source_rgba(cr, 0.27, 0.46, 0.71, 0.25);
            pc.cairo_fill(cr);
        }
        if (!isnan(c->p50)) {
            pc.cairo_move_to(cr, X(t), Y(r));
            pc.cairo_line_to(cr, X(c->p50), Y(0));
            pc.cairo_set_source_rgb(cr, 0.27, 0.46, 0.71);
            pc.cairo_set_line_width(cr, 2.5);
            double dash[] = {8, 5};
            pc.cairo_set_dash(cr, dash, 2, 0);
            pc.cairo_stroke(cr);
            pc.cairo_set_dash(cr, NULL, 0, 0);
        }
        pc.cairo_restore(cr);
        /* history: from entry into force (or the first year's start);
         * its points kept (hx, hy, nhist) for the labels to keep clear of */
        enum { HMAX = 160 };
        double hx[HMAX], hy[HMAX];
        size_t nhist = 0;
        if (c->nyears) {
            if (from_eif && nhist < HMAX) {
                hx[nhist] = X(c->eif);
                hy[nhist++] = Y(c->start_remaining);
            }
            if (nhist < HMAX) {
                hx[nhist] = X(c->years[0].year);
                hy[nhist++] = Y(c->start_remaining);
            }
        }
        for (size_t i = 0; i < c->nyears && nhist < HMAX; i++) {
            double xv = c->years[i].year + 1; /* end of year */
            if (xv > t)
                xv = t;
            hx[nhist] = X(xv);
            hy[nhist++] = Y(c->years[i].remaining);
        }
        for (size_t i = 0; i < nhist; i++)
            (i ? pc.cairo_line_to : pc.cairo_move_to)(cr, hx[i], hy[i]);
        pc.cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        pc.cairo_set_line_width(cr, 2.5);
        pc.cairo_stroke(cr);
        for (size_t i = 0; i < c->nyears; i++) {
            double xv = fmin(c->years[i].year + 1, t);
            pc.cairo_arc(cr, X(xv), Y(c->years[i].remaining), 3, 0, 2 * G_PI);
            pc.cairo_fill(cr);
        }
        /* deadline, requested date and entry into force (before which the
         * history is release before the Convention bound the State). A
         * deadline extended at a meeting whose new date the data lacks is
         * no longer the deadline: grey, in long dashes, its label says so. */
        const double when[3] = {c->deadline, c->requested, c->eif};
        const char *what[3] = {c->deadline_label[0] ? c->deadline_label
                                                    : "Article 4 deadline",
                               "date requested", "entry into force"};
        struct rgb col[3] = {RED, {0.55, 0.25, 0.60}, GREY};
        double dash[3][2] = {{3, 3}, {3, 3}, {3, 3}};
        if (c->deadline_extended) {
            col[0] = SUPERSEDED;
            dash[0][0] = 10;
            dash[0][1] = 6;
        }
        bool shown[3];
        for (int k = 0; k < 3; k++) {
            shown[k] = !isnan(when[k]) && when[k] >= x0 && when[k] <= x1;
            if (!shown[k])
                continue;
            pc.cairo_move_to(cr, X(when[k]), fy);
            pc.cairo_line_to(cr, X(when[k]), fy + fh);
            set(cr, col[k], 1);
            pc.cairo_set_line_width(cr, 2);
            pc.cairo_set_dash(cr, dash[k], 2, 0);
            pc.cairo_stroke(cr);
            pc.cairo_set_dash(cr, NULL, 0, 0);
        }
        /* Their labels, over the lines, each on its row from the frame's
         * top, or below a label it would touch (see place_label). */
        double lab[3][4] = {{0}}; /* the labels' boxes: x0, y0, x1, y1 */
        for (int k = 0; k < 3; k++) {
            if (!shown[k])
                continue;
            struct label L = place_label(
                cr, what[k],
                k == 0 && c->deadline_short[0] ? c->deadline_short : NULL,
                X(when[k]), fx, fw);
            double a = L.align == RIGHT ? L.x - L.w : L.x, y = fy + 4 + 16 * k;
            for (bool moved = true; moved;) {
                moved = false;
                for (int j = 0; j < k; j++)
                    if (shown[j] && a < lab[j][2] + 4 &&
                        a + L.w > lab[j][0] - 4 && y < lab[j][3] &&
                        y + L.h > lab[j][1]) {
                        y = lab[j][3] + 2;
                        moved = true;
                    }
                /* nor over the history line: below it where it passes */
                double lo, hi;
                if (!moved &&
                    line_span(hx, hy, nhist, a - 2, a + L.w + 2, &lo, &hi) &&
                    y < hi + 4 && y + L.h > lo - 4 && hi + 6 + L.h < fy + fh) {
                    y = hi + 6;
                    moved = true;
                }
            }
            /* another line across it is cut there, so it stays legible */
            for (int j = 0; j < 3; j++)
                if (j != k && shown[j] && X(when[j]) > a - 2 &&
                    X(when[j]) < a + L.w + 2) {
                    pc.cairo_rectangle(cr, X(when[j]) - 3, y - 1, 6, L.h + 2);
                    set(cr, WHITE, 1);
                    pc.cairo_fill(cr);
                }
            text(cr, L.x, y, L.s, 11, true, L.align, col[k], L.wrap, NULL,
                 NULL);
            lab[k][0] = a;
            lab[k][1] = y;
            lab[k][2] = a + L.w;
            lab[k][3] = y + L.h;
        }
        if (isnan(c->p50)) {
            /* No line to draw: say so where the line would be, in the
             * widest stretch between the vertical lines right of the as-of
             * date, wrapped to it, so that the text crosses none, and below
             * their labels. */
            double lo = X(c->as_of_year), best_lo = lo, best_hi = lo;
            for (;;) {
                double hi = fx + fw;
                for (int k = 0; k < 3; k++)
                    if (shown[k] && X(when[k]) > lo && X(when[k]) < hi)
                        hi = X(when[k]);
                if (hi - lo > best_hi - best_lo) {
                    best_lo = lo;
                    best_hi = hi;
                }
                if (hi >= fx + fw)
                    break;
                lo = hi;
            }
            double below = fy + fh / 3; /* and below the labels there */
            for (int k = 0; k < 3; k++)
                if (shown[k] && lab[k][0] < best_hi && lab[k][2] > best_lo)
                    below = fmax(below, lab[k][3] + 16);
            /* (the forecast's reason where it has no completion date) */
            text(cr, best_lo + 12, below,
                 c->no_completion[0]
                     ? c->no_completion
                     : "no completion projected at the current pace",
                 13, true, LEFT, GREY, best_hi - best_lo - 24, NULL, NULL);
        }
        /* A remaining area published, not the ledger's: a dot at the
         * as-of date. */
        if (c->remaining_published && !isnan(c->remaining)) {
            pc.cairo_arc(cr, X(t), Y(r), 6, 0, 2 * G_PI);
            set(cr, PUBLISHED, 1);
            pc.cairo_fill(cr);
        }
        /* Only what is drawn is in the legend: the history, the published
         * remaining area, the projection (one line for a deterministic
         * method, the median of a Monte Carlo one) and the range. */
        const char *items[4];
        int kinds[4], nitems = 0;
        if (c->nyears) {
            kinds[nitems] = 0;
            items[nitems++] = "remaining (ledger)";
        }
        if (c->remaining_published && !isnan(c->remaining)) {
            kinds[nitems] = 3;
            items[nitems++] = c->remaining_label;
        }
        if (!isnan(c->p50)) {
            kinds[nitems] = 1;
            items[nitems++] =
                c->deterministic ? "projection" : "median projection (P50)";
        }
        if (!isnan(c->p10) && !c->deterministic) {
            kinds[nitems] = 2;
            items[nitems++] = "P10 to P90 range";
        }
        for (int k = 0; k < nitems; k++) {
            if (kinds[k] == 0)
                pc.cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            else if (kinds[k] == 1)
                pc.cairo_set_source_rgb(cr, 0.27, 0.46, 0.71);
            else if (kinds[k] == 2)
                pc.cairo_set_source_rgba(cr, 0.27, 0.46, 0.71, 0.25);
            else
                set(cr, PUBLISHED, 1);
            if (kinds[k] == 2) {
                pc.cairo_rectangle(cr, lx, ly + 2, 22, 12);
                pc.cairo_fill(cr);
            } else if (kinds[k] == 3) {
                pc.cairo_arc(cr, lx + 11, ly + 8, 6, 0, 2 * G_PI);
                pc.cairo_fill(cr);
            } else {
                pc.cairo_move_to(cr, lx, ly + 8);
                pc.cairo_line_to(cr, lx + 22, ly + 8);
                pc.cairo_set_line_width(cr, 2.5);
                pc.cairo_stroke(cr);
            }
            double th = 0;
            text(cr, lx + 28, ly, items[k], 12, false, LEFT, BLACK, 150, NULL,
                 &th);
            ly += fmax(34, th + 16);
        }
    } else {
        double bw = fw / (x1 - x0) * 0.7;
        for (size_t i = 0; i < c->nyears; i++) {
            const struct cmr__chart_year *y = &c->years[i];
            double xc = X(y->year + 0.5) - bw / 2, base = 0;
            const double v[3] = {y->cleared, y->reduced, y->cancelled};
            const int st[3] = {ST_CLEARED, ST_REDUCED, ST_CANCELLED};
            for (int k = 0; k < 3; k++) {
                if (v[k] <= 0)
                    continue;
                pc.cairo_rectangle(cr, xc, Y(base + v[k]), bw,
                                   Y(base) - Y(base + v[k]));
                set(cr, style_rgb[st[k]], 1);
                pc.cairo_fill(cr);
                base += v[k];
            }
            if (y->added > 0) {
                pc.cairo_rectangle(cr, xc, Y(0), bw, Y(-y->added) - Y(0));
                set(cr, style_rgb[ST_CHA], 0.8);
                pc.cairo_fill(cr);
            }
        }
        pc.cairo_move_to(cr, fx, Y(0));
        pc.cairo_line_to(cr, fx + fw, Y(0));
        pc.cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        pc.cairo_set_line_width(cr, 1.2);
        pc.cairo_stroke(cr);
        /* No release: the plot says so, rather than stand blank (which
         * would read as finished), a third of the way down where nothing
         * is drawn, else above the axis, over the area added. */
        bool drawn[CMR__NDRAWN];
        cmr__chart_release_drawn(c, drawn);
        if (c->no_release[0]) /* (set where no release is drawn) */
            text(cr, fx + fw / 2,
                 drawn[CMR__DRAWN_ADDED] ? (fy + Y(0)) / 2 - 9 : fy + fh / 3,
                 c->no_release, 13, true, CENTER, GREY, fw - 24, NULL, NULL);
        /* Only what is drawn is in the legend. */
        const int st[CMR__NDRAWN] = {ST_CLEARED, ST_REDUCED, ST_CANCELLED,
                                     ST_CHA};
        const char *nm[CMR__NDRAWN] = {"cleared", "reduced by TS",
                                       "cancelled by NTS",
                                       "added (below the axis)"};
        for (int k = 0; k < CMR__NDRAWN; k++) {
            if (!drawn[k])
                continue;
            swatch(cr, lx, ly + 2, style_rgb[st[k]],
                   k == CMR__DRAWN_ADDED ? 0.8 : 1);
            text(cr, lx + 26, ly, nm[k], 12, false, LEFT, BLACK, 150, NULL,
                 NULL);
            ly += 34;
        }
    }
#undef X
#undef Y
    text(cr, 24, H - note_h, c->note, 11, false, LEFT, GREY, W - 48, NULL,
         NULL);
}

/* ---- surfaces ---- */

typedef void (*draw_fn)(cairo_t *, const void *, double, double);

static void draw_map_any(cairo_t *cr, const void *s, double w, double h)
{
    const struct cmr__map *m = s;
    if (m->npanels)
        draw_multiples(cr, m, w, h);
    else
        draw_map(cr, m, w, h);
}

static void draw_chart_any(cairo_t *cr, const void *s, double w, double h)
{
    draw_chart(cr, s, w, h);
}

/* A drawing's design size, the least at which its layout holds: a
 * quarter above the least size allowed (render.h), to which a smaller one
 * is scaled down. */
#define MAP_DESIGN_W   (CMR_MAP_MIN_WIDTH * 5.0 / 4)
#define MAP_DESIGN_H   (CMR_MAP_MIN_HEIGHT * 5.0 / 4)
#define CHART_DESIGN_W (CMR_CHART_MIN_WIDTH * 5.0 / 4)
#define CHART_DESIGN_H (CMR_CHART_MIN_HEIGHT * 5.0 / 4)

/* Draws the scene on w x h, laid out at no less than its design size dw x
 * dh: smaller, it is drawn at the design size's proportions and scaled
 * down (text 11 px high at 1000 wide is some 9 px at 800). */
static void draw_fit(cairo_t *cr, draw_fn draw, const void *scene, double w,
                     double h, double dw, double dh)
{
    double k = fmin(1, fmin(w / dw, h / dh));
    if (!(k > 0)) /* (no surface: callers keep to the least size) */
        k = 1;
    pc.cairo_save(cr);
    pc.cairo_scale(cr, k, k);
    draw(cr, scene, w / k, h / k);
    pc.cairo_restore(cr);
}

static enum cmr_status to_file(struct cmr_ctx *ctx, draw_fn draw,
                               const void *scene, const char *path, int w,
                               int h, double dw, double dh)
{
    enum cmr_status st0 = need_pc(ctx);
    if (st0)
        return st0;
    enum cmr__fmt f = cmr__fmt_of(path);
    cairo_surface_t *s = NULL;
    if (f == FMT_PNG)
        s = pc.cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    else if (f == FMT_PDF)
        s = pc.cairo_pdf_surface_create(path, w, h);
    else if (f == FMT_SVG)
        s = pc.cairo_svg_surface_create(path, w, h);
    else
        return cmr__error(ctx, CMR_EINVAL,
                          "%s: the file name must end in .png, .pdf or .svg",
                          path);
    if (pc.cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        const char *why = pc.cairo_status_to_string(pc.cairo_surface_status(s));
        pc.cairo_surface_destroy(s);
        return cmr__error(ctx, CMR_EIO, "%s: %s", path, why);
    }
    cairo_t *cr = pc.cairo_create(s);
    draw_fit(cr, draw, scene, w, h, dw, dh);
    pc.cairo_destroy(cr);
    cairo_status_t cs = CAIRO_STATUS_SUCCESS;
    if (f == FMT_PNG)
        cs = pc.cairo_surface_write_to_png(s, path);
    pc.cairo_surface_finish(s);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = pc.cairo_surface_status(s);
    pc.cairo_surface_destroy(s);
    if (cs != CAIRO_STATUS_SUCCESS)
        return cmr__error(ctx, CMR_EIO, "%s: %s", path,
                          pc.cairo_status_to_string(cs));
    return CMR_OK;
}

struct membuf {
    char *p;
    size_t n, cap;
    bool oom;
};

static cairo_status_t on_write(void *closure, const unsigned char *data,
                               unsigned int len)
{
    struct membuf *b = closure;
    if (b->oom || !cmr__reserve((void **)&b->p, &b->cap, b->n + len + 1, 1)) {
        b->oom = true;
        return CAIRO_STATUS_NO_MEMORY;
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
    b->p[b->n] = '\0';
    return CAIRO_STATUS_SUCCESS;
}

/* Prefixes every id and reference to one (id="x", href="#x", url(#x)). */
static char *prefix_ids(const char *svg, const char *prefix)
{
    size_t plen = strlen(prefix), n = 0;
    for (const char *p = svg; (p = strstr(p, "id=\"")); p += 4)
        n++;
    for (const char *p = svg; (p = strstr(p, "\"#")); p += 2)
        n++;
    for (const char *p = svg; (p = strstr(p, "url(#")); p += 5)
        n++;
    char *out = cmr__malloc(strlen(svg) + n * plen + 1), *o = out;
    if (!out)
        return NULL;
    const char *s = svg;
    while (*s) {
        size_t k = strncmp(s, "id=\"", 4) == 0   ? 4
                   : strncmp(s, "\"#", 2) == 0   ? 2
                   : strncmp(s, "url(#", 5) == 0 ? 5
                                                 : 0;
        if (k) {
            memcpy(o, s, k);
            o += k;
            s += k;
            memcpy(o, prefix, plen);
            o += plen;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

static enum cmr_status to_svg(struct cmr_ctx *ctx, draw_fn draw,
                              const void *scene, int w, int h, double dw,
                              double dh, const char *prefix, char **out)
{
    *out = NULL;
    enum cmr_status st0 = need_pc(ctx);
    if (st0)
        return st0;
    struct membuf b = {0};
    cairo_surface_t *s =
        pc.cairo_svg_surface_create_for_stream(on_write, &b, w, h);
    cairo_t *cr = pc.cairo_create(s);
    draw_fit(cr, draw, scene, w, h, dw, dh);
    pc.cairo_destroy(cr);
    pc.cairo_surface_finish(s);
    pc.cairo_surface_destroy(s);
    if (b.oom || !b.p) {
        cmr__free(b.p);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    /* Drop the XML declaration: the SVG goes inside an HTML page. */
    const char *start = strstr(b.p, "<svg");
    *out = prefix_ids(start ? start : b.p, prefix);
    cmr__free(b.p);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

enum cmr_status cmr__render_map(struct cmr_ctx *ctx, const struct cmr__map *m,
                                const char *path, int w, int h)
{
    return to_file(ctx, draw_map_any, m, path, w, h, MAP_DESIGN_W,
                   MAP_DESIGN_H);
}

enum cmr_status cmr__render_chart(struct cmr_ctx *ctx,
                                  const struct cmr__chart *c, const char *path,
                                  int w, int h)
{
    return to_file(ctx, draw_chart_any, c, path, w, h, CHART_DESIGN_W,
                   CHART_DESIGN_H);
}

enum cmr_status cmr__render_map_svg(struct cmr_ctx *ctx,
                                    const struct cmr__map *m, int w, int h,
                                    const char *prefix, char **out)
{
    return to_svg(ctx, draw_map_any, m, w, h, MAP_DESIGN_W, MAP_DESIGN_H,
                  prefix, out);
}

enum cmr_status cmr__render_chart_svg(struct cmr_ctx *ctx,
                                      const struct cmr__chart *c, int w, int h,
                                      const char *prefix, char **out)
{
    return to_svg(ctx, draw_chart_any, c, w, h, CHART_DESIGN_W, CHART_DESIGN_H,
                  prefix, out);
}

/* ---- the PDF report: A4 landscape pages ---- */

struct cmr__pdf {
    cairo_surface_t *s;
    cairo_t *cr;
    char *path;
    int page;
};

#define PDF_W    842.0
#define PDF_H    595.0
#define PDF_FOOT 28.0 /* the page's foot, where page_foot writes */

enum cmr_status cmr__pdf_open(struct cmr_ctx *ctx, const char *path,
                              struct cmr__pdf **out)
{
    *out = NULL;
    enum cmr_status st0 = need_pc(ctx);
    if (st0)
        return st0;
    *out = cmr__calloc(1, sizeof **out);
    if (!*out)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    (*out)->s = pc.cairo_pdf_surface_create(path, PDF_W, PDF_H);
    if (pc.cairo_surface_status((*out)->s) != CAIRO_STATUS_SUCCESS) {
        pc.cairo_surface_destroy((*out)->s);
        cmr__free(*out);
        *out = NULL;
        return cmr__error(ctx, CMR_EIO, "%s: cannot write", path);
    }
    (*out)->cr = pc.cairo_create((*out)->s);
    (*out)->path = cmr__strdup(path);
    return CMR_OK;
}

static void page_foot(cairo_t *cr, int page)
{
    char buf[64];
    snprintf(buf, sizeof buf, "cmr %s - page %d", cmr_version(), page);
    text(cr, PDF_W - 30, PDF_H - 24, buf, 8, false, RIGHT, GREY, 0, NULL, NULL);
}

enum cmr_status cmr__pdf_text(struct cmr_ctx *ctx, struct cmr__pdf *pdf,
                              const char *const *lines, size_t n)
{
    (void)ctx;
    cairo_t *cr = pdf->cr;
    double y = 30, x = 30, w = PDF_W - 60;
    for (size_t i = 0; i < n; i++) {
        const char *l = lines[i];
        double h = 0;
        double size = 9;
        bool bold = false, mono = false;
        struct rgb c = BLACK;
        if (strncmp(l, "# ", 2) == 0) {
            size = 16;
            bold = true;
            l += 2;
        } else if (strncmp(l, "## ", 3) == 0) {
            size = 12;
            bold = true;
            l += 3;
            y += 4;
        } else if (strncmp(l, "! ", 2) == 0) {
            bold = true;
            c = RED;
            l += 2;
        } else if (strncmp(l, "| ", 2) == 0) {
            mono = true;
            size = 7.5;
            l += 2;
        }
        /* measure first: a line that would run off the page starts a new
         * one */
        PangoLayout *lay = pc.pango_cairo_create_layout(cr);
        PangoFontDescription *fd =
            pc.pango_font_description_from_string(mono   ? "DejaVu Sans Mono"
                                                  : bold ? "DejaVu Sans Bold"
                                                         : "DejaVu Sans");
        pc.pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
        pc.pango_layout_set_font_description(lay, fd);
        pc.pango_layout_set_width(lay, (int)(w * PANGO_SCALE));
        pc.pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
        pc.pango_layout_set_text(lay, l, -1);
        int pw, ph;
        pc.pango_layout_get_pixel_size(lay, &pw, &ph);
        h = ph;
        if (y + h > PDF_H - 40) {
            page_foot(cr, ++pdf->page);
            pc.cairo_show_page(cr);
            y = 30;
        }
        pc.cairo_move_to(cr, x, y);
        set(cr, c, 1);
        pc.pango_cairo_show_layout(cr, lay);
        pc.pango_font_description_free(fd);
        pc.g_object_unref(lay);
        y += h + (mono ? 0 : 3);
    }
    page_foot(cr, ++pdf->page);
    pc.cairo_show_page(cr);
    return CMR_OK;
}

/* A scene of w x h scaled to the page above its footer (a chart's note or
 * a map's credits at the scene's foot ran under it), and centred across
 * the page: the height decides the scale, and the width it leaves is
 * shared between the two margins (the right one was all of it). */
static void scaled_page(struct cmr__pdf *pdf, draw_fn draw, const void *scene,
                        double w, double h)
{
    cairo_t *cr = pdf->cr;
    pc.cairo_save(cr);
    double k = fmin(PDF_W / w, (PDF_H - PDF_FOOT) / h);
    pc.cairo_translate(cr, (PDF_W - w * k) / 2, 0);
    pc.cairo_scale(cr, k, k);
    draw(cr, scene, w, h);
    pc.cairo_restore(cr);
    page_foot(cr, ++pdf->page);
    pc.cairo_show_page(cr);
}

enum cmr_status cmr__pdf_map(struct cmr_ctx *ctx, struct cmr__pdf *pdf,
                             const struct cmr__map *m)
{
    (void)ctx;
    scaled_page(pdf, draw_map_any, m, 1600, 1131);
    return CMR_OK;
}

enum cmr_status cmr__pdf_chart(struct cmr_ctx *ctx, struct cmr__pdf *pdf,
                               const struct cmr__chart *c)
{
    (void)ctx;
    scaled_page(pdf, draw_chart_any, c, 1600, 1131);
    return CMR_OK;
}

enum cmr_status cmr__pdf_close(struct cmr_ctx *ctx, struct cmr__pdf *pdf)
{
    if (!pdf)
        return CMR_OK;
    pc.cairo_destroy(pdf->cr);
    pc.cairo_surface_finish(pdf->s);
    cairo_status_t cs = pc.cairo_surface_status(pdf->s);
    pc.cairo_surface_destroy(pdf->s);
    enum cmr_status st = cs == CAIRO_STATUS_SUCCESS
                             ? CMR_OK
                             : cmr__error(ctx, CMR_EIO, "%s: %s", pdf->path,
                                          pc.cairo_status_to_string(cs));
    cmr__free(pdf->path);
    cmr__free(pdf);
    return st;
}
