/* SPDX-License-Identifier: MIT */
/* The evaluation of extension requests on the worked example of
 * tests/data/ledger-example (Lao PDR; best year 2019, 2,330,865 m2
 * cleared; 4,078,855 m2 remaining at the end of 2024): a plausible plan
 * passes, an implausible one is flagged with the numbers it rests on. */
#include <math.h>

#include "test_support.h"

#define LEDGER CMR_TEST_LEDGER "/"

/* A new store with the worked example's hazards and releases, each when
 * asked, and the plan plan_json. */
static const char *store_with(struct cmr_ctx *ctx, const char *name,
                              const char *plan_json, bool hazards,
                              bool releases)
{
    const char *db = scratch_path(name);
    remove(db);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_create(ctx, db, &s));
    cmr_store_close(s);
    char pf[4096];
    snprintf(pf, sizeof pf, "%s.json", db);
    FILE *f = fopen(pf, "w");
    assert_non_null(f);
    fputs(plan_json, f);
    fclose(f);
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    if (hazards)
        assert_status_ok(ctx, cmr_import_opts_source(ctx, o, CMR_KIND_HAZARD,
                                                     LEDGER "hazards.geojson",
                                                     NULL));
    if (releases)
        assert_status_ok(ctx, cmr_import_opts_source(ctx, o, CMR_KIND_RELEASE,
                                                     LEDGER "releases.geojson",
                                                     NULL));
    assert_status_ok(ctx,
                     cmr_import_opts_source(ctx, o, CMR_KIND_PLAN, pf, NULL));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    assert_int_equal(cmr_import_report_reject_count(rep), 0);
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
    static char out[4096];
    snprintf(out, sizeof out, "%s", db);
    return out;
}

static const char *store_with_plan(struct cmr_ctx *ctx, const char *name,
                                   const char *plan_json)
{
    return store_with(ctx, name, plan_json, true, true);
}

static struct cmr_evaluation *evaluate(struct cmr_ctx *ctx, const char *db)
{
    struct cmr_store *s = NULL;
    struct cmr_evaluation *e = NULL;
    struct cmr_forecast_opts fo = {.country = "LAO",
                                   .at = "2024-12-31",
                                   .method = CMR_FORECAST_TRAILING,
                                   .window = 6};
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    assert_status_ok(ctx, cmr_evaluate(ctx, s, &fo, &e));
    cmr_store_close(s);
    return e;
}

static const struct cmr_eval_conclusion *
topic(const struct cmr_evaluation *e, const char *t, const char *verdict)
{
    for (size_t i = 0; i < e->nconclusions; i++)
        if (strcmp(e->conclusions[i].topic, t) == 0 &&
            (!verdict || strcmp(e->conclusions[i].verdict, verdict) == 0))
            return &e->conclusions[i];
    return NULL;
}

/* Whether a conclusion's text holds fragment. */
static bool says(const struct cmr_evaluation *e, const char *fragment)
{
    for (size_t i = 0; i < e->nconclusions; i++)
        if (strstr(e->conclusions[i].text, fragment))
            return true;
    return false;
}

