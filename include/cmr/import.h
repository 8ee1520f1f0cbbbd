/* SPDX-License-Identifier: MIT */
/* Import: any vector source GDAL opens -> canonical hazard and release
 * records -> the store, with field and value mapping, validation, repair,
 * reprojection to EPSG:4326 and a reject log. One call is one transaction. */
#ifndef CMR_IMPORT_H
#define CMR_IMPORT_H

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

/** Which kind of record a source or a mapping is for. */
enum cmr_kind {
    CMR_KIND_ANY = 0, /* a mapping that applies to both kinds */
    CMR_KIND_HAZARD = 1,
    CMR_KIND_RELEASE = 2,
    CMR_KIND_BOUNDARIES = 3, /* admin1, country and neighbour layers */
    CMR_KIND_DEADLINES = 4,  /* Article 4 facts (geodata/deadlines.csv) */
    CMR_KIND_FIGURES = 5,    /* published national figures */
    CMR_KIND_PLAN = 6        /* an extension request's work plan */
};
#define CMR_KIND_COUNT 7

struct cmr_import_opts;

/* ---- options ---- */

/** Creates empty import options (no sources). Owned by the caller, freed with
 * cmr_import_opts_free. */
CMR_API enum cmr_status cmr_import_opts_new(struct cmr_ctx *ctx,
                                            struct cmr_import_opts **out);
CMR_API void cmr_import_opts_free(struct cmr_import_opts *opts);

/** Sets the source of one kind: a path or GDAL connection string, and an
 * optional layer name (NULL: the first layer). Strings are copied. */
CMR_API enum cmr_status cmr_import_opts_source(struct cmr_ctx *ctx,
                                               struct cmr_import_opts *opts,
                                               enum cmr_kind kind,
                                               const char *source,
                                               const char *layer);

/** Default State (ISO3) for records whose source has no country value. */
CMR_API enum cmr_status cmr_import_opts_country(struct cmr_ctx *ctx,
                                                struct cmr_import_opts *opts,
                                                const char *iso3);

/** CRS (anything OGR's SetFromUserInput takes: "EPSG:32648", WKT, PROJ
 * string) to assume for sources that declare none; NULL clears it.
 * CMR_EINVAL when GDAL does not understand it, when it is neither
 * geographic nor projected (a vertical or geocentric CRS), or when GDAL
 * cannot transform it to EPSG:4326. */
CMR_API enum cmr_status cmr_import_opts_assume_crs(struct cmr_ctx *ctx,
                                                   struct cmr_import_opts *opts,
                                                   const char *crs);

/** Maps canonical field `field` of kind to the source column `column`. A
 * later mapping of the same field wins. Unknown canonical fields fail with
 * CMR_EINVAL. */
CMR_API enum cmr_status
cmr_import_opts_map(struct cmr_ctx *ctx, struct cmr_import_opts *opts,
                    enum cmr_kind kind, const char *field, const char *column);

/** Maps the source value `from` of canonical field `field` to the canonical
 * value `to` (compared case-insensitively, after trimming spaces). */
CMR_API enum cmr_status cmr_import_opts_value(struct cmr_ctx *ctx,
                                              struct cmr_import_opts *opts,
                                              enum cmr_kind kind,
                                              const char *field,
                                              const char *from, const char *to);

/** Applies a preset: a built-in name ("imsma-ng") or the path of a JSON file
 * (see README, "Presets"). Its entries are added before the caller's own
 * --map/--value entries, which therefore win whatever the order of calls. */
CMR_API enum cmr_status cmr_import_opts_preset(struct cmr_ctx *ctx,
                                               struct cmr_import_opts *opts,
                                               const char *name_or_path);

/** With strict on, any rejected feature fails the whole call. */
CMR_API void cmr_import_opts_strict(struct cmr_import_opts *opts, bool strict);

/** With dry_run on, everything is read and checked, nothing is written. */
CMR_API void cmr_import_opts_dry_run(struct cmr_import_opts *opts,
                                     bool dry_run);

/* ---- the report ---- */

/** One rejected feature. All strings are borrowed from the report. */
struct cmr_reject {
    const char *file;  /* the source as given */
    const char *layer; /* the layer read */
    int64_t feature;   /* 1-based position of the feature in the layer */
    const char *id;    /* the record's id, "" when it has none */
    const char *field; /* the canonical field at fault ("geometry", ...) */
    const char *reason;
};

struct cmr_import_report;

CMR_API void cmr_import_report_free(struct cmr_import_report *report);

/** Counts for one kind: features read, records imported (new + replaced),
 * records that replaced an existing one, features rejected, geometries
 * repaired; and empty rows skipped (every cell blank and no geometry, as a
 * spreadsheet leaves ",,,," after deleted rows), which are not read.
 * Hazards only: other, the records of other contamination than CMR (their
 * values: cmr_import_report_other); open_dated, the records with a value
 * for closed that was left out, imported open: their status says open, or
 * (where closed is IMSMA's status date, through --preset imsma-ng) does
 * not say closed (IMSMA's status
 * date is the day the status last changed, for an active hazard the day
 * it became active). */
struct cmr_import_counts {
    int64_t read, imported, replaced, rejected, repaired;
    int64_t empty;
    int64_t other, open_dated;
    int64_t absent; /* records in the store of the States the source has
                       records of, that it does not have: kept as they
                       were (an export of open hazards only leaves out
                       those closed since: their closing is not known) */
};
CMR_API struct cmr_import_counts
cmr_import_report_counts(const struct cmr_import_report *report,
                         enum cmr_kind kind);
/** The contamination values of the hazards to be imported as other
 * contamination (all but CMR), most frequent first (then by value): value
 * i, and in *n how many records have it. NULL past the end. */
CMR_API size_t
cmr_import_report_other_count(const struct cmr_import_report *report);
CMR_API const char *
cmr_import_report_other(const struct cmr_import_report *report, size_t i,
                        int64_t *n);
CMR_API size_t
cmr_import_report_reject_count(const struct cmr_import_report *report);
CMR_API struct cmr_reject
cmr_import_report_reject(const struct cmr_import_report *report, size_t i);
/** The import run id written to the store, 0 for a dry run or a failure. */
CMR_API int64_t cmr_import_report_run(const struct cmr_import_report *report);

/* ---- the operation ---- */

/** Imports the sources named in opts into the store at store_path. Either
 * every valid record is written with the run and its reject log, or nothing
 * is written at all: on any failure the file is left byte for byte as it was.
 * *report is set whenever it could be allocated, on failure too, so the
 * caller can show the rejects; the caller frees it with
 * cmr_import_report_free. Returns CMR_EIO, CMR_EFORMAT, CMR_ECRS for problems
 * with a whole source, CMR_EREJECT when strict mode met a reject,
 * CMR_EVERSION or CMR_EFORMAT for a store that is not of this version. */
CMR_API enum cmr_status cmr_import(struct cmr_ctx *ctx, const char *store_path,
                                   const struct cmr_import_opts *opts,
                                   struct cmr_import_report **report);

#ifdef __cplusplus
}
#endif
#endif
