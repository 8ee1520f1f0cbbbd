/* SPDX-License-Identifier: MIT */
/* The planar arrangement of a set of rings, measured on the ellipsoid.
 *
 * The ledger's overlay: given the rings of a few polygons (each ring tagged
 * with the item it belongs to), find every region that no ring crosses,
 * the set of items that cover it (even-odd rule), and its area on WGS84;
 * then add up the areas of regions covered by the same set. Pure C, no
 * GEOS: see arrange.c for the method. */
#ifndef CMR_ARRANGE_H
#define CMR_ARRANGE_H

#include <stdint.h>

#include "internal.h"

struct cmr__ring {
    const double *xy; /* lon/lat pairs, closed or not */
    size_t n;         /* points */
    uint32_t item;
    /* Where pieces of several items' edges lie along one another, the
     * edge of the item of lowest rank (then lowest item) is the one their
     * area follows (see arrange.c); every ring of an item has its rank */
    uint32_t rank;
};

/* One set of items and the area covered by exactly that set. */
struct cmr__cell {
    size_t first, n; /* items[first .. first + n), ascending */
    double m2;
};

struct cmr__cells {
    struct cmr__cell *cell;
    size_t n;
    uint32_t *items;
};

/* Snap-rounds the rings on pixels of 2^-33 degree (about 13 micrometres;
 * every vertex and every crossing makes its pixel hot, every segment is
 * routed through the hot pixels it touches), builds the planar graph,
 * labels its faces and sums their areas by label. The set outside every
 * ring is left out. Returns CMR_EGEOM, with a message, for a coordinate
 * out of range or where the graph could not be labelled consistently
 * (never seen; the caller can overlay another way). */
enum cmr_status cmr__arrange(struct cmr_ctx *ctx, const struct cmr__ring *rings,
                             size_t nrings,
                             struct cmr__cells *out) CMR_WARN_UNUSED;
void cmr__cells_free(struct cmr__cells *c);

/* Tests only: when set, the ledger overlays every component with GEOS, the
 * way it takes where the arrangement gives up, so both can be compared. */
extern bool cmr__ledger_geos_only;
/* Tests only: when set, the ledger makes no boundary locators (see
 * locate.h) and asks GEOS every question, so both can be compared. */
extern bool cmr__ledger_no_locators;
/* Tests only: when set, GEOS reads every record's WKB for the overlay
 * (cmr__wkb_rings is not asked), so both can be compared. */
extern bool cmr__ledger_geos_wkb;

#endif
