/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One workload directive -> struct workload.  Shared by workload files and
 * `sealrun exec` options, so both take exactly the same values.  Pure.
 *
 *   program PATH
 *   exec path | exec sealed [sha256=HEX64]
 *   argv WORD...                       @NAME -> /proc/self/fd/N, @@ -> @
 *   input NAME [fd=N] [max=SIZE] [seals=LIST] [optional]
 *   env set NAME=VALUE | env keep NAME
 *   cwd /PATH
 *   rlimit NAME SOFT[:HARD]            numbers, sizes (64K) or "unlimited"
 *   capability keep NAME...            net_raw or cap_net_raw
 *   listen-fds yes|no
 *   seccomp default ACTION...          kill-process, trap, log, errno EPERM, ...
 *   seccomp include PATH
 *   seccomp compiled PATH sha256=HEX64 [from POLICY]
 *   seccomp cache on|off
 *                                      a `sealrun compile` BPF file, pinned
 *   landlock ..., user, group, groups  directives_confine.c
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "cleanup.h"
#include "directives.h"
#include "fd_number.h"
#include "path_beside.h"
#include "rlimit_name.h"
#include "seals.h"
#include "sha256_hex.h"
#include "size.h"
#include "workload.h"

#define MAX_NAME_LEN 64

int directive_fail_at(const struct line *l, size_t word, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        _cleanup_free_ char *msg = NULL;
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        unsigned col = 0;
        if (word < l->n)
                col = l->words[word].col;
        else if (l->place->source_line)
                col = (unsigned) strlen(l->place->source_line) + 1;
        if (l->place->file)
                diag_add(l->d, DIAG_ERROR, l->place->file, l->place->line, col, l->place->source_line,
                         l->place->context, "%s", msg ? msg : "out of memory");
        else /* the command line: name the option instead of a place */
                diag_add(l->d, DIAG_ERROR, NULL, 0, 0, NULL, NULL, "%s: %s", l->place->context,
                         msg ? msg : "out of memory");
        return -EINVAL;
}

int directive_expect_args(const struct line *l, size_t min, size_t max, const char *what) {
        if (l->n - 1 < min)
                return directive_fail_at(l, l->n, "expected %s after '%s'", what, l->words[0].text);
        if (l->n - 1 > max)
                return directive_fail_at(l, max + 1, "expected end of line after %s", what);
        return 0;
}

static int set_string(const struct line *l, char **field, const char *value) {
        if (*field)
                return directive_fail_at(l, 0, "'%s' is already set to '%s'", l->words[0].text, *field);
        *field = strdup(value);
        return *field ? 0 : -ENOMEM;
}

static bool valid_name(const char *s, bool env) {
        size_t len = strlen(s);
        if (len == 0 || len > (env ? 1024 : MAX_NAME_LEN) || (s[0] >= '0' && s[0] <= '9'))
                return false;
        for (const char *p = s; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                      *p == '_' || (!env && (*p == '-' || *p == '.'))))
                        return false;
        return true;
}

static int do_program(const struct line *l) {
        int r = directive_expect_args(l, 1, 1, "a program path");
        return r < 0 ? r : set_string(l, &l->w->program, l->words[1].text);
}

static int do_exec(const struct line *l) {
        int r = directive_expect_args(l, 1, 2, "'path' or 'sealed'");
        if (r < 0)
                return r;
        if (!strcmp(l->words[1].text, "path")) {
                if (l->n > 2)
                        return directive_fail_at(
                                l, 2, "expected end of line after 'exec path' (a pin needs 'exec sealed')");
                l->w->exec_mode = EXEC_MODE_PATH;
                return 0;
        }
        if (strcmp(l->words[1].text, "sealed"))
                return directive_fail_at(l, 1, "expected 'path' or 'sealed', found '%s'", l->words[1].text);
        l->w->exec_mode = EXEC_MODE_SEALED;
        if (l->n == 2)
                return 0;
        const char *pin = l->words[2].text;
        if (strncmp(pin, "sha256=", 7) || sha256_hex_parse(pin + 7, l->w->sha256) < 0)
                return directive_fail_at(l, 2, "expected sha256= and 64 hex digits");
        l->w->has_sha256 = true;
        return 0;
}

