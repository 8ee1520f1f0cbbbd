/* SPDX-License-Identifier: MIT */
/* The ledger against analytic areas (octants of the WGS84 ellipsoid, whose
 * edges are meridians and the equator, so geodesic edges are exact), the
 * worked example of tests/data/ledger-example with the figures PostGIS
 * gives, the accounting identity, and independence from --jobs. */
#include <math.h>

#include "crs.h"
#include "test_support.h"

/* WGS84's total surface area (GeographicLib); an octant is an eighth. */
static const double A = 5.10065621724088e14;

static const char *fresh_store(struct cmr_ctx *ctx, const char *name)
{
    const char *p = scratch_path(name);
    remove(p);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_create(ctx, p, &s));
    cmr_store_close(s);
    return p;
}

static void import(struct cmr_ctx *ctx, const char *db, const char *hazards,
                   const char *releases)
{
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    if (hazards)
        assert_status_ok(ctx, cmr_import_opts_source(ctx, o, CMR_KIND_HAZARD,
                                                     hazards, NULL));
    if (releases)
        assert_status_ok(ctx, cmr_import_opts_source(ctx, o, CMR_KIND_RELEASE,
                                                     releases, NULL));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    assert_int_equal(cmr_import_report_reject_count(rep), 0);
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
}

/* GeoJSON of features "props|coordinates" separated by ';'. */
static const char *geojson(const char *name, const char *const *feats, size_t n)
{
    static char buf[65536];
    size_t used = 0;
    used += (size_t)snprintf(buf + used, sizeof buf - used,
                             "{\"type\":\"FeatureCollection\",\"features\":[");
    for (size_t i = 0; i < n; i++) {
        const char *bar = strchr(feats[i], '|');
        used += (size_t)snprintf(
            buf + used, sizeof buf - used,
            "%s{\"type\":\"Feature\",\"properties\":{%.*s},\"geometry\":"
            "{\"type\":\"Polygon\",\"coordinates\":[%s]}}",
            i ? "," : "", (int)(bar - feats[i]), feats[i], bar + 1);
    }
    snprintf(buf + used, sizeof buf - used, "]}");
    return scratch_write(name, buf);
}

#define OCTANT "[[0,0],[90,0],[0,90],[0,0]]"
#define WEST   "[[0,0],[45,0],[0,90],[0,0]]"
#define EAST   "[[45,0],[90,0],[0,90],[45,0]]"
#define HAZ(id, cls, rec)                                                      \
    "\"id\":\"" id "\",\"country\":\"LAO\",\"class\":\"" cls                   \
    "\",\"recorded\":\"" rec "\""
#define REL(id, m, done)                                                       \
    "\"id\":\"" id "\",\"country\":\"LAO\",\"method\":\"" m                    \
    "\",\"completed\":\"" done "\""

static struct cmr_ledger *compute(struct cmr_ctx *ctx, const char *db,
                                  const char *at, enum cmr_precedence prec,
                                  int jobs)
{
    struct cmr_store *s = NULL;
    struct cmr_ledger *L = NULL;
    struct cmr_ledger_opts o = {
        .country = "LAO", .at = at, .precedence = prec, .jobs = jobs};
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    assert_status_ok(ctx, cmr_ledger_compute(ctx, s, &o, &L));
    cmr_store_close(s);
    assert_int_equal(cmr_ledger_count(L), 1);
    return L;
}

static const struct cmr_finding *find(const struct cmr_ledger_state *s,
                                      const char *kind)
{
    for (size_t i = 0; i < s->nfindings; i++)
        if (strcmp(s->findings[i].kind, kind) == 0)
            return &s->findings[i];
    return NULL;
}

/* remaining = baseline + added - cancelled - reduced - cleared - closed
 * without release, to the rounding of the output (0.01 m2 per term). */
static void assert_identity(const struct cmr_ledger_state *s)
{
    double rhs = s->baseline_m2 + s->added_m2 - s->cancelled_m2 -
                 s->reduced_m2 - s->cleared_m2 - s->closed_without_release_m2;
    assert_near(s->remaining_m2, rhs, 0.06);
    assert_near(s->sha_m2 + s->cha_m2, s->remaining_m2, 0.02);
    double prov = 0;
    for (size_t i = 0; i < s->nprovinces; i++)
        prov += s->by_province[i].remaining_m2;
    assert_near(prov, s->remaining_m2, 0.01 * (double)(s->nprovinces + 1));
    /* The year table is the calendar history: its release and closing
     * columns hold what happened before entry into force too. */
    double rel = 0, closed = 0;
    for (size_t i = 0; i < s->nyears; i++) {
        rel += s->by_year[i].cancelled_m2 + s->by_year[i].reduced_m2 +
               s->by_year[i].cleared_m2;
        closed += s->by_year[i].closed_without_release_m2;
    }
    double tol = 0.01 * (double)(3 * s->nyears + 4);
    assert_near(rel,
                s->cancelled_m2 + s->reduced_m2 + s->cleared_m2 +
                    s->released_before_eif_m2,
                tol);
    assert_near(closed, s->closed_without_release_m2 + s->closed_before_eif_m2,
                tol);
}

static void cleared_half_of_an_octant(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "octant.gpkg");
    const char *h[] = {HAZ("H", "CHA", "2009-01-01") "|" OCTANT};
    const char *r[] = {REL("R", "cleared", "2015-05-05") "|" WEST};
    import(ctx, db, geojson("h.json", h, 1), geojson("r.json", r, 1));
    struct cmr_ledger *L =
        compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    assert_rel(s->baseline_m2, A / 8, 1e-9);
    assert_near(s->added_m2, 0, 0);
    assert_rel(s->cleared_m2, A / 16, 1e-9);
    assert_rel(s->remaining_m2, A / 16, 1e-9);
    assert_rel(s->cha_m2, A / 16, 1e-9);
    assert_near(s->sha_m2, 0, 0);
    assert_identity(s);
    /* The year table: 2015 cleared, nothing else. */
    assert_int_equal(s->by_year[0].year, 2015);
    assert_rel(s->by_year[0].cleared_m2, A / 16, 1e-9);
    assert_int_equal(s->nyears, 6);
    cmr_ledger_free(L);
}

static void overlapping_hazards_count_once(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "overlap.gpkg");
    const char *h[] = {HAZ("H1", "SHA", "2009-01-01") "|" OCTANT,
                       HAZ("H2", "CHA", "2014-03-01") "|" WEST};
    import(ctx, db, geojson("h.json", h, 2), NULL);
    struct cmr_ledger *L =
        compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    assert_rel(s->hazard_union_m2, A / 8, 1e-9);
    assert_rel(s->hazard_sum_m2, 3 * A / 16, 1e-9);
    assert_rel(s->remaining_m2, A / 8, 1e-9);
    /* H2 lies in H1, recorded earlier: all baseline, nothing added. */
    assert_rel(s->baseline_m2, A / 8, 1e-9);
    assert_near(s->added_m2, 0, 0);
    /* Where SHA and CHA overlap the area is CHA. */
    assert_rel(s->cha_m2, A / 16, 1e-9);
    assert_rel(s->sha_m2, A / 16, 1e-9);
    const struct cmr_finding *f = find(s, "hazard_overlap");
    assert_non_null(f);
    assert_rel(f->area_m2, A / 16, 1e-9);
    assert_int_equal(f->nrecords, 2);
    assert_identity(s);
    cmr_ledger_free(L);
}

/* Rule 1: the finding is the sum of the areas less their union. Three
 * hazards: H1 the octant, H2 its western half, H3 the same half again:
 * the sum counts the half three times, so the finding is two halves
 * (A / 8), not the area covered more than once (A / 16). */
