/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sealrun learn (-o POLICY | --merge POLICY | --check POLICY) WORKLOAD ...
 * sealrun learn exec (...) -- PROGRAM [ARG...]
 *
 * The program runs as `run` would run it, supervised (supervise.h) under
 * the learn variant of a baseline filter: every call the baseline does not
 * allow is recorded (learn_record.h) and continues.  Then the record
 * becomes policy text (learn_policy.h): a new file, a block appended to
 * POLICY, or the lines POLICY lacks.  Everything that can be refused is
 * refused before the program starts; the file is written only after it
 * ended, whole or not at all.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "elf_interp.h"
#include "file_replace.h"
#include "launch.h"
#include "learn_policy.h"
#include "learn_record.h"
#include "supervise.h"
#include "workload.h"
#include "workload_load.h"

#define STAGE "learn"
#define EXIT_POLICY_INCOMPLETE 1

struct learn {
        const struct cli_options *o;
        const struct workload *w;
        const char *policy; /* the file named by -o, --merge or --check */
        char *text;         /* --merge, --check: the policy's text as it is */
        struct file_replace out;
        struct learn_record record;
        struct supervise_outcome outcome;
        char command[4096];
        char outcome_words[96];
        char date[16];
        struct utsname uts;
};

/* The command line as a shell would take it back: words with anything but
 * [A-Za-z0-9_./=:@,+-] in single quotes. */
static void quote_command(char *buf, size_t size, int argc, char **argv) {
        size_t len = (size_t) snprintf(buf, size, "sealrun");
        for (int i = 0; i < argc && len < size; i++) {
                const char *a = argv[i];
                bool plain =
                        *a &&
                        strspn(a,
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:@,+-") ==
                                strlen(a);
                len += (size_t) snprintf(buf + len, size - len, plain ? " %s" : " '", a);
                for (const char *c = a; !plain && *c && len < size; c++)
                        len += (size_t) snprintf(buf + len, size - len, *c == '\'' ? "'\\''" : "%c", *c);
                if (!plain && len < size)
                        len += (size_t) snprintf(buf + len, size - len, "'");
        }
}

static int fail(struct learn *l, int errnum, const char *thing, const char *message, const char *detail) {
        struct launch_error e = LAUNCH_ERROR_INIT;
        launch_error_set(&e, STAGE, errnum, thing, "%s%s%s", message, detail ? ": " : "",
                         detail ? detail : "");
        return launch_report_error(&e, l->o->status_fd);
}

/* A workload that keeps capabilities, or whose program is setuid or
 * setgid: what the learned policy lets through, it lets through for a
 * privileged process, so the user says so. */
static int check_privilege(struct learn *l) {
        struct stat st;
        bool setid = stat(l->w->program, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID));
        if (l->o->learn.allow_privileged || (!l->w->caps_keep && !setid))
                return 0;
        return fail(l, EPERM, NULL,
                    l->w->caps_keep ? "the workload keeps capabilities (--allow-privileged learns it anyway)"
                                    : "the program is setuid or setgid (--allow-privileged learns it anyway)",
                    NULL);
}

static int read_text(const char *path, char **ret) {
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        if (!f)
                return -errno;
        size_t size = 0;
        _cleanup_fclose_ FILE *mem = open_memstream(ret, &size);
        if (!mem)
                return -ENOMEM;
        char buf[8192];
        for (size_t n; (n = fread(buf, 1, sizeof(buf), f)) > 0;)
                fwrite(buf, 1, n, mem);
        return ferror(f) ? -EIO : fflush(mem) ? -ENOMEM : 0;
}

/* Before the program starts: the output can be made, the policy read. */
static int prepare_output(struct learn *l) {
        const struct cli_learn *o = &l->o->learn;
        l->policy = o->output ? o->output : o->merge ? o->merge : o->check;
        struct stat st;
        if (o->output && !o->force && lstat(o->output, &st) == 0)
                return fail(l, EEXIST, o->output,
                            "exists (--force replaces it, --merge adds to it, --check compares with it)",
                            NULL);
        if (!o->output) {
                int r = read_text(l->policy, &l->text);
                if (r < 0 || stat(l->policy, &st) < 0)
                        return fail(l, r < 0 ? -r : errno, l->policy, "cannot read",
                                    strerror(r < 0 ? -r : errno));
        }
        if (o->check)
                return 0;
        mode_t mask = umask(0);
        umask(mask);
        int r = file_replace_begin(&l->out, l->policy, o->merge ? st.st_mode & 07777 : 0666 & ~mask);
        if (r < 0)
                return fail(l, -r, l->policy, "cannot write beside it", strerror(-r));
        return 0;
}

static void describe_outcome(struct learn *l) {
        const struct supervise_outcome *x = &l->outcome;
        if (!x->signalled)
                snprintf(l->outcome_words, sizeof(l->outcome_words), "exited with status %d", x->status);
        else
                snprintf(l->outcome_words, sizeof(l->outcome_words), "was killed by signal %d (SIG%s)",
                         x->status, sigabbrev_np(x->status) ? sigabbrev_np(x->status) : "?");
        if (x->signalled || x->status)
                fprintf(stderr, "sealrun: learn: %s %s\n", l->w->program, l->outcome_words);
}

static struct learn_run run_of(const struct learn *l) {
        return (struct learn_run){
                .number = l->text ? learn_last_run(l->text) + 1 : 1,
                .program = l->w->program,
                .exec_by_path = l->w->exec_mode == EXEC_MODE_PATH,
                .command = l->command,
                .outcome = l->outcome_words,
                .date = l->date,
                .kernel = l->uts.release,
        };
}

static const char *base_name(const char *path) {
        const char *slash = strrchr(path, '/');
        return slash ? slash + 1 : path;
}