static int do_argv(const struct line *l) {
        int r = directive_expect_args(l, 1, SIZE_MAX, "at least one word");
        if (r < 0)
                return r;
        if (l->w->has_argv)
                return directive_fail_at(l, 0, "'argv' is already set");
        char **v = calloc(l->n, sizeof(char *));
        if (!v)
                return -ENOMEM;
        l->w->argv = v;
        l->w->has_argv = true;
        for (size_t i = 1; i < l->n; i++) {
                const char *word = l->words[i].text;
                if (word[0] == '@' && word[1] != '@' && !valid_name(word + 1, false))
                        return directive_fail_at(
                                l, i, "expected an input name after '@' (or '@@' for a literal '@')");
                v[i - 1] = strdup(word);
                if (!v[i - 1])
                        return -ENOMEM;
                l->w->n_argv = i;
        }
        return 0;
}

static int input_option(const struct line *l, size_t i, struct workload_input *in) {
        const char *opt = l->words[i].text;
        if (!strcmp(opt, "optional")) {
                in->optional = true;
                return 0;
        }
        if (!strncmp(opt, "fd=", 3)) {
                if (fd_number_parse(opt + 3, &in->fd) < 0)
                        return directive_fail_at(l, i, "expected a number from 0 to %d after 'fd='",
                                                 FD_NUMBER_LIMIT - 1);
                return 0;
        }
        if (!strncmp(opt, "max=", 4)) {
                if (size_parse(opt + 4, &in->max_size) < 0 || in->max_size == 0)
                        return directive_fail_at(l, i,
                                                 "expected a size after 'max=' (like 4096, 64K, 1M, 2G)");
                return 0;
        }
        if (!strncmp(opt, "seals=", 6)) {
                int r = seals_parse(opt + 6, &in->seals);
                if (r == -EPERM)
                        return directive_fail_at(l, i, "expected seals to include write,shrink,grow,seal");
                if (r < 0)
                        return directive_fail_at(
                                l, i,
                                "expected seal names (write,shrink,grow,seal,exec,future-write) after "
                                "'seals='");
                return 0;
        }
        return directive_fail_at(l, i, "expected fd=N, max=SIZE, seals=LIST or optional, found '%s'", opt);
}

static int do_input(const struct line *l) {
        int r = directive_expect_args(l, 1, 5, "an input name");
        if (r < 0)
                return r;
        const char *name = l->words[1].text;
        if (!valid_name(name, false))
                return directive_fail_at(
                        l, 1,
                        "expected an input name of letters, digits, '_', '-', '.' (at most %d), found '%s'",
                        MAX_NAME_LEN, name);
        struct workload *w = l->w;
        for (size_t i = 0; i < w->n_inputs; i++)
                if (!strcmp(w->inputs[i].name, name))
                        return directive_fail_at(l, 1, "input '%s' is already declared", name);
        struct workload_input in = {.fd = -1};
        for (size_t i = 2; i < l->n; i++)
                if ((r = input_option(l, i, &in)) < 0)
                        return r;
        for (size_t i = 0; i < w->n_inputs; i++)
                if (in.fd >= 0 && w->inputs[i].fd == in.fd)
                        return directive_fail_at(l, 2, "fd %d is already taken by input '%s'", in.fd,
                                                 w->inputs[i].name);
        struct workload_input *v = realloc(w->inputs, (w->n_inputs + 1) * sizeof(*v));
        if (!v)
                return -ENOMEM;
        w->inputs = v;
        in.name = strdup(name);
        if (!in.name)
                return -ENOMEM;
        w->inputs[w->n_inputs++] = in;
        return 0;
}

static int do_env(const struct line *l) {
        int r = directive_expect_args(l, 2, 2, "'set NAME=VALUE' or 'keep NAME'");
        if (r < 0)
                return r;
        struct env_op op = {0};
        const char *arg = l->words[2].text;
        if (!strcmp(l->words[1].text, "set")) {
                const char *eq = strchr(arg, '=');
                if (!eq)
                        return directive_fail_at(l, 2, "expected NAME=VALUE");
                op.type = ENV_OP_SET;
                op.name = strndup(arg, (size_t) (eq - arg));
                op.value = strdup(eq + 1);
        } else if (!strcmp(l->words[1].text, "keep")) {
                op.type = ENV_OP_KEEP;
                op.name = strdup(arg);
        } else
                return directive_fail_at(l, 1, "expected 'set' or 'keep', found '%s'", l->words[1].text);
        if (!op.name || (op.type == ENV_OP_SET && !op.value)) {
                env_op_free(&op);
                return -ENOMEM;
        }
        if (!valid_name(op.name, true)) {
                env_op_free(&op);
                return directive_fail_at(l, 2,
                                         "expected an environment variable name (letters, digits, '_')");
        }
        struct env_op *v = realloc(l->w->env, (l->w->n_env + 1) * sizeof(*v));
        if (!v) {
                env_op_free(&op);
                return -ENOMEM;
        }
        l->w->env = v;
        l->w->env[l->w->n_env++] = op;
        return 0;
}

