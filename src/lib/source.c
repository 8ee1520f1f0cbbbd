/* SPDX-License-Identifier: MIT */
/* The GDAL/OGR bridge: the only file that includes GDAL's headers. It reads
 * vector sources (fields as text, geometry reprojected to EPSG:4326 with the
 * traditional GIS axis order set explicitly) and offers the dataset calls the
 * store is built on. GDAL's messages never reach stderr: a handler pushed
 * around every call copies failures into the context and sends warnings to
 * its log. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <sqlite3.h>

#include "source.h"

/* ---- loading GDAL ---- */

/* GDAL is loaded when first needed, not at program start. It brings about
 * 110 shared libraries whose symbol binding costs some 30 ms in every run,
 * while only reading sources (import, reference data) and writing the store
 * need it: the ledger, the checks and the outputs read the store with SQLite
 * alone. Its functions are called through this table, typed by GDAL's own
 * declarations. */
#define CMR_GDAL_FUNCS(X)                                                      \
    X(CPLErrorReset)                                                           \
    X(CPLGetBasename)                                                          \
    X(CPLGetErrorHandlerUserData)                                              \
    X(CPLGetExtension)                                                         \
    X(CPLGetLastErrorMsg)                                                      \
    X(CPLGetLastErrorType)                                                     \
    X(CPLPopErrorHandler)                                                      \
    X(CPLPushErrorHandler)                                                     \
    X(CPLPushErrorHandlerEx)                                                   \
    X(CPLQuietErrorHandler)                                                    \
    X(CSLDestroy)                                                              \
    X(CSLSetNameValue)                                                         \
    X(GDALAllRegister)                                                         \
    X(GDALClose)                                                               \
    X(GDALCreate)                                                              \
    X(GDALDatasetCommitTransaction)                                            \
    X(GDALDatasetCreateLayer)                                                  \
    X(GDALDatasetExecuteSQL)                                                   \
    X(GDALDatasetGetLayer)                                                     \
    X(GDALDatasetGetLayerByName)                                               \
    X(GDALDatasetGetLayerCount)                                                \
    X(GDALDatasetReleaseResultSet)                                             \
    X(GDALDatasetRollbackTransaction)                                          \
    X(GDALDatasetStartTransaction)                                             \
    X(GDALDestroy)                                                             \
    X(GDALGetDatasetDriver)                                                    \
    X(GDALGetDriverByName)                                                     \
    X(GDALGetDriverShortName)                                                  \
    X(GDALGetFileList)                                                         \
    X(CPLSetThreadLocalConfigOption)                                           \
    X(GDALOpenEx)                                                              \
    X(OCTDestroyCoordinateTransformation)                                      \
    X(OCTNewCoordinateTransformation)                                          \
    X(OGR_FD_GetFieldCount)                                                    \
    X(OGR_FD_GetFieldDefn)                                                     \
    X(OGR_FD_GetFieldIndex)                                                    \
    X(OGR_FD_GetGeomFieldCount)                                                \
    X(OGR_F_Create)                                                            \
    X(OGR_F_Destroy)                                                           \
    X(OGR_F_GetFID)                                                            \
    X(OGR_F_GetFieldAsDateTimeEx)                                              \
    X(OGR_F_GetFieldAsDouble)                                                  \
    X(OGR_F_GetFieldAsInteger64)                                               \
    X(OGR_F_GetFieldAsString)                                                  \
    X(OGR_F_GetFieldCount)                                                     \
    X(OGR_F_GetFieldDefnRef)                                                   \
    X(OGR_F_GetGeometryRef)                                                    \
    X(OGR_F_IsFieldSetAndNotNull)                                              \
    X(OGR_F_SetFieldDateTimeEx)                                                \
    X(OGR_F_SetFieldNull)                                                      \
    X(OGR_F_SetFieldString)                                                    \
    X(OGR_F_SetGeometryDirectly)                                               \
    X(OGR_Fld_Create)                                                          \
    X(OGR_Fld_Destroy)                                                         \
    X(OGR_Fld_GetNameRef)                                                      \
    X(OGR_Fld_GetType)                                                         \
    X(OGR_GT_Flatten)                                                          \
    X(OGR_GT_IsNonLinear)                                                      \
    X(OGR_G_AddGeometryDirectly)                                               \
    X(OGR_G_Clone)                                                             \
    X(OGR_G_CreateGeometry)                                                    \
    X(OGR_G_CreateFromWkbEx)                                                   \
    X(OGR_G_CreateFromWkt)                                                     \
    X(OGR_G_DestroyGeometry)                                                   \
    X(OGR_G_ExportToIsoWkb)                                                    \
    X(OGR_G_FlattenTo2D)                                                       \
    X(OGR_G_ForceToMultiPolygon)                                               \
    X(OGR_G_ForceToPolygon)                                                    \
    X(OGR_G_GetEnvelope)                                                       \
    X(OGR_G_GetGeometryCount)                                                  \
    X(OGR_G_GetGeometryRef)                                                    \
    X(OGR_G_GetGeometryType)                                                   \
    X(OGR_G_GetLinearGeometry)                                                 \
    X(OGR_G_GetPointCount)                                                     \
    X(OGR_G_GetX)                                                              \
    X(OGR_G_GetY)                                                              \
    X(OGR_G_IsEmpty)                                                           \
    X(OGR_G_Transform)                                                         \
    X(OGR_G_WkbSizeEx)                                                         \
    X(OGR_L_CreateFeature)                                                     \
    X(OGR_L_CreateField)                                                       \
    X(OGR_L_GetFeatureCount)                                                   \
    X(OGR_L_GetLayerDefn)                                                      \
    X(OGR_L_GetName)                                                           \
    X(OGR_L_GetNextFeature)                                                    \
    X(OGR_L_GetSpatialRef)                                                     \
    X(OGR_L_ResetReading)                                                      \
    X(OGR_L_SetIgnoredFields)                                                  \
    X(OSRClone)                                                                \
    X(OSRDestroySpatialReference)                                              \
    X(OSRGetName)                                                              \
    X(OSRImportFromEPSG)                                                       \
    X(OSRIsGeographic)                                                         \
    X(OSRIsProjected)                                                          \
    X(OSRIsSame)                                                               \
    X(OSRNewSpatialReference)                                                  \
    X(OSRSetAxisMappingStrategy)                                               \
    X(OSRSetFromUserInput)                                                     \
    X(VSIFCloseL)                                                              \
    X(VSIFOpenL)                                                               \
    X(VSIFReadL)

static struct {
#define X(f) __typeof__(f) *f;
    CMR_GDAL_FUNCS(X)
#undef X
} gdal;

static once_flag gdal_once = ONCE_FLAG_INIT;
static struct cmr__lazy_lib gdal_lib = {CMR_GDAL_PATH, CMR_GDAL_SONAME, "GDAL",
                                        NULL, ""};

