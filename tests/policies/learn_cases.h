/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cases of test_learn kept in files of their own: the policies learned
 * for programs not shipped (test_learn_programs.c) and learn's options and
 * refusals (test_learn_options.c). test_learn.c's main runs them all. */
#ifndef LEARN_CASES_H
#define LEARN_CASES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "learn_test.h"

extern const struct CMUnitTest learn_program_tests[];
extern const size_t n_learn_program_tests;
extern const struct CMUnitTest learn_option_tests[];
extern const size_t n_learn_option_tests;

/* DIR/NAME with TEXT, and DIR/NAME.gz made from it by gzip itself, outside
 * any sandbox; returns the .gz path (owned by the caller). */
char *gzip_file(struct policy_test *t, const char *name, const char *text);
/* sealrun learn exec MODE POLICY --input in=INPUT -- gzip -dc @in */
void learn_gzip(struct policy_test *t, struct run_result *r, const char *mode, const char *policy,
                const char *input);
/* Exit 0 and POLICY written, or fails with what learn said. */
void assert_learned(const struct run_result *r, const char *policy);

#define LEARN_TEST(f) cmocka_unit_test_setup_teardown(f, policy_test_setup, policy_test_teardown)

#endif
