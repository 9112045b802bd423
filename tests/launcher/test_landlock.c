/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Landlock and the user switch through the real sealrun, each claim shown
 * by an attack that fails: the shipped python3 workload cannot read a
 * planted file or /etc/hostname; a python job under the same rules and no
 * seccomp filter at all (so socket, connect and kill are allowed) cannot
 * create or write files, connect to a local TCP listener or signal outside
 * its domain; each right granted works and not granted is denied (busybox,
 * static, from its sealed copy); fail closed vs best effort with the ABI
 * capped (sealrun-abi-cap, the test build of launcher/landlock_abi.c); the
 * user switch as root and its refusal as nobody; bad input.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define BUSYBOX "/bin/busybox"
#define PYTHON "/usr/bin/python3"

struct fixture {
        char *dir;
        pid_t child; /* a process outside the sandbox, killed in teardown */
};

static int kernel_abi(void) {
        return (int) syscall(444 /* landlock_create_ruleset */, NULL, 0, 1U);
}

static int setup(void **state) {
        struct fixture *f = calloc(1, sizeof(*f));
        f->dir = tmpdir_new();
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fixture *f = *state;
        if (f->child > 0) {
                kill(f->child, SIGKILL);
                waitpid(f->child, NULL, 0);
        }
        tmpdir_remove(f->dir);
        free(f);
        return 0;
}

static void need_landlock(int abi) {
        if (kernel_abi() < abi) {
                printf("SKIP: the kernel's Landlock ABI is %d, the test needs %d\n", kernel_abi(), abi);
                skip();
        }
}

static void need(const char *path) {
        if (access(path, X_OK) < 0) {
                printf("SKIP: %s is not installed\n", path);
                skip();
        }
}

static char *abi_cap_path(void) {
        return strdup(build_path("tests/launcher/sealrun-abi-cap"));
}

/* `BIN exec OPTS... -- CMD...`, each list NULL-terminated. */
static void run_exec(const char *bin, child_setup_fn fn, void *ud, const char *const *opts,
                     const char *const *cmd, struct run_result *r) {
        char *argv[64] = {(char *) bin, "exec"};
        size_t n = 2;
        for (size_t i = 0; opts[i]; i++)
                argv[n++] = (char *) opts[i];
        argv[n++] = "--";
        for (size_t i = 0; cmd[i]; i++)
                argv[n++] = (char *) cmd[i];
        argv[n] = NULL;
        run_argv(argv, fn, ud, r);
}

/* busybox sh -c SCRIPT from its sealed copy under the given options. */
static void run_busybox_sh(const char *const *opts, const char *script, struct run_result *r) {
        const char *all[32] = {"--sealed"};
        size_t n = 1;
        for (size_t i = 0; opts[i]; i++)
                all[n++] = opts[i];
        all[n] = NULL;
        run_exec(sealrun_path(), NULL, NULL, all, (const char *[]){BUSYBOX, "sh", "-c", script, NULL}, r);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
        va_list ap;
        char *s;
        va_start(ap, f);
        assert_true(vasprintf(&s, f, ap) > 0);
        va_end(ap);
        return s;
}

/* The landlock lines of the shipped python3 workload (its runtime). */
static char *python_landlock_lines(void) {
        char *path = fmt("%s/policies/python3.workload", getenv("SEALRUN_SOURCE_DIR"));
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        char line[1024], *out = strdup("");
        while (fgets(line, sizeof(line), f))
                if (!strncmp(line, "landlock ", 9)) {
                        char *joined = fmt("%s%s", out, line);
                        free(out);
                        out = joined;
                }
        fclose(f);
        free(path);
        return out;
}

/* A python job under python3.workload's Landlock rules plus extra, with
 * a seccomp filter that allows every syscall: only Landlock stands in the
 * way.  Its stdout is returned in r. */
static void run_python(struct fixture *f, const char *extra, const char *script, const char *arg,
                       struct run_result *r) {
        char *rules = python_landlock_lines();
        char *scope = strstr(rules, "landlock scope");
        if (scope && strstr(extra, "landlock scope")) /* the extra one replaces it */
                memmove(scope, strchr(scope, '\n') + 1, strlen(strchr(scope, '\n') + 1) + 1);
        char *text = fmt("program " PYTHON "\nargv " PYTHON " -I -S -B @script%s%s\ninput script\n%s%s\n"
                         "seccomp default allow\n",
                         arg ? " " : "", arg ? arg : "", rules, extra);
        char *wl = write_file(f->dir, "py.workload", text, 0644);
        char *job = write_file(f->dir, "job.py", script, 0644);
        char *input = fmt("script=%s", job);
        run_workload_args(wl, (const char *[]){"--input", input, NULL}, NULL, NULL, r);
        free(rules);
        free(text);
        free(wl);
        free(job);
        free(input);
}

