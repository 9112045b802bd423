/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Full-length read/write, retried on EINTR and short counts. */
#include <limits.h>
#include <unistd.h>

#include "internal.h"

static int io_check(int fd, const void *buf, size_t len, uint64_t offset) {
        if (fd < 0)
                return -EBADF;
        if (!buf && len > 0)
                return -EINVAL;
        if (len > SSIZE_MAX || offset > INT64_MAX || len > INT64_MAX - offset)
                return -EINVAL;
        return 0;
}

/* offset < 0: use and advance the file position. */
static ssize_t read_full(int fd, void *buf, size_t len, int64_t offset) {
        size_t done = 0;
        while (done < len) {
                ssize_t n = offset < 0 ? read(fd, (char *) buf + done, len - done)
                                       : pread(fd, (char *) buf + done, len - done,
                                               (off_t) (offset + (int64_t) done));
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (n == 0)
                        break;
                done += (size_t) n;
        }
        return (ssize_t) done;
}

static ssize_t write_full(int fd, const void *buf, size_t len, int64_t offset) {
        size_t done = 0;
        while (done < len) {
                ssize_t n = offset < 0 ? write(fd, (const char *) buf + done, len - done)
                                       : pwrite(fd, (const char *) buf + done, len - done,
                                                (off_t) (offset + (int64_t) done));
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (n == 0)
                        return -EIO; /* no progress and no error: do not spin */
                done += (size_t) n;
        }
        return (ssize_t) done;
}

ssize_t sealfd_read(int fd, void *buf, size_t len) {
        int r = io_check(fd, buf, len, 0);
        return r < 0 ? r : read_full(fd, buf, len, -1);
}

ssize_t sealfd_write(int fd, const void *buf, size_t len) {
        int r = io_check(fd, buf, len, 0);
        return r < 0 ? r : write_full(fd, buf, len, -1);
}

ssize_t sealfd_pread(int fd, void *buf, size_t len, uint64_t offset) {
        int r = io_check(fd, buf, len, offset);
        return r < 0 ? r : read_full(fd, buf, len, (int64_t) offset);
}

ssize_t sealfd_pwrite(int fd, const void *buf, size_t len, uint64_t offset) {
        int r = io_check(fd, buf, len, offset);
        return r < 0 ? r : write_full(fd, buf, len, (int64_t) offset);
}
