/* SPDX-License-Identifier: MIT */
/* Import presets. The built-in `imsma-ng` maps the usual IMSMA NG GIS export
 * of hazards and land-release activities; a JSON file adds to or overrides a
 * built-in preset. The only file of the library that uses jansson for
 * presets. */
#include <string.h>

#include <jansson.h>

#include "preset.h"

struct map_row {
    const char *spec;   /* KIND.FIELD or FIELD */
    const char *column; /* source column; alternatives separated by '|' */
};
struct value_row {
    const char *spec, *from, *to;
};

/* IMSMA NG's GIS export of hazards ("Hazard" / "Land") and of completed
 * land-release activities. Column names are those of the export's
 * attribute table; the second alternative is what a shapefile round trip
 * leaves (10 characters). Adjust with a preset file where a national
 * database's export differs. */
static const struct map_row imsma_ng_map[] = {
    {"hazards.id", "hazard_localid|hazard_loc|localid"},
    {"hazards.class", "hazardtype|hazard_type|hazard_typ"},
    {"hazards.recorded", "dateofrecord|date_of_record|dateofreco|date_of_re"},
    {"hazards.closed", "statuschangeddate|status_changed_date|statuschan|"
                       "status_cha"},
    {"hazards.status", "status|hazard_status|hazard_sta"},
    {"hazards.contamination",
     "typeofcontamination|type_of_contamination|typeofcont|type_of_co"},
    {"hazards.marked", "marked|is_marked"},
    {"releases.id", "activity_localid|activity_l|localid"},
    {"releases.method", "activitytype|activity_type|activityty|activity_t"},
    {"releases.completed", "enddate|end_date|completiondate|completion"},
    {"releases.hazard_id", "hazard_localid|hazard_loc"},
    {"releases.submunitions", "submunitionsdestroyed|submunitio|submunitions"},
    {"reported_area_m2", "Areasize|area_size"},
    {"country", "country|iso3"},
};

