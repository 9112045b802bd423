/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pipeline stage 4, commit: irreversible, in this fixed order (sealrun(1)
 * documents it):
 *
 *   1. close every fd but 0-2 and the sources of the fds to place
 *      (close_range() around them; /proc is not needed), while the fd
 *      table is still small;
 *   2. place the fds: raise the soft RLIMIT_NOFILE if a target number needs
 *      it; move every source (input memfds, the sealed binary, the status
 *      fd) above every target number with F_DUPFD_CLOEXEC, then dup3() each
 *      onto its target, so no source is ever clobbered by another's target
 *      (an input at fd 0 while stdin is a pipe, a memfd that happened to be
 *      born at a target number); the status fd and the sealed binary stay
 *      close-on-exec;
 *   3. rewind every input to offset 0;
 *   4. environment: exactly the planned list;
 *   5. cwd;
 *   6. rlimits (RLIMIT_NOFILE clamped below the reserved fds, plan.c),
 *      all but RLIMIT_FSIZE (step 11);
 *   7. signal mask emptied, every disposition SIG_DFL;
 *   8. capabilities: ambient cleared, bounding set reduced (needs
 *      CAP_SETPCAP); the user switch (user.h: setgroups, setresgid,
 *      setresuid, with PR_SET_KEEPCAPS when capabilities are kept); then
 *      effective/permitted/inheritable, then ambient, which is how a kept
 *      capability survives into a non-root target;
 *   9. PR_SET_NO_NEW_PRIVS;
 *  10. the Landlock ruleset built in prepare, enforced (after every path
 *      the launcher itself opens: the cwd; the exec's own path is the
 *      workload's to grant, the sealed binary and the inputs are memfds,
 *      which Landlock never restricts);
 *  11. "exec" status line, RLIMIT_FSIZE (it would stop sealrun's own
 *      lines), then the seccomp filter loaded;
 *  12. exec.
 *
 * Any failure reports on the status fd and stderr and exits: 125, or for
 * the exec itself 127 (ENOENT) / 126.  After step 10 the stderr line is
 * written only when the policy may allow write (filter.h), so a policy
 * that kills write cannot turn 126/127 into SIGSYS.  Nothing here allocates after step 10,
 * since the filter may forbid brk and mmap.
 */
#include "commit.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "commands.h"
#include "fd_number.h"
#include "fsize.h"
#include "rlimit_name.h"
#include "sealfd.h"
#include "status.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

struct commit_state {
        const struct plan *p;
        struct prepared *pr;
        int status_fd;        /* where the status fd is now */
        struct rlimit nofile; /* as sealrun found it */
        bool nofile_raised;
        bool filter_loaded; /* from here on, only what the filter allows */
        /* Once the workload's RLIMIT_FSIZE is set (just before the filter):
         * the room left under it on the status fd and stderr, measured then,
         * so a failure line is written whole or not at all. */
        bool fsize_set;
        uint64_t status_room, stderr_room;
};

/* A supervised run whose filter is loaded: the exec (or a step before it)
 * failed, and the supervisor must know it was not the target's own exit.
 * One message on the handoff socket (the prefix's sendmsg rule): the exit
 * status, then the error line when it could not go to stderr here, for the
 * supervisor to print.  A successful exec closes the socket instead. */
static void tell_supervisor(const struct commit_state *s, int exit_status, const char *line, size_t n) {
        if (!s->filter_loaded || !s->pr->supervisor_pid)
                return;
        char message[1 + sizeof(((struct launch_error *) NULL)->message) + 64];
        message[0] = (char) exit_status;
        size_t len = line && n < sizeof(message) - 1 ? n : 0;
        if (len)
                memcpy(message + 1, line, len);
        (void) sealfd_send(s->p->handoff_fd, NULL, 0, message, 1 + len);
}

static _Noreturn void fail(struct commit_state *s, const char *stage, int exit_status, int errnum,
                           const char *thing, const char *what) {
        struct launch_error e;
        char line[sizeof(e.message) + 64];
        launch_error_set_exit(&e, exit_status, stage, errnum, thing, "%s%s%s", what, errnum ? ": " : "",
                              errnum ? strerror(errnum) : "");
        /* the filter has a rule for it */
        status_write_error_within(s->status_fd, &e, !s->filter_loaded,
                                  s->fsize_set ? s->status_room : UINT64_MAX);
        size_t n = launch_error_format_line(&e, line, sizeof(line));
        uint64_t room = s->fsize_set       ? s->stderr_room
                        : s->filter_loaded ? UINT64_MAX
                                           : fsize_room(STDERR_FILENO);
        bool said = n > 0 && n <= room && (!s->filter_loaded || s->pr->filter.stderr_after_load);
        if (said)
                (void) !write(STDERR_FILENO, line, n);
        tell_supervisor(s, exit_status, said ? NULL : line, n);
        _exit(exit_status);
}

