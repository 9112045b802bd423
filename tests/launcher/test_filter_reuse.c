/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The precompiled-filter path (`seccomp compiled FILE sha256=HEX`): a
 * `sealrun compile` artifact, pinned, runs and is enforced (sealed exec
 * included, although the policy lacks execveat: the launcher's prefix
 * admits its own exec); a tampered, truncated, stale, replaced or malformed
 * artifact is refused with exit 125 and no target started.  Plus the prefix
 * itself, run through a small classic-BPF interpreter. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "filter_bpf.h"
#include "harness.h"
#include "sealfd.h"

/* `sealrun compile` POLICY_TEXT into dir/NAME; returns the .bpf path. */
static char *compile(struct tmpdir_fixture *f, const char *name, const char *policy_text,
                     const char *default_action) {
        char policy_name[256];
        snprintf(policy_name, sizeof(policy_name), "%s.policy", name);
        return compile_policy(f->dir, policy_name, policy_text, default_action, name);
}

/* A workload running the probe with `extra` lines and the compiled filter
 * at bpf pinned to `pin` (hex). */
static char *workload(struct tmpdir_fixture *f, const char *extra, const char *bpf, const char *pin) {
        char *text;
        assert_true(asprintf(&text, "program %s\n%sseccomp compiled %s sha256=%s\n", probe_path(), extra, bpf,
                             pin) > 0);
        char *wl = write_file(f->dir, "reuse.workload", text, 0644);
        free(text);
        return wl;
}

static void run_workload(char *wl, struct run_result *r) {
        run_workload_args(wl, NULL, NULL, NULL, r);
}

/* probe_policy_allow() compiled into p.bpf; its digest into pin. */
static char *compile_probe_policy(struct tmpdir_fixture *f, const char *default_action, char pin[65]) {
        char *bpf = compile(f, "p.bpf", probe_policy_allow(), default_action);
        file_sha256_hex(bpf, pin);
        return bpf;
}

/* Runs the probe workload of `extra` lines with bpf pinned to pin. */
static void run_pinned(struct tmpdir_fixture *f, const char *extra, const char *bpf, const char *pin,
                       struct run_result *r) {
        char *wl = workload(f, extra, bpf, pin);
        run_workload(wl, r);
        free(wl);
}

/* Exit 125, the target never started, stderr says words. */
static void assert_not_started(const struct run_result *r, const char *words) {
        assert_int_equal(r->status, 125);
        assert_null(strstr(r->out, "started"));
        assert_non_null(strstr(r->err, words));
}

/* Refused: not started, and stderr names the file in one line. */
static void assert_refused(const struct run_result *r, const char *words) {
        assert_not_started(r, words);
        assert_non_null(strstr(r->err, "seccomp compiled filter"));
        assert_int_equal(count_lines(r->err), 1);
}

static void compiled_filter_is_enforced_on_path_exec(void **state) {
        struct tmpdir_fixture *f = *state;
        char pin[65];
        char *bpf = compile_probe_policy(f, "return EXDEV", pin);
        struct run_result r;
        run_pinned(f, "exec path\nargv probe --try-socket\n", bpf, pin, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, "no_new_privs 1"));
        assert_true(report_has_line(r.out, "try socket EXDEV"));
        run_result_free(&r);
        free(bpf);
}

/* probe_policy_allow() has execve but no execveat: the prefix alone lets
 * the launcher's execveat(BINFD, "", AT_EMPTY_PATH) through. */
static void sealed_exec_works_with_a_compiled_policy_lacking_execveat(void **state) {
        struct tmpdir_fixture *f = *state;
        assert_null(strstr(probe_policy_allow(), "execveat"));
        char pin[65];
        char *bpf = compile_probe_policy(f, "kill-process", pin);
        struct run_result r;
        run_pinned(f, "exec sealed\nargv probe --try-socket\n", bpf, pin, &r);
        assert_true(report_has_line(r.out, "started 1"));
        assert_true(report_has_line(r.out, "no_new_privs 1"));
        assert_int_equal(r.signal, SIGSYS); /* socket() met the policy's default */
        assert_null(strstr(r.out, "try socket"));
        run_result_free(&r);
        free(bpf);
}

static void the_prefix_admits_no_execveat_of_another_fd(void **state) {
        struct tmpdir_fixture *f = *state;
        char pin[65];
        char *bpf = compile_probe_policy(f, "kill-process", pin);
        struct run_result r;
        run_pinned(f, "exec sealed\nargv probe --execveat-other\n", bpf, pin, &r);
        assert_true(report_has_line(r.out, "started 1"));
        assert_int_equal(r.signal, SIGSYS);
        assert_null(strstr(r.out, "execveat other"));
        run_result_free(&r);
        free(bpf);
}

