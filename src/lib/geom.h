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

bool cmr__geom_is_empty(struct cmr_ctx *ctx, const struct cmr_geom *g);

#endif

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
