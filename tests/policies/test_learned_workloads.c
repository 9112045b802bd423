/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The six shipped workloads under policies `sealrun learn` wrote, in place
 * of their shipped ones: a policy learned on one set of inputs (A: the job
 * test_workloads runs) runs a different input of the same job (B: other,
 * larger data, another program doing the same kind of work) under
 * `seccomp default kill-process`, and a forbidden action (a socket, a
 * writable open, a fork, and each workload's own forbidden input from
 * test_workloads) still kills. */
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
#include "learned_workload.h"

/* ---- input set B's data: N_ORDERS orders, as JSON, CSV and a database ---- */

#define N_ORDERS 20000
#define N_CITIES 5
static const char *const cities[N_CITIES] = {"bern", "kyiv", "lima", "oslo", "rome"};
#define ORDER_CITY(i) ((i) % N_CITIES)
#define ORDER_MONTH(i) ((i) % 12 + 1)
#define ORDER_AMOUNT(i) ((i) % 9)

static void totals(long by_city[N_CITIES], long by_month[13], long *at_least_5) {
        memset(by_city, 0, N_CITIES * sizeof(long));
        memset(by_month, 0, 13 * sizeof(long));
        *at_least_5 = 0;
        for (int i = 0; i < N_ORDERS; i++) {
                by_city[ORDER_CITY(i)] += ORDER_AMOUNT(i);
                by_month[ORDER_MONTH(i)] += ORDER_AMOUNT(i);
                *at_least_5 += ORDER_AMOUNT(i) >= 5;
        }
}

/* DIR/orders.json (CSV false) or DIR/orders.csv (CSV true). */
static char *orders_file(struct policy_test *t, bool csv) {
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        assert_non_null(f);
        fputs(csv ? "" : "[", f);
        for (int i = 0; i < N_ORDERS; i++)
                if (csv)
                        fprintf(f, "2026-%02d-01,%s,%d\n", ORDER_MONTH(i), cities[ORDER_CITY(i)],
                                ORDER_AMOUNT(i));
                else
                        fprintf(f, "%s{\"city\":\"%s\",\"month\":%d,\"amount\":%d}", i ? "," : "",
                                cities[ORDER_CITY(i)], ORDER_MONTH(i), ORDER_AMOUNT(i));
        fputs(csv ? "" : "]\n", f);
        fclose(f);
        char *path = write_input(t, csv ? "orders.csv" : "orders.json", text, size);
        free(text);
        return path;
}

