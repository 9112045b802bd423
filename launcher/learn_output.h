/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `sealrun learn`: where the learned policy goes.  Before the program
 * starts, everything that can be refused is: a name that is no file, an
 * existing -o file without --force, a directory that cannot take a new
 * file, a --merge/--check policy that cannot be read.  After it ended,
 * the file is written whole or not at all (file_replace.h), and only then
 * created: a temp file that existed while the program ran could have been
 * replaced by it.  --merge writes through a symlink to the file it names,
 * keeps that file's mode and (where it may) owner, and refuses a file that
 * changed while the program ran (another merge, an editor).
 */
#ifndef SEALRUN_LEARN_OUTPUT_H
#define SEALRUN_LEARN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "cli.h"
#include "error.h"
#include "learn_policy.h"

struct learn_output {
        const struct cli_learn *o;
        const char *name; /* as given: -o, --merge or --check */
        char *target;     /* the file written: name, or for --merge what a symlink names */
        char *text;       /* --merge, --check: the policy's text before the run */
        size_t len;
        struct stat st; /* --merge: its mode and owner */
};

#define LEARN_OUTPUT_INIT                                                                                    \
        { 0 }

/* 0, or -errno with e filled. */
int learn_output_prepare(struct learn_output *out, const struct cli_learn *o, struct launch_error *e);

/* The number the run gets: one more than the policy's last (1 for -o). */
unsigned learn_output_run_number(const struct learn_output *out);

/* -o: the whole policy; --merge: its text and the block.  0 or -errno
 * with e filled. */
int learn_output_write(struct learn_output *out, const struct learn_record *r, const struct learn_run *run,
                       struct launch_error *e);

void learn_output_free(struct learn_output *out);

#endif
