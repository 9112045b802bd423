/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "launch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cleanup.h"
#include "commands.h"
#include "commit.h"
#include "dry_run.h"
#include "filter.h"
#include "explain.h"
#include "plan.h"
#include "prepare.h"
#include "fsize.h"
#include "status.h"
#include "supervise.h"

extern char **environ;

int launch_refuse_setid(void) {
        uid_t uid = getuid(), euid = geteuid();
        gid_t gid = getgid(), egid = getegid();
        /* AT_SECURE also covers what the ids do not show: file
         * capabilities and LSM transitions, which would hand the target
         * privileges its caller never had. */
        if (uid == euid && gid == egid && getauxval(AT_SECURE)) {
                fprintf(stderr, "sealrun: refusing to run with elevated privileges from exec (AT_SECURE: "
                                "file capabilities or "
                                "a security transition): sealrun must not be installed setuid, setgid or "
                                "with file capabilities\n");
                return EXIT_LAUNCHER_FAILED;
        }
        if (uid == euid && gid == egid)
                return 0;
        fprintf(stderr,
                "sealrun: refusing to run setuid or setgid (uid %u, euid %u, gid %u, egid %u): "
                "sealrun must not be installed setuid\n",
                (unsigned) uid, (unsigned) euid, (unsigned) gid, (unsigned) egid);
        return EXIT_LAUNCHER_FAILED;
}

/* The one place a stage's error is reported: the diagnostics (policy
 * errors and warnings) on stderr, then the error's line unless the
 * diagnostics already said it, and the status fd. */
static int report(const struct diag *d, const struct launch_error *e, int status_fd) {
        diag_print(d, stderr);
        char line[sizeof(e->message) + sizeof(e->thing) + 16];
        size_t n = e->said_by_diag ? 0 : launch_error_format_line(e, line, sizeof(line));
        /* Whole or not at all under the caller's RLIMIT_FSIZE (fsize.h). */
        if (n > 0 && fflush(stderr) == 0 && n <= fsize_room(STDERR_FILENO))
                fputs(line, stderr);
        /* A status fd of 0-2 is refused (plan.c): the refusal is the one
         * line, not also a JSON line on stderr or stdout. */
        status_write_error(status_fd > 2 && !e->status_fd_unusable ? status_fd : -1, e, true);
        return e->exit_status;
}

int launch_parse_command(int (*parse)(int argc, char **argv, struct cli_options *ret, struct diag *d),
                         int argc, char **argv, struct cli_options *o) {
        int r = launch_refuse_setid();
        if (r)
                return r;
        struct diag d = DIAG_INIT;
        r = parse(argc, argv, o, &d) < 0 ? EXIT_LAUNCHER_FAILED : 0;
        diag_print(&d, stderr);
        diag_clear(&d);
        return r;
}

int launch_report_error(const struct launch_error *e, int status_fd) {
        struct diag d = DIAG_INIT;
        return report(&d, e, status_fd);
}

int launch_report_parse_errors(const struct diag *d, int status_fd, const char *thing) {
        struct launch_error e = LAUNCH_ERROR_INIT;
        launch_error_from_diag(&e, "parse", thing, d, 0);
        return report(d, &e, status_fd);
}

/* After prepare: become the target, or supervise it. */
static int start(struct plan *p, struct prepared *pr, const struct supervise_handler *learn,
                 struct supervise_outcome *outcome) {
        if (p->filter.supervise == SUPERVISE_NONE)
                commit_run(p, pr);
        if (p->filter.supervise == SUPERVISE_LEARN)
                return supervise_run(p, pr, learn, outcome);
        const struct seccomp_source *first = p->filter.n_sources ? &p->filter.sources[0] : NULL;
        struct explainer x = {.policy = pr->filter.policy,
                              .policy_file = first ? first->file : NULL,
                              .status_fd = p->status_fd_source};
        struct supervise_handler h = {.call = explain_call, .userdata = &x};
        return supervise_run(p, pr, &h, outcome);
}

int launch_run(const struct workload *w, const struct cli_options *o) {
        return launch_supervised(w, o, NULL, NULL);
}

int launch_supervised(const struct workload *w, const struct cli_options *o,
                      const struct supervise_handler *learn, struct supervise_outcome *outcome) {
        struct rlimit nofile = {1024, 1024};
        (void) getrlimit(RLIMIT_NOFILE, &nofile);
        struct plan_context ctx = {
                .environ = environ,
                .pid = getpid(),
                .nofile_soft = nofile.rlim_cur == RLIM_INFINITY ? UINT64_MAX : nofile.rlim_cur,
                .nofile_hard = nofile.rlim_max == RLIM_INFINITY ? UINT64_MAX : nofile.rlim_max,
                .euid = geteuid(),
        };
        if (w->landlock.present) {
                ctx.landlock.abi = landlock_kernel_abi();
                if (ctx.landlock.abi > LL_ABI_KNOWN)
                        landlock_probe_extra(&ctx.landlock.extra_fs, &ctx.landlock.extra_net,
                                             &ctx.landlock.extra_scoped);
        }
        struct run_request req = {
                .inputs = o->inputs,
                .n_inputs = o->n_inputs,
                .extra_argv = o->command == CLI_RUN ? o->args : NULL,
                .n_extra_argv = o->command == CLI_RUN ? o->n_args : 0,
                .status_fd = o->status_fd,
                .no_cache = o->no_cache,
                .supervise = learn        ? SUPERVISE_LEARN
                             : o->explain ? SUPERVISE_EXPLAIN
                                          : SUPERVISE_NONE,
                .learn_baseline = o->learn.merge ? o->learn.merge : o->learn.check,
                .allow_privileged = o->learn.allow_privileged,
        };
        struct launch_error e = LAUNCH_ERROR_INIT;
        struct diag d = DIAG_INIT;
        struct plan p = PLAN_INIT;
        struct prepared pr = PREPARED_INIT;
        int status = 0;

        if (plan_build(w, &req, &ctx, &p, &e) < 0)
                status = report(&d, &e, o->status_fd);
        else if (req.supervise != SUPERVISE_NONE && !o->dry_run && supervise_check_support(&e) < 0)
                status = report(&d, &e, o->status_fd);
        else if (o->dry_run) {
                if (prepare_confinement(&p, &pr, &e) < 0 || filter_build(&p, NULL, &pr.filter, &d, &e) < 0)
                        status = report(&d, &e, o->status_fd);
                else
                        dry_run_print(stdout, &p, &pr, o->json);
        } else if (prepare_run(&p, &pr, &d, &e) < 0) {
                status = report(&d, &e, o->status_fd);
        } else {
                diag_print(&d, stderr); /* policy warnings */
                fflush(NULL);
                status = start(&p, &pr, learn, outcome);
        }
        prepared_free(&pr);
        plan_free(&p);
        diag_clear(&d);
        return status;
}
