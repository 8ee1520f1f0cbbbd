/* SPDX-License-Identifier: MIT */
/* The project store: a GeoPackage written through OGR's single connection,
 * so one call is one transaction. It owns the schema, its version (table
 * cmr_meta, since GeoPackage already uses PRAGMA user_version) and the
 * migrations between versions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "store_int.h"

/* The ten States Parties with cluster munition remnants (13MSP Progress
 * Report, paras 104-109) and the Convention's entry into force for each
 * (sources in geodata/deadlines.csv, rows entry_into_force). */
static const struct {
    const char *iso3, *name;
    int y, m, d;
} known_states[] = {
    {"AFG", "Afghanistan", 2012, 3, 1}, {"CHL", "Chile", 2011, 6, 1},
    {"DEU", "Germany", 2010, 8, 1},     {"IRQ", "Iraq", 2013, 11, 1},
    {"LAO", "Lao PDR", 2010, 8, 1},     {"LBN", "Lebanon", 2011, 5, 1},
    {"MRT", "Mauritania", 2012, 8, 1},  {"SOM", "Somalia", 2016, 3, 1},
    {"SSD", "South Sudan", 2024, 2, 1}, {"TCD", "Chad", 2013, 9, 1},
};

int64_t cmr__state_eif_days(const char *iso3);
int64_t cmr__state_eif_days(const char *iso3)
{
    for (size_t i = 0; i < sizeof known_states / sizeof *known_states; i++)
        if (strcmp(known_states[i].iso3, iso3) == 0) {
            struct cmr__date d = {known_states[i].y, known_states[i].m,
                                  known_states[i].d};
            return cmr__date_days(d);
        }
    return 0;
}

/* ---- the schema, version by version ---- */

static const struct cmr__fdef meta_fields[] = {{"key", CMR_FT_TEXT},
                                               {"value", CMR_FT_TEXT}};
static const struct cmr__fdef country_fields[] = {
    {"iso3", CMR_FT_TEXT},
    {"name", CMR_FT_TEXT},
    {"entry_into_force", CMR_FT_DATE}};
static const struct cmr__fdef hazard_fields[] = {
    {"id", CMR_FT_TEXT},       {"country", CMR_FT_TEXT},
    {"class", CMR_FT_TEXT},    {"contamination", CMR_FT_TEXT},
    {"recorded", CMR_FT_DATE}, {"closed", CMR_FT_DATE},
    {"marked", CMR_FT_INT},    {"reported_area_m2", CMR_FT_REAL},
    {"synthetic", CMR_FT_INT}, {"repair", CMR_FT_TEXT},
    {"import_run", CMR_FT_INT}};
static const struct cmr__fdef release_fields[] = {
    {"id", CMR_FT_TEXT},          {"country", CMR_FT_TEXT},
    {"method", CMR_FT_TEXT},      {"completed", CMR_FT_DATE},
    {"hazard_id", CMR_FT_TEXT},   {"reported_area_m2", CMR_FT_REAL},
    {"submunitions", CMR_FT_INT}, {"synthetic", CMR_FT_INT},
    {"repair", CMR_FT_TEXT},      {"import_run", CMR_FT_INT}};
static const struct cmr__fdef history_extra[] = {
    {"replaced_by_run", CMR_FT_INT}, {"replaced_at", CMR_FT_DATETIME}};
static const struct cmr__fdef run_fields[] = {
    {"run", CMR_FT_INT},         {"started", CMR_FT_DATETIME},
    {"kind", CMR_FT_TEXT},       {"file", CMR_FT_TEXT},
    {"layer", CMR_FT_TEXT},      {"sha256", CMR_FT_TEXT},
    {"n_read", CMR_FT_INT},      {"n_imported", CMR_FT_INT},
    {"n_replaced", CMR_FT_INT},  {"n_rejected", CMR_FT_INT},
    {"n_repaired", CMR_FT_INT},  {"options", CMR_FT_TEXT},
    {"cmr_version", CMR_FT_TEXT}};
