/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `sealrun import systemd @GROUP...`: one `name: 1` line per syscall, under
 * a comment naming the group that brought it in, each syscall once. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "import_systemd.h"
#include "policy_internal.h"

struct walk {
        FILE *out, *notes;
        bool visited[64];     /* by group index: each group once (and no loop) */
        const char **written; /* syscall names already given a line */
        size_t n_written;
};

static const struct systemd_group *group_find(const char *name, size_t *ret_index) {
        for (size_t i = 0; i < systemd_groups_count; i++)
                if (!strcmp(systemd_groups[i].name, name)) {
                        *ret_index = i;
                        return &systemd_groups[i];
                }
        return NULL;
}

static bool already_written(const struct walk *w, const char *name) {
        for (size_t i = 0; i < w->n_written; i++)
                if (!strcmp(w->written[i], name))
                        return true;
        return false;
}

/* *skipped counts the names this architecture lacks, for one note a group. */
static int write_syscall(struct walk *w, const char *name, FILE *skipped) {
        int nr;
        if (already_written(w, name))
                return 0;
        if (policy_syscall_resolve(seccomp_arch_native(), name, &nr) < 0) {
                if (skipped)
                        fprintf(skipped, " %s", name);
                return 0;
        }
        const char **t = realloc(w->written, (w->n_written + 1) * sizeof(*t));
        if (!t)
                return -ENOMEM;
        w->written = t;
        w->written[w->n_written++] = name;
        fprintf(w->out, "%s: 1\n", name);
        return 0;
}

/* The group's own syscalls first, then its nested groups, depth first. */
static int walk_group(struct walk *w, size_t index, const char *parent) {
        const struct systemd_group *g = &systemd_groups[index];
        if (index >= sizeof(w->visited) || w->visited[index])
                return 0;
        w->visited[index] = true;
        fprintf(w->out, "\n# %s%s%s: %s\n", g->name, parent ? ", in " : "", parent ? parent : "",
                g->description);
        _cleanup_free_ char *skipped = NULL;
        size_t size = 0;
        FILE *f = w->notes ? open_memstream(&skipped, &size) : NULL;
        int r = 0;
        for (size_t i = 0; r >= 0 && i < g->n_members; i++)
                if (g->members[i][0] != '@')
                        r = write_syscall(w, g->members[i], f);
        if (f && fclose(f) == 0 && size)
                fprintf(w->notes, "sealrun: note: %s: skipped, not on this architecture:%s\n", g->name,
                        skipped);
        for (size_t i = 0; r >= 0 && i < g->n_members; i++) {
                size_t nested;
                if (g->members[i][0] == '@' && group_find(g->members[i], &nested))
                        r = walk_group(w, nested, g->name);
        }
        return r;
}

static int unknown_group(const char *name, char **ret_error) {
        _cleanup_free_ char *list = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&list, &size);
        if (!f)
                return -ENOMEM;
        for (size_t i = 0; i < systemd_groups_count; i++)
                fprintf(f, "%s%s", i ? " " : "", systemd_groups[i].name);
        if (fclose(f) != 0)
                return -ENOMEM;
        const char *why = name[0] == '@' ? "unknown group" : "expected a group (@name), not";
        if (asprintf(ret_error, "%s '%.64s' (systemd's groups: %s)", why, name, list) < 0)
                return -ENOMEM;
        return -EINVAL;
}

int import_systemd(const char *const *groups, size_t n_groups, FILE *notes, char **ret_text,
                   char **ret_error) {
        size_t index;
        for (size_t i = 0; i < n_groups; i++)
                if (!group_find(groups[i], &index))
                        return unknown_group(groups[i], ret_error);
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        struct walk w = {.notes = notes, .out = open_memstream(&text, &size)};
        if (!w.out)
                return -ENOMEM;
        fputs("# Converted by 'sealrun import systemd' from systemd's syscall groups:", w.out);
        for (size_t i = 0; i < n_groups; i++)
                fprintf(w.out, " %s", groups[i]);
        fprintf(w.out,
                "\n# (the table launcher/import/systemd-groups.txt, from `systemd-analyze syscall-filter` of "
                "%s)\n",
                systemd_groups_source);
        int r = 0;
        for (size_t i = 0; r >= 0 && i < n_groups; i++)
                if (group_find(groups[i], &index))
                        r = walk_group(&w, index, NULL);
        free(w.written);
        if (fclose(w.out) != 0 && r >= 0)
                r = -ENOMEM;
        if (r >= 0)
                *ret_text = TAKE_PTR(text);
        return r;
}
