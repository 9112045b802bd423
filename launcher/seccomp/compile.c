/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Policy -> libseccomp filter.
 *
 * minijail's meaning is "the first rule whose condition holds decides".
 * libseccomp 2.5 does not order rules for one syscall, so each rule is given
 * to it as a region that cannot overlap a region of another action:
 *
 *     region(i) = cond(i) ∩ ⋂ { ¬cond(j) : j < i, action(j) ≠ action(i) }
 *
 * A call gets action A exactly when some rule i with action A holds and no
 * earlier rule with another action does, which is the first-match result
 * (the first rule that holds has action A, since any earlier holding rule
 * would have A too).  Regions of different actions are therefore disjoint,
 * and which rule libseccomp tries first cannot matter.  Rules whose action
 * is the filter's default are not emitted at all: a call no rule matches
 * gets the default. */
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "array.h"
#include "cleanup.h"
#include "lower.h"
#include "policy_internal.h"
#include "unknown_syscalls.h"

/* A rule list with `EXPR; E` split into (EXPR -> allow... ) and (always -> E). */
struct step {
        const struct rule *rule;
        bool always; /* the else branch of `rule` */
        struct policy_action action;
};

/* One libseccomp rule waiting to be added. */
struct pending_rule {
        uint32_t action;
        unsigned n;
        struct scmp_arg_cmp cmps[POLICY_MAX_ARGS];
        struct cmp_key keys[POLICY_MAX_ARGS];
};

struct lowering {
        struct pending_rule *rules;
        size_t n_rules, allocated_rules;
        struct cmp_key *positive;    /* cmps that must avoid libseccomp's traps */
        unsigned *levels;            /* how far, per entry of positive */
        unsigned *round_level_floor; /* levels at the start of this round */
        size_t n_positive, allocated_positive;
        bool all_positive; /* every comparison in EQ/MASKED_EQ form */
        uint32_t action;
        size_t max_rules;
};

static void lowering_free(struct lowering *l) {
        free(l->rules);
        free(l->positive);
        free(l->levels);
        free(l->round_level_floor);
}

/* libseccomp's rule merge grows worse than quadratically with the rules of
 * one syscall and depends on their shape (868 two-argument rules took 20 s
 * of CPU, 3000 minutes); the crosvm corpus needs at most a few dozen. */
#define SYSCALL_MAX_LIBSECCOMP_RULES 256

static int collect_rule(void *userdata, unsigned n, const struct scmp_arg_cmp *cmps,
                        const struct cmp_key *keys) {
        struct lowering *l = userdata;
        if (l->n_rules >= l->max_rules)
                return -E2BIG;
        if (ARRAY_GROW(l->rules, l->allocated_rules, l->n_rules + 1) < 0)
                return -ENOMEM;
        struct pending_rule *r = &l->rules[l->n_rules++];
        r->action = l->action;
        r->n = n;
        memcpy(r->cmps, cmps, n * sizeof(*cmps));
        memcpy(r->keys, keys, n * sizeof(*keys));
        return 0;
}

static unsigned key_level(void *userdata, const struct cmp_key *key) {
        const struct lowering *l = userdata;
        if (l->all_positive)
                return 2;
        for (size_t i = 0; i < l->n_positive; i++)
                if (lower_cmp_key_equal(&l->positive[i], key))
                        return l->levels[i];
        return 0;
}

/* Moves a comparison one level further from libseccomp's traps, once per
 * lowering round (marked[] remembers which keys moved this round). */
