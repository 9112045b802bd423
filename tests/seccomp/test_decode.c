/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Supervised runs' compiler side: arguments by name (syscall_decode.c),
 * the deciding rule of a call (syscall_policy_explain) and the notify
 * variant of a policy (route.c), compiled and run through the evaluator. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/futex.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "helpers.h"
#include "policy_internal.h"
#include "syscall_decode.h"

static void expect_arg(enum arg_kind kind, uint64_t value, const char *want) {
        char buf[256];
        size_t n = syscall_arg_format(kind, value, buf, sizeof(buf));
        assert_string_equal(buf, want);
        assert_int_equal(n, strlen(want));
}

static void test_names_of_one_value(void **state) {
        (void) state;
        expect_arg(ARG_FUTEX_OP, FUTEX_WAKE_PRIVATE, "FUTEX_WAKE_PRIVATE");
        expect_arg(ARG_FUTEX_OP, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME,
                   "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME");
        expect_arg(ARG_IOCTL, TCGETS, "TCGETS");
        expect_arg(ARG_FCNTL, F_SETFD, "F_SETFD");
        expect_arg(ARG_PRCTL, PR_SET_NAME, "PR_SET_NAME");
        expect_arg(ARG_SOCKET_FAMILY, AF_UNIX, "AF_UNIX");
        expect_arg(ARG_SIGNAL, SIGABRT, "SIGABRT");
        expect_arg(ARG_MADVISE, MADV_DONTNEED, "MADV_DONTNEED");
        expect_arg(ARG_FD, (uint64_t) (int64_t) AT_FDCWD, "AT_FDCWD");
        expect_arg(ARG_INT, (uint64_t) -1, "-1");
        expect_arg(ARG_IOCTL, 0x12345678, "0x12345678"); /* no name: a number */
}

static void test_flags(void **state) {
        (void) state;
        expect_arg(ARG_OPEN_FLAGS, O_RDONLY | O_CLOEXEC, "O_RDONLY|O_CLOEXEC");
        expect_arg(ARG_OPEN_FLAGS, O_WRONLY | O_CREAT | O_TRUNC, "O_WRONLY|O_CREAT|O_TRUNC");
        expect_arg(ARG_OPEN_FLAGS, O_RDONLY, "O_RDONLY");
        expect_arg(ARG_PROT, PROT_READ | PROT_WRITE, "PROT_READ|PROT_WRITE");
        expect_arg(ARG_PROT, 0, "PROT_NONE");
        expect_arg(ARG_MAP_FLAGS, MAP_PRIVATE | MAP_ANONYMOUS, "MAP_PRIVATE|MAP_ANONYMOUS");
        expect_arg(ARG_SOCKET_TYPE, SOCK_STREAM | SOCK_CLOEXEC, "SOCK_STREAM|SOCK_CLOEXEC");
        char buf[256];
        syscall_arg_format(ARG_CLONE_FLAGS, CLONE_VM | CLONE_FS | SIGCHLD, buf, sizeof(buf));
        assert_non_null(strstr(buf, "CLONE_VM"));
        assert_non_null(strstr(buf, "CLONE_FS"));
        assert_non_null(strstr(buf, "|SIGCHLD"));
}

static void test_whole_call(void **state) {
        (void) state;
        char buf[256];
        syscall_call_format("futex", ARGS(0x7f3c2a1b40, FUTEX_WAKE_PRIVATE, 1), buf, sizeof(buf));
        assert_string_equal(buf, "futex(0x7f3c2a1b40, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0)");
        syscall_call_format("socket", ARGS(AF_INET, SOCK_DGRAM, 0), buf, sizeof(buf));
        assert_string_equal(buf, "socket(AF_INET, SOCK_DGRAM, 0)");
        /* Without a signature: hex up to the last non-zero argument. */
        syscall_call_format("sync_file_range", ARGS(3, 0x10, 0), buf, sizeof(buf));
        assert_string_equal(buf, "sync_file_range(3, 0x10)");
        /* A short buffer still ends in NUL and reports the length needed. */
        size_t n = syscall_call_format("socket", ARGS(AF_INET, SOCK_DGRAM, 0), buf, 8);
        assert_int_equal(n, strlen("socket(AF_INET, SOCK_DGRAM, 0)"));
        assert_int_equal(strlen(buf), 7);
}

