/* SPDX-License-Identifier: MIT */
/* The GDAL/OGR bridge: opening sources, fields, and reprojection to
 * EPSG:4326 with longitude first. */
#include <sys/stat.h>

#include "test_support.h"

#include "geom.h"
#include "source.h"

/* Reads the first feature's geometry and returns its bounds. */
static void first_bounds(struct cmr_ctx *ctx, const char *path,
                         const char *assume, struct cmr__bbox *b)
{
    struct cmr__src *src = NULL;
    assert_status_ok(ctx, cmr__src_open(ctx, path, NULL, &src));
    int wkt = -1;
    for (int i = 0; i < cmr__src_field_count(src); i++)
        if (strcmp(cmr__src_field_name(src, i), "WKT") == 0)
            wkt = i;
    assert_status_ok(ctx, cmr__src_prepare(ctx, src, assume, wkt));
    bool more = false;
    assert_status_ok(ctx, cmr__src_next(ctx, src, &more));
    assert_true(more);
    unsigned char *wkb = NULL;
    size_t len = 0;
    enum cmr__geom_problem p;
    assert_status_ok(ctx, cmr__src_geometry(ctx, src, &wkb, &len, &p));
    assert_int_equal(p, CMR_GEOM_OK);
    struct cmr_geom *g = NULL;
    assert_status_ok(ctx, cmr__geom_from_wkb(ctx, wkb, len, &g));
    assert_status_ok(ctx, cmr__geom_bounds(ctx, g, b));
    cmr__geom_free(ctx, g);
    cmr__free(wkb);
    cmr__src_close(src);
}

static void germany_utm_polygon_lands_near_wittstock(void **state)
{
    struct cmr_ctx *ctx = *state;
    /* ETRS89 / UTM 33N corners of 12.45-12.60 E, 53.15-53.25 N (cs2cs). */
    const char *csv = scratch_write(
        "wittstock.csv",
        "id,WKT\nW1,\"POLYGON((329478.0 5891994.4,339880.3 5891994.4,"
        "339880.3 5902769.3,329478.0 5902769.3,329478.0 5891994.4))\"\n");
    struct cmr__bbox b;
    first_bounds(ctx, csv, "EPSG:25833", &b);
    /* Longitude first: x is about 12.4-12.6, y about 53.1-53.3. */
    assert_true(b.minx > 12.3 && b.maxx < 12.7);
    assert_true(b.miny > 53.1 && b.maxy < 53.3);
}

static void iraq_utm_polygon_lands_near_baghdad(void **state)
{
    struct cmr_ctx *ctx = *state;
    /* WGS 84 / UTM 38N corners of 44.30-44.45 E, 33.25-33.40 N (cs2cs). */
    const char *csv = scratch_write(
        "baghdad.csv",
        "id,WKT\nB1,\"POLYGON((434793.3 3679220.9,448854.1 3679220.9,"
        "448854.1 3695767.5,434793.3 3695767.5,434793.3 3679220.9))\"\n");
    struct cmr__bbox b;
    first_bounds(ctx, csv, "EPSG:32638", &b);
    assert_true(b.minx > 44.2 && b.maxx < 44.5);
    assert_true(b.miny > 33.2 && b.maxy < 33.45);
}

static void epsg4326_stays_longitude_first(void **state)
{
    struct cmr_ctx *ctx = *state;
    /* EPSG:4326's official axis order is latitude first; cmr must not swap
     * coordinates that come in longitude-first from a GIS file. */
    const char *csv = scratch_write(
        "lao.csv", "id,WKT\nL1,\"POLYGON((103 19,103.02 19,103.02 19.02,103 "
                   "19.02,103 19))\"\n");
    struct cmr__bbox b;
    first_bounds(ctx, csv, "EPSG:4326", &b);
    assert_near(b.minx, 103, 1e-12);
    assert_near(b.miny, 19, 1e-12);
}

static void geojson_is_wgs84_without_assumption(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr__bbox b;
    first_bounds(ctx, CMR_TEST_LEDGER "/hazards.geojson", NULL, &b);
    assert_near(b.minx, 103.0, 1e-12);
    assert_near(b.maxy, 19.02, 1e-12);
}

static void csv_without_crs_needs_one(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *csv = scratch_write(
        "nocrs.csv", "id,WKT\nX,\"POLYGON((0 0,1 0,1 1,0 0))\"\n");
    struct cmr__src *src = NULL;
    assert_status_ok(ctx, cmr__src_open(ctx, csv, NULL, &src));
    assert_status(ctx, cmr__src_prepare(ctx, src, NULL, 1), CMR_ECRS);
    assert_errmsg_has(ctx, "--assume-crs");
    assert_status(ctx, cmr__src_prepare(ctx, src, "EPSG:999999", 1), CMR_ECRS);
    cmr__src_close(src);
}

static void missing_file_and_directory_are_io_errors(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr__src *src = NULL;
    assert_status(ctx, cmr__src_open(ctx, "/nonexistent/h.gpkg", NULL, &src),
                  CMR_EIO);
    assert_errmsg_has(ctx, "/nonexistent/h.gpkg");
    assert_errmsg_has(ctx, "No such file");
    const char *dir = scratch_path("emptydir");
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_status(ctx, cmr__src_open(ctx, dir, NULL, &src), CMR_EIO);
    assert_errmsg_has(ctx, "directory");
    assert_null(src);
}

