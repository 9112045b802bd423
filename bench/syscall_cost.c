/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Seccomp runtime overhead: nanoseconds per system call, with and without a
 * filter loaded.
 *
 *   bench-syscall-cost [--batches N] [--calls N] [--syscall getppid|fcntl] [FILTER.bpf]
 *
 * FILTER.bpf is a raw array of struct sock_filter as `sealrun compile -o`
 * writes it; it is loaded with prctl(PR_SET_SECCOMP) after no_new_privs, so
 * this program shares no code with the launcher it measures.  `getppid` is
 * the classic cheapest syscall (an unconditional rule in the policy);
 * `fcntl(0, F_GETFD)` is a cheap syscall whose rule filters on an argument.
 *
 * Prints one JSON line: the median, min and max of the per-batch ns/call.
 * After the filter is loaded only getppid/fcntl, clock_gettime, write and
 * exit_group are called, so any policy that allows those works.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_BATCHES 101

struct options {
        unsigned batches;
        unsigned long calls;
        const char *syscall_name;
        const char *filter_path;
};

static int parse_options(int argc, char **argv, struct options *ret) {
        struct options o = {.batches = 15, .calls = 1000000, .syscall_name = "getppid"};

        for (int i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--batches") && i + 1 < argc)
                        o.batches = (unsigned) strtoul(argv[++i], NULL, 10);
                else if (!strcmp(argv[i], "--calls") && i + 1 < argc)
                        o.calls = strtoul(argv[++i], NULL, 10);
                else if (!strcmp(argv[i], "--syscall") && i + 1 < argc)
                        o.syscall_name = argv[++i];
                else if (argv[i][0] != '-' && !o.filter_path)
                        o.filter_path = argv[i];
                else
                        return -EINVAL;
        }
        if (o.batches < 1 || o.batches > MAX_BATCHES || o.calls < 1)
                return -EINVAL;
        if (strcmp(o.syscall_name, "getppid") && strcmp(o.syscall_name, "fcntl"))
                return -EINVAL;
        *ret = o;
        return 0;
}

/* Returns the instruction count, or -errno. */
static int load_filter(const char *path) {
        static struct sock_filter insns[BPF_MAXINSNS];
        struct stat st;
        int fd, r;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) ||
            (size_t) st.st_size > sizeof(insns)) {
                close(fd);
                return -EINVAL;
        }
        r = (int) read(fd, insns, (size_t) st.st_size);
        close(fd);
        if (r != st.st_size)
                return r < 0 ? -errno : -EIO;

        struct sock_fprog prog = {
                .len = (unsigned short) (st.st_size / sizeof(struct sock_filter)),
                .filter = insns,
        };
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
                return -errno;
        return prog.len;
}

static uint64_t now_ns(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* Zero extra arguments, so an argument filter sees the same values in
 * every run. */
static double batch_ns_per_call(bool use_fcntl, unsigned long calls) {
        uint64_t start = now_ns();

        if (use_fcntl)
                for (unsigned long i = 0; i < calls; i++)
                        syscall(SYS_fcntl, 0, F_GETFD, 0, 0, 0, 0);
        else
                for (unsigned long i = 0; i < calls; i++)
                        syscall(SYS_getppid, 0, 0, 0, 0, 0, 0);
        return (double) (now_ns() - start) / (double) calls;
}

static int compare_doubles(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;

        return (x > y) - (x < y);
}

int main(int argc, char **argv) {
        double ns[MAX_BATCHES];
        struct options o;
        char line[512];
        int insns = 0, n;

        if (parse_options(argc, argv, &o) < 0) {
                fputs("usage: bench-syscall-cost [--batches N<=101] [--calls N] "
                      "[--syscall getppid|fcntl] [FILTER.bpf]\n",
                      stderr);
                return 2;
        }
        /* Same state with and without a filter: no_new_privs is required
         * for an unprivileged filter and is what every sealrun target has. */
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
                perror("bench-syscall-cost: PR_SET_NO_NEW_PRIVS");
                return 1;
        }
        fflush(stdout);
        if (o.filter_path) {
                insns = load_filter(o.filter_path);
                if (insns < 0) {
                        fprintf(stderr, "bench-syscall-cost: filter '%s': %s\n", o.filter_path,
                                strerror(-insns));
                        return 1;
                }
        }

        /* From here on: no stdio, no allocation; only the calls the filter
         * is documented to need. */
        bool use_fcntl = !strcmp(o.syscall_name, "fcntl");
        batch_ns_per_call(use_fcntl, o.calls / 10 + 1); /* warm-up */
        for (unsigned b = 0; b < o.batches; b++)
                ns[b] = batch_ns_per_call(use_fcntl, o.calls);
        qsort(ns, o.batches, sizeof(ns[0]), compare_doubles);

        n = snprintf(line, sizeof(line),
                     "{\"syscall\":\"%s\",\"filter\":\"%s\",\"filter_insns\":%d,"
                     "\"batches\":%u,\"calls_per_batch\":%lu,"
                     "\"ns_median\":%.2f,\"ns_min\":%.2f,\"ns_max\":%.2f}\n",
                     o.syscall_name, o.filter_path ? o.filter_path : "", insns, o.batches, o.calls,
                     ns[o.batches / 2], ns[0], ns[o.batches - 1]);
        if (n > 0 && write(STDOUT_FILENO, line, (size_t) n) != n)
                return 1;
        return 0;
}
