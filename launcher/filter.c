/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stage 3, the seccomp filter: see filter.h.  Built from the plan alone. */
#include "filter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "compile_child.h"
#include "filter_bpf.h"

#define STAGE "prepare"

void filter_free(struct filter *f) {
        free(f->bpf);
        *f = (struct filter) FILTER_INIT;
}

int filter_parse_sources(struct syscall_policy *policy, const struct seccomp_source *sources, size_t n,
                         struct diag *d) {
        int result = 0;
        for (size_t i = 0; i < n; i++) {
                const struct seccomp_source *s = &sources[i];
                int r = s->text ? syscall_policy_parse_text(policy, s->file, s->first_line, s->text,
                                                            s->text_len, d)
                                : syscall_policy_parse_file(policy, s->file, d);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        result = r;
        }
        return result;
}

/* The one-line error for a policy that did not compile (r < 0). */
static int compile_error(int r, const struct diag *d, size_t entries_before, size_t errors_before,
                         struct launch_error *e) {
        if (d->n_errors > errors_before)
                return launch_error_from_diag(e, STAGE, "seccomp policy", d, entries_before);
        if (r == -EAGAIN)
                return launch_error_set(e, STAGE, EAGAIN, "seccomp policy",
                                        "cannot fork the child that compiles it (RLIMIT_NPROC?): %s; "
                                        "precompile it with 'sealrun compile' and name the result with "
                                        "'seccomp compiled'",
                                        strerror(EAGAIN));
        return launch_error_set(e, STAGE, -r, "seccomp policy", "%s", strerror(-r));
}

/* The plan's policy sources, compiled and verified in a CPU-limited child,
 * into *ret_prog; the policy's counts into f. */
static int compile_sources(const struct plan_filter *pf, struct filter *f, struct sock_filter **ret_prog,
                           size_t *ret_n_insns, struct diag *d, struct launch_error *e) {
        struct syscall_policy_options opts = {
                .default_action = pf->default_action,
                .default_action_set = pf->default_action_set,
                .refuse_slow_lowering = true,
        };
        struct syscall_policy *policy = NULL;
        int r = syscall_policy_new(&opts, &policy);
        if (r < 0)
                return launch_error_set(e, STAGE, -r, "seccomp policy", "%s", strerror(-r));
        size_t errors_before = d->n_errors, entries_before = d->n_entries;
        r = filter_parse_sources(policy, pf->sources, pf->n_sources, d);
        if (r >= 0)
                r = compile_child_run(policy, COMPILE_CHILD_LAUNCH_CPU_SECONDS, ret_prog, ret_n_insns, NULL,
                                      d);
        if (r >= 0) {
                f->syscalls = syscall_policy_syscall_count(policy);
                f->rules = syscall_policy_rule_count(policy);
                f->default_action = syscall_policy_default_action(policy);
                f->stderr_after_load = syscall_policy_may_allow(policy, "write");
        }
        syscall_policy_free(policy);
        return r < 0 ? compile_error(r, d, entries_before, errors_before, e) : 0;
}

int filter_build(const struct plan *p, const struct exec_args *exec, struct filter *ret, struct diag *d,
                 struct launch_error *e) {
        struct filter f = FILTER_INIT;
        if (!p->filter.enabled) {
                *ret = f;
                return 0;
        }
        struct sock_filter prefix[LAUNCHER_PREFIX_MAX];
        size_t n_prefix = filter_bpf_plan_prefix(p, exec, prefix);
        int r;
        if (p->filter.compiled)
                r = filter_bpf_assemble_compiled(prefix, n_prefix, p->filter.compiled,
                                                 p->filter.compiled_sha256, &f, e);
        else {
                /* The verified program itself behind the launcher's prefix,
                 * as for a precompiled filter: the bytes loaded are the
                 * bytes verify.c checked (rules added to the libseccomp
                 * context afterwards would be merged unchecked), and
                 * libseccomp generates them once. */
                _cleanup_free_ struct sock_filter *prog = NULL;
                size_t n_insns = 0;
                r = compile_sources(&p->filter, &f, &prog, &n_insns, d, e);
                if (r >= 0)
                        r = filter_bpf_assemble_program(prefix, n_prefix, prog, n_insns, &f, e);
        }
        if (r < 0) {
                filter_free(&f);
                return r;
        }
        *ret = f;
        return 0;
}