static void tampered_byte_is_refused_with_both_digests(void **state) {
        struct tmpdir_fixture *f = *state;
        char pin[65], now[65];
        char *bpf = compile_probe_policy(f, "kill-process", pin);
        int fd = open(bpf, O_RDWR | O_CLOEXEC);
        assert_true(fd >= 0);
        uint8_t byte;
        assert_int_equal(pread(fd, &byte, 1, 40), 1);
        byte ^= 0x01;
        assert_int_equal(pwrite(fd, &byte, 1, 40), 1);
        close(fd);
        file_sha256_hex(bpf, now);
        struct run_result r;
        run_pinned(f, "exec path\nargv probe\n", bpf, pin, &r);
        assert_refused(&r, "SHA-256 mismatch");
        assert_non_null(strstr(r.err, pin));
        assert_non_null(strstr(r.err, now));
        run_result_free(&r);
        free(bpf);
}

static void truncated_filter_is_refused(void **state) {
        struct tmpdir_fixture *f = *state;
        char pin[65];
        char *bpf = compile_probe_policy(f, "kill-process", pin);
        struct stat st;
        assert_int_equal(stat(bpf, &st), 0);
        assert_int_equal(truncate(bpf, st.st_size - 8), 0); /* still whole instructions */
        struct run_result r;
        run_pinned(f, "exec path\nargv probe\n", bpf, pin, &r);
        assert_refused(&r, "SHA-256 mismatch");
        assert_non_null(strstr(r.err, pin));
        run_result_free(&r);
        free(bpf);
}

/* The policy changed and was recompiled to the same file, but the workload
 * still pins the old filter: the reviewed pin wins. */
static void stale_pin_after_the_policy_changed_is_refused(void **state) {
        struct tmpdir_fixture *f = *state;
        char pin[65];
        char *bpf = compile_probe_policy(f, "kill-process", pin);
        char *changed;
        assert_true(asprintf(&changed, "%ssocket: 1\n", probe_policy_allow()) > 0);
        free(compile(f, "p.bpf", changed, "kill-process"));
        struct run_result r;
        run_pinned(f, "exec path\nargv probe --try-socket\n", bpf, pin, &r);
        assert_refused(&r, "SHA-256 mismatch");
        run_result_free(&r);
        free(bpf);
        free(changed);
}

static void symlink_planted_in_place_of_the_filter_is_refused(void **state) {
        struct tmpdir_fixture *f = *state;
        char pin[65];
        char *bpf = compile_probe_policy(f, "kill-process", pin);
        char *weak = compile(f, "weak.bpf", probe_policy_allow(), "allow");
        assert_int_equal(unlink(bpf), 0);
        assert_int_equal(symlink(weak, bpf), 0);
        struct run_result r;
        run_pinned(f, "exec path\nargv probe\n", bpf, pin, &r);
        assert_refused(&r, "SHA-256 mismatch");
        run_result_free(&r);
        free(weak);
        free(bpf);
}

static void pinned_file_that_is_not_whole_instructions_is_refused(void **state) {
        struct tmpdir_fixture *f = *state;
        char *bad = write_file(f->dir, "odd.bpf", "1234567", 0644);
        char pin[65];
        file_sha256_hex(bad, pin);
        struct run_result r;
        run_pinned(f, "exec path\nargv probe\n", bad, pin, &r);
        assert_refused(&r, "not a whole number of BPF instructions");
        run_result_free(&r);
        free(bad);
}

static void directory_in_place_of_the_filter_is_refused(void **state) {
        struct tmpdir_fixture *f = *state;
        char *dir = path_in(f->dir, "d.bpf");
        assert_int_equal(mkdir(dir, 0755), 0);
        struct run_result r;
        run_pinned(f, "exec path\nargv probe\n", dir,
                   "0000000000000000000000000000000000000000000000000000000000000000", &r);
        assert_refused(&r, "is not a regular file");
        run_result_free(&r);
        free(dir);
}

static void missing_pin_is_a_parse_error(void **state) {
        struct tmpdir_fixture *f = *state;
        char *text;
        assert_true(asprintf(&text, "program %s\nseccomp compiled ./p.bpf\n", probe_path()) > 0);
        char *wl = write_file(f->dir, "nopin.workload", text, 0644);
        struct run_result r;
        run_workload(wl, &r);
        assert_not_started(&r, "expected a BPF file and sha256=HEX");
        run_result_free(&r);
        free(wl);
        free(text);
}

