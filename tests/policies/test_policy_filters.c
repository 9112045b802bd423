/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Each policy in policies/ compiled with `sealrun compile` and loaded by
 * run_with_filter (no launcher): the program does its job under the filter
 * with the expected output, and a forbidden action dies of SIGSYS. */
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

/* The fd run_with_filter places a sealed program at. */
#define SEALED_EXEC_FD "5"

static char *policy_path(struct policy_test *t, const char *name) {
        char *p;
        assert_true(asprintf(&p, "%s/%s.policy", t->policies, name) > 0);
        return p;
}

/* Compiles policies/NAME.policy; false (after printing why) when the test
 * must skip. */
static bool prepare(struct policy_test *t, const char *program, const char *name) {
        if (!need_program(program))
                return false;
        char *policy = policy_path(t, name);
        bool ok = compile_policy(t, policy);
        free(policy);
        return ok;
}

/* busybox.policy has no exec rule: sealrun adds the one it needs for a
 * sealed program.  Add the same rule, for the fd run_with_filter uses. */
static bool prepare_busybox(struct policy_test *t) {
        if (!need_program(BUSYBOX))
                return false;
        char *policy = policy_path(t, "busybox");
        char *text;
        assert_true(asprintf(&text,
                             "@include %s\n"
                             "execveat: arg0 == " SEALED_EXEC_FD " && arg4 == AT_EMPTY_PATH\n",
                             policy) > 0);
        char *with_exec = write_text(t, "busybox-sealed.policy", text);
        bool ok = compile_policy(t, with_exec);
        free(policy);
        free(text);
        free(with_exec);
        return ok;
}

static char *memfd_arg(int fd, const char *path) {
        char *a;
        assert_true(asprintf(&a, "%d=%s", fd, path) > 0);
        return a;
}

/* ---- jq ---------------------------------------------------------------- */

static const char jq_program[] = "[.items[] | select(.price > 2) | {name, total: (.price * .qty)}]"
                                 " | sort_by(.total) | reverse | .[] | \"\\(.name)=\\(.total)\"\n";

static void jq_filter_runs_the_job(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, JQ, "jq"))
                skip();
        char *prog = write_text(t, "prog.jq", jq_program), *data = write_text(t, "data.json", json_items);
        char *m3 = memfd_arg(3, prog), *m4 = memfd_arg(4, data);
        char *argv[] = {t->runner,         "--memfd",         m3,  "--memfd", m4, t->bpf, JQ, "-r", "-f",
                        "/proc/self/fd/3", "/proc/self/fd/4", NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_output(&r, 0, "apple=12\nfig=10\n");
        run_result_free(&r);
        free(prog), free(data), free(m3), free(m4);
}

static void jq_filter_reports_a_jq_error(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, JQ, "jq"))
                skip();
        char *prog = write_text(t, "prog.jq", ".items[0] | error(\"no \\(.name)\")\n");
        char *data = write_text(t, "data.json", json_items);
        char *m3 = memfd_arg(3, prog), *m4 = memfd_arg(4, data);
        char *argv[] = {t->runner,         "--memfd",         m3,  "--memfd", m4, t->bpf, JQ, "-f",
                        "/proc/self/fd/3", "/proc/self/fd/4", NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_output(&r, 5, "");
        assert_non_null(strstr(r.err, "no apple"));
        run_result_free(&r);
        free(prog), free(data), free(m3), free(m4);
}

/* localtime() reads /etc/localtime and seeks back in it. */
static void jq_filter_runs_date_functions(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, JQ, "jq"))
                skip();
        char *prog = write_text(t, "prog.jq",
                                "[(0 | todate), (now | localtime | length), (0 | strftime(\"%Y\"))]\n");
        char *data = write_text(t, "data.json", json_items);
        char *m3 = memfd_arg(3, prog), *m4 = memfd_arg(4, data);
        char *argv[] = {t->runner,         "--memfd",         m3,  "--memfd", m4, t->bpf, JQ, "-c", "-f",
                        "/proc/self/fd/3", "/proc/self/fd/4", NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_output(&r, 0, "[\"1970-01-01T00:00:00Z\",8,\"1970\"]\n");
        run_result_free(&r);
        free(prog), free(data), free(m3), free(m4);
}

/* jq has no way to write a file or open a socket itself; show the filter
 * refuses both to a program started under it. */
