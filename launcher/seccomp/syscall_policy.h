/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Seccomp policies in minijail's policy language, compiled through
 * libseccomp.  Lifecycle:
 *
 *     syscall_policy_new(&opts, &p);
 *     syscall_policy_parse_file(p, "jq.policy", &diag);        // pure + includes
 *     syscall_policy_compile_program(p, &prog, &n, NULL, &diag); // verified BPF
 *     syscall_policy_free(p);
 *
 * Parsing is pure: the only I/O is reading included files, done through
 * opts.read_file (the disk by default), so tests and the fuzzer feed memory.
 * Errors go to a struct diag as FILE:LINE:COL entries; functions return 0 or
 * -errno (-EINVAL when the diag holds errors).  This header does not
 * include <seccomp.h>: the libseccomp context itself is in
 * syscall_policy_libseccomp.h, for the compiler and its tests.
 */
#ifndef SEALRUN_SYSCALL_POLICY_H
#define SEALRUN_SYSCALL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

enum policy_action_type {
        POLICY_ACTION_ALLOW,
        POLICY_ACTION_KILL_PROCESS,
        POLICY_ACTION_KILL_THREAD,
        POLICY_ACTION_TRAP,
        POLICY_ACTION_ERRNO,
        POLICY_ACTION_TRACE,
        POLICY_ACTION_LOG,
        POLICY_ACTION_USER_NOTIFY,
};

struct policy_action {
        enum policy_action_type type;
        uint32_t value; /* errno for ERRNO, message for TRACE */
};

/* A word for an action that takes no value, as a table of one language
 * (the policy language's, Docker's SCMP_ACT_* names) spells it. */
struct policy_action_word {
        const char *word;
        enum policy_action_type type;
};

/* word looked up in words[0..n): 0 with *ret its action (value 0), or
 * -ENOENT. */
int policy_action_word_lookup(const struct policy_action_word *words, size_t n, const char *word,
                              struct policy_action *ret);

/* "kill-process", "trap", "return EPERM", "log", ...  Returns 0 or -EINVAL. */
int policy_action_parse(const char *text, struct policy_action *ret);
/* The libseccomp SCMP_ACT_* value. */
uint32_t policy_action_to_scmp(struct policy_action action);
/* A short stable name: "allow", "kill-process", "errno(1)"; into buf. */
const char *policy_action_describe(struct policy_action action, char *buf, size_t size);
/* What a policy statement writes after `name: ` for the action: "1",
 * "return 13", "kill-process", ...; into buf. */
const char *policy_action_statement_text(struct policy_action action, char *buf, size_t size);

/* The AUDIT_ARCH_* value of the arch this runs on (libseccomp's native). */
uint32_t policy_arch_native(void);

/* Map an include path prefix to a directory without rewriting the files:
 * { "/usr/share/policy/crosvm", "/src/crosvm/jail/seccomp/x86_64" }. */
struct include_prefix {
        const char *prefix;
        const char *dir;
};

/* Read a whole file into a malloc'ed, NUL-terminated buffer. */
typedef int (*policy_read_file_fn)(void *userdata, const char *path, char **ret_text, size_t *ret_len);
/* The default policy_read_file_fn: a regular file of at most 16 MiB, whole,
 * NUL-terminated (userdata unused); -EISDIR, -EINVAL (not a regular file),
 * -EFBIG, or the errno of open/read.  The launcher reads workloads with it. */
int policy_read_file_from_disk(void *userdata, const char *path, char **ret_text, size_t *ret_len);

struct syscall_policy_options {
        uint32_t arch; /* SCMP_ARCH_* (an AUDIT_ARCH_* value); 0 means the native arch */
        const struct include_prefix *include_prefixes;
        size_t n_include_prefixes;
        bool skip_unknown_syscalls;          /* warn and skip a name the arch lacks, instead of an error */
        bool denylist;                       /* expect @denylist policies (and refuse allow-lists) */
        struct policy_action default_action; /* when the policy has no @default; {0} means kill-process */
        bool default_action_set;             /* default_action above is meaningful */
        policy_read_file_fn read_file;       /* NULL: read from disk */
        void *read_file_userdata;
        /* Added: libseccomp's BPF layout.  0: automatic (a binary tree of
         * syscall numbers when the policy names 16 syscalls or more),
         * 1: linear list, 2: binary tree (SCMP_FLTATR_CTL_OPTIMIZE=2). */
        int optimize;
        /* Refuse, instead of trying, a syscall whose rules only lower into
         * libseccomp's native comparisons: libseccomp 2.5.4 can take
         * seconds to merge those.  The launcher sets it (nothing may hang at
         * launch); compile and check do not, and run libseccomp under a CPU
         * limit instead, so such a policy can still be precompiled. */
        bool refuse_slow_lowering;
        /* At most this many libseccomp rules for one syscall (0: 256).  The
         * fuzzer, which compiles in-process with no CPU limit, sets it lower
         * (libseccomp's merge can be exponential past a few dozen). */
        unsigned max_libseccomp_rules;
};

