/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of test_learn: running sealrun with a list of arguments, whether
 * `sealrun learn` can run here at all, and reading what it wrote. */
#ifndef LEARN_TEST_H
#define LEARN_TEST_H

#include <stdbool.h>
#include <stddef.h>

#include "policy_test.h"

#define GZIP "/usr/bin/gzip"
#define XMLLINT "/usr/bin/xmllint"

/* sealrun ARGS... (NULL-terminated, at most 30) in t->dir, stdin /dev/null. */
void run_sealrun(struct policy_test *t, struct run_result *r, ...);
/* The same through /bin/sh with fd 3 open for writing on STATUS_PATH, so
 * that ARGS may hold --status-fd 3. */
void run_sealrun_status(struct policy_test *t, struct run_result *r, const char *status_path, ...);

/* sealrun is built, knows `learn`, and the kernel has seccomp user
 * notification; else prints "SKIP: why" and returns false. */
bool need_learn(struct policy_test *t);

/* The whole file, NUL-terminated; NULL when it cannot be read. */
char *read_text(const char *path);
/* Whether TEXT has a statement for SYSCALL (a line "SYSCALL: ..."). */
bool has_statement(const char *text, const char *syscall);
/* The lines of TEXT that are statements (neither blank, a comment nor
 * an @directive). */
size_t count_statements(const char *text);
/* TEXT without its line that starts with PREFIX (owned by the caller). */
char *without_line(const char *text, const char *prefix);
size_t count_lines(const char *text);

/* `learn --check` said the policy covers the run (exit 0); else fails with
 * the lines learn says to add. */
void assert_learn_covers(const struct run_result *r, const char *policy);

#endif
