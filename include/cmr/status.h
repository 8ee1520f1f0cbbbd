/* SPDX-License-Identifier: MIT */
/* Status codes returned by every fallible cmr call. Numbers are stable:
 * new codes are appended, never renumbered. */
#ifndef CMR_STATUS_H
#define CMR_STATUS_H

#include <cmr/export.h>

#ifdef __cplusplus
extern "C" {
#endif

enum cmr_status {
    CMR_OK = 0,      /* success */
    CMR_ENOMEM = 1,  /* an allocation failed */
    CMR_EINVAL = 2,  /* the caller broke a documented precondition */
    CMR_EIO = 3,     /* a file could not be opened, read or written */
    CMR_EFORMAT = 4, /* malformed input data */
    CMR_ECRS = 5,    /* coordinate reference system or PROJ failure */
    CMR_EGEOM = 6,   /* GEOS exception or topology that cannot be repaired */
    CMR_EDB = 7,     /* the store failed (SQLite, GeoPackage, PostGIS) */
    CMR_EUNSUPPORTED = 8, /* a feature this build or store does not support */
    CMR_EINTERNAL = 9,    /* a bug in cmr */
    CMR_EVERSION = 10,    /* the store has another schema version */
    CMR_EREJECT = 11      /* features were rejected and strict mode was on */
};

/** Static English text for a status code; never NULL. */
CMR_API const char *cmr_status_str(enum cmr_status status);

#ifdef __cplusplus
}
#endif
#endif
