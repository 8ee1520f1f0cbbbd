/* SPDX-License-Identifier: MIT */
/* Internal API of the GDAL/OGR bridge: reading vector sources feature by
 * feature (fields as text, geometry as WKB in EPSG:4326 with longitude
 * first), and the dataset operations the store is built on. */
#ifndef CMR_SOURCE_H
#define CMR_SOURCE_H

#include "internal.h"

/* ---- reading a source ---- */

struct cmr__src;

/* Opens layer `layer` (NULL: the first) of a vector source read-only.
 * CMR_EIO: missing, a directory, unreadable, not a vector source GDAL knows;
 * CMR_EFORMAT: no such layer (the message lists the layers), truncated. */
enum cmr_status cmr__src_open(struct cmr_ctx *ctx, const char *path,
                              const char *layer,
                              struct cmr__src **out) CMR_WARN_UNUSED;
void cmr__src_close(struct cmr__src *src);

const char *cmr__src_layer_name(const struct cmr__src *src);
int cmr__src_field_count(const struct cmr__src *src);
const char *cmr__src_field_name(const struct cmr__src *src, int i);
/* -1 when the source's feature count is unknown without a scan. */
int64_t cmr__src_feature_count(const struct cmr__src *src);

/* Prepares the transformation to EPSG:4326 (traditional GIS order). The
 * source's own CRS wins; assume_crs (may be NULL) is used when it has none;
 * wkt_field >= 0 names the text column holding WKT for sources without a
 * geometry column. CMR_ECRS: no CRS and none assumed, or a CRS PROJ cannot
 * use; CMR_EFORMAT: no geometry column and no WKT column. */
enum cmr_status cmr__src_prepare(struct cmr_ctx *ctx, struct cmr__src *src,
                                 const char *assume_crs,
                                 int wkt_field) CMR_WARN_UNUSED;
/* path as it may be shown and recorded: a connection string's passwords
 * (libpq's password=... and any keyword ending in "password", a URI's
 * user:PASSWORD@ and ?password=...) replaced by ***. Freed with cmr__free;
 * NULL when out of memory. */
char *cmr__src_shown(const char *path);
/* Whether msg (GDAL's or libpq's) quotes any piece of path's passwords. */
bool cmr__src_quotes_secret(const char *path, const char *msg);
/* CMR_EINVAL, naming what GDAL says, when crs is not a CRS GDAL's
 * SetFromUserInput understands or cannot be transformed to EPSG:4326 (a
 * typo in --assume-crs is a usage error before any source is read). */
enum cmr_status cmr__crs_check_user(struct cmr_ctx *ctx, const char *what,
                                    const char *crs) CMR_WARN_UNUSED;
/* Whether the current feature is an empty row: every field blank (spaces
 * aside) and no geometry. */
bool cmr__src_row_empty(const struct cmr__src *src);
/* True when the layer has a geometry column of its own. */
bool cmr__src_has_geometry_column(const struct cmr__src *src);

/* Advances to the next feature; *more is false at the end. */
enum cmr_status cmr__src_next(struct cmr_ctx *ctx, struct cmr__src *src,
                              bool *more) CMR_WARN_UNUSED;
/* Field i of the current feature as text (borrowed until the next call to
 * cmr__src_next); NULL when unset or null. Dates come as YYYY/MM/DD. */
const char *cmr__src_field(const struct cmr__src *src, int i);
/* The same, but a whole number held in a real field (a shapefile's id
 * column of type Real, which GDAL writes "1001.000000000000000") as a whole
 * number ("1001"), written in buf: one id, whatever the file type. */
const char *cmr__src_field_text(const struct cmr__src *src, int i,
                                char buf[32]);

/* Why a geometry was refused (CMR_GEOM_OK when it was not). */
enum cmr__geom_problem {
    CMR_GEOM_OK = 0,
    CMR_GEOM_MISSING,
    CMR_GEOM_EMPTY,
    CMR_GEOM_NOT_POLYGON,
    CMR_GEOM_SHORT_RING,
    CMR_GEOM_NONFINITE,
    CMR_GEOM_OUT_OF_RANGE,
    CMR_GEOM_BAD_WKT,
    CMR_GEOM_TRANSFORM,
    CMR_GEOM_OUT_OF_RANGE_PROJECTED,
    CMR_GEOM_UNREADABLE,
    CMR_GEOM_SURFACE, /* POLYHEDRALSURFACE or TIN */
    CMR_GEOM_EWKT,    /* PostGIS's SRID=n;WKT */
    CMR_GEOM_MIXED    /* a collection with point or line parts */
};
const char *cmr__geom_problem_str(enum cmr__geom_problem p);

/* The current feature's geometry as 2D ISO WKB in EPSG:4326, longitude
 * first; *wkb freed with cmr__free. A geometry that cannot be used sets
 * *problem and returns CMR_OK with *wkb NULL; other statuses are failures of
 * the whole call (memory). */
enum cmr_status
cmr__src_geometry(struct cmr_ctx *ctx, struct cmr__src *src,
                  unsigned char **wkb, size_t *len,
                  enum cmr__geom_problem *problem) CMR_WARN_UNUSED;

/* ---- datasets the store is built on ---- */

struct cmr__ds;

enum cmr__ftype {
    CMR_FT_TEXT,
    CMR_FT_REAL,
    CMR_FT_INT,
    CMR_FT_DATE,
    CMR_FT_DATETIME
};
struct cmr__fdef {
    const char *name;
    enum cmr__ftype type;
};

/* Creates a new GeoPackage (the file must not exist). */
enum cmr_status cmr__ds_create_gpkg(struct cmr_ctx *ctx, const char *path,
                                    struct cmr__ds **out) CMR_WARN_UNUSED;
