/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun learn's options on gzip -dc: -o refuses an existing file without
 * --force; --merge appends only what is missing, after the policy's own
 * bytes; --check passes after it; a target that fails still gets its
 * policy; privileged workloads need --allow-privileged; bad input is one
 * line and exit 125, with nothing started and nothing written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "learn_cases.h"

static void o_refuses_an_existing_file_without_force(void **state) {
        struct policy_test *t = *state;
        if (!need_program(GZIP) || !need_learn(t))
                skip();
        char *a = gzip_file(t, "a.txt", "text\n"), *policy = write_text(t, "gzip.policy", "# mine\n");
        struct run_result r;
        learn_gzip(t, &r, "-o", policy, a);
        assert_output(&r, 125, "");
        assert_int_equal(count_lines(r.err), 1);
        char *text = read_text(policy);
        assert_string_equal(text, "# mine\n");
        run_result_free(&r);
        free(text);
        char *in = input_arg("in", a);
        run_sealrun(t, &r, "learn", "exec", "-o", policy, "--force", "--input", in, "--", GZIP, "-dc", "@in",
                    NULL);
        assert_learned(&r, policy);
        assert_string_equal(r.out, "text\n");
        text = read_text(policy);
        assert_non_null(strstr(text, "\n@default kill-process\n"));
        assert_true(has_statement(text, "read"));
        run_result_free(&r);
        free(a), free(policy), free(text), free(in);
}

/* A learned policy without its read statement: --merge puts back that
 * one statement, after the file's own bytes (the file keeps its mode), and
 * --check then passes. */