static void plausible_plan_passes(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store_with_plan(
        ctx, "good.gpkg",
        "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
        "\"requested_deadline\": \"2027-08-01\", "
        "\"stated\": {\"remaining_m2\": 4100000},"
        "\"milestones\": [{\"year\": 2025, \"method\": \"cleared\", "
        "\"area_m2\": 2000000}, {\"year\": 2026, \"method\": \"cleared\", "
        "\"area_m2\": 2078855}],"
        "\"costs\": [{\"year\": 2025, \"cost_usd\": 100, "
        "\"funding_secured_usd\": 100}, {\"year\": 2026, \"cost_usd\": 100, "
        "\"funding_secured_usd\": 100}]}");
    struct cmr_evaluation *e = evaluate(ctx, db);
    assert_near(e->remaining_m2, 4078827.06, 0.01);
    assert_near(e->planned_total_m2, 4078855, 0);
    assert_near(e->best_m2_per_year, 2330861.34, 0.01);
    assert_int_equal(e->best_year, 2019);
    assert_non_null(topic(e, "coverage", "ok"));
    assert_non_null(topic(e, "pace", "ok"));
    assert_null(topic(e, "pace", "flag"));
    assert_non_null(topic(e, "funding", "ok"));
    /* Trailing mean of 2019-2024: (2330861.34 + 582724.56 + 1165362.26)/6
     * = 679824.69 a year; 4078827.06 / that = 6.0 years: P50 end 2030, so
     * a deadline asked for 2027 is shorter than the projection. */
    const struct cmr_eval_conclusion *p = topic(e, "period", "flag");
    assert_non_null(p);
    assert_non_null(strstr(p->text, "shorter than the projection"));
    /* The stated remaining area is within 5% of the ledger's. */
    assert_non_null(topic(e, "art4.6", "ok"));
    /* the worked example has no land found again, and says so */
    assert_near(e->added_again_m2, 0, 0);
    const struct cmr_eval_conclusion *info = topic(e, "art4.6", "info");
    assert_non_null(info);
    assert_non_null(strstr(info->text, "land found again after release or "
                                       "closure 0 m2"));
    assert_int_equal(e->nyears, 2);
    assert_false(e->years[0].exceeds);
    assert_near(e->years[1].vs_best, 2078855 / 2330861.34, 1e-9);
    cmr_evaluation_free(e);
}

static void implausible_plan_is_flagged(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store_with_plan(
        ctx, "bad.gpkg",
        "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
        "\"requested_deadline\": \"2026-08-01\", "
        "\"stated\": {\"remaining_m2\": 2000000},"
        "\"milestones\": [{\"year\": 2025, \"method\": \"cleared\", "
        "\"area_m2\": 3600000}],"
        "\"costs\": [{\"year\": 2025, \"cost_usd\": 500, "
        "\"funding_secured_usd\": 200}]}");
    struct cmr_evaluation *e = evaluate(ctx, db);
    /* 3,600,000 > 1.5 x 2,330,865 = 3,496,298. */
    const struct cmr_eval_conclusion *p = topic(e, "pace", "flag");
    assert_non_null(p);
    assert_non_null(strstr(p->text, "2025: the plan asks 3,600,000 m2"));
    assert_non_null(strstr(p->text, "1.5 times the best year achieved (2019"));
    assert_true(e->years[0].exceeds);
    /* 3.6 of 4.08 km2 planned: 478,827 m2 left without a year. */
    p = topic(e, "coverage", "flag");
    assert_non_null(p);
    assert_non_null(strstr(p->text, "leave 478,827 m2"));
    p = topic(e, "funding", "flag");
    assert_non_null(strstr(p->text, "gap of USD 300"));
    assert_near(e->years[0].gap_usd, 300, 0);
    /* The request says 2,000,000 m2 remain; the ledger 4,078,827. */
    p = topic(e, "art4.6", "flag");
    assert_non_null(p);
    assert_non_null(strstr(p->text, "-2,078,827 m2"));
    cmr_evaluation_free(e);
}

/* Money secured beyond one year's cost does not fill another year's gap:
 * 2025 costs 100 with 1000 secured, 2026 costs 500 with nothing; the gap is
 * 500 (not 100 + 500 - 1000 = -400), and the surplus is flagged. */
static void a_surplus_year_does_not_hide_a_gap(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store_with_plan(
        ctx, "surplus.gpkg",
        "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
        "\"requested_deadline\": \"2030-08-01\", "
        "\"milestones\": [{\"year\": 2025, \"method\": \"cleared\", "
        "\"area_m2\": 1000}],"
        "\"costs\": [{\"year\": 2025, \"cost_usd\": 100, "
        "\"funding_secured_usd\": 1000}, {\"year\": 2026, \"cost_usd\": "
        "500, \"funding_secured_usd\": 0}]}");
    struct cmr_evaluation *e = evaluate(ctx, db);
    const struct cmr_eval_conclusion *p = topic(e, "funding", "flag");
    assert_non_null(p);
    assert_non_null(strstr(p->text, "costs USD 600, funding secured USD 1000: "
                                    "a gap of USD 500 (83% unfunded"));
    assert_near(e->years[0].gap_usd, 0, 0);
    assert_near(e->years[1].gap_usd, 500, 0);
    bool surplus = false;
    for (size_t i = 0; i < e->nconclusions; i++)
        if (strstr(e->conclusions[i].text, "exceeds the cost in 1 year(s) "
                                           "(first 2025) by USD 900"))
            surplus = true;
    assert_true(surplus);
    cmr_evaluation_free(e);
}

