/* SPDX-License-Identifier: MIT */
/* The allocator hook and the helpers every module allocates through. Only
 * cmr's own allocations pass here; GDAL, GEOS and PROJ keep theirs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void *(*hook_malloc)(size_t) = malloc;
static void *(*hook_realloc)(void *, size_t) = realloc;
static void (*hook_free)(void *) = free;

void cmr_set_allocator(void *(*malloc_fn)(size_t),
                       void *(*realloc_fn)(void *, size_t),
                       void (*free_fn)(void *))
{
    hook_malloc = malloc_fn ? malloc_fn : malloc;
    hook_realloc = realloc_fn ? realloc_fn : realloc;
    hook_free = free_fn ? free_fn : free;
}

void *cmr__malloc(size_t n)
{
    return hook_malloc(n ? n : 1);
}

void *cmr__calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = cmr__malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *cmr__realloc(void *p, size_t n)
{
    return hook_realloc(p, n ? n : 1);
}

void cmr__free(void *p)
{
    if (p)
        hook_free(p);
}

void cmr_free(void *ptr)
{
    cmr__free(ptr);
}

char *cmr__strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = cmr__malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

char *cmr__sprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = cmr__malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

bool cmr__grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need)
        ncap *= 2;
    if (ncap > SIZE_MAX / elem)
        return false;
    void *p = cmr__realloc(*arr, ncap * elem);
    if (!p)
        return false;
    *arr = p;
    *cap = ncap;
    return true;
}