static void test_every_printed_name_parses_back(void **state) {
        (void) state;
        char buf[256], text[512];
        syscall_arg_format(ARG_OPEN_FLAGS, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_DIRECTORY, buf, sizeof(buf));
        snprintf(text, sizeof(text), "openat: arg2 == %s\n", buf);
        expect_action(text, "openat", ARGS(0, 0, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_DIRECTORY), ALLOW);
        syscall_arg_format(ARG_CLONE_FLAGS, CLONE_VM | CLONE_FS | CLONE_FILES | SIGCHLD, buf, sizeof(buf));
        snprintf(text, sizeof(text), "clone: arg0 == %s\n", buf);
        expect_action(text, "clone", ARGS(CLONE_VM | CLONE_FS | CLONE_FILES | SIGCHLD), ALLOW);
}

static void test_explain_names_the_rule_or_default(void **state) {
        (void) state;
        struct syscall_policy *p = expect_parses("read: 1\n"
                                                 "futex: arg1 == FUTEX_WAIT_PRIVATE\n"
                                                 "socket: return EACCES\n"
                                                 "@default kill-process\n",
                                                 NULL, NULL);
        struct policy_decision d;
        syscall_policy_explain(p, syscall_nr("socket"), ARGS(0), &d);
        assert_int_equal(d.action.type, POLICY_ACTION_ERRNO);
        assert_false(d.is_default);
        assert_string_equal(d.file, TEST_POLICY_PATH);
        assert_int_equal(d.line, 3);
        syscall_policy_explain(p, syscall_nr("futex"), ARGS(0, FUTEX_WAKE_PRIVATE), &d);
        assert_true(d.is_default);
        assert_true(d.syscall_has_rules);
        assert_int_equal(d.action.type, POLICY_ACTION_KILL_PROCESS);
        assert_int_equal(d.line, 4); /* the @default line */
        syscall_policy_explain(p, syscall_nr("getcwd"), ARGS(0), &d);
        assert_true(d.is_default);
        assert_false(d.syscall_has_rules);
        syscall_policy_free(p);
}

static uint32_t routed_eval(struct syscall_policy *p, const char *name, const uint64_t args[6]) {
        void *prog = NULL;
        size_t n = 0;
        compile_to_bpf(p, &prog, &n);
        struct diag d = DIAG_INIT;
        assert_int_equal(syscall_policy_verify(p, prog, n, &d), 0); /* verified like any policy */
        diag_clear(&d);
        uint32_t r = run_filter(prog, n, syscall_nr(name), args);
        free(prog);
        return r;
}

static void test_route_explain_variant(void **state) {
        (void) state;
        const char *text = "read: 1\nsocket: return EACCES\nptrace: kill-thread\nkill: arg1 == 0; trap\n";
        struct syscall_policy *p = expect_parses(text, NULL, NULL);
        syscall_policy_route_to_notify(
                p, POLICY_ACTION_BIT(POLICY_ACTION_KILL_PROCESS) | POLICY_ACTION_BIT(POLICY_ACTION_ERRNO),
                false);
        assert_int_equal(routed_eval(p, "read", ARGS(0)), SCMP_ACT_ALLOW); /* allows stay in BPF */
        assert_int_equal(routed_eval(p, "socket", ARGS(0)), SCMP_ACT_NOTIFY);
        assert_int_equal(routed_eval(p, "getcwd", ARGS(0)), SCMP_ACT_NOTIFY); /* the default */
        assert_int_equal(routed_eval(p, "ptrace", ARGS(0)), SCMP_ACT_KILL_THREAD);
        assert_int_equal(routed_eval(p, "kill", ARGS(1, 9)), SCMP_ACT_TRAP);
        syscall_policy_free(p);
}

static void test_route_learn_variant(void **state) {
        (void) state;
        struct syscall_policy *p =
                expect_parses("read: 1\nclone3: return ENOSYS\n@default return EPERM\n", NULL, NULL);
        syscall_policy_route_to_notify(p, POLICY_ACTION_BIT(POLICY_ACTION_KILL_PROCESS), true);
        assert_int_equal(routed_eval(p, "read", ARGS(0)), SCMP_ACT_ALLOW);
        assert_int_equal(routed_eval(p, "clone3", ARGS(0)), SCMP_ACT_ERRNO(ENOSYS)); /* a decision, kept */
        assert_int_equal(routed_eval(p, "getcwd", ARGS(0)), SCMP_ACT_NOTIFY);
        syscall_policy_free(p);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_names_of_one_value),
                cmocka_unit_test(test_flags),
                cmocka_unit_test(test_whole_call),
                cmocka_unit_test(test_every_printed_name_parses_back),
                cmocka_unit_test(test_explain_names_the_rule_or_default),
                cmocka_unit_test(test_route_explain_variant),
                cmocka_unit_test(test_route_learn_variant),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
