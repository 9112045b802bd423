/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every malformed case: the error's FILE:LINE:COL and its message. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

/* "read: arg0 == " then `depth` '(' around a 1. */
static char *nested_parens_policy(size_t depth) {
        const char *head = "read: arg0 == ";
        size_t len = strlen(head) + 2 * depth + 3;
        char *text = malloc(len);
        assert_non_null(text);
        char *p = stpcpy(text, head);
        memset(p, '(', depth);
        p[depth] = '1';
        memset(p + depth + 1, ')', depth);
        strcpy(p + 2 * depth + 1, "\n");
        return text;
}

static void test_parentheses_nested_64_deep_parse(void **state) {
        char *text = nested_parens_policy(64);
        syscall_policy_free(expect_parses(text, NULL, NULL));
        free(text);
}

/* The 65th '(' (column 15 + 64) is refused. */
static void test_parentheses_nested_65_deep_is_error(void **state) {
        char *text = nested_parens_policy(65);
        expect_error(text, 1, 79, "parentheses nested too deep");
        free(text);
}

/* 50000 levels used to overflow the stack in parse_constant. */
static void test_parentheses_nested_50000_deep_is_error_not_crash(void **state) {
        char *text = nested_parens_policy(50000);
        expect_error(text, 1, 79, "parentheses nested too deep");
        free(text);
}

static void test_malformed_missing_colon(void **state) {
        expect_error("malformed\n", 1, 10, "malformed policy line, missing ':'");
}

static void test_missing_filter_open_colon(void **state) {
        expect_error("open:\n", 1, 6, "expected a filter");
}

static void test_missing_filter_open_colon_tab(void **state) {
        expect_error("open:\t    \n", 1, 11, "expected a filter");
}

static void test_invalid_argument_argnn(void **state) {
        expect_error("read: argnn == 1\n", 1, 7, "invalid argument 'argnn'");
}

static void test_invalid_argument_arg6(void **state) {
        expect_error("read: arg6 == 1\n", 1, 7, "invalid argument 'arg6'");
}

static void test_quadruple_pipe(void **state) {
        expect_error("read: arg0 == 1 |||| arg0 == 2\n", 1, 19, "expected an argument");
}

static void test_double_semicolon(void **state) {
        expect_error("read:arg0 == 0; ;\n", 1, 17, "expected an action");
}

static void test_double_complement(void **state) {
        expect_error("read: arg0 == ~~1\n", 1, 16, "double complement");
}

static void test_empty_complement(void **state) {
        expect_error("read: arg0 == ~\n", 1, 16, "empty complement");
}

static void test_empty_complement_before_or(void **state) {
        expect_error("read: arg0 == ~|1\n", 1, 16, "empty complement");
}

static void test_unsigned_overflow_hex(void **state) {
        expect_error("read: arg0 == 0x10000000000000000\n", 1, 15, "unsigned overflow");
}

static void test_unsigned_overflow_decimal(void **state) {
        expect_error("read: arg0 == 18446744073709551616\n", 1, 15, "unsigned overflow");
}

static void test_signed_underflow(void **state) {
        expect_error("read: arg0 == -9223372036854775809\n", 1, 16, "signed underflow");
}

static void test_invalid_number(void **state) {
        expect_error("read: arg0 == 09\n", 1, 15, "invalid number '09'");
}

static void test_unknown_constant(void **state) {
        expect_error("read: arg0 == NOT_A_CONSTANT\n", 1, 15, "invalid constant 'NOT_A_CONSTANT'");
}

static void test_unknown_syscall(void **state) {
        expect_error("not_a_syscall: 1\n", 1, 1, "nonexistent syscall 'not_a_syscall'");
}

static void test_unknown_syscall_in_braces(void **state) {
        expect_error("{read, nope}: 1\n", 1, 8, "nonexistent syscall 'nope'");
}

static void test_invalid_errno_name(void **state) {
        expect_error("read: return EFOO\n", 1, 14, "invalid errno value 'EFOO'");
}

static void test_invalid_errno_not_an_errno_constant(void **state) {
        /* A constant, but not an errno: O_RDONLY must not pass as one. */
        expect_error("read: return O_CLOEXEC\n", 1, 14, "invalid errno value 'O_CLOEXEC'");
}

