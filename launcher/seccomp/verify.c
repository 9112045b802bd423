/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Checks an exported filter against the policy's own meaning
 * (syscall_policy_decide) before it can ship.
 *
 * libseccomp 2.5.4 has mis-compiled rule combinations the lowering did not
 * foresee (compile.c), so the compiler does not trust it: for every syscall
 * with rules, the BPF runs on argument vectors at the edges of every
 * comparison in the policy (c-1, c, c+1, the constant with its high or low
 * word changed, each bit of a mask), and any difference refuses the policy.
 * A wrong filter then shows up as an error at the rule instead of as a
 * sandbox that quietly allows too much. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_eval.h"
#include "policy_internal.h"
#include "unknown_syscalls.h"

/* Edge values of one argument, deduplicated. */
#define EDGE_MAX 384

struct edges {
        uint64_t v[EDGE_MAX];
        size_t n;
};

static void edge_add(struct edges *e, uint64_t x) {
        for (size_t i = 0; i < e->n; i++)
                if (e->v[i] == x)
                        return;
        if (e->n < EDGE_MAX)
                e->v[e->n++] = x;
}

static void edges_of_constant(struct edges *e, uint64_t c) {
        const uint64_t high = c & UINT64_C(0xffffffff00000000), low = c & 0xffffffff;
        edge_add(e, c - 1);
        edge_add(e, c);
        edge_add(e, c + 1);
        edge_add(e, low);                                /* high word 0 */
        edge_add(e, high | 0xffffffff);                  /* low word all ones */
        edge_add(e, high);                               /* low word 0 */
        edge_add(e, UINT64_C(0xffffffff00000000) | low); /* high word all ones */
        edge_add(e, c ^ (UINT64_C(1) << 32));            /* high word off by one bit */
        edge_add(e, (high + (UINT64_C(1) << 32)) | low); /* high word + 1 */
        edge_add(e, (high - (UINT64_C(1) << 32)) | low); /* high word - 1 */
}

static void edges_of_mask(struct edges *e, enum atom_op op, uint64_t c) {
        if (op == ATOM_ANY_BITS || op == ATOM_IN) {
                edge_add(e, ~c);
                for (unsigned bit = 0; bit < 64; bit++)
                        if (c & (UINT64_C(1) << bit)) {
                                edge_add(e, UINT64_C(1) << bit);
                                edge_add(e, c & ~(UINT64_C(1) << bit));
                        }
        }
}

static const struct atom *atom_of(const struct rule *r, size_t i, size_t *clause) {
        for (size_t c = 0; c < r->n_clauses; c++) {
                if (i < r->clauses[c].n_atoms) {
                        *clause = c;
                        return &r->clauses[c].atoms[i];
                }
                i -= r->clauses[c].n_atoms;
        }
        return NULL;
}

struct checker {
        const struct syscall_policy *p;
        const struct syscall_rules *s;
        const struct sock_filter *prog;
        size_t n_insns;
        uint32_t arch;
        const struct rule *at; /* the rule whose edges are being tried */
        struct diag *d;
};

static int check_vector(const struct checker *ck, const uint64_t args[POLICY_MAX_ARGS]) {
        struct seccomp_data data = {.nr = ck->s->nr, .arch = ck->arch};
        memcpy(data.args, args, sizeof(data.args));
        uint32_t got = bpf_eval(ck->prog, ck->n_insns, &data);
        struct policy_action want = syscall_policy_decide(ck->p, ck->s->nr, args);
        if (got == policy_action_to_scmp(want))
                return 0;
        char buf[64];
        diag_add(ck->d, DIAG_ERROR, ck->at->where.file, ck->at->where.line, ck->at->where.col,
                 ck->at->where.source_line, ck->at->where.context,
                 "libseccomp compiled the rules for '%s' wrongly: for arguments (%#llx, %#llx, %#llx, %#llx, "
                 "%#llx, %#llx) the filter returns %#x, the policy says %s; refusing the policy",
                 ck->s->name, (unsigned long long) args[0], (unsigned long long) args[1],
                 (unsigned long long) args[2], (unsigned long long) args[3], (unsigned long long) args[4],
                 (unsigned long long) args[5], got, policy_action_describe(want, buf, sizeof(buf)));
        return -EINVAL;
}

/* Every argument alone over all edge values, then every pair of compared
 * arguments over the edges without the mask bits (quadratic, so bounded). */
#define PAIR_MAX 4096

