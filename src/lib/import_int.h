/* SPDX-License-Identifier: MIT */
/* What import.c shares with the readers of reference data (refdata.c):
 * the report, rejects and the import-run record. */
#ifndef CMR_IMPORT_INT_H
#define CMR_IMPORT_INT_H

#include "internal.h"
#include "source.h"

struct reject_row {
    char *file, *layer, *id, *field, *reason;
    int64_t feature;
    enum cmr_kind kind;
};

struct cmr_import_report {
    struct cmr_import_counts counts[CMR_KIND_COUNT];
    struct other_value {
        char *value;
        int64_t n;
    } * other; /* see cmr_import_report_other */
    size_t nother;
    struct reject_row *rejects;
    size_t nrejects, caprejects;
    int64_t run;
};

/* Records a rejected feature (counted in counts[kind].rejected). */
enum cmr_status
cmr__import_reject(struct cmr_ctx *ctx, struct cmr_import_report *r,
                   enum cmr_kind kind, const char *file, const char *layer,
                   int64_t feature, const char *id, const char *field,
                   const char *fmt, ...) CMR_PRINTF(9, 10) CMR_WARN_UNUSED;

/* "hazards", "releases", "boundaries", ... */
const char *cmr__kind_name(enum cmr_kind k);

/* Writes the import_run row of one source and its rejects. */
enum cmr_status cmr__import_write_run(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                      const struct cmr_import_opts *o,
                                      const struct cmr_import_report *rep,
                                      enum cmr_kind kind, const char *file,
                                      const char *layer, const char *sha256,
                                      int64_t run,
                                      const char *now) CMR_WARN_UNUSED;

/* Reference data (refdata.c): read and check one source of kind
 * BOUNDARIES, DEADLINES, FIGURES or PLAN into a batch, then write it. */
struct cmr__refbatch;
enum cmr_status cmr__ref_read(struct cmr_ctx *ctx, enum cmr_kind kind,
                              const char *file, const struct cmr_store *store,
                              struct cmr_import_report *rep,
                              struct cmr__refbatch **out) CMR_WARN_UNUSED;
enum cmr_status cmr__ref_write(struct cmr_ctx *ctx, struct cmr__ds *ds,
                               const struct cmr_import_opts *o,
                               struct cmr_import_report *rep,
                               struct cmr__refbatch *b, int64_t run,
                               const char *now) CMR_WARN_UNUSED;
void cmr__ref_free(struct cmr__refbatch *b);

#endif
