/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy object: rules per syscall, merged in file order across
 * includes, and the reference meaning of a policy (syscall_policy_decide). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "arg_width.h"
#include "cleanup.h"
#include "file_type.h"
#include "policy_internal.h"
#include "strv.h"
#include "unknown_syscalls.h"

const char *policy_pool_take(struct syscall_policy *p, char *s) {
        if (!s)
                return NULL;
        if (ARRAY_GROW(p->pool, p->pool_allocated, p->n_pool + 1) < 0) {
                free(s);
                return NULL;
        }
        p->pool[p->n_pool++] = s;
        return s;
}

const char *policy_pool_strdup(struct syscall_policy *p, const char *s) {
        return s ? policy_pool_take(p, strdup(s)) : NULL;
}

void policy_rule_free_clauses(struct rule *rule) {
        for (size_t i = 0; i < rule->n_clauses; i++)
                free(rule->clauses[i].atoms);
        free(rule->clauses);
        rule->clauses = NULL;
        rule->n_clauses = 0;
}

int syscall_policy_new(const struct syscall_policy_options *opts, struct syscall_policy **ret) {
        struct syscall_policy *p = calloc(1, sizeof(*p));
        if (!p)
                return -ENOMEM;
        if (opts)
                p->opts = *opts;
        p->arch = p->opts.arch ? p->opts.arch : seccomp_arch_native();
        if (p->opts.n_include_prefixes) {
                p->prefixes = calloc(p->opts.n_include_prefixes, sizeof(*p->prefixes));
                if (!p->prefixes) {
                        free(p);
                        return -ENOMEM;
                }
                for (size_t i = 0; i < p->opts.n_include_prefixes; i++) {
                        p->prefixes[i].prefix = policy_pool_strdup(p, opts->include_prefixes[i].prefix);
                        p->prefixes[i].dir = policy_pool_strdup(p, opts->include_prefixes[i].dir);
                        if (!p->prefixes[i].prefix || !p->prefixes[i].dir) {
                                syscall_policy_free(p);
                                return -ENOMEM;
                        }
                }
        }
        p->opts.include_prefixes = p->prefixes;
        *ret = p;
        return 0;
}

void syscall_policy_free(struct syscall_policy *p) {
        if (!p)
                return;
        for (size_t i = 0; i < p->n_syscalls; i++) {
                for (size_t k = 0; k < p->syscalls[i].n_rules; k++)
                        policy_rule_free_clauses(&p->syscalls[i].rules[k]);
                free(p->syscalls[i].rules);
                free(p->syscalls[i].name);
        }
        free(p->syscalls);
        strv_free(p->pool, p->n_pool);
        free(p->by_nr);
        free(p->prefixes);
        free(p);
}

/* Syscall numbers below this are found through p->by_nr; others (only
 * ever seen in tests) by a scan. */
#define POLICY_BY_NR_LIMIT 4096

static struct syscall_rules *find_syscall(const struct syscall_policy *p, int nr) {
        if (nr >= 0 && nr < POLICY_BY_NR_LIMIT)
                return (size_t) nr < p->n_by_nr && p->by_nr[nr] ? &p->syscalls[p->by_nr[nr] - 1] : NULL;
        for (size_t i = 0; i < p->n_syscalls; i++)
                if (p->syscalls[i].nr == nr)
                        return &p->syscalls[i];
        return NULL;
}

