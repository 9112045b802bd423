/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "fsize.h"
#include "size.h"

void launch_error_clear(struct launch_error *e) {
        e->errnum = 0;
        e->exit_status = EXIT_LAUNCHER_FAILED;
        e->stage = NULL;
        e->thing[0] = e->message[0] = '\0';
        e->said_by_diag = false;
        e->status_fd_unusable = false;
}

/* After a text was cut to fit buf: drop a UTF-8 character left
 * incomplete at the end, so the cut falls between characters. */
static void cut_at_character(char *buf, int wanted, size_t size) {
        if (wanted < 0 || (size_t) wanted < size)
                return;
        size_t n = strlen(buf), back = 0;
        while (back < 3 && back < n && ((unsigned char) buf[n - 1 - back] & 0xc0) == 0x80)
                back++;
        if (back == n)
                return;
        unsigned char lead = (unsigned char) buf[n - 1 - back];
        size_t len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
        if (lead >= 0x80 && len > back + 1)
                buf[n - 1 - back] = '\0';
}

int launch_error_set_exit(struct launch_error *e, int exit_status, const char *stage, int errnum,
                          const char *thing, const char *fmt, ...) {
        launch_error_clear(e);
        e->exit_status = exit_status;
        e->stage = stage;
        e->errnum = errnum < 0 ? -errnum : errnum;
        cut_at_character(e->thing, snprintf(e->thing, sizeof(e->thing), "%s", thing ? thing : ""),
                         sizeof(e->thing));
        va_list ap;
        va_start(ap, fmt);
        cut_at_character(e->message, vsnprintf(e->message, sizeof(e->message), fmt, ap), sizeof(e->message));
        va_end(ap);
        return e->errnum ? -e->errnum : -EINVAL;
}

int launch_error_nomem(struct launch_error *e, const char *stage, int r) {
        if (r == -ENOMEM)
                launch_error_set(e, stage, ENOMEM, NULL, "out of memory");
        return r;
}

int launch_error_from_diag(struct launch_error *e, const char *stage, const char *thing, const struct diag *d,
                           size_t first) {
        const struct diag_entry *x = NULL;
        for (size_t i = first; i < d->n_entries && !x; i++)
                if (d->entries[i].severity == DIAG_ERROR)
                        x = &d->entries[i];
        if (!x) /* counted but not kept (past DIAG_MAX_SHOWN, or ENOMEM) */
                return launch_error_set(e, stage, EINVAL, thing, "%zu error(s), not recorded", d->n_errors);
        const char *file = x->file ? x->file : "command line";
        if (x->line)
                launch_error_set(e, stage, EINVAL, thing, "%s:%u:%u: %s", file, x->line, x->col, x->message);
        else
                launch_error_set(e, stage, EINVAL, thing, "%s: %s", file, x->message);
        e->said_by_diag = true;
        return -EINVAL;
}

size_t launch_error_format_line(const struct launch_error *e, char *buf, size_t size) {
        int n = e->thing[0] ? snprintf(buf, size, "sealrun: %s: %s\n", e->thing, e->message)
                            : snprintf(buf, size, "sealrun: %s\n", e->message);
        if (n < 0 || size == 0)
                return 0;
        return (size_t) n < size ? (size_t) n : size - 1;
}

/* The words for a load error that needs no figures, by errno. */
static const struct {
        int negative_errno;
        const char *words;
} load_words[] = {
        {-EISDIR, "is a directory"},          {-ESPIPE, "is a FIFO, a pipe or a socket, not a file"},
        {-ENODEV, "is a device, not a file"}, {-ESTALE, "changed while it was copied"},
        {-ENXIO, "is a socket, not a file"},
};

static void too_large_words(uint64_t max_size, char *buf, unsigned size) {
        char limit[32];
        /* The copy into the memfd stops at the file-size limit
         * sealrun runs under when that is the lower bound. */
        if (fsize_limit() < (max_size ? max_size : UINT64_MAX)) {
                size_format(fsize_limit(), limit, sizeof(limit));
                snprintf(buf, size,
                         "cannot be copied: it is larger than the file-size limit sealrun runs under "
                         "(RLIMIT_FSIZE, %s; see ulimit -f)",
                         limit);
        } else if (max_size) {
                size_format(max_size, limit, sizeof(limit));
                snprintf(buf, size, "is larger than its limit of %s", limit);
        } else
                snprintf(buf, size, "is too large");
}

const char *launch_error_load_words(int negative_errno, uint64_t max_size, char *buf, unsigned size) {
        if (negative_errno == -EFBIG) {
                too_large_words(max_size, buf, size);
                return buf;
        }
        for (size_t i = 0; i < sizeof(load_words) / sizeof(load_words[0]); i++)
                if (load_words[i].negative_errno == negative_errno) {
                        snprintf(buf, size, "%s", load_words[i].words);
                        return buf;
                }
        snprintf(buf, size, "%s", strerror(-negative_errno));
        return buf;
}
