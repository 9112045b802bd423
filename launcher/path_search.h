/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A program name without a slash, found as execvp(3) finds it: the first
 * executable NAME in sealrun's PATH (or the default when PATH is unset or
 * empty).  Shared by prepare (the program that runs) and learn (whose
 * interpreter the Landlock lines name). */
#ifndef SEALRUN_PATH_SEARCH_H
#define SEALRUN_PATH_SEARCH_H

/* The path (malloc'ed), or NULL when no entry has it (or out of memory). */
char *path_search(const char *name);

#endif