/* Records that syscalls[n_syscalls] is nr's. */
static int index_syscall(struct syscall_policy *p, int nr) {
        if (nr < 0 || nr >= POLICY_BY_NR_LIMIT)
                return 0;
        if ((size_t) nr >= p->n_by_nr) {
                size_t n = nr < 512 ? 512 : POLICY_BY_NR_LIMIT;
                size_t *v = realloc(p->by_nr, n * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                memset(v + p->n_by_nr, 0, (n - p->n_by_nr) * sizeof(*v));
                p->by_nr = v;
                p->n_by_nr = n;
        }
        p->by_nr[nr] = p->n_syscalls + 1;
        return 0;
}

static bool rule_is_decisive(const struct rule *r) {
        return r->n_clauses == 0 || r->has_else;
}

/* Whether every action `later` can give is one `earlier` gives anyway. */
static bool outcomes_covered(const struct rule *earlier, const struct rule *later) {
        bool ok = policy_action_equal(later->action, earlier->action) ||
                  (earlier->has_else && policy_action_equal(later->action, earlier->else_action));
        if (later->has_else)
                ok = ok &&
                     (policy_action_equal(later->else_action, earlier->action) ||
                      (earlier->has_else && policy_action_equal(later->else_action, earlier->else_action)));
        return ok;
}

int policy_add_rule(struct syscall_policy *p, const char *name, int nr, struct rule *rule, struct diag *d) {
        struct syscall_rules *s = find_syscall(p, nr);
        if (!s) {
                struct syscall_rules *v = realloc(p->syscalls, (p->n_syscalls + 1) * sizeof(*v));
                if (!v)
                        goto oom;
                p->syscalls = v;
                s = &p->syscalls[p->n_syscalls];
                *s = (struct syscall_rules){.name = strdup(name), .nr = nr, .decisive = SIZE_MAX};
                if (!s->name || index_syscall(p, nr) < 0) {
                        free(s->name);
                        goto oom;
                }
                p->n_syscalls++;
        }
        if (s->decisive != SIZE_MAX) {
                /* The earlier rule decides every call: this one can never apply. */
                const struct rule *e = &s->rules[s->decisive];
                bool covered = outcomes_covered(e, rule);
                diag_add(d, covered ? DIAG_WARNING : DIAG_ERROR, rule->where.file, rule->where.line,
                         rule->where.col, rule->where.source_line, rule->where.context,
                         covered ? "syscall '%s' already has a rule that decides every call (%s:%u); this "
                                   "rule never applies"
                                 : "syscall '%s' already has a rule that decides every call (%s:%u); this "
                                   "rule asks for a "
                                   "different action and would never apply",
                         name, e->where.file, e->where.line);
                policy_rule_free_clauses(rule);
                return covered ? 0 : -EINVAL;
        }
        struct rule *v = realloc(s->rules, (s->n_rules + 1) * sizeof(*v));
        if (!v)
                goto oom;
        s->rules = v;
        s->rules[s->n_rules] = *rule;
        if (rule_is_decisive(rule))
                s->decisive = s->n_rules;
        s->n_rules++;
        return 0;
oom:
        policy_rule_free_clauses(rule);
        return -ENOMEM;
}

static int parse_top(struct syscall_policy *p, const char *filename, unsigned first_line, const char *text,
                     size_t len, struct diag *d) {
        const char *pooled = policy_pool_strdup(p, filename);
        if (!pooled)
                return -ENOMEM;
        struct parse_state s = {.p = p, .d = d};
        s.frames[0].path = pooled;
        size_t errors_before = d->n_errors;
        int r = policy_parse_buffer(&s, pooled, first_line ? first_line : 1, text, len);
        if (r == -ENOMEM)
                return r;
        if (p->opts.denylist && !p->saw_denylist) {
                diag_add(d, DIAG_ERROR, pooled, 0, 0, NULL, NULL,
                         "the policy is not a deny-list (no @denylist) but is loaded as one (--denylist)");
                r = -EINVAL;
        }
        if (d->n_errors > errors_before)
                r = -EINVAL;
        return r;
}

int syscall_policy_parse_text(struct syscall_policy *p, const char *filename, unsigned first_line,
                              const char *text, size_t len, struct diag *d) {
        return parse_top(p, filename, first_line, text, len, d);
}

int syscall_policy_parse_file(struct syscall_policy *p, const char *path, struct diag *d) {
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        int r = policy_include_read(p, path, &text, &len);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                diag_add(d, DIAG_ERROR, path, 0, 0, NULL, NULL, "cannot read policy: %s",
                         file_read_error_words(path, r));
                return -EINVAL;
        }
        return parse_top(p, path, 1, text, len, d);
}

bool syscall_policy_own_default(const struct syscall_policy *p, struct policy_action *ret_action,
                                const char **ret_file, unsigned *ret_line) {
        if (!p->has_default)
                return false;
        *ret_action = p->file_default;
        *ret_file = p->default_where.file;
        *ret_line = p->default_where.line;
        return true;
}

