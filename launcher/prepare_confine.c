/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Prepare, the confinement part: Landlock paths opened O_PATH, the ruleset
 * built (not yet enforced: commit does that), the user resolved.  See
 * prepare.h. */
#include "prepare.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

#define STAGE "prepare"

int landlock_open_path(const char *path, bool *ret_directory, char *why, size_t why_size) {
        int fd = open(path, O_PATH | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0) {
                int r = negative_errno();
                snprintf(why, why_size, "%s", strerror(-r));
                safe_close(fd);
                return r;
        }
        if (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
                *ret_directory = S_ISDIR(st.st_mode);
                return fd;
        }
        snprintf(why, why_size, "is a %s: expected a directory, a regular file or a device",
                 S_ISFIFO(st.st_mode)   ? "FIFO"
                 : S_ISSOCK(st.st_mode) ? "socket"
                                        : "special file");
        close(fd);
        return -EINVAL;
}

static int add_paths(const struct plan *p, struct prepared *pr, struct launch_error *e) {
        const struct landlock_spec *s = &p->landlock_spec;
        pr->landlock_rights = calloc(s->n_paths + 1, sizeof(uint64_t));
        if (!pr->landlock_rights)
                return -ENOMEM;
        for (size_t i = 0; i < s->n_paths; i++) {
                char why[160], thing[600];
                bool directory = false;
                snprintf(thing, sizeof(thing), "landlock %s %s", landlock_grant_name(s->paths[i].grant),
                         s->paths[i].path);
                _cleanup_close_ int fd = landlock_open_path(s->paths[i].path, &directory, why, sizeof(why));
                if (fd < 0)
                        return launch_error_set(e, STAGE, -fd, thing, "%s", why);
                uint64_t rights = landlock_grant_rights(s->paths[i].grant, directory, p->landlock.handled_fs);
                pr->landlock_rights[i] = rights;
                /* A right this ABI cannot restrict is allowed anyway (best effort). */
                int r = pr->landlock_fd >= 0 && rights ? landlock_add_path(pr->landlock_fd, fd, rights) : 0;
                if (r < 0)
                        return launch_error_set(e, STAGE, -r, thing, "cannot add the rule");
        }
        return 0;
}

static int add_ports(const struct plan *p, struct prepared *pr, struct launch_error *e) {
        const struct landlock_spec *s = &p->landlock_spec;
        for (size_t i = 0; pr->landlock_fd >= 0 && i < s->n_ports; i++) {
                uint64_t access = s->ports[i].access & p->landlock.handled_net;
                int r = access ? landlock_add_port(pr->landlock_fd, s->ports[i].port, access) : 0;
                if (r < 0)
                        return launch_error_set(e, STAGE, -r, "landlock",
                                                "cannot add the rule for TCP port %u",
                                                (unsigned) s->ports[i].port);
        }
        return 0;
}

/* {"abi":6,"kernel_abi":7,"fs":"...","net":"...","scoped":"...","not_enforced":{...}} */
static int build_status(const struct plan *p, struct prepared *pr) {
        const struct landlock_plan *l = &p->landlock;
        char fs[400], net[64], sc[64], ufs[400], unet[64], usc[64];
        int r = asprintf(
                &pr->landlock_status,
                "{\"enforced\":%s,\"abi\":%d,\"kernel_abi\":%d,\"fs\":\"%s\",\"net\":\"%s\",\"scoped\":"
                "\"%s\",\"not_enforced\":{\"fs\":\"%s\",\"net\":\"%s\",\"scoped\":\"%s\"}}",
                l->enabled ? "true" : "false", l->abi, l->kernel_abi > 0 ? l->kernel_abi : 0,
                landlock_rights_text('f', l->handled_fs, fs, sizeof(fs)),
                landlock_rights_text('n', l->handled_net, net, sizeof(net)),
                landlock_rights_text('s', l->scoped, sc, sizeof(sc)),
                landlock_rights_text('f', l->unenforced_fs, ufs, sizeof(ufs)),
                landlock_rights_text('n', l->unenforced_net, unet, sizeof(unet)),
                landlock_rights_text('s', l->unenforced_scoped, usc, sizeof(usc)));
        if (r < 0)
                pr->landlock_status = NULL;
        return r < 0 ? -ENOMEM : 0;
}

static int prepare_landlock(const struct plan *p, struct prepared *pr, struct launch_error *e) {
        if (!p->landlock_spec.present)
                return 0;
        if (p->landlock.enabled) {
                pr->landlock_fd = landlock_create_ruleset(&p->landlock);
                if (pr->landlock_fd < 0)
                        return launch_error_set(e, STAGE, -pr->landlock_fd, "landlock",
                                                "cannot create the ruleset");
        }
        int r = add_paths(p, pr, e);
        if (r >= 0)
                r = add_ports(p, pr, e);
        if (r >= 0)
                r = build_status(p, pr);
        return r;
}

static int prepare_user(const struct plan *p, struct prepared *pr, struct launch_error *e) {
        if (!user_spec_present(&p->user))
                return 0;
        const struct user_word *bad = NULL;
        char why[256], thing[128];
        int r = user_resolve(&p->user, &pr->user, &bad, why, sizeof(why));
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                const char *kind = bad == &p->user.user ? "user" : bad == &p->user.group ? "group" : "groups";
                snprintf(thing, sizeof(thing), "%s '%s'", kind, bad->text);
                return launch_error_set(e, STAGE, -r, thing, "%s", why);
        }
        if (p->user.has_user || p->user.has_group)
                snprintf(thing, sizeof(thing), "%s '%s'", p->user.has_user ? "user" : "group",
                         p->user.has_user ? p->user.user.text : p->user.group.text);
        else
                snprintf(thing, sizeof(thing), "groups");
        if ((r = user_allowed(&pr->user, why, sizeof(why))) < 0)
                return launch_error_set(e, STAGE, -r, thing, "%s", why);
        return 0;
}

int prepare_confinement(const struct plan *p, struct prepared *pr, struct launch_error *e) {
        int r = prepare_landlock(p, pr, e);
        if (r >= 0)
                r = prepare_user(p, pr, e);
        return r;
}
