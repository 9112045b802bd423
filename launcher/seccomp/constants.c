/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Named constants: a lookup in the table generated from the system headers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "constants.h"
#include "constants_table.h"

static int compare_name(const void *key, const void *element) {
        return strcmp(key, policy_named_constant_name(element));
}

static const struct policy_named_constant *find(const char *name) {
        return bsearch(name, policy_constant_table, policy_constant_table_size,
                       sizeof(policy_constant_table[0]), compare_name);
}

int policy_constant_lookup(const char *name, uint64_t *ret) {
        const struct policy_named_constant *c = find(name);
        if (!c)
                return -ENOENT;
        *ret = c->value;
        return 0;
}

int policy_errno_lookup(const char *name, uint32_t *ret) {
        const struct policy_named_constant *c = find(name);
        if (!c || !c->is_errno || c->value == 0 || c->value > 4095)
                return -ENOENT;
        *ret = (uint32_t) c->value;
        return 0;
}