static const char try_open[] = "import sys\n"
                               "for p in sys.argv[1:]:\n"
                               "    try:\n"
                               "        open(p).read(); print('read')\n"
                               "    except OSError as e: print(e.strerror)\n";

static void python3_workload_cannot_read_a_planted_file_or_etc_hostname(void **state) {
        struct fixture *f = *state;
        need_landlock(6);
        need(PYTHON);
        char *secret = write_file(f->dir, "secret", "s3cret\n", 0644);
        char *job = write_file(f->dir, "job.py", try_open, 0644);
        char *data = write_file(f->dir, "data", "x\n", 0644);
        char *wl = fmt("%s/policies/python3.workload", getenv("SEALRUN_SOURCE_DIR"));
        char *in1 = fmt("script=%s", job), *in2 = fmt("data=%s", data);
        struct run_result r;
        run_workload_args(
                wl, (const char *[]){"--input", in1, "--input", in2, "--", secret, "/etc/hostname", NULL},
                NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        /* argv[1] is the sealed data (a memfd: readable), then the two paths. */
        assert_string_equal(r.out, "read\nPermission denied\nPermission denied\n");
        run_result_free(&r);
        free(secret), free(job), free(data), free(wl), free(in1), free(in2);
}

static void python_cannot_create_or_write_files(void **state) {
        struct fixture *f = *state;
        need_landlock(6);
        need(PYTHON);
        char *open_file = write_file(f->dir, "open-to-all", "x\n", 0666);
        char *script = fmt("import os\n"
                           "for p, m in (('%s/new', 'w'), ('%s', 'a'), ('%s', 'r+')):\n"
                           "    try:\n"
                           "        open(p, m).write('y'); print('wrote')\n"
                           "    except OSError as e: print(e.strerror)\n"
                           "try:\n"
                           "    os.mkdir('%s/d'); print('made')\n"
                           "except OSError as e: print(e.strerror)\n",
                           f->dir, open_file, open_file, f->dir);
        struct run_result r;
        run_python(f, "", script, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out,
                            "Permission denied\nPermission denied\nPermission denied\nPermission denied\n");
        run_result_free(&r);
        char *made = path_in(f->dir, "new");
        assert_false(file_exists(made));
        free(made), free(script), free(open_file);
}

static int tcp_listener(int *port) {
        int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        socklen_t len = sizeof(a);
        assert_int_equal(bind(s, (struct sockaddr *) &a, sizeof(a)), 0);
        assert_int_equal(listen(s, 4), 0);
        assert_int_equal(getsockname(s, (struct sockaddr *) &a, &len), 0);
        *port = ntohs(a.sin_port);
        return s;
}

static const char try_connect[] =
        "import socket, sys\n"
        "for port in sys.argv[1:]:\n"
        "    try:\n"
        "        socket.create_connection(('127.0.0.1', int(port))); print('connected')\n"
        "    except OSError as e: print(e.strerror)\n";

/* No seccomp in the way (socket and connect allowed): Landlock refuses. */
static void python_cannot_connect_to_a_local_listener_unless_the_port_is_granted(void **state) {
        struct fixture *f = *state;
        need_landlock(6);
        need(PYTHON);
        int port, other_port;
        int s = tcp_listener(&port), t = tcp_listener(&other_port);
        char *args = fmt("%d %d", port, other_port);
        struct run_result r;
        run_python(f, "", try_connect, args, &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out, "Permission denied\nPermission denied\n");
        run_result_free(&r);
        char *grant = fmt("landlock connect tcp %d\n", port);
        run_python(f, grant, try_connect, args, &r);
        assert_string_equal(r.out, "connected\nPermission denied\n");
        run_result_free(&r);
        free(grant), free(args);
        close(s), close(t);
}

static void python_binds_only_a_granted_port(void **state) {
        struct fixture *f = *state;
        need_landlock(6);
        need(PYTHON);
        const char *script = "import socket, sys\n"
                             "for port in sys.argv[1:]:\n"
                             "    s = socket.socket()\n"
                             "    try:\n"
                             "        s.bind(('127.0.0.1', int(port))); print('bound')\n"
                             "    except OSError as e: print(e.strerror)\n";
        int port, other;
        int a = tcp_listener(&port), b = tcp_listener(&other);
        close(a), close(b); /* two free port numbers */
        char *args = fmt("%d %d", port, other), *grant = fmt("landlock bind tcp %d\n", port);
        struct run_result r;
        run_python(f, grant, script, args, &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out, "bound\nPermission denied\n");
        run_result_free(&r);
        free(args), free(grant);
}

/* Signals and abstract sockets outside the domain are scoped off. */
static void python_cannot_signal_or_reach_an_abstract_socket_outside_its_domain(void **state) {
        struct fixture *f = *state;
        need_landlock(6);
        need(PYTHON);
        pid_t child = f->child = fork();
        if (child == 0) {
                pause();
                _exit(0);
        }
        int u = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        int len = snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "sealrun-test-%d", (int) getpid());
        assert_int_equal(bind(u, (struct sockaddr *) &a,
                              (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + len)),
                         0);
        assert_int_equal(listen(u, 4), 0);
        char *script = fmt("import os, signal, socket\n"
                           "try:\n"
                           "    os.kill(%d, signal.SIGTERM); print('signalled')\n"
                           "except OSError as e: print(e.strerror)\n"
                           "s = socket.socket(socket.AF_UNIX)\n"
                           "try:\n"
                           "    s.connect('\\0sealrun-test-%d'); print('connected')\n"
                           "except OSError as e: print(e.strerror)\n",
                           (int) child, (int) getpid());
        struct run_result r;
        run_python(f, "", script, NULL, &r);
        assert_string_equal(r.out, "Operation not permitted\nOperation not permitted\n");
        run_result_free(&r);
        int ws;
        assert_int_equal(waitpid(child, &ws, WNOHANG), 0); /* still alive */
        /* Both scopes off: both go through. */
        run_python(f, "landlock scope none\n", script, NULL, &r);
        assert_string_equal(r.out, "signalled\nconnected\n");
        run_result_free(&r);
        assert_int_equal(waitpid(child, &ws, 0), child);
        f->child = 0;
        assert_true(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGTERM);
        close(u);
        free(script);
}

