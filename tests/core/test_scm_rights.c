/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Passing fds over a Unix socket, verified on receipt, never leaked. */
#include <sys/socket.h>

#include "core_test.h"

static int sock[2];

static int setup(void **state) {
        return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock);
}

static int teardown(void **state) {
        close(sock[0]);
        close(sock[1]);
        return 0;
}

/* Sends fd and expects the receiver to refuse it with `want`, closing
 * everything it received. */
static void expect_refused(int fd, int want) {
        int got[4] = {-1, -1, -1, -1};
        size_t n = 99;
        char buf[8];
        int before = count_open_fds();
        assert_int_equal(sealfd_send(sock[0], &fd, 1, "x", 1), 0);
        close(fd);
        int after_send = count_open_fds();
        assert_int_equal(sealfd_recv(sock[1], got, 4, &n, buf, sizeof(buf), SEALFD_SEALS_IMMUTABLE), want);
        assert_int_equal(n, 99); /* untouched on failure */
        assert_int_equal(got[0], -1);
        assert_int_equal(count_open_fds(), after_send);
        assert_int_equal(after_send, before - 1);
}

static void good_memfd_is_received(void **state) {
        int fd = sealfd_load_buffer("payload", 7, NULL), got[2];
        size_t n = 0;
        char buf[16];
        assert_int_equal(sealfd_send(sock[0], &fd, 1, "hi", 2), 0);
        assert_int_equal(sealfd_recv(sock[1], got, 2, &n, buf, sizeof(buf), SEALFD_SEALS_IMMUTABLE), 2);
        assert_memory_equal(buf, "hi", 2);
        assert_int_equal(n, 1);
        assert_int_not_equal(got[0], fd);
        assert_true(fcntl(got[0], F_GETFD) & FD_CLOEXEC);
        assert_int_equal(sealfd_verify(got[0], SEALFD_SEALS_IMMUTABLE, 7), 0);
        char back[7];
        assert_int_equal(sealfd_pread(got[0], back, 7, 0), 7);
        assert_memory_equal(back, "payload", 7);
        close(got[0]);
        close(fd);
}

static void several_fds_and_no_data(void **state) {
        int fds[3], got[3];
        size_t n = 0;
        for (int i = 0; i < 3; i++)
                fds[i] = sealfd_load_buffer("abc", (size_t) i + 1, NULL);
        assert_int_equal(sealfd_send(sock[0], fds, 3, NULL, 0), 0);
        assert_int_equal(sealfd_recv(sock[1], got, 3, &n, NULL, 0, SEALFD_SEALS_IMMUTABLE), 0);
        assert_int_equal(n, 3);
        for (int i = 0; i < 3; i++) {
                assert_int_equal(sealfd_verify(got[i], SEALFD_SEALS_IMMUTABLE, i + 1), 0);
                close(got[i]);
                close(fds[i]);
        }
}

static void plain_file_is_refused(void **state) {
        char dir[64], path[128];
        make_tmpdir(dir, sizeof(dir));
        snprintf(path, sizeof(path), "%s/f", dir);
        write_pattern_file(path, 10, 1);
        expect_refused(open(path, O_RDONLY | O_CLOEXEC), -EMEDIUMTYPE);
        rm_rf(dir);
}

static void pipe_is_refused(void **state) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        close(p[1]);
        expect_refused(p[0], -EMEDIUMTYPE);
}

static void unsealed_memfd_is_refused(void **state) {
        expect_refused(sealfd_create(NULL), -EBADFD);
}

static void partly_sealed_memfd_is_refused(void **state) {
        int fd = sealfd_create(NULL);
        assert_int_equal(sealfd_seals_add(fd, SEALFD_SEAL_WRITE | SEALFD_SEAL_GROW), 0);
        expect_refused(fd, -EBADFD);
}

/* recv's `required` follows verify's: 0 is the immutable set, never
 * "anything goes". */
static void recv_zero_required_refuses_unsealed(void **state) {
        int fd = sealfd_create(NULL);
        int got = -1;
        size_t n = 0;
        assert_int_equal(sealfd_send(sock[0], &fd, 1, "x", 1), 0);
        assert_int_equal(sealfd_recv(sock[1], &got, 1, &n, NULL, 0, 0), -EBADFD);
        assert_int_equal(sealfd_send(sock[0], &fd, 1, "x", 1), 0);
        assert_int_equal(sealfd_recv(sock[1], &got, 1, &n, NULL, 0, SEALFD_SEALS_NOT_REQUIRED), 0);
        assert_int_equal(n, 1);
        assert_int_equal(sealfd_is_memfd(got), 1);
        close(got);
        close(fd);
}

