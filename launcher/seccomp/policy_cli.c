/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile_child.h"
#include "policy_cli.h"
#include "policy_internal.h"

/* "--arch 'vax': unknown architecture", as a diagnostic of the command line. */
static int option_error(struct diag *d, const char *option, const char *arg, const char *what) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, NULL, "%s '%s': %s", option, arg, what);
        return -EINVAL;
}

int policy_cli_option(struct policy_cli *cli, int option, const char *arg, struct diag *d) {
        switch (option) {
        case POLICY_OPT_INCLUDE_PREFIX: {
                const char *eq = strchr(arg, '=');
                if (!eq || eq == arg || !eq[1] || arg[0] != '/') {
                        return option_error(d, "--include-prefix", arg, "expected /OLD/PREFIX=DIR");
                }
                struct include_prefix *v = realloc(cli->prefixes, (cli->n_prefixes + 1) * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                cli->prefixes = v;
                char *prefix = strndup(arg, (size_t) (eq - arg));
                if (!prefix)
                        return -ENOMEM;
                v[cli->n_prefixes++] = (struct include_prefix){.prefix = prefix, .dir = eq + 1};
                cli->opts.include_prefixes = cli->prefixes;
                cli->opts.n_include_prefixes = cli->n_prefixes;
                return 0;
        }
        case POLICY_OPT_DEFAULT_ACTION:
                /* allow and log are accepted here, for debugging a policy,
                 * and never inside a policy file. */
                if (policy_action_parse(arg, &cli->opts.default_action) < 0) {
                        return option_error(d, "--default-action", arg, "unknown action");
                }
                cli->opts.default_action_set = true;
                return 0;
        case POLICY_OPT_ARCH:
                cli->opts.arch = seccomp_arch_resolve_name(arg);
                if (cli->opts.arch == 0) {
                        return option_error(d, "--arch", arg, "unknown architecture");
                }
                return 0;
        case POLICY_OPT_SKIP_UNKNOWN:
                cli->opts.skip_unknown_syscalls = true;
                return 0;
        case POLICY_OPT_DENYLIST:
                cli->opts.denylist = true;
                return 0;
        case POLICY_OPT_OPTIMIZE:
                if (!strcmp(arg, "linear"))
                        cli->opts.optimize = 1;
                else if (!strcmp(arg, "tree"))
                        cli->opts.optimize = 2;
                else {
                        return option_error(d, "--optimize", arg, "expected 'linear' or 'tree'");
                }
                return 0;
        }
        return -EINVAL;
}

void policy_cli_done(struct policy_cli *cli) {
        for (size_t i = 0; i < cli->n_prefixes; i++)
                free((char *) cli->prefixes[i].prefix);
        free(cli->prefixes);
        *cli = (struct policy_cli){};
}

int policy_cli_compile(struct syscall_policy *p, struct sock_filter **ret_prog, size_t *ret_n_insns,
                       struct syscall_policy_compile_stats *stats, struct diag *d) {
        return compile_child_run(p, COMPILE_CHILD_CLI_CPU_SECONDS, ret_prog, ret_n_insns, stats, d);
}
