/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `sealrun learn -o`: the files a run opened and executed, proposed as the
 * workload's Landlock lines (`landlock read|exec|write PATH...`).  The path
 * argument of open, openat and execve is read from the caller's memory
 * while it waits in the notification (supervise_call_read_string), made
 * absolute against its cwd or dirfd, and canonical with realpath(3); an
 * executable's ELF interpreter is added, since the kernel executes it too.
 * Left out: paths that did not exist (a loader's probes), and /proc, whose
 * per-process files a rule opened by sealrun could never name (the sealed
 * inputs are /proc/self/fd/N memfds, which Landlock never restricts).
 * A proposal for review, as the policy is: the caller can change the
 * string after it was read.
 */
#ifndef SEALRUN_LEARN_PATHS_H
#define SEALRUN_LEARN_PATHS_H

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "supervise.h"

/* The open flags that can change a file: a write access mode, or making,
 * truncating or appending to one (O_CREAT with O_RDONLY still makes it).
 * What decides a learned open's statement and its Landlock grant. */
#define LEARN_OPEN_WRITE_FLAGS ((uint64_t) (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND))

enum {
        LEARN_PATH_READ = 1,
        LEARN_PATH_EXEC = 2,
        LEARN_PATH_WRITE = 4,
};

struct learn_path {
        char *path;
        unsigned uses; /* LEARN_PATH_* */
};

struct learn_paths {
        struct learn_path *v;
        size_t n, cap;
        size_t under_proc, missing, unreadable;
        bool out_of_memory;
};

/* Notes the path of an open/openat/execve notification; other calls are
 * ignored. */
void learn_paths_note(struct learn_paths *p, const struct supervise_call *c);
/* Adds path (absolute, canonical) with these uses; for LEARN_PATH_EXEC its
 * interpreter too (an ELF's loader or a script's #! program), and that
 * one's in turn. */
void learn_paths_add(struct learn_paths *p, const char *path, unsigned uses);
/* The Landlock lines, exec then read then write, each path sorted, a few
 * to a line; nothing when no path was noted. */
void learn_paths_write(FILE *out, const struct learn_paths *p);
void learn_paths_free(struct learn_paths *p);

#endif
