/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The front `sealrun check` and `sealrun compile` share: -h, one option of
 * the command's own, the policy compiler's options (policy_cli.h), what
 * getopt_long could not take, and the count of operands. */
#ifndef SEALRUN_CMD_POLICY_COMMAND_H
#define SEALRUN_CMD_POLICY_COMMAND_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "policy_cli.h"

struct cmd_policy_command {
        const char *name;  /* "check", for the error lines */
        struct option own; /* the one option the command has of its own */
        bool own_required;
        int min_operands, max_operands;
        const char *expected; /* "at least one FILE": what the usage error says */
        void (*usage)(FILE *out);
        /* The command proper: own_value is the last value of its own option
         * ("" for one without an argument, NULL when not given).  Returns
         * the exit status. */
        int (*run)(char **operands, int n_operands, const char *own_value, const struct policy_cli *cli);
};

/* Parse argv for cmd and run it: its exit status, 0 after --help, or
 * EXIT_LAUNCHER_FAILED after printing one line for a usage error. */
int cmd_policy_command_main(const struct cmd_policy_command *cmd, int argc, char **argv);

#endif