static int mark_positive(struct lowering *l, const struct cmp_key *key, bool *changed) {
        for (size_t i = 0; i < l->n_positive; i++)
                if (lower_cmp_key_equal(&l->positive[i], key)) {
                        if (l->levels[i] <= l->round_level_floor[i] && l->levels[i] < 2) {
                                l->levels[i]++;
                                *changed = true;
                        }
                        return 0;
                }
        if (l->n_positive == l->allocated_positive) {
                /* Three parallel arrays share one capacity: growing each from the
                 * same capacity to the same need lands them on the same size. */
                size_t a = l->allocated_positive, b = a, c = a;
                if (ARRAY_GROW(l->positive, a, l->n_positive + 1) < 0 ||
                    ARRAY_GROW(l->levels, b, l->n_positive + 1) < 0 ||
                    ARRAY_GROW(l->round_level_floor, c, l->n_positive + 1) < 0)
                        return -ENOMEM;
                l->allocated_positive = a;
        }
        l->positive[l->n_positive] = *key;
        l->levels[l->n_positive] = 1;
        l->round_level_floor[l->n_positive] = 0; /* it was at level 0 when this round began */
        l->n_positive++;
        *changed = true;
        return 0;
}

/* libseccomp's node for a comparison: the un-inverted op, and whether the
 * comparison inverts it or branches on the 64-bit halves. */
static int base_op(enum scmp_compare op, bool *inverted, bool *branching) {
        *inverted = op == SCMP_CMP_NE || op == SCMP_CMP_LT || op == SCMP_CMP_LE;
        *branching = op != SCMP_CMP_EQ && op != SCMP_CMP_MASKED_EQ;
        switch (op) {
        case SCMP_CMP_NE:
                return SCMP_CMP_EQ;
        case SCMP_CMP_LT:
                return SCMP_CMP_GE;
        case SCMP_CMP_LE:
                return SCMP_CMP_GT;
        default:
                return op;
        }
}

static bool high_words_differ(const struct scmp_arg_cmp *x, const struct scmp_arg_cmp *y) {
        return (x->datum_a >> 32) != (y->datum_a >> 32) || (x->datum_b >> 32) != (y->datum_b >> 32);
}

/* The hang needs the two rules to differ, after the shared node, in the
 * high word of a comparison of the same kind on the same argument. */
static bool later_high_words_differ(const struct pending_rule *a, unsigned p, const struct pending_rule *b,
                                    unsigned q) {
        for (unsigned i = p + 1; i < a->n; i++)
                for (unsigned k = q + 1; k < b->n; k++) {
                        const struct scmp_arg_cmp *x = &a->cmps[i], *y = &b->cmps[k];
                        if (x->arg != y->arg || x->op != y->op)
                                continue;
                        if (high_words_differ(x, y))
                                return true;
                }
        return false;
}

/* GE, GT and their inversions LT, LE: libseccomp compares 64-bit ranges
 * by branching on the high word first. */
static bool is_range_node(enum scmp_compare op) {
        return op != SCMP_CMP_EQ && op != SCMP_CMP_MASKED_EQ && op != SCMP_CMP_NE;
}

/* The endless loops: a node other than EQ/MASKED_EQ that two rules share,
 * after which they go on differently: to another argument (arg0 >= 3 &&
 * arg1 == 1 beside arg0 >= 3 && arg2 == 1), to comparisons of the same
 * argument with other high words (arg1 == 1 beside arg1 == 1 << 32), or,
 * when the rule with the range node is added first, whatever the actions,
 * to a range node beside a plain one (arg1 >= 10, then arg1 == 16; the
 * other order compiles).  The last needs only the range node in positive
 * form, which keeps the product of blocks small; the others need the
 * shared node so.  Comparisons are in argument order; test_shared_prefix.c
 * tries every such pair, both ways round.  Returns the key to move, or
 * NULL. */
static const struct cmp_key *diverging_key(const struct pending_rule *a, unsigned p,
                                           const struct pending_rule *b, unsigned q, bool a_added_first) {
        const struct scmp_arg_cmp *x = &a->cmps[p + 1], *y = &b->cmps[q + 1];
        if (x->arg != y->arg || high_words_differ(x, y))
                return &a->keys[p];
        if (a_added_first && is_range_node(x->op) && !is_range_node(y->op))
                return &a->keys[p + 1];
        return NULL;
}

