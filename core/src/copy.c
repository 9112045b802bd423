/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The copy loop behind sealfd_load_*.
 *
 * sendfile(2) is the primitive: the kernel moves page-cache pages into the
 * memfd (do_splice_direct through the task's internal pipe) with no user
 * buffer.  copy_file_range(2) would be the natural call but refuses copies
 * between two superblocks (-EXDEV) unless the filesystem implements them,
 * and a memfd's internal tmpfs mount never shares a superblock with the
 * source; bench/README.md has the measurements.  Pipes and FIFOs, which
 * sendfile cannot read, go through splice(2) straight into the memfd.
 * read/write with a small fixed buffer is the last resort for sources that
 * refuse both (some character devices).  Memory use is constant. */
#include <fcntl.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "copy.h"

/* sendfile and splice move at most 0x7ffff000 bytes per call anyway. */
#define CHUNK_MAX ((uint64_t) 1 << 30)
#define BOUNCE_SIZE ((size_t) 64 * 1024)

enum copy_method { COPY_SENDFILE, COPY_SPLICE, COPY_READ_WRITE };

static ssize_t copy_bounce(int dst, int src, off_t *src_offset, size_t len) {
        _Static_assert(BOUNCE_SIZE <= 64 * 1024, "keep the stack use small");
        char buf[BOUNCE_SIZE];
        if (len > sizeof(buf))
                len = sizeof(buf);
        ssize_t n = src_offset ? pread(src, buf, len, *src_offset) : read(src, buf, len);
        if (n <= 0)
                return n;
        if (src_offset)
                *src_offset += n;
        for (ssize_t done = 0; done < n;) {
                ssize_t w = write(dst, buf + done, (size_t) (n - done));
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0)
                        return w == 0 ? (errno = EIO, -1) : -1;
                done += w;
        }
        return n;
}

static ssize_t copy_step(enum copy_method m, int dst, int src, off_t *src_offset, size_t len) {
        switch (m) {
        case COPY_SENDFILE:
                return sendfile(dst, src, src_offset, len);
        case COPY_SPLICE: {
                loff_t off = src_offset ? *src_offset : 0;
                ssize_t n = splice(src, src_offset ? &off : NULL, dst, NULL, len, SPLICE_F_MOVE);
                if (n > 0 && src_offset)
                        *src_offset = off;
                return n;
        }
        case COPY_READ_WRITE:
                return copy_bounce(dst, src, src_offset, len);
        }
        errno = EINVAL;
        return -1;
}

int copy_into_memfd(int dst, int src, off_t *src_offset, uint64_t limit, uint64_t *ret_copied) {
        struct stat st;
        enum copy_method m = COPY_SENDFILE;
        uint64_t copied = 0;

        if (fstat(src, &st) < 0)
                return negative_errno();
        if (S_ISFIFO(st.st_mode))
                m = COPY_SPLICE;

        while (copied < limit) {
                uint64_t want = limit - copied;
                if (want > CHUNK_MAX)
                        want = CHUNK_MAX;
                ssize_t n = copy_step(m, dst, src, src_offset, (size_t) want);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        /* Nothing moved yet and the source refuses this
                         * primitive: fall back once, to read/write. */
                        if ((errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) &&
                            m != COPY_READ_WRITE && copied == 0) {
                                m = COPY_READ_WRITE;
                                continue;
                        }
                        return negative_errno();
                }
                if (n == 0)
                        break;
                copied += (uint64_t) n;
        }
        *ret_copied = copied;
        return 0;
}
