/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* From the read profile to policy text: decide each syscall as runc's
 * libseccomp filter would, then say it in minijail's language, where one
 * syscall is either allowed under conditions (and otherwise gets one other
 * action) or gets one action outright.
 *
 * libseccomp 2.5.4 (measured with python3-seccomp, see
 * tests/import/docker_differential.py): an unconditional rule overrides
 * every conditional rule of its syscall, and the first unconditional rule
 * added wins; rules of different actions whose conditions overlap are
 * decided by its tree order, which the policy language cannot follow, so
 * such a profile is refused. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arg_width.h"
#include "cleanup.h"
#include "docker_internal.h"

enum plan_kind {
        PLAN_UNCONDITIONAL, /* the first unconditional rule decides every call */
        PLAN_ALLOW_IF,      /* allowed where a rule's condition holds, the default elsewhere */
        PLAN_DENY_IF,       /* a deny-list: the action where a condition holds, allowed elsewhere */
};

struct name_ref {
        const char *name;
        const struct docker_entry *entry;
};

struct plan {
        const char *name;
        enum plan_kind kind;
        const struct docker_entry *decider; /* the unconditional rule, or the first rule */
        const struct name_ref *refs;        /* every rule of the syscall, in profile order */
        size_t n_refs;
};

struct plans {
        struct plan *v;
        size_t n;
        struct name_ref *refs;
};

static int by_name_then_entry(const void *x, const void *y) {
        const struct name_ref *a = x, *b = y;
        int c = strcmp(a->name, b->name);
        return c ? c : a->entry->index < b->entry->index ? -1 : a->entry->index > b->entry->index;
}

static int by_name(const void *key, const void *x) {
        return strcmp(key, ((const struct plan *) x)->name);
}

static bool applies(const struct docker_entry *e) {
        return !e->skipped && !e->is_default;
}

/* ".syscalls[3]" + suffix, into path[64]. */
static const char *entry_path(const struct docker_entry *e, const char *suffix, char path[static 64]) {
        snprintf(path, 64, ".syscalls[%zu]%s", e->index, suffix);
        return path;
}

/* One syscall's rules, refs[0..n) sorted by entry: what libseccomp does. */
static int plan_one(struct docker_profile *p, const struct name_ref *refs, size_t n, struct plan *ret) {
        char a[32], b[32];
        bool deny_list = p->default_action.type == POLICY_ACTION_ALLOW;
        *ret = (struct plan){.name = refs[0].name, .decider = refs[0].entry, .refs = refs, .n_refs = n};
        bool unconditional = false;
        for (size_t i = 0; i < n && !unconditional; i++)
                if ((unconditional = refs[i].entry->unconditional))
                        ret->decider = refs[i].entry;
        const struct docker_entry *d = ret->decider;
        char path[64];
        if (deny_list && d->action.type != POLICY_ACTION_ERRNO)
                return docker_fail(
                        p, entry_path(d, ".action", path),
                        "%s under the default SCMP_ACT_ALLOW: a deny-list policy (@denylist) takes only "
                        "SCMP_ACT_ERRNO rules ('%s')",
                        policy_action_statement_text(d->action, a, sizeof(a)), refs[0].name);
        ret->kind = PLAN_UNCONDITIONAL;
        if (unconditional)
                return 0;
        for (size_t i = 1; i < n; i++)
                if (!policy_action_equal(refs[i].entry->action, d->action))
                        return docker_fail(
                                p, entry_path(refs[i].entry, "", path),
                                "'%s' gets %s here and %s from .syscalls[%zu], both under conditions: "
                                "where both hold, libseccomp decides by its tree order, which a "
                                "policy cannot follow",
                                refs[0].name,
                                policy_action_statement_text(refs[i].entry->action, a, sizeof(a)),
                                policy_action_statement_text(d->action, b, sizeof(b)), d->index);
        if (d->action.type == POLICY_ACTION_ALLOW) {
                ret->kind = PLAN_ALLOW_IF;
                return 0;
        }
        if (deny_list) {
                ret->kind = PLAN_DENY_IF;
                return 0;
        }
        return docker_fail(p, entry_path(d, "", path),
                           "'%s' gets %s under a condition and the default %s otherwise: a policy decides "
                           "under conditions only between allow and one other action",
                           refs[0].name, policy_action_statement_text(d->action, a, sizeof(a)),
                           policy_action_statement_text(p->default_action, b, sizeof(b)));
}

