/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Stage 3, the filter part: the workload's seccomp sources -> a libseccomp
 * context, plus the launcher's own rules, each admitting only what the
 * launcher needs between seccomp_load() and exec and giving the target
 * nothing:
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
#include "filter_bpf.h"
#include "prepare.h"
#include "syscall_policy.h"

#define STAGE "prepare"

/* The explicit datum_b of 0 (what the one-value form means) keeps clang's
 * -Wmissing-field-initializers quiet about libseccomp's macros. */
static int add_launcher_rules(const struct plan *p, const struct exec_args *x, scmp_filter_ctx ctx,
                              struct launch_error *e) {
        int r;
        if (p->binary_fd >= 0) {
                /* The pointers too: for an absolute path the kernel
                 * ignores the fd (exec_args.h). */
                r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(execveat), 5,
                                     SCMP_A0_32(SCMP_CMP_EQ, (uint32_t) p->binary_fd, 0),
                                     SCMP_A1_64(SCMP_CMP_EQ, (uintptr_t) x->empty, 0),
                                     SCMP_A2_64(SCMP_CMP_EQ, (uintptr_t) x->argv, 0),
                                     SCMP_A3_64(SCMP_CMP_EQ, (uintptr_t) x->envp, 0),
                                     SCMP_A4_32(SCMP_CMP_EQ, (uint32_t) AT_EMPTY_PATH, 0));
                /* -EACCES: the default action already allows it (libseccomp
                 * refuses a rule equal to the default); -EEXIST: the policy
                 * already decides, as for the rules below. */
                if (r < 0 && r != -EEXIST && r != -EACCES)
                        return launch_error_set(e, STAGE, -r, "seccomp policy",
                                                "cannot add the launcher's execveat(fd %d, AT_EMPTY_PATH) rule: %s",
                                                p->binary_fd, strerror(-r));
        }
        if (p->status_fd >= 0) {
                r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1,
                                     SCMP_A0_32(SCMP_CMP_EQ, (uint32_t) p->status_fd, 0));
                if (r < 0 && r != -EEXIST && r != -EACCES)
                        return launch_error_set(e, STAGE, -r, "seccomp policy",
                                                "cannot add the launcher's status fd rule: %s", strerror(-r));
        }
        /* Without it a failed exec could not even exit (glibc's _exit spins
         * into a crash when exit_group fails).  -EEXIST/-EACCES: the policy
         * already decides; its word stands. */
        r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0);
        if (r < 0 && r != -EEXIST && r != -EACCES)
                return launch_error_set(e, STAGE, -r, "seccomp policy", "cannot add the launcher's exit_group rule: %s",
                                        strerror(-r));
        return 0;
}

static size_t count_bpf_instructions(scmp_filter_ctx ctx) {
        _cleanup_close_ int fd = memfd_create("sealrun-bpf", MFD_CLOEXEC);
        struct stat st;
        if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0 || fstat(fd, &st) < 0)
                return 0;
        return (size_t) st.st_size / 8; /* sizeof(struct sock_filter) */
}

static int parse_sources(const struct plan *p, struct syscall_policy *policy, struct diag *d) {
        int result = 0;
        for (size_t i = 0; i < p->w->n_seccomp; i++) {
                const struct seccomp_source *s = &p->w->seccomp[i];
                int r = s->text ? syscall_policy_parse_text(policy, s->file, s->first_line, s->text, s->text_len, d)
                                : syscall_policy_parse_file(policy, s->file, d);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        result = r;
        }
        return result;
}

/* One diagnostic is the whole story: the status fd gets its text, stderr
 * only the diagnostic itself (no "1 error(s), see above" after it). */
static int single_diag_error(const struct diag *d, struct launch_error *e) {
        const struct diag_entry *x = NULL;
        for (size_t i = d->n_entries; i-- > 0 && !x;)
                if (d->entries[i].severity == DIAG_ERROR)
                        x = &d->entries[i];
        if (!x) /* its entry was lost to ENOMEM */
                return launch_error_set(e, STAGE, EINVAL, "seccomp policy", "1 error, see above");
        int r;
        if (x->line)
                r = launch_error_set(e, STAGE, EINVAL, "seccomp policy", "%s:%u:%u: %s", x->file ? x->file : "?",
                                     x->line, x->col, x->message);
        else
                r = launch_error_set(e, STAGE, EINVAL, "seccomp policy", "%s: %s", x->file ? x->file : "?",
                                     x->message);
        e->in_diag = true;
        return r;
}

int build_filter(const struct plan *p, struct prepared *pr, struct diag *d, struct launch_error *e) {
        if (!p->has_filter)
                return 0;
        if (p->binary_fd >= 0 && !pr->exec.map) {
                int k = exec_args_new(p->argv, p->n_argv, p->envp, p->n_envp, &pr->exec);
                if (k < 0)
                        return launch_error_set(e, STAGE, -k, "sealed exec", "cannot place the exec arguments: %s",
                                                strerror(-k));
        }
        if (p->w->seccomp_compiled)
                return prepare_compiled_filter(p, pr, e);
        struct syscall_policy_options opts = {
                .default_action = p->w->default_action,
                .default_action_set = p->w->default_action_set,
                .refuse_slow_lowering = true,
        };
        struct syscall_policy *policy = NULL;
        int r = syscall_policy_new(&opts, &policy);
        if (r < 0)
                return launch_error_set(e, STAGE, -r, "seccomp policy", "%s", strerror(-r));
        size_t errors_before = d->n_errors;
        r = parse_sources(p, policy, d);
        scmp_filter_ctx ctx = NULL;
        if (r >= 0)
                r = syscall_policy_compile(policy, &ctx, d);
        if (r < 0) {
                syscall_policy_free(policy);
                if (d->n_errors == errors_before + 1)
                        return single_diag_error(d, e);
                if (d->n_errors > errors_before)
                        return launch_error_set(e, STAGE, EINVAL, "seccomp policy", "%zu error(s), see above",
                                                d->n_errors - errors_before);
                return launch_error_set(e, STAGE, -r, "seccomp policy", "%s", strerror(-r));
        }
        pr->filter_syscalls = syscall_policy_syscall_count(policy);
        pr->filter_rules = syscall_policy_rule_count(policy);
        pr->default_action = syscall_policy_default_action(policy);
        pr->stderr_after_filter = syscall_policy_may_allow(policy, "write");
        syscall_policy_free(policy);
        r = add_launcher_rules(p, &pr->exec, ctx, e);
        if (r < 0) {
                seccomp_release(ctx);
                return r;
        }
        pr->filter = ctx;
        return 0;
}

/* Counting exports the whole program once more: only --dry-run wants it. */
int prepare_filter(const struct plan *p, struct prepared *pr, struct diag *d, struct launch_error *e) {
        int r = build_filter(p, pr, d, e);
        if (r >= 0 && pr->filter)
                pr->bpf_instructions = count_bpf_instructions(pr->filter);
        return r;
}