static void gdal_do_load(void)
{
    if (!cmr__lazy_open(&gdal_lib))
        return;
#define X(f)                                                                   \
    if (!cmr__lazy_sym(&gdal_lib, #f, &gdal.f, sizeof gdal.f))                 \
        return;
    CMR_GDAL_FUNCS(X)
#undef X
    gdal.GDALAllRegister();
}

/* Loads GDAL (once per process); CMR_EINTERNAL naming the library when it
 * cannot be. */
static enum cmr_status need_gdal(struct cmr_ctx *ctx)
{
    call_once(&gdal_once, gdal_do_load);
    if (gdal_lib.handle)
        return CMR_OK;
    return cmr__error(ctx, CMR_EINTERNAL,
                      "GDAL is needed here and cannot be loaded: %s",
                      gdal_lib.failure);
}

void cmr__gdal_cleanup(void)
{
    if (gdal_lib.handle)
        gdal.GDALDestroy();
}

/* ---- error capture ---- */

/* PROJ's failure to resolve a source's CRS while GDAL opens it. GDAL's
 * GeoJSON driver then reports no error and reads the layer as WGS84. */
static _Thread_local char proj_failure[256];

static void CPL_STDCALL on_gdal_error(CPLErr cls, CPLErrorNum no,
                                      const char *msg)
{
    (void)no;
    struct cmr_ctx *ctx = gdal.CPLGetErrorHandlerUserData();
    if (ctx && cls < CE_Failure)
        cmr__log(ctx, CMR_LOG_WARN, "GDAL: %s", msg);
    if (cls >= CE_Failure && msg && strncmp(msg, "PROJ", 4) == 0 &&
        !proj_failure[0])
        snprintf(proj_failure, sizeof proj_failure, "%s", msg);
}

static void enter(struct cmr_ctx *ctx)
{
    gdal.CPLPushErrorHandlerEx(on_gdal_error, ctx);
    gdal.CPLErrorReset();
    proj_failure[0] = '\0';
}

static void leave(void)
{
    gdal.CPLPopErrorHandler();
}

/* The last GDAL failure message on this thread, or a fallback. */
static const char *gdal_msg(const char *fallback)
{
    const char *m = gdal.CPLGetLastErrorMsg();
    return m && *m ? m : fallback;
}

/* ---- sources ---- */

struct cmr__src {
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRFeatureH feat;
    OGRCoordinateTransformationH ct; /* NULL when already EPSG:4326 */
    OGRSpatialReferenceH src_srs, dst_srs;
    int wkt_field;
    int csv_wkt; /* a CSV's WKT column, parsed here rather than by OGR */
    bool has_geom_column;
    /* A shapefile's count of shapes (from its .shx), checked against the
     * features read: GDAL ends a cut .shp or .dbf early without a word. */
    int64_t declared, delivered;
    /* GeoPackage rows are independent: a geometry blob GDAL cannot read
     * spoils its own feature only, which it still returns (a reject). */
    bool per_row, unreadable;
    bool sheet; /* XLSX or ODS: their HEADERS option is set on this thread */
    /* A CSV: its rows are checked against its lines (see cmr__src_next) */
    bool csv;
    /* An XLSX workbook in Excel's 1904 date system, whose date cells GDAL
     * reads as if they counted from 1900: 1462 days early */
    bool date1904;
    int64_t breaks; /* line breaks inside the fields read */
    char *path;
    char *shown;       /* path as messages show it (cmr__src_shown) */
    char *crs_failure; /* PROJ could not resolve the declared CRS */
};

/* From the header of a shapefile's .dbf (dBase: a 32-bit little-endian
 * record count at byte 4, the header and record lengths at bytes 8 and
 * 10): the number of records, -1 if it cannot be read, and in *deleted
 * those marked deleted ('*' in their first byte), which GDAL counts but
 * does not return. */
static int64_t dbf_records(GDALDatasetH ds, const char *layer, int64_t *deleted)
{
    char **files = gdal.GDALGetFileList(ds);
    int64_t n = -1;
    *deleted = 0;
    for (char **f = files; f && *f && n < 0; f++) {
        const char *base = gdal.CPLGetBasename(*f);
        const char *ext = gdal.CPLGetExtension(*f);
        if (!EQUAL(ext, "dbf") || !EQUAL(base, layer))
            continue;
        FILE *fp = fopen(*f, "rb");
        unsigned char h[12];
        if (fp && fread(h, 1, sizeof h, fp) == sizeof h) {
            n = (int64_t)h[4] | (int64_t)h[5] << 8 | (int64_t)h[6] << 16 |
                (int64_t)h[7] << 24;
            long hlen = h[8] | h[9] << 8;
            size_t rlen = (size_t)(h[10] | h[11] << 8);
            /* one pass over the records, in order (a seek per record would
             * refill the stream's buffer each time) */
            unsigned char *rec = rlen ? cmr__malloc(rlen) : NULL;
            if (rec && fseek(fp, hlen, SEEK_SET) == 0)
                for (int64_t i = 0; i < n; i++) {
                    if (fread(rec, 1, rlen, fp) != rlen)
                        break;
                    *deleted += rec[0] == '*';
                }
            cmr__free(rec);
        }
        if (fp)
            fclose(fp);
    }
    gdal.CSLDestroy(files);
    return n;
}

/* The number of lines of a text file with something other than white
 * space on them (-1 if it cannot be read). */
static int64_t nonblank_lines(const char *path, int64_t *quotes)
{
    *quotes = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    int64_t n = 0;
    bool text = false;
    int c;
    while ((c = getc(fp)) != EOF) {
        *quotes += c == '"';
        if (c == '\n') {
            n += text;
            text = false;
        } else if (!isspace(c)) {
            text = true;
        }
    }
    n += text;
    fclose(fp);
    return n;
}

/* Offset of the first NUL byte in a file, or -1: GDAL's CSV reader ends
 * a layer there without a word. */
static int64_t first_nul(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    unsigned char buf[65536];
    int64_t off = 0, at = -1;
    size_t n;
    while (at < 0 && (n = fread(buf, 1, sizeof buf, fp)) > 0) {
        const unsigned char *z = memchr(buf, 0, n);
        if (z)
            at = off + (z - buf);
        off += (int64_t)n;
    }
    fclose(fp);
    return at;
}

/* ---- passwords in connection strings ---- */

struct span {
    size_t a, b; /* [a, b) of the string */
};
#define MAX_SECRETS 16

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static bool ends_with_password(const char *k, size_t n)
{
    return n >= 8 && strncasecmp(k + n - 8, "password", 8) == 0;
}

static int hexval(char c)
{
    return isdigit((unsigned char)c)    ? c - '0'
           : isxdigit((unsigned char)c) ? tolower((unsigned char)c) - 'a' + 10
                                        : -1;
}

/* The passwords of a connection string, as libpq reads them: in a URI
 * (scheme://user:PASSWORD@host/db?password=...&sslpassword=...; a query
 * keyword percent-decoded), or in keyword form (password=VALUE or
 * password='VALUE' with backslash escapes, and any keyword ending in
 * "password"). A value that libpq would end too early (password=se cret)
 * takes the stray words after it up to the next keyword. Only strings that
 * can be connection strings ("PG:..." or with "://") have any. */
static size_t secrets(const char *s, struct span out[MAX_SECRETS])
{
    size_t n = 0, len = strlen(s);
    const char *uri = strstr(s, "://");
    if (!uri && strncasecmp(s, "PG:", 3) != 0)
        return 0;
    if (uri) {
        size_t a = (size_t)(uri - s) + 3, i = a;
        while (i < len && s[i] != '@' && s[i] != '/')
            i++;
        if (i < len && s[i] == '@') {
            const char *colon = memchr(s + a, ':', i - a);
            if (colon && (size_t)(colon - s) + 1 < i && n < MAX_SECRETS)
                out[n++] = (struct span){(size_t)(colon - s) + 1, i};
        }
        const char *q = strchr(s + a, '?');
        for (size_t k = q ? (size_t)(q - s) + 1 : len; k < len;) {
            size_t e = k;
            while (e < len && s[e] != '&')
                e++;
            const char *eq = memchr(s + k, '=', e - k);
            if (eq) {
                char key[64];
                size_t kn = 0;
                for (size_t j = k; j < (size_t)(eq - s) && kn + 1 < sizeof key;
                     j++) {
                    int h1, h2;
                    if (s[j] == '%' && j + 2 < len &&
                        (h1 = hexval(s[j + 1])) >= 0 &&
                        (h2 = hexval(s[j + 2])) >= 0) {
                        key[kn++] = (char)(h1 * 16 + h2);
                        j += 2;
                    } else {
                        key[kn++] = s[j];
                    }
                }
                if (ends_with_password(key, kn) && n < MAX_SECRETS &&
                    (size_t)(eq - s) + 1 < e)
                    out[n++] = (struct span){(size_t)(eq - s) + 1, e};
            }
            k = e + 1;
        }
        return n;
    }
    for (size_t i = 3; i < len;) {
        if (!isalpha((unsigned char)s[i]) || ident_char(s[i - 1])) {
            i++;
            continue;
        }
        size_t k = i;
        while (i < len && ident_char(s[i]))
            i++;
        size_t kn = i - k, j = i;
        while (j < len && isspace((unsigned char)s[j]))
            j++;
        if (j >= len || s[j] != '=')
            continue;
        j++;
        while (j < len && isspace((unsigned char)s[j]))
            j++;
        size_t v = j;
        if (j < len && s[j] == '\'') {
            for (j++; j < len && s[j] != '\''; j++)
                if (s[j] == '\\' && j + 1 < len)
                    j++;
            if (j < len)
                j++;
        } else {
            for (; j < len && !isspace((unsigned char)s[j]); j++)
                if (s[j] == '\\' && j + 1 < len)
                    j++;
        }
        if (ends_with_password(s + k, kn)) {
            /* stray words up to the next keyword= */
            for (;;) {
                size_t w = j;
                while (w < len && isspace((unsigned char)s[w]))
                    w++;
                size_t we = w;
                while (we < len && !isspace((unsigned char)s[we]) &&
                       s[we] != '=')
                    we++;
                size_t t = we;
                while (t < len && isspace((unsigned char)s[t]))
                    t++;
                if (we == w || (t < len && s[t] == '='))
                    break;
                j = we;
            }
            if (j > v && n < MAX_SECRETS)
                out[n++] = (struct span){v, j};
        }
        i = j > i ? j : i;
    }
    return n;
}

char *cmr__src_shown(const char *path)
{
    struct span sp[MAX_SECRETS];
    size_t n = secrets(path, sp), len = strlen(path);
    char *out = cmr__malloc(len + 3 * MAX_SECRETS + 1);
    if (!out)
        return NULL;
    size_t o = 0, at = 0;
    for (size_t k = 0; k < n; k++) {
        memcpy(out + o, path + at, sp[k].a - at);
        o += sp[k].a - at;
        memcpy(out + o, "***", 3);
        o += 3;
        at = sp[k].b;
    }
    memcpy(out + o, path + at, len - at + 1);
    return out;
}

bool cmr__src_quotes_secret(const char *path, const char *msg)
{
    struct span sp[MAX_SECRETS];
    size_t n = secrets(path, sp);
    for (size_t k = 0; k < n && msg; k++) {
        /* each piece of it, spaces, quotes and escapes aside */
        for (size_t i = sp[k].a; i < sp[k].b;) {
            while (i < sp[k].b && (isspace((unsigned char)path[i]) ||
                                   path[i] == '\'' || path[i] == '\\'))
                i++;
            size_t e = i;
            while (e < sp[k].b && !isspace((unsigned char)path[e]) &&
                   path[e] != '\'' && path[e] != '\\')
                e++;
            if (e - i >= 2) {
                char piece[256];
                size_t pn = e - i < sizeof piece - 1 ? e - i : sizeof piece - 1;
                memcpy(piece, path + i, pn);
                piece[pn] = '\0';
                if (strstr(msg, piece))
                    return true;
            }
            i = e;
        }
    }
    return false;
}

/* Whether the file begins with a UTF-16 byte order mark (what Excel's
 * "Unicode text" and some exports write). */
static bool utf16(const char *path)
{
    unsigned char bom[2] = {0, 0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = fread(bom, 1, 2, f);
    fclose(f);
    return n == 2 && ((bom[0] == 0xff && bom[1] == 0xfe) ||
                      (bom[0] == 0xfe && bom[1] == 0xff));
}

static enum cmr_status check_path(struct cmr_ctx *ctx, const char *path)
{
    struct stat st;
    /* Connection strings (PG:, /vsizip/...) are left to GDAL. */
    if (strchr(path, ':') || strncmp(path, "/vsi", 4) == 0)
        return CMR_OK;
    if (stat(path, &st) != 0)
        return cmr__error(ctx, CMR_EIO, "%s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return cmr__error(ctx, CMR_EIO,
                          "%s: not a file or a directory (a pipe or a "
                          "device cannot be read as a source)",
                          path);
    if (S_ISREG(st.st_mode)) {
        FILE *f = fopen(path, "rb");
        if (!f)
            return cmr__error(ctx, CMR_EIO, "%s: %s", path, strerror(errno));
        fclose(f);
    }
    return CMR_OK;
}

/* Whether the XLSX workbook at path counts its dates from 1904 (the
 * date1904 attribute of workbookPr in xl/workbook.xml: an option of Excel,
 * once the Mac's default). GDAL reads every workbook's date cells as
 * counted from 1900. A workbook that cannot be read here says 1900. */
static bool xlsx_date1904(const char *path)
{
    size_t n = strlen(path) + 40;
    char *name = cmr__malloc(n);
    if (!name)
        return false;
    snprintf(name, n, "/vsizip/{%s}/xl/workbook.xml", path);
    VSILFILE *f = gdal.VSIFOpenL(name, "rb");
    cmr__free(name);
    if (!f)
        return false;
    /* (workbookPr comes before the sheets and their defined names) */
    static const size_t cap = 1 << 16;
    char *xml = cmr__malloc(cap + 1);
    size_t got = xml ? gdal.VSIFReadL(xml, 1, cap, f) : 0;
    gdal.VSIFCloseL(f);
    if (!xml)
        return false;
    xml[got] = '\0';
    bool on = false;
    const char *pr = strstr(xml, "workbookPr");
    const char *end = pr ? strchr(pr, '>') : NULL;
    const char *a = pr ? strstr(pr, "date1904") : NULL;
    if (a && end && a < end) {
        a += strlen("date1904");
        while (*a == ' ' || *a == '=')
            a++;
        if (*a == '"' || *a == '\'')
            a++;
        on = *a == '1' || strncmp(a, "true", 4) == 0;
    }
    cmr__free(xml);
    return on;
}

/* Moves the current feature's date cells 1462 days on, from the 1900 date
 * system GDAL read them in to the 1904 one the workbook counts in. */
static void shift_1904(struct cmr__src *src)
{
    OGRFeatureDefnH defn = gdal.OGR_L_GetLayerDefn(src->layer);
    int n = gdal.OGR_F_GetFieldCount(src->feat);
    for (int i = 0; i < n; i++) {
        OGRFieldType t =
            gdal.OGR_Fld_GetType(gdal.OGR_FD_GetFieldDefn(defn, i));
        int y, m, d, h, mi, tz;
        float sec;
        if ((t != OFTDate && t != OFTDateTime) ||
            !gdal.OGR_F_IsFieldSetAndNotNull(src->feat, i) ||
            !gdal.OGR_F_GetFieldAsDateTimeEx(src->feat, i, &y, &m, &d, &h, &mi,
                                             &sec, &tz))
            continue;
        struct cmr__date c = cmr__date_from_days(
            cmr__date_days((struct cmr__date){y, m, d}) + 1462);
        gdal.OGR_F_SetFieldDateTimeEx(src->feat, i, c.year, c.month, c.day, h,
                                      mi, sec, tz);
    }
}

/* Whether ds is a GeoJSON file with a list-typed column. */
static bool geojson_lists(GDALDatasetH ds)
{
    GDALDriverH drv = gdal.GDALGetDatasetDriver(ds);
    if (!drv || strcmp(gdal.GDALGetDriverShortName(drv), "GeoJSON") != 0 ||
        gdal.GDALDatasetGetLayerCount(ds) != 1)
        return false;
    OGRFeatureDefnH defn =
        gdal.OGR_L_GetLayerDefn(gdal.GDALDatasetGetLayer(ds, 0));
    for (int i = 0; i < gdal.OGR_FD_GetFieldCount(defn); i++) {
        OGRFieldType t =
            gdal.OGR_Fld_GetType(gdal.OGR_FD_GetFieldDefn(defn, i));
        if (t == OFTIntegerList || t == OFTInteger64List || t == OFTRealList ||
            t == OFTStringList)
            return true;
    }
    return false;
}

enum cmr_status cmr__src_open(struct cmr_ctx *ctx, const char *path,
                              const char *layer, struct cmr__src **out)
{
    *out = NULL;
    enum cmr_status st = check_path(ctx, path);
    if (st || (st = need_gdal(ctx)))
        return st;
    struct cmr__src *src = cmr__calloc(1, sizeof *src);
    if (!src || !(src->shown = cmr__src_shown(path))) {
        cmr__free(src);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    src->wkt_field = -1;
    src->csv_wkt = -1;
    src->declared = -1;
    struct stat sb;
    bool is_dir = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);

    /* A spreadsheet's first row is its header, even where every cell is
     * text (GDAL would guess it is data, and name the columns Field1...) */
    size_t plen = strlen(path);
    bool sheet = (plen > 5 && strcasecmp(path + plen - 5, ".xlsx") == 0) ||
                 (plen > 4 && strcasecmp(path + plen - 4, ".ods") == 0);
    enter(ctx);
    if (sheet) { /* (GDAL 3.6 has it as configuration, not open option) */
        gdal.CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", "FORCE");
        gdal.CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", "FORCE");
    }
    /* (GeoJSON's dates as GDAL reads them: its DATE_AS_STRING would quote
     * "2024-02-30" as typed in a reject, where GDAL's date says
     * "2024/02/30", but it also hands over "2019-5-5", which GDAL reads
     * as a date and cmr's parser does not, and warns on every other JSON
     * format) */
    src->ds = gdal.GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                              NULL, NULL);
    if (src->ds && geojson_lists(src->ds)) {
        /* One feature's list (a class of ["CHA", "SHA"]) makes GDAL type
         * the whole column as a list, and every feature's value "(1:CHA)".
         * Read as JSON text instead, a list is one reject of its own, the
         * rest plain values (the option is GeoJSON's alone). */
        static const char *const geojson[] = {"GeoJSON", NULL};
        static const char *const as_string[] = {"ARRAY_AS_STRING=YES", NULL};
        gdal.GDALClose(src->ds);
        src->ds = gdal.GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                  geojson, as_string, NULL);
    }
    /* (the sheet is read when first asked for: the option stays set on
     * this thread until the source is closed) */
    src->sheet = sheet;
    if (src->ds && proj_failure[0] &&
        !(src->crs_failure = cmr__strdup(proj_failure))) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto fail;
    }
    if (!src->ds) {
        if (is_dir)
            st = cmr__error(ctx, CMR_EIO,
                            "%s: is a directory, not a vector source GDAL "
                            "can read",
                            src->shown);
        else if (utf16(path))
            st = cmr__error(ctx, CMR_EIO,
                            "%s: is UTF-16 text (its byte order mark says "
                            "so), which GDAL does not read: save it as UTF-8 "
                            "(\"CSV UTF-8\" in Excel) or convert it with "
                            "iconv -f UTF-16 -t UTF-8",
                            src->shown);
        else
            st = cmr__error(
                ctx, CMR_EIO, "%s: not a vector source GDAL can read (%s)",
                src->shown,
                cmr__src_quotes_secret(path, gdal_msg(""))
                    ? "GDAL's message is left out: it quotes part of the "
                      "password"
                    : gdal_msg("unknown format, or truncated"));
        goto fail;
    }
    int nl = gdal.GDALDatasetGetLayerCount(src->ds);
    if (nl == 0) {
        st = cmr__error(ctx, CMR_EFORMAT, "%s: has no layers", src->shown);
        goto fail;
    }
    if (layer) {
        src->layer = gdal.GDALDatasetGetLayerByName(src->ds, layer);
        if (!src->layer) {
            char names[1024] = "";
            size_t used = 0;
            for (int i = 0; i < nl && used < sizeof names - 64; i++) {
                int w = snprintf(
                    names + used, sizeof names - used, "%s%s", i ? ", " : "",
                    gdal.OGR_L_GetName(gdal.GDALDatasetGetLayer(src->ds, i)));
                if (w > 0)
                    used += (size_t)w;
            }
            st = cmr__error(ctx, CMR_EFORMAT,
                            "%s: no layer named '%s' (layers: %s)", src->shown,
                            layer, names);
            goto fail;
        }
    } else {
        src->layer = gdal.GDALDatasetGetLayer(src->ds, 0);
    }
    OGRFeatureDefnH defn = gdal.OGR_L_GetLayerDefn(src->layer);
    src->has_geom_column = gdal.OGR_FD_GetGeomFieldCount(defn) > 0;
    /* OGR's CSV driver turns a column named WKT into the geometry, and a
     * value it cannot parse fails the read of the whole layer. Read that
     * column as text instead, so one bad value is one rejected feature. */
    GDALDriverH drv = gdal.GDALGetDatasetDriver(src->ds);
    int wkt = gdal.OGR_FD_GetFieldIndex(defn, "WKT");
    if (src->has_geom_column && drv &&
        strcmp(gdal.GDALGetDriverShortName(drv), "CSV") == 0 && wkt >= 0) {
        const char *ignored[] = {"OGR_GEOMETRY", NULL};
        if (gdal.OGR_L_SetIgnoredFields(src->layer, ignored) == OGRERR_NONE) {
            src->has_geom_column = false;
            src->csv_wkt = wkt;
        }
    }
    gdal.OGR_L_ResetReading(src->layer);
    /* Some drivers (XLSX) parse the layer only now: a failure here is a
     * damaged source, not an empty one. */
    if (gdal.CPLGetLastErrorType() >= CE_Failure) {
        st = cmr__error(ctx, CMR_EFORMAT, "%s: reading layer '%s': %s",
                        src->shown, gdal.OGR_L_GetName(src->layer),
                        cmr__src_quotes_secret(path, gdal_msg(""))
                            ? "(GDAL's message quotes part of the password)"
                            : gdal_msg("truncated or corrupt"));
        goto fail;
    }
    const char *dname = drv ? gdal.GDALGetDriverShortName(drv) : "";
    src->per_row = strcmp(dname, "GPKG") == 0;
    src->csv = strcmp(dname, "CSV") == 0;
    src->date1904 = strcmp(dname, "XLSX") == 0 && xlsx_date1904(path);
    if (!(src->path = cmr__strdup(path))) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto fail;
    }
    if (strcmp(dname, "ESRI Shapefile") == 0) {
        src->declared = gdal.OGR_L_GetFeatureCount(src->layer, FALSE);
        int64_t deleted = 0;
        int64_t nrec =
            dbf_records(src->ds, gdal.OGR_L_GetName(src->layer), &deleted);
        if (nrec >= 0 && src->declared >= 0 && nrec != src->declared) {
            st = cmr__error(ctx, CMR_EFORMAT,
                            "%s: layer '%s': its .dbf holds %lld records but "
                            "its .shx indexes %lld shapes: the parts of the "
                            "shapefile disagree (cut short, or from different "
                            "versions)",
                            path, gdal.OGR_L_GetName(src->layer),
                            (long long)nrec, (long long)src->declared);
            goto fail;
        }
        if (src->declared >= 0)
            src->declared -= deleted; /* GDAL skips them */
    }
    if (strcmp(dname, "CSV") == 0 && !is_dir) {
        int64_t z = first_nul(path);
        if (z >= 0) {
            st = cmr__error(ctx, CMR_EFORMAT,
                            "%s: a NUL byte at offset %lld: not a text file "
                            "(the rows after it would be lost)",
                            path, (long long)z);
            goto fail;
        }
    }
    leave();
    *out = src;
    return CMR_OK;
