/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What compiled filters do, through the test-only BPF evaluator: 64-bit
 * comparisons, masks, first-match ordering (reference §10.4: libseccomp
 * itself does not order rules), foreign ABIs.  The last tests compare the
 * BPF against syscall_policy_decide() over many argument vectors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/audit.h>

#include "helpers.h"

static void test_64bit_less_than(void **state) {
        const char *text = "mprotect: arg0 < 0x123456789abc\n";
        expect_action(text, "mprotect", ARGS(0x123456789abb), ALLOW);
        expect_action(text, "mprotect", ARGS(0x123456789abc), KILL);
        /* same low word, higher high word */
        expect_action(text, "mprotect", ARGS(0x133456789abb), KILL);
        /* low word larger than the bound's, high word smaller */
        expect_action(text, "mprotect", ARGS(0x1100000000 | 0xffffffff), ALLOW);
}

static void test_64bit_constant_compares_both_halves(void **state) {
        const char *text = "mprotect: arg0 == 0xbadc0ffee0ddf00d\n";
        expect_action(text, "mprotect", ARGS(0xbadc0ffee0ddf00d), ALLOW);
        expect_action(text, "mprotect", ARGS(0xe0ddf00d), KILL);
        expect_action(text, "mprotect", ARGS(0xbadc0ffe00000000), KILL);
}

static void test_minus_one_is_64bit(void **state) {
        expect_action("mprotect: arg0 == -1\n", "mprotect", ARGS(UINT64_MAX), ALLOW);
        expect_action("mprotect: arg0 == -1\n", "mprotect", ARGS(0xffffffff), KILL);
}

static void test_any_bit_multibit_mask(void **state) {
        /* `&` with several bits: any of them (no single libseccomp compare) */
        const char *text = "mprotect: arg0 & 0x100000005\n";
        expect_action(text, "mprotect", ARGS(1), ALLOW);
        expect_action(text, "mprotect", ARGS(4), ALLOW);
        expect_action(text, "mprotect", ARGS(0x100000000), ALLOW);
        expect_action(text, "mprotect", ARGS(2), KILL);
        expect_action(text, "mprotect", ARGS(0), KILL);
        expect_action(text, "mprotect", ARGS(0xfffffffafffffffa), KILL);
}

static void test_in_ignores_nothing_outside_the_set(void **state) {
        const char *text = "mprotect: arg0 in 0x3\n";
        expect_action(text, "mprotect", ARGS(0), ALLOW);
        expect_action(text, "mprotect", ARGS(3), ALLOW);
        expect_action(text, "mprotect", ARGS(4), KILL);
        /* a bit in the high word is outside the set too */
        expect_action(text, "mprotect", ARGS(0x100000001), KILL);
}

static void test_masked_compare_ignores_bits_outside_mask(void **state) {
        /* `arg & M` looks only at M's bits: others never matter. */
        const char *text = "read: arg0 & 0x10\n";
        expect_action(text, "read", ARGS(0xffffffffffffffef), KILL);
        expect_action(text, "read", ARGS(0x10), ALLOW);
        expect_action(text, "read", ARGS(0xffffffffffffffff), ALLOW);
}

static void test_same_argument_twice_in_one_clause(void **state) {
        /* libseccomp refuses two compares of one argument in a rule; the
         * range is lowered into aligned masked compares instead. */
        const char *text = "mprotect: arg0 >= 3 && arg0 <= 10\n";
        for (uint64_t v = 0; v < 16; v++)
                expect_action(text, "mprotect", ARGS(v), v >= 3 && v <= 10 ? ALLOW : KILL);
        expect_action(text, "mprotect", ARGS(0x100000005), KILL);
}

static void test_ne_and_ne_same_argument(void **state) {
        const char *text = "read: arg0 != 1 && arg0 != 2\n";
        expect_action(text, "read", ARGS(0), ALLOW);
        expect_action(text, "read", ARGS(1), KILL);
        expect_action(text, "read", ARGS(2), KILL);
        expect_action(text, "read", ARGS(3), ALLOW);
        expect_action(text, "read", ARGS(UINT64_MAX), ALLOW);
}

