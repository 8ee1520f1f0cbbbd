/* SPDX-License-Identifier: MIT */
/* The LAP indicator model against the 13MSP Progress Report (section VI):
 * the count of indicators per pillar, printed values and their parsing, the
 * States the report names, and indicators 20 and 25 computed from the
 * bundled deadlines data equal to the reported ones with the right States. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <threads.h>

#include "hash.h"
#include "test_support.h"

static struct cmr_indicators *load(struct cmr_ctx *ctx, const char *db,
                                   const char *pillar)
{
    struct cmr_store *s = NULL;
    struct cmr_indicators *S = NULL;
    struct cmr_indicator_opts o = {.pillar = pillar,
                                   .datadir = CMR_TEST_GEODATA};
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    assert_status_ok(ctx, cmr_indicators_compute(ctx, s, &o, &S));
    cmr_store_close(s);
    return S;
}

static const char *store(struct cmr_ctx *ctx)
{
    const char *db = scratch_path("lap.gpkg");
    remove(db);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_create(ctx, db, &s));
    cmr_store_close(s);
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    assert_status_ok(ctx, cmr_import_opts_source(ctx, o, CMR_KIND_DEADLINES,
                                                 geodata_path("deadlines.csv"),
                                                 NULL));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
    return db;
}

static const struct cmr_indicator *find(const struct cmr_indicators *S,
                                        const char *id)
{
    for (size_t i = 0; i < cmr_indicators_count(S); i++)
        if (strcmp(cmr_indicators_get(S, i)->id, id) == 0)
            return cmr_indicators_get(S, i);
    fail_msg("no indicator %s", id);
    return NULL;
}

static void every_indicator_of_every_pillar(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    struct cmr_indicators *S = load(ctx, db, NULL);
    assert_int_equal(cmr_indicators_count(S), 80);
    assert_string_equal(cmr_indicators_cycle(S), "13MSP");
    const char *start, *end;
    cmr_indicators_period(S, &start, &end);
    assert_string_equal(start, "2024-07-01");
    assert_string_equal(end, "2025-06-30");
    static const struct {
        const char *pillar;
        size_t n;
    } per[] = {{"guiding-principles", 13}, {"gender", 5},
               {"universalization", 7},    {"stockpile-destruction", 8},
               {"survey-clearance", 13},   {"risk-education", 5},
               {"victim-assistance", 11},  {"cooperation-assistance", 8},
               {"transparency", 4},        {"national-implementation", 4},
               {"compliance", 2}};
    for (size_t p = 0; p < sizeof per / sizeof *per; p++) {
        size_t n = 0;
        for (size_t i = 0; i < cmr_indicators_count(S); i++)
            n += strcmp(cmr_indicators_get(S, i)->pillar, per[p].pillar) == 0;
        if (n != per[p].n)
            fail_msg("%s: %zu indicators, the report has %zu", per[p].pillar, n,
                     per[p].n);
    }
    cmr_indicators_free(S);
}

static void printed_values_as_in_the_report(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    struct cmr_indicators *S = load(ctx, db, NULL);
    /* Survey and clearance, Action 20: 03, 01, 02, 05 (DOMAIN.md). */
    const struct cmr_indicator *x = find(S, "20");
    assert_string_equal(x->values[0].printed, "03");
    assert_int_equal(x->values[3].kind, 1);
    assert_near(x->values[3].v[0], 5, 0);
    assert_string_equal(x->pillar, "survey-clearance");
    assert_int_equal(x->action, 20);
    /* 26: lessons learnt, 02 02 03 13. */
    x = find(S, "26");
    assert_near(x->values[3].v[0], 13, 0);
    assert_near(find(S, "22")->values[3].v[0], 10, 0);
    /* Two numbers, a footnote mark, N/A. */
    bool pair = false, mark = false, na = false;
    for (size_t i = 0; i < cmr_indicators_count(S); i++)
        for (int c = 0; c < CMR_LAP_CYCLES; c++) {
            const struct cmr_lap_value *v =
                &cmr_indicators_get(S, i)->values[c];
            if (strcmp(v->printed, "226 / 15,497") == 0) {
                assert_int_equal(v->kind, 2);
                assert_near(v->v[0], 226, 0);
                assert_near(v->v[1], 15497, 0);
                pair = true;
            }
            if (strcmp(v->printed, "61*") == 0) {
                assert_int_equal(v->kind, 1);
                assert_near(v->v[0], 61, 0);
                assert_string_equal(v->note, "*");
                mark = true;
            }
            if (strcmp(v->printed, "N/A") == 0) {
                assert_int_equal(v->kind, 0);
                na = true;
            }
        }
    assert_true(pair && mark && na);
    cmr_indicators_free(S);
}

