/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seal_probe FD: run by test_seal after exec, holding a sealed memfd at FD.
 * Tries every route to change the file and prints one line per route:
 * "<route> OK" or "<route> <ERRNO-NAME>", plus a check that the contents
 * and size are what they were.  Never changes its verdict by itself: the
 * test decides what is expected. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef F_ADD_SEALS
#define F_ADD_SEALS (1024 + 9)
#endif
#ifndef F_SEAL_WRITE
#define F_SEAL_WRITE 0x0008
#endif

static void report(const char *route, int ok) {
        printf("%s %s\n", route, ok ? "OK" : strerrorname_np(errno));
}

int main(int argc, char **argv) {
        if (argc != 2)
                return 2;
        int fd = atoi(argv[1]);
        struct stat st;
        if (fstat(fd, &st) < 0)
                return 3;
        off_t size = st.st_size;
        unsigned char first = 0;
        if (pread(fd, &first, 1, 0) != 1)
                return 4;

        report("write", write(fd, "x", 1) == 1);
        report("pwrite", pwrite(fd, "x", 1, 0) == 1);
        report("ftruncate_shrink", ftruncate(fd, size / 2) == 0);
        report("ftruncate_grow", ftruncate(fd, size + 4096) == 0);
        report("fallocate", fallocate(fd, 0, 0, size + 4096) == 0);
        report("add_seals", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) == 0);
        void *p = mmap(NULL, (size_t) size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        report("mmap_shared_write", p != MAP_FAILED);

        /* A private writable mapping is allowed; it must not reach the file. */
        unsigned char *q = mmap(NULL, (size_t) size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        report("mmap_private_write", q != MAP_FAILED);
        if (q != MAP_FAILED) {
                q[0] = (unsigned char) ~first;
                unsigned char now = 0;
                printf("mmap_private_write_reaches_file %s\n",
                       pread(fd, &now, 1, 0) == 1 && now != first ? "YES" : "NO");
                munmap(q, (size_t) size);
        }

        /* Re-opening through /proc gives a new open file description, which
         * may be O_RDWR; the seals are on the inode, so writes still fail. */
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        int rw = open(path, O_RDWR | O_CLOEXEC);
        report("reopen_rdwr", rw >= 0);
        if (rw >= 0) {
                report("reopen_write", write(rw, "x", 1) == 1);
                close(rw);
        }
        report("fchmod_exec", fchmod(fd, 0755) == 0);

        unsigned char after = 0;
        if (fstat(fd, &st) < 0 || pread(fd, &after, 1, 0) != 1)
                return 5;
        printf("unchanged %s\n", st.st_size == size && after == first ? "YES" : "NO");
        return 0;
}
