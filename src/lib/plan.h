/* SPDX-License-Identifier: MIT */
/* Extension requests and their work plans (plan.c): read from JSON or CSV,
 * written to the store in the import's transaction. */
#ifndef CMR_PLAN_H
#define CMR_PLAN_H

#include "import_int.h"

struct cmr__plan;
enum cmr_status cmr__plan_read(struct cmr_ctx *ctx, const char *file,
                               const struct cmr_store *store,
                               struct cmr_import_report *rep,
                               struct cmr__plan **out) CMR_WARN_UNUSED;
enum cmr_status cmr__plan_write(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                const struct cmr_import_opts *o,
                                struct cmr_import_report *rep,
                                const struct cmr__plan *p, int64_t run,
                                const char *now) CMR_WARN_UNUSED;
void cmr__plan_free(struct cmr__plan *p);

#endif
