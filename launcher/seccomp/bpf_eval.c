/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Classic BPF as the kernel's seccomp runs it (no packet data: absolute
 * loads read struct seccomp_data, 32-bit words, host order).  The compiler
 * checks its own output with it (verify.c); the tests run filters with it. */
#include "bpf_eval.h"

#include <string.h>

static int load_word(const struct seccomp_data *data, uint32_t offset, uint32_t *ret) {
        if (offset % 4 != 0 || offset + 4 > sizeof(*data))
                return -1;
        memcpy(ret, (const char *) data + offset, 4);
        return 0;
}

static int alu(uint16_t code, uint32_t *a, uint32_t operand) {
        switch (BPF_OP(code)) {
        case BPF_ADD:
                *a += operand;
                return 0;
        case BPF_SUB:
                *a -= operand;
                return 0;
        case BPF_MUL:
                *a *= operand;
                return 0;
        case BPF_DIV:
                if (!operand)
                        return -1;
                *a /= operand;
                return 0;
        case BPF_MOD:
                if (!operand)
                        return -1;
                *a %= operand;
                return 0;
        case BPF_OR:
                *a |= operand;
                return 0;
        case BPF_AND:
                *a &= operand;
                return 0;
        case BPF_XOR:
                *a ^= operand;
                return 0;
        case BPF_LSH:
                *a = operand < 32 ? *a << operand : 0;
                return 0;
        case BPF_RSH:
                *a = operand < 32 ? *a >> operand : 0;
                return 0;
        case BPF_NEG:
                *a = -*a;
                return 0;
        }
        return -1;
}

/* A BPF_LD or BPF_LDX instruction's value; -1 when it is not one the
 * kernel's seccomp accepts. */
static int load(const struct sock_filter *i, const struct seccomp_data *data,
                const uint32_t mem[BPF_MEMWORDS], uint32_t *ret) {
        switch (BPF_MODE(i->code)) {
        case BPF_ABS:
                return BPF_SIZE(i->code) == BPF_W ? load_word(data, i->k, ret) : -1;
        case BPF_IMM:
                *ret = i->k;
                return 0;
        case BPF_MEM:
                if (i->k >= BPF_MEMWORDS)
                        return -1;
                *ret = mem[i->k];
                return 0;
        case BPF_LEN:
                *ret = sizeof(*data);
                return 0;
        }
        return -1;
}

/* How far a BPF_JMP instruction jumps with A = a; -1 for an unknown one. */
static int jump(const struct sock_filter *i, uint32_t a, uint32_t operand, size_t *ret) {
        switch (BPF_OP(i->code)) {
        case BPF_JA:
                *ret = i->k;
                return 0;
        case BPF_JEQ:
                *ret = a == operand ? i->jt : i->jf;
                return 0;
        case BPF_JGT:
                *ret = a > operand ? i->jt : i->jf;
                return 0;
        case BPF_JGE:
                *ret = a >= operand ? i->jt : i->jf;
                return 0;
        case BPF_JSET:
                *ret = (a & operand) ? i->jt : i->jf;
                return 0;
        }
        return -1;
}

uint32_t bpf_eval(const struct sock_filter *prog, size_t n, const struct seccomp_data *data) {
        uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {};
        for (size_t pc = 0; pc < n; pc++) {
                const struct sock_filter *i = &prog[pc];
                uint16_t code = i->code;
                switch (BPF_CLASS(code)) {
                case BPF_LD:
                case BPF_LDX: {
                        uint32_t v;
                        if (load(i, data, mem, &v) < 0)
                                return BPF_EVAL_INVALID;
                        if (BPF_CLASS(code) == BPF_LD)
                                a = v;
                        else
                                x = v;
                        break;
                }
                case BPF_ST:
                case BPF_STX:
                        if (i->k >= BPF_MEMWORDS)
                                return BPF_EVAL_INVALID;
                        mem[i->k] = BPF_CLASS(code) == BPF_ST ? a : x;
                        break;
                case BPF_ALU:
                        if (alu(code, &a, BPF_SRC(code) == BPF_X ? x : i->k) < 0)
                                return BPF_EVAL_INVALID;
                        break;
                case BPF_JMP: {
                        size_t offset;
                        if (jump(i, a, BPF_SRC(code) == BPF_X ? x : i->k, &offset) < 0 ||
                            pc + 1 + offset >= n)
                                return BPF_EVAL_INVALID;
                        pc += offset;
                        break;
                }
                case BPF_RET:
                        return BPF_RVAL(code) == BPF_K   ? i->k
                               : BPF_RVAL(code) == BPF_A ? a
                                                         : BPF_EVAL_INVALID;
                case BPF_MISC:
                        if (BPF_MISCOP(code) == BPF_TAX)
                                x = a;
                        else if (BPF_MISCOP(code) == BPF_TXA)
                                a = x;
                        else
                                return BPF_EVAL_INVALID;
                        break;
                default:
                        return BPF_EVAL_INVALID;
                }
        }
        return BPF_EVAL_INVALID; /* fell off the end */
}
