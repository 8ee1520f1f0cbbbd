/* SPDX-License-Identifier: MIT */
/* The Lausanne Action Plan indicator model: every indicator of the
 * Progress Report with the values printed for each cycle and the States the
 * report names, and, where the store's data can decide it, the value
 * computed from the data with its States and rule. */
#ifndef CMR_INDICATORS_H
#define CMR_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>

#include <cmr/ctx.h>
#include <cmr/export.h>
#include <cmr/ledger.h>
#include <cmr/status.h>
#include <cmr/store.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CMR_LAP_CYCLES 4 /* 10MSP, 11MSP, 12MSP, 13MSP */

/** A value as printed: kind 0 for N/A or empty, 1 for a number, 2 for a
 * pair such as "226 / 15,497"; note keeps a footnote mark ("*", "²"). */
struct cmr_lap_value {
    const char *printed, *note;
    int kind;
    double v[2];
};

struct cmr_indicator {
    const char *id, *pillar, *indicator, *footnote;
    int action;
    struct cmr_lap_value values[CMR_LAP_CYCLES];
    const char *const *reported_states; /* named by the report, the cycle */
    size_t nreported;
    bool computed; /* the store's data decides it: computed_value */
    double computed_value;
    const char *const *states; /* behind the computed value */
    size_t nstates;
    /* rule: how cmr computes it (NULL: it does not); detail: more, and
     * why the value is unknown where it is */
    const char *rule, *detail;
    /* The computed value contradicts the one reported: it differs; where
     * only some States' data decide it, the reported count is out of its
     * reach (below it, or above it plus the States left out), or the
     * report names all its States and one decided here is counted on one
     * side only. */
    bool mismatch;
    bool synthetic; /* the computed value rests on synthetic records */
    /* An indicator cmr computes (rule set) that the store cannot decide:
     * no State's data does (no record at the ledger's date, no deadlines
     * data, no boundaries). computed is false, computed_value NaN and
     * detail says why: unknown, not 0. */
    bool undecided;
    /* The States whose data decide the computed value, of the nscope
     * States in the store: where ncovered < nscope, the value counts
     * those alone, and detail names them. */
    const char *const *covered;
    size_t ncovered, nscope;
};

struct cmr_indicator_opts {
    const char *cycle;   /* "13MSP" (default: the latest) */
    const char *pillar;  /* NULL: all */
    const char *datadir; /* NULL: cmr_data_dir() */
    int jobs;
    /* A ledger of every State already computed (borrowed): used when its
     * as-of date is the cycle's reference date (31 December before the
     * cycle ends), which spares computing it again. */
    const struct cmr_ledger *ledger;
};

struct cmr_indicators;

/** Loads the model (geodata/lap-*.csv) and computes what the store can
 * decide for the cycle: cmr_indicators_load, then cmr_indicators_fill.
 * CMR_EINVAL for an unknown cycle or pillar. */
CMR_API enum cmr_status
cmr_indicators_compute(struct cmr_ctx *ctx, struct cmr_store *store,
                       const struct cmr_indicator_opts *o,
                       struct cmr_indicators **out);
/** Loads the model alone (o->cycle, o->pillar, o->datadir): the printed
 * values, nothing computed yet. It needs no store, so a program can read
 * it while it does other work (on a thread of its own, in a context of
 * its own), ask it for the ledger's date (cmr_indicators_ledger_date_of)
 * and then fill it. */
CMR_API enum cmr_status cmr_indicators_load(struct cmr_ctx *ctx,
                                            const struct cmr_indicator_opts *o,
                                            struct cmr_indicators **out);
/** Computes what the store can decide into a set from cmr_indicators_load
 * (o->jobs, o->ledger; the set keeps the cycle and pillar it was loaded
 * with). Once: CMR_EINVAL the second time. */
CMR_API enum cmr_status cmr_indicators_fill(struct cmr_ctx *ctx,
                                            struct cmr_store *store,
                                            const struct cmr_indicator_opts *o,
                                            struct cmr_indicators *set);
/** The as-of date of the ledger the cycle's computed indicators come
 * from (31 December of the year before the cycle ends), read from the
 * model's cycles: a caller that computes a ledger anyway can ask for that
 * one too (cmr_ledger_opts.also_at) and pass it as o->ledger. */
CMR_API enum cmr_status
cmr_indicators_ledger_date(struct cmr_ctx *ctx,
                           const struct cmr_indicator_opts *o, char out[11]);
/** cmr_indicators_ledger_date, of a set already loaded. */
CMR_API void cmr_indicators_ledger_date_of(const struct cmr_indicators *set,
                                           char out[11]);
CMR_API void cmr_indicators_free(struct cmr_indicators *set);
CMR_API const char *cmr_indicators_cycle(const struct cmr_indicators *set);
/** The cycle's period (borrowed, YYYY-MM-DD). */
CMR_API void cmr_indicators_period(const struct cmr_indicators *set,
                                   const char **start, const char **end);
/** The cycle names, oldest first (static). */
CMR_API const char *cmr_lap_cycle_name(int i);
CMR_API size_t cmr_indicators_count(const struct cmr_indicators *set);
CMR_API const struct cmr_indicator *
cmr_indicators_get(const struct cmr_indicators *set, size_t i);

#ifdef __cplusplus
}
#endif
#endif
