/* SPDX-License-Identifier: MIT */
/* The store: creation, schema version checks, upgrade, what is not a store. */
#include "test_support.h"

#include <sqlite3.h>
#include <stdio.h>

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

/* A store opened read-only is read with SQLite alone: plain SQL runs there,
 * SQL with OGR's functions on an OGR connection opened for it, and the
 * calls that write are refused, leaving the file as it was. */
static void a_read_only_store_reads_and_never_writes(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_store *s = NULL;
    const char *p = scratch_path("ro.gpkg");
    assert_status_ok(ctx, cmr_store_create(ctx, p, &s));
    cmr_store_close(s);
    struct cmr__ds *ds = NULL;
    assert_status_ok(ctx, cmr__ds_open(ctx, p, false, &ds));
    assert_true(cmr__ds_has_layer(ds, "HAZARD")); /* as OGR: any case */
    assert_false(cmr__ds_has_layer(ds, "hazards"));
    struct cmr__rows *rows = NULL;
    assert_status_ok(ctx,
                     cmr__ds_query(ctx, ds,
                                   "SELECT name, entry_into_force FROM country "
                                   "WHERE iso3 = 'LAO'",
                                   &rows));
    assert_true(cmr__rows_next(rows));
    assert_string_equal(cmr__rows_text(rows, 0), "Lao PDR");
    assert_string_equal(cmr__rows_text(rows, 1), "2010-08-01");
    assert_false(cmr__rows_next(rows));
    assert_false(cmr__rows_failed(rows));
    cmr__rows_close(rows);
    /* ST_SRID is one of OGR's SQL functions, which SQLite does not have */
    assert_status_ok(ctx, cmr__ds_query(ctx, ds,
                                        "SELECT COUNT(*) FROM hazard WHERE "
                                        "ST_SRID(geom) = 4326",
                                        &rows));
    assert_true(cmr__rows_next(rows));
    assert_int_equal(cmr__rows_int(rows, 0), 0);
    cmr__rows_close(rows);
    assert_status(ctx, cmr__ds_query(ctx, ds, "SELECT nonsense FROM", &rows),
                  CMR_EDB);
    assert_null(rows);
    assert_status(ctx, cmr__ds_exec(ctx, ds, "DELETE FROM country"),
                  CMR_EINTERNAL);
    assert_errmsg_has(ctx, "open read-only");
    assert_status(ctx, cmr__ds_begin(ctx, ds), CMR_EINTERNAL);
    static const char *const names[] = {"iso3"};
    static const char *const values[] = {"XXX"};
    assert_status(
        ctx,
        cmr__ds_insert(ctx, ds, "country", names, values, 1, NULL, 0, NULL),
        CMR_EINTERNAL);
    cmr__ds_rollback(ctx, ds); /* nothing to roll back: does nothing */
    cmr__ds_close(ds);
    assert_status_ok(ctx, cmr_store_open(ctx, p, CMR_STORE_READ, &s));
    assert_int_equal(cmr_store_country_count(s), 10);
    cmr_store_close(s);
}

/* An SQLite database without the GeoPackage tables is not a store. */
static void a_plain_sqlite_database_is_not_a_store(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *p = scratch_path("plain.sqlite");
    remove(p);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    struct cmr_store *s = NULL;
    assert_status(ctx, cmr_store_open(ctx, p, CMR_STORE_READ, &s), CMR_EFORMAT);
    assert_errmsg_has(ctx, "not a cmr store (not a GeoPackage: no "
                           "gpkg_contents");
    assert_null(s);
    /* the tables without the GeoPackage application id: not one either */
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE gpkg_contents (x); CREATE "
                                  "TABLE gpkg_spatial_ref_sys (x); CREATE "
                                  "TABLE cmr_meta (key, value)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_status(ctx, cmr_store_open(ctx, p, CMR_STORE_READ, &s), CMR_EFORMAT);
    assert_errmsg_has(ctx, "not the GeoPackage application id");
    /* with it (GeoPackage 1.2 and later: "GPKG"), the check goes on to
     * the store's own tables */
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA application_id = 1196444487",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_status(ctx, cmr_store_open(ctx, p, CMR_STORE_READ, &s), CMR_EFORMAT);
    assert_null(strstr(cmr_ctx_errmsg(ctx), "application id"));
}

