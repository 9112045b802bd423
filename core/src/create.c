/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Creating memfds: option checks, flag translation, kernel error mapping. */
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

#define SEALFD_CREATE_KNOWN                                                                                  \
        (SEALFD_CREATE_INHERIT | SEALFD_CREATE_NO_SEALING | SEALFD_CREATE_HUGETLB | SEALFD_CREATE_EXEC |     \
         SEALFD_CREATE_NOEXEC)

int sealfd__memfd_create_raw(const char *name, unsigned flags) {
        /* The raw syscall: glibc's wrapper is 2.27+, and this avoids any
         * libc-side flag filtering. */
        long fd = syscall(SYS_memfd_create, name, flags);
        return fd < 0 ? negative_errno() : (int) fd;
}

/* The kernel encodes the huge page size as log2 in bits 26..31; it knows
 * 64 KiB (2^16) to 16 GiB (2^34). */
static int huge_page_flags(uint64_t size, unsigned *ret_flags) {
        if (size == 0) {
                *ret_flags = 0;
                return 0;
        }
        if (size & (size - 1))
                return -EINVAL;
        unsigned shift = (unsigned) __builtin_ctzll(size);
        if (shift < 16 || shift > 34)
                return -EINVAL;
        *ret_flags = shift << MFD_HUGE_SHIFT;
        return 0;
}

static int create_flags(const struct sealfd_create_options *opts, unsigned *ret_flags) {
        uint32_t f = opts ? opts->flags : 0;
        unsigned flags = 0;

        if (f & ~SEALFD_CREATE_KNOWN)
                return -EINVAL;
        if ((f & SEALFD_CREATE_EXEC) && (f & SEALFD_CREATE_NOEXEC))
                return -EINVAL;
        if (opts && opts->huge_page_size && !(f & SEALFD_CREATE_HUGETLB))
                return -EINVAL;

        if (!(f & SEALFD_CREATE_INHERIT))
                flags |= MFD_CLOEXEC;
        if (!(f & SEALFD_CREATE_NO_SEALING))
                flags |= MFD_ALLOW_SEALING;
        if (f & SEALFD_CREATE_HUGETLB) {
                unsigned huge;
                int r = huge_page_flags(opts->huge_page_size, &huge);
                if (r < 0)
                        return r;
                if (sealfd_supports(SEALFD_FEATURE_HUGETLB) <= 0)
                        return -EOPNOTSUPP;
                flags |= MFD_HUGETLB | huge;
        }
        /* Not known yet: create_trying() tries the flag for real. */
        if (f & SEALFD_CREATE_NOEXEC) {
                if (sealfd__feature_known(SEALFD_FEATURE_CREATE_NOEXEC) == 0)
                        return -EOPNOTSUPP;
                flags |= MFD_NOEXEC_SEAL;
        }
        /* Kernels before 6.3 have no MFD_EXEC, and there every memfd is
         * executable: asking for that is satisfied by asking for nothing. */
        if ((f & SEALFD_CREATE_EXEC) && sealfd__feature_known(SEALFD_FEATURE_CREATE_EXEC) != 0)
                flags |= MFD_EXEC;

        *ret_flags = flags;
        return 0;
}

/* Creating with MFD_NOEXEC_SEAL or MFD_EXEC before anything probed for it
 * (a probe is a memfd of its own, the cost of a small load): success, or
 * for MFD_EXEC the EACCES of vm.memfd_noexec = 2, proves the kernel knows
 * the flag, and F_SEAL_EXEC came in the same release (6.3), so neither
 * needs a probe afterwards.  EINVAL may be an older kernel: then the probe
 * decides, and the result is what probing first would have given. */
static int create_trying(const char *name, unsigned flags) {
        unsigned tried = flags & (MFD_NOEXEC_SEAL | MFD_EXEC);
        enum sealfd_feature feature =
                tried == MFD_EXEC ? SEALFD_FEATURE_CREATE_EXEC : SEALFD_FEATURE_CREATE_NOEXEC;
        int r = sealfd__memfd_create_raw(name, flags);
        if (!tried || sealfd__feature_known(feature) >= 0)
                return r;
        if (r >= 0 || (r == -EACCES && tried == MFD_EXEC)) {
                sealfd__feature_learned(feature, true);
                sealfd__feature_learned(SEALFD_FEATURE_SEAL_EXEC, true);
                return r;
        }
        if (r != -EINVAL || sealfd_supports(feature) > 0)
                return r;
        if (tried == MFD_NOEXEC_SEAL)
                return -EOPNOTSUPP;
        return sealfd__memfd_create_raw(name, flags & ~MFD_EXEC);
}

int sealfd_create_named(const char *name, size_t name_len, const struct sealfd_create_options *opts) {
        char buf[SEALFD_NAME_MAX + 1];
        unsigned flags;
        int r;

        if (!name) {
                if (name_len != 0)
                        return -EINVAL;
                name = "sealfd";
                name_len = strlen(name);
        }
        if (memchr(name, 0, name_len))
                return -EINVAL;
        if (name_len > SEALFD_NAME_MAX)
                return -ENAMETOOLONG;
        memcpy(buf, name, name_len);
        buf[name_len] = 0;

        r = create_flags(opts, &flags);
        if (r < 0)
                return r;

        r = create_trying(buf, flags);
        /* A huge page size with no pool of that size: the kernel has no such
         * hstate, which to the caller is an unsupported flag. */
        if (r == -ENODEV && (flags & MFD_HUGETLB))
                return -EOPNOTSUPP;
        /* -EACCES comes from vm.memfd_noexec: at 2 the kernel refuses MFD_EXEC
         * and anything not MFD_NOEXEC_SEAL; sealfd_noexec_policy() tells the
         * caller which value refused. */
        return r;
}

int sealfd_create(const struct sealfd_create_options *opts) {
        const char *name = opts && opts->name ? opts->name : "sealfd";
        /* strnlen bounds the scan: a name over the limit is reported as too
         * long without reading an unterminated buffer to the end. */
        return sealfd_create_named(name, strnlen(name, SEALFD_NAME_MAX + 1), opts);
}
