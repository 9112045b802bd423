/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Bad input of every kind: one clear line naming the thing, the documented
 * exit code, and the target (the probe, which writes a marker file first
 * thing) never started. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

struct fixture {
        char *dir;
        char *marker;
        char *workload;
};

static int setup(void **state) {
        struct fixture *f = calloc(1, sizeof(*f));
        f->dir = tmpdir_new();
        f->marker = path_in(f->dir, "started");
        char *text;
        if (asprintf(&text, "program %s\nargv probe --marker %s\ninput data fd=3 max=1K\n", probe_path(),
                     f->marker) < 0)
                abort();
        f->workload = write_file(f->dir, "probe.workload", text, 0644);
        free(text);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fixture *f = *state;
        tmpdir_remove(f->dir);
        free(f->marker);
        free(f->workload);
        free(f);
        return 0;
}

/* Run `sealrun run WORKLOAD ARGS...`; expect status, stderr's first line
 * to be `want` exactly (or to contain it when want starts with '~'), and no
 * target started. */
static void expect_failure(struct fixture *f, const char *workload, const char *const *args, int status,
                           const char *want, size_t lines) {
        unlink(f->marker);
        struct run_result r;
        run_workload_args(workload ? workload : f->workload, args, NULL, NULL, &r);
        assert_int_equal(r.status, status);
        char *first = strndup(r.err, strcspn(r.err, "\n"));
        if (want[0] == '~')
                assert_non_null(strstr(first, want + 1));
        else
                assert_string_equal(first, want);
        assert_int_equal(count_lines(r.err), lines);
        assert_false(file_exists(f->marker));
        free(first);
        run_result_free(&r);
}

static void input(struct fixture *f, const char *path, const char *want) {
        char arg[1024];
        snprintf(arg, sizeof(arg), "--input=data=%s", path);
        const char *args[] = {arg, NULL};
        char line[2048];
        snprintf(line, sizeof(line), "sealrun: input 'data' (%s): %s", path, want);
        expect_failure(f, NULL, args, 125, line, 1);
}

static void input_missing(void **state) {
        struct fixture *f = *state;
        char *p = path_in(f->dir, "nonexistent");
        input(f, p, "No such file or directory");
        free(p);
}

static void input_unreadable(void **state) {
        struct fixture *f = *state;
        if (is_root()) {
                printf("SKIP: root reads a mode 000 file anyway; runs as the unprivileged user\n");
                skip();
        }
        char *p = write_file(f->dir, "secret", "x\n", 0000);
        input(f, p, "Permission denied");
        free(p);
}

static void input_directory(void **state) {
        input(*state, "/tmp", "is a directory");
}

static void input_fifo(void **state) {
        struct fixture *f = *state;
        char *p = path_in(f->dir, "fifo");
        assert_int_equal(mkfifo(p, 0644), 0);
        input(f, p, "is a FIFO, not a file");
        free(p);
}

static void input_socket(void **state) {
        struct fixture *f = *state;
        char *p = path_in(f->dir, "sock");
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", p);
        assert_int_equal(bind(s, (struct sockaddr *) &sa, sizeof(sa)), 0);
        input(f, p, "is a socket, not a file");
        close(s);
        free(p);
}

static void input_dev_zero(void **state) {
        input(*state, "/dev/zero", "is a character device, not a file");
}

static void input_larger_than_its_limit(void **state) {
        struct fixture *f = *state;
        char big[2049];
        memset(big, 'x', 2048);
        big[2048] = '\0';
        char *p = write_file(f->dir, "big", big, 0644);
        input(f, p, "is larger than its limit of 1 KiB");
        free(p);
}