static void three_overlapping_hazards_sum_less_union(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "overlap3.gpkg");
    const char *h[] = {HAZ("H1", "SHA", "2009-01-01") "|" OCTANT,
                       HAZ("H2", "CHA", "2014-03-01") "|" WEST,
                       HAZ("H3", "CHA", "2015-03-01") "|" WEST};
    import(ctx, db, geojson("h.json", h, 3), NULL);
    struct cmr_ledger *L =
        compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    assert_rel(s->hazard_sum_m2, A / 4, 1e-9);
    assert_rel(s->hazard_union_m2, A / 8, 1e-9);
    const struct cmr_finding *f = find(s, "hazard_overlap");
    assert_non_null(f);
    assert_int_equal(f->nrecords, 3);
    assert_rel(f->area_m2, s->hazard_sum_m2 - s->hazard_union_m2, 1e-9);
    assert_rel(f->area_m2, A / 8, 1e-9);
    assert_identity(s);
    cmr_ledger_free(L);
}

static void release_half_outside_its_hazard(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "outside.gpkg");
    const char *h[] = {HAZ("H", "CHA", "2012-01-01") "|" WEST};
    const char *r[] = {REL("R", "cancelled", "2016-02-02") "|" OCTANT};
    import(ctx, db, geojson("h.json", h, 1), geojson("r.json", r, 1));
    struct cmr_ledger *L =
        compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    /* Recorded after entry into force (2010-08-01): added, not baseline. */
    assert_near(s->baseline_m2, 0, 0);
    assert_rel(s->added_m2, A / 16, 1e-9);
    assert_rel(s->cancelled_m2, A / 16, 1e-9);
    assert_near(s->remaining_m2, 0, 0.01);
    const struct cmr_finding *f = find(s, "release_outside_hazard");
    assert_non_null(f);
    assert_rel(f->area_m2, A / 16, 1e-9);
    assert_string_equal(f->records[0], "R");
    assert_identity(s);
    cmr_ledger_free(L);
}

static void overlapping_methods_follow_the_precedence_rule(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "methods.gpkg");
    const char *h[] = {HAZ("H", "CHA", "2009-01-01") "|" OCTANT};
    const char *r[] = {REL("RC", "cleared", "2018-01-01") "|" WEST,
                       REL("RR", "reduced", "2016-01-01") "|" OCTANT};
    import(ctx, db, geojson("h.json", h, 1), geojson("r.json", r, 2));
    struct cmr_ledger *L =
        compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    assert_rel(s->cleared_m2, A / 16, 1e-9);
    assert_rel(s->reduced_m2, A / 16, 1e-9);
    assert_near(s->remaining_m2, 0, 0.01);
    const struct cmr_finding *f = find(s, "release_method_overlap");
    assert_non_null(f);
    assert_rel(f->area_m2, A / 16, 1e-9);
    assert_identity(s);
    cmr_ledger_free(L);
    /* Switched: the earliest release wins, so all of it is reduced. */
    L = compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_EARLIEST, 1);
    s = cmr_ledger_state(L, 0);
    assert_rel(s->reduced_m2, A / 8, 1e-9);
    assert_near(s->cleared_m2, 0, 0);
    assert_identity(s);
    cmr_ledger_free(L);
}

static void as_of_dates_and_closure(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "closed.gpkg");
    const char *h[] = {
        "\"closed\":\"2019-06-30\"," HAZ("H", "SHA", "2011-01-01") "|" EAST,
        HAZ("G", "SHA", "2015-01-01") "|" WEST};
    const char *r[] = {REL("R", "cleared", "2017-01-01") "|" WEST};
    import(ctx, db, geojson("h.json", h, 2), geojson("r.json", r, 1));
    /* Before the release and before G was recorded. */
    struct cmr_ledger *L =
        compute(ctx, db, "2014-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    assert_rel(s->remaining_m2, A / 16, 1e-9);
    assert_int_equal(s->releases, 0);
    cmr_ledger_free(L);
    /* After: H closed without release, G cleared. */
    L = compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    s = cmr_ledger_state(L, 0);
    assert_near(s->remaining_m2, 0, 0.01);
    assert_rel(s->closed_without_release_m2, A / 16, 1e-9);
    assert_rel(s->cleared_m2, A / 16, 1e-9);
    assert_non_null(find(s, "closed_without_release"));
    assert_identity(s);
    cmr_ledger_free(L);
}

/* LAP indicator 18b counts open CMR hazards recorded as marked: not one
 * closed by the date, not one recorded after it, not another kind of
 * contamination, not one unmarked. */
static void marked_hazards_are_counted_while_open(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "marked.gpkg");
    const char *h[] = {"\"marked\":1," HAZ("M1", "SHA", "2011-01-01") "|" EAST,
                       "\"marked\":1,\"closed\":\"2019-06-30\"," HAZ(
                           "M2", "SHA", "2011-01-01") "|" WEST,
                       "\"marked\":1," HAZ("M3", "CHA", "2021-01-01") "|" WEST,
                       "\"marked\":1,\"contamination\":\"AP\"," HAZ(
                           "M4", "CHA", "2011-01-01") "|" WEST,
                       "\"marked\":0," HAZ("U", "SHA", "2011-01-01") "|" WEST};
    import(ctx, db, geojson("h.json", h, 5), NULL);
    struct cmr_ledger *L =
        compute(ctx, db, "2018-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    assert_int_equal(cmr_ledger_state(L, 0)->hazards_marked, 2);
    assert_false(cmr_ledger_state(L, 0)->marked_synthetic);
    cmr_ledger_free(L);
    L = compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    assert_int_equal(cmr_ledger_state(L, 0)->hazards_marked, 1);
    cmr_ledger_free(L);
    L = compute(ctx, db, "2021-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    assert_int_equal(cmr_ledger_state(L, 0)->hazards_marked, 2);
    cmr_ledger_free(L);
}

static void release_before_its_hazard_is_not_release(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "before.gpkg");
    const char *h[] = {HAZ("H", "CHA", "2018-01-01") "|" WEST};
    const char *r[] = {REL("R", "cleared", "2016-01-01") "|" WEST};
    import(ctx, db, geojson("h.json", h, 1), geojson("r.json", r, 1));
    struct cmr_ledger *L =
        compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    assert_near(s->cleared_m2, 0, 0);
    assert_rel(s->remaining_m2, A / 16, 1e-9);
    const struct cmr_finding *f = find(s, "release_before_hazard");
    assert_non_null(f);
    assert_rel(f->area_m2, A / 16, 1e-9);
    assert_null(find(s, "release_outside_hazard"));
    cmr_ledger_free(L);
}

/* The state of the land at entry into force (2010-08-01) decides its
 * place: cancelled before it and cleared again later, it is released
 * before EIF under either precedence; under a hazard closed before EIF
 * without release it is not baseline (reported apart), and a hazard
 * recorded later that finds it again adds it, that year. A closed-without-
 * release finding names only the last hazard to close over the land. */
