/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy compiler's libseccomp side: a policy as a libseccomp context,
 * for the compiler itself and the tests that load or inspect one.  The
 * launcher needs none of this (it loads the verified program of
 * syscall_policy_compile_program()), so syscall_policy.h leaves out
 * <seccomp.h>. */
#ifndef SEALRUN_SYSCALL_POLICY_LIBSECCOMP_H
#define SEALRUN_SYSCALL_POLICY_LIBSECCOMP_H

#include <seccomp.h>

#include "syscall_policy.h"

/* Build the libseccomp filter: the native arch (or opts.arch) only, every
 * other ABI gets kill-process.  The caller owns *ret_ctx (seccomp_release). */
int syscall_policy_compile(const struct syscall_policy *p, scmp_filter_ctx *ret_ctx, struct diag *d);

/* syscall_policy_compile() that also reports what it did (stats may be NULL). */
int syscall_policy_compile_stats(const struct syscall_policy *p, scmp_filter_ctx *ret_ctx,
                                 struct syscall_policy_compile_stats *stats, struct diag *d);

/* The filter as an array of struct sock_filter (what seccomp_export_bpf
 * writes), malloc'ed; *ret_n_insns counts instructions.  0 or -errno. */
int syscall_policy_export(scmp_filter_ctx ctx, void **ret_prog, size_t *ret_n_insns);

#endif
