/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the command line asks of one run beside the workload (the inputs
 * given to it, extra arguments, the status fd): cli.c fills it in, plan.c
 * (stage 2) consumes it. */
#ifndef SEALRUN_RUN_REQUEST_H
#define SEALRUN_RUN_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

enum input_source {
        INPUT_SOURCE_PATH, /* --input NAME=PATH */
        INPUT_SOURCE_FD,   /* --input-fd NAME=FD: an fd the launcher inherited */
};

/* One --input/--input-fd from the command line. */
struct run_input {
        const char *name;
        enum input_source source;
        const char *path;
        int fd;
};

/* Who answers the filter's denials (supervise.h). */
enum supervise_mode {
        SUPERVISE_NONE,    /* a plain run: sealrun becomes the target */
        SUPERVISE_EXPLAIN, /* --explain: kill-process and errno decisions reported, then carried out */
        SUPERVISE_LEARN,   /* learn: what the policy does not allow is recorded and let through */
};

struct run_request {
        const struct run_input *inputs;
        size_t n_inputs;
        char *const *extra_argv; /* appended to the workload's argv */
        size_t n_extra_argv;
        int status_fd; /* -1: none */
        bool no_cache; /* --no-cache: neither read nor write the filter cache */
        enum supervise_mode supervise;
        /* learn: the workload's seccomp lines are set aside; this policy
         * file (--merge, --check) is the baseline whose allowed calls are not
         * recorded, or NULL (-o): every call is. */
        const char *learn_baseline;
        /* learn --allow-privileged: a target that keeps capabilities or
         * whose program is setuid or setgid may be learned. */
        bool allow_privileged;
};

#endif
