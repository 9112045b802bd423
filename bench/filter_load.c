/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the kernel charges to attach a seccomp filter, by its length: the
 * part of a launch no launcher code can remove.  Attaching checks the
 * classic BPF, converts it to eBPF, JIT-compiles it and fills the per-
 * syscall action cache, all in proportion to the instructions.
 *
 *   bench-filter-load [--runs N] LABEL=FILTER.bpf...
 *
 * Each run forks a fresh child that sets no_new_privs and times only the
 * seccomp(SECCOMP_SET_MODE_FILTER) call; the child sends the time back
 * through a pipe and exits.  Runs of the filters are interleaved, so a
 * burst of load hits each alike.  A one-instruction "allow everything"
 * filter is always measured first, as the floor of any filter.  Prints a
 * Markdown table: instructions, the median and fastest microseconds, and
 * the microseconds per instruction above the floor.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILTERS 16
#define MAX_INSNS 4096

struct filter {
        const char *label;
        struct sock_filter insns[MAX_INSNS];
        unsigned short n;
        double *us;
};

static double now_us(void) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double) t.tv_sec * 1e6 + (double) t.tv_nsec / 1e3;
}

static int read_filter(const char *arg, struct filter *f) {
        const char *eq = strchr(arg, '=');
        if (!eq)
                return -EINVAL;
        f->label = strndup(arg, (size_t) (eq - arg));
        int fd = open(eq + 1, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        ssize_t n = read(fd, f->insns, sizeof(f->insns));
        close(fd);
        if (n <= 0 || n % (ssize_t) sizeof(struct sock_filter))
                return -EINVAL;
        f->n = (unsigned short) (n / (ssize_t) sizeof(struct sock_filter));
        return 0;
}

/* One attach in a fresh child; < 0 on failure. */
static double attach_once(const struct filter *f) {
        int pipefd[2];
        if (pipe(pipefd) < 0)
                return -1;
        pid_t pid = fork();
        if (pid == 0) {
                struct sock_fprog prog = {f->n, (struct sock_filter *) f->insns};
                double us = -1;
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0) {
                        double t0 = now_us();
                        long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
                        double t1 = now_us();
                        if (r == 0)
                                us = t1 - t0;
                }
                (void) !write(pipefd[1], &us, sizeof(us));
                _exit(0);
        }
        close(pipefd[1]);
        double us = -1;
        if (pid < 0 || read(pipefd[0], &us, sizeof(us)) != sizeof(us))
                us = -1;
        close(pipefd[0]);
        if (pid > 0)
                waitpid(pid, NULL, 0);
        return us;
}

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
        unsigned runs = 300;
        static struct filter filters[MAX_FILTERS];
        size_t n = 0;
        filters[n].label = "allow everything (floor)";
        filters[n].insns[0] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        filters[n++].n = 1;
        for (int i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--runs") && i + 1 < argc)
                        runs = (unsigned) strtoul(argv[++i], NULL, 10);
                else if (n < MAX_FILTERS && read_filter(argv[i], &filters[n]) == 0)
                        n++;
                else {
                        fprintf(stderr, "usage: bench-filter-load [--runs N] LABEL=FILTER.bpf...\n");
                        return 2;
                }
        }
        if (runs < 3)
                runs = 3;
        for (size_t k = 0; k < n; k++)
                if (!(filters[k].us = calloc(runs, sizeof(double))))
                        return 1;
        for (unsigned r = 0; r < runs; r++)
                for (size_t k = 0; k < n; k++)
                        if ((filters[k].us[r] = attach_once(&filters[k])) < 0) {
                                fprintf(stderr, "bench-filter-load: attaching '%s' failed\n",
                                        filters[k].label);
                                return 1;
                        }
        printf("| filter | BPF insns | median µs | fastest µs | µs per insn above the floor (median) |\n");
        printf("|---|---:|---:|---:|---:|\n");
        double floor_median = 0;
        for (size_t k = 0; k < n; k++) {
                qsort(filters[k].us, runs, sizeof(double), cmp_double);
                double median = filters[k].us[runs / 2];
                if (k == 0)
                        floor_median = median;
                printf("| %s | %u | %.1f | %.1f | ", filters[k].label, filters[k].n, median,
                       filters[k].us[0]);
                if (k == 0)
                        printf(" |\n");
                else
                        printf("%.3f |\n", (median - floor_median) / (filters[k].n - 1));
        }
        printf("\n%u interleaved runs each, every one in a fresh child.\n", runs);
        return 0;
}
