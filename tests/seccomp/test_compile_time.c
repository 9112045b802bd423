/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The backstop against libseccomp taking forever (compile_child.h): the
 * compile runs in a child with a CPU limit, at launch and in `sealrun
 * compile`/`check`, and its program comes back through shared memory. */
#include <errno.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "compile_child.h"

/* libseccomp 2.5.4 does not finish merging the rules this lowers to (in
 * native form: too many blocks otherwise) within 10 s of CPU, though no
 * shape compile.c knows of is in it (found by a random search; the
 * differential test meets more). */
static const char slow_policy[] = "read: arg0 > 0xff || arg1 == 0xff\n"
                                  "read: arg2 >= 0x100000001; return 13\n";

static void test_compile_past_cpu_limit_is_error_at_syscall(void **state) {
        struct syscall_policy *p = expect_parses(slow_policy, NULL, NULL);
        struct diag d = DIAG_INIT;
        struct sock_filter *prog = NULL;
        size_t n = 0;
        assert_int_equal(compile_child_run(p, 1, &prog, &n, NULL, &d), -EINVAL);
        assert_null(prog);
        diag_print(&d, stdout);
        assert_int_equal(d.n_errors, 1);
        assert_string_equal(d.entries[0].file, TEST_POLICY_PATH);
        assert_int_equal(d.entries[0].line, 1);
        assert_int_equal(d.entries[0].col, 7);
        assert_non_null(strstr(d.entries[0].message,
                               "compiling the rules for 'read' did not finish within the CPU "
                               "time limit (1 s)"));
        syscall_policy_free(p);
        diag_clear(&d);
}

/* A cut-off compile leaves no core file, even where core files would be
 * written to the working directory (core_pattern "core", RLIMIT_CORE
 * unlimited): SIGXCPU's default action dumps one. */
static void test_cut_off_compile_dumps_no_core(void **state) {
        char pattern[256] = "";
        FILE *f = fopen("/proc/sys/kernel/core_pattern", "re");
        if (f) {
                if (!fgets(pattern, sizeof(pattern), f))
                        pattern[0] = 0;
                fclose(f);
        }
        if (strcmp(pattern, "core\n") != 0) {
                printf("SKIP: kernel.core_pattern is not 'core' (%s): no core file would land in the working "
                       "directory to look for\n",
                       pattern[0] ? strtok(pattern, "\n") : "unreadable");
                skip();
        }
        char dir[] = "/tmp/sealrun-core-XXXXXX";
        assert_non_null(mkdtemp(dir));
        int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(cwd >= 0);
        assert_int_equal(chdir(dir), 0);
        struct rlimit core, unlimited = {RLIM_INFINITY, RLIM_INFINITY};
        assert_int_equal(getrlimit(RLIMIT_CORE, &core), 0);
        if (setrlimit(RLIMIT_CORE, &unlimited) < 0)
                unlimited.rlim_cur = core.rlim_max, (void) setrlimit(RLIMIT_CORE, &unlimited);

        struct syscall_policy *p = expect_parses(slow_policy, NULL, NULL);
        struct diag d = DIAG_INIT;
        assert_int_equal(compile_child_run(p, 1, NULL, NULL, NULL, &d), -EINVAL);
        assert_non_null(strstr(d.entries[0].message, "did not finish within the CPU time limit"));
        struct stat st;
        bool dumped = stat("core", &st) == 0;
        (void) unlink("core");
        assert_int_equal(setrlimit(RLIMIT_CORE, &core), 0);
        assert_int_equal(fchdir(cwd), 0);
        close(cwd);
        assert_int_equal(rmdir(dir), 0);
        assert_false(dumped);
        syscall_policy_free(p);
        diag_clear(&d);
}

/* A hard RLIMIT_CPU below the child's own limit (which an unprivileged
 * caller could not raise) still lets a quick compile through. */
