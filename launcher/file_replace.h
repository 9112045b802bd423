/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A file written whole or not at all: the new text goes to a temp file
 * beside the target (same directory, so the same filesystem), which is
 * renamed over it at the end.  Begun before the work that produces the
 * text, so a directory that cannot be written is an error while nothing
 * has been started yet.
 */
#ifndef SEALRUN_FILE_REPLACE_H
#define SEALRUN_FILE_REPLACE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct file_replace {
        char *target;
        char *temp;
        FILE *f; /* write the text here */
        mode_t mode;
        /* Refuse (-EEXIST) a target that exists by commit time, rather than
         * replace it: one that appeared after the caller checked. */
        bool no_replace;
};

#define FILE_REPLACE_INIT                                                                                    \
        { 0 }

/* Creates the temp file (O_EXCL, close-on-exec).  0 or -errno. */
int file_replace_begin(struct file_replace *r, const char *target, mode_t mode);
/* Flushes, syncs, sets the mode and renames it into place.  0 or -errno
 * (the temp file is removed either way). */
int file_replace_commit(struct file_replace *r);
/* Removes the temp file; the target is untouched.  Safe to call twice. */
void file_replace_abort(struct file_replace *r);

#endif
