/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pipeline driver shared by `run` and `exec`: plan -> prepare ->
 * commit (or the dry-run print), reporting every failure once. */
#ifndef SEALRUN_LAUNCH_H
#define SEALRUN_LAUNCH_H

#include "cli.h"
#include "diag.h"
#include "error.h"
#include "workload.h"

/* 125 with one line when real and effective ids differ; else 0. */
int launch_refuse_setid(void);

/* What `run` and `exec` start with: refuse setid, then parse the command
 * line into o with parse (cli_parse_run, cli_parse_exec), printing its
 * error.  0, or the exit status to return (125). */
int launch_parse_command(int (*parse)(int argc, char **argv, struct cli_options *ret, struct diag *d),
                         int argc, char **argv, struct cli_options *o);

/* Print e's line and send it to the status fd.  Returns its exit status. */
int launch_report_error(const struct launch_error *e, int status_fd);

/* Print d's entries and send the first error to the status fd as a
 * "parse" stage error.  Returns 125. */
int launch_report_parse_errors(const struct diag *d, int status_fd, const char *thing);

struct supervise_handler;
struct supervise_outcome;

/* Never returns on a real run; returns the exit status otherwise (and for
 * --explain, the supervisor's). */
int launch_run(const struct workload *w, const struct cli_options *o);
/* The same, supervised by `learn` (the learn command's recorder), which
 * gets every call its baseline (o->learn) does not allow; outcome says how
 * the target ended. */
int launch_supervised(const struct workload *w, const struct cli_options *o,
                      const struct supervise_handler *learn, struct supervise_outcome *outcome);

#endif
