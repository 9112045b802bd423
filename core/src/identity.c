/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What an fd is: memfd or not, its name, its size. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "internal.h"

#define MEMFD_LINK_PREFIX "/memfd:"
#define DELETED_SUFFIX " (deleted)"

int sealfd__fd_check_open(int fd) {
        if (fd < 0)
                return -EBADF;
        if (fcntl(fd, F_GETFD) < 0)
                return negative_errno();
        return 0;
}

/* The device number of the kernel's internal tmpfs mount (shm_mnt) that
 * holds every non-hugetlb memfd (see memfd_dev()).
 * 0 = not learned yet (anonymous device numbers start at minor 1, so no
 * mount has st_dev 0); a failure to learn it is not cached. */
static dev_t memfd_dev_cache;

static int memfd_reference_dev(unsigned huge_flags, dev_t *ret_dev) {
        struct stat st;
        _cleanup_close_ int fd = sealfd__memfd_create_raw("sealfd-ref", MFD_CLOEXEC | huge_flags);
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        *ret_dev = st.st_dev;
        return 0;
}

/* A shared anonymous mapping is a file on the same internal tmpfs mount as
 * every memfd, and /proc/self/maps shows its device.  Learning the device
 * this way needs only mmap and reading /proc, which a consumer running
 * under a strict seccomp policy can do, where memfd_create may be denied
 * (or kill it). */
static int shm_dev_from_maps(dev_t *ret_dev) {
        char line[512];
        int r = -ENOENT;
        void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
                return negative_errno();
        FILE *f = fopen("/proc/self/maps", "re");
        if (!f) {
                r = negative_errno();
                (void) munmap(p, 4096);
                return r;
        }
        while (fgets(line, sizeof(line), f)) {
                unsigned long start;
                unsigned major_, minor_;
                if (sscanf(line, "%lx-%*x %*s %*s %x:%x", &start, &major_, &minor_) == 3 &&
                    start == (unsigned long) (uintptr_t) p) {
                        *ret_dev = makedev(major_, minor_);
                        r = 0;
                        break;
                }
        }
        fclose(f);
        (void) munmap(p, 4096);
        return r;
}

static int memfd_dev(const struct stat *st, bool hugetlb, dev_t *ret_dev) {
        if (hugetlb) {
                /* One internal hugetlbfs mount per page size, and a file's
                 * st_blksize is its huge page size. */
                uint64_t page = (uint64_t) st->st_blksize;
                if (page == 0 || (page & (page - 1)))
                        return -EINVAL;
                unsigned shift = (unsigned) __builtin_ctzll(page);
                return memfd_reference_dev(MFD_HUGETLB | (shift << MFD_HUGE_SHIFT), ret_dev);
        }
        dev_t dev = __atomic_load_n(&memfd_dev_cache, __ATOMIC_RELAXED);
        if (dev == 0) {
                int r = shm_dev_from_maps(&dev);
                if (r < 0)
                        r = memfd_reference_dev(0, &dev); /* no /proc */
                if (r < 0)
                        return r;
                __atomic_store_n(&memfd_dev_cache, dev, __ATOMIC_RELAXED);
        }
        *ret_dev = dev;
        return 0;
}

/* The /proc/self/fd link of a memfd reads "/memfd:NAME (deleted)". */
static int fd_link(int fd, char *buf, size_t size) {
        char path[sizeof("/proc/self/fd/") + 3 * sizeof(int)];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        ssize_t n = readlink(path, buf, size - 1);
        if (n < 0)
                return negative_errno();
        if ((size_t) n >= size - 1)
                return -ENAMETOOLONG;
        buf[n] = 0;
        return (int) n;
}

