/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsealfd: sealed anonymous memory files (memfds).
 *
 * Lifecycle of the common case:
 *
 *     fd = sealfd_load_path("/etc/app.conf", NULL);    // copy + seal fully
 *     ... hand fd to a child over exec, fork or sealfd_send() ...
 *     r = sealfd_verify(fd, SEALFD_SEALS_IMMUTABLE, -1); // receiver checks
 *     r = sealfd_map_readonly(fd, &addr, &size);       // safe to read
 *
 * Error contract: every function returns 0 or a non-negative value on
 * success and a negative errno value on failure.  Nothing prints, nothing
 * exits, errno is not a channel.  Output parameters are named ret_* and are
 * left untouched on failure.  Every fd the library creates is close-on-exec
 * unless the caller asks otherwise.  See libsealfd(3) for every error code.
 */
#ifndef SEALFD_H
#define SEALFD_H

#include <errno.h> /* the -errno codes every function returns */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SEALFD_PUBLIC __attribute__((visibility("default")))

/* ---- seals ------------------------------------------------------------ */

/* The same bit values as the kernel's F_SEAL_* (linux/fcntl.h), so a seal
 * set can be passed to fcntl(F_ADD_SEALS) as it is.  Defined here because
 * the system headers may be older than the running kernel. */
typedef uint32_t sealfd_seals_t;
#define SEALFD_SEAL_SEAL 0x0001u   /* no more seals may be added */
#define SEALFD_SEAL_SHRINK 0x0002u /* size may not decrease */
#define SEALFD_SEAL_GROW 0x0004u   /* size may not increase */
#define SEALFD_SEAL_WRITE 0x0008u  /* contents may not change */
#define SEALFD_SEAL_FUTURE_WRITE                                                                             \
        0x0010u                  /* no new writable mappings/writes; existing ones keep working (5.1) */
#define SEALFD_SEAL_EXEC 0x0020u /* mode's execute bits are frozen (6.3) */

/* Nobody can change, grow or shrink it, and nobody can unseal it. */
#define SEALFD_SEALS_IMMUTABLE (SEALFD_SEAL_SEAL | SEALFD_SEAL_SHRINK | SEALFD_SEAL_GROW | SEALFD_SEAL_WRITE)
/* The producer pattern: the creator's existing shared writable mapping keeps
 * writing; every other route (including the creator's write(2)) fails. */
#define SEALFD_SEALS_PRODUCER (SEALFD_SEAL_FUTURE_WRITE | SEALFD_SEAL_SHRINK | SEALFD_SEAL_GROW)
#define SEALFD_SEALS_ALL (SEALFD_SEALS_IMMUTABLE | SEALFD_SEAL_FUTURE_WRITE | SEALFD_SEAL_EXEC)
/* For sealfd_verify and sealfd_recv only, alone: require no seal at all
 * (only that the fd is a memfd).  A bit no kernel seal uses, so that 0 can
 * mean "the immutable set" everywhere, as it does in the load options. */
#define SEALFD_SEALS_NOT_REQUIRED 0x80000000u

/* Kernel limit on a memfd name, without the "memfd:" prefix and NUL. */
#define SEALFD_NAME_MAX 249

/* ---- creating --------------------------------------------------------- */

#define SEALFD_CREATE_INHERIT (1u << 0)    /* no close-on-exec */
#define SEALFD_CREATE_NO_SEALING (1u << 1) /* born with F_SEAL_SEAL: no seal can ever be added */
#define SEALFD_CREATE_HUGETLB (1u << 2)    /* back with huge pages, see huge_page_size */
#define SEALFD_CREATE_EXEC                                                                                   \
        (1u << 3) /* MFD_EXEC: may be executed (kernels without it: plain memfd, which is executable) */
#define SEALFD_CREATE_NOEXEC                                                                                 \
        (1u << 4) /* MFD_NOEXEC_SEAL: never executable; -EOPNOTSUPP on kernels without it */

struct sealfd_create_options {
        const char *name;        /* debug name, may repeat; NULL means "sealfd" */
        uint32_t flags;          /* SEALFD_CREATE_* */
        uint64_t huge_page_size; /* with SEALFD_CREATE_HUGETLB: 0 for the default size, or a
                                  * power of two the kernel can encode (64 KiB .. 16 GiB) */
};

/* Create a memfd.  opts may be NULL for the defaults (close-on-exec, sealing
 * allowed).  Returns the fd.  -EINVAL: bad flags, bad page size, a name with
 * an embedded NUL; -ENAMETOOLONG: name over SEALFD_NAME_MAX; -EOPNOTSUPP: a
 * flag the running kernel lacks; -EACCES: vm.memfd_noexec forbids the
 * requested mode (see sealfd_noexec_policy()). */