/* DIR/orders.db, made by sqlite3 itself outside any filter. */
static char *orders_database(struct policy_test *t) {
        char *db = path_in(t, "orders.db"), *sql;
        assert_true(asprintf(&sql,
                             "CREATE TABLE orders(id INTEGER PRIMARY KEY, city TEXT, amount INT);"
                             "WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < %d)"
                             " INSERT INTO orders(city, amount) SELECT"
                             " CASE i %% 5 WHEN 0 THEN 'bern' WHEN 1 THEN 'kyiv' WHEN 2 THEN 'lima'"
                             " WHEN 3 THEN 'oslo' ELSE 'rome' END, i %% 9 FROM r;",
                             N_ORDERS - 1) > 0);
        char *argv[] = {SQLITE3, db, sql, NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_true(exited_with(r.status, 0));
        run_result_free(&r);
        free(sql);
        return db;
}

/* "bern SEP TOTAL END" for each city, in the cities' order, after PREFIX. */
static char *by_city_text(const char *prefix, const char *sep, const char *end, const char *last) {
        long by_city[N_CITIES], by_month[13], at_least_5;
        totals(by_city, by_month, &at_least_5);
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        assert_non_null(f);
        fputs(prefix, f);
        for (int c = 0; c < N_CITIES; c++)
                fprintf(f, "%s%s%ld%s", cities[c], sep, by_city[c], c == N_CITIES - 1 ? last : end);
        fclose(f);
        return text;
}

/* ---- running a learned workload ---------------------------------------- */

/* Learns NAME's policy on A1, which must print A1_OUT (and, when A2 is not
 * NULL, merges what A2 adds), and returns DIR/NAME.workload using it. */
static char *learn_workload(struct policy_test *t, const char *name, const struct inputs *a1,
                            const char *a1_out, const struct inputs *a2) {
        free(learn(t, name, false, a1, a1_out));
        if (a2)
                free(learn(t, name, true, a2, NULL));
        return learned_workload(t, name);
}

static void assert_runs(struct policy_test *t, const char *workload, const struct inputs *b,
                        const char *expected) {
        struct run_result r = run_learned(t, workload, b, false);
        if (killed_by_sigsys(r.status)) {
                /* a call the learning runs never made: name it */
                struct run_result explained = run_learned(t, workload, b, true);
                fprintf(stderr, "the learned policy killed it; --explain says:\n%s", explained.err);
                run_result_free(&explained);
        }
        assert_output(&r, 0, expected);
        run_result_free(&r);
}

static char *policy_of(struct policy_test *t, const char *name) {
        char *p;
        assert_true(asprintf(&p, "%s/%s.learned.policy", t->dir, name) > 0);
        return p;
}

/* Killed at its system() or os.execute(): at its first step (blocking
 * SIGCHLD, setting signals aside) or at its fork, either way before any
 * child exists. */
static void assert_killed_before_a_child(const struct run_result *r) {
        static const char *const calls[] = {"rt_sigprocmask", "rt_sigaction", "clone", "clone3", "vfork"};
        char *call = killing_call(r);
        bool known = false;
        for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
                known |= !strcmp(call, calls[i]);
        if (!known)
                fail_msg("killed at %s, not at a call of system()'s start or its fork:\n%s", call, r->err);
        free(call);
}

/* ---- jq ---------------------------------------------------------------- */

/* A2: A1's program on 200 items.  A1 alone sorts 2 items, and glibc's qsort
 * asks for the machine's memory (sysinfo) only for arrays over 1 KiB: the
 * policy learned on A1 alone killed jq at sysinfo on B's group_by of
 * N_ORDERS orders. */
static char *jq_learned(struct policy_test *t) {
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        assert_non_null(f);
        fputs("{\"items\":[", f);
        for (int i = 0; i < 200; i++)
                fprintf(f, "%s{\"name\":\"n%d\",\"price\":%d,\"qty\":%d}", i ? "," : "", i, i % 7, i % 4);
        fputs("]}\n", f);
        fclose(f);
        char *prog = write_text(t, "a.jq", jq_totals_program),
             *a1_data = write_text(t, "a1.json", json_items);
        char *a2_data = write_input(t, "a2.json", text, size);
        struct inputs a1 = {{"filter", "data"}, {prog, a1_data}}, a2 = {{"filter", "data"}, {prog, a2_data}};
        char *workload = learn_workload(t, "jq", &a1, JQ_TOTALS_OUTPUT, &a2);
        free(text), free(prog), free(a1_data), free(a2_data);
        return workload;
}

static void jq_learned_policy_runs_another_job(void **state) {
        struct policy_test *t = *state;
        if (!need_program(JQ) || !need_learn(t))
                skip();
        char *workload = jq_learned(t), *data = orders_file(t, false);
        char *prog = write_text(t, "b.jq",
                                "group_by(.city) | map(\"\\(.[0].city)=\\(map(.amount) | add)\")"
                                " | join(\" \")\n");
        char *expected = by_city_text("\"", "=", " ", "\"\n");
        struct inputs b = {{"filter", "data"}, {prog, data}};
        assert_runs(t, workload, &b, expected);
        free(workload), free(data), free(prog), free(expected);
}

/* jq itself cannot open a file for writing, make a socket or fork: the
 * probe does each under jq's learned policy. */
static void jq_learned_policy_kills_a_socket_a_writable_open_and_a_fork(void **state) {
        struct policy_test *t = *state;
        if (!need_program(JQ) || !need_learn(t))
                skip();
        char *workload = jq_learned(t), *policy = policy_of(t, "jq");
        assert_policy_is_narrow(policy);
        assert_probes_killed(t, policy, "path");
        free(workload), free(policy);
}

/* ---- python3 ----------------------------------------------------------- */

static char *python3_learned(struct policy_test *t) {
        char *script = write_text(t, "a.py", python_totals_script);
        char *data = write_text(t, "a.json", json_items);
        struct inputs a = {{"script", "data"}, {script, data}};
        char *workload = learn_workload(t, "python3", &a, PYTHON_TOTALS_OUTPUT, NULL);
        free(script), free(data);
        return workload;
}

static void python3_learned_policy_runs_another_job(void **state) {
        struct policy_test *t = *state;
        if (!need_program(PYTHON3) || !need_learn(t))
                skip();
        char *workload = python3_learned(t), *data = orders_file(t, false);
        char *script = write_text(t, "b.py",
                                  "import sys, json\n"
                                  "from collections import defaultdict\n"
                                  "months = defaultdict(int)\n"
                                  "with open(sys.argv[1]) as f:\n"
                                  "    for order in json.load(f):\n"
                                  "        months[order['month']] += order['amount']\n"
                                  "print(' '.join(f'{m:02d}:{months[m]}' for m in sorted(months)))\n");
        long by_city[N_CITIES], by_month[13], at_least_5;
        totals(by_city, by_month, &at_least_5);
        char expected[256] = "";
        for (int m = 1; m <= 12; m++)
                snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected), "%02d:%ld%s", m,
                         by_month[m], m == 12 ? "\n" : " ");
        struct inputs b = {{"script", "data"}, {script, data}};
        assert_runs(t, workload, &b, expected);
        free(workload), free(data), free(script);
}

