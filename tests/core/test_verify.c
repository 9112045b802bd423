/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealfd_verify and sealfd_map_readonly: what a consumer checks. */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "core_test.h"

#if defined(__x86_64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

static int plain_file(char *dir, size_t size) {
        char path[128];
        make_tmpdir(dir, size);
        snprintf(path, sizeof(path), "%s/plain", dir);
        write_pattern_file(path, 100, 1);
        return open(path, O_RDONLY | O_CLOEXEC);
}

static void plain_file_is_emediumtype(void **state) {
        char dir[64];
        int fd = plain_file(dir, sizeof(dir));
        assert_int_equal(sealfd_verify(fd, 0, -1), -EMEDIUMTYPE);
        assert_int_equal(sealfd_verify(fd, SEALFD_SEALS_IMMUTABLE, 100), -EMEDIUMTYPE);
        close(fd);
        rm_rf(dir);
}

static void pipe_is_emediumtype(void **state) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        assert_int_equal(sealfd_verify(p[0], SEALFD_SEALS_IMMUTABLE, -1), -EMEDIUMTYPE);
        close(p[0]);
        close(p[1]);
}

static void unsealed_memfd_is_ebadfd(void **state) {
        int fd = sealfd_create(NULL);
        assert_int_equal(sealfd_verify(fd, SEALFD_SEALS_IMMUTABLE, -1), -EBADFD);
        close(fd);
}

/* 0 is what a caller passes who did not think about seals: it must not
 * accept a writable memfd (it means the immutable set, as in the load
 * options); asking for no seal takes the explicit bit. */
static void zero_required_means_the_immutable_set(void **state) {
        int bare = sealfd_create(NULL);
        int partly = sealfd_create(NULL);
        int sealed = sealfd_load_buffer("abc", 3, NULL);
        assert_int_equal(sealfd_seals_add(partly, SEALFD_SEAL_WRITE | SEALFD_SEAL_SHRINK), 0);
        assert_int_equal(sealfd_verify(bare, 0, -1), -EBADFD);
        assert_int_equal(sealfd_verify(partly, 0, -1), -EBADFD);
        assert_int_equal(sealfd_verify(sealed, 0, 3), 0);
        assert_int_equal(sealfd_verify(bare, SEALFD_SEALS_NOT_REQUIRED, -1), 0);
        assert_int_equal(sealfd_verify(sealed, SEALFD_SEALS_NOT_REQUIRED, 4), -ERANGE);
        close(bare);
        close(partly);
        close(sealed);
}

static void not_required_is_still_a_memfd_check(void **state) {
        char dir[64];
        int fd = plain_file(dir, sizeof(dir));
        assert_int_equal(sealfd_verify(fd, SEALFD_SEALS_NOT_REQUIRED, -1), -EMEDIUMTYPE);
        close(fd);
        rm_rf(dir);
}

static void not_required_with_a_seal_is_einval(void **state) {
        int fd = sealfd_create(NULL);
        assert_int_equal(sealfd_verify(fd, SEALFD_SEALS_NOT_REQUIRED | SEALFD_SEAL_WRITE, -1), -EINVAL);
        struct sealfd_load_options o = {.seals = SEALFD_SEALS_NOT_REQUIRED};
        assert_int_equal(sealfd_load_buffer("a", 1, &o), -EINVAL);
        close(fd);
}

static void partly_sealed_memfd_is_ebadfd(void **state) {
        int fd = sealfd_create(NULL);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEAL_WRITE | SEALFD_SEAL_SHRINK), 0);
        assert_int_equal(sealfd_verify(fd, SEALFD_SEALS_IMMUTABLE, -1), -EBADFD);
        assert_int_equal(sealfd_verify(fd, SEALFD_SEAL_WRITE | SEALFD_SEAL_SHRINK, -1), 0);
        close(fd);
}

static void good_memfd_passes_and_size_is_checked(void **state) {
        int fd = sealfd_load_buffer("hello", 5, NULL);
        assert_int_equal(sealfd_verify(fd, SEALFD_SEALS_IMMUTABLE, -1), 0);
        assert_int_equal(sealfd_verify(fd, SEALFD_SEALS_IMMUTABLE, 5), 0);
        assert_int_equal(sealfd_verify(fd, SEALFD_SEALS_IMMUTABLE, 6), -ERANGE);
        assert_int_equal(sealfd_verify(fd, SEALFD_SEALS_IMMUTABLE, 0), -ERANGE);
        close(fd);
}

static void verify_argument_errors(void **state) {
        int fd = sealfd_create(NULL);
        assert_int_equal(sealfd_verify(-1, 0, -1), -EBADF);
        assert_int_equal(sealfd_verify(1000000, 0, -1), -EBADF);
        assert_int_equal(sealfd_verify(fd, 0x8000, -1), -EINVAL);
        assert_int_equal(sealfd_verify(fd, 0, -2), -EINVAL);
        close(fd);
}

