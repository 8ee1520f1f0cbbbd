/* SPDX-License-Identifier: MIT */
/* Import: source -> canonical records -> store. Every source is read and
 * checked first, with the store open read-only; only when the call will
 * succeed is the store opened for writing, and everything is written in one
 * transaction, so a failed call leaves the file as it was. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "geom.h"
#include "hash.h"
#include "import_int.h"
#include "plan.h"
#include "preset.h"
#include "source.h"
#include "store_int.h"

/* ---- canonical fields ---- */

enum vtype {
    V_ID,
    V_COUNTRY,
    V_CLASS,
    V_METHOD,
    V_CONTAM,
    V_STATUS,
    V_TEXT,
    V_DATE,
    V_BOOL,
    V_AREA,
    V_COUNT
};

struct cfield {
    const char *name;
    enum vtype type;
    bool required;
};

/* The order here is the order of rec.v[]. */
static const struct cfield hazard_cf[] = {
    {"id", V_ID, true},           {"country", V_COUNTRY, false},
    {"class", V_CLASS, true},     {"contamination", V_CONTAM, false},
    {"recorded", V_DATE, true},   {"closed", V_DATE, false},
    {"marked", V_BOOL, false},    {"reported_area_m2", V_AREA, false},
    {"synthetic", V_BOOL, false}, {"status", V_STATUS, false},
};
static const struct cfield release_cf[] = {
    {"id", V_ID, true},
    {"country", V_COUNTRY, false},
    {"method", V_METHOD, true},
    {"completed", V_DATE, true},
    {"hazard_id", V_TEXT, false},
    {"reported_area_m2", V_AREA, false},
    {"submunitions", V_COUNT, false},
    {"synthetic", V_BOOL, false},
};
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAXF 10
enum { F_ID = 0, F_COUNTRY = 1 };
enum { H_CONTAM = 3, H_RECORDED = 4, H_CLOSED = 5, H_STATUS = 9 };
enum { R_COMPLETED = 3 };
/* Fields stored in the hazard table (the status pseudo-field is not). */
#define HAZARD_STORED 9
/* The least area, in m² on the ellipsoid, of a hazard's or a release's
 * polygon: half the 0.01 m² that every output prints. Below it the record
 * would show as 0.00 m² wherever it is counted: an outline collapsed to a
 * line or a point (README: Import, Geometry). */
#define CMR__MIN_AREA_M2 0.005

static const struct cfield *fields_of(enum cmr_kind k, size_t *n)
{
    *n = k == CMR_KIND_HAZARD ? N(hazard_cf) : N(release_cf);
    return k == CMR_KIND_HAZARD ? hazard_cf : release_cf;
}

static bool known_field(enum cmr_kind k, const char *f)
{
    if (strcmp(f, "geometry") == 0)
        return true;
    for (int kk = CMR_KIND_HAZARD; kk <= CMR_KIND_RELEASE; kk++) {
        if (k != CMR_KIND_ANY && (int)k != kk)
            continue;
        size_t n;
        const struct cfield *cf = fields_of((enum cmr_kind)kk, &n);
        for (size_t i = 0; i < n; i++)
            if (strcmp(cf[i].name, f) == 0)
                return true;
    }
    return false;
}

/* ---- options ---- */

struct map_entry {
    enum cmr_kind kind;
    char *field, *column;
    bool preset;
    bool status_date; /* see cmr__import_opts_status_date */
};
struct value_entry {
    enum cmr_kind kind;
    char *field, *from, *to;
    bool preset;
};

struct cmr_import_opts {
    char *source[CMR_KIND_COUNT], *layer[CMR_KIND_COUNT];
    char *country, *assume_crs;
    struct map_entry *maps;
    size_t nmaps, capmaps;
    struct value_entry *values;
    size_t nvalues, capvalues;
    char *presets; /* names applied, for the run record */
    bool strict, dry_run;
};

