/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the seccomp tests: policies from memory, errors checked by
 * place and text, filters compiled and run through the BPF evaluator. */
#ifndef SEALRUN_TEST_SECCOMP_HELPERS_H
#define SEALRUN_TEST_SECCOMP_HELPERS_H

#include <stdbool.h>
#include <stdint.h>

#include "syscall_policy_libseccomp.h"

/* The policy under test is read as TEST_POLICY_PATH. */
#define TEST_POLICY_PATH "/policies/test.policy"

struct memfile {
        const char *path;
        const char *text;
};

/* opts.read_file over a {NULL}-terminated array of struct memfile. */
int memfile_read(void *userdata, const char *path, char **ret_text, size_t *ret_len);

/* Parses text (plus files) with opts (may be NULL: defaults). */
int parse_policy(const char *text, const struct memfile *files, const struct syscall_policy_options *opts,
                 struct syscall_policy **ret, struct diag *d);

/* Asserts that parsing fails with an error at FILE:line:col (file NULL: the
 * test policy) whose message contains `message`. */
void expect_error_in(const char *text, const struct memfile *files, const struct syscall_policy_options *opts,
                     const char *file, unsigned line, unsigned col, const char *message);
#define expect_error(text, line, col, message) expect_error_in(text, NULL, NULL, NULL, line, col, message)

/* Asserts the text parses without errors; returns the policy. */
struct syscall_policy *expect_parses(const char *text, const struct memfile *files,
                                     const struct syscall_policy_options *opts);

/* Compiles and exports; asserts success. Caller frees *ret_prog. */
void compile_to_bpf(const struct syscall_policy *p, void **ret_prog, size_t *ret_n);

/* Runs the filter for the native arch. */
uint32_t run_filter(const void *prog, size_t n, int nr, const uint64_t args[6]);
uint32_t run_filter_arch(const void *prog, size_t n, uint32_t arch, int nr, const uint64_t args[6]);

/* Parse, compile and run in one go: the SECCOMP_RET_* value. */
uint32_t eval_text(const char *text, const char *syscall, const uint64_t args[6]);
#define ARGS(...) ((const uint64_t[6]){__VA_ARGS__})

int syscall_nr(const char *name);

/* Runs body in a forked child (then _exit(0)); its wait status. */
int run_child(void (*body)(void));

/* Asserts that both the parsed policy (syscall_policy_decide) and its
 * compiled BPF give `expected` (an SCMP_ACT_* value) for this call. */
void expect_action(const char *text, const char *syscall, const uint64_t args[6], uint32_t expected);
void expect_action_opts(const char *text, const struct syscall_policy_options *opts, const char *syscall,
                        const uint64_t args[6], uint32_t expected);

#define ALLOW SCMP_ACT_ALLOW
#define KILL SCMP_ACT_KILL_PROCESS
#endif
