/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the tests of policies/: a per-test temporary directory,
 * input files, running a program with its output captured, and the paths of
 * the build's tools. */
#ifndef POLICY_TEST_H
#define POLICY_TEST_H

#include <stdbool.h>
#include <stddef.h>

/* The programs the policies are for, as Debian installs them. */
#define JQ "/usr/bin/jq"
#define PYTHON3 "/usr/bin/python3"
#define SQLITE3 "/usr/bin/sqlite3"
#define GAWK "/usr/bin/gawk"
#define LUA "/usr/bin/lua5.4"
#define BUSYBOX "/bin/busybox"
#define SHA256SUM "/usr/bin/sha256sum"

/* The jobs both tests give the programs: the same data, and the scripts
 * that must die (each prints "start" first, the formats take the path
 * the forbidden call would create). */
extern const char json_items[];
extern const char table_data[];
extern const char python_socket_script[];
/* The start of the table_data jobs (totals by name, and n the row count):
 * each test prints its own ending. */
#define LUA_TABLE_SUM                                                                                        \
        "local total, n = 0, 0\n"                                                                            \
        "for line in io.lines(arg[1]) do\n"                                                                  \
        "  local name, price, qty = line:match('^(%S+) (%d+) (%d+)$')\n"                                     \
        "  total = total + tonumber(price) * tonumber(qty); n = n + 1\n"                                     \
        "end\n"
#define GAWK_TABLE_SUM                                                                                       \
        "{ total[$1] += $2 * $3; n++ }\n"                                                                    \
        "END { PROCINFO[\"sorted_in\"] = \"@ind_str_asc\"\n"                                                 \
        "  for (k in total) printf \"%s %d\\n\", k, total[k]\n"
#define SQLITE_ATTACH_FILE_FMT "SELECT 'start';\nATTACH '%s' AS a;\nCREATE TABLE a.x(y);\n"
#define GAWK_SYSTEM_TOUCH_FMT "BEGIN { print \"start\"; fflush(); system(\"touch %s\") }\n"
#define LUA_EXECUTE_TOUCH_FMT "io.write('start\\n'); io.flush()\nos.execute('touch %s')\n"
/* The jobs test_workloads and test_learn give the workloads, and what each
 * prints: the jq filter on json_items prints "apple=12,fig=10"; the python
 * script on json_items, the gawk program and the lua script on table_data
 * print the totals; the SQL runs on make_database()'s image. */
extern const char jq_totals_program[];
extern const char python_totals_script[];
extern const char sqlite_totals_sql[];
#define GAWK_TOTALS_PROGRAM GAWK_TABLE_SUM "  printf \"rows %d\\n\", n }\n"
#define LUA_TOTALS_SCRIPT LUA_TABLE_SUM "print(string.format('rows=%d total=%d', n, total))\n"
#define JQ_TOTALS_OUTPUT "\"apple=12,fig=10\"\n"
#define PYTHON_TOTALS_OUTPUT "apple\t12\nfig\t10\npear\t10\n"
#define SQLITE_TOTALS_OUTPUT "apple|12\nfig|10\n19\n"
#define GAWK_TOTALS_OUTPUT "apple 12\nfig 10\npear 10\nrows 3\n"
#define LUA_TOTALS_OUTPUT "rows=3 total=32\n"

struct policy_test {
        char *dir;      /* fresh mkdtemp under /tmp, removed by teardown */
        char *bpf;      /* DIR/filter.bpf once compiled */
        char *sealrun;  /* $SEALRUN_BUILD_DIR/launcher/sealrun */
        char *runner;   /* $SEALRUN_BUILD_DIR/tests/policies/run_with_filter */
        char *probe;    /* $SEALRUN_BUILD_DIR/tests/policies/forbidden_probe */
        char *policies; /* $SEALRUN_SOURCE_DIR/policies */
};

struct run_result {
        int status; /* as from waitpid() */
        char *out;  /* whole stdout, NUL-terminated */
        char *err;  /* whole stderr, NUL-terminated */
};

int policy_test_setup(void **state);
/* $VAR/SUFFIX, or FALLBACK/SUFFIX when VAR is not set (owned by the caller). */
char *env_path(const char *var, const char *fallback, const char *suffix);
int policy_test_teardown(void **state);

/* DIR/NAME with CONTENT; returns the path (owned by the caller). */
char *write_input(struct policy_test *t, const char *name, const void *content, size_t size);
char *write_text(struct policy_test *t, const char *name, const char *text);
char *path_in(struct policy_test *t, const char *name);

/* Runs ARGV (NULL-terminated) with stdin /dev/null, in CWD when not NULL,
 * and collects its status and output. */
void run_capture(char *const argv[], const char *cwd, struct run_result *ret);
void run_result_free(struct run_result *r);

/* Prints "SKIP: ... is not built" and returns false when t->sealrun is
 * not there. */
bool need_sealrun(struct policy_test *t);
/* t->policies/FILE, the shipped file (owned by the caller). */
char *installed(struct policy_test *t, const char *file);
/* "NAME=PATH", as --input takes it (owned by the caller). */
char *input_arg(const char *name, const char *path);

/* Prints "SKIP: <program> is not installed (...)" and returns false when
 * PATH is not an executable file. */
bool need_program(const char *path);

/* Compiles POLICY (a path) with `sealrun compile` into t->bpf.  When the
 * compiler is not there yet, prints why and returns false (the caller
 * skips); a compile error fails the test. */
bool compile_policy(struct policy_test *t, const char *policy);

/* "exit N" / "signal N" for assertion messages. */
const char *describe_status(int status, char buf[static 32]);

/* Exited with code and printed exactly expected (else prints what it got). */
void assert_output(const struct run_result *r, int code, const char *expected);
/* Killed by SIGSYS (else prints what it got). */
void assert_sigsys(const struct run_result *r);
/* Killed by SIGSYS and target not created; frees r. */
void assert_no_file_written(struct run_result *r, const char *target);
/* The same, after the program printed "start" (so it ran until the
 * forbidden call); frees r. */
void assert_killed_before_writing(struct run_result *r, const char *target);

/* T->dir/data.db, a database image made by sqlite3 itself, outside any filter. */
char *make_database(struct policy_test *t);
/* Whether directory path has no entries (else prints them). */
bool dir_is_empty(const char *path);
/* The SHA-256 of path as coreutils computes it, at test time (hex). */
char *sha256_of(const char *path);

bool killed_by_sigsys(int status);
bool exited_with(int status, int code);
bool file_exists(const char *path);

#endif
