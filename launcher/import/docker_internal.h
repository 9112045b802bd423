/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Docker profile importer's model, between its two halves:
 * docker_profile.c reads the JSON into it (every error names the JSON path),
 * docker_rules.c decides each syscall the way runc and libseccomp would and
 * writes the policy text. */
#ifndef SEALRUN_IMPORT_DOCKER_INTERNAL_H
#define SEALRUN_IMPORT_DOCKER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "import_docker.h"
#include "policy_internal.h"

/* At most this many `||` clauses in one negated condition (a deny-list rule,
 * sealrun.policy(5)); past it the profile is refused rather than exploded. */
#define DOCKER_MAX_NEGATED_CLAUSES 256

/* One entry of syscalls[] that applies (includes/excludes passed).  Its
 * condition is a disjunction of conjunctions: runc ANDs the args of an
 * entry, except when one index appears twice, then each arg is a rule of
 * its own (ORed).  unconditional: no args at all (libseccomp lets such a
 * rule override every conditional rule of the syscall). */
struct docker_entry {
        size_t index; /* in syscalls[] */
        struct policy_action action;
        bool is_default; /* runc skips a rule whose action is the default */
        bool unconditional;
        char **names; /* the names the arch knows, in profile order */
        size_t n_names;
        struct clause *alts; /* n_alts conjunctions, ORed */
        size_t n_alts;
        char *comment; /* the entry's "comment", or NULL */
        char *skipped; /* why the entry does not apply, or NULL */
};

struct docker_profile {
        struct policy_action default_action;
        struct docker_entry *entries;
        size_t n_entries;
        char *error; /* the first error, "PATH: message" */
        FILE *notes;
        const struct import_docker_options *opts;
};

/* Sets p->error (the first one wins) and returns -EINVAL (or -ENOMEM). */
int docker_fail(struct docker_profile *p, const char *path, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
void docker_profile_done(struct docker_profile *p);

/* Replaces what must not reach a one-line message or a policy comment (a
 * control character, a newline, a backslash that would join lines) by '?'. */
void docker_sanitize(char *s);

/* docker_rules.c: the policy text for a read profile.  0 or -EINVAL/-ENOMEM. */
int docker_write_policy(struct docker_profile *p, FILE *out);

#endif
