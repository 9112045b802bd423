/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The filter cache module (launcher/filter_cache.c): an entry round-trips,
 * and every way another user or an accident could have changed it makes
 * the lookup a miss with a reason, never a hit: a group- or world-writable
 * or foreign directory, a symlinked directory or entry, a foreign or
 * loosely-moded entry, a truncated or altered entry, an entry for another
 * policy renamed into place, an edited included file.  Stores are atomic
 * under concurrent writers and never fatal when the directory is
 * read-only or full.  Everything lives in a temp dir. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "filter_cache.h"
#include "harness.h"
#include "sha256_hex.h"

struct fixture {
        char *dir;   /* the temp dir */
        char *cache; /* dir/cache */
        char *policy, *included;
        struct workload w;
        uint8_t primary[FILTER_CACHE_DIGEST_SIZE];
        struct filter_cache_manifest m;
};

static const struct sock_filter program[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, 0x7fff0000),
        BPF_STMT(BPF_RET | BPF_K, 0x80000000),
};
#define N_PROGRAM (sizeof(program) / sizeof(program[0]))

static const struct filter_cache_facts facts = {
        .syscalls = 2, .rules = 3, .default_action = {POLICY_ACTION_ERRNO, 13}, .write_allowed = true};

/* Records policy (and its include) as the parser would, into f->m. */
static void record(struct fixture *f) {
        filter_cache_manifest_free(&f->m);
        const char *paths[] = {f->policy, f->included};
        for (size_t i = 0; i < 2; i++) {
                char *text = NULL;
                size_t len = 0;
                assert_int_equal(filter_cache_read_file(&f->m, paths[i], &text, &len), 0);
                free(text);
        }
}

static void primary(struct fixture *f, uint8_t ret[FILTER_CACHE_DIGEST_SIZE]) {
        filter_cache_primary_key(f->w.seccomp, f->w.n_seccomp, f->w.default_action_set, f->w.default_action,
                                 ret);
}

static int setup(void **state) {
        struct fixture *f = calloc(1, sizeof(*f));
        f->dir = tmpdir_new();
        f->cache = path_in(f->dir, "cache");
        f->policy = write_file(f->dir, "a.policy", "@include ./b.policy\nread: 1\n", 0644);
        f->included = write_file(f->dir, "b.policy", "write: 1\n", 0644);
        f->w.n_seccomp = 1;
        f->w.seccomp = calloc(1, sizeof(*f->w.seccomp));
        f->w.seccomp[0].file = strdup(f->policy);
        primary(f, f->primary);
        record(f);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fixture *f = *state;
        filter_cache_manifest_free(&f->m);
        workload_free(&f->w);
        tmpdir_remove(f->dir);
        free(f->cache);
        free(f->policy);
        free(f->included);
        free(f);
        return 0;
}

static int store(struct fixture *f, char why[FILTER_CACHE_REASON_MAX]) {
        return filter_cache_store(f->cache, f->primary, &f->m, &facts, program, N_PROGRAM, why);
}

static void store_ok(struct fixture *f) {
        char why[FILTER_CACHE_REASON_MAX] = "";
        int r = store(f, why);
        if (r < 0)
                fail_msg("store failed: %s", why);
}

/* A lookup that must miss, with a reason containing `reason` (NULL: for
 * want of an entry, with no reason). */
static void expect_miss(struct fixture *f, const char *reason) {
        char why[FILTER_CACHE_REASON_MAX] = "";
        struct sock_filter *prog = NULL;
        size_t n = 0;
        struct filter_cache_facts got;
        assert_int_equal(filter_cache_lookup(f->cache, f->primary, &prog, &n, &got, why), 0);
        assert_null(prog);
        if (!reason && why[0])
                fail_msg("expected no entry, got '%s'", why);
        if (reason && !strstr(why, reason))
                fail_msg("expected a miss because of '%s', got '%s'", reason, why);
}

static void expect_hit(struct fixture *f) {
        char why[FILTER_CACHE_REASON_MAX] = "";
        struct sock_filter *prog = NULL;
        size_t n = 0;
        struct filter_cache_facts got;
        int r = filter_cache_lookup(f->cache, f->primary, &prog, &n, &got, why);
        if (r != 1)
                fail_msg("expected a hit, got %d: %s", r, why);
        assert_int_equal(n, N_PROGRAM);
        assert_memory_equal(prog, program, sizeof(program));
        assert_int_equal(got.syscalls, facts.syscalls);
        assert_int_equal(got.rules, facts.rules);
        assert_int_equal(got.default_action.type, facts.default_action.type);
        assert_int_equal(got.default_action.value, facts.default_action.value);
        assert_true(got.write_allowed);
        free(prog);
}