static int make_plans(struct docker_profile *p, struct plans *ret) {
        size_t n = 0, k = 0;
        for (size_t i = 0; i < p->n_entries; i++)
                n += applies(&p->entries[i]) ? p->entries[i].n_names : 0;
        struct name_ref *refs = calloc(n ? n : 1, sizeof(*refs));
        struct plan *plans = calloc(n ? n : 1, sizeof(*plans));
        if (!refs || !plans) {
                free(refs);
                free(plans);
                return -ENOMEM;
        }
        for (size_t i = 0; i < p->n_entries; i++)
                for (size_t j = 0; applies(&p->entries[i]) && j < p->entries[i].n_names; j++)
                        refs[k++] = (struct name_ref){p->entries[i].names[j], &p->entries[i]};
        qsort(refs, n, sizeof(*refs), by_name_then_entry);
        size_t n_plans = 0;
        int r = 0;
        for (size_t i = 0; r >= 0 && i < n;) {
                size_t j = i + 1;
                while (j < n && !strcmp(refs[j].name, refs[i].name))
                        j++;
                r = plan_one(p, refs + i, j - i, &plans[n_plans++]);
                i = j;
        }
        if (r < 0) {
                free(refs);
                free(plans);
                return r;
        }
        *ret = (struct plans){plans, n_plans, refs};
        return 0;
}

/* ---- writing ---- */

/* Where a condition is written: for the argument widths and for errors. */
struct condition_site {
        struct docker_profile *p;
        const struct docker_entry *e;
        const char *name;
};

/* The kernel reads only the low 16 or 32 bits of some arguments, and the
 * policy compares just those (arg_width.c): masks are reduced to them, and a
 * comparison the policy cannot make there is refused. */
static int kernel_view(const struct condition_site *site, struct atom *a) {
        unsigned width = policy_arg_width(site->name, a->arg);
        uint64_t low = policy_width_mask(width);
        struct atom copy = *a;
        char path[64];
        if (width >= 64)
                return 0;
        if (a->op == ATOM_ANY_BITS || a->op == ATOM_IN)
                a->value &= low;
        if ((a->op == ATOM_ANY_BITS && !a->value) ||
            (a->op != ATOM_ANY_BITS && a->op != ATOM_IN && policy_atom_narrow(&copy, width) < 0))
                return docker_fail(
                        site->p, entry_path(site->e, ".args", path),
                        "'%s' argument %u: the kernel reads only its low %u bits, where 0x%llx cannot "
                        "be compared (libseccomp would compare bits the kernel ignores)",
                        site->name, a->arg, width, (unsigned long long) copy.value);
        return 0;
}

static int write_atom(const struct condition_site *site, FILE *out, struct atom a) {
        static const char *const ops[] = {
                [ATOM_EQ] = "==", [ATOM_NE] = "!=", [ATOM_LT] = "<",       [ATOM_LE] = "<=",
                [ATOM_GT] = ">",  [ATOM_GE] = ">=", [ATOM_ANY_BITS] = "&", [ATOM_IN] = "in",
        };
        int r = kernel_view(site, &a);
        if (r < 0)
                return r;
        bool mask = a.op == ATOM_ANY_BITS || a.op == ATOM_IN;
        fprintf(out, mask ? "arg%u %s 0x%llx" : "arg%u %s %llu", a.arg, ops[a.op],
                (unsigned long long) a.value);
        return 0;
}

/* A disjunction of conjunctions; an empty conjunction is true. */
static int write_condition(const struct condition_site *site, FILE *out, const struct clause *alts,
                           size_t n) {
        int r = 0;
        for (size_t i = 0; i < n; i++)
                if (!alts[i].n_atoms) {
                        fputs("1", out);
                        return 0;
                }
        for (size_t i = 0; r >= 0 && i < n; i++)
                for (size_t k = 0; r >= 0 && k < alts[i].n_atoms; k++) {
                        fputs(k ? " && " : i ? " || " : "", out);
                        r = write_atom(site, out, alts[i].atoms[k]);
                }
        return r;
}

