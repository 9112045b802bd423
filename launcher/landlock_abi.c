/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's Landlock ABI, alone in its file so that the test build can
 * compile it a second time with SEALRUN_TEST_ABI_CAP (tests/launcher:
 * sealrun-abi-cap): then SEALRUN_TEST_LANDLOCK_ABI=N caps the ABI sealrun
 * uses, which is how the fail-closed and best-effort paths are tested on a
 * kernel newer than they need.  An environment variable in a separate
 * binary, not an option of the installed one: the shipped sealrun has no
 * way to be told to enforce less than the kernel offers.
 */
#include "landlock.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif

int landlock_kernel_abi(void) {
        long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
        if (abi < 0)
                return errno > 0 ? -errno : -EIO;
#ifdef SEALRUN_TEST_ABI_CAP
        const char *cap = getenv("SEALRUN_TEST_LANDLOCK_ABI");
        if (cap && *cap) {
                long n = strtol(cap, NULL, 10);
                if (n <= 0)
                        return -EOPNOTSUPP;
                if (n < abi)
                        abi = n;
        }
#endif
        return (int) abi;
}
