/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf_verdicts FILTER.bpf...: reads "NR A0 A1 A2 A3 A4 A5" lines (numbers in
 * any C base) on stdin and prints, per line, what each filter returns for
 * that native-ABI call (hex, space-separated), through the compiler's own
 * classic-BPF interpreter.  The Docker differential test feeds it the
 * filter sealrun compiled and the one libseccomp built as runc does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "bpf_eval.h"

struct program {
        struct sock_filter *insns;
        size_t n;
};

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
        if (argc < 2 || argc > 9) {
                fprintf(stderr, "usage: bpf_verdicts FILTER.bpf... < vectors\n");
                return 2;
        }
        for (int i = 1; i < argc; i++)
                if (load(argv[i], &progs[i - 1]) < 0) {
                        fprintf(stderr, "bpf_verdicts: cannot read %s\n", argv[i]);
                        return 2;
                }
        char line[512];
        while (fgets(line, sizeof(line), stdin)) {
                struct seccomp_data d = {.arch = seccomp_arch_native()};
                char *p = line, *end;
                d.nr = (int) strtol(p, &end, 0);
                for (int a = 0; a < 6; a++, p = end)
                        d.args[a] = strtoull(end, &end, 0);
                for (int i = 0; i < argc - 1; i++)
                        printf("%s%08x", i ? " " : "", bpf_eval(progs[i].insns, progs[i].n, &d));
                putchar('\n');
        }
        for (int i = 0; i < argc - 1; i++)
                free(progs[i].insns);
        return 0;
}