/* A year with costs but no area milestone after the date asked is not a
 * milestone after it (a review found "milestones in 2029" for a cost); an
 * area milestone after it is. */
static void a_cost_only_year_is_not_a_milestone(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store_with_plan(
        ctx, "costonly.gpkg",
        "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
        "\"requested_deadline\": \"2027-08-01\", "
        "\"milestones\": [{\"year\": 2025, \"method\": \"cleared\", "
        "\"area_m2\": 1000}],"
        "\"costs\": [{\"year\": 2029, \"cost_usd\": 100, "
        "\"funding_secured_usd\": 100}]}");
    struct cmr_evaluation *e = evaluate(ctx, db);
    assert_int_equal(e->nyears, 2);
    assert_true(e->years[0].has_milestone);
    assert_false(e->years[1].has_milestone);
    assert_false(says(e, "after the deadline asked"));
    cmr_evaluation_free(e);
    db = store_with_plan(
        ctx, "late.gpkg",
        "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
        "\"requested_deadline\": \"2027-08-01\", "
        "\"milestones\": [{\"year\": 2028, \"method\": \"cleared\", "
        "\"area_m2\": 1000}],"
        "\"costs\": [{\"year\": 2029, \"cost_usd\": 100, "
        "\"funding_secured_usd\": 100}]}");
    e = evaluate(ctx, db);
    assert_true(says(e, "the plan has milestones in 2028 (due by "
                        "2028-12-31), after the deadline asked (2027-08-01)"));
    cmr_evaluation_free(e);
}

/* A year's milestone is due by its end, 31 December (plans give
 * milestones by year): one in the year of the date asked is after that
 * date unless the date is 31 December (a review found a 2031 milestone
 * with 2031-03-01 asked not flagged, the years alone compared). */
static void a_milestone_is_due_by_the_end_of_its_year(void **state)
{
    struct cmr_ctx *ctx = *state;
    static const struct {
        const char *asked;
        bool late;
    } cases[] = {{"2031-03-01", true},
                 {"2031-03", true}, /* a month: its first day */
                 {"2031-12-30", true},
                 {"2031-12-31", false},
                 {"2032-01-01", false}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[512];
        snprintf(json, sizeof json,
                 "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
                 "\"requested_deadline\": \"%s\", \"milestones\": "
                 "[{\"year\": 2026, \"method\": \"cleared\", "
                 "\"area_m2\": 1000}, {\"year\": 2031, \"method\": "
                 "\"cleared\", \"area_m2\": 1000}]}",
                 cases[i].asked);
        const char *db = store_with_plan(ctx, "due.gpkg", json);
        struct cmr_evaluation *e = evaluate(ctx, db);
        char want[128];
        snprintf(want, sizeof want,
                 "the plan has milestones in 2031 (due by 2031-12-31), "
                 "after the deadline asked (%s)",
                 e->requested);
        if (cases[i].late != says(e, want))
            fail_msg("asked %s: flagged %d, expected %d", cases[i].asked,
                     says(e, "after the deadline asked"), cases[i].late);
        assert_int_equal(says(e, "after the deadline asked"), cases[i].late);
        cmr_evaluation_free(e);
    }
}

/* Without any release there is no best year and no ratio to it: the
 * milestones are said to have nothing to be measured against (a review
 * found "nan times the best year achieved (0: 0 m2)"), and a stated figure
 * against a ledger value of 0 gets no percentage (it said "+0.0%"). */
