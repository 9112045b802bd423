/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers for the libsealfd tests: temp dirs under /tmp, files of
 * known contents, fd counting.  Header-only, static functions. */
#ifndef SEALFD_CORE_TEST_H
#define SEALFD_CORE_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sealfd.h"

#define SKIP_BECAUSE(...)                                                                                    \
        do {                                                                                                 \
                printf("SKIP: " __VA_ARGS__);                                                                \
                printf("\n");                                                                                \
                fflush(stdout);                                                                              \
                skip();                                                                                      \
        } while (0)

/* Deterministic bytes that differ from page to page. */
static inline uint8_t pattern_byte(uint64_t i, unsigned seed) {
        return (uint8_t) ((i * 2654435761u + seed + (i >> 12)) >> 3);
}

static inline void fill_pattern(void *buf, size_t len, uint64_t start, unsigned seed) {
        uint8_t *p = buf;
        for (size_t i = 0; i < len; i++)
                p[i] = pattern_byte(start + i, seed);
}

/* A fresh directory under /tmp; the caller removes it with rm_rf(). */
static inline void make_tmpdir(char *buf, size_t size) {
        snprintf(buf, size, "/tmp/sealfd-test-XXXXXX");
        assert_non_null(mkdtemp(buf));
}

static inline int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st;
        (void) flag;
        (void) ftw;
        return remove(path);
}

static inline void rm_rf(const char *dir) {
        (void) nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes `size` pattern bytes to path in 1 MiB pieces (constant memory). */
static inline void write_pattern_file(const char *path, uint64_t size, unsigned seed) {
        static uint8_t chunk[1 << 20];
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        assert_true(fd >= 0);
        for (uint64_t off = 0; off < size;) {
                size_t n = size - off > sizeof(chunk) ? sizeof(chunk) : (size_t) (size - off);
                fill_pattern(chunk, n, off, seed);
                assert_int_equal(pwrite(fd, chunk, n, (off_t) off), (ssize_t) n);
                off += n;
        }
        close(fd);
}

/* 1 when fd's contents are exactly `size` pattern bytes. */
static inline int fd_has_pattern(int fd, uint64_t size, unsigned seed) {
        static uint8_t chunk[1 << 20], want[1 << 20];
        struct stat st;
        if (fstat(fd, &st) < 0 || (uint64_t) st.st_size != size)
                return 0;
        for (uint64_t off = 0; off < size;) {
                size_t n = size - off > sizeof(chunk) ? sizeof(chunk) : (size_t) (size - off);
                if (pread(fd, chunk, n, (off_t) off) != (ssize_t) n)
                        return 0;
                fill_pattern(want, n, off, seed);
                if (memcmp(chunk, want, n) != 0)
                        return 0;
                off += n;
        }
        return 1;
}

static inline int count_open_fds(void) {
        DIR *d = opendir("/proc/self/fd");
        int n = 0;
        assert_non_null(d);
        while (readdir(d))
                n++;
        closedir(d);
        return n;
}

#endif
