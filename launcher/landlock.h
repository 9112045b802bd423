/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Landlock: what the target may read, write, execute, connect to and bind,
 * and whether it is scoped (signals, abstract Unix sockets).
 *
 * The UAPI is defined here, the one place in the tree: Debian 12's
 * <linux/landlock.h> stops at ABI 2 and Debian 12 has no Landlock library,
 * so the syscalls are called directly.  Values from the kernel's
 * include/uapi/linux/landlock.h (stable ABI, never renumbered).
 *
 *     workload (landlock lines)  --plan-->  struct landlock_plan (pure:
 *     the kernel's ABI decides what is handled)  --prepare-->  O_PATH fds,
 *     rules, one ruleset fd  --commit-->  landlock_restrict_self()
 */
#ifndef SEALRUN_LANDLOCK_H
#define SEALRUN_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- UAPI ------------------------------------------------------------ */
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2

#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_REMOVE_DIR (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR (1ULL << 6)
#define LL_FS_MAKE_DIR (1ULL << 7)
#define LL_FS_MAKE_REG (1ULL << 8)
#define LL_FS_MAKE_SOCK (1ULL << 9)
#define LL_FS_MAKE_FIFO (1ULL << 10)
#define LL_FS_MAKE_BLOCK (1ULL << 11)
#define LL_FS_MAKE_SYM (1ULL << 12)
#define LL_FS_REFER (1ULL << 13)     /* ABI 2 */
#define LL_FS_TRUNCATE (1ULL << 14)  /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */

#define LL_NET_BIND_TCP (1ULL << 0)    /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1) /* ABI 4 */

#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)        /* ABI 6 */

/* The newest ABI whose rights this file names; ABI 7 added only audit
 * logging flags for landlock_restrict_self(), left at the kernel's
 * defaults.  A kernel reporting more is probed for its extra rights. */
#define LL_ABI_KNOWN 7

/* Rights that apply to a file (the rest need a directory). */
#define LL_FS_FILE_RIGHTS                                                                                    \
        (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)

struct ll_ruleset_attr {
        uint64_t handled_access_fs;
        uint64_t handled_access_net;
        uint64_t scoped;
};

struct ll_path_beneath_attr {
        uint64_t allowed_access;
        int32_t parent_fd;
} __attribute__((packed));

struct ll_net_port_attr {
        uint64_t allowed_access;
        uint64_t port;
};

/* --- the workload's lines (pure data, owned) -------------------------- */
enum landlock_grant {
        LANDLOCK_READ,   /* read files, list directories */
        LANDLOCK_EXEC,   /* read and execute */
        LANDLOCK_WRITE,  /* write, truncate; beneath a directory also create, remove, rename */
        LANDLOCK_DEVICE, /* ioctl on device files */
};

struct landlock_path {
        enum landlock_grant grant;
        char *path;
        char *file; /* where the line is, for `check`; NULL: the command line */
        unsigned line, col;
};

struct landlock_port {
        uint64_t access; /* LL_NET_BIND_TCP or LL_NET_CONNECT_TCP */
        uint16_t port;
};

struct landlock_spec {
        bool present; /* any landlock line at all */
        struct landlock_path *paths;
        size_t n_paths;
        struct landlock_port *ports;
        size_t n_ports;
        bool scope_set;  /* a `landlock scope` line: exactly these scopes */
        uint64_t scoped; /* with scope_set */
        int abi_min;     /* `landlock abi N`; 0 none */
        bool best_effort;
};

void landlock_spec_free(struct landlock_spec *s);
/* Deep copy; 0 or -ENOMEM. */
int landlock_spec_copy(const struct landlock_spec *from, struct landlock_spec *ret);

/* "read", "exec", ...; for messages and the dry run. */
const char *landlock_grant_name(enum landlock_grant g);

/* --- the plan (pure) --------------------------------------------------- */
/* What the running kernel offers, read by the caller (launch.c) so that
 * planning stays pure. */
struct landlock_kernel {
        int abi;                                    /* landlock_kernel_abi(); <= 0: no Landlock */
        uint64_t extra_fs, extra_net, extra_scoped; /* landlock_probe_extra() */
};

struct landlock_plan {
        bool enabled;   /* a ruleset is applied */
        int kernel_abi; /* what the kernel reported (<= 0: no Landlock) */
        int abi;        /* the ABI whose rights are handled */
        uint64_t handled_fs, handled_net, scoped;
        /* Rights the workload denies that this kernel cannot restrict
         * (best-effort only; fail-closed refuses instead). */
        uint64_t unenforced_fs, unenforced_net, unenforced_scoped;
};

/* The rights ABI `abi` can restrict (all of them, for abi > LL_ABI_KNOWN
 * up to what this file names; landlock_probe_extra() adds the rest). */
void landlock_abi_rights(int abi, uint64_t *ret_fs, uint64_t *ret_net, uint64_t *ret_scoped);

/* The least ABI the spec needs: `landlock abi N`, TCP ports 4, device 5,
 * an explicit scope line 6. */
int landlock_needed_abi(const struct landlock_spec *s);

/* Decide what a run enforces on kernel k.  Fail closed: returns
 * -EOPNOTSUPP when the kernel has no Landlock or an ABI below the needed
 * one and the spec is not best-effort (ret untouched).  A spec without
 * lines gives a disabled plan. */
int landlock_plan_build(const struct landlock_spec *s, const struct landlock_kernel *k,
                        struct landlock_plan *ret);

/* The rights a grant gives on a directory or on a file, within handled. */
uint64_t landlock_grant_rights(enum landlock_grant g, bool directory, uint64_t handled_fs);

/* Comma-separated right names of a mask ("read-file,read-dir"); "none"
 * for 0.  kind: 'f' filesystem, 'n' network, 's' scope.  Returns buf. */
const char *landlock_rights_text(char kind, uint64_t mask, char *buf, size_t size);

/* --- the kernel ---------------------------------------------------------- */
/* The kernel's Landlock ABI, or -errno (-ENOSYS, -EOPNOTSUPP: disabled at
 * boot).  In the test build (SEALRUN_TEST_ABI_CAP) capped by the
 * SEALRUN_TEST_LANDLOCK_ABI environment variable; see landlock_abi.c. */
int landlock_kernel_abi(void);

/* For a kernel newer than LL_ABI_KNOWN: the rights it accepts beyond those
 * this file names (one create_ruleset per unknown bit), added to *fs,
 * *net, *scoped, so "every right the kernel can restrict" stays true. */
void landlock_probe_extra(uint64_t *fs, uint64_t *net, uint64_t *scoped);

int landlock_create_ruleset(const struct landlock_plan *p);
int landlock_add_path(int ruleset, int dir_fd, uint64_t access);
int landlock_add_port(int ruleset, uint16_t port, uint64_t access);
/* landlock_restrict_self(): needs no_new_privs or CAP_SYS_ADMIN. */
int landlock_restrict(int ruleset);

#endif