static void python_ioctl_on_a_device_only_with_device(void **state) {
        struct fixture *f = *state;
        need_landlock(6);
        need(PYTHON);
        const char *script = "import fcntl, termios\n"
                             "fd = open('/dev/null')\n"
                             "try:\n"
                             "    fcntl.ioctl(fd, termios.TIOCGWINSZ, b'12345678'); print('done')\n"
                             "except OSError as e: print(e.strerror)\n";
        struct run_result r;
        run_python(f, "landlock read /dev/null\n", script, NULL, &r);
        assert_string_equal(r.out, "Permission denied\n");
        run_result_free(&r);
        /* Allowed by Landlock, refused by the driver: /dev/null is no tty. */
        run_python(f, "landlock read /dev/null\nlandlock device /dev/null\n", script, NULL, &r);
        assert_string_equal(r.out, "Inappropriate ioctl for device\n");
        run_result_free(&r);
}

/* Read beneath a granted directory, not beside it, not through a symlink
 * that points out of it. */
static void read_is_beneath_and_a_symlink_out_is_denied(void **state) {
        struct fixture *f = *state;
        need_landlock(1);
        need(BUSYBOX);
        char *cmd =
                fmt("mkdir -p %1$s/in/sub %1$s/out && echo deep > %1$s/in/sub/f && echo no > %1$s/out/f && "
                    "ln -s ../out/f %1$s/in/link",
                    f->dir);
        assert_int_equal(system(cmd), 0);
        char *grant = fmt("read %s/in", f->dir);
        char *script =
                fmt("cat %1$s/in/sub/f; ls %1$s/in | tr '\\n' ' '; echo; cat %1$s/out/f || echo denied; "
                    "cat %1$s/in/link || echo denied",
                    f->dir);
        struct run_result r;
        run_busybox_sh((const char *[]){"--landlock", grant, NULL}, script, &r);
        assert_string_equal(r.out, "deep\nlink sub \ndenied\ndenied\n");
        run_result_free(&r);
        free(cmd), free(grant), free(script);
}