static void land_at_entry_into_force(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "at-eif.gpkg");
#define T1 "[[0,0],[10,0],[0,10],[0,0]]"
#define T2 "[[40,0],[50,0],[40,10],[40,0]]"
#define T3 "[[80,0],[90,0],[80,10],[80,0]]"
#define T4 "[[-40,0],[-30,0],[-40,10],[-40,0]]"
    const char *h[] = {
        HAZ("K", "CHA", "2009-01-01") "|" T1,
        "\"closed\":\"2010-01-01\"," HAZ("P", "SHA", "2009-01-01") "|" T2,
        "\"closed\":\"2010-01-01\"," HAZ("Q", "SHA", "2009-01-01") "|" T3,
        HAZ("Q2", "SHA", "2014-05-05") "|" T3,
        "\"closed\":\"2018-01-01\"," HAZ("W1", "SHA", "2012-01-01") "|" T4,
        "\"closed\":\"2020-01-01\"," HAZ("W2", "SHA", "2012-01-01") "|" T4,
        "\"closed\":\"2020-01-01\"," HAZ("W3", "SHA", "2013-01-01") "|" T4};
    const char *r[] = {REL("L1", "cancelled", "2010-06-01") "|" T1,
                       REL("L2", "cleared", "2017-01-01") "|" T1};
    import(ctx, db, geojson("h.json", h, 7), geojson("r.json", r, 2));
    for (int prec = 0; prec < 2; prec++) {
        struct cmr_ledger *L = compute(
            ctx, db, "2021-12-31",
            prec ? CMR_PRECEDENCE_EARLIEST : CMR_PRECEDENCE_INTENSITY, 1);
        const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
        const struct cmr_finding *f = find(s, "release_method_overlap");
        assert_non_null(f);
        double t = f->area_m2; /* all of T1: the same triangle everywhere */
        assert_rel(s->released_before_eif_m2, t, 1e-9);
        assert_near(s->cleared_m2 + s->cancelled_m2, 0, 0);
        /* P's T2, and Q's T3 (found again by Q2 in 2014) */
        assert_rel(s->closed_before_eif_m2, 2 * t, 1e-9);
        /* in their year's row too, as release before EIF is (a review
         * found the row empty, its release there) */
        assert_rel(
            s->by_year[2010 - s->by_year[0].year].closed_without_release_m2,
            2 * t, 1e-9);
        /* T3 by Q2 in 2014, T4 by W1 and W2 in 2012 */
        assert_rel(s->added_m2, 2 * t, 1e-9);
        /* T3 found again (Q closed it before EIF); T4 new */
        assert_rel(s->added_again_m2, t, 1e-9);
        assert_rel(s->closed_without_release_m2, t, 1e-9); /* T4, in 2020 */
        assert_near(s->baseline_m2, 0, 0);
        assert_rel(s->remaining_m2, t, 1e-9); /* T3 */
        assert_identity(s);
        double cwr = 0;
        int w1 = 0, w2 = 0;
        for (size_t i = 0; i < s->nfindings; i++)
            if (strcmp(s->findings[i].kind, "closed_without_release") == 0) {
                w1 += strcmp(s->findings[i].records[0], "W1") == 0;
                w2 += strcmp(s->findings[i].records[0], "W2") == 0;
                if (strcmp(s->findings[i].records[0], "P") != 0 &&
                    strcmp(s->findings[i].records[0], "Q") != 0)
                    cwr += s->findings[i].area_m2;
            }
        /* W2 and W3 closed later over all of it, on the same day: the
         * land is named once (by the first), never twice */
        assert_int_equal(w1, 0);
        assert_int_equal(w2, 1);
        assert_rel(cwr, s->closed_without_release_m2, 1e-9);
        cmr_ledger_free(L);
    }
    /* As of a date before entry into force: the land contaminated then is
     * the baseline (K, P and Q open), and the identity holds. */
    struct cmr_ledger *L =
        compute(ctx, db, "2009-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    assert_true(s->remaining_m2 > 0);
    assert_rel(s->baseline_m2, s->remaining_m2, 1e-12);
    assert_near(s->released_before_eif_m2 + s->closed_before_eif_m2, 0, 0);
    assert_identity(s);
    cmr_ledger_free(L);
}

/* New contamination is added, never netted (rule 4), also where it is
 * found on land released before: each triangle (t m2) has its own history.
 *   T1: H1 (2009, CHA) cleared by R1 in 2015, found again by H2 (SHA) in
 *       2017, open: baseline, cleared 2015, added 2017, remaining SHA.
 *   T2: J1 (2009) cancelled by S1 in 2015, found again by J2 in 2016 and
 *       cleared by S2 in 2019: baseline, cancelled 2015, added 2016,
 *       cleared 2019; nothing remains.
 *   T3: K1 (2009) cancelled by U1 in 2010, before EIF (2010-08-01); found
 *       again by K2 in 2014: released before EIF, added 2014, remaining.
 *   T4: M1 (2009) closed without release in 2015; M2 finds it in 2017:
 *       baseline, closed without release 2015, added 2017, remaining.
 *   T5: N (2009) cancelled by V1 in 2015 and cleared by V2 in 2018, no new
 *       hazard: one episode, so one release by the precedence rule
 *       (intensity: cleared in 2018; earliest: cancelled in 2015). */
static void land_found_again_after_release_is_added(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "again.gpkg");
#define U1 "[[0,0],[10,0],[0,10],[0,0]]"
#define U2 "[[40,0],[50,0],[40,10],[40,0]]"
#define U3 "[[80,0],[90,0],[80,10],[80,0]]"
#define U4 "[[-40,0],[-30,0],[-40,10],[-40,0]]"
#define U5 "[[-80,0],[-70,0],[-80,10],[-80,0]]"
    const char *h[] = {
        HAZ("H1", "CHA", "2009-01-01") "|" U1,
        HAZ("H2", "SHA", "2017-03-03") "|" U1,
        HAZ("J1", "SHA", "2009-01-01") "|" U2,
        HAZ("J2", "SHA", "2016-03-03") "|" U2,
        HAZ("K1", "SHA", "2009-01-01") "|" U3,
        HAZ("K2", "CHA", "2014-03-03") "|" U3,
        "\"closed\":\"2015-06-06\"," HAZ("M1", "SHA", "2009-01-01") "|" U4,
        HAZ("M2", "SHA", "2017-03-03") "|" U4,
        HAZ("N", "SHA", "2009-01-01") "|" U5};
    const char *r[] = {REL("R1", "cleared", "2015-05-05") "|" U1,
                       REL("S1", "cancelled", "2015-05-05") "|" U2,
                       REL("S2", "cleared", "2019-05-05") "|" U2,
                       REL("U1", "cancelled", "2010-05-05") "|" U3,
                       REL("V1", "cancelled", "2015-05-05") "|" U5,
                       REL("V2", "cleared", "2018-05-05") "|" U5};
    import(ctx, db, geojson("h.json", h, 9), geojson("r.json", r, 6));
    for (int prec = 0; prec < 2; prec++) {
        struct cmr_ledger *L = compute(
            ctx, db, "2020-12-31",
            prec ? CMR_PRECEDENCE_EARLIEST : CMR_PRECEDENCE_INTENSITY, 1);
        const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
        const struct cmr_finding *f = find(s, "release_method_overlap");
        assert_non_null(f); /* S1 and S2, or V1 and V2: one triangle */
        double t = f->area_m2;
        assert_true(t > 1e11);
        assert_rel(s->baseline_m2, 4 * t, 1e-9);           /* T1 T2 T4 T5 */
        assert_rel(s->added_m2, 4 * t, 1e-9);              /* T1 T2 T3 T4 */
        assert_rel(s->added_again_m2, 4 * t, 1e-9);        /* all found again */
        assert_rel(s->released_before_eif_m2, t, 1e-9);    /* T3 */
        assert_rel(s->closed_without_release_m2, t, 1e-9); /* T4 */
        assert_rel(s->remaining_m2, 3 * t, 1e-9);          /* T1 T3 T4 */
        /* K2 on T3; not H1's CHA on T1: its land was cleared, H2 (SHA)
         * found it again */
        assert_rel(s->cha_m2, t, 1e-9);
        /* T1 cleared, T2 cancelled and cleared, T5 by the rule */
        assert_rel(s->cancelled_m2, prec ? 2 * t : t, 1e-9);
        assert_rel(s->cleared_m2, prec ? 2 * t : 3 * t, 1e-9);
        assert_near(s->reduced_m2, 0, 0);
        assert_identity(s);
        /* the year table: 2015 and 2019, 2018 for T5 under intensity */
        int y0 = s->by_year[0].year;
        assert_int_equal(y0, 2010);
        assert_rel(s->by_year[2014 - y0].added_m2, t, 1e-9);
        assert_rel(s->by_year[2016 - y0].added_m2, t, 1e-9);
        assert_rel(s->by_year[2017 - y0].added_m2, 2 * t, 1e-9);
        assert_rel(s->by_year[2015 - y0].cleared_m2, t, 1e-9);
        assert_rel(s->by_year[2015 - y0].cancelled_m2, prec ? 2 * t : t, 1e-9);
        assert_rel(s->by_year[2015 - y0].closed_without_release_m2, t, 1e-9);
        assert_rel(s->by_year[2018 - y0].cleared_m2, prec ? 0 : t, 1e-9);
        assert_rel(s->by_year[2019 - y0].cleared_m2, t, 1e-9);
        const struct cmr_finding *c = find(s, "closed_without_release");
        assert_non_null(c);
        assert_string_equal(c->records[0], "M1");
        assert_rel(c->area_m2, t, 1e-9);
        /* found_again names what ended the land's last episode and the
         * hazard that found it again; the findings add up to
         * added_again_m2 */
        const char *pairs[][2] = {
            {"R1", "H2"}, {"S1", "J2"}, {"U1", "K2"}, {"M1", "M2"}};
        double sum = 0;
        int met = 0;
        for (size_t i = 0; i < s->nfindings; i++) {
            const struct cmr_finding *g = &s->findings[i];
            if (strcmp(g->kind, "found_again") != 0)
                continue;
            assert_int_equal(g->nrecords, 2);
            for (int k = 0; k < 4; k++)
                if (strcmp(g->records[0], pairs[k][0]) == 0 &&
                    strcmp(g->records[1], pairs[k][1]) == 0) {
                    met++;
                    assert_rel(g->area_m2, t, 1e-9);
                }
            sum += g->area_m2;
        }
        assert_int_equal(met, 4);
        assert_rel(sum, s->added_again_m2, 1e-9);
        cmr_ledger_free(L);
    }
}

