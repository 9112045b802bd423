/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fsize.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

uint64_t fsize_limit(void) {
        struct rlimit l;
        if (getrlimit(RLIMIT_FSIZE, &l) < 0 || l.rlim_cur == RLIM_INFINITY)
                return UINT64_MAX;
        return l.rlim_cur;
}

uint64_t fsize_room(int fd) {
        uint64_t limit = fsize_limit();
        struct stat st;
        if (limit == UINT64_MAX || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return UINT64_MAX;
        int flags = fcntl(fd, F_GETFL);
        off_t pos = flags >= 0 && (flags & O_APPEND) ? st.st_size : lseek(fd, 0, SEEK_CUR);
        if (pos < 0)
                return UINT64_MAX;
        return limit > (uint64_t) pos ? limit - (uint64_t) pos : 0;
}
