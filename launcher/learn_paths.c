/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The paths a learn run opened, as Landlock lines: see learn_paths.h. */
#include "learn_paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "array.h"
#include "interpreter.h"

/* Paths on one proposed line: short enough to review. */
#define PATHS_PER_LINE 3

static struct learn_path *find(struct learn_paths *p, const char *path) {
        for (size_t i = 0; i < p->n; i++)
                if (!strcmp(p->v[i].path, path))
                        return &p->v[i];
        return NULL;
}

static struct learn_path *append(struct learn_paths *p, const char *path) {
        if (ARRAY_GROW(p->v, p->cap, p->n + 1) < 0)
                return NULL;
        char *copy = strdup(path);
        if (!copy)
                return NULL;
        p->v[p->n] = (struct learn_path){.path = copy};
        return &p->v[p->n++];
}

void learn_paths_add(struct learn_paths *p, const char *path, unsigned uses) {
        struct learn_path *e = find(p, path);
        if (!e && !(e = append(p, path))) {
                p->out_of_memory = true;
                return;
        }
        unsigned before = e->uses;
        e->uses |= uses;
        char interp[PATH_MAX], canonical[PATH_MAX];
        if ((uses & LEARN_PATH_EXEC) && !(before & LEARN_PATH_EXEC) &&
            interpreter_read(path, interp, sizeof(interp)) > 0 && realpath(interp, canonical))
                learn_paths_add(p, canonical, LEARN_PATH_EXEC);
}

/* The directory a relative path starts from: the caller's cwd or dirfd. */
static int base_of(pid_t pid, int dirfd, char *buf, size_t size) {
        char link[64];
        if (dirfd == AT_FDCWD)
                snprintf(link, sizeof(link), "/proc/%d/cwd", (int) pid);
        else
                snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int) pid, dirfd);
        ssize_t n = readlink(link, buf, size - 1);
        if (n < 0)
                return -errno;
        buf[n] = '\0';
        return 0;
}

static bool is_proc(const char *path) {
        return !strncmp(path, "/proc/", 6) || !strcmp(path, "/proc") || !strncmp(path, "/dev/fd/", 8) ||
               !strncmp(path, "/dev/std", 8);
}

/* The path argument and what the call does with it, or false. */
static bool path_argument(const struct seccomp_data *d, int *dirfd, uint64_t *addr, unsigned *uses) {
        uint64_t flags;
        if (d->nr == SYS_open) {
                *dirfd = AT_FDCWD, *addr = d->args[0], flags = d->args[1];
        } else if (d->nr == SYS_openat) {
                *dirfd = (int) d->args[0], *addr = d->args[1], flags = d->args[2];
        } else if (d->nr == SYS_execve) {
                *dirfd = AT_FDCWD, *addr = d->args[0], *uses = LEARN_PATH_EXEC;
                return true;
        } else
                return false;
        *uses = (flags & O_ACCMODE) == O_RDONLY ? LEARN_PATH_READ : 0;
        if ((flags & O_ACCMODE) == O_RDWR)
                *uses |= LEARN_PATH_READ;
        if (flags & LEARN_OPEN_WRITE_FLAGS)
                *uses |= LEARN_PATH_WRITE;
        return true;
}

void learn_paths_note(struct learn_paths *p, const struct supervise_call *c) {
        int dirfd;
        uint64_t addr;
        unsigned uses;
        if (!path_argument(c->data, &dirfd, &addr, &uses))
                return;
        char path[PATH_MAX], joined[2 * PATH_MAX + 2], canonical[PATH_MAX];
        if (supervise_call_read_string(c, addr, path, sizeof(path)) < 0) {
                p->unreadable++;
                return;
        }
        if (path[0] == '/')
                snprintf(joined, sizeof(joined), "%s", path);
        else if (base_of(c->pid, dirfd, joined, PATH_MAX) == 0)
                snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined), "/%s", path);
        else {
                p->unreadable++;
                return;
        }
        /* Checked before realpath too: here it would resolve sealrun's own
         * /proc/self, not the caller's. */
        if (is_proc(joined))
                p->under_proc++;
        else if (!realpath(joined, canonical))
                p->missing++;
        else if (is_proc(canonical))
                p->under_proc++;
        else
                learn_paths_add(p, canonical, uses);
}

static int by_path(const void *a, const void *b) {
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static void write_grant(FILE *out, const struct learn_paths *p, const char *grant, unsigned use,
                        unsigned unless) {
        const char **v = calloc(p->n ? p->n : 1, sizeof(*v));
        if (!v)
                return;
        size_t n = 0;
        for (size_t i = 0; i < p->n; i++)
                if ((p->v[i].uses & use) && !(p->v[i].uses & unless))
                        v[n++] = p->v[i].path;
        qsort(v, n, sizeof(*v), by_path);
        for (size_t i = 0; i < n; i++) {
                if (i % PATHS_PER_LINE == 0)
                        fprintf(out, "%slandlock %s", i ? "\n" : "", grant);
                fprintf(out, " %s", v[i]);
        }
        if (n)
                fputc('\n', out);
        free(v);
}

void learn_paths_write(FILE *out, const struct learn_paths *p) {
        write_grant(out, p, "exec", LEARN_PATH_EXEC, 0);
        write_grant(out, p, "read", LEARN_PATH_READ, LEARN_PATH_EXEC);
        write_grant(out, p, "write", LEARN_PATH_WRITE, 0);
}

void learn_paths_free(struct learn_paths *p) {
        for (size_t i = 0; i < p->n; i++)
                free(p->v[i].path);
        free(p->v);
        *p = (struct learn_paths){0};
}
