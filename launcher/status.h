/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The status fd (--status-fd N): one JSON object per line, so a caller can
 * tell the launcher's failures from the target's own exit status.
 *
 *   {"event":"error","stage":"prepare","thing":"input 'config' (/etc/x)","errno":21,"message":"is a
 * directory"}
 *   {"event":"exec","pid":123,"program":"/usr/bin/jq"}
 *
 * The fd is close-on-exec: EOF right after the "exec" line means the exec
 * succeeded; a failed exec writes an "error" line (stage "exec") first.
 */
#ifndef SEALRUN_STATUS_H
#define SEALRUN_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"

/* Each writes one line, whole or not at all (RLIMIT_FSIZE: fsize.h), and
 * ignores failures: a reader that closed the status pipe must not stop the
 * launcher.  With guard_sigpipe, SIGPIPE is
 * blocked around the write (and a pending one consumed), so a closed pipe
 * cannot kill sealrun; pass false once the seccomp filter is loaded, since
 * the policy may not allow rt_sigprocmask.  fd < 0: no-op. */
void status_write_error(int fd, const struct launch_error *e, bool guard_sigpipe);
/* The same once the filter may forbid the fstat/lseek that measure the
 * room under RLIMIT_FSIZE: room is what fsize_room() said before (the line
 * is written only when it fits whole). */
void status_write_error_within(int fd, const struct launch_error *e, bool guard_sigpipe, uint64_t room);
/* landlock: a JSON object for the "landlock" member (what is enforced, at
 * which ABI), or NULL when the workload has no landlock line. */
void status_write_exec(int fd, pid_t pid, const char *program, const char *landlock, bool guard_sigpipe);

#endif
