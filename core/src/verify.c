/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The check every consumer makes on a received fd before trusting it. */
#include "internal.h"

/* 0 cannot mean "nothing required": a caller that forgot to name the seals
 * would accept a writable memfd.  Asking for nothing takes its own bit. */
int sealfd__seals_required(sealfd_seals_t required) {
        if (required == 0)
                return (int) SEALFD_SEALS_IMMUTABLE;
        if (required == SEALFD_SEALS_NOT_REQUIRED)
                return 0;
        if (required & ~(sealfd_seals_t) SEALFD_SEALS_ALL)
                return -EINVAL;
        return (int) required;
}

int sealfd_verify(int fd, sealfd_seals_t required_arg, int64_t expected_size) {
        int r;

        if (fd < 0)
                return -EBADF;
        int required = sealfd__seals_required(required_arg);
        if (required < 0)
                return required;
        if (expected_size < -1)
                return -EINVAL;

        r = sealfd__require_memfd(fd);
        if (r < 0)
                return r;
        int seals = sealfd_seals_get(fd);
        if (seals < 0)
                return seals;
        if ((required & seals) != required)
                return -EBADFD;
        if (expected_size >= 0) {
                int64_t size = sealfd_size(fd);
                if (size < 0)
                        return (int) size;
                if (size != expected_size)
                        return -ERANGE;
        }
        return 0;
}