/* A hazard record stays open while parts of it wait, but over land a
 * release ended its episode it has no more to say: a hazard recorded there
 * later and closed without release leaves the land closed without release
 * (named by it, on its closing day), and the land's class is that of the
 * later hazard.
 *   T1: A1 (CHA, 2009, open) cleared by Q1 in 2012; A2 (SHA) recorded
 *       2015, closed 2017: closed without release in 2017, by A2.
 *   T2: B1 (CHA, 2009, open) cleared by Q2 in 2012; B2 (SHA) recorded
 *       2015, open: remaining SHA.
 *   T3: C1 (2008, open) cleared by Q3 in 2009; C2 recorded 2009-06-01,
 *       closed 2010-01-01: both before EIF (2010-08-01), so released and
 *       closed before EIF, not baseline.
 * Q4, a clearance of T1 in 2019 (under A1, still open, but not over land
 * contaminated then), is not release: a finding. */
static void released_hazards_have_no_more_say(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "no-say.gpkg");
    const char *h[] = {
        HAZ("A1", "CHA", "2009-01-01") "|" U1,
        "\"closed\":\"2017-07-07\"," HAZ("A2", "SHA", "2015-03-03") "|" U1,
        HAZ("B1", "CHA", "2009-01-01") "|" U2,
        HAZ("B2", "SHA", "2015-03-03") "|" U2,
        HAZ("C1", "SHA", "2008-01-01") "|" U3,
        "\"closed\":\"2010-01-01\"," HAZ("C2", "SHA", "2009-06-01") "|" U3};
    const char *r[] = {REL("Q1", "cleared", "2012-05-05") "|" U1,
                       REL("Q2", "cleared", "2012-05-05") "|" U2,
                       REL("Q3", "cleared", "2009-05-05") "|" U3,
                       REL("Q4", "cleared", "2019-05-05") "|" U1};
    import(ctx, db, geojson("h.json", h, 6), geojson("r.json", r, 4));
    struct cmr_ledger *L =
        compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    double t = s->released_before_eif_m2; /* T3 */
    assert_true(t > 1e11);
    assert_rel(s->baseline_m2, 2 * t, 1e-9);           /* T1 T2 */
    assert_rel(s->cleared_m2, 2 * t, 1e-9);            /* T1 T2 */
    assert_rel(s->added_m2, 2 * t, 1e-9);              /* T1 T2 */
    assert_rel(s->closed_without_release_m2, t, 1e-9); /* T1 */
    assert_rel(s->closed_before_eif_m2, t, 1e-9);      /* T3 */
    assert_rel(s->remaining_m2, t, 1e-9);              /* T2 */
    assert_rel(s->sha_m2, t, 1e-9);
    assert_near(s->cha_m2, 0, 0);
    assert_identity(s);
    assert_rel(s->by_year[2017 - s->by_year[0].year].closed_without_release_m2,
               t, 1e-9);
    double a2 = 0, other = 0;
    for (size_t i = 0; i < s->nfindings; i++)
        if (strcmp(s->findings[i].kind, "closed_without_release") == 0) {
            if (strcmp(s->findings[i].records[0], "A2") == 0)
                a2 += s->findings[i].area_m2;
            else if (strcmp(s->findings[i].records[0], "C2") != 0)
                other += s->findings[i].area_m2;
        }
    assert_rel(a2, t, 1e-9);
    assert_near(other, 0, 0);
    const struct cmr_finding *f = find(s, "release_outside_hazard");
    assert_non_null(f);
    assert_string_equal(f->records[0], "Q4");
    assert_rel(f->area_m2, t, 1e-9);
    cmr_ledger_free(L);
}

/* Releases on land no longer contaminated, and other contamination.
 *   U1: H1 (2009, open) cleared by R1 in 2012; H2 recorded 2015, closed
 *       2017 without release; R3 clears it in 2019 (5 submunitions): not
 *       release (a finding), and its submunitions do not count.
 *   U2: the same with a UXO hazard open over it: R2 (7 submunitions) may
 *       have released that, so no finding, but not CMR release either.
 *   U3: E1 (2009) closed without release in 2013 under an open UXO hazard:
 *       other contamination, reported apart. */
static void release_on_land_no_longer_contaminated(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "no-longer.gpkg");
    const char *h[] = {
        HAZ("H1", "SHA", "2009-01-01") "|" U1,
        "\"closed\":\"2017-01-01\"," HAZ("H2", "SHA", "2015-01-01") "|" U1,
        HAZ("G1", "SHA", "2009-01-01") "|" U2,
        "\"closed\":\"2017-01-01\"," HAZ("G2", "SHA", "2015-01-01") "|" U2,
        "\"contamination\":\"UXO\"," HAZ("O2", "SHA", "2009-01-01") "|" U2,
        "\"closed\":\"2013-01-01\"," HAZ("E1", "SHA", "2009-01-01") "|" U3,
        "\"contamination\":\"UXO\"," HAZ("O3", "SHA", "2009-01-01") "|" U3};
    const char *r[] = {
        REL("R1", "cleared", "2012-01-01") "|" U1,
        "\"submunitions\":5," REL("R3", "cleared", "2019-01-01") "|" U1,
        REL("P1", "cleared", "2012-01-01") "|" U2,
        "\"submunitions\":7," REL("R2", "cleared", "2019-01-01") "|" U2};
    import(ctx, db, geojson("h.json", h, 7), geojson("r.json", r, 4));
    struct cmr_ledger *L =
        compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    const struct cmr_finding *f = find(s, "release_outside_hazard");
    assert_non_null(f);
    assert_string_equal(f->records[0], "R3");
    double t = f->area_m2;
    assert_true(t > 1e11);
    for (size_t i = 0; i < s->nfindings; i++)
        if (strcmp(s->findings[i].kind, "release_outside_hazard") == 0)
            assert_string_equal(s->findings[i].records[0], "R3");
    assert_false(s->has_submunitions);
    for (size_t i = 0; i < s->nyears; i++)
        assert_false(s->by_year[i].has_submunitions);
    assert_rel(s->cleared_m2, 2 * t, 1e-9);                /* R1, P1 */
    assert_rel(s->closed_without_release_m2, 3 * t, 1e-9); /* U1 U2 U3 */
    assert_rel(s->other_contamination_m2, t, 1e-9);        /* U3 */
    assert_near(s->remaining_m2, 0, 0);
    assert_identity(s);
    cmr_ledger_free(L);
}

