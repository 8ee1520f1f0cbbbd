/* SPDX-License-Identifier: MIT */
/* The GEOS bridge: the only file that includes geos_c.h. Every call goes
 * through the reentrant API with the context's handle; GEOS errors land in
 * the context's message, notices in its log. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <geos_c.h>

#include "crs.h"
#include "geom.h"

struct cmr_geom {
    GEOSGeometry *g;
};

static void on_error(const char *msg, void *user)
{
    struct cmr_ctx *ctx = user;
    snprintf(ctx->errmsg, sizeof ctx->errmsg, "GEOS: %s", msg);
}

static void on_notice(const char *msg, void *user)
{
    cmr__log(user, CMR_LOG_DEBUG, "GEOS: %s", msg);
}

void *cmr__geom_handle_new(struct cmr_ctx *ctx)
{
    GEOSContextHandle_t h = GEOS_init_r();
    if (!h)
        return NULL;
    GEOSContext_setErrorMessageHandler_r(h, on_error, ctx);
    GEOSContext_setNoticeMessageHandler_r(h, on_notice, ctx);
    return h;
}

void cmr__geom_handle_free(void *handle)
{
    if (handle)
        GEOS_finish_r(handle);
}

static struct cmr_geom *wrap(struct cmr_ctx *ctx, GEOSGeometry *g)
{
    struct cmr_geom *w = cmr__malloc(sizeof *w);
    if (!w) {
        GEOSGeom_destroy_r(ctx->geos, g);
        return NULL;
    }
    w->g = g;
    return w;
}

void cmr__geom_free(struct cmr_ctx *ctx, struct cmr_geom *g)
{
    if (!g)
        return;
    GEOSGeom_destroy_r(ctx->geos, g->g);
    cmr__free(g);
}

enum cmr_status cmr__geom_from_wkb(struct cmr_ctx *ctx,
                                   const unsigned char *wkb, size_t len,
                                   struct cmr_geom **out)
{
    *out = NULL;
    GEOSWKBReader *r = GEOSWKBReader_create_r(ctx->geos);
    if (!r)
        return cmr__error(ctx, CMR_ENOMEM, "GEOS: cannot create WKB reader");
    ctx->errmsg[0] = '\0';
    GEOSGeometry *g = GEOSWKBReader_read_r(ctx->geos, r, wkb, len);
    GEOSWKBReader_destroy_r(ctx->geos, r);
    if (!g)
        return ctx->errmsg[0] ? CMR_EFORMAT
                              : cmr__error(ctx, CMR_EFORMAT, "GEOS: bad WKB");
    *out = wrap(ctx, g);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

enum cmr_status cmr__geom_from_wkt(struct cmr_ctx *ctx, const char *wkt,
                                   struct cmr_geom **out)
{
    *out = NULL;
    GEOSWKTReader *r = GEOSWKTReader_create_r(ctx->geos);
    if (!r)
        return cmr__error(ctx, CMR_ENOMEM, "GEOS: cannot create WKT reader");
    ctx->errmsg[0] = '\0';
    GEOSGeometry *g = GEOSWKTReader_read_r(ctx->geos, r, wkt);
    GEOSWKTReader_destroy_r(ctx->geos, r);
    if (!g)
        return ctx->errmsg[0] ? CMR_EFORMAT
                              : cmr__error(ctx, CMR_EFORMAT, "GEOS: bad WKT");
    *out = wrap(ctx, g);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

enum cmr_status cmr__geom_to_wkb(struct cmr_ctx *ctx, const struct cmr_geom *g,
                                 unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(ctx->geos);
    if (!w)
        return cmr__error(ctx, CMR_ENOMEM, "GEOS: cannot create WKB writer");
    GEOSWKBWriter_setOutputDimension_r(ctx->geos, w, 2);
    GEOSWKBWriter_setByteOrder_r(ctx->geos, w, GEOS_WKB_NDR);
    size_t n = 0;
    unsigned char *buf = GEOSWKBWriter_write_r(ctx->geos, w, g->g, &n);
    GEOSWKBWriter_destroy_r(ctx->geos, w);
    if (!buf)
        return CMR_EGEOM;
    *out = cmr__malloc(n);
    if (*out) {
        memcpy(*out, buf, n);
        *len = n;
    }
    GEOSFree_r(ctx->geos, buf);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

enum cmr_status cmr__geom_to_wkt(struct cmr_ctx *ctx, const struct cmr_geom *g,
                                 int decimals, char **out)
{
    *out = NULL;
    GEOSWKTWriter *w = GEOSWKTWriter_create_r(ctx->geos);
    if (!w)
        return cmr__error(ctx, CMR_ENOMEM, "GEOS: cannot create WKT writer");
    GEOSWKTWriter_setTrim_r(ctx->geos, w, 1);
    GEOSWKTWriter_setRoundingPrecision_r(ctx->geos, w, decimals);
    char *s = GEOSWKTWriter_write_r(ctx->geos, w, g->g);
    GEOSWKTWriter_destroy_r(ctx->geos, w);
    if (!s)
        return CMR_EGEOM;
    *out = cmr__strdup(s);
    GEOSFree_r(ctx->geos, s);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

bool cmr__geom_is_empty(struct cmr_ctx *ctx, const struct cmr_geom *g)
{
    return GEOSisEmpty_r(ctx->geos, g->g) != 0;
}

/* Collects the polygons of g (recursively through collections) as clones
 * into parts; returns false on allocation failure. */
