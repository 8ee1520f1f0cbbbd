/* SPDX-License-Identifier: MIT */
/* Import through the public API: counts, rejects with their fields, repair,
 * replacement with history, presets, and the rule that a failed call leaves
 * the store byte for byte as it was. */
#include "test_support.h"

#include "source.h"
#include "store_int.h"

#define LEDGER CMR_TEST_LEDGER "/"

static const char *fresh_store(struct cmr_ctx *ctx, const char *name)
{
    const char *p = scratch_path(name);
    remove(p);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_create(ctx, p, &s));
    cmr_store_close(s);
    return p;
}

static int64_t count_rows(struct cmr_ctx *ctx, const char *store,
                          const char *sql)
{
    struct cmr__ds *ds = NULL;
    struct cmr__rows *rows = NULL;
    assert_status_ok(ctx, cmr__ds_open(ctx, store, false, &ds));
    assert_status_ok(ctx, cmr__ds_query(ctx, ds, sql, &rows));
    assert_true(cmr__rows_next(rows));
    int64_t n = cmr__rows_int(rows, 0);
    cmr__rows_close(rows);
    cmr__ds_close(ds);
    return n;
}

static enum cmr_status run(struct cmr_ctx *ctx, const char *store,
                           const char *hazards, const char *releases,
                           bool strict, struct cmr_import_report **rep)
{
    struct cmr_import_opts *o = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    if (hazards)
        assert_status_ok(ctx, cmr_import_opts_source(ctx, o, CMR_KIND_HAZARD,
                                                     hazards, NULL));
    if (releases)
        assert_status_ok(ctx, cmr_import_opts_source(ctx, o, CMR_KIND_RELEASE,
                                                     releases, NULL));
    cmr_import_opts_strict(o, strict);
    enum cmr_status st = cmr_import(ctx, store, o, rep);
    cmr_import_opts_free(o);
    return st;
}

/* --assume-crs: checked when given (a usage error, CMR_EINVAL, for what
 * GDAL does not understand or what cannot place a polygon); NULL clears. */
static void assume_crs_is_checked_and_null_clears_it(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_import_opts *o = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    assert_status_ok(ctx, cmr_import_opts_assume_crs(ctx, o, "EPSG:32648"));
    assert_status(ctx, cmr_import_opts_assume_crs(ctx, o, "EPSG:5703"),
                  CMR_EINVAL);
    assert_errmsg_has(ctx, "neither geographic nor projected");
    assert_status(ctx, cmr_import_opts_assume_crs(ctx, o, "bogus"), CMR_EINVAL);
    assert_errmsg_has(ctx, "--assume-crs 'bogus'");
    assert_status_ok(ctx, cmr_import_opts_assume_crs(ctx, o, NULL));
    cmr_import_opts_free(o);
}

static void ledger_example_imports_whole(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "ledger.gpkg");
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, run(ctx, db, LEDGER "hazards.geojson",
                              LEDGER "releases.geojson", false, &rep));
    struct cmr_import_counts h = cmr_import_report_counts(rep, CMR_KIND_HAZARD);
    struct cmr_import_counts r =
        cmr_import_report_counts(rep, CMR_KIND_RELEASE);
    assert_int_equal(h.read, 2);
    assert_int_equal(h.imported, 2);
    assert_int_equal(r.imported, 3);
    assert_int_equal(cmr_import_report_reject_count(rep), 0);
    assert_int_equal(cmr_import_report_run(rep), 1);
    cmr_import_report_free(rep);
    assert_int_equal(count_rows(ctx, db,
                                "SELECT COUNT(*) FROM release WHERE "
                                "method = 'cleared' AND submunitions = 12 AND "
                                "completed = '2019-06-30'"),
                     1);
    assert_int_equal(
        count_rows(ctx, db, "SELECT COUNT(*) FROM import_run WHERE run = 1"),
        2);
}

static void reimport_replaces_and_keeps_history(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "replace.gpkg");
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx,
                     run(ctx, db, LEDGER "hazards.geojson", NULL, false, &rep));
    cmr_import_report_free(rep);
    assert_status_ok(ctx,
                     run(ctx, db, LEDGER "hazards.geojson", NULL, false, &rep));
    assert_int_equal(cmr_import_report_counts(rep, CMR_KIND_HAZARD).replaced,
                     2);
    assert_int_equal(cmr_import_report_run(rep), 2);
    cmr_import_report_free(rep);
    assert_int_equal(count_rows(ctx, db, "SELECT COUNT(*) FROM hazard"), 2);
    assert_int_equal(count_rows(ctx, db,
                                "SELECT COUNT(*) FROM hazard_history WHERE "
                                "replaced_by_run = 2 AND import_run = 1"),
                     2);
}