static void no_release_gives_no_ratio(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db =
        store_with(ctx, "norelease.gpkg",
                   "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
                   "\"requested_deadline\": \"2027-08-01\", "
                   "\"stated\": {\"cleared_m2\": 1000000},"
                   "\"milestones\": [{\"year\": 2025, \"method\": \"cleared\", "
                   "\"area_m2\": 1000}]}",
                   true, false);
    struct cmr_evaluation *e = evaluate(ctx, db);
    assert_int_equal(e->best_year, 0);
    assert_near(e->best_m2_per_year, 0, 0);
    assert_true(isnan(e->years[0].vs_best));
    const struct cmr_eval_conclusion *p = topic(e, "pace", "flag");
    assert_non_null(p);
    assert_non_null(strstr(p->text, "2025: the plan asks 1,000 m2 with no "
                                    "release achieved in any year"));
    assert_true(says(e, "the request states cleared 1,000,000 m2; the "
                        "ledger computes 0 m2 (difference 1,000,000 m2)"));
    for (size_t i = 0; i < e->nconclusions; i++) {
        assert_null(strstr(e->conclusions[i].text, "nan"));
        assert_null(strstr(e->conclusions[i].text, "(0: "));
        assert_null(strstr(e->conclusions[i].text, "+0.0%"));
    }
    cmr_evaluation_free(e);
}

/* Replaces db's deadlines with LAO's and one date asked at 15MSP, given as
 * asked (to the month: "2027-08", month). */
static void with_date_asked(struct cmr_ctx *ctx, const char *db,
                            const char *date, const char *precision)
{
    static const char *const src = ",https://example.org/x,q,test\n";
    char csv[1024];
    snprintf(csv, sizeof csv,
             "country,fact,date,precision,meeting,status,source_url,quote,"
             "note\n"
             "LAO,entry_into_force,2010-08-01,day,,%s"
             "LAO,deadline_original,2020-08-01,day,,%s"
             "LAO,request_asked,%s,%s,15MSP,pending%s",
             src, src, date, precision, src);
    const char *path = scratch_write("deadlines-asked.csv", csv);
    assert_non_null(path);
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    assert_status_ok(
        ctx, cmr_import_opts_source(ctx, o, CMR_KIND_DEADLINES, path, NULL));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    assert_int_equal(cmr_import_report_reject_count(rep), 0);
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
}

/* A date the deadlines data has to the month counts from its first day:
 * 2027-08 is 2027-08-01, not a different date asked (a review found
 * "asks for 2024-08-01 but the deadlines data records 2024-08"); a plan
 * may give its date asked to the month too, meaning its first day. */
static void a_date_asked_to_the_month_is_its_first_day(void **state)
{
    struct cmr_ctx *ctx = *state;
    static const char *const plans[] = {"2027-08-01", "2027-08"};
    for (int i = 0; i < 2; i++) {
        char json[512];
        snprintf(json, sizeof json,
                 "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
                 "\"requested_deadline\": \"%s\", \"milestones\": "
                 "[{\"year\": 2025, \"method\": \"cleared\", "
                 "\"area_m2\": 1000}]}",
                 plans[i]);
        const char *db = store_with_plan(ctx, "month.gpkg", json);
        with_date_asked(ctx, db, "2027-08", "month");
        struct cmr_evaluation *e = evaluate(ctx, db);
        assert_string_equal(e->requested, "2027-08-01");
        assert_string_equal(e->requested_in_deadlines, "2027-08");
        assert_null(topic(e, "deadlines", "flag"));
        const struct cmr_eval_conclusion *p = topic(e, "deadlines", "ok");
        assert_non_null(p);
        assert_non_null(strstr(p->text, "(2027-08, from its first day)"));
        cmr_evaluation_free(e);
    }
    /* another day of that month is another date */
    const char *db = store_with_plan(
        ctx, "month.gpkg",
        "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
        "\"requested_deadline\": \"2027-08-15\", \"milestones\": []}");
    with_date_asked(ctx, db, "2027-08", "month");
    struct cmr_evaluation *e = evaluate(ctx, db);
    assert_non_null(topic(e, "deadlines", "flag"));
    cmr_evaluation_free(e);
}

