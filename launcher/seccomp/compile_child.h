/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Compiling under a CPU limit.  libseccomp 2.5.4 merges the rules of one
 * syscall in time exponential in some shapes (40 masked compares of one
 * argument beside 128 three-argument rules: 0.8 s; 48: minutes), whatever
 * the lowering gives it, and cannot be interrupted.  So the compile runs in
 * a forked child with RLIMIT_CPU, and the program comes back through shared
 * memory: at launch nothing can hang, and `sealrun compile`/`check` end
 * with an error at the syscall that took too long. */
#ifndef SEALRUN_POLICY_COMPILE_CHILD_H
#define SEALRUN_POLICY_COMPILE_CHILD_H

#include <linux/filter.h>

#include "syscall_policy.h"

/* What `sealrun run` allows libseccomp at launch, and `sealrun compile`
 * and `check` ahead of it. */
#define COMPILE_CHILD_LAUNCH_CPU_SECONDS 2
#define COMPILE_CHILD_CLI_CPU_SECONDS 10

/* syscall_policy_compile_program() in a child limited to cpu_seconds of
 * CPU.  ret_prog may be NULL (the program is thrown away), as may stats.
 * 0: compiled; -EINVAL: a policy error, in d (compiled again here to
 * collect it: the child showed that this finishes), or past the limit,
 * with an error at the syscall the child was at; other -errno: fork, mmap,
 * waitpid failed. */
int compile_child_run(struct syscall_policy *p, unsigned cpu_seconds, struct sock_filter **ret_prog,
                      size_t *ret_n_insns, struct syscall_policy_compile_stats *stats, struct diag *d);

#endif