static void input_changing_while_copied(void **state) {
        struct fixture *f = *state;
        char *text;
        assert_true(asprintf(&text, "program %s\nargv probe --marker %s\ninput data fd=3\n", probe_path(),
                             f->marker) > 0);
        char *wl = write_file(f->dir, "nolimit.workload", text, 0644);
        char *p = path_in(f->dir, "growing");
        int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(ftruncate(fd, 64 << 20), 0);
        pid_t writer = fork();
        if (writer == 0) {
                /* Keep changing the file: appending moves size and mtime.
                 * Dies with the test, even when an assertion longjmps past
                 * the kill below (else it fills the disk). */
                if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
                        _exit(1);
                for (;;)
                        if (write(fd, "grow", 4) < 0)
                                _exit(1);
        }
        char arg[1024], want[1100];
        snprintf(arg, sizeof(arg), "--input=data=%s", p);
        snprintf(want, sizeof(want), "sealrun: input 'data' (%s): changed while it was copied", p);
        const char *args[] = {arg, NULL};
        expect_failure(f, wl, args, 125, want, 1);
        kill(writer, SIGKILL);
        waitpid(writer, NULL, 0);
        close(fd);
        free(p);
        free(wl);
        free(text);
}

static void input_fd_not_open(void **state) {
        const char *args[] = {"--input-fd=data=77", NULL};
        expect_failure(*state, NULL, args, 125, "sealrun: input 'data' (fd 77): is not an open fd", 1);
}

static void input_name_unknown(void **state) {
        const char *args[] = {"--input=nosuch=/etc/hostname", NULL};
        expect_failure(*state, NULL, args, 125,
                       "sealrun: --input 'nosuch': the workload declares no input of that name", 1);
}

static void input_required_but_not_given(void **state) {
        expect_failure(
                *state, NULL, NULL, 125,
                "sealrun: input 'data' is required: give it with --input data=PATH or --input-fd data=FD", 1);
}

static char *workload_with(struct fixture *f, const char *name, const char *body) {
        return write_file(f->dir, name, body, 0644);
}

/* Running workload fails with 125 and stderr's first line is path followed
 * by after (or contains that, when after starts with '~'). */
static void expect_error_at(struct fixture *f, const char *workload, const char *path, const char *after,
                            size_t lines) {
        bool contains = after[0] == '~';
        char want[1024];
        snprintf(want, sizeof(want), "%s%s%s", contains ? "~" : "", path, after + contains);
        expect_failure(f, workload, NULL, 125, want, lines);
}

static void workload_malformed_names_file_line_col(void **state) {
        struct fixture *f = *state;
        char *wl = workload_with(f, "bad.workload", "# comment\nprogram /bin/true\ninput data fd=x\n");
        /* The error line, the source line, the caret. */
        expect_error_at(f, wl, wl, ":3:12: error: expected a number from 0 to 1048575 after 'fd='", 3);
        free(wl);
}

static void workload_unknown_directive(void **state) {
        struct fixture *f = *state;
        char *wl = workload_with(f, "bad2.workload", "program /bin/true\n  programme /bin/false\n");
        expect_error_at(f, wl, wl, "~:2:3: error: expected a directive (program, exec", 3);
        free(wl);
}

static void workload_error_in_included_file(void **state) {
        struct fixture *f = *state;
        char *inc = workload_with(f, "inc.workload", "env set NOEQUALS\n");
        char *wl = workload_with(f, "main.workload", "program /bin/true\n@include ./inc.workload\n");
        /* + "included from main.workload:2" */
        expect_error_at(f, wl, inc, ":1:9: error: expected NAME=VALUE", 4);
        free(inc);
        free(wl);
}

static void workload_unterminated_quote(void **state) {
        struct fixture *f = *state;
        char *wl = workload_with(f, "q.workload", "program /bin/true\nenv set A=\"open\n");
        expect_error_at(f, wl, wl, ":2:11: error: expected a closing quote for the quote opened here", 3);
        free(wl);
}

static void workload_inline_seccomp_error_counts_workload_lines(void **state) {
        struct fixture *f = *state;
        char *wl =
                workload_with(f, "sc.workload", "program /bin/true\n[seccomp]\nread: 1\nnot_a_syscall: 1\n");
        /* The diagnostic with its source line and caret; being the only
         * one, no summary line after it. */
        expect_error_at(f, wl, wl, "~:4:", 3);
        free(wl);
}

