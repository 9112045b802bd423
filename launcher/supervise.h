/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Supervised runs (`run --explain`, `exec --explain`, `learn`): the second
 * topology.  The plain run is one process that becomes the target; a
 * supervised run forks once.  The child does the commit stage as always and
 * loads the notify variant of the filter (route.c) with
 * SECCOMP_FILTER_FLAG_NEW_LISTENER; it hands the listener to the parent over
 * a socket at a reserved fd number (a prefix rule the target cannot use,
 * filter_bpf.h) and execs.  The parent stays sealrun: it answers every
 * notification (the policy's decision for explain, continue for learn),
 * forwards SIGINT/SIGTERM/SIGHUP/SIGQUIT, reaps, and exits with the
 * target's status.  The target dies with it (PR_SET_PDEATHSIG, checked
 * against the parent's pid right before the exec).
 */
#ifndef SEALRUN_SUPERVISE_H
#define SEALRUN_SUPERVISE_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "plan.h"
#include "prepare.h"

/* What the supervisor does with one notification. */
enum supervise_answer {
        SUPERVISE_CONTINUE, /* let the call run (learn) */
        SUPERVISE_ERRNO,    /* fail it with *ret_errno */
        SUPERVISE_KILL,     /* kill the caller's process (exit 159 when it is the target) */
};

/* One notification: the caller (a thread id) is still blocked in it. */
struct supervise_call {
        pid_t pid;
        const struct seccomp_data *data;
        int listener;
        uint64_t id;
};

struct supervise_handler {
        enum supervise_answer (*call)(void *userdata, const struct supervise_call *c, int *ret_errno);
        void *userdata;
};

/* The NUL-terminated string at addr in the caller's memory (a path
 * argument), into buf: its length, or -errno: -ENAMETOOLONG when it does
 * not fit, -ESRCH when the call is no longer pending (then the pid may name
 * another process by now, and what was read is not used).  What the caller
 * can change right after: good for a report, never for a decision. */
ssize_t supervise_call_read_string(const struct supervise_call *c, uint64_t addr, char *buf, size_t size);

/* How a supervised target ended, for learn's report. */
struct supervise_outcome {
        bool started;     /* the filter was loaded: the target's calls were seen */
        bool exec_failed; /* then sealrun's own exec failed (it said why): no target ran */
        bool signalled;   /* else it exited */
        int status;       /* its exit status, or the signal */
};

/* 0, or an error in e when the kernel cannot notify (before Linux 5.5). */
int supervise_check_support(struct launch_error *e);

/* Start the target (fork, then commit in the child) and serve it until it
 * and every process it started have exited.  Returns sealrun's exit status:
 * the target's own, 128+N for signal N, 159 when a kill-process decision
 * killed it, or 125 (with one line) when sealrun failed.  ret (may be
 * NULL) says how the target ended. */
int supervise_run(struct plan *p, struct prepared *pr, const struct supervise_handler *h,
                  struct supervise_outcome *ret);

#endif
