/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stage 3, the seccomp filter: see filter.h.  Built from the plan alone. */
#include "filter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "compile_child.h"
#include "filter_bpf.h"
#include "policy_warnings.h"

#define STAGE "prepare"

void filter_free(struct filter *f) {
        free(f->bpf);
        syscall_policy_free(f->policy);
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

/* Which decisions a supervised run's filter hands to the supervisor: for
 * explain the ones it can carry out from outside (an errno, killing the
 * process; kill-thread and trap stay in BPF), for learn every call the
 * policy does not already allow or decide on purpose (its errno rules stay). */
static void route_for_supervisor(enum supervise_mode mode, struct syscall_policy *policy) {
        if (mode == SUPERVISE_EXPLAIN)
                syscall_policy_route_to_notify(policy,
                                               POLICY_ACTION_BIT(POLICY_ACTION_KILL_PROCESS) |
                                                       POLICY_ACTION_BIT(POLICY_ACTION_ERRNO),
                                               false);
        else if (mode == SUPERVISE_LEARN)
                syscall_policy_route_to_notify(policy,
                                               POLICY_ACTION_BIT(POLICY_ACTION_KILL_PROCESS) |
                                                       POLICY_ACTION_BIT(POLICY_ACTION_KILL_THREAD) |
                                                       POLICY_ACTION_BIT(POLICY_ACTION_TRAP),
                                               true);
}

/* A supervised run keeps the policy as written, parsed a second time (the
 * first copy's actions were routed): it decides the supervisor's answers. */
static int keep_policy_for_supervisor(const struct plan_filter *pf, const struct syscall_policy_options *opts,
                                      struct filter *f, struct launch_error *e) {
        if (pf->supervise == SUPERVISE_NONE)
                return 0;
        struct diag quiet = DIAG_INIT; /* it parsed once without errors */
        int r = syscall_policy_new(opts, &f->policy);
        if (r >= 0)
                r = filter_parse_sources(f->policy, pf->sources, pf->n_sources, &quiet);
        diag_clear(&quiet);
        if (r < 0)
                return launch_error_set(e, STAGE, -r, "seccomp policy", "%s", strerror(-r));
        return 0;
}

static void add_warnings(const struct plan *p, const struct syscall_policy *policy, struct diag *d) {
        const struct plan_filter *pf = &p->filter;
        policy_warnings_add(policy,
                            &(struct policy_warning_subject){
                                    .workload_file = pf->workload_file,
                                    .exec_mode = p->exec_mode,
                                    POLICY_WARNING_DEFAULT_OF(pf),
                            },
                            d);
}

/* The plan's policy sources, compiled and verified in a CPU-limited child,
 * into *ret_prog; the policy's counts into f; every file the parser read
 * into manifest, when it is not NULL (the filter cache's key). */
static int compile_sources(const struct plan *p, struct filter *f, struct filter_cache_manifest *manifest,
                           struct sock_filter **ret_prog, size_t *ret_n_insns, struct diag *d,
                           struct launch_error *e) {
        const struct plan_filter *pf = &p->filter;
        struct syscall_policy_options opts = {
                .default_action = pf->default_action,
                .default_action_set = pf->default_action_set,
                .refuse_slow_lowering = true,
                .read_file = manifest ? filter_cache_read_file : NULL,
                .read_file_userdata = manifest,
        };
        struct syscall_policy *policy = NULL;
        int r = syscall_policy_new(&opts, &policy);
        if (r < 0)
                return launch_error_set(e, STAGE, -r, "seccomp policy", "%s", strerror(-r));
        size_t errors_before = d->n_errors, entries_before = d->n_entries;
        r = filter_parse_sources(policy, pf->sources, pf->n_sources, d);
        route_for_supervisor(pf->supervise, policy);
        if (r >= 0)
                r = compile_child_run(policy, COMPILE_CHILD_LAUNCH_CPU_SECONDS, ret_prog, ret_n_insns, NULL,
                                      d);
        if (r >= 0 && pf->supervise == SUPERVISE_NONE)
                add_warnings(p, policy, d);
        if (r >= 0) {
                f->syscalls = syscall_policy_syscall_count(policy);
                f->rules = syscall_policy_rule_count(policy);
                f->default_action = syscall_policy_default_action(policy);
                f->stderr_after_load = syscall_policy_may_allow(policy, "write");
        }
        syscall_policy_free(policy);
        if (r < 0)
                return compile_error(r, d, entries_before, errors_before, e);
        r = keep_policy_for_supervisor(pf, &opts, f, e);
        /* --explain: about the policy as written, not its routed variant
         * (whose default would read as user-notify).  learn's baseline is
         * not the policy the workload runs under: no warnings. */
        if (r >= 0 && pf->supervise == SUPERVISE_EXPLAIN)
                add_warnings(p, f->policy, d);
        return r;
}

/* What an entry keeps beside the program, and back. */
static struct filter_cache_facts facts_of(const struct filter *f) {
        return (struct filter_cache_facts){.syscalls = f->syscalls,
                                           .rules = f->rules,
                                           .default_action = f->default_action,
                                           .write_allowed = f->stderr_after_load};
}

static void use_facts(struct filter *f, const struct filter_cache_facts *x) {
        f->syscalls = x->syscalls;
        f->rules = x->rules;
        f->default_action = x->default_action;
        f->stderr_after_load = x->write_allowed;
}

/* The policy's verified program: from the filter cache when it holds a
 * trusted entry for exactly these sources (filter_cache.h), else compiled
 * now and stored there.  A cache that cannot be read or written only
 * leaves its reason in f, never fails the build. */
static int policy_program(const struct plan *p, struct filter *f, struct sock_filter **ret_prog,
                          size_t *ret_n_insns, struct diag *d, struct launch_error *e) {
        const struct plan_filter *pf = &p->filter;
        if (!pf->cache_dir)
                return compile_sources(p, f, NULL, ret_prog, ret_n_insns, d, e);
        uint8_t primary[FILTER_CACHE_DIGEST_SIZE];
        filter_cache_primary_key(pf->sources, pf->n_sources, pf->default_action_set, pf->default_action,
                                 primary);
        struct filter_cache_facts x;
        int r = filter_cache_lookup(pf->cache_dir, primary, ret_prog, ret_n_insns, &x, f->cache_ignored);
        if (r == -ENOMEM)
                return launch_error_set(e, STAGE, ENOMEM, "seccomp policy", "%s", strerror(ENOMEM));
        if (r > 0) {
                f->cache_hit = true;
                use_facts(f, &x);
                return 0;
        }
        _cleanup_(filter_cache_manifest_free) struct filter_cache_manifest manifest = {0};
        r = compile_sources(p, f, &manifest, ret_prog, ret_n_insns, d, e);
        if (r >= 0) {
                x = facts_of(f);
                f->cache_stored = filter_cache_store(pf->cache_dir, primary, &manifest, &x, *ret_prog,
                                                     *ret_n_insns, f->cache_not_stored) >= 0;
        }
        return r;
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
                 * libseccomp generates them once; a program from the
                 * filter cache is one verify.c checked when it was stored. */
                _cleanup_free_ struct sock_filter *prog = NULL;
                size_t n_insns = 0;
                r = policy_program(p, &f, &prog, &n_insns, d, e);
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
