/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A syscall's arguments with the names the policy language knows: what
 * `--explain` prints for a denied call and what `sealrun learn` writes into
 * a policy.  Names come from the compiler's own constant table, so every
 * name printed can be written back into a policy as it is.
 */
#ifndef SEALRUN_SYSCALL_DECODE_H
#define SEALRUN_SYSCALL_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum arg_kind {
        ARG_HEX, /* pointers and anything without a meaning: 0x... */
        ARG_INT, /* counts, sizes, pids: signed decimal */
        ARG_FD,  /* decimal, AT_FDCWD by name */
        ARG_OPEN_FLAGS,
        ARG_IOCTL,
        ARG_FCNTL,
        ARG_PRCTL,
        ARG_SOCKET_FAMILY,
        ARG_SOCKET_TYPE,
        ARG_PROT,
        ARG_MAP_FLAGS,
        ARG_CLONE_FLAGS,
        ARG_FUTEX_OP,
        ARG_SIGNAL,
        ARG_MADVISE,
};

struct syscall_signature {
        const char *name;
        unsigned n_args;
        enum arg_kind kind[6];
        /* Arguments a learned policy compares exactly (a bit per argument):
         * the ones whose value is the meaning of the call. */
        unsigned learn_exact;
};

/* The signature of a syscall by name, or NULL for one without a table
 * entry (then its arguments print as hex, up to the last non-zero one). */
const struct syscall_signature *syscall_signature_find(const char *name);

/* One argument as text: names joined with '|' for flags, a single name
 * for a value, a number where no name fits.  Always NUL-terminates; returns
 * the length it needed (as snprintf). */
size_t syscall_arg_format(enum arg_kind kind, uint64_t value, char *buf, size_t size);

/* "futex(0x7f3c2a1b40, FUTEX_WAKE_PRIVATE, 1)". */
size_t syscall_call_format(const char *name, const uint64_t args[6], char *buf, size_t size);

/* The bits of argument `arg` of syscall `name` the kernel reads, and a
 * compiled policy compares (arg_width.c): value cut to them. */
uint64_t syscall_arg_compared(const char *name, unsigned arg, uint64_t value);

/* The name of syscall nr on arch (AUDIT_ARCH_* / SCMP_ARCH_*) into buf;
 * "syscall_N" when no table knows it.  Returns buf. */
const char *syscall_name_of(uint32_t arch, int nr, char *buf, size_t size);

#endif
