/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy_warnings.h"

#define WHERE_DEFAULT(w) ((w)->default_file ? (w)->default_file : (w)->workload_file), (w)->default_line

/* true: the workload's default is overridden (and said so). */
static bool warn_overridden_default(const struct syscall_policy *policy,
                                    const struct policy_warning_subject *w, struct diag *d) {
        struct policy_action own;
        const char *own_file;
        unsigned own_line;
        if (!w->default_action_set || !syscall_policy_own_default(policy, &own, &own_file, &own_line) ||
            (own.type == w->default_action.type && own.value == w->default_action.value))
                return false;
        char mine[32], theirs[32];
        diag_add(d, DIAG_WARNING, WHERE_DEFAULT(w), w->default_col, NULL, NULL,
                 "'seccomp default %s' has no effect: %s:%u sets '@default %s', which decides instead",
                 policy_action_describe(w->default_action, mine, sizeof(mine)), own_file, own_line,
                 policy_action_describe(own, theirs, sizeof(theirs)));
        return true;
}

static void warn_permissive_default(const struct policy_warning_subject *w, struct diag *d) {
        enum policy_action_type t = w->default_action.type;
        if (!w->default_action_set || (t != POLICY_ACTION_ALLOW && t != POLICY_ACTION_LOG))
                return;
        diag_add(d, DIAG_WARNING, WHERE_DEFAULT(w), w->default_col, NULL, NULL,
                 "'seccomp default %s' lets every syscall the policy does not name through%s: "
                 "the policy is then a deny-list, not an allow-list",
                 t == POLICY_ACTION_ALLOW ? "allow" : "log", t == POLICY_ACTION_LOG ? " (only logged)" : "");
}

/* Exec by path must itself pass the filter it installs (a sealed exec gets
 * its own narrow rule from the launcher). */
static void warn_missing_exec_rule(const struct syscall_policy *policy,
                                   const struct policy_warning_subject *w, struct diag *d) {
        if (w->exec_mode != EXEC_MODE_PATH || syscall_policy_may_allow(policy, "execve") ||
            syscall_policy_may_allow(policy, "execveat"))
                return;
        diag_add(d, DIAG_WARNING, w->workload_file, 0, 0, NULL, NULL,
                 "'exec path' but the seccomp policy never allows execve or execveat: the launcher's "
                 "own exec will be refused (allow execve, or use 'exec sealed')");
}

void policy_warnings_add(const struct syscall_policy *policy, const struct policy_warning_subject *w,
                         struct diag *d) {
        if (!warn_overridden_default(policy, w, d) && w->review)
                warn_permissive_default(w, d);
        warn_missing_exec_rule(policy, w, d);
}
