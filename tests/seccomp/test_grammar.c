/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every grammar case, each checked by what the policy then does: the parsed
 * rules (syscall_policy_decide) and the compiled BPF must both agree. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "helpers.h"

static void test_allow_one(void **state) {
        expect_action("read: 1\n", "read", ARGS(0), ALLOW);
        expect_action("read: 1\n", "write", ARGS(0), KILL);
}

static void test_allow_word(void **state) {
        expect_action("read: allow\n", "read", ARGS(0), ALLOW);
}

static void test_whitespace_around_colon(void **state) {
        expect_action("read :1\n", "read", ARGS(0), ALLOW);
        expect_action("  read\t:\t1  \n", "read", ARGS(0), ALLOW);
}

static void test_comment_lines_and_blank_lines(void **state) {
        expect_action("# a comment\n\n   # indented comment\nread: 1\n\n", "read", ARGS(0), ALLOW);
}

static void test_trailing_comment_after_action(void **state) {
        /* crosvm jail_warden.policy: `umount2: 1 # Create jail` */
        expect_action("read: 1 # Create jail\n", "read", ARGS(0), ALLOW);
}

static void test_trailing_comment_after_expression(void **state) {
        expect_action("read: arg0 == 3 # only fd 3\n", "read", ARGS(3), ALLOW);
        expect_action("read: arg0 == 3 # only fd 3\n", "read", ARGS(4), KILL);
}

static void test_line_continuation(void **state) {
        const char *text = "read: arg0 == 1 || \\\n      arg0 == 2\n";
        expect_action(text, "read", ARGS(2), ALLOW);
        expect_action(text, "read", ARGS(3), KILL);
}

static void test_line_continuation_inside_token(void **state) {
        /* minijail FileTest.multiline: `openat:arg0 \`, `in\`, `   \`, `5` */
        const char *text = "openat:arg0 \\\nin\\\n   \\\n5\n";
        expect_action(text, "openat", ARGS(5), ALLOW);
        expect_action(text, "openat", ARGS(4), ALLOW);
        expect_action(text, "openat", ARGS(2), KILL);
        expect_action("re\\\nad: 1\n", "read", ARGS(0), ALLOW);
}

static void test_no_trailing_newline(void **state) {
        expect_action("read: 1", "read", ARGS(0), ALLOW);
}

static void test_crlf_line_endings(void **state) {
        expect_action("read: 1\r\nwrite: 1\r\n", "write", ARGS(0), ALLOW);
        expect_action("read: arg0 == 1 || \\\r\n  arg0 == 2\r\n", "read", ARGS(2), ALLOW);
        expect_action("read: arg0 == 1 || \\\r\n  arg0 == 2\r\n", "read", ARGS(3), KILL);
}

static void test_syscall_set_in_braces(void **state) {
        expect_action("{read, write}: 1\n", "read", ARGS(0), ALLOW);
        expect_action("{read, write}: 1\n", "write", ARGS(0), ALLOW);
        expect_action("{read, write}: 1\n", "close", ARGS(0), KILL);
}

static void test_arch_metadata_matching(void **state) {
#if defined(__x86_64__)
        expect_action("read[arch=x86_64,aarch64]: 1\n", "read", ARGS(0), ALLOW);
#else
        expect_action("read[arch=aarch64,x86_64]: 1\n", "read", ARGS(0), ALLOW);
#endif
}

static void test_arch_metadata_other_arch_skipped(void **state) {
#if defined(__x86_64__)
        expect_action("read[arch=aarch64]: 1\n", "read", ARGS(0), KILL);
#else
        expect_action("read[arch=x86_64]: 1\n", "read", ARGS(0), KILL);
#endif
}

static void test_syscall_named_kill(void **state) {
        expect_action("kill: 1\n", "kill", ARGS(0), ALLOW);
}

static void test_operator_eq(void **state) {
        expect_action("read: arg0 == 7\n", "read", ARGS(7), ALLOW);
        expect_action("read: arg0 == 7\n", "read", ARGS(8), KILL);
}

static void test_operator_ne(void **state) {
        expect_action("read: arg1 != 7\n", "read", ARGS(0, 8), ALLOW);
        expect_action("read: arg1 != 7\n", "read", ARGS(0, 7), KILL);
}

