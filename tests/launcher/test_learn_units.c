/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `sealrun learn` without a process: calls recorded from seccomp_data as
 * the supervisor gets them, the policy text written from the record, that
 * text compiled by the policy compiler, and its BPF (bpf_eval) allowing
 * exactly the calls seen; the learn command line. */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>

#include <cmocka.h>

#include "bpf_eval.h"
#include "cli.h"
#include "learn_policy.h"
#include "learn_record.h"
#include "syscall_policy.h"

static struct seccomp_data call(int nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) {
        return (struct seccomp_data){.nr = nr, .arch = policy_arch_native(), .args = {a0, a1, a2, a3}};
}

/* What a small reader does: the calls test_* below record. */
static const struct seccomp_data *reader_calls(size_t *n) {
        static struct seccomp_data v[12];
        size_t i = 0;
        v[i++] = call(SYS_openat, (uint64_t) AT_FDCWD, 0x1000, O_RDONLY | O_CLOEXEC, 0);
        v[i++] = call(SYS_openat, (uint64_t) AT_FDCWD, 0x2000, O_RDONLY | O_DIRECTORY, 0);
        v[i++] = call(SYS_ioctl, 1, TCGETS, 0x3000, 0);
        v[i++] = call(SYS_ioctl, 0, FIONREAD, 0x3000, 0);
        v[i++] = call(SYS_ioctl, 1, TCGETS, 0x3008, 0);
        v[i++] = call(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, 0);
        v[i++] = call(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        v[i++] = call(SYS_mprotect, 0x7000, 4096, PROT_READ | PROT_EXEC, 0);
        v[i++] = call(SYS_futex, 0x4000, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, 0);
        v[i++] = call(SYS_kill, 42, SIGTERM, 0, 0);
        v[i++] = call(SYS_read, 3, 0x5000, 100, 0);
        v[i++] = call(SYS_clone, CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, 0, 0, 0);
        *n = i;
        return v;
}

static const struct learn_run run1 = {
        .number = 1,
        .program = "/usr/bin/reader",
        .exec_by_path = true,
        .command = "sealrun learn -o reader.policy reader.workload",
        .outcome = "exited with status 0",
        .date = "2026-12-04",
        .kernel = "6.18",
};

static void record_all(struct learn_record *r, const struct seccomp_data *v, size_t n) {
        for (size_t i = 0; i < n; i++)
                assert_int_equal(learn_record_add(r, &v[i]), 0);
        learn_record_sort(r);
}

static char *policy_text(const struct learn_record *r) {
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        assert_non_null(f);
        assert_int_equal(learn_policy_write(f, "reader.policy", r, &run1), 0);
        assert_int_equal(fclose(f), 0);
        return text;
}

/* The written text through the compiler, as `seccomp include` would. */
static struct sock_filter *compile_text(const char *text, size_t *n) {
        struct syscall_policy_options opts = {0};
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        assert_int_equal(syscall_policy_new(&opts, &p), 0);
        int r = syscall_policy_parse_text(p, "reader.policy", 1, text, strlen(text), &d);
        if (r < 0 || d.n_errors)
                diag_print(&d, stderr);
        assert_int_equal(r, 0);
        assert_int_equal(d.n_errors, 0);
        struct sock_filter *prog = NULL;
        assert_int_equal(syscall_policy_compile_program(p, &prog, n, NULL, &d), 0);
        syscall_policy_free(p);
        diag_clear(&d);
        return prog;
}

static uint32_t action_of(const struct sock_filter *prog, size_t n, struct seccomp_data c) {
        return bpf_eval(prog, n, &c) & SECCOMP_RET_ACTION_FULL;
}

static void learned_policy_allows_what_was_seen_and_nothing_else(void **state) {
        (void) state;
        size_t n_calls, n;
        const struct seccomp_data *v = reader_calls(&n_calls);
        struct learn_record r = LEARN_RECORD_INIT;
        record_all(&r, v, n_calls);
        char *text = policy_text(&r);
        struct sock_filter *prog = compile_text(text, &n);
        for (size_t i = 0; i < n_calls; i++)
                assert_int_equal(action_of(prog, n, v[i]), SECCOMP_RET_ALLOW);
        /* The attacks a learned policy must still stop. */
        const struct seccomp_data denied[] = {
                call(SYS_openat, (uint64_t) AT_FDCWD, 0x1000, O_WRONLY | O_CREAT | O_TRUNC, 0644),
                call(SYS_openat, (uint64_t) AT_FDCWD, 0x1000, O_RDWR, 0),
                call(SYS_ioctl, 0, TIOCSTI, 0x3000, 0),
                call(SYS_socket, AF_INET, SOCK_STREAM, 0, 0),
                call(SYS_socket, AF_UNIX, SOCK_DGRAM, 0, 0),
                call(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS),
                call(SYS_mprotect, 0x7000, 4096, PROT_WRITE | PROT_EXEC, 0),
                call(SYS_kill, 1, SIGKILL, 0, 0),
                call(SYS_clone, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND, 0, 0, 0),
                call(SYS_write, 1, 0x5000, 10, 0),
                call(SYS_execveat, 3, 0x1000, 0, 0),
        };
        for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
                assert_int_equal(action_of(prog, n, denied[i]), SECCOMP_RET_KILL_PROCESS);
        free(prog);
        free(text);
        learn_record_free(&r);
}

static void statements_name_constants_and_count_calls(void **state) {
        (void) state;
        size_t n_calls;
        const struct seccomp_data *v = reader_calls(&n_calls);
        struct learn_record r = LEARN_RECORD_INIT;
        record_all(&r, v, n_calls);
        char *text = policy_text(&r);
        static const char *const expected[] = {
                "\n@default kill-process\n",
                "\nioctl: arg1 == TCGETS || arg1 == FIONREAD  # run 1: 3 calls\n",
                "\nsocket: arg0 == AF_UNIX && arg1 == SOCK_STREAM|SOCK_CLOEXEC  # run 1: 1 call\n",
                "\nopenat: arg2 in O_RDONLY|O_DIRECTORY|O_CLOEXEC  # run 1: 2 calls, read-only opens only\n",
                "\nmmap: arg2 in ~PROT_EXEC || arg2 in ~PROT_WRITE  # run 1: 1 call, never writable",
                "\nfutex: arg1 == FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME  # run 1",
                "\nkill: arg1 == SIGTERM  # run 1",
                "\nclone: arg0 == CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD  # run 1",
                "\nread: 1  # run 1: 1 call\n",
                "\n# run 1, 2026-12-04, sealrun " SEALRUN_VERSION
                ", Linux 6.18: /usr/bin/reader exited with status 0\n"
                "#   sealrun learn -o reader.policy reader.workload\n#   9 syscalls, 12 calls\n",
        };
        for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
                if (!strstr(text, expected[i]))
                        fail_msg("missing\n%s\nin\n%s", expected[i], text);
        /* Sorted by name. */
        assert_true(strstr(text, "\nclone:") < strstr(text, "\nfutex:"));
        assert_true(strstr(text, "\nsocket:") > strstr(text, "\nread:"));
        free(text);
        learn_record_free(&r);
}

static char *statement_of(const struct seccomp_data *v, size_t n) {
        struct learn_record r = LEARN_RECORD_INIT;
        record_all(&r, v, n);
        assert_int_equal(r.n_syscalls, 1);
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        assert_int_equal(learn_line_write(f, &r.syscalls[0], &run1), 0);
        fclose(f);
        learn_record_free(&r);
        return text;
}

static void a_writable_open_or_wx_mapping_drops_the_filter(void **state) {
        (void) state;
        struct seccomp_data opens[] = {call(SYS_openat, (uint64_t) AT_FDCWD, 1, O_RDONLY, 0),
                                       call(SYS_openat, (uint64_t) AT_FDCWD, 1, O_WRONLY | O_APPEND, 0)};
        char *s = statement_of(opens, 2);
        assert_string_equal(s, "openat: 1  # run 1: 2 calls\n");
        free(s);
        struct seccomp_data plain[] = {call(SYS_openat, (uint64_t) AT_FDCWD, 1, O_RDONLY, 0)};
        s = statement_of(plain, 1);
        assert_string_equal(s, "openat: arg2 == O_RDONLY  # run 1: 1 call, read-only opens only\n");
        free(s);
        struct seccomp_data wx[] = {call(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE)};
        s = statement_of(wx, 1);
        assert_string_equal(s, "mmap: 1  # run 1: 1 call\n");
        free(s);
}

/* The kernel reads ioctl's cmd as an unsigned int: a value with high bits
 * is recorded as the command it is (arg_width.c, CVE-2019-10063). */
static void values_are_recorded_at_the_width_the_kernel_reads(void **state) {
        (void) state;
        struct seccomp_data c[] = {call(SYS_ioctl, 1, (UINT64_C(1) << 32) | TCGETS, 0, 0)};
        char *s = statement_of(c, 1);
        assert_string_equal(s, "ioctl: arg1 == TCGETS  # run 1: 1 call\n");
        free(s);
}

static void too_many_values_allow_the_syscall_and_say_so(void **state) {
        (void) state;
        struct seccomp_data c[LEARN_VALUES_MAX + 1];
        for (unsigned i = 0; i <= LEARN_VALUES_MAX; i++)
                c[i] = call(SYS_ioctl, 1, 0x5400 + i, 0, 0);
        char *s = statement_of(c, LEARN_VALUES_MAX + 1);
        assert_non_null(
                strstr(s, "ioctl: 1  # run 1: 33 calls, more than 32 different arguments: any allowed\n"));
        free(s);
}

static void sealruns_own_exec_and_foreign_arches_are_named(void **state) {
        (void) state;
        struct seccomp_data c[] = {call(SYS_execve, 0x1000, 0x2000, 0x3000, 0)};
        char *s = statement_of(c, 1);
        assert_string_equal(s, "execve: 1  # run 1: 1 call (sealrun's own exec of /usr/bin/reader)\n");
        free(s);
        struct learn_record r = LEARN_RECORD_INIT;
        struct seccomp_data foreign = call(SYS_read, 0, 0, 0, 0);
        foreign.arch = 0x40000003; /* AUDIT_ARCH_I386 */
        assert_int_equal(learn_record_add(&r, &foreign), 0);
        assert_int_equal(r.n_syscalls, 0);
        assert_int_equal(r.foreign_arch_calls, 1);
        learn_record_free(&r);
}

static void merge_block_numbers_the_next_run(void **state) {
        (void) state;
        assert_int_equal(learn_last_run("read: 1\n"), 0);
        assert_int_equal(learn_last_run("# run 1, x\nread: 1\n# run 3, y\n# run 2, z\n# run 9 no comma\n"),
                         3);
        struct learn_run run = run1;
        run.number = 4;
        struct seccomp_data c[] = {call(SYS_fcntl, 3, F_SETFD, FD_CLOEXEC, 0)};
        struct learn_record r = LEARN_RECORD_INIT;
        record_all(&r, c, 1);
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        assert_int_equal(learn_merge_block_write(f, &r, &run), 0);
        fclose(f);
        assert_non_null(strstr(text, "\n# run 4, 2026-12-04"));
        assert_non_null(strstr(text, "#   added by run 4: 1 statement (1 call the policy did not allow)\n"
                                     "fcntl: arg1 == F_SETFD  # run 4: 1 call\n"));
        assert_int_equal(learn_last_run(text), 4);
        free(text);
        learn_record_free(&r);
}

static int parse_learn(char **argv, struct cli_options *o, struct diag *d) {
        int argc = 0;
        while (argv[argc])
                argc++;
        return cli_parse_learn(argc, argv, o, d);
}

static void cli_learn_has_two_forms_and_one_output(void **state) {
        (void) state;
        struct cli_options o;
        struct diag d = DIAG_INIT;
        char in[] = "in=a.gz";
        char *run_form[] = {"learn", "-o", "g.policy", "g.workload", "--input", in, "--", "-v", NULL};
        assert_int_equal(parse_learn(run_form, &o, &d), 0);
        assert_true(o.learn.active);
        assert_int_equal(o.command, CLI_RUN);
        assert_string_equal(o.learn.output, "g.policy");
        assert_string_equal(o.workload, "g.workload");
        assert_int_equal(o.n_inputs, 1);
        assert_int_equal(o.n_args, 1);
        cli_options_free(&o);
        char *exec_form[] = {"learn", "exec", "--check", "g.policy", "--", "/bin/gzip", "-dc", NULL};
        assert_int_equal(parse_learn(exec_form, &o, &d), 0);
        assert_int_equal(o.command, CLI_EXEC);
        assert_string_equal(o.learn.check, "g.policy");
        assert_string_equal(o.exec_workload.program, "/bin/gzip");
        cli_options_free(&o);
        static const char *const wrong[][7] = {
                {"learn", "g.workload"},
                {"learn", "-o", "a", "--merge", "b", "g.workload"},
                {"learn", "--merge", "a", "--force", "g.workload"},
                {"learn", "-o", "a", "--explain", "g.workload"},
                {"learn", "-o", "a", "--dry-run", "g.workload"},
        };
        static const char *const message[] = {"expected exactly one of", "expected exactly one of",
                                              "--force is for -o", "--explain is for run and exec",
                                              "--dry-run is for run and exec"};
        for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
                diag_clear(&d);
                char *argv[7] = {0}; /* getopt permutes it */
                memcpy(argv, wrong[i], sizeof(argv));
                assert_int_equal(parse_learn(argv, &o, &d), -EINVAL);
                assert_int_equal(d.n_errors, 1);
                if (!strstr(d.entries[0].message, message[i]))
                        fail_msg("case %zu: '%s' lacks '%s'", i, d.entries[0].message, message[i]);
        }
        diag_clear(&d);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(learned_policy_allows_what_was_seen_and_nothing_else),
                cmocka_unit_test(statements_name_constants_and_count_calls),
                cmocka_unit_test(a_writable_open_or_wx_mapping_drops_the_filter),
                cmocka_unit_test(values_are_recorded_at_the_width_the_kernel_reads),
                cmocka_unit_test(too_many_values_allow_the_syscall_and_say_so),
                cmocka_unit_test(sealruns_own_exec_and_foreign_arches_are_named),
                cmocka_unit_test(merge_block_numbers_the_next_run),
                cmocka_unit_test(cli_learn_has_two_forms_and_one_output),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