static void requests_and_completion_computed_as_reported(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    struct cmr_indicators *S = load(ctx, db, "survey-clearance");
    assert_int_equal(cmr_indicators_count(S), 13);
    const struct cmr_indicator *x = find(S, "20");
    assert_true(x->computed);
    assert_near(x->computed_value, 5, 0);
    assert_false(x->mismatch);
    static const char *const want[] = {"AFG", "CHL", "LBN", "MRT", "SOM"};
    assert_int_equal(x->nstates, 5);
    assert_int_equal(x->nreported, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(x->states[i], want[i]);
        assert_string_equal(x->reported_states[i], want[i]);
    }
    x = find(S, "25");
    assert_true(x->computed);
    assert_near(x->computed_value, 0, 0);
    assert_false(x->mismatch);
    /* Indicators the data cannot decide stay null. */
    assert_false(find(S, "26")->computed);
    cmr_indicators_free(S);
}

/* A computed value that rests on records made by cmr synth is marked
 * synthetic, whether the synthetic State is counted or only decides (a
 * review found "0 MISMATCH" unflagged where synthetic States decided it
 * all); one from a State's own records is not. LBN is synthetic here, LAO
 * the worked example (tests/data/ledger-example). */
static void values_from_synthetic_records_are_marked(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    const char *syn = scratch_path("lbn.gpkg");
    remove(syn);
    struct cmr_synth_opts so = {.country = "LBN", .seed = 3};
    assert_status_ok(ctx, cmr_synth(ctx, &so, syn, NULL));
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    assert_status_ok(
        ctx, cmr_import_opts_source(ctx, o, CMR_KIND_HAZARD, syn, "hazards"));
    assert_status_ok(
        ctx, cmr_import_opts_source(ctx, o, CMR_KIND_RELEASE, syn, "releases"));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    assert_status_ok(
        ctx, cmr_import_opts_source(ctx, o, CMR_KIND_HAZARD,
                                    CMR_TEST_LEDGER "/hazards.geojson", NULL));
    /* With the boundaries, both States' remaining areas have provinces. */
    assert_status_ok(
        ctx, cmr_import_opts_source(ctx, o, CMR_KIND_BOUNDARIES,
                                    geodata_path("boundaries.gpkg"), NULL));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);

    struct cmr_indicators *S = load(ctx, db, "survey-clearance");
    static const char *const ids[] = {"18b", "21b", "24", "25", "20"};
    size_t with_lbn = 0, with_lao = 0;
    for (size_t i = 0; i < 5; i++) {
        const struct cmr_indicator *x = find(S, ids[i]);
        assert_true(x->computed);
        bool lbn = false, lao = false, lbn_decides = false;
        for (size_t k = 0; k < x->nstates; k++) {
            lbn |= strcmp(x->states[k], "LBN") == 0;
            lao |= strcmp(x->states[k], "LAO") == 0;
        }
        for (size_t k = 0; k < x->ncovered; k++)
            lbn_decides |= strcmp(x->covered[k], "LBN") == 0;
        with_lbn += lbn;
        with_lao += lao;
        /* 20 counts requests in the published deadlines data. */
        if (strcmp(ids[i], "20") == 0)
            assert_false(x->synthetic);
        else
            assert_int_equal(x->synthetic, lbn_decides);
        if (lbn)
            assert_true(lbn_decides);
    }
    /* Both kinds of State take part, so both answers are tested. */
    assert_true(with_lbn >= 2);
    assert_true(with_lao >= 1);
    cmr_indicators_free(S);
}

static struct cmr_indicators *load_from(struct cmr_ctx *ctx, const char *db,
                                        const char *dir)
{
    struct cmr_store *s = NULL;
    struct cmr_indicators *S = NULL;
    struct cmr_indicator_opts o = {.datadir = dir};
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    assert_status_ok(ctx, cmr_indicators_compute(ctx, s, &o, &S));
    cmr_store_close(s);
    return S;
}

