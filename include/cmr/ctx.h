/* SPDX-License-Identifier: MIT */
/* The context: one per thread, carrying GEOS and PROJ handles, the last error
 * message and the log and progress hooks. Also the allocator hook and the
 * process-wide set-up and teardown. */
#ifndef CMR_CTX_H
#define CMR_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmr/export.h>
#include <cmr/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cmr_ctx;

/* ---- lifecycle ---- */

/** Creates a context. On success *out is owned by the caller, who frees it
 * with cmr_ctx_free. Returns CMR_OK, CMR_ENOMEM, or CMR_EINTERNAL when GEOS or
 * PROJ could not be initialised. A context must be used by one thread at a
 * time; objects made through it belong to it. */
CMR_API enum cmr_status cmr_ctx_new(struct cmr_ctx **out);

/** Frees a context made by cmr_ctx_new. NULL does nothing. */
CMR_API void cmr_ctx_free(struct cmr_ctx *ctx);

/* ---- queries ---- */

/** The message of the last failed call on ctx ("" if none). Borrowed: valid
 * until the next call on this context. */
CMR_API const char *cmr_ctx_errmsg(const struct cmr_ctx *ctx);

/* ---- hooks ---- */

/** Log levels of messages that are not errors: notices from GEOS, warnings
 * from GDAL, repairs made. */
enum cmr_log_level { CMR_LOG_DEBUG = 0, CMR_LOG_INFO = 1, CMR_LOG_WARN = 2 };

/** A log hook receives messages the library would otherwise drop. The message
 * is borrowed for the duration of the call. */
typedef void (*cmr_log_fn)(void *user, enum cmr_log_level level,
                           const char *msg);
CMR_API void cmr_ctx_set_log(struct cmr_ctx *ctx, cmr_log_fn fn, void *user);

/** A progress hook receives the fraction done (0..1) of a long operation and
 * a short label (borrowed). Returning false asks the operation to stop; it
 * then fails with CMR_EINVAL and a message saying it was cancelled. */
typedef bool (*cmr_progress_fn)(void *user, double fraction, const char *label);
CMR_API void cmr_ctx_set_progress(struct cmr_ctx *ctx, cmr_progress_fn fn,
                                  void *user);

/* ---- memory and process ---- */

/** Replaces the allocator used for cmr's own allocations. Call before any
 * other cmr function; NULL arguments restore the C library's. Third-party
 * libraries keep their own allocators. */
CMR_API void cmr_set_allocator(void *(*malloc_fn)(size_t),
                               void *(*realloc_fn)(void *, size_t),
                               void (*free_fn)(void *));

/** Frees memory that cmr allocated for the caller (strings, arrays). */
CMR_API void cmr_free(void *ptr);

/** Process-wide settings for a program: call once at start, before any
 * thread uses SQLite (optional). It turns SQLite's memory statistics off:
 * they take one lock in every SQLite allocation of the process, and with
 * them the ledger's threads do not read the store at once
 * (cmr_ledger_compute reads it on one thread then). CMR_EINVAL when SQLite
 * was already in use: nothing changes (the ledger then sees for itself
 * whether they are off). */
CMR_API enum cmr_status cmr_global_init(void);

/** Releases process-wide state of GDAL, PROJ and SpatiaLite. Call once at
 * exit, after every context is freed; never called by the library itself. */
CMR_API void cmr_global_cleanup(void);

/** The directory of cmr's bundled data (boundaries.gpkg, deadlines.csv,
 * national-figures.csv, ...): $CMR_DATADIR when set, else the source tree's
 * geodata/ when this build runs from its build tree, else the installed
 * share/cmr. Static or environment memory; NULL when none exists. */
CMR_API const char *cmr_data_dir(void);

/** The runtime version, "MAJOR.MINOR.PATCH". Static. */
CMR_API const char *cmr_version(void);

/** Whether s is a date YYYY-MM-DD that exists (the form --at takes). */
CMR_API bool cmr_date_valid(const char *s);

#ifdef __cplusplus
}
#endif
#endif