static const struct {
    const char *id, *field, *reason;
} expected_rejects[] = {
    {"BADCLASS", "class", "unknown class 'XYZ'"},
    {"BADCOUNTRY", "country", "'FRA' is not one the store knows"},
    /* (GDAL's reading of the file's 2024-02-30) */
    {"BADDATE", "recorded", "'2024/02/30' is not a date"},
    {"POINT", "geometry", "not a polygon"},
    {"LINE", "geometry", "not a polygon"},
    {"SHORTRING", "geometry", "fewer than four points"},
    {"OUTOFRANGE", "geometry", "out of range"},
    {"NOGEOM", "geometry", "missing geometry"},
    {"OK1", "id", "duplicate id 'OK1'"},
};

static void bad_features_are_rejected_one_by_one(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "bad.gpkg");
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, run(ctx, db, testdata_path("hazards_bad.geojson"),
                              NULL, false, &rep));
    struct cmr_import_counts h = cmr_import_report_counts(rep, CMR_KIND_HAZARD);
    assert_int_equal(h.read, 12);
    assert_int_equal(h.imported, 3);
    assert_int_equal(h.repaired, 1);
    size_t n = sizeof expected_rejects / sizeof *expected_rejects;
    assert_int_equal(cmr_import_report_reject_count(rep), n);
    for (size_t i = 0; i < n; i++) {
        struct cmr_reject r = cmr_import_report_reject(rep, i);
        assert_string_equal(r.id, expected_rejects[i].id);
        assert_string_equal(r.field, expected_rejects[i].field);
        if (!strstr(r.reason, expected_rejects[i].reason))
            fail_msg("reject %s: '%s' lacks '%s'", r.id, r.reason,
                     expected_rejects[i].reason);
        assert_non_null(strstr(r.file, "hazards_bad.geojson"));
        assert_true(r.feature >= 1 && r.feature <= 12);
    }
    cmr_import_report_free(rep);
    assert_int_equal(
        count_rows(ctx, db,
                   "SELECT COUNT(*) FROM hazard WHERE id = "
                   "'BOWTIE' AND repair LIKE 'Self-intersection%'"),
        1);
    assert_int_equal(count_rows(ctx, db, "SELECT COUNT(*) FROM import_reject"),
                     (int64_t)n);
    /* class "sha" was normalised. */
    assert_int_equal(count_rows(ctx, db,
                                "SELECT COUNT(*) FROM hazard WHERE id = 'OK2' "
                                "AND class = 'SHA'"),
                     1);
}

static void strict_failure_leaves_store_byte_identical(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "strict.gpkg");
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx,
                     run(ctx, db, LEDGER "hazards.geojson", NULL, false, &rep));
    cmr_import_report_free(rep);
    const char *before = scratch_path("strict-before.gpkg");
    assert_int_equal(file_copy(db, before), 0);
    assert_status(ctx,
                  run(ctx, db, testdata_path("hazards_bad.geojson"),
                      LEDGER "releases.geojson", true, &rep),
                  CMR_EREJECT);
    assert_errmsg_has(ctx, "--strict");
    assert_int_equal(cmr_import_report_reject_count(rep), 9);
    cmr_import_report_free(rep);
    assert_true(files_equal(db, before));
}

static void missing_required_column_fails_whole_source(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "missing.gpkg");
    const char *before = scratch_path("missing-before.gpkg");
    assert_int_equal(file_copy(db, before), 0);
    struct cmr_import_report *rep = NULL;
    /* Release records used as hazards: no 'class', no 'recorded'. */
    assert_status(ctx,
                  run(ctx, db, LEDGER "releases.geojson", NULL, false, &rep),
                  CMR_EFORMAT);
    assert_errmsg_has(ctx, "required field 'class' is missing");
    assert_errmsg_has(ctx, "releases.geojson");
    cmr_import_report_free(rep);
    assert_true(files_equal(db, before));
}