/* Opens a GeoPackage read-only or for update. CMR_EIO when missing or not
 * openable, CMR_EFORMAT when GDAL does not read it as a GeoPackage. */
/* Rolls back what a program stopped while writing the store at path left
 * in its -journal file (a "hot journal"), as SQLite does on any
 * connection that can write: a command that is about to write the store
 * calls it first, so that its read-only reading of the store is not
 * refused. Nothing when there is no such file, or when a live writer
 * holds it (SQLite tells them apart by its locks). */
enum cmr_status cmr__ds_recover(struct cmr_ctx *ctx, const char *path);
enum cmr_status cmr__ds_open(struct cmr_ctx *ctx, const char *path, bool update,
                             struct cmr__ds **out) CMR_WARN_UNUSED;
void cmr__ds_close(struct cmr__ds *ds);
/* Whether threads may read stores at once, each on its own connection:
 * while SQLite counts the memory it uses, every SQLite allocation in the
 * process takes one lock, and two threads reading at once each read two
 * to four times slower (sqlite3_config, SQLITE_CONFIG_MEMSTATUS; turned
 * off by cmr_global_init). */
bool cmr__ds_parallel_reads(void);
/* Whether two read-only connections read the same file: true unless one
 * reads without locks (immutable, see open_read_only) and the other does
 * not, or they found different files. */
bool cmr__ds_same_file(const struct cmr__ds *a, const struct cmr__ds *b);

enum cmr_status cmr__ds_begin(struct cmr_ctx *ctx,
                              struct cmr__ds *ds) CMR_WARN_UNUSED;
enum cmr_status cmr__ds_commit(struct cmr_ctx *ctx,
                               struct cmr__ds *ds) CMR_WARN_UNUSED;
void cmr__ds_rollback(struct cmr_ctx *ctx, struct cmr__ds *ds);

bool cmr__ds_has_layer(struct cmr__ds *ds, const char *name);
/* Creates a table: a spatial layer (MultiPolygon, EPSG:4326) when spatial,
 * else an attribute table; both registered in gpkg_contents. */
enum cmr_status cmr__ds_create_table(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                     const char *name, bool spatial,
                                     const struct cmr__fdef *fields,
                                     size_t nfields) CMR_WARN_UNUSED;
/* Inserts one row: values[i] is the text of fields[i] (NULL for null), wkb
 * the geometry (NULL for none). *fid receives the new row id. */
enum cmr_status cmr__ds_insert(struct cmr_ctx *ctx, struct cmr__ds *ds,
                               const char *table, const char *const *names,
                               const char *const *values, size_t n,
                               const unsigned char *wkb, size_t wkb_len,
                               int64_t *fid) CMR_WARN_UNUSED;
/* Runs SQL (SQLite dialect of the GeoPackage) that returns no rows. */
enum cmr_status cmr__ds_exec(struct cmr_ctx *ctx, struct cmr__ds *ds,
                             const char *sql) CMR_WARN_UNUSED;

/* Query results, row by row. */
struct cmr__rows;
enum cmr_status cmr__ds_query(struct cmr_ctx *ctx, struct cmr__ds *ds,
                              const char *sql,
                              struct cmr__rows **out) CMR_WARN_UNUSED;
/* The same, read directly with SQLite where the store is a GeoPackage file
 * and no transaction is open on it (else as cmr__ds_query): much faster
 * for many rows. Plain SQLite SQL only (none of OGR's functions), and a
 * column named geom, if any, last. */
enum cmr_status cmr__ds_query_direct(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                     const char *sql,
                                     struct cmr__rows **out) CMR_WARN_UNUSED;
/* Tests: true makes cmr__ds_query_direct read through OGR. */
extern bool cmr__ds_direct_off;
bool cmr__rows_next(struct cmr__rows *rows);
/* Whether the rows ended on an error rather than at their end. */
bool cmr__rows_failed(const struct cmr__rows *rows);
/* Why they failed (SQLite's or GDAL's message), for an error. */
const char *cmr__rows_why(const struct cmr__rows *rows);
bool cmr__rows_is_null(const struct cmr__rows *rows, int col);
const char *cmr__rows_text(const struct cmr__rows *rows, int col);
/* What a value is: through OGR, the column's declared type; read directly,
 * the value's own (SQLite keeps what was written, whatever the column). */
enum cmr__kind {
    CMR__KIND_NULL,
    CMR__KIND_INT,
    CMR__KIND_REAL,
    CMR__KIND_TEXT
};
enum cmr__kind cmr__rows_kind(const struct cmr__rows *rows, int col);
double cmr__rows_real(const struct cmr__rows *rows, int col);
int64_t cmr__rows_int(const struct cmr__rows *rows, int col);
/* Whether the row's geometry is NULL (read directly, a blob that is no
 * GeoPackage geometry is not; through OGR, it is). */
bool cmr__rows_geom_is_null(const struct cmr__rows *rows);
/* The row's geometry as WKB (borrowed until the next row), NULL if none;
 * *oom tells a NULL for want of memory from a row without geometry. */
const unsigned char *cmr__rows_wkb(struct cmr__rows *rows, size_t *len,
                                   bool *oom);
/* The row geometry's envelope (minx, miny, maxx, maxy); false if none, or
 * when read directly, if the GeoPackage blob has no envelope in its header
 * (the caller then measures the WKB). */
bool cmr__rows_envelope(struct cmr__rows *rows, double box[4]);
void cmr__rows_close(struct cmr__rows *rows);

/* Quotes s as an SQL string literal ('...' with quotes doubled); caller
 * frees with cmr__free. */
char *cmr__sql_quote(const char *s) CMR_WARN_UNUSED;

#endif
