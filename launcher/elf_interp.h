/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The program interpreter an ELF executable names (PT_INTERP: the dynamic
 * loader), which the kernel itself opens and executes at execve(2): `learn`
 * names it beside the program in the Landlock lines it proposes, since
 * Landlock checks the right to execute it too. */
#ifndef SEALRUN_ELF_INTERP_H
#define SEALRUN_ELF_INTERP_H

#include <stddef.h>

/* The interpreter's path into buf: its length, 0 when the file is a
 * static or non-ELF executable (a script, whose interpreter is on its #!
 * line, is not read), or -errno. */
int elf_interp_read(const char *path, char *buf, size_t size);

#endif