static void test_invalid_errno_number_too_large(void **state) {
        expect_error("read: return 4096\n", 1, 14, "invalid errno value '4096'");
}

static void test_return_without_errno(void **state) {
        expect_error("read: return\n", 1, 13, "expected an errno name or number");
}

static void test_invalid_action(void **state) {
        expect_error("read: allowx\n", 1, 7, "invalid action 'allowx'");
}

static void test_invalid_operator(void **state) {
        expect_error("read: arg0 =! 1\n", 1, 12, "invalid operator");
}

static void test_extra_token(void **state) {
        expect_error("read: 1 2\n", 1, 9, "extra token '2'");
}

static void test_extra_token_after_errno(void **state) {
        expect_error("read: arg0 == 1; return EPERM EPERM\n", 1, 31, "extra token");
}

static void test_invalid_character(void **state) {
        expect_error("read: arg0 == $1\n", 1, 15, "invalid character '$'");
}

static void test_unclosed_brace_descriptor(void **state) {
        expect_error("{read, write: 1\n", 1, 13, "expected '}' or ','");
}

static void test_unclosed_parenthesis(void **state) {
        expect_error("read: arg0 == (1|2\n", 1, 19, "expected ')'");
}

static void test_unknown_arch_metadata(void **state) {
        expect_error("read[arch=vax]: 1\n", 1, 11, "unknown architecture 'vax'");
}

static void test_syscall_group_unsupported(void **state) {
        expect_error("read@group: 1\n", 1, 5, "syscall groups");
}

static void test_error_location_after_continuation(void **state) {
        expect_error("read: arg0 == 1 \\\n  || arg0 == NOPE\n", 2, 14, "invalid constant 'NOPE'");
}

/* ---- @include ---- */

static void test_include_unclude(void **state) {
        expect_error("@unclude /x.policy\n", 1, 1, "unknown directive '@unclude'");
}

static void test_include_no_space(void **state) {
        expect_error("@includefoo\n", 1, 1, "unknown directive '@includefoo'");
}

static void test_include_include(void **state) {
        expect_error("@includeinclude\n", 1, 1, "unknown directive '@includeinclude'");
}

static void test_include_without_path(void **state) {
        expect_error("@include\n", 1, 9, "@include needs a path");
}

static void test_include_blank_path(void **state) {
        expect_error("@include \n", 1, 10, "@include needs a path");
}

static void test_include_colon_comment(void **state) {
        expect_error("@include /f: comment\n", 1, 12, "':' is not allowed");
}

static void test_include_colon_in_path(void **state) {
        expect_error("@include /some/file:colon.policy\n", 1, 20, "':' is not allowed");
}

static void test_include_text_after_path(void **state) {
        expect_error("@include /a.policy extra\n", 1, 20, "unexpected text after the @include path");
}

static void test_include_missing_file(void **state) {
        expect_error("@include /nonexistent.policy\n", 1, 10,
                     "cannot read included file '/nonexistent.policy': No such file or directory");
}

static void test_include_implicit_relative(void **state) {
        expect_error("@include test/x.policy\n", 1, 10, "implicit relative path");
}

static void test_include_error_inside_included_file(void **state) {
        const struct memfile files[] = {{"/policies/a.policy", "read: 1\nwrite: bogus\n"}, {}};
        expect_error_in("@include ./a.policy\n", files, NULL, "/policies/a.policy", 2, 8,
                        "invalid action 'bogus'");
}

static void test_include_self_loop(void **state) {
        expect_error("@include ./test.policy\n", 1, 10,
                     "@include loop: /policies/test.policy -> /policies/test.policy");
}

static void test_include_loop_names_chain(void **state) {
        const struct memfile files[] = {
                {"/policies/a.policy", "@include /policies/b.policy\n"},
                {"/policies/b.policy", "\n@include ./a.policy\n"},
                {},
        };
        expect_error_in("@include ./a.policy\n", files, NULL, "/policies/b.policy", 2, 10,
                        "@include loop: /policies/a.policy -> /policies/b.policy -> /policies/a.policy");
}

