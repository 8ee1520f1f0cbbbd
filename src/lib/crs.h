/* SPDX-License-Identifier: MIT */
/* Internal CRS API: the only door to PROJ (ellipsoidal areas and map
 * projections). Coordinates are always longitude, latitude in degrees. */
#ifndef CMR_CRS_H
#define CMR_CRS_H

#include "internal.h"

/* Geodesic area in m² on WGS84 of one ring given as lon/lat pairs (closed or
 * not); the sign is dropped. The reference the ledger is tested against.
 * PROJ is loaded on the first call; where it cannot be, this and every
 * area below that needs it is NAN, and cmr__crs_failure makes the error. */
double cmr__crs_ring_area_geodesic(const double *xy, size_t n);

/* Area in m² on WGS84 of one ring, by the fast path where it agrees with
 * the geodesic area to 1e-8 (every edge shorter than about 11 km, less
 * towards the poles; see cmr__crs_lens), and by the geodesic area
 * otherwise. */
double cmr__crs_ring_area(const double *xy, size_t n);

/* The same, signed: positive when the ring runs counter-clockwise (east,
 * then north), negative when clockwise. For the faces of an arrangement,
 * whose holes are traced clockwise. */
double cmr__crs_ring_area_signed(const double *xy, size_t n);

/* The geodesic area, signed as above. */
double cmr__crs_ring_area_geodesic_signed(const double *xy, size_t n);

/* CMR_EINTERNAL: "cannot load PROJ: why". */
enum cmr_status cmr__crs_failure(struct cmr_ctx *ctx);

/* The fast path. A ring is mapped to the cylindrical equal-area projection
 * of the ellipsoid, X = longitude (radians) and Y = q, the authalic
 * northing (m² per radian of longitude: a² q(phi) / 2, Snyder 1987, eq.
 * 3-12), where the shoelace formula gives the area exactly for edges that
 * are straight lines there. A geodesic is not: it bows towards the pole.
 * In that plane the metric is ds² = rho² dX² + dY² / rho², with rho =
 * N cos(phi) the distance from the axis and d rho / dY = -tan(phi) / N, so
 * a geodesic, as a curve Y(X), has Y'' = rho³ rho' + 3 (rho' / rho) Y'².
 * Between its ends it leaves the chord a lens of area -Y'' dX³ / 12:
 *   lens = tan(phi) / (12 N) dX (rho³ dX² + 3 dY² / rho),
 * at the edge's mid-latitude, to within a fraction dX² of itself. The
 * ring's area is the shoelace area less its edges' lenses.
 *
 * Per vertex, once: the northing q, rho, k = tan(phi) / N, cos(phi), and
 * the longest edge (degrees; longitude differences scaled by coslat) that
 * may start there on the fast path. */
struct cmr__crs_vert {
    double q, rho, k, coslat, lim;
    double q2; /* d²q / dphi² (for cmr__crs_sliver) */
};
void cmr__crs_vertex(double lat_deg, struct cmr__crs_vert *v);

/* The lens of the geodesic edge from u to v, dx radians of longitude
 * east; subtracted from the shoelace area of a counter-clockwise ring. */
static inline double cmr__crs_lens(const struct cmr__crs_vert *u,
                                   const struct cmr__crs_vert *v, double dx)
{
    double rho = (u->rho + v->rho) / 2, k = (u->k + v->k) / 2;
    double dy = v->q - u->q;
    return rho > 0
               ? k / 12 * dx * (rho * rho * rho * dx * dx + 3 * dy * dy / rho)
               : 0;
}

/* Twice the area between the geodesic from u to v (dlat, dx: radians of
 * latitude north and longitude east) and the straight line between them
 * in longitude and latitude, signed as the terms of a counter-clockwise
 * ring: the fast path's term of the edge less that of the line. Along the
 * line dq = q dx, integrated by Simpson's rule, whose midpoint term
 * q(mid) is taken from the ends' second derivatives: (q_u + q_v - 2
 * q_mid) = (dlat / 2)² (q2_u + q2_v) / 2, to within a fraction dlat² of
 * itself. A piece of the edge cut at a point of that line takes its share
 * (see arrange.c). */
static inline double cmr__crs_sliver(const struct cmr__crs_vert *u,
                                     const struct cmr__crs_vert *v, double dlat,
                                     double dx)
{
    return -(1.0 / 12) * dx * dlat * dlat * (u->q2 + v->q2) -
           2 * cmr__crs_lens(u, v, dx);
}

/* The same, exactly, for any edge (PROJ's S12 for the geodesic, 8-point
 * Gauss-Legendre for the line), in degrees; NAN when PROJ cannot be
 * loaded. For edges longer than the fast path's limit, whose lens loses
 * its accuracy (1.4 m² on 0.4 degree, 4,300 m² on 2). */
double cmr__crs_sliver_exact(double lon_u, double lat_u, double lon_v,
                             double lat_v);

/* WGS84's e (for tests). */
double cmr__crs_wgs84_e(void);

/* The shoelace area alone, without lenses (for tests): exact for edges
 * that are straight in longitude and authalic northing. */
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
