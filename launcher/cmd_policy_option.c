/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cmd_policy_option.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

int cmd_policy_option(struct policy_cli *cli, int c, const char *command, const char *short_with_arg,
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
