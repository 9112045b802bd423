/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Telling a memfd from everything that looks like one. */
#include <sys/mman.h>
#include <sys/socket.h>

#include "core_test.h"

#ifndef F_GET_SEALS
#define F_GET_SEALS (1024 + 10)
#endif

static void memfd_is_memfd(void **state) {
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_is_memfd(fd), 1);
        close(fd);
        struct sealfd_create_options o = {.flags = SEALFD_CREATE_NO_SEALING};
        fd = sealfd_create(&o);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_is_memfd(fd), 1);
        close(fd);
}

static void wrapped_fd_is_memfd(void **state) {
        /* An fd from memfd_create(2) directly, not through the library. */
        int fd = memfd_create("raw", MFD_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_is_memfd(fd), 1);
        int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
        assert_int_equal(sealfd_is_memfd(copy), 1);
        close(copy);
        close(fd);
}

static int open_dev_shm_file(char *path, size_t size) {
        snprintf(path, size, "/dev/shm/sealfd-test-%d", getpid());
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        return fd;
}

/* Pitfall: a tmpfs file answers F_GET_SEALS too. */
static void tmpfs_file_answers_seals_but_is_not_memfd(void **state) {
        char path[64];
        int fd = open_dev_shm_file(path, sizeof(path));
        if (fd < 0)
                SKIP_BECAUSE("cannot create a file in /dev/shm: %s", strerror(errno));
        assert_true(fcntl(fd, F_GET_SEALS) >= 0);
        assert_int_equal(sealfd_is_memfd(fd), 0);
        assert_int_equal(sealfd_verify(fd, 0, -1), -EMEDIUMTYPE);
        /* unlinked, it has no name anywhere, like a memfd: still not one */
        assert_int_equal(unlink(path), 0);
        assert_int_equal(sealfd_is_memfd(fd), 0);
        close(fd);
}

static void tmpfile_on_tmpfs_is_not_memfd(void **state) {
        int fd = open("/dev/shm", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (fd < 0)
                SKIP_BECAUSE("O_TMPFILE in /dev/shm failed: %s", strerror(errno));
        struct stat st;
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_nlink, 0);
        assert_true(fcntl(fd, F_GET_SEALS) >= 0);
        assert_int_equal(sealfd_is_memfd(fd), 0);
        close(fd);
}

/* A shared anonymous mapping is a file on the same internal tmpfs mount as
 * memfds, reachable as an fd through /proc/self/map_files (privileged).
 * Only its /proc link ("/dev/zero (deleted)") tells it apart. */
static void shared_anonymous_mapping_is_not_memfd(void **state) {
        char path[128];
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        assert_true(p != MAP_FAILED);
        snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx", (unsigned long) p,
                 (unsigned long) p + 4096);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                int e = errno;
                munmap(p, 4096);
                SKIP_BECAUSE("cannot open %s (needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN in the initial "
                             "user namespace): %s",
                             path, strerror(e));
        }
        struct stat st, memfd_st;
        int memfd = sealfd_create(NULL);
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(fstat(memfd, &memfd_st), 0);
        assert_true(st.st_dev == memfd_st.st_dev); /* same mount: the hard case */
        assert_true(fcntl(fd, F_GET_SEALS) >= 0);
        assert_int_equal(sealfd_is_memfd(fd), 0);
        close(memfd);
        close(fd);
        munmap(p, 4096);
}

static void other_fds_are_not_memfds(void **state) {
        int p[2], s[2];
        assert_int_equal(pipe(p), 0);
        assert_int_equal(sealfd_is_memfd(p[0]), 0);
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, s), 0);
        assert_int_equal(sealfd_is_memfd(s[0]), 0);
        int dir = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_int_equal(sealfd_is_memfd(dir), 0);
        int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
        assert_int_equal(sealfd_is_memfd(null), 0);
        char dirpath[64], path[96];
        make_tmpdir(dirpath, sizeof(dirpath));
        snprintf(path, sizeof(path), "%s/f", dirpath);
        write_pattern_file(path, 10, 1);
        int f = open(path, O_RDONLY | O_CLOEXEC);
        assert_int_equal(sealfd_is_memfd(f), 0);
        close(f);
        close(null);
        close(dir);
        close(p[0]);
        close(p[1]);
        close(s[0]);
        close(s[1]);
        rm_rf(dirpath);
}

static void bad_fds_are_ebadf(void **state) {
        assert_int_equal(sealfd_is_memfd(-1), -EBADF);
        assert_int_equal(sealfd_is_memfd(1000000), -EBADF);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(memfd_is_memfd),
                cmocka_unit_test(wrapped_fd_is_memfd),
                cmocka_unit_test(tmpfs_file_answers_seals_but_is_not_memfd),
                cmocka_unit_test(tmpfile_on_tmpfs_is_not_memfd),
                cmocka_unit_test(shared_anonymous_mapping_is_not_memfd),
                cmocka_unit_test(other_fds_are_not_memfds),
                cmocka_unit_test(bad_fds_are_ebadf),
        };
        return cmocka_run_group_tests_name("identity", tests, NULL, NULL);
}