static void imsma_ng_preset_maps_fields_and_values(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "imsma.gpkg");
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    assert_status_ok(ctx, cmr_import_opts_source(
                              ctx, o, CMR_KIND_HAZARD,
                              testdata_path("imsma_hazards.geojson"), NULL));
    assert_status_ok(ctx, cmr_import_opts_source(
                              ctx, o, CMR_KIND_RELEASE,
                              testdata_path("imsma_activities.geojson"), NULL));
    /* The caller's own mapping wins over the preset's whatever the order. */
    assert_status_ok(ctx, cmr_import_opts_value(ctx, o, CMR_KIND_HAZARD,
                                                "contamination", "Landmine",
                                                "AP mines"));
    assert_status_ok(ctx, cmr_import_opts_preset(ctx, o, "imsma-ng"));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    /* HZ-003 is Expired without a closing date: a reject on 'closed'. */
    assert_int_equal(cmr_import_report_reject_count(rep), 1);
    struct cmr_reject r = cmr_import_report_reject(rep, 0);
    assert_string_equal(r.id, "HZ-003");
    assert_string_equal(r.field, "closed");
    assert_int_equal(cmr_import_report_counts(rep, CMR_KIND_RELEASE).imported,
                     3);
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
    assert_int_equal(count_rows(ctx, db,
                                "SELECT COUNT(*) FROM hazard WHERE id = "
                                "'HZ-001' AND class = 'CHA' AND contamination "
                                "= 'CMR' AND recorded = '2011-03-04' AND "
                                "reported_area_m2 = 1210000"),
                     1);
    assert_int_equal(count_rows(ctx, db,
                                "SELECT COUNT(*) FROM hazard WHERE id = "
                                "'HZ-002' AND closed = '2019-05-05' AND "
                                "contamination = 'AP mines'"),
                     1);
    assert_int_equal(count_rows(ctx, db,
                                "SELECT COUNT(*) FROM release WHERE "
                                "(id = 'AC-1' AND method = 'cleared' AND "
                                "submunitions = 31 AND hazard_id = 'HZ-001') "
                                "OR (id = 'AC-2' AND method = 'cancelled') OR "
                                "(id = 'AC-3' AND method = 'reduced')"),
                     3);
}

static void unknown_preset_and_field_are_usage_errors(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr_import_opts *o = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    assert_status(ctx, cmr_import_opts_preset(ctx, o, "imsma-core"),
                  CMR_EINVAL);
    assert_errmsg_has(ctx, "unknown preset");
    assert_status(ctx,
                  cmr_import_opts_map(ctx, o, CMR_KIND_HAZARD, "colour", "x"),
                  CMR_EINVAL);
    assert_status(ctx,
                  cmr_import_opts_map(ctx, o, CMR_KIND_HAZARD, "method", "x"),
                  CMR_EINVAL);
    assert_status_ok(
        ctx, cmr_import_opts_map(ctx, o, CMR_KIND_RELEASE, "method", "x"));
    const char *bad = scratch_write("bad-preset.json", "{\"map\": [1, 2]}");
    assert_status(ctx, cmr_import_opts_preset(ctx, o, bad), CMR_EFORMAT);
    assert_errmsg_has(ctx, "\"map\" must be an object");
    cmr_import_opts_free(o);
}

static void preset_file_extends_builtin(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "presetfile.gpkg");
    const char *pf = scratch_write(
        "lbn.json",
        "{\"extends\": \"imsma-ng\", \"value\": {\"hazards.status\":"
        " {\"Expired\": \"open\"}}}");
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    assert_status_ok(ctx, cmr_import_opts_source(
                              ctx, o, CMR_KIND_HAZARD,
                              testdata_path("imsma_hazards.geojson"), NULL));
    assert_status_ok(ctx, cmr_import_opts_preset(ctx, o, pf));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    /* The file's Expired -> open wins over the built-in Expired -> closed. */
    assert_int_equal(cmr_import_report_reject_count(rep), 0);
    /* HZ-002, now open, has a status date: open, without it; it is the
     * one hazard of other contamination (Landmine). */
    struct cmr_import_counts n = cmr_import_report_counts(rep, CMR_KIND_HAZARD);
    assert_int_equal(n.open_dated, 1);
    assert_int_equal(n.other, 1);
    assert_int_equal(cmr_import_report_other_count(rep), 1);
    int64_t k = -1;
    assert_string_equal(cmr_import_report_other(rep, 0, &k), "Landmine");
    assert_int_equal(k, 1);
    assert_null(cmr_import_report_other(rep, 1, &k));
    assert_int_equal(k, 0);
    assert_int_equal(cmr_import_report_counts(rep, CMR_KIND_ANY).other, 1);
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
    assert_int_equal(count_rows(ctx, db,
                                "SELECT COUNT(*) FROM hazard WHERE closed IS "
                                "NULL"),
                     3);
}

