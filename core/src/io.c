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

/* One read, pread, write or pwrite of what is left; offset < 0: use and
 * advance the file position. */
static ssize_t io_once(int fd, char *buf, size_t len, int64_t offset, bool writing) {
        if (writing)
                return offset < 0 ? write(fd, buf, len) : pwrite(fd, buf, len, (off_t) offset);
        return offset < 0 ? read(fd, buf, len) : pread(fd, buf, len, (off_t) offset);
}

/* All len bytes, retrying short transfers and EINTR.  A read stops early
 * at end of file; a write that makes no progress is -EIO, never a spin.
 * buf is written to only when reading. */
static ssize_t io_full(int fd, char *buf, size_t len, int64_t offset, bool writing) {
        size_t done = 0;
        while (done < len) {
                ssize_t n = io_once(fd, buf + done, len - done, offset < 0 ? -1 : offset + (int64_t) done,
                                    writing);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (n == 0) {
                        if (writing)
                                return -EIO;
                        break;
                }
                done += (size_t) n;
        }
        return (ssize_t) done;
}

static ssize_t read_full(int fd, void *buf, size_t len, int64_t offset) {
        return io_full(fd, buf, len, offset, false);
}

static ssize_t write_full(int fd, const void *buf, size_t len, int64_t offset) {
        return io_full(fd, (char *) buf, len, offset, true); /* never written through */
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
