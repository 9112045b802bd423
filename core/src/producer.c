/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The producer pattern: the creator keeps a writable shared mapping, every
 * other route to the bytes is read-only (FUTURE_WRITE|SHRINK|GROW). */
#include <string.h>

#include "internal.h"

int sealfd_producer_create(const char *name, size_t size, void **ret_addr) {
        struct sealfd_create_options opts = {.name = name};
        int r;

        if (!ret_addr || size == 0)
                return -EINVAL;
        if (sealfd_supports(SEALFD_FEATURE_SEAL_FUTURE_WRITE) <= 0)
                return -EOPNOTSUPP;

        _cleanup_close_ int fd = sealfd_create(&opts);
        if (fd < 0)
                return fd;
        r = sealfd_set_size(fd, size);
        if (r < 0)
                return r;
        void *addr;
        r = sealfd_map(fd, 0, size, PROT_READ | PROT_WRITE, &addr);
        if (r < 0)
                return r;
        /* FUTURE_WRITE, unlike WRITE, leaves mappings made before it alone. */
        r = sealfd_seals_add(fd, SEALFD_SEALS_PRODUCER);
        if (r < 0) {
                (void) munmap(addr, size);
                return r;
        }
        *ret_addr = addr;
        return TAKE_FD(fd);
}
