/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the pure stages: command line, workload parser, plan, and
 * the status fd's JSON escaping.  No process is started. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "cli.h"
#include "json_string.h"
#include "plan.h"
#include "seals.h"
#include "size.h"
#include "status.h"
#include "workload.h"

/* ---- an in-memory file system for @include ---------------------------- */

struct memfile {
        const char *path;
        const char *text;
};

static int read_mem(void *userdata, const char *path, char **ret_text, size_t *ret_len) {
        for (const struct memfile *f = userdata; f->path; f++)
                if (!strcmp(f->path, path)) {
                        *ret_text = strdup(f->text);
                        *ret_len = strlen(f->text);
                        return 0;
                }
        return -ENOENT;
}

static int parse(struct workload *w, const char *text, struct diag *d) {
        static const struct memfile none[] = {{NULL, NULL}};
        return workload_parse_text(w, "/w/test.workload", text, strlen(text), read_mem, (void *) none, d);
}

/* The first error as "LINE:COL: message". */
static char *first_error(const struct diag *d) {
        char *s;
        assert_true(d->n_entries > 0);
        assert_true(asprintf(&s, "%u:%u: %s", d->entries[0].line, d->entries[0].col, d->entries[0].message) >
                    0);
        return s;
}

static void parse_every_directive(void **state) {
        struct workload w = WORKLOAD_INIT;
        struct diag d = DIAG_INIT;
        assert_int_equal(
                parse(&w,
                      "# comment\n"
                      "program /usr/bin/jq   # trailing comment\n"
                      "exec sealed sha256=00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF\n"
                      "argv jq -f @filter \"two words\" 'single' @@lit\n"
                      "input filter fd=3 max=64K\n"
                      "input data max=1G seals=write,shrink,grow,seal optional\n"
                      "env set LANG=C.UTF-8\n"
                      "env keep TERM\n"
                      "cwd /\n"
                      "rlimit nofile 64\n"
                      "rlimit as 1G:unlimited\n"
                      "capability keep net_raw cap_chown\n"
                      "listen-fds no\n"
                      "seccomp default return EPERM\n"
                      "seccomp include ./jq.policy\n",
                      &d),
                0);
        assert_int_equal(d.n_errors, 0);
        assert_string_equal(w.program, "/usr/bin/jq");
        assert_int_equal(w.exec_mode, EXEC_MODE_SEALED);
        assert_true(w.has_sha256);
        assert_int_equal(w.sha256[0], 0x00);
        assert_int_equal(w.sha256[31], 0xff);
        assert_int_equal(w.n_argv, 6);
        assert_string_equal(w.argv[3], "two words");
        assert_string_equal(w.argv[4], "single");
        assert_string_equal(w.argv[5], "@@lit");
        assert_int_equal(w.n_inputs, 2);
        assert_int_equal(w.inputs[0].fd, 3);
        assert_int_equal(w.inputs[0].max_size, 64 * 1024);
        assert_int_equal(w.inputs[1].fd, -1);
        assert_true(w.inputs[1].optional);
        assert_int_equal(w.inputs[1].max_size, 1ULL << 30);
        assert_int_equal(w.n_env, 2);
        assert_int_equal(w.env[1].type, ENV_OP_KEEP);
        assert_string_equal(w.cwd, "/");
        assert_int_equal(w.n_rlimits, 2);
        assert_int_equal(w.rlimits[1].resource, RLIMIT_AS);
        assert_int_equal(w.rlimits[1].hard, UINT64_MAX);
        assert_int_equal(w.caps_keep, (1ULL << CAP_NET_RAW) | (1ULL << CAP_CHOWN));
        assert_true(w.default_action_set);
        assert_int_equal(w.default_action.type, POLICY_ACTION_ERRNO);
        assert_int_equal(w.default_action.value, EPERM);
        assert_int_equal(w.n_seccomp, 1);
        assert_string_equal(w.seccomp[0].file, "/w/jq.policy");
        workload_free(&w);
        diag_clear(&d);
}

static void parse_inline_seccomp_section_keeps_line_numbers(void **state) {
        struct workload w = WORKLOAD_INIT;
        struct diag d = DIAG_INIT;
        assert_int_equal(parse(&w, "program /bin/true\n[seccomp]   # rules follow\nread: 1\n[seccomp]\n", &d),
                         0);
        assert_int_equal(w.n_seccomp, 1);
        assert_int_equal(w.seccomp[0].first_line, 3);
        assert_string_equal(w.seccomp[0].text, "read: 1\n[seccomp]\n"); /* all policy text after the header */
        workload_free(&w);
        diag_clear(&d);
}

