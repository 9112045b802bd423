/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun compile: a seccomp policy to a raw BPF file (an array of struct
 * sock_filter, as bubblewrap's --seccomp and minijail's .bpf files use). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/filter.h>

#include "cleanup.h"
#include "cmd_policy_option.h"
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

static int compile_policy(const char *policy, const char *output, const struct policy_cli *cli) {
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
        static const struct option options[] = {
                {"output", required_argument, NULL, 'o'},
                {"help", no_argument, NULL, 'h'},
                POLICY_CLI_LONG_OPTIONS,
                {},
        };
        struct policy_cli cli = {};
        const char *output = NULL;
        int c, status = EXIT_LAUNCHER_FAILED;
        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "o:h", options, NULL)) >= 0) {
                switch (c) {
                case 'o':
                        output = optarg;
                        break;
                case 'h':
                        compile_usage(stdout);
                        status = 0;
                        goto done;
                default:
                        if (cmd_policy_option(&cli, c, "compile", "o", argv) < 0)
                                goto done;
                }
        }
        if (optind + 1 != argc || !output) {
                fprintf(stderr, "sealrun compile: expected one POLICY and -o OUT.bpf (try --help)\n");
                goto done;
        }
        status = compile_policy(argv[optind], output, &cli);
done:
        policy_cli_done(&cli);
        return status;
}
