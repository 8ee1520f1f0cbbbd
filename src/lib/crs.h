/* SPDX-License-Identifier: MIT */
/* Internal CRS API: the only door to PROJ (ellipsoidal areas and map
 * projections). Coordinates are always longitude, latitude in degrees. */
#ifndef CMR_CRS_H
#define CMR_CRS_H

#include "internal.h"

/* Geodesic area in m² on WGS84 of one ring given as lon/lat pairs (closed or
 * not); the sign is dropped. The reference the ledger is tested against. */
double cmr__crs_ring_area_geodesic(const double *xy, size_t n);

#endif