SEALFD_PUBLIC int sealfd_create(const struct sealfd_create_options *opts);

/* Same, with a name of explicit length, so an embedded NUL is detectable. */
SEALFD_PUBLIC int sealfd_create_named(const char *name, size_t name_len,
                                      const struct sealfd_create_options *opts);

/* ---- size, name, seals, identity -------------------------------------- */

SEALFD_PUBLIC int64_t sealfd_size(int fd);
/* -EFBIG/-EINVAL when the kernel refuses the size, -EPERM when a seal does. */
SEALFD_PUBLIC int sealfd_set_size(int fd, uint64_t size);
/* The name given at creation, read from /proc/self/fd (without "memfd:" and
 * " (deleted)"), NUL-terminated into buf.  Returns its length; -ERANGE when
 * buf is too small; -EMEDIUMTYPE when fd is not a memfd. */
SEALFD_PUBLIC ssize_t sealfd_name(int fd, char *buf, size_t size);
/* Returns the seal bits (>= 0); -EMEDIUMTYPE when fd cannot carry seals
 * (not tmpfs or hugetlbfs). */
SEALFD_PUBLIC int sealfd_seals_get(int fd);
/* -EPERM when F_SEAL_SEAL is already set (or fd is not open for writing);
 * -EBUSY when adding WRITE while a shared mapping exists that is or may
 * become writable (a PROT_READ MAP_SHARED mapping through an fd open for
 * writing counts); -EINVAL for seals the kernel does not know;
 * -EMEDIUMTYPE as above.  Adding seals that are all present already is a
 * no-op that succeeds, even after SEAL. */
SEALFD_PUBLIC int sealfd_seals_add(int fd, sealfd_seals_t seals);
/* 1 when fd is a memfd, 0 when it is anything else (a tmpfs file answers
 * F_GET_SEALS too, so that alone proves nothing); -EBADF. */
SEALFD_PUBLIC int sealfd_is_memfd(int fd);

/* ---- I/O and mappings --------------------------------------------------- */

/* Full-length I/O: retried on EINTR and short counts.  Reads return fewer
 * bytes only at end of file.  Return the byte count. */
SEALFD_PUBLIC ssize_t sealfd_read(int fd, void *buf, size_t len);
SEALFD_PUBLIC ssize_t sealfd_write(int fd, const void *buf, size_t len);
SEALFD_PUBLIC ssize_t sealfd_pread(int fd, void *buf, size_t len, uint64_t offset);
SEALFD_PUBLIC ssize_t sealfd_pwrite(int fd, const void *buf, size_t len, uint64_t offset);

/* MAP_SHARED mapping of [offset, offset+length); offset must be page
 * aligned (-EINVAL).  prot is PROT_READ and/or PROT_WRITE. */
SEALFD_PUBLIC int sealfd_map(int fd, uint64_t offset, size_t length, int prot, void **ret_addr);
SEALFD_PUBLIC int sealfd_unmap(void *addr, size_t length);

/* The producer pattern in one call: a memfd of `size` bytes, a writable
 * shared mapping of all of it returned in *ret_addr, then
 * SEALFD_SEALS_PRODUCER.  Returns the fd; consumers of the fd can read and
 * map read-only, never write. */
SEALFD_PUBLIC int sealfd_producer_create(const char *name, size_t size, void **ret_addr);

/* ---- loading: copy a source into a new, fully sealed memfd ------------- */

#define SEALFD_LOAD_ALLOW_STREAM                                                                             \
        (1u << 0) /* accept FIFOs, pipes, sockets, character devices: copy to EOF                            \
                   */
#define SEALFD_LOAD_EXECUTABLE                                                                               \
        (1u << 1)                     /* the copy is a program: executable memfd, EXEC seal keeps it so      \
                                       */
#define SEALFD_LOAD_INHERIT (1u << 2) /* the new fd is not close-on-exec */

struct sealfd_load_options {
        const char *name;     /* NULL: "sealfd" */
        uint64_t max_size;    /* 0: no limit; a larger source is -EFBIG */
        sealfd_seals_t seals; /* 0: SEALFD_SEALS_IMMUTABLE plus EXEC where the kernel has it */
        uint32_t flags;       /* SEALFD_LOAD_* */
};

