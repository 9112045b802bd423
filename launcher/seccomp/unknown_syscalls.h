/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* @unknown-syscalls: syscalls a policy cannot know get an action of their
 * own (return ENOSYS, so a newer glibc falls back) instead of the default. */
#ifndef SEALRUN_UNKNOWN_SYSCALLS_H
#define SEALRUN_UNKNOWN_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>

#include "policy_internal.h"

/* Whether p's @unknown-syscalls action decides a call of nr: p has the
 * directive, no rule names nr, and nr is clone3 or a number sealrun's
 * tables do not name (an x32 number on x86_64 is not: the filter kills
 * that ABI before any rule). */
bool policy_unknown_decides(const struct syscall_policy *p, int nr);

/* Puts in front of the exported program (*prog, *n_insns: replaced, the old
 * one freed) the instructions that give the @unknown-syscalls action to the
 * calls policy_unknown_decides() names, and hands every other call to the
 * program unchanged.  0, -ENOMEM, or -E2BIG when the gaps in the syscall
 * table are too many for one jump (never on x86_64 or aarch64). */
int policy_unknown_prepend(const struct syscall_policy *p, void **prog, size_t *n_insns);

/* verify.c's check for those calls: clone3, every number up to past the
 * newest syscall, and far beyond it.  0, or -EINVAL with the error in d at
 * the directive. */
int policy_unknown_verify(const struct syscall_policy *p, const void *prog, size_t n_insns, struct diag *d);

#endif
