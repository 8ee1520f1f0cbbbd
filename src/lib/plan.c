/* SPDX-License-Identifier: MIT */
/* Extension requests: the published facts of a request (State, meeting,
 * submission, deadline asked, with source) and its work plan (milestones by
 * year, method and province; cost and funding secured by year), read from
 * a JSON file (jansson) or a CSV file (through OGR). Importing a request
 * replaces the store's request of the same State and meeting. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hash.h"
#include "plan.h"
#include "source.h"
#include "store_int.h"

struct milestone {
    int year;
    char method[16], province[16];
    double area;
    int64_t item;   /* its place in the file, for a reject */
    char layer[64]; /* "milestones" (JSON) or the CSV's layer */
};

struct cost {
    int year;
    double cost, funding;
};

struct cmr__plan {
    const char *file;
    char sha256[65];
    char country[4], meeting[64], submitted[16], requested[16];
    bool long_meeting; /* a meeting named in 64 characters or more */
    char *source_url, *quote, *note;
    bool synthetic;
    double stated[4]; /* baseline, added, cleared, remaining; NaN: none */
    char layer[64];   /* the part being read, named in rejects */
    struct milestone *m;
    size_t nm, capm;
    struct cost *c;
    size_t nc, capc;
};

void cmr__plan_free(struct cmr__plan *p)
{
    if (!p)
        return;
    cmr__free(p->source_url);
    cmr__free(p->quote);
    cmr__free(p->note);
    cmr__free(p->m);
    cmr__free(p->c);
    cmr__free(p);
}

/* A date as published: YYYY-MM-DD, YYYY-MM or YYYY. */
static bool partial_date(const char *s)
{
    struct cmr__date d;
    return cmr__date_parse_published(s, &d);
}

static enum cmr_status bad(struct cmr_ctx *ctx, struct cmr_import_report *rep,
                           const char *file, const char *layer, int64_t item,
                           const char *field, const char *why)
{
    return cmr__import_reject(ctx, rep, CMR_KIND_PLAN, file, layer, item, "",
                              field, "%s", why);
}

/* Checks and adds one milestone; a bad one is a reject. */
static enum cmr_status add_milestone(struct cmr_ctx *ctx,
                                     struct cmr_import_report *rep,
                                     struct cmr__plan *p, int64_t item,
                                     int year, const char *method,
                                     const char *province, double area)
{
    rep->counts[CMR_KIND_PLAN].read++;
    if (year < 1990 || year > 2100)
        return bad(ctx, rep, p->file, p->layer, item, "year", "not a year");
    if (!method || (strcmp(method, "cleared") && strcmp(method, "reduced") &&
                    strcmp(method, "cancelled") && strcmp(method, "any")))
        return bad(ctx, rep, p->file, p->layer, item, "method",
                   "method must be cleared, reduced, cancelled or any");
    if (!isfinite(area) || area < 0)
        return bad(ctx, rep, p->file, p->layer, item, "area_m2",
                   "area must be a number >= 0");
    if (!cmr__reserve((void **)&p->m, &p->capm, p->nm + 1, sizeof *p->m))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    struct milestone *m = &p->m[p->nm++];
    m->year = year;
    snprintf(m->method, sizeof m->method, "%s", method);
    snprintf(m->province, sizeof m->province, "%s", province ? province : "");
    m->area = area;
    m->item = item;
    snprintf(m->layer, sizeof m->layer, "%s", p->layer);
    rep->counts[CMR_KIND_PLAN].imported++;
    return CMR_OK;
}

