/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The launcher's own sealed exec, execveat(BINFD, "", argv, envp,
 * AT_EMPTY_PATH), is admitted past a policy that forbids exec; a target
 * that computes BINFD (its RLIMIT_NOFILE hard limit) and passes an absolute
 * path, which the kernel resolves ignoring the fd, must not get through,
 * whether the policy is compiled at launch or precompiled.  Sealed binaries
 * and `#!` scripts still run. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"
#include "sealfd.h"

static const char *escape_path(void) {
        return build_path("tests/launcher/escape_target");
}

/* The probe's allow list without execve: no exec of any kind is allowed. */
static char *policy_without_exec(void) {
        char *text = strdup(probe_policy_allow());
        char *at = strstr(text, "execve: 1\n");
        assert_non_null(at);
        memmove(at, at + strlen("execve: 1\n"), strlen(at + strlen("execve: 1\n")) + 1);
        return text;
}

/* default: the policy's default action; program and argv lines in `head`. */
static void run_included(struct tmpdir_fixture *f, const char *head, const char *default_action,
                         struct run_result *r) {
        char *policy_text = policy_without_exec();
        free(write_file(f->dir, "noexec.policy", policy_text, 0644));
        char *text;
        assert_true(asprintf(&text, "%sexec sealed\nseccomp default %s\nseccomp include ./noexec.policy\n",
                             head, default_action) > 0);
        run_workload_text(f->dir, "exec.workload", text, r);
        free(text);
        free(policy_text);
}

static void run_compiled(struct tmpdir_fixture *f, const char *head, struct run_result *r) {
        char *policy_text = policy_without_exec();
        char *bpf = compile_policy(f->dir, "noexec.policy", policy_text, "kill-process", "noexec.bpf");
        char pin[65], *text;
        file_sha256_hex(bpf, pin);
        assert_true(asprintf(&text, "%sexec sealed\nseccomp compiled %s sha256=%s\n", head, bpf, pin) > 0);
        run_workload_text(f->dir, "exec.workload", text, r);
        free(text);
        free(bpf);
        free(policy_text);
}

static char *escape_head(const char *extra_arg) {
        char *head;
        assert_true(asprintf(&head, "program %s\nargv escape%s%s\n", escape_path(), extra_arg ? " " : "",
                             extra_arg ? extra_arg : "") > 0);
        return head;
}

/* Runs head (taken) under the included policy or the compiled filter,
 * both with default kill-process. */
static void run_under(struct tmpdir_fixture *f, char *head, bool compiled, struct run_result *r) {
        if (compiled)
                run_compiled(f, head, r);
        else
                run_included(f, head, "kill-process", r);
        free(head);
}

static void assert_escape_stopped(struct tmpdir_fixture *f, bool compiled) {
        struct run_result r;
        run_under(f, escape_head(NULL), compiled, &r);
        assert_true(report_has_line(r.out, "started"));
        assert_null(strstr(r.out, "PWNED"));
        assert_int_equal(r.signal, SIGSYS);
        run_result_free(&r);
}

/* Exits 0 having printed line. */
static void assert_still_runs(struct tmpdir_fixture *f, char *head, bool compiled, const char *line) {
        struct run_result r;
        run_under(f, head, compiled, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, line));
        run_result_free(&r);
}

static void absolute_path_on_binfd_is_killed_under_an_included_policy(void **state) {
        assert_escape_stopped(*state, false);
}

static void absolute_path_on_binfd_is_killed_under_a_compiled_filter(void **state) {
        assert_escape_stopped(*state, true);
}

/* An errno default lets the target try without dying; it still fails. */
static void absolute_path_on_binfd_gets_the_policy_errno(void **state) {
        char *head = escape_head(NULL);
        struct run_result r;
        run_included(*state, head, "return EPERM", &r);
        assert_true(report_has_line(r.out, "started"));
        assert_null(strstr(r.out, "PWNED"));
        assert_true(report_has_line(r.out, "blocked 1"));
        assert_int_equal(r.status, 3);
        run_result_free(&r);
        free(head);
}

static void sealed_exec_still_runs_under_an_included_policy(void **state) {
        assert_still_runs(*state, escape_head("--stay"), false, "started");
}

static void sealed_exec_still_runs_under_a_compiled_filter(void **state) {
        assert_still_runs(*state, escape_head("--stay"), true, "started");
}

static char *script_head(struct tmpdir_fixture *f) {
        char *script = write_file(f->dir, "hello.sh", "#!/bin/sh\necho script ran \"$1\"\n", 0755);
        char *head;
        assert_true(asprintf(&head, "program %s\nargv hello.sh arg1\n", script) > 0);
        free(script);
        return head;
}

static void sealed_script_still_runs_under_an_included_policy(void **state) {
        assert_still_runs(*state, script_head(*state), false, "script ran arg1");
}

static void sealed_script_still_runs_under_a_compiled_filter(void **state) {
        assert_still_runs(*state, script_head(*state), true, "script ran arg1");
}

/* libseccomp refuses a rule equal to the default action (-EACCES): with
 * default allow the launcher's rule is simply not needed. */
static void sealed_exec_with_default_allow_runs(void **state) {
        struct tmpdir_fixture *f = *state;
        char *head = escape_head("--stay"), *text;
        assert_true(asprintf(&text, "%sexec sealed\nseccomp default allow\n[seccomp]\nsocket: return EPERM\n",
                             head) > 0);
        struct run_result r;
        run_workload_text(f->dir, "exec.workload", text, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, "started"));
        assert_string_equal(r.err, "");
        run_result_free(&r);
        free(text);
        free(head);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, tmpdir_fixture_setup, tmpdir_fixture_teardown)
        const struct CMUnitTest tests[] = {
                T(absolute_path_on_binfd_is_killed_under_an_included_policy),
                T(absolute_path_on_binfd_is_killed_under_a_compiled_filter),
                T(absolute_path_on_binfd_gets_the_policy_errno),
                T(sealed_exec_still_runs_under_an_included_policy),
                T(sealed_exec_still_runs_under_a_compiled_filter),
                T(sealed_script_still_runs_under_an_included_policy),
                T(sealed_script_still_runs_under_a_compiled_filter),
                T(sealed_exec_with_default_allow_runs),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
