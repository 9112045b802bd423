/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cmd_policy_command.h"

#include <errno.h>
#include <string.h>

#include "commands.h"

/* Handle getopt_long's result c that is neither -h nor the command's own
 * option: a policy option into cli, or '?' (an unknown option or a missing
 * argument; short_with_arg lists the short options that take one). */
static int policy_option(struct policy_cli *cli, int c, const char *command, const char *short_with_arg,
                         char **argv) {
        if (c == '?') {
                if (optopt)
                        fprintf(stderr, "sealrun %s: option '-%c' %s (try --help)\n", command, optopt,
                                strchr(short_with_arg, optopt) ? "needs an argument" : "is unknown");
                else
                        fprintf(stderr, "sealrun %s: unknown option or missing argument: '%s' (try --help)\n",
                                command, argv[optind - 1]);
                return -EINVAL;
        }
        struct diag d = DIAG_INIT;
        int r = policy_cli_option(cli, c, optarg, &d);
        diag_print(&d, stderr);
        diag_clear(&d);
        return r < 0 ? -EINVAL : 0;
}

/* -1: go on with the operands at argv[optind]; else the exit status. */
static int parse(const struct cmd_policy_command *cmd, int argc, char **argv, struct policy_cli *cli,
                 const char **own_value) {
        const struct option options[] = {
                cmd->own,
                {"help", no_argument, NULL, 'h'},
                POLICY_CLI_LONG_OPTIONS,
                {},
        };
        bool own_has_arg = cmd->own.has_arg == required_argument;
        char own_letter[2] = {(char) cmd->own.val, '\0'};
        char short_options[4] = {(char) cmd->own.val, own_has_arg ? ':' : 'h', own_has_arg ? 'h' : '\0',
                                 '\0'};
        int c;
        *own_value = NULL;
        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, short_options, options, NULL)) >= 0) {
                if (c == cmd->own.val)
                        *own_value = own_has_arg ? optarg : "";
                else if (c == 'h') {
                        cmd->usage(stdout);
                        return 0;
                } else if (policy_option(cli, c, cmd->name, own_has_arg ? own_letter : "", argv) < 0)
                        return EXIT_LAUNCHER_FAILED;
        }
        int n = argc - optind;
        if (n < cmd->min_operands || n > cmd->max_operands || (cmd->own_required && !*own_value)) {
                fprintf(stderr, "sealrun %s: expected %s (try --help)\n", cmd->name, cmd->expected);
                return EXIT_LAUNCHER_FAILED;
        }
        return -1;
}

int cmd_policy_command_main(const struct cmd_policy_command *cmd, int argc, char **argv) {
        struct policy_cli cli = {};
        const char *own_value;
        int status = parse(cmd, argc, argv, &cli, &own_value);
        if (status < 0)
                status = cmd->run(argv + optind, argc - optind, own_value, &cli);
        policy_cli_done(&cli);
        return status;
}