static bool collect_polygons(struct cmr_ctx *ctx, const GEOSGeometry *g,
                             GEOSGeometry ***parts, size_t *n, size_t *cap)
{
    int type = GEOSGeomTypeId_r(ctx->geos, g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(ctx->geos, g))
            return true;
        if (!cmr__reserve((void **)parts, cap, *n + 1, sizeof **parts))
            return false;
        GEOSGeometry *c = GEOSGeom_clone_r(ctx->geos, g);
        if (!c)
            return false;
        (*parts)[(*n)++] = c;
        return true;
    }
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int k = GEOSGetNumGeometries_r(ctx->geos, g);
        for (int i = 0; i < k; i++)
            if (!collect_polygons(ctx, GEOSGetGeometryN_r(ctx->geos, g, i),
                                  parts, n, cap))
                return false;
    }
    return true;
}

/* Builds a MultiPolygon from the polygonal parts of g. */
static GEOSGeometry *to_multipolygon(struct cmr_ctx *ctx, const GEOSGeometry *g)
{
    GEOSGeometry **parts = NULL;
    size_t n = 0, cap = 0;
    GEOSGeometry *out = NULL;
    if (!collect_polygons(ctx, g, &parts, &n, &cap))
        goto done;
    out = GEOSGeom_createCollection_r(ctx->geos, GEOS_MULTIPOLYGON, parts,
                                      (unsigned)n);
    if (out)
        n = 0; /* the collection took the parts */
done:
    for (size_t i = 0; i < n; i++)
        GEOSGeom_destroy_r(ctx->geos, parts[i]);
    cmr__free(parts);
    return out;
}

enum cmr_status cmr__geom_invalid(struct cmr_ctx *ctx, const struct cmr_geom *g,
                                  char **why)
{
    *why = NULL;
    char *reason = GEOSisValidReason_r(ctx->geos, g->g);
    if (!reason)
        return cmr__error_prefix(ctx, CMR_EGEOM, "validity check failed");
    enum cmr_status st = CMR_OK;
    if (strcmp(reason, "Valid Geometry") != 0 && !(*why = cmr__strdup(reason)))
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    GEOSFree_r(ctx->geos, reason);
    return st;
}