#define FAIL(s, thing, what) fail(s, "commit", EXIT_LAUNCHER_FAILED, errno, thing, what)

struct move {
        int fd;
        int target; /* -1: only out of the way (the Landlock ruleset) */
        bool inherit;
};

static int highest_target(const struct plan *p) {
        int max = p->max_target_fd;
        if (p->binary_fd > max)
                max = p->binary_fd;
        if (p->status_fd > max)
                max = p->status_fd;
        if (p->handoff_fd > max)
                max = p->handoff_fd;
        return max;
}

static void ensure_fd_room(struct commit_state *s, int highest, size_t n_moves) {
        if (n_moves == 0)
                return; /* nothing to place: no room needed */
        uint64_t need = fd_room_needed((uint64_t) highest, n_moves);
        if (getrlimit(RLIMIT_NOFILE, &s->nofile) < 0)
                FAIL(s, "RLIMIT_NOFILE", "cannot read");
        if (need <= s->nofile.rlim_cur)
                return;
        /* The slack where the hard limit has room for it; prepare.c and
         * plan.c already refused a plan short of the required room. */
        if (need > s->nofile.rlim_max)
                need = s->nofile.rlim_max;
        if (fd_room_required((uint64_t) highest, n_moves) > need) {
                errno = EMFILE;
                FAIL(s, "fd placement", "a target fd is above the hard RLIMIT_NOFILE limit");
        }
        if (need <= s->nofile.rlim_cur)
                return;
        struct rlimit raised = {need, s->nofile.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &raised) < 0)
                FAIL(s, "RLIMIT_NOFILE", "cannot raise the soft limit for the target fds");
        s->nofile_raised = true;
}

static void place_fds(struct commit_state *s) {
        const struct plan *p = s->p;
        struct move *moves = calloc(p->n_fds + 4, sizeof(*moves));
        size_t n = 0;
        if (!moves)
                FAIL(s, "fd placement", "out of memory");
        for (size_t i = 0; i < p->n_fds; i++)
                moves[n++] = (struct move){s->pr->fds[i], p->fds[i].target_fd, true};
        if (p->binary_fd >= 0)
                /* A script's interpreter opens /dev/fd/BINFD after the exec. */
                moves[n++] = (struct move){s->pr->binary_fd, p->binary_fd, s->pr->binary_is_script};
        if (p->status_fd >= 0)
                moves[n++] = (struct move){p->status_fd_source, p->status_fd, false};
        if (s->pr->landlock_fd >= 0)
                moves[n++] = (struct move){s->pr->landlock_fd, -1, false};
        if (s->pr->handoff_fd >= 0)
                moves[n++] = (struct move){s->pr->handoff_fd, p->handoff_fd, false};
        int highest = highest_target(p);
        ensure_fd_room(s, highest, n);
        for (size_t i = 0; i < n; i++) {
                int moved = fcntl(moves[i].fd, F_DUPFD_CLOEXEC, highest + 1);
                if (moved < 0)
                        FAIL(s, "fd placement", "cannot move an fd out of the way");
                if (moves[i].fd == p->status_fd_source)
                        s->status_fd = moved;
                if (moves[i].target < 0)
                        s->pr->landlock_fd = moved;
                close(moves[i].fd);
                moves[i].fd = moved;
        }
        for (size_t i = 0; i < n; i++) {
                if (moves[i].target < 0)
                        continue;
                if (dup3(moves[i].fd, moves[i].target, moves[i].inherit ? 0 : O_CLOEXEC) < 0)
                        FAIL(s, "fd placement", "cannot place an fd at its number");
                if (moves[i].target == p->status_fd)
                        s->status_fd = moves[i].target;
                close(moves[i].fd);
        }
        /* The fds now live at their targets; prepared_free() must not close them. */
        s->pr->n_fds = 0;
        s->pr->binary_fd = -1;
        s->pr->handoff_fd = -1;
        free(moves);
}

