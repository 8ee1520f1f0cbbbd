/* SPDX-License-Identifier: MIT */
/* Internal CRS API: the only door to PROJ (ellipsoidal areas and map
 * projections). Coordinates are always longitude, latitude in degrees. */
#ifndef CMR_CRS_H
#define CMR_CRS_H

#include "internal.h"

/* Geodesic area in m² on WGS84 of one ring given as lon/lat pairs (closed or
 * not); the sign is dropped. The reference the ledger is tested against. */
double cmr__crs_ring_area_geodesic(const double *xy, size_t n);

/* Area in m² on WGS84 of one ring, by the fast exact equal-area path where
 * it agrees with the geodesic area to 1e-6 (every edge shorter than about
 * 500 m: the ring is mapped to the ellipsoid's cylindrical equal-area
 * projection, through the authalic latitude, and measured by the shoelace
 * formula), and by the geodesic area otherwise. */
double cmr__crs_ring_area(const double *xy, size_t n);

/* The same, signed: positive when the ring runs counter-clockwise (east,
 * then north), negative when clockwise. For the faces of an arrangement,
 * whose holes are traced clockwise. */
double cmr__crs_ring_area_signed(const double *xy, size_t n);

/* The geodesic area, signed as above. */
double cmr__crs_ring_area_geodesic_signed(const double *xy, size_t n);

/* The pieces of the fast path, for callers that measure many rings over
 * shared vertices: the authalic northing of a latitude (m², times the
 * longitude in radians), and the longest edge, in degrees, that may start
 * at a latitude (longitude differences scaled by coslat). */
double cmr__crs_authalic_y(double lat_deg);
double cmr__crs_edge_limit(double lat_deg, double *coslat);

/* The fast path alone (for tests): exact for edges that are straight in
 * longitude and authalic latitude. */
double cmr__crs_ring_area_authalic(const double *xy, size_t n);

/* A map projection centred on (lon0, lat0): Lambert azimuthal equal-area
 * on WGS84, in metres; distances near the centre are true, so a scale bar
 * drawn at the centre is. */
struct cmr__proj;
enum cmr_status cmr__proj_new(struct cmr_ctx *ctx, double lon0, double lat0,
                              struct cmr__proj **out) CMR_WARN_UNUSED;
void cmr__proj_free(struct cmr__proj *p);
/* Projects n lon/lat pairs in place. */
enum cmr_status cmr__proj_fwd(struct cmr_ctx *ctx, struct cmr__proj *p,
                              double *xy, size_t n) CMR_WARN_UNUSED;

#endif
