/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The supervisor of a supervised run, see supervise.h. */
#include "supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "commit.h"

#define STAGE "supervise"

/* A pidfd for a thread, not only a thread-group leader (Linux 6.9). */
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

/* As a shell reports a death by SIGSYS, which the filter would have sent. */
#define EXIT_KILLED_BY_POLICY (128 + SIGSYS)

static const int forwarded_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

struct supervisor {
        const struct supervise_handler *h;
        pid_t target;
        int target_pidfd;
        int handoff; /* our end of the socket the listener comes over; -1 once done */
        int listener;
        int sigfd;
        bool target_reaped;
        siginfo_t target_exit;
        bool killed_target; /* a kill-process decision hit the target's own process */
        bool listener_received;
        bool exec_failed; /* the child said so over the handoff socket */
        struct seccomp_notif *req;
        struct seccomp_notif_resp *resp;
};

int supervise_check_support(struct launch_error *e) {
        uint32_t action = SECCOMP_RET_USER_NOTIF;
        if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) < 0)
                return launch_error_set(e, STAGE, errno, "seccomp user notification",
                                        "not available in this kernel (Linux 5.5 or later needed): %s",
                                        strerror(errno));
        return 0;
}

/* LISTEN_PID names the process the fds are for: the target, whose pid is
 * known only in the child. */
static void set_listen_pid(struct plan *p, pid_t pid) {
        for (size_t i = 0; i < p->n_envp; i++)
                if (!strncmp(p->envp[i], "LISTEN_PID=", 11)) {
                        char *v = NULL;
                        if (asprintf(&v, "LISTEN_PID=%d", (int) pid) < 0)
                                _exit(EXIT_LAUNCHER_FAILED);
                        free(p->envp[i]);
                        p->envp[i] = v;
                }
}

static _Noreturn void run_child(struct plan *p, struct prepared *pr, pid_t supervisor, int handoff) {
        /* Set at once so a supervisor killed from here on takes the child
         * along; commit sets it again right before the exec, after any
         * change of credentials, which clears it. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != supervisor)
                _exit(EXIT_LAUNCHER_FAILED);
        pr->handoff_fd = handoff;
        pr->supervisor_pid = supervisor;
        set_listen_pid(p, getpid());
        commit_run(p, pr);
}

/* The listener from the child, or -1: the child closed its end first (a
 * commit failure, reported by the child itself). */
static int receive_listener(int sock) {
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(int))];
        } control;
        char byte;
        struct iovec iov = {.iov_base = &byte, .iov_len = 1};
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.buf,
                            .msg_controllen = sizeof(control.buf)};
        ssize_t n;
        do
                n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL;
        if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
            c->cmsg_len != CMSG_LEN(sizeof(int)))
                return -1;
        int fd;
        memcpy(&fd, CMSG_DATA(c), sizeof(fd));
        return fd;
}

/* The caller's thread group from /proc, or -1 when /proc cannot tell. */
static pid_t thread_group_of(pid_t tid) {
        char path[64], line[256];
        snprintf(path, sizeof(path), "/proc/%d/status", (int) tid);
        FILE *f = fopen(path, "re");
        pid_t tgid = -1;
        while (f && tgid < 0 && fgets(line, sizeof(line), f))
                if (!strncmp(line, "Tgid:", 5))
                        tgid = (pid_t) atoi(line + 5);
        if (f)
                fclose(f);
        return tgid;
}

/* Kill the caller's whole process, race-free: the pidfd is opened first,
 * then the notification is checked to be still pending, so the pid cannot
 * have been reused by then.  SIGKILL to any thread ends the whole group.
 * No answer is sent: the call never returns.  When no pidfd can be had the
 * call fails with ENOSYS instead of running (fail closed). */
