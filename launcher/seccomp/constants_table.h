/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The named-constant table generated at build time (gen-constants.sh). */
#ifndef SEALRUN_CONSTANTS_TABLE_H
#define SEALRUN_CONSTANTS_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct policy_named_constant {
        const char *name;
        uint64_t value;
        int is_errno;   /* defined by <errno.h> */
        int from_extra; /* from constants-extra.txt: the headers lack it */
        int is_alias;   /* defined as another name (O_NDELAY is O_NONBLOCK) */
};

/* Sorted by name (strcmp order). */
extern const struct policy_named_constant policy_constant_table[];
extern const size_t policy_constant_table_size;

#endif
