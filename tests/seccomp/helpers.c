/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/audit.h>

#include "bpf_eval.h"
#include "helpers.h"

int memfile_read(void *userdata, const char *path, char **ret_text, size_t *ret_len) {
        const struct memfile *files = userdata;
        for (size_t i = 0; files && files[i].path; i++)
                if (!strcmp(files[i].path, path)) {
                        *ret_text = strdup(files[i].text);
                        if (!*ret_text)
                                return -ENOMEM;
                        *ret_len = strlen(files[i].text);
                        return 0;
                }
        return -ENOENT;
}

int parse_policy(const char *text, const struct memfile *files, const struct syscall_policy_options *opts,
                 struct syscall_policy **ret, struct diag *d) {
        struct memfile all[16] = {{TEST_POLICY_PATH, text}};
        for (size_t i = 0; files && files[i].path && i + 2 < 16; i++)
                all[i + 1] = files[i];
        struct syscall_policy_options o = opts ? *opts : (struct syscall_policy_options){};
        o.read_file = memfile_read;
        o.read_file_userdata = all;
        int r = syscall_policy_new(&o, ret);
        assert_int_equal(r, 0);
        return syscall_policy_parse_file(*ret, TEST_POLICY_PATH, d);
}

void expect_error_in(const char *text, const struct memfile *files, const struct syscall_policy_options *opts,
                     const char *file, unsigned line, unsigned col, const char *message) {
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        int r = parse_policy(text, files, opts, &p, &d);
        if (r == 0) {
                /* Some errors (lowering limits) only show when compiling. */
                scmp_filter_ctx ctx = NULL;
                r = syscall_policy_compile(p, &ctx, &d);
                if (ctx)
                        seccomp_release(ctx);
        }
        diag_print(&d, stdout);
        assert_int_equal(r, -EINVAL);
        assert_true(d.n_errors >= 1);
        const struct diag_entry *e = NULL;
        for (size_t i = 0; i < d.n_entries && !e; i++)
                if (d.entries[i].severity == DIAG_ERROR)
                        e = &d.entries[i];
        assert_non_null(e);
        assert_string_equal(e->file, file ? file : TEST_POLICY_PATH);
        assert_int_equal(e->line, line);
        assert_int_equal(e->col, col);
        if (!strstr(e->message, message))
                fail_msg("message '%s' lacks '%s'", e->message, message);
        syscall_policy_free(p);
        diag_clear(&d);
}

struct syscall_policy *expect_parses(const char *text, const struct memfile *files,
                                     const struct syscall_policy_options *opts) {
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        int r = parse_policy(text, files, opts, &p, &d);
        diag_print(&d, stdout);
        assert_int_equal(r, 0);
        assert_int_equal(d.n_errors, 0);
        diag_clear(&d);
        return p;
}

void compile_to_bpf(const struct syscall_policy *p, void **ret_prog, size_t *ret_n) {
        /* The verified program sealrun loads (with @unknown-syscalls'
         * instructions in front when the policy has the directive). */
        struct diag d = DIAG_INIT;
        struct sock_filter *prog = NULL;
        int r = syscall_policy_compile_program(p, &prog, ret_n, NULL, &d);
        diag_print(&d, stdout);
        assert_int_equal(r, 0);
        *ret_prog = prog;
        diag_clear(&d);
}

uint32_t run_filter_arch(const void *prog, size_t n, uint32_t arch, int nr, const uint64_t args[6]) {
        struct seccomp_data data = {.nr = nr, .arch = arch};
        memcpy(data.args, args, sizeof(data.args));
        uint32_t ret = bpf_eval(prog, n, &data);
        assert_int_not_equal(ret, BPF_EVAL_INVALID);
        return ret;
}

uint32_t run_filter(const void *prog, size_t n, int nr, const uint64_t args[6]) {
#if defined(__x86_64__)
        uint32_t arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
        uint32_t arch = AUDIT_ARCH_AARCH64;
#else
#error "tests need the audit arch of this machine"
#endif
        return run_filter_arch(prog, n, arch, nr, args);
}

int run_child(void (*body)(void)) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                body();
                _exit(0);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        return status;
}

int syscall_nr(const char *name) {
        int nr = seccomp_syscall_resolve_name(name);
        assert_true(nr >= 0);
        return nr;
}

uint32_t eval_text(const char *text, const char *syscall, const uint64_t args[6]) {
        struct syscall_policy *p = expect_parses(text, NULL, NULL);
        void *prog = NULL;
        size_t n = 0;
        compile_to_bpf(p, &prog, &n);
        uint32_t ret = run_filter(prog, n, syscall_nr(syscall), args);
        free(prog);
        syscall_policy_free(p);
        return ret;
}

void expect_action_opts(const char *text, const struct syscall_policy_options *opts, const char *syscall,
                        const uint64_t args[6], uint32_t expected) {
        struct syscall_policy *p = expect_parses(text, NULL, opts);
        int nr = syscall_nr(syscall);
        /* The parsed rules' own meaning ... */
        uint32_t decided = policy_action_to_scmp(syscall_policy_decide(p, nr, args));
        if (decided != expected)
                fail_msg("%s(%#llx, %#llx, ...): the policy decides %#x, expected %#x", syscall,
                         (unsigned long long) args[0], (unsigned long long) args[1], decided, expected);
        /* ... and the compiled filter's. */
        void *prog = NULL;
        size_t n = 0;
        compile_to_bpf(p, &prog, &n);
        uint32_t ran = run_filter(prog, n, nr, args);
        if (ran != expected)
                fail_msg("%s(%#llx, %#llx, ...): the BPF returns %#x, expected %#x", syscall,
                         (unsigned long long) args[0], (unsigned long long) args[1], ran, expected);
        free(prog);
        syscall_policy_free(p);
}

void expect_action(const char *text, const char *syscall, const uint64_t args[6], uint32_t expected) {
        expect_action_opts(text, NULL, syscall, args, expected);
}
