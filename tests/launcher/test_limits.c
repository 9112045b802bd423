/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun's contract under floods and odd input (issue 12): one line
 * naming the thing and 125, the target not started, nothing flooded.
 * Each case runs a small shell script in a fresh directory with $S set to
 * the sealrun binary, so limits (ulimit) apply to sealrun alone. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

/* Item 16: 1,000 duplicate rules give 20 warnings and one summary line,
 * at launch and in `sealrun check`. */
static void test_duplicate_rule_warnings_are_capped(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir,
               "{ printf '%s\\n' 'execve: 1' 'exit_group: 1'; i=0; while [ $i -lt 1000 ]; do echo 'read: 1'; "
               "i=$((i+1)); done; } >dup.policy\n"
               "printf 'program /bin/true\\nseccomp default allow\\nseccomp include dup.policy\\n' "
               ">dup.workload\n"
               "$S run dup.workload",
               &r);
        if (r.status != 0)
                fail_msg("status %d: %s", r.status, r.err);
        assert_true(count_lines(r.err) <= 3 * 20 + 1);
        assert_non_null(strstr(r.err, "sealrun: 979 more warnings not shown\n"));
        run_result_free(&r);
        run_sh(f->dir, "$S check dup.policy", &r);
        assert_true(count_lines(r.err) <= 3 * 20 + 1);
        assert_non_null(strstr(r.err, "sealrun: 979 more warnings not shown\n"));
        run_result_free(&r);
}

/* Item 16: an exec input without --input-spec gets the workload's default
 * limit of 1 GiB (a sparse file one byte over it is refused at once). */
static void test_exec_input_has_the_default_limit(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir, "truncate -s 1073741825 big && $S exec --input d=big -- /bin/true", &r);
        expect_one_stderr_line(&r, 125, "sealrun: input 'd' (big): is larger than its limit of 1 GiB");
        run_result_free(&r);
        run_sh(f->dir, "truncate -s 1073741825 big && $S exec --input-fd d=3 -- /bin/true 3<big", &r);
        expect_one_stderr_line(&r, 125, "sealrun: input 'd' (fd 3): is larger than its limit of 1 GiB");
        run_result_free(&r);
        run_sh(f->dir, "echo x >small && $S exec --dry-run --input d=small -- /bin/true", &r);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, "1 GiB"));
        run_result_free(&r);
}

static size_t count_errors(const char *err) {
        size_t n = 0;
        for (const char *p = err; (p = strstr(p, ": error: ")); p++)
                n++;
        return n;
}

/* Item 11: a workload include cycle is one error that says "loop", as a
 * policy include cycle is. */
static void test_workload_include_loop_is_one_error(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir,
               "printf 'program /bin/true\n@include b.workload\n' >a.workload\n"
               "printf '@include ./a.workload\n' >b.workload\n"
               "$S run a.workload",
               &r);
        assert_int_equal(r.status, 125);
        assert_int_equal(count_errors(r.err), 1);
        assert_non_null(strstr(r.err, "error: @include loop: a.workload -> b.workload -> a.workload\n"));
        run_result_free(&r);
        run_sh(f->dir,
               "printf 'program /bin/true\n@include self.workload\n' >self.workload; $S check self.workload",
               &r);
        assert_int_equal(r.status, 1);
        assert_int_equal(count_errors(r.err), 1);
        assert_non_null(strstr(r.err, "@include loop: self.workload -> self.workload"));
        run_result_free(&r);
}

/* Item 10: including a device or a FIFO says what it is (and does not
 * block on the FIFO), in a workload and in a policy. */
