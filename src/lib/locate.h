/* SPDX-License-Identifier: MIT */
/* Where a box lies against a polygon, told by a grid of cells over the
 * polygon's envelope, each known to lie in its interior, outside it, or
 * to meet its boundary (maybe). Built once from the polygon's rings and
 * read-only afterwards, so any number of threads may ask it at once (a
 * GEOS prepared geometry builds its indexes on first use, so each thread
 * needs its own).
 *
 * The ledger asks it first whether a component lies inside its State and
 * inside one province, or outside a province; GEOS answers what it cannot
 * tell. Its answers are never wrong, only sometimes missing. */
#ifndef CMR_LOCATE_H
#define CMR_LOCATE_H

#include "geom.h"

enum cmr__where {
    CMR_WHERE_UNKNOWN,
    CMR_WHERE_INSIDE, /* every point of the closed box in the interior */
    CMR_WHERE_OUTSIDE /* no point of the closed box in the polygon */
};

struct cmr__locator;

/* The locator of the polygon(s) whose rings r holds (even-odd: shells and
 * holes alike). */
enum cmr_status cmr__locator_new(struct cmr_ctx *ctx,
                                 const struct cmr__rings *r,
                                 struct cmr__locator **out) CMR_WARN_UNUSED;
void cmr__locator_free(struct cmr__locator *L);

/* The polygon's envelope. */
struct cmr__bbox cmr__locator_envelope(const struct cmr__locator *L);

enum cmr__where cmr__locator_box(const struct cmr__locator *L,
                                 struct cmr__bbox b);

#endif
