/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The filter cache's entries: see filter_cache.h for what is trusted.
 *
 * An entry is one file named by the hex of the key's first half:
 *
 *     sealrun-filter-cache 1 SHA256-OF-THE-REST
 *     key FULL-KEY-HEX
 *     facts SYSCALLS RULES ACTION-TYPE ACTION-VALUE WRITE-ALLOWED
 *     file SHA256-HEX PATH                    (one per file the parser read)
 *     program N
 *     N struct sock_filter, native byte order
 *
 * Text for the header so `cat` shows what an entry is for; the digest on
 * the first line catches a truncated or altered entry (a write cut short by
 * a full disk, a crash before the data reached the disk).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "filter_cache.h"
#include "sha256_hex.h"

#define MAGIC "sealrun-filter-cache 1 "
#define HEX_SIZE (2 * FILTER_CACHE_DIGEST_SIZE)
#define ENTRY_MAX (1024 * 1024)
#define TEMP_PREFIX ".tmp-"

static int because(char why[FILTER_CACHE_REASON_MAX], int r, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static int because(char why[FILTER_CACHE_REASON_MAX], int r, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, FILTER_CACHE_REASON_MAX, fmt, ap);
        va_end(ap);
        return r;
}

/* ---- trust ---------------------------------------------------------------- */

/* Nobody but the euid (or root, who could write anything anyway) may be
 * able to put a file into the directory. */
static int open_trusted_dir(const char *dir, char why[FILTER_CACHE_REASON_MAX]) {
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
                int r = negative_errno();
                return because(why, r,
                               r == -ELOOP || r == -ENOTDIR ? "%s: is a symlink or not a directory"
                                                            : "%s: %s",
                               dir, strerror(-r));
        }
        struct stat st;
        if (fstat(fd, &st) < 0) {
                int r = negative_errno();
                safe_close(fd);
                return because(why, r, "%s: %s", dir, strerror(-r));
        }
        const char *bad = NULL;
        if (st.st_uid != geteuid() && st.st_uid != 0)
                bad = "is owned by another user";
        else if (st.st_mode & (S_IWGRP | S_IWOTH))
                bad = "is writable by group or others";
        if (bad) {
                safe_close(fd);
                return because(why, -EPERM, "directory %s %s", dir, bad);
        }
        return fd;
}

/* The entry's bytes (up to ENTRY_MAX) into a malloc'ed buffer, only from a
 * regular file owned by the euid with mode 0600. */
