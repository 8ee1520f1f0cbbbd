/* SPDX-License-Identifier: MIT */
/* The context: creation, the error message, log and progress hooks, and the
 * process-wide teardown. The GEOS and PROJ handles are made by their bridges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define CMR_STR2(x) #x
#define CMR_STR(x)  CMR_STR2(x)

enum cmr_status cmr_ctx_new(struct cmr_ctx **out)
{
    *out = NULL;
    struct cmr_ctx *ctx = cmr__calloc(1, sizeof *ctx);
    if (!ctx)
        return CMR_ENOMEM;
    ctx->geos = cmr__geom_handle_new(ctx);
    if (!ctx->geos) {
        cmr_ctx_free(ctx);
        return CMR_EINTERNAL;
    }
    *out = ctx;
    return CMR_OK;
}

void cmr_ctx_free(struct cmr_ctx *ctx)
{
    if (!ctx)
        return;
    cmr__geom_handle_free(ctx->geos);
    cmr__crs_context_free(ctx->proj);
    cmr__free(ctx);
}

const char *cmr_ctx_errmsg(const struct cmr_ctx *ctx)
{
    return ctx ? ctx->errmsg : "";
}

void cmr_ctx_set_log(struct cmr_ctx *ctx, cmr_log_fn fn, void *user)
{
    ctx->log = fn;
    ctx->log_user = user;
}

void cmr_ctx_set_progress(struct cmr_ctx *ctx, cmr_progress_fn fn, void *user)
{
    ctx->progress = fn;
    ctx->progress_user = user;
}

enum cmr_status cmr__error(struct cmr_ctx *ctx, enum cmr_status status,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
    va_end(ap);
    return status;
}

enum cmr_status cmr__error_prefix(struct cmr_ctx *ctx, enum cmr_status status,
                                  const char *fmt, ...)
{
    char prefix[1024], both[sizeof prefix + sizeof ctx->errmsg + 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    snprintf(both, sizeof both, "%s: %s", prefix, ctx->errmsg);
    memcpy(ctx->errmsg, both, sizeof ctx->errmsg - 1);
    ctx->errmsg[sizeof ctx->errmsg - 1] = '\0';
    return status;
}

void cmr__log(struct cmr_ctx *ctx, enum cmr_log_level level, const char *fmt,
              ...)
{
    if (!ctx->log)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ctx->log(ctx->log_user, level, msg);
}

bool cmr__progress(struct cmr_ctx *ctx, double fraction, const char *label)
{
    if (!ctx->progress)
        return true;
    return ctx->progress(ctx->progress_user, fraction, label);
}

enum cmr_status cmr_global_init(void)
{
    return cmr__sqlite_stats_off() ? CMR_OK : CMR_EINVAL;
}

void cmr_global_cleanup(void)
{
    cmr__gdal_cleanup();
    cmr__crs_cleanup();
}

const char *cmr_version(void)
{
    return CMR_STR(CMR_VERSION_MAJOR) "." CMR_STR(
        CMR_VERSION_MINOR) "." CMR_STR(CMR_VERSION_PATCH);
}

static bool has_boundaries(const char *dir)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/boundaries.gpkg", dir);
    return stat(path, &st) == 0;
}

const char *cmr_data_dir(void)
{
    const char *env = getenv("CMR_DATADIR");
    if (env && *env)
        return env;
    if (has_boundaries(CMR_DATADIR_BUILD))
        return CMR_DATADIR_BUILD;
    if (has_boundaries(CMR_DATADIR_INSTALL))
        return CMR_DATADIR_INSTALL;
    return NULL;
}
