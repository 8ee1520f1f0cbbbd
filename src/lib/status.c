/* SPDX-License-Identifier: MIT */
/* Text for status codes. */
#include "internal.h"

const char *cmr_status_str(enum cmr_status status)
{
    switch (status) {
    case CMR_OK: return "ok";
    case CMR_ENOMEM: return "out of memory";
    case CMR_EINVAL: return "invalid argument";
    case CMR_EIO: return "input/output error";
    case CMR_EFORMAT: return "malformed input";
    case CMR_ECRS: return "coordinate reference system error";
    case CMR_EGEOM: return "geometry error";
    case CMR_EDB: return "store error";
    case CMR_EUNSUPPORTED: return "unsupported";
    case CMR_EINTERNAL: return "internal error";
    case CMR_EVERSION: return "schema version mismatch";
    case CMR_EREJECT: return "features rejected";
    }
    return "unknown status";
}
