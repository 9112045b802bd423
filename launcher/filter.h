/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Stage 3, the seccomp filter: the plan's filter part (struct plan_filter:
 * policy sources and default action, or a pinned `seccomp compiled` file)
 * -> one BPF program, the launcher's own rules first as a prefix
 * (filter_bpf.h), each admitting only what the launcher needs between
 * loading the filter and exec and giving the target nothing:
 *   - sealed exec: execveat(BINFD, "", argv, envp, AT_EMPTY_PATH), where
 *     BINFD is a number at or above the target's RLIMIT_NOFILE hard limit
 *     (plan.c), so the target can never bring another file to it, and the
 *     three pointers are the launcher's own, at addresses the target cannot
 *     predict (exec_args.h), so it cannot pass an absolute path instead;
 *   - --status-fd: write(STATUSFD) on such a number too, so a failed exec
 *     can still report;
 *   - exit_group, so a failed exec can exit 126/127 (exiting gives the
 *     target nothing it did not have);
 *   - a supervised run: sendmsg(HANDOFF) on a reserved number too, which
 *     hands the listener to the supervisor (supervise.h).
 * prepare.c builds it for a run, the dry run for its summary: one builder.
 */
#ifndef SEALRUN_FILTER_H
#define SEALRUN_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "error.h"
#include "exec_args.h"
#include "filter_cache.h"
#include "plan.h"
#include "syscall_policy.h"

struct sock_filter;

struct filter {
        /* The launcher's prefix then the policy's program: the pinned file
         * of `seccomp compiled`, or the program compiled and verified now;
         * loaded with seccomp(2) as is.  NULL: the plan has no filter. */
        struct sock_filter *bpf;
        size_t len, prefix_len;
        /* A policy compiled now (0 and the default for `seccomp compiled`). */
        size_t syscalls, rules;
        struct policy_action default_action;
        /* Once it is loaded, whether a failed exec may still write its line
         * to stderr: only when the policy can allow write (never for a
         * precompiled filter), else the write itself could kill. */
        bool stderr_after_load;
        /* The filter cache (plan_filter.cache_dir), for the dry run:
         * whether the program came from it, why an entry was not used
         * (empty: there was none), and whether the compiled one was stored
         * (else why not). */
        bool cache_hit, cache_stored;
        char cache_ignored[FILTER_CACHE_REASON_MAX];
        char cache_not_stored[FILTER_CACHE_REASON_MAX];
        /* A supervised run: the policy as written, which decides what the
         * supervisor answers (bpf holds its notify variant); else NULL. */
        struct syscall_policy *policy;
};

#define FILTER_INIT                                                                                          \
        { 0 }

/* Build p's filter.  exec: the sealed exec's arguments, whose pointers the
 * execveat rule matches; NULL for the dry run, which never execs (the rule
 * is then built on null pointers, the same length).  Policy diagnostics go
 * to d (FILE:LINE:COL), the one-line error to e.  0 (also when p has no
 * filter: f->bpf NULL) or -errno. */
int filter_build(const struct plan *p, const struct exec_args *exec, struct filter *ret, struct diag *d,
                 struct launch_error *e);
void filter_free(struct filter *f);

/* Parse the sources, in order, into policy: what the launch and `sealrun
 * check` both do.  0, -ENOMEM, or -EINVAL with the errors in d. */
int filter_parse_sources(struct syscall_policy *policy, const struct seccomp_source *sources, size_t n,
                         struct diag *d);

#endif
