/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Region algebra over the six 64-bit syscall arguments.
 *
 * A rule's condition is a union of terms; a term holds one comparison per
 * argument.  Intersections stay exact: ranges meet as ranges, masked
 * patterns meet in closed form ((m1,v1) ∩ (m2,v2) is empty when v1 and v2
 * differ on a bit both masks fix, otherwise (m1|m2, v1|v2)), and mixed pairs
 * go through aligned blocks, which are patterns.  Negations of atoms are
 * atoms again (== / !=, < / >=, & / masked-equal-zero, in / any bit
 * outside), so the complement of a DNF condition is a conjunction of unions. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arg_width.h"
#include "array.h"
#include "lower.h"

#define ANY ((struct cmp){.kind = CMP_RANGE, .a = 0, .b = UINT64_MAX})

void lower_region_free(struct region *r) {
        free(r->terms);
        *r = (struct region){};
}

static bool cmp_is_any(struct cmp c) {
        return (c.kind == CMP_RANGE && c.a == 0 && c.b == UINT64_MAX) || (c.kind == CMP_PATTERN && c.a == 0);
}

static bool cmp_equal(struct cmp x, struct cmp y) {
        return x.kind == y.kind && x.a == y.a && x.b == y.b;
}

static bool cmp_matches(struct cmp c, uint64_t x) {
        switch (c.kind) {
        case CMP_RANGE:
                return x >= c.a && x <= c.b;
        case CMP_PATTERN:
                return (x & c.a) == c.b;
        case CMP_NE:
                return x != c.a;
        }
        return false;
}

/* Whether x ⊆ y, answered conservatively (false when unsure). */
static bool cmp_subset(struct cmp x, struct cmp y) {
        if (cmp_is_any(y) || cmp_equal(x, y))
                return true;
        if (x.kind == CMP_RANGE && x.a == x.b)
                return cmp_matches(y, x.a);
        if (x.kind == CMP_RANGE && y.kind == CMP_RANGE)
                return x.a >= y.a && x.b <= y.b;
        if (x.kind == CMP_PATTERN && y.kind == CMP_PATTERN)
                return (y.a & ~x.a) == 0 && (x.b & y.a) == y.b;
        if (y.kind == CMP_NE && x.kind == CMP_RANGE)
                return !cmp_matches(x, y.a);
        if (y.kind == CMP_NE && x.kind == CMP_PATTERN)
                return !cmp_matches(x, y.a);
        return false;
}

static int region_push(struct region *r, const struct term *t) {
        if (r->n >= REGION_MAX_TERMS)
                return -E2BIG;
        if (ARRAY_GROW(r->terms, r->allocated, r->n + 1) < 0)
                return -ENOMEM;
        r->terms[r->n++] = *t;
        return 0;
}

static struct term term_any(void) {
        struct term t;
        for (unsigned i = 0; i < POLICY_MAX_ARGS; i++)
                t.arg[i] = ANY;
        return t;
}

/* Splits [lo, hi] into aligned blocks, each a pattern. */
static size_t range_blocks(uint64_t lo, uint64_t hi, struct cmp *out) {
        size_t n = 0;
        for (;;) {
                if (lo == 0 && hi == UINT64_MAX) {
                        out[n++] = (struct cmp){.kind = CMP_PATTERN, .a = 0, .b = 0};
                        return n;
                }
                unsigned k = lo == 0 ? 63 : (unsigned) __builtin_ctzll(lo);
                while (k > 0 && hi - lo < (UINT64_C(1) << k) - 1)
                        k--;
                uint64_t size_minus_1 = (UINT64_C(1) << k) - 1;
                out[n++] = (struct cmp){.kind = CMP_PATTERN, .a = ~size_minus_1, .b = lo};
                if (hi - lo == size_minus_1)
                        return n;
                lo += size_minus_1 + 1;
        }
}

static size_t ne_as_ranges(uint64_t v, struct cmp *out) {
        size_t n = 0;
        if (v > 0)
                out[n++] = (struct cmp){.kind = CMP_RANGE, .a = 0, .b = v - 1};
        if (v < UINT64_MAX)
                out[n++] = (struct cmp){.kind = CMP_RANGE, .a = v + 1, .b = UINT64_MAX};
        return n;
}

static size_t pattern_and(struct cmp x, struct cmp y, struct cmp *out) {
        if ((x.b ^ y.b) & x.a & y.a)
                return 0;
        out[0] = (struct cmp){.kind = CMP_PATTERN, .a = x.a | y.a, .b = x.b | y.b};
        return 1;
}

