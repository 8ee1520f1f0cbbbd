/* SPDX-License-Identifier: MIT */
/* What the store module shares with the modules that write and read it. */
#ifndef CMR_STORE_INT_H
#define CMR_STORE_INT_H

#include "internal.h"
#include "source.h"

struct cmr_store_country {
    char iso3[4];
    char *name;
    struct cmr__date eif; /* entry into force of the Convention */
};

struct cmr_store {
    struct cmr_ctx *ctx;
    struct cmr__ds *ds;
    char *path;
    enum cmr_store_mode mode;
    struct cmr_store_country *countries;
    size_t ncountries;
};

/* The State with this ISO3 code (case-sensitive), or NULL. */
const struct cmr_store_country *
cmr__store_find_country(const struct cmr_store *store, const char *iso3);

/* Creates a store at a given schema version (tests of cmr_store_upgrade). */
/* A State's Article 4 deadline at day at (the latest of the original,
 * the extensions granted and the dates granted requests asked, by
 * meetings held by then) and the date a request pending then asks, as
 * days (forecast.c); has_* false when none. */
enum cmr_status cmr__load_deadlines(struct cmr_ctx *ctx, struct cmr_store *s,
                                    const char *iso3, int64_t at, bool *has_dl,
                                    int64_t *dl, bool *has_rq, int64_t *rq);
enum cmr_status cmr__store_create_version(struct cmr_ctx *ctx, const char *path,
                                          int version) CMR_WARN_UNUSED;

#endif
