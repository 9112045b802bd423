/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Checks of a sealed copy of the program that the exec would pass and the
 * program then fail (see sealed_checks.c). */
#ifndef SEALRUN_SEALED_CHECKS_H
#define SEALRUN_SEALED_CHECKS_H

#include <stdbool.h>

#include "error.h"

/* fd is the sealed copy.  A #! script whose /dev/fd/N link cannot be
 * opened (no /proc): -errno, exit 125; an ELF binary with $ORIGIN in
 * DT_RUNPATH/DT_RPATH: -ENOEXEC, exit 126. */
int sealed_binary_check(int fd, bool is_script, const char *thing, struct launch_error *e);

/* For an exec by path: a readable program that is neither ELF nor a #!
 * script while binfmt_misc has no handler: -ENOEXEC, exit 126. */
int path_exec_check(const char *path, const char *thing, struct launch_error *e);

#endif
