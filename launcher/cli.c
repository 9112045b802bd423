/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Command-line parsing for `run` and `exec`, see cli.h. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "cleanup.h"
#include "fd_number.h"

enum {
        OPT_DRY_RUN = 0x100,
        OPT_JSON,
        OPT_STATUS_FD,
        OPT_EXPLAIN,
        OPT_NO_CACHE, /* before OPT_INPUT_SPEC: common to run and exec (getopt_loop) */
        OPT_MERGE,
        OPT_CHECK,
        OPT_FORCE,
        OPT_ALLOW_PRIVILEGED,
        OPT_INPUT,
        OPT_INPUT_FD,
        OPT_INPUT_SPEC,
        OPT_SEALED,
        OPT_SHA256,
        OPT_ENV,
        OPT_KEEP_ENV,
        OPT_CWD,
        OPT_RLIMIT,
        OPT_CAP,
        OPT_SECCOMP_POLICY,
        OPT_SECCOMP_COMPILED,
        OPT_DEFAULT_ACTION,
        OPT_LISTEN_FDS,
        OPT_LANDLOCK,
        OPT_USER,
        OPT_GROUP,
        OPT_GROUPS,
};

/* exec takes every option of run, then the ones that describe the workload. */
#define RUN_OPTIONS                                                                                          \
        {"help", no_argument, NULL, 'h'}, {"dry-run", no_argument, NULL, OPT_DRY_RUN},                       \
                {"json", no_argument, NULL, OPT_JSON}, {"no-cache", no_argument, NULL, OPT_NO_CACHE},        \
                {"status-fd", required_argument, NULL, OPT_STATUS_FD},                                       \
                {"explain", no_argument, NULL, OPT_EXPLAIN}, {"input", required_argument, NULL, OPT_INPUT},  \
        {                                                                                                    \
                "input-fd", required_argument, NULL, OPT_INPUT_FD                                            \
        }

#define EXEC_OPTIONS                                                                                         \
        {"input-spec", required_argument, NULL, OPT_INPUT_SPEC}, {"sealed", no_argument, NULL, OPT_SEALED},  \
                {"sha256", required_argument, NULL, OPT_SHA256}, {"env", required_argument, NULL, OPT_ENV},  \
                {"keep-env", required_argument, NULL, OPT_KEEP_ENV},                                         \
                {"cwd", required_argument, NULL, OPT_CWD}, {"rlimit", required_argument, NULL, OPT_RLIMIT},  \
                {"cap", required_argument, NULL, OPT_CAP},                                                   \
                {"seccomp-policy", required_argument, NULL, OPT_SECCOMP_POLICY},                             \
                {"seccomp-compiled", required_argument, NULL, OPT_SECCOMP_COMPILED},                         \
                {"default-action", required_argument, NULL, OPT_DEFAULT_ACTION},                             \
                {"listen-fds", no_argument, NULL, OPT_LISTEN_FDS},                                           \
                {"landlock", required_argument, NULL, OPT_LANDLOCK},                                         \
                {"user", required_argument, NULL, OPT_USER}, {"group", required_argument, NULL, OPT_GROUP},  \
        {                                                                                                    \
                "groups", required_argument, NULL, OPT_GROUPS                                                \
        }

#define LEARN_OPTIONS                                                                                        \
        {"output", required_argument, NULL, 'o'}, {"merge", required_argument, NULL, OPT_MERGE},             \
                {"check", required_argument, NULL, OPT_CHECK}, {"force", no_argument, NULL, OPT_FORCE}, {    \
                "allow-privileged", no_argument, NULL, OPT_ALLOW_PRIVILEGED                                  \
        }

static const struct option run_options[] = {RUN_OPTIONS, {}};
static const struct option exec_options[] = {RUN_OPTIONS, EXEC_OPTIONS, {}};
static const struct option learn_run_options[] = {RUN_OPTIONS, LEARN_OPTIONS, {}};
static const struct option learn_exec_options[] = {RUN_OPTIONS, EXEC_OPTIONS, LEARN_OPTIONS, {}};

