/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * --explain: the supervisor's answer to each denied call (supervise.h).  It
 * prints one line naming the process, the call with its arguments by name,
 * and the rule that decided it (FILE:LINE) or the default:
 *
 *   sealrun: denied: jq (pid 4711): futex(0x7f3c2a1b40, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0):
 *            policies/jq.policy has no rule for futex (default kill-process)
 *
 * (one line), writes {"event":"denied",...} to the status fd, and carries
 * the decision out: an errno fails the call, kill-process kills the process.
 */
#ifndef SEALRUN_EXPLAIN_H
#define SEALRUN_EXPLAIN_H

#include "supervise.h"
#include "syscall_policy.h"

struct explainer {
        const struct syscall_policy *policy; /* as written, not the notify variant */
        const char *policy_file;             /* named when no rule decided: the workload's policy */
        int status_fd;                       /* -1: none */
};

/* A supervise_handler.call; userdata is a struct explainer. */
enum supervise_answer explain_call(void *userdata, const struct supervise_call *c, int *ret_errno);

#endif
