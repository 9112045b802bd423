/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every invariant of DESIGN.md, checked through the probe as the target of
 * the real sealrun binary. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

struct fixture {
        char *dir;
        char *marker;
        char *data_path;
        char *config_path;
};

static int setup(void **state) {
        struct fixture *f = calloc(1, sizeof(*f));
        f->dir = tmpdir_new();
        f->marker = path_in(f->dir, "started");
        f->data_path = write_file(f->dir, "data.txt", "hello sealed world\n", 0644);
        f->config_path = write_file(f->dir, "config.txt", "key=value\n", 0644);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fixture *f = *state;
        tmpdir_remove(f->dir);
        free(f->marker);
        free(f->data_path);
        free(f->config_path);
        free(f);
        return 0;
}

/* A workload running the probe with the given extra lines. */
static char *probe_workload(struct fixture *f, const char *extra) {
        char *text;
        if (asprintf(&text, "program %s\nargv probe --marker %s\n%s", probe_path(), f->marker, extra) < 0)
                abort();
        char *p = write_file(f->dir, "probe.workload", text, 0644);
        free(text);
        return p;
}

static void run_probe(struct fixture *f, const char *extra, const char *const *args, child_setup_fn s,
                      void *ud, struct run_result *r) {
        char *wl = probe_workload(f, extra);
        unlink(f->marker);
        run_workload_args(wl, args, s, ud, r);
        free(wl);
}

/* run_probe with the fixture's data file given as input "data". */
static void run_probe_with_data(struct fixture *f, const char *extra, child_setup_fn s, void *ud,
                                struct run_result *r) {
        char in[600];
        snprintf(in, sizeof(in), "--input=data=%s", f->data_path);
        const char *args[] = {in, NULL};
        run_probe(f, extra, args, s, ud, r);
}

static void assert_fd_sealed(const char *out, int fd, long size) {
        char key[32], want[256];
        snprintf(key, sizeof(key), "fd %d", fd);
        /* Find this fd's line. */
        char *v = NULL;
        for (const char *p = out; p && *p;) {
                if (!strncmp(p, key, strlen(key)) && p[strlen(key)] == ' ') {
                        v = strndup(p, strcspn(p, "\n"));
                        break;
                }
                const char *eol = strchr(p, '\n');
                p = eol ? eol + 1 : NULL;
        }
        assert_non_null(v);
        snprintf(want, sizeof(want),
                 "fd %d type reg memfd 1 seals write,shrink,grow,seal%s offset 0 size %ld cloexec 0", fd,
                 kernel_has_seal_exec() ? ",exec" : "", size);
        assert_string_equal(v, want);
        free(v);
        static const char *const routes[] = {"write",     "pwrite",     "ftruncate", "grow",
                                             "fallocate", "mmap_write", "add_seals"};
        for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
                snprintf(want, sizeof(want), "test %d %s EPERM", fd, routes[i]);
                assert_true(report_has_line(out, want));
        }
        if (kernel_has_seal_exec()) {
                snprintf(want, sizeof(want), "test %d fchmod_x EPERM", fd);
                assert_true(report_has_line(out, want));
        }
}

static void every_input_is_a_sealed_memfd_at_its_fd(void **state) {
        struct fixture *f = *state;
        char extra[512], in1[600], in2[600];
        snprintf(
                extra, sizeof(extra),
                "input data fd=3\ninput config fd=7 max=1K\nargv probe --marker %s --test-fd 3 --test-fd 7\n",
                f->marker);
        /* argv is set twice otherwise: write the workload by hand. */
        char *text;
        assert_true(asprintf(&text, "program %s\n%s", probe_path(), extra) > 0);
        char *wl = write_file(f->dir, "w.workload", text, 0644);
        snprintf(in1, sizeof(in1), "--input=data=%s", f->data_path);
        snprintf(in2, sizeof(in2), "--input=config=%s", f->config_path);
        char *argv[] = {(char *) sealrun_path(), "run", wl, in1, in2, NULL};
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_fd_sealed(r.out, 3, 19);
        assert_fd_sealed(r.out, 7, 10);
        assert_true(report_has_line(r.out, "test 3 head 68656c6c6f207365616c656420776f72"));
        run_result_free(&r);
        free(wl);
        free(text);
}

