/* SPDX-License-Identifier: MIT */
/* The land-release ledger (DOMAIN.md, "The accounting identity", rules 1-8).
 *
 * Per State, hazards and releases are grouped into connected components
 * (STRtree, prepared intersects, union-find). In each component the rings
 * of every hazard and release, and of the provinces it crosses, form a
 * planar arrangement (arrange.c): every region no ring crosses is wholly
 * inside or outside every record, and is measured once, on WGS84. Each
 * region's history is then told in date order (history()): episodes of
 * contamination, each begun by a hazard and ended by a release or a
 * closing. Every figure is a sum of such areas, so the accounting identity
 * holds to rounding, and each square metre counts once in each episode
 * (overlapping records count once). Where the arrangement gives
 * up, GEOS overlays the component instead. Components are processed in
 * parallel, one context per thread, and their results are added in
 * component order, so the sums do not depend on the number of threads;
 * while the workers overlay one State, the calling thread reads the next
 * and sums up the one before. */
#include <assert.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

#include "arrange.h"
#include "crs.h"
#include "geom.h"
#include "locate.h"
#include "store_int.h"

enum { M_CANCELLED = 0, M_REDUCED = 1, M_CLEARED = 2 };
bool cmr__ledger_geos_only = false;
bool cmr__ledger_no_locators = false;
bool cmr__ledger_geos_wkb = false;

static const char *const method_names[] = {"cancelled", "reduced", "cleared"};

struct hrec {
    char *id, *repair;
    char *invalid; /* with validate: GEOS's reason, or NULL (owned) */
    bool cha, cmr, synthetic, has_reported, marked;
    bool marked_known;        /* the record says whether it is marked */
    int64_t recorded, closed; /* days since 1970; closed INT64_MAX if open */
    double reported, area, outside, cwr;
    unsigned char *wkb;
    size_t len;
    struct cmr__bbox box;
};

struct rrec {
    char *id, *repair;
    char *invalid; /* with validate: GEOS's reason, or NULL (owned) */
    int method;
    bool synthetic, has_reported, has_sub;
    int64_t completed, sub;
    double reported, area, outside, not_release, before;
    size_t named;             /* the hazard its hazard_id names, where that was
                                 recorded after the release, else SIZE_MAX */
    double before_named;      /* its area that counts as release (under other
                                 hazards open then) inside that hazard */
    bool counted;             /* inside an open CMR hazard somewhere: its
                                 submunitions count */
    char *before_hazards;     /* ids of hazards recorded after the release */
    char *unknown_hazard;     /* its hazard_id, where no hazard of the State in
                                 the store has that id (in mem), else NULL */
    const char *unknown_like; /* then a hazard id that differs from it only
                                 in the case of ASCII letters, else NULL */
    unsigned char *wkb;
    size_t len;
    struct cmr__bbox box;
};

enum cat {
    C_BASELINE,
    C_ADDED,
    C_RELEASE,
    C_PRE_EIF,        /* released on or before entry into force */
    C_PRE_EIF_CLOSED, /* closed without release before it */
    C_AGAIN,          /* added, found again after an earlier episode */
    C_REMAIN,
    C_CWR,
    C_OTHER,
    C_UNION
};

struct contrib {
    int cat;
    int key;
    double m2;
};

/* The records of a component that overlap (hazards in faces covered by
 * two or more, or releases in faces of two or more methods), grouped by
 * the faces they share: one finding per group. */
struct ogroup {
    struct og_entry {
        size_t item;   /* a run index; entries in the order first met */
        size_t parent; /* union-find over positions */
        double m2;     /* overlap area, added at the face's first record */
    } * e;
    size_t n, cap;
};

/* Land found again since entry into force: what ended its last episode
 * (a release, or a hazard closed without release) and the hazard that
 * found it, with the area. */
struct again {
    size_t ended; /* into run->r, or run->h when by_closing */
    size_t found; /* into run->h */
    bool by_closing;
    double m2;
};

struct comp {
    size_t first, n; /* into the members array */
    struct contrib *c;
    size_t nc, capc;
    struct ogroup ov_h, ov_r;
    struct again *ag;
    size_t nag, capag;
    bool packed; /* c, ov_h, ov_r and ag moved into the run's chunks */
};

/* A State's provinces and outline in one thread's GEOS context, loaded
 * when a component first needs them. */
struct bounds {
    bool loaded;
    struct cmr_geom **prov;
    struct cmr__prep **pprov;
    struct cmr__bbox *pbox;
    size_t nprov;
    struct cmr_geom *outline;
    struct cmr__prep *poutline;
};

/* The records' ids, repair notes and shapes of a State: allocated one
 * after another in large chunks and freed together (a State of 100k
 * records would otherwise cost some 300k frees, on the thread that reads
 * the next State). */
struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t mem[]; /* cap bytes; blocks of multiples of 16 bytes */
};

static void *chunk_alloc(struct chunk **head, size_t n)
{
    enum { CHUNK = 1 << 20 };
    n = (n + 15) & ~(size_t)15;
    if (!*head || (*head)->cap - (*head)->used < n) {
        size_t cap = n > CHUNK ? n : CHUNK;
        struct chunk *c = cmr__malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = *head;
        c->used = 0;
        c->cap = cap;
        *head = c;
    }
    void *p = (unsigned char *)(*head)->mem + (*head)->used;
    (*head)->used += n;
    return p;
}

static char *chunk_strdup(struct chunk **head, const char *t)
{
    if (!t)
        return NULL;
    size_t n = strlen(t) + 1;
    char *p = chunk_alloc(head, n);
    if (p)
        memcpy(p, t, n);
    return p;
}

static void chunks_free(struct chunk *c)
{
    while (c) {
        struct chunk *next = c->next;
        cmr__free(c);
        c = next;
    }
}

struct run {
    /* inputs */
    struct chunk *mem;     /* ids, repairs and shapes of h and r */
    struct chunk *results; /* the workers' packed component results */
    struct hrec *h;
    size_t nh;
    struct rrec *r;
    size_t nr;
    size_t *members; /* item indices grouped by component */
    struct comp *comps;
    size_t ncomps;
    size_t *order; /* the components, largest first: the order of work */
    int64_t eif, at;
    enum cmr_precedence prec;
    bool validate;        /* ask GEOS whether each polygon is valid */
    unsigned char **pwkb; /* provinces */
    size_t *plen, nprov;
    unsigned char *owkb; /* outline */
    size_t olen;
    /* The provinces' envelopes, from their GeoPackage headers (penv_ok
     * false where a header has none). */
    struct cmr__bbox *penv;
    bool *penv_ok;
    /* The boundaries' locators (see locate.h): the provinces', then the
     * outline's; each made once, by the first thread that needs it (under
     * its own lock), then asked by all (see locator()). */
    _Atomic(struct cmr__locator *) *loc;
    void *loc_mem; /* loc, as allocated */
    mtx_t *loc_lock;
    size_t nlocks; /* made */
    char **codes;  /* the provinces' (the pending State's), for messages */
    /* The same State at an earlier date, attributed over this run's
     * overlay (see cmr_ledger_opts.also_at): its records are this run's
     * recorded or completed by then, at hmap/rmap (SIZE_MAX: not there);
     * its components are this run's, index for index. A view borrows the
     * records' shapes and the boundaries, and only its figures are summed
     * up: what only findings use (overlap groups, land found again, the
     * hazards recorded after a release) is not gathered for it. */
    struct run *also;
    size_t *hmap, *rmap;
    bool borrowed; /* a view */
    bool nofind;   /* no findings gathered: a view, or opts->no_findings */
    /* work sharing (see struct pool) */
    struct pool *pool;
    atomic_size_t next, done;
    atomic_int failed;
    /* The grouping into components (find_components), done by the first
     * thread free for it once the State is published, so that the calling
     * thread reads on: GROUP_TODO, GROUP_BUSY, then GROUP_DONE, when comps,
     * ncomps and order are set (and the view's comps). */
    atomic_int grouping;
    int holders; /* threads holding the run, under the pool's lock */
    enum cmr_status status;
    char errmsg[2048];
};

/* ---- small helpers ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int year_of(int64_t days)
{
    return cmr__date_from_days(days).year;
}

static bool add_contrib(struct comp *c, int cat, int key, double m2)
{
    for (size_t i = 0; i < c->nc; i++)
        if (c->c[i].cat == cat && c->c[i].key == key) {
            c->c[i].m2 += m2;
            return true;
        }
    if (!cmr__reserve((void **)&c->c, &c->capc, c->nc + 1, sizeof *c->c))
        return false;
    c->c[c->nc++] = (struct contrib){cat, key, m2};
    return true;
}

static bool box_has(struct cmr__bbox b, double x, double y)
{
    return x >= b.minx && x <= b.maxx && y >= b.miny && y <= b.maxy;
}

static bool box_meets(struct cmr__bbox a, struct cmr__bbox b)
{
    return a.minx <= b.maxx && b.minx <= a.maxx && a.miny <= b.maxy &&
           b.miny <= a.maxy;
}

static void bounds_free(struct cmr_ctx *ctx, struct bounds *b)
{
    for (size_t i = 0; i < b->nprov; i++) {
        cmr__prep_free(ctx, b->pprov[i]);
        cmr__geom_free(ctx, b->prov[i]);
    }
    cmr__free(b->prov);
    cmr__free(b->pprov);
    cmr__free(b->pbox);
    cmr__prep_free(ctx, b->poutline);
    cmr__geom_free(ctx, b->outline);
    memset(b, 0, sizeof *b);
}

static enum cmr_status bounds_load(struct cmr_ctx *ctx, const struct run *run,
                                   struct bounds *b)
{
    memset(b, 0, sizeof *b);
    enum cmr_status st = CMR_OK;
    if (run->nprov) {
        b->prov = cmr__calloc(run->nprov, sizeof *b->prov);
        b->pprov = cmr__calloc(run->nprov, sizeof *b->pprov);
        b->pbox = cmr__calloc(run->nprov, sizeof *b->pbox);
        if (!b->prov || !b->pprov || !b->pbox)
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        for (size_t i = 0; i < run->nprov && !st; i++) {
            b->nprov = i + 1;
            st = cmr__geom_from_wkb(ctx, run->pwkb[i], run->plen[i],
                                    &b->prov[i]);
            if (!st)
                st = cmr__prep_new(ctx, b->prov[i], &b->pprov[i]);
            if (!st)
                st = cmr__geom_bounds(ctx, b->prov[i], &b->pbox[i]);
        }
    }
    if (!st && run->owkb) {
        st = cmr__geom_from_wkb(ctx, run->owkb, run->olen, &b->outline);
        if (!st)
            st = cmr__prep_new(ctx, b->outline, &b->poutline);
    }
    if (st)
        bounds_free(ctx, b); /* never half loaded */
    else
        b->loaded = true;
    return st;
}

/* Loads the boundaries into this thread's context, once. */
static enum cmr_status need_bounds(struct cmr_ctx *ctx, const struct run *run,
                                   struct bounds *b)
{
    return b->loaded ? CMR_OK : bounds_load(ctx, run, b);
}

/* ---- one component ---- */

struct overlay;
static enum cmr_status locator(struct cmr_ctx *ctx, struct run *run, size_t k,
                               const struct cmr__locator **out);
static enum cmr_status need_geos(struct cmr_ctx *ctx, const struct run *run,
                                 struct bounds *b, struct cmr__bbox cb,
                                 struct overlay *o);

static enum cmr_status area_outside(struct cmr_ctx *ctx, const struct bounds *b,
                                    const struct cmr_geom *g, double area,
                                    double *outside)
{
    *outside = 0;
    if (!b->outline)
        return CMR_OK;
    bool in = false;
    enum cmr_status st = cmr__prep_contains(ctx, b->poutline, g, &in);
    if (st || in)
        return st;
    bool meets = false;
    if ((st = cmr__prep_intersects(ctx, b->poutline, g, &meets)))
        return st;
    if (!meets) {
        *outside = area;
        return CMR_OK;
    }
    struct cmr_geom *d = NULL;
    if ((st = cmr__geom_difference(ctx, g, b->outline, &d)))
        return st;
    st = cmr__geom_area_geodesic(ctx, d, outside);
    cmr__geom_free(ctx, d);
    return st;
}

/* Whether release r counts as release on a face covered by hazards hs:
 * some CMR hazard there was recorded by and not closed before its date. */
/* The day a hazard closed: a closing dated before its recording (which
 * import refuses) is taken as the day it was recorded. */
static int64_t close_day(const struct hrec *h)
{
    return h->closed > h->recorded ? h->closed : h->recorded;
}

static bool eligible(const struct run *run, const struct rrec *r,
                     const size_t *hs, size_t nhs)
{
    for (size_t i = 0; i < nhs; i++) {
        const struct hrec *h = &run->h[hs[i]];
        if (h->cmr && h->recorded <= r->completed &&
            close_day(h) >= r->completed)
            return true;
    }
    return false;
}

/* Whether a hazard of another contamination among os was open on day d
 * (recorded by it and not closed before it, as eligible has it): a
 * release there that no CMR hazard takes is release of that
 * contamination, not ours, and no finding. */
static bool other_open(const struct run *run, const size_t *os, size_t nos,
                       int64_t d)
{
    for (size_t i = 0; i < nos; i++) {
        const struct hrec *h = &run->h[os[i]];
        if (h->recorded <= d && close_day(h) >= d)
            return true;
    }
    return false;
}

static bool beats(const struct run *run, const struct rrec *a,
                  const struct rrec *b)
{
    if (run->prec == CMR_PRECEDENCE_EARLIEST && a->completed != b->completed)
        return a->completed < b->completed;
    if (a->method != b->method)
        return a->method > b->method;
    if (a->completed != b->completed)
        return a->completed < b->completed;
    return strcmp(a->id, b->id) < 0;
}

/* Whether id is in the comma-separated list (exactly, between commas). */
static bool list_has(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; (p = strstr(p, id)); p += n ? n : 1)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
            return true;
    return false;
}

static bool append_ids(char **list, const char *id)
{
    if (*list && list_has(*list, id))
        return true;
    char *s = *list ? cmr__sprintf("%s,%s", *list, id) : cmr__strdup(id);
    if (!s)
        return false;
    cmr__free(*list);
    *list = s;
    return true;
}

static size_t og_root(const struct ogroup *g, size_t i)
{
    while (g->e[i].parent != i)
        i = g->e[i].parent;
    return i;
}

/* The position of item in g, added if new; SIZE_MAX when out of memory. */
static size_t og_find(struct ogroup *g, size_t item)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->e[i].item == item)
            return i;
    if (!cmr__reserve((void **)&g->e, &g->cap, g->n + 1, sizeof *g->e))
        return SIZE_MAX;
    g->e[g->n] = (struct og_entry){item, g->n, 0};
    return g->n++;
}

/* One overlap face of area a, covered by the records items[0..n). */
static bool og_face(struct ogroup *g, const size_t *items, size_t n, double a)
{
    size_t first = og_find(g, items[0]);
    if (first == SIZE_MAX)
        return false;
    g->e[first].m2 += a;
    for (size_t i = 1; i < n; i++) {
        size_t p = og_find(g, items[i]);
        if (p == SIZE_MAX)
            return false;
        size_t x = og_root(g, first), y = og_root(g, p);
        if (x != y) /* the earlier position is the root */
            g->e[x > y ? x : y].parent = x < y ? x : y;
    }
    return true;
}

static void og_free(struct ogroup *g)
{
    cmr__free(g->e);
    memset(g, 0, sizeof *g);
}

/* One event in the history of a cell: a hazard recorded, an eligible
 * release, entry into force, or a hazard closed. On the same day they
 * happen in that order: a release on the day its hazard is recorded or
 * closed counts, land released on the day of entry into force was
 * released by then, and a hazard is open on its closing day (DOMAIN rule
 * 7: recorded <= t, not closed before t), so one closed on the day of
 * entry into force is in the baseline, and one closed on the as-of date
 * still remains then (its closing is left out of the history). */
enum { E_RECORD, E_RELEASE, E_EIF, E_CLOSE };

struct event {
    int64_t day;
    int kind;
    size_t idx; /* into run->h or run->r */
};

