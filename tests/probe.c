/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The probe: a target for the launcher tests that reports, one
 * "key value..." line each on stdout, everything sealrun promises about the
 * process it execs.  Works without /proc (memfd then reads "?").
 *
 *   probe [--marker PATH] [--test-fd N]... [--try-socket] [--catch-sigsys]
 *         [--guard-fd N] [--execveat-other] [--clobber PATH] [--exit N]
 *
 *   started 1                      (after --marker PATH is created)
 *   fd N type reg|fifo|sock|chr|dir|... memfd 1|0|? seals LIST offset N size N cloexec 0|1
 *   cap_eff|cap_prm|cap_inh|cap_bnd|cap_amb 0xHEX
 *   no_new_privs 0|1
 *   sigmask 0xHEX      sigignored 0xHEX      sighandled 0xHEX   (signals 1..64, bit n-1)
 *   env NAME=VALUE     cwd PATH     rlimit NAME SOFT HARD     uid N euid N
 *   test N write|pwrite|ftruncate|fallocate|mmap_write|add_seals|fchmod_x ok|ERRNAME
 *   test N head HEX    (the first 16 bytes, read with pread)
 *   try socket ok|ERRNAME
 *   guard dup2|dupfd|setrlimit|execveat ok|ERRNAME
 *   exe PATH           clobber ok|ERRNAME      execveat other ERRNAME
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "memfd_compat.h"

extern char **environ;

static const char *errname(int e) {
        static char buf[16];
        switch (e) {
        case 0:
                return "ok";
        case EPERM:
                return "EPERM";
        case EBADF:
                return "EBADF";
        case EINVAL:
                return "EINVAL";
        case EACCES:
                return "EACCES";
        case EMFILE:
                return "EMFILE";
        case ENOENT:
                return "ENOENT";
        case EBUSY:
                return "EBUSY";
        case ETXTBSY:
                return "ETXTBSY";
        case ENOSYS:
                return "ENOSYS";
        case EXDEV:
                return "EXDEV";
        case EROFS:
                return "EROFS";
        case ENOEXEC:
                return "ENOEXEC";
        case EAFNOSUPPORT:
                return "EAFNOSUPPORT";
        default:
                snprintf(buf, sizeof(buf), "E%d", e);
                return buf;
        }
}

static const char *result(int r) {
        return errname(r < 0 ? errno : 0);
}

static const char *type_name(mode_t m) {
        switch (m & S_IFMT) {
        case S_IFREG:
                return "reg";
        case S_IFDIR:
                return "dir";
        case S_IFIFO:
                return "fifo";
        case S_IFSOCK:
                return "sock";
        case S_IFCHR:
                return "chr";
        case S_IFBLK:
                return "blk";
        case S_IFLNK:
                return "lnk";
        default:
                return "other";
        }
}

static void print_seals(int seals) {
        static const struct {
                int bit;
                const char *name;
        } names[] = {
                {F_SEAL_WRITE, "write"}, {F_SEAL_SHRINK, "shrink"}, {F_SEAL_GROW, "grow"},
                {F_SEAL_SEAL, "seal"},   {F_SEAL_EXEC, "exec"},     {F_SEAL_FUTURE_WRITE, "future-write"},
        };
        if (seals < 0) {
                fputs("none", stdout);
                return;
        }
        bool first = true;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (seals & names[i].bit) {
                        printf("%s%s", first ? "" : ",", names[i].name);
                        first = false;
                }
        if (first)
                fputs("empty", stdout);
}

static void report_fd(int fd) {
        struct stat st;
        if (fstat(fd, &st) < 0)
                return;
        char link[64], target[256] = "";
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof(target) - 1);
        const char *memfd = n < 0 ? "?" : (strncmp(target, "/memfd:", 7) ? "0" : "1");
        printf("fd %d type %s memfd %s seals ", fd, type_name(st.st_mode), memfd);
        print_seals(fcntl(fd, F_GET_SEALS));
        off_t off = lseek(fd, 0, SEEK_CUR);
        printf(" offset %lld size %lld cloexec %d\n", (long long) off, (long long) st.st_size,
               (fcntl(fd, F_GETFD) & FD_CLOEXEC) ? 1 : 0);
}

static int cmp_int(const void *a, const void *b) {
        return *(const int *) a - *(const int *) b;
}

/* /proc/self/fd when there is one (fast with a hard limit of a million);
 * else every number up to the hard limit, so a hidden /proc hides nothing. */