static void write_creates_beneath_and_grants_no_read(void **state) {
        struct fixture *f = *state;
        need_landlock(3);
        need(BUSYBOX);
        char *cmd = fmt("mkdir -p %1$s/w %1$s/ro && echo old > %1$s/w/old", f->dir);
        assert_int_equal(system(cmd), 0);
        char *grant = fmt("write %s/w", f->dir);
        char *script = fmt("echo new > %1$s/w/new && echo created; : > %1$s/w/old && echo truncated; "
                           "cat %1$s/w/new || echo unreadable; echo x > %1$s/ro/f || echo denied; "
                           "rm %1$s/w/new && echo removed",
                           f->dir);
        struct run_result r;
        run_busybox_sh((const char *[]){"--landlock", grant, NULL}, script, &r);
        assert_string_equal(r.out, "created\ntruncated\nunreadable\ndenied\nremoved\n");
        run_result_free(&r);
        free(cmd), free(grant), free(script);
}

/* A hard link across directories needs refer: write on both. */
static void link_across_directories_needs_write_on_both(void **state) {
        struct fixture *f = *state;
        need_landlock(2);
        need(BUSYBOX);
        char *cmd = fmt("mkdir -p %1$s/a %1$s/b && echo x > %1$s/a/f", f->dir);
        assert_int_equal(system(cmd), 0);
        char *a = fmt("write %s/a", f->dir), *b = fmt("write %s/b", f->dir);
        char *script = fmt("ln %1$s/a/f %1$s/b/f && echo linked || echo refused", f->dir);
        struct run_result r;
        run_busybox_sh((const char *[]){"--landlock", a, NULL}, script, &r);
        assert_string_equal(r.out, "refused\n");
        run_result_free(&r);
        run_busybox_sh((const char *[]){"--landlock", a, "--landlock", b, NULL}, script, &r);
        assert_string_equal(r.out, "linked\n");
        run_result_free(&r);
        free(cmd), free(a), free(b), free(script);
}

static void exec_only_of_a_granted_program(void **state) {
        need_landlock(1);
        need(BUSYBOX);
        const char *script = BUSYBOX " true && echo ran";
        struct run_result r;
        run_busybox_sh((const char *[]){"--landlock", "read /etc/hostname", NULL}, script, &r);
        assert_string_equal(r.out, "");
        assert_non_null(strstr(r.err, "Permission denied"));
        run_result_free(&r);
        run_busybox_sh((const char *[]){"--landlock", "exec " BUSYBOX, NULL}, script, &r);
        assert_string_equal(r.out, "ran\n");
        run_result_free(&r);
}

/* The sealed binary and the sealed inputs are memfds: a ruleset that grants
 * neither /proc nor anything else still runs the sealed exec and reads the
 * input through /proc/self/fd/N. */
static void sealed_exec_and_inputs_work_under_a_ruleset_granting_nothing(void **state) {
        struct fixture *f = *state;
        need_landlock(1);
        need(BUSYBOX);
        char *data = write_file(f->dir, "data", "sealed bytes\n", 0644);
        char *in = fmt("data=%s", data);
        struct run_result r;
        run_exec(sealrun_path(), NULL, NULL,
                 (const char *[]){"--sealed", "--input", in, "--landlock", "scope signal", NULL},
                 (const char *[]){BUSYBOX, "cat", "@data", NULL}, &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out, "sealed bytes\n");
        run_result_free(&r);
        run_exec(sealrun_path(), NULL, NULL,
                 (const char *[]){"--sealed", "--input", in, "--landlock", "scope signal", NULL},
                 (const char *[]){BUSYBOX, "cat", "/proc/self/status", NULL}, &r);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "Permission denied"));
        run_result_free(&r);
        free(data), free(in);
}

static void cap_abi(void *userdata) {
        setenv("SEALRUN_TEST_LANDLOCK_ABI", userdata, 1);
}