static const struct cmr__fdef reject_fields[] = {
    {"run", CMR_FT_INT},    {"kind", CMR_FT_TEXT},   {"file", CMR_FT_TEXT},
    {"layer", CMR_FT_TEXT}, {"feature", CMR_FT_INT}, {"record_id", CMR_FT_TEXT},
    {"field", CMR_FT_TEXT}, {"reason", CMR_FT_TEXT}};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static enum cmr_status history_table(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                     const char *name,
                                     const struct cmr__fdef *fields, size_t n)
{
    struct cmr__fdef all[16];
    memcpy(all, fields, n * sizeof *fields);
    memcpy(all + n, history_extra, sizeof history_extra);
    return cmr__ds_create_table(ctx, ds, name, true, all, n + N(history_extra));
}

/* Version 1: records, their history, States, import runs and rejects. */
static enum cmr_status migrate_to_1(struct cmr_ctx *ctx, struct cmr__ds *ds)
{
    enum cmr_status st;
    if ((st = cmr__ds_create_table(ctx, ds, "cmr_meta", false, meta_fields,
                                   N(meta_fields))) ||
        (st = cmr__ds_create_table(ctx, ds, "country", false, country_fields,
                                   N(country_fields))) ||
        (st = cmr__ds_create_table(ctx, ds, "hazard", true, hazard_fields,
                                   N(hazard_fields))) ||
        (st = cmr__ds_create_table(ctx, ds, "release", true, release_fields,
                                   N(release_fields))) ||
        (st = history_table(ctx, ds, "hazard_history", hazard_fields,
                            N(hazard_fields))) ||
        (st = history_table(ctx, ds, "release_history", release_fields,
                            N(release_fields))) ||
        (st = cmr__ds_create_table(ctx, ds, "import_run", false, run_fields,
                                   N(run_fields))) ||
        (st = cmr__ds_create_table(ctx, ds, "import_reject", false,
                                   reject_fields, N(reject_fields))))
        return st;
    static const char *const names[] = {"iso3", "name", "entry_into_force"};
    for (size_t i = 0; i < N(known_states); i++) {
        char eif[16];
        snprintf(eif, sizeof eif, "%04d-%02d-%02d", known_states[i].y,
                 known_states[i].m, known_states[i].d);
        const char *values[] = {known_states[i].iso3, known_states[i].name,
                                eif};
        st =
            cmr__ds_insert(ctx, ds, "country", names, values, 3, NULL, 0, NULL);
        if (st)
            return st;
    }
    static const char *const mnames[] = {"key", "value"};
    const char *mvalues[] = {"schema_version", "1"};
    return cmr__ds_insert(ctx, ds, "cmr_meta", mnames, mvalues, 2, NULL, 0,
                          NULL);
}

static const struct cmr__fdef admin_fields[] = {
    {"country", CMR_FT_TEXT}, {"code", CMR_FT_TEXT}, {"name", CMR_FT_TEXT}};
static const struct cmr__fdef outline_fields[] = {{"iso3", CMR_FT_TEXT},
                                                  {"name", CMR_FT_TEXT}};
static const struct cmr__fdef deadline_fields[] = {
    {"country", CMR_FT_TEXT},    {"fact", CMR_FT_TEXT},
    {"date", CMR_FT_TEXT},       {"precision", CMR_FT_TEXT},
    {"meeting", CMR_FT_TEXT},    {"status", CMR_FT_TEXT},
    {"source_url", CMR_FT_TEXT}, {"quote", CMR_FT_TEXT},
    {"note", CMR_FT_TEXT}};
static const struct cmr__fdef figure_fields[] = {
    {"country", CMR_FT_TEXT},    {"metric", CMR_FT_TEXT},
    {"year", CMR_FT_INT},        {"value", CMR_FT_REAL},
    {"unit", CMR_FT_TEXT},       {"value_m2", CMR_FT_REAL},
    {"source_url", CMR_FT_TEXT}, {"quote", CMR_FT_TEXT},
    {"note", CMR_FT_TEXT}};

/* Version 2: boundaries (provinces, State outlines, neighbours), Article 4
 * deadlines and published national figures. */
static enum cmr_status migrate_to_2(struct cmr_ctx *ctx, struct cmr__ds *ds)
{
    enum cmr_status st;
    if ((st = cmr__ds_create_table(ctx, ds, "admin_area", true, admin_fields,
                                   N(admin_fields))) ||
        (st = cmr__ds_create_table(ctx, ds, "country_outline", true,
                                   outline_fields, N(outline_fields))) ||
        (st = cmr__ds_create_table(ctx, ds, "neighbour", true, outline_fields,
                                   N(outline_fields))) ||
        (st = cmr__ds_create_table(ctx, ds, "deadline", false, deadline_fields,
                                   N(deadline_fields))) ||
        (st = cmr__ds_create_table(ctx, ds, "national_figure", false,
                                   figure_fields, N(figure_fields))))
        return st;
    return CMR_OK;
}