static void assert_same_model(const struct cmr_indicators *a,
                              const struct cmr_indicators *b)
{
    assert_int_equal(cmr_indicators_count(a), cmr_indicators_count(b));
    const char *s1, *e1, *s2, *e2;
    cmr_indicators_period(a, &s1, &e1);
    cmr_indicators_period(b, &s2, &e2);
    assert_string_equal(s1, s2);
    assert_string_equal(e1, e2);
    for (size_t i = 0; i < cmr_indicators_count(a); i++) {
        const struct cmr_indicator *x = cmr_indicators_get(a, i),
                                   *y = cmr_indicators_get(b, i);
        assert_string_equal(x->id, y->id);
        assert_string_equal(x->pillar, y->pillar);
        assert_string_equal(x->indicator, y->indicator);
        assert_int_equal(x->action, y->action);
        assert_int_equal(!x->footnote, !y->footnote);
        if (x->footnote)
            assert_string_equal(x->footnote, y->footnote);
        for (int c = 0; c < CMR_LAP_CYCLES; c++)
            assert_string_equal(x->values[c].printed, y->values[c].printed);
        assert_int_equal(x->nreported, y->nreported);
        for (size_t k = 0; k < x->nreported; k++)
            assert_string_equal(x->reported_states[k], y->reported_states[k]);
        assert_int_equal(x->computed, y->computed);
        assert_int_equal(x->nstates, y->nstates);
    }
}

static void copy_csv_files(const char *dir)
{
    static const char *const files[] = {"lap-indicators.csv", "lap-cycles.csv",
                                        "lap-state-facts.csv"};
    char to[4096 + 32];
    for (size_t i = 0; i < 3; i++) {
        snprintf(to, sizeof to, "%s/%s", dir, files[i]);
        assert_int_equal(file_copy(geodata_path(files[i]), to), 0);
    }
}

/* geodata/lap.gpkg (scripts/lap-gpkg.sh) holds the three CSV files as
 * tables, read with SQLite alone: it must be up to date with them, read as
 * they read, and never used when they have changed. */
static void the_gpkg_copy_of_the_model_reads_as_its_csv_files(void **state)
{
    struct cmr_ctx *ctx = *state;
    /* up to date: the hashes it holds are those of the CSV files */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(geodata_path("lap.gpkg"), &db,
                                     SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT file, sha256 FROM "
                                        "source_files ORDER BY file",
                                        -1, &q, NULL),
                     SQLITE_OK);
    int n = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        char sha[65];
        const char *file = (const char *)sqlite3_column_text(q, 0);
        assert_true(cmr__sha256_path(geodata_path(file), sha));
        if (strcmp(sha, (const char *)sqlite3_column_text(q, 1)) != 0)
            fail_msg("geodata/lap.gpkg is stale for %s: run "
                     "scripts/lap-gpkg.sh",
                     file);
        n++;
    }
    assert_int_equal(n, 3);
    sqlite3_finalize(q);
    sqlite3_close(db);

    char store_db[4096]; /* scratch_path's buffer is reused below */
    snprintf(store_db, sizeof store_db, "%s", store(ctx));
    struct cmr_indicators *with_copy =
        load_from(ctx, store_db, CMR_TEST_GEODATA);
    /* the CSV files alone */
    char dir[2048];
    snprintf(dir, sizeof dir, "%s", scratch_path("lap-csv"));
    mkdir(dir, 0755);
    copy_csv_files(dir);
    struct cmr_indicators *csv = load_from(ctx, store_db, dir);
    assert_same_model(with_copy, csv);
    cmr_indicators_free(csv);

    /* a copy older than an edited CSV file is not used */
    snprintf(dir, sizeof dir, "%s", scratch_path("lap-stale"));
    mkdir(dir, 0755);
    copy_csv_files(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/lap.gpkg", dir);
    assert_int_equal(file_copy(geodata_path("lap.gpkg"), path), 0);
    snprintf(path, sizeof path, "%s/lap-indicators.csv", dir);
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs("survey-clearance,99,99z,\"An indicator added after the copy.\","
          "01,02,03,04,\n",
          f);
    fclose(f);
    struct cmr_indicators *edited = load_from(ctx, store_db, dir);
    assert_int_equal(cmr_indicators_count(edited),
                     cmr_indicators_count(with_copy) + 1);
    assert_string_equal(find(edited, "99z")->values[3].printed, "04");
    cmr_indicators_free(edited);

    /* The copy is read when it matches: a value changed in the copy
     * alone shows (which also shows that the copy, not the files, was
     * read). It is not read when source_files names a file twice, when a
     * table has fewer rows than source_files says, or lacks a column (the
     * files are read instead, and give the bundled value). */
    static const char *const tamper[] = {
        NULL,
        "INSERT INTO source_files (file, sha256, n_rows) SELECT file, "
        "sha256, n_rows FROM source_files WHERE file = 'lap-cycles.csv'",
        "DELETE FROM lap_state_facts WHERE fid = (SELECT MAX(fid) FROM "
        "lap_state_facts)",
        "ALTER TABLE lap_indicators RENAME COLUMN note TO remark"};
    for (size_t k = 0; k < sizeof tamper / sizeof *tamper; k++) {
        snprintf(dir, sizeof dir, "%s", scratch_path("lap-tampered"));
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
        mkdir(dir, 0755);
        copy_csv_files(dir);
        snprintf(path, sizeof path, "%s/lap.gpkg", dir);
        assert_int_equal(file_copy(geodata_path("lap.gpkg"), path), 0);
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db,
                                      "UPDATE lap_indicators SET "
                                      "printed_13msp = '77' WHERE id = '20'",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
        if (tamper[k])
            assert_int_equal(sqlite3_exec(db, tamper[k], NULL, NULL, NULL),
                             SQLITE_OK);
        sqlite3_close(db);
        struct cmr_indicators *t = load_from(ctx, store_db, dir);
        assert_string_equal(find(t, "20")->values[3].printed,
                            tamper[k] ? "05" : "77");
        assert_same_model(t, tamper[k] ? with_copy : t);
        cmr_indicators_free(t);
    }
    cmr_indicators_free(with_copy);
}