static void python3_learned_policy_kills_a_socket(void **state) {
        struct policy_test *t = *state;
        if (!need_program(PYTHON3) || !need_learn(t))
                skip();
        char *workload = python3_learned(t), *policy = policy_of(t, "python3");
        char *script = write_text(t, "socket.py", python_socket_script), *data = write_text(t, "d", "{}");
        struct inputs in = {{"script", "data"}, {script, data}};
        struct run_result r = run_learned(t, workload, &in, false);
        assert_sigsys(&r);
        assert_string_equal(r.out, "imported\n");
        run_result_free(&r);
        r = run_learned(t, workload, &in, true);
        assert_killed_at(&r, "socket", "AF_INET, SOCK_STREAM");
        run_result_free(&r);
        assert_policy_is_narrow(policy);
        assert_probes_killed(t, policy, "path");
        free(workload), free(policy), free(script), free(data);
}

/* ---- sqlite3 ----------------------------------------------------------- */

static char *sqlite3_learned(struct policy_test *t) {
        char *db = make_database(t), *sql = write_text(t, "a.sql", sqlite_totals_sql);
        struct inputs a = {{"sql", "database"}, {sql, db}};
        char *workload = learn_workload(t, "sqlite3", &a, SQLITE_TOTALS_OUTPUT, NULL);
        free(db), free(sql);
        return workload;
}

