/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The filter cache through the real sealrun binary: the second launch of a
 * policy takes its program from the cache and the filter is still enforced
 * (a forbidden syscall is still killed); the dry run says hit, miss,
 * ignored and why, or off; editing an included file or tampering with the
 * entry makes the launch compile again; --no-cache and `seccomp cache off`
 * neither read nor write it; an unwritable cache never fails a launch;
 * concurrent cold launches all succeed and leave one entry.  Every case
 * sets XDG_CACHE_HOME to its own temp dir. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

struct fixture {
        char *dir, *cache, *workload, *included;
};

/* The probe under probe_policy_allow(), split over a policy and the file
 * it includes, plus `extra` workload lines. */
static char *write_workload(struct fixture *f, const char *extra) {
        char *text;
        assert_true(asprintf(&text,
                             "program %s\nexec path\nargv probe --catch-sigsys --try-socket\n"
                             "seccomp default kill-process\nseccomp include ./main.policy\n%s",
                             probe_path(), extra) > 0);
        char *w = write_file(f->dir, "cache.workload", text, 0644);
        free(text);
        return w;
}

static int setup(void **state) {
        struct fixture *f = calloc(1, sizeof(*f));
        f->dir = tmpdir_new();
        char *xdg = path_in(f->dir, "xdg");
        setenv("XDG_CACHE_HOME", xdg, 1);
        f->cache = path_in(xdg, "sealrun");
        free(xdg);
        free(write_file(f->dir, "main.policy", "@include ./more.policy\nsched_yield: 1\n", 0644));
        f->included = write_file(f->dir, "more.policy", probe_policy_allow(), 0644);
        f->workload = write_workload(f, "");
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fixture *f = *state;
        tmpdir_remove(f->dir);
        free(f->cache);
        free(f->workload);
        free(f->included);
        free(f);
        return 0;
}

/* The dry run's "filter cache:" line (malloc'ed). */
static char *cache_line(const char *workload, const char *option) {
        const char *argv[] = {sealrun_path(), "run", "--dry-run", workload, option, NULL};
        struct run_result r;
        run_argv((char *const *) argv, NULL, NULL, &r);
        if (r.status != 0)
                fail_msg("dry run failed (%d): %s", r.status, r.err);
        char *line = report_value(r.out, "filter cache:");
        if (!line)
                fail_msg("no 'filter cache:' line in:\n%s", r.out);
        run_result_free(&r);
        return line;
}

static void expect_cache(const char *workload, const char *option, const char *want) {
        char *line = cache_line(workload, option);
        if (!strstr(line, want))
                fail_msg("expected the filter cache line to say '%s', got '%s'", want, line);
        free(line);
}

/* Runs the workload: the filter holds (socket kills the probe). */
static void expect_enforced(const char *workload) {
        struct run_result r;
        run_workload_args(workload, NULL, NULL, NULL, &r);
        assert_int_equal(r.signal, SIGSYS);
        assert_true(report_has_line(r.out, "no_new_privs 1"));
        assert_null(strstr(r.out, "try socket"));
        run_result_free(&r);
}