static const struct cmr__fdef request_fields[] = {
    {"request", CMR_FT_TEXT},
    {"country", CMR_FT_TEXT},
    {"meeting", CMR_FT_TEXT},
    {"submitted", CMR_FT_TEXT},
    {"requested", CMR_FT_DATE},
    {"synthetic", CMR_FT_INT},
    {"source_url", CMR_FT_TEXT},
    {"quote", CMR_FT_TEXT},
    {"stated_baseline_m2", CMR_FT_REAL},
    {"stated_added_m2", CMR_FT_REAL},
    {"stated_cleared_m2", CMR_FT_REAL},
    {"stated_remaining_m2", CMR_FT_REAL},
    {"note", CMR_FT_TEXT},
    {"file", CMR_FT_TEXT}};
static const struct cmr__fdef milestone_fields[] = {{"request", CMR_FT_TEXT},
                                                    {"year", CMR_FT_INT},
                                                    {"method", CMR_FT_TEXT},
                                                    {"province", CMR_FT_TEXT},
                                                    {"area_m2", CMR_FT_REAL}};
static const struct cmr__fdef cost_fields[] = {{"request", CMR_FT_TEXT},
                                               {"year", CMR_FT_INT},
                                               {"cost_usd", CMR_FT_REAL},
                                               {"funding_usd", CMR_FT_REAL}};

/* Version 3: extension requests with their work plans (milestones by year,
 * method and province; costs and funding secured by year). */
static enum cmr_status migrate_to_3(struct cmr_ctx *ctx, struct cmr__ds *ds)
{
    enum cmr_status st;
    if ((st = cmr__ds_create_table(ctx, ds, "extension_request", false,
                                   request_fields, N(request_fields))) ||
        (st = cmr__ds_create_table(ctx, ds, "plan_year", false,
                                   milestone_fields, N(milestone_fields))) ||
        (st = cmr__ds_create_table(ctx, ds, "plan_cost", false, cost_fields,
                                   N(cost_fields))))
        return st;
    return CMR_OK;
}

/* Runs the statements in order; the first failure stops them. */
static enum cmr_status exec_all(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                const char *const *sql, size_t n)
{
    enum cmr_status st = CMR_OK;
    for (size_t i = 0; i < n && !st; i++)
        st = cmr__ds_exec(ctx, ds, sql[i]);
    return st;
}

/* Version 4: indexes on (country, id) of the record tables. The ledger
 * reads one State at a time in id order, and a re-import replaces records
 * by State and id: without them, each was a scan of the whole table (ten
 * scans and sorts of a million rows for `cmr status`). */
static enum cmr_status migrate_to_4(struct cmr_ctx *ctx, struct cmr__ds *ds)
{
    static const char *const sql[] = {
        "CREATE INDEX IF NOT EXISTS hazard_country_id ON hazard (country, id)",
        "CREATE INDEX IF NOT EXISTS release_country_id ON release (country, "
        "id)"};
    return exec_all(ctx, ds, sql, sizeof sql / sizeof *sql);
}

/* Version 5: indexes on the dates that give the ledger's default as-of
 * date (the last release's year, else the last hazard's): without them,
 * each run began with a scan of both tables (3 ms at 10k records, of a
 * 100 ms run). */
static enum cmr_status migrate_to_5(struct cmr_ctx *ctx, struct cmr__ds *ds)
{
    static const char *const sql[] = {
        "CREATE INDEX IF NOT EXISTS release_completed ON release (completed)",
        "CREATE INDEX IF NOT EXISTS hazard_recorded ON hazard (recorded)"};
    return exec_all(ctx, ds, sql, sizeof sql / sizeof *sql);
}

/* Version 6: indexes on the State of the boundary tables. The ledger reads
 * one State's provinces and outline at a time; without them each read was
 * a scan of both tables, whose State column comes after the geometry, so
 * SQLite walked every boundary's pages to reach it (1.5 MB for each
 * State). */
