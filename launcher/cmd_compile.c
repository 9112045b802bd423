/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun compile: a seccomp policy to a raw BPF file (an array of struct
 * sock_filter, as bubblewrap's --seccomp and minijail's .bpf files use). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/filter.h>

#include "cleanup.h"
#include "cmd_policy_command.h"
#include "commands.h"
#include "policy_cli.h"
#include "sealfd.h"
#include "syscall_policy.h"

static void compile_usage(FILE *out) {
        fputs("Usage: sealrun compile [OPTIONS] POLICY -o OUT.bpf\n\n"
              "Compile a seccomp policy (minijail's language, see sealrun.policy(5)) to a raw BPF\n"
              "program.  Diagnostics are printed as FILE:LINE:COL; a summary goes to stderr.\n\n"
              "Options:\n"
              "  -o, --output FILE          where to write the BPF program\n" POLICY_CLI_HELP
              "  -h, --help                 show this help\n",
              out);
}

static int write_all(const char *path, const void *data, size_t size) {
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0)
                return negative_errno();
        ssize_t n = sealfd_write(fd, data, size);
        if (n < 0)
                return (int) n;
        if (close(TAKE_FD(fd)) < 0)
                return negative_errno();
        return 0;
}

static int compile_policy(char **operands, int n_operands, const char *output, const struct policy_cli *cli) {
        const char *policy = operands[0];
        (void) n_operands; /* one, as cmd_compile says */
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        _cleanup_free_ struct sock_filter *prog = NULL;
        size_t n_insns = 0;
        struct syscall_policy_compile_stats stats = {};
        int status = 0, r;

        if ((r = syscall_policy_new(&cli->opts, &p)) < 0)
                goto fail;
        r = syscall_policy_parse_file(p, policy, &d);
        if (r == 0)
                r = policy_cli_compile(p, &prog, &n_insns, &stats, &d);
        diag_print(&d, stderr);
        if (r == -EINVAL) {
                status = 1;
                goto done;
        }
        if (r < 0)
                goto fail;
        if ((r = write_all(output, prog, n_insns * sizeof(*prog))) < 0) {
                fprintf(stderr, "sealrun: output '%s': %s\n", output, strerror(-r));
                status = EXIT_LAUNCHER_FAILED;
                goto done;
        }
        fprintf(stderr, "sealrun: %s: %zu syscalls, %zu rules (%zu libseccomp rules), %zu BPF instructions\n",
                policy, stats.syscalls, stats.rules, stats.libseccomp_rules, n_insns);
        goto done;
fail:
        fprintf(stderr, "sealrun: compiling '%s': %s\n", policy, strerror(-r));
        status = EXIT_LAUNCHER_FAILED;
done:
        syscall_policy_free(p);
        diag_clear(&d);
        return status;
}

int cmd_compile(int argc, char **argv) {
        static const struct cmd_policy_command compile = {
                .name = "compile",
                .own = {"output", required_argument, NULL, 'o'},
                .own_required = true,
                .min_operands = 1,
                .max_operands = 1,
                .expected = "one POLICY and -o OUT.bpf",
                .usage = compile_usage,
                .run = compile_policy,
        };
        return cmd_policy_command_main(&compile, argc, argv);
}
