/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Creating memfds: options, names, sizes (the seed wrappers' tests first). */
#include <stdint.h>
#include <sys/vfs.h>

#include "core_test.h"

#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC 0x958458f6
#endif

static void named(void **state) {
        struct sealfd_create_options o = {.name = "config"};
        char name[64];
        int fd = sealfd_create(&o);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_name(fd, name, sizeof(name)), 6);
        assert_string_equal(name, "config");
        close(fd);
}

static void anon(void **state) {
        char name[64];
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_is_memfd(fd), 1);
        assert_true(sealfd_name(fd, name, sizeof(name)) > 0);
        assert_string_equal(name, "sealfd");
        close(fd);
}

static void new (void **state) {
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_size(fd), 0);
        assert_int_equal(sealfd_seals_get(fd), 0); /* sealing allowed, nothing sealed */
        assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        close(fd);
}

static void new_sized(void **state) {
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_set_size(fd, 4096), 0);
        assert_int_equal(sealfd_size(fd), 4096);
        assert_int_equal(sealfd_set_size(fd, 10), 0);
        assert_int_equal(sealfd_size(fd), 10);
        close(fd);
}

static void new_huge(void **state) {
        struct sealfd_create_options o = {.flags = SEALFD_CREATE_HUGETLB, .huge_page_size = 2u << 20};
        struct statfs sfs;
        struct stat st;
        if (sealfd_supports(SEALFD_FEATURE_HUGETLB) <= 0)
                SKIP_BECAUSE("kernel has no hugetlbfs for memfd_create(MFD_HUGETLB)");
        int fd = sealfd_create(&o);
        if (fd == -EOPNOTSUPP)
                SKIP_BECAUSE("no 2 MiB huge page pool on this machine");
        assert_true(fd >= 0);
        assert_int_equal(fstatfs(fd, &sfs), 0);
        assert_true((unsigned long) sfs.f_type == (unsigned long) HUGETLBFS_MAGIC);
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_blksize, 2 << 20);
        assert_int_equal(sealfd_is_memfd(fd), 1);
        /* hugetlbfs sizes are whole huge pages; a smaller size rounds up or
         * is refused, never silently half a page */
        assert_int_equal(sealfd_set_size(fd, 2u << 20), 0);
        assert_int_equal(sealfd_size(fd), 2 << 20);
        close(fd);
}

static void new_too_huge(void **state) {
        struct sealfd_create_options o = {.flags = SEALFD_CREATE_HUGETLB};
        /* not a power of two, below 64 KiB, above 16 GiB: not encodable */
        o.huge_page_size = 3u << 20;
        assert_int_equal(sealfd_create(&o), -EINVAL);
        o.huge_page_size = 4096;
        assert_int_equal(sealfd_create(&o), -EINVAL);
        o.huge_page_size = 32ull << 30;
        assert_int_equal(sealfd_create(&o), -EINVAL);
        /* a page size without HUGETLB is a mistake, not a hint */
        struct sealfd_create_options p = {.huge_page_size = 2u << 20};
        assert_int_equal(sealfd_create(&p), -EINVAL);
        /* a size the kernel refuses is a clean error */
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_set_size(fd, (uint64_t) INT64_MAX + 1), -EFBIG);
        assert_int_equal(sealfd_set_size(fd, UINT64_MAX), -EFBIG);
        assert_int_equal(sealfd_size(fd), 0);
        close(fd);
}

static void new_named(void **state) {
        char name[SEALFD_NAME_MAX + 2], back[SEALFD_NAME_MAX + 1];
        memset(name, 'n', sizeof(name));
        assert_int_equal(sealfd_create_named("a\0b", 3, NULL), -EINVAL);
        assert_int_equal(sealfd_create_named(name, SEALFD_NAME_MAX + 1, NULL), -ENAMETOOLONG);
        name[SEALFD_NAME_MAX + 1] = 0;
        struct sealfd_create_options o = {.name = name};
        assert_int_equal(sealfd_create(&o), -ENAMETOOLONG);

        int fd = sealfd_create_named(name, SEALFD_NAME_MAX, NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_name(fd, back, sizeof(back)), SEALFD_NAME_MAX);
        assert_memory_equal(back, name, SEALFD_NAME_MAX);
        close(fd);
        /* names are for debugging only: they may repeat */
        int a = sealfd_create_named("same", 4, NULL), b = sealfd_create_named("same", 4, NULL);
        assert_true(a >= 0 && b >= 0);
        close(a);
        close(b);
}

static void new_sealed(void **state) {
        struct sealfd_create_options o = {.flags = SEALFD_CREATE_NO_SEALING};
        int fd = sealfd_create(&o);
        assert_true(fd >= 0);
        assert_true(sealfd_seals_get(fd) & SEALFD_SEAL_SEAL);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEAL_WRITE), -EPERM);
        close(fd);
}

