/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SHA-256 pins as text (sha256=HEX in workload files, digests in messages
 * and in --dry-run), both ways. */
#ifndef SEALRUN_SHA256_HEX_H
#define SEALRUN_SHA256_HEX_H

#include <stdint.h>

#define SHA256_HEX_LEN 64

/* 64 lower-case hex digits and a NUL into out. */
void sha256_hex_format(const uint8_t digest[32], char out[SHA256_HEX_LEN + 1]);
/* Exactly 64 hex digits (either case): 0, or -EINVAL. */
int sha256_hex_parse(const char *s, uint8_t out[32]);

#endif