void cli_usage_run(FILE *out) {
        fputs("Usage: sealrun run [--dry-run [--json]] [--status-fd N] [--no-cache] [--explain] WORKLOAD\n"
              "                   [--input NAME=PATH]... [--input-fd NAME=FD]... [-- ARG...]\n\n"
              "Run the program a workload file describes, with its inputs sealed.\n\n"
              "  --input NAME=PATH   copy PATH into the sealed input NAME\n"
              "  --input-fd NAME=FD  copy the inherited fd FD (pipes allowed) into input NAME\n"
              "  --status-fd N       write one JSON line per event to fd N\n"
              "  --explain           stay as a supervisor: name every denied call and its rule\n"
              "  --dry-run           print the plan, start nothing\n"
              "  --json              with --dry-run: print the plan as one JSON document\n"
              "  --no-cache          compile the seccomp policy, ignoring the filter cache\n"
              "  -h, --help          show this help\n\n"
              "Words after -- are appended to the workload's argv.  See sealrun(1), sealrun.policy(5).\n",
              out);
}

void cli_usage_exec(FILE *out) {
        fputs("Usage: sealrun exec [OPTIONS] -- PROGRAM [ARG...]\n\n"
              "Run PROGRAM with sealed inputs; every workload file key is an option.\n"
              "An ARG of the form @NAME becomes /proc/self/fd/N of input NAME (@@ for a literal @).\n\n"
              "  --input NAME=PATH         copy PATH into the sealed input NAME\n"
              "  --input-fd NAME=FD        copy the inherited fd FD into input NAME\n"
              "  --input-spec 'NAME [fd=N] [max=SIZE] [seals=LIST] [optional]'\n"
              "                            declare input NAME as a workload 'input' line does\n"
              "  --sealed                  exec a sealed memfd copy of PROGRAM (execveat)\n"
              "  --sha256 HEX              with --sealed: refuse unless the copy has this SHA-256\n"
              "  --env NAME=VALUE          set a variable (the environment starts empty)\n"
              "  --keep-env NAME           keep a variable from sealrun's environment\n"
              "  --cwd DIR                 change to DIR\n"
              "  --rlimit NAME=SOFT[:HARD] set a resource limit (nofile, as, cpu, ...)\n"
              "  --cap NAME                keep capability NAME (none by default)\n"
              "  --seccomp-policy FILE     install the minijail seccomp policy FILE\n"
              "  --seccomp-compiled FILE,sha256=HEX\n"
              "                            install the BPF file from 'sealrun compile', pinned\n"
              "  --default-action ACTION   action for syscalls no rule allows\n"
              "  --listen-fds              announce inputs with LISTEN_FDS/LISTEN_FDNAMES/LISTEN_PID\n"
              "  --landlock 'RULE'         a workload 'landlock' line: 'read /usr /lib', 'connect tcp 443',\n"
              "                            'scope signal', 'abi 4', 'best-effort'; any denies the rest\n"
              "  --user NAME|UID           run as this user (sealrun must be root to switch)\n"
              "  --group NAME|GID          run with this group (default: the user's)\n"
              "  --groups A,B,...          supplementary groups (default: none)\n"
              "  --status-fd N             write one JSON line per event to fd N\n"
              "  --explain                 stay as a supervisor: name every denied call and its rule\n"
              "  --dry-run [--json]        print the plan, start nothing\n"
              "  --no-cache                compile the seccomp policy, ignoring the filter cache\n"
              "  -h, --help                show this help\n\n"
              "See sealrun(1).\n",
              out);
}

