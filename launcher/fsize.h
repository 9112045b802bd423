/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RLIMIT_FSIZE and sealrun's own writes.  The limit stops a write that
 * would grow a regular file past it, after writing what fits: a status
 * line would be torn.  So a line is written whole or not at all. */
#ifndef SEALRUN_FSIZE_H
#define SEALRUN_FSIZE_H

#include <stdint.h>

/* The soft RLIMIT_FSIZE, UINT64_MAX when unlimited. */
uint64_t fsize_limit(void);
/* How many bytes can be written at fd's position before the limit stops
 * them; UINT64_MAX when none applies (no limit, not a regular file). */
uint64_t fsize_room(int fd);

#endif
