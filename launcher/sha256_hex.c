/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sha256_hex.h"

#include <errno.h>
#include <string.h>

void sha256_hex_format(const uint8_t digest[32], char out[SHA256_HEX_LEN + 1]) {
        static const char digits[] = "0123456789abcdef";
        for (size_t i = 0; i < 32; i++) {
                out[2 * i] = digits[digest[i] >> 4];
                out[2 * i + 1] = digits[digest[i] & 15];
        }
        out[SHA256_HEX_LEN] = '\0';
}

static int hex_nibble(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* By hand: sscanf("%2x") per byte was a sixth of a launch's own user time. */
int sha256_hex_parse(const char *s, uint8_t out[32]) {
        if (strlen(s) != SHA256_HEX_LEN)
                return -EINVAL;
        for (size_t i = 0; i < 32; i++) {
                int hi = hex_nibble(s[2 * i]), lo = hex_nibble(s[2 * i + 1]);
                if (hi < 0 || lo < 0)
                        return -EINVAL;
                out[i] = (uint8_t) (hi << 4 | lo);
        }
        return 0;
}
