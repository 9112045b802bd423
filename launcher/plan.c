/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pipeline stage 2, plan: pure decisions, see plan.h. */
#include "plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include "cleanup.h"
#include "fd_number.h"
#include "filter_cache.h"
#include "strv.h"

#define STAGE "plan"

static int strv_push(char ***v, size_t *n, char *s) {
        if (!s)
                return -ENOMEM;
        char **nv = realloc(*v, (*n + 2) * sizeof(char *));
        if (!nv) {
                free(s);
                return -ENOMEM;
        }
        nv[(*n)++] = s;
        nv[*n] = NULL;
        *v = nv;
        return 0;
}

void plan_free(struct plan *p) {
        free(p->program);
        strv_free(p->argv, p->n_argv);
        strv_free(p->envp, p->n_envp);
        for (size_t i = 0; i < p->n_fds; i++) {
                free(p->fds[i].name);
                free(p->fds[i].path);
        }
        free(p->fds);
        free(p->cwd);
        free(p->rlimits);
        landlock_spec_free(&p->landlock_spec);
        user_spec_free(&p->user);
        seccomp_sources_free(p->filter.sources, p->filter.n_sources);
        free(p->filter.compiled);
        free(p->filter.workload_file);
        free(p->filter.default_file);
        free(p->filter.cache_dir);
        *p = (struct plan) PLAN_INIT;
}

static const struct run_input *find_run_input(const struct run_request *req, const char *name) {
        for (size_t i = 0; i < req->n_inputs; i++)
                if (!strcmp(req->inputs[i].name, name))
                        return &req->inputs[i];
        return NULL;
}

static int check_run_inputs(const struct workload *w, const struct run_request *req, struct launch_error *e) {
        for (size_t i = 0; i < req->n_inputs; i++) {
                const char *name = req->inputs[i].name;
                size_t j;
                for (j = 0; j < w->n_inputs; j++)
                        if (!strcmp(w->inputs[j].name, name))
                                break;
                if (j == w->n_inputs)
                        return launch_error_set(e, STAGE, EINVAL, NULL,
                                                "--input '%s': the workload declares no input of that name",
                                                name);
                for (j = 0; j < i; j++)
                        if (!strcmp(req->inputs[j].name, name))
                                return launch_error_set(e, STAGE, EINVAL, NULL, "--input '%s' is given twice",
                                                        name);
        }
        return 0;
}

/* Declared inputs without fd= take the lowest free numbers from 3, in order. */
static int assign_fds(const struct workload *w, int *ret_fds) {
        for (size_t i = 0; i < w->n_inputs; i++)
                ret_fds[i] = w->inputs[i].fd;
        int next = 3;
        for (size_t i = 0; i < w->n_inputs; i++) {
                if (ret_fds[i] >= 0)
                        continue;
                for (bool taken = true; taken; next += taken) {
                        taken = false;
                        for (size_t j = 0; j < w->n_inputs; j++)
                                taken = taken || ret_fds[j] == next;
                }
                ret_fds[i] = next++;
        }
        return 0;
}

static int plan_inputs(struct plan *p, const struct workload *w, const struct run_request *req,
                       struct launch_error *e) {
        int r = check_run_inputs(w, req, e);
        if (r < 0)
                return r;
        _cleanup_free_ int *fds = calloc(w->n_inputs + 1, sizeof(int));
        if (!fds)
                return -ENOMEM;
        assign_fds(w, fds);
        p->fds = calloc(w->n_inputs + 1, sizeof(*p->fds));
        if (!p->fds)
                return -ENOMEM;
        for (size_t i = 0; i < w->n_inputs; i++) {
                const struct workload_input *in = &w->inputs[i];
                const struct run_input *given = find_run_input(req, in->name);
                if (!given && in->optional)
                        continue;
                if (!given)
                        return launch_error_set(
                                e, STAGE, EINVAL, NULL,
                                "input '%s' is required: give it with --input %s=PATH or --input-fd %s=FD",
                                in->name, in->name, in->name);
                if (w->listen_fds && fds[i] != (int) (3 + p->n_fds))
                        return launch_error_set(
                                e, STAGE, EINVAL, NULL,
                                "listen-fds needs consecutive fds from 3, but input '%s' would be fd %d",
                                in->name, fds[i]);
                struct plan_fd *f = &p->fds[p->n_fds++];
                *f = (struct plan_fd){.target_fd = fds[i],
                                      .source = given->source,
                                      .source_fd = given->fd,
                                      .max_size = in->max_size ? in->max_size : INPUT_DEFAULT_MAX_SIZE,
                                      .seals = in->seals};
                f->name = strdup(in->name);
                if (given->source == INPUT_SOURCE_PATH)
                        f->path = strdup(given->path);
                if (!f->name || (given->source == INPUT_SOURCE_PATH && !f->path))
                        return -ENOMEM;
                if (f->target_fd > p->max_target_fd)
                        p->max_target_fd = f->target_fd;
        }
        return 0;
}

