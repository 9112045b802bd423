/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Landlock: the pure part (rights per ABI, the plan, names) and the three
 * syscalls, see landlock.h. */
#include "landlock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

void landlock_spec_free(struct landlock_spec *s) {
        for (size_t i = 0; i < s->n_paths; i++) {
                free(s->paths[i].path);
                free(s->paths[i].file);
        }
        free(s->paths);
        free(s->ports);
        *s = (struct landlock_spec){0};
}

int landlock_spec_copy(const struct landlock_spec *from, struct landlock_spec *ret) {
        struct landlock_spec s = *from;
        s.paths = calloc(from->n_paths + 1, sizeof(*s.paths));
        s.ports = calloc(from->n_ports + 1, sizeof(*s.ports));
        s.n_paths = 0;
        if (!s.paths || !s.ports) {
                landlock_spec_free(&s);
                return -ENOMEM;
        }
        if (from->n_ports) /* from->ports may be NULL then: memcpy(dst, NULL, 0) is undefined */
                memcpy(s.ports, from->ports, from->n_ports * sizeof(*s.ports));
        for (size_t i = 0; i < from->n_paths; i++) {
                s.paths[i] = from->paths[i];
                s.paths[i].path = strdup(from->paths[i].path);
                s.paths[i].file = from->paths[i].file ? strdup(from->paths[i].file) : NULL;
                s.n_paths = i + 1;
                if (!s.paths[i].path || (from->paths[i].file && !s.paths[i].file)) {
                        landlock_spec_free(&s);
                        return -ENOMEM;
                }
        }
        *ret = s;
        return 0;
}

const char *landlock_grant_name(enum landlock_grant g) {
        static const char *const names[] = {"read", "exec", "write", "device"};
        return names[g];
}

void landlock_abi_rights(int abi, uint64_t *ret_fs, uint64_t *ret_net, uint64_t *ret_scoped) {
        uint64_t fs = 0, net = 0, scoped = 0;
        if (abi >= 1)
                fs = LL_FS_MAKE_SYM * 2 - 1; /* EXECUTE .. MAKE_SYM */
        if (abi >= 2)
                fs |= LL_FS_REFER;
        if (abi >= 3)
                fs |= LL_FS_TRUNCATE;
        if (abi >= 4)
                net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
        if (abi >= 5)
                fs |= LL_FS_IOCTL_DEV;
        if (abi >= 6)
                scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
        *ret_fs = fs;
        *ret_net = net;
        *ret_scoped = scoped;
}

int landlock_needed_abi(const struct landlock_spec *s) {
        int need = s->abi_min > 1 ? s->abi_min : 1;
        if (s->n_ports > 0 && need < 4)
                need = 4;
        for (size_t i = 0; i < s->n_paths; i++)
                if (s->paths[i].grant == LANDLOCK_DEVICE && need < 5)
                        need = 5;
        if (s->scope_set && s->scoped && need < 6)
                need = 6;
        return need;
}

int landlock_plan_build(const struct landlock_spec *s, const struct landlock_kernel *k,
                        struct landlock_plan *ret) {
        struct landlock_plan p = {.kernel_abi = k->abi};
        if (!s->present) {
                *ret = p;
                return 0;
        }
        if (k->abi < landlock_needed_abi(s) && !s->best_effort)
                return -EOPNOTSUPP;
        uint64_t all_fs, all_net, all_scoped, fs = 0, net = 0, scoped = 0;
        landlock_abi_rights(LL_ABI_KNOWN, &all_fs, &all_net, &all_scoped);
        if (k->abi > 0) {
                landlock_abi_rights(k->abi, &fs, &net, &scoped);
                fs |= k->extra_fs;
                net |= k->extra_net;
                scoped |= k->extra_scoped;
        }
        uint64_t wanted_scoped = s->scope_set ? s->scoped : all_scoped | scoped;
        p.enabled = k->abi > 0;
        p.abi = k->abi > 0 ? k->abi : 0;
        p.handled_fs = fs;
        p.handled_net = net;
        p.scoped = wanted_scoped & scoped;
        p.unenforced_fs = all_fs & ~fs;
        p.unenforced_net = all_net & ~net;
        p.unenforced_scoped = wanted_scoped & ~scoped;
        *ret = p;
        return 0;
}