static void sqlite3_learned_policy_runs_another_job(void **state) {
        struct policy_test *t = *state;
        if (!need_program(SQLITE3) || !need_learn(t))
                skip();
        char *workload = sqlite3_learned(t), *db = orders_database(t);
        char *sql = write_text(t, "b.sql",
                               "CREATE TEMP TABLE by_city AS SELECT city, sum(amount) AS total FROM orders"
                               " GROUP BY city;\n"
                               "SELECT city || '=' || total FROM by_city ORDER BY city;\n"
                               "DELETE FROM orders WHERE amount < 5;\n"
                               "SELECT count(*) FROM orders;\n");
        long by_city[N_CITIES], by_month[13], at_least_5;
        totals(by_city, by_month, &at_least_5);
        char *cities_text = by_city_text("", "=", "\n", "\n"), *expected;
        assert_true(asprintf(&expected, "%s%ld\n", cities_text, at_least_5) > 0);
        struct inputs b = {{"sql", "database"}, {sql, db}};
        assert_runs(t, workload, &b, expected);
        free(workload), free(db), free(sql), free(cities_text), free(expected);
}

static void sqlite3_learned_policy_kills_attach_of_a_file(void **state) {
        struct policy_test *t = *state;
        if (!need_program(SQLITE3) || !need_learn(t))
                skip();
        char *workload = sqlite3_learned(t), *policy = policy_of(t, "sqlite3");
        /* sqlite3_learned() made it */
        char *target = path_in(t, "attached.db"), *text, *db = path_in(t, "data.db");
        assert_true(asprintf(&text, SQLITE_ATTACH_FILE_FMT, target) > 0);
        char *sql = write_text(t, "attach.sql", text);
        struct inputs in = {{"sql", "database"}, {sql, db}};
        struct run_result r = run_learned(t, workload, &in, false);
        assert_no_file_written(&r, target);
        r = run_learned(t, workload, &in, true);
        assert_killed_at(&r, "openat", "O_RDWR|O_CREAT");
        assert_false(file_exists(target));
        run_result_free(&r);
        /* No probe: this policy lacks the static probe's own start-up
         * (readlink), so the probe would die before its forbidden call. */
        assert_policy_is_narrow(policy);
        free(workload), free(policy), free(target), free(text), free(db), free(sql);
}

/* ---- gawk and lua5.4: a script on a table ------------------------------ */

static char *table_learned(struct policy_test *t, const char *name, const char *input, const char *script,
                           const char *script_out, const char *a2_script) {
        char *s = write_text(t, "a.script", script), *data = write_text(t, "a.txt", table_data);
        struct inputs a1 = {{input, "data"}, {s, data}};
        char *a2_file = NULL, *a2_data = NULL;
        struct inputs a2 = {{input, "data"}, {NULL, NULL}};
        if (a2_script) {
                a2_file = write_text(t, "a2.script", a2_script);
                a2_data = orders_file(t, true);
                a2.path[0] = a2_file, a2.path[1] = a2_data;
        }
        char *workload = learn_workload(t, name, &a1, script_out, a2_script ? &a2 : NULL);
        free(s), free(data), free(a2_file), free(a2_data);
        return workload;
}

/* The workload NAME, learned, killed at SCRIPT's forbidden call (it prints
 * "start" first), and TARGET, the file it would touch, not there. */
static void assert_table_script_killed(struct policy_test *t, const char *workload, const char *name,
                                       const char *input, const char *script, const char *target) {
        char *policy = policy_of(t, name), *s = write_text(t, "forbidden.script", script);
        char *data = write_text(t, "d.txt", table_data);
        struct inputs in = {{input, "data"}, {s, data}};
        struct run_result r = run_learned(t, workload, &in, false);
        assert_killed_before_writing(&r, target);
        r = run_learned(t, workload, &in, true);
        assert_killed_before_a_child(&r);
        assert_false(file_exists(target));
        run_result_free(&r);
        /* No probe: as sqlite3's, these policies lack the probe's start-up. */
        assert_policy_is_narrow(policy);
        free(policy), free(s), free(data);
}

