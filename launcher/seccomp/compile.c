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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cleanup.h"
#include "lower.h"
#include "policy_internal.h"

/* A rule list with `EXPR; E` split into (EXPR -> allow... ) and (always -> E). */
struct step {
        const struct rule *rule;
        bool always; /* the else branch of `rule` */
        struct policy_action action;
};

struct emit_ctx {
        scmp_filter_ctx ctx;
        uint32_t action;
        int nr;
        size_t count;
};

static int emit_rule(void *userdata, unsigned n, const struct scmp_arg_cmp *cmps) {
        struct emit_ctx *e = userdata;
        int r = seccomp_rule_add_exact_array(e->ctx, e->action, e->nr, n, cmps);
        if (r < 0)
                return r;
        e->count++;
        return 0;
}

static int compile_error(struct diag *d, const struct rule *at, const char *syscall, const char *what, int err) {
        diag_add(d, DIAG_ERROR, at->where.file, at->where.line, at->where.col, at->where.source_line,
                 at->where.context, "%s '%s' (%s)", what, syscall, strerror(-err));
        return -EINVAL;
}

static int compile_syscall(const struct syscall_policy *p, const struct syscall_rules *s, scmp_filter_ctx ctx,
                           struct policy_action def, size_t *count, struct diag *d) {
        _cleanup_free_ struct step *steps = calloc(s->n_rules + 1, sizeof(*steps));
        if (!steps)
                return -ENOMEM;
        size_t n = 0;
        for (size_t i = 0; i < s->n_rules; i++) {
                const struct rule *r = &s->rules[i];
                steps[n++] = (struct step) { .rule = r, .action = r->action };
                if (r->has_else) {
                        steps[n++] = (struct step) { .rule = r, .always = true, .action = r->else_action };
                        break;
                }
                if (r->n_clauses == 0)
                        break;
        }
        int e = 0;
        for (size_t i = 0; i < n && e >= 0; i++) {
                if (policy_action_equal(steps[i].action, def))
                        continue;
                struct region region = {};
                struct rule always = { .n_clauses = 0 };
                e = region_of_rule(steps[i].always ? &always : steps[i].rule, false, &region);
                for (size_t j = 0; j < i && e >= 0 && region.n > 0; j++) {
                        if (policy_action_equal(steps[j].action, steps[i].action))
                                continue;
                        struct region not_j = {};
                        e = region_of_rule(steps[j].always ? &always : steps[j].rule, true, &not_j);
                        if (e >= 0)
                                e = region_intersect(&region, &not_j);
                        region_free(&not_j);
                }
                if (e == -E2BIG) {
                        region_free(&region);
                        return compile_error(d, steps[i].rule, s->name,
                                             "cannot lower this rule into non-overlapping libseccomp rules: too many terms for", e);
                }
                if (e >= 0) {
                        struct emit_ctx ec = {
                                .ctx = ctx,
                                .action = policy_action_to_scmp(steps[i].action),
                                .nr = s->nr,
                        };
                        e = region_emit(&region, emit_rule, &ec);
                        *count += ec.count;
                        if (e < 0 && e != -ENOMEM) {
                                region_free(&region);
                                return compile_error(d, steps[i].rule, s->name, "libseccomp refused a rule for",
                                                     e);
                        }
                }
                region_free(&region);
        }
        return e;
}

int syscall_policy_compile_stats(const struct syscall_policy *p, scmp_filter_ctx *ret_ctx,
                                 struct syscall_policy_compile_stats *stats, struct diag *d) {
        struct policy_action def = syscall_policy_default_action(p);
        scmp_filter_ctx ctx = seccomp_init(policy_action_to_scmp(def));
        if (!ctx)
                return -ENOMEM;
        int r = 0;
        if (p->arch != seccomp_arch_native()) {
                if ((r = seccomp_arch_add(ctx, p->arch)) < 0 || (r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE)) < 0)
                        goto fail;
        }
        /* Any other ABI (i386 via int 0x80, x32 via nr | 0x40000000 on
         * x86_64) must not reach this arch's rules: kill the process. */
        if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) < 0)
                goto fail;
        int optimize = p->opts.optimize ? p->opts.optimize : p->n_syscalls >= 16 ? 2 : 1;
        if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, (uint32_t) optimize)) < 0)
                goto fail;

        size_t count = 0;
        int result = 0;
        for (size_t i = 0; i < p->n_syscalls; i++) {
                r = compile_syscall(p, &p->syscalls[i], ctx, def, &count, d);
                if (r == -ENOMEM)
                        goto fail;
                if (r < 0)
                        result = r;
        }
        if (result < 0) {
                seccomp_release(ctx);
                return result;
        }
        if (stats)
                *stats = (struct syscall_policy_compile_stats) {
                        .syscalls = p->n_syscalls,
                        .rules = syscall_policy_rule_count(p),
                        .libseccomp_rules = count,
                };
        *ret_ctx = ctx;
        return 0;
fail:
        seccomp_release(ctx);
        if (r != -ENOMEM)
                diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, NULL, "libseccomp: %s", strerror(-r));
        return r == -ENOMEM ? r : -EINVAL;
}

int syscall_policy_compile(const struct syscall_policy *p, scmp_filter_ctx *ret_ctx, struct diag *d) {
        return syscall_policy_compile_stats(p, ret_ctx, NULL, d);
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