static void parse_include_resolves_relative_and_names_the_includer(void **state) {
        static const struct memfile files[] = {
                {"/w/sub/common.workload", "env set A=1\ncwd relative\n"},
                {NULL, NULL},
        };
        struct workload w = WORKLOAD_INIT;
        struct diag d = DIAG_INIT;
        const char *text = "program /bin/true\n@include ./sub/common.workload\n";
        assert_int_equal(
                workload_parse_text(&w, "/w/main.workload", text, strlen(text), read_mem, (void *) files, &d),
                -EINVAL);
        assert_int_equal(w.n_env, 1);
        assert_int_equal(d.n_errors, 1);
        assert_string_equal(d.entries[0].file, "/w/sub/common.workload");
        assert_int_equal(d.entries[0].line, 2);
        assert_int_equal(d.entries[0].col, 5);
        assert_string_equal(d.entries[0].context, "included from /w/main.workload:2");
        workload_free(&w);
        diag_clear(&d);
}

/* Parsing `text` as /w/main.workload over files gives exactly one error,
 * `want` ("LINE:COL: message"). */
static void expect_one_include_error(const struct memfile *files, const char *text, const char *want) {
        struct workload w = WORKLOAD_INIT;
        struct diag d = DIAG_INIT;
        assert_true(workload_parse_text(&w, "/w/main.workload", text, strlen(text), read_mem, (void *) files,
                                        &d) < 0);
        char *e = first_error(&d);
        assert_string_equal(e, want);
        assert_int_equal(d.n_errors, 1);
        free(e);
        workload_free(&w);
        diag_clear(&d);
}

static void parse_include_loop_is_one_error(void **state) {
        static const struct memfile files[] = {
                {"/w/loop.workload", "@include ./loop.workload\n"},
                {NULL, NULL},
        };
        expect_one_include_error(files, "@include ./loop.workload\n",
                                 "1:10: @include loop: /w/loop.workload -> /w/loop.workload");
}

static void parse_include_stops_at_the_depth_limit(void **state) {
        static const struct memfile files[] = {
                {"/w/1.workload", "@include 2.workload\n"},
                {"/w/2.workload", "@include 3.workload\n"},
                {"/w/3.workload", "@include 4.workload\n"},
                {"/w/4.workload", "@include 5.workload\n"},
                {"/w/5.workload", "@include 6.workload\n"},
                {"/w/6.workload", "@include 7.workload\n"},
                {"/w/7.workload", "@include 8.workload\n"},
                {"/w/8.workload", "@include 9.workload\n"},
                {"/w/9.workload", "\n"},
                {NULL, NULL},
        };
        expect_one_include_error(files, "@include 1.workload\n",
                                 "1:10: expected at most 8 nested @include levels");
}

static void parse_include_missing_file(void **state) {
        struct workload w = WORKLOAD_INIT;
        struct diag d = DIAG_INIT;
        assert_true(parse(&w, "@include nope.workload\n", &d) < 0);
        char *e = first_error(&d);
        assert_string_equal(e,
                            "1:10: cannot read included file '/w/nope.workload': No such file or directory");
        free(e);
        workload_free(&w);
        diag_clear(&d);
}

