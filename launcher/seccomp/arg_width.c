/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How many bits of each syscall argument the kernel reads.
 *
 * Every argument arrives in a 64-bit register, but the kernel's
 * SYSCALL_DEFINE wrappers cast each one to its declared type first: an
 * `unsigned int cmd` keeps the low 32 bits, a `umode_t mode` the low 16.
 * A filter that compares all 64 bits of such an argument can be walked
 * around: ioctl(fd, (1 << 32) | TIOCSTI) is not TIOCSTI to the filter, and
 * is TIOCSTI to the kernel (CVE-2019-10063).  So comparisons on these
 * arguments are made on the bits the kernel reads (lower.c, rules.c).
 *
 * The table lists, per syscall, one letter per argument from arg0: 'i' for
 * a 32-bit type (int, unsigned int, pid_t, uid_t, gid_t, clockid_t,
 * key_serial_t, rwf_t, u32, and the `unsigned long fd` arguments that the
 * kernel narrows to unsigned int when it looks the fd up), 'h' for a 16-bit
 * umode_t, and 'l' (or nothing, past the end) for a 64-bit long, size_t,
 * offset or pointer.  The types are those of the kernel's SYSCALL_DEFINE
 * for x86_64 and aarch64, which agree. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "arg_width.h"

static const struct {
        const char *name;
        const char *args;
} arg_types[] = {
        {"accept", "i"},
        {"accept4", "illi"},
        {"access", "li"},
        {"add_key", "lllli"},
        {"alarm", "i"},
        {"arch_prctl", "i"},
        {"bind", "ili"},
        {"bpf", "ili"},
        {"cachestat", "i"},
        {"chmod", "lh"},
        {"chown", "lii"},
        {"clock_adjtime", "i"},
        {"clock_getres", "i"},
        {"clock_gettime", "i"},
        {"clock_nanosleep", "ii"},
        {"clock_settime", "i"},
        {"clone", "i"}, /* since 5.3 the flags are read as lower_32_bits() */
        {"close", "i"},
        {"close_range", "iii"},
        {"connect", "ili"},
        {"copy_file_range", "ililli"},
        {"creat", "lh"},
        {"delete_module", "li"},
        {"dup", "i"},
        {"dup2", "ii"},
        {"dup3", "iii"},
        {"epoll_create", "i"},
        {"epoll_create1", "i"},
        {"epoll_ctl", "iii"},
        {"epoll_pwait", "ilii"},
        {"epoll_pwait2", "ili"},
        {"epoll_wait", "ilii"},
        {"eventfd", "i"},
        {"eventfd2", "ii"},
        {"execveat", "illli"},
        {"exit", "i"},
        {"exit_group", "i"},
        {"faccessat", "ili"},
        {"faccessat2", "ilii"},
        {"fadvise64", "illi"},
        {"fallocate", "ii"},
        {"fanotify_init", "ii"},
        {"fanotify_mark", "iilil"},
        {"fchdir", "i"},
        {"fchmod", "ih"},
        {"fchmodat", "ilh"},
        {"fchmodat2", "ilhi"},
        {"fchown", "iii"},
        {"fchownat", "iliii"},
        {"fcntl", "ii"},
        {"fdatasync", "i"},
        {"fgetxattr", "i"},
        {"finit_module", "ili"},
        {"flistxattr", "i"},
        {"flock", "ii"},
        {"fremovexattr", "i"},
        {"fsconfig", "iilli"},
        {"fsetxattr", "illli"},
        {"fsmount", "iii"},
        {"fsopen", "li"},
        {"fspick", "ili"},
        {"fstat", "i"},
        {"fstatfs", "i"},
        {"fsync", "i"},
        {"ftruncate", "i"},
        {"futex", "liilli"},
        {"futex_requeue", "liii"},
        {"futex_wait", "lllili"},
        {"futex_waitv", "liili"},
        {"futex_wake", "llii"},
        {"futimesat", "i"},
        {"get_robust_list", "i"},
        {"getdents", "ili"},
        {"getdents64", "ili"},
        {"getgroups", "i"},
        {"getitimer", "i"},
        {"getpeername", "i"},
        {"getpgid", "i"},
        {"getpriority", "ii"},
        {"getrandom", "lli"},
        {"getrlimit", "i"},
        {"getrusage", "i"},
        {"getsid", "i"},
        {"getsockname", "i"},
        {"getsockopt", "iii"},
        {"getxattrat", "ili"},
        {"inotify_add_watch", "ili"},
        {"inotify_init1", "i"},
        {"inotify_rm_watch", "ii"},
        {"io_setup", "i"},
        {"io_uring_enter", "iiii"},
        {"io_uring_register", "iili"},
        {"io_uring_setup", "i"},
        {"ioctl", "ii"},
        {"ioperm", "lli"},
        {"iopl", "i"},
        {"ioprio_get", "ii"},
        {"ioprio_set", "iii"},
        {"kcmp", "iii"},
        {"kexec_file_load", "ii"},
        {"keyctl", "i"},
        {"kill", "ii"},
        {"landlock_add_rule", "iili"},
        {"landlock_create_ruleset", "lli"},
        {"landlock_restrict_self", "ii"},
        {"lchown", "lii"},
        {"linkat", "ilili"},
        {"listen", "ii"},
        {"listmount", "llli"},
        {"listxattrat", "ili"},
        {"lseek", "ili"},
        {"lsm_get_self_attr", "illi"},
        {"lsm_list_modules", "lli"},
        {"lsm_set_self_attr", "ilii"},
        {"madvise", "lli"},
        {"mbind", "llllli"},
        {"membarrier", "iii"},
        {"memfd_create", "li"},
        {"memfd_secret", "i"},
        {"migrate_pages", "i"},
        {"mkdir", "lh"},
        {"mkdirat", "ilh"},
        {"mknod", "lhi"},
        {"mknodat", "ilhi"},
        {"mlock2", "lli"},
        {"mlockall", "i"},
        {"mmap", "lllli"}, /* the fd is looked up as an unsigned int */
        {"modify_ldt", "i"},
        {"mount_setattr", "ili"},
        {"move_mount", "ilili"},
        {"move_pages", "illlli"},
        {"mq_getsetattr", "i"},
        {"mq_notify", "i"},
        {"mq_open", "lih"},
        {"mq_timedreceive", "i"},
        {"mq_timedsend", "illi"},
        {"msgctl", "ii"},
        {"msgget", "ii"},
        {"msgrcv", "illli"},
        {"msgsnd", "illi"},
        {"msync", "lli"},
        {"name_to_handle_at", "illli"},
        {"newfstatat", "illi"},
        {"open", "lih"},
        {"open_by_handle_at", "ili"},
        {"open_tree", "ili"},
        {"open_tree_attr", "ili"},
        {"openat", "ilih"},
        {"openat2", "i"},
        {"perf_event_open", "liii"},
        {"personality", "i"},
        {"pidfd_getfd", "iii"},
        {"pidfd_open", "ii"},
        {"pidfd_send_signal", "iili"},
        {"pipe2", "li"},
        {"pkey_free", "i"},
        {"pkey_mprotect", "llli"},
        {"poll", "lii"},
        {"ppoll", "li"},
        {"prctl", "i"},
        {"pread64", "i"},
        {"preadv", "i"},
        {"preadv2", "illlli"},
        {"prlimit64", "ii"},
        {"process_madvise", "illii"},
        {"process_mrelease", "ii"},
        {"process_vm_readv", "i"},
        {"process_vm_writev", "i"},
        {"pselect6", "i"},
        {"ptrace", "li"},
        {"pwrite64", "i"},
        {"pwritev", "i"},
        {"pwritev2", "illlli"},
        {"quotactl", "ili"},
        {"quotactl_fd", "iii"},
        {"read", "i"},
        {"readahead", "i"},
        {"readlink", "lli"},
        {"readlinkat", "illi"},
        {"readv", "i"},
        {"reboot", "iii"},
        {"recvfrom", "illi"},
        {"recvmmsg", "ilii"},
        {"recvmsg", "ili"},
        {"removexattrat", "ili"},
        {"renameat", "ilil"},
        {"renameat2", "ilili"},
        {"request_key", "llli"},
        {"rseq", "liii"},
        {"rt_sigaction", "i"},
        {"rt_sigprocmask", "i"},
        {"rt_sigqueueinfo", "ii"},
        {"rt_tgsigqueueinfo", "iii"},
        {"sched_get_priority_max", "i"},
        {"sched_get_priority_min", "i"},
        {"sched_getaffinity", "ii"},
        {"sched_getattr", "ilii"},
        {"sched_getparam", "i"},
        {"sched_getscheduler", "i"},
        {"sched_rr_get_interval", "i"},
        {"sched_setaffinity", "ii"},
        {"sched_setattr", "ili"},
        {"sched_setparam", "i"},
        {"sched_setscheduler", "ii"},
        {"seccomp", "ii"},
        {"select", "i"},
        {"semctl", "iii"},
        {"semget", "iii"},
        {"semop", "ili"},
        {"semtimedop", "ili"},
        {"sendfile", "ii"},
        {"sendmmsg", "ilii"},
        {"sendmsg", "ili"},
        {"sendto", "illili"},
        {"set_mempolicy", "i"},
        {"setdomainname", "li"},
        {"setfsgid", "i"},
        {"setfsuid", "i"},
        {"setgid", "i"},
        {"setgroups", "i"},
        {"sethostname", "li"},
        {"setitimer", "i"},
        {"setns", "ii"},
        {"setpgid", "ii"},
        {"setpriority", "iii"},
        {"setregid", "ii"},
        {"setresgid", "iii"},
        {"setresuid", "iii"},
        {"setreuid", "ii"},
        {"setrlimit", "i"},
        {"setsockopt", "iiili"},
        {"setuid", "i"},
        {"setxattr", "lllli"},
        {"setxattrat", "ili"},
        {"lsetxattr", "lllli"},
        {"shmat", "ili"},
        {"shmctl", "ii"},
        {"shmget", "ili"},
        {"shutdown", "ii"},
        {"signalfd", "i"},
        {"signalfd4", "illi"},
        {"socket", "iii"},
        {"socketpair", "iii"},
        {"splice", "ililli"},
        {"statmount", "llli"},
        {"statx", "ilii"},
        {"swapon", "li"},
        {"symlinkat", "li"},
        {"sync_file_range", "illi"},
        {"syncfs", "i"},
        {"syslog", "ili"},
        {"tee", "iili"},
        {"tgkill", "iii"},
        {"timer_create", "i"},
        {"timer_delete", "i"},
        {"timer_getoverrun", "i"},
        {"timer_gettime", "i"},
        {"timer_settime", "ii"},
        {"timerfd_create", "ii"},
        {"timerfd_gettime", "i"},
        {"timerfd_settime", "ii"},
        {"tkill", "ii"},
        {"umask", "i"},
        {"umount2", "li"},
        {"unlinkat", "ili"},
        {"userfaultfd", "i"},
        {"utimensat", "illi"},
        {"vmsplice", "illi"},
        {"wait4", "ili"},
        {"waitid", "iili"},
        {"write", "i"},
        {"writev", "i"},
};

