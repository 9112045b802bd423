/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: arbitrary bytes as a seccomp policy.  Includes are
 * served from memory (two fixed files; anything else does not exist), and a
 * policy that parses is compiled too, so the lowering and libseccomp see
 * what the parser accepts.
 *
 * The compile runs in-process as at launch (refuse_slow_lowering): only
 * EQ/MASKED_EQ rules, and at most 24 a syscall (launch allows 256, in a
 * CPU-limited child: libseccomp's merge of those can still take minutes).
 * A policy refused that way is compiled again the way
 * `sealrun compile` does, native comparisons with libseccomp's known traps
 * avoided, in a child with a CPU limit (compile_child_run): some
 * shapes still make libseccomp 2.5.4 loop forever (test_shared_prefix.c),
 * and a hang in libseccomp is bounded there by design, not a finding.  A
 * crash in that child is one, and aborts here.  Inputs with many
 * alternatives are not compiled at all: libseccomp's merge is superlinear
 * in them, and the fuzzer is after our code, not libseccomp's speed. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compile_child.h"
#include "syscall_policy_libseccomp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libseccomp 2.5.4 loses tree nodes when it merges some rule sets
 * (allocated inside libseccomp.so, unreachable after seccomp_release; the
 * differential test meets the same).  Its leak is not the compiler's. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
        return "leak:libseccomp.so\n";
}

struct fuzz_input {
        const uint8_t *data;
        size_t size;
};

static const struct {
        const char *path;
        const char *text;
} fixed_files[] = {
        {"/fuzz/common.policy", "read: 1\nwrite: arg0 == 1 || arg0 == 2\n@include ./nested.policy\n"},
        {"/fuzz/nested.policy", "mmap: arg2 in ~PROT_EXEC\nclose: arg0 != 3; return EBADF\n"},
        {"/usr/share/policy/crosvm/common_device.policy", "futex: 1\n@include /fuzz/main.policy\n"},
};

static int fuzz_read_file(void *userdata, const char *path, char **ret_text, size_t *ret_len) {
        const struct fuzz_input *in = userdata;
        const char *text = NULL;
        size_t len = 0;
        if (!strcmp(path, "/fuzz/main.policy")) {
                text = (const char *) in->data;
                len = in->size;
        } else
                for (size_t i = 0; i < sizeof(fixed_files) / sizeof(fixed_files[0]); i++)
                        if (!strcmp(path, fixed_files[i].path)) {
                                text = fixed_files[i].text;
                                len = strlen(text);
                        }
        if (!text)
                return -ENOENT;
        char *copy = malloc(len + 1);
        if (!copy)
                return -ENOMEM;
        memcpy(copy, text, len);
        copy[len] = 0;
        *ret_text = copy;
        *ret_len = len;
        return 0;
}

/* Counts "||" and "|" alike: both multiply the rules libseccomp merges. */
static size_t count_alternatives(const uint8_t *data, size_t size) {
        size_t n = 0;
        for (size_t i = 0; i < size; i++)
                n += data[i] == '|';
        return n;
}

#define FUZZ_MAX_ALTERNATIVES_TO_COMPILE 16
/* 32 masked compares of one argument beside three-argument rules merged
 * at once, 40 took 0.8 s, 48 minutes (compile_child.h). */
#define FUZZ_MAX_LIBSECCOMP_RULES_IN_PROCESS 24

static bool refused_at_launch(const struct diag *d) {
        for (size_t i = 0; i < d->n_entries; i++)
                if (strstr(d->entries[i].message, "too many comparisons to compile at launch"))
                        return true;
        return false;
}

static void compile_as_sealrun_compile_does(const struct syscall_policy_options *launch_opts) {
        struct syscall_policy_options opts = *launch_opts;
        opts.refuse_slow_lowering = false;
        opts.max_libseccomp_rules = 0;
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        if (syscall_policy_new(&opts, &p) < 0)
                return;
        if (syscall_policy_parse_file(p, "/fuzz/main.policy", &d) == 0) {
                (void) compile_child_run(p, 2, NULL, NULL, NULL, &d);
                for (size_t i = 0; i < d.n_entries; i++)
                        if (strstr(d.entries[i].message, "the child process compiling the policy failed"))
                                abort();
        }
        diag_clear(&d);
        syscall_policy_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct fuzz_input in = {data, size};
        const struct include_prefix prefix = {"/usr/share/policy/crosvm", "/usr/share/policy/crosvm"};
        struct syscall_policy_options opts = {
                .include_prefixes = &prefix,
                .n_include_prefixes = 1,
                .read_file = fuzz_read_file,
                .read_file_userdata = &in,
                .skip_unknown_syscalls = size > 0 && data[0] == 's',
                .refuse_slow_lowering = true,
                .max_libseccomp_rules = FUZZ_MAX_LIBSECCOMP_RULES_IN_PROCESS,
        };
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        if (syscall_policy_new(&opts, &p) < 0)
                return 0;
        if (syscall_policy_parse_file(p, "/fuzz/main.policy", &d) == 0 &&
            count_alternatives(data, size) <= FUZZ_MAX_ALTERNATIVES_TO_COMPILE) {
                scmp_filter_ctx ctx = NULL;
                if (syscall_policy_compile(p, &ctx, &d) == 0)
                        seccomp_release(ctx);
                else if (refused_at_launch(&d))
                        compile_as_sealrun_compile_does(&opts);
        }
        /* Printing exercises every diagnostic's fields. */
        FILE *null = fopen("/dev/null", "we");
        if (null) {
                diag_print(&d, null);
                fclose(null);
        }
        diag_clear(&d);
        syscall_policy_free(p);
        return 0;
}
