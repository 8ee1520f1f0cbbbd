/* SPDX-License-Identifier: MIT */
/* The only file that uses GLib: SHA-256 of import sources. A directory
 * source (a File Geodatabase) is hashed as the sorted list of its files'
 * names and contents. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

#include "hash.h"

static bool feed_file(GChecksum *sum, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        g_checksum_update(sum, buf, (gssize)n);
    bool ok = !ferror(f);
    fclose(f);
    return ok;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool feed_dir(GChecksum *sum, const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return false;
    char **names = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        ok = cmr__reserve((void **)&names, &cap, n + 1, sizeof *names) &&
             (names[n] = cmr__strdup(e->d_name)) != NULL;
        if (ok)
            n++;
    }
    closedir(d);
    if (ok && n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; ok && i < n; i++) {
        char *full = cmr__sprintf("%s/%s", path, names[i]);
        struct stat st;
        ok = full && stat(full, &st) == 0;
        if (ok && S_ISREG(st.st_mode)) {
            g_checksum_update(sum, (const guchar *)names[i],
                              (gssize)strlen(names[i]) + 1);
            ok = feed_file(sum, full);
        }
        cmr__free(full);
    }
    for (size_t i = 0; i < n; i++)
        cmr__free(names[i]);
    cmr__free(names);
    return ok;
}

bool cmr__sha256_path(const char *path, char out[65])
{
    out[0] = '\0';
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    bool ok = S_ISDIR(st.st_mode) ? feed_dir(sum, path) : feed_file(sum, path);
    if (ok)
        snprintf(out, 65, "%s", g_checksum_get_string(sum));
    g_checksum_free(sum);
    return ok;
}
