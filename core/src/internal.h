/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal helpers of libsealfd: kernel constants newer than the system
 * headers, argument checks, and the few functions the modules share.
 * Nothing here is exported (the version script keeps only sealfd_*). */
#ifndef SEALFD_INTERNAL_H
#define SEALFD_INTERNAL_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "memfd_compat.h"
#include "sealfd.h"

_Static_assert(SEALFD_SEAL_SEAL == F_SEAL_SEAL, "seal bits match the kernel");
_Static_assert(SEALFD_SEAL_SHRINK == F_SEAL_SHRINK, "seal bits match the kernel");
_Static_assert(SEALFD_SEAL_GROW == F_SEAL_GROW, "seal bits match the kernel");
_Static_assert(SEALFD_SEAL_WRITE == F_SEAL_WRITE, "seal bits match the kernel");
_Static_assert(SEALFD_SEAL_FUTURE_WRITE == F_SEAL_FUTURE_WRITE, "seal bits match the kernel");
_Static_assert(SEALFD_SEAL_EXEC == F_SEAL_EXEC, "seal bits match the kernel");

/* Internal functions are hidden (never in the .so's dynamic table) and
 * named sealfd__*, so in libsealfd.a they cannot clash with a program's. */
#define HIDDEN __attribute__((visibility("hidden")))

/* -EBADF unless fd names an open file description. */
HIDDEN int sealfd__fd_check_open(int fd);

/* 0 if fd is a memfd (sealfd_is_memfd()), -EMEDIUMTYPE if not, or -errno. */
HIDDEN int sealfd__require_memfd(int fd);

/* memfd_create(2) with raw MFD_* flags; -errno on failure. */
HIDDEN int sealfd__memfd_create_raw(const char *name, unsigned flags);

/* The cached answer of sealfd_supports() without probing: 1, 0, or -1
 * when nothing has asked or learned it yet in this process. */
HIDDEN int sealfd__feature_known(enum sealfd_feature feature);
/* Records what a real call proved, so no probe memfd is made for it. */
HIDDEN void sealfd__feature_learned(enum sealfd_feature feature, bool supported);

/* The seals a fully sealed copy gets by default: IMMUTABLE, plus EXEC when
 * the running kernel knows it. */
HIDDEN sealfd_seals_t sealfd__seals_default_immutable(void);
/* The seals a receiver's `required` argument asks for (0: the immutable
 * set; SEALFD_SEALS_NOT_REQUIRED alone: none), or -EINVAL. */
HIDDEN int sealfd__seals_required(sealfd_seals_t required);

/* fstat(2) as -errno. */
static inline int fstat_checked(int fd, struct stat *st) {
        return fstat(fd, st) < 0 ? negative_errno() : 0;
}

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

#endif
