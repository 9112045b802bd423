/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* @unknown-syscalls: clone3 (when no rule names it) and the numbers the
 * syscall tables do not name get the directive's action instead of the
 * default; everything else is unchanged.  Checked through the BPF
 * evaluator, then loaded for real: under kill-process, clone3 gets ENOSYS
 * and glibc's pthread_create falls back to clone. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "policy_internal.h"

#define ENOSYS_ACTION (SCMP_ACT_ERRNO(ENOSYS))
/* Above every syscall table this project knows (x86_64's newest is in the
 * 400s), checked below rather than assumed. */
#define BEYOND_TABLE 1000

static const char *const with_rule = "@unknown-syscalls return ENOSYS\n"
                                     "read: 1\n"
                                     "getpid: arg0 == 0; return EPERM\n";

static uint32_t run(const char *text, int nr) {
        struct syscall_policy *p = expect_parses(text, NULL, NULL);
        void *prog = NULL;
        size_t n = 0;
        compile_to_bpf(p, &prog, &n);
        uint32_t r = run_filter(prog, n, nr, ARGS(0));
        free(prog);
        syscall_policy_free(p);
        return r;
}

static void test_unknown_numbers_get_the_action(void **state) {
        assert_false(policy_syscall_known(seccomp_arch_native(), BEYOND_TABLE));
        assert_int_equal(run(with_rule, BEYOND_TABLE), ENOSYS_ACTION);
        assert_int_equal(run(with_rule, 0x3fffffff), ENOSYS_ACTION);
        assert_int_equal(run(with_rule, syscall_nr("clone3")), ENOSYS_ACTION);
#if defined(__x86_64__)
        /* x86_64 has no syscalls 335..423: unknown too. */
        assert_int_equal(run(with_rule, 335), ENOSYS_ACTION);
        assert_int_equal(run(with_rule, 423), ENOSYS_ACTION);
        assert_int_equal(run(with_rule, 424), KILL); /* pidfd_send_signal */
        /* The x32 ABI is still killed, unknown number or not. */
        assert_int_equal(run(with_rule, 0x40000000 | 1), KILL);
        assert_int_equal(run(with_rule, 0x40000000 | BEYOND_TABLE), KILL);
#endif
}

static void test_known_syscalls_are_unchanged(void **state) {
        assert_int_equal(run(with_rule, syscall_nr("read")), ALLOW);
        assert_int_equal(run(with_rule, syscall_nr("getpid")), ALLOW); /* arg0 == 0 */
        assert_int_equal(run(with_rule, syscall_nr("write")), KILL);   /* the default */
        assert_int_equal(run(with_rule, syscall_nr("clone")), KILL);
        /* Without the directive the unknown number gets the default. */
        assert_int_equal(run("read: 1\n", BEYOND_TABLE), KILL);
        assert_int_equal(run("read: 1\n", syscall_nr("clone3")), KILL);
}

static void test_a_clone3_rule_wins(void **state) {
        assert_int_equal(run("@unknown-syscalls return ENOSYS\nclone3: 1\n", syscall_nr("clone3")), ALLOW);
        assert_int_equal(run("@unknown-syscalls return ENOSYS\nclone3: return EPERM\n", syscall_nr("clone3")),
                         SCMP_ACT_ERRNO(EPERM));
}

static void test_other_actions_and_the_other_abi(void **state) {
        assert_int_equal(run("@unknown-syscalls trap\nread: 1\n", BEYOND_TABLE), SCMP_ACT_TRAP);
        struct syscall_policy *p = expect_parses(with_rule, NULL, NULL);
        void *prog = NULL;
        size_t n = 0;
        compile_to_bpf(p, &prog, &n);
        /* i386 via int 0x80: killed before any rule, as without the directive. */
        assert_int_equal(run_filter_arch(prog, n, 0x40000003 /* AUDIT_ARCH_I386 */, BEYOND_TABLE, ARGS(0)),
                         SCMP_ACT_KILL_PROCESS);
        free(prog);
        syscall_policy_free(p);
}

static void test_directive_errors(void **state) {
        expect_error("@unknown-syscalls allow\n", 1, 19,
                     "permissive @unknown-syscalls action is not allowed");
        expect_error("@unknown-syscalls return ENOSYS extra\n", 1, 33,
                     "expected end of line after the @unknown-syscalls action");
        expect_error("@unknown-syscalls\n", 1, 18, "expected");
        expect_error("@unknown-syscalls return ENOSYS\n@unknown-syscalls return EPERM\n", 2, 19,
                     "conflicting @unknown-syscalls");
        expect_error("@unknown_syscalls return ENOSYS\n", 1, 1, "unknown directive '@unknown_syscalls'");
}

