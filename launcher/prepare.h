/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pipeline stage 3, prepare (reversible): load and seal every input through
 * libsealfd, copy and seal the binary (sealed exec) and check its pin, check
 * the program can be executed, the cwd exists and the kept capabilities are
 * held, and compile the seccomp filter.  Nothing is started and nothing
 * about the launcher changes except new close-on-exec fds, so a failure is
 * a clean error (prepared_free() undoes everything).
 */
#ifndef SEALRUN_PREPARE_H
#define SEALRUN_PREPARE_H

#include <stdbool.h>

struct sock_filter;

#include "diag.h"
#include "error.h"
#include "exec_args.h"
#include "plan.h"

struct prepared {
        int *fds; /* sealed memfds, parallel to plan->fds, close-on-exec */
        size_t n_fds;
        int binary_fd;         /* sealed copy of the program, or -1 */
        bool binary_is_script; /* starts with "#!": the interpreter must inherit the fd */
        char *exec_path;       /* the program resolved through PATH (exec by path) */
        struct exec_args exec; /* sealed exec: the pointers the execveat rule matches */
        /* Once the filter is loaded, whether a failed exec may still write
         * its line to stderr: only when the policy can allow write (never
         * for a precompiled filter), else the write itself could kill. */
        bool stderr_after_filter;
        /* The launcher's prefix then the policy's program (filter_bpf.h):
         * the pinned file of `seccomp compiled`, or the program compiled and
         * verified at launch; loaded with seccomp(2) as is.  NULL: no filter. */
        struct sock_filter *bpf;
        size_t bpf_len, bpf_prefix_len;
        size_t filter_syscalls, filter_rules, bpf_instructions;
        struct policy_action default_action;
        /* The Landlock ruleset with every rule added, enforced in commit;
         * -1: none.  rights[i]: what plan->landlock_spec.paths[i] grants. */
        int landlock_fd;
        uint64_t *landlock_rights;
        /* The status fd's "landlock" member for the exec event, built here
         * since commit must not allocate: what is enforced, at which ABI. */
        char *landlock_status;
        struct user_ids user; /* user.change: commit switches to these ids */
};

#define PREPARED_INIT                                                                                        \
        { .binary_fd = -1, .landlock_fd = -1 }

/* Everything in stage 3.  Policy diagnostics go to d (FILE:LINE:COL); the
 * one-line error to e. */
int prepare_run(const struct plan *p, struct prepared *ret, struct diag *d, struct launch_error *e);

/* Only the filter, as prepare_run() builds it: what --dry-run needs (no inputs
 * loaded). */
int filter_prepare(const struct plan *p, struct prepared *pr, struct diag *d, struct launch_error *e);

/* Landlock and the user (prepare_confine.c): open every path O_PATH and
 * check its type, build the ruleset, resolve the user and check sealrun
 * may switch to it.  Also what --dry-run shows. */
int prepare_confinement(const struct plan *p, struct prepared *pr, struct launch_error *e);

/* Open a landlock path O_PATH and check it is a directory, a regular file
 * or a device.  The fd, or -errno with why[] saying what is wrong (shared
 * with `sealrun check`). */
int landlock_open_path(const char *path, bool *ret_directory, char *why, size_t why_size);

void prepared_free(struct prepared *pr);

#endif
