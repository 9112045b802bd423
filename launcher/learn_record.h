/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `sealrun learn`: the record of one run, filled by the supervisor (one
 * notification per call the baseline does not allow, supervise.h) and read
 * by the policy writer (learn_policy.h).  It keeps per syscall only what a
 * statement needs: how often it was seen, the distinct values of the
 * arguments whose value is the call's meaning (syscall_decode.h's
 * learn_exact: ioctl cmd, socket domain and type, ...), and for opens and
 * memory protection the one fact a filter can keep (read-only opens only;
 * never writable and executable at once).
 */
#ifndef SEALRUN_LEARN_RECORD_H
#define SEALRUN_LEARN_RECORD_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "learn_paths.h"
#include "supervise.h"

/* Beyond this many distinct values (or value pairs) a statement allows the
 * syscall whatever its arguments: a list that long is no filter a reviewer
 * can read. */
#define LEARN_VALUES_MAX 32
/* socket and socketpair compare two arguments together. */
#define LEARN_EXACT_ARGS_MAX 2

struct learn_syscall {
        char name[64];
        int nr;
        uint64_t calls;
        bool implied; /* never seen: allowed by sealrun's own prefix (exit_group) */
        /* The learn_exact arguments, and every distinct tuple of them seen. */
        unsigned exact_arg[LEARN_EXACT_ARGS_MAX];
        unsigned n_exact;
        uint64_t values[LEARN_VALUES_MAX][LEARN_EXACT_ARGS_MAX];
        size_t n_values;
        bool too_many_values;
        /* open/openat: the flags argument, or -1; the union of the flags seen
         * beside the access mode, and whether any open could write. */
        int open_flags_arg;
        uint64_t open_flags_seen;
        bool open_writes;
        /* mmap/mprotect/pkey_mprotect: the prot argument, or -1; whether any
         * call asked for PROT_WRITE and PROT_EXEC together. */
        int prot_arg;
        bool write_and_exec;
};

struct learn_record {
        struct learn_syscall *syscalls; /* in the order first seen */
        size_t n_syscalls, cap;
        uint64_t calls;
        uint64_t foreign_arch_calls; /* calls of another arch: never written */
        bool out_of_memory;          /* a call could not be recorded */
        bool want_paths;             /* -o: note the paths too (learn_paths.h) */
        struct learn_paths paths;
};

#define LEARN_RECORD_INIT                                                                                    \
        { 0 }

/* Records one call; the record keeps no pointer into data.  -ENOMEM (and
 * out_of_memory set) when it cannot. */
int learn_record_add(struct learn_record *r, const struct seccomp_data *data);
void learn_record_free(struct learn_record *r);

/* Adds what sealrun's own prefix always allows and so is never seen,
 * exit_group, unless it was seen: a written policy then stands alone
 * (compiled and used without sealrun).  -ENOMEM or 0. */
int learn_record_add_implied(struct learn_record *r);
/* A syscall syscall_name_of() has no name for ("syscall_N"): the policy
 * language cannot allow it. */
bool learn_syscall_nameless(const struct learn_syscall *c);
/* The entries that become statements: all but the nameless. */
size_t learn_record_statements(const struct learn_record *r);
/* The syscalls the run made: those not implied. */
size_t learn_record_seen(const struct learn_record *r);

/* The entries sorted by name: the order a policy lists them in. */
void learn_record_sort(struct learn_record *r);

/* A supervise_handler.call: record, then let the call run; userdata is a
 * struct learn_record. */
enum supervise_answer learn_record_call(void *userdata, const struct supervise_call *c, int *ret_errno);

#endif
