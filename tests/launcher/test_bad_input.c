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

static void setuid_copy_refuses_to_run(void **state) {
        struct fixture *f = *state;
        if (!is_root()) {
                printf("SKIP: making a setuid-root copy of sealrun needs root\n");
                skip();
        }
        char *copy = path_in(f->dir, "sealrun-suid");
        char *cp[] = {"/bin/cp", (char *) sealrun_path(), copy, NULL};
        struct run_result r;
        run_argv(cp, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        run_result_free(&r);
        assert_int_equal(chmod(copy, 04755), 0);
        char out_path[] = "/tmp/sealrun-suid-err-XXXXXX";
        int err = mkstemp(out_path);
        pid_t pid = fork();
        if (pid == 0) {
                dup2(err, 2);
                if (setgid(65534) < 0 || setuid(65534) < 0)
                        _exit(99);
                execl(copy, "sealrun", "exec", "--", probe_path(), "--marker", f->marker, (char *) NULL);
                _exit(98);
        }
        int ws;
        waitpid(pid, &ws, 0);
        char buf[1024] = "";
        ssize_t n = pread(err, buf, sizeof(buf) - 1, 0);
        buf[n > 0 ? n : 0] = '\0';
        unlink(out_path);
        close(err);
        printf("# stderr: %s", buf);
        if (WEXITSTATUS(ws) == 0 && file_exists(f->marker)) {
                printf("SKIP: %s is mounted nosuid\n", f->dir);
                skip();
        }
        assert_int_equal(WEXITSTATUS(ws), 125);
        assert_non_null(strstr(buf, "sealrun: refusing to run setuid or setgid (uid 65534, euid 0"));
        assert_int_equal(count_lines(buf), 1);
        assert_false(file_exists(f->marker));
        free(copy);
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

/* `sealrun exec --seccomp-policy=POLICY` with policy_text, the child set
 * up by child_setup (may be NULL): exit 125, stderr starting with want
 * (after the policy's path when want_path), and the target never
 * started. */
static void expect_policy_refused_at_launch(struct fixture *f, const char *policy_text,
                                            child_setup_fn child_setup, bool want_path,
                                            const char *want_after) {
        char *policy = write_file(f->dir, "launch.policy", policy_text, 0644);
        char *arg, *want;
        assert_true(asprintf(&arg, "--seccomp-policy=%s", policy) > 0);
        assert_true(asprintf(&want, "%s%s", want_path ? policy : "", want_after) > 0);
        const char *argv[] = {sealrun_path(), "exec", arg, "--", probe_path(), "--marker", f->marker, NULL};
        unlink(f->marker);
        struct run_result r;
        run_argv((char **) argv, child_setup, NULL, &r);
        assert_int_equal(r.status, 125);
        if (strncmp(r.err, want, strlen(want)))
                fail_msg("stderr: %s\nwanted at its start: %s", r.err, want);
        assert_false(file_exists(f->marker));
        run_result_free(&r);
        free(want);
        free(arg);
        free(policy);
}

/* A policy whose lowering needs libseccomp's slow native merge is refused
 * at launch, at the rule, before anything starts;
 * `sealrun compile` still takes it (test_compile_time). */
static void policy_too_slow_to_compile_at_launch_is_refused(void **state) {
        expect_policy_refused_at_launch(*state,
                                        "read: arg0 != 3 && arg1 >= 8\nread: arg2 == 1; return EPERM\n", NULL,
                                        true, ":1:7: error: too many comparisons to compile at launch");
}

/* Lowered to 248 EQ/MASKED_EQ rules, which libseccomp 2.5.4 merges for
 * minutes: the launch-time compile stops at its CPU limit, names the
 * syscall, exits 125, and nothing starts. */
static void policy_libseccomp_cannot_merge_is_cut_off_at_launch(void **state) {
        expect_policy_refused_at_launch(
                *state, "read: arg0 > 0xff || arg1 == 0xff\nread: arg2 >= 0x100000001; return 13\n", NULL,
                true,
                ":1:7: error: compiling the rules for 'read' did not finish within the "
                "CPU time limit (2 s)");
}

static void one_process_only(void *userdata) {
        (void) userdata;
        /* Under ASan, LeakSanitizer checks at exit from a thread of its
         * own, which this limit forbids: it would abort sealrun after the
         * error this test wants. */
        const char *asan = getenv("ASAN_OPTIONS");
        char options[512];
        snprintf(options, sizeof(options), "%s%sdetect_leaks=0", asan ? asan : "", asan && *asan ? ":" : "");
        setenv("ASAN_OPTIONS", options, 1);
        struct rlimit one = {1, 1};
        if (setrlimit(RLIMIT_NPROC, &one) < 0)
                _exit(97);
}

/* Compiling at launch forks (compile_child.h); when it cannot, the error
 * says why and what to do instead, and nothing starts. */
static void policy_compile_without_fork_is_a_clear_error(void **state) {
        if (is_root()) {
                printf("SKIP: RLIMIT_NPROC does not bind root; runs as the unprivileged user\n");
                skip();
        }
        expect_policy_refused_at_launch(
                *state, "read: 1\n", one_process_only, false,
                "sealrun: seccomp policy: cannot fork the child that compiles it "
                "(RLIMIT_NPROC?): Resource temporarily unavailable; precompile it with "
                "'sealrun compile'");
}

static void status_on_fd7(void *userdata) {
        int fd = open(userdata, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || dup2(fd, 7) < 0)
                _exit(97);
}

/* A sealed program of `size` bytes starting with `head`, the rest random,
 * run under a policy that allows only read and exit_group (so any write to
 * stderr after the filter is loaded would be killed), --status-fd 7. */
static void run_sealed_garbage(struct fixture *f, const char *head, size_t size, struct run_result *r,
                               char **ret_status) {
        char *bytes = calloc(1, size + 1);
        int rnd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        assert_int_equal(read(rnd, bytes, size), (ssize_t) size);
        close(rnd);
        memcpy(bytes, head, strlen(head));
        if (!*head && (bytes[0] == '#' || bytes[0] == '\177'))
                bytes[0] = 0; /* neither "#!" nor ELF by chance */
        char *prog = path_in(f->dir, "garbage");
        int fd = open(prog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
        assert_int_equal(write(fd, bytes, size), (ssize_t) size);
        close(fd);
        char *text;
        assert_true(asprintf(&text,
                             "program %s\nexec sealed\nseccomp default kill-process\n[seccomp]\n"
                             "{read, exit_group}: 1\n",
                             prog) > 0);
        char *wl = write_file(f->dir, "garbage.workload", text, 0644);
        char *status = path_in(f->dir, "status.json");
        char *argv[] = {(char *) sealrun_path(), "run", "--status-fd=7", wl, NULL};
        run_argv(argv, status_on_fd7, status, r);
        char *cat[] = {"/bin/cat", status, NULL};
        struct run_result c;
        run_argv(cat, NULL, NULL, &c);
        *ret_status = c.out;
        c.out = NULL;
        run_result_free(&c);
        free(status);
        free(wl);
        free(text);
        free(prog);
        free(bytes);
}

/* Refused in prepare, before the filter could forbid saying why. */
static void sealed_random_bytes_is_126_before_anything_starts(void **state) {
        struct run_result r;
        char *status;
        run_sealed_garbage(*state, "", 100, &r, &status);
        printf("# status: %s", status);
        assert_int_equal(r.status, 126);
        assert_non_null(strstr(r.err, "is not an executable format (neither ELF nor a #! script)"));
        assert_int_equal(count_lines(r.err), 1);
        assert_null(strstr(status, "\"event\":\"exec\""));
        assert_non_null(strstr(status, "{\"event\":\"error\",\"stage\":\"prepare\","));
        assert_non_null(strstr(status, "\"exit\":126}"));
        run_result_free(&r);
        free(status);
}

/* ELF magic, garbage after: the exec itself fails under the filter.  The
 * policy kills write, so the launcher reports only on the status fd (its
 * write rule) and exits 126 instead of dying of SIGSYS. */
static void failed_exec_under_a_filter_that_kills_write_exits_126(void **state) {
#ifdef __SANITIZE_ADDRESS__
        printf("SKIP: sealrun is built with ASan, whose runtime cannot run under a deny-all filter\n");
        skip();
#endif
        struct run_result r;
        char *status;
        run_sealed_garbage(*state, "\177ELF", 100, &r, &status);
        printf("# status: %s", status);
        assert_int_equal(r.signal, 0);
        assert_int_equal(r.status, 126);
        assert_non_null(strstr(status, "{\"event\":\"exec\","));
        assert_non_null(strstr(status, "{\"event\":\"error\",\"stage\":\"exec\","));
        assert_non_null(strstr(status, "\"exit\":126}"));
        run_result_free(&r);
        free(status);
}

static const char *find_tool(const char *const *candidates) {
        for (size_t i = 0; candidates[i]; i++)
                if (access(candidates[i], X_OK) == 0)
                        return candidates[i];
        return NULL;
}

/* A copy of sealrun with file capabilities in dir, or NULL (why printed). */
static char *file_caps_copy(const char *dir, const char *setcap) {
        char *copy = path_in(dir, "sealrun-fcaps");
        char *cp[] = {"/bin/cp", (char *) sealrun_path(), copy, NULL};
        char *sc[] = {(char *) setcap, "cap_dac_override+ep", copy, NULL};
        struct run_result r;
        run_argv(cp, NULL, NULL, &r);
        bool ok = r.status == 0;
        run_result_free(&r);
        if (ok) {
                run_argv(sc, NULL, NULL, &r);
                ok = r.status == 0;
                if (!ok)
                        printf("# setcap in %s: %s", dir, r.err);
                run_result_free(&r);
        }
        if (!ok) {
                unlink(copy);
                free(copy);
                return NULL;
        }
        return copy;
}

/* File capabilities raise no id, yet would give the target (run by
 * nobody) cap_dac_override: AT_SECURE catches them. */
static void file_capability_copy_refuses_to_run(void **state) {
        struct fixture *f = *state;
        if (!is_root()) {
                printf("SKIP: setting file capabilities on a copy of sealrun needs root\n");
                skip();
        }
        const char *setcap = find_tool((const char *const[]){"/usr/sbin/setcap", "/sbin/setcap", NULL});
        const char *setpriv = find_tool((const char *const[]){"/usr/bin/setpriv", "/bin/setpriv", NULL});
        if (!setcap || !setpriv) {
                printf("SKIP: setcap (libcap2-bin) or setpriv (util-linux) is not installed\n");
                skip();
        }
        assert_int_equal(chmod(f->dir, 01777), 0); /* the target, as nobody, may write the marker */
        char *copy = file_caps_copy(f->dir, setcap);
        char *build_dir_copy = NULL;
        if (!copy) {
                build_dir_copy = strdup(build_path("tests/launcher"));
                copy = file_caps_copy(build_dir_copy, setcap);
        }
        if (!copy) {
                printf("SKIP: neither /tmp nor the build dir takes security.capability xattrs\n");
                free(build_dir_copy);
                skip();
        }
        /* Asking to keep the capability: without the check, the target
         * would run as nobody with cap_dac_override. */
        char *argv[] = {(char *) setpriv,
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        copy,
                        "exec",
                        "--cap=dac_override",
                        "--",
                        (char *) probe_path(),
                        "--marker",
                        f->marker,
                        NULL};
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        unlink(copy);
        if (strstr(r.err, "sealrun does not hold it")) {
                printf("SKIP: the file system ignores file capabilities (nosuid mount?)\n");
                run_result_free(&r);
                free(copy);
                free(build_dir_copy);
                skip();
        }
        assert_int_equal(r.status, 125);
        assert_non_null(
                strstr(r.err, "sealrun: refusing to run with elevated privileges from exec (AT_SECURE"));
        assert_int_equal(count_lines(r.err), 1);
        assert_false(file_exists(f->marker));
        run_result_free(&r);
        free(copy);
        free(build_dir_copy);
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
                T(sealed_random_bytes_is_126_before_anything_starts),
                T(failed_exec_under_a_filter_that_kills_write_exits_126),
                T(abbreviated_input_spec_limit_still_refuses),
                T(workload_file_that_is_a_fifo_fails_promptly),
                T(seccomp_include_that_is_a_fifo_fails_promptly),
                T(compiled_filter_that_is_a_fifo_fails_promptly),
                T(rlimit_nofile_above_what_can_be_set_names_the_limit),
                T(input_fd_above_the_hard_limit_names_the_input),
                T(bad_input_name_on_the_exec_command_line_is_named),
                T(missing_seccomp_policy_is_one_line),
                T(policy_too_slow_to_compile_at_launch_is_refused),
                T(policy_libseccomp_cannot_merge_is_cut_off_at_launch),
                T(policy_compile_without_fork_is_a_clear_error),
                T(setuid_copy_refuses_to_run),
                T(file_capability_copy_refuses_to_run),
                T(check_validates_workload_files),
                T(check_and_run_warn_about_defaults),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
