/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every entry of syscalls-extra.txt for this arch exists on the running
 * kernel: called with harmless invalid arguments in a forked child, without
 * a filter, it does not return ENOSYS. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "policy_internal.h"

static void test_extra_syscalls_exist_on_running_kernel(void **state) {
        uint32_t arch = seccomp_arch_native();
        struct utsname u;
        uname(&u);
        unsigned major = 0, minor = 0;
        assert_int_equal(sscanf(u.release, "%u.%u", &major, &minor), 2);
        size_t checked = 0, absent = 0;
        int nr;
        const char *name, *since;
        for (size_t i = 0; (name = policy_extra_syscall(arch, i, &nr, &since)); i++) {
                unsigned since_major = 0, since_minor = 0;
                assert_int_equal(sscanf(since, "%u.%u", &since_major, &since_minor), 2);
                if (since_major > major || (since_major == major && since_minor > minor)) {
                        printf("%s (%d): added in Linux %s, not checked on %s\n", name, nr, since, u.release);
                        continue;
                }
                /* libseccomp knows it: then its number is what counts. */
                int lib = seccomp_syscall_resolve_name(name);
                if (lib >= 0)
                        assert_int_equal(lib, nr);
                fflush(NULL);
                pid_t pid = fork();
                assert_true(pid >= 0);
                if (pid == 0) {
                        long r = syscall(nr, -1L, 0L, 0L, 0L, 0L, 0L);
                        _exit(r == -1 && errno == ENOSYS ? 1 : 0);
                }
                int status;
                assert_int_equal(waitpid(pid, &status, 0), pid);
                /* Killed by a signal means the call exists too. */
                bool missing = WIFEXITED(status) && WEXITSTATUS(status) == 1;
                printf("%s (%d): %s on %s\n", name, nr, missing ? "ENOSYS" : "exists", u.release);
                absent += missing;
                checked++;
        }
        if (checked == 0) {
                printf("SKIP: no extra syscalls listed for this architecture\n");
                skip();
        }
        assert_int_equal(absent, 0);
}

static void test_extra_syscall_names_resolve(void **state) {
#if defined(__x86_64__)
        int nr;
        assert_int_equal(policy_syscall_resolve(SCMP_ARCH_X86_64, "mseal", &nr), 0);
        assert_int_equal(nr, 462);
        assert_int_equal(policy_syscall_resolve(SCMP_ARCH_AARCH64, "listmount", &nr), 0);
        assert_int_equal(nr, 458);
        assert_int_equal(policy_syscall_resolve(SCMP_ARCH_X86_64, "read", &nr), 0);
        assert_int_equal(nr, 0);
        assert_int_equal(policy_syscall_resolve(SCMP_ARCH_X86_64, "mmap2", &nr), -ENOENT);
#else
        printf("SKIP: numbers checked for x86_64\n");
        skip();
#endif
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_extra_syscalls_exist_on_running_kernel),
                cmocka_unit_test(test_extra_syscall_names_resolve),
        };
        return cmocka_run_group_tests_name("seccomp_syscall_table", tests, NULL, NULL);
}
