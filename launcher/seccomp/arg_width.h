/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bits of a syscall argument the kernel reads (see arg_width.c). */
#ifndef SEALRUN_POLICY_ARG_WIDTH_H
#define SEALRUN_POLICY_ARG_WIDTH_H

#include <stdint.h>

#include "policy_internal.h"

/* 16, 32 or 64: the width of argument `arg` of the syscall named so. */
unsigned policy_arg_width(const char *syscall, unsigned arg);
/* All ones in the low `width` bits. */
uint64_t policy_width_mask(unsigned width);
/* Makes the atom compare the low `width` bits: its constant is reduced to
 * them and a->width set.  -ERANGE when a compared value is neither of that
 * width nor one sign-extended to 64 bits, or a `&` mask has no bit in it
 * (the rule could never mean what it says). */
int policy_atom_narrow(struct atom *a, unsigned width);

#endif