/* One broken fragment per row: the exact place and words of the error. */
static void parse_errors_name_line_col_and_expectation(void **state) {
        static const struct {
                const char *text;
                const char *want;
        } cases[] = {
                {"program\n", "1:8: expected a program path after 'program'"},
                {"program /a /b\n", "1:12: expected end of line after a program path"},
                {"program /a\nprogram /b\n", "2:1: 'program' is already set to '/a'"},
                {"exec sometimes\n", "1:6: expected 'path' or 'sealed', found 'sometimes'"},
                {"exec sealed sha256=abc\n", "1:13: expected sha256= and 64 hex digits"},
                {"exec path sha256=00\n",
                 "1:11: expected end of line after 'exec path' (a pin needs 'exec sealed')"},
                {"argv\n", "1:5: expected at least one word after 'argv'"},
                {"argv x @\n", "1:8: expected an input name after '@' (or '@@' for a literal '@')"},
                {"input\n", "1:6: expected an input name after 'input'"},
                {"input 9lives\n", "1:7: expected an input name of letters, digits, '_', '-', '.' (at most "
                                   "64), found '9lives'"},
                {"input a fd=-1\n", "1:9: expected a number from 0 to 1048575 after 'fd='"},
                {"input a max=12Q\n", "1:9: expected a size after 'max=' (like 4096, 64K, 1M, 2G)"},
                {"input a seals=write\n", "1:9: expected seals to include write,shrink,grow,seal"},
                {"input a seals=write,bogus\n",
                 "1:9: expected seal names (write,shrink,grow,seal,exec,future-write) after 'seals='"},
                {"input a sometimes\n",
                 "1:9: expected fd=N, max=SIZE, seals=LIST or optional, found 'sometimes'"},
                {"input a\ninput a\n", "2:7: input 'a' is already declared"},
                {"env set X\n", "1:9: expected NAME=VALUE"},
                {"env set 1X=2\n", "1:9: expected an environment variable name (letters, digits, '_')"},
                {"env unset X\n", "1:5: expected 'set' or 'keep', found 'unset'"},
                {"cwd tmp\n", "1:5: expected an absolute directory"},
                {"rlimit files 3\n", "1:8: expected a limit name (nofile, as, core, cpu, data, fsize, nproc, "
                                     "stack, ...), found 'files'"},
                {"rlimit nofile 9:3\n", "1:15: expected the soft limit to be at most the hard limit"},
                {"rlimit nofile lots\n",
                 "1:15: expected a number, a size (64K, 1G) or 'unlimited', optionally SOFT:HARD"},
                {"capability drop net_raw\n", "1:12: expected 'keep', found 'drop'"},
                {"capability keep net_cooked\n",
                 "1:17: expected a capability name (like net_raw), found 'net_cooked'"},
                {"listen-fds maybe\n", "1:12: expected 'yes' or 'no', found 'maybe'"},
                {"seccomp default explode\n", "1:17: expected an action (kill-process, kill-thread, trap, "
                                              "log, return ERRNO, trace, user-notify, "
                                              "allow), found 'explode'"},
                {"seccomp exclude x\n",
                 "1:9: expected 'default', 'include', 'compiled' or 'cache', found 'exclude'"},
                {"seccomp cache maybe\n", "1:15: expected 'on' or 'off' after 'seccomp cache'"},
                {"@include\n", "1:9: expected exactly one file name after '@include'"},
                {"env set A=\"x\n", "1:11: expected a closing quote for the quote opened here"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct workload w = WORKLOAD_INIT;
                struct diag d = DIAG_INIT;
                printf("# case: %s", cases[i].text);
                assert_int_equal(parse(&w, cases[i].text, &d), -EINVAL);
                char *e = first_error(&d);
                assert_string_equal(e, cases[i].want);
                assert_string_equal(d.entries[0].file, "/w/test.workload");
                free(e);
                workload_free(&w);
                diag_clear(&d);
        }
}

static void parse_reports_every_error_in_one_pass(void **state) {
        struct workload w = WORKLOAD_INIT;
        struct diag d = DIAG_INIT;
        assert_int_equal(parse(&w, "exec x\nprogram /bin/true\ncwd y\n", &d), -EINVAL);
        assert_int_equal(d.n_errors, 2);
        assert_int_equal(d.entries[1].line, 3);
        workload_free(&w);
        diag_clear(&d);
}

static void sizes_and_seals(void **state) {
        uint64_t v;
        assert_int_equal(size_parse("4096", &v), 0);
        assert_int_equal(v, 4096);
        assert_int_equal(size_parse("64KiB", &v), 0);
        assert_int_equal(v, 65536);
        assert_int_equal(size_parse("2G", &v), 0);
        assert_int_equal(v, 2ULL << 30);
        assert_int_equal(size_parse("1.5M", &v), -EINVAL);
        assert_int_equal(size_parse("-1", &v), -EINVAL);
        assert_int_equal(size_parse("99999999999999999999", &v), -ERANGE);
        assert_int_equal(size_parse("17179869184T", &v), -ERANGE);
        char buf[64];
        size_format(64 << 10, buf, sizeof(buf));
        assert_string_equal(buf, "64 KiB");
        size_format(1000, buf, sizeof(buf));
        assert_string_equal(buf, "1000 bytes");
        uint32_t s;
        assert_int_equal(seals_parse("seal,grow,shrink,write,exec", &s), 0);
        seals_format(s, buf, sizeof(buf));
        assert_string_equal(buf, "write,shrink,grow,seal,exec");
        assert_int_equal(seals_parse("write,shrink,grow", &s), -EPERM);
}

/* ---- command line ------------------------------------------------------ */

static void cli_run_takes_workload_inputs_and_arguments(void **state) {
        char a0[] = "run", a1[] = "--input", a2[] = "data=/x", a3[] = "w.workload", a4[] = "--input-fd=cfg=5",
             a5[] = "--status-fd", a6[] = "9", a7[] = "--", a8[] = "--input", a9[] = "plain";
        char *argv[] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, NULL};
        struct cli_options o;
        struct diag d = DIAG_INIT;
        assert_int_equal(cli_parse_run(10, argv, &o, &d), 0);
        assert_string_equal(o.workload, "w.workload");
        assert_int_equal(o.n_inputs, 2);
        assert_string_equal(o.inputs[0].name, "data");
        assert_string_equal(o.inputs[0].path, "/x");
        assert_int_equal(o.inputs[1].source, INPUT_SOURCE_FD);
        assert_int_equal(o.inputs[1].fd, 5);
        assert_int_equal(o.status_fd, 9);
        assert_int_equal(o.n_args, 2);
        assert_string_equal(o.args[0], "--input"); /* after --: the program's, not ours */
        cli_options_free(&o);
        diag_clear(&d);
}