struct extra_fds {
        bool no_proc;
};

/* Leave fds open in sealrun: a plain one at 5, one above 1023, a pipe at 9. */
static void open_extra_fds(void *userdata) {
        struct extra_fds *x = userdata;
        int fd = open("/dev/null", O_RDONLY);
        dup2(fd, 5);
        dup2(fd, 1500);
        int p[2];
        if (pipe(p) == 0)
                dup2(p[0], 9);
        if (x && x->no_proc) {
                /* A private mount namespace with /proc hidden under an empty
                 * tmpfs; without root, inside a new user namespace. */
                if (unshare(is_root() ? CLONE_NEWNS : CLONE_NEWUSER | CLONE_NEWNS) < 0 ||
                    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
                    mount("tmpfs", "/proc", "tmpfs", 0, "size=4k") < 0)
                        _exit(99);
        }
}

static void assert_exactly_fds(const char *out, const int *want, size_t n_want) {
        int fds[64];
        size_t n = report_fds(out, fds, 64);
        for (size_t i = 0; i < n; i++)
                printf("# target fd %d\n", fds[i]);
        assert_int_equal(n, n_want);
        for (size_t i = 0; i < n; i++)
                assert_int_equal(fds[i], want[i]);
}

static void exactly_the_promised_fds_are_open(void **state) {
        struct fixture *f = *state;
        struct run_result r;
        run_probe_with_data(f, "input data fd=4\n", open_extra_fds, NULL, &r);
        assert_int_equal(r.status, 0);
        const int want[] = {0, 1, 2, 4};
        assert_exactly_fds(r.out, want, 4);
        run_result_free(&r);
}

static void exactly_the_promised_fds_without_proc(void **state) {
        struct fixture *f = *state;
        struct extra_fds x = {.no_proc = true};
        struct run_result r;
        run_probe_with_data(f, "input data fd=4\nexec sealed\n", open_extra_fds, &x, &r);
        if (r.status == 99) {
                printf("SKIP: cannot hide /proc: no mount namespace (unprivileged user namespaces "
                       "disabled?)\n");
                run_result_free(&r);
                skip();
        }
        assert_int_equal(r.status, 0);
        assert_null(strstr(r.out, "memfd 1")); /* proof that /proc really was hidden */
        const int want[] = {0, 1, 2, 4};
        assert_exactly_fds(r.out, want, 4);
        run_result_free(&r);
}

static void sealed_exec_leaves_no_extra_fd(void **state) {
        struct fixture *f = *state;
        struct run_result r;
        run_probe(f, "exec sealed\n", NULL, open_extra_fds, NULL, &r);
        assert_int_equal(r.status, 0);
        const int want[] = {0, 1, 2};
        assert_exactly_fds(r.out, want, 3);
        char *exe = report_value(r.out, "exe");
        assert_non_null(exe);
        assert_true(!strncmp(exe, "/memfd:probe", 12));
        free(exe);
        run_result_free(&r);
}

static void no_new_privs_is_set(void **state) {
        struct fixture *f = *state;
        struct run_result r;
        run_probe(f, "", NULL, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, "no_new_privs 1"));
        run_result_free(&r);
}

static char *own_bounding_set(void) {
        unsigned long long bnd = 0;
        for (int c = 0; c < 64; c++)
                if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
                        bnd |= 1ULL << c;
        char *s;
        if (asprintf(&s, "cap_bnd 0x%llx", bnd) < 0)
                abort();
        return s;
}

