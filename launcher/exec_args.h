/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pointers the launcher passes to its own sealed exec,
 * execveat(BINFD, "", argv, envp, AT_EMPTY_PATH), placed where the target
 * cannot predict them.  The launcher's execveat rule matches all three
 * pointers as well as BINFD and AT_EMPTY_PATH: for an absolute path the
 * kernel ignores the fd, so a rule on the fd alone would let the target run
 * any file with execveat(BINFD, "/any/file", ..., AT_EMPTY_PATH).
 *
 * Why unpredictable: the "" string and copies of the argv and envp pointer
 * arrays live in a fresh anonymous mapping (mmap(NULL): the kernel's
 * randomised mmap base, about 28 bits on x86-64), each at a random offset
 * drawn from getrandom() (12 bits for the string, 9 for each array).  Not a
 * string literal: a static, non-PIE sealrun has .rodata at a fixed address.
 * The target cannot read its filter back (SECCOMP_GET_FILTER needs
 * CAP_SYS_ADMIN), and after exec the mapping is gone.  sealrun(1) states the
 * limit: a guess costs the target nothing only if the policy gives execveat
 * an errno action, and even then 2^58 guesses are out of reach.  With ASLR
 * off (kernel.randomize_va_space=0) only the getrandom() offsets remain.
 */
#ifndef SEALRUN_EXEC_ARGS_H
#define SEALRUN_EXEC_ARGS_H

#include <stddef.h>

struct exec_args {
        void *map; /* NULL: not made */
        size_t map_size;
        const char *empty; /* "" */
        char **argv;
        char **envp;
};

/* Copy the argv and envp pointer arrays (not the strings) into a fresh
 * mapping beside a "" string, at random offsets; 0 or -errno. */
int exec_args_new(char *const *argv, size_t n_argv, char *const *envp, size_t n_envp, struct exec_args *ret);
void exec_args_free(struct exec_args *x);

#endif
