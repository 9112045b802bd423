/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A program outside the project, built against the installed libsealfd. */
#include <sealfd.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
        int fd = sealfd_load_buffer("outside", 7, NULL);
        if (fd < 0) {
                printf("load failed: %d\n", fd);
                return 1;
        }
        uint8_t digest[SEALFD_SHA256_SIZE];
        if (sealfd_digest_sha256(fd, digest) < 0)
                return 1;
        printf("ok version=%s sealed=%d\n", sealfd_version(),
               sealfd_verify(fd, SEALFD_SEALS_IMMUTABLE, 7) == 0);
        close(fd);
        return 0;
}
