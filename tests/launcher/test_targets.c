/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Real programs as targets (sh, python3, jq, scripts run from their sealed
 * copy, a libsystemd LISTEN_FDS consumer), each checked by its output. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

struct fixture {
        char *dir;
        char *data;
        char *json;
        char *filter;
};

static int setup(void **state) {
        struct fixture *f = calloc(1, sizeof(*f));
        f->dir = tmpdir_new();
        f->data = write_file(f->dir, "data.txt", "line one\nline two\n", 0644);
        f->json = write_file(f->dir, "data.json", "{\"name\":\"sealed\",\"items\":[1,2,3]}\n", 0644);
        f->filter = write_file(f->dir, "filter.jq", ".items | map(. * 10) | add\n", 0644);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fixture *f = *state;
        tmpdir_remove(f->dir);
        free(f->data);
        free(f->json);
        free(f->filter);
        free(f);
        return 0;
}

static void need(const char *path) {
        if (access(path, X_OK) < 0) {
                printf("SKIP: %s is not installed\n", path);
                skip();
        }
}

static void exec_expect(char *const argv[], int status, const char *out) {
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        printf("# stdout: %s\n", r.out);
        assert_int_equal(r.status, status);
        assert_string_equal(r.out, out);
        run_result_free(&r);
}

static void sh_reads_input_through_proc_self_fd(void **state) {
        struct fixture *f = *state;
        char in[600];
        snprintf(in, sizeof(in), "--input=data=%s", f->data);
        char *argv[] = {(char *) sealrun_path(),   "exec",  in,  "--", "/bin/sh", "-c",
                        "echo \"$0\"; cat \"$0\"", "@data", NULL};
        exec_expect(argv, 0, "/proc/self/fd/3\nline one\nline two\n");
}

static void sh_reads_the_inherited_fd(void **state) {
        struct fixture *f = *state;
        char in[600];
        snprintf(in, sizeof(in), "--input=data=%s", f->data);
        char *argv[] = {
                (char *) sealrun_path(), "exec", in, "--input-spec", "data fd=5", "--", "/bin/sh", "-c",
                "cat <&5; exit 7",       NULL};
        exec_expect(argv, 7, "line one\nline two\n"); /* the target's own exit status */
}

static void python3_reads_both_ways(void **state) {
        struct fixture *f = *state;
        need("/usr/bin/python3");
        char in[600];
        snprintf(in, sizeof(in), "--input=data=%s", f->data);
        char *argv[] = {(char *) sealrun_path(),
                        "exec",
                        in,
                        "--",
                        "/usr/bin/python3",
                        "-c",
                        "import os, sys\n"
                        "print(open(sys.argv[1]).read().upper(), end='')\n"
                        "print(os.read(3, 100).decode().split()[1])\n"
                        "try:\n    os.write(3, b'x')\nexcept OSError as e:\n    print('write', e.errno)\n",
                        "@data",
                        NULL};
        exec_expect(argv, 0, "LINE ONE\nLINE TWO\none\nwrite 1\n");
}

static void jq_runs_a_sealed_filter_on_sealed_data(void **state) {
        struct fixture *f = *state;
        need("/usr/bin/jq");
        char *wl = write_file(f->dir, "jq.workload",
                              "# jq with both its filter and its data sealed\n"
                              "program /usr/bin/jq\n"
                              "argv jq -f @filter @data\n"
                              "input filter fd=3 max=64K\n"
                              "input data fd=4 max=64M\n"
                              "env set LANG=C.UTF-8\n"
                              "rlimit nofile 64\n",
                              0644);
        char a[600], b[600];
        snprintf(a, sizeof(a), "--input=filter=%s", f->filter);
        snprintf(b, sizeof(b), "--input=data=%s", f->json);
        char *argv[] = {(char *) sealrun_path(), "run", wl, a, b, NULL};
        exec_expect(argv, 0, "60\n");
        free(wl);
}

static void stdin_pipe_replaced_by_a_sealed_input(void *userdata) {
        int p[2];
        if (pipe(p) == 0) {
                (void) !write(p[1], "{\"name\":\"from the pipe\"}\n", 26);
                close(p[1]);
                dup2(p[0], 0);
                close(p[0]);
        }
}

static void jq_reads_a_sealed_input_at_fd_0(void **state) {
        struct fixture *f = *state;
        need("/usr/bin/jq");
        char *wl = write_file(f->dir, "jq0.workload",
                              "program /usr/bin/jq\nexec sealed\nargv jq -r .name\ninput data fd=0\n", 0644);
        char in[600];
        snprintf(in, sizeof(in), "--input=data=%s", f->json);
        char *argv[] = {(char *) sealrun_path(), "run", wl, in, NULL};
        struct run_result r;
        /* stdin is a pipe with other JSON: the input must win fd 0. */
        run_argv(argv, stdin_pipe_replaced_by_a_sealed_input, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out, "sealed\n");
        run_result_free(&r);
        free(wl);
}

