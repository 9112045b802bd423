/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers for the launcher integration tests: run the real sealrun binary
 * with captured stdout/stderr, temp dirs, and reading the probe's report. */
#ifndef SEALRUN_TEST_HARNESS_H
#define SEALRUN_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct run_result {
        int status; /* exit code, or 128 + signal */
        int signal; /* the terminating signal, 0 when it exited */
        char *out;
        char *err;
};

/* Runs in the child just before exec (fds opened here are inherited). */
typedef void (*child_setup_fn)(void *userdata);

const char *sealrun_path(void);
const char *probe_path(void);
const char *build_path(const char *rel); /* SEALRUN_BUILD_DIR/rel, static buffer per call site not kept */

/* A fresh mkdtemp directory under /tmp, world-accessible; removed with rm -rf. */
char *tmpdir_new(void);
void tmpdir_remove(char *dir);
/* cmocka setup/teardown for tests that need only a fresh temp dir:
 * *state is a struct tmpdir_fixture. */
struct tmpdir_fixture {
        char *dir;
};
int tmpdir_fixture_setup(void **state);
int tmpdir_fixture_teardown(void **state);

/* dir/name with contents; returns the malloc'ed path. */
char *write_file(const char *dir, const char *name, const char *contents, unsigned mode);
char *path_in(const char *dir, const char *name);
bool file_exists(const char *path);

/* Run argv (NULL-terminated), stdin from /dev/null unless setup changes it. */
void run_argv(char *const argv[], child_setup_fn setup, void *userdata, struct run_result *ret);
void run_result_free(struct run_result *r);
/* `sealrun run WORKLOAD ARGS...`; args NULL-terminated, or NULL for none. */
void run_workload_args(const char *workload, const char *const *args, child_setup_fn setup, void *userdata,
                       struct run_result *ret);
/* Writes text to dir/name and runs it with `sealrun run`. */
void run_workload_text(const char *dir, const char *name, const char *text, struct run_result *ret);

/* The probe report: the value after "key " on the first line starting with
 * it (malloc'ed), or NULL. */
char *report_value(const char *out, const char *key);
bool report_has_line(const char *out, const char *line);
/* Number of lines in s. */
size_t count_lines(const char *s);
/* The fd numbers the probe listed, ascending, into fds; returns the count. */
size_t report_fds(const char *out, int *fds, size_t max);

/* `sealrun compile --default-action ACTION` of policy_text, written to
 * dir/policy_name, into dir/bpf_name; asserts success; returns the .bpf path. */
char *compile_policy(const char *dir, const char *policy_name, const char *policy_text,
                     const char *default_action, const char *bpf_name);
/* The SHA-256 of the file at path, in lowercase hex. */
void file_sha256_hex(const char *path, char ret[65]);

/* `sh -c SCRIPT` in dir, with $S the sealrun binary (absolute, after
 * export_sealrun_path()), so limits set by the script bind sealrun alone. */
void run_sh(const char *dir, const char *script, struct run_result *ret);
int export_sealrun_path(void);
/* Asserts the status and that stderr is one line containing want. */
void expect_one_stderr_line(const struct run_result *r, int status, const char *want);

/* Every line of FILE is JSON, read as strict UTF-8; prints "valid N". */
#define CHECK_JSON                                                                                           \
        "python3 -c 'import json,sys\n"                                                                      \
        "n=0\n"                                                                                              \
        "for l in open(sys.argv[1],\"rb\"): json.loads(l.decode(\"utf-8\")); n+=1\n"                         \
        "print(\"valid\", n)' "

bool is_root(void);
/* Whether the running kernel has F_SEAL_EXEC (6.3+). */
bool kernel_has_seal_exec(void);
/* A seccomp policy that allows what the probe, sh and the dynamic loader need. */
const char *probe_policy_allow(void);

#endif
