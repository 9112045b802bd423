/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The user and groups to run as, see user.h. */
#include "user.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"

static void word_free(struct user_word *w) {
        free(w->text);
        free(w->file);
        *w = (struct user_word){0};
}

void user_spec_free(struct user_spec *s) {
        word_free(&s->user);
        word_free(&s->group);
        for (size_t i = 0; i < s->n_groups; i++)
                word_free(&s->groups[i]);
        free(s->groups);
        *s = (struct user_spec){0};
}

static int word_copy(const struct user_word *from, struct user_word *to) {
        *to = *from;
        to->text = from->text ? strdup(from->text) : NULL;
        to->file = from->file ? strdup(from->file) : NULL;
        return (from->text && !to->text) || (from->file && !to->file) ? -ENOMEM : 0;
}

int user_spec_copy(const struct user_spec *from, struct user_spec *ret) {
        struct user_spec s = *from;
        s.user = s.group = (struct user_word){0};
        s.groups = calloc(from->n_groups + 1, sizeof(*s.groups));
        s.n_groups = 0;
        int r = s.groups ? 0 : -ENOMEM;
        if (r >= 0)
                r = word_copy(&from->user, &s.user);
        if (r >= 0)
                r = word_copy(&from->group, &s.group);
        for (size_t i = 0; r >= 0 && i < from->n_groups; i++, s.n_groups = i)
                r = word_copy(&from->groups[i], &s.groups[i]);
        if (r < 0) {
                user_spec_free(&s);
                return r;
        }
        *ret = s;
        return 0;
}

bool user_spec_present(const struct user_spec *s) {
        return s->has_user || s->has_group || s->has_groups;
}

void user_ids_free(struct user_ids *ids) {
        free(ids->groups);
        *ids = (struct user_ids){0};
}

/* A plain decimal id below (uid_t)-1, which means "unchanged" to setresuid. */
static bool parse_id(const char *s, unsigned *ret) {
        char *end;
        if (!*s || strspn(s, "0123456789") != strlen(s))
                return false;
        errno = 0;
        unsigned long v = strtoul(s, &end, 10);
        if (errno || v >= 0xffffffffUL)
                return false;
        *ret = (unsigned) v;
        return true;
}

/* The files /etc/passwd and /etc/group themselves, not NSS: sealrun is
 * linked statically (CMakeLists.txt), and a static glibc loads NSS modules
 * of whatever glibc is installed at run time, which need not match.  A
 * user only another NSS source knows is given by number. */
static bool passwd_find(const char *name, uid_t uid, struct passwd *ret, char *buf, size_t size) {
        FILE *f = fopen("/etc/passwd", "re");
        struct passwd *found = NULL;
        bool ok = false;
        while (f && !ok && fgetpwent_r(f, ret, buf, size, &found) == 0)
                ok = name ? !strcmp(found->pw_name, name) : found->pw_uid == uid;
        if (f)
                fclose(f);
        return ok;
}

static bool group_find(const char *name, gid_t *ret) {
        FILE *f = fopen("/etc/group", "re");
        struct group gr, *found = NULL;
        char buf[8192];
        bool ok = false;
        while (f && !ok && fgetgrent_r(f, &gr, buf, sizeof(buf), &found) == 0)
                ok = !strcmp(found->gr_name, name);
        if (f)
                fclose(f);
        if (ok)
                *ret = gr.gr_gid;
        return ok;
}

static int lookup_user(const char *name, uid_t *uid, gid_t *gid, bool *has_gid) {
        unsigned n;
        struct passwd pw;
        char buf[4096];
        bool numeric = parse_id(name, &n);
        *has_gid = passwd_find(numeric ? NULL : name, numeric ? n : 0, &pw, buf, sizeof(buf));
        if (!numeric && !*has_gid)
                return -ENOENT;
        *uid = numeric ? n : pw.pw_uid;
        if (*has_gid)
                *gid = pw.pw_gid;
        return 0;
}

static int lookup_group(const char *name, gid_t *gid) {
        unsigned n;
        if (parse_id(name, &n)) {
                *gid = n;
                return 0;
        }
        return group_find(name, gid) ? 0 : -ENOENT;
}

