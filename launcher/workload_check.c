/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "workload_check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"

#include "filter.h"
#include "filter_bpf.h"
#include "prepare.h"
#include "policy_cli.h"
#include "policy_warnings.h"
#include "workload.h"

bool workload_check_is_workload_file(const char *path) {
        size_t len = strlen(path);
        return len > 9 && !strcmp(path + len - 9, ".workload");
}

static int compile_policy(const struct workload *w, const char *path,
                          const struct syscall_policy_options *base, struct diag *d) {
        struct syscall_policy_options opts = base ? *base : (struct syscall_policy_options){0};
        if (w->default_action_set) {
                opts.default_action = w->default_action;
                opts.default_action_set = true;
        }
        struct syscall_policy *policy = NULL;
        int r = syscall_policy_new(&opts, &policy);
        if (r < 0)
                return r;
        r = filter_parse_sources(policy, w->seccomp, w->n_seccomp, d);
        if (r >= 0)
                r = policy_cli_compile(policy, NULL, NULL, NULL, d);
        if (r >= 0)
                policy_warnings_add(policy,
                                    &(struct policy_warning_subject){
                                            .workload_file = path,
                                            .exec_mode = w->exec_mode,
                                            POLICY_WARNING_DEFAULT_OF(w),
                                            .review = true,
                                    },
                                    d);
        syscall_policy_free(policy);
        return r;
}

/* `from POLICY`: POLICY compiled now (with check's own options, which
 * should be the ones given to `sealrun compile`) must give the file's
 * bytes.  -EINVAL: it does not, or the policy has errors (in d). */
static int check_compiled_from(const struct workload *w, const char *path,
                               const struct syscall_policy_options *base, struct diag *d) {
        struct syscall_policy_options opts = base ? *base : (struct syscall_policy_options){0};
        struct syscall_policy *policy = NULL;
        _cleanup_free_ struct sock_filter *prog = NULL;
        _cleanup_free_ char *bytes = NULL;
        size_t n_insns = 0, len = 0;
        int r = syscall_policy_new(&opts, &policy);
        if (r >= 0)
                r = syscall_policy_parse_file(policy, w->seccomp_compiled_from, d);
        if (r >= 0)
                r = policy_cli_compile(policy, &prog, &n_insns, NULL, d);
        if (r >= 0)
                r = policy_read_file_from_disk(NULL, w->seccomp_compiled, &bytes, &len);
        syscall_policy_free(policy);
        if (r < 0)
                return r == -ENOMEM ? r : -EINVAL; /* a policy error is already a diagnostic */
        if (len == n_insns * 8 && !memcmp(bytes, prog, len))
                return 0;
        diag_add(d, DIAG_ERROR, path, 0, 0, NULL, NULL,
                 "seccomp compiled filter '%s': stale: recompile with sealrun compile [OPTIONS] %s -o %s and "
                 "re-pin (the policy now compiles to different bytes)",
                 w->seccomp_compiled, w->seccomp_compiled_from, w->seccomp_compiled);
        return -EINVAL;
}

/* A stale pin is caught in CI, not at the first launch. */
static int check_compiled(const struct workload *w, const char *path,
                          const struct syscall_policy_options *base, struct diag *d) {
        struct launch_error e = LAUNCH_ERROR_INIT;
        int r = filter_bpf_verify_compiled(w->seccomp_compiled, w->seccomp_compiled_sha256, &e);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                /* The launch path's own checks, said as a diagnostic of the file. */
                diag_add(d, DIAG_ERROR, path, 0, 0, NULL, NULL, "%s: %s",
                         e.thing[0] ? e.thing : "seccomp compiled", e.message);
                return -EINVAL;
        }
        return w->seccomp_compiled_from ? check_compiled_from(w, path, base, d) : 0;
}

/* What prepare would refuse, said at the line: a landlock path missing or
 * of the wrong type, a user or group that does not exist.  And who the
 * program runs as, when that is root for certain: kept capabilities must
 * be held, so such a workload is started by root. */
static void check_confinement(const struct workload *w, const char *path, struct diag *d) {
        for (size_t i = 0; i < w->landlock.n_paths; i++) {
                const struct landlock_path *l = &w->landlock.paths[i];
                char why[160];
                bool directory;
                int fd = landlock_open_path(l->path, &directory, why, sizeof(why));
                if (fd < 0)
                        diag_add(d, DIAG_ERROR, l->file ? l->file : path, l->line, l->col, NULL, NULL,
                                 "landlock %s '%s': %s", landlock_grant_name(l->grant), l->path, why);
                safe_close(fd);
        }
        if (user_spec_present(&w->user)) {
                struct user_ids ids;
                const struct user_word *bad = NULL;
                char why[256];
                if (user_resolve(&w->user, &ids, &bad, why, sizeof(why)) == 0)
                        user_ids_free(&ids);
                else if (bad)
                        diag_add(d, DIAG_ERROR, bad->file ? bad->file : path, bad->line, bad->col, NULL, NULL,
                                 "'%s': %s", bad->text, why);
        } else if (w->caps_keep)
                diag_add(d, DIAG_WARNING, path, 0, 0, NULL, NULL,
                         "keeps capabilities but has no 'user' line: it runs as root (uid 0), which owns "
                         "most files; add 'user NAME' (kept capabilities survive the switch)");
}

int workload_check_file(const char *path, const struct syscall_policy_options *base, struct diag *d) {
        struct workload w = WORKLOAD_INIT;
        size_t errors_before = d->n_errors;
        int r = workload_parse_file(&w, path, base ? base->read_file : NULL,
                                    base ? base->read_file_userdata : NULL, d);
        if (r >= 0 && d->n_errors == errors_before)
                r = workload_validate(&w, path, d);
        if (r >= 0 && d->n_errors == errors_before)
                check_confinement(&w, path, d);
        if (r >= 0 && d->n_errors == errors_before && (w.n_seccomp > 0 || w.default_action_set))
                r = compile_policy(&w, path, base, d);
        if (r >= 0 && d->n_errors == errors_before && w.seccomp_compiled)
                r = check_compiled(&w, path, base, d);
        workload_free(&w);
        if (r == -ENOMEM || (r < 0 && r != -EINVAL))
                return r;
        return d->n_errors > errors_before || r == -EINVAL ? -EINVAL : 0;
}
