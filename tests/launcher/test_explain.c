/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun exec --explain through the real binary: each denial named with
 * its decoded call and the deciding rule or default, carried out as the
 * filter would (errno, kill-process), in threads and forked children; the
 * supervisor's exit status, signals, death, and nesting. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

static const char *target_path(void) {
        return build_path("tests/launcher/explain_target");
}

/* The probe's allow-list plus what the target needs beyond it, then
 * `extra` (rules for socket, an @default). */
static char *write_policy(const char *dir, const char *extra) {
        char *text;
        assert_true(asprintf(&text, "%spause: 1\nkill: 1\nsocket: arg0 == AF_UNIX\n%s", probe_policy_allow(),
                             extra) > 0);
        char *path = write_file(dir, "t.policy", text, 0644);
        free(text);
        return path;
}

/* sealrun exec --explain --status-fd 3 [--default-action A] --seccomp-policy P -- target ARGS */
static void explain(const char *dir, const char *policy, const char *default_action, const char *const *args,
                    struct run_result *r) {
        char *status = path_in(dir, "status.jsonl");
        char *cmd;
        assert_true(asprintf(&cmd,
                             "exec 3>'%s'; exec '%s' exec --explain --status-fd 3 %s%s%s --seccomp-policy "
                             "'%s' -- '%s'",
                             status, sealrun_path(), default_action ? "--default-action '" : "",
                             default_action ? default_action : "", default_action ? "'" : "", policy,
                             target_path()) > 0);
        for (size_t i = 0; args && args[i]; i++) {
                char *longer;
                assert_true(asprintf(&longer, "%s '%s'", cmd, args[i]) > 0);
                free(cmd);
                cmd = longer;
        }
        char *argv[] = {"/bin/sh", "-c", cmd, NULL};
        run_argv(argv, NULL, NULL, r);
        free(cmd);
        free(status);
}

static char *read_status(const char *dir) {
        char *path = path_in(dir, "status.jsonl");
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        char *text = calloc(1, 65536);
        assert_non_null(text);
        size_t n = fread(text, 1, 65535, f);
        text[n] = '\0';
        fclose(f);
        free(path);
        return text;
}

static void default_kill_process_is_named_and_exits_159(void **state) {
        struct tmpdir_fixture *f = *state;
        char *policy = write_policy(f->dir, "");
        struct run_result r;
        explain(f->dir, policy, NULL, (const char *[]){"socket", NULL}, &r);
        assert_int_equal(r.status, 159);
        assert_null(strstr(r.out, "socket ok"));
        assert_non_null(strstr(r.err, "sealrun: denied: explain_target (pid "));
        assert_non_null(strstr(r.err, "): socket(AF_INET, SOCK_DGRAM, 0): no rule for socket in "));
        assert_non_null(strstr(r.err, "matches these arguments (default kill-process)\n"));
        assert_int_equal(count_lines(r.err), 1);
        char *status = read_status(f->dir);
        assert_non_null(strstr(status, "\"event\":\"denied\""));
        assert_non_null(strstr(status, "\"syscall\":\"socket\",\"call\":\"socket(AF_INET, SOCK_DGRAM, 0)\","
                                       "\"action\":\"kill-process\",\"default\":true"));
        free(status);
        free(policy);
        run_result_free(&r);
}

/* Warnings are about the policy as written: its notify variant's default
 * (user-notify) must not read as overriding the workload's equal one. */
static void warnings_are_about_the_policy_as_written(void **state) {
        struct tmpdir_fixture *f = *state;
        char *policy = write_policy(f->dir, "@default kill-process\n");
        struct run_result r;
        explain(f->dir, policy, "kill-process", (const char *[]){"socket", NULL}, &r);
        assert_int_equal(r.status, 159);
        assert_null(strstr(r.err, "has no effect"));
        assert_null(strstr(r.err, "user-notify"));
        assert_int_equal(count_lines(r.err), 1);
        free(policy);
        run_result_free(&r);
}

