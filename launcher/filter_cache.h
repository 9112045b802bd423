/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The filter cache: a policy compiled at launch (`seccomp include`) is
 * compiled and verified once, and its program reused by later launches.
 *
 * The key is in two halves.  The first names the entry and is computed
 * before any file is read: the workload's seccomp sources as written (each
 * policy file's path, or the inline text with its file and line), the
 * default action, the architecture, the kernel release, sealrun's version
 * and the build ID of its executable, libseccomp's version and the compile
 * options of a launch.  The second
 * is the manifest: every file the parser read (the sources and everything
 * they @include, by resolved path) with the SHA-256 of the bytes it parsed.
 * The entry records the digest of both halves; a lookup reads each manifest
 * file again, so editing any included file changes the digest and the
 * entry is not used.  (Parsing is pure, so the same sources and the same
 * bytes of every file read give the same policy: no parse on a hit.)
 *
 * Tamper-safety: an entry is read only through a cache directory that is
 * not a symlink, is owned by the euid or root and writable by neither group
 * nor others, and only when the entry is a regular file (not a symlink),
 * owned by the euid, mode 0600, whose bytes hash to the digest on its first
 * line, whose key is the one computed, and whose program is a whole number
 * of BPF instructions ending in a return.  Anything else is a miss with a
 * reason; nothing is ever trusted that another user could have written.
 * Stores write a temp file and rename it, so concurrent launches never see
 * half an entry; any failure to store (read-only, full, foreign directory)
 * is reported, never fatal.
 */
#ifndef SEALRUN_FILTER_CACHE_H
#define SEALRUN_FILTER_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "syscall_policy.h"
#include "workload.h"

struct sock_filter;

#define FILTER_CACHE_DIGEST_SIZE 32

/* What an entry keeps beside the program: what the dry run and the commit
 * stage need, which would otherwise come from the parsed policy. */
struct filter_cache_facts {
        size_t syscalls, rules;
        struct policy_action default_action;
        bool write_allowed; /* the policy can allow write(2) */
};

/* One file the parser read: its resolved path and the digest of its bytes. */
struct filter_cache_file {
        char *path;
        uint8_t sha256[FILTER_CACHE_DIGEST_SIZE];
};

/* The manifest, filled while parsing through filter_cache_read_file. */
struct filter_cache_manifest {
        struct filter_cache_file *files;
        size_t n_files;
};

void filter_cache_manifest_free(struct filter_cache_manifest *m);

/* A policy_read_file_fn (userdata: a struct filter_cache_manifest) that
 * reads from disk as policy_read_file_from_disk does and records the file. */
int filter_cache_read_file(void *userdata, const char *path, char **ret_text, size_t *ret_len);

/* The cache directory for a launcher with this environment and euid:
 * $XDG_CACHE_HOME/sealrun when XDG_CACHE_HOME is an absolute path; else
 * /var/cache/sealrun for root; else $HOME/.cache/sealrun when HOME is
 * absolute; else none (*ret NULL).  Pure.  0 or -ENOMEM. */
int filter_cache_dir(char *const *environ, uid_t euid, char **ret);

/* The first half of the key (see above): the policy sources in order and
 * the default action (default_action_set false: none given). */
void filter_cache_primary_key(const struct seccomp_source *sources, size_t n_sources, bool default_action_set,
                              struct policy_action default_action, uint8_t ret[FILTER_CACHE_DIGEST_SIZE]);

/* The whole key: the primary half and the manifest. */
void filter_cache_full_key(const uint8_t primary[FILTER_CACHE_DIGEST_SIZE],
                           const struct filter_cache_manifest *m, uint8_t ret[FILTER_CACHE_DIGEST_SIZE]);

/* What became of a lookup or a store, for the dry run and `cache list`. */
#define FILTER_CACHE_REASON_MAX 256

/* Look the entry for `primary` up in dir.  1: a trusted entry whose whole
 * key matches; *ret_prog (malloc'ed, *ret_n_insns long) and *facts are
 * set.  0: nothing usable; why is empty when there is no entry (nor dir),
 * else it says why the entry was ignored.  -ENOMEM. */
int filter_cache_lookup(const char *dir, const uint8_t primary[FILTER_CACHE_DIGEST_SIZE],
                        struct sock_filter **ret_prog, size_t *ret_n_insns, struct filter_cache_facts *facts,
                        char why[FILTER_CACHE_REASON_MAX]);

/* Store a verified program under `primary` with its manifest.  0: stored;
 * -errno: not stored, why says where it failed (a launch goes on). */
int filter_cache_store(const char *dir, const uint8_t primary[FILTER_CACHE_DIGEST_SIZE],
                       const struct filter_cache_manifest *m, const struct filter_cache_facts *facts,
                       const struct sock_filter *prog, size_t n_insns, char why[FILTER_CACHE_REASON_MAX]);

/* `sealrun cache list`: one line per entry in dir (key, instructions,
 * files, or why it would be ignored); returns the number of entries, or
 * -errno when dir cannot be read (-ENOENT: no cache yet). */
int filter_cache_list(const char *dir, FILE *out);

/* `sealrun cache clear`: remove every entry and leftover temp file from
 * dir; returns how many were removed, or -errno. */
int filter_cache_clear(const char *dir);

#endif
