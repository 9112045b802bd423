/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading and adding seals. */
#include "internal.h"

int sealfd_seals_get(int fd) {
        if (fd < 0)
                return -EBADF;
        int seals = fcntl(fd, F_GET_SEALS);
        if (seals < 0)
                /* The kernel says EINVAL for files that cannot carry seals
                 * (anything but shmem and hugetlbfs). */
                return errno == EINVAL ? -EMEDIUMTYPE : negative_errno();
        return seals;
}

int sealfd_seals_add(int fd, sealfd_seals_t seals) {
        if (fd < 0)
                return -EBADF;
        if (seals & ~(sealfd_seals_t) SEALFD_SEALS_ALL)
                return -EINVAL;
        int r = sealfd_seals_get(fd);
        if (r < 0)
                return r;
        /* Adding what is already there is a no-op, even after SEAL: the
         * caller's intent is already met. */
        if ((seals & (sealfd_seals_t) r) == seals)
                return 0;
        if (fcntl(fd, F_ADD_SEALS, (int) seals) < 0)
                /* EPERM: SEAL is set, or the fd is not open for writing.
                 * EBUSY: WRITE while a writable shared mapping exists.
                 * EINVAL: a seal this kernel does not know. */
                return negative_errno();
        return 0;
}