static enum cmr_status migrate_to_6(struct cmr_ctx *ctx, struct cmr__ds *ds)
{
    static const char *const sql[] = {
        "CREATE INDEX IF NOT EXISTS admin_area_country_code ON admin_area "
        "(country, code)",
        "CREATE INDEX IF NOT EXISTS country_outline_iso3 ON country_outline "
        "(iso3)"};
    return exec_all(ctx, ds, sql, sizeof sql / sizeof *sql);
}

typedef enum cmr_status (*migration_fn)(struct cmr_ctx *, struct cmr__ds *);
/* migrations[i] takes a store from version i to version i + 1. */
static const migration_fn migrations[] = {migrate_to_1, migrate_to_2,
                                          migrate_to_3, migrate_to_4,
                                          migrate_to_5, migrate_to_6};

static enum cmr_status set_version(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                   int version)
{
    char sql[128];
    snprintf(sql, sizeof sql,
             "UPDATE cmr_meta SET value = '%d' WHERE key = 'schema_version'",
             version);
    return cmr__ds_exec(ctx, ds, sql);
}

static enum cmr_status migrate(struct cmr_ctx *ctx, struct cmr__ds *ds,
                               int from, int to)
{
    for (int v = from; v < to; v++) {
        enum cmr_status st = migrations[v](ctx, ds);
        if (st)
            return cmr__error_prefix(ctx, st, "migration to version %d", v + 1);
    }
    return from < to ? set_version(ctx, ds, to) : CMR_OK;
}

/* ---- lifecycle ---- */

static enum cmr_status read_version(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                    const char *path, int *version)
{
    *version = 0;
    if (!cmr__ds_has_layer(ds, "cmr_meta"))
        return cmr__error(ctx, CMR_EFORMAT,
                          "%s: not a cmr store (a GeoPackage without the "
                          "cmr_meta table; create one with 'cmr init')",
                          path);
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(
        ctx, ds, "SELECT value FROM cmr_meta WHERE key = 'schema_version'",
        &rows);
    if (st)
        return st;
    char text[32] = "";
    bool found = cmr__rows_next(rows) && cmr__rows_text(rows, 0);
    if (found)
        snprintf(text, sizeof text, "%s", cmr__rows_text(rows, 0));
    if (cmr__rows_failed(rows))
        st = cmr__error(ctx, CMR_EDB, "%s: cannot read the cmr_meta table: %s",
                        path, cmr__rows_why(rows));
    cmr__rows_close(rows);
    if (st)
        return st;
    if (!found)
        return cmr__error(ctx, CMR_EFORMAT,
                          "%s: not a cmr store (no schema version)", path);
    /* the whole value a number: '6x' or '' is a store edited by hand,
     * not version 6 */
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end || errno || v <= 0 || v > 1000000)
        return cmr__error(ctx, CMR_EFORMAT,
                          "%s: cmr_meta: schema_version '%s' is not a "
                          "version number",
                          path, text);
    *version = (int)v;
    return CMR_OK;
}

