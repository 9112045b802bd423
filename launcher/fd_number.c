/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fd_number.h"

#include <errno.h>
#include <stdlib.h>

int fd_number_parse(const char *s, int *ret) {
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || end == s || *end || v < 0 || v >= FD_NUMBER_LIMIT)
                return -EINVAL;
        *ret = (int) v;
        return 0;
}