/* A pattern without one value: fix the free bits one by one. */
static size_t pattern_minus_point(struct cmp p, uint64_t v, struct cmp *out) {
        if (!cmp_matches(p, v)) {
                out[0] = p;
                return 1;
        }
        size_t n = 0;
        uint64_t fixed = p.a;
        for (unsigned bit = 0; bit < 64; bit++) {
                uint64_t m = UINT64_C(1) << bit;
                if (p.a & m)
                        continue;
                out[n++] = (struct cmp){.kind = CMP_PATTERN, .a = fixed | m, .b = (v & fixed) | (~v & m)};
                fixed |= m;
        }
        return n;
}

#define CMP_MAX_PARTS 256

/* x ∩ y as a union of cmps in out (at most CMP_MAX_PARTS). */
static size_t cmp_and(struct cmp x, struct cmp y, struct cmp *out) {
        if (cmp_is_any(x)) {
                out[0] = y;
                return 1;
        }
        if (cmp_is_any(y) || cmp_subset(x, y)) {
                out[0] = x;
                return 1;
        }
        if (cmp_subset(y, x)) {
                out[0] = y;
                return 1;
        }
        if (x.kind == CMP_NE || y.kind == CMP_NE) {
                struct cmp ne = x.kind == CMP_NE ? x : y, other = x.kind == CMP_NE ? y : x;
                if (other.kind == CMP_PATTERN)
                        return pattern_minus_point(other, ne.a, out);
                struct cmp parts[2];
                size_t n_parts = ne_as_ranges(ne.a, parts), n = 0;
                for (size_t i = 0; i < n_parts; i++)
                        n += cmp_and(parts[i], other, out + n);
                return n;
        }
        if (x.kind == CMP_RANGE && y.kind == CMP_RANGE) {
                uint64_t lo = x.a > y.a ? x.a : y.a, hi = x.b < y.b ? x.b : y.b;
                if (lo > hi)
                        return 0;
                out[0] = (struct cmp){.kind = CMP_RANGE, .a = lo, .b = hi};
                return 1;
        }
        if (x.kind == CMP_PATTERN && y.kind == CMP_PATTERN)
                return pattern_and(x, y, out);
        /* A range and a pattern: the range's aligned blocks are patterns. */
        struct cmp range = x.kind == CMP_RANGE ? x : y, pattern = x.kind == CMP_RANGE ? y : x;
        struct cmp blocks[130];
        size_t n_blocks = range_blocks(range.a, range.b, blocks), n = 0;
        for (size_t i = 0; i < n_blocks; i++)
                n += pattern_and(blocks[i], pattern, out + n);
        return n;
}

static bool term_subset(const struct term *x, const struct term *y) {
        for (unsigned i = 0; i < POLICY_MAX_ARGS; i++)
                if (!cmp_subset(x->arg[i], y->arg[i]))
                        return false;
        return true;
}

/* Adds t unless a term already there contains it; drops terms t contains. */
static int region_add(struct region *r, const struct term *t) {
        for (size_t i = 0; i < r->n; i++)
                if (term_subset(t, &r->terms[i]))
                        return 0;
        size_t k = 0;
        for (size_t i = 0; i < r->n; i++)
                if (!term_subset(&r->terms[i], t))
                        r->terms[k++] = r->terms[i];
        r->n = k;
        return region_push(r, t);
}

struct split {
        struct cmp parts[POLICY_MAX_ARGS][CMP_MAX_PARTS];
        size_t n[POLICY_MAX_ARGS];
};

