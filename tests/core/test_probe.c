/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Kernel support probes agree with what the kernel actually does. */
#include "core_test.h"

static void every_feature_answers_0_or_1(void **state) {
        for (int f = SEALFD_FEATURE_MEMFD; f <= SEALFD_FEATURE_HUGETLB; f++) {
                int r = sealfd_supports((enum sealfd_feature) f);
                assert_true(r == 0 || r == 1);
                assert_int_equal(sealfd_supports((enum sealfd_feature) f), r); /* cached, same */
        }
        assert_int_equal(sealfd_supports(SEALFD_FEATURE_MEMFD), 1);
}

static void unknown_feature_is_einval(void **state) {
        assert_int_equal(sealfd_supports((enum sealfd_feature) 1000), -EINVAL);
        assert_int_equal(sealfd_supports((enum sealfd_feature) - 1), -EINVAL);
}

static void seal_probes_match_adding_the_seal(void **state) {
        int fd = sealfd_create(NULL);
        int r = sealfd_seals_add(fd, SEALFD_SEAL_FUTURE_WRITE);
        assert_int_equal(r == 0, sealfd_supports(SEALFD_FEATURE_SEAL_FUTURE_WRITE));
        close(fd);
        fd = sealfd_create(NULL);
        r = sealfd_seals_add(fd, SEALFD_SEAL_EXEC);
        assert_int_equal(r == 0, sealfd_supports(SEALFD_FEATURE_SEAL_EXEC));
        close(fd);
}

static void noexec_policy_matches_proc(void **state) {
        FILE *f = fopen("/proc/sys/vm/memfd_noexec", "re");
        int want;
        if (!f) {
                assert_int_equal(sealfd_noexec_policy(), -ENOENT);
                SKIP_BECAUSE("kernel has no vm.memfd_noexec");
        }
        assert_int_equal(fscanf(f, "%d", &want), 1);
        fclose(f);
        assert_int_equal(sealfd_noexec_policy(), want);
}

static void version_is_the_project_version(void **state) {
        assert_string_equal(sealfd_version(), SEALRUN_VERSION);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(every_feature_answers_0_or_1),
                cmocka_unit_test(unknown_feature_is_einval),
                cmocka_unit_test(seal_probes_match_adding_the_seal),
                cmocka_unit_test(noexec_policy_matches_proc),
                cmocka_unit_test(version_is_the_project_version),
        };
        return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