/* Two guards of the history, each against a plausible slip:
 *   U1: H1 (2009) cleared by R1 in 2012; H2 found it again in 2015 and is
 *       open; H1 closes in 2016: H1 has no more say there, so the land
 *       stays remaining (not closed without release in 2016).
 *   U2: a CMR hazard and a UXO hazard, both open: CMR remaining, and not
 *       other contamination as well. */
static void later_episodes_and_other_contamination(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "guards.gpkg");
    const char *h[] = {
        "\"closed\":\"2016-01-01\"," HAZ("H1", "SHA", "2009-01-01") "|" U1,
        HAZ("H2", "SHA", "2015-01-01") "|" U1,
        HAZ("K1", "SHA", "2009-01-01") "|" U2,
        "\"contamination\":\"UXO\"," HAZ("O2", "SHA", "2009-01-01") "|" U2};
    const char *r[] = {REL("R1", "cleared", "2012-01-01") "|" U1};
    import(ctx, db, geojson("h.json", h, 4), geojson("r.json", r, 1));
    struct cmr_ledger *L =
        compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    double t = s->cleared_m2; /* U1 */
    assert_true(t > 1e11);
    assert_rel(s->remaining_m2, 2 * t, 1e-9);
    assert_rel(s->baseline_m2, 2 * t, 1e-9);
    assert_rel(s->added_m2, t, 1e-9);
    assert_near(s->closed_without_release_m2, 0, 0);
    assert_near(s->other_contamination_m2, 0, 0);
    assert_identity(s);
    cmr_ledger_free(L);
}

/* Release of other contamination only where a hazard of that type was
 * open at the release's date (rule 3):
 *   U1: a landmine hazard recorded in 2019 over land cleared in 2017:
 *       the release is outside every hazard open then (a finding), and
 *       the landmine land is other contamination, all of it;
 *   U2: a UXO hazard closed in 2016, the land cleared in 2017: a finding;
 *   U3: a UXO hazard open from 2014, the land cleared in 2017: release of
 *       that, no finding, and no other contamination left. */
static void other_contamination_only_where_open(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "other-open.gpkg");
    const char *h[] = {
        "\"contamination\":\"landmine\"," HAZ("O1", "SHA", "2019-01-01") "|" U1,
        "\"contamination\":\"UXO\",\"closed\":\"2016-12-01\"," HAZ(
            "O2", "SHA", "2014-01-01") "|" U2,
        "\"contamination\":\"UXO\"," HAZ("O3", "SHA", "2014-01-01") "|" U3};
    const char *r[] = {REL("R1", "cleared", "2017-01-01") "|" U1,
                       REL("R2", "cleared", "2017-01-01") "|" U2,
                       REL("R3", "cleared", "2017-01-01") "|" U3};
    import(ctx, db, geojson("h.json", h, 3), geojson("r.json", r, 3));
    for (int jobs = 1; jobs <= 2; jobs++) {
        struct cmr_ledger *L =
            compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, jobs);
        const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
        int outside = 0;
        double t = 0;
        for (size_t i = 0; i < s->nfindings; i++)
            if (strcmp(s->findings[i].kind, "release_outside_hazard") == 0) {
                outside++;
                assert_true(strcmp(s->findings[i].records[0], "R1") == 0 ||
                            strcmp(s->findings[i].records[0], "R2") == 0);
                if (t == 0)
                    t = s->findings[i].area_m2;
                assert_rel(s->findings[i].area_m2, t, 1e-9);
            }
        assert_int_equal(outside, 2);
        assert_true(t > 1e11);
        assert_rel(s->other_contamination_m2, t, 1e-9); /* U1 */
        assert_near(s->cleared_m2, 0, 0);
        assert_near(s->remaining_m2, 0, 0);
        assert_identity(s);
        cmr_ledger_free(L);
    }
}

/* The default as-of date: with no release in the store, 31 December of
 * the last year a hazard was recorded or closed (here the closing, in
 * 2019, which must not be left out). */
static void default_as_of_without_releases(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "no-release.gpkg");
    const char *h[] = {
        "\"closed\":\"2019-05-05\"," HAZ("F1", "CHA", "2014-01-01") "|" U1,
        HAZ("F2", "SHA", "2014-01-01") "|" U2};
    import(ctx, db, geojson("h.json", h, 2), NULL);
    struct cmr_ledger *L = compute(ctx, db, NULL, CMR_PRECEDENCE_INTENSITY, 1);
    assert_string_equal(cmr_ledger_as_of(L), "2019-12-31");
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    assert_true(s->closed_without_release_m2 > 1e11);
    /* F1 closed, F2 open: triangles of one area */
    assert_rel(s->remaining_m2, s->closed_without_release_m2, 1e-9);
    assert_rel(s->added_m2, 2 * s->remaining_m2, 1e-9);
    assert_identity(s);
    cmr_ledger_free(L);
}

/* Rule 7: a hazard is open on its closing day (recorded <= t, not closed
 * before t). E6, closed 2019-07-07 without release, is remaining as of
 * that day and closed without release as of the next; E5 is cleared on
 * its closing day (the release counts); E1, closed on the day of entry
 * into force, is in the baseline and closed without release in 2010. */
static void hazards_are_open_on_their_closing_day(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "closing-day.gpkg");
    const char *h[] = {
        "\"closed\":\"2019-07-07\"," HAZ("E5", "CHA", "2018-04-04") "|" U1,
        "\"closed\":\"2019-07-07\"," HAZ("E6", "CHA", "2018-04-04") "|" U2,
        "\"closed\":\"2010-08-01\"," HAZ("E1", "CHA", "2009-01-01") "|" U3};
    const char *r[] = {REL("R5", "cleared", "2019-07-07") "|" U1};
    import(ctx, db, geojson("h.json", h, 3), geojson("r.json", r, 1));
    struct cmr_ledger *L =
        compute(ctx, db, "2019-07-07", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    assert_string_equal(s->entry_into_force, "2010-08-01");
    double t = s->cleared_m2; /* R5: E5, all of it */
    assert_true(t > 1e11);
    assert_rel(s->remaining_m2, t, 1e-9);              /* E6 */
    assert_rel(s->baseline_m2, t, 1e-9);               /* E1 */
    assert_rel(s->closed_without_release_m2, t, 1e-9); /* E1, in 2010 */
    assert_near(s->closed_before_eif_m2, 0, 0);
    assert_identity(s);
    cmr_ledger_free(L);
    L = compute(ctx, db, "2019-07-08", CMR_PRECEDENCE_INTENSITY, 1);
    s = cmr_ledger_state(L, 0);
    assert_near(s->remaining_m2, 0, 0);
    assert_rel(s->closed_without_release_m2, 2 * t, 1e-9); /* E1, E6 */
    assert_identity(s);
    cmr_ledger_free(L);
}

/* found_again names what ended the land's last episode: the release the
 * precedence rule picked (U1: cancelled in 2013, cleared in 2014, found
 * again in 2016: R2 under intensity, R1 under earliest), and each of
 * several re-finds of the same land (U2: cleared, found, reduced, found,
 * closed without release, found). */