static void unknown_layer_lists_the_layers(void **state)
{
    struct cmr_ctx *ctx = *state;
    struct cmr__src *src = NULL;
    assert_status(
        ctx, cmr__src_open(ctx, geodata_path("boundaries.gpkg"), "nope", &src),
        CMR_EFORMAT);
    assert_errmsg_has(ctx, "no layer named 'nope'");
    assert_errmsg_has(ctx, "admin1");
}

static void truncated_file_is_refused(void **state)
{
    struct cmr_ctx *ctx = *state;
    /* The first 1000 bytes of a GeoPackage: an SQLite header, no tables. */
    FILE *in = fopen(geodata_path("boundaries.gpkg"), "rb");
    FILE *out = fopen(scratch_path("trunc.gpkg"), "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[1000];
    assert_int_equal(fread(buf, 1, sizeof buf, in), sizeof buf);
    fwrite(buf, 1, sizeof buf, out);
    fclose(in);
    fclose(out);
    struct cmr__src *src = NULL;
    enum cmr_status st =
        cmr__src_open(ctx, scratch_path("trunc.gpkg"), NULL, &src);
    assert_true(st == CMR_EIO || st == CMR_EFORMAT);
    assert_errmsg_has(ctx, "trunc.gpkg");
}

/* A connection string's password is never shown nor recorded. */
static void connection_passwords_are_hidden(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"PG:host=db user=ima password=s3cret dbname=imsma",
         "PG:host=db user=ima password=*** dbname=imsma"},
        {"PG:password='a b\\' c s3cret' dbname=x", "PG:password=*** dbname=x"},
        {"PG:host=db PASSWORD = s3cret", "PG:host=db PASSWORD = ***"},
        {"PG:dbname=x password=", "PG:dbname=x password="},
        /* a keyword right after a quoted value, as libpq allows */
        {"PG:dbname='imsma'password=s3cret", "PG:dbname='imsma'password=***"},
        /* any keyword ending in "password" (libpq's sslpassword) */
        {"PG:sslpassword=s3cret host=db", "PG:sslpassword=*** host=db"},
        /* an escaped space inside an unquoted value */
        {"PG:password=se\\ s3cret dbname=x", "PG:password=*** dbname=x"},
        /* stray words libpq would take for keywords: all hidden */
        {"PG:password=se s3cret dbname=x", "PG:password=*** dbname=x"},
        {"PG:postgresql://ima:s3cret@db:5432/imsma",
         "PG:postgresql://ima:***@db:5432/imsma"},
        {"postgresql://u:pa?s3cret@h/db", "postgresql://u:***@h/db"},
        {"postgresql://u:pa#s3cret@h/db", "postgresql://u:***@h/db"},
        {"PG:postgresql://ima@db/imsma?sslmode=require&password=s3cret",
         "PG:postgresql://ima@db/imsma?sslmode=require&password=***"},
        {"PG:postgresql://db/x?password=s3cret&sslmode=require",
         "PG:postgresql://db/x?password=***&sslmode=require"},
        {"postgresql://u@h/db?password=ab#s3cret",
         "postgresql://u@h/db?password=***"},
        {"postgresql://u@h/db?passwor%64=s3cret",
         "postgresql://u@h/db?passwor%64=***"},
        {"postgresql://u@h/db?sslpassword=s3cret&x=1",
         "postgresql://u@h/db?sslpassword=***&x=1"},
        {"/vsicurl/https://ima:s3cret@host/f.gpkg",
         "/vsicurl/https://ima:***@host/f.gpkg"},
        /* nothing to hide: as given */
        {"/data/my_password=notes.gpkg", "/data/my_password=notes.gpkg"},
        {"PG:service=imsma", "PG:service=imsma"},
        {"hazards.geojson", "hazards.geojson"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *shown = cmr__src_shown(cases[i][0]);
        assert_non_null(shown);
        assert_string_equal(shown, cases[i][1]);
        assert_null(strstr(shown, "s3cret"));
        cmr__free(shown);
    }
    /* a message that quotes a piece of the password is found out */
    assert_true(cmr__src_quotes_secret("PG:host=h password=se s3cret",
                                       "missing \"=\" after \"s3cret\""));
    assert_true(cmr__src_quotes_secret("postgresql://u:pa%zzs3cret@h/db",
                                       "invalid token: \"pa%zzs3cret\""));
    assert_false(cmr__src_quotes_secret(
        "PG:host=h password=s3cret",
        "FATAL: password authentication failed for user \"postgres\""));
    assert_false(cmr__src_quotes_secret("hazards.geojson", "hazards.geojson"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(germany_utm_polygon_lands_near_wittstock),
        cmocka_unit_test(iraq_utm_polygon_lands_near_baghdad),
        cmocka_unit_test(epsg4326_stays_longitude_first),
        cmocka_unit_test(geojson_is_wgs84_without_assumption),
        cmocka_unit_test(csv_without_crs_needs_one),
        cmocka_unit_test(missing_file_and_directory_are_io_errors),
        cmocka_unit_test(unknown_layer_lists_the_layers),
        cmocka_unit_test(truncated_file_is_refused),
        cmocka_unit_test(connection_passwords_are_hidden),
    };
    int rc =
        cmocka_run_group_tests_name("source", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
