/* SPDX-License-Identifier: MIT */
/* The synthetic demo data set: hazards and releases for the ten States,
 * placed in the provinces that sources name as affected and calibrated so
 * that the ledger computed from them gives the published remaining areas
 * and annual release figures (illustrative values, marked as such, where
 * nothing is published). Every feature carries synthetic = 1. */
#ifndef CMR_SYNTH_H
#define CMR_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmr/ctx.h>
#include <cmr/export.h>
#include <cmr/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cmr_synth_opts {
    const char *country;    /* ISO3, or NULL for the ten States */
    uint64_t seed;          /* the same seed gives the same records */
    double scale;           /* multiplies the number of polygons; 0: 1 */
    int64_t hazards;        /* > 0: about this many hazards in all */
    bool dense;             /* clusters of about twenty overlapping hazards */
    const char *boundaries; /* NULL: the bundled boundaries.gpkg */
};

struct cmr_synth_counts {
    int64_t hazards, releases;
};

/** Writes a new GeoPackage at path (which must not exist) with the layers
 * `hazards` and `releases` in the canonical fields of `cmr import`, plus a
 * `calibration` column saying which published figure each record was
 * calibrated to, or "illustrative". CMR_EIO when the path exists,
 * CMR_EINVAL for an unknown State. */
CMR_API enum cmr_status cmr_synth(struct cmr_ctx *ctx,
                                  const struct cmr_synth_opts *opts,
                                  const char *path,
                                  struct cmr_synth_counts *counts);

#ifdef __cplusplus
}
#endif
#endif