void cli_usage_learn(FILE *out) {
        fputs("Usage: sealrun learn (-o POLICY [--force] | --merge POLICY | --check POLICY)\n"
              "                     [--allow-privileged] [--status-fd N] WORKLOAD\n"
              "                     [--input NAME=PATH]... [--input-fd NAME=FD]... [-- ARG...]\n"
              "       sealrun learn exec (-o POLICY [--force] | --merge POLICY | --check POLICY)\n"
              "                     [--allow-privileged] [EXEC OPTIONS] -- PROGRAM [ARG...]\n\n"
              "Run the program as 'sealrun run' (or 'exec') would, record its syscalls, and write\n"
              "a minijail seccomp policy that allows them.\n\n"
              "  -o, --output POLICY  write a new policy from every call of this run\n"
              "  --force              with -o: replace an existing file\n"
              "  --merge POLICY       append to POLICY only what it does not allow yet\n"
              "  --check POLICY       print what POLICY lacks for this run; exit 1 if anything\n"
              "  --allow-privileged   learn a workload that keeps capabilities or is setuid\n"
              "  -h, --help           show this help\n\n"
              "EXEC OPTIONS are those of 'sealrun exec --help'.  Learning is not enforcement:\n"
              "review the policy before use.  See sealrun(1), LEARN.\n",
              out);
}

void cli_options_free(struct cli_options *o) {
        free(o->inputs);
        free(o->input_specs);
        workload_free(&o->exec_workload);
        *o = (struct cli_options) CLI_OPTIONS_INIT;
}

