/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The user and groups the target runs as: `user NAME|UID`, `group
 * NAME|GID`, `groups NAME|GID...` (supplementary, default none).  Names are
 * resolved in prepare (NSS), the switch happens in commit as root:
 * setgroups, setresgid, setresuid, in that order, so that every one of the
 * real, effective, saved and filesystem ids is the asked one.
 */
#ifndef SEALRUN_USER_H
#define SEALRUN_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One word of a user/group/groups line, with where it was for `check`. */
struct user_word {
        char *text;
        char *file; /* NULL: the command line */
        unsigned line, col;
};

struct user_spec {
        bool has_user, has_group, has_groups;
        struct user_word user, group;
        struct user_word *groups;
        size_t n_groups;
};

void user_spec_free(struct user_spec *s);
int user_spec_copy(const struct user_spec *from, struct user_spec *ret);
bool user_spec_present(const struct user_spec *s);

struct user_ids {
        bool change; /* the ids differ from sealrun's own: commit switches */
        uid_t uid;
        gid_t gid;
        gid_t *groups;
        size_t n_groups;
};

void user_ids_free(struct user_ids *ids);

/* Names and numbers -> ids (NSS for names).  The gid defaults to the
 * user's primary group, the supplementary groups to none; a `group` or
 * `groups` line alone keeps sealrun's uid.  On failure returns -errno and
 * sets *ret_bad to the word at fault and why[] to the words for it. */
int user_resolve(const struct user_spec *s, struct user_ids *ret, const struct user_word **ret_bad, char *why,
                 size_t why_size);

/* Whether sealrun can switch to ids: as root always; otherwise only when
 * nothing would change (then ids->change is cleared).  -EPERM with why[]
 * filled when not. */
int user_allowed(struct user_ids *ids, char *why, size_t why_size);

/* "uid 65534 (nobody), gid 65534, groups none" for the dry run. */
void user_ids_text(const struct user_ids *ids, char *buf, size_t size);

/* setgroups, setresgid, setresuid.  0 or -errno; which step failed in
 * *ret_step. */
int user_switch(const struct user_ids *ids, const char **ret_step);

#endif