/* The filter cache holds plain programs: a plain run of the same policy
 * first must not hand --explain a filter without its notifications. */
static void a_cached_plain_filter_is_not_reused(void **state) {
        struct tmpdir_fixture *f = *state;
        char *policy = write_policy(f->dir, "");
        char *argv[] = {(char *) sealrun_path(),
                        "exec",
                        "--seccomp-policy",
                        policy,
                        "--",
                        (char *) target_path(),
                        "socket",
                        NULL};
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.signal, SIGSYS);
        run_result_free(&r);
        explain(f->dir, policy, NULL, (const char *[]){"socket", NULL}, &r);
        assert_int_equal(r.status, 159);
        assert_non_null(strstr(r.err, "sealrun: denied: explain_target"));
        free(policy);
        run_result_free(&r);
}

static void a_syscall_without_rules_says_so(void **state) {
        struct tmpdir_fixture *f = *state;
        char *policy = write_file(f->dir, "t.policy", probe_policy_allow(), 0644);
        struct run_result r;
        explain(f->dir, policy, NULL, (const char *[]){"socket", NULL}, &r);
        assert_int_equal(r.status, 159);
        char *want;
        assert_true(asprintf(&want,
                             "socket(AF_INET, SOCK_DGRAM, 0): %s has no rule for socket (default "
                             "kill-process)\n",
                             policy) > 0);
        assert_non_null(strstr(r.err, want));
        free(want);
        free(policy);
        run_result_free(&r);
}

static void default_errno_fails_the_call_and_the_target_goes_on(void **state) {
        struct tmpdir_fixture *f = *state;
        char *policy = write_policy(f->dir, "");
        struct run_result r;
        explain(f->dir, policy, "return EXDEV", (const char *[]){"socket", NULL}, &r);
        assert_int_equal(r.status, 0);
        char want[64];
        snprintf(want, sizeof(want), "socket errno %d", EXDEV);
        assert_true(report_has_line(r.out, want));
        assert_non_null(strstr(r.err, "(default return EXDEV)\n"));
        free(policy);
        run_result_free(&r);
}

static void explicit_errno_rule_is_named_by_file_and_line(void **state) {
        struct tmpdir_fixture *f = *state;
        /* The rule comes after the allow-list and write_policy's three lines. */
        char *policy = write_policy(f->dir, "socket: return EACCES\n");
        size_t rule_line = count_lines(probe_policy_allow()) + 4;
        struct run_result r;
        explain(f->dir, policy, NULL, (const char *[]){"socket", NULL}, &r);
        assert_int_equal(r.status, 0);
        char want[4200];
        snprintf(want, sizeof(want), "socket errno %d", EACCES);
        assert_true(report_has_line(r.out, want));
        snprintf(want, sizeof(want), "socket(AF_INET, SOCK_DGRAM, 0): %s:%zu decides return EACCES\n", policy,
                 rule_line);
        assert_non_null(strstr(r.err, want));
        char *status = read_status(f->dir);
        snprintf(want, sizeof(want), "\"default\":false,\"rule\":{\"file\":\"%s\",\"line\":%zu}", policy,
                 rule_line);
        assert_non_null(strstr(status, want));
        free(status);
        free(policy);
        run_result_free(&r);
}

static void explicit_kill_rule_kills(void **state) {
        struct tmpdir_fixture *f = *state;
        char *policy = write_policy(f->dir, "socket: kill-process\n");
        struct run_result r;
        explain(f->dir, policy, "return EPERM", (const char *[]){"socket", NULL}, &r);
        assert_int_equal(r.status, 159);
        assert_null(strstr(r.out, "socket"));
        assert_non_null(strstr(r.err, "decides kill-process\n"));
        free(policy);
        run_result_free(&r);
}

