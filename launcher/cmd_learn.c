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
#include "interpreter.h"
#include "path_search.h"
#include "learn_output.h"
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
        const char *command;
        struct learn_output out;
        struct learn_record record;
        struct supervise_outcome outcome;
        char outcome_words[96];
        char date[16];
        struct utsname uts;
};

/* A word as a shell takes it back: plain, '...', or $'...' with control
 * characters escaped (a newline in a policy comment would end the comment
 * and start a statement). */
static void quote_word(FILE *out, const char *a) {
        static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:@,+-";
        bool control = false;
        for (const unsigned char *c = (const unsigned char *) a; *c; c++)
                control = control || *c < 0x20 || *c == 0x7f;
        if (*a && strspn(a, plain) == strlen(a)) {
                fprintf(out, " %s", a);
                return;
        }
        fputs(control ? " $'" : " '", out);
        for (const unsigned char *c = (const unsigned char *) a; *c; c++)
                if (control && (*c < 0x20 || *c == 0x7f || *c == '\\' || *c == '\''))
                        fprintf(out, "\\x%02x", *c);
                else if (*c == '\'')
                        fputs("'\\''", out);
                else
                        fputc(*c, out);
        fputc('\'', out);
}

/* The command line as a shell would take it back; NULL without memory. */
static char *quote_command(int argc, char **argv) {
        char *text = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&text, &size);
        if (!out)
                return NULL;
        fputs("sealrun", out);
        for (int i = 0; i < argc; i++)
                quote_word(out, argv[i]);
        if (fclose(out) != 0) {
                free(text);
                return NULL;
        }
        return text;
}

static int fail(struct learn *l, int errnum, const char *message) {
        struct launch_error e = LAUNCH_ERROR_INIT;
        launch_error_set(&e, STAGE, errnum, NULL, "%s", message);
        return launch_report_error(&e, l->o->status_fd);
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
                .number = learn_output_run_number(&l->out),
                .program = l->w->program,
                .exec_by_path = l->w->exec_mode == EXEC_MODE_PATH,
                .command = l->command,
                .outcome = l->outcome_words,
                .date = l->date,
                .kernel = l->uts.release,
        };
}

/* result: written, merged, covered or missing; missing: the statements
 * --check lists (0 otherwise). */
static void write_status(const struct learn *l, const char *result, size_t missing) {
        int fd = l->o->status_fd;
        if (fd < 0)
                return;
        char line[256];
        int n = snprintf(line, sizeof(line),
                         "{\"event\":\"learned\",\"result\":\"%s\",\"syscalls\":%zu,\"calls\":%llu,"
                         "\"missing\":%zu,\"signalled\":%s,\"status\":%d}\n",
                         result, learn_record_seen(&l->record), (unsigned long long) l->record.calls, missing,
                         l->outcome.signalled ? "true" : "false", l->outcome.status);
        if (n > 0 && (size_t) n < sizeof(line))
                (void) !write(fd, line, (size_t) n);
}

static int write_policy(struct learn *l, const struct learn_run *run) {
        struct launch_error e = LAUNCH_ERROR_INIT;
        if (learn_output_write(&l->out, &l->record, run, &e) < 0)
                return launch_report_error(&e, l->o->status_fd);
        size_t n = learn_record_statements(&l->record);
        if (l->o->learn.output)
                fprintf(stderr, "sealrun: learn: wrote %s: %zu syscalls from %llu calls\n", l->out.name,
                        learn_record_seen(&l->record), (unsigned long long) l->record.calls);
        else
                fprintf(stderr, "sealrun: learn: added %zu statement%s to %s\n", n, n == 1 ? "" : "s",
                        l->out.name);
        write_status(l, l->o->learn.output ? "written" : "merged", 0);
        return 0;
}

/* After -o: the paths it saw, as the workload's Landlock lines.  A sealed
 * exec's program is a memfd, which Landlock never restricts, but its ELF
 * interpreter is executed from the filesystem. */
