/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun run [--dry-run [--json]] [--status-fd N] WORKLOAD [--input NAME=PATH]... [-- ARG...] */
#include "commands.h"
#include "workload_load.h"

int cmd_run(int argc, char **argv) {
        static const struct workload_command run = {.parse = cli_parse_run, .usage = cli_usage_run};
        return workload_command_main(&run, argc, argv);
}
