/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The options `sealrun check` and `sealrun compile` share: the policy
 * compiler's (policy_cli.h), and what getopt_long could not take. */
#ifndef SEALRUN_CMD_POLICY_OPTION_H
#define SEALRUN_CMD_POLICY_OPTION_H

#include "policy_cli.h"

/* Handle getopt_long's result c that the command's own switch did not: a
 * policy option into cli, or '?' (an unknown option or a missing argument;
 * short_with_arg lists the command's short options that take one).  0, or
 * -EINVAL after printing one line: the command then exits 125. */
int cmd_policy_option(struct policy_cli *cli, int c, const char *command, const char *short_with_arg,
                      char **argv);

#endif