/* Finds rule pairs that would spring one of libseccomp's traps (lower.c)
 * and marks the comparisons involved for the positive form. */
static int find_traps(struct lowering *l, bool *changed) {
        for (size_t i = 0; i < l->n_rules; i++)
                for (unsigned p = 0; p < l->rules[i].n; p++) {
                        const struct scmp_arg_cmp *x = &l->rules[i].cmps[p];
                        bool x_inv, x_branch;
                        int x_base = base_op(x->op, &x_inv, &x_branch);
                        if (!x_inv && !x_branch)
                                continue;
                        bool x_later = p + 1 < l->rules[i].n;
                        for (size_t j = 0; j < l->n_rules; j++) {
                                if (j == i)
                                        continue;
                                for (unsigned q = 0; q < l->rules[j].n; q++) {
                                        const struct scmp_arg_cmp *y = &l->rules[j].cmps[q];
                                        bool y_inv, y_branch;
                                        int y_base = base_op(y->op, &y_inv, &y_branch);
                                        if (y->arg != x->arg || y_base != x_base ||
                                            y->datum_a != x->datum_a || y->datum_b != x->datum_b)
                                                continue;
                                        bool y_later = q + 1 < l->rules[j].n;
                                        const struct cmp_key *key;
                                        int r = 0;
                                        if (x_inv != y_inv)
                                                r = mark_positive(l,
                                                                  x_inv ? &l->rules[i].keys[p]
                                                                        : &l->rules[j].keys[q],
                                                                  changed);
                                        else if (x_later && y_later &&
                                                 (key = diverging_key(&l->rules[i], p, &l->rules[j], q,
                                                                      i < j)))
                                                r = mark_positive(l, key, changed);
                                        else if (x_branch && x_later && y_later &&
                                                 later_high_words_differ(&l->rules[i], p, &l->rules[j], q))
                                                r = mark_positive(l, &l->rules[i].keys[p], changed);
                                        if (r < 0)
                                                return r;
                                }
                        }
                }
        return 0;
}

static int compile_error(struct diag *d, const struct rule *at, const char *syscall, const char *what,
                         int err) {
        diag_add(d, DIAG_ERROR, at->where.file, at->where.line, at->where.col, at->where.source_line,
                 at->where.context, "%s '%s'%s%s%s", what, syscall, err == -E2BIG ? "" : " (",
                 err == -E2BIG ? "" : strerror(-err), err == -E2BIG ? "" : ")");
        return -EINVAL;
}

struct lowered_step {
        struct region region;
        struct policy_action action;
        const struct rule *rule;
};

/* region(i) for every step whose action is not the default. */
static int step_regions(const struct syscall_rules *s, struct policy_action def, struct lowered_step *out,
                        size_t *ret_n, struct diag *d) {
        _cleanup_free_ struct step *steps = calloc(s->n_rules + 1, sizeof(*steps));
        if (!steps)
                return -ENOMEM;
        size_t n = 0, n_out = 0;
        for (size_t i = 0; i < s->n_rules; i++) {
                const struct rule *r = &s->rules[i];
                steps[n++] = (struct step){.rule = r, .action = r->action};
                if (r->has_else) {
                        steps[n++] = (struct step){.rule = r, .always = true, .action = r->else_action};
                        break;
                }
                if (r->n_clauses == 0)
                        break;
        }
        static const struct rule always = {.n_clauses = 0};
        int e = 0;
        for (size_t i = 0; i < n; i++) {
                if (policy_action_equal(steps[i].action, def))
                        continue;
                struct region region = {};
                e = lower_region_of_rule(steps[i].always ? &always : steps[i].rule, false, &region);
                for (size_t j = 0; j < i && e >= 0 && region.n > 0; j++) {
                        if (policy_action_equal(steps[j].action, steps[i].action))
                                continue;
                        struct region not_j = {};
                        e = lower_region_of_rule(steps[j].always ? &always : steps[j].rule, true, &not_j);
                        if (e >= 0)
                                e = lower_region_intersect(&region, &not_j);
                        lower_region_free(&not_j);
                }
                out[n_out++] = (struct lowered_step){
                        .region = region, .action = steps[i].action, .rule = steps[i].rule};
                if (e == -E2BIG) {
                        *ret_n = n_out;
                        return compile_error(
                                d, steps[i].rule, s->name,
                                "cannot lower this rule into non-overlapping libseccomp rules: too many "
                                "terms for",
                                e);
                }
                if (e < 0)
                        break;
        }
        *ret_n = n_out;
        return e;
}