fail:
    leave();
    cmr__src_close(src);
    return st;
}

void cmr__src_close(struct cmr__src *src)
{
    if (!src)
        return;
    if (src->sheet) {
        gdal.CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", NULL);
        gdal.CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", NULL);
    }
    if (src->feat)
        gdal.OGR_F_Destroy(src->feat);
    if (src->ct)
        gdal.OCTDestroyCoordinateTransformation(src->ct);
    if (src->src_srs)
        gdal.OSRDestroySpatialReference(src->src_srs);
    if (src->dst_srs)
        gdal.OSRDestroySpatialReference(src->dst_srs);
    if (src->ds)
        gdal.GDALClose(src->ds);
    cmr__free(src->path);
    cmr__free(src->shown);
    cmr__free(src->crs_failure);
    cmr__free(src);
}

const char *cmr__src_layer_name(const struct cmr__src *src)
{
    return gdal.OGR_L_GetName(src->layer);
}

int cmr__src_field_count(const struct cmr__src *src)
{
    return gdal.OGR_FD_GetFieldCount(gdal.OGR_L_GetLayerDefn(src->layer));
}

const char *cmr__src_field_name(const struct cmr__src *src, int i)
{
    return gdal.OGR_Fld_GetNameRef(
        gdal.OGR_FD_GetFieldDefn(gdal.OGR_L_GetLayerDefn(src->layer), i));
}

int64_t cmr__src_feature_count(const struct cmr__src *src)
{
    return gdal.OGR_L_GetFeatureCount(src->layer, FALSE);
}

bool cmr__src_has_geometry_column(const struct cmr__src *src)
{
    return src->has_geom_column;
}

enum cmr_status cmr__crs_check_user(struct cmr_ctx *ctx, const char *what,
                                    const char *crs)
{
    enum cmr_status st = need_gdal(ctx);
    if (st)
        return st;
    enter(ctx);
    OGRSpatialReferenceH srs = gdal.OSRNewSpatialReference(NULL);
    OGRSpatialReferenceH wgs = gdal.OSRNewSpatialReference(NULL);
    OGRCoordinateTransformationH ct = NULL;
    if (!srs || !wgs)
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    else if (!*crs || gdal.OSRSetFromUserInput(srs, crs) != OGRERR_NONE)
        st = *crs ? cmr__error(ctx, CMR_EINVAL,
                               "%s '%s' is not a CRS GDAL understands (%s)",
                               what, crs, gdal_msg("no reason given"))
                  : cmr__error(ctx, CMR_EINVAL, "%s '%s' is empty", what, crs);
    else if (!gdal.OSRIsGeographic(srs) && !gdal.OSRIsProjected(srs))
        st = cmr__error(ctx, CMR_EINVAL,
                        "%s '%s' is neither geographic nor projected (a "
                        "vertical or geocentric CRS cannot place a polygon "
                        "on the map)",
                        what, crs);
    else if (gdal.OSRImportFromEPSG(wgs, 4326) != OGRERR_NONE)
        st = cmr__error(ctx, CMR_EINTERNAL, "EPSG:4326 is unknown to PROJ: %s",
                        gdal_msg("PROJ's database may be missing"));
    else if (!(ct = gdal.OCTNewCoordinateTransformation(srs, wgs)))
        st = cmr__error(ctx, CMR_EINVAL,
                        "%s '%s' cannot be transformed to EPSG:4326: %s", what,
                        crs, gdal_msg("PROJ refused"));
    if (ct)
        gdal.OCTDestroyCoordinateTransformation(ct);
    if (srs)
        gdal.OSRDestroySpatialReference(srs);
    if (wgs)
        gdal.OSRDestroySpatialReference(wgs);
    leave();
    return st;
}