static void workload_missing(void **state) {
        struct fixture *f = *state;
        char *wl = path_in(f->dir, "absent.workload");
        expect_error_at(f, wl, wl, ": error: cannot read workload file: No such file or directory", 1);
        free(wl);
}

static void fd_number_clash(void **state) {
        struct fixture *f = *state;
        char *wl = workload_with(f, "clash.workload", "program /bin/true\ninput a fd=3\ninput b fd=3\n");
        expect_error_at(f, wl, wl, ":3:9: error: fd 3 is already taken by input 'a'", 3);
        free(wl);
}

static void listen_fds_needs_consecutive_fds(void **state) {
        struct fixture *f = *state;
        char *wl = workload_with(f, "lfd.workload", "program /bin/true\nlisten-fds yes\ninput a fd=4\n");
        expect_error_at(f, wl, wl,
                        ": error: listen-fds needs the inputs at fds 3, 4, ... in order, "
                        "but input 'a' wants fd 4",
                        1);
        free(wl);
}

static void program(struct fixture *f, const char *prog, int status, const char *want) {
        char *text;
        assert_true(asprintf(&text, "program %s\nargv x --marker %s\n", prog, f->marker) > 0);
        char *wl = workload_with(f, "prog.workload", text);
        char line[2048];
        snprintf(line, sizeof(line), "sealrun: program '%s': %s", prog, want);
        expect_failure(f, wl, NULL, status, line, 1);
        free(wl);
        free(text);
}

static void program_missing_is_127(void **state) {
        struct fixture *f = *state;
        char *p = path_in(f->dir, "no-such-program");
        program(f, p, 127, "No such file or directory");
        free(p);
}

static void program_not_in_path_is_127(void **state) {
        program(*state, "sealrun-no-such-program", 127, "not found in PATH");
}

static void program_not_executable_is_126(void **state) {
        struct fixture *f = *state;
        /* Even root may execute only files with some x bit: 0644 fails for both. */
        char *p = write_file(f->dir, "noexec", "#!/bin/sh\ntouch marker\n", 0644);
        program(f, p, 126, "is not executable (Permission denied)");
        free(p);
}

static void program_directory_is_126(void **state) {
        program(*state, "/tmp", 126, "is a directory");
}

static void sealed_program_missing_is_127(void **state) {
        struct fixture *f = *state;
        char *text;
        assert_true(asprintf(&text, "program /nonexistent/x\nexec sealed\n") > 0);
        char *wl = workload_with(f, "sealed.workload", text);
        expect_failure(f, wl, NULL, 127, "sealrun: program '/nonexistent/x': No such file or directory", 1);
        free(wl);
        free(text);
}

/* The program is checked before any input is copied: with both wrong, the
 * program's error (127) is the one reported. */
static void program_is_checked_before_inputs_are_copied(void **state) {
        struct fixture *f = *state;
        const char *modes[] = {"path", "sealed"};
        for (size_t i = 0; i < 2; i++) {
                char *text;
                assert_true(asprintf(&text, "program /nonexistent/x\nexec %s\ninput data fd=3\n", modes[i]) >
                            0);
                char *wl = workload_with(f, "order.workload", text);
                const char *args[] = {"--input=data=/nonexistent/input", NULL};
                expect_failure(f, wl, args, 127,
                               "sealrun: program '/nonexistent/x': No such file or directory", 1);
                free(wl);
                free(text);
        }
}

static void sealed_program_directory_is_126(void **state) {
        struct fixture *f = *state;
        char *text;
        assert_true(asprintf(&text, "program %s\nexec sealed\n", f->dir) > 0);
        char *wl = workload_with(f, "sealeddir.workload", text);
        char want[1200];
        snprintf(want, sizeof(want), "sealrun: program '%s': is a directory", f->dir);
        expect_failure(f, wl, NULL, 126, want, 1);
        free(wl);
        free(text);
}

static void unknown_option_is_one_line(void **state) {
        const char *args[] = {"--frobnicate", NULL};
        expect_failure(*state, NULL, args, 125, "sealrun: error: unknown option '--frobnicate'", 1);
}

