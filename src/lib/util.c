/* SPDX-License-Identifier: MIT */
/* Small string and calendar helpers with no third-party calls. */
#include <ctype.h>
#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "internal.h"

bool cmr__streq_ci(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

/* The length of the white space s starts with (0 if none): ASCII's, and
 * the no-break spaces a spreadsheet leaves (U+00A0, U+2007, U+202F) and a
 * byte order mark (U+FEFF); in UTF-8. */
static size_t space_at(const char *s)
{
    static const char *const wide[] = {"\xc2\xa0", "\xe2\x80\x87",
                                       "\xe2\x80\xaf", "\xef\xbb\xbf"};
    if (isspace((unsigned char)*s))
        return 1;
    for (size_t i = 0; i < sizeof wide / sizeof *wide; i++)
        if (strncmp(s, wide[i], strlen(wide[i])) == 0)
            return strlen(wide[i]);
    return 0;
}

/* The same, of the white space s[0..n) ends with. */
static size_t space_before(const char *s, size_t n)
{
    for (size_t k = n < 3 ? n : 3; k > 0; k--)
        if (space_at(s + n - k) == k)
            return k;
    return 0;
}

const char *cmr__skip_space(const char *s)
{
    for (size_t k; (k = space_at(s));)
        s += k;
    return s;
}

/* s without the white space around it: its start, and in *n its length. */
static const char *trimmed(const char *s, size_t *n)
{
    s = cmr__skip_space(s);
    *n = strlen(s);
    for (size_t k; *n && (k = space_before(s, *n));)
        *n -= k;
    return s;
}

bool cmr__contam_is_cmr(const char *s)
{
    if (!s)
        return true;
    size_t n;
    s = trimmed(s, &n);
    return n == 0 || (n == 3 && tolower((unsigned char)s[0]) == 'c' &&
                      tolower((unsigned char)s[1]) == 'm' &&
                      tolower((unsigned char)s[2]) == 'r');
}

bool cmr__utf8_valid(const char *s)
{
    return g_utf8_validate(s, -1, NULL);
}

void cmr__utf8_cut(char *s)
{
    const char *end = NULL;
    if (!g_utf8_validate(s, -1, &end))
        s[end - s] = '\0';
}

char *cmr__trimdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n;
    s = trimmed(s, &n);
    char *d = cmr__malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

bool cmr__date_valid(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool cmr__date_parse(const char *s, struct cmr__date *out)
{
    int y, m, d;
    if (!s)
        return false;
    while (isspace((unsigned char)*s))
        s++;
    if (strlen(s) < 10 || !digits(s, 4, &y) || (s[4] != '-' && s[4] != '/') ||
        !digits(s + 5, 2, &m) || s[7] != s[4] || !digits(s + 8, 2, &d))
        return false;
    /* After the date: nothing, or a time of day (HH:MM[:SS[.fff]]) after
     * 'T' or a space, with an optional zone (Z, +HH, +HHMM, +HH:MM); then
     * only white space. */
    const char *rest = s + 10;
    int hh, mm, t;
    if ((*rest == 'T' || *rest == ' ') && digits(rest + 1, 2, &hh) &&
        rest[3] == ':' && digits(rest + 4, 2, &mm)) {
        if (hh > 24 || mm > 59 || (hh == 24 && mm > 0))
            return false;
        rest += 6;
        if (*rest == ':' && digits(rest + 1, 2, &t)) {
            if (t > 60)
                return false;
            rest += 3;
            if (*rest == '.' && isdigit((unsigned char)rest[1]))
                for (rest++; isdigit((unsigned char)*rest); rest++)
                    ;
        }
        if (*rest == 'Z')
            rest++;
        else if ((*rest == '+' || *rest == '-') && digits(rest + 1, 2, &t)) {
            rest += 3;
            if (*rest == ':' && digits(rest + 1, 2, &t))
                rest += 3;
            else if (digits(rest, 2, &t))
                rest += 2;
        }
    }
    while (isspace((unsigned char)*rest))
        rest++;
    if (*rest)
        return false;
    if (!cmr__date_valid(y, m, d))
        return false;
    out->year = y;
    out->month = m;
    out->day = d;
    return true;
}

bool cmr__date_parse_published(const char *s, struct cmr__date *out)
{
    size_t n = s ? strlen(s) : 0;
    if (n != 4 && n != 7 && n != 10)
        return false;
    char full[16];
    snprintf(full, sizeof full, "%s%s", s,
             n == 4   ? "-01-01"
             : n == 7 ? "-01"
                      : "");
    return cmr__date_parse(full, out);
}

bool cmr_date_valid(const char *s)
{
    struct cmr__date d;
    return s && strlen(s) == 10 && cmr__date_parse(s, &d);
}

/* Howard Hinnant's days_from_civil. */
int64_t cmr__date_days(struct cmr__date dt)
{
    int64_t y = dt.year - (dt.month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (dt.month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + dt.day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct cmr__date cmr__date_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    struct cmr__date r = {(int)(y + (m <= 2)), (int)m, (int)d};
    return r;
}

void cmr__date_format(struct cmr__date d, char buf[11])
{
    snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)d.year % 10000u,
             (unsigned)d.month % 100u, (unsigned)d.day % 100u);
}

int cmr__date_cmp(struct cmr__date a, struct cmr__date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

bool cmr__lazy_open(struct cmr__lazy_lib *l)
{
    l->handle = dlopen(l->path, RTLD_LAZY | RTLD_LOCAL);
    if (!l->handle && l->soname && l->soname[0])
        l->handle = dlopen(l->soname, RTLD_LAZY | RTLD_LOCAL);
    if (!l->handle) {
        const char *e = dlerror();
        snprintf(l->failure, sizeof l->failure, "%s",
                 e ? e : "the library cannot be loaded");
    }
    return l->handle != NULL;
}

bool cmr__lazy_sym(struct cmr__lazy_lib *l, const char *name, void *fn,
                   size_t size)
{
    void *sym = dlsym(l->handle, name);
    if (!sym || size != sizeof sym) {
        snprintf(l->failure, sizeof l->failure,
                 "the %s library loaded has no function %s", l->what, name);
        dlclose(l->handle);
        l->handle = NULL;
        return false;
    }
    memcpy(fn, &sym, size);
    return true;
}

bool cmr__parse_decimal(const char *s, double *out)
{
    /* decimal only: strtod reads hexadecimal ("0x10" as 16) too */
    const char *t = s;
    while (isspace((unsigned char)*t))
        t++;
    if (*t == '+' || *t == '-')
        t++;
    if (!isdigit((unsigned char)*t) && *t != '.')
        return false;
    if (strpbrk(s, "xX"))
        return false;
    char *end = NULL;
    double v = strtod(s, &end);
    while (end && isspace((unsigned char)*end))
        end++;
    if (end == s || !end || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}
