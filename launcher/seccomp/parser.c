/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Recursive-descent parser of minijail's policy language (see
 * sealrun.policy(5)).  Pure: it reads no files itself (includes go through
 * include.c and opts.read_file) and keeps no global state. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arg_width.h"
#include "cleanup.h"
#include "lexer.h"
#include "policy_internal.h"

struct line_parser {
        struct parse_state *s;
        const char *filename;
        const struct source_text *src;
        const struct logical_line *line;
        struct token *toks;
        size_t n_toks, pos;
        unsigned paren_depth; /* parse_constant recurses per '(' */
        int error;            /* first error: -EINVAL once a diagnostic was added */
};

/* Deep enough for any real policy, shallow enough for the stack. */
#define MAX_PAREN_DEPTH 64

/* A token's text into a caller's buffer of at least len+1 bytes. */
static char *token_copy(const char *text, size_t len, char *buf) {
        memcpy(buf, text, len);
        buf[len] = 0;
        return buf;
}

static const struct token *peek(const struct line_parser *lp) {
        return &lp->toks[lp->pos];
}

static bool token_is(const struct token *t, const char *text) {
        return t->type != TOKEN_END && t->len == strlen(text) && !strncmp(t->text, text, t->len);
}

static void locate(const struct line_parser *lp, size_t offset, struct source_location *ret) {
        if (offset > lp->line->len)
                offset = lp->line->len;
        *ret = (struct source_location){
                .file = lp->filename,
                .line = lp->line->lines[offset],
                .col = lp->line->cols[offset],
        };
}

