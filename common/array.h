/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Growable arrays in the style of systemd's GREEDY_REALLOC: capacity doubles,
 * so appending n elements costs O(n) copies.  Shared by libsealfd and the
 * launcher (internal, never installed). */
#ifndef SEALFD_ARRAY_H
#define SEALFD_ARRAY_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#define ARRAY_GROW_MIN 8

/* Makes room for at least need elements of elem_size bytes in *array, whose
 * capacity is *allocated elements.  On failure (-ENOMEM, also when the size
 * would overflow) *array and *allocated are untouched and still valid. */
static inline int array_grow(void **array, size_t *allocated, size_t need, size_t elem_size) {
        if (need <= *allocated)
                return 0;
        if (elem_size == 0 || need > SIZE_MAX / elem_size)
                return -ENOMEM;
        size_t n = *allocated > SIZE_MAX / 2 ? need : *allocated * 2;
        if (n < ARRAY_GROW_MIN)
                n = ARRAY_GROW_MIN;
        if (n < need || n > SIZE_MAX / elem_size)
                n = need;
        void *v = realloc(*array, n * elem_size);
        if (!v)
                return -ENOMEM;
        *array = v;
        *allocated = n;
        return 0;
}

/* Typed form: ARRAY_GROW(d->entries, d->n_allocated, d->n_entries + 1).
 * Goes through a void * so that no struct pointer is aliased as void *. */
#define ARRAY_GROW(array, allocated, need)                                                                   \
        ({                                                                                                   \
                void *_array_grow_p = (array);                                                               \
                int _array_grow_r = array_grow(&_array_grow_p, &(allocated), (need), sizeof(*(array)));      \
                (array) = _array_grow_p;                                                                     \
                _array_grow_r;                                                                               \
        })

#endif