static void compiled_with_an_included_policy_is_refused(void **state) {
        struct tmpdir_fixture *f = *state;
        char pin[65];
        char *bpf = compile_probe_policy(f, "kill-process", pin);
        struct run_result r;
        run_pinned(f, "seccomp include ./p.bpf.policy\n", bpf, pin, &r);
        assert_not_started(&r, "'seccomp compiled' is the whole filter");
        run_result_free(&r);
        free(bpf);
}

static void dry_run_shows_the_compiled_filter_and_the_prefix(void **state) {
        struct tmpdir_fixture *f = *state;
        char pin[65];
        char *bpf = compile_probe_policy(f, "kill-process", pin);
        struct stat st;
        assert_int_equal(stat(bpf, &st), 0);
        char *wl = workload(f, "exec sealed\n", bpf, pin);
        char *argv[] = {(char *) sealrun_path(), "run", "--dry-run", "--json", wl, NULL};
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        char want[64];
        snprintf(want, sizeof(want), "\"bpf_instructions\":%lld,", (long long) st.st_size / 8);
        assert_non_null(strstr(r.out, want));
        assert_non_null(strstr(r.out, "\"launcher_instructions\":"));
        run_result_free(&r);
        free(wl);
        free(bpf);
}

static void exec_option_takes_a_pinned_compiled_filter(void **state) {
        struct tmpdir_fixture *f = *state;
        char pin[65];
        char *bpf = compile_probe_policy(f, "return EXDEV", pin);
        char *spec;
        assert_true(asprintf(&spec, "%s,sha256=%s", bpf, pin) > 0);
        char *argv[] = {
                (char *) sealrun_path(), "exec", "--seccomp-compiled", spec, "--", (char *) probe_path(),
                "--try-socket",          NULL};
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_true(report_has_line(r.out, "try socket EXDEV"));
        run_result_free(&r);
        free(spec);
        free(bpf);
}

/* CI catches a stale pin before any launch does. */
static void check_reports_a_stale_pin_and_accepts_a_good_one(void **state) {
        struct tmpdir_fixture *f = *state;
        char pin[65];
        char *bpf = compile_probe_policy(f, "kill-process", pin);
        char *wl = workload(f, "exec path\nargv probe\n", bpf, pin);
        char *argv[] = {(char *) sealrun_path(), "check", wl, NULL};
        struct run_result r;
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        run_result_free(&r);
        char *changed;
        assert_true(asprintf(&changed, "%ssocket: 1\n", probe_policy_allow()) > 0);
        free(compile(f, "p.bpf", changed, "kill-process"));
        run_argv(argv, NULL, NULL, &r);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "SHA-256 mismatch"));
        assert_non_null(strstr(r.err, pin));
        run_result_free(&r);
        free(changed);
        free(wl);
        free(bpf);
}

/* `from POLICY`: check recompiles the policy (with its own options, the
 * ones given to compile) and reports a file that no longer matches; the
 * launcher itself never recompiles. */
static void check_reports_a_compiled_filter_stale_against_its_policy(void **state) {
        struct tmpdir_fixture *f = *state;
        char *bpf = compile(f, "p.bpf", probe_policy_allow(), "kill-process");
        char *policy = path_in(f->dir, "p.bpf.policy"); /* what compile() wrote */
        char pin[65];
        file_sha256_hex(bpf, pin);
        char *extra;
        assert_true(asprintf(&extra, "exec path\nargv probe\n") > 0);
        char *text;
        assert_true(asprintf(&text, "program %s\n%sseccomp compiled %s sha256=%s from %s\n", probe_path(),
                             extra, bpf, pin, policy) > 0);
        char *wl = write_file(f->dir, "from.workload", text, 0644);
        char *check[] = {(char *) sealrun_path(), "check", "--default-action", "kill-process", wl, NULL};
        struct run_result r;
        run_argv(check, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        run_result_free(&r);
        /* The policy changes, the file is not recompiled: stale. */
        char *changed;
        assert_true(asprintf(&changed, "%ssocket: 1\n", probe_policy_allow()) > 0);
        free(write_file(f->dir, "p.bpf.policy", changed, 0644));
        run_argv(check, NULL, NULL, &r);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "stale: "));
        assert_non_null(strstr(r.err, "recompile with sealrun compile"));
        run_result_free(&r);
        /* The launch path does not recompile: the pinned file still runs. */
        char *run[] = {(char *) sealrun_path(), "run", wl, NULL};
        run_argv(run, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        run_result_free(&r);
        free(changed);
        free(wl);
        free(text);
        free(extra);
        free(policy);
        free(bpf);
}

