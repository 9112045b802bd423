/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The check after compiling (verify.c): a filter that disagrees with the
 * policy is refused at the rule; a right one passes.  The filters here come
 * from other policies, standing in for a libseccomp mis-compile. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "policy_internal.h"

/* Verifies `policy` against the filter compiled from `filter_source`. */
static int verify_with_filter_of(const char *policy, const char *filter_source, struct diag *d) {
        struct syscall_policy *source = expect_parses(filter_source, NULL, NULL);
        void *prog = NULL;
        size_t n = 0;
        compile_to_bpf(source, &prog, &n);
        struct syscall_policy *p = expect_parses(policy, NULL, NULL);
        int r = syscall_policy_verify(p, prog, n, d);
        diag_print(d, stdout);
        free(prog);
        syscall_policy_free(p);
        syscall_policy_free(source);
        return r;
}

static void test_verify_accepts_the_right_filter(void **state) {
        const char *text = "read: arg0 == 1 && arg1 < 8 || arg2 & 0x21\nwrite: arg0 in 0x3; return EPERM\n";
        struct diag d = DIAG_INIT;
        assert_int_equal(verify_with_filter_of(text, text, &d), 0);
        assert_int_equal(d.n_errors, 0);
        diag_clear(&d);
}

/* One off at a bound: arg0 <= 3 against a filter for arg0 < 3. */
static void test_verify_refuses_filter_off_by_one_at_bound(void **state) {
        struct diag d = DIAG_INIT;
        assert_int_equal(
                verify_with_filter_of("read: 1\nwrite: arg0 <= 3\n", "read: 1\nwrite: arg0 < 3\n", &d),
                -EINVAL);
        assert_int_equal(d.n_errors, 1);
        assert_int_equal(d.entries[0].line, 2);
        assert_int_equal(d.entries[0].col, 8);
        assert_non_null(strstr(d.entries[0].message, "libseccomp compiled the rules for 'write' wrongly"));
        assert_non_null(strstr(d.entries[0].message, "(0x3, 0,"));
        diag_clear(&d);
}

/* Only the high word differs: the filter also allows 0x100000005. */
static void test_verify_refuses_filter_ignoring_high_word(void **state) {
        struct diag d = DIAG_INIT;
        assert_int_equal(
                verify_with_filter_of("read: arg1 == 5\n", "read: arg1 == 5 || arg1 == 0x100000005\n", &d),
                -EINVAL);
        assert_true(d.n_errors >= 1);
        assert_non_null(strstr(d.entries[0].message, "(0, 0x100000005,"));
        diag_clear(&d);
}

/* The repro's shape: right for each argument alone, wrong for a pair. */
static void test_verify_refuses_filter_wrong_for_a_pair_of_arguments(void **state) {
        struct diag d = DIAG_INIT;
        assert_int_equal(verify_with_filter_of(
                                 "read: arg0 <= 3 && arg1 <= 3\n",
                                 "read: arg0 <= 3 && arg1 <= 3 || arg0 == 0 && arg1 == 0xffffffff\n", &d),
                         -EINVAL);
        assert_true(d.n_errors >= 1);
        assert_non_null(strstr(d.entries[0].message, "(0, 0xffffffff,"));
        diag_clear(&d);
}

/* A mask's single bits are edges: bit 40 of `arg2 & 0x10000000001`. */
static void test_verify_refuses_filter_missing_a_mask_bit(void **state) {
        struct diag d = DIAG_INIT;
        assert_int_equal(verify_with_filter_of("read: arg2 & 0x10000000001\n", "read: arg2 & 0x1\n", &d),
                         -EINVAL);
        assert_true(d.n_errors >= 1);
        diag_clear(&d);
}

/* No argument compared: the action itself is checked. */
static void test_verify_refuses_filter_with_wrong_action(void **state) {
        struct diag d = DIAG_INIT;
        assert_int_equal(verify_with_filter_of("read: return EPERM\n", "read: return EACCES\n", &d), -EINVAL);
        assert_non_null(strstr(d.entries[0].message, "errno"));
        diag_clear(&d);
}

/* Found by test_seccomp_differential: libseccomp 2.5.4 mis-merges even the
 * EQ/MASKED_EQ form of these rules (read(3, 0x300000002) gets kill instead
 * of errno 1); the check after compiling refuses the policy. */
static void test_verify_refuses_libseccomp_miscompile_of_positive_form(void **state) {
        expect_error("mprotect: arg0 & 0xffffffff && arg0 == 0x300000003 || arg1 <= 0x5 && arg0 <= 0x3\n"
                     "mprotect: return 1\n",
                     1, 11, "libseccomp compiled the rules for 'mprotect' wrongly");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_verify_accepts_the_right_filter),
                cmocka_unit_test(test_verify_refuses_filter_off_by_one_at_bound),
                cmocka_unit_test(test_verify_refuses_filter_ignoring_high_word),
                cmocka_unit_test(test_verify_refuses_filter_wrong_for_a_pair_of_arguments),
                cmocka_unit_test(test_verify_refuses_filter_missing_a_mask_bit),
                cmocka_unit_test(test_verify_refuses_filter_with_wrong_action),
                cmocka_unit_test(test_verify_refuses_libseccomp_miscompile_of_positive_form),
        };
        return cmocka_run_group_tests_name("seccomp_verify", tests, NULL, NULL);
}
