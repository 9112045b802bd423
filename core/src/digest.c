/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SHA-256 of a memfd's contents, through nettle (see core/CMakeLists.txt
 * for why nettle and not libcrypto). */
#include <nettle/sha2.h>
#include <stdlib.h>

#include "internal.h"

#define DIGEST_CHUNK ((size_t) 128 * 1024)

int sealfd_digest_sha256(int fd, uint8_t ret_digest[SEALFD_SHA256_SIZE]) {
        struct sha256_ctx ctx;
        uint64_t offset = 0;

        if (fd < 0)
                return -EBADF;
        if (!ret_digest)
                return -EINVAL;
        _cleanup_free_ uint8_t *buf = malloc(DIGEST_CHUNK);
        if (!buf)
                return -ENOMEM;

        /* pread, not mmap: an fd that is not sealed against shrinking could
         * turn a mapping into SIGBUS; pread just sees end of file.  A short
         * chunk is the end. */
        sha256_init(&ctx);
        for (;;) {
                ssize_t n = sealfd_pread(fd, buf, DIGEST_CHUNK, offset);
                if (n < 0)
                        return (int) n;
                sha256_update(&ctx, (size_t) n, buf);
                offset += (uint64_t) n;
                if ((size_t) n < DIGEST_CHUNK)
                        break;
        }
        sha256_digest(&ctx, SEALFD_SHA256_SIZE, ret_digest);
        return 0;
}