static void missing_option_argument_is_one_line(void **state) {
        const char *args[] = {"--input", NULL};
        expect_failure(*state, NULL, args, 125, "sealrun: error: option '--input' needs an argument", 1);
}

/* An abbreviated --input-spec (getopt_long accepts it) keeps its max=. */
static void abbreviated_input_spec_limit_still_refuses(void **state) {
        struct fixture *f = *state;
        char *big = write_file(f->dir, "big", "0123456789\n", 0644);
        char *input;
        assert_true(asprintf(&input, "--input=a=%s", big) > 0);
        char *argv[] = {(char *) sealrun_path(), "exec",     "--input-spe", "a max=4", input, "--",
                        (char *) probe_path(),   "--marker", f->marker,     NULL};
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 125);
        assert_non_null(strstr(r.err, "is larger than its limit of 4 bytes"));
        assert_int_equal(count_lines(r.err), 1);
        assert_false(file_exists(f->marker));
        run_result_free(&r);
        free(input);
        free(big);
}

/* `sealrun run WORKLOAD` under timeout(1), so a regression that blocks on
 * a FIFO fails (status 124) instead of hanging the suite. */
static void run_with_timeout(struct fixture *f, const char *workload, struct run_result *r) {
        char *argv[] = {"/usr/bin/timeout", "20", (char *) sealrun_path(), "run", (char *) workload, NULL};
        unlink(f->marker);
        run_argv(argv, NULL, NULL, r);
        assert_int_equal(r->status, 125);
        assert_false(file_exists(f->marker));
}

static char *fifo_in(struct fixture *f) {
        char *fifo = path_in(f->dir, "fifo");
        assert_int_equal(mkfifo(fifo, 0644), 0);
        return fifo;
}

static void workload_file_that_is_a_fifo_fails_promptly(void **state) {
        struct fixture *f = *state;
        char *fifo = fifo_in(f);
        struct run_result r;
        run_with_timeout(f, fifo, &r);
        char *want;
        assert_true(asprintf(&want, "%s: error: cannot read workload file: is a FIFO, not a file\n", fifo) >
                    0);
        assert_string_equal(r.err, want);
        free(want);
        run_result_free(&r);
        free(fifo);
}

static void seccomp_include_that_is_a_fifo_fails_promptly(void **state) {
        struct fixture *f = *state;
        char *fifo = fifo_in(f);
        const char *forms[] = {"seccomp include ", "[seccomp]\n@include "};
        for (size_t i = 0; i < 2; i++) {
                char *line, *text;
                assert_true(asprintf(&line, "%s%s\n", forms[i], fifo) > 0);
                assert_true(asprintf(&text, "program %s\nargv probe --marker %s\n%s", probe_path(), f->marker,
                                     line) > 0);
                char *wl = write_file(f->dir, "fifo-include.workload", text, 0644);
                struct run_result r;
                run_with_timeout(f, wl, &r);
                assert_non_null(strstr(r.err, "is a FIFO, not a file"));
                assert_non_null(strstr(r.err, fifo));
                run_result_free(&r);
                free(wl);
                free(text);
                free(line);
        }
        free(fifo);
}

static void compiled_filter_that_is_a_fifo_fails_promptly(void **state) {
        struct fixture *f = *state;
        char *fifo = fifo_in(f);
        char *text;
        assert_true(asprintf(&text, "program %s\nargv probe --marker %s\nseccomp compiled %s sha256=%064d\n",
                             probe_path(), f->marker, fifo, 0) > 0);
        char *wl = write_file(f->dir, "fifo-compiled.workload", text, 0644);
        struct run_result r;
        run_with_timeout(f, wl, &r);
        char *want;
        assert_true(asprintf(&want, "sealrun: seccomp compiled filter '%s': is a FIFO, not a file\n", fifo) >
                    0);
        assert_string_equal(r.err, want);
        free(want);
        run_result_free(&r);
        free(wl);
        free(text);
        free(fifo);
}

/* `sealrun exec ARGS... -- probe --marker M`: status, one stderr line
 * starting with want, no target started. */