static void a_second_thread_is_covered(void **state) {
        struct tmpdir_fixture *f = *state;
        char *policy = write_policy(f->dir, "");
        struct run_result r;
        explain(f->dir, policy, NULL, (const char *[]){"thread", NULL}, &r);
        assert_int_equal(r.status, 159); /* the whole process, not the thread */
        assert_null(strstr(r.out, "thread joined"));
        assert_non_null(strstr(r.err, "socket(AF_INET, SOCK_DGRAM, 0)"));
        free(policy);
        run_result_free(&r);
}

static void a_forked_child_is_covered(void **state) {
        struct tmpdir_fixture *f = *state;
        char *policy = write_policy(f->dir, "");
        struct run_result r;
        explain(f->dir, policy, NULL, (const char *[]){"fork", NULL}, &r);
        /* The child dies; the target itself goes on and exits 0. */
        assert_int_equal(r.status, 0);
        char *child = report_value(r.out, "child");
        assert_non_null(child);
        int pid = 0, sig = 0;
        assert_int_equal(sscanf(child, "%d signal %d", &pid, &sig), 2);
        assert_int_equal(sig, SIGKILL);
        char want[64];
        snprintf(want, sizeof(want), "(pid %d): socket(", pid);
        assert_non_null(strstr(r.err, want));
        free(child);
        free(policy);
        run_result_free(&r);
}

static void the_target_s_own_exit_status(void **state) {
        struct tmpdir_fixture *f = *state;
        char *policy = write_policy(f->dir, "");
        struct run_result r;
        explain(f->dir, policy, NULL, (const char *[]){"exit", "7", NULL}, &r);
        assert_int_equal(r.status, 7);
        assert_string_equal(r.err, "");
        free(policy);
        run_result_free(&r);
}

static void listen_pid_names_the_target(void **state) {
        struct tmpdir_fixture *f = *state;
        char *policy = write_policy(f->dir, "");
        char *input = write_file(f->dir, "in", "x", 0644);
        char *workload;
        assert_true(asprintf(&workload,
                             "program %s\nargv explain_target pid\ninput data\nlisten-fds yes\n"
                             "seccomp include %s\n",
                             target_path(), policy) > 0);
        char *wpath = write_file(f->dir, "t.workload", workload, 0644);
        char *spec;
        assert_true(asprintf(&spec, "data=%s", input) > 0);
        char *argv[] = {(char *) sealrun_path(), "run", "--explain", wpath, "--input", spec, NULL};
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        char *pid = report_value(r.out, "pid");
        char *listen_pid = report_value(r.out, "listen_pid");
        assert_non_null(pid);
        assert_non_null(listen_pid);
        assert_string_equal(pid, listen_pid);
        free(pid);
        free(listen_pid);
        free(spec);
        free(wpath);
        free(workload);
        free(input);
        free(policy);
        run_result_free(&r);
}

/* Starts `sealrun exec --explain ... explain_target wait PIDFILE` without
 * waiting; returns sealrun's pid and the target's, once it has written it. */
static pid_t start_waiting_target(const char *dir, const char *policy, pid_t *ret_target) {
        char *pidfile = path_in(dir, "target.pid");
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                int null = open("/dev/null", O_RDWR);
                dup2(null, 0);
                dup2(null, 1);
                execl(sealrun_path(), "sealrun", "exec", "--explain", "--seccomp-policy", policy, "--",
                      target_path(), "wait", pidfile, (char *) NULL);
                _exit(127);
        }
        *ret_target = 0;
        for (int i = 0; i < 500 && *ret_target <= 0; i++) {
                FILE *fp = fopen(pidfile, "r");
                if (fp) {
                        int t = 0;
                        if (fscanf(fp, "%d", &t) == 1)
                                *ret_target = t;
                        fclose(fp);
                }
                if (*ret_target <= 0)
                        usleep(10000);
        }
        assert_true(*ret_target > 0);
        free(pidfile);
        return pid;
}

static bool gone_within(pid_t pid, int ms) {
        for (int i = 0; i < ms / 10; i++) {
                if (kill(pid, 0) < 0 && errno == ESRCH)
                        return true;
                usleep(10000);
        }
        return false;
}

