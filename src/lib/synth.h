/* SPDX-License-Identifier: MIT */
/* The calibration table of the synthetic data set (synth_calib.c), shared
 * with the tests that check the generator against it. */
#ifndef CMR_SYNTH_INT_H
#define CMR_SYNTH_INT_H

#include "geom.h"
#include "internal.h"

enum { CAL_CANCELLED = 0, CAL_REDUCED = 1, CAL_CLEARED = 2 };

/* A figure the data set must reproduce. source names the row of
 * geodata/national-figures.csv it comes from ("LAO cleared 2024"), or is
 * NULL for an illustrative value (nothing published). */
struct cmr__cal_fig {
    int year;
    int method; /* releases only */
    double km2;
    const char *source;
};

struct cmr__calib {
    const char *iso3;
    /* Remaining area at the end of a year; the first anchor fixes the
     * baseline, the others must agree with the releases and additions. */
    struct cmr__cal_fig anchor[3];
    size_t nanchor;
    double cha_share; /* share of remaining area at the last anchor */
    const char *cha_source;
    struct cmr__cal_fig rel[24];
    size_t nrel;
    struct cmr__cal_fig added[8];
    size_t nadded;
    struct cmr__cal_fig subs[4]; /* submunitions destroyed (km2 = count) */
    size_t nsubs;
    int nbase;              /* hazards at scale 1 */
    const char *provinces;  /* "CODE:weight,..." */
    struct cmr__bbox focus; /* all zero: the whole provinces */
    const char *note;
};

size_t cmr__synth_calib_count(void);
const struct cmr__calib *cmr__synth_calib(size_t i);
const struct cmr__calib *cmr__synth_calib_find(const char *iso3);

#endif