uint64_t landlock_grant_rights(enum landlock_grant g, bool directory, uint64_t handled_fs) {
        uint64_t r = 0;
        switch (g) {
        case LANDLOCK_READ:
                r = LL_FS_READ_FILE | LL_FS_READ_DIR;
                break;
        case LANDLOCK_EXEC:
                r = LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_EXECUTE;
                break;
        case LANDLOCK_WRITE:
                /* Device nodes stay uncreatable: nothing grants MAKE_CHAR/BLOCK. */
                r = LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE |
                    LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO | LL_FS_MAKE_SYM |
                    LL_FS_REFER;
                break;
        case LANDLOCK_DEVICE:
                r = LL_FS_IOCTL_DEV;
                break;
        }
        if (!directory)
                r &= LL_FS_FILE_RIGHTS;
        return r & handled_fs;
}

static const char *const fs_names[] = {
        "execute",   "write-file", "read-file", "read-dir",  "remove-dir", "remove-file",
        "make-char", "make-dir",   "make-reg",  "make-sock", "make-fifo",  "make-block",
        "make-sym",  "refer",      "truncate",  "ioctl-dev",
};
static const char *const net_names[] = {"bind-tcp", "connect-tcp"};
static const char *const scope_names[] = {"abstract-unix", "signal"};

const char *landlock_rights_text(char kind, uint64_t mask, char *buf, size_t size) {
        const char *const *names = kind == 'f' ? fs_names : kind == 'n' ? net_names : scope_names;
        size_t n_names = kind == 'f' ? 16 : 2, len = 0;
        buf[0] = '\0';
        for (unsigned bit = 0; bit < 64 && len + 1 < size; bit++) {
                if (!(mask & (UINT64_C(1) << bit)))
                        continue;
                int k = bit < n_names ? snprintf(buf + len, size - len, "%s%s", len ? "," : "", names[bit])
                                      : snprintf(buf + len, size - len, "%sbit%u", len ? "," : "", bit);
                if (k > 0)
                        len += (size_t) k;
        }
        if (!mask)
                snprintf(buf, size, "none");
        return buf;
}

static int ll_syscall_result(long r) {
        return r < 0 ? negative_errno() : (int) r;
}

void landlock_probe_extra(uint64_t *fs, uint64_t *net, uint64_t *scoped) {
        uint64_t known_fs, known_net, known_scoped;
        landlock_abi_rights(LL_ABI_KNOWN, &known_fs, &known_net, &known_scoped);
        for (unsigned bit = 0; bit < 64; bit++) {
                uint64_t b = UINT64_C(1) << bit;
                struct ll_ruleset_attr tries[3] = {
                        {.handled_access_fs = known_fs & b ? 0 : b},
                        {.handled_access_net = known_net & b ? 0 : b},
                        {.scoped = known_scoped & b ? 0 : b},
                };
                uint64_t *found[3] = {fs, net, scoped};
                for (int i = 0; i < 3; i++) {
                        if (!(tries[i].handled_access_fs | tries[i].handled_access_net | tries[i].scoped))
                                continue;
                        int fd = (int) syscall(SYS_landlock_create_ruleset, &tries[i], sizeof(tries[i]), 0);
                        if (fd >= 0) {
                                *found[i] |= b;
                                close(fd);
                        }
                }
        }
}

int landlock_create_ruleset(const struct landlock_plan *p) {
        struct ll_ruleset_attr attr = {
                .handled_access_fs = p->handled_fs,
                .handled_access_net = p->handled_net,
                .scoped = p->scoped,
        };
        /* The kernel takes the size of the struct it expects per ABI: ABI
         * 1-3 know only the fs field, 4-5 also net, 6 and later scoped. */
        size_t size = p->abi >= 6 ? sizeof(attr) : p->abi >= 4 ? 16 : 8;
        return ll_syscall_result(syscall(SYS_landlock_create_ruleset, &attr, size, 0));
}

int landlock_add_path(int ruleset, int dir_fd, uint64_t access) {
        struct ll_path_beneath_attr a = {.allowed_access = access, .parent_fd = dir_fd};
        return ll_syscall_result(syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &a, 0));
}

int landlock_add_port(int ruleset, uint16_t port, uint64_t access) {
        struct ll_net_port_attr a = {.allowed_access = access, .port = port};
        return ll_syscall_result(syscall(SYS_landlock_add_rule, ruleset, LL_RULE_NET_PORT, &a, 0));
}

int landlock_restrict(int ruleset) {
        return ll_syscall_result(syscall(SYS_landlock_restrict_self, ruleset, 0));
}