static struct atom negated(struct atom a) {
        static const enum atom_op opposite[] = {
                [ATOM_EQ] = ATOM_NE,       [ATOM_NE] = ATOM_EQ,       [ATOM_LT] = ATOM_GE,
                [ATOM_LE] = ATOM_GT,       [ATOM_GT] = ATOM_LE,       [ATOM_GE] = ATOM_LT,
                [ATOM_ANY_BITS] = ATOM_IN, [ATOM_IN] = ATOM_ANY_BITS,
        };
        /* "some bit of m set" is the negation of "no bit outside ~m". */
        bool bits = a.op == ATOM_ANY_BITS || a.op == ATOM_IN;
        return (struct atom){.arg = a.arg, .op = opposite[a.op], .value = bits ? ~a.value : a.value};
}

struct dnf {
        struct clause *v;
        size_t n;
};

static void dnf_free(struct dnf *d) {
        for (size_t i = 0; i < d->n; i++)
                free(d->v[i].atoms);
        free(d->v);
        *d = (struct dnf){};
}

/* d := d AND (NOT a1 OR NOT a2 ...) for the conjunction alt, distributed. */
static int dnf_and_not(struct dnf *d, const struct clause *alt) {
        struct dnf next = {};
        if (d->n * alt->n_atoms > DOCKER_MAX_NEGATED_CLAUSES)
                return -E2BIG;
        if (!(next.v = calloc(d->n * alt->n_atoms + 1, sizeof(*next.v))))
                return -ENOMEM;
        for (size_t i = 0; i < d->n; i++)
                for (size_t k = 0; k < alt->n_atoms; k++) {
                        struct clause *c = &next.v[next.n++];
                        c->n_atoms = d->v[i].n_atoms + 1;
                        if (!(c->atoms = malloc(c->n_atoms * sizeof(*c->atoms)))) {
                                dnf_free(&next);
                                return -ENOMEM;
                        }
                        if (d->v[i].n_atoms) /* the first clause is empty (true), its atoms NULL */
                                memcpy(c->atoms, d->v[i].atoms, d->v[i].n_atoms * sizeof(*c->atoms));
                        c->atoms[d->v[i].n_atoms] = negated(alt->atoms[k]);
                }
        dnf_free(d);
        *d = next;
        return 0;
}

/* A deny-list rule: allowed where no rule's condition holds. */
static int write_deny_if(struct docker_profile *p, FILE *out, const struct plan *pl) {
        struct dnf allowed = {.v = calloc(1, sizeof(struct clause)), .n = 1};
        int r = allowed.v ? 0 : -ENOMEM;
        for (size_t i = 0; r >= 0 && i < pl->n_refs; i++)
                for (size_t k = 0; r >= 0 && k < pl->refs[i].entry->n_alts; k++)
                        r = dnf_and_not(&allowed, &pl->refs[i].entry->alts[k]);
        char a[32], path[64];
        if (r == -E2BIG)
                r = docker_fail(
                        p, entry_path(pl->decider, "", path),
                        "'%s': the deny-list rule allows where none of its conditions hold, which takes "
                        "more than %d '||' clauses",
                        pl->name, DOCKER_MAX_NEGATED_CLAUSES);
        if (r >= 0 && !allowed.n)
                fprintf(out, "%s: %s\n", pl->name,
                        policy_action_statement_text(pl->decider->action, a, sizeof(a)));
        else if (r >= 0) {
                struct condition_site site = {p, pl->decider, pl->name};
                fprintf(out, "%s: ", pl->name);
                r = write_condition(&site, out, allowed.v, allowed.n);
                fprintf(out, "; %s\n", policy_action_statement_text(pl->decider->action, a, sizeof(a)));
        }
        dnf_free(&allowed);
        return r;
}