static void test_low_hard_cpu_limit_still_compiles(void **state) {
        struct rlimit cpu, low;
        assert_int_equal(getrlimit(RLIMIT_CPU, &cpu), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                low = (struct rlimit){5, 5};
                if (setrlimit(RLIMIT_CPU, &low) < 0)
                        _exit(10);
                struct syscall_policy *p = expect_parses("read: arg0 == 1\n", NULL, NULL);
                struct diag d = DIAG_INIT;
                struct sock_filter *prog = NULL;
                size_t n = 0;
                _exit(compile_child_run(p, 10, &prog, &n, NULL, &d) == 0 && n > 0 ? 0 : 11);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

/* The program the child hands back is the one compiling here gives. */
static void test_child_program_is_the_compiled_program(void **state) {
        struct syscall_policy *p = expect_parses("read: arg0 == 1 && arg1 < 8 || arg2 & 0x21\n"
                                                 "read: arg0 != 3 && arg3 == 7; return EPERM\n"
                                                 "write: arg0 == 2\n",
                                                 NULL, NULL);
        struct diag d = DIAG_INIT;
        struct sock_filter *prog = NULL, *here = NULL;
        size_t n = 0, n_here = 0;
        struct syscall_policy_compile_stats stats = {}, stats_here = {};
        assert_int_equal(compile_child_run(p, 10, &prog, &n, &stats, &d), 0);
        assert_int_equal(d.n_entries, 0);
        assert_int_equal(syscall_policy_compile_program(p, &here, &n_here, &stats_here, &d), 0);
        assert_int_equal(n, n_here);
        assert_memory_equal(prog, here, n * sizeof(*prog));
        assert_int_equal(stats.syscalls, 2);
        assert_int_equal(stats.rules, 3);
        assert_int_equal(stats.libseccomp_rules, stats_here.libseccomp_rules);
        assert_int_equal(stats.bpf_instructions, n);
        free(prog);
        free(here);
        syscall_policy_free(p);
        diag_clear(&d);
}

/* A policy error is reported as itself (the parent compiles again to
 * collect it), not as a timeout. */
static void test_compile_error_is_not_a_timeout(void **state) {
        struct syscall_policy *p = expect_parses("mprotect: arg0 >= 3 && arg1 >= 10\n"
                                                 "mprotect: arg0 >= 3 && arg1 != 10\n",
                                                 NULL, NULL);
        struct diag d = DIAG_INIT;
        assert_int_equal(compile_child_run(p, 10, NULL, NULL, NULL, &d), -EINVAL);
        diag_print(&d, stdout);
        assert_int_equal(d.n_errors, 1);
        assert_int_equal(d.entries[0].line, 1);
        assert_non_null(strstr(d.entries[0].message, "too many comparisons for 'mprotect'"));
        syscall_policy_free(p);
        diag_clear(&d);
}

/* Whoever started us may ignore SIGCHLD, which would reap the child before
 * waitpid could; the compile still reports. */
static void test_ignored_sigchld_is_handled(void **state) {
        struct syscall_policy *p = expect_parses("read: arg0 == 1\n", NULL, NULL);
        struct sigaction ign = {.sa_handler = SIG_IGN}, old, after;
        assert_int_equal(sigaction(SIGCHLD, &ign, &old), 0);
        struct diag d = DIAG_INIT;
        struct sock_filter *prog = NULL;
        size_t n = 0;
        assert_int_equal(compile_child_run(p, 10, &prog, &n, NULL, &d), 0);
        assert_true(n > 0);
        assert_int_equal(sigaction(SIGCHLD, &old, &after), 0);
        assert_ptr_equal(after.sa_handler, SIG_IGN); /* put back as found */
        free(prog);
        syscall_policy_free(p);
        diag_clear(&d);
}

/* At launch the lowering that makes libseccomp slow is refused outright
 * (precompile instead); compile/check still take it.  The same policy both
 * ways. */
static const char native_only_policy[] = "read: arg0 != 3 && arg1 >= 8\n"
                                         "read: arg2 == 1; return EPERM\n";

static void test_launch_refuses_a_policy_needing_native_comparisons(void **state) {
        struct syscall_policy_options opts = {.refuse_slow_lowering = true};
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
                cmocka_unit_test(test_child_program_is_the_compiled_program),
                cmocka_unit_test(test_compile_error_is_not_a_timeout),
                cmocka_unit_test(test_ignored_sigchld_is_handled),
                cmocka_unit_test(test_cut_off_compile_dumps_no_core),
                cmocka_unit_test(test_low_hard_cpu_limit_still_compiles),
                cmocka_unit_test(test_launch_refuses_a_policy_needing_native_comparisons),
        };
        return cmocka_run_group_tests_name("seccomp_compile_time", tests, NULL, NULL);
}