static int cmp_int(const void *a, const void *b) {
        return *(const int *) a - *(const int *) b;
}

/* Step 1 runs before the fds are placed, not after: close_range() walks
 * every slot of the fd table up to the range's end, and once BINFD or
 * STATUSFD sits near the hard RLIMIT_NOFILE (plan.c) the table has tens of
 * thousands of slots: two calls cost 0.3 ms, half the overhead of a sealed
 * exec of /bin/true (bench/README.md).  Nothing opens an fd from here to
 * the exec, so placing leaves exactly the targets open. */
static void close_all_but_sources(struct commit_state *s) {
        const struct plan *p = s->p;
        int *keep = calloc(p->n_fds + 7, sizeof(int));
        size_t n = 0;
        if (!keep)
                FAIL(s, "close_range", "out of memory");
        keep[n++] = 0, keep[n++] = 1, keep[n++] = 2;
        for (size_t i = 0; i < p->n_fds; i++)
                keep[n++] = s->pr->fds[i];
        if (s->pr->binary_fd >= 0)
                keep[n++] = s->pr->binary_fd;
        if (p->status_fd_source >= 0)
                keep[n++] = p->status_fd_source;
        if (s->pr->landlock_fd >= 0)
                keep[n++] = s->pr->landlock_fd;
        if (s->pr->handoff_fd >= 0)
                keep[n++] = s->pr->handoff_fd;
        qsort(keep, n, sizeof(int), cmp_int);
        unsigned next = 0;
        for (size_t i = 0; i < n; i++) {
                if ((unsigned) keep[i] > next && close_range(next, (unsigned) keep[i] - 1, 0) < 0)
                        FAIL(s, "close_range", "cannot close the launcher's other fds");
                if ((unsigned) keep[i] + 1 > next)
                        next = (unsigned) keep[i] + 1;
        }
        free(keep);
        if (close_range(next, ~0U, 0) < 0)
                FAIL(s, "close_range", "cannot close the launcher's other fds");
}

static void rewind_inputs(struct commit_state *s) {
        const struct plan *p = s->p;
        for (size_t i = 0; i < p->n_fds; i++)
                if (lseek(p->fds[i].target_fd, 0, SEEK_SET) < 0)
                        FAIL(s, p->fds[i].name, "cannot rewind");
}

static void set_environment_and_cwd(struct commit_state *s) {
        if (clearenv() != 0)
                FAIL(s, "environment", "cannot clear");
        for (size_t i = 0; i < s->p->n_envp; i++)
                if (putenv(s->p->envp[i]) != 0)
                        FAIL(s, "environment", "cannot set");
        if (s->p->cwd && chdir(s->p->cwd) < 0)
                FAIL(s, s->p->cwd, "cannot change directory");
}

static void set_rlimits(struct commit_state *s) {
        bool nofile_planned = false;
        for (size_t i = 0; i < s->p->n_rlimits; i++) {
                const struct rlimit_setting *l = &s->p->rlimits[i];
                struct rlimit r = {l->soft == UINT64_MAX ? RLIM_INFINITY : l->soft,
                                   l->hard == UINT64_MAX ? RLIM_INFINITY : l->hard};
                nofile_planned = nofile_planned || l->resource == RLIMIT_NOFILE;
                if (l->resource == RLIMIT_FSIZE)
                        continue; /* set_fsize(), after sealrun's last line before the exec */
                if (setrlimit(l->resource, &r) < 0)
                        FAIL(s, rlimit_name(l->resource), "cannot set the rlimit");
        }
        if (s->nofile_raised && !nofile_planned && setrlimit(RLIMIT_NOFILE, &s->nofile) < 0)
                FAIL(s, "nofile", "cannot restore the rlimit");
}

/*
 * Which dispositions need a call: exec resets every caught signal to
 * SIG_DFL by itself, but SIG_IGN survives exec, and sealrun installs no
 * handler, so what is left to undo is any SIG_IGN inherited from whoever
 * started sealrun.  Which ones those are is not known without asking the
 * kernel once per signal (reading SigIgn in /proc/self/status costs about
 * as much as the ~64 calls, measured, and needs /proc), and setting is the
 * same one call as asking, so every signal but SIGKILL and SIGSTOP gets
 * one rt_sigaction(SIG_DFL).  The raw syscall, not sigaction(3): glibc
 * refuses signals 32 and 33 (its own, for threads and setxid) without
 * asking the kernel, so an ignored 32 or 33 used to reach the target.
 * All-zero is SIG_DFL with no flags and an empty mask in the kernel's
 * struct sigaction on every arch (with or without sa_restorer).
 */
