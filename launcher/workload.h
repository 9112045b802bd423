/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A workload: what to run and how, as read from a workload file (parse.c) or
 * assembled from `sealrun exec` options (cli.c).  Pure data; every string is
 * owned by the struct and freed by workload_free().
 *
 *     struct workload w = WORKLOAD_INIT;
 *     workload_parse_file(&w, "jq.workload", NULL, NULL, &diag);
 *     ... plan_build(&w, ...) ...
 *     workload_free(&w);
 */
#ifndef SEALRUN_WORKLOAD_H
#define SEALRUN_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "landlock.h"
#include "syscall_policy.h"
#include "user.h"

enum exec_mode {
        EXEC_MODE_PATH,   /* execve(program) with the inputs at their fds */
        EXEC_MODE_SEALED, /* execveat(sealed copy, "", AT_EMPTY_PATH) */
};

/* The limit of an input declared without max= (in a workload file or
 * --input-spec, or by --input/--input-fd alone for exec): each input is a
 * copy in memory, so an endless stream or a huge file must not take the
 * machine's.  sealrun(1) and sealrun.policy(5) say so. */
#define INPUT_DEFAULT_MAX_SIZE (UINT64_C(1) << 30)

struct workload_input {
        char *name;
        int fd;            /* -1: the next free number from 3, in declaration order */
        uint64_t max_size; /* 0: INPUT_DEFAULT_MAX_SIZE */
        uint32_t seals;    /* 0: the default (WRITE|SHRINK|GROW|SEAL, plus EXEC where the kernel has it) */
        bool optional;
};

enum env_op_type {
        ENV_OP_SET,  /* NAME=VALUE */
        ENV_OP_KEEP, /* copy NAME from the launcher's environment, if set */
};

struct env_op {
        enum env_op_type type;
        char *name;
        char *value; /* ENV_OP_SET only */
};

struct rlimit_setting {
        int resource;        /* RLIMIT_* */
        uint64_t soft, hard; /* UINT64_MAX means unlimited */
};

struct seccomp_source {
        char *file; /* the policy file, or the workload file holding inline text */
        char *text; /* inline policy text ([seccomp] section); NULL for a file */
        size_t text_len;
        unsigned first_line; /* line of `file` the inline text starts on */
};

struct workload {
        char *file; /* the workload file given to workload_parse_file; NULL for exec's options */
        char *program;
        enum exec_mode exec_mode;
        bool has_sha256;
        uint8_t sha256[32];
        bool has_argv; /* an explicit `argv` line; else argv is just the program */
        char **argv;   /* n_argv words, NULL-terminated; "@NAME" expands later */
        size_t n_argv;
        struct workload_input *inputs;
        size_t n_inputs;
        struct env_op *env;
        size_t n_env;
        char *cwd;
        struct rlimit_setting *rlimits;
        size_t n_rlimits;
        uint64_t caps_keep; /* bit n = capability n */
        bool listen_fds;
        bool default_action_set;
        struct policy_action default_action;
        char *default_file; /* where `seccomp default` is; NULL: the command line */
        unsigned default_line, default_col;
        struct seccomp_source *seccomp;
        size_t n_seccomp;
        /* `seccomp compiled PATH sha256=HEX`: a raw BPF program (what
         * `sealrun compile` writes) used instead of compiling a policy at
         * launch; refused unless its bytes have this SHA-256. */
        char *seccomp_compiled;
        uint8_t seccomp_compiled_sha256[32];
        char *seccomp_compiled_from;   /* `from POLICY`: what `sealrun check` recompiles; NULL none */
        struct landlock_spec landlock; /* `landlock` lines */
        struct user_spec user;         /* `user`, `group`, `groups` */
        bool seccomp_cache_off;        /* `seccomp cache off`: always compile at launch (filter_cache.h) */
};

#define WORKLOAD_INIT                                                                                        \
        { 0 }

void workload_free(struct workload *w);
/* Frees the op's strings (not op). */
void env_op_free(struct env_op *op);
/* Frees the n sources and the array (plan.c holds copies too). */
void seccomp_sources_free(struct seccomp_source *v, size_t n);

/* Where a line came from, for diagnostics.  file NULL: the command line. */
struct workload_place {
        const char *file;
        unsigned line;
        const char *source_line; /* for the caret; may be NULL */
        const char *context;     /* "included from a:3"; may be NULL */
};

struct workload_word {
        const char *text;
        unsigned col; /* 1-based column in source_line; 0 when unknown */
};

/* Apply one already-split line ("input", "data", "fd=4") to w.  The same
 * function serves workload files and `sealrun exec` options, so both accept
 * exactly the same values.  Returns 0 or -EINVAL (diag holds the error). */
int workload_apply_words(struct workload *w, const struct workload_word *words, size_t n_words,
                         const struct workload_place *place, struct diag *d);

/* Parse a workload file (and what it @includes) into w.  read_file NULL
 * reads from disk.  Returns 0, -EINVAL when diag holds errors, or -errno. */
int workload_parse_file(struct workload *w, const char *path, policy_read_file_fn read_file, void *userdata,
                        struct diag *d);
int workload_parse_text(struct workload *w, const char *filename, const char *text, size_t len,
                        policy_read_file_fn read_file, void *userdata, struct diag *d);

/* Checks that need the whole workload (a program, fd clashes, LISTEN_FDS
 * numbering).  Returns 0 or -EINVAL with diag entries naming `file`. */
int workload_validate(const struct workload *w, const char *file, struct diag *d);

#endif