unsigned policy_arg_width(const char *syscall, unsigned arg) {
        for (size_t i = 0; i < sizeof(arg_types) / sizeof(arg_types[0]); i++) {
                if (strcmp(arg_types[i].name, syscall))
                        continue;
                if (arg >= strlen(arg_types[i].args))
                        return 64;
                switch (arg_types[i].args[arg]) {
                case 'i':
                        return 32;
                case 'h':
                        return 16;
                default:
                        return 64;
                }
        }
        return 64;
}

uint64_t policy_width_mask(unsigned width) {
        return width >= 64 ? UINT64_MAX : (UINT64_C(1) << width) - 1;
}

/* A value fits a narrow argument when it is a value of that width, or one
 * sign-extended to 64 bits (AT_FDCWD is -100: 0xffffffffffffff9c).  A
 * mask (`in`, `&`) only has to have a bit there: `arg3 in
 * O_RDONLY|O_CLOEXEC` on a 16-bit mode is a real, if odd, policy. */
int policy_atom_narrow(struct atom *a, unsigned width) {
        uint64_t mask = policy_width_mask(width);
        if (width >= 64)
                return 0;
        bool fits = a->value <= mask || (a->value | (mask >> 1)) == UINT64_MAX;
        if (a->op == ATOM_IN)
                fits = true;
        else if (a->op == ATOM_ANY_BITS)
                fits = (a->value & mask) != 0 || a->value == 0;
        if (!fits)
                return -ERANGE;
        a->value &= mask;
        a->width = (uint8_t) width;
        return 0;
}