static void jq_filter_kills_a_writable_open(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, JQ, "jq"))
                skip();
        char *target = path_in(t, "written");
        char *argv[] = {t->runner, t->bpf, t->probe, "open-write", target, NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_no_file_written(&r, target);
        free(target);
}

static void jq_filter_kills_a_socket(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, JQ, "jq"))
                skip();
        char *argv[] = {t->runner, t->bpf, t->probe, "socket", NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_sigsys(&r);
        run_result_free(&r);
}

/* ---- python3 ----------------------------------------------------------- */

static const char python_script[] = "import sys, json, collections\n"
                                    "with open(sys.argv[1]) as f:\n"
                                    "    data = json.load(f)\n"
                                    "totals = collections.Counter()\n"
                                    "for item in data['items']:\n"
                                    "    totals[item['name']] += item['price'] * item['qty']\n"
                                    "for name, total in sorted(totals.items()):\n"
                                    "    print(f'{name}\\t{total}')\n";

static struct run_result run_python(struct policy_test *t, const char *script) {
        char *s = write_text(t, "script.py", script), *data = write_text(t, "data.json", json_items);
        char *m3 = memfd_arg(3, s), *m4 = memfd_arg(4, data);
        char *argv[] = {
                t->runner,         "--memfd",         m3,  "--memfd", m4, t->bpf, PYTHON3, "-I", "-S", "-B",
                "/proc/self/fd/3", "/proc/self/fd/4", NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        free(s), free(data), free(m3), free(m4);
        return r;
}

static void python3_filter_runs_the_job(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, PYTHON3, "python3"))
                skip();
        struct run_result r = run_python(t, python_script);
        assert_output(&r, 0, "apple\t12\nfig\t10\npear\t10\n");
        run_result_free(&r);
}

static void python3_filter_prints_a_traceback(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, PYTHON3, "python3"))
                skip();
        struct run_result r = run_python(t, "print('before')\nraise ValueError('boom')\n");
        assert_output(&r, 1, "before\n");
        assert_non_null(strstr(r.err, "raise ValueError('boom')"));
        assert_non_null(strstr(r.err, "ValueError: boom"));
        run_result_free(&r);
}

static void python3_filter_kills_a_socket(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, PYTHON3, "python3"))
                skip();
        struct run_result r = run_python(t, python_socket_script); /* socket() itself */
        assert_sigsys(&r);
        assert_string_equal(r.out, "imported\n");
        run_result_free(&r);
}

static void python3_filter_kills_a_writable_open(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, PYTHON3, "python3"))
                skip();
        char *target = path_in(t, "written"), *script;
        assert_true(asprintf(&script, "open('%s', 'w').write('x')\n", target) > 0);
        struct run_result r = run_python(t, script);
        assert_no_file_written(&r, target);
        free(target), free(script);
}

/* ---- sqlite3 ----------------------------------------------------------- */

static struct run_result run_sqlite(struct policy_test *t, const char *sql, const char *cwd) {
        char *db = make_database(t), *s = write_text(t, "query.sql", sql);
        char *m3 = memfd_arg(3, s), *m4 = memfd_arg(4, db);
        char *argv[] = {t->runner,
                        "--memfd",
                        m3,
                        "--memfd",
                        m4,
                        t->bpf,
                        SQLITE3,
                        "-batch",
                        "-bail",
                        "-init",
                        "/dev/null",
                        "-cmd",
                        "PRAGMA temp_store=MEMORY",
                        "-deserialize",
                        "/proc/self/fd/4",
                        ".read /proc/self/fd/3",
                        NULL};
        struct run_result r;
        run_capture(argv, cwd, &r);
        free(db), free(s), free(m3), free(m4);
        return r;
}

static void sqlite3_filter_runs_the_job(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, SQLITE3, "sqlite3"))
                skip();
        char *cwd = path_in(t, "cwd");
        assert_int_equal(mkdir(cwd, 0777), 0);
        struct run_result r = run_sqlite(t,
                                         "SELECT name, price*qty AS total FROM t WHERE price > 2 "
                                         "ORDER BY total DESC;\n"
                                         "UPDATE t SET qty = qty + 1;\n"
                                         "SELECT sum(qty) FROM t;\n",
                                         cwd);
        assert_output(&r, 0, "apple|12\nfig|10\n19\n");
        /* -deserialize never opens the memfd by name: nothing appears in
         * the working directory, and no "/memfd:… (deleted)" anywhere. */
        assert_true(dir_is_empty(cwd));
        assert_true(system("ls -A / | grep -q '^memfd:'") != 0);
        run_result_free(&r);
        free(cwd);
}

