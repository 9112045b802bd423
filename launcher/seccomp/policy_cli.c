/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "policy_cli.h"
#include "policy_internal.h"

int policy_cli_option(struct policy_cli *cli, int option, const char *arg) {
        switch (option) {
        case POLICY_OPT_INCLUDE_PREFIX: {
                const char *eq = strchr(arg, '=');
                if (!eq || eq == arg || !eq[1] || arg[0] != '/') {
                        fprintf(stderr, "sealrun: --include-prefix '%s': expected /OLD/PREFIX=DIR\n", arg);
                        return -EINVAL;
                }
                struct include_prefix *v = realloc(cli->prefixes, (cli->n_prefixes + 1) * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                cli->prefixes = v;
                char *prefix = strndup(arg, (size_t) (eq - arg));
                if (!prefix)
                        return -ENOMEM;
                v[cli->n_prefixes++] = (struct include_prefix) { .prefix = prefix, .dir = eq + 1 };
                cli->opts.include_prefixes = cli->prefixes;
                cli->opts.n_include_prefixes = cli->n_prefixes;
                return 0;
        }
        case POLICY_OPT_DEFAULT_ACTION:
                /* allow and log are accepted here, for debugging a policy,
                 * and never inside a policy file. */
                if (policy_action_parse(arg, &cli->opts.default_action) < 0) {
                        fprintf(stderr, "sealrun: --default-action '%s': unknown action\n", arg);
                        return -EINVAL;
                }
                cli->opts.default_action_set = true;
                return 0;
        case POLICY_OPT_ARCH:
                cli->opts.arch = seccomp_arch_resolve_name(arg);
                if (cli->opts.arch == 0) {
                        fprintf(stderr, "sealrun: --arch '%s': unknown architecture\n", arg);
                        return -EINVAL;
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
                        fprintf(stderr, "sealrun: --optimize '%s': expected 'linear' or 'tree'\n", arg);
                        return -EINVAL;
                }
                return 0;
        }
        return -EINVAL;
}

void policy_cli_done(struct policy_cli *cli) {
        for (size_t i = 0; i < cli->n_prefixes; i++)
                free((char *) cli->prefixes[i].prefix);
        free(cli->prefixes);
        *cli = (struct policy_cli) {};
}

int policy_cli_compile_finishes(struct syscall_policy *p, unsigned cpu_seconds, struct diag *d) {
        /* The child reports which syscall it is at through shared memory. */
        volatile size_t *progress = mmap(NULL, sizeof(size_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (progress == MAP_FAILED)
                return -errno;
        *progress = 0;
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
                int r = -errno;
                munmap((void *) progress, sizeof(size_t));
                return r;
        }
        if (pid == 0) {
                /* SIGXCPU at the soft limit, SIGKILL a second later. */
                struct rlimit cpu = { cpu_seconds, cpu_seconds + 1 };
                if (setrlimit(RLIMIT_CPU, &cpu) < 0)
                        _exit(2);
                struct diag ignored = DIAG_INIT;
                scmp_filter_ctx ctx = NULL;
                p->compile_progress = progress;
                (void) syscall_policy_compile(p, &ctx, &ignored);
                _exit(0);
        }
        int status;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        int r = -errno;
                        munmap((void *) progress, sizeof(size_t));
                        return r;
                }
        size_t at = *progress;
        munmap((void *) progress, sizeof(size_t));
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return 0;
        char what[96];
        if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL))
                snprintf(what, sizeof(what), "did not finish within the CPU time limit (%u s)", cpu_seconds);
        else
                snprintf(what, sizeof(what), "failed in the checking child (status %#x)", (unsigned) status);
        if (at >= 1 && at <= p->n_syscalls) {
                const struct syscall_rules *s = &p->syscalls[at - 1];
                const struct source_location *w = &s->rules[0].where;
                diag_add(d, DIAG_ERROR, w->file, w->line, w->col, w->source_line, w->context,
                         "compiling the rules for '%s' %s: libseccomp cannot merge them in reasonable "
                         "time; simplify them",
                         s->name, what);
        } else
                diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, NULL, "compiling the policy %s", what);
        return -EINVAL;
}
