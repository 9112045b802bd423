/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <signal.h>
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

static char *installed_workload(struct policy_test *t, const char *name) {
        char *file, *path;
        assert_true(asprintf(&file, "%s.workload", name) > 0);
        path = installed(t, file);
        free(file);
        return path;
}

/* argv[*n..] = --input NAME=PATH for each of IN's inputs. */
static void add_inputs(char **argv, size_t *n, const struct inputs *in) {
        for (size_t i = 0; in && i < 2 && in->name[i]; i++) {
                argv[(*n)++] = "--input";
                assert_true(asprintf(&argv[(*n)++], "%s=%s", in->name[i], in->path[i]) > 0);
        }
}

static void free_inputs(char **argv, size_t from, size_t to) {
        for (size_t i = from + 1; i < to; i += 2)
                free(argv[i]);
}

char *learn(struct policy_test *t, const char *name, bool merge, const struct inputs *in,
            const char *expected) {
        char *policy, *workload = installed_workload(t, name);
        assert_true(asprintf(&policy, "%s/%s.learned.policy", t->dir, name) > 0);
        char *argv[12] = {t->sealrun, "learn", merge ? "--merge" : "-o", policy, workload};
        size_t n = 5;
        add_inputs(argv, &n, in);
        struct run_result r;
        run_capture(argv, t->dir, &r);
        free_inputs(argv, 5, n);
        char buf[32];
        char *text = read_text(policy);
        if (!exited_with(r.status, 0) || !text || !strstr(text, "\n@default kill-process\n") ||
            (expected && strcmp(r.out, expected)))
                fail_msg("sealrun learn %s %s: %s; stdout:\n%s\nstderr:\n%s", argv[2], workload,
                         describe_status(r.status, buf), r.out, r.err);
        run_result_free(&r);
        free(workload), free(text);
        return policy;
}

char *learned_workload(struct policy_test *t, const char *name) {
        char *shipped = installed_workload(t, name), *text = read_text(shipped), *include, *learned, *file;
        assert_non_null(text);
        assert_true(asprintf(&include, "\nseccomp include ./%s.policy\n", name) > 0);
        char *at = strstr(text, include);
        if (!at || strstr(at + 1, include) || !strstr(text, "\nseccomp default kill-process\n"))
                fail_msg("%s: no single '%s' line, or no 'seccomp default kill-process'", shipped,
                         include + 1);
        assert_true(asprintf(&learned, "%.*s\nseccomp include ./%s.learned.policy\n%s", (int) (at - text),
                             text, name, at + strlen(include)) > 0);
        assert_true(asprintf(&file, "%s.workload", name) > 0);
        char *workload = write_text(t, file, learned);
        free(shipped), free(text), free(include), free(learned), free(file);
        return workload;
}

struct run_result run_learned(struct policy_test *t, const char *workload, const struct inputs *in,
                              bool explain) {
        char *argv[10] = {t->sealrun, "run"};
        size_t n = 2;
        if (explain)
                argv[n++] = "--explain";
        argv[n++] = (char *) workload;
        size_t first_input = n;
        add_inputs(argv, &n, in);
        struct run_result r;
        run_capture(argv, t->dir, &r);
        free_inputs(argv, first_input, n);
        return r;
}

/* The explained call of R's first denial: "sealrun: denied: COMM (pid N):
 * CALL(ARGS): RULE".  NULL when there is none. */
static const char *explained_call(const struct run_result *r) {
        const char *line = strstr(r->err, "sealrun: denied: ");
        const char *call = line ? strstr(line, "): ") : NULL;
        return call ? call + 3 : NULL;
}

char *killing_call(const struct run_result *r) {
        char buf[32];
        const char *call = explained_call(r);
        /* and by the learned policy, not a shipped one */
        if (!exited_with(r->status, 128 + SIGSYS) || !call || !strstr(call, ".learned.policy"))
                fail_msg("expected a denial by a learned policy and exit %d, got %s; stdout:\n%s\n"
                         "stderr:\n%s",
                         128 + SIGSYS, describe_status(r->status, buf), r->out, r->err);
        return strndup(call, strcspn(call, "("));
}

void assert_killed_at(const struct run_result *r, const char *syscall, const char *args) {
        char *name = killing_call(r);
        const char *call = explained_call(r);
        size_t len = strcspn(call, "\n");
        if (strcmp(name, syscall) || (args && !memmem(call, len, args, strlen(args))))
                fail_msg("expected the filter to kill at %s(%s...), it killed at: %.*s", syscall,
                         args ? args : "", (int) len, call);
        free(name);
}

/* forbidden_probe ACTION [TARGET] under POLICY, exec MODE, with and without
 * --explain. */
static void assert_probe_killed(struct policy_test *t, const char *policy, const char *mode,
                                const char *action, const char *syscall, const char *args) {
        char *target = path_in(t, "written"), *text;
        assert_true(asprintf(&text,
                             "program %s\nexec %s\nargv forbidden_probe %s%s%s\nrlimit nofile 32\n"
                             "seccomp default kill-process\nseccomp include %s\n",
                             t->probe, mode, action, strcmp(action, "open-write") ? "" : " ",
                             strcmp(action, "open-write") ? "" : target, policy) > 0);
        char *workload = write_text(t, "probe.workload", text);
        struct run_result r = run_learned(t, workload, NULL, false);
        assert_no_file_written(&r, target);
        r = run_learned(t, workload, NULL, true);
        assert_killed_at(&r, syscall, args);
        assert_false(file_exists(target));
        run_result_free(&r);
        free(target), free(text), free(workload);
}

void assert_probes_killed(struct policy_test *t, const char *policy, const char *mode) {
        assert_probe_killed(t, policy, mode, "socket", "socket", "AF_INET, SOCK_STREAM");
        assert_probe_killed(t, policy, mode, "open-write", "openat", "O_WRONLY|O_CREAT");
        assert_probe_killed(t, policy, mode, "fork", "clone", NULL);
}

/* How many of TEXT's statements are for SYSCALL, and of those how many are
 * in one of the FORMS ("SYSCALL:" then FORM). */
static size_t statements_for(const char *text, const char *syscall, const char *const forms[2],
                             size_t *in_form) {
        size_t n = 0, len = strlen(syscall);
        *in_form = 0;
        for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
                if (strncmp(p, syscall, len) || p[len] != ':')
                        continue;
                n++;
                for (size_t i = 0; i < 2; i++)
                        if (!strncmp(p + len + 1, forms[i], strlen(forms[i]))) {
                                (*in_form)++;
                                break;
                        }
        }
        return n;
}

void assert_policy_is_narrow(const char *policy) {
        static const char *const never[] = {"socket", "socketpair", "clone", "clone3", "fork", "vfork"};
        /* learn's two forms of "only read-only opens were seen" */
        static const char *const openat_forms[2] = {" arg2 in ", " arg2 == O_RDONLY "};
        static const char *const open_forms[2] = {" arg1 in ", " arg1 == O_RDONLY "};
        char *text = read_text(policy);
        assert_non_null(text);
        for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
                if (has_statement(text, never[i]))
                        fail_msg("%s allows %s:\n%s", policy, never[i], text);
        size_t ok, n_openat = statements_for(text, "openat", openat_forms, &ok);
        if (!n_openat || ok != n_openat)
                fail_msg("%s: not only read-only openat statements:\n%s", policy, text);
        if (statements_for(text, "open", open_forms, &ok) != ok)
                fail_msg("%s: not only read-only open statements:\n%s", policy, text);
        free(text);
}