static int fail(const struct user_word *w, const struct user_word **ret_bad, int r, char *why, size_t size,
                const char *words) {
        *ret_bad = w;
        snprintf(why, size, "%s", words);
        return r;
}

int user_resolve(const struct user_spec *s, struct user_ids *ret, const struct user_word **ret_bad, char *why,
                 size_t why_size) {
        struct user_ids ids = {.change = user_spec_present(s), .uid = getuid(), .gid = getgid()};
        bool has_gid = false;
        if (s->has_user && lookup_user(s->user.text, &ids.uid, &ids.gid, &has_gid) < 0)
                return fail(&s->user, ret_bad, -ENOENT, why, why_size, "no such user");
        if (s->has_group && lookup_group(s->group.text, &ids.gid) < 0)
                return fail(&s->group, ret_bad, -ENOENT, why, why_size, "no such group");
        if (s->has_user && !s->has_group && !has_gid)
                return fail(&s->user, ret_bad, -ENOENT, why, why_size,
                            "has no passwd entry to take a group from: add a 'group' line");
        ids.groups = calloc(s->n_groups + 1, sizeof(gid_t));
        if (!ids.groups)
                return -ENOMEM;
        for (size_t i = 0; i < s->n_groups; i++, ids.n_groups = i)
                if (lookup_group(s->groups[i].text, &ids.groups[i]) < 0) {
                        user_ids_free(&ids);
                        return fail(&s->groups[i], ret_bad, -ENOENT, why, why_size, "no such group");
                }
        *ret = ids;
        return 0;
}

static int cmp_gid(const void *a, const void *b) {
        gid_t x = *(const gid_t *) a, y = *(const gid_t *) b;
        return x < y ? -1 : x > y;
}

/* Whether the supplementary groups would stay what they are now. */
static bool same_groups(const struct user_ids *ids) {
        gid_t now[256], want[256];
        int n = getgroups(256, now);
        if (n < 0 || (size_t) n != ids->n_groups || ids->n_groups > 256)
                return false;
        memcpy(want, ids->groups, ids->n_groups * sizeof(gid_t));
        qsort(now, (size_t) n, sizeof(gid_t), cmp_gid);
        qsort(want, ids->n_groups, sizeof(gid_t), cmp_gid);
        return !memcmp(now, want, ids->n_groups * sizeof(gid_t));
}

int user_allowed(struct user_ids *ids, char *why, size_t why_size) {
        if (!ids->change || geteuid() == 0)
                return 0;
        bool same_ids = ids->uid == getuid() && ids->uid == geteuid() && ids->gid == getgid() &&
                        ids->gid == getegid();
        if (same_ids && same_groups(ids)) {
                ids->change = false; /* already there: nothing to switch */
                return 0;
        }
        snprintf(why, why_size,
                 "switching to uid %u, gid %u (and the listed groups) needs root; sealrun runs as uid %u",
                 (unsigned) ids->uid, (unsigned) ids->gid, (unsigned) geteuid());
        return -EPERM;
}

void user_ids_text(const struct user_ids *ids, char *buf, size_t size) {
        int n = snprintf(buf, size, "uid %u, gid %u, groups", (unsigned) ids->uid, (unsigned) ids->gid);
        for (size_t i = 0; n > 0 && (size_t) n < size && i < ids->n_groups; i++)
                n += snprintf(buf + n, size - (size_t) n, "%s%u", i ? "," : " ", (unsigned) ids->groups[i]);
        if (n > 0 && (size_t) n < size && ids->n_groups == 0)
                snprintf(buf + n, size - (size_t) n, " none");
}

int user_switch(const struct user_ids *ids, const char **ret_step) {
        if (!ids->change)
                return 0;
        *ret_step = "setgroups";
        if (setgroups(ids->n_groups, ids->groups) < 0)
                return negative_errno();
        *ret_step = "setresgid";
        if (setresgid(ids->gid, ids->gid, ids->gid) < 0)
                return negative_errno();
        *ret_step = "setresuid";
        if (setresuid(ids->uid, ids->uid, ids->uid) < 0)
                return negative_errno();
        return 0;
}
