/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "workload_load.h"

#include "commands.h"
#include "launch.h"

const struct workload *workload_load(struct workload *w, struct cli_options *o) {
        struct diag d = DIAG_INIT;
        const struct workload *loaded = NULL;
        if (o->workload) {
                if (workload_parse_file(w, o->workload, NULL, NULL, &d) >= 0 && d.n_errors == 0 &&
                    workload_validate(w, o->workload, &d) >= 0)
                        loaded = w;
        } else if (workload_validate(&o->exec_workload, NULL, &d) >= 0)
                loaded = &o->exec_workload;
        if (loaded)
                diag_print(&d, stderr);
        else
                launch_report_parse_errors(&d, o->status_fd, o->workload ? o->workload : "command line");
        diag_clear(&d);
        return loaded;
}

int workload_command_main(const struct workload_command *cmd, int argc, char **argv) {
        struct cli_options o = CLI_OPTIONS_INIT;
        int status = launch_parse_command(cmd->parse, argc, argv, &o);
        if (status)
                return status;
        struct workload w = WORKLOAD_INIT;
        const struct workload *loaded;
        if (o.help) {
                cmd->usage(stdout);
                status = 0;
        } else if ((loaded = workload_load(&w, &o)))
                status = launch_run(loaded, &o);
        else
                status = EXIT_LAUNCHER_FAILED;
        workload_free(&w);
        cli_options_free(&o);
        return status;
}