static const struct plan_fd *find_fd(const struct plan *p, const char *name) {
        for (size_t i = 0; i < p->n_fds; i++)
                if (!strcmp(p->fds[i].name, name))
                        return &p->fds[i];
        return NULL;
}

static int expand_word(const struct plan *p, const struct workload *w, const char *word, char **ret,
                       struct launch_error *e) {
        if (word[0] != '@')
                return (*ret = strdup(word)) ? 0 : -ENOMEM;
        if (word[1] == '@')
                return (*ret = strdup(word + 1)) ? 0 : -ENOMEM;
        const struct plan_fd *f = find_fd(p, word + 1);
        if (!f) {
                for (size_t i = 0; i < w->n_inputs; i++)
                        if (!strcmp(w->inputs[i].name, word + 1))
                                return launch_error_set(e, STAGE, EINVAL, NULL,
                                                        "argv uses %s, but optional input '%s' was not given",
                                                        word, word + 1);
                return launch_error_set(e, STAGE, EINVAL, NULL, "argv uses %s, but no input is named '%s'",
                                        word, word + 1);
        }
        return asprintf(ret, FD_PATH_PREFIX "%d", f->target_fd) < 0 ? -ENOMEM : 0;
}

static int plan_argv(struct plan *p, const struct workload *w, const struct run_request *req,
                     struct launch_error *e) {
        int r;
        if (!w->has_argv)
                r = strv_push(&p->argv, &p->n_argv, strdup(w->program));
        for (size_t i = 0; w->has_argv && i < w->n_argv; i++) {
                char *word = NULL;
                if ((r = expand_word(p, w, w->argv[i], &word, e)) < 0)
                        return r;
                if ((r = strv_push(&p->argv, &p->n_argv, word)) < 0)
                        return r;
        }
        for (size_t i = 0; i < req->n_extra_argv; i++)
                if ((r = strv_push(&p->argv, &p->n_argv, strdup(req->extra_argv[i]))) < 0)
                        return r;
        return p->argv ? 0 : -ENOMEM;
}

static const char *env_lookup(char *const *env, const char *name) {
        size_t len = strlen(name);
        for (; env && *env; env++)
                if (!strncmp(*env, name, len) && (*env)[len] == '=')
                        return *env + len + 1;
        return NULL;
}

static int env_put(struct plan *p, const char *name, const char *value) {
        char *entry;
        if (asprintf(&entry, "%s=%s", name, value) < 0)
                return -ENOMEM;
        size_t len = strlen(name);
        for (size_t i = 0; i < p->n_envp; i++)
                if (!strncmp(p->envp[i], name, len) && p->envp[i][len] == '=') {
                        free(p->envp[i]);
                        p->envp[i] = entry;
                        return 0;
                }
        return strv_push(&p->envp, &p->n_envp, entry);
}

static int plan_env(struct plan *p, const struct workload *w, const struct plan_context *ctx) {
        int r;
        p->envp = calloc(1, sizeof(char *)); /* the environment starts empty */
        if (!p->envp)
                return -ENOMEM;
        for (size_t i = 0; i < w->n_env; i++) {
                const struct env_op *op = &w->env[i];
                const char *value = op->type == ENV_OP_SET ? op->value : env_lookup(ctx->environ, op->name);
                if (value && (r = env_put(p, op->name, value)) < 0)
                        return r;
        }
        if (!p->listen_fds)
                return 0;
        char buf[32];
        snprintf(buf, sizeof(buf), "%zu", p->n_fds);
        if ((r = env_put(p, "LISTEN_FDS", buf)) < 0)
                return r;
        snprintf(buf, sizeof(buf), "%d", (int) ctx->pid);
        if ((r = env_put(p, "LISTEN_PID", buf)) < 0)
                return r;
        size_t len = 1;
        for (size_t i = 0; i < p->n_fds; i++)
                len += strlen(p->fds[i].name) + 1;
        _cleanup_free_ char *names = calloc(1, len);
        if (!names)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_fds; i++) {
                if (i)
                        strcat(names, ":");
                strcat(names, p->fds[i].name);
        }
        return env_put(p, "LISTEN_FDNAMES", names);
}