static int check_around(const struct checker *ck, const struct edges *all, const struct edges *core,
                        const uint64_t base[POLICY_MAX_ARGS], const bool used[POLICY_MAX_ARGS]) {
        uint64_t args[POLICY_MAX_ARGS];
        int r = 0;
        for (unsigned a = 0; a < POLICY_MAX_ARGS && r >= 0; a++) {
                if (!used[a])
                        continue;
                memcpy(args, base, sizeof(args));
                for (size_t i = 0; i < all->n && r >= 0; i++) {
                        args[a] = all->v[i];
                        r = check_vector(ck, args);
                }
                if (core->n * core->n > PAIR_MAX)
                        continue;
                for (unsigned b = a + 1; b < POLICY_MAX_ARGS && r >= 0; b++) {
                        if (!used[b])
                                continue;
                        memcpy(args, base, sizeof(args));
                        for (size_t i = 0; i < core->n && r >= 0; i++)
                                for (size_t k = 0; k < core->n && r >= 0; k++) {
                                        args[a] = core->v[i];
                                        args[b] = core->v[k];
                                        r = check_vector(ck, args);
                                }
                }
        }
        return r;
}

static bool atom_holds(const struct atom *at, const uint64_t args[POLICY_MAX_ARGS]) {
        struct atom only = *at;
        struct clause c = {.atoms = &only, .n_atoms = 1};
        struct rule r = {.clauses = &c, .n_clauses = 1};
        return policy_rule_holds(&r, args);
}

/* A base vector where each argument meets the clause's atoms on it, when
 * one of the edge values does. */
static void clause_base(const struct clause *c, const struct edges *all, uint64_t base[POLICY_MAX_ARGS]) {
        memset(base, 0, POLICY_MAX_ARGS * sizeof(*base));
        for (unsigned a = 0; a < POLICY_MAX_ARGS; a++)
                for (size_t i = 0; i < all->n; i++) {
                        uint64_t args[POLICY_MAX_ARGS] = {};
                        args[a] = all->v[i];
                        bool holds = true;
                        for (size_t k = 0; k < c->n_atoms && holds; k++)
                                if (c->atoms[k].arg == a)
                                        holds = atom_holds(&c->atoms[k], args);
                        if (holds) {
                                base[a] = all->v[i];
                                break;
                        }
                }
}

/* Every argument is tried at the edges of every constant of the syscall:
 * libseccomp has mixed up the arguments' nodes too (read(3, 0x300000003)
 * with `arg0 & 0xffffffff && arg0 == 0x300000003 || arg1 <= 5 && arg0 <= 3`). */
static int verify_syscall(struct checker *ck) {
        const struct syscall_rules *s = ck->s;
        struct edges *edges = calloc(2, sizeof(*edges));
        if (!edges)
                return -ENOMEM;
        struct edges *all = &edges[0], *core = &edges[1];
        bool used[POLICY_MAX_ARGS] = {};
        edge_add(core, 0);
        edge_add(core, UINT64_MAX);
        for (size_t i = 0; i < s->n_rules; i++) {
                size_t clause;
                const struct atom *at;
                for (size_t k = 0; (at = atom_of(&s->rules[i], k, &clause)); k++) {
                        edges_of_constant(core, at->value);
                        used[at->arg] = true;
                }
        }
        *all = *core;
        for (size_t i = 0; i < s->n_rules; i++) {
                size_t clause;
                const struct atom *at;
                for (size_t k = 0; (at = atom_of(&s->rules[i], k, &clause)); k++)
                        edges_of_mask(all, at->op, at->value);
        }
        uint64_t base[POLICY_MAX_ARGS] = {};
        ck->at = &s->rules[0];
        int r = check_around(ck, all, core, base, used);
        for (size_t i = 0; i < s->n_rules && r >= 0; i++) {
                ck->at = &s->rules[i];
                for (size_t c = 0; c < s->rules[i].n_clauses && r >= 0; c++) {
                        clause_base(&s->rules[i].clauses[c], all, base);
                        r = check_around(ck, all, core, base, used);
                }
        }
        if (r >= 0) {
                /* No argument compared: one call decides it. */
                memset(base, 0, sizeof(base));
                r = check_vector(ck, base);
        }
        free(edges);
        return r;
}

int syscall_policy_verify(const struct syscall_policy *p, const void *prog, size_t n_insns, struct diag *d) {
        struct checker ck = {
                .p = p,
                .prog = prog,
                .n_insns = n_insns,
                .arch = p->arch, /* SCMP_ARCH_* tokens are the AUDIT_ARCH_* values */
                .d = d,
        };
        int result = 0;
        for (size_t i = 0; i < p->n_syscalls; i++) {
                ck.s = &p->syscalls[i];
                int r = verify_syscall(&ck);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        result = r;
        }
        if (p->has_unknown && policy_unknown_verify(p, prog, n_insns, d) < 0)
                result = -EINVAL;
        return result;
}