static void expect_exec_failure(struct fixture *f, const char *const *args, int status, const char *want) {
        char *argv[16] = {(char *) sealrun_path(), "exec"};
        size_t n = 2;
        for (size_t i = 0; args[i]; i++)
                argv[n++] = (char *) args[i];
        argv[n++] = "--";
        argv[n++] = (char *) probe_path();
        argv[n++] = "--marker";
        argv[n++] = f->marker;
        argv[n] = NULL;
        unlink(f->marker);
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, status);
        assert_true(!strncmp(r.err, want, strlen(want)));
        assert_int_equal(count_lines(r.err), 1);
        assert_false(file_exists(f->marker));
        run_result_free(&r);
}

/* Refused in prepare, naming the limit (root without CAP_SYS_RESOURCE and
 * nobody: the hard limit; with it: fs.nr_open). */
static void rlimit_nofile_above_what_can_be_set_names_the_limit(void **state) {
        expect_exec_failure(*state, (const char *[]){"--rlimit=nofile=99999999999", NULL}, 125,
                            "sealrun: rlimit nofile (99999999999): above ");
}

static void input_fd_above_the_hard_limit_names_the_input(void **state) {
        struct fixture *f = *state;
        char *data = write_file(f->dir, "small", "x\n", 0644);
        char *input;
        assert_true(asprintf(&input, "--input=a=%s", data) > 0);
        expect_exec_failure(f, (const char *[]){"--input-spec=a fd=1048575", input, NULL}, 125,
                            "sealrun: input 'a' (fd 1048575): ");
        struct rlimit nofile;
        assert_int_equal(getrlimit(RLIMIT_NOFILE, &nofile), 0);
        if (nofile.rlim_max <= 1048575) {
                char want[128];
                snprintf(want, sizeof(want),
                         "sealrun: input 'a' (fd 1048575): above the hard limit on open files (%llu)\n",
                         (unsigned long long) nofile.rlim_max);
                char *argv[] = {(char *) sealrun_path(), "exec", "--input-spec=a fd=1048575", input, "--",
                                (char *) probe_path(),   NULL};
                struct run_result r;
                run_argv(argv, NULL, NULL, &r);
                assert_string_equal(r.err, want);
                run_result_free(&r);
        }
        free(input);
        free(data);
}

static void bad_input_name_on_the_exec_command_line_is_named(void **state) {
        struct fixture *f = *state;
        char *data = write_file(f->dir, "small", "x\n", 0644);
        char *input;
        assert_true(asprintf(&input, "--input=1a=%s", data) > 0);
        expect_exec_failure(
                f, (const char *[]){input, NULL}, 125,
                "sealrun: error: --input: expected an input name of letters, digits, '_', '-', '.' (at "
                "most 64), found '1a'\n");
        free(input);
        free(data);
}

/* One diagnostic, one line: no "1 error(s), see above" after it. */
static void missing_seccomp_policy_is_one_line(void **state) {
        struct fixture *f = *state;
        char *missing = path_in(f->dir, "nonexistent.policy");
        char *arg, *want;
        assert_true(asprintf(&arg, "--seccomp-policy=%s", missing) > 0);
        assert_true(asprintf(&want, "%s: error: cannot read policy: No such file or directory\n", missing) >
                    0);
        expect_exec_failure(f, (const char *[]){arg, NULL}, 125, want);
        free(want);
        free(arg);
        free(missing);
}

static void check_validates_workload_files(void **state) {
        struct fixture *f = *state;
        char *bad = workload_with(f, "bad.workload",
                                  "program /bin/true\ninput a fd=3\n[seccomp]\nread: 1\nbogus: 1\n");
        char *warn = workload_with(f, "warn.workload",
                                   "program /bin/true\nseccomp default kill-process\n[seccomp]\nread: 1\n");
        char *argv[] = {(char *) sealrun_path(), "check", bad, NULL};
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 1);
        char want[1024];
        snprintf(want, sizeof(want), "%s:5:1: error: ", bad);
        assert_true(!strncmp(r.err, want, strlen(want)));
        run_result_free(&r);
        char *argv2[] = {(char *) sealrun_path(), "check", warn, NULL};
        run_argv(argv2, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        snprintf(want, sizeof(want),
                 "%s: warning: 'exec path' but the seccomp policy never allows execve or execveat", warn);
        assert_true(!strncmp(r.err, want, strlen(want)));
        run_result_free(&r);
        free(bad);
        free(warn);
}