/* The sealed binary's fd (and the status fd, once a filter lets the launcher
 * write to it) must be numbers the target can never reuse: at or above the
 * target's RLIMIT_NOFILE hard limit, which it cannot raise without
 * CAP_SYS_RESOURCE.  So the limit is clamped to those numbers. */
static int plan_reserved_fds(struct plan *p, const struct workload *w, const struct plan_context *ctx,
                             struct launch_error *e) {
        bool need_binary = p->exec_mode == EXEC_MODE_SEALED;
        bool need_status = p->status_fd_source >= 0;
        bool need_handoff = p->filter.supervise != SUPERVISE_NONE;
        struct rlimit_setting nofile = {RLIMIT_NOFILE, ctx->nofile_soft, ctx->nofile_soft};
        for (size_t i = 0; i < w->n_rlimits; i++)
                if (w->rlimits[i].resource == RLIMIT_NOFILE)
                        nofile = w->rlimits[i];
        if (!need_binary && !need_status && !need_handoff)
                return 0;
        bool sys_resource = p->caps_keep & (UINT64_C(1) << CAP_SYS_RESOURCE);
        if (need_binary && sys_resource)
                return launch_error_set(e, STAGE, EINVAL, NULL,
                                        "'exec sealed' cannot keep cap_sys_resource: the target could raise "
                                        "RLIMIT_NOFILE and reuse the sealed binary's fd number");
        /* The filter's write rule on the status fd number would admit the
         * target's own file placed there. */
        if (need_status && p->filter.enabled && sys_resource)
                return launch_error_set(
                        e, STAGE, EINVAL, NULL,
                        "--status-fd with a seccomp filter cannot keep cap_sys_resource: the target could "
                        "raise RLIMIT_NOFILE and write through the status fd's rule");
        if (need_handoff && sys_resource)
                return launch_error_set(
                        e, STAGE, EINVAL, NULL,
                        "a supervised run cannot keep cap_sys_resource: the target could raise "
                        "RLIMIT_NOFILE and send through the listener socket's rule");
        int n_reserved = need_binary + need_status + need_handoff;
        uint64_t limit = nofile.hard;
        /* The launcher itself must be able to open the reserved numbers,
         * and above them the temporary copies commit.c moves fds through:
         * the fd room for the reserved fds as the highest, counted from
         * `limit`, where they start; the Landlock ruleset is one more move. */
        uint64_t moves = p->n_fds + (uint64_t) n_reserved + w->landlock.present;
        uint64_t room = fd_room_needed((uint64_t) n_reserved - 1, moves);
        /* Under a small hard limit, the slack is what gives way. */
        if (ctx->nofile_hard < room + (uint64_t) p->max_target_fd + 1 + (uint64_t) n_reserved)
                room = fd_room_required((uint64_t) n_reserved - 1, moves);
        if (ctx->nofile_hard != UINT64_MAX && limit > ctx->nofile_hard - room)
                limit = ctx->nofile_hard > room ? ctx->nofile_hard - room : 0;
        if (limit > (uint64_t) FD_NUMBER_LIMIT - (unsigned) n_reserved)
                limit = (uint64_t) FD_NUMBER_LIMIT - (unsigned) n_reserved;
        if (limit <= (uint64_t) p->max_target_fd && ctx->nofile_hard != UINT64_MAX &&
            ctx->nofile_hard <
                    (uint64_t) p->max_target_fd + 1 + fd_room_required((uint64_t) n_reserved - 1, moves))
                return launch_error_set(e, STAGE, EMFILE, "RLIMIT_NOFILE",
                                        "the hard limit on open files (%llu) is too low: the target's fds go "
                                        "up to %d, and %s "
                                        "needs %d number(s) above them and %llu more to place the fds",
                                        (unsigned long long) ctx->nofile_hard, p->max_target_fd,
                                        need_binary ? "'exec sealed'" : "--status-fd", n_reserved,
                                        (unsigned long long) moves);
        if (limit <= (uint64_t) p->max_target_fd)
                return launch_error_set(
                        e, STAGE, EMFILE, NULL,
                        "fd %d is not below the target's RLIMIT_NOFILE of %llu, which %s needs as a guard",
                        p->max_target_fd, (unsigned long long) limit,
                        need_binary   ? "'exec sealed'"
                        : need_status ? "--status-fd"
                                      : "a supervised run");
        int next = (int) limit;
        if (need_binary)
                p->binary_fd = next++;
        if (need_status)
                p->status_fd = next++;
        if (need_handoff)
                p->handoff_fd = next++;
        nofile.hard = limit;
        if (nofile.soft > limit)
                nofile.soft = limit;
        for (size_t i = 0; i < p->n_rlimits; i++)
                if (p->rlimits[i].resource == RLIMIT_NOFILE) {
                        p->rlimits[i] = nofile;
                        return 0;
                }
        p->rlimits[p->n_rlimits++] = nofile;
        return 0;
}

