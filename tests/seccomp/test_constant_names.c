/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Value -> names of one family (constants.h): exact names for enum-like
 * families, OR-ed names for flag families, as the syscall-argument decoder
 * asks for them.  Expected values come from the same system headers. */
#include "constants.h"

#if defined(_SECCOMP_H)
#error "constants.h must not pull in <seccomp.h>: a decoder uses it alone"
#endif

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sched.h>

#include <cmocka.h>

static void test_enum_names_are_exact(void **state) {
        /* FUTEX_OP_CMP_EQ is 0 too: futex(2)'s op argument leaves out the
         * FUTEX_WAKE_OP encoding. */
        assert_string_equal(policy_constant_name_of("FUTEX_ -FUTEX_OP_", FUTEX_WAIT), "FUTEX_WAIT");
        assert_string_equal(policy_constant_name_of("FUTEX_", FUTEX_WAKE_PRIVATE), "FUTEX_WAKE_PRIVATE");
        assert_string_equal(policy_constant_name_of("PR_", PR_SET_NO_NEW_PRIVS), "PR_SET_NO_NEW_PRIVS");
        assert_string_equal(policy_constant_name_of("SIG", SIGKILL), "SIGKILL");
        assert_null(policy_constant_name_of("FUTEX_", 0x7fff1234));
        assert_null(policy_constant_name_of("NO_SUCH_FAMILY_", 0));
}

static void test_aliases_come_last(void **state) {
        /* O_NDELAY is defined as O_NONBLOCK, SIGCLD as SIGCHLD. */
        const char *names[4];
        size_t n = policy_constant_names_of("O_", O_NONBLOCK, names, 4);
        assert_true(n >= 2);
        assert_string_equal(names[0], "O_NONBLOCK");
        assert_string_equal(policy_constant_name_of("SIG", SIGCHLD), "SIGCHLD");
        assert_string_equal(policy_errno_name(EAGAIN), "EAGAIN");
        assert_string_equal(policy_errno_name(ENOSYS), "ENOSYS");
        assert_null(policy_errno_name(0));
}

static void test_count_without_room(void **state) {
        size_t n = policy_constant_names_of("O_", O_NONBLOCK, NULL, 0);
        const char *one[1] = {"untouched"};
        assert_int_equal(policy_constant_names_of("O_", O_NONBLOCK, one, 1), n);
        assert_string_equal(one[0], "O_NONBLOCK");
}

static void test_prefix_without_underscore_is_strict(void **state) {
        /* SIG_BLOCK is 0 and SIGEV_SIGNAL is 0: neither is a signal. */
        assert_null(policy_constant_name_of("SIG", 0));
        assert_string_equal(policy_constant_name_of("SIG_", SIG_BLOCK), "SIG_BLOCK");
        const char *names[8];
        size_t n = policy_constant_names_of("SIG", SIGHUP, names, 8);
        for (size_t i = 0; i < n && i < 8; i++)
                assert_null(strchr(names[i], '_'));
}

#define FCNTL_COMMANDS "F_ -F_SEAL_ -F_OK -F_RDLCK -F_WRLCK -F_UNLCK -F_EXLCK -F_SHLCK"

static void test_exclusions(void **state) {
        /* F_SETFL and F_SEAL_GROW are both 4. */
        const char *names[8];
        size_t n = policy_constant_names_of("F_", F_SETFL, names, 8);
        bool seal = false;
        for (size_t i = 0; i < n && i < 8; i++)
                seal |= !strncmp(names[i], "F_SEAL_", 7);
        assert_true(seal);
        assert_string_equal(policy_constant_name_of(FCNTL_COMMANDS, F_SETFL), "F_SETFL");
        assert_null(policy_constant_name_of("F_ -F_", F_SETFL));
}

static const char *decompose(const char *family, uint64_t value) {
        static char buf[512];
        struct policy_flag_names f;
        policy_constant_decompose(family, value, &f);
        size_t need = policy_flag_names_format(&f, buf, sizeof(buf));
        assert_int_equal(need, strlen(buf));
        return buf;
}

static void test_flags_decompose(void **state) {
        assert_string_equal(decompose("O_", O_RDWR | O_CLOEXEC), "O_RDWR|O_CLOEXEC");
        assert_string_equal(decompose("O_", O_RDONLY), "O_RDONLY");
        /* O_SYNC holds O_DSYNC's bit: the name with more bits wins. */
        assert_string_equal(decompose("O_", O_WRONLY | O_SYNC), "O_WRONLY|O_SYNC");
        assert_string_equal(decompose("O_", O_TMPFILE | O_RDWR), "O_RDWR|O_TMPFILE");
        assert_string_equal(decompose("O_", O_NONBLOCK), "O_NONBLOCK");
        assert_string_equal(decompose("PROT_", PROT_READ | PROT_WRITE), "PROT_READ|PROT_WRITE");
        assert_string_equal(decompose("MAP_", MAP_PRIVATE | MAP_ANONYMOUS), "MAP_PRIVATE|MAP_ANONYMOUS");
        assert_string_equal(decompose("CLONE_", CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
                                                        CLONE_THREAD | CLONE_SYSVSEM),
                            "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM");
}

static void test_unnamed_bits_are_kept(void **state) {
        assert_string_equal(decompose("PROT_", PROT_READ | 0x40000000), "PROT_READ|0x40000000");
        assert_string_equal(decompose("NO_SUCH_FAMILY_", 0x30), "0x30");
        assert_string_equal(decompose("NO_SUCH_FAMILY_", 0), "0");
        struct policy_flag_names f;
        policy_constant_decompose("PROT_", PROT_EXEC | 0x100000000ULL, &f);
        assert_int_equal(f.n, 1);
        assert_int_equal(f.unnamed, 0x100000000ULL);
}

static void test_masks_and_shifts_are_not_flags(void **state) {
        /* MAP_HUGE_SHIFT is 26 (0x1a), a bit position: 0x1a is MAP_PRIVATE|MAP_FIXED|0x8... never the shift.
         */
        struct policy_flag_names f;
        policy_constant_decompose("MAP_", 0x1a, &f);
        for (size_t i = 0; i < f.n; i++)
                assert_null(strstr(f.names[i], "_SHIFT"));
        policy_constant_decompose("FUTEX_", 0xffffffff, &f);
        for (size_t i = 0; i < f.n; i++)
                assert_null(strstr(f.names[i], "_MASK"));
}

static void test_format_truncates_like_snprintf(void **state) {
        struct policy_flag_names f;
        policy_constant_decompose("O_", O_RDWR | O_CLOEXEC, &f);
        char small[5];
        size_t need = policy_flag_names_format(&f, small, sizeof(small));
        assert_int_equal(need, strlen("O_RDWR|O_CLOEXEC"));
        assert_string_equal(small, "O_RD");
        assert_int_equal(policy_flag_names_format(&f, NULL, 0), need);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_enum_names_are_exact),
                cmocka_unit_test(test_aliases_come_last),
                cmocka_unit_test(test_count_without_room),
                cmocka_unit_test(test_prefix_without_underscore_is_strict),
                cmocka_unit_test(test_exclusions),
                cmocka_unit_test(test_flags_decompose),
                cmocka_unit_test(test_unnamed_bits_are_kept),
                cmocka_unit_test(test_masks_and_shifts_are_not_flags),
                cmocka_unit_test(test_format_truncates_like_snprintf),
        };
        return cmocka_run_group_tests_name("seccomp_constant_names", tests, NULL, NULL);
}