static void sqlite3_filter_reports_an_sql_error(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, SQLITE3, "sqlite3"))
                skip();
        struct run_result r = run_sqlite(t, "SELECT 1;\nSELEC x;\nSELECT 2;\n", t->dir);
        assert_output(&r, 1, "1\n");
        assert_non_null(strstr(r.err, "syntax error"));
        run_result_free(&r);
}

static void sqlite3_filter_kills_attach_of_a_file(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, SQLITE3, "sqlite3"))
                skip();
        char *target = path_in(t, "attached.db"), *sql;
        assert_true(asprintf(&sql, SQLITE_ATTACH_FILE_FMT, target) > 0);
        struct run_result r = run_sqlite(t, sql, t->dir);
        assert_no_file_written(&r, target);
        free(target), free(sql);
}

/* ---- gawk -------------------------------------------------------------- */

static struct run_result run_gawk(struct policy_test *t, const char *program) {
        char *p = write_text(t, "prog.awk", program), *data = write_text(t, "data.txt", table_data);
        char *m3 = memfd_arg(3, p), *m4 = memfd_arg(4, data);
        char *argv[] = {t->runner,         "--memfd",         m3,  "--memfd", m4, t->bpf, GAWK, "-f",
                        "/proc/self/fd/3", "/proc/self/fd/4", NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        free(p), free(data), free(m3), free(m4);
        return r;
}

static void gawk_filter_runs_the_job(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, GAWK, "gawk"))
                skip();
        struct run_result r = run_gawk(t, GAWK_TABLE_SUM
                                       "  printf \"rows %d %s\\n\", n, toupper(substr(\"hello\", 1, 3)) }\n");
        assert_output(&r, 0, "apple 12\nfig 10\npear 10\nrows 3 HEL\n");
        run_result_free(&r);
}

static void gawk_filter_kills_system(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, GAWK, "gawk"))
                skip();
        char *target = path_in(t, "written"), *program;
        assert_true(asprintf(&program, GAWK_SYSTEM_TOUCH_FMT, target) > 0);
        struct run_result r = run_gawk(t, program);
        assert_killed_before_writing(&r, target);
        free(target), free(program);
}

static void gawk_filter_kills_print_to_a_file(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, GAWK, "gawk"))
                skip();
        char *target = path_in(t, "written"), *program;
        assert_true(asprintf(&program, "{ print > \"%s\" }\n", target) > 0);
        struct run_result r = run_gawk(t, program);
        assert_no_file_written(&r, target);
        free(target), free(program);
}

/* ---- lua5.4 ------------------------------------------------------------ */

static struct run_result run_lua(struct policy_test *t, const char *script) {
        char *s = write_text(t, "script.lua", script), *data = write_text(t, "data.txt", table_data);
        char *m3 = memfd_arg(3, s), *m4 = memfd_arg(4, data);
        char *argv[] = {t->runner,         "--memfd",         m3,  "--memfd", m4, t->bpf, LUA,
                        "/proc/self/fd/3", "/proc/self/fd/4", NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        free(s), free(data), free(m3), free(m4);
        return r;
}

static void lua_filter_runs_the_job(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, LUA, "lua5.4"))
                skip();
        struct run_result r = run_lua(
                t, LUA_TABLE_SUM "print(string.format('rows=%d total=%d', n, total), os.clock() >= 0)\n");
        assert_output(&r, 0, "rows=3 total=32\ttrue\n");
        run_result_free(&r);
}

static void lua_filter_runs_os_date(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, LUA, "lua5.4"))
                skip();
        struct run_result r = run_lua(t, "print(os.date('!%Y-%m-%d', 0), os.date('%Y', 86400 * 365) ~= nil, "
                                         "io.read('l'))\n");
        assert_output(&r, 0, "1970-01-01\ttrue\tnil\n");
        run_result_free(&r);
}

static void lua_filter_kills_os_execute(void **state) {
        struct policy_test *t = *state;
        if (!prepare(t, LUA, "lua5.4"))
                skip();
        char *target = path_in(t, "written"), *script;
        assert_true(asprintf(&script, LUA_EXECUTE_TOUCH_FMT, target) > 0);
        struct run_result r = run_lua(t, script);
        assert_killed_before_writing(&r, target);
        free(target), free(script);
}