static void gawk_learned_policy_runs_another_job(void **state) {
        struct policy_test *t = *state;
        if (!need_program(GAWK) || !need_learn(t))
                skip();
        char *workload = table_learned(t, "gawk", "program", GAWK_TOTALS_PROGRAM, GAWK_TOTALS_OUTPUT, NULL);
        char *data = orders_file(t, true);
        char *prog = write_text(t, "b.awk",
                                "BEGIN { FS = \",\" }\n"
                                "{ split($1, d, \"-\"); month[d[2] + 0] += $3; n++ }\n"
                                "END { for (m = 1; m <= 12; m++) printf \"month %02d: %d\\n\", m, month[m]\n"
                                "  printf \"rows %d\\n\", n }\n");
        long by_city[N_CITIES], by_month[13], at_least_5;
        totals(by_city, by_month, &at_least_5);
        char expected[512] = "";
        for (int m = 1; m <= 12; m++)
                snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected),
                         "month %02d: %ld\n", m, by_month[m]);
        snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected), "rows %d\n", N_ORDERS);
        struct inputs b = {{"program", "data"}, {prog, data}};
        assert_runs(t, workload, &b, expected);
        free(workload), free(data), free(prog);
}

static void gawk_learned_policy_kills_system(void **state) {
        struct policy_test *t = *state;
        if (!need_program(GAWK) || !need_learn(t))
                skip();
        char *workload = table_learned(t, "gawk", "program", GAWK_TOTALS_PROGRAM, GAWK_TOTALS_OUTPUT, NULL);
        char *target = path_in(t, "written"), *script;
        assert_true(asprintf(&script, GAWK_SYSTEM_TOUCH_FMT, target) > 0);
        assert_table_script_killed(t, workload, "gawk", "program", script, target);
        free(workload), free(target), free(script);
}

/* A2: a script that reads a large file whole.  A1 reads its lines one by
 * one, so no buffer outgrows glibc's mmap threshold and realloc never
 * moves a mapping: the policy learned on A1 alone killed lua at mremap
 * when B read N_ORDERS orders with read('a'). */
#define LUA_A2_SCRIPT                                                                                        \
        "local f = assert(io.open(arg[1]))\n"                                                                \
        "local text = f:read('a')\n"                                                                         \
        "print(#text)\n"

static void lua_learned_policy_runs_another_job(void **state) {
        struct policy_test *t = *state;
        if (!need_program(LUA) || !need_learn(t))
                skip();
        char *workload =
                table_learned(t, "lua5.4", "script", LUA_TOTALS_SCRIPT, LUA_TOTALS_OUTPUT, LUA_A2_SCRIPT);
        char *data = orders_file(t, true);
        char *script =
                write_text(t, "b.lua",
                           "local f = assert(io.open(arg[1], 'r'))\n"
                           "local text = f:read('a')\n"
                           "f:close()\n"
                           "local totals, names = {}, {}\n"
                           "for city, amount in text:gmatch('%d+%-%d+%-%d+,(%a+),(%d+)\\n') do\n"
                           "  if not totals[city] then totals[city] = 0; names[#names + 1] = city end\n"
                           "  totals[city] = totals[city] + tonumber(amount)\n"
                           "end\n"
                           "table.sort(names)\n"
                           "for _, city in ipairs(names) do io.write(city, ' ', totals[city], '\\n') end\n");
        char *expected = by_city_text("", " ", "\n", "\n");
        struct inputs b = {{"script", "data"}, {script, data}};
        assert_runs(t, workload, &b, expected);
        free(workload), free(data), free(script), free(expected);
}

static void lua_learned_policy_kills_os_execute(void **state) {
        struct policy_test *t = *state;
        if (!need_program(LUA) || !need_learn(t))
                skip();
        char *workload =
                table_learned(t, "lua5.4", "script", LUA_TOTALS_SCRIPT, LUA_TOTALS_OUTPUT, LUA_A2_SCRIPT);
        char *target = path_in(t, "written"), *script;
        assert_true(asprintf(&script, LUA_EXECUTE_TOUCH_FMT, target) > 0);
        assert_table_script_killed(t, workload, "lua5.4", "script", script, target);
        free(workload), free(target), free(script);
}

