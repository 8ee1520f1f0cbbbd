/* SPDX-License-Identifier: MIT */
/* Internal geometry API: the only door to GEOS. Geometries cross module
 * boundaries as struct cmr_geom handles or as WKB. */
#ifndef CMR_GEOM_H
#define CMR_GEOM_H

#include "internal.h"

struct cmr_geom; /* wraps a GEOSGeometry owned by the context's handle */

/* Reads WKB. CMR_EFORMAT with GEOS's message when it cannot be parsed. */
enum cmr_status cmr__geom_from_wkb(struct cmr_ctx *ctx,
                                   const unsigned char *wkb, size_t len,
                                   struct cmr_geom **out) CMR_WARN_UNUSED;
enum cmr_status cmr__geom_from_wkt(struct cmr_ctx *ctx, const char *wkt,
                                   struct cmr_geom **out) CMR_WARN_UNUSED;
void cmr__geom_free(struct cmr_ctx *ctx, struct cmr_geom *g);

/* Serialises to ISO WKB (2D); *out is freed with cmr__free. */
enum cmr_status cmr__geom_to_wkb(struct cmr_ctx *ctx, const struct cmr_geom *g,
                                 unsigned char **out,
                                 size_t *len) CMR_WARN_UNUSED;
/* WKT with the given number of decimals; *out freed with cmr__free. */
enum cmr_status cmr__geom_to_wkt(struct cmr_ctx *ctx, const struct cmr_geom *g,
                                 int decimals, char **out) CMR_WARN_UNUSED;

/* Turns g into a valid MultiPolygon. When g is already valid it is only
 * normalised to a MultiPolygon (*repaired false). When it is not, GEOS's
 * MakeValid (structure method, keeping collapsed parts out) repairs it,
 * the polygonal part is kept, and *repaired is true with *why saying what was
 * wrong (owned by the caller, cmr__free). An empty result is CMR_EGEOM. */
enum cmr_status cmr__geom_make_valid(struct cmr_ctx *ctx,
                                     const struct cmr_geom *g,
                                     struct cmr_geom **out, bool *repaired,
                                     char **why) CMR_WARN_UNUSED;

/* What makes g invalid (OGC), in GEOS's words (*why owned by the caller,
 * cmr__free), or *why NULL when it is valid. */
enum cmr_status cmr__geom_invalid(struct cmr_ctx *ctx, const struct cmr_geom *g,
                                  char **why) CMR_WARN_UNUSED;

bool cmr__geom_is_empty(struct cmr_ctx *ctx, const struct cmr_geom *g);

struct cmr__bbox {
    double minx, miny, maxx, maxy;
};
/* The envelope of g; CMR_EGEOM for an empty geometry. */
enum cmr_status cmr__geom_bounds(struct cmr_ctx *ctx, const struct cmr_geom *g,
                                 struct cmr__bbox *out) CMR_WARN_UNUSED;

/* Area in m² on the WGS84 ellipsoid of the polygons in g (lon/lat degrees):
 * outer rings minus holes, each ring's area geodesic (PROJ). */
enum cmr_status cmr__geom_area_geodesic(struct cmr_ctx *ctx,
                                        const struct cmr_geom *g,
                                        double *m2) CMR_WARN_UNUSED;

/* ---- overlay for the ledger ---- */

/* A prepared geometry for repeated predicates; borrows g, which must
 * outlive it. */
struct cmr__prep;
enum cmr_status cmr__prep_new(struct cmr_ctx *ctx, const struct cmr_geom *g,
                              struct cmr__prep **out) CMR_WARN_UNUSED;
void cmr__prep_free(struct cmr_ctx *ctx, struct cmr__prep *p);
/* True when the prepared geometry intersects g (*out); GEOS failures are
 * CMR_EGEOM. */
enum cmr_status cmr__prep_intersects(struct cmr_ctx *ctx,
                                     const struct cmr__prep *p,
                                     const struct cmr_geom *g,
                                     bool *out) CMR_WARN_UNUSED;
enum cmr_status cmr__prep_contains(struct cmr_ctx *ctx,
                                   const struct cmr__prep *p,
                                   const struct cmr_geom *g,
                                   bool *out) CMR_WARN_UNUSED;
/* Whether the point (x, y) lies in the prepared polygon (interior or
 * boundary). */
enum cmr_status cmr__prep_covers_xy(struct cmr_ctx *ctx,
                                    const struct cmr__prep *p, double x,
                                    double y, bool *out) CMR_WARN_UNUSED;

/* A static R-tree of items (index, bbox); query returns indices in
 * ascending order into a caller-grown array. */
struct cmr__tree;
enum cmr_status cmr__tree_new(struct cmr_ctx *ctx,
                              const struct cmr__bbox *boxes, size_t n,
                              struct cmr__tree **out) CMR_WARN_UNUSED;
void cmr__tree_free(struct cmr_ctx *ctx, struct cmr__tree *t);
enum cmr_status cmr__tree_query(struct cmr_ctx *ctx, struct cmr__tree *t,
                                struct cmr__bbox box, size_t **hits,
                                size_t *nhits, size_t *cap) CMR_WARN_UNUSED;