/* The model loaded alone, in a context of its own on another thread (as
 * cmr status reads it while the store opens), then filled: the same set
 * as cmr_indicators_compute gives, with the same ledger date; a second
 * fill is refused. */
struct loaded {
    struct cmr_indicator_opts o;
    struct cmr_indicators *S;
    enum cmr_status st;
};

static int load_alone(void *arg)
{
    struct loaded *l = arg;
    struct cmr_ctx *c = NULL;
    l->st = cmr_ctx_new(&c);
    if (!l->st)
        l->st = cmr_indicators_load(c, &l->o, &l->S);
    cmr_ctx_free(c);
    return 0;
}

static void loaded_on_a_thread_then_filled_is_computed(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    struct loaded l = {.o = {.datadir = CMR_TEST_GEODATA}};
    thrd_t th;
    assert_int_equal(thrd_create(&th, load_alone, &l), thrd_success);
    assert_int_equal(thrd_join(th, NULL), thrd_success);
    assert_status_ok(ctx, l.st);
    /* nothing computed before the fill */
    for (size_t i = 0; i < cmr_indicators_count(l.S); i++)
        assert_false(cmr_indicators_get(l.S, i)->computed);
    char d1[11], d2[11];
    cmr_indicators_ledger_date_of(l.S, d1);
    assert_status_ok(ctx, cmr_indicators_ledger_date(ctx, &l.o, d2));
    assert_string_equal(d1, d2);
    assert_string_equal(d1, "2024-12-31"); /* 13MSP ends in 2025 */
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    assert_status_ok(ctx, cmr_indicators_fill(ctx, s, &l.o, l.S));
    assert_status(ctx, cmr_indicators_fill(ctx, s, &l.o, l.S), CMR_EINVAL);
    assert_errmsg_has(ctx, "computed already");
    cmr_store_close(s);
    struct cmr_indicators *C = load(ctx, db, NULL);
    assert_same_model(l.S, C);
    /* the five computed ones filled alike: decided (20, 25: the deadlines
     * data), or unknown with the reason (no record in this store) */
    size_t filled = 0;
    for (size_t i = 0; i < cmr_indicators_count(C); i++) {
        const struct cmr_indicator *x = cmr_indicators_get(l.S, i),
                                   *y = cmr_indicators_get(C, i);
        filled += y->rule != NULL;
        assert_int_equal(x->computed, y->computed);
        assert_int_equal(x->undecided, y->undecided);
        if (y->computed)
            assert_true(x->computed_value == y->computed_value);
    }
    assert_int_equal(filled, 5);
    cmr_indicators_free(C);
    cmr_indicators_free(l.S);
}

/* Imports into db: the deadlines data (path or NULL), the worked example's
 * hazards and releases (Lao PDR) and the boundaries, where asked. */
