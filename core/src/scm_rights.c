/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Passing sealed fds over a Unix socket, verified on receipt. */
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "internal.h"

#ifndef SCM_PIDFD
#define SCM_PIDFD 0x04 /* Linux 6.5: carries an fd, must be closed too */
#endif

/* Room for the most fds the kernel passes in one message, plus the
 * credentials and pidfd messages a socket option may add. */
#define CONTROL_SIZE                                                                                         \
        (CMSG_SPACE(sizeof(int) * SEALFD_SEND_MAX_FDS) + CMSG_SPACE(sizeof(struct ucred)) +                  \
         CMSG_SPACE(sizeof(int)))

union control_buffer {
        struct cmsghdr align;
        char buf[CONTROL_SIZE];
};

static ssize_t sendmsg_retry(int sock, const struct msghdr *mh) {
        for (;;) {
                ssize_t n = sendmsg(sock, mh, MSG_NOSIGNAL);
                if (n >= 0 || errno != EINTR)
                        return n < 0 ? negative_errno() : n;
        }
}

int sealfd_send(int sock, const int *fds, size_t n_fds, const void *data, size_t len) {
        union control_buffer control;
        static const char nul = 0;

        if (sock < 0)
                return -EBADF;
        if ((!fds && n_fds > 0) || n_fds > SEALFD_SEND_MAX_FDS || (!data && len > 0))
                return -EINVAL;
        for (size_t i = 0; i < n_fds; i++)
                if (fds[i] < 0)
                        return -EBADF;

        /* fds travel with the first byte, so at least one byte is sent. */
        struct iovec iov = {.iov_base = (void *) (len ? data : &nul), .iov_len = len ? len : 1};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
        if (n_fds > 0) {
                memset(&control, 0, sizeof(control));
                mh.msg_control = control.buf;
                mh.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
                struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
                memcpy(CMSG_DATA(c), fds, sizeof(int) * n_fds);
        }

        /* A stream socket may take the data in pieces; the rest goes without
         * the control message, which went with the first piece. */
        size_t total = iov.iov_len, sent = 0;
        while (sent < total) {
                ssize_t n = sendmsg_retry(sock, &mh);
                if (n < 0)
                        return (int) n;
                sent += (size_t) n;
                iov.iov_base = (char *) iov.iov_base + n;
                iov.iov_len -= (size_t) n;
                mh.msg_control = NULL;
                mh.msg_controllen = 0;
        }
        return 0;
}

static void close_all(int *fds, size_t n) {
        for (size_t i = 0; i < n; i++)
                fds[i] = safe_close(fds[i]);
}

/* Take every fd out of the control messages, whatever else happens, so
 * that none can leak.  -EPROTO for anything but SCM_RIGHTS. */
static int collect_fds(struct msghdr *mh, int *fds, size_t *n) {
        int r = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
                size_t payload = c->cmsg_len >= CMSG_LEN(0) ? c->cmsg_len - CMSG_LEN(0) : 0;
                bool rights = c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS;
                bool pidfd = c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_PIDFD;
                if (!rights && !pidfd) {
                        r = -EPROTO;
                        continue;
                }
                size_t k = payload / sizeof(int);
                for (size_t i = 0; i < k; i++) {
                        int fd;
                        memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                        if (*n < SEALFD_SEND_MAX_FDS + 1)
                                fds[(*n)++] = fd;
                        else
                                safe_close(fd);
                }
                if (pidfd)
                        r = -EPROTO;
        }
        return r;
}

ssize_t sealfd_recv(int sock, int *ret_fds, size_t max_fds, size_t *ret_n_fds, void *buf, size_t len,
                    sealfd_seals_t required) {
        union control_buffer control;
        int fds[SEALFD_SEND_MAX_FDS + 1];
        size_t n = 0;
        char scratch;
        ssize_t got;
        int r;

        if (sock < 0)
                return -EBADF;
        if ((!ret_fds && max_fds > 0) || !ret_n_fds || (!buf && len > 0) || max_fds > SEALFD_SEND_MAX_FDS ||
            sealfd__seals_required(required) < 0)
                return -EINVAL;

        struct iovec iov = {.iov_base = len ? buf : &scratch, .iov_len = len ? len : 1};
        struct msghdr mh = {
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = control.buf,
                .msg_controllen = sizeof(control.buf),
        };
        do
                got = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        while (got < 0 && errno == EINTR);
        if (got < 0)
                return negative_errno();

        r = collect_fds(&mh, fds, &n);
        if (r == 0 && (mh.msg_flags & MSG_CTRUNC))
                r = -EPROTO;
        if (r == 0 && n > max_fds)
                r = -EMSGSIZE;
        for (size_t i = 0; r == 0 && i < n; i++)
                r = sealfd_verify(fds[i], required, -1);
        if (r < 0) {
                close_all(fds, n);
                return r;
        }

        if (n > 0)
                memcpy(ret_fds, fds, n * sizeof(int));
        *ret_n_fds = n;
        return len ? got : 0;
}