enum cmr_status cmr__src_prepare(struct cmr_ctx *ctx, struct cmr__src *src,
                                 const char *assume_crs, int wkt_field)
{
    enum cmr_status st = CMR_OK;
    if (wkt_field < 0)
        wkt_field = src->csv_wkt;
    src->wkt_field = src->has_geom_column ? -1 : wkt_field;
    if (!src->has_geom_column && wkt_field < 0)
        return cmr__error(ctx, CMR_EFORMAT,
                          "layer '%s' has no geometry column and no WKT "
                          "column (name one with --map geometry=COLUMN)",
                          gdal.OGR_L_GetName(src->layer));
    enter(ctx);
    OGRSpatialReferenceH own =
        src->has_geom_column ? gdal.OGR_L_GetSpatialRef(src->layer) : NULL;
    /* A GeoPackage's srs_id 0 and -1 (what ogr2ogr and QGIS write for
     * data without a CRS) stand for "undefined": no CRS at all. */
    const char *own_name = own ? gdal.OSRGetName(own) : NULL;
    if (own_name && (strcmp(own_name, "Undefined geographic SRS") == 0 ||
                     strcmp(own_name, "Undefined Cartesian SRS") == 0))
        own = NULL;
    if (src->crs_failure && !assume_crs) {
        /* what GDAL put in its place (WGS84, for GeoJSON) is a guess */
        st = cmr__error(ctx, CMR_ECRS,
                        "layer '%s' declares a coordinate reference "
                        "system PROJ does not know (%s); name the right one "
                        "with --assume-crs",
                        gdal.OGR_L_GetName(src->layer), src->crs_failure);
        goto done;
    }
    if (own && !src->crs_failure) {
        src->src_srs = gdal.OSRClone(own);
    } else if (assume_crs) {
        src->src_srs = gdal.OSRNewSpatialReference(NULL);
        if (gdal.OSRSetFromUserInput(src->src_srs, assume_crs) != OGRERR_NONE) {
            st = cmr__error(ctx, CMR_ECRS, "--assume-crs '%s': %s", assume_crs,
                            gdal_msg("not a CRS GDAL understands"));
            goto done;
        }
    } else {
        st = cmr__error(ctx, CMR_ECRS,
                        "layer '%s' declares no coordinate reference system%s; "
                        "name one with --assume-crs (e.g. EPSG:4326)",
                        gdal.OGR_L_GetName(src->layer),
                        own_name ? " (its CRS is undefined)" : "");
        goto done;
    }
    src->dst_srs = gdal.OSRNewSpatialReference(NULL);
    gdal.OSRImportFromEPSG(src->dst_srs, 4326);
    /* Longitude first on both sides, whatever the CRS's official order. */
    gdal.OSRSetAxisMappingStrategy(src->src_srs, OAMS_TRADITIONAL_GIS_ORDER);
    gdal.OSRSetAxisMappingStrategy(src->dst_srs, OAMS_TRADITIONAL_GIS_ORDER);
    if (!gdal.OSRIsSame(src->src_srs, src->dst_srs)) {
        src->ct =
            gdal.OCTNewCoordinateTransformation(src->src_srs, src->dst_srs);
        if (!src->ct) {
            st = cmr__error(ctx, CMR_ECRS,
                            "cannot transform from the source CRS to "
                            "EPSG:4326: %s",
                            gdal_msg("PROJ refused"));
            goto done;
        }
    }
done:
    leave();
    return st;
}

enum cmr_status cmr__src_next(struct cmr_ctx *ctx, struct cmr__src *src,
                              bool *more)
{
    if (src->feat)
        gdal.OGR_F_Destroy(src->feat);
    enter(ctx);
    src->feat = gdal.OGR_L_GetNextFeature(src->layer);
    enum cmr_status st = CMR_OK;
    src->unreadable = false;
    /* A failure while reading, even one that still yields a feature (a
     * shapefile cut inside a record), is a problem of the whole source;
     * but a GeoPackage row whose geometry GDAL cannot read is a problem of
     * that feature alone. */
    if (gdal.CPLGetLastErrorType() >= CE_Failure && src->per_row && src->feat &&
        !gdal.OGR_F_GetGeometryRef(src->feat)) {
        src->unreadable = true;
        src->delivered++;
    } else if (gdal.CPLGetLastErrorType() >= CE_Failure) {
        st = cmr__error(
            ctx, CMR_EFORMAT, "reading layer '%s', feature %lld: %s",
            gdal.OGR_L_GetName(src->layer), (long long)src->delivered + 1,
            gdal_msg("truncated or corrupt"));
        if (src->feat)
            gdal.OGR_F_Destroy(src->feat);
        src->feat = NULL;
    } else if (src->feat) {
        src->delivered++;
        if (src->date1904)
            shift_1904(src);
        int n = src->csv ? gdal.OGR_F_GetFieldCount(src->feat) : 0;
        for (int i = 0; i < n; i++) {
            const char *v = gdal.OGR_F_IsFieldSetAndNotNull(src->feat, i)
                                ? gdal.OGR_F_GetFieldAsString(src->feat, i)
                                : NULL;
            for (; v && (v = strchr(v, '\n')); v++)
                src->breaks++;
        }
    } else {
        /* The end of the layer: it must account for the whole file. */
        int64_t quotes = 0;
        int64_t lines = src->csv ? nonblank_lines(src->path, &quotes) : -1;
        if (quotes % 2)
            /* quoted fields open and close, and a quote inside one is
             * doubled: an odd count is a quote left open, which joins the
             * rows after it into one field (the line count can still
             * balance, when they are the last) */
            st = cmr__error(ctx, CMR_EFORMAT,
                            "layer '%s': an odd number of double quotes "
                            "(%lld): an unbalanced quote joins rows (mend "
                            "the CSV)",
                            gdal.OGR_L_GetName(src->layer), (long long)quotes);
        else if (lines > 1 + src->delivered + src->breaks)
            /* more lines than the header, the rows and the line breaks
             * inside fields: an unbalanced quote made GDAL join or drop
             * rows without a word */
            st = cmr__error(ctx, CMR_EFORMAT,
                            "layer '%s': %lld lines that are not blank, but "
                            "%lld rows after the header could be read: an "
                            "unbalanced quote (or a row with more fields than "
                            "the header) joins rows (mend the CSV)",
                            gdal.OGR_L_GetName(src->layer), (long long)lines,
                            (long long)src->delivered);
        else if (src->declared >= 0 && src->delivered != src->declared)
            st =
                cmr__error(ctx, CMR_EFORMAT,
                           "layer '%s': %lld shapes indexed, %lld could be "
                           "read (the file is cut short or damaged)",
                           gdal.OGR_L_GetName(src->layer),
                           (long long)src->declared, (long long)src->delivered);
    }
    leave();
    *more = src->feat != NULL;
    return st;
}

bool cmr__src_row_empty(const struct cmr__src *src)
{
    /* (a geometry GDAL could not read is there, damaged) */
    if (!src->feat || src->unreadable || gdal.OGR_F_GetGeometryRef(src->feat))
        return false;
    int n = gdal.OGR_F_GetFieldCount(src->feat);
    for (int i = 0; i < n; i++) {
        const char *v = cmr__src_field(src, i);
        if (v && *cmr__skip_space(v)) /* (as import trims) */
            return false;
    }
    return true;
}

const char *cmr__src_field(const struct cmr__src *src, int i)
{
    if (!src->feat || i < 0 || !gdal.OGR_F_IsFieldSetAndNotNull(src->feat, i))
        return NULL;
    return gdal.OGR_F_GetFieldAsString(src->feat, i);
}

const char *cmr__src_field_text(const struct cmr__src *src, int i, char buf[32])
{
    const char *s = cmr__src_field(src, i);
    if (!s)
        return NULL;
    OGRFieldDefnH fd = gdal.OGR_F_GetFieldDefnRef(src->feat, i);
    if (!fd || gdal.OGR_Fld_GetType(fd) != OFTReal)
        return s;
    /* (whole doubles are exact below 2^53; -0 is 0) */
    double v = gdal.OGR_F_GetFieldAsDouble(src->feat, i);
    if (!(fabs(v) <= 9007199254740992.0) || v != floor(v))
        return s;
    snprintf(buf, 32, "%.0f", v == 0 ? 0.0 : v);
    return buf;
}

const char *cmr__geom_problem_str(enum cmr__geom_problem p)
{
    switch (p) {
    case CMR_GEOM_OK: return "ok";
    case CMR_GEOM_MISSING: return "missing geometry";
    case CMR_GEOM_EMPTY: return "empty geometry";
    case CMR_GEOM_NOT_POLYGON: return "not a polygon (point or line geometry)";
    case CMR_GEOM_SURFACE:
        return "a 3D surface (POLYHEDRALSURFACE or TIN), not a polygon: "
               "import its footprint on the ground as a polygon";
    case CMR_GEOM_SHORT_RING: return "a ring of fewer than four points";
    case CMR_GEOM_NONFINITE: return "non-finite coordinate (NaN or infinity)";
    case CMR_GEOM_OUT_OF_RANGE:
        return "coordinates out of range for longitude/latitude";
    case CMR_GEOM_BAD_WKT: return "unparsable WKT";
    case CMR_GEOM_MIXED:
        return "a geometry collection with point or line parts beside its "
               "polygons: keep only the polygons (ST_CollectionExtract(g, 3) "
               "in PostGIS)";
    case CMR_GEOM_EWKT:
        return "EWKT (SRID=...;), not WKT: export it with PostGIS's "
               "ST_AsText, or drop the SRID prefix and give the CRS with "
               "--assume-crs EPSG:SRID";
    case CMR_GEOM_TRANSFORM: return "cannot be transformed to EPSG:4326";
    case CMR_GEOM_UNREADABLE:
        return "a geometry GDAL cannot read (a damaged blob)";
    case CMR_GEOM_OUT_OF_RANGE_PROJECTED:
        return "coordinates beyond 1e10 in a projected CRS (larger than the "
               "Earth)";
    }
    return "bad geometry";
}

/* How check_rings bounds the coordinates. */
enum range {
    R_NONE,
    R_DEGREES,  /* longitude -180..180, latitude -90..90 */
    R_PROJECTED /* within 1e10 (metres or feet: far beyond the Earth) */
};

/* Structural checks on the geometry as read: polygonal, rings of at least
 * four points, finite coordinates within the range. (Far too large
 * projected coordinates must be refused before the transformation: some
 * make PROJ's inverse loop for minutes.) */
