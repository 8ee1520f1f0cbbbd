/* SPDX-License-Identifier: MIT */
/* Dates and strings. */
#include "test_support.h"

#include <math.h>

#include "internal.h"

/* cmr__round_away is llround wherever |x| < 2^62: halves, the doubles
 * either side of them, integers beyond 2^52, and random values at every
 * scale. */
static void round_away_is_llround(void **state)
{
    (void)state;
    static const double edge[] = {0,
                                  0.5,
                                  1.5,
                                  2.5,
                                  0.49999999999999994,
                                  1,
                                  1e-300,
                                  0x1p52 - 0.5,
                                  0x1p52 + 1,
                                  0x1p53 - 1,
                                  0x1p53,
                                  0x1p53 + 2,
                                  0x1p62 - 1024,
                                  1.2676506002282294e16};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++)
        for (int sign = -1; sign <= 1; sign += 2) {
            double x = sign * edge[i];
            double near[] = {x, nextafter(x, -INFINITY),
                             nextafter(x, INFINITY)};
            for (int k = 0; k < 3; k++)
                if (fabs(near[k]) < 0x1p62)
                    assert_true(cmr__round_away(near[k]) == llround(near[k]));
        }
    uint64_t r = 88172645463325252u;
    for (int i = 0; i < 1000000; i++) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        double x = ldexp((double)(r >> 11) * 0x1p-53, (int)(r % 63)) *
                   (r & 1024 ? -1 : 1);
        assert_true(cmr__round_away(x) == llround(x));
    }
}

static void iso_dates_parse(void **state)
{
    (void)state;
    struct cmr__date d;
    assert_true(cmr__date_parse("2024-02-29", &d));
    assert_int_equal(d.year, 2024);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 29);
    assert_true(cmr__date_parse("2019/06/30", &d)); /* OGR's date text */
    assert_int_equal(d.month, 6);
    assert_true(cmr__date_parse("2019/06/30 00:00:00", &d));
    assert_true(cmr__date_parse("2019-06-30T12:00:00Z", &d));
    assert_true(cmr__date_parse("2019/06/30 10:00:00+00", &d)); /* OGR */
    assert_true(cmr__date_parse("2019-06-30T10:00:00.250+05:30", &d));
    assert_true(cmr__date_parse("2019-06-30 10:00", &d));
    assert_true(cmr__date_parse(" 2019-06-30 ", &d));
    assert_int_equal(d.day, 30);
}

/* Text after a date that is not a time of day is not a date. */
static void trailing_text_is_refused(void **state)
{
    (void)state;
    struct cmr__date d;
    assert_false(cmr__date_parse("2024-01-02 garbage", &d));
    assert_false(cmr__date_parse("2024-01-02Tx", &d));
    assert_false(cmr__date_parse("2024-01-02T10", &d));
    assert_false(cmr__date_parse("2024-01-02T10:00 then", &d));
    assert_false(cmr__date_parse("2024-01-02x", &d));
    assert_false(cmr__date_parse("2020-01-01T10:00+05:", &d));
    assert_false(cmr__date_parse("2020-01-01T25:00", &d));
    assert_false(cmr__date_parse("2020-01-01T10:61", &d));
    assert_false(cmr__date_parse("2020-01-01T24:30", &d));
}

static void impossible_dates_are_refused(void **state)
{
    (void)state;
    struct cmr__date d;
    assert_false(cmr__date_parse("2024-02-30", &d));
    assert_false(cmr__date_parse("2023-02-29", &d));
    assert_false(cmr__date_parse("1900-02-29", &d));
    assert_true(cmr__date_parse("2000-02-29", &d));
    assert_false(cmr__date_parse("2024-13-01", &d));
    assert_false(cmr__date_parse("2024-04-31", &d));
    assert_false(cmr__date_parse("30/06/2019", &d));
    assert_false(cmr__date_parse("2019-06-3", &d));
    assert_false(cmr__date_parse("2019-06/30", &d));
    assert_false(cmr__date_parse("yesterday", &d));
    assert_false(cmr__date_parse("", &d));
}

