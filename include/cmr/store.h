/* SPDX-License-Identifier: MIT */
/* The project store: a GeoPackage file holding the current hazard and release
 * records (layers `hazard` and `release`), their replaced versions, the import
 * runs, the States and, later, boundaries, deadlines and figures. */
#ifndef CMR_STORE_H
#define CMR_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmr/ctx.h>
#include <cmr/export.h>
#include <cmr/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The schema version this build writes and reads. */
#define CMR_STORE_SCHEMA_VERSION 6

struct cmr_store;

enum cmr_store_mode { CMR_STORE_READ = 0, CMR_STORE_WRITE = 1 };

/* ---- lifecycle ---- */

/** Creates a new store at path (a GeoPackage file, which must not exist) with
 * the current schema and the ten affected States, in one transaction. On
 * success *out is an open store in write mode, owned by the caller, closed
 * with cmr_store_close. Returns CMR_EIO if the path exists or cannot be
 * written, CMR_EDB if the schema cannot be created (nothing is left behind). */
CMR_API enum cmr_status cmr_store_create(struct cmr_ctx *ctx, const char *path,
                                         struct cmr_store **out);

/** Opens an existing store. Fails with CMR_EIO when the file is missing or
 * unreadable, CMR_EFORMAT when it is not a cmr store, CMR_EVERSION when its
 * schema version differs from CMR_STORE_SCHEMA_VERSION (older stores are
 * migrated with cmr_store_upgrade). Opening never writes to the file. */
CMR_API enum cmr_status cmr_store_open(struct cmr_ctx *ctx, const char *path,
                                       enum cmr_store_mode mode,
                                       struct cmr_store **out);

/** Whether path is a PostgreSQL connection ("PG:...", "postgresql://...")
 * rather than a file: a store is a GeoPackage file, and every call that
 * opens or creates a store refuses one (PostGIS is read as a source). */
CMR_API bool cmr_store_is_connection(const char *path);

/** Closes a store. NULL does nothing. */
CMR_API void cmr_store_close(struct cmr_store *store);

/* ---- queries ---- */

/** Reads the schema version of the store at path without checking it. */
CMR_API enum cmr_status
cmr_store_schema_version(struct cmr_ctx *ctx, const char *path, int *version);

/** Number of States the store knows. */
CMR_API size_t cmr_store_country_count(const struct cmr_store *store);

/** The i-th State (sorted by ISO3): its code and English name, borrowed until
 * the store is closed. */
CMR_API void cmr_store_country(const struct cmr_store *store, size_t i,
                               const char **iso3, const char **name);

/** Per-State counts of current records and the sums of their reported areas. */
struct cmr_record_counts {
    char iso3[4];
    int64_t hazards;
    int64_t releases;
    double hazard_reported_m2; /* sum of reported_area_m2 (missing = 0) */
    double release_reported_m2;
    int64_t hazards_without_reported; /* records with no reported area */
    int64_t releases_without_reported;
};

/** Fills *out with one entry per known State, sorted by ISO3; *count is the
 * number of entries. The array is owned by the caller (cmr_free). */
CMR_API enum cmr_status cmr_store_record_counts(struct cmr_ctx *ctx,
                                                struct cmr_store *store,
                                                struct cmr_record_counts **out,
                                                size_t *count);

/* ---- operations ---- */

/** Migrates the store at path to CMR_STORE_SCHEMA_VERSION in one transaction.
 * *from and *to receive the versions before and after (equal when there was
 * nothing to do). A store newer than this build fails with CMR_EVERSION and
 * is left untouched. */
CMR_API enum cmr_status cmr_store_upgrade(struct cmr_ctx *ctx, const char *path,
                                          int *from, int *to);

#ifdef __cplusplus
}
#endif
#endif
