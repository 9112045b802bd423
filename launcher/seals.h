/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Seal sets by name: "write,shrink,grow,seal,exec". */
#ifndef SEALRUN_SEALS_H
#define SEALRUN_SEALS_H

#include <stddef.h>
#include <stdint.h>

/* SEALFD_SEAL_* bits.  0, -EINVAL (an unknown name) or -EPERM (one of the
 * four that make an input immutable is missing). */
int seals_parse(const char *s, uint32_t *ret);
void seals_format(uint32_t seals, char *buf, size_t n);

#endif