static size_t entries(void) {
        const char *argv[] = {sealrun_path(), "cache", "list", NULL};
        struct run_result r;
        run_argv((char *const *) argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        size_t n = strstr(r.out, "no entries in ") ? 0 : count_lines(r.out);
        run_result_free(&r);
        return n;
}

static char *the_entry(const struct fixture *f) {
        const char *argv[] = {"/bin/sh", "-c", "ls \"$0\"/[0-9a-f]*", f->cache, NULL};
        struct run_result r;
        run_argv((char *const *) argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        r.out[strcspn(r.out, "\n")] = '\0';
        char *path = strdup(r.out);
        run_result_free(&r);
        return path;
}

static void second_launch_uses_the_cache_and_is_still_enforced(void **state) {
        struct fixture *f = *state;
        expect_cache(f->workload, NULL, "miss; compiled, stored in ");
        expect_cache(f->workload, NULL, "hit, from ");
        expect_enforced(f->workload);
        assert_int_equal(entries(), 1);
        /* the entry names both files the policy was compiled from */
        const char *argv[] = {sealrun_path(), "cache", "list", NULL};
        struct run_result r;
        run_argv((char *const *) argv, NULL, NULL, &r);
        assert_non_null(strstr(r.out, "main.policy"));
        assert_non_null(strstr(r.out, "more.policy"));
        run_result_free(&r);
}

static void editing_an_included_file_recompiles(void **state) {
        struct fixture *f = *state;
        expect_cache(f->workload, NULL, "stored");
        /* socket allowed now: the cached program must not be used */
        char *more;
        assert_true(asprintf(&more, "%ssocket: 1\n", probe_policy_allow()) > 0);
        free(write_file(f->dir, "more.policy", more, 0644));
        free(more);
        expect_cache(f->workload, NULL, "more.policy changed since the entry was stored); compiled, stored");
        struct run_result r;
        run_workload_args(f->workload, NULL, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, "try socket"));
        run_result_free(&r);
        expect_cache(f->workload, NULL, "hit");
}

static void tampered_entry_is_ignored_and_replaced(void **state) {
        struct fixture *f = *state;
        expect_cache(f->workload, NULL, "stored");
        char *entry = the_entry(f);
        assert_int_equal(chmod(entry, 0644), 0);
        expect_cache(f->workload, NULL,
                     "entry ignored (the entry has mode 0644, not 0600); compiled, stored");
        struct stat st;
        assert_int_equal(stat(entry, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        /* an altered program: the digest no longer holds */
        FILE *a = fopen(entry, "r+");
        assert_non_null(a);
        assert_int_equal(fseek(a, -1, SEEK_END), 0);
        fputc(0x55, a);
        fclose(a);
        expect_cache(f->workload, NULL, "entry ignored (the entry's bytes do not hash to its digest");
        expect_enforced(f->workload);
        free(entry);
}

static void no_cache_option_and_workload_key_turn_it_off(void **state) {
        struct fixture *f = *state;
        expect_cache(f->workload, "--no-cache", "off (--no-cache)");
        char *off = write_workload(f, "seccomp cache off\n");
        expect_cache(off, NULL, "off (seccomp cache off)");
        expect_enforced(off);
        assert_false(file_exists(f->cache));
        free(off);
}

static void unwritable_cache_never_fails_a_launch(void **state) {
        struct fixture *f = *state;
        /* a file where the directory should be: no user can store there */
        char *xdg = path_in(f->dir, "xdg");
        assert_int_equal(mkdir(xdg, 0700), 0);
        free(write_file(xdg, "sealrun", "not a directory\n", 0600));
        free(xdg);
        expect_cache(f->workload, NULL, "compiled, not stored (");
        expect_enforced(f->workload);
}

static void concurrent_cold_launches_all_succeed(void **state) {
        struct fixture *f = *state;
        pid_t pids[6];
        for (size_t i = 0; i < 6; i++) {
                pids[i] = fork();
                assert_true(pids[i] >= 0);
                if (pids[i] == 0) {
                        struct run_result r;
                        run_workload_args(f->workload, NULL, NULL, NULL, &r);
                        _exit(r.signal == SIGSYS && !strstr(r.out, "try socket") ? 0 : 1);
                }
        }
        for (size_t i = 0; i < 6; i++) {
                int status;
                assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
                assert_true(WIFEXITED(status));
                assert_int_equal(WEXITSTATUS(status), 0);
        }
        assert_int_equal(entries(), 1);
        expect_cache(f->workload, NULL, "hit");
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        const struct CMUnitTest tests[] = {
                T(second_launch_uses_the_cache_and_is_still_enforced),
                T(editing_an_included_file_recompiles),
                T(tampered_entry_is_ignored_and_replaced),
                T(no_cache_option_and_workload_key_turn_it_off),
                T(unwritable_cache_never_fails_a_launch),
                T(concurrent_cold_launches_all_succeed),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