enum cmr_status cmr__geom_make_valid(struct cmr_ctx *ctx,
                                     const struct cmr_geom *g,
                                     struct cmr_geom **out, bool *repaired,
                                     char **why)
{
    *out = NULL;
    *repaired = false;
    *why = NULL;
    GEOSGeometry *fixed = NULL, *multi = NULL;
    char *reason = GEOSisValidReason_r(ctx->geos, g->g);
    if (!reason)
        return cmr__error_prefix(ctx, CMR_EGEOM, "validity check failed");
    bool valid = strcmp(reason, "Valid Geometry") == 0;
    if (!valid) {
        *why = cmr__strdup(reason);
        *repaired = true;
    }
    GEOSFree_r(ctx->geos, reason);
    if (!valid && !*why)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");

    const GEOSGeometry *src = g->g;
    if (!valid) {
        GEOSMakeValidParams *p = GEOSMakeValidParams_create_r(ctx->geos);
        if (!p)
            goto nomem;
        GEOSMakeValidParams_setMethod_r(ctx->geos, p,
                                        GEOS_MAKE_VALID_STRUCTURE);
        GEOSMakeValidParams_setKeepCollapsed_r(ctx->geos, p, 0);
        fixed = GEOSMakeValidWithParams_r(ctx->geos, g->g, p);
        GEOSMakeValidParams_destroy_r(ctx->geos, p);
        if (!fixed) {
            cmr__free(*why);
            *why = NULL;
            *repaired = false;
            return cmr__error_prefix(ctx, CMR_EGEOM, "repair failed");
        }
        src = fixed;
    }
    multi = to_multipolygon(ctx, src);
    if (fixed)
        GEOSGeom_destroy_r(ctx->geos, fixed);
    if (!multi)
        goto nomem;
    if (GEOSisEmpty_r(ctx->geos, multi)) {
        GEOSGeom_destroy_r(ctx->geos, multi);
        cmr__free(*why);
        *why = NULL;
        *repaired = false;
        return cmr__error(ctx, CMR_EGEOM,
                          "no polygonal area left after repair");
    }
    *out = wrap(ctx, multi);
    if (!*out)
        goto nomem;
    return CMR_OK;
nomem:
    cmr__free(*why);
    *why = NULL;
    *repaired = false;
    return cmr__error(ctx, CMR_ENOMEM, "out of memory in geometry repair");
}

enum cmr_status cmr__geom_bounds(struct cmr_ctx *ctx, const struct cmr_geom *g,
                                 struct cmr__bbox *out)
{
    memset(out, 0, sizeof *out);
    if (GEOSisEmpty_r(ctx->geos, g->g))
        return cmr__error(ctx, CMR_EGEOM, "empty geometry has no bounds");
    if (!GEOSGeom_getXMin_r(ctx->geos, g->g, &out->minx) ||
        !GEOSGeom_getYMin_r(ctx->geos, g->g, &out->miny) ||
        !GEOSGeom_getXMax_r(ctx->geos, g->g, &out->maxx) ||
        !GEOSGeom_getYMax_r(ctx->geos, g->g, &out->maxy))
        return cmr__error(ctx, CMR_EGEOM, "the bounds cannot be measured");
    return CMR_OK;
}

/* Copies a ring's coordinates into *xy (grown as needed). */
static enum cmr_status ring_coords(struct cmr_ctx *ctx,
                                   const GEOSGeometry *ring, double **xy,
                                   size_t *cap, size_t *n)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(ctx->geos, ring);
    unsigned int size = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx->geos, seq, &size))
        return cmr__error(ctx, CMR_EGEOM, "cannot read a ring");
    if (!cmr__reserve((void **)xy, cap, 2 * (size_t)size, sizeof **xy))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    if (size && !GEOSCoordSeq_copyToBuffer_r(ctx->geos, seq, *xy, 0, 0))
        return cmr__error(ctx, CMR_EGEOM, "cannot read a ring");
    *n = size;
    return CMR_OK;
}

enum cmr_status cmr__geom_area_geodesic(struct cmr_ctx *ctx,
                                        const struct cmr_geom *g, double *m2)
{
    *m2 = 0;
    double *xy = NULL, sum = 0;
    size_t cap = 0, n = 0;
    enum cmr_status st = CMR_OK;
    int type = GEOSGeomTypeId_r(ctx->geos, g->g);
    int np = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(ctx->geos, g->g);
    for (int i = 0; i < np && !st; i++) {
        const GEOSGeometry *poly = type == GEOS_POLYGON
                                       ? g->g
                                       : GEOSGetGeometryN_r(ctx->geos, g->g, i);
        if (GEOSGeomTypeId_r(ctx->geos, poly) != GEOS_POLYGON ||
            GEOSisEmpty_r(ctx->geos, poly))
            continue;
        const GEOSGeometry *shell = GEOSGetExteriorRing_r(ctx->geos, poly);
        if ((st = ring_coords(ctx, shell, &xy, &cap, &n)))
            break;
        sum += cmr__crs_ring_area(xy, n);
        int nh = GEOSGetNumInteriorRings_r(ctx->geos, poly);
        for (int h = 0; h < nh && !st; h++) {
            st = ring_coords(ctx, GEOSGetInteriorRingN_r(ctx->geos, poly, h),
                             &xy, &cap, &n);
            if (!st)
                sum -= cmr__crs_ring_area(xy, n);
        }
    }
    cmr__free(xy);
    if (!st && isnan(sum))
        st = cmr__crs_failure(ctx); /* a long edge, and no PROJ */
    if (!st)
        *m2 = sum;
    return st;
}