static int cli_error(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int cli_error(struct diag *d, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        diag_addv(d, DIAG_ERROR, NULL, 0, 0, NULL, NULL, fmt, ap);
        va_end(ap);
        return -EINVAL;
}

static int add_input(struct cli_options *o, const char *option, const char *arg, enum input_source source,
                     struct diag *d) {
        const char *eq = strchr(arg, '=');
        if (!eq || eq == arg || !eq[1])
                return cli_error(d, "%s '%s': expected NAME=%s", option, arg,
                                 source == INPUT_SOURCE_PATH ? "PATH" : "FD");
        struct run_input in = {.source = source, .fd = -1};
        /* The name is cut from argv in place: argv strings outlive options. */
        ((char *) eq)[0] = '\0';
        in.name = arg;
        if (source == INPUT_SOURCE_PATH)
                in.path = eq + 1;
        else if (fd_number_parse(eq + 1, &in.fd) < 0)
                return cli_error(d, "%s '%s': expected an fd number after '='", option, arg);
        if (ARRAY_GROW(o->inputs, o->n_inputs_allocated, o->n_inputs + 1) < 0)
                return -ENOMEM;
        o->inputs[o->n_inputs++] = in;
        return 0;
}

/* The options that only set a flag, or keep their argument. */
static const struct {
        int option;
        size_t offset;
} flag_options[] =
        {
                {'h', offsetof(struct cli_options, help)},
                {OPT_DRY_RUN, offsetof(struct cli_options, dry_run)},
                {OPT_JSON, offsetof(struct cli_options, json)},
                {OPT_NO_CACHE, offsetof(struct cli_options, no_cache)},
                {OPT_EXPLAIN, offsetof(struct cli_options, explain)},
                {OPT_FORCE, offsetof(struct cli_options, learn.force)},
                {OPT_ALLOW_PRIVILEGED, offsetof(struct cli_options, learn.allow_privileged)},
},
  string_options[] = {
          {'o', offsetof(struct cli_options, learn.output)},
          {OPT_MERGE, offsetof(struct cli_options, learn.merge)},
          {OPT_CHECK, offsetof(struct cli_options, learn.check)},
};

/* 1 when c is one of the table options (then set), else 0. */
static int table_option(struct cli_options *o, int c) {
        for (size_t i = 0; i < sizeof(flag_options) / sizeof(flag_options[0]); i++)
                if (flag_options[i].option == c) {
                        *(bool *) ((char *) o + flag_options[i].offset) = true;
                        return 1;
                }
        for (size_t i = 0; i < sizeof(string_options) / sizeof(string_options[0]); i++)
                if (string_options[i].option == c) {
                        *(const char **) ((char *) o + string_options[i].offset) = optarg;
                        return 1;
                }
        return 0;
}

static int common_option(struct cli_options *o, int c, const char *option, struct diag *d) {
        if (table_option(o, c))
                return 0;
        switch (c) {
        case OPT_STATUS_FD:
                if (fd_number_parse(optarg, &o->status_fd) < 0)
                        return cli_error(d, "--status-fd '%s': expected an fd number", optarg);
                return 0;
        case OPT_INPUT:
                return add_input(o, "--input", optarg, INPUT_SOURCE_PATH, d);
        case OPT_INPUT_FD:
                return add_input(o, "--input-fd", optarg, INPUT_SOURCE_FD, d);
        case ':':
                return cli_error(d, "option '%s' needs an argument", option);
        default:
                return cli_error(d, "unknown option '%s'", option);
        }
}

/* getopt_long with our own messages; `end` is the index of "--" (or argc). */
static int getopt_loop(struct cli_options *o, int argc, char **argv, const char *shortopts,
                       const struct option *longopts,
                       int (*extra)(struct cli_options *, int, const char *, struct diag *), struct diag *d) {
        optind = 0; /* full re-initialisation, so tests can parse repeatedly */
        opterr = 0;
        for (;;) {
                int c = getopt_long(argc, argv, shortopts, longopts, NULL);
                if (c < 0)
                        return 0;
                const char *option = argv[optind - 1];
                char short_name[3] = {'-', (char) optopt, '\0'};
                if ((c == '?' || c == ':') && optopt > 0 && optopt < 0x100 && strncmp(option, "--", 2))
                        option = short_name;
                int r = extra && c >= OPT_INPUT_SPEC ? extra(o, c, optarg, d)
                                                     : common_option(o, c, option, d);
                if (r < 0)
                        return r;
        }
}

/* `run WORKLOAD [--input ...] [-- ARG...]`, and learn's run form. */
static int parse_run_form(int argc, char **argv, const char *name, const char *shortopts,
                          const struct option *options, struct cli_options *o, struct diag *d) {
        o->command = CLI_RUN;
        int end = argc;
        for (int i = 1; i < argc; i++)
                if (!strcmp(argv[i], "--")) {
                        end = i;
                        break;
                }
        int r = getopt_loop(o, end, argv, shortopts, options, NULL, d);
        if (r >= 0 && !o->help) {
                if (optind >= end)
                        r = cli_error(d, "%s: expected a WORKLOAD file (try 'sealrun %s --help')", name,
                                      name);
                else if (optind + 1 < end)
                        r = cli_error(d,
                                      "%s: unexpected argument '%s' (arguments for the program go after --)",
                                      name, argv[optind + 1]);
                else
                        o->workload = argv[optind];
        }
        if (r >= 0 && o->json && !o->dry_run)
                r = cli_error(d, "--json needs --dry-run");
        if (r >= 0 && end < argc) {
                o->args = argv + end + 1;
                o->n_args = (size_t) (argc - end - 1);
        }
        return r;
}

/* Hands o over to ret on success, frees it on failure. */
static int parse_done(int r, struct cli_options *o, struct cli_options *ret) {
        if (r < 0) {
                cli_options_free(o);
                return r;
        }
        *ret = *o;
        return 0;
}

int cli_parse_run(int argc, char **argv, struct cli_options *ret, struct diag *d) {
        struct cli_options o = CLI_OPTIONS_INIT;
        return parse_done(parse_run_form(argc, argv, "run", ":h", run_options, &o, d), &o, ret);
}

/* Apply one exec option as the workload directive it mirrors. */
static int apply_directive(struct cli_options *o, const char *option, const char *const *words, size_t n,
                           struct diag *d) {
        struct workload_word w[8];
        for (size_t i = 0; i < n; i++)
                w[i] = (struct workload_word){.text = words[i]};
        struct workload_place place = {.context = option};
        return workload_apply_words(&o->exec_workload, w, n, &place, d);
}

/* An option whose argument is the rest of a directive's words, split at
 * any of seps ("read /usr /lib" for landlock, "adm,video" for groups). */
static int apply_split(struct cli_options *o, const char *option, const char *directive, char *text,
                       const char *seps, struct diag *d) {
        size_t n = 1, cap = 8;
        _cleanup_free_ struct workload_word *w = calloc(cap, sizeof(*w));
        if (!w)
                return -ENOMEM;
        w[0].text = directive;
        for (char *save = NULL, *t = strtok_r(text, seps, &save); t; t = strtok_r(NULL, seps, &save)) {
                if (n == cap) {
                        struct workload_word *v = realloc(w, (cap *= 2) * sizeof(*w));
                        if (!v)
                                return -ENOMEM;
                        w = v;
                }
                w[n++].text = t;
        }
        struct workload_place place = {.context = option};
        return workload_apply_words(&o->exec_workload, w, n, &place, d);
}

static int exec_option(struct cli_options *o, int c, const char *arg, struct diag *d) {
        _cleanup_free_ char *copy = strdup(arg ? arg : "");
        if (!copy)
                return -ENOMEM;
        char *eq = strchr(copy, '=');
        switch (c) {
        case OPT_INPUT_SPEC: {
                /* Applied after the loop, before undeclared --input names.
                 * Kept from optarg, not by rescanning argv: getopt_long also
                 * accepts abbreviations such as --input-spe. */
                const char **v = realloc(o->input_specs, (o->n_input_specs + 1) * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                v[o->n_input_specs++] = arg;
                o->input_specs = v;
                return 0;
        }
        case OPT_SEALED:
                return apply_directive(o, "--sealed", (const char *[]){"exec", "sealed"}, 2, d);
        case OPT_SHA256: {
                _cleanup_free_ char *pin = NULL;
                if (asprintf(&pin, "sha256=%s", arg) < 0)
                        return -ENOMEM;
                return apply_directive(o, "--sha256", (const char *[]){"exec", "sealed", pin}, 3, d);
        }
        case OPT_ENV:
                return apply_directive(o, "--env", (const char *[]){"env", "set", arg}, 3, d);
        case OPT_KEEP_ENV:
                return apply_directive(o, "--keep-env", (const char *[]){"env", "keep", arg}, 3, d);
        case OPT_CWD:
                return apply_directive(o, "--cwd", (const char *[]){"cwd", arg}, 2, d);
        case OPT_RLIMIT:
                if (!eq)
                        return cli_error(d, "--rlimit '%s': expected NAME=SOFT[:HARD]", arg);
                *eq = '\0';
                return apply_directive(o, "--rlimit", (const char *[]){"rlimit", copy, eq + 1}, 3, d);
        case OPT_CAP:
                return apply_directive(o, "--cap", (const char *[]){"capability", "keep", arg}, 3, d);
        case OPT_SECCOMP_POLICY:
                return apply_directive(o, "--seccomp-policy", (const char *[]){"seccomp", "include", arg}, 3,
                                       d);
        case OPT_SECCOMP_COMPILED: {
                char *pin = strstr(copy, ",sha256=");
                if (!pin)
                        return cli_error(d, "--seccomp-compiled '%s': expected FILE,sha256=HEX", arg);
                *pin = '\0';
                return apply_directive(o, "--seccomp-compiled",
                                       (const char *[]){"seccomp", "compiled", copy, pin + 1}, 4, d);
        }
        case OPT_DEFAULT_ACTION: {
                /* "errno EPERM" is two words in a workload file, one argument here. */
                char *space = strchr(copy, ' ');
                if (space)
                        *space = '\0';
                const char *words[] = {"seccomp", "default", copy, space ? space + 1 : NULL};
                return apply_directive(o, "--default-action", words, space ? 4 : 3, d);
        }
        case OPT_LISTEN_FDS:
                return apply_directive(o, "--listen-fds", (const char *[]){"listen-fds", "yes"}, 2, d);
        case OPT_LANDLOCK:
                return apply_split(o, "--landlock", "landlock", copy, " \t", d);
        case OPT_USER:
                return apply_directive(o, "--user", (const char *[]){"user", arg}, 2, d);
        case OPT_GROUP:
                return apply_directive(o, "--group", (const char *[]){"group", arg}, 2, d);
        case OPT_GROUPS:
                return apply_split(o, "--groups", "groups", copy, ",", d);
        default:
                return cli_error(d, "unknown option");
        }
}

static int declare_inputs(struct cli_options *o, struct diag *d) {
        int r;
        /* --input-spec lines first, in order, so their fd= numbers hold. */
        for (size_t i = 0; i < o->n_input_specs; i++) {
                const char *spec = o->input_specs[i];
                _cleanup_free_ char *copy = strdup(spec);
                if (!copy)
                        return -ENOMEM;
                const char *words[8] = {"input"};
                size_t n = 1;
                for (char *save = NULL, *t = strtok_r(copy, " \t", &save); t;
                     t = strtok_r(NULL, " \t", &save)) {
                        if (n == 7)
                                return cli_error(d, "--input-spec '%s': expected at most 6 words", spec);
                        words[n++] = t;
                }
                if ((r = apply_directive(o, "--input-spec", words, n, d)) < 0)
                        return r;
        }
        for (size_t i = 0; i < o->n_inputs; i++) {
                bool declared = false;
                for (size_t j = 0; j < o->exec_workload.n_inputs; j++)
                        declared = declared || !strcmp(o->exec_workload.inputs[j].name, o->inputs[i].name);
                if (!declared &&
                    (r = apply_directive(o,
                                         o->inputs[i].source == INPUT_SOURCE_PATH ? "--input" : "--input-fd",
                                         (const char *[]){"input", o->inputs[i].name}, 2, d)) < 0)
                        return r;
        }
        return 0;
}

static int exec_finish(struct cli_options *o, int argc, char **argv, struct diag *d) {
        if (o->json && !o->dry_run)
                return cli_error(d, "--json needs --dry-run");
        if (optind >= argc)
                return cli_error(d, "exec: expected -- PROGRAM [ARG...] (try 'sealrun exec --help')");
        o->args = argv + optind;
        o->n_args = (size_t) (argc - optind);
        int r = declare_inputs(o, d);
        if (r < 0)
                return r;
        const char *program[] = {"program", o->args[0]};
        if ((r = apply_directive(o, "PROGRAM", program, 2, d)) < 0)
                return r;
        _cleanup_free_ struct workload_word *words = calloc(o->n_args + 1, sizeof(*words));
        if (!words)
                return -ENOMEM;
        words[0].text = "argv";
        for (size_t i = 0; i < o->n_args; i++)
                words[i + 1].text = o->args[i];
        struct workload_place place = {.context = "PROGRAM ARG..."};
        return workload_apply_words(&o->exec_workload, words, o->n_args + 1, &place, d);
}

/* "+": stop at PROGRAM, so its own options are never taken for ours. */
static int parse_exec_form(int argc, char **argv, const char *shortopts, const struct option *options,
                           struct cli_options *o, struct diag *d) {
        o->command = CLI_EXEC;
        int r = getopt_loop(o, argc, argv, shortopts, options, exec_option, d);
        if (r >= 0 && !o->help)
                r = exec_finish(o, argc, argv, d);
        return r;
}

int cli_parse_exec(int argc, char **argv, struct cli_options *ret, struct diag *d) {
        struct cli_options o = CLI_OPTIONS_INIT;
        return parse_done(parse_exec_form(argc, argv, "+:h", exec_options, &o, d), &o, ret);
}

static int learn_finish(struct cli_options *o, struct diag *d) {
        const struct cli_learn *l = &o->learn;
        if (o->help)
                return 0;
        if (!!l->output + !!l->merge + !!l->check != 1)
                return cli_error(
                        d, "learn: expected exactly one of -o POLICY, --merge POLICY and --check POLICY");
        if (l->force && !l->output)
                return cli_error(d, "learn: --force is for -o: --merge and --check never replace a file");
        if (o->explain)
                return cli_error(d, "learn: --explain is for run and exec (learn lets every call through)");
        if (o->dry_run)
                return cli_error(
                        d, "learn: --dry-run is for run and exec ('sealrun run --dry-run' shows the plan)");
        return 0;
}

int cli_parse_learn(int argc, char **argv, struct cli_options *ret, struct diag *d) {
        struct cli_options o = CLI_OPTIONS_INIT;
        o.learn.active = true;
        int r = argc > 1 && !strcmp(argv[1], "exec")
                        ? parse_exec_form(argc - 1, argv + 1, "+:ho:", learn_exec_options, &o, d)
                        : parse_run_form(argc, argv, "learn", ":ho:", learn_run_options, &o, d);
        if (r >= 0)
                r = learn_finish(&o, d);
        return parse_done(r, &o, ret);
}