static void test_include_nested_too_deep(void **state) {
        char names[10][32], texts[10][64];
        struct memfile files[11] = {};
        for (int i = 1; i <= 9; i++) {
                snprintf(names[i], sizeof(names[i]), "/policies/n%d.policy", i);
                snprintf(texts[i], sizeof(texts[i]), "@include ./n%d.policy\n", i + 1);
                files[i - 1] = (struct memfile){names[i], texts[i]};
        }
        expect_error_in("@include ./n1.policy\n", files, NULL, "/policies/n8.policy", 1, 10,
                        "nested too deep");
}

/* ---- @default, @denylist, duplicates ---- */

static void test_default_allow_is_refused(void **state) {
        expect_error("@default allow\nread: 1\n", 1, 10, "permissive @default");
}

static void test_default_log_is_refused(void **state) {
        expect_error("@default log\n", 1, 10, "permissive @default");
}

static void test_default_invalid_action(void **state) {
        expect_error("@default sometimes\n", 1, 10, "invalid action 'sometimes'");
}

static void test_denylist_loaded_as_allowlist(void **state) {
        expect_error("@denylist\nptrace: return EPERM\n", 1, 1,
                     "is a deny-list (@denylist) but is loaded as an allow-list");
}

static void test_allowlist_loaded_as_denylist(void **state) {
        struct syscall_policy_options opts = {.denylist = true};
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        assert_int_equal(parse_policy("read: return EPERM\n", NULL, &opts, &p, &d), -EINVAL);
        diag_print(&d, stdout);
        assert_int_equal(d.n_errors, 1);
        assert_string_equal(d.entries[0].file, TEST_POLICY_PATH);
        assert_non_null(strstr(d.entries[0].message, "not a deny-list (no @denylist)"));
        syscall_policy_free(p);
        diag_clear(&d);
}

static void test_denylist_rule_must_return_errno(void **state) {
        struct syscall_policy_options opts = {.denylist = true};
        expect_error_in("@denylist\nptrace: 1\n", NULL, &opts, NULL, 2, 1,
                        "every rule must end in 'return ERRNO'");
}

static void test_duplicate_different_action_is_error(void **state) {
        expect_error("read: 1\nread: return EPERM\n", 2, 7,
                     "already has a rule that decides every call (/policies/test.policy:1)");
}

static void test_duplicate_after_else_rule_is_error(void **state) {
        expect_error("read: arg0 == 1; return EPERM\nread: kill\n", 2, 7, "different action");
}

static void test_duplicate_same_action_is_warning(void **state) {
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        assert_int_equal(parse_policy("read: 1\nread: 1\n", NULL, NULL, &p, &d), 0);
        diag_print(&d, stdout);
        assert_int_equal(d.n_errors, 0);
        assert_int_equal(d.n_warnings, 1);
        assert_int_equal(d.entries[0].severity, DIAG_WARNING);
        assert_int_equal(d.entries[0].line, 2);
        assert_int_equal(d.entries[0].col, 7);
        assert_non_null(strstr(d.entries[0].message, "never applies"));
        syscall_policy_free(p);
        diag_clear(&d);
}

static void test_duplicate_across_include_reports_including_chain(void **state) {
        const struct memfile files[] = {{"/policies/common.policy", "futex: 1\n"}, {}};
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        assert_int_equal(parse_policy("futex: 1\n@include ./common.policy\n", files, NULL, &p, &d), 0);
        diag_print(&d, stdout);
        assert_int_equal(d.n_warnings, 1);
        assert_string_equal(d.entries[0].file, "/policies/common.policy");
        assert_string_equal(d.entries[0].context, "included from /policies/test.policy:2");
        syscall_policy_free(p);
        diag_clear(&d);
}

static void test_too_complex_to_lower_is_error(void **state) {
        /* The EPERM branch is "none of the earlier allow rules holds": a
         * product of four 64-way unions, far beyond the lowering limit. */
        expect_error("read: arg0 in 0\nread: arg1 in 0\nread: arg2 in 0\nread: arg3 in 0; return EPERM\n", 4,
                     7, "cannot lower this rule");
}

