/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The precompiled-filter path (`seccomp compiled FILE sha256=HEX`): a raw
 * BPF program written by `sealrun compile`, pinned by digest, loaded as is
 * behind a small prefix holding the launcher's own rules.  Why a prefix and
 * not a second stacked filter: stacked filters all run and the most
 * restrictive action wins, so a policy that kills execveat would kill the
 * launcher's sealed exec whatever a second filter allowed.  The prefix runs
 * first inside the same program and returns ALLOW only for the launcher's
 * exact calls; anything else falls through to the policy program, which
 * starts in the state the kernel starts any filter in (A = X = 0).
 */
#ifndef SEALRUN_FILTER_BPF_H
#define SEALRUN_FILTER_BPF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

#include "error.h"
#include "exec_args.h"
#include "filter.h"
#include "plan.h"

/* The longest prefix filter_bpf_prefix_build() writes. */
#define LAUNCHER_PREFIX_MAX 40

/* The launcher's own sealed exec, execveat(binary_fd, path, argv, envp,
 * AT_EMPTY_PATH), with the pointer values it passes (exec_args.h). */
struct launcher_exec_call {
        int binary_fd;
        uint64_t path, argv, envp;
};

/* The launcher's rules as BPF for `arch` (AUDIT_ARCH_*): on that arch only,
 *   exit_group                                      -> ALLOW
 *   execveat(binary_fd, path, argv, envp, AT_EMPTY_PATH) -> ALLOW  (exec != NULL)
 *   write(status_fd, ...)                           -> ALLOW  (status_fd >= 0)
 *   sendmsg(handoff_fd, ...)                        -> ALLOW  (handoff_fd >= 0: a supervised
 *                                                      run hands the listener to its supervisor)
 * (the same three rules filter.c adds to a compiled policy; the fd and the
 * flags compared on their low 32 bits, as the kernel reads them, the
 * pointers on all 64), otherwise A and X are reset to 0 and control falls
 * off the end of the prefix.  Returns the number of instructions written. */
size_t filter_bpf_prefix_build(uint32_t arch, const struct launcher_exec_call *exec, int status_fd,
                               int handoff_fd, struct sock_filter out[LAUNCHER_PREFIX_MAX]);

/* The launcher's prefix for the plan's reserved fds into out (exec NULL:
 * null pointers in the execveat rule, see filter_build()); its length. */
size_t filter_bpf_plan_prefix(const struct plan *p, const struct exec_args *exec,
                              struct sock_filter out[LAUNCHER_PREFIX_MAX]);

/* Read the compiled filter file at path, check its pin and shape, and store
 * prefix + program in f.  Errors (exit 125) name the file; a digest
 * mismatch prints both digests. */
int filter_bpf_assemble_compiled(const struct sock_filter *prefix, size_t n_prefix, const char *path,
                                 const uint8_t sha256[32], struct filter *f, struct launch_error *e);

/* A policy compiled at launch (its verified program, n_insns long) behind
 * the same prefix: both paths load exactly one program, built one way. */
int filter_bpf_assemble_program(const struct sock_filter *prefix, size_t n_prefix,
                                const struct sock_filter *policy, size_t n_insns, struct filter *f,
                                struct launch_error *e);

/* The same checks of a compiled filter file without the prefix (`sealrun
 * check`): 0, or an error in e. */
int filter_bpf_verify_compiled(const char *path, const uint8_t sha256[32], struct launch_error *e);

#endif
