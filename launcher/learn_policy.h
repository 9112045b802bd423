/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `sealrun learn`: a record (learn_record.h) as minijail policy text, in
 * the words the compiler reads back: one statement per syscall, sorted by
 * name, argument filters where the argument is the call's meaning, every
 * constant by name, and a trailing comment naming the run and the count:
 *
 *   ioctl: arg1 == TCGETS || arg1 == FIONREAD  # run 1: 4 calls
 *   openat: arg2 in O_RDONLY|O_CLOEXEC  # run 1: 7 calls, read-only opens only
 *
 * A whole policy for -o, the block --merge appends (the file's own text
 * kept as it is), and the same lines for --check.
 */
#ifndef SEALRUN_LEARN_POLICY_H
#define SEALRUN_LEARN_POLICY_H

#include <stdbool.h>
#include <stdio.h>

#include "learn_record.h"

/* One run, as its header comment names it. */
struct learn_run {
        unsigned number;     /* 1 for -o; one more than the file's last for --merge/--check */
        const char *program; /* the path sealrun executes */
        bool exec_by_path;   /* then one execve is sealrun's own (a sealed exec is not recorded) */
        const char *command; /* the learn command line, shell-quoted */
        const char *outcome; /* "exited with status 0", "was killed by signal 9 (SIGKILL)" */
        const char *date;    /* YYYY-MM-DD */
        const char *kernel;  /* uname -r */
};

/* "ioctl: arg1 == TCGETS": the statement for c, without its comment. */
int learn_statement_write(FILE *out, const struct learn_syscall *c);

/* The statement, its comment and a newline. */
int learn_line_write(FILE *out, const struct learn_syscall *c, const struct learn_run *run);

/* A new policy file's whole text; r sorted.  name: the file's base name
 * for the first line. */
int learn_policy_write(FILE *out, const char *name, const struct learn_record *r,
                       const struct learn_run *run);

/* What --merge appends to an existing policy (whose text ended with a
 * newline): a blank line, the run's header, the new statements. */
int learn_merge_block_write(FILE *out, const struct learn_record *r, const struct learn_run *run);

/* The highest N of the "# run N, " header lines in a policy's text; 0 when
 * it has none (a hand-written policy). */
unsigned learn_last_run(const char *text);

#endif
