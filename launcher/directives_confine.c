/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The directives that confine the target beyond syscalls.  Pure: paths are
 * opened and names resolved later (prepare, and `check`).
 *
 *   landlock read|exec|write|device PATH...   rights beneath each path
 *   landlock connect|bind tcp PORT...         TCP ports (ABI 4)
 *   landlock scope signal|abstract-unix...|none
 *                                             which scopes (default: all the
 *                                             kernel has)
 *   landlock abi N                            the least ABI the workload needs
 *   landlock best-effort                      run with what the kernel has
 *   user NAME|UID, group NAME|GID, groups NAME|GID...
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"

static char *place_file(const struct line *l) {
        return l->place->file ? strdup(l->place->file) : NULL;
}

static int add_path(const struct line *l, enum landlock_grant grant, size_t i) {
        struct landlock_spec *s = &l->w->landlock;
        const char *path = l->words[i].text;
        if (path[0] != '/')
                return directive_fail_at(l, i, "expected an absolute path, found '%s'", path);
        struct landlock_path *v = realloc(s->paths, (s->n_paths + 1) * sizeof(*v));
        if (!v)
                return -ENOMEM;
        s->paths = v;
        struct landlock_path p = {.grant = grant, .line = l->place->line, .col = l->words[i].col};
        p.path = strdup(path);
        p.file = place_file(l);
        if (!p.path || (l->place->file && !p.file)) {
                free(p.path);
                free(p.file);
                return -ENOMEM;
        }
        s->paths[s->n_paths++] = p;
        return 0;
}

static int parse_number(const char *s, unsigned long max, unsigned long *ret) {
        char *end;
        if (!*s || strspn(s, "0123456789") != strlen(s))
                return -EINVAL;
        errno = 0;
        unsigned long v = strtoul(s, &end, 10);
        if (errno || v > max)
                return -ERANGE;
        *ret = v;
        return 0;
}