static void capabilities_all_dropped(void **state) {
        struct fixture *f = *state;
        struct run_result r;
        run_probe(f, "", NULL, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, "cap_eff 0x0"));
        assert_true(report_has_line(r.out, "cap_prm 0x0"));
        assert_true(report_has_line(r.out, "cap_inh 0x0"));
        assert_true(report_has_line(r.out, "cap_amb 0x0"));
        if (is_root())
                assert_true(report_has_line(r.out, "cap_bnd 0x0"));
        else {
                /* Without CAP_SETPCAP the bounding set cannot shrink; it is
                 * inherited unchanged and inert under no_new_privs. */
                char *own = own_bounding_set();
                assert_true(report_has_line(r.out, own));
                free(own);
        }
        run_result_free(&r);
}

static void capabilities_keep_net_raw_only(void **state) {
        struct fixture *f = *state;
        struct run_result r;
        run_probe(f, "capability keep net_raw\n", NULL, NULL, NULL, &r);
        if (!is_root()) {
                /* Not held, so it cannot be kept: a clear error, nothing started. */
                assert_int_equal(r.status, 125);
                assert_non_null(strstr(r.err, "sealrun: capability cap_net_raw: sealrun does not hold it"));
                assert_int_equal(count_lines(r.err), 1);
                assert_false(file_exists(f->marker));
                run_result_free(&r);
                return;
        }
        assert_int_equal(r.status, 0);
        const char *want[] = {"cap_eff 0x2000", "cap_prm 0x2000", "cap_inh 0x2000", "cap_amb 0x2000",
                              "cap_bnd 0x2000"};
        for (size_t i = 0; i < 5; i++)
                assert_true(report_has_line(r.out, want[i]));
        run_result_free(&r);
}

static void block_and_ignore_signals(void *userdata) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        sigaddset(&set, SIGTERM);
        sigprocmask(SIG_BLOCK, &set, NULL);
        signal(SIGUSR2, SIG_IGN);
        signal(SIGPIPE, SIG_IGN);
        /* glibc's own signals, which its sigaction() refuses to touch, and
         * the last one: an ignored signal survives exec. */
        static const unsigned long ign[4] = {(unsigned long) SIG_IGN};
        for (int sig = 32; sig <= 64; sig += sig == 33 ? 31 : 1)
                (void) syscall(SYS_rt_sigaction, sig, ign, NULL, 8);
}

static void signals_are_unblocked_and_default(void **state) {
        struct fixture *f = *state;
        struct run_result r;
        run_probe(f, "", NULL, block_and_ignore_signals, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, "sigmask 0x0"));
        assert_true(report_has_line(r.out, "sigignored 0x0"));
        assert_true(report_has_line(r.out, "sighandled 0x0"));
        run_result_free(&r);
}

static void environment_cwd_and_rlimits_are_exactly_as_asked(void **state) {
        struct fixture *f = *state;
        struct run_result r;
        setenv("SEALRUN_TEST_KEEP", "kept value", 1);
        setenv("SEALRUN_TEST_DROP", "dropped", 1);
        run_probe(f,
                  "env set LANG=C.UTF-8\nenv keep SEALRUN_TEST_KEEP\nenv keep SEALRUN_TEST_UNSET\ncwd /\n"
                  "rlimit nofile 64\nrlimit core 0\nrlimit fsize 1M:2M\n",
                  NULL, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, "env LANG=C.UTF-8"));
        assert_true(report_has_line(r.out, "env SEALRUN_TEST_KEEP=kept value"));
        assert_null(strstr(r.out, "SEALRUN_TEST_DROP"));
        assert_null(strstr(r.out, "SEALRUN_TEST_UNSET"));
        assert_null(strstr(r.out, "env PATH="));
        assert_true(report_has_line(r.out, "cwd /"));
        assert_true(report_has_line(r.out, "rlimit nofile 64 64"));
        assert_true(report_has_line(r.out, "rlimit core 0 0"));
        assert_true(report_has_line(r.out, "rlimit fsize 1048576 2097152"));
        run_result_free(&r);
}