static void test_operator_lt(void **state) {
        expect_action("read: arg2 < 7\n", "read", ARGS(0, 0, 6), ALLOW);
        expect_action("read: arg2 < 7\n", "read", ARGS(0, 0, 7), KILL);
}

static void test_operator_le(void **state) {
        expect_action("read: arg2 <= 7\n", "read", ARGS(0, 0, 7), ALLOW);
        expect_action("read: arg2 <= 7\n", "read", ARGS(0, 0, 8), KILL);
}

static void test_operator_gt(void **state) {
        expect_action("read: arg3 > 7\n", "read", ARGS(0, 0, 0, 8), ALLOW);
        expect_action("read: arg3 > 7\n", "read", ARGS(0, 0, 0, 7), KILL);
}

static void test_operator_ge(void **state) {
        expect_action("read: arg4 >= 7\n", "read", ARGS(0, 0, 0, 0, 7), ALLOW);
        expect_action("read: arg4 >= 7\n", "read", ARGS(0, 0, 0, 0, 6), KILL);
}

static void test_operator_any_bit(void **state) {
        expect_action("clone: arg0 & CLONE_THREAD\n", "clone", ARGS(0x10000 | 0x11), ALLOW);
        expect_action("clone: arg0 & CLONE_THREAD\n", "clone", ARGS(0x11), KILL);
}

static void test_operator_in(void **state) {
        const char *text = "mmap: arg3 in MAP_PRIVATE|MAP_ANONYMOUS\n";
        expect_action(text, "mmap", ARGS(0, 0, 0, MAP_PRIVATE), ALLOW);
        expect_action(text, "mmap", ARGS(0, 0, 0, MAP_PRIVATE | MAP_ANONYMOUS), ALLOW);
        expect_action(text, "mmap", ARGS(0, 0, 0, 0), ALLOW);
        expect_action(text, "mmap", ARGS(0, 0, 0, MAP_SHARED), KILL);
}

static void test_and_of_atoms(void **state) {
        const char *text = "read: arg0 == 1 && arg1 == 2\n";
        expect_action(text, "read", ARGS(1, 2), ALLOW);
        expect_action(text, "read", ARGS(1, 3), KILL);
        expect_action(text, "read", ARGS(0, 2), KILL);
}

static void test_or_of_clauses(void **state) {
        const char *text = "read: arg0 == 1 && arg1 == 2 || arg2 == 3\n";
        expect_action(text, "read", ARGS(1, 2, 0), ALLOW);
        expect_action(text, "read", ARGS(0, 0, 3), ALLOW);
        expect_action(text, "read", ARGS(1, 0, 0), KILL);
}

static void test_value_or_of_constants(void **state) {
        expect_action("read: arg0 == 1|2|8\n", "read", ARGS(11), ALLOW);
        expect_action("read: arg0 == 1|2|8\n", "read", ARGS(3), KILL);
}

static void test_value_complement(void **state) {
        /* the W^X idiom */
        const char *text = "mmap: arg2 in ~PROT_EXEC || arg2 in ~PROT_WRITE\n";
        expect_action(text, "mmap", ARGS(0, 0, PROT_READ | PROT_WRITE), ALLOW);
        expect_action(text, "mmap", ARGS(0, 0, PROT_READ | PROT_EXEC), ALLOW);
        expect_action(text, "mmap", ARGS(0, 0, PROT_WRITE | PROT_EXEC), KILL);
}

static void test_value_parentheses(void **state) {
        expect_action("read: arg0 == ~(~0x10|0x1)\n", "read", ARGS(0x10), ALLOW);
        expect_action("read: arg0 == (1|2)|(4)\n", "read", ARGS(7), ALLOW);
}

static void test_number_decimal_hex_octal(void **state) {
        expect_action("read: arg0 == 10\n", "read", ARGS(10), ALLOW);
        expect_action("read: arg0 == 0x1F\n", "read", ARGS(31), ALLOW);
        expect_action("read: arg0 == 010\n", "read", ARGS(8), ALLOW);
        expect_action("read: arg0 == 0\n", "read", ARGS(0), ALLOW);
}