static enum cmr_status add_cost(struct cmr_ctx *ctx,
                                struct cmr_import_report *rep,
                                struct cmr__plan *p, int64_t item, int year,
                                double cost, double funding)
{
    rep->counts[CMR_KIND_PLAN].read++;
    if (year < 1990 || year > 2100)
        return bad(ctx, rep, p->file, p->layer, item, "year", "not a year");
    if (!(cost >= 0) || isinf(cost))
        return bad(ctx, rep, p->file, p->layer, item, "cost_usd",
                   "cost must be a number >= 0");
    if (!(funding >= 0) || isinf(funding))
        return bad(ctx, rep, p->file, p->layer, item, "funding_secured_usd",
                   "funding must be a number >= 0");
    if (!cmr__reserve((void **)&p->c, &p->capc, p->nc + 1, sizeof *p->c))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    p->c[p->nc++] = (struct cost){year, cost, funding};
    rep->counts[CMR_KIND_PLAN].imported++;
    return CMR_OK;
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static double jnum(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static enum cmr_status read_json(struct cmr_ctx *ctx, struct cmr__plan *p,
                                 struct cmr_import_report *rep)
{
    json_error_t err;
    json_t *root = json_load_file(p->file, 0, &err);
    if (!root)
        return cmr__error(ctx, CMR_EFORMAT, "%s: line %d: %s", p->file,
                          err.line, err.text);
    enum cmr_status st = CMR_OK;
    const char *c = jstr(root, "country"), *meeting = jstr(root, "meeting"),
               *sub = jstr(root, "submitted"),
               *req = jstr(root, "requested_deadline");
    snprintf(p->country, sizeof p->country, "%s", c ? c : "");
    snprintf(p->meeting, sizeof p->meeting, "%s", meeting ? meeting : "");
    p->long_meeting |= meeting && strlen(meeting) >= sizeof p->meeting;
    snprintf(p->submitted, sizeof p->submitted, "%s", sub ? sub : "");
    snprintf(p->requested, sizeof p->requested, "%s", req ? req : "");
    p->source_url = cmr__strdup(jstr(root, "source_url"));
    p->quote = cmr__strdup(jstr(root, "quote"));
    p->note = cmr__strdup(jstr(root, "note"));
    p->synthetic = json_is_true(json_object_get(root, "synthetic_milestones"));
    json_t *stated = json_object_get(root, "stated");
    static const char *const sk[4] = {"baseline_m2", "added_m2", "cleared_m2",
                                      "remaining_m2"};
    for (int k = 0; k < 4; k++)
        p->stated[k] = json_is_object(stated) ? jnum(stated, sk[k]) : NAN;
    json_t *ms = json_object_get(root, "milestones"),
           *cs = json_object_get(root, "costs");
    if ((ms && !json_is_array(ms)) || (cs && !json_is_array(cs))) {
        st = cmr__error(ctx, CMR_EFORMAT,
                        "%s: \"milestones\" and \"costs\" must be arrays",
                        p->file);
        goto done;
    }
    size_t i;
    json_t *v;
    snprintf(p->layer, sizeof p->layer, "milestones");
    json_array_foreach(ms, i, v)
    {
        if (!json_is_object(v)) {
            rep->counts[CMR_KIND_PLAN].read++;
            st = bad(ctx, rep, p->file, p->layer, (int64_t)i + 1, "milestones",
                     "a milestone must be an object");
        } else {
            double y = jnum(v, "year");
            st = add_milestone(ctx, rep, p, (int64_t)i + 1,
                               isnan(y) ? 0 : (int)y, jstr(v, "method"),
                               jstr(v, "province"), jnum(v, "area_m2"));
        }
        if (st)
            goto done;
    }
    snprintf(p->layer, sizeof p->layer, "costs");
    json_array_foreach(cs, i, v)
    {
        if (!json_is_object(v)) {
            rep->counts[CMR_KIND_PLAN].read++;
            st = bad(ctx, rep, p->file, p->layer, (int64_t)i + 1, "costs",
                     "a cost must be an object");
        } else {
            double y = jnum(v, "year"), f = jnum(v, "funding_secured_usd");
            st = add_cost(ctx, rep, p, (int64_t)i + 1, isnan(y) ? 0 : (int)y,
                          jnum(v, "cost_usd"), isnan(f) ? 0 : f);
        }
        if (st)
            goto done;
    }
done:
    json_decref(root);
    return st;
}

/* Whether two values of a request's fact in a CSV plan agree: dates as
 * published (2024-08 is 2024-08-01), the State's code in any case, the
 * meeting as written. */
static bool same_fact(int k, const char *a, const char *b)
{
    struct cmr__date da, db;
    if ((k == 2 || k == 3) && cmr__date_parse_published(a, &da) &&
        cmr__date_parse_published(b, &db))
        return cmr__date_cmp(da, db) == 0;
    return k == 0 ? cmr__streq_ci(a, b) : strcmp(a, b) == 0;
}

/* The request's facts of a CSV row (columns 0-3: country, meeting,
 * submitted, requested_deadline): an empty cell says nothing, the first
 * value given is kept, and a later one that differs is a conflict. Returns
 * the column of the first conflict, or -1 (after keeping the row's new
 * facts). */
static int facts_conflict(struct cmr__plan *p, const char *const v[10])
{
    char *const fact[4] = {p->country, p->meeting, p->submitted, p->requested};
    const size_t size[4] = {sizeof p->country, sizeof p->meeting,
                            sizeof p->submitted, sizeof p->requested};
    for (int k = 0; k < 4; k++)
        if (v[k] && *v[k] && fact[k][0] && !same_fact(k, fact[k], v[k]))
            return k;
    for (int k = 0; k < 4; k++)
        if (v[k] && *v[k] && !fact[k][0])
            snprintf(fact[k], size[k], "%s", v[k]);
    /* (kept whole or refused: a cut copy would differ from every later
     * row's) */
    p->long_meeting |= v[1] && strlen(v[1]) >= sizeof p->meeting;
    return -1;
}

/* A CSV row whose request facts conflict with an earlier row's: rejected
 * whole, naming the field; each of its items (a milestone, a cost) counts
 * as read and rejected, under one message. */
static enum cmr_status conflicting_row(struct cmr_ctx *ctx,
                                       struct cmr_import_report *rep,
                                       const struct cmr__plan *p, int64_t row,
                                       const char *const v[10], int k)
{
    static const char *const col[4] = {"country", "meeting", "submitted",
                                       "requested_deadline"};
    const char *const kept[4] = {p->country, p->meeting, p->submitted,
                                 p->requested};
    int64_t items = (v[7] && *v[7]) + (v[8] && *v[8]);
    if (items == 0)
        items = 1;
    rep->counts[CMR_KIND_PLAN].read += items;
    char why[256];
    snprintf(why, sizeof why,
             "'%s' differs from '%s' given by an earlier row: one file is "
             "one request",
             v[k], kept[k]);
    enum cmr_status st = bad(ctx, rep, p->file, p->layer, row, col[k], why);
    rep->counts[CMR_KIND_PLAN].rejected += items - 1;
    return st;
}

/* A CSV cell's number; NaN (a reject) when it is not one. */
static double number(const char *s)
{
    double v;
    return cmr__parse_decimal(s, &v) ? v : NAN;
}

/* CSV: one row per milestone or cost year, with the request's facts
 * repeated: country,meeting,submitted,requested_deadline,year,method,
 * province,area_m2,cost_usd,funding_secured_usd (read through OGR). */
static enum cmr_status read_csv(struct cmr_ctx *ctx, struct cmr__plan *p,
                                struct cmr_import_report *rep)
{
    struct cmr__src *src = NULL;
    enum cmr_status st = cmr__src_open(ctx, p->file, NULL, &src);
    if (st)
        return st;
    static const char *const cols[] = {"country",   "meeting",
                                       "submitted", "requested_deadline",
                                       "year",      "method",
                                       "province",  "area_m2",
                                       "cost_usd",  "funding_secured_usd"};
    int idx[10];
    for (int k = 0; k < 10; k++) {
        idx[k] = -1;
        for (int i = 0; i < cmr__src_field_count(src); i++)
            if (cmr__streq_ci(cmr__src_field_name(src, i), cols[k]))
                idx[k] = i;
    }
    if (idx[0] < 0 || idx[4] < 0) {
        cmr__src_close(src);
        return cmr__error(ctx, CMR_EFORMAT,
                          "%s: a plan CSV needs the columns country and year "
                          "(see README, \"Extension requests\")",
                          p->file);
    }
    snprintf(p->layer, sizeof p->layer, "%s", cmr__src_layer_name(src));
    int64_t row = 0;
    for (;;) {
        bool more = false;
        if ((st = cmr__src_next(ctx, src, &more)) || !more)
            break;
        row++;
        const char *v[10];
        for (int k = 0; k < 10; k++)
            v[k] = idx[k] >= 0 ? cmr__src_field(src, idx[k]) : NULL;
        /* numbers as written: atof would read "1,000" as 1 and "12 ha"
         * as 12 */
        double yv = 0;
        int year = v[4] && cmr__parse_decimal(v[4], &yv) && yv == floor(yv) &&
                           fabs(yv) < 1e6
                       ? (int)yv
                       : 0;
        int conflict = facts_conflict(p, v);
        if (conflict >= 0) {
            st = conflicting_row(ctx, rep, p, row, v, conflict);
            if (st)
                break;
            continue;
        }
        if (v[7] && *v[7])
            st = add_milestone(ctx, rep, p, row, year, v[5] ? v[5] : "any",
                               v[6], number(v[7]));
        if (!st && v[8] && *v[8])
            st = add_cost(ctx, rep, p, row, year, number(v[8]),
                          v[9] && *v[9] ? number(v[9]) : 0);
        if (st)
            break;
    }
    cmr__src_close(src);
    for (int k = 0; k < 4; k++)
        p->stated[k] = NAN;
    return st;
}

/* A milestone's province must be one of the State's provinces in the
 * store's boundaries; one that is not is a reject (without boundaries for
 * the State nothing can be checked, and the codes are kept as given). */
static enum cmr_status check_provinces(struct cmr_ctx *ctx,
                                       const struct cmr_store *store,
                                       struct cmr__plan *p,
                                       struct cmr_import_report *rep)
{
    bool any = false;
    for (size_t i = 0; i < p->nm; i++)
        any |= p->m[i].province[0] != '\0';
    if (!any)
        return CMR_OK;
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT code FROM admin_area WHERE country = '%s' AND code IS "
             "NOT NULL",
             p->country); /* a State the store knows: three letters */
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query(ctx, store->ds, sql, &rows);
    if (st)
        return st;
    char **codes = NULL;
    size_t ncodes = 0, cap = 0;
    while (!st && cmr__rows_next(rows)) {
        char *c = cmr__strdup(cmr__rows_text(rows, 0));
        if (!c ||
            !cmr__reserve((void **)&codes, &cap, ncodes + 1, sizeof *codes)) {
            cmr__free(c);
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        codes[ncodes++] = c;
    }
    cmr__rows_close(rows);
    size_t kept = 0;
    for (size_t i = 0; i < p->nm && !st; i++) {
        struct milestone *m = &p->m[i];
        bool ok = !m->province[0] || ncodes == 0;
        for (size_t k = 0; k < ncodes && !ok; k++)
            ok = strcmp(codes[k], m->province) == 0;
        if (ok) {
            p->m[kept++] = *m;
            continue;
        }
        char why[128];
        snprintf(why, sizeof why,
                 "'%s' is not a province of %s in the store's boundaries",
                 m->province, p->country);
        rep->counts[CMR_KIND_PLAN].imported--;
        st = cmr__import_reject(ctx, rep, CMR_KIND_PLAN, p->file, m->layer,
                                m->item, "", "province", "%s", why);
    }
    if (!st)
        p->nm = kept;
    for (size_t k = 0; k < ncodes; k++)
        cmr__free(codes[k]);
    cmr__free(codes);
    return st;
}

enum cmr_status cmr__plan_read(struct cmr_ctx *ctx, const char *file,
                               const struct cmr_store *store,
                               struct cmr_import_report *rep,
                               struct cmr__plan **out)
{
    *out = NULL;
    struct cmr__plan *p = cmr__calloc(1, sizeof *p);
    if (!p)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    p->file = file;
    FILE *probe = fopen(file, "rb");
    if (!probe) {
        enum cmr_status e =
            cmr__error(ctx, CMR_EIO, "--plan: %s: %s", file, strerror(errno));
        cmr__plan_free(p);
        return e;
    }
    fclose(probe);
    size_t n = strlen(file);
    bool json = n > 5 && cmr__streq_ci(file + n - 5, ".json");
    enum cmr_status st = json ? read_json(ctx, p, rep) : read_csv(ctx, p, rep);
    for (char *c = p->country; !st && *c; c++)
        *c = (char)toupper((unsigned char)*c);
    if (!st && !cmr__store_find_country(store, p->country))
        st = cmr__error(ctx, CMR_EFORMAT,
                        "%s: country '%s' is not a State the store knows", file,
                        p->country);
    if (!st)
        st = check_provinces(ctx, store, p, rep);
    if (!st && !p->meeting[0])
        st = cmr__error(ctx, CMR_EFORMAT,
                        "%s: the request names no meeting (e.g. 13MSP)", file);
    if (!st && p->long_meeting)
        st = cmr__error(ctx, CMR_EFORMAT,
                        "%s: the meeting's name has %zu characters or more: "
                        "give its short name (e.g. 2RC, 13MSP)",
                        file, sizeof p->meeting);
    if (!st && p->submitted[0] && !partial_date(p->submitted))
        st = cmr__error(ctx, CMR_EFORMAT,
                        "%s: submitted '%s' is not a date (YYYY-MM-DD, "
                        "YYYY-MM or YYYY)",
                        file, p->submitted);
    /* A deadline asked to the month (as deadlines.csv has some) means its
     * first day, and is kept as that day. */
    struct cmr__date d;
    if (!st && p->requested[0] &&
        ((strlen(p->requested) != 10 && strlen(p->requested) != 7) ||
         !cmr__date_parse_published(p->requested, &d)))
        st = cmr__error(ctx, CMR_EFORMAT,
                        "%s: requested_deadline '%s' is not a date "
                        "(YYYY-MM-DD, or YYYY-MM for its first day)",
                        file, p->requested);
    else if (!st && p->requested[0])
        cmr__date_format(d, p->requested);
    if (!st && !cmr__sha256_path(file, p->sha256))
        p->sha256[0] = '\0';
    if (st) {
        cmr__error_prefix(ctx, st, "--plan");
        cmr__plan_free(p);
        return st;
    }
    *out = p;
    return CMR_OK;
}

static const char *num_or_null(char *buf, size_t n, double v)
{
    if (isnan(v))
        return NULL;
    snprintf(buf, n, "%.17g", v);
    return buf;
}

enum cmr_status cmr__plan_write(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                const struct cmr_import_opts *o,
                                struct cmr_import_report *rep,
                                const struct cmr__plan *p, int64_t run,
                                const char *now)
{
    char id[80];
    snprintf(id, sizeof id, "%s-%s", p->country, p->meeting);
    char *qid = cmr__sql_quote(id);
    if (!qid)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    enum cmr_status st = CMR_OK;
    static const char *const tables[] = {"extension_request", "plan_year",
                                         "plan_cost"};
    for (int t = 0; t < 3 && !st; t++) {
        char *sql =
            cmr__sprintf("DELETE FROM %s WHERE request = %s", tables[t], qid);
        st = sql ? cmr__ds_exec(ctx, ds, sql)
                 : cmr__error(ctx, CMR_ENOMEM, "out of memory");
        cmr__free(sql);
    }
    cmr__free(qid);
    static const char *const rn[] = {"request",
                                     "country",
                                     "meeting",
                                     "submitted",
                                     "requested",
                                     "synthetic",
                                     "source_url",
                                     "quote",
                                     "stated_baseline_m2",
                                     "stated_added_m2",
                                     "stated_cleared_m2",
                                     "stated_remaining_m2",
                                     "note",
                                     "file"};
    char b[4][32];
    const char *rv[] = {id,
                        p->country,
                        p->meeting,
                        p->submitted[0] ? p->submitted : NULL,
                        p->requested[0] ? p->requested : NULL,
                        p->synthetic ? "1" : "0",
                        p->source_url,
                        p->quote,
                        num_or_null(b[0], 32, p->stated[0]),
                        num_or_null(b[1], 32, p->stated[1]),
                        num_or_null(b[2], 32, p->stated[2]),
                        num_or_null(b[3], 32, p->stated[3]),
                        p->note,
                        p->file};
    if (!st)
        st = cmr__ds_insert(ctx, ds, "extension_request", rn, rv, 14, NULL, 0,
                            NULL);
    static const char *const mn[] = {"request", "year", "method", "province",
                                     "area_m2"};
    for (size_t i = 0; i < p->nm && !st; i++) {
        char y[16], a[32];
        snprintf(y, sizeof y, "%d", p->m[i].year);
        snprintf(a, sizeof a, "%.17g", p->m[i].area);
        const char *mv[] = {id, y, p->m[i].method,
                            p->m[i].province[0] ? p->m[i].province : NULL, a};
        st = cmr__ds_insert(ctx, ds, "plan_year", mn, mv, 5, NULL, 0, NULL);
    }
    static const char *const cn[] = {"request", "year", "cost_usd",
                                     "funding_usd"};
    for (size_t i = 0; i < p->nc && !st; i++) {
        char y[16], c1[32], c2[32];
        snprintf(y, sizeof y, "%d", p->c[i].year);
        snprintf(c1, sizeof c1, "%.17g", p->c[i].cost);
        snprintf(c2, sizeof c2, "%.17g", p->c[i].funding);
        const char *cv[] = {id, y, c1, c2};
        st = cmr__ds_insert(ctx, ds, "plan_cost", cn, cv, 4, NULL, 0, NULL);
    }
    if (!st)
        st = cmr__import_write_run(ctx, ds, o, rep, CMR_KIND_PLAN, p->file, "",
                                   p->sha256, run, now);
    return st;
}