/* ---- busybox (sealed exec) ---------------------------------------------- */

static void busybox_filter_runs_sha256sum_from_a_sealed_copy(void **state) {
        struct policy_test *t = *state;
        if (!need_program(SHA256SUM) || !prepare_busybox(t))
                skip();
        char *data = write_text(t, "data.txt", table_data), *m3 = memfd_arg(3, data);
        char *argv[] = {t->runner, "--memfd", m3,          "--sealed-exec",   SEALED_EXEC_FD,
                        t->bpf,    BUSYBOX,   "sha256sum", "/proc/self/fd/3", NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        char *digest = sha256_of(data), *expected;
        assert_true(asprintf(&expected, "%s  /proc/self/fd/3\n", digest) > 0);
        assert_output(&r, 0, expected);
        run_result_free(&r);
        free(data), free(m3), free(digest), free(expected);
}

static void busybox_filter_runs_wc_from_a_sealed_copy(void **state) {
        struct policy_test *t = *state;
        if (!prepare_busybox(t))
                skip();
        char *data = write_text(t, "data.txt", table_data), *m3 = memfd_arg(3, data);
        char *argv[] = {
                t->runner, "--memfd",         m3,  "--sealed-exec", SEALED_EXEC_FD, t->bpf, BUSYBOX, "wc",
                "-l",      "/proc/self/fd/3", NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_output(&r, 0, "3 /proc/self/fd/3\n");
        run_result_free(&r);
        free(data), free(m3);
}

static void busybox_filter_kills_a_shell_redirect(void **state) {
        struct policy_test *t = *state;
        if (!prepare_busybox(t))
                skip();
        char *target = path_in(t, "written"), *cmd;
        assert_true(asprintf(&cmd, "echo x > %s", target) > 0);
        char *argv[] = {t->runner, "--sealed-exec", SEALED_EXEC_FD, t->bpf, BUSYBOX, "sh", "-c", cmd, NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_no_file_written(&r, target);
        free(target), free(cmd);
}

/* ---- every policy --------------------------------------------------------- */

static const char *const policy_names[] = {"jq", "python3", "sqlite3", "gawk", "lua5.4", "busybox"};

static void every_policy_passes_sealrun_check(void **state) {
        struct policy_test *t = *state;
        if (access(t->sealrun, X_OK) < 0) {
                printf("SKIP: %s is not built\n", t->sealrun);
                skip();
        }
        for (size_t i = 0; i < sizeof(policy_names) / sizeof(policy_names[0]); i++) {
                char *policy = policy_path(t, policy_names[i]);
                char *argv[] = {t->sealrun, "check", policy, NULL};
                struct run_result r;
                run_capture(argv, t->dir, &r);
                if (!exited_with(r.status, 0) || r.err[0])
                        fprintf(stderr, "sealrun check %s:\n%s", policy, r.err);
                assert_true(exited_with(r.status, 0));
                assert_string_equal(r.err, "");
                run_result_free(&r);
                free(policy);
        }
}

#define T(f) cmocka_unit_test_setup_teardown(f, policy_test_setup, policy_test_teardown)

int main(void) {
        const struct CMUnitTest tests[] = {
                T(every_policy_passes_sealrun_check),
                T(jq_filter_runs_the_job),
                T(jq_filter_reports_a_jq_error),
                T(jq_filter_runs_date_functions),
                T(jq_filter_kills_a_writable_open),
                T(jq_filter_kills_a_socket),
                T(python3_filter_runs_the_job),
                T(python3_filter_prints_a_traceback),
                T(python3_filter_kills_a_socket),
                T(python3_filter_kills_a_writable_open),
                T(sqlite3_filter_runs_the_job),
                T(sqlite3_filter_reports_an_sql_error),
                T(sqlite3_filter_kills_attach_of_a_file),
                T(gawk_filter_runs_the_job),
                T(gawk_filter_kills_system),
                T(gawk_filter_kills_print_to_a_file),
                T(lua_filter_runs_the_job),
                T(lua_filter_runs_os_date),
                T(lua_filter_kills_os_execute),
                T(busybox_filter_runs_sha256sum_from_a_sealed_copy),
                T(busybox_filter_runs_wc_from_a_sealed_copy),
                T(busybox_filter_kills_a_shell_redirect),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
