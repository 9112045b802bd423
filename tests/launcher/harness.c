/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sealfd.h"

static const char *build_dir(void) {
        const char *d = getenv("SEALRUN_BUILD_DIR");
        return d ? d : ".";
}

const char *build_path(const char *rel) {
        static char buf[8][4096];
        static unsigned next;
        char *b = buf[next++ % 8];
        snprintf(b, 4096, "%s/%s", build_dir(), rel);
        return b;
}

const char *sealrun_path(void) {
        return build_path("launcher/sealrun");
}

const char *probe_path(void) {
        return build_path("tests/launcher/probe");
}

char *tmpdir_new(void) {
        char *dir = strdup("/tmp/sealrun-test-XXXXXX");
        if (!dir || !mkdtemp(dir))
                abort();
        chmod(dir, 0755);
        return dir;
}

void tmpdir_remove(char *dir) {
        if (!dir)
                return;
        pid_t pid = fork();
        if (pid == 0) {
                execlp("rm", "rm", "-rf", "--", dir, (char *) NULL);
                _exit(127);
        }
        waitpid(pid, NULL, 0);
        free(dir);
}

int tmpdir_fixture_setup(void **state) {
        struct tmpdir_fixture *f = calloc(1, sizeof(*f));
        f->dir = tmpdir_new();
        *state = f;
        return 0;
}

int tmpdir_fixture_teardown(void **state) {
        struct tmpdir_fixture *f = *state;
        tmpdir_remove(f->dir);
        free(f);
        return 0;
}

char *path_in(const char *dir, const char *name) {
        char *p;
        if (asprintf(&p, "%s/%s", dir, name) < 0)
                abort();
        return p;
}

char *write_file(const char *dir, const char *name, const char *contents, unsigned mode) {
        char *p = path_in(dir, name);
        int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        if (fd < 0)
                abort();
        size_t len = strlen(contents);
        if (write(fd, contents, len) != (ssize_t) len)
                abort();
        close(fd);
        chmod(p, mode);
        return p;
}

bool file_exists(const char *path) {
        return access(path, F_OK) == 0;
}

static char *slurp(int fd) {
        size_t cap = 4096, len = 0;
        char *buf = malloc(cap);
        lseek(fd, 0, SEEK_SET);
        for (;;) {
                if (len + 1 >= cap)
                        buf = realloc(buf, cap *= 2);
                ssize_t n = read(fd, buf + len, cap - len - 1);
                if (n <= 0)
                        break;
                len += (size_t) n;
        }
        buf[len] = '\0';
        return buf;
}

void run_argv(char *const argv[], child_setup_fn setup, void *userdata, struct run_result *ret) {
        char out_tmpl[] = "/tmp/sealrun-out-XXXXXX", err_tmpl[] = "/tmp/sealrun-err-XXXXXX";
        int out = mkstemp(out_tmpl), err = mkstemp(err_tmpl);
        if (out < 0 || err < 0)
                abort();
        unlink(out_tmpl);
        unlink(err_tmpl);
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0)
                abort();
        if (pid == 0) {
                int null = open("/dev/null", O_RDONLY);
                dup2(null, 0);
                dup2(out, 1);
                dup2(err, 2);
                close(null);
                close(out);
                close(err);
                if (setup)
                        setup(userdata);
                execv(argv[0], argv);
                _exit(127);
        }
        int ws = 0;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
                ;
        *ret = (struct run_result){0};
        if (WIFSIGNALED(ws)) {
                ret->signal = WTERMSIG(ws);
                ret->status = 128 + ret->signal;
        } else
                ret->status = WEXITSTATUS(ws);
        ret->out = slurp(out);
        ret->err = slurp(err);
        close(out);
        close(err);
        /* Shown on failure by ctest --output-on-failure. */
        printf("# ran:");
        for (size_t i = 0; argv[i]; i++)
                printf(" %s", argv[i]);
        printf("\n# status %d\n", ret->status);
        if (*ret->err)
                printf("# stderr: %s%s", ret->err, ret->err[strlen(ret->err) - 1] == '\n' ? "" : "\n");
}

void run_workload_args(const char *workload, const char *const *args, child_setup_fn setup, void *userdata,
                       struct run_result *ret) {
        char *argv[32] = {(char *) sealrun_path(), "run", (char *) workload};
        size_t n = 3;
        for (size_t i = 0; args && args[i]; i++) {
                if (n + 1 >= sizeof(argv) / sizeof(argv[0]))
                        abort();
                argv[n++] = (char *) args[i];
        }
        argv[n] = NULL;
        run_argv(argv, setup, userdata, ret);
}

void run_workload_text(const char *dir, const char *name, const char *text, struct run_result *ret) {
        char *wl = write_file(dir, name, text, 0644);
        run_workload_args(wl, NULL, NULL, NULL, ret);
        free(wl);
}

