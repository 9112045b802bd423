/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Compiled filters loaded for real, each in a forked child (no_new_privs
 * is set by seccomp_load, so this runs unprivileged too). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "policy_internal.h"

/* Loads `text` (default action from def, or the policy's) in the calling
 * process, or _exit(100) on any failure. */
static void load_policy(const char *text, const struct policy_action *def) {
        struct syscall_policy_options opts = {};
        if (def) {
                opts.default_action = *def;
                opts.default_action_set = true;
        }
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        scmp_filter_ctx ctx = NULL;
        if (syscall_policy_new(&opts, &p) < 0 ||
            syscall_policy_parse_text(p, "live.policy", 1, text, strlen(text), &d) < 0 ||
            syscall_policy_compile(p, &ctx, &d) < 0) {
                diag_print(&d, stderr);
                _exit(100);
        }
        if (seccomp_load(ctx) < 0)
                _exit(101);
}

static const struct policy_action allow = {.type = POLICY_ACTION_ALLOW};

static void allowed_body(void) {
        /* sigaltstack: sanitizer runtimes call it before _exit */
        load_policy("getpid: 1\nexit_group: 1\nexit: 1\nsigaltstack: 1\n", NULL);
        _exit(syscall(SYS_getpid) > 0 ? 0 : 1);
}

static void test_live_allowed_call_succeeds(void **state) {
        int status = run_child(allowed_body);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

static void errno_body(void) {
        load_policy("getppid: return EPERM\n", &allow);
        long r = syscall(SYS_getppid);
        _exit(r == -1 ? errno : 0);
}

static void test_live_return_eperm_gives_exactly_eperm(void **state) {
        int status = run_child(errno_body);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), EPERM);
}

static void *call_getppid(void *arg) {
        syscall(SYS_getppid);
        return NULL;
}

static void kill_body(void) {
        load_policy("getppid: kill-process\n", &allow);
        pthread_t t;
        if (pthread_create(&t, NULL, call_getppid, NULL) != 0)
                _exit(102);
        pthread_join(t, NULL);
        /* Reached only if the second thread's call did not kill us all. */
        _exit(0);
}

static void test_live_kill_process_kills_multithreaded_process(void **state) {
        int status = run_child(kill_body);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGSYS);
}

static volatile sig_atomic_t trapped_syscall = -1;

static void on_sigsys(int sig, siginfo_t *info, void *context) {
        trapped_syscall = info->si_syscall;
}

static void trap_body(void) {
        struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
        sigaction(SIGSYS, &sa, NULL);
        load_policy("getppid: trap\n", &allow);
        syscall(SYS_getppid);
        _exit(trapped_syscall == SYS_getppid ? 0 : 1);
}

static void test_live_trap_delivers_sigsys(void **state) {
        int status = run_child(trap_body);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

static void log_body(void) {
        load_policy("getppid: log\nexit_group: 1\nsigaltstack: 1\n", NULL);
        _exit(syscall(SYS_getppid) > 0 ? 0 : 1);
}

static void test_live_log_allows(void **state) {
        int status = run_child(log_body);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

static void ioctl_body(void) {
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                _exit(103);
        /* The CVE-2019-10063 shape: everything but TIOCSTI may reach the
         * kernel.  /dev/null is not a tty, so a call that gets through says
         * ENOTTY and one the filter stops says EPERM. */
        load_policy("ioctl: arg1 != TIOCSTI; return EPERM\n", &allow);
        char c = 'x';
        /* The kernel reads the command as 32 bits: with a high bit set this
         * is TIOCSTI to it, so the filter must stop it too. */
        long r = syscall(SYS_ioctl, fd, (unsigned long) TIOCSTI | (UINT64_C(1) << 32), &c);
        if (r != -1 || errno != EPERM)
                _exit(1);
        r = syscall(SYS_ioctl, fd, (unsigned long) TIOCSTI, &c);
        if (r != -1 || errno != EPERM)
                _exit(2);
        /* Other commands, high bits or not, reach the kernel. */
        struct termios t;
        r = syscall(SYS_ioctl, fd, (unsigned long) TCGETS | (UINT64_C(1) << 32), &t);
        if (r != -1 || errno != ENOTTY)
                _exit(3);
        r = syscall(SYS_ioctl, fd, (unsigned long) TCGETS, &t);
        _exit(r == -1 && errno == ENOTTY ? 0 : 4);
}

static void test_live_ioctl_high_bits_do_not_bypass(void **state) {
        int status = run_child(ioctl_body);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

static void new_syscall_body(void) {
        /* mseal is newer than Debian 12's libseccomp: the raw-number rule
         * must match (mseal of an empty range at 0 reaches the kernel, which
         * succeeds or says EINVAL; any other address gets EACCES). */
        load_policy("mseal: arg0 == 0; return EACCES\n", &allow);
        int nr;
        if (policy_syscall_resolve(seccomp_arch_native(), "mseal", &nr) < 0)
                _exit(104);
        long r = syscall(nr, 0, 0, 0);
        if (r != 0 && errno != EINVAL)
                _exit(1);
        r = syscall(nr, 4096, 0, 0);
        _exit(r == -1 && errno == EACCES ? 0 : 2);
}

static void test_live_syscall_newer_than_libseccomp_allowed(void **state) {
        int status = run_child(new_syscall_body);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_live_allowed_call_succeeds),
                cmocka_unit_test(test_live_return_eperm_gives_exactly_eperm),
                cmocka_unit_test(test_live_kill_process_kills_multithreaded_process),
                cmocka_unit_test(test_live_trap_delivers_sigsys),
                cmocka_unit_test(test_live_log_allows),
                cmocka_unit_test(test_live_ioctl_high_bits_do_not_bypass),
                cmocka_unit_test(test_live_syscall_newer_than_libseccomp_allowed),
        };
        return cmocka_run_group_tests_name("seccomp_live", tests, NULL, NULL);
}