static void test_each_action_value(void **state) {
        expect_action("read: return EACCES\n", "read", ARGS(0), SCMP_ACT_ERRNO(EACCES));
        expect_action("read: trap\n", "read", ARGS(0), SCMP_ACT_TRAP);
        expect_action("read: log\n", "read", ARGS(0), SCMP_ACT_LOG);
        expect_action("read: kill-thread\n", "read", ARGS(0), SCMP_ACT_KILL_THREAD);
        expect_action("@default trap\nread: kill-process\n", "read", ARGS(0), SCMP_ACT_KILL_PROCESS);
        expect_action("read: user-notify\n", "read", ARGS(0), SCMP_ACT_NOTIFY);
        expect_action("read: trace\n", "read", ARGS(0), SCMP_ACT_TRACE(0));
        expect_action("read: allow\n", "read", ARGS(0), SCMP_ACT_ALLOW);
}

/* §10.4: libseccomp lets an unconditional ERRNO swallow an earlier
 * filtered ALLOW; minijail's first match must win. */
static void test_first_match_filtered_allow_then_unconditional_errno(void **state) {
        const char *text = "socket: arg0 == AF_UNIX\nsocket: return EPERM\n";
        expect_action(text, "socket", ARGS(1), ALLOW);
        expect_action(text, "socket", ARGS(2), SCMP_ACT_ERRNO(EPERM));
}

static void test_first_match_errno_line_both_branches(void **state) {
        const char *text = "socket: arg0 == AF_UNIX || arg0 == AF_NETLINK; return EACCES\n";
        expect_action(text, "socket", ARGS(1), ALLOW);
        expect_action(text, "socket", ARGS(16), ALLOW);
        expect_action(text, "socket", ARGS(2), SCMP_ACT_ERRNO(EACCES));
        expect_action(text, "socket", ARGS(10), SCMP_ACT_ERRNO(EACCES));
}

static void test_first_match_overlapping_conditions_different_args(void **state) {
        /* ALLOW if a0 == 1, then EPERM if a1 == 5: libseccomp alone gave
         * EPERM when both hold; the first rule must win. */
        const char *text = "read: arg0 == 1\nread: arg1 != 5; return EPERM\n";
        expect_action(text, "read", ARGS(1, 5), ALLOW);
        expect_action(text, "read", ARGS(0, 5), SCMP_ACT_ERRNO(EPERM));
        expect_action(text, "read", ARGS(0, 4), ALLOW);
        expect_action(text, "read", ARGS(1, 4), ALLOW);
}

static void test_first_match_filtered_then_unconditional_kill_with_trap_default(void **state) {
        const char *text = "@default trap\nread: arg0 == 1\nread: kill\n";
        expect_action(text, "read", ARGS(1), ALLOW);
        expect_action(text, "read", ARGS(2), SCMP_ACT_KILL_PROCESS);
        expect_action(text, "write", ARGS(2), SCMP_ACT_TRAP);
}

static void test_first_match_masks_then_errno(void **state) {
        const char *text =
                "mmap: arg2 in ~PROT_EXEC || arg2 in ~PROT_WRITE\nmmap: arg3 & 0x20; return ENOMEM\n";
        expect_action(text, "mmap", ARGS(0, 0, 7, 0x20), ALLOW);
        expect_action(text, "mmap", ARGS(0, 0, 6, 0x20), ALLOW);
        expect_action(text, "mmap", ARGS(0, 0, 6, 0x22), ALLOW);
        expect_action(text, "mmap", ARGS(0, 0, 6, 0x02), SCMP_ACT_ERRNO(ENOMEM));
}

static void test_wrong_arch_is_killed(void **state) {
        struct syscall_policy_options opts = {.default_action = {.type = POLICY_ACTION_ALLOW},
                                              .default_action_set = true};
        struct syscall_policy *p = expect_parses("read: return EPERM\n", NULL, &opts);
        void *prog = NULL;
        size_t n = 0;
        compile_to_bpf(p, &prog, &n);
        assert_int_equal(run_filter_arch(prog, n, AUDIT_ARCH_I386, 3, ARGS(0)), SCMP_ACT_KILL_PROCESS);
        assert_int_equal(run_filter_arch(prog, n, AUDIT_ARCH_AARCH64 ^ AUDIT_ARCH_X86_64 ^ AUDIT_ARCH_I386, 0,
                                         ARGS(0)),
                         SCMP_ACT_KILL_PROCESS);
        free(prog);
        syscall_policy_free(p);
}

