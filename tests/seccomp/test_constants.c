/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The named-constant table generated from this system's headers agrees
 * with minijail's x86_64 constants.json (read here only, as a reference):
 * every name of it resolves with minijail's value, or the test says why
 * not; and every header linux-libc-dev ships is read (constants-headers.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>
#if __has_include(<libdrm/drm.h>)
#include <libdrm/drm.h>
#endif
#include <linux/fs.h>
#include <linux/if_tun.h>
#include <linux/input.h>
#include <linux/kvm.h>
#include <linux/usbdevice_fs.h>
#include <linux/vfio.h>
#include <linux/videodev2.h>
#include <sound/asound.h>

#include "constants_table.h"
#include "helpers.h"
#include "policy_internal.h"

/* Names the crosvm corpus uses that Debian 12's 6.1 headers do not define;
 * they come from constants-extra.txt (each cited to the kernel's uapi
 * header).  A name leaves this list once the headers define it. */
static const char *const debian12_lacks[] = {
        "MADV_GUARD_INSTALL", /* Linux 6.13, asm-generic/mman-common.h */
        "MADV_GUARD_REMOVE",  /* Linux 6.13, asm-generic/mman-common.h */
        "PR_GET_AUXV",        /* Linux 6.4, linux/prctl.h */
};

struct explained {
        const char *name;
        const char *reason;
};

/* Names of constants.json whose value here differs from minijail's, each
 * reviewed: the headers minijail's table was built from are newer. */
static const struct explained value_differs[] = {
        {"MOVE_MOUNT__MASK",
         "Linux 6.5 added MOVE_MOUNT_BENEATH (0x200) to the mask; Debian 12's 6.1 headers "
         "have 0x177"},
};

/* Names of constants.json no header defines, because they are not header
 * names at all. */
static const struct explained not_header_names[] = {
        {"MINIJAIL_ARCH_NR", "minijail's own: the AUDIT_ARCH_* of its build (AUDIT_ARCH_X86_64 here)"},
        {"MINIJAIL_ARCH_BITS", "minijail's own: the word size of its build"},
};

static const char *reason_in(const struct explained *list, size_t n, const char *name) {
        for (size_t i = 0; i < n; i++)
                if (!strcmp(list[i].name, name))
                        return list[i].reason;
        return NULL;
}

static bool in_allow_list(const char *name) {
        for (size_t i = 0; i < sizeof(debian12_lacks) / sizeof(debian12_lacks[0]); i++)
                if (!strcmp(debian12_lacks[i], name))
                        return true;
        return false;
}

static const struct policy_named_constant *table_entry(const char *name) {
        for (size_t i = 0; i < policy_constant_table_size; i++)
                if (!strcmp(policy_named_constant_name(&policy_constant_table[i]), name))
                        return &policy_constant_table[i];
        return NULL;
}

static const char *source_dir(void) {
        const char *src = getenv("SEALRUN_SOURCE_DIR");
        return src ? src : ".";
}

/* minijail's constants object, or a skip with the reason. */
static json_object *minijail_constants(json_object **ret_root) {
        static char path[4200];
        snprintf(path, sizeof(path), "%s/../shared/corpus/minijail/crosvm/x86_64/constants.json",
                 source_dir());
        if (access(path, R_OK) < 0) {
                printf("SKIP: %s is absent (the shared corpus is not checked out next to the project)\n",
                       path);
                return NULL;
        }
#if !defined(__x86_64__)
        printf("SKIP: constants.json is minijail's x86_64 table\n");
        return NULL;
#endif
        *ret_root = json_object_from_file(path);
        assert_non_null(*ret_root);
        json_object *constants = NULL;
        assert_true(json_object_object_get_ex(*ret_root, "constants", &constants));
        return constants;
}

static uint64_t json_value(json_object *v) {
        assert_int_equal(json_object_get_type(v), json_type_int);
        int64_t signed_value = json_object_get_int64(v);
        return signed_value < 0 ? (uint64_t) signed_value : json_object_get_uint64(v);
}

static void test_corpus_constants_are_reviewed(void **state) {
        json_object *root = NULL, *constants = minijail_constants(&root);
        if (!constants)
                skip();
        char cmd[4400];
        snprintf(cmd, sizeof(cmd),
                 "cat '%s'/../shared/corpus/minijail/crosvm/x86_64/*.policy | sed 's/#.*//' | "
                 "grep -oE '\\b[A-Z][A-Z0-9_]+\\b' | sort -u",
                 source_dir());
        FILE *names = popen(cmd, "r");
        assert_non_null(names);
        char name[160];
        unsigned checked = 0, unreviewed = 0;
        while (fscanf(names, "%159s", name) == 1) {
                json_object *v;
                if (!json_object_object_get_ex(constants, name, &v))
                        continue; /* a syscall or action word, not a constant */
                const struct policy_named_constant *c = table_entry(name);
                checked++;
                assert_non_null(c);
                if (c->from_extra) {
                        printf("from constants-extra.txt (headers lack it): %s = %#llx\n", name,
                               (unsigned long long) c->value);
                        unreviewed += !in_allow_list(name);
                }
                assert_true(c->value == json_value(v));
        }
        pclose(names);
        json_object_put(root);
        printf("%u corpus constants checked\n", checked);
        assert_true(checked >= 40);
        assert_int_equal(unreviewed, 0);
}

/* The names of `missing` that some file under /usr/include mentions. */
static char *mentioned_in_headers(char *const *missing, size_t n) {
        char *cmd = NULL, *found = NULL;
        size_t cmd_size = 0, found_size = 0;
        FILE *c = open_memstream(&cmd, &cmd_size);
        fputs("grep -rhowE --include='*.h' '", c);
        for (size_t i = 0; i < n; i++)
                fprintf(c, "%s%s", i ? "|" : "", missing[i]);
        fputs("' /usr/include | sort -u", c);
        fclose(c);
        FILE *out = open_memstream(&found, &found_size), *grep = popen(cmd, "r");
        assert_non_null(grep);
        char line[200];
        while (fgets(line, sizeof(line), grep))
                fprintf(out, " %s", strtok(line, "\n"));
        pclose(grep);
        fputc(' ', out);
        fclose(out);
        free(cmd);
        return found;
}

/* Every name of minijail's table resolves with minijail's value, or is
 * listed with the reason: not in this system's headers (verified by
 * searching them), not a header name, or a reviewed value difference. */
static void test_every_minijail_constant(void **state) {
        json_object *root = NULL, *constants = minijail_constants(&root);
        if (!constants)
                skip();
        char **missing = calloc((size_t) json_object_object_length(constants), sizeof(char *));
        size_t n_missing = 0, resolved = 0, unexplained = 0;
        json_object_object_foreach(constants, name, v) {
                uint64_t got, want = json_value(v);
                if (policy_constant_lookup(name, &got) < 0) {
                        missing[n_missing++] = name;
                } else if (got == want) {
                        resolved++;
                } else if (reason_in(value_differs, sizeof(value_differs) / sizeof(value_differs[0]), name)) {
                        printf("differs: %s = %#llx here, %#llx in minijail's: %s\n", name,
                               (unsigned long long) got, (unsigned long long) want,
                               reason_in(value_differs, sizeof(value_differs) / sizeof(value_differs[0]),
                                         name));
                } else {
                        printf("UNEXPLAINED value: %s = %#llx here, %#llx in minijail's\n", name,
                               (unsigned long long) got, (unsigned long long) want);
                        unexplained++;
                }
        }
        char *mentioned = n_missing ? mentioned_in_headers(missing, n_missing) : strdup(" ");
        for (size_t i = 0; i < n_missing; i++) {
                char word[200];
                snprintf(word, sizeof(word), " %s ", missing[i]);
                const char *own = reason_in(
                        not_header_names, sizeof(not_header_names) / sizeof(not_header_names[0]), missing[i]);
                if (own) {
                        printf("unresolved: %s: %s\n", missing[i], own);
                } else if (!strstr(mentioned, word)) {
                        printf("unresolved: %s: not in this system's headers (newer than Debian 12's Linux "
                               "6.1 "
                               "UAPI)\n",
                               missing[i]);
                } else {
                        printf("UNEXPLAINED: %s is in a header under /usr/include but not in the table\n",
                               missing[i]);
                        unexplained++;
                }
        }
        printf("%zu of %d names of constants.json resolve with minijail's value, %zu do not (listed above)\n",
               resolved, json_object_object_length(constants), n_missing);
        free(mentioned);
        free(missing);
        json_object_put(root);
        assert_int_equal(unexplained, 0);
        assert_true(resolved >= 1900);
}

/* The text of launcher/seccomp/NAME. */
static char *read_seccomp_source(const char *name) {
        char path[4200];
        snprintf(path, sizeof(path), "%s/launcher/seccomp/%s", source_dir(), name);
        char *text = NULL;
        size_t size = 0;
        assert_int_equal(policy_read_file_from_disk(NULL, path, &text, &size), 0);
        return text;
}

/* constants-headers.h with the text of each constants-headers-*.h it
 * includes (the header families) appended. */
static char *read_constants_headers(void) {
        char *text = read_seccomp_source("constants-headers.h");
        size_t n_parts = 0;
        for (const char *at = text; (at = strstr(at, "#include \"constants-headers-")); at++) {
                at += strlen("#include \"");
                char name[64];
                snprintf(name, sizeof(name), "%.*s", (int) strcspn(at, "\""), at);
                char *part = read_seccomp_source(name), *joined;
                assert_true(asprintf(&joined, "%s\n%s", text, part) > 0);
                at = joined + (at - text);
                free(text);
                free(part);
                text = joined;
                n_parts++;
        }
        assert_true(n_parts > 0);
        return text;
}

/* Every header of the installed linux-libc-dev is included by
 * constants-headers.h (or a family header it includes) or listed there as
 * left out. */
static void test_every_uapi_header_is_read(void **state) {
        if (access("/usr/bin/dpkg-query", X_OK) < 0) {
                printf("SKIP: no dpkg-query to list linux-libc-dev's headers\n");
                skip();
        }
        char *text = read_constants_headers();
        FILE *list = popen("dpkg-query -L linux-libc-dev 2>/dev/null | grep '\\.h$' | "
                           "sed 's|^/usr/include/||; s|^x86_64-linux-gnu/||' | sort -u",
                           "r");
        assert_non_null(list);
        char header[512];
        unsigned seen = 0, unread = 0;
        while (fgets(header, sizeof(header), list)) {
                strtok(header, "\n");
                char included[600], left_out[600], dir_left_out[600];
                snprintf(included, sizeof(included), "#include <%s>", header);
                snprintf(left_out, sizeof(left_out), " *   %s ", header);
                snprintf(dir_left_out, sizeof(dir_left_out), " *   %.*s/ ", (int) strcspn(header, "/"),
                         header);
                seen++;
                if (!strstr(text, included) && !strstr(text, left_out) && !strstr(text, dir_left_out)) {
                        printf("neither included nor listed as left out: %s\n", header);
                        unread++;
                }
        }
        pclose(list);
        free(text);
        if (seen == 0) {
                printf("SKIP: linux-libc-dev is not installed\n");
                skip();
        }
        printf("%u linux-libc-dev headers checked\n", seen);
        assert_int_equal(unread, 0);
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

static uint64_t resolved(const char *name) {
        uint64_t v;
        if (policy_constant_lookup(name, &v) < 0)
                fail_msg("%s does not resolve", name);
        return v;
}

/* Numbers written out: an ioctl number is an expression of a struct's size,
 * evaluated by the compiler, not a literal in the header. */
static void test_ioctl_expressions_are_evaluated(void **state) {
        assert_true(resolved("TCGETS2") == 0x802c542a); /* _IOR('T', 0x2A, struct termios2) */
        assert_true(resolved("FIONBIO") == 0x5421);
        assert_true(resolved("SIOCGIFINDEX") == 0x8933);
        assert_true(resolved("BLKGETSIZE64") == 0x80081272); /* _IOR(0x12, 114, size_t) */
        assert_true(resolved("KVM_CREATE_VM") == 0xae01);    /* _IO(KVMIO, 0x01) */
        assert_true(resolved("ARCH_SET_FS") == 0x1002);      /* asm/prctl.h */
}

/* The ioctl families of the UAPI headers, as the compiler evaluates them. */
static void test_ioctl_families(void **state) {
        assert_true(resolved("KVM_RUN") == KVM_RUN);
        assert_true(resolved("KVM_SET_USER_MEMORY_REGION") == KVM_SET_USER_MEMORY_REGION);
#ifdef DRM_IOCTL_VERSION
        assert_true(resolved("DRM_IOCTL_VERSION") == DRM_IOCTL_VERSION);
#else
        printf("SKIP: libdrm-dev is not installed: DRM_IOCTL_* not checked\n");
#endif
        assert_true(resolved("VIDIOC_QUERYCAP") == VIDIOC_QUERYCAP);
        assert_true(resolved("SNDRV_PCM_IOCTL_PREPARE") == SNDRV_PCM_IOCTL_PREPARE);
        assert_true(resolved("BLKGETSIZE64") == BLKGETSIZE64);
        assert_true(resolved("EVIOCGVERSION") == EVIOCGVERSION);
        assert_true(resolved("USBDEVFS_SUBMITURB") == USBDEVFS_SUBMITURB);
        assert_true(resolved("VFIO_GET_API_VERSION") == VFIO_GET_API_VERSION);
        assert_true(resolved("TUNSETIFF") == TUNSETIFF);
}

/* What ChromeOS policies (cros_healthd, rmad) write and stopped at with
 * "invalid constant 'BLKGETSIZE64'": compiles, and decides by the value. */
static void test_block_device_policy_compiles(void **state) {
        const char *policy = "ioctl: arg1 == BLKGETSIZE64 || arg1 == BLKSSZGET || arg1 == BLKROTATIONAL\n"
                             "arch_prctl: arg0 == ARCH_SET_FS\n";
        expect_action(policy, "ioctl", ARGS(3, BLKGETSIZE64), ALLOW);
        expect_action(policy, "ioctl", ARGS(3, BLKROTATIONAL), ALLOW);
        expect_action(policy, "ioctl", ARGS(3, BLKFLSBUF), KILL);
        expect_action(policy, "arch_prctl", ARGS(0x1002), ALLOW);
        expect_action(policy, "arch_prctl", ARGS(0x1003), KILL);
}

static void test_runtime_values_are_not_constants(void **state) {
        uint64_t v;
        /* glibc makes SIGRTMIN a function call; the kernel's 32 is not what
         * a program sees, so neither is in the table. */
        assert_int_equal(policy_constant_lookup("SIGRTMIN", &v), -ENOENT);
        /* glibc makes SIGSTKSZ sysconf(_SC_SIGSTKSZ); asm/signal.h's 8192 is
         * minijail's value. */
        assert_int_equal(policy_constant_lookup("SIGSTKSZ", &v), 0);
        assert_int_equal(v, 8192);
        /* Strings are no constants: gcc folds `(unsigned long long) "str"`
         * in a constant expression, and the generator once took the
         * string's address, different at each build, for the value. */
        assert_int_equal(policy_constant_lookup("XATTR_NAME_CAPS", &v), -ENOENT);
        assert_int_equal(policy_constant_lookup("IPT_STANDARD_TARGET", &v), -ENOENT);
}

static void test_table_is_sorted_and_large(void **state) {
        assert_true(policy_constant_table_size > 20000);
        for (size_t i = 1; i < policy_constant_table_size; i++)
                assert_true(strcmp(policy_named_constant_name(&policy_constant_table[i - 1]),
                                   policy_named_constant_name(&policy_constant_table[i])) < 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_corpus_constants_are_reviewed),
                cmocka_unit_test(test_every_minijail_constant),
                cmocka_unit_test(test_every_uapi_header_is_read),
                cmocka_unit_test(test_errno_names_resolve),
                cmocka_unit_test(test_ioctl_expressions_are_evaluated),
                cmocka_unit_test(test_ioctl_families),
                cmocka_unit_test(test_block_device_policy_compiles),
                cmocka_unit_test(test_runtime_values_are_not_constants),
                cmocka_unit_test(test_table_is_sorted_and_large),
        };
        return cmocka_run_group_tests_name("seccomp_constants", tests, NULL, NULL);
}