static void test_include_of_a_device_or_fifo_names_it(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir, "printf 'program /bin/true\n@include /dev/zero\n' >z.workload; $S run z.workload", &r);
        assert_int_equal(r.status, 125);
        assert_non_null(
                strstr(r.err, "cannot read included file '/dev/zero': is a character device, not a file"));
        run_result_free(&r);
        run_sh(f->dir,
               "mkfifo p; printf 'program /bin/true\n@include p\n' >p.workload; $S run p.workload;"
               "echo status $?",
               &r);
        assert_non_null(strstr(r.out, "status 125"));
        assert_non_null(strstr(r.err, "cannot read included file 'p': is a FIFO, not a file"));
        run_result_free(&r);
        run_sh(f->dir,
               "printf 'program /bin/true\n[seccomp]\n@include /dev/zero\n' >s.workload; $S run s.workload; "
               "$S check /dev/null /dev/zero",
               &r);
        assert_non_null(
                strstr(r.err, "cannot read included file '/dev/zero': is a character device, not a file"));
        assert_non_null(
                strstr(r.err, "/dev/zero: error: cannot read policy: is a character device, not a file"));
        run_result_free(&r);
}

/* Item 10: a write-only fd is not "not an open fd". */
static void test_write_only_input_fd_is_named(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir, "$S exec --input-fd d=5 -- /bin/true 5>out", &r);
        expect_one_stderr_line(&r, 125,
                               "sealrun: input 'd' (fd 5): is open for writing only, not for reading");
        run_result_free(&r);
        run_sh(f->dir, "$S exec --input-fd d=5 -- /bin/true", &r);
        expect_one_stderr_line(&r, 125, "sealrun: input 'd' (fd 5): is not an open fd");
        run_result_free(&r);
}

/* Item 10: running out of fds while making the sealed copy is sealrun
 * failing (125), not the program (126). */
static void test_fd_shortage_at_the_sealed_copy_is_125(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir, "echo a >a.txt; ulimit -Sn 5; exec $S exec --sealed --input a=a.txt -- /bin/cat @a",
               &r);
        expect_one_stderr_line(&r, 125, "Too many open files");
        run_result_free(&r);
}

/* As root, SCRIPT where `unshare UNSHARE true` works here; skipped, with
 * the reason, as another user (WHY_ROOT) or where no such namespace can be
 * had (a chroot, whose "/" is no mount point). */
static void run_in_namespace_or_skip(const char *dir, const char *why_root, const char *unshare,
                                     const char *script, struct run_result *r) {
        if (!is_root()) {
                print_message("SKIP: %s needs root\n", why_root);
                skip();
        }
        char *text = NULL;
        if (asprintf(&text, "unshare %s true 2>/dev/null || exit 76\n%s", unshare, script) < 0)
                fail_msg("out of memory");
        run_sh(dir, text, r);
        free(text);
        if (r->status == 76) {
                print_message("SKIP: 'unshare %s' fails here, as in a chroot\n", unshare);
                run_result_free(r);
                skip();
        }
}

/* Item 10: vm.memfd_noexec=2 (set in a pid namespace of our own, which
 * leaves the machine's alone) is named, with what to do. */
static void test_memfd_noexec_2_is_named(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_in_namespace_or_skip(
                f->dir, "vm.memfd_noexec=2 in a new pid namespace", "-p -f --mount-proc",
                "exec unshare -p -f --mount-proc sh -c 'echo 2 >/proc/sys/vm/memfd_noexec || exit 77; "
                "exec $S exec --sealed -- /bin/true'",
                &r);
        if (r.status == 77) {
                print_message("SKIP: vm.memfd_noexec cannot be set in a pid namespace here\n");
                run_result_free(&r);
                skip();
        }
        expect_one_stderr_line(
                &r, 125,
                "sealrun: program '/bin/true': cannot make a sealed copy: vm.memfd_noexec is 2 here");
        run_result_free(&r);
}

/* Item 7: a small hard fd limit refuses only a run that cannot place its
 * fds, before the commit stage and naming the limit. */
static void test_small_hard_fd_limit_needs_room_only_for_what_is_placed(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir,
               "echo a >a.txt; ulimit -n 8; $S exec -- /bin/echo hi; $S exec --input a=a.txt -- /bin/cat @a",
               &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out, "hi\na\n");
        run_result_free(&r);
        run_sh(f->dir,
               "echo a >a.txt; exec 3>s.jsonl; (ulimit -n 6; exec $S exec --sealed --status-fd 3 --input "
               "a=a.txt -- "
               "/bin/cat @a); echo $?; cat s.jsonl",
               &r);
        expect_one_stderr_line(&r, 0, "sealrun: RLIMIT_NOFILE: the hard limit on open files (6) is too low");
        assert_non_null(strstr(r.out, "125\n{\"event\":\"error\",\"stage\":\"plan\""));
        run_result_free(&r);
}

