/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `sealrun check` and `sealrun compile` from the outside: exit codes,
 * FILE:LINE:COL diagnostics, and a BPF file the evaluator runs. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "bpf_eval.h"
#include "helpers.h"

static char sealrun[4096], dir[64];

static int setup(void **state) {
        const char *build = getenv("SEALRUN_BUILD_DIR");
        snprintf(sealrun, sizeof(sealrun), "%s/launcher/sealrun", build ? build : ".");
        strcpy(dir, "/tmp/sealrun-cli-XXXXXX");
        return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : -1;
}

static void need_sealrun(void) {
        if (access(sealrun, X_OK) < 0) {
                printf("SKIP: %s is not built\n", sealrun);
                skip();
        }
}

static void write_file(const char *name, const char *text) {
        char path[256];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        FILE *f = fopen(path, "we");
        assert_non_null(f);
        fputs(text, f);
        assert_int_equal(fclose(f), 0);
}

/* Runs `sealrun ARGS` in dir; returns the exit status, stderr in *err. */
static int run(char **err, const char *args) {
        char cmd[8192];
        snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s 2>stderr.txt >/dev/null; echo $?", dir, sealrun, args);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        int status = -1;
        assert_int_equal(fscanf(p, "%d", &status), 1);
        pclose(p);
        char path[256];
        snprintf(path, sizeof(path), "%s/stderr.txt", dir);
        FILE *f = fopen(path, "re");
        assert_non_null(f);
        static char buf[16384];
        size_t n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = 0;
        fclose(f);
        *err = buf;
        return status;
}

static void test_check_valid_policy_exits_0(void **state) {
        need_sealrun();
        write_file("ok.policy", "read: 1\nwrite: arg0 == 1\n");
        char *err;
        assert_int_equal(run(&err, "check ok.policy"), 0);
}

static void test_check_broken_policy_prints_location_exits_1(void **state) {
        need_sealrun();
        write_file("bad.policy", "read: 1\nwrite: arg0 == NOPE\n");
        char *err;
        assert_int_equal(run(&err, "check bad.policy"), 1);
        assert_non_null(strstr(err, "bad.policy:2:16: error: invalid constant 'NOPE'"));
        assert_non_null(strstr(err, "write: arg0 == NOPE"));
}

static void test_check_unknown_option_exits_125(void **state) {
        need_sealrun();
        char *err;
        assert_int_equal(run(&err, "check --frobnicate x.policy"), 125);
        assert_non_null(strstr(err, "--frobnicate"));
}

static void test_compile_writes_bpf_and_summary(void **state) {
        need_sealrun();
        write_file("c.policy", "getppid: return EPERM\n");
        char *err;
        assert_int_equal(run(&err, "compile --default-action allow c.policy -o c.bpf"), 0);
        assert_non_null(strstr(err, "1 syscalls"));
        assert_non_null(strstr(err, "BPF instructions"));
        char path[256];
        snprintf(path, sizeof(path), "%s/c.bpf", dir);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_true(st.st_size > 0 && st.st_size % 8 == 0);
        static struct sock_filter prog[4096];
        FILE *f = fopen(path, "re");
        size_t n = fread(prog, sizeof(prog[0]), 4096, f);
        fclose(f);
        assert_int_equal(run_filter(prog, n, syscall_nr("getppid"), ARGS(0)), SCMP_ACT_ERRNO(EPERM));
        assert_int_equal(run_filter(prog, n, syscall_nr("getpid"), ARGS(0)), SCMP_ACT_ALLOW);
}

static void test_compile_include_prefix(void **state) {
        need_sealrun();
        char args[512];
        write_file("common.policy", "read: 1\n");
        write_file("main.policy", "@include /usr/share/policy/x/common.policy\nwrite: 1\n");
        snprintf(args, sizeof(args), "compile --include-prefix /usr/share/policy/x=%s main.policy -o m.bpf",
                 dir);
        char *err;
        assert_int_equal(run(&err, args), 0);
        assert_non_null(strstr(err, "2 syscalls"));
}

static void test_compile_without_output_exits_125(void **state) {
        need_sealrun();
        write_file("c.policy", "read: 1\n");
        char *err;
        assert_int_equal(run(&err, "compile c.policy"), 125);
        assert_non_null(strstr(err, "-o OUT.bpf"));
}

static void test_compile_help_exits_0(void **state) {
        need_sealrun();
        char *err;
        assert_int_equal(run(&err, "compile --help"), 0);
        assert_int_equal(run(&err, "check --help"), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_check_valid_policy_exits_0),
                cmocka_unit_test(test_check_broken_policy_prints_location_exits_1),
                cmocka_unit_test(test_check_unknown_option_exits_125),
                cmocka_unit_test(test_compile_writes_bpf_and_summary),
                cmocka_unit_test(test_compile_include_prefix),
                cmocka_unit_test(test_compile_without_output_exits_125),
                cmocka_unit_test(test_compile_help_exits_0),
        };
        return cmocka_run_group_tests_name("seccomp_cli", tests, setup, teardown);
}