static void dry_run_starts_nothing_and_its_json_parses(void **state) {
        struct fixture *f = *state;
        char in[600];
        snprintf(in, sizeof(in), "--input=data=%s", f->data_path);
        char *wl = probe_workload(
                f, "input data fd=3 max=64K\nexec sealed\nenv set A=\"quoted\\\"x\"\n"
                   "rlimit as unlimited\n[seccomp]\n@default kill-process\nread: 1\nwrite: 1\n");
        char *argv[] = {(char *) sealrun_path(), "run", "--dry-run", "--json", wl, in, NULL};
        struct run_result r;
        unlink(f->marker);
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_false(file_exists(f->marker));
        char *json = write_file(f->dir, "plan.json", r.out, 0644);
        char *py[] = {
                "/usr/bin/python3", "-c",
                "import json,sys; d=json.load(open(sys.argv[1])); "
                "assert d['exec']=='sealed'; assert d['inputs'][0]['fd']==3; "
                "assert d['inputs'][0]['max_size']==65536; assert d['env']==['A=quoted\"x']; "
                "assert d['seccomp']['default_action']=='kill-process'; "
                "assert d['seccomp']['bpf_instructions']>0; assert d['rlimits']['as']['soft']=='unlimited'; "
                "assert d['binary_fd']==d['rlimits']['nofile']['hard']; print('ok')",
                json, NULL};
        struct run_result p;
        run_argv(py, NULL, NULL, &p);
        assert_int_equal(p.status, 0);
        assert_string_equal(p.out, "ok\n");
        run_result_free(&p);
        run_result_free(&r);

        char *text_argv[] = {(char *) sealrun_path(), "run", "--dry-run", wl, in, NULL};
        run_argv(text_argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_false(file_exists(f->marker));
        assert_non_null(strstr(r.out, "fd 3"));
        assert_non_null(strstr(r.out, "max 64 KiB"));
        assert_non_null(strstr(r.out, "default kill-process"));
        run_result_free(&r);
        free(json);
        free(wl);
}

static char *sha256_of(const char *path) {
        char *argv[] = {"/usr/bin/sha256sum", (char *) path, NULL};
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        char *hex = strndup(r.out, 64);
        run_result_free(&r);
        return hex;
}

static void sealed_exec_runs_the_pinned_copy_and_ignores_disk_changes(void **state) {
        struct fixture *f = *state;
        /* A private copy of the probe, so the test may overwrite it. */
        char *copy = path_in(f->dir, "probe-copy");
        char *cp[] = {"/bin/cp", (char *) probe_path(), copy, NULL};
        struct run_result r;
        run_argv(cp, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        run_result_free(&r);
        char *hex = sha256_of(copy);
        char *text;
        assert_true(asprintf(&text,
                             "program %s\nexec sealed sha256=%s\nargv probe --marker %s --clobber %s\n", copy,
                             hex, f->marker, copy) > 0);
        char *wl = write_file(f->dir, "pinned.workload", text, 0644);
        char *argv[] = {(char *) sealrun_path(), "run", wl, NULL};
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        /* The file on disk was not busy (ETXTBSY): what ran was the memfd. */
        assert_true(report_has_line(r.out, "clobber ok"));
        assert_true(report_has_line(r.out, "done 1"));
        run_result_free(&r);
        /* The disk copy changed after the launcher read it: the pin no longer matches. */
        unlink(f->marker);
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 125);
        assert_non_null(strstr(r.err, "SHA-256 mismatch: expected "));
        assert_non_null(strstr(r.err, hex));
        assert_int_equal(count_lines(r.err), 1);
        assert_false(file_exists(f->marker));
        run_result_free(&r);
        free(wl);
        free(text);
        free(hex);
        free(copy);
}

static void sealed_binary_fd_cannot_be_reused_by_the_target(void **state) {
        struct fixture *f = *state;
        /* Ask the plan where the sealed binary's fd goes. */
        char *wl = probe_workload(f, "exec sealed\n");
        char *dry[] = {(char *) sealrun_path(), "run", "--dry-run", "--json", wl, NULL};
        struct run_result r;
        run_argv(dry, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        char *p = strstr(r.out, "\"binary_fd\":");
        assert_non_null(p);
        int binfd = atoi(p + 12);
        assert_true(binfd > 2);
        run_result_free(&r);
        free(wl);

        char extra[4096];
        snprintf(extra, sizeof(extra),
                 "exec sealed\nargv probe --guard-fd %d\n[seccomp]\n@default return EPERM\n%s", binfd,
                 probe_policy_allow());
        char *text;
        assert_true(asprintf(&text, "program %s\n%s", probe_path(), extra) > 0);
        wl = write_file(f->dir, "guard.workload", text, 0644);
        char *argv[] = {(char *) sealrun_path(), "run", wl, NULL};
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, "guard dup2 EBADF"));
        assert_true(report_has_line(r.out, "guard dupfd EINVAL"));
        assert_true(report_has_line(r.out, "guard setrlimit EPERM"));
        /* The launcher's rule admits execveat on that number only with
         * the launcher's own pointers, not the target's: the policy decides. */
        assert_true(report_has_line(r.out, "guard execveat EPERM"));
        run_result_free(&r);
        free(wl);
        free(text);
}