static void fail_closed_on_a_low_abi_and_best_effort_says_what_is_left(void **state) {
        struct fixture *f = *state;
        need_landlock(4);
        need(BUSYBOX);
        char *bin = abi_cap_path();
        const char *cmd[] = {BUSYBOX, "echo", "started", NULL};
        struct run_result r;
        run_exec(bin, cap_abi, "3", (const char *[]){"--sealed", "--landlock", "connect tcp 443", NULL}, cmd,
                 &r);
        assert_int_equal(r.status, 125);
        assert_string_equal(r.out, "");
        assert_string_equal(r.err, "sealrun: landlock: the kernel offers ABI 3, the workload needs ABI 4 "
                                   "('landlock best-effort' runs with what the kernel has)\n");
        run_result_free(&r);
        run_exec(bin, cap_abi, "0", (const char *[]){"--sealed", "--landlock", "read /usr", NULL}, cmd, &r);
        assert_int_equal(r.status, 125);
        assert_non_null(strstr(r.err, "the kernel has no Landlock"));
        assert_int_equal(count_lines(r.err), 1);
        run_result_free(&r);
        /* Best effort: runs, and says ABI 3 and what it could not enforce. */
        const char *be[] = {"--sealed",  "--landlock", "connect tcp 443", "--landlock", "best-effort",
                            "--dry-run", NULL};
        run_exec(bin, cap_abi, "3", be, cmd, &r);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, "landlock:     ABI 3 (kernel 3), best-effort"));
        assert_non_null(strstr(r.out,
                               "not enforced (the kernel cannot): ioctl-dev; bind-tcp,connect-tcp; scopes "
                               "abstract-unix,signal\n"));
        run_result_free(&r);
        char *status = path_in(f->dir, "status");
        char *sh = fmt("exec 3>%s; exec \"$@\"", status);
        const char *argv[] = {"/bin/sh",
                              "-c",
                              sh,
                              "sh",
                              bin,
                              "exec",
                              "--sealed",
                              "--status-fd",
                              "3",
                              "--landlock",
                              "connect tcp 443",
                              "--landlock",
                              "best-effort",
                              "--",
                              BUSYBOX,
                              "echo",
                              "started",
                              NULL};
        run_argv((char *const *) argv, cap_abi, "3", &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out, "started\n");
        run_result_free(&r);
        int fd = open(status, O_RDONLY);
        char line[4096] = {0};
        assert_true(read(fd, line, sizeof(line) - 1) > 0);
        close(fd);
        assert_non_null(strstr(line, "\"landlock\":{\"enforced\":true,\"abi\":3,\"kernel_abi\":3,"));
        assert_non_null(strstr(line,
                               "\"not_enforced\":{\"fs\":\"ioctl-dev\",\"net\":\"bind-tcp,connect-tcp\","
                               "\"scoped\":\"abstract-unix,signal\"}"));
        /* No Landlock at all, best effort: nothing enforced, said so. */
        run_exec(bin, cap_abi, "0", (const char *[]){"--landlock", "best-effort", "--dry-run", NULL}, cmd,
                 &r);
        assert_int_equal(r.status, 0);
        assert_non_null(
                strstr(r.out, "landlock:     NOT ENFORCED: the kernel has no Landlock (best-effort)"));
        run_result_free(&r);
        free(bin), free(status), free(sh);
}

/* At ABI 1 refer cannot be granted: a link across directories is refused
 * even with write on both. */
/* Debian 12's own kernel (6.1) offers ABI 2, and no Landlock at all unless
 * booted with it in lsm=: the shipped workloads still start there (they
 * are best-effort), and say what was enforced. */
static void shipped_workloads_start_on_debian_12s_kernel(void **state) {
        struct fixture *f = *state;
        need("/usr/bin/jq");
        char *bin = abi_cap_path();
        char *wl = fmt("%s/policies/jq.workload", getenv("SEALRUN_SOURCE_DIR"));
        char *filter = write_file(f->dir, "f.jq", "add\n", 0644);
        char *data = write_file(f->dir, "d.json", "[1, 2]\n", 0644);
        char *in1 = fmt("filter=%s", filter), *in2 = fmt("data=%s", data);
        const char *abis[] = {"2", "0"};
        for (size_t i = 0; i < 2; i++) {
                char *argv[] = {bin, "run", wl, "--input", in1, "--input", in2, NULL};
                struct run_result r;
                run_argv(argv, cap_abi, (void *) abis[i], &r);
                if (r.status != 0 || strcmp(r.out, "3\n"))
                        fail_msg("at ABI %s: status %d, out '%s', err '%s'", abis[i], r.status, r.out, r.err);
                run_result_free(&r);
                char *dry[] = {bin, "run", "--dry-run", wl, "--input", in1, "--input", in2, NULL};
                run_argv(dry, cap_abi, (void *) abis[i], &r);
                assert_int_equal(r.status, 0);
                assert_non_null(strstr(
                        r.out,
                        i == 0 ? "landlock:     ABI 2 (kernel 2), best-effort"
                               : "landlock:     NOT ENFORCED: the kernel has no Landlock (best-effort)"));
                run_result_free(&r);
        }
        free(bin), free(wl), free(filter), free(data), free(in1), free(in2);
}

