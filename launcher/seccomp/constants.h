/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Named constants of the policy language, both ways: name -> value (what a
 * policy writes: `arg0 == O_RDONLY`) and value -> names of one family (what a
 * diagnostic, `--explain` or `learn` prints for a syscall argument).
 *
 * The table is generated at build time from this system's kernel UAPI and
 * libc headers (gen-constants.sh); values are those the headers give on the
 * build's architecture.  No libseccomp types: a decoder can use this header
 * alone.
 *
 * A FAMILY is named by a prefix.  When the prefix ends in '_' ("O_",
 * "FUTEX_", "PR_", "KVM_") every name starting with it belongs to it.  When
 * it does not ("SIG", "EPOLL", "TCSETS"), only names that continue without
 * another '_' do, so "SIG" holds SIGHUP and SIGSTKSZ but not SIG_BLOCK or
 * SIGEV_NONE, and "EPOLL" holds EPOLLIN but not EPOLL_CLOEXEC.  Words after
 * the prefix, each "-START", leave out the names starting with START:
 * "F_ -F_SEAL_ -F_OK -F_RDLCK -F_WRLCK -F_UNLCK -F_EXLCK -F_SHLCK" is
 * fcntl's commands without the seal bits and lock types that share their
 * numbers, "FUTEX_ -FUTEX_OP_" futex's operations without FUTEX_WAKE_OP's
 * encoding.  A prefix of 64
 * characters or more names an empty family.
 *
 * Values are compared as 64-bit numbers, as the headers define them: a
 * negative constant (AT_FDCWD) is its 64-bit two's complement, so a decoder
 * of an `int` argument sign-extends it before asking.
 */
#ifndef SEALRUN_CONSTANTS_H
#define SEALRUN_CONSTANTS_H

#include <stddef.h>
#include <stdint.h>

/* The value of a named constant (errno names included): 0, or -ENOENT when
 * the build's headers do not define it as an integer. */
int policy_constant_lookup(const char *name, uint64_t *ret);

/* The value of an errno name (EPERM): 0, or -ENOENT when the name is not an
 * errno of <errno.h> in 1..4095. */
int policy_errno_lookup(const char *name, uint32_t *ret);

/* The errno name of e (1 -> "EPERM"), preferring the name defined by its
 * own number over an alias (EAGAIN over EWOULDBLOCK); NULL if none. */
const char *policy_errno_name(uint32_t e);

/* ---- Enum-like families: ioctl commands, fcntl commands, prctl options,
 * signals, futex operations.  A value has at most one meaning. ---- */

/* The preferred name of the family with exactly this value, or NULL.
 * Preferred: a name defined by a value over an alias defined as another
 * name (O_NONBLOCK over O_NDELAY, SIGCHLD over SIGCLD), then strcmp order. */
const char *policy_constant_name_of(const char *family, uint64_t value);

/* Every name of the family with exactly this value, preferred first: the
 * first min(max, count) into ret_names (may be NULL when max is 0).
 * Returns the count, so a caller can size its array. */
size_t policy_constant_names_of(const char *family, uint64_t value, const char **ret_names, size_t max);

/* ---- Flag families: open flags, mmap flags, clone flags. ---- */

#define POLICY_FLAG_NAMES_MAX 64

struct policy_flag_names {
        const char *names[POLICY_FLAG_NAMES_MAX]; /* ascending by value */
        size_t n;
        uint64_t unnamed; /* the bits of the value no name covers */
};

/* Splits value into names of the family OR-ed together, greedily: names
 * with more bits first (O_SYNC before O_DSYNC, O_TMPFILE before
 * O_DIRECTORY), aliases last.  Only names whose bits all lie in the value
 * are used, never two that share a bit, and never names ending in _MASK or
 * _SHIFT (a field's mask or position, not a flag).  Value 0 gives the
 * family's zero-valued name when it has one (O_RDONLY), else no name.
 * A zero-valued member of a field (O_RDONLY in 0x80000) is not added:
 * the caller knows which fields its family has.  Never fails. */
void policy_constant_decompose(const char *family, uint64_t value, struct policy_flag_names *ret);

/* Formats a decomposition as "O_RDWR|O_CLOEXEC", with the unnamed bits as a
 * final hexadecimal term ("MAP_SHARED|0x40000000") and "0" when there is
 * nothing to print.  Writes at most size bytes (NUL-terminated when size > 0)
 * and returns the length the whole text needs, as snprintf does. */
size_t policy_flag_names_format(const struct policy_flag_names *f, char *buf, size_t size);

#endif