struct syscall_policy; /* rules per syscall, merged in file order across includes */

int syscall_policy_new(const struct syscall_policy_options *opts, struct syscall_policy **ret);
void syscall_policy_free(struct syscall_policy *p);

/* Parse a policy file and everything it includes. */
int syscall_policy_parse_file(struct syscall_policy *p, const char *path, struct diag *d);

/* Parse policy text that lives inside another file (a workload file's inline
 * rules): diagnostics name `filename`, counting lines from first_line;
 * `./` includes resolve against filename's directory. */
int syscall_policy_parse_text(struct syscall_policy *p, const char *filename, unsigned first_line,
                              const char *text, size_t len, struct diag *d);

/* The action for a syscall no rule matches: @default, else the option. */
struct policy_action syscall_policy_default_action(const struct syscall_policy *p);
/* The policy's own @default (its action, file and line): false when it has
 * none and the option decides. */
bool syscall_policy_own_default(const struct syscall_policy *p, struct policy_action *ret_action,
                                const char **ret_file, unsigned *ret_line);
/* Number of syscalls with rules, and of rules in all. */
size_t syscall_policy_syscall_count(const struct syscall_policy *p);
size_t syscall_policy_rule_count(const struct syscall_policy *p);
/* Whether a call to this syscall (by name) can ever be allowed. */
bool syscall_policy_may_allow(const struct syscall_policy *p, const char *syscall_name);

/* ---- Additions ---- */

/* What the policy means, straight from the parsed rules (no libseccomp):
 * the first rule whose condition holds decides; `EXPR; ACTION` gives ACTION
 * when EXPR does not hold; no rule left means the default action.  Tests
 * compare the compiled BPF against this. */
struct policy_action syscall_policy_decide(const struct syscall_policy *p, int nr, const uint64_t args[6]);

/* syscall_policy_decide() and where the decision came from: the deciding
 * rule's file:line, or for the default the @default line (file NULL when
 * the default came from the options, a workload's `seccomp default`). */
struct policy_decision {
        struct policy_action action;
        bool is_default;        /* no rule decided */
        bool syscall_has_rules; /* the policy names this syscall at all */
        const char *file;       /* valid while the policy lives */
        unsigned line;
        const char *source_line; /* the deciding line's text, or NULL */
};
void syscall_policy_explain(const struct syscall_policy *p, int nr, const uint64_t args[6],
                            struct policy_decision *ret);

/* A supervised run's filter variant (the supervisor answers these calls):
 * every rule action, else action and default whose type is in route_types
 * (a bit per enum policy_action_type) becomes user-notify, and the default
 * also when route_default.  Compile and verify the result as any policy;
 * keep an unrouted copy for the decisions. */
#define POLICY_ACTION_BIT(type) (1u << (type))
void syscall_policy_route_to_notify(struct syscall_policy *p, unsigned route_types, bool route_default);

struct syscall_policy_compile_stats {
        size_t syscalls;         /* syscalls with rules */
        size_t rules;            /* policy rules */
        size_t libseccomp_rules; /* rules given to libseccomp after lowering */
        size_t bpf_instructions; /* length of the exported program */
};

/* Compile, verify, and hand out the verified program itself (malloc'ed
 * struct sock_filter array, *ret_n_insns long) instead of a libseccomp
 * context: what the launcher loads, so the bytes loaded are the bytes
 * verified and libseccomp generates them once.  stats may be NULL. */
struct sock_filter;
int syscall_policy_compile_program(const struct syscall_policy *p, struct sock_filter **ret_prog,
                                   size_t *ret_n_insns, struct syscall_policy_compile_stats *stats,
                                   struct diag *d);

#endif