static int landlock_ports(const struct line *l, uint64_t access) {
        int r = directive_expect_args(l, 3, SIZE_MAX, "'tcp' and at least one port");
        if (r < 0)
                return r;
        if (strcmp(l->words[2].text, "tcp"))
                return directive_fail_at(l, 2,
                                         "expected 'tcp' (the only protocol Landlock restricts), found '%s'",
                                         l->words[2].text);
        struct landlock_spec *s = &l->w->landlock;
        for (size_t i = 3; i < l->n; i++) {
                unsigned long port;
                if (parse_number(l->words[i].text, 65535, &port) < 0)
                        return directive_fail_at(l, i, "expected a port from 0 to 65535, found '%s'",
                                                 l->words[i].text);
                struct landlock_port *v = realloc(s->ports, (s->n_ports + 1) * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                s->ports = v;
                s->ports[s->n_ports++] = (struct landlock_port){.access = access, .port = (uint16_t) port};
        }
        return 0;
}

static int landlock_scope(const struct line *l) {
        int r = directive_expect_args(l, 2, 3, "'signal', 'abstract-unix' or 'none'");
        if (r < 0)
                return r;
        struct landlock_spec *s = &l->w->landlock;
        if (s->scope_set)
                return directive_fail_at(l, 1, "'landlock scope' is already set");
        s->scope_set = true;
        s->scoped = 0;
        for (size_t i = 2; i < l->n; i++) {
                const char *name = l->words[i].text;
                if (!strcmp(name, "signal"))
                        s->scoped |= LL_SCOPE_SIGNAL;
                else if (!strcmp(name, "abstract-unix"))
                        s->scoped |= LL_SCOPE_ABSTRACT_UNIX;
                else if (strcmp(name, "none") || l->n != 3)
                        return directive_fail_at(
                                l, i, "expected 'signal', 'abstract-unix' or 'none' alone, found '%s'", name);
        }
        return 0;
}

static int landlock_abi(const struct line *l) {
        int r = directive_expect_args(l, 2, 2, "an ABI number");
        unsigned long abi;
        if (r < 0)
                return r;
        if (parse_number(l->words[2].text, 1000, &abi) < 0 || abi < 1)
                return directive_fail_at(l, 2, "expected an ABI number (1 or more), found '%s'",
                                         l->words[2].text);
        l->w->landlock.abi_min = (int) abi;
        return 0;
}

int directive_landlock(const struct line *l) {
        static const char *const grants[] = {"read", "exec", "write", "device"};
        int r = directive_expect_args(l, 1, SIZE_MAX,
                                      "a right (read, exec, write, device, connect, bind), "
                                      "'scope', 'abi' or 'best-effort'");
        if (r < 0)
                return r;
        const char *what = l->words[1].text;
        l->w->landlock.present = true;
        for (size_t g = 0; g < sizeof(grants) / sizeof(grants[0]); g++) {
                if (strcmp(what, grants[g]))
                        continue;
                if ((r = directive_expect_args(l, 2, SIZE_MAX, "at least one path")) < 0)
                        return r;
                for (size_t i = 2; i < l->n && r >= 0; i++)
                        r = add_path(l, (enum landlock_grant) g, i);
                return r;
        }
        if (!strcmp(what, "connect") || !strcmp(what, "bind"))
                return landlock_ports(l, what[0] == 'c' ? LL_NET_CONNECT_TCP : LL_NET_BIND_TCP);
        if (!strcmp(what, "scope"))
                return landlock_scope(l);
        if (!strcmp(what, "abi"))
                return landlock_abi(l);
        if (!strcmp(what, "best-effort")) {
                if ((r = directive_expect_args(l, 1, 1, "'best-effort'")) < 0)
                        return r;
                l->w->landlock.best_effort = true;
                return 0;
        }
        return directive_fail_at(
                l, 1,
                "expected read, exec, write, device, connect, bind, scope, abi or best-effort, "
                "found '%s'",
                what);
}

/* User and group names as useradd(8) takes them, or a number. */
static bool valid_id_word(const char *s) {
        size_t len = strlen(s);
        if (len == 0 || len > 64 || s[0] == '-')
                return false;
        for (size_t i = 0; i < len; i++)
                if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", s[i]) &&
                    !(s[i] == '$' && i == len - 1))
                        return false;
        return true;
}

static int set_word(const struct line *l, size_t i, struct user_word *w) {
        if (!valid_id_word(l->words[i].text))
                return directive_fail_at(l, i, "expected a name or a number, found '%s'", l->words[i].text);
        *w = (struct user_word){.line = l->place->line, .col = l->words[i].col};
        w->text = strdup(l->words[i].text);
        w->file = place_file(l);
        return !w->text || (l->place->file && !w->file) ? -ENOMEM : 0;
}

static int user_or_group(const struct line *l, bool *has, struct user_word *w, const char *what) {
        int r = directive_expect_args(l, 1, 1, what);
        if (r < 0)
                return r;
        if (*has)
                return directive_fail_at(l, 0, "'%s' is already set to '%s'", l->words[0].text, w->text);
        if ((r = set_word(l, 1, w)) < 0)
                return r;
        *has = true;
        return 0;
}

int directive_user(const struct line *l) {
        return user_or_group(l, &l->w->user.has_user, &l->w->user.user, "a user name or uid");
}

int directive_group(const struct line *l) {
        return user_or_group(l, &l->w->user.has_group, &l->w->user.group, "a group name or gid");
}

int directive_groups(const struct line *l) {
        struct user_spec *s = &l->w->user;
        int r = directive_expect_args(l, 1, SIZE_MAX, "group names or gids (or 'none')");
        if (r < 0)
                return r;
        if (s->has_groups)
                return directive_fail_at(l, 0, "'groups' is already set");
        s->has_groups = true;
        if (l->n == 2 && !strcmp(l->words[1].text, "none"))
                return 0;
        s->groups = calloc(l->n, sizeof(*s->groups));
        if (!s->groups)
                return -ENOMEM;
        for (size_t i = 1; i < l->n; i++, s->n_groups++)
                if ((r = set_word(l, i, &s->groups[i - 1])) < 0)
                        return r;
        return 0;
}