/* Adds a diagnostic at a character of the logical line. */
static int report(struct line_parser *lp, enum diag_severity severity, size_t offset, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static int report(struct line_parser *lp, enum diag_severity severity, size_t offset, const char *fmt, ...) {
        struct source_location at;
        locate(lp, offset, &at);
        _cleanup_free_ char *source = lexer_source_line(lp->src, at.line),
                            *context = policy_include_context(lp->s);
        va_list ap;
        va_start(ap, fmt);
        diag_addv(lp->s->d, severity, lp->filename, at.line, at.col, source, context, fmt, ap);
        va_end(ap);
        if (severity == DIAG_ERROR && !lp->error)
                lp->error = -EINVAL;
        return -EINVAL;
}

static int error_at(struct line_parser *lp, const struct token *t, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static int error_at(struct line_parser *lp, const struct token *t, const char *fmt, ...) {
        char buf[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        return report(lp, DIAG_ERROR, t->offset, "%s", buf);
}

/* For messages: the token's text, or "end of line". */
static const char *describe(const struct token *t, char *buf, size_t size) {
        if (t->type == TOKEN_END)
                return "end of line";
        snprintf(buf, size, "'%.*s'", (int) (t->len > 40 ? 40 : t->len), t->text);
        return buf;
}

static int expected(struct line_parser *lp, const char *what) {
        char buf[64];
        return error_at(lp, peek(lp), "expected %s, got %s", what, describe(peek(lp), buf, sizeof(buf)));
}

/* number = DECIMAL | '0x' HEX | '0' OCTAL   (the magnitude, 64 bits) */
static int parse_number(struct line_parser *lp, const struct token *t, bool negative, uint64_t *ret) {
        unsigned base = 10;
        size_t i = 0;
        if (t->len > 2 && t->text[0] == '0' && (t->text[1] == 'x' || t->text[1] == 'X')) {
                base = 16;
                i = 2;
        } else if (t->len > 1 && t->text[0] == '0')
                base = 8;
        uint64_t v = 0;
        for (; i < t->len; i++) {
                char c = t->text[i];
                unsigned digit = c >= '0' && c <= '9'   ? (unsigned) (c - '0')
                                 : c >= 'a' && c <= 'f' ? (unsigned) (c - 'a' + 10)
                                 : c >= 'A' && c <= 'F' ? (unsigned) (c - 'A' + 10)
                                                        : 99;
                if (digit >= base)
                        return error_at(lp, t, "invalid number '%.*s'", (int) t->len, t->text);
                if (v > (UINT64_MAX - digit) / base)
                        return error_at(lp, t, "unsigned overflow: '%.*s' is larger than 2^64-1",
                                        (int) t->len, t->text);
                v = v * base + digit;
        }
        if (negative) {
                if (v > (UINT64_C(1) << 63))
                        return error_at(lp, t, "signed underflow: '-%.*s' is smaller than -2^63",
                                        (int) t->len, t->text);
                v = -v; /* two's complement in 64 bits: -1 is 0xffffffffffffffff */
        }
        *ret = v;
        return 0;
}

static int parse_value(struct line_parser *lp, uint64_t *ret);

/* single-constant = IDENTIFIER | [ '-' ] number */
static int parse_single_constant(struct line_parser *lp, uint64_t *ret) {
        const struct token *t = peek(lp);
        if (t->type == TOKEN_IDENT) {
                char name[128];
                if (t->len >= sizeof(name) ||
                    policy_constant_lookup(token_copy(t->text, t->len, name), ret) < 0)
                        return error_at(lp, t, "invalid constant '%.*s'", (int) (t->len > 64 ? 64 : t->len),
                                        t->text);
                lp->pos++;
                return 0;
        }
        bool negative = false;
        if (token_is(t, "-")) {
                negative = true;
                lp->pos++;
                t = peek(lp);
        }
        if (t->type != TOKEN_NUMBER)
                return expected(lp, "a number or a named constant");
        lp->pos++;
        return parse_number(lp, t, negative, ret);
}

/* constant = [ '~' ] ( '(' value ')' | single-constant ) */
static int parse_constant(struct line_parser *lp, uint64_t *ret) {
        bool complement = false;
        if (token_is(peek(lp), "~")) {
                complement = true;
                lp->pos++;
                if (token_is(peek(lp), "~"))
                        return error_at(lp, peek(lp), "double complement '~~' is not allowed");
                if (peek(lp)->type == TOKEN_END || token_is(peek(lp), "|") || token_is(peek(lp), ")") ||
                    token_is(peek(lp), "&&") || token_is(peek(lp), "||") || token_is(peek(lp), ";"))
                        return error_at(lp, peek(lp), "empty complement: '~' needs a constant");
        }
        uint64_t v;
        int r;
        if (token_is(peek(lp), "(")) {
                if (lp->paren_depth >= MAX_PAREN_DEPTH)
                        return error_at(lp, peek(lp), "parentheses nested too deep");
                lp->pos++;
                lp->paren_depth++;
                r = parse_value(lp, &v);
                lp->paren_depth--;
                if (r < 0)
                        return r;
                if (!token_is(peek(lp), ")"))
                        return expected(lp, "')'");
                lp->pos++;
        } else if ((r = parse_single_constant(lp, &v)) < 0)
                return r;
        *ret = complement ? ~v : v;
        return 0;
}

/* value = constant { '|' constant } */
static int parse_value(struct line_parser *lp, uint64_t *ret) {
        uint64_t v = 0;
        for (;;) {
                uint64_t c = 0; /* gcc -O2 cannot see parse_constant sets it on success */
                int r = parse_constant(lp, &c);
                if (r < 0)
                        return r;
                v |= c;
                if (!token_is(peek(lp), "|"))
                        break;
                lp->pos++;
        }
        *ret = v;
        return 0;
}

/* atom = 'arg' DIGIT OP value ;  OP = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&' | 'in' */
static int parse_atom(struct line_parser *lp, struct atom *ret) {
        static const struct {
                const char *text;
                enum atom_op op;
        } ops[] = {
                {"==", ATOM_EQ}, {"!=", ATOM_NE}, {"<", ATOM_LT},       {"<=", ATOM_LE},
                {">", ATOM_GT},  {">=", ATOM_GE}, {"&", ATOM_ANY_BITS}, {"in", ATOM_IN},
        };
        const struct token *t = peek(lp);
        if (t->type != TOKEN_IDENT || t->len < 3 || strncmp(t->text, "arg", 3))
                return expected(lp, "an argument 'arg0'..'arg5'");
        if (t->len != 4 || t->text[3] < '0' || t->text[3] >= '0' + POLICY_MAX_ARGS)
                return error_at(lp, t, "invalid argument '%.*s': expected arg0..arg5",
                                (int) (t->len > 32 ? 32 : t->len), t->text);
        unsigned arg = (unsigned) (t->text[3] - '0');
        lp->pos++;
        const struct token *op = peek(lp);
        for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
                if (token_is(op, ops[i].text)) {
                        lp->pos++;
                        uint64_t v;
                        int r = parse_value(lp, &v);
                        if (r < 0)
                                return r;
                        *ret = (struct atom){.arg = arg, .op = ops[i].op, .value = v, .offset = t->offset};
                        return 0;
                }
        char buf[64];
        return error_at(lp, op, "invalid operator %s: expected == != < <= > >= & or in",
                        describe(op, buf, sizeof(buf)));
}

/* clause = atom { '&&' atom } */
static int parse_clause(struct line_parser *lp, struct clause *ret) {
        struct clause c = {};
        for (;;) {
                struct atom *v = realloc(c.atoms, (c.n_atoms + 1) * sizeof(*v));
                if (!v) {
                        free(c.atoms);
                        return -ENOMEM;
                }
                c.atoms = v;
                int r = parse_atom(lp, &c.atoms[c.n_atoms]);
                if (r < 0) {
                        free(c.atoms);
                        return r;
                }
                c.n_atoms++;
                if (!token_is(peek(lp), "&&"))
                        break;
                lp->pos++;
        }
        *ret = c;
        return 0;
}

/* argument-expression = clause { '||' clause } */
static int parse_expression(struct line_parser *lp, struct rule *rule) {
        for (;;) {
                struct clause *v = realloc(rule->clauses, (rule->n_clauses + 1) * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                rule->clauses = v;
                int r = parse_clause(lp, &rule->clauses[rule->n_clauses]);
                if (r < 0)
                        return r;
                rule->n_clauses++;
                if (!token_is(peek(lp), "||"))
                        return 0;
                lp->pos++;
        }
}

/* action = '1' | 'allow' | 'kill' | 'kill-process' | 'kill-thread' | 'trap'
 *        | 'trace' | 'log' | 'user-notify' | 'return' ( ERRNO-NAME | number ) */
static int parse_action(struct line_parser *lp, struct policy_action *ret) {
        const struct token *t = peek(lp);
        char word[32], arg[64];
        if ((t->type != TOKEN_IDENT && t->type != TOKEN_NUMBER) || t->len >= sizeof(word))
                return expected(lp, "an action (allow, return ERRNO, kill, trap, log, ...)");
        token_copy(t->text, t->len, word);
        if (!strcmp(word, "return")) {
                lp->pos++;
                const struct token *e = peek(lp);
                if (e->type != TOKEN_IDENT && e->type != TOKEN_NUMBER)
                        return expected(lp, "an errno name or number after 'return'");
                if (e->len >= sizeof(arg) ||
                    policy_action_from_words("return", token_copy(e->text, e->len, arg), ret) < 0)
                        return error_at(lp, e, "invalid errno value '%.*s'",
                                        (int) (e->len > 32 ? 32 : e->len), e->text);
                lp->pos++;
                return 0;
        }
        if (policy_action_from_words(word, NULL, ret) < 0)
                return error_at(lp, t, "invalid action '%s'", word);
        lp->pos++;
        return 0;
}

static bool starts_expression(const struct token *t) {
        return t->type == TOKEN_IDENT && t->len >= 3 && !strncmp(t->text, "arg", 3);
}

/* single-filter = action | argument-expression [ ';' action ] */
static int parse_single_filter(struct line_parser *lp, struct rule *rule) {
        locate(lp, peek(lp)->offset, &rule->where);
        if (peek(lp)->type == TOKEN_END)
                return expected(lp, "a filter (an action or an argument expression)");
        if (!starts_expression(peek(lp))) {
                int r = parse_action(lp, &rule->action);
                return r;
        }
        rule->action = (struct policy_action){.type = POLICY_ACTION_ALLOW};
        int r = parse_expression(lp, rule);
        if (r < 0)
                return r;
        if (!token_is(peek(lp), ";"))
                return 0;
        lp->pos++;
        rule->has_else = true;
        return parse_action(lp, &rule->else_action);
}

struct descriptor {
        const struct token *name;
        bool skip; /* metadata says another arch */
};

/* metadata = '[' 'arch' '=' ARCH { ',' ARCH } ']' */
static int parse_metadata(struct line_parser *lp, bool *ret_skip) {
        lp->pos++; /* '[' */
        if (!token_is(peek(lp), "arch"))
                return expected(lp, "'arch' in syscall metadata");
        lp->pos++;
        if (!token_is(peek(lp), "="))
                return expected(lp, "'=' after 'arch'");
        lp->pos++;
        bool match = false;
        for (;;) {
                const struct token *a = peek(lp);
                char name[32];
                if (a->type != TOKEN_IDENT || a->len >= sizeof(name))
                        return expected(lp, "an architecture name");
                uint32_t arch = seccomp_arch_resolve_name(token_copy(a->text, a->len, name));
                if (arch == 0)
                        return error_at(lp, a, "unknown architecture '%s'", name);
                match = match || arch == lp->s->p->arch;
                lp->pos++;
                if (!token_is(peek(lp), ","))
                        break;
                lp->pos++;
        }
        if (!token_is(peek(lp), "]"))
                return expected(lp, "']'");
        lp->pos++;
        *ret_skip = !match;
        return 0;
}

/* syscall-name = IDENTIFIER [ metadata ] */
static int parse_syscall_name(struct line_parser *lp, struct descriptor *ret) {
        const struct token *t = peek(lp);
        if (t->type != TOKEN_IDENT)
                return expected(lp, "a syscall name");
        lp->pos++;
        *ret = (struct descriptor){.name = t};
        if (token_is(peek(lp), "@"))
                return error_at(lp, peek(lp), "syscall groups ('name@group') are not supported");
        if (token_is(peek(lp), "["))
                return parse_metadata(lp, &ret->skip);
        return 0;
}

/* syscall-descriptor = syscall-name | '{' syscall-name { ',' syscall-name } '}' */
static int parse_descriptor(struct line_parser *lp, struct descriptor **ret, size_t *ret_n) {
        bool braced = token_is(peek(lp), "{");
        struct descriptor *v = NULL;
        size_t n = 0;
        int r;
        if (braced)
                lp->pos++;
        for (;;) {
                struct descriptor *t = realloc(v, (n + 1) * sizeof(*t));
                if (!t) {
                        r = -ENOMEM;
                        goto fail;
                }
                v = t;
                if ((r = parse_syscall_name(lp, &v[n])) < 0)
                        goto fail;
                n++;
                if (!braced || !token_is(peek(lp), ","))
                        break;
                lp->pos++;
        }
        if (braced) {
                if (!token_is(peek(lp), "}")) {
                        r = expected(lp, "'}' or ','");
                        goto fail;
                }
                lp->pos++;
        }
        *ret = v;
        *ret_n = n;
        return 0;
fail:
        free(v);
        return r;
}

static int copy_rule(const struct rule *from, struct rule *ret) {
        *ret = *from;
        ret->clauses = calloc(from->n_clauses ? from->n_clauses : 1, sizeof(struct clause));
        if (!ret->clauses)
                return -ENOMEM;
        for (size_t i = 0; i < from->n_clauses; i++) {
                ret->clauses[i].atoms = malloc(from->clauses[i].n_atoms * sizeof(struct atom));
                if (!ret->clauses[i].atoms) {
                        ret->n_clauses = i;
                        policy_rule_free_clauses(ret);
                        return -ENOMEM;
                }
                memcpy(ret->clauses[i].atoms, from->clauses[i].atoms,
                       from->clauses[i].n_atoms * sizeof(struct atom));
                ret->clauses[i].n_atoms = from->clauses[i].n_atoms;
        }
        return 0;
}

/* Each atom compares the bits of its argument that this syscall's kernel
 * code reads (arg_width.c); a constant that does not fit them is an error
 * at the constant, not a filter that some call could walk around. */
static int narrow_atoms(struct line_parser *lp, const char *syscall, struct rule *rule) {
        int r = 0;
        for (size_t c = 0; c < rule->n_clauses; c++)
                for (size_t i = 0; i < rule->clauses[c].n_atoms; i++) {
                        struct atom *a = &rule->clauses[c].atoms[i];
                        unsigned width = policy_arg_width(syscall, a->arg);
                        uint64_t value = a->value;
                        a->width = 64;
                        if (policy_atom_narrow(a, width) == 0)
                                continue;
                        r = report(lp, DIAG_ERROR, a->offset,
                                   "arg%u of %s is %u bits wide and the kernel ignores the bits above: "
                                   "%#" PRIx64 " does not fit",
                                   a->arg, syscall, width, value);
                }
        return r;
}

/* A parsed single filter becomes one rule per syscall of the descriptor. */
static int add_rule_for_all(struct line_parser *lp, const struct descriptor *desc, size_t n_desc,
                            struct rule *rule) {
        struct syscall_policy *p = lp->s->p;
        _cleanup_free_ char *context = policy_include_context(lp->s);
        rule->where.file = lp->filename; /* pooled by the caller of policy_parse_buffer() */
        rule->where.source_line = policy_pool_take(p, lexer_source_line(lp->src, rule->where.line));
        rule->where.context = policy_pool_strdup(p, context);

        if (p->saw_denylist || p->opts.denylist) {
                bool ok = rule->has_else ? rule->else_action.type == POLICY_ACTION_ERRNO
                                         : rule->n_clauses == 0 && rule->action.type == POLICY_ACTION_ERRNO;
                if (!ok)
                        return report(lp, DIAG_ERROR, lp->toks[0].offset,
                                      "in a deny-list (@denylist) every rule must end in 'return ERRNO'");
        }
        for (size_t i = 0; i < n_desc; i++) {
                char name[128];
                if (desc[i].skip)
                        continue;
                if (desc[i].name->len >= sizeof(name)) {
                        report(lp, DIAG_ERROR, desc[i].name->offset, "nonexistent syscall (name too long)");
                        continue;
                }
                token_copy(desc[i].name->text, desc[i].name->len, name);
                int nr;
                if (policy_syscall_resolve(p->arch, name, &nr) < 0) {
                        if (p->opts.skip_unknown_syscalls)
                                report(lp, DIAG_WARNING, desc[i].name->offset,
                                       "skipping nonexistent syscall '%s' on this architecture", name);
                        else
                                report(lp, DIAG_ERROR, desc[i].name->offset, "nonexistent syscall '%s'",
                                       name);
                        continue;
                }
                struct rule copy;
                int r = copy_rule(rule, &copy);
                if (r < 0)
                        return r;
                if (narrow_atoms(lp, name, &copy) < 0) {
                        policy_rule_free_clauses(&copy);
                        lp->error = -EINVAL;
                        continue;
                }
                r = policy_add_rule(p, name, nr, &copy, lp->s->d);
                if (r == -EINVAL)
                        lp->error = r;
                else if (r < 0)
                        return r;
        }
        return 0;
}

/* statement = syscall-descriptor ':' filter ;
 * filter    = '{' single-filter { ',' single-filter } '}' | single-filter */
static int parse_statement(struct line_parser *lp) {
        _cleanup_free_ struct descriptor *desc = NULL;
        size_t n_desc = 0;
        int r = parse_descriptor(lp, &desc, &n_desc);
        if (r < 0)
                return r;
        if (!token_is(peek(lp), ":")) {
                if (peek(lp)->type == TOKEN_END)
                        return error_at(lp, peek(lp), "malformed policy line, missing ':'");
                return expected(lp, "':' after the syscall name");
        }
        lp->pos++;
        bool braced = token_is(peek(lp), "{");
        if (braced)
                lp->pos++;
        for (;;) {
                struct rule rule = {};
                r = parse_single_filter(lp, &rule);
                if (r >= 0)
                        r = add_rule_for_all(lp, desc, n_desc, &rule);
                policy_rule_free_clauses(&rule);
                if (r < 0)
                        return r;
                if (!braced || !token_is(peek(lp), ","))
                        break;
                lp->pos++;
        }
        if (braced) {
                if (!token_is(peek(lp), "}"))
                        return expected(lp, "'}' or ','");
                lp->pos++;
        }
        if (peek(lp)->type != TOKEN_END) {
                char buf[64];
                return error_at(lp, peek(lp), "extra token %s after the filter",
                                describe(peek(lp), buf, sizeof(buf)));
        }
        return 0;
}

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* path = ( '/' | './' ) CHARACTERS-BUT-BLANK-OR-COLON
 * The text after the directive word; *ret_offset where it starts. */
static int directive_path(struct line_parser *lp, const char *directive, size_t from, size_t *ret_start,
                          size_t *ret_len) {
        const char *text = lp->line->text;
        size_t i = from;
        while (i < lp->line->len && is_blank(text[i]))
                i++;
        if (i >= lp->line->len)
                return report(lp, DIAG_ERROR, i, "%s needs a path", directive);
        size_t start = i;
        while (i < lp->line->len && !is_blank(text[i]) && text[i] != ':')
                i++;
        if (i < lp->line->len && text[i] == ':')
                return report(lp, DIAG_ERROR, i, "invalid %s path: ':' is not allowed in a path", directive);
        size_t end = i;
        while (i < lp->line->len && is_blank(text[i]))
                i++;
        if (i < lp->line->len)
                return report(lp, DIAG_ERROR, i, "unexpected text after the %s path", directive);
        *ret_start = start;
        *ret_len = end - start;
        return 0;
}

/* include = '@include' BLANK path */
static int parse_include(struct line_parser *lp, size_t from) {
        size_t start, len;
        int r = directive_path(lp, "@include", from, &start, &len);
        if (r < 0)
                return r;
        _cleanup_free_ char *path = strndup(lp->line->text + start, len);
        if (!path)
                return -ENOMEM;
        struct source_location at;
        locate(lp, start, &at);
        _cleanup_free_ char *source = lexer_source_line(lp->src, at.line);
        at.source_line = source;
        lp->s->frames[lp->s->depth].include_line = at.line;
        r = policy_include_file(lp->s, path, &at);
        if (r == -EINVAL)
                lp->error = r;
        return r == -ENOMEM ? r : 0;
}

/* frequency = '@frequency' BLANK path: a hint for ordering the BPF that
 * libseccomp's own tree makes moot, so it is checked and ignored. */
static int parse_frequency(struct line_parser *lp, size_t from) {
        size_t start, len;
        int r = directive_path(lp, "@frequency", from, &start, &len);
        if (r < 0)
                return r;
        report(lp, DIAG_WARNING, start, "ignored @frequency statement (libseccomp orders the filter itself)");
        return 0;
}

/* The action of '@default' or '@unknown-syscalls' (tokens: '@' word action
 * END): not a permissive one, in a policy file. */
static int directive_action(struct line_parser *lp, const char *directive, struct policy_action *ret,
                            size_t *ret_at) {
        lp->pos = 2;
        size_t at = peek(lp)->offset;
        int r = parse_action(lp, ret);
        if (r < 0)
                return r;
        if (peek(lp)->type != TOKEN_END) {
                char what[64];
                snprintf(what, sizeof(what), "end of line after the %s action", directive);
                return expected(lp, what);
        }
        if (policy_action_is_permissive(*ret))
                return report(lp, DIAG_ERROR, at, "permissive %s action is not allowed in a policy file",
                              directive);
        *ret_at = at;
        return 0;
}

/* Records a directive's action once: the same action again is fine,
 * another one is a conflict naming where the first was set. */
static int set_directive_action(struct line_parser *lp, const char *directive, bool *has,
                                struct policy_action *action, struct source_location *where) {
        struct policy_action a;
        size_t at = 0;
        int r = directive_action(lp, directive, &a, &at);
        if (r < 0)
                return r;
        if (*has && !policy_action_equal(*action, a))
                return report(lp, DIAG_ERROR, at, "conflicting %s: %s:%u already set another %saction",
                              directive, where->file, where->line,
                              strcmp(directive, "@default") ? "" : "default ");
        *has = true;
        *action = a;
        locate(lp, at, where);
        where->file = lp->filename;
        return 0;
}

/* default = '@default' BLANK action */
static int parse_default(struct line_parser *lp) {
        struct syscall_policy *p = lp->s->p;
        return set_directive_action(lp, "@default", &p->has_default, &p->file_default, &p->default_where);
}

/* unknown = '@unknown-syscalls' BLANK action: for clone3 when no rule
 * names it and for numbers the syscall tables do not name
 * (unknown_syscalls.c); sealrun's own, minijail has no such directive. */
static int parse_unknown_syscalls(struct line_parser *lp) {
        struct syscall_policy *p = lp->s->p;
        return set_directive_action(lp, "@unknown-syscalls", &p->has_unknown, &p->unknown_action,
                                    &p->unknown_where);
}

static int tokenize(struct line_parser *lp) {
        size_t bad = 0;
        int n = lexer_tokenize(lp->line, &lp->toks, &bad);
        if (n == -EINVAL) {
                char c = lp->line->text[bad];
                return report(lp, DIAG_ERROR, bad, "invalid character '%c'", c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (n < 0)
                return n;
        lp->n_toks = (size_t) n;
        return 0;
}

/* directive = include | frequency | default | unknown | '@denylist' */
static int parse_directive(struct line_parser *lp, size_t at) {
        const char *text = lp->line->text;
        size_t i = at + 1;
        while (i < lp->line->len && text[i] != 0 && !is_blank(text[i]))
                i++;
        size_t word_len = i - at - 1;
        const char *word = text + at + 1;
#define IS(w) (word_len == strlen(w) && !strncmp(word, w, word_len))
        if (IS("include"))
                return parse_include(lp, i);
        if (IS("frequency"))
                return parse_frequency(lp, i);
        if (IS("default")) {
                int r = tokenize(lp);
                return r < 0 ? r : parse_default(lp);
        }
        if (IS("unknown-syscalls")) {
                int r = tokenize(lp);
                return r < 0 ? r : parse_unknown_syscalls(lp);
        }
        if (IS("denylist")) {
                int r = tokenize(lp);
                if (r < 0)
                        return r;
                if (lp->n_toks != 3)
                        return error_at(lp, &lp->toks[2], "unexpected text after @denylist");
                if (!lp->s->p->opts.denylist)
                        return report(lp, DIAG_ERROR, at,
                                      "this policy is a deny-list (@denylist) but is loaded as an allow-list "
                                      "(use --denylist)");
                lp->s->p->saw_denylist = true;
                return 0;
        }
#undef IS
        return report(lp, DIAG_ERROR, at, "unknown directive '@%.*s'", (int) (word_len > 32 ? 32 : word_len),
                      word);
}

static int parse_line(struct parse_state *s, const char *filename, const struct source_text *src,
                      const struct logical_line *line) {
        struct line_parser lp = {
                .s = s,
                .filename = filename,
                .src = src,
                .line = line,
        };
        size_t first = 0;
        while (first < line->len && is_blank(line->text[first]))
                first++;
        int r;
        if (first == line->len)
                return 0; /* blank or comment */
        if (line->text[first] == '@')
                /* Paths are raw text, not tokens. */
                r = parse_directive(&lp, first);
        else {
                r = tokenize(&lp);
                if (r >= 0)
                        r = parse_statement(&lp);
        }
        free(lp.toks);
        if (r == -ENOMEM)
                return r;
        return r < 0 ? r : lp.error;
}

int policy_parse_buffer(struct parse_state *s, const char *filename, unsigned first_line, const char *text,
                        size_t len) {
        struct source_text src = {.text = text, .len = len, .first_line = first_line};
        size_t pos = 0;
        unsigned line_no = first_line;
        int result = lexer_source_index(&src);
        while (result != -ENOMEM) {
                struct logical_line line;
                int r = lexer_next_line(&src, &pos, &line_no, &line);
                if (r <= 0) {
                        if (r < 0)
                                result = r;
                        break;
                }
                r = parse_line(s, filename, &src, &line);
                lexer_line_free(&line);
                if (r < 0)
                        result = r;
        }
        lexer_source_done(&src);
        return result;
}