static void cli_error(int (*fn)(int, char **, struct cli_options *, struct diag *), char **argv,
                      const char *want) {
        int argc = 0;
        while (argv[argc])
                argc++;
        struct cli_options o;
        struct diag d = DIAG_INIT;
        assert_int_equal(fn(argc, argv, &o, &d), -EINVAL);
        assert_int_equal(d.n_errors, 1);
        assert_string_equal(d.entries[0].message, want);
        diag_clear(&d);
}

static void cli_errors_are_one_clear_message(void **state) {
        char r[] = "run", e[] = "exec", bogus[] = "--bogus", in[] = "--input", json[] = "--json", w[] = "w",
             two[] = "extra", bad[] = "--input=noequals", sfd[] = "--status-fd=x", rl[] = "--rlimit=nofile",
             rl2[] = "--rlimit=nofile=x", dd[] = "--", cap[] = "--cap=flying", sh[] = "-z";
        cli_error(cli_parse_run, (char *[]){r, bogus, w, NULL}, "unknown option '--bogus'");
        cli_error(cli_parse_run, (char *[]){r, sh, w, NULL}, "unknown option '-z'");
        cli_error(cli_parse_run, (char *[]){r, w, in, NULL}, "option '--input' needs an argument");
        cli_error(cli_parse_run, (char *[]){r, NULL},
                  "run: expected a WORKLOAD file (try 'sealrun run --help')");
        cli_error(cli_parse_run, (char *[]){r, w, two, NULL},
                  "run: unexpected argument 'extra' (arguments for the program go after --)");
        cli_error(cli_parse_run, (char *[]){r, json, w, NULL}, "--json needs --dry-run");
        cli_error(cli_parse_run, (char *[]){r, bad, w, NULL}, "--input 'noequals': expected NAME=PATH");
        cli_error(cli_parse_run, (char *[]){r, sfd, w, NULL}, "--status-fd 'x': expected an fd number");
        cli_error(cli_parse_exec, (char *[]){e, NULL},
                  "exec: expected -- PROGRAM [ARG...] (try 'sealrun exec --help')");
        cli_error(cli_parse_exec, (char *[]){e, rl, dd, w, NULL},
                  "--rlimit 'nofile': expected NAME=SOFT[:HARD]");
        cli_error(cli_parse_exec, (char *[]){e, rl2, dd, w, NULL},
                  "--rlimit: expected a number, a size (64K, 1G) or 'unlimited', optionally SOFT:HARD");
        cli_error(cli_parse_exec, (char *[]){e, cap, dd, w, NULL},
                  "--cap: expected a capability name (like net_raw), found 'flying'");
}

