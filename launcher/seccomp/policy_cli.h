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

#define POLICY_CLI_LONG_OPTIONS                                                         \
        { "include-prefix", required_argument, NULL, POLICY_OPT_INCLUDE_PREFIX },       \
        { "default-action", required_argument, NULL, POLICY_OPT_DEFAULT_ACTION },       \
        { "arch", required_argument, NULL, POLICY_OPT_ARCH },                           \
        { "skip-unknown-syscalls", no_argument, NULL, POLICY_OPT_SKIP_UNKNOWN },        \
        { "denylist", no_argument, NULL, POLICY_OPT_DENYLIST },                         \
        { "optimize", required_argument, NULL, POLICY_OPT_OPTIMIZE }

#define POLICY_CLI_HELP                                                                              \
        "  --include-prefix OLD=DIR   read '@include OLD/x' from DIR/x (repeatable)\n"                 \
        "  --default-action ACTION    action for unlisted syscalls when the policy has no @default\n"  \
        "                             (kill-process, kill-thread, trap, log, allow, ...)\n"           \
        "  --arch ARCH                target architecture (x86_64, aarch64, ...; default: native)\n"  \
        "  --skip-unknown-syscalls    warn about and skip syscalls the architecture lacks\n"          \
        "  --denylist                 the policy is a deny-list (@denylist)\n"                        \
        "  --optimize linear|tree     BPF layout (default: a binary tree from 16 syscalls on)\n"

struct policy_cli {
        struct syscall_policy_options opts;
        struct include_prefix *prefixes;
        size_t n_prefixes;
};

/* Handles one of the options above.  Returns 0, or -EINVAL after printing
 * one line naming the bad value. */
int policy_cli_option(struct policy_cli *cli, int option, const char *arg);
void policy_cli_done(struct policy_cli *cli);

/* libseccomp can take minutes on some rule sets.  `sealrun compile` and
 * `check` first compile the policy in a child limited to this much CPU. */
#define POLICY_CLI_COMPILE_CPU_SECONDS 10

/* Compiles p in a forked child with RLIMIT_CPU = cpu_seconds and throws the
 * result away.  0: the compile finished (so compiling in this process will
 * too); -EINVAL: it did not (or crashed), with an error at the syscall in d;
 * other -errno: fork/mmap failed. */
int policy_cli_compile_finishes(struct syscall_policy *p, unsigned cpu_seconds, struct diag *d);

#endif
