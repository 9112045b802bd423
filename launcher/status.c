/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "status.h"

#include <errno.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fsize.h"
#include "json_string.h"

static void write_line(int fd, const char *buf, size_t len) {
        while (len > 0) {
                ssize_t n = write(fd, buf, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return;
                buf += n;
                len -= (size_t) n;
        }
}

static void write_guarded(int fd, const char *buf, size_t len, bool guard_sigpipe, uint64_t room) {
        /* Before the filter the room can be measured here; after it the
         * caller measured it (status_write_error_within). */
        if (len > (guard_sigpipe && room == UINT64_MAX ? fsize_room(fd) : room))
                return;
        sigset_t pipe_set, old, pending;
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        if (!guard_sigpipe || sigprocmask(SIG_BLOCK, &pipe_set, &old) < 0) {
                write_line(fd, buf, len);
                return;
        }
        bool was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
        errno = 0;
        write_line(fd, buf, len);
        if (errno == EPIPE && !was_pending) {
                struct timespec zero = {0, 0};
                (void) sigtimedwait(&pipe_set, NULL, &zero);
        }
        (void) sigprocmask(SIG_SETMASK, &old, NULL);
}

void status_write_error(int fd, const struct launch_error *e, bool guard_sigpipe) {
        status_write_error_within(fd, e, guard_sigpipe, UINT64_MAX);
}

void status_write_error_within(int fd, const struct launch_error *e, bool guard_sigpipe, uint64_t room) {
        if (fd < 0)
                return;
        char thing[1024], message[1024], line[2300];
        json_string_format(thing, sizeof(thing), e->thing);
        json_string_format(message, sizeof(message), e->message);
        int n = snprintf(line, sizeof(line),
                         "{\"event\":\"error\",\"stage\":\"%s\",\"thing\":%s,\"errno\":%d,\"message\":%s,"
                         "\"exit\":%d}\n",
                         e->stage ? e->stage : "unknown", thing, e->errnum, message, e->exit_status);
        if (n > 0 && n < (int) sizeof(line)) /* always: each field is bounded below the line */
                write_guarded(fd, line, (size_t) n, guard_sigpipe, room);
}

void status_write_exec(int fd, pid_t pid, const char *program, const char *landlock, bool guard_sigpipe) {
        if (fd < 0)
                return;
        char prog[2048], line[4096];
        json_string_format(prog, sizeof(prog), program);
        int n = snprintf(line, sizeof(line), "{\"event\":\"exec\",\"pid\":%d,\"program\":%s%s%s}\n",
                         (int) pid, prog, landlock ? ",\"landlock\":" : "", landlock ? landlock : "");
        /* A cut line is not JSON: without the Landlock summary it fits. */
        if (n >= (int) sizeof(line))
                n = snprintf(line, sizeof(line), "{\"event\":\"exec\",\"pid\":%d,\"program\":%s}\n",
                             (int) pid, prog);
        if (n > 0 && n < (int) sizeof(line))
                write_guarded(fd, line, (size_t) n, guard_sigpipe, UINT64_MAX);
}