static enum cmr__geom_problem check_rings(OGRGeometryH g, enum range range)
{
    OGRwkbGeometryType t = gdal.OGR_GT_Flatten(gdal.OGR_G_GetGeometryType(g));
    if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
        int n = gdal.OGR_G_GetGeometryCount(g);
        if (n == 0)
            return CMR_GEOM_EMPTY;
        bool polygons = false, others = false; /* (parts that are) */
        for (int i = 0; i < n; i++) {
            enum cmr__geom_problem p =
                check_rings(gdal.OGR_G_GetGeometryRef(g, i), range);
            if (p == CMR_GEOM_NOT_POLYGON)
                others = true;
            else if (p)
                return p;
            else
                polygons = true;
        }
        return !others    ? CMR_GEOM_OK
               : polygons ? CMR_GEOM_MIXED
                          : CMR_GEOM_NOT_POLYGON;
    }
    if (t == wkbPolyhedralSurface || t == wkbTIN)
        return CMR_GEOM_SURFACE;
    if (t != wkbPolygon && t != wkbTriangle) /* a triangle is a polygon */
        return CMR_GEOM_NOT_POLYGON;
    int nr = gdal.OGR_G_GetGeometryCount(g);
    if (nr == 0)
        return CMR_GEOM_EMPTY;
    for (int r = 0; r < nr; r++) {
        OGRGeometryH ring = gdal.OGR_G_GetGeometryRef(g, r);
        int np = gdal.OGR_G_GetPointCount(ring);
        if (np < 4)
            return CMR_GEOM_SHORT_RING;
        for (int i = 0; i < np; i++) {
            double x = gdal.OGR_G_GetX(ring, i), y = gdal.OGR_G_GetY(ring, i);
            if (!isfinite(x) || !isfinite(y))
                return CMR_GEOM_NONFINITE;
            if (range == R_DEGREES &&
                (x < -180 || x > 180 || y < -90 || y > 90))
                return CMR_GEOM_OUT_OF_RANGE;
            if (range == R_PROJECTED && (fabs(x) > 1e10 || fabs(y) > 1e10))
                return CMR_GEOM_OUT_OF_RANGE_PROJECTED;
        }
    }
    return CMR_GEOM_OK;
}

/* Whether g is a TRIANGLE or holds one, at any depth. */
static bool has_triangle(OGRGeometryH g)
{
    OGRwkbGeometryType t = gdal.OGR_GT_Flatten(gdal.OGR_G_GetGeometryType(g));
    if (t == wkbTriangle)
        return true;
    if (t != wkbMultiPolygon && t != wkbGeometryCollection)
        return false;
    for (int i = 0; i < gdal.OGR_G_GetGeometryCount(g); i++)
        if (has_triangle(gdal.OGR_G_GetGeometryRef(g, i)))
            return true;
    return false;
}

/* A triangle is a polygon: TRIANGLE, and triangles among a collection's
 * members at any depth, become POLYGONs (the WKB readers after this one,
 * GEOS's among them, know no triangles). Takes g; NULL when out of
 * memory. */
static OGRGeometryH untriangle(OGRGeometryH g)
{
    OGRwkbGeometryType t = gdal.OGR_GT_Flatten(gdal.OGR_G_GetGeometryType(g));
    if (t == wkbTriangle)
        return gdal.OGR_G_ForceToPolygon(g);
    if (!has_triangle(g))
        return g;
    int n = gdal.OGR_G_GetGeometryCount(g);
    OGRGeometryH out = gdal.OGR_G_CreateGeometry(wkbGeometryCollection);
    for (int i = 0; out && i < n; i++) {
        OGRGeometryH m = gdal.OGR_G_Clone(gdal.OGR_G_GetGeometryRef(g, i));
        if (m)
            m = untriangle(m);
        if (!m || gdal.OGR_G_AddGeometryDirectly(out, m) != OGRERR_NONE) {
            if (m)
                gdal.OGR_G_DestroyGeometry(m);
            gdal.OGR_G_DestroyGeometry(out);
            out = NULL;
        }
    }
    gdal.OGR_G_DestroyGeometry(g);
    return out;
}

enum cmr_status cmr__src_geometry(struct cmr_ctx *ctx, struct cmr__src *src,
                                  unsigned char **wkb, size_t *len,
                                  enum cmr__geom_problem *problem)
{
    *wkb = NULL;
    *len = 0;
    *problem = CMR_GEOM_OK;
    enum cmr_status st = CMR_OK;
    OGRGeometryH g = NULL;
    enter(ctx);
    if (src->wkt_field >= 0) {
        const char *text = cmr__src_field(src, src->wkt_field);
        if (!text || !*text) {
            *problem = CMR_GEOM_MISSING;
            goto done;
        }
        text = cmr__skip_space(text); /* (a no-break space too) */
        if (strncasecmp(text, "SRID=", 5) == 0) {
            *problem = CMR_GEOM_EWKT;
            goto done;
        }
        char *p = (char *)(uintptr_t)text; /* OGR advances a char * cursor */
        if (gdal.OGR_G_CreateFromWkt(&p, NULL, &g) != OGRERR_NONE || !g) {
            *problem = CMR_GEOM_BAD_WKT;
            goto done;
        }
        while (isspace((unsigned char)*p))
            p++;
        if (*p) { /* text after the geometry: not the WKT of one */
            *problem = CMR_GEOM_BAD_WKT;
            goto done;
        }
    } else {
        OGRGeometryH ref = gdal.OGR_F_GetGeometryRef(src->feat);
        if (!ref) {
            *problem = src->unreadable ? CMR_GEOM_UNREADABLE : CMR_GEOM_MISSING;
            goto done;
        }
        g = gdal.OGR_G_Clone(ref);
    }
    if (!g) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    /* Curves (from FileGDB or GML) become line segments first. */
    if (gdal.OGR_GT_IsNonLinear(gdal.OGR_G_GetGeometryType(g))) {
        OGRGeometryH lin = gdal.OGR_G_GetLinearGeometry(g, 0, NULL);
        gdal.OGR_G_DestroyGeometry(g);
        g = lin;
        if (!g) {
            *problem = CMR_GEOM_NOT_POLYGON;
            goto done;
        }
    }
    if (gdal.OGR_G_IsEmpty(g)) {
        *problem = CMR_GEOM_EMPTY;
        goto done;
    }
    gdal.OGR_G_FlattenTo2D(g);
    if (!(g = untriangle(g))) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    *problem = check_rings(g, !src->ct || gdal.OSRIsGeographic(src->src_srs)
                                  ? R_DEGREES
                                  : R_PROJECTED);
    if (*problem)
        goto done;
    if (src->ct) {
        if (gdal.OGR_G_Transform(g, src->ct) != OGRERR_NONE) {
            *problem = CMR_GEOM_TRANSFORM;
            goto done;
        }
        *problem = check_rings(g, R_DEGREES);
        if (*problem)
            goto done;
    }
    size_t n = (size_t)gdal.OGR_G_WkbSizeEx(g);
    *wkb = cmr__malloc(n);
    if (!*wkb) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    if (gdal.OGR_G_ExportToIsoWkb(g, wkbNDR, *wkb) != OGRERR_NONE) {
        cmr__free(*wkb);
        *wkb = NULL;
        st = cmr__error(ctx, CMR_EINTERNAL, "WKB export failed");
        goto done;
    }
    *len = n;
done:
    if (g)
        gdal.OGR_G_DestroyGeometry(g);
    leave();
    return st;
}

/* ---- datasets for the store ---- */

/* A store opened for writing is written through OGR (its GeoPackage
 * driver keeps the metadata tables, the R-tree and the triggers right). A
 * store opened read-only is read with SQLite alone; an OGR connection is
 * opened beside it only for SQL that needs OGR's functions. */
struct cmr__ds {
    GDALDatasetH ds; /* the OGR connection, or NULL (read-only, not needed) */
    bool update;
    /* read without locks (see open_read_only), as long as the file is as
     * it was then */
    bool immutable;
    struct stat snap;
    int lock_fd; /* holds flock(LOCK_EX) while open for writing; or -1 */
    /* The GeoPackage file, and a read-only SQLite connection to it: for a
     * store opened read-only, from the start; for one opened for writing,
     * opened by cmr__ds_query_direct on first use (NULL until then, and
     * after it failed to open). */
    char *path;
    sqlite3 *db;
    bool db_failed;
    int in_tx; /* a transaction is open on the OGR connection */
};

bool cmr__ds_direct_off = false;

/* One writer at a time: SQLite's own locks make a second writer fail with
 * "database is locked" as soon as both hold a read lock, so a writer first
 * takes an advisory lock on the file (flock, which does not interfere with
 * SQLite's fcntl locks on Linux) and waits for it up to a minute. */
static enum cmr_status lock_store(struct cmr_ctx *ctx, const char *path,
                                  int *fd)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return cmr__error(ctx, CMR_EIO, "%s: %s", path, strerror(errno));
    for (int waited = 0;; waited++) {
        if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
            return CMR_OK;
        if (errno != EWOULDBLOCK && errno != EINTR)
            break;
        if (waited == 0)
            cmr__log(ctx, CMR_LOG_WARN,
                     "%s: another process is writing to the store; waiting "
                     "for it (up to 60 s)",
                     path);
        if (waited >= 600)
            break;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    int e = errno;
    close(*fd);
    *fd = -1;
    return cmr__error(ctx, CMR_EDB,
                      "%s: another process is still writing to the store "
                      "after 60 s (%s); try again when it has finished",
                      path, e == EWOULDBLOCK ? "locked" : strerror(e));
}

/* Our SQLite connections take "x" as a name only: with SQLite's default,
 * a double-quoted name that matches no column is read as a string, and a
 * column missing from a table would read as its own name. */
static void strict_names(sqlite3 *db)
{
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
}

/* An absolute path as an SQLite URI that opens it immutable (no locks, no
 * -shm file), for a WAL database in a directory the user cannot write; NULL
 * when out of memory. RFC 3986: all but unreserved characters and '/'
 * percent-encoded. */
