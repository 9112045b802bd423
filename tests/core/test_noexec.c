/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm.memfd_noexec at 0, 1 and 2.  The setting is per pid namespace, so
 * each case runs as pid 1 of a new one and the host's value is untouched. */
#include <sched.h>
#include <sys/wait.h>

#include "core_test.h"

#define CHECK(cond)                                                                                          \
        do {                                                                                                 \
                if (!(cond)) {                                                                               \
                        printf("check failed (line %d): %s\n", __LINE__, #cond);                             \
                        fflush(stdout);                                                                      \
                        _exit(1);                                                                            \
                }                                                                                            \
        } while (0)

static int set_policy(int value) {
        int fd = open("/proc/sys/vm/memfd_noexec", O_WRONLY | O_CLOEXEC);
        char c = (char) ('0' + value);
        if (fd < 0)
                return -errno;
        int r = write(fd, &c, 1) == 1 ? 0 : -errno;
        close(fd);
        return r;
}

static int mode_of(int fd) {
        struct stat st;
        return fstat(fd, &st) == 0 ? (int) (st.st_mode & 0777) : -1;
}

static void in_child(int value) {
        struct sealfd_create_options plain = {0};
        struct sealfd_create_options exec = {.flags = SEALFD_CREATE_EXEC};
        struct sealfd_create_options noexec = {.flags = SEALFD_CREATE_NOEXEC};
        struct sealfd_load_options program = {.flags = SEALFD_LOAD_EXECUTABLE};

        CHECK(set_policy(value) == 0);
        CHECK(sealfd_noexec_policy() == value);

        int fd = sealfd_create(&noexec);
        CHECK(fd >= 0 && (mode_of(fd) & 0111) == 0 && (sealfd_seals_get(fd) & SEALFD_SEAL_EXEC));
        close(fd);

        fd = sealfd_create(&plain);
        CHECK(fd >= 0);
        if (value == 0) /* legacy: executable, not sealed */
                CHECK((mode_of(fd) & 0111) == 0111 && !(sealfd_seals_get(fd) & SEALFD_SEAL_EXEC));
        else /* 1 and 2: as if MFD_NOEXEC_SEAL */
                CHECK((mode_of(fd) & 0111) == 0 && (sealfd_seals_get(fd) & SEALFD_SEAL_EXEC));
        close(fd);

        fd = sealfd_create(&exec);
        if (value == 2) {
                CHECK(fd == -EACCES);
        } else {
                CHECK(fd >= 0 && (mode_of(fd) & 0111) == 0111);
                close(fd);
        }

        /* data loads never depend on the setting */
        fd = sealfd_load_buffer("data", 4, NULL);
        CHECK(fd >= 0 && (mode_of(fd) & 0111) == 0);
        close(fd);

        fd = sealfd_load_buffer("prog", 4, &program);
        if (value == 2) {
                CHECK(fd == -EACCES && sealfd_noexec_policy() == 2);
        } else {
                CHECK(fd >= 0 && (mode_of(fd) & 0111) == 0111 && (sealfd_seals_get(fd) & SEALFD_SEAL_EXEC));
                close(fd);
        }
        _exit(0);
}

static void run_in_new_pid_namespace(int value) {
        int status;
        if (geteuid() != 0)
                SKIP_BECAUSE("setting vm.memfd_noexec in a new pid namespace needs root (uid %d)",
                             (int) geteuid());
        if (sealfd_noexec_policy() < 0)
                SKIP_BECAUSE("kernel has no vm.memfd_noexec");
        if (sealfd_supports(SEALFD_FEATURE_SEAL_EXEC) <= 0)
                SKIP_BECAUSE("kernel lacks F_SEAL_EXEC");
        if (sealfd_noexec_policy() > value)
                SKIP_BECAUSE("host vm.memfd_noexec is %d; a child namespace cannot go below it",
                             sealfd_noexec_policy());
        pid_t outer = fork();
        assert_true(outer >= 0);
        if (outer == 0) {
                if (unshare(CLONE_NEWPID) < 0) {
                        printf("SKIP: unshare(CLONE_NEWPID): %s\n", strerror(errno));
                        _exit(77);
                }
                pid_t inner = fork();
                if (inner == 0)
                        in_child(value);
                if (inner < 0 || waitpid(inner, &status, 0) != inner)
                        _exit(2);
                _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 3);
        }
        assert_int_equal(waitpid(outer, &status, 0), outer);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 77) {
                fflush(stdout);
                skip();
        }
        assert_int_equal(WEXITSTATUS(status), 0);
}

static void memfd_noexec_0_allows_both(void **state) {
        run_in_new_pid_namespace(0);
}
static void memfd_noexec_1_defaults_to_noexec(void **state) {
        run_in_new_pid_namespace(1);
}
static void memfd_noexec_2_refuses_exec_with_eacces(void **state) {
        run_in_new_pid_namespace(2);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(memfd_noexec_0_allows_both),
                cmocka_unit_test(memfd_noexec_1_defaults_to_noexec),
                cmocka_unit_test(memfd_noexec_2_refuses_exec_with_eacces),
        };
        return cmocka_run_group_tests_name("noexec", tests, NULL, NULL);
}