enum cmr_status cmr_import_opts_new(struct cmr_ctx *ctx,
                                    struct cmr_import_opts **out)
{
    *out = cmr__calloc(1, sizeof **out);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

void cmr_import_opts_free(struct cmr_import_opts *o)
{
    if (!o)
        return;
    for (int i = 0; i < CMR_KIND_COUNT; i++) {
        cmr__free(o->source[i]);
        cmr__free(o->layer[i]);
    }
    cmr__free(o->country);
    cmr__free(o->assume_crs);
    for (size_t i = 0; i < o->nmaps; i++) {
        cmr__free(o->maps[i].field);
        cmr__free(o->maps[i].column);
    }
    cmr__free(o->maps);
    for (size_t i = 0; i < o->nvalues; i++) {
        cmr__free(o->values[i].field);
        cmr__free(o->values[i].from);
        cmr__free(o->values[i].to);
    }
    cmr__free(o->values);
    cmr__free(o->presets);
    cmr__free(o);
}

static enum cmr_status replace_str(struct cmr_ctx *ctx, char **dst,
                                   const char *src)
{
    char *d = NULL;
    if (src && !(d = cmr__strdup(src)))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    cmr__free(*dst);
    *dst = d;
    return CMR_OK;
}

enum cmr_status cmr_import_opts_source(struct cmr_ctx *ctx,
                                       struct cmr_import_opts *o,
                                       enum cmr_kind kind, const char *source,
                                       const char *layer)
{
    if (kind <= CMR_KIND_ANY || kind >= CMR_KIND_COUNT)
        return cmr__error(ctx, CMR_EINVAL, "no such kind of source");
    enum cmr_status st = replace_str(ctx, &o->source[kind], source);
    return st ? st : replace_str(ctx, &o->layer[kind], layer);
}

enum cmr_status cmr_import_opts_country(struct cmr_ctx *ctx,
                                        struct cmr_import_opts *o,
                                        const char *iso3)
{
    return replace_str(ctx, &o->country, iso3);
}

enum cmr_status cmr_import_opts_assume_crs(struct cmr_ctx *ctx,
                                           struct cmr_import_opts *o,
                                           const char *crs)
{
    if (!crs) /* NULL clears it */
        return replace_str(ctx, &o->assume_crs, NULL);
    enum cmr_status st = cmr__crs_check_user(ctx, "--assume-crs", crs);
    return st ? st : replace_str(ctx, &o->assume_crs, crs);
}

void cmr__import_opts_status_date(struct cmr_import_opts *o)
{
    if (o->nmaps)
        o->maps[o->nmaps - 1].status_date = true;
}

enum cmr_status cmr__import_opts_add_map(struct cmr_ctx *ctx,
                                         struct cmr_import_opts *o,
                                         enum cmr_kind kind, const char *field,
                                         const char *column, bool preset)
{
    if (!known_field(kind, field))
        return cmr__error(ctx, CMR_EINVAL,
                          "unknown canonical field '%s'%s (see README, "
                          "\"Canonical fields\")",
                          field,
                          kind == CMR_KIND_HAZARD    ? " for hazards"
                          : kind == CMR_KIND_RELEASE ? " for releases"
                                                     : "");
    if (!cmr__reserve((void **)&o->maps, &o->capmaps, o->nmaps + 1,
                      sizeof *o->maps))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    struct map_entry *m = &o->maps[o->nmaps];
    m->kind = kind;
    m->preset = preset;
    m->status_date = false;
    m->field = cmr__strdup(field);
    m->column = cmr__strdup(column);
    if (!m->field || !m->column) {
        cmr__free(m->field);
        cmr__free(m->column);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    o->nmaps++;
    return CMR_OK;
}

enum cmr_status cmr__import_opts_add_value(struct cmr_ctx *ctx,
                                           struct cmr_import_opts *o,
                                           enum cmr_kind kind,
                                           const char *field, const char *from,
                                           const char *to, bool preset)
{
    if (!known_field(kind, field) || strcmp(field, "geometry") == 0)
        return cmr__error(ctx, CMR_EINVAL, "unknown canonical field '%s'",
                          field);
    if (!cmr__reserve((void **)&o->values, &o->capvalues, o->nvalues + 1,
                      sizeof *o->values))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    struct value_entry *v = &o->values[o->nvalues];
    v->kind = kind;
    v->preset = preset;
    v->field = cmr__strdup(field);
    v->from = cmr__trimdup(from);
    v->to = cmr__strdup(to);
    if (!v->field || !v->from || !v->to) {
        cmr__free(v->field);
        cmr__free(v->from);
        cmr__free(v->to);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    o->nvalues++;
    return CMR_OK;
}

enum cmr_status cmr_import_opts_map(struct cmr_ctx *ctx,
                                    struct cmr_import_opts *o,
                                    enum cmr_kind kind, const char *field,
                                    const char *column)
{
    return cmr__import_opts_add_map(ctx, o, kind, field, column, false);
}

enum cmr_status cmr_import_opts_value(struct cmr_ctx *ctx,
                                      struct cmr_import_opts *o,
                                      enum cmr_kind kind, const char *field,
                                      const char *from, const char *to)
{
    return cmr__import_opts_add_value(ctx, o, kind, field, from, to, false);
}

enum cmr_status cmr_import_opts_preset(struct cmr_ctx *ctx,
                                       struct cmr_import_opts *o,
                                       const char *name_or_path)
{
    enum cmr_status st = cmr__preset_apply(ctx, o, name_or_path);
    if (st)
        return st;
    char *p = o->presets ? cmr__sprintf("%s,%s", o->presets, name_or_path)
                         : cmr__strdup(name_or_path);
    if (!p)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    cmr__free(o->presets);
    o->presets = p;
    return CMR_OK;
}

void cmr_import_opts_strict(struct cmr_import_opts *o, bool strict)
{
    o->strict = strict;
}

void cmr_import_opts_dry_run(struct cmr_import_opts *o, bool dry_run)
{
    o->dry_run = dry_run;
}

/* ---- the report ---- */

void cmr_import_report_free(struct cmr_import_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nrejects; i++) {
        cmr__free(r->rejects[i].file);
        cmr__free(r->rejects[i].layer);
        cmr__free(r->rejects[i].id);
        cmr__free(r->rejects[i].field);
        cmr__free(r->rejects[i].reason);
    }
    cmr__free(r->rejects);
    for (size_t i = 0; i < r->nother; i++)
        cmr__free(r->other[i].value);
    cmr__free(r->other);
    cmr__free(r);
}

struct cmr_import_counts
cmr_import_report_counts(const struct cmr_import_report *r, enum cmr_kind k)
{
    struct cmr_import_counts zero = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    if (!r || k < CMR_KIND_ANY || k >= CMR_KIND_COUNT)
        return zero;
    if (k == CMR_KIND_ANY) {
        struct cmr_import_counts a = r->counts[1], b = r->counts[2];
        a.read += b.read;
        a.imported += b.imported;
        a.replaced += b.replaced;
        a.rejected += b.rejected;
        a.repaired += b.repaired;
        a.empty += b.empty;
        a.other += b.other;
        a.open_dated += b.open_dated;
        a.absent += b.absent;
        return a;
    }
    return r->counts[k];
}

size_t cmr_import_report_other_count(const struct cmr_import_report *r)
{
    return r ? r->nother : 0;
}

const char *cmr_import_report_other(const struct cmr_import_report *r, size_t i,
                                    int64_t *n)
{
    if (n)
        *n = 0;
    if (!r || i >= r->nother)
        return NULL;
    if (n)
        *n = r->other[i].n;
    return r->other[i].value;
}

size_t cmr_import_report_reject_count(const struct cmr_import_report *r)
{
    return r ? r->nrejects : 0;
}

struct cmr_reject cmr_import_report_reject(const struct cmr_import_report *r,
                                           size_t i)
{
    const struct reject_row *x = &r->rejects[i];
    struct cmr_reject out = {x->file,  x->layer, x->feature, x->id ? x->id : "",
                             x->field, x->reason};
    return out;
}

int64_t cmr_import_report_run(const struct cmr_import_report *r)
{
    return r ? r->run : 0;
}

/* ---- reading one source ---- */

struct rec {
    char *v[MAXF]; /* canonical text per field; NULL = null */
    unsigned char *wkb;
    size_t len;
    char *repair;
    int64_t feature;
    bool open_dated; /* a closed value left out: see count_hazards */
};

/* A rejected feature's State and id. */
struct gone {
    char *country, *id;
    int64_t feature;
};

struct batch {
    enum cmr_kind kind;
    const char *open; /* the source as given, opened */
    char *file;       /* as shown and recorded: no password (cmr__src_shown) */
    char *layer;
    char sha256[65];
    struct rec *recs;
    size_t n, cap;
    struct gone *gone; /* the features rejected (with a State and an id) */
    size_t ngone;
};

static void batch_clear(struct batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        for (int f = 0; f < MAXF; f++)
            cmr__free(b->recs[i].v[f]);
        cmr__free(b->recs[i].wkb);
        cmr__free(b->recs[i].repair);
    }
    cmr__free(b->recs);
    for (size_t i = 0; i < b->ngone; i++) {
        cmr__free(b->gone[i].country);
        cmr__free(b->gone[i].id);
    }
    cmr__free(b->gone);
    cmr__free(b->layer);
    cmr__free(b->file);
    memset(b, 0, sizeof *b);
}

/* Whether a hole of g lies wholly outside its polygon's outer ring, by
 * their boxes: GEOS names only the first problem of a polygon (a shell
 * that crosses itself hides a hole outside it), and its repair would make
 * such a hole a polygon of its own. */
static enum cmr_status hole_outside(struct cmr_ctx *ctx,
                                    const struct cmr_geom *g, bool *outside)
{
    struct cmr__rings rr = {0};
    enum cmr_status st = cmr__geom_rings(ctx, g, &rr);
    *outside = false;
    double sx0 = 0, sy0 = 0, sx1 = 0, sy1 = 0;
    for (size_t ring = 0; !st && !*outside && ring < rr.nrings; ring++) {
        double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
        for (size_t k = rr.start[ring]; k < rr.start[ring + 1]; k++) {
            x0 = fmin(x0, rr.xy[2 * k]);
            x1 = fmax(x1, rr.xy[2 * k]);
            y0 = fmin(y0, rr.xy[2 * k + 1]);
            y1 = fmax(y1, rr.xy[2 * k + 1]);
        }
        if (ring == 0 || rr.poly[ring] != rr.poly[ring - 1]) { /* a shell */
            sx0 = x0, sy0 = y0, sx1 = x1, sy1 = y1;
            continue;
        }
        *outside = x0 > sx1 || x1 < sx0 || y0 > sy1 || y1 < sy0;
    }
    cmr__rings_free(&rr);
    return st;
}

/* The widest span of longitude of g's rings, in degrees (the ledger
 * refuses a ring of 180 or more). */
static enum cmr_status ring_span(struct cmr_ctx *ctx, const struct cmr_geom *g,
                                 double *span)
{
    struct cmr__rings rr = {0};
    enum cmr_status st = cmr__geom_rings(ctx, g, &rr);
    *span = 0;
    for (size_t ring = 0; !st && ring < rr.nrings; ring++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t k = rr.start[ring]; k < rr.start[ring + 1]; k++) {
            lo = fmin(lo, rr.xy[2 * k]);
            hi = fmax(hi, rr.xy[2 * k]);
        }
        if (hi - lo > *span)
            *span = hi - lo;
    }
    cmr__rings_free(&rr);
    return st;
}

enum cmr_status cmr__import_reject(struct cmr_ctx *ctx,
                                   struct cmr_import_report *r,
                                   enum cmr_kind kind, const char *file,
                                   const char *layer, int64_t feature,
                                   const char *id, const char *field,
                                   const char *fmt, ...)
{
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    /* (a reason that quotes a long value was cut, here or in the buffer it
     * came from: never in a character, as the store holds UTF-8) */
    cmr__utf8_cut(reason);
    if (!cmr__reserve((void **)&r->rejects, &r->caprejects, r->nrejects + 1,
                      sizeof *r->rejects))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    struct reject_row *x = &r->rejects[r->nrejects];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->feature = feature;
    x->file = cmr__strdup(file);
    x->layer = cmr__strdup(layer ? layer : "");
    x->id = cmr__strdup(id ? id : "");
    x->field = cmr__strdup(field);
    x->reason = cmr__strdup(reason);
    r->nrejects++;
    r->counts[kind].rejected++;
    if (!x->file || !x->layer || !x->id || !x->field || !x->reason)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    return CMR_OK;
}

/* The column named name, case-insensitively: -1 when none, -2 when more
 * than one (ID and id, or class twice: which one is meant cannot be told),
 * unless exact and one of them has name's very case (a user's --map). */