static char *immutable_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *u = cmr__malloc(3 * n + 32);
    if (!u)
        return NULL;
    char *o = u;
    /* an empty authority: "file:///abs" (a path of "//x" would otherwise
     * read as the authority x) */
    memcpy(o, "file://", 7);
    o += 7;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (isalnum(*p) || strchr("-._~/", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    strcpy(o, "?immutable=1");
    return u;
}

bool cmr__sqlite_stats_off(void)
{
    /* (SQLITE_MISUSE once SQLite is in use: it is then left as it is) */
    bool off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    /* initialised here, once, rather than by the first two threads that
     * open a database at the same time */
    (void)sqlite3_initialize();
    return off;
}

bool cmr__ds_same_file(const struct cmr__ds *a, const struct cmr__ds *b)
{
    if (a->immutable != b->immutable)
        return false;
    return !a->immutable ||
           (a->snap.st_dev == b->snap.st_dev &&
            a->snap.st_ino == b->snap.st_ino &&
            a->snap.st_size == b->snap.st_size &&
            a->snap.st_mtim.tv_sec == b->snap.st_mtim.tv_sec &&
            a->snap.st_mtim.tv_nsec == b->snap.st_mtim.tv_nsec);
}

bool cmr__ds_parallel_reads(void)
{
    /* with the statistics off, the memory SQLite reports using is 0; this
     * is asked once a store is open, when it uses some */
    return sqlite3_memory_used() == 0;
}

/* The GeoPackage check on a new connection: the two required tables
 * (GeoPackage 1.3, 1.1.2 and 1.1.3.1) and the application id "GPKG" (or
 * "GP10"/"GP11" of GeoPackage 1.0 and 1.1). SQLite's code, or SQLITE_OK
 * with *ok telling whether it is one. */
static int probe_gpkg(sqlite3 *db, bool *ok)
{
    *ok = false;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(
        db,
        "SELECT (SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table', "
        "'view') AND name IN ('gpkg_contents', 'gpkg_spatial_ref_sys')), "
        "(SELECT application_id FROM pragma_application_id())",
        -1, &q, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 1);
        *ok = sqlite3_column_int(q, 0) == 2 &&
              (id == 0x47504B47 || id == 0x47503130 || id == 0x47503131);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    return rc;
}

/* Whether the SQLite database at path is in WAL mode (its header's read
 * and write versions are 2; SQLite file format, 1.3). */
static bool wal_mode(const char *path)
{
    unsigned char h[20];
    FILE *f = fopen(path, "rb");
    bool wal =
        f && fread(h, 1, sizeof h, f) == sizeof h && h[18] == 2 && h[19] == 2;
    if (f)
        fclose(f);
    return wal;
}

/* Opens d->path read-only with SQLite and checks that it is a GeoPackage. */
static enum cmr_status open_read_only(struct cmr_ctx *ctx, struct cmr__ds *d)
{
    const char *path = d->path;
    if (sqlite3_open_v2(path, &d->db,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        return cmr__error(ctx, CMR_EIO, "%s: %s", path,
                          d->db ? sqlite3_errmsg(d->db) : "out of memory");
    strict_names(d->db);
    /* While another program holds the store locked, the first read waits
     * up to 5 s, as GDAL's open does, and then says so. */
    sqlite3_busy_timeout(d->db, 5000);
    bool ok = false;
    int rc = probe_gpkg(d->db, &ok);
    if ((rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN) && wal_mode(path)) {
        /* A WAL database in a directory this user cannot write (where
         * SQLite cannot make its -shm file): read it as immutable, without
         * locks. That is right only while its -wal file (beside the file
         * itself, whatever links lead to it) holds nothing, and while no
         * one checkpoints into the file: its identity, size and time are
         * checked again at every query (read_only_unchanged). */
        char real[PATH_MAX], wal[PATH_MAX + 8];
        struct stat sb;
        if (!realpath(path, real))
            return cmr__error(ctx, CMR_EIO, "%s: %s", path, strerror(errno));
        snprintf(wal, sizeof wal, "%s-wal", real);
        if (stat(wal, &sb) == 0 && sb.st_size > 0)
            return cmr__error(ctx, CMR_EIO,
                              "%s: %s holds changes that may not be in the "
                              "store yet, and this user cannot write the "
                              "directory to read them; open the store once "
                              "as its owner",
                              path, wal);
        if (stat(real, &d->snap) != 0)
            return cmr__error(ctx, CMR_EIO, "%s: %s", path, strerror(errno));
        d->immutable = true;
        char *uri = immutable_uri(real);
        if (!uri)
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        sqlite3_close(d->db);
        d->db = NULL;
        rc = sqlite3_open_v2(
            uri, &d->db,
            SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
        cmr__free(uri);
        if (rc != SQLITE_OK)
            return cmr__error(ctx, CMR_EIO, "%s: %s", path,
                              d->db ? sqlite3_errmsg(d->db) : "out of memory");
        strict_names(d->db);
        rc = probe_gpkg(d->db, &ok);
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return cmr__error(ctx, CMR_EDB,
                          "%s: the store is locked by another program (%s); "
                          "try again when it has finished",
                          path, sqlite3_errmsg(d->db));
    if (sqlite3_extended_errcode(d->db) == SQLITE_READONLY_ROLLBACK)
        return cmr__error(ctx, CMR_EDB,
                          "%s: a program stopped while writing the store "
                          "(its -journal file is still there); open it once "
                          "with write access, which rolls the unfinished "
                          "change back (cmr import does, but not with "
                          "--dry-run; or sqlite3 %s "
                          "'PRAGMA quick_check'), then read it again",
                          path, path);
    if (rc == SQLITE_NOMEM)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
        return cmr__error(ctx, CMR_EFORMAT,
                          "%s: not a cmr store (not a GeoPackage: %s)", path,
                          sqlite3_errmsg(d->db));
    if (rc != SQLITE_OK)
        return cmr__error(ctx, CMR_EIO, "%s: %s", path, sqlite3_errmsg(d->db));
    if (!ok)
        return cmr__error(ctx, CMR_EFORMAT,
                          "%s: not a cmr store (not a GeoPackage: no "
                          "gpkg_contents and gpkg_spatial_ref_sys tables, or "
                          "not the GeoPackage application id)",
                          path);
    /* Then, as on the OGR connection: a lock taken after the open (by
     * another cmr writing, whose transaction holds it to the end, or by
     * another program) is waited for up to a minute. */
    sqlite3_busy_timeout(d->db, 60000);
    return CMR_OK;
}

/* The OGR connection of a store opened read-only, opened on first use. */
static enum cmr_status ogr_conn(struct cmr_ctx *ctx, struct cmr__ds *ds)
{
    if (ds->ds)
        return CMR_OK;
    enum cmr_status s = need_gdal(ctx);
    if (s)
        return s;
    static const char *const gpkg_only[] = {"GPKG", NULL};
    enter(ctx);
    ds->ds = gdal.GDALOpenEx(ds->path, GDAL_OF_VECTOR | GDAL_OF_READONLY,
                             gpkg_only, NULL, NULL);
    if (!ds->ds) {
        s = cmr__error(ctx, CMR_EFORMAT,
                       "%s: not a cmr store (not a GeoPackage: %s)", ds->path,
                       gdal_msg("unrecognised file"));
    } else {
        OGRLayerH r = gdal.GDALDatasetExecuteSQL(
            ds->ds, "PRAGMA busy_timeout = 60000", NULL, NULL);
        if (r)
            gdal.GDALDatasetReleaseResultSet(ds->ds, r);
    }
    leave();
    return s;
}

/* Writing calls on a store opened read-only are a programming error. */
static enum cmr_status need_update(struct cmr_ctx *ctx,
                                   const struct cmr__ds *ds)
{
    if (ds->update && ds->ds)
        return CMR_OK;
    return cmr__error(ctx, CMR_EINTERNAL, "%s: the store is open read-only",
                      ds->path ? ds->path : "store");
}

enum cmr_status cmr__ds_create_gpkg(struct cmr_ctx *ctx, const char *path,
                                    struct cmr__ds **out)
{
    *out = NULL;
    struct stat st;
    if (stat(path, &st) == 0)
        return cmr__error(ctx, CMR_EIO, "%s: already exists", path);
    enum cmr_status s0 = need_gdal(ctx);
    if (s0)
        return s0;
    struct cmr__ds *d = cmr__calloc(1, sizeof *d);
    if (!d)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    d->lock_fd = -1;
    d->update = true;
    enter(ctx);
    GDALDriverH drv = gdal.GDALGetDriverByName("GPKG");
    if (drv)
        d->ds = gdal.GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    enum cmr_status s = CMR_OK;
    if (!d->ds)
        s = cmr__error(ctx, CMR_EIO, "%s: cannot create GeoPackage: %s", path,
                       gdal_msg("GPKG driver missing"));
    leave();
    if (s) {
        cmr__free(d);
        return s;
    }
    *out = d;
    return CMR_OK;
}

enum cmr_status cmr__ds_recover(struct cmr_ctx *ctx, const char *path)
{
    char journal[PATH_MAX + 16];
    struct stat sb;
    snprintf(journal, sizeof journal, "%s-journal", path);
    if (stat(journal, &sb) != 0 || sb.st_size == 0 || access(path, W_OK) != 0)
        return CMR_OK;
    /* The journal of another cmr writing now is not left by a stop: wait
     * for that one to finish (its journal goes with it), as a write would,
     * and roll back only while no cmr writes. */
    int fd = -1;
    enum cmr_status st = lock_store(ctx, path, &fd);
    if (st)
        return st;
    if (stat(journal, &sb) != 0 || sb.st_size == 0) {
        close(fd);
        return CMR_OK;
    }
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        /* the first read rolls a hot journal back */
        rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL,
                          NULL);
    }
    if (rc == SQLITE_NOMEM)
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    else if (rc == SQLITE_BUSY)
        /* (another program, QGIS or the sqlite3 shell, is writing: its
         * journal is live) */
        st = cmr__error(ctx, CMR_EDB,
                        "%s: the store is locked by another program (%s); "
                        "try again when it has finished",
                        path, sqlite3_errmsg(db));
    else if (rc != SQLITE_OK)
        st = cmr__error(ctx, CMR_EDB,
                        "%s: rolling back what a program stopped while "
                        "writing left in %s: %s",
                        path, journal,
                        db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    close(fd);
    return st;
}

enum cmr_status cmr__ds_open(struct cmr_ctx *ctx, const char *path, bool update,
                             struct cmr__ds **out)
{
    *out = NULL;
    enum cmr_status s = check_path(ctx, path);
    if (s)
        return s;
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return cmr__error(ctx, CMR_EIO, "%s: is a directory, not a store",
                          path);
    if (update && access(path, W_OK) != 0)
        return cmr__error(ctx, CMR_EIO, "%s: the store cannot be written (%s)",
                          path, strerror(errno));
    if (update) {
        /* SQLite writes its journal beside the store: a store the user can
         * write in a directory they cannot failed at the first INSERT with
         * "attempt to write a readonly database" */
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (!slash)
            snprintf(dir, sizeof dir, ".");
        else
            slash[slash == dir] = '\0'; /* ("/x.gpkg": "/") */
        if (access(dir, W_OK) != 0)
            return cmr__error(ctx, CMR_EIO,
                              "%s: the store cannot be written: its directory "
                              "%s is not writable (%s), and SQLite writes its "
                              "journal beside the store",
                              path, dir, strerror(errno));
    }
    struct cmr__ds *d = cmr__calloc(1, sizeof *d);
    if (!d)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    d->lock_fd = -1;
    d->update = update;
    if (!update) {
        if (!(d->path = cmr__strdup(path)))
            s = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        else
            s = open_read_only(ctx, d);
        if (s) {
            cmr__ds_close(d);
            return s;
        }
        *out = d;
        return CMR_OK;
    }
    if ((s = lock_store(ctx, path, &d->lock_fd)) || (s = need_gdal(ctx))) {
        cmr__ds_close(d);
        return s;
    }
    static const char *const gpkg_only[] = {"GPKG", NULL};
    enter(ctx);
    d->ds = gdal.GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, gpkg_only,
                            NULL, NULL);
    if (!d->ds && strstr(gdal_msg(""), "locked"))
        s = cmr__error(ctx, CMR_EDB,
                       "%s: the store is locked by another program (%s); try "
                       "again when it has finished",
                       path, gdal_msg(""));
    else if (!d->ds)
        s = cmr__error(ctx, CMR_EFORMAT,
                       "%s: not a cmr store (not a GeoPackage: %s)", path,
                       gdal_msg("unrecognised file"));
    /* Another cmr writing the same store holds SQLite's lock for the
     * length of its transaction: wait for it (up to a minute) rather than
     * fail at once with "database is locked". */
    if (d->ds) {
        OGRLayerH r = gdal.GDALDatasetExecuteSQL(
            d->ds, "PRAGMA busy_timeout = 60000", NULL, NULL);
        if (r)
            gdal.GDALDatasetReleaseResultSet(d->ds, r);
    }
    leave();
    if (!s && !(d->path = cmr__strdup(path)))
        s = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    if (s) {
        cmr__ds_close(d);
        return s;
    }
    *out = d;
    return CMR_OK;
}

void cmr__ds_close(struct cmr__ds *ds)
{
    if (!ds)
        return;
    if (ds->db)
        sqlite3_close(ds->db);
    cmr__free(ds->path);
    if (ds->ds)
        gdal.GDALClose(ds->ds);
    if (ds->lock_fd >= 0)
        close(ds->lock_fd); /* releases the flock */
    cmr__free(ds);
}

enum cmr_status cmr__ds_begin(struct cmr_ctx *ctx, struct cmr__ds *ds)
{
    enum cmr_status s0 = need_update(ctx, ds);
    if (s0)
        return s0;
    enter(ctx);
    OGRErr e = gdal.GDALDatasetStartTransaction(ds->ds, FALSE);
    enum cmr_status s = CMR_OK;
    if (e != OGRERR_NONE) {
        s = cmr__error(ctx, CMR_EDB, "cannot start transaction: %s",
                       gdal_msg("?"));
    } else {
        /* Take the write lock first, with nothing read yet: SQLite waits
         * (busy_timeout) for a lock another program holds only then; a
         * transaction that has read and then writes fails at once with
         * "database is locked" (a review: QGIS in an edit session failed
         * an import in 0.2 s). A write that changes nothing takes it. */
        gdal.CPLErrorReset();
        OGRLayerH r = gdal.GDALDatasetExecuteSQL(
            ds->ds, "DELETE FROM gpkg_contents WHERE 0", NULL, NULL);
        if (r)
            gdal.GDALDatasetReleaseResultSet(ds->ds, r);
        if (gdal.CPLGetLastErrorType() >= CE_Failure) {
            /* (SQLite's words alone: GDAL's message quotes the statement,
             * which is cmr's, not the user's) */
            s = strstr(gdal_msg(""), "locked")
                    ? cmr__error(ctx, CMR_EDB,
                                 "%s: the store is locked by another program "
                                 "(database is locked); try again when it "
                                 "has finished",
                                 ds->path ? ds->path : "store")
                    : cmr__error(ctx, CMR_EDB, "cannot start transaction: %s",
                                 gdal_msg("?"));
            gdal.GDALDatasetRollbackTransaction(ds->ds);
        } else {
            ds->in_tx = 1;
        }
    }
    leave();
    return s;
}

enum cmr_status cmr__ds_commit(struct cmr_ctx *ctx, struct cmr__ds *ds)
{
    enum cmr_status s0 = need_update(ctx, ds);
    if (s0)
        return s0;
    enter(ctx);
    OGRErr e = gdal.GDALDatasetCommitTransaction(ds->ds);
    ds->in_tx = 0;
    enum cmr_status s = CMR_OK;
    if (e != OGRERR_NONE)
        s = cmr__error(ctx, CMR_EDB, "commit failed: %s", gdal_msg("?"));
    leave();
    return s;
}

void cmr__ds_rollback(struct cmr_ctx *ctx, struct cmr__ds *ds)
{
    if (!ds->ds)
        return;
    enter(ctx);
    gdal.GDALDatasetRollbackTransaction(ds->ds);
    ds->in_tx = 0;
    leave();
}

bool cmr__ds_has_layer(struct cmr__ds *ds, const char *name)
{
    if (!ds->ds) {
        sqlite3_stmt *q = NULL;
        bool has = false;
        if (sqlite3_prepare_v2(ds->db,
                               "SELECT 1 FROM sqlite_master WHERE type IN "
                               "('table', 'view') AND name = ?1 COLLATE "
                               "NOCASE",
                               -1, &q, NULL) == SQLITE_OK &&
            sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC) == SQLITE_OK)
            has = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
        return has;
    }
    gdal.CPLPushErrorHandler(gdal.CPLQuietErrorHandler);
    bool has = gdal.GDALDatasetGetLayerByName(ds->ds, name) != NULL;
    gdal.CPLPopErrorHandler();
    return has;
}

static OGRFieldType ogr_type(enum cmr__ftype t)
{
    switch (t) {
    case CMR_FT_TEXT: return OFTString;
    case CMR_FT_REAL: return OFTReal;
    case CMR_FT_INT: return OFTInteger64;
    case CMR_FT_DATE: return OFTDate;
    case CMR_FT_DATETIME: return OFTDateTime;
    }
    return OFTString;
}

enum cmr_status cmr__ds_create_table(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                     const char *name, bool spatial,
                                     const struct cmr__fdef *fields,
                                     size_t nfields)
{
    enum cmr_status s = need_update(ctx, ds);
    if (s)
        return s;
    OGRSpatialReferenceH srs = NULL;
    enter(ctx);
    char **lco = NULL;
    lco = gdal.CSLSetNameValue(lco, "FID", "fid");
    if (spatial) {
        srs = gdal.OSRNewSpatialReference(NULL);
        gdal.OSRImportFromEPSG(srs, 4326);
        gdal.OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
        lco = gdal.CSLSetNameValue(lco, "GEOMETRY_NAME", "geom");
        lco = gdal.CSLSetNameValue(lco, "SPATIAL_INDEX", "YES");
    } else {
        lco = gdal.CSLSetNameValue(lco, "ASPATIAL_VARIANT", "GPKG_ATTRIBUTES");
    }
    OGRLayerH l = gdal.GDALDatasetCreateLayer(
        ds->ds, name, srs, spatial ? wkbMultiPolygon : wkbNone, lco);
    gdal.CSLDestroy(lco);
    if (!l) {
        s = cmr__error(ctx, CMR_EDB, "cannot create table %s: %s", name,
                       gdal_msg("?"));
        goto done;
    }
    for (size_t i = 0; i < nfields; i++) {
        OGRFieldDefnH f =
            gdal.OGR_Fld_Create(fields[i].name, ogr_type(fields[i].type));
        OGRErr e = gdal.OGR_L_CreateField(l, f, TRUE);
        gdal.OGR_Fld_Destroy(f);
        if (e != OGRERR_NONE) {
            s = cmr__error(ctx, CMR_EDB, "cannot create %s.%s: %s", name,
                           fields[i].name, gdal_msg("?"));
            goto done;
        }
    }
done:
    if (srs)
        gdal.OSRDestroySpatialReference(srs);
    leave();
    return s;
}

enum cmr_status cmr__ds_insert(struct cmr_ctx *ctx, struct cmr__ds *ds,
                               const char *table, const char *const *names,
                               const char *const *values, size_t n,
                               const unsigned char *wkb, size_t wkb_len,
                               int64_t *fid)
{
    enum cmr_status s = need_update(ctx, ds);
    if (s)
        return s;
    OGRFeatureH f = NULL;
    enter(ctx);
    OGRLayerH l = gdal.GDALDatasetGetLayerByName(ds->ds, table);
    if (!l) {
        s = cmr__error(ctx, CMR_EDB, "no table %s in the store", table);
        goto done;
    }
    OGRFeatureDefnH defn = gdal.OGR_L_GetLayerDefn(l);
    f = gdal.OGR_F_Create(defn);
    for (size_t i = 0; i < n; i++) {
        int idx = gdal.OGR_FD_GetFieldIndex(defn, names[i]);
        if (idx < 0) {
            s = cmr__error(ctx, CMR_EDB, "no field %s.%s", table, names[i]);
            goto done;
        }
        if (values[i])
            gdal.OGR_F_SetFieldString(f, idx, values[i]);
        else
            gdal.OGR_F_SetFieldNull(f, idx);
    }
    if (wkb) {
        OGRGeometryH g = NULL;
        if (gdal.OGR_G_CreateFromWkbEx(wkb, NULL, &g, wkb_len) != OGRERR_NONE) {
            s = cmr__error(ctx, CMR_EINTERNAL, "bad WKB for %s", table);
            goto done;
        }
        if (gdal.OGR_GT_Flatten(gdal.OGR_G_GetGeometryType(g)) == wkbPolygon)
            g = gdal.OGR_G_ForceToMultiPolygon(g);
        gdal.OGR_F_SetGeometryDirectly(f, g);
    }
    if (gdal.OGR_L_CreateFeature(l, f) != OGRERR_NONE) {
        s = cmr__error(ctx, CMR_EDB, "insert into %s failed: %s", table,
                       gdal_msg("?"));
        goto done;
    }
    if (fid)
        *fid = gdal.OGR_F_GetFID(f);
done:
    if (f)
        gdal.OGR_F_Destroy(f);
    leave();
    return s;
}

enum cmr_status cmr__ds_exec(struct cmr_ctx *ctx, struct cmr__ds *ds,
                             const char *sql)
{
    enum cmr_status s0 = need_update(ctx, ds);
    if (s0)
        return s0;
    enter(ctx);
    OGRLayerH r = gdal.GDALDatasetExecuteSQL(ds->ds, sql, NULL, NULL);
    enum cmr_status s = CMR_OK;
    if (gdal.CPLGetLastErrorType() >= CE_Failure)
        s = cmr__error(ctx, CMR_EDB, "SQL failed: %s (%.200s)", gdal_msg("?"),
                       sql);
    if (r)
        gdal.GDALDatasetReleaseResultSet(ds->ds, r);
    leave();
    return s;
}

struct cmr__rows {
    struct cmr__ds *ds;
    OGRLayerH layer;
    OGRFeatureH feat;
    sqlite3_stmt *stmt; /* instead of layer and feat: read directly */
    int geom_col;       /* with stmt: the geometry's column, or -1 */
    bool failed;        /* the rows ended on an error, not at their end */
    char why[200];      /* and why, as SQLite or GDAL said */
    unsigned char *wkb;
    size_t wkb_cap;
};

/* The query run by OGR (its SQLite dialect, with its functions). */
static enum cmr_status ogr_query(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                 const char *sql, struct cmr__rows **out)
{
    *out = NULL;
    enum cmr_status s0 = ogr_conn(ctx, ds);
    if (s0)
        return s0;
    struct cmr__rows *rows = cmr__calloc(1, sizeof *rows);
    if (!rows)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    enter(ctx);
    rows->ds = ds;
    rows->layer = gdal.GDALDatasetExecuteSQL(ds->ds, sql, NULL, NULL);
    enum cmr_status s = CMR_OK;
    if (!rows->layer || gdal.CPLGetLastErrorType() >= CE_Failure)
        s = cmr__error(ctx, CMR_EDB, "query failed: %s (%.200s)",
                       gdal_msg("no result"), sql);
    leave();
    if (s) {
        cmr__rows_close(rows);
        return s;
    }
    *out = rows;
    return CMR_OK;
}

enum cmr_status cmr__ds_query(struct cmr_ctx *ctx, struct cmr__ds *ds,
                              const char *sql, struct cmr__rows **out)
{
    if (!ds->update)
        return cmr__ds_query_direct(ctx, ds, sql, out);
    return ogr_query(ctx, ds, sql, out);
}

/* The SQLite connection for direct reads of ds, or NULL. */
static sqlite3 *direct_db(struct cmr__ds *ds)
{
    if (cmr__ds_direct_off || !ds->path || ds->in_tx || ds->db_failed)
        return NULL;
    if (!ds->db) {
        if (sqlite3_open_v2(ds->path, &ds->db,
                            SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                            NULL) != SQLITE_OK) {
            sqlite3_close(ds->db);
            ds->db = NULL;
            ds->db_failed = true;
            return NULL;
        }
        strict_names(ds->db);
        sqlite3_busy_timeout(ds->db, 60000); /* as the OGR connection */
    }
    return ds->db;
}

/* Whether a store read without locks is still the file it was when
 * opened: another program checkpointing into it would change what the
 * reads see. */
static bool read_only_unchanged(const struct cmr__ds *ds)
{
    struct stat sb;
    return !ds->immutable ||
           (stat(ds->path, &sb) == 0 && sb.st_ino == ds->snap.st_ino &&
            sb.st_dev == ds->snap.st_dev && sb.st_size == ds->snap.st_size &&
            sb.st_mtim.tv_sec == ds->snap.st_mtim.tv_sec &&
            sb.st_mtim.tv_nsec == ds->snap.st_mtim.tv_nsec);
}

enum cmr_status cmr__ds_query_direct(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                     const char *sql, struct cmr__rows **out)
{
    *out = NULL;
    if (!read_only_unchanged(ds))
        return cmr__error(ctx, CMR_EDB,
                          "%s: the store changed while it was read (it is "
                          "read without locks, as this user cannot write its "
                          "directory); run the command again",
                          ds->path);
    sqlite3 *db = direct_db(ds);
    sqlite3_stmt *stmt = NULL;
    int geom_col = -1, rc = SQLITE_ERROR;
    if (db &&
        (rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL)) != SQLITE_OK &&
        rc != SQLITE_ERROR) {
        /* not SQL that SQLite lacks (OGR's functions): the store itself */
        sqlite3_finalize(stmt);
        if (rc == SQLITE_NOMEM)
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        return cmr__error(ctx, CMR_EDB, "%s: cannot be read (%s)", ds->path,
                          sqlite3_errmsg(db));
    }
    if (rc == SQLITE_OK) {
        /* OGR numbers the fields without the geometry: it must come last */
        int n = sqlite3_column_count(stmt);
        for (int i = 0; i < n; i++) {
            const char *name = sqlite3_column_name(stmt, i);
            if (name && strcmp(name, "geom") == 0)
                geom_col = i;
        }
        if (geom_col >= 0 && geom_col != n - 1) {
            sqlite3_finalize(stmt);
            stmt = NULL;
        }
    } else {
        sqlite3_finalize(stmt);
        stmt = NULL;
    }
    if (!stmt) /* OGR runs it instead, and reports what is wrong with it */
        return ogr_query(ctx, ds, sql, out);
    struct cmr__rows *rows = cmr__calloc(1, sizeof *rows);
    if (!rows) {
        sqlite3_finalize(stmt);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    rows->ds = ds;
    rows->stmt = stmt;
    rows->geom_col = geom_col;
    *out = rows;
    return CMR_OK;
}

bool cmr__rows_next(struct cmr__rows *rows)
{
    if (rows->stmt) {
        int rc = sqlite3_step(rows->stmt);
        bool error = rc != SQLITE_ROW && rc != SQLITE_DONE;
        bool changed = rc == SQLITE_DONE && !read_only_unchanged(rows->ds);
        if ((error || changed) && !rows->failed)
            snprintf(rows->why, sizeof rows->why, "%s",
                     error ? sqlite3_errmsg(sqlite3_db_handle(rows->stmt))
                           : "the store changed while it was read (it is "
                             "read without locks, as this user cannot write "
                             "its directory); run the command again");
        rows->failed |= error || changed;
        return rc == SQLITE_ROW;
    }
    if (rows->feat)
        gdal.OGR_F_Destroy(rows->feat);
    gdal.CPLErrorReset();
    rows->feat = gdal.OGR_L_GetNextFeature(rows->layer);
    if (!rows->feat && gdal.CPLGetLastErrorType() >= CE_Failure &&
        !rows->failed) {
        rows->failed = true;
        snprintf(rows->why, sizeof rows->why, "%s", gdal.CPLGetLastErrorMsg());
    }
    return rows->feat != NULL;
}

bool cmr__rows_failed(const struct cmr__rows *rows)
{
    return rows->failed;
}

const char *cmr__rows_why(const struct cmr__rows *rows)
{
    return rows->why[0] ? rows->why : "damaged, or out of memory";
}

bool cmr__rows_is_null(const struct cmr__rows *rows, int col)
{
    if (rows->stmt)
        return sqlite3_column_type(rows->stmt, col) == SQLITE_NULL;
    return !gdal.OGR_F_IsFieldSetAndNotNull(rows->feat, col);
}

const char *cmr__rows_text(const struct cmr__rows *rows, int col)
{
    if (cmr__rows_is_null(rows, col))
        return NULL;
    if (rows->stmt) {
        const char *t = (const char *)sqlite3_column_text(rows->stmt, col);
        if (!t) /* not NULL (checked above): out of memory */
            ((struct cmr__rows *)(uintptr_t)rows)->failed = true;
        return t;
    }
    return gdal.OGR_F_GetFieldAsString(rows->feat, col);
}

enum cmr__kind cmr__rows_kind(const struct cmr__rows *rows, int col)
{
    if (cmr__rows_is_null(rows, col))
        return CMR__KIND_NULL;
    if (rows->stmt) {
        switch (sqlite3_column_type(rows->stmt, col)) {
        case SQLITE_INTEGER: return CMR__KIND_INT;
        case SQLITE_FLOAT: return CMR__KIND_REAL;
        default: return CMR__KIND_TEXT;
        }
    }
    switch (gdal.OGR_Fld_GetType(gdal.OGR_F_GetFieldDefnRef(rows->feat, col))) {
    case OFTInteger:
    case OFTInteger64: return CMR__KIND_INT;
    case OFTReal: return CMR__KIND_REAL;
    default: return CMR__KIND_TEXT;
    }
}

double cmr__rows_real(const struct cmr__rows *rows, int col)
{
    if (rows->stmt)
        return sqlite3_column_double(rows->stmt, col);
    return gdal.OGR_F_GetFieldAsDouble(rows->feat, col);
}

int64_t cmr__rows_int(const struct cmr__rows *rows, int col)
{
    if (rows->stmt)
        return sqlite3_column_int64(rows->stmt, col);
    return gdal.OGR_F_GetFieldAsInteger64(rows->feat, col);
}

/* A GeoPackage geometry blob (GeoPackage 1.3, 2.1.3): "GP", version 0,
 * flags, srs_id, an optional envelope, then standard WKB. The envelope
 * (minx, maxx, miny, maxy first) when the header has one. Returns the
 * WKB's offset, or 0 for what this reader does not take (the extended
 * geometry types, or no blob at all). */
static size_t gpkg_header(const unsigned char *b, size_t n, double env[4],
                          bool *has_env)
{
    *has_env = false;
    if (!b || n < 8 || b[0] != 'G' || b[1] != 'P' || b[2] != 0)
        return 0;
    unsigned flags = b[3];
    static const size_t env_bytes[] = {0, 32, 48, 48, 64};
    unsigned e = (flags >> 1) & 7u;
    if (e > 4 || n <= 8 + env_bytes[e])
        return 0;
    if (e) {
        bool little = flags & 1u;
        uint16_t probe = 1;
        bool host_little = *(unsigned char *)&probe == 1;
        for (int k = 0; k < 4; k++) {
            unsigned char v[8];
            memcpy(v, b + 8 + 8 * k, 8);
            if (little != host_little)
                for (int i = 0; i < 4; i++) {
                    unsigned char t = v[i];
                    v[i] = v[7 - i];
                    v[7 - i] = t;
                }
            memcpy(&env[k], v, 8);
        }
        /* an empty geometry has NaNs; a box that is not one is not used */
        *has_env = !(flags & 0x10u) && isfinite(env[0]) && isfinite(env[1]) &&
                   isfinite(env[2]) && isfinite(env[3]) && env[0] <= env[1] &&
                   env[2] <= env[3];
    }
    return 8 + env_bytes[e];
}

bool cmr__rows_geom_is_null(const struct cmr__rows *rows)
{
    if (rows->stmt)
        return rows->geom_col < 0 ||
               sqlite3_column_type(rows->stmt, rows->geom_col) == SQLITE_NULL;
    return !gdal.OGR_F_GetGeometryRef(rows->feat);
}

const unsigned char *cmr__rows_wkb(struct cmr__rows *rows, size_t *len,
                                   bool *oom)
{
    *len = 0;
    *oom = false;
    if (rows->stmt) {
        if (rows->geom_col < 0)
            return NULL;
        const unsigned char *b =
            sqlite3_column_blob(rows->stmt, rows->geom_col);
        size_t n = (size_t)sqlite3_column_bytes(rows->stmt, rows->geom_col);
        if (!b &&
            sqlite3_errcode(sqlite3_db_handle(rows->stmt)) == SQLITE_NOMEM)
            *oom = true;
        double env[4];
        bool has_env;
        size_t off = gpkg_header(b, n, env, &has_env);
        if (!off)
            return NULL;
        *len = n - off;
        return b + off;
    }
    OGRGeometryH g = gdal.OGR_F_GetGeometryRef(rows->feat);
    if (!g)
        return NULL;
    size_t n = (size_t)gdal.OGR_G_WkbSizeEx(g);
    if (!cmr__reserve((void **)&rows->wkb, &rows->wkb_cap, n, 1)) {
        *oom = true;
        return NULL;
    }
    if (gdal.OGR_G_ExportToIsoWkb(g, wkbNDR, rows->wkb) != OGRERR_NONE)
        return NULL;
    *len = n;
    return rows->wkb;
}

bool cmr__rows_envelope(struct cmr__rows *rows, double box[4])
{
    if (rows->stmt) {
        if (rows->geom_col < 0)
            return false;
        const unsigned char *b =
            sqlite3_column_blob(rows->stmt, rows->geom_col);
        size_t n = (size_t)sqlite3_column_bytes(rows->stmt, rows->geom_col);
        double env[4];
        bool has_env;
        size_t off = gpkg_header(b, n, env, &has_env);
        if (!off)
            return false;
        if (has_env) {
            box[0] = env[0];
            box[1] = env[2];
            box[2] = env[1];
            box[3] = env[3];
            return true;
        }
        return false; /* no envelope in the header (allowed) */
    }
    OGRGeometryH g = gdal.OGR_F_GetGeometryRef(rows->feat);
    if (!g)
        return false;
    OGREnvelope e;
    gdal.OGR_G_GetEnvelope(g, &e);
    box[0] = e.MinX;
    box[1] = e.MinY;
    box[2] = e.MaxX;
    box[3] = e.MaxY;
    return true;
}

void cmr__rows_close(struct cmr__rows *rows)
{
    if (!rows)
        return;
    if (rows->stmt)
        sqlite3_finalize(rows->stmt);
    if (rows->feat)
        gdal.OGR_F_Destroy(rows->feat);
    if (rows->layer)
        gdal.GDALDatasetReleaseResultSet(rows->ds->ds, rows->layer);
    cmr__free(rows->wkb);
    cmr__free(rows);
}

char *cmr__sql_quote(const char *s)
{
    size_t n = 3;
    for (const char *p = s; *p; p++)
        n += *p == '\'' ? 2 : 1;
    char *q = cmr__malloc(n);
    if (!q)
        return NULL;
    char *o = q;
    *o++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            *o++ = '\'';
        *o++ = *p;
    }
    *o++ = '\'';
    *o = '\0';
    return q;
}
