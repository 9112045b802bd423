/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Command lines of `sealrun run` and `sealrun exec` -> struct cli_options
 * (getopt_long tables, no globals).  Pure apart from getopt's own state, so
 * unit-tested directly.  For exec, every workload key has an option, and
 * each one is applied through workload_apply_words(), so the two commands
 * accept exactly the same values.
 */
#ifndef SEALRUN_CLI_H
#define SEALRUN_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "run_request.h"
#include "workload.h"

enum cli_command {
        CLI_RUN,
        CLI_EXEC,
};

/* `sealrun learn`: where the policy goes, exactly one of the three. */
struct cli_learn {
        bool active;           /* the learn command */
        const char *output;    /* -o POLICY: a new policy */
        const char *merge;     /* --merge POLICY: add what it lacks */
        const char *check;     /* --check POLICY: say what it lacks */
        bool force;            /* with -o: replace an existing file */
        bool allow_privileged; /* a target that keeps capabilities or is setuid */
};

struct cli_options {
        enum cli_command command; /* learn: CLI_RUN or CLI_EXEC by its form */
        bool help;
        bool dry_run;
        bool json;
        bool no_cache;        /* --no-cache: compile the policy even when the filter cache has it */
        bool explain;         /* --explain: a supervised run (supervise.h) */
        int status_fd;        /* -1: none */
        const char *workload; /* run: the workload file */
        struct run_input *inputs;
        size_t n_inputs, n_inputs_allocated;
        char **args; /* run: the words after "--"; exec: PROGRAM [ARG...] (borrowed from argv) */
        size_t n_args;
        struct workload exec_workload; /* exec: assembled from the options */
        const char **input_specs;      /* exec: --input-spec arguments in order (borrowed from argv) */
        size_t n_input_specs;
        struct cli_learn learn;
};

#define CLI_OPTIONS_INIT                                                                                     \
        { .status_fd = -1 }

/* argv[0] is the command name ("run"/"exec").  Returns 0, or -EINVAL with
 * one error in d ("unknown option '--x'", "option '--input' needs an
 * argument", ...). */
int cli_parse_run(int argc, char **argv, struct cli_options *ret, struct diag *d);
int cli_parse_exec(int argc, char **argv, struct cli_options *ret, struct diag *d);
/* `sealrun learn [LEARN OPTIONS] WORKLOAD ...` (the run form) or `sealrun
 * learn exec [OPTIONS] -- PROGRAM ...` (argv[1] "exec").  The same errors,
 * and: not exactly one of -o, --merge, --check; --force without -o;
 * --explain or --dry-run. */
int cli_parse_learn(int argc, char **argv, struct cli_options *ret, struct diag *d);
void cli_options_free(struct cli_options *o);

void cli_usage_run(FILE *out);
void cli_usage_exec(FILE *out);
void cli_usage_learn(FILE *out);

#endif