static void test_parse_text_counts_from_first_line(void **state) {
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        assert_int_equal(syscall_policy_new(NULL, &p), 0);
        const char *text = "read: 1\nwrite: arg0 == NOPE\n";
        assert_int_equal(syscall_policy_parse_text(p, "jq.workload", 40, text, strlen(text), &d), -EINVAL);
        diag_print(&d, stdout);
        assert_int_equal(d.n_errors, 1);
        assert_string_equal(d.entries[0].file, "jq.workload");
        assert_int_equal(d.entries[0].line, 41);
        assert_int_equal(d.entries[0].col, 16);
        assert_string_equal(d.entries[0].source_line, "write: arg0 == NOPE");
        syscall_policy_free(p);
        diag_clear(&d);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_malformed_missing_colon),
                cmocka_unit_test(test_missing_filter_open_colon),
                cmocka_unit_test(test_missing_filter_open_colon_tab),
                cmocka_unit_test(test_invalid_argument_argnn),
                cmocka_unit_test(test_invalid_argument_arg6),
                cmocka_unit_test(test_quadruple_pipe),
                cmocka_unit_test(test_double_semicolon),
                cmocka_unit_test(test_double_complement),
                cmocka_unit_test(test_empty_complement),
                cmocka_unit_test(test_empty_complement_before_or),
                cmocka_unit_test(test_unsigned_overflow_hex),
                cmocka_unit_test(test_unsigned_overflow_decimal),
                cmocka_unit_test(test_signed_underflow),
                cmocka_unit_test(test_invalid_number),
                cmocka_unit_test(test_unknown_constant),
                cmocka_unit_test(test_unknown_syscall),
                cmocka_unit_test(test_unknown_syscall_in_braces),
                cmocka_unit_test(test_invalid_errno_name),
                cmocka_unit_test(test_invalid_errno_not_an_errno_constant),
                cmocka_unit_test(test_invalid_errno_number_too_large),
                cmocka_unit_test(test_return_without_errno),
                cmocka_unit_test(test_invalid_action),
                cmocka_unit_test(test_invalid_operator),
                cmocka_unit_test(test_extra_token),
                cmocka_unit_test(test_extra_token_after_errno),
                cmocka_unit_test(test_invalid_character),
                cmocka_unit_test(test_unclosed_brace_descriptor),
                cmocka_unit_test(test_unclosed_parenthesis),
                cmocka_unit_test(test_parentheses_nested_64_deep_parse),
                cmocka_unit_test(test_parentheses_nested_65_deep_is_error),
                cmocka_unit_test(test_parentheses_nested_50000_deep_is_error_not_crash),
                cmocka_unit_test(test_unknown_arch_metadata),
                cmocka_unit_test(test_syscall_group_unsupported),
                cmocka_unit_test(test_error_location_after_continuation),
                cmocka_unit_test(test_include_unclude),
                cmocka_unit_test(test_include_no_space),
                cmocka_unit_test(test_include_include),
                cmocka_unit_test(test_include_without_path),
                cmocka_unit_test(test_include_blank_path),
                cmocka_unit_test(test_include_colon_comment),
                cmocka_unit_test(test_include_colon_in_path),
                cmocka_unit_test(test_include_text_after_path),
                cmocka_unit_test(test_include_missing_file),
                cmocka_unit_test(test_include_implicit_relative),
                cmocka_unit_test(test_include_error_inside_included_file),
                cmocka_unit_test(test_include_self_loop),
                cmocka_unit_test(test_include_loop_names_chain),
                cmocka_unit_test(test_include_nested_too_deep),
                cmocka_unit_test(test_default_allow_is_refused),
                cmocka_unit_test(test_default_log_is_refused),
                cmocka_unit_test(test_default_invalid_action),
                cmocka_unit_test(test_denylist_loaded_as_allowlist),
                cmocka_unit_test(test_allowlist_loaded_as_denylist),
                cmocka_unit_test(test_denylist_rule_must_return_errno),
                cmocka_unit_test(test_duplicate_different_action_is_error),
                cmocka_unit_test(test_duplicate_after_else_rule_is_error),
                cmocka_unit_test(test_duplicate_same_action_is_warning),
                cmocka_unit_test(test_duplicate_across_include_reports_including_chain),
                cmocka_unit_test(test_too_complex_to_lower_is_error),
                cmocka_unit_test(test_parse_text_counts_from_first_line),
        };
        return cmocka_run_group_tests_name("seccomp_errors", tests, NULL, NULL);
}
