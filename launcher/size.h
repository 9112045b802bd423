/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Byte sizes in workload files, on the command line and in messages. */
#ifndef SEALRUN_SIZE_H
#define SEALRUN_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* "64", "64K", "64KiB", "1M", "1G" (binary multiples).  0, -EINVAL (not a
 * size) or -ERANGE (past 2^64). */
int size_parse(const char *s, uint64_t *ret);
/* The largest exact unit: "64 KiB", "1000 bytes". */
void size_format(uint64_t size, char *buf, size_t n);

#endif