static bool report_fds_from_proc(void) {
        DIR *d = opendir("/proc/self/fd");
        if (!d)
                return false;
        int self = dirfd(d), fds[4096];
        size_t n = 0;
        for (struct dirent *e; (e = readdir(d)) && n < 4096;)
                if (e->d_name[0] != '.' && atoi(e->d_name) != self)
                        fds[n++] = atoi(e->d_name);
        closedir(d);
        qsort(fds, n, sizeof(int), cmp_int);
        for (size_t i = 0; i < n; i++)
                report_fd(fds[i]);
        return true;
}

static void report_fds(void) {
        if (report_fds_from_proc())
                return;
        struct rlimit rl;
        long max = 65536;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY &&
            (long) rl.rlim_max + 64 > max)
                max = (long) rl.rlim_max + 64;
        if (max > (1 << 20))
                max = 1 << 20;
        for (int fd = 0; fd < max; fd++)
                if (fcntl(fd, F_GETFD) >= 0)
                        report_fd(fd);
}

static void report_caps(void) {
        struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
        struct __user_cap_data_struct d[2] = {0};
        if (syscall(SYS_capget, &h, d) < 0)
                return;
        uint64_t eff = d[0].effective | (uint64_t) d[1].effective << 32;
        uint64_t prm = d[0].permitted | (uint64_t) d[1].permitted << 32;
        uint64_t inh = d[0].inheritable | (uint64_t) d[1].inheritable << 32;
        uint64_t bnd = 0, amb = 0;
        for (int c = 0; c < 64; c++) {
                if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
                        bnd |= UINT64_C(1) << c;
                if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) == 1)
                        amb |= UINT64_C(1) << c;
        }
        printf("cap_eff 0x%" PRIx64 "\ncap_prm 0x%" PRIx64 "\ncap_inh 0x%" PRIx64 "\ncap_bnd 0x%" PRIx64
               "\ncap_amb 0x%" PRIx64 "\n",
               eff, prm, inh, bnd, amb);
}

static void report_signals(void) {
        sigset_t mask;
        uint64_t blocked = 0, ignored = 0, handled = 0;
        sigprocmask(SIG_SETMASK, NULL, &mask);
        for (int sig = 1; sig <= 64 && sig < _NSIG; sig++) {
                if (sigismember(&mask, sig) == 1)
                        blocked |= UINT64_C(1) << (sig - 1);
                /* The raw call: glibc's sigaction() refuses 32 and 33
                 * without asking the kernel.  The handler is the first
                 * field of the kernel's struct sigaction on every arch. */
                unsigned long ksa[4] = {0};
                if (syscall(SYS_rt_sigaction, sig, NULL, ksa, 8) < 0)
                        continue;
                if (ksa[0] == (unsigned long) SIG_IGN)
                        ignored |= UINT64_C(1) << (sig - 1);
                else if (ksa[0] != (unsigned long) SIG_DFL)
                        handled |= UINT64_C(1) << (sig - 1);
        }
        printf("sigmask 0x%" PRIx64 "\nsigignored 0x%" PRIx64 "\nsighandled 0x%" PRIx64 "\n", blocked,
               ignored, handled);
}

static void report_rlimits(void) {
        static const struct {
                int r;
                const char *name;
        } names[] = {
                {RLIMIT_NOFILE, "nofile"}, {RLIMIT_AS, "as"},       {RLIMIT_CORE, "core"},
                {RLIMIT_CPU, "cpu"},       {RLIMIT_FSIZE, "fsize"}, {RLIMIT_NPROC, "nproc"},
                {RLIMIT_STACK, "stack"},   {RLIMIT_DATA, "data"},
        };
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                struct rlimit rl;
                if (getrlimit(names[i].r, &rl) < 0)
                        continue;
                printf("rlimit %s ", names[i].name);
                if (rl.rlim_cur == RLIM_INFINITY)
                        fputs("unlimited ", stdout);
                else
                        printf("%llu ", (unsigned long long) rl.rlim_cur);
                if (rl.rlim_max == RLIM_INFINITY)
                        puts("unlimited");
                else
                        printf("%llu\n", (unsigned long long) rl.rlim_max);
        }
}