static void test_number_max_unsigned(void **state) {
        expect_action("read: arg0 == 18446744073709551615\n", "read", ARGS(UINT64_MAX), ALLOW);
}

static void test_number_negative_twos_complement(void **state) {
        expect_action("mprotect: arg0 == -1\n", "mprotect", ARGS(UINT64_MAX), ALLOW);
        expect_action("mprotect: arg0 == -1\n", "mprotect", ARGS(0xffffffff), KILL);
        expect_action("mprotect: arg0 == -9223372036854775808\n", "mprotect", ARGS(UINT64_C(1) << 63), ALLOW);
}

static void test_named_constants(void **state) {
        expect_action("openat: arg2 == O_RDONLY|O_CLOEXEC\n", "openat", ARGS(0, 0, 02000000), ALLOW);
        expect_action("socket: arg0 == AF_UNIX\n", "socket", ARGS(1), ALLOW);
}

static void test_action_return_errno_name(void **state) {
        expect_action("read: return EPERM\n", "read", ARGS(0), SCMP_ACT_ERRNO(EPERM));
}

static void test_action_return_errno_number(void **state) {
        expect_action("ioctl: return 1\n", "ioctl", ARGS(0), SCMP_ACT_ERRNO(1));
}

static void test_action_kill(void **state) {
        expect_action("@default trap\nread: kill\n", "read", ARGS(0), SCMP_ACT_KILL_PROCESS);
}

static void test_action_kill_process(void **state) {
        expect_action("@default trap\nread: kill-process\n", "read", ARGS(0), SCMP_ACT_KILL_PROCESS);
}

static void test_action_kill_thread(void **state) {
        expect_action("read: kill-thread\n", "read", ARGS(0), SCMP_ACT_KILL_THREAD);
}

static void test_action_trap(void **state) {
        expect_action("read: trap\n", "read", ARGS(0), SCMP_ACT_TRAP);
}

static void test_action_trace(void **state) {
        expect_action("read: trace\n", "read", ARGS(0), SCMP_ACT_TRACE(0));
}

static void test_action_log(void **state) {
        expect_action("read: log\n", "read", ARGS(0), SCMP_ACT_LOG);
}

static void test_action_user_notify(void **state) {
        expect_action("read: user-notify\n", "read", ARGS(0), SCMP_ACT_NOTIFY);
}

static void test_expression_then_return_both_branches(void **state) {
        const char *text = "socket: arg0 == AF_UNIX; return EPERM\n";
        expect_action(text, "socket", ARGS(1), ALLOW);
        expect_action(text, "socket", ARGS(2), SCMP_ACT_ERRNO(EPERM));
}

static void test_filter_list_in_braces(void **state) {
        const char *text = "read: {arg0 == 1, return EBADF}\n";
        expect_action(text, "read", ARGS(1), ALLOW);
        expect_action(text, "read", ARGS(2), SCMP_ACT_ERRNO(EBADF));
}

static void test_expression_without_action_falls_to_default(void **state) {
        expect_action("@default trap\nread: arg0 == 1\n", "read", ARGS(2), SCMP_ACT_TRAP);
}

static void test_directive_default(void **state) {
        expect_action("@default trap\nread: 1\n", "write", ARGS(0), SCMP_ACT_TRAP);
        expect_action("@default kill-thread\nread: 1\n", "write", ARGS(0), SCMP_ACT_KILL_THREAD);
}

static void test_option_default_action(void **state) {
        struct syscall_policy_options opts = {.default_action = {.type = POLICY_ACTION_LOG},
                                              .default_action_set = true};
        expect_action_opts("read: 1\n", &opts, "write", ARGS(0), SCMP_ACT_LOG);
}

static void test_directive_default_beats_option(void **state) {
        struct syscall_policy_options opts = {.default_action = {.type = POLICY_ACTION_TRAP},
                                              .default_action_set = true};
        expect_action_opts("@default kill\nread: 1\n", &opts, "write", ARGS(0), SCMP_ACT_KILL_PROCESS);
}

static void test_directive_frequency_warns(void **state) {
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        assert_int_equal(parse_policy("@frequency ./x.frequency\nread: 1\n", NULL, NULL, &p, &d), 0);
        assert_int_equal(d.n_errors, 0);
        assert_int_equal(d.n_warnings, 1);
        assert_non_null(strstr(d.entries[0].message, "ignored @frequency"));
        syscall_policy_free(p);
        diag_clear(&d);
}