static void day_numbers_round_trip(void **state)
{
    (void)state;
    struct cmr__date epoch = {1970, 1, 1}, eif = {2010, 8, 1};
    assert_int_equal(cmr__date_days(epoch), 0);
    assert_int_equal(cmr__date_days(eif), 14822);
    for (int64_t z = -1000; z < 40000; z += 37) {
        struct cmr__date d = cmr__date_from_days(z);
        assert_true(cmr__date_valid(d.year, d.month, d.day));
        assert_int_equal(cmr__date_days(d), z);
    }
    char buf[11];
    cmr__date_format(eif, buf);
    assert_string_equal(buf, "2010-08-01");
}

static void strings_compare_and_trim(void **state)
{
    (void)state;
    assert_true(cmr__streq_ci("CHA", "cha"));
    assert_false(cmr__streq_ci("CHA", "CHAS"));
    char *t = cmr__trimdup("  Active \t");
    assert_string_equal(t, "Active");
    cmr__free(t);
    /* a spreadsheet's no-break spaces (U+00A0, U+202F, U+2007) and a byte
     * order mark, around; kept inside, and a lone lead byte kept */
    t = cmr__trimdup("\xef\xbb\xbf\xc2\xa0HZ\xc2\xa0"
                     "01\xe2\x80\xaf \xe2\x80\x87\xc2\xa0");
    assert_string_equal(t, "HZ\xc2\xa0"
                           "01");
    cmr__free(t);
    t = cmr__trimdup("\xc2\xa0\xc2");
    assert_string_equal(t, "\xc2");
    cmr__free(t);
    t = cmr__trimdup("\xc2\xa0 ");
    assert_string_equal(t, "");
    cmr__free(t);
    assert_true(cmr__contam_is_cmr("\xc2\xa0"
                                   "Cmr\xc2\xa0"));
    assert_true(cmr__contam_is_cmr(" \t"));
    assert_true(cmr__contam_is_cmr(NULL));
    assert_false(cmr__contam_is_cmr("CMR/UXO"));
    assert_false(cmr__contam_is_cmr("CM"));
}

/* A library loaded on first use: by its file, else its soname; a missing
 * library or function is a message, never a crash (libm stands in). */
static void lazy_libraries_load_or_say_why(void **state)
{
    (void)state;
    struct cmr__lazy_lib none = {"/nonexistent/libnone.so.1.2.3",
                                 "libnone-cmr-test.so.1", "None", NULL, ""};
    assert_false(cmr__lazy_open(&none));
    assert_null(none.handle);
    assert_non_null(strstr(none.failure, "libnone-cmr-test.so.1"));

    /* the file is gone (GDAL updated): the soname is loaded */
    struct cmr__lazy_lib m = {"/nonexistent/libm.so.6.0", "libm.so.6", "math",
                              NULL, ""};
    assert_true(cmr__lazy_open(&m));
    double (*cosine)(double) = NULL;
    assert_true(cmr__lazy_sym(&m, "cos", &cosine, sizeof cosine));
    assert_true(cosine(0.0) == 1.0);
    int (*nothing)(void) = NULL;
    assert_false(
        cmr__lazy_sym(&m, "cmr_no_such_function", &nothing, sizeof nothing));
    assert_null(m.handle);
    assert_string_equal(m.failure, "the math library loaded has no function "
                                   "cmr_no_such_function");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_away_is_llround),
        cmocka_unit_test(iso_dates_parse),
        cmocka_unit_test(lazy_libraries_load_or_say_why),
        cmocka_unit_test(trailing_text_is_refused),
        cmocka_unit_test(impossible_dates_are_refused),
        cmocka_unit_test(day_numbers_round_trip),
        cmocka_unit_test(strings_compare_and_trim),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