static void import_into(struct cmr_ctx *ctx, const char *db,
                        const char *deadlines, bool lao, bool boundaries)
{
    struct cmr_import_opts *o = NULL;
    struct cmr_import_report *rep = NULL;
    assert_status_ok(ctx, cmr_import_opts_new(ctx, &o));
    if (deadlines)
        assert_status_ok(ctx, cmr_import_opts_source(ctx, o, CMR_KIND_DEADLINES,
                                                     deadlines, NULL));
    if (lao) {
        assert_status_ok(ctx, cmr_import_opts_source(
                                  ctx, o, CMR_KIND_HAZARD,
                                  CMR_TEST_LEDGER "/hazards.geojson", NULL));
        assert_status_ok(ctx, cmr_import_opts_source(
                                  ctx, o, CMR_KIND_RELEASE,
                                  CMR_TEST_LEDGER "/releases.geojson", NULL));
    }
    if (boundaries)
        assert_status_ok(
            ctx, cmr_import_opts_source(ctx, o, CMR_KIND_BOUNDARIES,
                                        geodata_path("boundaries.gpkg"), NULL));
    assert_status_ok(ctx, cmr_import(ctx, db, o, &rep));
    cmr_import_report_free(rep);
    cmr_import_opts_free(o);
}

/* A new store named name, with nothing in it but the ten States. */
static const char *bare_store(struct cmr_ctx *ctx, const char *name)
{
    const char *db = scratch_path(name);
    remove(db);
    struct cmr_store *s = NULL;
    assert_status_ok(ctx, cmr_store_create(ctx, db, &s));
    cmr_store_close(s);
    return db;
}

/* x is an indicator cmr computes that the store cannot decide: unknown
 * (no value, no States, no mismatch), and its detail says why. */
static void assert_unknown(const struct cmr_indicator *x, const char *why)
{
    assert_non_null(x->rule);
    assert_true(x->undecided);
    assert_false(x->computed);
    assert_true(isnan(x->computed_value));
    assert_int_equal(x->nstates, 0);
    assert_int_equal(x->ncovered, 0);
    assert_false(x->mismatch);
    assert_false(x->synthetic);
    assert_non_null(x->detail);
    if (strncmp(x->detail, "unknown: ", 9) != 0 || !strstr(x->detail, why))
        fail_msg("%s: detail '%s', not 'unknown: ...%s'", x->id, x->detail,
                 why);
}

/* Where no State's data in the store decides a computed indicator, it is
 * unknown, not 0 and a MISMATCH (a review found 18b, 21b and 24 "0
 * MISMATCH" in an empty store, 20 in one without the deadlines data, 24
 * in one without boundaries). */
static void what_the_store_cannot_decide_is_unknown_not_zero(void **state)
{
    struct cmr_ctx *ctx = *state;
    /* nothing but the States: no record, no deadlines data, no boundaries */
    const char *db = bare_store(ctx, "bare.gpkg");
    struct cmr_indicators *S = load(ctx, db, "survey-clearance");
    assert_unknown(find(S, "18b"), "no open hazard in the store at 2024-12-31");
    assert_unknown(find(S, "21b"), "no hazard or release record in the "
                                   "store at 2024-12-31");
    assert_unknown(find(S, "24"), "no boundaries in the store");
    assert_unknown(find(S, "20"), "the store has no deadlines data");
    assert_unknown(find(S, "25"), "the store has no deadlines data");
    /* (one cmr does not compute stays as it was: no rule, no detail) */
    assert_false(find(S, "26")->undecided);
    assert_null(find(S, "26")->rule);
    cmr_indicators_free(S);
    /* with the deadlines data, 20 and 25 are decided for every State */
    import_into(ctx, db, geodata_path("deadlines.csv"), false, true);
    S = load(ctx, db, "survey-clearance");
    for (int k = 0; k < 2; k++) {
        const struct cmr_indicator *x = find(S, k ? "25" : "20");
        assert_true(x->computed);
        assert_false(x->undecided);
        assert_int_equal(x->ncovered, 10);
        assert_int_equal(x->nscope, 10);
        assert_false(x->mismatch);
    }
    assert_unknown(find(S, "24"), "no hazard or release record in the store "
                                  "at 2024-12-31");
    cmr_indicators_free(S);
}

/* Where only some States' data decide it, the value counts those alone,
 * says which, and is a mismatch only where the reported count is out of
 * its reach (a review found "1 MISMATCH" from one State's records, with
 * nothing saying how many States had data). */
