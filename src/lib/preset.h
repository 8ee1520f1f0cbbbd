/* SPDX-License-Identifier: MIT */
/* Import presets: named sets of field and value mappings, built in or read
 * from a JSON file. */
#ifndef CMR_PRESET_H
#define CMR_PRESET_H

#include "internal.h"

/* Adds one mapping to opts; from_preset entries yield to the caller's own. */
enum cmr_status cmr__import_opts_add_map(struct cmr_ctx *ctx,
                                         struct cmr_import_opts *opts,
                                         enum cmr_kind kind, const char *field,
                                         const char *column,
                                         bool from_preset) CMR_WARN_UNUSED;
/* Marks the mapping added last as one to a status date: a preset's
 * hazards.closed from IMSMA's statuschangeddate, the day the status last
 * changed, which is a closing date only where the status says closed. */
void cmr__import_opts_status_date(struct cmr_import_opts *opts);
enum cmr_status cmr__import_opts_add_value(struct cmr_ctx *ctx,
                                           struct cmr_import_opts *opts,
                                           enum cmr_kind kind,
                                           const char *field, const char *from,
                                           const char *to,
                                           bool from_preset) CMR_WARN_UNUSED;

/* Applies a built-in preset by name, or a JSON preset file by path. */
enum cmr_status cmr__preset_apply(struct cmr_ctx *ctx,
                                  struct cmr_import_opts *opts,
                                  const char *name_or_path) CMR_WARN_UNUSED;

/* Parses "hazards.class", "releases.method" or "class" into kind and field
 * (field points into spec). False for an unknown kind prefix. */
bool cmr__parse_kind_field(const char *spec, enum cmr_kind *kind,
                           const char **field);

#endif
