/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of test_learned_workloads: a policy learned by `sealrun learn`
 * for a shipped workload, the workload rewritten to use it, and runs of
 * it with the call that killed it named (--explain). */
#ifndef LEARNED_WORKLOAD_H
#define LEARNED_WORKLOAD_H

#include <stdbool.h>

#include "policy_test.h"

/* One run's inputs: up to two --input NAME=PATH (NULL names end it). */
struct inputs {
        const char *name[2];
        const char *path[2];
};

/* sealrun learn -o DIR/NAME.learned.policy (MERGE false) or --merge it
 * (MERGE true) INSTALLED/NAME.workload with IN; fails unless learn exits 0,
 * the program printed EXPECTED (NULL: anything) and the policy is there.
 * Returns the policy's path. */
char *learn(struct policy_test *t, const char *name, bool merge, const struct inputs *in,
            const char *expected);

/* DIR/NAME.workload: INSTALLED/NAME.workload with its one
 * "seccomp include ./NAME.policy" line naming ./NAME.learned.policy, every
 * other line (seccomp default kill-process included) as shipped. */
char *learned_workload(struct policy_test *t, const char *name);

/* sealrun run [--explain] WORKLOAD with IN (NULL: none), in t->dir. */
struct run_result run_learned(struct policy_test *t, const char *workload, const struct inputs *in,
                              bool explain);

/* The run was killed by its filter under --explain (sealrun exits 128+SIGSYS)
 * and sealrun named the call: returns its syscall name (owned by the caller). */
char *killing_call(const struct run_result *r);
/* killing_call() is SYSCALL and its explained call holds ARGS (NULL: any). */
void assert_killed_at(const struct run_result *r, const char *syscall, const char *args);

/* forbidden_probe's socket, writable open and fork each killed under
 * POLICY (exec MODE: "path" or "sealed"), each at that very call, and the
 * file the open would create not there. */
void assert_probes_killed(struct policy_test *t, const char *policy, const char *mode);

/* The learned POLICY allows no socket, clone, clone3, fork or vfork, and
 * only read-only opens (learn's "openat: arg2 in ..." or "== O_RDONLY"). */
void assert_policy_is_narrow(const char *policy);

#endif