void run_result_free(struct run_result *r) {
        free(r->out);
        free(r->err);
        *r = (struct run_result){0};
}

char *report_value(const char *out, const char *key) {
        size_t klen = strlen(key);
        for (const char *p = out; p && *p;) {
                const char *eol = strchr(p, '\n');
                size_t len = eol ? (size_t) (eol - p) : strlen(p);
                if (len > klen && !strncmp(p, key, klen) && p[klen] == ' ')
                        return strndup(p + klen + 1, len - klen - 1);
                p = eol ? eol + 1 : NULL;
        }
        return NULL;
}

bool report_has_line(const char *out, const char *line) {
        size_t l = strlen(line);
        for (const char *p = out; p && *p;) {
                const char *eol = strchr(p, '\n');
                size_t len = eol ? (size_t) (eol - p) : strlen(p);
                if (len == l && !strncmp(p, line, l))
                        return true;
                p = eol ? eol + 1 : NULL;
        }
        return false;
}

size_t count_lines(const char *s) {
        size_t n = 0;
        for (; s && *s; s++)
                n += *s == '\n';
        return n;
}

size_t report_fds(const char *out, int *fds, size_t max) {
        size_t n = 0;
        for (const char *p = out; p && *p && n < max;) {
                int fd;
                if (sscanf(p, "fd %d ", &fd) == 1 && !strncmp(p, "fd ", 3))
                        fds[n++] = fd;
                const char *eol = strchr(p, '\n');
                p = eol ? eol + 1 : NULL;
        }
        return n;
}

char *compile_policy(const char *dir, const char *policy_name, const char *policy_text,
                     const char *default_action, const char *bpf_name) {
        char *policy = write_file(dir, policy_name, policy_text, 0644);
        char *bpf = path_in(dir, bpf_name);
        char *argv[] = {(char *) sealrun_path(),
                        "compile",
                        "--default-action",
                        (char *) default_action,
                        policy,
                        "-o",
                        bpf,
                        NULL};
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        run_result_free(&r);
        free(policy);
        return bpf;
}

void file_sha256_hex(const char *path, char ret[65]) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        uint8_t d[SEALFD_SHA256_SIZE];
        assert_int_equal(sealfd_digest_sha256(fd, d), 0);
        close(fd);
        for (size_t i = 0; i < sizeof(d); i++)
                snprintf(ret + 2 * i, 3, "%02x", d[i]);
}

bool is_root(void) {
        return geteuid() == 0;
}

bool kernel_has_seal_exec(void) {
        return sealfd_supports(SEALFD_FEATURE_SEAL_EXEC) > 0;
}

const char *probe_policy_allow(void) {
        return "read: 1\nwrite: 1\npread64: 1\nclose: 1\nfstat: 1\nnewfstatat: 1\nlseek: 1\nmmap: 1\n"
               "mprotect: 1\nmunmap: 1\nbrk: 1\nrt_sigaction: 1\nrt_sigprocmask: 1\nrt_sigreturn: 1\n"
               "ioctl: 1\naccess: 1\nfaccessat: 1\nfaccessat2: 1\nexecve: 1\nexit: 1\nexit_group: 1\n"
               "fcntl: 1\ngetcwd: 1\nreadlink: 1\nreadlinkat: 1\nopenat: 1\nopen: 1\narch_prctl: 1\n"
               "set_tid_address: 1\nset_robust_list: 1\nrseq: 1\nprlimit64: 1\ngetrlimit: 1\n"
               "getrandom: 1\ncapget: 1\nprctl: 1\ngetuid: 1\ngeteuid: 1\ngetgid: 1\ngetegid: 1\n"
               "getpid: 1\ngetppid: 1\nstatfs: 1\nfstatfs: 1\nstatx: 1\nsysinfo: 1\nuname: 1\n"
               "dup2: 1\ndup3: 1\ndup: 1\nftruncate: 1\nfallocate: 1\nfchmod: 1\npwrite64: 1\n"
               "setrlimit: 1\nfutex: 1\nclone: 1\nclone3: 1\nwait4: 1\nmadvise: 1\ngetdents64: 1\n";
}

void run_sh(const char *dir, const char *script, struct run_result *ret) {
        char *full;
        if (asprintf(&full, "cd '%s' || exit 99\n%s", dir, script) < 0)
                abort();
        char *const argv[] = {"/bin/sh", "-c", full, NULL};
        run_argv(argv, NULL, NULL, ret);
        free(full);
}

int export_sealrun_path(void) {
        char *s = realpath(sealrun_path(), NULL);
        if (!s)
                return -1;
        setenv("S", s, 1);
        free(s);
        return 0;
}

void expect_one_stderr_line(const struct run_result *r, int status, const char *want) {
        if (!strstr(r->err, want) || r->status != status || count_lines(r->err) != 1)
                fail_msg("status %d (want %d), stderr:\n%s\nwant one line with '%s'", r->status, status,
                         r->err, want);
}