static int find_one(const struct cmr__src *src, const char *name, bool exact)
{
    int n = cmr__src_field_count(src), found = -1, same = -1;
    for (int i = 0; i < n; i++) {
        const char *c = cmr__src_field_name(src, i);
        if (cmr__streq_ci(c, name))
            found = found == -1 ? i : -2;
        if (exact && strcmp(c, name) == 0)
            same = same == -1 ? i : -2;
    }
    return found == -2 && same >= 0 ? same : found;
}

/* Finds a source column by name as find_one; a name longer than ten
 * characters also matches its first ten (what a shapefile keeps). */
static int find_column(const struct cmr__src *src, const char *name, bool exact)
{
    int i = find_one(src, name, exact);
    if (i != -1 || strlen(name) <= 10)
        return i;
    char cut[11];
    memcpy(cut, name, 10);
    cut[10] = '\0';
    return find_one(src, cut, exact);
}

/* Resolves a column list "a|b|c" to the first that exists (-2: that name
 * is more than one column's). */
static int find_alternatives(const struct cmr__src *src, const char *list,
                             bool exact)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", list);
    char *save = NULL;
    for (char *t = strtok_r(buf, "|", &save); t;
         t = strtok_r(NULL, "|", &save)) {
        int i = find_column(src, t, exact);
        if (i != -1)
            return i;
    }
    return -1;
}

static void list_columns(const struct cmr__src *src, char *buf, size_t n);

/* A whole-source error: field f's column name names several columns. */
static enum cmr_status ambiguous(struct cmr_ctx *ctx, const struct batch *b,
                                 const struct cmr__src *src, const char *f,
                                 const char *names)
{
    char cols[600];
    list_columns(src, cols, sizeof cols);
    return cmr__error(ctx, CMR_EFORMAT,
                      "%s: layer '%s': field '%s': more than one column is "
                      "named %s (case aside), so which one holds it cannot "
                      "be told; rename one, or name the column in its exact "
                      "case with --map %s=COLUMN (columns: %s)",
                      b->file, b->layer, f, names, f, cols);
}

static void list_columns(const struct cmr__src *src, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < cmr__src_field_count(src) && used + 40 < n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "",
                         cmr__src_field_name(src, i));
        if (w > 0)
            used += (size_t)w;
    }
}

/* Whether file names a shapefile (by its .shp, any case). */
static bool is_shapefile(const char *file)
{
    size_t n = strlen(file);
    return n > 4 && cmr__streq_ci(file + n - 4, ".shp");
}

/* Column col of a shapefile (a .dbf keeps ten characters of a name) whose
 * name is ten characters long, where another is named with its first eight
 * and "_1": what GDAL makes of two names that begin with the same ten
 * letters (submunitionsfound and submunitionsdestroyed become submunitio
 * and submunit_1). Then col may be either of the two long names, and the
 * other column's index is returned; else -1. */
static int laundered_twin(const struct cmr__src *src, const struct batch *b,
                          int col)
{
    const char *name = cmr__src_field_name(src, col);
    if (!is_shapefile(b->file) || !name || strlen(name) != 10)
        return -1;
    char twin[11];
    memcpy(twin, name, 8);
    memcpy(twin + 8, "_1", 3);
    for (int i = 0; i < cmr__src_field_count(src); i++)
        if (i != col && cmr__streq_ci(cmr__src_field_name(src, i), twin))
            return i;
    return -1;
}

/* A whole-source error: field f found in column col by a name of a
 * preset's or its own, which a shapefile's renaming makes ambiguous. */
static enum cmr_status laundered(struct cmr_ctx *ctx, const struct batch *b,
                                 const struct cmr__src *src, const char *f,
                                 int col, int twin)
{
    return cmr__error(ctx, CMR_EFORMAT,
                      "%s: layer '%s': field '%s': column '%s' may be what "
                      "the shapefile kept of a longer name, and '%s' what it "
                      "made of another that began with the same ten "
                      "letters, so which one holds it cannot be told; name "
                      "it with --map %s=COLUMN",
                      b->file, b->layer, f, cmr__src_field_name(src, col),
                      cmr__src_field_name(src, twin), f);
}

/* The column of canonical field f of kind k: the caller's own mapping (the
 * last one wins), then a preset's, then the field's own name. -1 when none
 * exists; an explicit mapping of the caller's that names a missing column
 * is an error of the whole source, and so is a column a preset's or the
 * field's own name finds where a shapefile's renaming makes it ambiguous
 * (laundered_twin). */
static enum cmr_status resolve_column(struct cmr_ctx *ctx,
                                      const struct cmr_import_opts *o,
                                      const struct cmr__src *src,
                                      const struct batch *b, const char *f,
                                      int *col, bool *status_date)
{
    *col = -1;
    if (status_date)
        *status_date = false;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = o->nmaps; i-- > 0;) {
            const struct map_entry *m = &o->maps[i];
            if (m->preset != (pass == 1) || strcmp(m->field, f) != 0 ||
                (m->kind != CMR_KIND_ANY && m->kind != b->kind))
                continue;
            *col = find_alternatives(src, m->column, !m->preset);
            if (*col == -2)
                return ambiguous(ctx, b, src, f, m->column);
            int twin =
                *col >= 0 && m->preset ? laundered_twin(src, b, *col) : -1;
            if (twin >= 0)
                return laundered(ctx, b, src, f, *col, twin);
            if (*col >= 0) {
                if (status_date)
                    *status_date = m->status_date;
                return CMR_OK;
            }
            if (!m->preset) {
                char cols[600];
                list_columns(src, cols, sizeof cols);
                return cmr__error(ctx, CMR_EFORMAT,
                                  "%s: layer '%s': --map %s=%s: no column "
                                  "'%s' (columns: %s)",
                                  b->file, b->layer, f, m->column, m->column,
                                  cols);
            }
        }
    }
    *col = find_column(src, f, false);
    if (*col == -2)
        return ambiguous(ctx, b, src, f, f);
    int twin = *col >= 0 && strlen(f) > 10 ? laundered_twin(src, b, *col) : -1;
    return twin >= 0 ? laundered(ctx, b, src, f, *col, twin) : CMR_OK;
}

/* The canonical value of source value s for field f, through the value
 * mappings (the caller's first, then presets'); borrowed. */
static const char *map_value(const struct cmr_import_opts *o, enum cmr_kind k,
                             const char *f, const char *s)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = o->nvalues; i-- > 0;) {
            const struct value_entry *v = &o->values[i];
            if (v->preset == (pass == 1) && strcmp(v->field, f) == 0 &&
                (v->kind == CMR_KIND_ANY || v->kind == k) &&
                cmr__streq_ci(v->from, s))
                return v->to;
        }
    return s;
}

static bool parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"1", "true", "yes", "y", "t"};
    static const char *const no[] = {"0", "false", "no", "n", "f"};
    for (size_t i = 0; i < N(yes); i++)
        if (cmr__streq_ci(s, yes[i])) {
            *out = 1;
            return true;
        }
    for (size_t i = 0; i < N(no); i++)
        if (cmr__streq_ci(s, no[i])) {
            *out = 0;
            return true;
        }
    return false;
}

/* Today's date in UTC, YYYY-MM-DD, made once a day per thread (a date
 * field of every feature asks it). */
static const char *today_utc(void)
{
    static _Thread_local char today[16];
    static _Thread_local time_t day = -1;
    time_t t = time(NULL);
    struct tm tm;
    if (t / 86400 != day) {
        snprintf(today, sizeof today, "9999-12-31");
        if (gmtime_r(&t, &tm))
            strftime(today, sizeof today, "%Y-%m-%d", &tm);
        day = t / 86400;
    }
    return today;
}

/* Normalises value s of field cf into *out (owned), or says why not in
 * why (NULL on success). */