static char *entry_path(struct fixture *f) {
        char hex[SHA256_HEX_LEN + 1];
        sha256_hex_format(f->primary, hex);
        return path_in(f->cache, hex);
}

static void stored_entry_is_used(void **state) {
        struct fixture *f = *state;
        expect_miss(f, NULL);
        store_ok(f);
        expect_hit(f);
        char *e = entry_path(f);
        struct stat st;
        assert_int_equal(lstat(e, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        assert_int_equal(st.st_uid, geteuid());
        assert_int_equal(stat(f->cache, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0700);
        free(e);
}

static void entry_written_under_a_strict_umask_is_still_0600(void **state) {
        struct fixture *f = *state;
        char why[FILTER_CACHE_REASON_MAX] = "";
        mode_t old = umask(0777);
        int r = store(f, why);
        umask(old);
        if (r < 0)
                fail_msg("store failed: %s", why);
        expect_hit(f);
        struct stat st;
        assert_int_equal(stat(f->cache, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0700);
}

static void group_writable_directory_is_ignored(void **state) {
        struct fixture *f = *state;
        store_ok(f);
        assert_int_equal(chmod(f->cache, 0770), 0);
        expect_miss(f, "writable by group or others");
}

static void world_writable_directory_is_ignored(void **state) {
        struct fixture *f = *state;
        store_ok(f);
        assert_int_equal(chmod(f->cache, 01777), 0);
        expect_miss(f, "writable by group or others");
        /* and nothing is stored through it either */
        char why[FILTER_CACHE_REASON_MAX];
        assert_true(store(f, why) < 0);
        assert_non_null(strstr(why, "writable by group or others"));
}

static bool need_root(void) {
        if (is_root())
                return true;
        printf("SKIP: giving a file to another user needs root\n");
        return false;
}

static void foreign_directory_is_ignored(void **state) {
        struct fixture *f = *state;
        if (!need_root())
                skip();
        store_ok(f);
        assert_int_equal(chown(f->cache, 65534, 65534), 0);
        expect_miss(f, "owned by another user");
}

static void foreign_entry_is_ignored(void **state) {
        struct fixture *f = *state;
        if (!need_root())
                skip();
        store_ok(f);
        char *e = entry_path(f);
        assert_int_equal(chown(e, 65534, 65534), 0);
        expect_miss(f, "owned by uid 65534");
        free(e);
}

static void loosely_moded_entry_is_ignored(void **state) {
        struct fixture *f = *state;
        store_ok(f);
        char *e = entry_path(f);
        assert_int_equal(chmod(e, 0644), 0);
        expect_miss(f, "mode 0644");
        free(e);
}

static void symlinked_entry_is_ignored(void **state) {
        struct fixture *f = *state;
        store_ok(f);
        char *e = entry_path(f), *elsewhere = path_in(f->dir, "elsewhere");
        assert_int_equal(rename(e, elsewhere), 0);
        assert_int_equal(symlink(elsewhere, e), 0);
        expect_miss(f, "symlink");
        free(e);
        free(elsewhere);
}

static void symlinked_directory_is_ignored(void **state) {
        struct fixture *f = *state;
        store_ok(f);
        char *real = path_in(f->dir, "real-cache");
        assert_int_equal(rename(f->cache, real), 0);
        assert_int_equal(symlink(real, f->cache), 0);
        expect_miss(f, "symlink");
        free(real);
}

static void truncated_entry_is_ignored(void **state) {
        struct fixture *f = *state;
        store_ok(f);
        char *e = entry_path(f);
        struct stat st;
        assert_int_equal(stat(e, &st), 0);
        assert_int_equal(truncate(e, st.st_size - 1), 0);
        expect_miss(f, "truncated or altered");
        assert_int_equal(truncate(e, 0), 0);
        expect_miss(f, "not a sealrun filter cache entry");
        free(e);
}

static void altered_entry_is_ignored(void **state) {
        struct fixture *f = *state;
        store_ok(f);
        char *e = entry_path(f);
        int fd = open(e, O_RDWR);
        assert_true(fd >= 0);
        off_t end = lseek(fd, 0, SEEK_END);
        /* the last instruction's return value: kill -> allow */
        uint32_t allow = 0x7fff0000;
        assert_int_equal(pwrite(fd, &allow, sizeof(allow), end - 4), 4);
        close(fd);
        expect_miss(f, "truncated or altered");
        free(e);
}

static void entry_for_another_policy_renamed_into_place_is_ignored(void **state) {
        struct fixture *f = *state;
        /* another workload's entry, stored under its own name... */
        uint8_t mine[FILTER_CACHE_DIGEST_SIZE];
        memcpy(mine, f->primary, sizeof(mine));
        free(f->w.seccomp[0].file);
        f->w.seccomp[0].file = strdup(f->included);
        primary(f, f->primary);
        assert_memory_not_equal(mine, f->primary, sizeof(mine));
        store_ok(f);
        char *theirs = entry_path(f);
        /* ...renamed to the name of this one's */
        memcpy(f->primary, mine, sizeof(mine));
        char *ours = entry_path(f);
        assert_int_equal(rename(theirs, ours), 0);
        expect_miss(f, "stored for another policy");
        free(theirs);
        free(ours);
}

static void editing_an_included_file_invalidates_the_entry(void **state) {
        struct fixture *f = *state;
        store_ok(f);
        expect_hit(f);
        free(write_file(f->dir, "b.policy", "write: 1\nclose: 1\n", 0644));
        expect_miss(f, "b.policy changed since the entry was stored");
        assert_int_equal(unlink(f->included), 0);
        expect_miss(f, "b.policy: No such file or directory");
}

/* A relative policy path is read again from the working directory: the
 * same bytes there are a hit, other bytes (another directory) a miss. */
static void relative_paths_are_read_from_the_working_directory(void **state) {
        struct fixture *f = *state;
        char *old = getcwd(NULL, 0);
        assert_int_equal(chdir(f->dir), 0);
        filter_cache_manifest_free(&f->m);
        char *text = NULL;
        size_t len = 0;
        assert_int_equal(filter_cache_read_file(&f->m, "a.policy", &text, &len), 0);
        free(text);
        store_ok(f);
        expect_hit(f);
        char *other = path_in(f->dir, "other");
        assert_int_equal(mkdir(other, 0755), 0);
        free(write_file(other, "a.policy", "close: 1\n", 0644));
        assert_int_equal(chdir(other), 0);
        expect_miss(f, "a.policy changed since the entry was stored");
        assert_int_equal(chdir(old), 0);
        free(other);
        free(old);
}

static void settings_and_toolchain_change_the_primary_key(void **state) {
        struct fixture *f = *state;
        uint8_t k[FILTER_CACHE_DIGEST_SIZE];
        f->w.default_action_set = true;
        f->w.default_action = (struct policy_action){POLICY_ACTION_ERRNO, 1};
        primary(f, k);
        assert_memory_not_equal(k, f->primary, sizeof(k));
        uint8_t k2[FILTER_CACHE_DIGEST_SIZE];
        f->w.default_action.value = 2;
        primary(f, k2);
        assert_memory_not_equal(k, k2, sizeof(k));
        /* inline text: its bytes are in the key */
        f->w.seccomp[0].text = strdup("read: 1\n");
        f->w.seccomp[0].text_len = 8;
        primary(f, k);
        f->w.seccomp[0].text[0] = 'R';
        primary(f, k2);
        assert_memory_not_equal(k, k2, sizeof(k));
}

/* Eight processes store and look up the same entry at once: every lookup
 * is a clean miss or a whole hit, and no temp file is left behind. */
static void concurrent_writers_never_expose_half_an_entry(void **state) {
        struct fixture *f = *state;
        pid_t pids[8];
        for (size_t i = 0; i < 8; i++) {
                pids[i] = fork();
                assert_true(pids[i] >= 0);
                if (pids[i] == 0) {
                        for (int round = 0; round < 40; round++) {
                                char why[FILTER_CACHE_REASON_MAX] = "";
                                if (store(f, why) < 0)
                                        _exit(10);
                                struct sock_filter *prog = NULL;
                                size_t n = 0;
                                struct filter_cache_facts got;
                                if (filter_cache_lookup(f->cache, f->primary, &prog, &n, &got, why) != 1 ||
                                    n != N_PROGRAM || memcmp(prog, program, sizeof(program)))
                                        _exit(11);
                                free(prog);
                        }
                        _exit(0);
                }
        }
        for (size_t i = 0; i < 8; i++) {
                int status;
                assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
                assert_true(WIFEXITED(status));
                assert_int_equal(WEXITSTATUS(status), 0);
        }
        expect_hit(f);
        /* one entry, no temp file */
        char *out = NULL;
        size_t size = 0;
        FILE *list = open_memstream(&out, &size);
        assert_int_equal(filter_cache_list(f->cache, list), 1);
        fclose(list);
        assert_int_equal(count_lines(out), 1);
        free(out);
        assert_int_equal(filter_cache_clear(f->cache), 1);
        expect_miss(f, NULL);
}

/* In a child: the store fails with a reason and the process lives on. */
static void store_fails_softly(struct fixture *f, const char *reason) {
        char why[FILTER_CACHE_REASON_MAX] = "";
        int r = store(f, why);
        if (r >= 0 || !strstr(why, reason)) {
                fprintf(stderr, "store gave %d (%s), expected a failure with '%s'\n", r, why, reason);
                _exit(1);
        }
        _exit(0);
}

/* A child's exit status: no private mount namespace here.  In a chroot
 * (a fresh root made with debootstrap) "/" is no mount point, so it cannot
 * be made private, and a mount would reach the host's namespace. */
#define NO_PRIVATE_MOUNTS 3

static void expect_child_ok(pid_t pid) {
        int status;
        assert_true(pid >= 0);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (WIFEXITED(status) && WEXITSTATUS(status) == NO_PRIVATE_MOUNTS) {
                printf("SKIP: no private mount namespace here (\"/\" is no mount point, as in a chroot): "
                       "the tmpfs case did not run\n");
                skip();
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                fail_msg("the child ended with status %#x", (unsigned) status);
}

/* A read-only directory: chmod for a user, a read-only mount for root
 * (who writes through any mode). */
static void read_only_cache_directory_never_fails(void **state) {
        struct fixture *f = *state;
        pid_t pid = fork();
        if (pid == 0) {
                if (is_root()) {
                        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                                _exit(NO_PRIVATE_MOUNTS);
                        if (mount("tmpfs", f->dir, "tmpfs", MS_RDONLY, "size=64k") < 0)
                                _exit(2);
                } else if (chmod(f->dir, 0500) < 0)
                        _exit(2);
                store_fails_softly(f, "");
        }
        expect_child_ok(pid);
        chmod(f->dir, 0755);
        expect_miss(f, NULL);
}

/* A full file system (root: a tiny tmpfs, filled) and a file size limit
 * (anyone: RLIMIT_FSIZE, whose SIGXFSZ would kill a careless writer). */
static void full_cache_directory_never_fails(void **state) {
        struct fixture *f = *state;
        pid_t pid = fork();
        if (pid == 0) {
                struct rlimit tiny = {100, 100};
                if (setrlimit(RLIMIT_FSIZE, &tiny) < 0)
                        _exit(2);
                store_fails_softly(f, "RLIMIT_FSIZE");
        }
        expect_child_ok(pid);
        if (!is_root()) {
                printf("SKIP: mounting a full tmpfs needs root (RLIMIT_FSIZE case ran)\n");
                skip();
        }
        pid = fork();
        if (pid == 0) {
                if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                        _exit(NO_PRIVATE_MOUNTS);
                if (mount("tmpfs", f->dir, "tmpfs", 0, "size=8k,nr_inodes=16") < 0 ||
                    mkdir(f->cache, 0700) < 0)
                        _exit(2);
                char *fill = path_in(f->cache, "fill");
                int fd = open(fill, O_WRONLY | O_CREAT, 0600);
                char page[4096] = {0};
                while (fd >= 0 && write(fd, page, sizeof(page)) > 0)
                        ;
                store_fails_softly(f, "No space left on device");
        }
        expect_child_ok(pid);
}

static void cache_dir_follows_xdg_then_root_then_home(void **state) {
        (void) state;
        char *dir = NULL;
        char *xdg[] = {"HOME=/home/u", "XDG_CACHE_HOME=/x/c", NULL};
        assert_int_equal(filter_cache_dir(xdg, 1000, &dir), 0);
        assert_string_equal(dir, "/x/c/sealrun");
        free(dir);
        char *home[] = {"HOME=/home/u", "XDG_CACHE_HOME=relative", NULL};
        assert_int_equal(filter_cache_dir(home, 1000, &dir), 0);
        assert_string_equal(dir, "/home/u/.cache/sealrun");
        free(dir);
        assert_int_equal(filter_cache_dir(home, 0, &dir), 0);
        assert_string_equal(dir, "/var/cache/sealrun");
        free(dir);
        char *none[] = {"HOME=", NULL};
        assert_int_equal(filter_cache_dir(none, 1000, &dir), 0);
        assert_null(dir);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        const struct CMUnitTest tests[] = {
                T(stored_entry_is_used),
                T(entry_written_under_a_strict_umask_is_still_0600),
                T(group_writable_directory_is_ignored),
                T(world_writable_directory_is_ignored),
                T(foreign_directory_is_ignored),
                T(foreign_entry_is_ignored),
                T(loosely_moded_entry_is_ignored),
                T(symlinked_entry_is_ignored),
                T(symlinked_directory_is_ignored),
                T(truncated_entry_is_ignored),
                T(altered_entry_is_ignored),
                T(entry_for_another_policy_renamed_into_place_is_ignored),
                T(editing_an_included_file_invalidates_the_entry),
                T(relative_paths_are_read_from_the_working_directory),
                T(settings_and_toolchain_change_the_primary_key),
                T(concurrent_writers_never_expose_half_an_entry),
                T(read_only_cache_directory_never_fails),
                T(full_cache_directory_never_fails),
                cmocka_unit_test(cache_dir_follows_xdg_then_root_then_home),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