static enum cmr_status load_countries(struct cmr_ctx *ctx, struct cmr_store *s)
{
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(
        ctx, s->ds,
        "SELECT iso3, name, entry_into_force, typeof(iso3) FROM country "
        "ORDER BY iso3",
        &rows);
    if (st)
        return st;
    size_t cap = 0;
    while (cmr__rows_next(rows)) {
        if (!cmr__reserve((void **)&s->countries, &cap, s->ncountries + 1,
                          sizeof *s->countries)) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        struct cmr_store_country *c = &s->countries[s->ncountries];
        memset(c, 0, sizeof *c);
        const char *iso3 = cmr__rows_text(rows, 0);
        /* (a code stored as a BLOB, by a program other than cmr, sorts
         * after every text one, and no record's country text equals it) */
        const char *type = cmr__rows_text(rows, 3);
        if (iso3 && type && strcmp(type, "text") != 0) {
            st = cmr__error(ctx, CMR_EFORMAT,
                            "%s: country '%s' is stored as %s, not text "
                            "(written by another program); store it as text",
                            s->path, iso3, type);
            break;
        }
        if (!iso3 || strlen(iso3) != 3 ||
            strspn(iso3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3) {
            st = cmr__error(ctx, CMR_EFORMAT,
                            "%s: country '%s' is not an ISO3 code (three "
                            "capital letters)",
                            s->path, iso3 ? iso3 : "(none)");
            break;
        }
        /* (sorted: a second row of a State, added elsewhere, would count
         * its records twice in every sum over the States) */
        if (s->ncountries &&
            strcmp(s->countries[s->ncountries - 1].iso3, iso3) == 0) {
            st = cmr__error(ctx, CMR_EFORMAT,
                            "%s: country %s has more than one row in the "
                            "country table; delete all but one",
                            s->path, iso3);
            break;
        }
        snprintf(c->iso3, sizeof c->iso3, "%s", iso3);
        c->name =
            cmr__strdup(cmr__rows_text(rows, 1) ? cmr__rows_text(rows, 1) : "");
        if (!c->name) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        s->ncountries++;
        /* (a store edited elsewhere: a State without its date would have
         * every hazard counted as added since entry into force) */
        const char *eif = cmr__rows_text(rows, 2);
        if (!eif || !cmr__date_parse(eif, &c->eif)) {
            st = cmr__error(ctx, CMR_EFORMAT,
                            "%s: country %s: entry_into_force '%s' is not a "
                            "date (YYYY-MM-DD)",
                            s->path, c->iso3, eif ? eif : "(none)");
            break;
        }
    }
    /* (a damaged page ends the rows early: the States after it would be
     * missing, and every record of theirs "of no State") */
    if (!st && cmr__rows_failed(rows))
        st = cmr__error(ctx, CMR_EDB, "%s: cannot read the country table: %s",
                        s->path, cmr__rows_why(rows));
    cmr__rows_close(rows);
    return st;
}

/* The store's layers hold WGS84 longitude and latitude (import writes
 * them so). A layer another program rewrote in another CRS (ogr2ogr
 * -overwrite -t_srs) would be read as degrees all the same: a review found
 * a layer in Indian 1975 measured as WGS84, its figures 18% off. */
static enum cmr_status check_srs(struct cmr_ctx *ctx, struct cmr_store *s)
{
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(
        ctx, s->ds,
        "SELECT table_name, srs_id FROM gpkg_geometry_columns WHERE "
        "table_name IN ('hazard', 'release', 'admin_area', "
        "'country_outline') AND srs_id <> 4326 ORDER BY table_name",
        &rows);
    if (st)
        return st;
    if (cmr__rows_next(rows))
        st = cmr__error(
            ctx, CMR_EFORMAT,
            "%s: layer '%s' declares the CRS with srs_id %s, not EPSG:4326 "
            "(WGS84 longitude and latitude, as cmr writes it): another "
            "program rewrote it; import its records again with cmr import "
            "(which reprojects), into this store or a new one",
            s->path, cmr__rows_text(rows, 0) ? cmr__rows_text(rows, 0) : "?",
            cmr__rows_text(rows, 1) ? cmr__rows_text(rows, 1) : "?");
    cmr__rows_close(rows);
    return st;
}

/* The columns the ledger reads, in the tables of records: a table another
 * program rewrote (ogr2ogr -overwrite, QGIS "save as") without one of them,
 * or with its geometry renamed, failed with SQLite's message about a query
 * (a review). */
static enum cmr_status check_columns(struct cmr_ctx *ctx, struct cmr_store *s)
{
    static const char *const tables[] = {"hazard", "release"};
    static const char *const need[][12] = {
        {"id", "country", "class", "contamination", "recorded", "closed",
         "reported_area_m2", "repair", "synthetic", "marked", "geom", NULL},
        {"id", "country", "method", "completed", "submunitions",
         "reported_area_m2", "repair", "synthetic", "hazard_id", "geom", NULL}};
    enum cmr_status st = CMR_OK;
    for (size_t t = 0; t < 2 && !st; t++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s')",
                 tables[t]);
        struct cmr__rows *rows = NULL;
        if ((st = cmr__ds_query(ctx, s->ds, sql, &rows)))
            return st;
        unsigned have = 0; /* a bit per needed column */
        while (cmr__rows_next(rows)) {
            const char *name = cmr__rows_text(rows, 0);
            for (size_t k = 0; name && need[t][k]; k++)
                if (strcmp(name, need[t][k]) == 0)
                    have |= 1u << k;
        }
        cmr__rows_close(rows);
        for (size_t k = 0; need[t][k]; k++)
            if (!(have & 1u << k)) {
                st = cmr__error(
                    ctx, CMR_EFORMAT,
                    have ? "%s: table '%s' has no column '%s': another "
                           "program rewrote it; import its records again "
                           "with cmr import, into a new store"
                         : "%s: no table '%s' (with its column '%s'): "
                           "another program removed it",
                    s->path, tables[t], need[t][k]);
                break;
            }
    }
    return st;
}

