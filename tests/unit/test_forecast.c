/* SPDX-License-Identifier: MIT */
/* Forecast arithmetic with hand-computed answers. Dates: days from the
 * as-of date are years x 365.25, rounded half away from zero. */
#include <math.h>

#include "test_support.h"

#include "forecast_int.h"

static int64_t day(const char *s)
{
    struct cmr__date d;
    assert_true(cmr__date_parse(s, &d));
    return cmr__date_days(d);
}

static void assert_date(int64_t days, const char *want)
{
    char buf[11];
    cmr__date_format(cmr__date_from_days(days), buf);
    assert_string_equal(buf, want);
}

static struct cmr__fc_in input(double remaining, const double *rel,
                               const double *add, size_t n,
                               enum cmr_forecast_method m)
{
    struct cmr__fc_in in = {.remaining = remaining,
                            .as_of = day("2024-12-31"),
                            .released = rel,
                            .added = add,
                            .n = n,
                            .method = m,
                            .runs = 10000,
                            .seed = 1,
                            .capacity = 1};
    return in;
}

static void constant_rate_gives_the_exact_date(void **state)
{
    struct cmr_ctx *ctx = *state;
    const double rel[] = {100, 100, 100}, add[] = {0, 0, 0};
    struct cmr__fc_in in = input(1000, rel, add, 3, CMR_FORECAST_TRAILING);
    struct cmr__fc_out out;
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &out));
    /* 1000 / 100 = 10 years = 3652.5 days -> 3653: 2024-12-31 + 3652 is
     * 2034-12-31 (eight years of 365 days and two of 366). */
    assert_true(out.completes);
    assert_date(out.p50, "2035-01-01");
    assert_true(out.p10 == out.p50 && out.p90 == out.p50);
    assert_near(out.rate, 100, 0);
    /* A deadline after that date is met for certain, one before it not. */
    in.has_deadline = true;
    in.deadline = day("2035-06-01");
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &out));
    assert_near(out.p_deadline, 1, 0);
    in.deadline = day("2030-08-01");
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &out));
    assert_near(out.p_deadline, 0, 0);
    /* Half the capacity: twice the time (7305 days). */
    in.capacity = 0.5;
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &out));
    assert_date(out.p50, "2044-12-31");
    /* 50 of new contamination a year halves the net pace as well. */
    in.capacity = 1;
    in.has_discovery = true;
    in.discovery = 50;
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &out));
    assert_date(out.p50, "2044-12-31");
}

static void zero_release_gives_no_completion(void **state)
{
    struct cmr_ctx *ctx = *state;
    const double rel[] = {0, 0, 0}, add[] = {0, 0, 0};
    for (int m = 0; m < 3; m++) {
        struct cmr__fc_in in =
            input(500, rel, add, 3, (enum cmr_forecast_method)m);
        in.has_deadline = true;
        in.deadline = day("2030-01-01");
        struct cmr__fc_out out;
        assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &out));
        assert_false(out.completes);
        assert_true(out.p10 == INT64_MAX && out.p50 == INT64_MAX &&
                    out.p90 == INT64_MAX);
        assert_near(out.p_deadline, 0, 0);
    }
    /* Discovering as much as is released never finishes either. */
    const double r2[] = {100, 100, 100};
    struct cmr__fc_in in = input(500, r2, add, 3, CMR_FORECAST_TRAILING);
    in.has_discovery = true;
    in.discovery = 100;
    struct cmr__fc_out out;
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &out));
    assert_false(out.completes);
}

static void trend_recovers_the_slope_of_a_line(void **state)
{
    struct cmr_ctx *ctx = *state;
    const double rel[] = {10, 20, 30, 40, 50}, add[] = {0, 0, 0, 0, 0};
    double slope, intercept;
    assert_true(cmr__theil_sen(rel, NULL, 5, &slope, &intercept));
    assert_near(slope, 10, 1e-12);
    assert_near(intercept, 10, 1e-12);
    /* One outlier does not move Theil-Sen. */
    const double noisy[] = {10, 20, 300, 40, 50};
    assert_true(cmr__theil_sen(noisy, NULL, 5, &slope, &intercept));
    assert_near(slope, 10, 1e-12);
    /* Remaining 60 + 70 + 80 = 210: the next three fitted years. */
    struct cmr__fc_in in = input(210, rel, add, 5, CMR_FORECAST_TREND);
    struct cmr__fc_out out;
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &out));
    assert_near(out.slope, 10, 1e-12);
    assert_near(out.rate, 50, 1e-12);
    /* Exactly three years: 1095.75 days -> 1096. */
    assert_date(out.p50, "2028-01-01");
}

/* Years without a published figure are left out of the window, their
 * places kept: the line 10, 20, _, 40, 50 (no figure in the third year)
 * is the same line, and the next three fitted years are 60, 70, 80. */
