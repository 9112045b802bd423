/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Syscall names to numbers: libseccomp's table, then ours for newer calls. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy_internal.h"
#include "syscalls_extra.h"

uint32_t policy_arch_native(void) {
        return seccomp_arch_native();
}

static const char *arch_name(uint32_t arch) {
        switch (arch) {
        case SCMP_ARCH_X86_64:
                return "x86_64";
        case SCMP_ARCH_AARCH64:
                return "aarch64";
        default:
                return NULL;
        }
}

int policy_syscall_resolve(uint32_t arch, const char *name, int *ret_nr) {
        int nr = seccomp_syscall_resolve_name_arch(arch, name);
        /* Negative numbers are libseccomp's pseudo-syscalls: names the arch
         * lacks, which a filter could never match. */
        if (nr >= 0) {
                *ret_nr = nr;
                return 0;
        }
        const char *a = arch_name(arch);
        for (size_t i = 0; a && i < policy_extra_syscalls_size; i++)
                if (!strcmp(policy_extra_syscalls[i].arch, a) &&
                    !strcmp(policy_extra_syscalls[i].name, name)) {
                        *ret_nr = policy_extra_syscalls[i].nr;
                        return 0;
                }
        return -ENOENT;
}

const char *policy_extra_syscall(uint32_t arch, size_t i, int *ret_nr, const char **ret_since) {
        const char *a = arch_name(arch);
        for (size_t k = 0; a && k < policy_extra_syscalls_size; k++) {
                if (strcmp(policy_extra_syscalls[k].arch, a))
                        continue;
                if (i-- == 0) {
                        *ret_nr = policy_extra_syscalls[k].nr;
                        if (ret_since)
                                *ret_since = policy_extra_syscalls[k].since;
                        return policy_extra_syscalls[k].name;
                }
        }
        return NULL;
}

bool policy_syscall_known(uint32_t arch, int nr) {
        char *name = seccomp_syscall_resolve_num_arch(arch, nr);
        if (name) {
                free(name);
                return true;
        }
        const char *a = arch_name(arch);
        for (size_t i = 0; a && i < policy_extra_syscalls_size; i++)
                if (policy_extra_syscalls[i].nr == nr && !strcmp(policy_extra_syscalls[i].arch, a))
                        return true;
        return false;
}