/* Item 13: a sealed copy of a binary that finds its libraries through
 * $ORIGIN is refused before the exec (the loader would fail after it). */
static void test_sealed_binary_with_origin_is_refused(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir,
               "printf 'int main(void) { return 0; }\\n' >o.c\n"
               "cc -o runpath o.c -Wl,-rpath,'$ORIGIN/lib' || exit 77\n"
               "exec $S exec --sealed -- ./runpath",
               &r);
        if (r.status == 76) {
                print_message("SKIP: no pid namespace with a /proc of its own here (unshare --mount-proc "
                              "fails, as in a chroot)\n");
                run_result_free(&r);
                skip();
        }
        if (r.status == 77) {
                print_message("SKIP: no C compiler to build a binary with $ORIGIN in its RUNPATH\n");
                run_result_free(&r);
                skip();
        }
        expect_one_stderr_line(&r, 126,
                               "sealrun: program './runpath': finds its libraries through $ORIGIN "
                               "(DT_RUNPATH '$ORIGIN/lib')");
        run_result_free(&r);
        run_sh(f->dir,
               "cc -o rpath o.c -Wl,--disable-new-dtags,-rpath,'$ORIGIN/../lib' && $S exec --sealed -- "
               "./rpath",
               &r);
        expect_one_stderr_line(&r, 126, "(DT_RPATH '$ORIGIN/../lib')");
        run_result_free(&r);
        run_sh(f->dir,
               "printf 'int f(void) { return 0; }\\n' >l.c; printf 'int f(void); int main(void) { return "
               "f(); }\\n' "
               ">m.c\n"
               "cc -shared -fPIC -Wl,-soname,'$ORIGIN/libl.so' -o libl.so l.c && cc -o needed m.c ./libl.so "
               "&& "
               "$S exec --sealed -- ./needed",
               &r);
        expect_one_stderr_line(&r, 126, "(DT_NEEDED '$ORIGIN/libl.so')");
        run_result_free(&r);
        run_sh(f->dir, "$S exec -- ./runpath && cc -o plain o.c && $S exec --sealed -- ./plain && echo ran",
               &r);
        assert_string_equal(r.out, "ran\n"); /* by path, and without $ORIGIN, it runs */
        run_result_free(&r);
}

/* Item 12: a sealed #! script where /proc is not there is refused before
 * the exec (its interpreter could not open /dev/fd/N after it). */
static void test_sealed_script_without_proc_is_refused(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_in_namespace_or_skip(f->dir, "mounting over /proc in a mount namespace", "-m",
                                 "printf '#!/bin/sh\\necho ran\\n' >s.sh; chmod +x s.sh\n"
                                 /* The sanitizers read their options from /proc: in that
                                  * build, /dev/fd goes missing by an empty /dev instead. */
                                 "m=/proc; grep -q __asan_init \"$S\" && m=/dev\n"
                                 "exec unshare -m sh -c \"mount -t tmpfs none $m && exec $S exec --sealed "
                                 "--status-fd 3 -- ./s.sh 3>s.jsonl\"",
                                 &r);
        expect_one_stderr_line(&r, 125,
                               "sealrun: program './s.sh': is a #! script, which its interpreter reads "
                               "from /dev/fd/N, and that cannot be opened here");
        run_result_free(&r);
        run_sh(f->dir, "cat s.jsonl; $S exec --sealed -- ./s.sh", &r);
        assert_non_null(strstr(r.out, "\"event\":\"error\",\"stage\":\"prepare\""));
        assert_null(strstr(r.out, "\"event\":\"exec\""));
        assert_non_null(strstr(r.out, "ran\n")); /* with /proc it runs */
        run_result_free(&r);
}