/* A milestone in a year already past cannot cover the area remaining at
 * the as-of date (a review found 150 km2 "covering" 143 km2 when 120 km2
 * of it were due in years already past). As of 2024-12-31, 2024's
 * 4,000,000 m2 is past; 2025's 100,000 m2 leaves 3,978,855 m2. */
static void past_milestones_do_not_cover_the_remaining_area(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store_with_plan(
        ctx, "pastcover.gpkg",
        "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
        "\"requested_deadline\": \"2027-08-01\", "
        "\"milestones\": [{\"year\": 2024, \"method\": \"cleared\", "
        "\"area_m2\": 4000000}, {\"year\": 2025, \"method\": "
        "\"cleared\", \"area_m2\": 100000}]}");
    struct cmr_evaluation *e = evaluate(ctx, db);
    assert_near(e->planned_total_m2, 4100000, 0);
    assert_near(e->planned_ahead_m2, 100000, 0);
    assert_null(topic(e, "coverage", "ok"));
    const struct cmr_eval_conclusion *p = topic(e, "coverage", "flag");
    assert_non_null(p);
    assert_non_null(strstr(p->text, "the milestones due after 2024-12-31 "
                                    "(100,000 m2; 4,100,000 m2 in all"));
    assert_non_null(strstr(p->text, "leave 3,978,827 m2"));
    cmr_evaluation_free(e);
}

/* The request evaluated has its own years already past compared with what
 * was achieved (a review found that only an earlier request's were): 2020
 * plans 1,000,000 m2 and 582,724.56 is released (shortfall 417,275.44);
 * 2021 plans 1,000,000 and 1,165,362.26 is released (cumulative
 * 251,913.18); 2025 is ahead. */
static void this_plans_past_years_are_compared(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store_with_plan(
        ctx, "pastnow.gpkg",
        "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
        "\"requested_deadline\": \"2027-08-01\", "
        "\"milestones\": [{\"year\": 2020, \"method\": \"cleared\", "
        "\"area_m2\": 1000000}, {\"year\": 2021, \"method\": "
        "\"cleared\", \"area_m2\": 1000000}, {\"year\": 2025, "
        "\"method\": \"cleared\", \"area_m2\": 2078855}]}");
    struct cmr_evaluation *e = evaluate(ctx, db);
    assert_int_equal(e->nyears, 3);
    assert_null(e->earlier_request);
    assert_near(e->years[0].achieved_m2, 582724.56, 0.01);
    assert_near(e->years[0].cumulative_shortfall_m2, 417275.44, 0.01);
    assert_near(e->years[1].cumulative_shortfall_m2, 251913.18, 0.01);
    assert_false(e->years[2].past);
    assert_true(isnan(e->years[2].achieved_m2));
    const struct cmr_eval_conclusion *p = topic(e, "past", "flag");
    assert_non_null(p);
    assert_non_null(strstr(p->text, "(2020 to 2021): 2,000,000 m2 planned, "
                                    "1,748,087 m2 released; the cumulative "
                                    "shortfall of release against it is "
                                    "251,913 m2"));
    cmr_evaluation_free(e);
}

/* A milestone of method "any" is release by any method, not clearance (a
 * review found it counted as cleared). */
static void an_any_method_milestone_is_not_clearance(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store_with_plan(
        ctx, "any.gpkg",
        "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
        "\"requested_deadline\": \"2027-08-01\", "
        "\"milestones\": [{\"year\": 2026, \"method\": \"any\", "
        "\"area_m2\": 5000}, {\"year\": 2026, \"method\": \"cleared\", "
        "\"area_m2\": 700}]}");
    struct cmr_evaluation *e = evaluate(ctx, db);
    assert_int_equal(e->nyears, 1);
    assert_near(e->years[0].planned_m2, 5700, 0);
    assert_near(e->years[0].cleared_m2, 700, 0);
    assert_near(e->years[0].any_m2, 5000, 0);
    cmr_evaluation_free(e);
}

