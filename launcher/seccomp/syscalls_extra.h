/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Syscalls newer than libseccomp, generated from syscalls-extra.txt. */
#ifndef SEALRUN_SYSCALLS_EXTRA_H
#define SEALRUN_SYSCALLS_EXTRA_H

#include <stddef.h>

struct policy_extra_syscall {
        const char *arch; /* libseccomp's arch name: "x86_64", "aarch64" */
        const char *name;
        int nr;
        const char *since; /* Linux release that added it, "6.10" */
};

extern const struct policy_extra_syscall policy_extra_syscalls[];
extern const size_t policy_extra_syscalls_size;

#endif