static void reference_data_rows_are_checked(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "ref.gpkg");
    const char *dl = scratch_write(
        "deadlines.csv",
        "country,fact,date,precision,meeting,status,source_url,quote,note\n"
        "LAO,entry_into_force,2010-08-01,day,,,https://x.example/a,q,\n"
        "LAO,extension_granted,2025-08,month,9MSP,granted,https://x/b,q,\n"
        "LAO,request_asked,2030-02-30,day,12MSP,granted,https://x/c,q,\n"
        "FRA,entry_into_force,2010-08-01,day,,,https://x/d,q,\n"
        "LAO,deadline_original,2020-08-01,day,,,,q,\n"
        "LAO,national_target,2030,month,,,https://x/e,q,\n");
    const char *fig = scratch_write(
        "figures.csv",
        "country,metric,year,value,unit,source_url,quote,note\n"
        "LAO,cleared,2024,71.7,km2,https://x/f,recording 71.7km2,\n"
        "LBN,cleared,2017,1.4,acres,https://x/g,q,\n"
        "WLD,cleared,2024,227.9,km2,https://x/h,q,\n"
        "LAO,cleared,2024,71.7,km2,https://x/f,,\n");
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    assert_status_ok(
        ctx, cmr_import_opts_source(ctx, o, CMR_KIND_DEADLINES, dl, NULL));
    assert_status_ok(
        ctx, cmr_import_opts_source(ctx, o, CMR_KIND_FIGURES, fig, NULL));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    assert_int_equal(cmr_import_report_counts(rep, CMR_KIND_DEADLINES).imported,
                     2);
    assert_int_equal(cmr_import_report_counts(rep, CMR_KIND_FIGURES).imported,
                     2);
    static const char *const fields[] = {"date", "country", "source_url",
                                         "date", "unit",    "quote"};
    assert_int_equal(cmr_import_report_reject_count(rep), 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(cmr_import_report_reject(rep, i).field, fields[i]);
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
    /* Areas are also kept in m2 (a unit conversion, nothing estimated). */
    assert_int_equal(count_rows(ctx, db,
                                "SELECT COUNT(*) FROM national_figure WHERE "
                                "country = 'LAO' AND value_m2 = 71700000"),
                     1);
}

/* Every row of the bundled national figures and deadlines has its source
 * URL and quote (a row without them would be rejected), and parses. */
static void bundled_reference_data_is_sourced(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "bundled.gpkg");
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    assert_status_ok(ctx, cmr_import_opts_source(
                              ctx, o, CMR_KIND_FIGURES,
                              geodata_path("national-figures.csv"), NULL));
    assert_status_ok(ctx, cmr_import_opts_source(ctx, o, CMR_KIND_DEADLINES,
                                                 geodata_path("deadlines.csv"),
                                                 NULL));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    for (size_t i = 0; i < cmr_import_report_reject_count(rep); i++) {
        struct cmr_reject r = cmr_import_report_reject(rep, i);
        fail_msg("%s row %lld: %s: %s", r.file, (long long)r.feature, r.field,
                 r.reason);
    }
    struct cmr_import_counts f =
        cmr_import_report_counts(rep, CMR_KIND_FIGURES);
    struct cmr_import_counts d =
        cmr_import_report_counts(rep, CMR_KIND_DEADLINES);
    assert_true(f.read > 100);
    assert_int_equal(f.imported, f.read);
    assert_true(d.read > 50);
    assert_int_equal(d.imported, d.read);
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
    assert_int_equal(count_rows(ctx, db,
                                "SELECT COUNT(*) FROM national_figure WHERE "
                                "source_url IS NULL OR quote IS NULL OR "
                                "source_url NOT LIKE 'http%'"),
                     0);
    assert_int_equal(count_rows(ctx, db,
                                "SELECT COUNT(*) FROM deadline WHERE "
                                "source_url IS NULL OR quote IS NULL OR "
                                "source_url NOT LIKE 'http%'"),
                     0);
    /* the ten States have their entry into force */
    assert_int_equal(count_rows(ctx, db,
                                "SELECT COUNT(DISTINCT country) FROM deadline "
                                "WHERE fact = 'entry_into_force'"),
                     10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(assume_crs_is_checked_and_null_clears_it),
        cmocka_unit_test(ledger_example_imports_whole),
        cmocka_unit_test(reimport_replaces_and_keeps_history),
        cmocka_unit_test(bad_features_are_rejected_one_by_one),
        cmocka_unit_test(strict_failure_leaves_store_byte_identical),
        cmocka_unit_test(missing_required_column_fails_whole_source),
        cmocka_unit_test(imsma_ng_preset_maps_fields_and_values),
        cmocka_unit_test(unknown_preset_and_field_are_usage_errors),
        cmocka_unit_test(preset_file_extends_builtin),
        cmocka_unit_test(reference_data_rows_are_checked),
        cmocka_unit_test(bundled_reference_data_is_sourced),
    };
    int rc =
        cmocka_run_group_tests_name("import", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
