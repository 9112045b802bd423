/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `sealrun check` for workload files (*.workload): parse with includes,
 * validate, compile the seccomp part, warn when exec by path meets a
 * policy that never allows execve/execveat. */
#ifndef SEALRUN_WORKLOAD_CHECK_H
#define SEALRUN_WORKLOAD_CHECK_H

#include <stdbool.h>

#include "syscall_policy.h"

/* base: the policy options from check's command line (arch, include
 * prefixes...); may be NULL.  Diagnostics go to d (the command prints
 * them).  Returns 0 valid, -EINVAL problems found (in d), or -errno. */
int workload_check_file(const char *path, const struct syscall_policy_options *base, struct diag *d);

/* Whether path names a workload file (ends in ".workload"). */
bool workload_check_is_workload_file(const char *path);

#endif