static void trend_over_a_window_with_a_gap(void **state)
{
    struct cmr_ctx *ctx = *state;
    const double rel[] = {10, 20, 40, 50}, add[] = {0, 0, 0, 0},
                 x[] = {0, 1, 3, 4};
    double slope, intercept;
    assert_true(cmr__theil_sen(rel, x, 4, &slope, &intercept));
    assert_near(slope, 10, 1e-12);
    assert_near(intercept, 10, 1e-12);
    struct cmr__fc_in in = input(210, rel, add, 4, CMR_FORECAST_TREND);
    in.x = x;
    in.x_asof = 4;
    struct cmr__fc_out out;
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &out));
    assert_near(out.rate, 50, 1e-12);
    assert_date(out.p50, "2028-01-01");
    /* Without the places, the four figures would be read as consecutive
     * years: another slope (Theil-Sen of 10, 20, 40, 50 over 0..3). */
    assert_true(cmr__theil_sen(rel, NULL, 4, &slope, &intercept));
    assert_true(fabs(slope - 10) > 1);
    /* The trailing mean is that of the years with a figure: 120 / 4. */
    in.method = CMR_FORECAST_TRAILING;
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &out));
    assert_near(out.mean, 30, 1e-12);
}

static void montecarlo_of_one_rate_is_the_trailing_date(void **state)
{
    struct cmr_ctx *ctx = *state;
    const double rel[] = {100, 100, 100}, add[] = {0, 0, 0};
    struct cmr__fc_in in = input(1000, rel, add, 3, CMR_FORECAST_MONTECARLO);
    struct cmr__fc_out mc, tr;
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &mc));
    in.method = CMR_FORECAST_TRAILING;
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &tr));
    assert_true(mc.p10 == tr.p50 && mc.p50 == tr.p50 && mc.p90 == tr.p50);
}

static void montecarlo_p50_is_stable_across_seeds(void **state)
{
    struct cmr_ctx *ctx = *state;
    const double rel[] = {50, 100, 150, 80, 120}, add[] = {0, 10, 0, 5, 0};
    int64_t lo = INT64_MAX, hi = 0, span = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        struct cmr__fc_in in =
            input(1000, rel, add, 5, CMR_FORECAST_MONTECARLO);
        in.seed = seed;
        struct cmr__fc_out out;
        assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &out));
        assert_true(out.p10 <= out.p50 && out.p50 <= out.p90);
        assert_true(out.p10 < out.p90); /* a real spread */
        lo = out.p50 < lo ? out.p50 : lo;
        hi = out.p50 > hi ? out.p50 : hi;
        span = out.p50 - in.as_of;
    }
    if ((double)(hi - lo) >= 0.01 * (double)span)
        fail_msg("P50 varies by %lld days over %lld", (long long)(hi - lo),
                 (long long)span);
}

static void montecarlo_is_deterministic_for_a_seed(void **state)
{
    struct cmr_ctx *ctx = *state;
    const double rel[] = {50, 100, 150}, add[] = {0, 30, 0};
    struct cmr__fc_in in = input(1000, rel, add, 3, CMR_FORECAST_MONTECARLO);
    in.has_deadline = true;
    in.deadline = day("2033-01-01");
    struct cmr__fc_out a, b;
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &a));
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &b));
    assert_true(a.p10 == b.p10 && a.p50 == b.p50 && a.p90 == b.p90);
    assert_true(a.p_deadline == b.p_deadline);
    assert_true(a.p_deadline > 0 && a.p_deadline < 1);
    /* Expected discovery from the added series: its mean. */
    assert_near(a.discovery, 10, 1e-12);
}

static void nothing_remaining_is_complete_now(void **state)
{
    struct cmr_ctx *ctx = *state;
    const double rel[] = {0, 0, 0}, add[] = {0, 0, 0};
    struct cmr__fc_in in = input(0, rel, add, 3, CMR_FORECAST_MONTECARLO);
    struct cmr__fc_out out;
    assert_status_ok(ctx, cmr__forecast_core(ctx, &in, &out));
    assert_true(out.completes);
    assert_date(out.p50, "2024-12-31");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constant_rate_gives_the_exact_date),
        cmocka_unit_test(zero_release_gives_no_completion),
        cmocka_unit_test(trend_recovers_the_slope_of_a_line),
        cmocka_unit_test(trend_over_a_window_with_a_gap),
        cmocka_unit_test(montecarlo_of_one_rate_is_the_trailing_date),
        cmocka_unit_test(montecarlo_p50_is_stable_across_seeds),
        cmocka_unit_test(montecarlo_is_deterministic_for_a_seed),
        cmocka_unit_test(nothing_remaining_is_complete_now),
    };
    int rc =
        cmocka_run_group_tests_name("forecast", tests, ctx_setup, ctx_teardown);
    cmr_global_cleanup();
    return rc;
}
