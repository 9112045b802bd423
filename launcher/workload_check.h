/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `sealrun check` for workload files (*.workload): parse with includes,
 * validate, compile the seccomp part, warn when exec by path meets a
 * policy that never allows execve/execveat. */
#ifndef SEALRUN_WORKLOAD_CHECK_H
#define SEALRUN_WORKLOAD_CHECK_H

#include <stdbool.h>

#include "syscall_policy.h"

/* base: the policy options from check's command line (arch, include
 * prefixes...); may be NULL.  Prints diagnostics to stderr (errors only
 * when quiet).  Returns 0 valid, 1 problems found, or -errno. */
int workload_check_file(const char *path, const struct syscall_policy_options *base, bool quiet);

/* Whether path names a workload file (ends in ".workload"). */
bool workload_check_is_workload_file(const char *path);

#endif