/* Every libseccomp rule of the syscall, at the levels l asks for. */
static int lower_steps(const struct lowered_step *steps, size_t n_steps, struct lowering *l,
                       const struct rule **ret_failed) {
        l->n_rules = 0;
        for (size_t i = 0; i < n_steps; i++) {
                l->action = policy_action_to_scmp(steps[i].action);
                struct region_emitter emitter = {collect_rule, key_level, l};
                int e = lower_region_emit(&steps[i].region, &emitter);
                if (e < 0) {
                        *ret_failed = steps[i].rule;
                        return e;
                }
        }
        return 0;
}

/* Lower, look for libseccomp's known traps, lower again with the trapped
 * comparisons in positive form, until none is left. */
static int lower_avoiding_traps(const struct syscall_rules *s, const struct lowered_step *steps,
                                size_t n_steps, struct lowering *l, const struct rule **ret_failed,
                                struct diag *d) {
        for (unsigned round = 0;; round++) {
                int e = lower_steps(steps, n_steps, l, ret_failed);
                if (e < 0)
                        return e;
                bool changed = false;
                for (size_t i = 0; i < l->n_positive; i++)
                        l->round_level_floor[i] = l->levels[i];
                e = find_traps(l, &changed);
                if (e < 0 || !changed)
                        return e;
                if (round == 16)
                        return compile_error(
                                d, steps[0].rule, s->name,
                                "cannot lower the rules into libseccomp rules it handles correctly for",
                                -E2BIG);
        }
}

/* libseccomp 2.5.4 merges the rules of one syscall into a decision tree,
 * and that merge mis-handles its inverted and 64-bit branching nodes (NE,
 * LT, LE, GE, GT) when they meet nodes of another rule: wrong filters and
 * endless loops in seccomp_rule_add.  Recognising the failing shapes
 * (find_traps) keeps missing shapes, so a syscall with more than one
 * libseccomp rule gets only EQ and MASKED_EQ comparisons, ranges as
 * aligned blocks.  Only when that multiplies out past
 * SYSCALL_MAX_LIBSECCOMP_RULES (arg0 != 3 && arg1 >= 8 is 126 x 61 rules)
 * does it fall back to native comparisons with the known traps avoided;
 * verify.c then refuses whatever libseccomp still gets wrong, which
 * includes the positive form now and then (test_verify.c).  A lone rule
 * has nothing to merge with and keeps its native comparisons. */
