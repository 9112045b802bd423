/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The named-constant table generated from this system's headers agrees
 * with minijail's x86_64 constants.json (read here only, as a reference)
 * for every constant the crosvm corpus uses. */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "constants_table.h"
#include "helpers.h"
#include "policy_internal.h"

/* Names the corpus uses that Debian 12's 6.1 headers do not define; they
 * come from constants-extra.txt (each cited to the kernel's uapi header).
 * Review this list when the headers change: a name leaves it once the
 * headers define it. */
static const char *const debian12_lacks[] = {
        "MADV_GUARD_INSTALL", /* Linux 6.13, asm-generic/mman-common.h */
        "MADV_GUARD_REMOVE",  /* Linux 6.13, asm-generic/mman-common.h */
        "PR_GET_AUXV",        /* Linux 6.4, linux/prctl.h */
};

static char corpus_dir[4096];

static char *read_all(const char *path) {
        FILE *f = fopen(path, "re");
        if (!f)
                return NULL;
        char *buf = NULL;
        size_t size = 0;
        FILE *m = open_memstream(&buf, &size);
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                fwrite(chunk, 1, n, m);
        fclose(f);
        fclose(m);
        return buf;
}

/* "NAME": VALUE inside the "constants" object; -ENOENT when absent. */
static int json_constant(const char *json, const char *name, uint64_t *ret) {
        if (strlen(name) > 150)
                return -ENOENT;
        const char *obj = strstr(json, "\"constants\"");
        if (!obj)
                return -EINVAL;
        const char *end = strchr(obj, '}');
        char key[200];
        snprintf(key, sizeof(key), "\"%s\":", name);
        const char *k = strstr(obj, key);
        if (!k || k > end)
                return -ENOENT;
        k += strlen(key);
        while (*k == ' ')
                k++;
        errno = 0;
        if (*k == '-')
                *ret = (uint64_t) strtoll(k, NULL, 10);
        else
                *ret = strtoull(k, NULL, 10);
        return errno ? -errno : 0;
}

static bool in_allow_list(const char *name) {
        for (size_t i = 0; i < sizeof(debian12_lacks) / sizeof(debian12_lacks[0]); i++)
                if (!strcmp(debian12_lacks[i], name))
                        return true;
        return false;
}

static const struct policy_named_constant *table_entry(const char *name) {
        for (size_t i = 0; i < policy_constant_table_size; i++)
                if (!strcmp(policy_constant_table[i].name, name))
                        return &policy_constant_table[i];
        return NULL;
}

static void test_corpus_constants_match_minijail_table(void **state) {
        const char *src = getenv("SEALRUN_SOURCE_DIR");
        snprintf(corpus_dir, sizeof(corpus_dir), "%s/../shared/corpus/minijail/crosvm/x86_64",
                 src ? src : ".");
        if (access(corpus_dir, R_OK) < 0) {
                printf("SKIP: %s is absent\n", corpus_dir);
                skip();
        }
#if !defined(__x86_64__)
        printf("SKIP: constants.json is minijail's x86_64 table\n");
        skip();
#endif
        char path[4200];
        snprintf(path, sizeof(path), "%s/constants.json", corpus_dir);
        char *json = read_all(path);
        assert_non_null(json);
        snprintf(path, sizeof(path),
                 "cat '%s'/*.policy | sed 's/#.*//' | grep -oE '\\b[A-Z][A-Z0-9_]+\\b' | sort -u",
                 corpus_dir);
        FILE *names = popen(path, "r");
        assert_non_null(names);
        char name[160];
        unsigned checked = 0, mismatches = 0, missing = 0;
        while (fscanf(names, "%159s", name) == 1) {
                uint64_t want, got;
                if (json_constant(json, name, &want) < 0)
                        continue; /* not a constant in minijail's table either */
                const struct policy_named_constant *c = table_entry(name);
                checked++;
                if (!c) {
                        printf("MISSING from this system's headers: %s (minijail: %#llx)\n", name,
                               (unsigned long long) want);
                        missing += !in_allow_list(name);
                        continue;
                }
                got = c->value;
                if (c->from_extra) {
                        printf("from constants-extra.txt (headers lack it): %s = %#llx\n", name,
                               (unsigned long long) got);
                        if (!in_allow_list(name)) {
                                printf("  ... and it is not in the reviewed allow-list\n");
                                missing++;
                        }
                }
                if (got != want) {
                        printf("MISMATCH %s: ours %#llx, minijail %#llx\n", name, (unsigned long long) got,
                               (unsigned long long) want);
                        mismatches++;
                }
        }
        pclose(names);
        free(json);
        printf("%u corpus constants checked\n", checked);
        assert_true(checked >= 40);
        assert_int_equal(mismatches, 0);
        assert_int_equal(missing, 0);
}

static void test_errno_names_resolve(void **state) {
        uint32_t e;
        assert_int_equal(policy_errno_lookup("EPERM", &e), 0);
        assert_int_equal(e, EPERM);
        assert_int_equal(policy_errno_lookup("ENOSYS", &e), 0);
        assert_int_equal(e, ENOSYS);
        assert_int_equal(policy_errno_lookup("EOWNERDEAD", &e), 0);
        assert_int_equal(e, EOWNERDEAD);
        assert_int_equal(policy_errno_lookup("EPOLLIN", &e), -ENOENT);
}

static void test_ioctl_expressions_are_evaluated(void **state) {
        uint64_t v;
        /* _IOR('T', 0x2A, struct termios2): an expression, not a literal */
        assert_int_equal(policy_constant_lookup("TCGETS2", &v), 0);
        assert_int_equal(v, 0x802c542a);
        assert_int_equal(policy_constant_lookup("FIONBIO", &v), 0);
        assert_int_equal(v, 0x5421);
        assert_int_equal(policy_constant_lookup("SIOCGIFINDEX", &v), 0);
        assert_int_equal(v, 0x8933);
}

static void test_table_is_sorted_and_large(void **state) {
        assert_true(policy_constant_table_size > 500);
        for (size_t i = 1; i < policy_constant_table_size; i++)
                assert_true(strcmp(policy_constant_table[i - 1].name, policy_constant_table[i].name) < 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_corpus_constants_match_minijail_table),
                cmocka_unit_test(test_errno_names_resolve),
                cmocka_unit_test(test_ioctl_expressions_are_evaluated),
                cmocka_unit_test(test_table_is_sorted_and_large),
        };
        return cmocka_run_group_tests_name("seccomp_constants", tests, NULL, NULL);
}