static void found_again_names_what_ended_the_episode(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "again-pairs.gpkg");
    const char *h[] = {
        HAZ("H1", "SHA", "2012-01-01") "|" U1,
        HAZ("H2", "SHA", "2016-01-01") "|" U1,
        HAZ("G1", "SHA", "2011-01-01") "|" U2,
        HAZ("G2", "SHA", "2013-01-01") "|" U2,
        "\"closed\":\"2017-01-01\"," HAZ("G3", "SHA", "2015-01-01") "|" U2,
        HAZ("G4", "SHA", "2018-01-01") "|" U2};
    const char *r[] = {REL("R1", "cancelled", "2013-01-01") "|" U1,
                       REL("R2", "cleared", "2014-01-01") "|" U1,
                       REL("S1", "cleared", "2012-01-01") "|" U2,
                       REL("S2", "reduced", "2014-01-01") "|" U2};
    import(ctx, db, geojson("h.json", h, 6), geojson("r.json", r, 4));
    for (int prec = 0; prec < 2; prec++) {
        struct cmr_ledger *L = compute(
            ctx, db, "2020-12-31",
            prec ? CMR_PRECEDENCE_EARLIEST : CMR_PRECEDENCE_INTENSITY, 2);
        const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
        const char *want[][2] = {{prec ? "R1" : "R2", "H2"},
                                 {"S1", "G2"},
                                 {"S2", "G3"},
                                 {"G3", "G4"}};
        int met[4] = {0, 0, 0, 0}, n = 0;
        for (size_t i = 0; i < s->nfindings; i++) {
            const struct cmr_finding *g = &s->findings[i];
            if (strcmp(g->kind, "found_again") != 0)
                continue;
            n++;
            for (int k = 0; k < 4; k++)
                met[k] += strcmp(g->records[0], want[k][0]) == 0 &&
                          strcmp(g->records[1], want[k][1]) == 0;
        }
        assert_int_equal(n, 4);
        for (int k = 0; k < 4; k++)
            assert_int_equal(met[k], 1);
        /* U1 once, U2 three times */
        assert_rel(s->added_again_m2, 4 * s->remaining_m2 / 2, 1e-9);
        cmr_ledger_free(L);
    }
}

/* Two separate overlaps of methods inside one hazard (one component): two
 * findings, each naming its own pair and area, not one of four records. */
static void separate_overlaps_are_separate_findings(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "two-pairs.gpkg");
#define TRI_A "[[0,0],[10,0],[0,10],[0,0]]"
#define TRI_B "[[40,0],[50,0],[40,10],[40,0]]"
    const char *h[] = {HAZ("H", "CHA", "2009-01-01") "|" OCTANT};
    const char *r[] = {REL("A1", "cleared", "2018-01-01") "|" TRI_A,
                       REL("A2", "reduced", "2016-01-01") "|" TRI_A,
                       REL("B1", "cleared", "2019-01-01") "|" TRI_B,
                       REL("B2", "cancelled", "2017-01-01") "|" TRI_B};
    import(ctx, db, geojson("h.json", h, 1), geojson("r.json", r, 4));
    struct cmr_ledger *L =
        compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    const struct cmr_finding *f[2];
    size_t n = 0;
    for (size_t i = 0; i < s->nfindings; i++)
        if (strcmp(s->findings[i].kind, "release_method_overlap") == 0) {
            assert_true(n < 2);
            f[n++] = &s->findings[i];
        }
    assert_int_equal(n, 2);
    assert_int_equal(f[0]->nrecords, 2);
    assert_int_equal(f[1]->nrecords, 2);
    assert_string_equal(f[0]->records[0], "A1");
    assert_string_equal(f[0]->records[1], "A2");
    assert_string_equal(f[1]->records[0], "B1");
    assert_string_equal(f[1]->records[1], "B2");
    /* all of each triangle is cleared, and all of it is the overlap */
    assert_near(s->reduced_m2 + s->cancelled_m2, 0, 0);
    assert_rel(f[0]->area_m2 + f[1]->area_m2, s->cleared_m2, 1e-9);
    /* the same triangle 40 degrees of longitude apart: the same area */
    assert_rel(f[0]->area_m2, f[1]->area_m2, 1e-9);
    assert_identity(s);
    cmr_ledger_free(L);
}

/* Lao PDR's entry into force: 2010-08-01. Land cleared before it was no
 * longer contaminated then: neither baseline nor clearance since EIF (Art.
 * 4.6 (d), (e)), but reported apart and kept in the calendar history.
 * Submunitions count only from releases that count; area closed without
 * release is dated by its closing year. */
static void release_before_entry_into_force_is_reported_apart(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "pre-eif.gpkg");
    const char *h[] = {
        HAZ("H", "CHA", "2009-01-01") "|" OCTANT,
        "\"closed\":\"2019-06-30\"," HAZ(
            "G", "SHA", "2012-01-01") "|"
                                      "[[-40,0],[-30,0],[-30,10],[-40,0]]"};
    const char *r[] = {
        "\"submunitions\":7," REL("R1", "cleared", "2010-05-05") "|" WEST,
        "\"submunitions\":5," REL(
            "R2", "cleared", "2016-05-05") "|"
                                           "[[-10,0],[-5,0],[-5,5],[-10,0]]"};
    import(ctx, db, geojson("h.json", h, 2), geojson("r.json", r, 2));
    struct cmr_ledger *L =
        compute(ctx, db, "2010-08-01", CMR_PRECEDENCE_INTENSITY, 1);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    assert_rel(s->baseline_m2, A / 16, 1e-9); /* EAST: WEST was cleared */
    assert_near(s->cleared_m2, 0, 0);
    assert_rel(s->released_before_eif_m2, A / 16, 1e-9);
    assert_rel(s->remaining_m2, A / 16, 1e-9);
    assert_identity(s);
    cmr_ledger_free(L);

    L = compute(ctx, db, "2020-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    s = cmr_ledger_state(L, 0);
    double g = s->closed_without_release_m2;
    assert_true(g > 1e11); /* G: a 10-degree triangle, closed in 2019 */
    assert_rel(s->baseline_m2, A / 16, 1e-9);
    assert_rel(s->added_m2, g, 1e-9);
    assert_near(s->cleared_m2, 0, 0);
    assert_rel(s->released_before_eif_m2, A / 16, 1e-9);
    assert_rel(s->remaining_m2, A / 16, 1e-9);
    assert_identity(s);
    /* R2 lies outside every hazard: not release, its submunitions apart;
     * R1's are before EIF: in the year table only, like its area */
    assert_non_null(find(s, "release_outside_hazard"));
    assert_false(s->has_submunitions);
    /* The calendar: 2010 cleared (before EIF) with R1's 7 submunitions,
     * 2012 added, 2019 closed without release. */
    assert_int_equal(s->by_year[0].year, 2010);
    assert_int_equal(s->nyears, 11);
    assert_rel(s->by_year[0].cleared_m2, A / 16, 1e-9);
    assert_int_equal(s->by_year[0].submunitions, 7);
    assert_rel(s->by_year[2].added_m2, g, 1e-9);
    assert_rel(s->by_year[9].closed_without_release_m2, g, 1e-9);
    assert_false(s->by_year[6].has_submunitions); /* 2016: R2 not counted */
    double cwr = 0;
    for (size_t i = 0; i < s->nyears; i++)
        cwr += s->by_year[i].closed_without_release_m2;
    assert_rel(cwr, g, 1e-12);
    cmr_ledger_free(L);
}

/* tests/data/ledger-example/expected.json, computed by PostGIS 3.3
 * (ST_Area on geography). PostGIS's own identities hold to about 1e-5
 * (see its README): it measures the faces of its overlay as geodesic
 * polygons through the points where edges were cut, on straight lon/lat
 * lines, while cmr keeps each piece of a cut edge to that edge's geodesic
 * (see measure in arrange.c). Its figures and cmr's differ by parts of the
 * slivers between these 2 km edges and their geodesics (up to 2.1e-5: 12
 * m² of R1 and R2's overlap); whole records agree exactly (H1 is the
 * baseline, R1 what was cleared), and cmr's identities hold to the cent. */