static void test_x32_syscalls_are_killed(void **state) {
#if defined(__x86_64__)
        /* x32 shares AUDIT_ARCH_X86_64 and sets bit 30 of the number; with
         * a permissive default it must still be killed, never allowed. */
        struct syscall_policy_options opts = {.default_action = {.type = POLICY_ACTION_ALLOW},
                                              .default_action_set = true};
        struct syscall_policy *p = expect_parses("ptrace: return EPERM\n", NULL, &opts);
        void *prog = NULL;
        size_t n = 0;
        compile_to_bpf(p, &prog, &n);
        assert_int_equal(run_filter(prog, n, 0x40000000 | 0, ARGS(0)), SCMP_ACT_KILL_PROCESS);
        assert_int_equal(run_filter(prog, n, 0x40000000 | 101, ARGS(0)), SCMP_ACT_KILL_PROCESS);
        assert_int_equal(run_filter(prog, n, 0x40000000 | 520, ARGS(0)), SCMP_ACT_KILL_PROCESS);
        assert_int_equal(run_filter(prog, n, 101, ARGS(0)), SCMP_ACT_ERRNO(EPERM));
        assert_int_equal(run_filter(prog, n, 0, ARGS(0)), SCMP_ACT_ALLOW);
        free(prog);
        syscall_policy_free(p);
#else
        printf("SKIP: x32 exists only on x86_64\n");
        skip();
#endif
}

/* ---- differential: BPF == decide() ---- */

static uint64_t next_random(uint64_t *s) {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        return *s;
}

/* Vectors from the interesting values: each constant and its neighbours,
 * with and without high bits, mixed per argument. */
static void compare_everywhere(const char *text, const char *syscall, const uint64_t *values,
                               size_t n_values) {
        struct syscall_policy *p = expect_parses(text, NULL, NULL);
        void *prog = NULL;
        size_t n = 0;
        compile_to_bpf(p, &prog, &n);
        int nr = syscall_nr(syscall);
        uint64_t seed = 0x9e3779b97f4a7c15;
        for (size_t round = 0; round < 4000; round++) {
                uint64_t args[6];
                for (unsigned a = 0; a < 6; a++) {
                        uint64_t r = next_random(&seed);
                        uint64_t v = values[r % n_values];
                        switch ((r >> 32) % 6) {
                        case 0:
                                v = v - 1;
                                break;
                        case 1:
                                v = v + 1;
                                break;
                        case 2:
                                v |= UINT64_C(1) << (r >> 40) % 64;
                                break;
                        case 3:
                                v = next_random(&seed);
                                break;
                        default:
                                break;
                        }
                        args[a] = v;
                }
                uint32_t want = policy_action_to_scmp(syscall_policy_decide(p, nr, args));
                uint32_t got = run_filter(prog, n, nr, args);
                if (want != got)
                        fail_msg("%s(%#llx, %#llx, %#llx, %#llx): BPF %#x, policy %#x", syscall,
                                 (unsigned long long) args[0], (unsigned long long) args[1],
                                 (unsigned long long) args[2], (unsigned long long) args[3], got, want);
        }
        free(prog);
        syscall_policy_free(p);
}

static void test_differential_mixed_operators(void **state) {
        static const uint64_t values[] = {0, 1,    2,    3,          4,          5,          7,
                                          8, 0x10, 0x20, 0xffffffff, UINT64_MAX, 0x100000000};
        compare_everywhere("read: arg0 == 1 && arg1 < 8 || arg2 & 0x21\n"
                           "read: arg0 != 3 && arg3 == 7; return EPERM\n",
                           "read", values, sizeof(values) / sizeof(values[0]));
}