static int do_cwd(const struct line *l) {
        int r = directive_expect_args(l, 1, 1, "a directory");
        if (r < 0)
                return r;
        if (l->words[1].text[0] != '/')
                return directive_fail_at(l, 1, "expected an absolute directory");
        return set_string(l, &l->w->cwd, l->words[1].text);
}

static int parse_limit(const char *s, uint64_t *ret) {
        if (!strcmp(s, "unlimited") || !strcmp(s, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        return size_parse(s, ret);
}

static int do_rlimit(const struct line *l) {
        int r = directive_expect_args(l, 2, 2, "a limit name and a value");
        if (r < 0)
                return r;
        int resource = rlimit_from_name(l->words[1].text);
        if (resource < 0)
                return directive_fail_at(
                        l, 1,
                        "expected a limit name (nofile, as, core, cpu, data, fsize, nproc, stack, "
                        "...), found '%s'",
                        l->words[1].text);
        struct rlimit_setting s = {.resource = resource};
        _cleanup_free_ char *value = strdup(l->words[2].text);
        if (!value)
                return -ENOMEM;
        char *colon = strchr(value, ':');
        if (colon)
                *colon = '\0';
        if (parse_limit(value, &s.soft) < 0 || (colon && parse_limit(colon + 1, &s.hard) < 0))
                return directive_fail_at(
                        l, 2, "expected a number, a size (64K, 1G) or 'unlimited', optionally SOFT:HARD");
        if (!colon)
                s.hard = s.soft;
        if (s.soft > s.hard)
                return directive_fail_at(l, 2, "expected the soft limit to be at most the hard limit");
        for (size_t i = 0; i < l->w->n_rlimits; i++)
                if (l->w->rlimits[i].resource == resource)
                        return directive_fail_at(l, 1, "rlimit %s is already set", l->words[1].text);
        struct rlimit_setting *v = realloc(l->w->rlimits, (l->w->n_rlimits + 1) * sizeof(*v));
        if (!v)
                return -ENOMEM;
        l->w->rlimits = v;
        l->w->rlimits[l->w->n_rlimits++] = s;
        return 0;
}

static int do_capability(const struct line *l) {
        int r = directive_expect_args(l, 2, SIZE_MAX, "'keep' and capability names");
        if (r < 0)
                return r;
        if (strcmp(l->words[1].text, "keep"))
                return directive_fail_at(l, 1, "expected 'keep', found '%s'", l->words[1].text);
        for (size_t i = 2; i < l->n; i++) {
                const char *name = l->words[i].text;
                _cleanup_free_ char *full = NULL;
                if (asprintf(&full, "%s%s", strncmp(name, "cap_", 4) ? "cap_" : "", name) < 0)
                        return -ENOMEM;
                cap_value_t cap;
                if (cap_from_name(full, &cap) < 0 || cap < 0 || cap > 63 ||
                    strspn(name, "0123456789") == strlen(name))
                        return directive_fail_at(
                                l, i, "expected a capability name (like net_raw), found '%s'", name);
                l->w->caps_keep |= UINT64_C(1) << cap;
        }
        return 0;
}

static int do_listen_fds(const struct line *l) {
        int r = directive_expect_args(l, 1, 1, "'yes' or 'no'");
        if (r < 0)
                return r;
        if (strcmp(l->words[1].text, "yes") && strcmp(l->words[1].text, "no"))
                return directive_fail_at(l, 1, "expected 'yes' or 'no', found '%s'", l->words[1].text);
        l->w->listen_fds = !strcmp(l->words[1].text, "yes");
        return 0;
}

static int seccomp_default(const struct line *l) {
        size_t len = 0;
        for (size_t i = 2; i < l->n; i++)
                len += strlen(l->words[i].text) + 1;
        _cleanup_free_ char *text = calloc(1, len + 1);
        if (!text)
                return -ENOMEM;
        for (size_t i = 2; i < l->n; i++) {
                if (i > 2)
                        strcat(text, " ");
                strcat(text, l->words[i].text);
        }
        if (policy_action_parse(text, &l->w->default_action) < 0)
                return directive_fail_at(
                        l, 2,
                        "expected an action (kill-process, kill-thread, trap, log, return ERRNO, "
                        "trace, user-notify, allow), found '%s'",
                        text);
        free(l->w->default_file);
        l->w->default_file = NULL;
        if (l->place->file && !(l->w->default_file = strdup(l->place->file)))
                return -ENOMEM;
        l->w->default_line = l->place->line;
        l->w->default_col = l->words[0].col;
        l->w->default_action_set = true;
        return 0;
}

/* The pin is mandatory: whoever can write the BPF file could otherwise
 * weaken the sandbox without touching the reviewed workload file. */
static int seccomp_compiled(const struct line *l) {
        if (l->n < 4)
                return directive_fail_at(l, l->n,
                                         "expected a BPF file and sha256=HEX after 'seccomp compiled'");
        if (l->n != 4 && (strcmp(l->words[4].text, "from") || l->n != 6))
                return directive_fail_at(l, 4, "expected end of line or 'from POLICY' after sha256=HEX");
        if (l->w->seccomp_compiled)
                return directive_fail_at(l, 1, "'seccomp compiled' is already set to '%s'",
                                         l->w->seccomp_compiled);
        const char *pin = l->words[3].text;
        if (strncmp(pin, "sha256=", 7) || sha256_hex_parse(pin + 7, l->w->seccomp_compiled_sha256) < 0)
                return directive_fail_at(l, 3, "expected sha256= and 64 hex digits (sha256sum FILE)");
        l->w->seccomp_compiled = path_beside(l->place->file, l->words[2].text);
        if (!l->w->seccomp_compiled)
                return -ENOMEM;
        /* Only `sealrun check` reads it: the launch path never recompiles. */
        if (l->n == 6 && !(l->w->seccomp_compiled_from = path_beside(l->place->file, l->words[5].text)))
                return -ENOMEM;
        return 0;
}

/* Whether a launch may reuse the program it compiled before. */
static int seccomp_cache(const struct line *l) {
        if (l->n != 3 || (strcmp(l->words[2].text, "on") && strcmp(l->words[2].text, "off")))
                return directive_fail_at(l, l->n < 3 ? l->n : 2,
                                         "expected 'on' or 'off' after 'seccomp cache'%s",
                                         l->n > 3 ? ", then end of line" : "");
        l->w->seccomp_cache_off = !strcmp(l->words[2].text, "off");
        return 0;
}

static int do_seccomp(const struct line *l) {
        if (l->n >= 2 && !strcmp(l->words[1].text, "compiled"))
                return seccomp_compiled(l);
        if (l->n >= 2 && !strcmp(l->words[1].text, "cache"))
                return seccomp_cache(l);
        int r = directive_expect_args(l, 2, 3, "'default ACTION' or 'include FILE'");
        if (r < 0)
                return r;
        if (!strcmp(l->words[1].text, "default"))
                return seccomp_default(l);
        if (strcmp(l->words[1].text, "include"))
                return directive_fail_at(l, 1,
                                         "expected 'default', 'include', 'compiled' or 'cache', found '%s'",
                                         l->words[1].text);
        if (l->n != 3)
                return directive_fail_at(l, 3, "expected end of line after the policy file");
        char *joined = path_beside(l->place->file, l->words[2].text);
        if (!joined)
                return -ENOMEM;
        struct seccomp_source *v = realloc(l->w->seccomp, (l->w->n_seccomp + 1) * sizeof(*v));
        if (!v) {
                free(joined);
                return -ENOMEM;
        }
        l->w->seccomp = v;
        l->w->seccomp[l->w->n_seccomp++] = (struct seccomp_source){.file = joined};
        return 0;
}

static const struct {
        const char *key;
        int (*apply)(const struct line *l);
} directives[] = {
        {"program", do_program},
        {"exec", do_exec},
        {"argv", do_argv},
        {"input", do_input},
        {"env", do_env},
        {"cwd", do_cwd},
        {"rlimit", do_rlimit},
        {"capability", do_capability},
        {"listen-fds", do_listen_fds},
        {"seccomp", do_seccomp},
        {"landlock", directive_landlock},
        {"user", directive_user},
        {"group", directive_group},
        {"groups", directive_groups},
};

int workload_apply_words(struct workload *w, const struct workload_word *words, size_t n_words,
                         const struct workload_place *place, struct diag *d) {
        struct line l = {.w = w, .words = words, .n = n_words, .place = place, .d = d};
        if (n_words == 0)
                return 0;
        for (size_t i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
                if (!strcmp(words[0].text, directives[i].key))
                        return directives[i].apply(&l);
        return directive_fail_at(
                &l, 0,
                "expected a directive (program, exec, argv, input, env, cwd, rlimit, capability, "
                "listen-fds, seccomp, landlock, user, group, groups, @include, [seccomp]), found '%s'",
                words[0].text);
}
