/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Seals: getting, adding, what the kernel refuses, and the enforcement
 * matrix as seen by a process that received the fd across exec. */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "core_test.h"

static int sealed_fd(size_t size, sealfd_seals_t seals, uint32_t load_flags) {
        uint8_t *buf = malloc(size);
        assert_non_null(buf);
        fill_pattern(buf, size, 0, 7);
        struct sealfd_load_options o = {.seals = seals, .flags = load_flags};
        int fd = sealfd_load_buffer(buf, size, &o);
        free(buf);
        assert_true(fd >= 0);
        return fd;
}

static void add_and_get(void **state) {
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEAL_GROW), 0);
        assert_int_equal(sealfd_seals_get(fd), SEALFD_SEAL_GROW);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEAL_SHRINK | SEALFD_SEAL_WRITE), 0);
        assert_int_equal(sealfd_seals_get(fd), SEALFD_SEAL_GROW | SEALFD_SEAL_SHRINK | SEALFD_SEAL_WRITE);
        close(fd);
}

static void add_after_seal_is_eperm(void **state) {
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEAL_SEAL), 0);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEAL_WRITE), -EPERM);
        assert_int_equal(sealfd_seals_get(fd), SEALFD_SEAL_SEAL);
        close(fd);
}

static void unknown_seal_bits_are_einval(void **state) {
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_seals_add(fd, 0x1000), -EINVAL);
        assert_int_equal(sealfd_seals_get(fd), 0);
        close(fd);
}

static void seals_on_a_pipe_are_emediumtype(void **state) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        assert_int_equal(sealfd_seals_get(p[0]), -EMEDIUMTYPE);
        assert_int_equal(sealfd_seals_add(p[1], SEALFD_SEAL_WRITE), -EMEDIUMTYPE);
        close(p[0]);
        close(p[1]);
        assert_int_equal(sealfd_seals_get(-1), -EBADF);
        assert_int_equal(sealfd_seals_add(-1, SEALFD_SEAL_WRITE), -EBADF);
}

static void every_seal_the_kernel_knows(void **state) {
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        sealfd_seals_t all = SEALFD_SEALS_IMMUTABLE;
        if (sealfd_supports(SEALFD_FEATURE_SEAL_FUTURE_WRITE) > 0)
                all |= SEALFD_SEAL_FUTURE_WRITE;
        if (sealfd_supports(SEALFD_FEATURE_SEAL_EXEC) > 0)
                all |= SEALFD_SEAL_EXEC;
        assert_int_equal(sealfd_seals_add(fd, all), 0);
        assert_int_equal((sealfd_seals_t) sealfd_seals_get(fd), all);
        close(fd);
}

/* Pitfall: WRITE cannot be added while a writable shared mapping exists. */
static void write_seal_with_writable_mapping_is_ebusy(void **state) {
        void *p;
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_set_size(fd, 4096), 0);
        assert_int_equal(sealfd_map(fd, 0, 4096, PROT_READ | PROT_WRITE, &p), 0);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEAL_WRITE), -EBUSY);
        assert_int_equal(sealfd_unmap(p, 4096), 0);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEAL_WRITE), 0);
        close(fd);
}

/* Pitfall: even a read-only shared mapping blocks WRITE while it exists,
 * because an fd open for writing lets mprotect upgrade it (VM_MAYWRITE). */
static void write_seal_with_readonly_shared_mapping_is_ebusy(void **state) {
        void *p;
        int fd = sealfd_create(NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_set_size(fd, 4096), 0);
        assert_int_equal(sealfd_map(fd, 0, 4096, PROT_READ, &p), 0);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEALS_IMMUTABLE), -EBUSY);
        assert_int_equal(sealfd_unmap(p, 4096), 0);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEALS_IMMUTABLE), 0);
        close(fd);
}

/* Pitfall: after sealing, a read-only shared mapping cannot be made
 * writable with mprotect (WRITE, and FUTURE_WRITE since Linux 5.1's fix). */
static void mprotect_write_after_seal_fails(void **state) {
        sealfd_seals_t kinds[2] = {SEALFD_SEALS_IMMUTABLE, SEALFD_SEALS_PRODUCER};
        int n = sealfd_supports(SEALFD_FEATURE_SEAL_FUTURE_WRITE) > 0 ? 2 : 1;
        for (int i = 0; i < n; i++) {
                void *p;
                int fd = sealfd_create(NULL);
                assert_true(fd >= 0);
                assert_int_equal(sealfd_set_size(fd, 4096), 0);
                assert_int_equal(sealfd_seals_add(fd, kinds[i]), 0);
                assert_int_equal(sealfd_map(fd, 0, 4096, PROT_READ, &p), 0);
                assert_int_equal(mprotect(p, 4096, PROT_READ | PROT_WRITE), -1);
                assert_true(errno == EACCES || errno == EPERM);
                assert_int_equal(sealfd_unmap(p, 4096), 0);
                close(fd);
        }
}