static void kill_caller(struct supervisor *s) {
        pid_t tid = (pid_t) s->req->pid;
        pid_t tgid = thread_group_of(tid);
        int pidfd = pidfd_open(tid, PIDFD_THREAD);
        if (pidfd < 0 && errno == EINVAL)
                pidfd = pidfd_open(tgid > 0 ? tgid : tid, 0);
        if (pidfd < 0) {
                fprintf(stderr, "sealrun: cannot kill pid %d: %s; its call fails with ENOSYS instead\n",
                        (int) tid, strerror(errno));
                *s->resp = (struct seccomp_notif_resp){.id = s->req->id, .error = -ENOSYS};
                (void) seccomp_notify_respond(s->listener, s->resp);
                return;
        }
        if (seccomp_notify_id_valid(s->listener, s->req->id) == 0 &&
            pidfd_send_signal(pidfd, SIGKILL, NULL, 0) == 0 && (tgid == s->target || tid == s->target))
                s->killed_target = true;
        close(pidfd);
}

static void handle_notification(struct supervisor *s) {
        memset(s->req, 0, sizeof(*s->req));
        if (seccomp_notify_receive(s->listener, s->req) < 0)
                return; /* the caller died (a signal) before it was read */
        int err = 0;
        struct supervise_call c = {
                .pid = (pid_t) s->req->pid, .data = &s->req->data, .listener = s->listener, .id = s->req->id};
        enum supervise_answer a = s->h->call(s->h->userdata, &c, &err);
        if (a == SUPERVISE_KILL) {
                kill_caller(s);
                return;
        }
        *s->resp = (struct seccomp_notif_resp){.id = s->req->id};
        if (a == SUPERVISE_ERRNO)
                s->resp->error = -err;
        else
                s->resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        (void) seccomp_notify_respond(s->listener, s->resp); /* ENOENT: the caller is gone */
}

ssize_t supervise_call_read_string(const struct supervise_call *c, uint64_t addr, char *buf, size_t size) {
        size_t len = 0;
        /* Page by page: the string may end just before an unmapped page. */
        while (len < size) {
                uint64_t at = addr + len;
                size_t chunk = 4096 - (size_t) (at % 4096);
                if (chunk > size - len)
                        chunk = size - len;
                struct iovec local = {.iov_base = buf + len, .iov_len = chunk};
                struct iovec remote = {.iov_base = (void *) (uintptr_t) at, .iov_len = chunk};
                ssize_t n = process_vm_readv(c->pid, &local, 1, &remote, 1, 0);
                if (n <= 0)
                        return n < 0 ? -errno : -EFAULT;
                char *nul = memchr(buf + len, '\0', (size_t) n);
                len += (size_t) n;
                if (nul)
                        return seccomp_notify_id_valid(c->listener, c->id) == 0 ? nul - buf : -ESRCH;
        }
        return -ENAMETOOLONG;
}

/* The target and any orphan of its that came to us (we are a subreaper). */
static void reap(struct supervisor *s) {
        for (;;) {
                siginfo_t si = {0};
                if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG) < 0 || si.si_pid == 0)
                        return;
                if (si.si_pid == s->target) {
                        s->target_reaped = true;
                        s->target_exit = si;
                }
        }
}

/* Once the target has exited, the processes it left (our children: we
 * are a subreaper) get the signal instead, so SIGINT still ends a run that
 * waits for them.  A pid listed is ours until we reap it, here, later. */
static void signal_orphans(int sig) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int) getpid());
        FILE *f = fopen(path, "re");
        int pid;
        while (f && fscanf(f, "%d", &pid) == 1)
                (void) kill(pid, sig);
        if (f)
                fclose(f);
}

static void handle_signals(struct supervisor *s) {
        struct signalfd_siginfo si;
        while (read(s->sigfd, &si, sizeof(si)) == (ssize_t) sizeof(si)) {
                if (si.ssi_signo == SIGCHLD)
                        reap(s);
                else if (!s->target_reaped)
                        (void) pidfd_send_signal(s->target_pidfd, (int) si.ssi_signo, NULL, 0);
                else
                        signal_orphans((int) si.ssi_signo);
        }
}

/* First the listener; then, on the same socket, EOF when the exec closed
 * it, or one message when sealrun's own exec failed after the filter was
 * loaded (commit.c): its exit status and the line it could not print. */