static int add_product(struct region *out, const struct split *sp, struct term *t, unsigned arg) {
        if (arg == POLICY_MAX_ARGS)
                return region_add(out, t);
        for (size_t i = 0; i < sp->n[arg]; i++) {
                t->arg[arg] = sp->parts[arg][i];
                int r = add_product(out, sp, t, arg + 1);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Adds x ∩ y, which may be several terms when an argument splits. */
static int term_and_into(struct region *out, const struct term *x, const struct term *y) {
        struct split *sp = malloc(sizeof(*sp));
        if (!sp)
                return -ENOMEM;
        int r = 0;
        for (unsigned i = 0; i < POLICY_MAX_ARGS; i++) {
                sp->n[i] = cmp_and(x->arg[i], y->arg[i], sp->parts[i]);
                if (sp->n[i] == 0)
                        goto done;
        }
        struct term t;
        r = add_product(out, sp, &t, 0);
done:
        free(sp);
        return r;
}

int lower_region_intersect(struct region *r, const struct region *other) {
        struct region out = {};
        for (size_t i = 0; i < r->n; i++)
                for (size_t k = 0; k < other->n; k++) {
                        int e = term_and_into(&out, &r->terms[i], &other->terms[k]);
                        if (e < 0) {
                                lower_region_free(&out);
                                return e;
                        }
                }
        lower_region_free(r);
        *r = out;
        return 0;
}

/* Adds the patterns of [lo, hi] on the low bits of `mask` (both within
 * it): the bits above are free. */
static int add_low_range(struct region *out, unsigned arg, uint64_t mask, uint64_t lo, uint64_t hi) {
        struct cmp blocks[130];
        size_t n = range_blocks(lo, hi, blocks);
        for (size_t i = 0; i < n; i++) {
                struct term t = term_any();
                t.arg[arg] = (struct cmp){.kind = CMP_PATTERN, .a = blocks[i].a & mask, .b = blocks[i].b};
                int r = region_add(out, &t);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* An atom on an argument the kernel narrows (arg_width.c), as patterns on
 * its low bits: `arg1 != TIOCSTI` must not let (1 << 32) | TIOCSTI by.
 * op is already negated as asked; v is within mask. */
static int region_of_narrow_atom(unsigned arg, enum atom_op op, uint64_t v, uint64_t mask,
                                 struct region *out) {
        switch (op) {
        case ATOM_EQ:
                return add_low_range(out, arg, mask, v, v);
        case ATOM_NE: {
                int r = v > 0 ? add_low_range(out, arg, mask, 0, v - 1) : 0;
                return r >= 0 && v < mask ? add_low_range(out, arg, mask, v + 1, mask) : r;
        }
        case ATOM_LT:
                return v == 0 ? 0 : add_low_range(out, arg, mask, 0, v - 1);
        case ATOM_LE:
                return add_low_range(out, arg, mask, 0, v);
        case ATOM_GT:
                return v == mask ? 0 : add_low_range(out, arg, mask, v + 1, mask);
        case ATOM_GE:
                return add_low_range(out, arg, mask, v, mask);
        case ATOM_IN: {
                struct term t = term_any();
                t.arg[arg] = (struct cmp){.kind = CMP_PATTERN, .a = ~v & mask, .b = 0};
                return region_add(out, &t);
        }
        case ATOM_ANY_BITS:
                break;
        }
        return -EINVAL; /* ANY_BITS is exact on any width: the caller's */
}

/* The atom, or its negation, as a union of single-cmp terms. */
static int region_of_atom(const struct atom *a, bool negate, struct region *out) {
        enum atom_op op = a->op;
        uint64_t v = a->value;
        uint64_t mask = policy_width_mask(a->width ? a->width : 64);
        if (negate) {
                static const enum atom_op opposite[] = {
                        [ATOM_EQ] = ATOM_NE, [ATOM_NE] = ATOM_EQ, [ATOM_LT] = ATOM_GE,
                        [ATOM_LE] = ATOM_GT, [ATOM_GT] = ATOM_LE, [ATOM_GE] = ATOM_LT,
                };
                if (op == ATOM_ANY_BITS) {
                        /* no bit of v set */
                        struct term t = term_any();
                        t.arg[a->arg] = (struct cmp){.kind = CMP_PATTERN, .a = v, .b = 0};
                        return region_add(out, &t);
                }
                if (op == ATOM_IN) {
                        /* some bit outside v set (of those the kernel reads) */
                        op = ATOM_ANY_BITS;
                        v = ~v & mask;
                } else
                        op = opposite[op];
        }
        if (mask != UINT64_MAX && op != ATOM_ANY_BITS)
                return region_of_narrow_atom(a->arg, op, v, mask, out);
        struct term t = term_any();
        struct cmp *c = &t.arg[a->arg];
        switch (op) {
        case ATOM_EQ:
                *c = (struct cmp){.kind = CMP_RANGE, .a = v, .b = v};
                break;
        case ATOM_NE:
                *c = (struct cmp){.kind = CMP_NE, .a = v};
                break;
        case ATOM_LT:
                if (v == 0)
                        return 0;
                *c = (struct cmp){.kind = CMP_RANGE, .a = 0, .b = v - 1};
                break;
        case ATOM_LE:
                *c = (struct cmp){.kind = CMP_RANGE, .a = 0, .b = v};
                break;
        case ATOM_GT:
                if (v == UINT64_MAX)
                        return 0;
                *c = (struct cmp){.kind = CMP_RANGE, .a = v + 1, .b = UINT64_MAX};
                break;
        case ATOM_GE:
                *c = (struct cmp){.kind = CMP_RANGE, .a = v, .b = UINT64_MAX};
                break;
        case ATOM_IN:
                *c = (struct cmp){.kind = CMP_PATTERN, .a = ~v, .b = 0};
                break;
        case ATOM_ANY_BITS: {
                /* Bit i set and every lower bit of the mask clear: one
                 * disjoint masked compare per bit. */
                uint64_t lower = 0;
                for (unsigned bit = 0; bit < 64; bit++) {
                        uint64_t m = UINT64_C(1) << bit;
                        if (!(v & m))
                                continue;
                        *c = (struct cmp){.kind = CMP_PATTERN, .a = m | lower, .b = m};
                        int r = region_add(out, &t);
                        if (r < 0)
                                return r;
                        lower |= m;
                }
                return 0;
        }
        }
        return region_add(out, &t);
}

int lower_region_of_rule(const struct rule *rule, bool negate, struct region *ret) {
        struct region r = {};
        int e = 0;
        if (rule->n_clauses == 0) {
                struct term any = term_any();
                if (!negate)
                        e = region_push(&r, &any);
                goto done;
        }
        if (!negate) {
                /* ∪ over clauses of ∩ over atoms */
                for (size_t c = 0; c < rule->n_clauses && e >= 0; c++) {
                        struct region clause = {};
                        struct term any = term_any();
                        e = region_push(&clause, &any);
                        for (size_t a = 0; a < rule->clauses[c].n_atoms && e >= 0; a++) {
                                struct region atom = {};
                                e = region_of_atom(&rule->clauses[c].atoms[a], false, &atom);
                                if (e >= 0)
                                        e = lower_region_intersect(&clause, &atom);
                                lower_region_free(&atom);
                        }
                        for (size_t i = 0; i < clause.n && e >= 0; i++)
                                e = region_add(&r, &clause.terms[i]);
                        lower_region_free(&clause);
                }
        } else {
                /* ∩ over clauses of ∪ over negated atoms */
                struct term any = term_any();
                e = region_push(&r, &any);
                for (size_t c = 0; c < rule->n_clauses && e >= 0 && r.n > 0; c++) {
                        struct region alternatives = {};
                        for (size_t a = 0; a < rule->clauses[c].n_atoms && e >= 0; a++)
                                e = region_of_atom(&rule->clauses[c].atoms[a], true, &alternatives);
                        if (e >= 0)
                                e = lower_region_intersect(&r, &alternatives);
                        lower_region_free(&alternatives);
                }
        }
done:
        if (e < 0) {
                lower_region_free(&r);
                return e;
        }
        *ret = r;
        return 0;
}

/* The libseccomp comparisons for one cmp, as alternatives: none for "any",
 * several when a range is split into aligned blocks.
 *
 * libseccomp 2.5.4 has two traps, both found by the tests:
 *  - it builds NE, LT and LE as EQ, GE and GT with inverted branches, and
 *    when another rule of the syscall uses the same node un-inverted
 *    (`a0 != 1` next to `a0 == 1 && ...`) the tree merge loses the
 *    inversion: a wrong filter;
 *  - two rules sharing a branching 64-bit node (GE, GT, NE, ...) and then
 *    differing in a later argument's high word make seccomp_rule_add loop
 *    forever (`a0 >= 6 && a1 == 3` plus `a0 >= 6 && a1 == 0x100000002`).
 * So each cmp has a native form (one comparison) and a positive form that
 * uses only EQ and MASKED_EQ on aligned blocks; compile.c asks for the
 * positive form whenever a syscall has more than one libseccomp rule (and
 * only when that is too large, for the positive form where a known trap
 * would spring). */
static struct scmp_arg_cmp scmp_cmp(unsigned arg, enum scmp_compare op, uint64_t a, uint64_t b) {
        return (struct scmp_arg_cmp){.arg = arg, .op = op, .datum_a = a, .datum_b = b};
}

static size_t blocks_to_scmp(unsigned arg, uint64_t lo, uint64_t hi, struct scmp_arg_cmp *out) {
        struct cmp blocks[130];
        size_t n = range_blocks(lo, hi, blocks);
        for (size_t i = 0; i < n; i++)
                out[i] = blocks[i].a == UINT64_MAX
                                 ? scmp_cmp(arg, SCMP_CMP_EQ, blocks[i].b, 0)
                                 : scmp_cmp(arg, SCMP_CMP_MASKED_EQ, blocks[i].a, blocks[i].b);
        return n;
}

/* level 0: one native comparison; 1: another node (x != v as x < v or
 * x > v, x <= v as x < v+1, x >= v as x > v-1); 2: EQ/MASKED_EQ only. */
static size_t cmp_to_scmp(unsigned arg, struct cmp c, unsigned level, struct scmp_arg_cmp *out) {
        bool positive = level >= 2;
        if (cmp_is_any(c))
                return 0;
        switch (c.kind) {
        case CMP_NE: {
                if (level == 0) {
                        out[0] = scmp_cmp(arg, SCMP_CMP_NE, c.a, 0);
                        return 1;
                }
                if (level == 1) {
                        size_t n = 0;
                        if (c.a > 0)
                                out[n++] = scmp_cmp(arg, SCMP_CMP_LT, c.a, 0);
                        if (c.a < UINT64_MAX)
                                out[n++] = scmp_cmp(arg, SCMP_CMP_GT, c.a, 0);
                        return n;
                }
                size_t n = 0;
                if (c.a > 0)
                        n += blocks_to_scmp(arg, 0, c.a - 1, out);
                if (c.a < UINT64_MAX)
                        n += blocks_to_scmp(arg, c.a + 1, UINT64_MAX, out + n);
                return n;
        }
        case CMP_PATTERN:
                out[0] = c.a == UINT64_MAX ? scmp_cmp(arg, SCMP_CMP_EQ, c.b, 0)
                                           : scmp_cmp(arg, SCMP_CMP_MASKED_EQ, c.a, c.b);
                return 1;
        case CMP_RANGE:
                if (c.a == c.b) {
                        out[0] = scmp_cmp(arg, SCMP_CMP_EQ, c.a, 0);
                        return 1;
                }
                if (!positive && c.a == 0) {
                        out[0] = level == 0 || c.b == UINT64_MAX ? scmp_cmp(arg, SCMP_CMP_LE, c.b, 0)
                                                                 : scmp_cmp(arg, SCMP_CMP_LT, c.b + 1, 0);
                        return 1;
                }
                if (!positive && c.b == UINT64_MAX) {
                        out[0] = level == 0 ? scmp_cmp(arg, SCMP_CMP_GE, c.a, 0)
                                            : scmp_cmp(arg, SCMP_CMP_GT, c.a - 1, 0);
                        return 1;
                }
                return blocks_to_scmp(arg, c.a, c.b, out);
        }
        return 0;
}

struct emit_state {
        struct scmp_arg_cmp alternatives[POLICY_MAX_ARGS][260];
        size_t n_alternatives[POLICY_MAX_ARGS];
        struct scmp_arg_cmp chosen[POLICY_MAX_ARGS];
        struct cmp_key keys[POLICY_MAX_ARGS];
        struct cmp_key chosen_keys[POLICY_MAX_ARGS];
        const struct region_emitter *e;
};

static int emit_product(struct emit_state *st, unsigned arg, unsigned n_chosen) {
        if (arg == POLICY_MAX_ARGS)
                return st->e->emit(st->e->userdata, n_chosen, st->chosen, st->chosen_keys);
        if (st->n_alternatives[arg] == 0)
                return emit_product(st, arg + 1, n_chosen);
        for (size_t i = 0; i < st->n_alternatives[arg]; i++) {
                st->chosen[n_chosen] = st->alternatives[arg][i];
                st->chosen_keys[n_chosen] = st->keys[arg];
                int r = emit_product(st, arg + 1, n_chosen + 1);
                if (r < 0)
                        return r;
        }
        return 0;
}

int lower_region_emit(const struct region *r, const struct region_emitter *e) {
        struct emit_state *st = calloc(1, sizeof(*st));
        if (!st)
                return -ENOMEM;
        st->e = e;
        int err = 0;
        for (size_t i = 0; i < r->n && err >= 0; i++) {
                size_t product = 1;
                for (unsigned a = 0; a < POLICY_MAX_ARGS; a++) {
                        struct cmp c = r->terms[i].arg[a];
                        st->keys[a] = (struct cmp_key){.arg = a, .c = c};
                        unsigned level = e->level ? e->level(e->userdata, &st->keys[a]) : 0;
                        st->n_alternatives[a] = cmp_to_scmp(a, c, level, st->alternatives[a]);
                        if (st->n_alternatives[a])
                                product *= st->n_alternatives[a];
                }
                if (product > REGION_MAX_RULES) {
                        err = -E2BIG;
                        break;
                }
                err = emit_product(st, 0, 0);
        }
        free(st);
        return err;
}

bool lower_cmp_key_equal(const struct cmp_key *x, const struct cmp_key *y) {
        return x->arg == y->arg && cmp_equal(x->c, y->c);
}
