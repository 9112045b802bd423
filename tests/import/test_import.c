/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The importers' text and notes (launcher/import/): what a reviewer reads.
 * Their meaning is tested against libseccomp in docker_differential.py and
 * against systemd-analyze in systemd_groups.py. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "import_docker.h"
#include "import_systemd.h"

struct converted {
        int r;
        char *text, *error, *notes;
};

static struct converted convert(const char *json) {
        static const char *const caps[] = {"CAP_SYS_ADMIN"};
        const struct import_docker_options o = {
                .source_name = "t.json", .caps = caps, .n_caps = 1, .kernel = {6, 1, 0}};
        struct converted c = {};
        size_t size = 0;
        FILE *notes = open_memstream(&c.notes, &size);
        assert_non_null(notes);
        c.r = import_docker(json, strlen(json), &o, notes, &c.text, &c.error);
        fclose(notes);
        return c;
}

static void converted_done(struct converted *c) {
        free(c->text);
        free(c->error);
        free(c->notes);
}

static void test_comment_cannot_break_or_join_a_line(void **state) {
        (void) state;
        struct converted c =
                convert("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
                        " \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"a\\nwrite: 1 \\\\\"}]}");
        assert_int_equal(c.r, 0);
        assert_non_null(strstr(c.text, "# .syscalls[0]: 1 -- a?write: 1 ?\nread: 1\n"));
        assert_null(strstr(c.text, "\nwrite: 1"));
        converted_done(&c);
}

static void test_skipped_entries_stay_as_comments_with_the_reason(void **state) {
        (void) state;
        struct converted c =
                convert("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
                        "{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": "
                        "[\"CAP_SYS_BOOT\"]}},"
                        "{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38,"
                        " \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},"
                        "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": "
                        "{\"minKernel\": \"6.2\"}},"
                        "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ERRNO\"}]}");
        assert_int_equal(c.r, 0);
        assert_non_null(
                strstr(c.text, "not imported: includes.caps: CAP_SYS_BOOT is not among the capabilities"));
        assert_non_null(
                strstr(c.text, "not imported: excludes.caps: CAP_SYS_ADMIN is among the capabilities"));
        assert_non_null(strstr(c.text, "not imported: includes.minKernel: the kernel is older"));
        assert_non_null(strstr(c.text, "not imported: the default action already"));
        assert_null(strstr(c.text, "\nmount:"));
        assert_null(strstr(c.text, "\nclone3:"));
        converted_done(&c);
}

static void test_unknown_names_and_other_arches_are_noted_once_per_entry(void **state) {
        (void) state;
        struct converted c =
                convert("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\","
                        " \"SCMP_ARCH_X86\"], \"syscalls\": [{\"names\": [\"read\", \"nope1\", \"nope2\"],"
                        " \"action\": \"SCMP_ACT_ALLOW\"}]}");
        assert_int_equal(c.r, 0);
        assert_non_null(strstr(c.notes, "dropped architecture SCMP_ARCH_X86 (.architectures[1])"));
        assert_non_null(strstr(c.notes,
                               ".syscalls[0].names: skipped, unknown to libseccomp and sealrun on x86_64: "
                               "nope1 nope2\n"));
        converted_done(&c);
}

static void test_deny_list_rules_of_one_syscall_become_one(void **state) {
        (void) state;
        struct converted c =
                convert("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                        "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 97,"
                        " \"args\": [{\"index\": 0, \"value\": 40, \"op\": \"SCMP_CMP_EQ\"}]},"
                        "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 97,"
                        " \"args\": [{\"index\": 0, \"value\": 16, \"op\": \"SCMP_CMP_EQ\"},"
                        " {\"index\": 2, \"value\": 9, \"op\": \"SCMP_CMP_EQ\"}]}]}");
        assert_int_equal(c.r, 0);
        assert_non_null(strstr(c.text, "@denylist\n"));
        assert_non_null(
                strstr(c.text, "socket: arg0 != 40 && arg0 != 16 || arg0 != 40 && arg2 != 9; return 97\n"));
        assert_non_null(strstr(c.text, "#   socket: joined into the rule at .syscalls[0]\n"));
        converted_done(&c);
}

static void test_masked_equality_is_bits_set_and_bits_clear(void **state) {
        (void) state;
        struct converted c =
                convert("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"mmap\"],"
                        " \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 2, \"value\": 6,"
                        " \"valueTwo\": 10, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}");
        assert_int_equal(c.r, 0);
        /* valueTwo is masked (10 & 6 = 2): bit 1 set, bit 2 clear. */
        assert_non_null(strstr(c.text, "mmap: arg2 & 0x2 && arg2 in 0xfffffffffffffffb\n"));
        converted_done(&c);
}

static void test_kernel_versions(void **state) {
        (void) state;
        unsigned v[3];
        assert_int_equal(import_kernel_version_parse("6.18.0-rc1-amd64", v), 0);
        assert_true(v[0] == 6 && v[1] == 18 && v[2] == 0);
        assert_int_equal(import_kernel_version_parse("4.8", v), 0);
        assert_true(v[0] == 4 && v[1] == 8 && v[2] == 0);
        assert_int_equal(import_kernel_version_parse("4", v), -EINVAL);
        assert_int_equal(import_kernel_version_parse("four.8", v), -EINVAL);
        assert_int_equal(import_kernel_version_parse("", v), -EINVAL);
}

static void test_systemd_nested_groups_once_each(void **state) {
        (void) state;
        const char *groups[] = {"@system-service", "@basic-io"};
        char *text = NULL, *error = NULL;
        assert_int_equal(import_systemd(groups, 2, NULL, &text, &error), 0);
        /* @basic-io is nested in @system-service: its section and its lines once. */
        const char *first = strstr(text, "# @basic-io, in @system-service: ");
        assert_non_null(first);
        assert_null(strstr(first + 1, "# @basic-io"));
        const char *read = strstr(text, "\nread: 1\n");
        assert_non_null(read);
        assert_null(strstr(read + 1, "\nread: 1\n"));
        free(text);
}

static void test_systemd_unknown_group_names_the_groups(void **state) {
        (void) state;
        const char *groups[] = {"@nope"};
        char *text = NULL, *error = NULL;
        assert_int_equal(import_systemd(groups, 1, NULL, &text, &error), -EINVAL);
        assert_null(text);
        assert_non_null(strstr(error, "unknown group '@nope' (systemd's groups: @default "));
        free(error);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_comment_cannot_break_or_join_a_line),
                cmocka_unit_test(test_skipped_entries_stay_as_comments_with_the_reason),
                cmocka_unit_test(test_unknown_names_and_other_arches_are_noted_once_per_entry),
                cmocka_unit_test(test_deny_list_rules_of_one_syscall_become_one),
                cmocka_unit_test(test_masked_equality_is_bits_set_and_bits_clear),
                cmocka_unit_test(test_kernel_versions),
                cmocka_unit_test(test_systemd_nested_groups_once_each),
                cmocka_unit_test(test_systemd_unknown_group_names_the_groups),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
