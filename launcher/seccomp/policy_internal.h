/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal data of the policy compiler, shared by its files (never installed). */
#ifndef SEALRUN_POLICY_INTERNAL_H
#define SEALRUN_POLICY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "constants.h"
#include "syscall_policy_libseccomp.h"

#define POLICY_MAX_ARGS 6
#define POLICY_INCLUDE_DEPTH_LIMIT 8

enum atom_op {
        ATOM_EQ,
        ATOM_NE,
        ATOM_LT,
        ATOM_LE,
        ATOM_GT,
        ATOM_GE,
        ATOM_ANY_BITS, /* `&`: arg & value != 0 */
        ATOM_IN,       /* `in`: arg & ~value == 0 */
};

struct atom {
        unsigned arg;
        enum atom_op op;
        uint64_t value;
        /* The bits of the argument the kernel reads (arg_width.c): 64, or
         * 32/16 with value reduced to them; 0 until the syscall is known. */
        uint8_t width;
        size_t offset; /* in the logical line, for diagnostics */
};

/* A conjunction of atoms. */
struct clause {
        struct atom *atoms;
        size_t n_atoms;
};

/* Where a rule came from, for diagnostics at merge and compile time. */
struct source_location {
        const char *file; /* owned by the policy's string pool */
        unsigned line, col;
        const char *source_line; /* pool */
        const char *context;     /* pool, may be NULL */
};

/* One `name: filter` for one syscall.  n_clauses == 0 means the rule always
 * applies.  When the condition holds the result is `action`; when it does not
 * and has_else, the result is else_action (`EXPR; return E`), otherwise the
 * next rule decides. */
struct rule {
        struct clause *clauses;
        size_t n_clauses;
        struct policy_action action;
        bool has_else;
        struct policy_action else_action;
        struct source_location where;
};

struct syscall_rules {
        char *name;
        int nr;
        struct rule *rules;
        size_t n_rules;
        /* The first rule that decides every call (unconditional or with an
         * else action), or SIZE_MAX. */
        size_t decisive;
};

struct syscall_policy {
        struct syscall_policy_options opts;
        struct include_prefix *prefixes; /* deep copy of opts' */
        uint32_t arch;
        struct syscall_rules *syscalls;
        size_t n_syscalls;
        bool has_default;
        struct policy_action file_default;
        struct source_location default_where;
        /* @unknown-syscalls: what a syscall sealrun's tables do not name,
         * and clone3 when no rule names it, get instead of the default
         * (unknown_syscalls.c). */
        bool has_unknown;
        struct policy_action unknown_action;
        struct source_location unknown_where;
        bool saw_denylist;
        /* Every string a source_location points at. */
        char **pool;
        size_t n_pool, pool_allocated;
        /* syscalls[] position + 1 by syscall number (0: none yet), so adding
         * a rule does not scan every syscall seen so far. */
        size_t *by_nr;
        size_t n_by_nr;
        /* When set, compiling stores here 1 + the index of the syscall whose
         * rules go to libseccomp, n_syscalls + 1 once past them (compile_child.c
         * watches it). */
        volatile size_t *compile_progress;
};

/* Interns a copy of s in the policy's pool; NULL on ENOMEM (or NULL s). */
const char *policy_pool_strdup(struct syscall_policy *p, const char *s);
/* The same for a malloc'ed s, which the pool takes (freed on ENOMEM). */
const char *policy_pool_take(struct syscall_policy *p, char *s);

/* rules.c: append a rule (taking ownership of its clauses) after the merge
 * checks; diagnostics at the rule's location. */
int policy_add_rule(struct syscall_policy *p, const char *name, int nr, struct rule *rule, struct diag *d);
void policy_rule_free_clauses(struct rule *rule);
/* Whether any rule names syscall nr. */
bool policy_has_rules_for(const struct syscall_policy *p, int nr);
/* Whether the rule's condition holds for these arguments. */
bool policy_rule_holds(const struct rule *r, const uint64_t args[6]);

/* action.c */
bool policy_action_equal(struct policy_action a, struct policy_action b);
bool policy_action_is_permissive(struct policy_action a);
/* Parses an action word; errno names or numbers after "return". */
int policy_action_from_words(const char *word, const char *errno_text, struct policy_action *ret);

/* syscalls.c: the number of a syscall name on an arch: libseccomp first,
 * then the table of syscalls newer than libseccomp.  -ENOENT if neither. */
int policy_syscall_resolve(uint32_t arch, const char *name, int *ret_nr);
/* Whether libseccomp's table or ours names this number on arch. */
bool policy_syscall_known(uint32_t arch, int nr);
/* The extra table for tests: the i-th entry for arch, or NULL past the end. */
const char *policy_extra_syscall(uint32_t arch, size_t i, int *ret_nr, const char **ret_since);

/* verify.c: runs the exported filter (n_insns struct sock_filter) against
 * syscall_policy_decide() at the edges of every comparison; a difference is
 * an error at the rule (-EINVAL).  -ENOMEM. */
int syscall_policy_verify(const struct syscall_policy *p, const void *prog, size_t n_insns, struct diag *d);

/* include.c */
struct include_frame {
        const char *path;      /* as resolved */
        unsigned include_line; /* line in the parent that included the next frame */
};

struct parse_state {
        struct syscall_policy *p;
        struct diag *d;
        struct include_frame frames[POLICY_INCLUDE_DEPTH_LIMIT + 1];
        size_t depth;
};
/* Reads a file through opts.read_file (or the disk). */
int policy_include_read(const struct syscall_policy *p, const char *path, char **ret_text, size_t *ret_len);
/* "included from a:3\nincluded from b:1" for the current chain, malloc'ed. */
char *policy_include_context(const struct parse_state *s);

/* parser.c: parse one file's text with the frames in s describing it.
 * filename must be a string of the policy's pool: rules point at it. */
int policy_parse_buffer(struct parse_state *s, const char *filename, unsigned first_line, const char *text,
                        size_t len);
/* include.c: parse an included file (depth and loop checks). */
int policy_include_file(struct parse_state *s, const char *path, const struct source_location *at);

#endif