struct policy_action syscall_policy_default_action(const struct syscall_policy *p) {
        if (p->has_default)
                return p->file_default;
        if (p->opts.default_action_set)
                return p->opts.default_action;
        if (p->opts.denylist)
                return (struct policy_action){.type = POLICY_ACTION_ALLOW};
        return (struct policy_action){.type = POLICY_ACTION_KILL_PROCESS};
}

size_t syscall_policy_syscall_count(const struct syscall_policy *p) {
        return p->n_syscalls;
}

size_t syscall_policy_rule_count(const struct syscall_policy *p) {
        size_t n = 0;
        for (size_t i = 0; i < p->n_syscalls; i++)
                n += p->syscalls[i].n_rules;
        return n;
}

bool syscall_policy_may_allow(const struct syscall_policy *p, const char *syscall_name) {
        int nr;
        if (policy_syscall_resolve(p->arch, syscall_name, &nr) < 0)
                return false;
        const struct syscall_rules *s = find_syscall(p, nr);
        bool permissive_default = policy_action_is_permissive(syscall_policy_default_action(p));
        if (!s)
                return permissive_default;
        for (size_t i = 0; i < s->n_rules; i++) {
                const struct rule *r = &s->rules[i];
                if (policy_action_is_permissive(r->action) ||
                    (r->has_else && policy_action_is_permissive(r->else_action)))
                        return true;
        }
        return s->decisive == SIZE_MAX && permissive_default;
}

static bool atom_holds(const struct atom *a, const uint64_t args[6]) {
        /* what the kernel reads of the argument (arg_width.c) */
        uint64_t x = args[a->arg] & policy_width_mask(a->width ? a->width : 64);
        switch (a->op) {
        case ATOM_EQ:
                return x == a->value;
        case ATOM_NE:
                return x != a->value;
        case ATOM_LT:
                return x < a->value;
        case ATOM_LE:
                return x <= a->value;
        case ATOM_GT:
                return x > a->value;
        case ATOM_GE:
                return x >= a->value;
        case ATOM_ANY_BITS:
                return (x & a->value) != 0;
        case ATOM_IN:
                return (x & ~a->value) == 0;
        }
        return false;
}

bool policy_rule_holds(const struct rule *r, const uint64_t args[6]) {
        if (r->n_clauses == 0)
                return true;
        for (size_t c = 0; c < r->n_clauses; c++) {
                bool all = true;
                for (size_t a = 0; a < r->clauses[c].n_atoms && all; a++)
                        all = atom_holds(&r->clauses[c].atoms[a], args);
                if (all)
                        return true;
        }
        return false;
}

bool policy_has_rules_for(const struct syscall_policy *p, int nr) {
        return find_syscall(p, nr) != NULL;
}

struct policy_action syscall_policy_decide(const struct syscall_policy *p, int nr, const uint64_t args[6]) {
        struct policy_decision d;
        syscall_policy_explain(p, nr, args, &d);
        return d.action;
}

void syscall_policy_explain(const struct syscall_policy *p, int nr, const uint64_t args[6],
                            struct policy_decision *ret) {
        const struct syscall_rules *s = find_syscall(p, nr);
        *ret = (struct policy_decision){.syscall_has_rules = s && s->n_rules > 0};
        for (size_t i = 0; s && i < s->n_rules; i++) {
                const struct rule *r = &s->rules[i];
                if (policy_rule_holds(r, args) || r->has_else) {
                        ret->action = policy_rule_holds(r, args) ? r->action : r->else_action;
                        ret->file = r->where.file;
                        ret->line = r->where.line;
                        ret->source_line = r->where.source_line;
                        return;
                }
        }
        if (!s && policy_unknown_decides(p, nr)) {
                ret->action = p->unknown_action; /* the @unknown-syscalls line decides */
                ret->file = p->unknown_where.file;
                ret->line = p->unknown_where.line;
                ret->source_line = p->unknown_where.source_line;
                return;
        }
        ret->action = syscall_policy_default_action(p);
        if (p->has_default) {
                ret->file = p->default_where.file;
                ret->line = p->default_where.line;
                ret->source_line = p->default_where.source_line;
        }
        ret->is_default = true;
}