static const struct value_row imsma_ng_values[] = {
    {"releases.method", "NonTechSurvey", "cancelled"},
    {"releases.method", "Non-Technical Survey", "cancelled"},
    {"releases.method", "TechnicalSurvey", "reduced"},
    {"releases.method", "Technical Survey", "reduced"},
    {"releases.method", "CompletionReport", "cleared"},
    {"releases.method", "Clearance", "cleared"},
    {"hazards.status", "Active", "open"},
    {"hazards.status", "Expired", "closed"},
    {"hazards.class", "Suspected Hazardous Area", "SHA"},
    {"hazards.class", "Confirmed Hazardous Area", "CHA"},
    {"hazards.contamination", "Cluster Munition", "CMR"},
    {"hazards.contamination", "Cluster Munitions", "CMR"},
    {"hazards.contamination", "Submunition", "CMR"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
/* imsma-ng's closed is IMSMA's statuschangeddate */
#define IMSMA_STATUS_DATE "hazards.closed"

bool cmr__parse_kind_field(const char *spec, enum cmr_kind *kind,
                           const char **field)
{
    const char *dot = strchr(spec, '.');
    *kind = CMR_KIND_ANY;
    *field = spec;
    if (!dot)
        return true;
    size_t n = (size_t)(dot - spec);
    if (n == 7 && strncmp(spec, "hazards", 7) == 0)
        *kind = CMR_KIND_HAZARD;
    else if (n == 8 && strncmp(spec, "releases", 8) == 0)
        *kind = CMR_KIND_RELEASE;
    else
        return false;
    *field = dot + 1;
    return true;
}

/* Adds a built-in preset's mappings; status_date names the field mapped
 * to a status date, if any. */
static enum cmr_status apply_builtin(struct cmr_ctx *ctx,
                                     struct cmr_import_opts *opts,
                                     const struct map_row *maps, size_t nm,
                                     const struct value_row *values, size_t nv,
                                     const char *status_date)
{
    enum cmr_status st = CMR_OK;
    for (size_t i = 0; i < nm && !st; i++) {
        enum cmr_kind k;
        const char *f;
        cmr__parse_kind_field(maps[i].spec, &k, &f);
        st = cmr__import_opts_add_map(ctx, opts, k, f, maps[i].column, true);
        /* (IMSMA's statuschangeddate: see cmr__import_opts_status_date) */
        if (!st && status_date && strcmp(maps[i].spec, status_date) == 0)
            cmr__import_opts_status_date(opts);
    }
    for (size_t i = 0; i < nv && !st; i++) {
        enum cmr_kind k;
        const char *f;
        cmr__parse_kind_field(values[i].spec, &k, &f);
        st = cmr__import_opts_add_value(ctx, opts, k, f, values[i].from,
                                        values[i].to, true);
    }
    return st;
}

static bool is_builtin(const char *name)
{
    return strcmp(name, "imsma-ng") == 0;
}

/* A preset file:
 *   {"extends": "imsma-ng",
 *    "map":   {"hazards.id": "HAZ_ID", "reported_area_m2": "AREA"},
 *    "value": {"releases.method": {"NTS": "cancelled"}}}
 * Its entries are applied after the preset it extends, so they win. */
static enum cmr_status
apply_file(struct cmr_ctx *ctx, struct cmr_import_opts *opts, const char *path)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root)
        return cmr__error(ctx, CMR_EFORMAT, "preset %s: line %d: %s", path,
                          err.line, err.text);
    enum cmr_status st = CMR_OK;
    if (!json_is_object(root)) {
        st = cmr__error(ctx, CMR_EFORMAT, "preset %s: not a JSON object", path);
        goto done;
    }
    json_t *ext = json_object_get(root, "extends");
    if (ext) {
        if (!json_is_string(ext) || !is_builtin(json_string_value(ext))) {
            st = cmr__error(ctx, CMR_EFORMAT,
                            "preset %s: \"extends\" must name a built-in "
                            "preset (imsma-ng)",
                            path);
            goto done;
        }
        st = apply_builtin(ctx, opts, imsma_ng_map, N(imsma_ng_map),
                           imsma_ng_values, N(imsma_ng_values),
                           IMSMA_STATUS_DATE);
        if (st)
            goto done;
    }
    const char *key;
    json_t *val;
    json_t *map = json_object_get(root, "map");
    if (map && !json_is_object(map)) {
        st = cmr__error(ctx, CMR_EFORMAT,
                        "preset %s: \"map\" must be an "
                        "object",
                        path);
        goto done;
    }
    json_object_foreach(map, key, val)
    {
        enum cmr_kind k;
        const char *f;
        if (!json_is_string(val) || !cmr__parse_kind_field(key, &k, &f)) {
            st = cmr__error(ctx, CMR_EFORMAT,
                            "preset %s: map entry \"%s\" must be "
                            "\"[hazards.|releases.]FIELD\": \"COLUMN\"",
                            path, key);
            goto done;
        }
        if ((st = cmr__import_opts_add_map(ctx, opts, k, f,
                                           json_string_value(val), true))) {
            cmr__error_prefix(ctx, st, "preset %s: map entry \"%s\"", path,
                              key);
            goto done;
        }
        /* a file that extends imsma-ng and spells IMSMA's status date
         * otherwise keeps it a status date */
        if (ext && k != CMR_KIND_RELEASE && strcmp(f, "closed") == 0)
            cmr__import_opts_status_date(opts);
    }
    json_t *values = json_object_get(root, "value");
    if (values && !json_is_object(values)) {
        st = cmr__error(ctx, CMR_EFORMAT,
                        "preset %s: \"value\" must be an "
                        "object",
                        path);
        goto done;
    }
    json_object_foreach(values, key, val)
    {
        enum cmr_kind k;
        const char *f;
        if (!json_is_object(val) || !cmr__parse_kind_field(key, &k, &f)) {
            st = cmr__error(ctx, CMR_EFORMAT,
                            "preset %s: value entry \"%s\" must map "
                            "\"[KIND.]FIELD\" to {\"SOURCE\": \"CANONICAL\"}",
                            path, key);
            goto done;
        }
        const char *from;
        json_t *to;
        json_object_foreach(val, from, to)
        {
            if (!json_is_string(to)) {
                st = cmr__error(ctx, CMR_EFORMAT,
                                "preset %s: value \"%s\" of \"%s\" must map "
                                "to a string",
                                path, from, key);
                goto done;
            }
            if ((st = cmr__import_opts_add_value(
                     ctx, opts, k, f, from, json_string_value(to), true))) {
                cmr__error_prefix(ctx, st, "preset %s: value entry \"%s\"",
                                  path, key);
                goto done;
            }
        }
    }
done:
    json_decref(root);
    return st;
}

enum cmr_status cmr__preset_apply(struct cmr_ctx *ctx,
                                  struct cmr_import_opts *opts,
                                  const char *name_or_path)
{
    if (is_builtin(name_or_path))
        return apply_builtin(ctx, opts, imsma_ng_map, N(imsma_ng_map),
                             imsma_ng_values, N(imsma_ng_values),
                             IMSMA_STATUS_DATE);
    if (!strchr(name_or_path, '/') && !strchr(name_or_path, '.'))
        return cmr__error(ctx, CMR_EINVAL,
                          "unknown preset '%s' (built in: imsma-ng; or the "
                          "path of a JSON preset file)",
                          name_or_path);
    return apply_file(ctx, opts, name_or_path);
}