static void input_fd_copies_a_pipe(void **state) {
        struct fixture *f = *state;
        char *argv[] = {(char *) sealrun_path(), "exec", "--input-fd=data=0", "--", "/bin/sh", "-c",
                        "cat /proc/self/fd/3",   NULL};
        struct run_result r;
        run_argv(argv, stdin_pipe_replaced_by_a_sealed_input, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out, "{\"name\":\"from the pipe\"}\n");
        run_result_free(&r);
        (void) f;
}

static void run_appends_arguments_after_the_double_dash(void **state) {
        struct fixture *f = *state;
        char *wl =
                write_file(f->dir, "echo.workload", "program /bin/echo\nargv echo fixed @@literal\n", 0644);
        char *argv[] = {(char *) sealrun_path(), "run", wl, "--", "extra", "--not-an-option", NULL};
        exec_expect(argv, 0, "fixed @literal extra --not-an-option\n");
        free(wl);
}

static void sealed_sh_script_runs_from_its_memfd(void **state) {
        struct fixture *f = *state;
        char *script = write_file(
                f->dir, "script.sh",
                "#!/bin/sh\necho \"script $1\"\ncase \"$0\" in /dev/fd/*) echo from-fd;; esac\ncat <&3\n",
                0755);
        char in[600];
        snprintf(in, sizeof(in), "--input=data=%s", f->data);
        char *argv[] = {(char *) sealrun_path(), "exec", "--sealed", in, "--", script, "arg", NULL};
        exec_expect(argv, 0, "script arg\nfrom-fd\nline one\nline two\n");
        free(script);
}

static void sealed_python3_script_runs_from_its_memfd(void **state) {
        struct fixture *f = *state;
        need("/usr/bin/python3");
        char *script = write_file(f->dir, "script.py",
                                  "#!/usr/bin/python3\nimport sys\nprint('py', sys.argv[1:])\n"
                                  "print(open('/proc/self/fd/3').read(), end='')\n",
                                  0755);
        char in[600];
        snprintf(in, sizeof(in), "--input=data=%s", f->data);
        char *argv[] = {(char *) sealrun_path(), "exec", "--sealed", in, "--", script, "a", "b", NULL};
        exec_expect(argv, 0, "py ['a', 'b']\nline one\nline two\n");
        free(script);
}

static void sealed_script_unchanged_when_the_file_is_rewritten(void **state) {
        struct fixture *f = *state;
        char *script = path_in(f->dir, "self.sh");
        char *text;
        /* The running copy rewrites its file on disk, then shows what runs. */
        assert_true(asprintf(&text,
                             "#!/bin/sh\necho 'echo rewritten' > %s\necho original\ncat \"$0\" | head -n 1\n",
                             script) > 0);
        free(write_file(f->dir, "self.sh", text, 0755));
        char *argv[] = {(char *) sealrun_path(), "exec", "--sealed", "--", script, NULL};
        exec_expect(argv, 0, "original\n#!/bin/sh\n");
        struct run_result r;
        char *cat[] = {"/bin/cat", script, NULL};
        run_argv(cat, NULL, NULL, &r);
        assert_string_equal(r.out, "echo rewritten\n");
        run_result_free(&r);
        free(text);
        free(script);
}

static void listen_fds_with_sd_listen_fds_with_names(void **state) {
        struct fixture *f = *state;
        const char *consumer = build_path("tests/launcher/listen_consumer");
        if (access(consumer, X_OK) < 0) {
                printf("SKIP: libsystemd-dev was not installed at build time (no listen_consumer)\n");
                skip();
        }
        char *text;
        assert_true(asprintf(&text, "program %s\nlisten-fds yes\ninput config\ninput data\n", consumer) > 0);
        char *wl = write_file(f->dir, "listen.workload", text, 0644);
        char a[600], b[600];
        snprintf(a, sizeof(a), "--input=config=%s", f->json);
        snprintf(b, sizeof(b), "--input=data=%s", f->data);
        char *argv[] = {(char *) sealrun_path(), "run", wl, a, b, NULL};
        exec_expect(argv, 0,
                    "listen 2\nlisten fd 3 name config line {\"name\":\"sealed\",\"items\":[1,2,3]}\n"
                    "listen fd 4 name data line line one\nlisten_env unset\n");
        free(wl);
        free(text);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        const struct CMUnitTest tests[] = {
                T(sh_reads_input_through_proc_self_fd),
                T(sh_reads_the_inherited_fd),
                T(python3_reads_both_ways),
                T(jq_runs_a_sealed_filter_on_sealed_data),
                T(jq_reads_a_sealed_input_at_fd_0),
                T(input_fd_copies_a_pipe),
                T(run_appends_arguments_after_the_double_dash),
                T(sealed_sh_script_runs_from_its_memfd),
                T(sealed_python3_script_runs_from_its_memfd),
                T(sealed_script_unchanged_when_the_file_is_rewritten),
                T(listen_fds_with_sd_listen_fds_with_names),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
