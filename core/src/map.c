/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared mappings of a memfd, and the safe read-only mapping of a verified one. */
#include <unistd.h>

#include "internal.h"

static uint64_t page_size(void) {
        long p = sysconf(_SC_PAGESIZE);
        return p > 0 ? (uint64_t) p : 4096;
}

int sealfd_map(int fd, uint64_t offset, size_t length, int prot, void **ret_addr) {
        if (fd < 0)
                return -EBADF;
        if (!ret_addr || length == 0)
                return -EINVAL;
        if (prot == 0 || (prot & ~(PROT_READ | PROT_WRITE)))
                return -EINVAL;
        if (offset & (page_size() - 1) || offset > INT64_MAX)
                return -EINVAL;
        void *p = mmap(NULL, length, prot, MAP_SHARED, fd, (off_t) offset);
        if (p == MAP_FAILED)
                /* EPERM: PROT_WRITE on a WRITE or FUTURE_WRITE sealed fd.
                 * EACCES: PROT_WRITE on an fd not open for writing. */
                return negative_errno();
        *ret_addr = p;
        return 0;
}

int sealfd_unmap(void *addr, size_t length) {
        /* What sealfd_map_readonly returns for an empty memfd. */
        if (!addr && length == 0)
                return 0;
        if (!addr || length == 0 || ((uintptr_t) addr & (page_size() - 1)))
                return -EINVAL;
        if (munmap(addr, length) < 0)
                return negative_errno();
        return 0;
}

int sealfd_map_readonly(int fd, const void **ret_addr, size_t *ret_size) {
        if (fd < 0)
                return -EBADF;
        if (!ret_addr || !ret_size)
                return -EINVAL;
        /* SHRINK: the mapping can never reach past end of file, so no SIGBUS.
         * WRITE or FUTURE_WRITE: nobody new can change the bytes under us. */
        int r = sealfd_verify(fd, SEALFD_SEAL_SHRINK, -1);
        if (r < 0)
                return r;
        int seals = sealfd_seals_get(fd);
        if (seals < 0)
                return seals;
        if (!(seals & (SEALFD_SEAL_WRITE | SEALFD_SEAL_FUTURE_WRITE)))
                return -EBADFD;

        int64_t size = sealfd_size(fd);
        if (size < 0)
                return (int) size;
        if ((uint64_t) size > SIZE_MAX)
                return -EFBIG;
        if (size == 0) {
                *ret_addr = NULL;
                *ret_size = 0;
                return 0;
        }
        void *p = mmap(NULL, (size_t) size, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED)
                return negative_errno();
        *ret_addr = p;
        *ret_size = (size_t) size;
        return 0;
}
