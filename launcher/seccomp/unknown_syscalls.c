/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* @unknown-syscalls (unknown_syscalls.h).  libseccomp decides by syscall
 * number one at a time and cannot say "every number above N", so the
 * compiler puts a few instructions of its own in front of libseccomp's
 * program: on the policy's arch they answer clone3 (when no rule names it)
 * and every number the syscall tables do not name, and hand anything else,
 * unchanged, to libseccomp's program.  Its jumps are relative, so it works
 * the same behind them.  verify.c then checks the whole program. */
#include <errno.h>
#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_eval.h"
#include "unknown_syscalls.h"

/* Numbers scanned for the newest syscall; every table is far below. */
#define SYSCALL_SCAN_LIMIT 4096
/* On x86_64 this bit selects the x32 ABI, which libseccomp's program kills. */
#define X32_SYSCALL_BIT 0x40000000u
/* At most this many unnamed ranges below the newest syscall (x86_64 has
 * one, 335..423), so every jump to the end stays within 255. */
#define GAPS_MAX 64

struct gap {
        int lo, hi;
};

static bool is_x86_64(const struct syscall_policy *p) {
        return p->arch == SCMP_ARCH_X86_64;
}

static int clone3_nr(const struct syscall_policy *p) {
        int nr;
        return policy_syscall_resolve(p->arch, "clone3", &nr) < 0 ? -1 : nr;
}

bool policy_unknown_decides(const struct syscall_policy *p, int nr) {
        if (!p->has_unknown || policy_has_rules_for(p, nr))
                return false;
        if (nr == clone3_nr(p))
                return true;
        if (is_x86_64(p) && ((uint32_t) nr & X32_SYSCALL_BIT))
                return false;
        return !policy_syscall_known(p->arch, nr);
}

/* The newest syscall number, and the unnamed ranges below it. */
static int scan_table(const struct syscall_policy *p, struct gap *gaps, size_t *n_gaps) {
        int newest = -1;
        *n_gaps = 0;
        for (int nr = 0; nr < SYSCALL_SCAN_LIMIT; nr++) {
                if (!policy_syscall_known(p->arch, nr))
                        continue;
                if (nr > newest + 1) {
                        if (*n_gaps == GAPS_MAX)
                                return -E2BIG;
                        gaps[(*n_gaps)++] = (struct gap){newest + 1, nr - 1};
                }
                newest = nr;
        }
        return newest;
}

static struct sock_filter jump(uint16_t op, uint32_t k, size_t at, size_t if_true, size_t if_false) {
        return (struct sock_filter) BPF_JUMP(BPF_JMP | op | BPF_K, k, (uint8_t) (if_true - at - 1),
                                             (uint8_t) (if_false - at - 1));
}

int policy_unknown_prepend(const struct syscall_policy *p, void **prog, size_t *n_insns) {
        struct gap gaps[GAPS_MAX];
        size_t n_gaps;
        int newest = scan_table(p, gaps, &n_gaps);
        if (newest < 0)
                return newest == -E2BIG ? -E2BIG : -EINVAL;
        int clone3 = policy_has_rules_for(p, clone3_nr(p)) ? -1 : clone3_nr(p);
        /* load arch, check it, load nr, [x32], [clone3], 2 per gap, newest, ret */
        size_t len = 3 + is_x86_64(p) + (clone3 >= 0) + 2 * n_gaps + 1 + 1;
        size_t ret = len - 1, rest = len; /* rest: libseccomp's program */
        struct sock_filter *out = malloc((len + *n_insns) * sizeof(*out));
        if (!out)
                return -ENOMEM;
        size_t i = 0;
        out[i++] =
                (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
        out[i] = jump(BPF_JEQ, p->arch, i, i + 1, rest), i++;
        out[i++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
        if (is_x86_64(p))
                out[i] = jump(BPF_JGE, X32_SYSCALL_BIT, i, rest, i + 1), i++;
        if (clone3 >= 0)
                out[i] = jump(BPF_JEQ, (uint32_t) clone3, i, ret, i + 1), i++;
        for (size_t g = 0; g < n_gaps; g++) {
                /* lo <= nr <= hi: the answer; else the next test */
                out[i] = jump(BPF_JGE, (uint32_t) gaps[g].lo, i, i + 1, i + 2), i++;
                out[i] = jump(BPF_JGT, (uint32_t) gaps[g].hi, i, i + 1, ret), i++;
        }
        out[i] = jump(BPF_JGT, (uint32_t) newest, i, ret, rest), i++;
        out[i++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, policy_action_to_scmp(p->unknown_action));
        memcpy(out + len, *prog, *n_insns * sizeof(*out));
        free(*prog);
        *prog = out;
        *n_insns += len;
        return 0;
}

static int check_nr(const struct syscall_policy *p, const void *prog, size_t n_insns, int nr,
                    struct diag *d) {
        static const uint64_t zero[POLICY_MAX_ARGS];
        struct seccomp_data data = {.nr = nr, .arch = p->arch};
        uint32_t got = bpf_eval(prog, n_insns, &data);
        struct policy_action want = syscall_policy_decide(p, nr, zero);
        if (got == policy_action_to_scmp(want))
                return 0;
        char buf[64];
        const struct source_location *w = &p->unknown_where;
        diag_add(d, DIAG_ERROR, w->file, w->line, w->col, w->source_line, w->context,
                 "the compiled filter returns %#x for syscall %d, the policy says %s; refusing the policy",
                 got, nr, policy_action_describe(want, buf, sizeof(buf)));
        return -EINVAL;
}

int policy_unknown_verify(const struct syscall_policy *p, const void *prog, size_t n_insns, struct diag *d) {
        struct gap gaps[GAPS_MAX];
        size_t n_gaps;
        int newest = scan_table(p, gaps, &n_gaps);
        if (newest < 0)
                return -EINVAL;
        const int far[] = {newest + 1, newest + 1000, 0x3fffffff, clone3_nr(p)};
        for (size_t i = 0; i < sizeof(far) / sizeof(far[0]); i++)
                if (far[i] >= 0 && check_nr(p, prog, n_insns, far[i], d) < 0)
                        return -EINVAL;
        for (int nr = 0; nr <= newest + 2; nr++)
                if (!policy_has_rules_for(p, nr) && check_nr(p, prog, n_insns, nr, d) < 0)
                        return -EINVAL;
        return 0;
}