static void cli_exec_options_become_workload_directives(void **state) {
        char *argv[] = {"exec",
                        "--input-spec",
                        "cfg fd=7 max=1K",
                        "--input",
                        "data=/d",
                        "--input",
                        "cfg=/c",
                        "--sealed",
                        "--env",
                        "A=b c",
                        "--keep-env",
                        "TERM",
                        "--cwd",
                        "/tmp",
                        "--rlimit",
                        "nofile=32:64",
                        "--cap",
                        "net_raw",
                        "--seccomp-policy",
                        "p.policy",
                        "--default-action",
                        "return EPERM",
                        "--listen-fds",
                        "--",
                        "/bin/prog",
                        "--sealed",
                        "@data",
                        NULL};
        char *copy[32];
        int argc = 0;
        for (; argv[argc]; argc++)
                copy[argc] = strdup(argv[argc]);
        copy[argc] = NULL;
        struct cli_options o;
        struct diag d = DIAG_INIT;
        assert_int_equal(cli_parse_exec(argc, copy, &o, &d), 0);
        const struct workload *w = &o.exec_workload;
        assert_string_equal(w->program, "/bin/prog");
        assert_int_equal(w->n_argv, 3);
        assert_string_equal(w->argv[1], "--sealed"); /* the program's own option */
        assert_int_equal(w->exec_mode, EXEC_MODE_SEALED);
        /* --input-spec first (fd 7), then undeclared --input names in order. */
        assert_int_equal(w->n_inputs, 2);
        assert_string_equal(w->inputs[0].name, "cfg");
        assert_int_equal(w->inputs[0].fd, 7);
        assert_string_equal(w->inputs[1].name, "data");
        assert_string_equal(w->env[0].value, "b c");
        assert_int_equal(w->env[1].type, ENV_OP_KEEP);
        assert_string_equal(w->cwd, "/tmp");
        assert_int_equal(w->rlimits[0].soft, 32);
        assert_int_equal(w->rlimits[0].hard, 64);
        assert_int_equal(w->caps_keep, 1ULL << CAP_NET_RAW);
        assert_string_equal(w->seccomp[0].file, "p.policy");
        assert_int_equal(w->default_action.type, POLICY_ACTION_ERRNO);
        assert_true(w->listen_fds);
        cli_options_free(&o);
        diag_clear(&d);
        for (int i = 0; i < argc; i++)
                free(copy[i]);
}

/* getopt_long accepts unambiguous abbreviations; the spec must be applied
 * whatever spelling took it. */
static void cli_input_spec_abbreviated_still_applies(void **state) {
        char *argv[] = {
                "exec",      "--input-spe", "cfg fd=7 max=4", "--input-s=log fd=9", "--input", "cfg=/c", "--",
                "/bin/prog", NULL};
        char *copy[16];
        int argc = 0;
        for (; argv[argc]; argc++)
                copy[argc] = strdup(argv[argc]);
        copy[argc] = NULL;
        struct cli_options o;
        struct diag d = DIAG_INIT;
        assert_int_equal(cli_parse_exec(argc, copy, &o, &d), 0);
        const struct workload *w = &o.exec_workload;
        assert_int_equal(w->n_inputs, 2);
        assert_string_equal(w->inputs[0].name, "cfg");
        assert_int_equal(w->inputs[0].fd, 7);
        assert_int_equal(w->inputs[0].max_size, 4);
        assert_string_equal(w->inputs[1].name, "log");
        assert_int_equal(w->inputs[1].fd, 9);
        cli_options_free(&o);
        diag_clear(&d);
        for (int i = 0; i < argc; i++)
                free(copy[i]);
}

/* ---- plan --------------------------------------------------------------- */

static const struct plan_context test_ctx = {
        .environ = (char *[]){"TERM=xterm", "HOME=/root", "PATH=/bin", NULL},
        .pid = 4242,
        .nofile_soft = 1024,
        .nofile_hard = 4096,
};

static void build_with_status_fd(const char *text, const struct run_input *inputs, size_t n, int status_fd,
                                 struct plan *p, int expect, const char *want_error) {
        struct workload w = WORKLOAD_INIT;
        struct diag d = DIAG_INIT;
        assert_int_equal(parse(&w, text, &d), 0);
        struct run_request req = {.inputs = inputs, .n_inputs = n, .status_fd = status_fd};
        struct launch_error e = LAUNCH_ERROR_INIT;
        assert_int_equal(plan_build(&w, &req, &test_ctx, p, &e), expect);
        if (want_error)
                assert_string_equal(e.message, want_error);
        launch_error_clear(&e);
        workload_free(&w);
        diag_clear(&d);
}

