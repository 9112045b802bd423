/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sizes as people write them, both ways. */
#include "size.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "64", "64K", "64KiB", "1M", "1G": binary multiples, as people write them. */
int size_parse(const char *s, uint64_t *ret) {
        if (!s || *s < '0' || *s > '9')
                return -EINVAL;
        errno = 0;
        char *end;
        unsigned long long v = strtoull(s, &end, 10);
        if (errno)
                return -ERANGE;
        static const struct {
                const char *suffix;
                unsigned shift;
        } suffixes[] = {
                {"", 0},   {"K", 10},   {"KiB", 10}, {"M", 20},   {"MiB", 20},
                {"G", 30}, {"GiB", 30}, {"T", 40},   {"TiB", 40},
        };
        for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
                if (strcmp(end, suffixes[i].suffix))
                        continue;
                if (suffixes[i].shift && v > (UINT64_MAX >> suffixes[i].shift))
                        return -ERANGE;
                *ret = (uint64_t) v << suffixes[i].shift;
                return 0;
        }
        return -EINVAL;
}

void size_format(uint64_t size, char *buf, size_t n) {
        static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        unsigned u = 0;
        while (u < 4 && size >= 1024 && size % 1024 == 0) {
                size /= 1024;
                u++;
        }
        snprintf(buf, n, "%" PRIu64 " %s", size, units[u]);
}
