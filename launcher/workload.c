/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The workload data model: freeing and the checks that need the whole
 * workload. */
#include "workload.h"

#include <errno.h>
#include <stdlib.h>

#include "strv.h"

void seccomp_sources_free(struct seccomp_source *v, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(v[i].file);
                free(v[i].text);
        }
        free(v);
}

void env_op_free(struct env_op *op) {
        free(op->name);
        free(op->value);
}

void workload_free(struct workload *w) {
        free(w->file);
        free(w->program);
        strv_free(w->argv, w->n_argv);
        for (size_t i = 0; i < w->n_inputs; i++)
                free(w->inputs[i].name);
        free(w->inputs);
        for (size_t i = 0; i < w->n_env; i++)
                env_op_free(&w->env[i]);
        free(w->env);
        free(w->cwd);
        free(w->default_file);
        free(w->rlimits);
        seccomp_sources_free(w->seccomp, w->n_seccomp);
        free(w->seccomp_compiled);
        free(w->seccomp_compiled_from);
        landlock_spec_free(&w->landlock);
        user_spec_free(&w->user);
        *w = (struct workload) WORKLOAD_INIT;
}

static int validate_fds(const struct workload *w, const char *file, struct diag *d) {
        int r = 0;
        for (size_t i = 0; i < w->n_inputs; i++)
                for (size_t j = 0; j < i; j++)
                        if (w->inputs[i].fd >= 0 && w->inputs[i].fd == w->inputs[j].fd) {
                                diag_add(d, DIAG_ERROR, file, 0, 0, NULL, NULL,
                                         "inputs '%s' and '%s' both want fd %d", w->inputs[j].name,
                                         w->inputs[i].name, w->inputs[i].fd);
                                r = -EINVAL;
                        }
        if (!w->listen_fds)
                return r;
        /* sd_listen_fds() counts from SD_LISTEN_FDS_START (3) without gaps. */
        for (size_t i = 0; i < w->n_inputs; i++)
                if (w->inputs[i].fd >= 0 && w->inputs[i].fd != (int) (3 + i)) {
                        diag_add(d, DIAG_ERROR, file, 0, 0, NULL, NULL,
                                 "listen-fds needs the inputs at fds 3, 4, ... in order, but input '%s' "
                                 "wants fd %d",
                                 w->inputs[i].name, w->inputs[i].fd);
                        r = -EINVAL;
                }
        return r;
}

int workload_validate(const struct workload *w, const char *file, struct diag *d) {
        int r = 0;
        if (!w->program) {
                diag_add(d, DIAG_ERROR, file, 0, 0, NULL, NULL, "no program: expected a 'program PATH' line");
                r = -EINVAL;
        }
        if (w->has_sha256 && w->exec_mode != EXEC_MODE_SEALED) {
                diag_add(d, DIAG_ERROR, file, 0, 0, NULL, NULL, "a sha256 pin needs 'exec sealed'");
                r = -EINVAL;
        }
        /* A compiled filter is the whole policy, default action included:
         * rules beside it would silently not apply. */
        if (w->seccomp_compiled && (w->n_seccomp > 0 || w->default_action_set)) {
                diag_add(d, DIAG_ERROR, file, 0, 0, NULL, NULL,
                         "'seccomp compiled' is the whole filter: it cannot be combined with 'seccomp "
                         "include', "
                         "'seccomp default' or a [seccomp] section");
                r = -EINVAL;
        }
        int k = validate_fds(w, file, d);
        return r < 0 ? r : k;
}