static enum cmr_status normalise(struct cmr_ctx *ctx, const struct cfield *cf,
                                 const char *s, const struct cmr_store *store,
                                 char **out, char *why, size_t nwhy)
{
    *out = NULL;
    why[0] = '\0';
    char buf[64];
    const char *val = s;
    switch (cf->type) {
    case V_ID:
    case V_TEXT:
        /* GDAL clamps an integer past 64 bits to these, with only a
         * warning (GeoJSON ids of 20 digits): two such ids would become
         * one record's */
        if (strcmp(s, "9223372036854775807") == 0 ||
            strcmp(s, "-9223372036854775808") == 0) {
            snprintf(why, nwhy,
                     "%s is where GDAL clamps an integer too large for 64 "
                     "bits: the source's value was probably larger (write "
                     "such ids as text, in quotes)",
                     s);
            return CMR_OK;
        }
        break;
    case V_COUNTRY:
        snprintf(buf, sizeof buf, "%s", s);
        for (char *p = buf; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        if (!cmr__store_find_country(store, buf)) {
            snprintf(why, nwhy,
                     "country '%s' is not one the store knows (ISO3 code of "
                     "one of the affected States; map a name with --value "
                     "country:%s=ISO3)",
                     s, s);
            return CMR_OK;
        }
        val = buf;
        break;
    case V_CLASS:
        if (cmr__streq_ci(s, "SHA"))
            val = "SHA";
        else if (cmr__streq_ci(s, "CHA"))
            val = "CHA";
        else {
            snprintf(why, nwhy,
                     "unknown class '%s' (SHA or CHA; map other values with "
                     "--value class:%s=SHA|CHA)",
                     s, s);
            return CMR_OK;
        }
        break;
    case V_METHOD:
        if (cmr__streq_ci(s, "cancelled"))
            val = "cancelled";
        else if (cmr__streq_ci(s, "reduced"))
            val = "reduced";
        else if (cmr__streq_ci(s, "cleared"))
            val = "cleared";
        else {
            snprintf(why, nwhy,
                     "unknown method '%s' (cancelled, reduced or cleared; map "
                     "other values with --value method:%s=...)",
                     s, s);
            return CMR_OK;
        }
        break;
    case V_CONTAM:
        if (cmr__streq_ci(s, "CMR"))
            val = "CMR";
        break;
    case V_STATUS:
        if (cmr__streq_ci(s, "open"))
            val = "open";
        else if (cmr__streq_ci(s, "closed"))
            val = "closed";
        else {
            snprintf(why, nwhy,
                     "unknown status '%s' (open or closed; map other values "
                     "with --value status:%s=open|closed)",
                     s, s);
            return CMR_OK;
        }
        break;
    case V_DATE: {
        struct cmr__date d;
        if (!cmr__date_parse(s, &d)) {
            snprintf(why, nwhy,
                     "'%s' is not a date (YYYY-MM-DD, a real calendar day)", s);
            return CMR_OK;
        }
        cmr__date_format(d, buf);
        /* (a record cannot be dated after the day it is imported; a day
         * before 1900 is a placeholder for no date, as 0001-01-01 is in
         * some exports) */
        const char *today = today_utc();
        if (strcmp(buf, today) > 0) {
            snprintf(why, nwhy, "'%s' is in the future (today is %s)", s,
                     today);
            return CMR_OK;
        }
        if (d.year < 1900) {
            snprintf(why, nwhy,
                     "'%s' is before 1900 (a placeholder for no date?)", s);
            return CMR_OK;
        }
        val = buf;
        break;
    }
    case V_BOOL: {
        int b;
        if (!parse_bool(s, &b)) {
            snprintf(why, nwhy, "'%s' is not a yes/no value (1/0, true/false)",
                     s);
            return CMR_OK;
        }
        val = b ? "1" : "0";
        break;
    }
    case V_AREA: {
        double a;
        if (!cmr__parse_decimal(s, &a) || a < 0) {
            snprintf(why, nwhy, "'%s' is not an area in m² (a number >= 0)", s);
            return CMR_OK;
        }
        if (a > 5.1e14) { /* (the Earth's surface) */
            snprintf(why, nwhy,
                     "'%s' m² is more than the Earth's surface (5.1e14 m²)", s);
            return CMR_OK;
        }
        snprintf(buf, sizeof buf, "%.17g", a);
        val = buf;
        break;
    }
    case V_COUNT: {
        double a;
        if (!cmr__parse_decimal(s, &a) || a < 0 || a != floor(a) || a > 9e15) {
            snprintf(why, nwhy, "'%s' is not a count (a whole number >= 0)", s);
            return CMR_OK;
        }
        snprintf(buf, sizeof buf, "%.0f", a);
        val = buf;
        break;
    }
    }
    *out = cmr__strdup(val);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

/* Keys (country, id) already taken in this batch: a sorted index built at
 * the end, so duplicates within one source are found in n log n. */
struct key_ref {
    const char *country, *id;
    int64_t feature;
    size_t rec; /* in the batch, or SIZE_MAX: a feature rejected before */
};

static int key_cmp(const void *a, const void *b)
{
    const struct key_ref *x = a, *y = b;
    int c = strcmp(x->country, y->country);
    if (!c)
        c = strcmp(x->id, y->id);
    if (!c)
        c = x->feature < y->feature ? -1 : x->feature > y->feature;
    return c;
}

/* The State and id of a feature rejected for another reason (gone), kept
 * so that a later feature of the same id is a duplicate all the same. */
static void rec_free(struct rec *r)
{
    for (int f = 0; f < MAXF; f++)
        cmr__free(r->v[f]);
    cmr__free(r->wkb);
    cmr__free(r->repair);
    memset(r, 0, sizeof *r);
}

/* Whether the status column col of the current feature says closed
 * (through the value mappings), in *closed; in *open, whether it says
 * open. */
static enum cmr_status status_of(struct cmr_ctx *ctx,
                                 const struct cmr_import_opts *o,
                                 const struct cmr__src *src, int col,
                                 bool *open, bool *closed)
{
    *open = *closed = false;
    char num[32];
    const char *raw = cmr__src_field_text(src, col, num);
    if (!raw)
        return CMR_OK;
    char *t = cmr__trimdup(raw);
    if (!t)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    const char *v = map_value(o, CMR_KIND_HAZARD, "status", t);
    *open = cmr__streq_ci(v, "open");
    *closed = cmr__streq_ci(v, "closed");
    cmr__free(t);
    return CMR_OK;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_other(const void *a, const void *b)
{
    const struct other_value *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->value, y->value);
}

/* Counts the hazards of batch b that are of other contamination (and
 * their values: sorted, then counted by runs, so that a column of free
 * text costs n log n) and those whose closing date was left out for their
 * open status. */
static enum cmr_status count_hazards(struct cmr_ctx *ctx,
                                     struct cmr_import_report *rep,
                                     const struct batch *b)
{
    struct cmr_import_counts *c = &rep->counts[CMR_KIND_HAZARD];
    const char **v = cmr__calloc(b->n ? b->n : 1, sizeof *v);
    if (!v)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    size_t nv = 0;
    for (size_t i = 0; i < b->n; i++) {
        const struct rec *r = &b->recs[i];
        c->open_dated += r->open_dated;
        if (r->v[H_CONTAM] && strcmp(r->v[H_CONTAM], "CMR") != 0)
            v[nv++] = r->v[H_CONTAM];
    }
    c->other = (int64_t)nv;
    qsort(v, nv, sizeof *v, cmp_cstr);
    size_t runs = 0;
    for (size_t i = 0; i < nv; i++)
        runs += i == 0 || strcmp(v[i], v[i - 1]) != 0;
    enum cmr_status st = CMR_OK;
    if (runs && !(rep->other = cmr__calloc(runs, sizeof *rep->other)))
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t i = 0; i < nv && !st; i++) {
        if (i == 0 || strcmp(v[i], v[i - 1]) != 0) {
            char *dup = cmr__strdup(v[i]);
            if (!dup) {
                st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
                break;
            }
            rep->other[rep->nother++] = (struct other_value){dup, 0};
        }
        rep->other[rep->nother - 1].n++;
    }
    cmr__free(v);
    if (rep->nother > 1)
        qsort(rep->other, rep->nother, sizeof *rep->other, cmp_other);
    return st;
}

/* Rejects every record whose (country, id) repeats an earlier record of the
 * same source, keeping the first. */
static enum cmr_status reject_duplicates(struct cmr_ctx *ctx,
                                         struct cmr_import_report *rep,
                                         struct batch *b,
                                         const struct gone *gone, size_t ngone)
{
    size_t nk = b->n + ngone;
    if (b->n == 0 || nk < 2)
        return CMR_OK;
    struct key_ref *keys = cmr__calloc(nk, sizeof *keys);
    if (!keys)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t i = 0; i < b->n; i++)
        keys[i] = (struct key_ref){b->recs[i].v[F_COUNTRY], b->recs[i].v[F_ID],
                                   b->recs[i].feature, i};
    for (size_t i = 0; i < ngone; i++)
        keys[b->n + i] = (struct key_ref){gone[i].country, gone[i].id,
                                          gone[i].feature, SIZE_MAX};
    qsort(keys, nk, sizeof *keys, key_cmp);
    bool *drop = cmr__calloc(b->n, sizeof *drop);
    enum cmr_status st = drop ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "oom");
    size_t first = 0; /* the first feature of the current id */
    for (size_t i = 1; i < nk && !st; i++) {
        if (strcmp(keys[i].country, keys[first].country) ||
            strcmp(keys[i].id, keys[first].id)) {
            first = i;
            continue;
        }
        if (keys[i].rec == SIZE_MAX) /* rejected already */
            continue;
        drop[keys[i].rec] = true;
        struct rec *r = &b->recs[keys[i].rec];
        st = cmr__import_reject(
            ctx, rep, b->kind, b->file, b->layer, r->feature, r->v[F_ID], "id",
            "duplicate id '%s' in %s: feature %lld has it too%s", r->v[F_ID],
            r->v[F_COUNTRY], (long long)keys[first].feature,
            keys[first].rec == SIZE_MAX ? " (itself rejected)" : "");
    }
    if (!st) {
        size_t w = 0;
        for (size_t i = 0; i < b->n; i++) {
            if (drop[i]) {
                if (b->recs[i].repair)
                    rep->counts[b->kind].repaired--;
                rec_free(&b->recs[i]);
            } else
                b->recs[w++] = b->recs[i];
        }
        b->n = w;
    }
    cmr__free(drop);
    cmr__free(keys);
    return st;
}