static void test_differential_ranges_and_masks_same_arg(void **state) {
        static const uint64_t values[] = {0, 2, 3, 4, 9, 10, 11, 0x40, 0x41, 0xffffffff, 0x100000000};
        compare_everywhere("write: arg0 > 2 && arg0 < 11 && arg0 & 0x1\n"
                           "write: arg0 in 0x41 || arg1 >= 0x100000000\n"
                           "write: arg0 != 9 && arg0 != 10; return EACCES\n",
                           "write", values, sizeof(values) / sizeof(values[0]));
}

static void test_differential_trap_then_default(void **state) {
        static const uint64_t values[] = {0, 1, 5, 6, 7, 8, 0x80000000, 0xffffffff80000000};
        compare_everywhere("@default trap\nclose: arg0 == 5 || arg1 == 3\nclose: arg2 >= 0x80000000; kill\n",
                           "close", values, sizeof(values) / sizeof(values[0]));
}

/* Review repro: libseccomp 2.5.4 merged these two rules into a filter that
 * allowed read(0, 0xffffffff), which neither rule allows. */
static void test_repro_gt_gt_then_le_le_filter_is_correct(void **state) {
        const char *text = "mprotect: arg0 > 0x7 && arg0 > 0x7fffffffffffffff\n"
                           "mprotect: arg0 <= 0x3 && arg1 <= 0x3\n";
        expect_action(text, "mprotect", ARGS(0, 0xffffffff), KILL);
        expect_action(text, "mprotect", ARGS(0, 3), ALLOW);
        expect_action(text, "mprotect", ARGS(4, 0), KILL);
        expect_action(text, "mprotect", ARGS(0x8000000000000000, 0xffffffff), ALLOW);
        static const uint64_t values[] = {0, 3, 4, 7, 8, 0xffffffff, 0x7fffffffffffffff};
        compare_everywhere(text, "mprotect", values, sizeof(values) / sizeof(values[0]));
}

/* Review repro: seccomp_rule_add_exact_array spun forever on these rules.
 * They need more libseccomp rules than one syscall may have, which is now a
 * prompt error at the rule. */
static void test_repro_rule_merge_hang_is_prompt_error(void **state) {
        expect_error("mprotect: arg0 < 0x100000000 && arg0 != 0x100\n"
                     "mprotect: arg0 == 0xffffffff || arg0 in 0x300000003 && arg1 in 0xff; return 13\n",
                     2, 11,
                     "cannot lower this rule into libseccomp rules: too many comparisons for 'mprotect'");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_64bit_less_than),
                cmocka_unit_test(test_64bit_constant_compares_both_halves),
                cmocka_unit_test(test_minus_one_is_64bit),
                cmocka_unit_test(test_any_bit_multibit_mask),
                cmocka_unit_test(test_in_ignores_nothing_outside_the_set),
                cmocka_unit_test(test_masked_compare_ignores_bits_outside_mask),
                cmocka_unit_test(test_same_argument_twice_in_one_clause),
                cmocka_unit_test(test_ne_and_ne_same_argument),
                cmocka_unit_test(test_each_action_value),
                cmocka_unit_test(test_first_match_filtered_allow_then_unconditional_errno),
                cmocka_unit_test(test_first_match_errno_line_both_branches),
                cmocka_unit_test(test_first_match_overlapping_conditions_different_args),
                cmocka_unit_test(test_first_match_filtered_then_unconditional_kill_with_trap_default),
                cmocka_unit_test(test_first_match_masks_then_errno),
                cmocka_unit_test(test_wrong_arch_is_killed),
                cmocka_unit_test(test_x32_syscalls_are_killed),
                cmocka_unit_test(test_differential_mixed_operators),
                cmocka_unit_test(test_differential_ranges_and_masks_same_arg),
                cmocka_unit_test(test_differential_trap_then_default),
                cmocka_unit_test(test_repro_gt_gt_then_le_le_filter_is_correct),
                cmocka_unit_test(test_repro_rule_merge_hang_is_prompt_error),
        };
        return cmocka_run_group_tests_name("seccomp_semantics", tests, NULL, NULL);
}
