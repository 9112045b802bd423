/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The backstop of `sealrun compile`/`check` against libseccomp taking
 * forever: the compile runs first in a child with a CPU limit. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "policy_cli.h"

/* libseccomp 2.5.4 does not finish merging the rules this lowers to (in
 * native form: too many blocks otherwise) within 10 s of CPU, though no
 * shape compile.c knows of is in it (found by a random search; the
 * differential test meets more). */
static const char slow_policy[] = "read: arg0 > 0xff || arg1 == 0xff\n"
                                  "read: arg2 >= 0x100000001; return 13\n";

static void test_compile_past_cpu_limit_is_error_at_syscall(void **state) {
        struct syscall_policy *p = expect_parses(slow_policy, NULL, NULL);
        struct diag d = DIAG_INIT;
        assert_int_equal(policy_cli_compile_finishes(p, 1, &d), -EINVAL);
        diag_print(&d, stdout);
        assert_int_equal(d.n_errors, 1);
        assert_string_equal(d.entries[0].file, TEST_POLICY_PATH);
        assert_int_equal(d.entries[0].line, 1);
        assert_int_equal(d.entries[0].col, 7);
        assert_non_null(strstr(d.entries[0].message, "compiling the rules for 'read' did not finish"));
        syscall_policy_free(p);
        diag_clear(&d);
}

static void test_compile_within_cpu_limit_passes(void **state) {
        struct syscall_policy *p = expect_parses("read: arg0 == 1 && arg1 < 8 || arg2 & 0x21\n"
                                                 "read: arg0 != 3 && arg3 == 7; return EPERM\n",
                                                 NULL, NULL);
        struct diag d = DIAG_INIT;
        assert_int_equal(policy_cli_compile_finishes(p, 10, &d), 0);
        assert_int_equal(d.n_entries, 0);
        syscall_policy_free(p);
        diag_clear(&d);
}

/* An error the compile reports is not a timeout: the caller compiles again
 * and reports it itself. */
static void test_compile_error_is_not_a_timeout(void **state) {
        struct syscall_policy *p = expect_parses("read: arg0 < 0x100000000 && arg0 != 0x100\n"
                                                 "read: arg0 == 0xffffffff || arg0 in 0x300000003 && arg1 in 0xff; "
                                                 "return 13\n",
                                                 NULL, NULL);
        struct diag d = DIAG_INIT;
        assert_int_equal(policy_cli_compile_finishes(p, 10, &d), 0);
        assert_int_equal(d.n_entries, 0);
        syscall_policy_free(p);
        diag_clear(&d);
}

/* At launch there is no CPU limit, so the lowering that can make libseccomp
 * slow is refused outright (precompile instead); compile/check still take
 * it.  The same policy both ways. */
static const char native_only_policy[] = "read: arg0 != 3 && arg1 >= 8\n"
                                         "read: arg2 == 1; return EPERM\n";

static void test_launch_refuses_a_policy_needing_native_comparisons(void **state) {
        struct syscall_policy_options opts = { .refuse_slow_lowering = true };
        struct syscall_policy *p = expect_parses(native_only_policy, NULL, &opts);
        struct diag d = DIAG_INIT;
        scmp_filter_ctx ctx = NULL;
        assert_int_equal(syscall_policy_compile(p, &ctx, &d), -EINVAL);
        assert_null(ctx);
        assert_int_equal(d.n_errors, 1);
        assert_int_equal(d.entries[0].line, 1);
        assert_int_equal(d.entries[0].col, 7);
        assert_non_null(strstr(d.entries[0].message, "too many comparisons to compile at launch"));
        assert_non_null(strstr(d.entries[0].message, "'read'"));
        syscall_policy_free(p);
        diag_clear(&d);

        p = expect_parses(native_only_policy, NULL, NULL);
        assert_int_equal(syscall_policy_compile(p, &ctx, &d), 0);
        assert_int_equal(d.n_errors, 0);
        seccomp_release(ctx);
        syscall_policy_free(p);
        diag_clear(&d);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_compile_past_cpu_limit_is_error_at_syscall),
                cmocka_unit_test(test_compile_within_cpu_limit_passes),
                cmocka_unit_test(test_compile_error_is_not_a_timeout),
                cmocka_unit_test(test_launch_refuses_a_policy_needing_native_comparisons),
        };
        return cmocka_run_group_tests_name("seccomp_compile_time", tests, NULL, NULL);
}