static void test_directive_denylist(void **state) {
        struct syscall_policy_options opts = {.denylist = true};
        const char *text = "@denylist\nptrace: return EPERM\n";
        expect_action_opts(text, &opts, "ptrace", ARGS(0), SCMP_ACT_ERRNO(EPERM));
        expect_action_opts(text, &opts, "read", ARGS(0), ALLOW);
}

static void test_include_relative_to_including_file(void **state) {
        const struct memfile files[] = {{"/policies/sub/b.policy", "write: 1\n"},
                                        {"/policies/a.policy", "@include ./sub/b.policy\n"},
                                        {}};
        struct syscall_policy *p = expect_parses("@include ./a.policy\nread: 1\n", files, NULL);
        assert_int_equal(syscall_policy_syscall_count(p), 2);
        assert_true(syscall_policy_may_allow(p, "write"));
        syscall_policy_free(p);
}

static void test_include_prefix_maps_directory(void **state) {
        const struct memfile files[] = {{"/src/crosvm/common.policy", "write: 1\n"}, {}};
        const struct include_prefix prefixes[] = {{"/usr/share/policy/crosvm", "/src/crosvm"}};
        struct syscall_policy_options opts = {.include_prefixes = prefixes, .n_include_prefixes = 1};
        struct syscall_policy *p =
                expect_parses("@include /usr/share/policy/crosvm/common.policy\n", files, &opts);
        assert_true(syscall_policy_may_allow(p, "write"));
        syscall_policy_free(p);
}

static void test_include_four_levels_deep(void **state) {
        const struct memfile files[] = {
                {"/policies/l1.policy", "@include ./l2.policy\n"},
                {"/policies/l2.policy", "@include ./l3.policy\n"},
                {"/policies/l3.policy", "@include ./l4.policy\n"},
                {"/policies/l4.policy", "write: 1\n"},
                {},
        };
        struct syscall_policy *p = expect_parses("@include ./l1.policy\n", files, NULL);
        assert_true(syscall_policy_may_allow(p, "write"));
        syscall_policy_free(p);
}

static void test_duplicates_merge_filtered_then_unconditional(void **state) {
        /* crosvm jail_warden: clone: arg0 & CLONE_THREAD (common) + clone: 1 */
        const struct memfile files[] = {{"/policies/common.policy", "clone: arg0 & CLONE_THREAD\n"}, {}};
        struct syscall_policy *p = expect_parses("@include ./common.policy\nclone: 1\n", files, NULL);
        assert_int_equal(syscall_policy_rule_count(p), 2);
        syscall_policy_free(p);
        expect_action("clone: arg0 & CLONE_THREAD\nclone: 1\n", "clone", ARGS(0), ALLOW);
}

static void test_duplicates_merge_filtered_and_filtered(void **state) {
        const char *text = "ioctl: arg1 == 1\nioctl: arg1 == 2\n";
        expect_action(text, "ioctl", ARGS(0, 1), ALLOW);
        expect_action(text, "ioctl", ARGS(0, 2), ALLOW);
        expect_action(text, "ioctl", ARGS(0, 3), KILL);
}

static void test_skip_unknown_syscalls_option(void **state) {
        struct syscall_policy_options opts = {.skip_unknown_syscalls = true};
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        assert_int_equal(parse_policy("mmap2: 1\nread: 1\n", NULL, &opts, &p, &d), 0);
        diag_print(&d, stdout);
        assert_int_equal(d.n_warnings, 1);
        assert_non_null(strstr(d.entries[0].message, "skipping nonexistent syscall 'mmap2'"));
        assert_int_equal(syscall_policy_syscall_count(p), 1);
        syscall_policy_free(p);
        diag_clear(&d);
}

static void test_syscall_newer_than_libseccomp(void **state) {
#if defined(__x86_64__)
        struct syscall_policy *p = expect_parses("mseal: 1\n", NULL, NULL);
        void *prog = NULL;
        size_t n = 0;
        compile_to_bpf(p, &prog, &n);
        assert_int_equal(run_filter(prog, n, 462, ARGS(0)), ALLOW);
        assert_int_equal(run_filter(prog, n, 463, ARGS(0)), KILL);
        free(prog);
        syscall_policy_free(p);
#else
        printf("SKIP: the raw-number check is written for x86_64\n");
        skip();
#endif
}

