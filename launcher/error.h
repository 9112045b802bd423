/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The launcher's error object (crun style, but functions still return plain
 * -errno): what failed, in which stage, with which errno and words.  Stages
 * fill it; the command prints it once as one line and sends it to the status
 * fd:
 *
 *     sealrun: input 'config' (/etc/x.conf): is a directory
 */
#ifndef SEALRUN_ERROR_H
#define SEALRUN_ERROR_H

#include <stdbool.h>
#include <stdint.h>

struct launch_error {
        int errnum;        /* positive errno; 0 when none applies */
        int exit_status;   /* 125, 126 or 127 */
        const char *stage; /* "parse", "plan", "prepare", "commit", "exec" (static strings) */
        char *thing;       /* "input 'config' (/etc/x.conf)"; may be NULL */
        char *message;     /* "is a directory" */
        /* The one diagnostic already printed (FILE:LINE:COL) says it: the
         * command sends e to the status fd only, not a second stderr line. */
        bool in_diag;
};

#define LAUNCH_ERROR_INIT                                                                                    \
        { .exit_status = 125 }

/* Fill e (replacing what it held) and return -errnum, or -EINVAL when
 * errnum is 0, so callers write `return launch_error_set(...)`. */
int launch_error_set(struct launch_error *e, const char *stage, int errnum, const char *thing,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void launch_error_clear(struct launch_error *e);

/* "sealrun: THING: MESSAGE" (no newline); malloc'ed, NULL on ENOMEM. */
char *launch_error_line(const struct launch_error *e);

/* Words for the errors libsealfd returns while loading a source, given its
 * size limit (0: none): "is a FIFO, a socket or a pipe", "is larger than its
 * limit of 64 KiB", "changed while it was copied", else strerror().  Returns
 * buf. */
const char *launch_error_load_words(int negative_errno, uint64_t max_size, char *buf, unsigned size);

#endif