static void write_comment_text(FILE *out, const char *text) {
        _cleanup_free_ char *copy = strdup(text);
        docker_sanitize(copy);
        fputs(copy ? copy : "?", out);
}

static int write_name(struct docker_profile *p, FILE *out, const struct plans *plans,
                      const struct docker_entry *e, const char *name) {
        const struct plan *pl = bsearch(name, plans->v, plans->n, sizeof(*plans->v), by_name);
        char a[32];
        if (!pl)
                return -EFAULT; /* every applying name has a plan */
        switch (pl->kind) {
        case PLAN_ALLOW_IF: {
                struct condition_site site = {p, e, name};
                fprintf(out, "%s: ", name);
                int r = write_condition(&site, out, e->alts, e->n_alts);
                fputc('\n', out);
                return r;
        }
        case PLAN_UNCONDITIONAL:
                if (pl->decider == e)
                        fprintf(out, "%s: %s\n", name, policy_action_statement_text(e->action, a, sizeof(a)));
                else
                        fprintf(out,
                                "#   %s: .syscalls[%zu] decides (libseccomp: an unconditional rule wins)\n",
                                name, pl->decider->index);
                return 0;
        case PLAN_DENY_IF:
                if (pl->refs[0].entry == e)
                        return write_deny_if(p, out, pl);
                fprintf(out, "#   %s: joined into the rule at .syscalls[%zu]\n", name,
                        pl->refs[0].entry->index);
                return 0;
        }
        return -EFAULT;
}

static void write_entry_comment(FILE *out, const struct docker_entry *e) {
        char a[32];
        fprintf(out, "\n# .syscalls[%zu]: %s", e->index,
                policy_action_statement_text(e->action, a, sizeof(a)));
        if (e->comment) {
                fputs(" -- ", out);
                write_comment_text(out, e->comment);
        }
        fputc('\n', out);
        if (e->skipped) {
                fputs("#   not imported: ", out);
                write_comment_text(out, e->skipped);
                fputc('\n', out);
        } else if (e->is_default)
                fputs("#   not imported: the default action already (runc skips such a rule)\n", out);
        else if (!e->n_names)
                fputs("#   not imported: no syscall of this architecture\n", out);
}

static void write_header(struct docker_profile *p, FILE *out) {
        const struct import_docker_options *o = p->opts;
        char a[32];
        fputs("# Converted by 'sealrun import docker' from ", out);
        write_comment_text(out, o->source_name ? o->source_name : "a Docker seccomp profile");
        fputs(".\n# Capabilities (the bounding set includes/excludes test):", out);
        for (size_t i = 0; i < o->n_caps; i++) {
                fputc(' ', out);
                write_comment_text(out, o->caps[i]);
        }
        fprintf(out, "%s\n# Kernel version for minKernel: %u.%u.%u\n", o->n_caps ? "" : " none", o->kernel[0],
                o->kernel[1], o->kernel[2]);
        if (p->default_action.type == POLICY_ACTION_ALLOW)
                fputs("# defaultAction SCMP_ACT_ALLOW: a deny-list (compile and check it with --denylist).\n"
                      "@denylist\n",
                      out);
        else
                fprintf(out, "@default %s\n", policy_action_statement_text(p->default_action, a, sizeof(a)));
}

int docker_write_policy(struct docker_profile *p, FILE *out) {
        struct plans plans = {};
        if (p->default_action.type == POLICY_ACTION_LOG)
                return docker_fail(
                        p, ".defaultAction",
                        "SCMP_ACT_LOG: a policy file cannot have a permissive default action other than "
                        "a deny-list's SCMP_ACT_ALLOW (use --default-action log when compiling instead)");
        int r = make_plans(p, &plans);
        if (r < 0)
                return r;
        write_header(p, out);
        for (size_t i = 0; r >= 0 && i < p->n_entries; i++) {
                const struct docker_entry *e = &p->entries[i];
                write_entry_comment(out, e);
                for (size_t k = 0; r >= 0 && applies(e) && k < e->n_names; k++)
                        r = write_name(p, out, &plans, e, e->names[k]);
        }
        free(plans.v);
        free(plans.refs);
        return r;
}