/* Every route to change an input: each must fail. */
static void test_fd(int fd) {
        unsigned char head[16];
        ssize_t n = pread(fd, head, sizeof(head), 0);
        printf("test %d head ", fd);
        for (ssize_t i = 0; i < n; i++)
                printf("%02x", head[i]);
        putchar('\n');
        printf("test %d write %s\n", fd, result((int) write(fd, "x", 1)));
        printf("test %d pwrite %s\n", fd, result((int) pwrite(fd, "x", 1, 0)));
        printf("test %d ftruncate %s\n", fd, result(ftruncate(fd, 0)));
        printf("test %d grow %s\n", fd, result(ftruncate(fd, 1 << 20)));
        printf("test %d fallocate %s\n", fd, result(fallocate(fd, 0, 0, 1 << 20)));
        void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        printf("test %d mmap_write %s\n", fd, m == MAP_FAILED ? errname(errno) : "ok");
        printf("test %d add_seals %s\n", fd, result(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE)));
        printf("test %d fchmod_x %s\n", fd, result(fchmod(fd, 0755)));
        struct stat st;
        if (fstat(fd, &st) == 0)
                printf("test %d mode %o\n", fd, (unsigned) (st.st_mode & 07777));
}

/* Try to bring a different file to the sealed binary's fd number. */
static void guard_fd(int target) {
        int fd = open("/dev/null", O_RDONLY);
        printf("guard dup2 %s\n", result(dup2(fd, target)));
        printf("guard dupfd %s\n", result(fcntl(fd, F_DUPFD, target)));
        struct rlimit rl = {(rlim_t) target + 16, (rlim_t) target + 16};
        printf("guard setrlimit %s\n", result(setrlimit(RLIMIT_NOFILE, &rl)));
        char *argv[] = {"x", NULL};
        fflush(stdout);
        printf("guard execveat %s\n",
               result((int) syscall(SYS_execveat, target, "", argv, environ, AT_EMPTY_PATH)));
}

static void on_sigsys(int sig, siginfo_t *info, void *ctx) {
        char buf[64];
        int n = snprintf(buf, sizeof(buf), "sigsys caught syscall %d\n", info->si_syscall);
        (void) !write(STDOUT_FILENO, buf, (size_t) n);
        _exit(42);
}

int main(int argc, char **argv) {
        int exit_status = 0;
        setvbuf(stdout, NULL, _IOLBF, 0);
        for (int i = 1; i < argc; i++)
                if (!strcmp(argv[i], "--marker") && i + 1 < argc) {
                        int fd = open(argv[++i], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                        if (fd >= 0)
                                close(fd);
                }
        puts("started 1");
        report_fds();
        report_caps();
        printf("no_new_privs %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
        report_signals();
        for (char **e = environ; *e; e++)
                printf("env %s\n", *e);
        char cwd[4096];
        printf("cwd %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
        report_rlimits();
        printf("uid %d\neuid %d\n", (int) getuid(), (int) geteuid());
        char exe[256] = "";
        if (readlink("/proc/self/exe", exe, sizeof(exe) - 1) > 0)
                printf("exe %s\n", exe);
        for (int i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--marker"))
                        i++;
                else if (!strcmp(argv[i], "--test-fd") && i + 1 < argc)
                        test_fd(atoi(argv[++i]));
                else if (!strcmp(argv[i], "--catch-sigsys")) {
                        struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
                        sigaction(SIGSYS, &sa, NULL);
                } else if (!strcmp(argv[i], "--try-socket")) {
                        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
                        printf("try socket %s\n", result(s));
                } else if (!strcmp(argv[i], "--guard-fd") && i + 1 < argc)
                        guard_fd(atoi(argv[++i]));
                else if (!strcmp(argv[i], "--execveat-other")) {
                        /* The launcher's execveat rule is for its own fd only. */
                        int fd = open("/bin/true", O_RDONLY | O_CLOEXEC);
                        char *args[] = {"true", NULL};
                        fflush(stdout);
                        syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH);
                        printf("execveat other %s\n", errname(errno));
                } else if (!strcmp(argv[i], "--clobber") && i + 1 < argc) {
                        int fd = open(argv[++i], O_WRONLY | O_TRUNC | O_CLOEXEC);
                        int r = fd < 0 ? -1 : (int) write(fd, "clobbered\n", 10);
                        printf("clobber %s\n", result(r));
                        if (fd >= 0)
                                close(fd);
                } else if (!strcmp(argv[i], "--exit") && i + 1 < argc)
                        exit_status = atoi(argv[++i]);
        }
        puts("done 1");
        return exit_status;
}