static int copy_source(struct seccomp_source *to, const struct seccomp_source *from) {
        *to = (struct seccomp_source){.text_len = from->text_len, .first_line = from->first_line};
        to->file = strdup(from->file);
        if (from->text && (to->text = malloc(from->text_len + 1))) {
                memcpy(to->text, from->text, from->text_len);
                to->text[from->text_len] = '\0';
        }
        return !to->file || (from->text && !to->text) ? -ENOMEM : 0;
}

/* learn's filter: the baseline policy alone, or none (every call recorded). */
static int plan_learn_filter(struct plan_filter *f, const struct run_request *req) {
        f->enabled = true;
        f->supervise = SUPERVISE_LEARN;
        f->allow_privileged = req->allow_privileged;
        if (!req->learn_baseline)
                return 0;
        if (!(f->sources = calloc(1, sizeof(*f->sources))) ||
            !(f->sources[0].file = strdup(req->learn_baseline)))
                return -ENOMEM;
        f->n_sources = 1;
        return 0;
}

static int plan_filter(struct plan_filter *f, const struct workload *w, const struct run_request *req) {
        if (req->supervise == SUPERVISE_LEARN)
                return plan_learn_filter(f, req);
        f->enabled = w->n_seccomp > 0 || w->default_action_set || w->seccomp_compiled;
        f->supervise = req->supervise;
        f->default_action_set = w->default_action_set;
        f->default_action = w->default_action;
        f->default_line = w->default_line;
        f->default_col = w->default_col;
        if ((w->file && !(f->workload_file = strdup(w->file))) ||
            (w->default_file && !(f->default_file = strdup(w->default_file))))
                return -ENOMEM;
        memcpy(f->compiled_sha256, w->seccomp_compiled_sha256, sizeof(f->compiled_sha256));
        if (w->seccomp_compiled && !(f->compiled = strdup(w->seccomp_compiled)))
                return -ENOMEM;
        if (w->n_seccomp && !(f->sources = calloc(w->n_seccomp, sizeof(*f->sources))))
                return -ENOMEM;
        for (size_t i = 0; i < w->n_seccomp; i++) {
                int r = copy_source(&f->sources[i], &w->seccomp[i]);
                f->n_sources = i + 1; /* freed by plan_free() even when half-copied */
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Whether the policy compiled at launch may come from the filter cache, and
 * where that is: only such a policy has anything to cache. */
static int plan_filter_cache(struct plan_filter *f, const struct workload *w, const struct run_request *req,
                             const struct plan_context *ctx) {
        if (!w->n_seccomp || w->seccomp_compiled || req->supervise == SUPERVISE_LEARN)
                return 0;
        if (req->no_cache)
                f->cache_off = "--no-cache";
        else if (req->supervise != SUPERVISE_NONE)
                /* The cache holds plain programs, keyed without the variant. */
                f->cache_off = "a supervised run compiles its own variant";
        else if (w->seccomp_cache_off)
                f->cache_off = "seccomp cache off";
        else {
                int r = filter_cache_dir(ctx->environ, ctx->euid, &f->cache_dir);
                if (r < 0)
                        return r;
                if (!f->cache_dir)
                        f->cache_off =
                                "no cache directory: neither XDG_CACHE_HOME nor HOME is an absolute path";
        }
        return 0;
}

/* The notify variant is built from the policy's source. */
static int plan_supervised(const struct workload *w, const struct run_request *req, struct launch_error *e) {
        const char *what = req->supervise == SUPERVISE_EXPLAIN ? "--explain" : "learn";
        /* What the learned policy lets through, it lets through for a
         * privileged process: the user says so. */
        if (req->supervise == SUPERVISE_LEARN && w->caps_keep && !req->allow_privileged)
                return launch_error_set(
                        e, STAGE, EPERM, NULL,
                        "learn: the workload keeps capabilities (--allow-privileged learns it "
                        "anyway)");
        if (req->supervise == SUPERVISE_LEARN)
                return 0; /* the workload's seccomp lines are set aside */
        if (w->seccomp_compiled)
                return launch_error_set(e, STAGE, EINVAL, NULL,
                                        "%s needs the policy's source, not the compiled filter '%s' "
                                        "(name the policy with 'seccomp policy')",
                                        what, w->seccomp_compiled);
        if (req->supervise == SUPERVISE_EXPLAIN && !w->n_seccomp && !w->default_action_set)
                return launch_error_set(
                        e, STAGE, EINVAL, NULL,
                        "--explain: the workload has no seccomp policy, so nothing is denied");
        return 0;
}

static int plan_simple(struct plan *p, const struct workload *w, const struct run_request *req) {
        p->exec_mode = w->exec_mode;
        p->has_sha256 = w->has_sha256;
        memcpy(p->sha256, w->sha256, sizeof(p->sha256));
        p->caps_keep = w->caps_keep;
        p->listen_fds = w->listen_fds;
        p->status_fd_source = req->status_fd;
        p->program = strdup(w->program);
        p->cwd = w->cwd ? strdup(w->cwd) : NULL;
        p->rlimits = calloc(w->n_rlimits + 1, sizeof(*p->rlimits));
        if (!p->program || (w->cwd && !p->cwd) || !p->rlimits)
                return -ENOMEM;
        if (w->n_rlimits)
                memcpy(p->rlimits, w->rlimits, w->n_rlimits * sizeof(*p->rlimits));
        p->n_rlimits = w->n_rlimits;
        return 0;
}

/* Fail closed: without `landlock best-effort`, a kernel that cannot
 * enforce every line is a refusal, not a weaker sandbox. */
static int plan_confinement(struct plan *p, const struct workload *w, const struct plan_context *ctx,
                            struct launch_error *e) {
        int r = landlock_spec_copy(&w->landlock, &p->landlock_spec);
        if (r >= 0)
                r = user_spec_copy(&w->user, &p->user);
        if (r < 0)
                return r;
        if (landlock_plan_build(&w->landlock, &ctx->landlock, &p->landlock) >= 0)
                return 0;
        int need = landlock_needed_abi(&w->landlock);
        if (ctx->landlock.abi <= 0)
                return launch_error_set(e, STAGE, -ctx->landlock.abi, "landlock",
                                        "the kernel has no Landlock (the workload needs ABI %d; "
                                        "'landlock best-effort' runs without)",
                                        need);
        return launch_error_set(e, STAGE, EOPNOTSUPP, "landlock",
                                "the kernel offers ABI %d, the workload needs ABI %d ('landlock "
                                "best-effort' runs with what the kernel has)",
                                ctx->landlock.abi, need);
}

int plan_build(const struct workload *w, const struct run_request *req, const struct plan_context *ctx,
               struct plan *ret, struct launch_error *e) {
        struct plan p = PLAN_INIT;
        if (!w->program) {
                launch_error_set(e, STAGE, EINVAL, NULL, "the workload names no program");
                return -EINVAL;
        }
        int r = plan_simple(&p, w, req);
        if (r >= 0)
                r = plan_filter(&p.filter, w, req);
        if (r >= 0)
                r = plan_inputs(&p, w, req, e);
        if (r >= 0 && req->status_fd >= 0 && req->status_fd <= 2)
                r = launch_error_set(e, STAGE, EINVAL, NULL,
                                     "--status-fd %d: expected an fd above 2 (not stdio)", req->status_fd);
        if (r >= 0 && req->supervise != SUPERVISE_NONE)
                r = plan_supervised(w, req, e);
        if (r >= 0)
                r = plan_argv(&p, w, req, e);
        if (r >= 0)
                r = plan_env(&p, w, ctx);
        if (r >= 0)
                r = plan_reserved_fds(&p, w, ctx, e);
        if (r >= 0)
                r = plan_confinement(&p, w, ctx, e);
        if (r >= 0)
                r = plan_filter_cache(&p.filter, w, req, ctx);
        if (r < 0) {
                plan_free(&p);
                return launch_error_nomem(e, STAGE, r);
        }
        *ret = p;
        return 0;
}
