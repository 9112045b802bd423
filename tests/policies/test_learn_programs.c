/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Policies learned for programs sealrun does not ship, gzip -dc and
 * xmllint: learned on one input, they run another input correctly under
 * kill-process, and what the program never did while learning (a writable
 * open, a socket) still kills it. A second thread's and a forked child's
 * calls are learned too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "learn_cases.h"

char *gzip_file(struct policy_test *t, const char *name, const char *text) {
        char *path = write_text(t, name, text), *gz;
        char *argv[] = {GZIP, "-n", "-k", "-f", path, NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_true(exited_with(r.status, 0));
        run_result_free(&r);
        assert_true(asprintf(&gz, "%s.gz", path) > 0);
        free(path);
        return gz;
}

void learn_gzip(struct policy_test *t, struct run_result *r, const char *mode, const char *policy,
                const char *input) {
        char *in = input_arg("in", input);
        run_sealrun(t, r, "learn", "exec", mode, policy, "--input", in, "--", GZIP, "-dc", "@in", NULL);
        free(in);
}

void assert_learned(const struct run_result *r, const char *policy) {
        char buf[32];
        if (!exited_with(r->status, 0))
                fail_msg("sealrun learn: %s; stderr:\n%s", describe_status(r->status, buf), r->err);
        if (!file_exists(policy))
                fail_msg("sealrun learn exited 0 but wrote no %s; stderr:\n%s", policy, r->err);
}

/* Lines of a text of about 100 KiB, unlike the one learned on. */
static char *long_text(void) {
        size_t cap = 128 * 1024, len = 0;
        char *s = malloc(cap);
        assert_non_null(s);
        for (int i = 0; len + 64 < cap && i < 4000; i++)
                len += (size_t) snprintf(s + len, cap - len, "line %d: %x %o squeamish ossifrage\n", i,
                                         i * 7919, i * 31);
        return s;
}

/* gzip -dc's policy, learned on a short text: the policy at DIR/gzip.policy. */
static char *learn_gzip_policy(struct policy_test *t) {
        char *a = gzip_file(t, "a.txt", "a short text, learned on\n"), *policy = path_in(t, "gzip.policy");
        struct run_result r;
        learn_gzip(t, &r, "-o", policy, a);
        assert_learned(&r, policy);
        assert_string_equal(r.out, "a short text, learned on\n");
        assert_non_null(strstr(r.err, "sealrun: learn: wrote "));
        /* Exec by path: sealrun's own execve is learned. */
        char *text = read_text(policy);
        assert_true(has_statement(text, "execve"));
        run_result_free(&r);
        free(a), free(text);
        return policy;
}

static void gzip_policy_learned_on_one_input_runs_another(void **state) {
        struct policy_test *t = *state;
        if (!need_program(GZIP) || !need_learn(t))
                skip();
        char *policy = learn_gzip_policy(t), *text = long_text(), *b = gzip_file(t, "b.txt", text);
        char *in = input_arg("in", b);
        struct run_result r;
        run_sealrun(t, &r, "exec", "--seccomp-policy", policy, "--default-action", "kill-process", "--input",
                    in, "--", GZIP, "-dc", "@in", NULL);
        assert_output(&r, 0, text);
        run_result_free(&r);
        free(policy), free(text), free(b), free(in);
}

/* gzip -d FILE.gz creates FILE with open(O_WRONLY|O_CREAT|O_EXCL), which
 * gzip -dc never does. gzip blocks signals around creating it, which -dc
 * never does either: that is allowed here, so that the writable open is the
 * first call outside the policy, as --explain shows. */
static void gzip_policy_kills_a_writable_open(void **state) {
        struct policy_test *t = *state;
        if (!need_program(GZIP) || !need_learn(t))
                skip();
        char *learned = learn_gzip_policy(t), *text = read_text(learned), *more, *policy;
        assert_true(asprintf(&more, "%srt_sigprocmask: 1\n", text) > 0);
        policy = write_text(t, "gzip-d.policy", more);
        char *gz = gzip_file(t, "c.txt", "to be written\n"), *target = path_in(t, "c.txt");
        assert_int_equal(unlink(target), 0);
        struct run_result r;
        run_sealrun(t, &r, "exec", "--seccomp-policy", policy, "--", GZIP, "-d", "-f", gz, NULL);
        assert_no_file_written(&r, target);
        run_sealrun(t, &r, "exec", "--explain", "--seccomp-policy", policy, "--", GZIP, "-d", "-f", gz, NULL);
        if (!exited_with(r.status, 159) || !strstr(r.err, "openat(") || !strstr(r.err, "O_WRONLY|O_CREAT"))
                fail_msg("expected exit 159 and a denied openat(O_WRONLY|O_CREAT...); stderr:\n%s", r.err);
        assert_int_equal(count_lines(r.err), 1);
        assert_false(file_exists(target));
        assert_true(file_exists(gz));
        run_result_free(&r);
        free(learned), free(text), free(more), free(policy), free(gz), free(target);
}

/* ---- xmllint ---------------------------------------------------------- */

static const char xml_a[] = "<r><a>1</a></r>";
/* Already in xmllint's output form, so it prints the same bytes. */
static const char xml_b[] =
        "<?xml version=\"1.0\"?>\n<list>\n  <item n=\"1\">one &amp; two</item>\n"
        "  <item n=\"2\"/>\n  <!-- c -->\n  <item n=\"3\"><![CDATA[<x>]]></item>\n</list>\n";

static char *learn_xmllint_policy(struct policy_test *t) {
        char *a = write_text(t, "a.xml", xml_a), *policy = path_in(t, "xmllint.policy");
        char *in = input_arg("in", a);
        struct run_result r;
        run_sealrun(t, &r, "learn", "exec", "-o", policy, "--input", in, "--", XMLLINT, "@in", NULL);
        assert_learned(&r, policy);
        assert_string_equal(r.out, "<?xml version=\"1.0\"?>\n<r><a>1</a></r>\n");
        run_result_free(&r);
        free(a), free(in);
        return policy;
}

static void xmllint_policy_learned_on_one_input_runs_another(void **state) {
        struct policy_test *t = *state;
        if (!need_program(XMLLINT) || !need_learn(t))
                skip();
        char *policy = learn_xmllint_policy(t), *b = write_text(t, "b.xml", xml_b), *in = input_arg("in", b);
        struct run_result r;
        run_sealrun(t, &r, "exec", "--seccomp-policy", policy, "--default-action", "kill-process", "--input",
                    in, "--", XMLLINT, "@in", NULL);
        assert_output(&r, 0, xml_b);
        run_result_free(&r);
        free(policy), free(b), free(in);
}

/* Under POLICY, xmllint ARG1 ARG2 ARG3 is killed (SIGSYS), and --explain
 * names CALL as the first call outside it. */
static void assert_xmllint_killed_at(struct policy_test *t, const char *policy, const char *call,
                                     const char *arg1, const char *arg2, const char *arg3) {
        struct run_result r;
        run_sealrun(t, &r, "exec", "--seccomp-policy", policy, "--", XMLLINT, arg1, arg2, arg3, NULL);
        assert_sigsys(&r);
        run_result_free(&r);
        run_sealrun(t, &r, "exec", "--explain", "--seccomp-policy", policy, "--", XMLLINT, arg1, arg2, arg3,
                    NULL);
        if (!exited_with(r.status, 159) || !strstr(r.err, call))
                fail_msg("expected exit 159 and a denied %s; stderr:\n%s", call, r.err);
        assert_int_equal(count_lines(r.err), 1);
        run_result_free(&r);
}

static void xmllint_policy_kills_a_socket(void **state) {
        struct policy_test *t = *state;
        if (!need_program(XMLLINT) || !need_learn(t))
                skip();
        char *policy = learn_xmllint_policy(t), *text = read_text(policy);
        assert_false(has_statement(text, "socket"));
        assert_xmllint_killed_at(t, policy, "): socket(AF_INET", "http://127.0.0.1:9/x.xml", NULL, NULL);
        free(policy), free(text);
}

static void xmllint_policy_kills_a_writable_open(void **state) {
        struct policy_test *t = *state;
        if (!need_program(XMLLINT) || !need_learn(t))
                skip();
        char *policy = learn_xmllint_policy(t), *b = write_text(t, "b.xml", xml_b),
             *out = path_in(t, "out.xml");
        assert_xmllint_killed_at(t, policy, "O_WRONLY|O_CREAT", "--output", out, b);
        assert_false(file_exists(out));
        free(policy), free(b), free(out);
}

/* ---- threads and children ----------------------------------------------- */

/* tests/launcher's explain_target makes socket(AF_INET, SOCK_DGRAM) in a
 * second thread or in a forked child only: the learned policy must have it. */
static char *learn_explain_target(struct policy_test *t, const char *mode, const char *expected_out) {
        char *target = env_path("SEALRUN_BUILD_DIR", ".", "tests/launcher/explain_target");
        char *policy = path_in(t, "target.policy");
        struct run_result r;
        run_sealrun(t, &r, "learn", "exec", "-o", policy, "--", target, mode, NULL);
        assert_learned(&r, policy);
        assert_non_null(strstr(r.out, expected_out));
        char *text = read_text(policy);
        assert_non_null(text);
        if (!strstr(text, "\nsocket: arg0 == AF_INET && arg1 == SOCK_DGRAM"))
                fail_msg("no socket(AF_INET, SOCK_DGRAM) statement learned from the %s:\n%s", mode, text);
        run_result_free(&r);
        free(target), free(policy);
        return text;
}

static void a_second_threads_calls_are_learned(void **state) {
        struct policy_test *t = *state;
        if (!need_learn(t))
                skip();
        char *text = learn_explain_target(t, "thread", "socket ok\nthread joined\n");
        assert_true(has_statement(text, "clone3") || has_statement(text, "clone"));
        free(text);
}

static void a_forked_childs_calls_are_learned(void **state) {
        struct policy_test *t = *state;
        if (!need_learn(t))
                skip();
        char *text = learn_explain_target(t, "fork", "socket ok\nchild ");
        assert_true(has_statement(text, "clone") || has_statement(text, "clone3"));
        assert_true(has_statement(text, "wait4"));
        free(text);
}

const struct CMUnitTest learn_program_tests[] = {
        LEARN_TEST(gzip_policy_learned_on_one_input_runs_another),
        LEARN_TEST(gzip_policy_kills_a_writable_open),
        LEARN_TEST(xmllint_policy_learned_on_one_input_runs_another),
        LEARN_TEST(xmllint_policy_kills_a_socket),
        LEARN_TEST(xmllint_policy_kills_a_writable_open),
        LEARN_TEST(a_second_threads_calls_are_learned),
        LEARN_TEST(a_forked_childs_calls_are_learned),
};
const size_t n_learn_program_tests = sizeof(learn_program_tests) / sizeof(learn_program_tests[0]);
