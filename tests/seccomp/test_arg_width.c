/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Arguments the kernel narrows (launcher/seccomp/arg_width.c): a filter
 * compares the bits the kernel reads, so high bits never walk a call past
 * a rule (CVE-2019-10063: ioctl(fd, (1 << 32) | TIOCSTI) is TIOCSTI). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "arg_width.h"
#include "helpers.h"

#define HIGH(x) ((UINT64_C(1) << 32) | (x))

static void test_ioctl_ne_with_high_bits_is_still_the_command(void **state) {
        const char *text = "ioctl: arg1 != TIOCSTI; return EPERM\n";
        expect_action(text, "ioctl", ARGS(0, TIOCSTI), SCMP_ACT_ERRNO(EPERM));
        expect_action(text, "ioctl", ARGS(0, HIGH(TIOCSTI)), SCMP_ACT_ERRNO(EPERM));
        expect_action(text, "ioctl", ARGS(0, UINT64_C(0xffffffff00000000) | TIOCSTI), SCMP_ACT_ERRNO(EPERM));
        expect_action(text, "ioctl", ARGS(0, TCGETS), ALLOW);
        expect_action(text, "ioctl", ARGS(0, HIGH(TCGETS)), ALLOW);
}

static void test_ioctl_eq_ignores_the_bits_the_kernel_ignores(void **state) {
        const char *text = "ioctl: arg1 == TCGETS || arg1 == FIONREAD\n";
        expect_action(text, "ioctl", ARGS(0, TCGETS), ALLOW);
        expect_action(text, "ioctl", ARGS(0, HIGH(FIONREAD)), ALLOW);
        expect_action(text, "ioctl", ARGS(0, TIOCSTI), KILL);
        expect_action(text, "ioctl", ARGS(0, HIGH(TIOCSTI)), KILL);
}

static void test_ordered_and_mask_compares_on_the_low_word(void **state) {
        const char *lt = "fcntl: arg1 < 5\n";
        expect_action(lt, "fcntl", ARGS(0, 4), ALLOW);
        expect_action(lt, "fcntl", ARGS(0, HIGH(4)), ALLOW);
        expect_action(lt, "fcntl", ARGS(0, 0x405), KILL);
        const char *ge = "prctl: arg0 >= 0x40; return EPERM\n";
        expect_action(ge, "prctl", ARGS(HIGH(1)), SCMP_ACT_ERRNO(EPERM));
        expect_action(ge, "prctl", ARGS(0x40), ALLOW);
        const char *in = "socket: arg1 in SOCK_STREAM|SOCK_CLOEXEC\n";
        expect_action(in, "socket", ARGS(1, HIGH(SOCK_STREAM)), ALLOW);
        expect_action(in, "socket", ARGS(1, SOCK_NONBLOCK), KILL);
        const char *notin = "socket: arg1 in SOCK_STREAM; return EPERM\n";
        expect_action(notin, "socket", ARGS(1, HIGH(SOCK_STREAM)), ALLOW);
        expect_action(notin, "socket", ARGS(1, SOCK_DGRAM), SCMP_ACT_ERRNO(EPERM));
}

static void test_sign_extended_int_matches_either_way(void **state) {
        /* AT_FDCWD is -100: glibc passes it sign-extended, the kernel reads
         * the low word; both spellings are the same fd. */
        const char *text = "openat: arg0 == AT_FDCWD\n";
        expect_action(text, "openat", ARGS(UINT64_C(0xffffffffffffff9c)), ALLOW);
        expect_action(text, "openat", ARGS(UINT64_C(0xffffff9c)), ALLOW);
        expect_action(text, "openat", ARGS(3), KILL);
}

static void test_mode_is_16_bits(void **state) {
        /* chmod's mode is a umode_t: 0x10000|04755 is a setuid 04755. */
        const char *text = "chmod: arg1 <= 0777\n";
        expect_action(text, "chmod", ARGS(0, 0644), ALLOW);
        expect_action(text, "chmod", ARGS(0, 0x10000 | 04755), KILL);
        expect_action(text, "chmod", ARGS(0, 0x10000 | 0644), ALLOW);
}

static void test_long_arguments_keep_64_bits(void **state) {
        const char *text = "mmap: arg2 in PROT_READ|PROT_WRITE\n";
        expect_action(text, "mmap", ARGS(0, 0, HIGH(PROT_READ)), KILL);
        expect_action(text, "mmap", ARGS(0, 0, PROT_READ), ALLOW);
        assert_int_equal(policy_arg_width("mmap", 2), 64);
        assert_int_equal(policy_arg_width("mmap", 4), 32);
        assert_int_equal(policy_arg_width("ioctl", 1), 32);
        assert_int_equal(policy_arg_width("ioctl", 2), 64);
        assert_int_equal(policy_arg_width("no_such_call", 0), 64);
}

static void test_value_that_cannot_fit_is_an_error(void **state) {
        expect_error(
                "ioctl: arg1 != 0x100005412; return EPERM\n", 1, 8,
                "arg1 of ioctl is 32 bits wide and the kernel ignores the bits above: 0x100005412 does not "
                "fit");
        expect_error("ioctl: arg1 & 0x100000000\n", 1, 8, "arg1 of ioctl is 32 bits wide");
        expect_error("chmod: arg1 == 0x10000\n", 1, 8, "arg1 of chmod is 16 bits wide");
        /* one rule for two syscalls: only the narrow one is refused */
        expect_error("{mprotect, ioctl}: arg1 == 0x100000000\n", 1, 20, "arg1 of ioctl is 32 bits wide");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_ioctl_ne_with_high_bits_is_still_the_command),
                cmocka_unit_test(test_ioctl_eq_ignores_the_bits_the_kernel_ignores),
                cmocka_unit_test(test_ordered_and_mask_compares_on_the_low_word),
                cmocka_unit_test(test_sign_extended_int_matches_either_way),
                cmocka_unit_test(test_mode_is_16_bits),
                cmocka_unit_test(test_long_arguments_keep_64_bits),
                cmocka_unit_test(test_value_that_cannot_fit_is_an_error),
        };
        return cmocka_run_group_tests_name("seccomp_arg_width", tests, NULL, NULL);
}