static int compile_syscall(const struct syscall_rules *s, scmp_filter_ctx ctx, struct policy_action def,
                           bool refuse_slow_lowering, size_t max_rules, size_t *count, struct diag *d) {
        struct lowered_step *steps = calloc(s->n_rules * 2 + 1, sizeof(*steps));
        if (!steps)
                return -ENOMEM;
        size_t n_steps = 0;
        struct lowering l = {.max_rules = max_rules};
        const struct rule *failed = NULL;
        int e = step_regions(s, def, steps, &n_steps, d);
        if (e >= 0)
                e = lower_steps(steps, n_steps, &l, &failed);
        if (e >= 0 && l.n_rules > 1) {
                l.all_positive = true;
                e = lower_steps(steps, n_steps, &l, &failed);
                if (e == -E2BIG && refuse_slow_lowering) {
                        e = compile_error(
                                d, failed, s->name,
                                "too many comparisons to compile at launch (precompile the policy with "
                                "'sealrun compile' and name it with 'seccomp compiled') for",
                                -E2BIG);
                } else if (e == -E2BIG) {
                        l.all_positive = false;
                        e = lower_avoiding_traps(s, steps, n_steps, &l, &failed, d);
                }
        }
        if (e == -E2BIG)
                e = compile_error(d, failed, s->name,
                                  "cannot lower this rule into libseccomp rules: too many comparisons for",
                                  e);
        for (size_t i = 0; i < l.n_rules && e >= 0; i++) {
                e = seccomp_rule_add_exact_array(ctx, l.rules[i].action, s->nr, l.rules[i].n,
                                                 l.rules[i].cmps);
                if (e < 0 && e != -ENOMEM)
                        e = compile_error(d, &s->rules[0], s->name, "libseccomp refused a rule for", e);
                else if (e >= 0)
                        (*count)++;
        }
        for (size_t i = 0; i < n_steps; i++)
                lower_region_free(&steps[i].region);
        free(steps);
        lowering_free(&l);
        return e;
}

/* A libseccomp context for p's arch and layout, with no rules yet; 0 or
 * the libseccomp -errno. */
static int new_context(const struct syscall_policy *p, struct policy_action def, scmp_filter_ctx *ret) {
        scmp_filter_ctx ctx = seccomp_init(policy_action_to_scmp(def));
        if (!ctx)
                return -ENOMEM;
        int r = 0;
        if (p->arch != seccomp_arch_native()) {
                if ((r = seccomp_arch_add(ctx, p->arch)) < 0 ||
                    (r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE)) < 0)
                        goto fail;
        }
        /* Any other ABI (i386 via int 0x80, x32 via nr | 0x40000000 on
         * x86_64) must not reach this arch's rules: kill the process. */
        if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) < 0)
                goto fail;
        int optimize = p->opts.optimize ? p->opts.optimize : p->n_syscalls >= 16 ? 2 : 1;
        if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, (uint32_t) optimize)) < 0)
                goto fail;
        *ret = ctx;
        return 0;
fail:
        seccomp_release(ctx);
        return r;
}

/* Every syscall's rules into ctx, counting libseccomp rules.  -ENOMEM
 * stops at once; a syscall's error (in d) lets the others be checked. */
static int add_syscalls(const struct syscall_policy *p, scmp_filter_ctx ctx, struct policy_action def,
                        size_t *count, struct diag *d) {
        int result = 0;
        for (size_t i = 0; i < p->n_syscalls; i++) {
                if (p->compile_progress)
                        *p->compile_progress = i + 1;
                int r = compile_syscall(&p->syscalls[i], ctx, def, p->opts.refuse_slow_lowering,
                                        p->opts.max_libseccomp_rules ? p->opts.max_libseccomp_rules
                                                                     : SYSCALL_MAX_LIBSECCOMP_RULES,
                                        count, d);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        result = r;
        }
        return result;
}

/* The libseccomp context (ret_ctx) and/or the verified program it exports
 * (ret_prog): the program is generated once, for the verification, so a
 * caller that loads it as is saves libseccomp a second generation. */