/* The items whose boxes meet item i's, in no particular order (i among
 * them): the tree's own box of i is the query, none is made. */
enum cmr_status cmr__tree_query_item(struct cmr_ctx *ctx, struct cmr__tree *t,
                                     size_t i, size_t **hits, size_t *nhits,
                                     size_t *cap) CMR_WARN_UNUSED;

/* The faces of the arrangement of the boundaries of geoms[0..n) and of the
 * extra line work (may be NULL): every face is a polygon that no boundary
 * crosses, so each lies wholly inside or outside each input. grid > 0 nodes
 * with snap-rounding on a grid of that size (robust, slower); 0 nodes in
 * floating point. *faces is an array of *nfaces geometries owned by the
 * caller (cmr__geom_free each, then cmr__free the array). */
enum cmr_status cmr__geom_faces(struct cmr_ctx *ctx,
                                struct cmr_geom *const *geoms, size_t n,
                                struct cmr_geom *const *lines, size_t nlines,
                                double grid, struct cmr_geom ***faces,
                                size_t *nfaces) CMR_WARN_UNUSED;

/* A point geometry for repeated tests against prepared geometries. */
enum cmr_status cmr__geom_point(struct cmr_ctx *ctx, double x, double y,
                                struct cmr_geom **out) CMR_WARN_UNUSED;
/* Whether the prepared polygon covers the point geometry pt. */
enum cmr_status cmr__prep_covers_point(struct cmr_ctx *ctx,
                                       const struct cmr__prep *p,
                                       const struct cmr_geom *pt,
                                       bool *out) CMR_WARN_UNUSED;

/* A point inside g (GEOS's point on surface). */
enum cmr_status cmr__geom_interior_xy(struct cmr_ctx *ctx,
                                      const struct cmr_geom *g, double *x,
                                      double *y) CMR_WARN_UNUSED;

/* The boundary of g clipped to box, as line work; NULL (*out) when nothing
 * of it falls in the box. */
enum cmr_status cmr__geom_boundary_in(struct cmr_ctx *ctx,
                                      const struct cmr_geom *g,
                                      struct cmr__bbox box,
                                      struct cmr_geom **out) CMR_WARN_UNUSED;

/* a minus b. */
enum cmr_status cmr__geom_difference(struct cmr_ctx *ctx,
                                     const struct cmr_geom *a,
                                     const struct cmr_geom *b,
                                     struct cmr_geom **out) CMR_WARN_UNUSED;

/* Number of vertices of g. */
size_t cmr__geom_npoints(struct cmr_ctx *ctx, const struct cmr_geom *g);

/* ---- construction (the synthetic data generator) ---- */

/* A polygon from one closed ring of n lon/lat points (xy[2n]). */
enum cmr_status cmr__geom_polygon(struct cmr_ctx *ctx, const double *xy,
                                  size_t n,
                                  struct cmr_geom **out) CMR_WARN_UNUSED;
/* The rectangle box as a polygon. */
enum cmr_status cmr__geom_rect(struct cmr_ctx *ctx, struct cmr__bbox box,
                               struct cmr_geom **out) CMR_WARN_UNUSED;
/* The part of g inside box (GEOS's fast rectangle clip). */
enum cmr_status cmr__geom_clip(struct cmr_ctx *ctx, const struct cmr_geom *g,
                               struct cmr__bbox box,
                               struct cmr_geom **out) CMR_WARN_UNUSED;
enum cmr_status cmr__geom_intersection(struct cmr_ctx *ctx,
                                       const struct cmr_geom *a,
                                       const struct cmr_geom *b,
                                       struct cmr_geom **out) CMR_WARN_UNUSED;

/* The rings of the polygons in g as coordinate arrays: xy[2 * npts],
 * ring r spanning [start[r], start[r + 1]) (start has nrings + 1 entries),
 * and which polygon each ring belongs to. Owned by the caller
 * (cmr__rings_free). */
struct cmr__rings {
    double *xy;
    size_t npts, nrings, *start, *poly;
};
enum cmr_status cmr__geom_rings(struct cmr_ctx *ctx, const struct cmr_geom *g,
                                struct cmr__rings *out) CMR_WARN_UNUSED;
void cmr__rings_free(struct cmr__rings *r);
/* The rings of a WKB Polygon or MultiPolygon read straight from its
 * bytes, as cmr__geom_rings would give them after GEOS read it: only
 * where that is certain (two dimensions, every polygon with rings, every
 * ring closed with four points or more, finite coordinates, nothing after
 * the geometry). Anything else sets *taken false and leaves out empty, for
 * GEOS to read (or to name what is wrong). */
enum cmr_status cmr__wkb_rings(struct cmr_ctx *ctx, const unsigned char *wkb,
                               size_t len, struct cmr__rings *out,
                               bool *taken) CMR_WARN_UNUSED;

#endif
