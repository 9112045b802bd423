/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The caller's fds and the status fd (issue 12): a status fd that is also
 * an input, a stream given twice, a non-blocking pipe, --status-fd 2, and
 * status lines that must each parse as JSON and as UTF-8.  Each case runs
 * a small shell script in a fresh directory with $S set to sealrun. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

/* Item 4: the status fd's file is never also an input's source. */
static void test_status_fd_that_is_an_input_is_refused(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir,
               "echo data >data.txt; $S exec --status-fd 5 --input-fd data=5 -- /bin/cat @data 5<>data.txt; "
               "cat data.txt",
               &r);
        expect_one_stderr_line(&r, 0, "sealrun: input 'data' (fd 5): is the same file as --status-fd 5");
        assert_string_equal(r.out, "data\n"); /* not overwritten by a status line */
        run_result_free(&r);
        run_sh(f->dir,
               "$S exec --status-fd 5 --input data=data.txt -- /bin/cat @data 5>>data.txt; echo $?; cat "
               "data.txt",
               &r);
        expect_one_stderr_line(&r, 0, "sealrun: input 'data' (data.txt): is the same file as --status-fd 5");
        assert_string_equal(r.out, "125\ndata\n"); /* the user's file is unchanged */
        run_result_free(&r);
        run_sh(f->dir, "$S exec --status-fd 5 -- /bin/true 5<data.txt", &r);
        expect_one_stderr_line(&r, 125, "sealrun: --status-fd 5: is open for reading only, not for writing");
        run_result_free(&r);
}

/* Item 8: one stream is the source of one input; a regular file may
 * serve two (each gets a whole copy). */
static void test_same_stream_twice_is_refused(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir, "echo hi | $S exec --input-fd a=0 --input-fd b=0 -- /bin/true", &r);
        expect_one_stderr_line(&r, 125, "sealrun: input 'b' (fd 0): is the same stream as input 'a' (fd 0)");
        run_result_free(&r);
        run_sh(f->dir, "echo hi | $S exec --input-fd a=0 --input-fd b=3 -- /bin/true 3<&0", &r);
        expect_one_stderr_line(&r, 125, "sealrun: input 'b' (fd 3): is the same stream as input 'a' (fd 0)");
        run_result_free(&r);
        run_sh(f->dir,
               "echo hi >f; $S exec --input-fd a=0 --input-fd b=0 -- /bin/sh -c 'cat <&3; cat <&4' <f", &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out, "hi\nhi\n");
        run_result_free(&r);
}

/* Item 6: a non-blocking pipe whose writer is slow is read to EOF, and the
 * caller's file description keeps its O_NONBLOCK. */
static void test_nonblocking_pipe_is_read_to_eof(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir,
               "exec python3 -c '\n"
               "import os, subprocess, sys, time\n"
               "r, w = os.pipe()\n"
               "os.set_blocking(r, False)\n"
               "if os.fork() == 0:\n"
               "    os.close(r)\n"
               "    os.write(w, b\"first \")\n"
               "    time.sleep(0.3)\n"
               "    os.write(w, b\"second\\n\")\n"
               "    os._exit(0)\n"
               "os.close(w)\n"
               "p = subprocess.run([os.environ[\"S\"], \"exec\", \"--input-fd\", \"d=%d\" % r, \"--\", "
               "\"/bin/cat\",\n"
               "                    \"@d\"], pass_fds=(r,), capture_output=True)\n"
               "sys.stdout.write(p.stdout.decode())\n"
               "sys.stderr.write(p.stderr.decode())\n"
               "print(\"blocking\", os.get_blocking(r))\n"
               "sys.exit(p.returncode)'",
               &r);
        if (r.status != 0)
                fail_msg("status %d: %s", r.status, r.err);
        assert_string_equal(r.out, "first second\nblocking False\n");
        run_result_free(&r);
}

/* Item 9: a refused --status-fd 2 is one line on stderr, no JSON there. */
static void test_status_fd_2_is_one_line(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        for (int fd = 0; fd <= 2; fd++) {
                char script[128];
                snprintf(script, sizeof(script), "$S exec --status-fd %d -- /bin/true", fd);
                run_sh(f->dir, script, &r);
                expect_one_stderr_line(&r, 125, "expected an fd above 2 (not stdio)");
                assert_null(strchr(r.out, '{'));
                run_result_free(&r);
        }
}

/* Item 5: a path with a byte that is not UTF-8, and one long enough to be
 * cut, still give status lines that are JSON and UTF-8. */
static void test_status_lines_are_json_and_utf8(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir,
               "$S exec --status-fd 3 -- \"$(printf '/nonexistent/\\377x')\" 3>s.jsonl 2>/dev/null\n"
               "e=$(printf '\\303\\251%.0s' $(seq 100)); p=/nonexistent; for i in 1 2 3 4 5 6 7; do p=$p/$e; "
               "done\n"
               "$S exec --status-fd 3 -- \"$p\" 3>>s.jsonl 2>/dev/null\n"
               "$S exec --status-fd 3 -- /bin/true 3>>s.jsonl\n" CHECK_JSON
               "s.jsonl; grep -c 'ufffd' s.jsonl",
               &r);
        assert_string_equal(r.out, "valid 3\n1\n");
        run_result_free(&r);
}

/* Item 3: with --cwd, a relative program (or one found through a
 * relative PATH entry) is the file checked in the caller's directory, not
 * a namesake in the new one. */
static void test_cwd_runs_the_program_that_was_checked(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir,
               "mkdir other bin; printf '#!/bin/sh\\necho checked\\n' >prog; cp prog bin/p2\n"
               "printf '#!/bin/sh\\necho other\\n' >other/prog; cp other/prog other/p2; chmod +x prog bin/p2 "
               "other/prog other/p2\n"
               "$S exec --cwd \"$PWD/other\" -- ./prog; $S exec --sealed --cwd \"$PWD/other\" -- ./prog\n"
               "mkdir other/bin; cp other/p2 other/bin/p2; PATH=bin:$PATH $S exec --cwd \"$PWD/other\" -- "
               "p2\n"
               "rm other/prog; $S exec --cwd \"$PWD/other\" -- ./prog",
               &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out, "checked\nchecked\nchecked\nchecked\n");
        run_result_free(&r);
}

int main(void) {
        if (export_sealrun_path() < 0)
                return 1;
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_status_fd_that_is_an_input_is_refused,
                                                tmpdir_fixture_setup, tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_same_stream_twice_is_refused, tmpdir_fixture_setup,
                                                tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_nonblocking_pipe_is_read_to_eof, tmpdir_fixture_setup,
                                                tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_status_fd_2_is_one_line, tmpdir_fixture_setup,
                                                tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_status_lines_are_json_and_utf8, tmpdir_fixture_setup,
                                                tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_cwd_runs_the_program_that_was_checked,
                                                tmpdir_fixture_setup, tmpdir_fixture_teardown),
        };
        return cmocka_run_group_tests_name("launcher_fds", tests, NULL, NULL);
}