static void handle_handoff(struct supervisor *s) {
        if (!s->listener_received) {
                s->listener = receive_listener(s->handoff);
                s->listener_received = s->listener >= 0;
                if (s->listener_received)
                        return;
        } else {
                char message[1024];
                ssize_t n = recv(s->handoff, message, sizeof(message) - 1, MSG_DONTWAIT);
                if (n < 0 && (errno == EAGAIN || errno == EINTR))
                        return;
                if (n > 0) {
                        s->exec_failed = true;
                        message[n] = '\0';
                        if (n > 1)
                                fputs(message + 1, stderr);
                }
        }
        close(s->handoff);
        s->handoff = -1;
}

static void serve(struct supervisor *s) {
        while (!s->target_reaped || s->handoff >= 0 || s->listener >= 0) {
                struct pollfd fds[] = {
                        {.fd = s->sigfd, .events = POLLIN},
                        {.fd = s->handoff, .events = POLLIN},
                        {.fd = s->listener, .events = POLLIN},
                };
                if (poll(fds, 3, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        fprintf(stderr, "sealrun: supervisor: poll: %s\n", strerror(errno));
                        return;
                }
                if (fds[0].revents)
                        handle_signals(s);
                if (fds[1].revents)
                        handle_handoff(s);
                if (fds[2].revents & POLLIN)
                        handle_notification(s);
                else if (fds[2].revents) {
                        /* No process is left under the filter. */
                        close(s->listener);
                        s->listener = -1;
                }
        }
}

static int exit_status(const struct supervisor *s) {
        const siginfo_t *si = &s->target_exit;
        if (si->si_code == CLD_EXITED)
                return si->si_status;
        if (si->si_status == SIGKILL && s->killed_target)
                return EXIT_KILLED_BY_POLICY;
        return 128 + si->si_status;
}

/* Signals the supervisor takes through a signalfd: the forwarded ones and
 * SIGCHLD.  Blocked before the fork; commit empties the child's mask. */
static int block_signals(sigset_t *set) {
        sigemptyset(set);
        for (size_t i = 0; i < sizeof(forwarded_signals) / sizeof(forwarded_signals[0]); i++)
                sigaddset(set, forwarded_signals[i]);
        sigaddset(set, SIGCHLD);
        if (sigprocmask(SIG_BLOCK, set, NULL) < 0)
                return -1;
        return signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int fail(const char *what) {
        fprintf(stderr, "sealrun: supervisor: %s: %s\n", what, strerror(errno));
        return EXIT_LAUNCHER_FAILED;
}

static void describe_outcome(const struct supervisor *s, struct supervise_outcome *ret) {
        if (!ret)
                return;
        *ret = (struct supervise_outcome){.started = s->listener_received, .exec_failed = s->exec_failed};
        if (s->target_reaped) {
                ret->signalled = s->target_exit.si_code != CLD_EXITED;
                ret->status = s->target_exit.si_status;
        }
}

int supervise_run(struct plan *p, struct prepared *pr, const struct supervise_handler *h,
                  struct supervise_outcome *ret) {
        struct supervisor s = {.h = h, .listener = -1};
        int sv[2];
        sigset_t set;
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
                return fail("socketpair");
        if ((s.sigfd = block_signals(&set)) < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0 ||
            seccomp_notify_alloc(&s.req, &s.resp) < 0)
                return fail("setup");
        pid_t supervisor = getpid();
        fflush(NULL);
        s.target = fork();
        if (s.target < 0)
                return fail("fork");
        if (s.target == 0) {
                close(sv[0]);
                close(s.sigfd);
                run_child(p, pr, supervisor, sv[1]);
        }
        close(sv[1]);
        s.handoff = sv[0];
        /* The child is ours and unreaped: its pid cannot be reused yet. */
        s.target_pidfd = pidfd_open(s.target, 0);
        if (s.target_pidfd < 0) {
                kill(s.target, SIGKILL);
                fail("pidfd_open");
        }
        signal(SIGPIPE, SIG_IGN); /* a closed status pipe must not end the supervisor */
        serve(&s);
        seccomp_notify_free(s.req, s.resp);
        describe_outcome(&s, ret);
        close(s.sigfd);
        if (s.target_pidfd >= 0)
                close(s.target_pidfd);
        return s.target_reaped ? exit_status(&s) : EXIT_LAUNCHER_FAILED;
}
