/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun exec [OPTIONS] -- PROGRAM [ARG...]: a workload from options. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "launch.h"
#include "workload.h"

int cmd_exec(int argc, char **argv) {
        struct cli_options o = CLI_OPTIONS_INIT;
        int r = launch_parse_command(cli_parse_exec, argc, argv, &o);
        if (r)
                return r;
        struct diag d = DIAG_INIT;
        int status;
        if (o.help) {
                cli_usage_exec(stdout);
                status = 0;
        } else if (workload_validate(&o.exec_workload, NULL, &d) < 0)
                status = launch_report_parse_errors(&d, o.status_fd, "command line");
        else
                status = launch_run(&o.exec_workload, &o);
        cli_options_free(&o);
        diag_clear(&d);
        return status;
}