struct probe_result {
        char text[4096];
};

static void run_probe_across_exec(int fd, struct probe_result *res) {
        int out[2];
        assert_int_equal(pipe2(out, O_CLOEXEC), 0);
        /* The child must see fd after exec: a copy without close-on-exec. */
        int keep = fcntl(fd, F_DUPFD, 10);
        assert_true(keep >= 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                char num[16];
                snprintf(num, sizeof(num), "%d", keep);
                dup2(out[1], STDOUT_FILENO);
                execl(SEAL_PROBE_PATH, "seal_probe", num, (char *) NULL);
                _exit(127);
        }
        close(out[1]);
        close(keep);
        size_t n = 0;
        ssize_t k;
        while ((k = read(out[0], res->text + n, sizeof(res->text) - 1 - n)) > 0)
                n += (size_t) k;
        res->text[n] = 0;
        close(out[0]);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

static void expect_line(const struct probe_result *res, const char *line) {
        char want[128];
        snprintf(want, sizeof(want), "%s\n", line);
        if (!strstr(res->text, want))
                fail_msg("seal_probe did not report \"%s\"; it said:\n%s", line, res->text);
}

static void enforcement_matrix_across_exec(void **state) {
        struct probe_result res;
        int fd = sealed_fd(3 * 4096 + 5, 0, 0);
        assert_int_equal(sealfd_verify(fd, SEALFD_SEALS_IMMUTABLE, -1), 0);
        run_probe_across_exec(fd, &res);
        expect_line(&res, "write EPERM");
        expect_line(&res, "pwrite EPERM");
        expect_line(&res, "ftruncate_shrink EPERM");
        expect_line(&res, "ftruncate_grow EPERM");
        expect_line(&res, "fallocate EPERM");
        expect_line(&res, "add_seals EPERM");
        expect_line(&res, "mmap_shared_write EPERM");
        expect_line(&res, "mmap_private_write OK");
        expect_line(&res, "mmap_private_write_reaches_file NO");
        /* reopen may or may not be allowed; if it is, writes still fail */
        if (strstr(res.text, "reopen_rdwr OK\n"))
                expect_line(&res, "reopen_write EPERM");
        expect_line(&res, "unchanged YES");
        assert_true(fd_has_pattern(fd, 3 * 4096 + 5, 7));
        close(fd);
}

static void exec_seal_blocks_chmod_across_exec(void **state) {
        struct probe_result res;
        if (sealfd_supports(SEALFD_FEATURE_SEAL_EXEC) <= 0)
                SKIP_BECAUSE("kernel lacks F_SEAL_EXEC");
        int fd = sealed_fd(4096, 0, 0);
        assert_true(sealfd_seals_get(fd) & SEALFD_SEAL_EXEC);
        run_probe_across_exec(fd, &res);
        expect_line(&res, "fchmod_exec EPERM");
        struct stat st;
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_mode & 0111, 0);
        close(fd);
}

static void future_write_blocks_every_route_across_exec(void **state) {
        struct probe_result res;
        if (sealfd_supports(SEALFD_FEATURE_SEAL_FUTURE_WRITE) <= 0)
                SKIP_BECAUSE("kernel lacks F_SEAL_FUTURE_WRITE");
        int fd = sealed_fd(8192, SEALFD_SEALS_PRODUCER | SEALFD_SEAL_SEAL, 0);
        run_probe_across_exec(fd, &res);
        expect_line(&res, "write EPERM");
        expect_line(&res, "pwrite EPERM");
        expect_line(&res, "ftruncate_shrink EPERM");
        expect_line(&res, "ftruncate_grow EPERM");
        expect_line(&res, "mmap_shared_write EPERM");
        expect_line(&res, "mmap_private_write_reaches_file NO");
        expect_line(&res, "unchanged YES");
        close(fd);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(add_and_get),
                cmocka_unit_test(add_after_seal_is_eperm),
                cmocka_unit_test(unknown_seal_bits_are_einval),
                cmocka_unit_test(seals_on_a_pipe_are_emediumtype),
                cmocka_unit_test(every_seal_the_kernel_knows),
                cmocka_unit_test(write_seal_with_writable_mapping_is_ebusy),
                cmocka_unit_test(write_seal_with_readonly_shared_mapping_is_ebusy),
                cmocka_unit_test(mprotect_write_after_seal_fails),
                cmocka_unit_test(enforcement_matrix_across_exec),
                cmocka_unit_test(exec_seal_blocks_chmod_across_exec),
                cmocka_unit_test(future_write_blocks_every_route_across_exec),
        };
        return cmocka_run_group_tests_name("seal", tests, NULL, NULL);
}