/* Item 1: the workload's RLIMIT_FSIZE binds the target, not sealrun's own
 * status line and messages before the exec. */
static void test_fsize_rlimit_takes_effect_at_the_exec(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir,
               "$S exec --rlimit fsize=0 --status-fd 3 -- /bin/sh -c 'echo ok' 3>s.jsonl | cat\n"
               "$S exec --rlimit fsize=10 --status-fd 3 -- /bin/true 3>>s.jsonl\n" CHECK_JSON "s.jsonl",
               &r);
        assert_string_equal(r.out, "ok\nvalid 2\n");
        run_result_free(&r);
        run_sh(f->dir,
               "printf 'x\\n' >g; chmod +x g; $S exec --rlimit fsize=0 --status-fd 3 -- ./g 2>err.log "
               "3>g.jsonl\n"
               "echo $?; cat err.log; " CHECK_JSON "g.jsonl",
               &r);
        assert_non_null(strstr(r.out, "126\nsealrun: program './g': is not an executable format"));
        assert_non_null(strstr(r.out, "valid 1\n"));
        run_result_free(&r);
}

/* Item 2: under the caller's RLIMIT_FSIZE, a copy into a memfd that does
 * not fit is one line and 125 on every path, never death by SIGXFSZ; and
 * no status line is torn. */
static void test_callers_fsize_is_one_line_and_125(void **state) {
        struct tmpdir_fixture *f = *state;
        struct run_result r;
        run_sh(f->dir, "head -c 100000 /dev/zero >big; ulimit -f 20; exec $S exec --input d=big -- /bin/true",
               &r);
        expect_one_stderr_line(&r, 125,
                               "sealrun: input 'd' (big): cannot be copied: it is larger than the "
                               "file-size limit sealrun runs under (RLIMIT_FSIZE, 10 KiB");
        run_result_free(&r);
        run_sh(f->dir, "ulimit -f 20; exec $S exec --sealed -- /bin/true", &r);
        expect_one_stderr_line(&r, 125,
                               "sealrun: program '/bin/true': cannot make a sealed copy: cannot be copied");
        run_result_free(&r);
        run_sh(f->dir,
               "head -c 10230 /dev/zero | tr '\\0' x >s.jsonl; echo >>s.jsonl\n"
               "(ulimit -f 20; $S exec --status-fd 3 --input d=big -- /bin/true 3>>s.jsonl); echo $?; wc -c "
               "<s.jsonl",
               &r);
        assert_string_equal(r.out, "125\n10231\n"); /* the line did not fit: not written, not torn */
        run_result_free(&r);
}

int main(void) {
        if (export_sealrun_path() < 0)
                return 1;
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_duplicate_rule_warnings_are_capped, tmpdir_fixture_setup,
                                                tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_exec_input_has_the_default_limit, tmpdir_fixture_setup,
                                                tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_workload_include_loop_is_one_error, tmpdir_fixture_setup,
                                                tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_include_of_a_device_or_fifo_names_it,
                                                tmpdir_fixture_setup, tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_write_only_input_fd_is_named, tmpdir_fixture_setup,
                                                tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_fd_shortage_at_the_sealed_copy_is_125,
                                                tmpdir_fixture_setup, tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_memfd_noexec_2_is_named, tmpdir_fixture_setup,
                                                tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_small_hard_fd_limit_needs_room_only_for_what_is_placed,
                                                tmpdir_fixture_setup, tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_sealed_binary_with_origin_is_refused,
                                                tmpdir_fixture_setup, tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_sealed_script_without_proc_is_refused,
                                                tmpdir_fixture_setup, tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_fsize_rlimit_takes_effect_at_the_exec,
                                                tmpdir_fixture_setup, tmpdir_fixture_teardown),
                cmocka_unit_test_setup_teardown(test_callers_fsize_is_one_line_and_125, tmpdir_fixture_setup,
                                                tmpdir_fixture_teardown),
        };
        return cmocka_run_group_tests_name("launcher_limits", tests, NULL, NULL);
}
