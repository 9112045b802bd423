/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Two rules for one syscall that begin with the same comparison and go on
 * differently: every operator for the shared atom, every way to go on.
 * libseccomp 2.5.4 loops forever in seccomp_rule_add on some of these
 * (arg0 >= 3 && arg1 == 10 beside arg0 >= 3 && arg2 == 10, found by the CI
 * fuzz run), so each policy is first compiled in a child with a CPU limit;
 * then the filter must agree with the policy at every boundary tried.  Where
 * avoiding every loop multiplies the policy out past what libseccomp takes
 * (arg0 >= 3 && arg1 == 10 beside arg0 >= 3 && arg1 != 10: 63 x 64 blocks),
 * the compiler refuses it at its rule, quickly.  That can happen only when
 * the shared atom is a range of many aligned blocks (!=, >, >= 3); every
 * other pair must compile. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "compile_child.h"

static const char *const shared_ops[] = {"==", "!=", "<", "<=", ">", ">=", "&", "in"};
/* What follows the shared atom: nothing, or one atom on arg1 or arg2, of
 * each kind of libseccomp node. */
static const char *const tails[] = {
        "",
        " && arg1 == 10",
        " && arg1 != 10",
        " && arg1 >= 10",
        " && arg1 < 10",
        " && arg1 & 16",
        " && arg1 == 16",
        " && arg1 >= 16",
        " && arg2 == 10",
        " && arg2 >= 10",
        " && arg2 != 10",
};
static const char *const second_actions[] = {"", "; return EPERM"};

static const uint64_t boundary[] = {0, 1, 2, 3, 4, 9, 10, 11, 15, 16, 17, 0x100000003, UINT64_MAX};
#define N_BOUNDARY (sizeof(boundary) / sizeof(boundary[0]))

static void expect_filter_agrees(const struct syscall_policy *p, const void *prog, size_t n,
                                 const char *text) {
        int nr = syscall_nr("write");
        for (size_t i = 0; i < N_BOUNDARY * N_BOUNDARY * N_BOUNDARY; i++) {
                const uint64_t args[6] = {boundary[i % N_BOUNDARY], boundary[i / N_BOUNDARY % N_BOUNDARY],
                                          boundary[i / N_BOUNDARY / N_BOUNDARY]};
                uint32_t want = policy_action_to_scmp(syscall_policy_decide(p, nr, args));
                uint32_t got = run_filter(prog, n, nr, args);
                if (want != got)
                        fail_msg("write(%#llx, %#llx, %#llx): BPF %#x, policy %#x\n%s",
                                 (unsigned long long) args[0], (unsigned long long) args[1],
                                 (unsigned long long) args[2], got, want, text);
        }
}

/* true: compiled and agrees; false: refused with an error at a rule. */
static bool compile_and_compare(const char *text) {
        struct syscall_policy *p = expect_parses(text, NULL, NULL);
        struct diag d = DIAG_INIT;
        struct sock_filter *prog = NULL;
        size_t n = 0;
        if (compile_child_run(p, 2, &prog, &n, NULL, &d) < 0) {
                if (d.n_errors == 1 && strstr(d.entries[0].message, "did not finish"))
                        fail_msg("libseccomp did not finish within 2 s of CPU:\n%s", text);
                assert_int_equal(d.n_errors, 1);
                assert_int_not_equal(d.entries[0].line, 0);
                assert_non_null(strstr(d.entries[0].message, "too many comparisons for 'write'"));
                diag_clear(&d);
                syscall_policy_free(p);
                return false;
        }
        expect_filter_agrees(p, prog, n, text);
        free(prog);
        diag_clear(&d);
        syscall_policy_free(p);
        return true;
}

static void run_shared_op(unsigned op, bool may_refuse) {
        unsigned n = 0, refused = 0;
        for (size_t a = 0; a < sizeof(tails) / sizeof(tails[0]); a++)
                for (size_t b = 0; b < sizeof(tails) / sizeof(tails[0]); b++)
                        for (size_t act = 0; act < sizeof(second_actions) / sizeof(second_actions[0]);
                             act++) {
                                if (a == b)
                                        continue; /* the same rule twice is a duplicate */
                                char text[256];
                                snprintf(text, sizeof(text), "write: arg0 %s 3%s\nwrite: arg0 %s 3%s%s\n",
                                         shared_ops[op], tails[a], shared_ops[op], tails[b],
                                         second_actions[act]);
                                if (compile_and_compare(text))
                                        n++;
                                else
                                        refused++;
                        }
        printf("'arg0 %s 3': %u rule pairs compiled and agree with the policy, %u refused\n", shared_ops[op],
               n, refused);
        if (!may_refuse)
                assert_int_equal(refused, 0);
        assert_true(n > refused);
}

/* One test per operator, so a failure names it. */
static void test_shared_eq(void **state) {
        run_shared_op(0, false);
}
static void test_shared_ne(void **state) {
        run_shared_op(1, true);
}
static void test_shared_lt(void **state) {
        run_shared_op(2, false);
}
static void test_shared_le(void **state) {
        run_shared_op(3, false);
}
static void test_shared_gt(void **state) {
        run_shared_op(4, true);
}
static void test_shared_ge(void **state) {
        run_shared_op(5, true);
}
static void test_shared_and(void **state) {
        run_shared_op(6, false);
}
static void test_shared_in(void **state) {
        run_shared_op(7, false);
}

/* libseccomp loops on a range node beside a plain one only when the rule
 * with the range node is added first; the other order compiles as is
 * (with native comparisons, past the 256-rule positive form). */
static void test_plain_before_range_compiles(void **state) {
        assert_true(compile_and_compare("write: arg0 > 3 && arg1 == 10\n"
                                        "write: arg0 > 3 && arg1 >= 16\n"));
        assert_true(compile_and_compare("write: arg0 >= 3 && arg1 == 10\n"
                                        "write: arg0 >= 3 && arg1 >= 16; return EPERM\n"));
}

/* The input the fuzzer stopped on, as it was. */
static void test_fuzz_timeout_input_compiles(void **state) {
        assert_true(compile_and_compare("read: arg1 == 1\n"
                                        "read: arg1 != 1; return EPERM\n"
                                        "write: arg0 >= 3 && arg1 <= 10\n"
                                        "close: arg1 != 1; return EPERM\n"
                                        "write: arg0 >= 3 && arg2 <= 10\n"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_shared_eq),
                cmocka_unit_test(test_shared_ne),
                cmocka_unit_test(test_shared_lt),
                cmocka_unit_test(test_shared_le),
                cmocka_unit_test(test_shared_gt),
                cmocka_unit_test(test_shared_ge),
                cmocka_unit_test(test_shared_and),
                cmocka_unit_test(test_shared_in),
                cmocka_unit_test(test_plain_before_range_compiles),
                cmocka_unit_test(test_fuzz_timeout_input_compiles),
        };
        return cmocka_run_group_tests_name("seccomp_shared_prefix", tests, NULL, NULL);
}