static void propose_landlock(struct learn *l) {
        struct learn_paths *p = &l->record.paths;
        char interp[PATH_MAX], canonical[PATH_MAX];
        _cleanup_free_ char *program =
                strchr(l->w->program, '/') ? strdup(l->w->program) : path_search(l->w->program);
        if (l->w->exec_mode == EXEC_MODE_SEALED && program &&
            interpreter_read(program, interp, sizeof(interp)) > 0 && realpath(interp, canonical))
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
        fprintf(stderr, "sealrun: learn: %s does not cover this run; the lines to add:\n", l->out.name);
        for (size_t i = 0; i < l->record.n_syscalls; i++)
                learn_line_write(stderr, &l->record.syscalls[i], run);
        write_status(l, "missing", learn_record_statements(&l->record));
        return EXIT_POLICY_INCOMPLETE;
}

/* A call the policy language has no name for cannot be allowed: said
 * now, not when the policy stops the program. */
static void warn_nameless(const struct learn_record *r) {
        for (size_t i = 0; i < r->n_syscalls; i++)
                if (learn_syscall_nameless(&r->syscalls[i]))
                        fprintf(stderr,
                                "sealrun: learn: warning: %s (%llu calls) has no name in this sealrun's "
                                "tables: "
                                "no rule can allow it, so the policy stops it\n",
                                r->syscalls[i].name, (unsigned long long) r->syscalls[i].calls);
}

/* After the run: the record as the output asks. */
static int finish(struct learn *l) {
        if (l->record.out_of_memory)
                return fail(l, ENOMEM, "out of memory while recording: the record is incomplete");
        describe_outcome(l);
        if (l->o->learn.output && learn_record_add_implied(&l->record) < 0)
                return fail(l, ENOMEM, "out of memory");
        learn_record_sort(&l->record);
        time_t now = time(NULL);
        strftime(l->date, sizeof(l->date), "%Y-%m-%d", localtime(&now));
        if (uname(&l->uts) < 0)
                snprintf(l->uts.release, sizeof(l->uts.release), "?");
        struct learn_run run = run_of(l);
        warn_nameless(&l->record);
        if (l->o->learn.output) {
                int r = write_policy(l, &run);
                if (r == 0)
                        propose_landlock(l);
                return r;
        }
        if (l->record.n_syscalls == 0) {
                fprintf(stderr,
                        l->o->learn.check ? "sealrun: learn: %s covers this run\n"
                                          : "sealrun: learn: %s already covers this run; nothing added\n",
                        l->out.name);
                write_status(l, "covered", 0);
                return 0;
        }
        if (l->o->learn.merge && learn_record_statements(&l->record) == 0) {
                fprintf(stderr, "sealrun: learn: nothing added to %s: no rule can name what it lacks\n",
                        l->out.name);
                write_status(l, "missing", 0);
                return 0;
        }
        return l->o->learn.check ? print_missing(l, &run) : write_policy(l, &run);
}

static int learn(const struct cli_options *o, const struct workload *w, const char *command) {
        struct learn l = {.o = o, .w = w, .command = command};
        struct launch_error e = LAUNCH_ERROR_INIT;
        int status = 0;
        if (learn_output_prepare(&l.out, &o->learn, &e) < 0)
                status = launch_report_error(&e, o->status_fd);
        l.record.want_paths = o->learn.output != NULL;
        if (!status) {
                struct supervise_handler h = {.call = learn_record_call, .userdata = &l.record};
                status = launch_supervised(w, o, &h, &l.outcome);
                /* Not started, or the exec itself failed: sealrun said why. */
                if (l.outcome.started && !l.outcome.exec_failed)
                        status = finish(&l);
        }
        learn_output_free(&l.out);
        learn_record_free(&l.record);
        return status;
}

int cmd_learn(int argc, char **argv) {
        /* Before parsing, which cuts NAME=PATH apart in place. */
        _cleanup_free_ char *command = quote_command(argc, argv);
        if (!command)
                return EXIT_LAUNCHER_FAILED;
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
