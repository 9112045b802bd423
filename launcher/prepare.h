/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pipeline stage 3, prepare (reversible): load and seal every input through
 * libsealfd, copy and seal the binary (sealed exec) and check its pin, check
 * the program can be executed, the cwd exists and the kept capabilities are
 * held, place the sealed exec's arguments, and build the seccomp filter
 * (filter.h).  Nothing is started and nothing
 * about the launcher changes except new close-on-exec fds, so a failure is
 * a clean error (prepared_free() undoes everything).
 */
#ifndef SEALRUN_PREPARE_H
#define SEALRUN_PREPARE_H

#include <stdbool.h>

#include "diag.h"
#include "error.h"
#include "exec_args.h"
#include "filter.h"
#include "plan.h"
#include "syscall_policy.h"

struct prepared {
        int *fds; /* sealed memfds, parallel to plan->fds, close-on-exec */
        size_t n_fds;
        int binary_fd;         /* sealed copy of the program, or -1 */
        bool binary_is_script; /* starts with "#!": the interpreter must inherit the fd */
        char *exec_path;       /* the program resolved through PATH (exec by path) */
        struct exec_args exec; /* sealed exec: its arguments, the pointers the execveat rule matches */
        struct filter filter;  /* the seccomp filter (filter.h); filter.bpf NULL: none */
        /* The Landlock ruleset with every rule added, enforced in commit;
         * -1: none.  rights[i]: what plan->landlock_spec.paths[i] grants. */
        int landlock_fd;
        uint64_t *landlock_rights;
        /* The status fd's "landlock" member for the exec event, built here
         * since commit must not allocate: what is enforced, at which ABI. */
        char *landlock_status;
        struct user_ids user; /* user.change: commit switches to these ids */
        /* Supervised runs (supervise.h): the child's end of the socket the
         * listener goes back over, -1 otherwise; the supervisor's pid, 0
         * for a plain run. */
        int handoff_fd;
        pid_t supervisor_pid;
};

#define PREPARED_INIT                                                                                        \
        { .binary_fd = -1, .landlock_fd = -1, .handoff_fd = -1 }

/* Everything in stage 3.  Policy diagnostics go to d (FILE:LINE:COL); the
 * one-line error to e. */
int prepare_run(const struct plan *p, struct prepared *ret, struct diag *d, struct launch_error *e);

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
