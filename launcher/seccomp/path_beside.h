/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A path named inside a file, relative to that file's directory: how policy
 * @includes, workload @includes and `seccomp compiled` paths resolve, so a
 * tree of files can be moved as a whole. */
#ifndef SEALRUN_PATH_BESIDE_H
#define SEALRUN_PATH_BESIDE_H

/* path itself when it is absolute or file (may be NULL) has no directory
 * part; else file's directory, '/', and path without a leading "./".
 * Malloc'ed; NULL when out of memory. */
char *path_beside(const char *file, const char *path);

#endif
