/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Random small `read:` policies (fixed seed), compiled and run through the
 * BPF interpreter, against syscall_policy_decide().  A filter the compiler
 * hands out must agree everywhere tried; a policy it refuses (too many
 * libseccomp rules, a mis-compile its own check caught, libseccomp too
 * slow) is counted, not failed.  The shapes are the reviewer's fuzzer's. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bpf_eval.h"
#include "helpers.h"
#include "compile_child.h"

/* About 20 ms each: libseccomp's rule merge dominates, and some of these
 * shapes take it a second or more (cut off by the 1 s CPU limit). */
#define N_POLICIES 400

/* Under ASan: libseccomp 2.5.4 loses tree nodes when it merges some of
 * these rule sets (allocated inside libseccomp.so, after seccomp_release);
 * its leak is not the compiler's. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
        return "leak:libseccomp.so\n";
}

static const uint64_t values[] = {
        0,
        1,
        2,
        3,
        4,
        5,
        7,
        8,
        0xff,
        0x100,
        0xffffffff,
        0x100000000,
        0x100000001,
        0x300000003,
        0x7fffffffffffffff,
        0x8000000000000000,
        UINT64_MAX,
        UINT64_MAX - 1,
};
#define N_VALUES (sizeof(values) / sizeof(values[0]))
static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">=", "&", "in"};
static const char *const actions[] = {"allow", "return 1", "return 13", "trap", "log"};

static uint64_t next_random(uint64_t *state) {
        /* splitmix64 */
        uint64_t z = (*state += 0x9e3779b97f4a7c15);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
}

static unsigned pick(uint64_t *seed, unsigned n) {
        return (unsigned) (next_random(seed) % n);
}

static void random_policy(uint64_t *seed, char *buf, size_t size) {
        size_t len = 0;
        unsigned n_rules = 1 + pick(seed, 3);
        for (unsigned r = 0; r < n_rules; r++) {
                len += (size_t) snprintf(buf + len, size - len, "read: ");
                if (pick(seed, 100) < 15) {
                        len += (size_t) snprintf(buf + len, size - len, "%s\n", actions[pick(seed, 5)]);
                        continue;
                }
                /* At most three atoms a rule: more multiplies out into
                 * policies libseccomp needs seconds for. */
                unsigned n_clauses = 1 + pick(seed, 2);
                for (unsigned c = 0; c < n_clauses; c++) {
                        unsigned n_atoms = c ? 1 : 1 + pick(seed, 2);
                        for (unsigned a = 0; a < n_atoms; a++)
                                len += (size_t) snprintf(buf + len, size - len, "%sarg%u %s %#llx",
                                                         a   ? " && "
                                                         : c ? " || "
                                                             : "",
                                                         pick(seed, 2), ops[pick(seed, 8)],
                                                         (unsigned long long) values[pick(seed, N_VALUES)]);
                }
                if (pick(seed, 100) < 25)
                        len += (size_t) snprintf(buf + len, size - len, "; %s", actions[1 + pick(seed, 2)]);
                len += (size_t) snprintf(buf + len, size - len, "\n");
        }
}

/* Every pair of interesting values and their neighbours, plus random ones. */
static void compare(const struct syscall_policy *p, const void *prog, size_t n, const char *text,
                    uint64_t *seed) {
        int nr = syscall_nr("read");
        for (size_t i = 0; i < N_VALUES * N_VALUES + 64; i++) {
                uint64_t args[6] = {};
                if (i < N_VALUES * N_VALUES) {
                        args[0] = values[i / N_VALUES];
                        args[1] = values[i % N_VALUES] + (uint64_t) ((int) (i % 3) - 1);
                } else {
                        args[0] = next_random(seed);
                        args[1] = next_random(seed);
                }
                uint32_t want = policy_action_to_scmp(syscall_policy_decide(p, nr, args));
                uint32_t got = run_filter(prog, n, nr, args);
                if (want != got)
                        fail_msg("read(%#llx, %#llx): BPF %#x, policy %#x\n%s", (unsigned long long) args[0],
                                 (unsigned long long) args[1], got, want, text);
        }
}

static void test_random_read_policies_match_decide(void **state) {
        uint64_t seed = 20261123;
        unsigned compiled = 0, refused = 0;
        for (unsigned k = 0; k < N_POLICIES; k++) {
                char text[2048];
                random_policy(&seed, text, sizeof(text));

                struct syscall_policy *p = NULL;
                struct diag d = DIAG_INIT;
                int r = parse_policy(text, NULL, NULL, &p, &d);
                struct sock_filter *prog = NULL;
                size_t n = 0;
                /* A rule after an unconditional one is a parse error. */
                if (r == 0)
                        r = compile_child_run(p, 1, &prog, &n, NULL, &d);
                if (r == 0) {
                        compare(p, prog, n, text, &seed);
                        free(prog);
                        compiled++;
                } else {
                        assert_int_equal(r, -EINVAL);
                        assert_true(d.n_errors >= 1);
                        refused++;
                }
                syscall_policy_free(p);
                diag_clear(&d);
        }
        printf("%u policies: %u compiled and agree with the policy, %u refused\n", N_POLICIES, compiled,
               refused);
        assert_true(compiled > N_POLICIES / 2);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_random_read_policies_match_decide),
        };
        return cmocka_run_group_tests_name("seccomp_differential", tests, NULL, NULL);
}