static void at_abi_1_links_across_directories_are_always_refused(void **state) {
        struct fixture *f = *state;
        need_landlock(2);
        need(BUSYBOX);
        char *bin = abi_cap_path();
        char *cmd = fmt("mkdir -p %1$s/a %1$s/b && echo x > %1$s/a/f", f->dir);
        assert_int_equal(system(cmd), 0);
        char *a = fmt("write %s/a %s/b", f->dir, f->dir),
             *script = fmt("ln %1$s/a/f %1$s/b/f && echo linked || echo refused", f->dir);
        struct run_result r;
        run_exec(bin, cap_abi, "1", (const char *[]){"--sealed", "--landlock", a, NULL},
                 (const char *[]){BUSYBOX, "sh", "-c", script, NULL}, &r);
        assert_string_equal(r.out, "refused\n");
        run_result_free(&r);
        free(bin), free(cmd), free(a), free(script);
}

static const char ids_script[] =
        "grep -E '^(Uid|Gid|Groups|CapEff)' /proc/self/status; echo x >> %s || echo denied";

static void as_root_the_target_has_exactly_the_asked_ids(void **state) {
        struct fixture *f = *state;
        need(BUSYBOX);
        if (!is_root()) {
                printf("SKIP: switching users needs root\n");
                skip();
        }
        char *rootfile = write_file(f->dir, "root-owned", "keep\n", 0644);
        char *script = fmt(ids_script, rootfile);
        struct run_result r;
        run_busybox_sh((const char *[]){"--user", "nobody", "--group", "65533", "--groups", "daemon,4", NULL},
                       script, &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out, "Uid:\t65534\t65534\t65534\t65534\n"
                                   "Gid:\t65533\t65533\t65533\t65533\n"
                                   "Groups:\t1 4 \n"
                                   "CapEff:\t0000000000000000\n"
                                   "denied\n");
        run_result_free(&r);
        /* A kept capability survives the switch (ambient). */
        run_busybox_sh((const char *[]){"--user", "nobody", "--cap", "net_bind_service", NULL}, script, &r);
        assert_non_null(strstr(r.out, "Uid:\t65534\t65534\t65534\t65534\nGid:\t65534\t65534\t65534\t65534\n"
                                      "Groups:\t \nCapEff:\t0000000000000400\n"));
        run_result_free(&r);
        int fd = open(rootfile, O_RDONLY);
        char buf[16] = {0};
        assert_int_equal(read(fd, buf, sizeof(buf)), 5);
        assert_string_equal(buf, "keep\n");
        close(fd);
        free(rootfile), free(script);
}

static void as_nobody_a_switch_is_refused_cleanly(void **state) {
        struct fixture *f = *state;
        need(BUSYBOX);
        if (is_root()) {
                printf("SKIP: runs as the unprivileged user (root may switch)\n");
                skip();
        }
        char *marker = path_in(f->dir, "started");
        char *script = fmt("touch %s", marker);
        struct run_result r;
        run_busybox_sh((const char *[]){"--user", "root", NULL}, script, &r);
        assert_int_equal(r.status, 125);
        assert_int_equal(count_lines(r.err), 1);
        assert_non_null(strstr(r.err, "sealrun: user 'root': switching to uid 0, gid 0"));
        assert_non_null(strstr(r.err, "needs root"));
        assert_false(file_exists(marker));
        run_result_free(&r);
        free(marker), free(script);
}