/* A store left with a hot journal (a program stopped in the middle of
 * writing it) cannot be read without write access: the message says so
 * and how to mend it. Made by copying a store and its journal while a
 * transaction that has written pages to the file is open. */
static void a_store_left_mid_write_says_so(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *p = scratch_path("mid-write.gpkg");
    char hot[4096], pj[4200], hj[4200];
    snprintf(hot, sizeof hot, "%s", scratch_path("hot.gpkg"));
    snprintf(pj, sizeof pj, "%s-journal", p);
    snprintf(hj, sizeof hj, "%s-journal", hot);
    remove(p);
    remove(hot);
    remove(hj);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_create(ctx, p, &s));
    cmr_store_close(s);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "PRAGMA cache_size = 2; CREATE TABLE junk (b); BEGIN; "
                     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                     "FROM n WHERE i < 2000) INSERT INTO junk SELECT "
                     "randomblob(1000) FROM n; UPDATE country SET name = "
                     "name || '!'",
                     NULL, NULL, NULL),
        SQLITE_OK);
    /* the file as the stopped program left it */
    assert_int_equal(file_copy(p, hot), 0);
    assert_int_equal(file_copy(pj, hj), 0);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_status(ctx, cmr_store_open(ctx, hot, CMR_STORE_READ, &s), CMR_EDB);
    assert_errmsg_has(ctx, "a program stopped while writing the store");
    assert_errmsg_has(ctx, "-journal");
    assert_null(s);
    /* rolled back by a connection that can write, it reads */
    assert_int_equal(sqlite3_open(hot, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA quick_check", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_status_ok(ctx, cmr_store_open(ctx, hot, CMR_STORE_READ, &s));
    cmr_store_close(s);
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

/* Versions 5 and 6 add the indexes that find the default as-of date, and
 * a State's provinces and outline, without a scan: SQLite's plans for the
 * ledger's queries use them. */
static void upgrades_index_the_ledgers_queries(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *p = scratch_path("v4.gpkg");
    assert_status_ok(ctx, cmr__store_create_version(ctx, p, 4));
    int from, to;
    assert_status_ok(ctx, cmr_store_upgrade(ctx, p, &from, &to));
    assert_int_equal(from, 4);
    assert_int_equal(to, 6);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    static const char *const q[][2] = {
        {"EXPLAIN QUERY PLAN SELECT MAX(completed) FROM release",
         "release_completed"},
        {"EXPLAIN QUERY PLAN SELECT MAX(recorded) FROM hazard",
         "hazard_recorded"},
        {"EXPLAIN QUERY PLAN SELECT code, name, geom FROM admin_area WHERE "
         "country = 'LAO' ORDER BY code",
         "admin_area_country_code"},
        {"EXPLAIN QUERY PLAN SELECT iso3, geom FROM country_outline WHERE "
         "iso3 = 'LAO'",
         "country_outline_iso3"}};
    for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, q[i][0], -1, &st, NULL),
                         SQLITE_OK);
        bool indexed = false;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(st, 3);
            indexed |= d && strstr(d, q[i][1]) != NULL;
        }
        sqlite3_finalize(st);
        assert_true(indexed);
    }
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_creates_layers_and_states),
        cmocka_unit_test(a_read_only_store_reads_and_never_writes),
        cmocka_unit_test(a_plain_sqlite_database_is_not_a_store),
        cmocka_unit_test(init_refuses_an_existing_file),
        cmocka_unit_test(a_text_file_is_not_a_store),
        cmocka_unit_test(a_foreign_geopackage_is_not_a_store),
        cmocka_unit_test(another_schema_version_is_refused),
        cmocka_unit_test(upgrades_index_the_ledgers_queries),
        cmocka_unit_test(a_store_left_mid_write_says_so),
        cmocka_unit_test(upgrade_of_a_current_store_does_nothing),
        cmocka_unit_test(upgrade_migrates_version_1_in_place),
    };
    int rc =
        cmocka_run_group_tests_name("store", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