static int compile_policy(const struct syscall_policy *p, scmp_filter_ctx *ret_ctx, void **ret_prog,
                          size_t *ret_n_insns, struct syscall_policy_compile_stats *stats, struct diag *d) {
        struct policy_action def = syscall_policy_default_action(p);
        _cleanup_free_ void *prog = NULL;
        size_t n_insns = 0, count = 0;
        scmp_filter_ctx ctx = NULL;
        if (p->has_unknown && ret_ctx) {
                /* Its instructions go in front of libseccomp's program
                 * (unknown_syscalls.c), which a context cannot hold. */
                const struct source_location *w = &p->unknown_where;
                diag_add(d, DIAG_ERROR, w->file, w->line, w->col, w->source_line, w->context,
                         "@unknown-syscalls needs the compiled program, not a libseccomp context");
                return -EINVAL;
        }
        int r = new_context(p, def, &ctx);
        if (r < 0)
                goto fail;
        r = add_syscalls(p, ctx, def, &count, d);
        if (r == -ENOMEM)
                goto fail;
        if (r < 0) {
                seccomp_release(ctx);
                return r;
        }
        if (p->compile_progress) /* past the syscalls: generating and checking */
                *p->compile_progress = p->n_syscalls + 1;
        /* The kernel refuses longer programs (BPF_MAXINSNS); say so now
         * rather than when the filter is loaded. */
        if ((r = syscall_policy_export(ctx, &prog, &n_insns)) < 0)
                goto fail;
        if (p->has_unknown && (r = policy_unknown_prepend(p, &prog, &n_insns)) < 0)
                goto fail;
        if (n_insns > BPF_MAXINSNS) {
                diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, NULL,
                         "the filter needs %zu BPF instructions, more than the kernel's limit of %d "
                         "(%zu libseccomp rules from %zu policy rules)",
                         n_insns, BPF_MAXINSNS, count, syscall_policy_rule_count(p));
                seccomp_release(ctx);
                return -EINVAL;
        }
        /* libseccomp has mis-compiled rules before: never hand out a
         * filter that disagrees with the policy (verify.c). */
        if ((r = syscall_policy_verify(p, prog, n_insns, d)) < 0) {
                seccomp_release(ctx);
                return r;
        }
        if (stats)
                *stats = (struct syscall_policy_compile_stats){
                        .syscalls = p->n_syscalls,
                        .rules = syscall_policy_rule_count(p),
                        .libseccomp_rules = count,
                        .bpf_instructions = n_insns,
                };
        if (ret_prog) {
                *ret_prog = TAKE_PTR(prog);
                *ret_n_insns = n_insns;
        }
        if (ret_ctx)
                *ret_ctx = ctx;
        else
                seccomp_release(ctx);
        return 0;
fail:
        seccomp_release(ctx);
        if (r != -ENOMEM)
                diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, NULL, "libseccomp: %s", strerror(-r));
        return r == -ENOMEM ? r : -EINVAL;
}

int syscall_policy_compile_stats(const struct syscall_policy *p, scmp_filter_ctx *ret_ctx,
                                 struct syscall_policy_compile_stats *stats, struct diag *d) {
        return compile_policy(p, ret_ctx, NULL, NULL, stats, d);
}

int syscall_policy_compile(const struct syscall_policy *p, scmp_filter_ctx *ret_ctx, struct diag *d) {
        return compile_policy(p, ret_ctx, NULL, NULL, NULL, d);
}

int syscall_policy_compile_program(const struct syscall_policy *p, struct sock_filter **ret_prog,
                                   size_t *ret_n_insns, struct syscall_policy_compile_stats *stats,
                                   struct diag *d) {
        void *prog = NULL;
        int r = compile_policy(p, NULL, &prog, ret_n_insns, stats, d);
        if (r >= 0)
                *ret_prog = prog;
        return r;
}

int syscall_policy_export(scmp_filter_ctx ctx, void **ret_prog, size_t *ret_n_insns) {
        /* libseccomp 2.5 exports only to an fd. */
        _cleanup_close_ int fd = memfd_create("sealrun-bpf", MFD_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        int r = seccomp_export_bpf(ctx, fd);
        if (r < 0)
                return r;
        off_t size = lseek(fd, 0, SEEK_END);
        if (size < 0)
                return negative_errno();
        _cleanup_free_ void *prog = malloc(size ? (size_t) size : 1);
        if (!prog)
                return -ENOMEM;
        ssize_t n = pread(fd, prog, (size_t) size, 0);
        if (n < 0)
                return negative_errno();
        if (n != size || size % 8 != 0)
                return -EIO;
        *ret_prog = TAKE_PTR(prog);
        *ret_n_insns = (size_t) size / 8;
        return 0;
}