static int event_cmp(const struct event *a, const struct event *b)
{
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int event_qcmp(const void *a, const void *b)
{
    return event_cmp(a, b);
}

static void events_sort(struct event *e, size_t n)
{
    if (n > 32) {
        qsort(e, n, sizeof *e, event_qcmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        struct event x = e[i];
        size_t j = i;
        for (; j > 0 && event_cmp(&e[j - 1], &x) > 0; j--)
            e[j] = e[j - 1];
        e[j] = x;
    }
}

/* Adds area a to the pair (ended, found) of the component's land found
 * again. */
static bool add_again(struct comp *c, size_t ended, bool by_closing,
                      size_t found, double a)
{
    for (size_t i = 0; i < c->nag; i++)
        if (c->ag[i].ended == ended && c->ag[i].by_closing == by_closing &&
            c->ag[i].found == found) {
            c->ag[i].m2 += a;
            return true;
        }
    if (!cmr__reserve((void **)&c->ag, &c->capag, c->nag + 1, sizeof *c->ag))
        return false;
    c->ag[c->nag++] = (struct again){ended, found, by_closing, a};
    return true;
}

/* The land released by win: since entry into force, or before it. */
static bool add_release(struct run *run, struct comp *c, const struct rrec *win,
                        double a)
{
    return add_contrib(c, win->completed <= run->eif ? C_PRE_EIF : C_RELEASE,
                       win->method * 10000 + year_of(win->completed), a);
}

/* The history of one cell of area a under the CMR hazards hs and the
 * eligible releases ev[0..n) (release events), told in date order. The
 * cell is not known to be contaminated, contaminated, or released. It
 * becomes contaminated when a hazard over it is recorded while it is not
 * (an episode begins: in the baseline if the episode still holds at entry
 * into force, added in its year if it begins after). A release ends the
 * episode: the hazards recorded so far have no more to say about this
 * land (a hazard record stays open while other parts of it wait), and
 * where releases overlap within one episode the precedence rule picks the
 * one that counts (fixed at entry into force: land released by then stays
 * released then, whatever was done to it later). A hazard recorded over
 * land already released begins a new episode (new contamination is added,
 * never netted). When the last hazard of an episode closes over land not
 * released, the episode ends closed without release. */
/* Whether the hazard r names, recorded after it (rrec.named), is among the
 * cell's hazards hs. */
static bool names_here(const struct rrec *r, const size_t *hs, size_t nhs)
{
    for (size_t k = 0; r->named != SIZE_MAX && k < nhs; k++)
        if (hs[k] == r->named)
            return true;
    return false;
}

static bool history(struct run *run, struct comp *c, const size_t *hs,
                    size_t nhs, const size_t *os, size_t nos, struct event *ev,
                    size_t n, int prov, double a, bool *remains,
                    bool *other_released)
{
    /* the episode in which each hazard was recorded (events of hazards
     * carry their position in hs) */
    unsigned local[32], *ep = local;
    if (nhs > sizeof local / sizeof *local &&
        !(ep = cmr__calloc(nhs, sizeof *ep)))
        return false;
    for (size_t k = 0; k < nhs; k++) {
        const struct hrec *h = &run->h[hs[k]];
        ep[k] = 0; /* not yet recorded */
        ev[n++] = (struct event){h->recorded, E_RECORD, k};
        if (h->closed < run->at) /* (open on its closing day) */
            ev[n++] = (struct event){close_day(h), E_CLOSE, k};
    }
    ev[n++] = (struct event){run->eif, E_EIF, 0};
    events_sort(ev, n);
    enum { S_NONE, S_OPEN, S_RELEASED } s = S_NONE;
    const struct rrec *win = NULL;
    bool fixed = false, ok = true;
    size_t nopen = 0; /* hazards of the open episode not yet closed */
    unsigned epn = 0; /* the current episode, from 1 */
    size_t ended = 0; /* what ended the last episode (a release, or the
                         hazard whose closing did) */
    bool by_closing = false;
    for (size_t i = 0; i < n; i++) {
        const struct event *e = &ev[i];
        switch (e->kind) {
        case E_RECORD:
            if (s != S_OPEN) {
                if (s == S_RELEASED && !fixed)
                    ok &= add_release(run, c, win, a);
                s = S_OPEN;
                win = NULL;
                fixed = false;
                epn++;
                nopen = 0;
                if (e->day > run->eif) {
                    ok &= add_contrib(c, C_ADDED, year_of(e->day), a);
                    if (epn > 1) {
                        ok &= add_contrib(c, C_AGAIN, 0, a);
                        if (!run->nofind)
                            ok &=
                                add_again(c, ended, by_closing, hs[e->idx], a);
                    }
                }
            } /* else overlapping hazards: counted once */
            ep[e->idx] = epn;
            nopen++;
            break;
        case E_RELEASE: {
            struct rrec *r = &run->r[e->idx];
            if (s == S_NONE) {
                /* under hazards open on its date, but only those whose
                 * episode here ended: outside every open hazard for this
                 * land (unless it may release other contamination there);
                 * inside the hazard it names, recorded after it, it is
                 * release before that hazard, as where no hazard was open
                 * (attribute) */
                if (other_open(run, os, nos, r->completed)) {
                    if (r->completed <= run->at)
                        *other_released = true;
                    break;
                }
                r->not_release += a;
                if (names_here(r, hs, nhs)) {
                    r->before += a;
                    ok &= append_ids(&r->before_hazards, run->h[r->named].id);
                }
                break;
            }
            r->counted = true; /* its submunitions count */
            /* release here, inside the hazard it names, which was recorded
             * after it: a finding all the same (a date typed wrong, most
             * likely: that hazard adds the land again) */
            if (names_here(r, hs, nhs))
                r->before_named += a;
            if (s == S_OPEN) {
                win = r;
                s = S_RELEASED; /* its hazards' closings are ignored now */
            } else if (s == S_RELEASED && !fixed && beats(run, r, win)) {
                win = r;
            }
            ended = (size_t)(win - run->r);
            by_closing = false;
            break;
        }
        case E_CLOSE:
            /* a hazard of an episode that ended has no more to say */
            if (s != S_OPEN || ep[e->idx] != epn || --nopen)
                break;
            /* left remaining until this day; the finding names the first
             * hazard of the episode (in id order) to close on it */
            ok &= add_contrib(c, e->day < run->eif ? C_PRE_EIF_CLOSED : C_CWR,
                              year_of(e->day), a);
            for (size_t k = 0; k < nhs; k++)
                if (ep[k] == epn && run->h[hs[k]].closed < run->at &&
                    close_day(&run->h[hs[k]]) == e->day) {
                    run->h[hs[k]].cwr += a;
                    ended = hs[k];
                    by_closing = true;
                    break;
                }
            s = S_NONE;
            break;
        case E_EIF:
            if (s == S_OPEN)
                ok &= add_contrib(c, C_BASELINE, 0, a);
            else if (s == S_RELEASED) {
                ok &= add_release(run, c, win, a);
                fixed = true;
            }
            break;
        }
    }
    *remains = s == S_OPEN;
    if (s == S_OPEN) {
        /* SHA or CHA by the episode's hazards still open */
        bool cha = false;
        for (size_t k = 0; k < nhs; k++)
            if (ep[k] == epn && run->h[hs[k]].closed >= run->at)
                cha |= run->h[hs[k]].cha;
        ok &= add_contrib(c, C_REMAIN, (prov + 1) * 2 + cha, a);
    } else if (s == S_RELEASED && !fixed) {
        ok &= add_release(run, c, win, a);
    }
    if (ep != local)
        cmr__free(ep);
    return ok;
}

/* Adds to the component the area a of one cell: the part of the plane
 * covered by exactly the CMR hazards hs, other hazards os and releases rs
 * (indices into run->h and run->r), in province prov (-1: none). */
static bool attribute(struct run *run, struct comp *c, const size_t *hs,
                      size_t nhs, const size_t *os, size_t nos,
                      const size_t *rs, size_t nrs, int prov, double a)
{
    bool ok = true;
    struct event local[64], *ev = local;
    size_t nev = 0, need = 2 * nhs + nrs + 1;
    if (nhs) {
        ok &= add_contrib(c, C_UNION, 0, a);
        if (nhs > 1 && !run->nofind)
            /* a sum counts the cell nhs times, the union once */
            ok &= og_face(&c->ov_h, hs, nhs, (double)(nhs - 1) * a);
        if (need > sizeof local / sizeof *local &&
            !(ev = cmr__calloc(need, sizeof *ev)))
            return false;
    }
    /* Releases: method overlaps, eligibility (the releases that take part
     * in the cell's history), and release that is not release. */
    int methods = 0;
    bool other_released = false; /* by a release of other contamination */
    for (size_t i = 0; i < nrs; i++) {
        struct rrec *r = &run->r[rs[i]];
        methods |= 1 << r->method;
        if (eligible(run, r, hs, nhs)) {
            ev[nev++] = (struct event){r->completed, E_RELEASE, rs[i]};
            continue;
        }
        if (other_open(run, os, nos, r->completed)) {
            /* release of other contamination: not ours */
            other_released |= r->completed <= run->at;
            continue;
        }
        r->not_release += a;
        bool later = false;
        for (size_t k = 0; k < nhs; k++)
            if (run->h[hs[k]].recorded > r->completed) {
                later = true;
                if (!run->nofind)
                    ok &= append_ids(&r->before_hazards, run->h[hs[k]].id);
            }
        if (later)
            r->before += a;
    }
    if (methods & (methods - 1) && !run->nofind) /* two or more methods */
        ok &= og_face(&c->ov_r, rs, nrs, a);
    bool remains = false; /* CMR contamination at the as-of date */
    if (nhs) {
        ok &= history(run, c, hs, nhs, os, nos, ev, nev, prov, a, &remains,
                      &other_released);
        if (ev != local)
            cmr__free(ev);
    }
    if (nos && !other_released && !remains) {
        /* other contamination, reported apart: under an open hazard of
         * another type, not released as such, and not counted as CMR
         * remaining */
        bool open = false;
        for (size_t i = 0; i < nos; i++)
            open |= run->h[os[i]].closed >= run->at &&
                    run->h[os[i]].recorded <= run->at;
        if (open)
            ok &= add_contrib(c, C_OTHER, 0, a);
    }
    return ok;
}

/* Sorts member i of the component into the CMR hazards, other hazards or
 * releases. */
static void classify(const struct run *run, size_t it, size_t *hs, size_t *nhs,
                     size_t *os, size_t *nos, size_t *rs, size_t *nrs)
{
    if (it >= run->nh)
        rs[(*nrs)++] = it - run->nh;
    else if (run->h[it].cmr)
        hs[(*nhs)++] = it;
    else
        os[(*nos)++] = it;
}

struct overlay;
static bool attribute_both(struct run *run, struct comp *c,
                           const struct overlay *o, size_t nhs, size_t nos,
                           size_t nrs, int prov, double a);

struct overlay {
    struct cmr_geom **g;
    struct cmr__prep **pg;
    size_t *hs, *os, *rs;
    size_t *vs;   /* 3 n: a cell's items in the view (run->also) */
    int prov_all; /* the province of every cell, or -1 */
    size_t *meet; /* provinces whose boundary crosses the component */
    size_t nmeet;
    struct cmr__bbox grown;
    struct cmr_geom *rect; /* the component's box */
    struct cmr__rings *rr; /* the members' rings, then the provinces' */
};

/* The boundaries in this thread's GEOS context, and the component's box
 * as a polygon, for what the locators cannot tell. */
static enum cmr_status need_geos(struct cmr_ctx *ctx, const struct run *run,
                                 struct bounds *b, struct cmr__bbox cb,
                                 struct overlay *o)
{
    enum cmr_status st = need_bounds(ctx, run, b);
    if (!st && !o->rect)
        st = cmr__geom_rect(ctx, cb, &o->rect);
    return st;
}

/* The rings' box and the widest ring's span of longitude, in one pass
 * with whether every vertex is a longitude and latitude (import makes
 * sure; a store edited elsewhere may hold anything); when one is not,
 * *x, *y is the first. */
static bool rings_box_on_earth(const struct cmr__rings *r, struct cmr__bbox *b,
                               double *span, double *x, double *y)
{
    *b = (struct cmr__bbox){INFINITY, INFINITY, -INFINITY, -INFINITY};
    *span = 0;
    bool ok = true;
    for (size_t ring = 0; ring < r->nrings; ring++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t k = r->start[ring]; k < r->start[ring + 1]; k++) {
            double lon = r->xy[2 * k], lat = r->xy[2 * k + 1];
            lo = lon < lo ? lon : lo;
            hi = lon > hi ? lon : hi;
            b->miny = lat < b->miny ? lat : b->miny;
            b->maxy = lat > b->maxy ? lat : b->maxy;
            ok &= lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
        }
        b->minx = lo < b->minx ? lo : b->minx;
        b->maxx = hi > b->maxx ? hi : b->maxx;
        *span = hi - lo > *span ? hi - lo : *span;
    }
    for (size_t k = 0; !ok && k < r->npts; k++) {
        *x = r->xy[2 * k];
        *y = r->xy[2 * k + 1];
        if (!(*x >= -180 && *x <= 180 && *y >= -90 && *y <= 90))
            break;
    }
    return ok;
}

/* The i-th member's geometry in GEOS, read when a GEOS test first needs
 * it (the overlay itself works on the rings). The caller names the
 * record. */
static enum cmr_status member_geom(struct cmr_ctx *ctx, const struct run *run,
                                   struct overlay *o, const size_t *mem,
                                   size_t i)
{
    if (o->g[i])
        return CMR_OK;
    size_t it = mem[i];
    bool is_h = it < run->nh;
    return cmr__geom_from_wkb(
        ctx, is_h ? run->h[it].wkb : run->r[it - run->nh].wkb,
        is_h ? run->h[it].len : run->r[it - run->nh].len, &o->g[i]);
}

/* Attributes a cell (its items in o->hs, o->os, o->rs) in the run and,
 * with the items it has by then, in the run's view at the earlier date. */
static bool attribute_both(struct run *run, struct comp *c,
                           const struct overlay *o, size_t nhs, size_t nos,
                           size_t nrs, int prov, double a)
{
    if (!attribute(run, c, o->hs, nhs, o->os, nos, o->rs, nrs, prov, a))
        return false;
    struct run *v = run->also;
    if (!v)
        return true;
    size_t n = c->n, vh = 0, vo = 0, vr = 0;
    size_t *hs = o->vs, *os = o->vs + n, *rs = o->vs + 2 * n;
    for (size_t i = 0; i < nhs; i++)
        if (run->hmap[o->hs[i]] != SIZE_MAX)
            hs[vh++] = run->hmap[o->hs[i]];
    for (size_t i = 0; i < nos; i++)
        if (run->hmap[o->os[i]] != SIZE_MAX)
            os[vo++] = run->hmap[o->os[i]];
    for (size_t i = 0; i < nrs; i++)
        if (run->rmap[o->rs[i]] != SIZE_MAX)
            rs[vr++] = run->rmap[o->rs[i]];
    return !(vh + vo + vr) || attribute(v, &v->comps[c - run->comps], hs, vh,
                                        os, vo, rs, vr, prov, a);
}

/* A record's area from its rings, as cmr__geom_area_geodesic measures it:
 * each polygon's shell, less its holes. */
static double rings_area(const struct cmr__rings *r)
{
    double sum = 0;
    for (size_t k = 0; k < r->nrings; k++) {
        double a = cmr__crs_ring_area(r->xy + 2 * r->start[k],
                                      r->start[k + 1] - r->start[k]);
        sum += k == 0 || r->poly[k] != r->poly[k - 1] ? a : -a;
    }
    return sum;
}

/* The fast overlay: the arrangement of the members' rings, and of the
 * crossing provinces clipped to the component. CMR_EGEOM when it gives
 * up (the caller then overlays with GEOS). */
static enum cmr_status overlay_arrange(struct cmr_ctx *ctx, struct run *run,
                                       const struct bounds *b, struct comp *c,
                                       struct overlay *o)
{
    size_t n = c->n;
    const size_t *mem = run->members + c->first;
    struct cmr__rings *rr = o->rr; /* the members' are read already */
    struct cmr__ring *rings = NULL;
    struct cmr__cells cells = {0};
    size_t nrings = 0, caprings = 0;
    enum cmr_status st = CMR_OK;
    for (size_t i = 0; i < n + o->nmeet && !st; i++) {
        struct cmr_geom *clip = NULL;
        if (i >= n && !(st = cmr__geom_clip(ctx, b->prov[o->meet[i - n]],
                                            o->grown, &clip)))
            st = cmr__geom_rings(ctx, clip, &rr[i]);
        cmr__geom_free(ctx, clip);
        if (st)
            break;
        if (!cmr__reserve((void **)&rings, &caprings, nrings + rr[i].nrings,
                          sizeof *rings)) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        /* (the rank: hazards by the day recorded, then releases, then
         * boundaries; see struct cmr__ring) */
        uint32_t rank = UINT32_MAX;
        if (i < n && mem[i] < run->nh) {
            int64_t d = run->h[mem[i]].recorded + 1000000;
            rank = d < 0 ? 0 : d > 0x7ffffffe ? 0x7ffffffe : (uint32_t)d;
        } else if (i < n) {
            rank = 0x7fffffff;
        }
        for (size_t k = 0; k < rr[i].nrings; k++)
            rings[nrings++] = (struct cmr__ring){
                rr[i].xy + 2 * rr[i].start[k],
                rr[i].start[k + 1] - rr[i].start[k], (uint32_t)i, rank};
    }
    if (!st)
        st = cmr__arrange(ctx, rings, nrings, &cells);
    for (size_t k = 0; k < cells.n && !st; k++) {
        const uint32_t *items = cells.items + cells.cell[k].first;
        size_t nhs = 0, nos = 0, nrs = 0;
        int prov = o->prov_all;
        for (size_t j = 0; j < cells.cell[k].n; j++) {
            if (items[j] < n)
                classify(run, mem[items[j]], o->hs, &nhs, o->os, &nos, o->rs,
                         &nrs);
            else if (prov < 0) /* the first of overlapping provinces */
                prov = (int)o->meet[items[j] - n];
        }
        if (nhs + nos + nrs &&
            !attribute_both(run, c, o, nhs, nos, nrs, prov, cells.cell[k].m2))
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    cmr__cells_free(&cells);
    cmr__free(rings);
    return st;
}

/* The slow overlay, where the arrangement gives up: GEOS nodes the line
 * work with snap-rounding and polygonizes it; a point in each face tells
 * which records cover it. */
static enum cmr_status overlay_geos(struct cmr_ctx *ctx, struct run *run,
                                    const struct bounds *b, struct comp *c,
                                    struct overlay *o)
{
    size_t n = c->n;
    const size_t *mem = run->members + c->first;
    struct cmr_geom **lines = NULL, **faces = NULL, *pt = NULL;
    size_t nlines = 0, nfaces = 0;
    enum cmr_status st = CMR_OK;
    if (o->nmeet && !(lines = cmr__calloc(o->nmeet, sizeof *lines)))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t k = 0; k < o->nmeet && !st; k++) {
        struct cmr_geom *l = NULL;
        st = cmr__geom_boundary_in(ctx, b->prov[o->meet[k]], o->grown, &l);
        if (l)
            lines[nlines++] = l;
    }
    for (size_t i = 0; i < n && !st; i++)
        if (!(st = member_geom(ctx, run, o, mem, i)) && !o->pg[i])
            st = cmr__prep_new(ctx, o->g[i], &o->pg[i]);
    if (!st)
        st = cmr__geom_faces(ctx, o->g, n, lines, nlines, 1e-10, &faces,
                             &nfaces);
    for (size_t f = 0; f < nfaces && !st; f++) {
        double x, y, a;
        if (cmr__geom_interior_xy(ctx, faces[f], &x, &y))
            continue; /* a sliver without interior: no area to count */
        cmr__geom_free(ctx, pt);
        pt = NULL;
        if ((st = cmr__geom_point(ctx, x, y, &pt)))
            break;
        size_t nhs = 0, nos = 0, nrs = 0;
        for (size_t i = 0; i < n && !st; i++) {
            size_t it = mem[i];
            bool in = false;
            if (!box_has(it < run->nh ? run->h[it].box
                                      : run->r[it - run->nh].box,
                         x, y))
                continue;
            if ((st = cmr__prep_covers_point(ctx, o->pg[i], pt, &in)) || !in)
                continue;
            classify(run, it, o->hs, &nhs, o->os, &nos, o->rs, &nrs);
        }
        if (st || nhs + nos + nrs == 0)
            continue;
        int prov = o->prov_all;
        for (size_t k = 0; k < o->nmeet && prov < 0 && !st; k++) {
            bool in = false;
            size_t p = o->meet[k];
            if (!box_has(b->pbox[p], x, y))
                continue;
            st = cmr__prep_covers_point(ctx, b->pprov[p], pt, &in);
            if (in)
                prov = (int)p;
        }
        if (!st && !(st = cmr__geom_area_geodesic(ctx, faces[f], &a)) &&
            !attribute_both(run, c, o, nhs, nos, nrs, prov, a))
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    cmr__geom_free(ctx, pt);
    for (size_t f = 0; f < nfaces; f++)
        cmr__geom_free(ctx, faces[f]);
    cmr__free(faces);
    for (size_t i = 0; i < nlines; i++)
        cmr__geom_free(ctx, lines[i]);
    cmr__free(lines);
    return st;
}

static enum cmr_status do_component(struct cmr_ctx *ctx, struct run *run,
                                    struct bounds *b, struct comp *c)
{
    enum cmr_status st = CMR_OK;
    size_t n = c->n;
    const size_t *mem = run->members + c->first;
    struct overlay o = {0};
    o.prov_all = -1;
    o.g = cmr__calloc(n, sizeof *o.g);
    o.pg = cmr__calloc(n, sizeof *o.pg);
    o.hs = cmr__calloc(n, sizeof *o.hs);
    o.os = cmr__calloc(n, sizeof *o.os);
    o.rs = cmr__calloc(n, sizeof *o.rs);
    o.vs = cmr__calloc(3 * n, sizeof *o.vs);
    o.meet = cmr__calloc(run->nprov ? run->nprov : 1, sizeof *o.meet);
    o.rr = cmr__calloc(n + run->nprov, sizeof *o.rr);
    if (!o.g || !o.pg || !o.hs || !o.os || !o.rs || !o.vs || !o.meet || !o.rr) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    struct cmr__bbox cb = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < n; i++) {
        size_t it = mem[i];
        struct cmr__bbox box =
            it < run->nh ? run->h[it].box : run->r[it - run->nh].box;
        cb.minx = fmin(cb.minx, box.minx);
        cb.miny = fmin(cb.miny, box.miny);
        cb.maxx = fmax(cb.maxx, box.maxx);
        cb.maxy = fmax(cb.maxy, box.maxy);
    }
    /* Most components lie well inside the State and one province: one
     * test of their box then stands for a test of every record. The
     * locators tell most (see locate.h); GEOS, in this thread's context,
     * what they cannot. */
    bool in_outline = false;
    const struct cmr__locator *oloc = NULL;
    if (run->owkb && (st = locator(ctx, run, run->nprov, &oloc)))
        goto done;
    if (run->owkb) {
        in_outline = oloc && cmr__locator_box(oloc, cb) == CMR_WHERE_INSIDE;
        if (!in_outline &&
            ((st = need_geos(ctx, run, b, cb, &o)) ||
             (st = cmr__prep_contains(ctx, b->poutline, o.rect, &in_outline))))
            goto done;
    }
    for (size_t i = 0; i < n && !st; i++) {
        size_t it = mem[i];
        bool is_h = it < run->nh;
        const unsigned char *wkb =
            is_h ? run->h[it].wkb : run->r[it - run->nh].wkb;
        size_t len = is_h ? run->h[it].len : run->r[it - run->nh].len;
        const char *id = is_h ? run->h[it].id : run->r[it - run->nh].id;
        /* the rings straight from the WKB where they can be; GEOS reads
         * the rest (and every geometry a GEOS test needs, when it does) */
        bool taken = false;
        if (!cmr__ledger_geos_wkb)
            st = cmr__wkb_rings(ctx, wkb, len, &o.rr[i], &taken);
        if (!st && !taken && !(st = member_geom(ctx, run, &o, mem, i)))
            st = cmr__geom_rings(ctx, o.g[i], &o.rr[i]);
        if (st) {
            cmr__error_prefix(ctx, st, "%s %s", is_h ? "hazard" : "release",
                              id);
            break;
        }
        double area = 0, outside = 0, bx = 0, by = 0, span = 0;
        /* (the record's own box, from its rings: a GeoPackage header's
         * envelope is only trusted to group the records, and must hold
         * them for that) */
        struct cmr__bbox rb,
            hb = is_h ? run->h[it].box : run->r[it - run->nh].box;
        if (!rings_box_on_earth(&o.rr[i], &rb, &span, &bx, &by))
            st = cmr__error(ctx, CMR_EFORMAT,
                            "a vertex at (%g, %g) is not a longitude and "
                            "latitude in degrees",
                            bx, by);
        else if (span >= 180)
            /* (its edges, geodesics, would go the other way round; parts
             * either side of the antimeridian are fine) */
            st = cmr__error(ctx, CMR_EFORMAT,
                            "a ring spans %.0f degrees of longitude, half the "
                            "globe or more",
                            span);
        else if (isnan(area = rings_area(&o.rr[i])))
            st = cmr__crs_failure(ctx); /* a long edge, and no PROJ */
        else if (area < -0.01)          /* (below the output's rounding) */
            st = cmr__error(ctx, CMR_EFORMAT,
                            "its area comes out negative (%.2f m2): holes "
                            "larger than their outer ring, or an edge "
                            "around the globe; not a valid polygon",
                            area);
        else if (o.rr[i].npts && (rb.minx < hb.minx || rb.miny < hb.miny ||
                                  rb.maxx > hb.maxx || rb.maxy > hb.maxy))
            st = cmr__error(ctx, CMR_EFORMAT,
                            "the envelope in its GeoPackage header (or its "
                            "outer ring's) does not hold its rings (a "
                            "program that changed the shape did not update "
                            "it, or a hole outside); save the record again "
                            "in QGIS or GDAL, or import it again");
        enum cmr__where wm = !st && !in_outline && oloc
                                 ? cmr__locator_box(oloc, rb)
                                 : CMR_WHERE_UNKNOWN;
        if (!st && wm == CMR_WHERE_OUTSIDE)
            outside = area;
        else if (!st && !in_outline && run->owkb && wm != CMR_WHERE_INSIDE &&
                 !(st = need_geos(ctx, run, b, cb, &o)) &&
                 !(st = member_geom(ctx, run, &o, mem, i)))
            st = area_outside(ctx, b, o.g[i], area, &outside);
        if (st) {
            cmr__error_prefix(ctx, st, "%s %s", is_h ? "hazard" : "release",
                              id);
            break;
        }
        /* (cmr check) a polygon made invalid in the store is measured as
         * drawn: say so */
        char *why = NULL;
        if (run->validate && !(st = member_geom(ctx, run, &o, mem, i)) &&
            !(st = cmr__geom_invalid(ctx, o.g[i], &why)) && why) {
            if (is_h)
                run->h[it].invalid = why;
            else
                run->r[it - run->nh].invalid = why;
        }
        if (st) {
            cmr__error_prefix(ctx, st, "%s %s", is_h ? "hazard" : "release",
                              id);
            break;
        }
        if (is_h) {
            run->h[it].area = area;
            run->h[it].outside = outside;
        } else {
            run->r[it - run->nh].area = area;
            run->r[it - run->nh].outside = outside;
        }
        size_t m = !run->also ? SIZE_MAX
                   : is_h     ? run->hmap[it]
                              : run->rmap[it - run->nh];
        if (m != SIZE_MAX && is_h) {
            run->also->h[m].area = area;
            run->also->h[m].outside = outside;
        } else if (m != SIZE_MAX) {
            run->also->r[m].area = area;
            run->also->r[m].outside = outside;
        }
    }
    if (st)
        goto done;
    o.grown = (struct cmr__bbox){cb.minx - 1e-6, cb.miny - 1e-6, cb.maxx + 1e-6,
                                 cb.maxy + 1e-6};

    /* Provinces: one may hold the whole component; else those whose
     * boundary may cross it take part in the overlay. */
    for (size_t p = 0; p < run->nprov && o.prov_all < 0; p++) {
        if (run->penv_ok[p] && !box_meets(run->penv[p], cb))
            continue; /* (before its locator is made) */
        const struct cmr__locator *loc = NULL;
        if ((st = locator(ctx, run, p, &loc)) ||
            (!loc && (st = need_geos(ctx, run, b, cb, &o))))
            goto done;
        if (!box_meets(loc ? cmr__locator_envelope(loc) : b->pbox[p], cb))
            continue;
        o.meet[o.nmeet++] = p;
        enum cmr__where wp =
            loc ? cmr__locator_box(loc, cb) : CMR_WHERE_UNKNOWN;
        bool all = wp == CMR_WHERE_INSIDE;
        if (wp == CMR_WHERE_UNKNOWN && !(st = need_geos(ctx, run, b, cb, &o)))
            st = cmr__prep_contains(ctx, b->pprov[p], o.rect, &all);
        if (wp == CMR_WHERE_UNKNOWN && !all && !st) {
            all = true;
            for (size_t i = 0; i < n && all && !st; i++)
                if ((st = member_geom(ctx, run, &o, mem, i)))
                    cmr__error_prefix(ctx, st, "%s %s",
                                      mem[i] < run->nh ? "hazard" : "release",
                                      mem[i] < run->nh
                                          ? run->h[mem[i]].id
                                          : run->r[mem[i] - run->nh].id);
                else
                    st = cmr__prep_contains(ctx, b->pprov[p], o.g[i], &all);
        }
        if (st)
            goto done;
        if (all) {
            o.prov_all = (int)p;
            o.nmeet = 0;
        }
    }
    if (n == 1 && o.nmeet == 0) {
        /* a lone polygon in one province (or none) is its own cell */
        size_t nhs = 0, nos = 0, nrs = 0;
        classify(run, mem[0], o.hs, &nhs, o.os, &nos, o.rs, &nrs);
        double a = mem[0] < run->nh ? run->h[mem[0]].area
                                    : run->r[mem[0] - run->nh].area;
        if (!attribute_both(run, c, &o, nhs, nos, nrs, o.prov_all, a))
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    /* The arrangement gives up (CMR_EGEOM) before it adds anything to the
     * component; GEOS then overlays the component instead. */
    if (o.nmeet > 0 && (st = need_geos(ctx, run, b, cb, &o)))
        goto done;
    st =
        cmr__ledger_geos_only ? CMR_EGEOM : overlay_arrange(ctx, run, b, c, &o);
    if (st == CMR_EGEOM && !(st = need_geos(ctx, run, b, cb, &o)))
        st = overlay_geos(ctx, run, b, c, &o);
    if (st) {
        /* Name the records, so the user can find and mend them: a polygon
         * that cannot be overlaid stops the run, its area is never
         * silently dropped. */
        char ids[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < n && used + 40 < sizeof ids; i++) {
            size_t it = mem[i];
            int w = snprintf(ids + used, sizeof ids - used, "%s%s %s",
                             i ? ", " : "", it < run->nh ? "hazard" : "release",
                             it < run->nh ? run->h[it].id
                                          : run->r[it - run->nh].id);
            if (w > 0)
                used += (size_t)w;
        }
        cmr__error_prefix(ctx, st,
                          "cannot overlay %zu records around %.5f %.5f "
                          "(%s%s)",
                          n, cb.minx, cb.miny, ids,
                          used + 40 >= sizeof ids ? ", ..." : "");
    }
done:
    for (size_t i = 0; o.g && o.pg && i < n; i++) {
        cmr__prep_free(ctx, o.pg[i]);
        cmr__geom_free(ctx, o.g[i]);
    }
    cmr__free(o.g);
    cmr__free(o.pg);
    cmr__free(o.hs);
    cmr__free(o.os);
    cmr__free(o.rs);
    cmr__free(o.vs);
    cmr__free(o.meet);
    for (size_t i = 0; o.rr && i < n + run->nprov; i++)
        cmr__rings_free(&o.rr[i]);
    cmr__free(o.rr);
    cmr__geom_free(ctx, o.rect);
    return st;
}

/* ---- threads ---- */

/* The ledger's threads: jobs - 1 workers for the whole run, and the
 * calling thread. The calling thread reads the States in order and
 * publishes each (a worker with nothing to overlay reads the next one
 * too: see read_slot); States are read ahead while fewer than two are
 * taken, or while the shapes they hold are under CMR_AHEAD_BYTES (so a
 * small run is read while the workers overlay it, and large States are
 * held two at a time, or a few small ones and two large: has_room).
 * A published State is first grouped into components (find_components)
 * by the first thread free for it, not by the reader: the grouping was
 * more than half of the reading at 1M hazards, and with it on the reader
 * a large State read after small ones left the workers waiting (up to
 * 0.85 s of a 5.4 s run). The workers take work from the oldest
 * published State that has some left, so they go on to the next State
 * while the last components of the one before are overlaid, never waiting
 * at the end of a State. Once it has read ahead, the calling thread takes
 * the components left of the oldest State, while threads are still on it
 * takes components of the next, and sums it up. */
#define CMR_AHEAD_MAX   16
#define CMR_AHEAD_BYTES ((size_t)16 << 20)
struct pool {
    mtx_t lock;
    cnd_t work_cv; /* a State was published or grouped, a slot freed, or
                      the end */
    cnd_t idle_cv; /* a thread let go of a State, or a State was read */
    struct run *pub[CMR_AHEAD_MAX]; /* published, oldest first */
    size_t npub;
    struct reading *rd; /* the States to read (see read_slot) */
    bool stop;
    thrd_t *th;
    int nth;
};

/* The run's first failure is the one reported; the threads stop taking
 * its components. */
static void mark_failed(struct run *run, enum cmr_status st, const char *msg)
{
    mtx_lock(&run->pool->lock);
    if (!atomic_load(&run->failed)) {
        run->status = st;
        snprintf(run->errmsg, sizeof run->errmsg, "%s", msg);
        atomic_store(&run->failed, 1);
    }
    mtx_unlock(&run->pool->lock);
}

static void fail_run(struct run *run, struct cmr_ctx *ctx, enum cmr_status st)
{
    mark_failed(run, st, cmr_ctx_errmsg(ctx));
}

/* Marks the run cancelled (the progress callback said stop). */
static void cancel_run(struct run *run)
{
    mark_failed(run, CMR_EINVAL, "cancelled");
}

/* Copies n items of size bytes to *at (advanced, kept 16-byte aligned),
 * frees the original and points arr at the copy. */
static void move_array(unsigned char **at, void **arr, size_t n, size_t size)
{
    if (!*arr)
        return;
    memcpy(*at, *arr, n * size);
    cmr__free(*arr);
    *arr = *at;
    *at += (n * size + 15) & ~(size_t)15;
}

/* A component's results, moved into one block of the worker's chunks when
 * it is done: the thread that reads the next State would otherwise free
 * them one by one, each into the heap of a worker thread busy with that
 * State (at sparse 100k, 50 ms against 7 ms with one thread). Left where
 * they are when memory runs short. */
static void pack_results(struct chunk **mine, struct comp *c)
{
    size_t sizes[4] = {c->nc * sizeof *c->c, c->ov_h.n * sizeof *c->ov_h.e,
                       c->ov_r.n * sizeof *c->ov_r.e, c->nag * sizeof *c->ag};
    size_t total = 0;
    for (int k = 0; k < 4; k++)
        total += (sizes[k] + 15) & ~(size_t)15;
    unsigned char *at = total ? chunk_alloc(mine, total) : NULL;
    if (!at)
        return;
    move_array(&at, (void **)&c->c, c->nc, sizeof *c->c);
    move_array(&at, (void **)&c->ov_h.e, c->ov_h.n, sizeof *c->ov_h.e);
    move_array(&at, (void **)&c->ov_r.e, c->ov_r.n, sizeof *c->ov_r.e);
    move_array(&at, (void **)&c->ag, c->nag, sizeof *c->ag);
    c->capc = c->nc;
    c->ov_h.cap = c->ov_h.n;
    c->ov_r.cap = c->ov_r.n;
    c->capag = c->nag;
    c->packed = true;
}

/* A thread's hold on a run: the boundaries loaded in its context (when
 * needed), and its packed results. */
struct hold {
    struct run *run;
    struct bounds b;
    struct chunk *mine;
};

enum { GROUP_TODO, GROUP_BUSY, GROUP_DONE };

/* Whether the run has work left to take: its grouping, or components
 * (under the pool's lock). */
static bool has_work(const struct run *run)
{
    if (!run || atomic_load(&run->failed))
        return false;
    int g = atomic_load(&run->grouping);
    return g == GROUP_TODO ||
           (g == GROUP_DONE && atomic_load(&run->next) < run->ncomps);
}

/* Takes hold of a run (under the pool's lock); the boundaries are loaded
 * in this thread's context when a component first needs them. */
static void hold_run(struct hold *h, struct run *run)
{
    memset(h, 0, sizeof *h);
    h->run = run;
    run->holders++;
}

/* Lets go of the run: its results are handed to it (it frees them with
 * the rest) and the threads waiting for it are told. */
static void let_go(struct cmr_ctx *ctx, struct hold *h)
{
    if (!h->run)
        return;
    bounds_free(ctx, &h->b);
    struct pool *p = h->run->pool;
    mtx_lock(&p->lock);
    if (h->mine) {
        struct chunk *last = h->mine;
        while (last->next)
            last = last->next;
        last->next = h->run->results;
        h->run->results = h->mine;
    }
    h->run->holders--;
    cnd_broadcast(&p->idle_cv);
    mtx_unlock(&p->lock);
    memset(h, 0, sizeof *h);
}

static enum cmr_status group(struct cmr_ctx *ctx, struct run *run);

/* Groups the held run if no thread has yet, else overlays its next
 * component, if one is left: false when there is nothing to take (another
 * thread groups it, none is left, or the run failed). */
static bool take_one(struct cmr_ctx *ctx, struct hold *h)
{
    struct run *run = h->run;
    if (atomic_load(&run->failed))
        return false;
    if (atomic_load(&run->grouping) != GROUP_DONE) {
        int todo = GROUP_TODO;
        if (!atomic_compare_exchange_strong(&run->grouping, &todo, GROUP_BUSY))
            return false; /* another thread groups it */
        enum cmr_status st = group(ctx, run);
        if (st) {
            fail_run(run, ctx, st);
            return false;
        }
        /* the components are there: every thread may take them */
        struct pool *p = run->pool;
        mtx_lock(&p->lock);
        atomic_store(&run->grouping, GROUP_DONE);
        cnd_broadcast(&p->work_cv);
        cnd_broadcast(&p->idle_cv);
        mtx_unlock(&p->lock);
        return true;
    }
    size_t i = atomic_fetch_add(&run->next, 1);
    if (i >= run->ncomps)
        return false;
    struct comp *c = &run->comps[run->order[i]];
    enum cmr_status st = do_component(ctx, run, &h->b, c);
    if (st)
        fail_run(run, ctx, st);
    else
        pack_results(&h->mine, c);
    if (!st && run->also) /* the view's results of the same component */
        pack_results(&h->mine, &run->also->comps[c - run->comps]);
    atomic_fetch_add(&run->done, 1);
    return !st;
}

/* The oldest published run other than but with components left (under
 * the lock). */
static struct run *pick_other(const struct pool *p, const struct run *but)
{
    for (size_t i = 0; i < p->npub; i++)
        if (p->pub[i] != but && has_work(p->pub[i]))
            return p->pub[i];
    return NULL;
}

static struct run *pick(const struct pool *p)
{
    return pick_other(p, NULL);
}

struct slot;
static bool can_claim(const struct pool *p);
static struct slot *claim(struct pool *p);
static void read_slot(struct cmr_ctx *ctx, struct cmr__ds *ds, struct pool *p,
                      struct slot *s);
static bool open_reader(struct cmr_ctx *ctx, const struct pool *p,
                        struct cmr__ds **ds);

static int worker(void *arg)
{
    struct pool *p = arg;
    struct cmr_ctx *ctx = NULL;
    if (cmr_ctx_new(&ctx))
        return 0; /* the other threads do the work */
    struct hold h = {0};
    /* With nothing to overlay, a worker reads the next State rather than
     * wait, on a connection of its own, opened when first needed (none
     * when it cannot be). */
    struct cmr__ds *ds = NULL;
    bool can_read = true;
    for (;;) {
        mtx_lock(&p->lock);
        struct run *run = NULL;
        struct slot *s = NULL;
        bool to_open = false;
        /* never waits holding a run: the calling thread waits for it */
        while (!p->stop && !(run = pick(p)) && !h.run) {
            if (can_read && can_claim(p)) {
                if (!ds) {
                    to_open = true;
                    break;
                }
                if ((s = claim(p)))
                    break;
            }
            cnd_wait(&p->work_cv, &p->lock);
        }
        if (to_open || s) {
            mtx_unlock(&p->lock);
            if (s)
                read_slot(ctx, ds, p, s);
            else
                can_read = open_reader(ctx, p, &ds);
            continue;
        }
        if (h.run && h.run != run) { /* nothing left on it, or the end */
            mtx_unlock(&p->lock);
            let_go(ctx, &h);
            continue;
        }
        if (!run) { /* the end */
            mtx_unlock(&p->lock);
            break;
        }
        if (!h.run)
            hold_run(&h, run);
        mtx_unlock(&p->lock);
        (void)take_one(ctx, &h);
    }
    cmr__ds_close(ds);
    cmr_ctx_free(ctx);
    return 0;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 256 ? (int)n : 1;
}

/* Starts jobs - 1 workers, at most CMR_MAX_JOBS - 1 (fewer if threads
 * cannot be made: the calling thread does the rest). */
#define CMR_MAX_JOBS 256
static enum cmr_status pool_start(struct cmr_ctx *ctx, struct pool *p, int jobs,
                                  struct reading *rd)
{
    memset(p, 0, sizeof *p);
    p->rd = rd;
    if (mtx_init(&p->lock, mtx_plain) != thrd_success)
        return cmr__error(ctx, CMR_EINTERNAL, "cannot make a mutex");
    if (cnd_init(&p->work_cv) != thrd_success) {
        mtx_destroy(&p->lock);
        return cmr__error(ctx, CMR_EINTERNAL, "cannot make a condition");
    }
    if (cnd_init(&p->idle_cv) != thrd_success) {
        cnd_destroy(&p->work_cv);
        mtx_destroy(&p->lock);
        return cmr__error(ctx, CMR_EINTERNAL, "cannot make a condition");
    }
    if (jobs > CMR_MAX_JOBS)
        jobs = CMR_MAX_JOBS;
    if (jobs > 1 && (p->th = cmr__calloc((size_t)jobs - 1, sizeof *p->th)))
        for (int i = 0; i < jobs - 1; i++) {
            if (thrd_create(&p->th[i], worker, p) != thrd_success)
                break;
            p->nth++;
        }
    return CMR_OK;
}

static void pool_stop(struct pool *p)
{
    mtx_lock(&p->lock);
    p->stop = true;
    cnd_broadcast(&p->work_cv);
    mtx_unlock(&p->lock);
    for (int i = 0; i < p->nth; i++)
        thrd_join(p->th[i], NULL);
    cmr__free(p->th);
    cnd_destroy(&p->idle_cv);
    cnd_destroy(&p->work_cv);
    mtx_destroy(&p->lock);
}

static bool report(struct cmr_ctx *ctx, struct run *run, const char *label)
{
    /* (ncomps is only read once the grouping is done: another thread may
     * be setting it) */
    double f = atomic_load(&run->grouping) != GROUP_DONE ? 0
               : run->ncomps
                   ? (double)atomic_load(&run->done) / (double)run->ncomps
                   : 1;
    return cmr__progress(ctx, f, label);
}

static double seconds_now(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Takes the run's components (and its grouping, if still to do) on this
 * thread while it has some, reporting progress. */
static void help_run(struct cmr_ctx *ctx, struct run *run, const char *label,
                     double *shown)
{
    struct pool *p = run->pool;
    struct hold h = {0};
    mtx_lock(&p->lock);
    bool work = has_work(run);
    if (work)
        hold_run(&h, run);
    mtx_unlock(&p->lock);
    if (work)
        while (take_one(ctx, &h))
            if (seconds_now() - *shown >= 0.05) {
                *shown = seconds_now();
                if (!report(ctx, run, label))
                    cancel_run(run);
            }
    let_go(ctx, &h);
}

/* Called with the pool's lock held, and returns with it held: lets go of
 * extra's run when it has no work left, else overlays one component of
 * it, or of the oldest published run other than but that has work (held
 * in extra). False when there was none to let go of or take. */
static bool help_other(struct cmr_ctx *ctx, struct pool *p, struct hold *extra,
                       const struct run *but)
{
    if (extra->run && !has_work(extra->run)) {
        mtx_unlock(&p->lock);
        let_go(ctx, extra);
        mtx_lock(&p->lock);
        return true;
    }
    struct run *other = extra->run ? extra->run : pick_other(p, but);
    if (!other)
        return false;
    if (!extra->run)
        hold_run(extra, other);
    mtx_unlock(&p->lock);
    (void)take_one(ctx, extra);
    mtx_lock(&p->lock);
    return true;
}

/* The calling thread's part of the oldest published run (unless help is
 * false: the ledger is stopping): the components left, with progress
 * every 50 ms; then it waits for the threads still on it, and takes it
 * off the list. Its error, if any, is made in ctx. */
static enum cmr_status finish_run(struct cmr_ctx *ctx, struct run *run,
                                  const char *label, bool help)
{
    struct pool *p = run->pool;
    double shown = seconds_now();
    if (help)
        help_run(ctx, run, label, &shown);
    else
        atomic_store(&run->failed, 1); /* the workers stop taking */
    /* While workers finish the run's last components, this thread takes
     * components of the next published run that has some left, rather
     * than wait; and those of this one, when another thread has grouped
     * it meanwhile. */
    struct hold extra = {0};
    mtx_lock(&p->lock);
    while (run->holders > 0 || (help && has_work(run))) {
        if (help && has_work(run)) {
            mtx_unlock(&p->lock);
            let_go(ctx, &extra);
            help_run(ctx, run, label, &shown);
            mtx_lock(&p->lock);
            continue;
        }
        if (help && help_other(ctx, p, &extra, run))
            continue;
        struct timespec ts;
        timespec_get(&ts, TIME_UTC);
        ts.tv_nsec += 50 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        cnd_timedwait(&p->idle_cv, &p->lock, &ts);
        if (help && run->holders > 0 && seconds_now() - shown >= 0.05) {
            shown = seconds_now();
            mtx_unlock(&p->lock);
            if (!report(ctx, run, label))
                cancel_run(run);
            mtx_lock(&p->lock);
        }
    }
    for (size_t i = 0; i < p->npub; i++)
        if (p->pub[i] == run) {
            memmove(p->pub + i, p->pub + i + 1,
                    (p->npub - i - 1) * sizeof *p->pub);
            p->npub--;
            break;
        }
    bool failed = atomic_load(&run->failed);
    enum cmr_status status = run->status;
    mtx_unlock(&p->lock);
    let_go(ctx, &extra);
    if (help && failed)
        return cmr__error(ctx, status ? status : CMR_EINTERNAL, "%s",
                          run->errmsg);
    return CMR_OK; /* (when stopped, ctx keeps the error that stopped it) */
}

/* ---- components ---- */

static size_t uf_find(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

struct weighed {
    size_t bytes, comp;
};

static int heavier_first(const void *a, const void *b)
{
    const struct weighed *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    return x->comp < y->comp ? -1 : x->comp > y->comp;
}

/* The order the workers take the components in: the largest (by the bytes
 * of their shapes) first, so that none is left to run alone at the end
 * while the other workers wait. Results do not depend on it: each
 * component's figures are kept apart and summed in component order. */
static enum cmr_status order_components(struct cmr_ctx *ctx, struct run *run)
{
    size_t n = run->ncomps;
    struct weighed *w = cmr__calloc(n ? n : 1, sizeof *w);
    run->order = cmr__calloc(n ? n : 1, sizeof *run->order);
    if (!w || !run->order) {
        cmr__free(w);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const struct comp *c = &run->comps[i];
        w[i].comp = i;
        for (size_t k = 0; k < c->n; k++) {
            size_t it = run->members[c->first + k];
            w[i].bytes +=
                it < run->nh ? run->h[it].len : run->r[it - run->nh].len;
        }
    }
    qsort(w, n, sizeof *w, heavier_first);
    for (size_t i = 0; i < n; i++)
        run->order[i] = w[i].comp;
    cmr__free(w);
    return CMR_OK;
}

static enum cmr_status find_components(struct cmr_ctx *ctx, struct run *run)
{
    size_t n = run->nh + run->nr;
    enum cmr_status st = CMR_OK;
    struct cmr__bbox *boxes = cmr__calloc(n ? n : 1, sizeof *boxes);
    size_t *parent = cmr__calloc(n ? n : 1, sizeof *parent);
    size_t *hits = NULL, nhits = 0, cap = 0;
    struct cmr__tree *tree = NULL;
    if (!boxes || !parent) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        boxes[i] = i < run->nh ? run->h[i].box : run->r[i - run->nh].box;
        parent[i] = i;
    }
    if ((st = cmr__tree_new(ctx, boxes, n, &tree)))
        goto done;
    /* Records whose envelopes meet are grouped; envelopes that meet
     * without the shapes meeting only make a component larger, which
     * changes no figure, and spares decoding every shape here. */
    for (size_t i = 0; i < n && !st; i++) {
        if ((st = cmr__tree_query_item(ctx, tree, i, &hits, &nhits, &cap)))
            break;
        for (size_t k = 0; k < nhits; k++) {
            size_t j = hits[k];
            if (j <= i)
                continue;
            size_t a = uf_find(parent, i), b = uf_find(parent, j);
            if (a != b)
                parent[a > b ? a : b] = a < b ? a : b;
        }
        /* (on a worker, whose context has no progress hook, the run may
         * have failed or been cancelled meanwhile: stop too) */
        if (i % 4096 == 0 &&
            (!cmr__progress(ctx, (double)i / (double)n, "grouping") ||
             atomic_load(&run->failed)))
            st = cmr__error(ctx, CMR_EINVAL, "cancelled");
    }
    if (st)
        goto done;
    /* Components in the order of their smallest member; the root of each
     * set is its smallest member. */
    size_t *count = cmr__calloc(n ? n : 1, sizeof *count);
    size_t *slot = cmr__calloc(n ? n : 1, sizeof *slot);
    run->members = cmr__calloc(n ? n : 1, sizeof *run->members);
    if (!count || !slot || !run->members) {
        cmr__free(count);
        cmr__free(slot);
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        count[uf_find(parent, i)]++;
    size_t ncomps = 0;
    for (size_t i = 0; i < n; i++)
        ncomps += count[i] > 0;
    run->comps = cmr__calloc(ncomps ? ncomps : 1, sizeof *run->comps);
    if (!run->comps) {
        cmr__free(count);
        cmr__free(slot);
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        if (!count[i])
            continue;
        struct comp *c = &run->comps[run->ncomps++];
        c->first = pos;
        c->n = 0;
        slot[i] = (size_t)(c - run->comps);
        pos += count[i];
    }
    for (size_t i = 0; i < n; i++) {
        struct comp *c = &run->comps[slot[uf_find(parent, i)]];
        run->members[c->first + c->n++] = i;
    }
    cmr__free(count);
    cmr__free(slot);
    st = order_components(ctx, run);
done:
    cmr__tree_free(ctx, tree);
    cmr__free(hits);
    cmr__free(boxes);
    cmr__free(parent);
    return st;
}

/* Groups a published run into components, and gives its view (if any)
 * as many, index for index. */
static enum cmr_status group(struct cmr_ctx *ctx, struct run *run)
{
    enum cmr_status st = find_components(ctx, run);
    struct run *v = run->also;
    if (!st && v) {
        v->comps = cmr__calloc(run->ncomps ? run->ncomps : 1, sizeof *v->comps);
        if (!v->comps)
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        else
            v->ncomps = run->ncomps;
    }
    return st;
}

/* ---- loading ---- */

static bool parse_days(const char *s, int64_t *days)
{
    struct cmr__date d;
    if (!s || !cmr__date_parse(s, &d))
        return false;
    *days = cmr__date_days(d);
    return true;
}

/* A record's id (column 0), kept in mem; a record without one is named
 * by its date (column datecol). */
static enum cmr_status record_id(struct cmr_ctx *ctx, struct cmr__rows *rows,
                                 struct chunk **mem, const char *kind,
                                 const char *datefield, int datecol, char **out)
{
    const char *id = cmr__rows_text(rows, 0);
    if (!id || !*id) {
        const char *d = cmr__rows_text(rows, datecol);
        return cmr__error(ctx, CMR_EFORMAT, "a %s has no id (%s %s)", kind,
                          datefield, d ? d : "?");
    }
    *out = chunk_strdup(mem, id);
    return *out ? CMR_OK : cmr__error(ctx, CMR_ENOMEM, "out of memory");
}

/* A number in column col of a record, checked as import writes it: NULL,
 * or an integer (whole) or any number (else) from 0 to max. Anything else
 * (a store edited elsewhere) is an error naming the field and the value.
 * (The kind is asked first: making text of every number costs a
 * microsecond a record.) */
static enum cmr_status check_number(struct cmr_ctx *ctx,
                                    const struct cmr__rows *rows, int col,
                                    bool whole, double max, const char *field,
                                    const char *what)
{
    enum cmr__kind k = cmr__rows_kind(rows, col);
    double v = k == CMR__KIND_INT ? (double)cmr__rows_int(rows, col)
               : k == CMR__KIND_REAL && !whole ? cmr__rows_real(rows, col)
                                               : NAN;
    if (k == CMR__KIND_NULL || (v >= 0 && v <= max))
        return CMR_OK;
    const char *t = cmr__rows_text(rows, col);
    return cmr__error(ctx, CMR_EFORMAT, "%s '%s' is not %s", field, t ? t : "?",
                      what);
}

static enum cmr_status check_area(struct cmr_ctx *ctx,
                                  const struct cmr__rows *rows, int col)
{
    return check_number(ctx, rows, col, false, DBL_MAX, "reported_area_m2",
                        "an area in m2 (a number >= 0)");
}

/* (at most 9e15, as import takes: exact in a double) */
static enum cmr_status check_count(struct cmr_ctx *ctx,
                                   const struct cmr__rows *rows, int col)
{
    return check_number(ctx, rows, col, true, 9e15, "submunitions",
                        "a count (a whole number from 0 to 9e15, as import "
                        "takes)");
}

static void run_clear(struct run *run)
{
    if (run->borrowed) { /* shapes and boundaries are the run's it views */
        run->mem = NULL;
        run->nprov = 0;
        run->pwkb = NULL;
        run->plen = NULL;
        run->owkb = NULL;
        run->loc = NULL;
        run->loc_mem = NULL;
        run->loc_lock = NULL;
        run->nlocks = 0;
    }
    cmr__free(run->hmap);
    cmr__free(run->rmap);
    chunks_free(run->mem);
    chunks_free(run->results);
    for (size_t i = 0; i < run->nr; i++) {
        cmr__free(run->r[i].before_hazards);
        cmr__free(run->r[i].invalid);
    }
    for (size_t i = 0; i < run->nh; i++)
        cmr__free(run->h[i].invalid);
    for (size_t i = 0; i < run->ncomps; i++) {
        if (run->comps[i].packed)
            continue;
        cmr__free(run->comps[i].c);
        og_free(&run->comps[i].ov_h);
        og_free(&run->comps[i].ov_r);
        cmr__free(run->comps[i].ag);
    }
    for (size_t i = 0; run->loc && i <= run->nprov; i++)
        cmr__locator_free(atomic_load(&run->loc[i]));
    cmr__free(run->loc_mem);
    for (size_t i = 0; i < run->nlocks; i++)
        mtx_destroy(&run->loc_lock[i]);
    cmr__free(run->loc_lock);
    cmr__free(run->penv);
    cmr__free(run->penv_ok);
    for (size_t i = 0; i < run->nprov; i++)
        cmr__free(run->pwkb[i]);
    cmr__free(run->pwkb);
    cmr__free(run->plen);
    cmr__free(run->owkb);
    cmr__free(run->h);
    cmr__free(run->r);
    cmr__free(run->members);
    cmr__free(run->comps);
    cmr__free(run->order);
    memset(run, 0, sizeof *run);
}

/* The row's shape, copied into mem (NULL: its own allocation). */
/* Why a record's WKB is no area the ledger can count, from its header (a
 * store edited elsewhere: import writes polygons and multipolygons only),
 * or NULL. A point or a line, an empty polygon or a collection would add
 * no area without a word (a review found a hazard in QGIS turned into a
 * point counted as 0 m²); a curve GEOS cannot read. */
static const char *wkb_not_polygonal(const unsigned char *w, size_t len)
{
    if (len < 9 || w[0] > 1)
        return NULL; /* (GEOS says what is wrong with it) */
    bool le = w[0] == 1;
    uint32_t t = le ? (uint32_t)w[1] | (uint32_t)w[2] << 8 |
                          (uint32_t)w[3] << 16 | (uint32_t)w[4] << 24
                    : (uint32_t)w[4] | (uint32_t)w[3] << 8 |
                          (uint32_t)w[2] << 16 | (uint32_t)w[1] << 24;
    /* (EWKB with an SRID has it before the count) */
    size_t o = t & 0x20000000u ? 9 : 5;
    if (len < o + 4)
        return NULL;
    uint32_t n = le ? (uint32_t)w[o] | (uint32_t)w[o + 1] << 8 |
                          (uint32_t)w[o + 2] << 16 | (uint32_t)w[o + 3] << 24
                    : (uint32_t)w[o + 3] | (uint32_t)w[o + 2] << 8 |
                          (uint32_t)w[o + 1] << 16 | (uint32_t)w[o] << 24;
    switch ((t & 0x0fffffffu) % 1000) { /* (ISO and EWKB Z and M flags) */
    case 3:
    case 6:
        return n ? NULL
                 : "empty (no rings): give it its polygon, or delete the "
                   "record";
    case 1:
    case 4: return "a point, not a polygon: give it its polygon";
    case 2:
    case 5: return "a line, not a polygon: give it its polygon";
    case 7:
        return "a geometry collection, not a polygon or multipolygon: keep "
               "its polygons (ST_CollectionExtract(geom, 3) in SpatiaLite "
               "or PostGIS)";
    case 8:
    case 9:
    case 10:
    case 11:
    case 12:
        return "curved (CIRCULARSTRING, CURVEPOLYGON or MULTISURFACE): "
               "make it a multipolygon (ogr2ogr -nlt MULTIPOLYGON)";
    default: return NULL;
    }
}

static enum cmr_status copy_wkb(struct cmr_ctx *ctx, struct cmr__rows *rows,
                                struct chunk **mem, unsigned char **wkb,
                                size_t *len)
{
    bool oom = false;
    const unsigned char *w = cmr__rows_wkb(rows, len, &oom);
    if (oom)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    if ((!w || !*len) && cmr__rows_geom_is_null(rows))
        return cmr__error(ctx, CMR_EFORMAT, "it has no geometry");
    if (!w || !*len)
        return cmr__error(ctx, CMR_EFORMAT,
                          "its geometry is no GeoPackage geometry blob "
                          "(damaged, or written by a program that does not "
                          "write GeoPackage)");
    const char *why = wkb_not_polygonal(w, *len);
    if (why)
        return cmr__error(ctx, CMR_EFORMAT, "its geometry is %s", why);
    *wkb = mem ? chunk_alloc(mem, *len) : cmr__malloc(*len);
    if (!*wkb)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    memcpy(*wkb, w, *len);
    return CMR_OK;
}

/* The envelope of a record, from its GeoPackage header, else (a header
 * without one is allowed) measured by GEOS on its WKB; an empty geometry
 * (refused by copy_wkb before, where its header says so) gets the zero
 * box OGR gives it. */
static enum cmr_status box_of(struct cmr_ctx *ctx, struct cmr__rows *rows,
                              const unsigned char *wkb, size_t len,
                              struct cmr__bbox *box)
{
    double b[4];
    if (cmr__rows_envelope(rows, b)) {
        *box = (struct cmr__bbox){b[0], b[1], b[2], b[3]};
        return CMR_OK;
    }
    struct cmr_geom *g = NULL;
    enum cmr_status st = cmr__geom_from_wkb(ctx, wkb, len, &g);
    if (!st && cmr__geom_is_empty(ctx, g))
        *box = (struct cmr__bbox){0, 0, 0, 0}; /* as OGR: it adds nothing */
    else if (!st)
        st = cmr__geom_bounds(ctx, g, box);
    cmr__geom_free(ctx, g);
    return st;
}

/* The ids of a State's hazards, for the releases' hazard_id: every
 * hazard in the store, whatever its dates (a release names the hazard it
 * released, which may be closed since, or recorded after the as-of date),
 * sorted for bsearch. The ids of hazards the run does not keep are copied
 * into mem, which the caller frees. */
struct hazard_ids {
    const char **id;
    size_t n, cap;
    struct chunk *mem;
};

/* The id of the record read before (records are read in id order): the
 * same id twice in one State is a store edited elsewhere (import keeps one
 * record per id), whose area the overlay would count once but whose
 * submunitions and overlaps twice (a review). */
struct last_id {
    char *s;
    size_t cap;
};

static enum cmr_status once_each(struct cmr_ctx *ctx, struct last_id *l,
                                 const char *id, const char *kind)
{
    if (!id || !*id)
        return CMR_OK; /* (record_id says what is wrong) */
    if (l->s && strcmp(l->s, id) == 0)
        return cmr__error(ctx, CMR_EFORMAT,
                          "two %ss with id '%s' (a store edited elsewhere: "
                          "import keeps one record per id): delete one, or "
                          "give it its own id",
                          kind, id);
    size_t n = strlen(id) + 1;
    if (!cmr__reserve((void **)&l->s, &l->cap, n, 1))
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    memcpy(l->s, id, n);
    return CMR_OK;
}

static bool hazard_ids_add(struct hazard_ids *h, const char *id, bool copy)
{
    if (!id)
        return true;
    if (copy && !(id = chunk_strdup(&h->mem, id)))
        return false;
    if (!cmr__reserve((void **)&h->id, &h->cap, h->n + 1, sizeof *h->id))
        return false;
    h->id[h->n++] = id;
    return true;
}

static bool hazard_ids_has(const struct hazard_ids *h, const char *id)
{
    return h->n && bsearch(&id, h->id, h->n, sizeof *h->id, cmp_str);
}

/* Compares with ASCII letters folded to lower case, whatever the locale,
 * then exactly (so that the order is total). */
static int fold_cmp(const char *a, const char *b)
{
    for (size_t i = 0;; i++) {
        int x = (unsigned char)a[i], y = (unsigned char)b[i];
        x += x >= 'A' && x <= 'Z' ? 'a' - 'A' : 0;
        y += y >= 'A' && y <= 'Z' ? 'a' - 'A' : 0;
        if (x != y || !x)
            return x < y ? -1 : x > y;
    }
}

static int cmp_fold(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int c = fold_cmp(x, y);
    return c ? c : strcmp(x, y);
}

/* For each release whose hazard_id names no hazard, a hazard id that
 * differs from it only in case ('h-01' for 'H-01'): ids are compared
 * exactly, as the store and IMSMA keep them, so the finding says which
 * hazard the user may have meant. The first in the folded order. */
static enum cmr_status unknown_alike(struct cmr_ctx *ctx, struct run *run,
                                     const struct hazard_ids *h)
{
    size_t n = 0;
    for (size_t i = 0; i < run->nr; i++)
        n += run->r[i].unknown_hazard != NULL;
    if (!n || !h->n)
        return CMR_OK;
    const char **fold = cmr__malloc(h->n * sizeof *fold);
    if (!fold)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    memcpy(fold, h->id, h->n * sizeof *fold);
    qsort(fold, h->n, sizeof *fold, cmp_fold);
    for (size_t i = 0; i < run->nr; i++) {
        struct rrec *r = &run->r[i];
        if (!r->unknown_hazard)
            continue;
        size_t lo = 0, hi = h->n; /* the first not below it, folded */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (fold_cmp(fold[mid], r->unknown_hazard) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < h->n && fold_cmp(fold[lo], r->unknown_hazard) == 0 &&
            !(r->unknown_like = chunk_strdup(&run->mem, fold[lo]))) {
            cmr__free(fold);
            return cmr__error(ctx, CMR_ENOMEM, "out of memory");
        }
    }
    cmr__free(fold);
    return CMR_OK;
}

/* Reads the State's records recorded (hazards) or completed (releases) by
 * run->at, by the day their date falls on (the same rule as a view's, see
 * make_view). Unless run->nofind, also marks the releases whose hazard_id
 * names no hazard of the State (rrec.unknown_hazard). */
static enum cmr_status load_state(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                  const char *iso3, struct run *run)
{
    char sql[1024];
    struct cmr__rows *rows = NULL;
    enum cmr_status st;
    size_t cap = 0;
    struct hazard_ids hids = {0};
    /* (its id first: sorted and searched as a string, by cmp_str) */
    struct hazard_at {
        const char *id;
        size_t i;
    } *by_id = NULL;
    snprintf(sql, sizeof sql,
             "SELECT id, class, contamination, recorded, closed, "
             "reported_area_m2, repair, synthetic, marked, geom FROM hazard "
             "WHERE country = '%s' ORDER BY id",
             iso3);
    if ((st = cmr__ds_query_direct(ctx, ds, sql, &rows)))
        return st;
    struct last_id last = {0};
    while (!st && cmr__rows_next(rows)) {
        int64_t day;
        if ((st = once_each(ctx, &last, cmr__rows_text(rows, 0), "hazard")))
            break;
        if (parse_days(cmr__rows_text(rows, 3), &day) && day > run->at) {
            /* recorded after the date: not read, but a hazard a release
             * may name */
            if (!run->nofind &&
                !hazard_ids_add(&hids, cmr__rows_text(rows, 0), true))
                st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            continue;
        }
        if (!cmr__reserve((void **)&run->h, &cap, run->nh + 1,
                          sizeof *run->h)) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        struct hrec *h = &run->h[run->nh];
        memset(h, 0, sizeof *h);
        run->nh++;
        /* Each field as import writes it; anything else (a store edited
         * elsewhere) stops the run, naming the record and the field,
         * rather than be read as something it may not mean. */
        if ((st = record_id(ctx, rows, &run->mem, "hazard", "recorded", 3,
                            &h->id)))
            break;
        if (!run->nofind && !hazard_ids_add(&hids, h->id, false)) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        /* (a text is read at once: through OGR, a date's or a number's
         * lasts only until the next field is read) */
        h->closed = INT64_MAX;
        const char *closed = cmr__rows_text(rows, 4);
        char bad_closed[64] = "";
        bool closed_ok = !closed || parse_days(closed, &h->closed);
        if (!closed_ok)
            snprintf(bad_closed, sizeof bad_closed, "%s", closed);
        const char *cls = cmr__rows_text(rows, 1);
        const char *con = cmr__rows_text(rows, 2);
        h->cha = cls && strcmp(cls, "CHA") == 0;
        h->cmr = cmr__contam_is_cmr(con);
        if (!h->cha && !(cls && strcmp(cls, "SHA") == 0))
            st = cmr__error(ctx, CMR_EFORMAT, "class '%s' is not SHA or CHA",
                            cls ? cls : "(none)");
        else if (!parse_days(cmr__rows_text(rows, 3), &h->recorded))
            st = cmr__error(
                ctx, CMR_EFORMAT, "recorded '%s' is not a date (YYYY-MM-DD)",
                cmr__rows_text(rows, 3) ? cmr__rows_text(rows, 3) : "(none)");
        else if (!closed_ok)
            st = cmr__error(ctx, CMR_EFORMAT,
                            "closed '%s' is not a date (YYYY-MM-DD)",
                            bad_closed);
        else
            st = check_area(ctx, rows, 5);
        h->has_reported = !cmr__rows_is_null(rows, 5);
        h->reported = cmr__rows_real(rows, 5);
        if (cmr__rows_text(rows, 6))
            h->repair = chunk_strdup(&run->mem, cmr__rows_text(rows, 6));
        h->synthetic = cmr__rows_int(rows, 7) == 1;
        h->marked = cmr__rows_int(rows, 8) == 1;
        h->marked_known = !cmr__rows_is_null(rows, 8);
        if (!st)
            st = copy_wkb(ctx, rows, &run->mem, &h->wkb, &h->len);
        if (!st)
            st = box_of(ctx, rows, h->wkb, h->len, &h->box);
        if (st)
            cmr__error_prefix(ctx, st, "hazard %s", h->id ? h->id : "?");
    }
    if (!st && cmr__rows_failed(rows))
        st = cmr__error(ctx, CMR_EDB, "cannot read the hazards: %s",
                        cmr__rows_why(rows));
    cmr__rows_close(rows);
    if (st)
        goto done;
    /* (sorted here: SQLite's order is not strcmp's where an id edited
     * elsewhere is a number) */
    if (hids.n)
        qsort(hids.id, hids.n, sizeof *hids.id, cmp_str);
    /* the hazards read, by id, for the hazard a release names */
    if (!run->nofind && run->nh &&
        !(by_id = cmr__calloc(run->nh, sizeof *by_id))) {
        st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; by_id && i < run->nh; i++)
        by_id[i] = (struct hazard_at){run->h[i].id, i};
    if (by_id)
        qsort(by_id, run->nh, sizeof *by_id, cmp_str);
    cap = 0;
    if (last.s)
        last.s[0] = '\0'; /* (a release may share a hazard's id) */
    snprintf(sql, sizeof sql,
             "SELECT id, method, completed, submunitions, reported_area_m2, "
             "repair, synthetic, hazard_id, geom FROM release WHERE "
             "country = '%s' ORDER BY id",
             iso3);
    if ((st = cmr__ds_query_direct(ctx, ds, sql, &rows)))
        goto done;
    while (!st && cmr__rows_next(rows)) {
        int64_t day;
        if ((st = once_each(ctx, &last, cmr__rows_text(rows, 0), "release")))
            break;
        if (parse_days(cmr__rows_text(rows, 2), &day) && day > run->at)
            continue; /* completed after the date */
        if (!cmr__reserve((void **)&run->r, &cap, run->nr + 1,
                          sizeof *run->r)) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        struct rrec *r = &run->r[run->nr];
        memset(r, 0, sizeof *r);
        r->named = SIZE_MAX;
        run->nr++;
        if ((st = record_id(ctx, rows, &run->mem, "release", "completed", 2,
                            &r->id)))
            break;
        const char *m = cmr__rows_text(rows, 1);
        r->method = m && strcmp(m, "cleared") == 0   ? M_CLEARED
                    : m && strcmp(m, "reduced") == 0 ? M_REDUCED
                                                     : M_CANCELLED;
        if (r->method == M_CANCELLED && !(m && strcmp(m, "cancelled") == 0))
            st = cmr__error(ctx, CMR_EFORMAT,
                            "method '%s' is not cancelled, reduced or cleared",
                            m ? m : "(none)");
        else if (!parse_days(cmr__rows_text(rows, 2), &r->completed))
            st = cmr__error(
                ctx, CMR_EFORMAT, "completed '%s' is not a date (YYYY-MM-DD)",
                cmr__rows_text(rows, 2) ? cmr__rows_text(rows, 2) : "(none)");
        else if (!(st = check_count(ctx, rows, 3)))
            st = check_area(ctx, rows, 4);
        r->has_sub = !cmr__rows_is_null(rows, 3);
        r->sub = cmr__rows_int(rows, 3);
        r->has_reported = !cmr__rows_is_null(rows, 4);
        r->reported = cmr__rows_real(rows, 4);
        if (cmr__rows_text(rows, 5))
            r->repair = chunk_strdup(&run->mem, cmr__rows_text(rows, 5));
        r->synthetic = cmr__rows_int(rows, 6) == 1;
        /* (any text: import takes any; empty is none) */
        const char *hz = cmr__rows_text(rows, 7);
        if (!st && !run->nofind && hz && *hz && !hazard_ids_has(&hids, hz) &&
            !(r->unknown_hazard = chunk_strdup(&run->mem, hz)))
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        const struct hazard_at *named =
            !st && by_id && hz && *hz
                ? bsearch(&hz, by_id, run->nh, sizeof *by_id, cmp_str)
                : NULL;
        if (named && run->h[named->i].recorded > r->completed)
            r->named = named->i;
        if (!st)
            st = copy_wkb(ctx, rows, &run->mem, &r->wkb, &r->len);
        if (!st)
            st = box_of(ctx, rows, r->wkb, r->len, &r->box);
        if (st)
            cmr__error_prefix(ctx, st, "release %s", r->id ? r->id : "?");
    }
    if (!st && cmr__rows_failed(rows))
        st = cmr__error(ctx, CMR_EDB, "cannot read the releases: %s",
                        cmr__rows_why(rows));
    cmr__rows_close(rows);
    if (!st && !run->nofind)
        st = unknown_alike(ctx, run, &hids);
done:
    cmr__free(last.s);
    cmr__free(by_id);
    cmr__free(hids.id);
    chunks_free(hids.mem);
    return st;
}

/* Provinces (sorted by code) and the outline; codes and names go to the
 * caller's arrays. */
static enum cmr_status load_bounds(struct cmr_ctx *ctx, struct cmr__ds *ds,
                                   const char *iso3, struct run *run,
                                   char ***codes, char ***names)
{
    char sql[256];
    struct cmr__rows *rows = NULL;
    size_t cap = 0, capl = 0, capc = 0, capn = 0, cape = 0, capk = 0;
    snprintf(sql, sizeof sql,
             "SELECT code, name, geom FROM admin_area WHERE country = '%s' "
             "ORDER BY code",
             iso3);
    enum cmr_status st = cmr__ds_query_direct(ctx, ds, sql, &rows);
    if (st)
        return st;
    while (!st && cmr__rows_next(rows)) {
        if (!cmr__reserve((void **)&run->pwkb, &cap, run->nprov + 1,
                          sizeof *run->pwkb) ||
            !cmr__reserve((void **)&run->plen, &capl, run->nprov + 1,
                          sizeof *run->plen) ||
            !cmr__reserve((void **)codes, &capc, run->nprov + 1,
                          sizeof **codes) ||
            !cmr__reserve((void **)names, &capn, run->nprov + 1,
                          sizeof **names) ||
            !cmr__reserve((void **)&run->penv, &cape, run->nprov + 1,
                          sizeof *run->penv) ||
            !cmr__reserve((void **)&run->penv_ok, &capk, run->nprov + 1,
                          sizeof *run->penv_ok)) {
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
            break;
        }
        size_t i = run->nprov;
        run->pwkb[i] = NULL;
        (*codes)[i] = cmr__strdup(cmr__rows_text(rows, 0));
        (*names)[i] = cmr__strdup(cmr__rows_text(rows, 1));
        run->nprov++;
        if (!(*codes)[i] || !(*names)[i])
            st = cmr__error(ctx, CMR_ENOMEM, "out of memory");
        else
            st = copy_wkb(ctx, rows, NULL, &run->pwkb[i], &run->plen[i]);
        if (st && st != CMR_ENOMEM)
            cmr__error_prefix(ctx, st, "province %s", (*codes)[i]);
        double e[4] = {0, 0, 0, 0};
        run->penv_ok[i] = !st && cmr__rows_envelope(rows, e);
        run->penv[i] = (struct cmr__bbox){e[0], e[1], e[2], e[3]};
    }
    if (!st && cmr__rows_failed(rows))
        st = cmr__error(ctx, CMR_EDB, "cannot read the provinces of %s", iso3);
    cmr__rows_close(rows);
    if (st)
        return st;
    snprintf(sql, sizeof sql,
             "SELECT iso3, geom FROM country_outline WHERE iso3 = '%s'", iso3);
    if ((st = cmr__ds_query_direct(ctx, ds, sql, &rows)))
        return st;
    if (cmr__rows_next(rows))
        st = copy_wkb(ctx, rows, NULL, &run->owkb, &run->olen);
    if (st && st != CMR_ENOMEM)
        cmr__error_prefix(ctx, st, "outline");
    if (!st && cmr__rows_failed(rows))
        st = cmr__error(ctx, CMR_EDB, "cannot read the outline of %s", iso3);
    cmr__rows_close(rows);
    return st;
}

/* One boundary's locator. */
static enum cmr_status locate_one(struct cmr_ctx *ctx, const unsigned char *wkb,
                                  size_t len, struct cmr__locator **out)
{
    *out = NULL;
    struct cmr_geom *g = NULL;
    struct cmr__rings r = {0};
    bool taken = false;
    enum cmr_status st = cmr__wkb_rings(ctx, wkb, len, &r, &taken);
    if (!st && !taken && !(st = cmr__geom_from_wkb(ctx, wkb, len, &g)))
        st = cmr__geom_rings(ctx, g, &r);
    if (!st)
        st = cmr__locator_new(ctx, &r, out);
    cmr__rings_free(&r);
    cmr__geom_free(ctx, g);
    return st;
}

/* Room for the boundaries' locators, made when first needed. */
static enum cmr_status make_locators(struct cmr_ctx *ctx, struct run *run,
                                     char **codes)
{
    run->codes = codes;
    run->loc = run->loc_mem = cmr__calloc(run->nprov + 1, sizeof *run->loc);
    run->loc_lock = cmr__calloc(run->nprov + 1, sizeof *run->loc_lock);
    if (!run->loc || !run->loc_lock)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (; run->nlocks <= run->nprov; run->nlocks++)
        if (mtx_init(&run->loc_lock[run->nlocks], mtx_plain) != thrd_success)
            return cmr__error(ctx, CMR_EINTERNAL, "cannot make a mutex");
    return CMR_OK;
}

/* Boundary k's locator (the provinces', then the outline's, k = nprov),
 * made in this thread's context by the first thread that needs it, while
 * the others that need it wait; *out NULL in tests without them. A
 * boundary GEOS cannot read stops the State, by name. */
static enum cmr_status locator(struct cmr_ctx *ctx, struct run *run, size_t k,
                               const struct cmr__locator **out)
{
    struct cmr__locator *L =
        atomic_load_explicit(&run->loc[k], memory_order_acquire);
    enum cmr_status st = CMR_OK;
    if (!L && !cmr__ledger_no_locators) {
        mtx_lock(&run->loc_lock[k]);
        L = atomic_load_explicit(&run->loc[k], memory_order_relaxed);
        if (!L) {
            st = k < run->nprov
                     ? locate_one(ctx, run->pwkb[k], run->plen[k], &L)
                     : locate_one(ctx, run->owkb, run->olen, &L);
            if (!st)
                atomic_store_explicit(&run->loc[k], L, memory_order_release);
        }
        mtx_unlock(&run->loc_lock[k]);
        if (st && k < run->nprov)
            cmr__error_prefix(ctx, st, "province %s", run->codes[k]);
        else if (st)
            cmr__error_prefix(ctx, st, "outline");
    }
    *out = L;
    return st;
}

/* ---- the result ---- */

struct owned {
    void **p;
    size_t n, cap;
};

struct state_out {
    struct cmr_ledger_state pub;
    struct cmr_ledger_year *years;
    struct cmr_ledger_province *provs;
    struct cmr_finding *findings;
    size_t capf;
};

struct cmr_ledger {
    char as_of[11];
    enum cmr_precedence prec;
    struct state_out *s;
    size_t n;
    struct cmr_ledger *also; /* made alongside (opts->also_at), while it is */
    struct owned pool;       /* every string and array the results point to */
    size_t worker_reads;     /* States read by workers (for the tests) */
};

size_t cmr__ledger_worker_reads(const struct cmr_ledger *L)
{
    return L->worker_reads;
}

int cmr__ledger_test_read_delay_ms;

static void *keep(struct cmr_ledger *L, void *p)
{
    if (!p)
        return NULL;
    if (!cmr__reserve((void **)&L->pool.p, &L->pool.cap, L->pool.n + 1,
                      sizeof *L->pool.p)) {
        cmr__free(p);
        return NULL;
    }
    L->pool.p[L->pool.n++] = p;
    return p;
}

void cmr_ledger_free(struct cmr_ledger *L)
{
    if (L && L->also) {
        cmr_ledger_free(L->also);
        L->also = NULL;
    }
    if (!L)
        return;
    for (size_t i = 0; i < L->pool.n; i++)
        cmr__free(L->pool.p[i]);
    cmr__free(L->pool.p);
    for (size_t i = 0; i < L->n; i++) {
        cmr__free(L->s[i].years);
        cmr__free(L->s[i].provs);
        cmr__free(L->s[i].findings);
    }
    cmr__free(L->s);
    cmr__free(L);
}

const char *cmr_ledger_as_of(const struct cmr_ledger *L)
{
    return L->as_of;
}

enum cmr_precedence cmr_ledger_precedence(const struct cmr_ledger *L)
{
    return L->prec;
}

const char *cmr_precedence_name(enum cmr_precedence p)
{
    return p == CMR_PRECEDENCE_EARLIEST ? "earliest" : "intensity";
}
size_t cmr_ledger_count(const struct cmr_ledger *L)
{
    return L->n;
}
const struct cmr_ledger_state *cmr_ledger_state(const struct cmr_ledger *L,
                                                size_t i)
{
    return &L->s[i].pub;
}

static bool add_finding(struct cmr_ledger *L, struct state_out *so,
                        const char *kind, const char *const *ids, size_t nids,
                        double area, const char *fmt, ...) CMR_PRINTF(7, 8);

static bool add_finding(struct cmr_ledger *L, struct state_out *so,
                        const char *kind, const char *const *ids, size_t nids,
                        double area, const char *fmt, ...)
{
    if (!cmr__reserve((void **)&so->findings, &so->capf, so->pub.nfindings + 1,
                      sizeof *so->findings))
        return false;
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    cmr__utf8_cut(detail); /* (cut where it ran long: never in a character) */
    const char **recs = keep(L, cmr__calloc(nids ? nids : 1, sizeof *recs));
    if (!recs)
        return false;
    for (size_t i = 0; i < nids; i++)
        if (!(recs[i] = keep(L, cmr__strdup(ids[i]))))
            return false;
    struct cmr_finding *f = &so->findings[so->pub.nfindings];
    f->kind = kind;
    f->country = so->pub.country;
    f->records = recs;
    f->nrecords = nids;
    f->area_m2 = round(area * 100) / 100;
    f->detail = keep(L, cmr__strdup(detail));
    if (!f->detail)
        return false;
    so->pub.nfindings++;
    return true;
}

/* Findings of a State, in the order of the kinds. */
static bool make_findings(struct cmr_ledger *L, struct state_out *so,
                          struct run *run, double tol)
{
    bool ok = true;
    const char **ids = cmr__calloc(run->nh + run->nr + 1, sizeof *ids);
    if (!ids)
        return false;
    /* One finding per group of overlapping records, in the order the
     * groups were first met (components in order, faces in order). */
    for (int kind = 0; kind < 2 && ok; kind++)
        for (size_t c = 0; c < run->ncomps && ok; c++) {
            const struct ogroup *g =
                kind ? &run->comps[c].ov_r : &run->comps[c].ov_h;
            for (size_t root = 0; root < g->n && ok; root++) {
                if (og_root(g, root) != root)
                    continue;
                size_t nids = 0;
                double a = 0;
                for (size_t i = 0; i < g->n; i++)
                    if (og_root(g, i) == root) {
                        ids[nids++] = kind ? run->r[g->e[i].item].id
                                           : run->h[g->e[i].item].id;
                        a += g->e[i].m2;
                    }
                if (a <= 0)
                    continue;
                qsort(ids, nids, sizeof *ids, cmp_str);
                if (kind)
                    ok &= add_finding(
                        L, so, "release_method_overlap", ids, nids, a,
                        "releases of different methods overlap; the overlap "
                        "counts once, by %s (a release on or before entry "
                        "into force coming first), unless a hazard recorded "
                        "between them found the land again",
                        run->prec == CMR_PRECEDENCE_EARLIEST
                            ? "the earliest release"
                            : "the most intensive method");
                else
                    ok &= add_finding(L, so, "hazard_overlap", ids, nids, a,
                                      "%zu hazards overlap: their areas "
                                      "summed would count %.2f m2 more than "
                                      "their union",
                                      nids, a);
            }
        }
    for (size_t i = 0; i < run->nr && ok; i++) {
        struct rrec *r = &run->r[i];
        double out = r->not_release - r->before;
        /* the faces' sum may pass the record's own area by a rounding
         * error (1e-8) when all of it lies outside: never more than all */
        if (out > r->area)
            out = r->area;
        if (out > 0.005) {
            ids[0] = r->id;
            ok &= add_finding(L, so, "release_outside_hazard", ids, 1, out,
                              "%s release: %.2f m2 of its %.2f m2 lie outside "
                              "every hazard open at its date, or on land no "
                              "longer contaminated then; not counted as "
                              "release",
                              method_names[r->method], out, r->area);
        }
    }
    for (size_t i = 0; i < run->nr && ok; i++) {
        struct rrec *r = &run->r[i];
        if (r->before + r->before_named > 0.005) {
            ids[0] = r->id;
            char d[11];
            cmr__date_format(cmr__date_from_days(r->completed), d);
            const char *named =
                r->before_named > 0.005 ? run->h[r->named].id : NULL;
            char *note = NULL;
            if (named) {
                char rd[11];
                cmr__date_format(cmr__date_from_days(run->h[r->named].recorded),
                                 rd);
                if (!(note = cmr__sprintf(" (it names hazard %s, recorded %s: "
                                          "it counts as release under the "
                                          "hazards open then, and %s adds "
                                          "the land again)",
                                          named, rd, named))) {
                    ok = false;
                    break;
                }
                if (r->before_hazards && list_has(r->before_hazards, named))
                    named = NULL; /* (listed already) */
            }
            ok &= add_finding(
                L, so, "release_before_hazard", ids, 1,
                r->before + r->before_named,
                "completed %s, before hazard(s) %s%s%s were recorded%s", d,
                r->before_hazards ? r->before_hazards : "",
                named && r->before_hazards ? "," : "", named ? named : "",
                note ? note : "");
            cmr__free(note);
        }
    }
    for (size_t i = 0; i < run->nr && ok; i++) {
        const struct rrec *r = &run->r[i];
        if (!r->unknown_hazard)
            continue;
        ids[0] = r->id;
        ok &= add_finding(L, so, "release_unknown_hazard", ids, 1, r->area,
                          "names hazard '%s' which is not in the store for "
                          "%s%s%s%s",
                          r->unknown_hazard, so->pub.country,
                          r->unknown_like ? " (hazard '" : "",
                          r->unknown_like ? r->unknown_like : "",
                          r->unknown_like ? "' differs from it only in case: "
                                            "ids are compared exactly)"
                                          : "");
    }
    for (size_t i = 0; i < run->nh + run->nr && ok; i++) {
        bool is_h = i < run->nh;
        const char *id = is_h ? run->h[i].id : run->r[i - run->nh].id;
        bool has =
            is_h ? run->h[i].has_reported : run->r[i - run->nh].has_reported;
        double rep = is_h ? run->h[i].reported : run->r[i - run->nh].reported;
        double comp = is_h ? run->h[i].area : run->r[i - run->nh].area;
        if (!has || comp <= 0 || fabs(rep - comp) <= tol * comp)
            continue;
        ids[0] = id;
        ok &= add_finding(L, so, "reported_area_mismatch", ids, 1, comp,
                          "%s: reported %.2f m2, computed %.2f m2 (%+.1f%%)",
                          is_h ? "hazard" : "release", rep, comp,
                          100 * (rep - comp) / comp);
    }
    for (size_t i = 0; i < run->nh + run->nr && ok; i++) {
        bool is_h = i < run->nh;
        const char *rep = is_h ? run->h[i].repair : run->r[i - run->nh].repair;
        if (!rep)
            continue;
        ids[0] = is_h ? run->h[i].id : run->r[i - run->nh].id;
        ok &= add_finding(L, so, "geometry_repaired", ids, 1,
                          is_h ? run->h[i].area : run->r[i - run->nh].area,
                          "%s geometry repaired on import: %s",
                          is_h ? "hazard" : "release", rep);
    }
    for (size_t i = 0; i < run->nh + run->nr && ok; i++) {
        bool is_h = i < run->nh;
        const char *why =
            is_h ? run->h[i].invalid : run->r[i - run->nh].invalid;
        if (!why)
            continue;
        ids[0] = is_h ? run->h[i].id : run->r[i - run->nh].id;
        ok &= add_finding(L, so, "invalid_geometry", ids, 1,
                          is_h ? run->h[i].area : run->r[i - run->nh].area,
                          "%s geometry is not valid (%s), edited after "
                          "import: its area is measured as drawn; import the "
                          "record again to repair it",
                          is_h ? "hazard" : "release", why);
    }
    for (size_t i = 0; i < run->nh && ok; i++) {
        struct hrec *h = &run->h[i];
        if (h->cwr <= 0.005)
            continue;
        ids[0] = h->id;
        /* (a store edited elsewhere may close a hazard before it was
         * recorded, which import refuses: it is closed on the day it was
         * recorded, and the finding says which day the store has) */
        char d[64], c[11];
        cmr__date_format(cmr__date_from_days(close_day(h)), d);
        if (h->closed < h->recorded) {
            cmr__date_format(cmr__date_from_days(h->closed), c);
            snprintf(d + 10, sizeof d - 10,
                     " (the store says %s, before it was recorded)", c);
        }
        ok &= add_finding(L, so, "closed_without_release", ids, 1, h->cwr,
                          close_day(h) < run->eif
                              ? "closed %s with %.2f m2 not covered by any "
                                "release, before entry into force: not "
                                "in the baseline, reported apart"
                              : "closed %s with %.2f m2 not covered by any "
                                "release; left remaining until then and "
                                "reported apart",
                          d, h->cwr);
    }
    /* Land found again since entry into force, per pair of the record that
     * ended its last episode and the hazard that found it, in the order
     * first met. */
    for (size_t c = 0; c < run->ncomps && ok; c++)
        for (size_t k = 0; k < run->comps[c].nag && ok; k++) {
            const struct again *g = &run->comps[c].ag[k];
            const struct hrec *f = &run->h[g->found];
            char d1[11], d2[11];
            cmr__date_format(cmr__date_from_days(f->recorded), d2);
            if (g->m2 <= 0.005)
                continue;
            if (g->by_closing) {
                const struct hrec *h = &run->h[g->ended];
                cmr__date_format(cmr__date_from_days(close_day(h)), d1);
                ids[0] = h->id;
                ids[1] = f->id;
                ok &= add_finding(L, so, "found_again", ids, 2, g->m2,
                                  "land of hazard %s, closed without release "
                                  "on %s, found contaminated again by hazard "
                                  "%s recorded %s: added again",
                                  h->id, d1, f->id, d2);
            } else {
                const struct rrec *r = &run->r[g->ended];
                cmr__date_format(cmr__date_from_days(r->completed), d1);
                ids[0] = r->id;
                ids[1] = f->id;
                ok &=
                    add_finding(L, so, "found_again", ids, 2, g->m2,
                                "land %s by %s on %s found contaminated "
                                "again by hazard %s recorded %s: added "
                                "again",
                                method_names[r->method], r->id, d1, f->id, d2);
            }
        }
    for (size_t i = 0; i < run->nh + run->nr && ok; i++) {
        bool is_h = i < run->nh;
        double out = is_h ? run->h[i].outside : run->r[i - run->nh].outside;
        if (out <= 0.005)
            continue;
        ids[0] = is_h ? run->h[i].id : run->r[i - run->nh].id;
        ok &= add_finding(L, so, "outside_country", ids, 1, out,
                          "%s: %.2f m2 lie outside %s's boundary (imported, "
                          "never dropped)",
                          is_h ? "hazard" : "release", out, so->pub.country);
    }
    cmr__free(ids);
    so->pub.findings = so->findings;
    return ok;
}

static double r2(double v)
{
    return round(v * 100) / 100;
}

/* Adds the components' contributions, in component order, to the State's
 * figures. */
static bool summarise(struct cmr_ledger *L, struct state_out *so,
                      struct run *run, char **codes, char **names)
{
    struct cmr_ledger_state *p = &so->pub;
    int atyear = year_of(run->at);
    int y0 = INT_MAX;
    for (size_t c = 0; c < run->ncomps; c++)
        for (size_t k = 0; k < run->comps[c].nc; k++) {
            const struct contrib *x = &run->comps[c].c[k];
            if (x->cat == C_ADDED && x->key < y0)
                y0 = x->key;
            if ((x->cat == C_RELEASE || x->cat == C_PRE_EIF) &&
                x->key % 10000 < y0)
                y0 = x->key % 10000;
            if ((x->cat == C_CWR || x->cat == C_PRE_EIF_CLOSED) && x->key < y0)
                y0 = x->key;
        }
    for (size_t i = 0; i < run->nr; i++)
        if (run->r[i].has_sub && run->r[i].counted &&
            year_of(run->r[i].completed) < y0)
            y0 = year_of(run->r[i].completed);
    size_t ny = y0 <= atyear ? (size_t)(atyear - y0 + 1) : 0;
    so->years = cmr__calloc(ny ? ny : 1, sizeof *so->years);
    double *rem = cmr__calloc(run->nprov + 1, sizeof *rem);
    double *cha = cmr__calloc(run->nprov + 1, sizeof *cha);
    if (!so->years || !rem || !cha) {
        cmr__free(rem);
        cmr__free(cha);
        return false;
    }
    for (size_t i = 0; i < ny; i++)
        so->years[i].year = y0 + (int)i;
    double remaining = 0, sha = 0, chas = 0, base = 0, added = 0, cwr = 0,
           other = 0, uni = 0, pre = 0, pre_closed = 0, again = 0,
           meth[3] = {0, 0, 0};
    for (size_t c = 0; c < run->ncomps; c++)
        for (size_t k = 0; k < run->comps[c].nc; k++) {
            const struct contrib *x = &run->comps[c].c[k];
            switch (x->cat) {
            case C_BASELINE: base += x->m2; break;
            case C_ADDED:
                added += x->m2;
                so->years[x->key - y0].added_m2 += x->m2;
                break;
            case C_RELEASE:
            case C_PRE_EIF: {
                /* by_year is the calendar history, before EIF included;
                 * the totals are since EIF */
                int m = x->key / 10000, y = x->key % 10000;
                if (x->cat == C_RELEASE)
                    meth[m] += x->m2;
                else
                    pre += x->m2;
                struct cmr_ledger_year *yr = &so->years[y - y0];
                if (m == M_CLEARED)
                    yr->cleared_m2 += x->m2;
                else if (m == M_REDUCED)
                    yr->reduced_m2 += x->m2;
                else
                    yr->cancelled_m2 += x->m2;
                break;
            }
            case C_REMAIN: {
                size_t prov = (size_t)(x->key / 2);
                remaining += x->m2;
                rem[prov] += x->m2;
                if (x->key % 2) {
                    chas += x->m2;
                    cha[prov] += x->m2;
                } else {
                    sha += x->m2;
                }
                break;
            }
            case C_PRE_EIF_CLOSED:
                /* in the year table too, as release before EIF is (the
                 * calendar history: a chart adds a year's closures back
                 * with its release) */
                pre_closed += x->m2;
                if (x->key <= atyear)
                    so->years[x->key - y0].closed_without_release_m2 += x->m2;
                break;
            case C_AGAIN: again += x->m2; break;
            case C_CWR:
                cwr += x->m2;
                if (x->key <= atyear)
                    so->years[x->key - y0].closed_without_release_m2 += x->m2;
                break;
            case C_OTHER: other += x->m2; break;
            case C_UNION: uni += x->m2; break;
            default: break;
            }
        }
    p->submunitions = 0;
    p->has_submunitions = false;
    for (size_t i = 0; i < run->nr; i++) {
        const struct rrec *r = &run->r[i];
        if (!r->has_sub || !r->counted)
            continue; /* not release (outside open CMR hazards): apart */
        struct cmr_ledger_year *yr = &so->years[year_of(r->completed) - y0];
        yr->submunitions += r->sub;
        yr->has_submunitions = true;
        if (r->completed <= run->eif)
            continue; /* in the year table only, like its area */
        p->submunitions += r->sub;
        p->has_submunitions = true;
    }
    double hsum = 0, rout = 0;
    for (size_t i = 0; i < run->nh; i++)
        if (run->h[i].cmr)
            hsum += run->h[i].area;
    for (size_t i = 0; i < run->nr; i++)
        rout += run->r[i].not_release;
    /* Areas in m2 rounded to 0.01; the components that add up are rounded
     * the same way, so the printed identity holds. */
    p->remaining_m2 = r2(remaining);
    p->sha_m2 = r2(sha);
    p->cha_m2 = r2(chas);
    p->baseline_m2 = r2(base);
    p->added_m2 = r2(added);
    p->cancelled_m2 = r2(meth[M_CANCELLED]);
    p->reduced_m2 = r2(meth[M_REDUCED]);
    p->cleared_m2 = r2(meth[M_CLEARED]);
    p->closed_without_release_m2 = r2(cwr);
    p->released_before_eif_m2 = r2(pre);
    p->closed_before_eif_m2 = r2(pre_closed);
    p->added_again_m2 = r2(again);
    p->other_contamination_m2 = r2(other);
    p->hazard_union_m2 = r2(uni);
    p->hazard_sum_m2 = r2(hsum);
    p->release_outside_m2 = r2(rout);
    for (size_t i = 0; i < ny; i++) {
        so->years[i].added_m2 = r2(so->years[i].added_m2);
        so->years[i].cancelled_m2 = r2(so->years[i].cancelled_m2);
        so->years[i].reduced_m2 = r2(so->years[i].reduced_m2);
        so->years[i].cleared_m2 = r2(so->years[i].cleared_m2);
        so->years[i].closed_without_release_m2 =
            r2(so->years[i].closed_without_release_m2);
    }
    p->by_year = so->years;
    p->nyears = ny;
    so->provs = cmr__calloc(run->nprov + 1, sizeof *so->provs);
    if (!so->provs) {
        cmr__free(rem);
        cmr__free(cha);
        return false;
    }
    size_t np = 0;
    for (size_t i = 1; i <= run->nprov; i++) {
        if (rem[i] <= 0)
            continue;
        so->provs[np].code = keep(L, cmr__strdup(codes[i - 1]));
        so->provs[np].name = keep(L, cmr__strdup(names[i - 1]));
        so->provs[np].remaining_m2 = r2(rem[i]);
        so->provs[np].cha_m2 = r2(cha[i]);
        so->provs[np].sha_m2 = r2(rem[i] - cha[i]);
        np++;
    }
    if (rem[0] > 0) {
        so->provs[np].remaining_m2 = r2(rem[0]);
        so->provs[np].cha_m2 = r2(cha[0]);
        so->provs[np].sha_m2 = r2(rem[0] - cha[0]);
        np++;
    }
    p->by_province = so->provs;
    p->nprovinces = np;
    cmr__free(rem);
    cmr__free(cha);
    return true;
}

/* ---- the public call ---- */

static enum cmr_status default_as_of(struct cmr_ctx *ctx, struct cmr_store *s,
                                     char out[11])
{
    struct cmr__rows *rows = NULL;
    /* (the latest values that are dates: a store edited elsewhere may
     * hold 'pending' or a BLOB, which sort after every date and would
     * hide the others, and which only the State's own run names) */
    const char *sqls[] = {
        "SELECT completed FROM release WHERE typeof(completed) = 'text' AND "
        "completed GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
        "ORDER BY completed DESC LIMIT 1",
        "SELECT MAX(d) FROM (SELECT (SELECT recorded FROM hazard WHERE "
        "typeof(recorded) = 'text' AND recorded GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' ORDER BY recorded "
        "DESC LIMIT 1) AS d UNION ALL SELECT MAX(closed) FROM hazard WHERE "
        "typeof(closed) = 'text' AND closed GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*')"};
    for (int i = 0; i < 2; i++) {
        enum cmr_status st = cmr__ds_query(ctx, s->ds, sqls[i], &rows);
        if (st)
            return st;
        struct cmr__date d;
        bool found = cmr__rows_next(rows) &&
                     cmr__date_parse(cmr__rows_text(rows, 0), &d);
        cmr__rows_close(rows);
        if (found) {
            snprintf(out, 11, "%04u-12-31", (unsigned)d.year % 10000u);
            return CMR_OK;
        }
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
    return CMR_OK;
}

/* One State read and split into components, waiting to be overlaid. c is
 * NULL when the State was skipped (no records), so is NULL when it has
 * nothing to overlay. */
struct pending {
    const struct cmr_store_country *c;
    struct run run;
    struct run view;       /* the State at opts->also_at */
    struct state_out *so2; /* its place in L->also (NULL: no records then) */
    char **codes, **names;
    struct state_out *so;
};

/* The bytes a read State holds: its shapes, ids and records. */
static size_t run_bytes(const struct run *run)
{
    size_t n = run->nh * sizeof *run->h + run->nr * sizeof *run->r;
    for (const struct chunk *c = run->mem; c; c = c->next)
        n += c->cap;
    for (size_t k = 0; k < run->nprov; k++)
        n += run->plen[k];
    return n + run->olen;
}

static void pending_clear(struct pending *p)
{
    for (size_t k = 0; k < p->run.nprov; k++) {
        cmr__free(p->codes ? p->codes[k] : NULL);
        cmr__free(p->names ? p->names[k] : NULL);
    }
    cmr__free(p->codes);
    cmr__free(p->names);
    run_clear(&p->view);
    run_clear(&p->run);
    memset(p, 0, sizeof *p);
}

static size_t next_state(const struct cmr_store *store, const char *only,
                         size_t i)
{
    while (i < store->ncountries && only &&
           strcmp(only, store->countries[i].iso3) != 0)
        i++;
    return i;
}

/* Takes the State's place in L, with its counts; NULL when memory runs
 * short. */
static struct state_out *place_state(struct cmr_ledger *L,
                                     const struct cmr_store_country *c,
                                     const struct run *run)
{
    struct state_out *so = &L->s[L->n++];
    so->pub.country = keep(L, cmr__strdup(c->iso3));
    so->pub.name = keep(L, cmr__strdup(c->name));
    char eif[11];
    cmr__date_format(c->eif, eif);
    so->pub.entry_into_force = keep(L, cmr__strdup(eif));
    for (size_t k = 0; k < run->nh; k++) {
        const struct hrec *h = &run->h[k];
        so->pub.hazards += h->cmr;
        so->pub.synthetic |= h->synthetic;
        if (h->cmr && h->marked && h->closed >= run->at) {
            so->pub.hazards_marked++;
            so->pub.marked_synthetic |= h->synthetic;
        }
        if (h->cmr && !h->marked_known && h->closed >= run->at)
            so->pub.hazards_marked_unknown++;
        if (h->cmr && h->closed >= run->at) {
            so->pub.hazards_open++;
            so->pub.open_synthetic |= h->synthetic;
        }
    }
    so->pub.releases = (int64_t)run->nr;
    for (size_t k = 0; k < run->nr; k++)
        so->pub.synthetic |= run->r[k].synthetic;
    return so->pub.country && so->pub.name && so->pub.entry_into_force ? so
                                                                       : NULL;
}

/* The State at the earlier date LA->as_of, as a view of p->run: the
 * records recorded or completed by then (what load_state would read at
 * that date), the same components, the same boundaries. (Its place in LA
 * is taken when it is summed up, in the States' order.) */
static enum cmr_status make_view(struct cmr_ctx *ctx,
                                 const struct cmr_ledger *LA,
                                 const struct cmr_store_country *c,
                                 struct pending *p)
{
    struct run *run = &p->run, *v = &p->view;
    struct cmr__date d;
    cmr__date_parse(LA->as_of, &d);
    memset(v, 0, sizeof *v);
    v->borrowed = true;
    v->nofind = true; /* (a view has no findings) */
    v->at = cmr__date_days(d);
    v->eif = cmr__date_days(c->eif);
    if (v->at < v->eif)
        v->eif = v->at;
    v->prec = run->prec;
    v->mem = run->mem;
    v->nprov = run->nprov;
    v->pwkb = run->pwkb;
    v->plen = run->plen;
    v->owkb = run->owkb;
    v->olen = run->olen;
    v->h = cmr__malloc((run->nh ? run->nh : 1) * sizeof *v->h);
    v->r = cmr__malloc((run->nr ? run->nr : 1) * sizeof *v->r);
    run->hmap = cmr__malloc((run->nh ? run->nh : 1) * sizeof *run->hmap);
    run->rmap = cmr__malloc((run->nr ? run->nr : 1) * sizeof *run->rmap);
    if (!v->h || !v->r || !run->hmap || !run->rmap)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    for (size_t i = 0; i < run->nh; i++) {
        bool in = run->h[i].recorded <= v->at;
        run->hmap[i] = in ? v->nh : SIZE_MAX;
        if (in)
            v->h[v->nh++] = run->h[i];
    }
    for (size_t i = 0; i < run->nr; i++) {
        bool in = run->r[i].completed <= v->at;
        run->rmap[i] = in ? v->nr : SIZE_MAX;
        if (in)
            v->r[v->nr++] = run->r[i];
    }
    run->also = v;
    return CMR_OK;
}

/* The condition "country is none of the store's States" as ranges
 * between them (sorted by ISO3), so that SQLite seeks them in the index on
 * (country, id) instead of reading every record. */
static bool stray_condition(const struct cmr_store *store, char *w, size_t n)
{
    size_t used = (size_t)snprintf(w, n, "country IS NULL");
    const char *prev = NULL;
    for (size_t i = 0; i <= store->ncountries && used < n; i++) {
        /* (codes are three capital letters: see load_countries) */
        const char *iso3 =
            i < store->ncountries ? store->countries[i].iso3 : NULL;
        if (prev && iso3)
            used += (size_t)snprintf(w + used, n - used,
                                     " OR (country > '%s' AND country < '%s')",
                                     prev, iso3);
        else if (prev || iso3)
            used += (size_t)snprintf(w + used, n - used, " OR country %s '%s'",
                                     prev ? ">" : "<", prev ? prev : iso3);
        else
            used += (size_t)snprintf(w + used, n - used, " OR 1");
        prev = iso3;
    }
    return used < n;
}

/* A record whose country is none of the store's States (a store edited
 * elsewhere: import refuses them) is an error naming it. */
static enum cmr_status check_strays(struct cmr_ctx *ctx,
                                    struct cmr_store *store)
{
    size_t nw = 64 + 48 * store->ncountries, ns = 2 * nw + 256;
    char *where = cmr__malloc(nw), *sql = cmr__malloc(ns);
    if (!where || !sql || !stray_condition(store, where, nw)) {
        cmr__free(where);
        cmr__free(sql);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    snprintf(sql, ns,
             "SELECT * FROM (SELECT 'hazard', id, country FROM hazard WHERE "
             "%s LIMIT 1) UNION ALL SELECT * FROM (SELECT 'release', id, "
             "country FROM release WHERE %s LIMIT 1)",
             where, where);
    cmr__free(where);
    struct cmr__rows *rows = NULL;
    enum cmr_status st = cmr__ds_query_direct(ctx, store->ds, sql, &rows);
    cmr__free(sql);
    if (st)
        return st;
    if (cmr__rows_next(rows)) {
        const char *kind = cmr__rows_text(rows, 0);
        char id[256];
        snprintf(id, sizeof id, "%s",
                 cmr__rows_text(rows, 1) ? cmr__rows_text(rows, 1) : "?");
        const char *iso3 = cmr__rows_text(rows, 2);
        st = cmr__error(ctx, CMR_EFORMAT,
                        "%s: %s %s: country '%s' is none of the store's "
                        "States (an ISO3 code of the country table, in "
                        "capitals); it would be left out of every figure",
                        store->path, kind ? kind : "record", id,
                        iso3 ? iso3 : "(none)");
    } else if (cmr__rows_failed(rows)) {
        st = cmr__error(ctx, CMR_EDB, "%s: cannot read the records' States",
                        store->path);
    }
    cmr__rows_close(rows);
    return st;
}

/* Prefixes a State's error with the State and, where it is about the
 * store's content, the store's file. */
static enum cmr_status state_error(struct cmr_ctx *ctx, enum cmr_status st,
                                   const struct cmr_store *store,
                                   const char *iso3)
{
    return st == CMR_EFORMAT || st == CMR_EDB
               ? cmr__error_prefix(ctx, st, "%s: %s", store->path, iso3)
               : cmr__error_prefix(ctx, st, "%s", iso3);
}

/* Reads State c into p from connection ds (the store's, or a worker's
 * own); p->c stays NULL when it has no records (and was not asked for by
 * name). LA is the ledger at the earlier date, or NULL. (The State's
 * place in the ledger is taken when it is summed up, in order.) */
static enum cmr_status
prepare(struct cmr_ctx *ctx, struct cmr__ds *ds, const struct cmr_store *store,
        const struct cmr_ledger *LA, const struct cmr_store_country *c,
        const struct cmr__date *at, const struct cmr_ledger_opts *opts,
        const char *only, struct pending *p)
{
    memset(p, 0, sizeof *p);
    struct run *run = &p->run;
    run->eif = cmr__date_days(c->eif);
    run->at = cmr__date_days(*at);
    /* As of a date before entry into force, the land contaminated at that
     * date stands in for the baseline (nothing has happened "since"), so
     * the identity holds at any date. */
    if (run->at < run->eif)
        run->eif = run->at;
    run->prec = opts ? opts->precedence : CMR_PRECEDENCE_INTENSITY;
    run->validate = opts && opts->validate;
    run->nofind = opts && opts->no_findings;
    enum cmr_status st = load_state(ctx, ds, c->iso3, run);
    if (!st && (run->nh || run->nr || only))
        st = load_bounds(ctx, ds, c->iso3, run, &p->codes, &p->names);
    if (!st && (run->nh || run->nr || only))
        st = make_locators(ctx, run, p->codes);
    if (st || !(run->nh || run->nr || only)) {
        if (st)
            state_error(ctx, st, store, c->iso3);
        pending_clear(p);
        return st;
    }
    p->c = c;
    /* (grouped into components by the first thread free for it: see
     * group) */
    if (LA)
        st = make_view(ctx, LA, c, p);
    if (st) {
        state_error(ctx, st, store, c->iso3);
        pending_clear(p);
    }
    return st;
}

/* ---- reading ---- */

/* The States are read into a ring of slots in the store's order, each by
 * the first thread free to: the calling thread reads ahead (see struct
 * pool), and a worker with nothing to overlay reads too, on a connection
 * of its own, rather than wait (at the start, the first State's reading
 * and, at sparse 10k, the small States' readings, longer than the
 * overlays before them, had a worker wait 2 to 3 ms of a 55 ms run; at
 * 1M, the workers waited for the reader 30 to 130 ms at times). A State
 * is published as soon as it is read; the calling thread sums the States
 * up in order. Workers read only from a store opened read-only. */
enum { SLOT_READING, SLOT_READ, SLOT_EMPTY, SLOT_FAILED };
struct slot {
    struct pending p;
    size_t ci;    /* the State's place in the store's list */
    size_t bytes; /* what the read State holds (run_bytes) */
    int state;
    enum cmr_status st; /* SLOT_FAILED: the error, and its message */
    char err[sizeof(((struct cmr_ctx *)0)->errmsg)];
};

struct reading {
    const struct cmr_store *store;
    const struct cmr_ledger *LA; /* the ledger at the earlier date, or NULL */
    const struct cmr__date *at;
    const struct cmr_ledger_opts *opts;
    const char *only;
    struct slot *slot; /* CMR_AHEAD_MAX of them, a ring */
    size_t next;       /* the store's next State to read */
    size_t head, nq;   /* the slots taken, oldest first */
    size_t max;        /* at most this many taken at once */
    size_t held;       /* bytes the read States hold */
    size_t big;        /* the most one State read so far holds */
    int busy;          /* reads under way */
    size_t by_workers; /* States read by workers */
    bool left;         /* States are left to read */
    bool stop;         /* read no more (one failed, or the run stops) */
    bool shared;       /* workers may read too */
};

/* Whether the read-ahead has room for one more State (under the pool's
 * lock): at most rd->max slots, and beyond two, while the States read, and
 * those under way counted as large as the largest read so far, hold under
 * CMR_AHEAD_BYTES (a read under way before any has ended counts as too
 * large: else every idle worker would take one at once). */
static bool has_room(const struct reading *r)
{
    if (r->nq >= r->max)
        return false;
    if (r->nq < 2)
        return true;
    if (r->busy > 0 && r->big == 0)
        return false;
    return r->held + (size_t)r->busy * r->big < CMR_AHEAD_BYTES;
}

/* Whether a worker may take a State to read (under the pool's lock). */
static bool can_claim(const struct pool *p)
{
    const struct reading *r = p->rd;
    return r && r->shared && r->left && !r->stop && has_room(r);
}

/* Takes the next State to read and a slot for it (under the pool's lock),
 * or NULL: none is left, the read-ahead is full (has_room), or reading
 * stopped. */
static struct slot *claim(struct pool *p)
{
    struct reading *r = p->rd;
    if (!r || r->stop || !r->left || !has_room(r))
        return NULL;
    size_t i = next_state(r->store, r->only, r->next);
    if (i >= r->store->ncountries) {
        r->left = false;
        return NULL;
    }
    r->next = i + 1;
    r->left = next_state(r->store, r->only, r->next) < r->store->ncountries;
    struct slot *s = &r->slot[(r->head + r->nq) % CMR_AHEAD_MAX];
    r->nq++;
    r->busy++;
    s->ci = i;
    s->bytes = 0;
    s->state = SLOT_READING;
    return s;
}

/* Reads a claimed slot's State from ds (not under the lock) and publishes
 * it; a failure is kept in the slot, to be reported in the States' order,
 * and stops the reading. */
static void read_slot(struct cmr_ctx *ctx, struct cmr__ds *ds, struct pool *p,
                      struct slot *s)
{
    struct reading *r = p->rd;
    enum cmr_status st =
        prepare(ctx, ds, r->store, r->LA, &r->store->countries[s->ci], r->at,
                r->opts, r->only, &s->p);
    size_t bytes = !st && s->p.c ? run_bytes(&s->p.run) : 0;
    mtx_lock(&p->lock);
    r->busy--;
    r->by_workers += ds != r->store->ds;
    if (st) {
        s->st = st;
        snprintf(s->err, sizeof s->err, "%s", cmr_ctx_errmsg(ctx));
        s->state = SLOT_FAILED;
        r->stop = true;
    } else if (!s->p.c) {
        s->state = SLOT_EMPTY;
    } else {
        s->state = SLOT_READ;
        s->bytes = bytes;
        r->held += bytes;
        if (bytes > r->big)
            r->big = bytes;
        s->p.run.pool = p;
        assert(p->npub < CMR_AHEAD_MAX); /* one published run per slot */
        p->pub[p->npub++] = &s->p.run;
    }
    cnd_broadcast(&p->work_cv);
    cnd_broadcast(&p->idle_cv);
    mtx_unlock(&p->lock);
}

/* A worker's own connection to the store: false when it cannot be opened
 * (the worker then only overlays; the calling thread reads). */
static bool open_reader(struct cmr_ctx *ctx, const struct pool *p,
                        struct cmr__ds **ds)
{
    const struct cmr_store *store = p->rd->store;
    if (cmr__ds_open(ctx, store->path, false, ds) != CMR_OK)
        return false;
    /* (a store read without locks, in a directory this user cannot
     * write, is read only while it is the file the store's own connection
     * found) */
    if (!cmr__ds_same_file(*ds, store->ds)) {
        cmr__ds_close(*ds);
        *ds = NULL;
        return false;
    }
    return true;
}

/* The calling thread, until slot cur is read by a worker: it reads the
 * next State if it may, else overlays components of a published run,
 * else waits. */
static void wait_read(struct cmr_ctx *ctx, struct cmr__ds *ds, struct pool *p,
                      const struct slot *cur)
{
    struct hold extra = {0};
    mtx_lock(&p->lock);
    while (cur->state == SLOT_READING) {
        struct slot *s = claim(p);
        if (s) {
            mtx_unlock(&p->lock);
            read_slot(ctx, ds, p, s);
            mtx_lock(&p->lock);
        } else if (!help_other(ctx, p, &extra, NULL)) {
            cnd_wait(&p->idle_cv, &p->lock);
        }
    }
    mtx_unlock(&p->lock);
    let_go(ctx, &extra);
}

/* Frees the oldest slot for the next read (its State summed up or
 * dropped). */
static void pop_slot(struct pool *p)
{
    struct reading *r = p->rd;
    mtx_lock(&p->lock);
    r->held -= r->slot[r->head].bytes;
    r->head = (r->head + 1) % CMR_AHEAD_MAX;
    r->nq--;
    cnd_broadcast(&p->work_cv); /* room to read ahead */
    mtx_unlock(&p->lock);
}

enum cmr_status cmr_ledger_compute(struct cmr_ctx *ctx, struct cmr_store *store,
                                   const struct cmr_ledger_opts *opts,
                                   struct cmr_ledger **out)
{
    *out = NULL;
    if (opts && opts->also)
        *opts->also = NULL;
    struct cmr_ledger *L = cmr__calloc(1, sizeof *L);
    if (!L)
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    enum cmr_status st = CMR_OK;
    struct cmr__date at;
    if (opts && opts->at) {
        if (!cmr_date_valid(opts->at)) {
            cmr_ledger_free(L);
            return cmr__error(ctx, CMR_EINVAL,
                              "--at %s: not a date (YYYY-MM-DD)", opts->at);
        }
        cmr__date_parse(opts->at, &at);
        cmr__date_format(at, L->as_of);
    } else if ((st = default_as_of(ctx, store, L->as_of))) {
        cmr_ledger_free(L);
        return st;
    }
    cmr__date_parse(L->as_of, &at);
    const char *only = opts ? opts->country : NULL;
    if (only && !cmr__store_find_country(store, only)) {
        cmr_ledger_free(L);
        return cmr__error(ctx, CMR_EINVAL, "unknown State '%s'", only);
    }
    L->s = cmr__calloc(store->ncountries, sizeof *L->s);
    if (!L->s) {
        cmr_ledger_free(L);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    L->prec = opts ? opts->precedence : CMR_PRECEDENCE_INTENSITY;
    /* The ledger at an earlier date too, over the same overlay (or on its
     * own when that date is the later). */
    bool apart = false;
    if (opts && opts->also) {
        *opts->also = NULL;
        if (!opts->also_at || !cmr_date_valid(opts->also_at)) {
            cmr_ledger_free(L);
            return cmr__error(ctx, CMR_EINVAL, "%s: not a date (YYYY-MM-DD)",
                              opts->also_at ? opts->also_at : "(none)");
        }
        struct cmr__date d;
        char also_at[11];
        cmr__date_parse(opts->also_at, &d);
        cmr__date_format(d, also_at);
        apart = strcmp(also_at, L->as_of) > 0;
        if (!apart && strcmp(also_at, L->as_of) != 0) { /* else L is it */
            L->also = cmr__calloc(1, sizeof *L->also);
            if (!L->also || !(L->also->s = cmr__calloc(store->ncountries,
                                                       sizeof *L->also->s))) {
                cmr_ledger_free(L);
                return cmr__error(ctx, CMR_ENOMEM, "out of memory");
            }
            memcpy(L->also->as_of, also_at, sizeof also_at);
            L->also->prec = L->prec;
        }
    }
    double tol = opts && opts->tolerance > 0 ? opts->tolerance : 0.10;
    int jobs = opts ? opts->jobs : 0;
    if (jobs <= 0)
        jobs = default_jobs();
    /* A pipeline (see struct pool): this thread reads States ahead and
     * publishes them, then finishes the oldest and sums it up, and so on
     * (with one job, one State at a time, on this thread alone). The
     * workers hold the address of the run they overlay: the slots are a
     * ring, never copied. */
    struct reading rd = {.store = store,
                         .LA = L->also,
                         .at = &at,
                         .opts = opts,
                         .only = only,
                         .slot = cmr__calloc(CMR_AHEAD_MAX, sizeof *rd.slot),
                         .max = CMR_AHEAD_MAX,
                         .left = true,
                         .shared = store->mode == CMR_STORE_READ && !only &&
                                   cmr__ds_parallel_reads()};
    struct pool pool;
    if (!rd.slot) {
        cmr_ledger_free(L);
        return cmr__error(ctx, CMR_ENOMEM, "out of memory");
    }
    if ((st = pool_start(ctx, &pool, jobs, &rd))) {
        cmr__free(rd.slot);
        cmr_ledger_free(L);
        return st;
    }
    if (pool.nth == 0)
        rd.max = 1; /* one State at a time, on this thread alone */
    bool strays_checked = false;
    size_t mine = 0; /* States this thread read */
    while (!st) {
        struct slot *s;
        for (;;) { /* read ahead */
            if (cmr__ledger_test_read_delay_ms > 0 && mine++ > 0)
                thrd_sleep(
                    &(struct timespec){
                        .tv_nsec = cmr__ledger_test_read_delay_ms * 1000000L},
                    NULL);
            mtx_lock(&pool.lock);
            s = claim(&pool);
            mtx_unlock(&pool.lock);
            if (!s)
                break;
            read_slot(ctx, store->ds, &pool, s);
        }
        mtx_lock(&pool.lock);
        /* (a State that could not be read is reported first, in order) */
        bool all_read = !rd.left && rd.busy == 0 && !rd.stop;
        size_t nq = rd.nq;
        mtx_unlock(&pool.lock);
        /* once all is read (while the workers overlay it), the records no
         * State holds: they would be left out of every figure (also with
         * --country: a hazard of 'LAO ' is one of Lao PDR's, typed wrong;
         * a review found its area left out without a word) */
        if (all_read && !strays_checked) {
            strays_checked = true;
            if ((st = check_strays(ctx, store)))
                break;
        }
        if (!nq)
            break;
        struct slot *cs = &rd.slot[rd.head]; /* (head moves on this thread) */
        wait_read(ctx, store->ds, &pool, cs);
        struct pending *cur = &cs->p;
        if (cs->state == SLOT_FAILED) {
            st = cmr__error(ctx, cs->st, "%s", cs->err);
        } else if (cs->state == SLOT_READ) {
            enum cmr_status fst =
                finish_run(ctx, &cur->run, cur->c->iso3, true);
            if (fst)
                st = state_error(ctx, fst, store, cur->c->iso3);
            /* the State's place in the ledger (and in the one at the
             * earlier date, when it has records then), in order */
            if (!st &&
                (!(cur->so = place_state(L, cur->c, &cur->run)) ||
                 (L->also && (cur->view.nh || cur->view.nr || only) &&
                  !(cur->so2 = place_state(L->also, cur->c, &cur->view))) ||
                 !summarise(L, cur->so, &cur->run, cur->codes, cur->names) ||
                 (!cur->run.nofind &&
                  !make_findings(L, cur->so, &cur->run, tol)) ||
                 (cur->so2 && !summarise(L->also, cur->so2, &cur->view,
                                         cur->codes, cur->names))))
                st = cmr__error_prefix(
                    ctx, cmr__error(ctx, CMR_ENOMEM, "out of memory"), "%s",
                    cur->c->iso3);
        }
        pending_clear(cur);
        pop_slot(&pool);
    }
    /* stopped by an error: no more reading; the reads under way end, and
     * the workers let go of the States read */
    mtx_lock(&pool.lock);
    rd.stop = true;
    while (rd.busy > 0)
        cnd_wait(&pool.idle_cv, &pool.lock);
    mtx_unlock(&pool.lock);
    while (rd.nq > 0) {
        struct slot *cs = &rd.slot[rd.head];
        if (cs->state == SLOT_READ)
            (void)finish_run(ctx, &cs->p.run, cs->p.c->iso3, false);
        pending_clear(&cs->p);
        pop_slot(&pool);
    }
    pool_stop(&pool);
    cmr__free(rd.slot);
    L->worker_reads = rd.by_workers;
    if (!st && apart) {
        struct cmr_ledger_opts o2 = *opts;
        o2.at = opts->also_at;
        o2.also_at = NULL;
        o2.also = NULL;
        st = cmr_ledger_compute(ctx, store, &o2, &L->also);
    }
    if (st) {
        cmr_ledger_free(L);
        return st;
    }
    if (opts && opts->also)
        *opts->also = L->also;
    L->also = NULL;
    *out = L;
    return CMR_OK;
}
