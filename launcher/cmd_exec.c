/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun exec [OPTIONS] -- PROGRAM [ARG...]: a workload from options. */
#include "commands.h"
#include "workload_load.h"

int cmd_exec(int argc, char **argv) {
        static const struct workload_command exec = {.parse = cli_parse_exec, .usage = cli_usage_exec};
        return workload_command_main(&exec, argc, argv);
}