static void build(const char *text, const struct run_input *inputs, size_t n, struct plan *p, int expect,
                  const char *want_error) {
        build_with_status_fd(text, inputs, n, -1, p, expect, want_error);
}

static void plan_assigns_default_fds_and_expands_argv(void **state) {
        const struct run_input in[] = {
                {"a", INPUT_SOURCE_PATH, "/a", -1},
                {"c", INPUT_SOURCE_FD, NULL, 0},
                {"b", INPUT_SOURCE_PATH, "/b", -1},
        };
        struct plan p = PLAN_INIT;
        build("program /bin/x\nargv x @a @b @c @@a\ninput a\ninput b fd=3\ninput c\n", in, 3, &p, 0, NULL);
        assert_int_equal(p.n_fds, 3);
        assert_int_equal(p.fds[0].target_fd, 4);
        assert_int_equal(p.fds[1].target_fd, 3);
        assert_int_equal(p.fds[2].target_fd, 5);
        assert_int_equal(p.fds[2].source, INPUT_SOURCE_FD);
        assert_string_equal(p.argv[1], "/proc/self/fd/4");
        assert_string_equal(p.argv[2], "/proc/self/fd/3");
        assert_string_equal(p.argv[3], "/proc/self/fd/5");
        assert_string_equal(p.argv[4], "@a");
        assert_null(p.argv[5]);
        assert_int_equal(p.max_target_fd, 5);
        assert_int_equal(p.binary_fd, -1);
        plan_free(&p);
}

static void plan_environment_starts_empty(void **state) {
        struct plan p = PLAN_INIT;
        build("program /bin/x\nenv keep TERM\nenv keep NOPE\nenv set A=1\nenv set A=2\n", NULL, 0, &p, 0,
              NULL);
        assert_int_equal(p.n_envp, 2);
        assert_string_equal(p.envp[0], "TERM=xterm");
        assert_string_equal(p.envp[1], "A=2");
        assert_null(p.envp[2]);
        plan_free(&p);
}

static void plan_listen_fds_environment(void **state) {
        const struct run_input in[] = {{"cfg", INPUT_SOURCE_PATH, "/c", -1},
                                       {"db", INPUT_SOURCE_PATH, "/d", -1}};
        struct plan p = PLAN_INIT;
        build("program /bin/x\nlisten-fds yes\ninput cfg\ninput db\n", in, 2, &p, 0, NULL);
        assert_string_equal(p.envp[0], "LISTEN_FDS=2");
        assert_string_equal(p.envp[1], "LISTEN_PID=4242");
        assert_string_equal(p.envp[2], "LISTEN_FDNAMES=cfg:db");
        plan_free(&p);
}

static void plan_sealed_exec_reserves_an_fd_above_the_targets_nofile(void **state) {
        struct plan p = PLAN_INIT;
        build("program /bin/x\nexec sealed\nrlimit nofile 64:128\n", NULL, 0, &p, 0, NULL);
        assert_int_equal(p.binary_fd, 128);
        assert_int_equal(p.n_rlimits, 1);
        assert_int_equal(p.rlimits[0].soft, 64);
        assert_int_equal(p.rlimits[0].hard, 128);
        plan_free(&p);
        /* No nofile line: the launcher's soft limit becomes both limits. */
        build("program /bin/x\nexec sealed\n", NULL, 0, &p, 0, NULL);
        assert_int_equal(p.binary_fd, 1024);
        assert_int_equal(p.rlimits[0].soft, 1024);
        assert_int_equal(p.rlimits[0].hard, 1024);
        plan_free(&p);
        /* Asking for more than sealrun's hard limit allows: clamped, with room. */
        build("program /bin/x\nexec sealed\nrlimit nofile unlimited\n", NULL, 0, &p, 0, NULL);
        assert_true(p.binary_fd < 4096);
        assert_int_equal(p.rlimits[0].hard, (uint64_t) p.binary_fd);
        plan_free(&p);
}

