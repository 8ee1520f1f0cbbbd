/* SPDX-License-Identifier: MIT */
/* File digests for import provenance (GLib's checksum, which Pango brings). */
#ifndef CMR_HASH_H
#define CMR_HASH_H

#include "internal.h"

/* SHA-256 of a file, or of every file below a directory (FileGDB), as 64 hex
 * characters into out (65 bytes). False when it cannot be read. */
bool cmr__sha256_path(const char *path, char out[65]);

#endif
