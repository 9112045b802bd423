/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The caller's fds, checked before anything is read from them: the status
 * fd must take writes, and no file may be both the status fd and an
 * input's source (the status line would land in the user's file), nor one
 * stream the source of two inputs (the second would be silently empty). */
#include "prepare_fds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#define STAGE "prepare"

static int check_status_fd_open(int fd, struct launch_error *e) {
        char thing[64];
        snprintf(thing, sizeof(thing), "--status-fd %d", fd);
        int flags = fcntl(fd, F_GETFL);
        if (flags >= 0 && !(flags & O_PATH) && (flags & O_ACCMODE) != O_RDONLY)
                return 0;
        launch_error_set(e, STAGE, EBADF, thing, "%s",
                         flags < 0 ? "is not an open fd" : "is open for reading only, not for writing");
        e->status_fd_unusable = true;
        return -EBADF;
}

/* The identity of what an input reads, or false when it cannot be known
 * here (a missing path: loading it reports that). */
static bool source_identity(const struct plan_fd *f, struct stat *ret) {
        if (f->source == INPUT_SOURCE_PATH)
                return stat(f->path, ret) == 0;
        return fstat(f->source_fd, ret) == 0;
}

static bool same_file(const struct stat *a, const struct stat *b) {
        return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static void describe(const struct plan_fd *f, char *buf, size_t size) {
        if (f->source == INPUT_SOURCE_PATH)
                snprintf(buf, size, "input '%s' (%s)", f->name, f->path);
        else
                snprintf(buf, size, "input '%s' (fd %d)", f->name, f->source_fd);
}

/* A stream (pipe, FIFO, socket) is read once: a second input from it would
 * get nothing.  A regular file is copied whole each time. */
static int check_inputs_against(const struct plan *p, size_t i, const struct stat *st,
                                const struct stat *status, struct launch_error *e) {
        char thing[300], other[300];
        describe(&p->fds[i], thing, sizeof(thing));
        /* Devices are left alone: /dev/null as both is harmless. */
        if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
                return 0;
        if (status && same_file(st, status)) {
                launch_error_set(e, STAGE, EINVAL, thing,
                                 "is the same file as --status-fd %d: the status lines would be written into "
                                 "it; give the status fd a file of its own",
                                 p->status_fd_source);
                e->status_fd_unusable = true;
                return -EINVAL;
        }
        if (S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))
                return 0;
        for (size_t k = 0; k < i; k++) {
                struct stat earlier;
                if (!source_identity(&p->fds[k], &earlier) || !same_file(st, &earlier))
                        continue;
                describe(&p->fds[k], other, sizeof(other));
                return launch_error_set(e, STAGE, EINVAL, thing,
                                        "is the same stream as %s: a stream is read once, so one of them "
                                        "would be empty",
                                        other);
        }
        return 0;
}

int prepare_check_fds(const struct plan *p, struct launch_error *e) {
        struct stat status;
        bool have_status = false;
        if (p->status_fd_source >= 0) {
                int r = check_status_fd_open(p->status_fd_source, e);
                if (r < 0)
                        return r;
                have_status = fstat(p->status_fd_source, &status) == 0;
        }
        for (size_t i = 0; i < p->n_fds; i++) {
                struct stat st;
                if (!source_identity(&p->fds[i], &st))
                        continue;
                int r = check_inputs_against(p, i, &st, have_status ? &status : NULL, e);
                if (r < 0)
                        return r;
        }
        return 0;
}