/* ---- overlay for the ledger ---- */

struct cmr__prep {
    const GEOSPreparedGeometry *p;
};

enum cmr_status cmr__prep_new(struct cmr_ctx *ctx, const struct cmr_geom *g,
                              struct cmr__prep **out)
{
    *out = cmr__malloc(sizeof **out);
    if (!*out)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    (*out)->p = GEOSPrepare_r(ctx->geos, g->g);
    if (!(*out)->p) {
        cmr__free(*out);
        *out = NULL;
        return CMR_EGEOM;
    }
    return CMR_OK;
}

void cmr__prep_free(struct cmr_ctx *ctx, struct cmr__prep *p)
{
    if (!p)
        return;
    GEOSPreparedGeom_destroy_r(ctx->geos, p->p);
    cmr__free(p);
}

static enum cmr_status predicate(struct cmr_ctx *ctx, char r, bool *out)
{
    if (r == 2) {
        *out = false;
        return ctx->errmsg[0] ? CMR_EGEOM
                              : cmr__error(ctx, CMR_EGEOM, "GEOS predicate");
    }
    *out = r == 1;
    return CMR_OK;
}

enum cmr_status cmr__prep_intersects(struct cmr_ctx *ctx,
                                     const struct cmr__prep *p,
                                     const struct cmr_geom *g, bool *out)
{
    return predicate(ctx, GEOSPreparedIntersects_r(ctx->geos, p->p, g->g), out);
}

enum cmr_status cmr__prep_contains(struct cmr_ctx *ctx,
                                   const struct cmr__prep *p,
                                   const struct cmr_geom *g, bool *out)
{
    return predicate(ctx, GEOSPreparedContains_r(ctx->geos, p->p, g->g), out);
}

enum cmr_status cmr__prep_covers_xy(struct cmr_ctx *ctx,
                                    const struct cmr__prep *p, double x,
                                    double y, bool *out)
{
    *out = false;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(ctx->geos, x, y);
    if (!pt)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    char r = GEOSPreparedIntersects_r(ctx->geos, p->p, pt);
    GEOSGeom_destroy_r(ctx->geos, pt);
    return predicate(ctx, r, out);
}

/* A geometry whose envelope is b, for the STRtree, which reads nothing
 * else of it: the diagonal from (minx, miny) to (maxx, maxy), two points
 * (a rectangle is a polygon, a ring and five points). */
static GEOSGeometry *box_geom(struct cmr_ctx *ctx, struct cmr__bbox b)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(ctx->geos, 2, 2);
    if (!cs)
        return NULL;
    if (!GEOSCoordSeq_setXY_r(ctx->geos, cs, 0, b.minx, b.miny) ||
        !GEOSCoordSeq_setXY_r(ctx->geos, cs, 1, b.maxx, b.maxy)) {
        GEOSCoordSeq_destroy_r(ctx->geos, cs);
        return NULL;
    }
    return GEOSGeom_createLineString_r(ctx->geos, cs); /* takes cs */
}

struct cmr__tree {
    GEOSSTRtree *t;
    GEOSGeometry **boxes;
    size_t n;
};

enum cmr_status cmr__tree_new(struct cmr_ctx *ctx,
                              const struct cmr__bbox *boxes, size_t n,
                              struct cmr__tree **out)
{
    *out = NULL;
    struct cmr__tree *t = cmr__calloc(1, sizeof *t);
    if (!t)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    t->boxes = cmr__calloc(n ? n : 1, sizeof *t->boxes);
    t->t = GEOSSTRtree_create_r(ctx->geos, 10);
    if (!t->boxes || !t->t) {
        cmr__tree_free(ctx, t);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        t->boxes[i] = box_geom(ctx, boxes[i]);
        if (!t->boxes[i]) {
            cmr__tree_free(ctx, t);
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        }
        t->n = i + 1;
        GEOSSTRtree_insert_r(ctx->geos, t->t, t->boxes[i],
                             (void *)(uintptr_t)i);
    }
    *out = t;
    return CMR_OK;
}