/* check and run say the same: a workload default the policy's @default
 * overrides, a default that allows every unnamed call, an exec by path the
 * policy refuses. */
static void check_and_run_warn_about_defaults(void **state) {
        struct fixture *f = *state;
        char *policy = workload_with(f, "own-default.policy", "@default kill-process\nexecve: 1\n");
        char *overridden = workload_with(f, "overridden.workload",
                                         "program /bin/true\nseccomp default return EPERM\n"
                                         "seccomp include ./own-default.policy\n");
        char *permissive = workload_with(f, "permissive.workload",
                                         "program /bin/true\nseccomp default log\n[seccomp]\nexecve: 1\n");
        char *no_exec = workload_with(f, "no-exec.workload", "program /bin/true\n[seccomp]\nread: 1\n");
        struct {
                const char *file, *command, *want;
        } cases[] = {
                {overridden, "check", ":2:1: warning: 'seccomp default errno(1)' has no effect: "},
                {permissive, "check",
                 ":2:1: warning: 'seccomp default log' lets every syscall the policy "
                 "does not name through (only logged)"},
                {no_exec, "check", ": warning: 'exec path' but the seccomp policy never allows execve"},
                {no_exec, "run", ": warning: 'exec path' but the seccomp policy never allows execve"},
                {overridden, "run", ":2:1: warning: 'seccomp default errno(1)' has no effect: "},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char *argv[] = {(char *) sealrun_path(), (char *) cases[i].command, (char *) cases[i].file,
                                NULL};
                struct run_result r;
                run_argv(argv, NULL, NULL, &r);
                char want[1024];
                snprintf(want, sizeof(want), "%s%s", cases[i].file, cases[i].want);
                if (strncmp(r.err, want, strlen(want)))
                        print_error("%s %s: want '%s...', got '%s'\n", cases[i].command, cases[i].file, want,
                                    r.err);
                assert_true(!strncmp(r.err, want, strlen(want)));
                run_result_free(&r);
        }
        free(policy);
        free(overridden);
        free(permissive);
        free(no_exec);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        const struct CMUnitTest tests[] = {
                T(input_missing),
                T(input_unreadable),
                T(input_directory),
                T(input_fifo),
                T(input_socket),
                T(input_dev_zero),
                T(input_larger_than_its_limit),
                T(input_changing_while_copied),
                T(input_fd_not_open),
                T(input_name_unknown),
                T(input_required_but_not_given),
                T(workload_malformed_names_file_line_col),
                T(workload_unknown_directive),
                T(workload_error_in_included_file),
                T(workload_unterminated_quote),
                T(workload_inline_seccomp_error_counts_workload_lines),
                T(workload_missing),
                T(fd_number_clash),
                T(listen_fds_needs_consecutive_fds),
                T(program_missing_is_127),
                T(program_not_in_path_is_127),
                T(program_not_executable_is_126),
                T(program_directory_is_126),
                T(sealed_program_missing_is_127),
                T(program_is_checked_before_inputs_are_copied),
                T(sealed_program_directory_is_126),
                T(unknown_option_is_one_line),
                T(missing_option_argument_is_one_line),
                T(abbreviated_input_spec_limit_still_refuses),
                T(workload_file_that_is_a_fifo_fails_promptly),
                T(seccomp_include_that_is_a_fifo_fails_promptly),
                T(compiled_filter_that_is_a_fifo_fails_promptly),
                T(rlimit_nofile_above_what_can_be_set_names_the_limit),
                T(input_fd_above_the_hard_limit_names_the_input),
                T(bad_input_name_on_the_exec_command_line_is_named),
                T(missing_seccomp_policy_is_one_line),
                T(check_validates_workload_files),
                T(check_and_run_warn_about_defaults),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
