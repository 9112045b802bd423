/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun learn: each shipped policy covers its workload's job (`learn
 * --check`, which names the exact lines a new Debian package would need),
 * a policy missing one needed rule is caught, and learn's refusals. The
 * policies learned for programs not shipped (gzip, xmllint) are in
 * test_learn_programs.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "learn_test.h"
#include "learn_cases.h"

/* sealrun learn --check policies/NAME.policy policies/NAME.workload
 * --input IN1=PATH1 [--input IN2=PATH2]: covered, and the job's output and
 * exit status CODE (learn itself exits 0 whatever the target's status, and
 * names it when not 0). */
static void check_shipped(struct policy_test *t, const char *name, const char *in1, const char *path1,
                          const char *in2, const char *path2, int code, const char *expected) {
        char *policy, *workload;
        assert_true(asprintf(&policy, "%s/%s.policy", t->policies, name) > 0);
        assert_true(asprintf(&workload, "%s/%s.workload", t->policies, name) > 0);
        char *a1 = input_arg(in1, path1), *a2 = in2 ? input_arg(in2, path2) : NULL;
        struct run_result r;
        run_sealrun(t, &r, "learn", "--check", policy, workload, "--input", a1, a2 ? "--input" : NULL, a2,
                    NULL);
        assert_learn_covers(&r, policy);
        assert_string_equal(r.out, expected);
        char *said;
        assert_true(asprintf(&said, " exited with status %d\n", code) > 0);
        assert_true(code == 0 ? strstr(r.err, said) == NULL : strstr(r.err, said) != NULL);
        run_result_free(&r);
        free(policy), free(workload), free(a1), free(a2), free(said);
}

static void jq_policy_covers_its_job(void **state) {
        struct policy_test *t = *state;
        if (!need_program(JQ) || !need_learn(t))
                skip();
        char *prog = write_text(t, "prog.jq", jq_totals_program),
             *data = write_text(t, "data.json", json_items);
        check_shipped(t, "jq", "filter", prog, "data", data, 0, JQ_TOTALS_OUTPUT);
        free(prog), free(data);
}

/* error() exits 5: learn exits 0 all the same (the policy covers it). */
static void jq_policy_covers_an_error(void **state) {
        struct policy_test *t = *state;
        if (!need_program(JQ) || !need_learn(t))
                skip();
        char *prog = write_text(t, "prog.jq", ".items[0] | error(\"no \\(.name)\")\n");
        char *data = write_text(t, "data.json", json_items), *policy = installed(t, "jq.policy");
        char *workload = installed(t, "jq.workload"), *a1 = input_arg("filter", prog),
             *a2 = input_arg("data", data);
        struct run_result r;
        run_sealrun(t, &r, "learn", "--check", policy, workload, "--input", a1, "--input", a2, NULL);
        assert_learn_covers(&r, policy);
        assert_non_null(strstr(r.err, "no apple"));
        assert_non_null(strstr(r.err, "exited with status 5"));
        run_result_free(&r);
        free(prog), free(data), free(policy), free(workload), free(a1), free(a2);
}

static void python3_policy_covers_its_job(void **state) {
        struct policy_test *t = *state;
        if (!need_program(PYTHON3) || !need_learn(t))
                skip();
        char *s = write_text(t, "script.py", python_totals_script),
             *data = write_text(t, "data.json", json_items);
        check_shipped(t, "python3", "script", s, "data", data, 0, PYTHON_TOTALS_OUTPUT);
        free(s), free(data);
}

static void sqlite3_policy_covers_its_job(void **state) {
        struct policy_test *t = *state;
        if (!need_program(SQLITE3) || !need_learn(t))
                skip();
        char *db = make_database(t), *s = write_text(t, "query.sql", sqlite_totals_sql);
        check_shipped(t, "sqlite3", "sql", s, "database", db, 0, SQLITE_TOTALS_OUTPUT);
        free(db), free(s);
}

static void sqlite3_policy_covers_an_sql_error(void **state) {
        struct policy_test *t = *state;
        if (!need_program(SQLITE3) || !need_learn(t))
                skip();
        char *db = make_database(t), *s = write_text(t, "query.sql", "SELECT 1;\nSELEC x;\nSELECT 2;\n");
        check_shipped(t, "sqlite3", "sql", s, "database", db, 1, "1\n");
        free(db), free(s);
}

static void gawk_policy_covers_its_job(void **state) {
        struct policy_test *t = *state;
        if (!need_program(GAWK) || !need_learn(t))
                skip();
        char *p = write_text(t, "prog.awk", GAWK_TOTALS_PROGRAM),
             *data = write_text(t, "data.txt", table_data);
        check_shipped(t, "gawk", "program", p, "data", data, 0, GAWK_TOTALS_OUTPUT);
        free(p), free(data);
}

static void lua_policy_covers_its_job(void **state) {
        struct policy_test *t = *state;
        if (!need_program(LUA) || !need_learn(t))
                skip();
        char *s = write_text(t, "script.lua", LUA_TOTALS_SCRIPT),
             *data = write_text(t, "data.txt", table_data);
        check_shipped(t, "lua5.4", "script", s, "data", data, 0, LUA_TOTALS_OUTPUT);
        free(s), free(data);
}

static void busybox_policy_covers_its_job(void **state) {
        struct policy_test *t = *state;
        if (!need_program(BUSYBOX) || !need_program(SHA256SUM) || !need_learn(t))
                skip();
        char *data = write_text(t, "data.txt", table_data), *digest = sha256_of(data), *expected;
        assert_true(asprintf(&expected, "%s  /proc/self/fd/3\n", digest) > 0);
        check_shipped(t, "busybox", "data", data, NULL, NULL, 0, expected);
        free(data), free(digest), free(expected);
}

/* A sealed exec is allowed by sealrun's own filter prefix: learning the
 * busybox workload from scratch gives no exec rule at all. */
static void a_sealed_exec_learns_no_exec_rule(void **state) {
        struct policy_test *t = *state;
        if (!need_program(BUSYBOX) || !need_learn(t))
                skip();
        char *data = write_text(t, "data.txt", table_data), *in = input_arg("data", data);
        char *workload = installed(t, "busybox.workload"), *policy = path_in(t, "busybox.learned");
        struct run_result r;
        run_sealrun(t, &r, "learn", "-o", policy, workload, "--input", in, NULL);
        assert_learned(&r, policy);
        char *text = read_text(policy);
        assert_true(has_statement(text, "read"));
        assert_false(has_statement(text, "execve"));
        assert_false(has_statement(text, "execveat"));
        run_result_free(&r);
        free(data), free(in), free(workload), free(policy), free(text);
}

/* Every program calls brk (the loader, then malloc): a copy of jq.policy
 * without it does not cover the run, and learn names the line to add. */
static void a_policy_without_brk_gets_the_line_to_add(void **state) {
        struct policy_test *t = *state;
        if (!need_program(JQ) || !need_learn(t))
                skip();
        char *shipped = installed(t, "jq.policy"), *text = read_text(shipped);
        assert_non_null(text);
        char *less = without_line(text, "brk: 1\n");
        char *policy = write_text(t, "jq-without-brk.policy", less), *status = path_in(t, "status.jsonl");
        char *prog = write_text(t, "prog.jq", jq_totals_program),
             *data = write_text(t, "data.json", json_items);
        char *workload = installed(t, "jq.workload"), *a1 = input_arg("filter", prog),
             *a2 = input_arg("data", data);
        struct run_result r;
        run_sealrun_status(t, &r, status, "learn", "--status-fd", "3", "--check", policy, workload, "--input",
                           a1, "--input", a2, NULL);
        char buf[32];
        if (!exited_with(r.status, 1))
                fail_msg("expected exit 1, got %s; stderr:\n%s", describe_status(r.status, buf), r.err);
        assert_string_equal(r.out, JQ_TOTALS_OUTPUT);
        assert_non_null(strstr(r.err, "does not cover this run; the lines to add:\n"));
        assert_non_null(strstr(r.err, "\nbrk: 1  # run 1: "));
        /* Nothing but brk is missing, and nothing was written. */
        assert_int_equal(count_statements(strstr(r.err, "the lines to add:\n") + 18), 1);
        char *after = read_text(policy), *events = read_text(status);
        assert_string_equal(after, less);
        assert_non_null(events);
        assert_non_null(strstr(events, "\"event\":\"learned\""));
        /* sealrun(1), STATUS FD: the result, and with --check the count of
         * the syscalls the policy did not allow. */
        assert_non_null(strstr(events, "\"result\":\"missing\",\"syscalls\":1,"));
        run_result_free(&r);
        free(shipped), free(text), free(less), free(policy), free(status), free(prog), free(data);
        free(workload), free(a1), free(a2), free(after), free(events);
}

#define T LEARN_TEST

int main(void) {
        static const struct CMUnitTest shipped[] = {
                T(jq_policy_covers_its_job),           T(jq_policy_covers_an_error),
                T(python3_policy_covers_its_job),      T(sqlite3_policy_covers_its_job),
                T(sqlite3_policy_covers_an_sql_error), T(gawk_policy_covers_its_job),
                T(lua_policy_covers_its_job),          T(busybox_policy_covers_its_job),
                T(a_sealed_exec_learns_no_exec_rule),  T(a_policy_without_brk_gets_the_line_to_add),
        };
        size_t n_shipped = sizeof(shipped) / sizeof(shipped[0]);
        struct CMUnitTest all[64];
        if (n_shipped + n_learn_program_tests + n_learn_option_tests > 64)
                return 1;
        memcpy(all, shipped, sizeof(shipped));
        memcpy(all + n_shipped, learn_program_tests, n_learn_program_tests * sizeof(all[0]));
        memcpy(all + n_shipped + n_learn_program_tests, learn_option_tests,
               n_learn_option_tests * sizeof(all[0]));
        return _cmocka_run_group_tests("test_learn", all,
                                       n_shipped + n_learn_program_tests + n_learn_option_tests, NULL, NULL);
}
