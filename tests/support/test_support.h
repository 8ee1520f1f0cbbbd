/* SPDX-License-Identifier: MIT */
/* The single include of the unit tests: cmocka with the headers it needs,
 * assertions for doubles and statuses, and fixture paths. */
#ifndef CMR_TEST_SUPPORT_H
#define CMR_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <cmr/cmr.h>

/* cmocka 1.1.5 has no assert_double_equal; this prints both values. */
#define assert_near(a, b, eps)                                                 \
    do {                                                                       \
        double a_ = (a), b_ = (b), e_ = (eps);                                 \
        if (!(a_ - b_ <= e_ && b_ - a_ <= e_))                                 \
            fail_msg("%s = %.10g, expected %.10g (within %g)", #a, a_, b_,     \
                     e_);                                                      \
    } while (0)

/* Relative comparison: |a - b| <= rel * |b|. */
#define assert_rel(a, b, rel)                                                  \
    do {                                                                       \
        double a_ = (a), b_ = (b), r_ = (rel);                                 \
        double d_ = a_ - b_ < 0 ? b_ - a_ : a_ - b_;                           \
        double m_ = b_ < 0 ? -b_ : b_;                                         \
        if (!(d_ <= r_ * m_))                                                  \
            fail_msg("%s = %.10g, expected %.10g (relative %g, off %.3g)", #a, \
                     a_, b_, r_, m_ > 0 ? d_ / m_ : d_);                       \
    } while (0)

#define assert_status_ok(ctx, expr)                                            \
    do {                                                                       \
        enum cmr_status s_ = (expr);                                           \
        if (s_ != CMR_OK)                                                      \
            fail_msg("%s: %s: %s", #expr, cmr_status_str(s_),                  \
                     cmr_ctx_errmsg(ctx));                                     \
    } while (0)

#define assert_status(ctx, expr, want)                                         \
    do {                                                                       \
        enum cmr_status s_ = (expr);                                           \
        if (s_ != (want))                                                      \
            fail_msg("%s: got %s (%s), expected %s", #expr,                    \
                     cmr_status_str(s_), cmr_ctx_errmsg(ctx),                  \
                     cmr_status_str(want));                                    \
    } while (0)

#define assert_errmsg_has(ctx, fragment)                                       \
    do {                                                                       \
        if (!strstr(cmr_ctx_errmsg(ctx), (fragment)))                          \
            fail_msg("message '%s' lacks '%s'", cmr_ctx_errmsg(ctx),           \
                     (fragment));                                              \
    } while (0)

/* Paths: bundled data, test data, and a scratch directory per executable
 * (emptied at start). Returned strings are static, valid until the next
 * call of the same function. */
const char *geodata_path(const char *name);
const char *testdata_path(const char *name);
const char *scratch_path(const char *name);
/* Writes text to a scratch file and returns its path. */
const char *scratch_write(const char *name, const char *text);
/* SHA-256-free file identity: size and contents compared byte for byte. */
int files_equal(const char *a, const char *b);
/* Copies a file; 0 on success. */
int file_copy(const char *from, const char *to);

/* Group setup/teardown that make a context in *state. */
/* A State's areas, in a fixed order, for comparisons. */
enum { NFIELDS = 16 };
void state_fields(const struct cmr_ledger_state *x, double f[NFIELDS]);
/* Asserts that two States' figures are the same to the bit: every area,
 * the counts, the years and the provinces (not the findings). */
void assert_same_figures(const struct cmr_ledger_state *x,
                         const struct cmr_ledger_state *y);
/* The same, each area within tol of the other's (0: to the bit). */
void assert_figures_within(const struct cmr_ledger_state *x,
                           const struct cmr_ledger_state *y, double tol);

int ctx_setup(void **state);
int ctx_teardown(void **state);

#endif
