/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The named-constant table generated at build time (gen-constants.sh). */
#ifndef SEALRUN_CONSTANTS_TABLE_H
#define SEALRUN_CONSTANTS_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct policy_named_constant {
        uint64_t value;
        uint32_t name;           /* offset of the name in policy_constant_names */
        unsigned is_errno : 1;   /* defined by <errno.h> */
        unsigned from_extra : 1; /* from constants-extra.txt: the headers lack it */
        unsigned is_alias : 1;   /* defined as another name (O_NDELAY is O_NONBLOCK) */
};

/* Every name, each NUL-terminated, in table order. */
extern const char policy_constant_names[];
/* Sorted by name (strcmp order). */
extern const struct policy_named_constant policy_constant_table[];
extern const size_t policy_constant_table_size;

static inline const char *policy_named_constant_name(const struct policy_named_constant *c) {
        return policy_constant_names + c->name;
}

#endif
