/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Scope cleanup in the systemd style: every error path frees what it took.
 * Shared by libsealfd and the launcher (internal, never installed). */
#ifndef SEALFD_CLEANUP_H
#define SEALFD_CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

static inline void freep(void *p) {
        free(*(void **) p);
}

/* close() is not retried on EINTR: on Linux the fd is gone either way. */
static inline int safe_close(int fd) {
        if (fd >= 0) {
                int saved = errno;
                (void) close(fd);
                errno = saved;
        }
        return -1;
}

static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}

static inline void closep(int *fd) {
        safe_close(*fd);
}

/* Hand ownership out of a _cleanup_ variable. */
#define TAKE_FD(fd)                                                                                          \
        ({                                                                                                   \
                int _t = (fd);                                                                               \
                (fd) = -1;                                                                                   \
                _t;                                                                                          \
        })
#define TAKE_PTR(p)                                                                                          \
        ({                                                                                                   \
                __typeof__(p) _t = (p);                                                                      \
                (p) = NULL;                                                                                  \
                _t;                                                                                          \
        })

static inline void errno_restore(int *saved) {
        errno = *saved;
}
#define PROTECT_ERRNO _cleanup_(errno_restore) int _saved_errno_ = errno

/* The negative errno of the last failed call, never 0. */
static inline int negative_errno(void) {
        return errno > 0 ? -errno : -EIO;
}

#endif
