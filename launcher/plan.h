/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pipeline stage 2, plan (pure): a workload plus the run-time command line
 * (input sources, extra arguments, status fd) plus a snapshot of the
 * launcher's own state (environment, pid, RLIMIT_NOFILE) -> every decision
 * the later stages carry out: which source lands at which fd with which
 * seals and limit, the exact argv and envp, rlimits, capabilities, the exec
 * mode, the reserved fd numbers and the seccomp filter's sources.  Nothing
 * in it points into the workload.  --dry-run prints this.
 */
#ifndef SEALRUN_PLAN_H
#define SEALRUN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "landlock.h"
#include "run_request.h"
#include "user.h"
#include "workload.h"

/* The launcher's own state, read by the caller so planning stays pure. */
struct plan_context {
        char *const *environ;
        pid_t pid;
        uint64_t nofile_soft, nofile_hard; /* RLIMIT_NOFILE now; UINT64_MAX for unlimited */
        struct landlock_kernel landlock;   /* asked only when the workload has landlock lines */
        uid_t euid;                        /* whose filter cache (filter_cache_dir()) */
};

struct plan_fd {
        char *name;
        int target_fd;
        enum input_source source;
        char *path;    /* INPUT_SOURCE_PATH */
        int source_fd; /* INPUT_SOURCE_FD */
        uint64_t max_size;
        uint32_t seals; /* 0: libsealfd's default */
};

/* The seccomp filter the workload asks for, copied from it: stage 3
 * (filter.h) builds the program from this alone. */
struct plan_filter {
        bool enabled;                   /* a filter is loaded: any of the below */
        struct seccomp_source *sources; /* policy files and inline text, in order */
        size_t n_sources;
        bool default_action_set;
        struct policy_action default_action;
        char *workload_file; /* for warnings: the workload file, NULL for exec's options */
        char *default_file;  /* where `seccomp default` is */
        unsigned default_line, default_col;
        char *compiled; /* `seccomp compiled PATH`: the whole filter, pinned; NULL none */
        uint8_t compiled_sha256[32];
        /* The filter cache for a policy compiled at launch (filter_cache.h):
         * its directory, or NULL with the reason in cache_off (NULL too
         * when no policy is compiled at launch). */
        char *cache_dir;
        const char *cache_off;
        /* A supervised run's variant (supervise.h): which decisions go to
         * the supervisor (filter.c). */
        enum supervise_mode supervise;
        /* learn: a setuid or setgid program may be learned (prepare.c
         * refuses it otherwise, once PATH has named the file). */
        bool allow_privileged;
};

struct plan {
        char *program;
        enum exec_mode exec_mode;
        bool has_sha256;
        uint8_t sha256[32];
        char **argv; /* NULL-terminated */
        size_t n_argv;
        char **envp; /* NULL-terminated */
        size_t n_envp;
        struct plan_fd *fds; /* the inputs that were given, in declaration order */
        size_t n_fds;
        char *cwd;
        struct rlimit_setting *rlimits;
        size_t n_rlimits;
        uint64_t caps_keep;
        bool listen_fds;
        struct plan_filter filter;
        /* Fd numbers only the launcher can use: at or above the target's
         * RLIMIT_NOFILE hard limit, which the target cannot raise (see
         * commit.c).  -1 when unused. */
        int binary_fd;
        int status_fd;                      /* where the status fd is placed; -1 none */
        int status_fd_source;               /* the --status-fd number */
        int handoff_fd;                     /* supervised: where the listener's socket is placed; -1 none */
        int max_target_fd;                  /* the highest fd the target receives (at least 2) */
        struct landlock_spec landlock_spec; /* the lines: paths, ports, scopes */
        struct landlock_plan landlock;      /* what this kernel enforces of them */
        struct user_spec user;              /* resolved in prepare */
};

#define PLAN_INIT                                                                                            \
        { .binary_fd = -1, .status_fd = -1, .status_fd_source = -1, .handoff_fd = -1, .max_target_fd = 2 }

int plan_build(const struct workload *w, const struct run_request *req, const struct plan_context *ctx,
               struct plan *ret, struct launch_error *e);
void plan_free(struct plan *p);

/* The path an argv "@NAME" expands to.  /proc/self/fd rather than /dev/fd:
 * /dev/fd is a symlink some minimal roots and containers lack. */
#define FD_PATH_PREFIX "/proc/self/fd/"

#endif
