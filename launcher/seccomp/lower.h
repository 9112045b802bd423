/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Lowering minijail's first-match rule lists into libseccomp rules whose
 * conditions never overlap (libseccomp does not order rules). */
#ifndef SEALRUN_POLICY_LOWER_H
#define SEALRUN_POLICY_LOWER_H

#include "policy_internal.h"

/* One comparison on one argument, as libseccomp can take it, or a bounded
 * range that the emitter splits into aligned masked compares. */
enum cmp_kind {
        CMP_RANGE,   /* a <= x <= b; [0, UINT64_MAX] is "any value" */
        CMP_PATTERN, /* (x & a) == b, b within a */
        CMP_NE,      /* x != a */
};

struct cmp {
        enum cmp_kind kind;
        uint64_t a, b;
};

/* A conjunction: one cmp per argument. */
struct term {
        struct cmp arg[POLICY_MAX_ARGS];
};

/* A union of terms. */
struct region {
        struct term *terms;
        size_t n, allocated;
};

/* Regions larger than this are refused rather than emitted. */
#define REGION_MAX_TERMS 4096
/* and one term may not become more libseccomp rules than this. */
#define REGION_MAX_RULES 1024

void lower_region_free(struct region *r);
/* The set of argument vectors where the rule's condition holds (negate:
 * where it does not).  -ENOMEM, -E2BIG. */
int lower_region_of_rule(const struct rule *rule, bool negate, struct region *ret);
/* *r = *r ∩ other.  -ENOMEM, -E2BIG. */
int lower_region_intersect(struct region *r, const struct region *other);
/* Which cmp of which argument a libseccomp comparison came from. */
struct cmp_key {
        unsigned arg;
        struct cmp c;
};
bool lower_cmp_key_equal(const struct cmp_key *x, const struct cmp_key *y);

struct region_emitter {
        /* Called per libseccomp rule; keys[i] is where cmps[i] came from. */
        int (*emit)(void *userdata, unsigned n, const struct scmp_arg_cmp *cmps, const struct cmp_key *keys);
        /* How far this cmp must keep from libseccomp's traps (see
         * cmp_to_scmp in lower.c): 0 native, 1 other node, 2 EQ/MASKED_EQ
         * only.  May be NULL. */
        unsigned (*level)(void *userdata, const struct cmp_key *key);
        void *userdata;
};

/* Calls e->emit for each libseccomp rule of the region; -E2BIG when one
 * term would need more than REGION_MAX_RULES rules. */
int lower_region_emit(const struct region *r, const struct region_emitter *e);

#endif