/* Imports one more plan into db. */
static void add_plan(struct cmr_ctx *ctx, const char *db, const char *name,
                     const char *plan_json)
{
    const char *pf = scratch_write(name, plan_json);
    assert_non_null(pf);
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    assert_status_ok(ctx,
                     cmr_import_opts_source(ctx, o, CMR_KIND_PLAN, pf, NULL));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    assert_int_equal(cmr_import_report_reject_count(rep), 0);
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
}

/* Of two earlier requests, the one compared with what was achieved is the
 * latest, in force just before the one evaluated, not the first imported
 * (a review found the first compared). */
static void the_latest_earlier_request_is_compared(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store_with_plan(
        ctx, "earlier.gpkg",
        "{\"country\": \"LAO\", \"meeting\": \"9MSP\", "
        "\"requested_deadline\": \"2021-08-01\", "
        "\"milestones\": [{\"year\": 2019, \"method\": \"cleared\", "
        "\"area_m2\": 1000}, {\"year\": 2020, \"method\": \"cleared\", "
        "\"area_m2\": 1000}]}");
    add_plan(ctx, db, "earlier-b.json",
             "{\"country\": \"LAO\", \"meeting\": \"11MSP\", "
             "\"requested_deadline\": \"2023-08-01\", "
             "\"milestones\": [{\"year\": 2020, \"method\": \"cleared\", "
             "\"area_m2\": 2000}, {\"year\": 2022, \"method\": "
             "\"cleared\", \"area_m2\": 2000}]}");
    add_plan(ctx, db, "earlier-c.json",
             "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
             "\"requested_deadline\": \"2030-08-01\", "
             "\"milestones\": [{\"year\": 2026, \"method\": \"cleared\", "
             "\"area_m2\": 1000}]}");
    struct cmr_evaluation *e = evaluate(ctx, db);
    assert_string_equal(e->request, "LAO-15MSP");
    assert_non_null(e->earlier_request);
    assert_string_equal(e->earlier_request, "LAO-11MSP");
    assert_int_equal(e->npast, 2);
    assert_int_equal(e->past[1].year, 2022);
    assert_true(says(e, "the earlier plan (LAO-11MSP) planned 2020 to 2022; "
                        "by 2022 the cumulative shortfall"));
    assert_false(says(e, "not yet due"));
    cmr_evaluation_free(e);
}

/* An earlier plan's years after the as-of date are not yet due: the
 * comparison ends with the as-of year, and the conclusion names the
 * plan's whole span, the year compared up to and the years not yet due (a
 * review found "planned up to 2024" above a table that listed 2025). */
static void an_earlier_plans_later_years_are_not_yet_due(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store_with_plan(
        ctx, "notdue.gpkg",
        "{\"country\": \"LAO\", \"meeting\": \"11MSP\", "
        "\"requested_deadline\": \"2026-08-01\", "
        "\"milestones\": [{\"year\": 2023, \"method\": \"cleared\", "
        "\"area_m2\": 1000}, {\"year\": 2024, \"method\": \"cleared\", "
        "\"area_m2\": 1000}, {\"year\": 2025, \"method\": \"cleared\", "
        "\"area_m2\": 1000}, {\"year\": 2026, \"method\": \"cleared\", "
        "\"area_m2\": 1000}]}");
    add_plan(ctx, db, "notdue-b.json",
             "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
             "\"requested_deadline\": \"2030-08-01\", "
             "\"milestones\": [{\"year\": 2027, \"method\": \"cleared\", "
             "\"area_m2\": 1000}]}");
    struct cmr_evaluation *e = evaluate(ctx, db);
    assert_string_equal(e->earlier_request, "LAO-11MSP");
    assert_int_equal(e->npast, 4);
    assert_true(e->past[1].past);
    assert_false(e->past[2].past);
    assert_true(isnan(e->past[2].achieved_m2));
    assert_true(isnan(e->past[3].cumulative_shortfall_m2));
    /* 2023: 1000 planned, nothing released (the example's releases are of
     * 2019, 2020 and 2021); 2024 likewise: 2,000 m2 short by 2024 */
    assert_near(e->past[1].cumulative_shortfall_m2, 2000, 0);
    assert_true(says(e, "the earlier plan (LAO-11MSP) planned 2023 to 2026; "
                        "by 2024 the cumulative shortfall of release "
                        "against it is 2,000 m2; 2025 to 2026 are not yet "
                        "due"));
    assert_false(says(e, "planned up to"));
    cmr_evaluation_free(e);
}

