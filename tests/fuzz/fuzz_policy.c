/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: arbitrary bytes as a seccomp policy.  Includes are
 * served from memory (two fixed files; anything else does not exist), and a
 * policy that parses is compiled too, so the lowering and libseccomp see
 * what the parser accepts.  Compiling is skipped for inputs with many
 * alternatives: libseccomp 2.5.4's rule merge is superlinear, so such a
 * policy can take seconds in libseccomp itself (sealrun compile/check bound
 * that with a CPU limit, tested in test_seccomp_compile_time); the fuzzer is
 * after crashes in our code, not libseccomp's speed. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "syscall_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_input {
        const uint8_t *data;
        size_t size;
};

static const struct {
        const char *path;
        const char *text;
} fixed_files[] = {
        { "/fuzz/common.policy", "read: 1\nwrite: arg0 == 1 || arg0 == 2\n@include ./nested.policy\n" },
        { "/fuzz/nested.policy", "mmap: arg2 in ~PROT_EXEC\nclose: arg0 != 3; return EBADF\n" },
        { "/usr/share/policy/crosvm/common_device.policy", "futex: 1\n@include /fuzz/main.policy\n" },
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct fuzz_input in = { data, size };
        const struct include_prefix prefix = { "/usr/share/policy/crosvm", "/usr/share/policy/crosvm" };
        struct syscall_policy_options opts = {
                .include_prefixes = &prefix,
                .n_include_prefixes = 1,
                .read_file = fuzz_read_file,
                .read_file_userdata = &in,
                .skip_unknown_syscalls = size > 0 && data[0] == 's',
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