static void map_readonly_of_sealed_memfd(void **state) {
        const void *p = NULL;
        size_t size = 0;
        char buf[5000];
        fill_pattern(buf, sizeof(buf), 0, 2);
        int fd = sealfd_load_buffer(buf, sizeof(buf), NULL);
        assert_int_equal(sealfd_map_readonly(fd, &p, &size), 0);
        assert_int_equal(size, sizeof(buf));
        assert_memory_equal(p, buf, sizeof(buf));
        /* read-only: upgrading the mapping is refused by the seal */
        assert_int_equal(mprotect((void *) p, 4096, PROT_READ | PROT_WRITE), -1);
        assert_int_equal(sealfd_unmap((void *) p, size), 0);
        close(fd);
}

static void map_readonly_of_empty_memfd_is_null(void **state) {
        const void *p = (void *) 1;
        size_t size = 1;
        int fd = sealfd_load_buffer(NULL, 0, NULL);
        assert_int_equal(sealfd_map_readonly(fd, &p, &size), 0);
        assert_null(p);
        assert_int_equal(size, 0);
        assert_int_equal(sealfd_unmap((void *) p, size), 0);
        close(fd);
}

static void map_readonly_requires_shrink_and_write(void **state) {
        const void *p = (void *) 1;
        size_t size = 1;
        int fd = sealfd_create(NULL);
        assert_int_equal(sealfd_set_size(fd, 4096), 0);
        assert_int_equal(sealfd_map_readonly(fd, &p, &size), -EBADFD);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEAL_SHRINK), 0);
        assert_int_equal(sealfd_map_readonly(fd, &p, &size), -EBADFD);
        assert_ptr_equal(p, (void *) 1);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEAL_WRITE), 0);
        assert_int_equal(sealfd_map_readonly(fd, &p, &size), 0);
        assert_int_equal(size, 4096);
        sealfd_unmap((void *) p, size);
        close(fd);

        int pp[2];
        assert_int_equal(pipe(pp), 0);
        assert_int_equal(sealfd_map_readonly(pp[0], &p, &size), -EMEDIUMTYPE);
        close(pp[0]);
        close(pp[1]);
        assert_int_equal(sealfd_map_readonly(-1, &p, &size), -EBADF);
        assert_int_equal(sealfd_map_readonly(0, NULL, &size), -EINVAL);
}

#ifdef TEST_AUDIT_ARCH
/* memfd_create -> EPERM, everything else allowed. */
static int deny_memfd_create(void) {
        struct sock_filter f[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_AUDIT_ARCH, 1, 0),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_memfd_create, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return -1;
        return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}
#endif

/* A consumer confined by seccomp may not be allowed memfd_create: verify
 * must still work there (and must not have created one to learn what a
 * memfd looks like). */
static void verify_works_without_memfd_create(void **state) {
#ifndef TEST_AUDIT_ARCH
        SKIP_BECAUSE("no seccomp test filter for this architecture");
#else
        int status;
        int good = sealfd_load_buffer("x", 1, NULL);
        int tmp = open("/dev/shm", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        assert_true(good >= 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                if (deny_memfd_create() < 0)
                        _exit(10);
                if (sealfd_create(NULL) != -EPERM)
                        _exit(11); /* the filter is in force */
                if (sealfd_verify(good, SEALFD_SEALS_IMMUTABLE, 1) != 0)
                        _exit(12);
                if (tmp >= 0 && sealfd_verify(tmp, 0, -1) != -EMEDIUMTYPE)
                        _exit(13);
                _exit(0);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        close(good);
        if (tmp >= 0)
                close(tmp);
#endif
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(plain_file_is_emediumtype),
                cmocka_unit_test(pipe_is_emediumtype),
                cmocka_unit_test(unsealed_memfd_is_ebadfd),
                cmocka_unit_test(zero_required_means_the_immutable_set),
                cmocka_unit_test(not_required_is_still_a_memfd_check),
                cmocka_unit_test(not_required_with_a_seal_is_einval),
                cmocka_unit_test(partly_sealed_memfd_is_ebadfd),
                cmocka_unit_test(good_memfd_passes_and_size_is_checked),
                cmocka_unit_test(verify_argument_errors),
                cmocka_unit_test(map_readonly_of_sealed_memfd),
                cmocka_unit_test(map_readonly_of_empty_memfd_is_null),
                cmocka_unit_test(map_readonly_requires_shrink_and_write),
                cmocka_unit_test(verify_works_without_memfd_create),
        };
        return cmocka_run_group_tests_name("verify", tests, NULL, NULL);
}
