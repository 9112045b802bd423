/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The workload a launching command (run, exec, learn) starts, read and checked
 * with its errors reported once, and the front such a command shares: its
 * command line, --help, the workload, the launch. */
#ifndef SEALRUN_WORKLOAD_LOAD_H
#define SEALRUN_WORKLOAD_LOAD_H

#include <stdio.h>

#include "cli.h"
#include "workload.h"

/* o's workload, parsed and validated: the file the command line named
 * (o->workload: run, learn WORKLOAD) read into w, else the one the exec
 * form's options built.
 * Returns it, or NULL after printing the errors and sending the first to
 * the status fd (the command then exits 125).  Warnings are printed. */
const struct workload *workload_load(struct workload *w, struct cli_options *o);

struct workload_command {
        int (*parse)(int argc, char **argv, struct cli_options *ret, struct diag *d); /* cli_parse_run */
        void (*usage)(FILE *out);                                                     /* cli_usage_run */
};

/* A launching command from argv to its exit status: the command line with
 * cmd->parse, the usage for --help, then workload_load() and launch_run(). */
int workload_command_main(const struct workload_command *cmd, int argc, char **argv);

#endif
