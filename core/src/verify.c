/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The check every consumer makes on a received fd before trusting it. */
#include "internal.h"

int sealfd_verify(int fd, sealfd_seals_t required, int64_t expected_size) {
        int r;

        if (fd < 0)
                return -EBADF;
        if (required & ~(sealfd_seals_t) SEALFD_SEALS_ALL)
                return -EINVAL;
        if (expected_size < -1)
                return -EINVAL;

        r = sealfd__require_memfd(fd);
        if (r < 0)
                return r;
        int seals = sealfd_seals_get(fd);
        if (seals < 0)
                return seals;
        if ((required & (sealfd_seals_t) seals) != required)
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
