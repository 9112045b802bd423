/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File descriptor numbers as the workload file (input ... fd=N) and the
 * command line (--input-fd NAME=N, --status-fd N) write them, with one
 * bound, and the room placing them needs. */
#ifndef SEALRUN_FD_NUMBER_H
#define SEALRUN_FD_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* Every fd number the launcher accepts or reserves is below this: fs.nr_open's
 * default (2^20), above which no RLIMIT_NOFILE, and so no fd, can go unless
 * an administrator raised fs.nr_open. */
#define FD_NUMBER_LIMIT (1 << 20)

/* A decimal fd number below FD_NUMBER_LIMIT: 0, or -EINVAL. */
int fd_number_parse(const char *s, int *ret);

/* Free fd numbers kept above the temporary copies when commit.c places
 * the fds: libc, libcap and the kernel may open a few of their own while
 * it runs. */
#define FD_ROOM_SLACK 16

/* How many fd numbers (RLIMIT_NOFILE) placing fds needs when the highest
 * fd it places is `highest` and it moves n_moves fds through temporary
 * copies above it.  plan.c (reserving fds), prepare.c (checking inputs)
 * and commit.c (raising the soft limit) all ask this, so a plan prepare
 * accepted cannot fail past the point of no return. */
static inline uint64_t fd_room_needed(uint64_t highest, uint64_t n_moves) {
        return highest + 1 + n_moves + FD_ROOM_SLACK;
}

/* The same without the slack: the least placing can work with.  The slack
 * is asked for where the hard limit allows it; only this is a shortage
 * (a hard limit of 8 with nothing to place must not refuse a run). */
static inline uint64_t fd_room_required(uint64_t highest, uint64_t n_moves) {
        return highest + 1 + n_moves;
}

#endif