static void name_buffer_too_small_is_erange(void **state) {
        struct sealfd_create_options o = {.name = "longer-name"};
        char small[4] = "xyz";
        int fd = sealfd_create(&o);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_name(fd, small, sizeof(small)), -ERANGE);
        assert_string_equal(small, "xyz"); /* untouched on failure */
        close(fd);
}

static void name_of_a_regular_file_is_emediumtype(void **state) {
        char buf[64];
        int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_name(fd, buf, sizeof(buf)), -EMEDIUMTYPE);
        close(fd);
        assert_int_equal(sealfd_name(-1, buf, sizeof(buf)), -EBADF);
}

static void name_with_deleted_suffix_keeps_it(void **state) {
        struct sealfd_create_options o = {.name = "x (deleted)"};
        char buf[64];
        int fd = sealfd_create(&o);
        assert_true(fd >= 0);
        assert_true(sealfd_name(fd, buf, sizeof(buf)) > 0);
        assert_string_equal(buf, "x (deleted)"); /* only the kernel's suffix is stripped */
        close(fd);
}

static void inherit_clears_cloexec(void **state) {
        struct sealfd_create_options o = {.flags = SEALFD_CREATE_INHERIT};
        int fd = sealfd_create(&o);
        assert_true(fd >= 0);
        assert_false(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        close(fd);
}

static void unknown_flags_are_einval(void **state) {
        struct sealfd_create_options o = {.flags = 1u << 20};
        assert_int_equal(sealfd_create(&o), -EINVAL);
        o.flags = SEALFD_CREATE_EXEC | SEALFD_CREATE_NOEXEC;
        assert_int_equal(sealfd_create(&o), -EINVAL);
        assert_int_equal(sealfd_create_named(NULL, 3, NULL), -EINVAL);
}

static void size_near_int64_max_works(void **state) {
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        int r = sealfd_set_size(fd, (uint64_t) INT64_MAX - 4095);
        assert_int_equal(r, 0);
        assert_int_equal(sealfd_size(fd), INT64_MAX - 4095);
        close(fd);
}

static void noexec_is_never_executable(void **state) {
        struct sealfd_create_options o = {.flags = SEALFD_CREATE_NOEXEC};
        struct stat st;
        if (sealfd_supports(SEALFD_FEATURE_CREATE_NOEXEC) <= 0)
                SKIP_BECAUSE("kernel lacks MFD_NOEXEC_SEAL");
        int fd = sealfd_create(&o);
        assert_true(fd >= 0);
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_mode & 0111, 0);
        assert_true(sealfd_seals_get(fd) & SEALFD_SEAL_EXEC);
        assert_int_equal(fchmod(fd, 0755), -1);
        assert_int_equal(errno, EPERM);
        close(fd);
}

static void exec_is_executable(void **state) {
        struct sealfd_create_options o = {.flags = SEALFD_CREATE_EXEC};
        struct stat st;
        int policy = sealfd_noexec_policy();
        if (policy == 2)
                SKIP_BECAUSE(
                        "vm.memfd_noexec is 2 here: executable memfds are refused (tested in test_noexec)");
        int fd = sealfd_create(&o);
        assert_true(fd >= 0);
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_mode & 0111, 0111);
        assert_false(sealfd_seals_get(fd) & SEALFD_SEAL_EXEC);
        close(fd);
}

static void size_of_bad_fd_is_ebadf(void **state) {
        assert_int_equal(sealfd_size(-1), -EBADF);
        assert_int_equal(sealfd_set_size(-1, 1), -EBADF);
        assert_int_equal(sealfd_size(1000000), -EBADF);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(named),
                cmocka_unit_test(anon),
                cmocka_unit_test(new),
                cmocka_unit_test(new_sized),
                cmocka_unit_test(new_huge),
                cmocka_unit_test(new_too_huge),
                cmocka_unit_test(new_named),
                cmocka_unit_test(new_sealed),
                cmocka_unit_test(name_buffer_too_small_is_erange),
                cmocka_unit_test(name_of_a_regular_file_is_emediumtype),
                cmocka_unit_test(name_with_deleted_suffix_keeps_it),
                cmocka_unit_test(inherit_clears_cloexec),
                cmocka_unit_test(unknown_flags_are_einval),
                cmocka_unit_test(size_near_int64_max_works),
                cmocka_unit_test(noexec_is_never_executable),
                cmocka_unit_test(exec_is_executable),
                cmocka_unit_test(size_of_bad_fd_is_ebadf),
        };
        return cmocka_run_group_tests_name("create", tests, NULL, NULL);
}
