/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun run [--dry-run [--json]] [--status-fd N] WORKLOAD [--input NAME=PATH]... [-- ARG...] */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "launch.h"
#include "workload.h"

int cmd_run(int argc, char **argv) {
        struct cli_options o = CLI_OPTIONS_INIT;
        int r = launch_parse_command(cli_parse_run, argc, argv, &o);
        if (r)
                return r;
        struct diag d = DIAG_INIT;
        if (o.help) {
                cli_usage_run(stdout);
                cli_options_free(&o);
                return 0;
        }
        struct workload w = WORKLOAD_INIT;
        int status;
        if (workload_parse_file(&w, o.workload, NULL, NULL, &d) < 0 || d.n_errors > 0 ||
            workload_validate(&w, o.workload, &d) < 0)
                status = launch_report_parse_errors(&d, o.status_fd, o.workload);
        else {
                diag_print(&d, stderr);
                status = launch_run(&w, &o);
        }
        workload_free(&w);
        cli_options_free(&o);
        diag_clear(&d);
        return status;
}
