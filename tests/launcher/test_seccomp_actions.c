/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Each seccomp action live through the launcher: the probe runs under a
 * policy that allows what it needs, then calls socket(), which the policy
 * leaves to the default action. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

static void run_with_default(struct tmpdir_fixture *f, const char *action, const char *exec_mode,
                             bool inline_policy, struct run_result *r) {
        char *text;
        if (inline_policy)
                assert_true(asprintf(&text,
                                     "program %s\nexec %s\nargv probe --catch-sigsys --try-socket\n"
                                     "seccomp default %s\n[seccomp]\n%s",
                                     probe_path(), exec_mode, action, probe_policy_allow()) > 0);
        else {
                char *policy = write_file(f->dir, "probe.policy", probe_policy_allow(), 0644);
                free(policy);
                assert_true(asprintf(&text,
                                     "program %s\nexec %s\nargv probe --catch-sigsys --try-socket\n"
                                     "seccomp default %s\nseccomp include ./probe.policy\n",
                                     probe_path(), exec_mode, action) > 0);
        }
        run_workload_text(f->dir, "seccomp.workload", text, r);
        free(text);
}

static void kill_process_ends_the_target_with_sigsys(void **state) {
        struct run_result r;
        run_with_default(*state, "kill-process", "path", true, &r);
        assert_int_equal(r.signal, SIGSYS);
        assert_true(report_has_line(r.out, "no_new_privs 1"));
        assert_null(strstr(r.out, "try socket"));
        assert_null(strstr(r.out, "sigsys caught")); /* kill, not trap: no handler runs */
        run_result_free(&r);
}

static void kill_process_with_sealed_exec(void **state) {
        struct run_result r;
        run_with_default(*state, "kill-process", "sealed", false, &r);
        assert_int_equal(r.signal, SIGSYS);
        assert_true(report_has_line(r.out, "started 1"));
        assert_null(strstr(r.out, "try socket"));
        run_result_free(&r);
}

static void errno_action_returns_that_exact_errno(void **state) {
        struct run_result r;
        run_with_default(*state, "return EXDEV", "path", true, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, "try socket EXDEV"));
        run_result_free(&r);
}

static void errno_action_by_number(void **state) {
        struct run_result r;
        run_with_default(*state, "return 18", "sealed", true, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, "try socket EXDEV"));
        run_result_free(&r);
}

static void trap_action_delivers_sigsys_to_the_handler(void **state) {
        struct run_result r;
        run_with_default(*state, "trap", "path", true, &r);
        assert_int_equal(r.status, 42); /* the probe's SIGSYS handler exits 42 */
        char want[64];
        snprintf(want, sizeof(want), "sigsys caught syscall %d", 41 /* __NR_socket on x86_64 */);
#ifdef __x86_64__
        assert_true(report_has_line(r.out, want));
#else
        assert_non_null(strstr(r.out, "sigsys caught syscall"));
#endif
        run_result_free(&r);
}

static void log_action_lets_the_call_through(void **state) {
        struct run_result r;
        run_with_default(*state, "log", "path", true, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, "try socket ok"));
        run_result_free(&r);
}

static void exec_by_path_needs_execve_in_the_policy(void **state) {
        struct tmpdir_fixture *f = *state;
#ifdef __SANITIZE_ADDRESS__
        /* Built like this test: the sanitizer runtime in sealrun makes
         * syscalls (sigaltstack, mmap) after the failed exec, which this
         * deny-everything policy refuses, and then crashes. */
        printf("SKIP: sealrun is built with ASan, whose runtime cannot run under a deny-all filter\n");
        skip();
#endif
        char *text;
        assert_true(asprintf(&text,
                             "program %s\nexec path\nseccomp default return EPERM\n[seccomp]\nread: 1\n",
                             probe_path()) > 0);
        struct run_result r;
        run_workload_text(f->dir, "noexecve.workload", text, &r);
        /* execve gets EPERM from the filter: found but not executable. */
        assert_int_equal(r.status, 126);
        assert_false(report_has_line(r.out, "started 1"));
        run_result_free(&r);
        free(text);
}

static void sealed_exec_needs_no_exec_rule_in_the_policy(void **state) {
        struct tmpdir_fixture *f = *state;
        char *text;
        /* The policy has no execve/execveat at all: the launcher's own rule
         * admits exactly its execveat(BINFD, "", AT_EMPTY_PATH). */
        assert_true(asprintf(&text,
                             "program /bin/true\nexec sealed\nseccomp default kill-process\n[seccomp]\n%s",
                             "brk: 1\nmmap: 1\nmprotect: 1\nmunmap: 1\narch_prctl: 1\nset_tid_address: 1\n"
                             "set_robust_list: 1\nrseq: 1\nprlimit64: 1\nopenat: 1\nread: 1\nclose: 1\n"
                             "newfstatat: 1\nfstat: 1\npread64: 1\naccess: 1\ngetrandom: 1\nexit_group: 1\n"
                             "write: 1\nlseek: 1\nfcntl: 1\n") > 0);
        struct run_result r;
        run_workload_text(f->dir, "sealedtrue.workload", text, &r);
        assert_int_equal(r.status, 0);
        run_result_free(&r);
        free(text);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, tmpdir_fixture_setup, tmpdir_fixture_teardown)
        const struct CMUnitTest tests[] = {
                T(kill_process_ends_the_target_with_sigsys),
                T(kill_process_with_sealed_exec),
                T(errno_action_returns_that_exact_errno),
                T(errno_action_by_number),
                T(trap_action_delivers_sigsys_to_the_handler),
                T(log_action_lets_the_call_through),
                T(exec_by_path_needs_execve_in_the_policy),
                T(sealed_exec_needs_no_exec_rule_in_the_policy),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
