/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

#include "cleanup.h"
#include "policy_test.h"

const char json_items[] =
        "{\"items\":[{\"name\":\"apple\",\"price\":3,\"qty\":4},"
        "{\"name\":\"pear\",\"price\":1,\"qty\":10},{\"name\":\"fig\",\"price\":5,\"qty\":2}]}\n";
const char table_data[] = "apple 3 4\npear 1 10\nfig 5 2\n";
/* _socket, not socket: importing socket already dies (selectors probes
 * epoll), and the point is socket() itself. */
const char python_socket_script[] = "import _socket\nprint('imported', flush=True)\n"
                                    "_socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)\n"
                                    "print('escaped')\n";

const char jq_totals_program[] =
        "[.items[] | select(.price > 2) | {name, total: (.price * .qty)}]"
        " | sort_by(.total) | reverse | map(\"\\(.name)=\\(.total)\") | join(\",\")\n";
const char python_totals_script[] = "import sys, json, collections\n"
                                    "data = json.load(open(sys.argv[1]))\n"
                                    "totals = collections.Counter()\n"
                                    "for item in data['items']:\n"
                                    "    totals[item['name']] += item['price'] * item['qty']\n"
                                    "for name, total in sorted(totals.items()):\n"
                                    "    print(f'{name}\\t{total}')\n";
const char sqlite_totals_sql[] =
        "SELECT name, price*qty AS total FROM t WHERE price > 2 ORDER BY total DESC;\n"
        "UPDATE t SET qty = qty + 1;\n"
        "SELECT sum(qty) FROM t;\n";

char *env_path(const char *var, const char *fallback, const char *suffix) {
        const char *base = getenv(var);
        char *p;
        assert_true(asprintf(&p, "%s/%s", base ? base : fallback, suffix) > 0);
        return p;
}

int policy_test_setup(void **state) {
        struct policy_test *t = calloc(1, sizeof(*t));
        assert_non_null(t);
        t->dir = strdup("/tmp/sealrun-policy-XXXXXX");
        assert_non_null(t->dir);
        assert_non_null(mkdtemp(t->dir));
        /* The programs run as whoever runs the suite; nobody must be able
         * to write its own outputs (and must find none of root's). */
        assert_int_equal(chmod(t->dir, 0755), 0);
        assert_true(asprintf(&t->bpf, "%s/filter.bpf", t->dir) > 0);
        t->sealrun = env_path("SEALRUN_BUILD_DIR", ".", "launcher/sealrun");
        t->runner = env_path("SEALRUN_BUILD_DIR", ".", "tests/policies/run_with_filter");
        t->probe = env_path("SEALRUN_BUILD_DIR", ".", "tests/policies/forbidden_probe");
        t->policies = env_path("SEALRUN_SOURCE_DIR", "..", "policies");
        *state = t;
        return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        return remove(path) < 0 ? -1 : 0;
}

int policy_test_teardown(void **state) {
        struct policy_test *t = *state;
        if (!t)
                return 0;
        (void) nftw(t->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(t->dir);
        free(t->bpf);
        free(t->sealrun);
        free(t->runner);
        free(t->probe);
        free(t->policies);
        free(t);
        return 0;
}

char *path_in(struct policy_test *t, const char *name) {
        char *p;
        assert_true(asprintf(&p, "%s/%s", t->dir, name) > 0);
        return p;
}

char *write_input(struct policy_test *t, const char *name, const void *content, size_t size) {
        char *p = path_in(t, name);
        _cleanup_close_ int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, content, size), (ssize_t) size);
        return p;
}

char *write_text(struct policy_test *t, const char *name, const char *text) {
        return write_input(t, name, text, strlen(text));
}

static char *slurp_fd(int fd) {
        size_t size = 0, cap = 4096;
        char *buf = malloc(cap);
        assert_non_null(buf);
        assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
        for (;;) {
                if (size + 1 >= cap) {
                        cap *= 2;
                        buf = realloc(buf, cap);
                        assert_non_null(buf);
                }
                ssize_t n = read(fd, buf + size, cap - size - 1);
                assert_true(n >= 0);
                if (n == 0)
                        break;
                size += (size_t) n;
        }
        buf[size] = 0;
        return buf;
}

/* Output goes to unlinked temp files rather than pipes: no deadlock on a
 * large output, and no reader process to manage. */
