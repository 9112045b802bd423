/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A classic-BPF interpreter for seccomp programs: what an exported filter
 * returns for a given syscall and arguments, without loading it. */
#ifndef SEALRUN_BPF_EVAL_H
#define SEALRUN_BPF_EVAL_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

/* Returned for a malformed program (bad opcode, jump or load out of range). */
#define BPF_EVAL_INVALID 0xdeadbeefu

uint32_t bpf_eval(const struct sock_filter *prog, size_t n_insns, const struct seccomp_data *data);

#endif