static struct cmr_store *store_new(struct cmr_ctx *ctx, const char *path,
                                   enum cmr_store_mode mode)
{
    struct cmr_store *s = cmr__calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ctx = ctx;
    s->mode = mode;
    s->path = cmr__strdup(path);
    if (!s->path) {
        cmr__free(s);
        return NULL;
    }
    return s;
}

/* A store is a GeoPackage file. A PostgreSQL connection string given as
 * one was taken for a file's name (and a password in it written into the
 * name of a file made beside the user): PostGIS is read as a source. The
 * message does not quote the string, which may hold a password. */
bool cmr_store_is_connection(const char *path)
{
    return path && (strncasecmp(path, "PG:", 3) == 0 ||
                    strncasecmp(path, "postgresql://", 13) == 0 ||
                    strncasecmp(path, "postgres://", 11) == 0);
}

static enum cmr_status file_path(struct cmr_ctx *ctx, const char *path)
{
    if (cmr_store_is_connection(path))
        return cmr__error(ctx, CMR_EINVAL,
                          "the store must be a GeoPackage file, not a "
                          "PostgreSQL connection: a PostGIS database is read "
                          "as a source (cmr import DB --hazards 'PG:...')");
    return CMR_OK;
}

enum cmr_status cmr__store_create_version(struct cmr_ctx *ctx, const char *path,
                                          int version)
{
    struct cmr__ds *ds = NULL;
    enum cmr_status st = file_path(ctx, path);
    if (st || (st = cmr__ds_create_gpkg(ctx, path, &ds)))
        return st;
    if (!(st = cmr__ds_begin(ctx, ds))) {
        st = migrate(ctx, ds, 0, version);
        if (!st)
            st = cmr__ds_commit(ctx, ds);
        else
            cmr__ds_rollback(ctx, ds);
    }
    cmr__ds_close(ds);
    if (st)
        unlink(path); /* a store that could not be made is not left behind */
    return st;
}

enum cmr_status cmr_store_create(struct cmr_ctx *ctx, const char *path,
                                 struct cmr_store **out)
{
    *out = NULL;
    enum cmr_status st =
        cmr__store_create_version(ctx, path, (int)N(migrations));
    if (st)
        return st;
    return cmr_store_open(ctx, path, CMR_STORE_WRITE, out);
}

enum cmr_status cmr_store_open(struct cmr_ctx *ctx, const char *path,
                               enum cmr_store_mode mode, struct cmr_store **out)
{
    *out = NULL;
    if (file_path(ctx, path))
        return CMR_EINVAL;
    struct cmr_store *s = store_new(ctx, path, mode);
    if (!s)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    int version = 0;
    enum cmr_status st =
        cmr__ds_open(ctx, path, mode == CMR_STORE_WRITE, &s->ds);
    if (!st)
        st = read_version(ctx, s->ds, path, &version);
    if (!st && version != CMR_STORE_SCHEMA_VERSION)
        st = cmr__error(ctx, CMR_EVERSION,
                        version < CMR_STORE_SCHEMA_VERSION
                            ? "%s: store has schema version %d, this cmr "
                              "uses %d; run 'cmr upgrade %s'"
                            : "%s: store has schema version %d, newer than "
                              "this cmr (%d); use a newer cmr%s",
                        path, version, CMR_STORE_SCHEMA_VERSION,
                        version < CMR_STORE_SCHEMA_VERSION ? path : "");
    if (!st)
        st = load_countries(ctx, s);
    if (!st)
        st = check_srs(ctx, s);
    if (!st)
        st = check_columns(ctx, s);
    if (st) {
        cmr_store_close(s);
        return st;
    }
    *out = s;
    return CMR_OK;
}

void cmr_store_close(struct cmr_store *store)
{
    if (!store)
        return;
    cmr__ds_close(store->ds);
    for (size_t i = 0; i < store->ncountries; i++)
        cmr__free(store->countries[i].name);
    cmr__free(store->countries);
    cmr__free(store->path);
    cmr__free(store);
}

