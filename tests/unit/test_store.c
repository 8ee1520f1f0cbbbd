/* SPDX-License-Identifier: MIT */
/* The store: creation, schema version checks, upgrade, what is not a store. */
#include "test_support.h"

#include "store_int.h"

static void init_creates_layers_and_states(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_store *s = NULL;
    const char *p = scratch_path("new.gpkg");
    assert_status_ok(ctx, cmr_store_create(ctx, p, &s));
    assert_int_equal(cmr_store_country_count(s), 10);
    const char *iso3, *name;
    cmr_store_country(s, 4, &iso3, &name);
    assert_string_equal(iso3, "LAO");
    assert_string_equal(name, "Lao PDR");
    const struct cmr_store_country *c = cmr__store_find_country(s, "SSD");
    assert_non_null(c);
    assert_int_equal(c->eif.year, 2024);
    assert_int_equal(c->eif.month, 2);
    cmr_store_close(s);
    int v = 0;
    assert_status_ok(ctx, cmr_store_schema_version(ctx, p, &v));
    assert_int_equal(v, CMR_STORE_SCHEMA_VERSION);
    /* The contract layers open as ordinary OGR layers. */
    struct cmr__ds *ds = NULL;
    assert_status_ok(ctx, cmr__ds_open(ctx, p, false, &ds));
    assert_true(cmr__ds_has_layer(ds, "hazard"));
    assert_true(cmr__ds_has_layer(ds, "release"));
    assert_true(cmr__ds_has_layer(ds, "hazard_history"));
    cmr__ds_close(ds);
}

static void init_refuses_an_existing_file(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_store *s = NULL;
    const char *p = scratch_write("exists.gpkg", "x");
    assert_status(ctx, cmr_store_create(ctx, p, &s), CMR_EIO);
    assert_errmsg_has(ctx, "already exists");
    assert_null(s);
}

static void a_text_file_is_not_a_store(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_store *s = NULL;
    const char *p = scratch_write("notes.gpkg", "hello, not SQLite\n");
    assert_status(ctx, cmr_store_open(ctx, p, CMR_STORE_READ, &s), CMR_EFORMAT);
    assert_errmsg_has(ctx, "not a cmr store");
    assert_status(
        ctx,
        cmr_store_open(ctx, scratch_path("missing.gpkg"), CMR_STORE_READ, &s),
        CMR_EIO);
}

static void a_foreign_geopackage_is_not_a_store(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_store *s = NULL;
    assert_status(ctx,
                  cmr_store_open(ctx, geodata_path("boundaries.gpkg"),
                                 CMR_STORE_READ, &s),
                  CMR_EFORMAT);
    assert_errmsg_has(ctx, "cmr_meta");
}

static void another_schema_version_is_refused(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *p = scratch_path("future.gpkg");
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_create(ctx, p, &s));
    cmr_store_close(s);
    struct cmr__ds *ds = NULL;
    assert_status_ok(ctx, cmr__ds_open(ctx, p, true, &ds));
    assert_status_ok(ctx, cmr__ds_exec(ctx, ds,
                                       "UPDATE cmr_meta SET value = '99' "
                                       "WHERE key = 'schema_version'"));
    cmr__ds_close(ds);
    assert_status(ctx, cmr_store_open(ctx, p, CMR_STORE_READ, &s),
                  CMR_EVERSION);
    assert_errmsg_has(ctx, "newer than this cmr");
    int from, to;
    assert_status(ctx, cmr_store_upgrade(ctx, p, &from, &to), CMR_EVERSION);
    assert_int_equal(from, 99);
}

static void upgrade_of_a_current_store_does_nothing(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *p = scratch_path("current.gpkg");
    const char *copy = scratch_path("current-copy.gpkg");
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_create(ctx, p, &s));
    cmr_store_close(s);
    assert_int_equal(file_copy(p, copy), 0);
    int from, to;
    assert_status_ok(ctx, cmr_store_upgrade(ctx, p, &from, &to));
    assert_int_equal(from, CMR_STORE_SCHEMA_VERSION);
    assert_int_equal(to, CMR_STORE_SCHEMA_VERSION);
    assert_true(files_equal(p, copy));
}

static void upgrade_migrates_version_1_in_place(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *p = scratch_path("v1.gpkg");
    assert_status_ok(ctx, cmr__store_create_version(ctx, p, 1));
    struct cmr_store *s = NULL;
    assert_status(ctx, cmr_store_open(ctx, p, CMR_STORE_READ, &s),
                  CMR_EVERSION);
    assert_errmsg_has(ctx, "cmr upgrade");
    int from, to;
    assert_status_ok(ctx, cmr_store_upgrade(ctx, p, &from, &to));
    assert_int_equal(from, 1);
    assert_int_equal(to, CMR_STORE_SCHEMA_VERSION);
    assert_status_ok(ctx, cmr_store_open(ctx, p, CMR_STORE_READ, &s));
    cmr_store_close(s);
    struct cmr__ds *ds = NULL;
    assert_status_ok(ctx, cmr__ds_open(ctx, p, false, &ds));
    assert_true(cmr__ds_has_layer(ds, "admin_area"));
    assert_true(cmr__ds_has_layer(ds, "deadline"));
    assert_true(cmr__ds_has_layer(ds, "national_figure"));
    assert_true(cmr__ds_has_layer(ds, "extension_request"));
    assert_true(cmr__ds_has_layer(ds, "plan_year"));
    cmr__ds_close(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_creates_layers_and_states),
        cmocka_unit_test(init_refuses_an_existing_file),
        cmocka_unit_test(a_text_file_is_not_a_store),
        cmocka_unit_test(a_foreign_geopackage_is_not_a_store),
        cmocka_unit_test(another_schema_version_is_refused),
        cmocka_unit_test(upgrade_of_a_current_store_does_nothing),
        cmocka_unit_test(upgrade_migrates_version_1_in_place),
    };
    int rc =
        cmocka_run_group_tests_name("store", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