static void plan_errors(void **state) {
        struct plan p = PLAN_INIT;
        const struct run_input a[] = {{"a", INPUT_SOURCE_PATH, "/a", -1}};
        const struct run_input twice[] = {{"a", INPUT_SOURCE_PATH, "/a", -1},
                                          {"a", INPUT_SOURCE_PATH, "/b", -1}};
        build("program /bin/x\nargv x @a\ninput a optional\n", NULL, 0, &p, -EINVAL,
              "argv uses @a, but optional input 'a' was not given");
        build("program /bin/x\nargv x @zz\n", NULL, 0, &p, -EINVAL,
              "argv uses @zz, but no input is named 'zz'");
        build("program /bin/x\ninput a\n", twice, 2, &p, -EINVAL, "--input 'a' is given twice");
        build("program /bin/x\nexec sealed\ncapability keep sys_resource\n", NULL, 0, &p, -EINVAL,
              "'exec sealed' cannot keep cap_sys_resource: the target could raise RLIMIT_NOFILE and reuse "
              "the "
              "sealed binary's fd number");
        build("program /bin/x\nexec sealed\nrlimit nofile 10\ninput a fd=10\n", a, 1, &p, -EMFILE,
              "fd 10 is not below the target's RLIMIT_NOFILE of 10, which 'exec sealed' needs as a guard");
        build("program /bin/x\nlisten-fds yes\ninput a optional\ninput b\n",
              (const struct run_input[]){{"b", INPUT_SOURCE_PATH, "/b", -1}}, 1, &p, -EINVAL,
              "listen-fds needs consecutive fds from 3, but input 'b' would be fd 4");
}

/* The status fd's write rule sits on a reserved number too: with a filter,
 * a target keeping cap_sys_resource could raise its limit, dup2 a file
 * there and write through the rule. */
static void plan_status_fd_with_a_filter_refuses_cap_sys_resource(void **state) {
        struct plan p = PLAN_INIT;
        build_with_status_fd(
                "program /bin/x\ncapability keep sys_resource\nseccomp default kill-process\n", NULL, 0, 5,
                &p, -EINVAL,
                "--status-fd with a seccomp filter cannot keep cap_sys_resource: the target could raise "
                "RLIMIT_NOFILE and write through the status fd's rule");
        /* Without a filter the number guards nothing: allowed. */
        build_with_status_fd("program /bin/x\ncapability keep sys_resource\n", NULL, 0, 5, &p, 0, NULL);
        assert_true(p.status_fd > 5);
        plan_free(&p);
        /* A filter without a reserved fd: allowed. */
        build("program /bin/x\ncapability keep sys_resource\nseccomp default kill-process\n", NULL, 0, &p, 0,
              NULL);
        plan_free(&p);
}

/* ---- status fd ---------------------------------------------------------- */

static void json_strings_are_escaped(void **state) {
        char buf[64];
        json_string_format(buf, sizeof(buf), "a\"b\\c\nd\x01");
        assert_string_equal(buf, "\"a\\\"b\\\\c\\nd\\u0001\"");
        char tiny[8];
        json_string_format(tiny, sizeof(tiny), "abcdefghijkl");
        assert_int_equal(tiny[0], '"');
        assert_true(strlen(tiny) < sizeof(tiny));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(parse_every_directive),
                cmocka_unit_test(parse_inline_seccomp_section_keeps_line_numbers),
                cmocka_unit_test(parse_include_resolves_relative_and_names_the_includer),
                cmocka_unit_test(parse_include_loop_is_one_error),
                cmocka_unit_test(parse_include_stops_at_the_depth_limit),
                cmocka_unit_test(parse_include_missing_file),
                cmocka_unit_test(parse_errors_name_line_col_and_expectation),
                cmocka_unit_test(parse_reports_every_error_in_one_pass),
                cmocka_unit_test(sizes_and_seals),
                cmocka_unit_test(cli_run_takes_workload_inputs_and_arguments),
                cmocka_unit_test(cli_errors_are_one_clear_message),
                cmocka_unit_test(cli_exec_options_become_workload_directives),
                cmocka_unit_test(cli_input_spec_abbreviated_still_applies),
                cmocka_unit_test(plan_assigns_default_fds_and_expands_argv),
                cmocka_unit_test(plan_environment_starts_empty),
                cmocka_unit_test(plan_listen_fds_environment),
                cmocka_unit_test(plan_sealed_exec_reserves_an_fd_above_the_targets_nofile),
                cmocka_unit_test(plan_errors),
                cmocka_unit_test(plan_status_fd_with_a_filter_refuses_cap_sys_resource),
                cmocka_unit_test(json_strings_are_escaped),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