/* ---- the prefix, interpreted ---- */

#define FELL_THROUGH 0xffffffffu

/* Runs the prefix on one syscall: its return value, or FELL_THROUGH when
 * control leaves the prefix (then A and X must both be 0). */
static uint32_t run_prefix(const struct sock_filter *prog, size_t n, const struct seccomp_data *sd) {
        uint32_t a = 0xdeadbeef, x = 0xdeadbeef;
        for (size_t pc = 0; pc < n; pc++) {
                const struct sock_filter *i = &prog[pc];
                switch (i->code) {
                case BPF_LD | BPF_W | BPF_ABS:
                        assert_true(i->k % 4 == 0 && i->k < sizeof(*sd));
                        memcpy(&a, (const char *) sd + i->k, 4);
                        break;
                case BPF_LD | BPF_IMM:
                        a = i->k;
                        break;
                case BPF_LDX | BPF_IMM:
                        x = i->k;
                        break;
                case BPF_JMP | BPF_JA:
                        pc += i->k;
                        break;
                case BPF_JMP | BPF_JEQ | BPF_K:
                        pc += a == i->k ? i->jt : i->jf;
                        break;
                case BPF_RET | BPF_K:
                        return i->k;
                default:
                        fail_msg("unexpected BPF opcode 0x%x at %zu", i->code, pc);
                }
                assert_true(pc < n + 1); /* a jump lands inside, or just past the end */
        }
        assert_int_equal(a, 0);
        assert_int_equal(x, 0);
        return FELL_THROUGH;
}

#define PATH_PTR UINT64_C(0x7f1234567891)
#define ARGV_PTR UINT64_C(0x7f1234568a08)
#define ENVP_PTR UINT64_C(0x7f123456a3f0)

static uint32_t decide_args(const struct sock_filter *prog, size_t n, uint32_t arch, int nr,
                            const uint64_t args[6]) {
        struct seccomp_data sd = {.nr = nr, .arch = arch};
        memcpy(sd.args, args, sizeof(sd.args));
        return run_prefix(prog, n, &sd);
}

/* execveat with the launcher's own pointers and the given fd and flags. */
static uint32_t decide(const struct sock_filter *prog, size_t n, uint32_t arch, int nr, uint64_t a0,
                       uint64_t a4) {
        const uint64_t args[6] = {a0, PATH_PTR, ARGV_PTR, ENVP_PTR, a4, 0};
        return decide_args(prog, n, arch, nr, args);
}

static const struct launcher_exec_call exec_call = {1000, PATH_PTR, ARGV_PTR, ENVP_PTR};

