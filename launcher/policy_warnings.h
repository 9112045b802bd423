/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "diag.h"
#include "syscall_policy.h"
#include "workload.h"

/* What the warnings look at: the workload's own seccomp settings and where
 * they were said (filled from a workload by check, from the plan by a
 * launch, so both say the same). */
struct policy_warning_subject {
        const char *workload_file; /* NULL: exec's options */
        enum exec_mode exec_mode;
        bool default_action_set; /* `seccomp default` */
        struct policy_action default_action;
        const char *default_file; /* where `seccomp default` is */
        unsigned default_line, default_col;
        bool review; /* sealrun check: also what may be deliberate (a default of allow or log) */
};

/* The subject's `seccomp default` fields from x, which names them as the
 * subject does: the workload (check) and the plan's filter (a launch). */
#define POLICY_WARNING_DEFAULT_OF(x)                                                                         \
        .default_action_set = (x)->default_action_set, .default_action = (x)->default_action,                \
        .default_file = (x)->default_file, .default_line = (x)->default_line,                                \
        .default_col = (x)->default_col

/* What a workload's filter will do that its author probably did not mean:
 * a `seccomp default` that the policy's @default overrides, exec by path
 * under a policy that refuses the launcher's own execve and, for a review,
 * a default that allows (or only logs) every call the policy does not
 * name.  Added to d at the workload's line. */
void policy_warnings_add(const struct syscall_policy *policy, const struct policy_warning_subject *s,
                         struct diag *d);
