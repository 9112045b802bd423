/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compile_child.h"
#include "policy_internal.h"

struct shared {
        volatile size_t progress; /* which syscall the child is at, 1-based */
        volatile int compiled;    /* 1: insns[0..n_insns) hold the program */
        volatile size_t n_insns;
        struct syscall_policy_compile_stats stats;
        struct sock_filter insns[BPF_MAXINSNS];
};

/* The child's exit status when its CPU time ran out. */
#define EXIT_CPU_LIMIT 3

static void cpu_limit_reached(int sig) {
        (void) sig;
        _exit(EXIT_CPU_LIMIT);
}

static _Noreturn void child(struct syscall_policy *p, unsigned cpu_seconds, struct shared *sh,
                            bool want_program) {
        /* Never outlive the launcher, and never dump core: SIGXCPU's
         * default action would write one per cut-off compile. */
        struct sigaction on_xcpu = {.sa_handler = cpu_limit_reached};
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || prctl(PR_SET_DUMPABLE, 0) < 0 ||
            sigaction(SIGXCPU, &on_xcpu, NULL) < 0)
                _exit(2);
        /* SIGXCPU at the soft limit, SIGKILL a second later; within a hard
         * limit an unprivileged caller cannot raise. */
        struct rlimit cpu;
        if (getrlimit(RLIMIT_CPU, &cpu) < 0)
                _exit(2);
        cpu.rlim_cur =
                cpu.rlim_max == RLIM_INFINITY || cpu.rlim_max > cpu_seconds ? cpu_seconds : cpu.rlim_max;
        if (cpu.rlim_max == RLIM_INFINITY || cpu.rlim_max > (rlim_t) cpu_seconds + 1)
                cpu.rlim_max = (rlim_t) cpu_seconds + 1;
        if (setrlimit(RLIMIT_CPU, &cpu) < 0)
                _exit(2);
        struct diag ignored = DIAG_INIT;
        struct sock_filter *prog = NULL;
        size_t n = 0;
        p->compile_progress = &sh->progress;
        if (syscall_policy_compile_program(p, &prog, &n, &sh->stats, &ignored) == 0 && n <= BPF_MAXINSNS) {
                if (want_program)
                        memcpy(sh->insns, prog, n * sizeof(*prog));
                sh->n_insns = n;
                sh->compiled = 1;
        }
        _exit(0);
}

static int wait_for(pid_t pid, int *ret_status) {
        while (waitpid(pid, ret_status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        return 0;
}

static bool cpu_limit_reached_by(int status) {
        return (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_CPU_LIMIT) ||
               (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL));
}

static void child_error(const struct syscall_policy *p, size_t at, unsigned cpu_seconds, int status,
                        struct diag *d) {
        if (!cpu_limit_reached_by(status)) {
                diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, NULL,
                         "the child process compiling the policy failed (wait status %#x)",
                         (unsigned) status);
                return;
        }
        if (at >= 1 && at <= p->n_syscalls) {
                const struct syscall_rules *s = &p->syscalls[at - 1];
                const struct source_location *w = &s->rules[0].where;
                diag_add(d, DIAG_ERROR, w->file, w->line, w->col, w->source_line, w->context,
                         "compiling the rules for '%s' did not finish within the CPU time limit (%u s): "
                         "libseccomp cannot merge them in reasonable time; simplify them",
                         s->name, cpu_seconds);
        } else
                diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, NULL,
                         "compiling the policy did not finish within the CPU time limit (%u s)%s",
                         cpu_seconds, at > p->n_syscalls ? " while generating and checking the program" : "");
}

int compile_child_run(struct syscall_policy *p, unsigned cpu_seconds, struct sock_filter **ret_prog,
                      size_t *ret_n_insns, struct syscall_policy_compile_stats *stats, struct diag *d) {
        struct shared *sh =
                mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (sh == MAP_FAILED)
                return -errno;
        /* A SIGCHLD ignored by whoever started us would reap the child
         * before waitpid sees it. */
        struct sigaction dfl = {.sa_handler = SIG_DFL}, old;
        int r = sigaction(SIGCHLD, &dfl, &old);
        if (r < 0) {
                r = -errno;
                munmap(sh, sizeof(*sh));
                return r;
        }
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0)
                child(p, cpu_seconds, sh, ret_prog != NULL);
        int status = 0;
        r = pid < 0 ? -errno : wait_for(pid, &status);
        (void) sigaction(SIGCHLD, &old, NULL);
        if (r < 0)
                goto done;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                child_error(p, sh->progress, cpu_seconds, status, d);
                r = -EINVAL;
        } else if (!sh->compiled) {
                /* A policy error: the same compile here says which. */
                struct sock_filter *prog = NULL;
                size_t n = 0;
                r = syscall_policy_compile_program(p, &prog, &n, NULL, d);
                free(prog);
                if (r == 0) /* cannot be: the child failed */
                        r = -EIO;
        } else {
                if (stats)
                        *stats = sh->stats;
                if (ret_prog) {
                        size_t n = sh->n_insns;
                        struct sock_filter *prog = malloc(n * sizeof(*prog) + 1);
                        if (!prog) {
                                r = -ENOMEM;
                                goto done;
                        }
                        memcpy(prog, sh->insns, n * sizeof(*prog));
                        *ret_prog = prog;
                        *ret_n_insns = n;
                }
        }
done:
        munmap(sh, sizeof(*sh));
        return r;
}
