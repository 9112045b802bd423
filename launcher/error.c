/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "size.h"
#include "workload.h"

void launch_error_clear(struct launch_error *e) {
        free(e->thing);
        free(e->message);
        *e = (struct launch_error) LAUNCH_ERROR_INIT;
}

int launch_error_set(struct launch_error *e, const char *stage, int errnum, const char *thing,
                     const char *fmt, ...) {
        int exit_status = e->exit_status ? e->exit_status : 125;
        launch_error_clear(e);
        e->exit_status = exit_status;
        e->stage = stage;
        e->errnum = errnum < 0 ? -errnum : errnum;
        e->thing = thing ? strdup(thing) : NULL;
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&e->message, fmt, ap) < 0)
                e->message = NULL;
        va_end(ap);
        return e->errnum ? -e->errnum : -EINVAL;
}

char *launch_error_line(const struct launch_error *e) {
        char *line;
        const char *msg = e->message ? e->message : "out of memory";
        int r = e->thing ? asprintf(&line, "sealrun: %s: %s", e->thing, msg)
                         : asprintf(&line, "sealrun: %s", msg);
        return r < 0 ? NULL : line;
}

const char *launch_error_load_words(int negative_errno, uint64_t max_size, char *buf, unsigned size) {
        char limit[32];
        switch (negative_errno) {
        case -EISDIR:
                snprintf(buf, size, "is a directory");
                break;
        case -ESPIPE:
                snprintf(buf, size, "is a FIFO, a pipe or a socket, not a file");
                break;
        case -ENODEV:
                snprintf(buf, size, "is a device, not a file");
                break;
        case -EFBIG:
                if (max_size) {
                        size_format(max_size, limit, sizeof(limit));
                        snprintf(buf, size, "is larger than its limit of %s", limit);
                } else
                        snprintf(buf, size, "is too large");
                break;
        case -ESTALE:
                snprintf(buf, size, "changed while it was copied");
                break;
        case -ENXIO:
                snprintf(buf, size, "is a socket, not a file");
                break;
        default:
                snprintf(buf, size, "%s", strerror(-negative_errno));
                break;
        }
        return buf;
}
