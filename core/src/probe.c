/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the running kernel supports, found by trying it once (cached). */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

/* 0 = not probed yet, 1 = supported, 2 = not supported.  Probing twice in
 * two threads gives the same answer, so a relaxed race is harmless. */
static int feature_cache[SEALFD_FEATURE_HUGETLB + 1];

static int probe_create(unsigned flags) {
        int fd = sealfd__memfd_create_raw("sealfd-probe", MFD_CLOEXEC | flags);
        if (fd >= 0) {
                safe_close(fd);
                return 1;
        }
        /* vm.memfd_noexec = 2 refuses MFD_EXEC with EACCES: the flag is
         * known, the policy forbids it. */
        return fd == -EACCES;
}

static int probe_seal(unsigned seal) {
        _cleanup_close_ int fd = sealfd__memfd_create_raw("sealfd-probe", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                return 0;
        return fcntl(fd, F_ADD_SEALS, seal) == 0;
}

static int probe(enum sealfd_feature feature) {
        switch (feature) {
        case SEALFD_FEATURE_MEMFD:
                return probe_create(0);
        case SEALFD_FEATURE_SEAL_FUTURE_WRITE:
                return probe_seal(F_SEAL_FUTURE_WRITE);
        case SEALFD_FEATURE_SEAL_EXEC:
                return probe_seal(F_SEAL_EXEC);
        case SEALFD_FEATURE_CREATE_EXEC:
                return probe_create(MFD_EXEC);
        case SEALFD_FEATURE_CREATE_NOEXEC:
                return probe_create(MFD_NOEXEC_SEAL);
        case SEALFD_FEATURE_HUGETLB:
                /* Creating needs only the hugetlbfs mount of the default
                 * size, not reserved pages: size 0 allocates nothing. */
                return probe_create(MFD_HUGETLB);
        }
        return -EINVAL;
}

int sealfd_supports(enum sealfd_feature feature) {
        if ((unsigned) feature > SEALFD_FEATURE_HUGETLB)
                return -EINVAL;
        int cached = __atomic_load_n(&feature_cache[feature], __ATOMIC_RELAXED);
        if (cached)
                return cached == 1;
        int r = probe(feature);
        __atomic_store_n(&feature_cache[feature], r ? 1 : 2, __ATOMIC_RELAXED);
        return r;
}

int sealfd_noexec_policy(void) {
        /* Not cached: the value is per pid namespace and may be changed. */
        FILE *f = fopen("/proc/sys/vm/memfd_noexec", "re");
        int value;

        if (!f)
                return negative_errno();
        int n = fscanf(f, "%d", &value);
        fclose(f);
        if (n != 1 || value < 0)
                return -EIO;
        return value;
}

sealfd_seals_t sealfd__seals_default_immutable(void) {
        sealfd_seals_t seals = SEALFD_SEALS_IMMUTABLE;
        if (sealfd_supports(SEALFD_FEATURE_SEAL_EXEC) > 0)
                seals |= SEALFD_SEAL_EXEC;
        return seals;
}