static void the_target_cannot_execveat_any_other_fd(void **state) {
        struct fixture *f = *state;
        char *text;
        assert_true(asprintf(&text,
                             "program %s\nexec sealed\nargv probe --execveat-other\n[seccomp]\n@default "
                             "kill-process\n%s",
                             probe_path(), probe_policy_allow()) > 0);
        struct run_result r;
        run_workload_text(f->dir, "other.workload", text, &r);
        assert_int_equal(r.signal, SIGSYS);
        assert_true(report_has_line(r.out, "started 1"));
        assert_null(strstr(r.out, "execveat other"));
        run_result_free(&r);
        free(text);
}

static void sealed_exec_refuses_keeping_cap_sys_resource(void **state) {
        struct fixture *f = *state;
        struct run_result r;
        run_probe(f, "exec sealed\ncapability keep sys_resource\n", NULL, NULL, NULL, &r);
        assert_int_equal(r.status, 125);
        assert_non_null(strstr(r.err, "cannot keep cap_sys_resource"));
        assert_false(file_exists(f->marker));
        run_result_free(&r);
}

static void status_fd_reports_exec_then_eof(void **state) {
        struct fixture *f = *state;
        int status[2], in[2];
        assert_int_equal(pipe2(status, O_CLOEXEC), 0);
        assert_int_equal(pipe2(in, O_CLOEXEC), 0);
        char fdarg[32];
        snprintf(fdarg, sizeof(fdarg), "--status-fd=%d", status[1]);
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
                /* stdin: a pipe the target waits on, so EOF on the status
                 * pipe can only come from close-on-exec, not from exiting. */
                dup2(in[0], 0);
                fcntl(status[1], F_SETFD, 0);
                execl(sealrun_path(), "sealrun", "exec", fdarg, "--", "/bin/sh", "-c", "read x; echo got $x",
                      (char *) NULL);
                _exit(127);
        }
        close(status[1]);
        close(in[0]);
        char buf[4096] = "";
        size_t len = 0;
        for (;;) {
                struct pollfd pfd = {status[0], POLLIN, 0};
                assert_int_equal(poll(&pfd, 1, 30000), 1); /* a hang here: the status fd leaked */
                ssize_t n = read(status[0], buf + len, sizeof(buf) - 1 - len);
                assert_true(n >= 0);
                if (n == 0)
                        break;
                len += (size_t) n;
        }
        buf[len] = '\0';
        printf("# status: %s", buf);
        assert_int_equal(count_lines(buf), 1);
        assert_non_null(strstr(buf, "{\"event\":\"exec\",\"pid\":"));
        char pidstr[32];
        snprintf(pidstr, sizeof(pidstr), "\"pid\":%d,", (int) pid);
        assert_non_null(strstr(buf, pidstr));
        assert_int_equal(write(in[1], "x\n", 2), 2);
        close(in[1]);
        int ws;
        waitpid(pid, &ws, 0);
        assert_true(WIFEXITED(ws));
        assert_int_equal(WEXITSTATUS(ws), 0);
        close(status[0]);
        (void) f;
}