static void a_value_from_some_states_says_how_many(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = bare_store(ctx, "lao-only.gpkg");
    import_into(ctx, db, geodata_path("deadlines.csv"), true, true);
    struct cmr_indicators *S = load(ctx, db, "survey-clearance");
    for (int k = 0; k < 2; k++) {
        const struct cmr_indicator *x = find(S, k ? "24" : "21b");
        assert_true(x->computed);
        assert_int_equal(x->ncovered, 1);
        assert_string_equal(x->covered[0], "LAO");
        assert_int_equal(x->nscope, 10);
        /* 9 reported: reachable with the nine States without data */
        assert_near(x->values[3].v[0], 9, 0);
        assert_false(x->mismatch);
        assert_non_null(x->detail);
        assert_non_null(strstr(x->detail,
                               "decided for 1 of the 10 States in the store "
                               "(LAO): the others have no record at "
                               "2024-12-31"));
    }
    /* The worked example's hazards do not say whether they are marked. */
    assert_unknown(find(S, "18b"), "says whether it is marked");
    cmr_indicators_free(S);

    /* The deadlines data without Afghanistan: 20 is decided for nine
     * States, four count, and the fifth the report names may be the one
     * left out: no mismatch. */
    char csv[4096];
    snprintf(csv, sizeof csv, "%s", scratch_path("deadlines-no-afg.csv"));
    FILE *in = fopen(geodata_path("deadlines.csv"), "r"),
         *out = fopen(csv, "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[8192];
    while (fgets(line, sizeof line, in))
        if (strncmp(line, "AFG,", 4) != 0)
            fputs(line, out);
    fclose(in);
    fclose(out);
    db = bare_store(ctx, "no-afg.gpkg");
    import_into(ctx, db, csv, false, false);
    S = load(ctx, db, "survey-clearance");
    const struct cmr_indicator *x = find(S, "20");
    assert_true(x->computed);
    assert_near(x->computed_value, 4, 0);
    assert_int_equal(x->ncovered, 9);
    assert_false(x->mismatch);
    assert_non_null(strstr(x->detail, "decided for 9 of the 10 States"));
    cmr_indicators_free(S);
    /* Afghanistan's rows, but not its request of the cycle: decided for
     * all ten, four where the report names five: a mismatch. */
    in = fopen(geodata_path("deadlines.csv"), "r");
    out = fopen(csv, "w");
    assert_non_null(in);
    assert_non_null(out);
    while (fgets(line, sizeof line, in))
        if (strncmp(line, "AFG,request_submitted,2024-07-01", 32) != 0)
            fputs(line, out);
    fclose(in);
    fclose(out);
    db = bare_store(ctx, "afg-no-request.gpkg");
    import_into(ctx, db, csv, false, false);
    S = load(ctx, db, "survey-clearance");
    x = find(S, "20");
    assert_near(x->computed_value, 4, 0);
    assert_int_equal(x->ncovered, 10);
    assert_true(x->mismatch);
    cmr_indicators_free(S);
}

static void unknown_cycle_and_pillar_are_refused(void **state)
{
    struct cmr_ctx *ctx = *state;
    const char *db = store(ctx);
    struct cmr_store *s = NULL;
    struct cmr_indicators *S = NULL;
    assert_status_ok(ctx, cmr_store_open(ctx, db, CMR_STORE_READ, &s));
    struct cmr_indicator_opts o = {.cycle = "14MSP",
                                   .datadir = CMR_TEST_GEODATA};
    assert_status(ctx, cmr_indicators_compute(ctx, s, &o, &S), CMR_EINVAL);
    assert_errmsg_has(ctx, "14MSP");
    o.cycle = NULL;
    o.pillar = "mines";
    assert_status(ctx, cmr_indicators_compute(ctx, s, &o, &S), CMR_EINVAL);
    cmr_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_indicator_of_every_pillar),
        cmocka_unit_test(printed_values_as_in_the_report),
        cmocka_unit_test(requests_and_completion_computed_as_reported),
        cmocka_unit_test(values_from_synthetic_records_are_marked),
        cmocka_unit_test(what_the_store_cannot_decide_is_unknown_not_zero),
        cmocka_unit_test(a_value_from_some_states_says_how_many),
        cmocka_unit_test(unknown_cycle_and_pillar_are_refused),
        cmocka_unit_test(the_gpkg_copy_of_the_model_reads_as_its_csv_files),
        cmocka_unit_test(loaded_on_a_thread_then_filled_is_computed),
    };
    int rc = cmocka_run_group_tests_name("indicators", tests, ctx_setup,
                                         ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
