/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* systemd's syscall groups (SystemCallFilter=@system-service) as seccomp
 * policy text.  The groups come from systemd-groups.txt, generated from
 * `systemd-analyze syscall-filter` by scripts/update-systemd-groups. */
#ifndef SEALRUN_IMPORT_SYSTEMD_H
#define SEALRUN_IMPORT_SYSTEMD_H

#include <stddef.h>
#include <stdio.h>

struct systemd_group {
        const char *name; /* "@system-service" */
        const char *description;
        const char *const *members; /* syscalls and nested "@groups", as systemd lists them */
        size_t n_members;
};

extern const struct systemd_group systemd_groups[];
extern const size_t systemd_groups_count;
extern const char systemd_groups_source[]; /* "systemd 252 (252.39-1~deb12u2)" */

/* Policy text allowing every syscall of the named groups, nested groups
 * resolved; names this architecture lacks are skipped with a note (as
 * systemd skips them).  0 and *ret_text; -EINVAL and *ret_error for an
 * unknown group; -ENOMEM.  notes may be NULL. */
int import_systemd(const char *const *groups, size_t n_groups, FILE *notes, char **ret_text,
                   char **ret_error);

#endif
