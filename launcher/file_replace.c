/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A file replaced whole or not at all, see file_replace.h. */
#include "file_replace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

int file_replace_begin(struct file_replace *r, const char *target, mode_t mode) {
        *r = (struct file_replace){.mode = mode};
        const char *slash = strrchr(target, '/');
        int dir_len = slash ? (int) (slash - target + 1) : 0;
        if (!(r->target = strdup(target)) ||
            asprintf(&r->temp, "%.*s.%s.XXXXXX", dir_len, target, slash ? slash + 1 : target) < 0) {
                r->temp = NULL;
                file_replace_abort(r);
                return -ENOMEM;
        }
        int fd = mkostemp(r->temp, O_CLOEXEC);
        if (fd < 0) {
                int err = negative_errno();
                free(r->temp);
                r->temp = NULL;
                file_replace_abort(r);
                return err;
        }
        if (!(r->f = fdopen(fd, "w"))) {
                int err = negative_errno();
                close(fd);
                file_replace_abort(r);
                return err;
        }
        return 0;
}

/* renameat2's NOREPLACE where asked; a filesystem without it (EINVAL)
 * gets the same atomic refusal from link(2). */
static int move_into_place(const struct file_replace *r) {
        if (!r->no_replace)
                return rename(r->temp, r->target);
        if (renameat2(AT_FDCWD, r->temp, AT_FDCWD, r->target, RENAME_NOREPLACE) == 0)
                return 0;
        if (errno != EINVAL || link(r->temp, r->target) < 0)
                return -1;
        return unlink(r->temp);
}

int file_replace_commit(struct file_replace *r) {
        int err = 0;
        if (fflush(r->f) != 0 || ferror(r->f) || fchmod(fileno(r->f), r->mode) < 0 || fsync(fileno(r->f)) < 0)
                err = negative_errno();
        if (fclose(r->f) != 0 && !err)
                err = negative_errno();
        r->f = NULL;
        if (!err && move_into_place(r) < 0)
                err = negative_errno();
        if (!err) {
                free(r->temp);
                r->temp = NULL;
        }
        file_replace_abort(r);
        return err;
}

void file_replace_abort(struct file_replace *r) {
        if (r->f)
                fclose(r->f);
        if (r->temp)
                (void) unlink(r->temp);
        free(r->temp);
        free(r->target);
        *r = (struct file_replace) FILE_REPLACE_INIT;
}