static enum cmr_status read_source(struct cmr_ctx *ctx,
                                   const struct cmr_import_opts *o,
                                   const struct cmr_store *store,
                                   struct cmr_import_report *rep,
                                   struct batch *b)
{
    size_t ncf;
    const struct cfield *cf = fields_of(b->kind, &ncf);
    const char *what = b->kind == CMR_KIND_HAZARD ? "hazards" : "releases";
    struct cmr__src *src = NULL;
    struct cmr_geom *g = NULL, *valid = NULL;
    unsigned char *wkb = NULL;
    char *why_repair = NULL;
    struct gone *gone = NULL; /* features rejected, by State and id */
    size_t ngone = 0, capgone = 0;
    int cols[MAXF];
    bool closed_status_date = false; /* closed is IMSMA's status date */
    struct rec r; /* the record being built; freed on every exit */
    memset(&r, 0, sizeof r);
    enum cmr_status st = cmr__src_open(ctx, b->open, o->layer[b->kind], &src);
    if (st)
        return cmr__error_prefix(ctx, st, "--%s", what);
    b->layer = cmr__strdup(cmr__src_layer_name(src));
    if (!b->layer) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    if (cmr__src_feature_count(src) == 0) {
        st = cmr__error(ctx, CMR_EFORMAT, "%s: layer '%s' has no features",
                        b->file, b->layer);
        goto done;
    }
    for (size_t i = 0; i < ncf; i++) {
        if ((st = resolve_column(ctx, o, src, b, cf[i].name, &cols[i],
                                 b->kind == CMR_KIND_HAZARD && i == H_CLOSED
                                     ? &closed_status_date
                                     : NULL)))
            goto done;
        if (cf[i].required && cols[i] < 0) {
            char list[600];
            list_columns(src, list, sizeof list);
            st = cmr__error(ctx, CMR_EFORMAT,
                            "%s: layer '%s': required field '%s' is missing "
                            "(no column '%s'; map one with --map %s.%s=COLUMN; "
                            "columns: %s)",
                            b->file, b->layer, cf[i].name, cf[i].name, what,
                            cf[i].name, list);
            goto done;
        }
    }
    int wkt_col = -1;
    if (!cmr__src_has_geometry_column(src)) {
        if ((st = resolve_column(ctx, o, src, b, "geometry", &wkt_col, NULL)))
            goto done;
        if (wkt_col == -1)
            wkt_col = find_alternatives(src, "wkt|geom|the_geom|shape", false);
        if (wkt_col == -2) {
            st = ambiguous(ctx, b, src, "geometry", "wkt|geom|the_geom|shape");
            goto done;
        }
    }
    if ((st = cmr__src_prepare(ctx, src, o->assume_crs, wkt_col))) {
        cmr__error_prefix(ctx, st, "%s", b->file);
        goto done;
    }
    int64_t total = cmr__src_feature_count(src);
    int64_t feature = 0;
    for (;;) {
        bool more = false;
        if ((st = cmr__src_next(ctx, src, &more))) {
            cmr__error_prefix(ctx, st, "%s", b->file);
            goto done;
        }
        if (!more) {
            if (rep->counts[b->kind].read == 0 && rep->counts[b->kind].empty) {
                st = cmr__error(ctx, CMR_EFORMAT,
                                "%s: layer '%s' has no features (only %lld "
                                "empty rows)",
                                b->file, b->layer,
                                (long long)rep->counts[b->kind].empty);
                goto done;
            }
            break;
        }
        feature++;
        if (cmr__src_row_empty(src)) {
            rep->counts[b->kind].empty++;
            continue;
        }
        rep->counts[b->kind].read++;
        if (total > 0 && feature % 4096 == 0 &&
            !cmr__progress(ctx, (double)feature / (double)total, "reading")) {
            st = cmr__error(ctx, CMR_EINVAL, "cancelled");
            goto done;
        }
        memset(&r, 0, sizeof r);
        r.feature = feature;
        char why[512] = "";
        const char *bad_field = NULL;
        /* a hazard whose closing date is not one: its status says open,
         * or, where closed is IMSMA's status date, it does not say closed
         * (none, or a blank cell) */
        bool open = false, closed = false;
        if (b->kind == CMR_KIND_HAZARD &&
            (st = status_of(ctx, o, src, cols[H_STATUS], &open, &closed)))
            goto done;
        bool not_closing = open || (closed_status_date && !closed);
        for (size_t i = 0; i < ncf && !bad_field; i++) {
            char num[32];
            const char *raw = cmr__src_field_text(src, cols[i], num);
            char *t = raw ? cmr__trimdup(raw) : NULL;
            if (raw && !t) {
                st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
                goto done;
            }
            if (t && !*t) {
                cmr__free(t);
                t = NULL;
            }
            if (not_closing && i == H_CLOSED) {
                /* The status wins: the date is not a closing date.
                 * IMSMA's status date (the preset's closed) is the day the
                 * status last changed: for an active hazard, the day it
                 * became active; read as closed, it took the hazard's
                 * land out of the remaining area (and so where the export
                 * has no status to say which). */
                r.open_dated = t != NULL;
                cmr__free(t);
                continue;
            }
            if (t && !cmr__utf8_valid(t)) {
                /* (a CSV saved in Windows-1252 or Latin-1, say) */
                bad_field = cf[i].name;
                /* (a shapefile's DBF names its encoding in a .cpg file
                 * beside it, which GDAL then reads as such) */
                snprintf(why, sizeof why, "%s",
                         is_shapefile(b->file)
                             ? "not UTF-8 text (add a .cpg file beside the "
                               "shapefile naming its encoding, e.g. CP1252)"
                             : "not UTF-8 text (save the file as UTF-8)");
                cmr__free(t);
                continue;
            }
            /* (--value FIELD:SOURCE= maps a value to none, as a blank
             * cell is: IMSMA's marked "Unknown", say) */
            const char *mapped =
                t ? map_value(o, b->kind, cf[i].name, t) : NULL;
            if (!mapped || !*mapped) {
                if (cf[i].required) {
                    bad_field = cf[i].name;
                    if (t)
                        snprintf(why, sizeof why,
                                 "required field '%s' is empty: a --value "
                                 "maps '%s' to none",
                                 cf[i].name, t);
                    else
                        snprintf(why, sizeof why,
                                 "required field '%s' is empty", cf[i].name);
                }
                cmr__free(t);
                continue;
            }
            st =
                normalise(ctx, &cf[i], mapped, store, &r.v[i], why, sizeof why);
            cmr__free(t);
            if (st)
                goto done;
            if (why[0])
                bad_field = cf[i].name;
        }
        /* Country: the record's own, then --country. */
        if (!bad_field && !r.v[F_COUNTRY]) {
            if (o->country) {
                st = normalise(ctx, &cf[F_COUNTRY], o->country, store,
                               &r.v[F_COUNTRY], why, sizeof why);
                if (st)
                    goto done;
                if (why[0])
                    bad_field = "country";
            } else {
                bad_field = "country";
                snprintf(why, sizeof why,
                         "no country: the record has none and no --country "
                         "was given");
            }
        }
        if (!bad_field && b->kind == CMR_KIND_HAZARD && r.v[H_STATUS] &&
            strcmp(r.v[H_STATUS], "closed") == 0 && !r.v[H_CLOSED]) {
            bad_field = "closed";
            snprintf(why, sizeof why,
                     "status says the hazard is closed but it has no closing "
                     "date");
        }
        if (!bad_field && b->kind == CMR_KIND_HAZARD && r.v[H_CLOSED] &&
            strcmp(r.v[H_CLOSED], r.v[H_RECORDED]) < 0) {
            bad_field = "closed";
            snprintf(why, sizeof why, "closed %s is before recorded %s",
                     r.v[H_CLOSED], r.v[H_RECORDED]);
        }
        if (!bad_field) {
            size_t len = 0;
            enum cmr__geom_problem problem;
            st = cmr__src_geometry(ctx, src, &wkb, &len, &problem);
            if (st)
                goto done;
            if (problem) {
                bad_field = "geometry";
                snprintf(why, sizeof why, "%s", cmr__geom_problem_str(problem));
            } else {
                bool repaired = false, outside = false;
                st = cmr__geom_from_wkb(ctx, wkb, len, &g);
                if (st == CMR_OK &&
                    (st = hole_outside(ctx, g, &outside)) == CMR_OK && outside)
                    why_repair = cmr__strdup(
                        "Hole lies outside shell: the boxes are apart");
                if (st == CMR_OK && outside && !why_repair)
                    st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
                if (st == CMR_OK && outside)
                    repaired = true; /* (not repaired: refused below) */
                else if (st == CMR_OK)
                    st = cmr__geom_make_valid(ctx, g, &valid, &repaired,
                                              &why_repair);
                if (st == CMR_ENOMEM)
                    goto done;
                double span = 0, m2 = 0;
                if (st == CMR_OK && valid &&
                    (st = ring_span(ctx, valid, &span)) == CMR_ENOMEM)
                    goto done;
                if (st == CMR_OK && valid &&
                    (st = cmr__geom_area_geodesic(ctx, valid, &m2)) ==
                        CMR_ENOMEM)
                    goto done;
                if (st) {
                    bad_field = "geometry";
                    snprintf(why, sizeof why, "%s", cmr_ctx_errmsg(ctx));
                    st = CMR_OK;
                } else if (repaired && why_repair &&
                           strncmp(why_repair, "Hole lies outside shell", 23) ==
                               0) {
                    /* the repair would make the hole a polygon of its
                     * own: land meant to be left out counted as
                     * contaminated */
                    bad_field = "geometry";
                    snprintf(why, sizeof why,
                             "a hole lies outside its outer ring (%.120s): "
                             "a repair would count it as "
                             "contaminated land; fix the hole in the source",
                             why_repair);
                } else if (m2 < CMR__MIN_AREA_M2) {
                    /* an outline collapsed to a line or a point (its
                     * vertices a hair apart), which no survey records:
                     * the ledger would count nothing, or a finding of
                     * 0.00 m² */
                    bad_field = "geometry";
                    snprintf(why, sizeof why,
                             "the polygon's area is %.3g m², which every "
                             "output would show as 0.00 m²: an outline "
                             "collapsed to a line or a point",
                             m2);
                } else if (span >= 180) {
                    /* the ledger would refuse the store (its edges,
                     * geodesics, would go the other way round) */
                    bad_field = "geometry";
                    snprintf(why, sizeof why,
                             "a ring spans %.0f degrees of longitude, half "
                             "the globe or more (a longitude of the wrong "
                             "sign? a shape across the antimeridian must be "
                             "split there)",
                             span);
                } else {
                    st = cmr__geom_to_wkb(ctx, valid, &r.wkb, &r.len);
                    if (st)
                        goto done;
                    if (repaired) {
                        r.repair = why_repair;
                        why_repair = NULL;
                        rep->counts[b->kind].repaired++;
                        cmr__log(ctx, CMR_LOG_INFO,
                                 "%s: feature %lld (id %s): geometry "
                                 "repaired: %s",
                                 b->file, (long long)feature, r.v[F_ID],
                                 r.repair);
                    }
                }
                cmr__geom_free(ctx, g);
                cmr__geom_free(ctx, valid);
                g = valid = NULL;
                cmr__free(why_repair); /* (a reject's: not kept) */
                why_repair = NULL;
            }
            cmr__free(wkb);
            wkb = NULL;
        }
        if (bad_field) {
            st = cmr__import_reject(ctx, rep, b->kind, b->file, b->layer,
                                    feature, r.v[F_ID], bad_field, "%s", why);
            if (!st && r.v[F_ID] && r.v[F_COUNTRY]) {
                if (!cmr__reserve((void **)&gone, &capgone, ngone + 1,
                                  sizeof *gone)) {
                    st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
                } else {
                    gone[ngone++] =
                        (struct gone){r.v[F_COUNTRY], r.v[F_ID], feature};
                    r.v[F_COUNTRY] = r.v[F_ID] = NULL; /* (moved) */
                }
            }
            rec_free(&r);
            if (st)
                goto done;
            continue;
        }
        if (!cmr__reserve((void **)&b->recs, &b->cap, b->n + 1,
                          sizeof *b->recs)) {
            rec_free(&r);
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            goto done;
        }
        b->recs[b->n++] = r;
        memset(&r, 0, sizeof r);
    }
    if (feature == 0) {
        st = cmr__error(ctx, CMR_EFORMAT, "%s: layer '%s' has no features",
                        b->file, b->layer);
        goto done;
    }
    st = reject_duplicates(ctx, rep, b, gone, ngone);
    if (!st && b->kind == CMR_KIND_HAZARD)
        st = count_hazards(ctx, rep, b);
    if (!st && !cmr__sha256_path(b->open, b->sha256))
        snprintf(b->sha256, sizeof b->sha256, "%s", "");
    if (!st) { /* (kept for absent_count) */
        b->gone = gone;
        b->ngone = ngone;
        gone = NULL;
        ngone = 0;
    }
done:
    rec_free(&r);
    cmr__geom_free(ctx, g);
    cmr__geom_free(ctx, valid);
    cmr__free(wkb);
    cmr__free(why_repair);
    for (size_t i = 0; i < ngone; i++) {
        cmr__free(gone[i].country);
        cmr__free(gone[i].id);
    }
    cmr__free(gone);
    cmr__src_close(src);
    return st;
}