/* ---- busybox (sealed exec, pinned) ------------------------------------- */

static char *busybox_learned(struct policy_test *t) {
        char *data = write_text(t, "a.txt", table_data);
        struct inputs a = {{"data", NULL}, {data, NULL}};
        char *workload = learn_workload(t, "busybox", &a, NULL, NULL);
        free(data);
        return workload;
}

/* B: 1 MiB of bytes that are not text, through the learned workload pinned
 * as test_workloads pins the shipped one. */
static void busybox_learned_policy_runs_another_input_pinned(void **state) {
        struct policy_test *t = *state;
        if (!need_program(BUSYBOX) || !need_program(SHA256SUM) || !need_learn(t))
                skip();
        char *workload = busybox_learned(t), *pin = sha256_of(BUSYBOX), *text;
        assert_true(asprintf(&text, "@include ./busybox.workload\nexec sealed sha256=%s\n", pin) > 0);
        char *pinned = write_text(t, "pinned.workload", text);
        size_t size = 1 << 20;
        unsigned char *bytes = malloc(size);
        assert_non_null(bytes);
        for (size_t i = 0; i < size; i++)
                bytes[i] = (unsigned char) (i * 31 ^ i >> 9);
        char *data = write_input(t, "b.bin", bytes, size), *digest = sha256_of(data), *expected;
        assert_true(asprintf(&expected, "%s  /proc/self/fd/3\n", digest) > 0);
        struct inputs b = {{"data", NULL}, {data, NULL}};
        assert_runs(t, pinned, &b, expected);
        free(workload), free(pin), free(text), free(pinned), free(bytes), free(data), free(digest),
                free(expected);
}

/* The shell never gets as far as its redirect under a policy learned from
 * sha256sum (it dies at its first call sha256sum never made: getpid with
 * Debian 12's busybox), so the probe, run sealed like busybox, shows the
 * writable open itself, the socket and the fork killed. */
static void busybox_learned_policy_kills_a_shell_redirect(void **state) {
        struct policy_test *t = *state;
        if (!need_program(BUSYBOX) || !need_learn(t))
                skip();
        char *workload = busybox_learned(t), *policy = policy_of(t, "busybox");
        char *target = path_in(t, "written"), *text;
        assert_true(asprintf(&text,
                             "program %s\nexec sealed\nargv busybox sh -c \"echo x > %s\"\n"
                             "rlimit nofile 32\nseccomp default kill-process\nseccomp include %s\n",
                             BUSYBOX, target, policy) > 0);
        char *sh = write_text(t, "sh.workload", text);
        struct run_result r = run_learned(t, sh, NULL, false);
        assert_no_file_written(&r, target);
        r = run_learned(t, sh, NULL, true);
        free(killing_call(&r));
        assert_false(file_exists(target));
        run_result_free(&r);
        assert_policy_is_narrow(policy);
        assert_probes_killed(t, policy, "sealed");
        free(workload), free(policy), free(target), free(text), free(sh);
}

#define T(f) cmocka_unit_test_setup_teardown(f, policy_test_setup, policy_test_teardown)

int main(void) {
        const struct CMUnitTest tests[] = {
                T(jq_learned_policy_runs_another_job),
                T(jq_learned_policy_kills_a_socket_a_writable_open_and_a_fork),
                T(python3_learned_policy_runs_another_job),
                T(python3_learned_policy_kills_a_socket),
                T(sqlite3_learned_policy_runs_another_job),
                T(sqlite3_learned_policy_kills_attach_of_a_file),
                T(gawk_learned_policy_runs_another_job),
                T(gawk_learned_policy_kills_system),
                T(lua_learned_policy_runs_another_job),
                T(lua_learned_policy_kills_os_execute),
                T(busybox_learned_policy_runs_another_input_pinned),
                T(busybox_learned_policy_kills_a_shell_redirect),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