static void test_action_parse_api(void **state) {
        struct policy_action a;
        char buf[32];
        assert_int_equal(policy_action_parse("return EPERM", &a), 0);
        assert_string_equal(policy_action_describe(a, buf, sizeof(buf)), "errno(1)");
        assert_int_equal(policy_action_parse("kill-process", &a), 0);
        assert_int_equal(policy_action_to_scmp(a), SCMP_ACT_KILL_PROCESS);
        assert_int_equal(policy_action_parse("sometimes", &a), -EINVAL);
        assert_int_equal(policy_action_parse("return", &a), -EINVAL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_allow_one),
                cmocka_unit_test(test_allow_word),
                cmocka_unit_test(test_whitespace_around_colon),
                cmocka_unit_test(test_comment_lines_and_blank_lines),
                cmocka_unit_test(test_trailing_comment_after_action),
                cmocka_unit_test(test_trailing_comment_after_expression),
                cmocka_unit_test(test_line_continuation),
                cmocka_unit_test(test_line_continuation_inside_token),
                cmocka_unit_test(test_no_trailing_newline),
                cmocka_unit_test(test_crlf_line_endings),
                cmocka_unit_test(test_syscall_set_in_braces),
                cmocka_unit_test(test_arch_metadata_matching),
                cmocka_unit_test(test_arch_metadata_other_arch_skipped),
                cmocka_unit_test(test_syscall_named_kill),
                cmocka_unit_test(test_operator_eq),
                cmocka_unit_test(test_operator_ne),
                cmocka_unit_test(test_operator_lt),
                cmocka_unit_test(test_operator_le),
                cmocka_unit_test(test_operator_gt),
                cmocka_unit_test(test_operator_ge),
                cmocka_unit_test(test_operator_any_bit),
                cmocka_unit_test(test_operator_in),
                cmocka_unit_test(test_and_of_atoms),
                cmocka_unit_test(test_or_of_clauses),
                cmocka_unit_test(test_value_or_of_constants),
                cmocka_unit_test(test_value_complement),
                cmocka_unit_test(test_value_parentheses),
                cmocka_unit_test(test_number_decimal_hex_octal),
                cmocka_unit_test(test_number_max_unsigned),
                cmocka_unit_test(test_number_negative_twos_complement),
                cmocka_unit_test(test_named_constants),
                cmocka_unit_test(test_action_return_errno_name),
                cmocka_unit_test(test_action_return_errno_number),
                cmocka_unit_test(test_action_kill),
                cmocka_unit_test(test_action_kill_process),
                cmocka_unit_test(test_action_kill_thread),
                cmocka_unit_test(test_action_trap),
                cmocka_unit_test(test_action_trace),
                cmocka_unit_test(test_action_log),
                cmocka_unit_test(test_action_user_notify),
                cmocka_unit_test(test_expression_then_return_both_branches),
                cmocka_unit_test(test_filter_list_in_braces),
                cmocka_unit_test(test_expression_without_action_falls_to_default),
                cmocka_unit_test(test_directive_default),
                cmocka_unit_test(test_option_default_action),
                cmocka_unit_test(test_directive_default_beats_option),
                cmocka_unit_test(test_directive_frequency_warns),
                cmocka_unit_test(test_directive_denylist),
                cmocka_unit_test(test_include_relative_to_including_file),
                cmocka_unit_test(test_include_prefix_maps_directory),
                cmocka_unit_test(test_include_four_levels_deep),
                cmocka_unit_test(test_duplicates_merge_filtered_then_unconditional),
                cmocka_unit_test(test_duplicates_merge_filtered_and_filtered),
                cmocka_unit_test(test_skip_unknown_syscalls_option),
                cmocka_unit_test(test_syscall_newer_than_libseccomp),
                cmocka_unit_test(test_action_parse_api),
        };
        return cmocka_run_group_tests_name("seccomp_grammar", tests, NULL, NULL);
}