static void prefix_allows_exactly_the_launchers_calls(void **state) {
        (void) state;
        struct sock_filter prog[LAUNCHER_PREFIX_MAX];
        const uint32_t arch = AUDIT_ARCH_X86_64;
        size_t n = filter_bpf_prefix_build(arch, &exec_call, 1001, -1, prog);
        assert_true(n > 0 && n <= LAUNCHER_PREFIX_MAX);
        assert_int_equal(decide(prog, n, arch, __NR_execveat, 1000, AT_EMPTY_PATH), SECCOMP_RET_ALLOW);
        assert_int_equal(decide(prog, n, arch, __NR_write, 1001, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(decide(prog, n, arch, __NR_exit_group, 0, 0), SECCOMP_RET_ALLOW);
        /* Everything else goes to the policy program. */
        assert_int_equal(decide(prog, n, arch, __NR_execveat, 999, AT_EMPTY_PATH), FELL_THROUGH);
        assert_int_equal(decide(prog, n, arch, __NR_execveat, 1000, 0), FELL_THROUGH);
        assert_int_equal(decide(prog, n, arch, __NR_execveat, 1000, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW),
                         FELL_THROUGH);
        assert_int_equal(decide(prog, n, arch, __NR_write, 1, 0), FELL_THROUGH);
        assert_int_equal(decide(prog, n, arch, __NR_execve, 1000, AT_EMPTY_PATH), FELL_THROUGH);
        /* Another ABI, even with the same numbers: the policy decides. */
        assert_int_equal(decide(prog, n, AUDIT_ARCH_I386, __NR_exit_group, 0, 0), FELL_THROUGH);
        assert_int_equal(decide(prog, n, arch, 0x40000000 | __NR_exit_group, 0, 0),
                         FELL_THROUGH); /* x32 bit */
}

/* The kernel ignores the fd for an absolute path: every pointer must be the
 * launcher's own, in both halves. */
static void prefix_execveat_rule_binds_every_pointer(void **state) {
        (void) state;
        struct sock_filter prog[LAUNCHER_PREFIX_MAX];
        const uint32_t arch = AUDIT_ARCH_X86_64;
        size_t n = filter_bpf_prefix_build(arch, &exec_call, -1, -1, prog);
        const uint64_t wrong[] = {0x1000, PATH_PTR ^ (UINT64_C(1) << 40), PATH_PTR + 1};
        for (int which = 1; which <= 3; which++)
                for (size_t k = 0; k < sizeof(wrong) / sizeof(wrong[0]); k++) {
                        uint64_t args[6] = {1000, PATH_PTR, ARGV_PTR, ENVP_PTR, AT_EMPTY_PATH, 0};
                        args[which] = wrong[k] + (uint64_t) which; /* never the right value */
                        assert_int_equal(decide_args(prog, n, arch, __NR_execveat, args), FELL_THROUGH);
                }
        /* High half alone differing. */
        const uint64_t high[6] = {1000, PATH_PTR + (UINT64_C(1) << 32), ARGV_PTR, ENVP_PTR, AT_EMPTY_PATH, 0};
        assert_int_equal(decide_args(prog, n, arch, __NR_execveat, high), FELL_THROUGH);
}

static void prefix_without_binary_or_status_fd_allows_only_exit_group(void **state) {
        (void) state;
        struct sock_filter prog[LAUNCHER_PREFIX_MAX];
        const uint32_t arch = AUDIT_ARCH_X86_64;
        size_t n = filter_bpf_prefix_build(arch, NULL, -1, -1, prog);
        assert_int_equal(decide(prog, n, arch, __NR_exit_group, 0, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(decide(prog, n, arch, __NR_execveat, (uint64_t) -1, AT_EMPTY_PATH), FELL_THROUGH);
        assert_int_equal(decide(prog, n, arch, __NR_write, (uint64_t) -1, 0), FELL_THROUGH);
}

/* A supervised run's handoff: sendmsg on that one fd number, nothing else. */
static void prefix_handoff_rule_admits_only_its_fd(void **state) {
        (void) state;
        struct sock_filter prog[LAUNCHER_PREFIX_MAX];
        const uint32_t arch = AUDIT_ARCH_X86_64;
        size_t n = filter_bpf_prefix_build(arch, &exec_call, 1001, 1002, prog);
        assert_true(n <= LAUNCHER_PREFIX_MAX);
        assert_int_equal(decide(prog, n, arch, __NR_sendmsg, 1002, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(decide(prog, n, arch, __NR_sendmsg, 1001, 0), FELL_THROUGH);
        assert_int_equal(decide(prog, n, arch, __NR_sendmsg, 3, 0), FELL_THROUGH);
        assert_int_equal(decide(prog, n, arch, __NR_write, 1002, 0), FELL_THROUGH);
        assert_int_equal(decide(prog, n, arch, __NR_write, 1001, 0), SECCOMP_RET_ALLOW);
        n = filter_bpf_prefix_build(arch, NULL, -1, -1, prog);
        assert_int_equal(decide(prog, n, arch, __NR_sendmsg, (uint64_t) -1, 0), FELL_THROUGH);
}

#define T(name) cmocka_unit_test_setup_teardown(name, tmpdir_fixture_setup, tmpdir_fixture_teardown)

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(prefix_allows_exactly_the_launchers_calls),
                cmocka_unit_test(prefix_execveat_rule_binds_every_pointer),
                cmocka_unit_test(prefix_without_binary_or_status_fd_allows_only_exit_group),
                cmocka_unit_test(prefix_handoff_rule_admits_only_its_fd),
                T(compiled_filter_is_enforced_on_path_exec),
                T(sealed_exec_works_with_a_compiled_policy_lacking_execveat),
                T(the_prefix_admits_no_execveat_of_another_fd),
                T(tampered_byte_is_refused_with_both_digests),
                T(truncated_filter_is_refused),
                T(stale_pin_after_the_policy_changed_is_refused),
                T(symlink_planted_in_place_of_the_filter_is_refused),
                T(pinned_file_that_is_not_whole_instructions_is_refused),
                T(directory_in_place_of_the_filter_is_refused),
                T(missing_pin_is_a_parse_error),
                T(compiled_with_an_included_policy_is_refused),
                T(dry_run_shows_the_compiled_filter_and_the_prefix),
                T(exec_option_takes_a_pinned_compiled_filter),
                T(check_reports_a_stale_pin_and_accepts_a_good_one),
                T(check_reports_a_compiled_filter_stale_against_its_policy),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