/* Each returns the new fd, positioned at offset 0.  The copy is made in the
 * kernel (splice through a pipe, sendfile when no pipe can be had;
 * read/write only where the source refuses those), in constant memory.
 * A regular file is copied whole from offset 0 (sealfd_load_fd leaves the
 * source's offset alone); a stream from its current position to EOF.
 * Errors: -EISDIR (directory),
 * -ESPIPE (FIFO, pipe or socket without ALLOW_STREAM), -ENODEV (device
 * without ALLOW_STREAM), -EFBIG (over max_size), -ESTALE (the source changed
 * size or mtime while it was copied; writes in place that change neither,
 * e.g. through an existing shared mapping, cannot be seen), plus open(2) and
 * memfd_create(2) errors.  opts may be NULL. */
SEALFD_PUBLIC int sealfd_load_path(const char *path, const struct sealfd_load_options *opts);
SEALFD_PUBLIC int sealfd_load_fd(int src_fd, const struct sealfd_load_options *opts);
SEALFD_PUBLIC int sealfd_load_buffer(const void *buf, size_t len, const struct sealfd_load_options *opts);

/* ---- receiving: check before trusting ---------------------------------- */

/* 0 when fd is a memfd carrying at least `required` seals and, if
 * expected_size >= 0, exactly that size.  required 0 means
 * SEALFD_SEALS_IMMUTABLE (as 0 does in the load options);
 * SEALFD_SEALS_NOT_REQUIRED, alone, asks for no seal.  -EBADF: not an open
 * fd; -EMEDIUMTYPE: not a memfd; -EBADFD: a required seal is missing;
 * -ERANGE: the size differs; -EINVAL: unknown seal bits, NOT_REQUIRED
 * together with a seal, expected_size below -1. */
SEALFD_PUBLIC int sealfd_verify(int fd, sealfd_seals_t required, int64_t expected_size);

/* Read-only shared mapping of the whole memfd.  Requires SHRINK (so reading
 * can never SIGBUS) and WRITE or FUTURE_WRITE (-EBADFD otherwise).  An empty
 * memfd maps to *ret_addr = NULL, *ret_size = 0. */
SEALFD_PUBLIC int sealfd_map_readonly(int fd, const void **ret_addr, size_t *ret_size);

/* ---- passing over a Unix socket (SCM_RIGHTS) --------------------------- */

#define SEALFD_SEND_MAX_FDS 253 /* SCM_MAX_FD */

/* Send n_fds fds with len bytes of data (at least 1 byte is sent: a NUL when
 * len is 0).  Returns 0. */
SEALFD_PUBLIC int sealfd_send(int sock, const int *fds, size_t n_fds, const void *data, size_t len);
/* Receive up to max_fds fds and up to len bytes.  Each fd is verified with
 * sealfd_verify(fd, required, -1) before return (0: the immutable set); on any failure (truncated
 * control message, a wrong fd, more fds than max_fds) every received fd is
 * closed and nothing is returned.  Received fds are close-on-exec.  Returns
 * the data byte count, fds in ret_fds[0..*ret_n_fds). -EPROTO: malformed or
 * truncated control message, or one that is not SCM_RIGHTS; -EMSGSIZE: more
 * than max_fds fds arrived; a failed verify's error.  A peer that closed
 * the connection gives 0 with *ret_n_fds = 0. */
SEALFD_PUBLIC ssize_t sealfd_recv(int sock, int *ret_fds, size_t max_fds, size_t *ret_n_fds, void *buf,
                                  size_t len, sealfd_seals_t required);

/* ---- digest ------------------------------------------------------------ */

#define SEALFD_SHA256_SIZE 32
/* SHA-256 of the whole contents, read with pread (the offset is unchanged). */
SEALFD_PUBLIC int sealfd_digest_sha256(int fd, uint8_t ret_digest[SEALFD_SHA256_SIZE]);

/* ---- what the running kernel supports ---------------------------------- */

enum sealfd_feature {
        SEALFD_FEATURE_MEMFD,
        SEALFD_FEATURE_SEAL_FUTURE_WRITE,
        SEALFD_FEATURE_SEAL_EXEC,
        SEALFD_FEATURE_CREATE_EXEC,
        SEALFD_FEATURE_CREATE_NOEXEC,
        SEALFD_FEATURE_HUGETLB,
};
/* 1 supported, 0 not, -EINVAL for an unknown feature. */
SEALFD_PUBLIC int sealfd_supports(enum sealfd_feature feature);
/* The vm.memfd_noexec setting in force for this pid namespace: 0, 1 or 2;
 * -ENOENT when the kernel has no such setting. */
SEALFD_PUBLIC int sealfd_noexec_policy(void);

SEALFD_PUBLIC const char *sealfd_version(void);

#ifdef __cplusplus
}
#endif
#endif
