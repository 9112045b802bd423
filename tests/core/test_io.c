/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* read/write/pread/pwrite and mappings (seed tests mmap_page, mmap_page_offset). */
#include <sys/mman.h>

#include "core_test.h"

static void write_then_read_back(void **state) {
        char buf[10000], back[10000];
        fill_pattern(buf, sizeof(buf), 0, 3);
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_write(fd, buf, sizeof(buf)), sizeof(buf));
        assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
        assert_int_equal(sealfd_read(fd, back, sizeof(back)), sizeof(back));
        assert_memory_equal(buf, back, sizeof(buf));
        /* at end of file a read returns what there is */
        assert_int_equal(sealfd_read(fd, back, sizeof(back)), 0);
        close(fd);
}

static void pwrite_then_pread_keeps_offset(void **state) {
        char back[4];
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_pwrite(fd, "abcd", 4, 8192), 4);
        assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);
        assert_int_equal(sealfd_size(fd), 8196);
        assert_int_equal(sealfd_pread(fd, back, 4, 8192), 4);
        assert_memory_equal(back, "abcd", 4);
        assert_int_equal(sealfd_pread(fd, back, 4, 8194), 2);
        close(fd);
}

static void io_argument_errors(void **state) {
        char c;
        assert_int_equal(sealfd_read(-1, &c, 1), -EBADF);
        assert_int_equal(sealfd_write(-1, &c, 1), -EBADF);
        int fd = sealfd_create(NULL);
        assert_int_equal(sealfd_read(fd, NULL, 1), -EINVAL);
        assert_int_equal(sealfd_pwrite(fd, &c, 1, UINT64_MAX), -EINVAL);
        assert_int_equal(sealfd_write(fd, NULL, 0), 0);
        close(fd);
}

static void write_to_sealed_is_eperm(void **state) {
        int fd = sealfd_create(NULL);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEAL_WRITE), 0);
        assert_int_equal(sealfd_write(fd, "x", 1), -EPERM);
        assert_int_equal(sealfd_pwrite(fd, "x", 1, 0), -EPERM);
        close(fd);
}

static void mmap_page(void **state) {
        void *a, *b;
        long page = sysconf(_SC_PAGESIZE);
        int fd = sealfd_create(NULL);
        assert_int_equal(sealfd_set_size(fd, (uint64_t) page), 0);
        assert_int_equal(sealfd_map(fd, 0, (size_t) page, PROT_READ | PROT_WRITE, &a), 0);
        assert_int_equal(sealfd_map(fd, 0, (size_t) page, PROT_READ | PROT_WRITE, &b), 0);
        assert_ptr_not_equal(a, b);
        memset(a, 0x55, (size_t) page);
        assert_int_equal(((unsigned char *) b)[page - 1], 0x55);
        ((unsigned char *) b)[0] = 0xaa;
        assert_int_equal(((unsigned char *) a)[0], 0xaa);
        char c;
        assert_int_equal(sealfd_pread(fd, &c, 1, 0), 1);
        assert_int_equal((unsigned char) c, 0xaa);
        assert_int_equal(sealfd_unmap(a, (size_t) page), 0);
        assert_int_equal(sealfd_unmap(b, (size_t) page), 0);
        close(fd);
}

static void mmap_page_offset(void **state) {
        void *whole, *second;
        long page = sysconf(_SC_PAGESIZE);
        int fd = sealfd_create(NULL);
        assert_int_equal(sealfd_set_size(fd, 2 * (uint64_t) page), 0);
        assert_int_equal(sealfd_map(fd, 0, 2 * (size_t) page, PROT_READ | PROT_WRITE, &whole), 0);
        assert_int_equal(sealfd_map(fd, (uint64_t) page, (size_t) page, PROT_READ | PROT_WRITE, &second), 0);
        ((unsigned char *) whole)[page] = 0x11;
        ((unsigned char *) whole)[page + 7] = 0x22;
        assert_int_equal(((unsigned char *) second)[0], 0x11);
        assert_int_equal(((unsigned char *) second)[7], 0x22);
        ((unsigned char *) second)[9] = 0x33;
        assert_int_equal(((unsigned char *) whole)[page + 9], 0x33);
        sealfd_unmap(whole, 2 * (size_t) page);
        sealfd_unmap(second, (size_t) page);
        close(fd);
}

static void map_argument_errors(void **state) {
        void *p = (void *) 1;
        int fd = sealfd_create(NULL);
        assert_int_equal(sealfd_set_size(fd, 8192), 0);
        assert_int_equal(sealfd_map(fd, 100, 4096, PROT_READ, &p), -EINVAL);
        assert_int_equal(sealfd_map(fd, 0, 0, PROT_READ, &p), -EINVAL);
        assert_int_equal(sealfd_map(fd, 0, 4096, PROT_EXEC, &p), -EINVAL);
        assert_int_equal(sealfd_map(fd, 0, 4096, 0, &p), -EINVAL);
        assert_int_equal(sealfd_map(fd, 0, 4096, PROT_READ, NULL), -EINVAL);
        assert_int_equal(sealfd_map(-1, 0, 4096, PROT_READ, &p), -EBADF);
        assert_ptr_equal(p, (void *) 1); /* untouched on failure */
        assert_int_equal(sealfd_unmap((void *) (uintptr_t) 1, 4096), -EINVAL);
        assert_int_equal(sealfd_unmap(NULL, 0), 0);
        /* a sealed fd refuses writable shared mappings */
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEALS_IMMUTABLE), 0);
        assert_int_equal(sealfd_map(fd, 0, 4096, PROT_READ | PROT_WRITE, &p), -EPERM);
        close(fd);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(write_then_read_back),
                cmocka_unit_test(pwrite_then_pread_keeps_offset),
                cmocka_unit_test(io_argument_errors),
                cmocka_unit_test(write_to_sealed_is_eperm),
                cmocka_unit_test(mmap_page),
                cmocka_unit_test(mmap_page_offset),
                cmocka_unit_test(map_argument_errors),
        };
        return cmocka_run_group_tests_name("io", tests, NULL, NULL);
}