static void write_status(const struct learn *l, const char *result) {
        int fd = l->o->status_fd;
        if (fd < 0)
                return;
        char line[256];
        int n = snprintf(line, sizeof(line),
                         "{\"event\":\"learned\",\"result\":\"%s\",\"syscalls\":%zu,\"calls\":%llu,"
                         "\"signalled\":%s,\"status\":%d}\n",
                         result, learn_record_seen(&l->record), (unsigned long long) l->record.calls,
                         l->outcome.signalled ? "true" : "false", l->outcome.status);
        if (n > 0 && (size_t) n < sizeof(line))
                (void) !write(fd, line, (size_t) n);
}

static int write_policy(struct learn *l, const struct learn_run *run) {
        const struct cli_learn *o = &l->o->learn;
        int r = o->output ? learn_policy_write(l->out.f, base_name(l->policy), &l->record, run)
                          : (fputs(l->text, l->out.f), learn_merge_block_write(l->out.f, &l->record, run));
        if (r >= 0)
                r = file_replace_commit(&l->out);
        if (r < 0)
                return fail(l, -r, l->policy, "cannot write", strerror(-r));
        if (o->output)
                fprintf(stderr, "sealrun: learn: wrote %s: %zu syscalls from %llu calls\n", l->policy,
                        learn_record_seen(&l->record), (unsigned long long) l->record.calls);
        else
                fprintf(stderr, "sealrun: learn: added %zu statement%s to %s\n", l->record.n_syscalls,
                        l->record.n_syscalls == 1 ? "" : "s", l->policy);
        write_status(l, o->output ? "written" : "merged");
        return 0;
}

/* After -o: the paths it saw, as the workload's Landlock lines.  A sealed
 * exec's program is a memfd, which Landlock never restricts, but its ELF
 * interpreter is executed from the filesystem. */
static void propose_landlock(struct learn *l) {
        struct learn_paths *p = &l->record.paths;
        char interp[PATH_MAX], canonical[PATH_MAX];
        if (l->w->exec_mode == EXEC_MODE_SEALED &&
            elf_interp_read(l->w->program, interp, sizeof(interp)) > 0 && realpath(interp, canonical))
                learn_paths_add(p, canonical, LEARN_PATH_EXEC);
        if (!p->n)
                return;
        fprintf(stderr,
                "sealrun: learn: the files the run opened, as Landlock lines for the workload (review them; "
                "left out: %zu under /proc, %zu that did not exist, %zu unreadable):\n",
                p->under_proc, p->missing, p->unreadable);
        learn_paths_write(stderr, p);
}

static int print_missing(struct learn *l, const struct learn_run *run) {
        fprintf(stderr, "sealrun: learn: %s does not cover this run; the lines to add:\n", l->policy);
        for (size_t i = 0; i < l->record.n_syscalls; i++)
                learn_line_write(stderr, &l->record.syscalls[i], run);
        write_status(l, "missing");
        return EXIT_POLICY_INCOMPLETE;
}

/* After the run: the record as the output asks. */
static int finish(struct learn *l) {
        if (l->record.out_of_memory)
                return fail(l, ENOMEM, NULL, "out of memory while recording: the record is incomplete", NULL);
        describe_outcome(l);
        if (l->o->learn.output && learn_record_add_implied(&l->record) < 0)
                return fail(l, ENOMEM, NULL, "out of memory", NULL);
        learn_record_sort(&l->record);
        time_t now = time(NULL);
        strftime(l->date, sizeof(l->date), "%Y-%m-%d", localtime(&now));
        if (uname(&l->uts) < 0)
                snprintf(l->uts.release, sizeof(l->uts.release), "?");
        struct learn_run run = run_of(l);
        if (l->o->learn.output || l->record.n_syscalls == 0) {
                if (l->o->learn.output) {
                        int r = write_policy(l, &run);
                        if (r == 0)
                                propose_landlock(l);
                        return r;
                }
                fprintf(stderr,
                        l->o->learn.check ? "sealrun: learn: %s covers this run\n"
                                          : "sealrun: learn: %s already covers this run; nothing added\n",
                        l->policy);
                write_status(l, "covered");
                return 0;
        }
        return l->o->learn.check ? print_missing(l, &run) : write_policy(l, &run);
}

static int learn(const struct cli_options *o, const struct workload *w, const char *command) {
        struct learn l = {.o = o, .w = w};
        snprintf(l.command, sizeof(l.command), "%s", command);
        int status = check_privilege(&l);
        if (!status)
                status = prepare_output(&l);
        l.record.want_paths = o->learn.output != NULL;
        if (!status) {
                struct supervise_handler h = {.call = learn_record_call, .userdata = &l.record};
                status = launch_supervised(w, o, &h, &l.outcome);
                /* Not started (or the exec itself failed): sealrun said why. */
                if (l.outcome.started && !(l.record.calls <= 1 && (status == 126 || status == 127)))
                        status = finish(&l);
        }
        file_replace_abort(&l.out);
        learn_record_free(&l.record);
        free(l.text);
        return status;
}

int cmd_learn(int argc, char **argv) {
        /* Before parsing, which cuts NAME=PATH apart in place. */
        char command[4096];
        quote_command(command, sizeof(command), argc, argv);
        struct cli_options o = CLI_OPTIONS_INIT;
        int r = launch_parse_command(cli_parse_learn, argc, argv, &o);
        if (r)
                return r;
        struct workload file = WORKLOAD_INIT;
        const struct workload *w;
        int status;
        if (o.help) {
                cli_usage_learn(stdout);
                status = 0;
        } else if ((w = workload_load(&file, &o)))
                status = learn(&o, w, command);
        else
                status = EXIT_LAUNCHER_FAILED;
        workload_free(&file);
        cli_options_free(&o);
        return status;
}