static void test_same_directive_twice_is_fine(void **state) {
        struct syscall_policy *p = expect_parses("@unknown-syscalls return ENOSYS\n"
                                                 "@unknown-syscalls return ENOSYS\nread: 1\n",
                                                 NULL, NULL);
        syscall_policy_free(p);
}

static void test_a_libseccomp_context_is_refused(void **state) {
        struct syscall_policy *p = expect_parses(with_rule, NULL, NULL);
        struct diag d = DIAG_INIT;
        scmp_filter_ctx ctx = NULL;
        assert_int_equal(syscall_policy_compile(p, &ctx, &d), -EINVAL);
        assert_null(ctx);
        assert_non_null(strstr(d.entries[0].message, "needs the compiled program"));
        diag_clear(&d);
        syscall_policy_free(p);
}

/* ---- Loaded for real ---- */

/* What pthread_create and pthread_join need from glibc 2.36 (and the
 * sanitizer runtimes), and no clone3. */
static const char *const thread_policy = "@default kill-process\n"
                                         "mmap: 1\nmprotect: 1\nmunmap: 1\nmadvise: 1\nbrk: 1\n"
                                         "clone: 1\nfutex: 1\nset_robust_list: 1\nrseq: 1\n"
                                         "rt_sigprocmask: 1\nrt_sigaction: 1\nsigaltstack: 1\n"
                                         "gettid: 1\ngetpid: 1\nsched_getaffinity: 1\nsched_yield: 1\n"
                                         "prlimit64: 1\nwrite: 1\nexit: 1\nexit_group: 1\n";

/* Loads the compiled program in the calling process, or _exit(100). */
static void load_program(const char *text) {
        struct syscall_policy_options opts = {};
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        struct sock_filter *prog = NULL;
        size_t n = 0;
        if (syscall_policy_new(&opts, &p) < 0 ||
            syscall_policy_parse_text(p, "live.policy", 1, text, strlen(text), &d) < 0 ||
            syscall_policy_compile_program(p, &prog, &n, NULL, &d) < 0) {
                diag_print(&d, stderr);
                _exit(100);
        }
        struct sock_fprog fprog = {.len = (unsigned short) n, .filter = prog};
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
                _exit(101);
}

static void *thread_main(void *arg) {
        return arg;
}

static char policy_text[4096];

static void threads_body(void) {
        load_program(policy_text);
        /* clone3 itself: ENOSYS, not a kill. */
        if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
                _exit(1);
        /* glibc tries clone3, gets ENOSYS, and falls back to clone. */
        pthread_t t;
        void *ret = NULL;
        if (pthread_create(&t, NULL, thread_main, (void *) 42) != 0 || pthread_join(t, &ret) != 0 ||
            ret != (void *) 42)
                _exit(2);
        /* A number no table names: ENOSYS too. */
        if (syscall(BEYOND_TABLE, 0, 0, 0) != -1 || errno != ENOSYS)
                _exit(3);
        _exit(0);
}

static void test_live_clone3_enosys_and_threads_work(void **state) {
        snprintf(policy_text, sizeof(policy_text), "@unknown-syscalls return ENOSYS\n%s", thread_policy);
        int status = run_child(threads_body);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

static void beyond_table_body(void) {
        load_program(policy_text);
        syscall(BEYOND_TABLE, 0, 0, 0);
        _exit(0);
}

/* The same policy without the directive kills on the unknown number: the
 * directive is what saves the process. */
static void test_live_without_the_directive_it_kills(void **state) {
        snprintf(policy_text, sizeof(policy_text), "%s", thread_policy);
        int status = run_child(beyond_table_body);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGSYS);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_unknown_numbers_get_the_action),
                cmocka_unit_test(test_known_syscalls_are_unchanged),
                cmocka_unit_test(test_a_clone3_rule_wins),
                cmocka_unit_test(test_other_actions_and_the_other_abi),
                cmocka_unit_test(test_directive_errors),
                cmocka_unit_test(test_same_directive_twice_is_fine),
                cmocka_unit_test(test_a_libseccomp_context_is_refused),
                cmocka_unit_test(test_live_clone3_enosys_and_threads_work),
                cmocka_unit_test(test_live_without_the_directive_it_kills),
        };
        return cmocka_run_group_tests_name("seccomp_unknown_syscalls", tests, NULL, NULL);
}
