/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun check: validate files, for CI and pre-commit hooks.  Exit 0 when
 * all are valid, 1 when diagnostics were printed, 125 for usage errors.
 * Each file kind has one checker; check_file() picks it. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cmd_policy_command.h"
#include "commands.h"
#include "policy_cli.h"
#include "syscall_policy.h"
#include "workload_check.h"

static void check_usage(FILE *out) {
        fputs("Usage: sealrun check [OPTIONS] FILE...\n\n"
              "Validate seccomp policy files (sealrun.policy(5)): parse them with their includes\n"
              "and compile them.  Prints FILE:LINE:COL: error: ... and exits 1 on problems.\n\n"
              "Options:\n" POLICY_CLI_HELP "  -q, --quiet                do not print warnings\n"
              "  -h, --help                 show this help\n",
              out);
}

/* One checker per file kind: 0 valid, -EINVAL problems found (in d), other
 * -errno when the launcher itself failed. */
static int check_file(const char *path, const struct policy_cli *cli, struct diag *d) {
        if (workload_check_is_workload_file(path))
                return workload_check_file(path, &cli->opts, d);
        struct syscall_policy *p = NULL;
        int r = syscall_policy_new(&cli->opts, &p);
        if (r >= 0)
                r = syscall_policy_parse_file(p, path, d);
        if (r >= 0)
                r = policy_cli_compile(p, NULL, NULL, NULL, d);
        syscall_policy_free(p);
        return r;
}

/* Everything `check` says, in one place: a file's diagnostics (errors only
 * when quiet), and the line for a failure of the launcher itself. */
static int report_file(const char *path, int r, const struct diag *d, bool quiet) {
        if (quiet)
                diag_print_errors(d, stderr);
        else
                diag_print(d, stderr);
        if (r == -EINVAL || d->n_errors > 0)
                return 1;
        if (r < 0) {
                fprintf(stderr, "sealrun: checking '%s': %s\n", path, strerror(-r));
                return EXIT_LAUNCHER_FAILED;
        }
        return 0;
}

static int check_files(char **paths, int n_paths, const char *quiet, const struct policy_cli *cli) {
        int status = 0;
        for (int i = 0; i < n_paths; i++) {
                struct diag file_diag = DIAG_INIT;
                int r = report_file(paths[i], check_file(paths[i], cli, &file_diag), &file_diag,
                                    quiet != NULL);
                diag_clear(&file_diag);
                if (r == EXIT_LAUNCHER_FAILED || (r == 1 && status == 0))
                        status = r;
        }
        return status;
}

int cmd_check(int argc, char **argv) {
        static const struct cmd_policy_command check = {
                .name = "check",
                .own = {"quiet", no_argument, NULL, 'q'},
                .min_operands = 1,
                .max_operands = INT_MAX,
                .expected = "at least one FILE",
                .usage = check_usage,
                .run = check_files,
        };
        return cmd_policy_command_main(&check, argc, argv);
}
