/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Moving bytes from a source fd into a memfd inside the kernel. */
#ifndef SEALFD_COPY_H
#define SEALFD_COPY_H

#include <stdint.h>
#include <sys/types.h>

#include "internal.h"

/* Copy from src into dst (at dst's file position) until EOF or `limit`
 * bytes.  src_offset non-NULL: read src at *src_offset (advanced), its file
 * position untouched; NULL: read from and advance src's file position.
 * Returns 0 and the byte count in *ret_copied, or -errno. */
HIDDEN int sealfd__copy_into_memfd(int dst, int src, off_t *src_offset, uint64_t limit, uint64_t *ret_copied);

#endif
