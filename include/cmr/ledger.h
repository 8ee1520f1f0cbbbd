/* SPDX-License-Identifier: MIT */
/* The land-release ledger: from hazard and release polygons to the figures
 * of Article 4.6 (d)-(f) and Article 7, per State, province and year, each
 * square metre counted once on the WGS84 ellipsoid, and the findings that
 * say where the data is inconsistent. See README, "The ledger". */
#ifndef CMR_LEDGER_H
#define CMR_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmr/ctx.h>
#include <cmr/export.h>
#include <cmr/status.h>
#include <cmr/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Which release wins where releases of different methods overlap. */
enum cmr_precedence {
    /** The most intensive method: cleared over reduced over cancelled
     * (DOMAIN.md rule 2; the default). */
    CMR_PRECEDENCE_INTENSITY = 0,
    /** The earliest release wins, whatever its method (for national SOPs
     * that count land once, when it was first released). */
    CMR_PRECEDENCE_EARLIEST = 1
};

struct cmr_ledger_opts {
    const char *country; /* ISO3, or NULL for every State */
    const char *at;      /* as-of date YYYY-MM-DD, or NULL */
    enum cmr_precedence precedence;
    int jobs;         /* worker threads; 0: the cores */
    double tolerance; /* reported-vs-computed, 0: 0.10 */
    /* Check every polygon's validity with GEOS (what cmr check does): one
     * made invalid by editing the store elsewhere is a finding
     * (invalid_geometry), since its area is then measured as drawn. About
     * a quarter more work on small polygons. */
    bool validate;
    /* Leave the findings out (a caller that does not show them: cmr
     * status): the figures are the same, every State's nfindings is 0, and
     * the work of finding them (groups of overlapping records, the hazards
     * recorded after a release, land found again) is spared, about 3% of a
     * dense run. */
    bool no_findings;
    /* With also set, *also gets the ledger at also_at as well (the caller
     * frees it; NULL on failure). Where also_at is before the as-of date,
     * it is attributed over the same overlay, which spares overlaying
     * every State again; it has no findings, and its areas are not those
     * of a ledger computed at also_at alone to the square metre: the later
     * overlay cuts more edges, whose pieces are measured as geodesics (see
     * README, the area model at cuts of long edges; on the test data up to
     * 1e-5 of the State's hazard area, as two ledgers computed alone at
     * different dates differ on the same baseline). After the as-of date
     * it is computed on its own, findings and all. *also is NULL when
     * also_at is the as-of date: the ledger itself is that one. Records
     * count at a date by the day their date falls on. */
    const char *also_at;
    struct cmr_ledger **also;
};

/** Areas by calendar year (releases by completion year, additions by the
 * year the contamination was recorded). */
struct cmr_ledger_year {
    int year;
    double added_m2, cancelled_m2, reduced_m2, cleared_m2;
    double closed_without_release_m2; /* left remaining by hazards whose
                                         last one closed that year */
    int64_t submunitions;  /* sum over releases completed that year */
    bool has_submunitions; /* false when no such release reports it */
};

/** Remaining area in one province; code and name NULL for area outside
 * every province of the boundaries. */
struct cmr_ledger_province {
    const char *code, *name;
    double remaining_m2, sha_m2, cha_m2;
};

/** An inconsistency in the data. kind is one of hazard_overlap,
 * release_method_overlap, release_outside_hazard, release_before_hazard,
 * release_unknown_hazard, reported_area_mismatch, geometry_repaired,
 * invalid_geometry, closed_without_release, found_again, outside_country
 * (the order in which a State's findings come). */
struct cmr_finding {
    const char *kind, *country;
    const char *const *records; /* ids */
    size_t nrecords;
    double area_m2;
    const char *detail;
};

/** The ledger of one State at the as-of date. Pointers are borrowed from
 * the ledger. */
struct cmr_ledger_state {
    const char *country, *name;
    const char *entry_into_force; /* YYYY-MM-DD */
    int64_t hazards, releases;    /* CMR records counted (as of the date) */
    /* open CMR hazards recorded as marked (hazard.marked = 1) at the date,
     * and whether one of them is synthetic (LAP indicator 18b) */
    int64_t hazards_marked;
    bool marked_synthetic;
    /* open CMR hazards whose record does not say whether they are marked
     * (hazard.marked null: the source had no such field) */
    int64_t hazards_marked_unknown;
    /* open CMR hazards at the date, and whether one of them is synthetic */
    int64_t hazards_open;
    bool open_synthetic;
    double remaining_m2, sha_m2, cha_m2;
    double baseline_m2, added_m2;
    double cancelled_m2, reduced_m2, cleared_m2;
    double closed_without_release_m2;
    /* released on or before entry into force: neither in baseline_m2 nor
     * in the release since EIF, but in by_year (the calendar history) */
    double released_before_eif_m2;
    /* under hazards all closed without release before entry into
     * force: not contaminated then either */
    double closed_before_eif_m2;
    /* of added_m2, land found again by a hazard recorded after it had been
     * released or closed without release (an earlier episode) */
    double added_again_m2;
    double other_contamination_m2; /* open non-CMR hazards, reported apart */
    double hazard_sum_m2, hazard_union_m2;
    double release_outside_m2; /* release area that is not release */
    int64_t submunitions;
    bool has_submunitions;
    bool synthetic; /* some record of this State is synthetic */
    const struct cmr_ledger_year *by_year;
    size_t nyears;
    const struct cmr_ledger_province *by_province;
    size_t nprovinces;
    const struct cmr_finding *findings;
    size_t nfindings;
};

struct cmr_ledger;

/** Computes the ledger of every State with records (or of opts->country)
 * at opts->at (default: 31 December of the last year with a release in the
 * store; in a store with none, of the last year a hazard was recorded or
 * closed; today in an empty store). *out is owned by the caller
 * (cmr_ledger_free). CMR_EINVAL for a bad date or unknown State, CMR_EGEOM for
 * a geometry GEOS cannot overlay (the message names the record). Results do not
 * depend on opts->jobs. */
CMR_API enum cmr_status cmr_ledger_compute(struct cmr_ctx *ctx,
                                           struct cmr_store *store,
                                           const struct cmr_ledger_opts *opts,
                                           struct cmr_ledger **out);
CMR_API void cmr_ledger_free(struct cmr_ledger *ledger);

/** The as-of date, YYYY-MM-DD (borrowed). */
CMR_API const char *cmr_ledger_as_of(const struct cmr_ledger *ledger);
/** The rule the ledger applied where releases of different methods
 * overlap, and its name as the --precedence option spells it. */
CMR_API enum cmr_precedence
cmr_ledger_precedence(const struct cmr_ledger *ledger);
CMR_API const char *cmr_precedence_name(enum cmr_precedence p);
CMR_API size_t cmr_ledger_count(const struct cmr_ledger *ledger);
/** The i-th State, sorted by ISO3 (borrowed). */
CMR_API const struct cmr_ledger_state *
cmr_ledger_state(const struct cmr_ledger *ledger, size_t i);

#ifdef __cplusplus
}
#endif
#endif