/*
 * Why each step (F_GET_SEALS alone proves only "shmem or hugetlbfs file"):
 *  1. regular file, st_nlink == 0: memfds are created unlinked
 *     (__shmem_file_setup clears nlink).  Rules out every linked tmpfs file,
 *     e.g. /dev/shm/x.
 *  2. fstatfs is tmpfs or hugetlbfs, and F_GET_SEALS answers.
 *  3. st_dev is that of the kernel's internal tmpfs mount (one per hugetlb
 *     page size) that holds memfds, which no user-visible mount shares.
 *     Rules out unlinked and O_TMPFILE files on any mounted tmpfs.  The
 *     device is learned from a shared anonymous mapping in
 *     /proc/self/maps, or, without /proc, from a memfd of our own.
 *  4. where /proc is mounted, the link starts with "/memfd:": the internal
 *     mount also holds shared anonymous mappings ("/dev/zero") and SysV
 *     segments ("SYSV..."), reachable as fds through /proc/PID/map_files
 *     by a privileged process.  Without /proc that last case is accepted.
 */
int sealfd_is_memfd(int fd) {
        struct stat st;
        struct statfs sfs;
        dev_t dev;
        int r;

        r = sealfd__fd_check_open(fd);
        if (r < 0)
                return r;
        r = fstat_checked(fd, &st);
        if (r < 0)
                return r;
        if (!S_ISREG(st.st_mode) || st.st_nlink != 0)
                return 0;
        if (fstatfs(fd, &sfs) < 0)
                return negative_errno();
        bool hugetlb = (unsigned long) sfs.f_type == (unsigned long) HUGETLBFS_MAGIC;
        if (!hugetlb && (unsigned long) sfs.f_type != (unsigned long) TMPFS_MAGIC)
                return 0;
        if (fcntl(fd, F_GET_SEALS) < 0)
                return 0;
        r = memfd_dev(&st, hugetlb, &dev);
        if (r < 0)
                return r;
        if (st.st_dev != dev)
                return 0;

        char link[sizeof(MEMFD_LINK_PREFIX) + SEALFD_NAME_MAX + sizeof(DELETED_SUFFIX) + 16];
        r = fd_link(fd, link, sizeof(link));
        if (r == -ENOENT || r == -EACCES || r == -ENOSYS)
                return 1; /* no /proc: steps 1-3 have to do */
        if (r < 0)
                return r == -ENAMETOOLONG ? 0 : r;
        return strncmp(link, MEMFD_LINK_PREFIX, strlen(MEMFD_LINK_PREFIX)) == 0;
}

int sealfd__require_memfd(int fd) {
        int r = sealfd_is_memfd(fd);
        return r < 0 ? r : r == 0 ? -EMEDIUMTYPE : 0;
}

ssize_t sealfd_name(int fd, char *buf, size_t size) {
        char link[sizeof(MEMFD_LINK_PREFIX) + SEALFD_NAME_MAX + sizeof(DELETED_SUFFIX) + 16];
        int r;

        if (!buf && size > 0)
                return -EINVAL;
        r = sealfd__require_memfd(fd);
        if (r < 0)
                return r;
        r = fd_link(fd, link, sizeof(link));
        if (r < 0)
                return r;

        size_t len = (size_t) r;
        if (len < strlen(MEMFD_LINK_PREFIX))
                return -EMEDIUMTYPE;
        const char *name = link + strlen(MEMFD_LINK_PREFIX);
        len -= strlen(MEMFD_LINK_PREFIX);
        /* A memfd is always unlinked, so the kernel always appends the
         * suffix; strip exactly one. */
        if (len >= strlen(DELETED_SUFFIX) &&
            memcmp(name + len - strlen(DELETED_SUFFIX), DELETED_SUFFIX, strlen(DELETED_SUFFIX)) == 0)
                len -= strlen(DELETED_SUFFIX);
        if (len + 1 > size)
                return -ERANGE;
        memcpy(buf, name, len);
        buf[len] = 0;
        return (ssize_t) len;
}

int64_t sealfd_size(int fd) {
        struct stat st;
        int r;

        if (fd < 0)
                return -EBADF;
        r = fstat_checked(fd, &st);
        if (r < 0)
                return r;
        return (int64_t) st.st_size;
}

int sealfd_set_size(int fd, uint64_t size) {
        if (fd < 0)
                return -EBADF;
        /* off_t is signed: the kernel could never represent this size. */
        if (size > INT64_MAX)
                return -EFBIG;
        if (ftruncate(fd, (off_t) size) < 0)
                return negative_errno();
        return 0;
}
