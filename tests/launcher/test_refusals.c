/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What sealrun refuses beyond bad input, each with one clear line, the
 * documented exit code and the target (the probe, which writes a marker
 * file first thing) never started: a setuid or file-capability copy of
 * sealrun itself, a policy it cannot compile at launch, sealed bytes that
 * are no program. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

struct fixture {
        char *dir;
        char *marker;
};

static int setup(void **state) {
        struct fixture *f = calloc(1, sizeof(*f));
        f->dir = tmpdir_new();
        f->marker = path_in(f->dir, "started");
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fixture *f = *state;
        tmpdir_remove(f->dir);
        free(f->marker);
        free(f);
        return 0;
}

static void setuid_copy_refuses_to_run(void **state) {
        struct fixture *f = *state;
        if (!is_root()) {
                printf("SKIP: making a setuid-root copy of sealrun needs root\n");
                skip();
        }
        char *copy = path_in(f->dir, "sealrun-suid");
        char *cp[] = {"/bin/cp", (char *) sealrun_path(), copy, NULL};
        struct run_result r;
        run_argv(cp, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        run_result_free(&r);
        assert_int_equal(chmod(copy, 04755), 0);
        char out_path[] = "/tmp/sealrun-suid-err-XXXXXX";
        int err = mkstemp(out_path);
        pid_t pid = fork();
        if (pid == 0) {
                dup2(err, 2);
                if (setgid(65534) < 0 || setuid(65534) < 0)
                        _exit(99);
                execl(copy, "sealrun", "exec", "--", probe_path(), "--marker", f->marker, (char *) NULL);
                _exit(98);
        }
        int ws;
        waitpid(pid, &ws, 0);
        char buf[1024] = "";
        ssize_t n = pread(err, buf, sizeof(buf) - 1, 0);
        buf[n > 0 ? n : 0] = '\0';
        unlink(out_path);
        close(err);
        printf("# stderr: %s", buf);
        if (WEXITSTATUS(ws) == 0 && file_exists(f->marker)) {
                printf("SKIP: %s is mounted nosuid\n", f->dir);
                skip();
        }
        assert_int_equal(WEXITSTATUS(ws), 125);
        assert_non_null(strstr(buf, "sealrun: refusing to run setuid or setgid (uid 65534, euid 0"));
        assert_int_equal(count_lines(buf), 1);
        assert_false(file_exists(f->marker));
        free(copy);
}

/* `sealrun exec --seccomp-policy=POLICY` with policy_text, the child set
 * up by child_setup (may be NULL): exit 125, stderr starting with want
 * (after the policy's path when want_path), and the target never
 * started. */
static void expect_policy_refused_at_launch(struct fixture *f, const char *policy_text,
                                            child_setup_fn child_setup, bool want_path,
                                            const char *want_after) {
        char *policy = write_file(f->dir, "launch.policy", policy_text, 0644);
        char *arg, *want;
        assert_true(asprintf(&arg, "--seccomp-policy=%s", policy) > 0);
        assert_true(asprintf(&want, "%s%s", want_path ? policy : "", want_after) > 0);
        const char *argv[] = {sealrun_path(), "exec", arg, "--", probe_path(), "--marker", f->marker, NULL};
        unlink(f->marker);
        struct run_result r;
        run_argv((char **) argv, child_setup, NULL, &r);
        assert_int_equal(r.status, 125);
        if (strncmp(r.err, want, strlen(want)))
                fail_msg("stderr: %s\nwanted at its start: %s", r.err, want);
        assert_false(file_exists(f->marker));
        run_result_free(&r);
        free(want);
        free(arg);
        free(policy);
}

/* A policy whose lowering needs libseccomp's slow native merge is refused
 * at launch, at the rule, before anything starts;
 * `sealrun compile` still takes it (test_compile_time). */
static void policy_too_slow_to_compile_at_launch_is_refused(void **state) {
        expect_policy_refused_at_launch(*state,
                                        "read: arg0 != 3 && arg1 >= 8\nread: arg2 == 1; return EPERM\n", NULL,
                                        true, ":1:7: error: too many comparisons to compile at launch");
}

/* Lowered to 248 EQ/MASKED_EQ rules, which libseccomp 2.5.4 merges for
 * minutes: the launch-time compile stops at its CPU limit, names the
 * syscall, exits 125, and nothing starts. */
static void policy_libseccomp_cannot_merge_is_cut_off_at_launch(void **state) {
        expect_policy_refused_at_launch(
                *state, "read: arg0 > 0xff || arg1 == 0xff\nread: arg2 >= 0x100000001; return 13\n", NULL,
                true,
                ":1:7: error: compiling the rules for 'read' did not finish within the "
                "CPU time limit (2 s)");
}

static void one_process_only(void *userdata) {
        (void) userdata;
        /* Under ASan, LeakSanitizer checks at exit from a thread of its
         * own, which this limit forbids: it would abort sealrun after the
         * error this test wants. */
        const char *asan = getenv("ASAN_OPTIONS");
        char options[512];
        snprintf(options, sizeof(options), "%s%sdetect_leaks=0", asan ? asan : "", asan && *asan ? ":" : "");
        setenv("ASAN_OPTIONS", options, 1);
        struct rlimit one = {1, 1};
        if (setrlimit(RLIMIT_NPROC, &one) < 0)
                _exit(97);
}

/* Compiling at launch forks (compile_child.h); when it cannot, the error
 * says why and what to do instead, and nothing starts. */
static void policy_compile_without_fork_is_a_clear_error(void **state) {
        if (is_root()) {
                printf("SKIP: RLIMIT_NPROC does not bind root; runs as the unprivileged user\n");
                skip();
        }
        expect_policy_refused_at_launch(
                *state, "read: 1\n", one_process_only, false,
                "sealrun: seccomp policy: cannot fork the child that compiles it "
                "(RLIMIT_NPROC?): Resource temporarily unavailable; precompile it with "
                "'sealrun compile'");
}

static void status_on_fd7(void *userdata) {
        int fd = open(userdata, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || dup2(fd, 7) < 0)
                _exit(97);
}

/* A sealed program of `size` bytes starting with `head`, the rest random,
 * run under a policy that allows only read and exit_group (so any write to
 * stderr after the filter is loaded would be killed), --status-fd 7. */
static void run_sealed_garbage(struct fixture *f, const char *head, size_t size, struct run_result *r,
                               char **ret_status) {
        char *bytes = calloc(1, size + 1);
        int rnd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        assert_int_equal(read(rnd, bytes, size), (ssize_t) size);
        close(rnd);
        memcpy(bytes, head, strlen(head));
        if (!*head && (bytes[0] == '#' || bytes[0] == '\177'))
                bytes[0] = 0; /* neither "#!" nor ELF by chance */
        char *prog = path_in(f->dir, "garbage");
        int fd = open(prog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
        assert_int_equal(write(fd, bytes, size), (ssize_t) size);
        close(fd);
        char *text;
        assert_true(asprintf(&text,
                             "program %s\nexec sealed\nseccomp default kill-process\n[seccomp]\n"
                             "{read, exit_group}: 1\n",
                             prog) > 0);
        char *wl = write_file(f->dir, "garbage.workload", text, 0644);
        char *status = path_in(f->dir, "status.json");
        char *argv[] = {(char *) sealrun_path(), "run", "--status-fd=7", wl, NULL};
        run_argv(argv, status_on_fd7, status, r);
        char *cat[] = {"/bin/cat", status, NULL};
        struct run_result c;
        run_argv(cat, NULL, NULL, &c);
        *ret_status = c.out;
        c.out = NULL;
        run_result_free(&c);
        free(status);
        free(wl);
        free(text);
        free(prog);
        free(bytes);
}

/* Refused in prepare, before the filter could forbid saying why. */
static void sealed_random_bytes_is_126_before_anything_starts(void **state) {
        struct run_result r;
        char *status;
        run_sealed_garbage(*state, "", 100, &r, &status);
        printf("# status: %s", status);
        assert_int_equal(r.status, 126);
        assert_non_null(strstr(r.err, "is not an executable format (neither ELF nor a #! script)"));
        assert_int_equal(count_lines(r.err), 1);
        assert_null(strstr(status, "\"event\":\"exec\""));
        assert_non_null(strstr(status, "{\"event\":\"error\",\"stage\":\"prepare\","));
        assert_non_null(strstr(status, "\"exit\":126}"));
        run_result_free(&r);
        free(status);
}

/* ELF magic, garbage after: the exec itself fails under the filter.  The
 * policy kills write, so the launcher reports only on the status fd (its
 * write rule) and exits 126 instead of dying of SIGSYS. */
static void failed_exec_under_a_filter_that_kills_write_exits_126(void **state) {
#ifdef __SANITIZE_ADDRESS__
        printf("SKIP: sealrun is built with ASan, whose runtime cannot run under a deny-all filter\n");
        skip();
#endif
        struct run_result r;
        char *status;
        run_sealed_garbage(*state, "\177ELF", 100, &r, &status);
        printf("# status: %s", status);
        assert_int_equal(r.signal, 0);
        assert_int_equal(r.status, 126);
        assert_non_null(strstr(status, "{\"event\":\"exec\","));
        assert_non_null(strstr(status, "{\"event\":\"error\",\"stage\":\"exec\","));
        assert_non_null(strstr(status, "\"exit\":126}"));
        run_result_free(&r);
        free(status);
}

static const char *find_tool(const char *const *candidates) {
        for (size_t i = 0; candidates[i]; i++)
                if (access(candidates[i], X_OK) == 0)
                        return candidates[i];
        return NULL;
}

/* A copy of sealrun with file capabilities in dir, or NULL (why printed). */
static char *file_caps_copy(const char *dir, const char *setcap) {
        char *copy = path_in(dir, "sealrun-fcaps");
        char *cp[] = {"/bin/cp", (char *) sealrun_path(), copy, NULL};
        char *sc[] = {(char *) setcap, "cap_dac_override+ep", copy, NULL};
        struct run_result r;
        run_argv(cp, NULL, NULL, &r);
        bool ok = r.status == 0;
        run_result_free(&r);
        if (ok) {
                run_argv(sc, NULL, NULL, &r);
                ok = r.status == 0;
                if (!ok)
                        printf("# setcap in %s: %s", dir, r.err);
                run_result_free(&r);
        }
        if (!ok) {
                unlink(copy);
                free(copy);
                return NULL;
        }
        return copy;
}

/* File capabilities raise no id, yet would give the target (run by
 * nobody) cap_dac_override: AT_SECURE catches them. */
static void file_capability_copy_refuses_to_run(void **state) {
        struct fixture *f = *state;
        if (!is_root()) {
                printf("SKIP: setting file capabilities on a copy of sealrun needs root\n");
                skip();
        }
        const char *setcap = find_tool((const char *const[]){"/usr/sbin/setcap", "/sbin/setcap", NULL});
        const char *setpriv = find_tool((const char *const[]){"/usr/bin/setpriv", "/bin/setpriv", NULL});
        if (!setcap || !setpriv) {
                printf("SKIP: setcap (libcap2-bin) or setpriv (util-linux) is not installed\n");
                skip();
        }
        assert_int_equal(chmod(f->dir, 01777), 0); /* the target, as nobody, may write the marker */
        char *copy = file_caps_copy(f->dir, setcap);
        char *build_dir_copy = NULL;
        if (!copy) {
                build_dir_copy = strdup(build_path("tests/launcher"));
                copy = file_caps_copy(build_dir_copy, setcap);
        }
        if (!copy) {
                printf("SKIP: neither /tmp nor the build dir takes security.capability xattrs\n");
                free(build_dir_copy);
                skip();
        }
        /* Asking to keep the capability: without the check, the target
         * would run as nobody with cap_dac_override. */
        char *argv[] = {(char *) setpriv,
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        copy,
                        "exec",
                        "--cap=dac_override",
                        "--",
                        (char *) probe_path(),
                        "--marker",
                        f->marker,
                        NULL};
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        unlink(copy);
        if (strstr(r.err, "sealrun does not hold it")) {
                printf("SKIP: the file system ignores file capabilities (nosuid mount?)\n");
                run_result_free(&r);
                free(copy);
                free(build_dir_copy);
                skip();
        }
        assert_int_equal(r.status, 125);
        assert_non_null(
                strstr(r.err, "sealrun: refusing to run with elevated privileges from exec (AT_SECURE"));
        assert_int_equal(count_lines(r.err), 1);
        assert_false(file_exists(f->marker));
        run_result_free(&r);
        free(copy);
        free(build_dir_copy);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        const struct CMUnitTest tests[] = {
                T(setuid_copy_refuses_to_run),
                T(file_capability_copy_refuses_to_run),
                T(policy_too_slow_to_compile_at_launch_is_refused),
                T(policy_libseccomp_cannot_merge_is_cut_off_at_launch),
                T(policy_compile_without_fork_is_a_clear_error),
                T(sealed_random_bytes_is_126_before_anything_starts),
                T(failed_exec_under_a_filter_that_kills_write_exits_126),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