static void reset_signals(struct commit_state *s) {
        static const unsigned long dfl[4] = {0};
        for (int sig = 1; sig <= 64; sig++)
                if (sig != SIGKILL && sig != SIGSTOP && syscall(SYS_rt_sigaction, sig, dfl, NULL, 8) < 0)
                        FAIL(s, "signal dispositions", "cannot reset");
        sigset_t none;
        sigemptyset(&none);
        if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
                FAIL(s, "signal mask", "cannot reset");
}

/* After the bounding set shrank (that needs CAP_SETPCAP, which a switch
 * from root clears) and before the final sets: with PR_SET_KEEPCAPS the
 * permitted set survives setresuid, so the kept capabilities can be made
 * effective and ambient again; exec clears the flag. */
static void switch_user(struct commit_state *s, uint64_t keep) {
        if (!s->pr->user.change)
                return;
        if (keep && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                FAIL(s, "PR_SET_KEEPCAPS", "cannot set");
        const char *step = "user switch";
        int r = user_switch(&s->pr->user, &step);
        if (r < 0) {
                errno = -r;
                FAIL(s, step, "cannot switch to the workload's user and groups");
        }
}

static void set_capabilities(struct commit_state *s) {
        uint64_t keep = s->p->caps_keep;
        /* One prctl: cap_reset_ambient() first asks about every capability.
         * EINVAL: a kernel without ambient capabilities has none to clear. */
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                FAIL(s, "ambient capabilities", "cannot clear");
        cap_t now = cap_get_proc();
        cap_flag_value_t setpcap = CAP_CLEAR;
        if (!now || cap_get_flag(now, CAP_SETPCAP, CAP_EFFECTIVE, &setpcap) < 0)
                FAIL(s, "capabilities", "cannot read");
        cap_free(now);
        /* Without CAP_SETPCAP the bounding set cannot shrink; it is then
         * inert: no_new_privs stops file capabilities and setuid. */
        /* Every number below cap_max_bits() is one the kernel knows, so no
         * PR_CAPBSET_READ per capability first (CAP_IS_SUPPORTED); dropping
         * one already dropped succeeds. */
        for (cap_value_t c = 0; setpcap == CAP_SET && c < (cap_value_t) cap_max_bits(); c++)
                if (!(keep & (UINT64_C(1) << c)) && prctl(PR_CAPBSET_DROP, (unsigned long) c, 0, 0, 0) < 0)
                        FAIL(s, "bounding capability set", "cannot drop");
        switch_user(s, keep);
        cap_t caps = cap_init();
        if (!caps)
                FAIL(s, "capabilities", "cannot allocate");
        for (cap_value_t c = 0; c < 64; c++) {
                if (!(keep & (UINT64_C(1) << c)))
                        continue;
                if (cap_set_flag(caps, CAP_EFFECTIVE, 1, &c, CAP_SET) < 0 ||
                    cap_set_flag(caps, CAP_PERMITTED, 1, &c, CAP_SET) < 0 ||
                    cap_set_flag(caps, CAP_INHERITABLE, 1, &c, CAP_SET) < 0)
                        FAIL(s, "capabilities", "cannot build the set");
        }
        if (cap_set_proc(caps) < 0)
                FAIL(s, "capabilities", "cannot set effective/permitted/inheritable");
        cap_free(caps);
        for (cap_value_t c = 0; c < 64; c++)
                if ((keep & (UINT64_C(1) << c)) && cap_set_ambient(c, CAP_SET) < 0)
                        FAIL(s, "ambient capabilities", "cannot raise");
}

/* RLIMIT_FSIZE would stop sealrun's own status line and messages (a
 * torn JSON line, or death by SIGXFSZ), so it is set last, after the
 * "exec" line: what is limited is the target. */
static void set_fsize(struct commit_state *s) {
        for (size_t i = 0; i < s->p->n_rlimits; i++) {
                const struct rlimit_setting *l = &s->p->rlimits[i];
                if (l->resource != RLIMIT_FSIZE)
                        continue;
                struct rlimit r = {l->soft == UINT64_MAX ? RLIM_INFINITY : l->soft,
                                   l->hard == UINT64_MAX ? RLIM_INFINITY : l->hard};
                if (setrlimit(RLIMIT_FSIZE, &r) < 0)
                        FAIL(s, "fsize", "cannot set the rlimit");
                s->status_room = s->status_fd >= 0 ? fsize_room(s->status_fd) : UINT64_MAX;
                s->stderr_room = fsize_room(STDERR_FILENO);
                s->fsize_set = true;
        }
}

/*
 * A supervised run (supervise.h): die with the supervisor, set after every
 * change of credentials (which clears it) and checked against a supervisor
 * that died just before; then the filter with a new listener, which goes
 * to the supervisor over the handoff socket (the prefix's sendmsg rule,
 * filter_bpf.h) before the exec closes this copy.  EBUSY: a listener is
 * already installed above us, and the kernel allows one per chain.
 */
static void supervised_last_steps(struct commit_state *s) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                FAIL(s, "supervisor", "cannot set the parent-death signal");
        if (getppid() != s->pr->supervisor_pid) {
                errno = ESRCH;
                FAIL(s, "supervisor", "has exited");
        }
        struct sock_fprog prog = {.len = (unsigned short) s->pr->filter.len, .filter = s->pr->filter.bpf};
        /* Wait killable once the supervisor has the call (Linux 5.19): else a
         * signal that arrives while it answers interrupts the call, which a
         * plain run would never see fail with EINTR. */
        int listener = (int) syscall(
                SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &prog);
        if (listener < 0 && errno == EINVAL)
                listener = (int) syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                                         SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
        if (listener < 0 && errno == EBUSY)
                FAIL(s, "seccomp filter",
                     "another supervisor's listener is already installed (sealrun --explain or learn inside "
                     "another)");
        if (listener < 0)
                FAIL(s, "seccomp filter", "cannot load with a listener");
        s->filter_loaded = true;
        int r = sealfd_send(s->p->handoff_fd, &listener, 1, NULL, 0);
        if (r < 0) {
                errno = -r;
                FAIL(s, "supervisor", "cannot hand over the seccomp listener");
        }
}