static void worked_example_matches_postgis(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "example.gpkg");
    import(ctx, db, CMR_TEST_LEDGER "/hazards.geojson",
           CMR_TEST_LEDGER "/releases.geojson");
    struct cmr_ledger *L =
        compute(ctx, db, "2024-12-31", CMR_PRECEDENCE_INTENSITY, 0);
    const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
    assert_string_equal(cmr_ledger_as_of(L), "2024-12-31");
    assert_rel(s->hazard_union_m2, 8157775.19, 2.5e-5);
    assert_rel(s->hazard_sum_m2, 9323171.66, 1e-7);
    assert_rel(s->baseline_m2, 4661722.66, 2.5e-5);
    /* H1, the baseline, is whole: its own area; R1, cleared, too, but
     * for its top and bottom, which lie along H1's and keep to H1's
     * geodesics (2 cm further north in the middle, top and bottom alike:
     * 0.02 m²) */
    double h1[] = {103, 19, 103.02, 19, 103.02, 19.02, 103, 19.02, 103, 19};
    double r1[] = {103, 19, 103.01, 19, 103.01, 19.02, 103, 19.02, 103, 19};
    assert_near(s->baseline_m2, cmr__crs_ring_area_geodesic(h1, 5), 0.01);
    assert_near(s->cleared_m2, cmr__crs_ring_area_geodesic(r1, 5), 0.05);
    assert_rel(s->added_m2, 3496084.05, 2.5e-5);
    assert_rel(s->cleared_m2, 2330861.32, 2.5e-5);
    assert_rel(s->reduced_m2, 582732.43, 2.5e-5);
    assert_rel(s->cancelled_m2, 1165362.25, 2.5e-5);
    assert_rel(s->remaining_m2, 4078854.63, 2.5e-5);
    assert_rel(s->cha_m2, 1748132.83, 2.5e-5);
    assert_rel(s->sha_m2, 2330721.80, 2.5e-5);
    assert_identity(s);
    assert_int_equal(s->submunitions, 12);
    /* by_year: 2019 cleared with 12 submunitions, 2020 reduced with 0,
     * 2021 cancelled with none reported. */
    const struct cmr_ledger_year *y = s->by_year;
    assert_int_equal(y[3].year, 2019);
    assert_rel(y[3].cleared_m2, 2330861.32, 2.5e-5);
    assert_int_equal(y[3].submunitions, 12);
    assert_true(y[4].has_submunitions);
    assert_int_equal(y[4].submunitions, 0);
    assert_false(y[5].has_submunitions);
    assert_rel(y[5].cancelled_m2, 1165362.25, 2.5e-5);
    const struct cmr_finding *f = find(s, "hazard_overlap");
    assert_non_null(f);
    assert_rel(f->area_m2, 1165396.46, 2.5e-5);
    f = find(s, "release_method_overlap");
    assert_non_null(f);
    assert_rel(f->area_m2, 582732.43, 2.5e-5);
    f = find(s, "release_outside_hazard");
    assert_non_null(f);
    assert_rel(f->area_m2, 1165362.25, 2.5e-5);
    assert_string_equal(f->records[0], "R3");
    cmr_ledger_free(L);
}

/* Random histories (a fixed seed): records of overlapping squares with
 * random dates, closings, classes, methods and some other contamination.
 * Whatever the history, at any date and under either precedence: the
 * identities hold, every figure is non-negative, the year table adds up to
 * the totals, the land found again is part of the added, and what remains
 * is part of the hazards' union; and the results do not depend on --jobs. */
static unsigned long prng(unsigned long *s)
{
    *s = *s * 6364136223846793005UL + 1442695040888963407UL;
    return *s >> 33;
}

static void random_histories_keep_the_identities(void **state)
{
    struct cmr_ctx *ctx = *state;
    unsigned long seed = 20261130;
    const char *dates[] = {"2009-12-31", "2010-08-01", "2016-06-30",
                           "2022-12-31"};
    int again = 0, cwr_seen = 0, pre = 0, other = 0; /* cases met */
    for (int run = 0; run < 20; run++) {
        char name[32];
        snprintf(name, sizeof name, "random%02d.gpkg", run);
        const char *db = fresh_store(ctx, name);
        char hf[7][320], rf[6][320];
        const char *hp[7], *rp[6];
        for (int i = 0; i < 7; i++) {
            double x = 102 + 0.004 * (double)(prng(&seed) % 3),
                   y = 18 + 0.004 * (double)(prng(&seed) % 3);
            int ry = 2005 + (int)(prng(&seed) % 16);
            int rm = 1 + (int)(prng(&seed) % 12),
                rd = 1 + (int)(prng(&seed) % 28);
            char closed[48] = "";
            if (prng(&seed) % 10 < 3)
                snprintf(closed, sizeof closed, "\"closed\":\"%d-%02d-%02d\",",
                         /* (at most 2025: import takes no date later
                          * than the day it runs) */
                         ry + 1 + (int)(prng(&seed) % 5), rm, rd);
            snprintf(hf[i], sizeof hf[i],
                     "%s%s\"id\":\"H%d\",\"country\":\"LAO\",\"class\":\"%s\","
                     "\"recorded\":\"%d-%02d-%02d\"|[[%g,%g],[%g,%g],[%g,%g],"
                     "[%g,%g],[%g,%g]]",
                     closed,
                     prng(&seed) % 10 == 0 ? "\"contamination\":\"UXO\"," : "",
                     i, prng(&seed) % 2 ? "SHA" : "CHA", ry, rm, rd, x, y,
                     x + 0.006, y, x + 0.006, y + 0.006, x, y + 0.006, x, y);
            hp[i] = hf[i];
        }
        static const char *const m[] = {"cancelled", "reduced", "cleared"};
        for (int i = 0; i < 6; i++) {
            double x = 102.001 + 0.003 * (double)(prng(&seed) % 4),
                   y = 18.001 + 0.003 * (double)(prng(&seed) % 4);
            snprintf(rf[i], sizeof rf[i],
                     "\"id\":\"R%d\",\"country\":\"LAO\",\"method\":\"%s\","
                     "\"completed\":\"%d-%02d-%02d\"|[[%g,%g],[%g,%g],[%g,%g],"
                     "[%g,%g],[%g,%g]]",
                     i, m[prng(&seed) % 3], 2006 + (int)(prng(&seed) % 17),
                     1 + (int)(prng(&seed) % 12), 1 + (int)(prng(&seed) % 28),
                     x, y, x + 0.004, y, x + 0.004, y + 0.004, x, y + 0.004, x,
                     y);
            rp[i] = rf[i];
        }
        import(ctx, db, geojson("h.json", hp, 7), geojson("r.json", rp, 6));
        for (size_t d = 0; d < sizeof dates / sizeof *dates; d++)
            for (int prec = 0; prec < 2; prec++) {
                struct cmr_ledger *L = compute(ctx, db, dates[d],
                                               prec ? CMR_PRECEDENCE_EARLIEST
                                                    : CMR_PRECEDENCE_INTENSITY,
                                               d == 3 ? 2 : 1);
                const struct cmr_ledger_state *s = cmr_ledger_state(L, 0);
                assert_identity(s);
                const double v[] = {s->remaining_m2,
                                    s->sha_m2,
                                    s->cha_m2,
                                    s->baseline_m2,
                                    s->added_m2,
                                    s->added_again_m2,
                                    s->cancelled_m2,
                                    s->reduced_m2,
                                    s->cleared_m2,
                                    s->closed_without_release_m2,
                                    s->released_before_eif_m2,
                                    s->closed_before_eif_m2,
                                    s->other_contamination_m2};
                for (size_t k = 0; k < sizeof v / sizeof *v; k++)
                    assert_true(v[k] >= 0);
                assert_true(s->added_again_m2 <= s->added_m2 + 0.01);
                double fa = 0;
                size_t nfa = 0;
                for (size_t k = 0; k < s->nfindings; k++)
                    if (strcmp(s->findings[k].kind, "found_again") == 0) {
                        fa += s->findings[k].area_m2;
                        nfa++;
                    }
                assert_near(fa, s->added_again_m2, 0.01 * (double)(nfa + 1));
                again += s->added_again_m2 > 0;
                cwr_seen += s->closed_without_release_m2 > 0;
                pre += s->released_before_eif_m2 > 0;
                other += s->other_contamination_m2 > 0;
                assert_true(s->remaining_m2 <= s->hazard_union_m2 + 0.01);
                double add = 0, rel = 0, cwr = 0;
                for (size_t y = 0; y < s->nyears; y++) {
                    add += s->by_year[y].added_m2;
                    rel += s->by_year[y].cancelled_m2 +
                           s->by_year[y].reduced_m2 + s->by_year[y].cleared_m2;
                    cwr += s->by_year[y].closed_without_release_m2;
                }
                double tol = 0.02 * (double)(s->nyears + 2);
                assert_near(add, s->added_m2, tol);
                assert_near(rel,
                            s->cancelled_m2 + s->reduced_m2 + s->cleared_m2 +
                                s->released_before_eif_m2,
                            3 * tol);
                assert_near(
                    cwr, s->closed_without_release_m2 + s->closed_before_eif_m2,
                    tol);
                if (d == 3) { /* two jobs against one */
                    struct cmr_ledger *L1 =
                        compute(ctx, db, dates[d],
                                prec ? CMR_PRECEDENCE_EARLIEST
                                     : CMR_PRECEDENCE_INTENSITY,
                                1);
                    const struct cmr_ledger_state *t = cmr_ledger_state(L1, 0);
                    assert_true(t->remaining_m2 == s->remaining_m2);
                    assert_true(t->added_m2 == s->added_m2);
                    assert_true(t->added_again_m2 == s->added_again_m2);
                    assert_true(t->cleared_m2 == s->cleared_m2);
                    assert_true(t->closed_without_release_m2 ==
                                s->closed_without_release_m2);
                    cmr_ledger_free(L1);
                }
                cmr_ledger_free(L);
            }
    }
    /* the histories met land found again, closings without release,
     * release before EIF and other contamination */
    assert_true(again > 5 && cwr_seen > 5 && pre > 5 && other > 0);
}

