/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "file_type.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

const char *file_type_words(mode_t mode) {
        if (S_ISFIFO(mode))
                return "is a FIFO, not a file";
        if (S_ISSOCK(mode))
                return "is a socket, not a file";
        if (S_ISCHR(mode))
                return "is a character device, not a file";
        if (S_ISBLK(mode))
                return "is a block device, not a file";
        return NULL;
}

/* "Invalid argument" says nothing about /dev/zero or a FIFO: name it. */
const char *file_read_error_words(const char *path, int r) {
        struct stat st;
        if (r == -EINVAL && stat(path, &st) == 0) {
                const char *words = file_type_words(st.st_mode);
                return words ? words : "is not a regular file";
        }
        if (r == -EISDIR)
                return "is a directory";
        if (r == -EFBIG)
                return "is larger than 16 MiB, too large for a policy or workload file";
        return strerror(-r);
}