/* Each mistake: `check` names file:line:col, `run` one line and 125. */
static void bad_input_is_named_by_check_and_refused_by_run(void **state) {
        struct fixture *f = *state;
        need_landlock(1);
        char *fifo = path_in(f->dir, "fifo");
        assert_int_equal(mkfifo(fifo, 0644), 0);
        struct {
                const char *line, *check, *run;
        } cases[] = {
                {"landlock read /no/such/path", ":2:15: error: landlock read '/no/such/path': No such file",
                 "sealrun: landlock read /no/such/path: No such file or directory\n"},
                {"landlock write FIFO",
                 ":2:16: error: landlock write 'FIFO': is a FIFO: expected a directory",
                 "sealrun: landlock write FIFO: is a FIFO: expected a directory, a regular file or a "
                 "device\n"},
                {"landlock sing /usr", ":2:10: error: expected read, exec, write, device, connect, bind",
                 NULL},
                {"landlock bind tcp 70000", ":2:19: error: expected a port from 0 to 65535, found '70000'",
                 NULL},
                {"user no-such-user-x", ":2:6: error: 'no-such-user-x': no such user",
                 "sealrun: user 'no-such-user-x': no such user\n"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char *line = strdup(cases[i].line), *at = strstr(line, "FIFO");
                char *real = at ? fmt("%.*s%s", (int) (at - line), line, fifo) : strdup(line);
                char *text = fmt("program /bin/true\n%s\n", real);
                char *wl = write_file(f->dir, "bad.workload", text, 0644);
                struct run_result r;
                run_argv((char *[]){(char *) sealrun_path(), "check", wl, NULL}, NULL, NULL, &r);
                assert_int_equal(r.status, 1);
                char *check = at ? fmt("%s", cases[i].check) : strdup(cases[i].check);
                if (at) { /* the FIFO's path stands where FIFO is */
                        char *p = strstr(check, "FIFO");
                        char *fixed = fmt("%.*s%s%s", (int) (p - check), check, fifo, p + 4);
                        free(check);
                        check = fixed;
                }
                if (!strstr(r.err, check))
                        fail_msg("check: expected '%s' in '%s'", check, r.err);
                run_result_free(&r);
                run_workload_args(wl, NULL, NULL, NULL, &r);
                assert_int_equal(r.status, 125);
                if (cases[i].run) {
                        char *expect = strdup(cases[i].run);
                        char *p = strstr(expect, "FIFO");
                        if (p) {
                                char *fixed = fmt("%.*s%s%s", (int) (p - expect), expect, fifo, p + 4);
                                free(expect);
                                expect = fixed;
                        }
                        assert_string_equal(r.err, expect);
                        free(expect);
                } else
                        assert_true(strstr(r.err, check + 1) != NULL);
                run_result_free(&r);
                free(line), free(real), free(text), free(wl), free(check);
        }
        free(fifo);
}

/* Kept capabilities mean root starts it; without `user` it runs as root. */
static void check_warns_about_capabilities_kept_without_a_user(void **state) {
        struct fixture *f = *state;
        char *wl = write_file(f->dir, "caps.workload",
                              "program /bin/true\ncapability keep net_bind_service\n", 0644);
        struct run_result r;
        run_argv((char *[]){(char *) sealrun_path(), "check", wl, NULL}, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.err, "warning: keeps capabilities but has no 'user' line: it runs as root"));
        run_result_free(&r);
        char *with_user =
                write_file(f->dir, "caps-user.workload",
                           "program /bin/true\ncapability keep net_bind_service\nuser nobody\n", 0644);
        run_argv((char *[]){(char *) sealrun_path(), "check", with_user, NULL}, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.err, "");
        run_result_free(&r);
        free(wl), free(with_user);
}

int main(void) {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
        const struct CMUnitTest tests[] = {
                T(python3_workload_cannot_read_a_planted_file_or_etc_hostname),
                T(python_cannot_create_or_write_files),
                T(python_cannot_connect_to_a_local_listener_unless_the_port_is_granted),
                T(python_binds_only_a_granted_port),
                T(python_cannot_signal_or_reach_an_abstract_socket_outside_its_domain),
                T(python_ioctl_on_a_device_only_with_device),
                T(read_is_beneath_and_a_symlink_out_is_denied),
                T(write_creates_beneath_and_grants_no_read),
                T(link_across_directories_needs_write_on_both),
                T(exec_only_of_a_granted_program),
                T(sealed_exec_and_inputs_work_under_a_ruleset_granting_nothing),
                T(fail_closed_on_a_low_abi_and_best_effort_says_what_is_left),
                T(shipped_workloads_start_on_debian_12s_kernel),
                T(at_abi_1_links_across_directories_are_always_refused),
                T(as_root_the_target_has_exactly_the_asked_ids),
                T(as_nobody_a_switch_is_refused_cleanly),
                T(bad_input_is_named_by_check_and_refused_by_run),
                T(check_warns_about_capabilities_kept_without_a_user),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