void cmr__tree_free(struct cmr_ctx *ctx, struct cmr__tree *t)
{
    if (!t)
        return;
    if (t->t)
        GEOSSTRtree_destroy_r(ctx->geos, t->t);
    for (size_t i = 0; i < t->n; i++)
        GEOSGeom_destroy_r(ctx->geos, t->boxes[i]);
    cmr__free(t->boxes);
    cmr__free(t);
}

struct hits {
    size_t **arr, *n, *cap;
    bool oom;
};

static void on_hit(void *item, void *user)
{
    struct hits *h = user;
    if (h->oom ||
        !cmr__reserve((void **)h->arr, h->cap, *h->n + 1, sizeof **h->arr)) {
        h->oom = true;
        return;
    }
    (*h->arr)[(*h->n)++] = (size_t)(uintptr_t)item;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

enum cmr_status cmr__tree_query(struct cmr_ctx *ctx, struct cmr__tree *t,
                                struct cmr__bbox box, size_t **hits,
                                size_t *nhits, size_t *cap)
{
    *nhits = 0;
    GEOSGeometry *q = box_geom(ctx, box);
    if (!q)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    struct hits h = {hits, nhits, cap, false};
    GEOSSTRtree_query_r(ctx->geos, t->t, q, on_hit, &h);
    GEOSGeom_destroy_r(ctx->geos, q);
    if (h.oom)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    if (*nhits)
        qsort(*hits, *nhits, sizeof **hits, cmp_size);
    return CMR_OK;
}

enum cmr_status cmr__tree_query_item(struct cmr_ctx *ctx, struct cmr__tree *t,
                                     size_t i, size_t **hits, size_t *nhits,
                                     size_t *cap)
{
    *nhits = 0;
    struct hits h = {hits, nhits, cap, false};
    GEOSSTRtree_query_r(ctx->geos, t->t, t->boxes[i], on_hit, &h);
    if (h.oom)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    return CMR_OK;
}

enum cmr_status cmr__geom_faces(struct cmr_ctx *ctx,
                                struct cmr_geom *const *geoms, size_t n,
                                struct cmr_geom *const *lines, size_t nlines,
                                double grid, struct cmr_geom ***faces,
                                size_t *nfaces)
{
    *faces = NULL;
    *nfaces = 0;
    enum cmr_status st = CMR_OK;
    GEOSGeometry **parts = cmr__calloc(n + nlines + 1, sizeof *parts);
    GEOSGeometry *coll = NULL, *noded = NULL, *polys = NULL;
    size_t np = 0;
    if (!parts)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        parts[np] = GEOSBoundary_r(ctx->geos, geoms[i]->g);
        if (!parts[np]) {
            st = cmr__error_prefix(ctx, CMR_EGEOM, "boundary");
            goto done;
        }
        np++;
    }
    for (size_t i = 0; i < nlines; i++) {
        parts[np] = GEOSGeom_clone_r(ctx->geos, lines[i]->g);
        if (!parts[np]) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            goto done;
        }
        np++;
    }
    coll = GEOSGeom_createCollection_r(ctx->geos, GEOS_GEOMETRYCOLLECTION,
                                       parts, (unsigned)np);
    if (!coll) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    np = 0; /* the collection owns the parts */
    noded = grid > 0 ? GEOSUnaryUnionPrec_r(ctx->geos, coll, grid)
                     : GEOSUnaryUnion_r(ctx->geos, coll);
    if (!noded) {
        st = cmr__error_prefix(ctx, CMR_EGEOM, "noding the line work");
        goto done;
    }
    const GEOSGeometry *in[1] = {noded};
    polys = GEOSPolygonize_r(ctx->geos, in, 1);
    if (!polys) {
        st = cmr__error_prefix(ctx, CMR_EGEOM, "polygonize");
        goto done;
    }
    int k = GEOSGetNumGeometries_r(ctx->geos, polys);
    *faces = cmr__calloc(k > 0 ? (size_t)k : 1, sizeof **faces);
    if (!*faces) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < k; i++) {
        GEOSGeometry *c = GEOSGeom_clone_r(
            ctx->geos, GEOSGetGeometryN_r(ctx->geos, polys, i));
        struct cmr_geom *w = c ? wrap(ctx, c) : NULL;
        if (!w) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            goto done;
        }
        (*faces)[(*nfaces)++] = w;
    }