/* ---- writing ---- */

struct existing {
    char **keys; /* "COUNTRY\tid", sorted */
    size_t n, cap;
};

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void existing_free(struct existing *e)
{
    for (size_t i = 0; i < e->n; i++)
        cmr__free(e->keys[i]);
    cmr__free(e->keys);
    memset(e, 0, sizeof *e);
}

static enum cmr_status load_existing(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                     const char *table, struct existing *e)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT country, id FROM \"%s\"", table);
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(ctx, ds, sql, &rows);
    if (st)
        return st;
    while (cmr__rows_next(rows)) {
        const char *c = cmr__rows_text(rows, 0), *id = cmr__rows_text(rows, 1);
        char *k = cmr__sprintf("%s\t%s", c ? c : "", id ? id : "");
        if (!k || !cmr__reserve((void **)&e->keys, &e->cap, e->n + 1,
                                sizeof *e->keys)) {
            cmr__free(k);
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        e->keys[e->n++] = k;
    }
    cmr__rows_close(rows);
    if (!st && e->n)
        qsort(e->keys, e->n, sizeof *e->keys, str_cmp);
    return st;
}

/* strcmp(key, country "\t" id), without making the right-hand string:
 * ids have no length limit. */
static int exist_cmp(const char *key, const char *country, const char *id)
{
    const char *parts[3] = {country ? country : "", "\t", id ? id : ""};
    const unsigned char *k = (const unsigned char *)key;
    for (int p = 0; p < 3; p++)
        for (const unsigned char *q = (const unsigned char *)parts[p]; *q;
             q++, k++)
            if (*k != *q)
                return *k < *q ? -1 : 1;
    return *k ? 1 : 0;
}

