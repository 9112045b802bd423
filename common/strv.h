/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* String vectors: an array of n malloc'd strings that the array owns.
 * Shared by the launcher and the compiler (internal, never installed). */
#ifndef SEALFD_STRV_H
#define SEALFD_STRV_H

#include <stddef.h>
#include <stdlib.h>

/* Frees the n strings and the array. */
static inline void strv_free(char **v, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(v[i]);
        free(v);
}

#endif