static void results_do_not_depend_on_jobs(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = fresh_store(ctx, "jobs.gpkg");
    /* Twenty squares in a chain of overlaps plus separate ones. */
    char feats[40][256];
    const char *hp[40], *rp[20];
    for (int i = 0; i < 40; i++) {
        double x = 100 + 0.015 * i + (i >= 20 ? 1 : 0), y = 18 + 0.001 * i;
        snprintf(feats[i], sizeof feats[i],
                 "\"id\":\"H%02d\",\"country\":\"LAO\",\"class\":\"%s\","
                 "\"recorded\":\"20%02d-01-01\"|[[%g,%g],[%g,%g],[%g,%g],"
                 "[%g,%g],[%g,%g]]",
                 i, i % 3 ? "SHA" : "CHA", 5 + i % 15, x, y, x + 0.02, y,
                 x + 0.02, y + 0.02, x, y + 0.02, x, y);
        hp[i] = feats[i];
    }
    char rfeats[20][256];
    for (int i = 0; i < 20; i++) {
        double x = 100.005 + 0.03 * i, y = 18.005;
        snprintf(rfeats[i], sizeof rfeats[i],
                 "\"id\":\"R%02d\",\"country\":\"LAO\",\"method\":\"%s\","
                 "\"completed\":\"2021-0%d-01\"|[[%g,%g],[%g,%g],[%g,%g],"
                 "[%g,%g],[%g,%g]]",
                 i,
                 i % 3 == 0   ? "cleared"
                 : i % 3 == 1 ? "reduced"
                              : "cancelled",
                 1 + i % 9, x, y, x + 0.01, y, x + 0.01, y + 0.01, x, y + 0.01,
                 x, y);
        rp[i] = rfeats[i];
    }
    import(ctx, db, geojson("h.json", hp, 40), geojson("r.json", rp, 20));
    struct cmr_ledger *a =
        compute(ctx, db, "2021-12-31", CMR_PRECEDENCE_INTENSITY, 1);
    struct cmr_ledger *b =
        compute(ctx, db, "2021-12-31", CMR_PRECEDENCE_INTENSITY, 2);
    const struct cmr_ledger_state *x = cmr_ledger_state(a, 0),
                                  *y = cmr_ledger_state(b, 0);
    assert_true(x->remaining_m2 == y->remaining_m2);
    assert_true(x->baseline_m2 == y->baseline_m2);
    assert_true(x->added_m2 == y->added_m2);
    assert_true(x->cleared_m2 == y->cleared_m2);
    assert_true(x->reduced_m2 == y->reduced_m2);
    assert_true(x->cancelled_m2 == y->cancelled_m2);
    assert_int_equal(x->nfindings, y->nfindings);
    for (size_t i = 0; i < x->nfindings; i++) {
        assert_string_equal(x->findings[i].kind, y->findings[i].kind);
        assert_true(x->findings[i].area_m2 == y->findings[i].area_m2);
    }
    assert_true(x->remaining_m2 > 0);
    assert_identity(x);
    /* Without the findings (cmr status), every figure is the same to the
     * bit, and there are none. */
    struct cmr_store *st = NULL;
    struct cmr_ledger *c = NULL;
    struct cmr_ledger_opts o = {.country = "LAO",
                                .at = "2021-12-31",
                                .precedence = CMR_PRECEDENCE_INTENSITY,
                                .jobs = 2,
                                .no_findings = true};
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &st));
    assert_status_ok(ctx, cmr_ledger_compute(ctx, st, &o, &c));
    cmr_store_close(st);
    const struct cmr_ledger_state *z = cmr_ledger_state(c, 0);
    assert_true(x->nfindings > 0);
    assert_int_equal(z->nfindings, 0);
    assert_same_figures(x, z);
    cmr_ledger_free(c);
    cmr_ledger_free(a);
    cmr_ledger_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cleared_half_of_an_octant),
        cmocka_unit_test(overlapping_hazards_count_once),
        cmocka_unit_test(three_overlapping_hazards_sum_less_union),
        cmocka_unit_test(release_half_outside_its_hazard),
        cmocka_unit_test(overlapping_methods_follow_the_precedence_rule),
        cmocka_unit_test(as_of_dates_and_closure),
        cmocka_unit_test(marked_hazards_are_counted_while_open),
        cmocka_unit_test(release_before_its_hazard_is_not_release),
        cmocka_unit_test(release_before_entry_into_force_is_reported_apart),
        cmocka_unit_test(separate_overlaps_are_separate_findings),
        cmocka_unit_test(land_at_entry_into_force),
        cmocka_unit_test(land_found_again_after_release_is_added),
        cmocka_unit_test(released_hazards_have_no_more_say),
        cmocka_unit_test(release_on_land_no_longer_contaminated),
        cmocka_unit_test(later_episodes_and_other_contamination),
        cmocka_unit_test(other_contamination_only_where_open),
        cmocka_unit_test(default_as_of_without_releases),
        cmocka_unit_test(hazards_are_open_on_their_closing_day),
        cmocka_unit_test(found_again_names_what_ended_the_episode),
        cmocka_unit_test(worked_example_matches_postgis),
        cmocka_unit_test(results_do_not_depend_on_jobs),
        cmocka_unit_test(random_histories_keep_the_identities),
    };
    int rc =
        cmocka_run_group_tests_name("ledger", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