static int read_trusted_entry(int dirfd, const char *name, uint8_t **ret, size_t *ret_len,
                              char why[FILTER_CACHE_REASON_MAX]) {
        _cleanup_close_ int fd =
                openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
                int r = negative_errno();
                if (r == -ENOENT)
                        why[0] = '\0';
                else
                        because(why, r, r == -ELOOP ? "the entry is a symlink" : "%s", strerror(-r));
                return r;
        }
        struct stat st;
        if (fstat(fd, &st) < 0)
                return because(why, negative_errno(), "%s", strerror(errno));
        if (!S_ISREG(st.st_mode))
                return because(why, -EPERM, "the entry is not a regular file");
        if (st.st_uid != geteuid())
                return because(why, -EPERM, "the entry is owned by uid %u, not %u", (unsigned) st.st_uid,
                               (unsigned) geteuid());
        if ((st.st_mode & 07777) != 0600)
                return because(why, -EPERM, "the entry has mode %04o, not 0600",
                               (unsigned) (st.st_mode & 07777));
        if (st.st_size > ENTRY_MAX)
                return because(why, -EFBIG, "the entry is larger than %d bytes", ENTRY_MAX);
        _cleanup_free_ uint8_t *buf = malloc((size_t) st.st_size + 1);
        if (!buf)
                return -ENOMEM;
        size_t len = 0;
        while (len <= (size_t) st.st_size) {
                ssize_t n = read(fd, buf + len, (size_t) st.st_size + 1 - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return because(why, negative_errno(), "%s", strerror(errno));
                if (n == 0)
                        break;
                len += (size_t) n;
        }
        if (len != (size_t) st.st_size)
                return because(why, -ESTALE, "the entry changed size while it was read");
        *ret = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

/* ---- the entry format -------------------------------------------------------- */

struct entry {
        char key[HEX_SIZE + 1];
        struct filter_cache_facts facts;
        struct filter_cache_manifest manifest;
        const uint8_t *prog; /* into the entry's buffer, which need not be aligned for sock_filter */
        size_t n_insns;
};

static void digest_hex(const uint8_t *bytes, size_t len, char out[HEX_SIZE + 1]) {
        uint8_t d[FILTER_CACHE_DIGEST_SIZE];
        struct sha256_ctx ctx;
        sha256_init(&ctx);
        sha256_update(&ctx, len, bytes);
        sha256_digest(&ctx, sizeof(d), d);
        sha256_hex_format(d, out);
}

/* The 64 hex digits that start s. */
static bool parse_hex_digest(const char *s, uint8_t out[FILTER_CACHE_DIGEST_SIZE]) {
        char hex[HEX_SIZE + 1];
        if (strnlen(s, HEX_SIZE) < HEX_SIZE)
                return false;
        memcpy(hex, s, HEX_SIZE);
        hex[HEX_SIZE] = '\0';
        return sha256_hex_parse(hex, out) == 0;
}

/* The next '\n'-terminated line of [*at, end) as a NUL-terminated copy in
 * line (at most size - 1 bytes); false at the end or for a longer line. */
static bool next_line(const uint8_t **at, const uint8_t *end, char *line, size_t size) {
        const uint8_t *nl = memchr(*at, '\n', (size_t) (end - *at));
        if (!nl || (size_t) (nl - *at) >= size)
                return false;
        memcpy(line, *at, (size_t) (nl - *at));
        line[nl - *at] = '\0';
        *at = nl + 1;
        return true;
}

static int add_manifest_file(struct filter_cache_manifest *m, const char *line) {
        uint8_t sha[FILTER_CACHE_DIGEST_SIZE];
        if (!parse_hex_digest(line, sha) || line[HEX_SIZE] != ' ' || !line[HEX_SIZE + 1])
                return -EBADMSG;
        struct filter_cache_file *v = realloc(m->files, (m->n_files + 1) * sizeof(*v));
        if (!v)
                return -ENOMEM;
        m->files = v;
        if (!(v[m->n_files].path = strdup(line + HEX_SIZE + 1)))
                return -ENOMEM;
        memcpy(v[m->n_files++].sha256, sha, sizeof(sha));
        return 0;
}

static int parse_header(const uint8_t **at, const uint8_t *end, struct entry *e) {
        char line[4200];
        unsigned type, value, write_allowed;
        if (!next_line(at, end, line, sizeof(line)) || strncmp(line, "key ", 4) ||
            strlen(line + 4) != HEX_SIZE)
                return -EBADMSG;
        memcpy(e->key, line + 4, HEX_SIZE + 1);
        if (!next_line(at, end, line, sizeof(line)) ||
            sscanf(line, "facts %zu %zu %u %u %u", &e->facts.syscalls, &e->facts.rules, &type, &value,
                   &write_allowed) != 5 ||
            type > POLICY_ACTION_USER_NOTIFY || write_allowed > 1)
                return -EBADMSG;
        e->facts.default_action = (struct policy_action){.type = type, .value = value};
        e->facts.write_allowed = write_allowed;
        while (next_line(at, end, line, sizeof(line))) {
                if (sscanf(line, "program %zu", &e->n_insns) == 1)
                        return 0;
                if (strncmp(line, "file ", 5))
                        return -EBADMSG;
                int r = add_manifest_file(&e->manifest, line + 5);
                if (r < 0)
                        return r;
        }
        return -EBADMSG;
}

/* Check the digest line and parse the rest; e->prog points into buf. */
static int parse_entry(const uint8_t *buf, size_t len, struct entry *e, char why[FILTER_CACHE_REASON_MAX]) {
        size_t magic = strlen(MAGIC), first = magic + HEX_SIZE + 1;
        if (len < first || memcmp(buf, MAGIC, magic) || buf[first - 1] != '\n')
                return because(why, -EBADMSG, "the entry is not a sealrun filter cache entry");
        char got[HEX_SIZE + 1];
        digest_hex(buf + first, len - first, got);
        if (memcmp(got, buf + magic, HEX_SIZE))
                return because(why, -EBADMSG,
                               "the entry's bytes do not hash to its digest (truncated or altered)");
        const uint8_t *at = buf + first, *end = buf + len;
        int r = parse_header(&at, end, e);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return because(why, r, "the entry's header is malformed");
        if (e->n_insns == 0 || e->n_insns > BPF_MAXINSNS ||
            (size_t) (end - at) != e->n_insns * sizeof(struct sock_filter))
                return because(why, -EBADMSG, "the entry's program is not %zu whole instructions",
                               e->n_insns);
        e->prog = at;
        struct sock_filter last;
        memcpy(&last, at + (e->n_insns - 1) * sizeof(last), sizeof(last));
        if (BPF_CLASS(last.code) != BPF_RET)
                return because(why, -EBADMSG, "the entry's program does not end in a return");
        return 0;
}

/* ---- lookup ---------------------------------------------------------------- */

/* Read every file of the entry's manifest again; the key over what they
 * hold now must be the entry's. */
static int check_key(const uint8_t primary[FILTER_CACHE_DIGEST_SIZE], const struct entry *e,
                     char why[FILTER_CACHE_REASON_MAX]) {
        struct filter_cache_manifest now = {0};
        int r = 0;
        for (size_t i = 0; i < e->manifest.n_files && r >= 0; i++) {
                _cleanup_free_ char *text = NULL;
                size_t len = 0;
                const char *path = e->manifest.files[i].path;
                r = filter_cache_read_file(&now, path, &text, &len);
                if (r == -ENOMEM)
                        break;
                if (r < 0)
                        r = because(why, r, "%s: %s", path, strerror(-r));
                else if (memcmp(now.files[i].sha256, e->manifest.files[i].sha256, FILTER_CACHE_DIGEST_SIZE))
                        r = because(why, -ESTALE, "%s changed since the entry was stored", path);
        }
        if (r >= 0) {
                uint8_t key[FILTER_CACHE_DIGEST_SIZE];
                char hex[HEX_SIZE + 1];
                filter_cache_full_key(primary, &now, key);
                sha256_hex_format(key, hex);
                if (strcmp(hex, e->key))
                        r = because(why, -ESTALE, "the entry was stored for another policy");
        }
        filter_cache_manifest_free(&now);
        return r;
}

int filter_cache_lookup(const char *dir, const uint8_t primary[FILTER_CACHE_DIGEST_SIZE],
                        struct sock_filter **ret_prog, size_t *ret_n_insns, struct filter_cache_facts *facts,
                        char why[FILTER_CACHE_REASON_MAX]) {
        char name[HEX_SIZE + 1];
        sha256_hex_format(primary, name);
        _cleanup_close_ int dirfd = open_trusted_dir(dir, why);
        if (dirfd < 0) {
                if (dirfd == -ENOENT)
                        why[0] = '\0';
                return 0;
        }
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len = 0;
        int r = read_trusted_entry(dirfd, name, &buf, &len, why);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        struct entry e = {0};
        r = parse_entry(buf, len, &e, why);
        if (r >= 0)
                r = check_key(primary, &e, why);
        struct sock_filter *prog = NULL;
        if (r >= 0 && !(prog = malloc(e.n_insns * sizeof(*prog))))
                r = -ENOMEM;
        if (r >= 0) {
                memcpy(prog, e.prog, e.n_insns * sizeof(*prog));
                *ret_prog = prog;
                *ret_n_insns = e.n_insns;
                *facts = e.facts;
        }
        filter_cache_manifest_free(&e.manifest);
        return r == -ENOMEM ? r : r >= 0;
}

/* ---- store ----------------------------------------------------------------- */

/* The whole entry, digest line first, into a malloc'ed buffer. */
static int format_entry(const struct filter_cache_manifest *m, const uint8_t key[FILTER_CACHE_DIGEST_SIZE],
                        const struct filter_cache_facts *f, const struct sock_filter *prog, size_t n_insns,
                        char **ret, size_t *ret_len) {
        char *body = NULL, hex[HEX_SIZE + 1];
        size_t body_len = 0;
        FILE *out = open_memstream(&body, &body_len);
        if (!out)
                return -ENOMEM;
        sha256_hex_format(key, hex);
        fprintf(out, "key %s\nfacts %zu %zu %u %u %u\n", hex, f->syscalls, f->rules,
                (unsigned) f->default_action.type, (unsigned) f->default_action.value,
                (unsigned) f->write_allowed);
        for (size_t i = 0; i < m->n_files; i++) {
                sha256_hex_format(m->files[i].sha256, hex);
                fprintf(out, "file %s %s\n", hex, m->files[i].path);
        }
        fprintf(out, "program %zu\n", n_insns);
        fwrite(prog, sizeof(*prog), n_insns, out);
        if (fclose(out) != 0) {
                free(body);
                return -ENOMEM;
        }
        digest_hex((const uint8_t *) body, body_len, hex);
        int n = asprintf(ret, "%s%s\n", MAGIC, hex);
        char *all = n < 0 ? NULL : realloc(*ret, (size_t) n + body_len);
        if (!all) {
                free(n < 0 ? NULL : *ret);
                free(body);
                return -ENOMEM;
        }
        memcpy(all + n, body, body_len);
        free(body);
        *ret = all;
        *ret_len = (size_t) n + body_len;
        return 0;
}

static int write_all(int fd, const char *buf, size_t len) {
        while (len) {
                ssize_t n = write(fd, buf, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return negative_errno();
                buf += n;
                len -= (size_t) n;
        }
        return 0;
}

/* mode 0700 whatever the umask, when it is new. */
static void make_dir(const char *dir) {
        if (mkdir(dir, 0700) == 0)
                (void) chmod(dir, 0700);
}

/* The directory and, as the XDG spec asks, its parent. */
static void make_dirs(const char *dir) {
        _cleanup_free_ char *parent = strdup(dir);
        char *slash = parent ? strrchr(parent, '/') : NULL;
        if (slash && slash != parent) {
                *slash = '\0';
                make_dir(parent);
        }
        make_dir(dir);
}

/* Write the entry to a temp file beside it, then rename it into place: a
 * concurrent reader sees the old entry or the new one, never half. */
static int write_entry(int dirfd, const char *name, const char *bytes, size_t len,
                       char why[FILTER_CACHE_REASON_MAX]) {
        /* Past RLIMIT_FSIZE a write raises SIGXFSZ, fatal by default. */
        struct rlimit fsize;
        if (getrlimit(RLIMIT_FSIZE, &fsize) == 0 && fsize.rlim_cur != RLIM_INFINITY && fsize.rlim_cur < len)
                return because(why, -EFBIG, "the entry (%zu bytes) exceeds RLIMIT_FSIZE", len);
        char temp[sizeof(TEMP_PREFIX) + HEX_SIZE + 24];
        snprintf(temp, sizeof(temp), TEMP_PREFIX "%s-%ld", name, (long) getpid());
        _cleanup_close_ int fd =
                openat(dirfd, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return because(why, negative_errno(), "cannot create a temp file: %s", strerror(errno));
        /* The umask may have taken bits a reader requires. */
        int r = fchmod(fd, 0600) < 0 ? negative_errno() : write_all(fd, bytes, len);
        if (r >= 0 && renameat(dirfd, temp, dirfd, name) < 0)
                r = negative_errno();
        if (r < 0) {
                (void) unlinkat(dirfd, temp, 0);
                return because(why, r, "cannot write the entry: %s", strerror(-r));
        }
        return 0;
}

int filter_cache_store(const char *dir, const uint8_t primary[FILTER_CACHE_DIGEST_SIZE],
                       const struct filter_cache_manifest *m, const struct filter_cache_facts *facts,
                       const struct sock_filter *prog, size_t n_insns, char why[FILTER_CACHE_REASON_MAX]) {
        /* A relative path is kept as written: the parser read it from the
         * same working directory, and a lookup from another one reads other
         * bytes (a miss) or the same (the same program). */
        for (size_t i = 0; i < m->n_files; i++)
                if (strchr(m->files[i].path, '\n') || !m->files[i].path[0])
                        return because(why, -EINVAL, "a policy path is empty or holds a newline");
        make_dirs(dir);
        _cleanup_close_ int dirfd = open_trusted_dir(dir, why);
        if (dirfd < 0)
                return dirfd;
        uint8_t key[FILTER_CACHE_DIGEST_SIZE];
        filter_cache_full_key(primary, m, key);
        _cleanup_free_ char *bytes = NULL;
        size_t len = 0;
        int r = format_entry(m, key, facts, prog, n_insns, &bytes, &len);
        if (r < 0)
                return because(why, r, "%s", strerror(-r));
        char name[HEX_SIZE + 1];
        sha256_hex_format(primary, name);
        return write_entry(dirfd, name, bytes, len, why);
}

/* ---- list and clear ---------------------------------------------------------- */

static bool is_entry_name(const char *name) {
        return strlen(name) == HEX_SIZE && strspn(name, "0123456789abcdef") == HEX_SIZE;
}

static void list_one(int dirfd, const char *name, FILE *out) {
        char why[FILTER_CACHE_REASON_MAX];
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len = 0;
        struct entry e = {0};
        int r = read_trusted_entry(dirfd, name, &buf, &len, why);
        if (r >= 0)
                r = parse_entry(buf, len, &e, why);
        if (r < 0) {
                fprintf(out, "%s  ignored: %s\n", name, why);
        } else {
                fprintf(out, "%s  %zu instructions, %zu bytes:", name, e.n_insns, len);
                for (size_t i = 0; i < e.manifest.n_files; i++)
                        fprintf(out, " %s", e.manifest.files[i].path);
                fputc('\n', out);
        }
        filter_cache_manifest_free(&e.manifest);
}

/* Calls fn for every entry (and, with temps, leftover temp file) of dir;
 * returns how many, or -errno. */
static int each_entry(const char *dir, bool temps, void (*fn)(int dirfd, const char *name, void *userdata),
                      void *userdata) {
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        DIR *d = fdopendir(fd);
        if (!d) {
                int r = negative_errno();
                safe_close(fd);
                return r;
        }
        int n = 0;
        for (struct dirent *de; (de = readdir(d));)
                if (is_entry_name(de->d_name) ||
                    (temps && !strncmp(de->d_name, TEMP_PREFIX, strlen(TEMP_PREFIX)))) {
                        fn(dirfd(d), de->d_name, userdata);
                        n++;
                }
        closedir(d);
        return n;
}

static void list_cb(int dirfd, const char *name, void *userdata) {
        list_one(dirfd, name, userdata);
}

int filter_cache_list(const char *dir, FILE *out) {
        char why[FILTER_CACHE_REASON_MAX];
        int fd = open_trusted_dir(dir, why);
        if (fd == -ENOENT)
                return fd;
        if (fd < 0)
                fprintf(out, "every entry is ignored: %s\n", why);
        safe_close(fd);
        return each_entry(dir, false, list_cb, out);
}

static void clear_cb(int dirfd, const char *name, void *userdata) {
        int *failed = userdata;
        if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT && !*failed)
                *failed = negative_errno();
}

int filter_cache_clear(const char *dir) {
        int failed = 0;
        int n = each_entry(dir, true, clear_cb, &failed);
        return failed ? failed : n;
}
