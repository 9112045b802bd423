/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the arguments of common syscalls mean (syscall_decode.h): how many
 * there are, which ones a name explains, and which ones a learned policy
 * compares.  The kernel's own prototypes (include/linux/syscalls.h) give
 * the order; a syscall missing here prints its arguments in hex.
 */
#include <stdlib.h>
#include <string.h>

#include "syscall_decode.h"

#define H ARG_HEX
#define I ARG_INT
#define FD ARG_FD
#define BIT(n) (1u << (n))

/* Sorted by name (bsearch). */
static const struct syscall_signature signatures[] = {
        {"accept4", 4, {FD, H, H, ARG_SOCKET_TYPE}, 0},
        {"access", 2, {H, I}, 0},
        {"arch_prctl", 2, {I, H}, 0},
        {"bind", 3, {FD, H, I}, 0},
        {"brk", 1, {H}, 0},
        {"chdir", 1, {H}, 0},
        {"clone", 5, {ARG_CLONE_FLAGS, H, H, H, H}, BIT(0)},
        {"clone3", 2, {H, I}, 0},
        {"close", 1, {FD}, 0},
        {"connect", 3, {FD, H, I}, 0},
        {"dup", 1, {FD}, 0},
        {"dup2", 2, {FD, FD}, 0},
        {"dup3", 3, {FD, FD, ARG_OPEN_FLAGS}, 0},
        {"execve", 3, {H, H, H}, 0},
        {"execveat", 5, {FD, H, H, H, H}, 0},
        {"exit", 1, {I}, 0},
        {"exit_group", 1, {I}, 0},
        {"faccessat", 3, {FD, H, I}, 0},
        {"faccessat2", 4, {FD, H, I, H}, 0},
        {"fadvise64", 4, {FD, I, I, I}, 0},
        {"fchdir", 1, {FD}, 0},
        {"fcntl", 3, {FD, ARG_FCNTL, H}, BIT(1)},
        {"fork", 0, {0}, 0},
        {"fstat", 2, {FD, H}, 0},
        {"fstatfs", 2, {FD, H}, 0},
        {"ftruncate", 2, {FD, I}, 0},
        {"futex", 6, {H, ARG_FUTEX_OP, I, H, H, I}, BIT(1)},
        {"getcwd", 2, {H, I}, 0},
        {"getdents64", 3, {FD, H, I}, 0},
        {"getegid", 0, {0}, 0},
        {"geteuid", 0, {0}, 0},
        {"getgid", 0, {0}, 0},
        {"getpgrp", 0, {0}, 0},
        {"getpid", 0, {0}, 0},
        {"getppid", 0, {0}, 0},
        {"getrandom", 3, {H, I, H}, 0},
        {"gettid", 0, {0}, 0},
        {"getuid", 0, {0}, 0},
        {"ioctl", 3, {FD, ARG_IOCTL, H}, BIT(1)},
        {"kill", 2, {I, ARG_SIGNAL}, BIT(1)},
        {"lseek", 3, {FD, I, I}, 0},
        {"madvise", 3, {H, I, ARG_MADVISE}, BIT(2)},
        {"mkdir", 2, {H, H}, 0},
        {"mkdirat", 3, {FD, H, H}, 0},
        {"mmap", 6, {H, I, ARG_PROT, ARG_MAP_FLAGS, FD, H}, 0},
        {"mprotect", 3, {H, I, ARG_PROT}, 0},
        {"mremap", 5, {H, I, I, H, H}, 0},
        {"munmap", 2, {H, I}, 0},
        {"newfstatat", 4, {FD, H, H, H}, 0},
        {"open", 3, {H, ARG_OPEN_FLAGS, H}, 0},
        {"openat", 4, {FD, H, ARG_OPEN_FLAGS, H}, 0},
        {"pause", 0, {0}, 0},
        {"pipe2", 2, {H, ARG_OPEN_FLAGS}, 0},
        {"pkey_mprotect", 4, {H, I, ARG_PROT, I}, 0},
        {"poll", 3, {H, I, I}, 0},
        {"prctl", 5, {ARG_PRCTL, H, H, H, H}, BIT(0)},
        {"pread64", 4, {FD, H, I, I}, 0},
        {"prlimit64", 4, {I, I, H, H}, 0},
        {"pwrite64", 4, {FD, H, I, I}, 0},
        {"read", 3, {FD, H, I}, 0},
        {"readlink", 3, {H, H, I}, 0},
        {"readlinkat", 4, {FD, H, H, I}, 0},
        {"recvfrom", 6, {FD, H, I, H, H, H}, 0},
        {"recvmsg", 3, {FD, H, H}, 0},
        {"rename", 2, {H, H}, 0},
        {"rseq", 4, {H, I, I, H}, 0},
        {"rt_sigaction", 4, {ARG_SIGNAL, H, H, I}, 0},
        {"rt_sigprocmask", 4, {I, H, H, I}, 0},
        {"rt_sigreturn", 0, {0}, 0},
        {"sched_getaffinity", 3, {I, I, H}, 0},
        {"sched_yield", 0, {0}, 0},
        {"sendmsg", 3, {FD, H, H}, 0},
        {"sendto", 6, {FD, H, I, H, H, I}, 0},
        {"set_robust_list", 2, {H, I}, 0},
        {"set_tid_address", 1, {H}, 0},
        {"setsid", 0, {0}, 0},
        {"setsockopt", 5, {FD, I, I, H, I}, 0},
        {"socket", 3, {ARG_SOCKET_FAMILY, ARG_SOCKET_TYPE, I}, BIT(0) | BIT(1)},
        {"socketpair", 4, {ARG_SOCKET_FAMILY, ARG_SOCKET_TYPE, I, H}, BIT(0) | BIT(1)},
        {"stat", 2, {H, H}, 0},
        {"statfs", 2, {H, H}, 0},
        {"statx", 5, {FD, H, H, H, H}, 0},
        {"sync", 0, {0}, 0},
        {"sysinfo", 1, {H}, 0},
        {"tgkill", 3, {I, I, ARG_SIGNAL}, BIT(2)},
        {"tkill", 2, {I, ARG_SIGNAL}, BIT(1)},
        {"umask", 1, {H}, 0},
        {"uname", 1, {H}, 0},
        {"unlink", 1, {H}, 0},
        {"unlinkat", 3, {FD, H, H}, 0},
        {"vfork", 0, {0}, 0},
        {"wait4", 4, {I, H, H, H}, 0},
        {"write", 3, {FD, H, I}, 0},
        {"writev", 3, {FD, H, I}, 0},
};

static int compare(const void *key, const void *element) {
        return strcmp(key, ((const struct syscall_signature *) element)->name);
}

const struct syscall_signature *syscall_signature_find(const char *name) {
        return bsearch(name, signatures, sizeof(signatures) / sizeof(signatures[0]), sizeof(signatures[0]),
                       compare);
}