static void one_bad_fd_refuses_all(void **state) {
        int fds[2] = {sealfd_load_buffer("a", 1, NULL), sealfd_create(NULL)};
        int got[2] = {-1, -1};
        size_t n = 0;
        int before = count_open_fds();
        assert_int_equal(sealfd_send(sock[0], fds, 2, "x", 1), 0);
        assert_int_equal(sealfd_recv(sock[1], got, 2, &n, NULL, 0, SEALFD_SEALS_IMMUTABLE), -EBADFD);
        assert_int_equal(count_open_fds(), before);
        close(fds[0]);
        close(fds[1]);
}

static void more_fds_than_asked_are_closed(void **state) {
        int fds[3], got[2] = {-1, -1};
        size_t n = 0;
        for (int i = 0; i < 3; i++)
                fds[i] = sealfd_load_buffer("a", 1, NULL);
        int before = count_open_fds();
        assert_int_equal(sealfd_send(sock[0], fds, 3, "x", 1), 0);
        assert_int_equal(sealfd_recv(sock[1], got, 2, &n, NULL, 0, SEALFD_SEALS_IMMUTABLE), -EMSGSIZE);
        assert_int_equal(count_open_fds(), before);
        for (int i = 0; i < 3; i++)
                close(fds[i]);
}

/* A control message other than SCM_RIGHTS: with SO_PASSCRED the kernel
 * adds SCM_CREDENTIALS to every message. */
static void unexpected_control_message_is_eproto(void **state) {
        int one = 1, s[2];
        assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s), 0);
        assert_int_equal(setsockopt(s[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)), 0);
        int fd = sealfd_load_buffer("a", 1, NULL), got[1];
        size_t n = 0;
        int before = count_open_fds();
        assert_int_equal(sealfd_send(s[0], &fd, 1, "x", 1), 0);
        assert_int_equal(sealfd_recv(s[1], got, 1, &n, NULL, 0, SEALFD_SEALS_IMMUTABLE), -EPROTO);
        assert_int_equal(count_open_fds(), before);
        close(fd);
        close(s[0]);
        close(s[1]);
}

static void send_recv_argument_errors(void **state) {
        int fd = 0, got[1];
        size_t n;
        assert_int_equal(sealfd_send(-1, &fd, 1, "x", 1), -EBADF);
        assert_int_equal(sealfd_send(sock[0], NULL, 1, "x", 1), -EINVAL);
        assert_int_equal(sealfd_send(sock[0], &fd, SEALFD_SEND_MAX_FDS + 1, "x", 1), -EINVAL);
        int bad = -1;
        assert_int_equal(sealfd_send(sock[0], &bad, 1, "x", 1), -EBADF);
        assert_int_equal(sealfd_send(sock[0], NULL, 0, NULL, 1), -EINVAL);
        assert_int_equal(sealfd_recv(-1, got, 1, &n, NULL, 0, 0), -EBADF);
        assert_int_equal(sealfd_recv(sock[1], got, 1, NULL, NULL, 0, 0), -EINVAL);
        assert_int_equal(sealfd_recv(sock[1], NULL, 1, &n, NULL, 0, 0), -EINVAL);
        assert_int_equal(sealfd_recv(sock[1], got, SEALFD_SEND_MAX_FDS + 1, &n, NULL, 0, 0), -EINVAL);
        assert_int_equal(sealfd_recv(sock[1], got, 1, &n, NULL, 0, 0x8000), -EINVAL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(good_memfd_is_received),
                cmocka_unit_test(several_fds_and_no_data),
                cmocka_unit_test(plain_file_is_refused),
                cmocka_unit_test(pipe_is_refused),
                cmocka_unit_test(unsealed_memfd_is_refused),
                cmocka_unit_test(partly_sealed_memfd_is_refused),
                cmocka_unit_test(recv_zero_required_refuses_unsealed),
                cmocka_unit_test(one_bad_fd_refuses_all),
                cmocka_unit_test(more_fds_than_asked_are_closed),
                cmocka_unit_test(unexpected_control_message_is_eproto),
                cmocka_unit_test(send_recv_argument_errors),
        };
        return cmocka_run_group_tests_name("scm_rights", tests, setup, teardown);
}