static bool existing_has(const struct existing *e, const char *country,
                         const char *id);

/* The records of e of the States the source has records of (imported or
 * rejected), less those it has (by State and id, imported or rejected):
 * records a new export left out, which stay as they were. -1 when out of
 * memory. */
static int64_t absent_count(const struct existing *e, const struct batch *b)
{
    if (e->n == 0)
        return 0; /* (a new store) */
    size_t nk = b->n + b->ngone;
    const char **cs = cmr__calloc(nk ? nk : 1, sizeof *cs);
    char **keys = cmr__calloc(nk ? nk : 1, sizeof *keys);
    int64_t n = -1;
    if (!cs || !keys)
        goto done;
    for (size_t i = 0; i < nk; i++) {
        const char *c =
            i < b->n ? b->recs[i].v[F_COUNTRY] : b->gone[i - b->n].country;
        const char *id = i < b->n ? b->recs[i].v[F_ID] : b->gone[i - b->n].id;
        cs[i] = c;
        if (!(keys[i] = cmr__sprintf("%s\t%s", c, id)))
            goto done;
    }
    /* the States, each once */
    qsort(cs, nk, sizeof *cs, str_cmp);
    size_t ns = 0;
    for (size_t i = 0; i < nk; i++)
        if (ns == 0 || strcmp(cs[ns - 1], cs[i]) != 0)
            cs[ns++] = cs[i];
    n = 0;
    for (size_t i = 0; i < e->n; i++) {
        const char *tab = strchr(e->keys[i], '\t');
        size_t len = tab ? (size_t)(tab - e->keys[i]) : 0;
        size_t lo = 0, hi = ns;
        while (lo < hi) { /* (the key's State among them) */
            size_t mid = lo + (hi - lo) / 2;
            int c = strncmp(cs[mid], e->keys[i], len);
            if (c == 0 && cs[mid][len])
                c = 1;
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        n += lo < ns && strlen(cs[lo]) == len &&
             strncmp(cs[lo], e->keys[i], len) == 0;
    }
    /* less those the source has, each (State, id) once */
    qsort(keys, nk, sizeof *keys, str_cmp);
    for (size_t i = 0; i < nk; i++)
        if ((i == 0 || strcmp(keys[i - 1], keys[i]) != 0) &&
            bsearch(&keys[i], e->keys, e->n, sizeof *e->keys, str_cmp))
            n--;
done:
    for (size_t i = 0; keys && i < nk; i++)
        cmr__free(keys[i]);
    cmr__free(keys);
    cmr__free(cs);
    return n;
}

static bool existing_has(const struct existing *e, const char *country,
                         const char *id)
{
    size_t lo = 0, hi = e->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = exist_cmp(e->keys[mid], country, id);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static const char *const hazard_cols[] = {
    "id",        "country", "class",     "contamination",
    "recorded",  "closed",  "marked",    "reported_area_m2",
    "synthetic", "repair",  "import_run"};
static const char *const release_cols[] = {
    "id",        "country",          "method",       "completed",
    "hazard_id", "reported_area_m2", "submunitions", "synthetic",
    "repair",    "import_run"};

static enum cmr_status move_to_history(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                       const char *table,
                                       const char *const *cols, size_t ncols,
                                       const char *country, const char *id,
                                       int64_t run, const char *now)
{
    char list[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < ncols; i++) {
        int w = snprintf(list + used, sizeof list - used, "\"%s\", ", cols[i]);
        if (w > 0)
            used += (size_t)w;
    }
    char *qc = cmr__sql_quote(country), *qi = cmr__sql_quote(id);
    char *sql =
        qc && qi ? cmr__sprintf("INSERT INTO \"%s_history\" (%sgeom, "
                                "replaced_by_run, replaced_at) SELECT %sgeom, "
                                "%lld, '%s' FROM \"%s\" WHERE country = %s AND "
                                "id = %s",
                                table, list, list, (long long)run, now, table,
                                qc, qi)
                 : NULL;
    char *del = qc && qi ? cmr__sprintf("DELETE FROM \"%s\" WHERE country = "
                                        "%s AND id = %s",
                                        table, qc, qi)
                         : NULL;
    enum cmr_status st = sql && del ? cmr__ds_exec(ctx, ds, sql)
                                    : cmr__error(ctx, CMR_ENOMEM, "oom");
    if (!st)
        st = cmr__ds_exec(ctx, ds, del);
    cmr__free(qc);
    cmr__free(qi);
    cmr__free(sql);
    cmr__free(del);
    return st;
}

static enum cmr_status write_batch(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                   struct cmr_import_report *rep,
                                   struct batch *b, int64_t run,
                                   const char *now)
{
    const char *table = b->kind == CMR_KIND_HAZARD ? "hazard" : "release";
    const char *const *cols =
        b->kind == CMR_KIND_HAZARD ? hazard_cols : release_cols;
    size_t nstored = b->kind == CMR_KIND_HAZARD ? HAZARD_STORED : N(release_cf);
    size_t ncols = nstored + 2; /* + repair, import_run */
    struct existing ex = {0};
    enum cmr_status st = load_existing(ctx, ds, table, &ex);
    char runs[32];
    snprintf(runs, sizeof runs, "%lld", (long long)run);
    for (size_t i = 0; i < b->n && !st; i++) {
        struct rec *r = &b->recs[i];
        if (ex.n && existing_has(&ex, r->v[F_COUNTRY], r->v[F_ID])) {
            st = move_to_history(ctx, ds, table, cols, ncols, r->v[F_COUNTRY],
                                 r->v[F_ID], run, now);
            rep->counts[b->kind].replaced++;
        }
        const char *values[MAXF + 2];
        for (size_t f = 0; f < nstored; f++)
            values[f] = r->v[f];
        values[nstored] = r->repair;
        values[nstored + 1] = runs;
        if (!st)
            st = cmr__ds_insert(ctx, ds, table, cols, values, ncols, r->wkb,
                                r->len, NULL);
        if (!st)
            rep->counts[b->kind].imported++;
        if (!st && i % 4096 == 0 &&
            !cmr__progress(ctx, (double)i / (double)b->n, "writing"))
            st = cmr__error(ctx, CMR_EINVAL, "cancelled");
    }
    if (!st && (rep->counts[b->kind].absent = absent_count(&ex, b)) < 0)
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    existing_free(&ex);
    return st;
}

const char *cmr__kind_name(enum cmr_kind k)
{
    static const char *const names[CMR_KIND_COUNT] = {
        "any",       "hazards", "releases", "boundaries",
        "deadlines", "figures", "plan"};
    return k >= 0 && k < CMR_KIND_COUNT ? names[k] : "?";
}

static char *own_mappings(const struct cmr_import_opts *o);

enum cmr_status cmr__import_write_run(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                      const struct cmr_import_opts *o,
                                      const struct cmr_import_report *rep,
                                      enum cmr_kind kind, const char *file,
                                      const char *layer, const char *sha256,
                                      int64_t run, const char *now)
{
    static const char *const names[] = {
        "run",        "started", "kind",       "file",       "layer",
        "sha256",     "n_read",  "n_imported", "n_replaced", "n_rejected",
        "n_repaired", "options", "cmr_version"};
    const struct cmr_import_counts *c = &rep->counts[kind];
    char nums[6][32];
    snprintf(nums[0], 32, "%lld", (long long)run);
    snprintf(nums[1], 32, "%lld", (long long)c->read);
    snprintf(nums[2], 32, "%lld", (long long)c->imported);
    snprintf(nums[3], 32, "%lld", (long long)c->replaced);
    snprintf(nums[4], 32, "%lld", (long long)c->rejected);
    snprintf(nums[5], 32, "%lld", (long long)c->repaired);
    /* the caller's own mappings written out, so that an auditor can tell
     * from the store how each value was read (a preset's are named by it) */
    char *maps = own_mappings(o);
    char *options =
        maps ? cmr__sprintf("country=%s; assume_crs=%s; preset=%s; strict=%d; "
                            "maps=%zu; values=%zu%s%s",
                            o->country ? o->country : "",
                            o->assume_crs ? o->assume_crs : "",
                            o->presets ? o->presets : "", o->strict, o->nmaps,
                            o->nvalues, *maps ? "; " : "", maps)
             : NULL;
    cmr__free(maps);
    if (!options)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    const char *values[] = {nums[0],      now,     cmr__kind_name(kind),
                            file,         layer,   sha256,
                            nums[1],      nums[2], nums[3],
                            nums[4],      nums[5], options,
                            cmr_version()};
    enum cmr_status st = cmr__ds_insert(ctx, ds, "import_run", names, values,
                                        N(names), NULL, 0, NULL);
    cmr__free(options);
    for (size_t i = 0; i < rep->nrejects && !st; i++) {
        const struct reject_row *x = &rep->rejects[i];
        if (x->kind != kind)
            continue;
        static const char *const rn[] = {"run",   "kind",    "file",
                                         "layer", "feature", "record_id",
                                         "field", "reason"};
        char feat[32];
        snprintf(feat, sizeof feat, "%lld", (long long)x->feature);
        const char *rv[] = {nums[0], values[2], x->file,  x->layer,
                            feat,    x->id,     x->field, x->reason};
        st = cmr__ds_insert(ctx, ds, "import_reject", rn, rv, N(rn), NULL, 0,
                            NULL);
    }
    return st;
}

/* The caller's own --map and --value entries, in the order given:
 * "--map hazards.id=HAZ_REF --value class:confirmed=CHA ..."; "" when
 * none; NULL when out of memory. */
static char *own_mappings(const struct cmr_import_opts *o)
{
    static const char *const kinds[] = {"", "hazards.", "releases."};
    char *s = cmr__strdup("");
    for (size_t i = 0; s && i < o->nmaps; i++) {
        const struct map_entry *m = &o->maps[i];
        if (m->preset)
            continue;
        char *t =
            cmr__sprintf("%s%s--map %s%s=%s", s, *s ? " " : "",
                         m->kind <= CMR_KIND_RELEASE ? kinds[m->kind] : "",
                         m->field, m->column);
        cmr__free(s);
        s = t;
    }
    for (size_t i = 0; s && i < o->nvalues; i++) {
        const struct value_entry *v = &o->values[i];
        if (v->preset)
            continue;
        char *t =
            cmr__sprintf("%s%s--value %s%s:%s=%s", s, *s ? " " : "",
                         v->kind <= CMR_KIND_RELEASE ? kinds[v->kind] : "",
                         v->field, v->from, v->to);
        cmr__free(s);
        s = t;
    }
    return s;
}

static enum cmr_status next_run(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                int64_t *run)
{
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(
        ctx, ds, "SELECT COALESCE(MAX(run), 0) + 1 FROM import_run", &rows);
    if (st)
        return st;
    *run = cmr__rows_next(rows) ? cmr__rows_int(rows, 0) : 1;
    cmr__rows_close(rows);
    return CMR_OK;
}

enum cmr_status cmr_import(struct cmr_ctx *ctx, const char *store_path,
                           const struct cmr_import_opts *o,
                           struct cmr_import_report **report)
{
    *report = cmr__calloc(1, sizeof **report);
    if (!*report)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    struct cmr_import_report *rep = *report;
    struct batch batches[2];
    memset(batches, 0, sizeof batches);
    struct cmr__refbatch *refs[CMR_KIND_COUNT] = {NULL};
    struct cmr__plan *plan = NULL;
    struct cmr_store *store = NULL;
    enum cmr_status st = CMR_OK;
    bool any = false;
    for (int k = CMR_KIND_HAZARD; k < CMR_KIND_COUNT; k++)
        any |= o->source[k] != NULL;
    if (!any)
        return cmr__error(ctx, CMR_EINVAL, "nothing to import");

    /* (a store an import stopped while writing is rolled back first: this
     * call writes it anyway) */
    if (!o->dry_run && (st = cmr__ds_recover(ctx, store_path)))
        goto done;
    if ((st = cmr_store_open(ctx, store_path, CMR_STORE_READ, &store)))
        goto done;
    if (o->country) {
        char up[8];
        snprintf(up, sizeof up, "%s", o->country);
        for (char *p = up; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        if (!cmr__store_find_country(store, up)) {
            st = cmr__error(ctx, CMR_EINVAL,
                            "--country %s: not a State the store knows",
                            o->country);
            goto done;
        }
    }
    for (int k = CMR_KIND_HAZARD; k <= CMR_KIND_RELEASE; k++) {
        struct batch *b = &batches[k - 1];
        b->kind = (enum cmr_kind)k;
        b->open = o->source[k];
        if (b->open && !(b->file = cmr__src_shown(b->open))) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            goto done;
        }
        if (b->open && (st = read_source(ctx, o, store, rep, b)))
            goto done;
    }
    for (int k = CMR_KIND_BOUNDARIES; k < CMR_KIND_PLAN; k++)
        if (o->source[k] &&
            (st = cmr__ref_read(ctx, (enum cmr_kind)k, o->source[k], store, rep,
                                &refs[k])))
            goto done;
    if (o->source[CMR_KIND_PLAN] &&
        (st = cmr__plan_read(ctx, o->source[CMR_KIND_PLAN], store, rep, &plan)))
        goto done;
    if (o->strict && rep->nrejects) {
        const struct reject_row *x = &rep->rejects[0];
        st = cmr__error(ctx, CMR_EREJECT,
                        "%zu feature(s) rejected and --strict is on; nothing "
                        "was written (first: %s, feature %lld, id '%s', field "
                        "%s: %s)",
                        rep->nrejects, x->file, (long long)x->feature,
                        x->id ? x->id : "", x->field, x->reason);
        goto done;
    }
    cmr_store_close(store);
    store = NULL;
    if (o->dry_run) {
        struct cmr__ds *ro = NULL;
        if ((st = cmr__ds_open(ctx, store_path, false, &ro)))
            goto done;
        for (int k = 1; k <= 2 && !st; k++) {
            struct batch *b = &batches[k - 1];
            rep->counts[k].imported = (int64_t)b->n;
            struct existing ex = {0};
            if (b->file &&
                !(st = load_existing(ctx, ro, k == 1 ? "hazard" : "release",
                                     &ex))) {
                for (size_t i = 0; i < b->n; i++)
                    rep->counts[k].replaced += existing_has(
                        &ex, b->recs[i].v[F_COUNTRY], b->recs[i].v[F_ID]);
                if ((rep->counts[k].absent = absent_count(&ex, b)) < 0)
                    st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            }
            existing_free(&ex);
        }
        cmr__ds_close(ro);
        goto done;
    }

    struct cmr__ds *ds = NULL;
    if ((st = cmr__ds_open(ctx, store_path, true, &ds)))
        goto done;
    if ((st = cmr__ds_begin(ctx, ds))) {
        cmr__ds_close(ds);
        goto done;
    }
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int64_t run = 0;
    st = next_run(ctx, ds, &run);
    for (int k = CMR_KIND_BOUNDARIES; k < CMR_KIND_COUNT && !st; k++)
        if (refs[k])
            st = cmr__ref_write(ctx, ds, o, rep, refs[k], run, now);
    if (!st && plan)
        st = cmr__plan_write(ctx, ds, o, rep, plan, run, now);
    for (int k = 0; k < 2 && !st; k++) {
        if (!batches[k].file)
            continue;
        st = write_batch(ctx, ds, rep, &batches[k], run, now);
        if (!st)
            st = cmr__import_write_run(ctx, ds, o, rep, batches[k].kind,
                                       batches[k].file, batches[k].layer,
                                       batches[k].sha256, run, now);
    }
    if (!st)
        st = cmr__ds_commit(ctx, ds);
    if (st) {
        cmr__ds_rollback(ctx, ds);
        for (int k = 1; k < CMR_KIND_COUNT; k++)
            rep->counts[k].imported = rep->counts[k].replaced =
                rep->counts[k].absent = 0;
    } else {
        rep->run = run;
    }
    cmr__ds_close(ds);
done:
    for (int k = 0; k < CMR_KIND_COUNT; k++)
        cmr__ref_free(refs[k]);
    cmr__plan_free(plan);
    cmr_store_close(store);
    batch_clear(&batches[0]);
    batch_clear(&batches[1]);
    return st;
}
