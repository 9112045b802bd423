/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Seal names (input ... seals=LIST), both ways. */
#include "seals.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sealfd.h"

static const struct {
        const char *name;
        uint32_t bit;
} seal_names[] = {
        {"write", SEALFD_SEAL_WRITE}, {"shrink", SEALFD_SEAL_SHRINK},
        {"grow", SEALFD_SEAL_GROW},   {"seal", SEALFD_SEAL_SEAL},
        {"exec", SEALFD_SEAL_EXEC},   {"future-write", SEALFD_SEAL_FUTURE_WRITE},
};

/* "write,shrink,grow,seal,exec".  The four that make an input immutable
 * are mandatory: an input the target could change is not an input. */
int seals_parse(const char *s, uint32_t *ret) {
        uint32_t seals = 0;
        while (*s) {
                size_t len = strcspn(s, ",");
                size_t i;
                for (i = 0; i < sizeof(seal_names) / sizeof(seal_names[0]); i++)
                        if (strlen(seal_names[i].name) == len && !strncmp(s, seal_names[i].name, len))
                                break;
                if (i == sizeof(seal_names) / sizeof(seal_names[0]))
                        return -EINVAL;
                seals |= seal_names[i].bit;
                s += len + (s[len] == ',');
        }
        if ((seals & SEALFD_SEALS_IMMUTABLE) != SEALFD_SEALS_IMMUTABLE)
                return -EPERM;
        *ret = seals;
        return 0;
}

void seals_format(uint32_t seals, char *buf, size_t n) {
        size_t used = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < sizeof(seal_names) / sizeof(seal_names[0]); i++) {
                if (!(seals & seal_names[i].bit))
                        continue;
                int r = snprintf(buf + used, n - used, "%s%s", used ? "," : "", seal_names[i].name);
                if (r < 0 || (size_t) r >= n - used)
                        return;
                used += (size_t) r;
        }
}
