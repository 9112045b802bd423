/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf_verdicts [-k] FILTER.bpf...: reads "NR A0 A1 A2 A3 A4 A5" lines
 * (numbers in any C base) on stdin and prints, per line, what each filter
 * returns for that native-ABI call (hex, space-separated), through the
 * compiler's own classic-BPF interpreter.  A filter named after -k sees the
 * kernel's view of the arguments: each cut to the bits the kernel reads
 * (arg_width.c), as libseccomp's 64-bit comparisons should have been.  The
 * Docker differential test feeds it the filter sealrun compiled and, after
 * -k, the one libseccomp built as runc does. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "arg_width.h"
#include "bpf_eval.h"

struct program {
        struct sock_filter *insns;
        size_t n;
        bool kernel_view;
};

static struct seccomp_data kernel_view(struct seccomp_data d) {
        char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, d.nr);
        for (unsigned a = 0; name && a < 6; a++)
                d.args[a] &= policy_width_mask(policy_arg_width(name, a));
        free(name);
        return d;
}

static int load(const char *path, struct program *ret) {
        FILE *f = fopen(path, "re");
        if (!f)
                return -errno;
        struct sock_filter insn;
        while (fread(&insn, sizeof(insn), 1, f) == 1) {
                struct sock_filter *t = realloc(ret->insns, (ret->n + 1) * sizeof(*t));
                if (!t) {
                        fclose(f);
                        return -ENOMEM;
                }
                ret->insns = t;
                ret->insns[ret->n++] = insn;
        }
        fclose(f);
        return ret->n ? 0 : -EINVAL;
}

int main(int argc, char **argv) {
        struct program progs[8] = {};
        int n = 0;
        bool next_kernel_view = false;
        for (int i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "-k")) {
                        next_kernel_view = true;
                        continue;
                }
                if (n == 8 || load(argv[i], &progs[n]) < 0) {
                        fprintf(stderr, "bpf_verdicts: cannot read %s (at most 8 filters)\n", argv[i]);
                        return 2;
                }
                progs[n++].kernel_view = next_kernel_view;
                next_kernel_view = false;
        }
        if (!n) {
                fprintf(stderr, "usage: bpf_verdicts [-k] FILTER.bpf... < vectors\n");
                return 2;
        }
        char line[512];
        while (fgets(line, sizeof(line), stdin)) {
                struct seccomp_data d = {.arch = seccomp_arch_native()};
                char *end;
                d.nr = (int) strtol(line, &end, 0);
                for (int a = 0; a < 6; a++)
                        d.args[a] = strtoull(end, &end, 0);
                struct seccomp_data narrowed = kernel_view(d);
                for (int i = 0; i < n; i++)
                        printf("%s%08x", i ? " " : "",
                               bpf_eval(progs[i].insns, progs[i].n, progs[i].kernel_view ? &narrowed : &d));
                putchar('\n');
        }
        for (int i = 0; i < n; i++)
                free(progs[i].insns);
        return 0;
}
