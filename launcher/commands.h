/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sealrun subcommands.  Each gets argv from its own name on (argv[0] is
 * "run", "exec", ...) and returns the process exit status:
 *   0 ok; 1 `check` found problems; 125 the launcher failed;
 *   126 program found but not executable; 127 program not found. */
#ifndef SEALRUN_COMMANDS_H
#define SEALRUN_COMMANDS_H

#define EXIT_LAUNCHER_FAILED 125
#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND 127

int cmd_run(int argc, char **argv);     /* cmd_run.c */
int cmd_exec(int argc, char **argv);    /* cmd_exec.c */
int cmd_check(int argc, char **argv);   /* cmd_check.c */
int cmd_compile(int argc, char **argv); /* cmd_compile.c */
int cmd_import(int argc, char **argv);  /* cmd_import.c */
int cmd_cache(int argc, char **argv);   /* cmd_cache.c */
int cmd_learn(int argc, char **argv);   /* cmd_learn.c */

#endif
