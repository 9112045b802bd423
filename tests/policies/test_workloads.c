/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The six workloads of policies/ end to end: `sealrun run WORKLOAD --input
 * ...` on inputs made here, checking the program's output, and that a
 * forbidden action under the workload's policy is stopped by the filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "policy_test.h"

/* sealrun run WORKLOAD --input NAME1=PATH1 [--input NAME2=PATH2], in CWD
 * (the test's directory when NULL). */
static struct run_result run_workload(struct policy_test *t, const char *workload, const char *name1,
                                      const char *path1, const char *name2, const char *path2,
                                      const char *cwd) {
        char *in1 = input_arg(name1, path1), *in2 = name2 ? input_arg(name2, path2) : NULL;
        char *argv[] = {t->sealrun, "run", (char *) workload, "--input", in1, in2 ? "--input" : NULL,
                        in2,        NULL};
        struct run_result r;
        run_capture(argv, cwd ? cwd : t->dir, &r);
        free(in1), free(in2);
        return r;
}

/* ---- jq ---------------------------------------------------------------- */

static struct run_result run_jq(struct policy_test *t, const char *program) {
        char *workload = installed(t, "jq.workload");
        char *prog = write_text(t, "prog.jq", program), *data = write_text(t, "data.json", json_items);
        struct run_result r = run_workload(t, workload, "filter", prog, "data", data, NULL);
        free(workload), free(prog), free(data);
        return r;
}

static void jq_workload_prints_the_result(void **state) {
        struct policy_test *t = *state;
        if (!need_program(JQ) || !need_sealrun(t))
                skip();
        struct run_result r = run_jq(t, jq_totals_program);
        assert_output(&r, 0, JQ_TOTALS_OUTPUT);
        run_result_free(&r);
}

static void jq_workload_sees_only_its_sealed_inputs(void **state) {
        struct policy_test *t = *state;
        if (!need_program(JQ) || !need_sealrun(t))
                skip();
        struct run_result r = run_jq(t, "[input_filename, ($ENV | length)]\n");
        assert_output(&r, 0, "[\n  \"/proc/self/fd/4\",\n  0\n]\n");
        run_result_free(&r);
}

static void jq_workload_returns_jq_error_status(void **state) {
        struct policy_test *t = *state;
        if (!need_program(JQ) || !need_sealrun(t))
                skip();
        struct run_result r = run_jq(t, ".items[0] | error(\"no \\(.name)\")\n");
        assert_output(&r, 5, "");
        assert_non_null(strstr(r.err, "no apple"));
        run_result_free(&r);
}

/* jq itself cannot write a file: run a program that tries, under jq's
 * policy, through sealrun. */