static void sigkill_of_the_supervisor_takes_the_target(void **state) {
        struct tmpdir_fixture *f = *state;
        char *policy = write_policy(f->dir, "");
        pid_t target;
        pid_t sealrun = start_waiting_target(f->dir, policy, &target);
        assert_int_equal(kill(sealrun, SIGKILL), 0);
        int ws;
        assert_int_equal(waitpid(sealrun, &ws, 0), sealrun);
        assert_true(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
        /* The target was re-parented to init, which reaps it once killed. */
        assert_true(gone_within(target, 5000));
        free(policy);
}

static void sigterm_is_passed_on(void **state) {
        struct tmpdir_fixture *f = *state;
        char *policy = write_policy(f->dir, "");
        pid_t target;
        pid_t sealrun = start_waiting_target(f->dir, policy, &target);
        assert_int_equal(kill(sealrun, SIGTERM), 0);
        int ws;
        assert_int_equal(waitpid(sealrun, &ws, 0), sealrun);
        assert_true(WIFEXITED(ws));
        assert_int_equal(WEXITSTATUS(ws), 128 + SIGTERM);
        assert_true(gone_within(target, 1000));
        free(policy);
}

/* sealrun ARGS... -- probe --marker FILE: refused with one line saying
 * `message`, exit 125, and the probe never started. */
static void expect_refused(const char *dir, const char *const *args, const char *message) {
        char *marker = path_in(dir, "started");
        char *argv[32];
        size_t n = 0;
        argv[n++] = (char *) sealrun_path();
        for (size_t i = 0; args[i]; i++)
                argv[n++] = (char *) args[i];
        argv[n++] = "--";
        argv[n++] = (char *) probe_path();
        argv[n++] = "--marker";
        argv[n++] = marker;
        argv[n] = NULL;
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        expect_one_stderr_line(&r, 125, message);
        assert_false(file_exists(marker));
        free(marker);
        run_result_free(&r);
}

static void nested_explain_is_refused_before_the_target_starts(void **state) {
        struct tmpdir_fixture *f = *state;
        expect_refused(f->dir,
                       (const char *[]){"exec", "--explain", "--default-action", "allow", "--",
                                        sealrun_path(), "exec", "--explain", "--sealed", "--default-action",
                                        "return EPERM", NULL},
                       "another supervisor's listener is already installed");
}

static void a_compiled_filter_cannot_be_explained(void **state) {
        struct tmpdir_fixture *f = *state;
        char *bpf = compile_policy(f->dir, "c.policy", probe_policy_allow(), "kill-process", "c.bpf");
        char hex[65], arg[4200];
        file_sha256_hex(bpf, hex);
        snprintf(arg, sizeof(arg), "%s,sha256=%s", bpf, hex);
        expect_refused(f->dir, (const char *[]){"exec", "--explain", "--seccomp-compiled", arg, NULL},
                       "--explain needs the policy's source");
        free(bpf);
}

#define T(name) cmocka_unit_test_setup_teardown(name, tmpdir_fixture_setup, tmpdir_fixture_teardown)

int main(void) {
        const struct CMUnitTest tests[] = {
                T(default_kill_process_is_named_and_exits_159),
                T(warnings_are_about_the_policy_as_written),
                T(a_cached_plain_filter_is_not_reused),
                T(a_syscall_without_rules_says_so),
                T(default_errno_fails_the_call_and_the_target_goes_on),
                T(explicit_errno_rule_is_named_by_file_and_line),
                T(explicit_kill_rule_kills),
                T(a_second_thread_is_covered),
                T(a_forked_child_is_covered),
                T(the_target_s_own_exit_status),
                T(listen_pid_names_the_target),
                T(sigkill_of_the_supervisor_takes_the_target),
                T(sigterm_is_passed_on),
                T(nested_explain_is_refused_before_the_target_starts),
                T(a_compiled_filter_cannot_be_explained),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