void run_capture(char *const argv[], const char *cwd, struct run_result *ret) {
        _cleanup_close_ int out = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        _cleanup_close_ int err = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        assert_true(out >= 0 && err >= 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                int null = open("/dev/null", O_RDONLY);
                if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
                        _exit(120);
                if (cwd && chdir(cwd) < 0)
                        _exit(121);
                execv(argv[0], argv);
                _exit(122);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        ret->status = status;
        ret->out = slurp_fd(out);
        ret->err = slurp_fd(err);
}

void run_result_free(struct run_result *r) {
        free(r->out);
        free(r->err);
        r->out = r->err = NULL;
}

bool need_sealrun(struct policy_test *t) {
        if (access(t->sealrun, X_OK) == 0)
                return true;
        printf("SKIP: %s is not built\n", t->sealrun);
        return false;
}

char *installed(struct policy_test *t, const char *file) {
        char *p;
        assert_true(asprintf(&p, "%s/%s", t->policies, file) > 0);
        return p;
}

char *input_arg(const char *name, const char *path) {
        char *a;
        assert_true(asprintf(&a, "%s=%s", name, path) > 0);
        return a;
}

bool need_program(const char *path) {
        if (access(path, X_OK) == 0)
                return true;
        printf("SKIP: %s is not installed (scripts/debian-packages lists its package)\n", path);
        return false;
}

bool compile_policy(struct policy_test *t, const char *policy) {
        if (access(t->sealrun, X_OK) < 0) {
                printf("SKIP: %s is not built\n", t->sealrun);
                return false;
        }
        char *argv[] = {t->sealrun, (char *) "compile", (char *) policy, (char *) "-o", t->bpf, NULL};
        struct run_result r;
        run_capture(argv, NULL, &r);
        if (exited_with(r.status, 125) && strstr(r.err, "not implemented")) {
                printf("SKIP: 'sealrun compile' is not implemented yet\n");
                run_result_free(&r);
                return false;
        }
        if (!exited_with(r.status, 0))
                fprintf(stderr, "sealrun compile %s failed:\n%s", policy, r.err);
        assert_true(exited_with(r.status, 0));
        assert_true(file_exists(t->bpf));
        run_result_free(&r);
        return true;
}

const char *describe_status(int status, char buf[static 32]) {
        if (WIFEXITED(status))
                snprintf(buf, 32, "exit %d", WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
                snprintf(buf, 32, "signal %d", WTERMSIG(status));
        else
                snprintf(buf, 32, "status 0x%x", (unsigned) status);
        return buf;
}

bool killed_by_sigsys(int status) {
        return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS;
}

bool exited_with(int status, int code) {
        return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

bool file_exists(const char *path) {
        struct stat st;
        return lstat(path, &st) == 0;
}

void assert_output(const struct run_result *r, int code, const char *expected) {
        char buf[32];
        if (!exited_with(r->status, code) || strcmp(r->out, expected))
                fprintf(stderr, "status %s, stdout:\n%s\nstderr:\n%s\n", describe_status(r->status, buf),
                        r->out, r->err);
        assert_true(exited_with(r->status, code));
        assert_string_equal(r->out, expected);
}

void assert_sigsys(const struct run_result *r) {
        char buf[32];
        if (!killed_by_sigsys(r->status))
                fprintf(stderr, "expected SIGSYS, got %s; stdout:\n%s\nstderr:\n%s\n",
                        describe_status(r->status, buf), r->out, r->err);
        assert_true(killed_by_sigsys(r->status));
}

void assert_no_file_written(struct run_result *r, const char *target) {
        assert_sigsys(r);
        assert_false(file_exists(target));
        run_result_free(r);
}

void assert_killed_before_writing(struct run_result *r, const char *target) {
        assert_sigsys(r);
        assert_string_equal(r->out, "start\n");
        assert_false(file_exists(target));
        run_result_free(r);
}

char *make_database(struct policy_test *t) {
        char *db = path_in(t, "data.db");
        char *argv[] = {SQLITE3, db,
                        "CREATE TABLE t(name TEXT, price INT, qty INT);"
                        "INSERT INTO t VALUES ('apple',3,4),('pear',1,10),('fig',5,2);",
                        NULL};
        struct run_result r;
        run_capture(argv, t->dir, &r);
        assert_true(exited_with(r.status, 0));
        run_result_free(&r);
        return db;
}

bool dir_is_empty(const char *path) {
        char *argv[] = {"/usr/bin/find", (char *) path, "-mindepth", "1", NULL};
        struct run_result r;
        run_capture(argv, NULL, &r);
        bool empty = exited_with(r.status, 0) && r.out[0] == 0;
        if (!empty)
                fprintf(stderr, "%s holds:\n%s", path, r.out);
        run_result_free(&r);
        return empty;
}

char *sha256_of(const char *path) {
        char *argv[] = {SHA256SUM, (char *) path, NULL};
        struct run_result r;
        run_capture(argv, NULL, &r);
        assert_true(exited_with(r.status, 0));
        assert_true(strlen(r.out) > 64);
        char *hex = strndup(r.out, 64);
        run_result_free(&r);
        return hex;
}
