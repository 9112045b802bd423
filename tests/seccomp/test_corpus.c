/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The real corpus: every crosvm x86_64 policy compiles the way crosvm's
 * build compiles it (include prefix, default action trap), and for each
 * syscall the compiled BPF gives the same action as the parsed rules
 * (syscall_policy_decide) over argument vectors built from the policy's own
 * constants. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "policy_internal.h"

static const char *const corpus_policies[] = {
        "9p_device",
        "balloon_device",
        "battery",
        "block",
        "block_device",
        "block_device_vhost_user",
        "coiommu_device",
        "common_device",
        "cras_audio_device",
        "fs_device",
        "fs_device_vhost_user",
        "fw_cfg_device",
        "gpu_common",
        "gpu_device",
        "gpu_render_server",
        "input_device",
        "iommu_device",
        "jail_warden",
        "net",
        "net_device",
        "net_device_vhost_user",
        "null_audio_device",
        "pmem_device",
        "pvclock_device",
        "rng_device",
        "scsi",
        "scsi_device",
        "serial",
        "serial_device",
        "serial_device_vhost_user",
        "snd_aaudio_device",
        "snd_cras_device",
        "snd_null_device",
        "swap_monitor",
        "vfio_device",
        "vhost_net_device",
        "vhost_user",
        "vhost_vsock",
        "vhost_vsock_device",
        "vhost_vsock_device_vhost_user",
        "video_device",
        "vios_audio_device",
        "virtual_ext2",
        "vtpm_proxy_device",
        "wl_device",
        "xhci_device",
};
#define N_POLICIES (sizeof(corpus_policies) / sizeof(corpus_policies[0]))

static char corpus_dir[4096];

static bool have_corpus(void) {
        const char *src = getenv("SEALRUN_SOURCE_DIR");
        snprintf(corpus_dir, sizeof(corpus_dir), "%s/../shared/corpus/minijail/crosvm/x86_64",
                 src ? src : ".");
        return access(corpus_dir, R_OK | X_OK) == 0;
}

static uint64_t next_random(uint64_t *s) {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        return *s;
}

static void compare_with_decide(const struct syscall_policy *p, const void *prog, size_t n) {
        uint64_t seed = 0x243f6a8885a308d3;
        for (size_t i = 0; i < p->n_syscalls; i++) {
                const struct syscall_rules *s = &p->syscalls[i];
                uint64_t values[64] = {0, 1, UINT64_MAX};
                size_t n_values = 3;
                for (size_t r = 0; r < s->n_rules; r++)
                        for (size_t c = 0; c < s->rules[r].n_clauses; c++)
                                for (size_t a = 0; a < s->rules[r].clauses[c].n_atoms && n_values < 64; a++)
                                        values[n_values++] = s->rules[r].clauses[c].atoms[a].value;
                for (unsigned round = 0; round < 300; round++) {
                        uint64_t args[6];
                        for (unsigned a = 0; a < 6; a++) {
                                uint64_t x = next_random(&seed), v = values[x % n_values];
                                switch ((x >> 32) % 5) {
                                case 0:
                                        v ^= UINT64_C(1) << (x >> 40) % 64;
                                        break;
                                case 1:
                                        v |= UINT64_C(0xffffffff00000000);
                                        break;
                                case 2:
                                        v = ~v;
                                        break;
                                default:
                                        break;
                                }
                                args[a] = v;
                        }
                        uint32_t want = policy_action_to_scmp(syscall_policy_decide(p, s->nr, args));
                        uint32_t got = run_filter(prog, n, s->nr, args);
                        if (want != got)
                                fail_msg("%s(%#llx, %#llx, %#llx, %#llx): BPF %#x, policy %#x", s->name,
                                         (unsigned long long) args[0], (unsigned long long) args[1],
                                         (unsigned long long) args[2], (unsigned long long) args[3], got,
                                         want);
                }
        }
        /* A syscall the policy does not name gets the default, trap. */
        assert_int_equal(run_filter(prog, n, syscall_nr("ptrace"), ARGS(0)),
                         syscall_policy_may_allow(p, "ptrace") ? SCMP_ACT_ALLOW : SCMP_ACT_TRAP);
}

static void test_corpus_policy(void **state) {
        const char *name = *state;
        if (!have_corpus()) {
                printf("SKIP: %s is absent (the shared corpus is not checked out next to the project)\n",
                       corpus_dir);
                skip();
        }
#if !defined(__x86_64__)
        printf("SKIP: the crosvm corpus is the x86_64 set\n");
        skip();
#endif
        char path[4200];
        snprintf(path, sizeof(path), "%s/%s.policy", corpus_dir, name);
        assert_int_equal(access(path, R_OK), 0); /* listed, so it must exist */
        const struct include_prefix prefix = {"/usr/share/policy/crosvm", corpus_dir};
        struct syscall_policy_options opts = {
                .include_prefixes = &prefix,
                .n_include_prefixes = 1,
                .default_action = {.type = POLICY_ACTION_TRAP},
                .default_action_set = true,
        };
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        assert_int_equal(syscall_policy_new(&opts, &p), 0);
        int r = syscall_policy_parse_file(p, path, &d);
        scmp_filter_ctx ctx = NULL;
        struct syscall_policy_compile_stats stats = {};
        if (r == 0)
                r = syscall_policy_compile_stats(p, &ctx, &stats, &d);
        if (r != 0 || d.n_errors)
                diag_print(&d, stdout);
        assert_int_equal(r, 0);
        assert_int_equal(d.n_errors, 0);
        void *prog = NULL;
        size_t n = 0;
        assert_int_equal(syscall_policy_export(ctx, &prog, &n), 0);
        printf("%s: %zu syscalls, %zu rules, %zu libseccomp rules, %zu BPF instructions\n", name,
               stats.syscalls, stats.rules, stats.libseccomp_rules, n);
        assert_true(stats.syscalls > 0);
        compare_with_decide(p, prog, n);
        free(prog);
        seccomp_release(ctx);
        syscall_policy_free(p);
        diag_clear(&d);
}

static void test_corpus_has_no_unlisted_policy(void **state) {
        if (!have_corpus()) {
                printf("SKIP: %s is absent\n", corpus_dir);
                skip();
        }
        /* Every .policy in the corpus is one of the listed ones. */
        char cmd[4300];
        snprintf(cmd, sizeof(cmd), "ls '%s' | grep -c '\\.policy$'", corpus_dir);
        FILE *f = popen(cmd, "r");
        assert_non_null(f);
        unsigned count = 0;
        assert_int_equal(fscanf(f, "%u", &count), 1);
        pclose(f);
        assert_int_equal(count, N_POLICIES);
}

int main(void) {
        struct CMUnitTest tests[N_POLICIES + 1];
        static char names[N_POLICIES][64];
        for (size_t i = 0; i < N_POLICIES; i++) {
                snprintf(names[i], sizeof(names[i]), "crosvm_%s", corpus_policies[i]);
                tests[i] = (struct CMUnitTest){.name = names[i],
                                               .test_func = test_corpus_policy,
                                               .initial_state = (void *) corpus_policies[i]};
        }
        tests[N_POLICIES] = (struct CMUnitTest){.name = "corpus_has_no_unlisted_policy",
                                                .test_func = test_corpus_has_no_unlisted_policy};
        return _cmocka_run_group_tests("seccomp_corpus", tests, N_POLICIES + 1, NULL, NULL);
}
