/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Stage 3, the filter part: the workload's seccomp sources -> one verified
 * BPF program (or the pinned file of `seccomp compiled`), behind the
 * launcher's own rules as a prefix (filter_bpf.h), each admitting only what
 * the launcher needs between loading the filter and exec and giving the
 * target nothing:
 *   - sealed exec: execveat(BINFD, "", argv, envp, AT_EMPTY_PATH), where
 *     BINFD is a number at or above the target's RLIMIT_NOFILE hard limit
 *     (plan.c), so the target can never bring another file to it, and the
 *     three pointers are the launcher's own, at addresses the target cannot
 *     predict (exec_args.h), so it cannot pass an absolute path instead;
 *   - --status-fd: write(STATUSFD) on such a number too, so a failed exec
 *     can still report;
 *   - exit_group, so a failed exec can exit 126/127 (exiting gives the
 *     target nothing it did not have).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "compile_child.h"
#include "filter_bpf.h"
#include "prepare.h"
#include "syscall_policy.h"

#define STAGE "prepare"

static int parse_sources(const struct plan *p, struct syscall_policy *policy, struct diag *d) {
        int result = 0;
        for (size_t i = 0; i < p->w->n_seccomp; i++) {
                const struct seccomp_source *s = &p->w->seccomp[i];
                int r = s->text ? syscall_policy_parse_text(policy, s->file, s->first_line, s->text,
                                                            s->text_len, d)
                                : syscall_policy_parse_file(policy, s->file, d);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        result = r;
        }
        return result;
}

int filter_prepare(const struct plan *p, struct prepared *pr, struct diag *d, struct launch_error *e) {
        if (!p->has_filter)
                return 0;
        if (p->binary_fd >= 0 && !pr->exec.map) {
                int k = exec_args_new(p->argv, p->n_argv, p->envp, p->n_envp, &pr->exec);
                if (k < 0)
                        return launch_error_set(e, STAGE, -k, "sealed exec",
                                                "cannot place the exec arguments: %s", strerror(-k));
        }
        if (p->w->seccomp_compiled)
                return filter_bpf_prepare_compiled(p, pr, e);
        struct syscall_policy_options opts = {
                .default_action = p->w->default_action,
                .default_action_set = p->w->default_action_set,
                .refuse_slow_lowering = true,
        };
        struct syscall_policy *policy = NULL;
        int r = syscall_policy_new(&opts, &policy);
        if (r < 0)
                return launch_error_set(e, STAGE, -r, "seccomp policy", "%s", strerror(-r));
        size_t errors_before = d->n_errors, entries_before = d->n_entries;
        r = parse_sources(p, policy, d);
        _cleanup_free_ struct sock_filter *prog = NULL;
        size_t n_insns = 0;
        if (r >= 0)
                r = compile_child_run(policy, COMPILE_CHILD_LAUNCH_CPU_SECONDS, &prog, &n_insns, NULL, d);
        if (r < 0) {
                syscall_policy_free(policy);
                if (d->n_errors > errors_before)
                        return launch_error_from_diag(e, STAGE, "seccomp policy", d, entries_before);
                if (r == -EAGAIN)
                        return launch_error_set(
                                e, STAGE, EAGAIN, "seccomp policy",
                                "cannot fork the child that compiles it (RLIMIT_NPROC?): %s; "
                                "precompile it with 'sealrun compile' and name the result with "
                                "'seccomp compiled'",
                                strerror(EAGAIN));
                return launch_error_set(e, STAGE, -r, "seccomp policy", "%s", strerror(-r));
        }
        pr->filter_syscalls = syscall_policy_syscall_count(policy);
        pr->filter_rules = syscall_policy_rule_count(policy);
        pr->default_action = syscall_policy_default_action(policy);
        pr->stderr_after_filter = syscall_policy_may_allow(policy, "write");
        syscall_policy_free(policy);
        /* The verified program itself behind the launcher's prefix, as for a
         * precompiled filter: the bytes loaded are the bytes verify.c
         * checked (rules added to the libseccomp context afterwards would
         * be merged unchecked), and libseccomp generates them once. */
        r = filter_bpf_prepare_program(p, pr, prog, n_insns, e);
        if (r >= 0)
                pr->bpf_instructions = n_insns;
        return r;
}