static void status_fd_reports_a_failed_exec(void **state) {
        struct fixture *f = *state;
        /* A #! script whose interpreter is missing: only execve finds out
         * (ENOENT; a file no format takes is refused at prepare now). */
        char *bogus = write_file(f->dir, "bogus", "#!/nonexistent/interpreter\n", 0755);
        char *status_path = path_in(f->dir, "status.json");
        char fdarg[32];
        snprintf(fdarg, sizeof(fdarg), "--status-fd=7");
        pid_t pid = fork();
        if (pid == 0) {
                int fd = open(status_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
                dup2(fd, 7);
                int null = open("/dev/null", O_WRONLY);
                dup2(null, 2);
                execl(sealrun_path(), "sealrun", "exec", fdarg, "--", bogus, (char *) NULL);
                _exit(127);
        }
        int ws;
        waitpid(pid, &ws, 0);
        assert_true(WIFEXITED(ws));
        assert_int_equal(WEXITSTATUS(ws), 127);
        struct run_result r;
        char *cat[] = {"/bin/cat", status_path, NULL};
        run_argv(cat, NULL, NULL, &r);
        printf("# status: %s", r.out);
        assert_int_equal(count_lines(r.out), 2);
        assert_non_null(strstr(r.out, "{\"event\":\"exec\","));
        char *second = strchr(r.out, '\n') + 1;
        assert_true(!strncmp(second, "{\"event\":\"error\",\"stage\":\"exec\",", 32));
        assert_non_null(strstr(second, "\"errno\":2,"));
        assert_non_null(strstr(second, "\"exit\":127}"));
        run_result_free(&r);
        free(bogus);
        free(status_path);
}

static void status_fd_reports_a_prepare_error(void **state) {
        struct fixture *f = *state;
        char *status_path = path_in(f->dir, "status2.json");
        pid_t pid = fork();
        if (pid == 0) {
                int fd = open(status_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
                dup2(fd, 8);
                int null = open("/dev/null", O_WRONLY);
                dup2(null, 2);
                execl(sealrun_path(), "sealrun", "exec", "--status-fd", "8", "--input", "config=/etc", "--",
                      "/bin/true", (char *) NULL);
                _exit(127);
        }
        int ws;
        waitpid(pid, &ws, 0);
        assert_int_equal(WEXITSTATUS(ws), 125);
        struct run_result r;
        char *cat[] = {"/bin/cat", status_path, NULL};
        run_argv(cat, NULL, NULL, &r);
        assert_string_equal(r.out,
                            "{\"event\":\"error\",\"stage\":\"prepare\",\"thing\":\"input 'config' (/etc)\","
                            "\"errno\":21,\"message\":\"is a directory\",\"exit\":125}\n");
        run_result_free(&r);
        free(status_path);
}

static void lower_soft_nofile(void *userdata) {
        struct rlimit rl;
        getrlimit(RLIMIT_NOFILE, &rl);
        rl.rlim_cur = 256;
        setrlimit(RLIMIT_NOFILE, &rl);
}

static void input_above_the_soft_fd_limit_is_placed(void **state) {
        struct fixture *f = *state;
        struct rlimit rl;
        getrlimit(RLIMIT_NOFILE, &rl);
        if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 2000) {
                printf("SKIP: the hard RLIMIT_NOFILE (%llu) is below the fd this test needs\n",
                       (unsigned long long) rl.rlim_max);
                skip();
        }
        struct run_result r;
        /* sealrun starts with a soft limit of 256 and must raise it for fd 1500. */
        run_probe_with_data(f, "input data fd=1500\n", lower_soft_nofile, NULL, &r);
        assert_int_equal(r.status, 0);
        const int want[] = {0, 1, 2, 1500};
        assert_exactly_fds(r.out, want, 4);
        run_result_free(&r);
        /* Above the hard limit: one clear line, nothing started. */
        run_probe_with_data(f, "input data fd=1048575\n", NULL, NULL, &r);
        assert_int_equal(r.status, 125);
        assert_non_null(strstr(r.err, "sealrun: input 'data' (fd 1048575): "));
        assert_non_null(strstr(r.err, "hard limit on open files ("));
        assert_int_equal(count_lines(r.err), 1);
        assert_false(file_exists(f->marker));
        run_result_free(&r);
}

/* fd 6: a pipe whose reader is already gone. */
static void status_pipe_without_reader(void *userdata) {
        int p[2];
        if (pipe(p) == 0) {
                close(p[0]);
                dup2(p[1], 6);
        }
}

static void a_closed_status_pipe_does_not_kill_sealrun(void **state) {
        struct fixture *f = *state;
        struct run_result r;
        /* A failure to report: still 125 and one line, not death by SIGPIPE. */
        char *bad[] = {(char *) sealrun_path(), "exec", "--status-fd=6", "--input=x=/nonexistent", "--",
                       (char *) probe_path(),   NULL};
        run_argv(bad, status_pipe_without_reader, NULL, &r);
        assert_int_equal(r.status, 125);
        assert_int_equal(count_lines(r.err), 1);
        run_result_free(&r);
        /* And a run whose exec line goes nowhere still runs the target. */
        char *good[] = {(char *) sealrun_path(), "exec", "--status-fd=6", "--", (char *) probe_path(), NULL};
        run_argv(good, status_pipe_without_reader, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, "started 1"));
        assert_true(report_has_line(r.out, "sigmask 0x0")); /* the guard left no SIGPIPE blocked */
        run_result_free(&r);
        (void) f;
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(every_input_is_a_sealed_memfd_at_its_fd, setup, teardown),
                cmocka_unit_test_setup_teardown(exactly_the_promised_fds_are_open, setup, teardown),
                cmocka_unit_test_setup_teardown(exactly_the_promised_fds_without_proc, setup, teardown),
                cmocka_unit_test_setup_teardown(input_above_the_soft_fd_limit_is_placed, setup, teardown),
                cmocka_unit_test_setup_teardown(sealed_exec_leaves_no_extra_fd, setup, teardown),
                cmocka_unit_test_setup_teardown(no_new_privs_is_set, setup, teardown),
                cmocka_unit_test_setup_teardown(capabilities_all_dropped, setup, teardown),
                cmocka_unit_test_setup_teardown(capabilities_keep_net_raw_only, setup, teardown),
                cmocka_unit_test_setup_teardown(signals_are_unblocked_and_default, setup, teardown),
                cmocka_unit_test_setup_teardown(environment_cwd_and_rlimits_are_exactly_as_asked, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(dry_run_starts_nothing_and_its_json_parses, setup, teardown),
                cmocka_unit_test_setup_teardown(sealed_exec_runs_the_pinned_copy_and_ignores_disk_changes,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(sealed_binary_fd_cannot_be_reused_by_the_target, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(the_target_cannot_execveat_any_other_fd, setup, teardown),
                cmocka_unit_test_setup_teardown(sealed_exec_refuses_keeping_cap_sys_resource, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(status_fd_reports_exec_then_eof, setup, teardown),
                cmocka_unit_test_setup_teardown(status_fd_reports_a_failed_exec, setup, teardown),
                cmocka_unit_test_setup_teardown(status_fd_reports_a_prepare_error, setup, teardown),
                cmocka_unit_test_setup_teardown(a_closed_status_pipe_does_not_kill_sealrun, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