static void jq_policy_refuses_a_writable_open_through_sealrun(void **state) {
        struct policy_test *t = *state;
        if (!need_sealrun(t))
                skip();
        char *target = path_in(t, "written"), *policy = installed(t, "jq.policy"), *text;
        assert_true(asprintf(&text,
                             "program %s\nexec path\nargv forbidden_probe open-write %s\n"
                             "rlimit nofile 32\nseccomp default kill-process\nseccomp include %s\n",
                             t->probe, target, policy) > 0);
        char *workload = write_text(t, "probe.workload", text);
        char *argv[] = {t->sealrun, "run", workload, NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_no_file_written(&r, target);
        free(target), free(policy), free(text), free(workload);
}

/* ---- python3 ----------------------------------------------------------- */

static struct run_result run_python(struct policy_test *t, const char *script) {
        char *workload = installed(t, "python3.workload");
        char *s = write_text(t, "script.py", script), *data = write_text(t, "data.json", json_items);
        struct run_result r = run_workload(t, workload, "script", s, "data", data, NULL);
        free(workload), free(s), free(data);
        return r;
}

static void python3_workload_prints_the_result(void **state) {
        struct policy_test *t = *state;
        if (!need_program(PYTHON3) || !need_sealrun(t))
                skip();
        struct run_result r = run_python(t, python_totals_script);
        assert_output(&r, 0, PYTHON_TOTALS_OUTPUT);
        run_result_free(&r);
}

static void python3_workload_kills_a_socket(void **state) {
        struct policy_test *t = *state;
        if (!need_program(PYTHON3) || !need_sealrun(t))
                skip();
        struct run_result r = run_python(t, python_socket_script);
        assert_sigsys(&r);
        assert_string_equal(r.out, "imported\n");
        run_result_free(&r);
}

static void python3_workload_cannot_write_its_input(void **state) {
        struct policy_test *t = *state;
        if (!need_program(PYTHON3) || !need_sealrun(t))
                skip();
        /* The data fd is a sealed memfd: writing through it fails with
         * EPERM (the filter allows write(), the seals refuse it). */
        struct run_result r = run_python(t, "import os\n"
                                            "try:\n"
                                            "    os.write(4, b'x')\n"
                                            "except OSError as e:\n"
                                            "    print(e.errno)\n");
        assert_output(&r, 0, "1\n");
        run_result_free(&r);
}

/* ---- sqlite3 ----------------------------------------------------------- */

static struct run_result run_sqlite(struct policy_test *t, const char *sql, const char *cwd) {
        char *workload = installed(t, "sqlite3.workload");
        char *db = make_database(t), *s = write_text(t, "query.sql", sql);
        struct run_result r = run_workload(t, workload, "sql", s, "database", db, cwd);
        free(workload), free(db), free(s);
        return r;
}

static bool root_has_memfd_entry(void) {
        char *argv[] = {"/usr/bin/find", "/", "-maxdepth", "1", "-name", "memfd:*", NULL};
        struct run_result r;
        run_capture(argv, NULL, &r);
        bool found = r.out[0] != 0;
        run_result_free(&r);
        return found;
}

static void sqlite3_workload_prints_the_result(void **state) {
        struct policy_test *t = *state;
        if (!need_program(SQLITE3) || !need_sealrun(t))
                skip();
        char *cwd = path_in(t, "cwd");
        assert_int_equal(mkdir(cwd, 0777), 0);
        bool memfd_in_root_before = root_has_memfd_entry();
        struct run_result r = run_sqlite(t, sqlite_totals_sql, cwd);
        assert_output(&r, 0, SQLITE_TOTALS_OUTPUT);
        /* No stray "/memfd:… (deleted)" file, neither where it ran nor in /. */
        assert_true(dir_is_empty(cwd));
        if (!memfd_in_root_before)
                assert_false(root_has_memfd_entry());
        run_result_free(&r);
        free(cwd);
}

static void sqlite3_workload_stops_at_an_sql_error(void **state) {
        struct policy_test *t = *state;
        if (!need_program(SQLITE3) || !need_sealrun(t))
                skip();
        struct run_result r = run_sqlite(t, "SELECT 1;\nSELEC x;\nSELECT 2;\n", NULL);
        assert_output(&r, 1, "1\n");
        assert_non_null(strstr(r.err, "syntax error"));
        run_result_free(&r);
}

static void sqlite3_workload_kills_attach_of_a_file(void **state) {
        struct policy_test *t = *state;
        if (!need_program(SQLITE3) || !need_sealrun(t))
                skip();
        char *target = path_in(t, "attached.db"), *sql;
        assert_true(asprintf(&sql, SQLITE_ATTACH_FILE_FMT, target) > 0);
        struct run_result r = run_sqlite(t, sql, NULL);
        assert_no_file_written(&r, target);
        free(target), free(sql);
}

/* ---- gawk -------------------------------------------------------------- */

/* The installed workload NAME with its script (input SCRIPT_INPUT, from
 * file FILE) and table_data as input "data". */
static struct run_result run_on_table(struct policy_test *t, const char *name, const char *script_input,
                                      const char *file, const char *script) {
        char *workload = installed(t, name);
        char *s = write_text(t, file, script), *data = write_text(t, "data.txt", table_data);
        struct run_result r = run_workload(t, workload, script_input, s, "data", data, NULL);
        free(workload), free(s), free(data);
        return r;
}

static struct run_result run_gawk(struct policy_test *t, const char *program) {
        return run_on_table(t, "gawk.workload", "program", "prog.awk", program);
}

static void gawk_workload_prints_the_result(void **state) {
        struct policy_test *t = *state;
        if (!need_program(GAWK) || !need_sealrun(t))
                skip();
        struct run_result r = run_gawk(t, GAWK_TOTALS_PROGRAM);
        assert_output(&r, 0, GAWK_TOTALS_OUTPUT);
        run_result_free(&r);
}

static void gawk_workload_kills_system(void **state) {
        struct policy_test *t = *state;
        if (!need_program(GAWK) || !need_sealrun(t))
                skip();
        char *target = path_in(t, "written"), *program;
        assert_true(asprintf(&program, GAWK_SYSTEM_TOUCH_FMT, target) > 0);
        struct run_result r = run_gawk(t, program);
        assert_killed_before_writing(&r, target);
        free(target), free(program);
}

/* ---- lua5.4 ------------------------------------------------------------ */

static struct run_result run_lua(struct policy_test *t, const char *script) {
        return run_on_table(t, "lua5.4.workload", "script", "script.lua", script);
}

static void lua_workload_prints_the_result(void **state) {
        struct policy_test *t = *state;
        if (!need_program(LUA) || !need_sealrun(t))
                skip();
        struct run_result r = run_lua(t, LUA_TOTALS_SCRIPT);
        assert_output(&r, 0, LUA_TOTALS_OUTPUT);
        run_result_free(&r);
}

static void lua_workload_kills_os_execute(void **state) {
        struct policy_test *t = *state;
        if (!need_program(LUA) || !need_sealrun(t))
                skip();
        char *target = path_in(t, "written"), *script;
        assert_true(asprintf(&script, LUA_EXECUTE_TOUCH_FMT, target) > 0);
        struct run_result r = run_lua(t, script);
        assert_killed_before_writing(&r, target);
        free(target), free(script);
}

/* ---- busybox (sealed exec, pinned) ------------------------------------- */

/* A workload of the test's own: the installed busybox.workload, pinned. */
static char *pinned_busybox_workload(struct policy_test *t, const char *digest) {
        char *base = installed(t, "busybox.workload"), *text;
        assert_true(asprintf(&text, "@include %s\nexec sealed sha256=%s\n", base, digest) > 0);
        char *w = write_text(t, "pinned.workload", text);
        free(base), free(text);
        return w;
}

static void busybox_workload_runs_the_pinned_binary(void **state) {
        struct policy_test *t = *state;
        if (!need_program(BUSYBOX) || !need_program(SHA256SUM) || !need_sealrun(t))
                skip();
        char *pin = sha256_of(BUSYBOX), *workload = pinned_busybox_workload(t, pin);
        char *data = write_text(t, "data.txt", table_data), *digest = sha256_of(data), *expected;
        struct run_result r = run_workload(t, workload, "data", data, NULL, NULL, NULL);
        assert_true(asprintf(&expected, "%s  /proc/self/fd/3\n", digest) > 0);
        assert_output(&r, 0, expected);
        run_result_free(&r);
        free(pin), free(workload), free(data), free(digest), free(expected);
}

static void busybox_workload_refuses_a_wrong_pin(void **state) {
        struct policy_test *t = *state;
        if (!need_program(BUSYBOX) || !need_program(SHA256SUM) || !need_sealrun(t))
                skip();
        /* The real digest with its first hex digit changed. */
        char *pin = sha256_of(BUSYBOX), *actual = strdup(pin);
        pin[0] = pin[0] == '0' ? '1' : '0';
        char *workload = pinned_busybox_workload(t, pin), *data = write_text(t, "data.txt", table_data);
        struct run_result r = run_workload(t, workload, "data", data, NULL, NULL, NULL);
        assert_output(&r, 125, "");
        assert_non_null(strstr(r.err, pin));
        assert_non_null(strstr(r.err, actual));
        run_result_free(&r);
        free(pin), free(actual), free(workload), free(data);
}

/* Output to a character device (/dev/null, a terminal) makes busybox ask
 * isatty() through ioctl(TCGETS): the policy must allow that query. */
static void busybox_workload_writes_to_a_character_device(void **state) {
        struct policy_test *t = *state;
        if (!need_program(BUSYBOX) || !need_sealrun(t))
                skip();
        char *workload = installed(t, "busybox.workload"), *data = write_text(t, "data.txt", table_data);
        char *in = input_arg("data", data);
        char *argv[] = {"/bin/sh",  "-c",     "exec \"$0\" run \"$1\" --input \"$2\" >/dev/null",
                        t->sealrun, workload, in,
                        NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_output(&r, 0, "");
        run_result_free(&r);
        free(workload), free(data), free(in);
}

static void busybox_policy_kills_a_shell_redirect(void **state) {
        struct policy_test *t = *state;
        if (!need_program(BUSYBOX) || !need_sealrun(t))
                skip();
        char *target = path_in(t, "written"), *policy = installed(t, "busybox.policy"), *text;
        assert_true(asprintf(&text,
                             "program %s\nexec sealed\nargv busybox sh -c \"echo x > %s\"\n"
                             "rlimit nofile 32\nseccomp default kill-process\nseccomp include %s\n",
                             BUSYBOX, target, policy) > 0);
        char *workload = write_text(t, "sh.workload", text);
        char *argv[] = {t->sealrun, "run", workload, NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_no_file_written(&r, target);
        free(target), free(policy), free(text), free(workload);
}

/* ---- every workload --------------------------------------------------------- */

static const char *const workload_files[] = {"jq.workload",   "python3.workload", "sqlite3.workload",
                                             "gawk.workload", "lua5.4.workload",  "busybox.workload"};

/* Valid, and without a warning (such as exec by path under a policy that
 * does not allow execve). */
static void every_workload_passes_sealrun_check(void **state) {
        struct policy_test *t = *state;
        if (!need_sealrun(t))
                skip();
        for (size_t i = 0; i < sizeof(workload_files) / sizeof(workload_files[0]); i++) {
                char *workload = installed(t, workload_files[i]);
                char *argv[] = {t->sealrun, "check", workload, NULL};
                struct run_result r;
                run_capture(argv, t->dir, &r);
                if (!exited_with(r.status, 0) || r.err[0])
                        fprintf(stderr, "sealrun check %s:\n%s", workload, r.err);
                assert_true(exited_with(r.status, 0));
                assert_string_equal(r.err, "");
                run_result_free(&r);
                free(workload);
        }
}

/* The plan of each workload: default kill-process, no capability, no
 * environment, its seccomp policy found next to it. */
static void every_workload_plans_kill_process_without_capabilities(void **state) {
        struct policy_test *t = *state;
        if (!need_sealrun(t))
                skip();
        static const struct {
                const char *workload, *inputs[2];
        } workloads[] = {
                {"jq", {"filter", "data"}},       {"python3", {"script", "data"}},
                {"sqlite3", {"sql", "database"}}, {"gawk", {"program", "data"}},
                {"lua5.4", {"script", "data"}},   {"busybox", {"data", NULL}},
        };
        char *file = write_text(t, "input", "x\n");
        for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
                char *name, *in1 = input_arg(workloads[i].inputs[0], file), *in2 = NULL;
                assert_true(asprintf(&name, "%s.workload", workloads[i].workload) > 0);
                char *workload = installed(t, name);
                if (workloads[i].inputs[1])
                        in2 = input_arg(workloads[i].inputs[1], file);
                char *argv[] = {
                        t->sealrun, "run", "--dry-run", workload, "--input", in1, in2 ? "--input" : NULL,
                        in2,        NULL};
                struct run_result r;
                run_capture(argv, t->dir, &r);
                if (!exited_with(r.status, 0))
                        fprintf(stderr, "%s:\n%s", workload, r.err);
                assert_true(exited_with(r.status, 0));
                assert_non_null(strstr(r.out, "default kill-process"));
                assert_non_null(strstr(r.out, "capabilities: none"));
                /* an empty env: list, the cwd: line right after it */
                assert_non_null(strstr(r.out, "\nenv:\ncwd:"));
                run_result_free(&r);
                free(name), free(in1), free(in2), free(workload);
        }
        free(file);
}

#define T(f) cmocka_unit_test_setup_teardown(f, policy_test_setup, policy_test_teardown)

int main(void) {
        const struct CMUnitTest tests[] = {
                T(every_workload_passes_sealrun_check),
                T(every_workload_plans_kill_process_without_capabilities),
                T(jq_workload_prints_the_result),
                T(jq_workload_sees_only_its_sealed_inputs),
                T(jq_workload_returns_jq_error_status),
                T(jq_policy_refuses_a_writable_open_through_sealrun),
                T(python3_workload_prints_the_result),
                T(python3_workload_kills_a_socket),
                T(python3_workload_cannot_write_its_input),
                T(sqlite3_workload_prints_the_result),
                T(sqlite3_workload_stops_at_an_sql_error),
                T(sqlite3_workload_kills_attach_of_a_file),
                T(gawk_workload_prints_the_result),
                T(gawk_workload_kills_system),
                T(lua_workload_prints_the_result),
                T(lua_workload_kills_os_execute),
                T(busybox_workload_runs_the_pinned_binary),
                T(busybox_workload_refuses_a_wrong_pin),
                T(busybox_workload_writes_to_a_character_device),
                T(busybox_policy_kills_a_shell_redirect),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
