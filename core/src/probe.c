/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the running kernel supports, found by trying it once (cached). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

/* What the running kernel supports, per feature: 0 = not known yet,
 * 1 = supported, 2 = not supported.  The only process-wide state of the
 * library, and harmless: a kernel's features do not change under a running
 * process, so every thread that probes or learns a feature finds the same
 * answer, and two threads racing to fill an entry store the same value
 * (at worst both probe once).  Relaxed atomics: the entry is the whole
 * answer, nothing else is published with it, and the fast path takes no
 * lock. */
static _Atomic unsigned char feature_cache[SEALFD_FEATURE_HUGETLB + 1];

int sealfd__feature_known(enum sealfd_feature feature) {
        if ((unsigned) feature > SEALFD_FEATURE_HUGETLB)
                return -1;
        unsigned char cached = atomic_load_explicit(&feature_cache[feature], memory_order_relaxed);
        return cached == 0 ? -1 : cached == 1;
}

void sealfd__feature_learned(enum sealfd_feature feature, bool supported) {
        if ((unsigned) feature <= SEALFD_FEATURE_HUGETLB)
                atomic_store_explicit(&feature_cache[feature], supported ? 1 : 2, memory_order_relaxed);
}

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
        int known = sealfd__feature_known(feature);
        if (known >= 0)
                return known;
        int r = probe(feature);
        sealfd__feature_learned(feature, r > 0);
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