static _Noreturn void do_exec(struct commit_state *s) {
        const struct plan *p = s->p;
        /* Asked before the filter is loaded: the policy need not allow getpid. */
        pid_t pid = getpid();
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                FAIL(s, "no_new_privs", "cannot set");
        if (s->pr->landlock_fd >= 0) {
                int r = landlock_restrict(s->pr->landlock_fd);
                if (r < 0) {
                        errno = -r;
                        FAIL(s, "landlock", "cannot enforce the ruleset");
                }
                s->pr->landlock_fd = safe_close(s->pr->landlock_fd);
        }
        /* Before the filter, which may forbid rt_sigprocmask for the SIGPIPE
         * guard; a failure to load it still follows as an error line. */
        status_write_exec(s->status_fd, pid, p->program, s->pr->landlock_status, true);
        set_fsize(s);
        const struct filter *f = &s->pr->filter;
        if (s->pr->supervisor_pid)
                supervised_last_steps(s);
        else if (f->bpf) {
                /* Flags 0, as seccomp_load() uses them: no TSYNC (one thread). */
                struct sock_fprog prog = {.len = (unsigned short) f->len, .filter = f->bpf};
                if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
                        FAIL(s, "seccomp filter", "cannot load");
                s->filter_loaded = true;
        }
        /* The exact pointers the filter's execveat rule matches (prepare
         * placed them for every sealed exec). */
        const struct exec_args *x = &s->pr->exec;
        if (p->binary_fd >= 0)
                syscall(SYS_execveat, p->binary_fd, x->empty, x->argv, x->envp, AT_EMPTY_PATH);
        else
                execve(s->pr->exec_path, p->argv, p->envp);
        int err = errno;
        char thing[512];
        snprintf(thing, sizeof(thing), "program '%s'", p->program);
        fail(s, "exec", err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE, err, thing, "cannot execute");
}

void commit_run(const struct plan *p, struct prepared *pr) {
        struct commit_state s = {.p = p, .pr = pr, .status_fd = p->status_fd_source};
        close_all_but_sources(&s);
        place_fds(&s);
        rewind_inputs(&s);
        set_environment_and_cwd(&s);
        set_rlimits(&s);
        reset_signals(&s);
        set_capabilities(&s);
        do_exec(&s);
}