done:
    for (size_t i = 0; i < np; i++)
        GEOSGeom_destroy_r(ctx->geos, parts[i]);
    cmr__free(parts);
    if (coll)
        GEOSGeom_destroy_r(ctx->geos, coll);
    if (noded)
        GEOSGeom_destroy_r(ctx->geos, noded);
    if (polys)
        GEOSGeom_destroy_r(ctx->geos, polys);
    if (st) {
        for (size_t i = 0; i < *nfaces; i++)
            cmr__geom_free(ctx, (*faces)[i]);
        cmr__free(*faces);
        *faces = NULL;
        *nfaces = 0;
    }
    return st;
}

enum cmr_status cmr__geom_interior_xy(struct cmr_ctx *ctx,
                                      const struct cmr_geom *g, double *x,
                                      double *y)
{
    GEOSGeometry *p = GEOSPointOnSurface_r(ctx->geos, g->g);
    if (!p)
        return cmr__error_prefix(ctx, CMR_EGEOM, "point on surface");
    int ok = !GEOSisEmpty_r(ctx->geos, p) && GEOSGeomGetX_r(ctx->geos, p, x) &&
             GEOSGeomGetY_r(ctx->geos, p, y);
    GEOSGeom_destroy_r(ctx->geos, p);
    return ok ? CMR_OK : cmr__error(ctx, CMR_EGEOM, "no interior point");
}

