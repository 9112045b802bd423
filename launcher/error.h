/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The launcher's one error type (crun style, but functions still return
 * plain -errno): what failed, in which stage, with which errno, words and
 * exit status.  Every stage fills it; the command prints it once as one
 * line and sends it to the status fd:
 *
 *     sealrun: input 'config' (/etc/x.conf): is a directory
 *
 * It owns its strings in fixed buffers, so filling it never allocates: the
 * commit stage uses it after a seccomp filter may have forbidden brk/mmap,
 * and an error is never lost to ENOMEM.  Longer text is truncated.
 */
#ifndef SEALRUN_ERROR_H
#define SEALRUN_ERROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "commands.h"
#include "diag.h"

#define LAUNCH_ERROR_TEXT_MAX 4352 /* a path of PATH_MAX and the words around it */

struct launch_error {
        int errnum;                        /* positive errno; 0 when none applies */
        int exit_status;                   /* 125, 126 or 127 */
        const char *stage;                 /* "parse", "plan", "prepare", "commit", "exec" (static strings) */
        char thing[LAUNCH_ERROR_TEXT_MAX]; /* "input 'config' (/etc/x.conf)"; "" when none */
        char message[LAUNCH_ERROR_TEXT_MAX]; /* "is a directory" */
        /* Set only by launch_error_from_diag(): the diagnostics, printed
         * gcc style (FILE:LINE:COL), are the stderr report, so the error
         * goes to the status fd only, never as a second stderr line. */
        bool said_by_diag;
        /* The status fd is what is wrong (not writable, or the file of an
         * input): the error is not written to it, only to stderr. */
        bool status_fd_unusable;
};

#define LAUNCH_ERROR_INIT                                                                                    \
        { .exit_status = 125 }

/* Fill e (replacing what it held) with this exit status (126/127 for the
 * program) and return -errnum, or -EINVAL when errnum is 0, so callers
 * write `return launch_error_set_exit(...)`.  thing may be NULL. */
int launch_error_set_exit(struct launch_error *e, int exit_status, const char *stage, int errnum,
                          const char *thing, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The same with exit status 125, the launcher's own failure:
 * launch_error_set(e, stage, errnum, thing, fmt, ...). */
#define launch_error_set(e, ...) launch_error_set_exit((e), EXIT_LAUNCHER_FAILED, __VA_ARGS__)
/* r, after filling e with "out of memory" when r is -ENOMEM (a stage's
 * last word on a failure no step described). */
int launch_error_nomem(struct launch_error *e, const char *stage, int r);
void launch_error_clear(struct launch_error *e);

/* The one bridge from file diagnostics to the error: the errors of d from
 * entry `first` on (those a stage added) become one error of `stage` about
 * `thing`, whose message is the first one's "FILE:LINE:COL: MESSAGE" (the
 * status fd's words; "command line" for no file).  Returns -EINVAL. */
int launch_error_from_diag(struct launch_error *e, const char *stage, const char *thing, const struct diag *d,
                           size_t first);

/* "sealrun: THING: MESSAGE\n" into buf, truncated to size; returns the
 * length.  No allocation (commit prints it after the filter is loaded). */
size_t launch_error_format_line(const struct launch_error *e, char *buf, size_t size);

/* Words for the errors libsealfd returns while loading a source, given its
 * size limit (0: none): "is a FIFO, a socket or a pipe", "is larger than its
 * limit of 64 KiB", "changed while it was copied", else strerror().  Returns
 * buf. */
const char *launch_error_load_words(int negative_errno, uint64_t max_size, char *buf, unsigned size);

#endif
