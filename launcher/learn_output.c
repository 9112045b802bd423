/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where the learned policy goes, see learn_output.h. */
#include "learn_output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "file_replace.h"
#include "syscall_policy.h"

#define STAGE "learn"

static int fail(struct launch_error *e, int errnum, const char *thing, const char *message) {
        return launch_error_set(e, STAGE, errnum, thing, "%s%s%s", message, errnum ? ": " : "",
                                errnum ? strerror(errnum) : "");
}

/* The directory a new file beside path goes into must take it. */
static int check_directory(const char *path, struct launch_error *e) {
        const char *slash = strrchr(path, '/');
        _cleanup_free_ char *dir = slash ? strndup(path, (size_t) (slash - path + 1)) : strdup(".");
        if (!dir)
                return -ENOMEM;
        if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) < 0)
                return fail(e, errno, path, "cannot create a file beside it");
        return 0;
}

static int prepare_new(struct learn_output *out, struct launch_error *e) {
        struct stat st;
        if (lstat(out->name, &st) == 0 && S_ISDIR(st.st_mode))
                return fail(e, EISDIR, out->name, "cannot be written");
        if (lstat(out->name, &st) == 0 && !out->o->force)
                return fail(e, 0, out->name,
                            "exists (--force replaces it, --merge adds to it, --check compares with it)");
        if (!(out->target = strdup(out->name)))
                return -ENOMEM;
        return check_directory(out->target, e);
}

/* --merge, --check: read with the compiler's own reader (regular files
 * only, bounded, NUL bytes kept). */
static int prepare_existing(struct learn_output *out, struct launch_error *e) {
        int r = policy_read_file_from_disk(NULL, out->name, &out->text, &out->len);
        if (r == -EINVAL)
                return fail(e, 0, out->name, "is not a regular file");
        if (r < 0)
                return fail(e, -r, out->name, "cannot read");
        if (out->o->check)
                return 0;
        if (!(out->target = realpath(out->name, NULL)))
                return fail(e, errno, out->name, "cannot resolve");
        if (stat(out->target, &out->st) < 0)
                return fail(e, errno, out->target, "cannot read");
        return check_directory(out->target, e);
}

int learn_output_prepare(struct learn_output *out, const struct cli_learn *o, struct launch_error *e) {
        *out = (struct learn_output){.o = o, .name = o->output ? o->output : o->merge ? o->merge : o->check};
        size_t n = strlen(out->name);
        if (n == 0 || out->name[n - 1] == '/')
                return fail(e, 0, out->name[0] ? out->name : "''", "expected a file name");
        return o->output ? prepare_new(out, e) : prepare_existing(out, e);
}

unsigned learn_output_run_number(const struct learn_output *out) {
        return out->text ? learn_last_run(out->text) + 1 : 1;
}

static const char *base_name(const char *path) {
        const char *slash = strrchr(path, '/');
        return slash ? slash + 1 : path;
}

/* What --merge appends to: the file as it was when the run started. */
static int check_unchanged(const struct learn_output *out, struct launch_error *e) {
        _cleanup_free_ char *now = NULL;
        size_t len = 0;
        int r = policy_read_file_from_disk(NULL, out->target, &now, &len);
        if (r < 0)
                return fail(e, -r, out->target, "cannot read it again");
        if (len != out->len || memcmp(now, out->text, len))
                return fail(e, 0, out->target,
                            "changed while the program ran; nothing merged (run learn again)");
        return 0;
}

static int write_text(struct file_replace *f, const struct learn_output *out, const struct learn_record *r,
                      const struct learn_run *run) {
        if (out->o->output)
                return learn_policy_write(f->f, base_name(out->name), r, run);
        fwrite(out->text, 1, out->len, f->f);
        if (out->len && out->text[out->len - 1] != '\n')
                fputc('\n', f->f);
        return learn_merge_block_write(f->f, r, run);
}

int learn_output_write(struct learn_output *out, const struct learn_record *r, const struct learn_run *run,
                       struct launch_error *e) {
        if (out->o->merge) {
                int k = check_unchanged(out, e);
                if (k < 0)
                        return k;
        }
        mode_t mask = umask(0);
        umask(mask);
        struct file_replace f;
        int k = file_replace_begin(&f, out->target, out->o->merge ? out->st.st_mode & 07777 : 0666 & ~mask);
        if (k < 0)
                return fail(e, -k, out->target, "cannot create a file beside it");
        f.no_replace = out->o->output && !out->o->force;
        /* Another owner's file keeps its owner where we may say so (root). */
        if (out->o->merge && (out->st.st_uid != geteuid() || out->st.st_gid != getegid()))
                (void) !fchown(fileno(f.f), out->st.st_uid, out->st.st_gid);
        k = write_text(&f, out, r, run);
        if (k >= 0)
                k = file_replace_commit(&f);
        file_replace_abort(&f);
        if (k == -EEXIST)
                return fail(e, 0, out->target,
                            "appeared while the program ran; nothing written (--force replaces it)");
        if (k < 0)
                return fail(e, -k, out->target, "cannot write");
        return 0;
}

void learn_output_free(struct learn_output *out) {
        free(out->target);
        free(out->text);
        *out = (struct learn_output) LEARN_OUTPUT_INIT;
}
