/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The interpreter the kernel itself opens and executes at execve(2): an
 * ELF executable's PT_INTERP (the dynamic loader), or a script's #! line.
 * `learn` names it beside the program in the Landlock lines it proposes,
 * since Landlock checks the right to execute it too. */
#ifndef SEALRUN_INTERPRETER_H
#define SEALRUN_INTERPRETER_H

#include <stddef.h>

/* The interpreter's path into buf: its length; 0 for a static ELF, a file
 * that is neither, or anything but a regular file (never opened so that it
 * could block: a FIFO, a device); or -errno. */
int interpreter_read(const char *path, char *buf, size_t size);

#endif