/* A State without polygons: the ledger knows nothing, so (d) and (e) are
 * unknown, not 0, and the remaining area is labelled with its source, a
 * published figure (a review found zeros "from the ledger" beside a
 * one-class figure). */
static void without_records_the_ledger_figures_are_unknown(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db =
        store_with(ctx, "norecords.gpkg",
                   "{\"country\": \"LAO\", \"meeting\": \"15MSP\", "
                   "\"requested_deadline\": \"2027-08-01\", "
                   "\"stated\": {\"baseline_m2\": 1000000},"
                   "\"milestones\": [{\"year\": 2025, \"method\": "
                   "\"cleared\", \"area_m2\": 1000}]}",
                   false, false);
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    assert_status_ok(ctx, cmr_import_opts_source(
                              ctx, o, CMR_KIND_FIGURES,
                              geodata_path("national-figures.csv"), NULL));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
    struct cmr_evaluation *e = evaluate(ctx, db);
    assert_true(isnan(e->baseline_m2));
    assert_true(isnan(e->added_m2));
    assert_true(isnan(e->cleared_m2));
    assert_true(isnan(e->reduced_m2));
    assert_true(isnan(e->cancelled_m2));
    assert_true(isfinite(e->remaining_m2));
    assert_non_null(e->remaining_source);
    assert_non_null(strstr(e->remaining_source, "figures: "));
    const struct cmr_eval_conclusion *p = topic(e, "art4.6", "info");
    assert_non_null(p);
    assert_non_null(strstr(p->text, "(d) baseline at entry into force and "
                                    "added since: unknown"));
    assert_non_null(strstr(p->text, "from the published figures ("));
    assert_non_null(strstr(p->text, "a figure of one class alone"));
    assert_null(strstr(p->text, "from the ledger"));
    assert_null(strstr(p->text, " 0 m2"));
    assert_true(says(e, "the request states baseline 1,000,000 m2; the "
                        "ledger has no records to compare it with"));
    cmr_evaluation_free(e);
}

static void a_state_without_request_is_refused(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store_with_plan(
        ctx, "none.gpkg",
        "{\"country\": \"LAO\", \"meeting\": \"15MSP\", \"milestones\": []}");
    struct cmr_store *s = NULL;
    struct cmr_evaluation *e = NULL;
    struct cmr_forecast_opts fo = {.country = "SSD"};
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    assert_status(ctx, cmr_evaluate(ctx, s, &fo, &e), CMR_EINVAL);
    assert_errmsg_has(ctx, "no extension request");
    cmr_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plausible_plan_passes),
        cmocka_unit_test(implausible_plan_is_flagged),
        cmocka_unit_test(a_surplus_year_does_not_hide_a_gap),
        cmocka_unit_test(a_cost_only_year_is_not_a_milestone),
        cmocka_unit_test(a_milestone_is_due_by_the_end_of_its_year),
        cmocka_unit_test(no_release_gives_no_ratio),
        cmocka_unit_test(a_date_asked_to_the_month_is_its_first_day),
        cmocka_unit_test(past_milestones_do_not_cover_the_remaining_area),
        cmocka_unit_test(this_plans_past_years_are_compared),
        cmocka_unit_test(an_any_method_milestone_is_not_clearance),
        cmocka_unit_test(the_latest_earlier_request_is_compared),
        cmocka_unit_test(an_earlier_plans_later_years_are_not_yet_due),
        cmocka_unit_test(without_records_the_ledger_figures_are_unknown),
        cmocka_unit_test(a_state_without_request_is_refused),
    };
    int rc =
        cmocka_run_group_tests_name("evaluate", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
