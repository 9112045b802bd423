/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun: dispatch to a subcommand.  All the work is in the commands and
 * the pipeline stages they call (parse, plan, prepare, commit). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *summary;
} commands[] = {
        {"run", cmd_run, "run a workload file's program with sealed inputs"},
        {"exec", cmd_exec, "the same, with every setting given as an option"},
        {"learn", cmd_learn, "learn a seccomp policy from a real run of a workload"},
        {"check", cmd_check, "validate workload and seccomp policy files"},
        {"compile", cmd_compile, "compile a seccomp policy to a BPF file"},
        {"import", cmd_import, "a seccomp policy from a Docker profile or systemd's groups"},
        {"cache", cmd_cache, "list or clear the cache of compiled seccomp filters"},
};

static void usage(FILE *out) {
        fputs("Usage: sealrun COMMAND [OPTIONS] [ARGS]\n\nCommands:\n", out);
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
        fputs("\nsealrun COMMAND --help for a command's options; see sealrun(1).\n", out);
}

int main(int argc, char **argv) {
        /* Under the caller's RLIMIT_FSIZE, a write past it (an input's copy
         * into a memfd, a status line) fails with EFBIG and is reported;
         * SIGXFSZ would kill sealrun mid-copy, without a word.  The target
         * gets the default disposition back (commit.c). */
        signal(SIGXFSZ, SIG_IGN);
        if (argc < 2) {
                usage(stderr);
                return EXIT_LAUNCHER_FAILED;
        }
        if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
                usage(stdout);
                return 0;
        }
        if (!strcmp(argv[1], "--version")) {
                printf("sealrun %s\n", SEALRUN_VERSION);
                return 0;
        }
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (!strcmp(argv[1], commands[i].name))
                        return commands[i].run(argc - 1, argv + 1);
        fprintf(stderr, "sealrun: unknown command '%s' (try 'sealrun --help')\n", argv[1]);
        return EXIT_LAUNCHER_FAILED;
}