static void merge_adds_only_what_is_missing(void **state) {
        struct policy_test *t = *state;
        if (!need_program(GZIP) || !need_learn(t))
                skip();
        char *a = gzip_file(t, "a.txt", "text\n"), *full = path_in(t, "full.policy");
        struct run_result r;
        learn_gzip(t, &r, "-o", full, a);
        assert_learned(&r, full);
        run_result_free(&r);
        char *text = read_text(full), *less = without_line(text, "read: 1"),
             *policy = write_text(t, "p.policy", less);
        assert_int_equal(chmod(policy, 0640), 0);
        learn_gzip(t, &r, "--merge", policy, a);
        assert_learned(&r, policy);
        struct stat st;
        assert_int_equal(stat(policy, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0640);
        assert_non_null(strstr(r.err, "sealrun: learn: added "));
        char *merged = read_text(policy);
        assert_memory_equal(merged, less, strlen(less));
        const char *added = merged + strlen(less);
        if (count_statements(added) != 1 || !strstr(added, "\nread: 1  # run 2: "))
                fail_msg("expected one statement, 'read: 1  # run 2: ...', appended; got:\n%s", added);
        run_result_free(&r);
        learn_gzip(t, &r, "--check", policy, a);
        assert_learn_covers(&r, policy);
        run_result_free(&r);
        learn_gzip(t, &r, "--merge", policy, a);
        assert_learned(&r, policy);
        assert_non_null(strstr(r.err, "already covers this run; nothing added"));
        char *again = read_text(policy);
        assert_string_equal(again, merged);
        run_result_free(&r);
        free(a), free(full), free(text), free(less), free(policy), free(merged), free(again);
}

/* gzip -dc of what is no gzip data exits 1: the policy is written all
 * the same, and learn says how the target ended. */
static void a_failing_target_still_gets_its_policy(void **state) {
        struct policy_test *t = *state;
        if (!need_program(GZIP) || !need_learn(t))
                skip();
        char *bad = write_text(t, "bad.gz", "this is not gzip data\n"), *policy = path_in(t, "gzip.policy");
        struct run_result r;
        learn_gzip(t, &r, "-o", policy, bad);
        assert_learned(&r, policy);
        assert_non_null(strstr(r.err, "not in gzip format"));
        assert_non_null(strstr(r.err, "sealrun: learn: " GZIP " exited with status 1\n"));
        char *text = read_text(policy);
        assert_non_null(strstr(text, "exited with status 1"));
        assert_true(has_statement(text, "write"));
        run_result_free(&r);
        free(bad), free(policy), free(text);
}

/* A workload that runs touch MARKER, keeping a capability. */
static char *privileged_workload(struct policy_test *t, const char *marker) {
        char *text;
        assert_true(asprintf(&text,
                             "program /usr/bin/touch\nexec path\nargv touch %s\ncapability keep net_raw\n",
                             marker) > 0);
        char *w = write_text(t, "privileged.workload", text);
        free(text);
        return w;
}

static void a_privileged_workload_needs_allow_privileged(void **state) {
        struct policy_test *t = *state;
        if (!need_learn(t))
                skip();
        char *marker = path_in(t, "marker"), *w = privileged_workload(t, marker),
             *policy = path_in(t, "p.policy");
        struct run_result r;
        run_sealrun(t, &r, "learn", "-o", policy, w, NULL);
        assert_output(&r, 125, "");
        assert_int_equal(count_lines(r.err), 1);
        assert_non_null(strstr(r.err, "--allow-privileged"));
        assert_false(file_exists(marker));
        assert_false(file_exists(policy));
        run_result_free(&r);
        free(marker), free(w), free(policy);
}

static void allow_privileged_learns_a_privileged_workload(void **state) {
        struct policy_test *t = *state;
        if (geteuid() != 0) {
                printf("SKIP: keeping a capability (net_raw) needs root\n");
                skip();
        }
        if (!need_learn(t))
                skip();
        char *marker = path_in(t, "marker"), *w = privileged_workload(t, marker),
             *policy = path_in(t, "p.policy");
        struct run_result r;
        run_sealrun(t, &r, "learn", "--allow-privileged", "-o", policy, w, NULL);
        assert_learned(&r, policy);
        assert_true(file_exists(marker));
        run_result_free(&r);
        free(marker), free(w), free(policy);
}

/* Each of these is one line and exit 125: touch MARKER never ran and no
 * policy appeared. */
static void bad_input_is_one_line_and_nothing_runs(void **state) {
        struct policy_test *t = *state;
        if (!need_learn(t))
                skip();
        char *marker = path_in(t, "marker"), *text, *p = path_in(t, "new.policy");
        assert_true(asprintf(&text, "program /usr/bin/touch\nexec path\nargv touch %s\n", marker) > 0);
        char *w = write_text(t, "touch.workload", text),
             *bad = write_text(t, "bad.policy", "read: arg0 ==\n");
        char *none = path_in(t, "missing.policy");
        const char *cases[][8] = {
                {"learn", w, NULL},
                {"learn", "-o", p, "--check", bad, w, NULL},
                {"learn", "--bogus", "-o", p, w, NULL},
                {"learn", "-o", p, NULL},
                {"learn", "-o", p, "--explain", w, NULL},
                {"learn", "-o", p, "--dry-run", w, NULL},
                {"learn", "--check", none, w, NULL},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const char *const *c = cases[i];
                struct run_result r;
                run_sealrun(t, &r, c[0], c[1], c[2], c[3], c[4], c[5], c[6], NULL);
                char buf[32];
                if (!exited_with(r.status, 125) || count_lines(r.err) != 1)
                        fail_msg("case %zu (%s %s %s): %s, expected 125 and one line; stderr:\n%s", i, c[1],
                                 c[2] ? c[2] : "", c[3] ? c[3] : "", describe_status(r.status, buf), r.err);
                assert_false(file_exists(marker));
                assert_false(file_exists(p));
                run_result_free(&r);
        }
        /* A policy that does not compile gets the compiler's diagnostic, as
         * for run and exec: FILE:LINE:COL and the line, marked. */
        struct run_result r;
        run_sealrun(t, &r, "learn", "--merge", bad, w, NULL);
        assert_true(exited_with(r.status, 125));
        assert_true(strncmp(r.err, bad, strlen(bad)) == 0 && !strncmp(r.err + strlen(bad), ":1:", 3));
        assert_false(file_exists(marker));
        char *after = read_text(bad);
        assert_string_equal(after, "read: arg0 ==\n");
        run_result_free(&r);
        free(after);
        free(marker), free(text), free(p), free(w), free(bad), free(none);
}

const struct CMUnitTest learn_option_tests[] = {
        LEARN_TEST(o_refuses_an_existing_file_without_force),
        LEARN_TEST(merge_adds_only_what_is_missing),
        LEARN_TEST(a_failing_target_still_gets_its_policy),
        LEARN_TEST(a_privileged_workload_needs_allow_privileged),
        LEARN_TEST(allow_privileged_learns_a_privileged_workload),
        LEARN_TEST(bad_input_is_one_line_and_nothing_runs),
};
const size_t n_learn_option_tests = sizeof(learn_option_tests) / sizeof(learn_option_tests[0]);