enum cmr_status cmr_store_schema_version(struct cmr_ctx *ctx, const char *path,
                                         int *version)
{
    *version = 0;
    struct cmr__ds *ds = NULL;
    enum cmr_status st = file_path(ctx, path);
    if (!st)
        st = cmr__ds_open(ctx, path, false, &ds);
    if (!st)
        st = read_version(ctx, ds, path, version);
    cmr__ds_close(ds);
    return st;
}

enum cmr_status cmr_store_upgrade(struct cmr_ctx *ctx, const char *path,
                                  int *from, int *to)
{
    *from = *to = 0;
    int v = 0;
    enum cmr_status st = cmr_store_schema_version(ctx, path, &v);
    if (st)
        return st;
    *from = *to = v;
    if (v > CMR_STORE_SCHEMA_VERSION)
        return cmr__error(ctx, CMR_EVERSION,
                          "%s: store has schema version %d, newer than this "
                          "cmr (%d)",
                          path, v, CMR_STORE_SCHEMA_VERSION);
    if (v == CMR_STORE_SCHEMA_VERSION)
        return CMR_OK;
    struct cmr__ds *ds = NULL;
    if ((st = cmr__ds_open(ctx, path, true, &ds)))
        return st;
    if (!(st = cmr__ds_begin(ctx, ds))) {
        st = migrate(ctx, ds, v, CMR_STORE_SCHEMA_VERSION);
        if (!st)
            st = cmr__ds_commit(ctx, ds);
        else
            cmr__ds_rollback(ctx, ds);
    }
    cmr__ds_close(ds);
    if (!st)
        *to = CMR_STORE_SCHEMA_VERSION;
    return st;
}

/* ---- queries ---- */

size_t cmr_store_country_count(const struct cmr_store *store)
{
    return store->ncountries;
}

void cmr_store_country(const struct cmr_store *store, size_t i,
                       const char **iso3, const char **name)
{
    *iso3 = store->countries[i].iso3;
    *name = store->countries[i].name;
}

const struct cmr_store_country *
cmr__store_find_country(const struct cmr_store *store, const char *iso3)
{
    for (size_t i = 0; i < store->ncountries; i++)
        if (strcmp(store->countries[i].iso3, iso3) == 0)
            return &store->countries[i];
    return NULL;
}

static size_t country_index(const struct cmr_store *s, const char *iso3)
{
    for (size_t i = 0; i < s->ncountries; i++)
        if (iso3 && strcmp(s->countries[i].iso3, iso3) == 0)
            return i;
    return SIZE_MAX;
}

enum cmr_status cmr_store_record_counts(struct cmr_ctx *ctx,
                                        struct cmr_store *store,
                                        struct cmr_record_counts **out,
                                        size_t *count)
{
    *out = NULL;
    *count = 0;
    struct cmr_record_counts *c = cmr__calloc(store->ncountries, sizeof *c);
    if (!c)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t i = 0; i < store->ncountries; i++)
        memcpy(c[i].iso3, store->countries[i].iso3, 4);
    static const char *const tables[] = {"hazard", "release"};
    enum cmr_status st = CMR_OK;
    for (int t = 0; t < 2 && !st; t++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT country, COUNT(*), TOTAL(reported_area_m2), "
                 "TOTAL(reported_area_m2 IS NULL) FROM \"%s\" GROUP BY "
                 "country ORDER BY country",
                 tables[t]);
        struct cmr__rows *rows = NULL;
        if ((st = cmr__ds_query(ctx, store->ds, sql, &rows)))
            break;
        while (cmr__rows_next(rows)) {
            size_t i = country_index(store, cmr__rows_text(rows, 0));
            if (i == SIZE_MAX)
                continue;
            if (t == 0) {
                c[i].hazards = cmr__rows_int(rows, 1);
                c[i].hazard_reported_m2 = cmr__rows_real(rows, 2);
                c[i].hazards_without_reported =
                    (int64_t)cmr__rows_real(rows, 3);
            } else {
                c[i].releases = cmr__rows_int(rows, 1);
                c[i].release_reported_m2 = cmr__rows_real(rows, 2);
                c[i].releases_without_reported =
                    (int64_t)cmr__rows_real(rows, 3);
            }
        }
        cmr__rows_close(rows);
    }
    if (st) {
        cmr__free(c);
        return st;
    }
    *out = c;
    *count = store->ncountries;
    return CMR_OK;
}
