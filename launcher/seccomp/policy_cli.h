/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Command-line options shared by `sealrun compile` and `sealrun check`. */
#ifndef SEALRUN_POLICY_CLI_H
#define SEALRUN_POLICY_CLI_H

#include <getopt.h>

#include "syscall_policy.h"

enum {
        POLICY_OPT_INCLUDE_PREFIX = 0x100,
        POLICY_OPT_DEFAULT_ACTION,
        POLICY_OPT_ARCH,
        POLICY_OPT_SKIP_UNKNOWN,
        POLICY_OPT_DENYLIST,
        POLICY_OPT_OPTIMIZE,
};

#define POLICY_CLI_LONG_OPTIONS                                                                              \
        {"include-prefix", required_argument, NULL, POLICY_OPT_INCLUDE_PREFIX},                              \
                {"default-action", required_argument, NULL, POLICY_OPT_DEFAULT_ACTION},                      \
                {"arch", required_argument, NULL, POLICY_OPT_ARCH},                                          \
                {"skip-unknown-syscalls", no_argument, NULL, POLICY_OPT_SKIP_UNKNOWN},                       \
                {"denylist", no_argument, NULL, POLICY_OPT_DENYLIST}, {                                      \
                "optimize", required_argument, NULL, POLICY_OPT_OPTIMIZE                                     \
        }

#define POLICY_CLI_HELP                                                                                      \
        "  --include-prefix OLD=DIR   read '@include OLD/x' from DIR/x (repeatable)\n"                       \
        "  --default-action ACTION    action for unlisted syscalls when the policy has no @default\n"        \
        "                             (kill-process, kill-thread, trap, log, allow, ...)\n"                  \
        "  --arch ARCH                target architecture (x86_64, aarch64, ...; default: native)\n"         \
        "  --skip-unknown-syscalls    warn about and skip syscalls the architecture lacks\n"                 \
        "  --denylist                 the policy is a deny-list (@denylist)\n"                               \
        "  --optimize linear|tree     BPF layout (default: a binary tree from 16 syscalls on)\n"

struct policy_cli {
        struct syscall_policy_options opts;
        struct include_prefix *prefixes;
        size_t n_prefixes;
};

/* Handles one of the options above.  Returns 0, -ENOMEM, or -EINVAL with
 * one error in d naming the option and the bad value (the compiler never
 * prints: the command prints d). */
int policy_cli_option(struct policy_cli *cli, int option, const char *arg, struct diag *d);
void policy_cli_done(struct policy_cli *cli);

/* The policy compiled, verified and its program returned (ret_prog may be
 * NULL) by a child with COMPILE_CHILD_CLI_CPU_SECONDS of CPU
 * (compile_child.h): libseccomp can take minutes on some rule sets. */
struct sock_filter;
int policy_cli_compile(struct syscall_policy *p, struct sock_filter **ret_prog, size_t *ret_n_insns,
                       struct syscall_policy_compile_stats *stats, struct diag *d);

#endif