enum cmr_status cmr__geom_boundary_in(struct cmr_ctx *ctx,
                                      const struct cmr_geom *g,
                                      struct cmr__bbox box,
                                      struct cmr_geom **out)
{
    *out = NULL;
    GEOSGeometry *b = GEOSBoundary_r(ctx->geos, g->g);
    if (!b)
        return cmr__error_prefix(ctx, CMR_EGEOM, "boundary");
    GEOSGeometry *c =
        GEOSClipByRect_r(ctx->geos, b, box.minx, box.miny, box.maxx, box.maxy);
    GEOSGeom_destroy_r(ctx->geos, b);
    if (!c)
        return cmr__error_prefix(ctx, CMR_EGEOM, "clip");
    if (GEOSisEmpty_r(ctx->geos, c)) {
        GEOSGeom_destroy_r(ctx->geos, c);
        return CMR_OK;
    }
    *out = wrap(ctx, c);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

enum cmr_status cmr__geom_difference(struct cmr_ctx *ctx,
                                     const struct cmr_geom *a,
                                     const struct cmr_geom *b,
                                     struct cmr_geom **out)
{
    *out = NULL;
    GEOSGeometry *d = GEOSDifference_r(ctx->geos, a->g, b->g);
    if (!d)
        return cmr__error_prefix(ctx, CMR_EGEOM, "difference");
    *out = wrap(ctx, d);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

size_t cmr__geom_npoints(struct cmr_ctx *ctx, const struct cmr_geom *g)
{
    int n = GEOSGetNumCoordinates_r(ctx->geos, g->g);
    return n > 0 ? (size_t)n : 0;
}

/* ---- construction ---- */

enum cmr_status cmr__geom_polygon(struct cmr_ctx *ctx, const double *xy,
                                  size_t n, struct cmr_geom **out)
{
    *out = NULL;
    GEOSCoordSequence *seq =
        GEOSCoordSeq_copyFromBuffer_r(ctx->geos, xy, (unsigned)n, 0, 0);
    if (!seq)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    GEOSGeometry *ring = GEOSGeom_createLinearRing_r(ctx->geos, seq);
    if (!ring)
        return cmr__error_prefix(ctx, CMR_EGEOM, "ring");
    GEOSGeometry *poly = GEOSGeom_createPolygon_r(ctx->geos, ring, NULL, 0);
    if (!poly) {
        GEOSGeom_destroy_r(ctx->geos, ring);
        return cmr__error_prefix(ctx, CMR_EGEOM, "polygon");
    }
    *out = wrap(ctx, poly);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

enum cmr_status cmr__geom_rect(struct cmr_ctx *ctx, struct cmr__bbox box,
                               struct cmr_geom **out)
{
    GEOSGeometry *r = GEOSGeom_createRectangle_r(ctx->geos, box.minx, box.miny,
                                                 box.maxx, box.maxy);
    *out = r ? wrap(ctx, r) : NULL;
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

enum cmr_status cmr__geom_clip(struct cmr_ctx *ctx, const struct cmr_geom *g,
                               struct cmr__bbox box, struct cmr_geom **out)
{
    *out = NULL;
    GEOSGeometry *c = GEOSClipByRect_r(ctx->geos, g->g, box.minx, box.miny,
                                       box.maxx, box.maxy);
    if (!c)
        return cmr__error_prefix(ctx, CMR_EGEOM, "clip");
    *out = wrap(ctx, c);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

enum cmr_status cmr__geom_intersection(struct cmr_ctx *ctx,
                                       const struct cmr_geom *a,
                                       const struct cmr_geom *b,
                                       struct cmr_geom **out)
{
    *out = NULL;
    GEOSGeometry *i = GEOSIntersection_r(ctx->geos, a->g, b->g);
    if (!i)
        return cmr__error_prefix(ctx, CMR_EGEOM, "intersection");
    *out = wrap(ctx, i);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

enum cmr_status cmr__geom_point(struct cmr_ctx *ctx, double x, double y,
                                struct cmr_geom **out)
{
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(ctx->geos, x, y);
    *out = p ? wrap(ctx, p) : NULL;
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

enum cmr_status cmr__prep_covers_point(struct cmr_ctx *ctx,
                                       const struct cmr__prep *p,
                                       const struct cmr_geom *pt, bool *out)
{
    return predicate(ctx, GEOSPreparedIntersects_r(ctx->geos, p->p, pt->g),
                     out);
}

/* ---- rings straight from WKB ---- */

struct wkb_in {
    const unsigned char *p, *end;
};

static bool wkb_u32(struct wkb_in *in, bool big, uint32_t *v)
{
    if (in->end - in->p < 4)
        return false;
    const unsigned char *b = in->p;
    *v = big ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
                   (uint32_t)b[2] << 8 | b[3]
             : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 |
                   (uint32_t)b[1] << 8 | b[0];
    in->p += 4;
    return true;
}

/* A geometry's byte order and type. */
static bool wkb_head(struct wkb_in *in, bool *big, uint32_t *type)
{
    if (in->p == in->end || *in->p > 1)
        return false;
    *big = *in->p++ == 0;
    return wkb_u32(in, *big, type);
}

/* Whether this machine stores numbers big-endian (a constant to GCC). */
static bool host_big(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 0;
}

static double wkb_f64(const unsigned char *b, bool big)
{
    uint64_t u = 0;
    for (int k = 0; k < 8; k++)
        u = u << 8 | b[big ? k : 7 - k];
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* One polygon's rings: counted (xy NULL), or copied to r. */
static bool wkb_polygon(struct wkb_in *in, struct cmr__rings *r, size_t poly,
                        size_t *npts, size_t *nrings)
{
    bool big;
    uint32_t type, nr;
    if (!wkb_head(in, &big, &type) || type != 3 || !wkb_u32(in, big, &nr) ||
        nr == 0)
        return false;
    for (uint32_t k = 0; k < nr; k++) {
        uint32_t n;
        if (!wkb_u32(in, big, &n) || n < 4 ||
            (size_t)(in->end - in->p) / 16 < n)
            return false;
        const unsigned char *first = in->p,
                            *last = in->p + 16 * ((size_t)n - 1);
        if (memcmp(first, last, 16) != 0) /* not closed */
            return false;
        if (r->xy) {
            double *xy = r->xy + 2 * *npts;
            if (big == host_big()) /* the host's order: copied whole */
                memcpy(xy, in->p, 16 * (size_t)n);
            else
                for (size_t v = 0; v < 2 * (size_t)n; v++)
                    xy[v] = wkb_f64(in->p + 8 * v, big);
            for (size_t v = 0; v < 2 * (size_t)n; v++)
                if (!isfinite(xy[v]))
                    return false;
            r->start[*nrings] = *npts;
            r->poly[*nrings] = poly;
            r->start[*nrings + 1] = *npts + n;
        }
        in->p += 16 * (size_t)n;
        *npts += n;
        ++*nrings;
    }
    return true;
}

/* Walks a Polygon or MultiPolygon: counts, or copies into r. */
static bool wkb_walk(const unsigned char *wkb, size_t len, struct cmr__rings *r,
                     size_t *npts, size_t *nrings)
{
    struct wkb_in in = {wkb, wkb + len};
    struct wkb_in head = in;
    bool big;
    uint32_t type, np;
    *npts = *nrings = 0;
    if (!wkb_head(&head, &big, &type))
        return false;
    if (type == 3) {
        if (!wkb_polygon(&in, r, 0, npts, nrings))
            return false;
    } else if (type == 6 && wkb_u32(&head, big, &np) && np > 0) {
        in = head;
        for (uint32_t i = 0; i < np; i++)
            if (!wkb_polygon(&in, r, i, npts, nrings))
                return false;
    } else {
        return false;
    }
    return in.p == in.end;
}

enum cmr_status cmr__wkb_rings(struct cmr_ctx *ctx, const unsigned char *wkb,
                               size_t len, struct cmr__rings *out, bool *taken)
{
    memset(out, 0, sizeof *out);
    *taken = false;
    size_t npts, nrings;
    if (!wkb || !wkb_walk(wkb, len, out, &npts, &nrings))
        return CMR_OK;
    out->xy = cmr__malloc(2 * npts * sizeof *out->xy);
    out->start = cmr__malloc((nrings + 1) * sizeof *out->start);
    out->poly = cmr__malloc((nrings + 1) * sizeof *out->poly);
    if (!out->xy || !out->start || !out->poly) {
        cmr__rings_free(out);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    out->start[0] = 0;
    /* copied: fails only on a coordinate that is not finite */
    if (!wkb_walk(wkb, len, out, &npts, &nrings)) {
        cmr__rings_free(out);
        return CMR_OK;
    }
    out->npts = npts;
    out->nrings = nrings;
    *taken = true;
    return CMR_OK;
}

void cmr__rings_free(struct cmr__rings *r)
{
    cmr__free(r->xy);
    cmr__free(r->start);
    cmr__free(r->poly);
    memset(r, 0, sizeof *r);
}

static bool add_ring(struct cmr_ctx *ctx, const GEOSGeometry *ring,
                     struct cmr__rings *r, size_t *capxy, size_t *capr,
                     size_t poly)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(ctx->geos, ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx->geos, seq, &n))
        return false;
    size_t capp = *capr;
    if (!cmr__reserve((void **)&r->xy, capxy, 2 * (r->npts + n),
                      sizeof *r->xy) ||
        !cmr__reserve((void **)&r->start, capr, r->nrings + 2,
                      sizeof *r->start) ||
        !cmr__reserve((void **)&r->poly, &capp, r->nrings + 2, sizeof *r->poly))
        return false;
    if (n &&
        !GEOSCoordSeq_copyToBuffer_r(ctx->geos, seq, r->xy + 2 * r->npts, 0, 0))
        return false;
    r->start[r->nrings] = r->npts;
    r->poly[r->nrings] = poly;
    r->nrings++;
    r->npts += n;
    r->start[r->nrings] = r->npts;
    return true;
}

enum cmr_status cmr__geom_rings(struct cmr_ctx *ctx, const struct cmr_geom *g,
                                struct cmr__rings *out)
{
    memset(out, 0, sizeof *out);
    size_t capxy = 0, capr = 0;
    int type = GEOSGeomTypeId_r(ctx->geos, g->g);
    int np = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(ctx->geos, g->g);
    for (int i = 0; i < np; i++) {
        const GEOSGeometry *p = type == GEOS_POLYGON
                                    ? g->g
                                    : GEOSGetGeometryN_r(ctx->geos, g->g, i);
        if (GEOSGeomTypeId_r(ctx->geos, p) != GEOS_POLYGON ||
            GEOSisEmpty_r(ctx->geos, p))
            continue;
        bool ok = add_ring(ctx, GEOSGetExteriorRing_r(ctx->geos, p), out,
                           &capxy, &capr, (size_t)i);
        int nh = GEOSGetNumInteriorRings_r(ctx->geos, p);
        for (int h = 0; h < nh && ok; h++)
            ok = add_ring(ctx, GEOSGetInteriorRingN_r(ctx->geos, p, h), out,
                          &capxy, &capr, (size_t)i);
        if (!ok) {
            cmr__rings_free(out);
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        }
    }
    return CMR_OK;
}
