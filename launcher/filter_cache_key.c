/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The filter cache's key and where the cache lives: see filter_cache.h. */
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <nettle/sha2.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cleanup.h"
#include "filter_cache.h"

/* Bumped whenever the entry format or what the key covers changes. */
#define KEY_FORMAT "sealrun filter cache key 1"

void filter_cache_manifest_free(struct filter_cache_manifest *m) {
        for (size_t i = 0; i < m->n_files; i++)
                free(m->files[i].path);
        free(m->files);
        *m = (struct filter_cache_manifest){0};
}

int filter_cache_read_file(void *userdata, const char *path, char **ret_text, size_t *ret_len) {
        struct filter_cache_manifest *m = userdata;
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        int r = policy_read_file_from_disk(NULL, path, &text, &len);
        if (r < 0)
                return r;
        struct filter_cache_file *v = realloc(m->files, (m->n_files + 1) * sizeof(*v));
        if (!v)
                return -ENOMEM;
        m->files = v;
        char *copy = strdup(path);
        if (!copy)
                return -ENOMEM;
        struct filter_cache_file *f = &m->files[m->n_files++];
        f->path = copy;
        struct sha256_ctx ctx;
        sha256_init(&ctx);
        sha256_update(&ctx, len, (const uint8_t *) text);
        sha256_digest(&ctx, sizeof(f->sha256), f->sha256);
        *ret_text = TAKE_PTR(text);
        *ret_len = len;
        return 0;
}

static const char *env_get(char *const *environ, const char *name) {
        size_t n = strlen(name);
        for (char *const *e = environ; e && *e; e++)
                if (!strncmp(*e, name, n) && (*e)[n] == '=')
                        return *e + n + 1;
        return NULL;
}

int filter_cache_dir(char *const *environ, uid_t euid, char **ret) {
        const char *xdg = env_get(environ, "XDG_CACHE_HOME");
        const char *home = env_get(environ, "HOME");
        int r = 0;
        *ret = NULL;
        /* Relative values are ignored, as the XDG base directory spec says. */
        if (xdg && xdg[0] == '/')
                r = asprintf(ret, "%s/sealrun", xdg);
        else if (euid == 0)
                /* Root's services seldom have a home of their own. */
                r = asprintf(ret, "/var/cache/sealrun");
        else if (home && home[0] == '/')
                r = asprintf(ret, "%s/.cache/sealrun", home);
        if (r < 0) {
                *ret = NULL;
                return -ENOMEM;
        }
        return 0;
}

/* A length before every field, so no two different keys hash alike. */
static void put(struct sha256_ctx *ctx, const void *bytes, size_t len) {
        uint64_t n = len;
        sha256_update(ctx, sizeof(n), (const uint8_t *) &n);
        sha256_update(ctx, len, bytes);
}

static void put_string(struct sha256_ctx *ctx, const char *s) {
        put(ctx, s, strlen(s));
}

static void put_u64(struct sha256_ctx *ctx, uint64_t v) {
        put(ctx, &v, sizeof(v));
}

/* The GNU build ID of the running executable (a digest of its code, which
 * the linker writes; no syscall), hashed into the key: the compiler can
 * change between two builds of one version, and a program compiled by one
 * must not be reused by the other.  Without a build ID, nothing is added
 * and the version alone stands for the build. */
static int put_build_id_of(struct dl_phdr_info *info, size_t size, void *userdata) {
        (void) size;
        struct sha256_ctx *ctx = userdata;
        for (size_t i = 0; i < info->dlpi_phnum; i++) {
                const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
                if (ph->p_type != PT_NOTE)
                        continue;
                const uint8_t *at = (const uint8_t *) (info->dlpi_addr + ph->p_vaddr),
                              *end = at + ph->p_memsz;
                while (at + sizeof(ElfW(Nhdr)) <= end) {
                        const ElfW(Nhdr) *n = (const void *) at;
                        const uint8_t *name = at + sizeof(*n), *desc = name + ((n->n_namesz + 3) & ~3u);
                        if (desc + n->n_descsz > end)
                                break;
                        if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && !memcmp(name, "GNU", 4)) {
                                put(ctx, desc, n->n_descsz);
                                return 1;
                        }
                        at = desc + ((n->n_descsz + 3) & ~3u);
                }
        }
        return 1; /* the executable is the first object: stop there */
}

/* Everything outside the policy files that decides the program. */
static void put_toolchain(struct sha256_ctx *ctx) {
        put_string(ctx, KEY_FORMAT);
        put_string(ctx, SEALRUN_VERSION);
        dl_iterate_phdr(put_build_id_of, ctx);
        const struct scmp_version *v = seccomp_version();
        put_u64(ctx, v ? v->major : 0);
        put_u64(ctx, v ? v->minor : 0);
        put_u64(ctx, v ? v->micro : 0);
        put_u64(ctx, seccomp_arch_native());
        /* The kernel decides which actions libseccomp accepts. */
        struct utsname u;
        put_string(ctx, uname(&u) == 0 ? u.release : "");
        /* The launch's compile options (filter.c): refuse the slow
         * lowering, automatic layout, the default rule limit. */
        put_string(ctx, "launch: refuse-slow-lowering optimize=0 max-rules=0");
}

void filter_cache_primary_key(const struct seccomp_source *sources, size_t n_sources, bool default_action_set,
                              struct policy_action default_action, uint8_t ret[FILTER_CACHE_DIGEST_SIZE]) {
        struct sha256_ctx ctx;
        sha256_init(&ctx);
        put_toolchain(&ctx);
        put_u64(&ctx, default_action_set);
        put_u64(&ctx, default_action_set ? default_action.type : 0);
        put_u64(&ctx, default_action_set ? default_action.value : 0);
        put_u64(&ctx, n_sources);
        for (size_t i = 0; i < n_sources; i++) {
                const struct seccomp_source *s = &sources[i];
                put_string(&ctx, s->file);
                put_u64(&ctx, s->text != NULL);
                if (s->text) {
                        put_u64(&ctx, s->first_line);
                        put(&ctx, s->text, s->text_len);
                }
        }
        sha256_digest(&ctx, FILTER_CACHE_DIGEST_SIZE, ret);
}

void filter_cache_full_key(const uint8_t primary[FILTER_CACHE_DIGEST_SIZE],
                           const struct filter_cache_manifest *m, uint8_t ret[FILTER_CACHE_DIGEST_SIZE]) {
        struct sha256_ctx ctx;
        sha256_init(&ctx);
        put(&ctx, primary, FILTER_CACHE_DIGEST_SIZE);
        put_u64(&ctx, m->n_files);
        for (size_t i = 0; i < m->n_files; i++) {
                put_string(&ctx, m->files[i].path);
                put(&ctx, m->files[i].sha256, sizeof(m->files[i].sha256));
        }
        sha256_digest(&ctx, FILTER_CACHE_DIGEST_SIZE, ret);
}
